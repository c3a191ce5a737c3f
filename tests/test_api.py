"""The Python API and document assembly: offsets into the text as given, norms, aliases, events."""
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import validate_output
from lawie import Extractor
from lawie.infer.api import LawieError, ModelNotFound
from lawie.infer.clean import clean
from lawie.infer.document import assemble


@pytest.fixture(scope="module")
def tiny(tiny_model_dir):
    return Extractor.load(tiny_model_dir)


def test_extract_returns_valid_serializable_json(tiny):
    doc = tiny.extract("2025年3月14日,徐水区院向区住建局制发检察建议,对某公司罚款5000元。",
                       date="2026-01-26")
    validate_output(doc)
    assert json.loads(json.dumps(doc, ensure_ascii=False)) == doc
    assert doc["meta"]["date"] == "2026-01-26"
    assert doc["entities"], "the biased tiny model emits entities"


def test_extract_many_keeps_order_and_ids(tiny):
    texts = ["某公司被罚款5万元。", "", "最高人民檢察院發(fā)布典型案例。"]
    docs = tiny.extract_many(texts, batch_size=2, ids=["a", "b", "c"])
    assert [d["id"] for d in docs] == ["a", "b", "c"]
    assert [d["text"] for d in docs] == texts
    for d in docs:
        validate_output(d)


def test_long_text_runs_in_windows(tiny):
    text = ("2025年3月14日,徐水区院向区住建局制发检察建议。" * 400)[:10000]
    doc = tiny.extract(text)
    validate_output(doc)
    assert max(e["end"] for e in doc["entities"]) > 9000   # the whole text was read


def test_threshold_leaves_out_low_scored_entities(tiny, tiny_model_dir):
    text = "2025年3月14日,徐水区院向区住建局制发检察建议,某公司被罚款5万元。同年5月,张某出售3万条信息。"
    full = tiny.extract(text)
    scores = sorted(e["score"] for e in full["entities"])
    assert len(set(scores)) > 1, "the tiny model gives varied scores"
    cut = scores[len(scores) // 2]
    part = Extractor(tiny.runtime, tiny.model_dir, threshold=cut).extract(text)
    validate_output(part)
    spans = {(e["type"], e["start"], e["end"]) for e in full["entities"]}
    assert 0 < len(part["entities"]) < len(full["entities"])
    assert all((e["type"], e["start"], e["end"]) in spans and e["score"] >= cut - 1e-4
               for e in part["entities"])
    ids = {e["id"] for e in part["entities"]}
    assert all(r["head"] in ids and r["tail"] in ids for r in part["relations"])
    for bad in (1.5, -0.1, "0.5", True):
        with pytest.raises(LawieError, match="threshold"):
            Extractor.load(tiny_model_dir, threshold=bad)


def test_missing_model_dir(tmp_path):
    with pytest.raises(ModelNotFound, match="nomodel"):
        Extractor.load(tmp_path / "nomodel")


MESSY = st.text(alphabet=st.sampled_from(list("人民检察院個區發布(fā)（）,，。:：、 \n\t年月日0123456789万元条某"
                                                "《》“”\u200b&nbsp;<p>东说念主汇集ABC")), max_size=300)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=MESSY)
def test_offsets_are_into_the_text_as_given(tiny, text):
    doc = tiny.extract(text)
    validate_output(doc)
    assert doc["text"] == text


# ---------------------------------------------------------------------- assembly without a model

def _pred(clean_text, spans, rels=()):
    ents = []
    for typ, surface, occ in spans:
        i = -1
        for _ in range(occ):
            i = clean_text.index(surface, i + 1)
        ents.append({"type": typ, "start": i, "end": i + len(surface), "score": 0.9})
    return {"entities": ents,
            "relations": [{"head": h, "tail": t, "type": r, "score": 0.8} for h, t, r in rels]}


def test_assemble_maps_traditional_pinyin_text_back_and_resolves_values():
    original = ("河北省保定市徐水區人民檢察院(以下簡稱徐水區院)2025年3月14日發(fā)出檢察建議。"
                "同年5月底,徐水區院對18家停車場開展跟進監督,市場監督管理局罰款3.7萬余元。")
    c = clean(original)
    assert "徐水区人民检察院" in c.text and "发出检察建议" in c.text
    pred = _pred(c.text, [("AGENCY", "河北省保定市徐水区人民检察院", 1), ("AGENCY", "徐水区院", 1),
                          ("DATE", "2025年3月14日", 1), ("ACTION", "发出检察建议", 1),
                          ("DATE", "同年5月底", 1), ("AGENCY", "徐水区院", 2),
                          ("COUNT", "18家", 1), ("MONEY", "3.7万余元", 1)],
                 rels=[(3, 0, "agent"), (3, 2, "date")])
    doc = assemble(original, c, pred, "d1", {"date": "2026-01-26"})
    validate_output(doc)
    by_text = {e["text"]: e for e in doc["entities"]}
    assert by_text["河北省保定市徐水區人民檢察院"]["norm"] == {
        "name": "河北省保定市徐水区人民检察院", "kind": "procuratorate"}
    assert by_text["發(fā)出檢察建議"]["norm"] == {"kind": "suggestion"}
    # short form: alias_of added by the 以下简称 rule, name resolved to the full form everywhere
    short = [e for e in doc["entities"] if e["text"] == "徐水區院"]
    assert len(short) == 2 and all(e["norm"]["name"] == "河北省保定市徐水区人民检察院" for e in short)
    assert {"type": "alias_of", "head": short[0]["id"],
            "tail": by_text["河北省保定市徐水區人民檢察院"]["id"]} in \
        [{k: r[k] for k in ("type", "head", "tail")} for r in doc["relations"]]
    assert by_text["同年5月底"]["norm"] == {"start": "2025-05", "end": "2025-05"}
    assert by_text["3.7萬余元"]["norm"] == {"value": 37000, "currency": "CNY", "approx": "more_than"}
    (ev,) = doc["events"]
    assert ev["when"] == {"start": "2025-03-14", "end": "2025-03-14"}
    assert [a["text"] for a in ev["agent"]] == ["河北省保定市徐水區人民檢察院"]


