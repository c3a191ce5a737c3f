"""Numerals as they are written in Chinese case write-ups, and the parts of a quantity.

`parse_number` reads Arabic (1200, 1,200, 3.7, full-width digits), Chinese (一千二百, 两万,
十二, 二〇二五, 零), financial and traditional forms (壹, 兩, 萬, 億) and mixed forms
(3.7万, 1.2亿, 510余万, 13万2 = 132000, 1亿2000万). Exact decimal arithmetic: 16.4亿 is
1640000000, never 1640000000.0000002.

`split_quantity` cuts the surface of a COUNT or MONEY mention into its approximation prefix,
number, approximation suffix and unit: 超过10万条 -> ('超过', 100000, None, '条').

`fold` is the text folding shared with values.py: width folding (NFKC), pinyin junk removal
(發(fā)布 -> 發布), traditional -> simplified (OpenCC t2s, one converter built lazily) and removal
of whitespace.
"""
from __future__ import annotations

import re
import threading
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import NamedTuple, Optional, Union

Number = Union[int, float]

# ---------------------------------------------------------------------------------------------
# text folding

_PINYIN_JUNK = re.compile(
    r"\((?=[^)]*[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ])"
    r"[a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ\s]{1,8}\)")
_SPACE = re.compile(r"\s+")
_converter = None
_converter_lock = threading.Lock()


def _t2s(text: str) -> str:
    global _converter
    if _converter is None:
        with _converter_lock:
            if _converter is None:
                import opencc
                _converter = opencc.OpenCC("t2s")
    return _converter.convert(text)


@lru_cache(maxsize=8192)
def fold(text: str, keep_spaces: bool = False) -> str:
    """Width-folded, pinyin-free, simplified text; whitespace removed unless keep_spaces."""
    if not text:
        return ""
    s = unicodedata.normalize("NFKC", text)
    s = _PINYIN_JUNK.sub("", s)
    s = _t2s(s)
    if keep_spaces:
        return _SPACE.sub(" ", s).strip()
    return _SPACE.sub("", s)


# ---------------------------------------------------------------------------------------------
# numerals

DIGITS = {
    "零": 0, "〇": 0, "○": 0, "Ｏ": 0,
    "一": 1, "壹": 1, "幺": 1,
    "二": 2, "两": 2, "兩": 2, "贰": 2, "貳": 2, "俩": 2, "倆": 2,
    "三": 3, "叁": 3, "參": 3, "参": 3, "仨": 3,
    "四": 4, "肆": 4,
    "五": 5, "伍": 5,
    "六": 6, "陆": 6, "陸": 6,
    "七": 7, "柒": 7,
    "八": 8, "捌": 8,
    "九": 9, "玖": 9,
}
SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG_UNITS = {"万": 10 ** 4, "萬": 10 ** 4, "亿": 10 ** 8, "億": 10 ** 8}
SHORTCUTS = {"廿": 20, "卅": 30, "卌": 40}
_SHORTCUT_TEXT = {"廿": "二十", "卅": "三十", "卌": "四十"}
# placeholders for an unknown digit: 几十 / 数千 / 上百 (= one of the unit), 十几 (= nothing more)
PLACEHOLDERS = set("几幾数數上")
APPROX_MARKS = set("余餘多来來许許")

NUMERAL_CHARS = (set(DIGITS) | set(SMALL_UNITS) | set(BIG_UNITS) | set(SHORTCUTS)
                 | set("0123456789.点點"))

_ARABIC = re.compile(r"^\d+(?:\.\d+)?$")
_THOUSANDS = re.compile(r"(?<=\d)[,，](?=\d{3}(?!\d))")


def _as_number(d: Decimal) -> Number:
    if d == d.to_integral_value():
        return int(d)
    return float(d)


def _tokens(s: str):
    """Split a folded numeral into ('num', Decimal, is_single_digit) / ('small', n) /
    ('big', n) / ('zero',) / ('ph',) tokens; raise ValueError on anything else."""
    toks = []
    i, n = 0, len(s)
    while i < n:
        c = s[i]
        if c.isdigit() and c.isascii():
            j = i
            while j < n and s[j].isascii() and (s[j].isdigit() or s[j] == "."):
                j += 1
            lit = s[i:j]
            if not _ARABIC.match(lit):
                raise ValueError(f"bad number {s!r}")
            toks.append(("num", Decimal(lit), len(lit) == 1))
            i = j
        elif c in DIGITS:
            j = i
            while j < n and s[j] in DIGITS:
                j += 1
            run = s[i:j]
            if j < n and s[j] in "点點":          # 三点五
                k = j + 1
                while k < n and s[k] in DIGITS:
                    k += 1
                frac = "".join(str(DIGITS[ch]) for ch in s[j + 1:k])
                whole = "".join(str(DIGITS[ch]) for ch in run)
                toks.append(("num", Decimal(f"{whole}.{frac or 0}"), False))
                i = k
                continue
            if len(run) > 1 and run[0] in "零〇○" and all(DIGITS[ch] != 0 for ch in run[1:]) \
                    and len(run) == 2:
                # 一百零五: the 零 is a place filler
                toks.append(("zero",))
                toks.append(("num", Decimal(DIGITS[run[1]]), True))
            elif len(run) == 1 and DIGITS[run] == 0:
                toks.append(("zero",))
            else:
                val = Decimal("".join(str(DIGITS[ch]) for ch in run))
                toks.append(("num", val, len(run) == 1))
            i = j
        elif c in SMALL_UNITS:
            toks.append(("small", SMALL_UNITS[c]))
            i += 1
        elif c in BIG_UNITS:
            toks.append(("big", BIG_UNITS[c]))
            i += 1
        elif c in PLACEHOLDERS:
            toks.append(("ph",))
            i += 1
        else:
            raise ValueError(f"not a numeral: {s!r}")
    return toks


