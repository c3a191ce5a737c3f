import copy
import json
from pathlib import Path

import pytest

from lawie.train.convert import (convert, from_brat, from_doccano, from_label_studio, to_brat,
                                 to_doccano, to_label_studio)
from lawie.train.corpus import CorpusError, read_jsonl, validate_doc, write_jsonl

FIXTURES = Path(__file__).resolve().parent.parent / "corpus" / "fixtures"


@pytest.fixture()
def docs():
    return list(read_jsonl(FIXTURES / "sample.jsonl"))


def _scored(doc):
    d = copy.deepcopy(doc)
    for i, e in enumerate(d["entities"]):
        e["score"] = round(0.5 + i / 100, 2)
    for r in d["relations"]:
        r["score"] = 0.75
    return d


def _canon(doc, scores=False):
    """Entities and relations independent of ids (relations by the spans they join)."""
    by_id = {e["id"]: e for e in doc["entities"]}

    def key(e):
        return (e["start"], e["end"], e["type"])
    ents = sorted((key(e), e["text"], json.dumps(e.get("norm"), sort_keys=True),
                   e.get("score") if scores else None) for e in doc["entities"])
    rels = sorted((r["type"], key(by_id[r["head"]]), key(by_id[r["tail"]])) for r in
                  doc["relations"])
    return ents, rels


# ---------------------------------------------------------------- round trips

def test_doccano_round_trip_keeps_everything(docs):
    for doc in docs:
        d = _scored(doc)
        rec = to_doccano(d)
        assert {"id", "text", "entities", "relations"} <= set(rec)
        assert all(isinstance(e["id"], int) for e in rec["entities"])
        assert all({"id", "from_id", "to_id", "type"} == set(r) for r in rec["relations"])
        back = from_doccano(json.loads(json.dumps(rec, ensure_ascii=False)))
        assert back["entities"] == d["entities"]          # ids, norms and scores kept
        assert back["relations"] == doc["relations"]      # doccano relations carry no score
        assert back["id"] == d["id"] and back["meta"] == d["meta"]


def test_label_studio_round_trip_keeps_everything(docs):
    for doc in docs:
        d = _scored(doc)
        task = to_label_studio(d)
        assert task["data"]["text"] == d["text"]
        back = from_label_studio(json.loads(json.dumps(task, ensure_ascii=False)))
        assert back["entities"] == d["entities"]
        assert back["relations"] == d["relations"]
        assert back["id"] == d["id"] and back["meta"] == d["meta"]


def test_brat_round_trip_keeps_entities_norms_relations(docs):
    for doc in docs:
        txt, ann = to_brat(doc)
        assert txt == doc["text"]
        back = from_brat(txt, ann, doc["id"])
        assert back["entities"] == doc["entities"]
        assert back["relations"] == doc["relations"]
        assert validate_doc(back) == []


def test_brat_lines_shape(docs):
    txt, ann = to_brat(docs[2])                    # has a newline in the text
    lines = ann.splitlines()
    assert lines[0] == "T1\tPARTY 0 2\t张某"
    assert "R1\tagent Arg1:T3 Arg2:T1" in lines
    note = next(x for x in lines if x.startswith("#") and x.split("\t")[1] == "AnnotatorNotes T4")
    assert json.loads(note.split("\t")[2]) == {"value": 1200, "unit": "条", "approx": None}


def test_non_t_ids_are_renumbered_consistently(docs):
    d = copy.deepcopy(docs[0])
    rename = {e["id"]: f"ent-{e['id']}" for e in d["entities"]}
    for e in d["entities"]:
        e["id"] = rename[e["id"]]
    for r in d["relations"]:
        r["head"], r["tail"] = rename[r["head"]], rename[r["tail"]]
    for back in (from_doccano(to_doccano(d)), from_label_studio(to_label_studio(d))):
        assert back["entities"] == d["entities"] and back["relations"] == d["relations"]
    back = from_brat(*to_brat(d), d["id"])            # brat ids must be T<n>
    assert _canon(back) == _canon(d)
    assert [e["id"] for e in back["entities"]] == [f"T{i}" for i in range(1, 9)]
    assert validate_doc(back) == []


