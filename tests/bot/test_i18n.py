"""Every message the code can show exists in every catalogue, translated (not empty, not
fuzzy, not the English left as it is) and used as translated, with the same placeholders;
and the user's language is picked as promised."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from babel.messages import mofile, pofile
from babel.messages.extract import extract_from_dir

from bot.i18n import pick_language, script_language, translator
from locales import LANGUAGES, mo_path, po_path
from locales.compile import compiled

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"\{(\w*)\}")
Message = str | tuple[str, ...]


def code_messages() -> set[Message]:
    """Message ids as the code uses them, extracted the way Babel does: `_("...")`,
    `N_("...")` and `_.plural("one", "many", n)` (a tuple of both forms)."""
    found = extract_from_dir(
        str(ROOT / "bot"),
        method_map=[("**.py", "python")],
        keywords={"_": None, "N_": None, "plural": (1, 2)},
    )
    return {message for _file, _line, message, _comments, _context in found}


def placeholders(text: Message) -> list[list[str]]:
    forms = (text,) if isinstance(text, str) else text
    return [sorted(PLACEHOLDER.findall(form)) for form in forms]


def read_catalogue(language: str):
    with po_path(language).open("rb") as f:
        return pofile.read_po(f, locale=language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_message_is_fuzzy_or_obsolete(language: str) -> None:
    """Babel skips a fuzzy entry when it compiles, so its English would show."""
    catalog = read_catalogue(language)
    fuzzy = sorted(str(m.id) for m in catalog if m.id and m.fuzzy)
    assert not fuzzy, f"{language}: fuzzy entries: {fuzzy}"
    assert not catalog.obsolete, f"{language}: obsolete entries: {list(catalog.obsolete)}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_is_in_step_with_its_po(language: str) -> None:
    """The bot reads the committed .mo; after an edit of the .po it must be rebuilt. Its
    messages and plural rule are compared, not its bytes: the header names the Babel
    version that compiled it."""
    committed = messages(mo_path(language).read_bytes())
    assert committed == messages(compiled(language)), (
        f"{mo_path(language)} is out of date: run python -m locales.compile"
    )
    assert len(committed[0]) > 50  # a real catalogue, not two empty ones


def messages(mo: bytes) -> tuple[dict, str]:
    """A compiled catalogue's messages (id -> translation) and its plural rule."""
    catalog = mofile.read_mo(io.BytesIO(mo))

    def key(text: str | list[str] | tuple[str, ...]) -> str | tuple[str, ...]:
        return text if isinstance(text, str) else tuple(text)

    return {key(m.id): key(m.string) for m in catalog if m.id}, catalog.plural_expr


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_no_message_is_left_in_english(language: str) -> None:
    """Every message the code shows comes out of the compiled catalogue in Cyrillic, every
    plural form too: not the English id (untranslated, fuzzy or missing)."""
    _ = translator(language)
    untranslated = []
    for message in code_messages():
        if isinstance(message, tuple):
            shown = [_.plural(*message, n) for n in (1, 2, 5)]
        else:
            shown = [_(message)]
        if any(text in message or not re.search("[а-яёәғқңөұүһі]", text, re.I) for text in shown):
            untranslated.append(message)
    assert not untranslated, f"{language}: shown in English: {untranslated}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(language: str) -> None:
    catalog = read_catalogue(language)
    translations = {m.id: m.string for m in catalog if m.id}
    missing = sorted(map(str, code_messages() - translations.keys()))
    empty = sorted(
        str(i) for i, s in translations.items() if not s or (isinstance(s, tuple) and not all(s))
    )
    assert not missing, f"{language}: not in the catalogue: {missing}"
    assert not empty, f"{language}: empty translations: {empty}"
    for message_id, string in translations.items():
        expected = placeholders(message_id)[-1]
        assert all(found == expected for found in placeholders(string)), (
            f"{language}: placeholders differ in {message_id!r}"
        )


def test_there_are_messages_to_check() -> None:
    messages = code_messages()
    assert len(messages) > 40
    assert any(isinstance(m, tuple) for m in messages)


@pytest.mark.parametrize(
    ("saved", "telegram", "expected"),
    [
        (None, "kk", "kk"),
        (None, "ru-RU", "ru"),
        (None, "ru_RU.UTF-8", "ru"),
        (None, "en-US", "en"),
        (None, "de", "en"),
        (None, None, "en"),
        ("kk", "ru", "kk"),
        ("xx", "ru", "ru"),
    ],
)
def test_language_choice(saved: str | None, telegram: str | None, expected: str) -> None:
    assert pick_language(saved, telegram) == expected


@pytest.mark.parametrize(
    ("saved", "telegram", "text", "expected"),
    [
        (None, "en", "сварщик", "ru"),  # Telegram in English, Russian text: Russian
        (None, "de", "дәнекерлеуші", "kk"),  # Kazakh letters: Kazakh
        (None, None, "Сколько мест на ҚАЗАҚ тілі?", "kk"),
        (None, "en", "welding", "en"),
        (None, "en", "06130100", "en"),
        (None, "ru", "дәнекерлеуші", "ru"),  # Telegram in kk or ru is taken as it is
        (None, "kk", "сварщик", "kk"),
        ("en", "de", "сварщик", "en"),  # a saved choice wins
    ],
)
def test_the_language_follows_the_script(
    saved: str | None, telegram: str | None, text: str, expected: str
) -> None:
    assert pick_language(saved, telegram, text) == expected


def test_a_remembered_script_answers_buttons_and_commands() -> None:
    assert script_language("🙂 123") is None
    assert pick_language(None, "en", "", guess="ru") == "ru"
    assert pick_language(None, "en", "welding", guess="kk") == "kk"
    assert pick_language(None, "en", "сварщик", guess="kk") == "ru"
    assert pick_language(None, "ru", None, guess="kk") == "ru"


def test_kazakh_and_russian_are_really_translated() -> None:
    message = "Choose a language:"
    assert translator("kk")(message) != message
    assert translator("ru")(message) != message
    assert translator("en")(message) == message
    assert re.search("[әғқңөұүһі]", translator("kk")("Total places at all levels: {seats}"))


@pytest.mark.parametrize(("count", "expected"), [(1, "1 место"), (3, "3 места"), (25, "25 мест")])
def test_russian_counts_agree_with_the_number(count: int, expected: str) -> None:
    assert (
        translator("ru").plural("{seats} place", "{seats} places", count).format(seats=count)
        == expected
    )
