"""The registry of named output rules (lawie.infer.rules): every rule is listed with a reason, can
be switched off by name, and switching one off changes exactly what it decides."""
from pathlib import Path

import pytest

from conftest import validate_output
from lawie.infer import cli
from lawie.infer.api import Extractor, LawieError
from lawie.infer.clean import clean
from lawie.infer.document import assemble
from lawie.infer.rules import STAGES, UnknownRule, all_rules, check_names, rule_set
from lawie.infer.spans import prepare_spans, refine_span
from lawie.infer.text import (CLAUSE_LINE_END, COMMA_CLAUSE_END, EDGE_CHARS, trim_edges,
                              unit_of, unit_start)

TABLES = Path(__file__).parent / "data" / "rules"


def _span_examples():
    rows = []
    for n, line in enumerate((TABLES / "span.tsv").read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("#") or not line.strip():
            continue
        rule, typ, marked, kept = line.split("\t")
        rows.append(pytest.param(rule, typ, marked, kept, id=f"{rule}:{n}"))
    return rows


def test_every_rule_is_registered_once_with_a_stage_an_order_and_a_reason():
    rules = all_rules()
    assert len(rules) >= 60
    assert len({r.name for r in rules}) == len(rules)
    for r in rules:
        assert r.stage in STAGES and isinstance(r.order, int)
        assert r.reason and "\n" not in r.reason and len(r.reason) > 20, r.name
        assert r.where.startswith("infer."), r.name


def test_lawie_rules_lists_every_rule(capsys):
    assert cli.main(["rules"]) == 0
    out = capsys.readouterr().out
    for r in all_rules():
        assert f" {r.name} " in out and r.reason in out
    assert f"{len(all_rules())} rules" in out


@pytest.mark.parametrize("rule,typ,marked,kept", _span_examples())
def test_span_rule_example(rule, typ, marked, kept):
    """Each row of tests/data/rules/span.tsv: the span kept with every rule on, and a different
    one with the row's rule switched off."""
    start, end = marked.index("⟦"), marked.index("⟧") - 1
    text = marked.replace("⟦", "").replace("⟧", "")

    def shown(r):
        return "-" if r is None else text[r[0]:r[1]]
    assert shown(refine_span(typ, text, start, end)) == kept
    assert shown(refine_span(typ, text, start, end, disable={rule})) != kept


def test_every_span_rule_has_an_example():
    rows = {p.values[0] for p in _span_examples()}
    assert {r.name for r in all_rules("span")} <= rows


def test_whole_words_false_is_the_word_fragment_rule_off():
    text = "开设店铺。"
    assert refine_span("ACTION", text, 0, 3) is None
    assert refine_span("ACTION", text, 0, 3, whole_words=False) == (0, 3)
    assert refine_span("ACTION", text, 0, 3, disable={"word_fragment"}) == (0, 3)


def test_a_final_span_rule_ends_the_checks():
    """party_person_verb returns the span as it stays: party_official, which would drop a titled
    name, does not see it."""
    text = "检察官肖某称，肖某累计出售。"
    i = text.index("肖某累计")
    assert refine_span("PARTY", text, i, i + 4) == (i, i + 2)


def _span(text, typ, surface, score=0.9, occ=1):
    i = -1
    for _ in range(occ):
        i = text.index(surface, i + 1)
    return {"type": typ, "start": i, "end": i + len(surface), "score": score}


def test_spans_rules_switch_off_by_name():
    text = "对乙作出警告、罚款的决定，处2万元以上、20万元以下罚款。"
    ents = [_span(text, "ACTION", "警告"), _span(text, "MONEY", "2万元以上"),
            _span(text, "MONEY", "20万元")]

    def got(**kw):
        return [(e["type"], text[e["start"]:e["end"]]) for e in prepare_spans(text, ents, **kw)]
    on = got()
    assert ("ACTION", "罚款") in on and ("MONEY", "2万元以上、20万元") in on
    assert got(disable={"penalty_lists"}) == [x for x in on if x != ("ACTION", "罚款")]
    off = got(disable={"money_range"})
    assert ("MONEY", "2万元以上") in off and ("MONEY", "20万元") in off
    assert ("MONEY", "2万元以上、20万元") not in off


def test_organ_gazetteer_switches_off():
    text = "重庆市某区人民检察院在履职中发现问题。"
    ents = [_span(text, "PARTY", "市某", 0.5)]
    on = [(e["type"], text[e["start"]:e["end"]]) for e in prepare_spans(text, ents)]
    assert on == [("AGENCY", "重庆市某区人民检察院")]
    off = prepare_spans(text, ents, disable={"organ_gazetteer"})
    assert ("AGENCY", "重庆市某区人民检察院") not in [(e["type"], text[e["start"]:e["end"]])
                                                      for e in off]


def _doc(original, spans, rels, **kw):
    c = clean(original)
    ents = [_span(c.text, t, s, occ=o) for t, s, o in spans]
    pred = {"entities": ents,
            "relations": [{"head": h, "tail": t, "type": r, "score": 0.8} for h, t, r in rels]}
    doc = assemble(original, c, pred, "d", **kw)
    validate_output(doc)
    return doc


def _rels(doc):
    by = {e["id"]: e["text"] for e in doc["entities"]}
    return {(by[r["head"]], r["type"], by[r["tail"]]) for r in doc["relations"]}


FINE = ("乙局对甲公司罚款1万元、2万元。",
        [("AGENCY", "乙局", 1), ("PARTY", "甲公司", 1), ("ACTION", "罚款", 1), ("MONEY", "1万元", 1),
         ("MONEY", "2万元", 1)],
        [(2, 0, "agent"), (2, 1, "target")])


def test_switching_off_a_document_rule_changes_exactly_its_relations():
    on = _doc(*FINE)
    off = _doc(*FINE, disable={"fine_amounts"})
    assert on["entities"] == off["entities"]
    assert _rels(on) - _rels(off) == {("罚款", "amount", "1万元"), ("罚款", "amount", "2万元")}
    assert _rels(off) <= _rels(on)
    assert "rules_disabled" not in on["meta"]
    assert off["meta"]["rules_disabled"] == ["fine_amounts"]


def test_switching_off_a_drop_rule_keeps_what_it_dropped():
    spans = [("AGENCY", "法院", 1), ("ACTION", "判决", 1), ("PARTY", "甲公司", 1)]
    rels = [(1, 0, "agent"), (1, 2, "target")]
    on = _doc("法院判决甲公司败诉。", spans, rels)
    assert "法院" not in [e["text"] for e in on["entities"]]
    off = _doc("法院判决甲公司败诉。", spans, rels, disable={"generic_agency"})
    assert "法院" in [e["text"] for e in off["entities"]]


def test_switching_off_an_outcome_rule():
    text = "法院判处被告人王某有期徒刑三年。"
    spans = [("AGENCY", "法院", 1), ("PARTY", "王某", 1)]
    on = _doc(text, spans, [])
    assert "SENTENCE" in [e["type"] for e in on["entities"]]
    off = _doc(text, spans, [], disable={"sentence_spans"})
    assert "SENTENCE" not in [e["type"] for e in off["entities"]]


def test_unknown_rule_names_are_one_line_errors():
    assert check_names(["fine_amounts", "date_tail"]) == {"fine_amounts", "date_tail"}
    assert check_names(None) == frozenset()
    with pytest.raises(UnknownRule) as e:
        check_names(["fine_amount"])
    assert "\n" not in str(e.value) and "lawie rules" in str(e.value)
    with pytest.raises(LawieError, match="unknown rule 'nope'"):
        Extractor.load(disable_rules=["nope"])          # before any model is read
    with pytest.raises(UnknownRule):
        assemble("甲", clean("甲"), {"entities": [], "relations": []}, "d", disable={"nope"})


def test_cli_refuses_an_unknown_rule_in_one_line(capsys):
    with pytest.raises(SystemExit) as e:
        cli.main(["predict", "-", "--disable-rule", "nope"])
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert "unknown rule 'nope'" in err and "lawie rules" in err and "Traceback" not in err


def test_rule_set_records_version_and_what_was_off():
    rs = rule_set(frozenset({"one_date"}))
    assert rs["disabled"] == ["one_date"] and rs["rules"] == len(all_rules()) and rs["lawie"]


def test_text_units_and_edges():
    text = "（甲公司），"
    assert trim_edges(text, 0, len(text)) == (1, 4)
    assert trim_edges("《法》，", 0, 4) == (0, 3)
    assert "、" in EDGE_CHARS and "《" not in EDGE_CHARS     # a title's brackets are never cut
    t = "甲罚款，乙警告；丙\n丁。"
    assert unit_start(t, t.index("乙"), COMMA_CLAUSE_END) == t.index("乙")
    assert unit_start(t, t.index("乙"), CLAUSE_LINE_END) == 0
    assert unit_of(t, t.index("丁"), CLAUSE_LINE_END) == (t.index("丁"), len(t) - 1)


RULE_LEXICON = ("not_dates", "date_tails", "company_words", "official_titles", "shortest_acts",
                "act_prefixes", "act_suffixes", "nominal_next", "not_acts", "statute_words",
                "after_title", "measure_words", "lead_words", "deictic_places", "party_groups",
                "penalty_list_words", "generic_parties", "generic_agencies", "organ_endings",
                "bank_short_forms", "organ_words", "domain_words", "single_char_actions",
                "fine_words", "illegal_words", "irrealis_words", "collective_words", "joint_words",
                "company_endings", "state_organ_words", "subject_anaphors", "profit_objects",
                "named_organs", "object_markers", "organ_short_words", "violator_acts",
                "handover_words", "statute_lead_words",
                "regional_charges", "totals_outside", "approx_inside",
                "negation_words", "platform_words", "company_posts")
LEXICON = Path(__file__).resolve().parents[1] / "labels" / "data" / "lexicon"


@pytest.mark.parametrize("name", RULE_LEXICON)
def test_rule_lexicon_files_say_what_they_are_who_reads_them_and_their_columns(name):
    from lawie.labels.lexicon import table
    text = (LEXICON / f"{name}.tsv").read_text(encoding="utf-8")
    header = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        header.append(line)
    head = "\n".join(header)
    assert len(header) >= 3 and "Read by infer/" in head and "columns:" in head, name
    assert table(f"{name}.tsv"), name


def test_an_act_word_is_one_line_of_shortest_acts():
    """Every act word of shortest_acts.tsv is what 给予X / X归案 is cut down to; a word not listed
    (通报) is left whole: adding an act word is one line in that file."""
    from lawie.labels.lexicon import words
    for w in words("shortest_acts.tsv"):
        text = f"对其给予{w}。"
        assert refine_span("ACTION", text, 2, 4 + len(w), whole_words=False) == (4, 4 + len(w)), w
    assert refine_span("ACTION", "对其给予通报。", 2, 6, whole_words=False) == (2, 6)


def test_predict_variants_equal_runs_with_the_rule_off(tiny_model_dir):
    """The ablation runs the encoder once: each variant's prediction is what the runtime gives
    with that rule off."""
    from functools import partial

    from lawie.train.suite import predict_variants
    ex = Extractor.load(tiny_model_dir, precision="float32")
    texts = [clean(t).text for t in ("乙局对甲公司作出警告、罚款的决定。", "", "2021年5月以来，某局罚款5万元。")]
    off = frozenset({"penalty_lists"})
    got = predict_variants(ex, texts, {"": frozenset(), "penalty_lists": off})
    assert got[""] == ex.runtime.predict(texts, span_rules=prepare_spans)
    assert got["penalty_lists"] == ex.runtime.predict(texts, span_rules=partial(prepare_spans,
                                                                                disable=off))


def test_ablation_table_and_eval_suite_with_a_rule_off(tiny_model_dir, tmp_path, capsys):
    from lawie.train.suite import ablate_rules
    none = str(tmp_path / "none.jsonl")
    table = ablate_rules(tiny_model_dir, dev=none, precision="float32",
                         rules=["fine_amounts", "penalty_lists"])
    lines = table.splitlines()
    assert lines[0].startswith("| rule | stage | seed test ent | seed test rel |")
    assert lines[2].startswith("| (all rules on: F1) |")
    assert [x.split(" | ")[0] for x in lines[3:5]] == ["| penalty_lists", "| fine_amounts"]
    out = tmp_path / "out"
    assert cli.main(["eval-suite", "--model", str(tiny_model_dir), "--dev", none, "--precision",
                     "float32", "--disable-rule", "one_date", "--output", str(out)]) == 0
    assert "switched off: one_date" in capsys.readouterr().out
    import json
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert results["rules"]["disabled"] == ["one_date"]


def test_units_from_cached_boundaries_equal_a_scan_from_the_start():
    """text.unit_start / unit_of find boundaries once per text (a long document stays linear);
    they give what a scan from the start of the text gives."""
    import random
    from lawie.infer import text as T

    def scan_start(t, pos, end):
        lo = 0
        for m in end.finditer(t, 0, pos):
            lo = m.end()
        return lo

    rng = random.Random(5)
    for _ in range(300):
        t = "".join(rng.choice("。！？；，：\n、甲乙") for _ in range(rng.randint(0, 30)))
        for end in (T.SENTENCE_STOP, T.SENTENCE_LINE_END, T.CLAUSE_STOP, T.CLAUSE_LINE_END,
                    T.COMMA_CLAUSE_END, T.LIST_PUNCT):
            for pos in range(len(t) + 1):
                m = end.search(t, pos)
                assert T.unit_of(t, pos, end) == (scan_start(t, pos, end),
                                                  m.start() if m else len(t))


def test_a_spaced_date_read_in_pieces_is_one_span():
    text = "2017 年 9 月 5 日，某局查获公民个人信息 7 件。"
    ents = [_span(text, "DATE", "2017 年"), _span(text, "DATE", "9 月"), _span(text, "DATE", "5 日")]

    def got(**kw):
        return [text[e["start"]:e["end"]] for e in prepare_spans(text, ents, **kw)
                if e["type"] == "DATE"]
    assert got() == ["2017 年 9 月 5 日"]
    # date_spaced_tail (and spaced_dates, finding it whole) do the same from the first piece
    assert got(disable={"date_spaced"}) == ["2017 年 9 月 5 日"]
    assert got(disable={"date_spaced", "date_spaced_tail", "spaced_dates"}) == ["2017 年", "9 月",
                                                                                "5 日"]
    apart = "2017年，9月"                           # a comma between: two dates
    assert len(prepare_spans(apart, [_span(apart, "DATE", "2017年"),
                                     _span(apart, "DATE", "9月")])) == 2


def test_a_defined_short_title_stands_for_the_full_one():
    original = "《個人資料(私隱)條例》（下稱《私隱條例》）於1996年生效。根據《私隱條例》第64條，即屬犯罪。"
    c = clean(original)
    pred = {"entities": [_span(c.text, "STATUTE", "《个人资料（私隐）条例》"),
                         _span(c.text, "STATUTE", "《私隐条例》"),
                         _span(c.text, "STATUTE", "《私隐条例》第64条", occ=1)],
            "relations": []}
    doc = assemble(original, c, pred, "d")
    validate_output(doc)
    titles = [(e["text"], e["norm"]["title"], e["norm"]["article"]) for e in doc["entities"]]
    assert titles == [("《個人資料(私隱)條例》", "个人资料(私隐)条例", None),
                      ("《私隱條例》", "个人资料(私隐)条例", None),
                      ("《私隱條例》第64條", "个人资料(私隐)条例", 64)]
    off = assemble(original, c, pred, "d", disable={"statute_short_title"})
    assert [e["norm"]["title"] for e in off["entities"]][1:] == ["私隐条例", "私隐条例"]


def test_adjacent_titles_are_two_statutes_and_institutions_are_parties():
    text = "该行为违反了《网络安全法》《数据安全法》的规定。"
    ents = [{"type": "STATUTE", "start": text.index("《网络"), "end": text.index("的规定"),
             "score": 0.9}]

    def got(t, es, **kw):
        return [(e["type"], t[e["start"]:e["end"]]) for e in prepare_spans(t, es, **kw)]
    assert got(text, ents) == [("STATUTE", "《网络安全法》"), ("STATUTE", "《数据安全法》")]
    assert got(text, ents, disable={"adjacent_titles"}) == [("STATUTE", "《网络安全法》《数据安全法》")]
    text = "某市中心医院和某律师事务所配合调查。"
    ents = [_span(text, "AGENCY", "某市中心医院"), _span(text, "AGENCY", "某律师事务所")]
    assert got(text, ents) == [("PARTY", "某市中心医院"), ("PARTY", "某律师事务所")]
    assert [t for t, _ in got(text, ents, disable={"retype_names"})] == ["AGENCY", "AGENCY"]


def test_relative_date_words_the_model_missed_are_dates():
    text = "去年，某公司在今日头条上发布广告；今天，警方通报。"

    def dates(**kw):
        return [text[e["start"]:e["end"]] for e in prepare_spans(text, [], **kw)
                if e["type"] == "DATE"]
    assert dates() == ["去年", "今天"]                   # 今日头条 is a word: no date in it
    assert dates(disable={"date_words"}) == []
    from lawie.infer.document import assemble
    doc = assemble(text, clean(text), {"entities": prepare_spans(text, []), "relations": []}, "d",
                   {"date": "2024-05-01"})
    assert [e["norm"]["start"] for e in doc["entities"] if e["type"] == "DATE"] == ["2023",
                                                                                   "2024-05-01"]


def test_dates_written_with_spaces():
    """spaced_dates finds a date whose pieces are spaced (only with a space inside, and never
    over an entity); date_spaced_tail runs a cut one to its last piece, and the piece it swallows
    goes (no DATE inside a DATE)."""
    text = "被告人于 12 月 15 日被抓获，2023年5月9日起诉，2022 年 6 月 1 日判决。"

    def dates(ents, **kw):
        return [text[e["start"]:e["end"]] for e in prepare_spans(text, ents, **kw)
                if e["type"] == "DATE"]
    assert dates([]) == ["12 月 15 日", "2022 年 6 月 1 日"]          # not the unspaced one
    assert dates([], disable={"spaced_dates"}) == []
    cut = [_span(text, "DATE", "2022 年 6"), _span(text, "DATE", "月 1 日")]
    assert dates(cut, disable={"spaced_dates"}) == ["2022 年 6 月 1 日"]
    assert dates(cut, disable={"spaced_dates", "date_spaced_tail"}) == ["2022 年 6", "月 1 日"]
    taken = [_span(text, "PARTY", "12 月 15")]                        # an entity there: left alone
    assert dates(taken, disable={"date_spaced_tail"}) == ["2022 年 6 月 1 日"]


def test_a_spaced_range_read_in_pieces_is_one_span():
    """spaced_date_ranges: the pieces of a range written with spaces (and the junk piece 月到 the
    model reads across the range word) become one DATE; another entity inside leaves it alone."""
    text = "经查，2014 年 10 月到 2016 年 7 月，韩某出售信息。"
    pieces = [_span(text, "DATE", "2014 年 10 月"), _span(text, "DATE", "月到"),
              _span(text, "DATE", "2016 年 7 月")]

    def dates(ents, **kw):
        return [text[e["start"]:e["end"]] for e in prepare_spans(text, ents, **kw)
                if e["type"] == "DATE"]
    assert dates(pieces) == ["2014 年 10 月到 2016 年 7 月"]
    assert dates(pieces, disable={"spaced_date_ranges"}) == ["2014 年 10 月", "月到",
                                                             "2016 年 7 月"]
    other = pieces[:1] + [_span(text, "PARTY", "到 2016")]
    assert "2014 年 10 月到 2016 年 7 月" not in dates(other)
    plain = "2015年8月至2017年12月，周某出售信息。"                    # no space: the model's
    assert [plain[e["start"]:e["end"]] for e in prepare_spans(
        plain, [_span(plain, "DATE", "2015年8月"), _span(plain, "DATE", "2017年12月")])] == [
        "2015年8月", "2017年12月"]


def test_organs_of_hong_kong_and_taiwan_in_the_gazetteer():
    from lawie.infer.organs import organ_names
    text = "东区裁判法院判处被告监禁3个月。台北市政府与台湾台北地方检察署"
    names = [text[s:e] for s, e in organ_names(text)]
    assert names == ["东区裁判法院", "台北市政府", "台湾台北地方检察署"]
    # the model read a district as the organ and 裁判法院 as an act: the name wins
    ents = [_span(text, "AGENCY", "东区"), _span(text, "ACTION", "裁判法院"), _span(text, "ACTION", "判处")]
    got = [(e["type"], text[e["start"]:e["end"]]) for e in prepare_spans(text, ents)]
    assert ("AGENCY", "东区裁判法院") in got and ("ACTION", "判处") in got
    assert ("ACTION", "裁判法院") not in got


def test_persons_named_by_an_honorific_are_parties():
    text = "刘女士报警称，小陈冒充客服骗取其信息，顾先生和老王也遭遇类似情况；小白用户和老板娘不是。"

    def parties(**kw):
        return [text[e["start"]:e["end"]] for e in prepare_spans(text, [], **kw)
                if e["type"] == "PARTY"]
    assert parties() == ["刘女士", "小陈", "顾先生", "老王"]
    assert parties(disable={"honorific_persons"}) == []
    doc = assemble(text, clean(text), {"entities": prepare_spans(text, []), "relations": []}, "d")
    assert {e["norm"]["kind"] for e in doc["entities"] if e["type"] == "PARTY"} == {"person"}


def test_acts_counted_in_statistics_are_acts():
    text = "截至3月31日，全市检察机关共起诉侵犯公民个人信息犯罪案件12件30人，经检查发现问题3个。"
    ents = [_span(text, "COUNT", "12件"), _span(text, "COUNT", "30人"), _span(text, "COUNT", "3个")]

    def acts(**kw):
        return [text[e["start"]:e["end"]] for e in prepare_spans(text, ents, **kw)
                if e["type"] == "ACTION"]
    assert acts() == ["起诉"]                          # 发现 is a clue, no counted organ act
    assert acts(disable={"counted_acts"}) == []


def test_violations_with_their_quantity_are_acts():
    # invented sentences: a counted object after the verb, one put before it with 将, a profit
    # word with its sum; and what is none: a verb with no quantity, the money confiscated
    text = ("张某为拿回扣泄露客户信息3万条，李某将2000条信息出售给他人，王某违法所得5万元，"
            "赵某非法获取公民信息；对钱某的违法所得4万元予以没收，孙某退出违法所得3200元，"
            "近10万条住户信息被人非法转让。")
    ents = [_span(text, "COUNT", "3万条"), _span(text, "COUNT", "2000条"), _span(text, "COUNT", "10万条"),
            _span(text, "MONEY", "5万元"), _span(text, "MONEY", "4万元"),
            _span(text, "MONEY", "3200元")]
    for name in ("张某", "李某", "王某", "赵某", "钱某", "孙某"):
        ents.append(_span(text, "PARTY", name))

    def acts(**kw):
        return [text[e["start"]:e["end"]] for e in prepare_spans(text, ents, **kw)
                if e["type"] == "ACTION"]
    assert acts() == ["泄露", "出售", "违法所得", "非法转让"]
    assert acts(disable={"quantified_violations"}) == []
    # an entity between the verb and the number: the number is not its object
    text2 = "某公司出售给某科技公司3万条"
    ents2 = [_span(text2, "PARTY", "某公司"), _span(text2, "PARTY", "某科技公司"),
             _span(text2, "COUNT", "3万条")]
    assert [e for e in prepare_spans(text2, ents2) if e["type"] == "ACTION"] == []
    # the model's own act is kept as it read it, not doubled
    ents3 = ents + [_span(text, "ACTION", "泄露客户信息")]
    assert [text[e["start"]:e["end"]] for e in prepare_spans(text, ents3)
            if e["type"] == "ACTION"].count("泄露") == 0


def test_an_act_that_names_a_violation_has_no_organ_agent():
    # invented: the model links the prosecuting organ as the agent of the sale and the profit
    text = "新北地检署起诉林姓男子，其出售个资共8万笔，获利24万元。"
    spans = [("AGENCY", "新北地检署", 1), ("ACTION", "起诉", 1), ("PARTY", "林姓男子", 1),
             ("ACTION", "出售", 1), ("COUNT", "8万笔", 1), ("ACTION", "获利", 1),
             ("MONEY", "24万元", 1)]
    rels = [(1, 0, "agent"), (1, 2, "target"), (3, 0, "agent"), (3, 4, "count"),
            (5, 0, "agent"), (5, 6, "amount")]
    on, off = _doc(text, spans, rels), _doc(text, spans, rels, disable={"illegal_act_no_organ"})
    assert ("起诉", "agent", "新北地检署") in _rels(on)
    assert not {("出售", "agent", "新北地检署"), ("获利", "agent", "新北地检署")} & _rels(on)
    assert ("出售", "agent", "新北地检署") in _rels(off)
    # and the act stays a violation although the model's agent was an organ
    kind = {e["text"]: e["norm"]["kind"] for e in on["entities"] if e["type"] == "ACTION"}
    assert kind["出售"] == kind["获利"] == "violation"


def test_sums_of_a_regional_text_take_its_currency():
    text = "某业者以每笔新台币3元价格出售个资，获利24万元。"
    spans = [("MONEY", "3元", 1), ("MONEY", "24万元", 1)]

    def currencies(t, **kw):
        return [e["norm"]["currency"] for e in _doc(t, spans, [], **kw)["entities"]]
    assert currencies(text) == ["TWD", "TWD"]
    assert currencies(text, disable={"money_regional_currency"}) == ["TWD", "CNY"]
    # a mainland text, or one naming two currencies, keeps 元 as yuan
    assert currencies("某公司以每笔3元价格出售个资，获利24万元。") == ["CNY", "CNY"]
    assert currencies("某人以每笔美元3元价格出售个资，获利24万元。")[1] == "CNY"


def test_a_region_and_a_generic_organ_word_is_an_organ():
    from lawie.infer.organs import organ_names
    text = "南京市检察机关以该罪提起公诉，安徽滁州公安机关和检察机关配合。"
    assert [text[s:e] for s, e in organ_names(text)] == ["南京市检察机关", "安徽滁州公安机关"]


def test_an_act_of_an_employee_is_not_the_company_s():
    text = "市第一人民医院工作人员李某将800余名新生儿信息出售给某公司，获利2万元。"
    spans = [("PARTY", "市第一人民医院", 1), ("PARTY", "李某", 1), ("COUNT", "800余名", 1),
             ("ACTION", "出售", 1), ("PARTY", "某公司", 1), ("ACTION", "获利", 1),
             ("MONEY", "2万元", 1)]
    rels = [(3, 0, "agent"), (3, 1, "agent"), (3, 2, "count"), (3, 4, "target"),
            (5, 0, "agent"), (5, 6, "amount")]
    on = _rels(_doc(text, spans, rels))
    assert ("出售", "agent", "李某") in on and ("获利", "agent", "李某") in on
    assert not {r for r in on if r[2] == "市第一人民医院"}
    off = _rels(_doc(text, spans, rels, disable={"employee_argument"}))
    assert ("获利", "agent", "市第一人民医院") in off
    # a company and a person joined by 及 are two defendants
    two = "某公司及李某出售信息3万条。"
    both = _rels(_doc(two, [("PARTY", "某公司", 1), ("PARTY", "李某", 1), ("ACTION", "出售", 1),
                            ("COUNT", "3万条", 1)], [(2, 0, "agent"), (2, 1, "agent"), (2, 3, "count")]))
    assert ("出售", "agent", "某公司") in both


def test_a_judgment_made_from_its_cue_is_the_cue_word():
    # 被判 is one word and 判监 an act word of Hong Kong: the act made from the cue is 判 all the same
    doc = _doc("一名男子在西九龍裁判法院被判監禁4個月。", [("AGENCY", "西九龙裁判法院", 1)], [])
    assert [e["text"] for e in doc["entities"] if e["type"] == "ACTION"] == ["判"]
    assert ("判", "sentence", "監禁4個月") in _rels(doc)


def test_the_organ_after_you_is_the_agent_and_a_court_is_judged_by_no_judgment():
    text = "案件由公署转介警方调查后，由律政司提出检控，某区法院判处被告人王某监禁4个月。"
    spans = [("AGENCY", "公署转介警方", 1), ("AGENCY", "律政司", 1), ("ACTION", "提出检控", 1),
             ("AGENCY", "某区法院", 1), ("ACTION", "判处", 1), ("PARTY", "王某", 1)]
    rels = [(2, 0, "agent"), (2, 1, "target"), (4, 3, "target"), (4, 5, "target")]
    doc = _doc(text, spans, rels)
    names = [e["text"] for e in doc["entities"] if e["type"] == "AGENCY"]
    assert "公署" in names and "公署转介警方" not in names     # 警方 alone is no entity
    got = _rels(doc)
    assert ("提出检控", "agent", "律政司") in got and ("提出检控", "target", "律政司") not in got
    assert not {r for r in got if r[0] == "提出检控" and r[2] == "公署"}
    assert ("判处", "target", "某区法院") not in got and ("判处", "target", "王某") in got
    off = _rels(_doc(text, spans, rels, disable={"by_agent", "courts_judge"}))
    assert ("提出检控", "target", "律政司") in off and ("判处", "target", "某区法院") in off


def test_a_day_in_brackets_after_jin_is_that_day_of_the_month():
    text = "臺中市政府今（15）日公布，某旅行社被處罰鍰。"
    c = clean(text)

    def dates(**kw):
        pred = {"entities": prepare_spans(c.text, [], **kw), "relations": []}
        doc = assemble(text, c, pred, "d", meta={"date": "2023-05-20"})
        return [(e["text"], e["norm"]) for e in doc["entities"] if e["type"] == "DATE"]
    assert dates() == [("今（15）日", {"start": "2023-05-15", "end": "2023-05-15"})]
    assert dates(disable={"bracketed_days"}) == []


def test_the_organ_a_case_is_handed_to_is_the_agent_of_its_next_act():
    text = "某县公安局立案侦查，同年8月3日移送某县人民检察院审查起诉。"
    spans = [("AGENCY", "某县公安局", 1), ("ACTION", "立案侦查", 1), ("ACTION", "移送", 1),
             ("AGENCY", "某县人民检察院", 1), ("ACTION", "审查起诉", 1)]
    rels = [(1, 0, "agent"), (2, 0, "agent"), (4, 0, "agent")]
    got = _rels(_doc(text, spans, rels))
    assert ("审查起诉", "agent", "某县人民检察院") in got and ("审查起诉", "agent", "某县公安局") not in got
    assert ("移送", "agent", "某县公安局") in got
    assert ("审查起诉", "agent", "某县公安局") in _rels(_doc(text, spans, rels, disable={"by_agent"}))


def test_a_reporter_is_the_agent_and_an_organ_is_never_penalized():
    text = "小李向派出所报案。某中心支行开出罚单，某银行被罚款45万元。"
    spans = [("PARTY", "小李", 1), ("ACTION", "报案", 1), ("AGENCY", "某中心支行", 1),
             ("ACTION", "开出罚单", 1), ("PARTY", "某银行", 1), ("ACTION", "罚款", 1),
             ("MONEY", "45万元", 1)]
    rels = [(1, 0, "target"), (3, 2, "target"), (5, 4, "target"), (5, 6, "amount")]
    got = _rels(_doc(text, spans, rels))
    assert ("报案", "agent", "小李") in got and ("报案", "target", "小李") not in got
    assert ("开出罚单", "agent", "某中心支行") in got and ("开出罚单", "target", "某中心支行") not in got
    assert ("罚款", "target", "某银行") in got
    off = _rels(_doc(text, spans, rels, disable={"reporter_agent", "organ_penalty_agent"}))
    assert {("报案", "target", "小李"), ("开出罚单", "target", "某中心支行")} <= off


def test_all_organs_of_a_kind_are_no_agency_but_a_national_organ_is():
    from lawie.infer.spans import refine_span
    for text, name, kept in [("2023年，全市法院共审结案件86件。", "全市法院", False),
                             ("全国检察机关共起诉1.2万人。", "全国检察机关", False),
                             ("全国人大常委会通过个人信息保护法。", "全国人大常委会", True)]:
        i = text.index(name)
        assert (refine_span("AGENCY", text, i, i + len(name)) is not None) == kept, text


def test_a_year_and_its_month_read_apart_are_one_date():
    text = "2020年3月，王某被抓获。当年10月中旬，王某将信息卖给他人。"
    ents = [_span(text, "DATE", "2020年3月"), _span(text, "DATE", "当年"),
            _span(text, "DATE", "10月中旬")]

    def dates(**kw):
        return [text[e["start"]:e["end"]] for e in prepare_spans(text, ents, **kw)
                if e["type"] == "DATE"]
    assert dates() == ["2020年3月", "当年10月中旬"]
    assert dates(disable={"date_pieces"}) == ["2020年3月", "当年", "10月中旬"]
    doc = assemble(text, clean(text), {"entities": prepare_spans(text, ents), "relations": []}, "d")
    assert [e["norm"] for e in doc["entities"] if e["text"] == "当年10月中旬"] == \
        [{"start": "2020-10", "end": "2020-10"}]


def test_a_defendant_named_by_a_pronoun_after_the_judgment_is_its_target():
    text = "李某上载他人资料，被律政司起诉。裁判官今日判处其监禁8个月。"
    spans = [("PARTY", "李某", 1), ("ACTION", "判处", 1), ("SENTENCE", "监禁8个月", 1)]
    got = _rels(_doc(text, spans, [(1, 2, "sentence")]))
    assert ("判处", "target", "李某") in got
    off = _rels(_doc(text, spans, [(1, 2, "sentence")], disable={"defendant_pronoun"}))
    assert ("判处", "target", "李某") not in off


def test_a_company_s_post_names_an_employee_not_an_official():
    for text, name, kept in [("前银行客户服务主任陈嘉欣被控查阅客户资料。", "陈嘉欣", True),
                             ("居委会主任李红说，检察官张三出庭。", "张三", False),
                             ("居委会主任李红说，检察官张三出庭。", "李红", False)]:
        i = text.index(name)
        assert (refine_span("PARTY", text, i, i + len(name)) is not None) == kept, name
