"""Search accuracy and latency: the engine against two plain baselines, in one run.

    python -m benchmarks.search_accuracy [--set LABEL=PATH ...] [--rounds N]

Sets (each `query<TAB>expect<TAB>category`): the shared dev set; our own set
(benchmarks/queries.tsv, which the engine is tuned on); the old holdout set; the first
blind set (benchmarks/queries_blind.tsv) and hard negatives (queries_negatives.tsv), written
by someone who never saw the engine, measured first and last on the engine as it was, then
tuned on (so now development sets); the second blind set (queries_blind2.tsv) and hard
negatives (queries_negatives2.tsv), written the same way, measured first, then tuned on too;
the third (queries_blind3.tsv, queries_negatives3.tsv), written the same way again, measured
first, then tuned on; the fourth (queries_blind4.tsv, queries_negatives4.tsv), written the
same way after that, measured first, then tuned on a stop later; the fifth
(queries_blind5.tsv, queries_negatives5.tsv), written the same way, measured first, then
tuned on; the sixth (queries_blind6.tsv, queries_negatives6.tsv), written the same way
outside the repository, measured first and tuned on a stop later; the seventh
(queries_blind7.tsv, queries_negatives7.tsv), written the same way, measured first and
tuned on a stop later; the eighth (queries_blind8.tsv, queries_negatives8.tsv), written
the same way, measured first and tuned on a stop later; the ninth (queries_blind9.tsv,
queries_negatives9.tsv), written the same way, measured first and tuned on a stop later; the
tenth (queries_blind10.tsv, queries_negatives10.tsv), written the same way, measured first and
tuned on a stop later; the eleventh (queries_blind11.tsv, queries_negatives11.tsv), written the
same way, measured first and never tuned on (its failures are not read); the twelfth
(queries_blind12.tsv, queries_negatives12.tsv), written the same way, measured first, then tuned
on in the same stop; the thirteenth (queries_blind13.tsv, queries_negatives13.tsv), the
fourteenth (queries_blind14.tsv, queries_negatives14.tsv) and the fifteenth
(queries_blind15.tsv, queries_negatives15.tsv), each written the same way, measured first, then
tuned on in the same stop (so the eleventh stays the one set no change was made for).
Each blind set's first run is printed beside its score now (FIRST_RUNS).

`expect` is a decree name (several joined by "|": any of them is right), "-" for "not in
the decree", several specialties joined by "&" (all of them must be answered), "field:CODE"
(the field's list) or "smalltalk". A query is right when the engine's answer is of that
kind: its first match is one of the expected names; nothing for "-"; the expected
specialties as the first len(parts) matches; the field; small talk. A *confident wrong
card* is a single card shown without asking (not ambiguous) that is not right.

Baselines, measured the same way: rapidfuzz.process.extractOne with fuzz.WRatio over the
decree's names (a match needs score >= 80, the usual WRatio cut-off), and SQLite FTS5 with
the trigram tokenizer (the query as one phrase, best bm25 rank). They only ever answer one
name or nothing.
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
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process, utils

from store import morphology
from store.catalog import Catalog
from store.ingest import ingest, shipped_source

ROOT = Path(__file__).resolve().parent.parent
WRATIO_CUTOFF = 80
SETS = {
    "dev": ROOT.parent / "shared" / "queries" / "dev.tsv",
    "own": ROOT / "benchmarks" / "queries.tsv",
    "holdout": ROOT / "benchmarks" / "queries_holdout.tsv",
    "blind": ROOT / "benchmarks" / "queries_blind.tsv",
    "negatives": ROOT / "benchmarks" / "queries_negatives.tsv",
    "blind2": ROOT / "benchmarks" / "queries_blind2.tsv",
    "negatives2": ROOT / "benchmarks" / "queries_negatives2.tsv",
    "blind3": ROOT / "benchmarks" / "queries_blind3.tsv",
    "negatives3": ROOT / "benchmarks" / "queries_negatives3.tsv",
    "blind4": ROOT / "benchmarks" / "queries_blind4.tsv",
    "negatives4": ROOT / "benchmarks" / "queries_negatives4.tsv",
    "blind5": ROOT / "benchmarks" / "queries_blind5.tsv",
    "negatives5": ROOT / "benchmarks" / "queries_negatives5.tsv",
    "blind6": ROOT / "benchmarks" / "queries_blind6.tsv",
    "negatives6": ROOT / "benchmarks" / "queries_negatives6.tsv",
    "blind7": ROOT / "benchmarks" / "queries_blind7.tsv",
    "negatives7": ROOT / "benchmarks" / "queries_negatives7.tsv",
    "blind8": ROOT / "benchmarks" / "queries_blind8.tsv",
    "negatives8": ROOT / "benchmarks" / "queries_negatives8.tsv",
    "blind9": ROOT / "benchmarks" / "queries_blind9.tsv",
    "negatives9": ROOT / "benchmarks" / "queries_negatives9.tsv",
    "blind10": ROOT / "benchmarks" / "queries_blind10.tsv",
    "negatives10": ROOT / "benchmarks" / "queries_negatives10.tsv",
    "blind11": ROOT / "benchmarks" / "queries_blind11.tsv",
    "negatives11": ROOT / "benchmarks" / "queries_negatives11.tsv",
    "blind12": ROOT / "benchmarks" / "queries_blind12.tsv",
    "negatives12": ROOT / "benchmarks" / "queries_negatives12.tsv",
    "blind13": ROOT / "benchmarks" / "queries_blind13.tsv",
    "negatives13": ROOT / "benchmarks" / "queries_negatives13.tsv",
    "blind14": ROOT / "benchmarks" / "queries_blind14.tsv",
    "negatives14": ROOT / "benchmarks" / "queries_negatives14.tsv",
    "blind15": ROOT / "benchmarks" / "queries_blind15.tsv",
    "negatives15": ROOT / "benchmarks" / "queries_negatives15.tsv",
}


@dataclass(frozen=True)
class Answer:
    """What a system answered: its kind ("card", "question", "several", "field",
    "smalltalk", "none"), the names it shows in order, and a field code."""

    kind: str
    names: tuple[str, ...] = ()
    field: str = ""


@dataclass(frozen=True)
class Query:
    text: str
    expect: str
    category: str


def load_queries(path: Path) -> list[Query]:
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [Query(r["query"], r["expect"], r["category"]) for r in rows]


def is_right(query: Query, answer: Answer) -> bool:
    expect = query.expect
    if expect == "-":
        return answer.kind == "none"
    if expect == "smalltalk":
        return answer.kind == "smalltalk"
    if expect.startswith("field:"):
        codes = {part.removeprefix("field:") for part in expect.split("|")}
        return answer.kind == "field" and answer.field in codes
    parts = [set(part.split("|")) for part in expect.split("&")]
    if answer.kind in ("none", "smalltalk", "field") or len(answer.names) < len(parts):
        return False
    if len(parts) == 1:
        return answer.names[0] in parts[0]
    shown = set(answer.names[: len(parts)])
    return all(part & shown for part in parts)


def confident_wrong(query: Query, answer: Answer) -> bool:
    return answer.kind == "card" and not is_right(query, answer)


def engine_answer(view) -> Callable[[str], Answer]:
    """The engine's answer, uncached (the view's engine, not the bot's cache)."""
    search = view.engine.search

    def answer(query: str) -> Answer:
        result = search(query)
        kind = getattr(result, "kind", None)
        names = tuple(m.specialty.name for m in result.matches)
        if kind is None:  # an engine without answer kinds: matches and ambiguity only
            kind = "none" if not names else "question" if result.ambiguous else "card"
        return Answer(kind, names, getattr(result, "field", "") or "")

    return answer


