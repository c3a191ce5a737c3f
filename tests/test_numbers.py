"""Numeral parser and quantity splitter (labels/numbers.py)."""
from decimal import Decimal

import pytest
from hypothesis import given, settings, strategies as st

from lawie.labels.numbers import (
    MAX_VALUE, Quantity, approx_of, fold, parse_number, parse_pair, split_quantity,
)

# ---------------------------------------------------------------------------------------------
# our own renderer of integers as Chinese numerals (standard form with 零 place fillers)

DIG = "零一二三四五六七八九"
FIN = "零壹贰叁肆伍陆柒捌玖"
POS = ("", "十", "百", "千")
FIN_POS = ("", "拾", "佰", "仟")


def render_section(n: int, digits: str, pos) -> str:
    out, zero = "", False
    for p in (3, 2, 1, 0):
        d = n // 10 ** p % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out += digits[0]
            zero = False
        out += digits[d] + pos[p]
    return out


def render(n: int, *, liang=False, financial=False, traditional=False, short_ten=False) -> str:
    """n < 10**12 as a Chinese numeral."""
    digits, pos = (FIN, FIN_POS) if financial else (DIG, POS)
    if n == 0:
        return digits[0]
    big = ("", "萬" if traditional else "万", "億" if traditional else "亿")
    sections = [n // 10 ** (4 * i) % 10 ** 4 for i in range(3)]
    out, gap = "", False
    for i in (2, 1, 0):
        sec = sections[i]
        if sec == 0:
            gap = gap or bool(out)
            continue
        if out and (gap or sec < 1000):
            out += digits[0]
        out += render_section(sec, digits, pos) + big[i]
        gap = False
    if liang and not financial:
        # 两 for 2 before 百 千 万 亿 (two hundred = 两百), as written in news text
        out = "".join("两" if c == "二" and out[i + 1:i + 2] in ("百", "千", "万", "亿")
                      else c for i, c in enumerate(out))
    if short_ten and out.startswith(digits[1] + pos[1]):
        out = out[1:]                                   # 一十二 -> 十二
    return out


def test_renderer_sanity():
    assert render(12, short_ten=True) == "十二"
    assert render(105) == "一百零五"
    assert render(100000005) == "一亿零五"
    assert render(1020) == "一千零二十"
    assert render(20000, liang=True) == "两万"
    assert render(13, financial=True) == "壹拾叁"


@pytest.mark.parametrize("text,value", [
    ("0", 0), ("零", 0), ("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("一千二百", 1200),
    ("两万", 20000), ("兩萬", 20000), ("二〇二五", 2025), ("一百零五", 105), ("一千零二十", 1020),
    ("3.7万", 37000), ("1.2亿", 120000000), ("510余万", 5100000), ("13万2", 132000),
    ("16.4亿", 1640000000), ("1,200", 1200), ("1，200", 1200), ("１２００", 1200),
    ("１.５万", 15000), ("一千二", 1200), ("三万五", 35000), ("两百五", 250), ("廿五", 25),
    ("十万亿", 10 ** 13), ("一亿二千万", 120000000), ("1亿2000万", 120000000),
    ("12万3千", 123000), ("三点五", 3.5), ("4000多万", 40000000), ("3万多", 30000),
    ("十几", 10), ("几十", 10), ("数千", 1000), ("上百", 100), ("壹仟贰佰", 1200),
    ("2.5", 2.5), ("157.31万", 1573100), ("5 万", 50000),
])
def test_parse_number_examples(text, value):
    got = parse_number(text)
    assert got == value
    assert isinstance(got, int) == isinstance(value, int)


@pytest.mark.parametrize("text", ["", "元", "abc", "多名", "1.2.3", "第三", "万万x", None])
def test_parse_number_rejects(text):
    with pytest.raises(ValueError):
        parse_number(text)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10 ** 12 - 1), st.booleans(), st.booleans(),
       st.booleans(), st.booleans())
def test_chinese_roundtrip(n, liang, financial, traditional, short_ten):
    text = render(n, liang=liang, financial=financial, traditional=traditional,
                  short_ten=short_ten)
    assert parse_number(text) == n, text


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10 ** 15))
def test_arabic_with_separators_roundtrip(n):
    assert parse_number(f"{n:,}") == n
    assert parse_number(str(n)) == n
    full_width = str(n).translate({ord(c): 0xFF10 + int(c) for c in "0123456789"})
    assert parse_number(full_width) == n


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=10 ** 6), st.integers(min_value=0, max_value=3),
       st.sampled_from([("万", 4), ("亿", 8), ("萬", 4), ("億", 8)]))
