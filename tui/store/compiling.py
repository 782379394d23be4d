"""One county file compiled into the rows of the index: parsed, checked, its pinyin read.

During a full build this runs in worker processes (:func:`compile_all`); the model each
worker needs (the metrics, the fact tree's root, the themes' ranks) is handed to it once.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui.domain.model import KIND_RANK, Metric, Problem, Source, Theme
from tui.search.filters import when_years
from tui.search.pinyin import read
from tui.search.tokens import initial_windows, spaced, syllables_of
from tui.store.codec import county_data, fact_data, reading_of, reading_text, relative, skip_data, source_data
from tui.store.freshness import REJECTED, dep_verdict, refused_sources
from tui.store.schema import fact_rowid

__all__ = [
    "PARALLEL_FROM",
    "Compiled",
    "Model",
    "compile_all",
    "compile_file",
    "init_worker",
    "load_model",
    "model_json",
]

PARALLEL_FROM = 64
"""County files from which a full build parses and reads pinyin in several processes."""

FactRow = tuple[Any, ...]
"""A fact's row: its rowid, the columns of ``facts`` after ``file``, then its full-text columns."""


@dataclass
class Compiled:
    """One county file, ready to insert."""

    name: str
    county: tuple[str, str, str] | None
    """Its county's id, record and the stored readings of its names."""
    sources: list[tuple[str, str]]
    facts: list[FactRow]
    skips: list[str]
    problems: Sequence[tuple[str, int, str, str, str]]
    syllables: set[str] = field(default_factory=set)
    deps: dict[str, str | None] = field(default_factory=dict)
    """The source files it names, with what the loader made of each (None: usable)."""


@dataclass(frozen=True)
class Model:
    """What compiling a county file needs to know of the rest of the tree."""

    metrics: dict[str, Metric]
    root: Path
    theme_ranks: dict[str, int]


_model: list[Model] = []
"""The model of this process (a worker's, or the main process's): set by :func:`init_worker`."""


def init_worker(metrics: dict[str, Metric], root: str, theme_ranks: dict[str, int]) -> None:
    """Give this process the model that :func:`compile_file` uses."""
    _model[:] = [Model(metrics, Path(root), theme_ranks)]


def _end_with(parent: int) -> None:
    """End this (worker) process as soon as ``parent`` ends.

    A pool's workers are children of the forkserver, not of the build, and each holds both ends
    of its job queue, so nothing else ends them when the build is killed outright (``kill -9``,
    the OOM killer); and while one lives, so do the forkserver and the resource tracker."""
    import threading

    def watch() -> None:
        try:
            handle = os.pidfd_open(parent)
        except (AttributeError, OSError):  # not Linux 5.3+: look once a second
            while True:
                try:
                    os.kill(parent, 0)
                except ProcessLookupError:
                    os._exit(1)
                except OSError:
                    pass
                time.sleep(1.0)
        import select

        poller = select.poll()
        poller.register(handle, select.POLLIN)
        while not poller.poll():
            pass
        os._exit(1)

    threading.Thread(target=watch, name="povtui-parent-watch", daemon=True).start()


def _init_pool_worker(parent: int, metrics: dict[str, Metric], root: str, theme_ranks: dict[str, int]) -> None:
    _end_with(parent)
    init_worker(metrics, root, theme_ranks)


def load_model(facts_dir: Path) -> tuple[list[Theme], list[Metric], list[Problem], dict[str, int]]:
    """Themes, metrics and their problems from ``metrics.toml``, and each theme's rank (its place in order)."""
    from tui.factfiles.metrics import load_metrics

    themes, metrics, problems = load_metrics(facts_dir)
    ordered = sorted(themes, key=lambda t: (t.order, t.id))
    return themes, metrics, problems, {t.id: min(i, 255) for i, t in enumerate(ordered)}


