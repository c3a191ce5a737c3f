"""Word boundaries of the clean text, from jieba's dictionary segmentation (its HMM guesser off).

The model reads characters, so a span it predicts can begin or end inside a word: 开设|店铺 gives
the fragment 开设店, 行政处|罚 gives 行政处. `leaves_fragment` tells such spans apart from the
legitimate ones that only split a compound the dictionary happens to list (刑事判决 → 判决,
严肃查处 → 查处, 委员会制|发检察建议 → 制发检察建议): a span may cut a dictionary word only where
the text outside it, segmented on its own, begins (or ends) with a word of two or more characters.
"""
from __future__ import annotations

import bisect
import logging
import tempfile
from functools import lru_cache

from lawie.labels.lexicon import words
from lawie.paths import cache_root

# words of the genre that jieba's general dictionary lacks, so that it joins them to a neighbour
# (委员会制|发检察建议): the ACTION examples of ANNOTATION.md and their verbs
# (labels/data/lexicon/domain_words.tsv)
DOMAIN_WORDS = words("domain_words.tsv")


@lru_cache(maxsize=1)
def _tokenizer():
    import jieba

    # jieba reports its progress and a failed cache write on stderr; neither is the user's concern
    jieba.setLogLevel(logging.CRITICAL)
    tok = jieba.Tokenizer()
    # its cache is a marshal file (unsafe to load from an untrusted source): keep it in lawie's own
    # cache, not a shared temp dir where another user could plant one
    try:
        tmp = cache_root() / "jieba"
        tmp.mkdir(parents=True, exist_ok=True, mode=0o700)
        tok.tmp_dir = str(tmp)
    except OSError:
        tok.tmp_dir = tempfile.mkdtemp(prefix="lawie-jieba-")
    tok.initialize()
    for w in DOMAIN_WORDS:
        tok.add_word(w)
    return tok


def is_word(s: str) -> bool:
    """True when `s` is an entry of jieba's dictionary."""
    return _tokenizer().FREQ.get(s, 0) > 0


@lru_cache(maxsize=8)
def word_bounds(text: str) -> "WordBounds":
    """The WordBounds of `text`, kept for the last few texts (a document's spans are checked one
    by one against the same text)."""
    return WordBounds(text)


class WordBounds:
    """The words of one text as (start, end) offsets."""

    def __init__(self, text: str):
        self.text = text
        starts, ends, i = [], [], 0
        for w in _tokenizer().cut(text, HMM=False):
            starts.append(i)
            i += len(w)
            ends.append(i)
        if i != len(text):                        # never seen; then no boundary is trusted
            starts, ends = [], []
        self._starts, self._ends = starts, ends

    def words(self) -> list[tuple[int, int]]:
        """The words as (start, end), in order (empty when the segmentation failed)."""
        return list(zip(self._starts, self._ends))

    def word_around(self, i: int):
        """The word that position `i` falls strictly inside, as (start, end), or None when `i` is
        a word boundary."""
        k = bisect.bisect_right(self._starts, i) - 1
        if k < 0 or not self._starts:
            return None
        s, e = self._starts[k], self._ends[k]
        return (s, e) if s < i < e else None

    def leaves_fragment(self, start: int, end: int) -> bool:
        """True when the span [start, end) cuts a word and what it cuts off is no word of its own.

        The part outside is segmented again on its own, so that a boundary inside a dictionary
        compound stays legal when both sides read as words (委员会制|发 → 委员会 | 制发检察建议):
        the fragment test fails only where the outside word is a single character or not in the
        dictionary (开设店|铺, 行政处|罚, 刑|事附带). A span may always begin after a preposition
        or a date (对|华盈公司, 20日|常州警方)."""
        tok = _tokenizer()
        for pos, before in ((start, True), (end, False)):
            if self.word_around(pos) is None:
                continue
            if before:
                if self.text[pos - 1] in _PREPOSITIONS:
                    continue                      # 对|华盈公司: jieba read 对华 as a word
                words = list(tok.cut(self.text[max(0, pos - _CONTEXT):pos], HMM=False))
                outside = words[-1] if words else ""
            else:
                words = tok.cut(self.text[pos:pos + _CONTEXT], HMM=False)
                outside = next(iter(words), "")
            if len(outside) < 2 or not is_word(outside):
                return True
        return False


_CONTEXT = 12   # characters of context segmented on each side of a cut
# a span may begin right after one of these function characters, or the end of a date, even where
# the dictionary joins them to its first character (对华盈公司, 对数智公司, 向海东市…, 网上爬取,
# 20日常州警方); not after 中, which forms words of its own with what follows (法中|专设)
_PREPOSITIONS = frozenset("对向给被与和及由将把从让在于上的了并又也就都再已还曾均年月日号")
