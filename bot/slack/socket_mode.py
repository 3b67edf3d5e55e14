"""Socket Mode: the bot dials out to Slack over a WebSocket (no public URL), with a health endpoint.

The connection is slack_sdk's client on the ``websocket-client`` library (the builtin client's recursive
frame parser falls over on large frames). Every frame is checked before it reaches Bolt: a frame that is
not a well-formed envelope is logged in one line and dropped (an envelope with a usable id is acked, so
Slack does not send it again), and the next frames are handled as usual. apps.connections.open goes
through the app's Web API client, so to SLACK_API_URL like every call. The client reconnects when Slack
asks (``disconnect``), when the connection drops, and when Slack stops answering pings.
"""

from __future__ import annotations

import itertools
import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from queue import Empty
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.socket_mode.websocket_client import SocketModeHandler
from slack_sdk.errors import SlackApiError
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse
from slack_sdk.socket_mode.websocket_client import SocketModeClient
from slack_sdk.web import WebClient
from websocket import WebSocket, WebSocketApp, WebSocketException

from .health import HealthServer
from .payload_shape import payload_problem
from .web_client import copy_web_client
from .work import AckFirst

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
ACK_OVERDUE_SECONDS = 30.0
"""/healthz is unhealthy while a frame has waited longer than this to be handled (an envelope, for its
ack): Slack wants the ack within 3 s, so this only trips when the client has stopped handling frames."""


class SocketModeStartError(RuntimeError):
    """Slack refused the app-level token: retrying will not help."""


class NoSocketUrl(RuntimeError):
    """apps.connections.open answered without a WebSocket URL to connect to (a proxy or a Slack-compatible
    server that speaks the Web API but not Socket Mode): tried again, backing off."""


# -- frames -----------------------------------------------------------------------------------------


class FrameKind(StrEnum):
    ENVELOPE = "envelope"
    HELLO = "hello"
    DISCONNECT = "disconnect"
    BAD = "bad"


@dataclass(frozen=True)
class Frame:
    """One WebSocket message from Slack, checked."""

    kind: FrameKind
    message: dict[str, Any] = field(default_factory=dict)
    """The decoded JSON object (not for BAD)."""
    problem: str = ""
    """BAD: what is wrong, in a few words and without the frame's content."""
    envelope_id: str = ""
    """BAD: the envelope's id when it has a usable one (the envelope is acked, so not redelivered)."""


def read_frame(data: str | bytes) -> Frame:
    """Check one frame: a Socket Mode envelope Bolt can dispatch, ``hello``, ``disconnect``, or BAD."""
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return Frame(FrameKind.BAD, problem=f"{len(data)} bytes that are not UTF-8 text")
    else:
        text = data
    try:
        message = json.loads(text)
    except RecursionError:
        return Frame(FrameKind.BAD, problem=f"JSON nested too deeply ({len(text)} characters)")
    except ValueError:
        return Frame(FrameKind.BAD, problem=f"not JSON ({len(text)} characters)")
    if not isinstance(message, dict):
        return Frame(FrameKind.BAD, problem=f"a JSON {_json_type(message)} instead of an object")
    type_ = message.get("type")
    if type_ in ("hello", "disconnect") and "envelope_id" not in message:
        return Frame(FrameKind(type_), message)
    envelope_id = message.get("envelope_id")
    if not isinstance(envelope_id, str) or not envelope_id:
        return Frame(FrameKind.BAD, problem=f"a {_short(type_)} message without an envelope_id")
    problem = _envelope_problem(message)
    if problem:
        problem = f"envelope {_short(envelope_id)}: {problem}"
        return Frame(FrameKind.BAD, problem=problem, envelope_id=envelope_id)
    return Frame(FrameKind.ENVELOPE, message)


def _envelope_problem(envelope: dict[str, Any]) -> str:
    """What keeps Bolt and the listeners from handling this envelope, or '': its type, and its payload
    checked by the same rules as an HTTP request's body (``payload_shape``)."""
    if not isinstance(envelope.get("type"), str):
        return "no type"
    return payload_problem(envelope.get("payload")) or ""


def _json_type(value: object) -> str:
    names = {list: "array", str: "string", int: "number", float: "number", bool: "boolean"}
    return "null" if value is None else names.get(type(value), type(value).__name__)


