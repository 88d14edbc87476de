"""Settings that cannot work are refused at start, with one line naming the variable and
exit code 2, by the real `mamandyq run` (a bot started with them failed later and less
clearly: every reply refused for a negative rate, a hang for NaN, another port for 99999).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import ConfigError, Settings
from tests.bot.running import REPO, bot_env

BAD = [
    ("MAMANDYQ_MAX_RATE", "-1"),
    ("MAMANDYQ_MAX_RATE", "nan"),
    ("MAMANDYQ_MAX_RATE", "inf"),
    ("MAMANDYQ_MAX_RATE", "thirty"),
    ("PORT", "99999"),
    ("PORT", "0"),
    ("PORT", "-80"),
    ("PORT", "8443.5"),
    ("TELEGRAM_API_BASE_URL", "localhost:8081/bot"),
    ("TELEGRAM_API_BASE_URL", "ftp://example.org/bot"),
    ("TELEGRAM_API_BASE_URL", "http://"),
    ("TELEGRAM_API_BASE_URL", "http://127.0.0.1:99999/bot"),
    ("WEBHOOK_URL", "not a url"),
    ("WEBHOOK_SECRET", "has spaces and ünïcode"),
    ("WEBHOOK_LISTEN", "everywhere"),
    ("MAMANDYQ_LOG_QUERIES", "maybe"),
]


@pytest.mark.parametrize(("name", "value"), BAD)
def test_a_bad_setting_is_a_config_error_naming_it(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=name) as raised:
        Settings.from_env({name: value})
    assert "\n" not in str(raised.value)


def test_good_settings_are_read() -> None:
    settings = Settings.from_env(
        {
            "MAMANDYQ_MAX_RATE": "0",
            "PORT": "8080",
            "TELEGRAM_API_BASE_URL": "http://127.0.0.1:8081/bot",
            "WEBHOOK_URL": "https://bot.example.org/telegram",
            "WEBHOOK_SECRET": "A-z_09",
            "WEBHOOK_LISTEN": "::",
            "MAMANDYQ_LOG_QUERIES": "1",
        }
    )
    assert (settings.max_rate, settings.port, settings.listen) == (0.0, 8080, "::")
    assert settings.base_url == "http://127.0.0.1:8081/bot"
    assert settings.log_queries
    defaults = Settings.from_env({})
    assert (defaults.max_rate, defaults.port, defaults.listen) == (30.0, 8443, "0.0.0.0")
    assert not defaults.log_queries


@pytest.mark.parametrize(
    ("name", "value"),
    [BAD[0], BAD[1], BAD[4], BAD[8], BAD[11], BAD[14]],
)
def test_the_bot_refuses_to_start_with_a_bad_setting(
    name: str, value: str, data_db: Path, tmp_path: Path
) -> None:
    env = bot_env(None, data_db, tmp_path / "state.db", "123:abc", **{name: value})
    env.pop("TELEGRAM_API_BASE_URL", None)
    env[name] = value
    args = ["run", "--webhook"] if name.startswith(("PORT", "WEBHOOK")) else ["run"]
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("mamandyq: ") and name in lines[0]
