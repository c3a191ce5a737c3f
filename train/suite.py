"""`make eval`: a model on the seed test cases (per rendering: clean, spun, traditional + pinyin),
the seed dev case, the real development set when it is there (../shared/dev/real-dev.jsonl;
evaluation only, never training), and 300 generated dev documents the model neither trained on nor
stopped on, when `make corpus` has made them."""
from __future__ import annotations

import json
from pathlib import Path

from lawie.labels.schema import CORE_TYPES, OUTCOME_TYPES, V1_TYPES
from lawie.train.corpus import read_jsonl, write_jsonl
from lawie.train.evaluate import evaluate

REPO = Path(__file__).resolve().parents[1]
GOLD_DIR = REPO / "corpus" / "gold"
REAL_DEV = REPO.parent / "shared" / "dev" / "real-dev.jsonl"
GENERATED_DEV = REPO / "corpus" / "generated" / "dev.jsonl"
GENERATED_DEV_DOCS = 300


def generated_dev(model_dir: Path) -> list[dict]:
    """Generated dev documents the model did not see in training nor use for early stopping: the
    GENERATED_DEV_DOCS after the first ``max_dev_docs`` of its training config (all of them when
    it used every dev document: none left). Empty when `make corpus` has not run."""
    if not GENERATED_DEV.is_file():
        return []
    cfg = json.loads((Path(model_dir) / "config.json").read_text(encoding="utf-8"))
    used = int(((cfg.get("train") or {}).get("data") or {}).get("max_dev_docs") or 0)
    docs = list(read_jsonl(GENERATED_DEV))
    return docs[used:used + GENERATED_DEV_DOCS] if used else []


def load_split() -> dict:
    return json.loads((GOLD_DIR / "split.json").read_text(encoding="utf-8"))


def gold_docs(part: str) -> list[dict]:
    """Gold seed documents whose case is in split[part] ('train', 'dev' or 'test')."""
    cases = set(load_split()[part])
    docs = []
    for f in sorted(GOLD_DIR.glob("seed*.jsonl")):
        docs += [d for d in read_jsonl(f) if d["meta"].get("case") in cases]
    return docs


def predict_docs(ex, docs: list[dict]) -> list[dict]:
    inputs = [{"id": d["id"], "text": d["text"], "meta": {"date": d.get("meta", {}).get("date")}}
              for d in docs]
    return list(ex.extract_docs(inputs))


SUMMARY_HEADER = ["| set | docs | ent F1 | v1 F1 | core F1 | ACTION F1 | outcome F1 | rel F1 "
                  "| norm acc |", "|---|---|---|---|---|---|---|---|---|"]


def _f(x) -> str:
    return f"{x:6.3f}" if x is not None else "   -  "


def summary_row(name: str, n_docs: int, r: dict) -> str:
    """ent F1: all nine types of guideline v2; v1 F1: the seven types of version 1 (comparable
    with earlier figures); core F1: DATE COUNT MONEY AGENCY STATUTE; outcome F1: SENTENCE and
    CHARGE together ('-' where neither gold nor prediction has one)."""
    ent, rel = r["entities"], r["relations"]
    outcome = r["outcome_micro"]
    outcome_f = outcome["f1"] if outcome["tp"] + outcome["fp"] + outcome["fn"] else None
    action = ent["per_type"].get("ACTION", {}).get("f1")
    return (f"| {name:<26} | {n_docs:>4} | {_f(ent['micro']['f1'])} | {_f(r['v1_micro']['f1'])} | "
            f"{_f(r['core_micro']['f1'])} | {_f(action)} | {_f(outcome_f)} | "
            f"{_f(rel['micro']['f1'])} | {_f(r['norm']['micro']['accuracy'])} |")


def micro_over(result: dict, types) -> dict:
    """Micro P/R/F1 of the entity scores over a subset of the types."""
    from lawie.train.evaluate import prf
    per = result["entities"]["per_type"]
    tp, fp, fn = (sum(per[t][k] for t in types if t in per) for k in ("tp", "fp", "fn"))
    return prf(tp, fp, fn)


def add_subset_scores(r: dict) -> dict:
    r["core_micro"] = micro_over(r, CORE_TYPES)
    r["v1_micro"] = micro_over(r, V1_TYPES)
    r["outcome_micro"] = micro_over(r, OUTCOME_TYPES)
    return r


def run_suite(model=None, dev=None, out=None, quantize: bool = False,
              precision: str = "auto", threshold: float = 0.0, whole_words: bool = True) -> str:
    from lawie.infer.api import Extractor
    from lawie.train.evaluate import format_report
    ex = Extractor.load(model, quantize=quantize, precision=precision, threshold=threshold,
                        whole_words=whole_words)
    sets: list[tuple[str, list[dict]]] = []
    test = gold_docs("test")
    sets.append(("seed test (all renderings)", test))
    for rendering in ("clean", "spun", "traditional"):
        part = [d for d in test if d["meta"].get("rendering") == rendering]
        if part:
            sets.append((f"seed test {rendering}", part))
    seed_dev = gold_docs("dev")
    sets.append(("seed dev", seed_dev))
    dev_path = Path(dev) if dev else REAL_DEV
    if dev_path.is_file():
        real = list(read_jsonl(dev_path))
        sets.append(("real dev", real))
        # study half: errors may be read; check half: scored only (../shared/dev/README.md)
        for half in ("study", "check"):
            part = [d for d in real if (d.get("meta") or {}).get("half") == half]
            if part:
                sets.append((f"real dev {half}", part))
        # one figure over every document no model was trained on (the seed test renderings, the
        # seed dev case and real dev), for comparing models
        sets.append(("all held-out", test + seed_dev + real))
    generated = generated_dev(ex.model_dir)
    if generated:
        # the project's own annotation convention, in distribution: output rules that disagree
        # with it show up here
        sets.append(("generated dev", generated))
    out_dir = Path(out) if out else None
    if out_dir:
        out_dir.mkdir(parents=True, exist_ok=True)
    lines = list(SUMMARY_HEADER)
    details = []
    results = {}
    cache: dict[str, dict] = {}
    for name, docs in sets:
        todo = [d for d in docs if d["id"] not in cache]
        for p in predict_docs(ex, todo):
            cache[p["id"]] = p
        preds = [cache[d["id"]] for d in docs]
        r = add_subset_scores(evaluate(docs, preds))
        results[name] = r
        lines.append(summary_row(name, len(docs), r))
        details.append(f"\n## {name}\n\n" + format_report(r))
        if out_dir:
            slug = name.replace(" ", "_").replace("(", "").replace(")", "")
            write_jsonl(preds, out_dir / f"pred_{slug}.jsonl")
    if out_dir:
        (out_dir / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=1),
                                              encoding="utf-8")
    if not dev_path.is_file():
        lines.append(f"\n(real dev set not found at {dev_path}: skipped)")
    return "\n".join(lines) + "\n" + "\n".join(details)
