"""The notice genre: a national ministry's or a provincial regulator's notice on apps that infringe
users' rights (real-text breadth issue: ministry notices). The issuing organ writes of itself as
我部 / 我局 / 本机关 (an anaphor: no entity) and signs at the end with its name and the date; the
batch number (2023年第3批) and the annex (附件：…名单, 附件2-8) are no DATE and no COUNT; the acts
are checks (检查 / 抽查 / 检测), the notice itself (通报), orders (限期整改, 责令整改), removals (下架),
talks (约谈), with the number of apps as their COUNT. Act words come from
labels/data/lexicon/acts.tsv where a sentence admits several.
"""
from . import values as V
from . import world as W
from .genres import GENERIC_PARAS, Case, _pick, end, pick_act, when

ISSUERS = (("miit", "我部"), ("cac", "我办"), ("samr", "我局"))
PROBLEMS = ("违规收集个人信息", "超范围收集个人信息", "强制、频繁、过度索取权限", "欺骗误导用户下载",
            "App强制自启动、关联启动", "违规使用个人信息", "应用分发平台上的App信息明示不到位")


def _issuer(rng):
    key, self_word = _pick(rng, ISSUERS)
    if rng.random() < 0.6:
        return W.national(key), self_word
    R = W.random_region(rng, "P")
    org = W.telecom(rng, R) if key == "miit" else W.gov(rng, R, key)
    return org, {"miit": "我局", "cac": "我办", "samr": "我局"}[key]


def gen_notice(rng, doc, pub):
    case = Case(rng, doc)
    org, self_word = _issuer(rng)
    year = pub.y if pub is not None else case.tl.cur.year
    batch = rng.randint(1, 6)
    doc.emit(rng.choice(("关于侵害用户权益行为的App", "关于下架侵害用户权益App的", "关于违法违规收集使用个人信息App的")),
             "通报（", str(year), "年第", str(batch), "批，总第", str(rng.randint(10, 40)), "批）\n")
    case.tl.advance(10, 60)
    dp, de = when(doc, case.tl.point(rng.choice("dmm")), lead=True)
    chk = doc.action(pick_act(rng, ("检查", "抽查", "检测"), "other", "oversight", 0.0), "other")
    op, oe = doc.organ(org, "full")
    doc.rel("agent", chk, oe)
    doc.rel("date", chk, de)
    n_all = rng.randint(20, 3000)
    cp = []
    if rng.random() < 0.6:
        cp, ce = doc.count(n_all, "款", rng.choice((None, None, "more_than")))
        doc.rel("count", chk, ce)
    doc.emit("为进一步加强个人信息保护，", dp, op, rng.choice(("组织第三方检测机构对", "对")), cp,
             rng.choice(("手机应用软件", "移动互联网应用程序")), "进行", chk, "。")
    doc.emit("对发现存在", _pick(rng, PROBLEMS), "等问题的企业，", self_word, "已", rng.choice(("督促", "要求")), "其整改。\n")
    n_bad = rng.randint(3, min(90, n_all))
    bp, be = doc.count(n_bad, "款")
    notice = doc.action("通报", "penalty")
    op2, oe2 = doc.organ(org)
    doc.rel("agent", notice, oe2)
    doc.rel("count", notice, be)
    doc.emit("截至目前，尚有", bp, "App未完成整改，", rng.choice(("现予以", "现将有关情况")), notice, rng.choice(("。", "如下。")),
             "\n")
    case.tl.advance(5, 20)
    dp2, _ = when(doc, case.tl.point("d"), lead=False)     # a deadline: no date of the order
    fix = doc.action(rng.choice(("限期整改", "责令整改")), "penalty")
    op4, oe4 = doc.organ(org)
    doc.rel("agent", fix, oe4)
    doc.rel("count", fix, be)
    doc.emit("对上述App，", op4, "已", fix, "，", rng.choice(("运营者", "开发运营者")), "应", rng.choice(("按有关要求", "")), dp2,
             "前完成整改落实工作。", "逾期不整改的，", self_word, "将依法依规组织开展相关处置工作。")
    if rng.random() < 0.6:
        n_down = rng.randint(1, max(1, n_bad // 2))
        dp3, de3 = doc.count(n_down, "款")
        down = doc.action("下架", "penalty")
        op3, oe3 = doc.organ(org)
        doc.rel("agent", down, oe3)
        doc.rel("count", down, de3)
        doc.emit("对此前通报后拒不整改的", dp3, "App，", op3, "已", rng.choice(("依法予以", "组织", "")), down, "。")
    if rng.random() < 0.4:
        talk = doc.action("约谈", "other")
        doc.rel("agent", talk, oe2)
        doc.emit(self_word, "还", talk, "了相关企业负责人，要求其落实个人信息保护主体责任。")
    doc.emit("\n")
    doc.emit("附件：", rng.choice(("未完成整改的App名单", f"{V.cn_int(n_bad)}款App问题清单", "App名单（见附件2-8）")), "\n")
    if rng.random() < 0.3:
        doc.emit(_pick(rng, GENERIC_PARAS), "\n")
    sign, _ = doc.organ(org, "full")
    case.tl.advance(1, 10)
    doc.emit(sign, "\n", doc.date(case.tl.point("d")), end(rng) if rng.random() < 0.1 else "", "\n")
