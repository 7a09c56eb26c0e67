"""Ids of findings about files themselves (not policies), with what each means."""

from __future__ import annotations

PROBLEMS: dict[str, str] = {
    "yaml/parse-error": "The file is not valid YAML.",
    "yaml/duplicate-key": "A key is written twice in one mapping; the later value wins.",
    "yaml/unsafe-tag": "A tag names Python code; nothing is constructed from it.",
    "yaml/alias-bomb": "Aliases expand past the limit, or an alias is recursive.",
    "yaml/too-deep": "Collections nest too deeply to parse safely.",
    "file/too-large": "The file is larger than the size limit.",
    "file/binary": "The file holds a NUL byte.",
    "file/not-utf8": "The file is not valid UTF-8.",
    "file/unreadable": "The file could not be read.",
    "file/not-regular": "A FIFO, device, socket or folder where a file was expected.",
    "file/outside-repository": "A symlink leads outside the repository; never read.",
    "compose/invalid": "The file does not have a compose file's shape.",
    "env/parse-error": "A .env line is not KEY=value.",
    "markdown/front-matter": "A Markdown file's front matter is not a YAML mapping.",
}
"""Every id a document parser may report, and its one-line description."""
