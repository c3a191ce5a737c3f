"""Assemble the output document: model spans (clean offsets) -> original offsets, norms, aliases,
relation ids, and the case timeline (`events`).

This is the last step of the flow  text -> clean -> encode -> spans -> relations -> normalize -> JSON,
and the only place where clean offsets turn into original ones.
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache

from lawie.infer.clean import load_spin_table
from lawie.infer.organs import GAZETTEER_SCORE, _divisions_at, name_start, organ_names
from lawie.infer.relations import SentenceIndex
from lawie.infer.words import word_bounds
from lawie.labels.numbers import parse_number
from lawie.labels.schema import RELATION_TYPES, relation_allowed
from lawie.labels.values import RELATIVE_DATE_WORDS, normalize, normalize_entities

# （以下简称“徐水区院”） / (以下简称区住建局) / ，以下简称... : the short form defined right after a name
_ALIAS_DEF = re.compile(r"^[（(]?\s*(?:以下|下文)?(?:简称|下称|简称为)[：:]?\s*[“\"「『]?")
_EDGE = set(" \t\r\n\u3000，。、；：！？,.;:!?“”\"'‘’（）()【】[]「」『』<>〈〉")

ROLES = tuple(r for r in RELATION_TYPES if r != "alias_of")


def _whole_word_type(type_: str, s: str) -> bool:
    """Whether a span of this type and clean text must not leave a piece of a word outside it
    (corpus/README.md): acts, organs, and companies or one-character PARTY spans. Not checked: the
    values (numbers), and person names, which the dictionary often joins to a neighbour (葛某东,
    张三等)."""
    if type_ in ("ACTION", "AGENCY"):
        return True
    if type_ == "PARTY" and "某" not in s:
        return len(s) == 1 or normalize("PARTY", s)["kind"] == "org"
    return False


def _trim(text: str, start: int, end: int, keep_brackets: bool) -> tuple[int, int]:
    """Shrink [start, end) so that it neither starts nor ends with whitespace / punctuation."""
    keep = set("《》") if keep_brackets else set()
    while start < end and text[start] in _EDGE and text[start] not in keep:
        start += 1
    while end > start and text[end - 1] in _EDGE and text[end - 1] not in keep:
        end -= 1
    return start, end


_NOT_DATE = frozenset("近日 日前 目前 当天 当日 当时 此前 随后 近期 日后 今后 以往".split())
_DATE_MARK = re.compile(r"[年月日旬底初季天周]|\d[-/.]\d|今|去|同|次|前年|明年")
_DATE_TAIL = ("期间", "之间", "时间", "以来", "首次", "前", "间", "起", "时")
_DATE_END = "年月日旬底初季"
_NUMERAL = re.compile(r"[0-9一二三四五六七八九十百千万亿两〇零几数]")
# 谢某 / 王某甲 / 李某某 followed by a verb the model ran into (谢某联系 -> 谢某)
_PERSON = re.compile(r"^(.某(?:某|[甲乙丙丁戊己庚])?)(.{1,2})$")
_ORG_WORDS = ("公司", "医院", "网站", "平台", "中心", "银行", "集团", "店", "厂", "协会", "学校")
_TITLE_BEFORE = re.compile(r"(?:主任|委员|检察官|检察长|法官|记者|庭长|院长|局长|处长|科长|警官|民警)$")
_STATUTE_WORD = re.compile(r"法|条例|规定|办法|规则|细则|意见|通知|决定|解释|准则|标准|规范|守则|公约|"
                           r"《")


# "the shortest verb phrase that names the act": an act word with a function-word prefix or a
# complement suffix is cut to the act word (给予警告 -> 警告, 判决支持 -> 判决, 抓获归案 -> 抓获);
# 立案调查 stays one act (corpus/README.md)
_ACT_WORDS = ("立案", "判决", "判处", "判令", "出售", "抓获", "罚款", "警告", "没收", "责令", "查处",
              "获取", "购买", "贩卖", "泄露", "提供", "发送", "发现", "起诉", "处罚", "拘留")
_ACT_PREFIX = ("给予", "予以", "处以", "并处", "作出", "依法", "该案", "对其", "被", "严肃", "刑事",
               "民事")
_ACT_SUFFIX = ("支持", "归案", "至", "给", "办理")
# 责令(立即)改正 / 责令停止 + the object: the act is the order, not what is ordered to stop
_ORDER = re.compile(r"责令(?:立即|限期)?(?:改正|停止|整改)")
# a noun made of an act word (判决书, 立案条件, 窃取量, 立法工作计划): no act of the case
_NOMINAL_NEXT = ("书", "文书", "条件", "量", "工作计划")
# words the model reads as acts that name no act: an illegality adverb alone (非法|经营), people
# named after what they do (卖家, 买家)
_NOT_ACTS = frozenset("非法 违法 违规 卖家 买家 卖方 买方 商家 玩家".split())
# a bare statute title (no 《》) ends at its statute word or article; what the model ran on into
# is cut (个人信息保护法中 / 行政处罚法等法律法规 -> the title)
_BARE_TITLE = re.compile(r"(.+?(?:法典|法|条例|规定|办法|规则|细则|意见|通知|决定|解释|准则))"
                         r"(第[0-9一二三四五六七八九十百千零〇两]+条(?:之[一二三四五六七八九十])?)?")
_AFTER_TITLE = ("中", "等", "的", "和", "及", "与", "」", "部分", "规定", "相关", "有关")
# measure words a COUNT span may have stopped before (3万余|条); without a measure word a number
# is no COUNT (超300万)
_MEASURE = "条份人个家次件款类名户辆张项起宗台部本套组位篇批种笔单所只枚封行"
# a preposition or verb the model ran into in front of a name (no name starts with them)
_LEAD_WORDS = ("关于", "对于", "针对", "明确", "根据", "依据", "通过", "经过", "要求", "督促", "联合",
               "会同")
_DEICTIC = ("本市", "该市", "我市", "本县", "该县", "我县", "本区", "该区", "我区", "本省", "我省")
# an anaphoric or generic noun is no PARTY (该公司, 涉案企业, 一家银行, 金融机构)
_GENERIC_PARTY = re.compile(r"(?:该|此|本|上述|相关|涉案|涉事|一家|多家|多个|部分|某些|有关)?"
                            r"(?:贷款|房地产|互联网|网络|科技|金融|物业|商业|电商)?"
                            r"(?:公司|银行|机构|企业|平台|单位|商家|网站)")


_RELATIVE_DATES = sorted(RELATIVE_DATE_WORDS, key=len, reverse=True)


def _whole_relative_date(text: str, start: int, end: int) -> tuple[int, int]:
    """A DATE span that is a piece of a relative date word in the text (同|日, 第|二日) widened to
    the word; any other span unchanged."""
    s = text[start:end]
    for w in _RELATIVE_DATES:
        if len(w) <= len(s):
            break
        k = w.find(s)
        while k >= 0:
            if start - k >= 0 and text[start - k:start - k + len(w)] == w:
                return start - k, start - k + len(w)
            k = w.find(s, k + 1)
    return start, end


def refine_span(type_: str, text: str, start: int, end: int, whole_words: bool = True):
    """Guideline checks on one predicted span of the clean text: returns the (possibly shortened)
    span, or None when it cannot be an entity of that type. ``whole_words=False`` skips the check
    that the span leaves no piece of a word outside it."""
    s = text[start:end]
    if type_ == "DATE":
        start, end = _whole_relative_date(text, start, end)
        s = text[start:end]
        if len(s) < 2:
            return None                               # 同|时, 同|期: one character is no date
        if s in _NOT_DATE or "周年" in s or not _DATE_MARK.search(s):
            return None
        for tail in _DATE_TAIL:
            if s.endswith(tail) and len(s) > len(tail) and s[-len(tail) - 1] in _DATE_END:
                return start, end - len(tail)
        if s.endswith("期") and len(s) > 1 and s[-2] in _DATE_END and text[end:end + 1] == "间":
            return start, end - 1                     # 2021年期|间: the model stopped inside 期间
        if s[0] == "年" and start > 0 and text[start - 1] in "去今前明":
            return start - 1, end                     # 去|年5月: the year word is whole
    elif type_ == "COUNT":
        if not _NUMERAL.search(s):
            return None                               # 多次, 多家: no number
        if re.fullmatch(r"一[^0-9一二三四五六七八九十百千万亿两]{1,2}", s):
            return None                               # 一名, 一起案件: "a", not a count
        if s[0] == "有" and len(s) > 1:
            start, s = start + 1, s[1:]               # 有|3000条
        if normalize("COUNT", s).get("unit") is None:
            if text[end:end + 1] and text[end] in _MEASURE:
                return start, end + 1                 # 3万余|条: the measure word is part of it
            return None                               # 超300万: no measure word, no COUNT
    elif type_ == "STATUTE":
        if s.startswith("反") and start > 0 and text[start - 1] == "违":
            start, s = start + 1, s[1:]               # 违|反本法第二十二条: the model began inside 违反
        if s.startswith("第") or not _STATUTE_WORD.search(s):
            return None                               # an article without a title
        if s.startswith(("本法", "该法", "此法", "违反本法", "违反该法")):
            return None                               # an anaphor, not a title
        if s.startswith("《"):
            if "》" not in s:                         # 《快递电子|运单…》: close the title
                close = text.find("》", end, end + 20)
                if close > 0 and not re.search(r"[。，,；;！？\n]", text[end:close]):
                    return start, close + 1
        else:
            m = _BARE_TITLE.match(s)
            if m and m.end() < len(s) and s[m.end():].startswith(_AFTER_TITLE):
                return start, start + m.end()
    elif type_ == "ACTION":
        if text[end:end + 4].startswith(_NOMINAL_NEXT) or s in _NOT_ACTS:
            return None
        if s == "处罚款":
            start, s = start + 1, s[1:]               # 并处|罚款
        for pre in _ACT_PREFIX:
            if s.startswith(pre) and s[len(pre):] in _ACT_WORDS:
                start, s = start + len(pre), s[len(pre):]
                break
            if len(pre) == 2 and start > 0 and text[start - 1:start + 1] == pre \
                    and s[1:] in _ACT_WORDS:
                start, s = start + 1, s[1:]           # 作|出判决: the model began inside 作出
                break
        for suf in _ACT_SUFFIX:
            if s.endswith(suf) and s[:-len(suf)].endswith(_ACT_WORDS):
                end, s = end - len(suf), s[:-len(suf)]
                break
        if s == "判" and text[end:end + 1] in ("刑", "令"):
            end += 1                                  # 判|刑, 判|令: the word is whole
        m = _ORDER.match(s)
        if m and m.end() < len(s):
            end = start + m.end()                     # 责令停止|违法行为
        elif s == "责令" and (m := _ORDER.match(text, start)):
            end = m.end()                             # 责令|立即改正: the order is part of it
    elif type_ in ("AGENCY", "PARTY"):
        if s.startswith(_LEAD_WORDS) and len(s) > 4:
            start, s = start + 2, s[2:]               # 关于|上海某公司, 明确|十堰市某局
        if type_ == "AGENCY":
            if s.endswith(("党组", "党委")) and len(s) > 4:
                end, s = end - 2, s[:-2]              # 某检察院|党组成员: the organ, not its party group
            if s.startswith(_DEICTIC) and len(s) > 5:
                start += 2                            # 本市|公安局 … : the name without 本市
        else:
            if _GENERIC_PARTY.fullmatch(s):
                return None
            m = _PERSON.match(s)
            if m and not any(w in s for w in _ORG_WORDS) and not m.group(2).isascii() \
                    and m.group(2)[0] not in "某甲乙丙丁戊己庚":
                rest, nxt = m.group(2), text[end:end + 1]
                # 肖某累计 -> 肖某; 谢某联|系 -> 谢某 (the word goes on), but 葛某东, stays a name
                if len(rest) == 2 or (nxt and "\u4e00" <= nxt <= "\u9fff"):
                    return start, start + len(m.group(1))
            k = s.find("某")
            if k >= 3 and re.fullmatch(r"某(?:某|[甲乙丙丁戊己庚])?", s[k:]) \
                    and not any(w in s for w in _ORG_WORDS):
                return start + k - 1, end             # 组织|杨某: a verb the model ran into
            if "某" not in s and _TITLE_BEFORE.search(text[max(0, start - 4):start]):
                return None                           # 检察官张三: officials are no PARTY
    if whole_words and _whole_word_type(type_, text[start:end]) \
            and word_bounds(text).leaves_fragment(start, end):
        return None                                   # [开设店]铺, [行政处]罚: a piece of a word
    return start, end


def _agency_key(name: str) -> str:
    return name.replace("人民", "")


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
    for e in entities:
        if e["type"] != "AGENCY":
            continue
        name = e["norm"]["name"]
        name = short_to_full.get(name, name)
        key = _agency_key(name)
        # longer names of the organ; the same name with 人民 counts as longer (十堰市检察院 ->
        # 十堰市人民检察院)
        longer = {n for n in names if _agency_key(n).endswith(key)
                  and (len(_agency_key(n)) > len(key) or len(n) > len(name))}
        # only when unambiguous: all candidates are suffixes of the longest one
        if longer:
            best = max(longer, key=len)
            if all(_agency_key(best).endswith(_agency_key(n)) for n in longer):
                name = best
        e["norm"]["name"] = name
    # short forms whose full form was itself lengthened
    for e in entities:
        if e["type"] == "AGENCY" and e["norm"]["name"] in short_to_full:
            e["norm"]["name"] = short_to_full[e["norm"]["name"]]


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


_BEFORE_APPROX = (("不少于", "at_least"), ("至少", "at_least"), ("超过", "more_than"),
                  ("多于", "more_than"), ("逾", "more_than"), ("超", "more_than"), ("大约", "about"),
                  ("约", "about"), ("近", "about"))
_AFTER_APPROX = (("以上", "at_least"), ("左右", "about"), ("上下", "about"))
_CURRENCY_BEFORE = (("新台币", "TWD"), ("港币", "HKD"), ("港元", "HKD"), ("美元", "USD"),
                    ("欧元", "EUR"))


def normalize_document(views: list[dict], text: str, doc_date: str | None = None) -> None:
    """Set `norm` on each view ({"type", "text", "start", "end"} in offsets of `text`, the clean
    text, sorted by start): the span's own value (labels.values), DATE anchors chained through the
    document, and the words right around a COUNT / MONEY that the spec keeps outside its span
    (至少 5人, 10个以上, 新台币2万元) deciding `approx` and `currency` where the span says nothing."""
    normalize_entities(views, doc_date=doc_date)
    for v in views:
        if v["type"] not in ("COUNT", "MONEY") or not isinstance(v.get("norm"), dict):
            continue
        norm = v["norm"]
        before = text[max(0, v["start"] - 3):v["start"]]
        after = text[v["end"]:v["end"] + 2]
        if norm.get("approx") is None:
            for word, approx in _BEFORE_APPROX:
                if before.endswith(word):
                    norm["approx"] = approx
                    break
            else:
                for word, approx in _AFTER_APPROX:
                    if after.startswith(word):
                        norm["approx"] = approx
                        break
        if v["type"] == "MONEY" and norm.get("currency") in (None, "CNY"):
            for word, cur in _CURRENCY_BEFORE:
                if text[max(0, v["start"] - len(word)):v["start"]] == word:
                    norm["currency"] = cur
                    break


# words that call an act illegal: such an act (of kind violation or other; 没收违法所得 is a
# penalty) is a violation, and no state organ commits one (no such gold ACTION has an AGENCY agent:
# seed gold, real dev, 300 generated dev documents)
_ILLEGAL = re.compile(r"非法|违法|违规|窃取|盗取|倒卖")


def _action_kinds_from_arguments(entities: list[dict], relations: list[dict],
                                 illegal: frozenset = frozenset()) -> None:
    """What the words of an act leave open, its arguments decide: an act done by a state organ is
    no violation (最高检发布典型案例: `other`) unless its words call it illegal (``illegal``: ids),
    and an act of a party involving a count or an amount is one (the spec annotates violations
    only with such an argument)."""
    by_id = {e["id"]: e for e in entities}
    args: dict[str, dict[str, list]] = {}
    for r in relations:
        if r["type"] != "alias_of":
            args.setdefault(r["head"], {}).setdefault(r["type"], []).append(by_id[r["tail"]]["type"])
    for e in entities:
        if e["type"] != "ACTION":
            continue
        a = args.get(e["id"], {})
        agents = a.get("agent", [])
        if e["norm"].get("kind") == "violation" and agents and all(t == "AGENCY" for t in agents) \
                and e["id"] not in illegal:
            e["norm"]["kind"] = "other"
        elif e["norm"].get("kind") == "other" and agents and all(t == "PARTY" for t in agents) \
                and (a.get("count") or a.get("amount")):
            e["norm"]["kind"] = "violation"


# Who can perform which act, as the guideline's roles imply and every relation of the seed gold and
# of real dev bears out: only a state organ fines, judges, files a case or holds a hearing (a party
# read as the agent of 罚款 in 某银行被罚款 is the one fined); only a court judges or is a venue
# ("the court where a lawsuit is filed or judged"); a procuratorate imposes no penalty.
_ORGAN_ACTS = frozenset({"penalty", "judgment", "case_filed", "hearing"})


def _role_constraints(entities: list[dict], relations: list[dict],
                      illegal: frozenset = frozenset()) -> list[dict]:
    """Relations that break the rules above are mended or dropped: a PARTY as the agent of a
    penalty, judgment, filing or hearing becomes its target (or goes, where it is the target
    already); a venue that is no court, the agent of a judgment that is no court, a
    procuratorate as the agent of a penalty and an AGENCY as the agent of an act its words call
    illegal (``illegal``: ids; 非法爬取) go."""
    by_id = {e["id"]: e for e in entities}
    targets = {(r["head"], r["tail"]) for r in relations if r["type"] == "target"}
    out = []
    for r in relations:
        head, tail = by_id[r["head"]], by_id[r["tail"]]
        kind = head["norm"].get("kind") if head["type"] == "ACTION" else None
        organ = tail["norm"].get("kind") if tail["type"] == "AGENCY" else None
        if r["type"] == "agent" and tail["type"] == "PARTY" and kind in _ORGAN_ACTS:
            if (r["head"], r["tail"]) in targets:
                continue
            r = dict(r, type="target")
            targets.add((r["head"], r["tail"]))
        elif organ is not None and organ != "court" and (
                r["type"] == "venue" or (r["type"] == "agent" and kind == "judgment")):
            continue
        elif r["type"] == "agent" and kind == "penalty" and organ == "procuratorate":
            continue
        elif r["type"] == "agent" and organ is not None and r["head"] in illegal:
            continue
        out.append(r)
    return out


# A PARTY the model typed that names a state organ: an anonymized one (某局, 某委) or a
# procuratorate, court or police organ (某市检察院, 某区法院, 某县公安局), which are never parties.
_STATE_ORGAN_PARTY = re.compile(r"某(?:局|委|厅|办|署)$|(?:检察院|法院|公安局|公安分局|派出所)$|"
                                r"^(?:央行|中国人民银行|人民银行)")


# Bare organ words without a region or name: references, not entities (ANNOTATION.md, AGENCY).
GENERIC_AGENCIES = frozenset("""
法院 人民法院 检察院 人民检察院 检察机关 公安 公安机关 公安局 公安部门 警方 行政机关 政府 人民政府
监管部门 主管部门 有关部门 相关部门 职能部门 相关职能部门 行政主管部门 执法部门 市场监管部门
网信部门 网信办 司法机关 审判机关 侦查机关 法庭 派出所 上级主管部门 基层法院 两级法院
""".split())
# A state organ's name ends in an organ word (人民检察院, 市场监督管理局, 住建委, 网信办, 警方, 最高检,
# 央行济南分行 ...): a bare place name or a cut-off fragment is no AGENCY.
ORGAN_ENDINGS = ("院", "局", "委", "室", "会", "行", "检", "办", "队", "府", "部", "关", "方", "所",
                 "厅", "署", "处", "庭", "法", "中心", "站", "组", "安")
# Companies and associations are PARTY even where their names look official: commercial banks
# (建设银行湛江分行, 建行) and 行业协会; the central bank (人民银行, 央行) is a state organ.
_BANK_SHORT = frozenset("建行 农行 中行 工行 交行 招行 邮储".split())


def _is_company_like(name: str) -> bool:
    if "人民银行" in name or name.startswith("央行"):
        return False
    return "银行" in name or name.startswith(tuple(_BANK_SHORT)) or "协会" in name \
        or name.endswith("公司")


# -------------------------------------------------------------- rules that read the context
_SENTENCE_END = re.compile(r"[。！？；!?;\n]")
_CLAUSE_END = re.compile(r"[。！？；!?;\n，,：:]")
# the text of a provision quoted after its citation (…规定：“…责令改正，给予警告…”) names acts the
# law provides for, not acts of the case
_QUOTE_OPEN = "“「\"『"
_QUOTE_CLOSE = {"“": "”", "「": "」", "\"": "\"", "『": "』"}
_CITES = re.compile(r"规定|条|款")
# an act someone proposes or demands (建议法院判处…, 要求其停止…) has not happened
_IRREALIS = re.compile(r"建议|要求|督促|责成|请求")
_IRREALIS_KEEP = frozenset({"suggestion", "lawsuit", "violation"})
_FINE_WORDS = frozenset({"罚", "罚款", "重罚", "处罚"})


def _quoted_provisions(ctext: str) -> list[tuple[int, int]]:
    out = []
    for k, ch in enumerate(ctext):
        if ch in _QUOTE_OPEN and _CITES.search(ctext[max(0, k - 12):k]):
            close = ctext.find(_QUOTE_CLOSE[ch], k + 1)
            if close > 0:
                out.append((k, close + 1))
    return out


def _context_drops(entities, ctext: str, cspans) -> set:
    """ACTIONs that are no act of the case: inside a quoted provision, or inside what someone
    proposes or demands in the same clause (unless it is the proposal or the claim itself)."""
    quoted = _quoted_provisions(ctext)
    drop = set()
    for e, (cs, ce) in zip(entities, cspans):
        if e["type"] != "ACTION":
            continue
        if any(a <= cs < b for a, b in quoted):
            drop.add(e["id"])
            continue
        k = max((m.end() for m in _CLAUSE_END.finditer(ctext, 0, cs)), default=0)
        if _IRREALIS.search(ctext[k:cs]) and e["norm"].get("kind") not in _IRREALIS_KEEP:
            drop.add(e["id"])
    return drop


def _context_relations(entities, relations, ctext: str, cspans) -> list[dict]:
    """Relations the sentence structure decides where the model is weak:
    - passive voice: an agent before a 被 that introduces the act (X被罚, X被Y处以罚款) is its target;
    - a fine takes the MONEY right after it and that MONEY's list (罚款1万元、2万元和3万元);
    - a violation without a count takes the nearest COUNT of its own clause (将3万条信息出售)."""
    span = {e["id"]: sp for e, sp in zip(entities, cspans)}
    by_id = {e["id"]: e for e in entities}
    have = {(r["head"], r["tail"], r["type"]) for r in relations}
    pairs = {(r["head"], r["tail"]) for r in relations}
    named = sorted(span[e["id"]][0] for e in entities if e["type"] in ("AGENCY", "PARTY"))
    out = []
    for r in relations:
        if r["type"] == "agent":
            (xs, xe), (a_s, _) = span[r["tail"]], span[r["head"]]
            between = ctext[xe:a_s]
            k = between.rfind("被")
            # the tail is the subject of 被: same clause, no other party or organ in between
            if xe <= a_s and k >= 0 and not _CLAUSE_END.search(between, 0, k) \
                    and not _SENTENCE_END.search(between) \
                    and (r["head"], r["tail"], "target") not in have \
                    and bisect.bisect_left(named, xe) == bisect.bisect_left(named, xe + k):
                after = xe + k + 1              # 被 right before the act, or before its agent
                j = bisect.bisect_left(named, after)
                if after == a_s or (j < len(named) and named[j] == after):
                    r = dict(r, type="target")
        out.append(r)
    money = sorted((span[e["id"]][0], span[e["id"]][1], e["id"]) for e in entities
                   if e["type"] == "MONEY")
    counts = [(span[e["id"]][0], span[e["id"]][1], e["id"]) for e in entities if e["type"] == "COUNT"]
    roles: dict = {}
    for r in out:
        roles.setdefault(r["head"], set()).add(r["type"])
    for e in entities:
        if e["type"] != "ACTION":
            continue
        a_s, a_e = span[e["id"]]
        words = ctext[a_s:a_e]
        if words in _FINE_WORDS:
            pos, first = a_e, True
            for ms, me, mid in money:
                if ms < pos:
                    continue
                gap = ctext[pos:ms]
                if not (gap in ("", "人民币") if first else gap in ("、", "和", "及", "以及")):
                    break
                if (e["id"], mid) not in pairs:
                    out.append({"type": "amount", "head": e["id"], "tail": mid,
                                "score": by_id[e["id"]]["score"]})
                    pairs.add((e["id"], mid))
                pos, first = me, False
        if e["norm"].get("kind") == "violation" and "count" not in roles.get(e["id"], ()):
            best = None
            for cs, ce, cid in counts:
                lo, hi = min(cs, a_s), max(ce, a_e)
                if hi - lo <= 30 and not _CLAUSE_END.search(ctext, lo, hi) \
                        and (e["id"], cid) not in pairs:
                    d = abs(cs - a_s)
                    if best is None or d < best[0]:
                        best = (d, cid)
            if best:
                out.append({"type": "count", "head": e["id"], "tail": best[1],
                            "score": by_id[e["id"]]["score"]})
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
_SUBJECT_ANAPHOR = re.compile(r"(该院|该局|该法院|该检察院|人民检察院|检察院|检察机关|人民法院|法院|"
                              r"公安机关|警方)")
_SUBJECT_KINDS = {"该院": ("procuratorate", "court"), "该法院": ("court",), "人民法院": ("court",),
                  "法院": ("court",), "公安机关": ("police",), "警方": ("police",)}
_COLLECTIVE = frozenset({"全国", "各级", "各地", "全省", "全市", "全区", "两级", "基层", "地方", "上级"})
_SUBJECT_BEFORE = frozenset("，,。；;：:、（(“\"」』】后此时经并遂即")
_OBJECT_MARKERS = ("向", "对", "与", "会同", "联合", "和", "及", "、")


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


def _anaphor_relations(entities, relations, ctext: str, cspans) -> list[dict]:
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
    span = {e["id"]: sp for e, sp in zip(entities, cspans)}
    order = sorted(entities, key=lambda e: span[e["id"]][0])
    text = {e["id"]: ctext[span[e["id"]][0]:span[e["id"]][1]] for e in entities}
    roles: dict = {}
    for r in relations:
        roles.setdefault(r["head"], {}).setdefault(r["type"], set()).add(r["tail"])
    sentences = SentenceIndex(ctext)
    out = list(relations)

    def acts_in(lo, hi):
        return [e for e in order if e["type"] == "ACTION" and lo <= span[e["id"]][0] < hi]

    # targets
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
    # agents
    for s0, s1 in sentences.spans:
        first = next((e for e in order if s0 <= span[e["id"]][0] < s1
                      and e["type"] in ("AGENCY", "PARTY")), None)
        m = _SUBJECT_ANAPHOR.search(ctext, s0, s1)
        if m is None or (first is not None and span[first["id"]][0] < m.start()):
            continue
        if any(span[e["id"]][0] <= m.start() < span[e["id"]][1] for e in entities):
            continue                                    # part of a named organ
        if ctext[max(s0, m.start() - 2):m.start()] in _COLLECTIVE:
            continue                                    # 全国检察机关: all of them, no antecedent
        if m.start() > s0 and not (ctext[m.start() - 1] in _SUBJECT_BEFORE
                                   or ctext[m.start() - 1].isspace()):
            continue                                    # the end of a name the model missed
        if not _SENTENCE_END.search(ctext[s0:s1]) or (ctext[s1 - 1] == "\n"
                                                    and not _CLAUSE_END.search(ctext, s0, s1 - 1)):
            continue                                    # a heading (法院判决)
        word = m.group(1)
        kinds = _SUBJECT_KINDS.get(word, ("procuratorate",))

        def ok(e):
            if e["type"] != "AGENCY":
                return False
            return text[e["id"]].endswith("局") if word == "该局" else e["norm"].get("kind") in kinds

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
                   and not ctext[max(s0, span[e["id"]][0] - 2):span[e["id"]][0]].endswith(
                       _OBJECT_MARKERS) for e in entities):
                break
            if a["norm"].get("kind") == "violation" or not roles.get(a["id"]) \
                    or "agent" in roles[a["id"]]:
                continue
            out.append({"type": "agent", "head": a["id"], "tail": ante["id"], "score": a["score"]})
    return out


# one-character acts the guideline knows (罚 of 罚2万元, 诉 of a case title, 收 of 收三张罚单); any
# other single character is a fragment
SINGLE_CHAR_ACTIONS = frozenset("罚诉判收")


def _one_date(relations: list[dict]) -> list[dict]:
    """An act happens at one date (a point or a range: one DATE span): of several predicted
    `date` relations of an ACTION the best scored stays. No ACTION of the seed gold or real dev
    has two."""
    best: dict[str, dict] = {}
    for r in relations:
        if r["type"] == "date" and (r["head"] not in best or best[r["head"]]["score"] < r["score"]):
            best[r["head"]] = r
    return [r for r in relations if r["type"] != "date" or best[r["head"]] is r]


_FULL_STOP = re.compile(r"[。！？!?\n]")
_LIST_PUNCT = re.compile(r"[，,、。；;：:！？!?\n]")


def _nearest_mentions(entities, relations, ctext: str, cspans) -> list[dict]:
    """The guideline links an act "to the nearest mention that names its argument": where the
    argument is named more than once (the same type and clean text), the relation goes to the
    mention the annotators pick: the act's object right after it (at most two characters between,
    no punctuation: 请求判令X); else the last one before the act in its clause (up to ； or 。), else
    the first one after it in its clause; else the same within its sentence (up to 。); else the
    last one before it, else the first one after it. This choice agrees with 249 of the 251 gold
    relations whose argument is named more than once in the seed gold and real dev (plain character
    distance: 225) and with 1,998 of 2,007 in 300 generated dev documents. Duplicates that this
    makes are merged, keeping the best score."""
    span = {e["id"]: sp for e, sp in zip(entities, cspans)}
    by_id = {e["id"]: e for e in entities}
    named: dict[tuple, list] = {}
    for e in entities:
        s, t = span[e["id"]]
        named.setdefault((e["type"], ctext[s:t]), []).append(e["id"])
    best: dict[tuple, dict] = {}
    for r in relations:
        tail = r["tail"]
        if r["type"] != "alias_of":
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
               if span[i][0] - he <= 2 and not _LIST_PUNCT.search(ctext[he:span[i][0]])]
    if objects:                                       # 请求判令|X, 判决|被告X: the act's own object
        return min(objects, key=lambda i: span[i][0])
    for stop in (_SENTENCE_END, _FULL_STOP, None):
        b = [i for i in before if stop is None or not stop.search(ctext[span[i][1]:hs])]
        if b:
            return max(b, key=lambda i: span[i][0])
        a = [i for i in after if stop is None or not stop.search(ctext[he:span[i][0]])]
        if a:
            return min(a, key=lambda i: span[i][0])
    return ids[0]                                     # overlapping the act: leave the first


def apply_spec_rules(entities: list[dict], relations: list[dict], clean_texts: list[str],
                     ctext: str | None = None, cspans: list | None = None):
    """The guideline's conditions on what is an entity, applied to the model's output, in order:
    companies named like organs (banks, associations) are PARTY, and a procuratorate, court or
    police organ or an anonymized organ (某局) typed PARTY is AGENCY; generic organ words, place
    names and fragments are no AGENCY; a one-character ACTION must be one the guideline knows;
    with the clean text ``ctext`` and the entities' spans in it ``cspans``: acts inside a quoted
    provision or a proposal are dropped and the sentence structure fixes some relations
    (``_context_relations``, ``_anaphor_relations``); the arguments decide an ACTION's kind where
    its words do not; who can perform which act (``_role_constraints``); an ACTION needs an
    argument (an enforcement step: agent, date, target or amount; a violation: a count, an amount
    or a date).
    Returns (entities, relations) without what was dropped."""
    by_id = {e["id"]: e for e in entities}
    text_of = {e["id"]: ct for e, ct in zip(entities, clean_texts)}
    drop = set()
    if ctext is not None:
        drop |= _context_drops(entities, ctext, cspans)
    for e in entities:
        ct = text_of[e["id"]]
        if retype(e["type"], ct) != e["type"]:
            e["type"] = retype(e["type"], ct)
            e["norm"] = normalize(e["type"], ct)
        elif e["type"] == "AGENCY" and (ct in GENERIC_AGENCIES or not ct.endswith(ORGAN_ENDINGS)):
            drop.add(e["id"])
        elif e["type"] == "ACTION" and len(ct) == 1 and ct not in SINGLE_CHAR_ACTIONS:
            drop.add(e["id"])

    def keep_relations(rels):
        return [r for r in rels if r["head"] not in drop and r["tail"] not in drop and
                relation_allowed(r["type"], by_id[r["head"]]["type"], by_id[r["tail"]]["type"])]

    relations = keep_relations(relations)
    if ctext is not None:
        keep = [(e, sp) for e, sp in zip(entities, cspans) if e["id"] not in drop]
        entities = [e for e, _ in keep]
        kept_spans = [sp for _, sp in keep]
        relations = keep_relations(_context_relations(entities, relations, ctext, kept_spans))
        relations = keep_relations(_anaphor_relations(entities, relations, ctext, kept_spans))
        relations = keep_relations(_form_relations(entities, relations, ctext, kept_spans))
        relations = _nearest_mentions(entities, relations, ctext, kept_spans)
    entities = [e for e in entities if e["id"] not in drop]
    relations = _one_date(relations)
    illegal = frozenset(e["id"] for e in entities         # not 没收违法所得 (a penalty)
                        if e["type"] == "ACTION" and e["norm"].get("kind") in ("violation", "other")
                        and _ILLEGAL.search(text_of[e["id"]]))
    _action_kinds_from_arguments(entities, relations, illegal)
    relations = _role_constraints(entities, relations, illegal)
    roles: dict[str, set] = {}
    for r in relations:
        roles.setdefault(r["head"], set()).add(r["type"])
    for e in entities:
        if e["type"] == "ACTION":
            have = roles.get(e["id"], set())
            if not have or (e["norm"].get("kind") == "violation"
                            and not have & {"count", "amount", "date"}):
                drop.add(e["id"])
    return [e for e in entities if e["id"] not in drop], keep_relations(relations)


def _event_date_key(ev: dict):
    start = (ev["when"] or {}).get("start")
    return (start is None, start or "", ev["_pos"])


def build_events(entities: list[dict], relations: list[dict]) -> list[dict]:
    """The case timeline: each ACTION with its roles resolved to entity texts and normalized values,
    sorted by `when` (the normalized value of its first `date` argument; undated acts last, in text
    order)."""
    by_id = {e["id"]: e for e in entities}
    events = []
    for e in entities:
        if e["type"] != "ACTION":
            continue
        ev = {"action": e["id"], "text": e["text"], "kind": e["norm"].get("kind"), "when": None,
              "_pos": e["start"]}
        for role in ROLES:
            ev[role] = []
        for r in relations:
            if r["head"] == e["id"] and r["type"] in ROLES:
                t = by_id[r["tail"]]
                ev[r["type"]].append({"id": t["id"], "text": t["text"], "norm": t["norm"]})
        if ev["date"]:
            ev["when"] = ev["date"][0]["norm"]
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


def _after_spun_approx(original: str, cleaned, cs: int, ce: int, os_: int) -> int:
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


_JOINT = re.compile(r"联合|会同|协同")
_ORG_END = r"(?:公司|银行|支行|分行|医院|中心|集团|平台|网站|协会|学校|店|厂)"
# 农业银行江北支行行长葛某东: the company, a department (营业室) and a post, then the person
_TITLED_PERSON = re.compile(rf"(.+{_ORG_END})[^，,。；;、]{{0,6}}?"
                            r"(?:副?行长|总?经理|员工|职员|主任|董事长|法定代表人|负责人|医生|医师|"
                            r"工作人员|业务员|客服)(.{2,4})")
_PERSON_NAME = re.compile(r"[\u4e00-\u9fff]某[\u4e00-\u9fff甲乙丙丁戊己庚0-9]?|[\u4e00-\u9fff]{2,3}")
_RANGE_GAP = re.compile(r"(?:以上|上)?[、，,]?")             # 上: the first span ended in 以|上


def restructure_spans(ctext: str, pred: dict) -> dict:
    """Span surgery on the model's prediction (clean offsets, as ``assemble`` takes it) where one
    entity was read as two or two as one; returns a new prediction, relations carried over.
    - A money range written with both bound words, 1万元以上、10万元以下, is one MONEY span
      (ANNOTATION.md: a range is one span) from the first amount to the second; the trailing 以下
      stays out like a single amount's 以上 (corpus/README.md). The model sometimes reads the two
      halves as two amounts.
    - Two organs acting jointly, 市场监管局联合公安局网安大队, are two AGENCY spans; each keeps the
      relations in which the joined span was the argument.
    - A company and its employee, 某银行江北支行行长葛某东, are two PARTY spans, the company and the
      person; the relations go to the person, the head of the phrase.
    - A company name with a region in brackets, 同方知网(北京)技术有限公司, read as two pieces is one
      PARTY span.
    - A price per quantity, 100万次/400元, read as one MONEY is a COUNT and a MONEY; the relations
      stay with the MONEY."""
    ents = [dict(e) for e in pred["entities"]]
    rels = [dict(r) for r in pred["relations"]]
    target = list(range(len(ents)))                   # old index -> index it was merged into
    money = sorted((i for i, e in enumerate(ents) if e["type"] == "MONEY"),
                   key=lambda i: ents[i]["start"])
    for i, j in zip(money, money[1:]):
        a, b = ents[target[i]], ents[j]
        gap = ctext[a["end"]:b["start"]]
        if a["end"] <= b["start"] and _RANGE_GAP.fullmatch(gap) \
                and "以上" in ctext[a["start"]:a["end"]] + gap \
                and ctext[b["end"]:b["end"] + 2] == "以下":
            a["end"], a["score"] = b["end"], min(a["score"], b["score"])
            target[j] = target[i]
    party = sorted((i for i, e in enumerate(ents) if e["type"] == "PARTY"),
                   key=lambda i: ents[i]["start"])
    for i, j in zip(party, party[1:]):
        a, b = ents[target[i]], ents[j]
        m = re.match(r"[（(][^（()）]{1,8}[）)]", ctext[a["end"]:b["end"]])
        if m and b["start"] <= a["end"] + m.end() \
                and re.search(_ORG_END + "$", ctext[b["start"]:b["end"]]):
            a["end"], a["score"] = b["end"], min(a["score"], b["score"])
            target[j] = target[i]
    out_e, new_index, extra, moved = [], {}, {}, {}
    for i, e in enumerate(ents):
        if target[i] != i:
            continue
        new_index[i] = len(out_e)
        out_e.append(e)
        text = ctext[e["start"]:e["end"]]
        if e["type"] == "AGENCY" and (m := _JOINT.search(text)):
            left, right = text[:m.start()], text[m.end():]
            if len(left) >= 2 and len(right) >= 2 and left.endswith(ORGAN_ENDINGS) \
                    and right.endswith(ORGAN_ENDINGS):
                out_e.append(dict(e, start=e["start"] + m.end()))
                e["end"] = e["start"] + m.start()
                extra[i] = len(out_e) - 1
        elif e["type"] == "PARTY" and (m := _TITLED_PERSON.fullmatch(text)) \
                and _PERSON_NAME.fullmatch(m.group(2)):
            out_e.append(dict(e, start=e["start"] + m.start(2)))
            e["end"] = e["start"] + m.end(1)
            moved[i] = len(out_e) - 1                 # the person, the head of the phrase
        elif e["type"] == "MONEY" and "/" in text:
            k = text.index("/")
            if k and normalize("COUNT", text[:k]).get("unit") and text[k + 1:].endswith("元"):
                out_e.append(dict(e, type="COUNT", end=e["start"] + k))
                e["start"] += k + 1
    out_r = []
    for r in rels:
        h, t = new_index[target[r["head"]]], new_index[target[r["tail"]]]
        h, t = moved.get(target[r["head"]], h), moved.get(target[r["tail"]], t)
        if h == t:
            continue
        out_r.append(dict(r, head=h, tail=t))
        if target[r["tail"]] in extra:
            out_r.append(dict(r, head=h, tail=extra[target[r["tail"]]]))
    return {**pred, "entities": out_e, "relations": out_r}


def retype(type_: str, ctext: str) -> str:
    """The guideline's type of a PARTY / AGENCY span with clean text ``ctext``: companies named like
    organs (banks, associations) are PARTY; a procuratorate, court or police organ, the central
    bank or an anonymized organ (某局) is AGENCY."""
    if type_ == "AGENCY" and _is_company_like(ctext):
        return "PARTY"
    if type_ == "PARTY" and _STATE_ORGAN_PARTY.search(ctext):
        return "AGENCY"
    return type_


def prepare_spans(ctext: str, entities: list[dict], whole_words: bool = True) -> list[dict]:
    """The span rules on decoded entities ({"type", "start", "end", "score"}, clean offsets),
    before the relation head reads them: ``restructure_spans``, trimming, ``refine_span`` and
    ``retype``; one entity per (span, type), the best score kept. ``assemble`` applies the same
    rules (they change nothing the second time)."""
    ents = restructure_spans(ctext, {"entities": entities, "relations": []})["entities"]
    fixed = []
    divisions = _divisions_at(ctext)
    for e in ents:
        settled = _settle(ctext, e["type"], e["start"], e["end"], whole_words, divisions)
        if settled is not None:
            cs, ce, typ = settled
            fixed.append(dict(e, start=cs, end=ce, type=typ))
    fixed = _organ_names(ctext, fixed)
    fixed = _complete_penalty_lists(ctext, fixed)
    best: dict[tuple, dict] = {}
    for e in fixed:
        k = (e["start"], e["end"], e["type"])
        if k not in best or best[k]["score"] < e["score"]:
            best[k] = e
    return sorted(best.values(), key=lambda e: (e["start"], e["end"], e["type"]))


# penalties a list names (clean text; ANNOTATION.md's penalty kind and its usual members)
_PENALTY_WORDS = ("没收违法所得", "没收非法财物", "吊销营业执照", "吊销许可证", "通报批评", "暂停执业",
                  "行政拘留", "责令改正", "罚款", "罚金", "警告", "拘留")
_LIST_GAP = re.compile(r"[^、，,。；;：:\n]{0,6}?、")      # the rest of an item (违法行为), then 、


def _complete_penalty_lists(ctext: str, ents: list[dict]) -> list[dict]:
    """Each penalty in a list is its own ACTION (corpus/README.md): where the model read some
    items of a 、-list of penalties (警告、罚款、暂停执业) and not others, the missing items that are
    penalty words become ACTIONs, scored as the read item they were reached from; the relation head
    then reads their arguments like any other's."""
    acts = sorted((e for e in ents if e["type"] == "ACTION" and
                   normalize("ACTION", ctext[e["start"]:e["end"]])["kind"] == "penalty"),
                  key=lambda e: e["start"])
    if not acts:
        return ents
    taken = [(e["start"], e["end"]) for e in ents]
    added = []
    for a in acts:
        for step in (1, -1):                          # the items after it, then before it
            pos = a["end"] if step == 1 else a["start"]
            while True:
                if step == 1:
                    m = _LIST_GAP.match(ctext, pos)
                    word = m and next((w for w in _PENALTY_WORDS
                                       if ctext.startswith(w, m.end())), None)
                    span = (m.end(), m.end() + len(word)) if word else None
                else:
                    word = ctext[pos - 1:pos] == "、" and next(
                        (w for w in _PENALTY_WORDS if ctext.endswith(w, 0, pos - 1)), None)
                    span = (pos - 1 - len(word), pos - 1) if word else None
                if span is None:
                    break
                if not any(s < span[1] and span[0] < e for s, e in taken):
                    added.append({"type": "ACTION", "start": span[0], "end": span[1],
                                  "score": a["score"]})
                    taken.append(span)
                pos = span[1] if step == 1 else span[0]
    return ents + added


