"""Value normalizers (labels/values.py) against the seed table and the rules of ANNOTATION.md."""
import datetime as dt
import json
import math
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import assume, given, settings, strategies as st

from lawie.labels import numbers
from lawie.labels.schema import ACTION_KINDS, AGENCY_KINDS, ENTITY_TYPES, PARTY_KINDS
from lawie.labels.values import normalize, normalize_entities

TABLE = Path(__file__).parent / "data" / "seed_values.tsv"
SEEDS = Path(__file__).resolve().parent.parent / "corpus" / "seeds"


def _table_rows():
    rows = []
    for n, line in enumerate(TABLE.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#") or line.startswith("type\t"):
            continue
        type_, text, anchor, doc_date, norm, source = line.split("\t")
        rows.append(pytest.param(type_, text, anchor or None, doc_date or None, json.loads(norm),
                                 id=f"{n}:{type_}:{text}"))
    return rows


ROWS = _table_rows()


@pytest.mark.parametrize("type_,text,anchor,doc_date,expected", ROWS)
def test_seed_table(type_, text, anchor, doc_date, expected):
    assert normalize(type_, text, anchor=anchor, doc_date=doc_date) == expected


def test_seed_table_spans_occur_in_the_seeds():
    """Every span of the table that is marked as coming from a seed is really in that seed."""
    texts = {p.name[:3]: p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")}
    checked = 0
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 6 and parts[5].startswith("seed"):
            seed = parts[5][4:7]
            assert parts[1] in texts[seed], (seed, parts[1])
            checked += 1
    assert checked >= 90


def test_seed_table_covers_every_type():
    types = {p.values[0] for p in ROWS}
    assert types == {"DATE", "COUNT", "MONEY"}
    assert len(ROWS) >= 150


# ---------------------------------------------------------------------------------------------
# DATE

def test_date_granularity_and_modifiers():
    assert normalize("DATE", "2024年12月底") == {"start": "2024-12", "end": "2024-12"}
    assert normalize("DATE", "2023年2月初") == {"start": "2023-02", "end": "2023-02"}
    assert normalize("DATE", "2023年2月中旬") == {"start": "2023-02", "end": "2023-02"}
    assert normalize("DATE", "2022年初") == {"start": "2022", "end": "2022"}
    assert normalize("DATE", "2015年年底") == {"start": "2015-12", "end": "2015-12"}
    assert normalize("DATE", "2017年上半年") == {"start": "2017-01", "end": "2017-06"}
    assert normalize("DATE", "2020年12月28") == {"start": "2020-12-28", "end": "2020-12-28"}


def test_date_forms_that_need_folding():
    assert normalize("DATE", "２０２５年３月１４日") == {"start": "2025-03-14", "end": "2025-03-14"}
    assert normalize("DATE", "2025 年 3 月") == {"start": "2025-03", "end": "2025-03"}
    assert normalize("DATE", "次(cì)日", anchor="2025-03-14") == \
        {"start": "2025-03-15", "end": "2025-03-15"}
    assert normalize("DATE", "2025年3月14日(星期五)上午") == \
        {"start": "2025-03-14", "end": "2025-03-14"}


def test_date_relative_words():
    assert normalize("DATE", "同年", anchor="2019-05-02") == {"start": "2019", "end": "2019"}
    assert normalize("DATE", "次年3月", anchor="2019-05-02") == {"start": "2020-03", "end": "2020-03"}
    assert normalize("DATE", "去年12月19日", doc_date="2024-02-01") == \
        {"start": "2023-12-19", "end": "2023-12-19"}
    assert normalize("DATE", "去年12月19日") == {"start": None, "end": None}
    # 今年 follows the document date, not the anchor, when both are known
    assert normalize("DATE", "今年8月", anchor="2019-03", doc_date="2024-02-01") == \
        {"start": "2024-08", "end": "2024-08"}
    assert normalize("DATE", "同日", anchor="2024-02") == {"start": None, "end": None}
    assert normalize("DATE", "次日", anchor="2024-02-29") == \
        {"start": "2024-03-01", "end": "2024-03-01"}
    assert normalize("DATE", "两个月后", anchor="2024-11") == {"start": "2025-01", "end": "2025-01"}
    assert normalize("DATE", "6日", anchor="2023-09-01") == \
        {"start": "2023-09-06", "end": "2023-09-06"}
    assert normalize("DATE", "6日", anchor="2023") == {"start": None, "end": None}


def test_date_ranges():
    assert normalize("DATE", "2021年7月至2025年3月") == {"start": "2021-07", "end": "2025-03"}
    assert normalize("DATE", "2021年4月到7月") == {"start": "2021-04", "end": "2021-07"}
    assert normalize("DATE", "2017年至2018年") == {"start": "2017", "end": "2018"}
    assert normalize("DATE", "2023年1-5月") == {"start": "2023-01", "end": "2023-05"}
    assert normalize("DATE", "2023.1.5-2023.2.6") == {"start": "2023-01-05", "end": "2023-02-06"}
    assert normalize("DATE", "2023-01-05") == {"start": "2023-01-05", "end": "2023-01-05"}
    assert normalize("DATE", "2021年7月至今", doc_date="2024-01-02") == \
        {"start": "2021-07", "end": "2024-01-02"}


@pytest.mark.parametrize("text", ["近日", "日前", "目前", "十二年", "半年内", "14岁以下", "星期三",
                                  "2025年2月30日", "2025年0月", "", "   ", "年"])
def test_date_unresolvable_is_null(text):
    assert normalize("DATE", text, anchor="2025-03-14") == {"start": None, "end": None}


@settings(max_examples=150, deadline=None)
@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2035, 12, 31)),
       st.sampled_from(["ymd", "ym", "y", "iso", "slash", "cn"]))
