"""Criminal outcomes (guideline version 2): the SENTENCE / CHARGE normalizers (labels/outcomes.py),
the rules that read them and link them (infer/outcomes.py), the lexicon loader they share, and the
whole extractor on invented judgments."""
import pytest

from conftest import validate_output
from lawie.infer.clean import clean
from lawie.infer.outcomes import add_outcomes, charge_spans, rule_names, sentence_spans
from lawie.labels import lexicon
from lawie.labels.outcomes import parse_term, sentence_norm
from lawie.labels.values import normalize


@pytest.mark.parametrize("text,norm", [
    ("有期徒刑一年十个月", {"penalty": "fixed_term", "months": 22}),
    ("有期徒刑1年6个月", {"penalty": "fixed_term", "months": 18}),
    ("有期徒刑 8 个月", {"penalty": "fixed_term", "months": 8}),
    ("有期徒刑一年半", {"penalty": "fixed_term", "months": 18}),
    ("有期徒刑二年零三个月", {"penalty": "fixed_term", "months": 27}),
    ("有期徒刑九个月十五日", {"penalty": "fixed_term", "months": 9.5}),
    ("有期徒刑八個月", {"penalty": "fixed_term", "months": 8}),
    ("缓刑2年", {"penalty": "probation", "months": 24}),
    ("缓刑", {"penalty": "probation", "months": None}),
    ("拘役六个月", {"penalty": "detention", "months": 6}),
    ("管制一年", {"penalty": "control", "months": 12}),
    ("行政拘留十日", {"penalty": "admin_detention", "months": 0.333}),
    ("无期徒刑", {"penalty": "life", "months": None}),
    ("死刑缓期二年执行", {"penalty": "death", "months": None}),
    ("7年", {"penalty": "fixed_term", "months": 84}),
    ("有期徒刑三年至六個月", {"penalty": "fixed_term", "months": None, "min": 6, "max": 36}),
    ("三年以下有期徒刑", {"penalty": "fixed_term", "months": None, "min": 6, "max": 36}),
    ("三年以上七年以下有期徒刑", {"penalty": "fixed_term", "months": None, "min": 36, "max": 84}),
    ("七年以上有期徒刑", {"penalty": "fixed_term", "months": None, "min": 84, "max": 180}),
    ("入獄6個月", {"penalty": "fixed_term", "months": 6}),
    ("社會服務令200小時", {"penalty": "other", "months": None}),
])
def test_sentence_norm(text, norm):
    assert sentence_norm(text) == norm
    assert normalize("SENTENCE", text) == norm


@pytest.mark.parametrize("text", ["", "有期徒刑", "有期徒刑很久", "年", "个月", "刑期未定", "\x00"])
def test_sentence_norm_never_invents_a_term(text):
    assert sentence_norm(text)["months"] is None
    assert parse_term(text) is None


def test_charge_norm_simplifies_and_undoes_spins():
    assert normalize("CHARGE", "侵犯公民個人信息罪") == {"name": "侵犯公民个人信息罪"}
    assert normalize("CHARGE", "侵犯公民个东说念主信息罪") == {"name": "侵犯公民个人信息罪"}
    assert normalize("CHARGE", "没有罪名") == {"name": None}


def _spans(text):
    c = clean(text).text
    return [c[s:e] for s, e, _ in sentence_spans(c)], [c[s:e] for s, e in charge_spans(c)]


