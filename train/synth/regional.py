"""The regional genre: privacy enforcement in Hong Kong, Macau and Taiwan, in their own legal
language (real-text breadth issue). A document is one of the three places:

- Hong Kong: the 个人资料私隐专员公署 (defined as 公署) receives a complaint, investigates and the
  私隐专员 serves an enforcement notice under 《个人资料(私隐)条例》 (short title defined as
  《私隐条例》); doxxing cases: an arrest, a prosecution (检控) before a magistrates' court, 监禁 /
  社会服务令 / a fine in 港币 or 港元.
- Macau: the 个人资料保护局 fines under 《个人资料保护法》（第8/2005号法律）in 澳门币; the 司法警察局
  arrests and hands the case to the 检察院.
- Taiwan: dates in 民国 years (中华民国112年5月26日: 2023-05-26); 数位发展部 / NCC / 金管会 / city
  governments impose 罚锾 in 新台币 under 个人资料保护法 (defined as 个资法); the 刑事局 breaks a
  ring, the 地检署 indicts, the 地院 sentences (有期徒刑6月, 得易科罚金).

The text is written in simplified characters with the places' own words; `NATIVE_TRADITIONAL`
is the share of these documents the generator renders in traditional characters, as they are
written (build: lawie.train.synth.generate). Organs come from data/regional_organs.tsv, statutes
from data/statutes.tsv (groups hk, mo, tw), act words from labels/data/lexicon/acts.tsv (noted
hk / mo / tw, or the mainland's where the places share them).
"""
import datetime as _dt
from functools import lru_cache
from importlib import resources

from . import values as V
from . import world as W
from .doc import E
from .genres import JOURNALISTS, Case, _pick, end, join_names, targets, when

NATIVE_TRADITIONAL = 0.8      # the rest as a simplified repost (mainland sites quote them so)
PLACES = ("hk", "mo", "tw")
CURRENCY = {"hk": ("HKD", (("港币", ""), ("", "港元"), ("港币", ""), ("", "港元"))),
            "mo": ("MOP", (("澳门币", ""), ("", "澳门元"))),
            "tw": ("TWD", (("新台币", ""),))}
INFO_TW = ("个资", "个人资料", "民众个资", "客户个资", "会员资料")


@lru_cache(maxsize=1)
def organ_rows() -> dict:
    """{(place, role): [(name, kind, shorts, definable)]} from data/regional_organs.tsv."""
    text = resources.files("lawie.train.synth").joinpath("data/regional_organs.tsv").read_text("utf-8")
    rows: dict = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        f = (line.split("\t") + ["", "", ""])[:6]
        place, role, name, kind = f[:4]
        split = (lambda s: tuple(x for x in s.split(",") if x))
        rows.setdefault((place, role), []).append((name, kind, split(f[4]), split(f[5])))
    return rows


def places(place) -> tuple:
    rows = organ_rows().get((place, "place"))
    return tuple(rows[0][0].split(",")) if rows else ()


def organ(rng, place, role, name=None) -> W.Organ:
    """An organ of `place` with `role` (privacy, police, prosecutor, court, regulator); `name`
    picks a row by its name."""
    rows = organ_rows()[(place, role)]
    row = next((r for r in rows if r[0] == name), None) if name else _pick(rng, rows)
    full, kind, shorts, definable = row
    where = _pick(rng, places(place)) if "{" in full else ""
    short = where[:-1] if where.endswith(("市", "县")) else where

    def fill(s):
        return s.replace("{place}", where).replace("{short}", short)
    return W.Organ(fill(full), kind, [fill(s) for s in shorts], [fill(s) for s in definable])


def define(doc, o: W.Organ, quoted=None):
    """个人资料私隐专员公署（下称“公署”）: the full name with its short form defined."""
    rng = doc.rng
    e = E("AGENCY", o.full, obj=o)
    o._seen = True
    if not o.definable:
        return [e], e
    o.alias = _pick(rng, o.definable)
    a = E("AGENCY", o.alias, obj=o)
    doc.rel("alias_of", a, e)
    q = rng.random() < 0.6 if quoted is None else quoted
    opener = rng.choice(("（下称", "（下称", "（以下简称", "（简称", "("))
    closer = ")" if opener == "(" else "）"
    return [e, opener, "“" if q else "", a, "”" if q else "", closer], e


