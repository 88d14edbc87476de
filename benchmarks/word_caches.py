"""Memory of the caches over a long day: how much the process grows while it reads words
it has never seen, against the same number of searches of one word (the baseline, in the
same run).

    python -m benchmarks.word_caches [--words 40000]

Each query is a made-up Cyrillic word of 5-10 letters and "повар". Two measures: the
search engine itself (its per-word caches), and the bot's whole answer as a handler makes
it (those, the decree's cache of search results, the cached replies and their keyboards),
in another run. The resident memory is read after a full collection every 10 000 queries.
Bounded caches level off; unbounded ones keep growing.
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import tempfile
from pathlib import Path

from bot import handlers
from bot.answers import Answers, Asker
from store.catalog import Catalog
from store.ingest import ingest, shipped_source
from store.morphology import clear_caches
from store.text import WORD_CACHE_SIZE

LETTERS = "абвгдежзиклмнопрстуфхцчшыэюя"


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def grow(search, queries: list[str]) -> list[tuple[int, float]]:
    """(queries so far, MB grown) every 10 000 queries."""
    gc.collect()
    start = rss_mb()
    found = []
    for i, query in enumerate(queries, 1):
        search(query)
        if i % 10_000 == 0 or i == len(queries):
            gc.collect()
            found.append((i, rss_mb() - start))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=40_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        ingest(shipped_source(), db)
        catalog = Catalog.open(db)
    engine = catalog.decree().engine
    answers, asker = Answers(catalog), Asker("ru")

    def answer(query: str) -> None:
        reply = handlers._search(answers, catalog, asker, query)
        handlers.keyboard(reply.buttons)

    rng = random.Random(1)
    new = [
        "".join(rng.choice(LETTERS) for _ in range(rng.randint(5, 10))) + " повар"
        for _ in range(args.words)
    ]
    answer("сварщиком")
    rows = {}
    for label, search in (("engine", engine.search), ("answer", answer)):
        clear_caches()
        engine.clear_cache()
        rows[label] = (grow(search, ["сварщиком повар"] * args.words), grow(search, new))
    print(f"# resident memory grown (MB); per-word caches of {WORD_CACHE_SIZE} words each")
    print(
        "| queries | engine: one word again (baseline) | engine: new words "
        "| answer: one word again | answer: new words |"
    )
    print("|---:|---:|---:|---:|---:|")
    (same, unseen), (answered_same, answered) = rows["engine"], rows["answer"]
    for (n, a), (_, b), (_, c), (_, d) in zip(same, unseen, answered_same, answered, strict=True):
        print(f"| {n} | {a:.1f} | {b:.1f} | {c:.1f} | {d:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
