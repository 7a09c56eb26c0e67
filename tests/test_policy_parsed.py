"""Policy files are parsed once per content: the data and lines are kept as JSON, and
an entry that is corrupt, another file's, or lacks a line is never trusted."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from aixcl_lint import inputs
from aixcl_lint.documents import yamltree
from aixcl_lint.policy import parsed, patterns
from aixcl_lint.policy.loader import builtin_files, load_file
from conftest import run_cli
from test_policy_loader import GOOD_RULE as POLICY
from test_policy_loader import Repo


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("AIXCL_LINT_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache" / "policies"


def _facts(path: Path) -> list[tuple[str, int, str, tuple[str, ...]]]:
    rules = load_file(path, path.name, trusted=True)
    return [(r.id, r.line, r.title, tuple(c.message for c in r.checks)) for r in rules]


def _unparsable(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(yamltree, "parse", refuse)


def test_the_built_in_pack_is_parsed_once(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = builtin_files()
    first = [_facts(p) for p in files]
    assert len(list(cache.iterdir())) == len(files)  # every built-in file kept
    _unparsable(monkeypatch)
    assert [_facts(p) for p in files] == first


def _entry(cache: Path) -> Path:
    (entry,) = cache.iterdir()
    return entry


def _rewrite(entry: Path, change: dict[str, object]) -> None:
    body = json.dumps({**json.loads(entry.read_bytes().partition(b"\n")[2]), **change}).encode()
    entry.write_bytes(hashlib.blake2b(body, digest_size=20).hexdigest().encode() + b"\n" + body)


@pytest.mark.parametrize(
    "damage",
    [
        lambda e: e.write_bytes(e.read_bytes()[:-9]),  # truncated
        lambda e: e.write_bytes(b"0" * 40 + e.read_bytes()[40:]),  # checksum wrong
        lambda e: _rewrite(e, {"format": 0}),
        lambda e: _rewrite(e, {"key": "0" * 40}),  # another text's entry
        lambda e: _rewrite(e, {"lines": [[["rules"], "one"]]}),
    ],
)
def test_a_damaged_entry_is_ignored_and_replaced(
    cache: Path, tmp_path: Path, damage: object
) -> None:
    policy = tmp_path / "p.yaml"
    policy.write_text(POLICY, encoding="utf-8")
    first = _facts(policy)
    entry = _entry(cache)
    kept = entry.read_bytes()
    damage(entry)  # type: ignore[operator]
    assert parsed.lookup(POLICY) is None
    assert _facts(policy) == first
    assert entry.read_bytes() == kept


def test_a_line_the_entry_lacks_parses_the_file_again(cache: Path, tmp_path: Path) -> None:
    policy = tmp_path / "p.yaml"
    policy.write_text(POLICY, encoding="utf-8")
    assert _facts(policy)[0][1] == 3  # the rule's id is on line 3
    _rewrite(_entry(cache), {"lines": []})
    assert parsed.lookup(POLICY) is not None  # whole, but without the line
    assert _facts(policy)[0][1] == 3


def test_data_json_cannot_give_back_is_not_kept() -> None:
    assert inputs.plain({"a": [1, True, None, "x", 1.5]}) is not None
    for data in ({1: "a"}, {"a": (1,)}, {"a": float("nan")}, {"a": object()}):
        assert inputs.plain(data) is None


def test_a_deferred_pattern_is_the_compiled_one() -> None:
    with patterns.deferring():
        deferred = patterns.pattern(r"(\d+) (days|hours)")
    assert isinstance(deferred, patterns.Deferred)
    compiled = patterns.pattern(r"(\d+) (days|hours)")
    assert not isinstance(compiled, patterns.Deferred)
    text = "in 3 days or 72 hours"
    assert deferred.pattern == compiled.pattern
    assert deferred.groups == compiled.groups == 2
    assert deferred.search(text).group(1) == compiled.search(text).group(1) == "3"
    assert [m.group(2) for m in deferred.finditer(text)] == ["days", "hours"]
    assert deferred.sub("N", text, 1) == compiled.sub("N", text, 1)


def test_a_pattern_re2_rejects_is_a_load_error_every_run(repo: Repo, cache: Path) -> None:
    bad = POLICY.replace("present: true", "matches: '(unclosed'")
    root = repo({"compose.yaml": "services: {}\n", "p.yaml": bad})
    for _ in range(2):
        ran = run_cli("check", "--policy", "p.yaml", cwd=root)
        assert ran.code == 2, ran.out
        assert "RE2 rejects the pattern" in ran.err
    assert not cache.exists() or len(list(cache.iterdir())) == len(builtin_files())
