"""Span rules: the guideline's conditions on the spans the NER head decoded (clean offsets), applied
before the relation head reads them and again when the document is assembled.

    prepare_spans(clean_text, entities) -> entities        # what Runtime.predict(span_rules=) calls

This is the step  spans -> (span rules) -> relations  of the flow text -> clean -> encode -> spans ->
relations -> normalize -> JSON. ``refine_span`` checks one span (boundaries, whole words, what
cannot be an entity of its type); ``restructure_spans`` mends one entity read as two or two as
one; ``retype`` fixes PARTY / AGENCY; the organ-name gazetteer (lawie.infer.organs) and the
penalty-list rule add what the model missed beside what it read.
"""
from __future__ import annotations

import bisect
import itertools
import re
from functools import lru_cache

from lawie.infer.organs import (GAZETTEER_SCORE, ORGAN_WORDS, division_ends, name_start,
                                named_organs, organ_names)
from lawie.infer.rules import DROP, Final, all_rules, final, rule
from lawie.infer.text import LIST_PUNCT, trim_edges, unit_start
from lawie.infer.words import is_word, word_bounds
from lawie.labels.lexicon import LexiconError, table, words
from lawie.labels.values import RELATIVE_DATE_WORDS, currency_of, normalize, parse_date


def _whole_word_type(type_: str, s: str) -> bool:
    """Whether a span of this type and clean text must not leave a piece of a word outside it
    (corpus/README.md): acts, organs, and companies or one-character PARTY spans. Not checked: the
    values (numbers), and person names, which the dictionary often joins to a neighbour (葛某东,
    张三等)."""
    if type_ in ("ACTION", "AGENCY"):
        return True
    if type_ == "PARTY" and "某" not in s:
        return len(s) == 1 or normalize("PARTY", s)["kind"] == "org"
    return False


# the word lists are language data: labels/data/lexicon/*.tsv (each file says who reads it)
_NOT_DATE = frozenset(words("not_dates.tsv"))
_DATE_MARK = re.compile(r"[年月日旬底初季天周]|\d[-/.]\d|今|去|同|次|前年|明年")
_DATE_TAIL = words("date_tails.tsv")
_DATE_END = "年月日旬底初季"
_AS_OF = tuple(sorted(words("as_of_words.tsv"), key=len, reverse=True))
_NOT_HONORIFIC = frozenset(words("honorific_not_names.tsv"))
# era words before a year (民国, 中华民国: date_eras.tsv), longest first; infer/document.py reads them too
ERA_WORDS = tuple(sorted((w for w, *_ in table("date_eras.tsv", ("era", "offset"))), key=len,
                          reverse=True))
_REGION_GROUPS = frozenset(words("region_groups.tsv"))
_CURRENCY_WORDS = tuple(sorted((w for w, *_ in table("currencies.tsv", ("word", "code"))
                                if len(w) > 1), key=len, reverse=True))
_NO_ACT_LEMMAS = frozenset(w for w, kind, *_ in table("acts.tsv", ("lemma", "kind")) if kind == "none")
_PRONOUNS = tuple(sorted(words("pronouns.tsv"), key=len, reverse=True))
_SPACED_NEXT = re.compile(r"[0-9０-９一二三四五六七八九十]{1,2}\s*[月日号]")
_DIGITS_ONLY = re.compile(r"[0-9０-９\s\-/.~－—–]+")
_ISSUE_IN = re.compile(r"\d\s*期$")                                  # 2019年4期
_ISSUE_AFTER = re.compile(r"\s*(?:\d{4}\s*年\s*)?第?\s*[0-9一二三四五六七八九十]+\s*期(?!间)")
_PUBLICATION_WORDS = tuple(words("publication_words.tsv"))
_TIME_UNIT_AFTER = re.compile(r"\s*(?:" + "|".join(map(re.escape, sorted(
    words("time_units.tsv"), key=len, reverse=True))) + ")")
_YUAN = re.compile(r"[元块圆]")
_NUMERAL = re.compile(r"[0-9一二三四五六七八九十百千万亿两〇零几数]")
_ARTICLE_YI = re.compile(r"一[^0-9一二三四五六七八九十百千万亿两]{1,2}")     # 一名, 一起案件
_STATUTE_ANAPHORS = tuple(words("statute_anaphors.tsv"))
_TITLE_BREAK = re.compile(r"[。，,；;！？\n]")                 # no 》 closes a title past these
_PARTY_GROUPS = words("party_groups.tsv")
_ANON_END = re.compile(r"某(?:某|[甲乙丙丁戊己庚])?")
# 谢某 / 王某甲 / 李某某 followed by a verb the model ran into (谢某联系 -> 谢某)
_PERSON = re.compile(r"^(.某(?:某|[甲乙丙丁戊己庚])?)(.{1,2})$")
_ORG_WORDS = words("company_words.tsv")


def _alternation(ws) -> str:
    return "|".join(map(re.escape, ws))


_TITLE_BEFORE = re.compile(f"(?:{_alternation(words('official_titles.tsv'))})$")
_STATUTE_WORDS = table("statute_words.tsv", ("word", "bare_end"))
if bad := [w for w, bare, *_ in _STATUTE_WORDS if bare not in ("yes", "no")]:
    raise LexiconError(f"labels/data/lexicon/statute_words.tsv: {bad[0]}: bare_end is yes or no")
_STATUTE_WORD = re.compile(_alternation([w for w, *_ in _STATUTE_WORDS] + ["《"]))


# "the shortest verb phrase that names the act": an act word with a function-word prefix or a
# complement suffix is cut to the act word (给予警告 -> 警告, 判决支持 -> 判决, 抓获归案 -> 抓获);
# 立案调查 stays one act (corpus/README.md)
_ACT_WORDS = words("shortest_acts.tsv")
_ACT_PREFIX = words("act_prefixes.tsv")
_ACT_SUFFIX = words("act_suffixes.tsv")
# 责令(立即)改正 / 责令停止 + the object: the act is the order, not what is ordered to stop
_ORDER = re.compile(r"责令(?:立即|限期)?(?:改正|停止|整改)")
# a noun made of an act word (判决书, 立案条件, 窃取量, 立法工作计划): no act of the case
_NOMINAL_NEXT = words("nominal_next.tsv")
# words the model reads as acts that name no act: an illegality adverb alone (非法|经营), people
# named after what they do (卖家, 买家)
_NOT_ACTS = frozenset(words("not_acts.tsv"))
# a bare statute title (no 《》) ends at its statute word or article; what the model ran on into
# is cut (个人信息保护法中 / 行政处罚法等法律法规 -> the title)
_BARE_TITLE = re.compile(
    f"(.+?(?:{_alternation([w for w, bare, *_ in _STATUTE_WORDS if bare == 'yes'])}))"
    r"(第[0-9一二三四五六七八九十百千零〇两]+条(?:之[一二三四五六七八九十])?)?")
_AFTER_TITLE = words("after_title.tsv")
# measure words a COUNT span may have stopped before (3万余|条); without a measure word a number
# is no COUNT (超300万)
_MEASURE = frozenset(words("measure_words.tsv"))
# a preposition or verb the model ran into in front of a name (no name starts with them)
_LEAD_WORDS = words("lead_words.tsv")
DEICTIC_PLACES = words("deictic_places.tsv")     # 本市, 该县, 我区: the text's own place
# an anaphoric or generic noun is no PARTY (该公司, 涉案企业, 一家银行, 金融机构)


def _generic_party() -> re.Pattern:
    parts: dict[str, list] = {"determiner": [], "modifier": [], "noun": []}
    for w, part, *_ in table("generic_parties.tsv", ("word", "part")):
        if part not in parts:
            raise LexiconError(f"labels/data/lexicon/generic_parties.tsv: {w}: part {part!r} is "
                               f"none of {', '.join(parts)}")
        parts[part].append(w)
    return re.compile(f"(?:{_alternation(parts['determiner'])})?(?:{_alternation(parts['modifier'])})*"
                      f"(?:{_alternation(parts['noun'])})+")


_GENERIC_PARTY = _generic_party()


_RELATIVE_DATES = sorted(RELATIVE_DATE_WORDS, key=len, reverse=True)


def _whole_relative_date(text: str, start: int, end: int) -> tuple[int, int]:
    """A DATE span that is a piece of a relative date word in the text (同|日, 第|二日) widened to
    the word; any other span unchanged."""
    s = text[start:end]
    for w in _RELATIVE_DATES:
        if len(w) <= len(s):
            break
        k = w.find(s)
        while k >= 0:
            if start - k >= 0 and text[start - k:start - k + len(w)] == w:
                return start - k, start - k + len(w)
            k = w.find(s, k + 1)
    return start, end


def _titled(text: str, name: str) -> bool:
    """Whether ``name`` follows an official's title somewhere in ``text`` (检委会专职委员王忠勇):
    then every mention of it names an official (王忠勇等人实地走访), who is no PARTY."""
    i = text.find(name)
    while i >= 0:
        m = _TITLE_BEFORE.search(text[max(0, i - 4):i])
        t0 = max(0, i - 4) + m.start() if m else 0          # where the title begins
        if m and not (m.group() in _COMPANY_POSTS
                      and _COMPANY_ENDING.search(text, max(0, t0 - 10), t0)):
            return True
        i = text.find(name, i + 1)
    return False


# posts a company has too: after a company's name (银行客户服务主任陈嘉欣) they name an employee
_COMPANY_POSTS = frozenset(words("company_posts.tsv"))
_COMPANY_ENDING = re.compile(_alternation(words("company_endings.tsv")))


# ------------------------------------------------------------------ span rules (stage "span")
# Each checks one span [start, end) of the clean text and returns None (no change), a new
# (start, end) for the later rules, final(start, end) (as it stays) or DROP; refine_span runs the
# rules of the span's type in order.

@rule("date_relative_word", "span", 10, "DATE: a relative date word is whole (同|日, 第|二日 -> "
      "the word)", types=("DATE",))
def _date_relative_word(text, start, end):
    return _whole_relative_date(text, start, end)


# the next piece of a date written with spaces (2018 年 07 月 02 日): after 年 a month, after 月 a
# day, after digits their unit
SPACE_CHARS = " \t\u3000\u00a0"        # what a web copy spaces Han and digits with (document.py too)
_SPACE = f"[{SPACE_CHARS}]*"


def _has_space(s: str) -> bool:
    return any(c in SPACE_CHARS for c in s)


_SPACED_PIECE = {"年": re.compile(rf"{_SPACE}[0-9０-９]{{1,2}}{_SPACE}月"),
                 "月": re.compile(rf"{_SPACE}[0-9０-９]{{1,2}}{_SPACE}[日号]"),
                 "digit": re.compile(rf"{_SPACE}[年月日号]")}


@rule("date_spaced_tail", "span", 8, "DATE: a date written with spaces runs to its last piece "
      "(2018 年 07 月 02| 日, 2023年 5月| 14 日 -> the whole date)", types=("DATE",))
def _date_spaced_tail(text, start, end):
    new = end
    while new > start:
        last = text[new - 1]
        m = _SPACED_PIECE["digit" if last.isdigit() else last].match(text, new) \
            if last.isdigit() or last in "年月" else None
        if m is None:
            break
        new = m.end()
    if new == end or not _has_space(text[start:new]):
        return None                          # only dates written with spaces
    return start, new


_FEN_NOUN = tuple(words("month_fen_nouns.tsv"))


@rule("date_month_fen", "span", 9, "DATE: 月份 belongs to the date (2022年9月|份 -> 2022年9月份)",
      types=("DATE",))
