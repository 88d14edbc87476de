"""The conversation, as both Telegram and the console chat get it.

Expected facts come from the hand transcription (tests/data/expected_rows.tsv), the
reviewed data files (aliases.json for translated names, regions.json for region names)
and the catalogues (read through `bot.i18n.translator` by their English ids).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import deque
from dataclasses import replace
from datetime import date
from importlib import resources

import openpyxl
import pytest

from bot import callbacks as cb
from bot.answers import Answers, Asker, after_grade
from bot.cards import MAX_BUTTON_TEXT, money, rates
from bot.console import Console, plain
from bot.i18n import translator
from bot.reply import Choice, Reply
from store.catalog import Catalog
from store.ingest import ingest, shipped_source
from store.search import Kind, Match, SearchResult, Topic
from tests.helpers import (
    CATERING,
    FIGURES,
    ITALICS,
    LEVEL_PLACES,
    LEVELS,
    NURSING,
    PAGE,
    REGION,
    REGION_OF,
    SHORT_LEVELS,
    SOURCE,
    SPENDING,
    TOTAL_PLACES,
    UNKNOWN_LINK,
    WELDING,
    YEAR_BEGUN,
    ScriptedCatalog,
    decree_date,
    expected_groups,
    expected_rows,
    levels_of,
    other_decree,
    top_ten,
)

LANGUAGES = ("kk", "ru", "en")
TODAY = date(2026, 12, 1)
CONFECTIONERY = "Нан пісіру, макарон және кондитер өндірісі"
FOOD_TECHNOLOGY = "Тағам өндірісінің технологиясы"


@pytest.fixture
def answers(catalog: Catalog) -> Answers:
    return Answers(catalog, today=lambda: TODAY)


def all_data(reply: Reply) -> list[str]:
    return [b.data for row in reply.buttons for b in row if b.data]


def all_buttons(reply: Reply) -> list:
    return [b for row in reply.buttons for b in row]


def aliases() -> dict[str, dict]:
    text = (resources.files("store") / "data" / "aliases.json").read_text(encoding="utf-8")
    return {entry["name"]: entry for entry in json.loads(text)}


def translated(name: str, language: str) -> str:
    """The labelled translation a list shows: aliases.json's ru/en; none in Kazakh, nor when
    it is the decree's name itself ("Архитектура")."""
    found = "" if language == "kk" else aliases()[name][language]
    return "" if found.casefold() == name.casefold() else found


def parts(language: str, levels: dict[int, int], joiner: str = " + ") -> str:
    _ = translator(language)
    return joiner.join(f"{_(SHORT_LEVELS[a])} {seats}" for a, seats in sorted(levels.items()))


def result(catalog: Catalog, kind: Kind, *names: str, **fields) -> SearchResult:
    """A hand-built search result (what the search engine will give for such a query)."""
    by_name = {s.name: s for s in catalog.decree().specialties}
    matches = tuple(Match(by_name[n], 95.0) for n in names)
    return SearchResult("scripted", matches, kind, total=len(matches), **fields)


def scripted(catalog: Catalog, results: dict[str, SearchResult]) -> Answers:
    return Answers(ScriptedCatalog(catalog, results), today=lambda: TODAY)  # type: ignore[arg-type]


def test_money_is_written_for_people() -> None:
    assert money(421909) == "421 909 ₸"
    assert money(1231599) == "1 231 599 ₸"
    assert rates((465161, 552703)) == "465 161 ₸ / 552 703 ₸"


# Cards: what the numbers are, level by level


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_card_says_places_are_free_and_amounts_are_the_states_spending(
    answers: Answers, language: str
) -> None:
    _ = translator(language)
    text = plain(answers.search(Asker(language), "сварщик").text)
    assert text.startswith(WELDING)
    assert _(LEVEL_PLACES).format(seats=447) in text
    assert _(LEVEL_PLACES).format(seats=35) in text
    city = rates((465161, 552703))
    assert _(SPENDING).format(city=city, rural=rates((511788, 599330))) in text
    assert _(SPENDING).format(city=money(465161), rural=money(511788)) in text
    assert _(LEVELS[1]) + " · " in text and _(LEVELS[2]) + " · " in text
    levels = levels_of(WELDING)
    assert _(TOTAL_PLACES).format(seats=482, parts=parts(language, levels)) in text
    assert "43/19" in text and decree_date(language) in text
    assert "https://t.me/mamandyq_bot?start=s" in text


