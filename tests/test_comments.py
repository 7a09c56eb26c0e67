"""Comments by language (``documents.comments``): a reference in a real comment is found
at its exact line and column; the same text in a string, a block scalar, a here-document
or an argument is not; a file that does not tokenize falls back to the heuristic."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aixcl_lint.documents import comments, comments_scan, comments_shell, textlines

R = "docs/x.md section 7"

# (path, text, where the references are: (line, column)), the rest of each text holds R
# where the language reads no comment.
LANGUAGES = {
    "python": (
        "tools/check.py",
        f"x = \"see {R}\"  # {R}\n'''\n# {R}\n'''\ns = f\"{{x}} # {R}\"\ny = '# {R}'  # é {R}\n",
        [(1, 34), (6, 34)],
    ),
    "yaml": (
        ".github/workflows/ci.yml",
        f'a: "x # {R}"  # {R}\n'
        f'run: |  # {R}\n  echo "# {R}"\n  # {R}\n'
        f"# {R}\n"
        f"b: '# {R}'\n"
        f"c: >-\n  # {R}\n"
        f"d: [1, 2] # ü {R}\n",
        [(1, 33), (2, 11), (5, 3), (9, 15)],
    ),
    "shell": (
        "scripts/deploy.sh",
        f"#!/bin/sh\n"
        f"echo \"# {R}\" '# {R}' a#{R} # {R}\n"
        f"cat <<EOF\n# {R}\nEOF\n"
        f"echo ${{x:-# {R}}} $((16#ff)) $'# {R}' \"$(echo ' # {R}')\"\n"
        f"  # {R}\n",
        [(2, 78), (7, 5)],
    ),
    "dockerfile": (
        "Dockerfile",
        f'FROM alpine:3.20\nRUN echo # {R}\n  # {R}\nLABEL a="# {R}"\n',
        [(3, 5)],
    ),
    "env": (
        ".env",
        f"# {R}\nA=1 # {R}\nB=\"x # {R}\" # {R}\nC=a#{R}\nD='\n# {R}'\n",
        [(1, 3), (2, 7), (3, 31)],
    ),
    "toml": (
        "pyproject.toml",
        f'a = "x # {R}" # {R}\nb = """\n# {R}\n"""\nc = \'# {R}\'\n# {R}\n',
        [(1, 33), (6, 3)],
    ),
    "hcl": (
        "main.tf",
        f'a = "x # {R}" # {R}\n// {R}\n/* one\n {R} */ b = "${{f("# {R}")}}"\n'
        f"c = <<EOF\n# {R}\nEOF\n",
        [(1, 33), (2, 4), (4, 2)],
    ),
}


def _found(path: str, text: str) -> list[tuple[int, int]]:
    tree = textlines.parse(path, text, lines=False)
    return [(ref["line"], ref["column"]) for ref in tree.data["references"]]


def _heuristic(text: str) -> list[tuple[int, int]]:
    lines = enumerate(text.splitlines(), 1)
    return [(r["line"], r["column"]) for n, line in lines for r in textlines.references(line, n)]


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_only_real_comments_are_read(language: str) -> None:
    path, text, expected = LANGUAGES[language]
    assert _found(path, text) == expected
    assert _heuristic(text) != expected  # the "#" heuristic reads strings as comments


