"""The repository's files as the ``tree`` kind sees them: each with its size, whether
git tracks it and whether an ignore source names it (one ``git ls-files`` call each,
only in runs with a tree rule)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from aixcl_lint import listing


def inventory(root: Path, files: listing.Files) -> list[dict[str, Any]]:
    """Facts of every file of the repository: ``path``, ``size``, ``tracked``, ``ignored``."""
    tracked = listing.tracked(root)
    ignored = listing.tracked(root, ignored=True)
    found = []
    for path in sorted(set(files.under("")) | tracked):
        try:
            size = os.lstat(root / path).st_size
        except OSError:
            continue  # deleted but still tracked
        found.append(
            {"path": path, "size": size, "tracked": path in tracked, "ignored": path in ignored}
        )
    return found
