"""Links in the Markdown pages of a Sphinx project that MyST reads (``myst_parser`` in
its ``conf.py``) mean what MyST makes of them: a document named without its suffix, an
explicit target of the project, ``project:`` and ``path:``. Outside such a project,
or with another flavour set, they are paths as GitHub reads them."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_cli
from test_discover_git import git_repo

CONF = 'project = "x"\nextensions = [\n    "sphinx.ext.autodoc",\n    "myst_parser",\n]\n'
INDEX = """\
# Home

- [a](getting-started) and [b](cached) and [c](cli/pip)
- [d](/topics/caching) and [e](#cached) and [f](project:getting-started.md)
- [g](<rst label>) and [h](getting-started#first-steps) and [i](project:#cached)
- [broken](nowhere)
- [broken](project:missing.md)
- [broken](getting-started#no-such-heading)
- [broken](path:missing.txt)
- [broken](#no-such-target)
"""
PAGES = {
    "docs/index.md": INDEX,
    "docs/getting-started.md": "# Getting started\n\n## First steps\n",
    "docs/topics/caching.md": "# Caching\n\n(cached)=\n\n## Wheels\n",
    "docs/cli/pip.rst": "pip\n===\n\n.. _rst label:\n\nText.\n",
}
BROKEN = [
    ("docs/anchors", "docs/index.md", 8, 3),
    ("docs/anchors", "docs/index.md", 10, 3),
    ("docs/relative-links", "docs/index.md", 6, 3),
    ("docs/relative-links", "docs/index.md", 7, 3),
    ("docs/relative-links", "docs/index.md", 9, 3),
]
AS_GITHUB = [  # every link MyST resolves by a document's name or a label; schemes skipped
    ("docs/anchors", "docs/index.md", 4, 28),
    ("docs/anchors", "docs/index.md", 10, 3),
    *[("docs/relative-links", "docs/index.md", 3, col) for col in (3, 28, 44)],
    ("docs/relative-links", "docs/index.md", 4, 3),
    *[("docs/relative-links", "docs/index.md", 5, col) for col in (3, 24)],
    ("docs/relative-links", "docs/index.md", 6, 3),
    ("docs/relative-links", "docs/index.md", 8, 3),
]


def _findings(root: Path, *args: str) -> list[tuple[str, str, int, int]]:
    ran = run_cli("check", "--format", "json", *args, cwd=root, env={"AIXCL_LINT_NO_CACHE": "1"})
    assert ran.code in (0, 1), ran.err
    return sorted(f for f in ran.findings() if f[0].startswith("docs/"))


def test_a_myst_projects_links_resolve_as_myst_resolves_them(tmp_path: Path) -> None:
    root = git_repo(tmp_path / "repo", {**PAGES, "docs/conf.py": CONF})
    assert _findings(root) == BROKEN


@pytest.mark.parametrize(
    "config",
    [
        {},  # no conf.py
        {"docs/conf.py": 'extensions = ["sphinx.ext.autodoc"]  # not myst_parser\n'},
        {"docs/conf.py": CONF, ".aixcl-lint.yaml": "markdown-flavour: github\n"},
    ],
)
def test_elsewhere_they_are_paths(tmp_path: Path, config: dict[str, str]) -> None:
    assert _findings(git_repo(tmp_path / "repo", {**PAGES, **config})) == AS_GITHUB


def test_a_page_outside_the_source_folder_is_githubs(tmp_path: Path) -> None:
    files = {**PAGES, "docs/conf.py": CONF, "README.md": "# R\n\n[x](docs/getting-started)\n"}
    assert ("docs/relative-links", "README.md", 3, 1) in _findings(git_repo(tmp_path / "r", files))


def test_the_myst_flavour_reads_the_whole_repository_as_one_project(tmp_path: Path) -> None:
    files = {**PAGES, ".aixcl-lint.yaml": "markdown-flavour: myst\n"}
    # "/topics/caching" is read from the root, the source folder of that project
    expected = sorted([*BROKEN, ("docs/relative-links", "docs/index.md", 4, 3)])
    assert _findings(git_repo(tmp_path / "repo", files)) == expected


def test_a_label_added_elsewhere_mends_a_kept_result(tmp_path: Path) -> None:
    root = git_repo(tmp_path / "repo", {**PAGES, "docs/conf.py": CONF})
    env = {"AIXCL_LINT_CACHE_DIR": str(tmp_path / "cache")}
    args = ("check", "--format", "json", "--jobs", "1")
    assert ("docs/relative-links", "docs/index.md", 6, 3) in run_cli(
        *args, cwd=root, env=env
    ).findings()
    (root / "docs/topics/caching.md").write_text("# Caching\n\n(cached)=\n\n(nowhere)=\n\n## W\n")
    again = run_cli(*args, cwd=root, env=env)
    assert ("docs/relative-links", "docs/index.md", 6, 3) not in again.findings()
    assert len([f for f in again.findings() if f[0].startswith("docs/")]) == len(BROKEN) - 1


ROLES = """\
# Roles

See {doc}`getting-started`, {doc}`the guide </topics/caching>` and {ref}`cached`.
Also {ref}`Wheels <rst label>`, {numref}`cached` and {download}`conf.py`.

- {doc}`missing-page` is broken, so is {ref}`no-such-label`.

| role | broken |
| --- | --- |
| {download}`missing.zip` | yes |

`{doc}` alone names nothing, and neither does \\{doc}`escaped`.
"""
ROLES_BROKEN = [
    ("docs/anchors", "docs/roles.md", 6, 40),
    ("docs/relative-links", "docs/roles.md", 6, 3),
    ("docs/relative-links", "docs/roles.md", 10, 3),
]


def test_roles_naming_a_document_a_label_or_a_file_are_links(tmp_path: Path) -> None:
    root = git_repo(tmp_path / "repo", {**PAGES, "docs/conf.py": CONF, "docs/roles.md": ROLES})
    found = [f for f in _findings(root) if f[1] == "docs/roles.md"]
    assert found == ROLES_BROKEN
    ran = run_cli("check", "--select", "docs", cwd=root, env={"AIXCL_LINT_NO_CACHE": "1"})
    assert "link 'missing-page'" in ran.out or "'missing-page'" in ran.out, ran.out


def test_roles_are_code_spans_on_other_pages(tmp_path: Path) -> None:
    root = git_repo(tmp_path / "repo", {**PAGES, "docs/roles.md": ROLES})
    assert [f for f in _findings(root) if f[1] == "docs/roles.md"] == []


def test_a_roles_missing_label_is_named_a_label(tmp_path: Path) -> None:
    page = (
        "# Page\n\n(known)=\n## Known\n\n"
        "{ref}`lost` {numref}`Fig <gone>` [x](#nowhere) {ref}`known`\n"
    )
    root = git_repo(tmp_path / "repo", {"docs/conf.py": CONF, "docs/page.md": page})
    ran = run_cli("check", "--format", "json", "--select", "docs/anchors", cwd=root)
    assert [(f["column"], f["message"]) for f in ran.json()["findings"]] == [
        (
            1,
            "role '#lost' leads to no label (a '(label)=' line in the project) or heading "
            "anchor in docs/page.md",
        ),
        (
            13,
            "role '#gone' leads to no label (a '(label)=' line in the project) or heading "
            "anchor in docs/page.md",
        ),
        (34, "link '#nowhere' leads to no heading or HTML anchor in docs/page.md"),
    ]
