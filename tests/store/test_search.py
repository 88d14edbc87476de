"""Search finds what people mean, in every way they type it, and admits when nothing fits.

Expected names are the decree's own names (tests/data/expected_rows.tsv).
"""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store.catalog import Catalog
from store.search import CONFIDENT_SCORE, _code_query, skeleton_words

WELDING = "Дәнекерлеу ісі (түрлері бойынша)"
SOFTWARE = "Бағдарламалық қамтамасыз ету (түрлері бойынша)"
NURSING = "Мейіргер ісі"
CATERING = "Тамақтандыруды ұйымдастыру"
ELECTRICAL = "Электр жабдықтары (түрлері және салалары бойынша)"
POWER_SUPPLY = "Электрмен қамтамасыз ету (салалар бойынша)"


def top(catalog: Catalog, query: str) -> str | None:
    result = catalog.search(query)
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
    assert catalog.search(query).matches == ()


def test_equally_good_specialties_make_an_ambiguous_answer(catalog: Catalog) -> None:
    result = catalog.search("электрик")
    names = [m.specialty.name for m in result.matches]
    assert result.ambiguous
    assert {ELECTRICAL, POWER_SUPPLY} <= set(names[:3])


def test_a_confident_answer_is_not_ambiguous(catalog: Catalog) -> None:
    result = catalog.search("сварщик")
    assert not result.ambiguous
    assert result.matches[0].score >= 90


@pytest.mark.parametrize("query", ["06130100", "6130100", "0613 0100", "0613  0100"])
def test_codes_in_every_printed_form(catalog: Catalog, query: str) -> None:
    result = catalog.search(query)
    assert [m.specialty.name for m in result.matches] == [SOFTWARE]
    assert result.by_code


def test_the_seven_digit_code_as_printed_and_as_normalised(catalog: Catalog) -> None:
    # The decree prints Фармация's code as 9160100 (a 7-digit code).
    assert top(catalog, "9160100") == "Фармация"
    assert top(catalog, "09160100") == "Фармация"


def test_one_code_naming_two_specialties_returns_both(catalog: Catalog) -> None:
    # 01140200 is Музыкалық білім беру in appendix 2 and Дене тәрбиесі және спорт in appendix 3.
    result = catalog.search("01140200")
    assert {m.specialty.name for m in result.matches} == {
        "Музыкалық білім беру",
        "Дене тәрбиесі және спорт",
    }
    assert result.ambiguous


def test_a_code_prefix_lists_what_starts_with_it(catalog: Catalog) -> None:
    result = catalog.search("0613", limit=20)
    assert [m.specialty.name for m in result.matches] == [SOFTWARE]
    result = catalog.search("06", limit=20)
    assert {m.specialty.name for m in result.matches} == {
        "Есептеу техникасы және ақпараттық желілер (түрлері бойынша)",
        "Ақпараттық қауіпсіздік жүйелері",
        SOFTWARE,
    }


def test_a_match_carries_every_level_with_places_and_costs(catalog: Catalog) -> None:
    welding = catalog.search("сварщик").matches[0].specialty
    by_appendix = {lv.appendix: lv for lv in welding.levels}
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
def test_any_text_gives_a_valid_result_quickly(catalog: Catalog, text: str) -> None:
    start = time.perf_counter()
    result = catalog.engine().search(text)  # uncached: the engine's own time
    elapsed = time.perf_counter() - start
    assert elapsed < 0.010
    assert all(0 <= m.score <= 100 for m in result.matches)
    assert len({m.specialty.id for m in result.matches}) == len(result.matches)
    confident = bool(result.matches) and result.matches[0].score >= CONFIDENT_SCORE
    assert not result.ambiguous or len(result.matches) > 1 or not confident


def test_a_4096_character_message_is_answered_quickly(catalog: Catalog) -> None:
    text = "сварщик " * 512
    start = time.perf_counter()
    result = catalog.engine().search(text)
    assert time.perf_counter() - start < 0.010
    assert result.matches[0].specialty.name == WELDING


def test_the_catalog_answers_a_repeated_question_from_its_cache(catalog: Catalog) -> None:
    assert catalog.search("повар") is catalog.search("повар")
    assert catalog.search("повар") == catalog.engine().search("повар")


def test_a_weak_best_guess_is_asked_not_told(catalog: Catalog) -> None:
    # "охранник" (a guard) resembles "қорғау" (protection) in a name, but is not in the decree.
    result = catalog.search("охранник")
    assert not result.matches or result.ambiguous


def test_a_code_prefix_says_how_many_fit(catalog: Catalog) -> None:
    result = catalog.search("07", limit=6)
    assert len(result.matches) == 6
    assert result.total == 46  # the field 07 specialties of the decree
