"""The on-disk index of a fact tree: SQLite in the user's cache, rebuilt only where files changed.

The TOML files stay the only source of truth. :func:`open_index` compiles them into one SQLite
file under ``$XDG_CACHE_HOME/povtui/`` (or ``$POVTUI_INDEX_DIR``), keyed by the fact tree's path:

- tables for the model (counties, sources, facts, skips, problems), one row per record, each
  tagged with the county file it came from, so that an edited file is re-indexed alone;
- two FTS5 tables: one for text, where every character of a quote is a token (so one- and
  two-character Chinese queries are phrase queries, like longer ones), one for the quote's
  pinyin syllables and the windows of its initials, computed once here rather than at every
  start;
- pinyin readings of every name, so that search never imports pypinyin.

A fact's rowid is its rank when scores tie (county-wide first, then achieved/baseline/target,
theme order, file order, line order), so "the first N matches in rank order" is an index walk.

Freshness: the index records each county file's name, size and modification time, and a key
for ``metrics.toml``, ``seeds/`` and this code. A changed, added or removed county file is
re-indexed in one transaction (readers see the old index or the new one, never half of one);
anything else means a full build, written to a temporary file and renamed into place. Two
processes may do this at once: SQLite serialises the writers, and each full build renames a
complete file. A file that is not an index of ours, or a damaged one, is rebuilt.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import pairwise
from pathlib import Path

from tui.domain.model import KIND_RANK, County, Fact, Metric, Problem, Skip, Source, Theme
from tui.paths import cache_dir, label_path
from tui.search.pinyin import Reading, read

__all__ = ["FORMAT", "IndexStatus", "Progress", "index_path", "open_index", "status"]

FORMAT = 5
"""Bumped whenever the schema or what is stored changes."""

RANK_BITS, LINE_BITS = 20, 20
"""A fact's rowid: county-wide (1 bit), kind (2), theme (8), file rank (20), position in file (20)."""
RANK_SPAN = 1 << RANK_BITS

PARALLEL_FROM = 64
"""County files from which a full build parses and reads pinyin in several processes."""

ABANDONED_AFTER = 600.0
"""Seconds since another process last wrote its unfinished build file, after which that file
is taken as abandoned (a build writes to it all the time) and removed."""

Progress = Callable[[int, int], None]
"""Called with (files done, files in all) while an index is built."""

_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
CREATE TABLE files(id INTEGER PRIMARY KEY, name TEXT UNIQUE, size INTEGER, mtime INTEGER,
                   rank INTEGER, state TEXT);
CREATE TABLE counties(file INTEGER, id TEXT, data TEXT, reading TEXT, facts INTEGER);
CREATE TABLE sources(file INTEGER, id TEXT, data TEXT);
CREATE TABLE skips(file INTEGER, data TEXT);
CREATE TABLE problems(file INTEGER, path TEXT, line INTEGER, message TEXT, key TEXT, severity TEXT);
CREATE TABLE facts(rowid INTEGER PRIMARY KEY, file INTEGER, id TEXT, county TEXT, metric TEXT,
                   source TEXT, kind TEXT, unit TEXT, base TEXT, scope TEXT, canonical REAL,
                   canonical_max REAL, data TEXT, reading TEXT, scope_reading TEXT);
CREATE TABLE tally(metric TEXT PRIMARY KEY, facts INTEGER) WITHOUT ROWID;
CREATE VIRTUAL TABLE text USING fts5(q, w, c, tokenize='unicode61 remove_diacritics 0');
CREATE VIRTUAL TABLE pinyin USING fts5(s, i, cs, ci, tokenize="unicode61 remove_diacritics 0 tokenchars '_'",
                                       prefix='1');
