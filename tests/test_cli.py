"""`lawie predict` as a user runs it: inputs of every kind, bad input, output formats."""
import json
import subprocess
import sys

import pytest

from conftest import ROOT, validate_output

TEXT = "2025年3月14日,徐水区院向区住建局制发检察建议,对某公司罚款5000元。"


def run(args, model, stdin=None, cwd=None):
    cmd = [sys.executable, "-m", "lawie", "predict", "--model", str(model), "-q", *map(str, args)]
    return subprocess.run(cmd, input=stdin, capture_output=True, cwd=cwd, timeout=300)


def lines(out: bytes):
    return [json.loads(x) for x in out.decode("utf-8").split("\n") if x.strip()]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    d = tmp_path_factory.mktemp("inputs")
    (d / "a.txt").write_text(TEXT, encoding="utf-8")
    (d / "bom.txt").write_bytes("\ufeff".encode("utf-8") + TEXT.encode("utf-8"))
    (d / "gb.txt").write_bytes(TEXT.encode("gb18030"))
    (d / "big5.txt").write_bytes("最高人民檢察院發布典型案例，涉及個人信息保護。".encode("big5"))
    (d / "empty.txt").write_text("", encoding="utf-8")
    (d / "bin.txt").write_bytes(bytes(range(256)) * 4)
    (d / "docs.jsonl").write_text(
        json.dumps({"id": "j1", "text": TEXT, "meta": {"date": "2025-01-01"}}, ensure_ascii=False)
        + "\n{broken\n"
        + json.dumps({"id": "j3", "text": "同年5月,某公司被罚款5万元。"}, ensure_ascii=False) + "\n",
        encoding="utf-8")
    sub = d / "tree" / "deeper"
    sub.mkdir(parents=True)
    (sub / "n.txt").write_text(TEXT, encoding="utf-8")
    return d


def test_txt_file_gives_one_valid_document(inputs, tiny_model_dir):
    r = run([inputs / "a.txt"], tiny_model_dir)
    assert r.returncode == 0, r.stderr
    docs = lines(r.stdout)
    assert len(docs) == 1 and docs[0]["id"] == "a" and docs[0]["text"] == TEXT
    validate_output(docs[0])


def test_bom_is_dropped_and_legacy_encodings_are_announced(inputs, tiny_model_dir):
    r = run([inputs / "bom.txt", inputs / "gb.txt", inputs / "big5.txt"], tiny_model_dir)
    assert r.returncode == 0, r.stderr
    docs = {d["id"]: d for d in lines(r.stdout)}
    assert docs["bom"]["text"] == TEXT
    assert docs["gb"]["text"] == TEXT
    assert docs["big5"]["text"] == "最高人民檢察院發布典型案例，涉及個人信息保護。"
    err = r.stderr.decode()
    assert "gb.txt: not UTF-8; decoded as GB18030" in err
    assert "big5.txt: not UTF-8; decoded as BIG5" in err


def test_bad_inputs_are_reported_and_the_rest_is_written(inputs, tiny_model_dir, tmp_path):
    out = tmp_path / "out.jsonl"
    r = run([inputs / "missing.txt", inputs / "bin.txt", inputs / "a.txt", inputs / "docs.jsonl",
             "-o", out], tiny_model_dir)
    assert r.returncode == 2                       # some inputs skipped (issue 21)
    err = r.stderr.decode().strip().splitlines()
    assert "Traceback" not in r.stderr.decode()
    assert any("missing.txt: no such file or directory" in ln for ln in err)
    assert any("bin.txt:" in ln and "binary" in ln for ln in err)
    assert any("docs.jsonl:2: invalid JSON" in ln for ln in err)
    docs = lines(out.read_bytes())
    assert [d["id"] for d in docs] == ["a", "j1", "j3"]
    assert docs[1]["meta"]["date"] == "2025-01-01"
    for d in docs:
        validate_output(d)


def test_empty_text_gives_a_document_without_entities(inputs, tiny_model_dir):
    r = run([inputs / "empty.txt"], tiny_model_dir)
    assert r.returncode == 0
    (doc,) = lines(r.stdout)
    assert doc["entities"] == [] and doc["relations"] == [] and doc["text"] == ""


def test_directories_are_read_recursively(inputs, tiny_model_dir):
    r = run([inputs / "tree"], tiny_model_dir)
    assert r.returncode == 0
    assert [d["id"] for d in lines(r.stdout)] == ["n"]


def test_stdin_text_and_jsonl(tiny_model_dir):
    r = run(["-"], tiny_model_dir, stdin=TEXT.encode("utf-8"))
    assert r.returncode == 0
    assert lines(r.stdout)[0]["text"] == TEXT
    rec = json.dumps({"id": "x", "text": TEXT}, ensure_ascii=False).encode("utf-8")
    r = run(["-"], tiny_model_dir, stdin=rec + b"\n")
    assert [d["id"] for d in lines(r.stdout)] == ["x"]


def test_json_and_pretty_formats(inputs, tiny_model_dir):
    r = run([inputs / "a.txt", "--format", "json"], tiny_model_dir)
    docs = json.loads(r.stdout)
    assert isinstance(docs, list) and docs[0]["id"] == "a"
    r = run([inputs / "a.txt", "--format", "pretty"], tiny_model_dir)
    assert r.returncode == 0 and r.stdout.decode().startswith("== a ")


