"""Hostile requests for the bot's HTTP endpoint, from a seed: the generator that tests/test_bot_fuzz.py
and bench/fuzz_http.py share.

Each :class:`FuzzRequest` is a body (random bytes, deep nesting, huge numbers, Slack's payloads with
fields deleted, retyped or replaced by values of the wrong kind, slash-command forms with fields
missing...) sent with a :class:`Signing`: a valid signature and fresh timestamp, or one of the ways a
request can fail to be Slack's (none, wrong, stale, malformed, repeated headers). The headers are made
when the request is sent (:meth:`FuzzRequest.headers`), so a long run never signs with a stale time.
Only 127.0.0.1 is ever a target (:func:`send`).
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import random
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from fakeslack import TEAM_ID, block_action, dm_event, event_callback, mention_event, slash_command

from bot.slack.blocks.answer import ACTION_MORE, ACTION_SHARE, ACTION_VOTE_DOWN, ACTION_VOTE_UP
from bot.slack.blocks.quiz import ACTION_DAILY_CHOICE, ACTION_PRACTICE_CHOICE, ACTION_PRACTICE_NEXT

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


class Signing(StrEnum):
    """How a request is signed: SIGNED is Slack's; every other kind must get 401 and do nothing."""

    SIGNED = "signed"
    NO_HEADERS = "no signature or timestamp"
    NO_SIGNATURE = "no signature"
    NO_TIMESTAMP = "no timestamp"
    WRONG_SIGNATURE = "a wrong signature"
    MALFORMED_SIGNATURE = "a malformed signature"
    WRONG_SECRET = "signed with another secret"
    OTHER_BODY = "the signature of another body"
    STALE = "a stale timestamp"
    FUTURE = "a timestamp from the future"
    BAD_TIMESTAMP = "a malformed timestamp (signed as sent)"
    REPEATED_SIGNATURE = "the signature header twice"
    REPEATED_TIMESTAMP = "the timestamp header twice"


UNSIGNED = tuple(s for s in Signing if s is not Signing.SIGNED)
BAD_TIMESTAMPS = (
    "abc",
    "",
    " ",
    "1.5e9",
    "-5",
    "0x10",
    "\xb9\xb2\xb3",
    "9" * 40,
    "1700000000 ",
    "+1700000000",
)
MALFORMED_SIGNATURES = ("v0=", "v1=" + "a" * 64, "v0=" + "g" * 64, "v0=é" + "a" * 62, "x" * 3000, " ")


@dataclass(frozen=True)
class FuzzRequest:
    """One request: what made it, its body and content type, how it is signed, and extra headers."""

    kind: str
    body: bytes
    content_type: str | None
    signing: Signing
    detail: str = ""
    """For BAD_TIMESTAMP the timestamp sent, for MALFORMED_SIGNATURE the signature, for STALE/FUTURE the
    offset in seconds."""
    extra_headers: tuple[tuple[str, str], ...] = ()

    @property
    def signed(self) -> bool:
        return self.signing is Signing.SIGNED

    def headers(self, secret: str, now: int) -> list[tuple[str, str]]:
        """The request's headers at time ``now`` (repeats allowed), Content-Length excepted."""
        ts = str(now)
        signature = sign(secret, ts, self.body)
        timestamp_header = ("X-Slack-Request-Timestamp", ts)
        signature_header = ("X-Slack-Signature", signature)
        match self.signing:
            case Signing.SIGNED:
                slack = [timestamp_header, signature_header]
            case Signing.NO_HEADERS:
                slack = []
            case Signing.NO_SIGNATURE:
                slack = [timestamp_header]
            case Signing.NO_TIMESTAMP:
                slack = [signature_header]
            case Signing.WRONG_SIGNATURE:
                wrong = "v0=" + hashlib.sha256(self.body + b"wrong").hexdigest()
                slack = [timestamp_header, ("X-Slack-Signature", wrong)]
            case Signing.MALFORMED_SIGNATURE:
                slack = [timestamp_header, ("X-Slack-Signature", self.detail)]
            case Signing.WRONG_SECRET:
                slack = [timestamp_header, ("X-Slack-Signature", sign(secret + "x", ts, self.body))]
            case Signing.OTHER_BODY:
                slack = [timestamp_header, ("X-Slack-Signature", sign(secret, ts, self.body + b" "))]
            case Signing.STALE | Signing.FUTURE:
                moved = str(now + int(self.detail))
                slack = [
                    ("X-Slack-Request-Timestamp", moved),
                    ("X-Slack-Signature", sign(secret, moved, self.body)),
                ]
            case Signing.BAD_TIMESTAMP:
                sig = sign(secret, self.detail, self.body)
                slack = [("X-Slack-Request-Timestamp", self.detail), ("X-Slack-Signature", sig)]
            case Signing.REPEATED_SIGNATURE:
                slack = [timestamp_header, signature_header, signature_header]
            case Signing.REPEATED_TIMESTAMP:
                slack = [timestamp_header, timestamp_header, signature_header]
        content_type = [("Content-Type", self.content_type)] if self.content_type is not None else []
        return [*content_type, *slack, *self.extra_headers]


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """Slack's v0 signature of ``body`` sent at ``timestamp``."""
    base = b"v0:" + timestamp.encode("latin-1") + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Outcome:
    request: FuzzRequest
    status: int


