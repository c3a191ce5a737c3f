"""`lawie bench` as a user runs it: the JSON keys the issue asks for, on a tiny model (the
figures themselves are measured by the command, never asserted)."""
import json
import subprocess
import sys

KEYS = ("chars_per_s", "encoder_only_chars_per_s", "hf_pipeline_chars_per_s", "p50_ms", "p95_ms",
        "peak_rss_mb", "load_s")


def bench(args):
    return subprocess.run([sys.executable, "-m", "lawie", "bench", *map(str, args)],
                          capture_output=True, text=True, timeout=600)


def test_bench_reports_every_figure(tiny_model_dir, tmp_path):
    docs = tmp_path / "docs.jsonl"
    docs.write_text("\n".join(json.dumps({"id": str(i), "text": "某公司被罚款5万元。" * (5 + 20 * i)},
                                         ensure_ascii=False) for i in range(3)), encoding="utf-8")
    out = tmp_path / "bench.json"
    r = bench(["--model", tiny_model_dir, "--docs", docs, "--repeat", "1", "--threads", "1",
               "--precision", "float32", "--json", out])
    assert r.returncode == 0, r.stderr
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result == json.loads(r.stdout)
    for k in KEYS:
        assert isinstance(result[k], (int, float)) and result[k] > 0, k
    assert result["documents"] == 3 and result["encoder_dtype"] == "float32"
    assert result["p50_ms"] <= result["p95_ms"]


def test_bench_bad_docs_is_one_line_error(tiny_model_dir, tmp_path):
    r = bench(["--model", tiny_model_dir, "--docs", tmp_path / "nope"])
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and "nope" in r.stderr and "Traceback" not in r.stderr
