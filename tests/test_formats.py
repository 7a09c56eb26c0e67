"""SARIF (validated against the 2.1.0 schema), GitHub annotations, JUnit, --output."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from pathlib import Path

import jsonschema
import pytest

from conftest import REPO, SARIF_SCHEMA, run_cli

Repo = Callable[[Mapping[str, str | bytes]], Path]
BASE = "services:\n  web:\n    image: nginx:latest\n    ports: ['80:80']\n"


@pytest.fixture
def repo(aixcl_repo: Repo) -> Repo:
    """These tests use AIXCL's invariants: the aixcl profile is on (test_profiles.py
    covers the default profile)."""
    return aixcl_repo


def _sarif(root: Path) -> dict[str, object]:
    ran = run_cli("check", "--format", "sarif", cwd=root)
    assert ran.code == 1, ran.err
    return json.loads(ran.out)  # type: ignore[no-any-return]


def test_sarif_validates_against_the_schema() -> None:
    ran = run_cli("check", "examples/aixcl", "--format", "sarif", cwd=REPO)
    log = json.loads(ran.out)
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(log, schema, cls=jsonschema.Draft4Validator)
    run = log["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert len(run["results"]) == 8
    for result in run["results"]:
        rule = run["tool"]["driver"]["rules"][result["ruleIndex"]]
        assert rule["id"] == result["ruleId"]
        assert rule["helpUri"].startswith("https://")
        assert rule["fullDescription"]["text"]
        assert result["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1
    assert "compose/image-pinned[latest]" in rules


def test_sarif_fingerprints_survive_unrelated_line_shifts(repo: Repo) -> None:
    root = repo({"compose.yaml": BASE})
    before = _sarif(root)["runs"][0]["results"]  # type: ignore[index]
    (root / "compose.yaml").write_text("# a comment added above\n\n" + BASE, encoding="utf-8")
    after = _sarif(root)["runs"][0]["results"]  # type: ignore[index]
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in after] != [
        r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in before
    ]
    assert [r["partialFingerprints"] for r in after] == [r["partialFingerprints"] for r in before]
    assert len({r["partialFingerprints"]["aixclLint/v1"] for r in after}) == len(after)


def test_github_annotations(repo: Repo) -> None:
    root = repo({"compose.yaml": BASE})
    ran = run_cli("check", "--format", "github", cwd=root)
    lines = ran.out.splitlines()
    assert lines[0] == (
        "::error file=compose.yaml,line=2,col=3,endLine=2,endColumn=6,"
        "title=compose/network-mode-host::service 'web' does not set network_mode; AIXCL "
        "services use network_mode: host"
    )
    assert len([line for line in lines if line.startswith("::error ")]) == 3


REQUIRED = """\
version: 1
rules:
  - id: repo/required
    title: The repository has a licence
    severity: error
    target: {kind: tree}
    select: repository
    checks:
      - file-exists: [LICENSE]
        message: "the repository has no LICENSE"
"""


def test_a_finding_about_the_repository_is_in_no_file_for_github_sarif_and_junit(
    repo: Repo, tmp_path: Path
) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text(REQUIRED.replace("repo/required", "team/required"), encoding="utf-8")
    root = repo({"README.md": "# x\n", ".aixcl-lint/policies/required.yaml": REQUIRED})
    args = ("check", "--select", "repo,team", "--policy", str(outside), "--format")
    ran = run_cli(*args, "github", cwd=root)
    assert ran.out.splitlines()[:2] == [
        "::error title=repo/required::the repository has no LICENSE",
        "::error title=team/required::the repository has no LICENSE",
    ]
    log = json.loads(run_cli(*args, "sarif", cwd=root).out)
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(log, schema, cls=jsonschema.Draft4Validator)
    ours, theirs = log["runs"][0]["results"]
    (where,) = ours["locations"]  # GitHub code scanning needs a file: the rule's own
    assert where["physicalLocation"]["artifactLocation"]["uri"] == (
        ".aixcl-lint/policies/required.yaml"
    )
    assert where["physicalLocation"]["region"]["startLine"] == 3
    assert "locations" not in theirs  # declared outside the repository: no file to show
    junit = ET.fromstring(run_cli(*args, "junit", cwd=root).out)
    cases = [c for c in junit.iter("testcase") if c.get("classname") == "repo/required"]
    assert [(c.get("file"), c.get("line")) for c in cases] == [(None, None)]


def test_auto_format_is_github_inside_actions(repo: Repo) -> None:
    root = repo({"compose.yaml": BASE})
    assert run_cli("check", cwd=root, env={"GITHUB_ACTIONS": "true"}).out.startswith("::error ")
    assert run_cli("check", cwd=root).out.startswith("compose.yaml:2:3: error")


def test_junit(repo: Repo) -> None:
    root = repo({"compose.yaml": BASE})
    tree = ET.fromstring(run_cli("check", "--format", "junit", cwd=root).out)
    suite = tree.find("testsuite")
    assert suite is not None
    assert suite.get("failures") == "3"
    names = [case.get("name") for case in suite.iter("testcase")]
    assert names == ["compose.yaml:2:3", "compose.yaml:3:12", "compose.yaml:4:5"]


def test_junit_clean_run_has_one_passing_case(repo: Repo) -> None:
    root = repo({"compose.yaml": "services: {}\n"})
    tree = ET.fromstring(run_cli("check", "--format", "junit", cwd=root).out)
    assert [c.get("name") for c in tree.iter("testcase")] == ["1 files checked"]
    assert tree.find(".//failure") is None


def test_output_file(repo: Repo) -> None:
    root = repo({"compose.yaml": BASE})
    ran = run_cli("check", "--format", "json", "--output", "report.json", cwd=root)
    assert (ran.code, ran.out) == (1, "")
    assert len(json.loads((root / "report.json").read_text())["findings"]) == 3


@pytest.mark.parametrize("fmt", ["text", "json", "sarif"])
def test_output_into_a_missing_folder_is_a_one_line_error(repo: Repo, fmt: str) -> None:
    root = repo({"compose.yaml": BASE})
    ran = run_cli("check", "--format", fmt, "-o", "missing/report.out", cwd=root)
    assert ran.code == 2
    assert ran.err.startswith("aixcl-lint: error: cannot write missing/report.out")
    assert len(ran.err.splitlines()) == 1


def _frame(line: str, start: int, end: int) -> list[str]:
    from aixcl_lint.core import Finding, Position, Severity, Span
    from aixcl_lint.report.text import frame

    span = Span(Position(3, start), Position(3, end))
    finding = Finding("a.md", span, "docs/anchors", Severity.ERROR, "m")
    return frame(finding, line, None, False)


def test_a_code_frame_on_a_long_line_shows_a_window_around_the_span() -> None:
    from aixcl_lint.report.text import FRAME_WIDTH

    line = "".join(f"[a](#x{i:06}) " for i in range(100_000))  # 1.5 MB on one line
    at = line.index("[a](#x054321)") + 1
    _, shown, carets = _frame(line, at, at + len("[a](#x054321)"))
    assert len(shown) < FRAME_WIDTH + 10
    assert shown.startswith(" 3 | …")
    assert shown.endswith("…")
    under = carets.index("^")
    assert shown[under : under + 13] == "[a](#x054321)"
    assert carets[under:] == "^" * 13
    _, shown, carets = _frame(line, len(line) - 13, len(line))  # the last link
    assert shown[carets.index("^") :] == "[a](#x099999) "
    assert carets.endswith("^" * 13)
    assert _frame("short line", 1, 6)[1:] == [" 3 | short line", "   | ^^^^^"]
