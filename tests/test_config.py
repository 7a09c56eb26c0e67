"""Config files: found walking up, merged under the command line, strict about keys."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from conftest import TEAM_POLICY, run_cli

Repo = Callable[[Mapping[str, str | bytes]], Path]

COMPOSE = (
    "services:\n"
    "  web:\n"
    "    image: nginx:latest\n"
    "    ports: ['80:80']\n"
    "  db:\n"
    "    image: 'db:${TAG}'\n"
    "    network_mode: host\n"
)


def _rules(root: Path, *args: str, cwd: Path | None = None) -> list[str]:
    ran = run_cli("check", "--format", "json", *args, cwd=cwd or root)
    assert ran.code in (0, 1), ran.err
    return [f[0] for f in ran.findings()]


def test_no_config_reports_the_general_rules(repo: Repo) -> None:
    root = repo({"compose.yaml": COMPOSE})
    assert _rules(root) == ["compose/image-pinned[latest]", "compose/image-pinned[unset-variable]"]
    assert _rules(root, "--profile", "aixcl") == [
        "compose/network-mode-host",
        "compose/image-pinned[latest]",
        "compose/no-port-mappings",
        "compose/image-pinned[unset-variable]",
    ]


def test_yaml_config_select_ignore_severity(repo: Repo) -> None:
    root = repo(
        {
            "compose.yaml": COMPOSE,
            ".aixcl-lint.yaml": (
                "profile: aixcl\n"
                "select: [compose]\n"
                "ignore: ['compose/image-pinned[latest]', compose/no-port-mappings]\n"
                "severity:\n"
                "  compose/image-pinned: warning\n"
                "  compose/image-pinned[unset-variable]: error\n"
            ),
        }
    )
    ran = run_cli("check", "--format", "json", cwd=root)
    assert [(f["rule"], f["severity"]) for f in ran.json()["findings"]] == [
        ("compose/network-mode-host", "error"),
        ("compose/image-pinned[unset-variable]", "error"),
    ]


@pytest.mark.parametrize(
    ("files", "hidden_by"),
    [
        # The schema rejects web, so no rule is given it: its image is never checked.
        (
            {
                "compose.yaml": (
                    "services:\n  web:\n    image: nginx:latest\n    container_name: '@'\n"
                    "  db:\n    image: postgres:latest\n"
                )
            },
            "compose/invalid",
        ),
        ({"compose.yaml": "services: [\n", "docs/x.md": "# x\n"}, "yaml"),
        ({"compose.yaml": b"services:\n  web: {image: '\xff'}\n"}, "file/not-utf8"),
    ],
)
def test_what_could_not_be_checked_is_reported_whatever_select_says(
    repo: Repo, files: dict[str, str | bytes], hidden_by: str
) -> None:
    root = repo(files)
    ran = run_cli("check", "--format", "json", "--select", "compose/image-pinned", cwd=root)
    assert ran.code == 1, ran.out + ran.err
    rules = [f["rule"] for f in ran.json()["findings"]]
    unread = [r for r in rules if not r.startswith("compose/image-pinned")]
    assert len(unread) == 1, rules
    assert unread[0].startswith(hidden_by)
    argv = ("check", "--format", "json", "--select", "compose/image-pinned", "--ignore", hidden_by)
    ignored = run_cli(*argv, cwd=root)
    assert all(f["rule"].startswith("compose/image-pinned") for f in ignored.json()["findings"])


def test_pyproject_config_found_from_a_subfolder(repo: Repo) -> None:
    root = repo(
        {
            "compose.yaml": COMPOSE,
            "docs/x.md": "# x\n",
            "pyproject.toml": (
                "[project]\nname = 'x'\n\n[tool.aixcl-lint]\n"
                "select = ['compose/no-port-mappings']\n"
            ),
        }
    )
    assert _rules(root, cwd=root / "docs") == ["compose/no-port-mappings"]


def test_command_line_wins_over_config(repo: Repo) -> None:
    root = repo(
        {"compose.yaml": COMPOSE, ".aixcl-lint.yaml": "select: [compose/no-port-mappings]\n"}
    )
    assert _rules(root, "--select", "compose/network-mode-host") == ["compose/network-mode-host"]
    assert len(_rules(root, "--no-config", "--profile", "aixcl")) == 4


def test_rule_options_from_config(repo: Repo) -> None:
    files = {
        "compose.yaml": "services:\n  app:\n    build: .\n    image: app\n    network_mode: host\n",
    }
    assert _rules(repo(files)) == []
    files[".aixcl-lint.yaml"] = (
        "options:\n  compose/image-pinned:\n    exempt-local-builds: false\n"
    )
    assert _rules(repo(files)) == ["compose/image-pinned[untagged]"]


def test_exclude_and_force_exclude(repo: Repo) -> None:
    root = repo(
        {
            "compose.yaml": COMPOSE,
            "vendor/compose.yaml": COMPOSE,
            ".aixcl-lint.yaml": "exclude: [vendor/]\n",
        }
    )
    paths = {f[1] for f in run_cli("check", "--format", "json", cwd=root).findings()}
    assert paths == {"compose.yaml"}
    named = run_cli("check", "--format", "json", "vendor/compose.yaml", cwd=root)
    assert {f[1] for f in named.findings()} == {"vendor/compose.yaml"}
    forced = run_cli("check", "--force-exclude", "vendor/compose.yaml", cwd=root)
    assert forced.code == 0


def test_fail_on_from_config(repo: Repo) -> None:
    root = repo(
        {
            "compose.yaml": "services:\n  db:\n    image: 'db:${TAG}'\n    network_mode: host\n",
            ".aixcl-lint.yaml": "fail-on: warning\n",
        }
    )
    assert run_cli("check", cwd=root).code == 1
    assert run_cli("check", "--fail-on", "error", cwd=root).code == 0


def test_explicit_compose_projects(repo: Repo) -> None:
    root = repo(
        {
            "deploy/base.yaml": "services:\n  web:\n    image: nginx:1.27\n",
            "deploy/host.yaml": "services:\n  web:\n    network_mode: host\n",
            ".aixcl-lint.yaml": "compose-projects:\n  - [deploy/base.yaml, deploy/host.yaml]\n",
        }
    )
    # Neither file has a compose name, so only the configured project reads them.
    assert _rules(root, "deploy/base.yaml") == []


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ("colour: red\n", ".aixcl-lint.yaml:1: unknown key 'colour'"),
        ("select: compose\n", ".aixcl-lint.yaml:1: 'select' must be a list of rule ids"),
        ("exclude: []\nignore: [compose/nope]\n", ".aixcl-lint.yaml:2: ignore: unknown rule id"),
        (
            "severity:\n  compose/no-port-mappings: fatal\n",
            ".aixcl-lint.yaml:2: 'severity': compose/no-port-mappings: 'fatal' is not a "
            "severity (error, warning or info)",
        ),
        (
            "severity:\n  compose/image-pinned: error\n  compose/no-port-mappings: warn\n",
            ".aixcl-lint.yaml:3: 'severity': compose/no-port-mappings: 'warn' is not a "
            "severity (did you mean 'warning'?)",
        ),
        ("severity: 3\n", ".aixcl-lint.yaml:1: 'severity' must be a mapping of rule id to error"),
        (
            "options:\n  compose/image-pinned:\n    strict: true\n",
            ".aixcl-lint.yaml:2: options: compose/image-pinned has no option 'strict'",
        ),
        ("fail-on: [\n", ".aixcl-lint.yaml:2: invalid YAML"),
        ("!!python/object:os.system x\n", ".aixcl-lint.yaml:1: invalid YAML"),
        ("- a\n- b\n", ".aixcl-lint.yaml:1: the config must be a mapping"),
    ],
)
def test_invalid_config_exits_2_naming_file_and_line(
    repo: Repo, config: str, expected: str
) -> None:
    root = repo({"compose.yaml": COMPOSE, ".aixcl-lint.yaml": config})
    ran = run_cli("check", cwd=root)
    assert ran.code == 2
    assert expected in ran.err, ran.err
    assert len(ran.err.splitlines()) == 1
    assert "Traceback" not in ran.err


def test_invalid_pyproject_names_the_line(repo: Repo) -> None:
    root = repo(
        {
            "compose.yaml": COMPOSE,
            "pyproject.toml": "[tool.aixcl-lint]\nselect = ['compose']\nwhatever = 1\n",
        }
    )
    ran = run_cli("check", cwd=root)
    assert ran.code == 2
    assert "pyproject.toml:3: unknown key 'whatever'" in ran.err


def test_init_writes_a_config_that_loads(repo: Repo) -> None:
    root = repo({"compose.yaml": COMPOSE})
    assert run_cli("init", cwd=root).code == 0
    assert (root / ".aixcl-lint.yaml").read_text().startswith("# aixcl-lint configuration")
    assert run_cli("check", cwd=root).code == 1  # the starter config is valid
    again = run_cli("init", cwd=root)
    assert again.code == 2
    assert "already configures aixcl-lint" in again.err


def test_rules_and_explain(repo: Repo) -> None:
    root = repo({"compose.yaml": COMPOSE})
    listing = run_cli("rules", "--format", "json", cwd=root).json()["rules"]
    ids = [r["id"] for r in listing]
    assert "compose/image-pinned[latest]" in ids
    assert all(r["docs"].startswith("https://") for r in listing)
    text = run_cli("explain", "compose/no-port-mappings", cwd=root)
    assert text.code == 0
    assert text.out.startswith("# `compose/no-port-mappings`")
    assert run_cli("explain", "compose/nope", cwd=root).code == 2


def test_the_repository_policy_folder_is_loaded(repo: Repo) -> None:
    files = {
        "compose.yaml": "services:\n  web:\n    image: nginx:1.27\n    network_mode: host\n",
        ".aixcl-lint/policies/team.yaml": TEAM_POLICY,
    }
    assert _rules(repo(files)) == ["team/restart"]
    files[".aixcl-lint.yaml"] = "policy-folder: governance\n"
    root = repo(files)
    assert _rules(root) == []  # the configured folder replaces the default one
    (root / "governance").mkdir()
    (root / "governance" / "team.yaml").write_text(TEAM_POLICY, encoding="utf-8")
    assert _rules(root) == ["team/restart"]


def test_an_option_of_the_wrong_type_is_a_config_error(repo: Repo) -> None:
    root = repo(
        {
            "compose.yaml": COMPOSE,
            ".aixcl-lint.yaml": "options:\n  security/reporting:\n    max-response-hours: 72h\n",
        }
    )
    ran = run_cli("check", cwd=root)
    assert ran.code == 2
    assert (
        ".aixcl-lint.yaml:2: options: security/reporting option 'max-response-hours' "
        "must be a int" in ran.err
    )
    assert "internal error" not in ran.err


def test_another_repository_is_linted_with_its_own_config(repo: Repo, tmp_path: Path) -> None:
    here = repo({"compose.yaml": COMPOSE, ".aixcl-lint.yaml": "ignore: [compose]\n"})
    there = tmp_path / "there"
    (there / ".git").mkdir(parents=True)
    (there / "compose.yaml").write_text(COMPOSE, encoding="utf-8")
    assert len(_rules(there, str(there), cwd=here)) == 2  # the general rules, not ignored
    (there / ".aixcl-lint.yaml").write_text("foo: 1\n", encoding="utf-8")
    ran = run_cli("check", str(there), cwd=here)
    assert ran.code == 2
    assert "unknown key 'foo'" in ran.err


def test_a_policy_named_twice_loads_once(repo: Repo) -> None:
    root = repo(
        {
            "compose.yaml": "services:\n  web:\n    image: nginx:1.27\n    network_mode: host\n",
            ".aixcl-lint/policies/team.yaml": TEAM_POLICY,
        }
    )
    assert _rules(root, "--policy", ".aixcl-lint/policies/team.yaml") == ["team/restart"]


def test_policies_beside_a_missing_policy_folder_are_named_in_a_warning(repo: Repo) -> None:
    root = repo({"compose.yaml": COMPOSE, ".aixcl-lint/policy/team.yaml": TEAM_POLICY})
    ran = run_cli("check", cwd=root)
    assert ran.err.strip() == (
        "aixcl-lint: warning: .aixcl-lint/policy/team.yaml: not loaded; policies are read "
        "from .aixcl-lint/policies/ (or the config's policy-folder), which does not exist"
    )
    (root / ".aixcl-lint/policy").rename(root / ".aixcl-lint/policies")
    assert run_cli("check", cwd=root).err == ""


def test_a_named_policy_or_config_file_is_loaded_without_a_warning(repo: Repo) -> None:
    root = repo(
        {
            "compose.yaml": COMPOSE,
            ".aixcl-lint/policies/team.yaml": TEAM_POLICY,
            ".aixcl-lint.yaml": "profile: aixcl\n",
        }
    )
    ran = run_cli("check", ".aixcl-lint/policies/team.yaml", ".aixcl-lint.yaml", cwd=root)
    assert (ran.code, ran.err) == (0, ""), ran.out + ran.err
    broken = TEAM_POLICY.replace("severity: ", "severity: x", 1)
    (root / ".aixcl-lint/policies/team.yaml").write_text(broken, encoding="utf-8")
    ran = run_cli("check", ".aixcl-lint/policies/team.yaml", cwd=root)
    assert ran.code == 2
    assert ran.err.startswith("aixcl-lint: error: invalid policy: .aixcl-lint/policies/team.yaml:")
