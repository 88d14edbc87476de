"""`mamandyq ingest` on hostile inputs (tests/store/hostile.py) and on the shipped decree:
wall time, the peak resident memory of the largest process (the command or its bounded
reader), the exit code and the one line it printed; and whether the database in use
stayed byte for byte the same.

    python -m benchmarks.hostile_ingest [--only NAME ...]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from store.ingest import ingest, shipped_source
from tests.helpers import TEXT_SOURCE
from tests.store import hostile

# Runs one command and reports its wall time and the largest peak RSS in its process tree
# (Linux folds a reaped child's peak into its parent's RUSAGE_CHILDREN maximum).
MEASURE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
print(json.dumps({
    "seconds": time.perf_counter() - start,
    "peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    "code": done.returncode,
    "stderr": done.stderr.strip(),
}))
"""


def measure(source: Path, db: Path) -> dict[str, object]:
    command = [sys.executable, "-m", "bot.cli", "ingest", str(source), "--db", str(db)]
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *command], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="maker names from tests/store/hostile.py")
    args = parser.parse_args()
    makers = [m for m, _ in (*hostile.HOSTILE_FILES, *hostile.HOSTILE_PDFS)]
    if args.only:
        makers = [m for m in makers if m.__name__ in args.only]
    print("| input | size | exit | seconds | peak MB | database kept | message |")
    print("|---|---:|---:|---:|---:|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = folder / "db" / "mamandyq.db"
        ingest(TEXT_SOURCE, db)
        before = hashlib.sha256(db.read_bytes()).hexdigest()
        sources = [("shipped PDF (new database)", shipped_source(), folder / "new.db")]
        for maker in makers:
            sub = folder / maker.__name__
            sub.mkdir()
            sources.append((maker.__name__, maker(sub), db))
        for label, source, target in sources:
            size = source.stat().st_size if source.is_file() else 0
            found = measure(source, target)
            kept = hashlib.sha256(db.read_bytes()).hexdigest() == before
            line = str(found["stderr"]).splitlines()[-1:] or ["(ingested)"]
            print(
                f"| {label} | {size / 10**6:.2f} MB | {found['code']} | {found['seconds']:.1f}"
                f" | {found['peak_mb']:.0f} | {'yes' if kept else 'NO'} | {line[0][:110]} |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