"""
# text: q the quote, one token per character (folded); w the period, likewise; c the scope (a
# township, village …; empty for the whole county), likewise.
# pinyin: s the quote's pinyin syllables; i every three-letter window of its initials; cs, ci the
# same of the scope, with two-letter windows, since a scope's initials match from two letters
# on. The one-letter prefix index makes "a syllable starting with g" (``yang`` typed matches
# 严格, yan ge) one lookup; windows start with "_", so that such a lookup never wades through
# them. (Characters get no prefix index: a one-character prefix of a character is itself.)


_INDEXES = """
CREATE INDEX facts_file ON facts(file);
CREATE INDEX facts_id ON facts(id);
CREATE INDEX facts_county ON facts(county, metric);
CREATE INDEX facts_metric ON facts(metric, county);
CREATE INDEX facts_source ON facts(source);
CREATE INDEX facts_kind ON facts(kind);
CREATE INDEX facts_most ON facts(canonical_max) WHERE canonical_max IS NOT NULL;
CREATE INDEX facts_scope ON facts(scope);
CREATE INDEX facts_canonical ON facts(canonical);
CREATE INDEX counties_file ON counties(file);
CREATE INDEX sources_file ON sources(file);
CREATE INDEX sources_id ON sources(id);
CREATE INDEX counties_id ON counties(id);
CREATE INDEX skips_file ON skips(file);
CREATE INDEX problems_file ON problems(file);
"""
# created after a full build's inserts: sorting once is faster than keeping them up to date


# -- where ------------------------------------------------------------------------------


def _key(facts_dir: Path) -> str:
    return hashlib.sha256(str(facts_dir.resolve()).encode()).hexdigest()[:16]


def index_path(facts_dir: Path, folder: Path | None = None) -> Path:
    """Where the index of ``facts_dir`` lives: ``$POVTUI_INDEX_DIR`` or the user's cache."""
    if folder is None:
        shared = os.environ.get("POVTUI_INDEX_DIR")
        folder = Path(shared) if shared else cache_dir()
    return folder / f"index-{_key(facts_dir)}.sqlite"


# -- what the index depends on ----------------------------------------------------------


def _code_key() -> str:
    here = Path(__file__).parent
    stamps = []
    for name in ("index.py", "loader.py", "model.py", "units.py", "pinyin.py", "tomlfile.py"):
        with contextlib.suppress(OSError):
            stamps.append(f"{name}:{(here / name).stat().st_mtime_ns}")
    return f"{FORMAT}|" + "|".join(stamps)


def _tree_key(facts_dir: Path) -> str:
    """Everything but the county files: metrics.toml, the seeds folder, the code, the path.

    Of ``seeds/`` only the folder's own modification time counts: the loader asks only
    whether a source's file is there, which adding, removing or renaming one changes.
    """
    digest = hashlib.sha256(f"{_code_key()}\x00{facts_dir.resolve()}\x00".encode())
    for path in (facts_dir / "metrics.toml", facts_dir.parent / "seeds"):
        with contextlib.suppress(OSError):
            stat = path.stat()
            digest.update(f"{path.name}\x00{stat.st_size}\x00{stat.st_mtime_ns}\x00".encode())
    return digest.hexdigest()


def _county_files(facts_dir: Path) -> dict[str, tuple[int, int]]:
    """Each county file's name -> (size, mtime), in name order."""
    found = {}
    with contextlib.suppress(OSError):
        with os.scandir(facts_dir) as entries:
            names = sorted(e.name for e in entries if e.name.endswith(".toml") and e.name != "metrics.toml")
        folder = os.path.join(facts_dir, "")
        for name in names:
            try:
                stat = os.stat(folder + name)
            except OSError:
                found[name] = (-1, -1)  # the loader will say what is wrong with it
                continue
            found[name] = (stat.st_size, stat.st_mtime_ns)
    return found


# -- compiling one county file ----------------------------------------------------------


def _reading_text(reading: Reading | None) -> str:
    """A reading stored compactly: joined syllables, then each syllable's length as a digit."""
    if reading is None:
        return ""
    lengths = "".join(chr(48 + b - a) for a, b in pairwise(reading.starts))
    return f"{reading.joined}\x1f{lengths}\x1f{reading.initials}"


def reading_of(stored: str) -> Reading | None:
    if not stored:
        return None
    joined, lengths, initials = stored.split("\x1f")
    starts, offset = [0], 0
    for ch in lengths:
        offset += ord(ch) - 48
        starts.append(offset)
    return Reading(joined, tuple(starts), initials, frozenset(starts))


PIECES = re.compile(r"[0-9]+|.", re.DOTALL)
"""A run of ASCII digits, or any one character."""
_ASCII_DIGITS = frozenset("0123456789")


def spaced(text: str) -> str:
    """Text as FTS5 tokens: one per character, but a run of digits as its overlapping pairs
    (``2019`` is ``20 01 19``): ten single digits would each be in nearly every quote, which
    makes any number slow to look up; a hundred pairs are ten times rarer."""
    folded = text.casefold()
    if not any(ch in _ASCII_DIGITS for ch in folded):
        return " ".join(folded)
    tokens: list[str] = []
    for piece in PIECES.finditer(folded):
        run = piece.group()
        if len(run) > 1:
            tokens += digit_pairs(run)
        else:
            tokens.append(run)
    return " ".join(tokens)


