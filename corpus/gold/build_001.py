"""Build corpus/gold/seed001.jsonl from the reviewed annotation source corpus/gold/src/seed001.ann.txt.

Source format (one item per line, '#' starts a comment line):
  == <doc id> case=<case> rendering=<clean|spun|traditional> date=<ISO> offset=<start in the seed file>
  T<k> <TYPE> <span text> @<n> <norm as JSON>     # the n-th occurrence of <span text> in the segment
  R <role> <head id> <tail id>
A segment runs from its offset to the next segment's offset (the last one to the end of the file),
so the segments cover the seed file exactly. Run from the repository root:
  python corpus/gold/build_001.py            # writes corpus/gold/seed001.jsonl
  python corpus/gold/build_001.py --check    # verifies that the JSONL is up to date
"""
import json
import re
import sys
import unicodedata
from pathlib import Path

from lawie.labels.schema import ACTION_KINDS, AGENCY_KINDS, ENTITY_TYPES, PARTY_KINDS, relation_allowed

ROOT = Path(__file__).resolve().parents[2]
ENT_RE = re.compile(r"^(T\d+) (\S+) (.+?) @(\d+) (\{.*\})$")
SEG_RE = re.compile(r"^== (\S+) case=(\S+) rendering=(\S+) date=(\S+) offset=(\d+)$")


def _bad_edge(ch: str, allowed: str) -> bool:
    if ch in allowed:
        return False
    return ch.isspace() or unicodedata.category(ch)[0] in "PZS"


def _nth(text: str, sub: str, n: int) -> int:
    k = -1
    for _ in range(n):
        k = text.find(sub, k + 1)
        if k < 0:
            return -1
    return k


def parse(ann_path: Path, seed_text: str, source: str) -> list:
    docs, errors = [], []
    for lineno, line in enumerate(ann_path.read_text(encoding="utf-8").splitlines(), 1):
        where = f"{ann_path.name}:{lineno}"
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("=="):
            m = SEG_RE.match(line)
            if not m:
                errors.append(f"{where}: bad segment line")
                continue
            did, case, rendering, date, off = m.groups()
            docs.append({"id": did, "offset": int(off), "meta": {"source": source, "offset": int(off), "case": case,
                                                                  "rendering": rendering, "date": date},
                         "ents": [], "rels": []})
        elif line.startswith("R "):
            parts = line.split()
            if len(parts) != 4:
                errors.append(f"{where}: bad relation line")
                continue
            docs[-1]["rels"].append((parts[1], parts[2], parts[3], where))
        else:
            m = ENT_RE.match(line)
            if not m:
                errors.append(f"{where}: bad entity line")
                continue
            tid, typ, span, n, norm = m.groups()
            docs[-1]["ents"].append((tid, typ, span, int(n), json.loads(norm), where))
    if not docs or docs[0]["offset"] != 0:
        errors.append("the first segment must start at offset 0")
    out = []
    for i, d in enumerate(docs):
        end = docs[i + 1]["offset"] if i + 1 < len(docs) else len(seed_text)
        if end <= d["offset"]:
            errors.append(f"{d['id']}: segments out of order")
            continue
        text = seed_text[d["offset"]:end]
        ents, by_id = [], {}
        for tid, typ, span, n, norm, where in d["ents"]:
            k = _nth(text, span, n)
            if k < 0:
                errors.append(f"{where}: occurrence {n} of {span!r} not in {d['id']}")
                continue
            if typ not in ENTITY_TYPES:
                errors.append(f"{where}: unknown type {typ}")
            if _bad_edge(span[0], "《") or _bad_edge(span[-1], "》"):
                errors.append(f"{where}: span {span!r} starts or ends with whitespace/punctuation")
            kind = norm.get("kind")
            if (typ == "ACTION" and kind not in ACTION_KINDS) or (typ == "AGENCY" and kind not in AGENCY_KINDS) \
                    or (typ == "PARTY" and kind not in PARTY_KINDS):
                errors.append(f"{where}: bad kind {kind!r} for {typ}")
            if tid in by_id:
                errors.append(f"{where}: duplicate id {tid}")
            if typ == "STATUTE":
                norm.setdefault("article_sub", None)        # guideline version 2
            e = {"id": tid, "type": typ, "start": k, "end": k + len(span), "text": span, "norm": norm}
            by_id[tid] = e
            ents.append(e)
        ents.sort(key=lambda e: (e["start"], e["end"]))
        for a, b in zip(ents, ents[1:]):
            if b["start"] < a["end"]:
                errors.append(f"{d['id']}: {a['id']} and {b['id']} overlap")
        rels, seen = [], set()
        for role, h, t, where in d["rels"]:
            if h not in by_id or t not in by_id:
                errors.append(f"{where}: unknown id in relation")
                continue
            if not relation_allowed(role, by_id[h]["type"], by_id[t]["type"]):
                errors.append(f"{where}: {role} not allowed from {by_id[h]['type']} to {by_id[t]['type']}")
            if (role, h, t) in seen:
                errors.append(f"{where}: duplicate relation")
            seen.add((role, h, t))
            rels.append({"type": role, "head": h, "tail": t})
        out.append({"id": d["id"], "text": text, "meta": d["meta"], "entities": ents, "relations": rels})
    if errors:
        raise SystemExit("annotation errors:\n" + "\n".join(errors))
    return out


def build(nnn: str, seed_name: str, argv: list) -> int:
    seed_path = ROOT / "corpus" / "seeds" / seed_name
    ann_path = ROOT / "corpus" / "gold" / "src" / f"seed{nnn}.ann.txt"
    out_path = ROOT / "corpus" / "gold" / f"seed{nnn}.jsonl"
    with open(seed_path, encoding="utf-8", newline="") as f:
        seed_text = f.read()
    docs = parse(ann_path, seed_text, f"corpus/seeds/{seed_name}")
    assert "".join(d["text"] for d in docs) == seed_text
    payload = "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs)
    if "--check" in argv:
        current = out_path.read_text(encoding="utf-8") if out_path.exists() else ""
        if current != payload:
            print(f"{out_path.name} is out of date: run python corpus/gold/build_{nnn}.py", file=sys.stderr)
            return 1
        print(f"{out_path.name}: up to date ({len(docs)} documents)")
        return 0
    out_path.write_text(payload, encoding="utf-8")
    n_ent = sum(len(d["entities"]) for d in docs)
    n_rel = sum(len(d["relations"]) for d in docs)
    print(f"wrote {out_path.relative_to(ROOT)}: {len(docs)} documents, {n_ent} entities, {n_rel} relations")
    return 0


if __name__ == "__main__":
    sys.exit(build("001", "001_2327444aec0ac3df.txt", sys.argv[1:]))
