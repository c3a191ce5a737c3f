"""Assemble the output document: model spans (clean offsets) -> original offsets, norms, aliases,
relation ids, and the case timeline (`events`).

This is the last step of the flow  text -> clean -> encode -> spans -> relations -> normalize -> JSON,
and the only place where clean offsets turn into original ones.
"""
from __future__ import annotations

import bisect
import itertools
import re
from functools import lru_cache

from lawie.infer.clean import load_spin_table
from lawie.infer.organs import division_ends
from lawie.infer.outcomes import add_outcomes
from lawie.infer.relations import SentenceIndex
from lawie.infer.rules import check_names, rule
from lawie.infer.spans import (DEICTIC_PLACES, EMPLOYEE_TITLE, ERA_WORDS, GENERIC_AGENCIES,
                               ORGAN_ENDINGS, SPACE_CHARS, refine_span, restructure_spans, retype)
from lawie.infer.text import (CLAUSE_LINE_END, CLAUSE_STOP, COMMA_CLAUSE_END, LIST_PUNCT,
                              SENTENCE_STOP, trim_edges, unit_start)
from lawie.labels.lexicon import table, words
from lawie.labels.numbers import context_approx, parse_number
from lawie.labels.schema import RELATION_TYPES, relation_allowed
from lawie.labels.values import _currency_words as currency_words
from lawie.labels.values import _listed_organ_kind as listed_organ_kind
from lawie.labels.values import currency_of, normalize, normalize_entities, null_reason

# （以下简称“徐水区院”） / (以下简称区住建局) / ，以下简称... : the short form defined right after a name
_ALIAS_DEF = re.compile(r"^[（(]?\s*(?:以下|下文)?(?:简称|下称|简称为)[：:]?\s*[“\"「『]?")

ROLES = tuple(r for r in RELATION_TYPES if r != "alias_of")


# short organ words (市场监管局 -> 市场监督管理局) at the end of a name, longest first
_ORGAN_SHORT_WORDS = tuple(sorted(table("organ_short_words.tsv", ("short", "full")),
                                  key=lambda r: -len(r[0])))


def _agency_key(name: str) -> str:
    """What two names of one organ share: the name with its short organ word written in full
    (organ_short_words.tsv) and without 人民."""
    for short, full in _ORGAN_SHORT_WORDS:
        if name.endswith(short):
            name = name[:len(name) - len(short)] + full
            break
    return name.replace("人民", "")


@rule("agency_full_name", "document", 200, "AGENCY norm.name: the name a short form stands for, "
      "else the fullest name the text gives for the organ (十堰市检察院 -> 十堰市人民检察院)")
def _resolve_agency_names(entities: list[dict], relations: list[dict]) -> None:
    """AGENCY norm.name: the name a short form stands for (alias_of), else the fullest name the same
    text gives for the organ (a longer AGENCY name ending with this one, 人民 ignored)."""
    by_id = {e["id"]: e for e in entities}
    short_to_full: dict[str, str] = {}
    for r in relations:
        if r["type"] != "alias_of":
            continue
        h, t = by_id[r["head"]], by_id[r["tail"]]
        if h["type"] == "AGENCY" == t["type"]:
            short_to_full[h["norm"]["name"]] = t["norm"]["name"]
    names = {e["norm"]["name"] for e in entities if e["type"] == "AGENCY"}
    keys = {n: _agency_key(n) for n in names}
    resolved: dict[str, str] = {}          # once per distinct name: linear in the mentions

    def fullest(name: str) -> str:
        key = _agency_key(name)
        # longer names of the organ; the same name with 人民 counts as longer (十堰市检察院 ->
        # 十堰市人民检察院)
        longer = {n for n, k in keys.items() if k.endswith(key)
                  and (len(k) > len(key) or len(n) > len(name))}
        # only when unambiguous: all candidates are suffixes of the longest one
        if longer:
            best = max(longer, key=len)
            if all(keys[best].endswith(keys[n]) for n in longer):
                return best
        return name

    for e in entities:
        if e["type"] != "AGENCY":
            continue
        name = e["norm"]["name"]
        name = short_to_full.get(name, name)
        if name not in resolved:
            resolved[name] = fullest(name)
        e["norm"]["name"] = resolved[name]
    # short forms whose full form was itself lengthened
    for e in entities:
        if e["type"] == "AGENCY" and e["norm"]["name"] in short_to_full:
            e["norm"]["name"] = short_to_full[e["norm"]["name"]]


@rule("alias_definition", "document", 5, "alias_of: a name followed by （以下简称X） is the full "
      "form of the next mention X of its type")
def _alias_rule(clean_text: str, ents: list[dict], rels: list[tuple]) -> list[tuple]:
    """Deterministic alias_of for the '(以下简称X)' definition pattern, added when the model missed it:
    an AGENCY/PARTY directly followed by 以下简称 and another mention of the same type."""
    have = {(h, t) for h, t, role, _ in rels if role == "alias_of"}
    order = sorted(range(len(ents)), key=lambda i: ents[i]["cstart"])
    out = []
    for a, b in zip(order, order[1:]):
        ea, eb = ents[a], ents[b]
        if ea["type"] != eb["type"] or ea["type"] not in ("AGENCY", "PARTY"):
            continue
        gap = clean_text[ea["cend"]:eb["cstart"]]
        if len(gap) <= 12 and _ALIAS_DEF.match(gap.strip()) and (b, a) not in have:
            out.append((b, a, "alias_of", min(ea["score"], eb["score"])))
    return out


_BARE_YEAR = re.compile(r"(?<![\d.])\d{1,3}\s*年")


def _era_texts(views: list[dict], text: str) -> dict[int, str]:
    """In a text that names an era (民国112年: labels/data/lexicon/date_eras.tsv), a DATE with a bare
    year of one to three digits (99年12月, 112年) is a year of that era (99年 is then 2010, not
    1999): the wording its value is read from, by view index."""
    era = next((e for e in ERA_WORDS if e in text), None)
    if era is None:
        return {}
    return {i: era + v["text"] for i, v in enumerate(views)
            if v["type"] == "DATE" and _BARE_YEAR.match(v["text"])}


def normalize_document(views: list[dict], text: str, doc_date: str | None = None) -> None:
    """Set `norm` on each view ({"type", "text", "start", "end"} in offsets of `text`, the clean
    text, sorted by start): the span's own value (labels.values), DATE anchors chained through the
    document, and the words right around a COUNT / MONEY that the spec keeps outside its span
    (至少 5人, 10个以上, 新台币2万元) deciding `approx` and `currency` where the span says nothing."""
    era = _era_texts(views, text)
    if era:                         # read in the era, chained like any DATE; the text stays
        read = [dict(v, text=era.get(i, v["text"])) for i, v in enumerate(views)]
        normalize_entities(read, doc_date=doc_date)
        for v, r in zip(views, read):
            v["norm"] = r["norm"]
    else:
        normalize_entities(views, doc_date=doc_date)
    for v in views:
        if v["type"] not in ("COUNT", "MONEY") or not isinstance(v.get("norm"), dict):
            continue
        norm = v["norm"]
        # the words around, across the spaces a web copy puts between Han and digits (新台幣 5萬元)
        before = text[max(0, v["start"] - 12):v["start"]].rstrip(SPACE_CHARS)
        after = text[v["end"]:v["end"] + 8].lstrip(SPACE_CHARS)
        if norm.get("approx") is None:
            norm["approx"] = context_approx(before[-4:], after[:3])
        if v["type"] == "MONEY" and norm.get("currency") in (None, "CNY"):
            for word, cur in currency_words():
                if cur and before.endswith(word):
                    norm["currency"] = cur
                    break


# words that call an act illegal: such an act (of kind violation or other; 没收违法所得 is a
# penalty) is a violation, and no state organ commits one (no such gold ACTION has an AGENCY agent:
# seed gold, real dev, 300 generated dev documents)
# Words that name a violation by their meaning (出售, 泄露, 获利: violator_acts.tsv) count the same.
_ILLEGAL = re.compile("|".join(map(re.escape, words("illegal_words.tsv")
                                   + words("violator_acts.tsv"))))


