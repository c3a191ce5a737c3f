"""`lawie serve` as a client sees it: a real uvicorn on 127.0.0.1, requests over HTTP, bad requests,
concurrent requests, shutdown. Loopback only; every loop is bounded."""
import http.client
import json
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest

from conftest import validate_output

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")

TEXT = "2025年3月14日,徐水区院向区住建局制发检察建议。"
MAX_BYTES = 4000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tiny_model_dir):
    port = _free_port()
    p = subprocess.Popen([sys.executable, "-m", "lawie", "serve", "--model", str(tiny_model_dir),
                          "--host", "127.0.0.1", "--port", str(port), "--max-bytes",
                          str(MAX_BYTES), "--max-docs", "4", "--log-level", "warning"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 120
    while time.time() < deadline:
        if p.poll() is not None:
            pytest.fail(f"server exited: {p.stderr.read().decode()}")
        try:
            if request(port, "GET", "/health")[0] == 200:
                break
        except OSError:
            time.sleep(0.3)
    else:
        p.kill()
        pytest.fail("server did not answer /health within 120 s")
    yield port, p
    if p.poll() is None:
        p.kill()
        p.wait(timeout=30)


def request(port, method, path, body=None, headers=None, chunked=False):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        if isinstance(body, (dict, list)):
            body = json.dumps(body, ensure_ascii=False).encode("utf-8")
        conn.request(method, path, body=body, headers=headers or {"Content-Type": "application/json"},
                     encode_chunked=chunked)
        r = conn.getresponse()
        data = r.read()
        return r.status, json.loads(data) if data else None
    finally:
        conn.close()


def test_health(server):
    status, body = request(server[0], "GET", "/health")
    assert status == 200 and body["status"] == "ok" and body["max_bytes"] == MAX_BYTES
    from lawie.labels.schema import ENTITY_TYPES, RELATION_TYPES
    assert body["entity_types"] == list(ENTITY_TYPES) and body["relation_types"] == list(RELATION_TYPES)


def test_extract_one_and_a_list(server):
    status, doc = request(server[0], "POST", "/extract", {"text": TEXT, "date": "2025-01-01",
                                                          "id": "a"})
    assert status == 200, doc
    validate_output(doc)
    assert doc["id"] == "a" and doc["text"] == TEXT and doc["meta"] == {"date": "2025-01-01"}
    status, docs = request(server[0], "POST", "/extract", [{"text": TEXT}, {"text": "某公司被罚款5万元。"}])
    assert status == 200 and [d["id"] for d in docs] == ["doc-1", "doc-2"]
    for d in docs:
        validate_output(d)
    assert docs[0]["entities"] == doc["entities"]


@pytest.mark.parametrize("body,status,words", [
    (b"{not json", 422, "not JSON"),
    ({"txt": TEXT}, 422, "string 'text'"),
    ({"text": TEXT, "date": "2025-13"}, 422, "date '2025-13'"),
    ([], 422, "empty list"),
    ([{"text": "x"}] * 5, 413, "at most 4"),
    ({"text": "长" * MAX_BYTES}, 413, f"at most {MAX_BYTES}"),
])
def test_bad_requests_get_a_json_error(server, body, status, words):
    got, err = request(server[0], "POST", "/extract", body)
    assert got == status and set(err) == {"error"} and words in err["error"]


def test_a_chunked_body_over_the_limit_is_refused(server):
    pieces = iter([b'{"text": "'] + [("长" * 500).encode()] * 4 + [b'"}'])
    got, err = request(server[0], "POST", "/extract", pieces, chunked=True)
    assert got == 413 and "over" in err["error"]


def test_unknown_path_and_method(server):
    assert request(server[0], "GET", "/nope")[0] == 404
    got, err = request(server[0], "GET", "/extract")
    assert got == 405 and "error" in err


def test_concurrent_requests_are_each_answered_in_full(server):
    texts = [f"{TEXT}第{i}件。" * (i + 1) for i in range(6)]
    alone = [request(server[0], "POST", "/extract", {"text": t, "id": str(i)})[1]
             for i, t in enumerate(texts)]
    got = [None] * len(texts)

    def one(i):
        got[i] = request(server[0], "POST", "/extract", {"text": texts[i], "id": str(i)})

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(texts))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    for i, (status, doc) in enumerate(got):
        assert status == 200 and doc == alone[i]


def test_shutdown_on_sigint(server):
    port, p = server
    p.send_signal(signal.SIGINT)
    rc = p.wait(timeout=60)
    err = p.stderr.read().decode()
    assert rc == 0 and "Traceback" not in err
    with pytest.raises(OSError):
        request(port, "GET", "/health")


def test_bad_model_is_one_line(tmp_path):
    r = subprocess.run([sys.executable, "-m", "lawie", "serve", "--model", str(tmp_path),
                        "--port", str(_free_port())], capture_output=True, timeout=120)
    assert r.returncode == 2
    assert r.stderr.decode().strip().startswith(f"lawie: error: {tmp_path}: no lawie model there")
