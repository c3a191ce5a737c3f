import copy
from pathlib import Path

import pytest

from lawie.train.corpus import CorpusError, read_jsonl, write_jsonl
from lawie.train.evaluate import calibration, evaluate, evaluate_files, format_report, prf

FIXTURES = Path(__file__).resolve().parent.parent / "corpus" / "fixtures"


@pytest.fixture()
def docs():
    return list(read_jsonl(FIXTURES / "sample.jsonl"))


def E(eid, typ, s, t, norm=None, score=None):
    e = {"id": eid, "type": typ, "start": s, "end": t, "text": "x" * (t - s),
         "norm": norm or {}}
    if score is not None:
        e["score"] = score
    return e


def D(did, ents, rels=(), n=40):
    return {"id": did, "text": "字" * n, "meta": {}, "entities": list(ents),
            "relations": [{"type": r, "head": h, "tail": t} for r, h, t in rels]}


def test_perfect_prediction_scores_one(docs):
    r = evaluate(docs, copy.deepcopy(docs))
    for part in ("entities", "relations"):
        assert r[part]["micro"]["f1"] == 1.0 and r[part]["macro"]["f1"] == 1.0
        assert all(m["f1"] == 1.0 for m in r[part]["per_type"].values())
    assert r["bio"]["micro"]["f1"] == 1.0
    assert r["norm"]["micro"]["accuracy"] == 1.0
    assert r["entities"]["micro"]["tp"] == sum(len(d["entities"]) for d in docs)
    assert r["documents"]["missing_in_pred"] == []


def test_known_entity_counts():
    gold = [D("a", [E("T1", "PARTY", 0, 2), E("T2", "PARTY", 5, 8), E("T3", "DATE", 10, 15),
                    E("T4", "MONEY", 20, 24)])]
    pred = [D("a", [E("P1", "PARTY", 0, 2),            # tp
                    E("P2", "PARTY", 5, 9),            # boundary error: fp + fn
                    E("P3", "DATE", 10, 15),           # tp
                    E("P4", "AGENCY", 20, 24)])]       # type error: fp AGENCY, fn MONEY
    r = evaluate(gold, pred)["entities"]
    assert r["micro"]["tp"] == 2 and r["micro"]["fp"] == 2 and r["micro"]["fn"] == 2
    assert r["micro"]["precision"] == pytest.approx(0.5)
    assert r["micro"]["recall"] == pytest.approx(0.5)
    p = r["per_type"]
    assert (p["PARTY"]["tp"], p["PARTY"]["fp"], p["PARTY"]["fn"]) == (1, 1, 1)
    assert p["DATE"]["f1"] == 1.0
    assert p["MONEY"]["recall"] == 0.0 and p["MONEY"]["support"] == 1
    assert p["AGENCY"]["precision"] == 0.0 and p["AGENCY"]["support"] == 0
    # macro over the four types present: (0.5 + 1 + 0 + 0) / 4
    assert r["macro"]["f1"] == pytest.approx(0.375)


def test_precision_recall_differ():
    gold = [D("a", [E("T1", "PARTY", 0, 2), E("T2", "PARTY", 3, 5), E("T3", "PARTY", 6, 8),
                    E("T4", "PARTY", 9, 11)])]
    pred = [D("a", [E("P1", "PARTY", 0, 2), E("P2", "PARTY", 3, 5), E("P3", "PARTY", 12, 14)])]
    m = evaluate(gold, pred)["entities"]["micro"]
    assert m["precision"] == pytest.approx(2 / 3)
    assert m["recall"] == pytest.approx(2 / 4)
    assert m["f1"] == pytest.approx(2 * (2 / 3) * 0.5 / (2 / 3 + 0.5))


def test_duplicate_prediction_is_false_positive():
    gold = [D("a", [E("T1", "DATE", 0, 4)])]
    pred = [D("a", [E("P1", "DATE", 0, 4), E("P2", "DATE", 0, 4)])]
    m = evaluate(gold, pred)["entities"]["micro"]
    assert (m["tp"], m["fp"], m["fn"]) == (1, 1, 0)


def test_missing_and_extra_documents():
    gold = [D("a", [E("T1", "DATE", 0, 4)]), D("b", [E("T1", "PARTY", 0, 2)])]
    pred = [D("a", [E("P1", "DATE", 0, 4)]), D("z", [E("P1", "PARTY", 0, 2)])]
    r = evaluate(gold, pred)
    assert r["documents"]["missing_in_pred"] == ["b"]
    assert r["documents"]["extra_in_pred"] == ["z"]
    assert r["documents"]["n_scored"] == 1
    m = r["entities"]["micro"]
    assert (m["tp"], m["fp"], m["fn"]) == (1, 0, 1)
    rep = format_report(r)
    assert "missing in prediction (scored as empty): b" in rep
    assert "predicted but not in gold (ignored): z" in rep


