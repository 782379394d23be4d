"""The wording rules of ``povtui check``: what the words of a quote around its number say
about the figure (a plan word, a yearly average, one household's figure)."""

from __future__ import annotations

import re
from decimal import Decimal

from tui.domain.model import Fact, FactBase
from tui.domain.numbers import Number, numbers_in

__all__ = ["governing", "one_household", "plan_word", "value_number", "yearly_average"]


# -- where the number stands in its quote ------------------------------------------------

_SENTENCE_END = "。；;！？!?"
_CLAUSE_END = _SENTENCE_END + "，,：:"
_SHORT_LEAD = 12
"""A sentence's first clause this short (到2020年, 今年计划) governs the clauses after it."""


def value_number(fact: Fact) -> Number | None:
    """Where the quote writes the fact's value: preferably right before its unit."""
    if isinstance(fact.value, str):  # a date: its year
        wanted = Decimal(int(fact.value[:4]))
    else:
        wanted = fact.value
    found = sorted((n for n in numbers_in(fact.quote) if n.value == wanted), key=lambda n: n.start)
    for number in found:
        if fact.quote.startswith(fact.unit, number.end):
            return number
    return found[0] if found else None


def governing(quote: str, start: int) -> str:
    """The text that governs the number at ``start``: its clause up to the number, after the
    sentence's first clause when that one is a short lead (到2020年，…)."""
    sentence = max(quote.rfind(ch, 0, start) for ch in _SENTENCE_END) + 1
    clause = max(quote.rfind(ch, 0, start) for ch in _CLAUSE_END) + 1
    text = quote[clause:start]
    if clause > sentence:
        lead_end = min((i for i in (quote.find(ch, sentence) for ch in _CLAUSE_END) if i >= 0), default=-1)
        if 0 <= lead_end - sentence <= _SHORT_LEAD:
            text = quote[sentence:lead_end] + "，" + text
    return text


# -- plan words --------------------------------------------------------------------------

_PLAN = re.compile(r"计划|目标|力争|争取|确保|预计|规划|将|到\s*(\d{4})\s*年")
_NOT_PLAN_BEFORE = ("按", "照", "超", "完成", "实现", "达成", "如期")
"""按计划 / 超计划 / 完成目标 speak of a plan that was carried out."""
_NOT_PLAN_AFTER = {"计划": "生育", "将": "近", "确保": "了"}
"""计划生育 (family planning), 将近 (nearly: a bound), 确保了 (did ensure)."""
_NOT_GOAL_BEFORE = ("达", "直", "至")
"""达到2020年的水平, 直到2019年, 截至到: 到 that does not open a goal."""
_DISPOSAL_START = tuple("其之该这此全所各每")
"""将 like 把 takes an object: 将其, 将全县…, 将所有…"""
_DISPOSAL_VERBS = re.compile(r"纳入|列入|作为|转为|变为|变成|打造成|规整|交给|移交")


def _year_of(text: str) -> int:
    return int(text[:4])


def _period_end(when: str) -> int:
    return _year_of(when.split("..")[-1])


def plan_word(fact: Fact, base: FactBase) -> str | None:
    """The plan word that governs the fact's number, if any (and the fact is kind achieved)."""
    if fact.kind != "achieved" or not _PLAN.search(fact.quote):  # most quotes: one regex search
        return None
    number = value_number(fact)
    if number is None:
        return None
    text = governing(fact.quote, number.start)
    article_year = _year_of(base.source(fact.source).date)
    for match in _PLAN.finditer(text):
        word, before, after = match.group(), text[: match.start()], text[match.end() :]
        if word in _NOT_PLAN_AFTER and after.startswith(_NOT_PLAN_AFTER[word]):
            continue
        if before.count("《") > before.count("》"):
            continue  # 《…乡村振兴战略规划（2018—2022）》: a title
        if word != "将" and before.endswith(_NOT_GOAL_BEFORE if word.startswith("到") else _NOT_PLAN_BEFORE):
            continue
        if word == "将" and (not after or after.endswith("的") or after.startswith(_DISPOSAL_START)):
            continue  # 将3101户…纳入, 她将家里的4亩…: 将 as 把, not "will"
        if word == "将" and _DISPOSAL_VERBS.search(fact.quote, number.end):
            continue
        if match.group(1) is not None and int(match.group(1)) < article_year:
            continue  # 到2019年底 in an article of 2021: a past date, not a goal
        if word == "预计" and _period_end(fact.when) < article_year:
            continue  # a preliminary estimate of a finished period, not a forecast
        return word
    return None


# -- yearly averages ---------------------------------------------------------------------

_YEARLY_AVERAGE = re.compile(r"年均|年平均|平均每年|每年平均")


def yearly_average(fact: Fact) -> str | None:
    if ".." in fact.when or not _YEARLY_AVERAGE.search(fact.quote):
        return None
    number = value_number(fact)
    if number is None:
        return None
    match = _YEARLY_AVERAGE.search(governing(fact.quote, number.start))
    return match.group() if match else None


# -- one household or person -------------------------------------------------------------

_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范廖贾夏韦付方白邹孟熊秦邱尹薛段雷侯龙史陶黎贺顾毛郝龚邵钱严覃戴莫孔向汤冉翟屈欧"
)
_HAN = "[\u4e00-\u9fff]"
_ONE_HOUSEHOLD = re.compile(
    "|".join(
        (
            r"(?<![每户])一户(?![一多])",  # 一户 (not 每一户, 一户一策)
            r"[他她其我]家(?![庭乡村镇企园])|自家|全家|家里",  # his/her/my family
            rf"农户{_HAN}{{1,3}}家",  # 农户冉某家
            rf"{_HAN}某(?![些种个项一地类]){_HAN}?",  # 冉某, 朱某梅: a name withheld
            r"[他她](?!们)(?:已经|已|今年|去年)?(?:赚|挣)",  # 她已经赚了
            rf"(?:贫困户|脱贫户|农户|村民|户主)(?!李子|黄连|马铃|高山|田间)[{_SURNAMES}]{_HAN}{{1,2}}"
            r"(?:种植|养殖|种|养|家|说|夫妇|一家|靠|通过|今年|去年|年收入|脱贫)",  # 贫困户张寿康种植
        )
    )
)
_PLACE_SCOPE = re.compile(r"(?:村|社区|乡|镇|街道|县|区|组|寨)$")
_PERSON_SCOPE = re.compile(r"(?:户|家)$|household|person|example", re.IGNORECASE)


def one_household(fact: Fact) -> str | None:
    scope = fact.scope
    if _PERSON_SCOPE.search(scope) or not (scope == "county" or _PLACE_SCOPE.search(scope)):
        return None
    match = _ONE_HOUSEHOLD.search(fact.quote)
    return match.group() if match else None


# -- one figure twice --------------------------------------------------------------------
