"""The conversation, as both Telegram and the console chat get it."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

import pytest

from bot.answers import Answers, Asker
from bot.cards import money, rates
from bot.console import Console, plain
from bot.reply import Choice
from store.catalog import Catalog
from store.ingest import ingest, shipped_source
from tests.helpers import WELDING, other_decree


@pytest.fixture
def answers(catalog: Catalog) -> Answers:
    return Answers(catalog)


def all_data(reply) -> list[str]:
    return [b.data for row in reply.buttons for b in row if b.data]


def test_money_is_written_for_people() -> None:
    assert money(421909) == "421 909 ₸"
    assert money(1231599) == "1 231 599 ₸"
    assert rates((465161, 552703)) == "465 161 ₸ / 552 703 ₸"


def test_card_shows_the_decree_facts(answers: Answers) -> None:
    reply = answers.search(Asker("en"), "сварщик")
    text = plain(reply.text)
    assert WELDING in text
    assert "Workers' qualifications · code 07150500" in text
    assert "State-funded places: 447" in text
    assert "State-funded places: 35" in text
    assert "city 465 161 ₸ / 552 703 ₸ · rural 511 788 ₸ / 599 330 ₸" in text
    assert "Total places: 482" in text
    assert "the cost depends on the college" in text
    assert "43/19" in text and "06.08.2025" in text
    assert "https://t.me/mamandyq_bot?start=s" in text


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_decree_name_is_always_shown(answers: Answers, language: str) -> None:
    text = plain(answers.search(Asker(language), "сварщик").text)
    assert WELDING in text
    assert "447" in text


def test_a_translated_name_is_labelled_as_not_from_the_decree(answers: Answers) -> None:
    assert "not from the decree" in answers.search(Asker("en"), "сварщик").text
    assert "Translation" not in answers.search(Asker("kk"), "сварщик").text


def test_a_defect_of_the_decree_is_shown_on_the_card(answers: Answers) -> None:
    # Appendix 1 row 30 prints a rural rate "873 4433"; Фармация's code is printed with 7 digits.
    building = plain(answers.search(Asker("en"), "Ғимараттар мен құрылыстарды салу").text)
    assert "873 4433" in building
    pharmacy = plain(answers.search(Asker("en"), "Фармация").text)
    assert "9160100" in pharmacy and "09160100" in pharmacy


def test_ambiguous_query_offers_buttons(answers: Answers) -> None:
    reply = answers.search(Asker("ru"), "электрик")
    data = all_data(reply)
    assert 2 <= len(data) <= 6
    assert all(d.startswith("c:") and len(d.encode()) <= 64 for d in data)


def test_no_match_says_so_and_offers_browsing(answers: Answers) -> None:
    reply = answers.search(Asker("en"), "<b>юрист</b>")
    assert not reply.found
    assert "&lt;b&gt;юрист&lt;/b&gt;" in reply.text  # echoed, escaped
    assert all_data(reply) == ["b:0"]


def test_browse_down_to_a_card_and_back(answers: Answers) -> None:
    asker = Asker("en")
    fields = answers.browse(asker)
    assert "f:07:0" in all_data(fields)
    field = answers.press(asker, "f:07:0")
    first = all_data(field)[0]
    assert first.startswith("c:") and first.endswith(":07:0")
    card = answers.press(asker, first)
    assert card.edit and "f:07:0" in all_data(card)
    again = answers.press(asker, "f:07:0")
    assert again.text == field.text


def test_field_pages_cover_every_specialty_once(answers: Answers, catalog: Catalog) -> None:
    asker = Asker("en")
    seen: list[str] = []
    page = 0
    while True:
        reply = answers.press(asker, f"f:07:{page}")
        seen += [d.split(":")[1] for d in all_data(reply) if d.startswith("c:")]
        if f"f:07:{page + 1}" not in all_data(reply):
            break
        page += 1
    in_field = [
        s.id for s in catalog.decree().specialties if any(r.group_code == "07" for r in s.rows)
    ]
    assert sorted(seen) == sorted(in_field)


@pytest.mark.parametrize(
    "data", ["c:zzzzzzz", "garbage", "f:99:7", "b:x", "l:de", "r:nope", "c:1:2:x", ""]
)
def test_stale_or_forged_buttons_get_a_polite_answer(answers: Answers, data: str) -> None:
    reply = answers.press(Asker("en"), data)
    assert "out of date" in reply.text


def test_language_button_changes_the_language(answers: Answers) -> None:
    reply = answers.press(Asker("en"), "l:kk")
    assert reply.choice == Choice(language="kk")
    assert "қазақша" in reply.text.lower()  # said in the chosen language


def test_deep_link_opens_the_card(answers: Answers, catalog: Catalog) -> None:
    welding = next(s for s in catalog.decree().specialties if s.name == WELDING)
    reply = answers.start(Asker("ru"), [f"s{welding.id}"])
    assert WELDING in reply.text and "447" in reply.text


def test_export_is_the_whole_table(answers: Answers) -> None:
    reply = answers.export(Asker("en"))
    assert reply.document is not None
    rows = list(csv.DictReader(io.StringIO(reply.document.content.decode("utf-8-sig"))))
    assert len(rows) == 132
    weld = next(r for r in rows if r["name"] == WELDING and r["appendix"] == "1")
    assert weld["city_costs"] == "465161|552703"


def test_about_reports_places_per_level_and_totals_that_do_not_add_up(answers: Answers) -> None:
    text = plain(answers.about(Asker("en")).text)
    assert "Workers' qualifications: 3790" in text
    assert "Mid-level specialists: 5238" in text
    assert "Post-secondary education: 272" in text
    assert "Total: 9300" in text
    assert "printed 585, rows add up to 580" in text
    assert "printed 1505, rows add up to 1510" in text


def test_regions_with_one_decree_asks_nothing(answers: Answers) -> None:
    reply = answers.regions(Asker("en"))
    assert reply.buttons == ()


def test_console_numbers_buttons_and_presses_them(answers: Answers) -> None:
    out = io.StringIO()
    console = Console(answers, "en", out)
    console.handle("электрик")
    assert "[1]" in out.getvalue()
    console.handle("1")
    assert "State-funded places" in out.getvalue()
    console.handle("/about")
    assert "Total: 9300" in out.getvalue()


def test_console_and_bot_say_the_same(answers: Answers) -> None:
    out = io.StringIO()
    Console(answers, "ru", out).handle("повар")
    assert (
        out.getvalue().strip().startswith(plain(answers.search(Asker("ru"), "повар").text).strip())
    )


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
    ulytau = next(v.id for v in two_decrees.views if v.decree.region == "Ұлытау облысы")

    chosen = answers.press(asker, f"r:{ulytau}")
    assert chosen.choice == Choice(decree_id=ulytau)
    assert "Ұлытау облысы" in chosen.text
    asker = replace(asker, decree_id=ulytau)

    card = plain(answers.search(asker, "сварщик").text)
    assert "State-funded places: 300" in card and "12/3" in card
    assert f"-{ulytau}" in card.splitlines()[-1]  # its link opens this decree's card
    default = plain(answers.search(Asker("en"), "сварщик").text)
    assert "State-funded places: 447" in default and "43/19" in default


def test_a_deep_link_can_name_its_decree(two_decrees: Catalog) -> None:
    answers = Answers(two_decrees)
    ulytau = next(v.id for v in two_decrees.views if v.decree.region == "Ұлытау облысы")
    welding = next(s for s in two_decrees.decree(ulytau).specialties if s.name == WELDING)
    card = plain(answers.start(Asker("en"), [f"s{welding.id}-{ulytau}"]).text)
    assert "State-funded places: 300" in card


def test_a_field_code_lists_the_field_with_pages(answers: Answers) -> None:
    reply = answers.search(Asker("en"), "07")
    assert reply.text.startswith("<b>07 Инженерлік, өңдеу және құрылыс салалары</b>")
    assert "f:07:1" in all_data(reply)  # more pages to come


def test_a_longer_code_prefix_says_how_many_it_shows(answers: Answers) -> None:
    reply = answers.search(Asker("en"), "071")
    assert reply.text.startswith("6 of ")
    assert len(all_data(reply)) == 6


def test_a_weak_guess_is_a_question_with_a_button(answers: Answers) -> None:
    reply = answers.search(Asker("en"), "охранник")
    assert reply.found
    assert all_data(reply)
    assert reply.text in (
        "Did you mean this specialty?",
        "Several specialties fit. Which one do you mean?",
    )


def test_the_page_number_button_does_nothing(answers: Answers) -> None:
    reply = answers.browse(Asker("en"))
    page_button = next(b for row in reply.buttons for b in row if b.text == "1/2")
    assert answers.press(Asker("en"), page_button.data or "") is None


def test_console_takes_a_code_with_a_leading_zero_as_a_search(answers: Answers) -> None:
    out = io.StringIO()
    console = Console(answers, "en", out)
    console.handle("/top")  # ten numbered buttons
    before = len(out.getvalue())
    console.handle("06130100")
    assert out.getvalue()[before:].startswith("Бағдарламалық қамтамасыз ету (түрлері бойынша)")
    console.handle("/")  # an empty command shows the help, no crash
    assert "/browse" in out.getvalue()
