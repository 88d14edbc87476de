"""Search indexes saved between processes: read back only when built from the same things,
never from a file another user could have written, and never in the way of an answer."""

from __future__ import annotations

import logging
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from store import index_cache, morphology
from store.catalog import Catalog
from store.ingest import ingest, shipped_source
from store.lexicon import lexicon
from store.search import SearchEngine
from tests.helpers import NURSING, SOFTWARE, WELDING, other_decree

QUERIES = ["сварщиком", "медсестра", "ghjuhfvvbcn", "4S06130103", "повар и сварщик", "привет"]


class Builds:
    """A `build` for `cached_engine` that counts its calls."""

    def __init__(self, view) -> None:
        self.view = view
        self.count = 0

    def __call__(self) -> SearchEngine:
        self.count += 1
        return SearchEngine(self.view.specialties, lexicon())


def answers(view) -> list[tuple[str, list[str]]]:
    return [(str(r.kind), [m.specialty.name for m in r.matches]) for r in map(view.search, QUERIES)]


def test_a_saved_index_answers_as_a_built_one(shipped_db: Path, tmp_path: Path) -> None:
    built = Catalog.open(shipped_db).decree()
    first = Catalog.open(shipped_db, tmp_path).decree()
    assert answers(first) == answers(built)
    assert len(list(tmp_path.glob("search-*.pickle"))) == 1
    again = Catalog.open(shipped_db, tmp_path).decree()
    assert answers(again) == answers(built)
    assert answers(again)[0][1][0] == WELDING
    # The cards and the index hold the same specialties.
    assert again.engine.specialties == list(again.specialties)
    assert again.engine.specialties[0] is again.specialties[0]


def test_it_is_read_back_instead_of_built(shipped_db: Path, tmp_path: Path) -> None:
    view = Catalog.open(shipped_db).decree()
    build = Builds(view)
    first = index_cache.cached_engine(("a",), build, tmp_path)
    second = index_cache.cached_engine(("a",), build, tmp_path)
    assert build.count == 1
    assert second is not first
    assert second.search("медсестра").matches[0].specialty.name == NURSING


def test_other_inputs_are_another_index(shipped_db: Path, tmp_path: Path) -> None:
    view = Catalog.open(shipped_db).decree()
    build = Builds(view)
    index_cache.cached_engine(("one decree",), build, tmp_path)
    index_cache.cached_engine(("another decree",), build, tmp_path)
    assert build.count == 2
    assert len(list(tmp_path.glob("search-*.pickle"))) == 2


def test_each_decree_has_its_own(shipped_db: Path, tmp_path: Path) -> None:
    other = other_decree(tmp_path, "Ақмола облысының", "7/7")
    db = tmp_path / "two.db"
    ingest(shipped_source(), db)
    ingest(other, db)
    cache = tmp_path / "cache"
    catalog = Catalog.open(db, cache)
    for view in catalog.views:
        assert view.search("программист").matches[0].specialty.name == SOFTWARE
    assert len(list(cache.glob("search-*.pickle"))) == 2


