"""``python -m lawie.train.restrict IN.jsonl OUT.jsonl --leave-out SENTENCE,CHARGE``: the documents
of IN with the entities of the named types left out, and the relations to and from them (their
spans become plain text, as ``base.extend_heads = false`` reads a later guideline's documents).
What the model card's before / after trainings of the generator's act breadth were trained on: a
model trained from the base on such documents learns the shipped model's seven types, and the
output rules read SENTENCE and CHARGE for it as for the shipped weights."""
from __future__ import annotations

import argparse
import json
import sys

from lawie.labels.schema import ENTITY_TYPES, RELATION_TYPES
from lawie.train.fit import restrict_doc


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m lawie.train.restrict",
                                 description="leave entity types out of annotated documents")
    ap.add_argument("src", help="annotated documents (JSONL)")
    ap.add_argument("out", help="the JSONL to write")
    ap.add_argument("--leave-out", required=True,
                    help=f"comma-separated entity types (of {', '.join(ENTITY_TYPES)})")
    args = ap.parse_args(argv)
    gone = {t.strip() for t in args.leave_out.split(",") if t.strip()}
    unknown = sorted(gone - set(ENTITY_TYPES))
    if unknown:
        print(f"lawie.train.restrict: --leave-out: unknown entity type(s) {', '.join(unknown)}",
              file=sys.stderr)
        return 2
    keep = [t for t in ENTITY_TYPES if t not in gone]
    n = 0
    try:
        with open(args.src, encoding="utf-8") as fh, open(args.out, "w", encoding="utf-8") as out:
            for lineno, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    doc = json.loads(line)
                except json.JSONDecodeError as exc:
                    print(f"lawie.train.restrict: {args.src}:{lineno}: not JSON ({exc.msg})",
                          file=sys.stderr)
                    return 1
                out.write(json.dumps(restrict_doc(doc, keep, RELATION_TYPES),
                                     ensure_ascii=False) + "\n")
                n += 1
    except OSError as exc:
        print(f"lawie.train.restrict: {exc.filename}: {exc.strerror}", file=sys.stderr)
        return 1
    print(f"{n} documents written to {args.out} without {', '.join(sorted(gone))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
