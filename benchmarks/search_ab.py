"""Search latency of this checkout against another commit's engine, alternating runs on the
same queries, so that a change in this shared machine's load falls on both alike.

    python -m benchmarks.search_ab --against dd568b4 [--runs 2] [--rounds 3]

The other commit is checked out in a temporary git worktree; each run is a fresh process
that builds the shipped decree's index with that checkout's `store`, is given this
checkout's queries on standard input (every `benchmarks/queries*.tsv` but the set never
tuned on, read by `search_accuracy.load_queries`), empties the engine's word caches
before each round and prints the median, the p99 and the total of the time per query in
milliseconds. It reads no saved index, so the word forms saved
with one (`store.index_cache`) play no part.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.search_accuracy import load_queries

ROOT = Path(__file__).resolve().parent.parent
NEVER_TUNED_ON = ("queries_blind11.tsv", "queries_negatives11.tsv")

# Run inside the checkout measured: only what every version of the engine has.
_RUN = """
import statistics, sys, tempfile, time
from pathlib import Path
from store import morphology
from store.catalog import Catalog
from store.ingest import ingest, shipped_source

queries = sys.stdin.read().splitlines()
with tempfile.TemporaryDirectory() as tmp:
    db = Path(tmp) / "ab.db"
    ingest(shipped_source(), db)
    engine = Catalog.open(db).decree().engine
    engine.search("")
    times = []
    for _ in range(int(sys.argv[1])):
        engine.clear_cache()
        morphology.clear_caches()
        for query in queries:
            start = time.perf_counter()
            engine.search(query)
            times.append((time.perf_counter() - start) * 1000)
print(len(queries), statistics.median(times), statistics.quantiles(times, n=100)[98], sum(times))
"""


def run(checkout: Path, rounds: int, queries: list[str]) -> tuple[int, float, float, float]:
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    done = subprocess.run(
        [sys.executable, "-c", _RUN, str(rounds)], input="\n".join(queries),
        cwd=checkout, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    count, median, p99, total = done.stdout.split()
    return int(count), float(median), float(p99), float(total)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", required=True, help="a commit of this repository")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    sets = sorted(
        p for p in (ROOT / "benchmarks").glob("queries*.tsv") if p.name not in NEVER_TUNED_ON
    )
    queries = [q.text for path in sets for q in load_queries(path)]
    with tempfile.TemporaryDirectory() as tmp:
        other = Path(tmp) / "other"
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(other), args.against],
            cwd=ROOT, check=True, capture_output=True,
        )  # fmt: skip
        try:
            print("| run | engine | queries | median ms | p99 ms | total ms |")
            print("|---:|---|---:|---:|---:|---:|")
            engines = [(args.against, other), ("this checkout", ROOT)]
            for number in range(1, args.runs + 1):
                # Each engine first in every other run: a drift falls on both alike.
                for label, checkout in engines[:: 1 if number % 2 else -1]:
                    count, median, p99, total = run(checkout, args.rounds, queries)
                    print(
                        f"| {number} | {label} | {count} | {median:.3f} | {p99:.3f} | {total:.0f} |"
                    )
        finally:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(other)], cwd=ROOT, check=False
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
