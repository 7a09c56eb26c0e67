"""The yaml, text and tree kinds end to end: real files in real git repositories, run
through ``main(argv)`` in-process."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from aixcl_lint.cli import main
from conftest import REPO, write_tree

EXAMPLES = REPO / "docs" / "examples"


def _git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "init.defaultBranch=main", *args], cwd=root, check=True, capture_output=True
    )


def git_repo(root: Path, files: Mapping[str, str | bytes], untracked: tuple[str, ...] = ()) -> Path:
    """A git repository holding ``files``, all tracked (ignored ones too) but ``untracked``."""
    write_tree(root, files)
    _git(root, "init", "-q")
    tracked = [p for p in files if p not in untracked]
    if tracked:
        _git(root, "add", "-f", "--", *tracked)
    return root


def check(
    root: Path,
    policy: Path | str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    *paths: str,
) -> tuple[int, dict[str, Any]]:
    """``aixcl-lint check --no-builtin --policy POLICY --format json PATHS`` in ``root``."""
    if isinstance(policy, str):
        (root / "p.yaml").write_text(policy, encoding="utf-8")
        policy = root / "p.yaml"
    monkeypatch.chdir(root)
    code = main(["check", "--no-builtin", "--policy", str(policy), "--format", "json", *paths])
    captured = capsys.readouterr()
    assert code in (0, 1), captured.err
    return code, json.loads(captured.out)


def found(report: dict[str, Any]) -> list[tuple[str, str, int, int]]:
    return [(f["rule"], f["path"], f["line"], f["column"]) for f in report["findings"]]


WORKFLOW = """\
name: ci
on:
  push:
    branches: [main, "release/*"]
jobs:
  Test_Job:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: make
  release:
    uses: org/wf/.github/workflows/r.yml@0123456789abcdef0123456789abcdef01234567
"""


def test_workflows_pinned_and_permissions_on_a_real_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = git_repo(tmp_path, {".github/workflows/ci.yml": WORKFLOW, "README.md": "# r\n"})
    code, report = check(root, EXAMPLES / "actions-pinned.yaml", monkeypatch, capsys)
    assert code == 1
    assert found(report) == [("ci/actions-pinned[step]", ".github/workflows/ci.yml", 9, 15)]
    assert report["findings"][0]["message"] == (
        "step uses 'actions/checkout@v4', which is not pinned to a full commit SHA"
    )
    _, report = check(root, EXAMPLES / "workflow-permissions.yaml", monkeypatch, capsys)
    assert found(report) == [("ci/workflow-permissions", ".github/workflows/ci.yml", 1, 1)]
    # A named file (as pre-commit passes them) is read by the yaml kind too.
    _, report = check(
        root, EXAMPLES / "actions-pinned.yaml", monkeypatch, capsys, ".github/workflows/ci.yml"
    )
    assert report["summary"]["files"] == 1
    assert len(report["findings"]) == 1


KEYS_AND_ITEMS = """\
version: 1
rules:
  - id: ci/names
    title: Job ids and branch names
    severity: error
    target: {kind: yaml, files: [".github/workflows/*"]}
    select: {keys: jobs}
    checks:
      - id: job-id
        field: .
        matches: '^[a-z][a-z0-9-]*$'
        message: "job id '{value}' is not lower-case kebab-case"
      - id: branch
        select: {items: "on.push.branches"}
        field: .
        not-matches: '\\*'
        message: "branch pattern '{value}' ({at}) is a wildcard"
