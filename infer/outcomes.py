"""Criminal outcomes (guideline version 2): SENTENCE and CHARGE spans and the `sentence` and
`charge` relations, read by the guideline's rules from the clean text. The step runs on the
model's prediction (clean offsets) before assembly, so the rest of the pipeline (original
offsets, norms, events) treats its spans like the model's:

    add_outcomes(ctext, pred) -> pred with SENTENCE / CHARGE spans (and the acts that impose them,
                                 when the model read none) and their relations

The rules, each a small named function listed in RULES (switch one off with
``add_outcomes(..., disable={"name"})``):

- ``sentence_spans``: a penalty word of penalties.tsv with its term (有期徒刑一年十个月, 拘役六个月,
  行政拘留十日; a range 有期徒刑三年至六个月), a penalty that needs no term (无期徒刑, 死刑, 缓刑 with
  or without its term), a statutory range (三年以下有期徒刑), and a bare term after a cue of
  sentence_cues.tsv (获刑[3年], 最高可判[7年]): the cue stays outside the span.
- ``charge_spans``: an offence name of charges.tsv anywhere (longest first), and any "X罪" right
  after a cue of charge_cues.tsv (以, 涉嫌, 构成, 犯 ...) or after a charge already read and 、/和
  (a list of charges); never a word of charge_stop.tsv (犯罪, 本罪, 认罪 ...), never X罪 whose X ends
  the word 犯罪 (侵犯公民个人信息犯罪 is a category).
- ``sentence_relations``: a SENTENCE links to the nearest act of judgment_cues.tsv before it in its
  sentence; when the model read no ACTION there, the cue right before it becomes one (被 outside).
  Statutory penalties (a range with 以下 / 以上, 最高可判) link to nothing.
- ``charge_relations``: a CHARGE links to the nearest judgment, lawsuit, case-filing or hearing
  act after it in its sentence (以X罪提起公诉, 以X罪判处), else to the nearest one before it
  (判决被告人犯X罪); a charge in a condition stated in general terms (犯X罪的，…) links to none.
- ``own_defendants``: in a sentence with several judgment acts, each ；-clause that holds exactly one
  of them keeps its targets, sentences and amounts on that act (判处甲…；判处乙…: who got what).
- ``sentence_arguments``: the defendant named right before a SENTENCE is a target of its act, and a
  fine (罚金X) after a SENTENCE an amount of that act (判处甲…，并处罚金X；乙…，并处罚金Y). The
  events then pair each target with its own terms and fines (``document._defendants``).

Model spans inside a rule span (a violation 侵犯公民个人信息 inside the charge's name) are dropped
with their relations; a model SENTENCE / CHARGE (a version 2 model) is kept where no rule span
overlaps it."""
from __future__ import annotations

import re
from functools import lru_cache

from lawie.infer.rules import rule
from lawie.infer.text import CLAUSE_LINE_END, SENTENCE_LINE_END, unit_of
from lawie.labels.lexicon import table, words
from lawie.labels.outcomes import penalty_words

__all__ = ["add_outcomes", "RULES", "sentence_spans", "charge_spans"]

RULE_SCORE = 0.99        # the score of a span or relation a rule makes
_NUM = r"[0-9.〇零一二两三四五六七八九十百壹贰叁肆伍陆柒捌玖拾]+"
# a term: years, months, days; or hours (社会服务令200小时: Hong Kong's community service, months null)
_TERM = (rf"(?:{_NUM}\s*个?\s*小时"
         rf"|(?:{_NUM}\s*年\s*(?:半|零)?)?(?:(?:{_NUM}|半)\s*个?\s*月)?(?:{_NUM}\s*[日天])?)")
_NAME_CHARS = re.compile(r"[\u4e00-\u9fff、]+")


@lru_cache(maxsize=1)
def _not_names() -> tuple[frozenset, frozenset]:
    """(characters after 罪 that end no offence name, characters before 犯 that make it no cue),
    from charge_not_names.tsv."""
    rows = table("charge_not_names.tsv", ("word", "position"))
    return (frozenset(w[1:] for w, pos, *_ in rows if pos == "after"),
            frozenset(w[:-1] for w, pos, *_ in rows if pos == "before"))
