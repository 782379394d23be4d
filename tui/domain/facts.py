"""The one interface of a fact base: what the CLI, the app and the search ask of the facts.

Two classes implement it: :class:`tui.domain.model.FactBase` holds a fact tree in memory, and
:class:`tui.store.indexed.IndexedBase` answers from the on-disk index without holding it. Code
that reads facts is typed against :class:`Facts`, never against one of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol, runtime_checkable

from tui.domain.model import County, Fact, Metric, Skip, Source, Theme

__all__ = ["Facts", "Region"]

Region = tuple[str, int, int]
"""A region above the counties (a province): its name, number of counties and number of facts."""


@runtime_checkable
class Facts(Protocol):
    """A fact tree's themes, metrics, counties, sources and facts, and the questions asked of them.

    Collections are in file order (themes in their own order); lookups by id raise KeyError
    for an unknown id.
    """

    @property
    def themes(self) -> tuple[Theme, ...]: ...
    @property
    def metrics(self) -> tuple[Metric, ...]: ...
    @property
    def counties(self) -> tuple[County, ...]: ...
    @property
    def sources(self) -> tuple[Source, ...]: ...
    @property
    def skips(self) -> tuple[Skip, ...]: ...
    @property
    def facts(self) -> Iterable[Fact]:
        """Every fact, in file order."""
        ...

    @property
    def root(self) -> str:
        """The folder that holds ``facts/`` and ``seeds/``."""
        ...

    def theme(self, theme_id: str) -> Theme: ...
    def metric(self, metric_id: str) -> Metric: ...
    def county(self, county_id: str) -> County: ...
    def source(self, source_id: str) -> Source: ...
    def fact(self, fact_id: str) -> Fact: ...
    def has_fact(self, fact_id: str) -> bool: ...
    def current_id(self, fact_id: str) -> str | None:
        """The id that ``fact_id`` cites now: itself, the id of the fact that lists it among its
        ``former_ids``, or None if no fact has it."""
        ...

    def theme_of(self, fact: Fact) -> Theme:
        """The theme of the fact's metric."""
        ...

    def first_county(self) -> County | None:
        """The first county in file order (where the app opens), if there is one."""
        ...

    def regions(self) -> tuple[Region, ...]:
        """Each region, in the order of its first county."""
        ...

    def select(
        self,
        *,
        county: str | None = None,
        theme: str | None = None,
        metric: str | None = None,
        source: str | None = None,
    ) -> tuple[Fact, ...]:
        """The facts that match every given filter, in file order."""
        ...

    def sources_of(self, county: str) -> tuple[Source, ...]:
        """A county's articles, in file order."""
        ...

    def county_sizes(self) -> dict[str, int]:
        """How many facts each county has."""
        ...

    def metric_sizes(self) -> dict[str, int]:
        """How many facts each metric has, over all counties."""
        ...

    def tally(self, *, county: str | None = None, metric: str | None = None) -> dict[tuple[str, str], int]:
        """Facts per (county, metric), for one county or one metric (the tree's counts)."""
        ...

    def disagreements(self, fact: Fact) -> tuple[Fact, ...]:
        """Facts from other sources that measure the same thing and cannot both be true
        (see :func:`tui.domain.model.disagreeing`)."""
        ...

    def __iter__(self) -> Iterator[Fact]: ...
    def __len__(self) -> int: ...
