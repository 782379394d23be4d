"""Curation rules of ``povtui check``: the kinds of error the audits of the shipped facts found.

Each rule reads the model only (no source article) and reports a :class:`Problem` whose key is
the rule's name. A fact or metric that trips a rule rightly says so in the file, with a reason:
``accept = { plan_word = "预计 is an estimate of a finished year here" }``. An ``accept`` that
no rule needs is a warning, so that accepts do not outlive the figure they were written for.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from tui.domain.model import Fact, FactBase, Metric, Problem
from tui.domain.numbers import numbers_in
from tui.factfiles.tomlfile import read_bounded, unreadable
from tui.factfiles.wording import governing, one_household, plan_word, value_number, yearly_average
from tui.paths import label_path

__all__ = ["RULES", "curation_problems"]

RULES: dict[str, str] = {
    "plan_word": "a plan word (计划, 目标, 力争, 将, 确保, 预计, 到…年) governs the number of an achieved figure",
    "yearly_average": "年均 / 平均每年 makes the figure an average over a period, but `when` is one point in time",
    "one_household": "the quote is about one household or person, but the scope is a place",
    "same_quote": "two facts of one source have the same quote and value",
    "dated_two_ways": "the same figure from two sources has two `when` that overlap",
    "same_measure_name": "two metrics have names that say the same thing",
    "unused_metric": "a metric no fact uses (a warning)",
}
"""Every rule, by the name that ``accept`` and the problem's key use."""

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class _Hit:
    rule: str
    subjects: tuple[Fact | Metric, ...]
    """What tripped the rule: an ``accept`` of the rule on any of them silences it."""
    path: str
    line: int
    message: str
    severity: Severity = "error"


_DISTRIBUTIVE = re.compile(r"均|都|全部|分别|各|皆|[两二三四五六七八九十]个$")
"""均达100%, 四个100%: one number written once stands for several figures."""


def _same_quote(facts: Sequence[Fact]) -> Iterator[_Hit]:
    groups: dict[tuple[object, ...], list[Fact]] = {}
    for fact in facts:
        groups.setdefault((fact.source, fact.quote, fact.canonical, fact.canonical_max), []).append(fact)
    for group in groups.values():
        if len(group) < 2:
            continue
        first = group[0]
        number = value_number(first)
        if number is not None and _DISTRIBUTIVE.search(governing(first.quote, number.start)):
            continue
        wanted = None if number is None else number.value
        written = len({n.start for n in numbers_in(first.quote) if n.value == wanted}) or 1
        for fact in group[written:]:
            yield _Hit(
                "same_quote",
                (fact, first),
                fact.path,
                fact.line,
                f"the same quote and value as fact {first.id} ({first.path}:{first.line}), which the quote writes "
                f"{written} time(s): one figure counted as two facts ({first.metric} and {fact.metric})?",
            )


def _bounds(when: str) -> tuple[str, str]:
    """The first and last day a ``when`` covers, as ISO strings that compare in date order."""
    first, _, last = when.partition("..")
    last = last or first
    low = first + "-01-01"[len(first) - 4 :] if len(first) < 10 else first
    high = last + "-12-31"[len(last) - 4 :] if len(last) < 10 else last
    return low, high


def _dated_two_ways(facts: Sequence[Fact]) -> Iterator[_Hit]:
    groups: dict[tuple[object, ...], list[Fact]] = {}
    for fact in facts:
        key = (fact.county, fact.metric, fact.scope, fact.kind, fact.canonical, fact.canonical_max)
        groups.setdefault(key, []).append(fact)
    for group in groups.values():
        if len(group) < 2:
            continue
        for index, fact in enumerate(group):
            low, high = _bounds(fact.when)
            for other in group[:index]:
                if other.source == fact.source or other.when == fact.when:
                    continue
                other_low, other_high = _bounds(other.when)
                if low <= other_high and other_low <= high:
                    yield _Hit(
                        "dated_two_ways",
                        (fact, other),
                        fact.path,
                        fact.line,
                        f"the same figure as fact {other.id} of another source ({other.path}:{other.line}), "
                        f"dated {fact.when} here and {other.when} there: give both the same `when`",
                    )
                    break


# -- metrics -----------------------------------------------------------------------------