def test_date_point_property(d, style):
    cn = "".join("〇一二三四五六七八九"[int(c)] for c in str(d.year))
    text, start = {
        "ymd": (f"{d.year}年{d.month}月{d.day}日", d.isoformat()),
        "ym": (f"{d.year}年{d.month}月", d.isoformat()[:7]),
        "y": (f"{d.year}年", str(d.year)),
        "iso": (d.isoformat() + " 08:30:00", d.isoformat()),
        "slash": (f"{d.year}/{d.month}/{d.day}", d.isoformat()),
        "cn": (f"{cn}年{numbers_cn(d.month)}月{numbers_cn(d.day)}日", d.isoformat()),
    }[style]
    assert normalize("DATE", text) == {"start": start, "end": start}


def numbers_cn(n: int) -> str:
    tens, ones = divmod(n, 10)
    return ("" if tens == 0 else ("十" if tens == 1 else "一二三"[tens - 1] + "十")) + \
        ("" if ones == 0 else "一二三四五六七八九"[ones - 1])


@settings(max_examples=100, deadline=None)
@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 12, 31)),
       st.integers(min_value=0, max_value=40))
def test_date_day_offsets(anchor, k):
    expect = (anchor + dt.timedelta(days=k)).isoformat()
    assert normalize("DATE", f"{k}天后", anchor=anchor.isoformat())["start"] == expect
    assert normalize("DATE", "次日", anchor=anchor.isoformat())["start"] == \
        (anchor + dt.timedelta(days=1)).isoformat()


# ---------------------------------------------------------------------------------------------
# COUNT / MONEY

def test_count_and_money_shapes():
    assert normalize("COUNT", "3.7万余条") == {"value": 37000, "unit": "条", "approx": "more_than"}
    assert normalize("COUNT", "100万-400万条") == \
        {"min": 1000000, "max": 4000000, "unit": "条", "approx": None}
    assert normalize("COUNT", "10至20人") == {"min": 10, "max": 20, "unit": "人", "approx": None}
    assert normalize("MONEY", "80至300元") == \
        {"min": 80, "max": 300, "currency": "CNY", "approx": None}
    assert normalize("MONEY", "三万元至一万元") == \
        {"min": 10000, "max": 30000, "currency": "CNY", "approx": None}
    assert normalize("MONEY", "2万元以上、20万元以下") == \
        {"min": 20000, "max": 200000, "currency": "CNY", "approx": None}
    assert normalize("MONEY", "获利3.6万"[2:]) == {"value": 36000, "currency": "CNY", "approx": None}
    assert normalize("MONEY", "5000万港币")["currency"] == "HKD"
    assert normalize("MONEY", "30萬元") == normalize("MONEY", "30万元")
    assert normalize("COUNT", "１２００余條") == normalize("COUNT", "1200余条")