@rule("organ_act_no_violation", "document", 140, "ACTION kind: an act done by a state organ is no "
      "violation (最高检发布典型案例: other) unless its words call it illegal or name a violation "
      "(非法, 出售, 泄露: illegal_words.tsv, violator_acts.tsv)")
def _organ_act_no_violation(e: dict, args: dict, illegal: frozenset) -> None:
    agents = args.get("agent", [])
    if e["norm"].get("kind") == "violation" and agents and all(t == "AGENCY" for t in agents) \
            and e["id"] not in illegal:
        e["norm"]["kind"] = "other"


@rule("party_act_violation", "document", 145, "ACTION kind: an act of a party with a count or an "
      "amount is a violation (the spec annotates violations only with one)")
def _party_act_violation(e: dict, args: dict, illegal: frozenset) -> None:
    agents = args.get("agent", [])
    if e["norm"].get("kind") == "other" and agents and all(t == "PARTY" for t in agents) \
            and (args.get("count") or args.get("amount")):
        e["norm"]["kind"] = "violation"


_KIND_RULES = (("organ_act_no_violation", _organ_act_no_violation),
               ("party_act_violation", _party_act_violation))


def _action_kinds_from_arguments(entities: list[dict], relations: list[dict],
                                 illegal: frozenset = frozenset(),
                                 disable: frozenset = frozenset()) -> None:
    """What the words of an act leave open, its arguments decide: an act done by a state organ is
    no violation (最高检发布典型案例: `other`) unless its words call it illegal (``illegal``: ids),
    and an act of a party involving a count or an amount is one (the spec annotates violations
    only with such an argument)."""
    rules = [f for name, f in _KIND_RULES if name not in disable]
    by_id = {e["id"]: e for e in entities}
    args: dict[str, dict[str, list]] = {}
    for r in relations:
        if r["type"] != "alias_of":
            args.setdefault(r["head"], {}).setdefault(r["type"], []).append(by_id[r["tail"]]["type"])
    for e in entities:
        if e["type"] != "ACTION":
            continue
        for f in rules:
            f(e, args.get(e["id"], {}), illegal)


# Who can perform which act, as the guideline's roles imply and every relation of the seed gold and
# of real dev bears out: only a state organ fines, judges, files a case or holds a hearing (a party
# read as the agent of 罚款 in 某银行被罚款 is the one fined); only a court judges or is a venue
# ("the court where a lawsuit is filed or judged"); a procuratorate imposes no penalty.
_ORGAN_ACTS = frozenset({"penalty", "judgment", "case_filed", "hearing"})


@rule("organ_act_party_target", "document", 150, "relations: only a state organ fines, judges, "
      "files a case or holds a hearing; a PARTY as its agent is the target (某银行被罚款)")
def _organ_act_party_target(r, tail_type, kind, organ, targets, illegal):
    if r["type"] == "agent" and tail_type == "PARTY" and kind in _ORGAN_ACTS:
        if (r["head"], r["tail"]) in targets:
            return None
        r = dict(r, type="target")
        targets.add((r["head"], r["tail"]))
    return r


@rule("courts_judge", "document", 155, "relations: only a court is a venue or the agent of a "
      "judgment (the venue: the court where a lawsuit is filed or judged), and no court is what a "
      "judgment judges (its target)")
def _courts_judge(r, tail_type, kind, organ, targets, illegal):
    if organ is not None and organ != "court" and (
            r["type"] == "venue" or (r["type"] == "agent" and kind == "judgment")):
        return None
    if organ == "court" and r["type"] == "target" and kind == "judgment":
        return None
    return r


@rule("procuratorate_no_penalty", "document", 160, "relations: a procuratorate imposes no "
      "penalty, so it is no agent of one (the guideline's roles; seed gold and real dev)")
def _procuratorate_no_penalty(r, tail_type, kind, organ, targets, illegal):
    if r["type"] == "agent" and kind == "penalty" and organ == "procuratorate":
        return None
    return r


@rule("illegal_act_no_organ", "document", 165, "relations: no state organ is the agent of an act "
      "its words call illegal or name a violation (非法爬取, 出售, 外泄)")
def _illegal_act_no_organ(r, tail_type, kind, organ, targets, illegal):
    if r["type"] == "agent" and organ is not None and r["head"] in illegal:
        return None
    return r


_ROLE_RULES = (("organ_act_party_target", _organ_act_party_target),
               ("courts_judge", _courts_judge),
               ("procuratorate_no_penalty", _procuratorate_no_penalty),
               ("illegal_act_no_organ", _illegal_act_no_organ))


# acts of the act lexicon's frame "report": a person reports to an organ (agent PARTY, target organ)
_REPORT_ACTS = frozenset(w for w, _, frame, *_ in table("acts.tsv", ("lemma", "kind", "frame"))
                         if frame == "report")


@rule("reporter_agent", "document", 152, "relations: the party of a report (小李向派出所报案, 举报, "
      "投诉: acts.tsv frame report) is its agent, not its target")
def _reporter_agent(r, head_text, tail_type, organ, agents):
    return dict(r, type="agent") if r["type"] == "target" and tail_type == "PARTY" \
        and head_text in _REPORT_ACTS and r["head"] not in agents else r


@rule("organ_penalty_agent", "document", 153, "relations: a state organ is never the one penalized: "
      "an AGENCY as the target of a penalty (某支行开出罚单) is its agent")
def _organ_penalty_agent(r, head_text, tail_type, organ, agents, kind=None):
    if r["type"] == "target" and organ is not None and kind == "penalty":
        return dict(r, type="agent") if r["head"] not in agents else None
    return r


def _argument_roles(entities: list[dict], relations: list[dict], text_of: dict,
                    disable: frozenset = frozenset()) -> list[dict]:
    """The rules reporter_agent and organ_penalty_agent: a target that the act's frame makes its
    agent becomes it (once: where the act has an agent already, the target goes for an organ and
    stays for a party)."""
    by_id = {e["id"]: e for e in entities}
    agents = {r["head"] for r in relations if r["type"] == "agent"}
    have = {(r["head"], r["type"], r["tail"]) for r in relations}
    out = []
    for r in relations:
        head, tail = by_id[r["head"]], by_id[r["tail"]]
        if head["type"] == "ACTION" and r["type"] == "target":
            organ = tail["norm"].get("kind") if tail["type"] == "AGENCY" else None
            if "reporter_agent" not in disable:
                r = _reporter_agent(r, text_of[r["head"]], tail["type"], organ, agents)
            if r is not None and "organ_penalty_agent" not in disable:
                r = _organ_penalty_agent(r, text_of[r["head"]], tail["type"], organ, agents,
                                         head["norm"].get("kind"))
            if r is None or (r["type"] == "agent" and (r["head"], "agent", r["tail"]) in have):
                continue
            if r["type"] == "agent":
                agents.add(r["head"])
                have.add((r["head"], "agent", r["tail"]))
        out.append(r)
    return out


def _role_constraints(entities: list[dict], relations: list[dict],
                      illegal: frozenset = frozenset(), disable: frozenset = frozenset()) -> list[dict]:
    """Relations that break the rules above are mended or dropped: a PARTY as the agent of a
    penalty, judgment, filing or hearing becomes its target (or goes, where it is the target
    already); a venue that is no court, the agent of a judgment that is no court, a
    procuratorate as the agent of a penalty and an AGENCY as the agent of an act its words call
    illegal (``illegal``: ids; 非法爬取) go."""
    rules = [f for name, f in _ROLE_RULES if name not in disable]
    by_id = {e["id"]: e for e in entities}
    targets = {(r["head"], r["tail"]) for r in relations if r["type"] == "target"}
    out = []
    for r in relations:
        head, tail = by_id[r["head"]], by_id[r["tail"]]
        kind = head["norm"].get("kind") if head["type"] == "ACTION" else None
        organ = tail["norm"].get("kind") if tail["type"] == "AGENCY" else None
        for f in rules:
            r = f(r, tail["type"], kind, organ, targets, illegal)
            if r is None:
                break
        else:
            out.append(r)
    return out


