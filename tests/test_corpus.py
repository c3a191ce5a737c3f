import copy
import json
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from lawie.labels.schema import ENTITY_TYPES
from lawie.train.corpus import (CorpusError, bio_from_entities, bio_tags, from_dataset,
                                load_corpus, read_jsonl, to_dataset, validate_doc,
                                validate_file, write_jsonl)

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "corpus" / "fixtures"
REAL_DEV = REPO.parent / "shared" / "dev" / "real-dev.jsonl"      # beside the clone, when there


@pytest.fixture()
def docs():
    return list(read_jsonl(FIXTURES / "sample.jsonl"))


def _ent(doc, eid):
    return next(e for e in doc["entities"] if e["id"] == eid)


# ---------------------------------------------------------------- reading and writing

def test_write_read_round_trip(tmp_path, docs):
    p = tmp_path / "sub" / "out.jsonl"
    assert write_jsonl(docs, p) == len(docs)
    assert list(read_jsonl(p)) == docs
    assert "江东市" in p.read_text(encoding="utf-8")          # not \u-escaped


def test_read_skips_blank_lines_and_bom(tmp_path):
    p = tmp_path / "a.jsonl"
    p.write_text('\ufeff{"id": "a"}\n\n   \n{"id": "b"}\n', encoding="utf-8")
    assert [d["id"] for d in read_jsonl(p)] == ["a", "b"]


def test_broken_line_names_file_and_line(tmp_path):
    p = tmp_path / "bad.jsonl"
    p.write_text('{"id": "a"}\n{"id": \n', encoding="utf-8")
    it = read_jsonl(p)
    assert next(it)["id"] == "a"
    with pytest.raises(CorpusError) as ei:
        next(it)
    msg = str(ei.value)
    assert msg.startswith(f"{p}:2: invalid JSON") and "\n" not in msg


