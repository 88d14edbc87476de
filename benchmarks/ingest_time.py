"""How long `mamandyq ingest` takes for the shipped decree, PDF and text, into a new
database. Baseline in the same run: pdfplumber only extracting the PDF's text, page by
page (the least any PDF ingest has to do). The three are timed in turn within each round,
so that a busy machine slows them alike; the ratio of ingest to the baseline is printed.

The ingest includes everything `mamandyq ingest` does: the child process that reads the
file under memory and time limits (a fresh interpreter importing the reader), the
validation, writing a new database, checking it and swapping it in.

    python -m benchmarks.ingest_time [--rounds 7]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pdfplumber

from store.ingest import ingest, shipped_source


def timed(action: Callable[[], None]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    pdf = shipped_source()
    text = pdf.with_suffix(".txt")

    def extract_only() -> None:
        with pdfplumber.open(pdf) as document:
            for page in document.pages:
                page.extract_text()

    with tempfile.TemporaryDirectory() as tmp:
        counter = iter(range(10**6))

        def ingest_into_new(source: Path) -> Callable[[], None]:
            return lambda: ingest(source, Path(tmp) / f"{next(counter)}.db")

        actions = {
            "pdfplumber extract_text only (baseline)": extract_only,
            "ingest PDF": ingest_into_new(pdf),
            "ingest text": ingest_into_new(text),
        }
        times: dict[str, list[float]] = {label: [] for label in actions}
        for _ in range(args.rounds):
            for label, action in actions.items():
                times[label].append(timed(action))
    print(f"# ingest of the shipped decree (14-page PDF, 132 rows), {args.rounds} rounds, seconds")
    print("| what | best | median |")
    print("|---|---:|---:|")
    for label, found in times.items():
        print(f"| {label} | {min(found):.3f} | {statistics.median(found):.3f} |")
    baseline, pdf_times = times["pdfplumber extract_text only (baseline)"], times["ingest PDF"]
    ratios = [p / b for p, b in zip(pdf_times, baseline, strict=True)]
    medians = statistics.median(pdf_times) / statistics.median(baseline)
    print(
        f"\ningest PDF / baseline: {medians:.2f}x"
        f" (medians), {min(pdf_times) / min(baseline):.2f}x (bests),"
        f" {statistics.median(ratios):.2f}x (median of the per-round ratios)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