def _date_month_fen(text, start, end):
    if text[end - 1:end] == "月" and text[end:end + 1] == "份" and text[end + 1:end + 2] not in _FEN_NOUN:
        return start, end + 1
    return None




_TIME_OF_DAY = re.compile(r"(?:\s*(?:[上下]午|凌晨|早上|晚上|中午|傍晚)?\s*[0-9]{1,2}(?::[0-9]{2}){1,2}|"
                         r"\s*(?:[上下]午|凌晨|早上|晚上|中午|傍晚)?\s*[0-9一二三四五六七八九十]{1,3}时"
                         r"(?:[0-9一二三四五六七八九十]{1,3}分)?许?|\s*(?:[上下]午|凌晨|早上|晚上|中午|傍晚))$")


@rule("date_time_of_day", "span", 15, "DATE: the time of day after a date stays outside it "
      "(2026-02-06| 10:16:49, 3月5日|上午10时许: the guideline excludes times of day)",
      types=("DATE",))
def _date_time_of_day(text, start, end):
    m = _TIME_OF_DAY.search(text, start, end)
    if m and m.start() > start and text[m.start() - 1] not in "至到-—~":
        return start, m.start()
    return None


@rule("date_one_char", "span", 20, "DATE: one character is no date (同|时, 同|期)", types=("DATE",))
def _date_one_char(text, start, end):
    return DROP if end - start < 2 else None


@rule("date_not_a_date", "span", 30, "DATE: vague time words (近日, 目前, 周年) and spans with no "
      "date mark are no DATE", types=("DATE",))
def _date_not_a_date(text, start, end):
    s = text[start:end]
    return DROP if s in _NOT_DATE or "周年" in s or not _DATE_MARK.search(s) else None


_YEAR_PERIODS = tuple(sorted((w for w, *_ in table("date_periods.tsv", ("word",)) if len(w) >= 2),
                             key=len, reverse=True))


@rule("date_year_period", "span", 38, "DATE: a part of the year right after a year belongs to the "
      "date (2021年|第三季度 -> 2021年第三季度, 2019年|上半年: date_periods.tsv)", types=("DATE",))
def _date_year_period(text, start, end):
    if text[end - 1:end] == "年":
        w = next((w for w in _YEAR_PERIODS if text.startswith(w, end)), None)
        if w:
            return start, end + len(w)
    return None


@rule("date_tail", "span", 40, "DATE: 期间 / 以来 / 起 after a date stay outside it (2021年5月|以来)",
      types=("DATE",))
def _date_tail(text, start, end):
    s = text[start:end]
    for tail in _DATE_TAIL:
        if s.endswith(tail) and len(s) > len(tail) and s[-len(tail) - 1] in _DATE_END:
            return final(start, end - len(tail))
    return None


@rule("date_as_of", "span", 5, "DATE: 截至 / 截止 before a date stays outside it (截至|3月31日: "
      "the day the figures stand at)", types=("DATE",))
def _date_as_of(text, start, end):
    s = text[start:end]
    for w in _AS_OF:
        if s.startswith(w) and len(s) > len(w):
            return start + len(w), end
    if s.startswith(("至", "止")) and start > 0 and text[start - 1] == "截" and end - start > 1:
        return start + 1, end
    return None


@rule("date_range_word_start", "span", 7, "DATE: no date begins with the word that joins a range "
      "(…起至|112年6月: the span is the second date); 至今 stays", types=("DATE",))
def _date_range_word_start(text, start, end):
    s = text[start:end]
    if s[:1] in ("至", "到") and len(s) > 2 and _NUMERAL.match(s, 1) \
            and text[start - 1:start] != "截":          # 截|至: date_as_of's
        return start + 1, end
    return None


@rule("date_era_word", "span", 6, "DATE: an era word before a year belongs to the date "
      "(中华民国|112年5月26日 -> 中华民国112年5月26日)", types=("DATE",))
def _date_era_word(text, start, end):
    for w in ERA_WORDS:
        if start >= len(w) and text.startswith(w, start - len(w)) and text[start:start + 1].isdigit():
            return start - len(w), end
    return None


_DURATION = re.compile(r"(?:[0-9一二三四五六七八九十百两]{1,3}|半)\s*(?:个\s*)?(?:工作日|日|天|月|周|星期|年)")
# a length of time written with Chinese numerals that no calendar date is (十二年, 三个月, 半年): a
# year is written digit by digit (二〇一二年) and a month has no 个
_SPOKEN_DURATION = re.compile(r"(?:[一二三四五六七八九两]?十[一二三四五六七八九]?|[两几半])\s*年|"
                              r"[一二三四五六七八九十两几半]+\s*个\s*月")
_WITHIN = re.compile(r"\s*(?:以内|之内|内)")


@rule("date_duration", "span", 31, "DATE: a length of time with 内 after it (限期于[30日]内改正, "
      "3个月内) is a duration, no DATE", types=("DATE",))
def _date_duration(text, start, end):
    if _DURATION.fullmatch(text, start, end) and _WITHIN.match(text, end) \
            and text[start - 1:start] not in ("年", "月"):
        return DROP
    return None


@rule("date_spoken_duration", "span", 31, "DATE: a length of time in Chinese numerals (有期徒刑"
      "十二年, 三个月, 半年) is no date: the guideline excludes durations", types=("DATE",))
def _date_spoken_duration(text, start, end):
    if _SPOKEN_DURATION.fullmatch(text, start, end) and text[end:end + 1] not in ("后", "前", "以", "之"):
        return DROP                                 # 三个月后: an offset, a date of its own
    return None


@rule("date_digits_unread", "span", 32, "DATE: digits and separators that read as no date are "
      "none (a phone number 0571-8812345, an annex 附件2-8, a duration 1-3)", types=("DATE",))
def _date_digits_unread(text, start, end):
    s = text[start:end]
    if _DIGITS_ONLY.fullmatch(s) and parse_date(s)["start"] is None:
        return DROP
    return None


@rule("date_issue_number", "span", 34, "DATE: a journal's year and issue (2019年4期, 2019年|第4期) "
      "is no DATE", types=("DATE",))
def _date_issue_number(text, start, end):
    if _ISSUE_IN.search(text[start:end]) or _ISSUE_AFTER.match(text, end):
        return DROP
    return None


@rule("date_inside_qijian", "span", 50, "DATE: the model stopped inside 期间 (2021年期|间 -> "
      "2021年)", types=("DATE",))
def _date_inside_qijian(text, start, end):
    s = text[start:end]
    if s.endswith("期") and len(s) > 1 and s[-2] in _DATE_END and text[end:end + 1] == "间":
        return final(start, end - 1)
    return None


@rule("date_year_word", "span", 60, "DATE: a year word is whole (去|年5月 -> 去年5月)",
      types=("DATE",))
def _date_year_word(text, start, end):
    if text[start] == "年" and start > 0 and text[start - 1] in "去今前明":
        return final(start - 1, end)
    return None


def _in_number(text: str, i: int) -> bool:
    """Whether position ``i`` lies inside one written number (between its digits: 2|00, 1,|200)."""
    if not (0 < i < len(text)):
        return False
    a, b = text[i - 1], text[i]
    if a.isdigit() and b.isdigit():
        return True
    return (a in ".," and b.isdigit() and text[i - 2:i - 1].isdigit()) or \
        (b in ".," and a.isdigit() and text[i + 1:i + 2].isdigit())


@rule("number_whole", "span", 1, "COUNT / MONEY: a span never cuts a written number "
      "(社会服务令[2]00小时, [3]0余万条 -> the whole number, which the later rules then judge)",
      types=("COUNT", "MONEY"))
def _number_whole(text, start, end):
    s, e = start, end
    while _in_number(text, e):
        e += 1
    while _in_number(text, s):
        s -= 1
    return (s, e) if (s, e) != (start, end) else None


@rule("money_duration", "span", 5, "MONEY: a number without a currency right before a unit of "
      "time (3至5|天, 1-3|年) is a duration, no MONEY", types=("MONEY",))
def _money_duration(text, start, end):
    if not currency_of(text[start:end])[0] and not _YUAN.search(text[start:end]) \
            and _TIME_UNIT_AFTER.match(text, end):
        return DROP
    return None


@rule("money_digits_only", "span", 4, "MONEY: seven digits or more with no unit or currency (a "
      "phone number 28716006, an account number) are no sum", types=("MONEY",))
def _money_digits_only(text, start, end):
    return DROP if re.fullmatch(r"[0-9\-\s]{7,}", text[start:end]) else None


# the closed list of approximation words the guideline puts inside a COUNT / MONEY span, longest
# first; one that ends a longer word (高达, 大约, 将近, 接近) is not it
_APPROX_INSIDE = tuple(words("approx_inside.tsv"))
_APPROX_LONGER = tuple(w for w, *_ in table("approx_words.tsv", ("word",))
                       if w not in _APPROX_INSIDE and w.endswith(_APPROX_INSIDE))
# where a sum's span may begin: its number, a placeholder (上百万元, 数千元, 几十万元) or an
# approximation word the guideline keeps inside
_MONEY_START = re.compile(_alternation(_APPROX_INSIDE)
                          + r"|上[百千万]|[0-9０-９一二三四五六七八九十百千万亿两〇零几数]")


@rule("money_what_word", "span", 3, "MONEY: the word that says what the money is stays outside "
      "(罚款|5万元, 赔偿金|1万元, 获利|3万元: the guideline)", types=("MONEY",))
def _money_what_word(text, start, end):
    s = text[start:end]
    if not s or not "\u4e00" <= s[0] <= "\u9fff" or _MONEY_START.match(s):
        return None
    m = _MONEY_START.search(s)
    if not m or m.start() >= len(s) - 1:
        return None
    head = s[:m.start()]
    c = min((head.find(w) for w in _CURRENCY_WORDS if w in head), default=-1)
    if c == 0 or any(text.startswith(w, start - k) for w in _CURRENCY_WORDS
                     for k in range(1, len(w)) if start >= k):
        return None                                 # a currency word first: money_currency_word's
    return start + (c if c > 0 else m.start()), end




@rule("quantity_approx_word", "span", 2, "COUNT / MONEY: an approximation word of the guideline's "
      "closed list right before the number is part of the span (超过|10万条 -> 超过10万条, 约3000人; "
      "not 高达 or 大约)", types=("COUNT", "MONEY"))
def _quantity_approx_word(text, start, end):
    if text.startswith(_APPROX_INSIDE, start):
        return None                                 # 达|共计4800余件: the span has one already
    for w in _APPROX_INSIDE:
        if text.endswith(w, 0, start) and not any(text.endswith(x, 0, start) for x in _APPROX_LONGER
                                                  if x.endswith(w) and x != w):
            return start - len(w), end
    return None


@rule("money_no_numeral", "span", 6, "MONEY: a sum has a number (合|计, 罚没款 are none)",
      types=("MONEY",))
def _money_no_numeral(text, start, end):
    return DROP if not _NUMERAL.search(text[start:end]) else None


@rule("money_currency_word", "span", 7, "MONEY: a currency word before the amount stays outside "
      "it, as the guideline has 人民币[5000万元] (澳门元|4万元, 澳|门元4万元 -> 4万元); one after it is "
      "inside (5000港元)", types=("MONEY",))
def _money_currency_word(text, start, end):
    for w in _CURRENCY_WORDS:
        if not re.fullmatch(r"[\u4e00-\u9fff]+", w):
            continue                                  # US$500, HK$: a sign stays with its number
        for k in range(0, len(w)):
            if start >= k and text.startswith(w, start - k) and start - k + len(w) < end \
                    and _NUMERAL.match(text, start - k + len(w)):
                return start - k + len(w), end
    return None