def _evaluate(toks) -> Decimal:
    if not toks:
        raise ValueError("empty numeral")
    has_unit = any(t[0] in ("small", "big") for t in toks)
    if not has_unit:
        nums = [t for t in toks if t[0] == "num"]
        if any(t[0] == "ph" for t in toks):
            raise ValueError("placeholder without a unit")
        if not nums:
            if any(t[0] == "zero" for t in toks):
                return Decimal(0)
            raise ValueError("no digits")
        if len(nums) == 1 and toks[-1][0] == "num":
            # a zero before a single digit run (〇五) keeps the digits
            if toks[0][0] == "zero" and len(toks) == 2:
                return nums[0][1]
            return nums[0][1]
        # 二〇二五 was tokenized as zero + num pieces: rebuild the digit string
        digits = ""
        for t in toks:
            if t[0] == "zero":
                digits += "0"
            elif t[0] == "num":
                digits += str(t[1])
        return Decimal(digits)

    total = Decimal(0)     # parts already multiplied by 万/亿
    section = Decimal(0)   # part below the next 万/亿
    current = None         # pending number
    current_single = False
    last_unit = None       # value of the last unit seen, for 一千二 / 13万2
    zero_seen = False
    for idx, t in enumerate(toks):
        prev = toks[idx - 1] if idx else None
        kind = t[0]
        if kind == "num":
            if current is not None:
                raise ValueError("two numbers in a row")
            current, current_single = t[1], t[2]
        elif kind == "ph":
            if current is not None:
                raise ValueError("placeholder after a number")
            current, current_single = Decimal(1), False
            # 十几 / 二十几: a trailing placeholder adds nothing
        elif kind == "zero":
            zero_seen = True
        elif kind == "small":
            section += (current if current is not None else Decimal(1)) * t[1]
            current = None
            last_unit = t[1]
            zero_seen = False
        elif kind == "big":
            unit = t[1]
            if prev is not None and prev[0] == "big" and prev[1] >= unit:
                raise ValueError("repeated 万/亿")           # 万万, 亿万
            part = section + (current if current is not None else Decimal(0))
            if part == 0:
                part = Decimal(1) if total == 0 else Decimal(0)
            if total != 0 and total < unit:
                total = (total + part) * unit      # 十万亿
            else:
                total = total + part * unit        # 一亿二千万
            section = Decimal(0)
            current = None
            last_unit = unit
            zero_seen = False
    if current is not None:
        if toks[-1][0] == "ph":
            current = Decimal(0)                   # 十几 -> 10
        if current_single and not zero_seen and last_unit is not None and last_unit >= 10:
            section += current * (Decimal(last_unit) / 10)   # 一千二, 三万五, 13万2
        else:
            section += current
    return total + section


def parse_number(text: str) -> Number:
    """The value of a numeral; int when it is integral. Raises ValueError when `text` is not a
    numeral. Approximation marks inside (510余万, 3万多) and placeholders (数千, 几十, 上百,
    十几) are read as the round number they start from."""
    if text is None:
        raise ValueError("no numeral (None)")
    s = unicodedata.normalize("NFKC", str(text))
    s = _SPACE.sub("", s)
    s = _THOUSANDS.sub("", s)
    s = s.replace("萬", "万").replace("億", "亿")
    for short, long_ in _SHORTCUT_TEXT.items():
        s = s.replace(short, long_)
    # approximation marks inside or after the number carry no value
    s = "".join(ch for ch in s if ch not in APPROX_MARKS)
    if not s:
        raise ValueError(f"not a numeral: {text!r}")
    try:
        return _as_number(_evaluate(_tokens(s)))
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(f"not a numeral: {text!r}") from exc


# ---------------------------------------------------------------------------------------------
# quantities

