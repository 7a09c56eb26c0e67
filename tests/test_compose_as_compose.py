"""Compose projects read as Docker Compose reads them, where a newcomer found otherwise.

Each case was checked against ``docker compose config`` (v2.40.3); the slow differential
test (``tests/test_compose_engine.py``) runs the binary on the corpus's own copies.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from conftest import run_cli

Repo = Callable[[Mapping[str, str | bytes]], Path]


def _findings(root: Path, *args: str) -> list[tuple[str, str, int, int]]:
    ran = run_cli("check", "--format", "json", "--profile", "aixcl", *args, cwd=root)
    assert ran.code in (0, 1), ran.err
    return ran.findings()


@pytest.mark.parametrize("image", ['""', '"${E_IMG}"', '"${E_IMG:-}"'])
def test_an_image_empty_once_interpolated_is_no_image(repo: Repo, image: str) -> None:
    # Compose: service "e" has neither an image nor a build context specified.
    root = repo({"compose.yaml": f"services:\n  e:\n    image: {image}\n    network_mode: host\n"})
    assert _findings(root) == [("compose/invalid[no-image]", "compose.yaml", 3, 5)]


def test_an_image_set_in_env_or_a_build_is_an_image(repo: Repo) -> None:
    root = repo(
        {
            ".env": "E_IMG=nginx:1.25\n",
            "compose.yaml": (
                "services:\n"
                "  e: {image: '${E_IMG}', network_mode: host}\n"
                "  b: {image: '', build: ., network_mode: host}\n"
            ),
        }
    )
    assert _findings(root) == []


GPU = {
    ".env": "COMPOSE_FILE=compose.yaml:compose.gpu.yaml\n",
    "compose.yaml": "services:\n  web:\n    image: nginx:latest\n",
    "compose.gpu.yaml": "services:\n  web:\n    image: nginx:1.25\n    network_mode: host\n",
}
"""Compose run in the folder: image nginx:1.25, network_mode host."""


@pytest.mark.parametrize("named", [(), ("compose.yaml",), ("compose.gpu.yaml",)])
def test_compose_file_in_env_names_the_folders_project(repo: Repo, named: tuple[str]) -> None:
    assert _findings(repo(GPU), *named) == []


def test_compose_path_separator_in_env_splits_compose_file(repo: Repo) -> None:
    files = {
        **GPU,
        ".env": "COMPOSE_PATH_SEPARATOR=;\nCOMPOSE_FILE=compose.yaml;compose.gpu.yaml\n",
    }
    assert _findings(repo(files)) == []


def test_configured_compose_projects_win_over_compose_file(repo: Repo) -> None:
    root = repo({**GPU, ".aixcl-lint.yaml": "compose-projects:\n  - [compose.yaml]\n"})
    assert _findings(root) == [
        ("compose/network-mode-host", "compose.yaml", 2, 3),
        ("compose/image-pinned[latest]", "compose.yaml", 3, 12),
        # compose.gpu.yaml, no longer claimed, is no project: Compose never loads it.
    ]


LEFT_OUT = {
    "compose.yaml": "services:\n  web:\n    image: nginx:1.27\n    network_mode: host\n",
    "compose.override.yaml": (
        "services:\n  web:\n    environment: [A=1]\n  extra:\n    image: redis:latest\n"
    ),
}
"""``docker compose config`` with either choice below: ``web`` from compose.yaml alone."""


@pytest.mark.parametrize(
    "choice",
    [
        {".env": "COMPOSE_FILE=compose.yaml\n"},
        {".aixcl-lint.yaml": "compose-projects: [[compose.yaml]]\n"},
    ],
)
def test_an_override_an_explicit_project_leaves_out_is_no_project(
    repo: Repo, choice: dict[str, str]
) -> None:
    # Before: compose.override.yaml was a project of its own (no-image for 'web',
    # image-pinned and network-mode-host for 'extra').
    root = repo({**LEFT_OUT, **choice})
    assert _findings(root) == []
    assert _findings(root, "compose.override.yaml") == []


def test_a_base_an_explicit_project_leaves_out_keeps_its_overrides(repo: Repo) -> None:
    root = repo(
        {
            **LEFT_OUT,
            ".env": "COMPOSE_FILE=compose.yaml\n",
            "docker-compose.yml": "services:\n  web:\n    image: nginx:1.27\n",
        }
    )
    assert _findings(root) == [
        ("compose/network-mode-host", "compose.override.yaml", 4, 3),
        ("compose/image-pinned[latest]", "compose.override.yaml", 5, 12),
        ("compose/network-mode-host", "docker-compose.yml", 2, 3),
    ]


def test_a_compose_project_naming_a_missing_file_is_a_warning_at_the_config_line(
    repo: Repo,
) -> None:
    root = repo(
        {
            ".aixcl-lint.yaml": (
                "compose-files: [stacks/*.yml]\n"
                "compose-projects:\n"
                "  - [deploy/base.yaml, deploy/gpu.yaml]\n"
            ),
            "deploy/gpu.yaml": "services:\n  web: {image: 'nginx:1.25', network_mode: host}\n",
        }
    )
    ran = run_cli("check", cwd=root)
    assert ran.code == 0
    assert ran.err == (
        "aixcl-lint: warning: .aixcl-lint.yaml:2: compose-projects names deploy/base.yaml, "
        "which is not a file; its project is checked without it\n"
    )
    (root / "deploy" / "base.yaml").write_text("services: {}\n")
    assert run_cli("check", cwd=root).err == ""


def _messages(root: Path) -> list[str]:
    ran = run_cli("check", "--format", "json", cwd=root)
    return [f["message"] for f in ran.json()["findings"]]


def test_a_value_from_env_says_where_its_variable_was_set(repo: Repo) -> None:
    root = repo(
        {
            ".env": "# tags\nTAG=latest\nREG=docker.io\n",
            "compose.yaml": (
                "services:\n"
                "  web: {image: 'nginx:${TAG}', network_mode: host}\n"
                "  api: {image: '${REG}/library/redis:$TAG', network_mode: host}\n"
                "  db: {image: 'mysql:${DB_TAG:-latest}', network_mode: host}\n"
                "  lit: {image: 'nginx:latest$${TAG}', network_mode: host}\n"
            ),
        }
    )
    tagged = "tagged 'latest'; pin a version tag or a digest"
    assert _messages(root) == [
        f"service 'web' uses image 'nginx:latest' {tagged} (TAG set in .env:2)",
        f"service 'api' uses image 'docker.io/library/redis:latest' {tagged}"
        " (REG set in .env:3, TAG set in .env:2)",
        f"service 'db' uses image 'mysql:latest' {tagged}",
    ]


READ_BY_PROJECT = {
    "compose.yaml": (
        "include:\n  - sub/compose.inc.yaml\n"
        "services:\n  e:\n    extends: {file: sub/common.yaml, service: basesvc}\n"
    ),
    "sub/common.yaml": "services:\n  basesvc:\n    image: postgres\n    network_mode: host\n",
    "sub/compose.inc.yaml": "services:\n  inc:\n    image: mysql\n    network_mode: host\n",
}
"""A project reading two files of one folder, one named like a compose file, one not."""


@pytest.mark.parametrize("named", [(), ("compose.yaml",)])
def test_files_a_project_reads_are_checked_whatever_their_names(
    repo: Repo, named: tuple[str]
) -> None:
    assert _findings(repo(READ_BY_PROJECT), *named) == [
        ("compose/image-pinned[untagged]", "sub/common.yaml", 3, 12),
        ("compose/image-pinned[untagged]", "sub/compose.inc.yaml", 3, 12),
    ]


def test_exclude_removes_findings_in_files_a_project_reads_whatever_their_names(
    repo: Repo,
) -> None:
    root = repo({**READ_BY_PROJECT, ".aixcl-lint.yaml": "exclude: ['sub/**']\n"})
    assert _findings(root) == []


@pytest.mark.parametrize(
    ("config", "listed"),
    [
        ("", ["compose.yaml", "sub/common.yaml", "sub/compose.inc.yaml"]),
        ("exclude: ['sub/**']\n", ["compose.yaml"]),
    ],
)
def test_show_files_lists_what_the_summary_counts_with_findings_or_without(
    repo: Repo, config: str, listed: list[str]
) -> None:
    files = {**READ_BY_PROJECT, "sub/common.yaml": "services:\n  basesvc: {image: 'pg:16'}\n"}
    root = repo({**files, ".aixcl-lint.yaml": config})
    shown = run_cli("check", "--show-files", cwd=root)
    assert shown.out.splitlines() == listed
    ran = run_cli("check", "--format", "json", cwd=root)
    assert ran.json()["summary"]["files"] == len(listed)


INCLUDED = {
    "compose.yaml": (
        "include:\n  - inc/compose.yaml\n"
        "services:\n  web:\n    image: nginx:1.27\n    network_mode: host\n"
    ),
    "inc/compose.yaml": (
        'services:\n  inc1:\n    image: "alpine:${ALPTAG}"\n    network_mode: host\n'
    ),
}
"""``docker compose config``: inc1's image is alpine:latest in both cases below."""

