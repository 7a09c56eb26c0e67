"""The command group imports a command's module only when that command is asked for
(``cli.group.COMMANDS``); ``--help`` and click's suggestions still see every command."""

from __future__ import annotations

import importlib
import subprocess
import sys

from aixcl_lint.cli.group import COMMANDS, cli
from conftest import REPO, run_cli


def test_commands_names_every_command_by_the_module_declaring_it() -> None:
    for module in set(COMMANDS.values()):
        importlib.import_module(module)
    declared = {name: command.callback.__module__ for name, command in cli.commands.items()}
    assert declared == COMMANDS  # a command added without its entry fails here


def test_help_lists_every_command_with_its_short_help() -> None:
    ran = run_cli("--help", cwd=REPO)
    assert ran.code == 0
    listed = ran.out.split("Commands:\n", 1)[1].splitlines()
    assert [line.split()[0] for line in listed] == sorted(COMMANDS)
    for line in listed:
        name, short = line.split(maxsplit=1)
        whole = cli.commands[name].get_short_help_str(limit=1000)
        assert short == whole or whole.startswith(short.removesuffix("..."))


def test_an_unknown_command_is_weighed_against_every_command() -> None:
    ran = run_cli("chek", cwd=REPO)
    assert ran.code == 2
    assert "Did you mean one of: 'check', 'schema'?" in ran.err


def test_check_imports_no_other_command() -> None:
    script = (
        "import sys; from aixcl_lint.cli import main; main(['check', '--help']); "
        "print(' '.join(sorted(sys.modules)), file=sys.stderr)"
    )
    ran = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=False
    )
    loaded = set(ran.stderr.split("\n")[-2].split())
    assert "aixcl_lint.cli.check_command" in loaded
    assert loaded.isdisjoint({m for m in COMMANDS.values() if m != COMMANDS["check"]})
