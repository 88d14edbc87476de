"""gettext catalogues for the bot's languages: kk, ru, en.

The .po files are the source of truth, edited by hand. Each has its compiled .mo beside it,
committed, so that a start reads a catalogue with the standard library alone, without
Babel or a build step: `python -m locales.compile` rebuilds them after an edit, and a test
fails while one is out of step with its .po.
"""

from pathlib import Path

DOMAIN = "mamandyq"
LANGUAGES = ("kk", "ru", "en")
DIRECTORY = Path(__file__).resolve().parent


def po_path(language: str) -> Path:
    """The catalogue of one language."""
    return DIRECTORY / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(language: str) -> Path:
    """The catalogue of one language, compiled."""
    return po_path(language).with_suffix(".mo")