# what may follow a sum's currency inside its span: bound and approximation words (1万元以上, 5万元左右)
_MONEY_AFTER_CURRENCY = re.compile(r"(?:以上|以下|以内|左右|上下|许|整|多)?$")
_CURRENCY_END = re.compile(r"[元币]")


@rule("money_tail", "span", 8, "MONEY: a sum ends at its currency (每笔3元|价格 -> 3元): after 元 "
      "only a bound or approximation word (1万元以上, 5万元左右) stays inside", types=("MONEY",))
def _money_tail(text, start, end):
    s = text[start:end]
    ends = [m.end() for m in _CURRENCY_END.finditer(s)]
    if not ends or not _NUMERAL.search(s[:ends[-1]]):
        return None
    last = ends[-1]
    if last < len(s) and not _MONEY_AFTER_CURRENCY.match(s[last:]) and \
            not _NUMERAL.search(s[last:]):
        return start, start + last
    return None


_TOTALS_OUTSIDE = tuple(sorted(words("totals_outside.tsv"), key=len, reverse=True))


@rule("quantity_total_word", "span", 9, "COUNT / MONEY: 高达 累计 总计 合计 一共 and 共 before the "
      "number stay outside it (共|18次, 合计|156.8万元; 共计4.2万余张 keeps 共计: the guideline's list)",
      types=("COUNT", "MONEY"))
def _quantity_total_word(text, start, end):
    s = text[start:end]
    w = next((w for w in _TOTALS_OUTSIDE if s.startswith(w)), None)
    if w and not s.startswith("共计") and len(s) > len(w) and _NUMERAL.match(s, len(w)):
        return start + len(w), end
    return None


@rule("count_no_numeral", "span", 10, "COUNT: a count has a number (多次, 多家 are none)",
      types=("COUNT",))
def _count_no_numeral(text, start, end):
    return DROP if not _NUMERAL.search(text[start:end]) else None


@rule("count_article_yi", "span", 20, "COUNT: 一 + a measure word is the article 'a' (一名, 一起"
      "案件), no count", types=("COUNT",))
def _count_article_yi(text, start, end):
    return DROP if _ARTICLE_YI.fullmatch(text[start:end]) else None


@rule("count_not_a_number_of_things", "span", 25, "COUNT: a percentage, a multiplier or an "
      "ordinal (6%, 九成, 近3倍, 第三批) counts no things: no COUNT", types=("COUNT",))
def _count_not_a_number_of_things(text, start, end):
    s = text[start:end]
    if s.startswith("第") or re.search(r"[%％‰]|倍$|[0-9一二三四五六七八九十]成$", s):
        return DROP
    return None


@rule("count_place_pair", "span", 26, "COUNT: places counted together (川渝两地, 京津冀三地) count "
      "no things: no COUNT (the guideline)", types=("COUNT",))
def _count_place_pair(text, start, end):
    return DROP if re.fullmatch(r"[两二三四五六七八九十0-9]+地", text[start:end]) else None


@rule("count_you", "span", 30, "COUNT: the verb 有 before a count is outside it (有|3000条)",
      types=("COUNT",))
def _count_you(text, start, end):
    if text[start] == "有" and end - start > 1:
        return start + 1, end
    return None


@rule("count_measure_word", "span", 40, "COUNT: a count ends in its measure word (3万余|条 -> "
      "3万余条); a number without one is no COUNT (超300万)", types=("COUNT",))
def _count_measure_word(text, start, end):
    if normalize("COUNT", text[start:end]).get("unit") is None:
        if text[end:end + 1] and text[end] in _MEASURE:
            return final(start, end + 1)
        return DROP
    return None


_AGE = re.compile(r".*[0-9一二三四五六七八九十]\s*(?:周岁|岁)(?:左右|多)?$")


@rule("count_age", "span", 45, "COUNT / MONEY: a person's age (39岁, 16周岁) counts nothing the "
      "guideline counts (records, persons, cases, sums): no COUNT, no MONEY", types=("COUNT", "MONEY"))
def _count_age(text, start, end):
    return DROP if _AGE.match(text[start:end]) else None


@rule("statute_wei_fan", "span", 10, "STATUTE: the model began inside 违反 (违|反本法第二十二条)",
      types=("STATUTE",))
def _statute_wei_fan(text, start, end):
    if text.startswith("反", start) and start > 0 and text[start - 1] == "违":
        return start + 1, end
    return None


_STATUTE_LEAD = tuple(sorted(words("statute_lead_words.tsv"), key=len, reverse=True))


@rule("statute_lead_word", "span", 12, "STATUTE: a citing verb or preposition the model ran into "
      "stays outside (犯|个人资料保护法第41条, 依|个资法第48条: statute_lead_words.tsv)",
      types=("STATUTE",))
def _statute_lead_word(text, start, end):
    s = text[start:end]
    w = next((w for w in _STATUTE_LEAD if s.startswith(w)), None)
    if w and len(s) >= len(w) + 2 and _STATUTE_WORD.search(s, len(w)):
        return start + len(w), end
    return None


@rule("statute_no_title", "span", 20, "STATUTE: an article without a title or a span without a "
      "statute word is none", types=("STATUTE",))
def _statute_no_title(text, start, end):
    s = text[start:end]
    return DROP if s.startswith("第") or not _STATUTE_WORD.search(s) else None


@rule("statute_publication", "span", 25, "STATUTE: a newspaper, journal or book cited by its "
      "《title》 (《检察日报》, 《中国检察官》2021年第6期) is none", types=("STATUTE",))
def _statute_publication(text, start, end):
    s = text[start:end]
    if s.startswith("《") and s.endswith("》"):
        if s[1:-1].endswith(_PUBLICATION_WORDS) or _ISSUE_AFTER.match(text, end):
            return DROP
    return None


@rule("statute_after_title", "span", 27, "STATUTE: a span that runs past its title's 》 into "
      "what is no article (《个人信息保护法》江苏省…) ends at the 》", types=("STATUTE",))
def _statute_after_title(text, start, end):
    s = text[start:end]
    if s.startswith("《") and "》" in s and "《" not in s[1:]:
        k = s.index("》") + 1
        if k < len(s) and not s[k:].lstrip().startswith("第"):
            return start, start + k
    return None


# Hong Kong section numbers: 第64(3A)条, 第50(1)条 (a subsection in brackets before the 条)
_SECTION_OPEN = re.compile(r"第[0-9]{1,3}(?:[(（][0-9A-Za-z]{1,3}[)）])*[(（][0-9A-Za-z]{0,3}$")
_SECTION_SHUT = re.compile(r"第[0-9]{1,3}(?:[(（][0-9A-Za-z]{1,3}[)）])+$")
_SECTION_REST = re.compile(r"[0-9A-Za-z]{0,3}[)）](?:[(（][0-9A-Za-z]{1,3}[)）])*条")


@rule("statute_section", "span", 28, "STATUTE: an article with a subsection in brackets "
      "(《个人资料(私隐)条例》第64(3A)条) is read to its 条", types=("STATUTE",))
def _statute_section(text, start, end):
    s = text[start:end]
    if _SECTION_OPEN.search(s):
        m = _SECTION_REST.match(text, end)
        return (start, m.end()) if m else None
    if _SECTION_SHUT.search(s) and text.startswith("条", end):
        return start, end + 1
    return None


_GENERIC_LAW = re.compile(r"(?:相关|有关|其他|等)?(?:法律法规|法律|法规|行政法规|规章|法律规定)")


@rule("statute_generic", "span", 22, "STATUTE: the laws in general (法律法规, 有关法律, 等法律法|规) "
      "name no statute", types=("STATUTE",))
def _statute_generic(text, start, end):
    s = text[start:end]
    whole = s + text[end:end + 1] if s.endswith("法律法") else s
    return DROP if _GENERIC_LAW.fullmatch(whole) else None


_SUB_UNIT_AFTER_ARTICLE = re.compile(r"条(?:之[一二三四五六七八九十])?(第[一二三四五六七八九十0-9]+[款项目])")


@rule("statute_sub_unit", "span", 29, "STATUTE: 第一款 and the later sub-units of an article stay "
      "outside (《个人信息保护法》第六十六条|第一款: the guideline)", types=("STATUTE",))
def _statute_sub_unit(text, start, end):
    m = _SUB_UNIT_AFTER_ARTICLE.search(text, start, end)
    return (start, m.start(1)) if m else None


@rule("statute_anaphor", "span", 30, "STATUTE: 本法 / 该法 is an anaphor, not a title",
      types=("STATUTE",))
def _statute_anaphor(text, start, end):
    return DROP if text[start:end].startswith(_STATUTE_ANAPHORS) else None


@rule("statute_brackets", "span", 38, "STATUTE: a title read inside its 《》 takes them (《|个人信息"
      "保护法|》 -> 《个人信息保护法》: the guideline includes the 《》 when present)", types=("STATUTE",))
def _statute_brackets(text, start, end):
    if start > 0 and text[start - 1] == "《" and text[end:end + 1] == "》" \
            and "《" not in text[start:end]:
        return start - 1, end + 1
    return None


@rule("statute_close_title", "span", 40, "STATUTE: a 《title cut inside is closed at its 》 "
      "(《快递电子|运单…》)", types=("STATUTE",))
def _statute_close_title(text, start, end):
    s = text[start:end]
    if s.startswith("《") and "》" not in s:
        close = text.find("》", end, end + 20)
        if close > 0 and not _TITLE_BREAK.search(text[end:close]):
            return final(start, close + 1)
    return None


@rule("statute_bare_title", "span", 50, "STATUTE: a bare title ends at its statute word or "
      "article (个人信息保护法|中)", types=("STATUTE",))
def _statute_bare_title(text, start, end):
    s = text[start:end]
    if not s.startswith("《"):
        m = _BARE_TITLE.match(s)
        if m and m.end() < len(s) and s[m.end():].startswith(_AFTER_TITLE):
            return final(start, start + m.end())
    return None


# one character + 法 is a title of its own only for the codes (刑法, 民法, 宪法); after any other
# character than these function words it is the cut end of a short title (个|资法, 个|保法, 网|安法)
_SHORT_CODE = re.compile(r"[^刑民宪商税军\W\d_A-Za-z]法(?:第|$)")   # not the codes themselves
_BEFORE_TITLE = frozenset("依据照按反的和与及、或犯触据经对《“「，,。；;：:（( \n")


@rule("statute_short_title_start", "span", 55, "STATUTE: a short title the model began one "
      "character late (个|资法第48条, 网|安法) starts at its first character; 我国|刑法 stays",
      types=("STATUTE",))
def _statute_short_title_start(text, start, end):
    if start > 0 and _SHORT_CODE.match(text, start) and text[start - 1] not in _BEFORE_TITLE \
            and "\u4e00" <= text[start - 1] <= "\u9fff":
        return start - 1, end
    return None


@rule("action_nominal", "span", 10, "ACTION: a noun made of an act word (判决书, 立案条件) is no "
      "act", types=("ACTION",))
def _action_nominal(text, start, end):
    return DROP if text[end:end + 4].startswith(_NOMINAL_NEXT) else None


@rule("action_no_act_lemma", "span", 15, "ACTION: an everyday or publication verb, or a "
      "document named by an act (告诉他, 发布典型案例, 判决书: acts.tsv kind none) is no act",
      types=("ACTION",))
