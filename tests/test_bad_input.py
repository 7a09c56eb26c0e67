"""Bad input: every unreadable file is a finding at the right place, and the run goes on.

Each test writes a repository with one bad compose project (``bad/``) beside a valid one
(``good/``, whose image has no tag), runs the command line, and
checks that the bad file yields exactly the expected findings, that the run exits 1 without
a traceback, and that the good project is still reported.
"""

from __future__ import annotations

import resource
import subprocess
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aixcl_lint.core import Finding
from aixcl_lint.documents import compose, source, yamltree
from conftest import run_cli

Repo = Callable[[Mapping[str, str | bytes]], Path]
Found = tuple[str, str, int, int]

BAD = "bad/compose.yaml"
GOOD_FILES = {"good/compose.yaml": "services:\n  web:\n    image: nginx\n"}
GOOD_FINDING = ("compose/image-pinned[untagged]", "good/compose.yaml", 3, 12)
SERVICE = "services:\n  web:\n    image: nginx:1.27\n    network_mode: host\n"
"""A valid service with no findings: four lines."""
MIB = 1024 * 1024


def make(repo: Repo, files: Mapping[str, str | bytes]) -> Path:
    """A repository holding ``files`` and the good project."""
    return repo({**files, **GOOD_FILES})


def lint(root: Path, timeout: float = 120) -> list[Found]:
    """Run ``check`` on ``root``; assert the run went on; return the other findings."""
    ran = run_cli("check", "--format", "json", cwd=root, timeout=timeout)
    assert "Traceback" not in ran.err, ran.err
    assert "internal error" not in ran.err, ran.err
    assert ran.code == 1, f"exit {ran.code}: {ran.err}"
    found = ran.findings()
    assert GOOD_FINDING in found, found
    return sorted(f for f in found if f[1] != GOOD_FINDING[1])


def lint_bad(repo: Repo, content: str | bytes, timeout: float = 120) -> list[Found]:
    """Lint a repository whose ``bad/compose.yaml`` holds ``content``."""
    return lint(make(repo, {BAD: content}), timeout)


# --- not valid YAML ---------------------------------------------------------------------
# Positions are libyaml's problem marks, 1-based.


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        pytest.param(
            # Line 5 holds the unclosed '['; the scanner reaches the end of the stream on
            # line 6, column 1, still expecting ',' or ']'.
            SERVICE + "    command: [sh, -c\n",
            6,
            1,
            id="unclosed flow sequence at end of file",
        ),
        pytest.param(
            # In flow context '-c' continues as a plain scalar onto line 4 ('-c image'),
            # then ': ' is a value indicator where ',' or ']' must come: column 10.
            "services:\n  web:\n    command: [sh, -c\n    image: nginx:1.27\n",
            4,
            10,
            id="unclosed flow sequence before the next key",
        ),
        pytest.param(
            # 'network_mode' at column 4 closes web's mapping (indent 4) but opens a new
            # block mapping inside services' mapping (indent 2), which expects a key.
            "services:\n  web:\n    image: nginx:1.27\n   network_mode: host\n",
            4,
            4,
            id="bad indentation",
        ),
        pytest.param(
            # A tab cannot indent block YAML: it cannot start any token.
            "services:\n\tweb:\n",
            2,
            1,
            id="tab indentation",
        ),
        pytest.param(
            # The second ': ' on line 2 is a mapping value in a plain scalar's context.
            "services:\n  web: image: nginx\n",
            2,
            13,
            id="mapping value inside a value",
        ),
        pytest.param(
            # The double-quoted scalar runs to the end of the stream (line 5, column 1).
            'services:\n  web:\n    image: "nginx:1.27\n    network_mode: host\n',
            5,
            1,
            id="unclosed double quote",
        ),
    ],
)
def test_invalid_yaml_is_a_parse_error_at_the_problem(
    repo: Repo, text: str, line: int, column: int
) -> None:
    assert lint_bad(repo, text) == [("yaml/parse-error", BAD, line, column)]


def test_invalid_override_does_not_hide_the_base_files_findings(repo: Repo) -> None:
    root = make(
        repo,
        {
            "app/compose.yaml": "services:\n  db:\n    image: postgres\n",
            "app/compose.override.yaml": "services:\n  db: [\n",
        },
    )
    assert lint(root) == [
        ("compose/image-pinned[untagged]", "app/compose.yaml", 3, 12),
        ("yaml/parse-error", "app/compose.override.yaml", 3, 1),
    ]


