"""Slack listeners, one package per kind; each module exposes ``register(app, deps)``."""

from __future__ import annotations

from slack_bolt import App

from ..deps import Deps
from . import actions, commands, events, quiz


def register(app: App, deps: Deps) -> None:
    commands.register(app, deps)
    events.register(app, deps)
    actions.register(app, deps)
    quiz.register(app, deps)
