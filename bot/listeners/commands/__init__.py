"""Slash commands."""

from __future__ import annotations

from slack_bolt import App

from ...deps import Deps
from . import awssec_command


def register(app: App, deps: Deps) -> None:
    awssec_command.register(app, deps)