@pytest.mark.parametrize(
    ("path", "text", "expected"),
    [
        ("a.py", f"x = 1\r\ny = '# {R}'  # {R}\r\n", [(2, 32)]),
        ("a.yaml", f"a: 1\r\nb: |\r\n  # {R}\r\n# ☃ {R}\r\n", [(4, 5)]),
        ("a.yaml", f"a: 1\rb: 2  # {R}\r", [(2, 9)]),  # lone CRs end lines too
        ("a.sh", f"echo 'ü'\r\n# {R}\r\n", [(2, 3)]),
        ("a.tf", f"/* é\r\n  {R} */\r\n", [(2, 3)]),
    ],
)
def test_positions_hold_across_line_endings_and_wide_characters(
    path: str, text: str, expected: list[tuple[int, int]]
) -> None:
    assert _found(path, text) == expected


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("bin/deploy", f"#!/usr/bin/env bash\ncat <<'X'\n# {R}\nX\n"),
        ("bin/check", f'#!/usr/bin/python3\n"""\n# {R}\n"""\n'),
        ("Dockerfile.dev", f"RUN echo # {R}\n"),
        ("Containerfile", f"RUN echo # {R}\n"),
        ("a.Dockerfile", f"RUN echo # {R}\n"),
        ("deploy/.env.local", f"A='# {R}'\n"),
        ("prod.env", f"A='# {R}'\n"),
        ("vars.tfvars", f'a = "# {R}"\n'),
        ("config.hcl", f'a = "# {R}"\n'),
        ("types.pyi", f"x: str = '# {R}'\n"),
        ("run.bash", f"echo '# {R}'\n"),
    ],
)
def test_the_language_comes_from_the_name_or_the_shebang(path: str, text: str) -> None:
    assert comments.scanner(path, text) is not None
    assert _found(path, text) == []


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("Makefile", f"all:\n\techo ' # {R}'\n"),  # a language no scanner knows
        ("notes", f"echo ' # {R}'\n"),  # no extension and no shebang
        ("a.py", f'x = """never closed\n# {R}\n'),
        ("a.py", f"def f():\n    pass\n  # {R}\n x = 1\n"),  # bad indentation
        ("a.py", f"x = 'never closed  # {R}\n"),
        ("a.yaml", f"a: 'never closed\n# {R}\n"),
        ("a.yaml", f"a:\tb\n\t- c  # {R}\n"),
        ("a.sh", f'echo "never closed\n# {R}\n'),
        ("a.sh", f"echo $(date\n# {R}\n"),
        ("a.env", f"A='never closed\n# {R}\n"),
        ("a.env", f"not a variable # {R}\n"),
        ("a.toml", f'a = "runs over\n# {R}\n"'),
        ("a.toml", f"a = '''never closed\n# {R}\n"),
        ("a.tf", f'a = "runs over\n# {R}\n"'),
        ("a.tf", f"/* never closed\n# {R}\n"),
        ("a.tf", f"a = <<EOF\n# {R}\n"),
    ],
)
def test_a_file_that_does_not_tokenize_is_read_as_before(path: str, text: str) -> None:
    assert comments.ranges(path, text) is None
    assert _found(path, text) == _heuristic(text) != []


@pytest.mark.parametrize(
    ("path", "text", "expected"),
    [
        ("a.yaml", f"a: |\n  # {R}\n", []),  # a block scalar to the end
        ("a.yaml", f"a: 'x # {R}'  # {R}\nb: 'never closed\n", [(1, 33)]),
        ("a.yaml", f"- &x !!str |-  # {R}\n  # {R}\n- *x  # {R}\n", [(1, 18), (3, 9)]),
        ("a.py", f"x = 1  # {R}\ny = '''never closed\n", [(1, 10)]),
    ],
)
def test_a_file_is_tokenized_up_to_its_last_possible_reference(
    path: str, text: str, expected: list[tuple[int, int]]
) -> None:
    assert _found(path, text) == expected


def test_deep_nesting_falls_back_instead_of_crashing() -> None:
    assert comments_shell.shell("$(" * 5000) is None
    assert comments_scan.hcl('"${' * 5000) is None
    text = "$(" * 5000 + f"\n# {R}\n"
    assert _found("a.sh", text) == [(2, 3)]


def test_a_file_without_a_hash_before_a_markdown_name_is_not_tokenized(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def fail(text: str) -> None:
        raise AssertionError(text)

    monkeypatch.setitem(comments._SUFFIXES, ".py", fail)
    assert _found("a.py", f"x = '{R}'  # unrelated\n") == []
    assert _found("a.py", "x = 1\n") == []


SCANNERS = [
    comments.python,
    comments.yaml,
    comments.dockerfile,
    comments_shell.shell,
    comments_scan.env,
    comments_scan.toml,
    comments_scan.hcl,
]
MARKERS = {"#", "/"}


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="#'\"\\`$<>(){}|;&=/*-: \t\nEOFx\r", max_size=80))
def test_scanners_never_raise_and_ranges_start_at_a_marker(text: str) -> None:
    for scan in SCANNERS:
        found = scan(text)
        if found is None:
            continue
        for start, end in found:
            assert 0 <= start < end <= len(text)
            assert text[start] in MARKERS
