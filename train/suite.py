"""`make eval`: a model on the seed test cases (per rendering: clean, spun, traditional + pinyin),
the seed dev case, the invented probes (corpus/probes/: regional.jsonl, Hong Kong, Macau and
Taiwan texts, and holdout.jsonl, all four places, scored only; written and annotated by a second
annotator), the real development set when it is there (../shared/dev/real-dev.jsonl;
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
# invented texts annotated by a second annotator (corpus/probes/): of Hong Kong, Macau and Taiwan
# (read for errors since 2026-12-08), and a held-out set of all four places (scored only)
REGIONAL_PROBES = REPO / "corpus" / "probes" / "regional.jsonl"
HOLDOUT_PROBES = REPO / "corpus" / "probes" / "holdout.jsonl"
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
              precision: str = "auto", threshold: float = 0.0, whole_words: bool = True,
              disable_rules=()) -> str:
    from lawie.infer.api import Extractor
    from lawie.infer.rules import rule_set
    from lawie.train.evaluate import format_report
    ex = Extractor.load(model, quantize=quantize, precision=precision, threshold=threshold,
                        whole_words=whole_words, disable_rules=disable_rules)
    sets = eval_sets(ex.model_dir, dev)
    dev_path = Path(dev) if dev else REAL_DEV
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
    rules = rule_set(ex.disable_rules)
    if out_dir:
        (out_dir / "results.json").write_text(json.dumps(dict(results, rules=rules),
                                                          ensure_ascii=False, indent=1),
                                              encoding="utf-8")
    if not dev_path.is_file():
        lines.append(f"\n(real dev set not found at {dev_path}: skipped)")
    lines.append(f"\nrules: {rules['rules']} of lawie {rules['lawie']}, switched off: "
                 f"{', '.join(rules['disabled']) or 'none'}")
    return "\n".join(lines) + "\n" + "\n".join(details)


def eval_sets(model_dir, dev=None) -> list[tuple[str, list[dict]]]:
    """The named document sets of the suite: seed test (all renderings and each), seed dev, the
    invented regional and holdout probes, real dev (and its halves, and all held-out) when present, generated
    dev when made."""
    sets: list[tuple[str, list[dict]]] = []
    test = gold_docs("test")
    sets.append(("seed test (all renderings)", test))
    for rendering in ("clean", "spun", "traditional"):
        part = [d for d in test if d["meta"].get("rendering") == rendering]
        if part:
            sets.append((f"seed test {rendering}", part))
    seed_dev = gold_docs("dev")
    sets.append(("seed dev", seed_dev))
    if REGIONAL_PROBES.is_file():
        sets.append(("regional probes", list(read_jsonl(REGIONAL_PROBES))))
    if HOLDOUT_PROBES.is_file():
        sets.append(("holdout probes", list(read_jsonl(HOLDOUT_PROBES))))
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
    generated = generated_dev(model_dir)
    if generated:
        # the project's own annotation convention, in distribution: output rules that disagree
        # with it show up here
        sets.append(("generated dev", generated))
    return sets


ABLATION_SETS = ("seed test (all renderings)", "real dev study", "real dev check", "generated dev")


def predict_variants(ex, clean_texts: list[str], variants: dict) -> dict:
    """{variant: [model prediction per text]}: the runtime's prediction of each clean text with
    the span rules of each variant ({name: rule names switched off}); the encoder runs once, and
    each variant's spans go to the relation head (what a run with those rules off would give)."""
    from functools import partial

    from lawie.infer.spans import prepare_spans
    rt = ex.runtime
    by_text: dict[str, dict] = {}
    plain = rt._finish

    def finish(doc, span_rules=None):
        res = {v: plain(doc, partial(prepare_spans, whole_words=ex.whole_words, disable=off))
               for v, off in variants.items()}
        by_text[doc.text] = res
        return next(iter(res.values()))
    rt._finish = finish
    try:
        rt.predict(clean_texts)
    finally:
        del rt._finish
    empty = {"entities": [], "relations": []}
    return {v: [by_text[t][v] if t in by_text else empty for t in clean_texts] for v in variants}


def ablate_rules(model=None, dev=None, precision: str = "auto", quantize: bool = False,
                 rules=None, progress=None) -> str:
    """Per output rule, the change of entity and relation F1 on each evaluation set when that
    rule alone is off (`lawie eval-suite --ablate-rules`): a markdown table, rules in pipeline
    order. The encoder runs once; each span-rule variant goes through the relation head, the
    rules after it (outcomes, document) reuse the prediction with all rules on. ``rules``: names
    (default: all)."""
    from lawie.infer.api import Extractor
    from lawie.infer.clean import clean
    from lawie.infer.document import assemble
    from lawie.infer.rules import all_rules, check_names, rule_set
    ex = Extractor.load(model, quantize=quantize, precision=precision)
    wanted = check_names(rules) if rules else None
    todo = [r for r in all_rules() if wanted is None or r.name in wanted]
    sets = [(n, docs) for n, docs in eval_sets(ex.model_dir, dev) if n in ABLATION_SETS]
    docs = list({d["id"]: d for _, ds in sets for d in ds}.values())
    cleaned = {d["id"]: clean(d["text"]) for d in docs}
    variants = {"": frozenset()}
    variants.update({r.name: frozenset({r.name}) for r in todo if r.stage in ("span", "spans")})
    got = predict_variants(ex, [cleaned[d["id"]].text for d in docs], variants)
    model_preds = {v: {d["id"]: p for d, p in zip(docs, preds)} for v, preds in got.items()}

    def scores(preds, disable):
        out = {}
        for name, part in sets:
            docs_out = [assemble(d["text"], cleaned[d["id"]], preds[d["id"]], d["id"],
                                 {"date": (d.get("meta") or {}).get("date")}, disable=disable)
                        for d in part]
            r = evaluate(part, docs_out)
            out[name] = (r["entities"]["micro"]["f1"], r["relations"]["micro"]["f1"])
        return out

    base = scores(model_preds[""], frozenset())
    short = {"seed test (all renderings)": "seed test", "real dev study": "study",
             "real dev check": "check", "generated dev": "generated dev"}
    head = ["| rule | stage |"] + [f" {short[n]} ent | {short[n]} rel |" for n, _ in sets]
    lines = ["".join(head), "|---|---|" + "---|---|" * len(sets),
             "| (all rules on: F1) | |" + "".join(f" {base[n][0]:.3f} | {base[n][1]:.3f} |"
                                                  for n, _ in sets)]

    def delta(x):
        return "0" if abs(x) < 5e-4 else f"{x:+.3f}"
    for k, r in enumerate(todo):
        off = frozenset({r.name})
        got = scores(model_preds.get(r.name, model_preds[""]), off)
        lines.append(f"| {r.name} | {r.stage} |" + "".join(
            f" {delta(got[n][0] - base[n][0])} | {delta(got[n][1] - base[n][1])} |"
            for n, _ in sets))
        if progress:
            progress(k + 1, len(todo), r.name)
    rs = rule_set()
    lines.append(f"\n{len(todo)} of {rs['rules']} rules of lawie {rs['lawie']}, each switched off "
                 "alone; a cell is F1 with it off minus F1 with all on (entities: all types, "
                 "strict spans; relations: strict); 0: under 0.0005.")
    return "\n".join(lines)
