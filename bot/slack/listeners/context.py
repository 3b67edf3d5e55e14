"""What every listener works with, handed to each kind's ``register(app, context)``."""

from __future__ import annotations

from dataclasses import dataclass

from ...services import Services
from ...store.events import EventClaims
from ..blocks.answer import answer_result_message
from ..blocks.common import Message
from ..markup import search_text
from ..work import Workers


@dataclass(frozen=True)
class ListenerContext:
    """The services, the workers that run each listener's slow half after its ack, the event claims
    (Slack's redeliveries are answered once) and the link template of citations."""

    services: Services
    workers: Workers
    claims: EventClaims
    source_url: str = ""

    def answer(
        self, question: str, *, user_id: str, channel_id: str, shareable: bool, offset: int = 0
    ) -> Message:
        """The message answering ``question`` (as typed, Slack's entities already unescaped) with results
        from ``offset`` on; the search looks for its visible words, not its markup. The answer is stored
        for its buttons; with the database down it is sent all the same, with only the buttons that work
        without the stored copy (see ``blocks.answer.answer_message``)."""
        result = self.services.answering.answer(
            question, search_for=search_text(question), user_id=user_id, channel_id=channel_id, offset=offset
        )
        return answer_result_message(result, source_url=self.source_url, shareable=shareable)
