"""Output cannot be forged, and file names are data, in every format.

A value holding ESC, OSC, BEL, a newline or a bidirectional override must not reach the
output raw; a file name with a backslash, a newline or bytes that are not UTF-8 is
reported (and fixed) faithfully, escaped as each format requires.
"""

from __future__ import annotations

import json
import os
import subprocess
import urllib.parse
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from hostile_run import check_unchanged, git_repo, run_limited

# Each case spawns the console script under resource limits: seconds apiece, so slow
# (CI runs every test; the default loop stays short).
pytestmark = pytest.mark.slow

SARIF_SCHEMA = Path(__file__).resolve().parents[1] / "fixtures/vendor/sarif-schema-2.1.0.json"
FORGED = '"ng\\e]0;pwned\\a\\r\\nfake.yaml:1:1: error forged\\u202e\\x9b31m"'
"""A double-quoted YAML scalar: OSC title, BEL, CR, LF, a fake finding line, RLO, CSI."""
RAW = [b"\x1b", b"\x07", b"\r", b"\xe2\x80\xae", b"\xc2\x9b"]
"""What must never appear in output: ESC, BEL, CR, RLO, C1 CSI (as UTF-8)."""
FORMATS = ("text", "json", "sarif", "github", "junit")

NAMES = [
    "a\\b",  # a backslash is an ordinary character on POSIX
    "new\nline",
    "esc\x1b]0;t\x07",
    os.fsdecode(b"caf\xff"),  # not UTF-8
    "tab\tand space",
]


def _service(network: bool = False) -> str:
    extra = "    network_mode: host\n" if network else ""
    return f"services:\n  web:\n    image: {FORGED}\n{extra}"


ECHO_POLICY = """\
version: 1
rules:
  - id: team/echo
    title: Echo the image
    severity: error
    target: {kind: compose}
    select: services
    checks:
      - field: image
        equals: nothing
        message: "image is {value}"
"""
"""A rule whose message repeats the value as written."""


def _forged_repo(tmp_path: Path) -> Path:
    files = {"compose.yaml": _service(network=True), ".aixcl-lint/policies/echo.yaml": ECHO_POLICY}
    return git_repo(tmp_path / "repo", files)


@pytest.mark.parametrize("fmt", FORMATS)
def test_values_cannot_forge_output(tmp_path: Path, fmt: str) -> None:
    root = _forged_repo(tmp_path)
    ran = run_limited("check", "--format", fmt, cwd=root)
    assert ran.code == 1, ran.err
    for raw in RAW:
        assert raw not in ran.raw, (raw, ran.out)
    if fmt == "text":
        # One finding line and the summary: the newline did not make a second one.
        concise = run_limited("check", "--format", fmt, "--concise", cwd=root)
        assert [line for line in concise.out.splitlines() if ": error " in line] == [
            line for line in concise.out.splitlines() if line.startswith("compose.yaml:3:")
        ]
        assert "\\x1b]0;pwned\\x07\\r\\nfake.yaml:1:1" in ran.out
    if fmt == "github":
        assert len([line for line in ran.out.splitlines() if line.startswith("::")]) == 1
    if fmt == "junit":
        failure = ET.fromstring(ran.raw).find(".//failure")
        assert failure is not None
        assert "\\x1b]0;pwned" in failure.attrib["message"]
    if fmt == "json":
        assert "\\x1b]0;pwned" in ran.json()["findings"][0]["message"]


def _named_repo(tmp_path: Path, name: str) -> Path:
    root = git_repo(tmp_path / "repo")
    folder = os.path.join(os.fsencode(root), os.fsencode(name))
    os.mkdir(folder)
    with open(os.path.join(folder, b"compose.yaml"), "wb") as handle:
        handle.write(b"services:\n  web:\n    image: nginx:1.27\n")
    return root


@pytest.mark.parametrize("name", NAMES, ids=ascii)
def test_file_names_are_data_in_json_and_sarif(tmp_path: Path, name: str) -> None:
    root = _named_repo(tmp_path, name)
    ran = check_unchanged(root)
    assert ran.code == 1, ran.err
    # Python's json reads the name back exactly (bytes that are not UTF-8 as \udcXX).
    assert ran.findings() == [("compose/network-mode-host", f"{name}/compose.yaml", 2)]
    sarif = run_limited("check", "--format", "sarif", cwd=root)
    log = json.loads(sarif.raw)
    jsonschema.validate(log, json.loads(SARIF_SCHEMA.read_text("utf-8")))
    uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert uri["uri"].isascii()
    assert "\\" not in uri["uri"]
    assert urllib.parse.unquote_to_bytes(uri["uri"]) == os.fsencode(f"{name}/compose.yaml")


@pytest.mark.parametrize("name", NAMES, ids=ascii)
@pytest.mark.parametrize("fmt", ["text", "github", "junit"])
def test_file_names_are_escaped_for_people(tmp_path: Path, name: str, fmt: str) -> None:
    root = _named_repo(tmp_path, name)
    ran = run_limited("check", "--format", fmt, cwd=root)
    assert ran.code == 1, ran.err
    for raw in [*RAW, b"\xff"]:
        assert raw not in ran.raw, (raw, ran.out)
    ran = run_limited("check", "--format", fmt, "--concise", cwd=root)
    for raw in [*RAW, b"\xff"]:
        assert raw not in ran.raw, (raw, ran.out)
    lines = ran.out.splitlines()
    if fmt == "text":
        assert lines[0].endswith(
            "compose/network-mode-host [*] service 'web' does not set "
            "network_mode; AIXCL services use network_mode: host"
        )
        assert len(lines) == 4  # the finding, a blank line, the summary, what --fix repairs
    if fmt == "junit":
        case = ET.fromstring(ran.raw).find(".//testcase")
        assert case is not None
        assert case.attrib["file"].endswith("/compose.yaml")
    if fmt == "github":
        assert len(lines) == 2
        assert lines[0].startswith("::error file=")


@pytest.mark.parametrize("name", NAMES, ids=ascii)
def test_fix_and_diff_work_on_such_names(tmp_path: Path, name: str) -> None:
    root = _named_repo(tmp_path, name)
    diff = run_limited("check", "--diff", cwd=root)
    assert diff.code == 0, diff.err  # the patch recipe: --diff exits 0
    assert b"+    network_mode: host\n" in diff.raw
    (tmp_path / "fix.diff").write_bytes(diff.raw)
    applies = subprocess.run(
        ["git", "apply", "--check", str(tmp_path / "fix.diff")],
        cwd=root,
        capture_output=True,
        check=False,
    )
    assert applies.returncode == 0, applies.stderr
    fixed = run_limited("check", "--fix", "--format", "json", cwd=root)
    assert fixed.code == 0, fixed.err
    text = os.fsencode(root) + b"/" + os.fsencode(name) + b"/compose.yaml"
    with open(text, "rb") as handle:
        assert handle.read().endswith(b"network_mode: host\n")
    again = run_limited("check", "--write-baseline", str(tmp_path / "b.json"), cwd=root)
    assert again.code == 0, again.err
    assert json.loads((tmp_path / "b.json").read_bytes())["findings"] == []
