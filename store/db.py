"""The SQLite store: the one place that knows the schema.

A data database holds any number of decrees side by side. It is only ever replaced
whole: `ingest` copies it, changes the copy, checks the copy and then renames it over
the original, so a failure at any step leaves the database in use byte for byte as it was.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
import stat
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import sqlite_utils

from store.decree import Decree, DecreeError, build_decree
from store.read_pdf import read_pdf
from store.read_text import read_text

SCHEMA_VERSION = 1
SHIPPED_SOURCE = "decree-43-19.pdf"


def specialty_id(name: str) -> str:
    """A short id for a specialty name, stable across decrees and ingests (deep links use it)."""
    return hashlib.sha1(name.encode()).hexdigest()[:7]


def default_db_path() -> Path:
    """MAMANDYQ_DB, else mamandyq.db under the user's data directory."""
    if env := os.environ.get("MAMANDYQ_DB"):
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "mamandyq" / "mamandyq.db"


def shipped_source() -> Path:
    """The decree shipped inside the package."""
    return Path(str(resources.files("store") / "data" / SHIPPED_SOURCE))


def read_source(path: Path) -> tuple[Decree, str]:
    """Read and validate a decree file (a PDF, or text extracted from one); with the
    SHA-256 of the file, so the store can say exactly which file it came from."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise DecreeError(f"{path}: cannot read ({error.strerror or error})") from error
    digest = hashlib.sha256(data).hexdigest()
    if not data:
        raise DecreeError(f"{path.name}: the file is empty")
    if data.startswith(b"%PDF"):
        return build_decree(read_pdf(path)), digest
    if path.suffix.lower() == ".pdf":
        raise DecreeError(f"{path.name}: not a PDF (no %PDF header)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DecreeError(f"{path.name}: neither a PDF nor UTF-8 text") from error
    return build_decree(read_text(text)), digest


def _create_schema(db: sqlite_utils.Database) -> None:
    db["decrees"].create(
        {
            "id": str,
            "region": str,
            "issuer": str,
            "number": str,
            "date": str,
            "academic_year": str,
            "title": str,
            "source_name": str,
            "source_sha256": str,
            "ingested_at": str,
        },
        pk="id",
        if_not_exists=True,
    )
    db["levels"].create(
        {
            "decree_id": str,
            "appendix": int,
            "kind": str,
            "title": str,
            "printed_total": int,
            "seats": int,
        },
        pk=("decree_id", "appendix"),
        foreign_keys=[("decree_id", "decrees", "id")],
        if_not_exists=True,
    )
    db["groups"].create(
        {
            "decree_id": str,
            "appendix": int,
            "code": str,
            "name": str,
            "printed_total": int,
            "seats": int,
        },
        pk=("decree_id", "appendix", "code"),
        foreign_keys=[("decree_id", "decrees", "id")],
        if_not_exists=True,
    )
    db["rows"].create(
        {
            "decree_id": str,
            "appendix": int,
            "row": int,
            "group_code": str,
            "code_raw": str,
            "code": str,
            "name": str,
            "specialty_id": str,
            "seats": int,
            "city_costs": str,
            "rural_costs": str,
            "page": int,
            "line": int,
        },
        pk=("decree_id", "appendix", "row"),
        foreign_keys=[("decree_id", "decrees", "id")],
        if_not_exists=True,
    )
    db["defects"].create(
        {
            "decree_id": str,
            "kind": str,
            "place": str,
            "printed": str,
            "stored": str,
            "appendix": int,
            "row": int,
            "group_code": str,
        },
        foreign_keys=[("decree_id", "decrees", "id")],
        if_not_exists=True,
    )
    db["rows"].create_index(["specialty_id"], if_not_exists=True)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _replace_decree(
    db: sqlite_utils.Database, decree: Decree, source: Path, source_sha256: str
) -> None:
    """Delete the decree's old rows, if any, and insert it anew (one transaction)."""
    with db.conn:
        for table in ("rows", "levels", "groups", "defects"):
            db[table].delete_where("decree_id = ?", [decree.id])
        db["decrees"].delete_where("id = ?", [decree.id])
        db["decrees"].insert(
            {
                "id": decree.id,
                "region": decree.region,
                "issuer": decree.issuer,
                "number": decree.number,
                "date": decree.date,
                "academic_year": decree.academic_year,
                "title": decree.title,
                "source_name": source.name,
                "source_sha256": source_sha256,
                "ingested_at": datetime.now(UTC).isoformat(timespec="seconds"),
            }
        )
        db["levels"].insert_all(
            {
                "decree_id": decree.id,
                "appendix": level.appendix,
                "kind": level.kind,
                "title": level.title,
                "printed_total": level.printed_total,
                "seats": sum(r.seats for r in decree.rows if r.appendix == level.appendix),
            }
            for level in decree.levels
        )
        db["groups"].insert_all(
            {
                "decree_id": decree.id,
                "appendix": group.appendix,
                "code": group.code,
                "name": group.name,
                "printed_total": group.printed_total,
                "seats": sum(
                    r.seats
                    for r in decree.rows
                    if r.appendix == group.appendix and r.group_code == group.code
                ),
            }
            for group in decree.groups
        )
        db["rows"].insert_all(
            {
                "decree_id": decree.id,
                "appendix": row.appendix,
                "row": row.row,
                "group_code": row.group_code,
                "code_raw": row.code_raw,
                "code": row.code,
                "name": row.name,
                "specialty_id": specialty_id(row.name),
                "seats": row.seats,
                "city_costs": json.dumps(list(row.city_costs)),
                "rural_costs": json.dumps(list(row.rural_costs)),
                "page": row.page,
                "line": row.line,
            }
            for row in decree.rows
        )
        db["defects"].insert_all(
            {
                "decree_id": decree.id,
                "kind": d.kind,
                "place": d.where,
                "printed": d.printed,
                "stored": d.stored,
                "appendix": d.appendix,
                "row": d.row,
                "group_code": d.group_code,
            }
            for d in decree.defects
        )


