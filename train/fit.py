"""Fine-tune the lawie model (NER + relation heads on the character-level base encoder).

    train(config: dict, output_dir, device="cpu") -> dict     final dev metrics of the best model
    load_config(path) -> dict                                 a TOML config, every key checked

The config (train/configs/*.toml) names every setting; nothing has a hidden default:

    [data]   train, dev (lists of globs of JSONL files), gold (globs of gold JSONL files),
             gold_split (split.json path or ""), max_train_docs, max_dev_docs (0 = all),
             aux_ner, aux_max_sentences (real Chinese text as a second tagging task sharing
             the encoder, lawie.train.auxner: "msra" or a character-per-line file; "" = none)
    [base]   num_layers, freeze_word_embeddings, freeze_layers (the number of lowest encoder layers
             kept as in the base, with the embeddings: no backward pass through them)
    [model]  max_len, stride, relation_window, relation_context ("owner" | "pair", see
             lawie.infer.runtime), rel_hidden, type_dim, dist_dim, dropout (of the heads; the
             encoder keeps the base's dropout), decode_method, decode_reduce
    [train]  batch_size, lr_encoder, lr_heads, weight_decay, warmup_ratio, epochs, max_steps,
             time_budget_min, eval_every, patience, seed, ner_loss_weight, rel_loss_weight,
             neg_ratio, grad_clip, save_dtype, calibrate, ece_threshold, num_threads,
             aux_loss_weight (with data.aux_ner: the weight of its tagging loss),
             distill_from, distill_weight, distill_temperature (a trained model whose soft
             tags and relation scores are learned too, lawie.train.distill; "" = none),
             ema_decay (0 = off; else the dev scores, the best checkpoint and the saved weights
             are an exponential moving average of the trained weights, updated every step
             with decay min(ema_decay, (1 + n) / (10 + n)) after n updates: ema_avg_fn),
             ema_also_raw (with ema_decay: each dev evaluation scores the trained weights too,
             logged as "without_ema", and their own best checkpoint is kept, calibrated, in
             output_dir/without_ema: the two compared on one training run, as timm does),
             lr_schedule ("steps": after the warm-up the learning rate falls linearly to 0 at
             max_steps; "budget": to 0 at max_steps or at the end of time_budget_min, whichever
             comes first, so that a slower CPU anneals too: LinearSchedule),
             precision ("float32" | "bfloat16" | "auto": the compute dtype of the forward and
             backward passes and of the dev evaluations, as torch.autocast mixed precision;
             weights, optimizer state and losses stay float32. "auto" means bfloat16 on a CUDA
             GPU that supports it and on a CPU with hardware bfloat16 matrix units (AMX-BF16),
             float32 elsewhere; the dtype used is written to train_log.jsonl)

Gold files are split by case: a gold document joins the train (dev) data when its case id is in
split.json's "train" ("dev") list; the case id is meta.case (or meta.case_id), else the document
id up to its first "-" / "_" / "/" / ":". Relative paths are taken from the working directory.

Training windows: each document is cleaned (lawie.infer.clean) and its gold spans mapped to clean
offsets; the clean text is cut into windows of at most max_len - 2 characters along sentence
boundaries (a longer sentence is cut hard); characters of an entity that a cut splits are left
out of the loss. Relation examples per window: every gold relation with both entities inside it,
plus sampled negatives (neg_ratio per positive, at least neg_ratio) among the candidate pairs of
lawie.infer.relations within relation_window sentences.

Dev metric (early stopping and the saved checkpoint): entity micro F1 + relation micro F1,
strict, in clean offsets. Outputs in output_dir: the best checkpoint (model.safetensors,
config.json with the full training config, chars.txt, labels.json) and train_log.jsonl.
"""
from __future__ import annotations

import glob
import json
import math
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn

from lawie.infer.decode import decode_spans, spans_to_tags
from lawie.train.auxner import AuxDataError, collate_aux
from lawie.infer.model import LawieModel, default_heads, make_config
from lawie.infer.relations import SentenceIndex, candidate_pairs, sentence_spans
from lawie.infer.runtime import RELATION_CONTEXTS, Runtime, resolve_device, resolve_precision
from lawie.labels.schema import (BIO_TAGS, ENTITY_TYPES, RELATION_TYPES, TAG2ID,
                                 relation_allowed)
from lawie.train.config import (SCHEMA, TRAIN_PRECISIONS, ConfigError,  # noqa: F401
                                add_train_arguments, apply_overrides, check_config, init_config,
                                load_config)

REL2ID = {r: i + 1 for i, r in enumerate(RELATION_TYPES)}
TEMPERATURES = tuple(round(0.25 + 0.05 * i, 2) for i in range(56))   # 0.25 .. 3.0


# ---------------------------------------------------------------------------- data

def _expand(globs: list, what: str) -> list[Path]:
    files = []
    for g in globs:
        hits = sorted(glob.glob(str(g)))
        if not hits:
            raise ConfigError(f"data.{what}: {g} matches no file")
        files += [Path(h) for h in hits]
    return files


def case_id(doc: dict) -> str:
    meta = doc.get("meta") or {}
    for key in ("case", "case_id"):
        if meta.get(key):
            return str(meta[key])
    did = str(doc.get("id", ""))
    for sep in ("-", "_", "/", ":"):
        did = did.split(sep, 1)[0]
    return did


