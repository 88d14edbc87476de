"""Names as the decree lays them out (lines copied from store/data/decree-43-19.txt)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from store.names import (
    clean_name,
    close_letter_spacing,
    continues_word,
    is_word_tail,
    normalise_code,
)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("т і л  м е н  ", "тіл мен"),
        ("с а л а л а р  ", "салалар"),
        ("С ә н д і к  ", "Сәндік"),
        (" М у з ы к а  ", "Музыка"),  # the rest of "13 02150200 М у з ы к а  "
        ("Сандық техника ", "Сандық техника"),
        ("қ дизайн", "қ дизайн"),
        ("Дизайн ,  ", "Дизайн ,"),
        ("1 2 3", "1 2 3"),
        ("  ", ""),
    ],
)
def test_close_letter_spacing(line: str, expected: str) -> None:
    assert close_letter_spacing(line) == expected


@pytest.mark.parametrize("fragment", ["қ", "алық", "иялар", "у", "ы", "лған", "лық", "іне", "А"])
def test_word_tails(fragment: str) -> None:
    assert is_word_tail(fragment)


@pytest.mark.parametrize(
    "fragment", ["диагностика", "жылу", "бойынша)", "түрлері", "дизайн", "5", "", "өндірісі"]
)
def test_not_word_tails(fragment: str) -> None:
    assert not is_word_tail(fragment)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("Электромеханик", "алық"),
        ("мультимедиялы", "қ дизайн"),
        ("Тамақтандыруд", "ы ұйымдастыру"),
        ("шығармашылығ", "ы (түрлері"),
        ("Резеңке-техника", "лық өндірісі"),
    ],
)
def test_broken_words_continue(before: str, after: str) -> None:
    assert continues_word(before, after)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("Лабораториялық", "диагностика"),
        ("Жылу электр станцияларының", "жылу энергетикалық"),
        ("Сандық техника (түрлері", "бойынша)"),
        ("Маркетинг (", "салалар"),
        ("қызмет көрсету,", "жөндеу және"),
        ("Электромеханик", "Алық"),  # a capital starts a new word
        ("жұмыс", "ы"),  # too short to have been broken by the cell width
        ("", "ы"),
        ("мультимедиялы", ""),
    ],
)
def test_separate_words_do_not_continue(before: str, after: str) -> None:
    assert not continues_word(before, after)


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            [
                "Электромеханик",
                "а л ы қ  ",
                "жабдықтарға ",
                "техникалық ",
                "қызмет көрсету, ",
                "жөндеу және ",
                "пайдалану (",
                "түрлері және ",
                "салалары ",
                "бойынша)",
            ],
            "Электромеханикалық жабдықтарға техникалық қызмет көрсету, жөндеу және пайдалану"
            " (түрлері және салалары бойынша)",
        ),
        (
            ["Графикалық ", "ж ә н е  ", "мультимедиялы", "қ дизайн"],
            "Графикалық және мультимедиялық дизайн",
        ),
        (
            [
                "Автомобиль ",
                "көліг іне ",
                "техникалық ",
                "қызмет көрсету, ",
                "жөндеу және ",
                "пайдалану",
            ],
            "Автомобиль көлігіне техникалық қызмет көрсету, жөндеу және пайдалану",
        ),
        (
            [
                "Дизайн ,  ",
                "азаматтық ",
                "ғимараттарды ",
                "жобалау, ",
                "қалпына келтіру,",
                "қайта құру",
            ],
            "Дизайн, азаматтық ғимараттарды жобалау, қалпына келтіру, қайта құру",
        ),
        (["Маркетинг (", "с а л а л а р  ", "бойынша)"], "Маркетинг (салалар бойынша)"),
        (["Лабораториялық", "диагностика"], "Лабораториялық диагностика"),
        (
            ["Жылу электр ", "станцияларының", "ж ы л у  ", "энергетикалық ", "қондырғылары"],
            "Жылу электр станцияларының жылу энергетикалық қондырғылары",
        ),
        (["Сандық техника ", "(түрлері  ", "бойынша)"], "Сандық техника (түрлері бойынша)"),
        (["Резеңке-техника", "лық өндірісі"], "Резеңке-техникалық өндірісі"),
        (
            [
                "Негізгі орта ",
                "білім берудегі ",
                "т і л  м е н  ",
                "әдебиетті ",
                "оқытудың ",
                "педагогикасы ",
                "мен әдістемесі",
            ],
            "Негізгі орта білім берудегі тіл мен әдебиетті оқытудың педагогикасы мен әдістемесі",
        ),
        (
            ["Халықтық ", "к ө р к е м  ", "шығармашылығ", "ы (түрлері ", "бойынша)"],
            "Халықтық көркем шығармашылығы (түрлері бойынша)",
        ),
    ],
)
def test_clean_name_of_decree_cells(lines: list[str], expected: str) -> None:
    assert clean_name(lines) == expected


def test_hyphen_at_line_end_joins_without_space() -> None:
    lines = ["даярлауға 2025-", "2026 оқу жылына"]
    assert clean_name(lines) == "даярлауға 2025-2026 оқу жылына"


def test_clean_name_of_nothing() -> None:
    assert clean_name([]) == ""
    assert clean_name(["  ", ""]) == ""


@given(st.lists(st.text()))
def test_clean_name_never_raises_nor_leaves_double_spaces(lines: list[str]) -> None:
    name = clean_name(lines)
    assert "  " not in name
    assert name == name.strip()


@pytest.mark.parametrize(
    ("code_raw", "code"),
    [("9160100", "09160100"), ("02110400", "02110400"), ("0211 0400", "02110400")],
)
def test_normalise_code(code_raw: str, code: str) -> None:
    assert normalise_code(code_raw) == code