def test_duplicate_doc_ids_rejected():
    with pytest.raises(CorpusError, match="duplicate id 'a'"):
        evaluate([D("a", []), D("a", [])], [])


def test_norm_accuracy_per_type_and_field():
    g_norm = {"value": 37000, "unit": "条", "approx": "more_than"}
    gold = [D("a", [E("T1", "COUNT", 0, 5, g_norm), E("T2", "COUNT", 6, 9, g_norm),
                    E("T3", "DATE", 10, 15, {"start": "2023-07", "end": "2024-03"}),
                    E("T4", "AGENCY", 20, 25, {"name": "甲", "kind": "court"})])]
    pred = [D("a", [
        E("P1", "COUNT", 0, 5, {"value": 37000.0, "unit": "条", "approx": "more_than",
                                "score": 0.3}),                       # equal (float, score)
        E("P2", "COUNT", 6, 9, {"value": 37000, "unit": "条", "approx": None}),  # approx wrong
        E("P3", "DATE", 10, 15, {"start": "2023-07", "end": "2024-03"}, score=0.9),
        E("P4", "AGENCY", 20, 25, {"name": "乙", "kind": "court"}),     # name wrong
        E("P5", "PARTY", 30, 32, {"kind": "person"})])]                  # fp: not in norm
    n = evaluate(gold, pred)["norm"]
    assert n["per_type"]["COUNT"]["n"] == 2
    assert n["per_type"]["COUNT"]["accuracy"] == 0.5
    assert n["per_type"]["COUNT"]["fields"] == {"value": 1.0, "min": 1.0, "max": 1.0,
                                                "unit": 1.0, "approx": 0.5}
    assert n["per_type"]["DATE"]["accuracy"] == 1.0
    assert n["per_type"]["AGENCY"]["fields"] == {"name": 0.0, "kind": 1.0}
    assert "PARTY" not in n["per_type"]
    assert n["micro"] == {"n": 4, "correct": 2, "accuracy": 0.5}


def test_money_range_vs_value():
    gold = [D("a", [E("T1", "MONEY", 0, 6, {"min": 80, "max": 300, "currency": "CNY",
                                            "approx": None})])]
    pred = [D("a", [E("P1", "MONEY", 0, 6, {"value": 300, "currency": "CNY",
                                            "approx": None})])]
    f = evaluate(gold, pred)["norm"]["per_type"]["MONEY"]
    assert f["accuracy"] == 0.0
    assert f["fields"]["value"] == 0.0 and f["fields"]["min"] == 0.0
    assert f["fields"]["currency"] == 1.0


def test_relations_strict():
    ents = [E("T1", "ACTION", 0, 2), E("T2", "AGENCY", 3, 8), E("T3", "PARTY", 9, 11),
            E("T4", "DATE", 12, 16)]
    gold = [D("a", ents, [("agent", "T1", "T2"), ("target", "T1", "T3"), ("date", "T1", "T4")])]
    p_ents = [E("A", "ACTION", 0, 2), E("B", "AGENCY", 3, 8), E("C", "PARTY", 9, 12),
              E("Dd", "DATE", 12, 16)]
    pred = [D("a", p_ents, [("agent", "A", "B"),          # tp (ids differ, spans equal)
                            ("target", "A", "C"),         # tail span wrong: fp + fn
                            ("target", "A", "Dd"),        # wrong role for the date: fp target
                            ("basis", "A", "ghost")])]    # dangling: fp basis
    r = evaluate(gold, pred)["relations"]
    p = r["per_type"]
    assert (p["agent"]["tp"], p["agent"]["fp"], p["agent"]["fn"]) == (1, 0, 0)
    assert (p["target"]["tp"], p["target"]["fp"], p["target"]["fn"]) == (0, 2, 1)
    assert (p["date"]["tp"], p["date"]["fp"], p["date"]["fn"]) == (0, 0, 1)
    assert (p["basis"]["tp"], p["basis"]["fp"], p["basis"]["fn"]) == (0, 1, 0)
    assert r["micro"]["precision"] == pytest.approx(1 / 4)
    assert r["micro"]["recall"] == pytest.approx(1 / 3)
    assert r["macro"]["f1"] == pytest.approx(1 / 4)          # agent 1, others 0
    assert r["dangling_pred"] == 1 and r["dangling_gold"] == 0