def _action_no_act_lemma(text, start, end):
    s = text[start:end]
    bare = s[:-len(p)] if (p := next((p for p in _PRONOUNS if s.endswith(p) and len(s) > len(p)),
                                     None)) else s
    return DROP if bare in _NO_ACT_LEMMAS else None


@rule("action_not_an_act", "span", 20, "ACTION: an illegality adverb alone (非法) or a person "
      "named by a trade (卖家) is no act", types=("ACTION",))
def _action_not_an_act(text, start, end):
    return DROP if text[start:end] in _NOT_ACTS else None


_NEGATION_BEFORE = tuple(words("negation_words.tsv"))


@rule("action_negated", "span", 25, "ACTION: an act word its clause denies (在未获|授权下, 尚未|整改) "
      "names no act; 未经同意|收集 (the act after the denied consent) stays", types=("ACTION",))
def _action_negated(text, start, end):
    return DROP if text.endswith(_NEGATION_BEFORE, 0, start) else None


@rule("action_chu_fakuan", "span", 30, "ACTION: the shortest act: 并处|罚款 (处罚款 -> 罚款)",
      types=("ACTION",))
def _action_chu_fakuan(text, start, end):
    return (start + 1, end) if text[start:end] == "处罚款" else None


@rule("action_prefix", "span", 40, "ACTION: the shortest act: a function-word prefix stays "
      "outside (给予|警告, 作|出判决)", types=("ACTION",))
def _action_prefix(text, start, end):
    s = text[start:end]
    for pre in _ACT_PREFIX:
        if s.startswith(pre) and s[len(pre):] in _ACT_WORDS:
            return start + len(pre), end
        if len(pre) == 2 and start > 0 and text[start - 1:start + 1] == pre \
                and s[1:] in _ACT_WORDS:
            return start + 1, end                 # 作|出判决: the model began inside 作出
    return None


_OFFICIAL_TITLES = tuple(sorted(words("official_titles.tsv"), key=len, reverse=True))


@rule("action_official", "span", 45, "ACTION: the official who acts stays outside the act "
      "(裁判官|判处, 法官|宣判: official_titles.tsv)", types=("ACTION",))
def _action_official(text, start, end):
    s = text[start:end]
    for t in _OFFICIAL_TITLES:
        if s.startswith(t) and len(s) > len(t) + 1:
            return start + len(t), end
    return None


@rule("action_suffix", "span", 50, "ACTION: the shortest act: a complement suffix stays outside "
      "(抓获|归案, 判决|支持)", types=("ACTION",))
def _action_suffix(text, start, end):
    s = text[start:end]
    for suf in _ACT_SUFFIX:
        if s.endswith(suf) and s[:-len(suf)].endswith(_ACT_WORDS):
            return start, end - len(suf)
    return None


@rule("action_organ_object", "span", 55, "ACTION: the organ an act goes to stays outside it "
      "(移送|检察院, 转介|警方, 移交|公安机关)", types=("ACTION",))
def _action_organ_object(text, start, end):
    s = text[start:end]
    for w in _ACT_WORDS:
        rest = s[len(w):]
        if s.startswith(w) and len(rest) >= 2 and (rest in GENERIC_AGENCIES or any(
                rest.endswith(o) for o in ORGAN_WORDS) or (0, len(rest)) in named_organs(rest)):
            return start, start + len(w)
    return None


@rule("action_pan_whole", "span", 60, "ACTION: 判|刑, 判|令: the act word is whole",
      types=("ACTION",))
def _action_pan_whole(text, start, end):
    if text[start:end] == "判" and text[end:end + 1] in ("刑", "令"):
        return start, end + 1
    return None


@rule("action_order_cut", "span", 70, "ACTION: the act is the order, not what is ordered "
      "(责令停止|违法行为)", types=("ACTION",))
def _action_order_cut(text, start, end):
    s = text[start:end]
    m = _ORDER.match(s)
    if m and m.end() < len(s):
        return start, start + m.end()
    return None


@rule("action_order_whole", "span", 80, "ACTION: what the order says to do is part of it "
      "(责令|立即改正 -> 责令立即改正)", types=("ACTION",))
def _action_order_whole(text, start, end):
    if text[start:end] == "责令" and (m := _ORDER.match(text, start)):
        return start, m.end()
    return None


@lru_cache(maxsize=1)
def _regional_lemmas() -> frozenset:
    return frozenset(w for w, kind, _, note in table("acts.tsv", ("lemma", "kind", "frame", "note"))
                     if kind != "none" and note)


@rule("action_regional_lemma", "span", 85, "ACTION: a piece of an act word of Hong Kong, Macau or "
      "Taiwan is the whole word (罚|锾 -> 罚锾, 限期|改正 -> 限期改正: acts.tsv noted hk / mo / tw)",
      types=("ACTION",))
def _action_regional_lemma(text, start, end):
    """A span that is no such lemma itself and lies inside an occurrence of one takes it, the
    longest. Only the places' own words: their legal language is what the model saw least (the
    same completion over the whole lexicon, measured, moved only the studied half of real dev)."""
    s = text[start:end]
    lemmas = _regional_lemmas()
    if s in lemmas:
        return None
    n = len(s)
    for size in range(8, n, -1):
        for k in range(size - n + 1):
            a = start - k
            if a < 0 or a + size > len(text):
                continue
            w = text[a:a + size]
            if w in lemmas and not w.startswith(_ACT_PREFIX) and not w.endswith(_ACT_SUFFIX):
                return a, a + size
    return None


@rule("name_open_bracket", "span", 5, "AGENCY / PARTY: a name never holds a bracket it does not "
      "close (个人资料私隐专员公署（公署 -> 个人资料私隐专员公署; 同方知网(北京)技术有限公司 stays)",
      types=("AGENCY", "PARTY"))
def _name_open_bracket(text, start, end):
    s = text[start:end]
    k = max(s.rfind("（"), s.rfind("("))
    if k > 1 and "）" not in s[k:] and ")" not in s[k:]:
        return start, start + k
    return None


@rule("name_lead_word", "span", 10, "AGENCY / PARTY: no name starts with a preposition or verb "
      "(关于|上海某公司, 明确|十堰市某局, 转介|警方)", types=("AGENCY", "PARTY"))
def _name_lead_word(text, start, end):
    s = text[start:end]
    if s.startswith(_LEAD_WORDS):
        k = len(next(w for w in _LEAD_WORDS if s.startswith(w)))
        if len(s) > 4 or s[k:] in GENERIC_AGENCIES:      # 转介|警方: the rest, a bare organ word
            return start + k, end
    return None


@rule("agency_party_group", "span", 20, "AGENCY: the organ, not its party group (某检察院|党组"
      "成员)", types=("AGENCY",))
def _agency_party_group(text, start, end):
    s = text[start:end]
    if s.endswith(_PARTY_GROUPS) and len(s) > 4:
        return start, end - len(next(w for w in _PARTY_GROUPS if s.endswith(w)))
    return None


@rule("agency_deictic", "span", 30, "AGENCY / PARTY: the name without a deictic place word (本市|"
      "公安局…, 该市|装修装饰行业协会)", types=("AGENCY", "PARTY"))
def _agency_deictic(text, start, end):
    s = text[start:end]
    if s.startswith(DEICTIC_PLACES) and len(s) > 5:
        return start + len(next(w for w in DEICTIC_PLACES if s.startswith(w))), end
    return None


_OVERRUN_ENDINGS = tuple(sorted({w for w in words("company_endings.tsv")
                                  + words("institution_endings.tsv") if len(w) >= 2},
                                 key=len, reverse=True))


_COLLECTIVE = tuple(words("collective_words.tsv"))


_PLATFORM_WORDS = tuple(words("platform_words.tsv"))


@rule("agency_platform", "span", 34, "AGENCY: platforms, systems and hotlines are no agencies "
      "(12345热线, 12315平台, 国家政务服务平台: the guideline)", types=("AGENCY",))
def _agency_platform(text, start, end):
    return DROP if text[start:end].endswith(_PLATFORM_WORDS) else None


@rule("agency_collective", "span", 35, "AGENCY: all organs of a kind (全市法院, 全国检察机关, 各级"
      "公安机关: collective_words.tsv + a generic organ word) are no one organ, no AGENCY; "
      "全国人大常委会 is one", types=("AGENCY",))
def _agency_collective(text, start, end):
    s = text[start:end]
    word = next((w for w in _COLLECTIVE if s.startswith(w)), None)
    rest = s[len(word):] if word else ""
    return DROP if word and (rest in GENERIC_AGENCIES or rest in ORGAN_WORDS) else None


# a company's or an organ's internal department named alone, before the post of the person in it
# (时任该行信贷部经理, 法制科科长): no organ of its own
_DEPARTMENT = re.compile(r"[\u4e00-\u9fff]{1,3}[部科处室]")
_POST_AFTER = re.compile(r"副?(?:" + _alternation(words("official_titles.tsv")) + r"|经理|负责人|工作人员"
                         r"|员工|职员)")


@rule("agency_department", "span", 36, "AGENCY: a department named alone before a post (时任该行信贷部"
      "经理) is no organ; a named one (公安部: named_organs.tsv), 某部 and a defined short form "
      "(数发部) are", types=("AGENCY",))
def _agency_department(text, start, end):
    s = text[start:end]
    if _DEPARTMENT.fullmatch(s) and not s.startswith("某") and 0 not in division_ends(s) \
            and (0, len(s)) not in named_organs(s) and _POST_AFTER.match(text, end):
        return DROP
    return None


_ORGAN_WORDS_LONGEST = tuple(sorted(ORGAN_WORDS, key=len, reverse=True))


@rule("name_cut_organ_word", "span", 12, "AGENCY / PARTY: a name never ends inside its organ word "
      "(某检察|院 -> 某检察院, 南京市公安|局), which the later rules judge", types=("AGENCY", "PARTY"))
def _name_cut_organ_word(text, start, end):
    return _widen_to_word(text, start, end, _ORGAN_WORDS_LONGEST, min_piece=2, longest_first=True)


def _widen_to_word(text, start, end, words, min_piece=1, longest_first=False):
    """The span widened to the end of the first of ``words`` it ends inside (a piece of at least
    ``min_piece`` characters of it inside the span, any piece of a two-character word), or None."""
    s = text[start:end]
    for w in words:
        for k in (range(len(w) - 1, 0, -1) if longest_first else range(1, len(w))):
            if (k >= min_piece or len(w) == 2) and len(s) > k and s.endswith(w[:k]) \
                    and text.startswith(w[k:], end):
                return start, end + len(w) - k
    return None


_DEPARTMENT_AFTER = re.compile(r"[\u4e00-\u9fff]{1,8}?(?:部门|科|办公室)")


@rule("agency_internal_department", "span", 37, "AGENCY: an organ's internal department is cut "
      "to the organ (南关区公安分局|信息技术部门: the guideline); its units (网安大队) stay",
      types=("AGENCY",))
def _agency_internal_department(text, start, end):
    s = text[start:end]
    best = None
    for w in _ORGAN_WORDS_LONGEST:
        k = s.rfind(w)
        if k > 0 and (best is None or k + len(w) > best):
            best = k + len(w)
    if best and best < len(s) and _DEPARTMENT_AFTER.fullmatch(s, best):
        return start, start + best
    return None


@rule("party_org_overrun", "span", 15, "PARTY: a company name that ran one character past its "
      "ending (公司, 事务所, 平台 …), or two into the next word, ends there (某公司科|处罚款 -> 某公司, "
      "某律师事务所律|师 -> 某律师事务所)", types=("PARTY",))