_CHARGE_ACT_KINDS = frozenset({"judgment", "lawsuit", "case_filed", "hearing"})
_SENTENCE_ACT_KINDS = frozenset({"judgment", "penalty"})


@lru_cache(maxsize=1)
def _patterns():
    needs = [re.escape(w) for w, _, need, _ in penalty_words() if need]
    free = [re.escape(w) for w, _, need, _ in penalty_words() if not need]
    term = _TERM
    with_term = re.compile(rf"(?:{'|'.join(needs)})\s*({term}(?:\s*(?:至|到|~|～|-|—)\s*{term})?)")
    statutory = re.compile(rf"({term}(?:以上{term})?(?:以下|以内|以上))(?:的)?(?:{'|'.join(needs)})")
    free_re = re.compile(rf"(?:{'|'.join(free)})(?:\s*{term})?")
    cues = sorted(words("sentence_cues.tsv"), key=len, reverse=True)
    cue_re = re.compile(rf"(?:{'|'.join(map(re.escape, cues))})\s*(?:了|有期徒刑)?\s*({term})")
    return with_term, statutory, free_re, cue_re


def _nonempty_term(s: str) -> bool:
    return bool(re.search(r"[年月日天时]", s))


@rule("sentence_spans", "outcomes", 10, "SENTENCE: a penalty word with its term (有期徒刑一年), a "
      "penalty needing none (无期徒刑, 缓刑), a statutory range, a term after a cue (获刑[3年])")
def sentence_spans(ctext: str) -> list[tuple[int, int, bool]]:
    """(start, end, statutory) of every SENTENCE the rules read in the clean text."""
    with_term, statutory, free_re, cue_re = _patterns()
    out: list[tuple[int, int, bool]] = []
    taken = [False] * (len(ctext) + 1)

    def put(s, e, stat):
        while e > s and ctext[e - 1].isspace():
            e -= 1
        if e > s and not any(taken[s:e]):
            out.append((s, e, stat))
            for k in range(s, e):
                taken[k] = True

    for m in statutory.finditer(ctext):
        if _nonempty_term(m.group(1)):
            put(m.start(), m.end(), True)
    for m in with_term.finditer(ctext):
        if _nonempty_term(m.group(1)):
            put(m.start(), m.end(), False)
    for m in free_re.finditer(ctext):
        put(m.start(), m.end(), False)
    for m in cue_re.finditer(ctext):
        if _nonempty_term(m.group(1)):
            cue = m.group(0)[: m.start(1) - m.start()]
            put(m.start(1), m.end(1), "最高" in cue or "可" in cue)
    return sorted(out)


@lru_cache(maxsize=1)
def _charge_tables():
    names = sorted(words("charges.tsv") + words("regional_charges.tsv"), key=len, reverse=True)
    cues = sorted(words("charge_cues.tsv"), key=len, reverse=True)
    stop = frozenset(words("charge_stop.tsv"))
    return names, cues, stop


_HOW_MANY = re.compile(r"[一二两三四五六七八九十0-9]+项")


def _cue_ends(ctext: str, lo: int, hi: int) -> list[int]:
    """Positions in [lo, hi) right after a charge cue."""
    _, cues, _ = _charge_tables()
    ends = []
    for cue in cues:
        for m in re.finditer(re.escape(cue), ctext[lo:hi]):
            s = lo + m.start()
            if cue == "犯" and ((s > 0 and ctext[s - 1] in _not_names()[1])
                               or ctext[s + 1:s + 2] == "罪"):
                continue
            e = s + len(cue)
            m = _HOW_MANY.match(ctext, e)             # 被控一项|X罪, 承认两项|X罪
            ends.append(m.end() if m else e)
    return sorted(set(ends))


@rule("charge_spans", "outcomes", 20, "CHARGE: an offence name of charges.tsv, or X罪 after a "
      "cue (以, 涉嫌, 构成, 犯) or in a list of charges; never 犯罪, 本罪")