def test_assemble_context_words_and_fullest_agency_name():
    original = "诸暨市市场监督管理局查明,至少5人受害。市场监督管理局对某公司处新台币2万元罚款。"
    c = clean(original)
    pred = _pred(c.text, [("AGENCY", "诸暨市市场监督管理局", 1), ("COUNT", "5人", 1),
                          ("AGENCY", "市场监督管理局", 2), ("PARTY", "某公司", 1),
                          ("MONEY", "2万元", 1), ("ACTION", "罚款", 1)],
                 rels=[(5, 2, "agent"), (5, 3, "target"), (5, 4, "amount"), (5, 3, "agent")])
    doc = assemble(original, c, pred, "d2")
    validate_output(doc)
    by_text = {e["text"]: e for e in doc["entities"]}
    assert by_text["5人"]["norm"]["approx"] == "at_least"
    assert by_text["2万元"]["norm"]["currency"] == "TWD"
    assert all(e["norm"]["name"] == "诸暨市市场监督管理局" for e in doc["entities"]
               if e["type"] == "AGENCY")
    roles = sorted(r["type"] for r in doc["relations"])
    assert roles == ["agent", "amount", "target"]   # 某公司 as the agent of 罚款 goes: it is the target


def test_events_are_sorted_by_date_undated_last():
    original = "2025年6月,甲局罚款1万元。2024年1月,乙局立案。丙局约谈。"
    c = clean(original)
    pred = _pred(c.text, [("DATE", "2025年6月", 1), ("ACTION", "罚款", 1), ("DATE", "2024年1月", 1),
                          ("ACTION", "立案", 1), ("AGENCY", "丙局", 1), ("ACTION", "约谈", 1)],
                 rels=[(1, 0, "date"), (3, 2, "date"), (5, 4, "agent")])
    doc = assemble(original, c, pred, "d3")
    assert [ev["text"] for ev in doc["events"]] == ["立案", "罚款", "约谈"]
    assert doc["events"][2]["when"] is None


def test_guideline_rules_on_model_output():
    """Generic organ words, place names and fragments are no AGENCY; banks are companies (PARTY);
    an ACTION needs an argument, a violation a count, amount or date; ids stay T1..Tn."""
    original = "法院认为,北京某建设银行湛江分行未经同意向张某出售信息,涉及3万条。检察院提出。诸暨市公安局处罚。"
    c = clean(original)
    pred = _pred(c.text, [("AGENCY", "法院", 1), ("AGENCY", "北京", 1),
                          ("AGENCY", "建设银行湛江分行", 1), ("ACTION", "未", 1),
                          ("PARTY", "张某", 1), ("ACTION", "出售", 1), ("COUNT", "3万条", 1),
                          ("AGENCY", "检察院", 1), ("ACTION", "提出", 1),
                          ("AGENCY", "诸暨市公安局", 1), ("ACTION", "处罚", 1)],
                 rels=[(5, 2, "agent"), (5, 4, "target"), (8, 7, "agent")])
    doc = assemble(original, c, pred, "d4")
    validate_output(doc)
    kept = [(e["type"], e["text"]) for e in doc["entities"]]
    assert kept == [("PARTY", "建设银行湛江分行"), ("PARTY", "张某"), ("COUNT", "3万条"),
                    ("AGENCY", "诸暨市公安局")]
    assert [e["id"] for e in doc["entities"]] == ["T1", "T2", "T3", "T4"]
    assert doc["relations"] == [] and doc["events"] == []   # 出售 had no count relation: dropped


def _rels(doc):
    by = {e["id"]: e["text"] for e in doc["entities"]}
    return sorted((by[r["head"]], r["type"], by[r["tail"]]) for r in doc["relations"])


def _assembled(original, ents, rels, doc_id="d"):
    """The document assembled from model output `ents` / `rels` (as _pred takes them) on
    `original`, checked against the output schema."""
    c = clean(original)
    doc = assemble(original, c, _pred(c.text, ents, rels=rels), doc_id)
    validate_output(doc)
    return doc


def test_sentence_structure_rules():
    """Passive 被 makes the subject a target; a fine takes the MONEY list right after it; a
    violation takes the COUNT of its own clause; no rule reaches across a clause or 被告人."""
    original = ("甲公司因违规被乙局罚款1万元、2万元和3万元。丙某将3万条信息出售给丁某，后又出售，"
                "共5000条。戊检察院对被告人己某提起公诉。")
    c = clean(original)
    pred = _pred(c.text, [("PARTY", "甲公司", 1), ("AGENCY", "乙局", 1), ("ACTION", "罚款", 1),
                          ("MONEY", "1万元", 1), ("MONEY", "2万元", 1), ("MONEY", "3万元", 1),
                          ("PARTY", "丙某", 1), ("COUNT", "3万条", 1), ("ACTION", "出售", 1),
                          ("PARTY", "丁某", 1), ("ACTION", "出售", 2), ("COUNT", "5000条", 1),
                          ("AGENCY", "戊检察院", 1), ("PARTY", "己某", 1), ("ACTION", "提起公诉", 1)],
                 rels=[(2, 0, "agent"), (2, 1, "agent"), (8, 6, "agent"), (8, 9, "target"),
                       (10, 6, "agent"), (14, 12, "agent"), (14, 13, "target")])
    doc = assemble(original, c, pred, "d6")
    validate_output(doc)
    rels = _rels(doc)
    assert ("罚款", "target", "甲公司") in rels and ("罚款", "agent", "乙局") in rels
    assert ("罚款", "agent", "甲公司") not in rels
    assert [t for h, r, t in rels if h == "罚款" and r == "amount"] == ["1万元", "2万元", "3万元"]
    assert ("出售", "count", "3万条") in rels
    assert ("出售", "count", "5000条") not in rels          # another clause: the 2nd act is dropped
    assert sum(1 for e in doc["entities"] if e["text"] == "出售") == 1
    assert ("提起公诉", "agent", "戊检察院") in rels       # 被告人 is no passive


def test_a_spun_approximation_word_stays_outside_the_span():
    """超过 belongs to a COUNT span, its spun stand-in 卓绝 does not (it is not one of the listed
    words); the value keeps more_than either way."""
    for original, expected in (("某公司存有超过10万条人脸数据。", "超过10万条"),
                               ("某公司存有卓绝10万条东说念主脸数据。", "10万条")):
        c = clean(original)
        assert "超过10万条" in c.text
        doc = assemble(original, c, _pred(c.text, [("COUNT", "超过10万条", 1)]), "d")
        validate_output(doc)
        (e,) = doc["entities"]
        assert e["text"] == expected
        assert e["norm"] == {"value": 100000, "unit": "条", "approx": "more_than"}


