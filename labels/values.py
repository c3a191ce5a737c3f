"""Normalized values (`norm`) of entity mentions, per the `norm` table and the "Decisions on
frequent edge cases" of ANNOTATION.md.

One entry point: `normalize(type_, text, anchor=None, doc_date=None) -> dict`, and its
document-level helper `normalize_entities(entities, doc_date=None)` that chains DATE anchors.
Span text may be traditional, full-width, carry pinyin junk (發(fā)布) or spaces: it is folded
first (numbers.fold). Unreadable input never raises: the norm comes back with nulls.

Every norm keeps the value contract of labels/output.schema.json (`_contract`): COUNT / MONEY
numbers finite, 0 .. 10^16 and exact, a range low to high; DATE years 1000-2999 and start <= end;
a STATUTE title and an AGENCY name never null. What cannot be read with certainty is null, never
a guess (the rules: corpus/README.md, "Value normalization"). The word lists are the lexicon's
currencies.tsv, approx_words.tsv, range_words.tsv, date_periods.tsv and date_eras.tsv
(labels/data/lexicon/); `currency_of` gives the currency words of a text to other modules.
"""
from __future__ import annotations

import datetime as _dt
import math
import re
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from typing import Optional

from lawie.labels.lexicon import LexiconError, table
from lawie.labels.numbers import (
    BIG_UNITS, DIGITS, MAX_VALUE, SMALL_UNITS, approx_of, as_number, fold, parse_number, parse_pair,
    split_numeral,
)
from lawie.labels.outcomes import charge_norm, sentence_norm
from lawie.labels.schema import ACTION_KINDS, AGENCY_KINDS, ENTITY_TYPES

__all__ = ["normalize", "normalize_entities", "parse_date", "clean_name", "currency_of",
           "RELATIVE_DATE_WORDS"]


# ---------------------------------------------------------------------------------------------
# tables (labels/data/)

def _read_tsv(name: str):
    text = resources.files("lawie.labels").joinpath("data", name).read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        rows.append(line.split("\t"))
    return rows


@lru_cache(maxsize=None)
def _spun_table():
    rows = _read_tsv("spun_names.tsv")
    anywhere = sorted(((r[0], r[1]) for r in rows if (r[2] if len(r) > 2 else "any") == "any"),
                      key=lambda p: -len(p[0]))
    at_end = [(r[0], r[1]) for r in rows if len(r) > 2 and r[2] == "end"]
    return anywhere, at_end


@lru_cache(maxsize=None)
def agency_aliases() -> dict:
    """{short form: full name} of labels/data/agency_aliases.tsv (最高检 -> 最高人民检察院)."""
    return {r[0]: r[1] for r in _read_tsv("agency_aliases.tsv")}


def _unspin(s: str) -> str:
    anywhere, at_end = _spun_table()
    for spun, clean in anywhere:
        if spun in s:
            s = s.replace(spun, clean)
    for spun, clean in at_end:
        if s.endswith(spun):
            s = s[: -len(spun)] + clean
    return s


_EDGE_PUNCT = "《》〈〉<>“”\"'‘’「」『』()（）[]【】,，.。;；:：、!！?？ \t"


@lru_cache(maxsize=8192)
def clean_name(text: str) -> str:
    """A name as written, folded to simplified characters, spun synonyms undone, brackets,
    quotes and spaces dropped."""
    s = fold(text or "").strip(_EDGE_PUNCT).replace("《", "").replace("》", "")
    return _unspin(s)


# ---------------------------------------------------------------------------------------------
# DATE

_TIME_OF_DAY = re.compile(r"\s*\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?")
_WEEKDAY = re.compile(r"[(（]?(?:星期|礼拜|周)[一二三四五六日天][)）]?")
_DAYPART = re.compile(r"(?:上午|下午|晚上|晚间|凌晨|中午|早上|早晨|傍晚|夜间|深夜|清晨)"
                      r"(?:\d{1,2}(?:时|点)(?:\d{1,2}分)?|[一二三四五六七八九十]{1,3}(?:时|点))?$")
_TRAILERS = ("期间", "之间", "以来", "前后", "左右", "时许", "之前", "以前", "之后", "以后",
             "为止", "开始", "间", "时", "起", "止", "许")
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?$")
_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")     # 13.5.2015, 28/02/2021
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")                 # 20190305
_SPACED = re.compile(r"^(\d{4}) (\d{1,2})(?: (\d{1,2}))?$")       # 2010 01 29
_CN_NUM = "〇零一二三四五六七八九十两"
_CN_DIGITS = "〇零一二三四五六七八九壹贰叁肆伍陆柒捌玖"


@lru_cache(maxsize=None)
def _periods() -> dict:
    """{word: (first month or None, last month or None, needs a year in the span)} of
    labels/data/lexicon/date_periods.tsv."""
    out = {}
    for word, first, last, needs in table("date_periods.tsv",
                                          ("word", "first month", "last month", "needs year")):
        out[word] = (None if first == "-" else int(first), None if last == "-" else int(last),
                     needs == "yes")
    return out


@lru_cache(maxsize=None)
def _eras():
    """(regex of an era year: 民国112年, 中华民国一百一十二年; {era: offset})."""
    rows = table("date_eras.tsv", ("era", "offset"))
    names = "|".join(re.escape(r[0]) for r in sorted(rows, key=lambda r: -len(r[0])))
    return (re.compile(rf"(?:{names})(\d{{1,3}}|[{_CN_NUM}百]{{1,6}})年"),
            {r[0]: int(r[1]) for r in rows})