@pytest.mark.parametrize("text,sentences,charges", [
    ("法院以侵犯公民个人信息罪判处被告人王某有期徒刑一年十个月，缓刑二年，并处罚金二万元。",
     ["有期徒刑一年十个月", "缓刑二年"], ["侵犯公民个人信息罪"]),
    ("检察院以赵某涉嫌诈骗罪、洗钱罪向法院提起公诉。", [], ["诈骗罪", "洗钱罪"]),
    # an offence name the lexicon does not list, read from its cue
    ("被告人孙某犯故意泄露他人隐私罪，判处拘役三个月。", ["拘役三个月"], ["故意泄露他人隐私罪"]),
    ("钱某因倒卖信息获刑3年。", ["3年"], []),
    ("非法出售信息最高可判七年。", ["七年"], []),
    ("公安机关对李某处以行政拘留十日。", ["行政拘留十日"], []),
    ("法院判處陳某有期徒刑八個月。", ["有期徒刑八个月"], []),
    # Hong Kong: community service counted in hours, imprisonment written 入狱
    ("原讼法庭判處被告社會服務令200小時。", ["社会服务令200小时"], []),
    ("裁判官判處被告入獄6個月。", ["入狱6个月"], []),
    # offences of Hong Kong and Taiwan law, after their cues (被控一项 / 承认 / 裁定 / 依…罪嫌)
    ("被告被控一項在未獲同意下披露個人資料罪。", [], ["在未获同意下披露个人资料罪"]),
    ("被裁定刑事恐嚇罪罪名成立。", [], ["刑事恐吓罪"]),
    ("檢方依違反個人資料保護法罪嫌提起公訴。", [], ["违反个人资料保护法罪"]),
    # a general category, pleading guilty and the crime word are no CHARGE; a bare 拘役 has no term
    ("依法打击侵犯公民个人信息犯罪，犯罪嫌疑人认罪认罚，处三年以下有期徒刑或者拘役。",
     ["三年以下有期徒刑"], []),
    ("构成帮助信息网络犯罪活动罪。", [], ["帮助信息网络犯罪活动罪"]),
])
def test_rule_spans(text, sentences, charges):
    assert _spans(text) == (sentences, charges)


def _pred(ctext, acts):
    """A model prediction with ACTION spans at the given words (first occurrence of each)."""
    ents = []
    for w in acts:
        s = ctext.index(w)
        ents.append({"type": "ACTION", "start": s, "end": s + len(w), "score": 0.9})
    return {"entities": ents, "relations": []}


def _links(ctext, out):
    ents = out["entities"]
    return sorted((r["type"], ctext[ents[r["head"]]["start"]:ents[r["head"]]["end"]],
                   ctext[ents[r["tail"]]["start"]:ents[r["tail"]]["end"]])
                  for r in out["relations"])


def test_each_defendant_keeps_own_sentence():
    c = clean("法院判处被告人王某有期徒刑三年，并处罚金五万元；判处被告人李某拘役六个月。").text
    k = c.index("判处", 5)
    pred = {"entities": [{"type": "ACTION", "start": 2, "end": 4, "score": 0.9},
                         {"type": "ACTION", "start": k, "end": k + 2, "score": 0.9}],
            "relations": []}
    out = add_outcomes(c, pred)
    sent = [(r["head"], c[out["entities"][r["tail"]]["start"]:out["entities"][r["tail"]]["end"]])
            for r in out["relations"] if r["type"] == "sentence"]
    assert sent == [(0, "有期徒刑三年"), (1, "拘役六个月")]


def test_charge_links_to_the_act_it_names_and_statutory_terms_to_none():
    c = clean("公安机关以侵犯公民个人信息罪移送起诉。根据规定，处三年以下有期徒刑。").text
    out = add_outcomes(c, _pred(c, ["移送起诉"]))
    assert _links(c, out) == [("charge", "移送起诉", "侵犯公民个人信息罪")]


def test_a_missing_act_is_made_from_its_cue_and_model_spans_inside_a_charge_go():
    c = clean("2021年，钱某被法院判处有期徒刑二年。涉嫌侵犯公民个人信息罪。").text
    k = c.index("侵犯")
    pred = {"entities": [{"type": "ACTION", "start": k, "end": k + 2, "score": 0.8}],
            "relations": []}
    out = add_outcomes(c, pred)
    assert _links(c, out) == [("sentence", "判处", "有期徒刑二年")]
    assert all(not (e["type"] == "ACTION" and e["start"] == k) for e in out["entities"])


def test_rules_can_be_switched_off_by_name():
    assert set(rule_names()) >= {"sentence_spans", "charge_spans", "sentence_relations",
                                 "charge_relations", "own_defendants"}
    c = clean("法院以诈骗罪判处张某有期徒刑一年。").text
    out = add_outcomes(c, _pred(c, ["判处"]), disable={"charge_spans", "sentence_relations"})
    types = sorted(e["type"] for e in out["entities"])
    assert types == ["ACTION", "SENTENCE"] and out["relations"] == []


def test_lexicon_errors_name_file_and_line(tmp_path, monkeypatch):
    with pytest.raises(lexicon.LexiconError, match="no such lexicon file"):
        lexicon.table("nope.tsv")
    rows = lexicon.table("penalties.tsv", ("word", "penalty", "needs_term", "lawful"))
    assert ("有期徒刑", "fixed_term", "yes", "6-180") in rows
    with pytest.raises(lexicon.LexiconError, match=r"penalties.tsv:\d+: expected 9"):
        lexicon.table("penalties.tsv", tuple("abcdefghi"))