def test_mixed_ids_keep_t_numbers(docs):
    d = copy.deepcopy(docs[2])                        # T1..T5
    d["entities"][1]["id"] = "S1"
    for r in d["relations"]:
        r["head"], r["tail"] = [("S1" if x == "T2" else x) for x in (r["head"], r["tail"])]
    assert [e["id"] for e in d["entities"]] == ["T1", "S1", "T3", "T4", "T5"]
    back = from_brat(*to_brat(d), d["id"])
    assert [e["id"] for e in back["entities"]] == ["T1", "T6", "T3", "T4", "T5"]
    assert _canon(back) == _canon(d)
    assert [e["id"] for e in to_doccano(d)["entities"]] == [1, 6, 3, 4, 5]
    # doccano renumbers ids on import: the side list restores them by span
    rec = to_doccano(d)
    for e in rec["entities"]:
        e["id"] += 1000
    for r in rec["relations"]:
        r["from_id"] += 1000
        r["to_id"] += 1000
    back = from_doccano(rec)
    assert back["entities"] == d["entities"] and back["relations"] == d["relations"]


# ---------------------------------------------------------------- tools' own exports

def test_reads_native_doccano_export():
    recs = list(read_jsonl(FIXTURES / "doccano_export.jsonl"))
    a = from_doccano(recs[0])
    assert a["id"] == "4031"
    assert [(e["id"], e["type"], e["text"]) for e in a["entities"]] == [
        ("T9120", "PARTY", "李某"), ("T9121", "DATE", "2021年"), ("T9122", "ACTION", "出售"),
        ("T9123", "COUNT", "500条")]
    assert a["relations"] == [{"type": "agent", "head": "T9122", "tail": "T9120"},
                              {"type": "date", "head": "T9122", "tail": "T9121"},
                              {"type": "count", "head": "T9122", "tail": "T9123"}]
    assert all("norm" not in e for e in a["entities"])
    b = from_doccano(recs[1])                     # older NER "label" shape
    assert [(e["type"], e["text"]) for e in b["entities"]] == [
        ("PARTY", "某网站运营者"), ("ACTION", "罚款"), ("MONEY", "2万元")]
    assert b["relations"] == []


def test_reads_native_label_studio_export():
    tasks = json.loads((FIXTURES / "label_studio_export.json").read_text(encoding="utf-8"))
    d = from_label_studio(tasks[0])
    assert d["id"] == "77"
    assert [(e["id"], e["type"], e["text"]) for e in d["entities"]] == [
        ("aB3xQ", "PARTY", "王某"), ("k9Zt2", "PARTY", "某科技有限公司"),
        ("p0Lm7", "ACTION", "出售"), ("c4Wq1", "COUNT", "1000余条")]
    assert d["entities"][3]["norm"] == {"value": 1000, "unit": "条", "approx": "more_than"}
    # the right-to-left arrow is turned into head ACTION -> tail PARTY
    assert {"type": "target", "head": "p0Lm7", "tail": "k9Zt2"} in d["relations"]
    assert {"type": "agent", "head": "p0Lm7", "tail": "aB3xQ"} in d["relations"]


def test_label_studio_falls_back_to_predictions():
    task = {"id": 5, "data": {"text": "赵某"}, "predictions": [{"result": [
        {"id": "x", "type": "labels", "score": 0.4,
         "value": {"start": 0, "end": 2, "labels": ["PARTY"]}}]}]}
    d = from_label_studio(task)
    assert d["entities"] == [{"id": "x", "type": "PARTY", "start": 0, "end": 2, "text": "赵某",
                              "score": 0.4}]


def test_reads_native_brat_pair():
    d = from_brat((FIXTURES / "brat" / "fx-005.txt").read_text(encoding="utf-8"),
                  (FIXTURES / "brat" / "fx-005.ann").read_text(encoding="utf-8"), "fx-005")
    assert [(e["type"], e["text"]) for e in d["entities"]] == [
        ("DATE", "2020年7月"), ("AGENCY", "东湖区法院"), ("ACTION", "判决"), ("PARTY", "赵某"),
        ("MONEY", "3000元")]
    assert d["entities"][1]["norm"] == {"name": "东湖区法院", "kind": "court"}
    assert "norm" not in d["entities"][0]
    assert len(d["relations"]) == 4


