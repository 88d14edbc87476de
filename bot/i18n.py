"""Translations: the compiled catalogues (`locales`), read once, and the user's language."""

from __future__ import annotations

import gettext
import re
from functools import cache

from locales import LANGUAGES, mo_path

DEFAULT_LANGUAGE = "en"


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The compiled catalogue of a language (English ids are the fallback)."""
    if language not in LANGUAGES:
        return gettext.NullTranslations()
    with mo_path(language).open("rb") as f:
        return gettext.GNUTranslations(f)


class Translate:
    """gettext for one language: `_("text")`, and `_.plural("one", "many", n)` for counts."""

    def __init__(self, catalogue: gettext.NullTranslations) -> None:
        self.catalogue = catalogue

    def __call__(self, message: str) -> str:
        return self.catalogue.gettext(message)

    def plural(self, singular: str, plural: str, count: int) -> str:
        return self.catalogue.ngettext(singular, plural, count)


@cache
def translator(language: str) -> Translate:
    """The translator of one language."""
    return Translate(translations(language))


# Letters of Kazakh Cyrillic that Russian does not have.
KAZAKH_LETTERS = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")


def script_language(text: str | None) -> str | None:
    """The language a text's script says: Kazakh letters -> kk, other Cyrillic -> ru, else
    None (Latin, digits, emoji: the script does not tell)."""
    if not text:
        return None
    if any(char in KAZAKH_LETTERS for char in text):
        return "kk"
    if any("\u0400" <= char <= "\u04ff" for char in text):
        return "ru"
    return None


def pick_language(
    saved: str | None,
    telegram_code: str | None,
    text: str | None = None,
    guess: str | None = None,
) -> str:
    """The user's saved choice; else Telegram's language_code when it is kk or ru; else the
    script of what they wrote (Kazakh letters: kk, other Cyrillic: ru), or of what they
    wrote before (`guess`, for a button or a command without words); else English."""
    if saved in LANGUAGES:
        return saved
    code = re.split(r"[-_.@]", telegram_code or "")[0].lower()  # "ru-RU", "ru_RU.UTF-8"
    if code in ("kk", "ru"):
        return code
    return script_language(text) or (guess if guess in LANGUAGES else None) or DEFAULT_LANGUAGE


def N_(message: str) -> str:
    """Mark a string for extraction without translating it here."""
    return message