"""


def test_keys_and_plain_items_of_a_workflow(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = git_repo(tmp_path, {".github/workflows/ci.yml": WORKFLOW})
    _, report = check(root, KEYS_AND_ITEMS, monkeypatch, capsys)
    assert found(report) == [
        ("ci/names[branch]", ".github/workflows/ci.yml", 4, 22),
        ("ci/names[job-id]", ".github/workflows/ci.yml", 6, 3),
    ]
    messages = [f["message"] for f in report["findings"]]
    assert messages == [
        "branch pattern 'release/*' (on.push.branches[1]) is a wildcard",
        "job id 'Test_Job' is not lower-case kebab-case",
    ]


MANIFEST = """\
apiVersion: v1
kind: Service
metadata: {name: web}
---
apiVersion: apps/v1
kind: Deployment
spec:
  template:
    spec:
      containers:
        - name: web
          image: nginx:latest
        - name: sidecar
          image: envoy:1.31
"""

K8S = """\
version: 1
rules:
  - id: k8s/image-pinned
    title: Container images are pinned
    severity: error
    target: {kind: yaml, files: ["deploy/*.yaml", "deploy/*.json"]}
    select: {nodes: "spec.template.spec.containers[*]"}
    checks:
      - field: image
        not-matches: ':latest$'
        message: "container '{key}' of document {document} uses '{value}'"
"""


def test_every_document_of_a_manifest_and_json_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    as_json = '{"spec": {"template": {"spec": {"containers": [{"image": "redis:latest"}]}}}}\n'
    root = git_repo(tmp_path, {"deploy/web.yaml": MANIFEST, "deploy/cache.json": as_json})
    _, report = check(root, K8S, monkeypatch, capsys)
    assert found(report) == [
        ("k8s/image-pinned", "deploy/cache.json", 1, 58),
        ("k8s/image-pinned", "deploy/web.yaml", 12, 18),
    ]
    assert report["findings"][1]["message"] == (
        "container 'containers' of document 2 uses 'nginx:latest'"
    )


def test_yaml_files_have_the_compose_safety_bounds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8)
    )
    root = git_repo(
        tmp_path,
        {
            "deploy/bomb.yaml": bomb,
            "deploy/tag.yaml": "spec: !!python/object:os.system {}\n",
            "deploy/deep.yaml": "[" * 300 + "]" * 300 + "\n",
        },
    )
    _, report = check(root, K8S, monkeypatch, capsys)
    assert {(f["rule"], f["path"]) for f in report["findings"]} == {
        ("yaml/alias-bomb", "deploy/bomb.yaml"),
        ("yaml/unsafe-tag", "deploy/tag.yaml"),
        ("yaml/too-deep", "deploy/deep.yaml"),
    }


SHELL = "#!/bin/sh\r\nset -eu\r\ndocker pull nginx\necho done"


def test_shell_scripts_are_read_by_glob_whole_repository_and_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Before kinds were a registry, a text rule for *.sh loaded and never ran.
    root = git_repo(tmp_path, {"scripts/up.sh": SHELL, "notes.txt": "a\r\nb\r\n"})
    expected = [
        ("text/shell-lf[crlf]", "scripts/up.sh", 1, 1),
        ("text/shell-lf[crlf]", "scripts/up.sh", 2, 1),
        ("text/shell-lf[final-newline]", "scripts/up.sh", 4, 1),
    ]
    _, report = check(root, EXAMPLES / "line-endings.yaml", monkeypatch, capsys)
    assert found(report) == expected
    assert report["summary"]["files"] == 1
    _, report = check(root, EXAMPLES / "line-endings.yaml", monkeypatch, capsys, "scripts/up.sh")
    assert found(report) == expected
    _, report = check(root, EXAMPLES / "shell-image-pinned.yaml", monkeypatch, capsys)
    assert found(report) == [("shell/image-pinned", "scripts/up.sh", 3, 1)]


FACTS = """\
version: 1
rules:
  - id: text/facts
    title: Raw facts
    severity: error
    target: {kind: text, files: ["*.tf", "Dockerfile"]}
    select: file
    checks:
      - {id: bom, field: bom, equals: false, message: "{path} starts with a BOM"}
      - {id: tabs, field: tabs, equals: 0, message: "{path} has {value} lines with tabs"}
      - id: trailing
        select: lines
        field: trailing_whitespace
        equals: false
        message: "trailing whitespace in '{line}'"
