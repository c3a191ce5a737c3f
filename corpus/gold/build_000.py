"""Build corpus/gold/seed000.jsonl from the reviewed annotation source corpus/gold/src/seed000.ann.txt.

Source format (one item per line, `#` starts a comment line, blank lines are ignored):

    SEG <doc id> offset=<start in the seed file> case=<case> rendering=<r> date=<ISO or ->
    T<n> <TYPE> <span text> @<k> <norm key>=<value> ...
    R <role> T<head> T<tail>

A segment runs from its offset to the next segment's offset (the last one to the end of the file),
so the segments cover the seed file exactly. `@k` picks the k-th occurrence of the span text in the
segment text (occurrences inside longer spans count too). A norm value `-` is null; numbers are
typed by field (COUNT/MONEY value, min, max; STATUTE article). Run `python corpus/gold/build_000.py`
(or `--check` to validate without writing); it refuses to write when a check fails.

Other build scripts (build_003.py) reuse `build` and `check_doc` from this file.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NUMERIC = {"COUNT": ("value", "min", "max"), "MONEY": ("value", "min", "max"),
           "STATUTE": ("article", "article_sub"), "SENTENCE": ("months", "min", "max")}
# guideline version 2 norm fields a source line may leave out (null)
DEFAULTS = {"STATUTE": {"article_sub": None}, "SENTENCE": {"months": None}}


class SourceError(ValueError):
    pass


def _value(etype: str, key: str, raw: str):
    if raw == "-":
        return None
    if key in NUMERIC.get(etype, ()):
        num = float(raw)
        return int(num) if num == int(num) else num
    return raw


def parse_source(path: Path) -> list[dict]:
    """Read an .ann.txt file into segment dicts {id, offset, meta, entities, relations}."""
    segments: list[dict] = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        where = f"{path.name}:{lineno}"
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split(" ")
        if parts[0] == "SEG":
            kv = dict(p.split("=", 1) for p in parts[2:])
            segments.append({"id": parts[1], "offset": int(kv.pop("offset")),
                             "meta": {k: (None if v == "-" else v) for k, v in kv.items()},
                             "entities": [], "relations": [], "where": where})
            continue
        if not segments:
            raise SourceError(f"{where}: annotation line before the first SEG line")
        if parts[0] == "R":
            if len(parts) != 4:
                raise SourceError(f"{where}: relation lines are 'R role Thead Ttail'")
            segments[-1]["relations"].append({"type": parts[1], "head": parts[2],
                                              "tail": parts[3], "where": where})
            continue
        if len(parts) < 4 or not parts[3].startswith("@"):
            raise SourceError(f"{where}: entity lines are 'T<n> TYPE text @k key=value ...'")
        tid, etype, etext, occ = parts[:4]
        norm = {}
        for p in parts[4:]:
            key, _, raw = p.partition("=")
            norm[key] = _value(etype, key, raw)
        for key, default in DEFAULTS.get(etype, {}).items():
            norm.setdefault(key, default)
        segments[-1]["entities"].append({"id": tid, "type": etype, "text": etext,
                                         "occurrence": int(occ[1:]), "norm": norm,
                                         "where": where})
    return segments


def _find(text: str, needle: str, k: int) -> int:
    pos = -1
    for _ in range(k):
        pos = text.find(needle, pos + 1)
        if pos < 0:
            return -1
    return pos


def build(src_path: Path, seed_path: Path, source_name: str) -> list[dict]:
    """Turn the annotation source into JSONL documents (segments of the seed file)."""
    with open(seed_path, encoding="utf-8", newline="") as fh:
        seed = fh.read()
    segments = parse_source(src_path)
    docs = []
    for i, seg in enumerate(segments):
        end = segments[i + 1]["offset"] if i + 1 < len(segments) else len(seed)
        text = seed[seg["offset"]:end]
        entities = []
        for ent in seg["entities"]:
            start = _find(text, ent["text"], ent["occurrence"])
            if start < 0:
                raise SourceError(f"{ent['where']}: occurrence {ent['occurrence']} of "
                                  f"{ent['text']!r} not in segment {seg['id']}")
            entities.append({"id": ent["id"], "type": ent["type"], "start": start,
                             "end": start + len(ent["text"]), "text": ent["text"],
                             "norm": ent["norm"]})
        entities.sort(key=lambda e: (e["start"], e["end"]))
        meta = {"source": source_name, "offset": seg["offset"], **seg["meta"]}
        relations = [{"type": r["type"], "head": r["head"], "tail": r["tail"]}
                     for r in seg["relations"]]
        docs.append({"id": seg["id"], "text": text, "meta": meta, "entities": entities,
                     "relations": relations})
    return docs


def check_doc(doc: dict) -> list[str]:
    """Problems of one document: the project's validation (lawie.train.corpus.validate_doc) plus
    the gold-only rule that spans do not overlap (empty list = fine)."""
    from lawie.train.corpus import validate_doc
    probs = list(validate_doc(doc))
    spans = sorted((e["start"], e["end"], e["id"]) for e in doc["entities"])
    for (s1, e1, i1), (s2, _, i2) in zip(spans, spans[1:]):
        if s2 < e1:
            probs.append(f"{doc['id']}: {i1} and {i2} overlap")
    return probs


def check_cover(docs: list[dict], seed_path: Path) -> list[str]:
    with open(seed_path, encoding="utf-8", newline="") as fh:
        seed = fh.read()
    joined = "".join(d["text"] for d in docs)
    probs = [] if joined == seed else [f"segments do not cover {seed_path.name} exactly"]
    for d in docs:
        if seed[d["meta"]["offset"]:d["meta"]["offset"] + len(d["text"])] != d["text"]:
            probs.append(f"{d['id']}: text is not the seed substring at its offset")
    if len({d["id"] for d in docs}) != len(docs):
        probs.append("duplicate document ids")
    return probs


def main(src: str, seed: str, out: str, argv: list[str]) -> int:
    src_path, seed_path, out_path = ROOT / src, ROOT / seed, ROOT / out
    try:
        docs = build(src_path, seed_path, seed)
    except (SourceError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    probs = check_cover(docs, seed_path)
    for d in docs:
        probs += check_doc(d)
    for p in probs:
        print(f"error: {p}", file=sys.stderr)
    if probs:
        return 1
    if "--check" not in argv:
        with open(out_path, "w", encoding="utf-8", newline="\n") as fh:
            for d in docs:
                fh.write(json.dumps(d, ensure_ascii=False) + "\n")
    n_ent = sum(len(d["entities"]) for d in docs)
    n_rel = sum(len(d["relations"]) for d in docs)
    print(f"{out}: {len(docs)} documents, {n_ent} entities, {n_rel} relations")
    return 0


if __name__ == "__main__":
    sys.exit(main("corpus/gold/src/seed000.ann.txt", "corpus/seeds/000_61f4d15827f4cff6.txt",
                  "corpus/gold/seed000.jsonl", sys.argv[1:]))
