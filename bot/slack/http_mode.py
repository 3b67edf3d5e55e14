"""HTTP mode: Bolt as a WSGI app (events, commands, interactivity at /slack/events; GET /healthz),
served by waitress, a production WSGI server.

A request to /slack/events is checked before Bolt sees it, cheapest first: its signature and timestamp on
the raw bytes (401, nothing parsed), then the body's syntax and the payload's shape (400). Only a signed,
well-formed payload is dispatched, already parsed, to Bolt.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

import waitress
from slack_bolt import App, BoltRequest
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_bolt.adapter.wsgi.http_response import WsgiHttpResponse

from indexer.search.index import SearchIndex

from ..config.logs import failure_line
from ..services.index import IndexUnavailable, describe_index
from .payload_shape import payload_problem
from .work import AckFirst

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
MAX_REQUEST_BYTES = 1 << 20
"""Slack's payloads are a few kilobytes; anything near this is not Slack."""
MAX_FORM_FIELDS = 100
SIGNATURE_MAX_AGE_SECONDS = 5 * 60
"""Slack's advice: refuse a request whose timestamp is further than this from now (replays)."""
TIMESTAMP = re.compile(r"[0-9]{1,12}")

logger = logging.getLogger("awssec.http")


class MalformedBody(ValueError):
    """A signed body that is not a payload: the message says what is wrong, never what it contains."""


def signature_problem(
    raw_body: bytes, timestamp: str | None, signature: str | None, signing_secret: str, now: float
) -> str | None:
    """Why the request is not Slack's (None if it is): Slack signs ``v0:<timestamp>:<raw body>`` with
    HMAC-SHA256 and the signing secret, and a timestamp more than 5 minutes from ``now`` is a replay.

    Computed on the raw bytes, before anything is decoded or parsed; header values are as WSGI gives them
    (latin-1), so any header, missing, repeated or not ASCII, is an answer here and never an exception.
    """
    if not timestamp:
        return "no timestamp"
    if not TIMESTAMP.fullmatch(timestamp):
        return "a malformed timestamp"
    if abs(now - int(timestamp)) > SIGNATURE_MAX_AGE_SECONDS:
        return "a stale timestamp"
    if not signature:
        return "no signature"
    digest = hmac.new(signing_secret.encode(), b"v0:%s:%s" % (timestamp.encode(), raw_body), hashlib.sha256)
    if not hmac.compare_digest(b"v0=" + digest.hexdigest().encode(), signature.encode("latin-1", "replace")):
        return "a wrong signature"
    return None


def parse_payload(raw_body: bytes, content_type: str) -> Any:
    """The payload of a body as Slack sends them: JSON (events), a form whose one ``payload`` field is JSON
    (interactivity), or a plain form (slash commands, ssl_check). JSON is recognised as Bolt does: by its
    content type or a leading ``{``. Raises MalformedBody."""
    try:
        text = raw_body.decode("utf-8")
    except UnicodeDecodeError:
        raise MalformedBody("the body is not UTF-8") from None
    if content_type == "application/json" or text.startswith("{"):
        return _json_value(text, "the body")
    try:
        fields = parse_qs(text, keep_blank_values=True, max_num_fields=MAX_FORM_FIELDS)
    except ValueError:
        raise MalformedBody(f"the form has more than {MAX_FORM_FIELDS} fields") from None
    if any(len(values) > 1 for values in fields.values()):
        raise MalformedBody("a field of the form is there more than once")
    form = {name: values[0] for name, values in fields.items()}
    if "payload" in form:
        return _json_value(form["payload"], "the `payload` field")
    return form


def _json_value(text: str, what: str) -> Any:
    try:
        return json.loads(text)
    except RecursionError:
        raise MalformedBody(f"{what} nests too deep") from None
    except ValueError as err:  # JSONDecodeError, or an integer of more than 4,300 digits
        reason = f"at line {err.lineno} column {err.colno}" if isinstance(err, json.JSONDecodeError) else ""
        raise MalformedBody(f"{what} is not valid JSON {reason}".rstrip()) from None