# -------------------------------------------------------------- rules that read the context
# the text of a provision quoted after its citation (…规定：“…责令改正，给予警告…”) names acts the
# law provides for, not acts of the case
_QUOTE_OPEN = "“「\"『"
_QUOTE_CLOSE = {"“": "”", "「": "」", "\"": "\"", "『": "』"}
_CITES = re.compile(r"规定|条|款")
# an act someone proposes or demands (建议法院判处…, 要求其停止…) has not happened
_IRREALIS = re.compile("|".join(map(re.escape, words("irrealis_words.tsv"))))
_IRREALIS_KEEP = frozenset({"suggestion", "lawsuit", "violation"})
_FINE_WORDS = frozenset(words("fine_words.tsv"))


def _quoted_provisions(ctext: str) -> list[tuple[int, int]]:
    out = []
    for k, ch in enumerate(ctext):
        if ch in _QUOTE_OPEN and _CITES.search(ctext[max(0, k - 12):k]):
            close = ctext.find(_QUOTE_CLOSE[ch], k + 1)
            if close > 0:
                out.append((k, close + 1))
    return out


@rule("quoted_provision", "document", 10, "ACTION: an act inside a provision quoted after its "
      "citation (…规定：“…给予警告…”) is what the law provides for, no act of the case")
def _quoted_provision_acts(entities, ctext: str, cspans) -> set:
    quoted = _quoted_provisions(ctext)
    return {e["id"] for e, (cs, ce) in zip(entities, cspans)
            if e["type"] == "ACTION" and any(a <= cs < b for a, b in quoted)}


@rule("irrealis_act", "document", 20, "ACTION: an act someone proposes or demands in its clause "
      "(建议法院判处…, 要求其停止…) has not happened (the proposal or claim itself stays)")
def _irrealis_acts(entities, ctext: str, cspans) -> set:
    drop = set()
    for e, (cs, ce) in zip(entities, cspans):
        if e["type"] != "ACTION":
            continue
        k = unit_start(ctext, cs, COMMA_CLAUSE_END)
        if _IRREALIS.search(ctext[k:cs]) and e["norm"].get("kind") not in _IRREALIS_KEEP:
            drop.add(e["id"])
    return drop


def _context_drops(entities, ctext: str, cspans, disable: frozenset = frozenset()) -> set:
    """ACTIONs that are no act of the case: inside a quoted provision, or inside what someone
    proposes or demands in the same clause (unless it is the proposal or the claim itself)."""
    drop = set()
    if "quoted_provision" not in disable:
        drop |= _quoted_provision_acts(entities, ctext, cspans)
    if "irrealis_act" not in disable:
        drop |= _irrealis_acts(entities, ctext, cspans)
    return drop


@rule("passive_voice", "document", 60, "relations: an agent before a 被 that introduces the act "
      "(X被罚, X被Y处以罚款) is its target")
def _passive_voice(r: dict, ctext: str, span: dict, have: set, named: list) -> dict:
    if r["type"] == "agent":
        (_, xe), (a_s, _) = span[r["tail"]], span[r["head"]]
        between = ctext[xe:a_s]
        k = between.rfind("被")
        # the tail is the subject of 被: same clause, no other party or organ in between
        if xe <= a_s and k >= 0 and not COMMA_CLAUSE_END.search(between, 0, k) \
                and not CLAUSE_LINE_END.search(between) \
                and (r["head"], r["tail"], "target") not in have \
                and bisect.bisect_left(named, xe) == bisect.bisect_left(named, xe + k):
            after = xe + k + 1              # 被 right before the act, or before its agent
            j = bisect.bisect_left(named, after)
            if after == a_s or (j < len(named) and named[j] == after):
                r = dict(r, type="target")
    return r


# 由 X + act, and a verb that hands the case to X + X's act (移送某县人民检察院审查起诉): X acts
_BY = re.compile("(?:" + "|".join(("由",) + tuple(words("handover_words.tsv"))) + ")$")


@rule("by_agent", "document", 65, "relations: an organ or party right after 由 / 交由, or after a "
      "verb handing it the case (移送X审查起诉), that the act follows in its clause is the act's "
      "agent (由律政司提出检控), not its target")
def _by_agents(entities, relations, ctext: str, span: dict) -> list[dict]:
    """For each act: the AGENCY / PARTY that follows a 由 (交由) and that the act comes after,
    within 12 characters and no clause punctuation, is its agent; the model's target relation to
    it becomes that agent relation, and one is added where the act has no agent; an agent named
    before that 由 is none (案件由公署转介警方调查后，由律政司提出检控: not 公署)."""
    named = sorted((span[e["id"]][0], span[e["id"]][1], e["id"]) for e in entities
                   if e["type"] in ("AGENCY", "PARTY"))
    by_of = {}
    for e in entities:
        if e["type"] != "ACTION":
            continue
        a_s = span[e["id"]][0]
        for ns, ne, nid in reversed(named):
            if ne > a_s:
                continue
            if a_s - ne > 12 or COMMA_CLAUSE_END.search(ctext, ne, a_s):
                break
            if _BY.search(ctext[max(0, ns - 2):ns]):
                by_of[e["id"]] = nid
                break
    if not by_of:
        return relations
    have = {(r["head"], r["type"], r["tail"]) for r in relations}
    out = []
    for r in relations:
        by = by_of.get(r["head"])
        if by is not None and r["type"] == "target" and by == r["tail"]:
            if (r["head"], "agent", r["tail"]) not in have:
                out.append(dict(r, type="agent"))
                have.add((r["head"], "agent", r["tail"]))
            continue
        if by is not None and r["type"] == "agent" and span[r["tail"]][1] <= span[by][0]:
            continue
        out.append(r)
    agents = {r["head"] for r in out if r["type"] == "agent"}
    for act, nid in by_of.items():
        if act not in agents and (act, "agent", nid) not in have:
            out.append({"type": "agent", "head": act, "tail": nid, "score": 0.9})
    return out


@rule("fine_amounts", "document", 70, "relations: a fine (罚款) takes the MONEY right after it and "
      "that MONEY's list (罚款1万元、2万元和3万元) as amounts, and no other penalty takes them "
      "(罚款120万元，责任人被罚款5万元: 5万元 is the second fine's)")
def _fine_amounts(e: dict, ctext: str, span: dict, money: list, pairs: set,
                  owner: dict | None = None) -> list[dict]:
    a_s, a_e = span[e["id"]]
    out = []
    if ctext[a_s:a_e] in _FINE_WORDS:
        pos, first = a_e, True
        for ms, me, mid in money:
            if ms < pos:
                continue
            gap = ctext[pos:ms]
            if not (gap in ("", "人民币") if first else gap in ("、", "和", "及", "以及")):
                break
            if owner is not None:
                owner.setdefault(mid, e["id"])
            if (e["id"], mid) not in pairs:
                out.append({"type": "amount", "head": e["id"], "tail": mid, "score": e["score"]})
                pairs.add((e["id"], mid))
            pos, first = me, False
    return out


@rule("violation_count", "document", 80, "relations: a violation without a count takes the "
      "nearest COUNT of its own clause (将3万条信息出售)")
def _violation_count(e: dict, ctext: str, span: dict, counts: list, pairs: set,
                     roles: dict) -> list[dict]:
    if e["norm"].get("kind") != "violation" or "count" in roles.get(e["id"], ()):
        return []
    a_s, a_e = span[e["id"]]
    best = None
    for cs, ce, cid in counts:
        lo, hi = min(cs, a_s), max(ce, a_e)
        if hi - lo <= 30 and not COMMA_CLAUSE_END.search(ctext, lo, hi) \
                and (e["id"], cid) not in pairs:
            d = abs(cs - a_s)
            if best is None or d < best[0]:
                best = (d, cid)
    if best:
        return [{"type": "count", "head": e["id"], "tail": best[1], "score": e["score"]}]
    return []