def _point_regex():
    words = "|".join(re.escape(w) for w in sorted(_periods(), key=len, reverse=True))
    return re.compile(
        rf"^(?:(?P<y>\d{{4}}|\d{{2}}|[{_CN_DIGITS}]{{4}}|[{_CN_DIGITS}]{{2}}"
        rf"|[一二两]千[〇零一二三四五六七八九十]{{0,4}})年度?)?"
        rf"(?P<yq>{words}|(?P<nd>前|后|头)(?P<nn>\d{{1,2}}|[一二两三四五六七八九十]{{1,3}})个?"
        r"(?P<nu>月|季度))?"
        rf"(?:(?P<m>\d{{1,2}}|[一二三四五六七八九十]{{1,3}})月份?)?"
        r"(?P<mq>初|底|末|上旬|中旬|下旬|中)?"
        rf"(?:(?P<d>\d{{1,2}}|[一二三四五六七八九十]{{1,3}})(?P<dsfx>日|号)?)?$")


_POINT = _point_regex()


def _relative_table(unit: str, read: str) -> dict:
    """{word: offset} of labels/data/lexicon/relative_dates.tsv for one unit and reading."""
    rows = table("relative_dates.tsv", ("word", "unit", "read against", "offset"))
    return {w: int(o) for w, u, r, o, *_ in rows if u == unit and r == read}


_YEAR_REL_ANCHOR = _relative_table("year", "anchor")
_YEAR_REL_DOC = _relative_table("year", "document")
_MONTH_REL_ANCHOR = _relative_table("month", "anchor")
_MONTH_WORDS_LONGEST = sorted(_MONTH_REL_ANCHOR, key=len, reverse=True)
_REL_MONTH_DAY = re.compile(rf"(\d{{1,2}}|[{_CN_NUM}]{{1,3}})[日号]")
_DAY_REL_ANCHOR = _relative_table("day", "anchor")
_DAY_REL_DOC = _relative_table("day", "document")
_BY_LENGTH = {id(t): sorted(t, key=len, reverse=True) for t in (_YEAR_REL_ANCHOR, _YEAR_REL_DOC)}
# Every whole relative date word the normalizer resolves (同日, 第二日, 次年 ...): a DATE span is
# never a piece of one (lawie.infer.document.refine_span widens 同|日 and 第|二日 to the word).
RELATIVE_DATE_WORDS = frozenset().union(_YEAR_REL_ANCHOR, _YEAR_REL_DOC, _MONTH_REL_ANCHOR,
                                        _DAY_REL_ANCHOR, _DAY_REL_DOC)
_OFFSET = re.compile(rf"^(?P<n>\d+|[{_CN_NUM}百]+)(?P<u>天|日|个月|月|年|周|个星期|星期)"
                     r"(?P<dir>后|之后|以后|前|之前|以前)$")
_SINCE_NOW = ("至今", "到现在", "至现在", "到今天", "至今日")
# the most an offset may reach from its anchor (8000年后 is no date): 100 years in any unit
_OFFSET_LIMIT = {"天": 36600, "日": 36600, "周": 5230, "个星期": 5230, "星期": 5230,
                 "个月": 1200, "月": 1200, "年": 100}

_Point = tuple  # (year, month|None, day|None)


def _parse_iso(value) -> Optional[_Point]:
    """(y, m, d) of an ISO-ish string (YYYY, YYYY-MM, YYYY-MM-DD, optional time), else None."""
    if not value:
        return None
    s = str(value).strip()
    s = _TIME_OF_DAY.sub("", s).replace("T", " ").split(" ")[0]
    m = re.match(r"^(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?$", s)
    if not m:
        return None
    y, mo, d = int(m.group(1)), m.group(2), m.group(3)
    pt = (y, int(mo) if mo else None, int(d) if d else None)
    return pt if _valid(pt) else None


def _valid(pt) -> bool:
    y, m, d = pt
    if y is None or not 1000 <= y <= 2999:
        return False
    if m is None:
        return d is None
    if not 1 <= m <= 12:
        return False
    if d is None:
        return True
    try:
        _dt.date(y, m, d)
    except ValueError:
        return False
    return True


def iso_date(y: int, m: Optional[int] = None, d: Optional[int] = None) -> str:
    """ISO notation of a calendar point at its precision: YYYY, YYYY-MM or YYYY-MM-DD."""
    if m is None:
        return f"{y:04d}"
    if d is None:
        return f"{y:04d}-{m:02d}"
    return f"{y:04d}-{m:02d}-{d:02d}"


def _iso(pt) -> Optional[str]:
    return None if pt is None else iso_date(*pt)


def _num(s: str) -> int:
    v = parse_number(s)
    if not isinstance(v, int):
        raise ValueError(s)
    return v


def _year_of(s: str) -> int:
    """The year of 2025, 25, 二〇二五, 二五, 两千零四 (digits one by one, or a numeral)."""
    if s.isascii() and s.isdigit():
        y = int(s)
    elif all(c in _CN_DIGITS for c in s):
        y = int("".join(str(DIGITS[c]) for c in s))
    else:
        return _num(s)
    if len(s) == 2:
        y += 2000 if y < 50 else 1900
    return y


def _add_months(y: int, m: int, k: int):
    t = y * 12 + (m - 1) + k
    return t // 12, t % 12 + 1


def _shift(pt, n: int, unit: str):
    if abs(n) > _OFFSET_LIMIT.get(unit, 0):
        return None
    y, m, d = pt
    if unit in ("天", "日", "周", "个星期", "星期"):
        if d is None:
            return None
        days = n * 7 if unit in ("周", "个星期", "星期") else n
        x = _dt.date(y, m, d) + _dt.timedelta(days=days)
        return (x.year, x.month, x.day)
    if unit in ("个月", "月"):
        if m is None:
            return None
        ny, nm = _add_months(y, m, n)
        if d is not None:
            try:
                _dt.date(ny, nm, d)
            except ValueError:
                return None
        return (ny, nm, d)
    if unit == "年":
        if d is not None and m == 2 and d == 29:
            return None
        return (y + n, m, d)
    return None


def _era_years(s: str) -> str:
    """民国112年 -> 2023年; once an era is named, a bare 112年 after it too (民国110年至112年)."""
    era_re, offsets = _eras()
    m = era_re.search(s)
    if not m:
        return s
    offset = next(off for name, off in offsets.items() if m.group(0).startswith(name))

    def year(num: str) -> str:
        try:
            return f"{_num(num) + offset}年"
        except ValueError:
            return "?年"                                   # unreadable: no date, not a guess
    s = era_re.sub(lambda x: year(x.group(1)), s)
    return re.sub(r"(?<![\d])(\d{1,3})年", lambda x: year(x.group(1)), s)