def test_spun_units_are_undone():
    assert normalize("COUNT", "9.6万余东说念主") == {"value": 96000, "unit": "人", "approx": "more_than"}
    assert normalize("COUNT", "450东说念主次")["unit"] == "人次"


@pytest.mark.parametrize("type_", ["COUNT", "MONEY"])
@pytest.mark.parametrize("text", ["多名", "部分", "", "元", "第三", "abc", "万万万元", "至"])
def test_quantity_unreadable_gives_null_value(type_, text):
    norm = normalize(type_, text)
    assert norm.get("value") is None and "min" not in norm


# ---------------------------------------------------------------------------------------------
# STATUTE / AGENCY / PARTY / ACTION

@pytest.mark.parametrize("text,title,article", [
    ("《中华人民共和国个人信息保护法》", "中华人民共和国个人信息保护法", None),
    ("《个人信息保护法》第七十条", "个人信息保护法", 70),
    ("《中华人民共和国刑法》第二百五十三条之一第一款", "中华人民共和国刑法", 253),
    ("《网络安全法》第64条", "网络安全法", 64),
    ("网络安全法", "网络安全法", None),
    ("《網絡安全法》", "网络安全法", None),
    ("《中華人民共和國個(gè)人信息保護(hù)法》", "中华人民共和国个人信息保护法", None),
    ("《中华东说念主民共和国个东说念主信息保护法》", "中华人民共和国个人信息保护法", None),
    ("《殡葬管制条例》", "殡葬管理条例", None),
    ("《东说念主脸识别技巧应用安全管制观点》", "人脸识别技术应用安全管理办法", None),
])
def test_statute(text, title, article):
    sub = 1 if "之一" in text else None              # guideline v2: article_sub
    assert normalize("STATUTE", text) == {"title": title, "article": article, "article_sub": sub}


@pytest.mark.parametrize("text,name,kind", [
    ("河北省保定市徐水区人民检察院", "河北省保定市徐水区人民检察院", "procuratorate"),
    ("徐水区院", "徐水区院", "procuratorate"),
    ("景德镇市院", "景德镇市院", "procuratorate"),
    ("最高检", "最高人民检察院", "procuratorate"),
    ("最妙手民检察院", "最高人民检察院", "procuratorate"),
    ("徐水区东说念主民检察院", "徐水区人民检察院", "procuratorate"),
    ("重慶市某區人民檢察院", "重庆市某区人民检察院", "procuratorate"),
    ("浙江省湖州市检察机关", "浙江省湖州市检察机关", "procuratorate"),
    ("杭州互联网法院", "杭州互联网法院", "court"),
    ("十堰市检察院", "十堰市人民检察院", "procuratorate"),        # officially a 人民检察院
    ("北京市高级法院", "北京市高级人民法院", "court"),
    ("北京铁路运输检察院", "北京铁路运输检察院", "procuratorate"),  # not named after a division
    ("某省级检察院", "某省级检察院", "procuratorate"),
    ("最高法", "最高人民法院", "court"),
    ("北京法院", "北京法院", "court"),
    ("福田警方", "福田警方", "police"),
    ("南关区公安分局", "南关区公安分局", "police"),
    ("某派出所", "某派出所", "police"),
    ("区住建委", "区住建委", "government"),
    ("区网信办", "区网信办", "government"),
    ("国家网信办", "国家互联网信息办公室", "government"),
    ("重庆市两江新区互联网信息办公室", "重庆市两江新区互联网信息办公室", "government"),
    ("区城市管制详细行政公法局", "区城市管理综合行政执法局", "government"),
    ("广州市河汉区商场监督管制局", "广州市天河区市场监督管理局", "government"),
    ("上海市通信管理局", "上海市通信管理局", "government"),
    ("人民银行某市中心支行", "中国人民银行某市中心支行", "government"),
    ("区政府", "区政府", "government"),
    ("市文化市场综合执法支队", "市文化市场综合执法支队", "government"),
    ("全国人大常委会", "全国人民代表大会常务委员会", "other"),
    ("某省人大常委会", "某省人民代表大会常务委员会", "other"),
])
def test_agency(text, name, kind):
    assert normalize("AGENCY", text) == {"name": name, "kind": kind}


