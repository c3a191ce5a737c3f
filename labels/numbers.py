"""Numerals as they are written in Chinese case write-ups, and the parts of a quantity.

`parse_number` reads Arabic (1200, 1,200, 3.7, .5, full-width digits), Chinese (一千二百, 两万,
十二, 二〇二五, 零), financial and traditional forms (壹, 兩, 萬, 億) and mixed forms
(3.7万, 1.2亿, 510余万, 13万2 = 132000, 1亿2000万, 两个亿, 15k, 3w), decimals written with 点
(十点二五, 两千三点一 = 2300.1, 三点五万), fractions (五分之一, 3又四分之一, 百分之五), doubled
units (万万 = 10^8, 亿亿 = 10^16) and a sign (负, -). Exact decimal arithmetic: 16.4亿 is
1640000000, never 1640000000.0000002.

The value contract (issue 21): a value is finite, at most MAX_VALUE (10^16, 一亿亿) in
magnitude, and written exactly: a decimal that a float cannot hold digit for digit
(1.2345678901234567891) is no value, never a rounded one; only a fraction that has no finite
decimal (三分之一) is the nearest float. Anything else raises ValueError, never a guess:
two digits side by side (七八万 is a range, see `parse_pair`), a unit word repeated three
times, 1e400, inf.

`parse_pair` reads two juxtaposed digits as the range they mean: 三五百 -> (300, 500),
七八万 -> (70000, 80000), 十五六万 -> (150000, 160000).

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
from decimal import Context, Decimal, DecimalException, Inexact, InvalidOperation, Overflow, \
    localcontext
from fractions import Fraction
from functools import lru_cache
from typing import NamedTuple, Optional, Union

from lawie.labels.lexicon import table

Number = Union[int, float]

MAX_VALUE = 10 ** 16          # 一亿亿: no amount or count in a case write-up is larger
_MAX_NUMERAL = 64             # characters: no numeral is longer; a longer run is no number
# exact arithmetic: any rounding is an error, never a silently rounded value
_EXACT = Context(prec=48, traps=[Inexact, InvalidOperation, Overflow])

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
                toks.append(("num", val, len(run) == 1, len(run)))   # digit by digit: 二〇二五
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
    runs = [t for t in toks if t[0] == "num" and len(t) > 3 and t[3] >= 2]
    if has_unit and runs:
        raise ValueError("digits side by side beside a unit (七八万 is a range)")
    if not has_unit and len(runs) == 1 and len(toks) == 1 and runs[0][3] == 2:
        raise ValueError("two digits side by side (七八 is a range, not 78)")
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
    doubled = False        # the last 万/亿 was a doubled one (万万)
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
                if prev[1] == unit and not doubled:
                    total *= unit                  # 万万 = 亿, 亿亿 = 10^16
                    doubled = True
                    continue
                raise ValueError("repeated 万/亿")           # 万万万, 亿万
            doubled = False
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


_SIGN = "负負-−－"
_POINT_CHARS = "点點"
_KILO = re.compile(r"(?<=[0-9])[kK](?![A-Za-z])")
_WAN = re.compile(r"(?<=[0-9])[wW](?![A-Za-z])")
_GE_BEFORE_BIG = re.compile(r"(?<=[0-9一二两兩三四五六七八九十百千拾佰仟壹贰貳叁參肆伍陆陸柒捌玖])"
                            r"[个個](?=[余多]?[万亿萬億])")          # 两个亿, 三个多亿
_FRACTION_DIGITS = re.compile(r"^([0-9〇零一二三四五六七八九壹贰貳叁參肆伍陆陸柒捌玖]+)(万万|亿亿|万亿|万|亿)?$")


def _prepare(text: str) -> str:
    """Width-folded numeral without spaces, thousands separators, 萬/億, 廿, 个 before 亿,
    k / w (15k, 3w) or approximation marks."""
    s = unicodedata.normalize("NFKC", str(text))
    s = _SPACE.sub("", s)
    s = _THOUSANDS.sub("", s)
    s = s.replace("萬", "万").replace("億", "亿")
    for short, long_ in _SHORTCUT_TEXT.items():
        s = s.replace(short, long_)
    s = _KILO.sub("千", s)
    s = _WAN.sub("万", s)
    s = _GE_BEFORE_BIG.sub("", s)
    return "".join(ch for ch in s if ch not in APPROX_MARKS)


def _plain(s: str) -> Decimal:
    """An unsigned numeral without fraction words: 3.7万, 一千二, 十点二五, 三点五万, .5"""
    if s.startswith("."):
        s = "0" + s
    points = [i for i, ch in enumerate(s) if ch in _POINT_CHARS]
    if not points:
        return _evaluate(_tokens(s))
    if len(points) > 1:
        raise ValueError("two decimal points")
    left, right = s[: points[0]], s[points[0] + 1:]
    m = _FRACTION_DIGITS.match(right)
    if not left or not m or "." in left or any(c in PLACEHOLDERS for c in left):
        raise ValueError("not a decimal")
    whole = _evaluate(_tokens(left))
    if m.group(2) and any(c in BIG_UNITS for c in left):
        raise ValueError("万/亿 on both sides of the point")
    digits = "".join(str(DIGITS[ch]) if ch in DIGITS else ch for ch in m.group(1))
    value = whole + Decimal("0." + digits)
    for u in m.group(2) or "":                            # 三点五万
        value *= BIG_UNITS[u]
    return value


def _fraction(s: str) -> Fraction:
    """五分之一, 百分之五, 3又四分之一"""
    whole = Fraction(0)
    if "又" in s:
        head, s = s.split("又", 1)
        whole = Fraction(_plain(head))
        if "分之" not in s:
            raise ValueError("又 without a fraction")
    den, num = s.split("分之", 1)
    d, n = Fraction(_plain(den)), Fraction(_plain(num))
    if d == 0:
        raise ValueError("fraction over zero")
    return whole + n / d


def as_number(value) -> Number:
    """A Decimal (or Fraction) as the int or float of the output, under the value contract:
    ValueError when it is not finite, beyond MAX_VALUE, or not exactly a float."""
    with localcontext(_EXACT):
        try:
            return _finish(value)
        except (ArithmeticError, DecimalException) as exc:
            raise ValueError("not a value of the contract") from exc


def _finish(value) -> Number:
    """int when integral, else float; ValueError for what the value contract refuses."""
    if isinstance(value, Fraction):
        if value.denominator == 1:
            value = Decimal(value.numerator)
        else:
            den = value.denominator
            for p in (2, 5):
                while den % p == 0:
                    den //= p
            if den == 1:                                  # a finite decimal: exact
                value = Decimal(value.numerator) / Decimal(value.denominator)
            else:                                         # 三分之一: the nearest float
                if abs(value) > MAX_VALUE:
                    raise ValueError("too large")
                return float(value)
    if not value.is_finite() or abs(value) > MAX_VALUE:
        raise ValueError("not a finite value within the contract's bound")
    if value == value.to_integral_value():
        return int(value)
    f = float(value)
    if Decimal(repr(f)) != value:
        raise ValueError("more digits than a float holds exactly")
    return f


def parse_number(text: str) -> Number:
    """The value of a numeral; int when it is integral. Raises ValueError when `text` is not a
    numeral, or not one value (七八万), or outside the value contract (module docstring).
    Approximation marks inside (510余万, 3万多) and placeholders (数千, 几十, 上百,
    十几) are read as the round number they start from."""
    if text is None:
        raise ValueError("no numeral (None)")
    s = _prepare(text)
    if not s or len(s) > _MAX_NUMERAL:
        raise ValueError(f"not a numeral: {str(text)[:40]!r}")
    sign = 1
    if s[0] in _SIGN:
        sign, s = -1, s[1:]
    try:
        with localcontext(_EXACT):
            if "分之" in s:
                value = _fraction(s) * sign
            else:
                value = _plain(s) * sign
            return _finish(value)
    except (ArithmeticError, DecimalException, ValueError, KeyError, IndexError) as exc:
        raise ValueError(f"not a numeral: {str(text)[:40]!r}") from exc


_PAIR = re.compile(r"^(?P<head>.*?[十百千万亿拾佰仟])?(?P<a>[一二两三四五六七八九])"
                   r"(?P<b>[一二两三四五六七八九])(?P<tail>[十百千万亿拾佰仟]*)$")


def parse_pair(text: str):
    """(low, high) of two juxtaposed digits, 三五百 -> (300, 500), 七八万 -> (70000, 80000),
    十五六万 -> (150000, 160000), 一两千 -> (1000, 2000); None for anything else. Only
    neighbouring digits (七八) and the idiom 三五 make a pair: 二五 or 七九 is none."""
    try:
        s = _prepare(text or "")
    except Exception:  # noqa: BLE001
        return None
    m = _PAIR.match(s)
    if not m:
        return None
    a, b = DIGITS[m.group("a")], DIGITS[m.group("b")]
    if not (b == a + 1 or (a, b) == (3, 5)):
        return None
    head, tail = m.group("head") or "", m.group("tail")
    try:
        return (parse_number(head + m.group("a") + tail), parse_number(head + m.group("b") + tail))
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------------
# quantities

class Quantity(NamedTuple):
    prefix: Optional[str]   # approximation / total word before the number (超过, 约, 达, 数 ...)
    number: Optional[Number]
    suffix: Optional[str]   # 余 / 多 / 几 inside or after the number, 以上 / 左右 after it
    unit: str               # what follows: measure word, 元, 万元 is number 万 + unit 元

def _approx_table():
    """{position: {word: approx or None}} of labels/data/lexicon/approx_words.tsv."""
    out = {"before": {}, "after": {}, "inside": {}, "placeholder": {}}
    for word, positions, approx in table("approx_words.tsv", ("word", "position", "approx")):
        for pos in positions.split(","):
            out[pos.strip()][word] = None if approx == "-" else approx
    return out


_APPROX = _approx_table()
PLACEHOLDER_WORDS = tuple(_APPROX["placeholder"])            # 上百, 数千, 几十
PREFIXES = sorted(set(_APPROX["before"]) | set(PLACEHOLDER_WORDS), key=len, reverse=True)
INSIDE_MARKS = "".join(w for w in _APPROX["inside"] if len(w) == 1)   # 510余万, 十几, 十来个
POSTFIXES = tuple(sorted(set(_APPROX["after"]) | {"余", "多", "许"}, key=len, reverse=True))
_LEADING_POSTFIXES = ("以上", "左右", "余", "多", "许")        # 10万以上元: rare, read as before
_PREFIX_APPROX = {**_APPROX["before"], **_APPROX["placeholder"]}
_SUFFIX_APPROX = {**_APPROX["inside"], **_APPROX["after"]}


def approx_of(prefix: Optional[str], suffix: Optional[str]) -> Optional[str]:
    """The `approx` value of ANNOTATION.md for a prefix / suffix pair; the prefix wins
    (近10万余条 is `about`) unless it is a plain total word (达, 共计: `null`)."""
    return _PREFIX_APPROX.get(prefix or "") or _SUFFIX_APPROX.get(suffix or "")


def context_approx(before: str, after: str) -> Optional[str]:
    """The `approx` that the words right around a COUNT / MONEY span give, the span itself
    saying none (ANNOTATION.md: 以上 / 至少 / 不少于 stay outside the span): the longest word of
    approx_words.tsv (position before) that `before` ends with, else the longest (position after)
    that `after` starts with; words without an approx (达, 共计, 以下) give none. For the output's
    document-level rule (至少5人, 10个以上, 不到5万元, 八千元开外)."""
    before = fold(before or "")
    after = fold(after or "")
    for word in _CONTEXT_BEFORE:
        if before.endswith(word):
            return _APPROX["before"][word]
    for word in _CONTEXT_AFTER:
        if after.startswith(word):
            return _APPROX["after"][word]
    return None


_CONTEXT_BEFORE = tuple(sorted((w for w, a in _APPROX["before"].items() if a), key=len, reverse=True))
_CONTEXT_AFTER = tuple(sorted((w for w, a in _APPROX["after"].items() if a and len(w) > 1),
                              key=len, reverse=True))


def _is_numeral_char(c: str) -> bool:
    return c in NUMERAL_CHARS or c in "萬億"


def split_quantity(text: str) -> Quantity:
    """Cut a COUNT / MONEY surface into (prefix, number, suffix, unit); number is None when
    no numeral can be read (or it is negative: no count or amount is). Text is folded first
    (full-width, traditional, spaces)."""
    return split_numeral(text)[0]


def split_numeral(text: str):
    """(Quantity, numeral text as written) of split_quantity; the numeral text is what a
    caller reads as a pair (七八万) when it is no single number."""
    s = fold(text or "")
    s = _THOUSANDS.sub("", s)
    s = _KILO.sub("千", s)
    s = _WAN.sub("万", s)
    s = _GE_BEFORE_BIG.sub("", s)
    prefix = None
    for _ in range(2):                  # at most two: 共计约, 达上百次
        found = None
        for p in PREFIXES:
            if not s.startswith(p) or len(s) <= len(p):
                continue
            rest = s[len(p):]
            if p in PLACEHOLDER_WORDS:
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
                or found in PLACEHOLDER_WORDS:
            prefix = found
    negative = bool(s) and s[0] in _SIGN and len(s) > 1 and \
        (_is_numeral_char(s[1]) or s[1] == ".")
    if negative:
        s = s[1:]                       # 负5条: a negative count or amount is none
    i, n = 0, len(s)
    suffix = None
    num_chars = []
    placeholder_as_prefix = prefix in PLACEHOLDER_WORDS
    while i < n:
        c = s[i]
        if _is_numeral_char(c) or (c == "." and i + 1 < n and s[i + 1].isdigit()):
            num_chars.append(c)
            i += 1
        elif c in INSIDE_MARKS and num_chars and (c != "几" or num_chars[-1] in SMALL_UNITS):
            # 510余万 / 3万多 / 十几 / 300多元: approximation inside or after the number
            suffix = suffix or c
            i += 1
        else:
            break
    number_text = "".join(num_chars)
    unit = s[i:]
    for post in POSTFIXES:                          # 10个以上, 100人左右, 3000元开外
        if unit.endswith(post) and (len(unit) > len(post) or number_text):
            suffix = suffix or post
            unit = unit[: -len(post)]
            break
        if unit.startswith(post) and post in _LEADING_POSTFIXES:
            suffix = suffix or post
            unit = unit[len(post):]
            break
    number = None
    if number_text and not negative:
        try:
            number = parse_number(("1" + number_text) if placeholder_as_prefix else number_text)
        except ValueError:
            number = None
    return Quantity(prefix, number, suffix, unit.strip("，,。.;；:：、")), number_text