# 112年5月: a three-digit year 100-199 with a month after it is a 民国 year (2011-2110); no other
# calendar of the genre writes a year in three digits
_ROC_BARE = re.compile(r"(?<![\d.])(1\d{2})年(?=\s*\d{1,2}\s*月)")


def _roc_bare_years(s: str) -> str:
    m = _ROC_BARE.search(s)
    if not m:
        return s
    offset = _eras()[1].get("民国", 1911)
    return _ROC_BARE.sub(lambda x: f"{int(x.group(1)) + offset}年", s)


_BRACKETED_DAY = re.compile(r"^[今昨]\s*[（(]\s*([0-9]{1,2})\s*[)）]\s*日$")


def _clean_date_text(text: str) -> str:
    spaced = _SPACED.match(fold(text or "", keep_spaces=True))
    if spaced:                                       # 2010 01 29: spaces are the separators
        return "-".join(g for g in spaced.groups() if g)
    s = _roc_bare_years(_era_years(fold(_TIME_OF_DAY.sub("", text or ""))))
    s = _WEEKDAY.sub("", s)
    s = _DAYPART.sub("", s)
    s = _BRACKETED_DAY.sub(r"\1日", s)              # 今（15）日: the 15th of the anchor's month
    changed = True
    while changed and s:
        changed = False
        for t in _TRAILERS:
            if s.endswith(t) and len(s) > len(t):
                s = s[: -len(t)]
                changed = True
    return s.strip("，,。.;；:：、 ")


def _parse_point(s: str, anchor: Optional[_Point], doc: Optional[_Point]):
    """(start, end) points of one date expression without a range word, else None."""
    if not s:
        return None
    m = _ISO.match(s) or _COMPACT.match(s)
    if m:
        pt = (int(m.group(1)), int(m.group(2)), int(m.group(3)) if m.group(3) else None)
        return (pt, pt) if _valid(pt) else None
    m = _DMY.match(s)
    if m:                                            # 13.5.2015: day first, unless it cannot be
        a, b, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if a > 12 >= b or a == b:
            pt = (y, b, a)
        elif b > 12 >= a:
            pt = (y, a, b)                           # 5.13.2015: month first
        else:
            return None                              # 3.5.2015: either; no guess
        return (pt, pt) if _valid(pt) else None
    if len(s) == 4 and s.isascii() and s.isdigit():   # 2016: a bare year
        pt = (int(s), None, None)
        return (pt, pt) if _valid(pt) else None
    if s in _DAY_REL_ANCHOR:
        if anchor is None or anchor[2] is None:
            return None
        pt = _shift(anchor, _DAY_REL_ANCHOR[s], "天")
        return (pt, pt)
    if s in _DAY_REL_DOC:
        base = doc or anchor
        if base is None or base[2] is None:
            return None
        pt = _shift(base, _DAY_REL_DOC[s], "天")
        return (pt, pt)
    if s in _MONTH_REL_ANCHOR:
        if anchor is None or anchor[1] is None:
            return None
        ny, nm = _add_months(anchor[0], anchor[1], _MONTH_REL_ANCHOR[s])
        return ((ny, nm, None), (ny, nm, None))
    for word in _MONTH_WORDS_LONGEST:                 # 同月5日, 次月3号: a day of that month
        if s.startswith(word) and len(s) > len(word):
            day = _REL_MONTH_DAY.fullmatch(s[len(word):])
            if not day:
                break
            if anchor is None or anchor[1] is None:
                return None
            ny, nm = _add_months(anchor[0], anchor[1], _MONTH_REL_ANCHOR[word])
            pt = (ny, nm, _num(day.group(1)))
            return (pt, pt) if _valid(pt) else None
    m = _OFFSET.match(s)
    if m:
        if anchor is None:
            return None
        try:
            n = _num(m.group("n"))
        except ValueError:
            return None
        if m.group("dir") in ("前", "之前", "以前"):
            n = -n
        pt = _shift(anchor, n, m.group("u"))
        return (pt, pt) if pt else None

    year = None
    rest = s
    for table, base in ((_YEAR_REL_ANCHOR, anchor), (_YEAR_REL_DOC, doc or anchor)):
        for word in _BY_LENGTH[id(table)]:
            if rest.startswith(word):
                if base is None:
                    return None
                year = base[0] + table[word]
                rest = rest[len(word):]
                break
        if year is not None:
            break
    explicit_rel = year is not None
    if explicit_rel and not rest:
        return ((year, None, None), (year, None, None))
    if explicit_rel and rest.startswith("年"):        # 同年年底
        rest = rest[1:] if rest[1:2] in ("底", "初", "末", "中", "尾") else rest
    m = _POINT.match(rest)
    if not m or not any(m.group(g) for g in ("y", "yq", "m", "d")):
        return None
    g = m.groupdict()
    if g["d"] and not g["dsfx"] and not g["m"]:
        return None                                  # a bare number is not a day
    if g["y"]:
        if explicit_rel:
            return None
        try:
            year = _year_of(g["y"])
        except ValueError:
            return None
    month = None
    day = None
    try:
        if g["m"]:
            month = _num(g["m"])
        if g["d"]:
            day = _num(g["d"])
    except ValueError:
        return None
    if year is None:
        if anchor is None:
            return None
        year = anchor[0]
        if month is None and day is not None:
            if anchor[1] is None:
                return None
            month = anchor[1]
    yq = g["yq"]
    if yq and (month is not None or day is not None):
        return None                                  # 2023年一季度3月: not one date
    if yq:
        has_year = bool(g["y"]) or explicit_rel
        if g["nd"]:                                  # 前十一个月, 后三个月, 前两个季度
            if not has_year:
                return None                          # 前三个月 alone: of what? no guess
            try:
                months = _num(g["nn"]) * (3 if g["nu"] == "季度" else 1)
            except ValueError:
                return None
            if not 1 <= months <= 12:
                return None
            if g["nd"] == "后":
                return ((year, 13 - months, None), (year, 12, None))
            return ((year, 1, None), (year, months, None))
        first, last, needs_year = _periods()[yq]
        if needs_year and not has_year:
            return None                              # 首月 alone: 上线首月 is no January
        if first is None:
            pt = (year, None, None)                  # 年初 / 年中: the year
            return (pt, pt)
        return ((year, first, None), (year, last, None))
    pt = (year, month, day)
    if not _valid(pt):
        return None
    return (pt, pt)


