"""Config values may not point outside the repository; the command line may."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from conftest import TEAM_POLICY, main_in

Repo = Callable[[Mapping[str, str | bytes]], Path]
SECRET = "aws_secret_access_key = s3cr3t-t0ken\n"


def run(root: Path, *args: str) -> int:
    return main_in(root, "check", "--format", "json", *args)


@pytest.mark.parametrize(
    ("config", "line", "shown"),
    [
        ("policies: [/etc/passwd]\n", 1, "/etc/passwd"),
        ("fail-on: error\npolicies:\n  - ../outside.yaml\n", 2, "../outside.yaml"),
        ("policy-folder: /proc/self\n", 1, "/proc/self"),
        ("policy-folder: ../x\n", 1, "../x"),
        ("baseline: ../outside.yaml\n", 1, "../outside.yaml"),
        ("compose-projects:\n  - [/proc/self/environ]\n", 1, "/proc/self/environ"),
        ("compose-projects:\n  - [compose.yaml, ../outside.yaml]\n", 1, "../outside.yaml"),
        ("policies: [link.yaml]\n", 1, "link.yaml"),
    ],
)
def test_config_paths_outside_the_repository_are_refused(
    tmp_path: Path,
    repo: Repo,
    capsys: pytest.CaptureFixture[str],
    config: str,
    line: int,
    shown: str,
) -> None:
    (tmp_path / "outside.yaml").write_text(SECRET)
    root = repo({".aixcl-lint.yaml": config, "compose.yaml": "services: {}\n"})
    (root / "link.yaml").symlink_to(tmp_path / "outside.yaml")
    assert run(root) == 2
    err = capsys.readouterr().err
    key = config.splitlines()[line - 1].split(":")[0]
    assert err == (
        f"aixcl-lint: error: invalid config: .aixcl-lint.yaml:{line}: {key!r}: {shown!r} is "
        "outside the repository (only the command line may name such paths)\n"
    )
    assert "s3cr3t" not in err


def test_the_command_line_may_name_outside_policies(
    tmp_path: Path, repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = tmp_path / "team.yaml"
    policy.write_text(TEAM_POLICY)
    root = repo({"compose.yaml": "services:\n  web:\n    image: a:1\n"})
    assert run(root, "--no-builtin", "--policy", str(policy)) == 1
    settings = tmp_path / "settings.yaml"
    settings.write_text(f"policies: [{policy}]\nbuiltin: false\n")
    assert run(root, "--config", str(settings)) == 1
    capsys.readouterr()


def test_a_config_named_inside_the_repository_is_still_the_repositorys(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    root = repo({"ci/lint.yaml": "policies: [/etc/passwd]\n"})
    assert run(root, "--config", "ci/lint.yaml") == 2
    assert "outside the repository" in capsys.readouterr().err


def test_a_policy_folder_symlinked_outside_is_refused(
    tmp_path: Path, repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "p.yaml").write_text(SECRET)
    root = repo({"compose.yaml": "services: {}\n"})
    (root / ".aixcl-lint").mkdir()
    (root / ".aixcl-lint" / "policies").symlink_to(tmp_path / "elsewhere")
    assert run(root) == 2
    err = capsys.readouterr().err
    assert "policy-folder '.aixcl-lint/policies': outside the repository" in err
    assert "s3cr3t" not in err


def test_a_pack_extending_outside_the_repository_is_refused(
    tmp_path: Path, repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "elsewhere").mkdir()
    root = repo(
        {
            "compose.yaml": "services: {}\n",
            ".aixcl-lint/policies/pack.yaml": "pack: 1\n\nextends:\n  - ../../../elsewhere\n",
        }
    )
    assert run(root) == 2
    assert capsys.readouterr().err == (
        "aixcl-lint: error: invalid policy: .aixcl-lint/policies/pack.yaml:3: extends "
        "'../../../elsewhere': outside the repository (name it with --policy)\n"
    )


def test_a_policy_file_symlinked_outside_a_repository_pack_is_refused(
    tmp_path: Path, repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "creds.yaml").write_text(SECRET)
    root = repo({"compose.yaml": "services: {}\n", ".aixcl-lint/policies/ok.yaml": "x: 1\n"})
    (root / ".aixcl-lint" / "policies" / "ok.yaml").unlink()
    (root / ".aixcl-lint" / "policies" / "creds.yaml").symlink_to(tmp_path / "creds.yaml")
    assert run(root) == 2
    err = capsys.readouterr().err
    assert ".aixcl-lint/policies/creds.yaml:1: leads outside the repository" in err
    assert "s3cr3t" not in err


@pytest.mark.parametrize(
    ("option", "name", "content"),
    [
        ("--policy", "creds.yaml", "https://user:s3cr3t@example.com\n"),
        ("--policy", "creds.yaml", "version: 1\nrules: s3cr3t\n"),
        ("--config", "creds.yaml", "https://user:s3cr3t@example.com: 1\n"),
    ],
)
def test_errors_never_echo_a_file_outside_the_repository(
    tmp_path: Path,
    repo: Repo,
    capsys: pytest.CaptureFixture[str],
    option: str,
    name: str,
    content: str,
) -> None:
    (tmp_path / name).write_text(content)
    root = repo({"compose.yaml": "services: {}\n"})
    assert run(root, option, str(tmp_path / name)) == 2
    err = capsys.readouterr().err
    assert str(tmp_path / name) in err
    assert "s3cr3t" not in err
    assert err.count("\n") == 1


@pytest.mark.parametrize("name", [".aixcl-lint.yaml", "pyproject.toml"])
def test_a_config_file_symlinked_outside_is_not_read(
    tmp_path: Path, repo: Repo, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    # A repository's own config that leads outside it is someone else's file: reading
    # it would let the repository quote that file in an error ('/s3cr3t' below).
    outside = tmp_path / name
    if name == "pyproject.toml":
        outside.write_text('[tool.aixcl-lint]\npolicies = ["/s3cr3t"]\n')
    else:
        outside.write_text("policies: [/s3cr3t]\n")
    root = repo({"compose.yaml": "services: {}\n"})
    (root / name).symlink_to(outside)
    assert run(root) == 2
    err = capsys.readouterr().err
    assert err == (
        f"aixcl-lint: error: {name}: leads outside the repository (a symlink); not read\n"
    )
    named = main_in(root, "check", "--config", name)
    assert named == 2
    assert "s3cr3t" not in capsys.readouterr().err


def test_a_waivers_file_symlinked_outside_is_not_read(
    tmp_path: Path, repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    # Its unused waivers were reported, quoting the outside file's rule and path.
    outside = tmp_path / "w.yaml"
    outside.write_text(
        "waivers:\n  - rule: s3cr3t-token\n    path: s3cr3t/**\n    reason: x\n"
        "    owner: y\n    expires: 2030-01-01\n"
    )
    root = repo({"compose.yaml": "services: {}\n"})
    (root / ".aixcl-lint-waivers.yaml").symlink_to(outside)
    assert run(root) == 2
    out, err = capsys.readouterr()
    assert "s3cr3t" not in out + err
    assert err == (
        "aixcl-lint: error: .aixcl-lint-waivers.yaml: leads outside "
        "the repository (a symlink); not read\n"
    )