def _context_relations(entities, relations, ctext: str, cspans,
                       disable: frozenset = frozenset()) -> list[dict]:
    """Relations the sentence structure decides where the model is weak (the rules
    passive_voice, fine_amounts and violation_count; the last two read act by act)."""
    span = {e["id"]: sp for e, sp in zip(entities, cspans)}
    have = {(r["head"], r["tail"], r["type"]) for r in relations}
    pairs = {(r["head"], r["tail"]) for r in relations}
    named = sorted(span[e["id"]][0] for e in entities if e["type"] in ("AGENCY", "PARTY"))
    if "passive_voice" in disable:
        out = list(relations)
    else:
        out = [_passive_voice(r, ctext, span, have, named) for r in relations]
    if "by_agent" not in disable:
        out = _by_agents(entities, out, ctext, span)
    money = sorted((span[e["id"]][0], span[e["id"]][1], e["id"]) for e in entities
                   if e["type"] == "MONEY")
    counts = [(span[e["id"]][0], span[e["id"]][1], e["id"]) for e in entities if e["type"] == "COUNT"]
    roles: dict = {}
    for r in out:
        roles.setdefault(r["head"], set()).add(r["type"])
    fines, violations = "fine_amounts" not in disable, "violation_count" not in disable
    owner: dict = {}                      # MONEY id -> the fine it follows right after
    for e in entities:
        if e["type"] != "ACTION":
            continue
        if fines:
            out += _fine_amounts(e, ctext, span, money, pairs, owner)
        if violations:
            out += _violation_count(e, ctext, span, counts, pairs, roles)
    if owner:
        penalty = {e["id"] for e in entities
                   if e["type"] == "ACTION" and e["norm"].get("kind") == "penalty"}
        out = [r for r in out if not (r["type"] == "amount" and r["tail"] in owner
                                      and r["head"] != owner[r["tail"]] and r["head"] in penalty)]
    return out


# ---------------------------------------------------------- anaphors: the nearest naming mention
# The guideline links an act to "the nearest mention that names its argument"; where the sentence
# of the act refers to it by an anaphor (对该公司作出…, 向上述三个行政机关制发…, 检察院向…发出…),
# that mention is the antecedent in an earlier part of the text, often out of the model's reach.
# 对/向 + an anaphoric noun phrase (or 其) introduces the target of the acts that follow it
_TARGET_ANAPHOR = re.compile(
    r"[对向](?:(?:该|涉案|涉事|上述|前述|此)(?:([一两二三四五六七八九]|[1-9])(?:个|家|名|所))?"
    r"(公司|医院|银行|支行|分行|平台|网站|行政机关|机关|部门)|其(?![他它中余]))")
_ORGAN_NOUNS = frozenset({"行政机关", "机关", "部门"})
_BANK_NOUNS = frozenset({"银行", "支行", "分行"})
# a generic organ word as the subject of a sentence stands for the organ named before
# (labels/data/lexicon/subject_anaphors.tsv: the word and the kinds of organ it stands for; "-":
# an organ whose name ends as the word does, 该局 -> …局)
_SUBJECT_KINDS = {w: None if kinds == "-" else tuple(kinds.split(","))
                  for w, kinds, *_ in table("subject_anaphors.tsv", ("word", "kinds"))}
_SUBJECT_ANAPHOR = re.compile(f"({'|'.join(map(re.escape, _SUBJECT_KINDS))})")
_COLLECTIVE = frozenset(words("collective_words.tsv"))
_SUBJECT_BEFORE = frozenset("，,。；;：:、（(“\"」』】后此时经并遂即")


def _antecedent_ok(noun: str | None, e: dict, text: str) -> bool:
    if noun is None:                                    # 其: a party named before
        return e["type"] == "PARTY"
    if noun in _ORGAN_NOUNS:
        return e["type"] == "AGENCY" and e["norm"].get("kind") not in ("procuratorate", "court")
    if e["type"] != "PARTY" or e["norm"].get("kind") == "person":
        return False
    return text.endswith("行") if noun in _BANK_NOUNS else text.endswith(noun)


# ---------------------------------------------------------------- field-form penalty notices
# 被处罚企业名称：X公司 / 处罚依据：《…》第N条 / 处罚结果：责令改正并处警告。 / 处罚机关：Y局 / 日期：…
_FIELD = re.compile(r"(?:^|(?<=[。；;]))[ \t\u3000]*([^：:\n。，,；;]{2,14}?)[：:]", re.M)
_FIELD_ROLES = (      # (role, key pattern, tail type); the first field of a role counts
    ("agent", re.compile(r"处罚机关|执法单位|决定机关|实施机关|执法机关|处罚单位名称|作出处罚"), "AGENCY"),
    ("target", re.compile(r"当事人|被处罚|行政相对人|相对人名称|企业名称|单位名称"), "PARTY"),
    ("basis", re.compile(r"依据"), "STATUTE"),
    ("date", re.compile(r"日期|决定时间|处罚时间"), "DATE"),
)
_RESULT_KEY = re.compile(r"处罚结果|处罚内容|处罚决定(?![书日时])|处罚种类|处罚类别|处罚情况")


@rule("form_fields", "document", 110, "relations: in a notice written as fields (处罚机关：…, "
      "当事人：…, 处罚结果：…) the acts of the result field take the other fields' arguments")
def _form_relations(entities, relations, ctext: str, cspans) -> list[dict]:
    """In a penalty notice written as fields, the acts of the result field (处罚结果：责令改正并处
    警告) take the arguments the other fields name: agent the organ of the authority field
    (处罚机关, 作出处罚的行政执法单位名称), target the party of the party field (当事人, 被处罚企业名称),
    basis the first statute of the basis field, date the date of the date field, each where the
    act has none of that role; ``_nearest_mentions`` then moves each to the nearest mention of the
    same argument, as everywhere. Real dev's one notice of this form is annotated so."""
    fields = []                                       # (key, value start, end of its line)
    for m in _FIELD.finditer(ctext):
        eol = ctext.find("\n", m.end())
        fields.append((m.group(1), m.end(), len(ctext) if eol < 0 else eol))
    results = [(s, e) for key, s, e in fields if _RESULT_KEY.search(key)]
    if not results:
        return relations
    span = {e["id"]: sp for e, sp in zip(entities, cspans)}
    args = {}
    for role, key_re, typ in _FIELD_ROLES:
        for key, s, e in fields:
            if role == "target" and _FIELD_ROLES[0][1].search(key) or \
                    role == "agent" and _FIELD_ROLES[3][1].search(key):
                continue                              # 执法单位名称 names the agent, not the party;
                #                                       作出处罚决定日期 the date, not the agent
            if key_re.search(key) and not _RESULT_KEY.search(key):
                inside = sorted((span[x["id"]][0], x["id"]) for x in entities
                                if x["type"] == typ and s <= span[x["id"]][0] < e)
                if inside:
                    args[role] = inside[0][1]
                    break
    have = {(r["head"], r["type"]) for r in relations}
    out = list(relations)
    for x in entities:
        if x["type"] != "ACTION" or not any(s <= span[x["id"]][0] < e for s, e in results):
            continue
        for role, tail in args.items():
            if (x["id"], role) not in have:
                out.append({"type": role, "head": x["id"], "tail": tail, "score": x["score"]})
    return out


def _anaphor_relations(entities, relations, ctext: str, cspans,
                       disable: frozenset = frozenset()) -> list[dict]:
    """Targets and agents given by an anaphor (see above), for acts the model left without one
    but linked to some other argument (an act with no argument of its own in its sentence is
    no concrete act of the case, and an anaphor does not make it one).
    - 对/向 + 该X / 涉案X / 上述N个X / 其: the acts after it in its sentence (up to the next 对/向)
      get as target the nearest earlier mention(s) of the right sort (N of them for 上述N个X;
      行政机关 are organs other than procuratorates and courts; 其 is a party);
    - a sentence whose first mention is a generic organ word (检察院, 该院, 法院, 警方 …) standing
      alone (after punctuation or the sentence start; not in a heading): its acts after it get as
      agent the earlier organ of that kind the text names most often (the nearest of equals, at
      its nearest mention), unless another organ or party opens a clause in between."""
    out = list(relations)
    if "target_anaphor" not in disable:
        out += _target_anaphors(entities, relations, ctext, cspans)
    if "defendant_pronoun" not in disable:
        out += _defendant_pronouns(entities, out, ctext, cspans)
    if "subject_anaphor" not in disable:
        out += _subject_anaphors(entities, relations, ctext, cspans)
    return out


