"""Offset-preserving cleaning (lawie.infer.clean): behaviour on the seeds and the offset invariants."""
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lawie.infer.clean import Cleaned, clean, load_spin_table

SEEDS = Path(__file__).resolve().parent.parent / "corpus" / "seeds"


def seed(prefix: str) -> str:
    (path,) = SEEDS.glob(prefix + "_*.txt")
    return path.read_text(encoding="utf-8")


ALL_SEEDS = ["000", "001", "002", "003"]


# --- invariants ---------------------------------------------------------------------------------


def check_invariants(c: Cleaned) -> None:
    n, o = len(c.text), len(c.original)
    assert len(c.starts) == len(c.ends) == n
    prev_end = 0
    for i in range(n):
        s, e = c.starts[i], c.ends[i]
        assert 0 <= s < e <= o, (i, s, e)
        assert s >= prev_end, f"clean char {i} overlaps the source of char {i - 1}"
        prev_end = e
    # round trip for every single char and for a set of longer spans
    spans = [(i, i + 1) for i in range(n)] + [(i, min(n, i + k)) for i in range(0, n, 7)
                                              for k in (2, 5, 13) if i < n]
    for s, e in spans:
        os_, oe = c.to_original(s, e)
        assert 0 <= os_ < oe <= o
        assert c.to_clean(os_, oe) == (s, e)
    # each clean char that is unchanged maps to an identical original char
    for i in range(n):
        if c.ends[i] - c.starts[i] == 1 and c.original[c.starts[i]] == c.text[i]:
            assert c.to_original(i, i + 1) == (c.starts[i], c.starts[i] + 1)


@pytest.mark.parametrize("name", ALL_SEEDS)
def test_invariants_on_seeds(name):
    raw = seed(name)
    c = clean(raw)
    check_invariants(c)
    assert clean(raw).text == c.text  # deterministic
    assert clean(c.text).text == c.text  # idempotent


PIECES = [
    "最高人民检察院", "个人信息", "发布", "检察建议", "依法", "网络", "汇集", "汇集信息", "照章",
    "薄情", "东说念主", "最妙手民", "人人", "利益", "作恶", "多端", "同期", "有观看", "說念",
    "發", "個", "網", "絡", "檢", "察", "機", "關", "乾隆", "薴", "們",
    "(fā)", "(gè)", "（wǎng）", "(men)", "(luò)", "?qǐng)", "(fa1)", "(application)", "(CNKI)",
    "(以下简称徐水区院)", "(300959)", "{jz:field.toptypename/}", "热点资讯\n",
    "&nbsp;", "&amp;", "&#x4e2d;", "&lt;p&gt;", "&amp;nbsp;", "&#65292;", "&bogus;", "&", ";",
    "<p>", "</p>", "<br/>", "<b>", "</b>", "<!-- x -->", "<", ">",
    ",", "，", ":", "：", ";", "(", ")", "（", "）", "!", "?", "？", "。", "、", "“", "”", "《", "》",
    "1,200", "3.7", "10:16:49", "2026-01-26", "１２３", "ＡＢＣ", "App", " ", "  ", "\n", "\r\n",
    "\r", "\t", "\u3000", "\xa0", "\u200b", "\ufeff", "\xad", "\x00", "\x07", "\u2028", "⼈", "兀",
]

texts = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=3)), max_size=40).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_invariants_random(text):
    c = clean(text)
    assert c.original == text
    check_invariants(c)
    assert clean(text).text == c.text
    again = clean(c.text)
    assert again.text == c.text


@settings(max_examples=100, deadline=None)
@given(texts, st.data())
def test_to_clean_covers_intersecting_chars(text, data):
    c = clean(text)
    o = len(text)
    a = data.draw(st.integers(0, o))
    b = data.draw(st.integers(a, o))
    cs, ce = c.to_clean(a, b)
    assert 0 <= cs <= ce <= len(c.text)
    hit = [i for i in range(len(c.text)) if c.starts[i] < b and c.ends[i] > a]
    if a < b and hit:
        assert (cs, ce) == (hit[0], hit[-1] + 1)
    else:
        assert cs == ce


