"""Normalized values of the criminal outcomes of guideline version 2: SENTENCE and CHARGE.

    sentence_norm("有期徒刑一年十个月") -> {"penalty": "fixed_term", "months": 22}
    sentence_norm("缓刑2年")            -> {"penalty": "probation", "months": 24}
    sentence_norm("行政拘留十日")       -> {"penalty": "admin_detention", "months": 0.333}
    sentence_norm("有期徒刑三年至六个月") -> {"penalty": "fixed_term", "months": None, "min": 6, "max": 36}
    sentence_norm("三年以下有期徒刑")   -> {"penalty": "fixed_term", "months": None, "min": 6, "max": 36}
    sentence_norm("无期徒刑")           -> {"penalty": "life", "months": None}
    charge_norm("侵犯公民個人信息罪")   -> {"name": "侵犯公民个人信息罪"}

The penalty words, their codes and their lawful ranges are the lexicon's ``penalties.tsv``; a
bare term (the span of 获刑[3年]) is a fixed-term sentence. Days count as a fraction of 30
(rounded to 3 decimals); 半 is half a unit (一年半 = 18). Text that holds no readable term keeps
``months`` null; nothing here raises on any string."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from lawie.labels.lexicon import table
from lawie.labels.numbers import fold, parse_number

__all__ = ["sentence_norm", "charge_norm", "penalty_words", "split_penalty", "parse_term"]

_NUM = r"[0-9０-９.〇零一二两三四五六七八九十百壹贰叁肆伍陆柒捌玖拾]+"
# one term: 1年6个月, 一年十个月, 一年半, 八个月, 十日, 15天, 2年零3个月
_TERM = re.compile(
    rf"(?:(?P<y>{_NUM})年(?P<yh>半)?(?:零)?)?"
    rf"(?:(?P<m>{_NUM}|半)个?月)?"
    rf"(?:(?P<d>{_NUM})(?:日|天))?")
_RANGE = re.compile(r"(至|到|~|～|-|—|－)")
_OPEN = re.compile(r"(以下|以内|以上|之下)$")
_BOTH = re.compile(r"(.+?)以上(.+?)(?:以下|以内)")


@lru_cache(maxsize=None)
def penalty_words() -> tuple:
    """(word, code, needs_term, (min, max) or None) rows, longest word first."""
    rows = []
    for word, code, needs, lawful, *_ in table("penalties.tsv",
                                               ("word", "penalty", "needs_term", "lawful")):
        rng = None
        if lawful != "-":
            lo, hi = lawful.split("-")
            rng = (float(lo), float(hi))
        rows.append((word, code, needs == "yes", rng))
    return tuple(sorted(rows, key=lambda r: -len(r[0])))


def split_penalty(s: str):
    """(penalty row or None, the rest of the folded text without the penalty word)."""
    for row in penalty_words():
        i = s.find(row[0])
        if i >= 0:
            return row, s[:i] + s[i + len(row[0]):]
    return None, s


def _months(x: float) -> float:
    x = round(x, 3)
    return int(x) if x == int(x) else x


def parse_term(s: str) -> Optional[float]:
    """Months of one term written alone (1年6个月 -> 18, 十日 -> 0.333); None when none is there."""
    s = s.strip()
    if not s:
        return None
    m = _TERM.fullmatch(s)
    if not m or not any(m.group(k) for k in ("y", "m", "d")):
        return None
    try:
        total = 0.0
        if m.group("y"):
            total += 12 * float(parse_number(m.group("y")))
        if m.group("yh"):
            total += 6
        if m.group("m"):
            total += 0.5 if m.group("m") == "半" else float(parse_number(m.group("m")))
        if m.group("d"):
            total += float(parse_number(m.group("d"))) / 30
    except (ValueError, ArithmeticError):
        return None
    return _months(total)


def sentence_norm(text: str) -> dict:
    s = fold(text or "")
    row, rest = split_penalty(s)
    code = row[1] if row else "fixed_term"
    out = {"penalty": code, "months": None}
    rest = rest.replace("执行", "").replace("不等", "").strip("，,、的")
    if not rest:
        return out
    both = _BOTH.fullmatch(rest)
    if both:
        a, b = parse_term(both.group(1)), parse_term(both.group(2))
        if a is not None and b is not None and a <= b:
            out.update(min=a, max=b)
        return out
    opened = _OPEN.search(rest)
    if opened:
        n = parse_term(rest[:opened.start()])
        lawful = row[3] if row else None
        if n is not None and lawful:
            lo, hi = (lawful[0], n) if opened.group(1) != "以上" else (n, lawful[1])
            if lo <= hi:
                out.update(min=_months(lo), max=_months(hi))
        return out
    parts = [p for p in _RANGE.split(rest) if p and not _RANGE.fullmatch(p)]
    if len(parts) == 2:
        a, b = parse_term(parts[0]), parse_term(parts[1])
        if a is not None and b is not None:
            out.update(min=min(a, b), max=max(a, b))
        return out
    out["months"] = parse_term(rest)
    return out


def charge_norm(text: str) -> dict:
    name = fold(text or "").strip("《》“”\"'")
    return {"name": name if name.endswith("罪") and len(name) > 1 else None}
