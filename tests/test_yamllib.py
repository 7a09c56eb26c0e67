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