def money(doc, place, v, approx=None):
    """港币5,000元 / 5000港元 / 新台币20万元 (the currency word before the amount stays outside it,
    as 人民币 does)."""
    rng = doc.rng
    code, forms = CURRENCY[place]
    pre, post = _pick(rng, forms)
    num, mult = V._money_num(v, rng, cn_ok=place != "hk")
    tail = post or "元"
    head = ""
    if approx == "more_than":
        head = rng.choice(("逾", "超过"))
    e = E("MONEY", head + num + mult + tail, {"value": v, "currency": code, "approx": approx})
    return [pre, e], e


def statute(doc, place, article=None, short=None):
    """《个人资料(私隐)条例》第64(3A)条 / 《个人资料保护法》（第8/2005号法律）第6条 / 个资法第48条."""
    rng = doc.rng
    st = next(s for s in W.statutes() if s["group"] == place)
    title = st["title"]
    if article is None and rng.random() < 0.8:
        article = _pick(rng, st["articles"])
    shown = short or title
    if place == "hk" and "(" in title and not short and rng.random() < 0.4:
        shown = title.replace("(", "（").replace(")", "）")
    quoted = place != "tw" or short is None and rng.random() < 0.7
    span = f"《{shown}》" if quoted else shown
    after = []
    if place == "mo" and not short and rng.random() < 0.5:
        after_title = "（第8/2005号法律）"
    else:
        after_title = ""
    art_text, tail = "", ""
    if article:
        if place == "hk":
            sub = rng.choice(("", "(1)", "(3A)", "(3C)", "(2)")) if article == 64 else rng.choice(("", "(1)"))
            art_text = f"第{article}{sub}条"
        elif place == "tw":
            art_text = f"第{article}条"
            tail = rng.choice(("", "", "第1项", "第2项", "第1项第2款"))
        else:
            art_text = f"第{article}条" if rng.random() < 0.6 else "第" + V.cn_int(article) + "条"
            tail = rng.choice(("", "", "第一款", "第二款"))
    if after_title:
        # the law's number between title and article: the span is the title, the article a mention
        # of its own would need the title; the genre writes the number only without an article
        e = E("STATUTE", span, {"title": title, "article": None, "article_sub": None})
        return [e, after_title, "的规定" if rng.random() < 0.5 else ""], e
    e = E("STATUTE", span + art_text, {"title": title, "article": article or None, "article_sub": None})
    return [e, tail], e


def roc_date(doc, d: _dt.date, era=False, gran="d"):
    """中华民国112年5月26日 / 112年5月26日 / 112年5月 (a three-digit year with a month is a 民国
    year: corpus/README.md)."""
    rng = doc.rng
    y = d.year - 1911
    lead = rng.choice(("中华民国", "民国")) if era else ""
    txt = f"{lead}{y}年{d.month}月"
    if gran == "d":
        txt += f"{d.day}日"
        iso = d.isoformat()
    else:
        iso = f"{d.year:04d}-{d.month:02d}"
    return E("DATE", txt, {"start": iso, "end": iso})


def person(case):
    """A defendant as the press of the three places anonymizes one: 陈某明, 陈姓男子 is no name."""
    return case.cast.person(case.rng.choice(("mg", "m", "mm")))


# ------------------------------------------------------------------ Hong Kong