def _party_org_overrun(text, start, end):
    s = text[start:end]
    stop = max((s.rfind(w) + len(w) for w in _OVERRUN_ENDINGS if s.rfind(w) > 0), default=0)
    tail = len(s) - stop if stop else 0
    bounds = word_bounds(text) if tail == 2 else None
    if tail == 1 or (bounds and bounds.word_around(end) is not None
                     and bounds.word_around(start + stop) is None):
        return start, start + stop
    return None


_TWO_CHAR_ENDINGS = tuple(w for w in words("company_endings.tsv") if len(w) >= 2)


# the words an anonymized or anaphoric organisation begins with (某外卖平台, 该公司)
_ANON_OR_ANAPHOR = ("某", "该", "此", "本", "涉案", "上述")


@rule("party_cut_ending", "span", 16, "PARTY: an anonymized or anaphoric name never ends inside its "
      "organisation word (该公|司 -> 该公司, which the next rules judge; 某外卖平|台 -> 某外卖平台)",
      types=("PARTY",))
def _party_cut_ending(text, start, end):
    if not text[start:end].startswith(_ANON_OR_ANAPHOR):
        return None
    return _widen_to_word(text, start, end, _TWO_CHAR_ENDINGS)


@rule("party_place", "span", 18, "PARTY: a place is no party (上海, 江苏省南京市: division names "
      "and nothing else; 川渝, 京津冀: region_groups.tsv)", types=("PARTY",))
def _party_place(text, start, end):
    s = text[start:end]
    if s in _REGION_GROUPS:
        return DROP
    ends = division_ends(s)
    pos = 0
    while pos in ends and ends[pos] > pos:
        pos = ends[pos]
    return DROP if pos == len(s) and not s.startswith("某") else None


@rule("party_generic", "span", 20, "PARTY: an anaphoric or generic noun is no party (该公司, "
      "涉案企业, 金融机构)", types=("PARTY",))
def _party_generic(text, start, end):
    return DROP if _GENERIC_PARTY.fullmatch(text[start:end]) else None


@rule("party_person_verb", "span", 30, "PARTY: an anonymized name ends before a word that "
      "begins after 某 (肖某|累计; 葛某东 stays)", types=("PARTY",))
def _party_person_verb(text, start, end):
    s = text[start:end]
    m = _PERSON.match(s)
    if m and not any(w in s for w in _ORG_WORDS) and not m.group(2).isascii() \
            and m.group(2)[0] not in "某甲乙丙丁戊己庚":
        rest = m.group(2)
        # 肖某累计 -> 肖某, 谢某联|系 -> 谢某: a word begins after 某 (and may go on past the span);
        # 葛某东, 何某洋|出售: a given name stays
        if any(is_word(rest + text[end:end + k]) and len(rest) + k >= 2 for k in (0, 1, 2)):
            return final(start, start + len(m.group(1)))
    return None


@rule("party_verb_before_person", "span", 40, "PARTY: a verb the model ran into before an "
      "anonymized name stays outside (组织|杨某)", types=("PARTY",))
def _party_verb_before_person(text, start, end):
    s = text[start:end]
    k = s.find("某")
    if k >= 3 and _ANON_END.fullmatch(s[k:]) and not any(w in s for w in _ORG_WORDS):
        return final(start + k - 1, end)
    return None


@rule("party_person_inside_word", "span", 42, "PARTY: an anonymized person the model began inside "
      "the word before it (其|中张某 -> 张某) starts at the surname", types=("PARTY",))
def _party_person_inside_word(text, start, end):
    s = text[start:end]
    if len(s) >= 3 and s[2] == "某" and _ANON_END.fullmatch(s[2:]) \
            and word_bounds(text).word_around(start + 1) is None \
            and word_bounds(text).word_around(start) is not None:
        return start + 1, end
    return None


@rule("party_surname_person", "span", 45, "PARTY: a person named by surname and sex ends with "
      "the noun (林姓男|子 -> 林姓男子, 陈姓女|子)", types=("PARTY",))
def _party_surname_person(text, start, end):
    if text[start:end].endswith(("姓男", "姓女")) and text[end:end + 1] == "子":
        return start, end + 1
    return None


@rule("party_org_ending", "span", 47, "PARTY: an anonymized organisation the model cut before its "
      "ending takes the ending (某外卖|平台 -> 某外卖平台, 某科技|公司); a person (王某) does not",
      types=("PARTY",))
def _party_org_ending(text, start, end):
    s = text[start:end]
    if not s.startswith("某") or len(s) < 2 or _COMPANY_ENDING.search(s):
        return None
    m = _COMPANY_ENDING.match(text, end)
    return (start, m.end()) if m else None


_SURNAMES = frozenset(words("surnames.tsv"))
_DIVISION_END = frozenset("省市县区州旗盟镇乡村")      # 闵行区|某医院: a name reaching back over its place


@rule("party_word_before_mou", "span", 46, "PARTY: an anonymized organisation that the model began "
      "one character early (辖[内某旅行社], 担[任某物流公司]) starts at 某; a surname before 某 "
      "(李某, 王某公司: surnames.tsv) stays unless it ends a word", types=("PARTY",))
def _party_word_before_mou(text, start, end):
    s = text[start:end]
    if len(s) > 3 and s[1] == "某" and s[0] not in _DIVISION_END \
            and (_COMPANY_ENDING.search(s) or s.endswith(_OVERRUN_ENDINGS + ("社", "所", "馆"))) \
            and (s[0] not in _SURNAMES or word_bounds(text).word_around(start) is not None):
        return start + 1, end                       # 担|任某物流公司: 任 ends the word 担任
    return None


_DESCRIBED = re.compile(r"(.+?)(?:男子|女子|男|女)")


@rule("party_described_person", "span", 48, "PARTY: a person named only by a description (无业男子, "
      "该名女子, 一名男子) is no party; a surname with 姓 or alone (林姓男子, 林男) is one",
      types=("PARTY",))
def _party_described_person(text, start, end):
    s = text[start:end]
    m = _DESCRIBED.fullmatch(s)
    if m and "姓" not in m.group(1) and "某" not in m.group(1) and not (
            len(m.group(1)) == 1 and m.group(1) in _SURNAMES):
        return DROP
    return None


# the generic nouns of generic_parties.tsv (公司, 银行, 平台 …) standing before a name
_APPOSITIVE_NOUNS = tuple(w for w, part, *_ in table("generic_parties.tsv", ("word", "part"))
                          if part == "noun" and len(w) >= 2)


@rule("party_appositive", "span", 49, "PARTY: a generic noun before the name it stands beside is "
      "outside it (涉事银行|宝信银行 -> 宝信银行)", types=("PARTY",))
def _party_appositive(text, start, end):
    s = text[start:end]
    for g in _APPOSITIVE_NOUNS:
        rest = s[len(g):]
        if s.startswith(g) and len(rest) >= 3 and rest.endswith(_OVERRUN_ENDINGS):
            return start + len(g), end
    return None


@rule("party_official", "span", 50, "PARTY: an official named after a title (检察官张三) is no "
      "party, in every mention", types=("PARTY",))
def _party_official(text, start, end):
    s = text[start:end]
    return DROP if "某" not in s and _titled(text, s) else None


@rule("party_one_char", "span", 60, "PARTY: one character is a name only in a list of surnames "
      "(李、吴; not [知]网, [某]APP)", types=("PARTY",))
def _party_one_char(text, start, end):
    if end - start == 1 and "、" not in text[max(0, start - 1):start] + text[end:end + 1]:
        return DROP
    return None


@rule("word_fragment", "span", 1000, "ACTION, AGENCY and company PARTY spans leave no piece of "
      "a word outside ([开设店]铺, [行政处]罚); off: --keep-fragments")
def _word_fragment(text, start, end, type_=None):
    if _whole_word_type(type_, text[start:end]) and word_bounds(text).leaves_fragment(start, end):
        return DROP
    return None


@lru_cache(maxsize=None)
def _span_rules(type_: str) -> tuple:
    return tuple(r for r in all_rules("span") if not r.types or type_ in r.types)


def refine_span(type_: str, text: str, start: int, end: int, whole_words: bool = True,
                disable: frozenset = frozenset()):
    """The guideline's checks on one predicted span of the clean text (the rules of stage
    "span" of its type, in order): returns the (possibly shortened) span, or None when it cannot
    be an entity of that type. ``whole_words=False`` (or disable={"word_fragment"}) skips the
    check that the span leaves no piece of a word outside it; ``disable``: rule names."""
    for r in _span_rules(type_):
        if r.name in disable or (r.name == "word_fragment" and not whole_words):
            continue
        out = r.fn(text, start, end, type_) if r.name == "word_fragment" else r.fn(text, start, end)
        if out is None:
            continue
        if out is DROP:
            return None
        start, end = out
        if isinstance(out, Final):
            return start, end
    return start, end


# A PARTY the model typed that names a state organ: an anonymized one (某局, 某委) or a
# procuratorate, court or police organ (某市检察院, 某区法院, 某县公安局), which are never parties.


def _state_organ_party() -> re.Pattern:
    at: dict[str, list] = {"anonymized": [], "end": [], "start": []}
    for w, position, *_ in table("state_organ_words.tsv", ("word", "position")):
        if position not in at:
            raise LexiconError(f"labels/data/lexicon/state_organ_words.tsv: {w}: position "
                               f"{position!r} is none of {', '.join(at)}")
        at[position].append(w)
    return re.compile(f"某(?:{_alternation(at['anonymized'])})$|(?:{_alternation(at['end'])})$|"
                      f"^(?:{_alternation(at['start'])})")


_STATE_ORGAN_PARTY = _state_organ_party()


# Bare organ words without a region or name: references, not entities (ANNOTATION.md, AGENCY).
GENERIC_AGENCIES = frozenset(words("generic_agencies.tsv"))
# A state organ's name ends in an organ word (人民检察院, 市场监督管理局, 住建委, 网信办, 警方, 最高检,
# 央行济南分行 ...): a bare place name or a cut-off fragment is no AGENCY.
ORGAN_ENDINGS = words("organ_endings.tsv")
# Companies and associations are PARTY even where their names look official: commercial banks
# (建设银行湛江分行, 建行) and 行业协会; the central bank (人民银行, 央行) is a state organ.
_BANK_SHORT = words("bank_short_forms.tsv")
# hospitals, schools and law firms are institutions, no organs (institution_endings.tsv)
_INSTITUTION_ENDINGS = tuple(words("institution_endings.tsv"))


def _is_company_like(name: str) -> bool:
    if "人民银行" in name or name.startswith("央行"):
        return False
    return "银行" in name or name.startswith(tuple(_BANK_SHORT)) or "协会" in name \
        or name.endswith("公司") or name.endswith(_INSTITUTION_ENDINGS)


_JOINT = re.compile(_alternation(words("joint_words.tsv")))
_ORG_END = f"(?:{_alternation(words('company_endings.tsv'))})"
_ORG_END_RE = re.compile(_ORG_END + "$")
_BRACKETED = re.compile(r"[（(][^（()）]{1,8}[）)]")            # a region in brackets: (北京)
# 农业银行江北支行行长葛某东: the company, a department (营业室) and a post, then the person
# the employee of a company named right after it (某银行江北支行行长葛某东, 某医院工作人员李某)
EMPLOYEE_TITLE = re.compile(r"[^，,。；;、和与及]{0,6}?(?:副?行长|总?经理|员工|职员|主任|董事长|"
                            r"法定代表人|负责人|医生|医师|护士|工作人员|业务员|客服|律师|会计)")
