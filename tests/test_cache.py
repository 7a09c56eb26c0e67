"""Results kept between runs (``run/cache.py``): a re-run of an unchanged repository
parses nothing, a change re-checks what depends on it, a damaged entry is never
trusted, and suppressions apply afresh every run."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from aixcl_lint.documents import markdown, outline, yamltree
from aixcl_lint.run.load import Loader
from aixcl_lint.run.recorder import PURE, Recorder
from conftest import Ran, modules_after_check, run_cli, write_tree

Repo = Callable[[Mapping[str, str | bytes]], Path]

COMPOSE = "services:\n  web:\n    image: nginx:${TAG:-latest}\n"
FILES: dict[str, str | bytes] = {
    "a.md": "# A\n\nSee [b](b.md#one) and [c](c.md).\n",
    "b.md": "# B\n\n## One\n\nText.\n",
    "c.md": "# C\n\nNothing here links anywhere.\n",
    "d.md": "# D\n\n[gone](missing.md)\n",
    "app/compose.yaml": COMPOSE,
    "app/.env": "TAG=1.2\n",
}


class Parses:
    """The documents parsed during a test (policies are not documents)."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        self.outlines = 0

    def clear(self) -> None:
        self.paths.clear()
        self.outlines = 0


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> Parses:
    seen = Parses()
    real_markdown, real_yaml, real_outline = markdown.parse, yamltree.parse, outline.outline

    def spy_markdown(rel: str, *args: object, **kwargs: object) -> object:
        seen.paths.append(rel)
        return real_markdown(rel, *args, **kwargs)  # type: ignore[arg-type]

    def spy_yaml(rel: str, *args: object, **kwargs: object) -> object:
        if rel != "policy.yaml":
            seen.paths.append(rel)
        return real_yaml(rel, *args, **kwargs)  # type: ignore[arg-type]

    def spy_outline(*args: object, **kwargs: object) -> object:
        seen.outlines += 1
        return real_outline(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(markdown, "parse", spy_markdown)
    monkeypatch.setattr(yamltree, "parse", spy_yaml)
    monkeypatch.setattr(outline, "outline", spy_outline)
    return seen


def check(root: Path, cache: Path, *args: str) -> Ran:
    return run_cli(
        "check", "--format", "json", "--jobs", "1", *args,
        cwd=root, env={"AIXCL_LINT_CACHE_DIR": str(cache)},
    )  # fmt: skip


def entries(cache: Path) -> list[Path]:
    return sorted(p for p in (cache / "results").rglob("*") if p.is_file() and p.name[0] != ".")


def test_an_unchanged_rerun_parses_nothing_and_reports_the_same(
    repo: Repo, tmp_path: Path, parses: Parses
) -> None:
    root, cache = repo(FILES), tmp_path / "cache"
    cold = check(root, cache)
    assert cold.code == 1, cold.err
    assert sorted(set(parses.paths)) == ["a.md", "app/compose.yaml", "b.md", "c.md", "d.md"]
    assert entries(cache)
    parses.clear()
    warm = check(root, cache)
    assert (warm.code, warm.out) == (cold.code, cold.out)
    assert parses.paths == []
    assert parses.outlines == 0
    assert "docs/relative-links" in {f["rule"] for f in warm.json()["findings"]}


def test_a_changed_heading_rechecks_the_documents_linking_to_it(
    repo: Repo, tmp_path: Path, parses: Parses
) -> None:
    root, cache = repo(FILES), tmp_path / "cache"
    check(root, cache)
    parses.clear()
    (root / "b.md").write_text("# B\n\n## Two\n\nText.\n")
    found = check(root, cache).json()["findings"]
    assert sorted(set(parses.paths)) == ["a.md", "b.md"]
    assert any(f["path"] == "a.md" and f["rule"] == "docs/anchors" for f in found)


def test_a_change_outside_a_linked_outline_rechecks_only_that_document(
    repo: Repo, tmp_path: Path, parses: Parses
) -> None:
    root, cache = repo(FILES), tmp_path / "cache"
    check(root, cache)
    parses.clear()
    (root / "b.md").write_text("# B\n\n## One\n\nOther text.\n")  # same headings
    (root / "c.md").write_text("# C\n\nStill nothing.\n")
    check(root, cache)
    assert sorted(set(parses.paths)) == ["b.md", "c.md"]


def test_a_created_link_target_rechecks_the_document(
    repo: Repo, tmp_path: Path, parses: Parses
) -> None:
    root, cache = repo(FILES), tmp_path / "cache"
    assert any(f["path"] == "d.md" for f in check(root, cache).json()["findings"])
    parses.clear()
    (root / "missing.md").write_text("# Here now\n")
    found = check(root, cache).json()["findings"]
    assert sorted(set(parses.paths)) == ["d.md", "missing.md"]
    assert not any(f["path"] == "d.md" for f in found)


def test_a_changed_env_file_rechecks_its_compose_project(
    repo: Repo, tmp_path: Path, parses: Parses
) -> None:
    root, cache = repo(FILES), tmp_path / "cache"
    before = check(root, cache).json()["findings"]
    assert not any(f["rule"] == "compose/image-pinned[latest]" for f in before)
    parses.clear()
    (root / "app/.env").write_text("# no tag: the default, latest\n")
    after = check(root, cache).json()["findings"]
    assert parses.paths == ["app/compose.yaml"]
    assert any(f["rule"] == "compose/image-pinned[latest]" for f in after)


@pytest.mark.parametrize(
    "damage",
    [
        lambda data, other: data[: len(data) // 2],  # truncated
        lambda data, other: data[:60] + bytes([data[60] ^ 1]) + data[61:],  # one bit
        lambda data, other: b"",
        lambda data, other: b"\x00\xffnot json\n{",
        lambda data, other: other,  # another unit's entry, whole and valid
    ],
    ids=["truncated", "bit-flip", "empty", "garbage", "foreign"],
)
def test_a_damaged_entry_is_ignored(
    repo: Repo, tmp_path: Path, parses: Parses, damage: Callable[[bytes, bytes], bytes]
) -> None:
    root, cache = repo(FILES), tmp_path / "cache"
    cold = check(root, cache)
    found = entries(cache)
    contents = {p: p.read_bytes() for p in found}
    others = list(contents.values())
    for i, path in enumerate(found):
        other = next(o for o in others[i + 1 :] + others[:i] if o != contents[path])
        path.write_bytes(damage(contents[path], other))
    parses.clear()
    warm = check(root, cache)
    assert warm.out == cold.out
    assert sorted(set(parses.paths)) == ["a.md", "app/compose.yaml", "b.md", "c.md", "d.md"]
    parses.clear()
    assert check(root, cache).out == cold.out  # rewritten whole, and used again
    assert parses.paths == []


def test_suppressions_apply_to_kept_results_every_run(
    repo: Repo, tmp_path: Path, parses: Parses
) -> None:
    root, cache = repo(FILES), tmp_path / "cache"
    cold = check(root, cache)
    assert run_cli(
        "check", "--write-baseline", "base.json", cwd=root,
        env={"AIXCL_LINT_CACHE_DIR": str(cache)},
    ).code == 0  # fmt: skip
    parses.clear()
    based = check(root, cache, "--baseline", "base.json")
    assert (based.code, based.json()["findings"]) == (0, [])
    assert parses.paths == []
    waiver = (
        "waivers:\n  - rule: docs/relative-links\n    path: d.md\n    reason: moving\n"
        "    owner: docs team\n    expires: 2999-01-01\n"
    )
    (root / ".aixcl-lint-waivers.yaml").write_text(waiver)
    waived = check(root, cache).json()["findings"]
    assert not any(f["rule"] == "docs/relative-links" for f in waived)
    (root / ".aixcl-lint-waivers.yaml").unlink()
    assert check(root, cache).out == cold.out


def test_no_cache_neither_uses_nor_keeps_results(
    repo: Repo, tmp_path: Path, parses: Parses
) -> None:
    root, cache = repo(FILES), tmp_path / "cache"
    cold = check(root, cache, "--no-cache")
    assert entries(cache) == []
    check(root, cache)
    parses.clear()
    assert check(root, cache, "--no-cache").out == cold.out
    assert "a.md" in parses.paths


def test_the_environment_turns_the_cache_off(repo: Repo, tmp_path: Path) -> None:
    root, cache = repo(FILES), tmp_path / "cache"
    env = {"AIXCL_LINT_CACHE_DIR": str(cache), "AIXCL_LINT_NO_CACHE": "1"}
    assert run_cli("check", cwd=root, env=env).code == 1
    assert entries(cache) == []


@pytest.mark.parametrize(
    "config", ["cache: false\n", "cache:\n  enabled: false\n", "[tool.aixcl-lint]\ncache = false\n"]
)
def test_the_config_turns_the_cache_off(repo: Repo, tmp_path: Path, config: str) -> None:
    name = "pyproject.toml" if config.startswith("[") else ".aixcl-lint.yaml"
    root, cache = repo({**FILES, name: config}), tmp_path / "cache"
    assert check(root, cache).code == 1
    assert entries(cache) == []


@pytest.mark.parametrize(
    "config",
    ["cache: 1\n", "cache:\n  max-megabytes: 0\n", "cache:\n  size: 10\n", "cache: {enabled: 2}\n"],
)
def test_a_bad_cache_section_is_a_config_error(repo: Repo, tmp_path: Path, config: str) -> None:
    ran = check(repo({**FILES, ".aixcl-lint.yaml": config}), tmp_path / "cache")
    assert ran.code == 2
    assert ran.err.startswith("aixcl-lint: error: invalid config: .aixcl-lint.yaml:")
    assert "'cache' must be true, false or a mapping" in ran.err


def test_old_entries_are_pruned_past_the_configured_size(repo: Repo, tmp_path: Path) -> None:
    root = repo({**FILES, ".aixcl-lint.yaml": "cache:\n  max-megabytes: 1\n"})
    cache = tmp_path / "cache"
    old = cache / "results" / "00"
    old.mkdir(parents=True)
    for i in range(6):
        (old / f"old{i}").write_bytes(b"x" * 300_000)
        os.utime(old / f"old{i}", (1_000_000 + i, 1_000_000 + i))
    check(root, cache)
    # This run's own entries may land in the same shard ("00"): only the old ones count.
    left = sorted(p.name for p in old.iterdir() if p.name.startswith("old"))
    assert len(left) < 6
    assert left == [f"old{i}" for i in range(6 - len(left), 6)], left  # the oldest went
    assert sum(p.stat().st_size for p in entries(cache)) <= 1024 * 1024
    assert any(p.parent != old for p in entries(cache))  # this run's own entries stay


def test_a_cache_folder_inside_the_repository_is_not_used(repo: Repo) -> None:
    root = repo(FILES)
    assert check(root, root / ".cache").code == 1
    assert not (root / ".cache" / "results").exists()


def test_fix_and_diff_check_the_files_as_they_are(
    repo: Repo, tmp_path: Path, parses: Parses
) -> None:
    compose = "services:\n  web:\n    image: nginx:1.2\n    ports: ['80:80']\n"
    root = repo({"compose.yaml": compose, ".aixcl-lint.yaml": "profile: aixcl\n"})
    cache = tmp_path / "cache"
    check(root, cache)
    parses.clear()
    diff = run_cli("check", "--diff", cwd=root, env={"AIXCL_LINT_CACHE_DIR": str(cache)})
    assert diff.code == 0
    assert "-    ports:" in diff.out
    assert "compose.yaml" in parses.paths


def test_standard_input_is_never_served_a_kept_result(repo: Repo, tmp_path: Path) -> None:
    root, cache = repo(FILES), tmp_path / "cache"
    check(root, cache)
    kept = {p: p.stat().st_mtime_ns for p in entries(cache)}
    fixed = "# D\n\n[a](a.md)\n"
    ran = run_cli(
        "check", "--format", "json", "-", "--stdin-filename", "d.md", cwd=root,
        env={"AIXCL_LINT_CACHE_DIR": str(cache)}, stdin=fixed,
    )  # fmt: skip
    assert ran.json()["findings"] == []
    assert {p: p.stat().st_mtime_ns for p in entries(cache)} == kept


def test_workers_keep_results_for_the_parent(repo: Repo, tmp_path: Path, parses: Parses) -> None:
    docs = {f"docs/{i}.md": f"# Doc {i}\n\n[next](./{i + 1}.md)\n" for i in range(120)}
    root, cache = repo(docs), tmp_path / "cache"
    cold = run_cli(
        "check", "--format", "json", "--jobs", "2", cwd=root,
        env={"AIXCL_LINT_CACHE_DIR": str(cache)},
    )  # fmt: skip
    assert len(entries(cache)) >= 120
    parses.clear()
    assert check(root, cache).out == cold.out
    assert parses.paths == []


def test_every_question_a_loader_answers_is_recorded() -> None:
    """A new Loader method must be noted by the Recorder (or be pure), or a result that
    depends on it would be kept past a change."""
    public = {n for n in dir(Loader) if not n.startswith("_") and callable(getattr(Loader, n))}
    public |= {n for n, v in vars(Loader).items() if isinstance(v, property)}
    noted = {n for n in vars(Recorder) if not n.startswith("_")}
    assert public - noted - PURE == set()


def test_entries_hold_no_absolute_paths(repo: Repo, tmp_path: Path) -> None:
    root, cache = repo(FILES), tmp_path / "cache"
    check(root, cache)
    for path in entries(cache):
        body = json.loads(path.read_bytes().partition(b"\n")[2])
        assert all(not p.startswith("/") for _, p, _ in body["facts"])


def test_a_new_mkdocs_site_rechecks_the_pages_it_holds(
    repo: Repo, tmp_path: Path, parses: Parses
) -> None:
    root = repo({**FILES, "docs/page.md": "# Page\n\n## Set up\n\n[x](#set-up)\n"})
    cache = tmp_path / "cache"
    check(root, cache)
    parses.clear()
    (root / "mkdocs.yml").write_text("site_name: handbook\n")
    check(root, cache)
    assert "docs/page.md" in parses.paths  # now read as MkDocs reads it
    assert "c.md" not in parses.paths  # outside the site: still GitHub's


RELATION = """\
version: 1
rules:
  - id: team/profiles
    title: Each profile's services are the table's
    severity: error
    target: {kind: env, files: ["profiles/*.env"]}
    select: {variables: SERVICES}
    checks:
      - relation:
          values: value
          steps: [{split: ','}]
          to:
            kind: markdown
            file: docs/profiles.md
            select: rows
            where: {field: cells.profile, equals: "{stem}"}
            take: cells.services
            steps: [{split: ','}]
          normalize: [trim]
        message: "{stem}: {value}"
"""


def test_a_changed_relation_side_rechecks_every_unit_relating_to_it(
    repo: Repo, tmp_path: Path
) -> None:
    table = "# Profiles\n\n| profile | services |\n| --- | --- |\n| core | {} |\n| full | {} |\n"
    root = repo(
        {
            "policy.yaml": RELATION,
            "profiles/core.env": "SERVICES=ollama,webui\n",
            "profiles/full.env": "SERVICES=ollama\n",
            "docs/profiles.md": table.format("ollama, webui, grafana", "ollama"),
        }
    )
    cache = tmp_path / "cache"

    def failing() -> list[str]:
        ran = check(root, cache, "--no-builtin", "--policy", "policy.yaml")
        return sorted({f["path"] for f in ran.json()["findings"] if f["path"].endswith(".env")})

    assert failing() == ["profiles/core.env"]
    assert failing() == ["profiles/core.env"]  # kept
    (root / "docs/profiles.md").write_text(table.format("ollama, webui", "ollama, grafana"))
    assert failing() == ["profiles/full.env"]


LAZY = (
    "multiprocessing",
    "xml.etree",
    "tomllib",
    "difflib",
    "tempfile",
    "importlib.resources",
    "jsonschema",
    "pyromark",
    "aixcl_lint.documents.compose",
    "aixcl_lint.documents.markdown",
    "aixcl_lint.documents.textlines",
    "aixcl_lint.fix",
)
"""What a re-run of kept results has no use for (``python -X importtime`` shows each)."""


@pytest.mark.slow
def test_a_rerun_of_kept_results_imports_no_parser_it_does_not_use(
    repo: Repo, tmp_path: Path
) -> None:
    root, cache = repo(FILES), tmp_path / "cache"
    check(root, cache)  # validates the pack, keeps every unit's results
    _, loaded, stderr = modules_after_check(root, cache)
    assert "aixcl_lint.run.cache" in loaded, stderr
    assert [m for m in loaded if m.startswith(LAZY)] == []


def test_a_file_written_during_the_run_keeps_no_result(
    repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, cache = repo(FILES), tmp_path / "cache"
    real = markdown.parse

    def edited_meanwhile(rel: str, *args: object, **kwargs: object) -> object:
        found = real(rel, *args, **kwargs)  # type: ignore[arg-type]
        if rel == "d.md":  # an editor saves d.md while the run checks it
            (root / "d.md").write_text("# D\n\n[a](a.md)\n<!-- saved -->\n")
        return found

    monkeypatch.setattr(markdown, "parse", edited_meanwhile)
    first = check(root, cache).json()["findings"]
    assert any(f["path"] == "d.md" for f in first)  # the old text's finding
    monkeypatch.setattr(markdown, "parse", real)
    assert not any(f["path"] == "d.md" for f in check(root, cache).json()["findings"])


def _git(root: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_SYSTEM": os.devnull,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
    }
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def test_a_link_to_a_file_git_ignores_is_rechecked_once_git_tracks_it(
    tmp_path: Path, parses: Parses
) -> None:
    root, cache = tmp_path / "r", tmp_path / "cache"
    write_tree(root, {".gitignore": "built/\n", "a.md": "# A\n\n[x](built/x.md)\n"})
    write_tree(root, {"built/x.md": "# X\n", "b.md": "# B\n\n[a](a.md)\n"})
    _git(root, "init", "-q")
    _git(root, "add", ".gitignore", "a.md", "b.md")
    cold = check(root, cache, "--select", "docs/relative-links")
    assert [(f["path"], f["rule"]) for f in cold.json()["findings"]] == [
        ("a.md", "docs/relative-links")
    ]
    parses.clear()
    assert check(root, cache, "--select", "docs/relative-links").out == cold.out
    assert parses.paths == []  # the existence answers held: nothing parsed again
    _git(root, "add", "-f", "built/x.md")
    tracked = check(root, cache, "--select", "docs/relative-links")
    assert tracked.json()["findings"] == []
    assert "a.md" in parses.paths
    assert "b.md" not in parses.paths  # its link's answer did not change
