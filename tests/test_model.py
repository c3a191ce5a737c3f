"""LawieModel (shapes, save/load), decode (BIO -> spans), relations (candidates, decoding) and
the runtime (windows merge, relations, int8). Tiny randomly initialised encoders keep this fast;
no base model is needed."""
import json

import numpy as np
import pytest
import torch
from transformers import BertConfig

from lawie.infer.decode import decode_spans, path_to_spans, spans_to_tags, trim_span, viterbi_path
from lawie.infer.encode import SPECIAL_TOKENS, WHITESPACE_TOKEN, CharVocab
from lawie.infer.model import LawieModel, ModelDirError, distance_buckets, make_config
from lawie.infer.relations import (candidate_pairs, decode_relations, is_alias_candidate,
                                   sentence_spans)
from lawie.infer.runtime import Runtime, pair_window, plan_windows
from lawie.labels.schema import BIO_TAGS, RELATION_TYPES, TAG2ID

CHARS = "甲乙丙丁某区人民检察院公司科技有限对于年月日元条立案罚款判决起诉法条例号向了和在将其中一二三四五六七八九十0123456789。，；：《》（）"


@pytest.fixture(scope="module")
def vocab():
    return CharVocab(list(SPECIAL_TOKENS) + [WHITESPACE_TOKEN] + list(dict.fromkeys(CHARS)))


def tiny_model(vocab, layers=1, max_len=64, stride=32, window=1, seed=0):
    torch.manual_seed(seed)
    enc = BertConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=layers,
                     num_attention_heads=2, intermediate_size=64, max_position_embeddings=512)
    cfg = make_config(enc, max_len=max_len, stride=stride, relation_window=window)
    return LawieModel(cfg, vocab).eval()


def local_model(vocab, max_len, stride=None, seed=1):
    """An encoder without layers and without position embeddings: every output depends on its
    own character only, so windowed and one-piece reading must agree exactly."""
    m = tiny_model(vocab, layers=0, max_len=max_len, stride=stride or max_len // 2, seed=seed)
    with torch.no_grad():
        m.encoder.embeddings.position_embeddings.weight.zero_()
        m.encoder.embeddings.token_type_embeddings.weight.zero_()
        # make the tagger produce entities: 某 -> B-PARTY, 司 -> I-PARTY, 案 -> B-ACTION
        w = m.ner_head.weight
        w.mul_(0.1)
        emb = m.encoder.embeddings.word_embeddings.weight
        ln = m.encoder.embeddings.LayerNorm
        for ch, tag in (("某", "B-PARTY"), ("司", "I-PARTY"), ("公", "I-PARTY"),
                        ("案", "B-ACTION"), ("立", "B-ACTION"), ("院", "B-AGENCY")):
            h = ln(emb[vocab.token_to_id(ch)].unsqueeze(0))[0]
            w[TAG2ID[tag]] += 5 * h / h.norm()
    return m


# ---------------------------------------------------------------------------- model

def test_forward_shapes(vocab):
    m = tiny_model(vocab, layers=2)
    ids = torch.randint(5, len(vocab), (3, 11))
    mask = torch.ones_like(ids)
    pairs = torch.tensor([[0, 1, 2, 4, 6, 6, 3], [2, 5, 5, 1, 3, 0, 4]])
    out = m(ids, mask, pairs)
    assert out["hidden"].shape == (3, 11, 32)
    assert out["ner_logits"].shape == (3, 11, len(BIO_TAGS))
    assert out["rel_logits"].shape == (2, len(RELATION_TYPES) + 1)
    assert m.relation_logits(out["hidden"], torch.zeros((0, 7), dtype=torch.long)).shape == \
        (0, len(RELATION_TYPES) + 1)


def test_distance_buckets_signed_and_monotone():
    edges = torch.tensor([1, 2, 4, 8])
    d = torch.tensor([0, 1, 3, 7, 100, -1, -3, -100])
    b = distance_buckets(d, edges).tolist()
    assert b[:5] == [0, 1, 2, 3, 4]
    assert b[5:] == [1 + 5, 2 + 5, 4 + 5]
    assert len(set(b)) == len(b)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float16])
