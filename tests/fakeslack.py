"""The tests' Slack: the package's local Slack (``bot.slack.fake``, which ``awssec console`` uses too) and,
here, ``FakeSocketMode``: a WebSocket server speaking Slack's Socket Mode envelope protocol (``hello`` on
connect, envelopes with ``envelope_id`` / ``retry_attempt``, acks recorded, ``disconnect`` requests).
"""

from __future__ import annotations

import json
import threading
import uuid
from typing import Any

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import ServerConnection, serve

from bot.slack.fake import (
    BOT_ID,
    BOT_USER_ID,
    TEAM_ID,
    Call,
    FakeSlack,
    block_action,
    block_kit_problems,
    dm_event,
    event_callback,
    mention_event,
    slash_command,
)

__all__ = [
    "BOT_ID",
    "BOT_USER_ID",
    "TEAM_ID",
    "Call",
    "FakeSlack",
    "FakeSocketMode",
    "block_action",
    "block_kit_problems",
    "dm_event",
    "event_callback",
    "mention_event",
    "slash_command",
]


class FakeSocketMode:
    """A Socket Mode WebSocket endpoint: hello, envelopes, acks, redelivery, disconnects."""

    def __init__(self) -> None:
        self.acks: dict[str, dict[str, Any]] = {}
        self.connections: list[ServerConnection] = []
        self.hellos = 0
        self._cond = threading.Condition()
        self._server = serve(self._handler, "127.0.0.1", 0, compression=None)
        self.port = self._server.socket.getsockname()[1]
        self._thread = threading.Thread(target=self._server.serve_forever, name="fakesocket", daemon=True)

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/link/?ticket={uuid.uuid4().hex}&app_id=A0TEST"

    def start(self) -> FakeSocketMode:
        self._thread.start()
        return self

    def stop(self) -> None:
        for conn in list(self.connections):
            conn.close()
        self._server.shutdown()

    def __enter__(self) -> FakeSocketMode:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _handler(self, conn: ServerConnection) -> None:
        with self._cond:
            self.connections.append(conn)
        conn.send(
            json.dumps(
                {
                    "type": "hello",
                    "num_connections": 1,
                    "debug_info": {"host": "applink-fake", "approximate_connection_time": 18060},
                    "connection_info": {"app_id": "A0TEST"},
                }
            )
        )
        with self._cond:
            self.hellos += 1
            self._cond.notify_all()
        try:
            for frame in conn:
                message = json.loads(frame)
                with self._cond:
                    if "envelope_id" in message:
                        self.acks[message["envelope_id"]] = message
                    self._cond.notify_all()
        except ConnectionClosed:
            pass
        finally:
            with self._cond:
                if conn in self.connections:
                    self.connections.remove(conn)
                self._cond.notify_all()

    def wait_connected(self, timeout: float = 10.0) -> ServerConnection:
        with self._cond:
            if not self._cond.wait_for(lambda: self.connections, timeout):
                raise AssertionError("the bot never connected to the Socket Mode endpoint")
            return self.connections[-1]

    def wait_for_hellos(self, count: int, timeout: float = 10.0) -> None:
        """Wait until ``count`` connections have been greeted and only the newest is still open."""
        with self._cond:
            if not self._cond.wait_for(lambda: self.hellos >= count and len(self.connections) == 1, timeout):
                raise AssertionError(f"{self.hellos} connections greeted, {len(self.connections)} open")

    def wait_disconnected(self, timeout: float = 10.0) -> None:
        with self._cond:
            if not self._cond.wait_for(lambda: not self.connections, timeout):
                raise AssertionError("the bot is still connected")

    def send_envelope(
        self,
        type_: str,
        payload: dict[str, Any],
        *,
        envelope_id: str | None = None,
        retry_attempt: int = 0,
        retry_reason: str = "",
    ) -> str:
        """Send one envelope the way Slack does; returns its envelope_id."""
        envelope_id = envelope_id or str(uuid.uuid4())
        envelope: dict[str, Any] = {
            "envelope_id": envelope_id,
            "payload": payload,
            "type": type_,
            "accepts_response_payload": type_ == "slash_commands",
        }
        if type_ == "events_api":
            envelope["retry_attempt"] = retry_attempt
            envelope["retry_reason"] = retry_reason
        self.wait_connected().send(json.dumps(envelope))
        return envelope_id

    def send_raw(self, message: Any, *, text: bool | None = None) -> None:
        """Send a frame as it is (str: text, bytes: binary; a list: fragments), malformed or not."""
        self.wait_connected().send(message, text=text)

    def wait_for_ack(self, envelope_id: str, timeout: float = 5.0) -> dict[str, Any]:
        with self._cond:
            if not self._cond.wait_for(lambda: envelope_id in self.acks, timeout):
                raise AssertionError(f"no ack for envelope {envelope_id}")
            return self.acks[envelope_id]

    def request_disconnect(self, reason: str = "refresh_requested") -> None:
        self.wait_connected().send(
            json.dumps({"type": "disconnect", "reason": reason, "debug_info": {"host": "applink-fake"}})
        )

    def drop_connections(self) -> None:
        for conn in list(self.connections):
            conn.close()
