"""Block Kit button clicks (block_actions); the quiz adds its own module here."""

from __future__ import annotations

from slack_bolt import App

from ...deps import Deps
from . import answer_buttons


def register(app: App, deps: Deps) -> None:
    answer_buttons.register(app, deps)