# --- the steps ------------------------------------------------------------------------------------


def test_seed_002_traditional_and_pinyin():
    c = clean(seed("002"))
    assert "最高人民检察院日前发布了一批个人信息保护检察公益诉讼典型案例" in c.text
    assert "(fā)" not in c.text and "ā" not in c.text and "ǎ" not in c.text
    assert "（倪 弋）" in c.text  # a parenthesized name is not pinyin
    # 發(fā)布 -> 发布: the clean span maps back to the whole original span, junk inside included
    i = c.text.index("发布")
    os_, oe = c.to_original(i, i + 2)
    assert c.original[os_:oe] == "發(fā)布"
    # and an original span maps back to the clean word
    j = c.original.index("個(gè)人")
    assert c.to_clean(j, j + len("個(gè)人")) == (c.text.index("个人"), c.text.index("个人") + 2)


def test_seed_001_unspun_where_000_has_the_words():
    ref, c = seed("000"), clean(seed("001"))
    for word in ("个人信息保护", "检察建议", "最高人民检察院", "依法", "网络开盒", "调查"):
        assert word in ref and word in c.text
    for junk in ("东说念主", "薄情", "照章", "最妙手", "{jz:"):
        assert junk not in c.text
    # the spun original behind a clean word
    i = c.text.index("个人信息保护")
    os_, oe = c.to_original(i, i + 6)
    assert c.original[os_:oe] == "个东说念主信息保护"
    k = c.original.index("徐水区东说念主民检察院")
    cs, ce = c.to_clean(k, k + len("徐水区东说念主民检察院"))
    assert c.text[cs:ce] == "徐水区人民检察院"


def test_seed_001_closer_to_000_after_unspinning():
    import difflib
    ref = clean(seed("000")).text
    raw = seed("001")

    def similarity(text):
        sm = difflib.SequenceMatcher(None, ref, text, autojunk=False)
        return sum(b.size for b in sm.get_matching_blocks()) / len(ref)

    assert similarity(clean(raw).text) > similarity(clean(raw, unspin=False).text) + 0.05


@pytest.mark.parametrize("name", ["000", "003"])
def test_unspinning_leaves_clean_text_alone(name):
    raw = seed(name)
    assert clean(raw).text == clean(raw, unspin=False).text


def test_spin_context_rules():
    assert clean("汇集开盒").text == "网络开盒"
    assert clean("数据汇集和分析").text == "数据收集和分析"
    assert clean("各方意见汇集到一起").text == "各方意见汇集到一起"  # a legitimate 汇集
    assert clean("作恶多端").text == "作恶多端"
    assert clean("作恶出售").text == "非法出售"
    assert clean("照章办事").text == "照章办事"
    assert clean("照章履行").text == "依法履行"
    assert clean("同期,两江新区").text == "同时，两江新区"
    assert clean("同期相比").text == "同期相比"
    assert clean("东说念主民检察院").text == "人民检察院"


def test_html_entities_tags_and_controls():
    raw = "<p>最高&nbsp;检</p>\r\n发&#x5e03;\u200b了&amp;公\ufeff告<br/>\t个\xad人&bogus;"
    c = clean(raw)
    assert c.text == "最高 检\n\n发布了&公告\n 个人&bogus;"
    check_invariants(c)
    i = c.text.index("布")
    assert c.original[slice(*c.to_original(i, i + 1))] == "&#x5e03;"
    assert clean("A&amp;nbsp;B").text == "A B"  # double-escaped
    assert clean("a\x00b\x07c").text == "abc"


def test_pinyin_only_after_cjk_and_only_pinyin():
    assert clean("個(gè)人").text == "个人"
    assert clean("個（gè）人").text == "个人"
    assert clean("发(fa1)布").text == "发布"
    assert clean("他們(men)说").text == "他们说"
    assert clean("某App (application)的规则").text == "某App （application）的规则"
    assert clean("App (application)").text == "App (application)"
    assert clean("对知网(CNKI)立案").text == "对知网（CNKI）立案"
    assert clean("(以下简称徐水区院)").text == "（以下简称徐水区院）"
    assert clean("公司(ma)").text == "公司（ma）"  # toneless, not a reading of 司
    assert clean("x(fā)").text == "x(fā)"  # not after a Chinese character


