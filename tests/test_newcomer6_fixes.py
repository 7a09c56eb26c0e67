"""Defects a newcomer found running main on real repositories (session 9's newuser6):
each test runs the command line in-process on a repository like the one it came from."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from conftest import run_cli

Repo = Callable[[Mapping[str, str | bytes]], Path]


def _policy(body: str) -> str:
    return f"# Security\n\n## Reporting a Vulnerability\n\n{body}\n"


def _reporting(root: Path) -> list[tuple[str, int, str]]:
    ran = run_cli("check", "--format", "json", cwd=root)
    found = ran.json()["findings"]
    return [(f["rule"], f["line"], f["message"]) for f in found if "reporting" in f["rule"]]


# mailcow's SECURITY.md:9 writes its address alone in an indented block.
MAILCOW = (
    "## Reporting a Vulnerability \n\n"
    "The mailcow team and community take all security vulnerabilities\nseriously.\n\n"
    "Report security vulnerabilities by emailing the mailcow team at:\n"
    "    \n"
    "    info at servercow.de\n\n"
    "mailcow team will acknowledge your email as soon as possible.\n"
)


@pytest.mark.parametrize(
    "body",
    [
        "Report it by e-mail:\n\n    info@lumenstack.de\n",
        "Report it by e-mail:\n\n```text\ninfo@lumenstack.de\n```\n",
        "Report it to info at lumenstack.de, please.",
        "Report it to info [at] lumenstack.de, please.",
        "Report it at security(at)lumenstack.de, please.",
        "Report it: security AT lumenstack DOT de",
        "Report it:\n\n- info at lumenstack.de\n",
        "Please e-mail the maintainers, who read info at lumenstack.de daily.",
    ],
)
def test_an_address_a_reader_reads_is_a_channel(repo: Repo, body: str) -> None:
    root = repo({"SECURITY.md": _policy(body)})
    assert _reporting(root) == []


def test_mailcows_indented_address_is_a_channel(repo: Repo) -> None:
    root = repo({"SECURITY.md": "# Security Policies and Procedures\n\n" + MAILCOW})
    assert _reporting(root) == []


@pytest.mark.parametrize(
    "body",
    [
        "Please look at this.page for more.",
        "We run at 3.5 now; report bugs at github.com/lumenstack/app.",
        "Look at the docs.example and the FAQ.",
    ],
)
def test_at_in_prose_is_no_channel(repo: Repo, body: str) -> None:
    root = repo({"SECURITY.md": _policy(body)})
    ((rule, line, _),) = _reporting(root)
    assert (rule, line) == ("security/reporting[channel]", 3)


def test_a_written_out_placeholder_is_a_placeholder(repo: Repo) -> None:
    root = repo({"SECURITY.md": _policy("Report it to security [at] example [dot] com.")})
    assert _reporting(root) == [
        (
            "security/reporting[placeholder]",
            5,
            "the contact 'security@example.com' is a placeholder, not a real address",
        )
    ]


def _sequence(root: Path) -> list[tuple[str, int, str]]:
    ran = run_cli("check", "--format", "json", cwd=root)
    found = ran.json()["findings"]
    rule = "docs/heading-structure[sequence]"
    return [(f["path"], f["line"], f["message"]) for f in found if f["rule"] == rule]


# Guzzle's UPGRADING.md: setext headings, one per upgrade step, newest first.
UPGRADING = """\
Guzzle Upgrade Guide
====================

6.0 to 7.0
----------

In order to take advantage of the new features of PHP, Guzzle dropped PHP 5.

5.0 to 6.0
----------

Guzzle now uses PSR-7 for HTTP messages.

4.x to 5.0
----------

Rewritten adapter layer.

3.6 to 3.7
----------

Deprecations.
"""


def test_upgrade_steps_and_emoji_releases_are_not_section_numbers(repo: Repo) -> None:
    emoji = "# Changelog\n\n## 1.2.0 🎉\n\n- New.\n\n## 1.1.0 🐛\n\n- Fixed.\n\n## 1.0.1 ✨\n"
    root = repo({"UPGRADING.md": UPGRADING, "CHANGELOG.md": emoji})
    assert _sequence(root) == []


def test_section_numbers_with_titles_or_words_are_still_held_to_the_sequence(repo: Repo) -> None:
    doc = (
        "# Guide\n\n## 9. Releasing\n\n## 9.5 Hotfixes\n\n## 10. Support 🎉\n\n"
        "## 12. Appendix to 13.0\n"
    )
    root = repo({"GUIDE.md": doc})
    assert _sequence(root) == [
        ("GUIDE.md", 5, "section numbered 9.5 where 10 was expected"),
        ("GUIDE.md", 9, "section numbered 12 where 11 was expected"),
    ]


TYPO = """\
version: 1
rules:
  - id: team/x
    title: X
    severity: {severity}
    target: {{kind: compose}}
    select: services
    checks:
      - {check}
        message: "m"
