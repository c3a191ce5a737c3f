import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "labels" / "output.schema.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory):
    """A tiny randomly initialised lawie model (1 layer, hidden 32): exercises the whole pipeline
    (windows, decoding, relations, assembly, CLI) in milliseconds. Its predictions are arbitrary."""
    import torch
    from transformers import BertConfig

    from lawie.infer.encode import CharVocab
    from lawie.infer.model import LawieModel, default_heads, make_config

    torch.manual_seed(0)
    vocab = CharVocab.from_file()
    enc = BertConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=1,
                     num_attention_heads=2, intermediate_size=64, max_position_embeddings=72,
                     pad_token_id=vocab.pad_id)
    config = make_config(enc, max_len=64, stride=32, relation_window=1,
                         heads=default_heads(rel_hidden=16, type_dim=4, dist_dim=4))
    model = LawieModel(config, vocab=vocab)
    # bias the NER head so that the random model does emit entities of every type
    with torch.no_grad():
        model.ner_head.bias.normal_(0, 2.0)
    out = tmp_path_factory.mktemp("tiny-model")
    model.save(out, dtype=torch.float32)
    return out


def validate_output(doc):
    import jsonschema
    jsonschema.validate(doc, SCHEMA)
    for e in doc["entities"]:
        assert 0 <= e["start"] < e["end"] <= len(doc["text"])
        assert doc["text"][e["start"]:e["end"]] == e["text"]
    ids = {e["id"] for e in doc["entities"]}
    for r in doc["relations"]:
        assert r["head"] in ids and r["tail"] in ids


@pytest.fixture(scope="session")
def shipped():
    """The shipped model (models/lawie-small), loaded once for the session."""
    from lawie import Extractor
    return Extractor.load()
