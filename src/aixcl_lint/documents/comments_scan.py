"""The comments of env files, TOML and HCL, which no installed library tokenizes with
positions: each scanner knows only its language's strings and comments.

Each returns ``(start, end)`` character offsets, from the comment's marker to its
line's end (an HCL ``/* */`` comment to its ``*/``), or ``None`` when the text does not
tokenize (a string never closed, a line an env file cannot hold).
"""

from __future__ import annotations

from aixcl_lint import deferred

Ranges = list[tuple[int, int]]

_ENV_KEY = deferred.pattern(r"[ \t]*(?:export[ \t]+)?[A-Za-z0-9_.\-\[\]]+[ \t]*(?:([=:])|\r?$)")
_ENV_COMMENT = deferred.pattern(r"[ \t]#")


class _Unclosed(Exception):
    """A string or comment the text never closes."""


def line_end(text: str, at: int) -> int:
    """Where the line holding ``at`` ends (its ``\\n``, or the text's end)."""
    end = text.find("\n", at)
    return len(text) if end < 0 else end


def escaped(text: str, at: int) -> bool:
    """Whether an odd number of backslashes comes just before ``at``."""
    count = 0
    while at - count > 0 and text[at - count - 1] == "\\":
        count += 1
    return count % 2 == 1


def _closing(text: str, quote: str, i: int, *, escapes: bool) -> int:
    """The index of the quote that closes a string whose text starts at ``i``."""
    while (at := text.find(quote, i)) >= 0:
        if not (escapes and escaped(text, at)):
            return at
        i = at + 1
    raise _Unclosed


def env(text: str, until: int = -1) -> Ranges | None:
    """An env file's comments as Compose reads it: a line opening with ``#``, a ``#``
    after a blank in an unquoted value, and what follows a quoted value (inside the
    quotes, which may span lines, a ``#`` is data)."""
    found: Ranges = []
    i = 0
    while i < len(text):
        end = line_end(text, i)
        stripped = text[i:end].strip()
        if stripped.startswith("#"):
            found.append((text.index("#", i), end))
        elif stripped:
            key = _ENV_KEY.match(text, i, end)
            if key is None:
                return None  # a line Compose cannot read
            if key.group(1):  # a value follows (a bare name takes the environment's)
                end = _env_value(text, key.end(), end, found)
                if end < 0:
                    return None
        i = end + 1
    return found


def _env_value(text: str, start: int, end: int, found: Ranges) -> int:
    """Note the comment after a value that starts at ``start`` (its line ends at
    ``end``); the end of the value's last line, or -1 for a quote never closed."""
    while start < end and text[start] in " \t":
        start += 1
    quote = text[start : start + 1]
    if quote in ("'", '"'):
        try:
            close = _closing(text, quote, start + 1, escapes=quote == '"')
        except _Unclosed:
            return -1
        end = line_end(text, close)
        comment = text.find("#", close + 1, end)
    elif quote == "#":
        comment = start
    else:
        blank = _ENV_COMMENT.search(text, start, end)
        comment = blank.start() + 1 if blank else -1
    if comment >= 0:
        found.append((comment, end))
    return end


_TOML = deferred.pattern(r"[#\"']")


def toml(text: str, until: int = -1) -> Ranges | None:
    """TOML's comments: a ``#`` outside its four kinds of string."""
    found: Ranges = []
    i = 0
    try:
        while (token := _TOML.search(text, i)) is not None:
            at, char = token.start(), token.group()
            if char == "#":
                i = line_end(text, at)
                found.append((at, i))
            elif text.startswith(char * 3, at):
                close = _closing(text, char * 3, at + 3, escapes=char == '"')
                i = close + 3
                while i < len(text) and text[i] == char and i - close < 5:
                    i += 1  # """a"""" ends in a quote of its own
            else:
                i = _closing(text, char, at + 1, escapes=char == '"') + 1
                if "\n" in text[at:i]:
                    return None  # a one-line string runs over its line
    except _Unclosed:
        return None
    return found


_HCL = deferred.pattern(r"#|//|/\*|\"|<<|[{}]")
_HCL_TEMPLATE = deferred.pattern(r"[\"\\\n]|[$%]\{")
_HEREDOC = deferred.pattern(r"<<-?([A-Za-z_][\w-]*)[ \t]*\r?\n")


class _Hcl:
    def __init__(self, text: str) -> None:
        self.text = text
        self.comments: Ranges = []

    def expression(self, i: int, *, inner: bool = False) -> int:
        """Read from ``i`` to the ``}`` closing an interpolation (``inner``) or to the
        text's end; the index after it."""
        text, depth = self.text, 0
        while (token := _HCL.search(text, i)) is not None:
            at, mark = token.start(), token.group()
            i = token.end()
            if mark in ("#", "//"):
                i = line_end(text, at)
                self.comments.append((at, i))
            elif mark == "/*":
                i = text.find("*/", i) + 2
                if i < 2:
                    raise _Unclosed
                self.comments.append((at, i))
            elif mark == '"':
                i = self.template(i)
            elif mark == "<<":
                i = self.heredoc(at)
            elif mark == "{":
                depth += 1
            elif depth:
                depth -= 1
            elif inner:
                return i
        if inner:
            raise _Unclosed
        return len(text)

    def template(self, i: int) -> int:
        """The index after a quoted template whose text starts at ``i``."""
        text = self.text
        while (token := _HCL_TEMPLATE.search(text, i)) is not None:
            at, mark = token.start(), token.group()
            i = token.end()
            if mark == '"':
                return i
            if mark == "\n":
                raise _Unclosed
            if mark == "\\":
                i += 1
            elif at == 0 or text[at - 1] != mark[0]:  # $${ is a literal "${"
                i = self.expression(i, inner=True)
        raise _Unclosed

    def heredoc(self, at: int) -> int:
        """The index after a heredoc (``<<EOF`` to a line holding ``EOF``) at ``at``."""
        text = self.text
        opening = _HEREDOC.match(text, at)
        if opening is None:
            return at + 2
        i, word = opening.end(), opening.group(1)
        while i < len(text):
            end = line_end(text, i)
            if text[i:end].strip() == word:
                return end
            i = end + 1
        raise _Unclosed


def hcl(text: str, until: int = -1) -> Ranges | None:
    """HCL's (Terraform's) comments: ``#`` and ``//`` to the line's end, ``/* */``,
    outside quoted templates and heredocs."""
    scanner = _Hcl(text)
    try:
        scanner.expression(0)
    except (_Unclosed, RecursionError):
        return None
    return scanner.comments
