"""Load: the real bot (`mamandyq run`, polling) against the fake Bot API server, beside a
trivial echo bot with the same Application settings, measured the same way in one run.

    python -m benchmarks.load                    # everything (about 6 minutes)
    python -m benchmarks.load --short            # the form CI runs
    python -m benchmarks.load --round-trip 200   # Telegram's network delay, in ms

Each bot runs as its own process; the fake servers (which also check every request
against the Bot API description) and the load generator share this process. On a 2-core
machine the three share the cores, so the echo bot is the ceiling. Scenarios:

* closed loop (`--users` x `--messages`, each user sends the next message once the reply
  came), after a warm-up run that is not counted, three runs per bot, each in four slices
  alternating between the bots (so that the shared machine's changing load falls on both
  alike): updates/s, CPU per update of the bot and of this process; the ratio mamandyq /
  echo of each run and their median;
* open loop (`--rate` updates/s for `--seconds`): reply latency median and p99, peak RSS;
* faults: an open loop of 300 updates with faults sprinkled on getUpdates and sendMessage
  (429, 5xx, dropped connections) and a 5 s outage of sendMessage: unanswered updates,
  extra replies, latency;
  (these three with Telegram's limits lifted, MAMANDYQ_MAX_RATE=0, the server being local)
* flood, with Telegram's limits as in production: ten users asking once a second, alone
  and while one user floods (300 messages in 10 s): the others' median latency;
* round trip (`--round-trip` ms added to every Bot API call, production limits): 50 users
  each asking two questions at once, four times 3.5 s apart: updates/s, latency, and
  whether each chat's replies came in the order of its questions.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import gc
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from store.catalog import Catalog
from store.ingest import ingest, shipped_source
from store.search import Kind
from tests.fakes.bot_api import Call, FakeBotAPI, parse_html

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "424242:load-test-token"
LANGUAGES = ("kk", "ru", "en")
KINDS = ("echo", "mamandyq")


def realistic_queries() -> list[str]:
    """Queries people type, in Kazakh, Russian and Latin script (our own search set)."""
    with (ROOT / "benchmarks" / "queries.tsv").open(encoding="utf-8") as f:
        return [r["query"] for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)]


@dataclass
class Replies:
    """Replies per chat (time, call), read from the server's accepted calls as they come."""

    api: FakeBotAPI
    cursor: int = 0
    calls: dict[int, list[Call]] = field(default_factory=dict)
    waiters: dict[int, asyncio.Event] = field(default_factory=dict)

    def scan(self) -> None:
        calls = self.api.calls
        while self.cursor < len(calls):
            call = calls[self.cursor]
            self.cursor += 1
            if call.method == "sendMessage":
                chat = int(call.params["chat_id"])
                self.calls.setdefault(chat, []).append(call)
                if chat in self.waiters:
                    self.waiters[chat].set()

    def count(self, chat: int) -> int:
        return len(self.calls.get(chat, ()))

    def times(self, chat: int) -> list[float]:
        return [c.time for c in self.calls.get(chat, ())]

    async def follow(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            await self.api.next_change(0.05)
            self.scan()

    async def until(self, chat: int, count: int, timeout: float = 60.0) -> None:
        """Wait until `chat` has `count` replies."""
        deadline = time.monotonic() + timeout
        while self.count(chat) < count:
            event = self.waiters.setdefault(chat, asyncio.Event())
            event.clear()
            await asyncio.wait_for(event.wait(), max(deadline - time.monotonic(), 0.001))


@dataclass
class Bot:
    """One bot process and the fake server it talks to."""

    kind: str
    api: FakeBotAPI
    process: subprocess.Popen
    replies: Replies
    follower: asyncio.Task
    stop: asyncio.Event
    next_chat: int = 10_000

    def chats(self, count: int) -> list[int]:
        first = self.next_chat
        self.next_chat += count
        return list(range(first, first + count))

    def send(self, chat: int, text: str, language: str = "ru") -> float:
        self.api.add_update(
            self.api.message(text, user_id=chat, chat_id=chat, language_code=language)
        )
        return time.monotonic()


async def start_bot(kind: str, workdir: Path, tag: str, env_extra: dict[str, str]) -> Bot:
    api = FakeBotAPI(TOKEN)
    await api.start()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("MAMANDYQ_", "TELEGRAM_"))},
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": api.base_url,
        "MAMANDYQ_DB": str(workdir / "data.db"),
        "MAMANDYQ_STATE_DB": str(workdir / f"state-{kind}-{tag}.db"),
        "MAMANDYQ_CACHE_DIR": str(workdir / "cache"),
        **env_extra,
    }
    command = (
        [sys.executable, "-m", "bot.cli", "run"]
        if kind == "mamandyq"
        else [sys.executable, "-m", "benchmarks.echo_bot"]
    )
    process = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    replies = Replies(api)
    stop = asyncio.Event()
    bot = Bot(kind, api, process, replies, asyncio.create_task(replies.follow(stop)), stop)
    await api.wait_for("deleteWebhook", timeout=60)
    warm = bot.chats(1)[0]
    bot.send(warm, "warm up")
    await replies.until(warm, 1, 60)
    return bot


