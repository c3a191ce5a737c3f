"""`lawie export --format transformers`: transformers loads the directory (model and tokenizer)
and gives lawie's tags; the tokenizer gives lawie's ids; the relation head beside it is complete."""
import json
from pathlib import Path

import numpy as np
import pytest
import torch

from lawie.infer.clean import clean
from lawie.infer.encode import CharVocab
from lawie.infer.model import LawieModel, default_heads, make_config
from lawie.infer.runtime import Runtime
from lawie.labels.schema import ENTITY_TYPES, RELATION_TYPES, V1_TYPES

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "models" / "lawie-small"
DEMO = ROOT / "corpus" / "examples" / "demo.txt"

# invented text with what a tokenizer may get wrong: every kind of whitespace, a special token
# spelled out, characters outside chars.txt (an emoji, a rare hanzi), ASCII words and digits
TRICKY = ("青山县人民检察院 2024年3月5日\t对赵某\u3000立案。\n[SEP]与[UNK]某公司 ABC 123，"
          "罚款5万元😀\u2028鱻\x85末")


def tiny_model_dir(path, types=V1_TYPES, roles=RELATION_TYPES[:8], seed=0):
    """A random-weight lawie model small enough for tests (by default with version 1's types, as
    the shipped model)."""
    torch.manual_seed(seed)
    vocab = CharVocab.default()
    enc = {"vocab_size": len(vocab), "hidden_size": 32, "num_hidden_layers": 1,
           "num_attention_heads": 2, "intermediate_size": 64, "max_position_embeddings": 130,
           "type_vocab_size": 2, "hidden_act": "gelu", "layer_norm_eps": 1e-12,
           "pad_token_id": 0, "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1,
           "model_type": "bert"}
    heads = default_heads(16, 8, 8, 0.1)
    heads["entity_types"] = list(types)
    heads["ner"]["tags"] = ["O"] + [f"{p}-{t}" for t in types for p in "BI"]
    heads["relation"]["types"] = list(roles)
    cfg = make_config(enc, max_len=64, stride=32, relation_window=1, heads=heads)
    cfg["decode"] = {"method": "viterbi", "reduce": "mean"}
    LawieModel(cfg, vocab=CharVocab.default()).save(path, dtype=torch.float32)
    return Path(path)


@pytest.fixture(scope="module")
def shipped_export(tmp_path_factory):
    from lawie.train.export import export_transformers
    return export_transformers(SHIPPED, tmp_path_factory.mktemp("export") / "hf")


