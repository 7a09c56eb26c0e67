"""The built-in pack as parsed when it was built: ``builtin.json`` beside this module
holds, for each built-in policy file, its data and the lines compiling it asks for
(the form ``policy.parsed`` keeps for a user's files). A machine's first run therefore
neither parses the pack (14 files through PyYAML) nor compiles its RE2 patterns (each
is compiled on first use) nor writes the pack into the user's cache.

An entry serves only the text it was made from (by hash): a built-in file edited in a
source checkout is parsed as any other file until the entries are made again with
``python -m aixcl_lint.policy.shipped``; ``tests/test_policy_shipped.py`` fails while
they are stale. Made by parsing and compiling each file with its patterns compiled and
checked, so what an entry holds compiled once, as the schema test proves it valid.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from aixcl_lint import inputs
from aixcl_lint.policy import parsed

FORMAT = 1
PATH = Path(__file__).with_name("builtin.json")


def digest(text: str) -> str:
    """The key of an entry: a hash of the file's text."""
    return inputs.hexdigest(text.encode("utf-8", "surrogateescape"))


class Entries:
    """The shipped entries, read once per pack load (each lookup gives fresh data)."""

    def __init__(self, raw: bytes | None) -> None:
        files: Any = {}
        try:
            whole = json.loads(raw) if raw is not None else {}
            if isinstance(whole, dict) and whole.get("format") == FORMAT:
                files = whole.get("files", {})
        except ValueError:
            pass
        self.files: dict[str, Any] = files if isinstance(files, dict) else {}

    def lookup(self, name: str, text: str) -> tuple[Any, parsed.Recorded] | None:
        """The data and lines of file ``name`` if its entry was made from ``text``."""
        entry = self.files.get(name)
        if not isinstance(entry, dict) or entry.get("key") != digest(text):
            return None
        try:
            lines = {tuple(ptr): line for ptr, line in entry["lines"]}
            return json.loads(entry["data"]), parsed.Recorded(lines)
        except (KeyError, TypeError, ValueError):
            return None


def entries() -> Entries:
    """The entries shipped with the package (none if the file is missing or damaged)."""
    try:
        return Entries(PATH.read_bytes())
    except OSError:
        return Entries(None)


def build(files: list[Path]) -> str:
    """The entries of ``files`` (the built-in pack's), as ``builtin.json`` holds them."""
    from aixcl_lint.policy import loader  # loader imports this module

    made: dict[str, Any] = {}
    for path in files:
        text = path.read_text("utf-8")
        data, spans = loader.parse_policy(path.name, text)
        kept = inputs.plain(data)
        if kept is None:
            raise ValueError(f"{path.name}: its data does not round-trip through JSON")
        lines = parsed.Recording(spans, text, data)
        loader.compile_policy(path.name, text, data, lines, trusted=True)
        asked = [[list(ptr), line] for ptr, line in lines.asked.items()]
        made[path.name] = {"key": digest(text), "data": kept, "lines": asked}
    return json.dumps({"format": FORMAT, "files": made}, indent=1, sort_keys=True) + "\n"


def main() -> int:
    """Write ``builtin.json`` from the built-in pack's files."""
    from aixcl_lint.policy.loader import builtin_files

    PATH.write_text(build(builtin_files()), encoding="utf-8")
    print(f"wrote {PATH}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
