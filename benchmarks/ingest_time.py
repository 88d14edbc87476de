"""How long `mamandyq ingest` takes for the shipped decree, PDF and text, into a new
database. Baseline in the same run: pdfplumber only extracting the PDF's text, page by
page (the least any PDF ingest has to do).

    python -m benchmarks.ingest_time [--rounds 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pdfplumber

from store.ingest import ingest, shipped_source


def best_and_median(action, rounds: int) -> tuple[float, float]:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    pdf = shipped_source()
    text = pdf.with_suffix(".txt")

    def extract_only() -> None:
        with pdfplumber.open(pdf) as document:
            for page in document.pages:
                page.extract_text()

    with tempfile.TemporaryDirectory() as tmp:
        counter = iter(range(10**6))

        def ingest_into_new(source: Path) -> None:
            ingest(source, Path(tmp) / f"{next(counter)}.db")

        rows = [
            ("pdfplumber extract_text only (baseline)", best_and_median(extract_only, args.rounds)),
            ("ingest PDF", best_and_median(lambda: ingest_into_new(pdf), args.rounds)),
            ("ingest text", best_and_median(lambda: ingest_into_new(text), args.rounds)),
        ]
    print(f"# ingest of the shipped decree (14-page PDF, 132 rows), {args.rounds} rounds, seconds")
    print("| what | best | median |")
    print("|---|---:|---:|")
    for label, (best, median) in rows:
        print(f"| {label} | {best:.3f} | {median:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
