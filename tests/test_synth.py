"""The synthetic corpus generator: determinism, validity of every document, exact spans under each
rendering, and renderings that really change the text."""
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from lawie.labels.schema import (ENTITY_TYPES, NORM_FIELDS, OPTIONAL_NORM_FIELDS, RELATION_TYPES,
                                 relation_allowed)
from lawie.labels.values import normalize
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
    fields = {t: set(f) - set(OPTIONAL_NORM_FIELDS.get(t, ())) for t, f in NORM_FIELDS.items()}
    fields["STATUTE"].add("article_sub")                 # the generator always writes it
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
    assert roles == set(RELATION_TYPES)
    assert {"clue", "case_filed", "hearing", "suggestion", "lawsuit", "judgment", "penalty",
            "violation", "other"} <= kinds
    assert len(genres) >= 5


def test_outcomes_agree_with_the_normalizer_and_each_defendant_has_own_act(docs):
    """Generated SENTENCE / CHARGE values are what labels/outcomes.py reads from their text, and a
    criminal judgment gives each defendant an act of their own (one target, own sentence)."""
    from lawie.infer.clean import clean
    from lawie.labels.values import normalize
    n_sent = n_judg = 0
    for d in docs:
        ents = {e["id"]: e for e in d["entities"]}
        for e in d["entities"]:
            if e["type"] in ("SENTENCE", "CHARGE"):
                got = normalize(e["type"], clean(e["text"]).text)      # as the pipeline reads it
                assert {k: got.get(k) for k in e["norm"]} == e["norm"], e
                n_sent += e["type"] == "SENTENCE"
        args: dict = {}
        for r in d["relations"]:
            args.setdefault(r["head"], []).append(r)
        for head, rs in args.items():
            if any(r["type"] == "sentence" for r in rs) and ents[head]["text"] == "判处":
                n_judg += 1
                assert sum(r["type"] == "target" for r in rs) == 1, rs
    assert n_sent >= 20 and n_judg >= 10


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


def test_spaced_rendering_spaces_mixed_text_and_keeps_spans():
    """spaced: a space between Han characters and half-width digits / letters (2017 年 9 月); one
    inside a span belongs to it, none is added anywhere else, and the values stay."""
    import random
    docs = list(generate(30, seed=8, renderings={}))
    inner = 0
    for i, d in enumerate(docs):
        r = render.apply(d, ["spaced"], random.Random(i), space_share=1.0)
        j, t, added = 0, r["text"], 0
        for k, ch in enumerate(t):              # every character of r is d's, or an added space
            if j < len(d["text"]) and ch == d["text"][j]:
                j += 1
                continue
            assert ch == " " and re.fullmatch(r"[\u4e00-\u9fff] [0-9A-Za-z]|[0-9A-Za-z] [\u4e00-\u9fff]",
                                              t[k - 1:k + 2]), t[k - 5:k + 5]
            added += 1
        assert j == len(d["text"]) and added > 0
        for a, b in zip(d["entities"], r["entities"]):
            assert b["text"] == r["text"][b["start"]:b["end"]] == b["text"].strip()
            assert b["text"].replace(" ", "") == a["text"].replace(" ", "") and a["norm"] == b["norm"]
            inner += a["type"] == "DATE" and re.fullmatch(r"\d{4}年\d+月", a["text"]) is not None \
                and re.fullmatch(r"\d{4} 年 \d+ 月", b["text"]) is not None
    assert inner >= 3
    none = render.apply(docs[0], ["spaced"], random.Random(0), space_share=0.0)
    assert none["text"] == docs[0]["text"]