@pytest.mark.parametrize("language", ["ru", "en"])
def test_no_answer_calls_the_states_spending_a_price(answers: Answers, language: str) -> None:
    asker = Asker(language)
    texts = [answers.search(asker, query).text for query in ("сварщик", "повар", "медсестра", "07")]
    texts += [answers.start(asker).text, answers.top(asker).text, answers.about(asker).text]
    texts += [
        answers.browse(asker).text,
        answers.command(asker, "compare", ["повар,", "сварщик"]).text,
    ]
    price = re.compile(r"стоимост|стоит|\bcosts?\b|\bfrom [\d ]+ ₸", re.IGNORECASE)
    assert not [t for t in texts if price.search(plain(t))]


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_level_is_explained_in_one_plain_line(answers: Answers, language: str) -> None:
    _ = translator(language)
    text = plain(answers.search(Asker(language), "медсестра").text)
    lines = text.splitlines()
    for level, line in (
        (
            LEVELS[2],
            "Training for technicians and other specialists; colleges take students "
            "after grade 9 or 11.",
        ),
        (LEVELS[3], "Only after grade 11 or a college, not after grade 9."),
    ):
        heading = next(i for i, t in enumerate(lines) if t.startswith(_(level) + " · "))
        assert lines[heading + 1] == _(line)
    levels = levels_of(NURSING)
    assert levels == {2: 455, 3: 32}
    assert _(TOTAL_PLACES).format(seats=487, parts=parts(language, levels)) in text
    of_these = "Of these, after grade 9: {seats} (post-secondary needs grade 11 or a college)"
    assert _(of_these).format(seats=455) in lines


@pytest.mark.parametrize(
    ("language", "query"),
    [
        ("ru", "хочу стать медсестрой после 9 класса"),
        ("kk", "мейіргер 9-сыныптан кейін"),
        ("en", "nurse after grade 9"),
    ],
)
def test_after_grade_9_post_secondary_places_are_not_added(
    catalog: Catalog, language: str, query: str
) -> None:
    answers = scripted(catalog, {query: result(catalog, Kind.CARD, NURSING)})
    _ = translator(language)
    text = plain(answers.search(Asker(language), query).text)
    assert _("Places after grade 9: {seats}").format(seats=455) in text.splitlines()
    not_counted = (
        "Post-secondary places ({seats}) are not counted: they need grade 11 or a college."
    )
    assert _(not_counted).format(seats=32) in text
    assert "487" not in text
    # The level open after grade 9 comes first.
    assert text.index(_(LEVELS[2]) + " · ") < text.index(_(LEVELS[3]) + " · ")


def test_a_post_secondary_only_specialty_says_there_is_nothing_after_grade_9(
    catalog: Catalog,
) -> None:
    # This decree orders every specialty below post-secondary too; drop one's appendix 2 row.
    assert levels_of(FOOD_TECHNOLOGY) == {2: 20, 3: 15}
    decree = catalog.decree().decree
    rows = tuple(r for r in decree.rows if not (r.name == FOOD_TECHNOLOGY and r.appendix == 2))
    answers = Answers(Catalog([replace(decree, rows=rows)]), today=lambda: TODAY)
    text = plain(answers.search(Asker("ru"), f"{FOOD_TECHNOLOGY} после 9 класса").text)
    nothing = (
        "After grade 9 there are no places for this specialty: the decree orders it as "
        "post-secondary only."
    )
    assert text.startswith(FOOD_TECHNOLOGY)
    assert "⚠️ " + translator("ru")(nothing) in text.splitlines()


@pytest.mark.parametrize(
    ("text", "grade"),
    [
        ("повар после 9 класса", 9),
        ("после 9-го класса", 9),
        ("9 кл", 9),
        ("аспаз 9 сыныптан кейін", 9),
        ("9-сыныптан кейін", 9),
        ("nurse after grade 9", 9),
        ("9th grade", 9),
        ("после девятого класса", 9),
        ("после 11 класса", None),
        ("код 09130100", None),
        ("повар 19 класс", None),
    ],
)
def test_grade_9_is_read_from_the_question(text: str, grade: int | None) -> None:
    assert after_grade(text) == grade


def test_a_translated_name_is_labelled_as_not_from_the_decree(answers: Answers) -> None:
    assert "not from the decree" in answers.search(Asker("en"), "сварщик").text
    assert "Translation" not in answers.search(Asker("kk"), "сварщик").text


def test_a_defect_of_the_decree_is_shown_on_the_card(answers: Answers) -> None:
    # Appendix 1 row 30 prints a rural rate "873 4433"; Фармация's code is printed with 7 digits.
    building = plain(answers.search(Asker("en"), "Ғимараттар мен құрылыстарды салу").text)
    assert "873 4433" in building
    pharmacy = plain(answers.search(Asker("en"), "Фармация").text)
    assert "9160100" in pharmacy and "09160100" in pharmacy


