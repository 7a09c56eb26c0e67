"""What an RE2 pattern says in plain text: a pattern that is plain text searched with a
string method, and the plain texts any match of another pattern must hold (so that a
text without them is not given to RE2: each search through its Python binding costs
a few microseconds, a ``str`` method a few dozen nanoseconds).

Both read the pattern as RE2 does with the options policies compile with (case
sensitive, ``^`` and ``$`` the ends of the text), and give up (None, or no texts) on
anything they do not fully read: flags, Unicode classes, escapes of letters other than
the classes ``\\d \\s \\w \\b`` and their negations.
"""

from __future__ import annotations

from collections.abc import Callable

from aixcl_lint import deferred

__all__ = ["literal_search", "required"]

_PLAIN = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 /:_@=,;'\"!%&~<>#-"
)
"""Characters that stand for themselves in an RE2 pattern (no ``x`` flag is set)."""
_PUNCTUATION = frozenset("\\.+*?()|[]{}^$/-:@=,;'\"!%&~<>#")
"""Characters RE2 reads literally after a backslash."""
_CLASSES = frozenset("dDsSwWbBAz")
"""Letters of the one-letter escapes that match a class or an empty place."""
_QUANTIFIERS = frozenset("*+?{")
_REPEAT = deferred.pattern(r"\{[0-9]+(?:,[0-9]*)?\}")


def literal_search(source: str) -> Callable[[str], bool] | None:
    """What ``search`` of a pattern that is plain text (``^localhost/``, ``:$``,
    ``\\.md$``: literal characters and escaped punctuation, perhaps anchored at the start
    of the text or its end) answers, as a string method; None for any other pattern."""
    start = source.startswith("^")
    body = source[1:] if start else source
    end = body.endswith("$") and not _escaped(body, len(body) - 1)
    body = body[:-1] if end else body
    text, i = [], 0
    while i < len(body):
        char = body[i]
        if char == "\\" and i + 1 < len(body) and body[i + 1] in _PUNCTUATION:
            text.append(body[i + 1])
            i += 2
        elif char in _PLAIN:
            text.append(char)
            i += 1
        else:
            return None
    literal = "".join(text)
    if start and end:
        return literal.__eq__
    if start:
        return lambda value: value.startswith(literal)
    if end:
        return lambda value: value.endswith(literal)
    return lambda value: literal in value


def _escaped(text: str, at: int) -> bool:
    """Whether the character at ``at`` follows an odd number of backslashes."""
    count = 0
    while at - count - 1 >= 0 and text[at - count - 1] == "\\":
        count += 1
    return count % 2 == 1


def required(source: str) -> tuple[str, ...]:
    """Plain texts every match of ``source`` contains: the runs of literal characters
    at its top level (outside groups and classes, not quantified), none when it has
    alternatives at the top level or anything this reader does not know."""
    runs: list[str] = []
    run: list[str] = []
    depth, i, n = 0, 0, len(source)
    while i < n:
        char = source[i]
        literal = None
        if char == "\\":
            if i + 1 >= n or not (source[i + 1] in _PUNCTUATION or source[i + 1] in _CLASSES):
                return ()
            literal = source[i + 1] if source[i + 1] in _PUNCTUATION else None
            i += 2
        elif char == "[":
            i = _class_end(source, i)
            if i < 0:
                return ()
        elif char == "(":
            if source.startswith("(?", i) and not source.startswith(("(?:", "(?P<"), i):
                return ()  # flags change what the rest matches
            depth, i = depth + 1, i + 1
        elif char == ")":
            depth, i = depth - 1, i + 1
        elif char == "|" and depth == 0:
            return ()
        elif char == "{":
            # A repetition ({2}, {2,}, {2,5}) is skipped; any other brace is text to RE2,
            # and what follows it (an alternative, even inside braces) must be read.
            repeat = _REPEAT.match(source, i)
            if repeat is None:
                return ()
            i = repeat.end()
        else:
            literal = char if char in _PLAIN else None
            i += 1
        quantified = i < n and source[i] in _QUANTIFIERS
        if literal is not None and depth == 0 and not quantified:
            run.append(literal)
            continue
        if run:
            runs.append("".join(run))
            run = []
    if run:
        runs.append("".join(run))
    return tuple(runs)


def _class_end(source: str, at: int) -> int:
    """Where the character class opening at ``at`` ends (past its ``]``), or -1."""
    i, n = at + 1, len(source)
    if i < n and source[i] == "^":
        i += 1
    if i < n and source[i] == "]":
        i += 1
    while i < n:
        if source[i] == "\\":
            i += 2
        elif source.startswith("[:", i):
            close = source.find(":]", i + 2)
            if close < 0:
                return -1
            i = close + 2
        elif source[i] == "]":
            return i + 1
        else:
            i += 1
    return -1


def searching(source: str, search: Callable[[str], bool]) -> Callable[[str], bool]:
    """``search`` (of the pattern ``source``), asked only of texts that hold what every
    match of it holds; the others match no more."""
    texts = required(source)
    if not texts:
        return search
    if len(texts) == 1:
        (text,) = texts
        return lambda value: text in value and search(value)
    return lambda value: all(text in value for text in texts) and search(value)
