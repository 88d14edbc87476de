"""One skeleton for every script."""

from __future__ import annotations

from store.text import clean, fold, is_kazakh, skeleton, skeleton_words, words


def test_every_script_folds_to_one_skeleton() -> None:
    assert skeleton_words("Бағдарламалық") == skeleton_words("багдарламалык")
    assert skeleton_words("Bağdarlamalyq") == skeleton_words("bagdarlamalyk")
    assert skeleton_words("Жиһаз өндірісі") == skeleton_words("Jihaz öndirisi")
    assert skeleton_words("Жиһаз") == skeleton_words("Zhihaz")
    assert fold("vrach") == fold("врач")  # Latin "ch" is ч, not c -> k
    assert fold("shashtaraz") == fold("шаштараз")


def test_a_skeleton_is_one_word_whatever_stood_between_its_letters() -> None:
    assert skeleton("Ф.И.О.") == "fio"
    assert skeleton("шеф-повар") == skeleton("шефповар") == skeleton("shefpovar")
    assert skeleton("Қарағанды") == skeleton("Караганды")


def test_control_and_format_characters_carry_no_words() -> None:
    assert clean("сва\x00рщик\u200b") == "сва рщик "
    assert words("\x07повар\x1b") == ["повар"]
    assert words("ȴ") == ["ȴ"] and fold("ȴ").strip() == ""


def test_words_split_hyphens_and_digits() -> None:
    assert words("Шеф-повар после9") == ["шеф", "повар", "после", "9"]
    # A Russian slang ending on a Latin word is the word itself
    assert words("хочу быть IT-шником") == ["хочу", "быть", "it"]
    assert words("SMM-щик") == ["smm"]


def test_kazakh_letters_mark_a_kazakh_word() -> None:
    assert is_kazakh("мейіргер") and not is_kazakh("мейиргер") and not is_kazakh("nurse")
