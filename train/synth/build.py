"""Corpus building: train/dev JSONL files, stats.json, and the check that no generated sentence
equals a sentence of a held-out (dev/test) gold document."""
import json
import re
from collections import Counter
from pathlib import Path

from . import generate

SENT_END = re.compile(r"[。！？!?；;\n]+")
MIN_SENT = 8  # shorter pieces are boilerplate shared by the whole genre
HEADING = re.compile(r"^(【[^】]{1,12}】|[一二三四五六七八九十]+、\S{1,10}|\S{1,8})$")


def sentences(text):
    """Sentences of a text; section headings (【检察机关履职情况】, 一、基本案情) are not sentences."""
    out = set()
    for s in SENT_END.split(text):
        s = s.strip()
        if len(s) >= MIN_SENT and not HEADING.match(s):
            out.add(s)
    return out


def held_out_sentences(gold_dir):
    """Sentences of gold documents whose case is in the dev/test split (all gold without split)."""
    gold_dir = Path(gold_dir)
    if not gold_dir.is_dir():
        return set()
    split_path = gold_dir / "split.json"
    train_cases = None
    if split_path.exists():
        split = json.loads(split_path.read_text("utf-8"))
        train_cases = set(split.get("train", []))
    sents = set()
    for path in sorted(gold_dir.glob("*.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            if not line.strip():
                continue
            d = json.loads(line)
            meta = d.get("meta") or {}
            case = meta.get("case") or meta.get("case_id") or d.get("case")
            if train_cases is not None and case in train_cases:
                continue
            sents |= sentences(d.get("text", ""))
    return sents


def validate(doc):
    """List of problems with one document (empty when valid): the corpus validator's
    (lawie.train.corpus.validate_doc, the one home of the format's rules) and the generator's own
    stricter promise that every value it writes is known (a COUNT always has its value, a DATE
    both or neither of its bounds)."""
    from lawie.train.corpus import validate_doc
    errs = validate_doc(doc)
    for e in doc.get("entities", []):
        n = e.get("norm") or {}
        if e.get("type") == "COUNT" and not isinstance(n.get("value"), (int, float)):
            errs.append(f"{e.get('id')}: generated COUNT without a value {n}")
        if e.get("type") == "DATE" and (n.get("start") is None) != (n.get("end") is None):
            errs.append(f"{e.get('id')}: generated DATE with one bound {n}")
    return errs


class Stats:
    def __init__(self):
        self.docs = 0
        self.chars = 0
        self.ents = Counter()
        self.rels = Counter()
        self.rend = Counter()
        self.genres = Counter()
        self.action_kinds = Counter()

    def add(self, d):
        self.docs += 1
        self.chars += len(d["text"])
        self.ents.update(e["type"] for e in d["entities"])
        self.action_kinds.update(e["norm"]["kind"] for e in d["entities"] if e["type"] == "ACTION")
        self.rels.update(r["type"] for r in d["relations"])
        for r in d["meta"]["rendering"].split("+"):
            self.rend[r] += 1
        self.genres[d["meta"]["genre"]] += 1

    def as_dict(self):
        return {"documents": self.docs, "characters": self.chars, "entities": dict(sorted(self.ents.items())),
                "relations": dict(sorted(self.rels.items())), "renderings": dict(sorted(self.rend.items())),
                "genres": dict(sorted(self.genres.items())), "action_kinds": dict(sorted(self.action_kinds.items()))}


def build_corpus(config: dict, output_dir) -> dict:
    """Write train.jsonl, dev.jsonl and stats.json under output_dir; return the stats."""
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    seed = int(config.get("seed", 1))
    sizes = config.get("sizes", {"train": 20000, "dev": 500})
    shares = config.get("renderings")
    options = config.get("rendering_options")
    genres = config.get("genres")
    gold_dir = Path(config.get("gold_dir", "corpus/gold"))
    held = held_out_sentences(gold_dir)
    result = {"seed": seed, "held_out_sentences": len(held), "splits": {}}
    for split_i, (split, n) in enumerate(sizes.items()):
        stats = Stats()
        dropped = 0
        invalid = 0
        path = out / f"{split}.jsonl"
        with path.open("w", encoding="utf-8") as f:
            idx = 0
            written = 0
            split_seed = seed * 1000 + split_i
            while written < int(n):
                doc = next(generate(1, split_seed, shares, genres, start=idx, options=options))
                idx += 1
                if held and sentences(doc["text"]) & held:
                    dropped += 1
                    continue
                if validate(doc):
                    invalid += 1
                    continue
                f.write(json.dumps(doc, ensure_ascii=False) + "\n")
                stats.add(doc)
                written += 1
        s = stats.as_dict()
        s["dropped_overlapping_gold"] = dropped
        s["dropped_invalid"] = invalid
        result["splits"][split] = s
    (out / "stats.json").write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return result
