"""Load: the real bot (`mamandyq run`, polling) against the fake Bot API server, beside a
trivial echo bot with the same Application settings, measured the same way in one run.

    python -m benchmarks.load            # full: 100 users x 20, 100 updates/s for 20 s
    python -m benchmarks.load --short    # the form CI runs

Each bot runs as its own process; the fake server (which also checks every request
against the Bot API description) and the load generator share this process. On a 2-core
machine the three share the cores, so the echo bot is the ceiling. Telegram's 30
messages/s cap is lifted (MAMANDYQ_MAX_RATE=0) since the server is local.

Printed: closed loop updates/s (each user sends the next message after the reply);
open loop reply latency median/p99 seen by the server and the bot's peak RSS (VmHWM);
the open loop again with faults injected (refused requests, unanswered updates, extra
replies).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from store.ingest import ingest, shipped_source
from tests.fakes.bot_api import FakeBotAPI

ROOT = Path(__file__).resolve().parent.parent

TOKEN = "424242:load-test-token"
LANGUAGES = ("kk", "ru", "en")


def realistic_queries() -> list[str]:
    """Queries people type, in Kazakh, Russian and Latin script (our own search set)."""
    with (ROOT / "benchmarks" / "queries.tsv").open(encoding="utf-8") as f:
        return [r["query"] for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)]


@dataclass
class Replies:
    """First-reply times per chat, read from the server's accepted calls as they come."""

    api: FakeBotAPI
    cursor: int = 0
    times: dict[int, list[float]] = field(default_factory=dict)
    waiters: dict[int, asyncio.Event] = field(default_factory=dict)

    def scan(self) -> None:
        calls = self.api.calls
        while self.cursor < len(calls):
            call = calls[self.cursor]
            self.cursor += 1
            if call.method == "sendMessage":
                chat = int(call.params["chat_id"])
                self.times.setdefault(chat, []).append(call.time)
                if chat in self.waiters:
                    self.waiters[chat].set()

    async def follow(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            await self.api.next_change(0.05)
            self.scan()

    async def reply(self, chat: int, timeout: float = 30.0) -> None:
        if chat not in self.times:
            event = self.waiters.setdefault(chat, asyncio.Event())
            await asyncio.wait_for(event.wait(), timeout)


def start_bot(kind: str, api: FakeBotAPI, workdir: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": api.base_url,
        "MAMANDYQ_DB": str(workdir / "data.db"),
        "MAMANDYQ_STATE_DB": str(workdir / f"state-{kind}.db"),
        "MAMANDYQ_MAX_RATE": "0",
    }
    command = (
        [sys.executable, "-m", "bot.cli", "run"]
        if kind == "mamandyq"
        else [sys.executable, "-m", "benchmarks.echo_bot"]
    )
    return subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def closed_loop(
    api: FakeBotAPI,
    replies: Replies,
    users: int,
    messages: int,
    first_chat: int,
    queries: list[str],
) -> float:
    async def user(chat: int) -> None:
        rng = random.Random(chat)
        for _ in range(messages):
            before = len(replies.times.get(chat, []))
            event = replies.waiters[chat] = asyncio.Event()
            api.add_update(
                api.message(
                    rng.choice(queries),
                    user_id=chat,
                    chat_id=chat,
                    language_code=rng.choice(LANGUAGES),
                )
            )
            while len(replies.times.get(chat, [])) <= before:
                await asyncio.wait_for(event.wait(), 30)
                event.clear()

    start = time.perf_counter()
    await asyncio.gather(*(user(first_chat + i) for i in range(users)))
    return users * messages / (time.perf_counter() - start)


async def open_loop(
    api: FakeBotAPI,
    replies: Replies,
    rate: float,
    seconds: float,
    first_chat: int,
    queries: list[str],
    faults: dict[int, tuple[str, str, dict]] | None = None,
) -> dict[str, float]:
    rng = random.Random(first_chat)
    sent: dict[int, float] = {}
    count = int(rate * seconds)
    start = time.monotonic()
    for i in range(count):
        due = start + i / rate
        delay = due - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        chat = first_chat + i
        if faults and i in faults:
            method, kind, opts = faults[i]
            api.inject(method, kind, **opts)
        sent[chat] = time.monotonic()
        api.add_update(
            api.message(
                rng.choice(queries), user_id=chat, chat_id=chat, language_code=rng.choice(LANGUAGES)
            )
        )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(c not in replies.times for c in sent):
        await asyncio.sleep(0.1)
        replies.scan()
    await asyncio.sleep(1.0)  # let late duplicates arrive
    replies.scan()
    latencies = [(replies.times[c][0] - t) * 1000 for c, t in sent.items() if c in replies.times]
    return {
        "offered": count,
        "median_ms": statistics.median(latencies) if latencies else float("nan"),
        "p99_ms": statistics.quantiles(latencies, n=100)[98]
        if len(latencies) > 1
        else float("nan"),
        "unanswered": sum(1 for c in sent if c not in replies.times),
        "extra_replies": sum(len(replies.times[c]) - 1 for c in sent if c in replies.times),
    }


FAULTS = (
    ("getUpdates", "500", {}),
    ("sendMessage", "429", {"retry_after": 1}),
    ("sendMessage", "502", {}),
    ("getUpdates", "drop", {}),
    ("sendMessage", "500", {}),
    ("getUpdates", "502", {}),
    ("sendMessage", "drop", {}),
)


def fault_schedule(count: int, share: float = 0.01) -> dict[int, tuple[str, str, dict]]:
    """Faults spread evenly over an open loop: about `share` of the updates meet one, in
    turn a 429, a 5xx or a dropped connection, on getUpdates or sendMessage."""
    every = max(1, int(1 / share))
    return {i: FAULTS[(i // every) % len(FAULTS)] for i in range(every // 2, count, every)}


async def measure(
    kind: str, workdir: Path, args: argparse.Namespace, queries: list[str]
) -> dict[str, float]:
    results: dict[str, float] = {}
    async with FakeBotAPI(TOKEN) as api:
        process = start_bot(kind, api, workdir)
        replies = Replies(api)
        stop = asyncio.Event()
        follower = asyncio.create_task(replies.follow(stop))
        try:
            await api.wait_for("getUpdates", timeout=60)
            api.add_update(api.message("warm up", user_id=1, chat_id=1))
            await replies.reply(1, timeout=60)
            bot_cpu, own_cpu = cpu_seconds(process.pid), time.process_time()
            results["closed_per_s"] = await closed_loop(
                api, replies, args.users, args.messages, 10_000, queries
            )
            handled = args.users * args.messages
            results["bot_cpu_ms"] = (cpu_seconds(process.pid) - bot_cpu) * 1000 / handled
            results["server_cpu_ms"] = (time.process_time() - own_cpu) * 1000 / handled
            results.update(await open_loop(api, replies, args.rate, args.seconds, 100_000, queries))
            results["rss_mb"] = peak_rss_mb(process.pid)
            refused_before = len(api.refused)
            schedule = fault_schedule(int(args.rate * args.seconds))
            faulty = await open_loop(
                api, replies, args.rate, args.seconds, 1_000_000, queries, schedule
            )
            results.update({f"faults_{k}": v for k, v in faulty.items()})
            results["faults_refused"] = len(api.refused) - refused_before
            results["violations"] = len(api.violations)
        finally:
            stop.set()
            await follower
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
    return results


async def main_async(args: argparse.Namespace) -> int:
    queries = realistic_queries()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        ingest(shipped_source(), workdir / "data.db")
        echo = await measure("echo", workdir, args, queries)
        mamandyq = await measure("mamandyq", workdir, args, queries)
    print(
        f"# load: closed loop {args.users} users x {args.messages} messages; "
        f"open loop {args.rate:g} updates/s for {args.seconds:g} s"
    )
    print("| measure | echo bot (ceiling) | mamandyq |")
    print("|---|---:|---:|")
    rows = [
        ("closed loop, updates/s", "closed_per_s", "{:.0f}"),
        ("closed loop, bot CPU per update (ms)", "bot_cpu_ms", "{:.2f}"),
        ("closed loop, server + load CPU per update (ms)", "server_cpu_ms", "{:.2f}"),
        ("open loop, reply latency median (ms)", "median_ms", "{:.1f}"),
        ("open loop, reply latency p99 (ms)", "p99_ms", "{:.1f}"),
        ("open loop, unanswered updates", "unanswered", "{:.0f}"),
        ("open loop, extra replies", "extra_replies", "{:.0f}"),
        ("peak resident memory of the bot (MB)", "rss_mb", "{:.0f}"),
        ("with faults: refused requests", "faults_refused", "{:.0f}"),
        ("with faults: unanswered updates", "faults_unanswered", "{:.0f}"),
        ("with faults: extra replies", "faults_extra_replies", "{:.0f}"),
        ("with faults: latency p99 (ms)", "faults_p99_ms", "{:.1f}"),
        ("Bot API contract violations", "violations", "{:.0f}"),
    ]
    for label, key, fmt in rows:
        print(f"| {label} | {fmt.format(echo[key])} | {fmt.format(mamandyq[key])} |")
    ratio = mamandyq["closed_per_s"] / echo["closed_per_s"]
    print(f"\nmamandyq closed-loop throughput = {100 * ratio:.0f}% of the echo bot")
    lost = mamandyq["unanswered"] + mamandyq["faults_unanswered"] + mamandyq["violations"]
    return 1 if lost else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short", action="store_true", help="a quick run for CI")
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--messages", type=int, default=20)
    parser.add_argument("--rate", type=float, default=100.0)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    if args.short:
        args.users, args.messages, args.rate, args.seconds = 20, 5, 50.0, 4.0
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