def _hk(case, doc):
    rng = case.rng
    tl = case.tl
    office = organ(rng, "hk", "privacy", "个人资料私隐专员公署")
    commissioner = organ(rng, "hk", "privacy", "私隐专员")
    company = case.cast.company()
    doc.emit(rng.choice(("资料外泄事故调查结果", "个人资料私隐个案", "一宗起底个案", "保障个人资料私隐")), "\n")
    if doc.meta_date is not None and rng.random() < 0.7:
        doc.emit(doc.header_date(doc.meta_date), "\n")
    if rng.random() < 0.55:
        # complaint, investigation, enforcement notice
        dp, de = when(doc, tl.point("d"), lead=True)
        op, oe = define(doc, office)
        # a clue act names what came in (接获投诉, as 接到举报 on the mainland)
        clue = doc.action(rng.choice(("接获投诉", "收到投诉", "接获市民投诉", "接获举报")), "clue")
        doc.rel("agent", clue, oe)
        doc.rel("date", clue, de)
        cp, ce = doc.party(company)
        doc.emit(dp, op, clue, "，指", cp,
                 rng.choice(("未经同意", "在未有采取足够保安措施的情况下", "")),
                 rng.choice(("将客户资料转交第三者作直接促销用途", "的系统遭黑客入侵", "在网上公开会员资料")), "。")
        tl.advance(20, 200)
        v = doc.action(_pick(rng, ("泄露", "外泄", "披露", "收集", "转移")), "violation")
        cnt, cnte = doc.count(V.round_value(rng, 300, 2_000_000), rng.choice(("名", "名", "个")),
                              rng.choice((None, "about", "more_than")))
        doc.rel("count", v, cnte)
        sp, se = doc.party(company)
        doc.rel("agent", v, se)
        ap, ae = doc.organ(office)
        inv = doc.action("调查", "other")
        doc.rel("agent", inv, ae)
        doc.rel("target", inv, se)
        doc.emit(ap, rng.choice(("展开", "随即展开", "其后进行")), inv, "后发现，", sp, v,
                 rng.choice(("了", "")), cnt, rng.choice(("客户的", "会员的", "用户的")), "个人资料", end(rng), "\n")
        tl.advance(20, 200)
        dp2, de2 = when(doc, tl.point("d"), lead=rng.random() < 0.5)
        kp, ke = doc.organ(commissioner, "full")
        stp, ste = statute(doc, "hk", 0)
        short = None
        if rng.random() < 0.5:
            short = "私隐条例"
            a = E("STATUTE", "《私隐条例》", {"title": ste.norm["title"], "article": None, "article_sub": None})
            stp = [stp, rng.choice(("（下称", "（以下简称")), a, "）"]
        notice = doc.action("发出执行通知", "penalty")
        doc.rel("agent", notice, ke)
        doc.rel("date", notice, de2)
        tp, te = doc.party(company)
        doc.rel("target", notice, te)
        bp, be = statute(doc, "hk", 50, short=short)
        doc.rel("basis", notice, be)
        doc.emit(kp, "认为", tp, "违反了", stp, "附表1的保障资料第", rng.choice(("1", "3", "4")), "原则，",
                 dp2, rng.choice(("根据", "依据")), bp, "向该机构", notice, "，指示其",
                 rng.choice(("纠正违规行为", "删除所有相关资料", "制定保安政策")), end(rng), "\n")
        return
    # doxxing: arrest, prosecution, sentence
    d = person(case)
    police = organ(rng, "hk", "police") if rng.random() < 0.4 else office
    dp, de = when(doc, tl.point("d"), lead=True)
    pp, pe = define(doc, police) if police is office else doc.organ(police)
    arrest = doc.action("拘捕", "other")
    doc.rel("agent", arrest, pe)
    doc.rel("date", arrest, de)
    dpp, dpe = doc.party(d)
    doc.rel("target", arrest, dpe)
    stp, ste = statute(doc, "hk", 64)
    doc.emit(dp, pp, arrest, rng.choice(("一名", "")), rng.choice(("男子", "女子", "前雇员", "")), dpp,
             "，涉嫌违反", stp, rng.choice(("，在未获同意下披露他人个人资料", "的起底罪行", "")), end(rng), "\n")
    tl.advance(10, 120)
    court = organ(rng, "hk", "court", "{place}裁判法院" if rng.random() < 0.7 else None)
    pros = organ(rng, "hk", "prosecutor") if rng.random() < 0.5 else office
    rp, re_ = doc.organ(pros)
    act = doc.action(rng.choice(("检控", "提出检控", "落案起诉", "起诉")), "lawsuit")
    doc.rel("agent", act, re_)
    tp, te = doc.party(d)
    doc.rel("target", act, te)
    cp, ce = doc.organ(court)
    doc.rel("venue", act, ce)
    dp2, de2 = when(doc, tl.point("d"), lead=False)
    doc.rel("date", act, de2)
    hearing = doc.action("提堂", "hearing")              # the case is mentioned before the court
    doc.rel("agent", hearing, ce)
    doc.emit(rp, dp2, act, tp, "，案件在", cp, hearing, end(rng))
    tl.advance(10, 90)
    dp3, de3 = when(doc, tl.point("d"), lead=True)
    j = doc.action(rng.choice(("判处", "判处", "判监", "判刑")), "judgment")
    court_again = doc.organ(court)
    doc.rel("agent", j, court_again[1])
    doc.rel("date", j, de3)
    tp2, te2 = doc.party(d)
    doc.rel("target", j, te2)
    r = rng.random()
    if r < 0.5:
        months = rng.choice((1, 2, 3, 4, 6, 8, 12, 18))
        sp = E("SENTENCE", f"监禁{months}个月" if rng.random() < 0.7 else "监禁" + V.cn_int(months) + "个月",
               {"penalty": "fixed_term", "months": months})
        doc.rel("sentence", j, sp)
        out = [sp]
    elif r < 0.75:
        hours = rng.choice((80, 120, 160, 200, 240))
        sp = E("SENTENCE", f"社会服务令{hours}小时", {"penalty": "other", "months": None})
        doc.rel("sentence", j, sp)
        out = [sp]
    else:
        mp, me = money(doc, "hk", V.round_value(rng, 2000, 100000))
        doc.rel("amount", j, me)
        out = ["罚款", mp]
    if j.text == "判监" and r < 0.5:
        sp.text = sp.text.removeprefix("监禁")        # 判监[4个月]: the term alone
        out = [sp]
    elif j.text == "判监":
        j.text = "判处"
    doc.emit(dp3, tp2, rng.choice(("承认一项控罪，", "经审讯后被裁定罪名成立，", "认罪，")),
             court_again[0], rng.choice(("裁判官", "")), j, "" if j.text == "判监" else "其", *out, end(rng), "\n")
    if rng.random() < 0.5:
        hot = rng.choice(("2827 2827", "2877 7026", "www.pcpd.org.hk"))
        doc.emit("市民如怀疑个人资料被滥用，可致电公署热线", hot, "查询。\n")


