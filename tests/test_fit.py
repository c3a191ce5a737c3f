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
