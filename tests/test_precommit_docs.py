"""docs/pre-commit.md's widened `files:` pattern passes every file the built-in
docs/comment-references reads, and still what the shipped hook passes."""

from __future__ import annotations

import re

import yaml

from conftest import REPO

SECTION = "### The built-in pack's comment references"


def _documented_pattern() -> re.Pattern[str]:
    text = (REPO / "docs" / "pre-commit.md").read_text(encoding="utf-8")
    section = text[text.index(SECTION) :]
    block = section[section.index("```yaml") : section.index("```\n", section.index("```yaml") + 7)]
    return re.compile(yaml.safe_load(block.removeprefix("```yaml"))[0]["files"])


def _samples(glob: str) -> list[str]:
    name = glob.replace("*", "x")
    return [name, f"deploy/{name}"]


def test_documented_pattern_passes_what_comment_references_reads() -> None:
    pattern = _documented_pattern()
    policy = yaml.safe_load((REPO / "policies" / "docs-comment-references.yaml").read_text())
    target = policy["rules"][0]["target"]
    for glob in target["files"]:
        for sample in _samples(glob):
            assert pattern.search(sample), (glob, sample)
    assert not pattern.search("src/app.js")
    assert not pattern.search("docs/logo.png")


def test_documented_pattern_widens_the_shipped_one() -> None:
    pattern = _documented_pattern()
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    shipped = hooks[0]["files"]
    assert pattern.pattern.startswith(shipped + "|")
    for sample in ("compose.yaml", "deploy/docker-compose.prod.yml", ".env", "README.md"):
        assert pattern.search(sample)
    assert pattern.search(".aixcl-lint/policies/team.yaml")
