"""Rules that cite the governance clause they enforce (``governed-by``): the citation in
every format, and a finding when the clause is gone."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from conftest import SARIF_SCHEMA, run_cli, write_tree

INVARIANTS = "docs/architecture/governance/00_invariants.md"
DOC = """\
# Architectural invariants

## 7. Networking

### 7.1 Host networking

<a id="no-ports"></a>
Every service runs with `network_mode: host`.
"""
COMPOSE = "services:\n  web:\n    image: nginx:1.27\n    network_mode: host\n    ports: ['80:80']\n"
TEAM = """\
version: 1
rules:
  - id: team/no-ports
    title: No ports
    severity: warning
    governed-by: {clause}
    target: {{kind: compose}}
    select: services
    checks:
      - field: ports
        absent: true
        message: "service '{{service}}' maps ports"
"""


def git_repo(root: Path, files: dict[str, str]) -> Path:
    """A real git repository holding ``files`` (untracked, as a working copy has them)."""
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return write_tree(root, files)


def run(root: Path, *args: str) -> tuple[int, str, str]:
    """``aixcl-lint ARGS`` in-process in ``root``: exit code, stdout, stderr. ``check``
    runs with the aixcl profile: the clauses the built-in pack cites are AIXCL's."""
    if args[:1] == ("check",):
        args = ("check", "--profile", "aixcl", *args[1:])
    ran = run_cli(*args, cwd=root)
    return ran.code, ran.out, ran.err


def findings(root: Path, *args: str) -> list[dict[str, Any]]:
    code, out, err = run(root, "check", "--format", "json", *args)
    assert code in (0, 1), err
    return json.loads(out)["findings"]  # type: ignore[no-any-return]


def test_builtin_invariants_cite_section_7(tmp_path: Path) -> None:
    root = git_repo(tmp_path, {"compose.yaml": COMPOSE, INVARIANTS: DOC})
    code, out, _ = run(root, "check", "--select", "compose")
    assert code == 1
    assert out.splitlines()[0] == (
        "compose.yaml:5:5: error compose/no-port-mappings [*] service 'web' maps ports; host "
        f"networking ignores 'ports:', remove it ({INVARIANTS} \u00a77)"
    )
    (found,) = findings(root, "--select", "compose")
    assert found["governed_by"] == {"path": INVARIANTS, "section": "7", "line": 3}


def test_sarif_cites_through_help_and_a_related_location(tmp_path: Path) -> None:
    root = git_repo(tmp_path, {"compose.yaml": COMPOSE, INVARIANTS: DOC})
    code, out, _ = run(root, "check", "--select", "compose", "--format", "sarif")
    assert code == 1
    log = json.loads(out)
    jsonschema.validate(log, json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))
    sarif = log["runs"][0]
    (result,) = sarif["results"]
    (related,) = result["relatedLocations"]
    assert related["physicalLocation"]["artifactLocation"]["uri"] == INVARIANTS
    assert related["physicalLocation"]["region"]["startLine"] == 3
    assert related["message"]["text"] == f"governed by {INVARIANTS} \u00a77"
    rules = {r["id"]: r for r in sarif["tool"]["driver"]["rules"]}
    assert f"Enforces {INVARIANTS} \u00a77." in rules["compose/no-port-mappings"]["help"]["text"]
    assert "Enforces" not in rules["compose/image-pinned"]["help"]["text"]


def test_without_the_document_the_builtin_citation_is_left_out(tmp_path: Path) -> None:
    root = git_repo(tmp_path, {"compose.yaml": COMPOSE})
    (found,) = findings(root)
    assert found["rule"] == "compose/no-port-mappings"
    assert "governed_by" not in found


def test_a_renumbered_clause_is_a_finding(tmp_path: Path) -> None:
    renumbered = DOC.replace("## 7.", "## 8.").replace("### 7.1", "### 8.1")
    root = git_repo(tmp_path, {"compose.yaml": COMPOSE, INVARIANTS: renumbered})
    found = findings(root, "--select", "compose")
    gone = [(f["rule"], f["path"], f["line"]) for f in found if "governed-by" in f["rule"]]
    assert gone == [
        ("compose/network-mode-host[governed-by]", INVARIANTS, 1),
        ("compose/no-custom-networks[governed-by]", INVARIANTS, 1),
        ("compose/no-port-mappings[governed-by]", INVARIANTS, 1),
    ]
    first = next(f for f in found if f["rule"] == "compose/network-mode-host[governed-by]")
    assert first["message"] == (
        f"compose/network-mode-host enforces {INVARIANTS} \u00a77, but the document has no "
        "heading numbered 7"
    )
    ports = next(f for f in found if f["rule"] == "compose/no-port-mappings")
    assert "governed_by" not in ports  # a clause that is gone is not cited


