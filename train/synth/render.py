"""Renderings of a clean generated document as found on the web, applied as character-level
transformations that keep every gold span exact.

Each original character becomes a cell [prefix, core, suffix]: a span [s, e) maps to the start of
core[s] and the end of core[e-1], so text inserted before a span (junk, line breaks) and text after
its last character (pinyin) stay outside it, and anything inside stays inside.
"""
import unicodedata
from functools import lru_cache
from importlib import resources

RENDERINGS = ("traditional", "pinyin", "spun", "nfkc", "junk", "broken_lines", "spaced")

SITES = ("澳门威斯人", "鼎盛娱乐", "金沙官网", "开云体育", "华体会", "乐鱼体育", "星空体育", "爱游戏")
COLUMNS = ("二八杠", "新闻中心", "法治在线", "社会", "资讯", "要闻", "百家乐", "体育直播")
EDITORS = ("王明", "李静", "张伟", "刘洋")

# A starting table used only while infer/data/spin.tsv does not exist yet (clean -> spun).
_FALLBACK_SPIN = (("人", "东说念主"), ("网络", "汇集"), ("建议", "薄情"), ("依法", "照章"), ("涉及", "波及"),
                  ("智慧", "灵巧"), ("停车", "泊车"), ("虚假", "演叨"), ("泄露", "露馅"), ("滥用", "浮滥"),
                  ("相关", "关系"), ("领域", "边界"), ("技术", "技巧"), ("管理", "管制"), ("线索", "陈迹"),
                  ("提起", "拿起"), ("责任", "背负"), ("及时", "机敏"), ("突出", "杰出"), ("综合", "详细"),
                  ("关于", "对于"), ("发挥", "发扬"), ("主管", "主宰"), ("实现", "已毕"), ("经验", "教授"))


@lru_cache(maxsize=1)
def spin_table():
    """(clean, spun) pairs, longest clean first; from lawie.infer's data/spin.tsv when present."""
    pairs = []
    try:
        text = resources.files("lawie.infer").joinpath("data/spin.tsv").read_text("utf-8")
    except (FileNotFoundError, ModuleNotFoundError, OSError):
        text = None
    if text:
        for line in text.splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) >= 2 and parts[0] and parts[1] and parts[0] != parts[1]:
                pairs.append((parts[0].strip(), parts[1].strip()))
    if not pairs:
        pairs = list(_FALLBACK_SPIN)
    seen, out = set(), []
    for c, s in pairs:
        if c not in seen:
            seen.add(c)
            out.append((c, s))
    out.sort(key=lambda p: -len(p[0]))
    return tuple(out)


@lru_cache(maxsize=1)
def _s2t():
    import opencc
    return opencc.OpenCC("s2t")


_PINYIN_CACHE = {}


def _pinyin(ch):
    p = _PINYIN_CACHE.get(ch)
    if p is None:
        from pypinyin import Style, pinyin
        p = pinyin(ch, style=Style.TONE, heteronym=False)[0][0]
        _PINYIN_CACHE[ch] = p
    return p


def _is_punct_or_space(ch):
    return ch.isspace() or unicodedata.category(ch)[0] in "PZS"


# entity types whose normalized value is read off their words (names, titles, numbers)
FIXED_TYPES = frozenset({"AGENCY", "STATUTE", "DATE", "COUNT", "MONEY", "SENTENCE", "CHARGE"})


