"""``awssec console``: the real bot, driven from a terminal (or a pipe), no Slack needed.

Typed lines become the payloads Slack would send (slash command, app_mention, direct message, button
click) and are dispatched to the real Bolt app in-process; the bot's Web API calls and response_url
posts go to a small local stand-in for Slack on 127.0.0.1, and each message is printed as text.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
from dataclasses import dataclass, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import parse_qsl, urlparse

from slack_bolt import App, BoltRequest
from slack_sdk import WebClient

from .blocks import escape, unescape
from .config.settings import Settings, SettingsError

CONSOLE_USER = "UCONSOLE"
BOT_USER = "UAWSSECBOT"
CHANNEL = "CGENERAL"
DM_CHANNEL = "DCONSOLE"
TEAM = "TCONSOLE"
CONSOLE_TOKEN = "xoxb-console-not-a-real-token"

HELP = """\
awssec console — the bot as Slack would drive it, in your terminal.
  /awssec <question>   slash command in #general (answers only you see)
  /awssec help         subcommands: help, sources, ...
  @awssec <question>   mention in #general (answered in a thread)
  <anything else>      a direct message to the bot
  <number>             click the button with that number
  quit                 leave (or Ctrl-D)
"""


@dataclass(frozen=True)
class Posted:
    """One message the bot sent."""

    where: str
    body: dict[str, Any]
    response_url: str
    ts: str


@dataclass(frozen=True)
class Clickable:
    button: dict[str, Any]
    posted: Posted


class LocalSlack:
    """Answers the bot's Web API calls and response_url posts, and keeps what it was sent, in order."""

    def __init__(self) -> None:
        self.posted: list[Posted] = []
        self._lock = threading.Lock()
        self._ts = itertools.count(1)
        self._response_where: dict[str, str] = {}
        local = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("content-length") or 0))
                if "json" in (self.headers.get("content-type") or ""):
                    body = json.loads(raw or b"{}")
                else:
                    body = dict(parse_qsl(raw.decode()))
                reply = local.handle(urlparse(self.path).path, body)
                data = json.dumps(reply).encode() if isinstance(reply, dict) else reply
                self.send_response(200)
                self.send_header(
                    "content-type", "application/json" if isinstance(reply, dict) else "text/plain"
                )
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, name="console-slack", daemon=True).start()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def new_response_url(self, where: str) -> str:
        name = f"r{next(self._ts)}"
        self._response_where[name] = where
        return f"http://127.0.0.1:{self.port}/response/{name}"

    def next_ts(self) -> str:
        return f"{int(time.time())}.{next(self._ts):06d}"

    def handle(self, path: str, body: dict[str, Any]) -> dict[str, Any] | bytes:
        if path.startswith("/response/"):
            where = self._response_where.get(path.removeprefix("/response/"), "#general")
            kind = body.get("response_type") or "ephemeral"
            label = where if kind == "in_channel" else f"{where}, only visible to you"
            self._record(Posted(label, body, f"http://127.0.0.1:{self.port}{path}", ""))
            return b"ok"
        method = path.removeprefix("/api/")
        if method == "auth.test":
            return {"ok": True, "user_id": BOT_USER, "bot_id": "BCONSOLE", "team_id": TEAM, "user": "awssec"}
        if method in ("chat.postMessage", "chat.postEphemeral"):
            ts = self.next_ts()
            channel = body.get("channel", "")
            where = "direct message" if channel.startswith("D") else "#general"
            if body.get("thread_ts"):
                where += ", in the thread"
            url = self.new_response_url(where.split(",")[0])
            self._record(Posted(where, body, url, ts))
            return {"ok": True, "channel": channel, "ts": ts}
        return {"ok": True}

    def _record(self, posted: Posted) -> None:
        with self._lock:
            self.posted.append(posted)

    def take(self) -> list[Posted]:
        with self._lock:
            taken, self.posted = self.posted, []
        return taken

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


_LINK = re.compile(r"<([^|>]+)\|([^>]+)>")
_BOLD = re.compile(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])")
_EMOJI = {":page_facing_up:": "📄"}


def mrkdwn_to_text(text: str) -> str:
    """mrkdwn as a person reads it: links as ``label (url)``, bold markers dropped, entities decoded."""
    text = _LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})", text)
    text = re.sub(r"<@([A-Z0-9]+)>", r"@\1", text)
    text = _BOLD.sub(r"\1", text)
    for code, emoji in _EMOJI.items():
        text = text.replace(code, emoji)
    return unescape(text)


