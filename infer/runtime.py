"""Run a lawie model on clean texts: windows, batching, merging, relations, device, int8.

    rt = Runtime.load("models/lawie-small", device="cpu")      # or "cuda", "auto"; quantize=True;
                                                               # precision="auto"|"float32"|"bfloat16"
    rt.predict(["清洁文本……"], batch_size=8)
    -> [{"entities": [{"type", "start", "end", "score"}],
         "relations": [{"head": i, "tail": j, "type": role, "score"}]}]   # CLEAN offsets

A text longer than the model window (``max_len`` characters including [CLS] and [SEP]) is read in
overlapping windows ``stride`` characters apart; each character is owned by the window in which
it is most central and takes that window's tag probabilities.

The relation head reads the encoder states at the first and last character of both entities.
Where they come from is the model config's ``relation_context``:
- ``"owner"``: each character's state from the window that owns it, as for its tags. The NER
  pass already computed them, so relations cost no second encoder pass. (A text of more than
  CACHE_WINDOWS windows does not keep its states: the windows owning entity boundaries are
  encoded again, which gives the same states with bounded memory.)
- ``"pair"``: all four states from one window that holds both entities (the planned window where
  the pair is most central, else a window centred on the pair), as in training; pairs that no
  planned window holds take a second encoder pass.
Windows stream through the model ``batch_size`` at a time, so memory stays bounded for texts of
any length.
"""
from __future__ import annotations

import bisect
import logging
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import torch

from lawie.infer.decode import decode_spans
from lawie.infer.model import LawieModel
from lawie.infer.relations import SentenceIndex, candidate_pairs, decode_relations

log = logging.getLogger("lawie")

CACHE_WINDOWS = 128  # docs with at most this many windows (~25k chars, ~40 MB of states) keep
#                      their encoder states for the relation pass; longer ones are re-encoded
RELATION_CONTEXTS = ("owner", "pair")


PRECISIONS = ("auto", "float32", "bfloat16")


# CPU flags of hardware bfloat16 matrix arithmetic: Intel AMX-BF16, and the AVX512-BF16 dot products
# of AMD Zen 4 / Intel Cooper Lake and later
BF16_MATMUL_FLAGS = frozenset({"amx_bf16", "avx512_bf16"})


def has_bf16_flags(flags) -> bool:
    return bool(BF16_MATMUL_FLAGS & set(flags))


@lru_cache(maxsize=1)
def cpu_has_bf16_matmul() -> bool:
    """Does this CPU multiply bfloat16 matrices in hardware (AMX-BF16 or AVX512-BF16)? There
    bfloat16 runs the encoder 2-3.5x faster than float32 (`lawie bench --precision`: 3.5x with
    AMX; 12,706 vs 5,587 chars/s on 2 cores of an AMD EPYC with AVX512-BF16); elsewhere it is
    emulated and slower."""
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("flags"):
                    return has_bf16_flags(line.split())
    except OSError:
        pass
    return False


def resolve_precision(precision, device: torch.device) -> torch.dtype:
    """The encoder's compute dtype: "float32", "bfloat16", or "auto" (bfloat16 on a CPU with
    hardware bfloat16 matrix units, float32 elsewhere)."""
    if precision not in PRECISIONS:
        raise ValueError(f"precision {precision!r}: expected one of {', '.join(PRECISIONS)}")
    if precision == "auto":
        return torch.bfloat16 if device.type == "cpu" and cpu_has_bf16_matmul() else torch.float32
    return torch.bfloat16 if precision == "bfloat16" else torch.float32


def resolve_device(device) -> torch.device:
    if device is None or device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    dev = torch.device(device)
    if dev.type == "cuda" and not torch.cuda.is_available():
        raise RuntimeError(f"device {device!r} requested but CUDA is not available here")
    return dev