@pytest.mark.parametrize(
    ("clause", "doc", "expected"),
    [
        pytest.param(
            f'{{path: {INVARIANTS}, section: "7.1"}}', DOC, [], id="a sub-section is there"
        ),
        pytest.param(f"{{path: {INVARIANTS}, anchor: '#no-ports'}}", DOC, [], id="an HTML anchor"),
        pytest.param(
            f'{{path: {INVARIANTS}, section: "7.2"}}',
            DOC,
            [(INVARIANTS, 1, 1), ("policies/team.yaml", 6, 5)],
            id="a deleted section: at the document and at the policy's key",
        ),
        pytest.param(
            "{path: docs/gone.md}",
            DOC,
            [("policies/team.yaml", 6, 5)],
            id="a deleted document: at the policy's key",
        ),
    ],
)
def test_a_policy_names_its_clause(
    tmp_path: Path, clause: str, doc: str, expected: list[tuple[str, int, int]]
) -> None:
    files = {
        "compose.yaml": COMPOSE,
        INVARIANTS: doc,
        "policies/team.yaml": TEAM.format(clause=clause),
    }
    root = git_repo(tmp_path, files)
    found = findings(root, "--no-builtin", "--policy", "policies")
    gone = [
        (f["path"], f["line"], f["column"])
        for f in found
        if f["rule"] == "team/no-ports[governed-by]"
    ]
    assert gone == expected
    cited = [f for f in found if f["rule"] == "team/no-ports"]
    assert len(cited) == 1
    assert ("governed_by" in cited[0]) is not expected
    assert all(f["severity"] == "warning" for f in found)


def test_named_files_report_a_gone_clause_only_when_they_name_its_document(
    tmp_path: Path,
) -> None:
    renumbered = DOC.replace("## 7.", "## 8.")
    root = git_repo(tmp_path, {"compose.yaml": COMPOSE, INVARIANTS: renumbered})
    assert not [f for f in findings(root, "compose.yaml") if "governed-by" in f["rule"]]
    named = findings(root, INVARIANTS, "--select", "compose/no-port-mappings")
    assert [(f["rule"], f["path"]) for f in named] == [
        ("compose/no-port-mappings[governed-by]", INVARIANTS)
    ]


def test_config_overrides_the_clause(tmp_path: Path) -> None:
    config = (
        "governed-by:\n"
        f"  compose/no-port-mappings: {{path: {INVARIANTS}, anchor: 71-host-networking}}\n"
        "  compose/network-mode-host: false\n"
        "  compose/no-custom-networks: {path: docs/policy.md, section: 2}\n"
    )
    files = {"compose.yaml": COMPOSE, INVARIANTS: DOC, ".aixcl-lint.yaml": config}
    root = git_repo(tmp_path, files)
    found = findings(root, "--select", "compose")
    by_rule = {f["rule"]: f for f in found}
    assert by_rule["compose/no-port-mappings"]["governed_by"] == {
        "path": INVARIANTS,
        "anchor": "71-host-networking",
        "line": 5,
    }
    gone = by_rule["compose/no-custom-networks[governed-by]"]
    # at the rule id's key, as the other config errors point (newuser3 #23: was 4:1)
    assert (gone["path"], gone["line"], gone["column"], gone["end_column"]) == (
        ".aixcl-lint.yaml",
        4,
        3,
        29,
    )
    assert "network-mode-host[governed-by]" not in " ".join(by_rule)


def test_a_pack_adjusts_the_clause(tmp_path: Path) -> None:
    pack = (
        "pack: 1\nextends: [builtin]\nrules:\n  compose/no-port-mappings:\n"
        f"    governed-by: {{path: {INVARIANTS}, section: '7.1'}}\n"
    )
    files = {"compose.yaml": COMPOSE, INVARIANTS: DOC, "pack/pack.yaml": pack}
    root = git_repo(tmp_path, files)
    (found,) = findings(root, "--no-builtin", "--policy", "pack", "--select", "compose")
    assert found["governed_by"] == {"path": INVARIANTS, "section": "7.1", "line": 5}


@pytest.mark.parametrize(
    ("files", "reason"),
    [
        pytest.param(
            {".aixcl-lint.yaml": "governed-by:\n  team/nope: {path: a.md}\n"},
            ".aixcl-lint.yaml:2: governed-by: unknown rule id 'team/nope'",
            id="config: unknown rule",
        ),
        pytest.param(
            {".aixcl-lint.yaml": "governed-by:\n  compose/no-port-mappings: {path: ../x.md}\n"},
            "'../x.md' is not a path inside the repository",
            id="config: outside the repository",
        ),
        pytest.param(
            {".aixcl-lint.yaml": "governed-by:\n  compose/no-port-mappings: {file: x.md}\n"},
            "governed-by is {path: FILE, section: N}",
            id="config: no path",
        ),
        pytest.param(
            {"policies/team.yaml": TEAM.format(clause="{path: a.md, section: seven}")},
            "policies/team.yaml:6:",
            id="policy: a section that is not a number",
        ),
        pytest.param(
            {"policies/team.yaml": TEAM.format(clause="{path: a.md, section: '1', anchor: b}")},
            "policies/team.yaml:6:",
            id="policy: section and anchor",
        ),
    ],
)
def test_bad_clauses_are_one_line_errors(
    tmp_path: Path, files: dict[str, str], reason: str
) -> None:
    root = git_repo(tmp_path, {"compose.yaml": COMPOSE, **files})
    code, _, err = (
        run(root, "check", "--policy", "policies")
        if "policies/team.yaml" in files
        else run(root, "check")
    )
    assert code == 2
    assert reason in err, err
    assert len(err.strip().splitlines()) == 1, err


@pytest.mark.parametrize(
    "clause",
    ['{path: "docs/a\\nb.md"}', '{path: a.md, anchor: "x\\ny"}', "{path: a.md, anchor: '#'}"],
)
def test_a_clause_cannot_forge_output(tmp_path: Path, clause: str) -> None:
    root = git_repo(
        tmp_path, {"compose.yaml": COMPOSE, "policies/team.yaml": TEAM.format(clause=clause)}
    )
    code, _, err = run(root, "check", "--no-builtin", "--policy", "policies")
    assert code == 2
    assert "policies/team.yaml:6:" in err, err
    assert len(err.strip().splitlines()) == 1, err