def _anaphor_view(entities, relations, ctext: str, cspans):
    """What both anaphor rules read: each entity's clean span, the entities in text order, their
    clean text, each act's arguments by role, the sentence index, and the acts in a range."""
    span = {e["id"]: sp for e, sp in zip(entities, cspans)}
    order = sorted(entities, key=lambda e: span[e["id"]][0])
    text = {e["id"]: ctext[span[e["id"]][0]:span[e["id"]][1]] for e in entities}
    roles: dict = {}
    for r in relations:
        roles.setdefault(r["head"], {}).setdefault(r["type"], set()).add(r["tail"])

    def acts_in(lo, hi):
        return [e for e in order if e["type"] == "ACTION" and lo <= span[e["id"]][0] < hi]

    return span, order, text, roles, SentenceIndex(ctext), acts_in


@rule("target_anaphor", "document", 90, "relations: 对/向 + 该X / 上述N个X / 其 gives the acts after "
      "it the nearest earlier mention(s) of that sort as target")
def _target_anaphors(entities, relations, ctext: str, cspans) -> list[dict]:
    span, order, text, roles, sentences, acts_in = _anaphor_view(entities, relations, ctext,
                                                                  cspans)
    out = []

    for m in _TARGET_ANAPHOR.finditer(ctext):
        if any(span[e["id"]][0] < m.end() and span[e["id"]][1] > m.start() + 1
               for e in entities if e["type"] in ("AGENCY", "PARTY")):
            continue                                    # the phrase is itself a mention
        noun = m.group(2)
        want = 1
        if m.group(1):
            want = parse_number(m.group(1))
        s0, s1 = sentences.spans[sentences(m.start())]
        nxt = min([k for k in (ctext.find("对", m.end(), s1), ctext.find("向", m.end(), s1))
                   if k >= 0], default=s1)
        acts = [a for a in acts_in(m.end(), nxt) if a["norm"].get("kind") != "violation"
                and roles.get(a["id"]) and "target" not in roles[a["id"]]]
        if not acts:
            continue
        agents = set().union(*(roles.get(a["id"], {}).get("agent", set()) for a in acts))
        found, names = [], set()
        for e in reversed(order):
            if len(found) == want:
                break
            if span[e["id"]][1] > m.start() or e["id"] in agents or text[e["id"]] in names:
                continue
            if e["type"] in ("AGENCY", "PARTY") and _antecedent_ok(noun, e, text[e["id"]]):
                found.append(e)
                names.add(text[e["id"]])
        if len(found) != want:
            continue
        out += [{"type": "target", "head": a["id"], "tail": e["id"], "score": a["score"]}
                for a in acts for e in found]
    return out


# the defendant named by a pronoun or a role right after the judgment (判处其监禁8个月, 判处被告…)
_DEFENDANT_AFTER = re.compile(r"(?:其(?![他它中余])|他|她|被告人|被告)")


@rule("defendant_pronoun", "document", 95, "relations: a judgment or penalty followed by 其 / 她 / "
      "被告 (判处其监禁8个月) has as target the person named last before it")
def _defendant_pronouns(entities, relations, ctext: str, cspans) -> list[dict]:
    span = {e["id"]: sp for e, sp in zip(entities, cspans)}
    persons = sorted((span[e["id"]][1], e["id"]) for e in entities
                     if e["type"] == "PARTY" and e["norm"].get("kind") == "person")
    targeted = {r["head"] for r in relations if r["type"] == "target"}
    out = []
    for e in entities:
        if e["type"] != "ACTION" or e["id"] in targeted \
                or e["norm"].get("kind") not in ("judgment", "penalty"):
            continue
        a_s, a_e = span[e["id"]]
        if not _DEFENDANT_AFTER.match(ctext, a_e):
            continue
        before = [pid for pe, pid in persons if pe <= a_s]
        if before:
            out.append({"type": "target", "head": e["id"], "tail": before[-1], "score": e["score"]})
    return out


def _opens_clause(ctext: str, undated: str, s0: int, start: int) -> bool:
    """A mention at ``start`` opens its clause: between the clause's start (its sentence's ``s0``
    or the last ，；： before it) and the mention stand only DATEs, spaces and the words that may
    open a clause before its subject (_SUBJECT_BEFORE: 经, 后, 并 …); not 认定|肖某, 向|法院.
    ``undated``: ``ctext`` with its DATE spans blanked (same offsets), made once per document."""
    b = max(s0, unit_start(ctext, start, COMMA_CLAUSE_END))
    return all(c.isspace() or c in _SUBJECT_BEFORE for c in undated[b:start])


@rule("subject_anaphor", "document", 100, "relations: a generic organ word opening a sentence "
      "(检察院, 该院, 警方) gives its acts the organ of that kind the text names most as agent")
def _subject_anaphors(entities, relations, ctext: str, cspans) -> list[dict]:
    span, order, text, roles, sentences, acts_in = _anaphor_view(entities, relations, ctext,
                                                                  cspans)
    out = []

    undated = list(ctext)
    for e in order:
        if e["type"] == "DATE":
            s, t = span[e["id"]]
            undated[s:t] = " " * (t - s)
    undated = "".join(undated)
    starts = [span[e["id"]][0] for e in order]
    reach = list(itertools.accumulate((span[e["id"]][1] for e in order), max))  # furthest end so far
    for s0, s1 in sentences.spans:
        first = next((e for e in order[bisect.bisect_left(starts, s0):bisect.bisect_left(starts, s1)]
                      if e["type"] in ("AGENCY", "PARTY")), None)
        m = _SUBJECT_ANAPHOR.search(ctext, s0, s1)
        if m is None or (first is not None and span[first["id"]][0] < m.start()):
            continue
        k = bisect.bisect_right(starts, m.start())
        if k and reach[k - 1] > m.start():
            continue                                    # part of a named organ
        if ctext[max(s0, m.start() - 2):m.start()] in _COLLECTIVE:
            continue                                    # 全国检察机关: all of them, no antecedent
        if m.start() > s0 and not (ctext[m.start() - 1] in _SUBJECT_BEFORE
                                   or ctext[m.start() - 1].isspace()):
            continue                                    # the end of a name the model missed
        if not CLAUSE_LINE_END.search(ctext[s0:s1]) or (ctext[s1 - 1] == "\n"
                                                    and not COMMA_CLAUSE_END.search(ctext, s0, s1 - 1)):
            continue                                    # a heading (法院判决)
        word = m.group(1)
        kinds = _SUBJECT_KINDS[word]

        def ok(e):
            if e["type"] != "AGENCY":
                return False
            if kinds is None:
                return text[e["id"]].endswith(word[-1])
            return e["norm"].get("kind") in kinds

        # the organ the text is about: the most often named one, the nearest of equals
        named: dict[str, list] = {}
        for e in order:
            if span[e["id"]][1] <= s0 and ok(e):
                named.setdefault(e["norm"].get("name") or text[e["id"]], []).append(e)
        if not named:
            continue
        ante = max(named.values(), key=lambda es: (len(es), span[es[-1]["id"]][0]))[-1]
        for a in acts_in(m.end(), s1):
            a_s = span[a["id"]][0]
            # another organ or party opening a clause between the subject and the act
            if any(m.end() <= span[e["id"]][0] < a_s and e["type"] in ("AGENCY", "PARTY")
                   and _opens_clause(ctext, undated, s0, span[e["id"]][0]) for e in entities):
                break
            if a["norm"].get("kind") == "violation" or not roles.get(a["id"]) \
                    or "agent" in roles[a["id"]]:
                continue
            out.append({"type": "agent", "head": a["id"], "tail": ante["id"], "score": a["score"]})
    return out