class Cells:
    def __init__(self, text, entities):
        self.orig = text
        self.pre = [""] * len(text)
        self.core = list(text)
        self.suf = [""] * len(text)
        self.tail = ""  # text after the last character
        n = len(text)
        # inside[i]: a span covers both i-1 and i (a cut between them would split a span)
        self.inside = [False] * (n + 1)
        self.edge = [False] * (n + 1)
        for e in entities:
            for i in range(e["start"] + 1, e["end"]):
                self.inside[i] = True
            self.edge[e["start"]] = self.edge[e["end"]] = True
        self.in_span = [False] * n
        # characters of spans whose normalized value is read off their words (names, titles,
        # numbers): a synonym swapped in there would make text and value disagree
        self.fixed = [False] * n
        for e in entities:
            for i in range(e["start"], e["end"]):
                self.in_span[i] = True
                if e["type"] in FIXED_TYPES:
                    self.fixed[i] = True

    def assemble(self, entities):
        out, starts, ends = [], [0] * len(self.core), [0] * len(self.core)
        pos = 0
        for i in range(len(self.core)):
            out.append(self.pre[i])
            pos += len(self.pre[i])
            starts[i] = pos
            out.append(self.core[i])
            pos += len(self.core[i])
            ends[i] = pos
            out.append(self.suf[i])
            pos += len(self.suf[i])
        out.append(self.tail)
        text = "".join(out)
        new = []
        for e in entities:
            s, t = starts[e["start"]], ends[e["end"] - 1]
            ne = dict(e, start=s, end=t, text=text[s:t])
            new.append(ne)
        return text, new


@lru_cache(maxsize=1)
def synonym_groups():
    """{word: (its synonyms, ...)} over two-character words, from data/synonyms.tsv (Cilin groups;
    see derive_synonyms.py)."""
    text = resources.files("lawie.train.synth").joinpath("data/synonyms.tsv").read_text("utf-8")
    table: dict[str, list] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        words = line.split()
        for w in words:
            table.setdefault(w, []).extend(x for x in words if x != w and x not in table[w])
    return {w: tuple(v) for w, v in table.items() if v}


def _spin_synonyms(c: Cells, rng, share):
    """Swap two-character words for a synonym that spin.tsv does not know (罚款 → 罚金), as a
    spinner does: the cleaner leaves these in place, so the model learns to read them. Words of
    AGENCY, STATUTE, DATE, COUNT and MONEY spans stay, and so does any word a span boundary cuts
    or the spin table already replaced."""
    from lawie.infer.words import word_bounds

    groups = synonym_groups()
    text = c.orig
    wb = word_bounds(text)
    for s, e in wb.words():
        if e - s != 2 or c.edge[s + 1] or c.fixed[s] or c.fixed[s + 1]:
            continue
        if c.core[s] != text[s] or c.core[s + 1] != text[s + 1]:
            continue
        syns = groups.get(text[s:e])
        if syns and rng.random() < share:
            new = rng.choice(syns)
            c.core[s], c.core[s + 1] = new[0], new[1]


def _spin(c: Cells, rng, share):
    text = c.orig
    table = spin_table()
    firsts = {}
    for clean, spun in table:
        firsts.setdefault(clean[0], []).append((clean, spun))
    i, n = 0, len(text)
    while i < n:
        cands = firsts.get(text[i])
        done = False
        if cands:
            for clean, spun in cands:
                k = len(clean)
                if text.startswith(clean, i) and not any(c.edge[j] for j in range(i + 1, i + k)) \
                        and rng.random() < share:
                    c.core[i] = spun
                    for j in range(i + 1, i + k):
                        c.core[j] = ""
                    i += k
                    done = True
                    break
        if not done:
            i += 1


def _traditional(c: Cells):
    conv = _s2t()
    joined = "".join(c.core)
    lens = [len(x) for x in c.core]
    t = conv.convert(joined)
    if len(t) == len(joined):
        pos = 0
        for i, L in enumerate(lens):
            c.core[i] = t[pos:pos + L]
            pos += L
    else:
        c.core = [conv.convert(x) if x else x for x in c.core]


def _add_pinyin(c: Cells, rng, share, simplified):
    for i, ch in enumerate(c.core):
        if len(ch) == 1 and simplified[i] != ch and "\u4e00" <= ch <= "\u9fff" and rng.random() < share:
            c.suf[i] = "(" + _pinyin(simplified[i]) + ")"


def _nfkc(c: Cells):
    for i, ch in enumerate(c.core):
        if ch and len(ch) == 1 and unicodedata.category(ch)[0] == "P" and ch not in "《》“”‘’【】、。":
            c.core[i] = unicodedata.normalize("NFKC", ch)


def _junk_line(rng, lines):
    s = rng.choice(lines)
    return (s.replace("{site}", rng.choice(SITES)).replace("{col}", rng.choice(COLUMNS))
            .replace("{n}", str(rng.randint(3, 9999))).replace("{ed}", rng.choice(EDITORS)))