@pytest.mark.parametrize(
    ("name", "other"),
    [
        # Code 07210100: appendix 1 row 24 and appendix 3 row 7 of the decree.
        ("Ет және ет өнімдерін өндіру", "Тағам өндірісінің технологиясы"),
        ("Тағам өндірісінің технологиясы", "Ет және ет өнімдерін өндіру"),
    ],
)
def test_a_code_the_decree_gives_two_names_is_said_on_both_cards(
    answers: Answers, name: str, other: str
) -> None:
    card = plain(answers.search(Asker("en"), name).text)
    assert f"same code 07210100 to another name as well: «{other}»" in card


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_medical_card_names_its_field_once(answers: Answers, language: str) -> None:
    # The decree spells field 09 two ways (appendix 2 and appendix 3).
    spellings = {g["group_name"] for g in expected_groups() if g["group_code"] == "09"}
    assert len(spellings) == 2
    text = plain(answers.search(Asker(language), "медсестра").text)
    field = translator(language)("Field of education: {field}").split("{field}")[0]
    assert len([line for line in text.splitlines() if line.startswith(field)]) == 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_source_names_the_region_in_the_users_language(answers: Answers, language: str) -> None:
    _ = translator(language)
    text = plain(answers.search(Asker(language), "медсестра").text)
    source = _(SOURCE).format(
        region=REGION_OF[language],
        number="43/19",
        date=decree_date(language),
        year="2025-2026",
    )
    appendices = _.plural("appendix {numbers}", "appendices {numbers}", 2).format(numbers="2, 3")
    assert f"{source}; {appendices}" in text
    expected = {
        "ru": "Источник: постановление акимата Карагандинской области от 06.08.2025 № 43/19, "
        "2025-2026 учебный год; приложения 2, 3",
        # As the decree itself writes its date.
        "kk": "Дереккөз: Қарағанды облысы әкімдігінің 2025 жылғы 6 тамыздағы № 43/19 қаулысы, "
        "2025-2026 оқу жылы; 2, 3-қосымшалар",
        "en": "Source: Karaganda Region akimat decree No 43/19 of 06.08.2025, academic year "
        "2025-2026; appendices 2, 3",
    }
    assert expected[language] in text


# The greeting and deep links


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_greeting_names_the_region_and_the_year(catalog: Catalog, language: str) -> None:
    _ = translator(language)
    figures = _(FIGURES).format(
        region=REGION[language], year="2025-2026", number="43/19", date=decree_date(language)
    )
    begun = _(YEAR_BEGUN).format(year="2025-2026", intake=2025)
    before = plain(Answers(catalog, today=lambda: date(2025, 8, 20)).start(Asker(language)).text)
    assert figures in before.splitlines() and begun not in before
    during = plain(Answers(catalog, today=lambda: date(2025, 9, 1)).start(Asker(language)).text)
    assert figures in during.splitlines() and "⚠️ " + begun in during.splitlines()
    now = plain(Answers(catalog, today=lambda: TODAY).start(Asker(language)).text)
    assert "⚠️ " + begun in now.splitlines()


def test_deep_link_opens_the_card(answers: Answers, catalog: Catalog) -> None:
    welding = next(s for s in catalog.decree().specialties if s.name == WELDING)
    reply = answers.start(Asker("ru"), [f"s{welding.id}"])
    assert reply.text.startswith(f"<b>{WELDING}</b>") and "447" in reply.text


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("payload", ["szzzzzz", "hello", "s", "s-"])
def test_an_unknown_deep_link_says_so(answers: Answers, language: str, payload: str) -> None:
    _ = translator(language)
    text = plain(answers.start(Asker(language), [payload]).text)
    assert text.startswith("⚠️ " + _(UNKNOWN_LINK))
    assert plain(answers.start(Asker(language)).text) in text  # and greets


def test_a_link_to_a_decree_no_longer_loaded_shows_the_current_card(
    answers: Answers, catalog: Catalog
) -> None:
    welding = next(s for s in catalog.decree().specialties if s.name == WELDING)
    text = plain(answers.start(Asker("en"), [f"s{welding.id}-deadbeef"]).text)
    assert text.startswith("⚠️ This link was made for a decree the bot no longer has")
    assert WELDING in text and LEVEL_PLACES.format(seats=447) in text


# Lists: names in the user's language, with places, cut at words


def check_button(text: str, name: str, language: str, seats: int) -> None:
    """A specialty's button: its translation and its decree name (each possibly cut at a
    word boundary) and its places, within the length limit."""
    assert len(text) <= MAX_BUTTON_TEXT, text
    assert text.endswith(f" · {seats}"), text
    shown = re.sub(r"^\d+\. ", "", text.removeprefix("🔎 ")).removesuffix(f" · {seats}")
    names = [translated(name, language), name] if translated(name, language) else [name]
    pieces = shown.split(" · ")
    assert len(pieces) == len(names), text
    for piece, full in zip(pieces, names, strict=True):
        if piece.endswith("…"):
            head = piece.removesuffix("…")
            assert full.startswith(head), (piece, full)
            assert full[len(head)] in " ,(/", f"cut inside a word: {piece!r} of {full!r}"
        else:
            assert piece == full