def _bare_left(left: str, right: str) -> str:
    """2025年1至6月: give the bare number on the left the first unit of the right side."""
    if re.search(r"[年月日号]$", left) or not re.search(rf"(\d|[{_CN_NUM}])$", left):
        return left
    m = re.match(rf"^[\d{_CN_NUM}]+([年月日号])", right)
    return left + m.group(1) if m else left


@lru_cache(maxsize=None)
def _date_seps():
    """Range separators of range_words.tsv for dates: the dashes last (2023.1.5-2023.2.6), and
    with 和 / 与 when a closing 之间 made the span a range."""
    rt = _range_table()
    seps = [m for m in rt["sep"].pattern.split("|")]
    words = [re.sub(r"\\(.)", r"\1", w) for w in seps]
    dashes = [w for w in words if set(w) <= set("-－—–―")]
    pairs = [w for w in rt["sep_or_pair"].pattern.split("|") if w not in seps]
    others = [w for w in words if w not in dashes]
    alt = lambda ws: re.compile("|".join(re.escape(w) for w in sorted(ws, key=len, reverse=True)))  # noqa: E731
    return alt(others), alt(dashes), alt(pairs) if pairs else None


def _date_range(s: str, anchor, doc, closed: bool = False):
    """(start, end) points of a date expression, range or point, else None."""
    for tail in _SINCE_NOW:
        if s.endswith(tail) and len(s) > len(tail):
            left = _parse_point(s[: -len(tail)], anchor, doc)
            if left is None:
                return None
            return (left[0], doc)
    whole = _parse_point(s, anchor, doc)
    if whole is not None:
        return whole
    others, dashes, pairs = _date_seps()
    groups = [others, dashes] + ([pairs] if closed and pairs is not None else [])
    for rx in groups:
        for m in rx.finditer(s):
            left, right = s[: m.start()], s[m.end():]
            if not left or not right:
                continue
            lp = _parse_point(_bare_left(left, right), anchor, doc)
            if lp is None:
                continue
            rp = _parse_point(right, lp[1], doc)
            if rp is None:
                continue
            return (lp[0], rp[1])
    return None


def _ordered(start, end) -> bool:
    """start's first day is not after end's last day (2025 .. 2025-03 is ordered)."""
    return (start[0], start[1] or 1, start[2] or 1) <= (end[0], end[1] or 12, end[2] or 31)


def parse_date(text: str, anchor=None, doc_date=None) -> dict:
    """DATE norm {"start", "end"}; anchor / doc_date are ISO strings (YYYY[-MM[-DD]])."""
    a = _parse_iso(anchor)
    doc = _parse_iso(doc_date)
    if a is None:
        a = doc
    try:
        folded = fold(text or "").rstrip("，,。.;；:：、 ")
        closed = folded.endswith(_range_table()["close"])
        cleaned = _clean_date_text(text)
        for w in _range_table()["open"]:               # 从2015年1月至12月
            if cleaned.startswith(w) and len(cleaned) > len(w):
                cleaned = cleaned[len(w):]
                break
        res = _date_range(cleaned, a, doc, closed)
    except (ValueError, OverflowError, ArithmeticError):
        res = None
    if res is None or res[0] is None or not _valid(res[0]) or \
            (res[1] is not None and (not _valid(res[1]) or not _ordered(res[0], res[1]))):
        return {"start": None, "end": None}           # what cannot be a date is none
    return {"start": _iso(res[0]), "end": _iso(res[1])}


# ---------------------------------------------------------------------------------------------
# COUNT and MONEY

_UNIT_UNSPIN = {"札": "条"}
_NUMERAL_CHAR = re.compile(r"[\d一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟零〇]")
_DIGIT_UNITS = re.compile(r"^(?:[0-9.]+|[一二两三四五六七八九十壹贰叁肆伍陆柒捌玖拾])([十百千万亿拾佰仟]+)$")
_BIG_TAIL = re.compile(r"([万亿]+)$")
_PER_UNIT = re.compile(r"^每[^\d一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟零〇.]"
                       r"(?=[\d一二两三四五六七八九十百千壹贰叁肆伍陆柒捌玖拾佰仟零〇.])")
_DIGIT = r"[0-9零〇一二两三四五六七八九壹贰叁肆伍陆柒捌玖]"
_SUBUNITS = re.compile(rf"^零?(?:(?P<j>{_DIGIT})[角毛])?零?(?:(?P<f>{_DIGIT})分)?(?:钱|整)?$")
_TAIL_JIAO = re.compile(rf"^(?P<j>{_DIGIT})$")              # 十块五 = 10.5
_FEN = re.compile(rf"^零?(?P<f>{_DIGIT})分钱?$")
_TAIL_FEN = re.compile(rf"^(?P<f>{_DIGIT})$")               # 九毛九 = 0.99


@lru_cache(maxsize=None)
def _currency_words():
    """(word, ISO code or None) of labels/data/lexicon/currencies.tsv, longest first."""
    rows = table("currencies.tsv", ("word", "code"))
    return tuple(sorted(((w, None if c == "-" else c) for w, c in rows),
                        key=lambda r: -len(r[0])))


def currency_of(text: str):
    """(codes named in `text`, text without the currency words): 新台币2万元 -> (['TWD'], '2万元').
    A word that names more than one currency ($, 澳币) gives None; 元 / 块 alone name none."""
    codes = []
    for word, code in _currency_words():
        if word in text:
            codes.append(code)
            text = text.replace(word, "")
    return codes, text