"""


def test_text_facts_and_binary_files_only_where_targeted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = git_repo(
        tmp_path,
        {
            "main.tf": "\ufeffresource x {\n\tname = 1  \n}\n",
            "Dockerfile": b"FROM scratch\n\0\n",
            "logo.png": b"\x89PNG\0\0",
            "README.md": "# r\n",
        },
    )
    _, report = check(root, FACTS, monkeypatch, capsys)
    assert found(report) == [
        ("file/binary", "Dockerfile", 2, 1),
        ("text/facts[bom]", "main.tf", 1, 1),
        ("text/facts[tabs]", "main.tf", 2, 1),
        ("text/facts[trailing]", "main.tf", 2, 1),
    ]


def test_directives_in_files_read_by_glob(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    script = (
        "#!/bin/sh\n"
        "# aixcl-lint: ignore[shell/image-pinned] the vendor publishes only latest\n"
        "docker pull vendor/agent\n"
    )
    root = git_repo(tmp_path, {"scripts/up.sh": script})
    code, report = check(root, EXAMPLES / "shell-image-pinned.yaml", monkeypatch, capsys)
    assert (code, found(report)) == (0, [])


TREE = """\
version: 1
rules:
  - id: repo/tree
    title: The file tree
    severity: error
    target: {kind: tree}
    select: repository
    checks:
      - id: security
        file-exists: [SECURITY.md, .github/SECURITY.md]
        message: "the repository has no security policy"
      - id: size
        select: files
        field: size
        at-most: 1000
        message: "{path} is {value} bytes"
      - id: ignored
        select: {files: "*.env"}
        where: {field: tracked, equals: true}
        field: ignored
        equals: false
        message: "{path} is tracked although .gitignore names it"
"""


def test_tree_tracked_ignored_sizes_and_required_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = git_repo(
        tmp_path,
        {
            ".gitignore": "*.env\nbuild/\n",
            "prod.env": "KEY=1\n",
            "local.env": "KEY=2\n",
            "big.bin": b"x" * 2000,
            "build/out.txt": "x\n",
            "src/app.py": "print(1)\n",
        },
        untracked=("local.env", "build/out.txt"),
    )
    code, report = check(root, TREE, monkeypatch, capsys)
    assert code == 1
    assert found(report) == [
        ("repo/tree[security]", ".", 1, 1),
        ("repo/tree[size]", "big.bin", 1, 1),
        ("repo/tree[ignored]", "prod.env", 1, 1),
    ]
    (root / "SECURITY.md").write_text("# Security\n", encoding="utf-8")
    _, report = check(root, TREE, monkeypatch, capsys)
    assert [f[0] for f in found(report)] == ["repo/tree[size]", "repo/tree[ignored]"]


def test_no_tracked_artefacts_even_where_gitignore_names_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = git_repo(
        tmp_path,
        {
            ".gitignore": "dist/\n*.pyc\n",
            "dist/app.whl": "x\n",
            "app.pyc": "x\n",
            "node_modules/x/index.js": "x\n",
            "src/app.py": "x\n",
        },
        untracked=("node_modules/x/index.js",),
    )
    _, report = check(root, EXAMPLES / "no-tracked-artefacts.yaml", monkeypatch, capsys)
    assert found(report) == [
        ("repo/no-tracked-artefacts[bytecode]", "app.pyc", 1, 1),
        ("repo/no-tracked-artefacts[folder]", "dist/app.whl", 1, 1),
    ]


def test_every_compose_service_has_its_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    compose = "services:\n  web: {image: 'nginx:1.27'}\n  db: {image: 'postgres:16'}\n"
    root = git_repo(tmp_path, {"compose.yaml": compose, "docs/services/web.md": "# web\n"})
    _, report = check(root, EXAMPLES / "service-docs.yaml", monkeypatch, capsys)
    assert found(report) == [("docs/service-contract", "compose.yaml", 3, 3)]


def test_a_named_file_a_text_rule_reads_is_no_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = git_repo(tmp_path, {"scripts/up.sh": SHELL, "notes.txt": "x\n"})
    policy = str(EXAMPLES / "line-endings.yaml")
    monkeypatch.chdir(root)
    argv = ["check", "--no-builtin", "--policy", policy, "--format", "json"]
    code = main([*argv, "scripts/up.sh", "notes.txt"])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.err == (
        "aixcl-lint: warning: notes.txt: no kind of file aixcl-lint reads; not checked\n"
    )
    assert json.loads(captured.out)["summary"]["files"] == 1


RELATION_AND_TREE = """\
version: 1
rules:
  - id: repo/services-documented
    title: The services are the documented ones
    severity: error
    target: {kind: compose}
    select: project
    checks:
      - relation:
          values: services
          to: {kind: markdown, file: docs/services.md, select: rows, take: cells.service}
        message: "services: {value}"
  - id: repo/readme
    title: The repository has a README
    severity: error
    target: {kind: tree}
    select: repository
    checks:
      - file-exists: [README.md]
        message: "no README"
