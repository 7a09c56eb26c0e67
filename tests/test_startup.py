"""A small run imports only what it needs (``python -X importtime`` shows each cost)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from conftest import modules_after_check

TINY = {
    "compose.yaml": "services:\n  web:\n    image: nginx:1.27\n    network_mode: host\n",
    "README.md": "# Tiny\n\nSee [the policy](SECURITY.md#reporting).\n",
    "SECURITY.md": "# Security\n\n## Reporting\n\nMail security@tiny.example.\n",
}
"""bench/done.py's tiny repository."""

NEVER = (
    "jsonschema.",
    "ruamel",
    "multiprocessing",
    "aixcl_lint.fix",
    "aixcl_lint.suppress.waivers",
    "aixcl_lint.suppress.baseline",
    "difflib",
    "tomllib",
    "pathspec",
    "hashlib",
)
"""Not needed by a first run on valid files: jsonschema describes an invalid model (the
built-in pack is trusted, jsonschema-rs accepts valid models), ruamel.yaml and the fix
package only fix, multiprocessing only forks workers for large runs, waivers and
baselines only where there are some, pathspec only for a glob ``globs.Simple`` cannot
match (the default ``templates`` are plain names), hashlib (OpenSSL's binding) only where
a SHA-256 is part of the output (fingerprints): the cache's keys and a parse's digest are
BLAKE2b (``inputs.hexdigest``)."""


def _modules(root: Path, cache: Path) -> list[str]:
    code, loaded, stderr = modules_after_check(root, cache)
    assert code in ("0", "1"), stderr
    return loaded


@pytest.mark.slow
def test_a_first_run_on_a_tiny_repository_imports_no_validator_fixer_or_workers(
    repo: Callable[[Mapping[str, str]], Path], tmp_path: Path
) -> None:
    root, cache = repo(TINY), tmp_path / "cache"
    loaded = _modules(root, cache)
    assert "aixcl_lint.documents.compose" in loaded  # it did build the project
    assert "pyromark" in loaded  # and parse the documents
    assert [m for m in loaded if m == "jsonschema" or m.startswith(NEVER)] == []
    assert not (cache / "validated").exists()  # nor validate the built-in pack
    assert not (cache / "policies").exists()  # nor parse it: its parse ships (policy.shipped)


@pytest.mark.slow
def test_an_invalid_compose_file_is_still_described_by_jsonschema(
    repo: Callable[[Mapping[str, str]], Path], tmp_path: Path
) -> None:
    root = repo({**TINY, "compose.yaml": "services:\n  web:\n    image: 1\n"})
    assert "jsonschema" in _modules(root, tmp_path / "cache")


WARM_NEVER = (
    "hashlib",  # (its OpenSSL binding is slow to load, and no key needs it)
    "yaml",
    "pathspec",
    "re2",
    "pyromark",
    "jsonschema_rs",
    "aixcl_lint.documents.compose",
    "aixcl_lint.documents.markdown",
    "aixcl_lint.documents.mdscan",
    "aixcl_lint.documents.yamlpath",
)
"""Not needed by a run whose every result is kept: no file is parsed (the policy files'
parse is kept too: ``policy.parsed``), no glob of the built-in pack needs pathspec
(``globs.Simple``), their RE2 patterns are compiled on first use
(``policy.patterns``), and the kinds import their documents' modules to read one."""


@pytest.mark.slow
def test_a_warm_run_on_a_tiny_repository_parses_nothing(
    repo: Callable[[Mapping[str, str]], Path], tmp_path: Path
) -> None:
    root, cache = repo(TINY), tmp_path / "cache"
    cold = _modules(root, cache)
    assert [m for m in cold if m.startswith(WARM_NEVER)] != []  # the first run parsed
    warm = _modules(root, cache)
    assert [m for m in warm if m.startswith(WARM_NEVER)] == []
    assert [m for m in warm if m == "jsonschema" or m.startswith(NEVER)] == []
