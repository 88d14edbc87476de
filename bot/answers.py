"""What the bot answers, independent of Telegram: the conversation as pure-ish functions.

Telegram handlers (`bot.handlers`) and the console chat (`bot.console`) both call these
and only translate the `Reply` into their medium, so both say exactly the same things.
Callback data is short and ASCII ("c:1a2b3c4"), far under Telegram's 64-byte limit.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from html import escape

from bot import cards
from bot.i18n import Translate, translator
from locales import LANGUAGES
from store.catalog import Catalog
from store.db import export_rows
from store.search import Specialty

PAGE_SIZE = 8
# Callback data of a button that only shows something (the page number): no answer.
NOTHING = "n"
MAX_BUTTON_TEXT = 60
MAX_ECHO = 80
LANGUAGE_LABELS = {"kk": "🇰🇿 Қазақша", "ru": "🇷🇺 Русский", "en": "🇬🇧 English"}


@dataclass(frozen=True)
class Button:
    """An inline button: callback data, a URL, or a switch to inline mode."""

    text: str
    data: str | None = None
    url: str | None = None
    switch_inline: str | None = None


@dataclass(frozen=True)
class Document:
    filename: str
    content: bytes
    caption: str


@dataclass(frozen=True)
class Reply:
    """One message: HTML text, rows of buttons, optionally a file; `edit` replaces the
    message the pressed button belongs to instead of sending a new one."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    document: Document | None = None
    edit: bool = False
    # False when a search found nothing in the decree (for the optional query log).
    found: bool = True


@dataclass
class Asker:
    """Who is asking: their language and chosen decree (None: the default one)."""

    language: str
    decree_id: str | None = None
    bot_username: str = "mamandyq_bot"
    # Settings a callback asks to change; the caller stores them.
    changes: dict[str, str] = field(default_factory=dict)

    @property
    def _(self) -> Translate:
        return translator(self.language)


def _button_text(text: str) -> str:
    return text if len(text) <= MAX_BUTTON_TEXT else text[: MAX_BUTTON_TEXT - 1] + "…"


def _rows(buttons: list[Button], per_row: int = 1) -> tuple[tuple[Button, ...], ...]:
    return tuple(tuple(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row))


def _pager(_: Translate, page: int, pages: int, prefix: str) -> tuple[Button, ...]:
    buttons = []
    if page > 0:
        buttons.append(Button("◀️ " + _("Back"), f"{prefix}:{page - 1}"))
    if pages > 1:
        buttons.append(Button(f"{page + 1}/{pages}", NOTHING))
    if page + 1 < pages:
        buttons.append(Button(_("Next") + " ▶️", f"{prefix}:{page + 1}"))
    return tuple(buttons)