def digit_pairs(run: str) -> list[str]:
    """``2019`` -> ``20 01 19``; a single digit stays itself."""
    return [run[i : i + 2] for i in range(len(run) - 1)] or [run]


def syllables_of(reading: Reading) -> list[str]:
    """The reading's syllables (characters without one, such as punctuation, have none)."""
    return [reading.joined[a:b] for a, b in pairwise(reading.starts) if b > a]


def initial_windows(initials: str, size: int = 3) -> str:
    """Every ``size``-letter window of a reading's initials (none across a character without one)."""
    windows = (initials[i : i + size] for i in range(len(initials) - size + 1))
    return " ".join(f"_{w}" for w in windows if " " not in w)


def _fact_data(fact: Fact) -> str:
    return json.dumps(
        [
            fact.id,
            fact.county,
            fact.metric,
            str(fact.value),
            fact.is_date,
            None if fact.value_max is None else str(fact.value_max),
            fact.unit,
            fact.bound,
            fact.scope,
            fact.kind,
            fact.when,
            fact.source,
            fact.quote,
            str(fact.canonical),
            None if fact.canonical_max is None else str(fact.canonical_max),
            fact.base,
            fact.when_note,
            fact.note,
            fact.line,
        ],
        ensure_ascii=False,
    )


def fact_of(data: str, path: str) -> Fact:
    (
        id_,
        county,
        metric,
        value,
        is_date,
        value_max,
        unit,
        bound,
        scope,
        kind,
        when,
        source,
        quote,
        canonical,
        canonical_max,
        base,
        when_note,
        note,
        line,
    ) = json.loads(data)
    return Fact(
        id_,
        county,
        metric,
        value if is_date else Decimal(value),
        None if value_max is None else Decimal(value_max),
        unit,
        bound,
        scope,
        kind,
        when,
        source,
        quote,
        canonical if is_date else Decimal(canonical),
        None if canonical_max is None else Decimal(canonical_max),
        base,
        when_note,
        note,
        path,
        line,
    )


def overrides_of(county: County) -> dict[str, tuple[str, ...]]:
    return {county.short: tuple(county.pinyin.split())} if county.short else {}


@dataclass
class _Compiled:
    """One county file, ready to insert."""

    name: str
    county: tuple[str, str, str] | None  # id, data, reading of its names
    sources: list[tuple[str, str]]
    facts: list[tuple]  # type: ignore[type-arg]
    skips: list[str]
    problems: list[tuple[str, int, str, str, str]]
    syllables: set[str] = field(default_factory=set)


_WORKER: dict[str, object] = {}


def _init_worker(metrics: dict[str, Metric], root: str, theme_ranks: dict[str, int]) -> None:
    _WORKER.update(metrics=metrics, root=Path(root), theme_ranks=theme_ranks)


def _compile(path: str, rank: int) -> _Compiled:
    """Parse, check and read one county file (in a worker process during a full build)."""
    metrics: dict[str, Metric] = _WORKER["metrics"]  # type: ignore[assignment]
    root: Path = _WORKER["root"]  # type: ignore[assignment]
    theme_ranks: dict[str, int] = _WORKER["theme_ranks"]  # type: ignore[assignment]
    from tui.factfiles.loader import load_county  # parsing TOML: only when a file changed

    loaded = load_county(Path(path), metrics, root)
    problems = [(_relative(p.path, root), p.line, p.message, p.key, p.severity) for p in loaded.problems]
    compiled = _Compiled(Path(path).name, None, [], [], [], problems)
    county = loaded.county
    if county is None:
        return compiled
    overrides = overrides_of(county)
    names = [_reading_text(None if t.isascii() else read(t, overrides)) for t in (county.short, county.name)]
    compiled.county = (
        county.id,
        json.dumps(
            [county.id, county.name, county.short, county.en, county.pinyin, county.level, county.parent],
            ensure_ascii=False,
        ),
        "\x1e".join(names),
    )
    compiled.sources = [
        (
            s.id,
            json.dumps(
                [s.id, s.county, s.file, s.title, s.outlet, s.date, s.date_estimated, s.date_note], ensure_ascii=False
            ),
        )
        for s in loaded.sources
    ]
    compiled.skips = [json.dumps([s.source, s.quote, s.reason, s.line], ensure_ascii=False) for s in loaded.skips]
    scope_readings: dict[str, str] = {}
    for position, fact in enumerate(loaded.facts):
        quote = read(fact.quote, overrides)
        scope, scope_text = "", ("", "", "")
        if not fact.is_county_wide:
            if fact.scope not in scope_readings:
                scope_readings[fact.scope] = _reading_text(
                    None if fact.scope.isascii() else read(fact.scope, overrides)
                )
            scope = scope_readings[fact.scope]
            reading = reading_of(scope)
            scope_text = (
                spaced(fact.scope),
                " ".join(syllables_of(reading)) if reading else "",
                initial_windows(reading.initials, 2) if reading else "",
            )
        metric = metrics[fact.metric]
        rowid = (
            (((0 if fact.is_county_wide else 1) * 4 + KIND_RANK[fact.kind]) * 256 + theme_ranks[metric.theme])
            * RANK_SPAN
            + rank
        ) << LINE_BITS | position
        canonical = None if fact.is_date else float(fact.canonical)  # type: ignore[arg-type]
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
                _fact_data(fact),
                _reading_text(quote),
                scope,
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