# ------------------------------------------------------------------ Macau

def _mo(case, doc):
    rng = case.rng
    tl = case.tl
    office = organ(rng, "mo", "privacy")
    company = case.cast.company()
    doc.emit(rng.choice(("个人资料保护个案", "澳门个人资料保护", "违规处理个人资料个案")), "\n")
    if doc.meta_date is not None and rng.random() < 0.7:
        doc.emit(doc.header_date(doc.meta_date), "\n")
    if rng.random() < 0.6:
        dp, de = when(doc, tl.point("d"), lead=True)
        op, oe = define(doc, office)
        clue = doc.action(rng.choice(("接获市民举报", "收到举报", "接获投诉", "收到投诉")), "clue")
        doc.rel("agent", clue, oe)
        doc.rel("date", clue, de)
        cp, ce = doc.party(company)
        doc.emit(dp, op, clue, "，指", cp, rng.choice(("在未取得客户明确同意的情况下", "违规")),
                 rng.choice(("收集", "复印")), "客户身份证资料。")
        tl.advance(30, 200)
        ap, ae = doc.organ(office)
        stp, ste = statute(doc, "mo")
        fine = doc.action("罚款", "penalty")
        mp, me = money(doc, "mo", V.round_value(rng, 4000, 200000))
        tp, te = doc.party(company)
        dp2, de2 = when(doc, tl.point("d"), lead=False)
        for role, tail in (("agent", ae), ("target", te), ("amount", me), ("date", de2), ("basis", ste)):
            doc.rel(role, fine, tail)
        again = doc.party(company)[0] if rng.random() < 0.3 else "该公司"
        doc.emit(ap, "经调查后认定", tp, "违反", stp, "，", dp2, rng.choice(("决定", "")), "科处", again, mp, fine, end(rng), "\n")
        return
    police = organ(rng, "mo", "police", "司法警察局")
    d = person(case)
    dp, de = when(doc, tl.point("d"), lead=True)
    pp, pe = define(doc, police)
    arrest = doc.action("拘捕", "other")
    doc.rel("agent", arrest, pe)
    doc.rel("date", arrest, de)
    dpp, dpe = doc.party(d)
    doc.rel("target", arrest, dpe)
    v = doc.action(rng.choice(("非法查询", "出售", "非法获取")), "violation")
    doc.rel("agent", v, dpe)
    cnt, cnte = doc.count(V.round_value(rng, 20, 5000), rng.choice(("名", "条", "人")), rng.choice((None, "more_than")))
    doc.rel("count", v, cnte)
    doc.emit(dp, pp, arrest, "一名涉嫌", v, cnt, "市民个人资料的本地", rng.choice(("男子", "女子", "职员")), dpp, end(rng))
    proc = organ(rng, "mo", "prosecutor")
    hand = doc.action("移送", "other")
    pp2, pe2 = doc.organ(police)
    doc.rel("agent", hand, pe2)
    rp, re_ = doc.organ(proc)
    dp3, de3 = doc.party(d)
    doc.rel("target", hand, de3)
    doc.emit(pp2, "已将", dp3, hand, rp, "侦办", end(rng), "\n")


