"""Genre grammars. Each genre is a sequence of optional paragraph builders; each paragraph is built
from sentence builders with several clause orders, so documents are combined compositionally."""
import datetime as _dt

from functools import lru_cache

from lawie.labels.lexicon import table, words

from . import values as V
from . import world as W
from .doc import E, Doc  # noqa: F401  (Doc: the type of the `doc` argument)

SCENES = (
    ("智慧停车场", "App过度收集车主个人信息"), ("小区人脸识别", "违规采集业主人脸信息"),
    ("网络招聘", "发布虚假招聘信息获取求职者简历"), ("网络开盒", "非法查询并公开他人身份信息"),
    ("医疗机构", "泄露患者就诊信息"), ("殡葬服务", "倒卖逝者及家属信息"), ("景区预约", "滥用游客身份信息抢号"),
    ("快递物流", "泄露快递面单信息"), ("校外培训", "非法收集学生及家长信息"), ("房产中介", "倒卖购房者信息"),
    ("金融借贷", "违规查询征信信息"), ("电信营销", "非法获取手机号码用于营销"), ("月子中心", "出售新生儿及产妇信息"),
    ("汽车销售", "违规收集车主信息"), ("酒店住宿", "泄露住客登记信息"), ("手机App", "超范围收集个人信息"),
    ("儿童智能手表", "违规收集儿童位置信息"), ("健身场馆", "强制采集会员人脸信息"), ("物业服务", "公示业主个人信息"),
    ("保险营销", "非法购买客户信息"), ("电商平台", "泄露消费者订单信息"), ("政务公开", "公开文书未脱敏"),
)
INFO = ("公民个人信息", "个人信息", "公民身份信息", "手机号码", "个人简历", "人脸信息", "快递面单信息", "车主信息",
        "学生信息", "患者信息", "业主信息", "客户信息", "征信信息", "住宿记录", "行踪轨迹信息", "新生儿信息")
MEANS = ("通过网络聊天工具", "利用职务便利", "通过编写爬虫程序", "在境外社交软件上", "通过购买“社工库”账号",
         "借助“App注册”之机", "利用工作中接触客户资料的机会", "通过非法渠道", "在某网络群组内", "以招聘为名")
UNIT_OF = {"公民个人信息": "条", "个人信息": "条", "公民身份信息": "条", "手机号码": "条", "个人简历": "份",
           "人脸信息": "条", "快递面单信息": "条", "车主信息": "条", "学生信息": "条", "患者信息": "条",
           "业主信息": "条", "客户信息": "条", "征信信息": "条", "住宿记录": "条", "行踪轨迹信息": "条",
           "新生儿信息": "条"}
GENERIC_PARAS = (
    "检察机关在办案中发现，个人信息保护领域侵权行为具有隐蔽性强、受害人数多等特点，需要行政机关与司法机关形成合力。",
    "本案中，检察机关通过检察建议等方式督促相关职能部门依法履职，推动问题整改，实现了办案效果与社会效果的统一。",
    "个人信息安全关系人民群众切身利益。监管部门应当加强日常监管，督促企业落实个人信息保护主体责任。",
    "检察机关聚焦群众反映强烈的突出问题，坚持诉前实现维护公益目的是最佳司法状态的理念，推动行业系统治理。",
    "行政机关收到检察建议后，应当在规定期限内依法履职并书面回复。",
    "相关行业主管部门要建立常态化监管机制，防止类似问题反弹回潮。",
    "上述行政机关分别制定了整改方案，对辖区内同类问题开展排查。",
    "数据显示，此类案件中有近三成涉及未成年人个人信息，同比增长了15.6%。",
    "办案中，检察机关综合运用磋商、检察建议、提起诉讼等方式，形成个人信息保护的司法合力。",
    "该案的办理，对于规范行业经营行为、保护消费者合法权益具有示范意义。",
    "检察机关将持续加大个人信息保护力度，依法惩治侵犯公民个人信息违法犯罪行为。",
    "企业在处理个人信息时，应当遵循合法、正当、必要和诚信原则，不得过度收集个人信息。",
    "第三，要强化技术防范，定期开展安全评估，半年内完成系统升级。",
    "相关职能部门表示，将把个人信息保护纳入年度重点工作，确保各项措施落到实处。",
    "与此同时，检察机关还注重源头治理，推动出台行业规范，实现“办理一案、治理一片”的效果。",
    "近年来，侵犯公民个人信息犯罪呈现链条化、产业化趋势，涉案信息数量动辄上千万。",
)
HEADINGS = {
    "facts": ("【基本案情】", "一、基本案情", "【案情简介】", "基本案情", "【案件事实】"),
    "duty": ("【检察机关履职情况】", "【检察机关履职过程】", "二、检察机关履职情况", "【调查和督促履职】", "履职过程"),
    "meaning": ("【典型意义】", "三、典型意义", "【案例评析】", "典型意义", "【意义】"),
}
SOURCES = ("最高人民检察院", "检察日报", "法治日报", "人民法院报", "新华社", "中国新闻网", "澎湃新闻", "央视新闻客户端",
           "正义网", "中国消费者报", "南方都市报", "每日经济新闻", "光明日报", "北京青年报")


def _pick(rng, seq):
    return seq[rng.randrange(len(seq))]


@lru_cache(maxsize=None)
def act_words(kind: str, frame: str) -> tuple:
    """The act lemmas of labels/data/lexicon/acts.tsv with this kind and argument frame (the
    mainland's: a lemma noted hk / mo / tw is drawn by the regional genre only), as the guideline's
    shortest act: a lemma that begins with a function-word prefix (act_prefixes.tsv: 给予警告,
    依法起诉) or ends with a complement (act_suffixes.tsv: 抓获归案) is not drawn, its act word is."""
    prefixes, suffixes = words("act_prefixes.tsv"), words("act_suffixes.tsv")
    return tuple(w for w, k, f, note in table("acts.tsv", ("lemma", "kind", "frame", "note"))
                 if k == kind and f == frame and not note
                 and not any(w.startswith(p) and len(w) > len(p) for p in prefixes)
                 and not any(w.endswith(x) and len(w) > len(x) for x in suffixes))


def pick_act(rng, common, kind, frame, p_lexicon=0.4):
    """One act word: the genre's common words most often, else any lemma of the lexicon that has
    the same kind and frame (so a lemma added to acts.tsv is generated)."""
    if rng.random() < p_lexicon:
        return _pick(rng, act_words(kind, frame))
    return _pick(rng, common)


class Timeline:
    """Strictly increasing event dates within one case."""

    def __init__(self, rng, start=None):
        self.rng = rng
        self.cur = start or _dt.date(rng.randint(2016, 2025), rng.randint(1, 12), rng.randint(1, 28))

    def advance(self, lo=3, hi=90):
        self.cur += _dt.timedelta(days=self.rng.randint(lo, hi))
        return self.cur

    def point(self, gran=None):
        rng, d = self.rng, self.cur
        gran = gran or rng.choices(("d", "m", "y", "late", "early", "xun"), (60, 25, 3, 5, 4, 3))[0]
        if gran == "d":
            return V.DateVal(d.year, d.month, d.day)
        if gran == "m":
            return V.DateVal(d.year, d.month)
        if gran == "y":
            return V.DateVal(d.year)
        if gran == "early":
            return V.DateVal(d.year, d.month if rng.random() < 0.6 else None, kind="early")
        if gran == "late":
            return V.DateVal(d.year, d.month, kind="late")
        return V.DateVal(d.year, d.month, kind="xun")

    def span(self):
        """A range ending at the current date (a period of conduct)."""
        rng, end = self.rng, self.cur
        start = end - _dt.timedelta(days=rng.randint(40, 900))
        r = rng.random()
        if r < 0.1 and start.year < end.year:
            return V.DateVal(start.year, y2=end.year)
        if r < 0.2:
            return V.DateVal(start.year, kind=rng.choice(("h1", "h2")))
        if r < 0.8 or start.year == end.year:
            if start.year == end.year and start.month == end.month:
                return V.DateVal(start.year, start.month, start.day, end.year, end.month, max(end.day, start.day))
            return V.DateVal(start.year, start.month, None, end.year, end.month, None)
        return V.DateVal(start.year, start.month, start.day, end.year, end.month, end.day)


class Case:
    """The cast and timeline of one document."""

    def __init__(self, rng, doc: Doc):
        self.rng, self.doc = rng, doc
        self.region = W.random_region(rng, rng.choice("CKKK"))
        self.cast = W.Cast(rng)
        self.tl = Timeline(rng, getattr(doc, "case_start", None))
        self.scene, self.scene_act = _pick(rng, SCENES)

    def statute(self, groups=("pi",), article=True):
        rng = self.rng
        pool = [s for s in W.statutes() if s["group"] in groups] or W.statutes()
        st = _pick(rng, pool)
        art = None
        if article and rng.random() < 0.7:
            art = _pick(rng, st["articles"]) if st["articles"] and rng.random() < 0.8 else rng.randint(1, st["max"])
        return st, art


# ------------------------------------------------------------------ sentence helpers

def when(doc, dv, lead=True):
    """Date phrase: (pieces, entity). lead=True gives '2025年3月14日,' style, else '于2025年3月14日'."""
    if dv is None:
        return [], None
    e = doc.date(dv)
    if lead:
        return [e, doc.rng.choice(("，", "，", "，", ""))], e
    return [doc.rng.choice(("于", "于", "在")), e], e


def relative_year(doc, word):
    """A DATE that names a year relative to the document's date (今年, 去年): its year, read like
    the normalizer reads it (the document's date, else the last date before it), else null."""
    offset = {"今年": 0, "去年": -1, "前年": -2}[word]
    base = doc.meta_date.y if doc.meta_date else (doc.anchor[0] if doc.anchor else None)
    y = None if base is None else str(base + offset)
    return E("DATE", word, {"start": y, "end": y})


def relative_day(doc, offset):
    """A DATE that names a day relative to the publication date (今天, 昨日: the words of
    relative_dates.tsv read against the document), or None when the text has no date."""
    pub = doc.meta_date
    if pub is None or pub.d is None:
        return None
    words = [w for w, o in V.relative_words("day", "document") if o == offset]
    day = _dt.date(pub.y, pub.m, pub.d) + _dt.timedelta(days=offset)
    return E("DATE", doc.rng.choice(words), V.date_norm(V.DateVal(day.year, day.month, day.day)))


def since_year(doc, year):
    """A year a period starts from (2021年|以来): the DATE is the year, 以来 stays outside."""
    return E("DATE", f"{year}年", {"start": str(year), "end": str(year)})


def join_names(rng, mentions):
    """Join several mention piece-lists with 、 and 和."""
    out = []
    for i, m in enumerate(mentions):
        if i:
            out.append("和" if (i == len(mentions) - 1 and rng.random() < 0.4) else "、")
        out.extend(m)
    return out


def targets(doc, act, people) -> list:
    """Mention each of `people` as a target of `act`; the mentions' pieces, in order."""
    out = []
    for person in people:
        p, e_ = doc.party(person)
        out.append(p)
        doc.rel("target", act, e_)
    return out


def end(rng):
    return "；" if rng.random() < 0.04 else "。"


# ------------------------------------------------------------------ violation narratives

