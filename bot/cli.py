"""The `mamandyq` command: ingest, export, search, chat, run, report, health.

Errors a user can cause (a bad file, a missing token, a bad setting, a state database that
cannot be used) end with one line on stderr and exit code 2; the database in use is never
left half-written. python-telegram-bot, pdfplumber and sqlite-utils are imported only by
the commands that need them (`run`; `ingest`, or a first run that builds the database), so
that `mamandyq search` and `mamandyq health` start fast.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.settings import ConfigError, Settings
from locales import LANGUAGES
from store.model import Decree, DecreeError, DefectKind

if TYPE_CHECKING:
    from store.catalog import Catalog
    from store.search import SearchResult

HEALTH_MAX_AGE = 120.0


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.from_env(db_path=args.db)


def _data_path(args: argparse.Namespace) -> Path:
    path = _settings(args).db_path
    if path.is_dir():
        raise ConfigError(f"the data database {path} is a directory, not a file")
    return path


def _catalog(args: argparse.Namespace) -> Catalog:
    from store.catalog import Catalog

    path = _data_path(args)
    if not path.exists():
        print(f"Building {path} from the shipped decree (first run)...", file=sys.stderr)
    catalog = Catalog.open(path)
    wanted = getattr(args, "decree", None)
    if wanted and not catalog.has(wanted):
        known = ", ".join(f"{v.id} ({v.decree.region} {v.decree.number})" for v in catalog.views)
        raise DecreeError(f"no decree {wanted!r} in {path}; there are: {known}")
    return catalog


def _place(appendix: int | None, row: int | None, group_code: str | None) -> str:
    place = f"appendix {appendix}"
    if row is not None:
        return f"{place}, row {row}"
    return f"{place}, group {group_code}" if group_code else f"{place}, total"


def ingest_report(decree: Decree, db: Path) -> list[str]:
    """What an ingest found: rows and places per appendix, totals, defects."""
    lines = [
        f"Ingested {decree.region}, decree No {decree.number} of {decree.date} "
        f"({decree.academic_year}) from {decree.source_name} into {db}",
    ]
    for appendix in decree.appendices:
        rows = [r for r in decree.rows if r.appendix == appendix.appendix]
        printed = (
            "" if appendix.printed_total is None else f" (printed total {appendix.printed_total})"
        )
        lines.append(
            f"  appendix {appendix.appendix} ({appendix.kind}): {len(rows)} rows, "
            f"{appendix.seats} places{printed}"
        )
    lines.append(
        f"  {len(decree.rows)} rows, {len({r.name for r in decree.rows})} specialties, "
        f"{decree.seats} places"
    )
    groups = {(g.appendix, g.code): g.name for g in decree.groups}
    totals = [d for d in decree.defects if d.kind == DefectKind.TOTAL_MISMATCH]
    others = [d for d in decree.defects if d.kind != DefectKind.TOTAL_MISMATCH]
    if totals:
        lines.append("Warning: printed totals that differ from the sum of their rows:")
        for d in totals:
            name = groups.get((d.appendix or 0, d.group_code or ""), "")
            where = _place(d.appendix, None, d.group_code) + (f" {name}" if name else "")
            lines.append(f"  {where}: printed {d.printed}, rows sum to {d.stored}")
    if others:
        lines.append("Defects in the source (what was printed -> what was stored):")
        lines += [
            f"  {_place(d.appendix, d.row, d.group_code)} [{d.kind}]: {d.printed!r} -> {d.stored!r}"
            for d in others
        ]
    return lines


def result_json(result: SearchResult) -> dict[str, Any]:
    """A search result in the documented JSON shape."""
    return {
        "query": result.query,
        "kind": result.kind,
        "ambiguous": result.ambiguous,
        "field": result.field or None,
        "topic": result.topic,
        "matches": [
            {
                "name": m.specialty.name,
                "codes": m.specialty.codes,
                "score": m.score,
                "levels": [
                    {
                        "appendix": r.appendix,
                        "seats": r.seats,
                        "city_costs": list(r.city_costs),
                        "rural_costs": list(r.rural_costs),
                    }
                    for r in m.specialty.rows
                ],
            }
            for m in result.matches
        ],
    }


def _lines(source: str) -> Iterable[str]:
    if source == "-":
        yield from (line.rstrip("\n") for line in sys.stdin)
        return
    path = Path(source)
    if not path.is_file():
        raise DecreeError(f"{source}: no such file")
    with path.open(encoding="utf-8") as stream:
        yield from (line.rstrip("\n") for line in stream)


def cmd_ingest(args: argparse.Namespace) -> int:
    from store.ingest import ingest

    db = _data_path(args)
    decree = ingest(args.path, db)
    print("\n".join(ingest_report(decree, db)))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from store.export import to_csv, to_json

    decree = _catalog(args).decree(args.decree).decree
    text = to_json(decree) if args.format == "json" else to_csv(decree)
    if args.output in (None, "-"):
        sys.stdout.write(text)
    else:
        Path(args.output).write_text(text, encoding="utf-8")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from bot import cards
    from bot.answers import Answers, Asker
    from bot.console import plain
    from bot.i18n import pick_language, translator

    catalog = _catalog(args)
    view = catalog.decree(args.decree)
    if args.batch:
        for query in _lines(args.batch):
            print(json.dumps(result_json(view.search(query, args.limit)), ensure_ascii=False))
        return 0
    if not args.query:
        raise DecreeError("search needs a QUERY or --batch FILE")
    query = " ".join(args.query)
    result = view.search(query, args.limit)
    if args.json:
        print(json.dumps(result_json(result), ensure_ascii=False, indent=1))
        return 0
    language = pick_language(args.lang, _settings(args).locale)
    answers = Answers(catalog)
    print(plain(answers.search(Asker(language, view.id), query).text))
    if result.matches and (result.ambiguous or len(result.matches) > 1):
        _ = translator(language)
        for m in result.matches:
            print(f"  - {m.specialty.name} ({m.score:.0f}): {cards.short_summary(_, m.specialty)}")
    return 0 if result.matches else 1


def cmd_chat(args: argparse.Namespace) -> int:
    from bot.answers import Answers
    from bot.console import chat
    from bot.i18n import pick_language

    chat(Answers(_catalog(args)), args.lang or pick_language(None, _settings(args).locale))
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from bot.app import bot_id, run  # python-telegram-bot only when the bot runs
    from bot.state import State

    settings = _settings(args).require_token(webhook=args.webhook)
    catalog = _catalog(args)
    state = State(settings.state_path, settings.log_queries, bot_id(settings.token))
    try:
        return run(settings, catalog, state, args.webhook)
    finally:
        state.close()


def cmd_report(args: argparse.Namespace) -> int:
    from bot.state import State

    state = State(_settings(args).state_path)
    try:
        misses = state.queries.misses(args.limit)
    finally:
        state.close()
    if not misses:
        print("No unanswered queries logged (is MAMANDYQ_LOG_QUERIES=1 set for the bot?)")
    writer = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
    for query, count in misses:
        writer.writerow([count, query])
    return 0


def cmd_health(args: argparse.Namespace) -> int:
    """Exit 0 when the bot heard from Telegram within --max-age seconds, else 1 (one line)."""
    from bot.state import StateError, last_heartbeat

    path = _settings(args).state_path
    try:
        last = last_heartbeat(path)
    except StateError as error:
        print(f"unhealthy: {error}", file=sys.stderr)
        return 1
    if last is None:
        print(f"unhealthy: the bot has not heard from Telegram yet ({path})", file=sys.stderr)
        return 1
    age = time.time() - last
    if age > args.max_age:
        print(
            f"unhealthy: last poll or webhook delivery {age:.0f} s ago "
            f"(more than {args.max_age:g} s)",
            file=sys.stderr,
        )
        return 1
    print(f"healthy: last poll or webhook delivery {max(age, 0):.0f} s ago")
    return 0


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"a number of seconds above 0, not {text!r}")
    return value


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="mamandyq",
        description="State-funded college places and yearly costs from the akimat's decree.",
    )
    sub = main.add_subparsers(dest="command", required=True)

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument(
            "--db", type=Path, help="data database (default: MAMANDYQ_DB or the user data dir)"
        )
        return p

    p = add("ingest", "parse a decree (PDF or extracted text), validate it, store it")
    p.add_argument("path", type=Path)
    p.set_defaults(func=cmd_ingest)

    p = add("export", "write every row of a decree as JSON or CSV")
    p.add_argument("--format", choices=("json", "csv"), required=True)
    p.add_argument("--decree", help="decree id (default: the newest)")
    p.add_argument("--output", "-o", help="file to write (default: standard output)")
    p.set_defaults(func=cmd_export)

    p = add("search", "find the specialty a query means")
    p.add_argument("query", nargs="*")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument("--limit", type=int, default=6)
    p.add_argument(
        "--batch", metavar="FILE", help="one query per line ('-': stdin), JSON lines out"
    )
    p.add_argument("--decree", help="decree id (default: the newest)")
    p.add_argument("--lang", choices=LANGUAGES)
    p.set_defaults(func=cmd_search)

    p = add("chat", "talk to the bot in the terminal (no token, no network)")
    p.add_argument("--lang", choices=LANGUAGES)
    p.set_defaults(func=cmd_chat)

    p = add("run", "run the Telegram bot (TELEGRAM_BOT_TOKEN in the environment)")
    p.add_argument(
        "--webhook", action="store_true", help="webhook mode: WEBHOOK_URL, WEBHOOK_SECRET, PORT"
    )
    p.set_defaults(func=cmd_run)

    p = add("report", "what people look for and do not find (needs MAMANDYQ_LOG_QUERIES=1)")
    p.add_argument("what", choices=("misses",))
    p.add_argument("--limit", type=int, default=50)
    p.set_defaults(func=cmd_report)

    p = add("health", "exit 0 if the running bot heard from Telegram lately, else 1")
    p.add_argument(
        "--max-age",
        type=_seconds,
        default=HEALTH_MAX_AGE,
        metavar="SECONDS",
        help=f"how recent the last poll or webhook delivery must be (default {HEALTH_MAX_AGE:g})",
    )
    p.set_defaults(func=cmd_health)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except (DecreeError, ConfigError) as error:
        print(f"mamandyq: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
