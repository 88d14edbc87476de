"""The decree's table as a counselor opens it in Excel: headers in the user's language,
level names, the Kazakh name and its Russian (and for English readers, English)
translation, city and rural spending in separate numeric columns (one column per rate
when a cell prints several), the decree's defects in a note column; a second sheet says
where the numbers come from, what they mean, and which printed totals do not add up."""

from __future__ import annotations

from bot import cards
from bot.i18n import Translate
from store.catalog import DecreeView
from store.export import Cell, Column, Sheet
from store.model import Defect, DefectKind, Row, Translations


def _rate_columns(_: Translate, where: str, count: int) -> list[Column]:
    """One numeric column per rate: "City, ₸ per student a year" (rate 1, rate 2...)."""
    if where == "city":
        one = _("City: state spending per student a year, ₸")
        several = _("City: state spending per student a year, ₸, rate {number}")
    else:
        one = _("Rural: state spending per student a year, ₸")
        several = _("Rural: state spending per student a year, ₸, rate {number}")
    if count <= 1:
        return [Column(one, "number")]
    return [Column(several.format(number=n), "number") for n in range(1, count + 1)]


def _padded(values: tuple[int, ...], count: int) -> list[Cell]:
    return [*values, *([None] * (count - len(values)))]


def _note(_: Translate, view: DecreeView, row: Row) -> str:
    found = [
        d
        for d in view.decree.defects
        if (d.appendix, d.row) == (row.appendix, row.row) and d.kind in cards.DEFECT_NOTES
    ]
    return " ".join(cards.plain_text(cards.defect_note(_, d)) for d in found)


def rows_sheet(_: Translate, language: str, view: DecreeView) -> Sheet:
    """Every row of the decree, in its order."""
    decree = view.decree
    city = max((len(r.city_costs) for r in decree.rows), default=1)
    rural = max((len(r.rural_costs) for r in decree.rows), default=1)
    english = language == "en"
    columns = [
        Column(_("Appendix"), "number"),
        Column(_("Level"), "text"),
        Column(_("Row"), "number"),
        Column(_("Field code"), "text"),
        Column(_("Field of education (as in the decree)"), "text"),
        Column(_("Specialty code"), "text"),
        Column(_("Code as printed"), "text"),
        Column(_("Name in the decree (Kazakh)"), "text"),
        Column(_("Name in Russian (translation, not from the decree)"), "text"),
        *([Column(_("Name in English (translation, not from the decree)"), "text")] * english),
        Column(_("State-funded places (free for the student)"), "number"),
        *_rate_columns(_, "city", city),
        *_rate_columns(_, "rural", rural),
        Column(_("Note"), "text"),
    ]
    rows: list[tuple[Cell, ...]] = []
    for r in decree.rows:
        group = view.group(r.appendix, r.group_code)
        specialty = view.specialty(r.specialty_id)
        names = specialty.translations if specialty else Translations()
        rows.append(
            (
                r.appendix,
                cards.level_name(_, view.level_kind(r.appendix)),
                r.row,
                r.group_code,
                group.name if group else "",
                r.code,
                r.code_raw,
                r.name,
                names.ru,
                *([names.en] * english),
                r.seats,
                *_padded(r.city_costs, city),
                *_padded(r.rural_costs, rural),
                _note(_, view, r),
            )
        )
    return Sheet(_("Places"), tuple(columns), tuple(rows))


def about_sheet(_: Translate, language: str, view: DecreeView) -> Sheet:
    """Where the numbers come from and what they mean; totals that do not add up."""
    decree = view.decree
    lines = [
        decree.title,
        cards.plain_text(cards.source_line(_, language, view)),
        _("A state-funded place is free for the student: the state pays for the training."),
        _(
            "The amounts are the state's average spending on one student for one academic "
            "year, in a city college and in a rural one; they are not a fee."
        ),
        *(
            f"{cards.level_name(_, a.kind)}: {cards.level_line(_, a.kind)}"
            for a in decree.appendices
        ),
        _("Names in Russian and English are translations, not from the decree."),
    ]
    lines += [
        _group_defect(_, view, d)
        for d in decree.defects
        if d.kind in (DefectKind.TOTAL_MISMATCH, DefectKind.GROUP_NAMES)
    ]
    return Sheet(
        _("About"), (Column(_("About this table"), "text"),), tuple((line,) for line in lines)
    )


def _group_defect(_: Translate, view: DecreeView, defect: Defect) -> str:
    """A defect of an appendix or a field heading, as a line of the About sheet."""
    group = view.group(defect.appendix or 0, defect.group_code or "")
    place = _.plural("appendix {numbers}", "appendices {numbers}", 1).format(
        numbers=defect.appendix
    )
    if group:
        place += f", {group.code} {group.name}"
    if defect.kind == DefectKind.GROUP_NAMES:
        return _("{place}: the decree names this field «{printed}», elsewhere «{stored}»").format(
            place=place, printed=defect.printed, stored=defect.stored
        )
    return _("{place}: printed {printed}, rows add up to {computed}").format(
        place=place, printed=defect.printed, computed=defect.stored
    )


def decree_sheets(_: Translate, language: str, view: DecreeView) -> list[Sheet]:
    return [rows_sheet(_, language, view), about_sheet(_, language, view)]