def _junk(c: Cells, rng, rate):
    from .world import junk_lines
    lines = junk_lines()
    text = c.orig
    n = len(text)
    para_starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n" and i + 1 < n]
    inserted = 0
    for p in para_starts:
        if rng.random() < rate:
            c.pre[p] = _junk_line(rng, lines) + "\n" + ("\n" if rng.random() < 0.3 else "") + c.pre[p]
            inserted += 1
    # inline tickers: outside spans, never touching a span boundary
    for _ in range(rng.randint(0, 2)):
        i = rng.randrange(1, n) if n > 2 else 0
        if 0 < i < n and not c.inside[i] and not c.edge[i] and not c.in_span[i] and not c.in_span[i - 1]:
            c.pre[i] = " " + rng.choice(SITES) + " " + c.pre[i]
            inserted += 1
    if inserted == 0 and n:
        c.pre[0] = _junk_line(rng, lines) + "\n\n" + c.pre[0]


def _broken(c: Cells, rng, rate):
    text = c.orig
    n = len(text)
    k = 0
    for i in range(1, n):
        if not c.inside[i] and text[i - 1] != "\n" and text[i] != "\n" and rng.random() < rate:
            c.pre[i] = rng.choice(("\n", "\n", "\n\n", "\r\n")) + c.pre[i]
            k += 1
    if k == 0:
        cands = [i for i in range(1, n) if not c.inside[i] and text[i - 1] != "\n" and text[i] != "\n"]
        if cands:
            c.pre[rng.choice(cands)] = "\n"


def _is_han(ch):
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def _spaced(c: Cells, rng, share):
    """A space between a Han character and a half-width letter or digit, at a share of those
    boundaries, as web editors space mixed text (2017 年 9 月, 7 件, 5 万元, 个人信息 App): a space
    inside a span belongs to it, one at a span's edge stays outside."""
    for i in range(1, len(c.core)):
        left = (c.core[i - 1] + c.suf[i - 1])[-1:]
        right = (c.pre[i] + c.core[i])[:1]
        if not left or not right:
            continue
        ascii_l, ascii_r = left.isascii() and left.isalnum(), right.isascii() and right.isalnum()
        if ((ascii_l and _is_han(right)) or (_is_han(left) and ascii_r)) and rng.random() < share:
            c.pre[i] = " " + c.pre[i]


# how strongly each rendering changes a document it is applied to (apply's keywords, spelled out
# in corpus.toml's [rendering_options])
OPTIONS = {"pinyin_share": 0.3, "spin_share": 0.8, "synonym_share": 0.0, "junk_rate": 0.25,
           "break_rate": 0.012, "space_share": 0.9}


def apply(doc: dict, names, rng, pinyin_share=OPTIONS["pinyin_share"],
          spin_share=OPTIONS["spin_share"], synonym_share=OPTIONS["synonym_share"],
          junk_rate=OPTIONS["junk_rate"], break_rate=OPTIONS["break_rate"],
          space_share=OPTIONS["space_share"]):
    """Return a new document with the renderings `names` applied (order fixed), spans remapped."""
    names = [n for n in RENDERINGS if n in set(names)]
    if not names:
        return doc
    c = Cells(doc["text"], doc["entities"])
    if "spun" in names:
        _spin(c, rng, spin_share)
        if synonym_share > 0:   # no draws when off: the rest of the document stays as it was
            _spin_synonyms(c, rng, synonym_share)
    simplified = list(c.core)
    if "traditional" in names or "pinyin" in names:
        _traditional(c)
    if "pinyin" in names:
        _add_pinyin(c, rng, pinyin_share, simplified)
    if "nfkc" in names:
        _nfkc(c)
    if "junk" in names:
        _junk(c, rng, junk_rate)
    if "broken_lines" in names:
        _broken(c, rng, break_rate)
    if "spaced" in names:
        _spaced(c, rng, space_share)
    text, ents = c.assemble(doc["entities"])
    meta = dict(doc["meta"], rendering="+".join(names))
    return dict(doc, text=text, entities=ents, meta=meta)
