"""Profiles: the built-in pack is general by default; ``aixcl`` adds AIXCL's invariants."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from aixcl_lint.policy.profiles import PROFILES
from conftest import REPO, run_cli

Repo = Callable[[Mapping[str, str | bytes]], Path]

STACK = (
    "services:\n"
    "  web:\n"
    "    image: nginx:latest\n"
    "    ports: ['8080:80']\n"
    "    networks: [front]\n"
    "  db:\n"
    "    image: postgres:16\n"
    "networks:\n"
    "  front: {}\n"
)
"""An ordinary compose stack: bridge networking, published ports, a custom network."""
INVARIANTS = {"compose/network-mode-host", "compose/no-port-mappings", "compose/no-custom-networks"}


def _rules(root: Path, *args: str) -> set[str]:
    ran = run_cli("check", "--format", "json", *args, cwd=root)
    assert ran.code in (0, 1), ran.err
    return {f[0].split("[")[0] for f in ran.findings()}


def test_an_ordinary_stack_gets_the_general_rules_only(repo: Repo) -> None:
    root = repo({"compose.yaml": STACK})
    assert _rules(root) == {"compose/image-pinned"}
    assert _rules(root, "--profile", "aixcl") == {"compose/image-pinned", *INVARIANTS}


def test_the_profile_comes_from_config_and_the_command_line_wins(repo: Repo) -> None:
    root = repo({"compose.yaml": STACK, ".aixcl-lint.yaml": "profile: aixcl\n"})
    assert _rules(root) >= INVARIANTS
    assert _rules(root, "--profile", "general") == {"compose/image-pinned"}


def test_a_rule_named_exactly_runs_whatever_the_profile(repo: Repo) -> None:
    root = repo({"compose.yaml": STACK})
    assert _rules(root, "--select", "compose/no-port-mappings") == {"compose/no-port-mappings"}
    assert _rules(root, "--select", "compose") == {"compose/image-pinned"}  # a prefix


def test_ignoring_a_rule_of_another_profile_is_no_error(repo: Repo) -> None:
    root = repo({"compose.yaml": STACK, ".aixcl-lint.yaml": "ignore: [compose/no-port-mappings]\n"})
    assert _rules(root) == {"compose/image-pinned"}


def test_suppressing_a_rule_of_another_profile_is_neither_unknown_nor_unused(repo: Repo) -> None:
    text = STACK.replace(
        "ports: ['8080:80']",
        "ports: ['8080:80']  # aixcl-lint: ignore[compose/no-port-mappings] lb",
    )
    assert _rules(repo({"compose.yaml": text})) == {"compose/image-pinned"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--profile", "aixlc"], "'aixlc' is not one of general, aixcl (did you mean 'aixcl'?)"),
        (["--no-builtin"], "no rules to run: the built-in pack is off"),
        (["--select", "compose/image-pinned", "--ignore", "compose"], "no rules to run"),
        (
            ["--select", "yaml/duplicate-key,suppress"],
            "no rules to run: select names only what aixcl-lint reports while rules read "
            "files (yaml/duplicate-key, suppress); select rules too "
            "(--select compose,yaml/duplicate-key)",
        ),
    ],
)
def test_a_run_with_no_rules_or_an_unknown_profile_is_a_usage_error(
    repo: Repo, args: list[str], message: str
) -> None:
    ran = run_cli("check", *args, cwd=repo({"compose.yaml": STACK}))
    assert ran.code == 2
    assert message in ran.err
    assert "All clear" not in ran.out


def test_rules_shows_each_rule_s_profile(repo: Repo) -> None:
    listing = run_cli("rules", "--format", "json", cwd=repo({})).json()["rules"]
    profile = {r["id"]: r["profile"] for r in listing}
    assert profile["compose/network-mode-host"] == "aixcl"
    assert profile["compose/image-pinned"] == "general"
    assert profile["security/reporting"] == "general"
    assert profile["security/reporting[channel]"] == "general"
    assert profile["security/reporting[response-time]"] == "aixcl"
    assert profile["security/scope"] == "aixcl"
    assert profile["security/reporting[subject]"] == "aixcl"
    assert profile["yaml/parse-error"] == "general"
    text = run_cli("rules", cwd=repo({})).out
    assert any(
        line.split()[:3] == ["compose/network-mode-host", "error", "aixcl"]
        for line in text.splitlines()
    )


GRAFANA_POLICY = """\
## Reporting security issues

If you think you have found a security vulnerability, please send a report to
[security@grafana.com](mailto:security@grafana.com). We can accept only vulnerability
reports at this address. Please encrypt your message to us with our PGP key.

## Security announcements

We post a summary, remediation, and mitigation details for any patch containing
security fixes on our blog.
"""
"""A real project's policy (Grafana's, shortened): a private channel, none of the other
parts AIXCL's policy has."""


