"""CharVocab: one id per character, whitespace / unknown handling, persistence."""
import functools

import numpy as np
import pytest
import torch
from hypothesis import given, settings, strategies as st

from lawie.infer.encode import (SPECIAL_TOKENS, WHITESPACE_TOKEN, CharVocab, VocabError,
                                default_chars_path)


@functools.lru_cache(maxsize=1)
def _default_vocab():
    return CharVocab.from_file(default_chars_path())


@pytest.fixture(scope="module")
def vocab():
    return CharVocab.from_file(default_chars_path())


def test_default_file_is_package_data(vocab):
    p = default_chars_path()
    assert p.name == "chars.txt" and p.parent.name == "data" and p.is_file()
    assert vocab.tokens[:5] == list(SPECIAL_TOKENS)
    assert (vocab.pad_id, vocab.unk_id, vocab.cls_id, vocab.sep_id, vocab.mask_id) == (0, 1, 2, 3, 4)
    assert len(vocab) == len(vocab.tokens) > 5000
    assert CharVocab.default() == vocab


def test_known_characters_map_to_their_entry(vocab):
    text = "某区人民检察院于2023年7月立案，罚款10万元（依据《个人信息保护法》第七十条）。"
    ids = vocab.encode(text)
    assert len(ids) == len(text)
    assert [vocab.tokens[i] for i in ids] == list(text)
    assert vocab.unk_id not in ids


def test_whitespace_maps_to_one_entry(vocab):
    text = "a b\tc\nd\u3000e\xa0f\r\n"
    ids = vocab.encode(text)
    assert len(ids) == len(text)
    ws = [i for i, c in zip(ids, text) if c.isspace()]
    assert len(ws) == 7 and set(ws) == {vocab.ws_id}
    assert vocab.tokens[vocab.ws_id] == WHITESPACE_TOKEN
    assert vocab.ws_id != vocab.unk_id
    assert vocab.decode(vocab.encode("a b")) == "a b"


def test_unknown_characters_and_special_names(vocab):
    assert vocab.encode("😀") == [vocab.unk_id]
    assert vocab.encode("\U00020000") == [vocab.unk_id]      # astral CJK ext. B: one code point
    # a special token's name in text is just characters, never the special id
    ids = vocab.encode("[PAD]")
    assert len(ids) == 5 and vocab.pad_id not in ids and vocab.unk_id not in ids
    assert "😀" not in vocab and "检" in vocab and "[PAD]" not in vocab
    # the memo of unknown characters does not make them known
    vocab.encode("😀😀")
    assert "😀" not in vocab


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_one_id_per_character_any_text(text):
    v = _default_vocab()
    ids = v.encode(text)
    assert len(ids) == len(text)
    for i, c in zip(ids, text):
        if c.isspace():
            assert i == v.ws_id
        elif c in v:
            assert v.tokens[i] == c
        else:
            assert i == v.unk_id


def test_tensor_outputs(vocab):
    text = "检察 建议"
    a = vocab.encode(text, return_tensors="np")
    t = vocab.encode(text, return_tensors="pt")
    assert a.dtype == np.int64 and a.tolist() == vocab.encode(text)
    assert t.dtype == torch.long and t.tolist() == vocab.encode(text)
    with pytest.raises(ValueError):
        vocab.encode(text, return_tensors="tf")
    with pytest.raises(TypeError):
        vocab.encode(["检"])
    assert vocab.encode("") == []


def test_save_load_round_trip(vocab, tmp_path):
    p = vocab.save(tmp_path / "sub" / "chars.txt")
    again = CharVocab.from_file(p)
    assert again == vocab and again.tokens == vocab.tokens
    assert p.read_text(encoding="utf-8").split("\n")[:6] == list(SPECIAL_TOKENS) + [WHITESPACE_TOKEN]
    assert again.encode("罚款 5000万元\n") == vocab.encode("罚款 5000万元\n")

    small = CharVocab(list(SPECIAL_TOKENS) + [WHITESPACE_TOKEN, "罚", "款"])
    small.save(tmp_path / "small.txt")
    s2 = CharVocab.from_file(tmp_path / "small.txt")
    assert len(s2) == 8 and s2.encode("罚款金") == [6, 7, s2.unk_id]


def test_bad_vocabularies_give_clear_errors(tmp_path):
    with pytest.raises(VocabError, match="nope.txt: vocabulary file not found"):
        CharVocab.from_file(tmp_path / "nope.txt")
    bad = tmp_path / "bad.txt"
    bad.write_text("[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\n▁\n甲\n甲\n", encoding="utf-8")
    with pytest.raises(VocabError, match=r"bad.txt: entry 8 '甲' repeats entry 7"):
        CharVocab.from_file(bad)
    bad.write_text("[UNK]\n[PAD]\n", encoding="utf-8")
    with pytest.raises(VocabError, match="bad.txt: entry 1 must be '\\[PAD\\]'"):
        CharVocab.from_file(bad)
    bad.write_text("[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\n甲\n", encoding="utf-8")
    with pytest.raises(VocabError, match="whitespace entry"):
        CharVocab.from_file(bad)
    bad.write_text("[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\n▁\n甲乙\n", encoding="utf-8")
    with pytest.raises(VocabError, match="not one character"):
        CharVocab.from_file(bad)
