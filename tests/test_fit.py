"""Training loop: config checks, training windows, and a smoke training (train/configs/smoke.toml)
on small invented documents: the loss falls, the best checkpoint is saved and loads."""
import copy
import json
import random
from pathlib import Path

import pytest

from lawie.infer.encode import SPECIAL_TOKENS, WHITESPACE_TOKEN, CharVocab
from lawie.infer.runtime import Runtime
from lawie.labels.schema import TAG2ID
from lawie.train.fit import (CleanDoc, ConfigError, case_id, check_config, cut_windows,
                             entity_ece, load_config, make_examples, score_docs,
                             train)

ROOT = Path(__file__).resolve().parents[1]
SMOKE = ROOT / "train" / "configs" / "smoke.toml"

# invented names and values (no real case)
AGENCIES = ["青山县人民检察院", "白水市市场监督管理局", "东湖区公安分局", "北岭区人民法院"]
PARTIES = ["赵某", "钱某某", "某网络科技有限公司", "孙某", "某物业服务公司"]
DATES = ["2024年3月5日", "2022年", "2023年7月", "同年9月"]
COUNTS = ["1200余条", "300份", "4万余条", "56人"]
MONEYS = ["5万元", "2000元", "12万元", "800元"]
STATUTES = ["《中华人民共和国个人信息保护法》", "《网络安全法》"]


def _sentence(rng, ents, rels):
    """Append one invented sentence; returns its pieces [(text, type or None)] and relations
    as (action piece, other piece, role) over piece indices."""
    kind = rng.randrange(3)
    if kind == 0:
        pieces = [(rng.choice(DATES), "DATE"), ("，", None), (rng.choice(AGENCIES), "AGENCY"),
                  ("对", None), (rng.choice(PARTIES), "PARTY"), ("立案", "ACTION"),
                  ("调查。", None)]
        links = [(5, 0, "date"), (5, 2, "agent"), (5, 4, "target")]
    elif kind == 1:
        pieces = [(rng.choice(PARTIES), "PARTY"), ("在", None), (rng.choice(DATES), "DATE"),
                  ("非法获取", "ACTION"), ("公民个人信息", None), (rng.choice(COUNTS), "COUNT"),
                  ("。", None)]
        links = [(3, 0, "agent"), (3, 2, "date"), (3, 5, "count")]
    else:
        pieces = [(rng.choice(AGENCIES), "AGENCY"), ("依据", None),
                  (rng.choice(STATUTES), "STATUTE"), ("对", None),
                  (rng.choice(PARTIES), "PARTY"), ("罚款", "ACTION"),
                  (rng.choice(MONEYS), "MONEY"), ("。", None)]
        links = [(5, 0, "agent"), (5, 2, "basis"), (5, 4, "target"), (5, 6, "amount")]
    return pieces, links


def invented_doc(i, rng, n_sent=4):
    text, ents, rels = "", [], []
    for _ in range(n_sent):
        pieces, links = _sentence(rng, ents, rels)
        ids = {}
        for k, (piece, typ) in enumerate(pieces):
            if typ:
                ids[k] = f"T{len(ents) + 1}"
                ents.append({"id": ids[k], "type": typ, "start": len(text),
                             "end": len(text) + len(piece), "text": piece, "norm": None})
            text += piece
        rels += [{"type": role, "head": ids[a], "tail": ids[b]} for a, b, role in links]
    return {"id": f"inv{i}-d", "text": text, "meta": {}, "entities": ents, "relations": rels}


@pytest.fixture(scope="module")
def smoke_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("fit")
    rng = random.Random(7)
    train_docs = [invented_doc(i, rng) for i in range(8)]
    dev_docs = [invented_doc(100 + i, rng) for i in range(3)]
    for name, docs in (("train.jsonl", train_docs), ("dev.jsonl", dev_docs)):
        with open(tmp / name, "w", encoding="utf-8") as fh:
            for d in docs:
                fh.write(json.dumps(d, ensure_ascii=False) + "\n")
    config = load_config(SMOKE)
    config["data"]["train"] = [str(tmp / "train.jsonl")]
    config["data"]["dev"] = [str(tmp / "dev.jsonl")]
    out = tmp / "model"
    result = train(config, out, device="cpu")
    return config, out, result, dev_docs