def test_bio_view_with_seqeval():
    gold = [D("a", [E("T1", "PARTY", 0, 2), E("T2", "DATE", 4, 8)], n=10)]
    pred = [D("a", [E("P1", "PARTY", 0, 2), E("P2", "DATE", 4, 7)], n=10)]
    b = evaluate(gold, pred)["bio"]
    assert b["per_type"]["PARTY"]["f1"] == 1.0
    assert b["per_type"]["DATE"]["f1"] == 0.0
    assert b["micro"]["precision"] == pytest.approx(0.5)
    # nested: the BIO view drops the shorter, span scoring does not
    gold = [D("a", [E("T1", "AGENCY", 0, 6), E("T2", "AGENCY", 0, 3)], n=10)]
    pred = [D("a", [E("P1", "AGENCY", 0, 6)], n=10)]
    r = evaluate(gold, pred)
    assert r["bio"]["micro"]["recall"] == 1.0
    assert r["entities"]["micro"]["recall"] == 0.5


def test_empty_everything():
    r = evaluate([D("a", [])], [D("a", [])])
    assert r["entities"]["micro"]["f1"] == 1.0 and r["entities"]["per_type"] == {}
    assert r["bio"]["micro"]["f1"] == 1.0
    assert r["norm"]["micro"]["n"] == 0
    assert prf(0, 0, 3)["f1"] == 0.0 and prf(0, 2, 0)["precision"] == 0.0


def test_format_report_table(docs):
    pred = copy.deepcopy(docs)
    pred[0]["entities"] = pred[0]["entities"][:-1]
    pred[0]["relations"] = [r for r in pred[0]["relations"] if "T8" not in (r["head"],
                                                                            r["tail"])]
    text = format_report(evaluate(docs, pred))
    lines = text.splitlines()
    assert lines[0] == "documents: 4 gold, 4 predicted, 4 scored"
    assert "Entities (strict span)" in text and "Relations (strict head, tail, role)" in text
    action = next(x for x in lines if x.startswith("ACTION"))
    assert action.split()[1:] == ["1.000", "0.833", "0.909", "5", "0", "1"]
    assert any(x.startswith("COUNT") and "approx=1.000" in x for x in lines)


def test_evaluate_files(tmp_path, docs):
    write_jsonl(docs, tmp_path / "g.jsonl")
    write_jsonl(docs[:2], tmp_path / "p.jsonl")
    r = evaluate_files(tmp_path / "g.jsonl", tmp_path / "p.jsonl")
    assert r["documents"]["missing_in_pred"] == ["fx-003", "fx-004"]
    with pytest.raises(CorpusError, match="no such file"):
        evaluate_files(tmp_path / "g.jsonl", tmp_path / "none.jsonl")


def test_calibration_known_values():
    gold = [D("a", [E("T1", "DATE", 0, 4), E("T2", "PARTY", 5, 7)])]
    pred = [D("a", [E("P1", "DATE", 0, 4, score=0.85),     # correct, bin 8
                    E("P2", "PARTY", 5, 8, score=0.85),    # wrong,   bin 8
                    E("P3", "PARTY", 5, 7, score=0.15),    # correct, bin 1
                    E("P4", "MONEY", 9, 12)])]             # no score
    c = calibration(gold, pred, bins=10)
    assert c["n"] == 3 and c["unscored"] == 1
    b8, b1 = c["bins"][8], c["bins"][1]
    assert b8["n"] == 2 and b8["accuracy"] == 0.5 and b8["confidence"] == pytest.approx(0.85)
    assert b1["n"] == 1 and b1["accuracy"] == 1.0
    assert c["ece"] == pytest.approx(2 / 3 * 0.35 + 1 / 3 * 0.85)
    assert c["mce"] == pytest.approx(0.85)
    assert c["bins"][0]["n"] == 0 and c["bins"][0]["accuracy"] is None


def test_calibration_perfect_and_duplicates():
    gold = [D("a", [E("T1", "DATE", 0, 4)])]
    assert calibration(gold, [D("a", [E("P", "DATE", 0, 4, score=1.0)])])["ece"] == 0.0
    # two identical predictions: the higher score gets the match
    c = calibration(gold, [D("a", [E("P", "DATE", 0, 4, score=0.05),
                                   E("Q", "DATE", 0, 4, score=0.95)])], bins=2)
    assert c["bins"][1]["accuracy"] == 1.0 and c["bins"][0]["accuracy"] == 0.0
    assert c["ece"] == pytest.approx(0.05)
    with pytest.raises(ValueError, match="bins"):
        calibration(gold, gold, bins=0)
