"""Properties of --fix on generated compose files: valid, complete, idempotent, minimal."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aixcl_lint.config import Settings
from aixcl_lint.core import Finding
from aixcl_lint.documents import yamltree
from aixcl_lint.fix import FixRequest, repair
from aixcl_lint.policy.loader import builtin_files, load_pack
from aixcl_lint.run import lint

PACK = load_pack(
    [(p, f"<builtin>/{p.name}") for p in builtin_files() if p.name.startswith("compose-")]
)
MODES = ["host", "bridge", '"bridge"', "'none'", None]


@st.composite
def services(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A compose file in block or flow style, and the comment lines it holds."""
    lines, comments = [], []
    anchor = draw(st.booleans())
    if anchor:
        lines += ["x-base: &base", "  restart: always"]
        mode = draw(st.sampled_from(MODES))
        lines += [f"  network_mode: {mode}"] if mode else []
        lines += ['  ports: ["9:9"]'] if draw(st.booleans()) else []
        lines.append("")
    lines.append("services:")
    names = draw(st.lists(st.sampled_from("abcdefg"), min_size=1, max_size=5, unique=True))
    for name in names:
        parts = [("image", f'"{name}:1.0"')]
        if anchor and draw(st.booleans()):
            parts.append(("<<", "*base"))
        mode = draw(st.sampled_from(MODES))
        if mode:
            parts.append(("network_mode", mode))
        if draw(st.booleans()):
            parts.append(("ports", '["80:80", "443:443"]'))
        if draw(st.booleans()):
            parts.append(("networks", "[front]"))
        parts = draw(st.permutations(parts))
        if draw(st.booleans()):
            comment = f"  # about {name}"
            comments.append(comment)
            lines.append(comment)
        if draw(st.booleans()):
            lines.append(f"  {name}: {{{', '.join(f'{k}: {v}' for k, v in parts)}}}")
        else:
            lines.append(f"  {name}:")
            for key, value in parts:
                if key == "ports" and draw(st.booleans()):
                    lines += ["    ports:", '      - "80:80"   # web', "      - 443:443"]
                else:
                    lines.append(f"    {key}: {value}")
        if draw(st.booleans()):
            lines.append("")
    if draw(st.booleans()):
        lines += ["networks:", "  front: {}"]
    eol = draw(st.sampled_from(["\n", "\r\n"]))
    return eol.join(lines) + eol, comments


def _fixable(root: Path) -> list[Finding]:
    found = lint(Settings(root=root, builtin=False), [], PACK).findings
    return [f for f in found if f.fixable]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(services())
def test_fix_leaves_valid_yaml_with_nothing_left_to_fix(case: tuple[str, list[str]]) -> None:
    text, comments = case
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / ".git").mkdir()
        target = root / "compose.yaml"
        target.write_bytes(text.encode())
        reported = _fixable(root)
        request = FixRequest(root, PACK, [("compose.yaml",)], reported, {"compose.yaml"})
        result = repair(request)
        fixed = target.read_bytes().decode()
        assert result.unfixed == []
        assert sorted(result.fixed) == sorted(reported)
        assert not yamltree.parse("compose.yaml", fixed).problems
        assert _fixable(root) == []
        # Minimal: comments and line ends survive; only touched lines differ.
        assert all(comment in fixed for comment in comments)
        if "\r\n" in text:
            assert fixed.count("\n") == fixed.count("\r\n")
        # Idempotent: nothing left to do.
        again = repair(FixRequest(root, PACK, [("compose.yaml",)], [], {"compose.yaml"}))
        assert again.changes == {}
        assert target.read_bytes().decode() == fixed
