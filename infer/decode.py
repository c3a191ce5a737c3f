"""BIO tag probabilities -> entity spans in clean-text offsets.

``decode_spans(probs, text)`` takes per-character tag probabilities [n, len(tags)] and returns
``(type, start, end, score)`` tuples, ``[start, end)`` in the offsets of ``text``:

* the tag path is the best path under the BIO constraints (``method="viterbi"``: no I-X after O
  or after another type) or the per-character argmax (``method="greedy"``), where an I-X that
  does not continue an X span is repaired into the start of a new X span;
* a span's score is the mean (``reduce="mean"``) or the minimum (``reduce="min"``) over its
  characters of the probability of the tag the path chose there;
* spans are trimmed so that they neither start nor end on whitespace or punctuation, except the
  《》 that open and close a STATUTE; a span trimmed to nothing is dropped.
"""
from __future__ import annotations

import unicodedata

import numpy as np

from lawie.labels.schema import BIO_TAGS

_KEEP_EDGE = {"STATUTE": ("《", "》")}


def is_trimmable(ch: str) -> bool:
    """Whitespace, punctuation (Unicode P*) and separators/controls never bound a span."""
    if ch.isspace():
        return True
    cat = unicodedata.category(ch)
    return cat[0] in "PZC"


def _transition_mask(tags) -> np.ndarray:
    """allowed[i, j]: tag j may follow tag i; start_ok[j]: tag j may open a sequence."""
    n = len(tags)
    allowed = np.ones((n, n), dtype=bool)
    start_ok = np.ones(n, dtype=bool)
    for j, t in enumerate(tags):
        if t.startswith("I-"):
            typ = t[2:]
            start_ok[j] = False
            for i, s in enumerate(tags):
                allowed[i, j] = s in (f"B-{typ}", f"I-{typ}")
    return allowed, start_ok


_MASK_CACHE: dict = {}


def viterbi_path(probs: np.ndarray, tags=BIO_TAGS) -> np.ndarray:
    """Most probable tag sequence under the BIO constraints (emissions = log probabilities)."""
    n = probs.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    key = tuple(tags)
    if key not in _MASK_CACHE:
        allowed, start_ok = _transition_mask(tags)
        _MASK_CACHE[key] = (np.where(allowed, 0.0, -np.inf), np.where(start_ok, 0.0, -np.inf))
    trans, start = _MASK_CACHE[key]
    emit = np.log(np.clip(probs.astype(np.float64), 1e-12, None))
    back = np.zeros((n, len(tags)), dtype=np.int64)
    score = emit[0] + start
    cols = np.arange(len(tags))
    for i in range(1, n):
        cand = score[:, None] + trans               # [from, to]
        best = cand.argmax(axis=0)
        back[i] = best
        score = cand[best, cols] + emit[i]
    path = np.empty(n, dtype=np.int64)
    path[-1] = int(score.argmax())
    for i in range(n - 1, 0, -1):
        path[i - 1] = back[i, path[i]]
    return path


def path_to_spans(path, tags=BIO_TAGS) -> list[tuple[str, int, int]]:
    """Tag ids -> (type, start, end); an I-X that does not continue an X span opens one."""
    spans = []
    cur_type, cur_start = None, 0
    for i, tid in enumerate(path):
        tag = tags[int(tid)]
        if tag == "O":
            if cur_type is not None:
                spans.append((cur_type, cur_start, i))
            cur_type = None
            continue
        prefix, typ = tag.split("-", 1)
        if prefix == "I" and cur_type == typ:
            continue
        if cur_type is not None:
            spans.append((cur_type, cur_start, i))
        cur_type, cur_start = typ, i
    if cur_type is not None:
        spans.append((cur_type, cur_start, len(path)))
    return spans


def trim_span(text: str, typ: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) past whitespace/punctuation at both ends (keeping a STATUTE's 《》)."""
    keep_open, keep_close = _KEEP_EDGE.get(typ, ("", ""))
    while start < end and is_trimmable(text[start]) and text[start] not in keep_open:
        start += 1
    while end > start and is_trimmable(text[end - 1]) and text[end - 1] not in keep_close:
        end -= 1
    return start, end


def decode_spans(probs: np.ndarray, text: str, tags=BIO_TAGS, method: str = "viterbi",
                 reduce: str = "mean") -> list[tuple[str, int, int, float]]:
    """Per-char tag probabilities [len(text), len(tags)] -> [(type, start, end, score)]."""
    probs = np.asarray(probs)
    if probs.shape[0] != len(text):
        raise ValueError(f"decode_spans: {probs.shape[0]} rows of probabilities for a text of "
                         f"{len(text)} characters")
    if method == "viterbi":
        path = viterbi_path(probs, tags)
    elif method == "greedy":
        path = probs.argmax(axis=1)
    else:
        raise ValueError(f"decode_spans: unknown method {method!r} (viterbi or greedy)")
    if reduce not in ("mean", "min"):
        raise ValueError(f"decode_spans: unknown reduce {reduce!r} (mean or min)")
    chosen = probs[np.arange(len(path)), path] if len(path) else np.zeros(0)
    out = []
    for typ, s, e in path_to_spans(path, tags):
        s, e = trim_span(text, typ, s, e)
        if s >= e:
            continue
        seg = chosen[s:e]
        score = float(seg.mean() if reduce == "mean" else seg.min())
        out.append((typ, s, e, score))
    return out


def spans_to_tags(n: int, spans, tags=BIO_TAGS) -> list[str]:
    """(type, start, end[, ...]) spans -> BIO tag strings for n characters (later spans that
    overlap an earlier one are skipped)."""
    out = ["O"] * n
    for sp in sorted(spans, key=lambda s: (s[1], -(s[2] - s[1]))):
        typ, s, e = sp[0], sp[1], sp[2]
        if s < 0 or e > n or s >= e or any(t != "O" for t in out[s:e]):
            continue
        out[s] = f"B-{typ}"
        for i in range(s + 1, e):
            out[i] = f"I-{typ}"
    return out