def test_anaphors_link_to_the_nearest_naming_mention():
    """对该公司 / 对其 / 上述N个行政机关 take their targets, and a generic organ word as subject
    (检察院) its agent, from an earlier mention of the right sort, for acts that have some argument
    of their own: an association is no company, the organ itself is no 行政机关, the organ the text
    names most often is the agent (at its nearest mention), and nothing is linked when an organ
    opens a clause in between, when 检察院 ends a name the model missed, or in a heading."""
    original = ("甲市乙区人民检察院发现丙科技有限公司违规收集信息。丁协会也参与了。甲市乙区人民检察院报请"
                "壬省人民检察院同意。经调查，检察院向戊区市场监督管理局制发检察建议。"
                "后者对该公司作出警告、罚款的行政处罚，对其负责人己某罚款1万元。"
                "检察院了解到，庚区公安分局立案侦查。辛区人民检察院向上述两个行政机关发出检察建议。"
                "检察机关在追责的同时，依法提起公益诉讼。2025年5月1日，癸区检察院检察官出庭支持公诉。\n"
                "检察院起诉\n2025年6月1日")
    c = clean(original)
    pred = _pred(c.text, [("AGENCY", "甲市乙区人民检察院", 1), ("ACTION", "发现", 1),
                          ("PARTY", "丙科技有限公司", 1), ("PARTY", "丁协会", 1),
                          ("AGENCY", "甲市乙区人民检察院", 2), ("AGENCY", "壬省人民检察院", 1),
                          ("AGENCY", "戊区市场监督管理局", 1), ("ACTION", "制发检察建议", 1),
                          ("ACTION", "警告", 1), ("ACTION", "罚款", 1), ("PARTY", "己某", 1),
                          ("ACTION", "罚款", 2), ("MONEY", "1万元", 1),
                          ("AGENCY", "庚区公安分局", 1), ("ACTION", "立案侦查", 1),
                          ("AGENCY", "辛区人民检察院", 1), ("ACTION", "发出检察建议", 1),
                          ("ACTION", "提起公益诉讼", 1), ("DATE", "2025年5月1日", 1),
                          ("ACTION", "出庭支持公诉", 1), ("ACTION", "起诉", 1),
                          ("DATE", "2025年6月1日", 1)],
                 rels=[(1, 0, "agent"), (7, 6, "target"), (8, 6, "agent"), (9, 6, "agent"),
                       (11, 10, "target"), (11, 12, "amount"), (16, 15, "agent"),
                       (19, 18, "date"), (20, 21, "date")])
    doc = assemble(original, c, pred, "d8")
    validate_output(doc)
    rels = _rels(doc)
    assert ("制发检察建议", "agent", "甲市乙区人民检察院") in rels
    (tail,) = [r["tail"] for r in doc["relations"] if r["type"] == "agent"
               and doc["entities"][int(r["head"][1:]) - 1]["text"] == "制发检察建议"]
    assert doc["entities"][int(tail[1:]) - 1]["start"] == original.index("甲市乙区人民检察院报请")
    assert ("警告", "target", "丙科技有限公司") in rels
    assert [t for h, r, t in rels if h == "罚款" and r == "target"] == ["丙科技有限公司", "己某"]
    assert not any(t == "丁协会" for _, _, t in rels)
    assert not any(h == "立案侦查" for h, _, _ in rels)      # 庚区公安分局 is its subject
    assert sorted(t for h, r, t in rels if h == "发出检察建议" and r == "target") == \
        ["庚区公安分局", "戊区市场监督管理局"]
    # an act with no argument of its own (a generic statement) gets none from an anaphor
    assert "提起公益诉讼" not in {e["text"] for e in doc["entities"]}
    assert [r for h, r, _ in rels if h == "出庭支持公诉"] == ["date"]   # 癸区检察院 was missed
    assert [r for h, r, _ in rels if h == "起诉"] == ["date"]           # a heading


def test_a_generic_subject_reaches_past_its_own_object():
    """A party the generic subject acts on (认定|己某) opens no clause, so the subject's later act
    in the sentence gets the named organ as agent; a party that opens a clause after a comma (，庚某
    向法院…) or a date (2025年3月2日庚某…) is that act's subject, and nothing is linked."""
    original = ("甲市乙区人民检察院受理此案。2025年2月25日，检察院认定己某违反国家规定，"
                "以侵犯公民个人信息罪向法院提起公诉。同年3月1日，检察院认定己某违规，庚某向法院提起诉讼。"
                "检察院认定己某违规，2025年3月2日庚某向法院起诉。")
    c = clean(original)
    pred = _pred(c.text, [("AGENCY", "甲市乙区人民检察院", 1), ("ACTION", "受理", 1),
                          ("DATE", "2025年2月25日", 1), ("PARTY", "己某", 1), ("ACTION", "提起公诉", 1),
                          ("DATE", "同年3月1日", 1), ("PARTY", "己某", 2), ("PARTY", "庚某", 1),
                          ("ACTION", "提起诉讼", 1), ("PARTY", "己某", 3), ("DATE", "2025年3月2日", 1),
                          ("PARTY", "庚某", 2), ("ACTION", "起诉", 1)],
                 rels=[(1, 0, "agent"), (4, 2, "date"), (4, 3, "target"), (8, 5, "date"),
                       (12, 10, "date")])
    doc = assemble(original, c, pred, "d9")
    validate_output(doc)
    rels = _rels(doc)
    assert ("提起公诉", "agent", "甲市乙区人民检察院") in rels
    assert not any(h in ("提起诉讼", "起诉") and r == "agent" for h, r, _ in rels)


