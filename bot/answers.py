"""What the bot answers, independent of Telegram: the conversation as plain functions.

Telegram handlers (`bot.handlers`) and the console chat (`bot.console`) both call these
and only translate the `Reply` into their medium, so both say exactly the same things.
Each answer resolves the asker's decree once and formats from that view.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from bot import callbacks as cb
from bot import cards
from bot.i18n import N_, Translate, translator
from bot.reply import Button, Choice, Document, InlineCard, Keyboard, Reply
from locales import LANGUAGES
from store.catalog import Catalog, DecreeView
from store.export import to_csv
from store.model import DefectKind, Specialty

PAGE_SIZE = 8
MAX_BUTTON_TEXT = 60
MAX_ECHO = 80
INLINE_RESULTS = 10
LANGUAGE_LABELS = {"kk": "🇰🇿 Қазақша", "ru": "🇷🇺 Русский", "en": "🇬🇧 English"}


@dataclass(frozen=True)
class Asker:
    """Who is asking: their language and chosen decree (None: the default one)."""

    language: str
    decree_id: str | None = None
    bot_username: str = "mamandyq_bot"

    @property
    def _(self) -> Translate:
        return translator(self.language)


def _button_text(text: str) -> str:
    return text if len(text) <= MAX_BUTTON_TEXT else text[: MAX_BUTTON_TEXT - 1] + "…"


def _rows(buttons: list[Button], per_row: int = 1) -> Keyboard:
    return tuple(tuple(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row))


def _pages(count: int) -> int:
    return max(1, -(-count // PAGE_SIZE))


def _pager(
    _: Translate, page: int, pages: int, to: Callable[[int], cb.Callback]
) -> tuple[Button, ...]:
    buttons = []
    if page > 0:
        buttons.append(Button("◀️ " + _("Back"), to(page - 1)))
    if pages > 1:
        buttons.append(Button(f"{page + 1}/{pages}", cb.Nothing()))
    if page + 1 < pages:
        buttons.append(Button(_("Next") + " ▶️", to(page + 1)))
    return tuple(buttons)


def _specialty_buttons(specialties: list[Specialty]) -> Keyboard:
    return _rows([Button(_button_text(s.name), cb.Card(s.id)) for s in specialties[:10]])


@dataclass(frozen=True)
class Command:
    """A command: its name, what /help says of it, and the answer."""

    name: str
    description: str
    answer: Callable[[Answers, Asker, list[str]], Reply]
    listed: bool = True


class Answers:
    """The bot's answers over one catalog."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def view(self, asker: Asker) -> DecreeView:
        return self.catalog.decree(asker.decree_id)

    # Commands

    def command(self, asker: Asker, name: str, args: list[str]) -> Reply | None:
        """Answer /name; None for a command the bot does not have."""
        command = COMMANDS_BY_NAME.get(name.lower())
        return command.answer(self, asker, args) if command else None

    def start(self, asker: Asker, args: list[str] | None = None) -> Reply:
        payload = args[0] if args else ""
        if payload.startswith("s"):
            specialty_id, _sep, decree_id = payload[1:].partition("-")
            view = self.catalog.decree(
                decree_id if self.catalog.has(decree_id) else asker.decree_id
            )
            specialty = view.specialty(specialty_id)
            if specialty:
                return self.card(asker, view, specialty)
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
        buttons = _language_buttons()
        if len(self.catalog.views) > 1 and asker.decree_id is None:
            text += "\n\n" + _("Choose the region and year:")
            buttons += self.regions(asker).buttons
        return Reply(text, buttons)

    def help(self, asker: Asker, args: list[str] | None = None) -> Reply:
        _ = asker._
        lines = [
            _(
                "Type a specialty, a job or a code, and I answer with the places and yearly "
                "costs from the decree."
            ),
            "",
            *(f"/{c.name} — {_(c.description)}" for c in COMMANDS if c.listed),
            "",
            _("In any chat: type @{bot} and a specialty to share its card.").format(
                bot=asker.bot_username
            ),
        ]
        return Reply("\n".join(lines))

    def language_menu(self, asker: Asker, args: list[str] | None = None) -> Reply:
        return Reply(asker._("Choose a language:"), _language_buttons())

    def about(self, asker: Asker, args: list[str] | None = None) -> Reply:
        _ = asker._
        view = self.view(asker)
        decree = view.decree
        lines = [
            "<b>" + escape(decree.title or decree.region) + "</b>",
            cards.source_line(_, decree),
            "",
            _("State-funded places (full-time) by level:"),
        ]
        for appendix in decree.appendices:
            lines.append(f"• {escape(cards.level_name(_, appendix.kind))}: {appendix.seats}")
        lines.append(_("Total: {seats}").format(seats=decree.seats))
        lines += [
            "",
            _(
                "A place is one state-funded full-time study place for the {year} intake; the "
                "cost is what the state pays per student for one academic year, for a college in "
                "a city and in a rural area."
            ).format(year=escape(decree.academic_year)),
        ]
        mismatches = [d for d in decree.defects if d.kind == DefectKind.TOTAL_MISMATCH]
        if mismatches:
            lines += ["", _("Totals printed in the decree that differ from the sum of their rows:")]
            for d in mismatches:
                place = _.plural("appendix {numbers}", "appendices {numbers}", 1).format(
                    numbers=d.appendix
                )
                group = view.group(d.appendix or 0, d.group_code or "")
                if group:
                    place += f", {group.code} {group.name}"
                lines.append(
                    "• "
                    + _("{place}: printed {printed}, rows add up to {computed}").format(
                        place=escape(place), printed=escape(d.printed), computed=escape(d.stored)
                    )
                )
        return Reply("\n".join(lines))

    def top(self, asker: Asker, args: list[str] | None = None, count: int = 10) -> Reply:
        _ = asker._
        specialties = self.view(asker).top(count)
        lines = [_("Specialties with the most state-funded places:")]
        lines += [
            f"{i}. {escape(s.name)} — {escape(cards.short_summary(_, s))}"
            for i, s in enumerate(specialties, 1)
        ]
        return Reply("\n".join(lines), _specialty_buttons(specialties))

    def browse(self, asker: Asker, args: list[str] | None = None, page: int = 0) -> Reply:
        return self._browse(asker, page, edit=False)

    def _browse(self, asker: Asker, page: int, edit: bool) -> Reply:
        _ = asker._
        fields = self.view(asker).fields
        pages = _pages(len(fields))
        page = min(max(page, 0), pages - 1)
        shown = fields[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
        buttons = [
            Button(_button_text(f"{f.code} {f.name}"), cb.FieldPage(f.code, 0)) for f in shown
        ]
        rows = (*_rows(buttons), _pager(_, page, pages, cb.Browse))
        return Reply(_("Fields of education:"), tuple(r for r in rows if r), edit=edit)

    def field(self, asker: Asker, code: str, page: int = 0, edit: bool = True) -> Reply:
        _ = asker._
        found = self.view(asker).field(code)
        if found is None:
            return self.stale(asker)
        pages = _pages(len(found.specialties))
        page = min(max(page, 0), pages - 1)
        shown = found.specialties[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
        buttons = [Button(_button_text(s.name), cb.Card(s.id, code, page)) for s in shown]
        pager = _pager(_, page, pages, lambda p: cb.FieldPage(code, p))
        back = (Button("⬆️ " + _("All fields"), cb.Browse(0)),)
        count = len(found.specialties)
        text = (
            f"<b>{escape(found.code)} {escape(found.name)}</b>\n"
            + _.plural("{count} specialty", "{count} specialties", count).format(count=count)
            + ", "
            + _.plural("{seats} place", "{seats} places", found.seats).format(seats=found.seats)
        )
        rows = _rows(buttons) + tuple(r for r in (pager, back) if r)
        return Reply(text, rows, edit=edit)

    def card(
        self,
        asker: Asker,
        view: DecreeView,
        specialty: Specialty,
        back: cb.Callback | None = None,
        edit: bool = False,
    ) -> Reply:
        _ = asker._
        text = cards.card(_, asker.language, view, specialty, asker.bot_username)
        buttons = [Button("📤 " + _("Share"), switch_inline=specialty.name[:64])]
        if back:
            buttons.insert(0, Button("⬅️ " + _("Back"), back))
        return Reply(text, (tuple(buttons),), edit=edit)

    def export(self, asker: Asker, args: list[str] | None = None) -> Reply:
        _ = asker._
        decree = self.view(asker).decree
        content = to_csv(decree).encode("utf-8-sig")
        name = f"mamandyq-{decree.number.replace('/', '-')}-{decree.academic_year}.csv"
        caption = _("All rows of the decree: places and yearly costs per student (city and rural).")
        return Reply(caption, document=Document(name, content, caption))

    def regions(self, asker: Asker, args: list[str] | None = None) -> Reply:
        _ = asker._
        current = self.view(asker)
        if len(self.catalog.views) == 1:
            return Reply(
                _("Only one decree is loaded:") + "\n" + cards.source_line(_, current.decree)
            )
        buttons = [
            Button(
                ("✅ " if v.id == current.id else "")
                + f"{v.decree.region} · {v.decree.academic_year}",
                cb.Region(v.id),
            )
            for v in self.catalog.views
        ]
        return Reply(_("Choose the region and year:"), _rows(buttons))

    def stale(self, asker: Asker) -> Reply:
        return Reply(asker._("This button is out of date. Type a specialty, or use /browse."))

    # Text, buttons, inline mode

    def search(self, asker: Asker, text: str) -> Reply:
        """The answer to a typed question: a card, a question, or "not in the decree"."""
        _ = asker._
        view = self.view(asker)
        result = view.search(text)
        if not result.matches:
            return self._no_match(asker, text)
        if result.by_code and result.total > len(result.matches):
            field = view.field(text.strip())
            if field is not None:
                return self.field(asker, field.code, edit=False)
            return Reply(
                _("{shown} of {total} specialties with this code; type more digits:").format(
                    shown=len(result.matches), total=result.total
                ),
                _specialty_buttons([m.specialty for m in result.matches]),
            )
        if result.ambiguous or (result.by_code and len(result.matches) > 1):
            question = (
                _("Several specialties fit. Which one do you mean?")
                if len(result.matches) > 1
                else _("Did you mean this specialty?")
            )
            return Reply(question, _specialty_buttons([m.specialty for m in result.matches]))
        reply = self.card(asker, view, result.matches[0].specialty)
        others = [m.specialty for m in result.matches[1:]]
        if others:
            more = _rows([Button("🔎 " + _button_text(s.name), cb.Card(s.id)) for s in others])
            return Reply(reply.text + "\n\n" + _("Also close:"), reply.buttons + more)
        return reply

    def _no_match(self, asker: Asker, text: str) -> Reply:
        _ = asker._
        echo = text.strip()
        echo = echo if len(echo) <= MAX_ECHO else echo[: MAX_ECHO - 1] + "…"
        message = _("The decree has no specialty matching «{query}».").format(query=escape(echo))
        message += "\n" + _("Try another word (a job, a specialty, a code), or browse: /browse")
        return Reply(message, ((Button("📚 " + _("Browse fields"), cb.Browse(0)),),), found=False)

    def press(self, asker: Asker, data: str) -> Reply | None:
        """Answer a button press (None: nothing to say). Unknown, old or forged data gets a
        polite 'out of date'."""
        pressed = cb.decode(data)
        view = self.view(asker)
        match pressed:
            case cb.Nothing():
                return None
            case cb.Card(specialty_id, field, page):
                specialty = view.specialty(specialty_id)
                if specialty is None:
                    return self.stale(asker)
                back = cb.FieldPage(field, page) if field and page is not None else None
                return self.card(asker, view, specialty, back=back, edit=back is not None)
            case cb.FieldPage(code, page):
                return self.field(asker, code, page)
            case cb.Browse(page):
                return self._browse(asker, page, edit=True)
            case cb.Language(language) if language in LANGUAGES:
                _ = translator(language)
                return Reply(
                    _("Language: English. Type a specialty or a job."),
                    edit=True,
                    choice=Choice(language=language),
                )
            case cb.Region(decree_id) if self.catalog.has(decree_id):
                chosen = self.catalog.decree(decree_id)
                return Reply(
                    cards.source_line(asker._, chosen.decree),
                    edit=True,
                    choice=Choice(decree_id=decree_id),
                )
        return self.stale(asker)

    def inline(self, asker: Asker, query: str) -> list[InlineCard]:
        """@bot query in any chat: up to 10 cards to drop into the conversation."""
        _ = asker._
        view = self.view(asker)
        if query.strip():
            specialties = [m.specialty for m in view.search(query, INLINE_RESULTS).matches]
        else:
            specialties = view.top(INLINE_RESULTS)
        return [
            InlineCard(
                id=s.id,
                title=s.name[:200],
                description=cards.short_summary(_, s),
                text=cards.card(_, asker.language, view, s, asker.bot_username),
            )
            for s in specialties[:INLINE_RESULTS]
        ]


def _language_buttons() -> Keyboard:
    return (tuple(Button(LANGUAGE_LABELS[code], cb.Language(code)) for code in LANGUAGES),)


COMMANDS: tuple[Command, ...] = (
    Command("start", N_("start over"), Answers.start, listed=False),
    Command("help", N_("what I can do"), Answers.help, listed=False),
    Command("browse", N_("fields of education and their specialties"), Answers.browse),
    Command("top", N_("specialties with the most places"), Answers.top),
    Command("about", N_("the decree and what the numbers mean"), Answers.about),
    Command("export", N_("the whole table as a CSV file"), Answers.export),
    Command("lang", N_("change the language"), Answers.language_menu),
    Command("region", N_("choose the region and year"), Answers.regions),
)
COMMANDS_BY_NAME = {c.name: c for c in COMMANDS}