@lru_cache(maxsize=None)
def _range_table():
    roles = {}
    for word, role in table("range_words.tsv", ("word", "role")):
        roles.setdefault(role, []).append(word)
    for words in roles.values():
        words.sort(key=len, reverse=True)
    alt = lambda ws: "|".join(re.escape(w) for w in ws)          # noqa: E731
    return {
        "open": tuple(roles.get("open", ())), "close": tuple(roles.get("close", ())),
        "sep": re.compile(alt(roles["sep"])),
        "sep_or_pair": re.compile(alt(sorted(roles["sep"] + roles.get("pair", []),
                                              key=len, reverse=True))),
        "both": re.compile(rf"^(.+?)(?:{alt(roles['lower'])})[、,，]?(.+?)(?:{alt(roles['upper'])})$"),
        "lower": re.compile(rf"^(.+?)(?:{alt(roles['lower'])})[、,，]?(.+)$"),
    }


def _strip_range_words(s: str):
    """(s without an opening 从 / 在 and a closing 之间, whether a closing word was there)."""
    rt = _range_table()
    for w in rt["open"]:
        if s.startswith(w) and len(s) > len(w):
            s = s[len(w):]
            break
    closed = False
    for w in rt["close"]:
        if s.endswith(w) and len(s) > len(w):
            s, closed = s[: -len(w)], True
            break
    return s, closed


def _split_qrange(s: str):
    """(left, right) of a COUNT / MONEY range, else None."""
    rt = _range_table()
    s, closed = _strip_range_words(s)
    m = rt["both"].match(s) or rt["lower"].match(s)
    if m and _NUMERAL_CHAR.search(m.group(1)) and _NUMERAL_CHAR.search(m.group(2)):
        return m.group(1), m.group(2)
    for m in rt["sep_or_pair" if closed else "sep"].finditer(s):
        left, right = s[: m.start()], s[m.end():]
        if s[m.start():m.start() + 2] in ("至少", "至多"):
            continue
        if left and right and _NUMERAL_CHAR.search(left) and _NUMERAL_CHAR.search(right):
            return left, right
    return None


def _exact(v) -> Decimal:
    return Decimal(str(v)) if isinstance(v, float) else Decimal(v)


def _scaled(v, factor) -> Optional[float]:
    try:
        return as_number(_exact(v) * factor)
    except (ValueError, ArithmeticError):
        return None


def _money_amount(q, money: bool = True):
    """The value of a quantity with its money subunits: 三十二元五角 = 32.5, 十块五毛 = 10.5,
    两分钱 = 0.02, 壹元零伍分 = 1.05, 十块五 = 10.5; None when the words after the number
    cannot be read (五分之一元, 三元十角)."""
    if q.number is None:
        return None
    unit = q.unit
    if not money or not unit:
        return q.number
    number = _exact(q.number)
    if unit[0] in "元块圆":
        base, rest, grammar = number, unit[1:], (_SUBUNITS, _TAIL_JIAO)
    elif unit[0] in "角毛":
        base, rest, grammar = number / 10, unit[1:], (_FEN, _TAIL_FEN)
    elif unit[0] == "分" and not unit.startswith("分之"):
        base, rest, grammar = number / 100, unit[1:], ()
    elif _NUMERAL_CHAR.search(unit):
        return None                                       # 100美元700元: two amounts
    else:
        return q.number                                   # words after the amount
    try:
        if rest in ("", "钱", "整"):
            return as_number(base)
        m = next((m for m in (g.match(rest) for g in grammar) if m), None)
        if m is None or not any(m.groupdict().values()):
            return None
        parts = m.groupdict()
        if parts.get("j"):
            base += Decimal(parse_number(parts["j"])) / 10
        if parts.get("f"):
            base += Decimal(parse_number(parts["f"])) / 100
        return as_number(base)
    except (ValueError, ArithmeticError):
        return None


def _side(text: str, money: bool):
    q, numtext = split_numeral(text)
    return _money_amount(q, money), q, numtext


def _range_values(left: str, right: str, money: bool = False):
    """(low, high, approx, unit) of the two sides of a range, else None. A multiplier written
    once applies to both sides when the left has none of its own and the result stays below
    the right: the right's unit words after its first character when the left is bare digits
    (三至五万元, 一至两千万, 两到三仟, 80至100万), its 万 / 亿 when the left has 十 / 百 / 千
    (二十到三十万, 一千到两千万); corpus/README.md, "Value normalization"."""
    lo, lq, lnum = _side(left, money)
    hi, rq, rnum = _side(right, money)
    if lo is None or hi is None:
        return None
    if not lq.unit and lnum and not any(c in BIG_UNITS for c in lnum):
        simple = _DIGIT_UNITS.match(rnum)             # 五百万 -> 百万, 十亿 -> 亿, 10万 -> 万
        units = simple or _BIG_TAIL.search(rnum)      # 一千九百三十万 -> 万
        shared = units.group(units.lastindex) if units else ""
        if any(c in SMALL_UNITS for c in lnum):       # 二十到三十万: only the 万 is shared
            shared = shared[len(shared.rstrip("万亿")):]
        for k in range(len(shared)):                  # the longest that keeps low < high:
            try:                                      # 五至一百万 = 5万 .. 100万
                cand = _scaled(lo, Decimal(parse_number("1" + shared[k:])))
            except ValueError:
                cand = None
            if cand is not None and cand < hi:
                lo = cand
                break
    if lo > hi:
        lo, hi = hi, lo                                   # 三万元至一万元: written high to low
    approx = approx_of(rq.prefix, rq.suffix) or approx_of(lq.prefix, lq.suffix)
    return lo, hi, approx, (rq.unit or lq.unit)


def _unit(u: str) -> Optional[str]:
    """The measure word, spun synonyms undone (东说念主次 -> 人次)."""
    u = _UNIT_UNSPIN.get(u, u).replace("东说念主", "人")
    if len(u) == 2 and u[0] == "大" and u[1] in "类批项":      # 五大类
        u = u[1:]
    return u or None


