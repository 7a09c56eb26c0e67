"""Output is written in pieces as reporters make them, and code-frame lines and
fingerprints are worked out one file at a time, only for formats that show them."""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from aixcl_lint.cli import base
from conftest import run_cli

Repo = Callable[[Mapping[str, str | bytes]], Path]
SERVICE = "  {name}:\n    image: nginx:latest\n    ports: ['80:80']\n"


def _many(repo: Repo, projects: int = 12) -> Path:
    """A repository whose findings make far more text than a few hundred characters,
    over several files (some of them look-alikes, for fingerprints' counts)."""
    files: dict[str, str | bytes] = {}
    for p in range(projects):
        body = "".join(SERVICE.format(name=f"s{i}") for i in range(4))
        files[f"p{p}/compose.yaml"] = "services:\n" + body
    files["README.md"] = "# Readme\n\nSee [gone](missing.md) and [here](#nowhere).\n"
    return repo(files)


@pytest.mark.parametrize("fmt", ["json", "text", "sarif", "github"])
def test_reports_are_written_in_pieces_with_the_same_bytes(
    aixcl_repo: Repo, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _many(aixcl_repo)
    whole = run_cli("check", "--format", fmt, "--jobs", "1", cwd=root)
    assert whole.code == 1, whole.err
    written: list[str] = []
    echo = base.echo

    def recording(message: Any = None, *args: Any, **kwargs: Any) -> None:
        written.append(message)
        echo(message, *args, **kwargs)

    monkeypatch.setattr("aixcl_lint.cli.base.WRITE_CHARS", 200)
    monkeypatch.setattr(base, "echo", recording)
    pieces = run_cli("check", "--format", fmt, "--jobs", "1", cwd=root)
    assert pieces.out == whole.out
    assert len(whole.out) > 2000
    assert len(written) > 5  # written as it came, not as one text
    # (SARIF's first piece holds every rule's descriptor: the findings come after it)
    assert max(len(piece) for piece in written[1:]) < len(whole.out) / 3


def test_output_file_holds_what_standard_output_shows(aixcl_repo: Repo, tmp_path: Path) -> None:
    root = _many(aixcl_repo)
    shown = run_cli("check", "--format", "sarif", cwd=root)
    target = tmp_path / "out.sarif"
    written = run_cli("check", "--format", "sarif", "-o", str(target), cwd=root)
    assert (shown.code, written.code, written.out) == (1, 1, "")
    assert target.read_text(encoding="utf-8") == shown.out


def test_json_output_reads_no_line_again(aixcl_repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    """Code-frame lines and fingerprints are asked for only by formats that show them."""
    from aixcl_lint.run.load import Loader

    root = _many(aixcl_repo)
    asked: list[tuple[str, int]] = []
    line_text = Loader.line_text

    def counting(self: Loader, rel: str, line: int) -> str:
        asked.append((rel, line))
        return line_text(self, rel, line)

    monkeypatch.setattr(Loader, "line_text", counting)
    ran = run_cli("check", "--format", "json", "--no-cache", cwd=root)
    assert ran.code == 1, ran.err
    assert json.loads(ran.out)["summary"]["findings"] > 40
    assert asked == []
    ran = run_cli("check", "--format", "text", "--no-cache", cwd=root)
    assert "^^^" in ran.out
    assert ("p0/compose.yaml", 3) in asked


def test_lines_and_fingerprints_by_file_equal_those_of_the_whole_run(tmp_path: Path) -> None:
    """Asked in any order, the file-by-file mappings answer what the whole-run
    functions do, and iterate over the same keys."""
    from aixcl_lint.config import Settings
    from aixcl_lint.core import Finding, Severity, Span, finding_key
    from aixcl_lint.run import byfile
    from aixcl_lint.run.load import Loader, found_lines
    from aixcl_lint.suppress.fingerprints import fingerprints

    texts = {"a.txt": "x\nsame\nsame\n", "b/c.txt": "same\ny\n", "d.txt": "z\n"}
    for rel, text in texts.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    findings = [
        Finding(rel, Span.at(line, column), rule, Severity.ERROR, "look-alike")
        for rel, lines in (("a.txt", 3), ("b/c.txt", 2), ("d.txt", 1))
        for line in range(1, lines + 1)
        for column in (1, 2)
        for rule in ("r/one", "r/two")
    ]
    ordered = sorted(findings, key=finding_key)
    loader = Loader(Settings(root=tmp_path))
    expected_prints = fingerprints(findings, loader.line_text)
    expected_lines = found_lines(loader, findings)
    prints, lines = byfile.prints(loader, ordered), byfile.lines(loader, ordered)
    shuffled = list(findings)
    random.Random(7).shuffle(shuffled)
    assert {f: prints[f] for f in shuffled} == expected_prints
    assert {(f.path, f.line): lines[f.path, f.line] for f in shuffled} == expected_lines
    assert dict(prints) == expected_prints
    assert (len(prints), len(lines)) == (len(expected_prints), len(expected_lines))
    assert lines.get(("a.txt", 99)) is None
    assert len(set(expected_prints.values())) == len(findings)  # look-alikes are counted
