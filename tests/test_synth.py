"""The synthetic corpus generator: determinism, validity of every document, exact spans under each
rendering, and renderings that really change the text."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from lawie.labels.schema import ENTITY_TYPES, relation_allowed
from lawie.train.synth import generate, build_corpus
from lawie.train.synth import render, values as V
from lawie.train.synth.build import validate

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def docs():
    return list(generate(300, seed=7))


def test_deterministic_for_a_seed():
    a = [json.dumps(d, ensure_ascii=False) for d in generate(25, seed=3)]
    b = [json.dumps(d, ensure_ascii=False) for d in generate(25, seed=3)]
    c = [json.dumps(d, ensure_ascii=False) for d in generate(25, seed=4)]
    assert a == b
    assert a != c


def test_every_document_is_valid(docs):
    for d in docs:
        assert validate(d) == [], (d["id"], validate(d)[:3])
        assert d["meta"]["source"] == "synth" and d["meta"]["genre"] and d["meta"]["rendering"]
        for e in d["entities"]:
            assert e["type"] in ENTITY_TYPES
            assert d["text"][e["start"]:e["end"]] == e["text"]
        ents = {e["id"]: e for e in d["entities"]}
        for r in d["relations"]:
            assert relation_allowed(r["type"], ents[r["head"]]["type"], ents[r["tail"]]["type"])


def test_norm_fields(docs):
    fields = {"DATE": {"start", "end"}, "COUNT": {"value", "unit", "approx"}, "AGENCY": {"name", "kind"},
              "STATUTE": {"title", "article"}, "PARTY": {"kind"}, "ACTION": {"kind"}}
    for d in docs:
        for e in d["entities"]:
            n = e["norm"]
            if e["type"] == "MONEY":
                assert ("value" in n) != ("min" in n and "max" in n) and n["currency"]
            else:
                assert fields[e["type"]] <= set(n), e
            if e["type"] == "STATUTE":
                assert "《" not in n["title"] and (n["article"] is None or isinstance(n["article"], int))


def test_all_types_roles_and_kinds_occur(docs):
    types = {e["type"] for d in docs for e in d["entities"]}
    roles = {r["type"] for d in docs for r in d["relations"]}
    kinds = {e["norm"]["kind"] for d in docs for e in d["entities"] if e["type"] == "ACTION"}
    genres = {d["meta"]["genre"] for d in docs}
    assert types == set(ENTITY_TYPES)
    assert roles == {"alias_of", "agent", "target", "venue", "date", "amount", "count", "basis"}
    assert {"clue", "case_filed", "hearing", "suggestion", "lawsuit", "judgment", "penalty",
            "violation", "other"} <= kinds
    assert len(genres) >= 5


def test_alias_points_to_full_name(docs):
    n = 0
    for d in docs:
        ents = {e["id"]: e for e in d["entities"]}
        for r in d["relations"]:
            if r["type"] == "alias_of" and ents[r["head"]]["type"] == "AGENCY":
                head, tail = ents[r["head"]], ents[r["tail"]]
                assert head["norm"]["name"] == tail["norm"]["name"]
                if d["meta"]["rendering"] == "clean":
                    assert len(head["text"]) < len(tail["text"])
                n += 1
    assert n > 20


def test_relative_dates_resolve_against_previous_date():
    seen = 0
    for d in generate(400, seed=11, renderings={}):
        prev = None
        for e in d["entities"]:
            if e["type"] != "DATE":
                continue
            if e["text"].startswith("同年") and prev and prev["norm"]["end"]:
                assert e["norm"]["start"][:4] == prev["norm"]["end"][:4], (e, prev)
                seen += 1
            if e["text"].startswith("次年") and prev and prev["norm"]["start"] == prev["norm"]["end"]:
                assert int(e["norm"]["start"][:4]) == int(prev["norm"]["start"][:4]) + 1
                seen += 1
            prev = e
    assert seen > 10


def test_number_and_value_forms():
    assert V.cn_int(1200) == "一千二百"
    assert V.cn_int(37000) == "三万七千"
    assert V.cn_int(1034) == "一千零三十四"
    import random
    rng = random.Random(0)
    for _ in range(200):
        txt, norm, _pre = V.render_count(37000, "条", rng, "more_than")
        assert norm == {"value": 37000, "unit": "条", "approx": "more_than"} and txt.endswith("条")
    dv = V.DateVal(2023, 7, None, 2024, 3)
    assert V.date_norm(dv) == {"start": "2023-07", "end": "2024-03"}
    assert V.date_norm(V.DateVal(2017, kind="h2")) == {"start": "2017-07", "end": "2017-12"}


@pytest.mark.parametrize("name", render.RENDERINGS)
def test_spans_exact_and_text_changed_under_each_rendering(name):
    import random
    clean = list(generate(40, seed=21, renderings={}))
    changed = 0
    for i, d in enumerate(clean):
        r = render.apply(d, [name] if name != "pinyin" else ["traditional", "pinyin"], random.Random(i))
        assert validate(r) == [], (name, validate(r)[:3])
        assert len(r["entities"]) == len(d["entities"])
        assert r["relations"] == d["relations"]
        for a, b in zip(d["entities"], r["entities"]):
            assert a["norm"] == b["norm"] and a["type"] == b["type"]
        changed += r["text"] != d["text"]
        assert name in r["meta"]["rendering"]
    assert changed >= 30, (name, changed)


def test_rendering_specifics():
    import random
    d = next(generate(1, seed=5, renderings={}))
    t = render.apply(d, ["traditional", "pinyin"], random.Random(1), pinyin_share=1.0)
    assert "(" in t["text"] and any(ch in t["text"] for ch in "東說個發檢網")
    n = render.apply(d, ["nfkc"], random.Random(1))
    assert "，" not in n["text"]


def test_build_corpus_and_cli(tmp_path):
    cfg = {"seed": 5, "sizes": {"train": 30, "dev": 5}, "renderings": {"spun": 0.3, "traditional": 0.3},
           "gold_dir": str(tmp_path / "nogold")}
    stats = build_corpus(cfg, tmp_path / "out")
    lines = (tmp_path / "out" / "train.jsonl").read_text("utf-8").splitlines()
    assert len(lines) == 30 and stats["splits"]["train"]["documents"] == 30
    assert json.loads((tmp_path / "out" / "stats.json").read_text("utf-8"))["splits"]["dev"]["documents"] == 5
    # a held-out gold document whose sentences the generator must not repeat
    gold = tmp_path / "gold"
    gold.mkdir()
    first = json.loads(lines[0])
    sent = [s for s in first["text"].split("\n") if len(s) > 12][0].split("。")[0]
    (gold / "g.jsonl").write_text(json.dumps({"id": "g", "text": sent + "。", "meta": {"case": "c1"},
                                              "entities": [], "relations": []}, ensure_ascii=False) + "\n")
    (gold / "split.json").write_text(json.dumps({"train": [], "dev": ["c1"], "test": []}))
    stats2 = build_corpus(dict(cfg, gold_dir=str(gold)), tmp_path / "out2")
    out2 = (tmp_path / "out2" / "train.jsonl").read_text("utf-8")
    assert sent not in out2 and stats2["splits"]["train"]["dropped_overlapping_gold"] >= 1
    cfg_path = tmp_path / "c.toml"
    cfg_path.write_text('seed = 2\n[sizes]\ntrain = 4\ndev = 2\n')
    res = subprocess.run([sys.executable, "-m", "lawie.train.synth", "--config", str(cfg_path),
                          "--output", str(tmp_path / "cli")], capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 0, res.stderr
    assert len((tmp_path / "cli" / "dev.jsonl").read_text("utf-8").splitlines()) == 2
    bad = subprocess.run([sys.executable, "-m", "lawie.train.synth", "--config", str(tmp_path / "missing.toml"),
                          "--output", str(tmp_path / "x")], capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode != 0 and "missing.toml" in bad.stderr and "Traceback" not in bad.stderr


def test_unknown_rendering_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown rendering"):
        next(generate(1, seed=1, renderings={"upside_down": 1.0}))