# ---------------------------------------------------------------- bad input

def test_bad_brat_lines():
    with pytest.raises(CorpusError, match=r"x\.ann:1: discontinuous"):
        from_brat("abcdef", "T1\tPARTY 0 2;3 4\tab cd\n", "x")
    with pytest.raises(CorpusError, match=r"x\.ann:2: malformed brat line"):
        from_brat("abcdef", "T1\tPARTY 0 2\tab\nT2\tPARTY zero 2\tab\n", "x")
    with pytest.raises(CorpusError, match="outside the text"):
        from_brat("ab", "T1\tPARTY 0 9\tab\n", "x")
    with pytest.raises(CorpusError, match="refers to unknown T7"):
        from_brat("abcd", "T1\tPARTY 0 2\tab\nR1\tagent Arg1:T7 Arg2:T1\n", "x")
    with pytest.raises(CorpusError, match="not JSON"):
        from_brat("abcd", "T1\tPARTY 0 2\tab\n#1\tAnnotatorNotes T1\tperson\n", "x")


def test_bad_doccano_and_label_studio_records():
    with pytest.raises(CorpusError, match="no 'text'"):
        from_doccano({"id": 1})
    with pytest.raises(CorpusError, match="relation #1 refers to unknown"):
        from_doccano({"id": 1, "text": "ab", "entities": [], "relations": [
            {"id": 1, "from_id": 3, "to_id": 4, "type": "agent"}]})
    with pytest.raises(CorpusError, match="exactly one label"):
        from_label_studio({"id": 1, "data": {"text": "ab"}, "annotations": [{"result": [
            {"id": "a", "type": "labels", "value": {"start": 0, "end": 2, "labels": []}}]}]})
    with pytest.raises(CorpusError, match="unknown region"):
        from_label_studio({"id": 1, "data": {"text": "ab"}, "annotations": [{"result": [
            {"type": "relation", "from_id": "a", "to_id": "b", "labels": ["agent"]}]}]})


# ---------------------------------------------------------------- files

def test_convert_chain_through_all_formats(tmp_path, docs):
    src = FIXTURES / "sample.jsonl"
    assert convert(src, tmp_path / "d.jsonl", "jsonl", "doccano") == len(docs)
    assert convert(tmp_path / "d.jsonl", tmp_path / "ls.json", "doccano", "label-studio") == 4
    assert isinstance(json.loads((tmp_path / "ls.json").read_text(encoding="utf-8")), list)
    assert convert(tmp_path / "ls.json", tmp_path / "brat", "ls", "brat") == 4
    assert sorted(p.name for p in (tmp_path / "brat").iterdir()) == [
        f"fx-00{i}.{x}" for i in range(1, 5) for x in ("ann", "txt")]
    assert convert(tmp_path / "brat", tmp_path / "back.jsonl", "brat", "jsonl") == 4
    back = {d["id"]: d for d in read_jsonl(tmp_path / "back.jsonl")}
    for d in docs:
        assert back[d["id"]]["text"] == d["text"]
        assert back[d["id"]]["entities"] == d["entities"]
        assert back[d["id"]]["relations"] == d["relations"]


def test_convert_single_brat_file(tmp_path):
    n = convert(FIXTURES / "brat" / "fx-005.ann", tmp_path / "o.jsonl", "brat", "jsonl")
    assert n == 1 and next(read_jsonl(tmp_path / "o.jsonl"))["id"] == "fx-005"


def test_convert_errors(tmp_path, docs):
    with pytest.raises(CorpusError, match="unknown format 'conll'"):
        convert(FIXTURES / "sample.jsonl", tmp_path / "x", "jsonl", "conll")
    with pytest.raises(CorpusError, match="no such file"):
        convert(tmp_path / "missing.jsonl", tmp_path / "x", "jsonl", "brat")
    bad = tmp_path / "bad.json"
    bad.write_text("[{", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"bad\.json: invalid JSON"):
        convert(bad, tmp_path / "x.jsonl", "label-studio", "jsonl")
    clash = [dict(docs[3], id="a/b"), dict(docs[3], id="a_b")]
    write_jsonl(clash, tmp_path / "clash.jsonl")
    with pytest.raises(CorpusError, match="same file name"):
        convert(tmp_path / "clash.jsonl", tmp_path / "out", "jsonl", "brat")