"""
MATCHS = "field: image\n        matchs: 'x'"
WHER = "some:\n          in: ports\n          wher: {field: target, equals: '80'}"


@pytest.mark.parametrize(
    ("severity", "check", "line", "said"),
    [
        (
            "error",
            MATCHS,
            10,
            "rules[0].checks[0]: Unevaluated properties are not allowed ('matchs' was "
            "unexpected) (did you mean 'matches'?)",
        ),
        (
            "error",
            WHER,
            11,
            "rules[0].checks[0].some: Additional properties are not allowed ('wher' was "
            "unexpected) (did you mean 'where'?)",
        ),
        ("bogus", MATCHS.replace("matchs", "matches"), 5, None),
    ],
)
def test_a_policy_outside_the_repository_gets_the_precise_schema_error(
    tmp_path: Path, repo: Repo, severity: str, check: str, line: int, said: str | None
) -> None:
    policy = TYPO.format(severity=severity, check=check)
    root = repo({"compose.yaml": "services:\n  web:\n    image: nginx:1.27\n", "p.yaml": policy})
    outside = tmp_path / "elsewhere" / "p.yaml"
    outside.parent.mkdir()
    outside.write_text(policy)
    inside = run_cli("check", "--no-builtin", "--policy", "p.yaml", cwd=root)
    ran = run_cli("check", "--no-builtin", "--policy", str(outside), cwd=root)
    assert (inside.code, ran.code) == (2, 2)
    assert inside.err.startswith(f"aixcl-lint: error: invalid policy: p.yaml:{line}: ")
    if said is None:  # the value is the file's: not echoed, the schema's wish is
        said = "rules[0].severity: the value is not one of 'error', 'warning', 'info'"
        assert "bogus" in inside.err
        assert "bogus" not in ran.err
    else:
        assert inside.err.endswith(said + "\n")
    assert ran.err == f"aixcl-lint: error: invalid policy: {outside}:{line}: {said}\n"


def test_an_unknown_key_outside_the_repository_that_is_no_near_miss_is_not_echoed(
    tmp_path: Path, repo: Repo
) -> None:
    outside = tmp_path / "p.yaml"
    outside.write_text(TYPO.format(severity="error", check="field: image\n        s3cr3t: 'x'"))
    root = repo({"compose.yaml": "services: {}\n"})
    ran = run_cli("check", "--no-builtin", "--policy", str(outside), cwd=root)
    assert ran.code == 2
    assert "s3cr3t" not in ran.err
    assert ran.err.endswith("Unevaluated properties are not allowed (a key was unexpected)\n")


# dms' CHANGELOG.md:117
DOUBLED = (
    "# Changelog\n\n"
    "- A permissions fix that was [added in DMS v15]"
    "((https://github.com/docker-mailserver/docker-mailserver/pull/4374)) no longer fails.\n"
)


def test_a_url_in_doubled_parentheses_is_reported_as_written(repo: Repo) -> None:
    root = repo({"CHANGELOG.md": DOUBLED})
    ran = run_cli("check", "--format", "json", cwd=root)
    found = [f for f in ran.json()["findings"] if f["rule"].startswith("docs/relative-links")]
    assert [(f["rule"], f["line"], f["column"], f["message"]) for f in found] == [
        (
            "docs/relative-links[malformed]",
            3,
            30,
            "malformed link: '(https://github.com/docker-mailserver/docker-mailserver/pull/4374)'"
            " is link syntax left in the text (a bracket or parenthesis out of place, or a"
            " reference with no definition)",
        )
    ]


def test_init_excludes_vendored_folders_and_says_so(repo: Repo) -> None:
    broken = "# Package\n\n[missing](nope.md)\n"
    root = repo(
        {
            "README.md": "# App\n",
            "data/web/inc/lib/vendor/guzzle/README.md": broken,
            "data/web/inc/lib/vendor/guzzle/docs/UPGRADING.md": broken,
            "web/node_modules/left-pad/README.md": broken,
            "src/third_party/README.md": broken,
            "docs/vendoring.md": "# Vendoring\n",  # a file, not a vendor folder
        }
    )
    before = run_cli("check", "--format", "json", cwd=root).json()["summary"]
    ran = run_cli("init", cwd=root)
    assert ran.code == 0, ran.err
    assert ran.out.endswith(
        ", excluding 3 vendored folders (4 files: data/web/inc/lib/vendor/, src/third_party/,"
        " web/node_modules/).\n"
    )
    text = (root / ".aixcl-lint.yaml").read_text()
    assert (
        "exclude:\n"
        '  - "data/web/inc/lib/vendor/"  # 2 files\n'
        '  - "src/third_party/"  # 1 file\n'
        '  - "web/node_modules/"  # 1 file\n'
    ) in text
    after = run_cli("check", "--format", "json", cwd=root).json()["summary"]
    assert (before["files"], after["files"]) == (6, 2)


def test_init_without_vendored_code_writes_an_empty_exclude(repo: Repo) -> None:
    root = repo({"README.md": "# App\n", "docs/vendor.md": "# Our vendor list\n"})
    ran = run_cli("init", "--dry-run", cwd=root)
    assert "\nexclude: []\n" in ran.out
    assert ran.err.endswith("(0 of 0 compose services use host networking).\n")


# docker-mailserver's SECURITY.md:7
DMS_TABLE = """\
# Security Policy

## Supported Versions

Security updates land on the `:edge` tag of the container image.

| Image Tags  | Latest Packages & Patches |
|-------------|:-------------------------:|
| `:edge`     | :white_check_mark:        |
| not `:edge` | :x:                       |

## Reporting a Vulnerability

Use [private vulnerability reporting](https://github.com/o/r/security/advisories/new).
"""


def test_an_image_tag_table_saying_which_tags_get_patches_has_its_columns(repo: Repo) -> None:
    root = repo({"SECURITY.md": DMS_TABLE})
    ran = run_cli("check", "--format", "json", cwd=root)
    assert [f["rule"] for f in ran.json()["findings"] if "supported-versions" in f["rule"]] == []
    other = DMS_TABLE.replace("Latest Packages & Patches", "Latest Packages & Plans")
    (root / "SECURITY.md").write_text(other)
    ran = run_cli("check", "--format", "json", cwd=root)
    rules = [(f["rule"], f["line"]) for f in ran.json()["findings"]]
    assert ("security/supported-versions[columns]", 7) in rules