@pytest.mark.parametrize("language", LANGUAGES)
def test_top_lists_names_in_the_users_language_with_places_per_level(
    answers: Answers, language: str
) -> None:
    _ = translator(language)
    reply = answers.top(Asker(language))
    text = plain(reply.text)
    names = top_ten()
    for number, name in enumerate(names, 1):
        block = [f"{number}. {name}"]
        if translated(name, language):
            block.append(translated(name, language))
        block.append(parts(language, levels_of(name), " · "))
        assert "\n".join(block) in text, block
    assert (_(ITALICS) in text) == (language != "kk")
    buttons = [b for b in all_buttons(reply) if b.callback and isinstance(b.callback, cb.TopCard)]
    assert len(buttons) == 10
    for number, (button, name) in enumerate(zip(buttons, names, strict=True), 1):
        assert button.text.startswith(f"{number}. ")
        check_button(button.text, name, language, sum(levels_of(name).values()))


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_choice_list_shows_each_option_with_its_places(answers: Answers, language: str) -> None:
    reply = answers.search(Asker(language), "электрик")
    picks = [b for b in all_buttons(reply) if isinstance(b.callback, cb.PickCard)]
    assert 2 <= len(picks) <= 6
    by_id = {s.id: s.name for s in answers.view(Asker(language)).specialties}
    text = plain(reply.text)
    for button in picks:
        name = by_id[button.callback.specialty_id]
        check_button(button.text, name, language, sum(levels_of(name).values()))
        assert name in text
        assert parts(language, levels_of(name), " · ") in text
    assert all(len(d.encode()) <= 64 for d in all_data(reply))


@pytest.mark.parametrize("language", LANGUAGES)
def test_browse_lists_every_field_with_places_per_level(answers: Answers, language: str) -> None:
    _ = translator(language)
    reply = answers.browse(Asker(language))
    text = plain(reply.text)
    per_field: dict[str, dict[int, int]] = {}
    for group in expected_groups():
        if group["group_code"] != "TOTAL":
            per_field.setdefault(group["group_code"], {})[int(group["appendix"])] = int(
                group["rows_sum"]
            )
    per_field = {c: per_field[c] for c in sorted(per_field, key=lambda c: (len(c), c))}
    for code, levels in per_field.items():
        assert parts(language, levels, " · ") in text, code
    buttons = all_buttons(reply)
    assert [b.callback for b in buttons] == [cb.FieldPage(code, 0) for code in per_field]
    for button, (code, levels) in zip(buttons, per_field.items(), strict=True):
        assert button.text.startswith(code + " ") and button.text.endswith(
            f" · {sum(levels.values())}"
        )
        assert len(button.text) <= MAX_BUTTON_TEXT
    if language == "ru":
        assert buttons[8].text.startswith("09 Здравоохранение и социальное")


