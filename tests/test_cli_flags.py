"""The day-two flags ruff users reach for, and the smaller promises of the command line."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from conftest import REPO, run_cli

Repo = Callable[[Mapping[str, str | bytes]], Path]

STACK = "services:\n  web:\n    image: nginx:latest\n    ports: ['80:80']\n"
"""Two AIXCL findings (fixable) and one general one, with the aixcl profile."""
AIXCL = {".aixcl-lint.yaml": "profile: aixcl\n"}


def test_exit_zero_exits_0_with_findings(repo: Repo) -> None:
    root = repo({"compose.yaml": STACK})
    ran = run_cli("check", "--exit-zero", cwd=root)
    assert ran.code == 0
    assert "compose/image-pinned[latest]" in ran.out
    assert run_cli("check", "--exit-zero", "--profile", "nope", cwd=root).code == 2


def test_statistics_count_findings_and_fixable_ones_per_rule(repo: Repo) -> None:
    root = repo({"compose.yaml": STACK, "b/compose.yaml": STACK, **AIXCL})
    ran = run_cli("check", "--statistics", cwd=root)
    assert ran.code == 1
    assert ran.out.splitlines() == [
        "count  fixable  rule                          title",
        "    2        0  compose/image-pinned[latest]  Images are pinned to a tag or digest "
        "(latest)",
        "    2        2  compose/network-mode-host     Every service uses host networking",
        "    2        2  compose/no-port-mappings      No port mappings",
    ]
    data = run_cli("check", "--statistics", "--format", "json", cwd=root).json()
    assert data["statistics"][1] == {
        "rule": "compose/network-mode-host",
        "count": 2,
        "fixable": 2,
        "title": "Every service uses host networking",
    }


def test_quiet_prints_the_findings_only(repo: Repo) -> None:
    root = repo({"compose.yaml": STACK})
    ran = run_cli("check", "-q", cwd=root)
    assert ran.out.startswith("compose.yaml:3:12: error compose/image-pinned[latest]")
    assert "Found" not in ran.out
    clean = repo({"compose.yaml": "services:\n  web: {image: 'nginx:1.27'}\n"})
    assert run_cli("check", "--quiet", cwd=clean).out == ""


def test_show_files_lists_what_a_run_lints(repo: Repo) -> None:
    root = repo({"compose.yaml": STACK, "docs/a.md": "# A\n", "notes.txt": "x\n"})
    ran = run_cli("check", "--show-files", cwd=root)
    assert (ran.code, ran.out) == (0, "compose.yaml\ndocs/a.md\n")


def test_show_files_lists_the_files_text_and_yaml_rules_read(repo: Repo) -> None:
    policy = (
        "version: 1\nrules:\n"
        "  - id: team/sh\n    title: Scripts\n    severity: error\n"
        "    target: {kind: text, files: ['scripts/*.sh']}\n    select: lines\n"
        "    checks: [{field: tabs, equals: false, message: '{path}'}]\n"
        "  - id: team/wf\n    title: Workflows\n    severity: error\n"
        "    target: {kind: yaml, files: ['.github/workflows/*.yml']}\n    select: document\n"
        "    checks: [{field: jobs, present: true, message: '{path}'}]\n"
    )
    files = {
        "compose.yaml": STACK,
        ".github/workflows/ci.yml": "on: push\njobs: {}\n",
        "scripts/a.sh": "set -e\n",
        "notes.txt": "x\n",
        ".aixcl-lint/policies/team.yaml": policy,
    }
    root = repo(files)
    shown = run_cli("check", "--show-files", cwd=root)
    assert (shown.code, shown.out) == (0, ".github/workflows/ci.yml\ncompose.yaml\nscripts/a.sh\n")
    ran = run_cli("check", cwd=root)
    assert ran.out.rstrip().endswith("3 files checked."), ran.out


def test_stdin_is_linted_under_the_given_name_with_its_project(repo: Repo) -> None:
    root = repo(
        {
            "deploy/compose.yaml": "services:\n  web:\n    image: nginx:latest\n",
            "deploy/compose.override.yaml": "services:\n  web:\n    network_mode: host\n",
            "deploy/.env": "TAG=1.27\n",
            **AIXCL,
        }
    )
    text = "services:\n  web:\n    image: 'nginx:${TAG}'\n    ports: ['80:80']\n"
    ran = run_cli(
        "check",
        "--format",
        "json",
        "-",
        "--stdin-filename",
        "deploy/compose.yaml",
        cwd=root,
        stdin=text,
    )
    # Standard input replaces the file on disk (no 'latest'); the override on disk gives
    # the service its network_mode and the .env its tag, so only the ports are wrong.
    assert ran.findings() == [("compose/no-port-mappings", "deploy/compose.yaml", 4, 5)]
    assert ran.code == 1


def test_stdin_findings_carry_the_given_name(repo: Repo) -> None:
    root = repo({})
    ran = run_cli(
        "check",
        "-",
        "--stdin-filename",
        "compose.yaml",
        cwd=root,
        stdin="services:\n  a: {image: redis}\n",
    )
    assert ran.code == 1
    assert ran.out.startswith("compose.yaml:2:14: error compose/image-pinned[untagged]")
    assert " 2 |   a: {image: redis}" in ran.out


def test_stdin_is_read_as_the_file_a_text_or_yaml_rule_reads(repo: Repo) -> None:
    policy = (
        "version: 1\nrules:\n"
        "  - id: team/sh\n    title: Scripts\n    severity: error\n"
        "    target: {kind: text, files: ['scripts/*.sh']}\n    select: lines\n"
        "    checks: [{field: tabs, equals: false, message: 'a tab in {path}'}]\n"
    )
    root = repo({".aixcl-lint/policies/team.yaml": policy, "compose.yaml": STACK})
    argv = ("check", "--select", "team", "--concise", "-", "--stdin-filename", "scripts/new.sh")
    ran = run_cli(*argv, cwd=root, stdin="ok\n\tno\n")
    assert ran.code == 1, ran.err
    assert ran.out.splitlines()[0] == "scripts/new.sh:2:1: error team/sh a tab in scripts/new.sh"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-"], "reading standard input ('-') needs --stdin-filename"),
        (["--stdin-filename", "compose.yaml"], "give PATH '-'"),
        (["-", "--stdin-filename", "compose.yaml", "--fix"], "cannot be combined with --fix"),
        (
            ["-", "--stdin-filename", "notes.txt"],
            "--stdin-filename notes.txt: no kind or rule of this run reads such a file",
        ),
    ],
)
def test_stdin_mistakes_are_usage_errors(repo: Repo, args: list[str], message: str) -> None:
    ran = run_cli("check", *args, cwd=repo({}), stdin="x: 1\n")
    assert ran.code == 2
    assert message in ran.err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--select", "compose/netwrok-mode-host"],
            "command line: select: unknown rule id "
            "'compose/netwrok-mode-host' (did you mean 'compose/network-mode-host'?)",
        ),
        (["--format", "jsn"], "(did you mean 'json'?)"),
        (["--fail-on", "warn"], "(did you mean 'warning'?)"),
        (["--exit-zro"], "Did you mean '--exit-zero'?"),
    ],
)
def test_mistakes_get_a_did_you_mean(repo: Repo, args: list[str], message: str) -> None:
    ran = run_cli("check", *args, cwd=repo({"compose.yaml": STACK}))
    assert ran.code == 2
    assert message in ran.err
    assert "line 0" not in ran.err
    assert ":0:" not in ran.err


def test_a_command_line_mistake_is_not_blamed_on_the_config(repo: Repo) -> None:
    root = repo({"compose.yaml": STACK, ".aixcl-lint.yaml": "select: [compose]\n"})
    ran = run_cli("check", "--ignore", "compose/nope", cwd=root)
    assert ran.err.startswith("aixcl-lint: error: command line: ignore: unknown rule id")


def test_a_config_key_typo_gets_a_did_you_mean(repo: Repo) -> None:
    ran = run_cli("check", cwd=repo({"compose.yaml": STACK, ".aixcl-lint.yaml": "\nselct: []\n"}))
    assert "invalid config: .aixcl-lint.yaml:2: unknown key 'selct' (did you mean 'select'?)" in (
        ran.err
    )


@pytest.mark.parametrize(
    ("section", "line"),
    [
        ('[tool.aixcl-lint.options."compose/image-pinned"]\nexempt-local-bulds = false\n', 7),
        ('[tool.aixcl-lint.options]\n"compose/image-pinned".exempt-local-bulds = false\n', 8),
        ('[tool.aixcl-lint.options]\n"compose/image-pinned" = {exempt-local-bulds = false}\n', 8),
    ],
)
def test_a_pyproject_option_typo_is_reported_at_its_line(
    repo: Repo, section: str, line: int
) -> None:
    pyproject = '[project]\nname = "x"\n\n[tool.aixcl-lint]\nselect = ["compose"]\n\n' + section
    ran = run_cli("check", cwd=repo({"compose.yaml": STACK, "pyproject.toml": pyproject}))
    assert ran.code == 2
    assert (
        f"pyproject.toml:{line}: options: compose/image-pinned has no option 'exempt-local-bulds' "
        "(did you mean 'exempt-local-builds'?)" in ran.err
    )


def test_two_configs_in_one_folder_are_an_error_never_a_silent_choice(repo: Repo) -> None:
    root = repo(
        {
            "compose.yaml": STACK,
            ".aixcl-lint.yaml": "select: [compose]\n",
            "pyproject.toml": "[tool.aixcl-lint]\nselect = ['docs']\n",
        }
    )
    ran = run_cli("check", cwd=root)
    assert ran.code == 2
    assert ".aixcl-lint.yaml and pyproject.toml both configure aixcl-lint" in ran.err
    assert "keep one" in ran.err


def test_junit_counts_only_failing_severities_as_failures(repo: Repo) -> None:
    root = repo({"compose.yaml": "services:\n  web:\n    image: 'nginx:${TAG}'\n"})
    ran = run_cli("check", "--format", "junit", cwd=root)
    assert ran.code == 0  # a warning, and the run fails on errors
    suite = ET.fromstring(ran.out).find("testsuite")
    assert suite is not None
    assert (suite.get("failures"), suite.get("skipped")) == ("0", "1")
    failing = ET.fromstring(
        run_cli("check", "--format", "junit", "--fail-on", "warning", cwd=root).out
    ).find("testsuite")
    assert failing is not None
    assert failing.get("failures") == "1"


def test_term_dumb_gets_no_colour(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from aixcl_lint.cli.base import _use_colour

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    assert _use_colour(None)
    monkeypatch.setenv("TERM", "dumb")
    assert not _use_colour(None)
    assert _use_colour(True)


def test_the_summary_counts_every_file_with_findings_as_checked(repo: Repo) -> None:
    root = repo(
        {
            "compose.yaml": "services:\n  web: {image: nginx}\n",
            ".aixcl-lint-waivers.yaml": (
                "waivers:\n  - rule: compose/image-pinned\n    path: x/compose.yaml\n"
                "    reason: r\n    owner: o\n    expires: 2030-01-01\n"
            ),
        }
    )
    ran = run_cli("check", "--today", "2026-01-01", cwd=root)
    assert ".aixcl-lint-waivers.yaml:2:1: warning suppress/unused-waiver" in ran.out
    assert "Found 2 problems (1 error, 1 warning) in 2 files; 2 files checked." in ran.out
    data = run_cli("check", "--format", "json", "--today", "2026-01-01", cwd=root).json()
    assert data["summary"]["files"] == 2


def _emitted_ids() -> set[str]:
    """Every rule id literal in the source: what the tool itself can report."""
    import re

    pattern = re.compile(r'"([a-z]+/[a-z0-9]+(?:-[a-z0-9]+)*)"')  # "file/not-utf8"
    return {
        m.group(1)
        for path in (REPO / "src" / "aixcl_lint").rglob("*.py")
        for m in pattern.finditer(path.read_text(encoding="utf-8"))
    }


def test_rules_and_explain_cover_every_id_the_tool_can_emit(repo: Repo) -> None:
    root = repo({})
    listed = {r["id"] for r in run_cli("rules", "--format", "json", cwd=root).json()["rules"]}
    emitted = _emitted_ids()
    assert {"yaml/too-deep", "file/not-utf8", "env/parse-error", "suppress/unused"} <= emitted
    assert emitted <= listed
    for rule_id in sorted(emitted):
        ran = run_cli("explain", rule_id, cwd=root)
        assert ran.code == 0, ran.err
        assert f"`{rule_id}`" in ran.out


def test_explain_links_each_tool_finding_to_the_section_listing_it(repo: Repo) -> None:
    root = repo({})
    index = (REPO / "docs" / "rules" / "README.md").read_text(encoding="utf-8")
    sections = {
        head.split("\n", 1)[0].strip().lower().replace(" ", "-"): head
        for head in index.split("\n## ")[1:]
    }
    for rule_id in sorted(_emitted_ids()):
        if (REPO / "docs" / "rules" / f"{rule_id}.md").is_file():
            continue
        ran = run_cli("explain", rule_id, cwd=root)
        url = ran.out.split("Docs: ", 1)[1].split()[0]
        section = sections[url.split("#", 1)[1]]
        assert f"| `{rule_id.split('[')[0]}" in section, rule_id


def test_explain_suggests_the_closest_id(repo: Repo) -> None:
    ran = run_cli("explain", "yaml/parse-eror", cwd=repo({}))
    assert ran.code == 2
    assert "(did you mean 'yaml/parse-error'?)" in ran.err


def test_rules_lists_the_governed_by_ids_of_rules_that_cite_a_clause(repo: Repo) -> None:
    listing = run_cli("rules", "--format", "json", cwd=repo({})).json()["rules"]
    row = next(r for r in listing if r["id"] == "compose/network-mode-host[governed-by]")
    assert row["profile"] == "aixcl"
    assert "the clause it cites, docs/architecture/governance/00_invariants.md" in row["title"]


def test_a_mistyped_id_in_a_directive_gets_a_did_you_mean(repo: Repo) -> None:
    text = (
        "services:\n  web:\n    image: nginx:latest  # aixcl-lint: ignore[compose/image-pined] x\n"
    )
    ran = run_cli("check", "--concise", cwd=repo({"compose.yaml": text}))
    assert (
        "compose.yaml:3:26: warning suppress/unknown-rule ignore[...] names an unknown rule id "
        "'compose/image-pined' (did you mean 'compose/image-pinned'?)" in ran.out
    )


def test_the_readme_options_table_lists_every_check_option() -> None:
    import re

    from aixcl_lint.cli.check_command import check

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    table = readme.split("| option | meaning |\n", 1)[1].split("\n\n", 1)[0]
    documented = set(re.findall(r"(?<![\w-])(--?[a-z][a-z-]*)", table))
    flags = {
        flag
        for param in check.params
        for flag in (*param.opts, *param.secondary_opts)
        if flag.startswith("-") and flag not in ("-h", "--help")
    }
    assert flags <= documented, sorted(flags - documented)
    assert documented - {"-"} <= flags, sorted(documented - flags)


def test_explain_links_lead_to_the_published_files(repo: Repo) -> None:
    """A rule page's relative links lead nowhere from a terminal: explain prints them as
    the published files' addresses, each naming a file of this repository."""
    import pyromark

    root = repo({})
    base = "https://github.com/aixcl/aixcl-lint/blob/main/"
    pages = sorted((REPO / "docs" / "rules").glob("*/*.md"))
    assert len(pages) >= 10
    rewritten = 0
    for page in pages:
        rule_id = page.relative_to(REPO / "docs" / "rules").with_suffix("").as_posix()
        ran = run_cli("explain", rule_id, cwd=root)
        assert ran.code == 0, ran.err
        for event, _ in pyromark.events_with_range(ran.out):
            start = event.get("Start") if isinstance(event, dict) else None
            link = start.get("Link") if isinstance(start, dict) else None
            if not link or link["link_type"] != "Inline" or link["dest_url"].startswith("#"):
                continue
            url = link["dest_url"]
            assert url.startswith(("https://", "http://")), (rule_id, url)
            if url.startswith(base):
                rewritten += 1
                assert (REPO / url.removeprefix(base).split("#")[0]).exists(), (rule_id, url)
    assert rewritten >= len(pages)  # every page links at least its policy file


@pytest.mark.parametrize(
    ("rule_id", "expected"),
    [
        (
            "compose/image-pinned[lates]",
            "unknown sub-id 'compose/image-pinned[lates]' of compose/image-pinned "
            "(did you mean 'compose/image-pinned[latest]'?)",
        ),
        ("docs/anchors[x]", "unknown sub-id 'docs/anchors[x]' of docs/anchors (docs/anchors "),
    ],
)
def test_explain_refuses_an_unknown_sub_id(repo: Repo, rule_id: str, expected: str) -> None:
    """As --select does: a page for a sub-id that does not exist would mislead."""
    ran = run_cli("explain", rule_id, cwd=repo({}))
    assert ran.code == 2
    assert ran.err.startswith(f"aixcl-lint: error: {expected}"), ran.err
    assert run_cli("explain", "compose/image-pinned[latest]", cwd=repo({})).code == 0
