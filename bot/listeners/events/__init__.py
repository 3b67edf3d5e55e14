"""Events API events: @mentions in channels and direct messages."""

from __future__ import annotations

from slack_bolt import App

from ...deps import Deps
from . import questions


def register(app: App, deps: Deps) -> None:
    questions.register(app, deps)