def test_save_load_round_trip(tmp_path, vocab, dtype):
    m = tiny_model(vocab, layers=2)
    m.save(tmp_path, dtype=dtype)
    for name in ("model.safetensors", "config.json", "chars.txt", "labels.json"):
        assert (tmp_path / name).is_file()
    cfg = json.loads((tmp_path / "config.json").read_text(encoding="utf-8"))
    assert cfg["encoder"]["num_hidden_layers"] == 2
    assert cfg["heads"]["ner"]["tags"] == list(BIO_TAGS)
    assert cfg["max_len"] == 64 and cfg["stride"] == 32 and cfg["relation_window"] == 1
    m2 = LawieModel.from_dir(tmp_path)
    assert m2.ner_head.weight.dtype == torch.float32
    assert m2.vocab == vocab
    ids = torch.randint(5, len(vocab), (2, 9))
    mask = torch.ones_like(ids)
    pairs = torch.tensor([[0, 1, 2, 4, 6, 6, 3]])
    if dtype == torch.float16:           # the reference: the same weights rounded to fp16
        with torch.no_grad():
            for p in m.parameters():
                p.copy_(p.half().float())
    a, b = m(ids, mask, pairs), m2(ids, mask, pairs)
    assert torch.equal(a["ner_logits"], b["ner_logits"])
    assert torch.equal(a["rel_logits"], b["rel_logits"])


def test_from_dir_errors(tmp_path, vocab):
    with pytest.raises(ModelDirError, match="missing config.json"):
        LawieModel.from_dir(tmp_path)
    m = tiny_model(vocab)
    m.save(tmp_path)
    cfg = json.loads((tmp_path / "config.json").read_text(encoding="utf-8"))
    cfg["encoder"]["hidden_size"] = 64
    cfg["encoder"]["intermediate_size"] = 128
    (tmp_path / "config.json").write_text(json.dumps(cfg), encoding="utf-8")
    with pytest.raises(Exception) as err:
        LawieModel.from_dir(tmp_path)
    assert str(tmp_path) in str(err.value) or "size mismatch" in str(err.value)


# ---------------------------------------------------------------------------- decode

def one_hot(tags, p=0.9):
    probs = np.full((len(tags), len(BIO_TAGS)), (1 - p) / (len(BIO_TAGS) - 1))
    for i, t in enumerate(tags):
        probs[i, TAG2ID[t]] = p
    return probs


def test_decode_plain_spans_and_scores():
    text = "某公司在某区立案"
    tags = ["B-PARTY", "I-PARTY", "I-PARTY", "O", "B-AGENCY", "I-AGENCY", "B-ACTION", "I-ACTION"]
    probs = one_hot(tags)
    probs[1, TAG2ID["I-PARTY"]] = 0.6
    got = decode_spans(probs, text)
    assert [(t, s, e) for t, s, e, _ in got] == [("PARTY", 0, 3), ("AGENCY", 4, 6),
                                                  ("ACTION", 6, 8)]
    assert got[0][3] == pytest.approx((0.9 + 0.6 + 0.9) / 3)
    assert decode_spans(probs, text, reduce="min")[0][3] == pytest.approx(0.6)


def test_decode_repairs_dangling_inside_tags():
    tags = ["O", "I-DATE", "I-DATE", "B-MONEY", "I-COUNT", "I-COUNT"]
    assert path_to_spans([TAG2ID[t] for t in tags]) == [("DATE", 1, 3), ("MONEY", 3, 4),
                                                        ("COUNT", 4, 6)]
    got = decode_spans(one_hot(tags), "年二三元十条", method="greedy")
    assert [(t, s, e) for t, s, e, _ in got] == [("DATE", 1, 3), ("MONEY", 3, 4),
                                                  ("COUNT", 4, 6)]


def test_viterbi_never_starts_with_inside_tag():
    tags = ["O", "I-DATE", "I-DATE", "O"]
    probs = one_hot(tags, p=0.5)
    probs[1, TAG2ID["B-DATE"]] = 0.4          # second best: the legal start
    path = [BIO_TAGS[i] for i in viterbi_path(probs)]
    assert path == ["O", "B-DATE", "I-DATE", "O"]
    for i, t in enumerate(path):
        if t.startswith("I-"):
            assert path[i - 1][2:] == t[2:]


def test_decode_trims_punctuation_but_keeps_statute_brackets():
    text = "（某区人民检察院），《某法》第三条。"
    tags = (["B-AGENCY"] + ["I-AGENCY"] * 8 + ["O"] + ["B-STATUTE"] + ["I-STATUTE"] * 6
            + ["O"])
    assert len(tags) == len(text)
    got = [(t, s, e) for t, s, e, _ in decode_spans(one_hot(tags), text)]
    assert got == [("AGENCY", 1, 8), ("STATUTE", 10, 17)]
    assert text[1:8] == "某区人民检察院" and text[10:17] == "《某法》第三条"
    assert trim_span("，。", "DATE", 0, 2) == (2, 2)
    assert decode_spans(one_hot(["B-DATE", "I-DATE"]), "，。") == []