def test_decimal_wan_yi_exact(mantissa, places, unit):
    """3.7万, 16.4亿: exact values, never float noise."""
    word, exp = unit
    literal = str(Decimal(mantissa).scaleb(-places))
    expected = Decimal(literal) * 10 ** exp
    got = parse_number(literal + word)
    assert Decimal(str(got)) == expected
    if expected == expected.to_integral_value():
        assert isinstance(got, int)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=9999), st.sampled_from(["万", "亿"]), st.booleans())
def test_wan_yi_multiples_chinese_or_arabic(k, unit, chinese):
    head = render(k, short_ten=True) if chinese else str(k)
    assert parse_number(head + unit) == k * (10 ** 4 if unit == "万" else 10 ** 8)


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1, max_value=9999), st.integers(min_value=1, max_value=9))
def test_abbreviated_tail(k, d):
    """13万2 = 132000: a single trailing digit counts in the next lower place."""
    assert parse_number(f"{k}万{d}") == k * 10000 + d * 1000
    assert parse_number(f"{render(k, short_ten=True)}万{DIG[d]}") == k * 10000 + d * 1000


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1000, max_value=2999))
def test_digit_by_digit_years(y):
    text = "".join("〇一二三四五六七八九"[int(c)] for c in str(y))
    assert parse_number(text) == y


# ---------------------------------------------------------------------------------------------
# quantities

@pytest.mark.parametrize("text,expected,approx", [
    ("超过10万条", Quantity("超过", 100000, None, "条"), "more_than"),
    ("3.7万余条", Quantity(None, 37000, "余", "条"), "more_than"),
    ("达9.6万余人", Quantity("达", 96000, "余", "人"), "more_than"),
    ("近8万余条", Quantity("近", 80000, "余", "条"), "about"),
    ("共计1300个", Quantity("共计", 1300, None, "个"), None),
    ("上百次", Quantity("上", 100, None, "次"), "about"),
    ("达上百次", Quantity("上", 100, None, "次"), "about"),
    ("几十家", Quantity("几", 10, None, "家"), "more_than"),
    ("数千元", Quantity("数", 1000, None, "元"), "at_least"),
    ("十几人", Quantity(None, 10, "几", "人"), "more_than"),
    ("10个以上", Quantity(None, 10, "以上", "个"), "at_least"),
    ("100人左右", Quantity(None, 100, "左右", "人"), "about"),
    ("510余万元", Quantity(None, 5100000, "余", "元"), "more_than"),
    ("18.19万户次", Quantity(None, 181900, None, "户次"), None),
    ("兩項", Quantity(None, 2, None, "项"), None),
    ("超過3萬條", Quantity("超过", 30000, None, "条"), "more_than"),
    ("3.7萬(wàn)余條", Quantity(None, 37000, "余", "条"), "more_than"),
    ("5 万元", Quantity(None, 50000, None, "元"), None),
    ("不少于1,200份", Quantity("不少于", 1200, None, "份"), "at_least"),
    ("多达12家", Quantity("多达", 12, None, "家"), None),
])
def test_split_quantity(text, expected, approx):
    q = split_quantity(text)
    assert q == expected
    assert approx_of(q.prefix, q.suffix) == approx


def test_split_quantity_without_number():
    q = split_quantity("多名")
    assert q.number is None and q.unit == "名"
    assert split_quantity("").number is None


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=1, max_value=10 ** 8),
       st.sampled_from(["", "超过", "约", "近", "达", "共计", "逾"]),
       st.sampled_from(["", "余", "多"]),
       st.sampled_from(["条", "人", "家", "份", "人次", "件"]), st.booleans())
def test_split_quantity_property(n, prefix, suffix, unit, chinese):
    num = render(n, short_ten=True) if chinese else str(n)
    q = split_quantity(prefix + num + suffix + unit)
    assert q.number == n
    assert q.unit == unit
    assert q.prefix == (prefix or None)
    assert q.suffix == (suffix or None)


def test_fold():
    assert fold("發(fā)布 １２ 萬") == "发布12万"
    assert fold("個(gè)人") == "个人"
    assert fold("a  b", keep_spaces=True) == "a b"


# ---------------------------------------------------------------------------------------------
# issue 17: signs, 点 decimals, fractions, doubled units, k / w; issue 21: the value contract

