"""The one place that formats what the bot shows: cards, lists, numbers (Telegram HTML).

Pure functions of a decree view and its specialties. Every dynamic string goes through
`html.escape`; the layout is built from translated templates so that all three languages
show the same facts in the same order. The words follow the decree: a *place* is funded
by the state (free for the student), and the amounts are what the state spends on average
per student per year, in a city and in a rural college; never a fee. A translated name is
always labelled as a translation and shown next to the decree's Kazakh name.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from html import escape

from bot.i18n import N_, Translate
from store.catalog import DecreeView, Field
from store.lexicon import Region
from store.model import Defect, DefectKind, LevelKind, Row, Specialty

MAX_BUTTON_TEXT = 64
MIN_NAME = 14  # what a button keeps of the decree's name when a translation comes first
MARKERS = ("1️⃣", "2️⃣", "3️⃣")

LEVEL_NAMES = {
    LevelKind.WORKERS: N_("Workers' qualifications"),
    LevelKind.MID_LEVEL: N_("Mid-level specialists"),
    LevelKind.POST_SECONDARY: N_("Post-secondary education"),
}
# The same levels in lists and totals, where the card has already said what each one is.
LEVEL_SHORT = {
    LevelKind.WORKERS: N_("workers"),
    LevelKind.MID_LEVEL: N_("mid-level"),
    LevelKind.POST_SECONDARY: N_("post-secondary"),
}
# What a level is, in one plain line (who may enter is the law's, not the decree's).
LEVEL_LINES = {
    LevelKind.WORKERS: N_("Training for a trade; colleges take students after grade 9 or 11."),
    LevelKind.MID_LEVEL: N_(
        "Training for technicians and other specialists; colleges take students after grade 9 "
        "or 11."
    ),
    LevelKind.POST_SECONDARY: N_("Only after grade 11 or a college, not after grade 9."),
}

DEFECT_NOTES = {
    DefectKind.STRAY_DIGIT: N_(
        "The decree prints «{printed}»; shown as {stored}, the rate printed in its other rows."
    ),
    DefectKind.CODE_FORM: N_("The decree prints the code as {printed}; the full code is {stored}."),
    DefectKind.COSTS_SPLIT_BY_PAGE: N_(
        "In the source this row is cut by a page break; city and rural costs are placed as in "
        "the other rows."
    ),
    DefectKind.AMBIGUOUS_NUMBERS: N_(
        "The numbers of this row can be read more than one way: «{printed}»."
    ),
    DefectKind.NO_THOUSANDS_SPACE: N_("The decree prints «{printed}» without a thousands space."),
    DefectKind.CODE_NAMES: N_(
        "The decree gives the same code {stored} to another name as well: «{printed}»."
    ),
}
# A card leaves out what changes nothing for the reader (the export's note column has all).
CARD_DEFECTS = frozenset(DEFECT_NOTES) - {DefectKind.NO_THOUSANDS_SPACE}


def plain_text(text: str) -> str:
    """Telegram HTML as plain text: tags dropped, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def money(value: int) -> str:
    """421909 -> "421 909 ₸"."""
    return f"{value:,}".replace(",", " ") + " ₸"


def rates(values: tuple[int, ...]) -> str:
    """One or several rates: "465 161 ₸ / 552 703 ₸"."""
    return " / ".join(money(v) for v in values) if values else "—"


# Month names as a Kazakh date of an act says them ("2025 жылғы 6 тамыздағы").
_KAZAKH_MONTHS_ON = (
    "қаңтардағы", "ақпандағы", "наурыздағы", "сәуірдегі", "мамырдағы", "маусымдағы",
    "шілдедегі", "тамыздағы", "қыркүйектегі", "қазандағы", "қарашадағы", "желтоқсандағы",
)  # fmt: skip


def date_text(iso: str, language: str = "") -> str:
    """2025-08-06 -> 06.08.2025, as dates are written in Kazakhstan; in Kazakh, as an act's
    date is written: "2025 жылғы 6 тамыздағы"."""
    year, month, day = iso.split("-")
    if language == "kk":
        return f"{year} жылғы {int(day)} {_KAZAKH_MONTHS_ON[int(month) - 1]}"
    return f"{day}.{month}.{year}"


def cut(text: str, limit: int) -> str:
    """`text` in at most `limit` characters, cut at a word boundary with "…"."""
    if len(text) <= limit:
        return text
    head = text[: max(limit - 1, 1)]
    space = head.rfind(" ")
    if space > 0:
        head = head[:space]
    return head.rstrip(" ,;:-–(/") + "…"


def level_name(_: Translate, kind: LevelKind) -> str:
    return _(LEVEL_NAMES[kind]) if kind in LEVEL_NAMES else str(kind)


def level_short(_: Translate, kind: LevelKind) -> str:
    return _(LEVEL_SHORT[kind]) if kind in LEVEL_SHORT else str(kind)