def plan_windows(n: int, length: int, stride: int) -> list[tuple[int, int, int, int]]:
    """Windows over n characters: (start, end, own_start, own_end); each character is owned by
    exactly one window, the one in which it is most central (ties go to the later window)."""
    if length < 1 or not 1 <= stride <= length:
        raise ValueError(f"window length {length} and stride {stride}: need 1 <= stride <= length")
    if n <= length:
        return [(0, n, 0, n)] if n else []
    starts = list(range(0, n - length, stride)) + [n - length]
    bounds = [0] + [(a + b + length) // 2 for a, b in zip(starts, starts[1:])] + [n]
    return [(s, s + length, bounds[k], bounds[k + 1]) for k, s in enumerate(starts)]


def pair_window(lo: int, hi: int, n: int, length: int, windows,
                starts=None) -> tuple[int, int] | None:
    """The window (start, end) that holds [lo, hi) most centrally: a planned one if any holds
    it, else one centred on it; None when the pair is longer than a window. ``windows`` are
    plan_windows' (sorted by start); ``starts`` their starts (computed when not given)."""
    if hi - lo > length:
        return None
    mid2 = lo + hi                       # twice the pair's centre
    if starts is None:
        starts = [w[0] for w in windows]
    # planned windows holding the pair start in [hi - length, lo]; the best one has its centre
    # nearest to the pair's centre: look at the neighbours of the ideal start
    ideal = (mid2 - length) / 2
    k = bisect.bisect_left(starts, ideal)
    best, best_d = None, None
    for j in (k - 1, k):
        if 0 <= j < len(starts):
            s = starts[j]
            e = windows[j][1]
            if s <= lo and hi <= e:
                d = abs(mid2 - (s + e))
                if best_d is None or d < best_d:
                    best, best_d = (s, e), d
    if best is not None:
        return best
    s = int(min(max(0, round(ideal)), max(0, n - length)))
    return s, min(n, s + length)


@dataclass
class _Doc:
    text: str
    windows: list
    probs: np.ndarray
    remaining: int
    cache: dict = field(default_factory=dict)   # "pair": (start, end) -> hidden [T, H]
    states: torch.Tensor | None = None          # "owner": [len(text), H]


class Runtime:
    """A loaded model ready to predict."""

    def __init__(self, model: LawieModel, device="cpu", quantized: bool = False,
                 encoder_dtype: torch.dtype = torch.float32):
        self.model = model.eval()
        self.device = torch.device(device)
        self.quantized = quantized
        self.encoder_dtype = encoder_dtype      # the heads always compute in float32
        cfg = model.config
        self.max_len = int(cfg["max_len"])
        self.length = self.max_len - 2
        self.stride = int(cfg["stride"])
        self.window = int(cfg["relation_window"])
        self.temperature = float(cfg.get("temperature") or 1.0)
        dec = cfg.get("decode") or {}
        self.decode_method = dec.get("method", "viterbi")
        self.decode_reduce = dec.get("reduce", "mean")
        self.relation_context = cfg.get("relation_context") or "pair"
        if self.relation_context not in RELATION_CONTEXTS:
            raise ValueError(f"relation_context {self.relation_context!r}: expected one of "
                             f"{', '.join(RELATION_CONTEXTS)}")
        self.vocab = model.vocab
        plan_windows(self.length + 1, self.length, self.stride)   # validates the config

    @classmethod
    def load(cls, model_dir, device="cpu", quantize: bool = False,
             num_threads: int | None = None, precision: str = "float32") -> "Runtime":
        """Load a model directory. ``device``: "cpu", "cuda", "cuda:N" or "auto".
        ``quantize``: int8 (lawie.infer.quantize: smoothed by the directory's calibration, then
        dynamic int8 with per-channel weights), CPU only.
        ``num_threads``: call torch.set_num_threads (None leaves the current setting).
        ``precision``: the encoder's compute dtype, see ``resolve_precision``."""
        dev = resolve_device(device)
        if num_threads is not None:
            torch.set_num_threads(int(num_threads))
        model = LawieModel.from_dir(Path(model_dir), device="cpu")
        stats = alpha = None
        if quantize:
            from lawie.infer.quantize import load_calibration
            stats, alpha = load_calibration(model_dir, model.config)
            if stats is None:
                log.warning("lawie: warning: %s has no int8 calibration: plain dynamic int8 loses "
                            "much of the model; run `lawie quantize --model %s` first", model_dir,
                            model_dir)
        return cls.from_model(model, dev, quantize=quantize, precision=precision,
                              quant_stats=stats, quant_alpha=alpha)

    @classmethod
    def from_model(cls, model: LawieModel, device="cpu", quantize: bool = False,
                   precision: str = "float32", quant_stats=None, quant_alpha=None) -> "Runtime":
        dev = resolve_device(device)
        dtype = resolve_precision(precision, dev)
        if quantize:
            if dev.type != "cpu":
                raise RuntimeError("quantize=True runs on the CPU only (dynamic int8)")
            model = quantize_model(model, quant_stats, quant_alpha)
            dtype = torch.float32
        model = model.to(dev)
        if dtype != torch.float32:
            model.encoder.to(dtype)
        return cls(model, dev, quantized=quantize, encoder_dtype=dtype)

    # ------------------------------------------------------------------ prediction
    @torch.inference_mode()
    def predict(self, clean_texts: list[str], batch_size: int = 8, span_rules=None) -> list[dict]:
        """Entities and relations of each clean text. ``span_rules(text, entities) -> entities``,
        if given, mends the decoded spans (lawie.infer.spans.prepare_spans) before the relation
        head reads them."""
        if batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, got {batch_size}")
        results: list = [None] * len(clean_texts)
        docs: dict[int, _Doc] = {}
        batch: list = []
        for d, text in enumerate(clean_texts):
            if not isinstance(text, str):
                raise TypeError(f"text {d}: expected str, got {type(text).__name__}")
            windows = plan_windows(len(text), self.length, self.stride)
            if not windows:
                results[d] = {"entities": [], "relations": []}
                continue
            docs[d] = _Doc(text, windows, np.zeros((len(text), len(self.model.tags)),
                                                   dtype=np.float32), len(windows))
            for w in windows:
                batch.append((d, w))
                if len(batch) == batch_size:
                    self._run_ner_batch(batch, docs, results, span_rules)
                    batch = []
        if batch:
            self._run_ner_batch(batch, docs, results, span_rules)
        return results

    @torch.inference_mode()
    def tag_probs(self, text: str, batch_size: int = 8) -> np.ndarray:
        """Merged per-character tag probabilities [len(text), len(tags)] (NER pass only)."""
        windows = plan_windows(len(text), self.length, self.stride)
        probs = np.zeros((len(text), len(self.model.tags)), dtype=np.float32)
        for k in range(0, len(windows), batch_size):
            chunk = windows[k:k + batch_size]
            hidden = self._encode_batch([text[s:e] for s, e, _, _ in chunk])
            p = torch.softmax(self.model.ner_logits(hidden).float() / self.temperature, -1)
            p = p.cpu().numpy()
            for r, (s, e, os_, oe) in enumerate(chunk):
                probs[os_:oe] = p[r, 1 + os_ - s:1 + oe - s]
        return probs

    def batch_ids(self, texts: list[str]) -> tuple[torch.Tensor, torch.Tensor]:
        """Char ids and attention mask [B, T] (CPU, long) of window texts: [CLS] text [SEP],
        padded to the longest."""
        v = self.vocab
        width = max(len(t) for t in texts) + 2
        ids = torch.full((len(texts), width), v.pad_id, dtype=torch.long)
        mask = torch.zeros((len(texts), width), dtype=torch.long)
        for r, t in enumerate(texts):
            ids[r, 0] = v.cls_id
            ids[r, 1:len(t) + 1] = torch.as_tensor(v.encode(t), dtype=torch.long)
            ids[r, len(t) + 1] = v.sep_id
            mask[r, :len(t) + 2] = 1
        return ids, mask

    def _encode_batch(self, texts: list[str]):
        ids, mask = self.batch_ids(texts)
        ids, mask = ids.to(self.device), mask.to(self.device)
        return self.model.encode(ids, mask).float()

    def _run_ner_batch(self, batch, docs, results, span_rules=None):
        texts = [docs[d].text[w[0]:w[1]] for d, w in batch]
        hidden = self._encode_batch(texts)
        logits = self.model.ner_logits(hidden).float() / self.temperature
        probs = torch.softmax(logits, dim=-1).cpu().numpy()
        keep = self.relation_context
        for r, (d, (s, e, os_, oe)) in enumerate(batch):
            doc = docs[d]
            doc.probs[os_:oe] = probs[r, 1 + os_ - s:1 + oe - s]
            if len(doc.windows) <= CACHE_WINDOWS:
                if keep == "owner":
                    if doc.states is None:
                        doc.states = hidden.new_empty((len(doc.text), hidden.shape[-1]))
                    doc.states[os_:oe] = hidden[r, 1 + os_ - s:1 + oe - s]
                else:
                    doc.cache[(s, e)] = hidden[r, :e - s + 2].clone()
            doc.remaining -= 1
            if doc.remaining == 0:
                results[d] = self._finish(doc, span_rules)
                del docs[d]

    def _finish(self, doc: _Doc, span_rules=None) -> dict:
        text = doc.text
        spans = decode_spans(doc.probs, text, self.model.tags, self.decode_method,
                             self.decode_reduce)
        entities = [{"type": t, "start": s, "end": e, "score": sc} for t, s, e, sc in spans]
        if span_rules is not None:
            entities = span_rules(text, entities)
        relations = self.classify_pairs(text, entities, doc.windows, doc.cache,
                                        states=doc.states)
        return {"entities": entities, "relations": relations}

    @torch.inference_mode()
    def classify_pairs(self, text: str, entities: list, windows=None, cache=None,
                       pairs=None, states=None) -> list[dict]:
        """Relations among ``entities`` (clean offsets) of ``text``; ``pairs`` defaults to the
        candidate pairs of the configured sentence window. ``cache`` ("pair" context) and
        ``states`` ("owner" context) are encoder states the NER pass kept, if any."""
        if pairs is None:
            pairs = candidate_pairs(text, entities, self.window, SentenceIndex(text))
        if not pairs:
            return []
        windows = windows if windows is not None else plan_windows(len(text), self.length,
                                                                   self.stride)
        if self.relation_context == "owner":
            return self._classify_owner(text, entities, pairs, windows, states)
        cache = cache if cache is not None else {}
        groups: dict = {}
        starts = [w[0] for w in windows]
        for p, (i, j) in enumerate(pairs):
            a, b = entities[i], entities[j]
            w = pair_window(min(a["start"], b["start"]), max(a["end"], b["end"]), len(text),
                            self.length, windows, starts)
            if w is not None:
                groups.setdefault(w, []).append(p)
        t2i = self.model.type2id
        kept_pairs, prob_rows = [], []
        keys = sorted(groups)
        bs = 8
        for k in range(0, len(keys), bs):         # windows not cached: encoded 8 at a time
            chunk = keys[k:k + bs]
            todo = [w for w in chunk if w not in cache]
            hidden = dict((w, cache[w]) for w in chunk if w in cache)
            if todo:
                hid = self._encode_batch([text[s:e] for s, e in todo])
                for r, (s, e) in enumerate(todo):
                    hidden[(s, e)] = hid[r, :e - s + 2]
            for (s, e) in chunk:
                rows = []
                for p in groups[(s, e)]:
                    a, b = entities[pairs[p][0]], entities[pairs[p][1]]
                    rows.append((0, a["start"] - s + 1, a["end"] - s, b["start"] - s + 1,
                                 b["end"] - s, t2i[a["type"]], t2i[b["type"]]))
                hid = hidden[(s, e)].unsqueeze(0)
                ptensor = torch.tensor(rows, dtype=torch.long, device=hid.device)
                logits = self.model.relation_logits(hid, ptensor).float()
                prob_rows.append(torch.softmax(logits, dim=-1).cpu().numpy())
                kept_pairs.extend(pairs[p] for p in groups[(s, e)])
        return self._decode(prob_rows, kept_pairs, entities)

    def _decode(self, prob_rows: list, pairs: list, entities: list) -> list[dict]:
        """Kept relations of ``pairs`` from their class probabilities (chunks of rows)."""
        if not prob_rows:
            return []
        rels = decode_relations(np.concatenate(prob_rows, axis=0), pairs, entities,
                                self.model.relation_types)
        rels.sort(key=lambda r: (r["head"], r["tail"]))
        return rels


    def _owner_states(self, text: str, windows, chars: list[int]) -> torch.Tensor:
        """States [len(chars), H] of the (sorted) character positions ``chars``, each from the
        window that owns it; only the windows owning one of them are encoded."""
        own_starts = [w[2] for w in windows]
        by_window: dict = {}
        for k, c in enumerate(chars):
            by_window.setdefault(bisect.bisect_right(own_starts, c) - 1, []).append(k)
        out = None
        keys = sorted(by_window)
        for b in range(0, len(keys), 8):
            chunk = keys[b:b + 8]
            hid = self._encode_batch([text[windows[w][0]:windows[w][1]] for w in chunk])
            if out is None:
                out = hid.new_empty((len(chars), hid.shape[-1]))
            for r, w in enumerate(chunk):
                ks = by_window[w]
                pos = torch.tensor([chars[k] - windows[w][0] + 1 for k in ks], device=hid.device)
                out[torch.tensor(ks, device=hid.device)] = hid[r, pos]
        return out

    def _classify_owner(self, text, entities, pairs, windows, states) -> list[dict]:
        chars = sorted({c for pair in pairs for i in pair
                        for c in (entities[i]["start"], entities[i]["end"] - 1)})
        at = {c: k for k, c in enumerate(chars)}
        if states is not None:
            hid = states[torch.tensor(chars, device=states.device)]
        else:
            hid = self._owner_states(text, windows, chars)
        t2i = self.model.type2id
        rows, dist = [], []
        for i, j in pairs:
            a, b = entities[i], entities[j]
            rows.append((0, at[a["start"]], at[a["end"] - 1], at[b["start"]], at[b["end"] - 1],
                         t2i[a["type"]], t2i[b["type"]]))
            dist.append(b["start"] - a["start"])
        prob_rows = []
        for k in range(0, len(rows), 1024):           # bounded memory for very many pairs
            ptensor = torch.tensor(rows[k:k + 1024], dtype=torch.long, device=hid.device)
            dtensor = torch.tensor(dist[k:k + 1024], dtype=torch.long, device=hid.device)
            logits = self.model.relation_logits(hid.unsqueeze(0), ptensor, dtensor).float()
            prob_rows.append(torch.softmax(logits, dim=-1).cpu().numpy())
        return self._decode(prob_rows, list(pairs), entities)


def quantize_model(model: LawieModel, stats=None, alpha=None) -> LawieModel:
    """Int8 of the model (lawie.infer.quantize): smoothed by the calibration `stats` when given."""
    from lawie.infer.quantize import DEFAULT_ALPHA
    from lawie.infer.quantize import quantize_model as _quantize
    return _quantize(model, stats, DEFAULT_ALPHA if alpha is None else alpha)