# one-character acts the guideline knows (罚 of 罚2万元, 诉 of a case title, 收 of 收三张罚单); any
# other single character is a fragment
SINGLE_CHAR_ACTIONS = frozenset(words("single_char_actions.tsv"))


@rule("employee_argument", "document", 115, "relations: a company named right before its "
      "employee (某医院工作人员李某, 某银行客服王某) is no argument where the employee is: the act's "
      "agent or target is the person")
def _employee_arguments(entities, relations, ctext: str, cspans) -> list[dict]:
    """As the span rule titled_person does for one span read for both, for two spans: an org
    PARTY followed within its clause by an employee title and a person PARTY (the company only
    says whose employee), so each relation from an act to the company goes to the person
    (dropped where the act has that relation to the person already)."""
    span = {e["id"]: sp for e, sp in zip(entities, cspans)}
    parties = sorted((span[e["id"]][0], span[e["id"]][1], e) for e in entities
                     if e["type"] == "PARTY")
    employee = {}                                   # company id -> person id
    for (s1, e1, a), (s2, _, b) in zip(parties, parties[1:]):
        if a["norm"].get("kind") == "org" and b["norm"].get("kind") == "person" \
                and EMPLOYEE_TITLE.fullmatch(ctext, e1, s2):
            employee[a["id"]] = b["id"]
    if not employee:
        return relations
    have = {(r["head"], r["type"], r["tail"]) for r in relations}
    out = []
    for r in relations:
        person = employee.get(r["tail"])
        if person is None or r["type"] not in ("agent", "target"):
            out.append(r)
        elif (r["head"], r["type"], person) not in have:
            out.append(dict(r, tail=person))
            have.add((r["head"], r["type"], person))
    return out


@rule("one_date", "document", 130, "relations: an act happens at one date; of several date "
      "relations the best scored stays")
def _one_date(relations: list[dict]) -> list[dict]:
    """An act happens at one date (a point or a range: one DATE span): of several predicted
    `date` relations of an ACTION the best scored stays. No ACTION of the seed gold or real dev
    has two."""
    best: dict[str, dict] = {}
    for r in relations:
        if r["type"] == "date" and (r["head"] not in best or best[r["head"]]["score"] < r["score"]):
            best[r["head"]] = r
    return [r for r in relations if r["type"] != "date" or best[r["head"]] is r]


# a clause and a sentence for the nearest-mention rule; a line break alone ends neither (copies of
# PDFs break lines inside sentences)
_NAMED_TYPES = ("PARTY", "AGENCY", "STATUTE")


@rule("nearest_mention", "document", 120, "relations: an argument named more than once is the "
      "mention nearest the act (its object, then its clause, its sentence)")
def _nearest_mentions(entities, relations, ctext: str, cspans) -> list[dict]:
    """The guideline links an act "to the nearest mention that names its argument": where a
    party, organ or statute is named more than once (the same type and clean text), the relation
    goes to the mention the annotators pick: the act's object right after it (at most two
    characters between, no punctuation: 请求判令X); else the last one before the act in its clause
    (up to ； or 。), else the first one after it in its clause; else the same within its sentence
    (up to 。); else the last one before it, else the first one after it. Duplicates that this
    makes are merged, keeping the best score. Values (MONEY, COUNT, DATE) written alike are not one
    argument (两名被告人各并处罚金十九万元) and are left as they are. ``python -m
    lawie.train.rulecheck`` shows how far the gold agrees (corpus/README.md)."""
    span = {e["id"]: sp for e, sp in zip(entities, cspans)}
    by_id = {e["id"]: e for e in entities}
    named: dict[tuple, list] = {}
    for e in entities:
        s, t = span[e["id"]]
        named.setdefault((e["type"], ctext[s:t]), []).append(e["id"])
    best: dict[tuple, dict] = {}
    for r in relations:
        tail = r["tail"]
        if r["type"] != "alias_of" and by_id[tail]["type"] in _NAMED_TYPES:
            t = by_id[tail]
            s, e = span[t["id"]]
            same = [i for i in named[(t["type"], ctext[s:e])] if i != r["head"]]
            if len(same) > 1:
                tail = _nearest(same, span, span[r["head"]], ctext)
        k = (r["head"], tail, r["type"])
        if k not in best or best[k]["score"] < r["score"]:
            best[k] = dict(r, tail=tail)
    return list(best.values())


def _nearest(ids: list, span: dict, head: tuple, ctext: str):
    hs, he = head
    before = [i for i in ids if span[i][1] <= hs]
    after = [i for i in ids if span[i][0] >= he]
    objects = [i for i in after
               if span[i][0] - he <= 2 and not LIST_PUNCT.search(ctext[he:span[i][0]])]
    if objects:                                       # 请求判令|X, 判决|被告X: the act's own object
        return min(objects, key=lambda i: span[i][0])
    for stop in (CLAUSE_STOP, SENTENCE_STOP, None):
        b = [i for i in before if stop is None or not stop.search(ctext[span[i][1]:hs])]
        if b:
            return max(b, key=lambda i: span[i][0])
        a = [i for i in after if stop is None or not stop.search(ctext[he:span[i][0]])]
        if a:
            return min(a, key=lambda i: span[i][0])
    return ids[0]                                     # overlapping the act: leave the first


@rule("generic_agency", "document", 40, "AGENCY: a bare organ word (法院, 公安机关, 有关部门), a "
      "place name or a fragment with no organ ending is no entity (an organ of organ_kinds.tsv "
      "is: 律政司, 私隐专员)")
def _generic_agency(e: dict, ct: str) -> bool:
    return e["type"] == "AGENCY" and (ct in GENERIC_AGENCIES or not (
        ct.endswith(ORGAN_ENDINGS) or listed_organ_kind(ct) is not None))


@rule("single_char_action", "document", 50, "ACTION: one character is an act only where the "
      "guideline knows it (罚, 诉, 判, 收)")
def _single_char_action(e: dict, ct: str) -> bool:
    return e["type"] == "ACTION" and len(ct) == 1 and ct not in SINGLE_CHAR_ACTIONS


@rule("action_needs_argument", "document", 170, "ACTION: a concrete act has an argument (an "
      "enforcement step: any role; a violation: a count, an amount or a date)")
def _actions_without_argument(entities: list[dict], relations: list[dict]) -> set:
    roles: dict[str, set] = {}
    for r in relations:
        roles.setdefault(r["head"], set()).add(r["type"])
    drop = set()
    for e in entities:
        if e["type"] == "ACTION":
            have = roles.get(e["id"], set())
            if not have or (e["norm"].get("kind") == "violation"
                            and not have & {"count", "amount", "date"}):
                drop.add(e["id"])
    return drop