def _count(text: str) -> dict:
    s = fold(text or "")
    rng = _split_qrange(s)
    if rng:
        r = _range_values(*rng)
        if r:
            return {"min": r[0], "max": r[1], "unit": _unit(r[3]), "approx": r[2]}
    q, numtext = split_numeral(s)
    approx = approx_of(q.prefix, q.suffix)
    if q.number is None and numtext:
        pair = parse_pair(numtext)                        # 七八个: a range
        if pair:
            return {"min": pair[0], "max": pair[1], "unit": _unit(q.unit),
                    "approx": approx or "about"}
    return {"value": q.number, "unit": _unit(q.unit), "approx": approx}


_NUMERAL_AROUND = "[0-9〇零一二两三四五六七八九十百千万亿]"


def _two_amounts(text: str) -> bool:
    """A currency word between two numbers (100美元700元, 1万港元2万元): two amounts in one span."""
    return any(re.search(f"{_NUMERAL_AROUND}{re.escape(w)}{_NUMERAL_AROUND}", text)
               for w, _ in _currency_words() if w in text)


def _money(text: str) -> dict:
    folded = fold(text or "")
    codes, s = currency_of(folded)
    if len(set(codes)) > 1:                               # two currencies: no one value
        return {"value": None, "currency": None, "approx": None}
    currency = codes[0] if codes else "CNY"
    if _two_amounts(folded):
        return {"value": None, "currency": currency, "approx": None}
    s = _PER_UNIT.sub("", s)                              # 每条两分钱: the price of one
    rng = _split_qrange(s)
    if rng:
        r = _range_values(*rng, money=True)
        if r:
            return {"min": r[0], "max": r[1], "currency": currency, "approx": r[2]}
    q, numtext = split_numeral(s)
    approx = approx_of(q.prefix, q.suffix)
    if q.number is None and numtext:
        pair = parse_pair(numtext)                        # 三五百元, 七八万
        if pair and not _NUMERAL_CHAR.search(q.unit):
            return {"min": pair[0], "max": pair[1], "currency": currency,
                    "approx": approx or "about"}
    return {"value": _money_amount(q), "currency": currency, "approx": approx}


# ---------------------------------------------------------------------------------------------
# STATUTE

# 第253条之一; Hong Kong writes a section's subsections in brackets before 条 (第64(3A)條): the
# article is 64, and a bracketed subsection is no article_sub (that is the 之N of an inserted
# article)
_ARTICLE = re.compile(r"第([\d〇零一二两三四五六七八九十百千]+)(?:[(（][0-9A-Za-z]{1,4}[)）])*条"
                      r"(?:之([\d一二三四五六七八九十]+))?")


def _statute(text: str) -> dict:
    s = fold(text or "")
    article = article_sub = None
    m = _ARTICLE.search(s)
    title = s
    if m:
        try:
            article = _num(m.group(1))
            article_sub = _num(m.group(2)) if m.group(2) else None
        except ValueError:
            article = article_sub = None
        title = s[: m.start()]
    elif "》" in s:
        title = s[: s.rindex("》") + 1]
    title = clean_name(title)
    return {"title": title or None, "article": article, "article_sub": article_sub}


# ---------------------------------------------------------------------------------------------
# AGENCY

_PROCURATORATE_SHORT = re.compile(r"(?:省|市|区|县|州|旗|盟|镇|新区|分)院$")
_NOT_ORGAN_YUAN = ("医院", "学院", "研究院", "设计院", "科学院", "剧院", "书院", "法院", "福利院",
                   "养老院", "敬老院", "卫生院", "疗养院", "美容院", "影院")


@lru_cache(maxsize=1)
def _organ_kinds() -> tuple:
    rows = table("organ_kinds.tsv", ("word", "match", "kind"))
    for w, match, kind, *_ in rows:
        if match not in ("exact", "end", "contains") or kind not in AGENCY_KINDS:
            raise LexiconError(f"labels/data/lexicon/organ_kinds.tsv: {w}: match {match!r} / kind "
                               f"{kind!r} unknown")
    return tuple((w, match, kind) for w, match, kind, *_ in rows)


def _listed_organ_kind(name: str):
    for w, match, kind in _organ_kinds():
        if (match == "exact" and name == w) or (match == "end" and name.endswith(w)) \
                or (match == "contains" and w in name):
            return kind
    return None


def _agency_kind(name: str) -> str:
    listed = _listed_organ_kind(name)
    if listed:
        return listed
    if "检察" in name or name in ("最高检",):
        return "procuratorate"
    if name.endswith("立法院") or name.endswith("监察院"):
        return "other"
    if "法院" in name or "法庭" in name or name in ("最高法",):
        return "court"
    if _PROCURATORATE_SHORT.search(name) and not name.endswith(_NOT_ORGAN_YUAN):
        return "procuratorate"
    if any(w in name for w in ("公安", "警方", "派出所", "网安", "警察", "刑侦", "交警", "巡警",
                               "特警", "警务")):
        return "police"
    if any(w in name for w in ("人大", "人民代表大会", "政协", "政治协商")):
        return "other"
    if any(w in name for w in ("网信办", "互联网信息办公室", "政府", "人民银行", "央行", "办公室",
                               "委员会", "管理局", "通信管理局", "执法局", "执法支队",
                               "执法大队", "监察", "总局", "税务", "海关")):
        return "government"
    if re.search(r"(?:局|委|厅|部|署|办|支队|大队|所|处|科|站)$", name):
        return "government"
    return "other"


_AGENCY_EXPANSIONS = (("人大常委会", "人民代表大会常务委员会"), ("代表大会常委会", "代表大会常务委员会"))


# 十堰市检察院, 北京市高级法院: a procuratorate or court named after an administrative division is
# officially a 人民检察院 / 人民法院; 杭州互联网法院, 北京铁路运输检察院 or 军事法院 are not
_PEOPLES_ORGAN = re.compile(r"^(.+(?:省|市|区|县|州|旗|盟)(?:中级|高级)?)(检察院|法院)$")