class Console:
    """Turns typed lines into Slack payloads for ``app`` and prints what the bot sends back."""

    def __init__(self, app: App, slack: LocalSlack, out: TextIO) -> None:
        self.app = app
        self.slack = slack
        self.out = out
        self.buttons: dict[int, Clickable] = {}
        self._numbers = itertools.count(1)

    def handle_line(self, line: str) -> bool:
        """Act on one typed line; False when the person wants to leave."""
        line = line.strip()
        if not line:
            return True
        if line.lower() in ("quit", "exit", "/quit"):
            return False
        if line.isdigit():
            self.click(int(line))
        elif line.lower() == "/awssec" or line.lower().startswith("/awssec "):
            self.slash_command(line[len("/awssec") :].strip())
        elif line.startswith("/"):
            self.say(f"Unknown command {line.split()[0]!r}: the bot's command is /awssec (try /awssec help).")
            return True
        elif line.lower().startswith("@awssec"):
            self.mention(line[len("@awssec") :].strip())
        else:
            self.direct_message(line)
        self.show(self.slack.take())
        return True

    # -- what Slack would send ------------------------------------------------------------------------

    def slash_command(self, text: str) -> None:
        self._dispatch(
            {
                "token": "console",
                "team_id": TEAM,
                "channel_id": CHANNEL,
                "channel_name": "general",
                "user_id": CONSOLE_USER,
                "user_name": "you",
                "command": "/awssec",
                "text": escape(text),
                "response_url": self.slack.new_response_url("#general"),
                "trigger_id": "console",
            }
        )

    def mention(self, text: str) -> None:
        ts = self.slack.next_ts()
        self._event(
            {
                "type": "app_mention",
                "user": CONSOLE_USER,
                "text": f"<@{BOT_USER}> {escape(text)}",
                "ts": ts,
                "channel": CHANNEL,
                "event_ts": ts,
            }
        )

    def direct_message(self, text: str) -> None:
        ts = self.slack.next_ts()
        self._event(
            {
                "type": "message",
                "channel_type": "im",
                "user": CONSOLE_USER,
                "text": escape(text),
                "ts": ts,
                "channel": DM_CHANNEL,
                "event_ts": ts,
            }
        )

    def click(self, number: int) -> None:
        clickable = self.buttons.get(number)
        if clickable is None:
            self.say(f"There is no button [{number}].")
            return
        button, posted = clickable.button, clickable.posted
        channel = DM_CHANNEL if posted.where.startswith("direct") else CHANNEL
        self._dispatch(
            {
                "type": "block_actions",
                "user": {"id": CONSOLE_USER, "username": "you", "team_id": TEAM},
                "team": {"id": TEAM},
                "channel": {"id": channel},
                "container": {
                    "type": "message",
                    "channel_id": channel,
                    "message_ts": posted.ts,
                    "is_ephemeral": "only visible" in posted.where,
                },
                "response_url": posted.response_url,
                "trigger_id": "console",
                "actions": [
                    {
                        "type": "button",
                        "action_id": button["action_id"],
                        "value": button.get("value", ""),
                        "block_id": "console",
                        "action_ts": self.slack.next_ts(),
                    }
                ],
            }
        )

    def _event(self, event: dict[str, Any]) -> None:
        self._dispatch(
            {
                "type": "event_callback",
                "team_id": TEAM,
                "event": event,
                "event_id": f"EvCONSOLE{next(self._numbers)}",
                "event_time": int(time.time()),
            }
        )

    def _dispatch(self, body: dict[str, Any]) -> None:
        # Socket Mode requests carry no signature; the console app runs listeners inline
        # (InlineExecutor), so every reply is recorded by the time dispatch returns.
        self.app.dispatch(BoltRequest(body=body, mode="socket_mode"))

    # -- what the person sees -------------------------------------------------------------------------

    def say(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def show(self, posted: list[Posted]) -> None:
        if not posted:
            self.say("(no reply)")
        for message in posted:
            self.say(self.render(message))

    def render(self, posted: Posted) -> str:
        body = posted.body
        if body.get("delete_original") in (True, "true"):
            return f"── awssec removed its message ({posted.where}) ──"
        lines = [f"── awssec ({posted.where}) ──"]
        blocks = body.get("blocks") or []
        if isinstance(blocks, str):
            blocks = json.loads(blocks)
        if not blocks:
            lines.append(mrkdwn_to_text(body.get("text", "")))
        for block in blocks:
            kind = block.get("type")
            if kind == "section":
                lines.append(mrkdwn_to_text(block["text"]["text"]))
            elif kind == "context":
                lines.append("   " + "  ".join(mrkdwn_to_text(e.get("text", "")) for e in block["elements"]))
            elif kind == "divider":
                lines.append("")
            elif kind == "actions":
                labels = []
                for button in block.get("elements", []):
                    number = next(self._numbers)
                    self.buttons[number] = Clickable(button, posted)
                    labels.append(f"[{number}] {button['text']['text']}")
                lines.append("   ".join(labels))
        return "\n".join(lines)


def run_console(settings: Settings, *, index_path: str | None, stdin: TextIO, stdout: TextIO) -> int:
    """Build the real app against a local Slack stand-in and run the read–print loop until EOF."""
    import logging

    from .app import InlineExecutor, create_app
    from .services.index import load_bot_index
    from .store import Store

    slack = LocalSlack()
    settings = settings.with_slack(api_url=slack.api_url, bot_token=CONSOLE_TOKEN)
    if index_path:
        settings = replace(settings, index_path=Path(index_path).expanduser(), index_is_set=True)
    try:
        settings.check()
    except SettingsError as err:
        slack.close()
        stdout.write(f"awssec console: {err}\n")
        return 2
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    index = load_bot_index(settings, logging.getLogger("awssec.console"))
    store = Store.connect("sqlite://")
    client = WebClient(token=CONSOLE_TOKEN, base_url=slack.api_url)
    app = create_app(settings, index, client, store=store, listener_executor=InlineExecutor())
    console = Console(app, slack, stdout)
    interactive = stdin.isatty()
    console.say(HELP)
    try:
        while True:
            if interactive:
                stdout.write("> ")
                stdout.flush()
            line = stdin.readline()
            if not line:
                break
            if not interactive:
                console.say(f"> {line.rstrip()}")
            if not console.handle_line(line):
                break
    except KeyboardInterrupt:
        pass
    finally:
        slack.close()
        store.close()
    return 0