def test_a_field_is_one_readable_message_per_page(answers: Answers, catalog: Catalog) -> None:
    asker = Asker("ru")
    _ = translator("ru")
    in_field = {r["name"] for r in expected_rows() if r["group_code"] == "07"}
    seen: list[str] = []
    reply = answers.press(asker, "f:07:0")
    pages = -(-len(in_field) // 10)
    for page in range(pages):
        assert reply is not None
        text = plain(reply.text)
        assert _(PAGE).format(page=page + 1, pages=pages) in text.splitlines()
        cards = [b for b in all_buttons(reply) if isinstance(b.callback, cb.Card)]
        assert 1 <= len(cards) <= 10
        for button in cards:
            name = next(
                s.name for s in catalog.decree().specialties if s.id == button.callback.specialty_id
            )
            levels = {a: s for a, s in levels_of(name).items()}
            assert "\n".join(filter(None, [name, translated(name, "ru"), ""])) in text
            assert parts("ru", levels, " · ") in text
            seen.append(name)
        data = all_data(reply)
        assert "b:0" in data  # up to all fields, on every page
        assert (f"f:07:{page - 1}" in data) == (page > 0)
        assert (f"f:07:{page + 1}" in data) == (page + 1 < pages)
        reply = answers.press(asker, f"f:07:{page + 1}")
    assert sorted(seen) == sorted(in_field)


def test_browse_down_to_a_card_and_back(answers: Answers) -> None:
    asker = Asker("en")
    fields = answers.browse(asker)
    assert "f:07:0" in all_data(fields)
    field = answers.press(asker, "f:07:0")
    first = next(d for d in all_data(field) if d.startswith("c:"))
    assert first.endswith(":07:0")
    card = answers.press(asker, first)
    assert card.edit and "f:07:0" in all_data(card)
    again = answers.press(asker, "f:07:0")
    assert again.text == field.text


def test_a_searched_card_leads_up_to_its_field(answers: Answers) -> None:
    card = answers.search(Asker("ru"), "сварщик")
    [up] = [b for b in all_buttons(card) if isinstance(b.callback, cb.FieldPage)]
    assert up.callback.code == "07"
    page = answers.press(Asker("ru"), up.data)
    assert WELDING in page.text


# No dead buttons


def crawl(answers: Answers, asker: Asker, roots: list[Reply], limit: int = 400) -> int:
    """Press every button reachable from `roots`; each must answer (no dead button) and
    none may be out of date. Returns how many were pressed."""
    queue = deque(roots)
    seen: set[str] = set()
    while queue and len(seen) < limit:
        reply = queue.popleft()
        for button in all_buttons(reply):
            assert button.data or button.switch_inline or button.url, button
            assert not isinstance(button.callback, cb.Nothing), button
            if not button.data or button.data in seen:
                continue
            seen.add(button.data)
            assert cb.decode(button.data) == button.callback
            answer = answers.press(asker, button.data)
            assert answer is not None, f"{button.text!r} does nothing"
            assert answer.text != answers.stale(asker).text, f"{button.text!r} is out of date"
            queue.append(answer)
    return len(seen)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_button_does_something(catalog: Catalog, language: str) -> None:
    answers = scripted(
        catalog,
        {
            "медицина": result(catalog, Kind.FIELD, field="09"),
            "сравни повар и кондитер": result(catalog, Kind.SEVERAL, CATERING, CONFECTIONERY),
            "грант": result(catalog, Kind.SMALLTALK, topic=Topic.FUNDING),
            "спасибо": result(catalog, Kind.SMALLTALK, topic=Topic.THANKS),
            "стоматолог": result(catalog, Kind.NONE, related_field="09"),
        },
    )
    asker = Asker(language)
    roots = [answers.start(asker), answers.top(asker), answers.browse(asker), answers.about(asker)]
    roots += [
        answers.search(asker, q)
        for q in (
            "электрик",
            "сварщик",
            "071",
            "медицина",
            "сравни повар и кондитер",
            "грант",
            "спасибо",
            "стоматолог",
            "юрист",
        )
    ]
    roots.append(answers.command(asker, "compare", ["повар,", "сварщик"]))
    assert crawl(answers, asker, roots) > 100


def test_old_page_counter_buttons_say_nothing(answers: Answers) -> None:
    assert answers.press(Asker("en"), cb.Nothing().encode()) is None
    assert not any(
        isinstance(b.callback, cb.Nothing) for b in all_buttons(answers.browse(Asker("en")))
    )


@pytest.mark.parametrize(
    "data",
    [
        "c:zzzzzzz",
        "garbage",
        "f:99:7",
        "b:x",
        "l:de",
        "r:nope",
        "c:1:2:x",
        "",
        "tc:zzzzzzz",
        "p:zzzzzzz",
        "p:",
        "v:zzzzzzz",
        "pc:zzzzzzz:a.b",
        "vc:a:b",
    ],
)
def test_stale_or_forged_buttons_get_a_polite_answer(answers: Answers, data: str) -> None:
    reply = answers.press(Asker("en"), data)
    assert "out of date" in reply.text


def test_a_one_item_comparison_button_is_out_of_date(answers: Answers, catalog: Catalog) -> None:
    welding = next(s for s in catalog.decree().specialties if s.name == WELDING)
    assert "out of date" in answers.press(Asker("en"), f"v:{welding.id}").text


def test_language_button_changes_the_language(answers: Answers) -> None:
    reply = answers.press(Asker("en"), "l:kk")
    assert reply.choice == Choice(language="kk")
    assert "қазақша" in reply.text.lower()  # said in the chosen language


# Comparing specialties


@pytest.mark.parametrize("language", LANGUAGES)
def test_compare_shows_specialties_side_by_side(answers: Answers, language: str) -> None:
    _ = translator(language)
    reply = answers.command(Asker(language), "compare", ["повар,", "кондитер"])
    text = plain(reply.text)
    assert levels_of(CATERING) == {1: 802, 2: 175} and levels_of(CONFECTIONERY) == {1: 40}
    assert text.startswith("⚖️ " + _("Comparison"))
    assert CATERING in text and CONFECTIONERY in text
    lines = text.splitlines()
    places = _("State-funded places (free for the student): {seats}")
    workers, mid = lines.index(_(LEVELS[1])), lines.index(_(LEVELS[2]))
    assert lines[workers + 1] == places.format(seats="1️⃣ 802 · 2️⃣ 40")
    city = _("Spending per student a year, city: {values}")
    assert lines[workers + 2] == city.format(
        values=f"1️⃣ {rates((465161, 509451, 780190))} · 2️⃣ {money(465161)}"
    )
    assert lines[mid + 1] == places.format(seats="1️⃣ 175 · 2️⃣ —")
    assert _("Total places at all levels: {seats}").format(seats="1️⃣ 977 · 2️⃣ 40") in lines
    opened = [b for b in all_buttons(reply) if isinstance(b.callback, cb.CompareCard)]
    assert len(opened) == 2
    card = answers.press(Asker(language), opened[1].data)
    assert card.edit and card.text.startswith(f"<b>{CONFECTIONERY}</b>")
    back = answers.press(Asker(language), all_data(card)[0])
    assert back.edit and back.text == reply.text


@pytest.mark.parametrize(
    "args", [["повар", "и", "сварщик", "и", "кондитер"], ["повар/сварщик/кондитер"]]
)
def test_compare_takes_three(answers: Answers, args: list[str]) -> None:
    text = plain(answers.command(Asker("ru"), "compare", args).text)
    assert "3️⃣" in text and WELDING in text


def test_compare_without_two_specialties_says_how(answers: Answers) -> None:
    usage = plain(answers.command(Asker("ru"), "compare", []).text)
    assert "/compare повар, кондитер" in usage
    one = answers.command(Asker("ru"), "compare", ["повар"])
    assert CATERING in plain(one.text) and "⚖️" not in one.text


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_query_naming_several_specialties_is_a_comparison(
    catalog: Catalog, language: str
) -> None:
    query = "сравни повар и кондитер"
    answers = scripted(catalog, {query: result(catalog, Kind.SEVERAL, CATERING, CONFECTIONERY)})
    text = plain(answers.search(Asker(language), query).text)
    assert text.startswith("⚖️ " + translator(language)("Comparison"))
    assert "1️⃣ 802 · 2️⃣ 40" in text


# Fields, small talk, no match


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_field_query_opens_the_fields_list(catalog: Catalog, language: str) -> None:
    answers = scripted(catalog, {"медицина": result(catalog, Kind.FIELD, field="09")})
    reply = answers.search(Asker(language), "медицина")
    medical = {r["name"] for r in expected_rows() if r["group_code"] == "09"}
    shown = {
        s.name
        for s in answers.view(Asker(language)).specialties
        if any(
            isinstance(b.callback, cb.Card) and b.callback.specialty_id == s.id
            for b in all_buttons(reply)
        )
    }
    assert shown == medical and len(medical) == 9
    assert plain(reply.text).startswith("09 Денсаулық сақтау және әлеуметтік қамтамасыз ету")
    assert not reply.edit


@pytest.mark.parametrize("language", LANGUAGES)
def test_small_talk_gets_a_proper_reply(catalog: Catalog, language: str) -> None:
    topics = {t.value: result(catalog, Kind.SMALLTALK, topic=t) for t in Topic}
    answers = scripted(catalog, topics)
    asker = Asker(language)
    _ = translator(language)
    assert answers.search(asker, "greeting").text == answers.start(asker).text
    assert answers.search(asker, "help").text == answers.help(asker).text
    assert answers.search(asker, "list").text == answers.browse(asker).text
    thanks = answers.search(asker, "thanks")
    assert thanks.text == _("You're welcome! Type another specialty whenever you like.")
    funding = plain(answers.search(asker, "funding").text)
    assert funding.startswith(_("Grants, free study and stipends"))
    assert (
        _(
            "The decree says nothing about stipends, dormitories, paid places or how the places "
            "are awarded: ask the college or the region's education department."
        )
        in funding
    )
    assert all(answers.search(asker, t.value).found for t in Topic)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_match_may_point_to_a_related_field(catalog: Catalog, language: str) -> None:
    answers = scripted(catalog, {"стоматолог": result(catalog, Kind.NONE, related_field="09")})
    _ = translator(language)
    reply = answers.search(Asker(language), "стоматолог")
    assert not reply.found
    assert plain(reply.text).startswith(
        _("The decree has no specialty matching «{query}».").format(query="стоматолог")
    )
    assert all_data(reply) == ["f:09:0", "b:0"]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("kk", "«Мұнай және газ ұңғымаларын бұрғылау» (07240700) — ұлттық сыныптауыштағы мамандық"),
        ("ru", "«Бурение нефтяных и газовых скважин» (07240700) — специальность национального"),
        ("en", "«Бурение нефтяных и газовых скважин» (07240700, name in Russian) is a specialty"),
    ],
)
def test_a_specialty_the_decree_does_not_fund_is_named_as_the_classifiers(
    answers: Answers, language: str, expected: str
) -> None:
    """07240700 is in data/classifier.json (from a public college list), not in the decree;
    a name shown in another language than the asker's says so."""
    reply = answers.search(Asker(language), "бурение нефтяных и газовых скважин")
    assert not reply.found
    assert plain(reply.text).startswith(expected)
    assert all_data(reply) == ["f:07:0", "b:0"]


