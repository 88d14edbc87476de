"""Search finds what people mean, in every way they type it, and admits when nothing fits.

Expected names are the decree's own names (tests/data/expected_rows.tsv).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store.catalog import Catalog
from store.search import CONFIDENT_SCORE, _code_query, skeleton_words
from tests.helpers import CATERING, ELECTRICAL, NURSING, POWER_SUPPLY, SOFTWARE, WELDING


def search(catalog: Catalog, query: str, limit: int = 6):
    return catalog.decree().search(query, limit)


def top(catalog: Catalog, query: str) -> str | None:
    result = search(catalog, query)
    return result.matches[0].specialty.name if result.matches else None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # exact and partial Kazakh names, any case and spacing
        ("Мейіргер ісі", NURSING),
        ("  бағдарламалық   ҚАМТАМАСЫЗ ету ", SOFTWARE),
        ("акушерлік", "Акушерлік іс"),
        ("кітапхана", "Кітапхана ісі"),
        # Kazakh without Kazakh letters, and in Latin script
        ("багдарламалык камтамасыз ету", SOFTWARE),
        ("мейиргер иси", NURSING),
        ("Bağdarlamalyq qamtamasyz etu", SOFTWARE),
        ("bagdarlamalyk", SOFTWARE),
        ("Meiırger ısı", NURSING),
        ("Danekerleu isi", WELDING),
        # typos
        ("дәнекерлеу ішсі", WELDING),
        ("Бағдарламалқ", SOFTWARE),
        ("Сестринское дел", NURSING),
        # Russian names and occupations, Russian and Kazakh
        ("Программное обеспечение", SOFTWARE),
        ("Сварочное дело", WELDING),
        ("сварщик", WELDING),
        ("программист", SOFTWARE),
        ("медсестра", NURSING),
        ("повар", CATERING),
        ("аспаз", CATERING),
        ("мейірбике", NURSING),
        ("welder", WELDING),
        # sentences: filler words do not decide
        ("бағдарламалық қамтамасыз ету бойынша қанша орын бар", SOFTWARE),
        ("стоимость обучения на медсестру", NURSING),
        ("сколько мест на сварщика", WELDING),
    ],
)
def test_finds_the_specialty(catalog: Catalog, query: str, expected: str) -> None:
    assert top(catalog, query) == expected


@pytest.mark.parametrize(
    "query",
    ["юрист", "hello", "🙂", "asdf", "qwerty", "", "   ", "моряк", "сәлем қалайсың", "0712 0100"],
)
def test_nothing_in_the_decree_means_no_match(catalog: Catalog, query: str) -> None:
    assert search(catalog, query).matches == ()


def test_equally_good_specialties_make_an_ambiguous_answer(catalog: Catalog) -> None:
    result = search(catalog, "электрик")
    names = [m.specialty.name for m in result.matches]
    assert result.ambiguous
    assert {ELECTRICAL, POWER_SUPPLY} <= set(names[:3])


def test_a_confident_answer_is_not_ambiguous(catalog: Catalog) -> None:
    result = search(catalog, "сварщик")
    assert not result.ambiguous
    assert result.matches[0].score >= 90


@pytest.mark.parametrize("query", ["06130100", "6130100", "0613 0100", "0613  0100"])
def test_codes_in_every_printed_form(catalog: Catalog, query: str) -> None:
    result = search(catalog, query)
    assert [m.specialty.name for m in result.matches] == [SOFTWARE]
    assert result.by_code


def test_the_seven_digit_code_as_printed_and_as_normalised(catalog: Catalog) -> None:
    # The decree prints Фармация's code as 9160100 (a 7-digit code).
    assert top(catalog, "9160100") == "Фармация"
    assert top(catalog, "09160100") == "Фармация"


def test_one_code_naming_two_specialties_returns_both(catalog: Catalog) -> None:
    # 01140200 is Музыкалық білім беру in appendix 2 and Дене тәрбиесі және спорт in appendix 3.
    result = search(catalog, "01140200")
    assert {m.specialty.name for m in result.matches} == {
        "Музыкалық білім беру",
        "Дене тәрбиесі және спорт",
    }
    assert result.ambiguous


def test_a_code_prefix_lists_what_starts_with_it(catalog: Catalog) -> None:
    result = search(catalog, "0613", limit=20)
    assert [m.specialty.name for m in result.matches] == [SOFTWARE]
    result = search(catalog, "06", limit=20)
    assert {m.specialty.name for m in result.matches} == {
        "Есептеу техникасы және ақпараттық желілер (түрлері бойынша)",
        "Ақпараттық қауіпсіздік жүйелері",
        SOFTWARE,
    }


def test_a_match_carries_every_level_with_places_and_costs(catalog: Catalog) -> None:
    welding = search(catalog, "сварщик").matches[0].specialty
    by_appendix = {row.appendix: row for row in welding.rows}
    assert by_appendix[1].seats == 447
    assert by_appendix[1].city_costs == (465161, 552703)
    assert by_appendix[1].rural_costs == (511788, 599330)
    assert by_appendix[2].seats == 35
    assert welding.codes == ["07150500"]


def test_every_script_folds_to_one_skeleton() -> None:
    assert skeleton_words("Бағдарламалық") == skeleton_words("багдарламалык")
    assert skeleton_words("Bağdarlamalyq") == skeleton_words("bagdarlamalyk")
    assert skeleton_words("Жиһаз өндірісі") == skeleton_words("Jihaz öndirisi")
    assert skeleton_words("Жиһаз") == skeleton_words("Zhihaz")


def test_digits_are_codes_only_without_words() -> None:
    assert _code_query("0613 0100") == ["06130100"]
    assert _code_query("сколько мест 06130100") == ["06130100"]
    assert _code_query("9 класс программист") == []


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_a_valid_result(catalog: Catalog, text: str) -> None:
    """(How fast is measured by benchmarks/search_accuracy.py, not here.)"""
    result = catalog.decree().engine.search(text)
    assert all(0 <= m.score <= 100 for m in result.matches)
    assert len({m.specialty.id for m in result.matches}) == len(result.matches)
    confident = bool(result.matches) and result.matches[0].score >= CONFIDENT_SCORE
    assert not result.ambiguous or len(result.matches) > 1 or not confident


def test_a_4096_character_message_is_answered(catalog: Catalog) -> None:
    result = catalog.decree().engine.search("сварщик " * 512)
    assert result.matches[0].specialty.name == WELDING


def test_the_catalog_answers_a_repeated_question_from_its_cache(catalog: Catalog) -> None:
    assert search(catalog, "повар") is search(catalog, "повар")
    assert search(catalog, "повар") == catalog.decree().engine.search("повар")


def test_a_weak_best_guess_is_asked_not_told(catalog: Catalog) -> None:
    # "охранник" (a guard) resembles "қорғау" (protection) in a name, but is not in the decree.
    result = search(catalog, "охранник")
    assert not result.matches or result.ambiguous


def test_a_code_prefix_says_how_many_fit(catalog: Catalog) -> None:
    result = search(catalog, "07", limit=6)
    assert len(result.matches) == 6
    assert result.total == 46  # the field 07 specialties of the decree