@pytest.mark.parametrize("text,kind", [
    ("周某某", "person"), ("张某", "person"), ("曹某", "person"), ("王某甲", "person"),
    ("李四", "person"), ("重庆某科技有限公司", "org"), ("某保险公司", "org"),
    ("中国陶瓷博物馆", "org"), ("某招聘网站", "org"), ("某医院", "org"), ("某银行", "org"),
    ("重慶某置業(yè)有限公司", "org"), ("某平台", "org"),
])
def test_party(text, kind):
    assert normalize("PARTY", text) == {"kind": kind}


@pytest.mark.parametrize("text,kind", [
    ("推送线索", "clue"), ("立案", "case_filed"), ("立案调查", "case_filed"),
    ("召开公开听证会", "hearing"), ("制发检察建议", "suggestion"), ("制发检察薄情", "suggestion"),
    ("提起民事公益诉讼", "lawsuit"), ("拿起民事公益诉讼", "lawsuit"), ("提起公诉", "lawsuit"),
    ("判决", "judgment"), ("判处", "judgment"), ("调解", "judgment"), ("罚款", "penalty"),
    ("行政处罚", "penalty"), ("警告", "penalty"), ("行政拘留", "penalty"), ("责令", "penalty"),
    ("非法获取", "violation"), ("作恶得回", "violation"), ("出售", "violation"),
    ("发布", "violation"), ("發(fā)布", "violation"), ("泄露", "violation"), ("倒卖", "violation"),
    ("开展调查", "other"),
])
def test_action(text, kind):
    assert normalize("ACTION", text) == {"kind": kind}


# ---------------------------------------------------------------------------------------------
# entry points

def test_unknown_type_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown entity type 'TIME'"):
        normalize("TIME", "2025年")


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(ENTITY_TYPES), st.text(max_size=30))
def test_normalize_never_raises_and_keeps_its_shape(type_, text):
    norm = normalize(type_, text, anchor="2025-03-14", doc_date="2025-04-01")
    assert isinstance(norm, dict)
    if type_ == "DATE":
        assert set(norm) == {"start", "end"}
    elif type_ == "COUNT":
        assert set(norm) in ({"value", "unit", "approx"}, {"min", "max", "unit", "approx"})
    elif type_ == "MONEY":
        assert set(norm) in ({"value", "currency", "approx"}, {"min", "max", "currency", "approx"})
    elif type_ == "AGENCY":
        assert norm["kind"] in AGENCY_KINDS
    elif type_ == "PARTY":
        assert norm["kind"] in PARTY_KINDS
    elif type_ == "ACTION":
        assert norm["kind"] in ACTION_KINDS
    if type_ in ("COUNT", "MONEY"):
        assert norm["approx"] in (None, "more_than", "about", "at_least")


def test_normalize_entities_chains_date_anchors():
    ents = [
        {"type": "DATE", "text": "2026-01-26", "start": 0},
        {"type": "DATE", "text": "1月22日", "start": 20},
        {"type": "AGENCY", "text": "最高检", "start": 30},
        {"type": "DATE", "text": "2025年2月", "start": 50},
        {"type": "DATE", "text": "近日", "start": 60},            # unresolved: the anchor stays
        {"type": "DATE", "text": "14日", "start": 70},
        {"type": "COUNT", "text": "18家", "start": 80},
        {"type": "DATE", "text": "2025年4月11日", "start": 90},
        {"type": "DATE", "text": "同年8月28日", "start": 100},
        {"type": "DATE", "text": "次日", "start": 110},
        {"type": "DATE", "text": "今年", "start": 120},
    ]
    assert normalize_entities(ents, doc_date="2026-01-26") is None
    got = [e["norm"] for e in ents]
    assert got[1] == {"start": "2026-01-22", "end": "2026-01-22"}
    assert got[2] == {"name": "最高人民检察院", "kind": "procuratorate"}
    assert got[4] == {"start": None, "end": None}
    assert got[5] == {"start": "2025-02-14", "end": "2025-02-14"}
    assert got[6] == {"value": 18, "unit": "家", "approx": None}
    assert got[8] == {"start": "2025-08-28", "end": "2025-08-28"}
    assert got[9] == {"start": "2025-08-29", "end": "2025-08-29"}
    assert got[10] == {"start": "2026", "end": "2026"}