class Quantity(NamedTuple):
    prefix: Optional[str]   # approximation / total word before the number (超过, 约, 达, 数 ...)
    number: Optional[Number]
    suffix: Optional[str]   # 余 / 多 / 几 inside or after the number, 以上 / 左右 after it
    unit: str               # what follows: measure word, 元, 万元 is number 万 + unit 元

PREFIXES = sorted([
    "超过", "超出", "卓绝", "多达", "高达", "共计", "合计", "总计", "累计", "一共", "共", "计",
    "不少于", "不低于", "不下于", "不下", "至少", "最少", "最多", "大约", "约为", "约有",
    "将近", "接近", "差不多", "近乎", "逾", "超", "近", "约", "达", "大概", "上",
    "数", "几",
], key=len, reverse=True)
POSTFIXES = ("以上", "左右", "上下", "以下", "以内", "之多", "余", "多", "许", "有余")

_PREFIX_APPROX = {
    "超过": "more_than", "超出": "more_than", "超": "more_than", "逾": "more_than",
    "卓绝": "more_than",               # spun form of 超过
    "约": "about", "近": "about", "大约": "about", "约为": "about", "约有": "about",
    "将近": "about", "接近": "about", "差不多": "about", "近乎": "about", "大概": "about",
    "上": "about",                     # 上百 / 上千 / 上万
    "不少于": "at_least", "不低于": "at_least", "不下于": "at_least", "不下": "at_least",
    "至少": "at_least", "最少": "at_least",
    "数": "at_least",                  # 数千 (and by the same reading 数十, 数百, 数万)
    "几": "more_than",                 # 几十家 -> 10, more_than
}
_SUFFIX_APPROX = {
    "余": "more_than", "多": "more_than", "来": "more_than", "几": "more_than",
    "有余": "more_than", "之多": None,
    "以上": "at_least", "左右": "about", "上下": "about", "许": "about",
}


def approx_of(prefix: Optional[str], suffix: Optional[str]) -> Optional[str]:
    """The `approx` value of ANNOTATION.md for a prefix / suffix pair; the prefix wins
    (近10万余条 is `about`) unless it is a plain total word (达, 共计: `null`)."""
    return _PREFIX_APPROX.get(prefix or "") or _SUFFIX_APPROX.get(suffix or "")


def _is_numeral_char(c: str) -> bool:
    return c in NUMERAL_CHARS or c in "萬億"


def split_quantity(text: str) -> Quantity:
    """Cut a COUNT / MONEY surface into (prefix, number, suffix, unit); number is None when
    no numeral can be read. Text is folded first (full-width, traditional, spaces)."""
    s = fold(text or "")
    s = _THOUSANDS.sub("", s)
    prefix = None
    for _ in range(2):                  # at most two: 共计约, 达上百次
        found = None
        for p in PREFIXES:
            if not s.startswith(p) or len(s) <= len(p):
                continue
            rest = s[len(p):]
            if p in ("上", "数", "几"):
                # only as a placeholder before a unit: 上百, 数千, 几十
                if rest[0] not in SMALL_UNITS and rest[0] not in BIG_UNITS:
                    continue
            elif p == "共" and rest.startswith("计"):
                continue
            if _is_numeral_char(rest[0]) or rest[0] in PLACEHOLDERS or \
                    any(rest.startswith(q) for q in PREFIXES):
                found = p
                break
        if found is None:
            break
        s = s[len(found):]
        # the word that carries an approximation wins over a plain total word (达, 共计)
        if prefix is None or (_PREFIX_APPROX.get(found) and not _PREFIX_APPROX.get(prefix)) \
                or found in ("上", "数", "几"):
            prefix = found
    i, n = 0, len(s)
    suffix = None
    num_chars = []
    placeholder_as_prefix = prefix in ("数", "几", "上")
    while i < n:
        c = s[i]
        if _is_numeral_char(c):
            num_chars.append(c)
            i += 1
        elif c in "余多来几" and num_chars and (c != "几" or num_chars[-1] in SMALL_UNITS):
            # 510余万 / 3万多 / 十几 / 300多元: approximation inside or after the number
            suffix = suffix or c
            i += 1
        else:
            break
    number_text = "".join(num_chars)
    unit = s[i:]
    for post in POSTFIXES:                          # 10个以上, 100人左右
        if unit.endswith(post) and len(unit) > len(post):
            suffix = suffix or post
            unit = unit[: -len(post)]
            break
        if unit.startswith(post) and post in ("以上", "左右", "余", "多", "许"):
            suffix = suffix or post
            unit = unit[len(post):]
            break
    number = None
    if number_text:
        try:
            number = parse_number(("1" + number_text) if placeholder_as_prefix else number_text)
        except ValueError:
            number = None
    return Quantity(prefix, number, suffix, unit.strip("，,。.;；:：、"))
