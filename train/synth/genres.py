"""Genre grammars. Each genre is a sequence of optional paragraph builders; each paragraph is built
from sentence builders with several clause orders, so documents are combined compositionally."""
import datetime as _dt

from . import values as V
from . import world as W
from .doc import Doc  # noqa: F401  (type of the `doc` argument)

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


def join_names(rng, mentions):
    """Join several mention piece-lists with 、 and 和."""
    out = []
    for i, m in enumerate(mentions):
        if i:
            out.append("和" if (i == len(mentions) - 1 and rng.random() < 0.4) else "、")
        out.extend(m)
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
    date_p, date_e = when(doc, dv, lead=rng.random() < 0.6) if dv else ([], None)
    verb1 = rng.choice(("非法获取", "获取", "购买", "窃取", "非法收集", "爬取", "收集", "非法查询"))
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
    s2 = []
    if rng.random() < 0.75:
        verb2 = rng.choice(("出售", "非法出售", "提供", "非法提供", "倒卖", "贩卖"))
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
        doc.rel("target", a2, be)
        if with_money and rng.random() < 0.7:
            mv = V.round_value(rng, 800, 2_000_000)
            mp, me = doc.money(mv, approx=rng.choice((None, "more_than", None)), no_yuan=rng.random() < 0.1)
            w = rng.choice(("获利", "违法所得", "非法获利", "牟利"))
            a3 = doc.action(w, "violation")
            s2 += ["，", a3, mp]
            for a in agents:
                doc.rel("agent", a3, a[1])
            doc.rel("amount", a3, me)
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
    verb = rng.choice(("发现线索", "发现该案线索", "接到举报", "接到群众举报", "收到线索", "获取线索", "发现案件线索"))
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
    verb = rng.choice(("立案", "立案调查", "立案审查", "决定立案", "立案办理") if organ.kind != "police" else
                      ("立案侦查", "立案", "立案调查"))
    a = doc.action(verb, "case_filed")
    doc.rel("agent", a, pe)
    doc.rel("date", a, de)
    tp = []
    if target is not None and rng.random() < 0.6:
        tp, te = doc.party(target)
        doc.rel("target", a, te)
        tp = ["对", tp]
    pre = rng.choice(("经初步调查，", "", "认为相关违法行为属实，", "遂", "依法"))
    if dp and dp[0] is de:
        return [dp, pp, pre, tp, a, end(rng)]
    return [pp, dp, pre, tp, a, end(rng)]


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
    verb = rng.choice(("制发检察建议", "发出检察建议", "提出检察建议", "制发诉前检察建议", "送达检察建议",
                       "公开宣告送达检察建议"))
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
    tps = []
    for t in targets:
        p, e_ = doc.party(t)
        tps.append((p, e_))
    if r < 0.45 and tps:
        verb = rng.choice(("罚款", "处罚款"))
        a = doc.action(verb, "penalty")
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
                rng.choice(("作出", "依法")), extra, a, mp, rng.choice(("的行政处罚", "")), end(rng)]
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
    dps = []
    for d in defendants:
        p, e_ = doc.party(d)
        dps.append(p)
        doc.rel("target", a, e_)
    claim = []
    if kind != "criminal" and rng.random() < 0.7:
        mp, me = doc.money(V.round_value(rng, 3000, 900000), approx=rng.choice((None, "more_than")))
        doc.rel("amount", a, me)
        claim = ["，请求判令", "被告" if rng.random() < 0.5 else "", join_names(rng, dps[:1]),
                 rng.choice(("赔偿损失", "承担损害赔偿金", "支付公益损害赔偿金")), mp, rng.choice(("并公开赔礼道歉", ""))]
    if kind == "criminal":
        mid = ["以", join_names(rng, dps), "涉嫌侵犯公民个人信息罪", "向", cp, a]
        if rng.random() < 0.4:
            st = {"title": "刑法", "prefix": True, "articles": [253], "max": 452, "group": "crim"}
            sp, se = doc.statute(st, 253)
            doc.rel("basis", a, se)
            mid = ["依照", sp, "规定，", *mid]
    else:
        mid = ["向", cp, a] if rng.random() < 0.6 else ["就", join_names(rng, dps), "侵害个人信息行为向", cp, a]
    if dp and dp[0] is de:
        return [dp, pp, mid, claim, end(rng)]
    return [pp, dp, mid, claim, end(rng)]


def duration(rng):
    y = rng.choice(("", "一年", "二年", "三年", "一年六个月", "八个月", "十个月", "二年三个月", "四年"))
    return y or rng.choice(("六个月", "九个月", "一年二个月"))


