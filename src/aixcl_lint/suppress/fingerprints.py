"""Findings' baseline identities: fingerprints that survive unrelated edits.

A fingerprint hashes the rule, the path, the message and the text of the finding's line
(not its number), with an occurrence count for look-alikes in one file, so a baseline
keeps matching when lines are added above a finding and stops when the line changes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

from aixcl_lint.core import Finding, finding_key

_LONG_LINE = 512


def fingerprints(
    findings: Iterable[Finding], line_text: Callable[[str, int], str]
) -> dict[Finding, str]:
    """Identities that survive unrelated edits: rule, path, message and the finding's line
    text (not its number), plus an occurrence count for look-alikes in one file."""
    import hashlib  # only when fingerprints are made (loading OpenSSL: about 11M instructions)

    seen: Counter[str] = Counter()
    result = {}
    lines: dict[tuple[str, int], str] = {}  # each line's text, normalized once
    path = None
    for finding in sorted(findings, key=finding_key):
        if finding.path != path:  # keys hold the path: counts and lines restart per file
            path = finding.path
            seen.clear()
            lines.clear()
        where = (finding.path, finding.line)
        if where not in lines:
            text = " ".join(line_text(*where).split())
            # A long line stands for itself by its digest: keys stay small, and the
            # fingerprints of ordinary lines (and so existing baselines) are unchanged.
            long = len(text) > _LONG_LINE
            lines[where] = f"sha256:{hashlib.sha256(_bytes(text)).hexdigest()}" if long else text
        key = "\0".join((finding.rule, finding.path, finding.message, lines[where]))
        seen[key] += 1
        digest = hashlib.sha256(_bytes(f"{key}\0{seen[key]}")).hexdigest()[:32]
        result[finding] = digest
    return result


def _bytes(text: str) -> bytes:
    """UTF-8, with a file name's undecodable bytes (lone surrogates) as they were."""
    return text.encode("utf-8", "surrogateescape")