LATEST = "service 'inc1' uses image 'alpine:latest' tagged 'latest'; pin a version tag or a digest"


@pytest.mark.parametrize(
    ("env", "cited"),
    [
        ({"inc/.env": "ALPTAG=latest\n"}, "inc/.env:1"),
        ({"inc/.env": "ALPTAG=3.19\n", ".env": "ALPTAG=latest\n"}, ".env:1"),
    ],
)
def test_an_included_value_says_where_its_variable_was_set_once(
    repo: Repo, env: dict[str, str], cited: str
) -> None:
    # Before: the first case printed the finding twice, once without the citation (from
    # the including project), and the second case had no citation at all.
    root = repo({**INCLUDED, **env})
    assert _messages(root) == [f"{LATEST} (ALPTAG set in {cited})"]


def test_aliases_on_the_default_network_are_not_called_a_custom_network(repo: Repo) -> None:
    # self-hosted's docker-compose.test.yml: the service joins only `default`.
    root = repo(
        {
            "compose.yaml": (
                "services:\n  fixture:\n    image: nginx:1.27\n"
                "    networks:\n      default:\n        aliases: [self.test, fail.test]\n"
            )
        }
    )
    ran = run_cli("check", "--format", "json", "--profile", "aixcl", cwd=root)
    found = {f["rule"]: f["message"] for f in ran.json()["findings"]}
    assert found["compose/no-custom-networks[service]"] == (
        "service 'fixture' sets networks:, leaving the host network; "
        "AIXCL services use network_mode: host"
    )


def test_a_named_compose_file_reports_what_it_extends_as_the_whole_run_does(repo: Repo) -> None:
    # docs/pre-commit.md's second exception: a passed compose file's project reports
    # findings in the file it extends (not passed), where the value was written.
    root = repo(
        {
            "compose.yaml": (
                "services:\n  api:\n    extends: {file: lib/base.yaml, service: base}\n"
            ),
            "lib/base.yaml": "services:\n  base:\n    image: busybox\n",
        }
    )
    ran = run_cli("check", "--format", "json", "compose.yaml", cwd=root)
    assert ran.code == 1
    named = ran.findings()
    assert ("compose/image-pinned[untagged]", "lib/base.yaml", 3, 12) in named
    assert named == run_cli("check", "--format", "json", cwd=root).findings()