def test_an_organ_after_本市_and_an_organ_by_its_short_word_take_the_full_name():
    """本市|市场监督管理局 in a text of 诸暨市人民检察院 is 诸暨市市场监督管理局, and a later 市场监管局
    (the short form of the organ word) is the same organ: the fullest name the text gives. A
    deictic word whose level no organ of the text is named with (该县 here) leaves the name."""
    original = ("诸暨市人民检察院向本市市场监督管理局发出检察建议。市场监管局随后立案。"
                "诸暨市人民检察院还向该县住建局移送线索。")
    ents = [("AGENCY", "诸暨市人民检察院", 1), ("AGENCY", "市场监督管理局", 1),
            ("ACTION", "发出检察建议", 1), ("AGENCY", "市场监管局", 1), ("ACTION", "立案", 1),
            ("AGENCY", "诸暨市人民检察院", 2), ("AGENCY", "住建局", 1), ("ACTION", "移送", 1)]
    rels = [(2, 0, "agent"), (2, 1, "target"), (4, 3, "agent"), (7, 5, "agent"), (7, 6, "target")]
    names = {e["text"]: e["norm"]["name"] for e in _assembled(original, ents, rels)["entities"]
             if e["type"] == "AGENCY"}
    assert names == {"诸暨市人民检察院": "诸暨市人民检察院", "市场监督管理局": "诸暨市市场监督管理局",
                     "市场监管局": "诸暨市市场监督管理局", "住建局": "住建局"}
    c = clean(original)
    off = assemble(original, c, _pred(c.text, ents, rels=rels), "d",
                   disable=frozenset({"agency_deictic_place"}))
    assert {e["text"]: e["norm"]["name"] for e in off["entities"] if e["type"] == "AGENCY"}[
        "市场监管局"] == "市场监督管理局"


def test_acts_in_quoted_provisions_and_proposals_are_dropped():
    original = ("依据该法第六十六条规定：“由主管部门责令改正，给予警告。”乙局对甲公司罚款1万元。"
                "丙院建议法院判处丁某有期徒刑。")
    c = clean(original)
    pred = _pred(c.text, [("ACTION", "责令改正", 1), ("ACTION", "警告", 1), ("AGENCY", "乙局", 1),
                          ("ACTION", "罚款", 1), ("PARTY", "甲公司", 1), ("MONEY", "1万元", 1),
                          ("AGENCY", "丙院", 1), ("ACTION", "建议", 1), ("ACTION", "判处", 1),
                          ("PARTY", "丁某", 1)],
                 rels=[(0, 2, "agent"), (1, 2, "agent"), (3, 2, "agent"), (3, 4, "target"),
                       (7, 6, "agent"), (8, 9, "target")])
    doc = assemble(original, c, pred, "d7")
    validate_output(doc)
    acts = [e["text"] for e in doc["entities"] if e["type"] == "ACTION"]
    assert acts == ["罚款", "建议"]


@pytest.mark.parametrize("typ,text,expected", [
    ("DATE", "近日", None), ("DATE", "十周年", None), ("DATE", "913101183422", None),
    ("DATE", "2020年9月至10月期间", "2020年9月至10月"), ("DATE", "今年8月11日前", "今年8月11日"),
    ("DATE", "三天后", "三天后"), ("DATE", "第二日", "第二日"),
    ("COUNT", "多次", None), ("COUNT", "一名", None), ("COUNT", "三张", "三张"),
    ("COUNT", "3.7万余条", "3.7万余条"),
    ("STATUTE", "第十五条", None), ("STATUTE", "网络产品", None),
    ("STATUTE", "《殡葬管理条例》", "《殡葬管理条例》"),
    ("PARTY", "肖某累计", "肖某"), ("PARTY", "李某甲", "李某甲"), ("PARTY", "周某某", "周某某"),
    ("PARTY", "重庆某科技有限公司", "重庆某科技有限公司"), ("PARTY", "喻某1", "喻某1"),
    ("COUNT", "超300万", None), ("COUNT", "有3000条", "3000条"), ("COUNT", "20.7万余札", "20.7万余札"),
    ("STATUTE", "本法第二十二条", None), ("STATUTE", "个人信息保护法中", "个人信息保护法"),
    ("STATUTE", "行政处罚法等法律法规", "行政处罚法"), ("STATUTE", "民法典第1034条", "民法典第1034条"),
    ("STATUTE", "刑法修正案（九）", "刑法修正案（九）"),
    ("PARTY", "该公司", None), ("PARTY", "涉案企业", None), ("PARTY", "组织杨某", "杨某"),
    ("PARTY", "农行吉林某支行", "农行吉林某支行"), ("PARTY", "欧阳某", "欧阳某"),
    ("AGENCY", "本市市场监督管理局", "市场监督管理局"), ("AGENCY", "本市公安局", "本市公安局"),
])
def test_refine_span(typ, text, expected):
    from lawie.infer.spans import refine_span
    r = refine_span(typ, text + "，", 0, len(text))
    assert (text[r[0]:r[1]] if r else None) == expected


def test_refine_span_person_running_into_a_word():
    from lawie.infer.spans import refine_span
    assert refine_span("PARTY", "谢某联系该公司", 0, 3) == (0, 2)     # 谢某|联系
    assert refine_span("PARTY", "葛某东，对违反", 0, 3) == (0, 3)     # a full name


@pytest.mark.parametrize("text,expected", [
    ("给予警告", "警告"), ("判决支持", "判决"), ("抓获归案", "抓获"), ("出售至", "出售"),
    ("立案调查", "立案调查"), ("给予警告处罚", "给予警告处罚"), ("制发检察建议", "制发检察建议"),
    ("严肃查处", "查处"), ("刑事判决", "判决"), ("处罚款", "罚款"), ("立案办理", "立案"),
    ("责令停止违法行为", "责令停止"), ("责令立即改正违法行为", "责令立即改正"), ("责令改正", "责令改正"),
])
def test_refine_action_to_the_shortest_phrase(text, expected):
    from lawie.infer.spans import refine_span
    s, e = refine_span("ACTION", text, 0, len(text))
    assert text[s:e] == expected