def level_line(_: Translate, kind: LevelKind) -> str:
    return _(LEVEL_LINES[kind]) if kind in LEVEL_LINES else ""


def region_name(language: str, region: Region, of: bool = False) -> str:
    """The region as a sentence needs it: Russian in the genitive ("акимата Карагандинской
    области"), Kazakh too when `of` ("Қарағанды облысының тапсырысы")."""
    kazakh = region.kk_genitive if of else region.kk
    return {"ru": region.ru_genitive, "en": region.en}.get(language, kazakh)


def source_line(
    _: Translate, language: str, view: DecreeView, appendices: Sequence[int] = ()
) -> str:
    """Where the numbers come from: the decree, its date and number, and which appendices."""
    decree = view.decree
    text = _("Source: {region} akimat decree No {number} of {date}, academic year {year}").format(
        region=escape(region_name(language, view.region)),
        number=escape(decree.number),
        date=date_text(decree.date, language),
        year=escape(decree.academic_year),
    )
    if appendices:
        numbers = ", ".join(map(str, appendices))
        text += "; " + _.plural(
            "appendix {numbers}", "appendices {numbers}", len(appendices)
        ).format(numbers=numbers)
    return text


def decree_line(_: Translate, language: str, view: DecreeView) -> str:
    """Which figures these are: region, academic year, decree (for the greeting)."""
    decree = view.decree
    return _(
        "Figures: {region}, academic year {year} (akimat decree No {number} of {date})."
    ).format(
        region=escape(view.region.name(language)),
        year=escape(decree.academic_year),
        number=escape(decree.number),
        date=date_text(decree.date, language),
    )


def deep_link(bot_username: str, specialty: Specialty, decree_id: str | None = None) -> str:
    """A t.me link that opens the card; it names the decree when several are loaded."""
    suffix = f"-{decree_id}" if decree_id else ""
    return f"https://t.me/{bot_username}?start=s{specialty.id}{suffix}"


def translation(language: str, specialty: Specialty) -> str:
    """The specialty's name in `language` when it is a real translation (not for kk)."""
    found = specialty.translations.get(language)
    return found if found and found.casefold() != specialty.name.casefold() else ""


def field_translation(language: str, field: Field) -> str:
    found = field.translations.get(language)
    return found if found and found.casefold() != field.name.casefold() else ""


def _parts(_: Translate, levels: Sequence[tuple[LevelKind, int]], joiner: str = " · ") -> str:
    return joiner.join(f"{level_short(_, kind)} {seats}" for kind, seats in levels)


def _levels(view: DecreeView, rows: Sequence[Row]) -> list[tuple[LevelKind, int]]:
    return [(view.level_kind(r.appendix), r.seats) for r in sorted(rows, key=lambda r: r.appendix)]


def places_per_level(_: Translate, view: DecreeView, specialty: Specialty) -> str:
    """Places at each level, the levels named: "workers 447 · mid-level 35"."""
    return _parts(_, _levels(view, specialty.rows))


def _level_block(_: Translate, view: DecreeView, row: Row) -> str:
    kind = view.level_kind(row.appendix)
    lines = [
        f"<b>{escape(level_name(_, kind))}</b> · " + _("code {code}").format(code=escape(row.code))
    ]
    if level_line(_, kind):
        lines.append(level_line(_, kind))
    lines.append(_("State-funded places (free for the student): {seats}").format(seats=row.seats))
    if row.city_costs or row.rural_costs:
        lines.append(
            _(
                "The state spends per student a year, on average: city {city} · rural {rural}"
            ).format(city=rates(row.city_costs), rural=rates(row.rural_costs))
        )
    return "\n".join(lines)


def totals(_: Translate, view: DecreeView, specialty: Specialty, grade: int | None) -> list[str]:
    """Totals, each saying what it adds up; post-secondary places never silently in the
    answer to someone after grade 9."""
    levels = _levels(view, specialty.rows)
    after_nine = [(k, s) for k, s in levels if k != LevelKind.POST_SECONDARY]
    post = sum(s for k, s in levels if k == LevelKind.POST_SECONDARY)
    open_seats = sum(s for _k, s in after_nine)
    if grade == 9 and post:
        lines = []
        if not after_nine:
            lines.append(
                "⚠️ "
                + _(
                    "After grade 9 there are no places for this specialty: the decree orders it "
                    "as post-secondary only."
                )
            )
        elif len(after_nine) > 1:
            lines.append(
                _("Places after grade 9: {seats} ({parts})").format(
                    seats=open_seats, parts=_parts(_, after_nine, " + ")
                )
            )
        else:
            lines.append(_("Places after grade 9: {seats}").format(seats=open_seats))
        lines.append(
            _(
                "Post-secondary places ({seats}) are not counted: they need grade 11 or a college."
            ).format(seats=post)
        )
        return lines
    if len(levels) < 2:
        return []
    lines = [
        _("Total places at all levels: {seats} ({parts})").format(
            seats=specialty.seats, parts=_parts(_, levels, " + ")
        )
    ]
    if post and after_nine:
        lines.append(
            _(
                "Of these, after grade 9: {seats} (post-secondary needs grade 11 or a college)"
            ).format(seats=open_seats)
        )
    return lines


