"""The engine's evaluation plan: conditions only a file's path decides are decided once
per file (and such a file is not read), subjects are selected once per document, and a
run keeps no file's text beyond the lines its findings need."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from aixcl_lint.config import Settings
from aixcl_lint.engine import Evaluation
from aixcl_lint.kinds import KINDS
from aixcl_lint.policy.packs import PackLoader
from aixcl_lint.policy.scope import deciding_variables
from aixcl_lint.run.load import Loader, found_lines
from test_kinds_cli import check, found, git_repo


@pytest.mark.parametrize(
    ("condition", "variables"),
    [
        ({"field": "@path", "matches": r"\.md$"}, {"path"}),
        ({"not": {"field": "@path", "one-of": ["a", {"option": "x"}]}}, {"path"}),
        ({"all": [{"option": "strict"}, {"field": "@path", "equals": "a"}]}, {"path"}),
        (
            {"any": [{"field": "@path", "present": True}, {"field": "@key", "absent": True}]},
            {"path", "key"},
        ),
        ({"field": "image", "matches": "x"}, None),  # a field of the subject
        ({"field": "@path", "equals": "{service}"}, None),  # a template reads variables
        ({"field": "@path", "equals": {"field": "image"}}, None),
        ({"field": "@a.b", "equals": "x"}, None),
        ({"all": [{"field": "@path", "equals": "a"}, {"some": {"in": "links"}}]}, None),
    ],
)
def test_deciding_variables(condition: dict[str, Any], variables: set[str] | None) -> None:
    found_variables = deciding_variables(condition)
    assert (None if found_variables is None else set(found_variables)) == variables


SKIPPED = """\
version: 1
rules:
  - id: text/tabs
    title: No tabs
    severity: error
    target: {kind: text, files: ["*.dat"]}
    select: lines
    unless: {field: "@path", matches: 'skip\\.dat$'}
    checks:
      - {field: tabs, equals: false, message: "a tab in {path}"}
"""


def test_a_file_its_path_exempts_is_never_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A binary file is reported when a text rule reads it: skip.dat, which the rule's
    # `unless` leaves out by its path, is not even read.
    root = git_repo(
        tmp_path,
        {"a.dat": "\tx\n", "b.dat": b"\0\0", "skip.dat": b"\0\0", "c/skip.dat": "\tx\n"},
    )
    _, report = check(root, SKIPPED, monkeypatch, capsys)
    assert found(report) == [("text/tabs", "a.dat", 1, 1), ("file/binary", "b.dat", 1, 1)]


def _document_pack(folder: Path, kind: str, select: str) -> Any:
    folder.mkdir()
    policy = folder / f"{kind}.yaml"
    policy.write_text(
        f"""\
version: 1
rules:
  - id: t/{kind}
    title: t
    severity: error
    target: {{kind: {kind}, files: ["*.yaml"]}}
    select: {select}
    checks:
      - {{field: "@path", absent: true, message: "{{path}}"}}
""",
        encoding="utf-8",
    )
    packs = PackLoader(str, folder)
    packs.files([policy])
    return packs.pack()


@pytest.mark.parametrize(
    ("kind", "select"),
    [("text", "lines"), ("text", "file"), ("yaml", "document"), ("yaml", "keys")],
)
def test_file_variables_are_the_documents_file(tmp_path: Path, kind: str, select: str) -> None:
    """What ``KindSpec.file_variables`` promises: every subject's ``path`` is its file."""
    assert "path" in KINDS[kind].file_variables
    root = git_repo(tmp_path, {"d/a.yaml": "a: 1\nb: [2]\n---\nc: 3\n"})
    settings = Settings(root=root)
    pack = _document_pack(tmp_path / "policy", kind, select)
    (unit,) = KINDS[kind].units(_planned(["d/a.yaml"]))
    documents = list(KINDS[kind].load(Loader(settings), [unit]))
    paths = {v.subject.variables["path"] for v in Evaluation(pack).violations(documents)}
    assert paths == {"d/a.yaml"}


def _planned(paths: list[str]) -> Any:
    from aixcl_lint.kinds.base import Planned

    return Planned(dict.fromkeys(paths), {}, globs=("*.yaml",))