@pytest.mark.parametrize("typ,text,start,end,expected", [
    ("ACTION", "被判刑三年", 1, 2, "判刑"), ("ACTION", "判令被告赔偿", 0, 1, "判令"),
    ("ACTION", "判处有期徒刑", 0, 2, "判处"), ("ACTION", "刑事判决书载明", 2, 4, None),
    ("ACTION", "符合立案条件", 2, 4, None), ("ACTION", "窃取量达", 0, 2, None),
    ("DATE", "2021年期间", 0, 6, "2021年"), ("DATE", "去年5月", 1, 4, "去年5月"),
    ("DATE", "2023年7月至2024年3月时间", 0, 17, "2023年7月至2024年3月"),
    ("ACTION", "当庭作出判决", 3, 6, "判决"),
    ("COUNT", "共3万余条信息", 1, 4, "3万余条"), ("STATUTE", "《快递电子运单》", 0, 5, "《快递电子运单》"),
    ("PARTY", "检察官张三认为", 3, 5, None), ("PARTY", "张三认为", 0, 2, "张三"),
    ("DATE", "同日公开披露", 0, 1, "同日"), ("DATE", "并于第二日投案", 3, 5, "第二日"),
    ("DATE", "同时，检察院", 0, 1, None), ("DATE", "同期，检察院", 0, 1, None),
    ("DATE", "今年中央行", 1, 2, "今年"),
    ("PARTY", "关于上海某科技有限公司违法", 0, 11, "上海某科技有限公司"),
    ("AGENCY", "明确十堰市某局作为主管", 0, 7, "十堰市某局"),
    ("AGENCY", "十堰市茅箭区人民检察院党组成员", 0, 13, "十堰市茅箭区人民检察院"),
    ("STATUTE", "违反本法第二十二条第三款", 1, 9, None),
    ("ACTION", "作出责令立即改正违法行为", 2, 4, "责令立即改正"), ("ACTION", "责令排查隐患", 0, 2, "责令"),
    ("ACTION", "非法经营数额", 0, 2, None), ("ACTION", "200余名卖家", 5, 7, None),
    ("ACTION", "中国裁判文书网", 2, 4, None),
    ("PARTY", "依法对知网进行调查", 3, 4, None), ("PARTY", "到案后，李、吴均承认", 6, 7, "吴"),
    ("PARTY", "引起委员王忠勇的注意，王忠勇等人走访", 11, 14, None),
    ("PARTY", "何某洋出售信息", 0, 3, "何某洋"), ("PARTY", "刘某飞被判处", 0, 3, "刘某飞"),
])
def test_refine_span_reads_the_context(typ, text, start, end, expected):
    from lawie.infer.spans import refine_span
    r = refine_span(typ, text, start, end)
    assert (text[r[0]:r[1]] if r else None) == expected


def test_spans_never_cut_an_html_entity_or_a_spun_word():
    original = "被告人&#24352;&#19977;在北京，徐水区东说念主民检察院立案。"
    c = clean(original)
    assert "被告人张三在北京" in c.text and "徐水区人民检察院" in c.text
    pred = _pred(c.text, [("PARTY", "张三", 1), ("AGENCY", "徐水区人民检察院", 1)])
    doc = assemble(original, c, pred, "d5")
    validate_output(doc)
    assert [e["text"] for e in doc["entities"]] == ["&#24352;&#19977;", "徐水区东说念主民检察院"]


def test_extract_many_checks_lengths_and_keeps_accepted_docs(tiny):
    from lawie.infer.api import LawieError
    with pytest.raises(LawieError, match="3 texts, 1 dates"):
        tiny.extract_many(["a", "b", "c"], dates=["2025-01-01"])
    got = []
    with pytest.raises(LawieError, match="'text' must be a string"):
        for d in tiny.extract_docs([{"id": "ok", "text": "某公司"}, {"id": "bad", "text": None}]):
            got.append(d["id"])
    assert got == ["ok"]


def test_precision_choices(tiny_model_dir, monkeypatch):
    """bfloat16 runs the encoder only (heads in float32) and gives nearly the float32 tag
    probabilities; "auto" picks bfloat16 only where the CPU has hardware bfloat16 matmul."""
    import torch

    import lawie.infer.runtime as runtime
    from lawie.infer.api import LawieError
    text = "某公司于2021年3月被某市市场监督管理局罚款5万元。" * 3
    f32 = Extractor.load(tiny_model_dir, precision="float32")
    b16 = Extractor.load(tiny_model_dir, precision="bfloat16")
    assert f32.runtime.encoder_dtype == torch.float32
    assert b16.runtime.encoder_dtype == torch.bfloat16
    assert b16.runtime.model.ner_head.weight.dtype == torch.float32
    pa, pb = f32.runtime.tag_probs(text), b16.runtime.tag_probs(text)
    assert pa.dtype == pb.dtype and abs(pa - pb).max() < 0.1
    validate_output(b16.extract(text))
    for has_amx, want in ((True, torch.bfloat16), (False, torch.float32)):
        monkeypatch.setattr(runtime, "cpu_has_bf16_matmul", lambda: has_amx)
        assert Extractor.load(tiny_model_dir).runtime.encoder_dtype == want
    with pytest.raises(LawieError, match="precision 'half'"):
        Extractor.load(tiny_model_dir, precision="half")


def test_spans_that_leave_a_piece_of_a_word_are_dropped():
    """An ACTION or AGENCY span that ends inside a word and leaves a single character of it outside
    (开设店|铺, 诉至法|院) is no entity; the whole word is kept, and PARTY names are not checked."""
    original = "2020年5月,肖某在该网站上开设店铺,出售个人信息3万条,后被诉至法院。"
    c = clean(original)
    pred = _pred(c.text, [("PARTY", "肖某", 1), ("ACTION", "开设店", 1), ("ACTION", "出售", 1),
                          ("COUNT", "3万条", 1), ("ACTION", "诉至法", 1), ("DATE", "2020年5月", 1)],
                 rels=[(1, 0, "agent"), (2, 0, "agent"), (2, 3, "count"), (1, 5, "date")])
    doc = assemble(original, c, pred, "d")
    validate_output(doc)
    acts = [e["text"] for e in doc["entities"] if e["type"] == "ACTION"]
    assert acts == ["出售"]
    by_id = {e["id"]: e["text"] for e in doc["entities"]}
    assert sorted((by_id[r["head"]], r["type"], by_id[r["tail"]]) for r in doc["relations"]) == [
        ("出售", "agent", "肖某"), ("出售", "count", "3万条")]


