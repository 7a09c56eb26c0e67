"""The relation examples of docs/examples on real git repositories, through the CLI."""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from pathlib import Path

from conftest import REPO, run_cli, write_tree

EXAMPLES = REPO / "docs" / "examples"


def _git(root: Path, files: Mapping[str, str]) -> Path:
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    write_tree(root, files)
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)
    return root


def _lines(root: Path, example: str) -> tuple[int, list[str]]:
    ran = run_cli(
        "check", "--no-builtin", "--concise", "--policy", str(EXAMPLES / example), cwd=root
    )
    assert ran.code in (0, 1), ran.err
    return ran.code, [line for line in ran.out.splitlines() if line and ": error " in line]


def test_runtime_core_on_a_repository(tmp_path: Path) -> None:
    files = {
        "compose.yaml": (
            "services:\n"
            "  ollama: {image: 'ollama/ollama:0.5.7', profiles: [core]}\n"
            "  webui: {image: 'ghcr.io/open-webui/open-webui:0.5.4', profiles: [full]}\n"
            "  postgres:\n    image: postgres:17.2\n    profiles: [core]\n"
        ),
        "docs/architecture/governance/00_invariants.md": (
            "# Invariants\n\n## 3. Runtime core\n\n- ollama: models\n- webui: chat\n"
        ),
    }
    code, lines = _lines(_git(tmp_path, files), "runtime-core.yaml")
    message = (
        "the runtime core differs from compose.yaml's core profile: not in compose.yaml "
        "profile core: webui; missing here, in compose.yaml profile core: postgres"
    )
    assert (code, lines) == (
        1,
        [
            f"compose.yaml:4:3: error aixcl/runtime-core {message}",
            "docs/architecture/governance/00_invariants.md:6:1: error aixcl/runtime-core "
            + message,
        ],
    )


def test_profile_services_on_a_repository(tmp_path: Path) -> None:
    files = {
        "config/profiles/core.env": "PROFILE_SERVICES=ollama, webui,postgres\n",
        "config/profiles/full.env": "PROFILE_SERVICES='ollama,webui'\n",
        "docs/profiles.md": (
            "# Profiles\n\n| Profile | Services |\n| --- | --- |\n"
            "| core | ollama, webui |\n| full | webui, ollama |\n"
        ),
    }
    code, lines = _lines(_git(tmp_path, files), "profile-services.yaml")
    assert (code, lines) == (
        1,
        [
            "config/profiles/core.env:1:32: error aixcl/profile-services profile core: "
            "not in docs/profiles.md: postgres"
        ],
    )


def test_dependencies_documented_on_a_repository(tmp_path: Path) -> None:
    files = {
        "compose.yaml": (
            "services:\n  webui:\n    image: ghcr.io/open-webui/open-webui:0.5.4\n"
            "    depends_on: [ollama, redis]\n  ollama: {image: 'ollama/ollama:0.5.7'}\n"
            "  redis: {image: 'redis:7.4'}\n"
        ),
        "docs/services.md": "# Services\n\n- ollama\n- webui\n",
    }
    code, lines = _lines(_git(tmp_path, files), "dependencies-documented.yaml")
    assert (code, lines) == (
        1,
        [
            "compose.yaml:4:26: error aixcl/dependencies-documented service 'webui' depends "
            "on a service docs/services.md does not list: not in docs/services.md: redis"
        ],
    )


def test_mirrored_skills_on_a_repository(tmp_path: Path) -> None:
    files = {
        ".claude/skills/review/SKILL.md": "# Review\nRead the diff.\n",
        ".opencode/skills/review/SKILL.md": "# Review\nRead the diff.\n",
        ".claude/skills/deploy/SKILL.md": "# Deploy\nTag first.\n",
        ".opencode/skills/deploy/SKILL.md": "# Deploy\nTag last.\n",
        ".opencode/skills/lint/SKILL.md": "# Lint\n",
    }
    root = _git(tmp_path, files)
    code, lines = _lines(root, "mirrored-skills.yaml")
    differ = (
        "error repo/mirrored-skills .claude/skills/deploy/SKILL.md and "
        ".opencode/skills/deploy/SKILL.md differ from line 2"
    )
    assert (code, lines) == (
        1,
        [
            f".claude/skills/deploy/SKILL.md:2:1: {differ}",
            f".opencode/skills/deploy/SKILL.md:2:1: {differ}",
            ".opencode/skills/lint/SKILL.md:1:1: error repo/mirrored-skills "
            ".claude/skills/lint/SKILL.md is missing",
        ],
    )
    (root / ".opencode/skills/deploy/SKILL.md").write_text("# Deploy\nTag first.\n")
    (root / ".opencode/skills/lint/SKILL.md").unlink()
    assert _lines(root, "mirrored-skills.yaml") == (0, [])
