"""Golden fix cases (tests/fixtures/fix/<case>/{before,after}), through the console script.

Each case: ``--diff`` writes nothing and its diff turns ``before`` into ``after``;
``--fix`` gives ``after`` byte for byte and leaves only the expected findings; a second
``--fix`` changes nothing; ``check`` then finds only what the case says remains.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import run_cli

CASES = Path(__file__).parent / "fixtures" / "fix"
_HUNK = re.compile(r"@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


def _cases() -> list[Any]:
    return [pytest.param(p, id=p.name) for p in sorted(CASES.iterdir()) if (p / "before").is_dir()]


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }


def _meta(case: Path) -> dict[str, Any]:
    found = case / "case.yaml"
    return (yaml.safe_load(found.read_text(encoding="utf-8")) or {}) if found.is_file() else {}


def _split(text: str) -> list[str]:
    return re.findall(r"[^\n]*\n|[^\n]+$", text)


def _patch(files: dict[str, bytes], diff: str) -> dict[str, bytes]:
    """Apply a unified diff (as ``--diff`` prints it) to ``files``: an independent check."""
    result = dict(files)
    lines = _split(diff)
    i = 0
    while i < len(lines):
        assert lines[i].startswith("--- a/"), lines[i]
        path = lines[i + 1].removeprefix("+++ b/").rstrip("\n")
        data = result[path]
        bom = "\ufeff" if data.startswith(b"\xef\xbb\xbf") else ""
        source = _split(data.decode("utf-8").removeprefix("\ufeff"))
        out: list[str] = []
        used = 0
        i += 2
        while i < len(lines) and lines[i].startswith("@@"):
            match = _HUNK.match(lines[i])
            assert match, lines[i]
            old_count = int(match.group(2) or 1)
            new_count = int(match.group(4) or 1)
            start = int(match.group(1)) - (1 if old_count else 0)
            out += source[used:start]
            used = start
            i += 1
            kind = ""
            while old_count or new_count or (i < len(lines) and lines[i].startswith("\\")):
                line = lines[i]
                i += 1
                if line.startswith("\\"):  # "No newline at end of file" for the line before
                    if kind != "-":
                        out[-1] = out[-1].removesuffix("\n")
                    continue
                kind = line[0]
                if line[0] in " -":
                    assert source[used] in (line[1:], line[1:].removesuffix("\n")), line
                    old_count -= 1
                    used += 1
                if line[0] in " +":
                    out.append(source[used - 1] if line[0] == " " else line[1:])
                    new_count -= 1
        out += source[used:]
        result[path] = (bom + "".join(out)).encode("utf-8")
    return result


@pytest.mark.parametrize("case", _cases())
def test_golden_fix(case: Path, tmp_path: Path) -> None:
    meta = _meta(case)
    # The fixable rules are AIXCL's invariants: the cases run with that profile.
    args = ["--profile", "aixcl", *(str(a) for a in meta.get("args", []))]
    root = tmp_path / "repo"
    shutil.copytree(case / "before", root)
    (root / ".git").mkdir()
    before, after = _tree(case / "before"), _tree(case / "after")

    # Bytes, not text: the diff of a CRLF file carries its CRLF line ends.
    shown = run_cli("check", "--diff", *args, cwd=root)
    assert "Traceback" not in shown.err
    assert _tree(root) == before, "--diff wrote something"
    assert shown.code == 0, shown.err  # --diff > fix.patch && git apply fix.patch
    assert _patch(before, shown.out_bytes.decode("utf-8")) == after, shown.out

    fixed = run_cli("check", "--fix", "--format", "json", *args, cwd=root)
    assert "Traceback" not in fixed.err
    assert _tree(root) == after, fixed.err
    remaining = sorted({f["rule"] for f in fixed.json()["findings"]})
    assert remaining == sorted(meta.get("remaining", [])), fixed.err
    assert fixed.code == (1 if remaining else 0)
    for text in meta.get("unfixed", []):
        assert text in fixed.err

    again = run_cli("check", "--fix", *args, cwd=root)
    assert _tree(root) == after, "a second --fix changed something"
    assert "Nothing to fix." in again.out or "not fixed" in again.out
    assert "fixed compose/" not in again.out.replace("not fixed", "")

    checked = run_cli("check", "--format", "json", *args, cwd=root)
    assert sorted({f["rule"] for f in checked.json()["findings"]}) == remaining


def test_every_fixer_has_a_golden_case() -> None:
    from aixcl_lint.policy.fixers import FIXERS

    used = set()
    for case in CASES.iterdir():
        for path in (case / "before").rglob("*.yaml") if case.is_dir() else ():
            used.update(re.findall(r"fixer: ([a-z-]+)", path.read_text(encoding="utf-8")))
    policies = Path(__file__).parents[1] / "policies"
    for path in policies.glob("compose-*.yaml"):
        used.update(re.findall(r"fixer: ([a-z-]+)", path.read_text(encoding="utf-8")))
    assert set(FIXERS) <= used
