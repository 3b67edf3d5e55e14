"""A local stand-in for Slack (127.0.0.1 only): what ``awssec console`` talks to, and the tests' Slack.

``FakeSlack`` serves the Web API (``/api/<method>``) and response_urls (``/response/<name>``) from a
threaded ``http.server``, records every call with its body and the reply it got, validates Block Kit
limits like Slack does (``invalid_blocks``), and can be told to fail the next calls (429 with
Retry-After, ok:false) or to be slow to reply to them (``hold_next``). What the bot posts can be read
back with conversations.history and conversations.replies (with its metadata). The functions at the end
build the payloads Slack sends (slash commands, events, button clicks).
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlparse

BOT_USER_ID = "UAWSSECBOT"
BOT_ID = "BAWSSECBOT"
TEAM_ID = "T0TEST"


@dataclass
class Call:
    """One request the fake received."""

    kind: str
    """``api`` or ``response_url``."""
    name: str
    """The Web API method (``chat.postMessage``) or the response_url name."""
    headers: dict[str, str]
    body: dict[str, Any]
    raw: bytes
    at: float = field(default_factory=time.monotonic)
    reply: Any = None
    """What the fake answered: the Web API's JSON, or the response_url's bytes."""

    @property
    def token(self) -> str:
        auth = self.headers.get("authorization", "")
        return auth.removeprefix("Bearer ") if auth else str(self.body.get("token", ""))


@dataclass
class Failure:
    status: int
    headers: dict[str, str]
    body: dict[str, Any]


def block_kit_problems(payload: dict[str, Any]) -> list[str]:
    """What Slack would reject in a message's blocks (the limits the bot promises to keep)."""
    blocks = payload.get("blocks")
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    problems: list[str] = []
    if not blocks:
        return problems
    if len(blocks) > 50:
        problems.append(f"{len(blocks)} blocks > 50")
    for block in blocks:
        text = (block.get("text") or {}).get("text", "")
        if block.get("type") == "section" and not 1 <= len(text) <= 3000:
            problems.append(f"section text of {len(text)} characters")
        for element in block.get("elements", []):
            if len(str(element.get("value", ""))) > 2000:
                problems.append("button value > 2000 characters")
            if element.get("type") in ("mrkdwn", "plain_text") and len(element.get("text", "")) > 3000:
                problems.append("context text > 3000 characters")
    return problems


class _Server(ThreadingHTTPServer):
    # http.server's listen backlog of 5 drops connections under concurrent load, and the client's
    # retry a second later would be measured as the bot's latency.
    request_queue_size = 128


