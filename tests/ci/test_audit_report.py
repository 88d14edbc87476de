"""The dependency audit says how many packages it checked, and fails when it checked none
although PyPI's vulnerability API answers (before: "No known vulnerabilities found"
whatever was checked)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "audit_report.py"


def load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("audit_report", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


audit = load()
SKIPPED = [
    {"name": name, "skip_reason": f"Dependency not found on PyPI and could not be audited: {name}"}
    for name in ("aiohttp", "pdfplumber", "sniffio")
]
CLEAN = [{"name": "aiohttp", "version": "3.14.5", "vulns": []}]
VULNERABLE = [
    {
        "name": "pdfplumber",
        "version": "0.11.10",
        "vulns": [{"id": "GHSA-x", "fix_versions": ["0.11.11"]}],
    }
]


def test_none_checked_where_the_api_answers_fails() -> None:
    lines, code = audit.summarise({"dependencies": SKIPPED}, reachable=True)
    assert code == 1
    assert lines[0] == "pip-audit: checked 0 of 3 pinned packages"
    assert "none of the packages was checked although PyPI's vulnerability API answers" in lines[1]


def test_none_checked_where_the_api_does_not_answer_says_so() -> None:
    lines, code = audit.summarise({"dependencies": SKIPPED}, reachable=False)
    assert code == 0
    assert lines[0] == "pip-audit: checked 0 of 3 pinned packages"
    assert "did not answer from here" in lines[1] and "says nothing about known" in lines[1]
    assert not any("No known vulnerabilities" in line for line in lines)


def test_some_checked_says_which_were_not() -> None:
    lines, code = audit.summarise({"dependencies": CLEAN + SKIPPED[1:]}, reachable=True)
    assert code == 0
    assert lines == [
        "pip-audit: checked 1 of 3 pinned packages",
        "pip-audit: no known vulnerabilities in the 1 checked",
        "  not checked: pdfplumber, sniffio",
    ]


def test_a_known_vulnerability_fails() -> None:
    lines, code = audit.summarise({"dependencies": CLEAN + VULNERABLE}, reachable=True)
    assert code == 1
    assert "  pdfplumber 0.11.10: GHSA-x (0.11.11)" in lines


def test_no_report_fails(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), str(tmp_path / "missing.json")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1 and "no report to read" in done.stderr


def test_the_probe_is_a_release_that_exists() -> None:
    assert audit.PROBE == "https://pypi.org/pypi/pip/24.0/json"
    assert not audit.answers("http://127.0.0.1:9/none", timeout=1)  # nothing listens there
    json.dumps(audit.summarise({"dependencies": []}, reachable=False))
