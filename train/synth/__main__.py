"""python -m lawie.train.synth --config train/configs/corpus.toml --output corpus/generated"""
import argparse
import sys
import tomllib
from pathlib import Path


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m lawie.train.synth", description=__doc__)
    ap.add_argument("--config", required=True, help="TOML config (train/configs/corpus.toml)")
    ap.add_argument("--output", required=True, help="output directory")
    ap.add_argument("--train", type=int, help="override the number of train documents")
    ap.add_argument("--dev", type=int, help="override the number of dev documents")
    args = ap.parse_args(argv)
    path = Path(args.config)
    try:
        config = tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        print(f"error: config file not found: {path}", file=sys.stderr)
        return 2
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        print(f"error: {path} is not valid TOML: {exc}", file=sys.stderr)
        return 2
    sizes = dict(config.get("sizes", {"train": 20000, "dev": 500}))
    if args.train is not None:
        sizes["train"] = args.train
    if args.dev is not None:
        sizes["dev"] = args.dev
    config["sizes"] = sizes
    from . import build_corpus
    try:
        stats = build_corpus(config, args.output)
    except (ValueError, OSError) as exc:
        print(f"error: {path}: {exc}", file=sys.stderr)
        return 2
    for split, s in stats["splits"].items():
        print(f"{split}: {s['documents']} documents, {s['characters']} characters, "
              f"{sum(s['entities'].values())} entities, {sum(s['relations'].values())} relations "
              f"(dropped {s['dropped_overlapping_gold']} overlapping gold, {s['dropped_invalid']} invalid)")
    print(f"wrote {args.output}/train.jsonl, dev.jsonl, stats.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
