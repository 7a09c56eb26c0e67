"""Relations from any kind to any side: exact positions on both sides through the real
CLI, each side's steps, and the registries the docs and the schema are checked against."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from aixcl_lint.kinds import targetable
from aixcl_lint.policy import relations, sides, steps
from aixcl_lint.policy.loader import schema_text
from conftest import REPO, run_cli

Repo = Callable[[Mapping[str, str | bytes]], Path]

HEAD = """\
version: 1
rules:
  - id: team/rel
    title: A relation
    severity: error
"""


def _found(root: Path, policy: str) -> list[tuple[str, int, int, str]]:
    (root / "p.yaml").write_text(HEAD + policy, encoding="utf-8")
    ran = run_cli("check", "--no-builtin", "--policy", "p.yaml", "--format", "json", cwd=root)
    assert ran.code in (0, 1), ran.err
    return sorted((f["path"], f["line"], f["column"], f["message"]) for f in ran.json()["findings"])


PROFILES = """\
# Profiles

| Profile | Services |
| --- | --- |
| core | ollama, open-webui, grafana |
| full | ollama |
"""

ENV_TO_ROW = """\
    target: {kind: env, files: ["config/profiles/*.env"]}
    select: {variables: SERVICES}
    checks:
      - relation:
          values: value
          steps: [{split: ','}]
          to:
            kind: markdown
            file: docs/profiles.md
            select: rows
            where: {field: cells.profile, equals: "{stem}"}
            take: cells.services
            steps: [{split: '\\s*,\\s*'}]
          normalize: [trim]
        message: "{stem}: {value}"
"""


def test_an_env_variable_and_a_table_row_each_at_their_column(repo: Repo) -> None:
    root = repo(
        {
            "config/profiles/core.env": "# core\nSERVICES=ollama, open-webui,postgres\n",
            "config/profiles/full.env": "SERVICES='ollama'\n",
            "docs/profiles.md": PROFILES,
        }
    )
    message = "core: not in docs/profiles.md: postgres; missing here, in docs/profiles.md: grafana"
    assert _found(root, ENV_TO_ROW) == [
        ("config/profiles/core.env", 2, 29, message),
        ("docs/profiles.md", 5, 30, message),
    ]


def test_an_env_value_rewritten_by_expansion_is_reported_at_its_start(repo: Repo) -> None:
    root = repo(
        {
            "config/profiles/core.env": "BASE=ollama\nSERVICES=${BASE},open-webui,x\n",
            "docs/profiles.md": PROFILES,
        }
    )
    found = _found(root, ENV_TO_ROW)
    assert [f[:3] for f in found] == [
        ("config/profiles/core.env", 2, 10),
        ("docs/profiles.md", 5, 30),
    ]


COMPOSE = """\
services:
  web:
    image: nginx:1.27
    depends_on: [db, cache]
  db:
    image: postgres:17
    depends_on:
      cache: {condition: service_started}
      queue: {condition: service_started}
  cache:
    image: redis:7
  queue:
    image: rabbitmq:4
"""
DOCS = "# Services\n\n## Included\n\n- db\n- cache\n- web\n"

DEPENDENCIES = """\
    target: {kind: compose}
    select: services
    checks:
      - relation:
          values: depends_on
          markdown: {file: docs/services.md, values: {in: lists, take: items}}
          op: subset-of
        message: "{service} needs {value}"
"""


def test_a_compose_subject_relates_to_the_docs(repo: Repo) -> None:
    """The issue's bug: a relation from a compose subject yielded nothing, then fired on
    every depends_on with an empty {value}."""
    root = repo({"compose.yaml": COMPOSE, "docs/services.md": DOCS})
    assert _found(root, DEPENDENCIES) == [
        ("compose.yaml", 9, 7, "db needs not in docs/services.md: queue"),
    ]
    (root / "docs/services.md").write_text(DOCS + "- queue\n", encoding="utf-8")
    assert _found(root, DEPENDENCIES) == []


def test_service_names_and_the_docs_on_both_sides(repo: Repo) -> None:
    policy = """\
    target: {kind: markdown, files: [docs/services.md]}
    select: document
    checks:
      - relation:
          values: {in: lists, take: items}
          to: {kind: compose, file: compose.yaml, select: services, take: "@service"}
        message: "{value}"
