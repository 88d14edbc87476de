"""Search accuracy and latency: the engine against two plain baselines, in one run.

    python benchmarks/search_accuracy.py [--dev PATH] [--own PATH]

Sets: the shared dev set; our own set (benchmarks/queries.tsv, which the engine was tuned
on); a holdout set (benchmarks/queries_holdout.tsv) written by someone who never saw the
engine. Top-1 accuracy per category: a query is right when the first match is one of the
expected names, or, for "-", when nothing is returned. Baselines, measured the same way:
rapidfuzz.process.extractOne with fuzz.WRatio over the decree's names (a match needs
score >= 80, the usual WRatio cut-off), and SQLite FTS5 with the trigram tokenizer
(the query as one phrase, best bm25 rank).
"""

from __future__ import annotations

import argparse
import csv
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from rapidfuzz import fuzz, process, utils

from store.catalog import Catalog
from store.db import ingest, shipped_source

ROOT = Path(__file__).resolve().parent.parent
WRATIO_CUTOFF = 80


def load_queries(path: Path) -> list[tuple[str, set[str], str]]:
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [
        (r["query"], set() if r["expect"] == "-" else set(r["expect"].split("|")), r["category"])
        for r in rows
    ]


def accuracy(queries, answer: Callable[[str], str | None]) -> dict[str, tuple[int, int]]:
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for query, expected, category in queries:
        got = answer(query)
        right = (got is None) if not expected else (got in expected)
        for key in (category, "overall"):
            per[key][0] += right
            per[key][1] += 1
    return {k: (v[0], v[1]) for k, v in per.items()}


def fts_baseline(names: list[str]) -> Callable[[str], str | None]:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE names USING fts5(name, tokenize='trigram')")
    db.executemany("INSERT INTO names(name) VALUES (?)", [(n,) for n in names])

    def answer(query: str) -> str | None:
        phrase = '"' + query.replace('"', '""') + '"'
        try:
            row = db.execute(
                "SELECT name FROM names WHERE names MATCH ? ORDER BY bm25(names) LIMIT 1",
                [phrase],
            ).fetchone()
        except sqlite3.OperationalError:
            return None
        return row[0] if row else None

    return answer


def wratio_baseline(names: list[str]) -> Callable[[str], str | None]:
    def answer(query: str) -> str | None:
        best = process.extractOne(
            query,
            names,
            scorer=fuzz.WRatio,
            processor=utils.default_process,
            score_cutoff=WRATIO_CUTOFF,
        )
        return best[0] if best else None

    return answer


def latencies(answer: Callable[[str], object], queries: list[str], rounds: int = 5) -> list[float]:
    times = []
    for _ in range(rounds):
        for q in queries:
            start = time.perf_counter()
            answer(q)
            times.append((time.perf_counter() - start) * 1000)
    return times


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", type=Path, default=ROOT.parent / "shared" / "queries" / "dev.tsv")
    parser.add_argument("--own", type=Path, default=ROOT / "benchmarks" / "queries.tsv")
    parser.add_argument("--holdout", type=Path, default=ROOT / "benchmarks" / "queries_holdout.tsv")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        ingest(shipped_source(), db)
        start = time.perf_counter()
        catalog = Catalog.open(db)
        startup_ms = (time.perf_counter() - start) * 1000

    names = [s.name for s in catalog.specialties()]

    search = catalog.engine().search  # the engine itself, without the bot's answer cache

    def engine(query: str) -> str | None:
        result = search(query)
        return result.matches[0].specialty.name if result.matches else None

    systems = {
        "mamandyq": engine,
        "WRatio": wratio_baseline(names),
        "FTS5 trigram": fts_baseline(names),
    }
    sets = [
        (label, path)
        for label, path in (("dev", args.dev), ("own", args.own), ("holdout", args.holdout))
        if path.exists()
    ]
    all_queries: list[str] = []
    for label, path in sets:
        queries = load_queries(path)
        all_queries += [q for q, _, _ in queries]
        results = {name: accuracy(queries, fn) for name, fn in systems.items()}
        categories = [*sorted(k for k in results["mamandyq"] if k != "overall"), "overall"]
        shown = os.path.relpath(path, ROOT)
        print(f"\n## {label}: {shown} ({len(queries)} queries), top-1 accuracy")
        print(f"| category | n | {' | '.join(systems)} |")
        print("|---|---:|" + "---:|" * len(systems))
        for cat in categories:
            n = results["mamandyq"][cat][1]
            cells = " | ".join(f"{100 * results[s][cat][0] / n:.1f}%" for s in systems)
            print(f"| {cat} | {n} | {cells} |")

    print(f"\n## latency per query ({len(all_queries)} queries x 5 rounds, ms)")
    print("| system | median | p99 |")
    print("|---|---:|---:|")
    for name in ("mamandyq", "WRatio"):
        t = latencies(systems[name], all_queries)
        print(f"| {name} | {statistics.median(t):.3f} | {p99(t):.3f} |")
    print(f"\nstart-up (load the store and build the search index): {startup_ms:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
