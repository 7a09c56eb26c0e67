"""Defects a newcomer found writing policies from the docs (session 6's newuser3): each
test shows the output the docs promise, through the real command line."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from conftest import run_cli

Repo = Callable[[Mapping[str, str | bytes]], Path]

BOUNDS = """\
version: 1
rules:
  - id: team/bounds
    title: Bounds
    severity: error
    target: {kind: compose}
    select: services
    checks:
      - field: privileged
        at-most: 3
        message: "{service}: privileged is {value} ({raw}), expected {expected}"
"""


def test_a_numeric_bound_on_a_boolean_shows_it_as_yaml_writes_it(repo: Repo) -> None:
    root = repo(
        {
            "compose.yaml": "services:\n  web:\n    image: nginx:1.27\n    privileged: true\n",
            "p.yaml": BOUNDS,
        }
    )
    ran = run_cli("check", "--no-builtin", "--policy", "p.yaml", "--format", "json", cwd=root)
    (finding,) = ran.json()["findings"]
    assert finding["message"] == "web: privileged is true (true), expected a number at most 3"
    assert (finding["line"], finding["column"]) == (4, 17)


ENV_KEYS = """\
version: 1
rules:
  - id: team/env-example
    title: .env.example lists every variable .env sets
    severity: error
    target: {kind: text, files: [/.env.example]}
    select: lines
    where: {field: text, matches: '^[A-Z]'}
    checks:
      - relation:
          values: text
          steps: [{strip: '=.*$'}]
          to: {kind: env, file: .env, select: variables, take: key}
          op: equals
        message: "{value}"
"""


def test_a_relation_taking_env_keys_points_at_the_key(repo: Repo) -> None:
    root = repo(
        {
            ".env.example": "DATABASE_URL=postgres://db/app\n",
            ".env": "DATABASE_URL=postgres://db/app\n  EXTRA_TOKEN=abc\n",
            "p.yaml": ENV_KEYS,
        }
    )
    ran = run_cli("check", "--no-builtin", "--policy", "p.yaml", "--format", "json", cwd=root)
    spans = {(f["path"], f["line"], f["column"], f["end_column"]) for f in ran.json()["findings"]}
    assert (".env", 2, 3, 14) in spans, spans


PATTERNS = """\
version: 1
rules:
  - id: team/pattern
    title: Pattern
    severity: error
    target: {kind: compose}
    select: services
    checks:
      - field: image
        OPERATOR
        message: "x"
"""


@pytest.mark.parametrize(
    ("operator", "expected"),
    [
        (
            "not-placeholder:\n          - 'ok'\n          - '(\\d+'",
            r"p.yaml:12: rules[0].checks[0].not-placeholder[1]: RE2 rejects the pattern "
            r"'(\d+': missing ): (\d+",
        ),
        (
            "matches: '^{service}(\\d$'",
            r"p.yaml:10: rules[0].checks[0].matches: RE2 rejects the pattern "
            r"'^{service}(\d$': missing )",
        ),
    ],
)
def test_a_pattern_re2_rejects_is_shown_as_written_at_its_line(
    repo: Repo, operator: str, expected: str
) -> None:
    policy = PATTERNS.replace("OPERATOR", operator)
    root = repo({"compose.yaml": "services: {web: {image: 'a:1'}}\n", "p.yaml": policy})
    ran = run_cli("check", "--no-builtin", "--policy", "p.yaml", cwd=root)
    assert ran.code == 2
    assert ran.err.strip() == f"aixcl-lint: error: invalid policy: {expected}"


EXISTING = """\
version: 1
rules:
  - id: team/sourced
    title: Sourced files exist
    severity: error
    target: {kind: text, files: ["*.sh"]}
    select: lines
    checks:
      - field: text
        file-exists: {pattern: '^\\. \\./(\\S+)'}
        message: "{path} sources {value}, which does not exist"
  - id: team/steps
    title: Step scripts exist
    severity: error
    target: {kind: yaml, files: [".github/workflows/*.yml"]}
    select: {items: "jobs.*.steps"}
    checks:
      - field: run
        file-exists: true
        message: "{value} does not exist"
"""


def test_file_exists_on_text_and_yaml_rules(repo: Repo) -> None:
    root = repo(
        {
            "scripts/a.sh": "#!/bin/sh\n. ./lib/there.sh\n. ./lib/gone.sh\n",
            "lib/there.sh": "true\n",
            ".github/workflows/ci.yml": (
                "jobs:\n  t:\n    steps:\n      - run: scripts/a.sh\n      - run: scripts/b.sh\n"
            ),
            "p.yaml": EXISTING,
        }
    )
    ran = run_cli("check", "--no-builtin", "--policy", "p.yaml", "--format", "json", cwd=root)
    assert ran.code == 1, ran.err
    assert [(f["path"], f["line"], f["message"]) for f in ran.json()["findings"]] == [
        (".github/workflows/ci.yml", 5, "scripts/b.sh does not exist"),
        ("scripts/a.sh", 3, "scripts/a.sh sources lib/gone.sh, which does not exist"),
    ]


NEAR = """\
version: 1
rules:
  - id: team/strict
    title: Scripts set strict mode
    severity: error
    target: {kind: text, files: ["*.sh"]}
    select: lines
    where: {field: number, equals: 1}
    checks:
      - near: {lines: 2, matches: '^set -e\\b', below: true}
        message: "{path} wants {expected}"
"""


def test_a_near_pattern_is_shown_as_written_in_the_message(repo: Repo) -> None:
    root = repo({"a.sh": "#!/bin/sh\necho hi\n", "p.yaml": NEAR})
    ran = run_cli("check", "--no-builtin", "--policy", "p.yaml", "--format", "json", cwd=root)
    (finding,) = ran.json()["findings"]
    assert finding["message"] == r"a.sh wants a line matching '^set -e\b' within 2 line(s) around"