# --- duplicate keys ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        pytest.param(SERVICE + "    image: nginx:1.28\n", 5, 5, id="block mapping"),
        pytest.param(
            # '  web: {' is 8 characters, 'image: nginx:1.27, ' 19, 'network_mode: host, ' 20.
            "services:\n  web: {image: nginx:1.27, network_mode: host, image: nginx:1.28}\n",
            2,
            48,
            id="flow mapping",
        ),
        pytest.param(
            SERVICE + "services:\n  db:\n    image: postgres:16\n    network_mode: host\n",
            5,
            1,
            id="top-level services twice",
        ),
        pytest.param(
            'services:\n  web:\n    "image": nginx:1.27\n    network_mode: host\n'
            "    'image': nginx:1.28\n",
            5,
            5,
            id="same key in different quoting styles",
        ),
    ],
)
def test_duplicate_key_points_at_the_second_key(
    repo: Repo, text: str, line: int, column: int
) -> None:
    assert lint_bad(repo, text) == [("yaml/duplicate-key", BAD, line, column)]


# --- Python tags ------------------------------------------------------------------------

_TAGGED = [
    pytest.param("", "!!python/object/apply:os.system [{cmd}]", id="apply, list args"),
    pytest.param("", "!!python/object/apply:os.system {{args: [{cmd}]}}", id="apply, map args"),
    pytest.param("", "!!python/object/new:os.system [{cmd}]", id="new"),
    pytest.param(
        "", "!<tag:yaml.org,2002:python/object/apply:os.system> [{cmd}]", id="verbatim tag"
    ),
    pytest.param(
        "%TAG !py! tag:yaml.org,2002:python/object/apply:\n---\n",
        "!py!os.system [{cmd}]",
        id="%TAG directive",
    ),
    pytest.param("", "!!python/name:os.system ''", id="name"),
]


@pytest.mark.parametrize(("prefix", "value"), _TAGGED)
def test_python_tag_is_reported_and_never_executed(
    repo: Repo, tmp_path: Path, prefix: str, value: str
) -> None:
    marker = tmp_path / "pwned"
    cmd = f'"touch {marker}"'
    text = prefix + SERVICE + "x-pwn: " + value.format(cmd=cmd) + "\n"
    line = prefix.count("\n") + 5
    # 'x-pwn: ' is 7 characters: the tag starts the value at column 8.
    assert lint_bad(repo, text) == [("yaml/unsafe-tag", BAD, line, 8)]
    assert not marker.exists(), "the Python tag was executed"


def test_the_python_tag_payload_is_live(tmp_path: Path) -> None:
    """Control: an unsafe loader does run the payload the test above feeds the linter."""
    marker = tmp_path / "pwned"
    text = f'x-pwn: !!python/object/apply:os.system ["touch {marker}"]\n'
    yaml.unsafe_load(text)
    assert marker.exists()


# --- aliases ----------------------------------------------------------------------------


def _laughs(levels: int = 9, width: int = 9, *, mapping: bool = False) -> str:
    """Billion laughs: ``levels`` levels of ``width`` aliases to the level below."""
    lines = ['x-l0: &l0 "lol"']
    for i in range(1, levels + 1):
        if mapping:
            body = "{" + ", ".join(f"k{j}: *l{i - 1}" for j in range(width)) + "}"
        else:
            body = "[" + ", ".join([f"*l{i - 1}"] * width) + "]"
        lines.append(f"x-l{i}: &l{i} {body}")
    return "\n".join(lines) + "\n" + SERVICE


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(_laughs(), id="sequences, 9 levels of 9"),
        pytest.param(_laughs(mapping=True), id="mappings, 9 levels of 9"),
        pytest.param(
            _laughs(8, mapping=True) + "x-merged:\n  <<: *l8\n",
            id="through a merge key",
        ),
    ],
)
def test_alias_bomb_is_refused_quickly(repo: Repo, text: str) -> None:
    # The bound is the subprocess timeout, not a timed assertion.
    assert lint_bad(repo, text, timeout=60) == [("yaml/alias-bomb", BAD, 1, 1)]


