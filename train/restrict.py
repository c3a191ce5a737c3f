"""``python -m lawie.train.restrict IN.jsonl OUT.jsonl --leave-out SENTENCE,CHARGE``: the documents
of IN with the entities of the named types left out, and the relations to and from them (their
spans become plain text, as ``base.extend_heads = false`` reads a later guideline's documents).
What the model card's before / after trainings of the generator's act breadth were trained on: a
model trained from the base on such documents learns the shipped model's seven types, and the
output rules read SENTENCE and CHARGE for it as for the shipped weights."""
from __future__ import annotations

import argparse
import sys

from lawie.labels.schema import ENTITY_TYPES, RELATION_TYPES
from lawie.train.corpus import CorpusError, read_jsonl, write_jsonl
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
    try:       # streamed: the documents before a bad line are written
        n = write_jsonl((restrict_doc(d, keep, RELATION_TYPES) for d in read_jsonl(args.src)),
                        args.out)
    except CorpusError as exc:
        print(f"lawie.train.restrict: {exc}", file=sys.stderr)
        return 1
    print(f"{n} documents written to {args.out} without {', '.join(sorted(gone))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
