"""Settings for one run: defaults, then (in time) config files, then the command line."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from aixcl_lint.core import Severity

DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class Settings:
    """Everything a run needs to know besides the files themselves."""

    root: Path
    policy_paths: tuple[Path, ...] = ()
    builtin: bool = True
    fail_on: Severity = Severity.ERROR
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    rule_options: dict[str, dict[str, object]] = field(default_factory=dict)
