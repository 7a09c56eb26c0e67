"""Values compared to values: templated arguments, another field of the subject as the
argument, ordering over a selection, and headings' parent fields."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from aixcl_lint.cli import main
from aixcl_lint.policy.ordering import version_key

Repo = Callable[[Mapping[str, str | bytes]], Path]

COMPOSE_RULE = """\
version: 1
rules:
  - id: team/values
    title: Values compared with values
    severity: error
    target: {{kind: compose}}
    select: services
    checks:
      - field: {field}
        {check}
        message: "{{service}}: {{value}} / {{expected}}"
"""


def run(root: Path, *args: str) -> tuple[int, list[dict[str, Any]], str]:
    """``aixcl-lint check`` in-process in ``root``: exit code, JSON findings, stderr."""
    import contextlib
    import io
    import os

    out, err = io.StringIO(), io.StringIO()
    here = Path.cwd()
    os.chdir(root)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["check", "--no-builtin", "--format", "json", *args])
    finally:
        os.chdir(here)
    findings = json.loads(out.getvalue())["findings"] if code in (0, 1) else []
    return code, findings, err.getvalue()


def _where(findings: list[dict[str, Any]]) -> list[tuple[str, int, int, str]]:
    return [(f["path"], f["line"], f["column"], f["message"]) for f in findings]


SERVICES = """\
services:
  web:
    image: nginx:1.27
    container_name: web
  db:
    image: postgres:17
    container_name: database
  cache:
    image: redis:7
"""


@pytest.mark.parametrize(
    ("field", "check", "expected"),
    [
        pytest.param(
            "container_name",
            'equals: "{service}"',
            [("compose.yaml", 7, 21, "db: database / db")],
            id="equals the service's name",
        ),
        pytest.param(
            "container_name",
            "equals: '{{service}}'",
            [
                ("compose.yaml", 4, 21, "web: web / {service}"),
                ("compose.yaml", 7, 21, "db: database / {service}"),
            ],
            id="doubled braces are the literal text",
        ),
        pytest.param(
            "container_name",
            "one-of: ['{service}', 'x-{service}']",
            [("compose.yaml", 7, 21, "db: database / db, x-db")],
            id="one-of items are templates",
        ),
        pytest.param(
            "image",
            "matches: '^{service}:'",
            [
                ("compose.yaml", 3, 12, "web: nginx:1.27 / ^web:"),
                ("compose.yaml", 6, 12, "db: postgres:17 / ^db:"),
                ("compose.yaml", 9, 12, "cache: redis:7 / ^cache:"),
            ],
            id="patterns take variables",
        ),
        pytest.param(
            "container_name",
            "equals: {field: '@service'}",
            [("compose.yaml", 7, 21, "db: database / db")],
            id="another field: a variable",
        ),
    ],
)
def test_arguments_from_the_subject(
    repo: Repo, field: str, check: str, expected: list[tuple[str, int, int, str]]
) -> None:
    root = repo({"compose.yaml": SERVICES, "p.yaml": COMPOSE_RULE.format(field=field, check=check)})
    code, findings, err = run(root, "--policy", "p.yaml")
    assert (code, _where(findings)) == (1 if expected else 0, expected), err


def test_a_pattern_variable_is_escaped(repo: Repo) -> None:
    compose = (
        "services:\n  a.b: {image: 'x', container_name: 'a.b-1'}\n"
        "  c: {image: x, container_name: c-1}\n"
    )
    policy = COMPOSE_RULE.format(field="container_name", check="matches: '^{service}-\\d+$'")
    code, findings, _ = run(repo({"compose.yaml": compose, "p.yaml": policy}), "--policy", "p.yaml")
    assert [f["message"] for f in findings] == []
    compose = "services:\n  a.b: {image: 'x', container_name: 'axb-1'}\n"
    code, findings, _ = run(repo({"compose.yaml": compose, "p.yaml": policy}), "--policy", "p.yaml")
    assert (code, [f["line"] for f in findings]) == (1, [2])


def test_compose_variables_are_not_placeholders(repo: Repo) -> None:
    compose = "services:\n  web: {image: 'nginx:${TAG}', container_name: web}\n"
    policy = COMPOSE_RULE.format(field="image", check="raw: true\n        equals: 'nginx:${TAG}'")
    code, findings, err = run(
        repo({"compose.yaml": compose, "p.yaml": policy}), "--policy", "p.yaml"
    )
    assert (code, findings) == (0, []), err


def test_two_fields_of_one_subject(repo: Repo) -> None:
    compose = """\
services:
  web:
    image: nginx:1.27
    hostname: web
    container_name: web
    deploy: {replicas: 3, x-min: 2}
  db:
    image: postgres:17
    hostname: db-host
    container_name: db
    deploy: {replicas: 1, x-min: 2}
  cache:
    image: redis:7
    container_name: cache
