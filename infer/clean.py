"""Offset-preserving text cleaning: raw web text -> canonical clean text + a map back to the original.

The model reads the CLEAN text; every span it finds is reported in ORIGINAL offsets. ``clean``
returns a :class:`Cleaned` that carries both texts and, for every clean character ``i``, the
original span ``[starts[i], ends[i])`` it came from.

Canonical clean form: simplified Chinese, ASCII digits and Latin letters, Chinese full-width
punctuation (，：；（）！？) in Chinese context and ASCII punctuation inside numbers (1,200  10:16:49).

Steps, in order (each one rewrites the current text and its offset map; see ``_rewrite``):

1. ``_stage_chars``   delete control / format characters (zero-width, BOM, soft hyphen ...),
                      ``\\r\\n`` -> ``\\n``; fold width 1:1 (full-width ASCII -> ASCII, odd spaces
                      and tabs -> space, CJK compatibility ideographs and Kangxi radicals -> the
                      unified ideograph).
2. ``_stage_html``    decode HTML entities, drop tags and comments (block tags become ``\\n``).
3. ``_stage_junk``    site template junk: ``{jz:field.x/}`` tags, breadcrumb / "related news" lines,
                      stock tickers like ``(300959)`` inserted between two Chinese characters.
4. ``_stage_pinyin``  pinyin annotations right after a Chinese character: 發(fā)布 -> 發布.
5. ``_stage_t2s``     traditional -> simplified with OpenCC ``t2s`` (length-preserving, 1:1 map).
6. ``_stage_spin``    undo machine synonym "spinning" with ``data/spin.tsv`` (longest match).
7. ``_stage_punct``   ASCII , : ; ( ) ! ? in Chinese context -> full-width.

Steps 2-4 are repeated together until none applies, step 5 until OpenCC changes nothing, and 2-6
again while step 6 still finds something; step 7 decides on ASCII punctuation only (full-width input is folded in step
1 first). Hence ``clean`` is idempotent on its own output: ``clean(clean(x).text).text ==
clean(x).text``. Speed: about 2-3 M chars/s on one core (``python -m lawie.infer.clean bench``).

Every step is linear in the text, hostile text included (runs of ``?``, ``&amp;amp;amp;...``,
``<<<p>p>p>``, runs of pinyin groups: ``tests/test_reliability.py`` times 10k against 40k
characters): nesting resolves within one pass, and steps 2-4 run at most ``_MAX_ROUNDS`` rounds
(a text still nested past that keeps the rest; idempotency holds below it).
"""
from __future__ import annotations

import argparse
import bisect
import html
import re
from pathlib import Path
import sys
import time
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = ["Cleaned", "clean", "load_spin_table", "SpinEntry"]


# ---------------------------------------------------------------------------------------------
# result type


