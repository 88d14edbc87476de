"""Russian lemmas from pymorphy3, Kazakh stems by rule."""

from __future__ import annotations

from store.morphology import (
    case_stems,
    compact,
    forms,
    is_a_name_in_a_case,
    is_adjective_of,
    is_known,
    is_plural,
    kazakh_stem,
    kazakh_stems,
    names_nothing,
    noun_of_adjective,
    russian_lemma,
    short_stems,
    slang_stem,
)


def test_russian_words_have_their_dictionary_form() -> None:
    assert russian_lemma("сварщика") == "сварщик"
    assert russian_lemma("медсестрой") == "медсестра"
    assert russian_lemma("техник") == "техник"  # a dictionary form stays itself
    assert "svarshik" in forms("сварщиком")


def test_kazakh_endings_come_off() -> None:
    assert kazakh_stem("meiirgerlikke") == "meiirger"
    # One ending at a time: "медицинадағы" is "медицина" with -дағы.
    assert "meditsina" in kazakh_stems(forms("медицинадағы")[0])
    assert forms("аспазшыға")[-1] == forms("аспазшы")[-1]
    assert forms("сыныптан")[-1] == "sinip"


def test_a_stem_s_last_consonant_is_voiced_before_a_vowel() -> None:
    """Kazakh voices a stem's last к, қ, п before an ending's vowel: "мамандығына" is
    "мамандық" with the possessive and the dative, "сыныбы" is "сынып"'s."""
    assert "mamandik" in kazakh_stems(forms("мамандығына")[0])
    assert "aspaz" in forms("аспаздығына")
    assert "sinip" in kazakh_stems(forms("сыныбына")[0])
    assert "enbek" in forms("еңбегіне")
    # Not before a consonant: "кітап" is itself in "кітаптар", with nothing voiced.
    assert kazakh_stems(forms("кітаптар")[0]) == ("kitaptar", "kitap")


def test_an_adjective_in_sky_is_made_of_its_noun() -> None:
    assert noun_of_adjective("povarskoi") == "povar"
    assert noun_of_adjective("shahterskii") == "shahter"
    assert noun_of_adjective("lechebnii") == ""  # -ный: no noun is cut out


def test_a_case_ending_comes_off_a_short_stem_only_as_a_case() -> None:
    """ "етуге" is "ету" with the dative, though "ету" is shorter than kazakh_stems cuts to;
    "жылу" has no case ending ("-у" makes a verb's noun), nor has "сандық" ("-дық")."""
    assert "etu" in case_stems("etuge")
    assert case_stems("jilu") == () and case_stems("sandik") == ()
    assert case_stems("manda") == ("man",)  # the locative; "ma" is too short for a stem


def test_every_stem_on_the_way_is_a_form() -> None:
    """An ending is cut longest first to the shortest stem the rules allow, and the stem a
    name has may be one on the way ("логистика", of "логистикалыққа")."""
    assert "logistika" in forms("логистикалыққа")
    assert forms("логистикалыққа")[-1] == kazakh_stem("logistikalikka")


def test_a_short_stem_is_offered_only_below_the_usual_length() -> None:
    """ "ісіне" is "ісі" (of "Емдеу ісі") with the dative "-не"; kazakh_stems keeps five
    letters, so it never offers "isi"."""
    assert "isi" in short_stems(forms("ісіне")[0])
    assert "isi" not in kazakh_stems(forms("ісіне")[0])
    assert short_stems(forms("медицинадағы")[0]) == []  # long enough for kazakh_stems


def test_the_dative_after_a_possessive_only() -> None:
    """ "-на/-не" follows a possessive ("баспасына": баспа-сы-на); "баспана" (housing) is
    a word of its own, not "баспа" (printing) with an ending."""
    assert "baspa" in kazakh_stems(forms("баспасына")[0])
    assert kazakh_stems(forms("баспана")[0]) == (forms("баспана")[0],)


def test_slang_in_ka_is_made_of_an_adjective() -> None:
    assert slang_stem(forms("лечебка")[0]) == "lecheb"
    assert is_adjective_of("lecheb", forms("лечебное")[0])
    assert not is_adjective_of("lecheb", forms("лечение")[0])
    assert slang_stem(forms("повар")[0]) == ""


def test_short_words_are_not_read_as_russian() -> None:
    """Kazakh "ету" is not a form of Russian "этот"."""
    assert forms("ету") == ("etu",)


def test_what_a_word_is_decides_whether_it_names_anything() -> None:
    assert names_nothing("хочу") and names_nothing("рядом") and names_nothing("после")
    assert not names_nothing("сварщик") and not names_nothing("аспаз")
    # An adjective narrows what is named: "сметное дело" is not any "дело".
    assert not names_nothing("сметное") and not names_nothing("атомная")
    assert is_known("астроном") and not is_known("павар")


def test_a_guessed_lemma_helps_a_misspelt_word() -> None:
    assert "informatsonnii" in forms("информацонная", guess=True)
    assert "informatsonnii" not in forms("информацонная")


def test_one_cyrillic_letter_is_one_character_for_slips() -> None:
    assert len(compact("ishsi")) == 4 and compact("isi") == "isi"


def test_a_character_pymorphy3_cannot_name_is_an_unknown_word() -> None:
    """pymorphy3 looks up the Unicode name of each character of a word it reads by its
    shape, and some have none (U+17000); such a word is no dictionary word."""
    assert russian_lemma("²\U00017000жж") == "²\U00017000жж"
    assert not is_known("²\U00017000жж")


def test_a_woman_of_a_trade_is_read_as_the_man_s_word_too() -> None:
    """Names and aliases say "каменщик", "программист"; a girl types "каменщицей"."""
    assert forms("каменщик")[0] in forms("каменщицей")
    assert forms("программист")[0] in forms("программистка")
    assert forms("ученик")[0] in forms("ученица")


def test_plural_readings() -> None:
    assert is_plural("спасательные")
    assert is_plural("айтишные")  # guessed: not in the dictionary
    assert not is_plural("специальности")  # likeliest: the singular's genitive
    assert not is_plural("мамандықтар")  # Kazakh: not pymorphy3's to say


def test_a_person_s_name_in_a_case_is_told_apart() -> None:
    """pymorphy3 reads "аграном" as "with Агран" (a first name): a slip of "агроном" as
    often; a name in the nominative, and other words, are what they are."""
    assert is_a_name_in_a_case("аграном")
    assert not is_a_name_in_a_case("агроном")
    assert not is_a_name_in_a_case("марат")