def test_whole_word_check_can_be_turned_off():
    original = "肖某在该网站上开设店铺,出售个人信息3万条。"
    c = clean(original)
    pred = _pred(c.text, [("PARTY", "肖某", 1), ("ACTION", "开设店", 1), ("DATE", "该网站", 1)],
                 rels=[(1, 0, "agent")])
    pred["entities"][2].update(type="COUNT", start=c.text.index("3万条"), end=c.text.index("3万条") + 3)
    pred["relations"].append({"head": 1, "tail": 2, "type": "count", "score": 0.8})
    assert "开设店" not in [e["text"] for e in assemble(original, c, pred, "d")["entities"]]
    doc = assemble(original, c, pred, "d", whole_words=False)
    validate_output(doc)
    assert "开设店" in [e["text"] for e in doc["entities"] if e["type"] == "ACTION"]


def test_who_can_perform_which_act():
    """Only a state organ fines, judges, files a case or holds a hearing: a PARTY read as the agent
    of such an act becomes its target (or goes, when it is the target already); only a court
    judges or is a venue; a procuratorate fines no one; a lawsuit keeps a party as its agent."""
    original = "甲银行罚款2万元。乙法院判决丙某赔偿1万元。丁某起诉戊公司。庚检察院向辛法院提起公诉。"
    doc = _assembled(original,
                     [("PARTY", "甲银行", 1), ("ACTION", "罚款", 1), ("MONEY", "2万元", 1),
                      ("AGENCY", "乙法院", 1), ("ACTION", "判决", 1), ("PARTY", "丙某", 1),
                      ("MONEY", "1万元", 1), ("PARTY", "丁某", 1), ("ACTION", "起诉", 1),
                      ("PARTY", "戊公司", 1), ("AGENCY", "庚检察院", 1), ("AGENCY", "辛法院", 1),
                      ("ACTION", "提起公诉", 1)],
                     [(1, 0, "agent"), (1, 2, "amount"), (4, 3, "agent"), (4, 5, "agent"),
                      (4, 5, "target"), (4, 6, "amount"), (4, 10, "agent"), (1, 10, "agent"),
                      (8, 7, "agent"), (8, 9, "target"),
                      (12, 10, "agent"), (12, 10, "venue"), (12, 11, "venue")], "d9")
    rels = _rels(doc)
    assert ("罚款", "target", "甲银行") in rels and ("罚款", "agent", "甲银行") not in rels
    assert ("罚款", "agent", "庚检察院") not in rels
    assert [r for r in rels if r[0] == "判决" and r[1] == "agent"] == [("判决", "agent", "乙法院")]
    assert [r for r in rels if r[0] == "判决" and r[2] == "丙某"] == [("判决", "target", "丙某")]
    assert ("起诉", "agent", "丁某") in rels and ("起诉", "target", "戊公司") in rels
    assert [r for r in rels if r[0] == "提起公诉"] == [("提起公诉", "agent", "庚检察院"),
                                                     ("提起公诉", "venue", "辛法院")]


def test_money_range_halves_are_one_span_and_joint_organs_two():
    """X以上、Y以下 read as two amounts is one MONEY range, 以下 outside (also when the first half
    stopped at 以|上); 甲局联合乙局网安大队 read as one organ is two, each the agent of the act."""
    original = ("甲局联合乙县公安局网安大队对丙公司开展检查。主管机关处新台币2万元以上、20万元以下罚款，"
                "可处2万元以上、20万元以下罚款，或处一万元以上十万元以下罚款。")
    c = clean(original)
    t = c.text
    ents = _pred(t, [("AGENCY", "甲局联合乙县公安局网安大队", 1), ("PARTY", "丙公司", 1),
                     ("ACTION", "检查", 1), ("MONEY", "2万元以上", 1), ("MONEY", "20万元", 1),
                     ("MONEY", "2万元以", 2), ("MONEY", "20万元", 2), ("MONEY", "一万元以上十万元", 1),
                     ("ACTION", "罚款", 1)],
                 rels=[(2, 0, "agent"), (2, 1, "target"), (8, 3, "amount"), (8, 4, "amount")])
    doc = assemble(original, c, ents, "d")
    validate_output(doc)
    money = [(e["text"], e["norm"]["min"], e["norm"]["max"], e["norm"]["currency"])
             for e in doc["entities"] if e["type"] == "MONEY"]
    # the text names no currency but 新台币, so its other sums are in it too (money_regional_currency)
    assert money == [("2万元以上、20万元", 20000, 200000, "TWD"),
                     ("2万元以上、20万元", 20000, 200000, "TWD"),
                     ("一万元以上十万元", 10000, 100000, "TWD")]
    rels = _rels(doc)
    assert ("罚款", "amount", "2万元以上、20万元") in rels
    assert ("检查", "agent", "甲局") in rels and ("检查", "agent", "乙县公安局网安大队") in rels
    agencies = [e["text"] for e in doc["entities"] if e["type"] == "AGENCY"]
    assert agencies == ["甲局", "乙县公安局网安大队"]


def test_titled_people_bracketed_regions_and_prices_are_split_or_joined():
    """某银行江北支行行长葛某东 is the bank and the person (the relations go to the person);
    同方某网(北京)技术有限公司 read in two pieces is one company; 100万次/400元 is a COUNT and a
    MONEY (the relations stay with the MONEY); a bank and its branch read apart are one PARTY."""
    original = ("某银行江北支行行长葛某东，被罚1万元。"
                "同方某网(北京)技术有限公司以100万次/400元的价格出售数据。农业银行吉林市江北支行被罚。")
    c = clean(original)
    pred = _pred(c.text, [("PARTY", "某银行江北支行行长葛某东", 1), ("ACTION", "罚", 1),
                          ("MONEY", "1万元", 1), ("PARTY", "同方某网", 1),
                          ("PARTY", "北京）技术有限公司", 1), ("MONEY", "100万次/400元", 1),
                          ("ACTION", "出售", 1), ("PARTY", "农业银行", 1), ("AGENCY", "吉林市江北支行", 1)],
                 rels=[(1, 0, "target"), (1, 2, "amount"), (6, 3, "agent"), (6, 5, "amount")])
    doc = assemble(original, c, pred, "d")
    validate_output(doc)
    ents = [(e["type"], e["text"]) for e in doc["entities"]]
    assert ents == [("PARTY", "某银行江北支行"), ("PARTY", "葛某东"), ("ACTION", "罚"),
                    ("MONEY", "1万元"), ("PARTY", "同方某网(北京)技术有限公司"), ("COUNT", "100万次"),
                    ("MONEY", "400元"), ("ACTION", "出售"), ("PARTY", "农业银行吉林市江北支行")]
    rels = _rels(doc)
    assert ("罚", "target", "葛某东") in rels and ("罚", "target", "某银行江北支行") not in rels
    assert ("出售", "agent", "同方某网(北京)技术有限公司") in rels
    assert ("出售", "amount", "400元") in rels


