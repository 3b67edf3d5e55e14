"""Events API events: @mentions in channels and direct messages."""

from __future__ import annotations

from slack_bolt import App

from ..context import ListenerContext
from . import questions


def register(app: App, context: ListenerContext) -> None:
    questions.register(app, context)