def _hf_tags(out, text):
    from transformers import AutoModelForTokenClassification, AutoTokenizer
    tok = AutoTokenizer.from_pretrained(out)
    model = AutoModelForTokenClassification.from_pretrained(out).eval()
    enc = tok(text, return_tensors="pt")
    with torch.no_grad():
        logits = model(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"]).logits
    return model, logits[0, 1:-1].float()


def test_shipped_model_loads_in_transformers_with_lawies_tags(shipped_export):
    from transformers import BertForTokenClassification
    rt = Runtime.load(SHIPPED)
    text = clean(DEMO.read_text(encoding="utf-8")).text[:rt.length]
    model, logits = _hf_tags(shipped_export, text)
    assert isinstance(model, BertForTokenClassification)
    assert [model.config.id2label[i] for i in range(len(rt.model.tags))] == rt.model.tags
    assert len(rt.model.tags) == 15                  # the shipped model is a version 1 model
    hf_tags = [model.config.id2label[i] for i in logits.argmax(-1).tolist()]
    probs = rt.tag_probs(text)
    lawie_tags = [rt.model.tags[i] for i in probs.argmax(-1)]
    assert hf_tags == lawie_tags
    assert sum(t != "O" for t in hf_tags) > 20       # a real text with entities in it
    soft = torch.softmax(logits / model.config.lawie_temperature, -1).numpy()
    assert np.abs(soft - probs).max() < 1e-4
    # lawie's spans are the greedy B-/I- runs of those tags wherever Viterbi agrees with them
    pred = rt.predict([text])[0]["entities"]
    starts = {e["start"] for e in pred}
    assert starts and all(hf_tags[s].startswith("B-") for s in starts)


def test_export_directory_contents(shipped_export):
    readme = (shipped_export / "README.md").read_text(encoding="utf-8")
    assert "## What transformers runs" in readme and "## What it cannot run" in readme
    assert "lawie.infer.clean" in readme
    rel = json.loads((shipped_export / "relation_head.json").read_text(encoding="utf-8"))
    assert rel["relation_types"] == ["none", *RELATION_TYPES[:8]]
    from safetensors.torch import load_file
    heads = load_file(str(shipped_export / "relation_head.safetensors"))
    assert set(heads) == {"dist_emb.weight", "type_emb.weight", "rel_mlp.1.weight",
                          "rel_mlp.1.bias", "rel_mlp.4.weight", "rel_mlp.4.bias"}
    assert heads["rel_mlp.4.weight"].shape[0] == len(rel["relation_types"])
    cfg = json.loads((shipped_export / "config.json").read_text(encoding="utf-8"))
    assert cfg["model_type"] == "bert" and cfg["architectures"] == ["BertForTokenClassification"]


@pytest.mark.parametrize("text", [TRICKY, "", " ", "\n\n", "a", "[CLS][PAD]"])
def test_tokenizer_gives_lawies_ids(shipped_export, text):
    from transformers import AutoTokenizer
    tok = AutoTokenizer.from_pretrained(shipped_export)
    vocab = CharVocab.from_file(SHIPPED / "chars.txt")
    enc = tok(text, return_offsets_mapping=True)
    assert enc["input_ids"] == [vocab.cls_id] + vocab.encode(text) + [vocab.sep_id]
    assert enc["offset_mapping"][1:-1] == [(k, k + 1) for k in range(len(text))]


def test_tiny_v2_model_round_trips_through_the_export(tmp_path):
    """A version 2 model (9 types): transformers gives its logits; the encoder, classifier and
    relation head files together hold every weight of the lawie model."""
    from safetensors.torch import load_file
    from lawie.train.export import export_transformers
    src = tiny_model_dir(tmp_path / "tiny", types=ENTITY_TYPES, roles=RELATION_TYPES, seed=3)
    out = export_transformers(src, tmp_path / "hf")
    lawie = LawieModel.from_dir(src)
    text = "白水市市场监督管理局对某公司罚款2000元，判处有期徒刑六个月。"
    model, logits = _hf_tags(out, text)
    ids = torch.tensor([[lawie.vocab.cls_id] + lawie.vocab.encode(text) + [lawie.vocab.sep_id]])
    with torch.no_grad():
        want = lawie.ner_logits(lawie.encode(ids, torch.ones_like(ids)))[0, 1:-1]
    assert torch.allclose(logits, want, atol=1e-5)
    assert model.config.id2label[len(model.config.id2label) - 1] == "I-CHARGE"
    state = {}
    for k, v in load_file(str(out / "model.safetensors")).items():
        k = k.replace("bert.embeddings.", "encoder.embeddings.").replace(
            "bert.encoder.", "encoder.encoder.").replace("classifier.", "ner_head.")
        state[k] = v
    state.update(load_file(str(out / "relation_head.safetensors")))
    back = LawieModel(json.loads((out / "lawie_config.json").read_text(encoding="utf-8")),
                      vocab=CharVocab.from_file(out / "chars.txt"))
    back.load_state_dict(state, strict=True)
    for k, v in lawie.state_dict().items():
        assert torch.equal(back.state_dict()[k], v), k


def test_export_errors_are_one_line(tmp_path, capsys):
    from lawie.infer.cli import main
    assert main(["export", str(tmp_path / "o"), "--format", "transformers", "--model",
                 str(tmp_path / "none")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "none" in err[0] and err[0].startswith("lawie: error:")
    src = tiny_model_dir(tmp_path / "tiny")
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["export", str(tmp_path / "busy"), "--format", "transformers", "--model",
                 str(src)]) == 2
    assert "other files" in capsys.readouterr().err
    assert (tmp_path / "busy" / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_readme_walkthrough_end_to_end(tmp_path, capsys):
    """README "Training on your own cases", on its example (corpus/examples/walkthrough), with a
    tiny version 1 model standing in for the shipped one: Label Studio export -> convert
    --fill-norms -> validate -> train --init-from -> predict -> eval -> export -> transformers."""
    from transformers import AutoModelForTokenClassification, AutoTokenizer
    from lawie.infer.cli import main
    ls = ROOT / "corpus" / "examples" / "walkthrough" / "label_studio_export.json"
    mine, out, hf = tmp_path / "mine.jsonl", tmp_path / "mine-model", tmp_path / "mine-hf"
    shipped = tiny_model_dir(tmp_path / "shipped")
    assert main(["convert", str(ls), str(mine), "--from", "labelstudio", "--to", "jsonl",
                 "--fill-norms"]) == 0
    assert main(["validate", str(mine)]) == 0
    assert main(["init-config", "--from", str(shipped), "-o", str(tmp_path / "ft.toml"),
                 "train.max_steps=4", "train.eval_every=2"]) == 0
    assert main(["train", "--config", str(tmp_path / "ft.toml"), "--data", str(mine),
                 "--output", str(out), "data.generated_per_gold=0.5"]) == 0
    cfg = json.loads((out / "config.json").read_text(encoding="utf-8"))
    assert cfg["init_from"]["added_entity_types"] == ["SENTENCE", "CHARGE"]  # the example has them
    assert cfg["data"]["gold_dev"] >= 1 and cfg["data"]["generated"] >= 1
    capsys.readouterr()
    assert main(["predict", str(mine), "--model", str(out), "-o", str(tmp_path / "pred.jsonl"),
                 "-q"]) == 0
    assert main(["eval", str(mine), str(tmp_path / "pred.jsonl")]) == 0
    assert "relation" in capsys.readouterr().out.lower()
    assert main(["export", str(hf), "--format", "transformers", "--model", str(out)]) == 0
    tok = AutoTokenizer.from_pretrained(hf)
    model = AutoModelForTokenClassification.from_pretrained(hf)
    assert model.config.id2label[len(cfg["heads"]["ner"]["tags"]) - 1] == "I-CHARGE"
    text = "北岭区人民法院判处赵某有期徒刑一年。"
    with torch.no_grad():
        logits = model(**tok(text, return_tensors="pt")).logits[0, 1:-1]
    rt = Runtime.load(out)
    assert (logits.argmax(-1).numpy() == rt.tag_probs(text).argmax(-1)).all()
