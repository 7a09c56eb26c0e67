"""The console script ends without the interpreter's teardown only when that is safe."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import console_script, run_cli

SCRIPT = """\
import os, sys
class Teardown:
    def __del__(self):
        os.write(2, b"teardown ran")
kept = Teardown()
{before}
sys.argv = ["aixcl-lint", "check", "--format", "json", "."]
from aixcl_lint.cli import console
console()
"""


def _run(root: Path, before: str = "") -> subprocess.CompletedProcess[str]:
    code = SCRIPT.format(before=before)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=False
    )


def _tiny(tmp_path: Path) -> Path:
    (tmp_path / "compose.yaml").write_text("services:\n  web:\n    image: nginx:latest\n")
    return tmp_path


def test_quick_exit_keeps_output_and_code(tmp_path: Path) -> None:
    root = _tiny(tmp_path)
    ran = _run(root)
    in_process = run_cli("check", "--format", "json", ".", cwd=root)
    assert (ran.returncode, ran.stdout) == (in_process.code, in_process.out)
    assert ran.returncode == 1  # a finding: the code survives os._exit
    assert "teardown ran" not in ran.stderr  # the teardown was skipped


def test_an_atexit_handler_keeps_the_teardown(tmp_path: Path) -> None:
    ran = _run(_tiny(tmp_path), "import atexit; atexit.register(print, 'handler ran')")
    assert ran.returncode == 1
    assert ran.stdout.rstrip().endswith("handler ran")
    assert "teardown ran" in ran.stderr


def test_a_thread_left_keeps_the_teardown(tmp_path: Path) -> None:
    before = "import threading as t; t.Thread(target=t.Event().wait, daemon=True).start()"
    ran = _run(_tiny(tmp_path), before)
    assert ran.returncode == 1
    assert "teardown ran" in ran.stderr


def test_the_console_script_uses_it(tmp_path: Path) -> None:
    script = Path(console_script()).read_text(encoding="utf-8")
    assert "from aixcl_lint.cli import console" in script
