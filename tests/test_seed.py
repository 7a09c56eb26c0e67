"""The user's own security policy (vendored seed), judged as a careful reviewer would."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from conftest import SEED_POLICY, run_cli

Repo = Callable[[Mapping[str, str | bytes]], Path]


@pytest.fixture
def repo(aixcl_repo: Repo) -> Repo:
    """The seed is AIXCL's own policy: it is held to AIXCL's profile (the general one asks
    less of a security policy; test_profiles.py covers it)."""
    return aixcl_repo


SEED = SEED_POLICY.read_text(encoding="utf-8")
README = "# aixcl\n\nA local-first AI platform run with Docker Compose.\n"
SEED_PATH = "docs/reference/security.md"

EXPECTED = [
    ("security/policy-present[location]", "README.md", 1, 1),  # a warning
    ("security/policy-present[readme-link]", "README.md", 1, 1),
    ("security/reporting[placeholder]", SEED_PATH, 15, 55),
    ("docs/heading-structure[sequence]", SEED_PATH, 61, 1),
    ("docs/heading-structure[duplicate]", SEED_PATH, 82, 1),
    ("docs/section-references[file]", SEED_PATH, 113, 5),
]


def _findings(root: Path) -> list[tuple[str, str, int, int]]:
    ran = run_cli("check", "--format", "json", "--today", "2026-11-23", cwd=root)
    assert ran.code in (0, 1), ran.err
    return ran.findings()


def test_the_seed_yields_exactly_what_is_wrong_with_it(repo: Repo) -> None:
    root = repo({SEED_PATH: SEED, "README.md": README})
    assert _findings(root) == EXPECTED
    messages = run_cli("check", cwd=root).out
    assert "'security@yourdomain.com' is a placeholder" in messages
    assert "section numbered 7 where 6 was expected" in messages


def test_the_section_reference_resolves_once_the_invariants_exist(repo: Repo) -> None:
    invariants = "docs/architecture/governance/00_invariants.md"
    root = repo(
        {
            SEED_PATH: SEED,
            "README.md": README,
            invariants: "# Invariants\n\n## 7. Networking\n\nHost networking.\n",
        }
    )
    assert _findings(root) == [f for f in EXPECTED if f[0] != "docs/section-references[file]"]
    (root / invariants).write_text("# Invariants\n\n## 6. Storage\n", encoding="utf-8")
    assert ("docs/section-references[section]", SEED_PATH, 113, 5) in _findings(root)


def test_linking_the_policy_from_the_readme_clears_that_finding(repo: Repo) -> None:
    linked = README + "\nSee the [security policy](docs/reference/security.md).\n"
    root = repo({SEED_PATH: SEED, "README.md": linked})
    assert [f[0] for f in _findings(root)] == [f[0] for f in EXPECTED if "readme" not in f[0]]


OTHER_WORDS = """\
# Security

## Supported Versions

We release security fixes for the versions marked below.

| Version | Supported          | Notes |
| :------ | :----------------: | ----- |
| 2.x     | :white_check_mark: | current |
| 1.4.x   | ✅                 | **security fixes only** |
| < 1.4   | :x:                | please upgrade |

## Reporting a Vulnerability

Please do not open a public issue. Report it privately through
[GitHub's private vulnerability reporting](https://github.com/acme/platform/security/advisories/new).
A maintainer will get back to you within 48 hours.

## Disclosure

We ask that you do not disclose the issue publicly before a patch is released. We
coordinate disclosure with the reporter and publish an advisory 14 days after the fix.

## Scope

### In scope

- The platform's services and their compose configuration.
- The installer.

### Out of scope

- Vulnerabilities in upstream images.
- Denial of service by a local administrator.
"""


def test_a_good_policy_in_other_words_has_no_findings(repo: Repo) -> None:
    root = repo(
        {
            "SECURITY.md": OTHER_WORDS,
            "README.md": "# Platform\n\nSecurity issues: see [SECURITY.md](SECURITY.md).\n",
        }
    )
    assert _findings(root) == []
