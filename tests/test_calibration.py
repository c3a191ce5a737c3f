"""Scores: `threshold` per call, event scores, and the calibration measures of
lawie.train.calibrate (the model card's ECE figures)."""
from pathlib import Path

import pytest

from lawie.train import calibrate as C

ROOT = Path(__file__).resolve().parents[1]
DEMO = (ROOT / "corpus" / "examples" / "demo.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def ex():
    from lawie.infer.api import Extractor
    return Extractor.load(precision="float32")


def test_threshold_per_call_and_event_scores(ex):
    from lawie.infer.api import LawieError
    full = ex.extract(DEMO)
    scores = sorted(e["score"] for e in full["entities"])
    cut = scores[len(scores) // 2]
    part = ex.extract(DEMO, threshold=cut)
    assert part["entities"] and all(e["score"] >= cut for e in part["entities"])
    assert len(part["entities"]) < len(full["entities"])
    assert ex.threshold == 0.0 and ex.extract(DEMO) == full         # the call did not stick
    assert ex.extract_many([DEMO], threshold=cut)[0]["entities"] == part["entities"]
    with pytest.raises(LawieError, match="threshold 2"):
        ex.extract(DEMO, threshold=2)
    by_id = {e["id"]: e for e in full["entities"]}
    rel = {(r["head"], r["tail"], r["type"]): r["score"] for r in full["relations"]}
    assert full["events"]
    for ev in full["events"]:
        assert ev["score"] == by_id[ev["action"]]["score"]
        for role in ("agent", "target", "date", "count", "amount", "basis"):
            for a in ev[role]:
                assert a["score"] == rel.get((ev["action"], a["id"], role), 1.0)
                assert 0.0 <= a["score"] <= 1.0


def _doc(ents, rels=()):
    return {"id": "d", "text": "x" * 50, "entities": [
        {"id": f"T{i}", "type": t, "start": s, "end": e, **({"score": sc} if sc is not None else {})}
        for i, (t, s, e, sc) in enumerate(ents)],
        "relations": [{"head": h, "tail": t, "type": r, **({"score": sc} if sc else {})}
                      for h, t, r, sc in rels]}


def test_ece_per_type_and_relations():
    gold = [_doc([("DATE", 0, 4, None), ("ACTION", 5, 7, None), ("PARTY", 8, 10, None)],
                 [("T1", "T0", "date", None), ("T1", "T2", "agent", None)])]
    pred = [_doc([("DATE", 0, 4, 0.9), ("ACTION", 5, 7, 0.8), ("PARTY", 8, 11, 0.6)],
                 [("T1", "T0", "date", 0.7), ("T1", "T2", "agent", 0.4)])]
    per = C.entity_ece_per_type(gold, pred)
    assert per["DATE"] == {"ece": pytest.approx(0.1), "n": 1}
    assert per["PARTY"]["ece"] == pytest.approx(0.6)                 # wrong span, scored 0.6
    assert per["all"]["n"] == 3
    rel = C.relation_ece(gold, pred)                                 # date right, agent wrong
    assert rel["n"] == 2 and rel["ece"] == pytest.approx(0.5 * 0.3 + 0.5 * 0.4)


def test_score_temperatures_lower_the_ece_they_are_fitted_on():
    # overconfident PARTY scores: half of the 0.9s are wrong
    ents = [("PARTY", 2 * i, 2 * i + 1, 0.9) for i in range(10)]
    gold = [_doc([("PARTY", 2 * i, 2 * i + 1, None) for i in range(5)])]
    pred = [_doc(ents)]
    temps = C.score_temperatures(gold, pred)
    assert temps["PARTY"] > 1
    before = C.entity_ece_per_type(gold, pred)["PARTY"]["ece"]
    after = C.entity_ece_per_type(gold, C.apply_score_temperatures(pred, temps))["PARTY"]["ece"]
    assert before == pytest.approx(0.4) and after < before / 2