def _fields_of(view: DecreeView, specialty: Specialty) -> list[Field]:
    """The specialty's fields of education, each once (the decree may spell one two ways)."""
    codes = dict.fromkeys(row.group_code for row in specialty.rows)
    return [f for f in (view.field(code) for code in codes) if f is not None]


def field_title(language: str, field: Field, _: Translate | None = None) -> str:
    """A field's code and decree name, with its translation in italics when there is one
    (labelled as a translation when `_` is given: a card has no list's footnote)."""
    text = f"{escape(field.code)} {escape(field.name)}"
    translated = field_translation(language, field)
    if translated and _ is not None:
        translated = _("{name} (translation)").format(name=translated)
    return text + (f" — <i>{escape(translated)}</i>" if translated else "")


def card(
    _: Translate,
    language: str,
    view: DecreeView,
    specialty: Specialty,
    bot_username: str,
    grade: int | None = None,
) -> str:
    """A specialty's card: decree name, places and yearly spending per level, source, link."""
    parts = [f"<b>{escape(specialty.name)}</b>"]
    translated = translation(language, specialty)
    if translated:
        parts[0] += (
            "\n<i>"
            + _("Translation, not from the decree: {name}").format(name=escape(translated))
            + "</i>"
        )
    rows = sorted(specialty.rows, key=lambda r: (r.appendix, r.row))
    if grade == 9:  # the levels open after grade 9 first
        rows.sort(key=lambda r: view.level_kind(r.appendix) == LevelKind.POST_SECONDARY)
    parts += [_level_block(_, view, row) for row in rows]
    summary = totals(_, view, specialty, grade)
    summary += [
        _("Field of education: {field}").format(field=field_title(language, f, _))
        for f in _fields_of(view, specialty)
    ]
    if any(len(r.city_costs) > 1 or len(r.rural_costs) > 1 for r in specialty.rows):
        summary.append(
            "ℹ️ " + _("The decree lists several rates: the spending depends on the college.")
        )
    notes = (defect_note(_, d) for d in view.defects_of(specialty) if d.kind in CARD_DEFECTS)
    summary += ["⚠️ " + note for note in notes if note]
    parts.append("\n".join(summary))
    link = deep_link(bot_username, specialty, None if view.only else view.id)
    parts.append(source_line(_, language, view, specialty.appendices) + "\n" + link)
    return "\n\n".join(parts)


def defect_note(_: Translate, defect: Defect) -> str:
    template = DEFECT_NOTES.get(defect.kind)
    if template is None:
        return ""
    return _(template).format(printed=escape(defect.printed), stored=escape(defect.stored))


def translation_note(_: Translate, language: str) -> str:
    """The label of translated names in a list (none in Kazakh: the names are the decree's)."""
    if language == "kk":
        return ""
    return "<i>" + _("In italics: translations of the names, not from the decree.") + "</i>"


def entry(
    _: Translate, language: str, view: DecreeView, specialty: Specialty, number: int | None = None
) -> str:
    """A specialty in a list: its decree name, its translation, places per level."""
    head = f"{number}. " if number is not None else ""
    lines = [f"{head}<b>{escape(specialty.name)}</b>"]
    translated = translation(language, specialty)
    if translated:
        lines.append(f"<i>{escape(translated)}</i>")
    lines.append(places_per_level(_, view, specialty))
    return "\n".join(lines)


def listing(
    _: Translate,
    language: str,
    view: DecreeView,
    title: str,
    specialties: Sequence[Specialty],
    start: int = 1,
) -> str:
    """A titled, numbered list of specialties, with the translation label when needed."""
    parts = [title]
    parts += [entry(_, language, view, s, i) for i, s in enumerate(specialties, start)]
    note = translation_note(_, language)
    if note and any(translation(language, s) for s in specialties):
        parts.append(note)
    return "\n\n".join(parts)


def _share(budget: int, translated: str, name: str) -> tuple[str, str]:
    """Both names in `budget` characters with " · " between: the reader's language first and
    as whole as it can be, the decree's name in what is left (at least a word), each cut at
    a word boundary."""
    least = max(MIN_NAME, len(name.split(" ", 1)[0]) + 1)
    first = cut(translated, max(budget - 3 - len(name), budget - 3 - least))
    return first, cut(name, max(budget - 3 - len(first), least))


