"""Text typed with the wrong keyboard layout, read as the layout that was meant."""

from __future__ import annotations

from store.keyboard import readings


def test_russian_typed_on_the_english_layout() -> None:
    assert "программист" in readings("ghjuhfvvbcn")
    assert "медсестра после 9 класса" in readings("vtlctcnhf gjckt 9 rkfccf")


def test_english_typed_on_the_russian_layout() -> None:
    assert "nurse" in readings("тгкыу")


def test_kazakh_letters_are_on_the_number_row() -> None:
    """On the Kazakh layout 2 3 4 5 8 9 0 - = give ә і ң ғ ү ұ қ ө һ (xkb symbols/kz)."""
    assert "қазақ" in readings("0fpf0")  # typed with the English layout active
    assert "қазақ" in readings("0аза0")  # typed with the Russian layout active


def test_digits_outside_words_stay_digits() -> None:
    """A grade or a code is not a Kazakh letter typed on the number row."""
    assert all("9" in r for r in readings("vtlctcnhf gjckt 9 rkfccf"))
    assert readings("06130100") == []


def test_text_in_both_scripts_or_neither_has_no_other_reading() -> None:
    assert readings("nurse медсестра") == []
    assert readings("😀") == []
