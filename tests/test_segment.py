"""Long documents a segment at a time (infer/segment.py): the cuts, the join, and the Extractor
path that uses them (issue 21: memory that does not grow with a document's length)."""
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lawie.infer.segment import cut, join

from conftest import validate_output


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="甲乙丙。，\n！a ", max_size=400), st.integers(min_value=2, max_value=60))
def test_cuts_cover_the_text_in_order_and_respect_the_size(text, size):
    segs = cut(text, size)
    assert segs[0][0] == 0 and segs[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(segs, segs[1:]))
    if text:
        assert all(0 < e - s <= size for s, e in segs)
    else:
        assert segs == [(0, 0)]


def test_cuts_prefer_paragraphs_then_sentences():
    para = "甲" * 30 + "\n" + "乙" * 30 + "。" + "丙" * 30
    # the line break (at 30) lies in the first half of the 80: the cut is after the sentence end
    assert cut(para, 80)[0] == (0, 62)
    para = "甲" * 45 + "\n" + "乙" * 20 + "。" + "丙" * 30
    assert cut(para, 80)[0] == (0, 46)
    sentences = "甲" * 50 + "。" + "乙" * 60
    assert cut(sentences, 80)[0] == (0, 51)
    assert cut("甲" * 200, 80) == [(0, 80), (80, 160), (160, 200)]
    assert cut("短文本", 80) == [(0, 3)]
    with pytest.raises(ValueError):
        cut("甲", 1)


def _part(text, spans):
    ents = [{"id": f"T{i + 1}", "type": t, "start": s, "end": e, "text": text[s:e],
             "norm": {"name": text[s:e], "kind": "other"} if t == "AGENCY" else {"kind": "other"}}
            for i, (t, s, e) in enumerate(spans)]
    rels = [{"type": "agent", "head": "T2", "tail": "T1"}] if len(ents) > 1 else []
    return {"id": "d", "text": text, "meta": {}, "entities": ents, "relations": rels}


def test_join_shifts_offsets_and_renumbers():
    a, b = "某市公安局查处。\n", "某市公安局抓获。"
    text = a + b
    parts = [(0, _part(a, [("AGENCY", 0, 5), ("ACTION", 5, 7)])),
             (len(a), _part(b, [("AGENCY", 0, 5), ("ACTION", 5, 7)]))]
    doc = join("d", text, {"date": "2024-01-01"}, parts)
    assert [e["id"] for e in doc["entities"]] == ["T1", "T2", "T3", "T4"]
    assert [text[e["start"]:e["end"]] for e in doc["entities"]] == ["某市公安局", "查处",
                                                                    "某市公安局", "抓获"]
    assert doc["relations"] == [{"type": "agent", "head": "T2", "tail": "T1"},
                                {"type": "agent", "head": "T4", "tail": "T3"}]
    assert [ev["action"] for ev in doc["events"]] == ["T2", "T4"]
    assert doc["events"][1]["agent"][0]["id"] == "T3"
    assert doc["meta"] == {"date": "2024-01-01", "segments": 2}


def test_join_runs_the_document_name_rule_over_all_segments():
    from lawie.infer.document import resolve_agency_names
    a, b = "杭州市人民检察院受理。\n", "该检察院起诉。"
    parts = [(0, _part(a, [("AGENCY", 0, 8)])),
             (len(a), _part(b, [("AGENCY", 0, 1)]))]
    # the second segment's 市检察院-like short name: the fuller name comes from the first
    parts[1][1]["entities"][0].update(text="检察院", end=3, norm={"name": "杭州市检察院",
                                                             "kind": "procuratorate"})
    doc = join("d", a + b, {}, parts, resolve_names=resolve_agency_names)
    assert doc["entities"][1]["norm"]["name"] == "杭州市人民检察院"


def test_long_text_goes_a_segment_at_a_time(tiny_model_dir):
    from lawie import Extractor
    from lawie.infer.api import LawieError
    para = "2021年3月，杭州市公安局破获一起侵犯公民个人信息案，抓获犯罪嫌疑人张某等3人，涉案金额5万元。"
    text = "\n".join([para] * 60)                     # 2,939 characters
    ex = Extractor.load(tiny_model_dir, precision="float32", segment_chars=1000)
    doc = ex.extract(text, id="long")
    validate_output(doc)
    assert doc["meta"]["segments"] == len(cut(text, 1000)) >= 3
    assert doc["text"] == text
    # the same as each segment extracted on its own, shifted
    want = []
    for s, e in cut(text, 1000):
        part = ex.extract(text[s:e])
        want += [(x["type"], x["start"] + s, x["end"] + s, json.dumps(x["norm"], sort_keys=True))
                 for x in part["entities"]]
    got = [(x["type"], x["start"], x["end"], json.dumps(x["norm"], sort_keys=True))
           for x in doc["entities"]]
    assert got == want
    whole = Extractor.load(tiny_model_dir, precision="float32").extract(text)
    assert "segments" not in whole["meta"]
    with pytest.raises(LawieError, match="segment_chars"):
        Extractor.load(tiny_model_dir, segment_chars=10)
