"""``deferred.pattern``: a module's pattern compiled on first use, answering as the
compiled pattern does."""

from __future__ import annotations

import re
import subprocess
import sys

from aixcl_lint import deferred


def test_answers_as_the_compiled_pattern() -> None:
    for text, flags in [(r"(\d+)\.(\d+)?", 0), (rb"[\[\]<&]|\}`", 0), (r"<h1>(.*?)</h1>", re.S)]:
        ours, theirs = deferred.pattern(text, flags), re.compile(text, flags)
        subject: str | bytes = "a 1.2 <h1>x\n</h1> 3. [`}`]"
        if isinstance(text, bytes):
            subject = subject.encode()
        assert [m.span() for m in ours.finditer(subject)] == [  # type: ignore[arg-type]
            m.span()
            for m in theirs.finditer(subject)  # type: ignore[arg-type]
        ]
        assert ours.pattern == theirs.pattern
        assert ours.flags == theirs.flags
        assert ours.groups == theirs.groups


def test_compiled_once_on_first_use_then_kept() -> None:
    made = deferred.pattern(r"[ \t]#")
    assert isinstance(made, deferred.Deferred)
    assert made._compiled is None  # type: ignore[attr-defined]
    assert made.search("a #b") is not None
    compiled = made._compiled  # type: ignore[attr-defined]
    assert isinstance(compiled, re.Pattern)
    assert made.search.__self__ is compiled  # kept: the next call is the pattern's own
    assert "search" in vars(made)


def test_a_first_run_leaves_the_other_languages_patterns_alone() -> None:
    # Importing the documents modules compiles none of their deferred patterns.
    code = (
        "import re, aixcl_lint.deferred as d\n"
        "from aixcl_lint.documents import comments, envfile, compose_values, mdmask, outline\n"
        "mods = (comments, envfile, compose_values, mdmask, outline)\n"
        "found = [v for m in mods for v in vars(m).values() if type(v) is d.Deferred]\n"
        "print(len(found), sum(v._compiled is None for v in found))\n"
    )
    ran = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    made, waiting = map(int, ran.stdout.split())
    assert made >= 12
    assert waiting == made