def test_decode_rejects_wrong_length():
    with pytest.raises(ValueError, match="2 rows"):
        decode_spans(one_hot(["O", "O"]), "abc")


def test_spans_to_tags_round_trip():
    spans = [("PARTY", 0, 3), ("ACTION", 4, 6)]
    tags = spans_to_tags(7, spans + [("DATE", 1, 2)])      # the overlap is skipped
    assert tags == ["B-PARTY", "I-PARTY", "I-PARTY", "O", "B-ACTION", "I-ACTION", "O"]
    assert path_to_spans([TAG2ID[t] for t in tags]) == spans


# ---------------------------------------------------------------------------- relations

def test_sentence_spans_tile_the_text():
    text = "甲立案。乙罚款！\n\n丙起诉；丁”"
    spans = sentence_spans(text)
    assert spans[0] == (0, 4)
    assert "".join(text[s:e] for s, e in spans) == text
    assert all(s < e for s, e in spans)
    assert sentence_spans("") == [(0, 0)]


def test_candidate_pairs_window_and_alias():
    text = "某区人民检察院（以下简称区院）对某公司立案。次年区院起诉。三年后另一句。判决。"
    ents = [("AGENCY", 0, 7), ("AGENCY", 12, 14), ("PARTY", 16, 19), ("ACTION", 19, 21),
            ("AGENCY", 24, 26), ("ACTION", 26, 28), ("ACTION", 36, 38)]
    assert text[12:14] == "区院" and text[19:21] == "立案" and text[36:38] == "判决"
    same = set(candidate_pairs(text, ents, window=0))
    assert (3, 0) in same and (3, 1) in same and (3, 2) in same
    assert (1, 0) in same                       # short form after the long one
    assert (0, 1) not in same                   # never long -> short
    assert (3, 4) not in same and (5, 4) in same
    assert all(not (i == 6 or j == 6) for i, j in same)   # the last sentence is alone
    wide = set(candidate_pairs(text, ents, window=1))
    assert (3, 4) in wide and (6, 4) not in wide and (5, 6) not in wide
    assert (4, 0) in wide and (4, 1) not in wide          # same text 区院 is no alias
    assert is_alias_candidate("甲公司简称乙", ("PARTY", 5, 6), ("PARTY", 0, 3))
    with pytest.raises(ValueError):
        candidate_pairs(text, ents, window=-1)


def test_decode_relations_masks_disallowed_roles():
    ents = [{"type": "ACTION", "start": 0, "end": 2}, {"type": "DATE", "start": 3, "end": 5},
            {"type": "AGENCY", "start": 6, "end": 8}]
    pairs = [(0, 1), (0, 2), (2, 0)]
    probs = np.full((3, len(RELATION_TYPES) + 1), 0.01)
    r = {t: i + 1 for i, t in enumerate(RELATION_TYPES)}
    probs[0, r["agent"]] = 0.6                 # not allowed for ACTION->DATE
    probs[0, r["date"]] = 0.3
    probs[1, 0] = 0.7                          # none wins
    probs[1, r["venue"]] = 0.2
    probs[2, r["alias_of"]] = 0.9              # alias AGENCY->ACTION not allowed
    out = decode_relations(probs, pairs, ents)
    assert out == [{"head": 0, "tail": 1, "type": "date", "score": pytest.approx(0.3)}]


# ---------------------------------------------------------------------------- runtime

def test_plan_windows_owns_each_char_once_most_centrally():
    n, length, stride = 203, 40, 17
    wins = plan_windows(n, length, stride)
    assert wins[0][0] == 0 and wins[-1][1] == n
    owner = np.zeros(n, dtype=int)
    for k, (s, e, os_, oe) in enumerate(wins):
        assert e - s == length and s <= os_ <= oe <= e
        owner[os_:oe] += 1
        for c in range(os_, oe):
            mine = min(c - s, e - 1 - c)
            assert all(mine >= min(c - s2, e2 - 1 - c) for s2, e2, _, _ in wins
                       if s2 <= c < e2)
    assert (owner == 1).all()
    assert plan_windows(10, 40, 17) == [(0, 10, 0, 10)]
    assert plan_windows(0, 40, 17) == []
    assert pair_window(5, 60, n, length, wins) is None
    s, e = pair_window(150, 180, n, length, wins)
    assert s <= 150 and 180 <= e
    rng = np.random.default_rng(0)
    for _ in range(300):                      # the most central planned window, by brute force
        lo = int(rng.integers(0, n - 1))
        hi = int(rng.integers(lo + 1, min(n, lo + length) + 1))
        holding = [(abs((lo + hi) - (s2 + e2)), (s2, e2)) for s2, e2, _, _ in wins
                   if s2 <= lo and hi <= e2]
        got = pair_window(lo, hi, n, length, wins)
        if holding:
            assert abs((lo + hi) - sum(got)) == min(holding)[0]
        else:
            assert got[0] <= lo and hi <= got[1] and got[1] - got[0] == length