def charge_spans(ctext: str) -> list[tuple[int, int]]:
    names, _, stop = _charge_tables()
    taken = [False] * (len(ctext) + 1)
    out = []
    for name in names:
        for m in re.finditer(re.escape(name), ctext):
            if not any(taken[m.start():m.end()]):
                out.append((m.start(), m.end()))
                for k in range(m.start(), m.end()):
                    taken[k] = True
    ends = {e for _, e in out}
    for m in re.finditer("罪", ctext):
        p = m.start()
        if taken[p] or (p > 0 and ctext[p - 1] == "犯"):
            continue
        if ctext[p + 1:p + 2] in _not_names()[0]:
            continue
        run = _NAME_CHARS.match(ctext[::-1], len(ctext) - p)       # the name characters before 罪
        lo = p - (len(run.group(0)) if run else 0)
        lo = max(lo, p - 30)
        starts = [e for e in _cue_ends(ctext, lo, p) if p - e >= 2]
        starts += [e + 1 for e in ends if lo <= e + 1 < p and ctext[e:e + 1] in "、和及与" and p - e >= 3]
        if not starts:
            continue
        s = max(starts)                    # the cue nearest to 罪: 以张某涉嫌[X罪]
        name = ctext[s:p + 1]
        if name in stop or name.startswith("、") or any(taken[s:p + 1]):
            continue
        out.append((s, p + 1))
        ends.add(p + 1)
        for k in range(s, p + 1):
            taken[k] = True
    return sorted(out)


def _sentence_of(ctext: str, pos: int, pattern=SENTENCE_LINE_END) -> tuple[int, int]:
    return unit_of(ctext, pos, pattern)


@lru_cache(maxsize=1)
def _judgment_cues():
    return tuple(sorted(((w, k) for w, k, *_ in table("judgment_cues.tsv", ("word", "kind"))),
                        key=lambda x: -len(x[0])))


def _act_kind(ctext: str, e: dict) -> str | None:
    """The kind an ACTION span's words give, from judgment_cues.tsv (or the normalizer's)."""
    if e["type"] != "ACTION":
        return None
    from lawie.labels.values import normalize
    return normalize("ACTION", ctext[e["start"]:e["end"]])["kind"]


@lru_cache(maxsize=1)
def _prosecution_steps() -> frozenset:
    """Acts of acts.tsv's prosecution frame (移送起诉, 提请批准逮捕 …), whatever their kind."""
    return frozenset(w for w, k, f, *_ in table("acts.tsv", ("lemma", "kind", "frame"))
                     if f == "prosecution")


def _names_charge(ctext: str, e: dict) -> bool:
    """Whether an ACTION is one a charge is named for: a judgment, lawsuit, case filing or
    hearing, or a step of the prosecution (移送起诉 is kind other, as the gold has it)."""
    from lawie.labels.values import clean_name
    return (_act_kind(ctext, e) in _CHARGE_ACT_KINDS
            or clean_name(ctext[e["start"]:e["end"]]) in _prosecution_steps())


def _add_outcome_spans(ctext: str, ents: list[dict]) -> tuple[list[dict], set]:
    """Rule spans added, model spans inside them dropped; returns (entities, statutory starts)."""
    new = []
    statutory = set()
    for s, e, stat in sentence_spans(ctext):
        new.append({"type": "SENTENCE", "start": s, "end": e, "score": RULE_SCORE, "rule": True})
        if stat:
            statutory.add(s)
    for s, e in charge_spans(ctext):
        new.append({"type": "CHARGE", "start": s, "end": e, "score": RULE_SCORE, "rule": True})
    kept = []
    for x in ents:
        inside = any(n["start"] <= x["start"] and x["end"] <= n["end"] for n in new)
        crosses = any(x["start"] < n["end"] and n["start"] < x["end"] for n in new)
        if x["type"] in ("SENTENCE", "CHARGE") and crosses:
            continue                                   # the rule's span wins
        if inside or (crosses and x["type"] in ("ACTION", "DATE", "COUNT")):
            continue
        kept.append(x)
    return kept + new, statutory