@pytest.mark.parametrize(
    "loop",
    [
        pytest.param("x-loop: &a [*a]\n", id="sequence contains itself"),
        pytest.param("x-loop: &a {self: *a}\n", id="mapping contains itself"),
        pytest.param("x-loop: &a {<<: *a}\n", id="mapping merges itself"),
        pytest.param("x-loop: &a\n  - &b [*a, *b]\n", id="two anchors"),
    ],
)
def test_recursive_alias_is_an_alias_bomb(repo: Repo, loop: str) -> None:
    # PyYAML's composer registers an anchor before composing its children, so an alias
    # inside its own anchored node resolves to that node: a cycle. The finding is on the
    # document (its root starts at 1:1).
    assert lint_bad(repo, SERVICE + loop, timeout=60) == [("yaml/alias-bomb", BAD, 1, 1)]


# --- size, binary, encoding -------------------------------------------------------------


def test_50_mib_file_is_too_large(repo: Repo) -> None:
    root = make(repo, {})
    path = root / BAD
    path.parent.mkdir(parents=True)
    with path.open("wb") as sparse:  # a hole: no 50 MiB are written or read
        sparse.seek(50 * MIB)
        sparse.write(b"\n")
    assert lint(root) == [("file/too-large", BAD, 1, 1)]


def test_size_limit_is_5_mib(repo: Repo) -> None:
    line = b"#" + b"x" * 1022 + b"\n"  # 1 KiB of comment
    at_limit = line * (5 * 1024)
    assert len(at_limit) == 5 * MIB
    root = make(repo, {BAD: at_limit, "over/compose.yaml": at_limit + b"\n"})
    assert lint(root) == [("file/too-large", "over/compose.yaml", 1, 1)]


@pytest.mark.parametrize(
    ("content", "line"),
    [
        pytest.param(b"services:\n  web:\n    image: ngi\x00nx\n", 3, id="NUL on line 3"),
        pytest.param("services:\n  web: {}\n".encode("utf-16"), 1, id="UTF-16"),
    ],
)
def test_binary_file(repo: Repo, content: bytes, line: int) -> None:
    found = lint_bad(repo, content)
    assert [(rule, path, ln) for rule, path, ln, _ in found] == [("file/binary", BAD, line)]


@pytest.mark.parametrize(
    ("content", "line", "column"),
    [
        pytest.param(
            # '      owner: ' is 13 characters, 'Jos' 3: the latin-1 e-acute is column 17.
            (SERVICE + "    labels:\n      owner: Jos\xe9\n").encode("latin-1"),
            6,
            17,
            id="latin-1",
        ),
        pytest.param(b"\xffservices: {}\n", 1, 1, id="first byte"),
        pytest.param(
            # A multi-byte sequence cut short by the end of the file, at column 9.
            SERVICE.encode() + b"x-euro: \xe2\x82",
            5,
            9,
            id="truncated sequence",
        ),
        pytest.param(
            # Valid UTF-8 'e-acute' (2 bytes, 1 character) before a latin-1 u-umlaut: the bad
            # byte is character 20 of the line (byte 21).
            SERVICE.encode() + b"    labels:\n      owner: Jos\xc3\xa9 M\xfcller\n",
            6,
            20,
            id="after valid multi-byte characters",
        ),
    ],
)
def test_not_utf8(repo: Repo, content: bytes, line: int, column: int) -> None:
    assert lint_bad(repo, content) == [("file/not-utf8", BAD, line, column)]


# --- not a compose model ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "name: demo\nservices:\n  - web\n",
            [("compose/invalid[schema]", BAD, 2, 1)],
            id="services is a list",
        ),
        pytest.param(
            "name: demo\nservices: web\n",
            [("compose/invalid[schema]", BAD, 2, 1)],
            id="services is a string",
        ),
        pytest.param(
            # The string service is dropped; the other service in the file is still linted.
            "services:\n  web: nginx\n  db:\n    image: postgres\n",
            [
                ("compose/image-pinned[untagged]", BAD, 4, 12),
                ("compose/invalid[schema]", BAD, 2, 3),
            ],
            id="a service is a string",
        ),
        pytest.param(
            "services:\n  web: [nginx]\n",
            [("compose/invalid[schema]", BAD, 2, 3)],
            id="a service is a list",
        ),
        pytest.param(
            "# a list, not a mapping\n- services\n",
            [("compose/invalid[schema]", BAD, 2, 1)],
            id="top level is a list",
        ),
        pytest.param(
            "# a string, not a mapping\nservices\n",
            [("compose/invalid[schema]", BAD, 2, 1)],
            id="top level is a string",
        ),
    ],
)
def test_not_a_compose_model(repo: Repo, text: str, expected: list[Found]) -> None:
    assert lint_bad(repo, text) == expected


