"""Every setting from the environment, read in one place, with a clear error for each.

`Settings.from_env()` never needs the token (the console and search work without one);
`Settings.require_token()` does, for `mamandyq run`. A value that cannot work (a port
out of range, a negative or NaN rate, a URL without a host) is refused here with one
line naming the variable, before anything starts: a bot that starts with it would fail
later and less clearly (every reply refused, a hang on SIGTERM, another port).
"""

from __future__ import annotations

import ipaddress
import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

# Telegram's overall limit for a bot's messages per second.
TELEGRAM_MAX_RATE = 30.0
# What Telegram accepts as a webhook's secret_token (setWebhook).
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"", "0", "false", "no", "off"})


class ConfigError(ValueError):
    """A missing or wrong setting; the message is one line for the operator."""


@dataclass(frozen=True)
class Settings:
    """What the `mamandyq` commands read from the environment."""

    db_path: Path
    state_path: Path
    # Where search indexes are saved between runs (store.index_cache).
    cache_dir: Path | None = None
    token: str = ""
    base_url: str | None = None
    webhook_url: str | None = None
    webhook_secret: str | None = None
    port: int = 8443
    listen: str = "0.0.0.0"
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
            cache_dir=_path(env.get("MAMANDYQ_CACHE_DIR")) or default_cache_dir(env),
            token=env.get("TELEGRAM_BOT_TOKEN", "").strip(),
            base_url=_url(env, "TELEGRAM_API_BASE_URL"),
            webhook_url=_url(env, "WEBHOOK_URL"),
            webhook_secret=_secret(env),
            port=_port(env),
            listen=_listen(env),
            log_queries=_flag(env, "MAMANDYQ_LOG_QUERIES"),
            max_rate=_rate(env),
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


def default_cache_dir(env: Mapping[str, str]) -> Path:
    """mamandyq under the user's cache directory ($XDG_CACHE_HOME respected)."""
    base = env.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "mamandyq"


def _path(value: str | None) -> Path | None:
    return Path(value).expanduser() if value else None


def _value(env: Mapping[str, str], name: str) -> str:
    return env.get(name, "").strip()


def _url(env: Mapping[str, str], name: str) -> str | None:
    """An http(s) URL with a host, or None when the variable is not set."""
    value = _value(env, name)
    if not value:
        return None
    try:
        parsed = urlparse(value)
        parsed.port  # noqa: B018 (raises ValueError for a port that is not a number 0-65535)
    except ValueError:
        raise ConfigError(f"{name} is not a valid URL: {value!r}") from None
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise ConfigError(f"{name} must be an http:// or https:// URL with a host, not {value!r}")
    return value


def _secret(env: Mapping[str, str]) -> str | None:
    value = env.get("WEBHOOK_SECRET", "")
    if not value:
        return None
    if not _SECRET.fullmatch(value):
        raise ConfigError(
            "WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and - (Telegram's rule)"
        )
    return value


def _port(env: Mapping[str, str]) -> int:
    value = _value(env, "PORT")
    if not value:
        return 8443
    if not value.isdigit() or not 1 <= int(value) <= 65535:
        raise ConfigError(f"PORT must be a whole number from 1 to 65535, not {value!r}")
    return int(value)


def _listen(env: Mapping[str, str]) -> str:
    value = _value(env, "WEBHOOK_LISTEN")
    if not value:
        return "0.0.0.0"
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        raise ConfigError(
            f"WEBHOOK_LISTEN must be an IP address (0.0.0.0, 127.0.0.1, ::), not {value!r}"
        ) from None


def _flag(env: Mapping[str, str], name: str) -> bool:
    value = _value(env, name).lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"{name} must be 1 or 0, not {env[name]!r}")


def _rate(env: Mapping[str, str]) -> float:
    value = _value(env, "MAMANDYQ_MAX_RATE")
    if not value:
        return TELEGRAM_MAX_RATE
    try:
        rate = float(value)
    except ValueError:
        rate = math.nan
    if not math.isfinite(rate) or rate < 0:
        raise ConfigError(
            f"MAMANDYQ_MAX_RATE must be a number of messages per second, 0 or more, not {value!r}"
        )
    return rate
