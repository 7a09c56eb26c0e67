"""``docs/comment-references`` through the CLI, in a real git repository: only the
comments of each file's language are read."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from conftest import run_cli
from test_discover_git import git_repo

SECTION = "docs/comment-references[section]"
OPS = "# Ops\n\n## 1. Start\n"


def _git_repo(root: Path, files: Mapping[str, str]) -> Path:
    return git_repo(root, {"docs/ops.md": OPS, **files})


def _findings(root: Path) -> list[tuple[str, str, int, int]]:
    ran = run_cli("check", "--select", "docs/comment-references", "--format", "json", cwd=root)
    assert ran.code in (0, 1), ran.err
    return sorted((p, r, line, column) for r, p, line, column in ran.findings())


def test_strings_block_scalars_here_documents_and_arguments_are_not_comments(
    tmp_path: Path,
) -> None:
    root = _git_repo(
        tmp_path / "repo",
        {
            "compose.yaml": (
                "services:\n"
                "  web:\n"
                "    image: nginx:1.27\n"
                "    command: |\n"
                '      echo "# see docs/ops.md section 9"\n'
                "      # docs/ops.md section 9\n"
                "    labels:\n"
                '      a: "# docs/ops.md section 9"  # see docs/ops.md section 8\n'
            ),
            "tools/check.py": (
                '"""Checks.\n\n# docs/ops.md section 9\n"""\n'
                "X = '# docs/ops.md section 9'  # see docs/ops.md section 2\n"
            ),
            "scripts/run.sh": (
                "#!/bin/sh\n"
                "cat <<EOF\n# docs/ops.md section 9\nEOF\n"
                "echo '# docs/ops.md section 9' # é docs/ops.md section 3\n"
            ),
            "Dockerfile": (
                "FROM alpine:3.20\nRUN echo # docs/ops.md section 9\n# docs/ops.md section 4\n"
            ),
        },
    )
    assert _findings(root) == [
        ("Dockerfile", SECTION, 3, 3),
        ("compose.yaml", SECTION, 8, 43),
        ("scripts/run.sh", SECTION, 5, 36),
        ("tools/check.py", SECTION, 5, 38),
    ]


def test_a_file_that_does_not_tokenize_is_read_with_the_heuristic(tmp_path: Path) -> None:
    root = _git_repo(
        tmp_path / "repo",
        {
            "compose.yaml": (
                "services:\n  web:\n    image: 'nginx:1.27\n    # see docs/ops.md section 5\n"
            ),
            "tools/broken.py": 'X = """never closed\n  # docs/ops.md section 6\n',
        },
    )
    assert _findings(root) == [
        ("compose.yaml", SECTION, 4, 11),
        ("tools/broken.py", SECTION, 2, 5),
    ]


def test_the_resolved_references_are_still_checked(tmp_path: Path) -> None:
    root = _git_repo(
        tmp_path / "repo",
        {
            "main.tf": (
                'a = "# docs/ops.md section 9"\n'
                "/* see\n   docs/ops.md section 1 */\n"
                "// docs/gone.md section 1\n"
            ),
            "pyproject.toml": "a = '# docs/ops.md section 9'  # docs/ops.md section 1\n",
            ".env": "A='# docs/ops.md section 9'  # docs/ops.md section 7\n",
        },
    )
    assert _findings(root) == [
        (".env", SECTION, 1, 32),
        ("main.tf", "docs/comment-references[file]", 4, 4),
    ]