def test_same_input_same_output(inputs, tiny_model_dir):
    a = run([inputs / "a.txt", inputs / "docs.jsonl"], tiny_model_dir).stdout
    b = run([inputs / "a.txt", inputs / "docs.jsonl"], tiny_model_dir).stdout
    assert a == b and a


def test_missing_model_is_one_line(tmp_path, inputs):
    r = run([inputs / "a.txt"], tmp_path / "nomodel")
    assert r.returncode == 1                       # a model that cannot be loaded (issue 21)
    err = r.stderr.decode().strip().splitlines()
    assert len(err) == 1 and "nomodel" in err[0] and "Traceback" not in err[0]


def test_threshold_option(inputs, tiny_model_dir):
    full = lines(run([inputs / "a.txt"], tiny_model_dir).stdout)[0]
    none = run([inputs / "a.txt", "--threshold", "1"], tiny_model_dir)
    assert none.returncode == 0, none.stderr
    kept = lines(none.stdout)[0]["entities"]
    assert len(kept) < len(full["entities"]) and all(e["score"] >= 1.0 for e in kept)
    r = run([inputs / "a.txt", "--threshold", "2"], tiny_model_dir)
    assert r.returncode == 2 and b"--threshold" in r.stderr and b"Traceback" not in r.stderr


def test_keep_fragments_option_keeps_a_superset(inputs, tiny_model_dir):
    """--keep-fragments only turns a filter off (what it keeps: test_api)."""
    default = lines(run([inputs / "a.txt", inputs / "big5.txt"], tiny_model_dir).stdout)
    r = run([inputs / "a.txt", inputs / "big5.txt", "--keep-fragments"], tiny_model_dir)
    assert r.returncode == 0, r.stderr
    kept = lines(r.stdout)
    assert [d["id"] for d in kept] == [d["id"] for d in default]
    for a, b in zip(default, kept):
        spans = {(e["type"], e["start"], e["end"]) for e in b["entities"]}
        assert {(e["type"], e["start"], e["end"]) for e in a["entities"]} <= spans


def test_validate_and_eval_commands(tmp_path):
    gold = ROOT / "corpus" / "fixtures" / "sample.jsonl"
    r = subprocess.run([sys.executable, "-m", "lawie", "validate", str(gold)], capture_output=True)
    assert r.returncode == 0, r.stdout
    broken = tmp_path / "broken.jsonl"
    doc = json.loads(gold.read_text(encoding="utf-8").splitlines()[0])
    doc["entities"][0]["end"] += 1
    broken.write_text(json.dumps(doc, ensure_ascii=False) + "\n", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "lawie", "validate", str(broken)], capture_output=True)
    assert r.returncode == 1 and b"broken.jsonl:1:" in r.stdout
    r = subprocess.run([sys.executable, "-m", "lawie", "eval", str(gold), str(gold)],
                       capture_output=True)
    assert r.returncode == 0 and b"1.000" in r.stdout
    r = subprocess.run([sys.executable, "-m", "lawie", "eval", str(gold), str(tmp_path / "none")],
                       capture_output=True)
    assert r.returncode == 2 and b"Traceback" not in r.stderr


def test_output_that_is_an_input_or_unwritable_is_refused(inputs, tiny_model_dir, tmp_path):
    f = tmp_path / "in.jsonl"
    f.write_text(json.dumps({"id": "x", "text": TEXT}, ensure_ascii=False) + "\n", encoding="utf-8")
    r = run([f, "-o", f], tiny_model_dir)
    assert r.returncode == 2 and b"also an input" in r.stderr
    assert f.read_text(encoding="utf-8").startswith('{"id": "x"')       # the input is intact
    r = run([inputs / "a.txt", "-o", tmp_path / "missing" / "out.jsonl"], tiny_model_dir)
    assert r.returncode == 2 and b"cannot write" in r.stderr and b"Traceback" not in r.stderr
    r = run([inputs / "a.txt", "--batch-size", "0"], tiny_model_dir)
    assert r.returncode == 2 and b"Traceback" not in r.stderr


def test_jsonl_edge_cases(tiny_model_dir, tmp_path):
    f = tmp_path / "edge.jsonl"
    recs = [{"id": "sep", "text": "第一段\u2028第二段，2025年3月14日立案。"},     # U+2028 is legal JSON
            {"id": "baddate", "text": TEXT, "meta": {"date": ["2025"]}},
            {"id": "utf16", "text": TEXT}]
    f.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in recs) + "\n", encoding="utf-8")
    u = tmp_path / "u16.txt"
    u.write_bytes(TEXT.encode("utf-16"))
    r = run([f, u], tiny_model_dir)
    assert r.returncode == 0, r.stderr
    docs = lines(r.stdout)
    assert [d["id"] for d in docs] == ["sep", "baddate", "utf16", "u16"]
    assert docs[0]["text"] == recs[0]["text"] and docs[3]["text"] == TEXT
    assert "date" not in docs[1]["meta"] and b"edge.jsonl:2: meta.date" in r.stderr
    for d in docs:
        validate_output(d)