def test_non_object_line_and_missing_file(tmp_path):
    p = tmp_path / "list.jsonl"
    p.write_text("[1, 2]\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r":1: expected a JSON object, got list"):
        list(read_jsonl(p))
    with pytest.raises(CorpusError, match="no such file"):
        list(read_jsonl(tmp_path / "nope.jsonl"))


def test_non_utf8_file(tmp_path):
    p = tmp_path / "gbk.jsonl"
    p.write_bytes('{"id": "检察"}\n'.encode("gbk"))
    with pytest.raises(CorpusError, match="not UTF-8"):
        list(read_jsonl(p))


def test_load_corpus_dir_and_duplicate_ids(tmp_path, docs):
    write_jsonl(docs[:2], tmp_path / "a.jsonl")
    write_jsonl(docs[2:], tmp_path / "b.jsonl")
    assert [d["id"] for d in load_corpus(tmp_path)] == [d["id"] for d in docs]
    write_jsonl(docs[:1], tmp_path / "c.jsonl")
    with pytest.raises(CorpusError, match="duplicate document id 'fx-001'"):
        load_corpus(tmp_path)


def test_load_corpus_validate(tmp_path, docs):
    bad = copy.deepcopy(docs[0])
    bad["entities"][0]["type"] = "LOCATION"
    write_jsonl([bad], tmp_path / "x.jsonl")
    assert load_corpus(tmp_path / "x.jsonl")[0]["id"] == "fx-001"
    with pytest.raises(CorpusError, match="unknown entity type 'LOCATION'"):
        load_corpus(tmp_path / "x.jsonl", validate=True)


# ---------------------------------------------------------------- validation

def test_fixture_documents_are_valid(docs):
    for d in docs:
        assert validate_doc(d) == [], d["id"]


def _problems_after(docs, mutate, i=0):
    d = copy.deepcopy(docs[i])
    mutate(d)
    return validate_doc(d)


def _one(problems, needle):
    assert any(needle in p for p in problems), problems


@pytest.mark.parametrize("mutate,needle", [
    (lambda d: d.pop("text"), "missing key 'text'"),
    (lambda d: d.__setitem__("entities", {}), "'entities' must be a list"),
    (lambda d: d.__setitem__("meta", []), "'meta' must be an object"),
    (lambda d: d["meta"].__setitem__("date", "10/05/2024"), "meta.date"),
    (lambda d: d["entities"][1].__setitem__("id", "T1"), "duplicate entity id"),
    (lambda d: d["entities"][0].pop("norm"), "missing key(s) norm"),
    (lambda d: d["entities"][0].__setitem__("end", 999), "outside text"),
    (lambda d: d["entities"][0].__setitem__("start", "0"), "must be integers"),
    (lambda d: d["entities"][0].__setitem__("text", "2024年5月"), "!= text[0:9]"),
    (lambda d: d["entities"][0].__setitem__("type", "TIME"), "unknown entity type 'TIME'"),
    (lambda d: d["entities"][0]["norm"].__setitem__("start", "2024-13"), "not ISO"),
    (lambda d: d["entities"][0]["norm"].__setitem__("end", "2024-02-30"), "not ISO"),
    (lambda d: d["entities"][0]["norm"].__setitem__("extra", 1), "unknown norm field"),
    (lambda d: d["entities"][1]["norm"].__setitem__("kind", "procuratorial"), "norm.kind"),
    (lambda d: d["entities"][1]["norm"].__setitem__("name", ""), "norm.name"),
    (lambda d: d["entities"][5]["norm"].__setitem__("title", "《中华人民共和国个人信息保护法》"),
     "must not contain 《》"),
    (lambda d: d["entities"][5]["norm"].__setitem__("article", "66"), "norm.article"),
    (lambda d: d["entities"][6]["norm"].__setitem__("kind", "company"), "norm.kind"),
    (lambda d: d["entities"][4]["norm"].__setitem__("kind", "advice"), "norm.kind"),
    (lambda d: d["entities"][0].__setitem__("score", 1.5), "score 1.5"),
    (lambda d: d["relations"][0].__setitem__("type", "owns"), "unknown relation type 'owns'"),
    (lambda d: d["relations"][0].__setitem__("tail", "T99"), "unknown entity 'T99'"),
    (lambda d: d["relations"].append(dict(d["relations"][1])), "duplicate relation"),
    (lambda d: d["relations"].append({"type": "date", "head": "T5", "tail": "T2"}),
     "date may not join ACTION -> AGENCY"),
    (lambda d: d["relations"].append({"type": "alias_of", "head": "T3", "tail": "T7"}),
     "alias_of may not join AGENCY -> PARTY"),
    (lambda d: d["relations"].append({"type": "agent", "head": "T5", "tail": "T5"}),
     "same entity"),
    (lambda d: d["relations"][0].__setitem__("score", -0.1), "score -0.1"),
    (lambda d: d["entities"].append(dict(d["entities"][0], id="T99")), "same type and span"),
])
def test_each_defect_is_reported(docs, mutate, needle):
    _one(_problems_after(docs, mutate), needle)


@pytest.mark.parametrize("mutate,needle", [
    (lambda d: d["entities"][3]["norm"].pop("unit"), "norm.unit missing"),
    (lambda d: d["entities"][3]["norm"].__setitem__("approx", "over"), "norm.approx"),
    (lambda d: d["entities"][3]["norm"].__setitem__("value", "两万"), "not a number"),
    (lambda d: d["entities"][3]["norm"].pop("value"), "needs value or min/max"),
    (lambda d: d["entities"][4]["norm"].__setitem__("max", 10), "greater than norm.max"),
    (lambda d: d["entities"][4]["norm"].pop("max"), "needs both min and max"),
    (lambda d: d["entities"][4]["norm"].__setitem__("currency", "元"), "3-letter code"),
    (lambda d: d["entities"][8]["norm"].pop("approx"), "norm.approx missing"),
])
def test_number_norm_defects(docs, mutate, needle):
    _one(_problems_after(docs, mutate, i=1), needle)


def test_span_edges_whitespace_and_punctuation(docs):
    d = copy.deepcopy(docs[0])          # T2: 江东市青山区人民检察院 at 10..21, preceded by "，"
    e = _ent(d, "T2")
    e["start"] -= 1
    e["text"] = d["text"][e["start"]:e["end"]]
    _one(validate_doc(d), "starts with whitespace or punctuation")
    d = copy.deepcopy(docs[2])          # T1: 张某 followed by "\n"
    e = _ent(d, "T1")
    e["end"] += 1
    e["text"] = d["text"][e["start"]:e["end"]]
    _one(validate_doc(d), "ends with whitespace or punctuation")


def test_statute_brackets_allowed_only_for_statute(docs):
    d = copy.deepcopy(docs[0])
    st_ = _ent(d, "T6")
    assert st_["text"].startswith("《") and validate_doc(d) == []
    st_["type"], st_["norm"] = "PARTY", {"kind": "org"}
    probs = validate_doc(d)
    _one(probs, "starts with whitespace or punctuation")
    _one(probs, "ends with whitespace or punctuation")


def test_count_with_value_and_range_is_valid(docs):
    d = copy.deepcopy(docs[1])
    d["entities"][3]["norm"].update(min=20000, max=30000)
    assert validate_doc(d) == []


def test_validate_file_prefixes_and_bad_lines(tmp_path, docs):
    bad = copy.deepcopy(docs[0])
    bad["entities"][0]["norm"]["start"] = "May"
    p = tmp_path / "v.jsonl"
    lines = [json.dumps(docs[1], ensure_ascii=False), "{not json",
             json.dumps(bad, ensure_ascii=False), json.dumps(docs[1], ensure_ascii=False)]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    probs = validate_file(p)
    assert probs[0].startswith(f"{p}:2: invalid JSON")
    assert any(x.startswith(f"{p}:3: fx-001: entity T1: norm.start") for x in probs)
    assert any(x.startswith(f"{p}:4: fx-002: duplicate document id") for x in probs)
    assert len(probs) == 3
    assert validate_file(FIXTURES / "sample.jsonl") == []


@pytest.fixture()
def v2doc():
    return next(read_jsonl(FIXTURES / "sample_v2.jsonl"))


def _by_text(doc, text, nth=0):
    return [e for e in doc["entities"] if e["text"] == text][nth]


def test_v2_fixture_is_valid(v2doc):
    assert validate_doc(v2doc) == []
    assert {e["type"] for e in v2doc["entities"]} >= {"SENTENCE", "CHARGE"}
    assert {r["type"] for r in v2doc["relations"]} >= {"sentence", "charge"}


def test_v1_statute_without_article_sub_is_valid(docs):
    st_ = _ent(docs[0], "T6")
    assert "article_sub" not in st_["norm"] and validate_doc(docs[0]) == []


@pytest.mark.parametrize("mutate,needle", [
    (lambda d: _by_text(d, "拘役六个月")["norm"].__setitem__("penalty", "prison"), "norm.penalty"),
    (lambda d: _by_text(d, "拘役六个月")["norm"].pop("penalty"), "norm.penalty missing"),
    (lambda d: _by_text(d, "拘役六个月")["norm"].__setitem__("months", -1), "norm.months"),
    (lambda d: _by_text(d, "拘役六个月")["norm"].__setitem__("months", "六"), "norm.months"),
    (lambda d: _by_text(d, "拘役六个月")["norm"].update(min=6), "needs both min and max"),
    (lambda d: _by_text(d, "拘役六个月")["norm"].update(min=6, max=36), "both months and"),
    (lambda d: _by_text(d, "拘役六个月")["norm"].update(months=None, min=36, max=6), "greater than"),
    (lambda d: _by_text(d, "拘役六个月")["norm"].__setitem__("years", 1), "unknown norm field"),
    (lambda d: _by_text(d, "侵犯公民个人信息罪")["norm"].__setitem__("name", "侵犯公民个人信息"),
     "must end with 罪"),
    (lambda d: _by_text(d, "侵犯公民个人信息罪")["norm"].__setitem__("name", ""), "norm.name"),
    (lambda d: d["entities"][2]["norm"].__setitem__("article_sub", 0), "norm.article_sub"),
    (lambda d: d["entities"][2]["norm"].update(article=None), "article_sub needs norm.article"),
    (lambda d: d["relations"].append({"type": "sentence", "head": "T5", "tail": "T4"}),
     "sentence may not join ACTION -> CHARGE"),
    (lambda d: d["relations"].append({"type": "charge", "head": "T5", "tail": "T7"}),
     "charge may not join ACTION -> SENTENCE"),
])
def test_v2_defects_are_reported(v2doc, mutate, needle):
    d = copy.deepcopy(v2doc)
    mutate(d)
    _one(validate_doc(d), needle)


def test_statute_may_end_with_its_title_bracket():
    text = "依据刑法修正案(九)，以及刑法修正案)。"
    def doc(end):
        span = text[2:end]
        return {"id": "x", "text": text, "relations": [], "entities": [
            {"id": "T1", "type": "STATUTE", "start": 2, "end": end, "text": span,
             "norm": {"title": "刑法修正案(九)", "article": None}}]}
    assert validate_doc(doc(10)) == []                       # 刑法修正案(九)
    bad = doc(10)
    bad["entities"][0].update(type="PARTY", norm={"kind": "org"})
    _one(validate_doc(bad), "ends with whitespace or punctuation")
    unmatched = {"id": "y", "text": "刑法修正案)", "relations": [], "entities": [
        {"id": "T1", "type": "STATUTE", "start": 0, "end": 6, "text": "刑法修正案)",
         "norm": {"title": "刑法修正案", "article": None}}]}
    _one(validate_doc(unmatched), "ends with whitespace or punctuation")


@pytest.mark.skipif(not REAL_DEV.exists(), reason="real dev set not available")
def test_real_dev_file_is_valid():
    assert validate_file(REAL_DEV) == []


# ---------------------------------------------------------------- views

def test_dataset_round_trip(docs):
    import datasets
    v2 = list(read_jsonl(FIXTURES / "sample_v2.jsonl"))
    odd = {"id": "odd", "text": "赵某", "source": "x",                      # a key of its own,
           "entities": [{"id": "T1", "type": "PARTY", "start": 0, "end": 2, "norm": None,
                         "score": 1, "note": {"by": "me"}}]}               # no meta, no relations
    all_docs = docs + v2 + [odd]
    ds = to_dataset(all_docs)
    assert ds.column_names == ["id", "text", "meta", "entities", "relations", "extra"]
    assert len(ds) == len(all_docs)
    assert from_dataset(ds) == all_docs
    f = ds.features                                 # typed: lists of structs, not JSON strings
    assert isinstance(f["entities"], datasets.List) and isinstance(f["relations"], datasets.List)
    ent = f["entities"].feature
    assert ent["start"].dtype == "int64" and ent["score"].dtype == "float64"
    assert ent["type"].dtype == ent["norm"].dtype == "string"     # norm: JSON (shape per type)
    row = ds[0]["entities"][0]
    assert isinstance(row["start"], int) and json.loads(row["norm"]) == docs[0]["entities"][0]["norm"]
    # typed columns work in datasets operations
    dates = ds.filter(lambda r: any(e["type"] == "DATE" for e in r["entities"]))
    assert 0 < len(dates) < len(ds)
    assert from_dataset(to_dataset(from_dataset(ds))) == all_docs


def test_bio_tags_simple(docs):
    d = docs[2]                                   # "张某\n于2022年3月 ..."
    tags = bio_tags(d)
    assert len(tags) == len(d["text"])
    assert tags[:3] == ["B-PARTY", "I-PARTY", "O"]
    t2 = _ent(d, "T2")
    assert tags[t2["start"]] == "B-DATE"
    assert tags[t2["start"] + 1:t2["end"]] == ["I-DATE"] * (len(t2["text"]) - 1)
    assert bio_tags(docs[3]) == ["O"] * len(docs[3]["text"])


def test_bio_overlap_keeps_longer():
    ents = [{"type": "PARTY", "start": 2, "end": 4},
            {"type": "AGENCY", "start": 0, "end": 5},
            {"type": "DATE", "start": 5, "end": 7},
            {"type": "COUNT", "start": 6, "end": 9}]        # crosses DATE, longer: wins
    assert bio_from_entities(10, ents) == [
        "B-AGENCY", "I-AGENCY", "I-AGENCY", "I-AGENCY", "I-AGENCY",
        "O", "B-COUNT", "I-COUNT", "I-COUNT", "O"]


def test_bio_ignores_bad_offsets():
    ents = [{"type": "DATE", "start": 3, "end": 3}, {"type": "DATE", "start": 2, "end": 9}]
    assert bio_from_entities(4, ents) == ["O"] * 4


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 30).flatmap(lambda n: st.tuples(
    st.just(n),
    st.lists(st.tuples(st.integers(0, n - 1), st.integers(1, 6), st.sampled_from(ENTITY_TYPES)),
             max_size=8))))
