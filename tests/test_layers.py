"""Data flows one way (file -> text -> sentences -> probabilities -> article score -> output):
no module imports one that comes after it, and only the CLI talks to the terminal."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "framing"

# What each module may import from framing (at top level or inside a function).
ALLOWED = {
    "defaults": set(),
    "errors": set(),
    "labels": set(),
    "card": {"errors"},
    "text": {"defaults", "errors"},
    "context": {"quotes"},
    # quotes tells the model which lines are bare attributions ("Sheriff said.").
    "model": {"card", "context", "defaults", "errors", "labels", "persist", "quotes"},
    # The model's file format: the model class is passed in, so it imports no model code.
    "persist": {"defaults", "errors"},
    "slant": {"labels"},
    "scoring": {"context", "errors", "quotes", "slant", "text"},
    "quotes": set(),
    "corpus": {"context", "errors", "labels"},
    "scores": {"defaults", "errors"},
    "batch": {"card", "defaults", "errors", "model", "scores", "scoring", "text"},
}
TERMINAL = {"typer", "rich", "click"}


def framing_imports(path: Path) -> tuple[set[str], set[str]]:
    """(framing modules, other top-level packages) that a file imports anywhere."""
    own, other = set(), set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "framing" and len(parts) > 1:
                own.add(parts[1])
            elif parts[0] != "framing":
                other.add(parts[0])
    return own, other


@pytest.mark.parametrize("module", sorted(ALLOWED))
def test_module_imports_nothing_downstream(module):
    own, _ = framing_imports(PACKAGE / f"{module}.py")
    own.discard(module)
    own.discard("__init__")
    assert own <= ALLOWED[module], f"framing.{module} imports {sorted(own - ALLOWED[module])}"


def test_only_the_cli_talks_to_the_terminal():
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name in ("cli.py", "__main__.py"):
            continue
        _, other = framing_imports(path)
        assert not other & TERMINAL, f"{path.name} imports {sorted(other & TERMINAL)}"
        source = path.read_text(encoding="utf-8")
        assert "print(" not in source.replace("pprint(", ""), f"{path.name} prints"


def test_the_cli_starts_without_loading_the_library():
    """`framing --help` stays fast: the CLI module imports only errors, labels and defaults."""
    own, _ = framing_imports_top_level(PACKAGE / "cli.py")
    assert own <= {"errors", "labels", "defaults"}, sorted(own)


def framing_imports_top_level(path: Path) -> tuple[set[str], set[str]]:
    """Like framing_imports, for module-level imports only (not those inside functions)."""
    own, other = set(), set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            parts = name.split(".")
            (own if parts[0] == "framing" and len(parts) > 1 else other).add(parts[1] if parts[0] == "framing" and len(parts) > 1 else parts[0])
    return own, other


def test_nothing_imports_the_cli():
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name not in ("cli.py", "__main__.py"):
            assert "cli" not in framing_imports(path)[0], path.name
