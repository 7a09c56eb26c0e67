"""The kinds registry is the one source of the schema's enums and the docs tables, and
policies that can never match fail to load (exit 2, naming file and line)."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from aixcl_lint.cli import main
from aixcl_lint.kinds import KINDS, Classifier, targetable
from aixcl_lint.kinds.docs import section
from aixcl_lint.policy.loader import schema_text
from conftest import REPO

Repo = Callable[[Mapping[str, str | bytes]], Path]


def test_schema_kind_enum_is_the_registry() -> None:
    schema = json.loads(schema_text())
    kinds = schema["$defs"]["rule"]["properties"]["target"]["properties"]["kind"]["enum"]
    assert kinds == targetable()
    assert set(targetable()) == {"compose", "env", "markdown", "yaml", "text", "tree"}


def test_schema_selector_enum_is_the_registry() -> None:
    names, parameterised = json.loads(schema_text())["$defs"]["selector"]["oneOf"]
    every = list(dict.fromkeys(name for spec in KINDS.values() for name in spec.selectors))
    assert names["enum"] == every
    taking = {
        name for spec in KINDS.values() for name, sel in spec.selectors.items() if sel.parameter
    }
    assert (
        set(parameterised["properties"])
        == taking
        == {"nodes", "keys", "items", "files", "variables"}
    )


def test_docs_tables_are_the_registry() -> None:
    docs = (REPO / "docs" / "policy-language.md").read_text(encoding="utf-8")
    for name in targetable():
        assert section(KINDS[name]) in docs, f"docs/policy-language.md: section {name} drifted"
    headings = [line[5:-1] for line in docs.splitlines() if line.startswith("### `")]
    assert [h for h in headings if h in KINDS] == targetable()


def test_every_kind_is_one_spec_with_a_loader_and_units() -> None:
    for name, spec in KINDS.items():
        assert spec.name == name
        assert callable(spec.load)
        assert callable(spec.units)
        for selector in spec.selectors.values():
            assert selector.fields is not None or selector.fields_doc, (name, selector)
    assert [n for n, s in KINDS.items() if s.fixable] == ["compose"]


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("compose.yaml", "compose"),
        ("deploy/docker-compose.prod.yml", "compose"),
        (".env", "env"),
        ("config/prod.env", "env"),
        ("docs/README.md", "markdown"),
        (".github/workflows/ci.yml", None),
        ("scripts/deploy.sh", None),
    ],
)
def test_classification_by_registry_globs(path: str, kind: str | None) -> None:
    assert Classifier()(path) == kind


def test_config_adds_compose_files_through_the_registry() -> None:
    from aixcl_lint.config import Settings

    settings = Settings(
        root=REPO,
        compose_files=("deploy/*.yaml",),
        compose_projects=(("stacks/base.yml", "stacks/gpu.yml"),),
    )
    classify = Classifier.configured(settings)
    assert classify("deploy/base.yaml") == "compose"
    assert classify("stacks/gpu.yml") == "compose"
    assert classify("other/base.yaml") is None
    assert classify("docs/x.md") == "markdown"


RULE = """\
version: 1
rules:
  - id: team/rule
    title: A rule
    severity: error
    target: {kind: KIND}
    select: SELECT
    checks:
      - CHECK message: "m"}