class Sender:
    """POSTs requests to /slack/events of a server on 127.0.0.1, over one kept-alive connection."""

    def __init__(self, port: int, secret: str, clock: Callable[[], float] = time.time) -> None:
        self.port = port
        self.secret = secret
        self.clock = clock
        self._conn: http.client.HTTPConnection | None = None

    def send(self, request: FuzzRequest) -> Outcome:
        try:
            return Outcome(request, self._send(request))
        except (http.client.HTTPException, ConnectionError):  # the server closed the connection: again
            self.close()
            return Outcome(request, self._send(request))

    def _send(self, request: FuzzRequest) -> int:
        if self._conn is None:
            self._conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        conn = self._conn
        conn.putrequest("POST", "/slack/events", skip_accept_encoding=True)
        for name, value in request.headers(self.secret, int(self.clock())):
            conn.putheader(name, value.encode("latin-1"))
        conn.putheader("Content-Length", str(len(request.body)))
        conn.endheaders(request.body)
        response = conn.getresponse()
        response.read()
        if response.will_close:
            self.close()
        return response.status

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


# -- bodies ----------------------------------------------------------------------------------------------


def templates(rng: random.Random, response_url: str) -> list[tuple[str, dict[str, Any]]]:
    """Well-formed payloads of each kind Slack sends (and a few Bolt knows though the bot does not use),
    their ids and timestamps drawn from ``rng``."""
    ts = f"1700{rng.randrange(10**6):06d}.{rng.randrange(10**6):06d}"
    event_id = f"EvFUZZ{rng.getrandbits(32):08X}"
    user = {"id": "U0ASKER", "username": "asker", "team_id": TEAM_ID}
    team = {"id": TEAM_ID, "domain": "awssec-test"}
    view = {"id": "V0VIEW", "type": "modal", "callback_id": "cb", "team_id": TEAM_ID, "state": {"values": {}}}
    buttons = [
        (ACTION_SHARE, "a1b2c3"),
        (ACTION_VOTE_UP, "a1b2c3"),
        (ACTION_VOTE_DOWN, "a1b2c3"),
        (ACTION_MORE, "a1b2c3:3"),
        (f"{ACTION_PRACTICE_CHOICE}_1", "p1:1"),
        (ACTION_PRACTICE_NEXT, "next"),
        (f"{ACTION_DAILY_CHOICE}_2", "d1:2"),
    ]
    found = [
        (
            "event_callback app_mention",
            event_callback(mention_event("what is kms", ts=ts), event_id=event_id),
        ),
        ("event_callback message", event_callback(dm_event("what is guardduty", ts=ts), event_id=event_id)),
        *[
            (f"block_actions {action_id}", block_action(action_id, value, response_url=response_url))
            for action_id, value in buttons
        ],
        ("view_submission", {"type": "view_submission", "team": team, "user": user, "view": view}),
        ("view_closed", {"type": "view_closed", "team": team, "user": user, "view": view}),
        ("shortcut", {"type": "shortcut", "callback_id": "cb", "team": team, "user": user}),
        ("message_action", {"type": "message_action", "callback_id": "cb", "channel": {"id": "C0GENERAL"}}),
        ("block_suggestion", {"type": "block_suggestion", "action_id": "a", "block_id": "b", "value": "k"}),
        (
            "interactive_message",
            {"type": "interactive_message", "callback_id": "cb", "actions": [{"name": "n"}]},
        ),
        ("workflow_step_edit", {"type": "workflow_step_edit", "callback_id": "cb", "workflow_step": {}}),
        ("url_verification", {"type": "url_verification", "challenge": "c" * 20, "token": "x"}),
        ("slash command as JSON", slash_command("what is kms", response_url=response_url)),
    ]
    for _, payload in found:  # what the helpers take from the clock or uuid, from rng instead
        for place in containers(payload):
            if isinstance(place, dict):
                for key in ("trigger_id", "action_ts"):
                    if key in place:
                        place[key] = ts
                if "event_time" in place:
                    place["event_time"] = int(float(ts))
    return found


