"""The HTML view (lawie.infer.view, `lawie predict --format html`): every entity marked, one timeline
row per event, everything from the text escaped; looked at in a real headless Chromium."""
import json
import os
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import ROOT

from lawie.infer.view import event_roles, render, render_page
from lawie.labels.schema import ENTITY_TYPES, RELATION_TYPES

DEMO = ROOT / "corpus" / "examples" / "demo.txt"
HOSTILE = ("<script>alert('x')</script> 2025年3月14日,徐水区院向\"区住建局\"&制发检察建议。"
           "<img src=x onerror=alert(1)>")
SHOTS = Path(os.environ.get("LAWIE_SCREENSHOT_DIR", ROOT / ".pytest_cache" / "screenshots"))


class _Marks(HTMLParser):
    """Per entity id, the text inside its <mark> elements (pieces of a split entity joined)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.text, self.tags = [], {}, []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "mark":
            self.stack.append(dict(attrs)["data-id"])

    def handle_endtag(self, tag):
        if tag == "mark":
            self.stack.pop()

    def handle_data(self, data):
        for i in self.stack:
            self.text[i] = self.text.get(i, "") + data


def _doc(text, entities, events=()):
    return {"id": "t", "text": text, "meta": {}, "entities": entities, "relations": [],
            "events": list(events)}


def _ent(i, t, s, e, text, norm=None):
    return {"id": i, "type": t, "start": s, "end": e, "text": text[s:e], "norm": norm or {},
            "score": 0.9}


def test_overlapping_and_nested_entities_are_all_marked_whole():
    text = "甲乙丙丁戊己庚辛"
    ents = [_ent("T1", "AGENCY", 0, 4, text), _ent("T2", "PARTY", 1, 3, text),   # nested
            _ent("T3", "ACTION", 2, 6, text), _ent("T4", "DATE", 6, 8, text)]    # crossing
    p = _Marks()
    p.feed(render(_doc(text, ents)))
    for e in ents:
        assert p.text[e["id"]] == e["text"]


def test_text_and_norms_are_escaped():
    ents = [_ent("T1", "AGENCY", 45, 49, HOSTILE, {"name": "<b>x</b>", "kind": "other"})]
    html = render(_doc(HOSTILE, ents))
    assert "<script>" not in html and "<img" not in html and "<b>x</b>" not in html
    assert "&lt;script&gt;" in html
    p = _Marks()
    p.feed(html)
    assert "script" not in p.tags and "img" not in p.tags
    assert p.text["T1"] == HOSTILE[45:49]


def test_timeline_has_a_column_per_schema_role():
    roles = event_roles()
    assert set(roles) == set(RELATION_TYPES) - {"alias_of", "date"}
    ev = {"action": "T1", "text": "判处", "kind": "judgment", "when": {"start": "2025-09",
          "end": "2025-09"}, **{r: [] for r in RELATION_TYPES if r != "alias_of"}}
    ev[roles[-1]] = [{"id": "T2", "text": "<某>", "norm": {}}]
    html = render(_doc("判处<某>", [_ent("T1", "ACTION", 0, 2, "判处<某>")], [ev]))
    for r in roles:
        assert f"<th>{r}</th>" in html
    assert "&lt;某&gt;" in html and "2025-09" in html
    for t in ENTITY_TYPES:             # the legend names every type of the schema
        assert f">{t}</span>" in html


# ----------------------------------------------------------------------------- in a browser

def _chromium():
    for name in (os.environ.get("LAWIE_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


@pytest.fixture(scope="module")
def browser():
    exe = _chromium()
    if exe is None:
        pytest.skip("no chromium on this machine (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, headless=True,
                              args=["--no-sandbox", "--disable-gpu",
                                    "--disable-background-networking", "--no-first-run"])
        yield b
        b.close()


def _predict_html(tmp_path, inputs, model=None):
    out = tmp_path / "view.html"
    cmd = [sys.executable, "-m", "lawie", "predict", "-q", "--format", "html", "-o", str(out),
           *map(str, inputs)] + (["--model", str(model)] if model else [])
    r = subprocess.run(cmd, capture_output=True, timeout=300)
    assert r.returncode == 0, r.stderr.decode()
    jl = subprocess.run([c for c in cmd if c not in ("--format", "html", "-o", str(out))],
                        capture_output=True, timeout=300)
    docs = [json.loads(x) for x in jl.stdout.decode().splitlines() if x.strip()]
    return out, docs


def _check_page(page, docs):
    assert page.locator("section.doc").count() == len(docs)
    assert page.locator("script, img").count() == 0
    for i, doc in enumerate(docs):
        sec = page.locator("section.doc").nth(i)
        assert sec.get_attribute("data-doc-id") == doc["id"]
        # every entity is marked: its pieces' text is its text, with its type, norm and score
        marks = sec.evaluate("""s => { const r = {};
            for (const m of s.querySelectorAll('mark.ent')) {
              const id = m.dataset.id;
              r[id] = r[id] || {text: '', type: m.dataset.type, norm: m.dataset.norm,
                                title: m.title};
              r[id].text += m.textContent; }
            return r; }""")
        assert set(marks) == {e["id"] for e in doc["entities"]}
        for e in doc["entities"]:
            got = marks[e["id"]]
            assert got["text"] == e["text"] and got["type"] == e["type"]
            assert json.loads(got["norm"] or "{}") == (e["norm"] or {})
            assert got["title"].startswith(e["type"])
        assert sec.locator(".text").evaluate("t => t.textContent") == doc["text"]
        # one timeline row per event, in the events' order, each linked to its act in the text
        rows = sec.locator("tr.event")
        assert rows.count() == len(doc["events"])
        for j, ev in enumerate(doc["events"]):
            assert rows.nth(j).get_attribute("data-action") == ev["action"]
            assert rows.nth(j).locator("td.act").inner_text() == ev["text"]
        # a sentencing act's defendants: one line each below its row, naming who got what
        who = [d["target"]["text"] for ev in doc["events"] for d in ev.get("defendants") or []]
        assert sec.locator("tr.defendant b").all_inner_texts() == who


def test_demo_page_in_chromium(browser, tmp_path):
    """The shipped model on the demo release: a user's page, checked in the DOM, screenshot kept."""
    out, docs = _predict_html(tmp_path, [DEMO])
    assert docs[0]["events"] and docs[0]["entities"]
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.goto(out.as_uri())
    _check_page(page, docs)
    # hovering an entity shows its type, value and score (the title the browser pops up)
    first = page.locator("mark.ent").first
    first.hover()
    e0 = docs[0]["entities"][0]
    assert first.get_attribute("title").startswith(f"{e0['type']} · ")
    assert "score" in first.get_attribute("title")
    SHOTS.mkdir(parents=True, exist_ok=True)
    shot = SHOTS / "demo.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    page.close()


def test_random_model_page_in_chromium(browser, tmp_path, tiny_model_dir):
    """A tiny random model emits overlapping entities of every type; hostile text stays text."""
    (tmp_path / "a.txt").write_text(HOSTILE, encoding="utf-8")
    (tmp_path / "b.txt").write_text(DEMO.read_text(encoding="utf-8")[:300], encoding="utf-8")
    out, docs = _predict_html(tmp_path, [tmp_path / "a.txt", tmp_path / "b.txt"],
                              model=tiny_model_dir)
    page = browser.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(out.as_uri())
    _check_page(page, docs)
    assert not dialogs
    page.close()


def test_render_page_of_no_documents_is_a_page():
    html = render_page([])
    assert html.startswith("<!DOCTYPE html>") and "0 document(s)" in html