"""


def _load_error(
    repo: Repo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, **parts: str
) -> str:
    policy = RULE
    for key, value in parts.items():
        policy = policy.replace(key.upper(), value)
    root = repo({"compose.yaml": "services: {}\n", "README.md": "# x\n", "p.yaml": policy})
    monkeypatch.chdir(root)
    code = main(["check", "--no-builtin", "--policy", "p.yaml", "."])
    err = capsys.readouterr().err.strip()
    assert code == 2, err
    assert len(err.splitlines()) == 1
    assert "Traceback" not in err
    return err


@pytest.mark.parametrize(
    ("kind", "select", "check", "expected"),
    [
        (
            "markdown",
            "links",
            "{field: fragmnt_exists, equals: true,",
            "p.yaml:9: rules[0].checks[0].field: the markdown selector 'links' provides no "
            "field 'fragmnt_exists'",
        ),
        (
            "markdown",
            "text",
            "{near: {lines: 1, matches: x},",
            "p.yaml:9: rules[0].checks[0].near: operator 'near' does not apply to markdown rules",
        ),
        (
            "yaml, files: ['*.yml']",
            "document",
            "{near: {lines: 1, matches: x},",
            "p.yaml:9: rules[0].checks[0].near: operator 'near' does not apply to yaml rules",
        ),
        (
            "markdown",
            "lists",
            "{every: {in: items, where: {field: text, matches: x}},",
            "p.yaml:9: rules[0].checks[0].every.where.field: the items here are plain values "
            "with no field 'text': address the item itself as `field: .`",
        ),
        (
            "markdown",
            "document",
            "{some: {in: headings, where: {field: txt, matches: x}},",
            "rules[0].checks[0].some.where.field: the markdown selector 'document' provides "
            "no field 'txt'",
        ),
        (
            "text",
            "file",
            "{field: crlf_count, equals: 0,",
            "the text selector 'file' provides no field 'crlf_count'",
        ),
        (
            "markdown",
            "links",
            "{field: fragmnt_exists, equals: true,",
            "the markdown selector 'links' provides no field 'fragmnt_exists' "
            "(did you mean 'fragment_exists'?)",
        ),
        (
            "tree",
            "files",
            "{field: '@service', equals: x,",
            "the tree selector 'files' provides no variable '@service'",
        ),
        (
            "yaml, files: ['*.sh']",
            "{nodes: a}",
            "{field: x, present: true,",
            "p.yaml:6: rules[0].target.files: *.sh can match no file the yaml kind reads",
        ),
        (
            "compose",
            "services",
            "{field: imagee, matches: x,",
            "p.yaml:9: rules[0].checks[0].field: the compose selector 'services' provides no "
            "field 'imagee' (did you mean 'image'?)",
        ),
        (
            "compose",
            "project",
            "{field: servics.web, present: true,",
            "the compose selector 'project' provides no field 'servics' (did you mean 'services'?)",
        ),
        (
            "compose",
            "services",
            "{some: {in: ports, where: {field: target, equals: 80}}, unless: {field: netwrk_mode, "
            "equals: host},",
            "rules[0].checks[0].unless.field: the compose selector 'services' provides no "
            "field 'netwrk_mode'",
        ),
        (
            "compose",
            "services",
            "{identical-to: copy.yaml,",
            "p.yaml:9: rules[0].checks[0].identical-to: operator 'identical-to' compares a "
            "subject's file, and the compose selector 'services' has no {path}",
        ),
        (
            "text",
            "lines",
            "{field: ending, equals: CRLF,",
            "p.yaml:9: rules[0].checks[0].equals: field 'ending' is one of lf, crlf, cr, none, "
            "never 'CRLF' (did you mean 'crlf'?)",
        ),
        (
            "text",
            "lines",
            "{field: tabs, one-of: [false, 'no'],",
            "rules[0].checks[0].one-of[1]: field 'tabs' is one of true, false, never 'no'",
        ),
        (
            "markdown",
            "links",
            "{field: fragment_exists, equals: yes,",
            "field 'fragment_exists' is one of true, false, never 'yes'",
        ),
        (
            "tree",
            "files",
            "{field: tracked, at-most: 0,",
            "p.yaml:9: rules[0].checks[0].at-most: operator 'at-most' compares numbers, and "
            "field 'tracked' is true or false, never a number: compare it with `equals`",
        ),
        (
            "text",
            "lines",
            "{field: ending, number: {pattern: '(\\d+)', at-least: 1},",
            "rules[0].checks[0].number: operator 'number' compares numbers, and field 'ending' "
            "is lf, crlf, cr or none, never a number",
        ),
        (
            "env, files: ['.env.example']",
            "variables",
            "{field: key, matches: x,",
            "p.yaml:6: rules[0].target.files: .env.example can match no file the env kind "
            "reads (it reads .env, *.env;",
        ),
        (
            "markdown, files: ['docs/*.rst', '*.txt']",
            "links",
            "{field: fragment_exists, equals: true,",
            "docs/*.rst, *.txt can match no file the markdown kind reads",
        ),
        (
            "text, files: ['.git/hooks/*']",
            "lines",
            "{field: text, matches: x,",
            "can match no file: a run never reads inside .git/",
        ),
        ("yaml", "nodes", "{field: x, present: true,", "selector 'nodes' needs a key path"),
        ("yaml", "{nodes: 'a..b'}", "{field: x, present: true,", "key path 'a..b'"),
        ("compose", "{services: x}", "{field: x, present: true,", "p.yaml:7: rules[0].select"),
        (
            "compose",
            "lines",
            "{field: x, present: true,",
            "rules[0].select: selector 'lines' does not apply to compose files",
        ),
        (
            "compose",
            "services",
            "{file-exists: ['docs/{servce}.md'],",
            "rules[0].checks[0].file-exists[0]: unknown variable {servce} in an argument",
        ),
    ],
)
def test_policies_that_can_never_match_fail_to_load(
    repo: Repo,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    kind: str,
    select: str,
    check: str,
    expected: str,
) -> None:
    err = _load_error(repo, capsys, monkeypatch, kind=kind, select=select, check=check)
    assert expected in err


def test_rules_on_files_and_values_their_kinds_have_load(
    repo: Repo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    policy = textwrap.dedent(
        """\
        version: 1
        rules:
          - id: team/upper
            title: Profile variables are upper case
            severity: error
            target: {kind: env, files: ["config/*.env"]}
            select: variables
            checks:
              - field: key
                matches: "^[A-Z_]+$"
                message: "{key}"
          - id: team/guide
            title: Guides have headings
            severity: error
            target: {kind: markdown, files: ["docs/*.markdown"]}
            select: document
            checks:
              - some: {in: headings}
                message: "{path}"
          - id: team/crlf
            title: Scripts end lines in LF
            severity: error
            target: {kind: text, files: ["*.sh"]}
            select: lines
            where: {field: ending, one-of: [crlf, cr]}
            checks:
              - field: trailing_whitespace
                equals: true
                message: "{path}"
        """
    )
    files = {
        "config/core.env": "A=1\nb=2\n",
        "docs/g.markdown": "text\n",
        "run.sh": "a\r\nb \r\nc \n",
        "p.yaml": policy,
    }
    monkeypatch.chdir(repo(files))
    code = main(["check", "--no-builtin", "--policy", "p.yaml", "--format", "json", "."])
    out = json.loads(capsys.readouterr().out)
    assert code == 1
    assert sorted((f["rule"], f["path"]) for f in out["findings"]) == [
        ("team/crlf", "run.sh"),
        ("team/guide", "docs/g.markdown"),
        ("team/upper", "config/core.env"),
    ]


@pytest.mark.parametrize("rule_id", ["yaml/parse-error", "run/crash", "suppress/unused"])
def test_a_rule_may_not_take_an_id_the_tool_reports(
    repo: Repo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, rule_id: str
) -> None:
    policy = RULE.replace("team/rule", rule_id).replace("KIND", "text")
    policy = policy.replace("SELECT", "lines").replace("CHECK", "{field: tabs, equals: false,")
    monkeypatch.chdir(repo({"a.txt": "x\n", "p.yaml": policy}))
    code = main(["check", "--no-builtin", "--policy", "p.yaml", "."])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert err == (
        f"aixcl-lint: error: invalid policy: p.yaml:3: rule id {rule_id!r} is one aixcl-lint "
        "itself reports; choose another"
    )


def test_compose_fields_the_schema_allows_load(
    repo: Repo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    checks = [
        "{field: x-team, equals: b,",
        "{field: deploy.resources.limits.cpus, present: true,",
        "{some: {in: ports, where: {field: anything, present: true}},",
        "{field: services.web.image, equals: other,",
    ]
    policy = RULE.replace("KIND", "compose").replace("SELECT", "services")
    rules = policy.split("rules:\n", 1)[1]
    for i, check in enumerate(checks[1:], 1):
        extra = rules.replace("team/rule", f"team/rule{i}").replace("CHECK", check)
        if i == 3:
            extra = extra.replace("select: services", "select: project")
        policy += extra
    policy = policy.replace("CHECK", checks[0])
    compose = "services:\n  web:\n    image: nginx:1\n    x-team: a\n    ports: ['80:80']\n"
    monkeypatch.chdir(repo({"compose.yaml": compose, "p.yaml": policy}))
    code = main(["check", "--no-builtin", "--policy", "p.yaml", "--format", "json", "."])
    out = json.loads(capsys.readouterr().out)
    assert code == 1
    found = sorted(f["rule"] for f in out["findings"])
    assert found == ["team/rule", "team/rule1", "team/rule2", "team/rule3"]


def test_the_same_fields_load(
    repo: Repo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    policy = textwrap.dedent(
        """\
        version: 1
        rules:
          - id: team/ok
            title: Fields that exist
            severity: error
            target: {kind: markdown}
            select: lists
            checks:
              - every: {in: items, where: {field: ., not-matches: TODO}}
                message: "{path}: a TODO item"
              - select: links
                field: fragment_exists
                equals: true
                message: "{target}"
        """
    )
    root = repo({"README.md": "# x\n\n- TODO write\n", "p.yaml": policy})
    monkeypatch.chdir(root)
    code = main(["check", "--no-builtin", "--policy", "p.yaml", "--format", "json", "."])
    out = json.loads(capsys.readouterr().out)
    assert code == 1
    assert [(f["rule"], f["line"]) for f in out["findings"]] == [("team/ok", 3)]


def test_pre_commit_hooks_pass_the_files_the_kinds_claim() -> None:
    import re

    import yaml

    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    for hook in hooks:
        pattern = re.compile(hook["files"])
        for name, spec in KINDS.items():
            for glob in spec.globs if spec.exclusive else ():
                sample = "deploy/" + glob.replace("*", "x")
                assert pattern.search(sample), (hook["id"], name, glob)
        assert not pattern.search("scripts/deploy.sh")  # widened by users (docs/pre-commit.md)
        # A changed policy or config runs the hook, which loads it.
        for own in (".aixcl-lint/policies/team.yaml", ".aixcl-lint.yaml", ".aixcl-lint.yml"):
            assert pattern.search(own), (hook["id"], own)
        assert not pattern.search("docs/.aixcl-lint/x.txt")


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("jobs.*.steps[*]", ("jobs", "*", "steps", "[*]")),
        ("runs.steps[0].uses", ("runs", "steps", 0, "uses")),
        ("on.push.branches", ("on", "push", "branches")),
        ("[*].name", ("[*]", "name")),
    ],
)
def test_key_paths(text: str, parts: tuple[str | int, ...]) -> None:
    from aixcl_lint.documents.yamlpath import compile_path

    assert compile_path(text) == parts


@pytest.mark.parametrize("text", ["a..b", "a.", ".a", "a[x]", "steps[*]x", "a[*", ""])
def test_key_paths_that_cannot_be_read(text: str) -> None:
    from aixcl_lint.documents.yamlpath import PathError, compile_path

    with pytest.raises(PathError):
        compile_path(text)


@pytest.mark.parametrize(
    ("kind", "globs", "reachable"),
    [
        ("yaml", ("*.sh",), False),
        ("yaml", (".github/workflows/*",), True),
        ("yaml", ("deploy/**",), True),
        ("yaml", ("*.y?ml",), True),
        ("yaml", ("scripts/*.sh", "*.json"), True),
        ("text", ("*.sh",), True),
        ("text", (".git/hooks/*",), False),
        ("text", ("!*.md",), True),
        ("compose", ("deploy/*.yaml",), True),
    ],
)
def test_globs_a_kind_can_read(kind: str, globs: tuple[str, ...], reachable: bool) -> None:
    from aixcl_lint.policy.reach import unreachable

    assert (unreachable(KINDS[kind], globs) is None) is reachable
