"""What the generated data and each of its renderings are worth: one short training per variant,
each scored by the eval suite (seed test per rendering, seed dev, real dev when present).

    python -m lawie.train.ablation --config train/configs/ablation/renderings.toml \
        --output runs/ablation [--only all,none,no-spun]

The config names everything (lawie.train.fit rejects a missing key):

    [ablation]  corpus = the generator config the variants start from (corpus.toml)
                train_docs, dev_docs = the size of each variant's generated corpus
                variants = which to run, from:
                  "all"         the generator config as it is
                  "none"        every rendering off (clean text only)
                  "no-<r>"      rendering r off, the others as configured ("no-traditional" turns
                                pinyin off too: pinyin is written after traditional characters)
                  "gold-only"   no generated data: the gold train split alone
    [data] [base] [model] [train]   the training config of every variant (as for `lawie train`;
                data.train and data.dev are set to each variant's corpus)

Output: <output>/<variant>/{corpus,model,eval}, and <output>/report.md + results.json with entity
and relation F1 per variant and evaluation set. A variant whose eval exists is not run again.
"""
from __future__ import annotations

import argparse
import copy
import json
import sys
import tomllib
from pathlib import Path

from lawie.train.synth.render import RENDERINGS

SETS = ("seed test (all renderings)", "seed test clean", "seed test spun",
        "seed test traditional", "seed dev", "real dev")


def variant_corpus_config(base: dict, variant: str, train_docs: int, dev_docs: int) -> dict:
    cfg = copy.deepcopy(base)
    cfg["sizes"] = {"train": train_docs, "dev": dev_docs}
    shares = cfg.setdefault("renderings", {})
    if variant == "none":
        for r in shares:
            shares[r] = 0.0
    elif variant.startswith("no-"):
        r = variant[3:]
        if r not in RENDERINGS:
            raise ValueError(f"unknown rendering in variant {variant!r}; known: {', '.join(RENDERINGS)}")
        shares[r] = 0.0
        if r == "traditional":
            shares["pinyin"] = 0.0
    elif variant != "all":
        raise ValueError(f"unknown variant {variant!r}")
    return cfg


def variant_train_config(base: dict, variant: str, corpus_dir: Path) -> dict:
    cfg = copy.deepcopy(base)
    if variant == "gold-only":
        if not cfg["data"]["gold"]:
            cfg["data"]["gold"] = ["corpus/gold/*.jsonl"]
            cfg["data"]["gold_split"] = "corpus/gold/split.json"
        cfg["data"]["train"], cfg["data"]["dev"] = [], []
    else:
        cfg["data"]["train"] = [str(corpus_dir / "train.jsonl")]
        cfg["data"]["dev"] = [str(corpus_dir / "dev.jsonl")]
    return cfg


def run_variant(variant: str, config: dict, out: Path, log=print) -> dict:
    from lawie.train.fit import check_config, train
    from lawie.train.suite import run_suite
    from lawie.train.synth import build_corpus

    a = config["ablation"]
    vdir = out / variant
    results = vdir / "eval" / "results.json"
    if results.is_file():
        log(f"[{variant}] done before: {results}")
        return json.loads(results.read_text(encoding="utf-8"))
    corpus_dir = vdir / "corpus"
    if variant != "gold-only":
        base = tomllib.loads(Path(a["corpus"]).read_text(encoding="utf-8"))
        log(f"[{variant}] building {a['train_docs']} + {a['dev_docs']} documents")
        build_corpus(variant_corpus_config(base, variant, a["train_docs"], a["dev_docs"]),
                     corpus_dir)
    tcfg = {k: v for k, v in config.items() if k != "ablation"}
    tcfg = check_config(variant_train_config(tcfg, variant, corpus_dir), f"{variant} config")
    log(f"[{variant}] training")
    train(tcfg, vdir / "model")
    log(f"[{variant}] evaluating")
    run_suite(vdir / "model", out=vdir / "eval")
    return json.loads(results.read_text(encoding="utf-8"))


def report(all_results: dict) -> str:
    head = "| variant | " + " | ".join(SETS) + " |"
    lines = ["Entity F1 / relation F1 (strict, micro).", "", head,
             "|---|" + "---|" * len(SETS)]
    for variant, res in all_results.items():
        cells = []
        for s in SETS:
            r = res.get(s)
            cells.append("-" if r is None else
                         f"{r['entities']['micro']['f1']:.3f} / {r['relations']['micro']['f1']:.3f}")
        lines.append(f"| {variant} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m lawie.train.ablation",
                                 description="train and score one model per data variant")
    ap.add_argument("--config", required=True)
    ap.add_argument("--output", required=True)
    ap.add_argument("--only", default="", help="comma-separated variants (default: the config's)")
    args = ap.parse_args(argv)
    try:
        config = tomllib.loads(Path(args.config).read_text(encoding="utf-8"))
        variants = [v for v in args.only.split(",") if v] or list(config["ablation"]["variants"])
        for v in variants:              # fail early on a bad name
            if v != "gold-only":
                variant_corpus_config({}, v, 1, 1)
    except (OSError, tomllib.TOMLDecodeError, KeyError, ValueError) as e:
        print(f"error: {args.config}: {e}", file=sys.stderr)
        return 2
    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    all_results = {}
    for v in variants:
        all_results[v] = run_variant(v, config, out,
                                     log=lambda m: print(m, file=sys.stderr, flush=True))
        (out / "results.json").write_text(json.dumps(
            {k: {s: r.get(s) for s in SETS} for k, r in all_results.items()},
            ensure_ascii=False, indent=1), encoding="utf-8")
        (out / "report.md").write_text(report(all_results), encoding="utf-8")
    print(report(all_results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
