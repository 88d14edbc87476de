"""The `mamandyq` command: ingest, export, search, chart, chat, run, report, health.

Errors a user can cause (a bad file, a missing token, a bad setting, a state database that
cannot be used) end with one line on stderr and exit code 2; the database in use is never
left half-written. python-telegram-bot, pdfplumber, sqlite-utils and matplotlib are
imported only by the commands that need them (`run`; `ingest`, or a first run that builds
the database; `chart`), so that `mamandyq search` and `mamandyq health` start fast.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sqlite3
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.console import terminal
from bot.settings import ConfigError, Settings
from locales import LANGUAGES
from store.model import Decree, DecreeError, Defect, DefectKind

if TYPE_CHECKING:
    from bot.state import State
    from store.catalog import Catalog, LiveCatalog
    from store.search import SearchResult

HEALTH_MAX_AGE = 120.0


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.from_env(db_path=args.db)


def _data_path(args: argparse.Namespace) -> Path:
    path = _settings(args).db_path
    if path.is_dir():
        raise ConfigError(f"the data database {path} is a directory, not a file")
    return path


def _database(args: argparse.Namespace) -> Path:
    """The data database, built from the shipped decree on first use."""
    from store.catalog import ready

    path = _data_path(args)
    if not path.exists():
        print(f"Building {path} from the shipped decree (first run)...", file=sys.stderr)
    return ready(path)


def _live_catalog(args: argparse.Namespace) -> LiveCatalog:
    """For the bot and the chat: the data as it is now, whenever an ingest replaces it."""
    from store.catalog import LiveCatalog

    return LiveCatalog(_database(args), index_dir=_settings(args).cache_dir)


def _catalog(args: argparse.Namespace) -> Catalog:
    from store.catalog import Catalog

    path = _database(args)
    catalog = Catalog.open(path, _settings(args).cache_dir)
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
    # LiveCatalog looks at the file once a second.
    lines.append("A running bot (mamandyq run or chat) serves it within seconds, no restart.")
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
            f"  {_place(d.appendix, d.row, d.group_code)} [{d.kind}]: {_what(d)}" for d in others
        ]
    return lines


def _what(defect: Defect) -> str:
    if defect.kind == DefectKind.CODE_NAMES:
        return f"code {defect.stored} is printed with other names too: {defect.printed!r}"
    if defect.kind == DefectKind.GROUP_NAMES:
        return f"printed {defect.printed!r}, elsewhere {defect.stored!r} (the first is shown)"
    return f"{defect.printed!r} -> {defect.stored!r}"


def result_json(result: SearchResult) -> dict[str, Any]:
    """A search result in the documented JSON shape."""
    return {
        "query": result.query,
        "kind": result.kind,
        "ambiguous": result.ambiguous,
        "field": result.field or None,
        "topic": result.topic,
        # For "none": a related field to point to, or the other region asked about.
        "related_field": result.related_field or None,
        "elsewhere": result.elsewhere or None,
        # The classifier code of a specialty named that the decree does not fund.
        "unfunded": result.unfunded or None,
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
    print(terminal("\n".join(ingest_report(decree, db))))
    return 0


def _write(output: str | None, content: bytes) -> None:
    if output in (None, "-"):
        sys.stdout.flush()
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
    else:
        Path(output).write_bytes(content)


def cmd_export(args: argparse.Namespace) -> int:
    """JSON; CSV for Excel (byte-order mark, the separator of the language); a workbook."""
    from bot.i18n import pick_language, translator
    from bot.sheets import decree_sheets
    from store.export import csv_bytes, csv_delimiter, to_json, to_xlsx

    view = _catalog(args).decree(args.decree)
    language = pick_language(args.lang, _settings(args).locale)
    if args.format == "xlsx":
        if args.output in (None, "-") and sys.stdout.isatty():
            raise DecreeError("an Excel workbook is a binary file: give -o FILE.xlsx")
        _write(args.output, to_xlsx(decree_sheets(translator(language), language, view)))
    elif args.format == "csv":
        _write(args.output, csv_bytes(view.decree, csv_delimiter(language)))
    else:
        _write(args.output, to_json(view.decree).encode("utf-8"))
    return 0


def cmd_chart(args: argparse.Namespace) -> int:
    """A chart of places per level, by field of education or for the top specialties."""
    from bot.answers import Answers, Asker
    from bot.charts import render
    from bot.i18n import pick_language

    catalog = _catalog(args)
    view = catalog.decree(args.decree)
    language = pick_language(args.lang, _settings(args).locale)
    answers = Answers(catalog)
    asker = Asker(language, view.id)
    chart = (
        answers.top_chart(asker, view) if args.kind == "top" else answers.fields_chart(asker, view)
    )
    Path(args.output).write_bytes(render(chart))
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
    # Like the bot: --lang, else a kk or ru locale, else the script of the query.
    language = pick_language(args.lang, _settings(args).locale, query)
    answers = Answers(catalog)
    print(plain(answers.search(Asker(language, view.id), query).text))
    if result.matches and (result.ambiguous or len(result.matches) > 1):
        _ = translator(language)
        for m in result.matches:
            summary = cards.short_summary(_, view, m.specialty)
            print(terminal(f"  - {m.specialty.name} ({m.score:.0f}): {summary}"))
    return 0 if result.matches else 1


def cmd_chat(args: argparse.Namespace) -> int:
    from bot.answers import Answers
    from bot.console import chat
    from bot.i18n import pick_language

    chat(Answers(_live_catalog(args)), args.lang or pick_language(None, _settings(args).locale))
    return 0


def without_webhook_server() -> None:
    """Keep tornado out of a polling bot. python-telegram-bot imports it whenever it is
    installed, for a webhook server of its own, which we never use (webhook mode has ours,
    bot/webhook.py); it is 5 MB of a polling bot's memory. A None in sys.modules makes an
    import fail, and python-telegram-bot then turns its own webhooks off. For the rest of
    the process: only `mamandyq run` calls it."""
    if "tornado" not in sys.modules:
        sys.modules["tornado"] = None  # type: ignore[assignment]


def open_state(settings: Settings, bot_id: int = 0) -> State:
    """The bot's state database, or one line saying why it cannot be opened and who must
    be able to write it (a volume owned by root, a container run as another user)."""
    from bot.state import State, StateError

    try:
        return State(settings.state_path, settings.log_queries, bot_id)
    except (StateError, sqlite3.Error, OSError) as error:
        reason = getattr(error, "strerror", None) or error
        raise ConfigError(
            f"{reason}; its folder must be writable by this process"
            f" (uid {os.getuid()}, gid {os.getgid()})"
        ) from None


def cmd_run(args: argparse.Namespace) -> int:
    if not args.webhook:
        without_webhook_server()
    from bot.app import bot_id, run  # python-telegram-bot only when the bot runs

    settings = _settings(args).require_token(webhook=args.webhook)
    catalog = _live_catalog(args)
    state = open_state(settings, bot_id(settings.token))
    try:
        return run(settings, catalog, state, args.webhook)
    finally:
        state.close()


def cmd_report(args: argparse.Namespace) -> int:
    state = open_state(_settings(args))
    try:
        misses = state.queries.misses(args.limit)
    finally:
        state.close()
    if not misses:
        print("No unanswered queries logged (is MAMANDYQ_LOG_QUERIES=1 set for the bot?)")
    writer = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
    for query, count in misses:
        writer.writerow([count, terminal(query)])
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

    p = add("export", "write every row of a decree as JSON, CSV or an Excel workbook")
    p.add_argument("--format", choices=("json", "csv", "xlsx"), required=True)
    p.add_argument("--decree", help="decree id (default: the newest)")
    p.add_argument("--output", "-o", help="file to write (default: standard output)")
    p.add_argument(
        "--lang", choices=LANGUAGES, help="headers (xlsx) and separator (csv: ';' for kk, ru)"
    )
    p.set_defaults(func=cmd_export)

    p = add("chart", "draw a chart of places per level, as PNG")
    p.add_argument("--output", "-o", required=True, help="PNG file to write")
    p.add_argument("--kind", choices=("fields", "top"), default="fields")
    p.add_argument("--decree", help="decree id (default: the newest)")
    p.add_argument("--lang", choices=LANGUAGES)
    p.set_defaults(func=cmd_chart)

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
        print(f"mamandyq: {' '.join(terminal(str(error)).split())}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
