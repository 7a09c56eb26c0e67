"""Waivers are applied through an index (paths by folder and name, rule ids by prefix):
it must match exactly what each waiver's own gitignore pattern and rule entry match."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aixcl_lint import globs
from aixcl_lint.core import Finding, Severity, Span
from aixcl_lint.suppress import waivers
from aixcl_lint.suppress.index import Index, literal, rule_keys

TODAY = datetime.date(2026, 12, 1)
_NAME = st.sampled_from(["a", "b", "c.md", "a.md", ".x"])
_PATHS = st.lists(_NAME, min_size=1, max_size=4).map("/".join)
_PATTERNS = st.one_of(
    st.tuples(
        st.sampled_from(["", "/"]),
        st.lists(_NAME, min_size=1, max_size=3),
        st.sampled_from(["", "/"]),
    ).map(lambda t: t[0] + "/".join(t[1]) + t[2]),
    st.sampled_from(["*.md", "a/**", "**/c.md", "a/*/b", "[ab]", "!a", "a\\b", " a", ".", "./a"]),
)
_RULES = st.sampled_from(
    ["compose", "compose/", "compose/image-pinned", "compose/image-pinned[latest]", "docs/anchors"]
)
_FINDING_RULES = st.sampled_from(
    ["compose/image-pinned", "compose/image-pinned[latest]", "compose/no-ports", "docs/anchors"]
)


def _waiver(rule: str, path: str, line: int, expired: bool = False) -> waivers.Waiver:
    item = {"rule": rule, "path": path, "reason": "r", "owner": "o"}
    item["expires"] = "2026-01-01" if expired else "2027-01-01"
    return waivers._entry(item, line, "w.yaml")


def _finding(rule: str, path: str) -> Finding:
    return Finding(path, Span.at(1), rule, Severity.ERROR, "m")


@settings(max_examples=200, deadline=None)
@given(st.lists(_PATTERNS, max_size=8), st.lists(_PATHS, min_size=1, max_size=8))
def test_the_path_index_matches_what_each_pattern_matches(
    patterns: list[str], paths: list[str]
) -> None:
    entries = [_waiver("compose", p, i + 1) for i, p in enumerate(patterns)]
    index = Index(entries)
    for path in paths:
        expected = {id(w) for w in entries if globs.spec([w.path]).match_file(path)}
        assert {id(w) for w in index.on_path(path)} == expected, path


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(_RULES, _PATTERNS, st.booleans()), max_size=8),
    st.lists(st.tuples(_FINDING_RULES, _PATHS), max_size=12),
)
def test_apply_keeps_what_a_waiver_by_waiver_scan_keeps(
    specs: list[tuple[str, str, bool]], found: list[tuple[str, str]]
) -> None:
    findings = [_finding(r, p) for r, p in found]
    fast = [_waiver(r, p, i + 1, e) for i, (r, p, e) in enumerate(specs)]
    slow = [_waiver(r, p, i + 1, e) for i, (r, p, e) in enumerate(specs)]
    assert waivers.apply(findings, fast, "w.yaml", TODAY) == _scan(findings, slow)


def _scan(findings: list[Finding], entries: list[waivers.Waiver]) -> list[Finding]:
    """``waivers.apply`` as it was before the index: every waiver for every finding."""
    kept = []
    for finding in findings:
        matching = [w for w in entries if w.covers(finding)]
        for w in matching:
            w.used = True
        if not any(w.expires >= TODAY for w in matching):
            kept.append(finding)
    return kept + waivers.apply([], entries, "w.yaml", TODAY)


def test_rule_keys_are_the_entries_that_cover_a_rule() -> None:
    assert rule_keys("compose/image-pinned[latest]") == [
        "compose/image-pinned[latest]",
        "compose",
        "compose/image-pinned",
    ]
    assert literal("docs/") == ("docs", False, True)
    assert literal("/docs/a.md") == ("docs/a.md", True, False)
    assert literal("*.md") is None


def test_many_findings_and_many_waivers() -> None:
    files = [f"svc{i}/compose.yaml" for i in range(3000)]
    findings = [_finding(rule, path) for path in files for rule in ("compose/a", "compose/b")]
    entries = [_waiver("compose/a", path, i + 1) for i, path in enumerate(files[::2])]
    entries += [_waiver("compose/b", f"svc{i}/", 10_000 + i) for i in range(0, 3000, 3)]
    entries += [_waiver("compose", "gone/*.yaml", 20_000), _waiver("compose/a", "svc7*/", 20_001)]
    kept = waivers.apply(findings, entries, "w.yaml", TODAY)
    expected = [
        f
        for f in findings
        if not (
            (
                f.rule == "compose/a"
                and (int(f.path[3:].split("/")[0]) % 2 == 0 or f.path.startswith("svc7"))
            )
            or (f.rule == "compose/b" and int(f.path[3:].split("/")[0]) % 3 == 0)
        )
    ]
    unused = [f for f in kept if f.rule == "suppress/unused-waiver"]
    assert kept[: len(expected)] == expected
    assert [f.line for f in unused] == [20_000]
    assert len(kept) == len(expected) + 1


def test_a_long_settings_file_is_not_taken_for_an_alias_bomb(tmp_path: Path) -> None:
    from aixcl_lint.inputs import MAX_NODES, InputError, load_yaml

    plain = tmp_path / "plain.yaml"
    plain.write_text("".join(f"- [a{i}, b]\n" for i in range(MAX_NODES // 2)))
    data, _ = load_yaml(plain, "plain.yaml", "waivers")
    assert len(data) == MAX_NODES // 2  # 150,000 values written out: bounded by the size
    bomb = tmp_path / "bomb.yaml"
    rows = [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 7)]
    bomb.write_text("a0: &a0 [x]\n" + "\n".join(rows) + "\n")
    with pytest.raises(InputError, match="aliases expand to more than"):
        load_yaml(bomb, "bomb.yaml", "waivers")