def _relative(label: str, root: Path) -> str:
    """A problem's path, stored relative to the fact tree's root so it can be shown from anywhere."""
    try:
        return str(Path(label).resolve().relative_to(root.resolve()))
    except (ValueError, OSError, RuntimeError):
        return label


# -- building ---------------------------------------------------------------------------


def _connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    if readonly:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=30, check_same_thread=False)
    else:
        conn = sqlite3.connect(path, timeout=30, check_same_thread=False, isolation_level=None)
    conn.execute("PRAGMA busy_timeout = 30000")
    return conn


def _insert(conn: sqlite3.Connection, file_id: int, compiled: _Compiled, pending: list[tuple] | None = None) -> None:  # type: ignore[type-arg]
    """Add one compiled county file. Its facts go to ``pending`` when given (see
    :func:`_insert_facts`), else into their tables at once."""
    if compiled.county is not None:
        conn.execute("INSERT INTO counties VALUES (?, ?, ?, ?, ?)", (file_id, *compiled.county, len(compiled.facts)))
    conn.executemany("INSERT INTO sources VALUES (?, ?, ?)", [(file_id, *s) for s in compiled.sources])
    conn.executemany("INSERT INTO skips VALUES (?, ?)", [(file_id, s) for s in compiled.skips])
    conn.executemany("INSERT INTO problems VALUES (?, ?, ?, ?, ?, ?)", [(file_id, *p) for p in compiled.problems])
    rows = [(f[0], file_id, *f[1:]) for f in compiled.facts]
    if pending is None:
        _insert_facts(conn, rows)
    else:
        pending.extend(rows)
    if compiled.syllables:
        known = set(json.loads(conn.execute("SELECT value FROM meta WHERE key = 'syllables'").fetchone()[0]))
        if not compiled.syllables <= known:
            conn.execute(
                "UPDATE meta SET value = ? WHERE key = 'syllables'", (json.dumps(sorted(known | compiled.syllables)),)
            )


def _insert_facts(conn: sqlite3.Connection, rows: list[tuple]) -> None:  # type: ignore[type-arg]
    """Facts (rowid, file id, then what :func:`_compile` gives) with their full text, in rowid order.

    FTS5 writes out what it holds in memory as a new segment whenever a row's rowid is lower
    than the last one, and merges segments as they pile up. A county file's facts are spread
    over the whole rowid range (the rowid ranks a fact by kind and theme first), so a full
    build inserting file by file wrote a segment at every change of rank: 49 of its 60 s at
    280,000 facts. A full build therefore gathers the facts of many files and inserts them
    sorted (the facts table, a B-tree on the rowid, likes that too)."""
    rows.sort(key=lambda row: row[0])
    conn.executemany(
        "INSERT INTO facts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [row[:15] for row in rows]
    )
    conn.executemany("INSERT INTO text(rowid, q, w, c) VALUES (?, ?, ?, ?)", [(row[0], *row[15:18]) for row in rows])
    conn.executemany(
        "INSERT INTO pinyin(rowid, s, i, cs, ci) VALUES (?, ?, ?, ?, ?)", [(row[0], *row[18:]) for row in rows]
    )


FACT_BATCH = 20_000
"""Facts a full build gathers before inserting them sorted (about 10 MB)."""


