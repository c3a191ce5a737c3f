"""Do the guideline rules of the output (lawie.infer.spans: restructure_spans, refine_span;
lawie.infer.document: apply_spec_rules) agree with gold annotation? A rule that changes a gold
span, drops a gold entity or changes a gold relation encodes a convention the annotators do not
follow.

    python -m lawie.train.rulecheck corpus/gold/*.jsonl [../shared/dev/real-dev.jsonl] [-v]

Prints, per file, the gold spans restructure_spans or refine_span changes and the entities /
relations apply_spec_rules drops, adds or relabels when it is given the gold annotation; with -v
each change with the named rules (`lawie rules`) that make it: those without which it goes.
"""
from __future__ import annotations

import argparse
import copy
import sys

from lawie.infer.clean import clean
from lawie.infer.document import after_spun_approx, apply_spec_rules
from lawie.infer.spans import refine_span, restructure_spans
from lawie.train.corpus import CorpusError, read_jsonl


# the lists of check_doc's result: what the rules would change in the gold
CHANGE_KINDS = ("spans", "dropped", "retyped", "added", "removed")


def check_doc(doc: dict, disable: frozenset = frozenset()) -> dict:
    """{"spans": [(type, gold text, refined text or None)], "dropped": [...], "added": [...],
    "removed": [...], "named_twice": n} for one gold document; n counts the relations whose
    argument (a party, organ or statute) the document names more than once: where the
    nearest-mention rule chooses the mention. ``disable``: rule names switched off."""
    c = clean(doc["text"])
    ctext = c.text
    spans, cspans, views = [], [], []
    for e in doc["entities"]:
        cs, ce = c.to_clean(e["start"], e["end"])
        cspans.append((cs, ce))
        views.append(ctext[cs:ce])
        r = refine_span(e["type"], ctext, cs, ce, disable=disable) if cs < ce else None
        if r is not None and r != (cs, ce) and e["type"] in ("COUNT", "MONEY"):
            # as assemble maps it back: a spinner's stand-in for an approximation word (卓绝 for
            # 超过) stays outside the span in the original text
            os_, oe = c.to_original(*r)
            if (after_spun_approx(doc["text"], c, r[0], r[1], os_), oe) == (e["start"], e["end"]):
                r = (cs, ce)
        if r != (cs, ce):
            spans.append((e["type"], ctext[cs:ce], None if r is None else ctext[r[0]:r[1]]))
    pred = {"entities": [{"type": e["type"], "start": cs, "end": ce, "score": 1.0}
                         for e, (cs, ce) in zip(doc["entities"], cspans)], "relations": []}
    kept = {(e["type"], e["start"], e["end"]) for e in pred["entities"]}
    for e in restructure_spans(ctext, pred, disable)["entities"]:
        if (e["type"], e["start"], e["end"]) not in kept:
            spans.append((e["type"], "(restructured)", ctext[e["start"]:e["end"]]))
    ents = copy.deepcopy(doc["entities"])
    for e in ents:
        e.setdefault("score", 1.0)
    rels = [dict(r, score=1.0) for r in copy.deepcopy(doc["relations"])]
    kept_e, kept_r = apply_spec_rules(ents, rels, views, ctext, cspans, disable)
    by_id = {e["id"]: e for e in doc["entities"]}
    kept_ids = {e["id"] for e in kept_e}
    changed_type = [(by_id[e["id"]]["type"], e["type"], e["text"]) for e in kept_e
                    if e["type"] != by_id[e["id"]]["type"]]
    gold_r = {(r["head"], r["tail"], r["type"]) for r in doc["relations"]}
    got_r = {(r["head"], r["tail"], r["type"]) for r in kept_r}

    def show(h, t, role):
        return f"{by_id[h]['text']} -{role}-> {by_id[t]['text']}"
    named: dict[tuple, int] = {}
    for e, v in zip(doc["entities"], views):
        named[(e["type"], v)] = named.get((e["type"], v), 0) + 1
    view_of = {e["id"]: v for e, v in zip(doc["entities"], views)}
    twice = sum(1 for r in doc["relations"] if r["type"] != "alias_of"
                and by_id[r["tail"]]["type"] in ("PARTY", "AGENCY", "STATUTE")
                and named[(by_id[r["tail"]]["type"], view_of[r["tail"]])] > 1)
    return {"spans": spans, "named_twice": twice,
            "dropped": [(e["type"], e["text"]) for e in doc["entities"] if e["id"] not in kept_ids],
            "retyped": changed_type,
            "added": [show(*k) for k in sorted(got_r - gold_r)],
            "removed": [show(*k) for k in sorted(gold_r - got_r)]}


def blame(doc: dict, result: dict | None = None) -> dict:
    """{(kind, change): [rule names]}: for each change check_doc finds in the gold document, the
    rules without which it is not made (each switched off alone)."""
    from lawie.infer.rules import all_rules
    result = check_doc(doc) if result is None else result
    changes = {(k, repr(x)) for k in CHANGE_KINDS for x in result[k]}
    out: dict = {c: [] for c in changes}
    if not changes:
        return out
    for r in all_rules():
        if r.stage == "outcomes":                     # not run on gold (no model prediction)
            continue
        off = check_doc(doc, frozenset({r.name}))
        kept = {(k, repr(x)) for k in CHANGE_KINDS for x in off[k]}
        for c in changes - kept:
            out[c].append(r.name)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m lawie.train.rulecheck", description=__doc__.split("\n")[0])
    ap.add_argument("files", nargs="+", help="gold JSONL files")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every change")
    a = ap.parse_args(argv)
    status = 0
    for f in a.files:
        try:
            docs = read_jsonl(f)
        except (CorpusError, OSError) as e:
            print(f"error: {e}", file=sys.stderr)
            status = 2
            continue
        tot = {"entities": 0, "relations": 0, "spans": 0, "dropped": 0, "retyped": 0, "added": 0,
               "removed": 0, "named_twice": 0}
        lines = []
        for d in docs:
            r = check_doc(d)
            by = blame(d, r) if a.verbose else {}
            tot["entities"] += len(d["entities"])
            tot["relations"] += len(d["relations"])
            tot["named_twice"] += r["named_twice"]
            for k in CHANGE_KINDS:
                tot[k] += len(r[k])
                lines += [f"  {d['id']}: {k}: {x}"
                          + (f"  [{', '.join(by[(k, repr(x))]) or 'no single rule'}]"
                             if by.get((k, repr(x))) is not None else "") for x in r[k]]
        print(f"{f}: {tot['entities']} entities, {tot['relations']} relations "
              f"({tot['named_twice']} to a party, organ or statute named more than once); span rules change "
              f"{tot['spans']}; apply_spec_rules drops {tot['dropped']}, retypes {tot['retyped']}, "
              f"adds {tot['added']} and removes {tot['removed']} relations")
        if a.verbose:
            print("\n".join(lines))
    return status


if __name__ == "__main__":
    sys.exit(main())