def _settle(ctext: str, typ: str, cs: int, ce: int, whole_words: bool, divisions) -> tuple | None:
    """One span through trimming, ``refine_span``, ``name_start`` (a name never starts inside a
    division name: 上海市闵行[区某医院] -> the whole name) and ``retype``, again until none of them
    changes it (a span widened or retyped is checked as what it has become); None when dropped."""
    for _ in range(4):
        ts, te = _trim(ctext, cs, ce, typ == "STATUTE")
        r = refine_span(typ, ctext, ts, te, whole_words) if ts < te else None
        if r is None:
            return None
        start = name_start(ctext, r[0], divisions) if typ in ("PARTY", "AGENCY") else r[0]
        new = (start, r[1], retype(typ, ctext[start:r[1]]))
        if new == (cs, ce, typ):
            break
        cs, ce, typ = new
    return cs, ce, typ


def _organ_names(ctext: str, ents: list[dict]) -> list[dict]:
    """Organ names of the gazetteer (lawie.infer.organs) the model did not read whole: the PARTY /
    AGENCY pieces inside or across one (重庆[市某]区人民检察院) give way to the name as AGENCY with
    their best score; a name no entity touches is added with the gazetteer's precision as score.
    A predicted AGENCY running on past a name into no organ word ([芜湖市市场监管局执法人员]) is cut
    to the name. A name inside a longer predicted organ (诸暨市人民检察院|第五检察部) or touching
    another type is left alone."""
    for s, e in organ_names(ctext):
        touching = [x for x in ents if x["start"] < e and s < x["end"]]
        if any(x["type"] not in ("PARTY", "AGENCY") for x in touching):
            continue
        whole = [x for x in touching if x["start"] <= s and e <= x["end"] and not (
            x["type"] == "AGENCY" and not ctext[x["start"]:x["end"]].endswith(ORGAN_ENDINGS))]
        if whole:                                     # read whole already: drop pieces inside it
            ents = [x for x in ents if not any(x is t for t in touching) or x is whole[0]
                    or not (whole[0]["start"] <= x["start"] and x["end"] <= whole[0]["end"])]
            continue
        score = max((x["score"] for x in touching), default=GAZETTEER_SCORE)
        ents = [x for x in ents if not any(x is t for t in touching)]
        ents.append({"type": "AGENCY", "start": s, "end": e, "score": score})
    return ents


