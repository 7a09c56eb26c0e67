"""PyYAML imported through ``aixcl_lint.yamllib``: a cheaper ``NON_PRINTABLE``, the
same behaviour."""

from __future__ import annotations

import ast
import inspect
import re
import subprocess
import sys
from pathlib import Path

import pytest

from aixcl_lint import yamllib
from aixcl_lint.yamllib import yaml

SRC = Path(yamllib.__file__).parent
EVERY_CODE_POINT = "".join(map(chr, range(0x110000)))  # lone surrogates included


def _pyyaml_pattern() -> str:
    """The pattern PyYAML's installed ``yaml/reader.py`` compiles, read from its source."""
    tree = ast.parse(inspect.getsource(yaml.reader))
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "NON_PRINTABLE":
            assert isinstance(node.value, ast.Call)
            argument = node.value.args[0]
            assert isinstance(argument, ast.Constant)
            return str(argument.value)
    raise AssertionError("yaml/reader.py no longer assigns NON_PRINTABLE")


def test_the_pattern_replaced_is_pyyamls() -> None:
    # If PyYAML changes its pattern, the replacement no longer applies (nothing breaks,
    # start-up is slower again): this says so.
    assert _pyyaml_pattern() == yamllib.PYYAML_NON_PRINTABLE


def test_same_code_points_on_all_of_unicode() -> None:
    theirs = re.compile(yamllib.PYYAML_NON_PRINTABLE)
    ours = re.compile(yamllib.CHEAP_NON_PRINTABLE)
    matched = [m.start() for m in ours.finditer(EVERY_CODE_POINT)]
    assert matched == [m.start() for m in theirs.finditer(EVERY_CODE_POINT)]
    assert {0xD800, 0xFFFF} <= set(matched)
    assert 0x85 not in matched


def test_a_fresh_interpreter_gets_the_cheap_pattern() -> None:
    code = (
        "import re; compile_ = re.compile\n"
        "import aixcl_lint.yamllib, yaml.reader\n"
        "print(yaml.reader.Reader.NON_PRINTABLE.pattern == "
        "aixcl_lint.yamllib.CHEAP_NON_PRINTABLE, re.compile is compile_)\n"
    )
    ran = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert ran.stdout.split() == ["True", "True"]


class _PyYAMLReader(yaml.reader.Reader):
    NON_PRINTABLE = re.compile(yamllib.PYYAML_NON_PRINTABLE)


@pytest.mark.parametrize(
    "text",
    ["plain: text\n", "a: \x07\n", "k: v\x85\n", "\ufeffa: b\n", "x: \ud800\n", "é: \uffff\n"],
)
def test_the_python_reader_says_the_same(text: str) -> None:
    def refusal(reader: type[yaml.reader.Reader]) -> str:
        try:
            reader(text)
        except yaml.reader.ReaderError as exc:
            return str(exc)
        return ""

    assert refusal(yaml.reader.Reader) == refusal(_PyYAMLReader)
    if "\x07" in text:
        assert "#x0007" in refusal(yaml.reader.Reader)
        with pytest.raises(yaml.reader.ReaderError):
            yaml.load(text, Loader=yaml.SafeLoader)  # the pure Python loader


def test_every_module_imports_yaml_through_yamllib() -> None:
    direct = []
    for path in sorted(SRC.rglob("*.py")):
        if path.name == "yamllib.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                continue
            if any(name == "yaml" or name.startswith("yaml.") for name in names):
                direct.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert direct == []


def test_pyyamls_other_patterns_wait_for_their_first_use() -> None:
    # A compose file's parse (aixcl-lint's own resolver) compiles none of them; a load
    # through PyYAML's resolver compiles the ones it asks.
    code = (
        "import aixcl_lint.yamllib as y, yaml\n"
        "from aixcl_lint.documents import yamltree\n"
        "rs = [p for v in yaml.resolver.Resolver.yaml_implicit_resolvers.values() for _, p in v]\n"
        "rs.append(yaml.constructor.SafeConstructor.timestamp_regexp)\n"
        "yamltree.parse('compose.yaml', 'services:\\n  web: {image: a, scale: 2}\\n')\n"
        "print(all(type(p) is y.Deferred for p in rs), all(p._compiled is None for p in rs))\n"
        "yaml.load('a: 1', Loader=yaml.CSafeLoader)\n"
        "print(sum(p._compiled is None for p in rs) < len(rs), len(set(map(id, rs))) == 9)\n"
    )
    ran = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert ran.stdout.split() == ["True", "True", "True", "True"]


SCALARS = (
    "[yes, no, on, true, FALSE, ~, null, '', 1, -1_000, 0o17, 017, 0x1f, 0b101, 190:20:30, "
    "1.5, -.inf, .NaN, 6.8523015e+5, 2001-12-14t21:59:43.10-05:00, 2002-12-14, "
    "'2001-12-14', !!timestamp 2001-12-14 21:59:43.10 -5, text, 1e3, {<<: {a: 1}, b: 2}]"
)


@pytest.mark.parametrize("loader", ["SafeLoader", "CSafeLoader", "FullLoader"])
def test_pyyamls_resolver_and_constructor_say_the_same(loader: str) -> None:
    # The same scalars loaded by a PyYAML imported plainly, in a fresh interpreter.
    show = f"print(repr(yaml.load({SCALARS!r}, Loader=yaml.{loader})))"
    plain = subprocess.run(
        [sys.executable, "-c", f"import yaml; {show}"], capture_output=True, text=True, check=True
    )
    ours = repr(yaml.load(SCALARS, Loader=getattr(yaml, loader)))
    assert "datetime.datetime(2001, 12, 14" in ours
    assert "nan" in ours
    assert ours == plain.stdout.strip()