def test_normalize_entities_without_doc_date_and_unsorted_input():
    ents = [
        {"type": "DATE", "text": "同年5月", "start": 40},
        {"type": "DATE", "text": "2019年3月", "start": 10},
        {"type": "DATE", "text": "4月1日", "start": 0},
    ]
    normalize_entities(ents)
    assert ents[2]["norm"] == {"start": None, "end": None}       # first, nothing to anchor on
    assert ents[1]["norm"] == {"start": "2019-03", "end": "2019-03"}
    assert ents[0]["norm"] == {"start": "2019-05", "end": "2019-05"}


def test_opencc_converter_is_built_once():
    normalize("AGENCY", "臺灣")
    first = numbers._converter
    normalize("AGENCY", "區人民檢察院")
    assert first is not None and numbers._converter is first


def test_package_level_normalize():
    from lawie.labels import normalize as pkg_normalize
    assert pkg_normalize("COUNT", "上百次") == {"value": 100, "unit": "次", "approx": "about"}


# ---------------------------------------------------------------------------------------------
# issue 17: the forms established parsers read (tests/data/value_forms.tsv), by class

FORMS = Path(__file__).parent / "data" / "value_forms.tsv"
FORM_CLASSES = {"shared_multiplier", "range_words", "money_subunit", "colloquial", "currency",
                "numeral", "date_cn_year", "date_dotted", "date_range", "date_period", "date_era",
                "date_space", "date_relative", "contract", "unreadable"}