def _check(path: Path, decree: Decree) -> None:
    """Read the written copy back and compare it with what was parsed."""
    db = sqlite_utils.Database(path)
    try:
        if db.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise DecreeError("the new database failed SQLite's integrity check")
        stored = db.execute(
            "SELECT count(*), coalesce(sum(seats), 0) FROM rows WHERE decree_id = ?", [decree.id]
        ).fetchone()
        expected = (len(decree.rows), sum(r.seats for r in decree.rows))
        if tuple(stored) != expected:
            raise DecreeError(f"the new database holds {stored}, expected {expected}")
        ids = db.execute(
            "SELECT specialty_id, count(DISTINCT name) FROM rows GROUP BY specialty_id"
            " HAVING count(DISTINCT name) > 1"
        ).fetchall()
        if ids:
            raise DecreeError(f"specialty id collision: {ids[0][0]}")
    finally:
        db.close()


def ingest(source: Path, db_path: Path) -> Decree:
    """Parse `source`, store it in a copy of `db_path`, check the copy, then swap it in.

    Raises DecreeError (one line, for the user) when anything is wrong; `db_path` is then
    untouched. Ingesting the same decree again replaces it and changes nothing else.
    """
    decree, digest = read_source(source)
    tmp: Path | None = None
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".ingest-", suffix=".db", dir=db_path.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        if db_path.exists():
            _require_schema(db_path)
            shutil.copyfile(db_path, tmp)
        db = sqlite_utils.Database(tmp)
        try:
            _create_schema(db)
            _replace_decree(db, decree, source, digest)
        finally:
            db.close()
        _check(tmp, decree)
        # mkstemp makes the file private; the database keeps the mode it had (or the usual
        # one), so a bot running as another user can still read it.
        mode = stat.S_IMODE(db_path.stat().st_mode) if db_path.exists() else 0o644
        os.chmod(tmp, mode)
        os.replace(tmp, db_path)
    except (OSError, sqlite3.Error) as error:
        raise DecreeError(f"{db_path}: could not write the database ({error})") from error
    finally:
        if tmp is not None:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
    return decree