def apply_spec_rules(entities: list[dict], relations: list[dict], clean_texts: list[str],
                     ctext: str | None = None, cspans: list | None = None,
                     disable: frozenset = frozenset()):
    """The guideline's conditions on what is an entity, applied to the model's output: the rules
    of stage "document" in their order (`lawie rules`), each skipped when ``disable`` names it.
    Without the clean text ``ctext`` and the entities' spans in it ``cspans``, the rules that read
    the context (quoted_provision … nearest_mention) are skipped. After each pass that adds
    relations, those of dropped entities and those the schema does not allow go.
    Returns (entities, relations) without what was dropped."""
    on = lambda name: name not in disable            # noqa: E731
    by_id = {e["id"]: e for e in entities}
    text_of = {e["id"]: ct for e, ct in zip(entities, clean_texts)}
    drop = set()
    if ctext is not None:
        drop |= _context_drops(entities, ctext, cspans, disable)
    for e in entities:
        ct = text_of[e["id"]]
        if on("retype_names") and retype(e["type"], ct) != e["type"]:
            e["type"] = retype(e["type"], ct)
            e["norm"] = normalize(e["type"], ct)
        elif on("generic_agency") and _generic_agency(e, ct):
            drop.add(e["id"])
        elif on("single_char_action") and _single_char_action(e, ct):
            drop.add(e["id"])

    def keep_relations(rels):
        return [r for r in rels if r["head"] not in drop and r["tail"] not in drop and
                relation_allowed(r["type"], by_id[r["head"]]["type"], by_id[r["tail"]]["type"])]

    relations = keep_relations(relations)
    if ctext is not None:
        keep = [(e, sp) for e, sp in zip(entities, cspans) if e["id"] not in drop]
        entities = [e for e, _ in keep]
        kept_spans = [sp for _, sp in keep]
        relations = keep_relations(_context_relations(entities, relations, ctext, kept_spans,
                                                      disable))
        relations = keep_relations(_anaphor_relations(entities, relations, ctext, kept_spans,
                                                      disable))
        if on("form_fields"):
            relations = keep_relations(_form_relations(entities, relations, ctext, kept_spans))
        if on("employee_argument"):
            relations = _employee_arguments(entities, relations, ctext, kept_spans)
        if on("nearest_mention"):
            relations = _nearest_mentions(entities, relations, ctext, kept_spans)
    entities = [e for e in entities if e["id"] not in drop]
    if on("one_date"):
        relations = _one_date(relations)
    illegal = frozenset(e["id"] for e in entities         # not 没收违法所得 (a penalty)
                        if e["type"] == "ACTION" and e["norm"].get("kind") in ("violation", "other")
                        and _ILLEGAL.search(text_of[e["id"]]))
    _action_kinds_from_arguments(entities, relations, illegal, disable)
    relations = _role_constraints(entities, relations, illegal, disable)
    relations = _argument_roles(entities, relations, text_of, disable)
    if on("action_needs_argument"):
        drop |= _actions_without_argument(entities, relations)
    return [e for e in entities if e["id"] not in drop], keep_relations(relations)


def _event_date_key(ev: dict):
    start = (ev["when"] or {}).get("start")
    return (start is None, start or "", ev["_pos"])


def _defendants(ev: dict, by_id: dict) -> list[dict]:
    """Who got what in a sentencing act: each sentence, fine and charge goes to the target named
    last before it (判处甲有期徒刑三年，并处罚金五万元；乙有期徒刑二年… : 甲 gets the first term and
    fine, 乙 the second); an argument before every target goes to the first; one charge named for
    the act goes to every target."""
    targets = sorted(ev["target"], key=lambda t: by_id[t["id"]]["start"])
    out = [{"target": t, "sentence": [], "amount": [], "charge": []} for t in targets]
    starts = [by_id[t["id"]]["start"] for t in targets]
    for role in ("sentence", "amount", "charge"):
        args = ev[role]
        if role == "charge" and len(args) == 1:
            for d in out:
                d["charge"] = list(args)
            continue
        for a in args:
            k = bisect.bisect_left(starts, by_id[a["id"]]["start"]) - 1
            out[max(k, 0)][role].append(a)
    return out


def build_events(entities: list[dict], relations: list[dict]) -> list[dict]:
    """The case timeline: each ACTION with its roles resolved to entity texts and normalized values
    (and, for an act that imposes a SENTENCE, `defendants`: each target with its own sentences,
    fines and charges), sorted by `when` (the normalized value of its first `date` argument; undated acts last, in text
    order)."""
    by_id = {e["id"]: e for e in entities}
    by_head: dict[str, list] = {}
    for r in relations:
        by_head.setdefault(r["head"], []).append(r)
    events = []
    for e in entities:
        if e["type"] != "ACTION":
            continue
        ev = {"action": e["id"], "text": e["text"], "kind": e["norm"].get("kind"), "when": None,
              "_pos": e["start"]}
        for role in ROLES:
            ev[role] = []
        for r in by_head.get(e["id"], ()):
            if r["type"] in ROLES:
                t = by_id[r["tail"]]
                ev[r["type"]].append({"id": t["id"], "text": t["text"], "norm": t["norm"]})
        if ev["date"]:
            ev["when"] = ev["date"][0]["norm"]
        if ev["sentence"] and ev["target"]:
            ev["defendants"] = _defendants(ev, by_id)
        events.append(ev)
    events.sort(key=_event_date_key)
    for ev in events:
        del ev["_pos"]
    return events


# the approximation words a COUNT / MONEY span takes (ANNOTATION.md, edge cases), longest first
_APPROX_WORDS = ("超过", "多达", "共计", "超", "逾", "近", "约", "达")


@lru_cache(maxsize=1)
def _spun_approx() -> dict[str, frozenset]:
    forms: dict[str, set] = {}
    for entry in load_spin_table():
        if entry.clean in _APPROX_WORDS:
            forms.setdefault(entry.clean, set()).add(entry.spun)
    return {w: frozenset(f) for w, f in forms.items()}


def after_spun_approx(original: str, cleaned, cs: int, ce: int, os_: int) -> int:
    """The original start of a COUNT / MONEY span. The guideline's approximation words belong to
    the span "when they are one of 超过 超 逾 … (or their traditional forms)"; a spinner's stand-in
    (卓绝 for 超过) is none of them, so the span starts after it. Its value keeps the approximation:
    the norm is read from the clean text (ANNOTATION.md: norms of spun text are the clean ones)."""
    ctext = cleaned.text
    for w in _APPROX_WORDS:
        if ctext.startswith(w, cs) and cs + len(w) < ce:
            ws, we = cleaned.to_original(cs, cs + len(w))
            if original[ws:we] in _spun_approx().get(w, ()):
                return cleaned.to_original(cs + len(w), ce)[0]
            break
    return os_


