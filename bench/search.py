"""Search latency over the real facts: a fixed mix of 200 queries, p50/p95, and index build time.

Run: ``python bench/search.py`` (from the checkout, with povtui installed). Prints a table.
The mix is generated from the facts with a fixed seed, so every run asks the same queries.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tui.domain.units import format_plain  # noqa: E402
from tui.factfiles.loader import load  # noqa: E402
from tui.paths import resolve_facts_dir  # noqa: E402
from tui.search.memory import MemorySearch  # noqa: E402
from tui.search.pinyin import read  # noqa: E402

KINDS = ("chinese", "pinyin", "initials", "english", "number", "filter")


def query_mix(base, seed: int = 20261122, size: int = 200) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """(kind, query) pairs: Chinese 1-4 characters, pinyin, initials, English, numbers, filters."""
    rng = random.Random(seed)
    names = [m.zh for m in base.metrics] + [c.short for c in base.counties]
    quotes = [f.quote for f in base.facts]
    english = sorted(
        {w.casefold() for m in base.metrics for w in m.en.split() if w.isalpha() and len(w) > 3}
        | {c.en.casefold() for c in base.counties}
    )
    numeric = [f for f in base.facts if not f.is_date]
    queries: list[tuple[str, str]] = []
    while len(queries) < size:
        kind = KINDS[len(queries) % len(KINDS)]
        if kind == "chinese":
            text = rng.choice(names + quotes)
            cjk = "".join(ch for ch in text if "\u4e00" <= ch <= "\u9fff")
            length = rng.randint(1, 4)
            start = rng.randrange(max(1, len(cjk) - length + 1))
            query = cjk[start : start + length]
        elif kind == "pinyin":
            reading = read(rng.choice(names))
            query = reading.joined[: rng.randint(4, max(4, len(reading.joined)))]
        elif kind == "initials":
            query = read(rng.choice(names)).initials.replace(" ", "")[:5]
        elif kind == "english":
            word = rng.choice(english)
            query = word if rng.random() < 0.8 else word[:-2] + word[-1]  # some typos
        elif kind == "number":
            fact = rng.choice(numeric)
            forms = [str(fact.value), format_plain(fact.canonical), f"{fact.value}{fact.unit[:1]}"]
            query = rng.choice(forms)
        else:
            county = rng.choice(base.counties)
            query = rng.choice(
                [
                    f"county:{county.short} 脱贫",
                    f"county:{county.en} kind:target",
                    f"county:{county.id} >10000",
                    "unit:户 >1000",
                    f"theme:poverty county:{county.en}",
                ]
            )
        if query.strip():
            queries.append((kind, query))
    return queries


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--facts", help="fact tree (default: the bundled facts)")
    parser.add_argument("--rounds", type=int, default=5, help="times each query is run (default 5)")
    args = parser.parse_args()
    base, _ = load(resolve_facts_dir(args.facts))
    started = time.perf_counter()
    import pypinyin  # noqa: F401 - the import is part of a cold build; time it apart

    imported = time.perf_counter()
    index = MemorySearch(base)
    built = time.perf_counter()
    queries = query_mix(base)
    timings: dict[str, list[float]] = {kind: [] for kind in KINDS}
    hits = 0
    for _ in range(args.rounds):
        for kind, query in queries:
            start = time.perf_counter()
            hits += bool(index.search(query, limit=50))
            timings[kind].append((time.perf_counter() - start) * 1000)
    every = [t for values in timings.values() for t in values]
    print(
        f"search over {len(base)} facts, {len(queries)} queries x {args.rounds} rounds, "
        f"{hits / args.rounds / len(queries):.0%} with hits"
    )
    print(
        f"index build: {(built - imported) * 1000:.0f} ms (+ {(imported - started) * 1000:.0f} ms to import pypinyin)"
    )
    print()
    print(f"{'queries':<10} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for kind in (*KINDS, "all"):
        values = every if kind == "all" else timings[kind]
        print(
            f"{kind:<10} {len(values):>5} {statistics.median(values):>8.2f} {percentile(values, 0.95):>8.2f} "
            f"{max(values):>8.2f}"
        )
    target = percentile(every, 0.95)
    print(f"\np95 {target:.2f} ms against the 5 ms target: {'met' if target <= 5 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
