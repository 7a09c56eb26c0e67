"""The docs show what the commands print: each pasted output is produced here again."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from conftest import REPO, run_cli

SHOP = {
    "compose.yaml": (
        'services:\n  web:\n    image: nginx:latest\n    ports: ["8080:80"]\n'
        "  db:\n    image: postgres:16\n"
    ),
    "README.md": "# Shop\n\nSee [the runbook](docs/runbook.md).\n",
}
"""The repository docs/getting-started.md runs the commands in (as /tmp/shop)."""


def _page(name: str) -> str:
    return (REPO / "docs" / name).read_text(encoding="utf-8")


def _indented(text: str) -> str:
    return textwrap.indent(text, "   ").replace("   \n", "\n")


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    root = tmp_path / "shop"
    (root / ".git").mkdir(parents=True)
    for name, text in SHOP.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_getting_started_shows_what_check_init_and_statistics_print(shop: Path) -> None:
    page = _page("getting-started.md")
    checked = run_cli("check", cwd=shop)
    assert checked.code == 1
    assert _indented(checked.out) in page
    assert _indented(run_cli("check", "--statistics", cwd=shop).out) in page
    dry = run_cli("init", "--dry-run", cwd=shop)
    assert not (shop / ".aixcl-lint.yaml").exists()
    assert dry.err.replace(str(shop), "/tmp/shop").strip() in page
    init = run_cli("init", cwd=shop).out.replace(str(shop), "/tmp/shop")
    assert init.strip() in page


def test_configuration_shows_the_errors_it_describes(shop: Path) -> None:
    page = _page("configuration.md")
    (shop / ".aixcl-lint.yaml").write_text("exclude: []\n\nexclud: [x]\n", encoding="utf-8")
    assert run_cli("check", cwd=shop).err.strip() in page
    selected = run_cli("check", "--no-config", "--select", "compose/netwrok-mode-host", cwd=shop)
    assert selected.err.strip() in page
    (shop / "pyproject.toml").write_text("[tool.aixcl-lint]\n", encoding="utf-8")
    both = run_cli("check", cwd=shop).err.replace(str(shop), "/tmp/shop")
    assert both.strip() in page


def test_the_configuration_examples_load(shop: Path) -> None:
    page = _page("configuration.md")
    yaml_example = page.split("```yaml\n# .aixcl-lint.yaml\n", 1)[1].split("```", 1)[0]
    (shop / ".aixcl-lint.yaml").write_text(yaml_example, encoding="utf-8")
    (shop / "deploy").mkdir()
    for name in ("base.yaml", "gpu.yaml"):
        (shop / "deploy" / name).write_text("services: {}\n", encoding="utf-8")
    assert run_cli("check", cwd=shop).code in (0, 1)
    (shop / ".aixcl-lint.yaml").unlink()
    toml_example = page.split("```toml\n", 1)[1].split("```", 1)[0]
    (shop / "pyproject.toml").write_text(toml_example, encoding="utf-8")
    assert run_cli("check", cwd=shop).code in (0, 1)


def test_fixing_shows_what_fix_and_diff_print(tmp_path: Path) -> None:
    root = tmp_path / "aixcl"
    shutil.copytree(REPO / "examples" / "aixcl", root)
    (root / ".git").mkdir()
    page = _page("fixing.md")
    diff = run_cli("check", "--diff", cwd=root)
    assert diff.code == 0
    assert diff.err in page
    fixed = run_cli("check", "--fix", "--concise", cwd=root)
    assert fixed.code == 1
    assert fixed.out in page


def test_policy_language_shows_a_mistyped_operator_s_error(shop: Path) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    policy = readme.split("```yaml\nversion: 1\n", 1)[1].split("```", 1)[0]
    (shop / "team.yaml").write_text("version: 1\n" + policy.replace("one-of:", "equal:"))
    ran = run_cli("check", "--policy", "team.yaml", cwd=shop)
    assert ran.code == 2
    assert f"```text\n{ran.err}```" in _page("policy-language.md")


@pytest.mark.parametrize("page", sorted((REPO / "docs" / "rules" / "compose").glob("*.md")))
def test_a_compose_rule_page_s_example_gets_the_findings_it_marks(
    page: Path, tmp_path: Path
) -> None:
    import re

    rule = f"compose/{page.stem}"
    text = page.read_text(encoding="utf-8")
    example = text.split("## Examples\n\n```yaml\n", 1)[1].split("```", 1)[0]
    (tmp_path / ".git").mkdir()
    (tmp_path / "compose.yaml").write_text(example.replace("<64 hex digits>", "a" * 64))
    marked = set()
    for number, line in enumerate(example.splitlines(), start=1):
        comment = line.partition("#")[2]
        marked |= {(number, m) for m in re.findall(r"compose/[a-z-]+(?:\[[a-z-]+\])?", comment)}
        marked |= {(number, f"{rule}{m}") for m in re.findall(r"^ *(\[[a-z-]+\])", comment)}
    ran = run_cli("check", "--no-config", "--profile", "aixcl", "--format", "json", cwd=tmp_path)
    found = {
        (line, rule_id)
        for rule_id, _, line, _ in ran.findings()
        if rule_id.split("[")[0] in (rule, "compose/invalid")
    }
    assert marked
    assert found == marked


def test_configuration_shows_the_error_for_a_path_outside_the_repository(shop: Path) -> None:
    (shop / ".aixcl-lint.yaml").write_text("policies: [/etc/passwd]\n", encoding="utf-8")
    ran = run_cli("check", cwd=shop)
    assert ran.code == 2
    assert f"```text\n{ran.err}```" in _page("configuration.md")


def test_the_suppression_examples_suppress_everything_they_name(tmp_path: Path) -> None:
    page = _page("suppressions.md")
    (tmp_path / ".git").mkdir()
    compose = page.split("```yaml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "compose.yaml").write_text(compose, encoding="utf-8")
    markdown = page.split("```markdown\n", 1)[1].split("```", 1)[0]
    (tmp_path / "README.md").write_text(markdown, encoding="utf-8")
    ran = run_cli("check", "--no-config", "--profile", "aixcl", "--format", "json", cwd=tmp_path)
    # Nothing left but the missing security policy: no finding, and no unused directive.
    assert [f[0] for f in ran.findings()] == ["security/policy-present[missing]"]


def test_the_configuration_keys_table_lists_every_key_the_config_takes() -> None:
    import re

    from aixcl_lint.configkeys import KEYS

    table = _page("configuration.md").split("## Keys\n\n", 1)[1].split("\n\n", 1)[0]
    documented = re.findall(r"^\| `([a-z-]+)` \|", table, re.MULTILINE)
    assert sorted(documented) == sorted(KEYS)
