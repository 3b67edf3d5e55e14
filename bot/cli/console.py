"""``awssec console``: the real bot, driven from a terminal (or a pipe), no Slack needed.

Typed lines become the payloads Slack would send (slash command, app_mention, direct message, button
click) and are dispatched to the real Bolt app in-process; the bot's Web API calls and response_url
posts go to a small local stand-in for Slack on 127.0.0.1, and each message is printed as text.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import uuid
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from ..config.settings import Settings, SettingsError
from ..slack.fake import Call, FakeSlack, block_action, dm_event, event_callback, mention_event, slash_command
from ..slack.markup import escape, unescape

if TYPE_CHECKING:  # slack_bolt is imported when a console starts, not by every awssec command
    from slack_bolt import App


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    console = subparsers.add_parser(
        "console",
        help="talk to the bot in the terminal, without Slack",
        description=(
            "Drive the real bot in-process: type `/awssec <question>`, `@awssec <question>`, a direct "
            "message, or the number of a button to click. Works with piped input too."
        ),
    )
    console.add_argument("--index", metavar="PATH", help="index file (default AWSSEC_INDEX / data directory)")
    console.set_defaults(func=cmd_console)


def cmd_console(args: argparse.Namespace, settings: Settings) -> int:
    return run_console(settings, index_path=args.index, stdin=sys.stdin, stdout=sys.stdout)


_CHOICE = re.compile(r"^([A-H])\. ")
"""A quiz choice's button label starts with its letter: ``B. SSE-KMS``."""
CONSOLE_USER = "UCONSOLE"
CHANNEL = "CGENERAL"
DM_CHANNEL = "DCONSOLE"
CONSOLE_TOKEN = "xoxb-console-not-a-real-token"

HELP = """\
awssec console — the bot as Slack would drive it, in your terminal.
  /awssec <question>   slash command in #general (answers only you see)
  /awssec help         subcommands: help, sources, ...
  @awssec <question>   mention in #general (answered in a thread)
  <anything else>      a direct message to the bot
  <number> or <A-D>    click the button with that number (or that choice letter) in the last message
  quit                 leave (or Ctrl-D)
"""


@dataclass(frozen=True)
class Posted:
    """One message the bot sent, and where it went."""

    where: str
    body: dict[str, Any]
    response_url: str
    ts: str


@dataclass(frozen=True)
class Clickable:
    button: dict[str, Any]
    posted: Posted


class ConsoleSlack:
    """The local Slack the console's bot talks to, and where each message it was sent went."""

    def __init__(self) -> None:
        self.fake = FakeSlack(bot_token=CONSOLE_TOKEN).start()
        self._seen = 0
        self._response_where: dict[str, str] = {}

    @property
    def api_url(self) -> str:
        return self.fake.api_url

    def new_response_url(self, where: str) -> str:
        name = uuid.uuid4().hex
        self._response_where[name] = where
        return self.fake.response_url(name)

    def take(self) -> list[Posted]:
        """What the bot sent since the last call, in order."""
        messages = self.fake.messages()
        taken, self._seen = messages[self._seen :], len(messages)
        return [self._posted(call) for call in taken]

    def _posted(self, call: Call) -> Posted:
        body = call.body
        if call.kind == "response_url":
            where = self._response_where.get(call.name, "#general")
            kind = body.get("response_type") or "ephemeral"
            label = where if kind == "in_channel" else f"{where}, only visible to you"
            return Posted(label, body, self.fake.response_url(call.name), "")
        channel = str(body.get("channel", ""))
        where = "direct message" if channel.startswith("D") else "#general"
        ts = str((call.reply or {}).get("ts", ""))
        url = self.new_response_url(where)
        if body.get("thread_ts"):
            where += ", in the thread"
        return Posted(where, body, url, ts)

    def close(self) -> None:
        self.fake.stop()


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

    def __init__(self, app: App, slack: ConsoleSlack, out: TextIO) -> None:
        self.app = app
        self.slack = slack
        self.out = out
        self.buttons: dict[str, Clickable] = {}
        """The last message's buttons by what to type: their number (1, 2...) and, for a quiz's choices,
        their letter (A, B...)."""

    def handle_line(self, line: str) -> bool:
        """Act on one typed line; False when the person wants to leave."""
        line = line.strip()
        if not line:
            return True
        if line.lower() in ("quit", "exit", "/quit"):
            return False
        if line.isdigit() or (len(line) == 1 and line.upper() in self.buttons):
            self.click(line.upper())
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
            slash_command(
                escape(text),
                response_url=self.slack.new_response_url("#general"),
                user_id=CONSOLE_USER,
                channel_id=CHANNEL,
            )
        )

    def mention(self, text: str) -> None:
        event = mention_event(escape(text), channel=CHANNEL, user=CONSOLE_USER, ts=self.slack.fake.next_ts())
        self._dispatch(event_callback(event))

    def direct_message(self, text: str) -> None:
        event = dm_event(escape(text), channel=DM_CHANNEL, user=CONSOLE_USER, ts=self.slack.fake.next_ts())
        self._dispatch(event_callback(event))

    def click(self, key: str) -> None:
        clickable = self.buttons.get(key)
        if clickable is None:
            self.say(f"There is no button [{key}] in the last message.")
            return
        button, posted = clickable.button, clickable.posted
        self._dispatch(
            block_action(
                button["action_id"],
                button.get("value", ""),
                response_url=posted.response_url,
                user_id=CONSOLE_USER,
                channel_id=DM_CHANNEL if posted.where.startswith("direct") else CHANNEL,
                message_ts=posted.ts or self.slack.fake.next_ts(),
            )
        )

    def _dispatch(self, body: dict[str, Any]) -> None:
        # Socket Mode requests carry no signature; the console app runs listeners inline
        # (InlineExecutor), so every reply is recorded by the time dispatch returns.
        from slack_bolt import BoltRequest

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
        numbered = 0
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
                    if not numbered:
                        self.buttons = {}  # numbering starts again with each message that has buttons
                    numbered += 1
                    label = button["text"]["text"]
                    self.buttons[str(numbered)] = Clickable(button, posted)
                    letter = _CHOICE.match(label)
                    if letter:
                        self.buttons[letter.group(1)] = Clickable(button, posted)
                    labels.append(f"[{numbered}] {label}")
                lines.append("   ".join(labels))
        return "\n".join(lines)


def run_console(settings: Settings, *, index_path: str | None, stdin: TextIO, stdout: TextIO) -> int:
    """Build the real bot against a local Slack and run the read–print loop until EOF."""
    import logging

    from ..runtime import build
    from ..slack.work import InlineExecutor

    slack = ConsoleSlack()
    settings = settings.with_slack(api_url=slack.api_url, bot_token=CONSOLE_TOKEN)
    try:
        settings.check()
    except SettingsError as err:
        slack.close()
        stdout.write(f"awssec console: {err}\n")
        return 2
    settings = replace(settings, database_url="sqlite://")
    if index_path:
        settings = replace(settings, index_path=Path(index_path).expanduser(), index_is_set=True)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    # every listener runs inline: each reply is recorded by the time a line's request is dispatched
    runtime = build(settings, listener_executor=InlineExecutor())
    console = Console(runtime.app, slack, stdout)
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
        runtime.close()
    return 0
