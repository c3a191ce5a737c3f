"""Long documents, a segment at a time: a text longer than ``SEGMENT_CHARS`` is cut into segments at
paragraph breaks (else at sentence ends, else at the size), each segment goes through the whole
flow (clean -> encode -> spans -> rules -> relations -> normalize) on its own, and the segments'
outputs are joined into one document with offsets into the whole text. Working memory is then that
of one segment (plus the output itself), whatever the document's length.

    cut(text, size)                     -> [(start, end), ...] covering text, each at most size
    join(doc_id, text, meta, parts)     -> one output document from (offset, segment output) pairs

What a segment cannot see: a relation between mentions in two segments (a segment is a few
thousand sentences, so only the sentences around a cut are concerned), and a year-less date at the
start of a segment is read against the document's date, not the last date of the previous
segment. The organ-name rule (the fullest name the text gives) runs again on the joined document.
"""
from __future__ import annotations

import re

SEGMENT_CHARS = 20_000

_PARAGRAPH = re.compile(r"\n")
_SENTENCE = re.compile(r"[。！？!?；;]")


def _last_break(text: str, start: int, end: int, pattern: re.Pattern) -> int | None:
    """The position just after the last match of `pattern` in text[start:end] that lies in its
    second half (so that no segment is tiny), or None."""
    lo = start + (end - start) // 2
    found = None
    for m in pattern.finditer(text, lo, end):
        found = m.end()
    return found


def cut(text: str, size: int = SEGMENT_CHARS) -> list[tuple[int, int]]:
    """Segments (start, end) that cover `text` in order, each at most `size` characters, cut after
    a line break where there is one in the segment's second half, else after a sentence end,
    else at the size. A text of at most `size` characters is one segment."""
    if size < 2:
        raise ValueError(f"segment size {size!r}: expected at least 2 characters")
    out, start, n = [], 0, len(text)
    while n - start > size:
        end = start + size
        at = _last_break(text, start, end, _PARAGRAPH) or _last_break(text, start, end, _SENTENCE)
        if at is None:
            at = end
            # never between a surrogate-free pair that clean() reads as one unit: \r\n
            if text[at - 1] == "\r" and at < n and text[at] == "\n":
                at -= 1
        out.append((start, at))
        start = at
    out.append((start, n))
    return out


def join(doc_id: str, text: str, meta: dict, parts: list[tuple[int, dict]],
         resolve_names=None) -> dict:
    """One output document from its segments' outputs: `parts` holds (offset of the segment in
    `text`, the segment's output document). Entities are shifted by their segment's offset and
    numbered T1..Tn in text order, relations follow their entities, events are built again over
    the whole document. `resolve_names(entities, relations)`, when given, runs the document-level
    organ-name rule over the joined entities."""
    from lawie.infer.document import build_events
    entities, relations = [], []
    for offset, part in parts:
        new_id = {}
        for e in part["entities"]:
            new_id[e["id"]] = f"T{len(entities) + 1}"
            entities.append(dict(e, id=new_id[e["id"]], start=e["start"] + offset,
                                 end=e["end"] + offset))
        for r in part["relations"]:
            relations.append(dict(r, head=new_id[r["head"]], tail=new_id[r["tail"]]))
    if resolve_names is not None:
        resolve_names(entities, relations)
    meta = dict(meta)
    if len(parts) > 1:
        meta["segments"] = len(parts)
    # the segments' meta (rules_disabled) is the same for each
    for key, value in (parts[0][1].get("meta") or {}).items() if parts else ():
        meta.setdefault(key, value)
    return {"id": doc_id, "text": text, "meta": meta, "entities": entities,
            "relations": relations, "events": build_events(entities, relations)}