def odd_value(rng: random.Random) -> Any:
    """A value of a kind a field may not expect."""
    choices: list[Any] = [
        None,
        True,
        False,
        0,
        -1,
        1e308,
        float("inf"),
        float("nan"),
        2**64,
        "",
        "x",
        "U0ASKER",
        "/awssec",
        "event_callback",
        "block_actions",
        "\u0000\ud7ff\ufffd",
        "🙂" * 30,
        "a" * 5000,
        [],
        [1, 2],
        [None],
        [{}],
        [[[]]],
        {},
        {"id": 5},
        {"type": []},
        {"id": ["U0"], "type": {"x": 1}},
        nested(rng.choice((30, 60, 200)), rng.choice(("list", "dict"))),
    ]
    return rng.choice(choices)


def nested(depth: int, how: str) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = [value] if how == "list" else {"event": value}
    return value


FIELD_NAMES = (
    "type",
    "event",
    "actions",
    "user",
    "team",
    "channel",
    "enterprise",
    "authorizations",
    "view",
    "message",
    "container",
    "response_url",
    "response_urls",
    "command",
    "text",
    "user_id",
    "channel_id",
    "team_id",
    "thread_ts",
    "callback_id",
    "action_id",
    "value",
    "ts",
    "subtype",
    "bot_id",
    "item",
    "function_data",
    "is_ext_shared_channel",
    "workflow_step",
    "payload",
)
TYPES = (
    "event_callback",
    "block_actions",
    "view_submission",
    "view_closed",
    "shortcut",
    "message_action",
    "block_suggestion",
    "interactive_message",
    "workflow_step_edit",
    "url_verification",
    "ssl_check",
    "app_rate_limited",
)


def containers(value: Any) -> list[Any]:
    """Every object and array inside ``value`` (itself included), to choose where to mutate."""
    found, stack = [], [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict | list):
            found.append(item)
            stack.extend(item.values() if isinstance(item, dict) else item)
    return found


def mutate(payload: Any, rng: random.Random) -> Any:
    """``payload`` with one thing changed: a field replaced, deleted, added, retyped, or the whole wrapped."""
    how = rng.choice(("replace", "replace", "replace", "delete", "delete", "add", "retype", "wrap"))
    if how == "wrap":
        return rng.choice(([payload], [payload, payload], json.dumps(payload), {"payload": payload}))
    if how == "retype" and isinstance(payload, dict):
        payload["type"] = rng.choice(TYPES)
        return payload
    places = [c for c in containers(payload) if c]
    if not places:
        return odd_value(rng)
    place = rng.choice(places)
    key = rng.choice(list(place.keys()) if isinstance(place, dict) else range(len(place)))
    if how == "delete":
        del place[key]
    elif how == "add" and isinstance(place, dict):
        place[rng.choice(FIELD_NAMES)] = odd_value(rng)
    else:
        place[key] = odd_value(rng)
    return payload


def payload_body(rng: random.Random, response_url: str) -> tuple[str, bytes, str | None]:
    """A Slack payload, mutated one to three times, sent as JSON or as a form's ``payload`` field."""
    kind, payload = rng.choice(templates(rng, response_url))
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        payload = mutate(payload, rng)
    text = json.dumps(payload)
    how = rng.choice(("json", "json", "form", "form", "text/plain", "none", "json+charset", "utf-16"))
    if how in ("form", "none") and rng.random() < 0.7:
        body = urllib.parse.urlencode({"payload": text}).encode()
    else:
        body = text.encode("utf-16" if how == "utf-16" else "utf-8", "surrogatepass")
    content_type = {
        "json": JSON,
        "form": FORM,
        "text/plain": "text/plain",
        "none": None,
        "json+charset": "application/json; charset=utf-8",
        "utf-16": JSON,
    }[how]
    return f"mutated {kind}", body, content_type


def command_form(rng: random.Random, response_url: str) -> tuple[str, bytes, str | None]:
    """A slash command's form with fields missing, odd, repeated, or a stray ``payload`` field."""
    fields = list(
        slash_command(
            rng.choice(("what is kms", "help", "", "payload of s3 events")), response_url=response_url
        ).items()
    )
    for _ in range(rng.choice((1, 2, 3))):
        how = rng.choice(("drop", "drop", "odd", "repeat", "payload", "raw"))
        i = rng.randrange(len(fields)) if fields else 0
        if how == "drop" and fields:
            fields.pop(i)
        elif how == "odd" and fields:
            fields[i] = (fields[i][0], str(odd_value(rng))[:2000])
        elif how == "repeat" and fields:
            fields.append(fields[i])
        elif how == "payload":
            fields.append(("payload", rng.choice(("true", '"s"', "[1,2]", "5", "null", "{", "{}"))))
    body = urllib.parse.urlencode(fields).encode()
    if rng.random() < 0.2:
        body += rng.choice((b"&text=%ff%fe", b"&%zz=1", b"&&&=", b"&command", b"\xff\xfe"))
    return "slash command form", body, rng.choice((FORM, FORM, FORM, JSON, None))