def test_long_text_reads_like_short_pieces(vocab):
    """Windowed reading (max_len 34) and one-window reading (max_len 512) of a 400-char text
    agree exactly when the encoder is context-free; the middle of the long text also matches
    the same passage read alone."""
    core = "某公司立案，某区院对某公司罚款。"
    filler = "甲乙丙丁，一二三四。"
    text = filler * 12 + core + filler * 12
    small = Runtime.from_model(local_model(vocab, max_len=34, stride=13))
    big = Runtime.from_model(local_model(vocab, max_len=512))
    a = small.predict([text], batch_size=3)[0]
    b = big.predict([text], batch_size=3)[0]
    strip = lambda ents: [(e["type"], e["start"], e["end"], round(e["score"], 5)) for e in ents]
    assert strip(a["entities"]) == strip(b["entities"]) and a["entities"]
    assert [(r["head"], r["tail"], r["type"]) for r in a["relations"]] == \
        [(r["head"], r["tail"], r["type"]) for r in b["relations"]]
    off = len(filler) * 12
    alone = small.predict([core])[0]
    mid = [(t, s - off, e - off) for t, s, e, _ in strip(a["entities"])
           if off <= s and e <= off + len(core)]
    assert mid == [(e["type"], e["start"], e["end"]) for e in alone["entities"]]


def test_predict_batches_empty_texts_and_order(vocab):
    rt = Runtime.from_model(local_model(vocab, max_len=34, stride=13))
    texts = ["某公司立案。" * 9, "", "某院", "甲乙" * 40]
    out = rt.predict(texts, batch_size=2)
    assert len(out) == 4 and out[1] == {"entities": [], "relations": []}
    for t, res in zip(texts, out):
        single = rt.predict([t], batch_size=8)[0]
        assert [(e["type"], e["start"], e["end"]) for e in res["entities"]] == \
            [(e["type"], e["start"], e["end"]) for e in single["entities"]]
        for e in res["entities"]:
            assert 0 <= e["start"] < e["end"] <= len(t) and 0 <= e["score"] <= 1
        for r in res["relations"]:
            assert r["type"] in RELATION_TYPES and r["head"] != r["tail"]
    with pytest.raises(ValueError):
        rt.predict(["x"], batch_size=0)


def test_span_rules_run_before_the_relation_head(vocab):
    """predict(span_rules=) hands the decoded entities to the rules and classifies relations only
    among what they return (indices into the returned list)."""
    rt = Runtime.from_model(local_model(vocab, max_len=34, stride=13))
    text = "某公司立案，某区院对某公司罚款。"
    plain = rt.predict([text])[0]
    assert plain["entities"] and plain["relations"]
    seen = []

    def rules(t, ents):
        seen.append((t, [dict(e) for e in ents]))
        return [e for e in ents if e["type"] != "ACTION"]
    ruled = rt.predict([text], span_rules=rules)[0]
    assert seen == [(text, plain["entities"])]
    assert ruled["entities"] == [e for e in plain["entities"] if e["type"] != "ACTION"]
    n = len(ruled["entities"])
    assert all(r["type"] == "alias_of" and r["head"] < n and r["tail"] < n    # no ACTION heads left
               for r in ruled["relations"])
    assert any(r["type"] != "alias_of" for r in plain["relations"])
    assert rt.predict([text], span_rules=lambda t, ents: [])[0] == \
        {"entities": [], "relations": []}


def test_relations_use_a_window_holding_both_entities(vocab):
    """"pair" context: a pair far apart in a long text is classified on a window that holds both
    ends: the second pass gives the same relation as a one-window reading."""
    m = local_model(vocab, max_len=34, stride=13)
    m.config["relation_context"] = "pair"
    rt = Runtime.from_model(m)
    assert rt.relation_context == "pair"
    text = "甲乙" * 30 + "某公司立案。" + "甲乙" * 30
    ents = [{"type": "PARTY", "start": 60, "end": 63, "score": 1.0},
            {"type": "ACTION", "start": 63, "end": 65, "score": 1.0}]
    got = rt.classify_pairs(text, ents, pairs=[(1, 0)])
    big = Runtime.from_model(local_model(vocab, max_len=512))
    ref = big.classify_pairs(text, ents, pairs=[(1, 0)])
    assert [(r["type"], round(r["score"], 5)) for r in got] == \
        [(r["type"], round(r["score"], 5)) for r in ref]


