"""The organ-name gazetteer (lawie.infer.organs) and how prepare_spans uses it."""
import pytest

from lawie.infer.spans import prepare_spans
from lawie.infer.organs import GAZETTEER_SCORE, organ_names


@pytest.mark.parametrize("text,names", [
    ("重庆市某区人民检察院在履职中发现", ["重庆市某区人民检察院"]),
    ("2021年5月，安徽省芜湖市市场监管局执法人员对", ["安徽省芜湖市市场监管局"]),
    ("广东法院个人信息保护典型案例", ["广东法院"]),
    ("诸暨市人民检察院第五检察部主任", ["诸暨市人民检察院第五检察部"]),
    ("肥西县市场监管局联合肥西县公安局网安大队", ["肥西县市场监管局", "肥西县公安局网安大队"]),
    ("北京市东城区人民法院判决", ["北京市东城区人民法院"]),
    ("上海市闵行区某医院医生", []),                      # no organ word
    ("人民检察院依法", []),                               # no division
    ("东城人民法院", []),                                 # a county short form alone is no division
])
def test_organ_names(text, names):
    assert [text[s:e] for s, e in organ_names(text)] == names


def _span(text, typ, surface, score=0.9):
    i = text.index(surface)
    return {"type": typ, "start": i, "end": i + len(surface), "score": score}


def test_prepare_spans_mends_and_adds_organ_names():
    text = "重庆市某区人民检察院发现，安徽省芜湖市市场监管局执法人员对某公司检查，诸暨市人民检察院第五检察部主任说。"
    ents = [_span(text, "PARTY", "市某", 0.86), _span(text, "ACTION", "发现"),
            _span(text, "AGENCY", "诸暨市人民检察院第五检察部", 0.7), _span(text, "PARTY", "某公司")]
    out = [(e["type"], text[e["start"]:e["end"]], e["score"]) for e in prepare_spans(text, ents)]
    assert out == [("AGENCY", "重庆市某区人民检察院", 0.86), ("ACTION", "发现", 0.9),
                   ("AGENCY", "安徽省芜湖市市场监管局", GAZETTEER_SCORE), ("PARTY", "某公司", 0.9),
                   ("AGENCY", "诸暨市人民检察院第五检察部", 0.7)]


def test_an_organ_run_on_into_no_organ_word_is_cut_to_the_name():
    text = "安徽省芜湖市市场监管局执法人员对某公司检查。"
    out = prepare_spans(text, [_span(text, "AGENCY", "安徽省芜湖市市场监管局执法人员", 0.8)])
    assert [(e["type"], text[e["start"]:e["end"]], e["score"]) for e in out] == \
        [("AGENCY", "安徽省芜湖市市场监管局", 0.8)]


@pytest.mark.parametrize("text,piece,name", [
    ("上海市闵行区某医院医生", "区某医院", "上海市闵行区某医院"),
    ("甲局联合肥西县公安局检查", "肥西县公安局", "肥西县公安局"),      # 合肥 crosses, 肥西县 starts here
    ("某公司员工", "某公司", "某公司"),
])
def test_a_name_never_starts_inside_a_division_name(text, piece, name):
    from lawie.infer.organs import name_start
    i = text.index(piece)
    assert text[name_start(text, i):i + len(piece)] == name


def test_organ_read_in_two_pieces_is_one_agency():
    text = "重庆市某区人民检察院在履职中发现问题。"
    out = prepare_spans(text, [_span(text, "PARTY", "重庆市某", 0.5),
                               _span(text, "AGENCY", "区人民检察院", 0.9)])
    assert [(e["type"], text[e["start"]:e["end"]]) for e in out] == [("AGENCY", "重庆市某区人民检察院")]


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_PIECES = ["重庆市", "某区", "人民检察院", "联合", "肥西县", "公安局", "网安大队", "、", "警告", "罚金",
           "罚款", "责令", "立即改正", "某公司", "行长", "葛某东", "（北京）", "有限公司", "2万元", "以上",
           "以下", "同", "日", "第二日", "关于", "。", "\n", "处罚结果：", "100万次/400元", "央行"]
_TYPES = ["PARTY", "AGENCY", "ACTION", "MONEY", "DATE", "COUNT", "STATUTE"]


@settings(max_examples=150, deadline=None)
@given(pieces=st.lists(st.sampled_from(_PIECES), min_size=1, max_size=14),
       raw=st.lists(st.tuples(st.integers(0, 60), st.integers(1, 12), st.sampled_from(_TYPES),
                              st.floats(0, 1)), max_size=8))
def test_prepare_spans_keeps_valid_spans_and_is_stable(pieces, raw):
    """On any text and any decoded spans: every span kept lies in the text, is not empty, has a
    known type and a score in [0, 1], is unique per (span, type); a second pass changes nothing."""
    text = "".join(pieces)
    ents = [{"type": t, "start": min(s, len(text) - 1), "end": min(s + n, len(text)), "score": sc}
            for s, n, t, sc in raw if min(s, len(text) - 1) < min(s + n, len(text))]
    out = prepare_spans(text, ents)
    keys = [(e["start"], e["end"], e["type"]) for e in out]
    assert len(keys) == len(set(keys))
    for e in out:
        assert 0 <= e["start"] < e["end"] <= len(text) and e["type"] in _TYPES
        assert 0 <= e["score"] <= 1
    assert prepare_spans(text, out) == out


@pytest.mark.parametrize("text,names", [
    ("记者从公安部获悉，最高法和司法部联合发文", ["公安部", "最高法", "司法部"]),
    ("个人资料私隐专员公署（下称公署）接获投诉，律政司提出检控", ["个人资料私隐专员公署", "律政司"]),
    ("数位发展部与国家通讯传播委员会", ["数位发展部", "国家通讯传播委员会"]),
    ("最高法院驳回上诉", ["最高法院"]),                   # Taiwan's court, not 最高法 + 院
])
def test_named_organs(text, names):
    from lawie.infer.organs import named_organs
    assert [text[s:e] for s, e in named_organs(text)] == names


def test_prepare_spans_adds_named_organs_that_stand_as_words():
    text = "记者从公安部获悉，督促人社部门和公安部门加强监管，最高人民法院第一巡回法庭审理。"
    ents = [_span(text, "AGENCY", "最高人民法院第一巡回法庭", 0.8)]
    out = [(e["type"], text[e["start"]:e["end"]]) for e in prepare_spans(text, ents)]
    # 人社部门, 公安部门 are generic words; a name inside a longer organ the model read stays in it
    assert out == [("AGENCY", "公安部"), ("AGENCY", "最高人民法院第一巡回法庭")]
    assert prepare_spans(text, ents, disable={"organ_gazetteer"}) == ents