# ------------------------------------------------------------------ Taiwan

def _tw(case, doc):
    rng = case.rng
    tl = case.tl
    era_named = rng.random() < 0.7
    company = case.cast.company()
    doc.emit(rng.choice(("个资外泄事件", "业者个资保护不周", "贩售个资集团案", "个资保护新闻")), "\n")
    if doc.meta_date is not None and rng.random() < 0.6:
        doc.emit(doc.header_date(doc.meta_date), "\n")
    reg = organ(rng, "tw", "regulator")
    if rng.random() < 0.6:
        d0 = tl.advance(10, 100)
        dp = roc_date(doc, d0, era=era_named)
        rp, re_ = define(doc, reg) if rng.random() < 0.5 else doc.organ(reg, "full")
        v = doc.action(rng.choice(("外泄", "泄漏", "违法蒐集", "未经同意利用")), "violation")
        cnt, cnte = doc.count(V.round_value(rng, 500, 3_000_000), rng.choice(("笔", "名", "笔")), rng.choice((None, "more_than", "about")))
        doc.rel("count", v, cnte)
        cp, ce = doc.party(company)
        doc.rel("agent", v, ce)
        doc.emit(dp, rng.choice(("，", "")), rp, rng.choice(("表示", "指出", "公布")), "，", cp, v, _pick(rng, INFO_TW), cnt,
                 rng.choice(("，未采行适当安全措施", "", "，遭诈骗集团利用")), end(rng))
        defined = None
        if rng.random() < 0.5:
            defined = E("STATUTE", "个资法", {"title": "个人资料保护法", "article": None, "article_sub": None})
            full = E("STATUTE", "个人资料保护法", {"title": "个人资料保护法", "article": None, "article_sub": None})
            doc.emit("依", full, rng.choice(("（下称", "（以下简称")), defined, "）规定，", rng.choice(("非公务机关", "业者")),
                     "应采行适当之安全措施。")
        doc.emit("\n")
        d1 = tl.advance(5, 60)
        dp2 = roc_date(doc, d1)
        art = _pick(rng, (48, 47, 27, 41))
        if defined is not None:
            st = E("STATUTE", f"个资法第{art}条", {"title": "个人资料保护法", "article": art, "article_sub": None})
            stp = [st]
        else:
            stp, st = statute(doc, "tw", art)
        ap, ae = doc.organ(reg)
        fine = doc.action(rng.choice(("罚锾", "罚锾", "罚锾", "开罚")), "penalty")
        mp, me = money(doc, "tw", rng.choice((20_000, 50_000, 100_000, 150_000, 200_000, 1_000_000, 2_000_000)))
        tp, te = doc.party(company)
        for role, tail in (("agent", ae), ("target", te), ("amount", me), ("basis", st)):
            doc.rel(role, fine, tail)
        doc.rel("date", fine, dp2)
        out = []
        if fine.text == "开罚":
            out = [ap, "于", dp2, "依", stp, fine, tp, mp]
        else:
            out = [ap, "于", dp2, "依", stp, rng.choice(("规定，", "，")), rng.choice(("裁处", "处")), tp, mp, fine]
        if rng.random() < 0.6:
            fix = doc.action("限期改正", "penalty")
            doc.rel("agent", fix, ae)
            doc.rel("target", fix, te)
            doc.rel("basis", fix, st)
            out += ["，并", fix]
        doc.emit(*out, end(rng), "\n")
        return
    # a ring broken, an indictment, a sentence
    police = organ(rng, "tw", "police")
    d0 = tl.advance(10, 100)
    dp = roc_date(doc, d0, era=era_named, gran=rng.choice(("d", "d", "m")))
    pp, pe = doc.organ(police)
    broke = doc.action(rng.choice(("破获", "侦破", "查获")), "other")
    doc.rel("agent", broke, pe)
    doc.rel("date", broke, dp)
    defs = [person(case) for _ in range(rng.randint(1, 3))]
    cnt, cnte = doc.count(V.round_value(rng, 10_000, 90_000_000), "笔", rng.choice((None, "more_than", "about")))
    seized = doc.action(rng.choice(("查扣", "查获", "扣押")), "other")
    doc.rel("agent", seized, pe)
    doc.rel("count", seized, cnte)
    doc.emit(pp, dp, broke, rng.choice(("一个非法贩售个资的集团", "一起贩卖个资案")), "，", seized, _pick(rng, INFO_TW), cnt, end(rng), "\n")
    tl.advance(30, 200)
    proc = organ(rng, "tw", "prosecutor")
    rp, re_ = define(doc, proc) if rng.random() < 0.5 else doc.organ(proc)
    ind = doc.action("起诉", "lawsuit")
    doc.rel("agent", ind, re_)
    people = targets(doc, ind, defs)
    stp, st = statute(doc, "tw", None)
    doc.rel("basis", ind, st)
    many = []
    if len(defs) > 1:       # 陈某等3人: the number of defendants is a COUNT, as 周某某等六人 is
        n = len(defs)
        many = ["等", E("COUNT", f"{n}人" if rng.random() < 0.7 else V.cn_int(n) + "人",
                       {"value": n, "unit": "人", "approx": None})]
    doc.emit(rp, "依违反", stp, rng.choice(("等罪嫌", "罪嫌")), ind, join_names(rng, people), *many, end(rng), "\n")
    if rng.random() < 0.6:
        tl.advance(60, 300)
        court = organ(rng, "tw", "court")
        cp, ce = doc.organ(court)
        j = doc.action("判处", "judgment")
        doc.rel("agent", j, ce)
        tp, te = doc.party(defs[0])
        doc.rel("target", j, te)
        y, m = divmod(rng.choice((3, 4, 6, 8, 10, 14, 18, 26)), 12)
        months = y * 12 + m
        sp = E("SENTENCE", "有期徒刑" + (f"{y}年" if y else "") + (f"{m}月" if m else ""),
               {"penalty": "fixed_term", "months": months})
        doc.rel("sentence", j, sp)
        doc.emit(cp, rng.choice(("日前", "")), j, tp, sp, "，" + rng.choice(("得易科罚金", "全案可上诉")) if months <= 6 else "",
                 end(rng), "\n")
    if rng.random() < 0.5:
        doc.emit(rng.choice(("民众如遇可疑来电，可拨打165反诈骗专线查证。", "（记者" + _pick(rng, JOURNALISTS) + "／台北报导）")),
                 "\n")


def gen_regional(rng, doc, pub):
    """One Hong Kong, Macau or Taiwan document (see the module's docstring)."""
    case = Case(rng, doc)
    place = rng.choices(PLACES, (0.45, 0.2, 0.35))[0]
    doc.region_place = place
    {"hk": _hk, "mo": _mo, "tw": _tw}[place](case, doc)
