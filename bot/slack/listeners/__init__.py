"""Slack listeners, one package per kind (commands, events, actions); each has ``register(app, context)``
and gets what it needs from the :class:`~bot.slack.listeners.context.ListenerContext`."""

from __future__ import annotations

from slack_bolt import App

from . import actions, commands, events
from .context import ListenerContext


def register(app: App, context: ListenerContext) -> None:
    commands.register(app, context)
    events.register(app, context)
    actions.register(app, context)
