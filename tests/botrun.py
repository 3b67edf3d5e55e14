"""Running the real bot against the fake Slack in tests: HTTP mode behind waitress on 127.0.0.1."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from fakeslack import FakeSlack
from slack_bolt import App
from slack_sdk.signature import SignatureVerifier

from bot.config.settings import Settings
from bot.runtime import Runtime, build
from bot.services.index import IndexUnavailable
from bot.slack.http_mode import SlackWsgiApp, create_http_server
from bot.store import Store
from indexer.search.index import SearchIndex

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"


def bot_env(fake: FakeSlack, tmp_path: Any, **extra: str) -> dict[str, str]:
    return {
        "SLACK_BOT_TOKEN": fake.bot_token,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_APP_TOKEN": fake.app_token,
        "SLACK_API_URL": fake.api_url,
        "AWSSEC_DATA_DIR": str(tmp_path / "data"),
        **extra,
    }


@dataclass
class HttpResult:
    status: int
    body: bytes
    seconds: float

    def json(self) -> Any:
        return json.loads(self.body)


class HttpBot:
    """The real WSGI app served by waitress on 127.0.0.1, and a signer for Slack's requests."""

    def __init__(
        self, settings: Settings, index: SearchIndex | IndexUnavailable | None, store: Store, **options: Any
    ) -> None:
        """``index``: None for the bot's own (AWSSEC_INDEX, reloaded when rewritten); ``options``: more
        keyword arguments for ``bot.runtime.build``."""
        self.settings = settings
        self.store = store
        self.runtime: Runtime = build(settings, index=index, store=store, **options)
        self.app: App = self.runtime.app
        self.services = self.runtime.services
        wsgi_app = SlackWsgiApp(
            self.app,
            signing_secret=settings.signing_secret,
            ack_first=self.runtime.workers.ack_first,
            index=self.runtime.index.current,
        )
        self.server = create_http_server(wsgi_app, "127.0.0.1", 0, threads=8)
        self.url = f"http://127.0.0.1:{self.server.effective_port}"
        self.verifier = SignatureVerifier(settings.signing_secret)
        self._closing = False
        self._thread = threading.Thread(target=self._run, name="waitress", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self.server.run()
        except (OSError, ValueError):  # select() on the sockets close() just closed
            if not self._closing:
                raise

    def close(self) -> None:
        self._closing = True
        self.server.close()

    def post(
        self,
        body: str,
        content_type: str,
        *,
        timestamp: int | None = None,
        signature: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> HttpResult:
        ts = str(int(time.time()) if timestamp is None else timestamp)
        sig = signature or self.verifier.generate_signature(timestamp=ts, body=body)
        request = urllib.request.Request(
            f"{self.url}/slack/events",
            data=body.encode(),
            method="POST",
            headers={
                "X-Slack-Request-Timestamp": ts,
                "X-Slack-Signature": sig,
                "Content-Type": content_type,
                **(headers or {}),
            },
        )
        return _send(request)

    def command(self, fields: dict[str, str], **kwargs: Any) -> HttpResult:
        return self.post(urllib.parse.urlencode(fields), "application/x-www-form-urlencoded", **kwargs)

    def event(self, body: dict[str, Any], **kwargs: Any) -> HttpResult:
        return self.post(json.dumps(body), "application/json", **kwargs)

    def action(self, payload: dict[str, Any], **kwargs: Any) -> HttpResult:
        form = urllib.parse.urlencode({"payload": json.dumps(payload)})
        return self.post(form, "application/x-www-form-urlencoded", **kwargs)

    def get(self, path: str) -> HttpResult:
        return _send(urllib.request.Request(f"{self.url}{path}"))


def _send(request: urllib.request.Request) -> HttpResult:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return HttpResult(response.status, response.read(), time.perf_counter() - started)
    except urllib.error.HTTPError as err:
        return HttpResult(err.code, err.read(), time.perf_counter() - started)


def blocks_text(body: dict[str, Any]) -> str:
    """All the text of a message's blocks (and its fallback text), for assertions."""
    blocks = body.get("blocks") or []
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    parts = [str(body.get("text", ""))]
    for block in blocks:
        if "text" in block:
            parts.append(block["text"]["text"])
        for element in block.get("elements", []):
            parts.append(
                element.get("text", "")
                if isinstance(element.get("text"), str)
                else element.get("text", {}).get("text", "")
            )
    return "\n".join(parts)


def buttons(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """action_id -> button, over the message's actions blocks."""
    blocks = body.get("blocks") or []
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    return {e["action_id"]: e for b in blocks if b["type"] == "actions" for e in b["elements"]}