def _form_rows():
    rows = []
    for n, line in enumerate(FORMS.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#") or line.startswith("class\t"):
            continue
        cls, type_, text, anchor, doc_date, norm = line.split("\t")
        rows.append(pytest.param(cls, type_, text.replace("\\n", "\n"), anchor or None,
                                 doc_date or None, json.loads(norm), id=f"{n}:{cls}:{text}"))
    return rows


FORM_ROWS = _form_rows()


def _norm_of(type_, text, anchor=None, doc_date=None):
    if type_ == "NUMBER":
        try:
            return {"value": numbers.parse_number(text)}
        except ValueError:
            return {"value": None}
    return normalize(type_, text, anchor=anchor, doc_date=doc_date)


@pytest.mark.parametrize("cls,type_,text,anchor,doc_date,expected", FORM_ROWS)
def test_value_forms(cls, type_, text, anchor, doc_date, expected):
    got = _norm_of(type_, text, anchor, doc_date)
    assert got == expected
    for k in ("value", "min", "max"):                  # an int stays an int (no 30000.0)
        if isinstance(expected.get(k), int):
            assert isinstance(got[k], int), (k, got)


def test_value_forms_cover_every_class():
    counts = {}
    for p in FORM_ROWS:
        counts[p.values[0]] = counts.get(p.values[0], 0) + 1
    assert set(counts) == FORM_CLASSES
    assert min(counts.values()) >= 5 and sum(counts.values()) >= 250


def test_compare_normalizers_reads_the_forms_table():
    """The comparison command scores the same table per class; ours has no wrong value on it."""
    import io

    from lawie.train import compare_normalizers as cmp
    rows = cmp.read_table(FORMS)
    assert len(rows) == len(FORM_ROWS) and {r["class"] for r in rows} == FORM_CLASSES
    assert rows[[r["text"] for r in rows].index("民\n國113年")]["type"] == "DATE"
    ours_only = [r for r in rows if r["class"] in ("money_subunit", "date_era")]
    got = {cmp.ours(r) for r in ours_only[:3]}
    assert all(g is not None for g in got)
    scores = cmp.run(rows, out=io.StringIO())
    assert scores[("ours", "contract")][2] == 0 and scores[("ours", "unreadable")][2] == 0
    assert sum(c[2] for (name, key), c in scores.items() if name == "ours" and key in
               ("DATE", "COUNT", "MONEY", "NUMBER")) == 0


# ---------------------------------------------------------------------------------------------
# the value contract (issue 21): no impossible value, never a traceback

_VALIDATOR = []


def _entity_validator():
    """A validator of one entity under labels/output.schema.json, built once."""
    if not _VALIDATOR:
        import jsonschema
        from conftest import SCHEMA
        cls = jsonschema.validators.validator_for(SCHEMA)
        _VALIDATOR.append(cls(SCHEMA["properties"]["entities"]["items"]))
    return _VALIDATOR[0]


def assert_contract(type_, norm):
    """The output contract of one norm: valid under labels/output.schema.json, plain JSON (no
    NaN / Infinity, no integer json cannot write), ranges in order."""
    json.dumps(norm, allow_nan=False)
    _entity_validator().validate({"id": "T1", "type": type_, "start": 0, "end": 1, "text": "x",
                                  "norm": norm})
    if type_ in ("COUNT", "MONEY"):
        for k in ("value", "min", "max"):
            v = norm.get(k)
            assert v is None or (math.isfinite(v) and 0 <= v <= numbers.MAX_VALUE), norm
        if "min" in norm:
            assert norm["min"] <= norm["max"], norm
        if norm.get("value") is None and "min" not in norm:
            assert norm["approx"] is None, norm
    if type_ == "DATE":
        assert (norm["start"] is None) == (norm["end"] is None) or norm["end"] is None
        if norm["start"] and norm["end"]:
            s, e = norm["start"], norm["end"]
            assert e[:len(s)] >= s[:len(e)], norm


HOSTILE = [
    "9" * 5000 + "元", "1" * 400 + "条", "亿" * 60 + "元", "万万万元", "1e400元", "inf元", "NaN条",
    "-5元", "负3条", "0.1234567890123456789元", "99999999999999999999999999999万元",
    "8000年后", "99999天后", "次年至今", "9999年", "0000年", "2023年13月", "民国9999年",
    "二〇二五年二月三十日", "3.5.2015", "2023年5月至2022年3月", "《》", "《第二百五十三条之一》",
    "第九九九九九九九九九九九九条", "。", "(", "分之", "又分之", "点", "五分之零", "零分之五",
]


@pytest.mark.parametrize("type_", ["DATE", "COUNT", "MONEY", "STATUTE", "AGENCY"])
@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_values_keep_the_contract(type_, text):
    norm = normalize(type_, text, anchor="2025-03-14", doc_date="2025-01-01")
    assert_contract(type_, norm)


def test_contract_cases_of_issue_21():
    assert normalize("DATE", "8000年后", anchor="2025-03-14") == {"start": None, "end": None}
    assert normalize("DATE", "次年至今", anchor="2025-03", doc_date="2025-01-01") == \
        {"start": None, "end": None}
    assert normalize("MONEY", "9" * 5000 + "元")["value"] is None
    assert normalize("STATUTE", "《第二百五十三条之一》") == \
        {"title": "第二百五十三条之一", "article": 253, "article_sub": 1}
    assert normalize("STATUTE", "《》")["title"] == "《》"            # never null: as written
    assert normalize("AGENCY", "“”")["name"] == "“”"
    assert normalize("MONEY", "1亿亿元")["value"] == 10 ** 16           # the bound itself
    assert normalize("MONEY", "2亿亿元")["value"] is None


_HOSTILE_TEXT = st.one_of(
    st.text(max_size=30),
    st.text(alphabet="0123456789.,-~至到万亿千百十零一二两三四五六七八九点分之又负元角块年月日号"
                     "季度前后上下半初底民国第条之《》以上以下余多约近数几个kw", max_size=40),
    st.builds(lambda n, u: "9" * n + u, st.integers(1, 400), st.sampled_from(["元", "条", "年", ""])),
)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["DATE", "COUNT", "MONEY", "STATUTE", "AGENCY"]), _HOSTILE_TEXT)
def test_every_norm_keeps_the_contract(type_, text):
    assume(text)                                      # an entity's text is never empty
    assert_contract(type_, normalize(type_, text, anchor="2025-03-14", doc_date="2025-04-01"))


