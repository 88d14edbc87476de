"""Words about specialties that are not in the decree: reviewed data files shipped with the
package. Translations of names (labelled as such wherever shown) and everyday aliases, in
`data/aliases.json`, one entry per decree name; loaded once per process."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

from store.model import Translations


def _data(name: str) -> str:
    return (resources.files("store") / "data" / name).read_text(encoding="utf-8")


@dataclass(frozen=True)
class Lexicon:
    """The alias file, keyed by the decree's Kazakh name."""

    entries: dict[str, dict]

    def translations(self, name: str) -> Translations:
        entry = self.entries.get(name, {})
        return Translations(ru=entry.get("ru", ""), en=entry.get("en", ""))


@cache
def lexicon() -> Lexicon:
    """The shipped lexicon (read once)."""
    return Lexicon({entry["name"]: entry for entry in json.loads(_data("aliases.json"))})
