"""The result cache's key holds the installed code: a wheel's RECORD, else every file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from aixcl_lint import __version__
from aixcl_lint.run import cache


def _package(tmp_path: Path) -> Path:
    package = tmp_path / "site" / "aixcl_lint"
    (package / "run").mkdir(parents=True)
    (package / "run" / "cache.py").write_text("x = 1\n", encoding="utf-8")
    return package


def test_a_wheel_install_is_keyed_by_its_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = _package(tmp_path)
    monkeypatch.setattr(cache, "_PACKAGE", package)
    walked = cache._code()
    record = package.parent / f"aixcl_lint-{__version__}.dist-info" / "RECORD"
    record.parent.mkdir()
    record.write_text("aixcl_lint/run/cache.py,sha256=one,6\n", encoding="utf-8")
    first = cache._code()
    assert first != walked
    (package / "run" / "cache.py").write_text("x = 22\n", encoding="utf-8")
    assert cache._code() == first  # the record alone: one read, no walk
    record.write_text("aixcl_lint/run/cache.py,sha256=two,7\n", encoding="utf-8")
    assert cache._code() != first  # another build: another record


def test_a_checkout_is_keyed_by_each_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = _package(tmp_path)
    monkeypatch.setattr(cache, "_PACKAGE", package)
    first = cache._code()
    assert cache._code() == first
    source = package / "run" / "cache.py"
    source.write_text("x = 22\n", encoding="utf-8")
    assert cache._code() != first
    changed = cache._code()
    os.utime(source, ns=(1, 1))
    assert cache._code() != changed  # same size, another time