def test_a_card_says_when_another_specialty_named_with_it_is_not_funded(
    answers: Answers,
) -> None:
    reply = answers.search(Asker("kk"), "повар и гостиничный бизнес")
    assert reply.found
    assert "«Гостиничный бизнес» (10130100, орысша атауы) — ұлттық сыныптауыштағы" in plain(
        reply.text
    )


def test_no_match_says_so_and_offers_browsing(answers: Answers) -> None:
    reply = answers.search(Asker("en"), "<b>qwzx</b>")
    assert not reply.found
    assert "&lt;b&gt;qwzx&lt;/b&gt;" in reply.text  # echoed, escaped
    assert all_data(reply) == ["b:0"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_question_about_another_region_says_whose_order_this_is(
    answers: Answers, language: str
) -> None:
    _ = translator(language)
    reply = answers.search(Asker(language), "Павлодар сварщик бюджет")
    text = plain(reply.text)
    assert not reply.found
    ours = {"kk": "Қарағанды облысының", "ru": "Карагандинской области"}.get(
        language, "Karaganda Region"
    )
    other = {"kk": "Павлодар облысы", "ru": "Павлодарская область"}.get(language, "Pavlodar Region")
    assert text.startswith(
        _(
            "This bot has the state educational order of {region} only (academic year {year})."
        ).format(region=ours, year="2025-2026")
    )
    assert f"«{other}»: " in text
    assert all_data(reply) == ["b:0"]


def test_a_profession_the_decree_does_not_train_points_to_its_field(answers: Answers) -> None:
    """A lawyer is trained at university: not in the decree, but field 04 is close."""
    reply = answers.search(Asker("en"), "<b>юрист</b>")
    assert not reply.found
    assert "&lt;b&gt;юрист&lt;/b&gt;" in reply.text
    assert all_data(reply) == ["f:04:0", "b:0"]


def test_a_field_code_lists_the_field_with_pages(answers: Answers) -> None:
    reply = answers.search(Asker("en"), "07")
    assert reply.text.startswith("<b>07 Инженерлік, өңдеу және құрылыс салалары")
    assert "f:07:1" in all_data(reply)  # more pages to come


def test_a_longer_code_prefix_says_how_many_it_shows(answers: Answers) -> None:
    reply = answers.search(Asker("en"), "071")
    assert plain(reply.text).startswith("6 of ")
    assert len([d for d in all_data(reply) if d.startswith("pc:")]) == 6


def test_a_weak_guess_is_a_question_with_a_button(answers: Answers) -> None:
    # One word of a long name ("Басқаруды құжаттамалық қамтамасыз ету және мұрағаттану"),
    # in another form: likely, not sure.
    reply = answers.search(Asker("en"), "мұрағаттану")
    assert reply.found
    assert plain(reply.text).startswith("Did you mean this specialty?")
    assert any(d.startswith("pc:") for d in all_data(reply))  # the button that opens its card


# /about, /top and charts


def test_about_reports_places_per_level_and_totals_that_do_not_add_up(answers: Answers) -> None:
    reply = answers.about(Asker("en"))
    text = plain(reply.text)
    assert "Workers' qualifications: 3790. Training for a trade" in text
    assert "Mid-level specialists: 5238. " in text
    assert "Post-secondary education: 272. Only after grade 11 or a college" in text
    assert "Total at all levels: 9300" in text
    assert "printed 585, rows add up to 580" in text
    assert "printed 1505, rows add up to 1510" in text
    assert reply.photo is not None


@pytest.mark.parametrize("language", LANGUAGES)
def test_about_and_top_carry_charts_in_the_users_language(answers: Answers, language: str) -> None:
    _ = translator(language)
    fields = answers.about(Asker(language)).photo
    assert fields.language == language
    assert fields.title.startswith(
        _("State-funded places by field of education and level, {region}, {year}").split("{")[0]
    )
    assert REGION[language] in fields.title
    assert [name for name, _v in fields.series] == [_(LEVELS[a]) for a in (1, 2, 3)]
    totals = {}
    for group in expected_groups():
        if group["group_code"] != "TOTAL":
            totals[group["group_code"]] = totals.get(group["group_code"], 0) + int(
                group["rows_sum"]
            )
    assert fields.totals == tuple(totals[c] for c in sorted(totals, key=lambda c: (len(c), c)))
    if language == "ru":
        assert "09 Здравоохранение и социальное обеспечение" in fields.labels
    top = answers.top(Asker(language)).photo
    assert len(top.labels) == 10
    assert top.totals == tuple(sum(levels_of(n).values()) for n in top_ten())


# /export


@pytest.mark.parametrize("language", LANGUAGES)
def test_export_is_an_excel_workbook_in_the_users_language(answers: Answers, language: str) -> None:
    _ = translator(language)
    reply = answers.export(Asker(language))
    assert reply.document is not None and reply.document.filename.endswith(".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(reply.document.content)).worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[:3] == [_("Appendix"), _("Level"), _("Row")]
    assert _("Name in Russian (translation, not from the decree)") in header
    assert len(list(sheet.iter_rows(min_row=2))) == 132


@pytest.mark.parametrize(("language", "separator"), [("kk", ";"), ("ru", ";"), ("en", ",")])
def test_export_csv_is_for_excel_in_the_users_language(
    answers: Answers, language: str, separator: str
) -> None:
    reply = answers.export(Asker(language), ["csv"])
    assert reply.document is not None and reply.document.filename.endswith(".csv")
    content = reply.document.content
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=separator))
    assert len(rows) == 132
    weld = next(r for r in rows if r["name"] == WELDING and r["appendix"] == "1")
    assert weld["city_costs"] == "465161|552703"


