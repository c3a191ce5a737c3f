"""The units of the clean text the output rules read, each defined once: the punctuation a span
may not begin or end with, and the boundaries of sentences, clauses and list items.

    trim_edges(text, start, end)                 -> (start, end) without edge punctuation
    unit_start(text, pos, END)                   -> where the unit (sentence, clause) holding pos
                                                    begins: after the last END before pos
    unit_of(text, pos, END)                      -> (start, end) of that unit

The rules disagree, on purpose, on what ends a unit; each boundary below names who reads it. A
line break ends a unit where the rule reads typed text, and none where it reads copies of PDFs
(which break lines inside sentences: the nearest-mention rule).
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache

# ---------------------------------------------------------------- span edges
# never the first or last character of a span (ANNOTATION.md: spans exclude surrounding
# punctuation and whitespace). Not 《》: a STATUTE keeps its title brackets, and no other span
# is cut at them here (the decoder, infer/decode.py, trims every other type at any Unicode
# punctuation, 《》 included, before the rules see the span).
EDGE_CHARS = frozenset(" \t\r\n\u3000，。、；：！？,.;:!?“”\"'‘’（）()【】[]「」『』<>〈〉")


def trim_edges(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) so that it neither starts nor ends with whitespace / punctuation
    (EDGE_CHARS)."""
    while start < end and text[start] in EDGE_CHARS:
        start += 1
    while end > start and text[end - 1] in EDGE_CHARS:
        end -= 1
    return start, end


# ---------------------------------------------------------------- unit boundaries
_STOPS = "。！？!?"          # what ends a sentence
_SEMIS = "；;"
_COMMAS = "，,"
_COLONS = "：:"

# a sentence (up to 。！？): where the nearest-mention rule looks second (document._nearest)
SENTENCE_STOP = re.compile(f"[{_STOPS}]")
# a sentence or a line (no ；): where the outcome rules find a SENTENCE's act (outcomes)
SENTENCE_LINE_END = re.compile(f"[{_STOPS}\n]")
# a ；-clause where a line break ends none: where the nearest-mention rule looks first
CLAUSE_STOP = re.compile(f"[{_STOPS}{_SEMIS}]")
# a ；-clause or a line: the passive-voice and subject-anaphor rules' "sentence" (document) and
# the outcome rules' clause of one defendant (判处甲…；判处乙…: outcomes.own_defendants)
CLAUSE_LINE_END = re.compile(f"[{_STOPS}{_SEMIS}\n]")
# a comma clause or a line: irrealis context, passive voice, a violation's count (document)
COMMA_CLAUSE_END = re.compile(f"[{_STOPS}{_SEMIS}{_COMMAS}{_COLONS}\n]")
# punctuation between an act and its object that makes it no object (document._nearest)
LIST_PUNCT = re.compile(f"[{_COMMAS}、{_STOPS}{_SEMIS}{_COLONS}\n]")


@lru_cache(maxsize=16)
def _boundaries(text: str, end) -> list[int]:
    """Start offsets of every ``end`` match in ``text`` (each boundary is one character), found
    once per text and pattern: the rules ask for units many times, and a scan from the start of
    the text for each would make a long document quadratic."""
    return [m.start() for m in end.finditer(text)]


def unit_start(text: str, pos: int, end=CLAUSE_LINE_END) -> int:
    """Where the unit holding ``pos`` begins: right after the last ``end`` match before pos."""
    marks = _boundaries(text, end)
    k = bisect.bisect_left(marks, pos)
    return marks[k - 1] + 1 if k else 0


def unit_of(text: str, pos: int, end=SENTENCE_LINE_END) -> tuple[int, int]:
    """(start, end) of the unit holding ``pos``: from after the last ``end`` match before it to
    the next one at or after it (or the end of the text)."""
    marks = _boundaries(text, end)
    k = bisect.bisect_left(marks, pos)
    return (marks[k - 1] + 1 if k else 0), (marks[k] if k < len(marks) else len(text))
