"""Every setting from the environment, read in one place, with a clear error for each.

`Settings.from_env()` never needs the token (the console and search work without one);
`Settings.require_token()` does, for `mamandyq run`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Telegram's overall limit for a bot's messages per second.
TELEGRAM_MAX_RATE = 30.0


class ConfigError(ValueError):
    """A missing or wrong setting; the message is one line for the operator."""


@dataclass(frozen=True)
class Settings:
    """What the `mamandyq` commands read from the environment."""

    db_path: Path
    state_path: Path
    token: str = ""
    base_url: str | None = None
    webhook_url: str | None = None
    webhook_secret: str | None = None
    port: int = 8443
    log_queries: bool = False
    max_rate: float = TELEGRAM_MAX_RATE
    locale: str = ""

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, db_path: Path | None = None
    ) -> Settings:
        """The settings, with `db_path` (a --db option) before MAMANDYQ_DB."""
        env = os.environ if environ is None else environ
        data = db_path or _path(env.get("MAMANDYQ_DB")) or default_db_path(env)
        return cls(
            db_path=data,
            state_path=_path(env.get("MAMANDYQ_STATE_DB")) or data.with_name("state.db"),
            token=env.get("TELEGRAM_BOT_TOKEN", "").strip(),
            base_url=env.get("TELEGRAM_API_BASE_URL") or None,
            webhook_url=env.get("WEBHOOK_URL") or None,
            webhook_secret=env.get("WEBHOOK_SECRET") or None,
            port=_number(env, "PORT", int, 8443),
            log_queries=env.get("MAMANDYQ_LOG_QUERIES", "") == "1",
            max_rate=_number(env, "MAMANDYQ_MAX_RATE", float, TELEGRAM_MAX_RATE),
            locale=env.get("LC_ALL") or env.get("LANG", ""),
        )

    def require_token(self, webhook: bool = False) -> Settings:
        """These settings, when they are enough to run the bot; a ConfigError otherwise."""
        if not self.token:
            raise ConfigError("TELEGRAM_BOT_TOKEN is not set: get a token from @BotFather")
        if webhook and not (self.webhook_url and self.webhook_secret):
            raise ConfigError("webhook mode needs WEBHOOK_URL and WEBHOOK_SECRET")
        return self


def default_db_path(env: Mapping[str, str]) -> Path:
    """mamandyq.db under the user's data directory ($XDG_DATA_HOME respected)."""
    base = env.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "mamandyq" / "mamandyq.db"


def _path(value: str | None) -> Path | None:
    return Path(value).expanduser() if value else None


def _number(env: Mapping[str, str], name: str, kind: type[int] | type[float], default: Any) -> Any:
    """A numeric setting, with a clear error when it is not a number."""
    value = env.get(name, "").strip()
    if not value:
        return default
    try:
        return kind(value)
    except ValueError:
        raise ConfigError(f"{name} must be a number, not {value!r}") from None
