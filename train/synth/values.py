"""Surface forms of numbers, counts, money and dates, each rendered together with its `norm`.

The generator decides the VALUE first (37000, more_than) and then picks one of many ways of writing
it ("3.7万余条", "三万七千余条", "37,000余条"); the norm is therefore known, never re-parsed.
"""
import calendar
import datetime as _dt

DIGITS = "零一二三四五六七八九"
SMALL_UNITS = ("", "十", "百", "千")


def _cn_below_10000(n: int, two: bool) -> str:
    """Chinese numeral for 0 < n < 10000 (一千二百, 三十五, 一千零五)."""
    s, zero = "", False
    for pos in (3, 2, 1, 0):
        d = n // 10 ** pos % 10
        if d == 0:
            if s:
                zero = True
            continue
        if zero:
            s += "零"
            zero = False
        ch = DIGITS[d]
        if d == 2 and two and pos >= 2:
            ch = "两"
        s += ch + SMALL_UNITS[pos]
    if s.startswith("一十"):
        s = s[1:]
    return s


def cn_int(n: int, two: bool = False) -> str:
    """Chinese numeral for a non-negative int (两万, 三万七千, 一亿二千万, 一千二百)."""
    if n == 0:
        return "零"
    parts, unit_words = [], ("", "万", "亿")
    i = 0
    while n:
        n, chunk = divmod(n, 10000)
        parts.append((chunk, unit_words[i]))
        i += 1
    s = ""
    prev_zero = False
    for idx, (chunk, word) in enumerate(reversed(parts)):
        if chunk == 0:
            prev_zero = True
            continue
        txt = _cn_below_10000(chunk, two)
        if s and (prev_zero or chunk < 1000):
            s += "零"
        if s and txt.startswith("十"):
            txt = "一" + txt
        s += txt + word
        prev_zero = False
    if two and s.startswith("二") and len(s) > 1 and s[1] in "千万亿百":
        s = "两" + s[1:]
    return s


def _fmt_dec(x: float) -> str:
    s = f"{x:.2f}".rstrip("0").rstrip(".")
    return s


def render_number(v: int, rng, allow_cn=True, allow_comma=True, allow_wan=True) -> str:
    """One way of writing the integer v: 37000, 3.7万, 三万七千, 37,000, 1.2亿."""
    opts = ["arabic"]
    if allow_wan and v >= 10000 and v % 100 == 0:
        opts += ["wan", "wan"]
    if allow_wan and v >= 10 ** 8 and v % 10 ** 6 == 0:
        opts.append("yi")
    if allow_cn and (v < 100 or (v % 100 == 0 and v < 10 ** 9)):
        opts.append("cn")
    if allow_comma and 1000 <= v < 10 ** 6:
        opts.append("comma")
    o = rng.choice(opts)
    if o == "wan":
        return _fmt_dec(v / 10000) + "万"
    if o == "yi":
        return _fmt_dec(v / 10 ** 8) + "亿"
    if o == "cn":
        return cn_int(v, two=rng.random() < 0.5)
    if o == "comma":
        return f"{v:,}"
    return str(v)