_TITLED_PERSON = re.compile(rf"(.+{_ORG_END})(?:{EMPLOYEE_TITLE.pattern})(.{{2,4}})")
_PERSON_NAME = re.compile(r"[\u4e00-\u9fff]某[\u4e00-\u9fff甲乙丙丁戊己庚0-9]?|[\u4e00-\u9fff]{2,3}")
_BANK = re.compile(r"(?:银行|建行|农行|中行|工行|交行|招行)$")
_BRANCH = re.compile(r"(?:支行|分行|营业部)$")
_RANGE_GAP = re.compile(r"(?:以上|上)?[、，,]?")             # 上: the first span ended in 以|上


# ------------------------------------------------------------ span surgery (stage "spans")
# Merges (one entity read as two) map old entity indices to the index they were merged into;
# splits (two read as one) turn one entity into two and say where its relations go.

@rule("money_range", "spans", 10, "MONEY: a range with both bound words is one span "
      "(1万元以上、10万元以下; the trailing 以下 stays out)")
def _merge_money_range(ctext: str, ents: list[dict], target: list[int]) -> None:
    money = sorted((i for i, e in enumerate(ents) if e["type"] == "MONEY"),
                   key=lambda i: ents[i]["start"])
    for i, j in zip(money, money[1:]):
        a, b = ents[target[i]], ents[j]
        gap = ctext[a["end"]:b["start"]]
        if a["end"] <= b["start"] and _RANGE_GAP.fullmatch(gap) \
                and "以上" in ctext[a["start"]:a["end"]] + gap \
                and ctext[b["end"]:b["end"] + 2] == "以下":
            a["end"], a["score"] = b["end"], min(a["score"], b["score"])
            target[j] = target[i]


@rule("date_spaced", "spans", 15, "DATE: a date written with spaces and read in pieces "
      "(2017 年 | 9 月 | 5 日) is one span")
def _merge_spaced_dates(ctext: str, ents: list[dict], target: list[int]) -> None:
    dates = sorted((i for i, e in enumerate(ents) if e["type"] == "DATE"),
                   key=lambda i: ents[i]["start"])
    for i, j in zip(dates, dates[1:]):
        a, b = ents[target[i]], ents[j]
        if a["end"] <= b["start"] and ctext[a["end"]:b["start"]].strip() == "" \
                and b["start"] > a["end"] and ctext[a["end"] - 1] in "年月" \
                and _SPACED_NEXT.match(ctext, b["start"]):
            a["end"], a["score"] = b["end"], min(a["score"], b["score"])
            target[j] = target[i]


_MONTH_NEXT = re.compile(r"[0-9一二三四五六七八九十]{1,2}\s*月|[上下]半年|[一二三四1-4首]季度|第[一二三四1-4]季度")
_DAY_NEXT = re.compile(r"[0-9一二三四五六七八九十]{1,3}\s*[日号]|[上中下]旬|[初底末]")


@rule("date_pieces", "spans", 16, "DATE: a year and the month after it read as two dates (当年|"
      "10月中旬, 2020年|3月5日) are one DATE, as are a month and its day")
def _merge_date_pieces(ctext: str, ents: list[dict], target: list[int]) -> None:
    dates = sorted((i for i, e in enumerate(ents) if e["type"] == "DATE"),
                   key=lambda i: ents[i]["start"])
    for i, j in zip(dates, dates[1:]):
        a, b = ents[target[i]], ents[j]
        if a["end"] != b["start"] or a["end"] == a["start"]:
            continue
        last = ctext[a["end"] - 1]
        if (last == "年" and _MONTH_NEXT.match(ctext, b["start"])) or \
                (last == "月" and _DAY_NEXT.match(ctext, b["start"])):
            a["end"], a["score"] = b["end"], min(a["score"], b["score"])
            target[j] = target[i]


@rule("name_pieces", "spans", 20, "PARTY: a company with a region in brackets (同方知网(北京)"
      "技术有限公司) or a bank and its branch read apart is one span")
def _merge_name_pieces(ctext: str, ents: list[dict], target: list[int]) -> None:
    names = sorted((i for i, e in enumerate(ents) if e["type"] in ("PARTY", "AGENCY")),
                   key=lambda i: ents[i]["start"])
    for i, j in zip(names, names[1:]):
        a, b = ents[target[i]], ents[j]
        if a["type"] != "PARTY":
            continue
        m = _BRACKETED.match(ctext[a["end"]:b["end"]])
        bank_branch = b["start"] == a["end"] and _BANK.search(ctext[a["start"]:a["end"]]) \
            and _BRANCH.search(ctext[b["start"]:b["end"]])
        if bank_branch or b["type"] == "PARTY" and m and b["start"] <= a["end"] + m.end() \
                and _ORG_END_RE.search(ctext[b["start"]:b["end"]]):
            a["end"], a["score"] = b["end"], min(a["score"], b["score"])
            target[j] = target[i]


# a split returns (first, second, where the relations go) or None: "copy" (each keeps the
# relations of the joined span), "second" (they go to the second), "first" (they stay)

def _split_two_organs(ctext: str, e: dict, word: re.Pattern, relations_to: str):
    """An AGENCY span that is two organ names with ``word`` between them, split at the word."""
    text = ctext[e["start"]:e["end"]]
    if e["type"] == "AGENCY" and (m := word.search(text)):
        left, right = text[:m.start()], text[m.end():]
        if len(left) >= 2 and len(right) >= 2 and left.endswith(ORGAN_ENDINGS) \
                and right.endswith(ORGAN_ENDINGS):
            return (dict(e, end=e["start"] + m.start()), dict(e, start=e["start"] + m.end()),
                    relations_to)
    return None


@rule("joint_agencies", "spans", 30, "AGENCY: two organs acting jointly (市场监管局联合公安局"
      "网安大队) are two spans; each keeps the relations")
def _split_joint_agencies(ctext: str, e: dict):
    return _split_two_organs(ctext, e, _JOINT, "copy")


_HANDOVER = re.compile(_alternation(words("handover_words.tsv")))


@rule("handover_agencies", "spans", 32, "AGENCY: an organ handing a case to another (公署转介警方, "
      "某局移交公安机关) read as one organ is two; the relations go to the one that takes the case")
def _split_handover_agencies(ctext: str, e: dict):
    return _split_two_organs(ctext, e, _HANDOVER, "second")


@rule("adjacent_titles", "spans", 35, "STATUTE: titles written side by side "
      "(《网络安全法》《数据安全法》) are two statutes; the relations go to both")
def _split_adjacent_titles(ctext: str, e: dict):
    text = ctext[e["start"]:e["end"]]
    k = text.find("》《")
    if e["type"] == "STATUTE" and k > 0:
        return dict(e, end=e["start"] + k + 1), dict(e, start=e["start"] + k + 1), "copy"
    return None


@rule("titled_person", "spans", 40, "PARTY: a company and its employee (某银行江北支行行长葛某东)"
      " are two spans; the relations go to the person")
def _split_titled_person(ctext: str, e: dict):
    text = ctext[e["start"]:e["end"]]
    if e["type"] == "PARTY" and (m := _TITLED_PERSON.fullmatch(text)) \
            and _PERSON_NAME.fullmatch(m.group(2)):
        return dict(e, end=e["start"] + m.end(1)), dict(e, start=e["start"] + m.start(2)), "second"
    return None


@rule("price_per_quantity", "spans", 50, "MONEY: a price per quantity (100万次/400元) is a COUNT "
      "and a MONEY; the relations stay with the MONEY")
def _split_price_per_quantity(ctext: str, e: dict):
    text = ctext[e["start"]:e["end"]]
    if e["type"] == "MONEY" and "/" in text:
        k = text.index("/")
        if k and normalize("COUNT", text[:k]).get("unit") and text[k + 1:].endswith("元"):
            return dict(e, start=e["start"] + k + 1), dict(e, type="COUNT", end=e["start"] + k), \
                "first"
    return None


_MERGES = (("money_range", _merge_money_range), ("date_spaced", _merge_spaced_dates),
           ("date_pieces", _merge_date_pieces), ("name_pieces", _merge_name_pieces))
_SPLITS = (("joint_agencies", _split_joint_agencies),
           ("handover_agencies", _split_handover_agencies),
           ("adjacent_titles", _split_adjacent_titles),
           ("titled_person", _split_titled_person),
           ("price_per_quantity", _split_price_per_quantity))


def restructure_spans(ctext: str, pred: dict, disable: frozenset = frozenset()) -> dict:
    """Span surgery on the model's prediction (clean offsets, as ``assemble`` takes it) where one
    entity was read as two or two as one (the rules money_range, name_pieces, joint_agencies,
    titled_person, price_per_quantity); returns a new prediction, relations carried over."""
    ents = [dict(e) for e in pred["entities"]]
    rels = [dict(r) for r in pred["relations"]]
    target = list(range(len(ents)))                   # old index -> index it was merged into
    for name, merge in _MERGES:
        if name not in disable:
            merge(ctext, ents, target)
    out_e, new_index, extra, moved = [], {}, {}, {}
    for i, e in enumerate(ents):
        if target[i] != i:
            continue
        new_index[i] = len(out_e)
        out_e.append(e)
        for name, split in _SPLITS:
            if name in disable or (parts := split(ctext, e)) is None:
                continue
            first, second, relations_to = parts
            e.clear()
            e.update(first)
            out_e.append(second)
            if relations_to == "copy":
                extra[i] = len(out_e) - 1
            elif relations_to == "second":
                moved[i] = len(out_e) - 1             # the person, the head of the phrase
            break
    out_r = []
    for r in rels:
        h, t = new_index[target[r["head"]]], new_index[target[r["tail"]]]
        h, t = moved.get(target[r["head"]], h), moved.get(target[r["tail"]], t)
        if h == t:
            continue
        out_r.append(dict(r, head=h, tail=t))
        if target[r["tail"]] in extra:
            out_r.append(dict(r, head=h, tail=extra[target[r["tail"]]]))
    return {**pred, "entities": out_e, "relations": out_r}


def retype(type_: str, ctext: str) -> str:
    """The guideline's type of a PARTY / AGENCY span with clean text ``ctext``: companies named like
    organs (banks, associations) are PARTY; a procuratorate, court or police organ, the central
    bank or an anonymized organ (某局) is AGENCY."""
    if type_ == "AGENCY" and _is_company_like(ctext):
        return "PARTY"
    if type_ == "PARTY" and _STATE_ORGAN_PARTY.search(ctext):
        return "AGENCY"
    return type_


@rule("name_division_start", "spans", 60, "AGENCY / PARTY: a name never starts inside a division "
      "name (上海市闵行[区某医院] -> the whole name)")
def _name_division_start(ctext: str, start: int, divisions) -> int:
    return name_start(ctext, start, divisions)


@rule("retype_names", "spans", 70, "PARTY / AGENCY: banks, associations and companies are "
      "PARTY; a procuratorate, court, police organ, central bank or 某局 is AGENCY (again in document)")
def _retype_names(type_: str, ctext: str) -> str:
    return retype(type_, ctext)


