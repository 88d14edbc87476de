#!/usr/bin/env python3
"""Say plainly what a pip-audit run checked: `audit_report.py REPORT.json`.

pip-audit looks each pinned version up in PyPI's vulnerability data (the per-release JSON
API). Where that does not answer, it skips every package ("not found on PyPI") and still
prints "No known vulnerabilities found". This reads its JSON report instead and says how
many packages were actually checked. Exit 1 on a known vulnerability, or when none was
checked although the API answers (probed with a release that certainly exists); exit 0,
saying so, when the API does not answer from here.
"""

from __future__ import annotations

import json
import sys
import urllib.request
from pathlib import Path
from typing import Any

API = "https://pypi.org/pypi/{name}/{version}/json"
# A release PyPI has had for years: if even this is not found, the API is not answering.
PROBE = API.format(name="pip", version="24.0")


def answers(url: str = PROBE, timeout: float = 15.0) -> bool:
    """Whether PyPI's per-release JSON API answers a known release."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status == 200 and b'"vulnerabilities"' in response.read()
    except (OSError, ValueError):
        return False


def summarise(report: dict[str, Any], reachable: bool) -> tuple[list[str], int]:
    """What to print about `report` (pip-audit's JSON), and the exit code."""
    deps = report.get("dependencies", [])
    skipped = [d for d in deps if "skip_reason" in d]
    checked = [d for d in deps if "skip_reason" not in d]
    found = [(d, v) for d in checked for v in d.get("vulns", [])]
    lines = [f"pip-audit: checked {len(checked)} of {len(deps)} pinned packages"]
    for dep, vuln in found:
        fixes = ", ".join(vuln.get("fix_versions", [])) or "no fixed version"
        lines.append(f"  {dep['name']} {dep.get('version', '')}: {vuln.get('id')} ({fixes})")
    if found:
        lines.append(f"pip-audit: {len(found)} known vulnerabilities")
        return lines, 1
    if checked:
        lines.append(f"pip-audit: no known vulnerabilities in the {len(checked)} checked")
        if skipped:
            lines.append("  not checked: " + ", ".join(d["name"] for d in skipped))
        return lines, 0
    if reachable:
        lines.append(
            "pip-audit: none of the packages was checked although PyPI's vulnerability API"
            f" answers ({PROBE}); failing"
        )
        return lines, 1
    lines.append(
        f"pip-audit: PyPI's vulnerability API did not answer from here ({PROBE}), so no"
        " package was checked: this run says nothing about known vulnerabilities"
    )
    return lines, 0


def main(argv: list[str]) -> int:
    try:
        report = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    except (OSError, ValueError, IndexError) as error:
        print(f"pip-audit: no report to read ({error})", file=sys.stderr)
        return 1
    lines, code = summarise(report, answers())
    print("\n".join(lines))
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