# ---------------------------------------------------------------------------------------------
# property: a number rendered in every supported form parses back to itself

from test_numbers import DIG, render  # noqa: E402


def _cn(n: int, **kw) -> str:
    return render(n, short_ten=True, **kw)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=1, max_value=10 ** 12 - 1),
       st.sampled_from(["arabic", "thousands", "chinese", "financial", "traditional", "liang",
                        "mixed"]))
def test_money_value_in_every_form(n, form):
    if form == "mixed" and n % 10000:
        n = n // 10000 * 10000 or 10000
    text = {
        "arabic": str(n), "thousands": f"{n:,}", "chinese": _cn(n),
        "financial": render(n, financial=True), "traditional": _cn(n, traditional=True),
        "liang": _cn(n, liang=True),
        "mixed": f"{n // 10000}万" if n < 10 ** 8 or n % 10 ** 8 else f"{n // 10 ** 8}亿",
    }[form]
    for span in (text + "元", "人民币" + text + "元", text + "元人民币"):
        assert normalize("MONEY", span) == {"value": n, "currency": "CNY", "approx": None}, span
    assert normalize("COUNT", text + "条") == {"value": n, "unit": "条", "approx": None}


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10 ** 6), st.integers(0, 9), st.integers(0, 9),
       st.booleans(), st.sampled_from(["元", "块"]))
def test_money_subunits(yuan, jiao, fen, financial, word):
    """三十二元五角, 壹元零伍分, 十块五毛: yuan, 角 / 毛 and 分 add up exactly."""
    digits = "零壹贰叁肆伍陆柒捌玖" if financial else DIG
    text = (render(yuan, financial=financial) + word) if yuan else ""
    if jiao:
        text += digits[jiao] + ("角" if financial or word == "元" else "毛")
    if fen:
        text += (digits[0] if yuan and not jiao else "") + digits[fen] + "分"
    assume(jiao or fen)
    expected = Decimal(yuan) + Decimal(jiao) / 10 + Decimal(fen) / 100
    norm = normalize("MONEY", text)
    assert Decimal(str(norm["value"])) == expected and norm["currency"] == "CNY", text


@settings(max_examples=200, deadline=None)
@given(st.data(), st.sampled_from([("万", 10 ** 4, 9999), ("亿", 10 ** 8, 9999),
                                   ("千万", 10 ** 7, 9), ("百万", 10 ** 6, 9), ("千", 1000, 9)]),
       st.sampled_from(["至", "到", "-", "~", "——", " 至 "]), st.booleans())
def test_ranges_share_their_multiplier(data, unit, sep, chinese):
    """三至五万元, 1至2千万元: the multiplier written once after the second bound is both's."""
    word, factor, top = unit
    lo = data.draw(st.integers(1, top - 1))
    hi = data.draw(st.integers(lo + 1, top))
    left, right = (_cn(lo), _cn(hi) + word) if chinese else (str(lo), f"{hi}{word}")
    norm = normalize("MONEY", f"{left}{sep}{right}元")
    assert norm == {"min": lo * factor, "max": hi * factor, "currency": "CNY", "approx": None}
    assert normalize("COUNT", f"{left}{sep}{right}条") == \
        {"min": lo * factor, "max": hi * factor, "unit": "条", "approx": None}


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 8), st.sampled_from(["", "十", "百", "千", "万", "十万", "百万"]))
def test_juxtaposed_digits_are_a_range(d, unit):
    text = f"{DIG[d]}{DIG[d + 1]}{unit}元"
    mult = numbers.parse_number("1" + unit) if unit else 1
    assert normalize("MONEY", text) == \
        {"min": d * mult, "max": (d + 1) * mult, "currency": "CNY", "approx": "about"}


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2035, 12, 31)),
       st.integers(0, 40), st.sampled_from(["至", "到", "-", "~", "——", "—"]),
       st.sampled_from(["arabic", "cn_digits", "roc", "dotted", "spaced"]))
