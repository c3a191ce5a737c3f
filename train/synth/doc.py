"""Document builder: text is appended piece by piece; entity pieces record their exact offsets, so
spans, norms and relations come from the generation parameters, never from re-reading the text."""
import datetime as _dt

from . import values as V
from lawie.labels.outcomes import penalty_words

from .world import Organ


class E:
    """An entity mention; DATE mentions may be lazy (`date` set, `text` decided when emitted)."""

    __slots__ = ("type", "text", "norm", "obj", "date", "start", "end", "id", "rel_only")

    def __init__(self, type_, text=None, norm=None, obj=None, date=None):
        self.type, self.text, self.norm, self.obj, self.date = type_, text, norm, obj, date
        self.start = self.end = None
        self.id = None


class Doc:
    def __init__(self, rng, meta_date=None, allow_relative=True):
        self.rng = rng
        self.buf = []
        self.pos = 0
        self.ents = []
        self.rels = []
        self.meta_date = meta_date
        self.anchor = (meta_date.y, meta_date.m, meta_date.d) if meta_date else None
        self.allow_relative = allow_relative
        self.after_point = True         # the last DATE written (or the publication date) is a point

    # ------------------------------------------------------------ emission
    def emit(self, *pieces):
        for p in pieces:
            if p is None or p == "":
                continue
            if isinstance(p, (list, tuple)):
                self.emit(*p)
                continue
            if isinstance(p, str):
                self.buf.append(p)
                self.pos += len(p)
                continue
            if p.type == "DATE" and p.text is None and self.anchor is None and p.date.m and \
                    not p.date.is_range and p.date.kind is None and self.allow_relative and self.rng.random() < 0.12:
                p.text = V._md(p.date.m, p.date.d, self.rng)  # year-less with nothing to resolve it
                p.norm = {"start": None, "end": None}
            elif p.type == "DATE" and p.text is None and self._relative(p):
                pass
            elif p.type == "DATE" and p.text is None:
                txt, norm, anchor = V.render_date(p.date, self.anchor, self.rng, self.allow_relative)
                if self.anchor is None and norm["start"] and _yearless(txt):
                    norm = {"start": None, "end": None}  # nothing to resolve against
                p.text, p.norm = txt, norm
                self.anchor = anchor
            elif p.type == "DATE" and p.norm and p.norm.get("start"):
                s = p.norm["start"]
                self.anchor = (int(s[:4]), int(s[5:7]) if len(s) > 4 else None,
                               int(s[8:10]) if len(s) > 7 else None)
            if p.type == "DATE":        # the normalizer chains from a date's start: after a
                self.after_point = bool(p.norm) and p.norm.get("start") == p.norm.get("end")
            p.start = self.pos              # range, a relative month would read from its start
            self.buf.append(p.text)
            self.pos += len(p.text)
            p.end = self.pos
            self.ents.append(p)

    def _relative(self, p) -> bool:
        """Write a calendar point as the relative word that reads back to it, now and then:
        今天 / 昨日 from the publication date, 上月 / 次月 / 同月 from the preceding date,
        今年3月(份) from the publication year (words: labels/data/lexicon/relative_dates.tsv).
        Sets the entity's text, norm and the anchor; False when no such form was chosen."""
        v = p.date
        if not self.allow_relative or v.is_range or v.kind is not None or v.m is None:
            return False
        pub = self.meta_date
        words = []
        if v.d is not None and pub is not None and pub.d is not None:
            delta = (v.date() - _dt.date(pub.y, pub.m, pub.d)).days
            words = [w for w, o in V.relative_words("day", "document") if o == delta <= 0]  # no 明天
        elif v.d is None and self.anchor and self.anchor[1] and self.after_point:
            shift = (v.y * 12 + v.m) - (self.anchor[0] * 12 + self.anchor[1])
            words = [w for w, o in V.relative_words("month", "anchor") if o == shift]
        if words and self.rng.random() < 0.4:
            text = self.rng.choice(words)
        elif pub is not None and v.y == pub.y and (v.m, v.d or 0) <= (pub.m, pub.d or 0) \
                and self.rng.random() < 0.08:
            text = "今年" + V._md(v.m, v.d, self.rng) + ("份" if v.d is None and self.rng.random() < 0.5
                                                       else "")
        else:
            return False
        p.text, p.norm = text, V.date_norm(v)
        self.anchor = (v.y, v.m, v.d)
        return True

    def para(self):
        self.emit("\n")

    def rel(self, role, head, tail):
        if head is None or tail is None:
            return
        self.rels.append((role, head, tail))

    @property
    def text(self):
        return "".join(self.buf)

    # ------------------------------------------------------------ finishing
    def finish(self, doc_id, meta):
        text = self.text
        ents = [e for e in self.ents if e.start is not None]
        ents.sort(key=lambda e: (e.start, e.end))
        organ_names = {}
        for e in ents:
            if e.type in ("AGENCY", "PARTY") and e.obj is not None:
                organ_names.setdefault(id(e.obj), []).append(e.text)
        out_e = []
        for i, e in enumerate(ents, 1):
            e.id = f"T{i}"
            norm = e.norm
            if e.type == "AGENCY":
                o = e.obj
                names = organ_names[id(o)]
                if o.standalone:
                    name = e.text
                elif o.full in names:
                    name = o.full
                else:
                    name = max(names, key=len)
                norm = {"name": name, "kind": o.kind}
            elif e.type == "PARTY":
                norm = {"kind": e.obj.kind}
            assert text[e.start:e.end] == e.text, (e.text, text[e.start:e.end])
            out_e.append({"id": e.id, "type": e.type, "start": e.start, "end": e.end,
                          "text": e.text, "norm": norm})
        seen, out_r = set(), []
        for role, h, t in self.rels:
            if h.start is None or t.start is None:
                continue
            key = (role, h.id, t.id)
            if key in seen or h is t:
                continue
            seen.add(key)
            out_r.append({"type": role, "head": h.id, "tail": t.id})
        return {"id": doc_id, "text": text, "meta": meta, "entities": out_e, "relations": out_r}

    # ------------------------------------------------------------ mentions
    def organ(self, o: Organ, form="auto"):
        """Pieces for one mention of organ o; returns (pieces, entity). form: full|short|define|auto."""
        rng = self.rng
        if form == "auto":
            if o.standalone or not getattr(o, "_seen", False):
                form = "define" if (o.definable and rng.random() < 0.45) else "full"
            elif o.alias:
                form = "alias" if rng.random() < 0.9 else "full"
            else:
                form = "short" if (o.shorts and rng.random() < 0.5) else "full"
        o._seen = True
        if form == "alias" and o.alias:
            e = E("AGENCY" if isinstance(o, Organ) else "PARTY", o.alias, obj=o)
            return [e], e
        if form == "short" and o.shorts:
            e = E("AGENCY" if isinstance(o, Organ) else "PARTY", rng.choice(o.shorts), obj=o)
            return [e], e
        typ = "AGENCY" if isinstance(o, Organ) else "PARTY"
        e = E(typ, o.full, obj=o)
        if form == "define" and (o.definable or o.shorts) and not o.alias:
            o.alias = rng.choice(o.definable or o.shorts)
            a = E(typ, o.alias, obj=o)
            self.rel("alias_of", a, e)
            opener = rng.choice(("(以下简称", "（以下简称", "(下称", "（简称"))
            closer = ")" if opener[0] == "(" else "）"
            q = rng.random() < 0.15
            return [e, opener, "“" if q else "", a, "”" if q else "", closer], e
        return [e], e

    party = organ  # parties use the same mention logic (Party objects carry full/shorts/alias)

    def date(self, dv):
        return E("DATE", date=dv)

    def header_date(self, dv):
        txt, norm, tod = V.header_date(dv, self.rng)
        return [E("DATE", txt, norm), tod]

    def count(self, v, unit, approx=None):
        txt, norm, pre = V.render_count(v, unit, self.rng, approx)
        e = E("COUNT", txt, norm)
        return [pre, e], e

    def small_count(self, n, unit):
        """A small COUNT as prose writes it (两家, 四方面, 李某、吴某二人, 周某某等六人)."""
        txt, norm = V.render_small(n, unit, self.rng)
        e = E("COUNT", txt, norm)
        return [e], e

    def money(self, v, currency="CNY", approx=None, no_yuan=False):
        pre, txt, norm = V.render_money(v, self.rng, currency, approx, no_yuan)
        e = E("MONEY", txt, norm)
        return [pre, e], e

    def money_range(self, lo, hi, currency="CNY"):
        pre, txt, after, norm = V.render_money_range(lo, hi, self.rng, currency)
        e = E("MONEY", txt, norm)
        return [pre, e, after], e

    def statute(self, st, article=None, style=None):
        """《中华人民共和国个人信息保护法》第七十条 / 个人信息保护法 / 刑法第二百五十三条之一."""
        rng = self.rng
        title = st["title"]
        if st["prefix"] and rng.random() < 0.5:
            title = "中华人民共和国" + title
        quoted = style != "bare" and (style == "quoted" or rng.random() < 0.8)
        span = f"《{title}》" if quoted else title
        after = ""
        if article:
            if rng.random() < 0.88:
                art = "第" + V.cn_int(article) + "条"
            else:
                art = f"第{article}条"
            if title.endswith("刑法") and article == 253:
                art = "第二百五十三条之一"
            span += art
            r = rng.random()
            if r < 0.2:
                after = "第" + V.cn_int(rng.randint(1, 3)) + "款"
            elif r < 0.3:
                after = "第" + V.cn_int(rng.randint(1, 3)) + "款第（" + V.cn_int(rng.randint(1, 4)) + "）项"
        sub = 1 if article and art.endswith("之一") else None
        e = E("STATUTE", span, {"title": title, "article": article, "article_sub": sub})
        return [e, after], e

    def action(self, text, kind):
        return E("ACTION", text, {"kind": kind})

    def sentence(self, word, months=None, days=None, term=True):
        """A SENTENCE: penalty word (penalties.tsv) + its term (有期徒刑一年十个月, 缓刑二年,
        行政拘留十日); word "" gives a bare term (获刑[3年]); term=False the word alone (缓刑)."""
        code = {w: c for w, c, *_ in penalty_words()}.get(word, "fixed_term")
        txt = word
        norm = {"penalty": code, "months": None}
        if term and (months or days):
            txt += V.render_term(months, self.rng, days=days)
            norm["months"] = round(days / 30, 3) if days else months
        e = E("SENTENCE", txt, norm)
        return [e], e

    def charge(self, name):
        e = E("CHARGE", name, {"name": name})
        return [e], e


def _yearless(txt):
    return "年" not in txt or txt.startswith(("同年", "次年"))