def test_a_damaged_file_is_built_again(shipped_db: Path, tmp_path: Path) -> None:
    view = Catalog.open(shipped_db).decree()
    build = Builds(view)
    index_cache.cached_engine(("a",), build, tmp_path)
    (saved,) = tmp_path.glob("search-*.pickle")
    saved.write_bytes(saved.read_bytes()[:1000])
    engine = index_cache.cached_engine(("a",), build, tmp_path)
    assert build.count == 2
    assert engine.search("медсестра").matches[0].specialty.name == NURSING
    # ... and saved whole again.
    index_cache.cached_engine(("a",), build, tmp_path)
    assert build.count == 2


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX owners")
def test_a_file_others_can_write_is_not_read(
    shipped_db: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    view = Catalog.open(shipped_db).decree()
    build = Builds(view)
    index_cache.cached_engine(("a",), build, tmp_path)
    (saved,) = tmp_path.glob("search-*.pickle")
    saved.chmod(0o666)
    with caplog.at_level(logging.WARNING):
        index_cache.cached_engine(("a",), build, tmp_path)
    assert build.count == 2
    assert "not this user's own file" in caplog.text


def test_saved_files_are_the_users_own(shipped_db: Path, tmp_path: Path) -> None:
    Catalog.open(shipped_db, tmp_path / "cache").decree().search("сварщик")
    (saved,) = (tmp_path / "cache").glob("search-*.pickle")
    assert saved.stat().st_mode & 0o077 == 0
    assert (tmp_path / "cache").stat().st_mode & 0o077 == 0
    assert not list((tmp_path / "cache").glob(".*"))  # no temporary file left


def test_a_cache_that_cannot_be_written_answers_all_the_same(
    shipped_db: Path, tmp_path: Path
) -> None:
    blocked = tmp_path / "a file"
    blocked.write_text("not a directory")
    view = Catalog.open(shipped_db, blocked / "cache").decree()
    assert view.search("сварщик").matches[0].specialty.name == WELDING


def test_only_the_newest_are_kept(
    shipped_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = Catalog.open(shipped_db).decree()
    engine = view.engine
    monkeypatch.setattr(morphology, "form_parses", lambda words: iter(()))  # quicker
    for i in range(index_cache.KEEP + 3):
        index_cache.cached_engine((i,), lambda: engine, tmp_path)
    kept = list(tmp_path.glob("search-*.pickle"))
    assert len(kept) == index_cache.KEEP
    assert (tmp_path / f"search-{index_cache.digest((index_cache.KEEP + 2,))}.pickle") in kept
    # One file of word forms serves them all: it is the code's and the analyzer's.
    assert len(list(tmp_path.glob("forms-*.sqlite"))) == 1


def test_word_forms_of_older_versions_are_pruned(shipped_db: Path, tmp_path: Path) -> None:
    for age, name in enumerate(["forms-old.sqlite", "forms-older.sqlite"][::-1]):
        (tmp_path / name).write_bytes(b"")
        os.utime(tmp_path / name, ns=(age, age))
    Catalog.open(shipped_db, tmp_path).decree().search("сварщик")
    kept = sorted(p.name for p in tmp_path.glob("forms-*.sqlite"))
    assert len(kept) == index_cache.KEEP_FORMS
    assert "forms-old.sqlite" in kept and "forms-older.sqlite" not in kept


def test_another_decree_adds_only_its_new_words(
    shipped_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Decrees share most words: the second index's save parses the forms of only the
    words it brings that the file has not had yet, into the same file."""
    asked: list[int] = []
    form_parses = morphology.form_parses

    def counted(words: list[str]) -> Iterator[tuple[str, morphology.Parse]]:
        asked.append(len(words))
        return form_parses(words)

    monkeypatch.setattr(morphology, "form_parses", counted)
    cache = tmp_path / "cache"
    Catalog.open(shipped_db, cache).decree().search("сварщик")
    (saved,) = cache.glob("forms-*.sqlite")
    other = other_decree(tmp_path, "Ақмола облысының", "7/7")
    db = tmp_path / "two.db"
    ingest(shipped_source(), db)
    ingest(other, db)
    for view in Catalog.open(db, cache).views:
        view.search("сварщик")
    assert list(cache.glob("forms-*.sqlite")) == [saved]
    first, *later = asked
    assert first > 1000  # every dictionary word of the first index
    assert sum(later) < first // 10
    with closing(sqlite3.connect(saved)) as file:
        (lexemes,) = file.execute("SELECT count(*) FROM lexemes").fetchone()
    assert lexemes == first + sum(later)


def test_the_digest_follows_the_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = index_cache.digest(("a",))
    source = tmp_path / "search.py"
    source.write_text("# another version of the engine\n")
    monkeypatch.setattr(index_cache, "_sources", lambda: [source])
    index_cache._environment.cache_clear()
    try:
        assert index_cache.digest(("a",)) != before
    finally:
        index_cache._environment.cache_clear()


def test_words_read_before_need_no_analyzer(shipped_db: Path, tmp_path: Path) -> None:
    """The second process finds the index and pymorphy3's answers for its words saved, so
    a query of words the index has never loads the dictionary; a new word still does."""
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from store.catalog import Catalog\n"
        "view = Catalog.open(Path(sys.argv[1]), Path(sys.argv[2])).decree()\n"
        "print([m.specialty.name for m in view.search(sys.argv[3]).matches[:1]])\n"
        "print('pymorphy3' in sys.modules)\n"
    )
    cache = str(tmp_path / "cache")

    def run(word: str) -> list[str]:
        done = subprocess.run(
            [sys.executable, "-c", script, str(shipped_db), cache, word],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        return done.stdout.splitlines()

    welding = str([WELDING])
    assert run("сварщик") == [welding, "True"]  # built: the analyzer read every name
    assert run("сварщик") == [welding, "False"]
    # A form of a word the index read was saved too, as the analyzer parses that form;
    assert run("сварщиками") == [welding, "False"]
    # a word of no name nor phrase is not.
    assert run("небывальщина") == ["[]", "True"]


def test_saved_word_forms_are_the_analyzer_s(shipped_db: Path, tmp_path: Path) -> None:
    """Every saved form reads as the analyzer reads it, and answers as without the file."""
    view = Catalog.open(shipped_db, tmp_path).decree()
    view.search("сварщик")
    (saved,) = tmp_path.glob("forms-*.sqlite")
    with closing(sqlite3.connect(saved)) as db:
        rows = db.execute("SELECT word FROM forms").fetchall()
    words = [w for (w,) in rows]
    assert {"сварщиками", "медсестрой", "поварам"} <= set(words)
    lookup = index_cache._SavedForms(saved)
    morphology.clear_caches()
    for word in words[::50]:
        assert lookup(word) == morphology._analysed(word), word
    queries = ["сварщиками", "медсестрой", "поварам", "программистами"]
    morphology.clear_caches()
    plain = [view.search(q) for q in queries]
    again = Catalog.open(shipped_db, tmp_path).decree()
    morphology.clear_caches()
    morphology.consult(lookup)
    assert [again.search(q) for q in queries] == plain


def test_a_damaged_word_forms_file_leaves_the_analyzer_to_answer(
    shipped_db: Path, tmp_path: Path
) -> None:
    Catalog.open(shipped_db, tmp_path).decree().search("сварщик")
    (saved,) = tmp_path.glob("forms-*.sqlite")
    saved.write_bytes(b"not a database" * 100)
    morphology.clear_caches()
    view = Catalog.open(shipped_db, tmp_path).decree()
    assert view.search("сварщиками").matches[0].specialty.name == WELDING


def test_parses_are_remembered() -> None:
    morphology.clear_caches()
    morphology.remember({"заведомо": (True, ("небывальщина",), "NOUN", "nomn", "sing", False)})
    assert morphology.russian_lemma("заведомо") == "небывальщина"
    morphology.clear_caches()
    # A parse of an older shape (no person's name) is not taken for one
    morphology.remember({"заведомо": (True, ("небывальщина",), "NOUN", "nomn", "sing")})
    assert morphology.russian_lemma("заведомо") == "заведомо"
    morphology.clear_caches()
    assert morphology.russian_lemma("заведомо") == "заведомо"


def test_a_relative_cache_directory_serves_later_processes(
    shipped_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Catalog.open(shipped_db, Path("relative")).decree().search("сварщик")
    morphology.clear_caches()
    view = Catalog.open(shipped_db, Path("relative")).decree()
    assert view.search("сварщиками").matches[0].specialty.name == WELDING


@pytest.mark.parametrize(
    "parse",
    [None, "{}", "[true, null, null, null, null]", '[true, ["x"], {}, null, null]', "[1, 2"],
)
def test_a_damaged_row_of_word_forms_is_read_by_the_analyzer(
    shipped_db: Path, tmp_path: Path, parse: str | None
) -> None:
    Catalog.open(shipped_db, tmp_path).decree().search("сварщик")
    (saved,) = tmp_path.glob("forms-*.sqlite")
    with closing(sqlite3.connect(saved)) as db, db:
        db.execute("DROP TABLE forms")
        db.execute("CREATE TABLE forms (word TEXT PRIMARY KEY, parse TEXT)")
        db.execute("INSERT INTO forms VALUES ('сварщиками', ?)", [parse])
    lookup = index_cache._SavedForms(saved)
    assert lookup("сварщиками") is None
    morphology.clear_caches()
    view = Catalog.open(shipped_db, tmp_path).decree()
    assert view.search("сварщиками").matches[0].specialty.name == WELDING


def test_saved_word_forms_are_the_users_own(shipped_db: Path, tmp_path: Path) -> None:
    Catalog.open(shipped_db, tmp_path / "cache").decree().search("сварщик")
    (saved,) = (tmp_path / "cache").glob("forms-*.sqlite")
    assert saved.stat().st_mode & 0o077 == 0