class SlackWsgiApp:
    """/slack/events to Bolt once signed (with ``signing_secret``) and well-formed (401 unsigned or stale,
    400 malformed), each dispatch inside the ``ack_first`` gate; and GET /healthz, naming ``index``."""

    def __init__(
        self,
        app: App,
        *,
        signing_secret: str,
        ack_first: AckFirst,
        index: Callable[[], SearchIndex | IndexUnavailable],
    ) -> None:
        """``index``: the bot's index as it stands, for /healthz."""
        self.app = app
        self.signing_secret = signing_secret
        self.ack_first = ack_first
        self.index = index

    def health(self) -> dict[str, Any]:
        index = self.index()
        status = "degraded" if isinstance(index, IndexUnavailable) else "ok"  # up, but cannot answer
        return {"status": status, "mode": "http", "index": describe_index(index)}

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        if path == HEALTH_PATH and method in ("GET", "HEAD"):
            return _json(start_response, "200 OK", self.health())
        if path == EVENTS_PATH:
            if method != "POST":
                return _json(start_response, "405 Method Not Allowed", {"error": "POST only"})
            return self.slack_request(environ, start_response)
        return _json(start_response, "404 Not Found", {"error": "not found"})

    def slack_request(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        raw_body = _read_body(environ)
        headers = WsgiHttpRequest(environ).get_headers()
        unsigned = signature_problem(
            raw_body,
            _header(headers, "x-slack-request-timestamp"),
            _header(headers, "x-slack-signature"),
            self.signing_secret,
            time.time(),
        )
        if unsigned:
            logger.info("401: a request with %s (from %s)", unsigned, environ.get("REMOTE_ADDR", "?"))
            return _json(start_response, "401 Unauthorized", {"error": "invalid request"})
        try:
            return self.signed_request(raw_body, headers, environ.get("QUERY_STRING", ""), start_response)
        except Exception as err:  # the last line of defence: one line, never a 5xx
            logger.error("400: a signed request failed: %s", failure_line(err))
            logger.debug("the failure's traceback", exc_info=err)
            return _json(start_response, "400 Bad Request", {"error": "malformed request"})

    def signed_request(
        self, raw_body: bytes, headers: dict[str, Any], query: str, start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        try:
            payload = parse_payload(raw_body, _content_type(headers))
        except MalformedBody as err:
            return _malformed(start_response, str(err))
        problem = payload_problem(payload)
        if problem:
            return _malformed(start_response, problem)
        # Parsed and verified here, the payload goes to Bolt as a dict, the way Bolt takes Socket Mode's
        # (equally authenticated) envelopes: Bolt does not parse the raw body again by its own rules, and
        # does not check the signature a second time.
        request = BoltRequest(body=payload, query=query, headers=headers, mode="socket_mode")
        with self.ack_first:
            response = self.app.dispatch(request)
        if response.status == 404 and payload.get("type") == "event_callback":
            # an event the bot has no listener for (one subscribed later, reaction_added): acked, so Slack
            # does not count a failed delivery and retry it
            logger.debug("an event of type %r, not handled: acked", payload["event"].get("type"))
            return _json(start_response, "200 OK", {"ok": True})
        wsgi_response = WsgiHttpResponse(status=response.status, headers=response.headers, body=response.body)
        start_response(wsgi_response.status, wsgi_response.get_headers())
        return wsgi_response.get_body()


def _read_body(environ: dict[str, Any]) -> bytes:
    stream = environ.get("wsgi.input")
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if stream is None or length <= 0:
        return b""
    return stream.read(min(length, MAX_REQUEST_BYTES))


def _header(headers: dict[str, Any], name: str) -> str | None:
    value = headers.get(name)
    return value if isinstance(value, str) else None


def _content_type(headers: dict[str, Any]) -> str:
    return (_header(headers, "content-type") or "").split(";")[0].strip().lower()


def _malformed(start_response: Callable[..., Any], problem: str) -> list[bytes]:
    logger.warning("400: a signed request that is not a Slack payload: %s", problem)
    return _json(start_response, "400 Bad Request", {"error": "malformed request", "problem": problem})


def _json(start_response: Callable[..., Any], status: str, body: dict[str, Any]) -> list[bytes]:
    data = json.dumps(body).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]


def create_http_server(wsgi_app: SlackWsgiApp, host: str, port: int, threads: int = 8) -> Any:
    """A waitress server for the app (``.run()`` blocks, ``.close()`` stops, ``.effective_port``)."""
    return waitress.create_server(
        wsgi_app,
        host=host,
        port=port,
        threads=threads,
        ident="awssec",
        max_request_body_size=MAX_REQUEST_BYTES,
        clear_untrusted_proxy_headers=True,
    )