"""
    root = repo({"compose.yaml": COMPOSE, "docs/services.md": DOCS.replace("- web", "- www")})
    message = "not in compose.yaml: www; missing here, in compose.yaml: queue, web"
    assert _found(root, policy) == [
        ("compose.yaml", 2, 3, message),
        ("compose.yaml", 12, 3, message),
        ("docs/services.md", 7, 1, message),
    ]


def test_a_compose_profile_and_a_yaml_list(repo: Repo) -> None:
    compose = (
        "services:\n"
        "  ollama: {image: 'ollama/ollama:0.5.7', profiles: [core]}\n"
        "  webui: {image: 'open-webui:0.5.4', profiles: ['core', full]}\n"
        "  grafana: {image: 'grafana/grafana:11.0.0', profiles: [full]}\n"
    )
    policy = """\
    target: {kind: yaml, files: [deploy/list.yaml]}
    select: {items: core}
    checks:
      - relation:
          values: .
          compose: {file: compose.yaml, profile: core}
          op: subset-of
        message: "{value}"
"""
    root = repo({"compose.yaml": compose, "deploy/list.yaml": "core:\n  - ollama\n  - 'grafana'\n"})
    assert _found(root, policy) == [
        ("deploy/list.yaml", 3, 6, "not in compose.yaml profile core: grafana"),
    ]


def test_a_text_line_split_into_parts(repo: Repo) -> None:
    policy = """\
    target: {kind: text, files: [MAINTAINERS]}
    select: lines
    where: {field: text, matches: '^owners:'}
    checks:
      - relation:
          values: text
          steps: [{drop-prefix: 'owners:'}, {split: ','}, trim, lower]
          list: [alice, bob]
        message: "{value}"
"""
    root = repo({"MAINTAINERS": "# who\nowners: Alice,  Carol ,bob\n"})
    assert _found(root, policy) == [("MAINTAINERS", 2, 17, "not in the list: carol")]


def test_tree_entries_relate_to_a_markdown_index(repo: Repo) -> None:
    policy = """\
    target: {kind: tree}
    select: repository
    checks:
      - relation:
          values: {in: files, where: {field: folder, equals: docs/adr}, take: name}
          to: {kind: markdown, file: docs/adr/README.md, select: links, take: target}
        message: "{value}"
"""
    root = repo(
        {
            "docs/adr/README.md": "# ADRs\n\n- [One](0001-one.md)\n- [Two](0002-two.md)\n",
            "docs/adr/0001-one.md": "# One\n",
            "docs/adr/0003-three.md": "# Three\n",
        }
    )
    message = (
        "not in docs/adr/README.md: 0003-three.md, README.md; "
        "missing here, in docs/adr/README.md: 0002-two.md"
    )
    found = _found(root, policy)
    assert ("docs/adr/0003-three.md", 1, 1, message) in found
    assert ("docs/adr/README.md", 4, 3, message) in found


def test_the_other_file_missing_fails_at_the_subject(repo: Repo) -> None:
    root = repo({"compose.yaml": COMPOSE})
    found = _found(root, DEPENDENCIES)
    assert [f[:3] for f in found] == [("compose.yaml", 2, 3), ("compose.yaml", 5, 3)]
    # {value} says what differs: the whole other side.
    assert found[0][3].endswith(" needs the markdown file docs/services.md is missing")


@pytest.mark.parametrize(
    "path", ["/etc/passwd", "../outside.md", "link.md", "a\\u0000b", "docs/{path}.md"]
)
def test_a_side_never_reads_outside_the_repository(repo: Repo, path: str) -> None:
    root = repo({"README.md": "# x\n\n- a\n"})
    (root / "link.md").symlink_to("/etc/passwd")
    policy = f"""\
    target: {{kind: markdown, files: [README.md]}}
    select: document
    checks:
      - relation:
          values: {{in: lists, take: items}}
          to: {{kind: text, file: "{path}", select: lines, take: text}}
        message: "{{value}}"
      - identical-to: "{path}"
        message: "{{value}}"
"""
    found = [f[:3] for f in _found(root, policy) if f[0] != "link.md"]  # link.md: file/symlink
    assert found == [("README.md", 1, 1)] * 2


@pytest.mark.parametrize(
    ("side", "error"),
    [
        ("to: {kind: nope, file: x, select: rows, take: .}", "kind"),
        ("to: {kind: markdown, file: x.md, select: services, take: .}", "selector 'services'"),
        (
            "to: {kind: markdown, file: x.md, select: rows, where: {field: cell, equals: a}}",
            "no field 'cell'",
        ),
        ("to: {kind: env, file: .env, select: variables, take: name}", "no field 'name'"),
        ("list: [a]\n          steps: [{split: '('}]", "RE2 rejects"),
        ("list: [a]\n          steps: [upper]", "steps[0]"),
    ],
)
def test_a_bad_side_or_step_is_a_load_error(repo: Repo, side: str, error: str) -> None:
    policy = f"""\
    target: {{kind: markdown}}
    select: document
    checks:
      - relation:
          values: {{in: lists, take: items}}
          {side}
        message: "m"
