"""The SQLite schema, derived once from `store.model`, and the only code that reads or writes it.

Each table is a model type: its columns are the type's fields (tuples of rates as JSON
text, enums as their values), plus the decree's id. A decree is written in one
transaction and read back into the same types, so the ingest can check that what it
stored is exactly what it parsed.
"""

from __future__ import annotations

import json
import sqlite3
import types
import typing
from dataclasses import dataclass, fields, is_dataclass, replace
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from store.model import Appendix, Decree, DecreeError, Defect, Group, Row

if TYPE_CHECKING:  # sqlite-utils takes longer to import than a search takes to answer
    import sqlite_utils

SCHEMA_VERSION = 2


@dataclass(frozen=True)
class Table:
    """A table holding one model type; child tables carry their decree's id."""

    name: str
    type: type
    pk: tuple[str, ...]

    @property
    def child(self) -> bool:
        return self.type is not Decree


DECREES = Table("decrees", Decree, ("id",))
# Decree field name -> the table of its children, in the order they are written.
CHILDREN = {
    "appendices": Table("appendices", Appendix, ("decree_id", "appendix")),
    "groups": Table("groups", Group, ("decree_id", "appendix", "code")),
    "rows": Table("rows", Row, ("decree_id", "appendix", "row")),
    "defects": Table("defects", Defect, ()),
}


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _is_children(hint: Any) -> bool:
    args = typing.get_args(hint)
    return typing.get_origin(hint) is tuple and bool(args) and is_dataclass(args[0])


@cache
def columns(table: Table) -> dict[str, type]:
    """Column name -> Python type as sqlite-utils wants it (int or str)."""
    found: dict[str, type] = {"decree_id": str} if table.child else {"id": str}
    for f in fields(table.type):
        hint = _hints(table.type)[f.name]
        if _is_children(hint):
            continue
        base = _base(hint)
        found[f.name] = int if base is int else str
    return found


def _base(hint: Any) -> Any:
    """int for `int | None`, tuple for `tuple[int, ...]`, the class itself otherwise."""
    if isinstance(hint, types.UnionType):
        return next(a for a in typing.get_args(hint) if a is not type(None))
    return typing.get_origin(hint) or hint


def _not_null(table: Table) -> set[str]:
    hints = _hints(table.type)
    return {
        name
        for name in columns(table)
        if name not in hints or not isinstance(hints[name], types.UnionType)
    }


def _encode(value: Any) -> Any:
    if isinstance(value, tuple):
        return json.dumps(list(value))
    if isinstance(value, StrEnum):
        return value.value
    return value


def create_schema(db: sqlite_utils.Database) -> None:
    """Create every table (if missing) and stamp the schema version."""
    for table in (DECREES, *CHILDREN.values()):
        db[table.name].create(
            columns(table),
            pk=table.pk or None,
            not_null=_not_null(table),
            foreign_keys=[("decree_id", DECREES.name, "id")] if table.child else [],
            if_not_exists=True,
        )
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _record(table: Table, obj: Any, decree_id: str) -> tuple[Any, ...]:
    values = {"decree_id": decree_id} if table.child else {"id": decree_id}
    return tuple(
        values[name] if name in values else _encode(getattr(obj, name)) for name in columns(table)
    )


def _insert_sql(table: Table) -> str:
    names = list(columns(table))
    return (
        f"INSERT INTO [{table.name}] ({', '.join(f'[{n}]' for n in names)})"
        f" VALUES ({', '.join('?' * len(names))})"
    )


def replace_decree(conn: sqlite3.Connection, decree: Decree) -> None:
    """Delete the decree's old rows, if any, and write it anew, in one transaction."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        for table in CHILDREN.values():
            conn.execute(f"DELETE FROM [{table.name}] WHERE decree_id = ?", [decree.id])
        conn.execute(f"DELETE FROM [{DECREES.name}] WHERE id = ?", [decree.id])
        conn.execute(_insert_sql(DECREES), _record(DECREES, decree, decree.id))
        for attribute, table in CHILDREN.items():
            conn.executemany(
                _insert_sql(table),
                [_record(table, child, decree.id) for child in getattr(decree, attribute)],
            )
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


@cache
def _decoders(table: Table) -> dict[str, Any]:
    """How each stored column of a table reads back, worked out once per table (a store of
    many decrees reads tens of thousands of values at start-up)."""
    return {name: _decoder(hint) for name, hint in _hints(table.type).items()}


def _decoder(hint: Any) -> Any:
    base = _base(hint)
    if base is tuple:
        return lambda value: None if value is None else tuple(json.loads(value))
    if isinstance(base, type) and issubclass(base, StrEnum):
        return lambda value: None if value is None else base(value)
    return lambda value: value


def _read(table: Table, row: sqlite3.Row) -> Any:
    decoders = _decoders(table)
    return table.type(
        **{k: decoders[k](v) for k, v in zip(row.keys(), row, strict=True) if k in decoders}
    )


def load(conn: sqlite3.Connection) -> list[Decree]:
    """Every decree in a database, read back into the model types, in the order written."""
    conn.row_factory = sqlite3.Row
    children: dict[str, dict[str, list[Any]]] = {}
    for attribute, table in CHILDREN.items():
        for row in conn.execute(f"SELECT * FROM [{table.name}] ORDER BY decree_id, rowid"):
            own = children.setdefault(row["decree_id"], {})
            own.setdefault(attribute, []).append(_read(table, row))
    return [
        replace(
            _read(DECREES, row),
            **{name: tuple(children.get(row["id"], {}).get(name, ())) for name in CHILDREN},
        )
        for row in conn.execute(f"SELECT * FROM [{DECREES.name}] ORDER BY rowid")
    ]


def schema_version(path: Path) -> int:
    """The schema version a database file was built with (0: not one of ours)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


def require_schema(path: Path) -> None:
    """Refuse a database built by another version of the schema."""
    try:
        version = schema_version(path)
    except sqlite3.Error as error:
        raise DecreeError(f"{path}: not a mamandyq database ({error})") from error
    if version == 0:
        raise DecreeError(f"{path}: not a mamandyq database (no schema)")
    if version != SCHEMA_VERSION:
        raise DecreeError(
            f"{path}: built by another version of mamandyq (schema {version}, this one reads"
            f" {SCHEMA_VERSION}); ingest the decrees into a new database"
        )


def read_decrees(path: Path) -> list[Decree]:
    """Every decree stored in a data database, opened read-only."""
    require_schema(path)
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise DecreeError(f"{path}: not a mamandyq database ({error})") from error
    try:
        decrees = load(conn)
    except sqlite3.DatabaseError as error:
        raise DecreeError(f"{path}: not a mamandyq database ({error})") from error
    finally:
        conn.close()
    if not decrees:
        raise DecreeError(f"{path}: the database holds no decree")
    return decrees