@rule("sentence_relations", "outcomes", 30, "sentence: a SENTENCE links to the nearest "
      "sentencing act before it in its sentence (made from the cue 判处 when the model read none)")
def sentence_relations(ctext, ents, rels, statutory):
    """SENTENCE -> the nearest sentencing act before it in its sentence (one made from the cue
    when the model read none)."""
    out = list(rels)
    for j, s in enumerate(ents):
        if s["type"] != "SENTENCE" or s["start"] in statutory:
            continue
        if any(r["tail"] == j and r["type"] == "sentence" for r in out):
            continue
        lo, _ = _sentence_of(ctext, s["start"])
        acts = [i for i, a in enumerate(ents) if a["type"] == "ACTION" and lo <= a["start"]
                and a["end"] <= s["start"] and _act_kind(ctext, a) in _SENTENCE_ACT_KINDS]
        if not acts:
            made = _cue_action(ctext, ents, s, lo)
            if made is None:
                continue
            ents.append(made)
            acts = [len(ents) - 1]
        head = max(acts, key=lambda i: ents[i]["start"])
        out.append({"head": head, "tail": j, "type": "sentence", "score": RULE_SCORE})
    return out


def _cue_action(ctext, ents, sentence, lo):
    """An ACTION for the judgment cue right before a SENTENCE (判处 / 被判处 / 获刑 …), or None."""
    before = ctext[lo:sentence["start"]]
    for word, kind in _judgment_cues():
        k = before.rfind(word)
        if k < 0:
            continue
        gap = before[k + len(word):]
        # the cue governs the SENTENCE: at most a short target in between (判处被告人王某有期徒刑)
        if len(gap) > 12 or re.search(r"[，,；;：:。]", gap):
            continue
        s = lo + k
        e = s + len(word)
        if any(x["start"] < e and s < x["end"] for x in ents):
            continue
        return {"type": "ACTION", "start": s, "end": e, "score": RULE_SCORE, "rule": True}
    return None


@rule("charge_relations", "outcomes", 40, "charge: a CHARGE links to the nearest judgment, "
      "lawsuit, filing or hearing act after it in its sentence, else before; none in 犯X罪的")
def charge_relations(ctext, ents, rels, statutory):
    out = list(rels)
    for j, c in enumerate(ents):
        if c["type"] != "CHARGE" or any(r["tail"] == j and r["type"] == "charge" for r in out):
            continue
        if ctext[c["end"]:c["end"] + 1] == "的":
            continue                       # 犯X罪的，…: a condition in general terms, no case's act
        lo, hi = _sentence_of(ctext, c["start"])
        acts = [i for i, a in enumerate(ents) if a["type"] == "ACTION" and lo <= a["start"] < hi
                and _names_charge(ctext, a)]
        after = [i for i in acts if ents[i]["start"] >= c["end"]]
        before = [i for i in acts if ents[i]["end"] <= c["start"]]
        if after:
            head = min(after, key=lambda i: ents[i]["start"])
        elif before:
            head = max(before, key=lambda i: ents[i]["start"])
        else:
            continue
        out.append({"head": head, "tail": j, "type": "charge", "score": RULE_SCORE})
    return out


@rule("own_defendants", "outcomes", 50, "several judgment acts in one sentence: each ；-clause "
      "with one of them keeps its targets, sentences and amounts on it (判处甲…；判处乙…)")
def own_defendants(ctext, ents, rels, statutory):
    """Several judgment acts in one sentence: a ；-clause that holds exactly one of them keeps its
    target, sentence and amount arguments on that act."""
    judg = [i for i, a in enumerate(ents) if a["type"] == "ACTION"
            and _act_kind(ctext, a) in _SENTENCE_ACT_KINDS]
    if len(judg) < 2:
        return rels
    clause_of = {}
    for i, e in enumerate(ents):
        clause_of[i] = _sentence_of(ctext, e["start"], CLAUSE_LINE_END)
    owner = {}
    for c in set(clause_of[i] for i in judg):
        inside = [i for i in judg if clause_of[i] == c]
        if len(inside) == 1:
            owner[c] = inside[0]
    sent = {i: _sentence_of(ctext, ents[i]["start"]) for i in judg}
    out, seen = [], set()
    for r in rels:
        h, t = r["head"], r["tail"]
        if h in sent and r["type"] in ("target", "sentence", "amount"):
            c = clause_of.get(t)
            o = owner.get(c)
            if o is not None and o != h and sent[o] == sent[h]:
                r = dict(r, head=o)
        k = (r["head"], r["tail"], r["type"])
        if k not in seen:
            seen.add(k)
            out.append(r)
    return out