def fts_baseline(names: list[str]) -> Callable[[str], Answer]:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE names USING fts5(name, tokenize='trigram')")
    db.executemany("INSERT INTO names(name) VALUES (?)", [(n,) for n in names])

    def answer(query: str) -> Answer:
        phrase = '"' + query.replace('"', '""') + '"'
        try:
            row = db.execute(
                "SELECT name FROM names WHERE names MATCH ? ORDER BY bm25(names) LIMIT 1",
                [phrase],
            ).fetchone()
        except sqlite3.OperationalError:
            return Answer("none")
        return Answer("card", (row[0],)) if row else Answer("none")

    return answer


def wratio_baseline(names: list[str]) -> Callable[[str], Answer]:
    def answer(query: str) -> Answer:
        best = process.extractOne(
            query,
            names,
            scorer=fuzz.WRatio,
            processor=utils.default_process,
            score_cutoff=WRATIO_CUTOFF,
        )
        return Answer("card", (best[0],)) if best else Answer("none")

    return answer


def score(queries: list[Query], answer: Callable[[str], Answer]) -> dict[str, list[int]]:
    """Per category (and "overall"): [right, total, confident wrong cards, questions]."""
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for query in queries:
        got = answer(query.text)
        for key in (query.category, "overall"):
            per[key][0] += is_right(query, got)
            per[key][1] += 1
            per[key][2] += confident_wrong(query, got)
            per[key][3] += got.kind == "question"
    return per


