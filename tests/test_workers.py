"""More than one process (`lawie predict --workers N`, lawie.infer.workers) and the fork fix for
`datasets.map(num_proc=N)`: same documents, same order, partial output kept on error and Ctrl-C."""
import json
import signal
import subprocess
import sys
import time

import pytest

from lawie.infer.api import Extractor, LawieError
from lawie.infer.workers import extract_parallel, threads_per_worker

TEXTS = ["2025年3月14日,徐水区院向区住建局制发检察建议。", "同年5月,某公司被罚款5万元。",
         "某市人民检察院依据《中华人民共和国个人信息保护法》第七十条提起公益诉讼。"]


def _docs(n):
    return [{"id": f"d{i}", "text": TEXTS[i % 3] * (1 + i % 4), "meta": {}} for i in range(n)]


def test_threads_are_split():
    assert threads_per_worker(2, cores=2) == 1 and threads_per_worker(1, cores=2) == 2
    assert threads_per_worker(4, cores=2) == 1


def test_two_workers_give_what_one_process_gives(tiny_model_dir):
    docs = _docs(11)
    # float32: bfloat16 sums (auto on AMX / AVX512-BF16 CPUs) round differently with 1 and 2 threads
    alone = list(Extractor.load(tiny_model_dir, precision="float32").extract_docs(docs))
    par = list(extract_parallel(docs, workers=2, chunk=2, path=tiny_model_dir, precision="float32"))
    assert par == alone


def test_a_refused_document_keeps_what_came_before(tiny_model_dir):
    docs = _docs(5) + [{"id": "bad", "text": 5}] + _docs(3)
    got = []
    with pytest.raises(LawieError, match="document 'bad': 'text' must be a string"):
        for d in extract_parallel(docs, workers=2, chunk=2, path=tiny_model_dir):
            got.append(d["id"])
    assert got == [f"d{i}" for i in range(5)]


def test_a_wrong_model_fails_at_once(tmp_path):
    with pytest.raises(LawieError, match="no lawie model there"):
        list(extract_parallel(_docs(2), workers=2, path=tmp_path))


def test_cli_workers_and_ctrl_c_keeps_partial_output(tmp_path, tiny_model_dir):
    inp = tmp_path / "in.jsonl"
    n = 30000                    # far more than an idle machine finishes before the interrupt
    with inp.open("w", encoding="utf-8") as fh:
        for d in _docs(n):
            fh.write(json.dumps({"id": d["id"], "text": d["text"] * 3}, ensure_ascii=False) + "\n")
    out = tmp_path / "out.jsonl"
    p = subprocess.Popen([sys.executable, "-m", "lawie", "predict", "--model", str(tiny_model_dir),
                          "-q", "--workers", "2", str(inp), "-o", str(out)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 120
    while time.time() < deadline and p.poll() is None:
        if out.exists() and out.stat().st_size > 2000:
            break
        time.sleep(0.1)
    assert p.poll() is None, "finished before it could be interrupted"
    p.send_signal(signal.SIGINT)
    rc = p.wait(timeout=60)
    err = p.stderr.read().decode()
    assert rc == 130 and "Traceback" not in err and "lawie: error: interrupted" in err
    lines = out.read_text(encoding="utf-8").splitlines()
    assert 0 < len(lines) < n
    ids = [json.loads(x)["id"] for x in lines]          # every line whole, in input order
    assert ids == [f"d{i}" for i in range(len(ids))]


def test_datasets_map_with_num_proc_does_not_hang(tiny_model_dir):
    """The Extractor used in the parent, then in forked children (datasets.map num_proc=2): the
    children used to wait forever in their first torch operator (see lawie.infer.workers)."""
    code = f"""
import datasets
from lawie import Extractor
ex = Extractor.load({str(tiny_model_dir)!r})
ex.extract("热身")
ds = datasets.Dataset.from_dict({{"text": {TEXTS!r} * 2}})
out = ds.map(lambda r: {{"n": len(ex.extract(r["text"])["entities"])}}, num_proc=2)
print(out["n"] == [len(ex.extract(t)["entities"]) for t in {TEXTS!r} * 2])
"""
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=240)
    assert r.returncode == 0, r.stderr.decode()[-2000:]
    assert r.stdout.decode().strip().endswith("True")


def test_on_error_reports_a_failing_document_and_goes_on(tiny_model_dir):
    docs = _docs(5) + [{"id": "bad", "text": 5}] + _docs(3)
    failures = []
    got = [d["id"] for d in extract_parallel(docs, workers=2, chunk=2, path=tiny_model_dir,
                                             on_error=lambda src, why: failures.append((src, why)))]
    assert got == [f"d{i}" for i in range(5)] + [f"d{i}" for i in range(3)]
    assert failures == [("document 'bad'", "LawieError: document 'bad': 'text' must be a string")]


def _cli(args, model):
    return subprocess.run([sys.executable, "-m", "lawie", "predict", "--model", str(model), "-q",
                           *map(str, args)], capture_output=True, timeout=300)


def test_cli_workers_isolate_bad_records_like_one_process(tmp_path, tiny_model_dir):
    f = tmp_path / "mixed.jsonl"
    good = [json.dumps({"id": f"g{i}", "text": TEXTS[i % 3]}, ensure_ascii=False) for i in range(9)]
    f.write_text("\n".join(good[:4] + ["{broken"] + good[4:]) + "\n", encoding="utf-8")
    one, two = _cli([f], tiny_model_dir), _cli([f, "--workers", "2"], tiny_model_dir)
    assert one.returncode == two.returncode == 2
    assert two.stdout == one.stdout and two.stderr == one.stderr
    assert b"mixed.jsonl:5: invalid JSON" in two.stderr and b"Traceback" not in two.stderr
    stop = _cli([f, "--workers", "2", "--errors", "fail"], tiny_model_dir)
    assert stop.returncode == 2 and b"Traceback" not in stop.stderr
    assert [json.loads(x)["id"] for x in stop.stdout.decode().splitlines()] == ["g0", "g1", "g2", "g3"]