def test_width_and_punctuation():
    assert clean("１２３ＡＢＣ").text == "123ABC"
    assert clean("共计1,200余条,涉及3.7万人").text == "共计1,200余条，涉及3.7万人"
    assert clean("2026-01-26 10:16:49").text == "2026-01-26 10:16:49"
    assert clean("发布时间: 2023-11-01").text == "发布时间： 2023-11-01"
    assert clean("什么?!").text == "什么？！"
    assert clean("(2019)鄂0302刑初614号").text == "（2019）鄂0302刑初614号"
    assert clean("Hello, world (test)").text == "Hello, world (test)"
    assert clean("检察院；依法，").text == "检察院；依法，"  # already canonical


def test_junk_removal_is_conservative():
    raw = "案例一\n{jz:field.toptypename/}\n正文在线上线下(300959)贩卖\n热点资讯\n"
    c = clean(raw)
    assert c.text == "案例一\n\n正文在线上线下贩卖\n"
    assert clean("罚款(100000元)").text == "罚款（100000元）"
    assert clean("热点资讯很多").text == "热点资讯很多"
    assert clean("你的位置:某某官网 > 栏目 >\n正文").text == "正文"
    assert clean("案发位置:某地>某处").text == "案发位置：某地>某处"
    i = c.text.index("线下贩卖")
    os_, oe = c.to_original(i, i + 4)
    assert c.original[os_:oe] == "线下(300959)贩卖"  # junk inside a span stays inside


@pytest.mark.parametrize("raw, expected", [
    ("线下(fā)(300959)贩卖", "线下贩卖"),   # pinyin removal uncovers a ticker
    ("<{jz:x/}p>文", "文"),                  # junk removal uncovers a tag
    ("&am<b></b>p;", "&"),                   # tag removal uncovers an entity
    ("發(fā)(fā)", "发"),
    ("东说念主东说念主利益", "公共利益"),    # unspinning uncovers a longer spun key
    ("东说念主(ren)", "人"),                 # ... or makes a toneless note a reading of its char
])
def test_steps_uncovering_each_other(raw, expected):
    c = clean(raw)
    assert c.text == expected
    assert clean(c.text).text == c.text
    check_invariants(c)


def test_empty_and_edge_spans():
    c = clean("")
    assert c.text == "" and c.to_original(0, 0) == (0, 0) and c.to_clean(0, 0) == (0, 0)
    c = clean("\u200b\u200b")
    assert c.text == "" and c.to_clean(0, 2) == (0, 0)
    c = clean("个\u200b人")
    assert c.to_clean(1, 2) == (1, 1)  # only a deleted char
    assert c.to_original(1, 1) == (2, 2)
    assert c.to_original(2, 2) == (3, 3)
    with pytest.raises(ValueError, match="outside"):
        c.to_original(0, 5)
    with pytest.raises(ValueError, match="outside"):
        c.to_clean(2, 1)
    with pytest.raises(TypeError, match="expects a str"):
        clean(b"bytes")


def test_spin_table_format(tmp_path):
    entries = load_spin_table()
    assert len(entries) > 100
    assert all(len(e.clean) <= len(e.spun) and "\t" not in e.clean for e in entries)
    assert {("人", "东说念主"), ("网络开盒", "汇集开盒"), ("建议", "薄情"), ("依法", "照章")} <= {
        (e.clean, e.spun) for e in entries}
    bad = tmp_path / "bad.tsv"
    bad.write_text("# c\n人\t东说念主\n网络 汇集\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad.tsv:3"):
        load_spin_table(bad)
    bad.write_text("人\t东说念主\twhen=x\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad condition"):
        load_spin_table(bad)


def test_committed_pinyin_syllables_match_pypinyin():
    from lawie.infer.clean import _syllables, pinyin_syllables_from_pypinyin
    assert _syllables() == frozenset(pinyin_syllables_from_pypinyin())
    assert {"fa", "bu", "zhuang", "lu"} <= _syllables()
