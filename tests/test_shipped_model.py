"""The shipped model: complete directory, size limit, and real behaviour on the bundled example."""
import json

import pytest

from conftest import ROOT, validate_output
from lawie import Extractor
from lawie.models import default_model_dir

MODEL = default_model_dir()


def test_model_directory_is_complete_and_small():
    for name in ("model.safetensors", "config.json", "chars.txt", "labels.json", "MODEL_CARD.md"):
        assert (MODEL / name).is_file(), name
    assert (MODEL / "model.safetensors").stat().st_size <= 40 * 1024 * 1024
    config = json.loads((MODEL / "config.json").read_text(encoding="utf-8"))
    # the full training configuration travels with the model (no hidden defaults)
    assert {"data", "base", "model", "train"} <= set(config["train"])


@pytest.fixture(scope="module")
def extractor():
    return Extractor.load()


@pytest.fixture(scope="module")
def demo(extractor):
    text = (ROOT / "corpus" / "examples" / "demo.txt").read_text(encoding="utf-8")
    return extractor.extract(text, id="demo")


def test_demo_output_is_valid(demo):
    validate_output(demo)
    assert len(demo["entities"]) >= 20 and demo["relations"] and demo["events"]


def test_demo_finds_the_agencies_dates_and_money(demo):
    found = {(e["type"], e["text"]) for e in demo["entities"]}
    assert ("AGENCY", "浙江省宁波市鄞州区人民检察院") in found
    assert ("DATE", "2025年6月18日") in found
    assert ("STATUTE", "《中华人民共和国个人信息保护法》第六十四条") in found
    by_text = {e["text"]: e for e in demo["entities"]}
    assert by_text["鄞州区院"]["norm"]["name"] == "浙江省宁波市鄞州区人民检察院"
    assert by_text["2.3万余条"]["norm"] == {"value": 23000, "unit": "条", "approx": "more_than"}


def test_demo_timeline_is_sorted_and_resolved(demo):
    whens = [ev["when"]["start"] for ev in demo["events"] if ev["when"] and ev["when"]["start"]]
    assert whens == sorted(whens) and len(whens) >= 3
    # 同年5月12日 is resolved against the 2025 date before it
    assert any(w.startswith("2025-05") for w in whens)


def test_renderings_of_one_sentence_agree(extractor):
    """The same sentence, clean, traditional with pinyin, and spun, gives the same values."""
    clean = "2025年3月14日,徐水区人民检察院向区住建局制发检察建议。"
    trad = "2025年3月14日,徐水區(qū)人民檢察院向區(qū)住建局制發(fā)檢察建議。"
    spun = "2025年3月14日,徐水区东说念主民检察院向区住建局制发检察薄情。"
    outs = [extractor.extract(t) for t in (clean, trad, spun)]
    for o in outs:
        validate_output(o)
    values = [sorted((e["type"], json.dumps(e["norm"], sort_keys=True, ensure_ascii=False))
                     for e in o["entities"]) for o in outs]
    assert values[0] == values[1] == values[2]
    assert ("DATE", json.dumps({"end": "2025-03-14", "start": "2025-03-14"})) in values[0]
