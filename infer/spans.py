"""Span rules: the guideline's conditions on the spans the NER head decoded (clean offsets), applied
before the relation head reads them and again when the document is assembled.

    prepare_spans(clean_text, entities) -> entities        # what Runtime.predict(span_rules=) calls

This is the step  spans -> (span rules) -> relations  of the flow text -> clean -> encode -> spans ->
relations -> normalize -> JSON. ``refine_span`` checks one span (boundaries, whole words, what
cannot be an entity of its type); ``restructure_spans`` mends one entity read as two or two as
one; ``retype`` fixes PARTY / AGENCY; the organ-name gazetteer (lawie.infer.organs) and the
penalty-list rule add what the model missed beside what it read.
"""
from __future__ import annotations

import re

from lawie.infer.organs import GAZETTEER_SCORE, division_ends, name_start, organ_names
from lawie.infer.words import is_word, word_bounds
from lawie.labels.values import RELATIVE_DATE_WORDS, normalize

_EDGE = set(" \t\r\n\u3000，。、；：！？,.;:!?“”\"'‘’（）()【】[]「」『』<>〈〉")


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


def _titled(text: str, name: str) -> bool:
    """Whether ``name`` follows an official's title somewhere in ``text`` (检委会专职委员王忠勇):
    then every mention of it names an official (王忠勇等人实地走访), who is no PARTY."""
    i = text.find(name)
    while i >= 0:
        if _TITLE_BEFORE.search(text[max(0, i - 4):i]):
            return True
        i = text.find(name, i + 1)
    return False


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
                rest = m.group(2)
                # 肖某累计 -> 肖某, 谢某联|系 -> 谢某: a word begins after 某 (and may go on past
                # the span); 葛某东, 何某洋|出售: a given name stays
                if any(is_word(rest + text[end:end + k]) and len(rest) + k >= 2 for k in (0, 1, 2)):
                    return start, start + len(m.group(1))
            k = s.find("某")
            if k >= 3 and re.fullmatch(r"某(?:某|[甲乙丙丁戊己庚])?", s[k:]) \
                    and not any(w in s for w in _ORG_WORDS):
                return start + k - 1, end             # 组织|杨某: a verb the model ran into
            if "某" not in s and _titled(text, s):
                return None                           # 检察官张三: officials are no PARTY
            if len(s) == 1 and "、" not in text[max(0, start - 1):start] + text[end:end + 1]:
                return None                           # [知]网, [某]APP: one character is a
                #                                       name only in a list of surnames (李、吴)
    if whole_words and _whole_word_type(type_, text[start:end]) \
            and word_bounds(text).leaves_fragment(start, end):
        return None                                   # [开设店]铺, [行政处]罚: a piece of a word
    return start, end


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


_JOINT = re.compile(r"联合|会同|协同")
_ORG_END = r"(?:公司|银行|支行|分行|医院|中心|集团|平台|网站|协会|学校|店|厂)"
# 农业银行江北支行行长葛某东: the company, a department (营业室) and a post, then the person
_TITLED_PERSON = re.compile(rf"(.+{_ORG_END})[^，,。；;、]{{0,6}}?"
                            r"(?:副?行长|总?经理|员工|职员|主任|董事长|法定代表人|负责人|医生|医师|"
                            r"工作人员|业务员|客服)(.{2,4})")
_PERSON_NAME = re.compile(r"[\u4e00-\u9fff]某[\u4e00-\u9fff甲乙丙丁戊己庚0-9]?|[\u4e00-\u9fff]{2,3}")
_BANK = re.compile(r"(?:银行|建行|农行|中行|工行|交行|招行)$")
_BRANCH = re.compile(r"(?:支行|分行|营业部)$")
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
      PARTY span; so is a bank and its branch read apart, 农业银行|吉林市江北支行.
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
    names = sorted((i for i, e in enumerate(ents) if e["type"] in ("PARTY", "AGENCY")),
                   key=lambda i: ents[i]["start"])
    for i, j in zip(names, names[1:]):
        a, b = ents[target[i]], ents[j]
        if a["type"] != "PARTY":
            continue
        m = re.match(r"[（(][^（()）]{1,8}[）)]", ctext[a["end"]:b["end"]])
        bank_branch = b["start"] == a["end"] and _BANK.search(ctext[a["start"]:a["end"]]) \
            and _BRANCH.search(ctext[b["start"]:b["end"]])
        if bank_branch or b["type"] == "PARTY" and m and b["start"] <= a["end"] + m.end() \
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
    divisions = division_ends(ctext)
    for e in ents:
        settled = _settle(ctext, e["type"], e["start"], e["end"], whole_words, divisions)
        if settled is not None:
            cs, ce, typ = settled
            fixed.append(dict(e, start=cs, end=ce, type=typ))
    fixed = _organ_names(ctext, fixed, divisions)
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


def _organ_names(ctext: str, ents: list[dict], divisions: dict[int, int]) -> list[dict]:
    """Organ names of the gazetteer (lawie.infer.organs) the model did not read whole: the PARTY /
    AGENCY pieces inside or across one (重庆[市某]区人民检察院) give way to the name as AGENCY with
    their best score; a name no entity touches is added with the gazetteer's precision as score.
    A predicted AGENCY running on past a name into no organ word ([芜湖市市场监管局执法人员]) is cut
    to the name. A name inside a longer predicted organ (诸暨市人民检察院|第五检察部) or touching
    another type is left alone."""
    for s, e in organ_names(ctext, divisions):
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
