"""lawie.train.ablation: the variants' corpus and training configs."""
import tomllib
from pathlib import Path

import pytest

from lawie.train.ablation import report, variant_corpus_config, variant_train_config
from lawie.train.fit import check_config

ROOT = Path(__file__).resolve().parents[1]
CORPUS = tomllib.loads((ROOT / "train/configs/corpus.toml").read_text(encoding="utf-8"))
ABL = tomllib.loads((ROOT / "train/configs/ablation/renderings.toml").read_text(encoding="utf-8"))


def test_rendering_variants():
    assert variant_corpus_config(CORPUS, "all", 10, 5)["renderings"] == CORPUS["renderings"]
    assert set(variant_corpus_config(CORPUS, "none", 10, 5)["renderings"].values()) == {0.0}
    spun = variant_corpus_config(CORPUS, "no-spun", 10, 5)
    assert spun["renderings"]["spun"] == 0.0 and spun["renderings"]["nfkc"] > 0
    assert spun["sizes"] == {"train": 10, "dev": 5}
    trad = variant_corpus_config(CORPUS, "no-traditional", 10, 5)["renderings"]
    assert trad["traditional"] == trad["pinyin"] == 0.0      # pinyin comes with traditional
    assert CORPUS["renderings"]["spun"] > 0                  # the base config is not changed
    for bad in ("no-bold", "some"):
        with pytest.raises(ValueError):
            variant_corpus_config(CORPUS, bad, 10, 5)


def test_training_variants(tmp_path):
    base = {k: v for k, v in ABL.items() if k != "ablation"}
    cfg = variant_train_config(base, "no-junk", tmp_path)
    assert cfg["data"]["train"] == [str(tmp_path / "train.jsonl")]
    assert cfg["data"]["gold"]                               # gold train split in every variant
    check_config(cfg)
    gold = variant_train_config(base, "gold-only", tmp_path)
    assert gold["data"]["train"] == [] and gold["data"]["gold"]
    assert base["data"]["train"] == []                       # not changed in place either
    for v in ABL["ablation"]["variants"]:
        if v != "gold-only":
            variant_corpus_config(CORPUS, v, 1, 1)


def test_report_table():
    r = {"entities": {"micro": {"f1": 0.5}}, "relations": {"micro": {"f1": 0.25}}}
    text = report({"all": {"real dev": r}})
    assert "| all | - | - | - | - | - | 0.500 / 0.250 |" in text
