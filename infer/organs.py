"""Organ-name gazetteer: a state organ named by administrative divisions and an organ word.

    organ_names("重庆市某区人民检察院在履职中发现…")  ->  [(0, 10)]

A name is one or more division names in a row (重庆市, 芜湖市, 肥西县, the province and city short
forms 重庆 / 广东, or an anonymized 某省 / 某市 / 某区 / 某县), then one organ word (人民检察院, 法院,
公安局, 市场监管局, 网信办 ...) and, where one follows, a unit of it (第五检察部, 网安大队). The divisions are ``labels/data/divisions.tsv`` (3,182 real
divisions, the table the generator draws from), read into a trie (hanlp_trie, longest match).
County short forms (东城, 丰台) are left out: alone they are too often ordinary words.

Organs named without a division, national ones of the mainland (公安部, 最高人民法院) and those of
Hong Kong, Macau and Taiwan (律政司, 个人资料私隐专员公署, 数位发展部), are
``labels/data/lexicon/named_organs.tsv`` with the two columns of ``labels/data/agency_aliases.tsv``
(``named_organs``, longest match); the span rule keeps one only where it stands as a whole word
(公安部门 is a generic noun).

``lawie.infer.document.prepare_spans`` uses the names to mend what the model reads: a PARTY or
AGENCY fragment inside a name (重庆[市某]区人民检察院) becomes the whole name as AGENCY, and a name
the model missed altogether is added with the gazetteer's measured precision as its score.
"""
from __future__ import annotations

import re
from functools import lru_cache

from hanlp_trie import Trie

from lawie.labels.divisions import gazetteer_rows, regional_rows
from lawie.labels.lexicon import words
from lawie.labels.values import agency_aliases

# organ words a name ends in, longest first where one is the end of another
ORGAN_WORDS = words("organ_words.tsv")
_ORGAN_WORD = re.compile("|".join(ORGAN_WORDS))
# a unit of the organ named right after it: 第五检察部, 网安大队, 执法支队, 民事审判庭
_SUB_UNIT = re.compile(r"第[一二三四五六七八九十]{1,3}(?:检察部|检察室|审判庭)|网安(?:大队|支队|总队)|"
                       r"网监大队|执法(?:支队|大队|总队)|稽查(?:支队|大队|总队|局)|治安大队|"
                       r"刑侦(?:大队|支队)|经侦(?:大队|支队)|[民刑行][事政]审判庭")
_ANONYMIZED = re.compile(r"某[省市区县]")

# The score of a name the gazetteer adds: its precision on the seed gold and real dev texts, where
# 106 of the 108 names it finds are exactly a gold AGENCY (python -m lawie.infer.organs PRECISION
# corpus/gold/*.jsonl ../shared/dev/real-dev.jsonl, 2026-12-08), as the rule of succession
# (106+1)/(108+2).
GAZETTEER_SCORE = 0.973


@lru_cache(maxsize=1)
def _trie() -> Trie:
    names = {}
    for d in gazetteer_rows():
        for name in (d.province, d.province_alias, d.city, d.city_alias, d.county):
            if len(name) >= 2:
                names[name] = True
    for d in regional_rows():          # Hong Kong's courts go by the district without 区 (观塘裁判法院)
        if len(d.county_alias) >= 2:
            names[d.county_alias] = True
    return Trie(names)


def division_ends(text: str) -> dict[int, int]:
    """{start: end} of the longest division name (or 某X) starting at each position."""
    ends: dict[int, int] = {}
    for s, e, _ in _trie().parse(text):               # every match: 联[合肥|肥西县] holds both
        if e > ends.get(s, 0):
            ends[s] = e
    for m in _ANONYMIZED.finditer(text):
        ends.setdefault(m.start(), m.end())
    return ends


def name_start(text: str, start: int, ends: dict[int, int] | None = None) -> int:
    """Where a name beginning at ``start`` really begins: a name never starts inside a division
    name (上海市闵行[区某医院] -> [上海市闵行区某医院]); from a division name crossing ``start`` the
    name reaches back over the division names right before it. ``ends`` is division_ends(text)."""
    ends = division_ends(text) if ends is None else ends
    crossing = [s for s, e in ends.items() if s < start < e]
    if not crossing or start in ends:                 # 联[合肥]|肥西县: a division starts here
        return start
    start = min(crossing)
    ending = {}
    for s, e in ends.items():
        ending.setdefault(e, []).append(s)
    while start in ending:                            # 上海市|闵行区
        start = min(ending[start])
    return start


@lru_cache(maxsize=1)
def _named_trie() -> Trie:
    names = set(words("named_organs.tsv"))
    for short, full in agency_aliases().items():
        names.update((short, full))
    return Trie({n: True for n in names if len(n) >= 2})


def named_organs(text: str) -> list[tuple[int, int]]:
    """(start, end) of the longest organ name of ``named_organs.tsv`` (and of agency_aliases.tsv)
    at each place, left to right: organs named without a division (公安部, 最高人民法院, 律政司)."""
    return [(s, e) for s, e, _ in _named_trie().parse_longest(text)]


def organ_names(text: str, ends: dict[int, int] | None = None) -> list[tuple[int, int]]:
    """(start, end) of every organ name in ``text``: division names in a row, then an organ word.
    ``ends`` is division_ends(text), when the caller has it already."""
    ends = division_ends(text) if ends is None else ends
    out = []
    pos = 0
    for start in sorted(ends):
        if start < pos:
            continue
        end = ends[start]
        while end in ends:                            # 安徽省|芜湖市|…
            end = ends[end]
        m = _ORGAN_WORD.match(text, end)
        if m:
            unit = _SUB_UNIT.match(text, m.end())
            pos = unit.end() if unit else m.end()
            out.append((start, pos))
    return out


def _precision(files: list[str]) -> None:
    import json

    from lawie.infer.clean import clean
    found = exact = 0
    for f in files:
        with open(f, encoding="utf-8") as fh:
            for line in fh:
                doc = json.loads(line)
                c = clean(doc["text"])
                gold = {(e["start"], e["end"]) for e in doc["entities"] if e["type"] == "AGENCY"}
                for s, e in organ_names(c.text):
                    found += 1
                    exact += c.to_original(s, e) in gold
    print(f"{found} names, {exact} exactly a gold AGENCY: precision {exact / max(found, 1):.3f}")


if __name__ == "__main__":
    import sys
    if len(sys.argv) < 3 or sys.argv[1] != "PRECISION":
        sys.exit("usage: python -m lawie.infer.organs PRECISION GOLD.jsonl ...")
    _precision(sys.argv[2:])
