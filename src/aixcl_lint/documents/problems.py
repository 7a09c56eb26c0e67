"""Ids of findings about files themselves (not policies), with what each means."""

from __future__ import annotations

PROBLEMS: dict[str, str] = {
    "yaml/parse-error": "The file is not valid YAML.",
    "yaml/duplicate-key": "A key is written twice in one mapping; the later value wins.",
    "yaml/unsafe-tag": "A tag names Python code; nothing is constructed from it.",
    "yaml/alias-bomb": "Aliases expand past the limit, or an alias is recursive.",
    "yaml/too-deep": "Collections nest too deeply to parse safely.",
    "yaml/too-large-number": "An integer is too long to read as a number; it is read as text.",
    "file/too-large": "The file is larger than the size limit.",
    "file/binary": "The file holds a NUL byte.",
    "file/not-utf8": "The file is not valid UTF-8.",
    "file/unreadable": "The file could not be read.",
    "file/not-regular": "A FIFO, device, socket or folder where a file was expected.",
    "file/outside-repository": "A symlink leads outside the repository; never read.",
    "compose/invalid": "Docker Compose would refuse the project.",
    "compose/invalid[schema]": "A value the Compose Specification's schema does not allow.",
    "compose/invalid[null-service]": "A service is empty (null).",
    "compose/invalid[duplicate-merge-key]": "A mapping has two merge keys '<<'.",
    "compose/invalid[no-image]": "A service has neither an image nor a build context.",
    "compose/invalid[undeclared-network]": "A service uses a network that is not declared.",
    "compose/invalid[undeclared-volume]": "A service uses a named volume that is not declared.",
    "compose/invalid[undeclared-secret]": "A service uses a secret that is not declared.",
    "compose/invalid[undeclared-config]": "A service uses a config that is not declared.",
    "compose/invalid[network-mode-and-networks]": "A service sets network_mode and networks.",
    "compose/invalid[unknown-dependency]": "depends_on names a service that does not exist.",
    "compose/invalid[extends-file]": "extends names a file that cannot be read.",
    "compose/invalid[extends-target]": "extends names a service its file does not have.",
    "compose/invalid[extends-cycle]": "Services extend one another in a cycle.",
    "compose/invalid[include]": "include names a file that cannot be read, or itself.",
    "compose/invalid[include-conflict]": "An included project defines a name differently.",
    "env/parse-error": "A .env line is not KEY=value.",
    "markdown/front-matter": "A Markdown file's front matter is not a YAML mapping.",
    "markdown/too-complex": "A Markdown file has too many elements to check them all.",
}
"""Every id a document parser may report, and its one-line description."""