async def stop_bot(bot: Bot) -> None:
    bot.stop.set()
    await bot.follower
    bot.process.send_signal(signal.SIGTERM)
    try:
        await asyncio.to_thread(bot.process.wait, 20)
    except subprocess.TimeoutExpired:
        bot.process.kill()
    await bot.api.close()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def quiet_harness() -> None:
    """Before each measurement: collect, then freeze what this process holds (every call the
    fake servers saw) out of the garbage collector's sight, so that a full collection of an
    ever larger heap here does not stall the fake server in the middle of a measurement
    (it showed as the later bot's p99)."""
    gc.collect()
    gc.freeze()


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98] if len(values) > 1 else float("nan")


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


async def closed_loop(bot: Bot, users: int, messages: int, queries: list[str]) -> dict[str, float]:
    """Each user sends the next message once the reply to the last one came."""

    async def user(chat: int) -> None:
        rng = random.Random(chat)
        for count in range(1, messages + 1):
            bot.send(chat, rng.choice(queries), rng.choice(LANGUAGES))
            await bot.replies.until(chat, count)

    chats = bot.chats(users)
    quiet_harness()
    bot_cpu, own_cpu = cpu_seconds(bot.process.pid), time.process_time()
    start = time.perf_counter()
    await asyncio.gather(*(user(chat) for chat in chats))
    elapsed = time.perf_counter() - start
    handled = users * messages
    return {
        "closed_per_s": handled / elapsed,
        "bot_cpu_ms": (cpu_seconds(bot.process.pid) - bot_cpu) * 1000 / handled,
        "server_cpu_ms": (time.process_time() - own_cpu) * 1000 / handled,
    }