# ---------------------------------------------------------------- --fill-norms

def _bare(doc):
    d = copy.deepcopy(doc)
    for e in d["entities"]:
        e.pop("norm", None)
    return d


def test_fill_norms_makes_imported_documents_valid(tmp_path, docs):
    from lawie.labels.values import normalize_entities
    from lawie.train.convert import fill_norms
    v2 = list(read_jsonl(FIXTURES / "sample_v2.jsonl"))
    bare = [_bare(d) for d in docs + v2]
    assert any(validate_doc(d) for d in bare)              # no norm: the validator rejects them
    assert fill_norms(bare) == []
    assert all(validate_doc(d) == [] for d in bare)
    for d in bare:                                         # exactly the project's normalizers
        want = copy.deepcopy(d["entities"])
        normalize_entities(want, doc_date=d["meta"].get("date"))
        assert [e["norm"] for e in d["entities"]] == [e["norm"] for e in want]


def test_fill_norms_keeps_annotated_norms_and_reports_unread_spans():
    from lawie.train.convert import fill_norms
    text = "2021年3月，某县公安局查获数据若干条，同年5月移送。"
    doc = {"id": "u1", "text": text, "meta": {}, "entities": [
        {"id": "T1", "type": "DATE", "start": 0, "end": 7, "text": "2021年3月"},
        {"id": "T2", "type": "AGENCY", "start": 8, "end": 13, "text": "某县公安局",
         "norm": {"name": "青山县公安局", "kind": "police"}},
        {"id": "T3", "type": "COUNT", "start": 17, "end": 20, "text": "若干条"},
        {"id": "T4", "type": "DATE", "start": 21, "end": 25, "text": "同年5月"}],
        "relations": []}
    report = fill_norms([doc])
    ents = {e["id"]: e for e in doc["entities"]}
    assert ents["T2"]["norm"] == {"name": "青山县公安局", "kind": "police"}   # kept
    assert ents["T4"]["norm"]["start"] == "2021-05"        # resolved against the DATE before it
    assert report == ["u1 T3 COUNT [17,20) '若干条': no number could be read"]


def test_convert_fill_norms_on_the_command_line(tmp_path, capsys):
    from lawie.infer.cli import main
    from lawie.train.corpus import validate_file
    out = tmp_path / "ls.jsonl"
    task = json.loads((FIXTURES / "label_studio_export.json").read_text(encoding="utf-8"))
    task[0]["annotations"][0]["result"] = [
        r for r in task[0]["annotations"][0]["result"] if r["type"] != "textarea"]
    task[0]["annotations"][0]["result"].append(
        {"id": "zz", "from_name": "label", "to_name": "text", "type": "labels",
         "value": {"start": 12, "end": 14, "text": "数据", "labels": ["COUNT"]}})
    (tmp_path / "ls.json").write_text(json.dumps(task, ensure_ascii=False), encoding="utf-8")
    assert main(["convert", str(tmp_path / "ls.json"), str(out), "--from", "labelstudio",
                 "--to", "jsonl"]) == 0
    assert validate_file(out)                             # without --fill-norms: no norms
    capsys.readouterr()
    assert main(["convert", str(tmp_path / "ls.json"), str(out), "--from", "labelstudio",
                 "--to", "jsonl", "--fill-norms"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err[0] == ("lawie: warning: value not read: 77 zz COUNT [12,14) '数据': no number "
                      "could be read")
    assert "1 span(s) whose value could not be read" in err[1]
    problems = validate_file(out)
    assert len(problems) == 1 and "entity zz" in problems[0]   # only the span the user must fix
    count = next(e for e in next(read_jsonl(out))["entities"] if e["id"] == "c4Wq1")
    assert count["norm"]["value"] == 1000 and count["norm"]["approx"] == "more_than"