def _agency(text: str) -> dict:
    name = clean_name(text)
    full = agency_aliases().get(name, name)
    for short, long_ in _AGENCY_EXPANSIONS:
        if full.endswith(short):
            full = full[: -len(short)] + long_
    m = _PEOPLES_ORGAN.match(full)
    if m and "人民" not in full:
        full = m.group(1) + "人民" + m.group(2)
    if full.startswith("人民银行"):
        full = "中国" + full
    return {"name": full or None, "kind": _agency_kind(full or "")}


# ---------------------------------------------------------------------------------------------
# PARTY

_ORG_WORDS = ("公司", "医院", "网站", "平台", "博物馆", "集团", "中心", "协会", "学会", "学校",
              "大学", "学院", "银行", "商行", "店", "厂", "社", "事务所", "机构", "工作室", "超市",
              "酒店", "俱乐部", "物业", "企业", "合作社", "基金会", "研究院", "研究所", "app",
              "APP", "App", "小程序", "公众号", "商城", "馆", "站", "所", "部", "院", "场",
              "会", "队", "团", "组织", "单位", "网", "软件", "健身房", "幼儿园", "药房", "门诊")
_PERSON = re.compile(r"^[\u4e00-\u9fff]{1,3}(?:某{1,2}|某[甲乙丙丁戊己庚辛壬癸]|[甲乙丙丁])$")


def _party(text: str) -> dict:
    s = clean_name(text)
    if _PERSON.match(s):
        return {"kind": "person"}
    if any(w in s for w in _ORG_WORDS) or s.endswith("行") or re.fullmatch(r"[A-Za-z0-9 .&-]+", s):
        return {"kind": "org"}
    if "某" in s or len(s) <= 4:
        return {"kind": "person"}
    return {"kind": "org"}


# ---------------------------------------------------------------------------------------------
# ACTION

_ACTION_RULES = (
    ("clue", ("线索", "陈迹", "举报", "报案", "投诉", "发现", "接到", "受理", "推送")),
    ("case_filed", ("立案",)),
    ("hearing", ("听证", "开庭", "庭审")),
    ("suggestion", ("检察建议", "建议")),
    ("lawsuit", ("起诉", "公诉", "提起", "诉至", "请求", "诉请")),
    ("judgment", ("判决", "判处", "判刑", "调解", "宣判", "判令", "裁定", "判赔", "获刑", "改判")),
    ("lawsuit", ("诉讼",)),
    ("penalty", ("罚", "处罚", "处以", "警告", "拘留", "责令", "没收", "吊销", "通报", "下架",
                 "关停", "暂停", "处分", "查处")),
    ("violation", ("获取", "出售", "发布", "提供", "泄露", "倒卖", "购买", "购得", "收集", "非法",
                   "窃取", "贩卖", "买卖", "售卖", "出租", "出借", "采集", "爬取", "公开", "传播",
                   "存储", "存有", "使用", "处理", "诈骗", "牟利", "获利", "获得", "侵犯", "侵害",
                   "违法", "违规", "滥用", "交易", "骚扰", "转卖", "转让", "上传", "盗取", "冒用",
                   "回扣", "支付")),
)


@lru_cache(maxsize=1)
def _act_lexicon() -> dict:
    """lemma -> kind of labels/data/lexicon/acts.tsv (the words that are no act left out)."""
    from lawie.labels.lexicon import table
    return {w: k for w, k, *_ in table("acts.tsv", ("lemma", "kind", "frame")) if k != "none"}


def _action(text: str) -> dict:
    s = clean_name(text)
    if s == "诉":                       # 诉X某等... in a case title: the lawsuit itself
        return {"kind": "lawsuit"}
    if s == "判":                       # 判[有期徒刑三年]: a one-character judgment (guideline v2)
        return {"kind": "judgment"}
    if s in _act_lexicon():             # a lemma of the act lexicon: its kind
        return {"kind": _act_lexicon()[s]}
    for kind, words in _ACTION_RULES:
        if any(w in s for w in words):
            return {"kind": kind}
    return {"kind": "other"}


# ---------------------------------------------------------------------------------------------
# entry points

_EMPTY = {
    "DATE": {"start": None, "end": None},
    "COUNT": {"value": None, "unit": None, "approx": None},
    "MONEY": {"value": None, "currency": "CNY", "approx": None},
    "AGENCY": {"name": None, "kind": "other"},
    "STATUTE": {"title": None, "article": None, "article_sub": None},
    "PARTY": {"kind": "org"},
    "ACTION": {"kind": "other"},
    "SENTENCE": {"penalty": "other", "months": None},
    "CHARGE": {"name": None},
}
# guideline v2's criminal outcomes have their own module (labels/outcomes.py)
_HANDLERS = {"COUNT": _count, "MONEY": _money, "STATUTE": _statute, "AGENCY": _agency,
             "PARTY": _party, "ACTION": _action, "SENTENCE": sentence_norm,
             "CHARGE": lambda t: charge_norm(clean_name(t))}


def normalize(type_: str, text: str, anchor: Optional[str] = None,
              doc_date: Optional[str] = None) -> dict:
    """The `norm` dict of one entity mention of type `type_` (ANNOTATION.md).

    anchor: ISO start of the preceding DATE of the document (DATE only; defaults to doc_date);
    doc_date: the document's publication date (DATE only: 今年, 去年, 今天).
    Raises ValueError only for an unknown type; unreadable text gives nulls."""
    if type_ not in ENTITY_TYPES:
        raise ValueError(f"unknown entity type {type_!r} (expected one of {', '.join(ENTITY_TYPES)})")
    if not isinstance(text, str) or not text.strip():
        return _contract(type_, dict(_EMPTY[type_]), text if isinstance(text, str) else "")
    if type_ != "DATE":
        anchor = doc_date = None
    return dict(_normalize_cached(type_, text, anchor, doc_date))


