"""Translations: the .po catalogues compiled in memory once, and the user's language."""

from __future__ import annotations

import gettext
import io
from collections.abc import Callable
from functools import cache

from babel.messages import mofile, pofile

from locales import LANGUAGES, po_path

DEFAULT_LANGUAGE = "en"
Translate = Callable[[str], str]


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


def translator(language: str) -> Translate:
    """gettext for one language."""
    return translations(language).gettext


def pick_language(saved: str | None, telegram_code: str | None) -> str:
    """The user's saved choice, else Telegram's language_code: kk, ru, else English."""
    if saved in LANGUAGES:
        return saved
    code = (telegram_code or "").split("-")[0].lower()
    return code if code in ("kk", "ru") else DEFAULT_LANGUAGE


def N_(message: str) -> str:
    """Mark a string for extraction without translating it here."""
    return message
