"""The core's rules, read off the source with ``ast``: what may import what, and who touches the disk.

- ``indexer/`` imports nothing from ``bot/``.
- Inside it, stages import only lower stages: ``model`` <- ``reading``, ``spelling`` <- ``search`` <-
  ``quiz`` <- ``build``; ``files`` (the one disk module), ``notetext``, ``model`` and ``once`` import no
  stage. Stages get their shipped data files from ``files`` and nothing else of it.
- Only ``indexer/files.py`` does file-system I/O; nothing in ``indexer/`` reads the environment.
- No module of ``indexer/`` is longer than 500 lines.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPO

INDEXER = REPO / "indexer"
BASE = {"indexer.model", "indexer.files", "indexer.notetext", "indexer.once"}
"""Modules below every stage."""
STAGE_RANK = {"reading": 1, "spelling": 1, "search": 2, "quiz": 3, "build": 4}
"""A stage imports only stages of a lower rank (``reading`` and ``spelling`` are side by side)."""
SHIPPED_DATA = {"shipped_text", "symspellpy_text"}
"""What a stage may take from ``indexer.files``."""
OFFLINE_TOOLS = {"indexer.spelling.build_domain_lm", "indexer.quiz.build_neighbours"}
"""Run by hand to derive shipped data: they read and write files through ``indexer.files``."""
DISK_MODULES = {"os", "shutil", "gzip", "tempfile", "glob", "importlib.resources", "io"}
DISK_METHODS = {
    "read_text", "read_bytes", "write_text", "write_bytes", "open", "glob", "rglob", "iterdir", "exists",
    "is_file", "is_dir", "is_symlink", "resolve", "stat", "lstat", "mkdir", "rmdir", "unlink", "touch",
    "rename", "samefile", "expanduser", "home", "cwd",
}
MAX_LINES = 500


def modules() -> Iterator[tuple[str, Path, ast.Module]]:
    for path in sorted(INDEXER.rglob("*.py")):
        parts = path.relative_to(REPO).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        yield name, path, ast.parse(path.read_text(encoding="utf-8"), str(path))


def imports(tree: ast.Module) -> Iterator[tuple[str, list[str], int]]:
    """(module, names imported from it, line) of every import, function-local ones too."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, [], node.lineno
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module, [a.name for a in node.names], node.lineno


def stage(module: str) -> str | None:
    """The stage a module of ``indexer`` belongs to; None for the base modules."""
    if module in BASE or module == "indexer":
        return None
    return module.split(".")[1]


def test_the_core_imports_nothing_from_the_bot() -> None:
    found = [
        f"{name}:{line} imports {imported}"
        for name, _, tree in modules()
        for imported, _, line in imports(tree)
        if imported == "bot" or imported.startswith("bot.")
    ]
    assert found == []


def test_every_module_is_a_stage_or_a_base_module() -> None:
    unplaced = [name for name, _, _ in modules() if stage(name) not in (None, *STAGE_RANK)]
    assert unplaced == [], "add them to a stage's subpackage, or to BASE if no stage may be below them"


def test_stages_import_only_lower_stages_and_the_base_modules_no_stage() -> None:
    wrong = []
    for name, _, tree in modules():
        own = stage(name)
        if own not in (None, *STAGE_RANK):
            continue
        for imported, names, line in imports(tree):
            if imported == "indexer" and names:  # from indexer import files
                imported = f"indexer.{names[0]}"
            if not imported.startswith("indexer.") or imported in BASE:
                continue
            theirs = stage(imported)
            if theirs == own:
                continue
            if own is None or theirs not in STAGE_RANK or STAGE_RANK[theirs] >= STAGE_RANK[own]:
                wrong.append(f"{name}:{line} imports {imported}")
    assert wrong == []


def test_stages_take_only_shipped_data_from_the_disk_module() -> None:
    wrong = []
    for name, _, tree in modules():
        if stage(name) in (None, "build") or name in OFFLINE_TOOLS:
            continue
        for imported, names, line in imports(tree):
            if imported == "indexer.files" and not set(names) <= SHIPPED_DATA:
                wrong.append(f"{name}:{line} takes {sorted(set(names) - SHIPPED_DATA)} from indexer.files")
            if imported == "indexer" and "files" in names:
                wrong.append(f"{name}:{line} imports the whole of indexer.files")
    assert wrong == []


def test_only_the_disk_module_touches_the_disk() -> None:
    wrong = []
    for name, _, tree in modules():
        if name == "indexer.files":
            continue
        for imported, _, line in imports(tree):
            if imported in DISK_MODULES:
                wrong.append(f"{name}:{line} imports {imported}")
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Name) and func.id == "open":
                wrong.append(f"{name}:{node.lineno} calls open()")
            elif (isinstance(func, ast.Attribute) and func.attr in DISK_METHODS
                  and not (isinstance(func.value, ast.Name) and func.value.id == "files")):
                wrong.append(f"{name}:{node.lineno} calls .{func.attr}()")
    assert wrong == []


def test_the_core_reads_no_environment_variables() -> None:
    found = [
        f"{name}:{node.lineno}"
        for name, _, tree in modules()
        for node in ast.walk(tree)
        if (isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv", "environb"))
        or (isinstance(node, ast.Name) and node.id in ("environ", "getenv"))
    ]
    assert found == []


@pytest.mark.parametrize("path", sorted(INDEXER.rglob("*.py")), ids=lambda p: str(p.relative_to(REPO)))
def test_no_module_of_the_core_is_longer_than_500_lines(path: Path) -> None:
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_LINES
