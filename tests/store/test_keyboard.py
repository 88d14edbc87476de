"""Text typed with the wrong keyboard layout, read as the layout that was meant."""

from __future__ import annotations

from store.keyboard import likely_slip, readings
from store.text import fold, is_cyrillic


def test_russian_typed_on_the_english_layout() -> None:
    assert "программист" in readings("ghjuhfvvbcn")
    assert "медсестра после 9 класса" in readings("vtlctcnhf gjckt 9 rkfccf")


def test_english_typed_on_the_russian_layout() -> None:
    assert "nurse" in readings("тгкыу")


def test_kazakh_letters_are_on_the_number_row() -> None:
    """On the Kazakh layout 2 3 4 5 8 9 0 - = give ә і ң ғ ү ұ қ ө һ (xkb symbols/kz)."""
    assert "қазақ" in readings("0fpf0")  # typed with the English layout active
    assert "қазақ" in readings("0аза0")  # typed with the Russian layout active


def test_text_with_kazakh_letters_is_not_english_typed_on_the_russian_layout() -> None:
    """A Kazakh letter is typed on the Kazakh layout's number row, which on QWERTY gives a
    digit: no English word has one, so Kazakh text has no English reading."""
    assert readings("пайдалы қазбалар") == []
    assert readings("пайдалы казбалар") == ["gfqlfks rfp,fkfh"]  # no Kazakh letter


def test_digits_outside_words_stay_digits() -> None:
    """A grade or a code is not a Kazakh letter typed on the number row."""
    assert all("9" in r for r in readings("vtlctcnhf gjckt 9 rkfccf"))
    assert readings("06130100") == []


def test_text_in_both_scripts_or_neither_has_no_other_reading() -> None:
    assert readings("nurse медсестра") == []
    assert readings("😀") == []


def test_keys_that_are_letters_on_the_cyrillic_layouts_stay_in_their_word() -> None:
    """ ";" is ж, "[" х and "," б on ЙЦУКЕН, in the Kazakh reading too: «жиһаз өндірісі»
    typed on QWERTY has ж on ";" before its number-row letters."""
    assert "жиһаз өндірісі" in readings(";b=fp -yl3h3c3")
    assert "тәрбиеші" in readings("n2h,bti3")
    assert "кітапханашы" in readings("r3nfg[fyfis")


def test_a_comma_after_a_word_is_punctuation() -> None:
    """ "," is б only inside a word (or before one); after a word it is the comma."""
    assert readings("fcgfp, cdfhobr")[0] == "аспаз, сварщик"
    assert "бюджет" in readings(",.l;tn")  # "," and "." together begin a word
    assert "профессию повара" in readings("ghjatccb. gjdfhf")  # or end one: б, ю
    assert "бухгалтер" in readings(",e[ufknth")


def test_a_hyphen_inside_a_word_may_be_a_hyphen() -> None:
    """The Kazakh layout's ө is on the "-" key: "ая0-ки3м" is «аяқ-киім» with its hyphen
    (read both ways), and a "-" at a word's start is ө ("-нд3р3с3": «өндірісі»)."""
    assert "аяқ-киім ісі" in readings("ая0-ки3м 3с3")
    assert "резеңке-техникалық өндірісі" in readings("резе4ке-техникалы0 -нд3р3с3")


def test_a_phone_slip_is_a_key_beside_a_sound_alike_or_a_swap() -> None:
    def slip(typed: str, meant: str) -> bool:
        return likely_slip(fold(typed), fold(meant), is_cyrillic(typed))

    assert slip("сваоршик", "сварщик")  # о beside р
    assert slip("стамотология", "стоматология")  # vowels heard alike
    assert slip("агрнаом", "агроном")  # two letters swapped
    assert slip("бухгалтр", "бухгалтер")  # one left out
    assert slip("nurce", "nurse")
    assert slip("лаболатория", "лаборатория")
    assert slip("парихмахер", "парикмахер")
    # A letter Latin spells with two has neighbours too: д and л are under щ, ц beside у
    assert slip("свардик", "сварщик")
    assert slip("цельдшер", "фельдшер")
    assert slip("svarchik", "svarshchik")  # ч spelled for щ
    assert slip("медсетсра", "медсестра")  # "тс" for "ст"

    # Letters far apart, neither heard alike: another word, not a slip
    assert not slip("жазушы", "жарушы")  # a writer is no blaster
    assert not slip("кальянщик", "каменщик")
    assert not slip("fisherman", "fireman")
    assert not slip("сок", "кок")  # a Latin "c" is "s" or "k", a Cyrillic "с" is not
    assert not slip("қосшы", "қойушы")  # "с" and "у" are far apart on ЙЦУКЕН