def test_a_real_project_s_policy_passes_the_general_profile(repo: Repo) -> None:
    """Supported versions, a response time, disclosure and scope are AIXCL's policy's
    parts: the general profile asks for a private channel only, as GitHub does."""
    root = repo({"SECURITY.md": GRAFANA_POLICY, "README.md": "# Grafana\n"})
    assert _rules(root) == set()
    assert _rules(root, "--profile", "aixcl") == {
        "security/policy-present",
        "security/supported-versions",
        "security/reporting",
        "security/disclosure",
        "security/scope",
    }


def test_every_profile_id_names_a_built_in_rule(repo: Repo) -> None:
    listing = run_cli("rules", "--format", "json", cwd=repo({})).json()["rules"]
    ids = {r["id"] for r in listing}
    for profile in PROFILES.values():
        assert set(profile.ids) <= ids, profile.name


def test_init_writes_the_aixcl_profile_for_an_aixcl_repository(repo: Repo) -> None:
    host = "{image: 'x:1', network_mode: host}"
    root = repo({"compose.yaml": f"services:\n  a: {host}\n  b: {host}\n  c: {{image: 'z:1'}}\n"})
    ran = run_cli("init", cwd=root)
    assert ran.code == 0, ran.err
    assert "with profile aixcl (2 of 3 compose services use host networking)" in ran.out
    assert "\nprofile: aixcl\n" in (root / ".aixcl-lint.yaml").read_text()


def test_init_recognises_the_invariants_document(repo: Repo) -> None:
    root = repo(
        {"compose.yaml": STACK, "docs/architecture/governance/00_invariants.md": "# Invariants\n"}
    )
    ran = run_cli("init", cwd=root)
    assert "profile aixcl (docs/architecture/governance/00_invariants.md states" in ran.out


def test_init_writes_the_general_profile_for_another_repository(repo: Repo) -> None:
    root = repo({"compose.yaml": STACK})
    ran = run_cli("init", cwd=root)
    assert "with profile general (0 of 2 compose services use host networking)" in ran.out
    assert "\nprofile: general\n" in (root / ".aixcl-lint.yaml").read_text()
    assert _rules(root) == {"compose/image-pinned"}


def test_the_example_carries_the_aixcl_profile() -> None:
    ran = run_cli("check", "--format", "json", "examples/aixcl", cwd=REPO)
    assert {f[0].split("[")[0] for f in ran.findings()} >= INVARIANTS


@pytest.mark.parametrize("page", ["README.md", "docs/rules/README.md"])
def test_the_rule_tables_show_the_profiles_the_code_has(page: str) -> None:
    import re

    from aixcl_lint.policy.profiles import profile_of

    text = (REPO / page).read_text(encoding="utf-8")
    rows = re.findall(r"^\| \[`([^`]+)`\]\([^)]*\) \|(.*)$", text, re.MULTILINE)
    assert len(rows) == 14
    aixcl_subs = [i for i in PROFILES["aixcl"].ids if "[" in i]
    for rule_id, rest in rows:
        cell = next(
            c.strip() for c in rest.split("|") if c.strip().startswith(("general", "aixcl"))
        )
        assert cell.split(";")[0] == profile_of(rule_id), rule_id
        for sub in aixcl_subs:
            if sub.startswith(rule_id + "["):
                assert f"`{sub[len(rule_id) :]}` aixcl" in cell, sub


def test_an_unknown_profile_in_the_config_is_named_at_its_line(repo: Repo) -> None:
    root = repo({"compose.yaml": STACK, ".aixcl-lint.yaml": "exclude: []\nprofile: aixlc\n"})
    ran = run_cli("check", cwd=root)
    assert ran.code == 2
    assert ".aixcl-lint.yaml:2: profile: unknown profile 'aixlc' (did you mean 'aixcl'?)" in ran.err


def test_each_rule_page_states_the_rule_s_profile(repo: Repo) -> None:
    listing = run_cli("rules", "--format", "json", cwd=repo({})).json()["rules"]
    for row in listing:
        page = REPO / "docs" / "rules" / f"{row['id']}.md"
        if not page.is_file():
            continue  # sub-ids and file problems: their rule's page, the rules index
        head = page.read_text(encoding="utf-8").split("\n\n", 2)[1]
        assert f"Profile: `{row['profile']}`" in head, row["id"]


def test_the_configuration_page_names_the_aixcl_profile_s_ids() -> None:
    import re

    page = (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")
    section = page.split("\n## Profiles\n", 1)[1].split("\n## ", 1)[0]
    added = section.split("`aixcl` builds on it", 1)[1].split("`aixcl-lint rules`", 1)[0]
    named = re.findall(r"`([a-z]+/[a-z-]+(?:\[[a-z-]+\])?)`", added)
    assert sorted(named) == sorted(PROFILES["aixcl"].ids)
