"""The bot's architecture, read from its source with ``ast``: the layers ``config`` <- ``store`` <-
``services`` <- ``slack`` <- ``runtime`` <- ``cli``, each importing only layers to its left; only
``bot/config`` reads the environment; no module over 500 lines; nothing hung on Bolt's ``App``."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import REPO

BOT = REPO / "bot"
LAYERS = ("config", "store", "services", "slack", "runtime", "cli")
"""Lowest first: a module may import its own layer and those before it."""
MAX_LINES = 500
ENVIRONMENT = {"environ", "environb", "getenv", "getenvb", "putenv", "unsetenv"}


def modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(BOT.rglob("*.py")):
        parts = list(path.relative_to(REPO).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found.append((".".join(parts), path))
    return found


def layer(module: str) -> int | None:
    """The layer of ``bot.<layer>...`` (None for ``bot`` itself and for modules outside ``bot``)."""
    parts = module.split(".")
    if parts[0] != "bot" or len(parts) < 2:
        return None
    return LAYERS.index(parts[1]) if parts[1] in LAYERS else -1


def imported(module: str, path: Path, tree: ast.AST) -> list[tuple[int, str]]:
    """Every module ``module`` imports (relative imports resolved, ``from x import y`` counted as both
    ``x`` and ``x.y``), wherever the import is: at the top, in a function, under TYPE_CHECKING."""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            target = ".".join([*base, *([node.module] if node.module else [])])
            found.append((node.lineno, target))
            found += [(node.lineno, f"{target}.{alias.name}") for alias in node.names]
    return found


def parsed() -> list[tuple[str, Path, ast.AST]]:
    return [(module, path, ast.parse(path.read_text(encoding="utf-8"))) for module, path in modules()]


def test_every_module_of_the_bot_is_in_a_layer() -> None:
    strays = [module for module, _ in modules() if module != "bot" and layer(module) == -1]
    assert strays == [], f"modules outside the layers {LAYERS}: {strays}"


def test_a_layer_imports_only_the_layers_before_it() -> None:
    wrong = []
    for module, path, tree in parsed():
        own = layer(module)
        for line, target in imported(module, path, tree):
            theirs = layer(target)
            if own is not None and theirs is not None and theirs > own:
                wrong.append(f"{path.relative_to(REPO)}:{line} ({LAYERS[own]}) imports {target}")
    assert wrong == [], "\n".join(wrong)


def test_only_the_config_layer_reads_the_environment() -> None:
    readers = []
    for module, path, tree in parsed():
        if layer(module) == LAYERS.index("config"):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in ENVIRONMENT:
                if isinstance(node.value, ast.Name) and node.value.id == "os":
                    readers.append(f"{path.relative_to(REPO)}:{node.lineno} os.{node.attr}")
            elif isinstance(node, ast.ImportFrom) and node.module == "os":
                names = {alias.name for alias in node.names} & ENVIRONMENT
                readers += [f"{path.relative_to(REPO)}:{node.lineno} from os import {n}" for n in names]
    assert readers == [], "read the environment in bot/config/settings.py instead:\n" + "\n".join(readers)


def test_no_module_is_longer_than_500_lines() -> None:
    long = {
        str(path.relative_to(REPO)): n
        for _, path in modules()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_nothing_is_hung_on_the_bolt_app() -> None:
    """What a listener or a runner needs is given to it, not set on (and read back from) ``app``."""
    hung = []
    for _, path, tree in parsed():
        for node in ast.walk(tree):
            targets = node.targets if isinstance(node, ast.Assign) else []
            for target in targets:
                if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
                    if target.value.id == "app":
                        hung.append(f"{path.relative_to(REPO)}:{node.lineno} app.{target.attr} = ...")
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                if node.func.id in ("getattr", "setattr") and node.args:
                    first = node.args[0]
                    if isinstance(first, ast.Name) and first.id == "app":
                        hung.append(f"{path.relative_to(REPO)}:{node.lineno} {node.func.id}(app, ...)")
    assert hung == [], "\n".join(hung)


@pytest.mark.parametrize(
    ("module", "source", "found"),
    [
        ("bot.services.x", "from ..runtime import build", "bot.runtime"),
        ("bot.services.x", "from bot.slack import fake", "bot.slack.fake"),
        ("bot.store", "from .engine import StoreBase", "bot.store.engine"),
        ("bot.slack.listeners.x", "from ...services import Services", "bot.services"),
    ],
)
def test_relative_imports_are_read_as_the_modules_they_name(module: str, source: str, found: str) -> None:
    path = BOT / "__init__.py" if module == "bot.store" else BOT / "x.py"
    targets = [t for _, t in imported(module, path, ast.parse(source))]
    assert found in targets