"""
    root = repo({"README.md": "# x\n", "p.yaml": HEAD + policy})
    ran = run_cli("check", "--no-builtin", "--policy", "p.yaml", cwd=root)
    assert ran.code == 2, ran.out
    assert "p.yaml:1" in ran.err
    assert error in ran.err
    assert len(ran.err.splitlines()) == 1


def test_the_docs_tables_are_the_registries() -> None:
    docs = (REPO / "docs" / "policy-language.md").read_text(encoding="utf-8")
    assert sides.table() in docs
    assert steps.table() in docs
    assert sides.positions_table() in docs
    assert list(sides.POSITIONS) == targetable()


def test_the_schema_is_the_registries() -> None:
    schema = json.loads(schema_text())["$defs"]
    generated = relations.schema()
    assert schema["condition-body"]["properties"]["relation"] == generated["relation"]
    assert schema["condition-body"]["properties"]["identical-to"] == generated["identical-to"]
    assert schema["taken"] == generated["taken"]
    assert schema["steps"] == generated["steps"]
    named = set(generated["relation"]["properties"]) - {"values", "steps", "op", "normalize"}
    assert named == set(sides.SIDES)


def _run_steps(written: list[object], text: str) -> list[tuple[str, int, bool]]:
    apply = steps.compile_steps(written, ())
    return [(v.text, v.start, v.aligned) for v in apply([steps.Value(text, None)])]


@pytest.mark.parametrize(
    ("written", "text", "expected"),
    [
        ([{"split": ","}, "trim"], " a , bb,", [("a", 1, True), ("bb", 5, True)]),
        ([{"strip": r"^.*\(|\)$"}], "Open WebUI (open-webui)", [("open-webui", 12, True)]),
        ([{"strip": "-"}], "open-web-ui", [("openwebui", 0, False)]),  # holes: not aligned
        ([{"drop-prefix": "x-"}, "lower"], "x-Web", [("web", 2, True)]),
        ([{"map": {"db": "postgres"}}], "db", [("postgres", 0, False)]),
        (["lower"], "\u0130x", [("i\u0307x", 0, False)]),  # lower-casing changed the length
        ([{"drop-matching": "^#"}], "#x", []),
        (["trim"], "   ", []),
    ],
)
def test_steps_move_the_position_with_the_text(
    written: list[object], text: str, expected: list[tuple[str, int, bool]]
) -> None:
    assert _run_steps(written, text) == expected


def test_a_table_row_relates_to_an_env_variable(repo: Repo) -> None:
    policy = """\
    target: {kind: markdown, files: [docs/profiles.md]}
    select: rows
    where: {field: cells.profile, equals: core}
    checks:
      - relation:
          values: cells.services
          steps: [{split: ','}]
          env: {file: .env, key: CORE}
          normalize: [trim]
        message: "{value}"
"""
    root = repo({"docs/profiles.md": PROFILES, ".env": 'CORE="ollama,open-webui,db"\n'})
    message = "not in .env CORE: grafana; missing here, in .env CORE: db"
    assert _found(root, policy) == [
        (".env", 1, 25, message),
        ("docs/profiles.md", 5, 30, message),
    ]


def test_headings_relate_to_a_yaml_mapping_s_keys(repo: Repo) -> None:
    policy = """\
    target: {kind: markdown, files: [docs/jobs.md]}
    select: document
    checks:
      - relation:
          values: {in: headings, where: {field: level, equals: 2}, take: text}
          to: {kind: yaml, file: ci.yml, select: {nodes: jobs}, take: .}
        message: "{value}"
"""
    root = repo(
        {
            "docs/jobs.md": "# Jobs\n\n## build\n\n## deploy\n",
            "ci.yml": "jobs:\n  build: {runs-on: x}\n  'test': {runs-on: x}\n",
        }
    )
    message = "not in ci.yml: deploy; missing here, in ci.yml: test"
    assert _found(root, policy) == [
        ("ci.yml", 3, 4, message),
        ("docs/jobs.md", 5, 1, message),
    ]


def test_a_counterpart_that_is_no_readable_file_says_so(repo: Repo) -> None:
    root = repo({"a/x.md": "# x\n", "b/x.md/keep": "", "p.yaml": ""})
    policy = """\
    target: {kind: tree}
    select: {files: "a/**"}
    checks:
      - identical-to: {replace: '^a/', with: b/}
        message: "{value}"
"""
    assert _found(root, policy) == [
        (
            "a/x.md",
            1,
            1,
            "b/x.md is not a file aixcl-lint reads (a folder, a special file, too large)",
        )
    ]