def _delete(conn: sqlite3.Connection, file_id: int) -> None:
    for table in ("text", "pinyin"):
        conn.execute(f"DELETE FROM {table} WHERE rowid IN (SELECT rowid FROM facts WHERE file = ?)", (file_id,))
    for table in ("facts", "counties", "sources", "skips", "problems"):
        conn.execute(f"DELETE FROM {table} WHERE file = ?", (file_id,))


def _metrics_state(facts_dir: Path) -> tuple[list[Theme], list[Metric], list[Problem], dict[str, int]]:
    from tui.factfiles.loader import load_metrics

    themes, metrics, problems = load_metrics(facts_dir)
    ordered = sorted(themes, key=lambda t: (t.order, t.id))
    return themes, metrics, problems, {t.id: min(i, 255) for i, t in enumerate(ordered)}


def _sweep(target: Path) -> None:
    """Remove the unfinished builds of ``target`` that their processes abandoned: a process
    killed mid-way (``kill -9``, a crash) leaves its build file behind, up to 450 MB."""
    now = time.time()
    for path in target.parent.glob(f".{target.stem}-*.build"):
        with contextlib.suppress(OSError):
            if now - path.stat().st_mtime > ABANDONED_AFTER:
                path.unlink()


@contextlib.contextmanager
def _hang_up_stops() -> Iterator[None]:
    """A hang-up (the SSH connection dropped) or a terminate signal during a build ends it
    like Ctrl-C does, so that its file is removed; by default they end the process at once."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    wanted = [getattr(signal, name) for name in ("SIGHUP", "SIGTERM") if hasattr(signal, name)]
    before = {signum: signal.signal(signum, stop) for signum in wanted}
    try:
        yield
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)


def _full_build(facts_dir: Path, target: Path, tree_key: str, progress: Progress | None) -> None:
    """Compile every file into a new database beside ``target``, then rename it into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    _sweep(target)
    with _hang_up_stops():
        _build_into(facts_dir, target, tree_key, progress)