@dataclass(frozen=True, eq=False)
class Cleaned:
    """Clean text plus the map from each clean character to the original span it came from."""

    original: str
    text: str
    starts: list  # starts[i]: first original index of clean char i
    ends: list    # ends[i]: one past the last original index of clean char i

    def __len__(self) -> int:
        return len(self.text)

    def _check(self, start: int, end: int, length: int, what: str) -> None:
        if not (isinstance(start, int) and isinstance(end, int)):
            raise TypeError(f"{what} span must be two ints, got ({start!r}, {end!r})")
        if not 0 <= start <= end <= length:
            raise ValueError(f"{what} span ({start}, {end}) is outside [0, {length}]")

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Clean span [start, end) -> the original span covering it.

        An empty clean span maps to an empty original span at the corresponding position."""
        n = len(self.text)
        self._check(start, end, n, "clean")
        if start < end:
            return self.starts[start], self.ends[end - 1]
        if start < n:
            p = self.starts[start]
        else:
            p = self.ends[n - 1] if n else 0
        return p, p

    def to_clean(self, ostart: int, oend: int) -> tuple[int, int]:
        """Original span [ostart, oend) -> the smallest clean span covering every clean character
        whose source intersects it. A span that covers only deleted characters (junk) or is empty
        maps to an empty clean span at the corresponding position."""
        self._check(ostart, oend, len(self.original), "original")
        if ostart < oend:
            cs = bisect.bisect_right(self.ends, ostart)      # first i with ends[i] > ostart
            ce = bisect.bisect_left(self.starts, oend)       # first i with starts[i] >= oend
            if cs < ce:
                return cs, ce
            return cs, cs
        p = bisect.bisect_right(self.ends, ostart)
        return p, p


# ---------------------------------------------------------------------------------------------
# the core rewrite: apply non-overlapping edits to (text, starts, ends)


def _rewrite(text: str, starts: list, ends: list, edits: list) -> tuple[str, list, list]:
    """Apply sorted, non-overlapping edits ``(i, j, rep)`` (replace text[i:j] by rep).

    Characters outside edits keep their map. Inside an edit, a common prefix and suffix of old and
    new text map 1:1; of the differing middle, the first chars map 1:1 and the last new char takes
    the rest of the old middle (東說念主 -> 人 maps one char to four). A replacement may not be
    longer than what it replaces (a clean char never shares original characters with another).
    """
    if not edits:
        return text, starts, ends
    out: list[str] = []
    ns: list[int] = []
    ne: list[int] = []
    pos = 0
    for i, j, rep in edits:
        if i > pos:
            out.append(text[pos:i])
            ns += starts[pos:i]
            ne += ends[pos:i]
        old = text[i:j]
        m, n = len(rep), j - i
        if m > n:
            raise AssertionError(f"internal: replacement {rep!r} longer than {old!r}")
        if m == n:
            ns += starts[i:j]
            ne += ends[i:j]
        elif m:
            p = 0
            while p < m and rep[p] == old[p]:
                p += 1
            q = 0
            while q < m - p and rep[m - 1 - q] == old[n - 1 - q]:
                q += 1
            mid = m - p - q
            ns += starts[i:i + p]
            ne += ends[i:i + p]
            if mid:
                a, b = i + p, j - q  # old middle [a, b), mid new chars
                ns += starts[a:a + mid]
                ne += ends[a:a + mid - 1]
                ne.append(ends[b - 1])
            ns += starts[j - q:j]
            ne += ends[j - q:j]
        out.append(rep)
        pos = j
    if pos < len(text):
        out.append(text[pos:])
        ns += starts[pos:]
        ne += ends[pos:]
    return "".join(out), ns, ne


# ---------------------------------------------------------------------------------------------
# character classes


_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# what counts as "Chinese context" for punctuation: Han, CJK symbols and punctuation, kana,
# bopomofo, Chinese quotes, ellipsis, dashes, middle dot
_CJK = _HAN + "\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u31a0-\u31ff" \
              "\u2018\u2019\u201c\u201d\u2026\u2014\u00b7\uff5f-\uff65\ufe30-\ufe4f"
_CJK_RE = re.compile(f"[{_CJK}]")


@lru_cache(maxsize=1)
def _char_tables():
    """(translate table for 1:1 folding, regex of characters to delete)."""
    table: dict[int, str] = {}
    ranges = [(0xFF00, 0xFFEF), (0xF900, 0xFAFF), (0x2F00, 0x2FDF), (0x2E80, 0x2EFF),
              (0xFE10, 0xFE6F), (0x2F800, 0x2FA1F), (0x2000, 0x200A), (0x3000, 0x3000),
              (0x00A0, 0x00A0), (0x202F, 0x202F), (0x205F, 0x205F)]
    for lo, hi in ranges:
        for cp in range(lo, hi + 1):
            ch = chr(cp)
            nf = unicodedata.normalize("NFKC", ch)
            if len(nf) == 1 and nf != ch:
                table[cp] = nf
    table[ord("\t")] = " "
    table[ord("\r")] = "\n"   # a lone CR; CR LF loses its CR first
    table[0x2028] = "\n"
    table[0x2029] = "\n"
    table[0x000B] = "\n"
    table[0x000C] = "\n"
    # characters to delete: controls (keep \n \t \r \v \f, handled above), format characters
    # (zero-width space/joiners, BOM, soft hyphen, bidi marks ...), lone surrogates
    dele = []
    for cp in range(0x110000):
        cat = unicodedata.category(chr(cp)) if (cp < 0x3400 or cp >= 0xA000) else "Lo"
        if cat in ("Cf", "Cs") or (cat == "Cc" and cp not in (0x9, 0xA, 0xB, 0xC, 0xD)):
            dele.append(cp)
    parts = []
    k = 0
    while k < len(dele):
        a = b = dele[k]
        while k + 1 < len(dele) and dele[k + 1] == b + 1:
            k += 1
            b = dele[k]
        parts.append(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}")
        k += 1
    delete_re = re.compile("\r(?=\n)|[" + "".join(parts) + "]")
    return table, delete_re


def _fold_str(s: str) -> str:
    """The 1:1 fold and the deletions of stage 1 applied to a plain string."""
    table, delete_re = _char_tables()
    return delete_re.sub("", s).translate(table)


# ---------------------------------------------------------------------------------------------
# stage 1: control characters and width folding


def _stage_chars(text, starts, ends):
    table, delete_re = _char_tables()
    edits = [(m.start(), m.end(), "") for m in delete_re.finditer(text)]
    text, starts, ends = _rewrite(text, starts, ends, edits)
    return text.translate(table), starts, ends   # 1:1, the map is unchanged


# ---------------------------------------------------------------------------------------------
# stage 2: HTML


_ENTITY_RE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});|&nbsp(?![A-Za-z0-9;])")
_BLOCK_TAGS = {"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul",
               "ol", "section", "article", "blockquote", "hr"}
_PLAIN_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]{0,15})(?:\s[^<>]*)?/?>")
_RAW_OPEN_RE = re.compile(r"<(script|style)\b[^<>]*>", re.I)
_RAW_CLOSE_RE = {"script": re.compile(r"</script\s*>", re.I),
                 "style": re.compile(r"</style\s*>", re.I)}
_HTML_SPECIAL_RE = re.compile(r"[&;<>]")
_ENTITY_MAX = 40          # longer than any entity _ENTITY_RE accepts


def _tag_rep(m) -> str:
    name = m.group(2).lower()
    return "\n" if name in _BLOCK_TAGS and (m.group(1) == "/" or name in ("br", "hr")) else ""


def _stage_html(text, starts, ends):
    """Decode HTML entities and drop tags, comments and script/style blocks in ONE left-to-right
    pass: a decoded entity or a removed tag is fed back into the pass, so nested escapes and
    tags (``&amp;amp;amp;``, ``<<<p>p>p>``, ``&l<b>t;b>``) resolve at once and the pass is linear
    in the text (each character is scanned as part of at most one failed candidate, or removed).
    Returns (text, starts, ends, changed)."""
    if "&" not in text and "<" not in text:
        return text, starts, ends, False
    n = len(text)
    parts: list[str] = []     # the output, in pieces
    size = 0                  # its length
    ns: list[int] = []
    ne: list[int] = []
    amps: list[int] = []      # output positions of '&' / '<'
    lts: list[int] = []
    last_gt = -1              # output position of the last '>' kept
    changed = False
    no_comment_end = False    # a search for "-->" (or a closing tag) failed: none further on
    no_raw_close: set = set()
    pending: list = []        # decoded / replacement characters still to feed, last first

    def tail(k: int) -> str:  # output[k:]
        need, got = size - k, []
        j = len(parts)
        while need > 0:
            j -= 1
            piece = parts[j]
            got.append(piece if len(piece) <= need else piece[len(piece) - need:])
            need -= len(piece)
        return "".join(reversed(got))

    def truncate(k: int) -> None:
        nonlocal size
        while size > k:
            piece = parts.pop()
            size -= len(piece)
            if size < k:
                parts.append(piece[:k - size])
                size = k
        del ns[k:], ne[k:]
        while amps and amps[-1] >= k:
            amps.pop()
        while lts and lts[-1] >= k:
            lts.pop()

    def replace(k: int, rep: str) -> None:
        """Replace output[k:] by rep (fed back through the pass), mapping as _rewrite does."""
        nonlocal changed
        changed = True
        old = tail(k)
        _, rs, re_ = _rewrite(old, ns[k:], ne[k:], [(0, len(old), rep)])
        truncate(k)
        pending.extend(reversed(list(zip(rep, rs, re_))))

    def feed(ch: str, a: int, b: int) -> None:
        nonlocal size, last_gt
        parts.append(ch)
        ns.append(a)
        ne.append(b)
        size += 1
        k = size - 1
        if ch == "&":
            amps.append(k)
        elif ch == "<":
            lts.append(k)
        elif ch == ";":
            if amps and k - amps[-1] < _ENTITY_MAX:
                s0 = amps[-1]
                seg = tail(s0)
                if _ENTITY_RE.fullmatch(seg):
                    dec = html.unescape(seg)
                    if dec != seg:
                        replace(s0, _fold_str(dec))
        elif ch == ">":
            if lts and lts[-1] > last_gt:
                s0 = lts[-1]
                m = _PLAIN_TAG_RE.fullmatch(tail(s0))
                if m:
                    replace(s0, _tag_rep(m))
                    return
            last_gt = k

    def feed_all(ch: str, a: int, b: int) -> None:
        feed(ch, a, b)
        while pending:
            feed(*pending.pop())

    pos = 0
    search = _HTML_SPECIAL_RE.search
    while True:
        m = search(text, pos)
        i = m.start() if m else n
        if i > pos:
            parts.append(text[pos:i])
            ns.extend(starts[pos:i])
            ne.extend(ends[pos:i])
            size += i - pos
        if m is None:
            break
        c = text[i]
        pos = i + 1
        if c == "&" and text.startswith("nbsp", pos) and not (
                pos + 4 < n and (text[pos + 4].isascii() and text[pos + 4].isalnum()
                                 or text[pos + 4] == ";")):
            k = size                                     # &nbsp without its ';'
            for q in range(i, i + 5):
                feed_all(text[q], starts[q], ends[q])
            replace(k, _fold_str("\xa0"))
            while pending:
                feed(*pending.pop())
            pos = i + 5
            continue
        if c == "<":
            if text.startswith("!--", pos) and not no_comment_end:
                e = text.find("-->", pos + 3)
                if e >= 0:                               # a comment: dropped
                    changed = True
                    pos = e + 3
                    continue
                no_comment_end = True
            r = _RAW_OPEN_RE.match(text, i)
            if r and r.group(1).lower() not in no_raw_close:
                close = _RAW_CLOSE_RE[r.group(1).lower()].search(text, r.end())
                if close:                                # <script>...</script>: dropped
                    changed = True
                    pos = close.end()
                    continue
                no_raw_close.add(r.group(1).lower())
        feed_all(c, starts[i], ends[i])
    return "".join(parts), ns, ne, changed


# ---------------------------------------------------------------------------------------------
# stage 3: site junk (conservative)


_JUNK_LINE_WORDS = ("热点资讯", "推荐资讯", "最新更新", "发表评论", "取消回复", "推荐内容", "相关阅读",
                    "相关文章", "热门文章", "最新文章", "猜你喜欢", "返回顶部", "打印本页", "关闭窗口",
                    "熱點資訊", "推薦資訊", "發表評論", "推薦內容", "相關閱讀", "相關文章", "熱門文章",
                    "返回頂部", "關閉窗口")
_JUNK_RE = re.compile(
    # template tags of site builders, e.g. {jz:field.toptypename/}
    r"\{[a-z]{1,10}:[A-Za-z0-9_.:= \"'/-]{1,80}/?\}"
    # whole lines made only of site-chrome words
    r"|^[ \u3000]*(?:(?:" + "|".join(_JUNK_LINE_WORDS) + r")[ \u3000]*)+(?:\n|$)"
    # breadcrumbs: 你的位置:站点 > 栏目 >
    r"|^[ ]*(?:你的|您的|你的当前|您的当前|当前|當前)位置 ?: ?[^\n]{0,80}>[^\n]{0,40}(?:\n|$)"
    # stock tickers inserted between two Chinese characters: 线下(300959)贩卖
    rf"|(?<=[{_HAN}])\((?:[036]\d{{5}})(?:\.S[HZ])?\)(?=[{_HAN}])",
    re.M)


def _junk_edits(text: str) -> list:
    return [(m.start(), m.end(), "") for m in _JUNK_RE.finditer(text)]


# ---------------------------------------------------------------------------------------------
# stage 4: pinyin after characters


_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_PY_LETTERS = "a-zA-Zü" + _TONED + "ɑɡ"
_PINYIN_RE = re.compile(
    rf"(?<=[{_HAN}])\( ?([{_PY_LETTERS}]{{1,7}}[1-5]?(?:[ '’-][{_PY_LETTERS}]{{1,7}}[1-5]?){{0,5}}) ?\)"
    # the bracket of a pinyin group sometimes came out as "?" (lost encoding): 日?qǐng)
    rf"|\?([{_PY_LETTERS}]{{1,7}})\)")
_PINYIN_NEXT_RE = re.compile(
    rf"\( ?([{_PY_LETTERS}]{{1,7}}[1-5]?(?:[ '’-][{_PY_LETTERS}]{{1,7}}[1-5]?){{0,5}}) ?\)")
_SYL_SPLIT = re.compile(r"[ '’-]+")


def _strip_tone(s: str) -> str:
    s = s.lower().replace("ɑ", "a").replace("ɡ", "g").replace("v", "ü")
    return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))


_SYLLABLES_FILE = Path(__file__).with_name("data") / "pinyin_syllables.txt"


def pinyin_syllables_from_pypinyin() -> list[str]:
    """Every toneless syllable of pypinyin's character readings (the source of
    data/pinyin_syllables.txt: `python -m lawie.infer.clean write-syllables`)."""
    from pypinyin.pinyin_dict import pinyin_dict
    return sorted({_strip_tone(r) for v in pinyin_dict.values() for r in v.split(",")})


@lru_cache(maxsize=1)
def _syllables() -> frozenset:
    # a small committed list: reading pypinyin's whole table costs ~0.5 s at the first pinyin group
    return frozenset(_SYLLABLES_FILE.read_text(encoding="utf-8").split())


@lru_cache(maxsize=1)
def _pinyin_dict():
    from pypinyin.pinyin_dict import pinyin_dict
    return pinyin_dict


@lru_cache(maxsize=8192)
def _readings(ch: str) -> frozenset:
    pinyin_dict = _pinyin_dict()
    out = set()
    for c in {ch, _t2s_char(ch)}:
        v = pinyin_dict.get(ord(c))
        if v:
            out.update(_strip_tone(r) for r in v.split(","))
    return frozenset(out)


def _is_pinyin(group: str, before: str) -> bool:
    """Is ``group`` (the text inside the brackets) a pinyin annotation of the chars ``before``?"""
    syllables = _syllables()
    toks = [t for t in _SYL_SPLIT.split(group) if t]
    if not toks:
        return False
    toned = any(t[-1] in "12345" or any(c in _TONED for c in t.lower()) for t in toks)
    bases = [_strip_tone(t.rstrip("12345")) for t in toks]
    if not all(b in syllables for b in bases):
        return False
    if toned:
        return True
    # toneless (neutral tone: 們(men)): only when it is a reading of the preceding characters
    if len(before) < len(bases):
        return False
    return all(b in _readings(c) for b, c in zip(bases, before[len(before) - len(bases):]))


def _pinyin_edits(text: str) -> list:
    """Pinyin groups to drop; a group right after a dropped one (發(fā)(fā)) annotates the same
    characters, so a run of groups goes in one pass (linear, not one group per round)."""
    edits = []
    done = 0
    for m in _PINYIN_RE.finditer(text):
        if m.start() < done:
            continue
        if m.group(1) is not None:
            group = m.group(1)
            k = len(_SYL_SPLIT.split(group))
            before = text[max(0, m.start() - k):m.start()]
            if _is_pinyin(group, before):
                edits.append((m.start(), m.end(), ""))
                j = m.end()
                while (nxt := _PINYIN_NEXT_RE.match(text, j)) is not None:
                    g = nxt.group(1)
                    k = len(_SYL_SPLIT.split(g))
                    if not _is_pinyin(g, text[max(0, m.start() - k):m.start()]):
                        break
                    edits.append((j, nxt.end(), ""))
                    j = nxt.end()
                done = j
        else:
            group = m.group(2)
            if any(c in _TONED for c in group) and _is_pinyin(group, ""):
                edits.append((m.start(), m.end(), ""))
    return edits


# ---------------------------------------------------------------------------------------------
# stage 5: traditional -> simplified


@lru_cache(maxsize=1)
def _opencc():
    import opencc
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=65536)
def _t2s_char(ch: str) -> str:
    out = _opencc().convert(ch)
    return out if len(out) == 1 else ch


_CHUNK_RE = re.compile(r"[^\n。！？!?；;]*[\n。！？!?；;]?")


def _t2s(text: str) -> str:
    """OpenCC t2s, phrase-aware where it keeps the length, char by char where it would not."""
    conv = _opencc()
    out = conv.convert(text)
    if len(out) == len(text):
        return out
    parts = []
    for m in _CHUNK_RE.finditer(text):
        chunk = m.group()
        if not chunk:
            continue
        c = conv.convert(chunk)
        if len(c) != len(chunk):
            c = "".join(_t2s_char(ch) for ch in chunk)
        parts.append(c)
    return "".join(parts)


def _stage_t2s(text, starts, ends):
    for _ in range(3):
        new = _t2s(text)
        if new == text:
            break
        text = new
    return text, starts, ends


# ---------------------------------------------------------------------------------------------
# stage 6: spinning


@dataclass(frozen=True)
class SpinEntry:
    """One line of spin.tsv: ``clean`` was rewritten as ``spun`` by a synonym spinner."""

    clean: str
    spun: str
    prev: tuple = ()          # spun text must be preceded by one of these (empty: no condition)
    not_prev: tuple = ()      # ... and by none of these
    next: tuple = ()          # spun text must be followed by one of these
    not_next: tuple = ()      # ... and by none of these
    line: int = 0

    @property
    def plain(self) -> bool:
        """No context conditions."""
        return not (self.prev or self.not_prev or self.next or self.not_next)

    def applies(self, text: str, i: int, j: int) -> bool:
        """Do the context conditions hold for the occurrence text[i:j]?"""
        if self.prev and not any(text.startswith(p, i - len(p)) and i >= len(p) for p in self.prev):
            return False
        if self.not_prev and any(text.startswith(p, i - len(p)) and i >= len(p) for p in self.not_prev):
            return False
        if self.next and not any(text.startswith(p, j) for p in self.next):
            return False
        if self.not_next and any(text.startswith(p, j) for p in self.not_next):
            return False
        return True


_COND_RE = re.compile(r"^(!?)(prev|next)=(.+)$")


def load_spin_table(path=None) -> list[SpinEntry]:
    """Read spin.tsv (``clean<TAB>spun[<TAB>conditions]``, ``#`` comments); default: the bundled one.

    Raises ValueError naming the file and line for a malformed line."""
    if path is None:
        src = resources.files("lawie.infer").joinpath("data/spin.tsv")
        name = "lawie/infer/data/spin.tsv"
        content = src.read_text(encoding="utf-8")
    else:
        name = str(path)
        try:
            with open(path, encoding="utf-8") as f:
                content = f.read()
        except (OSError, UnicodeDecodeError) as e:
            raise ValueError(f"{name}: cannot read spin table ({e})") from None
    entries = []
    for no, raw in enumerate(content.split("\n"), 1):
        line = raw.rstrip("\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) not in (2, 3) or not cols[0] or not cols[1]:
            raise ValueError(f"{name}:{no}: expected 'clean<TAB>spun[<TAB>conditions]', got {line!r}")
        clean_s, spun = cols[0], cols[1]
        if len(clean_s) > len(spun):
            raise ValueError(f"{name}:{no}: clean {clean_s!r} is longer than spun {spun!r}")
        cond = {"prev": (), "not_prev": (), "next": (), "not_next": ()}
        if len(cols) == 3:
            for tok in cols[2].split():
                m = _COND_RE.match(tok)
                if not m:
                    raise ValueError(f"{name}:{no}: bad condition {tok!r} (use prev=, !prev=, next=, !next=)")
                key = ("not_" if m.group(1) else "") + m.group(2)
                cond[key] = tuple(x for x in m.group(3).split("|") if x)
        entries.append(SpinEntry(clean_s, spun, line=no, **cond))
    return entries


class _Unspinner:
    """Leftmost-longest matching of the spun keys; context conditions decide between candidates."""

    def __init__(self, entries: list[SpinEntry]):
        self.by_key: dict[str, list[SpinEntry]] = {}
        for e in entries:
            if len(e.spun) < 2:
                raise ValueError(f"spin.tsv line {e.line}: spun key {e.spun!r} must have 2+ chars")
            self.by_key.setdefault(e.spun, []).append(e)
        self.bigrams = {k[:2] for k in self.by_key}
        self.lengths: dict[str, list[int]] = {}
        for k in self.by_key:
            self.lengths.setdefault(k[:2], []).append(len(k))
        for v in self.lengths.values():
            v.sort(reverse=True)
        firsts = "".join(sorted({k[0] for k in self.by_key}))
        seconds = "".join(sorted({k[1] for k in self.by_key}))
        # candidate positions: a possible first char followed by a possible second char (in C)
        self.cand_re = re.compile(f"[{re.escape(firsts)}](?=[{re.escape(seconds)}])") if firsts else None

    def edits(self, text: str) -> list:
        if self.cand_re is None:
            return []
        edits = []
        pos = 0
        n = len(text)
        by_key, lengths = self.by_key, self.lengths
        search = self.cand_re.search
        while True:
            m = search(text, pos)
            if m is None:
                break
            i = m.start()
            hit = None
            for L in lengths.get(text[i:i + 2], ()):
                if i + L > n:
                    continue
                for e in by_key.get(text[i:i + L], ()):
                    if e.plain or e.applies(text, i, i + L):
                        hit = (i, i + L, e.clean)
                        break
                if hit:
                    break
            if hit:
                edits.append(hit)
                pos = hit[1]
            else:
                pos = i + 1
        return edits


@lru_cache(maxsize=1)
def _default_unspinner() -> _Unspinner:
    return _Unspinner(load_spin_table())


# ---------------------------------------------------------------------------------------------
# stage 7: punctuation in Chinese context


_PUNCT_RE = re.compile(r"[,:;!?()]")
_WIDE = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？", "(": "（", ")": "）"}


def _neighbour(text: str, i: int, step: int, skip: str = " ") -> str:
    """Nearest character left (step -1) or right (+1) of i, skipping spaces (not newlines).
    (For runs like "??" or "!?", _punct_edits looks past the whole run once.)"""
    n = len(text)
    k = i + step
    while 0 <= k < n and text[k] in skip:
        k += step
    return text[k] if 0 <= k < n else ""


_MARK_RUN_RE = re.compile(r"[ !?]+")


def _next_after(text: str, positions: list, find) -> dict:
    """{p: find(text, p + 1)} for ascending ``positions``, each character searched once: the
    answer for p holds for every later p' below it (nested brackets cost no rescans)."""
    out, hit = {}, -1
    for p in positions:
        if hit <= p:
            hit = find(text, p + 1)
        out[p] = hit
    return out


def _punct_edits(text: str) -> list:
    """Decide on the folded text (all ASCII) which punctuation becomes full-width. Linear: a run
    of !? marks shares its neighbours, a bracket pair's interior is searched once."""
    cjk = _CJK_RE.match
    n = len(text)
    wide: list[int] = []
    stack: list[int] = []  # open '(' on the current line
    marks: dict = {}       # ! or ? position -> becomes full-width
    if "!" in text or "?" in text:
        for m in _MARK_RUN_RE.finditer(text):
            a, b = m.start(), m.end()
            if b - a == 1 and text[a] == " " or "!" not in m.group() and "?" not in m.group():
                continue
            left = text[a - 1] if a > 0 else ""
            right = text[b] if b < n else ""
            w = bool((left and cjk(left)) or (right and cjk(right)))
            for k in range(a, b):
                if text[k] in "!?":
                    marks[k] = w
    if "(" in text:
        opens = [m.start() for m in re.finditer(r"\(", text)]

        def find_nl(t, p):
            k = t.find("\n", p - 1)
            return n if k < 0 else k + 1     # (hit means: a newline at hit - 1 >= p - 1)

        def find_cjk(t, p):
            m = _CJK_RE.search(t, p)
            return m.start() if m else n
        next_nl = _next_after(text, opens, find_nl)
        next_cjk = _next_after(text, opens, find_cjk)
    for m in _PUNCT_RE.finditer(text):
        i = m.start()
        c = text[i]
        if c == "(":
            stack.append(i)
            continue
        if c == ")":
            if stack:
                o = stack.pop()
                if next_nl[o] <= i:          # a newline in text[o:i]
                    stack.clear()
                else:
                    left, right = _neighbour(text, o, -1), _neighbour(text, i, 1)
                    if (left and cjk(left)) or (right and cjk(right)) or next_cjk[o] < i:
                        wide.append(o)
                        wide.append(i)
                    continue
            left, right = _neighbour(text, i, -1), _neighbour(text, i, 1)
            if (left and cjk(left)) or (right and cjk(right)):
                wide.append(i)
            continue
        if c in ",:" and 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit() \
                and text[i - 1].isascii() and text[i + 1].isascii():
            continue  # 1,200  10:16:49
        if c in "!?":
            if marks[i]:
                wide.append(i)
            continue
        left, right = _neighbour(text, i, -1), _neighbour(text, i, 1)
        if (left and cjk(left)) or (right and cjk(right)):
            wide.append(i)
    # unmatched '(' left on the stack
    for o in stack:
        left, right = _neighbour(text, o, -1), _neighbour(text, o, 1)
        if (left and cjk(left)) or (right and cjk(right)):
            wide.append(o)
    wide.sort()
    return [(i, i + 1, _WIDE[text[i]]) for i in wide]


def _stage_punct(text, starts, ends):
    edits = _punct_edits(text)
    if not edits:
        return text, starts, ends
    chars = list(text)
    for i, _, rep in edits:
        chars[i] = rep
    return "".join(chars), starts, ends   # 1:1


# ---------------------------------------------------------------------------------------------
# the pipeline


_MAX_ROUNDS = 24   # HTML/junk/pinyin rounds in one clean(): ordinary text needs 1-3


def clean(text: str, *, unspin: bool = True) -> Cleaned:
    """Clean ``text`` and keep the map from each clean character to its original span.

    ``unspin=False`` skips undoing the synonym spinning (step 6)."""
    if not isinstance(text, str):
        raise TypeError(f"clean() expects a str, got {type(text).__name__}")
    n = len(text)
    starts = list(range(n))
    ends = list(range(1, n + 1))
    t = text
    t, starts, ends = _stage_chars(t, starts, ends)
    unspinner = _default_unspinner() if unspin else None
    rounds = _MAX_ROUNDS
    for _ in range(8):
        # HTML, junk and pinyin removal can uncover each other (<{jz:x/}p>, 下(fā)(300959)贩卖):
        # repeat them until none applies. Every round shortens the text, so this terminates;
        # nesting resolves within one round (see _stage_html, _pinyin_edits), and the round cap
        # keeps a hostile text linear (what is still nested past it stays in the text).
        while rounds > 0:
            rounds -= 1
            t, starts, ends, changed = _stage_html(t, starts, ends)
            if changed:
                continue
            edits = _junk_edits(t) or _pinyin_edits(t)
            if not edits:
                break
            t, starts, ends = _rewrite(t, starts, ends, edits)
        t, starts, ends = _stage_t2s(t, starts, ends)
        # unspinning can uncover a longer spun key (东说念主东说念主利益) or change the char that
        # a toneless pinyin note follows: go round again until it finds nothing
        edits = unspinner.edits(t) if unspinner else None
        if not edits:
            break
        t, starts, ends = _rewrite(t, starts, ends, edits)
    t, starts, ends = _stage_punct(t, starts, ends)
    return Cleaned(text, t, starts, ends)


# ---------------------------------------------------------------------------------------------
# measurements: python -m lawie.infer.clean bench | spin-report


def _bench(paths: list[str], repeat: int) -> None:
    texts = [open(p, encoding="utf-8").read() for p in paths]
    total = sum(map(len, texts))
    clean("warm up 發(fā)布")
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for t in texts:
            clean(t)
        best = min(best, time.perf_counter() - t0)
    print(f"{total} chars in {len(texts)} files: best of {repeat}: {best * 1000:.1f} ms "
          f"= {total / best / 1e6:.2f} M chars/s")


def _sentences(text: str) -> list[str]:
    out = []
    for line in text.split("\n"):
        for s in re.split(r"(?<=[。；！？])", line):
            s = s.strip()
            if len(s) >= 8:
                out.append(s)
    return out


def _spin_report(clean_path: str, spun_path: str) -> None:
    import difflib
    ref = clean(open(clean_path, encoding="utf-8").read(), unspin=False).text
    raw = open(spun_path, encoding="utf-8").read()
    before = clean(raw, unspin=False).text
    after = clean(raw).text
    sents = _sentences(ref)

    def score(text):
        verbatim = sum(1 for s in sents if s in text)
        lines = [x for x in text.split("\n") if x.strip()]
        matched = total = 0
        for s in sents:
            best = max(lines, key=lambda x: difflib.SequenceMatcher(None, s, x, autojunk=False)
                       .find_longest_match(0, len(s), 0, len(x)).size)
            sm = difflib.SequenceMatcher(None, s, best, autojunk=False)
            matched += sum(b.size for b in sm.get_matching_blocks())
            total += len(s)
        return verbatim, matched / total

    for name, text in (("before unspin", before), ("after unspin", after)):
        v, sim = score(text)
        print(f"{name}: {v}/{len(sents)} sentences of {clean_path} verbatim; "
              f"char-level similarity {sim:.3f}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m lawie.infer.clean")
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("bench", help="chars/s of clean() on files")
    b.add_argument("files", nargs="+")
    b.add_argument("--repeat", type=int, default=20)
    r = sub.add_parser("spin-report", help="sentences of CLEAN found in cleaned SPUN")
    r.add_argument("clean")
    r.add_argument("spun")
    c = sub.add_parser("show", help="print the clean text of a file")
    c.add_argument("file")
    sub.add_parser("write-syllables", help=f"regenerate {_SYLLABLES_FILE.name} from pypinyin")
    a = ap.parse_args(argv)
    try:
        if a.cmd == "write-syllables":
            _SYLLABLES_FILE.write_text("\n".join(pinyin_syllables_from_pypinyin()) + "\n",
                                       encoding="utf-8")
            print(_SYLLABLES_FILE)
        elif a.cmd == "bench":
            _bench(a.files, a.repeat)
        elif a.cmd == "spin-report":
            _spin_report(a.clean, a.spun)
        else:
            sys.stdout.write(clean(open(a.file, encoding="utf-8").read()).text)
    except (OSError, UnicodeDecodeError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
