"""Relation candidates and their decoding.

Candidates are directed pairs (head index, tail index) into a document's entity list:

* ACTION -> any entity whose type some role allows for an ACTION head (``roles_for``);
* AGENCY/PARTY -> an AGENCY/PARTY of the same type (``alias_of``), when the head is a shorter
  mention that comes after the tail, or has 简称/简 称 written just before it;

both only when the two entities lie within ``window`` sentences of each other (0 = the same
sentence). Sentence boundaries: after 。！？；!?; and newlines (plus closing quotes/brackets that
follow them). hanlp's ``split_sentence`` strips whitespace and does not report offsets, so it is
not used here.

``decode_relations`` keeps, per candidate, the most probable class among "none" and the roles
that ``relation_allowed`` admits for the pair's types; its score is that class's softmax
probability.
"""
from __future__ import annotations

import bisect
import re

import numpy as np

from lawie.labels.schema import RELATION_TYPES, relation_allowed, roles_for

_SENT_END = re.compile(r"[。！？；!?;]+[”’」』）)\"']*|\n+")
ALIAS_CUES = ("简称", "下称", "简 称")
ALIAS_CUE_SPAN = 8          # characters before the short form searched for a cue


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) of each sentence; the spans tile the whole text."""
    spans, start = [], 0
    for m in _SENT_END.finditer(text):
        end = m.end()
        if end > start:
            spans.append((start, end))
        start = end
    if start < len(text) or not spans:
        spans.append((start, len(text)))
    return spans


class SentenceIndex:
    """Char offset -> sentence number."""

    def __init__(self, text: str):
        self.spans = sentence_spans(text)
        self._starts = [s for s, _ in self.spans]

    def __call__(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self._starts, offset) - 1)


def _ent(e):
    """(type, start, end) of an entity given as a dict or a tuple."""
    if isinstance(e, dict):
        return e["type"], int(e["start"]), int(e["end"])
    return e[0], int(e[1]), int(e[2])


_ACTION_TAIL_TYPES_CACHE: dict = {}


def _action_tail_ok(tail_type: str) -> bool:
    if tail_type not in _ACTION_TAIL_TYPES_CACHE:
        _ACTION_TAIL_TYPES_CACHE[tail_type] = bool(roles_for("ACTION", tail_type))
    return _ACTION_TAIL_TYPES_CACHE[tail_type]


def is_alias_candidate(text: str, head, tail) -> bool:
    """Head may be a short form (alias) of tail."""
    ht, hs, he = head
    tt, ts, te = tail
    if ht != tt or ht not in ("AGENCY", "PARTY") or (hs, he) == (ts, te):
        return False
    if text[hs:he] == text[ts:te]:
        return False
    if hs >= te and (he - hs) < (te - ts):
        return True
    before = text[max(0, hs - ALIAS_CUE_SPAN):hs]
    return any(c in before for c in ALIAS_CUES)


def candidate_pairs(text: str, entities, window: int,
                    sentences: SentenceIndex | None = None) -> list[tuple[int, int]]:
    """Directed candidate pairs (head, tail) of entity indices within ``window`` sentences."""
    if window < 0:
        raise ValueError(f"candidate_pairs: window must be >= 0, got {window}")
    ents = [_ent(e) for e in entities]
    sent = sentences or SentenceIndex(text)
    sid = [sent(s) for _, s, _ in ents]
    in_sentence: dict[int, list[int]] = {}
    for j, k in enumerate(sid):
        in_sentence.setdefault(k, []).append(j)
    pairs = []
    for i, (hty, hs, he) in enumerate(ents):
        if hty not in ("ACTION", "AGENCY", "PARTY"):
            continue
        # the entities within the window, in index order (as a scan over all of them gives),
        # found through their sentences so that a long document stays linear
        near = sorted(j for k in range(sid[i] - window, sid[i] + window + 1)
                      for j in in_sentence.get(k, ()))
        if hty == "ACTION":
            pairs += [(i, j) for j in near if j != i and _action_tail_ok(ents[j][0])]
        else:
            pairs += [(i, j) for j in near if j != i and is_alias_candidate(text, ents[i], ents[j])]
    return pairs


def allowed_mask(entities, pairs, relation_types=RELATION_TYPES) -> np.ndarray:
    """[P, len(relation_types) + 1] booleans: class allowed for the pair (column 0 = none)."""
    ents = [_ent(e) for e in entities]
    mask = np.zeros((len(pairs), len(relation_types) + 1), dtype=bool)
    mask[:, 0] = True
    for p, (i, j) in enumerate(pairs):
        for r, role in enumerate(relation_types, start=1):
            mask[p, r] = relation_allowed(role, ents[i][0], ents[j][0])
    return mask


def decode_relations(probs: np.ndarray, pairs, entities,
                     relation_types=RELATION_TYPES) -> list[dict]:
    """Class probabilities [P, R+1] for candidate ``pairs`` -> kept relations
    ``{"head", "tail", "type", "score"}`` (one per pair at most)."""
    probs = np.asarray(probs, dtype=np.float64)
    if len(pairs) == 0:
        return []
    if probs.shape != (len(pairs), len(relation_types) + 1):
        raise ValueError(f"decode_relations: probabilities of shape {probs.shape} for "
                         f"{len(pairs)} pairs and {len(relation_types)} roles")
    masked = np.where(allowed_mask(entities, pairs, relation_types), probs, -1.0)
    best = masked.argmax(axis=1)
    out = []
    for p, (i, j) in enumerate(pairs):
        if best[p] == 0:
            continue
        out.append({"head": int(i), "tail": int(j), "type": relation_types[best[p] - 1],
                    "score": float(probs[p, best[p]])})
    return out