def test_a_late_rendering_leaves_the_other_documents_as_they_were():
    """spaced draws from its own stream: turning it on changes only the documents it is applied
    to, so a corpus built before it keeps its documents."""
    base = dict(__import__("lawie.train.synth", fromlist=["x"]).DEFAULT_RENDERINGS)
    off = list(generate(60, seed=4, renderings=dict(base, spaced=0.0)))
    on = list(generate(60, seed=4, renderings=dict(base, spaced=0.3)))
    hit = [b for b in on if "spaced" in b["meta"]["rendering"]]
    assert 5 <= len(hit) <= 35
    for a, b in zip(off, on):
        if "spaced" not in b["meta"]["rendering"]:
            assert a == b
        else:
            assert a["meta"]["rendering"] + "+spaced" == b["meta"]["rendering"] or \
                (a["meta"]["rendering"] == "clean" and b["meta"]["rendering"] == "spaced")


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


def test_unknown_rendering_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="unknown rendering"):
        next(generate(1, seed=1, renderings={"upside_down": 1.0}))
    with pytest.raises(ValueError, match="unknown rendering option"):
        next(generate(1, seed=1, options={"spin_rate": 0.5}))
    cfg = tmp_path / "c.toml"
    cfg.write_text('seed = 2\n[sizes]\ntrain = 2\ndev = 1\n[rendering_options]\nspin_rate = 0.5\n')
    res = subprocess.run([sys.executable, "-m", "lawie.infer.cli", "synth", "--config", str(cfg),
                          "--output", str(tmp_path / "o")], capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 2 and "spin_rate" in res.stderr and "Traceback" not in res.stderr


def test_rendering_options_from_the_config_are_applied():
    """The rendering strengths come from the config: every spun document changes at spin_share 1.0
    and none at 0.0, and the defaults are the values corpus.toml spells out."""
    import tomllib
    from lawie.train.synth import DEFAULT_RENDERING_OPTIONS
    cfg = tomllib.loads((ROOT / "train/configs/corpus.toml").read_text("utf-8"))
    assert cfg["rendering_options"] == DEFAULT_RENDERING_OPTIONS
    clean = [d["text"] for d in generate(20, seed=9, renderings={})]
    off = [d["text"] for d in generate(20, seed=9, renderings={"spun": 1.0}, options={"spin_share": 0.0})]
    on = [d["text"] for d in generate(20, seed=9, renderings={"spun": 1.0}, options={"spin_share": 1.0})]
    assert off == clean
    assert sum(a != b for a, b in zip(on, clean)) >= 18


# ------------------------------------------------------------------ constructions added for the real-text gaps

import random as _random  # noqa: E402
import re as _re  # noqa: E402

from lawie.train.synth import genres as G, world as W  # noqa: E402
from lawie.train.synth.doc import Doc  # noqa: E402


@pytest.fixture(scope="module")
def clean_docs():
    return list(generate(1500, seed=13, renderings={}))


def _rels(d, head_id):
    ents = {e["id"]: e for e in d["entities"]}
    return [(r["type"], ents[r["tail"]]) for r in d["relations"] if r["head"] == head_id]


def _one_sentence(builder, seed=0):
    rng = _random.Random(seed)
    doc = Doc(rng)
    case = G.Case(rng, doc)
    doc.emit(builder(case, doc, rng))
    return doc.finish("t", {"source": "synth", "genre": "test", "rendering": "clean"})


@pytest.mark.parametrize("style,word", [("fa", "罚"), ("chuyi", "罚款"), ("fakuan", "罚款"), ("chufakuan", "罚款"),
                                        ("zhongfa", "重罚")])
def test_passive_penalty_roles_and_spans(style, word):
    for seed in range(20):
        def build(case, doc, rng):
            reg = W.pbc_branch(rng, case.region) if seed % 2 else W.finance_regulator(rng, case.region)
            return G.s_passive_penalty(case, doc, reg, W.bank_party(case.cast, case.region), case.tl.point(), style=style)
        d = _one_sentence(build, seed)
        assert validate(d) == []
        acts = [e for e in d["entities"] if e["type"] == "ACTION"]
        assert len(acts) == 1 and acts[0]["text"] == word and acts[0]["norm"]["kind"] == "penalty"
        a = acts[0]
        rels = _rels(d, a["id"])
        targets = [t for r, t in rels if r == "target"]
        agents = [t for r, t in rels if r == "agent"]
        amounts = [t for r, t in rels if r == "amount"]
        # the penalized bank stands before 被 and is the TARGET; the regulator after 被 is the AGENT
        assert len(targets) == 1 and targets[0]["type"] == "PARTY" and "行" in targets[0]["text"]
        bei = d["text"].index("被")
        assert targets[0]["end"] <= bei < a["start"]
        for ag in agents:
            assert ag["type"] == "AGENCY" and bei < ag["start"] < a["start"]
        if style in ("chuyi", "fakuan"):
            assert agents, d["text"]
        assert len(amounts) == 1 and amounts[0]["type"] == "MONEY"
        if style == "chuyi":
            assert d["text"][a["start"]:a["end"]] == "罚款" and amounts[0]["end"] <= a["start"]


def test_penalty_split_one_act_several_amounts():
    for seed in range(20):
        def build(case, doc, rng):
            people = [case.cast.person() for _ in range(2)]
            return G.s_penalty_split(case, doc, W.pbc_branch(rng, case.region),
                                     [W.bank_party(case.cast, case.region)] + people, None)
        d = _one_sentence(build, seed)
        assert validate(d) == []
        acts = [e for e in d["entities"] if e["type"] == "ACTION"]
        assert len(acts) == 1 and acts[0]["text"] in ("罚", "罚款")
        rels = _rels(d, acts[0]["id"])
        assert sum(r == "amount" for r, _ in rels) == 3 and sum(r == "target" for r, _ in rels) == 3
        assert [t["type"] for r, t in rels if r == "agent"] == ["AGENCY"]


def test_two_agent_clue_not_crossed():
    for seed in range(30):
        def build(case, doc, rng):
            return G.s_clue_two_agents(case, doc, W.procuratorate(rng, case.region), case.cast.company(case.region),
                                       case.tl.point())
        d = _one_sentence(build, seed)
        assert validate(d) == []
        acts = {e["norm"]["kind"]: e for e in d["entities"] if e["type"] == "ACTION"}
        assert set(acts) == {"clue", "violation"} and acts["clue"]["text"] == "发现"
        clue, viol = _rels(d, acts["clue"]["id"]), _rels(d, acts["violation"]["id"])
        assert [t["type"] for r, t in clue if r == "agent"] == ["AGENCY"]
        assert [t["type"] for r, t in viol if r == "agent"] == ["PARTY"]
        assert [t["type"] for r, t in viol if r == "count"] == ["COUNT"]
        assert not [1 for r, _ in viol if r == "date"]  # the date of the discovery is not the violation's


def test_front_arguments_link_count_to_the_act():
    n = 0
    for seed in range(80):
        def build(case, doc, rng):
            agents = [doc.party(case.cast.person())]
            return G.s_violation_front(case, doc, agents, dv=case.tl.span() if seed % 2 else None)
        d = _one_sentence(build, seed)
        assert validate(d) == []
        counts = [e for e in d["entities"] if e["type"] == "COUNT"]
        linked = {t["id"] for a in d["entities"] if a["type"] == "ACTION" for r, t in _rels(d, a["id"]) if r == "count"}
        assert {c["id"] for c in counts} <= linked, d["text"]
        for a in d["entities"]:
            if a["type"] == "ACTION":
                assert a["norm"]["kind"] == "violation"
                assert any(r in ("count", "amount", "date") for r, _ in _rels(d, a["id"])), (a, d["text"])
        n += any(c["end"] <= a["start"] for c in counts for a in d["entities"] if a["type"] == "ACTION")
    assert n > 15  # counts before the verb are common


def test_no_action_inside_quoted_provisions(clean_docs):
    seen = 0
    for d in clean_docs:
        for m in _re.finditer(r"规定[：，]“([^”]*)”", d["text"]):
            seen += 1
            s, t = m.start(1), m.end(1)
            assert not [e for e in d["entities"] if e["type"] == "ACTION" and s <= e["start"] < t], m.group(0)
            st = [e for e in d["entities"] if e["type"] == "STATUTE" and e["end"] <= m.start()]
            assert st, d["text"][max(0, m.start() - 40):m.end()]
    assert seen > 20


def test_generic_and_nominal_statements_have_no_action(clean_docs):
    seen = 0
    for d in clean_docs:
        for s in G.GENERIC_NEGATIVES:
            i = d["text"].find(s)
            if i >= 0:
                seen += 1
                assert not [e for e in d["entities"] if i <= e["start"] < i + len(s)], s
    assert seen > 10


def test_action_span_conventions(clean_docs):
    texts = {e["text"] for d in clean_docs for e in d["entities"] if e["type"] == "ACTION"}
    for bad in ("决定立案", "立案办理", "处罚款", "责令停止违法行为", "责令立即改正违法行为", "遂立案"):
        assert bad not in texts
    assert {"立案", "立案调查", "责令停止", "责令改正"} <= texts
    # the text around them is still there
    assert any("决定立案" in d["text"] for d in clean_docs) and any("立案办理" in d["text"] for d in clean_docs)
    new = {"罚", "重罚", "开出", "开出罚单", "诉至法院", "请求判令", "开庭审理", "公开开庭审理", "宣判", "判刑", "审查起诉",
           "移送审查起诉", "移送起诉", "行政处罚", "查处", "存有", "储存", "设立", "侵犯", "爬取", "出售", "购买", "泄露",
           "窃取", "暂停执业活动", "吊销许可证", "没收违法所得", "警告"}
    assert new <= texts, new - texts


def test_banks_regulators_and_normative_documents(clean_docs):
    bank_targets = pbc_agents = norm_docs = 0
    for d in clean_docs:
        for e in d["entities"]:
            if e["type"] == "ACTION" and e["norm"]["kind"] == "penalty":
                for r, t in _rels(d, e["id"]):
                    if r == "target" and t["type"] == "PARTY" and "银行" in t["text"]:
                        assert t["norm"]["kind"] == "org"
                        bank_targets += 1
                    if r == "agent" and t["type"] == "AGENCY" and (t["norm"]["name"].startswith("中国人民银行")
                                                                    or t["norm"]["name"].startswith("国家金融监督管理总局")):
                        pbc_agents += 1
            if e["type"] == "STATUTE" and e["norm"]["title"] in G.NORM_DOCS:
                assert e["norm"]["article"] is None and e["text"] == "《" + e["norm"]["title"] + "》"
                norm_docs += 1
    assert bank_targets > 20 and pbc_agents > 20 and norm_docs > 3


def test_two_is_liang_before_a_measure_word():
    """2 in Chinese numerals before a measure word is 两 (两家); only people may be 二人."""
    rng = _random.Random(0)
    seen = set()
    for _ in range(400):
        txt, norm, _pre = V.render_count(2, "家", rng)
        assert not txt.startswith("二") and norm["value"] == 2
        seen.add(txt)
        txt, norm = V.render_small(2, "人", rng)
        seen.add(txt)
        assert normalize("COUNT", txt) == norm
    assert {"两家", "2家", "二人", "两人"} <= seen
    for n, unit in ((4, "方面"), (3, "个方面"), (12, "人")):
        txt, norm = V.render_small(n, unit, rng)
        assert normalize("COUNT", txt) == norm


def test_group_counts_after_named_subjects_count_their_acts():
    """李某、吴某二人 / 周某等六人: the group size is a COUNT linked to the subject's acts."""
    n = 0
    for seed in range(200):
        def build(case, doc, rng):
            agents = [doc.party(case.cast.person()) for _ in range(2)]
            return G.violation_sentence(case, doc, agents, dv=case.tl.span())
        d = _one_sentence(build, seed)
        assert validate(d) == []
        groups = [e for e in d["entities"] if e["type"] == "COUNT" and e["norm"]["unit"] == "人"
                  and _re.fullmatch(r"[二两三四五六七八九十0-9]+人", e["text"])]
        for g in groups:
            n += 1
            linked = [a for a in d["entities"] if a["type"] == "ACTION"
                      and ("count", g) in [(r, t) for r, t in _rels(d, a["id"])]]
            assert linked, d["text"]
            assert g["norm"]["value"] >= 2
    assert n > 30


def test_spun_rendering_swaps_synonyms_outside_valued_spans():
    """The spun rendering also swaps two-character words for Cilin synonyms that the cleaner does
    not undo; words of AGENCY, STATUTE, DATE, COUNT and MONEY spans never change, so their
    normalized values still match their text."""
    import random
    groups = render.synonym_groups()
    assert "贩卖" in groups["出售"] and "出售" in groups["贩卖"]
    clean = list(generate(40, seed=33, renderings={}))
    swapped = 0
    for i, d in enumerate(clean):
        r = render.apply(d, ["spun"], random.Random(i), spin_share=0.0, synonym_share=1.0)
        assert validate(r) == []
        assert len(r["text"]) == len(d["text"])           # two characters for two
        for a, b in zip(d["entities"], r["entities"]):
            assert (a["start"], a["end"]) == (b["start"], b["end"])
            if a["type"] in render.FIXED_TYPES:
                assert a["text"] == b["text"], (a, b)
        diffs = [k for k, (x, y) in enumerate(zip(d["text"], r["text"])) if x != y]
        swapped += len(diffs)
        for k in diffs:   # every changed character belongs to a swap into a synonym
            s = k if k + 1 < len(d["text"]) and d["text"][k:k + 2] in groups and \
                r["text"][k:k + 2] in groups[d["text"][k:k + 2]] else k - 1
            assert r["text"][s:s + 2] in groups.get(d["text"][s:s + 2], ()), (d["text"][s:s + 2], r["text"][s:s + 2])
        none = render.apply(d, ["spun"], random.Random(i), spin_share=0.0, synonym_share=0.0)
        assert none["text"] == d["text"]
    assert swapped > 200


def test_act_lexicon_covers_the_kinds_and_the_generator_draws_from_it(docs):
    from lawie.labels.lexicon import table
    from lawie.labels.schema import ACTION_KINDS
    rows = table("acts.tsv", ("lemma", "kind", "frame"))
    acts = {w: k for w, k, *_ in rows if k != "none"}
    assert len(acts) >= 400 and set(acts.values()) == set(ACTION_KINDS)
    assert all(k in ACTION_KINDS or k == "none" for _, k, *_ in rows)
    generated = {e["text"] for d in docs for e in d["entities"] if e["type"] == "ACTION"
                 and d["meta"]["rendering"] == "clean"}
    # lemmas a template reaches only through the lexicon (not among the templates' common words)
    common = {"非法获取", "获取", "购买", "窃取", "非法收集", "爬取", "收集", "非法查询", "出售", "非法出售",
              "提供", "非法提供", "倒卖", "贩卖", "获利", "违法所得", "非法获利", "牟利"}
    lexicon_only = {w for w, k, f, *_ in rows if f in ("acquire", "transfer", "publish", "profit")} - common
    assert len(generated & lexicon_only) >= 15
    assert not generated & {w for w, k, *_ in rows if k == "none"} - set(acts)


def test_enforcement_frames_draw_lexicon_lemmas_as_shortest_acts():
    """The filing, hearing, suggestion and police templates draw act words of their frame from
    acts.tsv beyond their own common words, and no drawn lemma carries a function-word prefix or a
    complement (给予警告, 依法起诉, 抓获归案: the act word is drawn, as the output rules keep it)."""
    from collections import Counter
    from lawie.labels.lexicon import words
    from lawie.train.synth.genres import act_words
    ds = list(generate(400, seed=5, renderings={}))
    acts = Counter(e["text"] for d in ds for e in d["entities"] if e["type"] == "ACTION")
    common = {("case_filed", "filing"): {"立案", "立案调查", "立案审查", "立案查处", "立案侦查"},
              ("hearing", "hearing"): {"开庭审理", "公开开庭审理", "召开听证会", "组织听证", "举行公开听证"},
              ("suggestion", "suggestion"): {"制发检察建议", "发出检察建议", "提出检察建议", "制发诉前检察建议",
                                             "送达检察建议", "公开宣告送达检察建议"},
              ("other", "police"): {"破获", "侦破", "成功破获", "打掉", "抓获", "抓捕", "缉拿", "查获",
                                    "缴获", "扣押"}}
    for (kind, frame), own in common.items():
        drawn = {w for w in act_words(kind, frame) if acts[w]} - own
        assert len(drawn) >= 2, (kind, frame, drawn)
    prefixes, suffixes = words("act_prefixes.tsv"), words("act_suffixes.tsv")
    for kind, frame in common:
        for w in act_words(kind, frame):
            assert not any(w.startswith(p) and w != p for p in prefixes), w
            assert not any(w.endswith(x) and w != x for x in suffixes), w
    assert not {"给予警告", "给予行政处罚", "依法起诉", "抓获归案"} & set(acts)


def test_police_news_genre_is_valid_and_annotates_distractors_as_nothing():
    ds = list(generate(60, seed=9, genres={"police_news": 1.0}))
    assert all(validate(d) == [] for d in ds)
    for d in ds:
        for e in d["entities"]:
            assert not any(x in e["text"] for x in ("0571-", "96110", "www.", "附件")), e
    acts = {e["text"] for d in ds for e in d["entities"] if e["type"] == "ACTION"}
    assert {"抓获", "刑事拘留"} <= acts


def test_an_act_word_is_one_line_in_acts_tsv(monkeypatch):
    """A lemma added to labels/data/lexicon/acts.tsv is generated by the templates of its frame
    and kinded by the normalizer, with no other change (the rules-as-data issue)."""
    from lawie.labels import lexicon, values
    from lawie.train.synth import genres
    real = lexicon.table

    def with_new_word(name, columns=("word",)):
        rows = real(name, columns)
        return rows + (("盗录", "violation", "acquire", ""),) if name == "acts.tsv" else rows

    monkeypatch.setattr(genres, "table", with_new_word)
    monkeypatch.setattr(lexicon, "table", with_new_word)
    for cached in (genres.act_words, values._act_lexicon, values._normalize_cached):
        cached.cache_clear()
    try:
        assert values.normalize("ACTION", "盗录")["kind"] == "violation"
        seen = {e["text"] for d in generate(400, seed=2, renderings={}) for e in d["entities"]
                if e["type"] == "ACTION"}
        assert "盗录" in seen
    finally:
        for cached in (genres.act_words, values._act_lexicon, values._normalize_cached):
            cached.cache_clear()


def test_every_act_lemma_is_kinded_as_the_lexicon_says():
    from lawie.labels.lexicon import table
    from lawie.labels.values import normalize
    wrong = [(w, k, normalize("ACTION", w)["kind"]) for w, k, *_ in
             table("acts.tsv", ("lemma", "kind", "frame")) if k != "none"
             and normalize("ACTION", w)["kind"] != k]
    assert wrong == []


def test_regional_genre_writes_hong_kong_macau_and_taiwan_in_their_own_terms():
    """The regional genre (train/synth/regional.py): mostly traditional characters as written, the
    three currencies, the places' statutes, 民国 dates, and norms the normalizer reads the same way
    off the text (the generator's norms come from its parameters, never from parsing)."""
    ds = list(generate(240, seed=5, genres={"regional": 1.0}))
    assert all(validate(d) == [] for d in ds)
    trad = sum("traditional" in d["meta"]["rendering"] for d in ds) / len(ds)
    assert 0.7 <= trad <= 0.9
    ents = [(d, e) for d in ds for e in d["entities"]]
    assert {e["norm"]["currency"] for _, e in ents if e["type"] == "MONEY"} == {"HKD", "MOP", "TWD"}
    assert {e["norm"]["title"] for _, e in ents if e["type"] == "STATUTE"} == {
        "个人资料(私隐)条例", "个人资料保护法"}
    roc = [e for _, e in ents if e["type"] == "DATE" and "年" in e["text"]
           and len(e["text"].split("年")[0].lstrip("中華民國华民国")) == 3]
    assert len(roc) > 40
    for d, e in ents:
        if e["type"] in ("MONEY", "SENTENCE", "STATUTE"):
            before = re.sub(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)$", "", d["text"][:e["start"]].rstrip(" "))
            cur = next((w for w in ("港币", "港幣", "澳门币", "澳門幣", "新台币", "新台幣", "新臺幣")
                        if before.endswith(w)), "")
            got = normalize(e["type"], cur + e["text"])
            if e["type"] == "MONEY":
                got = {k: got[k] for k in e["norm"]}
            if e["type"] == "STATUTE" and got["title"] in ("私隐条例", "个资法"):
                got["title"] = {"私隐条例": "个人资料(私隐)条例"}.get(got["title"], "个人资料保护法")
            assert got == e["norm"], (e, got)    # a defined short title stands for the full one
        if e["type"] == "DATE" and e in roc:
            assert normalize("DATE", e["text"]) == e["norm"], e
        if e["type"] == "AGENCY":
            assert normalize("AGENCY", e["norm"]["name"])["kind"] == e["norm"]["kind"], e
    simplified = [e for d, e in ents if e["type"] == "ACTION" and "traditional" not in d["meta"]["rendering"]]
    assert {"发出执行通知", "罚锾", "拘捕", "提堂", "限期改正"} <= {e["text"] for e in simplified}
    assert all(normalize("ACTION", e["text"])["kind"] == e["norm"]["kind"] for e in simplified)


def test_mainland_genres_draw_no_regional_act_word():
    """A lemma noted hk / mo / tw in acts.tsv is the regional genre's; the mainland templates that
    draw from the lexicon by kind and frame never get it."""
    from lawie.labels.lexicon import table
    from lawie.train.synth import genres
    rows = table("acts.tsv", ("lemma", "kind", "frame", "note"))
    regional = {w for w, _, _, note in rows if note}
    assert {"检控", "罚锾", "发出执行通知"} <= regional
    drawn = {w for _, k, f, _ in rows for w in genres.act_words(k, f)}
    assert drawn and not drawn & regional
    mainland = {e["text"] for d in generate(300, seed=4, renderings={},
                                            genres={g: 1.0 for g in genres.GENRES if g != "regional"})
                for e in d["entities"] if e["type"] == "ACTION"}
    assert not mainland & regional


def test_court_genre_speaks_in_the_courts_voice():
    """courts.py: the court's name heads the judgment; 提起公诉 is the procuratorate's with the court
    as venue and the charge; each defendant's 判处 has the court as agent, a term and a fine; the
    case number's year in brackets and the appeal notice's 上诉 are no entity."""
    ds = list(generate(80, seed=12, renderings={}, genres={"court": 1.0}))
    assert all(validate(d) == [] for d in ds)
    for d in ds:
        ents = {e["id"]: e for e in d["entities"]}
        first = d["entities"][0]
        assert first["type"] == "AGENCY" and first["start"] == 0 and first["norm"]["kind"] == "court"
        rels = [(r["type"], ents[r["head"]], ents[r["tail"]]) for r in d["relations"]]
        for role, h, t in rels:
            if h["text"] == "判处" and role == "agent":
                assert t["norm"]["kind"] == "court"
            if h["text"] in ("提起公诉", "起诉") and role == "venue":
                assert t["norm"]["kind"] == "court"
        judged = {h["id"] for role, h, _ in rels if h["text"] == "判处" and role == "sentence"}
        assert judged == {e["id"] for e in d["entities"] if e["text"] == "判处"}
        assert not any(e["type"] == "DATE" and e["text"].startswith("（") for e in d["entities"])
        notice_at = d["text"].find("如不服本判决")
        assert notice_at > 0 and not any(notice_at <= e["start"] < d["text"].find("\n", notice_at)
                                         for e in d["entities"])
    kinds = {e["norm"]["kind"] for d in ds for e in d["entities"] if e["type"] == "ACTION"}
    assert {"penalty", "other", "lawsuit", "hearing", "judgment"} <= kinds


def test_notice_genre_self_reference_batch_and_annex_are_no_entities():
    """notices.py: 我部 / 我局 is an anaphor; the batch (2023年第3批) and the annex are no DATE or COUNT;
    通报 / 下架 / 责令整改 are the issuing organ's, with the number of apps."""
    ds = list(generate(80, seed=13, renderings={}, genres={"notice": 1.0}))
    assert all(validate(d) == [] for d in ds)
    for d in ds:
        head = d["text"].split("\n", 1)[0]
        assert "批" in head and not any(e["start"] < len(head) for e in d["entities"])
        assert not any(e["text"] in ("我部", "我局", "我办") for e in d["entities"])
        annex = d["text"].find("附件：")
        assert not any(annex <= e["start"] < d["text"].find("\n", annex) for e in d["entities"])
        ents = {e["id"]: e for e in d["entities"]}
        for r in d["relations"]:
            h, t = ents[r["head"]], ents[r["tail"]]
            if r["type"] == "count":
                assert t["norm"]["unit"] == "款"
            if r["type"] == "agent":
                assert t["type"] == "AGENCY"
    assert {"通报", "下架"} <= {e["text"] for d in ds for e in d["entities"] if e["type"] == "ACTION"}


def test_journal_headers_name_a_masthead_and_an_issue_but_no_entity():
    from lawie.train.synth.genres import mastheads
    from lawie.labels.lexicon import words
    assert all(m.endswith(words("publication_words.tsv")) for m in mastheads())
    ds = [d for d in generate(500, seed=14, renderings={}, genres={"procuratorate": 1.0})
          if "关键词" in d["text"]]
    assert len(ds) > 20
    for d in ds:
        s = d["text"].find("《", 0, d["text"].find("关键词"))
        e_ = d["text"].find("【", s) if "【摘要】" in d["text"] else d["text"].find("摘要")
        assert not any(s <= e["start"] < e_ for e in d["entities"]), d["text"][s:e_]


def test_relative_dates_read_back_as_the_normalizer_reads_them():
    """The generator writes some calendar points as relative words (今天, 昨日 from the publication
    date; 上月, 次月, 同月 from the preceding date; 今年3月份) and 月份 after a month: each reads back,
    through the normalizer's chain of dates (normalize_entities), to the value it was written for."""
    from lawie.labels.lexicon import table
    from lawie.labels.values import normalize_entities
    rel = {r[0] for r in table("relative_dates.tsv") if r[1] in ("day", "month")}
    seen = {"day": 0, "month": 0, "this_year": 0, "yuefen": 0}
    for d in generate(1500, seed=31, renderings={}):
        dates = [dict(e) for e in d["entities"] if e["type"] == "DATE"]
        normalize_entities(dates, doc_date=d["meta"]["date"])
        for e, got in zip([e for e in d["entities"] if e["type"] == "DATE"], dates):
            kind = ("day" if e["text"] in rel and e["text"].endswith(("天", "日")) else
                    "month" if e["text"] in rel else
                    "this_year" if e["text"].startswith("今年") and "月" in e["text"] else
                    "yuefen" if e["text"].endswith("月份") else None)
            if kind:
                seen[kind] += 1
                assert got["norm"] == e["norm"], (e, got["norm"], d["meta"]["date"])
    assert all(n >= 5 for n in seen.values()), seen
