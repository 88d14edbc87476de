"""Compile each .po catalogue into the .mo file the bot reads (needs Babel, a test extra).

python -m locales.compile
"""

from __future__ import annotations

import io

from babel.messages import mofile, pofile

from locales import LANGUAGES, mo_path, po_path


def compiled(language: str) -> bytes:
    """The .mo file of a language's .po catalogue, as bytes."""
    with po_path(language).open("rb") as f:
        catalog = pofile.read_po(f, locale=language)
    buffer = io.BytesIO()
    mofile.write_mo(buffer, catalog)
    return buffer.getvalue()


def main() -> None:
    for language in LANGUAGES:
        mo_path(language).write_bytes(compiled(language))
        print(f"compiled {mo_path(language)}")


if __name__ == "__main__":
    main()