def raw_body(rng: random.Random) -> tuple[str, bytes, str | None]:
    """Bytes that are no payload at all: random, deeply nested, huge numbers, non-object JSON."""
    depth = rng.choice((100, 1000, 5000, 100_000))
    options: list[tuple[str, bytes]] = [
        ("random bytes", rng.randbytes(rng.randrange(0, 2000))),
        (
            "random text",
            "".join(chr(rng.randrange(32, 0x2FFF)) for _ in range(rng.randrange(0, 300))).encode(),
        ),
        ("empty", b""),
        ("deep array", b"[" * depth + b"]" * depth),
        ("deep object", b'{"a":' * depth + b"1" + b"}" * depth),
        (
            "deep event",
            b'{"type":"event_callback","event":' * min(depth, 400) + b"{}" + b"}" * min(depth, 400),
        ),
        ("deep payload form", b"payload=" + urllib.parse.quote("[" * depth + "]" * depth).encode()),
        ("huge integer", b'{"type":"event_callback","event_time":' + b"9" * 5000 + b"}"),
        ("huge float", b'{"type":"block_actions","user":1e308,"x":1e999,"y":-1e999}'),
        ("non-finite", b'{"type":"event_callback","event":{"type":"message","ts":NaN,"text":Infinity}}'),
        ("scalar JSON", rng.choice((b"true", b"null", b"5", b'"s"', b"[1,2]", b"1e400"))),
        (
            "payload= non-object",
            b"payload=" + rng.choice((b"true", b"%22s%22", b"%5B1%2C2%5D", b"5", b"null", b"")),
        ),
        ("broken JSON", rng.choice((b"{not json", b'{"type":', b"{" * 3, b'{"a":1}}', b"{\xff}"))),
        ("ssl_check", b"ssl_check=1&token=x"),
        (
            "url_verification odd",
            b'{"type":"url_verification","challenge":' + rng.choice((b"[]", b"{}", b"null", b"1e999")) + b"}",
        ),
    ]
    kind, body = rng.choice(options)
    return (
        kind,
        body,
        rng.choice(
            (JSON, FORM, "text/plain", "multipart/form-data; boundary=x", None, "application/json; x")
        ),
    )


def extra_headers(rng: random.Random) -> tuple[tuple[str, str], ...]:
    """Sometimes, headers Slack would not send: repeated or odd content types and retry headers."""
    if rng.random() < 0.8:
        return ()
    return rng.choice(
        (
            (("Content-Type", JSON), ("Content-Type", FORM)),
            (("X-Slack-Retry-Num", "abc"), ("X-Slack-Retry-Reason", "é")),
            (("X-Slack-Retry-Num", "1"), ("X-Slack-Retry-Num", "2")),
            (("X-Slack-Bolt-Lazy-Only", "1"),),
            (("Content-Encoding", "gzip"),),
        )
    )


def requests(seed: int, count: int, response_url: str, signed_share: float = 0.6) -> Iterator[FuzzRequest]:
    """``count`` hostile requests from ``seed``; about ``signed_share`` of them correctly signed."""
    rng = random.Random(seed)
    for _ in range(count):
        kind, body, content_type = rng.choice((payload_body, payload_body, command_form, raw_body_for))(
            rng, response_url
        )
        if rng.random() < signed_share:
            yield FuzzRequest(kind, body, content_type, Signing.SIGNED, extra_headers=extra_headers(rng))
            continue
        signing = rng.choice(UNSIGNED)
        detail = ""
        if signing is Signing.BAD_TIMESTAMP:
            detail = rng.choice(BAD_TIMESTAMPS)
        elif signing is Signing.MALFORMED_SIGNATURE:
            detail = rng.choice(MALFORMED_SIGNATURES)
        elif signing is Signing.STALE:
            detail = str(-rng.choice((301, 600, 86_400, 10**9)))
        elif signing is Signing.FUTURE:
            # past the five minutes Slack allows by a margin: the timestamp is whole seconds, taken before
            # the request is sent (at 301 s a slow machine's second of latency let it through)
            detail = str(rng.choice((330, 3600, 10**9)))
        yield FuzzRequest(kind, body, content_type, signing, detail)


def raw_body_for(rng: random.Random, response_url: str) -> tuple[str, bytes, str | None]:
    return raw_body(rng)