def test_regions_with_one_decree_asks_nothing(answers: Answers) -> None:
    reply = answers.regions(Asker("en"))
    assert reply.buttons == ()


def test_the_description_names_the_region_within_telegrams_limits(answers: Answers) -> None:
    for language in LANGUAGES:
        long, short = answers.description(language)
        assert REGION[language] in long and REGION[language] in short
        assert len(long) <= 512 and len(short) <= 120


# The console


def test_console_numbers_buttons_and_presses_them(answers: Answers, tmp_path) -> None:
    out = io.StringIO()
    console = Console(answers, "en", out, tmp_path)
    console.handle("электрик")
    assert "[1]" in out.getvalue()
    console.handle("1")
    assert "State-funded places" in out.getvalue()
    console.handle("/about")
    assert "Total at all levels: 9300" in out.getvalue()
    chart = tmp_path / "mamandyq-fields-en.png"
    assert f"[{chart}]" in out.getvalue() and chart.read_bytes().startswith(b"\x89PNG")


def test_console_and_bot_say_the_same(answers: Answers, tmp_path) -> None:
    out = io.StringIO()
    Console(answers, "ru", out, tmp_path).handle("повар")
    assert (
        out.getvalue().strip().startswith(plain(answers.search(Asker("ru"), "повар").text).strip())
    )