def prepare_spans(ctext: str, entities: list[dict], whole_words: bool = True,
                  disable: frozenset = frozenset()) -> list[dict]:
    """The span rules on decoded entities ({"type", "start", "end", "score"}, clean offsets),
    before the relation head reads them, in the order of stage "spans": ``restructure_spans``,
    then each span trimmed and through ``refine_span`` (stage "span"), name_division_start and
    retype_names, then the organ gazetteer and the penalty lists; one entity per (span, type),
    the best score kept. ``assemble`` applies the same rules (they change nothing the second
    time). ``disable``: rule names switched off."""
    ents = restructure_spans(ctext, {"entities": entities, "relations": []}, disable)["entities"]
    fixed = []
    divisions = division_ends(ctext)
    for e in ents:
        settled = _settle(ctext, e["type"], e["start"], e["end"], whole_words, divisions, disable)
        if settled is not None:
            cs, ce, typ = settled
            fixed.append(dict(e, start=cs, end=ce, type=typ))
    if "organ_gazetteer" not in disable:
        fixed = _organ_names(ctext, fixed, divisions)
    if "penalty_lists" not in disable:
        fixed = _complete_penalty_lists(ctext, fixed)
    if "date_spaced_tail" not in disable:
        fixed = _drop_nested_dates(fixed)
    if "date_words" not in disable:
        fixed = _relative_date_words(ctext, fixed)
    if "bracketed_days" not in disable:
        fixed = _bracketed_days(ctext, fixed)
    if "spaced_dates" not in disable:
        fixed = _spaced_dates(ctext, fixed)
    if "spaced_date_ranges" not in disable:
        fixed = _spaced_date_ranges(ctext, fixed)
    if "honorific_persons" not in disable:
        fixed = _honorific_persons(ctext, fixed)
    if "counted_acts" not in disable:
        fixed = _counted_acts(ctext, fixed, whole_words, divisions, disable)
    if "quantified_violations" not in disable:
        fixed = _quantified_violations(ctext, fixed, whole_words, divisions, disable)
    best: dict[tuple, dict] = {}
    for e in fixed:
        k = (e["start"], e["end"], e["type"])
        if k not in best or best[k]["score"] < e["score"]:
            best[k] = e
    return sorted(best.values(), key=lambda e: (e["start"], e["end"], e["type"]))


# penalties a list names (clean text; ANNOTATION.md's penalty kind and its usual members)
_PENALTY_WORDS = words("penalty_list_words.tsv")
_LIST_GAP = re.compile(r"[^、，,。；;：:\n]{0,6}?、")      # the rest of an item (违法行为), then 、


@rule("penalty_lists", "spans", 90, "ACTION: each penalty of a 、-list is its own act (警告、罚款、"
      "暂停执业): the items the model missed are added")
def _complete_penalty_lists(ctext: str, ents: list[dict]) -> list[dict]:
    """Each penalty in a list is its own ACTION (corpus/README.md): where the model read some
    items of a 、-list of penalties (警告、罚款、暂停执业) and not others, the missing items that are
    penalty words become ACTIONs, scored as the read item they were reached from; the relation head
    then reads their arguments like any other's."""
    acts = sorted((e for e in ents if e["type"] == "ACTION" and
                   normalize("ACTION", ctext[e["start"]:e["end"]])["kind"] == "penalty"),
                  key=lambda e: e["start"])
    if not acts:
        return ents
    taken = [(e["start"], e["end"]) for e in ents]
    added = []
    for a in acts:
        for step in (1, -1):                          # the items after it, then before it
            pos = a["end"] if step == 1 else a["start"]
            while True:
                if step == 1:
                    m = _LIST_GAP.match(ctext, pos)
                    word = m and next((w for w in _PENALTY_WORDS
                                       if ctext.startswith(w, m.end())), None)
                    span = (m.end(), m.end() + len(word)) if word else None
                else:
                    word = ctext[pos - 1:pos] == "、" and next(
                        (w for w in _PENALTY_WORDS if ctext.endswith(w, 0, pos - 1)), None)
                    span = (pos - 1 - len(word), pos - 1) if word else None
                if span is None:
                    break
                if not any(s < span[1] and span[0] < e for s, e in taken):
                    added.append({"type": "ACTION", "start": span[0], "end": span[1],
                                  "score": a["score"]})
                    taken.append(span)
                pos = span[1] if step == 1 else span[0]
    return ents + added


def _settle(ctext: str, typ: str, cs: int, ce: int, whole_words: bool, divisions,
            disable: frozenset = frozenset()) -> tuple | None:
    """One span through trimming, ``refine_span``, name_division_start (a name never starts
    inside a division name: 上海市闵行[区某医院] -> the whole name) and retype_names, again until
    none of them changes it (a span widened or retyped is checked as what it has become); None
    when dropped."""
    for _ in range(4):
        ts, te = trim_edges(ctext, cs, ce)
        r = refine_span(typ, ctext, ts, te, whole_words, disable) if ts < te else None
        if r is None:
            return None
        start = r[0]
        if typ in ("PARTY", "AGENCY") and "name_division_start" not in disable:
            start = _name_division_start(ctext, start, divisions)
        new_typ = typ if "retype_names" in disable else _retype_names(typ, ctext[start:r[1]])
        new = (start, r[1], new_typ)
        if new == (cs, ce, typ):
            break
        cs, ce, typ = new
    return cs, ce, typ


@rule("organ_gazetteer", "spans", 80, "AGENCY: an organ name of divisions + an organ word "
      "(重庆市某区人民检察院), or an organ named without one that stands as a word (公安部, 律政司: "
      "named_organs.tsv), is one AGENCY; pieces give way to it, a missed one is added")
def _organ_names(ctext: str, ents: list[dict], divisions: dict[int, int]) -> list[dict]:
    """Organ names of the gazetteer (lawie.infer.organs: division names + an organ word, and the
    named organs of named_organs.tsv where they stand as whole words) the model did not read
    whole: the PARTY / AGENCY pieces inside or across one (重庆[市某]区人民检察院) give way to the
    name as AGENCY with their best score; a name no entity touches is added with the gazetteer's
    precision as score. A predicted AGENCY running on past a name into no organ word
    ([芜湖市市场监管局执法人员]) is cut to the name. A name inside a longer predicted organ
    (诸暨市人民检察院|第五检察部) or touching another type is left alone, except an ACTION inside
    it, which is a piece of it (东区|裁判法院)."""
    names = organ_names(ctext, divisions)
    bounds = None
    for s, e in named_organs(ctext):                  # 公安部, 律政司; not 公安部|门
        if any(a < e and s < b for a, b in names):
            continue
        bounds = bounds or word_bounds(ctext)
        if not bounds.leaves_fragment(s, e):
            names.append((s, e))
    for s, e in sorted(names):
        touching = [x for x in ents if x["start"] < e and s < x["end"]]
        # an ACTION inside the name is a piece of it (东区|裁判法院: 裁判 is also a verb)
        if any(x["type"] not in ("PARTY", "AGENCY") and not (
                x["type"] == "ACTION" and s <= x["start"] and x["end"] <= e) for x in touching):
            continue
        whole = [x for x in touching if x["start"] <= s and e <= x["end"] and not (
            x["type"] == "AGENCY" and not ctext[x["start"]:x["end"]].endswith(ORGAN_ENDINGS))]
        if whole:                                     # read whole already: drop pieces inside it
            ents = [x for x in ents if not any(x is t for t in touching) or x is whole[0]
                    or not (whole[0]["start"] <= x["start"] and x["end"] <= whole[0]["end"])]
            continue
        score = max((x["score"] for x in touching), default=GAZETTEER_SCORE)
        ents = [x for x in ents if not any(x is t for t in touching)]
        ents.append({"type": "AGENCY", "start": s, "end": e, "score": score})
    return ents


class _Taken:
    """The spans of a document's entities, asked whether a candidate span overlaps one (bisect over
    the starts and the running maximum of the ends: linear in the entities)."""

    def __init__(self, ents: list[dict]):
        spans = sorted((e["start"], e["end"]) for e in ents)
        self.starts = [a for a, _ in spans]
        self.max_end = list(itertools.accumulate((b for _, b in spans), max))

    def overlaps(self, start: int, end: int) -> bool:
        k = bisect.bisect_left(self.starts, end) - 1      # the entities starting before `end`
        return k >= 0 and self.max_end[k] > start

    def between(self, start: int, end: int) -> int:
        """How many entities start in [start, end)."""
        return bisect.bisect_left(self.starts, end) - bisect.bisect_left(self.starts, start)


# ------------------------------------------------------------ relative date words
# the words that name a date relative to the document's own (今年, 去年, 今天, 昨日, 上月): a date
# the model often misses (real-text breadth issue), which the normalizer reads against the
# document date
_DOC_RELATIVE = tuple(sorted(words("document_date_words.tsv"), key=len, reverse=True))
_DOC_RELATIVE_RE = re.compile("|".join(_DOC_RELATIVE))
_DATE_WORD_SCORE = 0.9
_DATE_WORD_NAMES = tuple(words("date_word_names.tsv"))


@rule("date_words", "spans", 94, "DATE: a word that names a date relative to the document's "
      "(今年, 去年, 今天, 昨日, 上月) is a DATE where it stands as a word and touches no entity")
def _relative_date_words(ctext: str, ents: list[dict]) -> list[dict]:
    added, bounds, taken = [], None, _Taken(ents)
    for m in _DOC_RELATIVE_RE.finditer(ctext):
        cs, ce = m.span()
        if taken.overlaps(cs, ce):
            continue
        if ctext.startswith(_DATE_WORD_NAMES, cs):
            continue                                  # 今日头条: an app
        bounds = bounds or word_bounds(ctext)
        w = bounds.word_around(ce)
        if bounds.word_around(cs) is not None or (
                w is not None and ctext[ce:w[1]] not in _DATE_TAIL):
            continue                                  # inside a longer word; 今年|以来 is one
        added.append({"type": "DATE", "start": cs, "end": ce, "score": _DATE_WORD_SCORE})
    return ents + added if added else ents


# 今（15）日, 昨(14)日: the day of the document's month, written in brackets after 今 / 昨 (Taiwan's
# and Hong Kong's press); the normalizer reads it as that day (labels/values.py)
_BRACKETED_DAY = re.compile(r"[今昨]\s*[（(]\s*[0-9]{1,2}\s*[)）]\s*日")


@rule("bracketed_days", "spans", 95, "DATE: a day written in brackets after 今 / 昨 (今（15）日, "
      "昨(14)日) is a DATE where it touches no entity")
def _bracketed_days(ctext: str, ents: list[dict]) -> list[dict]:
    taken = _Taken(ents)
    added = [{"type": "DATE", "start": m.start(), "end": m.end(), "score": _DATE_WORD_SCORE}
             for m in _BRACKETED_DAY.finditer(ctext) if not taken.overlaps(*m.span())]
    return ents + added if added else ents


def _drop_nested_dates(ents: list[dict]) -> list[dict]:
    """Without the DATEs that lie inside a longer DATE (the piece 月 1 日 of 2022 年 6 月 1 日, once
    date_spaced_tail ran the date to its end)."""
    dates = sorted(((e["start"], -e["end"], k) for k, e in enumerate(ents) if e["type"] == "DATE"))
    inside, reach = set(), -1
    for s, neg_end, k in dates:
        if -neg_end <= reach:
            inside.add(k)
        reach = max(reach, -neg_end)
    return [e for k, e in enumerate(ents) if k not in inside] if inside else ents


# ------------------------------------------------------------ dates written with spaces
# 2017 年 9 月, 12 月 15 日: a date whose pieces a web copy spaced, which the model, trained on
# unspaced dates, leaves untagged; a space inside is required, so a date as usually written is the
# model's to find
_SPACED_DATE = re.compile(
    rf"(?<![0-9０-９])(?:[0-9]{{4}}{_SPACE}年{_SPACE}[0-9]{{1,2}}{_SPACE}月(?:{_SPACE}[0-9]{{1,2}}{_SPACE}[日号])?"
    rf"|[0-9]{{1,2}}{_SPACE}月{_SPACE}[0-9]{{1,2}}{_SPACE}[日号])")