"""


@pytest.mark.parametrize("with_tree", [True, False])
def test_a_tree_rule_does_not_widen_other_rules_findings_in_a_named_run(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    with_tree: bool,
) -> None:
    policy = RELATION_AND_TREE
    if not with_tree:
        policy = policy.split("  - id: repo/readme", 1)[0]
    root = git_repo(
        tmp_path,
        {
            "compose.yaml": "services:\n  web: {image: 'nginx:1'}\n  db: {image: 'pg:16'}\n",
            "docs/services.md": "| Service |\n| --- |\n| web |\n| queue |\n",
        },
    )
    _, whole = check(root, policy, monkeypatch, capsys)
    relation = [("repo/services-documented", "compose.yaml", 3, 3)]
    other_side = [("repo/services-documented", "docs/services.md", 4, 3)]
    readme = [("repo/readme", ".", 1, 1)] if with_tree else []
    assert sorted(found(whole)) == sorted(readme + relation + other_side)
    # Named compose.yaml: the other side's finding is in a file the run does not lint,
    # and the repository's (no README) comes with a whole-repository run only.
    _, named = check(root, policy, monkeypatch, capsys, "compose.yaml")
    assert sorted(found(named)) == sorted(relation)


REQUIRED_AND_TRACKED = """\
version: 1
rules:
  - id: repo/files
    title: A security policy, and no tracked .env
    severity: error
    target: {kind: tree}
    select: repository
    checks:
      - id: security-policy
        file-exists: [SECURITY.md]
        message: "no SECURITY.md"
      - id: tracked-env
        select: {files: ".env"}
        field: tracked
        equals: false
        message: "{path} is tracked"
  - id: repo/notes
    title: Notes say nothing rude
    severity: error
    target: {kind: text, files: ["*.txt"]}
    select: lines
    checks:
      - field: text
        not-matches: rude
        message: "rude"
"""


@pytest.mark.parametrize(
    ("named", "expected"),
    [
        ((), [("repo/files[security-policy]", "."), ("repo/files[tracked-env]", ".env")]),
        (("notes.txt",), []),
        ((".env", "notes.txt"), [("repo/files[tracked-env]", ".env")]),
    ],
)
def test_named_files_get_the_tree_findings_about_them_only(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    named: tuple[str, ...],
    expected: list[tuple[str, str]],
) -> None:
    root = git_repo(tmp_path, {"notes.txt": "fine\n", ".env": "A=1\n"})
    _, out = check(root, REQUIRED_AND_TRACKED, monkeypatch, capsys, *named)
    assert sorted((rule, path) for rule, path, _, _ in found(out)) == expected