def test_lines_of_findings_only(tmp_path: Path) -> None:
    root = git_repo(tmp_path, {"a.md": "one\ntwo\n", "b.md": "x\n"})
    loader = Loader(Settings(root=root))
    assert loader.read("a.md") is not None
    from aixcl_lint.core import Finding, Severity, Span

    findings = [
        Finding("b.md", Span.at(1), "r", Severity.ERROR, "m"),
        Finding("a.md", Span.at(2), "r", Severity.ERROR, "m"),
        Finding("a.md", Span.at(9), "r", Severity.ERROR, "m"),
    ]
    assert found_lines(loader, findings) == {("a.md", 2): "two", ("a.md", 9): "", ("b.md", 1): "x"}


def test_json_report_is_written_as_one_dumps_would() -> None:
    from aixcl_lint.core import Finding, Location, Severity, Span
    from aixcl_lint.policy.model import Citation, Clause, Pack, Rule
    from aixcl_lint.report import Report, rule_infos
    from aixcl_lint.report.json_format import dumps, finding_dict, render_json

    clause = Clause("docs/x.md", "7")
    governed = Rule("a/b", "t", Severity.ERROR, "markdown", (), "p.yaml", governed_by=clause)
    pack = Pack((governed,))
    citations = {"a/b": Citation(clause, Location("docs/x.md", Span.at(3)))}
    findings = (
        Finding("d\udcff.md", Span.at(300, 2), "a/b", Severity.ERROR, 'say "ü"\nnext'),
        Finding("e.md", Span.at(1), "c/d", Severity.WARNING, "m", fixable=True),
    )
    for shown in (findings, ()):
        report = Report(shown, 2, rule_infos(pack, citations), {}, {})
        expected = {
            "version": 1,
            "findings": [finding_dict(f, report.rule_for(f.rule).governed_by) for f in shown],
            "summary": {
                "files": 2,
                "findings": len(shown),
                **{s.label: n for s, n in sorted(report.counts().items(), reverse=True)},
                "fixable": sum(f.fixable for f in shown),
            },
        }
        assert render_json(report) == dumps(expected)
    assert '"governed_by"' in render_json(Report(findings, 2, rule_infos(pack, citations), {}, {}))


@pytest.mark.parametrize(
    ("condition", "key"),
    [
        ({"field": "image", "equals": "x"}, "image"),
        ({"field": "image", "not-matches": ":latest$"}, "image"),
        ({"field": "ports", "absent": True}, None),  # holds where the field is not there
        ({"field": "@service", "equals": "x"}, None),
        ({"field": "a.b", "equals": "x"}, None),
        ({"any": [{"field": "a", "equals": 1}, {"field": "b", "equals": 1}]}, None),
        ({"not": {"field": "a", "equals": 1}}, None),
    ],
)
def test_checks_say_which_key_they_need(condition: dict[str, Any], key: str | None) -> None:
    from aixcl_lint.policy.checks import compile_condition, needs

    assert needs(compile_condition(condition, (), {})) == key


NEEDING = """\
version: 1
rules:
  - id: t/needs
    title: t
    severity: error
    target: {kind: compose}
    select: services
    unless: {field: "@service", equals: "exempt"}
    checks:
      - {id: tag, field: image, not-matches: ':latest$', message: "{service} latest"}
      - {id: user, field: user, equals: "app", message: "{service} user"}
      - {id: ports, field: ports, absent: true, message: "{service} ports"}
  - id: t/tagged
    title: t
    severity: error
    target: {kind: compose}
    select: services
    checks:
      - {field: image, matches: ':', message: "{service} untagged"}
"""


def test_a_subject_without_the_keys_checks_need_skips_only_those_checks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    compose = """\
services:
  a: {image: "x:latest", ports: ["80:80"]}
  b: {build: ., user: root}
  c: {build: ., ports: ["1:1"]}
  exempt: {image: "x:latest", user: root, ports: ["80:80"]}
  d: {image: nginx, user: app}
"""
    root = git_repo(tmp_path, {"compose.yaml": compose})
    _, report = check(root, NEEDING, monkeypatch, capsys)
    assert sorted(f["message"] for f in report["findings"]) == [
        "a latest",
        "a ports",
        "b user",
        "c ports",
        "d untagged",
    ]