def _name_key(name: str) -> str:
    """A name folded for comparison: width, case, spaces and punctuation do not count."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


class _MetricPlaces:
    """Where each metric is written in metrics.toml, read only when a problem about a metric
    needs its line (the loader keeps no line for a metric)."""

    def __init__(self, base: FactBase) -> None:
        folder = Path(base.counties[0].path).parent if base.counties else Path(base.root) / "facts"
        self.path = folder / "metrics.toml"
        self._lines: dict[str, int] | None = None

    def __call__(self, metric: Metric) -> tuple[str, int]:
        if self._lines is None:
            self._lines = {}
            text = ""
            if unreadable(self.path) is None:  # not a FIFO, a device or a 5 GB file
                with contextlib.suppress(OSError, UnicodeDecodeError):
                    text = read_bounded(self.path).decode("utf-8-sig")
            for number, line in enumerate(text.split("\n"), start=1):
                match = _METRIC_ID.match(line)
                if match:
                    self._lines.setdefault(match.group(1), number)
        return label_path(self.path), self._lines.get(metric.id, 0)


_METRIC_ID = re.compile(r"""^\s*id\s*=\s*["']([^"']*)["']""")


def _metric_hits(base: FactBase, unused: bool) -> Iterator[_Hit]:
    """The hits of the rules about metrics; their place is filled in later (see _MetricPlaces)."""
    names: dict[str, Metric] = {}
    for metric in base.metrics:
        for name in dict.fromkeys(_name_key(n) for n in (metric.zh, metric.en)):
            other = names.get(name)
            if other is not None and other.id != metric.id:
                yield _Hit(
                    "same_measure_name",
                    (metric, other),
                    "",
                    0,
                    f"metric {metric.id} has the name of {other.id} ({other.zh} / {other.en}): one measure "
                    "needs one metric, and two measures need names that tell them apart",
                )
            names.setdefault(name, metric)
    for metric in base.metrics:
        for alias in metric.aliases:
            other = names.get(_name_key(alias))
            if other is not None and other.id != metric.id:
                yield _Hit(
                    "same_measure_name",
                    (metric, other),
                    "",
                    0,
                    f"metric {metric.id} has the alias {alias!r}, the name of {other.id}: a search for it "
                    "finds two measures under one name",
                )
    used = base.metric_sizes()
    for metric in base.metrics if used and unused else ():  # a tree with no facts yet: nothing to say
        if metric.id not in used:
            yield _Hit(
                "unused_metric",
                (metric,),
                "",
                0,
                f"no fact uses metric {metric.id}: remove it, or say why it stays",
                "warning",
            )


# -- all of them -------------------------------------------------------------------------


def _fact_hits(base: FactBase) -> Iterator[_Hit]:
    facts = base.facts
    for fact in facts:
        word = plan_word(fact, base)
        if word is not None:
            yield _Hit(
                "plan_word",
                (fact,),
                fact.path,
                fact.line,
                f"kind is achieved, but «{word}» governs the number {fact.value}{fact.unit}: "
                'a plan or forecast is kind = "target"',
            )
        word = yearly_average(fact)
        if word is not None:
            yield _Hit(
                "yearly_average",
                (fact,),
                fact.path,
                fact.line,
                f"«{word}» makes {fact.value}{fact.unit} an average over a period, but when = {fact.when!r} is "
                "one point in time: give the period it covers (2016..2020)",
            )
        word = one_household(fact)
        if word is not None:
            yield _Hit(
                "one_household",
                (fact,),
                fact.path,
                fact.line,
                f"«{word}» makes this one household's or person's figure, but the scope is the place "
                f"{fact.scope!r}: scope it to the household (农户某某家) and say in the note it is an example",
            )
    yield from _same_quote(facts)
    yield from _dated_two_ways(facts)


def _accepted(subjects: Iterable[Fact | Metric], rule: str) -> list[Fact | Metric]:
    return [subject for subject in subjects if any(name == rule for name, _ in subject.accept)]


def curation_problems(base: FactBase, *, unused: bool = True) -> list[Problem]:
    """The problems of every curation rule, less those the files accept, plus a warning for
    each ``accept`` that no rule needed. ``unused``: also the metrics no fact uses, a question
    about the whole tree (``check --coverage``), not about a county being curated."""
    problems: list[Problem] = []
    needed: set[tuple[int, str]] = set()
    place = _MetricPlaces(base)
    for hit in (*_fact_hits(base), *_metric_hits(base, unused)):
        accepting = _accepted(hit.subjects, hit.rule)
        if accepting:
            needed.update((id(subject), hit.rule) for subject in accepting)
            continue
        subject = hit.subjects[0]
        path, line = place(subject) if isinstance(subject, Metric) else (hit.path, hit.line)
        problems.append(
            Problem(
                path,
                line,
                f'{hit.message} (if it is right, write accept = {{ {hit.rule} = "why" }} in it)',
                hit.rule,
                hit.severity,
            )
        )
    accepts: list[Fact | Metric] = [f for f in base.facts if f.accept]
    accepts += [m for m in base.metrics if m.accept]
    for subject in accepts:
        for rule, _ in subject.accept:
            if (id(subject), rule) not in needed and (unused or rule != "unused_metric"):
                where, line = place(subject) if isinstance(subject, Metric) else (subject.path, subject.line)
                problems.append(
                    Problem(
                        where,
                        line,
                        f"accept of '{rule}' is not needed: the rule finds nothing here",
                        "accept",
                        "warning",
                    )
                )
    return problems
