"""The README and the built-in help describe every command and option the CLI has."""

from __future__ import annotations

import re

import pytest
import typer.main

from framing.cli import app
from tests.helpers import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
ROOT = typer.main.get_command(app)
COMMANDS = sorted(ROOT.commands.items())


def options(command) -> list:
    # typer 0.29 carries its own copy of click, so its classes are not click's: ask the parameter.
    return [param for param in command.params if param.param_type_name == "option" and not param.hidden]


@pytest.mark.parametrize("name, command", COMMANDS, ids=[name for name, _ in COMMANDS])
def test_every_command_is_in_the_readme_with_help(name, command):
    assert re.search(rf"framing {name}\b", README), f"`framing {name}` is not in the README"
    assert (command.help or "").strip(), f"`framing {name}` has no help"


@pytest.mark.parametrize("name, command", COMMANDS, ids=[name for name, _ in COMMANDS])
def test_every_option_is_in_the_readme_with_help(name, command):
    for option in options(command):
        if option.name == "help":
            continue
        assert (option.help or "").strip(), f"`framing {name} {option.opts[0]}` has no help"
        long_names = [opt for opt in option.opts + option.secondary_opts if opt.startswith("--")]
        assert any(re.search(rf"{re.escape(opt)}\b", README) for opt in long_names), (
            f"`framing {name} {long_names[0]}` is not in the README"
        )


@pytest.mark.parametrize("name, command", COMMANDS, ids=[name for name, _ in COMMANDS])
def test_every_argument_has_help(name, command):
    for param in command.params:
        if param.param_type_name == "argument":
            assert (getattr(param, "help", "") or "").strip(), f"`framing {name}` argument {param.name} has no help"


def test_the_option_checks_see_the_options():
    # Guards the checks above against seeing nothing (typer's own click classes once hid them all).
    assert sum(len(options(command)) for _, command in COMMANDS) >= 25


def test_the_top_level_options_are_documented():
    assert "framing --version" in README


@pytest.mark.parametrize("name", ["", *[name for name, _ in COMMANDS]])
def test_help_shows_no_type_placeholders(name):
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, [*name.split(), "--help"], env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    usage = next(line for line in result.output.splitlines() if "Usage:" in line)
    # typer 0.29 writes "{article}" for a required argument and "<bool>" / "<str>" as types.
    assert "{" not in usage
    for placeholder in ("<bool>", "<str>", "<path>", "<list["):  # our own metavars (<file>, N) stay
        assert placeholder not in result.output
    for param in (ROOT.commands[name].params if name else []):
        if param.param_type_name == "argument":
            assert param.name.upper() in usage
