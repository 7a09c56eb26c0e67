"""The ``aixcl-lint-fix`` hook, run by the real pre-commit in a temporary git repository."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import write_tree
from test_precommit import _git_repo, _run, home, snapshot

pytestmark = pytest.mark.slow
"""Real processes (pre-commit, pip, build, linters): run by .ci/run, not by default."""

__all__ = ["home", "snapshot"]  # module-scoped fixtures shared with test_precommit

BASE = """\
# The platform.
x-service: &service
  restart: unless-stopped
  network_mode: host

services:
  web:
    <<: *service
    image: nginx:1.27.3
    ports:
      - "8080:80"   # the old bridge mapping
  api: {image: "ghcr.io/demo/api:2.1", networks: [back]}

networks:
  back: {}
"""
FIXED = """\
# The platform.
x-service: &service
  restart: unless-stopped
  network_mode: host

services:
  web:
    <<: *service
    image: nginx:1.27.3
  api: {image: "ghcr.io/demo/api:2.1", network_mode: host}
"""
OVERRIDE = "services:\n  web:\n    network_mode: bridge\n"


def test_fix_hook_repairs_the_repository_then_passes(
    tmp_path: Path, snapshot: tuple[Path, str], home: dict[str, str]
) -> None:
    source, rev = snapshot
    root = tmp_path / "consumer"
    write_tree(
        root,
        {
            "compose.yaml": BASE,
            "compose.override.yaml": OVERRIDE,
            "README.md": "# consumer\n",
            ".aixcl-lint.yaml": "profile: aixcl\nselect: [compose]\n",
            ".pre-commit-config.yaml": (
                f"repos:\n  - repo: {source}\n    rev: {rev}\n"
                "    hooks:\n      - id: aixcl-lint-fix\n"
            ),
        },
    )
    _git_repo(root)
    first = _run(["pre-commit", "run", "--all-files"], root, home)
    # Every problem was fixable, but the hook changed files: pre-commit fails it.
    assert first.returncode == 1, first.stdout + first.stderr
    assert "files were modified by this hook" in first.stdout
    assert "Fixed 5 problems in 2 files." in first.stdout
    assert (root / "compose.yaml").read_text() == FIXED
    assert (root / "compose.override.yaml").read_text() == OVERRIDE.replace("bridge", "host")
    changed = _run(["git", "diff", "--stat"], root).stdout.splitlines()
    assert changed[-1] == " 2 files changed, 2 insertions(+), 7 deletions(-)"

    _run(["git", "add", "-A"], root)
    second = _run(["pre-commit", "run", "--all-files"], root, home)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "Passed" in second.stdout
