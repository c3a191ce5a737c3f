"""The reference date of a text when its record gives none: the publication timestamp a release
carries on its first lines (`2026-03-02 09:30:00`, `发布时间：2026年3月2日`, `2026/03/02 来源：...`).
Year-less dates in the text (6月25日) are read in that year."""
from __future__ import annotations

import datetime as dt
import re

_DATE = (r"(?P<y>(?:19|20)\d{2})\s*(?:[-/.]\s*(?P<m>\d{1,2})\s*[-/.]\s*(?P<d>\d{1,2})"
         r"|年\s*(?P<m2>\d{1,2})\s*月\s*(?P<d2>\d{1,2})\s*日)")
_TIME = r"(?:\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?"
_LABEL = r"(?:(?:发布|发表|更新|公布|发文)?(?:时间|日期)\s*[:：]?\s*)?"
# what may follow the timestamp on its line: the usual fields of a release header
_REST = r"(?:\s*(?:来源|作者|编辑|责任编辑|浏览|阅读|点击|字号|【|\[|丨|\||$).*)?$"
_HEADER = re.compile(r"^\s*" + _LABEL + _DATE + _TIME + _REST)
_HEAD_LINES = 5


def header_date(text: str, lines: int = _HEAD_LINES) -> str | None:
    """The ISO date (YYYY-MM-DD) of a timestamp line among the first `lines` non-empty lines, or
    None. A line must be the timestamp itself (with an optional label before and header fields
    after); a sentence that begins with a date (2025年4月, 某院...) is no timestamp."""
    seen = 0
    for line in text.splitlines():
        if not line.strip():
            continue
        seen += 1
        if seen > lines:
            break
        m = _HEADER.match(line.strip())
        if not m:
            continue
        y = int(m.group("y"))
        mo, d = m.group("m") or m.group("m2"), m.group("d") or m.group("d2")
        try:
            return dt.date(y, int(mo), int(d)).isoformat()
        except ValueError:
            continue
    return None
