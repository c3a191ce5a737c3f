"""The court genre: a criminal judgment in the court's own voice (real-text breadth issue: court
narratives). The court's name heads the document and stands for every 本院 after it; the parts are
the case number (a year in brackets: no DATE), 公诉机关 and the defendants' particulars (birth
dates are DATEs; detention 刑事拘留 and 逮捕 by the police), the indictment (提起公诉 with the
charge), the hearing (开庭审理), 公诉机关指控 (the violation), 本院认为 (the charge again), the
operative part (判决如下：一、… 判处 with the term, probation and fine, under the Criminal Law),
and, sometimes, the appeal (上诉) and the second instance (驳回上诉，维持原判). Act words come from
labels/data/lexicon/acts.tsv by kind and frame where a sentence admits several.
"""
import datetime as _dt

from . import values as V
from . import world as W
from .genres import (CRIM_STATUTE, MAIN_CHARGE, Case, _pick, end, join_names, main_sentence,
                     pick_charge, targets, violation_sentence, when)

EDUCATION = ("初中文化", "高中文化", "大专文化", "本科文化", "小学文化")
JOBS = ("无业", "个体经营者", "某公司职员", "某快递网点员工", "某银行客户经理", "某物业公司员工")


def _birth(rng):
    return V.DateVal(rng.randint(1962, 2003), rng.randint(1, 12), rng.randint(1, 28))


def _particulars(case, doc, d, police, charge):
    """被告人X，男，1985年3月2日出生，汉族，初中文化，无业。因涉嫌犯…罪，于…被…公安局刑事拘留，同年…被依法逮捕。"""
    rng = case.rng
    p, e_ = doc.party(d)
    doc.emit("被告人", p, "，", rng.choice(("男", "女")), "，", doc.date(_birth(rng)), "出生，汉族，",
             _pick(rng, EDUCATION), "，", _pick(rng, JOBS), "。")
    case.tl.advance(1, 10)
    dp, de = when(doc, case.tl.point("d"), lead=False)
    pp, pe = doc.organ(police)
    det = doc.action("刑事拘留", "penalty")
    doc.rel("agent", det, pe)
    doc.rel("date", det, de)
    doc.rel("target", det, e_)
    chp, _ = doc.charge(charge)          # a detention names no charge relation (guideline v2)
    case.tl.advance(20, 37)
    dp2, de2 = when(doc, case.tl.point("d"), lead=False)
    arrest = doc.action("逮捕", "other")
    doc.rel("date", arrest, de2)
    doc.rel("target", arrest, e_)
    doc.emit("因涉嫌犯", chp, "，", dp, "被", pp, det, "，", dp2, "被依法", arrest, "。",
             rng.choice(("现羁押于某看守所。", "现取保候审。", "")), "\n")


