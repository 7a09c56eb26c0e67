"""The fuzz target: mutated compose, env and Markdown inputs, linted and fixed in-process.

``strategies.projects()`` starts from seed files that use the features most likely to go
wrong (anchors and merge keys, extends, interpolation, overrides, env files, headings,
tables, links, directives) and mutates them: inserts of syntax characters, deletions,
repetitions of a span (which make long lines, deep nesting and floods) and line swaps.
``exercise(files)`` writes them into a scratch repository and runs what a user runs:
lint, every reporter, and the fixes (in memory). Any exception is a finding of the fuzz.

The CI test (``test_hostile_fuzz.py``) runs a few thousand examples with a fixed seed;
``bench/fuzz.py`` runs it for hours.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from pathlib import Path

from hypothesis import strategies as st

from aixcl_lint import fix
from aixcl_lint.config import Settings
from aixcl_lint.policy.model import Pack
from aixcl_lint.report import REPORTERS, Report, rule_infos
from aixcl_lint.run import lint, load_policies, work
from aixcl_lint.run.plan import plan

SEEDS: dict[str, str] = {
    "compose.yaml": """\
x-base: &base
  restart: unless-stopped
  network_mode: host
services:
  web:
    <<: *base
    image: "ghcr.io/aixcl/web:${WEB_TAG:-1.2}"
    ports: ["80:80"]  # aixcl-lint: ignore[compose/no-port-mappings] reason: demo
  db:
    image: postgres:latest
    extends: {service: web}
    networks: [back]
    environment:
      A: ${A:-${B:-x}}
  worker:
    extends:
      file: other.yaml
      service: base
    network_mode: !custom bridge
networks:
  back: {}
""",
    "compose.override.yaml": (
        "services:\n  web:\n    deploy: {replicas: 2}\n  db:\n    ports:\n      - 5432:5432\n"
    ),
    "other.yaml": "services:\n  base:\n    image: busybox\n    network_mode: host\n",
    ".env": "WEB_TAG=latest\nA='quoted $WEB_TAG'\nexport B=\"${A}x\"\n# comment\n",
    "README.md": """\
---
title: Demo
---
# Demo

See [security](SECURITY.md#1-supported-versions) and [missing](#nowhere) and [ref][r].

<!-- aixcl-lint: ignore[docs/anchors] reason: demo -->
## 1. Section <a name="x"></a>

| Version | Supported? | Notes |
| ------- | ---------- | ----- |
| 1.x     | Yes        | `code` |

[r]: ./docs/missing.md "title"
""",
    "SECURITY.md": """\
# Security Policy

## 1. Supported versions

| Version | Supported? | Notes |
| --- | --- | --- |
| main | Yes | current |

## 2. Reporting

Email security@example.com with subject "Security". We answer within 48 hours.

## 7. Disclosure

See docs/x.md section 3. No public disclosure before a fix; we wait 90 days.
""",
}

_SYNTAX = st.sampled_from(
    [*":{}[]&*!|>'\"#%@-?,\n\t $\\`<>()=~.0123456789", "${", "<<: ", "\r\n", "\ufeff"]
)
_ANY = st.text(min_size=1, max_size=8)
_OP = st.tuples(
    st.sampled_from(["insert", "delete", "repeat", "swap"]),
    st.floats(0, 1, allow_nan=False),
    st.integers(0, 40),
    st.one_of(_SYNTAX, _ANY),
    st.integers(1, 300),
)


def mutate(text: str, ops: list[tuple[str, float, int, str, int]]) -> str:
    """``text`` after each operation: (kind, where 0..1, span length, payload, count)."""
    for kind, where, length, payload, count in ops:
        at = int(where * len(text))
        if kind == "insert":
            text = text[:at] + payload + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + length :]
        elif kind == "repeat":
            text = text[:at] + text[at : at + length] * count + text[at + length :]
        else:
            lines = text.split("\n")
            i, j = at % max(1, len(lines)), (at + length) % max(1, len(lines))
            lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
    return text


@st.composite
def projects(draw: st.DrawFn) -> dict[str, str]:
    """A few seed files, some mutated (the rest as they are, for context)."""
    chosen = draw(st.lists(st.sampled_from(sorted(SEEDS)), min_size=1, max_size=6, unique=True))
    files = {}
    for name in chosen:
        ops = draw(st.lists(_OP, max_size=6))
        files[name] = mutate(SEEDS[name], ops)
    return files


_PACK: dict[str, Pack] = {}


def _pack(root: Path) -> Pack:
    if "pack" not in _PACK:
        _PACK["pack"] = load_policies(Settings(root=root, profile="aixcl"))
    return _PACK["pack"]


def exercise(root: Path, files: Mapping[str, str]) -> None:
    """Lint ``files`` in a fresh repository at ``root``, render every format, plan fixes."""
    shutil.rmtree(root, ignore_errors=True)
    (root / ".git").mkdir(parents=True)
    for rel, text in files.items():
        with open(root / rel, "w", encoding="utf-8", errors="surrogatepass") as handle:
            handle.write(text)
    settings = Settings(root=root, jobs=1, profile="aixcl")
    pack = _pack(root)
    result = lint(settings, [], pack)
    report = Report(result.findings, result.files_checked, rule_infos(pack), result.fingerprints)
    for render in REPORTERS.values():
        "".join(render(report, True)).encode("utf-8")
    reported = [f for f in result.findings if f.fixable]
    if not reported:
        return
    planned = plan(settings, [])
    request = fix.FixRequest(
        root=root,
        pack=pack,
        groups=[u.paths for u in work(settings, planned, pack) if u.kind == fix.FIXABLE[0]],
        reported=reported,
        editable={f.path for f in planned.files},
    )
    fixed = fix.fix(request)
    fix.unified_diff(fixed.changes).encode("utf-8")
    fix.render(fixed, dry_run=True).encode("utf-8")


def scratch() -> Path:
    """A scratch folder for one process (in memory when the system has /dev/shm)."""
    base = Path("/dev/shm") if os.path.isdir("/dev/shm") else Path(os.environ.get("TMPDIR", "/tmp"))
    return base / f"aixcl-lint-fuzz-{os.getpid()}"