def specialty_button(language: str, specialty: Specialty, number: int | None = None) -> str:
    """A button: the user's-language name, the decree's name, places; cut at words."""
    count = f" · {specialty.seats}"
    head = f"{number}. " if number is not None else ""
    budget = MAX_BUTTON_TEXT - len(count) - len(head)
    translated = translation(language, specialty)
    if not translated:
        return head + cut(specialty.name, budget) + count
    first, rest = _share(budget, translated, specialty.name)
    return f"{head}{first} · {rest}{count}"


def field_button(language: str, field: Field) -> str:
    """A field's button: its code, its names (translation first for ru/en), its places."""
    count = f" · {field.seats}"
    budget = MAX_BUTTON_TEXT - len(count) - len(field.code) - 1
    translated = field_translation(language, field)
    if not translated:
        return f"{field.code} {cut(field.name, budget)}{count}"
    first, rest = _share(budget, translated, field.name)
    return f"{field.code} {first} · {rest}{count}"


def field_places(_: Translate, view: DecreeView, field: Field) -> str:
    """A field's places at each level: "mid-level 875 · post-secondary 160"."""
    levels = [(view.level_kind(a), s) for a, s in field.seats_by_appendix().items()]
    return _parts(_, levels)


def fields_text(_: Translate, language: str, view: DecreeView) -> str:
    """Every field of education with its places per level."""
    parts = ["<b>" + _("Fields of education:") + "</b>"]
    parts += [f"{field_title(language, f)}\n{field_places(_, view, f)}" for f in view.fields]
    note = translation_note(_, language)
    if note:
        parts.append(note)
    return "\n\n".join(parts)


def field_text(
    _: Translate,
    language: str,
    view: DecreeView,
    field: Field,
    shown: Sequence[Specialty],
    page: int,
    pages: int,
    start: int,
) -> str:
    """One page of a field: its name, its size, and its specialties with places per level."""
    count = len(field.specialties)
    head = [
        f"<b>{field_title(language, field)}</b>",
        _.plural("{count} specialty", "{count} specialties", count).format(count=count)
        + " · "
        + field_places(_, view, field),
    ]
    if pages > 1:
        head.append(_("Page {page} of {pages}").format(page=page + 1, pages=pages))
    return listing(_, language, view, "\n".join(head), shown, start)


def _side(marks: Sequence[str], rows: Sequence[Row | None], value: Callable[[Row], str]) -> str:
    """One fact of each compared specialty at one level, "—" where it is not ordered."""
    return " · ".join(
        f"{mark} {value(row) if row else '—'}" for mark, row in zip(marks, rows, strict=False)
    )


def compare(_: Translate, language: str, view: DecreeView, specialties: Sequence[Specialty]) -> str:
    """Two or three specialties side by side: places and spending per level, then totals."""
    marks = MARKERS[: len(specialties)]
    head = ["⚖️ <b>" + _("Comparison") + "</b>"]
    for mark, s in zip(marks, specialties, strict=False):
        translated = translation(language, s)
        head.append(
            f"{mark} <b>{escape(s.name)}</b>"
            + (f" — <i>{escape(translated)}</i>" if translated else "")
        )
    parts = ["\n".join(head)]
    appendices = sorted({r.appendix for s in specialties for r in s.rows})
    for appendix in appendices:
        found = [next((r for r in s.rows if r.appendix == appendix), None) for s in specialties]
        parts.append(
            "\n".join(
                [
                    f"<b>{escape(level_name(_, view.level_kind(appendix)))}</b>",
                    _("State-funded places (free for the student): {seats}").format(
                        seats=_side(marks, found, lambda r: str(r.seats))
                    ),
                    _("Spending per student a year, city: {values}").format(
                        values=_side(marks, found, lambda r: rates(r.city_costs))
                    ),
                    _("Spending per student a year, rural: {values}").format(
                        values=_side(marks, found, lambda r: rates(r.rural_costs))
                    ),
                ]
            )
        )
    footer = [
        _("Total places at all levels: {seats}").format(
            seats=" · ".join(f"{m} {s.seats}" for m, s in zip(marks, specialties, strict=False))
        ),
        _("The amounts are the state's average spending per student, not a fee."),
    ]
    note = translation_note(_, language)
    if note and any(translation(language, s) for s in specialties):
        footer.append(note)
    parts.append("\n".join(footer))
    parts.append(source_line(_, language, view, appendices))
    return "\n\n".join(parts)


def short_summary(_: Translate, view: DecreeView, specialty: Specialty) -> str:
    """One line for inline results and the command line: places, per level."""
    total = _.plural("{seats} place", "{seats} places", specialty.seats).format(
        seats=specialty.seats
    )
    if len(specialty.rows) < 2:
        return f"{total} · {places_per_level(_, view, specialty)}"
    return f"{total}: {places_per_level(_, view, specialty)}"