async def closed_runs(
    bots: dict[str, Bot], users: int, messages: int, slices: int, queries: list[str]
) -> dict[str, dict[str, float]]:
    """One closed-loop run per bot, in `slices` alternating slices (echo, mamandyq, echo,
    ...), so that a change in the shared machine's load meanwhile falls on both alike."""
    totals = {kind: {"elapsed": 0.0, "bot_cpu": 0.0, "own_cpu": 0.0} for kind in KINDS}
    for _ in range(slices):
        for kind in KINDS:
            result = await closed_loop(bots[kind], users, messages // slices, queries)
            handled = users * (messages // slices)
            totals[kind]["elapsed"] += handled / result["closed_per_s"]
            totals[kind]["bot_cpu"] += result["bot_cpu_ms"] * handled
            totals[kind]["own_cpu"] += result["server_cpu_ms"] * handled
    handled = users * (messages // slices) * slices
    return {
        kind: {
            "closed_per_s": handled / total["elapsed"],
            "bot_cpu_ms": total["bot_cpu"] / handled,
            "server_cpu_ms": total["own_cpu"] / handled,
        }
        for kind, total in totals.items()
    }


async def settle(bot: Bot, sent: dict[int, list[float]], timeout: float) -> None:
    """Wait until every chat has as many replies as messages (or `timeout`), then a moment
    for late duplicates, which would show up within the bot's retries."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and any(
        bot.replies.count(c) < len(t) for c, t in sent.items()
    ):
        await asyncio.sleep(0.1)
    await asyncio.sleep(1.0)
    bot.replies.scan()


def outcome(bot: Bot, sent: dict[int, list[float]]) -> dict[str, float]:
    """Latency of each message (to the reply at its place), unanswered and extra replies."""
    latencies = []
    for chat, times in sent.items():
        replies = bot.replies.times(chat)
        latencies += [(r - s) * 1000 for s, r in zip(times, replies, strict=False)]
    return {
        "median_ms": median(latencies),
        "p99_ms": p99(latencies),
        "unanswered": sum(max(len(t) - bot.replies.count(c), 0) for c, t in sent.items()),
        "extra_replies": sum(max(bot.replies.count(c) - len(t), 0) for c, t in sent.items()),
    }


async def open_loop(
    bot: Bot,
    rate: float,
    seconds: float,
    queries: list[str],
    events: dict[int, Callable[[], None]] | None = None,
) -> dict[str, float]:
    """`rate` new users a second, one message each; `events[i]` runs before message i."""
    rng = random.Random(bot.next_chat)
    count = int(rate * seconds)
    chats = bot.chats(count)
    sent: dict[int, list[float]] = {}
    quiet_harness()
    start = time.monotonic()
    for i, chat in enumerate(chats):
        delay = start + i / rate - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        if events and i in events:
            events[i]()
        sent[chat] = [bot.send(chat, rng.choice(queries), rng.choice(LANGUAGES))]
    await settle(bot, sent, 60)
    return {"offered": count, **outcome(bot, sent)}


FAULTS = (
    ("getUpdates", "500", {}),
    ("sendMessage", "429", {"retry_after": 1}),
    ("sendMessage", "502", {}),
    ("getUpdates", "drop", {}),
    ("sendMessage", "500", {}),
    ("getUpdates", "502", {}),
    ("sendMessage", "drop", {}),
)


def fault_events(bot: Bot, count: int, rate: float, outage_at: float, outage_s: float) -> dict:
    """Faults spread evenly (about 1% of the updates meet one, in turn a 429, a 5xx or a
    dropped connection, on getUpdates or sendMessage), and an outage of sendMessage."""
    every = 100
    events: dict[int, Callable[[], None]] = {}
    for n, i in enumerate(range(every // 2, count, every)):
        method, kind, opts = FAULTS[n % len(FAULTS)]
        events[i] = lambda m=method, k=kind, o=opts: bot.api.inject(m, k, **o)

    def outage() -> None:
        bot.api.inject("sendMessage", "502", times=1_000_000)
        asyncio.get_running_loop().call_later(outage_s, bot.api.clear_faults, "sendMessage")

    events[int(outage_at * rate)] = outage
    return events


async def flood(bot: Bot, queries: list[str], seconds: float, flood_count: int) -> dict:
    """Ten users ask once a second; `flood_count` messages from one user meanwhile (or none,
    for the idle baseline). The others' latencies."""
    others = bot.chats(10)
    flooder = bot.chats(1)[0]
    rng = random.Random(flooder)
    sent: dict[int, list[float]] = {chat: [] for chat in others}

    async def flooding() -> None:
        for _ in range(flood_count):
            bot.send(flooder, rng.choice(queries))
            await asyncio.sleep(seconds / flood_count)

    quiet_harness()
    task = asyncio.create_task(flooding()) if flood_count else None
    for _ in range(int(seconds)):
        for chat in others:
            sent[chat].append(bot.send(chat, rng.choice(queries)))
            await asyncio.sleep(1 / len(others))
    if task:
        await task
    await settle(bot, sent, 30)
    result = outcome(bot, sent)
    result["flooder_answered"] = bot.replies.count(flooder)
    return result


def card_name(catalog: Catalog, query: str) -> str | None:
    """The specialty whose card a query surely gets (None: a question, a list, nothing)."""
    result = catalog.decree().search(query)
    return result.matches[0].specialty.name if result.kind == Kind.CARD else None


async def round_trip(
    bot: Bot, queries: list[str], catalog: Catalog, round_trip_ms: float
) -> dict[str, float]:
    """50 users, each asking two questions at once, four times 3.5 s apart, users spread
    evenly; every call takes `round_trip_ms` longer, as over the network to Telegram."""
    cards = [(q, name) for q in queries if (name := card_name(catalog, q))]
    bot.api.round_trip = round_trip_ms / 1000
    users, rounds, pair, every = 50, 4, 2, 3.5
    chats = bot.chats(users)
    expected: dict[int, list[str]] = {chat: [] for chat in chats}
    sent: dict[int, list[float]] = {chat: [] for chat in chats}
    rng = random.Random(7)

    async def user(index: int, chat: int) -> None:
        await asyncio.sleep(index * every / users)
        for _ in range(rounds):
            for _ in range(pair):
                query, name = rng.choice(cards)
                expected[chat].append(query if bot.kind == "echo" else name)
                sent[chat].append(bot.send(chat, query, rng.choice(LANGUAGES)))
            await asyncio.sleep(every)

    quiet_harness()
    start = time.monotonic()
    await asyncio.gather(*(user(i, chat) for i, chat in enumerate(chats)))
    await settle(bot, sent, 60)
    last = max((t for chat in chats for t in bot.replies.times(chat)), default=start)
    bot.api.round_trip = 0.0
    answered = sum(min(bot.replies.count(c), len(sent[c])) for c in chats)
    out_of_order = 0
    for chat in chats:
        got = [parse_html(c.params["text"])[0].split("\n")[0] for c in bot.replies.calls[chat]]
        out_of_order += sum(1 for g, e in zip(got, expected[chat], strict=False) if g != e)
    return {
        "rt_offered_per_s": users * rounds * pair / (every * rounds),
        "rt_per_s": answered / (last - start),
        **{f"rt_{k}": v for k, v in outcome(bot, sent).items()},
        "rt_out_of_order": out_of_order,
    }


def table(rows: list[tuple[str, str, str]], results: dict[str, dict[str, Any]]) -> None:
    print("| measure | echo bot (ceiling) | mamandyq |")
    print("|---|---:|---:|")
    for label, key, fmt in rows:
        cells = [fmt.format(results[k][key]) if key in results[k] else "-" for k in KINDS]
        print(f"| {label} | {cells[0]} | {cells[1]} |")


async def main_async(args: argparse.Namespace) -> int:
    queries = realistic_queries()
    results: dict[str, dict[str, Any]] = {kind: {} for kind in KINDS}
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        ingest(shipped_source(), workdir / "data.db")
        catalog = Catalog.open(workdir / "data.db")
        lifted = {"MAMANDYQ_MAX_RATE": "0"}
        bots = {kind: await start_bot(kind, workdir, "lifted", lifted) for kind in KINDS}
        # A warm-up run, not counted: as a bot that has been answering for a while (its
        # caches hold the common questions; the echo bot has none to fill).
        await closed_runs(bots, args.users, args.messages, 1, queries)
        ratios = []
        for _ in range(args.runs):
            run = await closed_runs(bots, args.users, args.messages, args.slices, queries)
            ratios.append(run["mamandyq"]["closed_per_s"] / run["echo"]["closed_per_s"])
            for kind in KINDS:
                for key, value in run[kind].items():
                    results[kind].setdefault(key, []).append(value)
        for kind in KINDS:
            for key in ("closed_per_s", "bot_cpu_ms", "server_cpu_ms"):
                results[kind][key] = median(results[kind][key])
        for kind in KINDS:
            results[kind].update(await open_loop(bots[kind], args.rate, args.seconds, queries))
            results[kind]["rss_mb"] = peak_rss_mb(bots[kind].process.pid)
        for kind in KINDS:
            bot = bots[kind]
            refused = len(bot.api.refused)
            count = int(args.fault_rate * args.fault_seconds)
            events = fault_events(bot, count, args.fault_rate, args.fault_seconds / 3, 5.0)
            faulty = await open_loop(bot, args.fault_rate, args.fault_seconds, queries, events)
            results[kind].update({f"faults_{k}": v for k, v in faulty.items()})
            results[kind]["faults_refused"] = len(bot.api.refused) - refused
            results[kind]["violations"] = len(bot.api.violations)
        for bot in bots.values():
            await stop_bot(bot)

        for kind in KINDS:
            bot = await start_bot(kind, workdir, "production", {})
            idle = await flood(bot, queries, args.flood_seconds, 0)
            busy = await flood(bot, queries, args.flood_seconds, args.flood_messages)
            results[kind].update(
                idle_median_ms=idle["median_ms"],
                flood_median_ms=busy["median_ms"],
                flood_unanswered=busy["unanswered"],
                flood_ratio=busy["median_ms"] / idle["median_ms"],
            )
            if args.round_trip:
                results[kind].update(await round_trip(bot, queries, catalog, args.round_trip))
            results[kind]["violations"] += len(bot.api.violations)
            await stop_bot(bot)

    print(
        f"# load: closed loop {args.users} users x {args.messages} messages (median of "
        f"{args.runs} runs); open loop {args.rate:g} updates/s for {args.seconds:g} s"
    )
    rows = [
        ("closed loop, updates/s", "closed_per_s", "{:.0f}"),
        ("closed loop, bot CPU per update (ms)", "bot_cpu_ms", "{:.2f}"),
        ("closed loop, server + load CPU per update (ms)", "server_cpu_ms", "{:.2f}"),
        ("open loop, reply latency median (ms)", "median_ms", "{:.1f}"),
        ("open loop, reply latency p99 (ms)", "p99_ms", "{:.1f}"),
        ("open loop, unanswered updates", "unanswered", "{:.0f}"),
        ("open loop, extra replies", "extra_replies", "{:.0f}"),
        ("peak resident memory of the bot (MB)", "rss_mb", "{:.0f}"),
        ("with faults and a 5 s outage: refused requests", "faults_refused", "{:.0f}"),
        ("with faults and a 5 s outage: unanswered updates", "faults_unanswered", "{:.0f}"),
        ("with faults and a 5 s outage: extra replies", "faults_extra_replies", "{:.0f}"),
        ("with faults and a 5 s outage: latency median (ms)", "faults_median_ms", "{:.0f}"),
        ("with faults and a 5 s outage: latency p99 (ms)", "faults_p99_ms", "{:.0f}"),
        ("others' latency median, idle (ms)", "idle_median_ms", "{:.1f}"),
        ("others' latency median, one user flooding (ms)", "flood_median_ms", "{:.1f}"),
        ("others' latency, flooding / idle", "flood_ratio", "{:.2f}"),
        ("others' unanswered while flooding", "flood_unanswered", "{:.0f}"),
    ]
    if args.round_trip:
        trip = f"round trip {args.round_trip:g} ms:"
        rows += [
            (f"{trip} offered updates/s", "rt_offered_per_s", "{:.1f}"),
            (f"{trip} updates/s", "rt_per_s", "{:.1f}"),
            (f"{trip} latency median (ms)", "rt_median_ms", "{:.0f}"),
            (f"{trip} latency p99 (ms)", "rt_p99_ms", "{:.0f}"),
            (f"{trip} unanswered", "rt_unanswered", "{:.0f}"),
            (f"{trip} replies out of order", "rt_out_of_order", "{:.0f}"),
        ]
    rows.append(("Bot API contract violations", "violations", "{:.0f}"))
    table(rows, results)
    shown = ", ".join(f"{100 * r:.0f}%" for r in ratios)
    print(
        f"\nmamandyq closed-loop throughput = {100 * median(ratios):.0f}% of the echo bot "
        f"(median of {len(ratios)} runs: {shown})"
    )
    ours = results["mamandyq"]
    faults_ratio = ours["faults_median_ms"] / results["echo"]["faults_median_ms"]
    print(f"with faults and an outage, median latency = {faults_ratio:.2f}x the echo bot's")
    wrong = sum(
        ours.get(key, 0)
        for key in (
            "unanswered",
            "extra_replies",
            "faults_unanswered",
            "faults_extra_replies",
            "flood_unanswered",
            "rt_unanswered",
            "rt_extra_replies",
            "rt_out_of_order",
            "violations",
        )
    )
    return 1 if wrong else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short", action="store_true", help="a quick run for CI")
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--messages", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3, help="closed-loop runs per bot")
    parser.add_argument("--slices", type=int, default=4, help="alternating slices per run")
    parser.add_argument("--rate", type=float, default=100.0)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--fault-rate", type=float, default=30.0)
    parser.add_argument("--fault-seconds", type=float, default=10.0)
    parser.add_argument("--flood-seconds", type=float, default=10.0)
    parser.add_argument("--flood-messages", type=int, default=300)
    parser.add_argument(
        "--round-trip",
        type=float,
        default=150.0,
        metavar="MS",
        help="milliseconds added to every Bot API call in the round-trip scenario (0: skip)",
    )
    args = parser.parse_args()
    if args.short:
        args.users, args.messages, args.runs, args.slices = 20, 5, 1, 1
        args.rate, args.seconds, args.fault_seconds = 50.0, 4.0, 10.0
        args.flood_seconds, args.flood_messages, args.round_trip = 3.0, 90, 0.0
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
