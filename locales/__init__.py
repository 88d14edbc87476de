"""gettext catalogues (Babel .po files) for the bot's languages: kk, ru, en.

The .po files are the source of truth; they are compiled in memory when the bot starts
(`bot.i18n`), so no compiled .mo file has to be built or kept in step.
"""

from pathlib import Path

DOMAIN = "mamandyq"
LANGUAGES = ("kk", "ru", "en")
DIRECTORY = Path(__file__).resolve().parent


def po_path(language: str) -> Path:
    """The catalogue of one language."""
    return DIRECTORY / language / "LC_MESSAGES" / f"{DOMAIN}.po"
