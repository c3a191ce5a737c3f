"""`lawie predict` options of issue 19: --date, the header timestamp as the anchor, --no-text, the
progress bar with a total, --device auto."""
import fcntl
import json
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time

from conftest import ROOT

from lawie.infer.anchor import header_date
from lawie.infer.progress import count_documents

YEARLESS = "6月25日,某区人民检察院向区市场监管局制发检察建议。"


def predict(*args, model=None):
    cmd = [sys.executable, "-m", "lawie", "predict", "-q", *map(str, args)]
    if model:
        cmd += ["--model", str(model)]
    r = subprocess.run(cmd, capture_output=True, timeout=300)
    return r, [json.loads(x) for x in r.stdout.decode().splitlines() if x.strip()]


def _dates(doc):
    return [e["norm"]["start"] for e in doc["entities"] if e["type"] == "DATE"]


def test_header_date():
    assert header_date("标题\n2026-03-02 09:30:00\n正文") == "2026-03-02"
    assert header_date("标题\n发布时间：2026年3月2日 来源：最高人民检察院\n正文") == "2026-03-02"
    assert header_date("2025年4月,某院发现线索。") is None        # a sentence, not a timestamp
    assert header_date("一\n二\n三\n四\n五\n2026-03-02") is None    # past the first lines


def test_date_option_and_header_anchor_year_less_dates(tmp_path):
    (tmp_path / "plain.txt").write_text(YEARLESS, encoding="utf-8")
    (tmp_path / "release.txt").write_text("典型案例\n2024-01-05 10:00\n\n" + YEARLESS,
                                          encoding="utf-8")
    (tmp_path / "recs.jsonl").write_text(json.dumps(
        {"id": "own", "text": YEARLESS, "meta": {"date": "2023-02-01"}}, ensure_ascii=False) + "\n",
        encoding="utf-8")
    r, docs = predict(tmp_path / "plain.txt", tmp_path / "release.txt", tmp_path / "recs.jsonl",
                      "--date", "2022-12-31")
    assert r.returncode == 0, r.stderr.decode()
    by = {d["id"]: d for d in docs}
    assert by["plain"]["meta"]["date"] == "2022-12-31" and "2022-06-25" in _dates(by["plain"])
    assert by["release"]["meta"]["date"] == "2022-12-31"          # --date over the header
    assert by["own"]["meta"]["date"] == "2023-02-01" and "2023-06-25" in _dates(by["own"])
    r, docs = predict(tmp_path / "release.txt")
    assert docs[0]["meta"]["date"] == "2024-01-05" and "2024-06-25" in _dates(docs[0])


def test_bad_date_is_one_line(tmp_path, tiny_model_dir):
    r, _ = predict("-", "--date", "2025-02-30", model=tiny_model_dir)
    err = r.stderr.decode().strip().splitlines()
    assert r.returncode == 2 and "Traceback" not in r.stderr.decode()
    assert err[-1].endswith("argument --date: '2025-02-30' is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")


def test_no_text_and_device_auto(tmp_path, tiny_model_dir):
    (tmp_path / "a.txt").write_text(YEARLESS, encoding="utf-8")
    r, docs = predict(tmp_path / "a.txt", "--no-text", "--device", "auto", model=tiny_model_dir)
    assert r.returncode == 0, r.stderr.decode()
    assert "text" not in docs[0] and {"id", "entities", "relations", "events"} <= set(docs[0])


def test_count_documents(tmp_path):
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "b.jsonl").write_text('{"text": "x"}\n\n{"text": "y"}\n', encoding="utf-8")
    assert count_documents([str(tmp_path / "a.txt"), str(tmp_path / "d")]) == 3
    assert count_documents([str(tmp_path / "a.txt"), "-"]) is None


def test_progress_bar_has_a_total_on_a_terminal(tmp_path, tiny_model_dir):
    for i in range(3):
        (tmp_path / f"{i}.txt").write_text(YEARLESS, encoding="utf-8")
    master, slave = pty.openpty()
    # a terminal's size, as a real one has (a fresh pty is 0x0, where tqdm draws no bar)
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    p = subprocess.Popen([sys.executable, "-m", "lawie", "predict", "--model", str(tiny_model_dir),
                          str(tmp_path), "-o", str(tmp_path / "out.jsonl")],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    seen = b""
    deadline = time.time() + 120
    while time.time() < deadline:
        ready, _, _ = select.select([master], [], [], 1.0)
        if ready:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        elif p.poll() is not None:
            break
    p.wait(timeout=60)
    os.close(master)
    text = seen.decode("utf-8", "replace")
    assert p.returncode == 0, text
    assert "3/3" in text and "predict" in text and "<" in text     # n/total [elapsed<eta]