def test_date_ranges_in_every_form(d, months, sep, form):
    """A month range in Arabic, 二〇一九 digits, 民国 years, dotted or spaced: start and end back."""
    y2, m2 = divmod(d.year * 12 + d.month - 1 + months, 12)
    m2 += 1
    cn = lambda y: "".join("〇一二三四五六七八九"[int(c)] for c in str(y))     # noqa: E731
    year = {"arabic": str, "cn_digits": cn, "roc": lambda y: f"民國{y - 1911}",
            "dotted": str, "spaced": str}[form]
    if form == "dotted":
        text = f"{d.year}.{d.month:02d}{sep}{y2}.{m2:02d}"
    elif form == "spaced":
        text = f"{d.year} 年 {d.month} 月{sep}{y2} 年 {m2} 月"
    else:
        text = f"{year(d.year)}年{d.month}月{sep}{year(y2)}年{m2}月"
    norm = normalize("DATE", text)
    assert norm == {"start": f"{d.year}-{d.month:02d}", "end": f"{y2}-{m2:02d}"}, text


# --- Hong Kong, Macau and Taiwan (corpus/README.md: "Organs, penalties and currencies ...") -----

@pytest.mark.parametrize("name, kind", [
    ("律政司", "procuratorate"), ("臺北地檢署", "procuratorate"), ("臺灣臺北地方檢察署", "procuratorate"),
    ("東區裁判法院", "court"), ("司法院", "court"), ("警政署", "police"), ("澳門司法警察局", "police"),
    ("司警局", "police"), ("個人資料私隱專員公署", "government"), ("私隱專員", "government"),
    ("金管會", "government"), ("NCC", "government"), ("個資會", "government"), ("行政院", "government"),
    ("立法院", "other"), ("立法會", "other"),
    # the general rules still hold
    ("杭州市人民检察院", "procuratorate"), ("市公安局", "police"), ("全国人大常委会", "other"),
])
def test_organ_kinds_of_hong_kong_macau_taiwan(name, kind):
    assert normalize("AGENCY", name)["kind"] == kind


def test_hong_kong_sections_and_penalties():
    assert normalize("STATUTE", "《個人資料(私隱)條例》第64(3A)條") == {
        "title": "个人资料(私隐)条例", "article": 64, "article_sub": None}
    assert normalize("STATUTE", "《刑法》第二百五十三条之一")["article_sub"] == 1
    assert normalize("SENTENCE", "監禁6個月") == {"penalty": "fixed_term", "months": 6}
    assert normalize("SENTENCE", "社會服務令120小時") == {"penalty": "other", "months": None}


@pytest.mark.parametrize("text, span, currency, approx", [
    ("处新台币 5万元罚锾", "5万元", "TWD", None),      # the clean text (simplified)
    ("处新台币5万元罚锾", "5万元", "TWD", None),
    ("罚款港币 3000 元", "3000 元", "HKD", None),
    ("获利至少 2万元", "2万元", "CNY", "at_least"),
    ("泄露 500 条以上", "500 条", None, "at_least"),
])
def test_the_words_around_a_value_are_read_across_spaces(text, span, currency, approx):
    """A web copy spaces Han and digits (新台幣 5萬元): the currency and approximation words
    outside the span still count, as without the space."""
    from lawie.infer.document import normalize_document
    typ = "COUNT" if "条" in span else "MONEY"
    view = {"type": typ, "text": span, "start": text.index(span), "end": text.index(span) + len(span)}
    normalize_document([view], text)
    assert view["norm"].get("currency") == currency and view["norm"]["approx"] == approx


def test_a_text_that_names_the_era_reads_bare_years_in_it():
    from lawie.infer.document import normalize_document
    text = "99年12月起……同月5日……中華民國112年5月……5月3日"
    views = [{"type": "DATE", "text": t, "start": text.index(t), "end": text.index(t) + len(t)}
             for t in ("99年12月", "同月5日", "中華民國112年5月", "5月3日")]
    normalize_document(views, text.replace("中華民國", "中华民国"))
    assert [v["norm"]["start"] for v in views] == ["2010-12", "2010-12-05", "2023-05", "2023-05-03"]
    assert views[0]["text"] == "99年12月"                # the span's text is left as written
    plain = [{"type": "DATE", "text": "99年12月", "start": 0, "end": 6}]
    normalize_document(plain, "99年12月起")              # no era named: two digits are 19xx/20xx
    assert plain[0]["norm"]["start"] == "1999-12"
