"""Baselines: the findings a repository had when it adopted a rule, recorded by
fingerprint, so that only new findings fail. Fingerprints come from the rule, the file,
the message and the text of the line (not its number), so moving code keeps a match."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path

from aixcl_lint import inputs
from aixcl_lint.config import ConfigError
from aixcl_lint.core import Finding, finding_key


def write(path: Path, findings: Iterable[Finding], fingerprints: Mapping[Finding, str]) -> int:
    """Record ``findings``; returns how many."""
    entries = [
        {"rule": f.rule, "path": f.path, "message": f.message, "fingerprint": fingerprints[f]}
        for f in sorted(findings, key=finding_key)
    ]
    document = {"version": 1, "tool": "aixcl-lint", "findings": entries}
    try:
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
        # A file name's undecodable bytes (lone surrogates) as \udcXX escapes.
        path.write_bytes(text.encode("utf-8", "backslashreplace"))
    except OSError as exc:
        raise ConfigError(
            str(path), 0, f"cannot write baseline: {exc.strerror or exc}", "baseline"
        ) from None
    return len(entries)


def load(path: Path) -> set[str]:
    """The fingerprints a baseline file records."""
    document = inputs.load_json(path, str(path), "baseline", inputs.MAX_BASELINE_BYTES)
    entries = document.get("findings") if isinstance(document, dict) else None
    if (
        not isinstance(document, dict)
        or document.get("version") != 1
        or not isinstance(entries, list)
        or not all(isinstance(e, dict) and isinstance(e.get("fingerprint"), str) for e in entries)
    ):
        raise ConfigError(str(path), 1, "not a version 1 aixcl-lint baseline file", "baseline")
    return {e["fingerprint"] for e in entries}


def new_findings(
    findings: Iterable[Finding], fingerprints: Mapping[Finding, str], known: set[str]
) -> list[Finding]:
    """Findings the baseline does not record."""
    return [f for f in findings if fingerprints.get(f) not in known]
