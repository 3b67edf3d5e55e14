"""Block Kit button clicks (block_actions): under answers, and the quiz's."""

from __future__ import annotations

from slack_bolt import App

from ..context import ListenerContext
from . import answer_buttons, quiz_buttons


def register(app: App, context: ListenerContext) -> None:
    answer_buttons.register(app, context)
    quiz_buttons.register(app, context)
