"""The scorer: strict span, BIO (seqeval), normalization and relation scores of predicted
documents against gold documents, both in the corpus JSONL shape.

    evaluate(gold_docs, pred_docs) -> dict       (see the keys below)
    evaluate_files(gold_path, pred_path) -> dict
    format_report(result) -> str                 a readable table
    calibration(gold_docs, pred_docs, bins=10)   expected calibration error of entity scores

Conventions:
- Documents are matched by id. A gold document without a prediction counts as an empty
  prediction and is listed in result["documents"]["missing_in_pred"]; predicted documents with
  no gold are ignored and listed in "extra_in_pred". Same id with a different text is listed in
  "text_mismatch" (offsets are still compared as given).
- Entities match strictly on (start, end, type); a repeated identical prediction is a false
  positive. Relations match strictly on (head start, end, type; tail start, end, type; role).
  A relation whose head or tail id is unknown cannot match: a false positive in a prediction, a
  false negative in gold.
- P = tp/(tp+fp), R = tp/(tp+fn), F1 their harmonic mean, each 0 when its denominator is 0;
  when a category has no gold and no prediction at all its P/R/F1 are 1 (nothing to find,
  nothing found). Macro averages run over the categories that occur in gold or prediction.
- BIO: seqeval strict mode, IOB2, on the character BIO view (corpus.bio_from_entities: overlaps
  keep the longer entity), with the predicted entities tagged over the gold text's length.
- Norm accuracy: over true-positive pairs, per type, norm equal on the fields of the type
  (DATE start/end; COUNT value/min/max/unit/approx; MONEY value/min/max/currency/approx;
  AGENCY name/kind; STATUTE title/article/article_sub; PARTY kind; ACTION kind; SENTENCE
  penalty/months/min/max; CHARGE name: schema.NORM_FIELDS). A missing field equals null;
  numbers compare by value (37000 == 37000.0). `score` is ignored. Per-field accuracy too.
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict

from lawie.labels import schema
from lawie.train.corpus import CorpusError, bio_from_entities, load_corpus

__all__ = ["evaluate", "evaluate_files", "format_report", "calibration", "NORM_FIELDS", "prf"]

NORM_FIELDS = schema.NORM_FIELDS


def prf(tp: int, fp: int, fn: int) -> dict:
    """Precision, recall, F1 and counts of one category (conventions in the module docstring)."""
    if tp + fp + fn == 0:
        p = r = f = 1.0
    else:
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "tp": tp, "fp": fp, "fn": fn,
            "support": tp + fn}


def _table(counts: dict) -> dict:
    """{category: (tp, fp, fn)} -> {"per_type", "micro", "macro"}."""
    per = {k: prf(*v) for k, v in sorted(counts.items())}
    tp = sum(v[0] for v in counts.values())
    fp = sum(v[1] for v in counts.values())
    fn = sum(v[2] for v in counts.values())
    live = [m for m in per.values() if m["tp"] + m["fp"] + m["fn"] > 0]
    if live:
        macro = {k: sum(m[k] for m in live) / len(live) for k in ("precision", "recall", "f1")}
    else:
        macro = {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    return {"per_type": per, "micro": prf(tp, fp, fn), "macro": macro}


def _index(docs, side: str) -> dict:
    out = {}
    for i, d in enumerate(docs):
        if not isinstance(d, dict) or "id" not in d:
            raise CorpusError(f"{side} document #{i + 1} has no id")
        if d["id"] in out:
            raise CorpusError(f"{side} documents: duplicate id {d['id']!r}")
        out[d["id"]] = d
    return out


def _span(e: dict, doc_id, side: str) -> tuple:
    try:
        return (int(e["start"]), int(e["end"]), e["type"])
    except (KeyError, TypeError, ValueError):
        raise CorpusError(f"{side} document {doc_id}: entity {e.get('id', '?')} lacks "
                          f"start/end/type") from None


def _match(gold_ents, pred_ents, doc_id, gold_first_by=None):
    """Pair gold and predicted entities with equal (start, end, type), one to one, in list
    order (predictions in descending score order when gold_first_by='score')."""
    pool = defaultdict(list)
    for g in gold_ents:
        pool[_span(g, doc_id, "gold")].append(g)
    order = list(pred_ents)
    if gold_first_by == "score":
        order.sort(key=lambda e: -_score(e, 0.0))
    pairs, unmatched = [], []
    for p in order:
        k = _span(p, doc_id, "pred")
        if pool[k]:
            pairs.append((pool[k].pop(0), p))
        else:
            unmatched.append(p)
    return pairs, unmatched


def _score(e, default=None):
    s = e.get("score")
    return float(s) if isinstance(s, (int, float)) and not isinstance(s, bool) else default


def _same(a, b) -> bool:
    num = (int, float)
    if isinstance(a, num) and isinstance(b, num) and not isinstance(a, bool) \
            and not isinstance(b, bool):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return a == b


def _rel_keys(doc, doc_id, side):
    ents = {e.get("id"): e for e in doc.get("entities", [])}
    keys, dangling = [], []
    for r in doc.get("relations", []):
        h, t = ents.get(r.get("head")), ents.get(r.get("tail"))
        if h is None or t is None:
            dangling.append(r.get("type"))
            continue
        keys.append((r.get("type"), _span(h, doc_id, side), _span(t, doc_id, side)))
    return keys, dangling


def evaluate(gold_docs, pred_docs) -> dict:
    """Score predictions against gold. Returns a dict with keys
    documents  {n_gold, n_pred, n_scored, missing_in_pred, extra_in_pred, text_mismatch}
    entities   {per_type: {T: {precision, recall, f1, tp, fp, fn, support}}, micro, macro}
    bio        seqeval strict IOB2: {per_type: {T: {precision, recall, f1, support}}, micro, macro}
    norm       {per_type: {T: {n, correct, accuracy, fields: {f: accuracy}}}, micro: {...}}
    relations  {per_type: {role: ...}, micro, macro, dangling_gold, dangling_pred}"""
    gold = _index(gold_docs, "gold")
    pred = _index(pred_docs, "pred")
    missing = [i for i in gold if i not in pred]
    extra = [i for i in pred if i not in gold]
    mismatch = [i for i in gold if i in pred and pred[i].get("text") != gold[i].get("text")]

    ent_counts = defaultdict(lambda: [0, 0, 0])
    rel_counts = defaultdict(lambda: [0, 0, 0])
    norm_n = Counter()
    norm_ok = Counter()
    field_ok = defaultdict(Counter)
    y_true, y_pred = [], []
    dangling_gold = dangling_pred = 0

    for doc_id, g in gold.items():
        p = pred.get(doc_id, {"entities": [], "relations": []})
        g_ents, p_ents = g.get("entities", []), p.get("entities", [])
        pairs, fps = _match(g_ents, p_ents, doc_id)
        matched_gold = {id(x) for x, _ in pairs}
        for ge, pe in pairs:
            ent_counts[ge["type"]][0] += 1
            t = ge["type"]
            fields = NORM_FIELDS.get(t, ())
            gn = ge.get("norm") or {}
            pn = pe.get("norm") or {}
            all_ok = True
            for f in fields:
                ok = _same(gn.get(f), pn.get(f))
                field_ok[t][f] += ok
                all_ok &= ok
            norm_n[t] += 1
            norm_ok[t] += all_ok
        for pe in fps:
            ent_counts[pe["type"]][1] += 1
        for ge in g_ents:
            if id(ge) not in matched_gold:
                ent_counts[_span(ge, doc_id, "gold")[2]][2] += 1

        n = len(g.get("text", ""))
        y_true.append(bio_from_entities(n, g_ents))
        y_pred.append(bio_from_entities(n, p_ents))

        gk, gd = _rel_keys(g, doc_id, "gold")
        pk, pd = _rel_keys(p, doc_id, "pred")
        dangling_gold += len(gd)
        dangling_pred += len(pd)
        gc, pc = Counter(gk), Counter(pk)
        for k in gc | pc:
            tp = min(gc[k], pc[k])
            c = rel_counts[k[0]]
            c[0] += tp
            c[1] += pc[k] - tp
            c[2] += gc[k] - tp
        for role in gd:
            rel_counts[role][2] += 1
        for role in pd:
            rel_counts[role][1] += 1

    norm_per = {}
    for t in sorted(norm_n):
        norm_per[t] = {"n": norm_n[t], "correct": norm_ok[t],
                       "accuracy": norm_ok[t] / norm_n[t],
                       "fields": {f: field_ok[t][f] / norm_n[t] for f in NORM_FIELDS.get(t, ())}}
    total = sum(norm_n.values())
    norm_micro = {"n": total, "correct": sum(norm_ok.values()),
                  "accuracy": sum(norm_ok.values()) / total if total else 1.0}

    rel = _table({k: tuple(v) for k, v in rel_counts.items()})
    rel["dangling_gold"] = dangling_gold
    rel["dangling_pred"] = dangling_pred
    return {
        "documents": {"n_gold": len(gold), "n_pred": len(pred),
                      "n_scored": len(gold) - len(missing), "missing_in_pred": missing,
                      "extra_in_pred": extra, "text_mismatch": mismatch},
        "entities": _table({k: tuple(v) for k, v in ent_counts.items()}),
        "bio": _seqeval(y_true, y_pred),
        "norm": {"per_type": norm_per, "micro": norm_micro},
        "relations": rel,
    }


def _seqeval(y_true, y_pred) -> dict:
    if not any(t != "O" for seq in y_true + y_pred for t in seq):
        return {"per_type": {}, "micro": {"precision": 1.0, "recall": 1.0, "f1": 1.0,
                                          "support": 0},
                "macro": {"precision": 1.0, "recall": 1.0, "f1": 1.0}}
    from seqeval.metrics import classification_report
    from seqeval.scheme import IOB2
    rep = classification_report(y_true, y_pred, mode="strict", scheme=IOB2, output_dict=True,
                                zero_division=0)

    def conv(d):
        return {"precision": float(d["precision"]), "recall": float(d["recall"]),
                "f1": float(d["f1-score"]), "support": int(d["support"])}
    per = {k: conv(v) for k, v in rep.items() if not k.endswith(" avg")}
    macro = conv(rep["macro avg"])
    macro.pop("support")
    return {"per_type": dict(sorted(per.items())), "micro": conv(rep["micro avg"]),
            "macro": macro}


def evaluate_files(gold_path, pred_path) -> dict:
    """evaluate() on two JSONL files (CorpusError on unreadable input)."""
    return evaluate(load_corpus(gold_path), load_corpus(pred_path))


# ---------------------------------------------------------------------------- report

def _row(name, m, counts=True):
    cells = f"{name:<12} {m['precision']:>6.3f} {m['recall']:>6.3f} {m['f1']:>6.3f}"
    if counts and "tp" in m:
        cells += f" {m['tp']:>6} {m['fp']:>6} {m['fn']:>6}"
    elif counts and "support" in m:
        cells += f" {m['support']:>7}"
    return cells


def _prf_section(title, table, with_support_only=False) -> list[str]:
    lines = [title]
    if with_support_only:
        lines.append(f"{'':<12} {'P':>6} {'R':>6} {'F1':>6} {'support':>7}")
    else:
        lines.append(f"{'':<12} {'P':>6} {'R':>6} {'F1':>6} {'tp':>6} {'fp':>6} {'fn':>6}")
    for k, m in table["per_type"].items():
        lines.append(_row(k, m))
    lines.append(_row("micro", table["micro"]))
    lines.append(_row("macro", table["macro"], counts=False))
    return lines


def format_report(result: dict) -> str:
    """A plain-text table of an evaluate() result."""
    d = result["documents"]
    lines = [f"documents: {d['n_gold']} gold, {d['n_pred']} predicted, {d['n_scored']} scored"]
    if d["missing_in_pred"]:
        lines.append(f"missing in prediction (scored as empty): "
                     f"{', '.join(map(str, d['missing_in_pred']))}")
    if d["extra_in_pred"]:
        lines.append(f"predicted but not in gold (ignored): "
                     f"{', '.join(map(str, d['extra_in_pred']))}")
    if d["text_mismatch"]:
        lines.append(f"text differs from gold: {', '.join(map(str, d['text_mismatch']))}")
    lines.append("")
    lines += _prf_section("Entities (strict span)", result["entities"])
    lines.append("")
    lines += _prf_section("Entities (seqeval strict IOB2, character BIO view)", result["bio"],
                          with_support_only=True)
    lines.append("")
    lines.append("Normalization accuracy (over true-positive spans)")
    lines.append(f"{'':<12} {'n':>6} {'acc':>6}  fields")
    for t, m in result["norm"]["per_type"].items():
        fields = " ".join(f"{f}={a:.3f}" for f, a in m["fields"].items())
        lines.append(f"{t:<12} {m['n']:>6} {m['accuracy']:>6.3f}  {fields}")
    nm = result["norm"]["micro"]
    lines.append(f"{'all':<12} {nm['n']:>6} {nm['accuracy']:>6.3f}")
    lines.append("")
    lines += _prf_section("Relations (strict head, tail, role)", result["relations"])
    rel = result["relations"]
    if rel.get("dangling_gold") or rel.get("dangling_pred"):
        lines.append(f"dangling relations: {rel['dangling_gold']} gold, "
                     f"{rel['dangling_pred']} predicted")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------- calibration

def calibration(gold_docs, pred_docs, bins: int = 10) -> dict:
    """Expected calibration error of predicted entity scores. A predicted entity is correct iff
    it strictly matches a gold entity (one to one; the higher-scored of two identical
    predictions gets the match). Scores fall into `bins` equal-width bins over [0, 1] (1.0 in
    the last). Returns {ece, mce, n, unscored, bins: [{lo, hi, n, confidence, accuracy}]};
    entities without a score are counted in `unscored` and left out."""
    if not isinstance(bins, int) or isinstance(bins, bool) or bins < 1:
        raise ValueError(f"bins must be a positive integer, got {bins!r}")
    gold = _index(gold_docs, "gold")
    pred = _index(pred_docs, "pred")
    points, unscored = [], 0
    for doc_id, p in pred.items():
        if doc_id not in gold:
            continue
        ents = p.get("entities", [])
        scored = [e for e in ents if _score(e) is not None]
        unscored += len(ents) - len(scored)
        pairs, wrong = _match(gold[doc_id].get("entities", []), scored, doc_id,
                              gold_first_by="score")
        points += [(_score(pe), 1) for _, pe in pairs] + [(_score(pe), 0) for pe in wrong]
    acc = [[0, 0.0, 0] for _ in range(bins)]           # n, sum of scores, n correct
    for s, ok in points:
        s = min(max(s, 0.0), 1.0)
        b = min(int(s * bins), bins - 1)
        acc[b][0] += 1
        acc[b][1] += s
        acc[b][2] += ok
    n = len(points)
    ece, mce, out = 0.0, 0.0, []
    for b, (k, ssum, correct) in enumerate(acc):
        row = {"lo": b / bins, "hi": (b + 1) / bins, "n": k,
               "confidence": ssum / k if k else None, "accuracy": correct / k if k else None}
        out.append(row)
        if k:
            gap = abs(row["accuracy"] - row["confidence"])
            ece += k / n * gap
            mce = max(mce, gap)
    return {"ece": ece, "mce": mce, "n": n, "unscored": unscored, "bins": out}
