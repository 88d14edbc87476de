"""What the bot answers, independent of Telegram: the conversation as plain functions.

Telegram handlers (`bot.handlers`) and the console chat (`bot.console`) both call these
and only translate the `Reply` into their medium, so both say exactly the same things.
Each answer resolves the asker's decree once and formats from that view. The clock is
injectable (`Answers(catalog, today=...)`): the greeting says plainly which year's
figures these are once that academic year has begun.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from html import escape

from bot import callbacks as cb
from bot import cards
from bot.charts import Chart
from bot.i18n import N_, Translate, translator
from bot.reply import Button, Choice, Document, InlineCard, Keyboard, Reply
from bot.sheets import decree_sheets
from locales import LANGUAGES
from store.catalog import Catalog, DecreeView
from store.export import csv_bytes, csv_delimiter, to_xlsx
from store.model import DefectKind, Specialty
from store.search import Kind, SearchResult, Topic

PAGE_SIZE = 10  # specialties per page of a field
MAX_CHOICES = 6
MAX_COMPARED = 3
MAX_ECHO = 80
INLINE_RESULTS = 10
LANGUAGE_LABELS = {"kk": "🇰🇿 Қазақша", "ru": "🇷🇺 Русский", "en": "🇬🇧 English"}
# "повар и кондитер", "сравни повар, кондитер": what separates specialties in /compare.
_SEPARATORS = re.compile(
    r"\s*(?:[,;/&+]|\bvs\.?|\bversus\b|\bи\b|\bили\b|\band\b|\bor\b|\bжәне\b|\bмен\b|\bнемесе\b)\s*",
    re.IGNORECASE,
)
_COMPARE_WORDS = re.compile(r"^\s*(?:сравни(?:ть)?|сравнение|compare|салыстыр\w*)\s*", re.I)
# "после 9 класса", "9-сынып", "9th grade", "grade 9": the asker finishes grade 9.
_GRADE_9 = re.compile(
    r"(?<!\d)9(?!\d)\s*-?\s*(?:й|го|ый|ти|ғы|шы|th)?\s*(?:класс|кл\b|сынып|grade|form)"
    r"|(?:grade|класс\w*|сынып\w*)\s*9(?!\d)|девят\w*\s+класс|тоғыз\w*\s+сынып|ninth\s+grade",
    re.IGNORECASE,
)


def after_grade(text: str) -> int | None:
    """9 when the question says the asker is after grade 9 (post-secondary is not for them)."""
    return 9 if _GRADE_9.search(text) else None


@dataclass(frozen=True)
class Asker:
    """Who is asking: their language and chosen decree (None: the default one)."""

    language: str
    decree_id: str | None = None
    bot_username: str = "mamandyq_bot"

    @property
    def _(self) -> Translate:
        return translator(self.language)


def _rows(buttons: list[Button], per_row: int = 1) -> Keyboard:
    return tuple(tuple(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row))


def _pages(count: int) -> int:
    return max(1, -(-count // PAGE_SIZE))


def _pager(
    _: Translate, page: int, pages: int, to: Callable[[int], cb.Callback]
) -> tuple[Button, ...]:
    """Back and Next only: the page number is in the text, never a button that does nothing."""
    buttons = []
    if page > 0:
        buttons.append(Button("◀️ " + _("Back"), to(page - 1)))
    if page + 1 < pages:
        buttons.append(Button(_("Next") + " ▶️", to(page + 1)))
    return tuple(buttons)


def _browse_button(_: Translate) -> Button:
    return Button("📚 " + _("Browse fields"), cb.Browse(0))


@dataclass(frozen=True)
class Command:
    """A command: its name, what /help says of it, and the answer."""

    name: str
    description: str
    answer: Callable[[Answers, Asker, list[str]], Reply]
    listed: bool = True


class Answers:
    """The bot's answers over one catalog."""

    def __init__(self, catalog: Catalog, today: Callable[[], date] = date.today) -> None:
        self.catalog = catalog
        self.today = today
        # Many wordings lead to one card: each is built once per asker, decree, specialty
        # and way back, and the cached answers to every wording share it.
        self.card = lru_cache(maxsize=1024)(self._card)

    def view(self, asker: Asker) -> DecreeView:
        return self.catalog.decree(asker.decree_id)

    # Commands

    def command(self, asker: Asker, name: str, args: list[str]) -> Reply | None:
        """Answer /name; None for a command the bot does not have."""
        command = COMMANDS_BY_NAME.get(name.lower())
        return command.answer(self, asker, args) if command else None

    def start(self, asker: Asker, args: list[str] | None = None) -> Reply:
        """The greeting; with a deep link's payload, the card it names (or why not)."""
        payload = args[0] if args else ""
        if not payload:
            return self.greeting(asker)
        _ = asker._
        if payload.startswith("s"):
            specialty_id, _sep, decree_id = payload[1:].partition("-")
            known = not decree_id or self.catalog.has(decree_id)
            view = self.catalog.decree(decree_id if decree_id and known else asker.decree_id)
            specialty = view.specialty(specialty_id)
            if specialty and known:
                return self.card(asker, view, specialty)
            if specialty:
                reply = self.card(asker, view, specialty)
                note = _(
                    "This link was made for a decree the bot no longer has; these are the "
                    "figures of the current one."
                )
                return replace(reply, text="⚠️ " + note + "\n\n" + reply.text)
        greeting = self.greeting(asker)
        note = _("This link is unknown or out of date, so here is the start instead.")
        return replace(greeting, text="⚠️ " + note + "\n\n" + greeting.text)

    def greeting(self, asker: Asker) -> Reply:
        _ = asker._
        view = self.view(asker)
        parts = [
            _(
                "Hello! I show how many college places the state pays for in each specialty "
                "(study on them is free) and how much the state spends on one student a year, "
                "exactly as the akimat's decree says."
            ),
            cards.decree_line(_, asker.language, view),
        ]
        begun = self._year_begun(view)
        if begun:
            parts[-1] += "\n⚠️ " + _(
                "The {year} academic year has already begun: these are the places of the "
                "{intake} admission, not of a later year."
            ).format(year=escape(view.decree.academic_year), intake=begun)
        parts += [
            _(
                "Type a specialty or a job, in Kazakh, Russian or English: «бағдарламашы», "
                "«сварщик», «nurse», or a code such as 06130100."
            ),
            _(
                "Commands: /browse fields of education, /top most places, /compare two or "
                "three specialties, /about the decree, /export the table for Excel, "
                "/lang language."
            ),
        ]
        text = "\n\n".join(parts)
        buttons = _language_buttons()
        if len(self.catalog.views) > 1 and asker.decree_id is None:
            text += "\n\n" + _("Choose the region and year:")
            buttons += self.regions(asker).buttons
        return Reply(text, buttons)

    def _year_begun(self, view: DecreeView) -> int | None:
        """The intake year, once the decree's academic year has begun (1 September)."""
        first = view.decree.academic_year.split("-")[0]
        if not first.isdigit():
            return None
        return int(first) if self.today() >= date(int(first), 9, 1) else None

    def help(self, asker: Asker, args: list[str] | None = None) -> Reply:
        _ = asker._
        lines = [
            _(
                "Type a specialty, a job or a code, and I answer with the state-funded places "
                "and what the state spends per student a year, from the decree."
            ),
            "",
            *(f"/{c.name} — {_(c.description)}" for c in COMMANDS if c.listed),
            "",
            _("In any chat: type @{bot} and a specialty to share its card.").format(
                bot=asker.bot_username
            ),
        ]
        return Reply("\n".join(lines))

    def description(self, language: str) -> tuple[str, str]:
        """The bot's description and short description in a language (for Telegram)."""
        _ = translator(language)
        region = self.catalog.decree().region.name(language)
        long = _(
            "I show how many college places the state funds for each specialty in {region} "
            "(study on them is free), at which level, and how much the state spends per student "
            "a year, exactly as the akimat's decree says. Type a specialty or a job in Kazakh, "
            "Russian or English."
        ).format(region=region)
        short = _("State-funded college places and the state's spending per student, {region}.")
        return long, short.format(region=region)

    def language_menu(self, asker: Asker, args: list[str] | None = None) -> Reply:
        return Reply(asker._("Choose a language:"), _language_buttons())

    def about(self, asker: Asker, args: list[str] | None = None) -> Reply:
        _ = asker._
        view = self.view(asker)
        decree = view.decree
        lines = [
            "<b>" + escape(decree.title or decree.region) + "</b>",
            cards.source_line(_, asker.language, view),
            "",
            _("State-funded places (full-time) by level:"),
        ]
        for appendix in decree.appendices:
            lines.append(
                f"• <b>{escape(cards.level_name(_, appendix.kind))}: {appendix.seats}</b>. "
                + escape(cards.level_line(_, appendix.kind))
            )
        lines.append(_("Total at all levels: {seats}").format(seats=decree.seats))
        lines += [
            "",
            _(
                "A state-funded place is free for the student: the state pays for the training. "
                "The amounts are the state's average spending on one student for one academic "
                "year ({year}), in a city college and in a rural one; they are not a fee."
            ).format(year=escape(decree.academic_year)),
        ]
        lines += self._mismatches(asker, view)
        return Reply("\n".join(lines), photo=self.fields_chart(asker, view))

    def _mismatches(self, asker: Asker, view: DecreeView) -> list[str]:
        _ = asker._
        found = [d for d in view.decree.defects if d.kind == DefectKind.TOTAL_MISMATCH]
        if not found:
            return []
        lines = ["", _("Totals printed in the decree that differ from the sum of their rows:")]
        for d in found:
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
        return lines

    def top(self, asker: Asker, args: list[str] | None = None, count: int = 10) -> Reply:
        view = self.view(asker)
        return replace(self._top(asker, view, count), photo=self.top_chart(asker, view, count))

    def _top(self, asker: Asker, view: DecreeView, count: int = 10, edit: bool = False) -> Reply:
        _ = asker._
        specialties = view.top(count)
        title = "<b>" + _("Specialties with the most state-funded places:") + "</b>"
        text = cards.listing(_, asker.language, view, title, specialties)
        buttons = [
            Button(cards.specialty_button(asker.language, s, i), cb.TopCard(s.id))
            for i, s in enumerate(specialties, 1)
        ]
        return Reply(text, (*_rows(buttons), (_browse_button(_),)), edit=edit)

    def fields_chart(self, asker: Asker, view: DecreeView) -> Chart:
        """Places per field of education, one segment per level."""
        _ = asker._
        fields = view.fields
        labels = tuple(
            f"{f.code} {cards.field_translation(asker.language, f) or f.name}" for f in fields
        )
        return self._chart(
            asker,
            view,
            _("State-funded places by field of education and level, {region}, {year}"),
            labels,
            [f.seats_by_appendix() for f in fields],
            name="fields",
        )

    def top_chart(self, asker: Asker, view: DecreeView, count: int = 10) -> Chart:
        """The specialties with the most places, one segment per level."""
        _ = asker._
        specialties = view.top(count)
        labels = tuple(
            cards.cut(cards.translation(asker.language, s) or s.name, 70) for s in specialties
        )
        per_level = [{r.appendix: r.seats for r in s.rows} for s in specialties]
        title = _("The {count} specialties with the most state-funded places, {region}, {year}")
        return self._chart(asker, view, title, labels, per_level, name="top", count=count)

    def _chart(
        self,
        asker: Asker,
        view: DecreeView,
        title: str,
        labels: tuple[str, ...],
        per_appendix: list[dict[int, int]],
        name: str,
        **values: object,
    ) -> Chart:
        """A chart of places per level; `title` is formatted with the region, the year and
        `values`."""
        _ = asker._
        decree = view.decree
        series = tuple(
            (
                cards.level_name(_, a.kind),
                tuple(seats.get(a.appendix, 0) for seats in per_appendix),
            )
            for a in decree.appendices
        )
        note = cards.plain_text(cards.source_line(_, asker.language, view))
        if asker.language != "kk":
            note += ". " + _("Names are translations, not from the decree.")
        return Chart(
            title=title.format(
                region=view.region.name(asker.language), year=decree.academic_year, **values
            ),
            labels=labels,
            series=series,
            axis=_("state-funded places"),
            note=note,
            language=asker.language,
            name=name,
        )

    def browse(self, asker: Asker, args: list[str] | None = None) -> Reply:
        return self._browse(asker, edit=False)

    def _browse(self, asker: Asker, edit: bool) -> Reply:
        _ = asker._
        view = self.view(asker)
        buttons = [
            Button(cards.field_button(asker.language, f), cb.FieldPage(f.code, 0))
            for f in view.fields
        ]
        text = cards.fields_text(_, asker.language, view)
        return Reply(text, _rows(buttons), edit=edit)

    def field(self, asker: Asker, code: str, page: int = 0, edit: bool = True) -> Reply:
        """One page of a field: a readable list (name · places per level) and its cards."""
        _ = asker._
        view = self.view(asker)
        found = view.field(code)
        if found is None:
            return self.stale(asker)
        pages = _pages(len(found.specialties))
        page = min(max(page, 0), pages - 1)
        first = page * PAGE_SIZE
        shown = found.specialties[first : first + PAGE_SIZE]
        text = cards.field_text(_, asker.language, view, found, shown, page, pages, first + 1)
        buttons = [
            Button(cards.specialty_button(asker.language, s, i), cb.Card(s.id, code, page))
            for i, s in enumerate(shown, first + 1)
        ]
        pager = _pager(_, page, pages, lambda p: cb.FieldPage(code, p))
        back = (Button("⬆️ " + _("All fields"), cb.Browse(0)),)
        rows = _rows(buttons) + tuple(r for r in (pager, back) if r)
        return Reply(text, rows, edit=edit)

    def _card(
        self,
        asker: Asker,
        view: DecreeView,
        specialty: Specialty,
        back: cb.Callback | None = None,
        edit: bool = False,
        grade: int | None = None,
    ) -> Reply:
        """A specialty's card; a way back to where it was opened from, or up to its field."""
        _ = asker._
        text = cards.card(_, asker.language, view, specialty, asker.bot_username, grade)
        share = Button("📤 " + _("Share"), switch_inline=specialty.name[:64])
        if back is not None:
            return Reply(text, ((Button("⬅️ " + _("Back"), back), share),), edit=edit)
        field = view.field(specialty.rows[0].group_code)
        if field is None:
            return Reply(text, ((share,),), edit=edit)
        page = field.specialties.index(specialty) // PAGE_SIZE
        up = Button(
            "⬆️ " + cards.field_button(asker.language, field), cb.FieldPage(field.code, page)
        )
        return Reply(text, ((up, share),), edit=edit)

    def compare_command(self, asker: Asker, args: list[str] | None = None) -> Reply:
        """/compare повар, кондитер: the named specialties side by side."""
        _ = asker._
        text = " ".join(args or [])
        if not text.strip():
            return Reply(
                _(
                    "Name two or three specialties after /compare, separated by commas or "
                    "«and», e.g. /compare повар, кондитер"
                )
            )
        view = self.view(asker)
        named = self._named(view, text)
        if len(named) < 2:
            found = ", ".join(s.name for s in named) or "—"
            return Reply(
                _(
                    "To compare I need two or three specialties from the decree; I found: "
                    "{found}. Separate the names with commas or «and»."
                ).format(found=escape(found)),
                ((_browse_button(_),),),
                found=bool(named),
            )
        return self._compare(asker, view, named[:MAX_COMPARED])

    def _named(self, view: DecreeView, text: str) -> list[Specialty]:
        """The specialties a list of names means: the search's own reading when it finds
        several, else the best match of each part between separators."""
        text = _COMPARE_WORDS.sub("", text)
        whole = view.search(text)
        if whole.kind == Kind.SEVERAL and len(whole.matches) > 1:
            return list(dict.fromkeys(m.specialty for m in whole.matches))
        found: list[Specialty] = []
        for part in filter(None, _SEPARATORS.split(text)):
            result = view.search(part)
            if result.matches and result.kind in (Kind.CARD, Kind.QUESTION, Kind.CODES):
                found.append(result.matches[0].specialty)
        return list(dict.fromkeys(found))

    def _compare(
        self, asker: Asker, view: DecreeView, specialties: list[Specialty], edit: bool = False
    ) -> Reply:
        _ = asker._
        ids = cb.join_ids([s.id for s in specialties])
        buttons = [
            Button(cards.specialty_button(asker.language, s, i), cb.CompareCard(s.id, ids))
            for i, s in enumerate(specialties, 1)
        ]
        text = cards.compare(_, asker.language, view, specialties)
        return Reply(text, _rows(buttons), edit=edit)

    def export(self, asker: Asker, args: list[str] | None = None) -> Reply:
        """The decree's table: an Excel workbook, or with "csv" a CSV file for Excel."""
        _ = asker._
        view = self.view(asker)
        decree = view.decree
        stem = f"mamandyq-{decree.number.replace('/', '-')}-{decree.academic_year}"
        if args and args[0].lower().lstrip(".") == "csv":
            separator = csv_delimiter(asker.language)
            caption = _(
                "The same table as CSV (UTF-8, separator «{separator}»); for Excel, /export "
                "gives a workbook."
            ).format(separator=separator)
            content = csv_bytes(decree, separator)
            return Reply(caption, document=Document(f"{stem}.csv", content, caption))
        caption = _(
            "All rows of the decree for Excel: state-funded places, and the state's average "
            "spending per student a year (city and rural). /export csv gives a CSV file."
        )
        content = to_xlsx(decree_sheets(_, asker.language, view))
        return Reply(caption, document=Document(f"{stem}.xlsx", content, caption))

    def regions(self, asker: Asker, args: list[str] | None = None) -> Reply:
        _ = asker._
        current = self.view(asker)
        if len(self.catalog.views) == 1:
            return Reply(
                _("Only one decree is loaded:")
                + "\n"
                + cards.source_line(_, asker.language, current)
            )
        buttons = [
            Button(
                ("✅ " if v.id == current.id else "") + v.title(asker.language),
                cb.Region(v.id),
            )
            for v in self.catalog.views
        ]
        return Reply(_("Choose the region and year:"), _rows(buttons))

    def stale(self, asker: Asker) -> Reply:
        return Reply(asker._("This button is out of date. Type a specialty, or use /browse."))

    # Text, buttons, inline mode

    def search(self, asker: Asker, text: str) -> Reply:
        """The answer to a typed question, by the kind of result the search gives."""
        view = self.view(asker)
        result = view.search(text)
        answer = {
            Kind.CARD: self._found_card,
            Kind.QUESTION: self._question,
            Kind.CODES: self._codes,
            Kind.SEVERAL: self._several,
            Kind.FIELD: self._found_field,
            Kind.SMALLTALK: self._smalltalk,
        }.get(result.kind, self._no_match)
        return answer(asker, view, text, result)

    def _found_card(self, asker: Asker, view: DecreeView, text: str, result: SearchResult) -> Reply:
        if not result.matches:
            return self._no_match(asker, view, text, result)
        _ = asker._
        reply = self._with_unfunded(
            asker,
            view,
            result,
            self.card(asker, view, result.matches[0].specialty, grade=after_grade(text)),
        )
        others = [m.specialty for m in result.matches[1:]]
        if not others:
            return reply
        ids = cb.join_ids([m.specialty.id for m in result.matches[:MAX_CHOICES]])
        more = _rows(
            [
                Button("🔎 " + cards.specialty_button(asker.language, s), cb.PickCard(s.id, ids))
                for s in others[: MAX_CHOICES - 1]
            ]
        )
        return Reply(reply.text + "\n\n" + _("Also close:"), reply.buttons + more)

    def _question(self, asker: Asker, view: DecreeView, text: str, result: SearchResult) -> Reply:
        _ = asker._
        specialties = [m.specialty for m in result.matches[:MAX_CHOICES]]
        if not specialties:
            return self._no_match(asker, view, text, result)
        question = (
            _("Several specialties fit. Which one do you mean?")
            if len(specialties) > 1
            else _("Did you mean this specialty?")
        )
        return self._choices(asker, view, question, specialties)

    def _choices(
        self,
        asker: Asker,
        view: DecreeView,
        question: str,
        specialties: list[Specialty],
        edit: bool = False,
    ) -> Reply:
        """A choice list: the specialties (name · places per level) and a button for each."""
        ids = cb.join_ids([s.id for s in specialties])
        text = cards.listing(asker._, asker.language, view, escape(question), specialties)
        buttons = [
            Button(cards.specialty_button(asker.language, s, i), cb.PickCard(s.id, ids))
            for i, s in enumerate(specialties, 1)
        ]
        return Reply(text, (*_rows(buttons), (_browse_button(asker._),)), edit=edit)

    def _codes(self, asker: Asker, view: DecreeView, text: str, result: SearchResult) -> Reply:
        _ = asker._
        if not result.matches:
            return self._no_match(asker, view, text, result)
        if result.total > len(result.matches):
            field = view.field(text.strip())
            if field is not None:
                return self.field(asker, field.code, edit=False)
            question = _("{shown} of {total} specialties with this code; type more digits:")
            question = question.format(shown=len(result.matches), total=result.total)
            return self._choices(asker, view, question, [m.specialty for m in result.matches])
        if len(result.matches) > 1:
            return self._question(asker, view, text, result)
        return self.card(asker, view, result.matches[0].specialty, grade=after_grade(text))

    def _several(self, asker: Asker, view: DecreeView, text: str, result: SearchResult) -> Reply:
        specialties = list(dict.fromkeys(m.specialty for m in result.matches))[:MAX_COMPARED]
        if len(specialties) < 2:
            return self._found_card(asker, view, text, result)
        return self._with_unfunded(asker, view, result, self._compare(asker, view, specialties))

    def _with_unfunded(
        self, asker: Asker, view: DecreeView, result: SearchResult, reply: Reply
    ) -> Reply:
        """`reply`, saying after it that a specialty named beside its own is not funded."""
        unfunded = self._unfunded(asker, view, result)
        return replace(reply, text=reply.text + "\n\n" + unfunded) if unfunded else reply

    def _unfunded(self, asker: Asker, view: DecreeView, result: SearchResult) -> str:
        """What to say of a classifier's specialty the query names that the decree does
        not fund ("" when it names none)."""
        specialty = view.classifier_specialty(result.unfunded) if result.unfunded else None
        if specialty is None:
            return ""
        _ = asker._
        name = specialty.name(asker.language)
        code = specialty.code
        shown = "kk" if name == specialty.kk else "ru"
        if shown != asker.language:  # the source's name in the other language, labelled
            code += ", " + (_("name in Russian") if shown == "ru" else _("name in Kazakh"))
        return _(
            "«{name}» ({code}) is a specialty of the national classifier, but this decree "
            "orders no state-funded places for it."
        ).format(name=escape(name), code=code)

    def _found_field(
        self, asker: Asker, view: DecreeView, text: str, result: SearchResult
    ) -> Reply:
        if view.field(result.field) is None:
            return self._no_match(asker, view, text, result)
        return self.field(asker, result.field, edit=False)

    def _smalltalk(self, asker: Asker, view: DecreeView, text: str, result: SearchResult) -> Reply:
        _ = asker._
        if result.topic == Topic.THANKS:
            return Reply(
                _("You're welcome! Type another specialty whenever you like."),
                ((_browse_button(_),),),
            )
        if result.topic == Topic.HELP:
            return self.help(asker)
        if result.topic == Topic.LIST:
            return self.browse(asker)
        if result.topic == Topic.FUNDING:
            return self.funding(asker)
        return self.greeting(asker)

    def funding(self, asker: Asker, args: list[str] | None = None) -> Reply:
        """Grants, free study, stipends: what the decree covers, and what it does not."""
        _ = asker._
        view = self.view(asker)
        lines = [
            "<b>" + _("Grants, free study and stipends") + "</b>",
            _(
                "A state-funded place (people also say «grant» or «budget place») is free study: "
                "the state pays for the training. The decree says how many such places each "
                "specialty has at each level; type a specialty to see them."
            ),
            _(
                "The amounts on the cards are what the state spends on average on one student "
                "a year, in a city and in a rural college. They are not a fee: the family pays "
                "none of it."
            ),
            _(
                "The decree says nothing about stipends, dormitories, paid places or how the "
                "places are awarded: ask the college or the region's education department."
            ),
            cards.source_line(_, asker.language, view),
        ]
        buttons = ((_browse_button(_), Button("🏆 " + _("Most places"), cb.Top())),)
        return Reply("\n\n".join(lines), buttons)

    def _no_match(
        self, asker: Asker, view: DecreeView, text: str, result: SearchResult | None = None
    ) -> Reply:
        _ = asker._
        if result is not None and result.elsewhere:
            return self._elsewhere(asker, view, result.elsewhere)
        echo = cards.cut(" ".join(text.split()), MAX_ECHO)
        message = (self._unfunded(asker, view, result) if result else "") or _(
            "The decree has no specialty matching «{query}»."
        ).format(query=escape(echo))
        message += "\n" + _("Try another word (a job, a specialty, a code), or browse: /browse")
        buttons: list[tuple[Button, ...]] = []
        related = view.field(result.related_field) if result and result.related_field else None
        if related is not None:
            message += "\n\n" + _("Perhaps you are looking for this field: {field}").format(
                field=cards.field_title(asker.language, related)
            )
            buttons.append(
                (
                    Button(
                        cards.field_button(asker.language, related), cb.FieldPage(related.code, 0)
                    ),
                )
            )
        buttons.append((_browse_button(_),))
        return Reply(message, tuple(buttons), found=False)

    def _elsewhere(self, asker: Asker, view: DecreeView, region: str) -> Reply:
        """A question about a region whose decree is not loaded: say whose order this is,
        rather than answer with another region's places."""
        _ = asker._
        ours = escape(cards.region_name(asker.language, view.region, of=True))
        message = "\n\n".join(
            (
                _(
                    "This bot has the state educational order of {region} only (academic "
                    "year {year})."
                ).format(region=ours, year=escape(view.decree.academic_year)),
                _(
                    "{other}: the places there are set by the local akimat's decree; ask the "
                    "local education department."
                ).format(other="«" + escape(view.region_named(region).name(asker.language)) + "»"),
                _(
                    "To see the places of {region}, type the specialty without the place name."
                ).format(region=ours),
            )
        )
        return Reply(message, ((_browse_button(_),),), found=False)

    def press(self, asker: Asker, data: str) -> Reply | None:
        """Answer a button press (None: nothing to say). Unknown, old or forged data gets a
        polite 'out of date'."""
        pressed = cb.decode(data)
        if isinstance(pressed, cb.Nothing):
            return None
        view = self.view(asker)
        handler = _PRESSES.get(type(pressed)) if pressed else None
        return (handler(self, asker, view, pressed) if handler else None) or self.stale(asker)

    def _press_card(self, asker: Asker, view: DecreeView, pressed: cb.Card) -> Reply | None:
        specialty = view.specialty(pressed.specialty_id)
        if specialty is None:
            return None
        if pressed.field and pressed.page is not None:
            back = cb.FieldPage(pressed.field, pressed.page)
            return self.card(asker, view, specialty, back=back, edit=True)
        return self.card(asker, view, specialty)

    def _press_listed_card(
        self, asker: Asker, view: DecreeView, pressed: cb.TopCard | cb.PickCard | cb.CompareCard
    ) -> Reply | None:
        specialty = view.specialty(pressed.specialty_id)
        if specialty is None:
            return None
        back: cb.Callback = cb.Top()
        if isinstance(pressed, cb.PickCard):
            back = cb.Pick(pressed.ids)
        elif isinstance(pressed, cb.CompareCard):
            back = cb.Compare(pressed.ids)
        return self.card(asker, view, specialty, back=back, edit=True)

    def _listed(self, view: DecreeView, ids: str, most: int) -> list[Specialty] | None:
        found = [view.specialty(i) for i in cb.split_ids(ids)]
        if not found or len(found) > most or None in found:
            return None
        return [s for s in found if s is not None]

    def _press_pick(self, asker: Asker, view: DecreeView, pressed: cb.Pick) -> Reply | None:
        specialties = self._listed(view, pressed.ids, MAX_CHOICES)
        if specialties is None:
            return None
        _ = asker._
        question = (
            _("Several specialties fit. Which one do you mean?")
            if len(specialties) > 1
            else _("Did you mean this specialty?")
        )
        return self._choices(asker, view, question, specialties, edit=True)

    def _press_compare(self, asker: Asker, view: DecreeView, pressed: cb.Compare) -> Reply | None:
        specialties = self._listed(view, pressed.ids, MAX_COMPARED)
        if specialties is None or len(specialties) < 2:
            return None
        return self._compare(asker, view, specialties, edit=True)

    def _press_language(self, asker: Asker, view: DecreeView, pressed: cb.Language) -> Reply | None:
        if pressed.language not in LANGUAGES:
            return None
        _ = translator(pressed.language)
        return Reply(
            _("Language: English. Type a specialty or a job."),
            edit=True,
            choice=Choice(language=pressed.language),
        )

    def _press_region(self, asker: Asker, view: DecreeView, pressed: cb.Region) -> Reply | None:
        if not self.catalog.has(pressed.decree_id):
            return None
        chosen = self.catalog.decree(pressed.decree_id)
        return Reply(
            cards.source_line(asker._, asker.language, chosen),
            edit=True,
            choice=Choice(decree_id=pressed.decree_id),
        )

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
                description=" · ".join(
                    filter(
                        None,
                        [cards.translation(asker.language, s), cards.short_summary(_, view, s)],
                    )
                ),
                text=cards.card(_, asker.language, view, s, asker.bot_username),
            )
            for s in specialties[:INLINE_RESULTS]
        ]