def _build_into(facts_dir: Path, target: Path, tree_key: str, progress: Progress | None) -> None:
    handle, temporary = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=".build", dir=target.parent)
    os.close(handle)
    try:
        # readable by all (mkstemp makes it private): a team's shared index is read by everyone
        os.chmod(temporary, 0o644)
        conn = _connect(Path(temporary))
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        conn.executescript(_SCHEMA)
        conn.execute("BEGIN")
        themes, metrics, problems, theme_ranks = _metrics_state(facts_dir)
        root = facts_dir.parent
        conn.execute(
            "INSERT INTO meta VALUES ('format', ?), ('tree', ?), ('facts_dir', ?), ('built', ?)",
            (str(FORMAT), tree_key, str(facts_dir.resolve()), str(time.time())),
        )
        conn.execute(
            "INSERT INTO meta VALUES ('themes', ?), ('metrics', ?), ('readings', ?), ('syllables', '[]')",
            _model_json(themes, metrics),
        )
        conn.executemany(
            "INSERT INTO problems VALUES (0, ?, ?, ?, ?, ?)",
            [(_relative(p.path, root), p.line, p.message, p.key, p.severity) for p in problems],
        )
        files = _county_files(facts_dir)
        names = sorted(files)
        step = RANK_SPAN // (len(names) + 1)
        ranks = {name: (i + 1) * step for i, name in enumerate(names)}
        jobs = [(str(facts_dir / name), ranks[name]) for name in names]
        pending: list[tuple] = []  # type: ignore[type-arg]
        for done, compiled in enumerate(_compile_all(jobs, metrics, root, theme_ranks), start=1):
            size, mtime = files[compiled.name]
            file_id = conn.execute(
                "INSERT INTO files(name, size, mtime, rank, state) VALUES (?, ?, ?, ?, 'ok')",
                (compiled.name, size, mtime, ranks[compiled.name]),
            ).lastrowid
            _insert(conn, file_id, compiled, pending)  # type: ignore[arg-type]
            if len(pending) >= FACT_BATCH:
                _insert_facts(conn, pending)
                pending.clear()
            if progress is not None:
                progress(done, len(jobs))
        _insert_facts(conn, pending)
        conn.executescript(_INDEXES)  # ends the transaction; the rest is quick
        conn.execute("BEGIN")
        _resolve_conflicts(conn)
        conn.execute("COMMIT")
        conn.execute("INSERT INTO text(text) VALUES ('optimize')")
        conn.execute("INSERT INTO pinyin(pinyin) VALUES ('optimize')")
        conn.execute("ANALYZE")  # the query planner then knows a county is narrower than a kind
        conn.close()
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _compile_all(
    jobs: list[tuple[str, int]], metrics: list[Metric], root: Path, theme_ranks: dict[str, int]
) -> Iterator[_Compiled]:
    init = ({m.id: m for m in metrics}, str(root), theme_ranks)
    workers = min(os.cpu_count() or 1, 8)
    if len(jobs) < PARALLEL_FROM or workers < 2:
        _init_worker(*init)
        for path, rank in jobs:
            yield _compile(path, rank)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("forkserver" if os.name == "posix" else "spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker, initargs=init) as pool:
        yield from pool.map(_compile, *zip(*jobs, strict=False), chunksize=8)


def _model_json(themes: list[Theme], metrics: list[Metric]) -> tuple[str, str, str]:
    """Themes, metrics, and the reading of every name of theirs that is not plain ASCII."""
    texts = [t for theme in themes for t in (theme.zh, theme.en)]
    texts += [t for metric in metrics for t in (metric.zh, metric.en, *metric.aliases)]
    readings = {t: _reading_text(read(t)) for t in texts if not t.isascii()}
    return (
        json.dumps([[t.id, t.zh, t.en, t.order] for t in themes], ensure_ascii=False),
        json.dumps([[m.id, m.zh, m.en, m.theme, m.base, list(m.aliases)] for m in metrics], ensure_ascii=False),
        json.dumps(readings, ensure_ascii=False),
    )


def _resolve_conflicts(
    conn: sqlite3.Connection, changed: list[int] | None = None, metrics: set[str] | None = None
) -> None:
    """A county, source or fact id defined by two files: the file first in name order keeps it;
    the other file is reported and skipped, and marked to be looked at again at every update.

    ``changed``: the files just indexed (None: all); only ids they define can clash anew.
    ``metrics``: the metrics whose counts may have changed (None: all).
    """
    only = "" if changed is None else f"WHERE file IN ({','.join(map(str, changed))})"
    clashes = []
    for what, table in (("county", "counties"), ("source", "sources"), ("fact", "facts")):
        clashes += conn.execute(f"""
            WITH wanted AS (SELECT id FROM {table} {only}),
                 clashing AS (SELECT id FROM {table} WHERE id IN wanted GROUP BY id HAVING count(*) > 1)
            SELECT '{what}', a.id, f.id, f.name, (SELECT min(g.name) FROM {table} b JOIN files g ON g.id = b.file
                                                   WHERE b.id = a.id AND g.name < f.name)
            FROM {table} a JOIN files f ON f.id = a.file WHERE a.id IN clashing""").fetchall()
    folder = Path(conn.execute("SELECT value FROM meta WHERE key = 'facts_dir'").fetchone()[0]).name
    losers = set()
    for what, ident, file_id, name, first in clashes:
        if first is None:
            continue
        message = f"{what} '{ident}' is already defined in {first}; "
        if what == "fact":
            for table in ("text", "pinyin"):
                conn.execute(
                    f"DELETE FROM {table} WHERE rowid IN (SELECT rowid FROM facts WHERE file = ? AND id = ?)",
                    (file_id, ident),
                )
            conn.execute("DELETE FROM facts WHERE file = ? AND id = ?", (file_id, ident))
            message += "this fact is skipped"
        else:
            _delete(conn, file_id)
            message += "this file is skipped"
        conn.execute("INSERT INTO problems VALUES (?, ?, 0, ?, 'id', 'error')", (file_id, f"{folder}/{name}", message))
        conn.execute("UPDATE files SET state = 'conflict' WHERE id = ?", (file_id,))
        losers.add(file_id)
    if losers:
        marks = ",".join(map(str, losers))
        conn.execute(
            f"UPDATE counties SET facts = (SELECT count(*) FROM facts WHERE facts.file = counties.file) "
            f"WHERE file IN ({marks})"
        )
        metrics = None
    if metrics is None:
        conn.execute("DELETE FROM tally")
        conn.execute("INSERT INTO tally SELECT metric, count(*) FROM facts GROUP BY metric")
    elif metrics:
        wanted = sorted(metrics)
        marks = ",".join("?" * len(wanted))
        conn.execute(f"DELETE FROM tally WHERE metric IN ({marks})", wanted)
        conn.execute(
            f"INSERT INTO tally SELECT metric, count(*) FROM facts WHERE metric IN ({marks}) GROUP BY metric", wanted
        )


def _update(conn: sqlite3.Connection, facts_dir: Path, progress: Progress | None) -> bool:
    """Re-index the county files that changed, were added or removed, in one transaction.

    Returns False when a full build is needed instead (a new file has no free rank)."""
    conn.execute("BEGIN IMMEDIATE")  # waits for any other writer; then look again: it may have done the work
    try:
        files = _county_files(facts_dir)
        known = {
            name: (file_id, size, mtime, rank, state)
            for file_id, name, size, mtime, rank, state in conn.execute("SELECT * FROM files")
        }
        changed = [n for n in files if n not in known or known[n][1:3] != files[n]]
        removed = [n for n in known if n not in files]
        if not changed and not removed:
            conn.execute("ROLLBACK")
            return True
        # a file that lost a clash may win now that another changed: look at it again
        changed += [n for n, row in known.items() if row[4] == "conflict" and n in files and n not in changed]
        _, metrics, _, theme_ranks = _metrics_state(facts_dir)
        ranks = {name: row[3] for name, row in known.items() if name in files}
        for name in changed:
            if name not in ranks:
                rank = _free_rank(name, ranks)
                if rank is None:
                    conn.execute("ROLLBACK")
                    return False
                ranks[name] = rank
        touched: set[str] = set()
        for name in removed + [n for n in changed if n in known]:
            file_id = known[name][0]
            touched.update(m for (m,) in conn.execute("SELECT DISTINCT metric FROM facts WHERE file = ?", (file_id,)))
            _delete(conn, file_id)
            conn.execute("DELETE FROM files WHERE id = ?", (file_id,))
        _init_worker({m.id: m for m in metrics}, str(facts_dir.parent), theme_ranks)
        new_ids = []
        for done, name in enumerate(changed, start=1):
            compiled = _compile(str(facts_dir / name), ranks[name])
            size, mtime = files[name]
            file_id = conn.execute(
                "INSERT INTO files(name, size, mtime, rank, state) VALUES (?, ?, ?, ?, 'ok')",
                (name, size, mtime, ranks[name]),
            ).lastrowid
            _insert(conn, file_id, compiled)  # type: ignore[arg-type]
            new_ids.append(file_id)
            touched.update(f[3] for f in compiled.facts)
            if progress is not None:
                progress(done, len(changed))
        _resolve_conflicts(conn, new_ids, touched)
        conn.execute("UPDATE meta SET value = ? WHERE key = 'built'", (str(time.time()),))
        conn.execute("COMMIT")
        return True
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        raise


def _free_rank(name: str, ranks: dict[str, int]) -> int | None:
    """A rank between the files sorted before and after ``name``, or None when there is no room."""
    before = max((r for n, r in ranks.items() if n < name), default=0)
    after = min((r for n, r in ranks.items() if n > name), default=RANK_SPAN)
    return None if after - before < 2 else (before + after) // 2


# -- opening ----------------------------------------------------------------------------


@dataclass(frozen=True)
class IndexStatus:
    path: Path
    exists: bool
    current: bool
    files: int = 0
    facts: int = 0
    size: int = 0
    built: float = 0.0
    stale: tuple[str, ...] = ()
    """County files changed, added or removed since the index was built (or why it is stale)."""


def _current_tree(conn: sqlite3.Connection) -> str | None:
    try:
        rows = dict(conn.execute("SELECT key, value FROM meta WHERE key IN ('format', 'tree')").fetchall())
    except sqlite3.DatabaseError:
        return None
    if rows.get("format") != str(FORMAT):
        return None
    return rows.get("tree")


def status(facts_dir: Path) -> IndexStatus:
    """What the index of ``facts_dir`` holds and whether it is up to date; changes nothing."""
    path = _find(facts_dir)
    if not path.exists():
        return IndexStatus(path, False, False)
    try:
        conn = _connect(path, readonly=True)
        tree = _current_tree(conn)
        if tree is None:
            return IndexStatus(path, True, False, stale=("not an index of this povtui version, or damaged",))
        known = {name: (size, mtime) for name, size, mtime in conn.execute("SELECT name, size, mtime FROM files")}
        facts = conn.execute("SELECT count(*) FROM facts").fetchone()[0]
        built = float(conn.execute("SELECT value FROM meta WHERE key = 'built'").fetchone()[0])
        conn.close()
    except sqlite3.DatabaseError as error:
        return IndexStatus(path, True, False, stale=(f"unreadable: {error}",))
    files = _county_files(facts_dir)
    stale = [f"changed: {n}" for n in files if n in known and known[n] != files[n]]
    stale += [f"added: {n}" for n in files if n not in known]
    stale += [f"removed: {n}" for n in known if n not in files]
    if tree != _tree_key(facts_dir):
        stale.insert(0, "metrics.toml, seeds/ or povtui changed")
    return IndexStatus(path, True, not stale, len(known), facts, path.stat().st_size, built, tuple(stale))


def _find(facts_dir: Path) -> Path:
    """The index to use: the shared one when it is current or can be written, else the user's own."""
    shared = index_path(facts_dir)
    own = index_path(facts_dir, cache_dir())
    if shared == own:
        return shared
    with contextlib.suppress(OSError):
        shared.parent.mkdir(parents=True, exist_ok=True)
    if os.access(shared.parent, os.W_OK):
        return shared
    with contextlib.suppress(sqlite3.Error, OSError):
        conn = _connect(shared, readonly=True)
        try:
            current = _current_tree(conn) == _tree_key(facts_dir) and _files_current(conn, facts_dir)
        finally:
            conn.close()
        if current:
            return shared
    return own


def _files_current(conn: sqlite3.Connection, facts_dir: Path) -> bool:
    """Whether the index holds every county file as it is now."""
    known = {name: (size, mtime) for name, size, mtime in conn.execute("SELECT name, size, mtime FROM files")}
    return known == _county_files(facts_dir)


def open_index(
    facts_dir: Path, *, rebuild: bool = False, progress: Progress | None = None, check_files: bool = True
) -> sqlite3.Connection:
    """A connection to the index of ``facts_dir``, brought up to date first.

    Builds it when absent, stale, damaged or when ``rebuild`` is set; otherwise re-indexes only
    the county files that changed. ``check_files=False`` skips looking at every county file
    (the app does that after its first screen, with :func:`refresh`). Raises OSError when the
    cache folder cannot be written and no current index exists (the caller then loads the
    files directly).
    """
    path = _find(facts_dir)
    tree_key = _tree_key(facts_dir)
    for _ in range(3):
        if rebuild or not path.exists():
            _full_build(facts_dir, path, tree_key, progress)
            rebuild = False
        try:
            writable = os.access(path, os.W_OK)
            conn = _connect(path, readonly=not writable)
            if _current_tree(conn) != tree_key:
                conn.close()
                rebuild = True
                continue
            if not check_files:
                return conn
            if writable and not _update(conn, facts_dir, progress):
                conn.close()
                rebuild = True
                continue
            if not writable and not _files_current(conn, facts_dir):
                conn.close()  # someone else's index in a folder we may write: build a new one
                rebuild = True
                continue
            return conn
        except sqlite3.DatabaseError:  # not a database, or damaged: build it again
            rebuild = True
    raise OSError(f"could not build a usable index at {path}")


def refresh(facts_dir: Path) -> int:
    """Bring the index up to date: how many county files were re-indexed (0: it was current)."""
    before = status(facts_dir)
    if before.current:
        return 0
    open_index(facts_dir).close()
    return max(len(before.stale), 1)


def relabel(stored: str, root: Path) -> str:
    """A stored path (relative to the fact tree's root) as the user would type it here."""
    if os.path.isabs(stored):
        return stored
    return label_path(root / stored)


def problems_of(conn: sqlite3.Connection, root: Path) -> list[Problem]:
    labels: dict[str, str] = {}
    found = []
    for path, line, message, key, severity in conn.execute(
        "SELECT p.path, p.line, p.message, p.key, p.severity FROM problems p "
        "LEFT JOIN files f ON f.id = p.file ORDER BY coalesce(f.name, ''), p.rowid"
    ):
        if path not in labels:
            labels[path] = relabel(path, root)
        found.append(Problem(labels[path], line, message, key, severity))
    return found


def iter_rows(conn: sqlite3.Connection, sql: str, params: Iterable[object] = (), size: int = 512) -> Iterator[tuple]:  # type: ignore[type-arg]
    """Rows of a query, fetched ``size`` at a time."""
    cursor = conn.execute(sql, tuple(params))
    while rows := cursor.fetchmany(size):
        yield from rows


def county_of(data: str, path: str) -> County:
    id_, name, short, en, pinyin, level, parent = json.loads(data)
    return County(id_, name, short, en, pinyin, level, parent, path)


def source_of(data: str) -> Source:
    return Source(*json.loads(data))


def skip_of(data: str, path: str) -> Skip:
    source, quote, reason, line = json.loads(data)
    return Skip(source, quote, reason, path, line)