def gen_court(rng, doc, pub):
    case = Case(rng, doc)
    R = case.region if case.region.level == "K" else W.random_region(rng, "K", case.region.prov)
    court = W.court(rng, R)
    proc = W.procuratorate(rng, R)
    police = W.police(rng, R)
    defs = [case.cast.person(rng.choice(("m", "mm", "mg"))) for _ in range(rng.choice((1, 1, 2, 3)))]
    charge = MAIN_CHARGE if rng.random() < 0.8 else pick_charge(rng)
    attached = rng.random() < 0.3
    cp, ce = doc.organ(court, "full")
    doc.emit(cp, "\n", "刑事附带民事判决书" if attached else "刑事判决书", "\n")
    year = case.tl.cur.year + 1
    doc.emit(f"（{year}）{rng.randint(100, 9999):04d}刑初{rng.randint(1, 999)}号", "\n")
    doc.emit("公诉机关", doc.organ(proc, "full")[0], "。\n")
    if attached:
        doc.emit("附带民事公益诉讼起诉人", doc.organ(proc)[0], "。\n")
    for d in defs:
        _particulars(case, doc, d, police, charge)
    # the indictment and the hearing
    case.tl.advance(40, 120)
    pp, pe = doc.organ(proc)
    dp, de = when(doc, case.tl.point("d" if rng.random() < 0.7 else "m"), lead=False)
    ind = doc.action(rng.choice(("提起公诉", "提起公诉", "起诉")), "lawsuit")
    doc.rel("agent", ind, pe)
    doc.rel("date", ind, de)
    doc.rel("venue", ind, ce)
    ps = targets(doc, ind, defs)
    chp, che = doc.charge(charge)
    doc.rel("charge", ind, che)
    doc.emit(pp, rng.choice(("", "以某检刑诉〔" + str(year) + "〕" + str(rng.randint(1, 300)) + "号起诉书")),
             "指控被告人", join_names(rng, ps), "犯", chp, "，", dp, "向本院", ind, "。")
    hear = doc.action(rng.choice(("公开开庭审理", "开庭审理")), "hearing")
    doc.rel("agent", hear, ce)
    doc.emit("本院依法组成合议庭，", hear, "了本案。", rng.choice(("公诉机关指派检察员出庭支持公诉。", "")), "\n")
    # the facts as the prosecution states them
    agents = [doc.party(d) for d in defs]
    case.tl.advance(-300, -60)
    doc.emit(rng.choice(("公诉机关指控：", "经审理查明：", "公诉机关指控，")),
             violation_sentence(case, doc, agents, case.tl.span() if rng.random() < 0.7 else None), "\n")
    doc.emit("上述事实，被告人在开庭审理过程中亦无异议，并有", rng.choice(("证人证言、电子数据、扣押笔录", "书证、电子数据",
                                                           "手机检查笔录、被告人供述")), "等证据证实，足以认定。\n")
    chp2, _ = doc.charge(charge)
    doc.emit("本院认为，被告人", join_names(rng, [doc.party(d)[0] for d in defs]), "违反国家有关规定，",
             rng.choice(("向他人出售公民个人信息", "非法获取公民个人信息", "将在履行职责过程中获得的公民个人信息出售给他人")),
             "，情节", rng.choice(("严重", "特别严重")), "，其行为已构成", chp2, "。公诉机关指控的罪名成立。",
             rng.choice(("被告人到案后如实供述自己的罪行，可以从轻处罚。", "被告人自愿认罪认罚，依法可以从宽处理。", "")), "\n")
    # the operative part
    case.tl.advance(150, 300)
    sp, se = doc.statute(CRIM_STATUTE, 253, style="quoted")
    doc.emit("依照", sp, rng.choice(("、第六十七条第三款", "、第五十二条、第六十四条", "")), "之规定，判决如下：\n")
    for i, d in enumerate(defs):
        p, e_ = doc.party(d)
        j = doc.action("判处", "judgment")
        doc.rel("agent", j, ce)
        doc.rel("target", j, e_)
        doc.rel("basis", j, se)
        chp3, che3 = doc.charge(charge)
        doc.rel("charge", j, che3)
        tp, te = main_sentence(rng, doc)
        doc.rel("sentence", j, te)
        out = [V.cn_int(i + 1), "、被告人", p, "犯", chp3, "，", j, tp]
        if rng.random() < 0.35:
            pr, pre = doc.sentence("缓刑", _pick(rng, V.PROBATION_MONTHS))
            doc.rel("sentence", j, pre)
            out += ["，", pr]
        mp, me = doc.money(V.round_value(rng, 1000, 100000))
        doc.rel("amount", j, me)
        out += ["，并处罚金", mp, "。"]
        doc.emit(*out, "\n")
    if rng.random() < 0.4:
        mp, me = doc.money(V.round_value(rng, 500, 80000), approx=rng.choice((None, "more_than")))
        conf = doc.action(rng.choice(("追缴", "没收")), "penalty")
        doc.rel("agent", conf, ce)
        doc.rel("amount", conf, me)
        doc.emit(V.cn_int(len(defs) + 1), "、对被告人违法所得", mp, "予以", conf, "。\n")
    doc.emit("如不服本判决，可在接到判决书的第二日起十日内，通过本院或者直接向", rng.choice(("上一级人民法院", "中级人民法院")),
             "提出上诉。\n")
    if rng.random() < 0.3:
        up = W.court(rng, R, "C")
        d0 = defs[0]
        ap = doc.action("上诉", "lawsuit")
        p, e_ = doc.party(d0)
        doc.rel("agent", ap, e_)
        upp, upe = doc.organ(up)
        doc.rel("venue", ap, upe)
        case.tl.advance(60, 150)
        dp2, de2 = when(doc, case.tl.point("d"), lead=True)
        rej = doc.action("驳回上诉", "judgment")
        keep = doc.action("维持原判", "judgment")
        up2, upe2 = doc.organ(up)
        for a in (rej, keep):
            doc.rel("agent", a, upe2)
            doc.rel("date", a, de2)
        doc.rel("target", rej, e_)
        doc.emit("宣判后，被告人", p, "不服，向", upp, "提出", ap, "。", dp2, up2, "裁定", rej, "，", keep, end(rng), "\n")
    if pub is not None and rng.random() < 0.5:
        day = _dt.date(pub.y, pub.m, pub.d)
        doc.emit(doc.header_date(V.DateVal(day.year, day.month, day.day))[0], "\n")