"""
    policy = (
        COMPOSE_RULE.format(field="hostname", check="equals: {field: container_name}")
        + """\
      - field: deploy.replicas
        at-least: {field: deploy.x-min}
        message: "{service}: {value} / {expected}"
"""
    )
    _, findings, err = run(repo({"compose.yaml": compose, "p.yaml": policy}), "--policy", "p.yaml")
    # cache has no hostname, and no deploy: neither check applies to it.
    assert _where(findings) == [
        ("compose.yaml", 9, 15, "db: db-host / db"),
        ("compose.yaml", 11, 24, "db: 1 / at least 2"),
    ], err


def test_the_other_field_absent_means_the_check_does_not_apply(repo: Repo) -> None:
    compose = "services:\n  web: {image: nginx:1.27, hostname: web}\n"
    policy = COMPOSE_RULE.format(field="hostname", check="equals: {field: container_name}")
    code, findings, _ = run(repo({"compose.yaml": compose, "p.yaml": policy}), "--policy", "p.yaml")
    assert (code, findings) == (0, [])


@pytest.mark.parametrize(
    ("check", "reason"),
    [
        ("equals: '{servce}'", "unknown variable {servce} in an argument"),
        ("matches: '({service}'", "RE2 rejects the pattern"),
        ("equals: {field: []}", "checks[0].equals"),
    ],
)
def test_bad_arguments_fail_at_load(repo: Repo, check: str, reason: str) -> None:
    policy = COMPOSE_RULE.format(field="image", check=check)
    code, _, err = run(repo({"compose.yaml": SERVICES, "p.yaml": policy}), "--policy", "p.yaml")
    assert code == 2
    assert "p.yaml:" in err, err
    assert reason in err, err
    assert len(err.strip().splitlines()) == 1, err


CHANGELOG_RULE = """\
version: 1
rules:
  - id: team/order
    title: Items in order
    severity: error
    target: {{kind: markdown}}
    select: document
    checks:
      - ordered:
          in: headings
          where: {{field: level, equals: 2}}
          take: text
          {spec}
        message: "{{value}}: expected {{expected}}"
"""


@pytest.mark.parametrize(
    ("spec", "headings", "expected"),
    [
        pytest.param(
            "by: version\n          direction: descending",
            ["Unreleased", "[1.10.0] - 2024-06-01", "[1.9.0]", "[1.9.0-rc.2]", "v1.9.0-rc.10"],
            [(11, "v1.9.0-rc.10: expected at most 1.9.0-rc.2")],
            id="semver: pre-releases before their release, numbers compared as numbers",
        ),
        pytest.param(
            "by: version\n          direction: descending",
            ["Unreleased", "2.0", "1.10.0", "1.9", "1.9.0"],
            [],
            id="dotted numbers descend; 1.9 equals 1.9.0",
        ),
        pytest.param(
            "by: version\n          direction: descending\n          strict: true",
            ["2.0", "1.9", "1.9.0"],
            [(7, "1.9.0: expected below 1.9")],
            id="strict: equal neighbours are out of order",
        ),
        pytest.param(
            "by: date",
            ["Old 2023-12-31", "Newer 2024-01-02", "Undated", "Newest 2024-01-01"],
            [(9, "2024-01-01: expected at least 2024-01-02")],
            id="dates ascend",
        ),
        pytest.param(
            "by: number\n          pattern: '^Step (\\d+)'",
            ["Step 1", "Step 2", "Step 10", "Step 3"],
            [(9, "3: expected at least 10")],
            id="numbers with a pattern",
        ),
        pytest.param(
            "by: text\n          direction: descending",
            ["c", "b", "d"],
            [(7, "d: expected at most b")],
            id="text",
        ),
    ],
)
def test_ordered(repo: Repo, spec: str, headings: list[str], expected: list[Any]) -> None:
    doc = "# Title\n\n" + "".join(f"## {h}\n\n" for h in headings)
    policy = CHANGELOG_RULE.format(spec=spec)
    _, findings, err = run(repo({"CHANGES.md": doc, "p.yaml": policy}), "--policy", "p.yaml")
    assert [(f["line"], f["message"]) for f in findings] == expected, err
    assert all(f["column"] == 1 for f in findings)


def test_ordered_pattern_needs_a_group(repo: Repo) -> None:
    policy = CHANGELOG_RULE.format(spec="pattern: '\\d+'")
    code, _, err = run(repo({"a.md": "# A\n", "p.yaml": policy}), "--policy", "p.yaml")
    assert code == 2
    assert "the pattern needs a group for the key" in err, err


@pytest.mark.parametrize(
    ("low", "high"),
    [
        ("1.0.0-alpha", "1.0.0-alpha.1"),
        ("1.0.0-alpha.1", "1.0.0-alpha.beta"),
        ("1.0.0-beta.2", "1.0.0-beta.11"),
        ("1.0.0-rc.1", "1.0.0"),
        ("1.9", "1.10"),
        ("v2.0.0", "2.0.1+build.5"),
    ],
)
def test_versions_order_as_semver(low: str, high: str) -> None:
    a, b = version_key(low), version_key(high)
    assert a is not None
    assert b is not None
    assert a < b


def test_not_a_version() -> None:
    assert version_key("Unreleased") is None


HEADING_RULE = """\
version: 1
rules:
  - id: team/parents
    title: Sub-sections under their parents
    severity: error
    target: {kind: markdown}
    select: headings
    where: {field: level, equals: 3}
    checks:
      - field: heading
        matches: '^\\d+\\. '
        message: "{heading} is under '{value}' ({number})"
      - field: headings
        matches: '^Guide / '
        message: "{heading}: {value}"