def test_console_takes_a_code_with_a_leading_zero_as_a_search(answers: Answers, tmp_path) -> None:
    out = io.StringIO()
    console = Console(answers, "en", out, tmp_path)
    console.handle("/top")  # ten numbered buttons
    before = len(out.getvalue())
    console.handle("06130100")
    assert out.getvalue()[before:].startswith("Бағдарламалық қамтамасыз ету (түрлері бойынша)")
    console.handle("/")  # an empty command shows the help, no crash
    assert "/browse" in out.getvalue()


# Several decrees


@pytest.fixture
def two_decrees(tmp_path) -> Catalog:
    """The shipped decree and a second one for another region, with other welding numbers."""
    other = other_decree(tmp_path)
    other.write_text(
        other.read_text(encoding="utf-8").replace("447 465 161/552 703", "300 465 161/552 703", 1),
        encoding="utf-8",
    )
    db = tmp_path / "two.db"
    ingest(shipped_source(), db)
    ingest(other, db)
    return Catalog.open(db)


def test_with_several_decrees_the_user_chooses_and_the_card_says_which(
    two_decrees: Catalog,
) -> None:
    answers = Answers(two_decrees)
    asker = Asker("en")
    menu = answers.regions(asker)
    choices = all_data(menu)
    assert len(choices) == 2 and all(d.startswith("r:") for d in choices)
    assert {b.text.split(" · ")[0].removeprefix("✅ ") for b in all_buttons(menu)} == {
        "Karaganda Region",
        "Ulytau Region",
    }
    ulytau = next(v.id for v in two_decrees.views if v.decree.region == "Ұлытау облысы")

    chosen = answers.press(asker, f"r:{ulytau}")
    assert chosen.choice == Choice(decree_id=ulytau)
    assert "Ulytau Region" in chosen.text
    asker = replace(asker, decree_id=ulytau)

    card = plain(answers.search(asker, "сварщик").text)
    assert LEVEL_PLACES.format(seats=300) in card and "12/3" in card
    assert f"-{ulytau}" in card.splitlines()[-1]  # its link opens this decree's card
    default = plain(answers.search(Asker("en"), "сварщик").text)
    assert LEVEL_PLACES.format(seats=447) in default and "43/19" in default


def test_a_deep_link_can_name_its_decree(two_decrees: Catalog) -> None:
    answers = Answers(two_decrees)
    ulytau = next(v.id for v in two_decrees.views if v.decree.region == "Ұлытау облысы")
    welding = next(s for s in two_decrees.decree(ulytau).specialties if s.name == WELDING)
    card = plain(answers.start(Asker("en"), [f"s{welding.id}-{ulytau}"]).text)
    assert LEVEL_PLACES.format(seats=300) in card


def test_region_buttons_of_two_decrees_of_one_region_and_year_differ(tmp_path) -> None:
    """Before: two identical buttons. The catalog gives each view a distinct label."""
    db = tmp_path / "two.db"
    ingest(shipped_source(), db)
    ingest(other_decree(tmp_path, region="Қарағанды облысының", number="44/1"), db)
    catalog = Catalog.open(db)
    assert len({v.label for v in catalog.views}) == 2
    buttons = [b.text for row in Answers(catalog).regions(Asker("en")).buttons for b in row]
    texts = [text.removeprefix("✅ ") for text in buttons]  # the mark of the current one aside
    assert len(texts) == 2 and len(set(texts)) == 2, texts