def _short(value: object) -> str:
    text = value if isinstance(value, str) else type(value).__name__
    return text if len(text) <= 40 else text[:37] + "..."


# -- what the connection has been doing ----------------------------------------------------------------


@dataclass(frozen=True)
class ActivityReport:
    """Ages in seconds (None: never)."""

    unhandled_frames: int
    oldest_unhandled_seconds: float | None
    last_envelope_seconds_ago: float | None
    last_ack_seconds_ago: float | None
    reconnects: int


class SocketActivity:
    """Frames received and handled, envelopes, acks and connections, for /healthz (thread-safe)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._numbers = itertools.count()
        self._unhandled: dict[int, float] = {}
        self._last_envelope: float | None = None
        self._last_ack: float | None = None
        self._connections = 0

    def frame_received(self) -> int:
        """A frame arrived; returns its number for :meth:`frame_handled`."""
        with self._lock:
            number = next(self._numbers)
            self._unhandled[number] = self._clock()
            return number

    def frame_handled(self, number: int) -> None:
        with self._lock:
            self._unhandled.pop(number, None)

    def envelope_received(self) -> None:
        with self._lock:
            self._last_envelope = self._clock()

    def acked(self) -> None:
        with self._lock:
            self._last_ack = self._clock()

    def connection_opened(self) -> int:
        """Counts the connection; returns how many were opened so far."""
        with self._lock:
            self._connections += 1
            return self._connections

    def report(self) -> ActivityReport:
        with self._lock:
            now = self._clock()
            oldest = min(self._unhandled.values(), default=None)
            return ActivityReport(
                unhandled_frames=len(self._unhandled),
                oldest_unhandled_seconds=_age(now, oldest),
                last_envelope_seconds_ago=_age(now, self._last_envelope),
                last_ack_seconds_ago=_age(now, self._last_ack),
                reconnects=max(self._connections - 1, 0),
            )


def _reason(err: Exception) -> str:
    if isinstance(err, NoSocketUrl):
        return str(err)
    return str(err.response.get("error")) if isinstance(err, SlackApiError) else type(err).__name__


def _age(now: float, then: float | None) -> float | None:
    return None if then is None else round(now - then, 1)


# -- the client ---------------------------------------------------------------------------------------


class CheckedSocketModeClient(SocketModeClient):
    """slack_sdk's websocket-client based client, with every frame checked (:func:`read_frame`) and
    counted (:class:`SocketActivity`), a pong deadline, and reconnection in one place.

    slack_sdk's own reconnection (on every close, and from a monitor thread) also fires for a connection
    it has just replaced, or one not yet started, and so opens connections twice; here the thread that
    runs a connection opens the next one when it ends, unless it was replaced (Slack's ``disconnect``,
    which slack_sdk handles) or the client is closing, backing off while connections fail to open.
    Frames reach the client as bytes (UTF-8 is checked by :func:`read_frame`, so a bad frame is dropped
    instead of closing the connection); slack_sdk's log stays at INFO, as its debug lines print frames.
    """

    def __init__(
        self,
        app_token: str,
        *,
        web_client: WebClient,
        activity: SocketActivity,
        ping_interval: float = 10,
        concurrency: int = 10,
    ) -> None:
        # Set before the base class starts its threads, which use them at once.
        self.activity = activity
        self._closing = threading.Event()
        self._opened_session: WebSocketApp | None = None
        self._websocket: WebSocket | None = None
        self._retry_delay = 1.0
        """Seconds before the next attempt: doubles while connections fail, 1 again once one opens."""
        sdk_logger = logging.getLogger("awssec.socket.sdk")
        if sdk_logger.getEffectiveLevel() < logging.INFO:
            # slack_sdk's debug lines print whole frames, and fail on frames that are bytes
            sdk_logger.setLevel(logging.INFO)
        super().__init__(
            app_token=app_token,
            logger=sdk_logger,
            web_client=web_client,
            auto_reconnect_enabled=False,
            ping_interval=ping_interval,
            concurrency=concurrency,
            on_open_listeners=[self._opened],
        )

    # connections (slack_sdk's session thread)

    def _run_current_session(self) -> None:
        session = self.current_session
        if session is None or self._closing.is_set():
            return
        try:
            # As slack_sdk's, plus: no pong within half a ping interval closes the connection; frames
            # stay bytes (see read_frame).
            session.run_forever(
                ping_interval=self.ping_interval,
                ping_timeout=self.ping_interval / 2,
                skip_utf8_validation=True,
                http_proxy_host=self.http_proxy_host,
                http_proxy_port=self.http_proxy_port,
                http_proxy_auth=self.http_proxy_auth,
                proxy_type=self.proxy_type,
            )
        except Exception as err:  # a new connection follows
            logger.warning("the Socket Mode connection failed (%s)", type(err).__name__)
        finally:
            # websocket-client leaves the TCP socket open when the server closes first (until the
            # garbage collector finds it), and the server waits for it to close.
            websocket, self._websocket = self._websocket, None
            if websocket is not None:
                websocket.shutdown()
        if session is self.current_session and not self._closing.is_set():
            self._open_next(after_failure=session is not self._opened_session)

    def issue_new_wss_url(self) -> str:
        """apps.connections.open's WebSocket URL; :class:`NoSocketUrl` when the answer holds none."""
        url = super().issue_new_wss_url()
        if not isinstance(url, str) or not url.startswith(("wss://", "ws://")):
            given = f" (url: {_short(url)})" if url else ""
            raise NoSocketUrl(f"apps.connections.open answered without a WebSocket URL{given}")
        return url

    def _open_next(self, *, after_failure: bool) -> None:
        """Replace the connection that ended, waiting 1, 2, 4... 30 s between failed attempts (counted
        across connections that fail as soon as they are made, until one opens)."""
        if not after_failure:
            logger.info("the Socket Mode connection closed; opening a new one")
        while not self._closing.is_set():
            if after_failure:
                delay = self._retry_delay
                logger.warning("could not open a Socket Mode connection; trying again in %.0f s", delay)
                if self._closing.wait(delay):
                    return
                self._retry_delay = min(delay * 2, MAX_CONNECT_BACKOFF_SECONDS)
            try:
                self.connect_to_new_endpoint(force=True)
                return
            except Exception as err:  # apps.connections.open failed: try again
                logger.warning("apps.connections.open failed (%s)", _reason(err))
                after_failure = True

    def _opened(self, session: WebSocketApp) -> None:
        self._opened_session = session
        self._retry_delay = 1.0
        self._websocket = session.sock
        count = self.activity.connection_opened()
        if count == 1:
            logger.info("connected to Slack over Socket Mode")
        else:
            logger.info("reconnected to Slack over Socket Mode (connection %d)", count)

    def enqueue_message(self, message: str | bytes) -> None:
        self.message_queue.put((self.activity.frame_received(), message))

    # handling (slack_sdk's message processor thread, then its worker threads)

    def process_message(self) -> None:
        try:
            number, data = self.message_queue.get(timeout=1)
        except Empty:
            return
        frame = read_frame(data)
        if frame.kind is FrameKind.ENVELOPE:
            self.activity.envelope_received()
            self.message_workers.submit(self._handle_envelope, number, frame.message)
            return
        try:
            if frame.kind is FrameKind.DISCONNECT:
                logger.info("Slack asked for a new connection (%s)", _short(frame.message.get("reason")))
                self.connect_to_new_endpoint(force=True)
            elif frame.kind is FrameKind.BAD:
                logger.warning("dropped a Socket Mode frame: %s", frame.problem)
                if frame.envelope_id:
                    self._send_ack(SocketModeResponse(envelope_id=frame.envelope_id))
        except Exception as err:  # the old connection's end brings the next attempt
            logger.warning("could not open a new Socket Mode connection (%s)", _reason(err))
        finally:
            self.activity.frame_handled(number)

    def _handle_envelope(self, number: int, message: dict[str, Any]) -> None:
        try:
            self.run_message_listeners(message, "")
        finally:
            self.activity.frame_handled(number)

    def send_socket_mode_response(self, response: dict[str, Any] | SocketModeResponse) -> None:
        super().send_socket_mode_response(response)
        self.activity.acked()

    def _send_ack(self, response: SocketModeResponse) -> None:
        try:
            self.send_socket_mode_response(response)
        except WebSocketException as err:
            logger.warning("could not ack envelope %s (%s)", response.envelope_id, type(err).__name__)

    def is_open(self) -> bool:
        """A connection has done its handshake and is not closing (slack_sdk's ``is_connected`` is
        already true while a connection is being attempted)."""
        session = self.current_session
        websocket = session.sock if session is not None else None
        return websocket is not None and websocket.connected

    def receiving(self) -> bool:
        """The threads that read frames and hand them out are running."""
        return self.current_session_runner.is_alive() and self.message_processor.is_alive()

    def close(self) -> None:
        self._closing.set()
        super().close()