@lru_cache(maxsize=16384)
def _normalize_cached(type_: str, text: str, anchor, doc_date) -> tuple:
    try:
        if type_ == "DATE":
            out = parse_date(text, anchor, doc_date)
        else:
            out = _HANDLERS[type_](text)
        out = _contract(type_, out, text)
    except Exception:  # noqa: BLE001 - a norm must never break extraction
        out = _contract(type_, dict(_EMPTY[type_]), text)
    if type_ == "ACTION" and out.get("kind") not in ACTION_KINDS:
        out["kind"] = "other"
    return tuple(out.items())


_ISO_OUT = re.compile(r"^[12]\d{3}(?:-\d{2}(?:-\d{2})?)?$")


def _number_ok(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) \
        and 0 <= v <= MAX_VALUE


def _contract(type_: str, out: dict, text: str) -> dict:
    """The output contract (labels/output.schema.json), whatever a handler returned: COUNT and
    MONEY numbers finite, 0..MAX_VALUE, a range low to high, no approx without a value; DATE
    years of four digits (1000-2999) and start <= end; a STATUTE title and an AGENCY name never
    null (the span text cleaned, else as written). A value outside it becomes null."""
    if type_ in ("COUNT", "MONEY"):
        if "min" in out or "max" in out:
            lo, hi = out.get("min"), out.get("max")
            if _number_ok(lo) and _number_ok(hi):
                if lo > hi:
                    out["min"], out["max"] = hi, lo
                return out
            out = {"value": None, **{k: v for k, v in out.items() if k not in ("min", "max")}}
            out = {k: out[k] for k in ("value", "unit", "currency", "approx") if k in out}
        if out.get("value") is not None and not _number_ok(out["value"]):
            out["value"] = None
        if out.get("value") is None:
            out["approx"] = None
    elif type_ == "DATE":
        start, end = out.get("start"), out.get("end")
        good = all(x is None or (isinstance(x, str) and _ISO_OUT.match(x)) for x in (start, end))
        if not good or start is None or (end is not None and end[:len(start)] < start[:len(end)]):
            if not (good and start is None and end is None):
                out = {"start": None, "end": None}
    elif type_ in ("STATUTE", "AGENCY"):
        key = "title" if type_ == "STATUTE" else "name"
        if not out.get(key):
            out[key] = clean_name(text) or fold(text) or text.strip() or text
        if type_ == "STATUTE":
            for k, top in (("article", 10000), ("article_sub", 100)):
                v = out.get(k)
                if v is not None and not (isinstance(v, int) and 1 <= v <= top):
                    out[k] = None                 # 第0条, 第九九九九九九条: no article
    return out


def normalize_entities(entities, doc_date: Optional[str] = None) -> None:
    """Set `norm` on each entity dict of one document (in place). DATEs are resolved in text
    order, each against the start of the previous resolved DATE, else against doc_date."""
    anchor = None
    order = sorted(range(len(entities)), key=lambda i: (entities[i].get("start") or 0, i))
    for i in order:
        ent = entities[i]
        type_ = ent.get("type")
        if type_ not in ENTITY_TYPES:
            continue
        text = ent.get("text") or ""
        if type_ == "DATE":
            norm = normalize("DATE", text, anchor=anchor or doc_date, doc_date=doc_date)
            if norm.get("start"):
                anchor = norm["start"]
        else:
            norm = normalize(type_, text)
        ent["norm"] = norm
    return None


# ---------------------------------------------------------------------------------------------
# why a norm is null

_PROBE_ANCHOR = "2000-06-15"          # any date will do: does the text read with one?


def null_reason(type_: str, text: str, norm: dict, doc_date: Optional[str] = None) -> Optional[str]:
    """Why `norm` (the norm of a `type_` mention `text`) holds no value, in a few words, or None
    when it has one. DATE: no start; COUNT / MONEY: no value and no range. Other types always
    have their value (a STATUTE's missing article is no failure: the text names none)."""
    if type_ == "DATE":
        if norm.get("start") is not None:
            return None
        s = fold(text or "")
        for y in re.findall(r"(-?\d+)\s*年", s):
            if len(y.lstrip("-")) >= 4 and not 1000 <= int(y) <= 2999:
                return f"year {y}: not a calendar year (1000-2999)"
        try:
            probe = _date_range(_clean_date_text(text), _parse_iso(_PROBE_ANCHOR),
                                _parse_iso(_PROBE_ANCHOR))
        except (ValueError, OverflowError, ArithmeticError):
            probe = None
        if probe and probe[0] is not None and probe[1] is not None and _valid(probe[0]) \
                and _valid(probe[1]) and not _ordered(probe[0], probe[1]):
            return "the range ends before it starts"
        if doc_date is None and parse_date(text, _PROBE_ANCHOR, _PROBE_ANCHOR)["start"]:
            return "relative or year-less, and no earlier date in the text nor a document date " \
                   "(--date, meta.date) to read it against"
        return "no calendar date in the text (a vague time, or not a date)"
    if type_ in ("COUNT", "MONEY"):
        if norm.get("value") is not None or norm.get("min") is not None:
            return None
        s = fold(text or "")
        if type_ == "MONEY" and len(set(currency_of(s)[0])) > 1:
            return "two currencies in one span"
        if type_ == "MONEY" and _two_amounts(s):
            return "two amounts in one span (a currency word between two numbers)"
        if not _NUMERAL_CHAR.search(s):
            return "no number in the span"
        if re.search(r"\d{16,}", s):
            return f"a value beyond what a norm holds (0 to {MAX_VALUE:.0e}, finite)"
        try:
            raw = _HANDLERS[type_](text)
        except Exception:  # noqa: BLE001 - a diagnosis never breaks extraction
            raw = {}
        vals = [raw.get(k) for k in ("value", "min", "max") if raw.get(k) is not None]
        if any(not _number_ok(v) for v in vals):
            return f"a value beyond what a norm holds (0 to {MAX_VALUE:.0e}, finite)"
        return "the number is not read (an unusual numeral or two amounts)"
    return None