def test_relations_go_to_the_nearest_naming_mention():
    """An argument named more than once is linked at the mention the guideline means: the last
    one before the act in its clause, else the first after it in its clause; two links to
    mentions of the same argument are one."""
    original = "甲局约谈乙公司。后乙公司整改，甲局对乙公司罚款1万元，乙公司已缴纳。"
    doc = _assembled(original,
                     [("AGENCY", "甲局", 1), ("PARTY", "乙公司", 1), ("PARTY", "乙公司", 2),
                      ("AGENCY", "甲局", 2), ("PARTY", "乙公司", 3), ("ACTION", "罚款", 1),
                      ("MONEY", "1万元", 1), ("PARTY", "乙公司", 4)],
                     [(5, 0, "agent"), (5, 1, "target"), (5, 4, "target"), (5, 7, "target"),
                      (5, 6, "amount")])
    ids = {(e["text"], e["start"]): e["id"] for e in doc["entities"]}
    fine = ids[("罚款", original.index("罚款"))]
    got = sorted((r["type"], r["tail"]) for r in doc["relations"] if r["head"] == fine)
    agency2 = ids[("甲局", original.index("甲局", 1))]
    party3 = ids[("乙公司", original.index("对乙公司") + 1)]
    money = ids[("1万元", original.index("1万元"))]
    assert got == sorted([("agent", agency2), ("target", party3), ("amount", money)])


def test_field_form_notice_links_the_result_to_the_other_fields():
    """处罚结果's acts take agent, target, basis and date from the notice's other fields; a field
    may start after 。 inside a line; 处罚决定书文号 and 作出处罚决定日期 are no result / agent field."""
    original = ("处罚决定书文号：沪通信罚〔2020〕3号\n被处罚企业名称：甲科技有限公司\n"
                "处罚事由：甲科技有限公司违规收集个人信息。处罚依据：《中华人民共和国网络安全法》第四十一条。\n"
                "处罚结果：责令改正并处警告。\n作出处罚的行政执法单位名称：乙市通信管理局\n"
                "作出处罚决定日期：2020年12月28日")
    doc = _assembled(original,
                     [("PARTY", "甲科技有限公司", 1), ("PARTY", "甲科技有限公司", 2),
                      ("STATUTE", "《中华人民共和国网络安全法》第四十一条", 1), ("ACTION", "责令改正", 1),
                      ("ACTION", "警告", 1), ("AGENCY", "乙市通信管理局", 1),
                      ("DATE", "2020年12月28日", 1)], [])
    rels = _rels(doc)
    for act in ("责令改正", "警告"):
        assert (act, "agent", "乙市通信管理局") in rels
        assert (act, "basis", "《中华人民共和国网络安全法》第四十一条") in rels
        assert (act, "date", "2020年12月28日") in rels
    ids = {e["id"]: e for e in doc["entities"]}
    targets = [ids[r["tail"]]["start"] for r in doc["relations"] if r["type"] == "target"]
    # the party field names it; the relation goes to its nearest mention (处罚事由's)
    assert targets == [original.index("甲科技有限公司违规")] * 2
    # without the result field no act has an argument, and none is kept
    plain = _assembled(original.replace("处罚结果：", "另外，"),
                       [("PARTY", "甲科技有限公司", 1), ("ACTION", "责令改正", 1),
                        ("AGENCY", "乙市通信管理局", 1)], [])
    assert [e["text"] for e in plain["entities"] if e["type"] == "ACTION"] == []


def test_values_written_alike_keep_their_own_links():
    original = "法院判处甲某并处罚金十九万元；乙某并处罚金十九万元。"
    doc = _assembled(original,
                     [("AGENCY", "法院", 1), ("ACTION", "判处", 1), ("PARTY", "甲某", 1),
                      ("MONEY", "十九万元", 1), ("PARTY", "乙某", 1), ("MONEY", "十九万元", 2)],
                     [(1, 2, "target"), (1, 3, "amount"), (1, 4, "target"), (1, 5, "amount")])
    amounts = sorted(e["start"] for e in doc["entities"] for r in doc["relations"]
                     if r["type"] == "amount" and r["tail"] == e["id"])
    assert amounts == [original.index("十九万元"), original.rindex("十九万元")]


def test_an_object_right_after_the_act_is_its_argument():
    original = "乙公司违法收集信息，甲院起诉乙公司，请求判令乙公司赔偿。"
    doc = _assembled(original,
                     [("PARTY", "乙公司", 1), ("AGENCY", "甲院", 1), ("ACTION", "起诉", 1),
                      ("PARTY", "乙公司", 2), ("ACTION", "请求判令", 1), ("PARTY", "乙公司", 3)],
                     [(2, 1, "agent"), (2, 0, "target"), (4, 1, "agent"), (4, 0, "target")])
    ids = {e["id"]: e["start"] for e in doc["entities"]}
    by_act = {e["text"]: e["id"] for e in doc["entities"] if e["type"] == "ACTION"}
    tgt = {a: [ids[r["tail"]] for r in doc["relations"] if r["head"] == h and r["type"] == "target"]
           for a, h in by_act.items()}
    assert tgt == {"起诉": [original.index("乙公司", 10)], "请求判令": [original.index("判令乙公司") + 2]}


def test_no_organ_commits_an_act_called_illegal():
    """An AGENCY read as the agent of 非法爬取 is dropped and the act stays a violation; an organ's
    没收违法所得 (a penalty) keeps its agent."""
    original = "甲检察院查明，乙公司非法爬取数据300万条。丙局对乙公司没收违法所得1万元。"
    doc = _assembled(original,
                     [("AGENCY", "甲检察院", 1), ("PARTY", "乙公司", 1), ("ACTION", "非法爬取", 1),
                      ("COUNT", "300万条", 1), ("AGENCY", "丙局", 1), ("PARTY", "乙公司", 2),
                      ("ACTION", "没收违法所得", 1), ("MONEY", "1万元", 1)],
                     [(2, 0, "agent"), (2, 3, "count"), (6, 4, "agent"), (6, 5, "target"),
                      (6, 7, "amount")])
    rels = _rels(doc)
    assert ("非法爬取", "agent", "甲检察院") not in rels and ("非法爬取", "count", "300万条") in rels
    assert ("没收违法所得", "agent", "丙局") in rels
    kinds = {e["text"]: e["norm"]["kind"] for e in doc["entities"] if e["type"] == "ACTION"}
    assert kinds == {"非法爬取": "violation", "没收违法所得": "penalty"}