def compile_file(path: str, rank: int) -> Compiled:
    """Parse, check and read one county file (in a worker process during a full build)."""
    model = _model[0]
    from tui.factfiles.loader import load_county  # parsing TOML: only when a file changed

    loaded = load_county(Path(path), model.metrics, model.root)
    problems = [(relative(p.path, model.root), p.line, p.message, p.key, p.severity) for p in loaded.problems]
    compiled = Compiled(Path(path).name, None, [], [], [], problems, deps=_deps(loaded.sources, loaded.problems))
    county = loaded.county
    if county is None:
        return compiled
    overrides = {county.short: tuple(county.pinyin.split())} if county.short else {}
    names = [reading_text(None if t.isascii() else read(t, overrides)) for t in (county.short, county.name)]
    compiled.county = (county.id, county_data(county), "\x1e".join(names))
    compiled.sources = [(s.id, source_data(s)) for s in loaded.sources]
    compiled.skips = [skip_data(s) for s in loaded.skips]
    scope_readings: dict[str, str] = {}
    for position, fact in enumerate(loaded.facts):
        quote = read(fact.quote, overrides)
        scope, scope_text = "", ("", "", "")
        if not fact.is_county_wide:
            if fact.scope not in scope_readings:
                scope_readings[fact.scope] = reading_text(None if fact.scope.isascii() else read(fact.scope, overrides))
            scope = scope_readings[fact.scope]
            reading = reading_of(scope)
            scope_text = (
                spaced(fact.scope),
                " ".join(syllables_of(reading)) if reading else "",
                initial_windows(reading.initials, 2) if reading else "",
            )
        theme_rank = model.theme_ranks[model.metrics[fact.metric].theme]
        rowid = fact_rowid(fact.is_county_wide, KIND_RANK[fact.kind], theme_rank, rank, position)
        canonical = None if isinstance(fact.canonical, str) else float(fact.canonical)
        most = None if fact.canonical_max is None else float(fact.canonical_max)
        syllables = syllables_of(quote)
        compiled.syllables.update(syllables)
        compiled.facts.append(
            (
                rowid,
                fact.id,
                fact.county,
                fact.metric,
                fact.source,
                fact.kind,
                fact.unit,
                fact.base,
                fact.scope,
                canonical,
                most,
                fact_data(fact),
                reading_text(quote),
                scope,
                *(when_years(fact.when) or (None, None)),
                spaced(fact.quote),
                spaced(fact.when),
                scope_text[0],
                " ".join(syllables),
                initial_windows(quote.initials),
                scope_text[1],
                scope_text[2],
            )
        )
    return compiled


def _deps(sources: Sequence[Source], problems: Sequence[Problem]) -> dict[str, str | None]:
    """The source files a county file names, with the loader's verdict on each: a source it kept
    was usable when it looked; one it refused is judged again now (a refused file that looks
    usable now changed in between: :data:`~tui.store.freshness.REJECTED` has it read again)."""
    root = _model[0].root
    deps: dict[str, str | None] = {s.file: None for s in sources}
    for name in refused_sources((p.message, p.key) for p in problems):
        deps.setdefault(name, dep_verdict(root, name) or REJECTED)
    return deps


def compile_all(
    jobs: list[tuple[str, int]], metrics: list[Metric], root: Path, theme_ranks: dict[str, int]
) -> Iterator[Compiled]:
    """Each (path, rank) of ``jobs`` compiled, in order: in several processes for many files."""
    init = ({m.id: m for m in metrics}, str(root), theme_ranks)
    workers = min(os.cpu_count() or 1, 8)
    if len(jobs) < PARALLEL_FROM or workers < 2:
        init_worker(*init)
        for path, rank in jobs:
            yield compile_file(path, rank)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("forkserver" if os.name == "posix" else "spawn")
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_init_pool_worker, initargs=(os.getpid(), *init)
    ) as pool:
        yield from pool.map(compile_file, *zip(*jobs, strict=True), chunksize=8)


def model_json(themes: list[Theme], metrics: list[Metric]) -> tuple[str, str, str]:
    """Themes, metrics, and the reading of every name of theirs that is not plain ASCII."""
    texts = [t for theme in themes for t in (theme.zh, theme.en)]
    texts += [t for metric in metrics for t in (metric.zh, metric.en, *metric.aliases)]
    readings = {t: reading_text(read(t)) for t in texts if not t.isascii()}
    return (
        json.dumps([[t.id, t.zh, t.en, t.order] for t in themes], ensure_ascii=False),
        json.dumps(
            [[m.id, m.zh, m.en, m.theme, m.base, list(m.aliases), [list(a) for a in m.accept]] for m in metrics],
            ensure_ascii=False,
        ),
        json.dumps(readings, ensure_ascii=False),
    )