# --- nesting ----------------------------------------------------------------------------

_DEEP = 100_000


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        # Reported where the 201st level opens: "x: " then one "[" per column.
        pytest.param("x: " + "[" * _DEEP + "\n", 1, 204, id="100000 unclosed ["),
        pytest.param("x: " + "[" * _DEEP + "]" * _DEEP + "\n", 1, 204, id="100000 balanced []"),
        pytest.param("x: " + "{a: " * _DEEP + "\n", 1, 804, id="100000 {"),
        pytest.param("- " * _DEEP + "x\n", 1, 403, id="100000 block entries on one line"),
    ],
)
def test_very_deep_nesting_is_not_parsed(repo: Repo, text: str, line: int, column: int) -> None:
    # The C composer recurses on the C stack and would crash: the guard refuses first.
    assert lint_bad(repo, text) == [("yaml/too-deep", BAD, line, column)]


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        pytest.param(
            # The k-th '[' opens the list at pointer depth k, at column 3 + k; the first one
            # deeper than 200 levels is the 201st.
            "x: " + "[" * 300 + "]" * 300 + "\n",
            1,
            204,
            id="300 flow levels",
        ),
        pytest.param(
            # Line i (from 0) opens the mapping at pointer depth i, at column 2i + 1.
            "".join("  " * i + f"k{i}:\n" for i in range(300)),
            202,
            403,
            id="300 block levels",
        ),
        pytest.param(
            "x: " + "[" * 1000 + "]" * 1000 + "\n",
            1,
            204,
            id="1000 flow levels",
        ),
        pytest.param(
            "x-a: &a 1\nx: " + "[" * 1000 + "*a" + "]" * 1000 + "\n",
            2,
            204,
            id="1000 flow levels around an alias",
        ),
    ],
)
def test_deeper_than_200_levels(repo: Repo, text: str, line: int, column: int) -> None:
    assert lint_bad(repo, text) == [("yaml/too-deep", BAD, line, column)]


def test_200_levels_are_fine(repo: Repo) -> None:
    assert lint_bad(repo, SERVICE + "x-deep: " + "[" * 199 + "]" * 199 + "\n") == []


@pytest.fixture
def default_stack() -> Iterator[None]:
    """Children get the usual 8 MiB C stack, so a runaway composer crashes the same way."""
    soft, hard = resource.getrlimit(resource.RLIMIT_STACK)
    limit = 8 * MIB if hard == resource.RLIM_INFINITY else min(8 * MIB, hard)
    if soft == resource.RLIM_INFINITY or soft > limit:
        resource.setrlimit(resource.RLIMIT_STACK, (limit, hard))
    yield
    resource.setrlimit(resource.RLIMIT_STACK, (soft, hard))


@pytest.mark.usefixtures("default_stack")
@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        pytest.param(
            "x: " + '["]",' * _DEEP + "]" * _DEEP + "\n",
            1,
            1004,
            id="closing brackets in quoted scalars",
        ),
        pytest.param(
            "x: " + "[ # ]\n" * _DEEP + "]" * _DEEP + "\n",
            201,
            1,
            id="closing brackets in comments",
        ),
    ],
)
def test_depth_guard_is_not_fooled_by_brackets_in_text(
    repo: Repo, text: str, line: int, column: int
) -> None:
    assert lint_bad(repo, text) == [("yaml/too-deep", BAD, line, column)]


# --- nothing to read --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param("# only\n# comments\n", id="only comments"),
        pytest.param("\n  \n\n", id="only blank lines"),
        pytest.param("---\n", id="only a document marker"),
        pytest.param("---\n...\n---\n", id="only empty documents"),
    ],
)
def test_empty_files_have_no_findings(repo: Repo, text: str) -> None:
    assert lint_bad(repo, text) == []


# --- .env -------------------------------------------------------------------------------


def test_malformed_env_line_is_reported_and_the_rest_is_read(repo: Repo) -> None:
    root = make(
        repo,
        {
            BAD: "services:\n  web:\n    image: nginx:${TAG}\n    network_mode: host\n",
            # TAG comes after the bad line and is still read: no image-pinned finding.
            "bad/.env": "# settings\nthis line is not an assignment\nTAG=1.27\n",
        },
    )
    assert lint(root) == [("env/parse-error", "bad/.env", 2, 1)]


