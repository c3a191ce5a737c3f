"""`make eval`: a model on the seed test cases (per rendering: clean, spun, traditional + pinyin),
the seed dev case, the real development set when it is there (../shared/dev/real-dev.jsonl;
evaluation only, never training), and 300 generated dev documents the model neither trained on nor
stopped on, when `make corpus` has made them."""
from __future__ import annotations

import json
from pathlib import Path

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


def summary_row(name: str, n_docs: int, r: dict) -> str:
    ent, rel = r["entities"], r["relations"]
    core = r.get("core_micro", {}).get("f1")
    core_s = f"{core:6.3f}" if core is not None else "   -  "
    return (f"| {name:<26} | {n_docs:>4} | {ent['micro']['f1']:6.3f} | {core_s} | "
            f"{ent['macro']['f1']:6.3f} | {rel['micro']['f1']:6.3f} | {r['norm']['micro']['accuracy']:6.3f} |")


def _core_micro(result: dict) -> dict:
    """Micro F1 over the five core types (DATE COUNT MONEY AGENCY STATUTE)."""
    per = result["entities"]["per_type"]
    tp = sum(per[t]["tp"] for t in ("DATE", "COUNT", "MONEY", "AGENCY", "STATUTE") if t in per)
    fp = sum(per[t]["fp"] for t in ("DATE", "COUNT", "MONEY", "AGENCY", "STATUTE") if t in per)
    fn = sum(per[t]["fn"] for t in ("DATE", "COUNT", "MONEY", "AGENCY", "STATUTE") if t in per)
    from lawie.train.evaluate import prf
    return prf(tp, fp, fn)


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
    lines = ["| set | docs | ent F1 | core F1 | macro F1 | rel F1 | norm acc |",
             "|---|---|---|---|---|---|---|"]
    details = []
    results = {}
    cache: dict[str, dict] = {}
    for name, docs in sets:
        todo = [d for d in docs if d["id"] not in cache]
        for p in predict_docs(ex, todo):
            cache[p["id"]] = p
        preds = [cache[d["id"]] for d in docs]
        r = evaluate(docs, preds)
        r["core_micro"] = _core_micro(r)
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
