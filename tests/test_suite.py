"""`lawie eval-suite` (make eval): one row per set, and one over all held-out documents."""
import json
import re
from pathlib import Path

from lawie.infer.cli import main
from lawie.train.suite import gold_docs

SAMPLE = Path(__file__).resolve().parent.parent / "corpus" / "fixtures" / "sample.jsonl"


def test_eval_suite_rows_and_pooled_held_out(tiny_model_dir, tmp_path, capsys):
    dev = tmp_path / "dev.jsonl"
    real = [json.loads(line) for line in open(SAMPLE, encoding="utf-8")][:2]
    dev.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in real), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["eval-suite", "--model", str(tiny_model_dir), "--dev", str(dev),
                 "--precision", "float32", "--output", str(out)]) == 0
    report = capsys.readouterr().out
    rows = {m.group(1).strip(): int(m.group(2))
            for m in re.finditer(r"^\| ([^|]+?)\s*\|\s*(\d+) \|", report, re.M)}
    n_test, n_dev = len(gold_docs("test")), len(gold_docs("dev"))
    assert rows["seed test (all renderings)"] == n_test and rows["seed dev"] == n_dev
    assert rows["real dev"] == len(real)
    assert rows["all held-out"] == n_test + n_dev + len(real)
    pooled = [json.loads(line) for line in open(out / "pred_all_held-out.jsonl", encoding="utf-8")]
    assert len(pooled) == rows["all held-out"]
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert set(results) >= {"real dev", "all held-out"}


def test_eval_suite_without_real_dev_has_no_pooled_row(tiny_model_dir, tmp_path, capsys):
    assert main(["eval-suite", "--model", str(tiny_model_dir), "--dev", str(tmp_path / "none.jsonl"),
                 "--precision", "float32"]) == 0
    report = capsys.readouterr().out
    assert "| all held-out" not in report and "real dev set not found" in report


def test_generated_dev_skips_the_documents_training_stopped_on(tmp_path, monkeypatch):
    import lawie.train.suite as suite
    gen = tmp_path / "dev.jsonl"
    gen.write_text("".join(json.dumps({"id": f"g{i}", "text": "甲", "entities": [], "relations": []})
                           + "\n" for i in range(10)), encoding="utf-8")
    monkeypatch.setattr(suite, "GENERATED_DEV", gen)
    monkeypatch.setattr(suite, "GENERATED_DEV_DOCS", 5)
    model = tmp_path / "m"
    model.mkdir()
    for used, ids in ((3, ["g3", "g4", "g5", "g6", "g7"]), (8, ["g8", "g9"]), (0, [])):
        (model / "config.json").write_text(json.dumps({"train": {"data": {"max_dev_docs": used}}}),
                                           encoding="utf-8")
        assert [d["id"] for d in suite.generated_dev(model)] == ids
    (model / "config.json").write_text("{}", encoding="utf-8")      # no training config: none
    assert suite.generated_dev(model) == []