def test_malformed_lines_of_any_env_file_are_reported_once(repo: Repo) -> None:
    # A profile's env file is not a folder's .env: no project reads it, and its bad
    # lines are reported all the same; a folder's .env is reported once, not twice.
    root = make(
        repo,
        {
            "config/profiles/core.env": "PROFILE_SERVICES=a,b\nnot an assignment\n",
            "bad/.env": "also not one\n",
        },
    )
    assert lint(root) == [
        ("env/parse-error", "bad/.env", 1, 1),
        ("env/parse-error", "config/profiles/core.env", 2, 1),
    ]


# --- amplification ----------------------------------------------------------------------
# Files well under the size limit whose cost grows with the square of their size. A
# linear implementation lints each in about a second (1.2 s of CPU); the bound (60 s, the
# run's deadline) is far below what a quadratic one takes, and far above a loaded machine.

_KEYS = "".join(f"  k{i}: {i}\n" for i in range(50_000))


def _lint_in_time(root: Path, seconds: float) -> list[Found]:
    try:
        return lint(root, timeout=seconds)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the run did not finish in {seconds:.0f} s")


def test_merge_of_a_large_mapping_finishes(repo: Repo) -> None:
    text = SERVICE + "x-base: &b\n" + _KEYS + "x-use:\n  <<: *b\n"
    assert _lint_in_time(make(repo, {BAD: text}), 60) == []


def test_override_of_a_large_mapping_finishes(repo: Repo) -> None:
    root = make(
        repo,
        {BAD: SERVICE + "x-big:\n" + _KEYS, "bad/compose.override.yaml": "x-big:\n" + _KEYS},
    )
    assert _lint_in_time(root, 60) == []


# --- fuzz -------------------------------------------------------------------------------

_TOKENS = [
    "services:",
    "web:",
    "image: nginx",
    "network_mode: host",
    "x-a: &a",
    "&a ",
    "&b ",
    "*a",
    "*b",
    "<<: *a",
    "<<: [*a, *b]",
    "!reset ",
    "!override ",
    "!!python/object/apply:os.system ",
    "!!str ",
    "!!map ",
    "[",
    "]",
    "{",
    "}",
    ", ",
    "- ",
    ": ",
    "? ",
    "|",
    ">-",
    "#",
    '"',
    "'",
    "---",
    "...",
    "%YAML 1.1",
    "\n",
    "\r\n",
    "\t",
    "  ",
    "    ",
    "${TAG:-1}",
    "~",
    "é",
]
# Lone CR, NEL and the Unicode line and paragraph separators are line breaks to libyaml
# (YAML 1.1) but not to editors; surrogates never come out of decoding a file.
_CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\x85\u2028\u2029")
_FRAGMENT = st.lists(
    st.one_of(st.sampled_from(_TOKENS), st.text(_CHARS, max_size=8)), max_size=60
).map("".join)


def _check_positions(findings: list[Finding], texts: Mapping[str, str]) -> None:
    for finding in findings:
        lines = texts[finding.path].split("\n")
        assert 1 <= finding.line <= len(lines) + 1, finding
        assert finding.column >= 1, finding
        assert finding.span.end >= finding.span.start, finding


_FUZZ = settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@_FUZZ
@given(base=_FRAGMENT, override=_FRAGMENT)
def test_fuzz_parse_and_build_never_raise(base: str, override: str) -> None:
    texts = {"compose.yaml": base, "compose.override.yaml": override}
    files = [yamltree.parse(path, text) for path, text in texts.items()]
    _project, problems = compose.build_project(files, {"TAG": "1"})
    _check_positions([*files[0].problems, *files[1].problems, *problems], texts)


@_FUZZ
@given(
    parts=st.lists(
        st.one_of(st.sampled_from(_TOKENS).map(str.encode), st.binary(max_size=8)), max_size=60
    )
)
def test_fuzz_bytes_through_decode_never_raise(parts: list[bytes]) -> None:
    data = b"".join(parts)
    loaded = source.decode("compose.yaml", data)
    if isinstance(loaded, Finding):
        assert loaded.line <= data.count(b"\n") + 1, loaded
        assert loaded.column >= 1, loaded
        return
    parsed = yamltree.parse(loaded.path, loaded.text)
    _project, problems = compose.build_project([parsed])
    # Lines as libyaml counts them: decoded bytes may hold any line break.
    texts = {loaded.path: loaded.text.replace("\r\n", "\n")}
    for brk in "\r\x85\u2028\u2029":
        texts[loaded.path] = texts[loaded.path].replace(brk, "\n")
    _check_positions([*parsed.problems, *problems], texts)
