"""Words that are not the decree's: field translations and region names, by the view."""

from __future__ import annotations

from store.catalog import Catalog
from store.lexicon import lexicon
from tests.helpers import expected_groups


def test_every_field_has_labelled_translations_and_its_places_per_level(catalog: Catalog) -> None:
    view = catalog.decree()
    printed = {(int(g["appendix"]), g["group_code"]): int(g["rows_sum"]) for g in expected_groups()}
    for field in view.fields:
        assert field.translations.ru and field.translations.en, field.code
        assert field.translations.ru != field.name
        assert field.seats_by_appendix() == {
            appendix: seats
            for (appendix, code), seats in sorted(printed.items())
            if code == field.code
        }
    # Field 09 is spelled two ways in the decree; the view keeps the first.
    assert view.field("09").name == "Денсаулық сақтау және әлеуметтік қамтамасыз ету"
    assert view.field("09").translations.en == "Health and welfare"


def test_the_region_is_named_in_each_language(catalog: Catalog) -> None:
    region = catalog.decree().region
    assert (region.kk, region.ru, region.en) == (
        "Қарағанды облысы",
        "Карагандинская область",
        "Karaganda Region",
    )
    assert region.ru_genitive == "Карагандинской области"


def test_a_classifier_specialty_keeps_its_qualifications_names() -> None:
    """data/classifier.json lists, from a college's page, the qualifications of 07321100
    (ЖКХ engineering systems): the plumber is one of them, in both languages."""
    housing = lexicon().classifier["07321100"]
    assert "Слесарь-сантехник" in housing.qualifications
    assert "Инженерлік жүйелерді орнату және пайдалану техникі" in housing.qualifications
    assert housing.source.startswith("index-file-id:")