_FINE = re.compile(r"罚金(?:人民币)?$")


@rule("sentence_arguments", "outcomes", 60, "the defendant right before a SENTENCE is a target of "
      "its act, a fine (并处罚金X) after it an amount")
def sentence_arguments(ctext, ents, rels, statutory):
    """The defendant named right before a SENTENCE (判处甲有期徒刑三年；乙有期徒刑二年) is a target of
    the act that imposes it, and a fine (并处罚金X) after a SENTENCE in its sentence an amount of that
    act: the defendants of one act keep their terms and fines apart."""
    out = list(rels)
    have = {(r["head"], r["tail"], r["type"]) for r in out}
    act_of = {r["tail"]: r["head"] for r in out if r["type"] == "sentence"}
    sentences = sorted((ents[j]["start"], j) for j in act_of)
    for j, a in act_of.items():
        s = ents[j]
        for i, p in enumerate(ents):
            if p["type"] == "PARTY" and 0 <= s["start"] - p["end"] <= 1 \
                    and p["start"] > ents[a]["start"] and (a, i, "target") not in have:
                out.append({"head": a, "tail": i, "type": "target", "score": RULE_SCORE})
                have.add((a, i, "target"))
    for i, m in enumerate(ents):
        if m["type"] != "MONEY" or not _FINE.search(ctext[max(0, m["start"] - 8):m["start"]]):
            continue
        lo, _ = _sentence_of(ctext, m["start"])
        before = [j for st, j in sentences if lo <= st < m["start"]]
        if not before or any(r["tail"] == i and r["type"] == "amount" for r in out):
            continue
        a = act_of[before[-1]]
        out.append({"head": a, "tail": i, "type": "amount", "score": RULE_SCORE})
    return out


RULES = (("sentence_relations", sentence_relations), ("charge_relations", charge_relations),
         ("own_defendants", own_defendants), ("sentence_arguments", sentence_arguments))
SPAN_RULES = ("sentence_spans", "charge_spans")


def add_outcomes(ctext: str, pred: dict, disable=frozenset()) -> dict:
    """The prediction (clean offsets, relations by entity index) with the outcome rules applied."""
    ents = [dict(e) for e in pred["entities"]]
    old_index = {id(e): i for i, e in enumerate(pred["entities"])}
    statutory: set = set()
    if not {"sentence_spans", "charge_spans"} <= set(disable):
        ents_new, statutory = _add_outcome_spans(ctext, pred["entities"])
        if "sentence_spans" in disable:
            ents_new = [e for e in ents_new if not (e.get("rule") and e["type"] == "SENTENCE")]
        if "charge_spans" in disable:
            ents_new = [e for e in ents_new if not (e.get("rule") and e["type"] == "CHARGE")]
        remap = {old_index[id(e)]: k for k, e in enumerate(ents_new) if id(e) in old_index}
        ents = [dict(e) for e in ents_new]
        rels = [dict(r, head=remap[r["head"]], tail=remap[r["tail"]]) for r in pred["relations"]
                if r["head"] in remap and r["tail"] in remap]
    else:
        rels = [dict(r) for r in pred["relations"]]
    for name, rule in RULES:
        if name not in disable:
            rels = rule(ctext, ents, rels, statutory)
    for e in ents:                  # an act made from a cue word keeps the mark: it is that word
        if e["type"] != "ACTION":     # (被|判 -> 判), which no fragment check may drop
            e.pop("rule", None)
    return {"entities": ents, "relations": rels}


def rule_names() -> tuple:
    return SPAN_RULES + tuple(n for n, _ in RULES)