def split_by_share(docs: list, share: float, seed: int) -> tuple[list, list]:
    """(train, dev) by case: a seeded ``share`` of the cases (at least one, and never all, when
    there are two or more) goes to dev."""
    cases = sorted({case_id(d) for d in docs})
    random.Random(seed).shuffle(cases)
    k = int(round(share * len(cases)))
    if share > 0 and len(cases) >= 2:
        k = max(1, min(k, len(cases) - 1))
    dev_cases = set(cases[:k])
    return ([d for d in docs if case_id(d) not in dev_cases],
            [d for d in docs if case_id(d) in dev_cases])


REPO_GOLD = Path(__file__).resolve().parents[1] / "corpus" / "gold"


def generated_docs(n: int, seed: int) -> list[dict]:
    """``n`` documents from lawie.train.synth (default genres and renderings), generated now; a
    document with a sentence of a held-out (dev/test) seed gold document, or one the generator's
    own check rejects, is skipped, as `make corpus` does."""
    from lawie.train.synth import generate
    from lawie.train.synth.build import held_out_sentences, sentences, validate

    held = held_out_sentences(REPO_GOLD)
    out, idx = [], 0
    gen_seed = 7_000_003 + seed              # apart from corpus.toml's seeds
    while len(out) < n:
        doc = next(generate(1, gen_seed, start=idx))
        idx += 1
        if (held and sentences(doc["text"]) & held) or validate(doc):
            continue
        out.append(doc)
    return out


