"""HTTP mode: Bolt as a WSGI app (events, commands, interactivity at /slack/events; GET /healthz),
served by waitress, a production WSGI server."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from typing import Any

import waitress
from slack_bolt import App, BoltRequest
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_bolt.adapter.wsgi.http_response import WsgiHttpResponse
from slack_sdk.signature import SignatureVerifier

from .deps import IndexUnavailable

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
MAX_REQUEST_BYTES = 1 << 20
"""Slack's payloads are a few kilobytes; anything near this is not Slack."""

logger = logging.getLogger("awssec.http")


class SlackWsgiApp:
    """/slack/events to Bolt (which verifies signature and timestamp: 401 otherwise) and GET /healthz."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.verifier = SignatureVerifier(app.awssec_deps.settings.signing_secret)  # type: ignore[attr-defined]

    def health(self) -> dict[str, Any]:
        index = self.app.awssec_deps.index  # type: ignore[attr-defined]
        status = {"status": "ok", "mode": "http"}
        if isinstance(index, IndexUnavailable):
            status["index"] = f"unavailable: {index.reason}"
        else:
            status["index"] = f"{len(index.chunks)} chunks, built {index.built_at}"
        return status

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
        request = WsgiHttpRequest(environ)
        headers = request.get_headers()
        body = ""
        try:
            body = request.get_body()
            bolt_request = BoltRequest(body=body, query=request.query_string, headers=headers)
        except (ValueError, UnicodeDecodeError) as err:
            # A body Bolt cannot parse: 401 unless it is really signed by Slack, then 400. Nothing runs.
            if not self.verifier.is_valid_request(body, headers):
                return _json(start_response, "401 Unauthorized", {"error": "invalid request"})
            logger.warning("malformed request from Slack: %s", err)
            return _json(start_response, "400 Bad Request", {"error": "malformed request"})
        with self.app.awssec_deps.ack_first:  # type: ignore[attr-defined]
            response = self.app.dispatch(bolt_request)
        wsgi_response = WsgiHttpResponse(status=response.status, headers=response.headers, body=response.body)
        start_response(wsgi_response.status, wsgi_response.get_headers())
        return wsgi_response.get_body()


def _json(start_response: Callable[..., Any], status: str, body: dict[str, Any]) -> list[bytes]:
    data = json.dumps(body).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]


def create_http_server(app: App, host: str, port: int, threads: int = 8) -> Any:
    """A waitress server for the app (``.run()`` blocks, ``.close()`` stops, ``.effective_port``)."""
    return waitress.create_server(
        SlackWsgiApp(app),
        host=host,
        port=port,
        threads=threads,
        ident="awssec",
        max_request_body_size=MAX_REQUEST_BYTES,
        clear_untrusted_proxy_headers=True,
    )