_PRESSES: dict[type, Callable[..., Reply | None]] = {
    cb.Card: Answers._press_card,
    cb.TopCard: Answers._press_listed_card,
    cb.PickCard: Answers._press_listed_card,
    cb.CompareCard: Answers._press_listed_card,
    cb.FieldPage: lambda self, asker, view, p: self.field(asker, p.code, p.page),
    cb.Browse: lambda self, asker, view, p: self._browse(asker, edit=True),
    cb.Top: lambda self, asker, view, p: self._top(asker, view, edit=True),
    cb.Pick: Answers._press_pick,
    cb.Compare: Answers._press_compare,
    cb.Language: Answers._press_language,
    cb.Region: Answers._press_region,
}


def _language_buttons() -> Keyboard:
    return (tuple(Button(LANGUAGE_LABELS[code], cb.Language(code)) for code in LANGUAGES),)


COMMANDS: tuple[Command, ...] = (
    Command("start", N_("start over"), Answers.start, listed=False),
    Command("help", N_("what I can do"), Answers.help, listed=False),
    Command("browse", N_("fields of education and their specialties"), Answers.browse),
    Command("top", N_("specialties with the most places"), Answers.top),
    Command("compare", N_("two or three specialties side by side"), Answers.compare_command),
    Command("about", N_("the decree and what the numbers mean"), Answers.about),
    Command("export", N_("the whole table as an Excel file"), Answers.export),
    Command("lang", N_("change the language"), Answers.language_menu),
    Command("region", N_("choose the region and year"), Answers.regions),
)
COMMANDS_BY_NAME = {c.name: c for c in COMMANDS}