@pytest.mark.parametrize("text,value", [
    ("负五", -5), ("負三點五", -3.5), ("-12", -12), ("−7", -7), ("-3.5万", -35000),
    ("十点二五", 10.25), ("两千三点一", 2300.1), ("一百点5", 100.5), ("三点五万", 35000),
    ("零点零五", 0.05), ("3点25", 3.25), (".5", 0.5), ("．２５", 0.25),
    ("五分之一", 0.2), ("3又四分之一", 3.25), ("百分之五", 0.05), ("四分之三", 0.75),
    ("三分之一", 1 / 3), ("二又二分之一", 2.5),
    ("万万", 10 ** 8), ("一万万", 10 ** 8), ("三万万", 3 * 10 ** 8), ("亿亿", 10 ** 16),
    ("一万万五千万", 150000000), ("15k", 15000), ("3w", 30000), ("2.5W", 25000), ("8K", 8000),
    ("两个亿", 200000000), ("三個億", 300000000), ("壹仟零捌拾", 1080), ("肆萬伍仟", 45000),
    ("9999999999999999", 9999999999999999), ("0.1", 0.1), ("16.4亿", 1640000000),
])
def test_parse_number_issue17_forms(text, value):
    got = parse_number(text)
    assert got == value
    assert isinstance(got, int) == isinstance(value, int)


@pytest.mark.parametrize("text", [
    "七八万", "三五百", "二五", "十五六", "亿亿亿", "万万万", "亿万", "一万亿亿", "1e400", "inf",
    "NaN", "9" * 17, "9" * 5000, "1.2345678901234567891", "点五", "三点", "1点2点3", "五分之",
    "零分之五", "又四分之一", "3又", "15kw", "负", "-", "十几点五万万万",
])
def test_parse_number_refuses_what_is_no_single_value(text):
    with pytest.raises(ValueError):
        parse_number(text)


@pytest.mark.parametrize("text,pair", [
    ("三五百", (300, 500)), ("七八万", (70000, 80000)), ("十五六万", (150000, 160000)),
    ("一两千", (1000, 2000)), ("两三百", (200, 300)), ("二三十万", (200000, 300000)),
    ("七八", (7, 8)), ("二十七八万", (270000, 280000)),
    ("七九", None), ("二五", None), ("一二三", None), ("三千", None), ("", None), ("二〇", None),
])
def test_parse_pair(text, pair):
    assert parse_pair(text) == pair


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=-10 ** 12 + 1, max_value=10 ** 12 - 1), st.booleans())
def test_signed_roundtrip(n, chinese):
    body = render(abs(n), short_ten=True) if chinese else str(abs(n))
    text = ("负" if chinese else "-") + body if n < 0 else body
    assert parse_number(text) == n


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10 ** 8), st.integers(min_value=0, max_value=99))
def test_dian_decimals(whole, frac):
    """十点二五: 点 then digits one by one, in Chinese or Arabic."""
    frac_digits = f"{frac:02d}".rstrip("0") or "0"
    text = render(whole, short_ten=True) + "点" + "".join(DIG[int(c)] for c in frac_digits)
    expected = Decimal(f"{whole}.{frac_digits}")
    got = parse_number(text)
    assert Decimal(str(got)) == expected, text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789.-负点分之又万亿千百十零一二两三四五六七八九kw", max_size=40))
def test_parse_number_contract(text):
    """Whatever the text, a value or ValueError; a value is finite, bounded and exact JSON."""
    import json
    import math
    try:
        v = parse_number(text)
    except ValueError:
        return
    assert isinstance(v, (int, float)) and math.isfinite(v) and abs(v) <= MAX_VALUE
    json.dumps(v, allow_nan=False)


def test_split_quantity_new_words():
    assert split_quantity("不到5万元") == Quantity("不到", 50000, None, "元")
    assert approx_of("不到", None) == "about"
    assert split_quantity("八千元开外") == Quantity(None, 8000, "开外", "元")
    assert approx_of(None, "开外") == "more_than"
    assert split_quantity("一万出头") == Quantity(None, 10000, "出头", "")
    assert split_quantity("两个亿条") == Quantity(None, 200000000, None, "条")
    assert split_quantity("负5条") == Quantity(None, None, None, "条")
    assert split_quantity("15k元") == Quantity(None, 15000, None, "元")


@pytest.mark.parametrize("before,after,approx", [
    ("他至少", "", "at_least"), ("不少于", "", "at_least"), ("共", "以上", "at_least"),
    ("", "左右，", "about"), ("不到", "", "about"), ("", "开外", "more_than"), ("超过", "", "more_than"),
    ("卓绝", "", "more_than"), ("达", "", None), ("", "以下", None), ("", "许", None), ("其中", "，", None),
])
def test_context_approx(before, after, approx):
    """The words around a span that set `approx` at document level, from approx_words.tsv."""
    from lawie.labels.numbers import context_approx
    assert context_approx(before, after) == approx