def test_an_act_has_one_date():
    original = "2025年3月，甲局于5月6日对乙公司罚款1万元。"
    c = clean(original)
    pred = _pred(c.text, [("DATE", "2025年3月", 1), ("AGENCY", "甲局", 1), ("DATE", "5月6日", 1),
                          ("PARTY", "乙公司", 1), ("ACTION", "罚款", 1)],
                 rels=[(4, 1, "agent"), (4, 3, "target"), (4, 0, "date"), (4, 2, "date")])
    pred["relations"][2]["score"], pred["relations"][3]["score"] = 0.6, 0.9
    doc = assemble(original, c, pred, "d")
    validate_output(doc)
    assert [t for h, r, t in _rels(doc) if r == "date"] == ["5月6日"]


def test_penalty_lists_are_read_whole():
    """Each penalty of a 、-list is an ACTION: the items the model missed beside one it read are
    added (scored as the read item beside them); other lists and lone words are not."""
    from lawie.infer.spans import prepare_spans
    text = "甲局作出责令立即改正违法行为、警告、罚金的决定，对乙作出警告、罚款、暂停执业的决定。购买、出售信息。"

    def span(surface, occ=1, score=0.9):
        i = -1
        for _ in range(occ):
            i = text.index(surface, i + 1)
        return {"type": "ACTION", "start": i, "end": i + len(surface), "score": score}
    out = prepare_spans(text, [span("责令立即改正", score=0.7), span("警告", 2), span("暂停执业", score=0.8),
                               span("购买")])
    got = [(text[e["start"]:e["end"]], e["score"]) for e in out]
    assert got == [("责令立即改正", 0.7), ("警告", 0.7), ("罚金", 0.7), ("警告", 0.9), ("罚款", 0.9),
                   ("暂停执业", 0.8), ("购买", 0.9)]


def test_prepare_spans_mends_the_spans_the_relation_head_reads():
    """prepare_spans applies restructure_spans, refine_span and retype to decoded spans, keeps one
    entity per (span, type) with the best score, and changes nothing the second time."""
    from lawie.infer.spans import prepare_spans
    text = "央行对关于上海某科技有限公司处2万元以上、20万元以下罚款。同时，甲局联合乙局检查。"

    def span(typ, surface, score=0.9):
        i = text.index(surface)
        return {"type": typ, "start": i, "end": i + len(surface), "score": score}
    ents = [span("PARTY", "央行"), span("PARTY", "关于上海某科技有限公司", 0.6),
            span("PARTY", "上海某科技有限公司", 0.8), span("MONEY", "2万元以上"),
            span("MONEY", "20万元"), span("ACTION", "罚款"), span("DATE", "同"),
            span("AGENCY", "甲局联合乙局")]
    out = prepare_spans(text, ents)
    got = [(e["type"], text[e["start"]:e["end"]], e["score"]) for e in out]
    assert got == [("AGENCY", "央行", 0.9), ("PARTY", "上海某科技有限公司", 0.8),
                   ("MONEY", "2万元以上、20万元", 0.9), ("ACTION", "罚款", 0.9),
                   ("AGENCY", "甲局", 0.9), ("AGENCY", "乙局", 0.9)]
    assert prepare_spans(text, out) == out


def test_state_organs_typed_party_become_agencies():
    """A procuratorate, court or police organ or the central bank is never a PARTY, named or
    anonymized (某市检察院); a hospital, a company or a commercial bank stays PARTY."""
    doc = _assembled("某市检察院向某区法院起诉。某县公安局查处某医院。央行处罚建行。",
                     [("PARTY", "某市检察院", 1), ("PARTY", "某区法院", 1), ("ACTION", "起诉", 1),
                      ("PARTY", "某县公安局", 1), ("ACTION", "查处", 1), ("PARTY", "某医院", 1),
                      ("PARTY", "央行", 1), ("ACTION", "处罚", 1), ("PARTY", "建行", 1)],
                     [(2, 0, "agent"), (2, 1, "target"), (4, 3, "agent"), (4, 5, "target"),
                      (7, 6, "agent"), (7, 8, "target")])
    types = {e["text"]: (e["type"], e["norm"].get("kind")) for e in doc["entities"]}
    assert types["某市检察院"] == ("AGENCY", "procuratorate")
    assert types["某区法院"] == ("AGENCY", "court")
    assert types["某县公安局"] == ("AGENCY", "police")
    assert types["某医院"] == ("PARTY", "org")
    assert types["央行"][0] == "AGENCY" and types["建行"] == ("PARTY", "org")


def test_bfloat16_flags_are_amx_or_avx512_bf16():
    from lawie.infer.runtime import has_bf16_flags
    assert has_bf16_flags(["fpu", "avx512f", "avx512_bf16"]) and has_bf16_flags(["amx_bf16"])
    assert not has_bf16_flags(["fpu", "avx2", "avx512f", "avx512_vnni"])


@pytest.mark.parametrize("text,span,field,want", [
    ("罚款不到5万元。", "5万元", "approx", "about"),
    ("获利八千元开外。", "八千元", "approx", "more_than"),
    ("涉案至少5人。", "5人", "approx", "at_least"),
    ("罚款港币2万元。", "2万元", "currency", "HKD"),
    ("罚款澳门元3万元。", "3万元", "currency", "MOP"),
    ("罚款达5万元。", "5万元", "approx", None),
])
def test_words_around_a_value_come_from_the_lexicon(text, span, field, want):
    """The document-level rule reads the words outside a COUNT / MONEY span from the same
    lexicon as the normalizers (approx_words.tsv, currencies.tsv)."""
    from lawie.infer.document import normalize_document
    s = text.index(span)
    view = {"type": "COUNT" if span.endswith("人") else "MONEY", "text": span, "start": s,
            "end": s + len(span)}
    normalize_document([view], text)
    assert view["norm"][field] == want
