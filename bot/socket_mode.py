"""Socket Mode: the bot dials out to Slack over a WebSocket (no public URL), with a health endpoint.

apps.connections.open goes through the app's Web API client, so to SLACK_API_URL like every call.
Envelopes are acknowledged with their envelope_id by Bolt's Socket Mode adapter; the builtin client
reconnects on its own when Slack asks (``disconnect``) or the connection drops.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk.errors import SlackApiError

from .health import HealthServer

logger = logging.getLogger("awssec.socket")

FATAL_CONNECT_ERRORS = {
    "invalid_auth",
    "not_authed",
    "not_allowed_token_type",
    "token_revoked",
    "account_inactive",
    "missing_scope",
}
MAX_CONNECT_BACKOFF_SECONDS = 30.0


class SocketModeStartError(RuntimeError):
    """Slack refused the app-level token: retrying will not help."""


class _AckFirstHandler(SocketModeHandler):
    """Bolt's handler, with each envelope's dispatch and ack inside the app's AckFirst gate."""

    def handle(self, client: Any, req: Any) -> None:
        with self.app.awssec_deps.ack_first:  # type: ignore[attr-defined]
            super().handle(client, req)


class SocketModeRunner:
    """Connects the app over Socket Mode and serves GET /healthz (connected: 200, disconnected: 503)."""

    def __init__(
        self,
        app: App,
        app_token: str,
        *,
        health_host: str = "0.0.0.0",
        health_port: int | None = 3000,
        ping_interval: float = 10,
    ) -> None:
        self.app = app
        self.handler = _AckFirstHandler(
            app, app_token=app_token, web_client=app.client, ping_interval=ping_interval, concurrency=10
        )
        self.health = (
            HealthServer(health_host, health_port, self.health_check) if health_port is not None else None
        )
        self._stopped = threading.Event()

    def is_connected(self) -> bool:
        return self.handler.client.is_connected()

    def health_check(self) -> tuple[bool, dict[str, Any]]:
        connected = self.is_connected()
        return connected, {"status": "connected" if connected else "disconnected", "mode": "socket"}

    def start_health(self) -> None:
        if self.health is not None:
            self.health.start()
            logger.info("health endpoint on port %d: GET /healthz", self.health.port)

    def start(self) -> None:
        """Serve health, then connect; retry transient failures (backing off), raise on a refused token."""
        self.start_health()
        delay = 1.0
        while not self._stopped.is_set():
            try:
                self.handler.connect()
                logger.info("connected to Slack over Socket Mode")
                return
            except SlackApiError as err:
                error = err.response.get("error", "")
                if error in FATAL_CONNECT_ERRORS:
                    raise SocketModeStartError(
                        f"Slack refused the app-level token (apps.connections.open: {error}): check "
                        "SLACK_APP_TOKEN (an xapp- token with connections:write) and that Socket Mode is on"
                    ) from None
                logger.warning("apps.connections.open failed (%s); retrying in %.0f s", error, delay)
            except Exception as err:  # noqa: BLE001 - network trouble: keep trying, health says disconnected
                logger.warning("could not connect to Slack (%s); retrying in %.0f s", err, delay)
            self._stopped.wait(delay)
            delay = min(delay * 2, MAX_CONNECT_BACKOFF_SECONDS)

    def stop(self) -> None:
        self._stopped.set()
        try:
            self.handler.close()
        finally:
            if self.health is not None:
                self.health.stop()
