"""Translations: the .po catalogues compiled in memory once, and the user's language."""

from __future__ import annotations

import gettext
import io
import re
from functools import cache

from babel.messages import mofile, pofile

from locales import LANGUAGES, po_path

DEFAULT_LANGUAGE = "en"


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The compiled catalogue of a language (English ids are the fallback)."""
    if language not in LANGUAGES:
        return gettext.NullTranslations()
    with po_path(language).open("rb") as f:
        catalog = pofile.read_po(f, locale=language)
    buffer = io.BytesIO()
    mofile.write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


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


def pick_language(saved: str | None, telegram_code: str | None) -> str:
    """The user's saved choice, else Telegram's language_code: kk, ru, else English."""
    if saved in LANGUAGES:
        return saved
    code = re.split(r"[-_.@]", telegram_code or "")[0].lower()  # "ru-RU", "ru_RU.UTF-8"
    return code if code in ("kk", "ru") else DEFAULT_LANGUAGE


def N_(message: str) -> str:
    """Mark a string for extraction without translating it here."""
    return message