def _require_schema(path: Path) -> None:
    """Refuse a database built by another version of the schema."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()
    if version == 0:
        raise DecreeError(f"{path}: not a mamandyq database (no schema)")
    if version != SCHEMA_VERSION:
        raise DecreeError(
            f"{path}: built by another version of mamandyq (schema {version}, this one reads"
            f" {SCHEMA_VERSION}); ingest the decrees into a new database"
        )


def ensure_db(db_path: Path | None = None) -> Path:
    """The database to use, built from the shipped decree the first time it is needed."""
    path = db_path or default_db_path()
    if not path.exists():
        ingest(shipped_source(), path)
    return path


@dataclass(frozen=True)
class DecreeInfo:
    """A stored decree, as the bot shows it."""

    id: str
    region: str
    number: str
    date: str
    academic_year: str
    title: str


@dataclass(frozen=True)
class RowRecord:
    """One stored row, with its decree and field of education."""

    decree_id: str
    appendix: int
    level_kind: str
    row: int
    group_code: str
    group_name: str
    code_raw: str
    code: str
    name: str
    specialty_id: str
    seats: int
    city_costs: tuple[int, ...]
    rural_costs: tuple[int, ...]
    page: int | None
    line: int | None


@dataclass(frozen=True)
class DefectRecord:
    """A defect found in a stored decree."""

    decree_id: str
    kind: str
    place: str
    printed: str
    stored: str
    appendix: int | None
    row: int | None
    group_code: str | None


@dataclass(frozen=True)
class LevelRecord:
    """An appendix of a stored decree, with its printed and computed totals."""

    decree_id: str
    appendix: int
    kind: str
    title: str
    printed_total: int | None
    seats: int


@dataclass(frozen=True)
class GroupRecord:
    """A field of education of a stored decree."""

    decree_id: str
    appendix: int
    code: str
    name: str
    printed_total: int | None
    seats: int


class Store:
    """Read access to a data database, loaded once: the data is small and never changes
    while it is open (ingest replaces the file, and a running bot keeps its open copy)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            _require_schema(path)
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        except sqlite3.Error as error:
            raise DecreeError(f"{path}: not a mamandyq database ({error})") from error
        try:
            db = sqlite_utils.Database(conn)
            self.decrees = [
                DecreeInfo(
                    d["id"], d["region"], d["number"], d["date"], d["academic_year"], d["title"]
                )
                for d in db.query("SELECT * FROM decrees ORDER BY academic_year DESC, region")
            ]
            self.levels = [
                LevelRecord(**r)
                for r in db.query(
                    "SELECT decree_id, appendix, kind, title, printed_total, seats FROM levels"
                    " ORDER BY decree_id, appendix"
                )
            ]
            self.groups = [
                GroupRecord(**r)
                for r in db.query(
                    "SELECT decree_id, appendix, code, name, printed_total, seats FROM groups"
                    " ORDER BY decree_id, appendix, rowid"
                )
            ]
            self.rows = [_row_record(r) for r in db.query(_ROWS_SQL)]
            self.defects = [
                DefectRecord(**r)
                for r in db.query(
                    "SELECT decree_id, kind, place, printed, stored, appendix, row, group_code"
                    " FROM defects"
                    " ORDER BY rowid"
                )
            ]
        except sqlite3.DatabaseError as error:
            raise DecreeError(f"{path}: not a mamandyq database ({error})") from error
        finally:
            conn.close()
        if not self.decrees:
            raise DecreeError(f"{path}: the database holds no decree")

    def decree(self, decree_id: str | None = None) -> DecreeInfo:
        """A decree by id; without an id, the default one (the newest)."""
        if decree_id is None:
            return self.decrees[0]
        for decree in self.decrees:
            if decree.id == decree_id:
                return decree
        raise KeyError(decree_id)

    def rows_of(self, decree_id: str) -> list[RowRecord]:
        """A decree's rows in the decree's own order."""
        return [r for r in self.rows if r.decree_id == decree_id]

    def defects_of(self, decree_id: str) -> list[DefectRecord]:
        """What the decree prints wrongly, as found at ingest."""
        return [d for d in self.defects if d.decree_id == decree_id]

    def levels_of(self, decree_id: str) -> list[LevelRecord]:
        return [lv for lv in self.levels if lv.decree_id == decree_id]

    def groups_of(self, decree_id: str) -> list[GroupRecord]:
        return [g for g in self.groups if g.decree_id == decree_id]


_ROWS_SQL = """
SELECT r.decree_id, r.appendix, l.kind AS level_kind, r.row, r.group_code,
       coalesce(g.name, '') AS group_name, r.code_raw, r.code, r.name, r.specialty_id,
       r.seats, r.city_costs, r.rural_costs, r.page, r.line
FROM rows r
JOIN levels l ON l.decree_id = r.decree_id AND l.appendix = r.appendix
LEFT JOIN groups g
  ON g.decree_id = r.decree_id AND g.appendix = r.appendix AND g.code = r.group_code
ORDER BY r.decree_id, r.appendix, r.row
"""


def _row_record(r: dict) -> RowRecord:
    return RowRecord(
        **{
            **r,
            "city_costs": tuple(json.loads(r["city_costs"])),
            "rural_costs": tuple(json.loads(r["rural_costs"])),
        }
    )


def export_rows(store: Store, decree_id: str) -> Iterator[dict]:
    """Every row of a decree with the fields counselors get in JSON and CSV."""
    for r in store.rows_of(decree_id):
        yield {
            "appendix": r.appendix,
            "row": r.row,
            "group_code": r.group_code,
            "group_name": r.group_name,
            "code_raw": r.code_raw,
            "code": r.code,
            "name": r.name,
            "seats": r.seats,
            "city_costs": list(r.city_costs),
            "rural_costs": list(r.rural_costs),
        }