class _AckFirstHandler(SocketModeHandler):
    """Bolt's websocket-client handler; each envelope's dispatch and ack are inside the AckFirst gate."""

    def __init__(self, app: App, client: CheckedSocketModeClient, ack_first: AckFirst) -> None:
        # Not SocketModeHandler.__init__, which would build an unchecked client of its own.
        self.app = app
        self.app_token = client.app_token
        self.client = client
        self.ack_first = ack_first
        client.socket_mode_request_listeners.append(self.handle)

    def handle(self, client: Any, req: SocketModeRequest) -> None:
        with self.ack_first:
            try:
                super().handle(client, req)
            except WebSocketException as err:  # the connection went away before the ack
                logger.warning("could not ack envelope %s (%s)", req.envelope_id, type(err).__name__)


# -- running ------------------------------------------------------------------------------------------


class SocketStatus(StrEnum):
    CONNECTED = "connected"
    DISCONNECTED = "disconnected"
    STALLED = "stalled"
    """Connected, but a frame has waited longer than the overdue limit to be handled (acked)."""
    STOPPED = "stopped"
    """The client's receiving threads are not running."""


class SocketModeRunner:
    """Connects the app over Socket Mode and serves GET /healthz: 200 only while connected and handling
    frames; 503 when disconnected, stalled (a frame unhandled for ``ack_overdue_seconds``) or stopped.
    Each envelope is dispatched inside the ``ack_first`` gate."""

    def __init__(
        self,
        app: App,
        app_token: str,
        *,
        ack_first: AckFirst,
        health_host: str = "0.0.0.0",
        health_port: int | None = 3000,
        ping_interval: float = 10,
        ack_overdue_seconds: float = ACK_OVERDUE_SECONDS,
    ) -> None:
        self.app = app
        self.ack_overdue_seconds = ack_overdue_seconds
        self.activity = SocketActivity()
        # apps.connections.open is retried by the reconnect loop, with its backoff and one log line each
        # time: the Web API client's own connection retry would only add a line and a wait.
        web_client = copy_web_client(app.client, token=app.client.token, connection_retries=False)
        self.client = CheckedSocketModeClient(
            app_token, web_client=web_client, activity=self.activity, ping_interval=ping_interval
        )
        self.handler = _AckFirstHandler(app, self.client, ack_first)
        self.health = (
            HealthServer(health_host, health_port, self.health_check) if health_port is not None else None
        )
        self._stopped = threading.Event()

    def is_connected(self) -> bool:
        return self.client.is_open()

    def status(self, report: ActivityReport) -> SocketStatus:
        if not self.client.receiving():
            return SocketStatus.STOPPED
        if not self.client.is_open():
            return SocketStatus.DISCONNECTED
        overdue = report.oldest_unhandled_seconds
        if overdue is not None and overdue > self.ack_overdue_seconds:
            return SocketStatus.STALLED
        return SocketStatus.CONNECTED

    def health_check(self) -> tuple[bool, dict[str, Any]]:
        report = self.activity.report()
        status = self.status(report)
        return status is SocketStatus.CONNECTED, {
            "status": status.value,
            "mode": "socket",
            "reconnects": report.reconnects,
            "unhandled_frames": report.unhandled_frames,
            "oldest_unhandled_seconds": report.oldest_unhandled_seconds,
            "last_envelope_seconds_ago": report.last_envelope_seconds_ago,
            "last_ack_seconds_ago": report.last_ack_seconds_ago,
            "ack_overdue_seconds": self.ack_overdue_seconds,
        }

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
                return
            except SlackApiError as err:
                error = err.response.get("error", "")
                if error in FATAL_CONNECT_ERRORS:
                    raise SocketModeStartError(
                        f"Slack refused the app-level token (apps.connections.open: {error}): check "
                        "SLACK_APP_TOKEN (an xapp- token with connections:write) and that Socket Mode is on"
                    ) from None
                logger.warning("apps.connections.open failed (%s); retrying in %.0f s", error, delay)
            except Exception as err:  # network trouble: keep trying, health says disconnected
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