def test_smoke_training_learns_and_saves(smoke_run):
    config, out, result, dev_docs = smoke_run
    assert result["steps"] == config["train"]["max_steps"]
    assert result["last_loss"] < 0.5 * result["first_loss"]
    log = [json.loads(line) for line in (out / "train_log.jsonl").read_text().splitlines()]
    assert log[0]["event"] == "start" and log[-1]["event"] == "end"
    steps = [r for r in log if r["event"] == "step"]
    assert steps[-1]["loss"] < steps[0]["loss"]
    assert any(r["event"] == "eval" for r in log)
    # the invented sentences are regular: even a tiny model finds most entities
    assert result["entity_f1"] > 0.5
    for name in ("model.safetensors", "config.json", "chars.txt", "labels.json"):
        assert (out / name).is_file()
    cfg = json.loads((out / "config.json").read_text(encoding="utf-8"))
    assert cfg["train"] == config                    # the full training config travels along
    assert cfg["encoder"]["num_hidden_layers"] == 2 and cfg["max_len"] == 128
    assert 0.0 <= cfg["calibration"]["ece"] <= 1.0
    assert cfg["temperature"] == cfg["calibration"]["temperature"]


def test_saved_model_loads_and_predicts(smoke_run):
    _, out, _, dev_docs = smoke_run
    rt = Runtime.load(out, device="cpu")
    text = dev_docs[0]["text"]
    pred = rt.predict([text])[0]
    assert pred["entities"]
    for e in pred["entities"]:
        assert 0 <= e["start"] < e["end"] <= len(text) and 0.0 <= e["score"] <= 1.0
    gold = {(e["type"], e["start"], e["end"]) for e in dev_docs[0]["entities"]}
    found = {(e["type"], e["start"], e["end"]) for e in pred["entities"]}
    assert len(gold & found) >= len(gold) // 2


def test_config_checks():
    config = load_config(SMOKE)
    bad = copy.deepcopy(config)
    del bad["train"]["seed"]
    with pytest.raises(ConfigError, match="train.seed"):
        check_config(bad)
    bad = copy.deepcopy(config)
    bad["model"]["surprise"] = 1
    with pytest.raises(ConfigError, match="surprise"):
        check_config(bad)
    bad = copy.deepcopy(config)
    bad["train"]["batch_size"] = "8"
    with pytest.raises(ConfigError, match="batch_size must be int"):
        check_config(bad)
    with pytest.raises(ConfigError, match="no such config"):
        load_config(SMOKE.parent / "missing.toml")
    small = load_config(SMOKE.parent / "small.toml")
    assert small["base"]["num_layers"] == 6 and small["model"]["max_len"] == 256


def test_cut_windows_follow_sentences():
    text = "甲乙丙。丁戊己庚。" + "子" * 25 + "。辛壬。"
    wins = cut_windows(text, 10)
    assert all(0 < e - s <= 10 for s, e in wins)
    # whole sentences packed while they fit; the over-long one is cut hard
    assert wins == [(0, 9), (9, 19), (19, 29), (29, 38)]
    assert [c for s, e in wins for c in range(s, e)] == list(range(len(text)))


def test_examples_mask_entities_split_by_a_cut():
    vocab = CharVocab(list(SPECIAL_TOKENS) + [WHITESPACE_TOKEN] + list("甲乙某公司立案。"))
    text = "甲乙" * 5 + "某公司立案。"
    doc = CleanDoc("x", text, [("PARTY", 8, 13), ("ACTION", 13, 15)], {(1, 0): "agent"})
    ex = make_examples(doc, vocab, length=10, window=1)
    assert [len(x.ids) for x in ex] == [12, 8]
    assert ex[0].labels[0] == -100 and ex[0].labels[9] == -100   # PARTY cut at char 10
    assert ex[0].labels[1] == TAG2ID["O"]
    assert ex[1].ents == [("ACTION", 3, 5)] and ex[1].positives == []
    whole = make_examples(doc, vocab, length=30, window=1)[0]
    assert whole.positives == [(1, 0, 1 + ["alias_of", "agent"].index("agent"))]
    assert whole.labels[1 + 8] == TAG2ID["B-PARTY"]


def test_scores_and_calibration_error():
    gold = [CleanDoc("a", "某公司立案", [("PARTY", 0, 3), ("ACTION", 3, 5)], {(1, 0): "agent"})]
    pred = [{"entities": [{"type": "PARTY", "start": 0, "end": 3, "score": 0.9},
                          {"type": "ACTION", "start": 3, "end": 4, "score": 0.4}],
             "relations": [{"head": 1, "tail": 0, "type": "agent", "score": 0.8}]}]
    m = score_docs(gold, pred)
    assert m["entity_p"] == 0.5 and m["entity_r"] == 0.5 and m["relation_f1"] == 0.0
    assert entity_ece(gold, pred) == pytest.approx(0.5 * 0.1 + 0.5 * 0.4)
    assert case_id({"id": "case3-spun", "meta": {}}) == "case3"
    assert case_id({"id": "x", "meta": {"case": "case9"}}) == "case9"