class Answers:
    """The bot's answers over one catalog."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    # Commands

    COMMANDS = ("start", "help", "lang", "about", "top", "browse", "export", "region")

    def command(self, asker: Asker, name: str, args: list[str]) -> Reply | None:
        """Answer /name; None for a command the bot does not have."""
        handlers = {
            "start": lambda: self.start(asker, args[0] if args else None),
            "help": lambda: self.help(asker),
            "lang": lambda: self.language_menu(asker),
            "about": lambda: self.about(asker),
            "top": lambda: self.top(asker),
            "browse": lambda: self.browse(asker),
            "export": lambda: self.export(asker),
            "region": lambda: self.regions(asker),
        }
        handler = handlers.get(name.lower())
        return handler() if handler else None

    def start(self, asker: Asker, payload: str | None = None) -> Reply:
        if payload and payload.startswith("s"):
            specialty_id, _sep, decree_id = payload[1:].partition("-")
            if decree_id and any(d.id == decree_id for d in self.catalog.decrees):
                asker.decree_id = decree_id
            if self.catalog.specialty(specialty_id, asker.decree_id):
                return self.card(asker, specialty_id)
        _ = asker._
        text = "\n\n".join(
            [
                _(
                    "Hello! I show how many state-funded college places there are for a "
                    "specialty and what a year of training costs, straight from the akimat's "
                    "decree."
                ),
                _(
                    "Type a specialty or a job, in Kazakh, Russian or English: «бағдарламашы», "
                    "«сварщик», «nurse», or a code such as 06130100."
                ),
                _(
                    "Commands: /browse fields of education, /top most places, /about the decree, "
                    "/export the table as a file, /lang language."
                ),
            ]
        )
        buttons = self._language_buttons()
        if len(self.catalog.decrees) > 1 and asker.decree_id is None:
            text += "\n\n" + _("Choose the region and year:")
            buttons += self.regions(asker).buttons
        return Reply(text, buttons)

    def help(self, asker: Asker) -> Reply:
        _ = asker._
        text = "\n".join(
            [
                _(
                    "Type a specialty, a job or a code, and I answer with the places and yearly "
                    "costs from the decree."
                ),
                "",
                "/browse — " + _("fields of education and their specialties"),
                "/top — " + _("specialties with the most places"),
                "/about — " + _("the decree and what the numbers mean"),
                "/export — " + _("the whole table as a CSV file"),
                "/lang — " + _("change the language"),
                "/region — " + _("choose the region and year"),
                "",
                _("In any chat: type @{bot} and a specialty to share its card.").format(
                    bot=asker.bot_username
                ),
            ]
        )
        return Reply(text)

    def language_menu(self, asker: Asker) -> Reply:
        return Reply(asker._("Choose a language:"), self._language_buttons())

    def _language_buttons(self) -> tuple[tuple[Button, ...], ...]:
        return (tuple(Button(LANGUAGE_LABELS[code], f"l:{code}") for code in LANGUAGES),)

    def about(self, asker: Asker) -> Reply:
        _ = asker._
        decree = self.catalog.decree(asker.decree_id)
        lines = [
            "<b>" + escape(decree.title or decree.region) + "</b>",
            cards.source_line(_, decree),
            "",
            _("State-funded places (full-time) by level:"),
        ]
        for level in self.catalog.levels(decree.id):
            lines.append(f"• {escape(cards.level_name(_, level.kind))}: {level.seats}")
        lines.append(
            _("Total: {seats}").format(seats=sum(lv.seats for lv in self.catalog.levels(decree.id)))
        )
        lines += [
            "",
            _(
                "A place is one state-funded full-time study place for the {year} intake; the "
                "cost is what the state pays per student for one academic year, for a college in "
                "a city and in a rural area."
            ).format(year=escape(decree.academic_year)),
        ]
        mismatches = [d for d in self.catalog.defects(decree.id) if d.kind == "total_mismatch"]
        if mismatches:
            lines += ["", _("Totals printed in the decree that differ from the sum of their rows:")]
            groups = {(g.appendix, g.code): g.name for g in self.catalog.groups(decree.id)}
            for d in mismatches:
                place = _.plural("appendix {numbers}", "appendices {numbers}", 1).format(
                    numbers=d.appendix
                )
                if d.group_code:
                    name = groups.get((d.appendix, d.group_code), "")
                    place += f", {d.group_code} {name}"
                lines.append(
                    "• "
                    + _("{place}: printed {printed}, rows add up to {computed}").format(
                        place=escape(place), printed=escape(d.printed), computed=escape(d.stored)
                    )
                )
        return Reply("\n".join(lines))

    def top(self, asker: Asker, count: int = 10) -> Reply:
        _ = asker._
        specialties = self.catalog.top(asker.decree_id, count)
        lines = [_("Specialties with the most state-funded places:")]
        lines += [
            f"{i}. {escape(s.name)} — {escape(cards.short_summary(_, s))}"
            for i, s in enumerate(specialties, 1)
        ]
        return Reply("\n".join(lines), self._specialty_buttons(specialties))

    def browse(self, asker: Asker, page: int = 0, edit: bool = False) -> Reply:
        _ = asker._
        fields = self.catalog.fields(asker.decree_id)
        pages = max(1, -(-len(fields) // PAGE_SIZE))
        page = min(max(page, 0), pages - 1)
        shown = fields[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
        buttons = [Button(_button_text(f"{f.code} {f.name}"), f"f:{f.code}:0") for f in shown]
        rows = (*_rows(buttons), _pager(_, page, pages, "b"))
        return Reply(_("Fields of education:"), tuple(r for r in rows if r), edit=edit)

    def field(self, asker: Asker, code: str, page: int = 0, edit: bool = True) -> Reply:
        _ = asker._
        found = next((f for f in self.catalog.fields(asker.decree_id) if f.code == code), None)
        if found is None:
            return self.stale(asker)
        pages = max(1, -(-len(found.specialties) // PAGE_SIZE))
        page = min(max(page, 0), pages - 1)
        shown = found.specialties[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
        buttons = [Button(_button_text(s.name), f"c:{s.id}:{code}:{page}") for s in shown]
        pager = _pager(_, page, pages, f"f:{code}")
        back = (Button("⬆️ " + _("All fields"), "b:0"),)
        count = len(found.specialties)
        seats = sum(lv.seats for s in found.specialties for lv in s.levels if lv.group_code == code)
        text = (
            f"<b>{escape(found.code)} {escape(found.name)}</b>\n"
            + _.plural("{count} specialty", "{count} specialties", count).format(count=count)
            + ", "
            + _.plural("{seats} place", "{seats} places", seats).format(seats=seats)
        )
        rows = _rows(buttons) + tuple(r for r in (pager, back) if r)
        return Reply(text, rows, edit=edit)

    def card(
        self, asker: Asker, specialty_id: str, back: str | None = None, edit: bool = False
    ) -> Reply:
        decree = self.catalog.decree(asker.decree_id)
        specialty = self.catalog.specialty(specialty_id, decree.id)
        if specialty is None:
            return self.stale(asker)
        _ = asker._
        text = cards.card(_, asker.language, self.catalog, decree, specialty, asker.bot_username)
        buttons = [Button("📤 " + _("Share"), switch_inline=specialty.name[:64])]
        if back:
            buttons.insert(0, Button("⬅️ " + _("Back"), back))
        return Reply(text, (tuple(buttons),), edit=edit)

    def export(self, asker: Asker) -> Reply:
        _ = asker._
        decree = self.catalog.decree(asker.decree_id)
        content = export_csv(self.catalog, decree.id).encode("utf-8-sig")
        name = f"mamandyq-{decree.number.replace('/', '-')}-{decree.academic_year}.csv"
        caption = _("All rows of the decree: places and yearly costs per student (city and rural).")
        return Reply(caption, document=Document(name, content, caption))

    def regions(self, asker: Asker) -> Reply:
        _ = asker._
        decrees = self.catalog.decrees
        current = self.catalog.decree(asker.decree_id)
        if len(decrees) == 1:
            return Reply(_("Only one decree is loaded:") + "\n" + cards.source_line(_, current))
        buttons = [
            Button(
                ("✅ " if d.id == current.id else "") + f"{d.region} · {d.academic_year}",
                f"r:{d.id}",
            )
            for d in decrees
        ]
        return Reply(_("Choose the region and year:"), _rows(buttons))

    def stale(self, asker: Asker) -> Reply:
        return Reply(asker._("This button is out of date. Type a specialty, or use /browse."))

    # Text and buttons

    def search(self, asker: Asker, text: str) -> Reply:
        """The answer to a typed question: a card, a question, or "not in the decree"."""
        _ = asker._
        result = self.catalog.search(text, asker.decree_id)
        if not result.matches:
            return self._no_match(asker, text)
        if result.by_code and result.total > len(result.matches):
            field = next(
                (f for f in self.catalog.fields(asker.decree_id) if f.code == text.strip()), None
            )
            if field is not None:
                return self.field(asker, field.code, edit=False)
            return Reply(
                _("{shown} of {total} specialties with this code; type more digits:").format(
                    shown=len(result.matches), total=result.total
                ),
                self._specialty_buttons([m.specialty for m in result.matches]),
            )
        if result.ambiguous or (result.by_code and len(result.matches) > 1):
            question = (
                _("Several specialties fit. Which one do you mean?")
                if len(result.matches) > 1
                else _("Did you mean this specialty?")
            )
            return Reply(question, self._specialty_buttons([m.specialty for m in result.matches]))
        reply = self.card(asker, result.matches[0].specialty.id)
        others = [m.specialty for m in result.matches[1:]]
        if others:
            more = _rows([Button("🔎 " + _button_text(s.name), f"c:{s.id}") for s in others])
            return Reply(reply.text + "\n\n" + _("Also close:"), reply.buttons + more)
        return reply

    def _no_match(self, asker: Asker, text: str) -> Reply:
        _ = asker._
        echo = text.strip()
        echo = echo if len(echo) <= MAX_ECHO else echo[: MAX_ECHO - 1] + "…"
        message = _("The decree has no specialty matching «{query}».").format(query=escape(echo))
        message += "\n" + _("Try another word (a job, a specialty, a code), or browse: /browse")
        return Reply(message, ((Button("📚 " + _("Browse fields"), "b:0"),),), found=False)

    def _specialty_buttons(self, specialties: list[Specialty]) -> tuple[tuple[Button, ...], ...]:
        return _rows([Button(_button_text(s.name), f"c:{s.id}") for s in specialties[:10]])

    def callback(self, asker: Asker, data: str) -> Reply | None:
        """Answer a button press (None: nothing to say). Unknown, old or forged data gets a
        polite 'out of date'."""
        if data == NOTHING:
            return None
        kind, _sep, rest = data.partition(":")
        parts = rest.split(":") if rest else []
        try:
            if kind == "c" and len(parts) == 1:
                return self.card(asker, parts[0])
            if kind == "c" and len(parts) == 3:
                return self.card(asker, parts[0], back=f"f:{parts[1]}:{int(parts[2])}", edit=True)
            if kind == "f" and len(parts) == 2:
                return self.field(asker, parts[0], int(parts[1]))
            if kind == "b" and len(parts) == 1:
                return self.browse(asker, int(parts[0]), edit=True)
            if kind == "l" and len(parts) == 1 and parts[0] in LANGUAGES:
                asker.language = parts[0]
                asker.changes["language"] = parts[0]
                return Reply(asker._("Language: English. Type a specialty or a job."), edit=True)
            if (
                kind == "r"
                and len(parts) == 1
                and any(d.id == parts[0] for d in self.catalog.decrees)
            ):
                asker.decree_id = parts[0]
                asker.changes["decree_id"] = parts[0]
                decree = self.catalog.decree(parts[0])
                return Reply(cards.source_line(asker._, decree), edit=True)
        except ValueError:
            pass
        return self.stale(asker)


def export_csv(catalog: Catalog, decree_id: str) -> str:
    """The decree's rows as CSV; cost lists joined with "|"."""
    out = io.StringIO()
    writer = None
    for row in export_rows(catalog.store, decree_id):
        flat = {
            **row,
            "city_costs": "|".join(map(str, row["city_costs"])),
            "rural_costs": "|".join(map(str, row["rural_costs"])),
        }
        if writer is None:
            writer = csv.DictWriter(out, fieldnames=list(flat), lineterminator="\n")
            writer.writeheader()
        writer.writerow(flat)
    return out.getvalue()