_SPACED_DATE_SCORE = 0.9
_DATE_PIECE = (rf"(?:[0-9]{{4}}{_SPACE}年(?:{_SPACE}[0-9]{{1,2}}{_SPACE}月(?:{_SPACE}[0-9]{{1,2}}{_SPACE}[日号])?)?"
               rf"|[0-9]{{1,2}}{_SPACE}月(?:{_SPACE}[0-9]{{1,2}}{_SPACE}[日号])?)")
_SPACED_RANGE = re.compile(rf"(?<![0-9]){_DATE_PIECE}{_SPACE}(?:至|到|-|—|~){_SPACE}{_DATE_PIECE}")


@rule("spaced_date_ranges", "spans", 96, "DATE: a range of dates written with spaces and read in "
      "pieces (2014 年 10 月|月到|2016 年 7 月) is one span, where only DATEs stand in it")
def _spaced_date_ranges(ctext: str, ents: list[dict]) -> list[dict]:
    out = ents
    for m in _SPACED_RANGE.finditer(ctext):
        cs, ce = m.span()
        if not _has_space(m.group(0)):
            continue
        inside = [e for e in out if e["start"] < ce and cs < e["end"]]
        if not inside or any(e["type"] != "DATE" or e["start"] < cs or e["end"] > ce
                             for e in inside):
            continue                          # nothing read there, or another entity: left alone
        if len(inside) == 1 and (inside[0]["start"], inside[0]["end"]) == (cs, ce):
            continue
        score = min(e["score"] for e in inside)
        out = [e for e in out if not any(e is x for x in inside)] + \
            [dict(inside[0], start=cs, end=ce, score=score)]
    return out


@rule("spaced_dates", "spans", 95, "DATE: a date written with spaces (2017 年 9 月, 12 月 15 日) "
      "is a DATE where it touches no entity")
def _spaced_dates(ctext: str, ents: list[dict]) -> list[dict]:
    added, taken = [], None
    for m in _SPACED_DATE.finditer(ctext):
        cs, ce = m.span()
        if not _has_space(m.group(0)):
            continue
        taken = taken or _Taken(ents)
        if not taken.overlaps(cs, ce):
            added.append({"type": "DATE", "start": cs, "end": ce, "score": _SPACED_DATE_SCORE})
    return ents + added if added else ents


# ------------------------------------------------------------ persons named by an honorific
_HONORIFIC_SCORE = 0.9


@lru_cache(maxsize=1)
def _honorific_regex() -> re.Pattern:
    surnames = "".join(words("surnames.tsv"))
    rows = table("honorifics.tsv", ("word", "position"))
    after = [w for w, pos, *_ in rows if pos == "after"]
    before = [w for w, pos, *_ in rows if pos == "before"]
    return re.compile(rf"(?:{_alternation(before)})[{surnames}](?![{surnames}\u4e00-\u9fff]某)|"
                      rf"[{surnames}](?:{_alternation(after)})")


@rule("honorific_persons", "spans", 93, "PARTY: a person the text names by surname and honorific "
      "(刘女士, 顾先生, 小陈, 老王) is a PARTY where it stands as a word and touches no entity")
def _honorific_persons(ctext: str, ents: list[dict]) -> list[dict]:
    added, bounds, taken = [], None, _Taken(ents)
    for m in _honorific_regex().finditer(ctext):
        cs, ce = m.span()
        if taken.overlaps(cs, ce):
            continue
        bounds = bounds or word_bounds(ctext)
        if bounds.word_around(cs) is not None or bounds.word_around(ce) is not None:
            continue                                  # 小白兔, 老李子: a longer word
        if ctext[cs:ce] in _NOT_HONORIFIC:
            continue                                  # 小白: a word, no one
        added.append({"type": "PARTY", "start": cs, "end": ce, "score": _HONORIFIC_SCORE})
    return ents + added if added else ents


# ------------------------------------------------------------ acts counted in statistics
_COUNTED_ACT_SCORE = 0.5
_COUNT_GAP = re.compile(r"[^，,。；;：:！？!?\n、“”\"]{0,12}")


@lru_cache(maxsize=None)
def _act_lemmas(exclude: tuple) -> re.Pattern:
    """The act lemmas of the act lexicon (acts.tsv) of two characters or more whose kind is not in
    ``exclude``, longest first."""
    return re.compile(_alternation(sorted({w for w, kind, *_ in table("acts.tsv", ("lemma", "kind"))
                                           if len(w) >= 2 and kind not in exclude},
                                          key=lambda w: (-len(w), w))))


# what counted_acts reads as an organ's counted act, and which act words between it and the COUNT
# take the count (检查|发现问题3个); a violation word between names the offence counted
# (起诉|侵犯公民个人信息犯罪案件12件)
_COUNTED_EXCLUDE = ("none", "violation", "clue")
_BETWEEN_EXCLUDE = ("none", "violation")


@rule("counted_acts", "spans", 97, "ACTION: an organ's act counted in statistics (共立案12件, 起诉"
      "…案件30人: acts.tsv) is an act where the COUNT follows it in the same clause")
def _counted_acts(ctext: str, ents: list[dict], whole_words: bool, divisions,
                  disable: frozenset = frozenset()) -> list[dict]:
    counts = sorted(e["start"] for e in ents if e["type"] == "COUNT")
    if not counts:
        return ents
    taken = _Taken(ents)
    bounds = word_bounds(ctext)
    added = []
    for m in _act_lemmas(_COUNTED_EXCLUDE).finditer(ctext):
        cs, ce = m.span()
        k = bisect.bisect_left(counts, ce)              # the first COUNT after the act
        if k == len(counts) or not _takes_object(ctext, ce, counts[k], taken):
            continue                                  # another entity or act between: not its count
        if taken.overlaps(cs, ce) or bounds.leaves_fragment(cs, ce):
            continue
        act = _added_act(ctext, cs, ce, _COUNTED_ACT_SCORE, whole_words, divisions, disable)
        if act is not None:
            added.append(act)
    return ents + added if added else ents


def _takes_object(ctext: str, end: int, start: int, taken: "_Taken") -> bool:
    """Whether the entity at ``start`` is the object of the act word ending at ``end``: in the
    same clause, at most 12 characters on, no other entity or act word between."""
    return bool(_COUNT_GAP.fullmatch(ctext, end, start)) and taken.between(end, start) == 0 \
        and not _act_lemmas(_BETWEEN_EXCLUDE).search(ctext, end, start)


def _added_act(ctext: str, cs: int, ce: int, score: float, whole_words: bool, divisions,
               disable: frozenset):
    """An ACTION on [cs, ce) as the span rules settle it, or None where they make it no act."""
    settled = _settle(ctext, "ACTION", cs, ce, whole_words, divisions, disable)
    if settled is None or settled[2] != "ACTION":
        return None
    return {"type": "ACTION", "start": settled[0], "end": settled[1], "score": score}


# ------------------------------------------------------------ violations with their quantity
# the guideline annotates a violation act when it has a COUNT, MONEY or DATE argument: a violation
# word of the act lexicon whose object is counted right after it (出售3万条, 泄露客户信息3万条), or
# put before it with 将 / 把 (将3万条信息出售) or as the subject of a passive (3万条信息被出售), and a
# profit word with its sum (违法所得70余万元), are acts. (Penalty words with their sum were tried
# too: 罚没金额, 判处其罚款港币1.4万元 on generated dev cost more than they found.)
_QUANTIFIED_FRAMES = {"acquire": "COUNT", "transfer": "COUNT", "publish": "COUNT",
                      "profit": "MONEY"}
_QUANTIFIED_SCORE = 0.5
_OBJECT_MARKERS = table("object_markers.tsv", ("word", "role"))
_BA = tuple(w for w, role in _OBJECT_MARKERS if role == "ba")
_PASSIVE = tuple(w for w, role in _OBJECT_MARKERS if role == "passive")
_FRONTED = tuple(w for w, role in _OBJECT_MARKERS if role == "fronted")
_PROFIT_OBJECT = words("profit_objects.tsv")


@lru_cache(maxsize=None)
def _violation_lemmas() -> tuple[re.Pattern, dict]:
    """The violation lemmas of acts.tsv of two characters or more whose frame takes a quantity
    (_QUANTIFIED_FRAMES), longest first, and the entity type each one's quantity is."""
    quantity = {w: _QUANTIFIED_FRAMES[frame]
                for w, kind, frame, *_ in table("acts.tsv", ("lemma", "kind", "frame"))
                if kind == "violation" and len(w) >= 2 and frame in _QUANTIFIED_FRAMES}
    return re.compile(_alternation(sorted(quantity, key=lambda w: (-len(w), w)))), quantity


@rule("quantified_violations", "spans", 98, "ACTION: a violation word of acts.tsv with its "
      "quantity in the same clause (出售3万条, 将3万条信息出售, 违法所得70余万元) is an act")
def _quantified_violations(ctext: str, ents: list[dict], whole_words: bool, divisions,
                           disable: frozenset = frozenset()) -> list[dict]:
    lemmas, quantity = _violation_lemmas()
    starts = {t: sorted(e["start"] for e in ents if e["type"] == t) for t in ("COUNT", "MONEY")}
    if not (starts["COUNT"] or starts["MONEY"]):
        return ents
    ba_ends = sorted(e["end"] for e in ents if e["type"] == "COUNT"
                     and ctext.endswith(_BA, 0, e["start"]))
    count_ends = sorted(e["end"] for e in ents if e["type"] == "COUNT")
    taken = _Taken(ents)
    bounds = word_bounds(ctext)
    added = []
    for m in lemmas.finditer(ctext):
        cs, ce = m.span()
        if taken.overlaps(cs, ce) or bounds.leaves_fragment(cs, ce):
            continue
        if quantity[m.group()] == "MONEY" and _names_the_money(ctext, cs):
            continue                                  # 对X的违法所得5万元予以没收: the thing, no act
        after = starts[quantity[m.group()]]
        k = bisect.bisect_left(after, ce)               # its quantity after it
        found = k < len(after) and _takes_object(ctext, ce, after[k], taken)
        if not found and quantity[m.group()] == "COUNT":
            # 将 + COUNT + its noun, then the verb; or the passive: 3万条信息被(人)出售
            found = _count_before(ctext, ba_ends, cs, taken) or _count_before(
                ctext, count_ends, cs, taken, lambda a: ctext.endswith(_PASSIVE, a, cs))
        if not found:
            continue
        act = _added_act(ctext, cs, ce, _QUANTIFIED_SCORE, whole_words, divisions, disable)
        if act is not None:
            added.append(act)
    return ents + added if added else ents


def _count_before(ctext: str, ends: list, start: int, taken: "_Taken", also=None) -> bool:
    """Whether the last COUNT of ``ends`` (sorted ends) before ``start`` stands in its clause,
    at most 12 characters before, no entity between (and ``also(its end)`` holds)."""
    k = bisect.bisect_right(ends, start) - 1
    return k >= 0 and bool(_COUNT_GAP.fullmatch(ctext, ends[k], start)) \
        and taken.between(ends[k], start) == 0 and (also is None or also(ends[k]))


def _names_the_money(ctext: str, start: int) -> bool:
    """Whether the profit word at ``start`` names the money (after a word of profit_objects.tsv, or
    in a clause that opens with a fronting word of object_markers.tsv): 对张某的违法所得5万元予以没收,
    退出违法所得3200元."""
    return ctext.endswith(_PROFIT_OBJECT, 0, start) \
        or ctext.startswith(_FRONTED, unit_start(ctext, start, LIST_PUNCT))