def test_precision_setting_is_checked_and_resolved(monkeypatch):
    import torch
    from lawie.infer import runtime
    from lawie.train import fit
    bad = copy.deepcopy(load_config(SMOKE))
    bad["train"]["precision"] = "float16"
    with pytest.raises(ConfigError, match="train.precision"):
        check_config(bad)
    cpu = torch.device("cpu")
    assert fit.train_dtype("float32", cpu) == torch.float32
    assert fit.train_dtype("bfloat16", cpu) == torch.bfloat16
    monkeypatch.setattr(runtime, "cpu_has_bf16_matmul", lambda: False)
    assert fit.train_dtype("auto", cpu) == torch.float32
    monkeypatch.setattr(runtime, "cpu_has_bf16_matmul", lambda: True)
    assert fit.train_dtype("auto", cpu) == torch.bfloat16


def test_mixed_precision_training_matches_float32_closely(tmp_path):
    """The same seed and data in float32 and in bfloat16 autocast: the log names the dtype, the
    first losses are close but not identical (bfloat16 really computed them), both runs learn."""
    rng = random.Random(11)
    docs = [invented_doc(i, rng) for i in range(4)]
    with open(tmp_path / "train.jsonl", "w", encoding="utf-8") as fh:
        for d in docs:
            fh.write(json.dumps(d, ensure_ascii=False) + "\n")
    first = {}
    for precision in ("float32", "bfloat16"):
        config = load_config(SMOKE)
        config["data"]["train"] = [str(tmp_path / "train.jsonl")]
        config["data"]["dev"] = []
        config["data"]["gold"] = []
        config["data"]["gold_split"] = ""
        config["train"].update(precision=precision, max_steps=12, eval_every=12, calibrate=False)
        out = tmp_path / precision
        result = train(config, out, device="cpu")
        log = [json.loads(line) for line in (out / "train_log.jsonl").read_text().splitlines()]
        assert log[0]["precision"] == precision
        assert result["last_loss"] < result["first_loss"]
        first[precision] = next(r["loss"] for r in log if r["event"] == "step")
    assert first["float32"] != first["bfloat16"]
    assert abs(first["float32"] - first["bfloat16"]) < 0.05 * first["float32"]


# ---------------------------------------------------------------- configs, init-config, overrides

def test_every_packaged_config_is_complete_and_init_config_reads_back(tmp_path):
    from lawie.infer.runtime import RELATION_CONTEXTS
    from lawie.train import config as C
    assert C.RELATION_CONTEXTS == RELATION_CONTEXTS
    assert set(C.DOCS) == {f"{s}.{k}" for s, keys in C.SCHEMA.items() for k in keys}
    from lawie.train.synth import generate
    generator_configs = 0
    for path in sorted((ROOT / "train" / "configs").rglob("*.toml")):
        raw = __import__("tomllib").loads(path.read_text(encoding="utf-8"))
        if path.name.startswith("corpus"):     # a generator config (lawie synth): its genres,
            generator_configs += 1             # renderings and options must be known to the generator
            docs = list(generate(2, seed=1, renderings=raw["renderings"], genres=raw["genres"],
                                 options=raw["rendering_options"]))
            assert len(docs) == 2 and set(raw["sizes"]) == {"train", "dev"}, path
        else:
            check_config({k: v for k, v in raw.items() if k != "ablation"}, str(path))
    assert generator_configs >= 2
    for model_dir in (None, ROOT / "models" / "lawie-small"):
        cfg = C.init_config(model_dir)
        text = C.render_config(cfg, "header")
        (tmp_path / "c.toml").write_text(text, encoding="utf-8")
        assert load_config(tmp_path / "c.toml") == cfg
        for sec, keys in C.SCHEMA.items():            # every key explicit, each with its comment
            for key in keys:
                assert f"\n{key} = " in text
    assert C.init_config(None) == load_config(SMOKE.parent / "small.toml")
    ft = C.init_config(ROOT / "models" / "lawie-small")
    assert ft["base"]["init_from"].endswith("lawie-small") and ft["base"]["num_layers"] == 6
    assert ft["model"]["rel_hidden"] == 256 and ft["data"]["generated_per_gold"] > 0


