"""Fuzz: mutated compose, env and Markdown inputs never make a run raise.

A fixed seed and a budget of a few thousand examples keep CI deterministic and about a
minute long; ``python bench/fuzz.py --hours 2`` runs the same target for as long as
wanted. Each input has a deadline, so a slow input fails like a crash does.
"""

from __future__ import annotations

import os
import shutil

import pytest
from fuzz_target import exercise, projects, scratch
from hypothesis import HealthCheck, given, seed, settings

EXAMPLES = int(os.environ.get("AIXCL_LINT_FUZZ_EXAMPLES", "2000"))


@pytest.mark.slow
@seed(20261201)
@settings(
    max_examples=EXAMPLES,
    deadline=10_000,  # ms per input: generous, a hang or a quadratic blow-up still fails
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(files=projects())
def test_mutated_inputs_never_raise(files: dict[str, str]) -> None:
    root = scratch()
    try:
        exercise(root, files)
    finally:
        shutil.rmtree(root, ignore_errors=True)