def assemble(original: str, cleaned, pred: dict, doc_id: str, meta: dict | None = None,
             threshold: float = 0.0, whole_words: bool = True,
             disable: frozenset = frozenset()) -> dict:
    """One output document from the model's prediction on `cleaned.text`.

    pred: {"entities": [{"type", "start", "end", "score"}], "relations": [{"head", "tail", "type",
    "score"}]} in clean offsets (head/tail index pred["entities"]), as lawie.infer.runtime returns.
    Its spans have normally been through lawie.infer.spans.prepare_spans already (the Extractor
    passes it to the runtime, so that the relation head reads mended spans); ``restructure_spans``
    and ``refine_span`` run here again, changing nothing on such spans, so that a prediction made
    without it is checked too.
    threshold: entities the model scores below it are left out before the rules run (with their
    relations); 0 keeps every entity the decoder found.
    whole_words: see refine_span.
    disable: names of rules switched off (`lawie rules`); the output's meta then lists them as
    ``rules_disabled``.
    """
    disable = check_names(disable)
    meta = dict(meta or {})
    if disable:
        meta["rules_disabled"] = sorted(disable)
    doc_date = meta.get("date") if isinstance(meta.get("date"), str) else None
    ctext = cleaned.text
    pred = add_outcomes(ctext, restructure_spans(ctext, pred, disable), disable)
    # spans -> original offsets; one entity per (original span, type), keeping the best score
    kept: dict[tuple, dict] = {}
    key_of: dict[int, tuple] = {}
    for i, p in enumerate(pred["entities"]):
        if p["score"] < threshold:
            continue
        cs, ce = trim_edges(ctext, p["start"], p["end"])
        # a span an outcome rule made from a cue word (被|判 -> 判) is that word, as it stands
        if p.get("rule"):
            refined = (cs, ce) if cs < ce else None
        else:
            refined = refine_span(p["type"], ctext, cs, ce, whole_words, disable) if cs < ce else None
        if refined is None:
            continue
        cs, ce = refined
        # the boundary characters are no punctuation (trimmed above); their sources are whole
        # (an entity like &#19977; or a spun 东说念主 is never cut)
        os_, oe = cleaned.to_original(cs, ce)
        if p["type"] in ("COUNT", "MONEY"):
            os_ = after_spun_approx(original, cleaned, cs, ce, os_)
        if os_ >= oe:
            continue
        k = (os_, oe, p["type"])
        key_of[i] = k
        if k not in kept or kept[k]["score"] < p["score"]:
            kept[k] = {"type": p["type"], "start": os_, "end": oe, "cstart": cs, "cend": ce,
                       "score": float(p["score"])}
    uniq = sorted(kept.values(), key=lambda e: (e["start"], e["end"], e["type"]))
    pos = {(e["start"], e["end"], e["type"]): j for j, e in enumerate(uniq)}
    new_index = {i: pos[k] for i, k in key_of.items()}
    rels = []
    for r in pred["relations"]:
        h, t = new_index.get(r["head"]), new_index.get(r["tail"])
        if h is None or t is None or h == t:
            continue
        if relation_allowed(r["type"], uniq[h]["type"], uniq[t]["type"]):
            rels.append((h, t, r["type"], float(r["score"])))
    if "alias_definition" not in disable:
        rels += _alias_rule(ctext, uniq, rels)

    entities = []
    for i, e in enumerate(uniq):
        entities.append({"id": f"T{i + 1}", "type": e["type"], "start": e["start"], "end": e["end"],
                         "text": original[e["start"]:e["end"]],
                         "norm": None, "score": round(e["score"], 4)})
    # norms are computed on the clean wording (simplified, spinning undone)
    views = [{"type": e["type"], "text": ctext[u["cstart"]:u["cend"]], "start": u["cstart"],
              "end": u["cend"]} for e, u in zip(entities, uniq)]
    normalize_document(views, ctext, doc_date=doc_date)
    for e, v in zip(entities, views):
        e["norm"] = v["norm"]
        reason = null_reason(e["type"], v["text"], e["norm"], doc_date)
        if reason:
            e["norm_reason"] = reason
    if "statute_short_title" not in disable:
        _statute_short_titles(entities, views, ctext)
    if "agency_deictic_place" not in disable:
        _deictic_places(entities, views, ctext)
    if "money_regional_currency" not in disable:
        _regional_currency(entities, views, ctext)
    best: dict[tuple, tuple] = {}
    for h, t, role, score in rels:
        k = (h, t, role)
        if k not in best or best[k][3] < score:
            best[k] = (h, t, role, score)
    relations = [{"type": role, "head": f"T{h + 1}", "tail": f"T{t + 1}", "score": round(score, 4)}
                 for h, t, role, score in sorted(best.values(), key=lambda x: (x[0], x[1], x[2]))]
    entities, relations = apply_spec_rules(entities, relations, [v["text"] for v in views],
                                           ctext, [(u["cstart"], u["cend"]) for u in uniq], disable)
    if "agency_full_name" not in disable:
        _resolve_agency_names(entities, relations)
    # ids stay T1..Tn in text order after the rules dropped some
    new_id = {e["id"]: f"T{i + 1}" for i, e in enumerate(entities)}
    for e in entities:
        e["id"] = new_id[e["id"]]
    for r in relations:
        r["head"], r["tail"] = new_id[r["head"]], new_id[r["tail"]]
    return {"id": doc_id, "text": original, "meta": meta, "entities": entities,
            "relations": relations, "events": build_events(entities, relations)}


# 《个人资料(私隐)条例》（下称《私隐条例》） / 个人资料保护法（下称个资法） / 个人资料保护法（个资法）: the
# short title a statute's title defines right after it (quoted; or bare, ending in 法 / 条例)
_SHORT_TITLE_DEF = re.compile(r"\s*[（(]\s*(?:(?:以下简称|以下称|下称|简称)[：:为]?\s*)?[“\"「『]?"
                              r"(?:《([^》]{1,40})》|([\u4e00-\u9fff]{1,10}?(?:法|条例))[”\"」』]?\s*[）)])")


@rule("statute_short_title", "document", 205, "STATUTE norm.title: a short title the text defines "
      "right after the full one (《个人资料(私隐)条例》（下称《私隐条例》）) stands for the full title")
def _statute_short_titles(entities: list[dict], views: list[dict], ctext: str) -> None:
    """STATUTE norm.title is the title in full where the text gives it (ANNOTATION.md): every
    STATUTE whose title is a short title defined by （下称《X》） or （下称X法） after a full title takes the full
    title (in place; the article stays)."""
    full: dict[str, str] = {}
    for e, v in zip(entities, views):
        if e["type"] != "STATUTE":
            continue
        m = _SHORT_TITLE_DEF.match(ctext, v["end"])
        if m:
            short = normalize("STATUTE", "《" + (m.group(1) or m.group(2)) + "》")["title"]
            if short and short != e["norm"]["title"]:
                full.setdefault(short, e["norm"]["title"])
    if not full:
        return
    for e in entities:
        if e["type"] == "STATUTE" and e["norm"].get("title") in full:
            e["norm"] = dict(e["norm"], title=full[e["norm"]["title"]])


@rule("agency_deictic_place", "document", 195, "AGENCY norm.name: an organ after 本市 / 该县 / 我区 "
      "is the organ of the text's own city, county or district (本市|市场监督管理局 in a text of "
      "诸暨市人民检察院 -> 诸暨市市场监督管理局)")
def _deictic_places(entities: list[dict], views: list[dict], ctext: str) -> None:
    """An AGENCY right after a deictic place word (deictic_places.tsv: 本市, 该县, 我区, 本省), its
    name starting with no division, is named with the place that word points to: the division of
    that level (the word's last character: 市, 县, 区, 省) that the text's other organs are named
    with, the one named most often (the first of equals), with the divisions above it as that
    name writes them. No such division, or none of that level: the name stays."""
    organs = [(e, v) for e, v in zip(entities, views) if e["type"] == "AGENCY"]
    deictic = {}
    for e, v in organs:
        word = next((w for w in DEICTIC_PLACES if ctext.endswith(w, 0, v["start"])), None)
        if word and 0 not in division_ends(e["norm"]["name"]):
            deictic[e["id"]] = word[-1]
    if not deictic:
        return
    places: dict[str, dict[str, int]] = {}            # level -> {place: mentions}
    for e, _ in organs:
        if e["id"] in deictic:
            continue
        name, pos = e["norm"]["name"], 0
        ends = division_ends(name)
        while pos in ends and ends[pos] > pos:
            pos = ends[pos]
            level = places.setdefault(name[pos - 1], {})
            level[name[:pos]] = level.get(name[:pos], 0) + 1
    for e, _ in organs:
        level = places.get(deictic.get(e["id"]))
        if level:
            place = max(level, key=level.get)         # the first of equals: dicts keep order
            e["norm"] = dict(e["norm"], name=place + e["norm"]["name"])


# the currencies of Hong Kong, Macau and Taiwan: a text that names one of them, and no other, for
# its sums writes the rest with 元 alone (新台币3元 … 获利24万元)
_REGIONAL_CURRENCIES = frozenset({"HKD", "MOP", "TWD"})


def _named_currency(v: dict, ctext: str) -> str | None:
    """The currency a MONEY names in its span or right before it (新台币|2万元), else None."""
    codes = currency_of(v["text"])[0]
    if codes:
        return codes[0] if len(set(codes)) == 1 else None
    before = ctext[max(0, v["start"] - 12):v["start"]].rstrip(SPACE_CHARS)
    return next((c for w, c in currency_words() if c and before.endswith(w)), None)


@rule("money_regional_currency", "document", 196, "MONEY norm.currency: a sum that names no "
      "currency, in a text whose sums name only the currency of Hong Kong, Macau or Taiwan, is in "
      "that currency (新台币3元 … 获利24万元 -> TWD)")
def _regional_currency(entities: list[dict], views: list[dict], ctext: str) -> None:
    sums = [(e, v) for e, v in zip(entities, views)
            if e["type"] == "MONEY" and isinstance(e.get("norm"), dict)]
    named = {id(e): _named_currency(v, ctext) for e, v in sums}
    codes = {c for c in named.values() if c}
    if len(codes) != 1 or not codes <= _REGIONAL_CURRENCIES:
        return
    code = next(iter(codes))
    for e, _ in sums:
        if named[id(e)] is None and e["norm"].get("currency") in (None, "CNY"):
            e["norm"] = dict(e["norm"], currency=code)


def resolve_agency_names(entities: list[dict], relations: list[dict]) -> None:
    """The document-level organ-name rule (agency_full_name) on an output document's entities and
    relations, in place: infer/segment.py runs it again on the joined segments."""
    _resolve_agency_names(entities, relations)