def test_overrides_are_typed_and_unknown_keys_named(capsys):
    from lawie.infer.cli import main
    from lawie.train.config import apply_overrides
    cfg = load_config(SMOKE)
    new = apply_overrides(cfg, ["train.max_steps=7", "train.lr_heads=1", "train.calibrate=false",
                                "data.gold=my.jsonl", 'data.dev=["a.jsonl", "b.jsonl"]',
                                "base.init_from=models/x", "data.gold_split="])
    assert new["train"]["max_steps"] == 7 and new["train"]["lr_heads"] == 1.0
    assert isinstance(new["train"]["lr_heads"], float) and new["train"]["calibrate"] is False
    assert new["data"]["gold"] == ["my.jsonl"] and new["data"]["dev"] == ["a.jsonl", "b.jsonl"]
    assert new["base"]["init_from"] == "models/x" and new["data"]["gold_split"] == ""
    assert cfg["train"]["max_steps"] == 60                   # the original is not changed
    for item, needle in [("train.max_step=3", "unknown setting 'train.max_step'; did you mean "
                          "train.max_steps?"), ("train.max_steps=3.5", "must be an integer"),
                         ("train.calibrate=1", "must be true or false"),
                         ("max_steps", "expected section.key=value")]:
        with pytest.raises(ConfigError, match=needle.replace("?", r"\?").replace(".", r"\.")):
            apply_overrides(cfg, [item])
    # on the command line: one line naming the key, no traceback
    assert main(["train", "--config", str(SMOKE), "train.nosuch=1", "--output", "/nonexistent/x"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["lawie: error: command line: unknown setting 'train.nosuch' (`lawie "
                   "init-config` lists them all)"]
    assert main(["train", "--output", "/nonexistent/x"]) == 2
    assert "--init-from" in capsys.readouterr().err
    assert main(["init-config", "train.max_steps=9"]) == 0
    assert "\nmax_steps = 9\n" in capsys.readouterr().out


def test_gold_split_by_share_is_by_case():
    from lawie.train.fit import split_by_share
    docs = [{"id": f"c{i}-{r}", "meta": {}} for i in range(10) for r in ("clean", "spun")]
    tr, dv = split_by_share(docs, 0.2, seed=1)
    assert len(dv) == 4 and len(tr) == 16
    assert {case_id(d) for d in tr}.isdisjoint({case_id(d) for d in dv})
    assert split_by_share(docs, 0.2, seed=1) == (tr, dv)
    assert len(split_by_share(docs[:2], 0.2, 1)[1]) == 0      # one case: nothing for dev
    assert len(split_by_share(docs[:4], 0.01, 1)[1]) == 2     # two cases: one for dev


# ---------------------------------------------------------------- fine-tuning a trained model

def _v2_doc(i, rng):
    """An invented document with guideline version 2's SENTENCE and CHARGE."""
    d = invented_doc(i, rng, n_sent=2)
    text = d["text"]
    who = rng.choice(PARTIES)
    add = [(who, "PARTY"), ("犯", None), ("侵犯公民个人信息罪", "CHARGE"), ("，被", None),
           ("判处", "ACTION"), ("有期徒刑一年", "SENTENCE"), ("。", None)]
    ids = {}
    for k, (piece, typ) in enumerate(add):
        if typ:
            ids[k] = f"T{len(d['entities']) + 1}"
            d["entities"].append({"id": ids[k], "type": typ, "start": len(text),
                                  "end": len(text) + len(piece), "text": piece, "norm": None})
        text += piece
    d["text"] = text
    d["relations"] += [{"type": "target", "head": ids[4], "tail": ids[0]},
                       {"type": "charge", "head": ids[4], "tail": ids[2]},
                       {"type": "sentence", "head": ids[4], "tail": ids[5]}]
    return d


def test_extend_heads_keeps_the_old_rows(tmp_path):
    import torch
    from lawie.infer.model import LawieModel
    from lawie.labels.schema import BIO_TAGS, RELATION_TYPES
    from lawie.train.fit import extend_heads
    from test_export import tiny_model_dir
    old = LawieModel.from_dir(tiny_model_dir(tmp_path / "v1"))
    assert extend_heads(old, {"PARTY", "DATE"}, {"agent"}) is old
    new = extend_heads(old, {"PARTY", "CHARGE", "SENTENCE"}, {"agent", "charge"})
    assert new.tags == list(BIO_TAGS)                        # appended: the v2 tag ids
    assert new.relation_types == list(RELATION_TYPES[:8]) + ["charge"]
    ids = torch.tensor([old.vocab.encode("某公司罚款2000元")])
    mask = torch.ones_like(ids)
    pairs = torch.tensor([[0, 1, 3, 4, 5, 6, 5]])
    with torch.no_grad():
        a, b = old(ids, mask, pairs), new(ids, mask, pairs)
    assert torch.allclose(a["ner_logits"], b["ner_logits"][..., :15], atol=1e-6)
    assert torch.allclose(a["rel_logits"], b["rel_logits"][:, :9], atol=1e-6)
    assert (b["ner_logits"][..., 15:] < a["ner_logits"].max(-1, keepdim=True).values).all()


def test_restrict_doc_keeps_the_models_types_and_their_relations():
    from lawie.train.fit import restrict_doc
    rng = random.Random(3)
    d = _v2_doc(0, rng)
    types = {e["type"] for e in d["entities"]}
    assert {"SENTENCE", "CHARGE"} <= types
    r = restrict_doc(d, {"ACTION", "PARTY", "COUNT", "DATE", "MONEY", "AGENCY", "STATUTE"},
                     {"agent", "target", "amount"})
    assert {e["type"] for e in r["entities"]} == types - {"SENTENCE", "CHARGE"}
    ids = {e["id"] for e in r["entities"]}
    assert r["relations"] and all(x["head"] in ids and x["tail"] in ids for x in r["relations"])
    assert {x["type"] for x in r["relations"]} <= {"agent", "target", "amount"}
    assert len(r["relations"]) < len(d["relations"]) and r["text"] == d["text"]
    assert {e["type"] for e in d["entities"]} == types          # the input is left as it was


def test_fine_tune_without_extending_the_heads(smoke_run, tmp_path):
    """base.extend_heads = false: a version 1 model trained on version 2 documents keeps its 7
    types and 8 roles, and the config records what the data held that it left out."""
    from lawie.infer.cli import main
    init = _as_v1(smoke_run[1], tmp_path / "v1")
    rng = random.Random(6)
    with open(tmp_path / "mine.jsonl", "w", encoding="utf-8") as fh:
        for i in range(6):
            fh.write(json.dumps(dict(_v2_doc(i, rng), id=f"case{i}-a"), ensure_ascii=False) + "\n")
    out = tmp_path / "ft"
    assert main(["train", "--init-from", str(init), "--data", str(tmp_path / "mine.jsonl"),
                 "--output", str(out), "train.max_steps=4", "train.eval_every=4",
                 "base.extend_heads=false"]) == 0
    cfg = json.loads((out / "config.json").read_text(encoding="utf-8"))
    assert cfg["heads"]["entity_types"] == json.loads(
        (init / "config.json").read_text(encoding="utf-8"))["heads"]["entity_types"]
    assert len(cfg["heads"]["ner"]["tags"]) == 15 and len(cfg["heads"]["relation"]["types"]) == 8
    assert cfg["data"]["left_out"] == {"entity_types": ["CHARGE", "SENTENCE"],
                                       "relation_types": ["charge", "sentence"]}
    assert cfg["init_from"]["added_entity_types"] == []


def _as_v1(model_dir, out):
    """A trained model cut back to guideline version 1's heads (7 types, 8 roles), as the
    shipped model is."""
    import torch
    from lawie.infer.model import LawieModel
    from lawie.labels.schema import V1_TYPES
    m = LawieModel.from_dir(model_dir)
    cfg = copy.deepcopy(m.config)
    cfg["heads"]["entity_types"] = list(V1_TYPES)
    cfg["heads"]["ner"]["tags"] = m.tags[:15]
    cfg["heads"]["relation"]["types"] = m.relation_types[:8]
    v1 = LawieModel(cfg, vocab=m.vocab)
    want = v1.state_dict()
    v1.load_state_dict({k: v[:want[k].shape[0]] if v.shape != want[k].shape else v
                        for k, v in m.state_dict().items()})
    v1.save(out, dtype=torch.float32)
    return out


def test_fine_tune_from_a_v1_model_on_v2_documents(smoke_run, tmp_path, capsys):
    """`lawie train --init-from MODEL --data my.jsonl`: the model's heads grow SENTENCE and
    CHARGE, generated documents are mixed in 1:1 (made on the fly), the user's cases are split
    for dev, the result loads and tags the new types."""
    from lawie.infer.cli import main
    from lawie.labels.schema import BIO_TAGS
    init = _as_v1(smoke_run[1], tmp_path / "v1")
    rng = random.Random(5)
    docs = [dict(_v2_doc(i, rng), id=f"case{i}-a") for i in range(10)]
    with open(tmp_path / "mine.jsonl", "w", encoding="utf-8") as fh:
        for d in docs:
            fh.write(json.dumps(d, ensure_ascii=False) + "\n")
    out = tmp_path / "ft"
    assert main(["train", "--init-from", str(init), "--data", str(tmp_path / "mine.jsonl"),
                 "--output", str(out), "train.max_steps=60", "train.eval_every=60",
                 "train.lr_encoder=1e-4", "train.lr_heads=5e-3", "base.freeze_layers=0"]) == 0
    cfg = json.loads((out / "config.json").read_text(encoding="utf-8"))
    assert cfg["heads"]["ner"]["tags"] == list(BIO_TAGS)
    assert cfg["init_from"]["added_entity_types"] == ["SENTENCE", "CHARGE"]
    assert cfg["init_from"]["added_relation_types"] == ["sentence", "charge"]
    assert cfg["data"]["gold_train"] == 8 and cfg["data"]["gold_dev"] == 2
    assert cfg["data"]["generated"] == 8 and cfg["data"]["generated_from"] == "lawie.train.synth"
    assert cfg["train"]["base"]["init_from"] == str(init)
    log = [json.loads(x) for x in (out / "train_log.jsonl").read_text().splitlines()]
    assert log[-1]["event"] == "end" and log[-1]["last_loss"] < log[-1]["first_loss"]
    assert [r["step"] for r in log if r["event"] == "eval"] == [0, 60]   # the start competes
    rt = Runtime.load(out)
    pred = rt.predict([docs[0]["text"]])[0]
    assert {"SENTENCE", "CHARGE"} & {e["type"] for e in pred["entities"]}
    # the settings the model fixes are checked, with the key named
    assert main(["train", "--init-from", str(init), "--data", str(tmp_path / "mine.jsonl"),
                 "--output", str(tmp_path / "x"), "model.rel_hidden=64"]) == 2
    assert "model.rel_hidden = 64 but" in capsys.readouterr().err


def test_restrict_leaves_types_and_their_relations_out(tmp_path, capsys):
    from lawie.train.restrict import main as restrict
    doc = {"id": "d", "text": "某院以侵犯公民个人信息罪判处张某有期徒刑一年。", "meta": {},
           "entities": [{"id": "T1", "type": "ACTION", "start": 13, "end": 15, "text": "判处"},
                        {"id": "T2", "type": "CHARGE", "start": 3, "end": 12, "text": "侵犯公民个人信息罪"},
                        {"id": "T3", "type": "PARTY", "start": 15, "end": 17, "text": "张某"},
                        {"id": "T4", "type": "SENTENCE", "start": 17, "end": 23, "text": "有期徒刑一年"}],
           "relations": [{"type": "charge", "head": "T1", "tail": "T2"},
                         {"type": "target", "head": "T1", "tail": "T3"},
                         {"type": "sentence", "head": "T1", "tail": "T4"}]}
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text(json.dumps(doc, ensure_ascii=False) + "\n", encoding="utf-8")
    assert restrict([str(src), str(out), "--leave-out", "SENTENCE,CHARGE"]) == 0
    got = json.loads(out.read_text(encoding="utf-8"))
    assert [e["id"] for e in got["entities"]] == ["T1", "T3"]
    assert got["relations"] == [{"type": "target", "head": "T1", "tail": "T3"}]
    assert got["text"] == doc["text"]
    assert restrict([str(src), str(out), "--leave-out", "VERDICT"]) == 2
    assert "unknown entity type(s) VERDICT" in capsys.readouterr().err


def test_distillation_losses_vanish_only_where_the_student_agrees():
    """The KL terms are 0 for a student equal to its teacher, positive otherwise, computed only
    over the characters in the gold loss (labels != -100), and scaled by T^2."""
    import torch
    from lawie.train.distill import distill_losses
    torch.manual_seed(0)
    t_out = {"ner_logits": torch.randn(2, 5, 15), "rel_logits": torch.randn(4, 9)}
    labels = torch.zeros(2, 5, dtype=torch.long)
    labels[:, 0] = -100
    same = distill_losses(t_out, t_out, labels, 2.0)
    assert all(float(x) == pytest.approx(0.0, abs=1e-6) for x in same)
    s_out = {"ner_logits": t_out["ner_logits"].clone(), "rel_logits": torch.randn(4, 9)}
    s_out["ner_logits"][:, 0] += 5.0            # differs only where labels are -100
    ner, rel = distill_losses(s_out, t_out, labels, 2.0)
    assert float(ner) == pytest.approx(0.0, abs=1e-6) and float(rel) > 0.01
    s_out["ner_logits"][:, 1] += torch.randn(2, 15) * 3
    ner1, _ = distill_losses(s_out, t_out, labels, 1.0)
    ner2, _ = distill_losses(s_out, t_out, labels, 2.0)
    assert float(ner1) > 0.01 and float(ner2) > 0.0 and float(ner1) != float(ner2)


def test_distillation_from_a_teacher(smoke_run, tmp_path, capsys):
    """train.distill_from: a student trained from the base learns from a trained teacher too (its
    losses logged, the teacher recorded in config.json and not saved in the student) and speaks
    the teacher's labels; a teacher with other labels than a continued model, or no model at
    all, is a one-line error naming it; a teacher without a weight is refused."""
    from lawie.infer.cli import main
    config, smoke_model, _, _ = smoke_run
    teacher = _as_v1(smoke_model, tmp_path / "v1")       # 7 types, 15 BIO tags, 8 roles
    train_file = config["data"]["train"][0]
    out = tmp_path / "student"
    args = ["train", "--config", str(SMOKE), "--output", str(out),
            f'data.train=["{train_file}"]', f'data.dev=["{train_file}"]',
            "train.max_steps=6", "train.eval_every=6"]
    assert main(args + ["base.num_layers=1", f"train.distill_from={teacher}",
                        "train.distill_weight=1.0"]) == 0
    log = [json.loads(x) for x in (out / "train_log.jsonl").read_text().splitlines()]
    steps = [r for r in log if r["event"] == "step"]
    assert steps and all(r["kd_ner"] >= 0 and r["kd_rel"] >= 0 for r in steps)
    assert any(r["kd_ner"] > 0 for r in steps)
    cfg = json.loads((out / "config.json").read_text(encoding="utf-8"))
    tcfg = json.loads((teacher / "config.json").read_text(encoding="utf-8"))
    assert cfg["encoder"]["num_hidden_layers"] == 1
    assert cfg["data"]["distill_from"]["num_layers"] == 2
    assert cfg["heads"]["ner"]["tags"] == tcfg["heads"]["ner"]["tags"]
    assert cfg["heads"]["relation"]["types"] == tcfg["heads"]["relation"]["types"]
    assert len(cfg["heads"]["ner"]["tags"]) == 15
    from safetensors import safe_open
    with safe_open(str(out / "model.safetensors"), "pt") as fh:
        keys = list(fh.keys())
    assert not any("teacher" in k for k in keys)
    assert any(k.startswith("encoder.encoder.layer.0.") for k in keys)
    assert not any(k.startswith("encoder.encoder.layer.1.") for k in keys)
    capsys.readouterr()
    # a model continued from (9 types) cannot learn from a teacher of 7
    assert main(args[:1] + ["--init-from", str(smoke_model)] + args[1:]
                + [f"train.distill_from={teacher}", "train.distill_weight=1.0"]) == 2
    err = capsys.readouterr().err.strip()
    assert "distill_from" in err and str(teacher) in err and "BIO tags" in err
    assert len(err.splitlines()) == 1
    assert main(args + [f"train.distill_from={tmp_path / 'nowhere'}",
                        "train.distill_weight=1.0"]) == 2
    err = capsys.readouterr().err.strip()
    assert "nowhere" in err and "not a lawie model directory" in err
    assert main(args + [f"train.distill_from={teacher}"]) == 2
    assert "distill_weight" in capsys.readouterr().err


def test_moving_average_warms_up_then_keeps_its_decay():
    """ema_avg_fn in torch's AveragedModel: the first update copies the weights, the next ones
    mix in (1 - d) of the current weights with d = min(decay, (1 + n) / (10 + n))."""
    import torch
    from torch.optim.swa_utils import AveragedModel
    from lawie.train.fit import ema_avg_fn
    net = torch.nn.Linear(1, 1, bias=False)
    ema = AveragedModel(net, avg_fn=ema_avg_fn(0.5))
    expect = None
    for n, value in enumerate([4.0, 0.0, 2.0, 1.0, 1.0]):
        with torch.no_grad():
            net.weight.fill_(value)
        ema.update_parameters(net)
        d = min(0.5, (1 + n) / (10 + n))
        expect = value if expect is None else d * expect + (1 - d) * value
        assert ema.module.weight.item() == pytest.approx(expect)
    assert abs(ema.module.weight.item() - 1.0) > 0.05           # it lags the last weights


def test_training_keeps_the_moving_average_of_its_weights(smoke_run, tmp_path, capsys):
    """train.ema_decay: the scored and saved weights are the average, not the last step's; the
    frozen layers stay the base's; the model loads and predicts; with ema_also_raw the run keeps
    its trained weights apart too, and they are those of the same run without the average; a
    decay outside [0, 1), or ema_also_raw without a decay, is a one-line error."""
    import torch
    from safetensors.torch import load_file
    from lawie.infer.cli import main
    config, _, _, dev_docs = smoke_run
    train_file = config["data"]["train"][0]
    args = [f'data.train=["{train_file}"]', f'data.dev=["{train_file}"]', "train.max_steps=8",
            "train.eval_every=8", "train.save_dtype=float32", "train.calibrate=false"]

    def run(name, *extra):
        return main(["train", "--config", str(SMOKE), "--output", str(tmp_path / name),
                     *args, *extra])
    assert run("plain") == 0
    assert run("ema", "train.ema_decay=0.9", "train.ema_also_raw=true") == 0
    plain = load_file(str(tmp_path / "plain" / "model.safetensors"))
    ema = load_file(str(tmp_path / "ema" / "model.safetensors"))
    assert plain.keys() == ema.keys()
    frozen = [k for k in plain if k.startswith("encoder.embeddings.word_embeddings")]
    heads = [k for k in plain if k.startswith(("ner_head.", "rel_mlp."))]
    assert frozen and heads
    # the average of a constant is that constant, up to float rounding
    assert all(torch.allclose(plain[k], ema[k], rtol=0, atol=1e-6) for k in frozen)
    assert all((plain[k] - ema[k]).abs().max() > 1e-4 for k in heads)
    # ema_also_raw: the same run's trained weights, kept apart, are the plain run's
    raw = load_file(str(tmp_path / "ema" / "without_ema" / "model.safetensors"))
    assert all(torch.allclose(plain[k], raw[k], rtol=0, atol=1e-6) for k in plain)
    log = [json.loads(x) for x in (tmp_path / "ema" / "train_log.jsonl").read_text().splitlines()]
    evals = [r for r in log if r["event"] == "eval"]
    assert evals and all("entity_f1" in r["without_ema"] for r in evals)
    assert "without_ema" in log[-1] and log[-1]["without_ema"]["best_step"] == 8
    cfg = json.loads((tmp_path / "ema" / "config.json").read_text(encoding="utf-8"))
    assert cfg["train"]["train"]["ema_decay"] == 0.9 and cfg["best_step"] == 8
    pred = Runtime.load(tmp_path / "ema", device="cpu").predict([dev_docs[0]["text"]])[0]
    assert all(0 <= e["start"] < e["end"] <= len(dev_docs[0]["text"]) for e in pred["entities"])
    capsys.readouterr()
    assert run("bad", "train.ema_decay=1.0") == 2
    err = capsys.readouterr().err.strip()
    assert "ema_decay" in err and len(err.splitlines()) == 1
    assert run("bad", "train.ema_also_raw=true") == 2
    assert "needs train.ema_decay" in capsys.readouterr().err


def test_moving_average_comparison_without_dev_documents(smoke_run, tmp_path):
    """Without dev documents both kept checkpoints are chosen by the training loss and saved."""
    from lawie.infer.cli import main
    config, _, _, dev_docs = smoke_run
    out = tmp_path / "nodev"
    assert main(["train", "--config", str(SMOKE), "--output", str(out),
                 f'data.train=["{config["data"]["train"][0]}"]', "data.dev=[]",
                 "train.max_steps=4", "train.eval_every=4", "train.ema_decay=0.9",
                 "train.ema_also_raw=true"]) == 0
    log = [json.loads(x) for x in (out / "train_log.jsonl").read_text().splitlines()]
    assert all("score" in r["without_ema"] for r in log if r["event"] == "eval")
    for d in (out, out / "without_ema"):
        pred = Runtime.load(d, device="cpu").predict([dev_docs[0]["text"]])[0]
        assert isinstance(pred["entities"], list)


def test_linear_schedule_by_steps_and_by_the_time_budget():
    """LinearSchedule: warm-up, then a linear decay to 0 at the last step; with a time budget the
    decay also follows the share of the post-warm-up time left, the smaller of the two."""
    from lawie.train.fit import LinearSchedule
    steps = LinearSchedule(total=100, warmup=10)
    assert [steps(s) for s in (0, 4, 9)] == pytest.approx([0.1, 0.5, 1.0])
    assert [steps(s) for s in (10, 55, 100, 120)] == pytest.approx([1.0, 0.5, 0.0, 0.0])

    now = [0.0]
    budget = LinearSchedule(total=100, warmup=10, budget_s=110.0, clock=lambda: now[0])
    assert budget(0) == pytest.approx(0.1)              # the clock starts here
    now[0] = 10.0
    assert budget(10) == pytest.approx(1.0)             # warm-up ends at 10 s: 100 s are left
    now[0] = 35.0                                       # a slow machine: 25% of the time, 5 steps
    assert budget(15) == pytest.approx(0.75)
    assert budget(15) < steps(15)
    now[0] = 60.0                                       # time and steps left agree: 0.5
    assert budget(55) == pytest.approx(0.5)
    now[0] = 61.0                                       # a fast machine: the steps decide
    assert budget(90) == pytest.approx(steps(90))
    now[0] = 109.0
    assert budget(20) == pytest.approx(0.01)
    now[0] = 200.0                                      # past the budget
    assert budget(20) == 0.0


def test_budget_schedule_anneals_before_the_time_budget_stops(smoke_run, tmp_path):
    """train.lr_schedule = "budget": a run that the time budget stops long before max_steps has
    its learning rate falling with the time spent, below the step schedule's at every logged
    step, and the setting travels in config.json."""
    config, _, _, _ = smoke_run
    config = copy.deepcopy(config)
    config["train"].update(lr_schedule="budget", time_budget_min=0.05, max_steps=100000,
                           warmup_ratio=0.0, eval_every=100000, calibrate=False)
    out = tmp_path / "model"
    result = train(config, out, device="cpu")
    assert result["stopped"] == "time_budget" and result["steps"] < 100000
    log = [json.loads(line) for line in (out / "train_log.jsonl").read_text().splitlines()]
    steps = [r for r in log if r["event"] == "step"]
    peak = config["train"]["lr_encoder"]
    budget_s = 0.05 * 60
    for r in steps:
        assert r["lr"] < peak * (100000 - r["step"]) / 100000          # below the steps schedule
        assert r["lr"] == pytest.approx(peak * max(0.0, 1 - r["elapsed_s"] / budget_s), abs=0.1 * peak)
    assert json.loads((out / "config.json").read_text())["train"]["train"]["lr_schedule"] == "budget"
    bad = copy.deepcopy(config)
    bad["train"]["lr_schedule"] = "cosine"
    with pytest.raises(ConfigError, match="lr_schedule 'cosine'"):
        check_config(bad)
    bad["train"].update(lr_schedule="budget", time_budget_min=0.0)
    with pytest.raises(ConfigError, match="needs train.time_budget_min"):
        check_config(bad)