def latencies(
    answer: Callable[[str], object],
    queries: list[str],
    rounds: int,
    forget: Callable[[], None] = lambda: None,
) -> list[float]:
    """Milliseconds per query; `forget` runs before each round, so every round is cold."""
    times = []
    for _ in range(rounds):
        forget()
        for q in queries:
            start = time.perf_counter()
            answer(q)
            times.append((time.perf_counter() - start) * 1000)
    return times


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98]


# The first run of each blind set, as recorded before the engine was changed after seeing it
# (the output of this benchmark, kept in benchmarks/results/).
RESULTS = ROOT / "benchmarks" / "results"
FIRST_RUNS = {
    "blind": RESULTS / "search-first-run.md",
    "negatives": RESULTS / "search-first-run.md",
    **{
        f"{kind}{n}": RESULTS / f"search-blind{n}-first-run.md"
        for n in range(2, 16)
        for kind in ("blind", "negatives")
    },
}


def recorded_first_run(label: str) -> dict[str, tuple[str, str]]:
    """category -> (mamandyq's accuracy, confident wrong cards) in the recorded first run."""
    path = FIRST_RUNS.get(label)
    if path is None or not path.exists():
        return {}
    found: dict[str, tuple[str, str]] = {}
    inside = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#### "):
            inside = line.startswith(f"#### {label}: ")
        elif inside and line.startswith("| ") and not line.startswith("| category"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            found[cells[0]] = (cells[2], cells[5])
    return found


def print_table(label: str, path: Path, queries: list[Query], systems: dict) -> None:
    results = {name: score(queries, fn) for name, fn in systems.items()}
    ours = results["mamandyq"]
    first = recorded_first_run(label)
    categories = [*sorted(k for k in ours if k != "overall"), "overall"]
    print(f"\n#### {label}: {os.path.relpath(path, ROOT)} ({len(queries)} queries), top-1 accuracy")
    before = " | first run | first run: confident wrong" if first else ""
    print(f"| category | n | {' | '.join(systems)} | confident wrong | questions{before} |")
    print("|---|---:|" + "---:|" * (len(systems) + 2 + 2 * bool(first)))
    for cat in categories:
        n = ours[cat][1]
        cells = " | ".join(f"{100 * results[s][cat][0] / n:.1f}%" for s in systems)
        then = " | {} | {}".format(*first.get(cat, ("-", "-"))) if first else ""
        print(f"| {cat} | {n} | {cells} | {ours[cat][2]} | {ours[cat][3]}{then} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", action="append", default=[], metavar="LABEL=PATH")
    parser.add_argument(
        "--only", help="comma-separated labels of the sets to run (default: all)", default=""
    )
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    sets = dict(SETS)
    for item in args.set:
        label, _, path = item.partition("=")
        sets[label] = Path(path)

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        ingest(shipped_source(), db)
        start = time.perf_counter()
        view = Catalog.open(db).decree()
        view.engine.search("")  # the index is built on first use: count it in start-up
        startup_ms = (time.perf_counter() - start) * 1000
        cache = Path(tmp) / "cache"
        Catalog.open(db, cache).decree().engine  # noqa: B018 (built, then saved)
        start = time.perf_counter()
        Catalog.open(db, cache).decree().engine.search("")
        saved_ms = (time.perf_counter() - start) * 1000

    names = [s.name for s in view.specialties]
    systems = {
        "mamandyq": engine_answer(view),
        "WRatio": wratio_baseline(names),
        "FTS5 trigram": fts_baseline(names),
    }
    all_queries: list[str] = []
    wanted = set(filter(None, args.only.split(",")))
    for label, path in sets.items():
        if not path.exists() or (wanted and label not in wanted):
            continue
        queries = load_queries(path)
        all_queries += [q.text for q in queries]
        print_table(label, path, queries, systems)

    print(
        f"\n#### latency per query ({len(all_queries)} queries x {args.rounds} rounds, ms;"
        " the engine's word caches are emptied before each round)"
    )
    print("| system | median | p99 |")
    print("|---|---:|---:|")

    def forget() -> None:
        view.engine.clear_cache()
        morphology.clear_caches()

    for name in ("mamandyq", "WRatio"):
        t = latencies(
            systems[name],
            all_queries,
            args.rounds,
            forget if name == "mamandyq" else (lambda: None),
        )
        print(f"| {name} | {statistics.median(t):.3f} | {p99(t):.3f} |")
    print(f"\nstart-up (load the store and build the search index): {startup_ms:.1f} ms")
    print(f"start-up from the saved index (store.index_cache): {saved_ms:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