def assemble(original: str, cleaned, pred: dict, doc_id: str, meta: dict | None = None,
             threshold: float = 0.0, whole_words: bool = True) -> dict:
    """One output document from the model's prediction on `cleaned.text`.

    pred: {"entities": [{"type", "start", "end", "score"}], "relations": [{"head", "tail", "type",
    "score"}]} in clean offsets (head/tail index pred["entities"]), as lawie.infer.runtime returns.
    threshold: entities the model scores below it are left out before the rules run (with their
    relations); 0 keeps every entity the decoder found.
    whole_words: see refine_span.
    """
    meta = dict(meta or {})
    doc_date = meta.get("date") if isinstance(meta.get("date"), str) else None
    ctext = cleaned.text
    pred = restructure_spans(ctext, pred)
    # spans -> original offsets; one entity per (original span, type), keeping the best score
    kept: dict[tuple, dict] = {}
    key_of: dict[int, tuple] = {}
    for i, p in enumerate(pred["entities"]):
        if p["score"] < threshold:
            continue
        cs, ce = _trim(ctext, p["start"], p["end"], p["type"] == "STATUTE")
        refined = refine_span(p["type"], ctext, cs, ce, whole_words) if cs < ce else None
        if refined is None:
            continue
        cs, ce = refined
        # the boundary characters are no punctuation (trimmed above); their sources are whole
        # (an entity like &#19977; or a spun 东说念主 is never cut)
        os_, oe = cleaned.to_original(cs, ce)
        if p["type"] in ("COUNT", "MONEY"):
            os_ = _after_spun_approx(original, cleaned, cs, ce, os_)
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
    best: dict[tuple, tuple] = {}
    for h, t, role, score in rels:
        k = (h, t, role)
        if k not in best or best[k][3] < score:
            best[k] = (h, t, role, score)
    relations = [{"type": role, "head": f"T{h + 1}", "tail": f"T{t + 1}", "score": round(score, 4)}
                 for h, t, role, score in sorted(best.values(), key=lambda x: (x[0], x[1], x[2]))]
    entities, relations = apply_spec_rules(entities, relations, [v["text"] for v in views],
                                           ctext, [(u["cstart"], u["cend"]) for u in uniq])
    _resolve_agency_names(entities, relations)
    # ids stay T1..Tn in text order after the rules dropped some
    new_id = {e["id"]: f"T{i + 1}" for i, e in enumerate(entities)}
    for e in entities:
        e["id"] = new_id[e["id"]]
    for r in relations:
        r["head"], r["tail"] = new_id[r["head"]], new_id[r["tail"]]
    return {"id": doc_id, "text": original, "meta": meta, "entities": entities,
            "relations": relations, "events": build_events(entities, relations)}
