"""Memory of the answered updates the inbox remembers, per update, against the plain way of
keeping them (an OrderedDict of (update_id, digest) tuples), in one run.

    python -m benchmarks.inbox_memory [--updates N]

Measured with tracemalloc: the Python objects each way holds, not the process's RSS.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import tracemalloc
from collections import OrderedDict
from pathlib import Path

from bot.state import State, digest


def per_key(fill) -> float:
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    kept, count = fill()
    size = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    del kept
    return size / count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=100_000)
    args = parser.parse_args()
    first = 10**9  # update ids as Telegram's are: far past the small ints Python shares

    def key(i: int) -> tuple[int, bytes]:
        """A new key each time, as the inbox gets it, so that each way pays for its own."""
        return first + i, digest(f'{{"update_id": {first + i}}}')

    def plain() -> tuple[object, int]:
        kept: OrderedDict[tuple[int, bytes], float] = OrderedDict()
        for i in range(args.updates):
            kept[key(i)] = float(i)
        return kept, args.updates

    with tempfile.TemporaryDirectory() as tmp:
        state = State(Path(tmp) / "state.db")

        def inbox() -> tuple[object, int]:
            for i in range(args.updates):  # what `answered` keeps, without the file
                state.inbox._remember(key(i), float(i))
            return state.inbox, args.updates

        ours = per_key(inbox)
        state.close()
    print(f"# answered updates remembered in memory ({args.updates} updates), bytes each")
    print("| way | bytes per update |")
    print("|---|---:|")
    print(f"| OrderedDict of (update_id, digest) tuples | {per_key(plain):.0f} |")
    print(f"| the inbox (packed keys, dict and deque) | {ours:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
