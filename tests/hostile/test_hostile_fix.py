"""--fix on hostile compose files: tags, anchors, empty values, directive comments.

A second --fix changes nothing; a fix never turns a service into something that is not a
mapping, never drops a suppression comment, and never leaves YAML that fails to parse.
The generated projects hold what the fuzzing found breaking: values tagged ``!reset``,
``!!null`` or a custom tag, empty values, anchored scalars, and ``# aixcl-lint:``
comments on lines that a fix removes.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from fuzz_target import scratch
from hostile_run import git_repo, run_limited
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from aixcl_lint.config import Settings
from aixcl_lint.documents import yamltree
from aixcl_lint.fix import FixRequest, repair
from aixcl_lint.run import lint, load_policies

# Each case spawns the console script under resource limits: seconds apiece, so slow
# (CI runs every test; the default loop stays short).
pytestmark = pytest.mark.slow

VALUES = ["host", "bridge", "", "~", "!reset", "!reset null", "!!null", "!resetlnull", "!x bridge"]
VALUES += ["&m bridge", "&n !y none", '!!str "bridge"', "null"]
DIRECTIVE = "# aixcl-lint: ignore[compose/image-pinned] reason: pinned elsewhere"


@st.composite
def projects(draw: st.DrawFn) -> dict[str, str]:
    """A base file (and perhaps an override) with tagged values and directives."""
    lines = ["services:"]
    for name in draw(st.lists(st.sampled_from("abcdef"), min_size=1, max_size=4, unique=True)):
        keys: list[str] = []
        mode = draw(st.sampled_from([None, *VALUES]))
        if mode is not None:  # an anchor of its own per service
            keys.append(f"network_mode: {mode.replace('&', '&' + name)}".rstrip())
        if draw(st.booleans()):
            keys.append('ports: ["80:80"]')
        if draw(st.booleans()):
            keys.append("image: nginx")
        if draw(st.booleans()):
            keys.append("networks: [front]")
        keys = draw(st.permutations(keys))
        if draw(st.booleans()):
            lines.append(f"  {DIRECTIVE}")
        lines.append(f"  {name}:")
        for key in keys:
            trailing = f"  {DIRECTIVE}" if draw(st.booleans()) else ""
            lines.append(f"    {key}{trailing}")
    files = {"compose.yaml": "\n".join(lines) + "\n"}
    if draw(st.booleans()):
        mode = draw(st.sampled_from(VALUES))
        files["compose.override.yaml"] = f"services:\n  a:\n    network_mode: {mode}\n"
    return files


def _fix(root: Path) -> dict[str, str]:
    settings = Settings(root=root, jobs=1, profile="aixcl")
    pack = load_policies(settings)
    reported = [f for f in lint(settings, [], pack).findings if f.fixable]
    files = sorted(p.name for p in root.glob("*.yaml"))
    groups = [("compose.yaml", *(f for f in files if f != "compose.yaml"))]
    result = repair(FixRequest(root, pack, groups, reported, set(files)))
    return {path: change.text for path, change in result.changes.items()}


def _services(text: str) -> dict[str, object]:
    data = yaml.safe_load(text.replace("!", "")) or {}  # the shape, tags aside
    services = data.get("services") if isinstance(data, dict) else None
    return services if isinstance(services, dict) else {}


@seed(15)
@settings(
    max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(files=projects())
def test_fix_is_idempotent_and_keeps_shape_and_directives(files: dict[str, str]) -> None:
    root = scratch()
    shutil.rmtree(root, ignore_errors=True)
    (root / ".git").mkdir(parents=True)
    try:
        for rel, text in files.items():
            (root / rel).write_text(text, encoding="utf-8")
        _fix(root)
        fixed = {rel: (root / rel).read_text(encoding="utf-8") for rel in files}
        for rel, text in files.items():
            assert fixed[rel].count("aixcl-lint:") == text.count("aixcl-lint:"), fixed[rel]
            if not yamltree.parse(rel, text).problems:
                assert not yamltree.parse(rel, fixed[rel]).problems, fixed[rel]
            for name, service in _services(fixed[rel]).items():
                assert service is None or isinstance(service, dict), (name, fixed[rel])
        assert _fix(root) == {}, fixed  # a second --fix changes nothing
    finally:
        shutil.rmtree(root, ignore_errors=True)


TAGGED = [
    ("!resetlnull", "network_mode: host"),
    ("&m !x bridge", "network_mode: &m host"),
]


@pytest.mark.parametrize(("value", "after"), TAGGED)
def test_a_tagged_value_is_replaced_once(tmp_path: Path, value: str, after: str) -> None:
    compose = f"services:\n  web:\n    image: nginx:1.27\n    network_mode: {value}\n"
    root = git_repo(tmp_path / "repo", {"compose.yaml": compose})
    for _ in range(2):
        ran = run_limited("check", "--fix", cwd=root)
        assert ran.code == 0, (ran.out, ran.err)
    assert (root / "compose.yaml").read_text().splitlines()[-1] == f"    {after}"


def test_an_empty_value_that_is_the_only_key_stays_a_mapping(tmp_path: Path) -> None:
    root = git_repo(tmp_path / "repo", {"compose.yaml": "services:\n  web:\n    network_mode:\n"})
    ran = run_limited("check", "--fix", "--select", "compose", cwd=root)
    # A null network_mode is not a string: the schema says so, and no fix guesses.
    assert ran.code == 1, (ran.out, ran.err)
    assert "compose/invalid[schema] services.web.network_mode: None" in ran.out
    assert "Fixed" not in ran.out
    fixed = yaml.safe_load((root / "compose.yaml").read_text())
    assert fixed == {"services": {"web": {"network_mode": None}}}  # was 'network_mode:host'


def test_removing_a_line_keeps_the_directive_on_it(tmp_path: Path) -> None:
    compose = (
        "services:\n  web:\n    image: nginx:1.27\n    network_mode: host\n"
        '    ports: ["80:80"]  # aixcl-lint: ignore[compose/network-mode-host] reason: legacy\n'
        "  db:\n    image: nginx:1.27\n"
    )
    root = git_repo(tmp_path / "repo", {"compose.yaml": compose})
    ran = run_limited("check", "--fix", "--format", "json", cwd=root)
    assert ran.code == 0, (ran.out, ran.err)
    # A directive after a value covers its own line only (suppressions.md), so it never
    # governed db, which is fixed; the directive itself stays, still unused, as before.
    assert ran.findings() == [("suppress/unused", "compose.yaml", 5)]
    kept = compose.replace('ports: ["80:80"]  ', "") + "    network_mode: host\n"
    assert (root / "compose.yaml").read_text() == kept