def violation_sentence(case, doc, agents, dv=None, with_money=True):
    """X某{于 date}{means}非法获取{info}{count},{以 price 出售给 Y}{获利 money}。"""
    rng = case.rng
    info = _pick(rng, INFO)
    unit = UNIT_OF[info]
    v = V.round_value(rng, 300, 9_000_000) if rng.random() < 0.8 else V.round_value(rng, 20, 3000)
    approx = rng.choice((None, "more_than", "more_than", "about", None))
    cnt_p, cnt = doc.count(v, unit, approx)
    agent_p = join_names(rng, [a[0] for a in agents])
    group = None          # 李某、吴某二人 / 周某等六人: the subject's size, a COUNT of its acts
    if len(agents) >= 2 and rng.random() < 0.3:
        gp, group = doc.small_count(len(agents), "人")
        agent_p = agent_p + gp
    elif len(agents) <= 2 and rng.random() < 0.12:
        gp, group = doc.small_count(rng.randint(len(agents) + 1, 15), "人")
        agent_p = agent_p + ["等"] + gp
    date_p, date_e = when(doc, dv, lead=rng.random() < 0.6) if dv else ([], None)
    verb1 = pick_act(rng, ("非法获取", "获取", "购买", "窃取", "非法收集", "爬取", "收集", "非法查询"),
                     "violation", "acquire")
    a1 = doc.action(verb1, "violation")
    means = rng.choice(MEANS) if rng.random() < 0.6 else ""
    lead_date = bool(date_p) and date_p[0] is date_e
    s = [date_p if lead_date else "", agent_p, "" if lead_date else date_p, means, a1]
    if rng.random() < 0.5:
        s += [info, cnt_p]
    else:
        s += [cnt_p, rng.choice(("", "的")), info]
    for a in agents:
        doc.rel("agent", a1, a[1])
    doc.rel("count", a1, cnt)
    doc.rel("date", a1, date_e)
    if group is not None:
        doc.rel("count", a1, group)
    s2 = []
    if rng.random() < 0.75:
        verb2 = pick_act(rng, ("出售", "非法出售", "提供", "非法提供", "倒卖", "贩卖"), "violation", "transfer")
        a2 = doc.action(verb2, "violation")
        buyer = case.cast.person() if rng.random() < 0.6 else case.cast.company()
        bp, be = doc.party(buyer)
        r = rng.random()
        if r < 0.3:
            mp, me = doc.money_range(rng.randint(1, 5), rng.randint(6, 30))
            doc.rel("amount", a2, me)
            s2 = [rng.choice(("，后", "，并", "，随后")), rng.choice(("将上述信息", "")), "以每条", mp,
                  rng.choice(("的价格", "")), a2, "给", bp]
        elif r < 0.55:
            c2p, c2 = doc.count(V.round_value(rng, 100, max(101, v // 2)), unit, rng.choice((None, "more_than")))
            doc.rel("count", a2, c2)
            s2 = [rng.choice(("，后", "，并", "，其中")), "将其中", c2p, a2, "给", bp]
        else:
            s2 = [rng.choice(("，后", "，并", "，再")), rng.choice(("将上述信息", "将信息", "")), a2, "给", bp]
        for a in agents:
            doc.rel("agent", a2, a[1])
        if group is not None:
            doc.rel("count", a2, group)
        doc.rel("target", a2, be)
        if with_money and rng.random() < 0.7:
            mv = V.round_value(rng, 800, 2_000_000)
            mp, me = doc.money(mv, approx=rng.choice((None, "more_than", None)), no_yuan=rng.random() < 0.1)
            w = pick_act(rng, ("获利", "违法所得", "非法获利", "牟利"), "violation", "profit", 0.3)
            a3 = doc.action(w, "violation")
            s2 += ["，", a3, mp]
            for a in agents:
                doc.rel("agent", a3, a[1])
            doc.rel("amount", a3, me)
    elif rng.random() < 0.5:                  # made known, no recipient (泄露至网络, 上传至群组)
        a2 = doc.action(_pick(rng, act_words("violation", "publish")), "violation")
        c2p, c2 = doc.count(V.round_value(rng, 100, max(101, v // 2)), unit, rng.choice((None, "more_than")))
        for a in agents:
            doc.rel("agent", a2, a[1])
        doc.rel("count", a2, c2)
        s2 = [rng.choice(("，后", "，并", "，其中")), "将其中", c2p, a2,
              rng.choice(("至网络", "到境外网站", "至多个聊天群组", ""))]
    return s + s2 + [end(rng)]


def facts_paragraph(case, doc, defendants, heading=True):
    rng = case.rng
    if heading:
        doc.emit(_pick(rng, HEADINGS["facts"]), "\n")
    n_sent = rng.randint(1, 3)
    for i in range(n_sent):
        sub = defendants if rng.random() < 0.5 else [_pick(rng, defendants)]
        agents = [doc.party(p) for p in sub]
        case.tl.advance(10, 200)
        dv = case.tl.span() if rng.random() < 0.6 else case.tl.point()
        if rng.random() < 0.22:
            doc.emit(s_violation_front(case, doc, agents, dv=dv if rng.random() < 0.5 else None))
        else:
            doc.emit(violation_sentence(case, doc, agents, dv))
        if rng.random() < 0.3:
            doc.emit(_pick(rng, (f"上述行为严重侵害了{rng.choice(('消费者', '公民', '不特定多数人'))}的个人信息权益，损害了社会公共利益。",
                                 "相关信息被用于电信网络诈骗、精准营销等违法活动。",
                                 "经鉴定，上述信息均为有效公民个人信息。")))
        if rng.random() < 0.5:
            doc.emit("\n")
    doc.emit("\n")


# ------------------------------------------------------------------ enforcement sentences

def s_clue(case, doc, proc, dv):
    rng = case.rng
    pp, pe = doc.organ(proc)
    dp, de = when(doc, dv, lead=rng.random() < 0.7)
    verb = pick_act(rng, ("发现线索", "发现该案线索", "接到举报", "接到群众举报", "收到线索", "获取线索",
                          "发现案件线索"), "clue", "clue", 0.3)
    a = doc.action(verb, "clue")
    doc.rel("agent", a, pe)
    doc.rel("date", a, de)
    ctx = rng.choice(("在履职中", "在办理刑事案件中", "通过大数据法律监督模型", "在开展专项监督活动中", ""))
    if dp and dp[0] is de:
        s = [dp, pp, ctx, a]
    else:
        s = [pp, dp, ctx, a]
    tail = rng.choice(("，反映" + case.scene + "存在" + case.scene_act + "的情形", "，" + case.scene + "存在个人信息保护风险", ""))
    return s + [tail, end(rng)]


def s_filed(case, doc, organ, dv, target=None):
    rng = case.rng
    pp, pe = doc.organ(organ)
    dp, de = when(doc, dv, lead=rng.random() < 0.5) if dv else ([], None)
    verb = pick_act(rng, ("立案", "立案调查", "立案审查", "决定立案", "立案办理", "立案查处"), "case_filed",
                    "filing", 0.3) if organ.kind != "police" else rng.choice(("立案侦查", "立案", "立案调查"))
    # the span is the shortest verb phrase naming the act: 决定[立案], [立案]办理 (立案调查/审查/查处 stay whole)
    before, after = ("决定", "") if verb == "决定立案" else ("", "办理") if verb == "立案办理" else ("", "")
    a = doc.action(verb[len(before):len(verb) - len(after)], "case_filed")
    doc.rel("agent", a, pe)
    doc.rel("date", a, de)
    tp = []
    if target is not None and rng.random() < 0.6:
        tp, te = doc.party(target)
        doc.rel("target", a, te)
        tp = ["对", tp]
    pre = rng.choice(("经初步调查，", "", "认为相关违法行为属实，", "遂", "依法"))
    if dp and dp[0] is de:
        return [dp, pp, pre, tp, before, a, after, end(rng)]
    return [pp, dp, pre, tp, before, a, after, end(rng)]


def s_hearing(case, doc, proc, dv):
    rng = case.rng
    pp, pe = doc.organ(proc)
    dp, de = when(doc, dv, lead=True)
    verb = rng.choice(("召开公开听证会", "召开听证会", "组织听证", "举行公开听证"))
    a = doc.action(verb, "hearing")
    doc.rel("agent", a, pe)
    doc.rel("date", a, de)
    tail = rng.choice(("，邀请人大代表、专家学者等参加", "，就行政机关监管职责进行论证", "", "，听取各方意见"))
    return [dp, pp, a, tail, end(rng)]


def s_suggestion(case, doc, proc, agencies, dv):
    rng = case.rng
    pp, pe = doc.organ(proc)
    dp, de = when(doc, dv, lead=rng.random() < 0.7)
    verb = pick_act(rng, ("制发检察建议", "发出检察建议", "提出检察建议", "制发诉前检察建议", "送达检察建议",
                          "公开宣告送达检察建议"), "suggestion", "suggestion", 0.3)
    a = doc.action(verb, "suggestion")
    doc.rel("agent", a, pe)
    doc.rel("date", a, de)
    ms = []
    for ag in agencies:
        mp, me = doc.organ(ag)
        ms.append(mp)
        doc.rel("target", a, me)
    basis = []
    if rng.random() < 0.35:
        st, art = case.statute(("pi", "admin", "consumer", "minor", "sector"))
        sp, se = doc.statute(st, art)
        doc.rel("basis", a, se)
        basis = [rng.choice(("根据", "依据")), sp, rng.choice(("规定，", "的规定，", "，"))]
    if dp and dp[0] is de:
        s = [dp, basis, pp, "向", join_names(rng, ms), rng.choice(("分别", "", "")), a]
    else:
        s = [basis, pp, dp, "向", join_names(rng, ms), a]
    tail = rng.choice(("，建议其依法履行监管职责", "，督促其对违法行为依法监管", "", "，建议对相关企业开展专项整治"))
    return s + [tail, end(rng)]


def s_response(case, doc, agency, targets, dv):
    rng = case.rng
    ap, ae = doc.organ(agency)
    r = rng.random()
    dp, de = when(doc, dv, lead=True) if dv else ([], None)
    if targets and r < 0.12:
        return s_admin_penalty(case, doc, agency, targets[0], dv)
    if targets and r < 0.2:
        return s_passive_penalty(case, doc, agency, targets[0], dv)
    tps = []
    for t in targets:
        p, e_ = doc.party(t)
        tps.append((p, e_))
    if r < 0.45 and tps:
        verb = rng.choice(("罚款", "处罚款"))
        a = doc.action("罚款", "penalty")  # 处[罚款]: the act word is 罚款
        mp, me = doc.money(V.round_value(rng, 2000, 500000), approx=None)
        doc.rel("agent", a, ae)
        doc.rel("amount", a, me)
        doc.rel("date", a, de)
        for _, te in tps:
            doc.rel("target", a, te)
        extra = []
        if rng.random() < 0.5:
            a2 = doc.action(rng.choice(("责令改正", "责令整改", "责令限期改正")), "penalty")
            doc.rel("agent", a2, ae)
            doc.rel("date", a2, de)
            for _, te in tps:
                doc.rel("target", a2, te)
            extra = [a2, "，并"]
        return [dp, ap, rng.choice(("收到检察建议后", "", "经调查")), "对", join_names(rng, [p for p, _ in tps]),
                rng.choice(("作出", "依法")), extra, "处" if verb == "处罚款" else "", a, mp, rng.choice(("的行政处罚", "")),
                end(rng)]
    if r < 0.7:
        a = doc.action(rng.choice(("约谈", "集中约谈", "督促整改")), "other")
        doc.rel("agent", a, ae)
        doc.rel("date", a, de)
        for _, te in tps:
            doc.rel("target", a, te)
        return [dp, ap, a, join_names(rng, [p for p, _ in tps]) if tps else "辖区运营企业",
                rng.choice(("，推动完成整改", "，要求限期整改", "")), end(rng)]
    a = doc.action(rng.choice(("书面回复", "回复")), "other")
    doc.rel("agent", a, ae)
    doc.rel("date", a, de)
    return [dp, ap, a, rng.choice(("称已完成整改", "检察机关，已对相关问题完成整改", "，表示将开展专项整治")), end(rng)]


def s_lawsuit(case, doc, proc, court, defendants, dv, kind="civil"):
    rng = case.rng
    pp, pe = doc.organ(proc)
    cp, ce = doc.organ(court)
    dp, de = when(doc, dv, lead=rng.random() < 0.7)
    verb = {"civil": ("提起民事公益诉讼", "提起公益诉讼", "依法提起民事公益诉讼"),
            "criminal": ("提起公诉", "提起公诉", "起诉"),
            "attached": ("提起刑事附带民事公益诉讼", "提起附带民事公益诉讼")}[kind]
    a = doc.action(rng.choice(verb), "lawsuit")
    doc.rel("agent", a, pe)
    doc.rel("venue", a, ce)
    doc.rel("date", a, de)
    dps = targets(doc, a, defendants)
    claim = []
    if kind != "criminal" and rng.random() < 0.7:
        mp, me = doc.money(V.round_value(rng, 3000, 900000), approx=rng.choice((None, "more_than")))
        # 请求判令 is its own lawsuit act (agent, venue, the defendant named in the claim, the claimed amount)
        a_c = doc.action("请求判令", "lawsuit")
        dp1, de1 = doc.party(defendants[0])  # a fresh mention: the claim names the defendant again
        doc.rel("agent", a_c, pe)
        doc.rel("venue", a_c, ce)
        doc.rel("target", a_c, de1)
        doc.rel("amount", a_c, me)
        claim = ["，", a_c, "被告" if rng.random() < 0.5 else "", dp1,
                 rng.choice(("赔偿损失", "承担损害赔偿金", "支付公益损害赔偿金")), mp, rng.choice(("并公开赔礼道歉", ""))]
    if kind == "criminal":
        chp, che = doc.charge(pick_charge(rng))
        doc.rel("charge", a, che)
        mid = ["以", join_names(rng, dps), "涉嫌", chp, "向", cp, a]
        if rng.random() < 0.4:
            sp, se = doc.statute(CRIM_STATUTE, 253)
            doc.rel("basis", a, se)
            mid = ["依照", sp, "规定，", *mid]
    else:
        mid = ["向", cp, a] if rng.random() < 0.6 else ["就", join_names(rng, dps), "侵害个人信息行为向", cp, a]
    if dp and dp[0] is de:
        return [dp, pp, mid, claim, end(rng)]
    return [pp, dp, mid, claim, end(rng)]


CRIM_STATUTE = {"title": "刑法", "prefix": True, "articles": [253], "max": 452, "group": "crim"}
MAIN_CHARGE = "侵犯公民个人信息罪"


def pick_charge(rng):
    """An offence name from the lexicon (charges.tsv); most cases of the genre are 侵犯公民个人信息罪."""
    if rng.random() < 0.7:
        return MAIN_CHARGE
    return _pick(rng, words("charges.tsv"))


def main_sentence(rng, doc):
    """(pieces, SENTENCE) of a principal penalty: 有期徒刑 most often, else 拘役 or 管制."""
    r = rng.random()
    if r < 0.84:
        return doc.sentence("有期徒刑", _pick(rng, V.TERM_MONTHS))
    if r < 0.96:
        return doc.sentence("拘役", rng.randint(1, 6))
    return doc.sentence("管制", rng.choice((3, 6, 12, 18, 24)))


def s_judgment_criminal(case, doc, court, defendants, dv):
    """A criminal judgment, one 判处 per defendant with the defendant's own term, probation, fine
    and charge (guideline v2: SENTENCE, CHARGE; 'who got what')."""
    rng = case.rng
    cp, ce = doc.organ(court)
    dp, de = when(doc, dv, lead=rng.random() < 0.7)
    style = rng.choice(("lead", "own", "own", "passive"))
    shared = pick_charge(rng)
    basis = []
    basis_e = None
    if rng.random() < 0.4:
        sp, basis_e = doc.statute(CRIM_STATUTE, 253)
        basis = [rng.choice(("依照", "根据")), sp, rng.choice(("之规定，", "的规定，", "规定，"))]
    body = []
    for i, d in enumerate(defendants[:3]):
        p, e_ = doc.party(d)
        a = doc.action("判处", "judgment")
        doc.rel("agent", a, ce)
        doc.rel("date", a, de)
        doc.rel("target", a, e_)
        doc.rel("basis", a, basis_e)
        sp_, se_ = main_sentence(rng, doc)
        doc.rel("sentence", a, se_)
        terms = [sp_]
        if rng.random() < 0.4:
            if rng.random() < 0.85:
                pp_, pe_ = doc.sentence("缓刑", _pick(rng, V.PROBATION_MONTHS))
            else:
                pp_, pe_ = doc.sentence("缓刑", term=False)
            doc.rel("sentence", a, pe_)
            terms += ["，", "宣告" if not pe_.text[2:] else "", pp_]
        fine = []
        if rng.random() < 0.85:
            mp, me = doc.money(V.round_value(rng, 1000, 200000))
            doc.rel("amount", a, me)
            fine = ["，并处罚金", mp]
        who = [rng.choice(("被告人", "被告人", "")), p]
        if i:
            body.append("；")
        if style == "lead":
            if i == 0:
                chp, che = doc.charge(shared)
                doc.rel("charge", a, che)
                body += ["以", chp, a, who, terms, fine]
            else:
                body += [a, who, terms, fine]
        elif style == "own":
            chp, che = doc.charge(pick_charge(rng) if rng.random() < 0.2 else shared)
            doc.rel("charge", a, che)
            body += [who, "犯", chp, "，", a, terms, fine]
        else:
            body += [who, "被", a, terms, fine]
    lead = [dp, cp] if dp and dp[0] is de else [cp, dp]
    intro = rng.choice(("经审理，", "审理后，", "依法", ""))
    if style == "passive" and rng.random() < 0.5:
        chp, che = doc.charge(shared)
        intro = ["审理认为，被告人的行为已构成", chp, "。"]
    out = [lead, intro, basis, body, end(rng)]
    if rng.random() < 0.4:
        d0 = defendants[0]
        p, e_ = doc.party(d0)
        mp, me = doc.money(V.round_value(rng, 1000, 300000), approx=rng.choice((None, "more_than")))
        w2 = rng.choice(("没收", "予以没收", "追缴"))
        a2 = doc.action(w2.removeprefix("予以"), "penalty")     # 予以[没收]: the act word
        doc.rel("agent", a2, ce)
        doc.rel("target", a2, e_)
        doc.rel("amount", a2, me)
        out += ["对", p, "的违法所得", mp, "予以" if w2 == "予以没收" else "", a2, "。"]
    return out


def s_judgment(case, doc, court, defendants, dv, criminal=True):
    rng = case.rng
    if criminal:
        return s_judgment_criminal(case, doc, court, defendants, dv)
    cp, ce = doc.organ(court)
    dp, de = when(doc, dv, lead=rng.random() < 0.7)
    w = rng.choice(("判决", "判令", "作出判决", "调解", "宣判"))
    a = doc.action(w.removeprefix("作出"), "judgment")            # 作出[判决]: the act word
    doc.rel("agent", a, ce)
    doc.rel("date", a, de)
    p, e_ = doc.party(defendants[0])
    doc.rel("target", a, e_)
    mp, me = doc.money(V.round_value(rng, 3000, 900000), approx=rng.choice((None, "more_than")))
    doc.rel("amount", a, me)
    lead = [dp, cp] if dp and dp[0] is de else [cp, dp]
    if a.text == "调解":
        return [lead, "主持", a, "，", p, "同意支付赔偿金", mp, "并公开赔礼道歉", end(rng)]
    return [lead, "作出" if w == "作出判决" else "", a, p,
            rng.choice(("赔偿损失", "承担损害赔偿金", "赔偿公益损害")), mp,
            rng.choice(("，并在国家级媒体上公开赔礼道歉", "", "，款项用于个人信息保护公益事项")), end(rng)]


def s_penalty(case, doc, reg, target, dv, statutes_n=1):
    rng = case.rng
    rp, re_ = doc.organ(reg)
    tp, te = doc.party(target)
    dp, de = when(doc, dv, lead=rng.random() < 0.6) if dv else ([], None)
    bases = []
    for _ in range(statutes_n):
        st, art = case.statute(("pi", "consumer", "admin", "finance", "sector"))
        bases.append(doc.statute(st, art, style="bare" if rng.random() < 0.2 else None))
    acts = []
    pieces = []
    kinds = rng.sample(["warn", "fix", "fine", "confiscate", "suspend"], rng.randint(1, 3))
    if rng.random() < 0.15:  # a full penalty list: 警告、罚款、暂停执业活动、吊销许可证 / 没收违法所得
        kinds = ["warn", "fine", rng.choice(("suspend", "confiscate")), "revoke"]
        if rng.random() < 0.5:
            kinds.insert(0, "fix")
    if "fine" not in kinds and rng.random() < 0.6:
        kinds.append("fine")
    for k in kinds:
        if k == "warn":
            w = rng.choice(("警告", "给予警告"))
            a = doc.action("警告", "penalty")                        # 给予[警告]: the act word
            pieces.append(["给予", a] if w == "给予警告" else [a])
        elif k == "fix":
            w = rng.choice(("责令改正", "责令限期改正", "责令停止违法行为", "责令立即改正违法行为", "责令停止"))
            # shortest verb phrase: [责令停止]违法行为, [责令立即改正]违法行为
            obj = "违法行为" if w.endswith("违法行为") else ""
            a = doc.action(w[:len(w) - len(obj)], "penalty")
            if w == "责令停止":
                obj = rng.choice(("违法处理个人信息行为", "违法收集个人信息行为"))
            pieces.append([a, obj])
        elif k == "suspend":
            common = ("责令暂停相关业务", "责令停业整顿", "暂停执业活动", "暂停相关业务", "暂停新用户注册")
            w = pick_act(rng, common, "penalty", "penalty", 0.3)
            if any(c in w for c in "罚没缴") or w.startswith("开出"):
                w = rng.choice(common)      # a penalty that takes an amount is drawn where one is
            a = doc.action(w, "penalty")
            pieces.append([a])
        elif k == "revoke":
            a = doc.action(rng.choice(("吊销许可证", "吊销营业执照", "吊销相关业务许可证", "吊销执业许可证")), "penalty")
            pieces.append([a])
        elif k == "confiscate":
            a = doc.action("没收违法所得", "penalty")
            mp, me = doc.money(V.round_value(rng, 500, 300000), approx=rng.choice((None, "more_than")))
            doc.rel("amount", a, me)
            pieces.append([a, mp])
        else:
            a = doc.action("罚款", "penalty")
            cur = "CNY"
            mp, me = doc.money(V.round_value(rng, 5000, 50_000_000), cur)
            doc.rel("amount", a, me)
            pieces.append(rng.choice(([rng.choice(("并处", "处", "")), a, mp],
                                      [rng.choice(("并处", "处以")), mp, a])))
        acts.append(a)
    for a in acts:
        doc.rel("agent", a, re_)
        doc.rel("target", a, te)
        doc.rel("date", a, de)
        for _, se in bases:
            doc.rel("basis", a, se)
    body = []
    for i, p in enumerate(pieces):
        if i:
            body.append(rng.choice(("，", "、", "，")))
        body += p
    bp = join_names(rng, [b[0] for b in bases])
    r = rng.random()
    lead = [dp, rp] if dp and dp[0] is de else [rp, dp]
    if r < 0.5:
        return [lead, rng.choice(("依据", "根据")), bp, rng.choice(("规定，", "，", "的相关规定，")), "对", tp, "作出",
                body, rng.choice(("的行政处罚", "的处罚决定", "")), end(rng)]
    return [lead, "对", tp, rng.choice(("违法收集使用个人信息的行为", "未履行个人信息保护义务的行为", "")),
            rng.choice(("依法", "")), "作出行政处罚：", body, "。", "处罚依据为", bp, end(rng)]


# ------------------------------------------------------------------ passive / news-style penalties

PENALTY_REASONS = ("因违反金融消费者权益保护管理规定", "因侵害消费者金融信息安全", "因违规查询个人征信信息", "因泄露客户个人信息",
                   "因未按规定履行客户身份识别义务", "因违法收集使用个人信息", "因未经同意向第三方提供客户信息", "因违反信用信息采集规定",
                   "因个人信息保护制度不健全", "")
PERSON_REASONS = ("对该违法行为负有直接责任", "对上述违法行为负有责任", "作为直接责任人", "作为相关责任人", "负有管理责任")


GENERAL_REASONS = ("因违法收集使用个人信息", "因泄露用户个人信息", "因未经同意向第三方提供用户信息", "因超范围收集个人信息",
                   "因未履行个人信息保护义务", "")


def _reason(rng, target=None):
    bank = target is not None and "行" in target.full
    return rng.choice(PENALTY_REASONS if bank else GENERAL_REASONS)


def s_passive_penalty(case, doc, reg, target, dv=None, style=None, title=False):
    """X被罚N万(元) / X因…被Y处以N元罚款 / X被Y罚款N元 / X被处罚款N元 / X被(Y)重罚N万元.
    X is the target, Y (when named) the agent; the act is 罚 / 罚款 / 重罚."""
    rng = case.rng
    style = style or rng.choice(("fa", "fa", "chuyi", "fakuan", "chufakuan", "zhongfa"))
    tp, te = doc.party(target)
    dp, de = when(doc, dv, lead=rng.random() < 0.6) if dv else ([], None)
    big = style == "zhongfa"
    bank = "银行" in target.full
    mv = V.round_value(rng, 10000, 50_000_000 if bank or big else 5_000_000) if target.kind == "org" \
        else V.round_value(rng, 2000, 200000)
    mp, me = doc.money(mv, approx=rng.choice((None, None, None, "more_than")), no_yuan=rng.random() < 0.4)
    reason = "" if title else _reason(rng, target)
    rp, re_ = doc.organ(reg) if reg is not None and (style in ("chuyi", "fakuan") or rng.random() < 0.5) else ([], None)
    if style == "fa":
        a = doc.action("罚", "penalty")
        mid = ["被", rp, a, mp]
    elif style == "chuyi":
        a = doc.action("罚款", "penalty")
        mid = ["被", rp, rng.choice(("处以", "处")), mp, a]
    elif style == "fakuan":
        a = doc.action("罚款", "penalty")
        mid = ["被", rp, a, mp]
    elif style == "chufakuan":
        a = doc.action("罚款", "penalty")
        mid = ["被", rp, "处", a, mp]
    else:
        a = doc.action("重罚", "penalty")
        mid = ["被", rp, a, mp]
    doc.rel("target", a, te)
    doc.rel("agent", a, re_)
    doc.rel("amount", a, me)
    doc.rel("date", a, de)
    if title:
        return [tp, mid]
    if dp and dp[0] is de:
        return [dp, tp, reason, mid, end(rng)]
    return [tp, dp, reason, mid, end(rng)]


def s_penalty_split(case, doc, reg, targets, dv=None):
    """One 罚款 with several targets and amounts: 对X及A某、B某分别处罚款A元、B元和C元 (passive: 分别被罚)."""
    rng = case.rng
    rp, re_ = doc.organ(reg)
    dp, de = when(doc, dv, lead=True) if dv else ([], None)
    tps = [doc.party(t) for t in targets]
    passive = rng.random() < 0.35
    a = doc.action("罚" if passive and rng.random() < 0.6 else "罚款", "penalty")
    mps = []
    for t in targets:
        hi = 5_000_000 if t.kind == "org" else 100_000
        mp, me = doc.money(V.round_value(rng, 5000, hi), no_yuan=rng.random() < 0.2)
        mps.append(mp)
        doc.rel("amount", a, me)
    for _, te in tps:
        doc.rel("target", a, te)
    doc.rel("agent", a, re_)
    doc.rel("date", a, de)
    names = [tps[0][0], rng.choice(("及", "以及", "和")), join_names(rng, [p for p, _ in tps[1:]])] if len(tps) > 1 \
        else [tps[0][0]]
    if passive:
        return [dp, names, rng.choice(("因违规问题", "")), "分别被", rp, a if a.text == "罚" else ["处", a], join_names(rng, mps),
                end(rng)]
    return [dp, rp, "对", names, rng.choice(("分别", "分别")), rng.choice(("处", "处以", "")), a, join_names(rng, mps),
            end(rng)]


def s_ticket(case, doc, reg, target, dv=None):
    """Y向X开出罚单 / Y开出N张罚单 / X收到N张罚单 (the act: 开出罚单, 开出, 收到)."""
    rng = case.rng
    dp, de = when(doc, dv, lead=True) if dv else ([], None)
    r = rng.random()
    if r < 0.4:
        rp, re_ = doc.organ(reg)
        tp, te = doc.party(target)
        a = doc.action("开出罚单", "penalty")
        doc.rel("agent", a, re_)
        doc.rel("target", a, te)
        doc.rel("date", a, de)
        out = [dp, rp, "向", tp, a]
        if rng.random() < 0.6:
            a2 = doc.action("罚款", "penalty")
            mp, me = doc.money(V.round_value(rng, 10000, 20_000_000))
            doc.rel("agent", a2, re_)
            doc.rel("target", a2, te)
            doc.rel("amount", a2, me)
            out += ["，", a2, mp]
        return out + [end(rng)]
    n = rng.randint(2, 9)
    cp, ce = doc.count(n, "张")
    if r < 0.7:
        rp, re_ = doc.organ(reg)
        a = doc.action("开出", "penalty")
        doc.rel("agent", a, re_)
        doc.rel("count", a, ce)
        doc.rel("date", a, de)
        tgt = []
        if rng.random() < 0.5:
            tp, te = doc.party(target)
            doc.rel("target", a, te)
            tgt = ["向", tp]
        out = [dp, rp, tgt, rng.choice(("连续", "一次性", "")), a, cp, "罚单"]
        if rng.random() < 0.6:
            mp, me = doc.money(V.round_value(rng, 50000, 50_000_000), approx=rng.choice((None, "more_than")))
            doc.rel("amount", a, me)
            out += ["，", rng.choice(("罚没金额", "罚没款", "罚款金额合计")), mp]
        return out + [end(rng)]
    tp, te = doc.party(target)
    a = doc.action(rng.choice(("收到", "收到", "收")), "penalty")
    doc.rel("target", a, te)
    doc.rel("count", a, ce)
    doc.rel("date", a, de)
    out = [dp, tp, a, cp, "罚单"]
    if rng.random() < 0.6:
        mp, me = doc.money(V.round_value(rng, 50000, 50_000_000), approx=rng.choice((None, "more_than")))
        doc.rel("amount", a, me)
        out += ["，", rng.choice(("涉及罚款", "罚没金额", "罚款合计")), mp]
    return out + [end(rng)]


def s_admin_penalty(case, doc, reg, target, dv=None):
    """行政处罚 / 查处 as the predicate: Y依法对X进行行政处罚 / Y依法查处X…违法行为 / Y依据S对X予以行政处罚."""
    rng = case.rng
    rp, re_ = doc.organ(reg)
    tp, te = doc.party(target)
    dp, de = when(doc, dv, lead=rng.random() < 0.6) if dv else ([], None)
    r = rng.random()
    basis = []
    word = "行政处罚" if r < 0.6 else "查处"
    a = doc.action(word, "penalty")
    if word == "行政处罚" and rng.random() < 0.4:
        st, art = case.statute(("pi", "consumer", "admin", "finance"))
        sp, se = doc.statute(st, art)
        doc.rel("basis", a, se)
        basis = [rng.choice(("依据", "根据")), sp, rng.choice(("规定", "相关规定", "")), "，"]
    doc.rel("agent", a, re_)
    doc.rel("target", a, te)
    doc.rel("date", a, de)
    lead = [dp, rp] if dp and dp[0] is de else [rp, dp]
    if word == "行政处罚":
        return [lead, basis or rng.choice(("依法", "")), "对", tp, rng.choice(("进行", "予以", "实施", "依法进行")), a, end(rng)]
    return [lead, rng.choice(("依法", "严肃", "")), a, rng.choice(("了", "")), tp,
            rng.choice(("侵害消费者个人信息的违法行为", "违法收集个人信息案", "泄露客户信息的违法行为", "违规处理个人信息问题")),
            end(rng)]


# ------------------------------------------------------------------ court steps

def s_transfer(case, doc, police, proc, defendants, dv):
    """移送起诉 / 移送审查起诉 (other) and 审查起诉 (lawsuit)."""
    rng = case.rng
    dp, de = when(doc, dv, lead=True)
    r = rng.random()
    if r < 0.65:
        pp, pe = doc.organ(police)
        a = doc.action(rng.choice(("移送起诉", "移送审查起诉")), "other")
        doc.rel("agent", a, pe)
        doc.rel("date", a, de)
        if rng.random() < 0.5:
            ps = targets(doc, a, defendants)
            obj = [join_names(rng, ps)]
        else:
            obj = [rng.choice(("该案", "此案", "案件"))]
        if rng.random() < 0.4:
            chp, che = doc.charge(pick_charge(rng))
            doc.rel("charge", a, che)
            return [dp, pp, "以", rng.choice(("涉嫌", "")), chp, "将", obj, a, end(rng)]
        return [dp, pp, "将", obj, rng.choice(("依法", "")), a, end(rng)]
    cp, ce = doc.organ(proc)
    a = doc.action("审查起诉", "lawsuit")
    doc.rel("agent", a, ce)
    doc.rel("date", a, de)
    ps = targets(doc, a, defendants)
    return [dp, cp, "在对", join_names(rng, ps), rng.choice(("涉嫌侵犯公民个人信息案", "一案")), a, "过程中，",
            rng.choice(("发现其行为同时损害社会公共利益", "依法讯问了犯罪嫌疑人", "听取了辩护人意见")), end(rng)]


def s_trial(case, doc, court, dv):
    """(公开)开庭审理 (hearing), optionally 当庭宣判 (宣判, judgment)."""
    rng = case.rng
    cp, ce = doc.organ(court)
    dp, de = when(doc, dv, lead=rng.random() < 0.7)
    a = doc.action(pick_act(rng, ("开庭审理", "公开开庭审理", "公开开庭审理"), "hearing", "hearing", 0.3),
                   "hearing")
    doc.rel("agent", a, ce)
    doc.rel("date", a, de)
    lead = [dp, cp] if dp and dp[0] is de else [cp, dp]
    out = [lead, rng.choice(("依法", "")), a, rng.choice(("此案", "该案", "本案", "了这起案件"))]
    if rng.random() < 0.5:
        a2 = doc.action("宣判", "judgment")
        doc.rel("agent", a2, ce)
        doc.rel("date", a2, de)
        out += ["，并", "当庭", a2]
    return out + [end(rng)]


def s_sued(case, doc, plaintiff, defendant, court=None):
    """X将Y诉至法院 (诉至法院, lawsuit: agent X, target Y) / 诉至Z (venue Z)."""
    rng = case.rng
    xp, xe = doc.party(plaintiff)
    yp, ye = doc.party(defendant)
    why = rng.choice(("认为自己的个人信息权益受到侵害，", "因个人信息被泄露后频繁接到骚扰电话，", "多次交涉无果后，", ""))
    if court is not None and rng.random() < 0.5:
        cp, ce = doc.organ(court)
        a = doc.action("诉至", "lawsuit")
        doc.rel("venue", a, ce)
        tail = [a, cp]
    else:
        a = doc.action("诉至法院", "lawsuit")
        tail = [a]
    doc.rel("agent", a, xe)
    doc.rel("target", a, ye)
    out = [xp, why, rng.choice(("遂", "")), "将", yp, tail]
    if rng.random() < 0.6:
        a2 = doc.action("请求判令", "lawsuit")
        doc.rel("agent", a2, xe)
        doc.rel("target", a2, ye)
        mp, me = doc.money(V.round_value(rng, 1000, 100000))
        doc.rel("amount", a2, me)
        out += ["，", a2, rng.choice(("对方", "被告", "")), rng.choice(("赔偿经济损失", "赔偿精神损害抚慰金", "赔偿损失")), mp]
    return out + [end(rng)]


def s_sentenced(case, doc, person, court=None, dv=None):
    """X被(Z)判刑 (判刑, judgment: target X, agent Z)."""
    rng = case.rng
    xp, xe = doc.party(person)
    dp, de = when(doc, dv, lead=True) if dv else ([], None)
    a = doc.action("判刑", "judgment")
    doc.rel("target", a, xe)
    doc.rel("date", a, de)
    cpc = []
    if court is not None and rng.random() < 0.5:
        cpc, ce = doc.organ(court)
        doc.rel("agent", a, ce)
    why = rng.choice(("因非法出售客户信息", "因倒卖公民个人信息", "因侵犯公民个人信息", "利用职务便利泄露信息", ""))
    r = rng.random()
    if r < 0.35:                                  # 获刑3年 (guideline v2: the term is the SENTENCE)
        a.text = "获刑"
        sp, se = doc.sentence("", _pick(rng, V.TERM_MONTHS))
        doc.rel("sentence", a, se)
        return [dp, rng.choice(("", "被告人")), xp, why, a, sp, end(rng)]
    if r < 0.65:
        a.text = "判处"
        sp, se = main_sentence(rng, doc)
        doc.rel("sentence", a, se)
        return [dp, rng.choice(("", "被告人")), xp, why, "被", cpc, a, sp, end(rng)]
    return [dp, rng.choice(("", "被告人")), xp, why, "被", cpc, a, end(rng)]


def s_detention(case, doc, police, person, dv=None):
    """A police penalty of administrative detention: 公安机关依法对X处以[行政拘留十日] (处以 / 给予:
    penalty; relation sentence)."""
    rng = case.rng
    pp, pe = doc.organ(police)
    xp, xe = doc.party(person)
    dp, de = when(doc, dv, lead=True) if dv else ([], None)
    w = rng.choice(("处以", "给予"))
    a = doc.action(w, "penalty")
    doc.rel("agent", a, pe)
    doc.rel("target", a, xe)
    doc.rel("date", a, de)
    sp, se = doc.sentence("行政拘留", days=rng.choice((3, 5, 7, 10, 10, 15)))
    doc.rel("sentence", a, se)
    tail = "的处罚" if w == "给予" else ""
    return [dp, pp, rng.choice(("依法", "")), "对", xp, a, sp, tail, end(rng)]


def s_statutory(case, doc):
    """What the law threatens: 处[三年以下有期徒刑]或者拘役 / 最高可判[7年] (SENTENCE, no relation)."""
    rng = case.rng
    if rng.random() < 0.5:
        sp, _ = doc.statute(CRIM_STATUTE, 253)
        s1, _ = doc.sentence("有期徒刑")
        s1[0].text, s1[0].norm = "三年以下有期徒刑", {"penalty": "fixed_term", "months": None,
                                                       "min": 6, "max": 36}
        s2, _ = doc.sentence("有期徒刑")
        s2[0].text, s2[0].norm = "三年以上七年以下有期徒刑", {"penalty": "fixed_term", "months": None,
                                                               "min": 36, "max": 84}
        return [rng.choice(("根据", "依照", "")), sp, "规定，侵犯公民个人信息，情节严重的，处", s1,
                "或者拘役，并处或者单处罚金；情节特别严重的，处", s2, "，并处罚金。"]
    years = rng.choice((3, 7))
    sp, _ = doc.sentence("", years * 12)
    return [rng.choice(("非法获取、出售公民个人信息", "倒卖个人信息", "泄露客户信息")), "最高可判", sp, "。"]


# ------------------------------------------------------------------ violations with arguments before the verb

def s_violation_front(case, doc, agents, buyer=None, dv=None):
    """Counts / dates before the violation verb: 将N条…出售给Y / N条…被非法出售 / …N份，违法提供给Y /
    共计N条信息被X非法获取; plus 存有 储存 设立 侵犯 泄露 爬取 窃取 购买 with their COUNT/MONEY/DATE."""
    rng = case.rng
    info = _pick(rng, INFO)
    unit = UNIT_OF[info] if rng.random() < 0.8 else "份"
    v = V.round_value(rng, 200, 5_000_000)
    cp, ce = doc.count(v, unit, rng.choice((None, "more_than", "more_than", "about")))
    ap = join_names(rng, [a[0] for a in agents])
    dp, de = when(doc, dv, lead=rng.random() < 0.5) if dv else ([], None)
    lead = [dp, ap] if dp and dp[0] is de else [ap, dp]
    style = rng.choice(("sell_to", "passive_sold", "provide", "obtained_by", "stored", "stored", "site", "infringe",
                        "buy", "leak", "crawl"))

    def link(a, with_agents=True):
        if with_agents:
            for _, e_ in agents:
                doc.rel("agent", a, e_)
        doc.rel("date", a, de)

    if style in ("sell_to", "provide"):
        bp, be = doc.party(buyer or case.cast.person())
        if style == "sell_to":
            a = doc.action(pick_act(rng, ("出售", "非法出售", "贩卖", "倒卖"), "violation", "transfer"),
                           "violation")
            body = ["将", rng.choice(("", "其掌握的", "非法获取的")), cp, rng.choice(("", "的")), info, a, "给", bp]
        else:
            a = doc.action(rng.choice(("违法提供", "非法提供", "提供")), "violation")
            body = ["将", rng.choice(("收集的", "掌握的", "")), info, cp, "，", a, "给", bp]
        link(a)
        doc.rel("count", a, ce)
        doc.rel("target", a, be)
        return [lead, body, end(rng)]
    if style == "passive_sold":
        a = doc.action(pick_act(rng, ("非法出售", "出售", "泄露", "非法提供"), "violation", "transfer"),
                       "violation")
        doc.rel("count", a, ce)
        doc.rel("date", a, de)
        return [rng.choice(("经查，", "")), dp, rng.choice(("", "累计")), cp, info, "被", a, end(rng)]
    if style == "obtained_by":
        a = doc.action(pick_act(rng, ("非法获取", "窃取", "非法收集"), "violation", "acquire"), "violation")
        link(a)
        doc.rel("count", a, ce)
        return [dp, rng.choice(("合计", "累计", "")), cp, info, "被", ap, a, end(rng)]
    if style == "stored":
        a = doc.action(rng.choice(("存有", "储存", "存储")), "violation")
        link(a)
        doc.rel("count", a, ce)
        return [lead, rng.choice(("在其电脑中", "在其手机中", "在云端服务器中", "")), a, info, cp, end(rng)]
    if style == "site":
        a = doc.action(rng.choice(("设立", "开设", "搭建")), "violation")
        link(a)
        if de is None:
            dp2, de2 = when(doc, case.tl.point(), lead=False)
            doc.rel("date", a, de2)
            lead = [ap, dp2]
        a2 = doc.action(rng.choice(("出售", "发布", "贩卖")), "violation")
        link(a2, True)
        doc.rel("date", a2, None)
        doc.rel("count", a2, ce)
        return [lead, a, rng.choice(("“某某查询”网站", "网站", "网络平台", "“数据共享”群组")), "，", "累计", a2, info, cp, end(rng)]
    if style == "infringe":
        a = doc.action("侵犯", "violation")
        link(a)
        c2p, c2e = doc.count(rng.randint(3, 60), rng.choice(("家", "所")))
        doc.rel("count", a, c2e)
        doc.rel("count", a, ce)
        return [lead, a, c2p, rng.choice(("学校学生", "单位客户", "企业员工")), info, cp, end(rng)]
    if style == "buy":
        a = doc.action(rng.choice(("购买", "购得", "非法购买")), "violation")
        link(a)
        doc.rel("count", a, ce)
        mp, me = doc.money(V.round_value(rng, 500, 300000), approx=rng.choice((None, "more_than")))
        doc.rel("amount", a, me)
        return [lead, "以", mp, rng.choice(("的价格", "")), a, info, cp, end(rng)]
    if style == "leak":
        a = doc.action(pick_act(rng, ("泄露", "导致泄露"), "violation", "publish"), "violation")
        link(a)
        doc.rel("count", a, ce)
        return [lead, rng.choice(("因系统漏洞", "违反规定", "")), a, info, cp, end(rng)]
    a = doc.action(pick_act(rng, ("爬取", "非法爬取", "窃取"), "violation", "acquire"), "violation")
    link(a)
    doc.rel("count", a, ce)
    return [lead, rng.choice(("利用爬虫软件", "通过技术手段", "")), a, rng.choice(("某平台", "多个网站")), info, cp, end(rng)]


def s_clue_two_agents(case, doc, proc, violator, dv):
    """Y院在履职中发现，X存有N条… : 发现 (clue, agent Y, date) and the violation (agent X, count), not crossed."""
    rng = case.rng
    pp, pe = doc.organ(proc)
    dp, de = when(doc, dv, lead=rng.random() < 0.6)
    a = doc.action(rng.choice(("发现", "发现", "查明")), "clue")
    if a.text == "查明":
        a.text = "发现"
    doc.rel("agent", a, pe)
    doc.rel("date", a, de)
    xp, xe = doc.party(violator)
    info = _pick(rng, INFO)
    cp, ce = doc.count(V.round_value(rng, 100, 3_000_000), UNIT_OF[info], rng.choice((None, "more_than", "about")))
    v = doc.action(rng.choice(("存有", "储存", "违规收集", "泄露", "非法获取", "违法提供")), "violation")
    doc.rel("agent", v, xe)
    doc.rel("count", v, ce)
    lead = [dp, pp] if dp and dp[0] is de else [pp, dp]
    ctx = rng.choice(("在履职中", "在办理一起刑事案件中", "在开展专项监督中", "通过大数据监督模型", ""))
    if rng.random() < 0.5:
        body = [xp, v, cp, info]
    else:
        body = [xp, v, info, cp]
    return [lead, ctx, a, "，", body, rng.choice(("，存在泄露风险", "，侵害社会公共利益", "")), end(rng)]


# ------------------------------------------------------------------ negative examples (no ACTION)

QUOTED_PROVISIONS = (
    "违反本法规定处理个人信息的，由履行个人信息保护职责的部门责令改正，给予警告，没收违法所得；拒不改正的，并处罚款。",
    "经营者侵害消费者个人信息依法得到保护的权利的，由有关主管部门责令改正，可以根据情节单处或者并处警告、没收违法所得、处以违法所得一倍以上十倍以下的罚款；情节严重的，责令停业整顿、吊销营业执照。",
    "网络运营者违反本法规定，侵害个人信息依法得到保护的权利的，由有关主管部门责令改正，可以根据情节单处或者并处警告、没收违法所得，并处违法所得一倍以上十倍以下罚款。",
    "任何组织、个人不得非法收集、使用、加工、传输他人个人信息，不得非法买卖、提供或者公开他人个人信息。",
    "个人信息处理者应当采取必要措施，防止未经授权的访问以及个人信息泄露、篡改、丢失。",
    "人民检察院在履行职责中发现侵害众多个人权益的，可以依法向人民法院提起诉讼。",
    "有前款规定的违法行为，情节严重的，由省级以上履行个人信息保护职责的部门责令改正，没收违法所得，并处罚款，并可以责令暂停相关业务或者停业整顿。",
    "窃取或者以其他方法非法获取公民个人信息的，依照前款的规定处罚。",
    "对违反本办法规定的，由主管部门给予警告，责令限期改正；逾期不改正的，依法予以查处。",
)
GENERIC_NEGATIVES = (
    "检察机关可以依法提起公益诉讼。",
    "对于侵害众多个人信息权益的行为，检察机关可以依法提起公益诉讼。",
    "检察机关可以向有关单位发出检察建议，督促其依法履职。",
    "行政机关发现违法行为的，应当依法立案查处。",
    "对拒不整改的企业，监管部门可以依法予以罚款、责令停业整顿。",
    "符合立案条件的，公安机关应当及时立案侦查。",
    "经审查，相关线索符合立案条件。",
    "检察机关向法院移送了起诉书及相关证据材料。",
    "判决书送达后，被告未在法定期限内提出上诉。",
    "处罚决定书已依法送达当事人。",
    "当事人对处罚决定书不服的，可以依法申请行政复议或者提起行政诉讼。",
    "该判决书现已发生法律效力。",
    "起诉书指控的犯罪事实清楚，证据确实、充分。",
    "行政处罚决定书应当在作出后七日内依法公示。",
    "各地检察机关要善于运用检察建议、提起诉讼等方式，督促行政机关依法履职。",
)
NORM_DOCS = (
    "关于加强个人信息保护工作的通知", "关于开展App违法违规收集使用个人信息专项治理的公告",
    "关于建立检察公益诉讼与行政执法信息共享机制的实施意见", "关于加强公民个人信息司法保护的意见",
    "关于进一步加强个人信息保护公益诉讼工作的实施意见", "关于开展个人信息保护专项整治行动的通知",
    "关于规范金融机构个人信息处理活动的指导意见", "个人信息保护公益诉讼协作机制实施办法",
    "关于推进行政执法与刑事司法衔接工作的实施意见", "关于加强网络数据安全管理工作的通知",
)


def s_quoted_provision(case, doc):
    """…第X条规定：“…责令改正，给予警告，没收违法所得…” : STATUTE outside the quotes, no ACTION inside."""
    rng = case.rng
    st, art = case.statute(("pi", "consumer", "crim", "admin"))
    if art is None:
        art = _pick(rng, st["articles"]) if st["articles"] else rng.randint(1, st["max"])
    sp, _se = doc.statute(st, art)
    q = _pick(rng, QUOTED_PROVISIONS)
    opener = rng.choice(("", "根据", "依据", "按照"))
    lead = rng.choice(("", "本案中，", "经审查，"))
    return [lead, opener, sp, rng.choice(("规定：", "明确规定：", "规定，")), "“", q, "”", "\n" if rng.random() < 0.5 else ""]


def s_generic_negative(case, doc):
    return [_pick(case.rng, GENERIC_NEGATIVES)]


def s_norm_doc(case, doc, organs):
    """An agency-issued normative document (《关于…的通知》/《…实施意见》) as STATUTE with article null;
    the issuing verb has only an agent, so it is no ACTION."""
    rng = case.rng
    title = _pick(rng, NORM_DOCS)
    from .doc import E
    se = E("STATUTE", f"《{title}》", {"title": title, "article": None, "article_sub": None})
    ops = [doc.organ(o)[0] for o in organs]
    r = rng.random()
    if r < 0.5:
        return [join_names(rng, ops), rng.choice(("联合", "共同", "")) if len(ops) > 1 else "",
                rng.choice(("印发", "出台", "制定")), "了", se,
                rng.choice(("，建立常态化协作机制", "，明确了各方职责", "")), end(rng)], se
    return [rng.choice(("根据", "按照", "依据")), ops[0], rng.choice(("印发的", "出台的", "")), se, "要求，",
            rng.choice(("相关部门开展了专项排查。", "辖区企业完成了自查自纠。", "各方加强了信息共享。"))], se


def gen_bank_penalty(rng, doc, pub):
    """A regulator's penalty on a bank branch, news style: title 被罚, passive and active sentences, 罚单."""
    case = Case(rng, doc)
    R = case.region if case.region.level != "P" else W.random_region(rng, "C", case.region.prov)
    reg = W.pbc_branch(rng, R) if rng.random() < 0.6 else W.finance_regulator(rng, R)
    bank = W.bank_party(case.cast, R)
    persons = [case.cast.person(rng.choice(("m", "mg", "mm"))) for _ in range(rng.randint(1, 2))]
    case.tl.advance(10, 100)
    if rng.random() < 0.6:
        doc.emit(s_passive_penalty(case, doc, reg if rng.random() < 0.3 else None, bank, None,
                                   style=rng.choice(("fa", "fa", "zhongfa")), title=True), "\n")
    else:
        doc.emit(rng.choice(("侵害消费者金融信息安全，银行分支机构收罚单", "违规查询征信信息，银行网点被罚",
                             "金融监管部门公布一批行政处罚信息")), "\n")
    maybe_header(case, doc, pub)
    seq = rng.sample(("active", "passive", "split", "ticket", "admin", "person"), rng.randint(2, 4))
    for k in seq:
        dv = case.tl.point() if rng.random() < 0.6 else None
        if k == "active":
            doc.emit(s_penalty(case, doc, reg, bank, dv, rng.randint(1, 2)))
        elif k == "passive":
            doc.emit(s_passive_penalty(case, doc, reg, bank, dv))
        elif k == "split":
            doc.emit(s_penalty_split(case, doc, reg, [bank] + persons, dv))
        elif k == "ticket":
            doc.emit(s_ticket(case, doc, reg, bank, dv))
        elif k == "admin":
            doc.emit(s_admin_penalty(case, doc, reg, bank, dv))
        else:
            for p in persons:
                doc.emit(_person_fine(case, doc, p))
        if rng.random() < 0.5:
            doc.emit("\n")
    doc.emit("\n")
    if rng.random() < 0.3:
        doc.emit(s_quoted_provision(case, doc), "\n")
    if rng.random() < 0.4:
        doc.emit(rng.choice(("金融机构应当切实履行个人金融信息保护责任。", "业内人士表示，监管部门对侵害消费者权益行为保持高压态势。",
                             ("记者注意到，", relative_year(doc, "今年"), "以来此类罚单明显增多。"))), "\n")


def _person_fine(case, doc, person):
    """A responsible person fined in the passive: A某因…负有直接责任，被罚N万元 / 被处罚款N元."""
    rng = case.rng
    p, e_ = doc.party(person)
    a = doc.action(rng.choice(("罚", "罚", "罚款")), "penalty")
    mp, me = doc.money(V.round_value(rng, 5000, 200000), no_yuan=rng.random() < 0.3)
    doc.rel("target", a, e_)
    doc.rel("amount", a, me)
    mid = ["被", a, mp] if a.text == "罚" else ["被", rng.choice(("处", "")), a, mp]
    return [rng.choice(("", "相关责任人", "时任负责人")), p, rng.choice(("因", "")), _pick(rng, PERSON_REASONS), "，", mid, end(rng)]


# ------------------------------------------------------------------ genres

def title_line(case, doc, kind):
    rng = case.rng
    if kind == "proc":
        t = rng.choice((f"{case.scene}个人信息保护行政公益诉讼案", f"督促整治{case.scene}{case.scene_act}行政公益诉讼案",
                        f"{case.scene}侵害公民个人信息民事公益诉讼案", f"案例{V.cn_int(rng.randint(1, 9))}\n{case.scene}{case.scene_act}"))
    elif kind == "crim":
        t = rng.choice(("侵犯公民个人信息案", "侵犯公民个人信息刑事附带民事公益诉讼案", "非法获取公民个人信息案"))
    elif kind == "reg":
        t = rng.choice(("行政处罚决定书", "行政处罚信息公示", f"关于{case.scene}违法处理个人信息的行政处罚",
                        "违法收集使用个人信息典型案例通报"))
    else:
        t = rng.choice((f"{case.scene}{case.scene_act}，多人被查处", f"{case.scene}个人信息泄露事件调查",
                        f"警惕！{case.scene}成个人信息泄露重灾区", f"聚焦{case.scene}：个人信息保护再出重拳"))
    return t


def maybe_header(case, doc, pub):
    rng = case.rng
    if pub is None or rng.random() < 0.4:
        return
    hp = doc.header_date(pub)
    r = rng.random()
    if r < 0.4:
        doc.emit(hp, "\n")
    elif r < 0.7:
        doc.emit(hp, "  来源：", _pick(rng, SOURCES), "\n")
    else:
        doc.emit("发布时间：", hp, "\n")


@lru_cache(maxsize=1)
def mastheads() -> tuple:
    from importlib import resources
    text = resources.files("lawie.train.synth").joinpath("data/mastheads.txt").read_text("utf-8")
    return tuple(ln for ln in text.splitlines() if ln and not ln.startswith("#"))


KEYWORDS = ("个人信息保护", "公益诉讼", "检察建议", "侵犯公民个人信息罪", "诉前磋商", "行政机关履职", "数据安全")


def journal_header(rng, year):
    """来源：《中国检察官》2021年第6期 / 【关键词】… / 【摘要】…: a masthead, an issue (no DATE) and
    keywords, as a journal's case commentary opens; no entity in it."""
    issue = rng.choice((f"{year}年第{rng.randint(1, 24)}期", f"{year}年{rng.randint(1, 12)}期",
                        f"{year}年第{rng.randint(1, 12)}期（总第{rng.randint(100, 600)}期）"))
    return [rng.choice(("来源：", "原文载于", "")), "《", _pick(rng, mastheads()), "》", issue, "\n",
            rng.choice(("【关键词】", "关键词：")), "　".join(rng.sample(KEYWORDS, 3)), "\n",
            rng.choice(("【摘要】", "摘要：")), rng.choice(("个人信息保护公益诉讼中，检察机关应当注重诉前程序与诉讼程序的衔接。",
                                                     "本文以一起典型案例为样本，分析检察机关督促行政机关依法履职的路径。")), "\n"]


def gen_procuratorate(rng, doc, pub):
    case = Case(rng, doc)
    R = case.region
    proc = W.procuratorate(rng, R)
    targets = [case.cast.company(R) for _ in range(rng.randint(1, 3))]
    depts = rng.sample(list(W.GOV_DEPTS), rng.randint(1, 3))
    agencies = [W.gov(rng, R, d) if rng.random() < 0.85 else W.telecom(rng, R) for d in depts]
    if rng.random() < 0.2:
        agencies.append(W.police(rng, R))
    doc.emit(title_line(case, doc, "proc"), "\n")
    maybe_header(case, doc, pub)
    if rng.random() < 0.1:
        doc.emit(journal_header(rng, (pub.y if pub is not None else case.tl.cur.year + 1)))
    if rng.random() < 0.5:
        doc.emit(_pick(rng, HEADINGS["facts"]), "\n")
    # facts: a company-side violation, optionally quantified
    tp, te = doc.party(targets[0])
    cp, ce = doc.count(V.round_value(rng, 200, 3_000_000), _pick(rng, ("条", "人", "份", "个")),
                       rng.choice(("more_than", None, "about")))
    if rng.random() < 0.6:
        a = doc.action(rng.choice(("收集", "违规收集", "存储", "泄露", "公开")), "violation")
        doc.rel("agent", a, te)
        doc.rel("count", a, ce)
        doc.emit(R.full(rng), case.scene, "领域，", tp, rng.choice(("在经营中", "运营的App", "")), a,
                 "用户个人信息", cp, "，存在", case.scene_act, "等问题", end(rng))
    else:
        doc.emit(tp, "等", str(len(targets)) if False else "", "企业存在", case.scene_act, "问题，涉及用户", cp,
                 "，侵害众多消费者个人信息权益。")
    doc.emit("\n")
    doc.emit(_pick(rng, HEADINGS["duty"]), "\n")
    steps = []
    case.tl.advance(5, 300)
    if rng.random() < 0.2:
        doc.emit(s_clue_two_agents(case, doc, proc, targets[0], case.tl.point()))
    else:
        doc.emit(s_clue(case, doc, proc, case.tl.point()))
    if rng.random() < 0.6:
        case.tl.advance(1, 20)
        doc.emit(s_filed(case, doc, proc, case.tl.point() if rng.random() < 0.6 else None, targets[0]))
    doc.emit("\n")
    if rng.random() < 0.4:
        case.tl.advance(10, 60)
        doc.emit(s_hearing(case, doc, proc, case.tl.point(rng.choice("ddm"))), "\n")
    if rng.random() < 0.3:
        doc.emit("检察机关经调查查明，", rng.choice(("辖区内", "")), *doc.count(rng.randint(2, 40), "家")[0],
                 "企业存在同类问题。", "\n")
    if rng.random() < 0.15:
        doc.emit(s_quoted_provision(case, doc))
    case.tl.advance(10, 90)
    doc.emit(s_suggestion(case, doc, proc, agencies, case.tl.point(rng.choice("ddddm"))), "\n")
    for ag in agencies[:2]:
        if rng.random() < 0.6:
            case.tl.advance(20, 60)
            doc.emit(s_response(case, doc, ag, targets[:rng.randint(0, len(targets))] or targets[:1],
                                case.tl.point() if rng.random() < 0.5 else None))
    doc.emit("\n")
    if rng.random() < 0.35:
        court = W.court(rng, W.sub_region(rng, R, "C"), "C") if rng.random() < 0.7 else W.court(rng, R)
        case.tl.advance(30, 200)
        doc.emit(s_lawsuit(case, doc, proc, court, targets[:1], case.tl.point()))
        if rng.random() < 0.7:
            case.tl.advance(30, 200)
            doc.emit(s_judgment(case, doc, court, targets[:1], case.tl.point(), criminal=False))
        doc.emit("\n")
    if rng.random() < 0.7:
        doc.emit(_pick(rng, HEADINGS["meaning"]), "\n")
        for s in rng.sample(GENERIC_PARAS, rng.randint(1, 3)):
            doc.emit(s)
        if rng.random() < 0.2:
            doc.emit(s_generic_negative(case, doc))
        if rng.random() < 0.12:
            doc.emit(s_norm_doc(case, doc, [proc] + agencies[:rng.randint(0, 2)])[0])
        doc.emit("\n")


def gen_criminal(rng, doc, pub):
    case = Case(rng, doc)
    R = case.region
    n = rng.choice((1, 1, 2, 2, 3))
    defs = [case.cast.person() for _ in range(n)]
    police = W.police(rng, R, unit=rng.random() < 0.3) if rng.random() < 0.8 else W.police_generic(rng, R)
    proc = W.procuratorate(rng, R)
    court = W.court(rng, R) if R.level == "K" else W.court(rng, R, "C")
    doc.emit(rng.choice(("被告人", "")), join_names(rng, [doc.party(d, "full")[0] for d in defs[:2]]),
             "等" if n > 1 else "", title_line(case, doc, "crim"), "\n")
    maybe_header(case, doc, pub)
    if rng.random() < 0.6:
        doc.emit(_pick(rng, HEADINGS["facts"]), "\n")
        for d in defs:
            if rng.random() < 0.7:
                doc.emit("被告人", doc.party(d)[0], "，", rng.choice(("男", "女")), "，",
                         rng.choice(("无业", "某公司员工", "个体经营者", "某银行客户经理", "某快递网点负责人")), "。\n")
    facts_paragraph(case, doc, defs, heading=False)
    if rng.random() < 0.85:
        case.tl.advance(10, 120)
        if police.standalone or rng.random() < 0.5:
            pp, pe = doc.organ(police)
            dp, de = when(doc, case.tl.point(), lead=True)
            w = rng.choice(("抓获", "抓获归案", "查获"))
            a = doc.action(w.removesuffix("归案"), "other")           # [抓获]归案: the act word
            doc.rel("agent", a, pe)
            doc.rel("date", a, de)
            ps = targets(doc, a, defs)
            doc.emit(dp, join_names(rng, ps), "被", pp, a, "归案" if w == "抓获归案" else "", end(rng))
        else:
            doc.emit(s_filed(case, doc, police, case.tl.point(), defs[0]))
        doc.emit("\n")
    if rng.random() < 0.5:
        doc.emit(_pick(rng, HEADINGS["duty"]), "\n")
    if rng.random() < 0.25:
        case.tl.advance(20, 90)
        doc.emit(s_transfer(case, doc, police, proc, defs, case.tl.point()))
    case.tl.advance(30, 200)
    kind = "attached" if rng.random() < 0.3 else "criminal"
    doc.emit(s_lawsuit(case, doc, proc, court, defs, case.tl.point(), kind=kind), "\n")
    if rng.random() < 0.25:
        case.tl.advance(20, 90)
        doc.emit(s_trial(case, doc, court, case.tl.point()))
    case.tl.advance(20, 150)
    doc.emit(s_judgment(case, doc, court, defs, case.tl.point(), criminal=True), "\n")
    if rng.random() < 0.1:
        doc.emit(s_quoted_provision(case, doc), "\n")
    elif rng.random() < 0.12:
        doc.emit(s_statutory(case, doc), "\n")
    if rng.random() < 0.5:
        for s in rng.sample(GENERIC_PARAS, rng.randint(1, 2)):
            doc.emit(s)
        doc.emit("\n")


def _regulator(rng, R):
    r = rng.random()
    if r < 0.3:
        return W.gov(rng, R, "cac")
    if r < 0.55:
        return W.gov(rng, R, "samr")
    if r < 0.7:
        return W.telecom(rng, R)
    if r < 0.82:
        return W.pbc_branch(rng, R)
    if r < 0.9:
        return W.police(rng, R, unit=rng.random() < 0.5)
    if r < 0.95:
        return W.finance_regulator(rng, R)
    return W.national(rng.choice(("cac", "samr", "miit")))


def gen_penalty(rng, doc, pub):
    if rng.random() < 0.22:
        return gen_bank_penalty(rng, doc, pub)
    case = Case(rng, doc)
    R = case.region
    reg = _regulator(rng, R)
    target = case.cast.company(R)
    case.tl.advance(10, 100)
    if rng.random() < 0.45:  # structured notice
        doc.emit(title_line(case, doc, "reg"), "\n")
        maybe_header(case, doc, pub)
        doc.emit("处罚决定书文号：", rng.choice(("", R.palias)), rng.choice(("市监", "网信", "通信", "银")), "罚〔",
                 str(case.tl.cur.year), "〕", str(rng.randint(1, 300)), "号\n")
        doc.emit(rng.choice(("被处罚单位：", "当事人：", "被处罚企业名称：")), doc.party(target)[0], "\n")
        if rng.random() < 0.5:
            doc.emit("法定代表人：", doc.party(case.cast.person("mg"))[0], "\n")
        v = doc.action(rng.choice(("违法收集", "违规收集使用", "泄露", "未经同意向他人提供")), "violation")
        cp, ce = doc.count(V.round_value(rng, 100, 900000), "条", rng.choice((None, "more_than")))
        doc.rel("count", v, ce)
        doc.emit("违法事实：", "当事人", v, "消费者个人信息", cp, "。\n")
        doc.emit(s_penalty(case, doc, reg, target, None, rng.randint(1, 2)), "\n")
        doc.emit(rng.choice(("作出处罚的机关：", "处罚机关：", "作出处罚决定的机关名称：")), doc.organ(reg, "full")[0], "\n")
        doc.emit(rng.choice(("处罚日期：", "日期：", "作出处罚决定日期：")), doc.date(case.tl.point("d")), "\n")
        return
    doc.emit(title_line(case, doc, "reg" if rng.random() < 0.5 else "news"), "\n")
    maybe_header(case, doc, pub)
    if rng.random() < 0.6:
        dp, de = when(doc, case.tl.point(), lead=True)
        a = doc.action(rng.choice(("接到举报", "接到消费者投诉", "发现线索", "接到群众举报")), "clue")
        rp, re_ = doc.organ(reg)
        doc.rel("agent", a, re_)
        doc.rel("date", a, de)
        doc.emit(dp, rp, a, "，反映", doc.party(target)[0], rng.choice(("存在违法收集个人信息行为", "泄露用户个人信息")), end(rng))
    if rng.random() < 0.5:
        case.tl.advance(2, 30)
        rp, re_ = doc.organ(reg)
        dp, de = when(doc, case.tl.point(), lead=True)
        a = doc.action(rng.choice(("现场检查", "立案调查", "调查取证", "检查")), "case_filed" if rng.random() < 0.5 else "other")
        if a.text == "立案调查":
            a.norm = {"kind": "case_filed"}
        elif a.norm["kind"] == "case_filed":
            a.norm = {"kind": "other"}
        doc.rel("agent", a, re_)
        doc.rel("date", a, de)
        tp, te = doc.party(target)
        doc.rel("target", a, te)
        cp, ce = doc.count(rng.randint(2, 60), rng.choice(("台", "部", "个", "款")))
        doc.emit(dp, rp, "对", tp, "进行", a, "，发现", rng.choice(("其经营场所内安装摄像头", "其运营的App共", "其办公电脑")), cp,
                 rng.choice(("，存在违规采集行为", "，存有大量消费者信息", "")), "。\n")
    case.tl.advance(10, 100)
    r = rng.random()
    dv = case.tl.point() if rng.random() < 0.7 else None
    if r < 0.12:
        doc.emit(s_passive_penalty(case, doc, reg, target, dv), "\n")
    elif r < 0.2:
        doc.emit(s_admin_penalty(case, doc, reg, target, dv), "\n")
    else:
        doc.emit(s_penalty(case, doc, reg, target, dv, rng.randint(1, 3)), "\n")
    if rng.random() < 0.1:
        doc.emit(s_ticket(case, doc, reg, target, None), "\n")
    if rng.random() < 0.12:
        doc.emit(s_quoted_provision(case, doc), "\n")
    if rng.random() < 0.08:
        doc.emit(s_norm_doc(case, doc, [reg])[0], "\n")
    if rng.random() < 0.5:
        doc.emit(_pick(rng, GENERIC_PARAS), "\n")


JOURNALISTS = ("王晓明", "刘佳", "陈思远", "赵文", "孙悦", "周建华", "李娜", "杨帆")


def gen_news(rng, doc, pub):
    case = Case(rng, doc)
    R = case.region
    doc.emit(title_line(case, doc, "news"), "\n")
    if pub is not None and rng.random() < 0.8:
        hp = doc.header_date(pub)
        doc.emit(rng.choice(("", "来源：" + _pick(rng, SOURCES) + "  ")), hp, "\n")
    lead = rng.choice(("本报讯（记者" + _pick(rng, JOURNALISTS) + "）", "记者" + _pick(rng, JOURNALISTS) + "报道，",
                       _pick(rng, SOURCES) + "消息，", ""))
    company = case.cast.company(R)
    police = W.police(rng, R) if rng.random() < 0.6 else W.police_generic(rng, R)
    case.tl.advance(10, 100)
    dp, de = when(doc, case.tl.point(), lead=True)
    pp, pe = doc.organ(police)
    a = doc.action(rng.choice(("通报", "发布通报", "公布")), "other")
    doc.rel("agent", a, pe)
    doc.rel("date", a, de)
    cp, ce = doc.count(rng.randint(2, 60), rng.choice(("名", "人")), rng.choice((None, None, "more_than")))
    a2 = doc.action(rng.choice(("抓获", "抓获", "打掉")), "other")
    doc.rel("agent", a2, pe)
    doc.rel("count", a2, ce)
    doc.emit(lead, dp, pp, a, "称，", rng.choice(("近期", "")), "成功侦破一起侵犯公民个人信息案，", a2,
             *((rng.choice(("犯罪嫌疑人", "涉案人员")), cp) if a2.text == "抓获" else (rng.choice(("一个", "")), "犯罪团伙，涉案人员", cp)),
             end(rng))
    doc.emit("\n")
    defs = [case.cast.person() for _ in range(rng.randint(1, 2))]
    agents = [doc.party(d) for d in defs]
    case.tl.advance(-200, -30)
    doc.emit("经查，", violation_sentence(case, doc, agents, case.tl.span()))
    if rng.random() < 0.5:
        tp, te = doc.party(company)
        a3 = doc.action(rng.choice(("泄露", "导致泄露", "被窃取")), "violation")
        cp3, ce3 = doc.count(V.round_value(rng, 1000, 50_000_000), rng.choice(("条", "人", "个")),
                             rng.choice(("more_than", "about", None)))
        doc.rel("agent", a3, te)
        doc.rel("count", a3, ce3)
        doc.emit("涉事", tp, "因安全防护措施缺失，", a3, "用户数据", cp3, "。")
    doc.emit("\n")
    if rng.random() < 0.5:
        doc.emit("“", rng.choice(("个人信息一旦泄露，后果往往难以挽回。", "不要轻易在陌生网站填写身份证号码。",
                                  "平台应当承担起数据安全的主体责任。")), "”", rng.choice(("办案民警", "业内专家", "一位律师")),
                 "表示，", rng.choice(("公众应提高防范意识。", "此类案件的犯罪成本低、收益高。", "下一步将加大打击力度。")), "\n")
    if rng.random() < 0.6:
        reg = _regulator(rng, R)
        case.tl.advance(200, 400)
        dv = case.tl.point() if rng.random() < 0.6 else None
        if rng.random() < 0.3:
            doc.emit(s_passive_penalty(case, doc, reg, company, dv), "\n")
        else:
            doc.emit(s_penalty(case, doc, reg, company, dv, rng.randint(1, 2)), "\n")
    if rng.random() < 0.3:
        court = W.court(rng, R) if R.level == "K" else W.court(rng, R, "C")
        doc.emit(s_sentenced(case, doc, defs[0], court, case.tl.point() if rng.random() < 0.4 else None), "\n")
    if rng.random() < 0.15:
        doc.emit(s_detention(case, doc, police, case.cast.person(),
                             case.tl.point() if rng.random() < 0.5 else None), "\n")
    if rng.random() < 0.15:
        doc.emit(s_statutory(case, doc), "\n")
    if rng.random() < 0.1:
        court = W.court(rng, W.sub_region(rng, R, "K"))
        doc.emit(s_sued(case, doc, case.cast.person(), company, court), "\n")
    if rng.random() < 0.4:
        doc.emit(_pick(rng, GENERIC_PARAS), "\n")


VICTIMS = ("刘女士", "王先生", "张女士", "小陈", "李先生", "赵女士", "小王", "顾先生", "孙女士", "周先生")
POLICE_TIPS = (
    "警方提醒，不要随意扫描来历不明的二维码，如遇可疑情况请拨打110报警。",
    "警方提示：如发现个人信息被泄露，可拨打{phone}咨询。",
    "详细名单见附件{annex}。",
    "更多信息请访问{url}。",
    "（编辑：{editor}）",
    "扫码关注“{brand}警方”公众号，了解更多防骗知识。",
)


def _distractor(rng):
    """Phones, annex numbers, URLs and bylines that look like values but are no entity."""
    t = _pick(rng, POLICE_TIPS)
    return t.format(phone=rng.choice(("0571-" + str(rng.randint(8000000, 8999999)),
                                      "96110", "400-" + str(rng.randint(100, 999)) + "-" + str(rng.randint(1000, 9999)))),
                    annex=f"{rng.randint(1, 3)}-{rng.randint(2, 9)}",
                    url=rng.choice(("www.mps.gov.cn", "https://www.12377.cn", "http://gaj.example.gov.cn/2021/tz")),
                    editor=_pick(rng, JOURNALISTS), brand=rng.choice(("平安", "网安", "反诈")))


def gen_police_news(rng, doc, pub):
    """Police crackdown news: 记者从公安部获悉, yearly statistics (COUNTs, no act), a case broken
    (破获 / 侦破, 抓获 N名, 查获 N条, 刑事拘留), the violation, a victim's report, warnings with
    phones, URLs and annex numbers (no entities)."""
    case = Case(rng, doc)
    R = case.region
    police = W.police(rng, R, unit=rng.random() < 0.3)
    doc.emit(rng.choice(("公安机关严打侵犯公民个人信息犯罪", f"{R.full(rng)}警方破获一起侵犯公民个人信息案",
                         "斩断非法获取公民个人信息的黑色产业链", "警方通报一批侵犯公民个人信息典型案例")), "\n")
    if pub is not None and rng.random() < 0.8:
        doc.emit(rng.choice(("", "来源：" + _pick(rng, SOURCES) + "  ")), doc.header_date(pub), "\n")
    if rng.random() < 0.5:
        mps, _ = doc.organ(W.national("mps"))
        today = relative_day(doc, rng.choice((0, -1))) if rng.random() < 0.35 else None
        doc.emit((today, "，") if today else "", rng.choice(("记者从", "记者日前从") if not today else ("记者从",)),
                 mps, "获悉，")
        cp, ce = doc.count(V.round_value(rng, 300, 40000), rng.choice(("起", "件")), rng.choice((None, "more_than")))
        c2p, c2e = doc.count(V.round_value(rng, 500, 90000), "名", rng.choice((None, "more_than")))
        # the statistics' acts are acts (侦破 N起, 抓获 N名), counted, by no named organ
        broke, caught = doc.action("侦破", "other"), doc.action("抓获", "other")
        doc.rel("count", broke, ce)
        doc.rel("count", caught, c2e)
        doc.emit(rng.choice(((relative_year(doc, "今年"), "以来，"), (since_year(doc, 2021), "以来，")
                             if rng.random() < 0.3 else "", "专项行动开展以来，")),
                 rng.choice(("全国公安机关", "各地公安机关")), "共", broke, "侵犯公民个人信息案件", cp, "，",
                 caught, "犯罪嫌疑人", c2p, "。\n")
    case.tl.advance(10, 120)
    pp, pe = doc.organ(police)
    dp, de = when(doc, case.tl.point(), lead=True)
    a = doc.action(pick_act(rng, ("破获", "侦破", "成功破获", "打掉"), "other", "police", 0.0), "other")
    doc.rel("agent", a, pe)
    doc.rel("date", a, de)
    doc.emit(dp, pp, a, rng.choice(("一起", "一个")), rng.choice(("侵犯公民个人信息案", "特大侵犯公民个人信息案",
                                                              "非法获取公民个人信息犯罪团伙")), "，")
    defs = [case.cast.person() for _ in range(rng.randint(1, 3))]
    a2 = doc.action(pick_act(rng, ("抓获", "抓获", "抓捕", "缉拿"), "other", "police", 0.2), "other")
    doc.rel("agent", a2, pe)
    if rng.random() < 0.5:
        cp, ce = doc.count(rng.randint(len(defs) + 1, 60), "名", rng.choice((None, "more_than")))
        doc.rel("count", a2, ce)
        doc.emit(a2, "犯罪嫌疑人", cp)
    else:
        ps = targets(doc, a2, defs)
        doc.emit(a2, "犯罪嫌疑人", join_names(rng, ps), "等人")
    if rng.random() < 0.6:
        a3 = doc.action(pick_act(rng, ("查获", "缴获", "扣押"), "other", "police", 0.2), "other")
        doc.rel("agent", a3, pe)
        info = _pick(rng, INFO)
        cp3, ce3 = doc.count(V.round_value(rng, 1000, 90_000_000), UNIT_OF[info], rng.choice((None, "more_than")))
        doc.rel("count", a3, ce3)
        doc.emit("，", a3, info, cp3)
    doc.emit(end(rng), "\n")
    agents = [doc.party(d) for d in defs]
    case.tl.advance(-200, -20)
    doc.emit("经查，", violation_sentence(case, doc, agents, case.tl.span() if rng.random() < 0.6 else None), "\n")
    if rng.random() < 0.4:
        victim = W.Party(_pick(rng, VICTIMS), "person", ())
        vp, ve = doc.party(victim)
        r = doc.action(rng.choice(("报警", "报案", "向警方报案")), "clue")
        if r.text == "向警方报案":
            r.text = "报案"
        doc.rel("agent", r, ve)
        case.tl.advance(-60, -5)
        dvp, dve = when(doc, case.tl.point(), lead=True)
        doc.rel("date", r, dve)
        doc.emit(dvp, rng.choice(("", "市民", "受害人")), vp, rng.choice(("接到自称“客服”的电话后发现被骗，随即", "发现个人信息被泄露后", "")), r, "。\n")
    if rng.random() < 0.5:
        case.tl.advance(1, 20)
        pp2, pe2 = doc.organ(police)
        a4 = doc.action("刑事拘留", "penalty")
        doc.rel("agent", a4, pe2)
        ps = targets(doc, a4, defs)
        doc.emit("目前，", join_names(rng, ps), rng.choice(("已被", "均已被")), pp2 if rng.random() < 0.4 else "",
                 "依法", a4, rng.choice(("，案件正在进一步侦办中", "")), "。\n")
    if rng.random() < 0.3:
        doc.emit(s_detention(case, doc, police, case.cast.person(), None), "\n")
    if rng.random() < 0.2:
        court = W.court(rng, R) if R.level == "K" else W.court(rng, R, "C")
        doc.emit(s_sentenced(case, doc, defs[0], court, case.tl.point() if rng.random() < 0.4 else None), "\n")
    if rng.random() < 0.7:
        doc.emit(_distractor(rng), "\n")


def gen_overview(rng, doc, pub):
    case = Case(rng, doc)
    y = pub.y if pub is not None else rng.randint(2019, 2025)
    spp = W.national("spp") if rng.random() < 0.7 else W.procuratorate(rng, W.random_region(rng, "P"))
    doc.emit(rng.choice(("个人信息保护检察工作情况", "检察机关个人信息保护公益诉讼工作综述", "典型案例发布会")), "\n")
    maybe_header(case, doc, pub)
    sp, se = doc.organ(spp)
    a = doc.action(rng.choice(("发布", "发布了", "通报")), "other")
    if a.text == "发布了":
        a.text = "发布"
    if pub is not None:
        day = _dt.date(pub.y, pub.m, pub.d) - _dt.timedelta(days=rng.randint(0, 20))
        dv = V.DateVal(day.year, day.month, day.day)
    else:
        dv = V.DateVal(y, rng.randint(1, 12), rng.randint(1, 28))
    dp, de = when(doc, dv, lead=True)
    cp, ce = doc.count(rng.randint(3, 15), rng.choice(("件", "起", "个")))
    doc.rel("agent", a, se)
    doc.rel("date", a, de)
    doc.rel("count", a, ce)
    doc.emit(dp, sp, a, rng.choice(("了", "")), "一批个人信息保护典型案例，共", cp, "。")
    doc.emit("\n")
    yd = V.DateVal(y - 1)
    de2 = doc.date(yd)
    c2p, c2 = doc.count(V.round_value(rng, 100, 9000), "件", rng.choice(("more_than", None)))
    doc.emit(de2, "，", rng.choice(("全国检察机关", "各级检察机关", "全省检察机关")),
             rng.choice(("立案办理涉个人信息保护公益诉讼案件", "办理的个人信息保护类公益诉讼案件达", "受理涉个人信息案件线索")), c2p,
             "，", rng.choice(("较上年增长", "同比增加", "同比增长")), rng.choice(("近2倍", "1.4倍", "27.3%", "三成", "8%")), "。")
    if rng.random() < 0.6:
        c3p, _ = doc.count(V.round_value(rng, 50, 3000), "件", rng.choice(("more_than", None, "about")))
        doc.emit("其中，涉及未成年人个人信息的", c3p, "，占比", rng.choice(("约三分之一", "15%", "两成以上")), "。")
    doc.emit("\n")
    first = (rng.choice(("一是", "第一，", "首先，")),
             rng.choice(("过度索权问题较为普遍。", "数据安全防护能力不足。")))
    if rng.random() < 0.5:
        aspects = doc.small_count(rng.randint(2, 5), rng.choice(("方面", "个方面")))[0]
        doc.emit(rng.choice(("从办案情况看，", "")), "个人信息保护领域",
                 rng.choice(("仍存在", "存在", "面临")), aspects,
                 rng.choice(("突出问题。", "薄弱环节。")), *first)
    else:
        doc.emit(rng.choice(("从办案情况看，", "")), "个人信息保护领域",
                 rng.choice(("仍存在若干", "存在多方面", "存在一些")), "薄弱环节。", *first)
    if rng.random() < 0.7:
        doc.emit(rng.choice(("例如，", "比如，")), rng.choice(("有的地方", "部分地区")), "排查出",
                 doc.count(rng.randint(5, 40), "款")[0], rng.choice(("移动应用存在超范围索权问题。", "App未经同意收集用户信息。")))
    doc.emit("\n")
    for s in rng.sample(GENERIC_PARAS, rng.randint(1, 3)):
        doc.emit(s)
    doc.emit("\n")


GENRES = {
    "procuratorate": gen_procuratorate,
    "criminal": gen_criminal,
    "penalty": gen_penalty,
    "news": gen_news,
    "overview": gen_overview,
    "police_news": gen_police_news,
}

from .courts import gen_court  # noqa: E402  (these build on the helpers above)
from .notices import gen_notice  # noqa: E402
from .regional import gen_regional  # noqa: E402

GENRES.update(regional=gen_regional, court=gen_court, notice=gen_notice)
# renderings a genre's documents get on top of the configured ones: {genre: {rendering: share}}
# (texts of Hong Kong, Macau and Taiwan are written in traditional characters)
NATIVE_RENDERINGS = {"regional": {"traditional": 0.8}}