def test_quantized_runtime_predicts(vocab, tmp_path):
    m = tiny_model(vocab, layers=1, max_len=34, stride=13)
    m.save(tmp_path, dtype=torch.float32)
    rt = Runtime.load(tmp_path, device="cpu", quantize=True)
    assert rt.quantized
    assert any("quantized" in type(mod).__module__ for mod in rt.model.modules())
    out = rt.predict(["某公司立案。" * 10])[0]
    assert set(out) == {"entities", "relations"}
    ref = Runtime.load(tmp_path).predict(["某公司立案。" * 10])[0]
    pa = Runtime.load(tmp_path).tag_probs("某公司立案。" * 10)
    pb = rt.tag_probs("某公司立案。" * 10)
    assert np.abs(pa - pb).max() < 0.1            # int8 stays close to fp32
    assert isinstance(ref["entities"], list)


def test_runtime_load_missing_dir(tmp_path):
    with pytest.raises(ModelDirError) as err:
        Runtime.load(tmp_path / "nope")
    assert "nope" in str(err.value) and "\n" not in str(err.value)


def test_owner_states_same_with_and_without_kept_states(vocab, monkeypatch):
    """"owner" context: a text too long to keep its encoder states re-encodes only the windows
    owning entity boundaries, and gets the same relation scores as one that keeps them."""
    import lawie.infer.runtime as runtime
    m = local_model(vocab, max_len=34, stride=20)
    with torch.no_grad():                        # states now depend on the window position
        m.encoder.embeddings.position_embeddings.weight.normal_(0, 0.05)
        m.rel_mlp[-1].bias[0] = -5.0             # "no relation" unlikely
    rt = Runtime.from_model(m)
    assert rt.relation_context == "owner"
    text = "某公司立案，某区人民检察院对某公司罚款一万元。" * 8
    kept = rt.predict([text])[0]
    monkeypatch.setattr(runtime, "CACHE_WINDOWS", 0)
    again = rt.predict([text])[0]
    assert kept["relations"], "the tiny model should relate some pairs"
    assert [(r["head"], r["tail"], r["type"], round(r["score"], 5)) for r in kept["relations"]] \
        == [(r["head"], r["tail"], r["type"], round(r["score"], 5)) for r in again["relations"]]
    # classify_pairs without any kept state gives the same too
    direct = rt.classify_pairs(text, kept["entities"])
    assert [(r["head"], r["tail"], r["type"]) for r in direct] == \
        [(r["head"], r["tail"], r["type"]) for r in kept["relations"]]


def test_relation_context_must_be_known(vocab):
    m = tiny_model(vocab)
    m.config["relation_context"] = "nearest"
    with pytest.raises(ValueError, match="relation_context"):
        Runtime.from_model(m)


def test_candidate_pairs_by_sentence_equal_the_scan_over_all_entities():
    """candidate_pairs looks only at the entities of the sentences in its window (linear on long
    documents); it gives exactly the pairs, in the order, of a scan over every entity."""
    import random
    from lawie.infer.relations import SentenceIndex, _action_tail_ok, candidate_pairs, \
        is_alias_candidate
    rng = random.Random(3)
    for _ in range(200):
        text = "".join(rng.choice("甲乙丙简称。；\n") for _ in range(rng.randint(1, 80)))
        ents = []
        for _ in range(rng.randint(0, 12)):
            s = rng.randrange(len(text))
            ents.append({"type": rng.choice(("ACTION", "AGENCY", "PARTY", "DATE", "MONEY")),
                         "start": s, "end": min(len(text), s + rng.randint(1, 4))})
        for window in (0, 1, 2):
            sent = SentenceIndex(text)
            sid = [sent(e["start"]) for e in ents]
            tup = [(e["type"], e["start"], e["end"]) for e in ents]
            want = [(i, j) for i, h in enumerate(tup) for j, t in enumerate(tup)
                    if j != i and abs(sid[i] - sid[j]) <= window and (
                        (h[0] == "ACTION" and _action_tail_ok(t[0]))
                        or (h[0] in ("AGENCY", "PARTY") and is_alias_candidate(text, h, t)))]
            assert candidate_pairs(text, ents, window) == want
