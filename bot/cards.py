"""The one place that formats what the bot shows: cards, lists, numbers (Telegram HTML).

Every dynamic string goes through `html.escape`; the layout is built from translated
templates so that all three languages show the same facts in the same order.
"""

from __future__ import annotations

from html import escape

from bot.i18n import N_, Translate
from store.catalog import Catalog
from store.db import DecreeInfo, DefectRecord
from store.search import Level, Specialty

LEVEL_NAMES = {
    "workers": N_("Workers' qualifications"),
    "mid_level": N_("Mid-level specialists"),
    "post_secondary": N_("Post-secondary education"),
}

DEFECT_NOTES = {
    "stray_digit": N_(
        "The decree prints «{printed}»; shown as {stored}, the rate printed in its other rows."
    ),
    "code_digits": N_("The decree prints the code as {printed}; the full code is {stored}."),
    "costs_split_by_page": N_(
        "In the source this row is cut by a page break; city and rural costs are placed as in "
        "the other rows."
    ),
    "ambiguous_numbers": N_("The numbers of this row can be read more than one way: «{printed}»."),
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


def level_name(_: Translate, kind: str) -> str:
    return _(LEVEL_NAMES.get(kind, kind))


def source_line(_: Translate, decree: DecreeInfo, appendices: list[int] | None = None) -> str:
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


def _level_block(_: Translate, level: Level) -> str:
    lines = [
        f"<b>{escape(level_name(_, level.level_kind))}</b> · "
        + _("code {code}").format(code=escape(level.code)),
        _("State-funded places: {seats}").format(seats=level.seats),
    ]
    if level.city_costs or level.rural_costs:
        lines.append(
            _("Cost per student per year: city {city} · rural {rural}").format(
                city=rates(level.city_costs), rural=rates(level.rural_costs)
            )
        )
    return "\n".join(lines)


def card(
    _: Translate,
    language: str,
    catalog: Catalog,
    decree: DecreeInfo,
    specialty: Specialty,
    bot_username: str,
) -> str:
    """A specialty's card: decree name, places and yearly costs per level, source, link."""
    parts = [f"<b>{escape(specialty.name)}</b>"]
    translation = specialty.ru if language == "ru" else specialty.en if language == "en" else ""
    if translation and translation.casefold() != specialty.name.casefold():
        parts[0] += (
            "\n<i>"
            + _("Translation, not from the decree: {name}").format(name=escape(translation))
            + "</i>"
        )
    parts += [_level_block(_, level) for level in specialty.levels]
    summary = [_("Total places: {seats}").format(seats=specialty.seats)]
    fields = dict.fromkeys(f"{lv.group_code} {lv.group_name}".strip() for lv in specialty.levels)
    summary += [_("Field of education: {field}").format(field=escape(f)) for f in fields]
    if any(len(lv.city_costs) > 1 or len(lv.rural_costs) > 1 for lv in specialty.levels):
        summary.append("ℹ️ " + _("The decree lists several rates: the cost depends on the college."))
    notes = (defect_note(_, d) for d in catalog.defects_for(specialty, decree.id))
    summary += ["⚠️ " + note for note in notes if note]
    parts.append("\n".join(s for s in summary if s))
    appendices = sorted({lv.appendix for lv in specialty.levels})
    link = deep_link(bot_username, specialty, decree.id if len(catalog.decrees) > 1 else None)
    parts.append(source_line(_, decree, appendices) + "\n" + link)
    return "\n\n".join(parts)


def defect_note(_: Translate, defect: DefectRecord) -> str:
    template = DEFECT_NOTES.get(defect.kind)
    if template is None:
        return ""
    return _(template).format(printed=escape(defect.printed), stored=escape(defect.stored))


def short_summary(_: Translate, specialty: Specialty) -> str:
    """One line for lists and inline results: places and the lowest city cost."""
    cheapest = min((c for lv in specialty.levels for c in lv.city_costs), default=None)
    text = _.plural("{seats} place", "{seats} places", specialty.seats).format(
        seats=specialty.seats
    )
    if cheapest is not None:
        text += " · " + _("from {cost} a year").format(cost=money(cheapest))
    return text