def load_docs(config: dict) -> tuple[list, list, dict]:
    """(train docs, dev docs, description of what was read)."""
    from lawie.train.corpus import read_jsonl

    data, seed = config["data"], config["train"]["seed"]
    train_files, dev_files = _expand(data["train"], "train"), _expand(data["dev"], "dev")
    generated = [d for f in train_files for d in read_jsonl(f)]
    dev = [d for f in dev_files for d in read_jsonl(f)]
    info = {"train_files": [str(f) for f in train_files], "dev_files": [str(f) for f in dev_files]}
    g_train, g_dev = [], []
    if data["gold"]:
        gold = [d for f in _expand(data["gold"], "gold") for d in read_jsonl(f)]
        info["gold_files"] = [str(g) for g in data["gold"]]
        if data["gold_split"]:
            try:
                split = json.loads(Path(data["gold_split"]).read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise ConfigError(f"data.gold_split: {data['gold_split']}: cannot read the "
                                  f"split ({exc})") from None
            if not isinstance(split, dict):
                raise ConfigError(f"data.gold_split: {data['gold_split']}: expected an object "
                                  f"with \"train\" and \"dev\" lists of case ids")
            tr, dv = set(split.get("train", [])), set(split.get("dev", []))
            g_train = [d for d in gold if case_id(d) in tr]
            g_dev = [d for d in gold if case_id(d) in dv]
        else:
            g_train, g_dev = split_by_share(gold, data["gold_dev_share"], seed)
        info.update(gold_train=len(g_train), gold_dev=len(g_dev),
                    gold_dev_cases=sorted({case_id(d) for d in g_dev}))
    # gold first, so that max_*_docs never cuts it; real text is rare: repeat it
    gold_part = g_train * data["gold_repeat"]
    ratio = data["generated_per_gold"]
    if ratio > 0 and gold_part:
        n = int(round(ratio * len(gold_part)))
        if generated:
            rng = random.Random(seed)
            pool = []
            while len(pool) < n:
                pool += rng.sample(generated, len(generated))
            generated = pool[:n]
            info["generated_from"] = "data.train"
        else:
            generated = generated_docs(n, seed)
            info["generated_from"] = "lawie.train.synth"
    info["generated"] = len(generated)
    train = gold_part + generated
    dev = g_dev + dev
    if data["max_train_docs"] > 0:
        train = train[:data["max_train_docs"]]
    if data["max_dev_docs"] > 0:
        dev = dev[:data["max_dev_docs"]]
    if not train:
        raise ConfigError("no training documents (data.train, data.gold and "
                          "data.generated_per_gold give none)")
    info.update(n_train=len(train), n_dev=len(dev))
    return train, dev, info


@dataclass
class CleanDoc:
    """A document in clean offsets: text, entities [(type, start, end)], relations
    {(head, tail): role} over entity indices."""
    id: str
    text: str
    entities: list
    relations: dict


def to_clean(doc: dict) -> CleanDoc:
    from lawie.infer.clean import clean

    cleaned = clean(doc["text"])
    ents, index = [], {}
    for e in doc.get("entities", []):
        if e.get("type") not in ENTITY_TYPES:
            continue
        cs, ce = cleaned.to_clean(int(e["start"]), int(e["end"]))
        if cs >= ce:
            continue
        index[e.get("id")] = len(ents)
        ents.append((e["type"], cs, ce))
    rels = {}
    for r in doc.get("relations", []):
        h, t = index.get(r["head"]), index.get(r["tail"])
        if h is None or t is None or r["type"] not in RELATION_TYPES:
            continue
        if relation_allowed(r["type"], ents[h][0], ents[t][0]):
            rels.setdefault((h, t), r["type"])
    return CleanDoc(str(doc.get("id", "")), cleaned.text, ents, rels)


def cut_windows(text: str, length: int) -> list[tuple[int, int]]:
    """[start, end) windows of at most `length` chars, cut at sentence ends where possible."""
    out, cur_s, cur_e = [], 0, 0
    for s, e in sentence_spans(text):
        while e - s > length:                         # an over-long sentence: cut hard
            if cur_e > cur_s:
                out.append((cur_s, cur_e))
            out.append((s, s + length))
            s = s + length
            cur_s = cur_e = s
        if e - cur_s > length:
            if cur_e > cur_s:
                out.append((cur_s, cur_e))
            cur_s = s
        cur_e = e
    if cur_e > cur_s:
        out.append((cur_s, cur_e))
    return out


@dataclass
class Example:
    ids: list          # CLS + chars + SEP
    labels: list       # -100 at CLS/SEP and at chars of split entities
    ents: list         # (type, start, end) in window offsets, entities fully inside
    positives: list    # (head, tail, role id) over ents
    negatives: list    # (head, tail) candidate pairs without a gold relation


def make_examples(cdoc: CleanDoc, vocab, length: int, window: int, tag2id: dict = TAG2ID,
                  rel2id: dict = REL2ID) -> list[Example]:
    """Training windows of one document; ``tag2id`` / ``rel2id`` are the model's (a model
    trained before guideline version 2 has fewer tags and roles)."""
    out = []
    sent = SentenceIndex(cdoc.text)
    for ws, we in cut_windows(cdoc.text, length):
        inside = [i for i, (_, s, e) in enumerate(cdoc.entities) if ws <= s and e <= we]
        local = {i: k for k, i in enumerate(inside)}
        ents = [(cdoc.entities[i][0], cdoc.entities[i][1] - ws, cdoc.entities[i][2] - ws)
                for i in inside]
        tags = spans_to_tags(we - ws, ents)
        labels = [-100] + [tag2id[t] for t in tags] + [-100]
        for typ, s, e in cdoc.entities:                  # split by the cut: out of the loss
            if s < we and e > ws and not (ws <= s and e <= we):
                for c in range(max(s, ws), min(e, we)):
                    labels[1 + c - ws] = -100
        pos = [(local[h], local[t], rel2id[r]) for (h, t), r in cdoc.relations.items()
               if h in local and t in local]
        pos_set = {(h, t) for h, t, _ in pos}
        # candidates use document sentence numbers (the window's text is a slice of it)
        ents_abs = [cdoc.entities[i] for i in inside]
        neg = [p for p in candidate_pairs(cdoc.text, ents_abs, window, sent) if p not in pos_set]
        ids = [vocab.cls_id] + vocab.encode(cdoc.text[ws:we]) + [vocab.sep_id]
        out.append(Example(ids, labels, ents, pos, neg))
    return out


def collate(batch: list[Example], pad_id: int, type2id: dict, neg_ratio: float,
            rng: random.Random):
    width = max(len(x.ids) for x in batch)
    ids = torch.full((len(batch), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    labels = torch.full((len(batch), width), -100, dtype=torch.long)
    rows, targets = [], []
    for b, x in enumerate(batch):
        n = len(x.ids)
        ids[b, :n] = torch.tensor(x.ids)
        mask[b, :n] = 1
        labels[b, :n] = torch.tensor(x.labels)
        k = int(math.ceil(neg_ratio * max(1, len(x.positives))))
        negs = x.negatives if len(x.negatives) <= k else rng.sample(x.negatives, k)
        for h, t, role in [*x.positives, *((h, t, 0) for h, t in negs)]:
            a, c = x.ents[h], x.ents[t]
            rows.append((b, a[1] + 1, a[2], c[1] + 1, c[2], type2id[a[0]], type2id[c[0]]))
            targets.append(role)
    pairs = torch.tensor(rows, dtype=torch.long).reshape(-1, 7)
    return ids, mask, labels, pairs, torch.tensor(targets, dtype=torch.long)


# ---------------------------------------------------------------------------- scoring

def _prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def score_docs(gold: list[CleanDoc], preds: list[dict]) -> dict:
    """Strict micro P/R/F1 of entities and relations in clean offsets; per-type entity F1."""
    et = {}
    tp = fp = fn = rtp = rfp = rfn = 0
    for g, p in zip(gold, preds):
        ge = {(t, s, e) for t, s, e in g.entities}
        pe = {(x["type"], x["start"], x["end"]) for x in p["entities"]}
        tp += len(ge & pe)
        fp += len(pe - ge)
        fn += len(ge - pe)
        for t, *_ in ge | pe:
            et.setdefault(t, [0, 0, 0])
        for k in ge & pe:
            et[k[0]][0] += 1
        for k in pe - ge:
            et[k[0]][1] += 1
        for k in ge - pe:
            et[k[0]][2] += 1
        gr = {(g.entities[h], g.entities[t], r) for (h, t), r in g.relations.items()}
        pl = p["entities"]
        pr = {((pl[r["head"]]["type"], pl[r["head"]]["start"], pl[r["head"]]["end"]),
               (pl[r["tail"]]["type"], pl[r["tail"]]["start"], pl[r["tail"]]["end"]), r["type"])
              for r in p["relations"]}
        rtp += len(gr & pr)
        rfp += len(pr - gr)
        rfn += len(gr - pr)
    ep, er, ef = _prf(tp, fp, fn)
    rp, rr, rf = _prf(rtp, rfp, rfn)
    return {"entity_p": ep, "entity_r": er, "entity_f1": ef, "relation_p": rp,
            "relation_r": rr, "relation_f1": rf, "score": ef + rf,
            "entity_f1_per_type": {t: _prf(*v)[2] for t, v in sorted(et.items())}}


def entity_ece(gold: list[CleanDoc], preds: list[dict], bins: int = 10) -> float:
    """Expected calibration error of the predicted entity scores (the scorer's calibration(),
    applied in clean offsets)."""
    from lawie.train.evaluate import calibration

    gdocs = [{"id": str(k), "text": g.text,
              "entities": [{"type": t, "start": s, "end": e} for t, s, e in g.entities]}
             for k, g in enumerate(gold)]
    pdocs = [{"id": str(k), "text": g.text, "entities": p["entities"]}
             for k, (g, p) in enumerate(zip(gold, preds))]
    return float(calibration(gdocs, pdocs, bins=bins)["ece"])


def _tempered(probs: np.ndarray, temperature: float) -> np.ndarray:
    logp = np.log(np.clip(probs, 1e-12, None)) / temperature
    logp -= logp.max(axis=1, keepdims=True)
    q = np.exp(logp)
    return q / q.sum(axis=1, keepdims=True)


def fit_temperature(gold: list[CleanDoc], tag_probs: list[np.ndarray], tags, method, reduce):
    """(temperature, ece) minimizing the entity-score ECE on dev over a grid of temperatures."""
    best = None
    for temp in TEMPERATURES:
        preds = [{"entities": [{"type": t, "start": s, "end": e, "score": sc} for t, s, e, sc
                               in decode_spans(_tempered(pr, temp), g.text, tags, method,
                                               reduce)]}
                 for g, pr in zip(gold, tag_probs)]
        ece = entity_ece(gold, preds)
        if best is None or ece < best[1] - 1e-9:
            best = (temp, ece)
    return best


# ---------------------------------------------------------------------------- init_from

def extend_heads(model: LawieModel, entity_types, relation_types) -> LawieModel:
    """``model`` with heads that also know ``entity_types`` and ``relation_types`` it lacks (in
    the schema's order, appended after its own, so its tag, type and role ids stay): the rows of
    the old heads are copied, the new rows start small with the lowest old bias (the new types are
    rare until trained). Returns ``model`` itself when nothing is missing."""
    old_types, old_roles = list(model.entity_types), list(model.relation_types)
    add_types = [t for t in ENTITY_TYPES if t in set(entity_types) and t not in old_types]
    add_roles = [r for r in RELATION_TYPES if r in set(relation_types) and r not in old_roles]
    if not add_types and not add_roles:
        return model
    cfg = json.loads(json.dumps(model.config))
    heads = cfg["heads"]
    heads["entity_types"] = old_types + add_types
    heads["ner"]["tags"] = list(model.tags) + [f"{p}-{t}" for t in add_types for p in "BI"]
    heads["relation"]["types"] = old_roles + add_roles
    new = LawieModel(cfg, vocab=model.vocab, encoder=model.encoder)
    target = new.state_dict()
    gen = torch.Generator().manual_seed(0)
    for key, old in model.state_dict().items():
        cur = target[key]
        if cur.shape == old.shape:
            target[key] = old
            continue
        grown = torch.empty_like(cur)
        grown[:old.shape[0]] = old
        if key.endswith("bias"):
            grown[old.shape[0]:] = old.min()
        else:
            grown[old.shape[0]:] = torch.randn(grown[old.shape[0]:].shape, generator=gen) * 0.02
        target[key] = grown
    new.load_state_dict(target)
    return new.train(model.training)


def restrict_doc(doc: dict, entity_types, relation_types) -> dict:
    """``doc`` with only the entities of ``entity_types`` and the relations of
    ``relation_types`` between them (base.extend_heads = false: a model trained on documents of a
    later guideline keeps its own heads; the spans of the other types are plain text to it)."""
    ents = [e for e in doc.get("entities", []) if e.get("type") in entity_types]
    ids = {e.get("id") for e in ents}
    rels = [r for r in doc.get("relations", []) if r.get("type") in relation_types
            and r.get("head") in ids and r.get("tail") in ids]
    return dict(doc, entities=ents, relations=rels)


def left_out(docs: list, entity_types, relation_types) -> dict:
    """The entity types and roles ``docs`` hold outside ``entity_types`` / ``relation_types``
    (what a model with those labels leaves out of its training; recorded in config.json)."""
    types = {e.get("type") for d in docs for e in d.get("entities", [])}
    roles = {r.get("type") for d in docs for r in d.get("relations", [])}
    return {"entity_types": sorted(x for x in types if x and x not in entity_types),
            "relation_types": sorted(x for x in roles if x and x not in relation_types)}


def start_from(config: dict, docs: list, info: dict) -> LawieModel:
    """The model of base.init_from, ready to be trained per ``config``: the settings the model
    fixes are checked, its heads are extended for the types and roles ``docs`` hold that it
    lacks, and its config takes the new windows, decoding and training config."""
    from lawie.infer.model import ModelDirError
    from lawie.train.config import model_settings

    src = config["base"]["init_from"]
    try:
        model = LawieModel.from_dir(src)
    except ModelDirError as exc:
        raise ConfigError(f"base.init_from: {exc}") from None
    fixed = model_settings(src)
    for name in ("base.num_layers", "model.rel_hidden", "model.type_dim", "model.dist_dim"):
        sec, key = name.split(".")
        if config[sec][key] != fixed[name]:
            raise ConfigError(f"{name} = {config[sec][key]} but {src} has {fixed[name]} "
                              f"(set {name}={fixed[name]}, or `lawie init-config --from {src}`)")
    m = config["model"]
    positions = model.encoder.config.max_position_embeddings
    if m["max_len"] > positions:
        raise ConfigError(f"model.max_len {m['max_len']} exceeds {src}'s {positions} positions")
    types = {e.get("type") for d in docs for e in d.get("entities", [])}
    roles = {r.get("type") for d in docs for r in d.get("relations", [])}
    before = (list(model.entity_types), list(model.relation_types))
    if config["base"]["extend_heads"]:
        model = extend_heads(model, types, roles)
    else:
        info["left_out"] = left_out(docs, *before)
    cfg = model.config
    cfg.update(max_len=m["max_len"], stride=m["stride"], relation_window=m["relation_window"],
               relation_context=m["relation_context"], temperature=1.0, calibration=None,
               train=config, data=info)
    cfg["decode"] = {"method": m["decode_method"], "reduce": m["decode_reduce"]}
    for k in ("best_step", "dev_metrics"):
        cfg.pop(k, None)
    cfg["init_from"] = {"model": str(src),
                        "added_entity_types": model.entity_types[len(before[0]):],
                        "added_relation_types": model.relation_types[len(before[1]):]}
    model.ner_dropout.p = m["dropout"]
    for layer in model.rel_mlp:
        if isinstance(layer, nn.Dropout):
            layer.p = m["dropout"]
    cfg["heads"]["ner"]["dropout"] = cfg["heads"]["relation"]["dropout"] = m["dropout"]
    info["init_from"] = cfg["init_from"]
    return model


# ---------------------------------------------------------------------------- training

def _seed_all(seed: int):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    if torch.cuda.is_available():
        torch.cuda.manual_seed_all(seed)


def ema_avg_fn(decay: float):
    """The ``avg_fn`` of torch.optim.swa_utils.AveragedModel for an exponential moving average
    whose decay warms up: after n updates the new average is d * average + (1 - d) * current,
    d = min(decay, (1 + n) / (10 + n)), so that the first steps' weights fade quickly."""
    def avg(averaged, current, num_averaged):
        n = float(num_averaged)
        d = min(decay, (1.0 + n) / (10.0 + n))
        return averaged * d + current * (1.0 - d)
    return avg


class LinearSchedule:
    """The learning-rate factor of step ``step`` (torch.optim.lr_scheduler.LambdaLR): a linear
    rise over ``warmup`` steps, then a linear decay that reaches 0 at step ``total``.

    With ``budget_s`` > 0 (train.lr_schedule = "budget") the decay also reaches 0 when the time
    budget runs out, whichever comes first: after the warm-up the factor is the smaller of the
    share of the steps left and the share of the post-warm-up time left, so that a slow CPU,
    which reaches fewer steps in train.time_budget_min, still trains down to a learning rate
    near 0 instead of stopping at a high one. ``clock`` returns seconds (time.monotonic); the
    clock starts at the first call, i.e. when LambdaLR is made."""

    def __init__(self, total: int, warmup: int, budget_s: float = 0.0, clock=time.monotonic):
        self.total, self.warmup, self.budget_s, self.clock = total, warmup, budget_s, clock
        self.t0 = self.t_warm = None

    def __call__(self, step: int) -> float:
        now = self.clock()
        if self.t0 is None:
            self.t0 = now
        if step < self.warmup:
            return (step + 1) / max(1, self.warmup)
        f = max(0.0, (self.total - step) / max(1, self.total - self.warmup))
        if self.budget_s > 0:
            if self.t_warm is None:
                self.t_warm = now - self.t0
            left = self.budget_s - self.t_warm
            f = min(f, max(0.0, (self.budget_s - (now - self.t0)) / left) if left > 0 else 0.0)
        return f


def train_dtype(precision: str, device: torch.device) -> torch.dtype:
    """The autocast dtype of training: see train.precision in the module docstring. On a CPU,
    "auto" is what inference picks (lawie.infer.runtime.resolve_precision)."""
    if precision not in TRAIN_PRECISIONS:
        raise ConfigError(f"train.precision {precision!r}: expected one of "
                          f"{', '.join(TRAIN_PRECISIONS)}")
    if precision == "auto" and device.type == "cuda":
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float32
    return resolve_precision(precision, device)


def _autocast(device: torch.device, dtype: torch.dtype):
    return torch.autocast(device_type=device.type, dtype=torch.bfloat16,
                          enabled=dtype == torch.bfloat16)


def _predict(model, docs: list[CleanDoc], device, batch_size: int, keep_probs: bool = False,
             dtype: torch.dtype = torch.float32):
    was_training = model.training
    model.eval()
    rt = Runtime.from_model(model, device)
    with _autocast(rt.device, dtype):
        preds = rt.predict([d.text for d in docs], batch_size=batch_size)
        probs = None
        if keep_probs:
            probs = [rt.tag_probs(d.text, batch_size) for d in docs]
    model.train(was_training)
    return preds, probs


def evaluate_model(model, docs: list[CleanDoc], device, batch_size: int,
                   dtype: torch.dtype = torch.float32) -> dict:
    preds, _ = _predict(model, docs, device, batch_size, dtype=dtype)
    return score_docs(docs, preds)


def train(config: dict, output_dir, device="cpu") -> dict:
    """Train per ``config`` (the dict of a TOML config, see the module docstring), keep the best
    dev checkpoint in ``output_dir`` and return its dev metrics."""
    from tqdm import tqdm
    from lawie.train.base import load_base

    config = check_config(config)
    if config["data"]["aux_ner"] and config["train"]["aux_loss_weight"] <= 0:
        raise ConfigError("data.aux_ner is set but train.aux_loss_weight is "
                          f"{config['train']['aux_loss_weight']}: give it a weight > 0")
    dev_ = resolve_device(device)
    amp = train_dtype(config["train"]["precision"], dev_)
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    m, t = config["model"], config["train"]
    if t["num_threads"] > 0:
        torch.set_num_threads(t["num_threads"])
    _seed_all(t["seed"])
    rng = random.Random(t["seed"])

    train_docs, dev_docs, info = load_docs(config)
    if config["base"]["init_from"]:
        model = start_from(config, train_docs + dev_docs, info)
        vocab = model.vocab
        if not config["base"]["extend_heads"]:
            keep = (set(model.entity_types), set(model.relation_types))
            train_docs = [restrict_doc(d, *keep) for d in train_docs]
            dev_docs = [restrict_doc(d, *keep) for d in dev_docs]
    else:
        encoder, vocab = load_base(config["base"]["num_layers"])
        heads = default_heads(m["rel_hidden"], m["type_dim"], m["dist_dim"], m["dropout"])
        if t["distill_from"]:                 # the student speaks its teacher's labels
            from lawie.train.distill import teacher_labels
            heads = teacher_labels(t["distill_from"], heads)
            keep = (set(heads["entity_types"]), set(heads["relation"]["types"]))
            info["left_out"] = left_out(train_docs + dev_docs, *keep)
            train_docs = [restrict_doc(d, *keep) for d in train_docs]
            dev_docs = [restrict_doc(d, *keep) for d in dev_docs]
        mcfg = make_config(encoder.config, max_len=m["max_len"], stride=m["stride"],
                           relation_window=m["relation_window"], heads=heads, train=config,
                           relation_context=m["relation_context"])
        mcfg["decode"] = {"method": m["decode_method"], "reduce": m["decode_reduce"]}
        mcfg["data"] = info
        if m["max_len"] > encoder.config.max_position_embeddings:
            raise ConfigError(f"model.max_len {m['max_len']} exceeds the encoder's "
                              f"{encoder.config.max_position_embeddings} positions")
        model = LawieModel(mcfg, vocab=vocab, encoder=encoder)
    if config["base"]["freeze_word_embeddings"]:
        model.encoder.embeddings.word_embeddings.weight.requires_grad_(False)
    if config["base"]["freeze_layers"] > 0:
        for p in model.encoder.embeddings.parameters():
            p.requires_grad_(False)
        for layer in list(model.encoder.encoder.layer)[:config["base"]["freeze_layers"]]:
            for p in layer.parameters():
                p.requires_grad_(False)
    model.to(dev_).train()
    teacher = None
    if t["distill_from"]:
        from lawie.train.distill import distill_losses, load_teacher
        teacher = load_teacher(t["distill_from"], model, dev_)
        info["distill_from"] = {"path": str(t["distill_from"]),
                                "num_layers": teacher.encoder.config.num_hidden_layers,
                                "weight": t["distill_weight"],
                                "temperature": t["distill_temperature"]}
        model.config["data"] = info           # the teacher travels in config.json

    length = m["max_len"] - 2
    ctrain = [to_clean(d) for d in train_docs]
    cdev = [to_clean(d) for d in dev_docs]
    tag2id = {t: i for i, t in enumerate(model.tags)}
    rel2id = {r: i + 1 for i, r in enumerate(model.relation_types)}
    examples = [x for d in ctrain
                for x in make_examples(d, vocab, length, m["relation_window"], tag2id, rel2id)]
    aux_head, aux_windows, aux_loss_fn = None, [], None
    if config["data"]["aux_ner"]:
        from lawie.train.auxner import AuxHead, aux_examples, load_aux
        sents, aux_info = load_aux(config["data"]["aux_ner"], config["data"]["aux_max_sentences"],
                                   t["seed"])
        aux_windows = aux_examples(sents, vocab, length, aux_info["types"])
        aux_info["windows"] = len(aux_windows)
        info["aux_ner"] = aux_info
        model.config["data"] = info           # what was read travels in config.json
        aux_head = AuxHead(model.encoder.config.hidden_size, aux_info["types"],
                           m["dropout"]).to(dev_).train()
        aux_loss_fn = nn.CrossEntropyLoss(ignore_index=-100)
        aux_order = []
    steps_per_epoch = math.ceil(len(examples) / t["batch_size"])
    total = steps_per_epoch * t["epochs"] if t["epochs"] > 0 else t["max_steps"]
    if t["max_steps"] > 0:
        total = min(total, t["max_steps"])
    warmup = int(round(t["warmup_ratio"] * total))

    no_decay = ("bias", "LayerNorm.weight", "layernorm", "norm.weight")
    groups = {}
    for name, p in model.named_parameters():
        if not p.requires_grad:
            continue
        enc = name.startswith("encoder.")
        nd = p.ndim < 2 or any(k in name for k in no_decay)
        key = (enc, nd)
        groups.setdefault(key, []).append(p)
    if aux_head is not None:                  # the auxiliary head learns at the heads' rate
        for name, p in aux_head.named_parameters():
            groups.setdefault((False, p.ndim < 2), []).append(p)
    opt = torch.optim.AdamW([{"params": ps, "lr": t["lr_encoder"] if enc else t["lr_heads"],
                              "weight_decay": 0.0 if nd else t["weight_decay"]}
                             for (enc, nd), ps in groups.items()])
    budget = t["time_budget_min"] * 60.0
    sched = torch.optim.lr_scheduler.LambdaLR(opt, LinearSchedule(
        total, warmup, budget if t["lr_schedule"] == "budget" else 0.0))
    ner_loss_fn = nn.CrossEntropyLoss(ignore_index=-100)
    rel_loss_fn = nn.CrossEntropyLoss()

    ema = None
    if t["ema_decay"] > 0:                    # the weights scored and kept: their moving average
        from torch.optim.swa_utils import AveragedModel
        ema = AveragedModel(model, avg_fn=ema_avg_fn(t["ema_decay"]))
    save_dtype = getattr(torch, t["save_dtype"])
    kept = {"dir": out, "weights": ema.module if ema is not None else model, "best": None,
            "step": -1}
    raw = None                                # train.ema_also_raw: the trained weights' own best
    if ema is not None and t["ema_also_raw"]:
        raw = {"dir": out / "without_ema", "weights": model, "best": None, "step": -1}
        raw["dir"].mkdir(exist_ok=True)

    log = open(out / "train_log.jsonl", "w", encoding="utf-8")

    def write_log(rec):
        log.write(json.dumps(rec, ensure_ascii=False) + "\n")
        log.flush()

    write_log({"event": "start", "examples": len(examples), "steps": total, "warmup": warmup,
               **info, "device": str(dev_), "precision": str(amp).replace("torch.", "")})
    t0 = time.monotonic()
    bad_evals, step = 0, 0
    losses, first_losses = [], []
    stop = None
    bar = tqdm(total=total, file=sys.stderr, desc="train", dynamic_ncols=True)

    def score(weights) -> dict:               # without dev documents: the recent training loss
        return evaluate_model(weights, cdev, dev_, t["batch_size"], amp) if cdev else \
            {"score": -float(np.mean(losses[-20:]))}

    def do_eval():
        nonlocal bad_evals
        metrics = score(kept["weights"])
        rec = {"event": "eval", "step": step, "elapsed_s": round(time.monotonic() - t0, 1),
               "loss": float(np.mean(losses[-t["eval_every"]:])) if losses else None, **metrics}
        if raw is not None:
            rec["without_ema"] = score(model)
            _keep_if_best(raw, rec["without_ema"], step, save_dtype)
        write_log(rec)
        bad_evals = 0 if _keep_if_best(kept, metrics, step, save_dtype) else bad_evals + 1
        return rec

    if config["base"]["init_from"] and cdev:
        do_eval()           # step 0: the model as it came is a candidate too (kept if no step beats it)
    epoch = 0
    while stop is None:
        order = list(range(len(examples)))
        rng.shuffle(order)
        for k in range(0, len(order), t["batch_size"]):
            batch = [examples[i] for i in order[k:k + t["batch_size"]]]
            ids, mask, labels, pairs, targets = collate(batch, vocab.pad_id, model.type2id,
                                                        t["neg_ratio"], rng)
            ids, mask, labels = ids.to(dev_), mask.to(dev_), labels.to(dev_)
            pairs, targets = pairs.to(dev_), targets.to(dev_)
            with _autocast(dev_, amp):
                res = model(ids, mask, pairs)
            ner_loss = ner_loss_fn(res["ner_logits"].float().reshape(-1, len(model.tags)),
                                   labels.reshape(-1))
            rel_loss = rel_loss_fn(res["rel_logits"].float(), targets) if len(targets) else \
                ner_loss.new_zeros(())
            loss = t["ner_loss_weight"] * ner_loss + t["rel_loss_weight"] * rel_loss
            kd_ner = kd_rel = None
            if teacher is not None:           # the teacher's soft tags and relation scores
                with torch.no_grad(), _autocast(dev_, amp):
                    tres = teacher(ids, mask, pairs)
                kd_ner, kd_rel = distill_losses(res, tres, labels, t["distill_temperature"])
                loss = loss + t["distill_weight"] * (kd_ner + kd_rel)
            aux_loss = None
            if aux_head is not None:          # one batch of the auxiliary real-text windows
                if len(aux_order) < t["batch_size"]:
                    aux_order += rng.sample(range(len(aux_windows)), len(aux_windows))
                abatch = [aux_windows[i] for i in aux_order[:t["batch_size"]]]
                del aux_order[:t["batch_size"]]
                a_ids, a_mask, a_labels = (x.to(dev_) for x in collate_aux(abatch, vocab.pad_id))
                with _autocast(dev_, amp):
                    a_logits = aux_head(model.encode(a_ids, a_mask))
                aux_loss = aux_loss_fn(a_logits.float().reshape(-1, len(aux_head.tags)),
                                       a_labels.reshape(-1))
                loss = loss + t["aux_loss_weight"] * aux_loss
            opt.zero_grad(set_to_none=True)
            loss.backward()
            if t["grad_clip"] > 0:
                nn.utils.clip_grad_norm_([*model.parameters(), *(aux_head.parameters()
                                          if aux_head is not None else ())], t["grad_clip"])
            opt.step()
            sched.step()
            if ema is not None:
                ema.update_parameters(model)
            step += 1
            losses.append(loss.item())
            bar.update(1)
            bar.set_postfix(loss=f"{np.mean(losses[-10:]):.3f}", ep=epoch)
            if step % 10 == 0 or step == 1:
                write_log({"event": "step", "step": step, "epoch": epoch,
                           "loss": loss.item(), "ner_loss": ner_loss.item(),
                           "rel_loss": rel_loss.item(),
                           **({"aux_loss": aux_loss.item()} if aux_loss is not None else {}),
                           **({"kd_ner": kd_ner.item(), "kd_rel": kd_rel.item()}
                              if kd_ner is not None else {}),
                           "lr": sched.get_last_lr()[0],
                           "elapsed_s": round(time.monotonic() - t0, 1)})
            if step % t["eval_every"] == 0:
                do_eval()
                if t["patience"] > 0 and bad_evals >= t["patience"]:
                    stop = "early_stopping"
            if stop is None and step >= total:
                stop = "max_steps"
            if stop is None and budget > 0 and time.monotonic() - t0 > budget:
                stop = "time_budget"
            if stop:
                break
        epoch += 1
    bar.close()
    if step % t["eval_every"] != 0:
        do_eval()

    # the best checkpoint: reload, calibrate, final metrics
    done = dict(steps=step, stopped=stop, train_seconds=round(time.monotonic() - t0, 1),
                first_loss=float(np.mean(losses[:10])), last_loss=float(np.mean(losses[-10:])))
    final = _finalize(kept, done, cdev, dev_, config)
    if raw is not None:
        final["without_ema"] = _finalize(raw, done, cdev, dev_, config)
    write_log({"event": "end", **final})
    log.close()
    return final


def _keep_if_best(track: dict, metrics: dict, step: int, dtype) -> bool:
    """Save the weights of ``track`` ({"dir", "weights", "best", "step"}) as its checkpoint when
    ``metrics`` beat its best dev score so far; True if they did."""
    if track["best"] is not None and metrics["score"] <= track["best"]["score"] + 1e-9:
        return False
    track.update(best=metrics, step=step)
    track["weights"].config["best_step"] = step
    track["weights"].save(track["dir"], dtype=dtype)
    return True


def _finalize(track: dict, done: dict, cdev: list, dev_, config: dict) -> dict:
    """Reload the best checkpoint of ``track`` (see _keep_if_best), fit its temperature on dev
    (train.calibrate), save it with its final dev metrics; returns them."""
    m, t = config["model"], config["train"]
    out = track["dir"]
    best_model = LawieModel.from_dir(out, device=dev_)
    final = dict(track["best"])
    final.update(best_step=track["step"], **done)
    cal = None
    if cdev:
        preds, probs = _predict(best_model, cdev, dev_, t["batch_size"], keep_probs=True)
        ece = entity_ece(cdev, preds)
        cal = {"ece": ece, "temperature": 1.0, "ece_after": ece, "n": sum(len(p["entities"])
                                                                          for p in preds)}
        if t["calibrate"] and ece > t["ece_threshold"]:
            temp, ece_after = fit_temperature(cdev, probs, best_model.tags, m["decode_method"],
                                              m["decode_reduce"])
            if ece_after < ece:
                cal.update(temperature=temp, ece_after=ece_after)
        best_model.config["temperature"] = cal["temperature"]
        best_model.config["calibration"] = cal
        if cal["temperature"] != 1.0:
            final.update(evaluate_model(best_model, cdev, dev_, t["batch_size"]))
        best_model.config["dev_metrics"] = {k: v for k, v in final.items()}
        best_model.save(out, dtype=getattr(torch, t["save_dtype"]))
    final["calibration"] = cal
    return final


def resolve_config(config_path=None, init_from=None, data=None, overrides=()) -> dict:
    """The config of `lawie train`: the file ``config_path``, else (with ``init_from``) what
    `lawie init-config --from INIT_FROM` writes; then ``init_from`` as base.init_from, ``data``
    (JSONL globs of your documents) as data.gold, and the "section.key=value" ``overrides``."""
    if config_path:
        config = load_config(config_path)
        source = str(config_path)
    elif init_from:
        config = init_config(init_from)
        source = f"config from {init_from}"
    else:
        raise ConfigError("give --config FILE (`lawie init-config > FILE` writes one) or "
                          "--init-from MODEL_DIR")
    if init_from:
        config["base"]["init_from"] = str(init_from)
    if data:
        config["data"]["gold"] = [str(x) for x in data]
    config = apply_overrides(config, overrides)
    return check_config(config, source)


def run(args) -> int:
    from lawie.infer.model import ModelDirError
    try:
        config = resolve_config(args.config, args.init_from, args.data, args.overrides)
        result = train(config, args.output, device=args.device)
    except (ConfigError, ModelDirError, AuxDataError, RuntimeError, OSError, ValueError) as exc:
        print(f"lawie: error: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}",
              file=sys.stderr)
        return 2
    print(json.dumps({k: v for k, v in result.items() if k != "calibration"}, indent=1))
    return 0


def main(argv=None) -> int:
    import argparse

    ap = argparse.ArgumentParser(prog="python -m lawie.train.fit", description=__doc__.split("\n")[0])
    add_train_arguments(ap)
    return run(ap.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