def test_bio_is_valid_iob2(case):
    n, raw = case
    ents = [{"type": t, "start": s, "end": min(n, s + k)} for s, k, t in raw]
    tags = bio_from_entities(n, ents)
    assert len(tags) == n
    for i, tag in enumerate(tags):
        if tag.startswith("I-"):
            assert i > 0 and tags[i - 1][2:] == tag[2:] and tags[i - 1] != "O"
    # the longest entity always survives whole
    if ents:
        s, e, t = max(((x["start"], x["end"], x["type"]) for x in ents),
                      key=lambda x: (x[1] - x[0], -x[0]))
        assert tags[s] == f"B-{t}" and all(x == f"I-{t}" for x in tags[s + 1:e])


@pytest.mark.parametrize("which,regions", [("REGIONAL_PROBES", {"hk", "mo", "tw"}),
                                            ("HOLDOUT_PROBES", {"mainland", "hk", "mo", "tw"})])
def test_probe_sets_are_valid_invented_documents_of_their_places(which, regions):
    import lawie.train.suite as suite
    path = getattr(suite, which)
    assert validate_file(path) == []
    docs = list(read_jsonl(path))
    assert len({d["id"] for d in docs}) == len(docs) >= 20
    assert {d["meta"]["region"] for d in docs} == regions
    assert all(d["meta"]["source"] == "invented" for d in docs)
