"""The built-in pack's parse ships with the package (``policy.shipped``): it is current,
it gives the same rules as parsing, a machine's first run uses it instead of parsing,
and an entry serves only the text it was made from."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from aixcl_lint.documents import yamltree
from aixcl_lint.policy import shipped
from aixcl_lint.policy.loader import builtin_files, load_file
from aixcl_lint.policy.packs import PackLoader


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("AIXCL_LINT_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _facts(rules: list[Any]) -> list[tuple[Any, ...]]:
    return [
        (
            r.id,
            r.line,
            r.title,
            r.severity,
            r.kind,
            r.files,
            r.exclude,
            dict(r.options),
            r.reads,
            r.governed_by,
            tuple((c.message, c.selector, c.sub_id, c.severity, c.fix is None) for c in r.checks),
        )
        for r in rules
    ]


def _refuse_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed")

    monkeypatch.setattr(yamltree, "parse", refuse)


def test_the_shipped_parse_is_current() -> None:
    made = shipped.build(builtin_files())
    assert shipped.PATH.read_text("utf-8") == made, (
        "policy/builtin.json is stale: run `python -m aixcl_lint.policy.shipped`"
    )


def test_a_first_run_compiles_the_pack_from_its_shipped_parse(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed_rules = [r for p in builtin_files() for r in load_file(p, f"<builtin>/{p.name}")]
    for entry in cache.rglob("*"):
        if entry.is_file():
            entry.unlink()  # a machine's first run: nothing kept
    _refuse_parsing(monkeypatch)
    loader = PackLoader(str)
    loader.builtin()
    assert _facts(list(loader.pack().rules)) == _facts(parsed_rules)
    assert [p for p in cache.rglob("*") if p.is_file()] == []  # nothing written either


def test_an_edited_built_in_file_is_parsed(tmp_path: Path) -> None:
    original = builtin_files()[0]
    edited = tmp_path / original.name
    text = original.read_text("utf-8")
    edited.write_text(text.replace("title: ", "title: Edited ", 1), encoding="utf-8")
    ship = shipped.entries()
    assert ship.lookup(original.name, text) is not None
    assert ship.lookup(edited.name, edited.read_text("utf-8")) is None
    (rule, *_) = load_file(edited, edited.name, trusted=True, ship=ship)
    assert rule.title.startswith("Edited ")


@pytest.mark.parametrize(
    "raw",
    [None, b"", b"{", b"[]", b'{"format": 0, "files": {}}', b'{"format": 1, "files": []}'],
)
def test_a_missing_or_damaged_file_ships_nothing(raw: bytes | None) -> None:
    original = builtin_files()[0]
    assert shipped.Entries(raw).lookup(original.name, original.read_text("utf-8")) is None


def test_a_damaged_entry_is_not_used() -> None:
    original = builtin_files()[0]
    text = original.read_text("utf-8")
    for entry in (
        {"key": shipped.digest(text), "data": "{", "lines": []},
        {"key": shipped.digest(text), "data": "{}"},
        {"key": shipped.digest(text), "data": "{}", "lines": [1]},
    ):
        ship = shipped.Entries(None)
        ship.files = {original.name: entry}
        assert ship.lookup(original.name, text) is None