def round_value(rng, lo: int, hi: int) -> int:
    """A plausible 'round-ish' value as found in case write-ups (37000, 1200, 96000, 18)."""
    v = rng.randint(lo, hi)
    if v >= 100000:
        mag = 10 ** (len(str(v)) - 2)
    elif v >= 1000:
        mag = 10 ** (len(str(v)) - rng.choice((2, 2, 3)))
    else:
        return v
    return max(lo, v // mag * mag)


# approximation words inside the span -> approx value (ANNOTATION.md, edge cases)
PREFIX_IN = {"超过": "more_than", "超": "more_than", "逾": "more_than", "近": "about", "约": "about",
             "多达": None, "达": None, "共计": None}
PREFIX_OUT = ("高达", "累计", "总计", "合计", "一共", "")


def _two(unit: str, rng) -> str:
    """2 before a measure word is 两 (两家, 两项); for people 二 too (李某、吴某二人)."""
    return "二" if unit == "人" and rng.random() < 0.5 else "两"


def render_count(v: int, unit: str, rng, approx_kind=None):
    """Return (span_text, norm, outside_prefix) for a COUNT of v units.

    approx_kind: None (exact), "more_than", "about", "at_least" chooses the family of forms.
    """
    pre_out = ""
    if approx_kind == "at_least" and v in (1000, 10000) and unit in "条份人次个名":
        word = "数千" if v == 1000 else "数万"
        return word + unit, {"value": v, "unit": unit, "approx": "at_least"}, ""
    if approx_kind == "about" and v == 100 and unit in "次人家条":
        return "上百" + unit, {"value": 100, "unit": unit, "approx": "about"}, ""
    num = render_number(v, rng, allow_cn=v < 100000)
    if num == "二":
        num = _two(unit, rng)
    if approx_kind == "more_than":
        r = rng.random()
        if r < 0.6 and (num[-1] in "0万亿千百十"):
            suffix = rng.choice(("余", "余", "余", "多"))
            pre = rng.choice(("", "", "", "共计", "达", "多达"))
            return pre + num + suffix + unit, {"value": v, "unit": unit, "approx": "more_than"}, ""
        pre = rng.choice(("超过", "超", "逾"))
        return pre + num + unit, {"value": v, "unit": unit, "approx": "more_than"}, ""
    if approx_kind == "about":
        pre = rng.choice(("近", "约"))
        return pre + num + unit, {"value": v, "unit": unit, "approx": "about"}, ""
    r = rng.random()
    pre = ""
    if r < 0.15:
        pre = rng.choice(("共计", "达", "多达"))
    elif r < 0.25:
        pre_out = rng.choice(PREFIX_OUT[:4])
    return pre + num + unit, {"value": v, "unit": unit, "approx": None}, pre_out


def render_small(n: int, unit: str, rng) -> tuple[str, dict]:
    """A small count as prose writes it: 两家, 四方面, 三人, 10人; 2 people are also 二人
    (李某、吴某二人)."""
    if n == 2:
        txt = _two(unit, rng)
    elif n < 10 or rng.random() < 0.5:
        txt = cn_int(n)
    else:
        txt = str(n)
    return txt + unit, {"value": n, "unit": unit, "approx": None}


CURRENCY_WORDS = {"CNY": ("人民币", ""), "USD": ("", "美元"), "HKD": ("", "港元"), "TWD": ("新台币", ""),
                  "EUR": ("", "欧元")}


def _money_num(v: int, rng, cn_ok=True):
    """Write v yuan as (number, unit word): (5, 万元), (3000, 元), (1.2, 万元), (三千, 元)."""
    opts = []
    if v >= 10000 and v % 100 == 0:
        opts += ["wan", "wan", "wan"]
    if v >= 10 ** 8 and v % 10 ** 6 == 0:
        opts.append("yi")
    opts.append("yuan")
    if cn_ok and v % 100 == 0 and v < 10 ** 9:
        opts.append("cn")
    o = rng.choice(opts)
    if o == "wan":
        return _fmt_dec(v / 10000), "万"
    if o == "yi":
        return _fmt_dec(v / 10 ** 8), "亿"
    if o == "cn":
        if v >= 10000 and v % 10000 == 0 and rng.random() < 0.6:
            return cn_int(v // 10000, two=rng.random() < 0.5), "万"
        return cn_int(v, two=rng.random() < 0.5), ""
    if v >= 1000 and rng.random() < 0.2:
        return f"{v:,}", ""
    return str(v), ""


def render_money(v: int, rng, currency="CNY", approx_kind=None, no_yuan=False):
    """Return (outside_prefix, span_text, norm) for a single amount."""
    num, mult = _money_num(v, rng)
    pre_in = ""
    approx = None
    suffix = ""
    if approx_kind == "more_than":
        if mult or num.isdigit() and num.endswith("0"):
            suffix = "余" if rng.random() < 0.75 else "多"
            approx = "more_than"
        else:
            pre_in = rng.choice(("超过", "超", "逾"))
            approx = "more_than"
    elif approx_kind == "about":
        pre_in = rng.choice(("近", "约"))
        approx = "about"
    elif rng.random() < 0.1:
        pre_in = rng.choice(("共计", "达"))
    cur_pre, cur_post = CURRENCY_WORDS[currency]
    yuan = cur_post or "元"
    if no_yuan and mult and currency == "CNY":
        yuan = ""
    span = pre_in + num + mult + suffix + yuan
    out_pre = cur_pre if (cur_pre and (currency != "CNY" or rng.random() < 0.3)) else ""
    return out_pre, span, {"value": v, "currency": currency, "approx": approx}


def render_money_range(lo: int, hi: int, rng, currency="CNY"):
    """80至300元, 1万元以上10万元 (以下 stays out), 2万至5万元, 三万元至五万元."""
    cur_pre, cur_post = CURRENCY_WORDS[currency]
    end_word = cur_post or "元"
    style = rng.choice(("zhi", "zhi", "yishang", "dash"))
    if lo % 10000 == 0 and hi % 10000 == 0 and rng.random() < 0.7:
        a = _fmt_dec(lo / 10000) if rng.random() < 0.7 else cn_int(lo // 10000)
        b = _fmt_dec(hi / 10000) if a[0].isdigit() else cn_int(hi // 10000)
        a_u, b_u = "万", "万"
    else:
        a, b, a_u, b_u = str(lo), str(hi), "", ""
    if style == "yishang":
        span = f"{a}{a_u}{end_word}以上{b}{b_u}{end_word}"
        after = "以下"
    elif style == "dash" and a[0].isdigit():
        span = f"{a}{a_u}-{b}{b_u}{end_word}"
        after = ""
    else:
        omit = a_u == b_u and a[0].isdigit() and rng.random() < 0.5
        first = f"{a}{a_u}{end_word}" if rng.random() < 0.4 else f"{a}{'' if omit else a_u}"
        span = f"{first}{rng.choice(('至', '到'))}{b}{b_u}{end_word}"
        after = ""
    out_pre = cur_pre if cur_pre and currency != "CNY" else ""
    return out_pre, span, after, {"min": lo, "max": hi, "currency": currency, "approx": None}


# ---------------------------------------------------------------- dates

class DateVal:
    """A calendar point or range with granularity; `kind` marks 初/底/上旬/上半年 forms."""

    __slots__ = ("y", "m", "d", "y2", "m2", "d2", "kind")

    def __init__(self, y, m=None, d=None, y2=None, m2=None, d2=None, kind=None):
        self.y, self.m, self.d = y, m, d
        self.y2, self.m2, self.d2 = y2, m2, d2
        self.kind = kind

    @property
    def is_range(self):
        return self.y2 is not None

    def date(self):
        return _dt.date(self.y, self.m or 1, self.d or 1)


# the notation only (values are chosen here, never parsed back)
from lawie.labels.values import iso_date as iso  # noqa: E402


def date_norm(v: DateVal) -> dict:
    if v.kind == "h1":
        return {"start": iso(v.y, 1), "end": iso(v.y, 6)}
    if v.kind == "h2":
        return {"start": iso(v.y, 7), "end": iso(v.y, 12)}
    s = iso(v.y, v.m, v.d)
    e = iso(v.y2, v.m2, v.d2) if v.is_range else s
    return {"start": s, "end": e}


def random_day(rng, y, m):
    return rng.randint(1, calendar.monthrange(y, m)[1])


def _md(m, d, rng):
    return f"{m}月{d}日" if d else f"{m}月"


def relative_words(unit: str, read: str) -> list:
    """[(word, offset)] of labels/data/lexicon/relative_dates.tsv (what the normalizer reads)."""
    from lawie.labels.lexicon import table
    return [(w, int(o)) for w, u, r, o, *_ in table("relative_dates.tsv") if u == unit and r == read]


def render_date(v: DateVal, anchor, rng, allow_relative=True):
    """Write v given the resolution anchor (year, month, day) of the preceding DATE (or None).

    Returns (text, norm, new_anchor). Year-less and 同年/次年 forms only when they resolve to v.
    """
    norm = date_norm(v)
    ay = anchor[0] if anchor else None
    same_year = ay == v.y
    if v.kind in ("h1", "h2"):
        word = "上半年" if v.kind == "h1" else "下半年"
        if allow_relative and same_year and rng.random() < 0.3:
            return "同年" + word, norm, (v.y, None, None)
        return f"{v.y}年{word}", norm, (v.y, None, None)
    if v.kind == "early":  # 2022年初 -> 2022 ; 2023年2月初 -> 2023-02
        if v.m:
            return f"{v.y}年{v.m}月初", norm, (v.y, v.m, None)
        return f"{v.y}年{rng.choice(('初', '年初'))}", norm, (v.y, None, None)
    if v.kind in ("late", "xun"):
        tail = rng.choice(("底", "末")) if v.kind == "late" else rng.choice(("上旬", "中旬", "下旬"))
        if v.m is None:
            return f"{v.y}年{rng.choice(('底', '年底'))}", {"start": iso(v.y, 12), "end": iso(v.y, 12)}, (v.y, 12, None)
        if allow_relative and same_year and rng.random() < 0.5:
            return f"{v.m}月{tail}", norm, (v.y, v.m, None)
        return f"{v.y}年{v.m}月{tail}", norm, (v.y, v.m, None)
    if v.is_range:
        sep = rng.choice(("至", "至", "至", "到", "-")) if v.m is not None else rng.choice(("至", "-", "到"))
        if v.m is None:
            txt = f"{v.y}年{sep}{v.y2}年" if rng.random() < 0.7 else f"{v.y}{sep}{v.y2}年"
        elif v.y == v.y2 and v.d is None and v.d2 is None:
            r = rng.random()
            if r < 0.4:
                txt = f"{v.y}年{v.m}月{sep}{v.m2}月"
            elif r < 0.6:
                txt = f"{v.y}年{v.m}{sep if sep != '-' else '至'}{v.m2}月"
            elif r < 0.7 and allow_relative and same_year:
                txt = f"{v.m}月{sep}{v.m2}月"
            else:
                txt = f"{v.y}年{v.m}月{sep}{v.y2}年{v.m2}月"
        elif v.y == v.y2 and v.d is not None and v.d2 is not None:
            r = rng.random()
            if r < 0.5:
                txt = f"{v.y}年{v.m}月{v.d}日{sep}{v.m2}月{v.d2}日"
            elif r < 0.7:
                txt = f"{v.y}年{v.m}月{v.d}日{sep}同年{v.m2}月{v.d2}日"
            else:
                txt = f"{v.y}年{v.m}月{v.d}日{sep}{v.y2}年{v.m2}月{v.d2}日"
        else:
            txt = f"{v.y}年{_md(v.m, v.d, rng)}{sep}{v.y2}年{_md(v.m2, v.d2, rng)}"
        new_anchor = (v.y2, v.m2, v.d2) if v.y == v.y2 else None
        return txt, norm, new_anchor
    # points
    new_anchor = (v.y, v.m, v.d)
    if v.m is None:
        if allow_relative and ay is not None and ay + 1 == v.y and rng.random() < 0.4:
            return "次年", norm, new_anchor
        return f"{v.y}年", norm, new_anchor
    if allow_relative and anchor and anchor[2] and v.d is not None:
        prev = _dt.date(*anchor)
        delta = (v.date() - prev).days
        if delta == 0 and rng.random() < 0.5:
            return "同日", norm, new_anchor
        if delta == 1 and rng.random() < 0.6:
            return rng.choice(("次日", "第二日", "第二天")), norm, new_anchor
    md = _md(v.m, v.d, rng)
    if v.d is None and rng.random() < 0.08:
        md += "份"                                    # 2023年3月份: 月份 belongs to the DATE
    if allow_relative and same_year:
        r = rng.random()
        if r < 0.45:
            return md, norm, new_anchor
        if r < 0.65:
            return "同年" + md, norm, new_anchor
    if allow_relative and ay is not None and ay + 1 == v.y and rng.random() < 0.35:
        return "次年" + md, norm, new_anchor
    return f"{v.y}年{md}", norm, new_anchor


def header_date(v: DateVal, rng):
    """Publication timestamps: 2026-01-26, 2026年01月26日, 2026/01/26 (time of day outside)."""
    r = rng.random()
    if r < 0.6:
        txt = f"{v.y}-{v.m:02d}-{v.d:02d}"
    elif r < 0.8:
        txt = f"{v.y}年{v.m:02d}月{v.d:02d}日"
    else:
        txt = f"{v.y}年{v.m}月{v.d}日"
    tod = f" {rng.randint(7, 22):02d}:{rng.randint(0, 59):02d}" + (f":{rng.randint(0, 59):02d}" if rng.random() < 0.5 else "")
    return txt, date_norm(v), tod if rng.random() < 0.7 else ""


# ---------------------------------------------------------------------------------------------
# criminal outcomes (guideline version 2): terms of a SENTENCE

def render_term(months, rng, days=None) -> str:
    """A term as judgments write it: 一年十个月, 1年6个月, 八个月, 二年, 一年半; days: 十日 / 15日.
    `months` is an int; `days` (instead of months) an int of days."""
    arabic = rng.random() < 0.3
    num = (lambda n: str(n)) if arabic else (lambda n: cn_int(n, two=rng.random() < 0.2))
    if days is not None:
        return num(days) + rng.choice(("日", "日", "天"))
    y, m = divmod(months, 12)
    if y and m == 6 and not arabic and rng.random() < 0.3:
        return num(y) + "年半"
    out = num(y) + "年" if y else ""
    if m:
        out += num(m) + rng.choice(("个月", "个月", "个月", "月") if y else ("个月",))
    return out


TERM_MONTHS = (6, 8, 9, 10, 12, 14, 18, 20, 22, 24, 27, 30, 36, 42, 48, 51, 60, 84, 96, 120, 144)
PROBATION_MONTHS = (12, 18, 24, 36, 48, 60)