class FakeSlack:
    """The Web API and response_urls on 127.0.0.1, recording everything."""

    def __init__(
        self, *, bot_token: str = "xoxb-test-bot-token", app_token: str = "xapp-test-app-token"
    ) -> None:
        self.bot_token = bot_token
        self.app_token = app_token
        self.calls: list[Call] = []
        self.socket_url = ""
        self._failures: dict[str, list[Failure]] = {}
        self._holds: dict[str, list[float | None]] = {}
        self._released = threading.Event()
        self._posted: list[dict[str, Any]] = []
        self._cond = threading.Condition()
        self._last_ts_us = 0
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("content-length") or 0))
                status, headers, body = fake._handle(self.path, dict(self.headers.items()), raw)
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header(
                    "content-type", "application/json" if not isinstance(body, bytes) else "text/plain"
                )
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (see hold_next)

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self._thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, name="fakeslack", daemon=True
        )

    # -- lifecycle ------------------------------------------------------------------------------------

    def start(self) -> FakeSlack:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.release()
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self, name: str | None = None) -> str:
        return f"http://127.0.0.1:{self.port}/response/{name or uuid.uuid4().hex}"

    # -- scripting ------------------------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        *,
        status: int = 200,
        headers: dict[str, str] | None = None,
        error: str = "",
        times: int = 1,
    ) -> None:
        """Fail the next ``times`` calls of ``method``: an HTTP status (429...) or ``ok: false, error``."""
        body = {"ok": False, "error": error or ("ratelimited" if status == 429 else "fatal_error")}
        with self._cond:
            self._failures.setdefault(method, []).extend(
                Failure(status, dict(headers or {}), body) for _ in range(times)
            )

    def hold_next(self, method: str, *, times: int = 1, seconds: float | None = None) -> None:
        """Reply to the next ``times`` calls of ``method`` only after ``seconds`` or, by default, once
        :meth:`release` is called. Each call takes effect when it arrives (a message is posted at once),
        as when Slack is slow to answer: a client that gives up waiting cannot tell it went through."""
        with self._cond:
            self._holds.setdefault(method, []).extend([seconds] * times)

    def release(self) -> None:
        """Reply to every call held by :meth:`hold_next` (now and from now on)."""
        self._released.set()

    # -- reading what happened ------------------------------------------------------------------------

    def api_calls(self, method: str | None = None) -> list[Call]:
        with self._cond:
            return [c for c in self.calls if c.kind == "api" and (method is None or c.name == method)]

    def responses(self, name: str | None = None) -> list[Call]:
        with self._cond:
            return [c for c in self.calls if c.kind == "response_url" and (name is None or c.name == name)]

    def messages(self) -> list[Call]:
        """Everything the bot said: chat.postMessage calls and response_url posts."""
        with self._cond:
            return [
                c
                for c in self.calls
                if c.kind == "response_url" or c.name in ("chat.postMessage", "chat.postEphemeral")
            ]

    def wait_for(self, predicate: Callable[[FakeSlack], Any], timeout: float = 5.0) -> Any:
        """Wait until ``predicate(self)`` is truthy; return its value or raise AssertionError."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                value = predicate(self)
                if value:
                    return value
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"timed out waiting; calls so far: {[c.name for c in self.calls]}")
                self._cond.wait(left)

    def wait_for_messages(self, count: int = 1, timeout: float = 5.0) -> list[Call]:
        return self.wait_for(lambda f: f.messages() if len(f.messages()) >= count else None, timeout)

    # -- the server side ------------------------------------------------------------------------------

    def _handle(self, path: str, headers: dict[str, str], raw: bytes) -> tuple[int, dict[str, str], Any]:
        headers = {k.lower(): v for k, v in headers.items()}
        content_type = headers.get("content-type", "")
        try:
            if "json" in content_type:
                body = json.loads(raw or b"{}")
            else:
                body = dict(parse_qsl(raw.decode(), keep_blank_values=True))
        except ValueError:
            body = {"_unparsable": raw.decode(errors="replace")}
        route = urlparse(path).path
        if route.startswith("/api/"):
            call = Call("api", route.removeprefix("/api/"), headers, body, raw)
        elif route.startswith("/response/"):
            call = Call("response_url", route.removeprefix("/response/"), headers, body, raw)
        else:
            return 404, {}, {"ok": False, "error": "not_found"}
        with self._cond:
            self.calls.append(call)
            failures = self._failures.get(call.name)
            failure = failures.pop(0) if failures else None
            holds = self._holds.get(call.name)
            hold = holds.pop(0) if holds else False
            self._cond.notify_all()
        reply = self._reply(call, failure)
        call.reply = reply[2]
        if hold is not False:
            self._released.wait(hold)
        return reply

    def _reply(self, call: Call, failure: Failure | None) -> tuple[int, dict[str, str], Any]:
        if failure is not None:
            return failure.status, failure.headers, failure.body
        if call.kind == "response_url":
            problems = block_kit_problems(call.body)
            if problems:
                return 400, {}, b"invalid_blocks"
            return 200, {}, b"ok"
        return 200, {}, self._api(call)

    def _api(self, call: Call) -> dict[str, Any]:
        method, body = call.name, call.body
        if method == "apps.connections.open":
            if not call.token.startswith("xapp-"):
                return {"ok": False, "error": "not_allowed_token_type"}
            if call.token != self.app_token:
                return {"ok": False, "error": "invalid_auth"}
            return {"ok": True, "url": self.socket_url}
        if call.token != self.bot_token:
            return {"ok": False, "error": "invalid_auth" if call.token else "not_authed"}
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://awssec-test.slack.com/",
                "team": "Test",
                "user": "awssec",
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "bot_id": BOT_ID,
            }
        if method in ("chat.postMessage", "chat.postEphemeral", "chat.update"):
            if not body.get("channel"):
                return {"ok": False, "error": "channel_not_found"}
            if not body.get("text") and not body.get("blocks"):
                return {"ok": False, "error": "no_text"}
            if block_kit_problems(body):
                return {"ok": False, "error": "invalid_blocks", "errors": block_kit_problems(body)}
            ts = self.next_ts()
            if method == "chat.postMessage":
                self._record_post(body, ts)
            return {
                "ok": True,
                "channel": body["channel"],
                "ts": ts,
                "message": {"text": body.get("text"), "ts": ts},
            }
        if method in ("conversations.history", "conversations.replies"):
            return {"ok": True, "messages": self._read_back(method, body), "has_more": False}
        return {"ok": False, "error": "unknown_method"}

    def next_ts(self) -> str:
        """A message ts as Slack makes them: the time it was posted, unique and increasing."""
        with self._cond:
            self._last_ts_us = max(time.time_ns() // 1000, self._last_ts_us + 1)
            us = self._last_ts_us
        return f"{us // 1_000_000}.{us % 1_000_000:06d}"

    def _record_post(self, body: dict[str, Any], ts: str) -> None:
        metadata = body.get("metadata")
        if isinstance(metadata, str):
            metadata = json.loads(metadata)
        message = {
            "type": "message",
            "channel": body["channel"],
            "ts": ts,
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
            "text": body.get("text", ""),
            "metadata": metadata,
        }
        if body.get("thread_ts"):
            message["thread_ts"] = body["thread_ts"]
        with self._cond:
            self._posted.append(message)

    def _read_back(self, method: str, body: dict[str, Any]) -> list[dict[str, Any]]:
        """What the bot posted in a channel (newest first) or a thread (oldest first), like Slack returns
        it: after ``oldest``, metadata only with ``include_all_metadata``."""
        oldest = float(body.get("oldest") or 0)
        with_metadata = str(body.get("include_all_metadata", "")).lower() in ("1", "true")
        with self._cond:
            posted = [
                m for m in self._posted if m["channel"] == body.get("channel") and float(m["ts"]) > oldest
            ]
        if method == "conversations.replies":
            found = [m for m in posted if body.get("ts") in (m["ts"], m.get("thread_ts"))]
        else:
            found = [m for m in reversed(posted) if m.get("thread_ts", m["ts"]) == m["ts"]]
        return [m if with_metadata else {k: v for k, v in m.items() if k != "metadata"} for m in found]


# -- payloads as Slack sends them ---------------------------------------------------------------------


def slash_command(
    text: str,
    *,
    response_url: str,
    user_id: str = "U0ASKER",
    channel_id: str = "C0GENERAL",
    command: str = "/awssec",
) -> dict[str, str]:
    return {
        "token": "verification-token-unused",
        "team_id": TEAM_ID,
        "team_domain": "awssec-test",
        "channel_id": channel_id,
        "channel_name": "general",
        "user_id": user_id,
        "user_name": "asker",
        "command": command,
        "text": text,
        "api_app_id": "A0TEST",
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": f"{int(time.time())}.1.{uuid.uuid4().hex[:8]}",
    }


def event_callback(event: dict[str, Any], *, event_id: str | None = None) -> dict[str, Any]:
    return {
        "token": "verification-token-unused",
        "team_id": TEAM_ID,
        "api_app_id": "A0TEST",
        "event": event,
        "type": "event_callback",
        "event_id": event_id or f"Ev{uuid.uuid4().hex[:10].upper()}",
        "event_time": int(time.time()),
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
        "event_context": "4-fake",
    }


def mention_event(
    text: str,
    *,
    channel: str = "C0GENERAL",
    user: str = "U0ASKER",
    ts: str | None = None,
    thread_ts: str | None = None,
) -> dict[str, Any]:
    event = {
        "type": "app_mention",
        "user": user,
        "text": f"<@{BOT_USER_ID}> {text}",
        "ts": ts or f"{time.time():.6f}",
        "channel": channel,
        "event_ts": ts or f"{time.time():.6f}",
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def dm_event(
    text: str, *, channel: str = "D0DIRECT", user: str = "U0ASKER", ts: str | None = None, **extra: Any
) -> dict[str, Any]:
    ts = ts or f"{time.time():.6f}"
    return {
        "type": "message",
        "channel_type": "im",
        "user": user,
        "text": text,
        "ts": ts,
        "channel": channel,
        "event_ts": ts,
        **extra,
    }


def block_action(
    action_id: str,
    value: str,
    *,
    response_url: str,
    user_id: str = "U0ASKER",
    channel_id: str = "C0GENERAL",
    message_ts: str = "1700000000.000100",
) -> dict[str, Any]:
    return {
        "type": "block_actions",
        "user": {"id": user_id, "username": "asker", "name": "asker", "team_id": TEAM_ID},
        "api_app_id": "A0TEST",
        "token": "verification-token-unused",
        "container": {
            "type": "message",
            "message_ts": message_ts,
            "channel_id": channel_id,
            "is_ephemeral": True,
        },
        "trigger_id": f"{int(time.time())}.1.{uuid.uuid4().hex[:8]}",
        "team": {"id": TEAM_ID, "domain": "awssec-test"},
        "channel": {"id": channel_id, "name": "general"},
        "response_url": response_url,
        "actions": [
            {
                "action_id": action_id,
                "block_id": "awssec_answer_actions",
                "text": {"type": "plain_text", "text": "x"},
                "value": value,
                "type": "button",
                "action_ts": f"{time.time():.6f}",
            }
        ],
    }