def test_extractor_reads_a_two_defendant_judgment(shipped):
    text = ("2023年6月，江东市青山区人民法院以侵犯公民个人信息罪判处被告人王某有期徒刑一年十个月，缓刑二年，"
            "并处罚金人民币二万元；判处被告人李某拘役六个月，并处罚金五千元。")
    doc = shipped.extract(text, date="2023-07-01")
    validate_output(doc)
    by_type = {}
    for e in doc["entities"]:
        by_type.setdefault(e["type"], []).append(e["text"])
    assert by_type["SENTENCE"] == ["有期徒刑一年十个月", "缓刑二年", "拘役六个月"]
    assert by_type["CHARGE"] == ["侵犯公民个人信息罪"]
    judged = [ev for ev in doc["events"] if ev["sentence"]]
    assert [[s["text"] for s in ev["sentence"]] for ev in judged] == [
        ["有期徒刑一年十个月", "缓刑二年"], ["拘役六个月"]]
    assert [[t["text"] for t in ev["target"]] for ev in judged] == [["王某"], ["李某"]]
    assert judged[0]["charge"][0]["norm"] == {"name": "侵犯公民个人信息罪"}
    assert judged[1]["sentence"][0]["norm"] == {"penalty": "detention", "months": 6}


def test_a_charge_in_a_general_condition_links_to_no_act():
    c = clean("犯诈骗罪的，依法提起公诉。").text
    out = add_outcomes(c, _pred(c, ["提起公诉"]))
    assert [e["type"] for e in out["entities"]].count("CHARGE") == 1 and out["relations"] == []


def test_events_pair_each_defendant_with_own_terms_on_a_generated_judgment(shipped):
    """A generated three-defendant criminal judgment (the generator writes each defendant's own
    term and fine): the extractor's events give each defendant exactly the terms the gold gives."""
    from lawie.train.synth import generate
    found = 0
    for d in generate(400, seed=11, genres={"criminal": 1.0}, renderings={}):
        ents = {e["id"]: e for e in d["entities"]}
        gold = {}
        for r in d["relations"]:
            if r["type"] == "sentence":
                for t in d["relations"]:
                    if t["head"] == r["head"] and t["type"] == "target":
                        gold.setdefault(ents[t["tail"]]["text"], []).append(ents[r["tail"]]["text"])
        if len(gold) < 3 or len(set(gold)) < 3:
            continue
        out = shipped.extract(d["text"], date=d["meta"].get("date"))
        got = {}
        for ev in out["events"]:
            for x in ev.get("defendants", []):
                got.setdefault(x["target"]["text"], []).extend(s["text"] for s in x["sentence"])
        assert got == gold, (d["text"], got, gold)
        found += 1
        if found == 2:
            break
    assert found == 2


@pytest.mark.parametrize("fmt", ["doccano", "labelstudio", "brat"])
def test_v2_document_survives_every_converter(tmp_path, fmt):
    """SENTENCE / CHARGE spans, their norms and the sentence / charge relations round-trip through
    doccano, Label Studio and brat."""
    import json
    from pathlib import Path

    from lawie.train.convert import convert
    from lawie.train.corpus import read_jsonl, validate_doc
    src = Path(__file__).resolve().parents[1] / "corpus" / "fixtures" / "sample_v2.jsonl"
    convert(src, tmp_path / "out", "jsonl", fmt)
    convert(tmp_path / "out", tmp_path / "back.jsonl", fmt, "jsonl")
    a, b = next(read_jsonl(src)), next(read_jsonl(tmp_path / "back.jsonl"))
    key = lambda d: sorted((e["type"], e["start"], e["end"], json.dumps(e["norm"], sort_keys=True))
                           for e in d["entities"])
    assert key(a) == key(b) and validate_doc(b) == []
    ents = lambda d: {e["id"]: (e["type"], e["start"]) for e in d["entities"]}
    rel = lambda d: sorted((r["type"], ents(d)[r["head"]], ents(d)[r["tail"]]) for r in d["relations"])
    assert rel(a) == rel(b) and {"sentence", "charge"} <= {r[0] for r in rel(b)}
