"""How well the scores of a model's output match how often it is right: expected calibration error
(ECE) of entity scores per type and of relation scores, on gold documents.

    python -m lawie.train.calibrate --model models/lawie-small --gold ../shared/dev/real-dev.jsonl \
        --half study [--json out.json]

A predicted entity is right when a gold entity has its type and span (one to one); a predicted
relation is right when a gold relation joins entities of the same types and spans with the same
role. Scores fall into 10 equal-width bins; ECE = sum over bins of (share of predictions in the bin)
x |accuracy - mean score|. `score_temperatures` fits one temperature per entity type on the scores
(s -> sigmoid(logit(s) / T)) and `apply_score_temperatures` applies them, to measure whether
per-type temperatures help on documents they were not fitted on.
"""
from __future__ import annotations

import json
import math
import sys
from pathlib import Path

from lawie.train.evaluate import calibration

BINS = 10
TEMPERATURES = tuple(round(0.25 + 0.05 * i, 2) for i in range(76))     # 0.25 .. 4.0


def _only(docs, etype):
    return [dict(d, entities=[e for e in d.get("entities", []) if e.get("type") == etype])
            for d in docs]


def entity_ece_per_type(gold: list[dict], pred: list[dict], bins: int = BINS) -> dict:
    """{type: {"ece", "n"}} over the types predicted or annotated, and "all"."""
    types = sorted({e["type"] for d in gold + pred for e in d.get("entities", [])})
    out = {}
    for t in types:
        c = calibration(_only(gold, t), _only(pred, t), bins=bins)
        out[t] = {"ece": c["ece"], "n": c["n"]}
    c = calibration(gold, pred, bins=bins)
    out["all"] = {"ece": c["ece"], "n": c["n"]}
    return out


def _ece(points, bins: int = BINS) -> float:
    if not points:
        return 0.0
    acc = [[0, 0.0, 0] for _ in range(bins)]
    for s, ok in points:
        b = min(int(min(max(s, 0.0), 1.0) * bins), bins - 1)
        acc[b][0] += 1
        acc[b][1] += s
        acc[b][2] += ok
    return sum(k / len(points) * abs(c / k - ss / k) for k, ss, c in acc if k)


def relation_points(gold: list[dict], pred: list[dict]) -> list[tuple[float, int]]:
    """(score, right) of every scored predicted relation of documents that are in ``gold``."""
    def keys(doc):
        ents = {e["id"]: (e["type"], e["start"], e["end"]) for e in doc.get("entities", [])}
        return ents
    gold_by = {d["id"]: d for d in gold}
    points = []
    for p in pred:
        g = gold_by.get(p["id"])
        if g is None:
            continue
        ge = keys(g)
        want = {(ge[r["head"]], ge[r["tail"]], r["type"]) for r in g.get("relations", [])
                if r["head"] in ge and r["tail"] in ge}
        pe = keys(p)
        for r in p.get("relations", []):
            if isinstance(r.get("score"), (int, float)):
                key = (pe.get(r["head"]), pe.get(r["tail"]), r["type"])
                points.append((float(r["score"]), int(key in want)))
    return points


def relation_ece(gold: list[dict], pred: list[dict], bins: int = BINS) -> dict:
    pts = relation_points(gold, pred)
    return {"ece": _ece(pts, bins), "n": len(pts)}


def _temper(s: float, t: float) -> float:
    s = min(max(s, 1e-6), 1 - 1e-6)
    return 1.0 / (1.0 + math.exp(-math.log(s / (1 - s)) / t))


def apply_score_temperatures(pred: list[dict], temps: dict) -> list[dict]:
    """Copies of ``pred`` with each entity score passed through its type's temperature."""
    out = []
    for d in pred:
        ents = [dict(e, score=_temper(e["score"], temps.get(e["type"], 1.0)))
                if isinstance(e.get("score"), (int, float)) else e for e in d["entities"]]
        out.append(dict(d, entities=ents))
    return out


def score_temperatures(gold: list[dict], pred: list[dict]) -> dict:
    """{type: temperature} minimizing each type's entity ECE on (gold, pred)."""
    temps = {}
    for t in sorted({e["type"] for d in pred for e in d.get("entities", [])}):
        g, p = _only(gold, t), _only(pred, t)
        temps[t] = min(TEMPERATURES, key=lambda x: (round(calibration(
            g, apply_score_temperatures(p, {t: x}), bins=BINS)["ece"], 9), abs(x - 1)))
    return temps


def report(model=None, gold_path=None, half: str | None = None) -> dict:
    from lawie.infer.api import Extractor
    from lawie.train.corpus import read_jsonl
    from lawie.train.suite import predict_docs
    docs = list(read_jsonl(gold_path))
    if half:
        docs = [d for d in docs if (d.get("meta") or {}).get("half") == half]
    ex = Extractor.load(model, precision="float32")
    pred = predict_docs(ex, docs)
    return {"model": str(ex.model_dir), "gold": str(gold_path), "half": half, "docs": len(docs),
            "entities": entity_ece_per_type(docs, pred), "relations": relation_ece(docs, pred)}


def main(argv=None) -> int:
    import argparse
    ap = argparse.ArgumentParser(prog="python -m lawie.train.calibrate",
                                 description=__doc__.split("\n")[0])
    ap.add_argument("--model", default=None)
    ap.add_argument("--gold", required=True)
    ap.add_argument("--half", default=None, help="only documents whose meta.half is this")
    ap.add_argument("--json", default=None)
    a = ap.parse_args(argv)
    if not Path(a.gold).is_file():
        print(f"lawie: error: {a.gold}: no such file", file=sys.stderr)
        return 2
    r = report(a.model, a.gold, a.half)
    print(f"{r['model']} on {r['gold']} ({r['half'] or 'all'}, {r['docs']} docs)")
    for t, v in r["entities"].items():
        print(f"  {t:<9} ECE {v['ece']:.3f}  ({v['n']} predicted)")
    print(f"  relations ECE {r['relations']['ece']:.3f}  ({r['relations']['n']} predicted)")
    if a.json:
        Path(a.json).write_text(json.dumps(r, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
