"""Policies that cannot be used stop the run with exit 2, naming file, line and key."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path

import jsonschema
import pytest

from aixcl_lint.documents import yamltree
from aixcl_lint.policy.loader import builtin_files, schema_text
from conftest import run_cli

Repo = Callable[[Mapping[str, str | bytes]], Path]

GOOD_RULE = """\
version: 1
rules:
  - id: team/restart
    title: Restart policy
    severity: warning
    target: {kind: compose}
    select: services
    checks:
      - field: restart
        present: true
        message: "service '{service}' has no restart policy"
"""


def _policy_error(repo: Repo, policy: str) -> str:
    root = repo({"compose.yaml": "services: {}\n", "p.yaml": textwrap.dedent(policy)})
    ran = run_cli("check", "--policy", "p.yaml", cwd=root)
    assert ran.code == 2, ran.out
    assert "Traceback" not in ran.err
    assert len(ran.err.strip().splitlines()) == 1
    return ran.err.strip()


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "severity: warning",
            "severity: fatal",
            "p.yaml:5: rules[0].severity: 'fatal' is not one of ['error', 'warning', 'info']",
        ),
        (
            "select: services",
            "select: service",
            "p.yaml:7: rules[0].select: 'service' is none of project, services, mounts,",
        ),
        ("select: services", "select: service", "(did you mean 'services'?)"),
        (
            "- field: restart\n        present: true\n",
            "- relation: {values: restart, steps: [{splt: ','}], list: [a]}\n",
            "p.yaml:9: rules[0].checks[0].relation.steps[0]: 'splt' is none of trim, lower, "
            "split, strip, drop-prefix, drop-matching, map (did you mean 'split'?)",
        ),
        (
            "        present: true\n",
            "        equal: x\n",
            "p.yaml:10: rules[0].checks[0]: Unevaluated properties are not allowed ('equal' was "
            "unexpected) (did you mean 'equals'?)",
        ),
        (
            "        present: true\n",
            "        present: true\n        equals: x\n",
            "p.yaml:9: rules[0].checks[0]: a check needs exactly one operator",
        ),
        (
            "        present: true\n",
            "        matches: '(?<=a)b'\n",
            "p.yaml:10: rules[0].checks[0].matches: RE2 rejects the pattern",
        ),
        (
            "has no restart policy",
            "has no {policy}",
            "p.yaml:11: unknown message variable {policy}",
        ),
        (
            "has no restart policy",
            "has no {servce}",
            "p.yaml:11: unknown message variable {servce} (did you mean 'service'?)",
        ),
        (
            "    title: Restart policy\n",
            "    title: Restart policy\n    colour: red\n",
            "p.yaml:5: rules[0]: Additional properties are not allowed ('colour' was unexpected)",
        ),
        (
            "        present: true\n",
            "        option: strict\n",
            "p.yaml:10: rules[0].checks[0].option: unknown option 'strict'",
        ),
        ("id: team/restart", "id: Team Restart", "p.yaml:3: rules[0].id: 'Team Restart' does"),
        (
            "        message: \"service '{service}' has no restart policy\"\n",
            "        messge: \"service '{service}' has no restart policy\"\n",
            "p.yaml:11: rules[0].checks[0]: Unevaluated properties are not allowed ('messge' was "
            "unexpected) (did you mean 'message'?)",
        ),
        (
            "    target: {kind: compose}\n",
            "    target:\n      kind: compose\n      file: [x.yaml]\n",
            "p.yaml:8: rules[0].target: Additional properties are not allowed ('file' was "
            "unexpected) (did you mean 'files'?)",
        ),
        (
            "version: 1\n",
            "version: 1\nowners: [x]\n",
            "p.yaml:2: (top level): Additional properties are not allowed ('owners' was "
            "unexpected)",
        ),
    ],
)
def test_invalid_policy(repo: Repo, old: str, new: str, expected: str) -> None:
    policy = GOOD_RULE.replace(old, new)
    assert policy != GOOD_RULE
    assert expected in _policy_error(repo, policy)


def test_policy_that_is_not_yaml(repo: Repo) -> None:
    assert "p.yaml:3: yaml/parse-error" in _policy_error(repo, "version: 1\nrules: [\n")


def test_policy_with_python_tag_is_refused(repo: Repo) -> None:
    error = _policy_error(repo, "version: !!python/object:os.system 1\nrules: []\n")
    assert "p.yaml:1: yaml/unsafe-tag" in error


def test_duplicate_rule_id_names_both_files(repo: Repo) -> None:
    root = repo({"compose.yaml": "services: {}\n", "a.yaml": GOOD_RULE, "b/c.yaml": GOOD_RULE})
    ran = run_cli("check", "--policy", "a.yaml", "--policy", "b", cwd=root)
    assert ran.code == 2
    assert "b/c.yaml:3: rule 'team/restart' is already defined in a.yaml" in ran.err


def test_builtin_rule_ids_cannot_be_redefined(repo: Repo) -> None:
    policy = GOOD_RULE.replace("team/restart", "compose/no-port-mappings")
    assert "already defined in <builtin>/compose-no-port-mappings.yaml" in _policy_error(
        repo, policy
    )


def test_validation_is_cached_and_still_catches_compile_errors(repo: Repo, tmp_path: Path) -> None:
    cache = {"AIXCL_LINT_CACHE_DIR": str(tmp_path / "cache")}
    root = repo(
        {
            "compose.yaml": "services:\n  web: {image: 'a:1', network_mode: host}\n",
            "p.yaml": GOOD_RULE,
        }
    )
    for _ in range(2):
        ran = run_cli("check", "--policy", "p.yaml", "--format", "json", cwd=root, env=cache)
        assert ran.findings() == [("team/restart", "compose.yaml", 2, 3)]
    # Only the user's policy: the built-in pack is trusted (see the test below).
    assert len(list((tmp_path / "cache" / "validated").iterdir())) == 1


@pytest.mark.parametrize("path", builtin_files(), ids=lambda p: p.name)
def test_every_builtin_policy_file_validates_against_the_schema(path: Path) -> None:
    # A run does not validate the shipped pack: this test is what makes that safe.
    validator = jsonschema.Draft202012Validator(json.loads(schema_text()))
    parsed = yamltree.parse("policy.yaml", path.read_text(encoding="utf-8"))  # as the loader
    assert not parsed.problems
    assert len(parsed.documents) == 1
    errors = [e.message for e in validator.iter_errors(parsed.documents[0].data)]
    assert errors == []


def test_a_run_of_the_builtin_pack_validates_nothing(repo: Repo, tmp_path: Path) -> None:
    cache = {"AIXCL_LINT_CACHE_DIR": str(tmp_path / "cache")}
    root = repo({"README.md": "# Readme\n"})
    assert run_cli("check", "--profile", "aixcl", cwd=root, env=cache).code in (0, 1)
    assert not (tmp_path / "cache" / "validated").exists()
