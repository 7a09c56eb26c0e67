"""A governed rule's citation in the formats test_governance.py does not cover: GitHub
annotations, JUnit XML, and ``aixcl-lint explain``."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from conftest import run_cli
from test_governance import COMPOSE, DOC, INVARIANTS, git_repo

CITED = f"({INVARIANTS} \u00a77)"


def _check(root: Path, fmt: str) -> str:
    ran = run_cli("check", "--profile", "aixcl", "--select", "compose", "--format", fmt, cwd=root)
    assert ran.code == 1, ran.err
    return ran.out


def test_github_annotations_cite_the_clause(tmp_path: Path) -> None:
    root = git_repo(tmp_path, {"compose.yaml": COMPOSE, INVARIANTS: DOC})
    (line,) = [x for x in _check(root, "github").splitlines() if x.startswith("::")]
    assert line.startswith("::error file=compose.yaml,line=5,col=5,")
    assert line.endswith(f"host networking ignores 'ports:', remove it {CITED}")


def test_github_annotations_without_the_document_cite_nothing(tmp_path: Path) -> None:
    root = git_repo(tmp_path, {"compose.yaml": COMPOSE})
    (line,) = [x for x in _check(root, "github").splitlines() if x.startswith("::")]
    assert line.endswith("remove it")


def test_junit_cites_the_clause(tmp_path: Path) -> None:
    root = git_repo(tmp_path, {"compose.yaml": COMPOSE, INVARIANTS: DOC})
    suites = ET.fromstring(_check(root, "junit"))
    (case,) = suites.iter("testcase")
    failure = case.find("failure")
    assert failure is not None
    assert failure.get("message", "").endswith(CITED)
    assert (failure.text or "").endswith(CITED)
    (prop,) = case.iter("property")
    assert (prop.get("name"), prop.get("value")) == ("governed_by", f"{INVARIANTS} \u00a77")


def test_junit_without_the_document_has_no_property(tmp_path: Path) -> None:
    root = git_repo(tmp_path, {"compose.yaml": COMPOSE})
    suites = ET.fromstring(_check(root, "junit"))
    (case,) = suites.iter("testcase")
    assert list(case.iter("property")) == []
    failure = case.find("failure")
    assert failure is not None
    assert not failure.get("message", "").endswith(CITED)


def _explain(root: Path) -> str:
    ran = run_cli("explain", "compose/no-port-mappings", cwd=root)
    assert ran.code == 0, ran.err
    return ran.out


def test_explain_names_the_clause_and_where_it_is(tmp_path: Path) -> None:
    root = git_repo(tmp_path, {"compose.yaml": COMPOSE, INVARIANTS: DOC})
    out = _explain(root)
    assert "## Governed by" in out
    assert f"Enforces {INVARIANTS} \u00a77 (declared at <builtin>" in out
    assert f"Its heading is at {INVARIANTS}:3; findings cite it." in out
    (root / INVARIANTS).write_text(DOC.replace("## 7.", "## 8.").replace("7.1", "8.1"))
    assert (
        "It is gone (the document has no heading numbered 7): "
        "`compose/no-port-mappings[governed-by]` says so."
    ) in _explain(root)
    (root / INVARIANTS).unlink()
    assert "This repository has no such document" in _explain(root)


def test_explain_of_an_ungoverned_rule_has_no_section(tmp_path: Path) -> None:
    root = git_repo(tmp_path, {"compose.yaml": COMPOSE, INVARIANTS: DOC})
    ran = run_cli("explain", "compose/image-pinned", cwd=root)
    assert ran.code == 0, ran.err
    assert "Governed by" not in ran.out
