"""Charts: a real PNG, labelled in the user's language, drawn once; matplotlib (and
XlsxWriter) loaded only when a chart (a workbook) is asked for."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
from PIL import Image

from bot.answers import Answers, Asker
from bot.charts import render
from bot.i18n import translator
from store.catalog import Catalog
from tests.helpers import LEVELS, REGION


@pytest.mark.parametrize(
    ("language", "label"),
    [
        ("kk", "09 Денсаулық сақтау және әлеуметтік қамтамасыз ету"),
        ("ru", "09 Здравоохранение и социальное обеспечение"),
        ("en", "09 Health and welfare"),
    ],
)
def test_the_fields_chart_is_a_png_in_the_users_language(
    catalog: Catalog, language: str, label: str
) -> None:
    _ = translator(language)
    chart = Answers(catalog).fields_chart(Asker(language), catalog.decree())
    png = render(chart)
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 30_000
    with Image.open(io.BytesIO(png)) as image:
        assert 800 <= image.width <= 1600 and 500 <= image.height <= 1600
        colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
        assert colours is not None and len(colours) > 50  # bars, text: not a blank image
        info = image.info
    assert info["Language"] == language
    assert REGION[language] in info["Title"]
    for level in LEVELS.values():
        assert _(level) in info["Description"]
    assert label in info["Description"]


def test_a_chart_is_drawn_once(catalog: Catalog) -> None:
    answers = Answers(catalog)
    chart = answers.top_chart(Asker("ru"), catalog.decree())
    assert render(chart) is render(answers.top_chart(Asker("ru"), catalog.decree()))


def test_matplotlib_and_xlsxwriter_load_only_when_asked_for() -> None:
    code = (
        "import sys, bot.app, bot.cli, bot.handlers, bot.answers, bot.console; "
        "heavy = [m for m in ('matplotlib', 'xlsxwriter') if m in sys.modules]; "
        "assert not heavy, heavy"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
