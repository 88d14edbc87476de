"""The one place that formats what the bot shows: cards, lists, numbers (Telegram HTML).

Pure functions of a decree view and a specialty. Every dynamic string goes through
`html.escape`; the layout is built from translated templates so that all three languages
show the same facts in the same order.
"""

from __future__ import annotations

from html import escape

from bot.i18n import N_, Translate
from store.catalog import DecreeView
from store.model import Decree, Defect, DefectKind, LevelKind, Row, Specialty

LEVEL_NAMES = {
    LevelKind.WORKERS: N_("Workers' qualifications"),
    LevelKind.MID_LEVEL: N_("Mid-level specialists"),
    LevelKind.POST_SECONDARY: N_("Post-secondary education"),
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
}


def money(value: int) -> str:
    """421909 -> "421 909 ₸"."""
    return f"{value:,}".replace(",", " ") + " ₸"


def rates(values: tuple[int, ...]) -> str:
    """One or several rates: "465 161 ₸ / 552 703 ₸"."""
    return " / ".join(money(v) for v in values) if values else "—"


def date_text(iso: str) -> str:
    """2025-08-06 -> 06.08.2025, as dates are written in Kazakhstan."""
    year, month, day = iso.split("-")
    return f"{day}.{month}.{year}"


def level_name(_: Translate, kind: LevelKind) -> str:
    return _(LEVEL_NAMES[kind]) if kind in LEVEL_NAMES else str(kind)


def source_line(_: Translate, decree: Decree, appendices: list[int] | None = None) -> str:
    """Where the numbers come from: the decree, its date and number, and which appendices."""
    text = _("Source: {region} akimat decree No {number} of {date}, academic year {year}").format(
        region=escape(decree.region),
        number=escape(decree.number),
        date=date_text(decree.date),
        year=escape(decree.academic_year),
    )
    if appendices:
        numbers = ", ".join(map(str, appendices))
        text += "; " + _.plural(
            "appendix {numbers}", "appendices {numbers}", len(appendices)
        ).format(numbers=numbers)
    return text


def deep_link(bot_username: str, specialty: Specialty, decree_id: str | None = None) -> str:
    """A t.me link that opens the card; it names the decree when several are loaded."""
    suffix = f"-{decree_id}" if decree_id else ""
    return f"https://t.me/{bot_username}?start=s{specialty.id}{suffix}"


def _level_block(_: Translate, view: DecreeView, row: Row) -> str:
    lines = [
        f"<b>{escape(level_name(_, view.level_kind(row.appendix)))}</b> · "
        + _("code {code}").format(code=escape(row.code)),
        _("State-funded places: {seats}").format(seats=row.seats),
    ]
    if row.city_costs or row.rural_costs:
        lines.append(
            _("Cost per student per year: city {city} · rural {rural}").format(
                city=rates(row.city_costs), rural=rates(row.rural_costs)
            )
        )
    return "\n".join(lines)


def _field_names(view: DecreeView, specialty: Specialty) -> list[str]:
    names = []
    for row in specialty.rows:
        group = view.group(row.appendix, row.group_code)
        names.append(f"{row.group_code} {group.name if group else ''}".strip())
    return list(dict.fromkeys(names))


def card(
    _: Translate, language: str, view: DecreeView, specialty: Specialty, bot_username: str
) -> str:
    """A specialty's card: decree name, places and yearly costs per level, source, link."""
    parts = [f"<b>{escape(specialty.name)}</b>"]
    translation = specialty.translations.get(language)
    if translation and translation.casefold() != specialty.name.casefold():
        parts[0] += (
            "\n<i>"
            + _("Translation, not from the decree: {name}").format(name=escape(translation))
            + "</i>"
        )
    parts += [_level_block(_, view, row) for row in specialty.rows]
    summary = [_("Total places: {seats}").format(seats=specialty.seats)]
    summary += [
        _("Field of education: {field}").format(field=escape(f))
        for f in _field_names(view, specialty)
    ]
    if any(len(r.city_costs) > 1 or len(r.rural_costs) > 1 for r in specialty.rows):
        summary.append("ℹ️ " + _("The decree lists several rates: the cost depends on the college."))
    notes = (defect_note(_, d) for d in view.defects_of(specialty))
    summary += ["⚠️ " + note for note in notes if note]
    parts.append("\n".join(summary))
    link = deep_link(bot_username, specialty, None if view.only else view.id)
    parts.append(source_line(_, view.decree, specialty.appendices) + "\n" + link)
    return "\n\n".join(parts)


def defect_note(_: Translate, defect: Defect) -> str:
    template = DEFECT_NOTES.get(defect.kind)
    if template is None:
        return ""
    return _(template).format(printed=escape(defect.printed), stored=escape(defect.stored))


def short_summary(_: Translate, specialty: Specialty) -> str:
    """One line for lists and inline results: places and the lowest city cost."""
    cheapest = min((c for r in specialty.rows for c in r.city_costs), default=None)
    text = _.plural("{seats} place", "{seats} places", specialty.seats).format(
        seats=specialty.seats
    )
    if cheapest is not None:
        text += " · " + _("from {cost} a year").format(cost=money(cheapest))
    return text