def s_judgment(case, doc, court, defendants, dv, criminal=True):
    rng = case.rng
    cp, ce = doc.organ(court)
    dp, de = when(doc, dv, lead=rng.random() < 0.7)
    out = []
    if criminal:
        a = doc.action(rng.choice(("判处", "判处", "以侵犯公民个人信息罪判处", "一审判处")), "judgment")
        if a.text.startswith("以"):
            a.text = "判处"
            pre = ["以侵犯公民个人信息罪"]
        else:
            pre = []
        doc.rel("agent", a, ce)
        doc.rel("date", a, de)
        parts = []
        for i, d in enumerate(defendants[:3]):
            p, e_ = doc.party(d)
            doc.rel("target", a, e_)
            mp, me = doc.money(V.round_value(rng, 1000, 200000))
            doc.rel("amount", a, me)
            sent = ["被告人" if rng.random() < 0.7 else "", p, "有期徒刑", duration(rng)]
            if rng.random() < 0.4:
                sent += ["，缓刑", rng.choice(("一年", "二年", "三年", "一年六个月"))]
            sent += ["，并处罚金", mp]
            parts.append(sent)
        body = []
        for i, s in enumerate(parts):
            if i:
                body.append("；")
            body += s
        basis = []
        if rng.random() < 0.4:
            st = {"title": "刑法", "prefix": True, "articles": [253], "max": 452, "group": "crim"}
            sp, se = doc.statute(st, 253)
            doc.rel("basis", a, se)
            basis = ["依照", sp, "之规定，"]
        lead = [dp, cp] if dp and dp[0] is de else [cp, dp]
        out = [lead, rng.choice(("经审理认为，被告人的行为已构成侵犯公民个人信息罪，", "审理后认为，", "")),
               basis, pre, a, body, end(rng)]
        if rng.random() < 0.5:
            d0 = defendants[0]
            p, e_ = doc.party(d0)
            mp, me = doc.money(V.round_value(rng, 1000, 300000), approx=rng.choice((None, "more_than")))
            a2 = doc.action(rng.choice(("没收", "予以没收", "追缴")), "penalty")
            doc.rel("agent", a2, ce)
            doc.rel("target", a2, e_)
            doc.rel("amount", a2, me)
            out += ["对", p, "的违法所得", mp, a2, "。"] if a2.text != "予以没收" else ["对", p, "的违法所得", mp, a2, "。"]
        return out
    a = doc.action(rng.choice(("判决", "判令", "作出判决", "调解", "宣判")), "judgment")
    doc.rel("agent", a, ce)
    doc.rel("date", a, de)
    p, e_ = doc.party(defendants[0])
    doc.rel("target", a, e_)
    mp, me = doc.money(V.round_value(rng, 3000, 900000), approx=rng.choice((None, "more_than")))
    doc.rel("amount", a, me)
    lead = [dp, cp] if dp and dp[0] is de else [cp, dp]
    if a.text == "调解":
        return [lead, "主持", a, "，", p, "同意支付赔偿金", mp, "并公开赔礼道歉", end(rng)]
    return [lead, a, p, rng.choice(("赔偿损失", "承担损害赔偿金", "赔偿公益损害")), mp,
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
    if "fine" not in kinds and rng.random() < 0.6:
        kinds.append("fine")
    for k in kinds:
        if k == "warn":
            a = doc.action(rng.choice(("警告", "给予警告")), "penalty")
            pieces.append([a])
        elif k == "fix":
            a = doc.action(rng.choice(("责令改正", "责令限期改正", "责令停止违法行为")), "penalty")
            pieces.append([a])
        elif k == "suspend":
            a = doc.action(rng.choice(("责令暂停相关业务", "责令停业整顿")), "penalty")
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
            a = doc.action(rng.choice(("抓获", "抓获归案", "查获")), "other")
            doc.rel("agent", a, pe)
            doc.rel("date", a, de)
            ps = []
            for d in defs:
                p, e_ = doc.party(d)
                ps.append(p)
                doc.rel("target", a, e_)
            doc.emit(dp, join_names(rng, ps), "被", pp, a, end(rng))
        else:
            doc.emit(s_filed(case, doc, police, case.tl.point(), defs[0]))
        doc.emit("\n")
    if rng.random() < 0.5:
        doc.emit(_pick(rng, HEADINGS["duty"]), "\n")
    case.tl.advance(30, 200)
    kind = "attached" if rng.random() < 0.3 else "criminal"
    doc.emit(s_lawsuit(case, doc, proc, court, defs, case.tl.point(), kind=kind), "\n")
    case.tl.advance(20, 150)
    doc.emit(s_judgment(case, doc, court, defs, case.tl.point(), criminal=True), "\n")
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
    doc.emit(s_penalty(case, doc, reg, target, case.tl.point() if rng.random() < 0.7 else None, rng.randint(1, 3)), "\n")
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
        doc.emit(s_penalty(case, doc, reg, company, case.tl.point() if rng.random() < 0.6 else None, rng.randint(1, 2)), "\n")
    if rng.random() < 0.4:
        doc.emit(_pick(rng, GENERIC_PARAS), "\n")


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
    doc.emit(rng.choice(("从办案情况看，", "")), "个人信息保护领域", rng.choice(("仍存在若干", "存在多方面", "存在一些")),
             "薄弱环节。", rng.choice(("一是", "第一，", "首先，")), rng.choice(("过度索权问题较为普遍。", "数据安全防护能力不足。")))
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
}
