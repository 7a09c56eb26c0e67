"""A shell script's comments (POSIX sh, bash, zsh, ksh), found as the shell reads them.

A comment is a word that begins with ``#``: at a line's start or after a blank or an
operator (``;``, ``&``, ``|``, ``(``, ``)``, ``<``, ``>``), outside quotes. So ``a#b``,
``$#``, ``${x#y}``, ``$((16#ff))``, ``'# x'``, ``"# x"`` and ``\\#`` hold none, and a
here-document's body (``<<EOF`` to ``EOF``) is data. A command substitution
``$(...)`` is a script of its own, even inside double quotes; a backquoted one is passed
over.
"""

from __future__ import annotations

from aixcl_lint import deferred
from aixcl_lint.documents.comments_scan import escaped

_NEXT = deferred.pattern(r"[#'\"\\`$<()\n]")
_IN_DOUBLE = deferred.pattern(r"[\"\\`$]")
_IN_BRACES = deferred.pattern(r"[{}'\"\\`$]")
_WORD_START = frozenset(" \t\n;&|()<>")
_WORD_END = frozenset(" \t\r\n;&|()<>")


class _Unclosed(Exception):
    """A quote, substitution or expansion the text never closes."""


class _Script:
    def __init__(self, text: str) -> None:
        self.text = text
        self.comments: list[tuple[int, int]] = []
        self.heredocs: list[tuple[str, bool]] = []
        self.after_escape = -1  # the index after the last backslash escape

    def words(self, i: int, *, inner: bool = False) -> int:
        """Read commands from ``i`` up to the ``)`` that closes a substitution
        (``inner``) or to the text's end; the index after it."""
        text, parens = self.text, 0
        while (found := _NEXT.search(text, i)) is not None:
            j, char = found.start(), found.group()
            i = j + 1
            if char == "#":
                if j == 0 or (text[j - 1] in _WORD_START and j != self.after_escape):
                    end = text.find("\n", j)
                    i = len(text) if end < 0 else end
                    self.comments.append((j, i))
            elif char == "'":
                i = self.closing("'", i) + 1
            elif char == '"':
                i = self.double(i)
            elif char == "\\":
                i = self.after_escape = j + 2
            elif char == "`":
                i = self.backquoted(i)
            elif char == "$":
                i = self.dollar(i, quoted=False)
            elif char == "(":
                if text.startswith("((", j) and (j == 0 or text[j - 1] in _WORD_START):
                    i = self.arithmetic(j + 2)
                else:
                    parens += 1
            elif char == ")":
                if parens == 0 and inner:
                    break
                parens = max(parens - 1, 0)
            elif char == "<":
                if text.startswith("<<", j) and not text.startswith("<<<", j):
                    i = self.heredoc(j + 2)
            else:  # a line's end: the here-documents it opened follow
                i = self.bodies(i)
        else:
            if inner:
                raise _Unclosed
            i = len(text)
        return i

    def closing(self, quote: str, i: int) -> int:
        at = self.text.find(quote, i)
        if at < 0:
            raise _Unclosed
        return at

    def backquoted(self, i: int) -> int:
        """The index after a backquoted command whose text starts at ``i`` (it ends at
        the next backquote no backslash escapes, so a comment cannot hide it)."""
        while escaped(self.text, at := self.closing("`", i)):
            i = at + 1
        return at + 1

    def dollar(self, i: int, *, quoted: bool) -> int:
        """What follows a ``$`` at ``i``: the index after it."""
        text = self.text
        if text.startswith("((", i):
            return self.arithmetic(i + 2)
        if text.startswith("(", i):
            return self.words(i + 1, inner=True)
        if text.startswith("{", i):
            return self.braces(i + 1)
        if text.startswith("'", i) and not quoted:  # $'...' with backslash escapes
            while (at := text.find("'", i + 1)) >= 0:
                if not escaped(text, at):
                    return at + 1
                i = at
            raise _Unclosed
        return i

    def double(self, i: int) -> int:
        """The index after a double-quoted string whose text starts at ``i``."""
        while (found := _IN_DOUBLE.search(self.text, i)) is not None:
            char, i = found.group(), found.end()
            if char == '"':
                return i
            if char == "\\":
                i += 1
            elif char == "`":
                i = self.backquoted(i)
            else:
                i = self.dollar(i, quoted=True)
        raise _Unclosed

    def braces(self, i: int) -> int:
        """The index after a ``${...}`` expansion whose text starts at ``i``."""
        while (found := _IN_BRACES.search(self.text, i)) is not None:
            char, i = found.group(), found.end()
            if char == "}":
                return i
            if char == "'":
                i = self.closing("'", i) + 1
            elif char == '"':
                i = self.double(i)
            elif char == "\\":
                i += 1
            elif char == "`":
                i = self.backquoted(i)
            elif char == "$":
                i = self.dollar(i, quoted=True)
        raise _Unclosed

    def arithmetic(self, i: int) -> int:
        """The index after ``$((...))`` or ``((...))`` whose text starts at ``i``."""
        text, depth = self.text, 0
        for j in range(i, len(text)):
            if text[j] == "(":
                depth += 1
            elif text[j] == ")":
                if depth == 0:
                    return j + 2 if text.startswith("))", j) else j + 1
                depth -= 1
        raise _Unclosed

    def heredoc(self, i: int) -> int:
        """Note the here-document ``<<[-]WORD`` opens; the index after its word."""
        text = self.text
        strip = text.startswith("-", i)
        i += strip
        while i < len(text) and text[i] in " \t":
            i += 1
        word: list[str] = []
        while i < len(text) and text[i] not in _WORD_END:
            if text[i] in "'\"":
                close = self.closing(text[i], i + 1)
                word.append(text[i + 1 : close])
                i = close + 1
            elif text[i] == "\\":
                word.append(text[i + 1 : i + 2])
                i += 2
            else:
                word.append(text[i])
                i += 1
        if word:
            self.heredocs.append(("".join(word), strip))
        return i

    def bodies(self, i: int) -> int:
        """Pass over the bodies of the here-documents the line before ``i`` opened."""
        text = self.text
        for word, strip in self.heredocs:
            while i < len(text):
                end = text.find("\n", i)
                end = len(text) if end < 0 else end
                line = text[i:end].rstrip("\r")
                i = end + 1
                if (line.lstrip("\t") if strip else line) == word:
                    break
        self.heredocs.clear()
        return min(i, len(text))


def shell(text: str, until: int = -1) -> list[tuple[int, int]] | None:
    """A script's comments as ``(start, end)`` offsets; ``None`` if a quote, a
    substitution or an expansion is never closed (or nested past Python's stack)."""
    script = _Script(text)
    try:
        script.words(0)
    except (_Unclosed, RecursionError):
        return None
    return script.comments