"""


def test_headings_have_parent_fields(repo: Repo) -> None:
    doc = "# Guide\n\n## 1. Start\n\n### 1.1 Install\n\n## Notes\n\n### Aside\n"
    root = repo({"a.md": doc, "p.yaml": HEADING_RULE})
    _, findings, err = run(root, "--policy", "p.yaml")
    assert _where(findings) == [("a.md", 9, 1, "Aside is under 'Notes' ()")], err
    doc = "## Top\n\n### Under\n"
    _, findings, err = run(repo({"a.md": doc, "p.yaml": HEADING_RULE}), "--policy", "p.yaml")
    assert [f["message"] for f in findings] == ["Under is under 'Top' ()", "Under: Top"]


RICH = """\
# Guide

## 1. Start

See [b](b.md#part-two) and b.md section 2. Mail <ops@example.org> or `security@lumenstack.io`.

| Name | Port? |
| --- | --- |
| web | 80 |

- one
- two

```sh
echo hi
```

## 1. Start

## 3. Later
"""


def test_declared_fields_are_there(tmp_path: Path) -> None:
    """Every field the kinds registry declares for a Markdown selector is on its subjects."""
    from aixcl_lint.config import Settings
    from aixcl_lint.kinds import KINDS
    from aixcl_lint.kinds.base import Unit
    from aixcl_lint.run.load import Loader

    (tmp_path / "a.md").write_text(RICH, encoding="utf-8")
    (tmp_path / "b.md").write_text("# B\n\n## 2. Part two\n", encoding="utf-8")
    loader = Loader(Settings(root=tmp_path))
    markdown = KINDS["markdown"]
    (doc,) = markdown.load(loader, [Unit("markdown", ("a.md",))])
    checked = 0
    for name, selector in markdown.selectors.items():
        seen: set[str] = set()
        for subject in selector.select(doc.tree, ""):
            seen.update(subject.value)
        declared = {f.name for f in selector.fields or ()}
        optional = {"address", "fragment_exists", "duplicate_of", "number_expected", "stray"}
        optional |= {"image", "role"}  # (set on images, on MyST roles only)
        assert declared - optional <= seen, (name, sorted(declared - optional - seen))
        checked += 1
    assert checked == len(markdown.selectors)


EXAMPLES = Path(__file__).resolve().parents[1] / "docs" / "examples"


def _git(root: Path, files: Mapping[str, str]) -> Path:
    import subprocess

    from conftest import write_tree

    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return write_tree(root, files)


def _text(root: Path, *args: str) -> tuple[int, list[str]]:
    """``aixcl-lint check`` in-process with text output (one line per finding): exit code
    and finding lines."""
    from conftest import run_cli

    ran = run_cli("check", "--no-builtin", "--no-color", "--concise", *args, cwd=root)
    return ran.code, [line for line in ran.out.splitlines() if line and ": " in line]


def test_example_container_name_on_a_repository(tmp_path: Path) -> None:
    compose = (
        "services:\n  ollama:\n    image: ollama/ollama:0.5.7\n    container_name: ollama\n"
        "  webui:\n    image: ghcr.io/open-webui/open-webui:0.5.4\n    container_name: open-webui\n"
        "  postgres: {image: 'postgres:17'}\n"
    )
    root = _git(tmp_path, {"compose.yaml": compose})
    code, lines = _text(root, "--policy", str(EXAMPLES / "container-name.yaml"))
    assert (code, lines) == (
        1,
        [
            "compose.yaml:7:21: error aixcl/container-name service 'webui' runs as container "
            "'open-webui'; name it 'webui'"
        ],
    )


def test_example_changelog_on_a_repository(tmp_path: Path) -> None:
    changelog = (
        "# Changelog\n\n## [Unreleased]\n\n## [2.1.0] - 2026-11-02\n\n## [2.0.10] - 2026-10-01\n\n"
        "## [2.0.9]\n\n## [2.0.11] - 2026-09-01\n"
    )
    root = _git(tmp_path, {"CHANGELOG.md": changelog, "docs/CHANGES.md": changelog})
    code, lines = _text(root, "--policy", str(EXAMPLES / "changelog.yaml"))
    assert (code, lines) == (
        1,
        [
            "CHANGELOG.md:9:1: error docs/changelog[dated] release heading '[2.0.9]' does not "
            "end with its ISO date (YYYY-MM-DD)",
            "CHANGELOG.md:11:1: error docs/changelog[order] release 2.0.11 is listed after a "
            "lower or equal version: versions descend (expected below 2.0.9)",
        ],
    )


def test_example_adr_header_on_a_repository(tmp_path: Path) -> None:
    adr = (
        "# 7. Host networking\n\nStatus: Accepted\nDate: 2026-03-14\n"
        "Authority: docs/architecture/governance/00_invariants.md\n\n## Context\n"
    )
    files = {
        "docs/adr/0007-host-networking.md": adr,
        "docs/adr/0008-ports.md": adr.replace("00_invariants", "01_ports"),
        "docs/adr/template.md": "# Title\n",
        "docs/architecture/governance/00_invariants.md": "# Invariants\n",
    }
    root = _git(tmp_path, files)
    code, lines = _text(root, "--policy", str(EXAMPLES / "adr-header.yaml"))
    assert (code, lines) == (
        1,
        [
            "docs/adr/0008-ports.md:3:1: error docs/adr-header[authority-exists] the authority "
            "'docs/architecture/governance/01_ports.md' of docs/adr/0008-ports.md does not exist"
        ],
    )


def test_file_exists_takes_a_template(repo: Repo) -> None:
    policy = """\
version: 1
rules:
  - id: team/documented
    title: Each service has a page
    severity: error
    target: {kind: compose}
    select: services
    checks:
      - file-exists: ["docs/services/{service}.md"]
        message: "service '{service}' has no page {value}"
"""
    files = {"compose.yaml": SERVICES, "p.yaml": policy, "docs/services/web.md": "# Web\n"}
    _, findings, err = run(repo(files), "--policy", "p.yaml")
    assert [f["message"] for f in findings] == [
        "service 'db' has no page docs/services/db.md",
        "service 'cache' has no page docs/services/cache.md",
    ], err


def test_the_docs_list_every_operator_and_declared_field() -> None:
    from aixcl_lint.kinds import KINDS
    from aixcl_lint.policy.checks import OPERATORS

    text = (EXAMPLES.parent / "policy-language.md").read_text(encoding="utf-8")
    missing = [op for op in OPERATORS if f"| `{op}" not in text and f"/ `{op}" not in text]
    assert missing == []
    rows: dict[tuple[str, str], str] = {}
    kind = ""
    for line in text.splitlines():
        if line.startswith("### `"):
            kind = line[5:-1]
        elif line.startswith("| `"):  # the first table naming a selector is its own
            rows.setdefault((kind, line.split("|")[1].split("`")[1]), line)
    undocumented = {
        (kind, name): sorted(f.name for f in sel.fields or () if f"`{f.name}`" not in row)
        for kind, spec in KINDS.items()
        for name, sel in spec.selectors.items()
        for row in [rows.get((kind, name), "")]
    }
    assert {k: v for k, v in undocumented.items() if v} == {}


def test_one_of_another_fields_list(repo: Repo) -> None:
    compose = (
        "services:\n  web:\n    image: nginx:1.27\n    x-allowed: [host, none]\n"
        "    network_mode: bridge\n  db: {image: 'postgres:17', network_mode: host}\n"
    )
    policy = COMPOSE_RULE.format(field="network_mode", check="one-of: {field: x-allowed}")
    _, findings, err = run(repo({"compose.yaml": compose, "p.yaml": policy}), "--policy", "p.yaml")
    assert _where(findings) == [("compose.yaml", 5, 19, "web: bridge / host, none")], err


def test_another_field_that_is_a_mapping_equals_nothing(repo: Repo) -> None:
    compose = "services:\n  web: {image: nginx, hostname: web, deploy: {replicas: 1}}\n"
    policy = COMPOSE_RULE.format(field="hostname", check="equals: {field: deploy}")
    _, findings, err = run(repo({"compose.yaml": compose, "p.yaml": policy}), "--policy", "p.yaml")
    assert [f["message"] for f in findings] == ["web: web / a mapping"], err
