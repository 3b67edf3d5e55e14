"""The shape of Slack's request payloads, as far as Bolt and the listeners rely on it.

Bolt reads a payload by indexing into it (``body["event"]["type"]``, ``body["actions"][0]["action_id"]``,
``"id" in body["user"]``) and the listeners take its ids and texts for strings, so a payload of another
shape raises in the middle of Bolt. :func:`payload_problem` checks those fields first and names the first
one that is wrong. Fields it does not name are not looked at, and absent fields are fine unless required.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Union

MAX_DEPTH = 48
"""Slack's payloads nest a dozen levels or so; Bolt and the checks below recurse into them."""


@dataclass(frozen=True, eq=False)
class Obj:
    """A JSON object whose ``fields``, where present, have these shapes; ``required`` ones must be present."""

    fields: Mapping[str, Shape] = field(default_factory=dict)
    required: frozenset[str] = frozenset()


@dataclass(frozen=True, eq=False)
class ListOf:
    """A JSON array of at least ``min_items`` elements, each of shape ``item``."""

    item: Shape
    min_items: int = 0


@dataclass(frozen=True, eq=False)
class Text:
    """A string that ``pattern`` matches in full; ``description`` says what it is."""

    pattern: re.Pattern[str]
    description: str


Shape = Union[type, Obj, ListOf, Text, tuple["Shape", ...]]  # noqa: UP007 - a tuple is "any one of these"
NONE = type(None)
ID = (str, NONE)
"""An id, a timestamp or a text: a string (or null, which Bolt and the listeners take for absent)."""
URL = Text(re.compile(r"https?://\S+"), "an http(s) URL")
"""A response_url: where the listeners post their answers."""

_identified: dict[str, Shape] = {}
IDENTIFIED = Obj(_identified)
"""A payload, or a part of one, in which Bolt looks for the team, user, channel and thread it is about
(``slack_bolt.request.internals.build_context``: it looks in ``event``, ``authorizations[0]``, ``message``
and so on the same way, hence the recursion)."""
_identified.update(
    {
        "type": ID,
        "enterprise": (str, NONE, Obj({"id": ID})),
        "enterprise_id": ID,
        "team": (str, NONE, Obj({"id": ID, "enterprise_id": ID})),
        "team_id": ID,
        "user": (str, NONE, Obj({"id": ID, "team_id": ID})),
        "user_id": ID,
        "user_team": ID,
        "channel": (str, NONE, Obj({"id": ID})),
        "channel_id": ID,
        "thread_ts": ID,
        "authorizations": (NONE, ListOf(IDENTIFIED)),
        "event": IDENTIFIED,
        "message": (NONE, IDENTIFIED),
        "previous_message": (NONE, IDENTIFIED),
        "item": (NONE, IDENTIFIED),
        "assistant_thread": (NONE, IDENTIFIED),
        "view": (
            NONE,
            Obj({"id": ID, "type": ID, "callback_id": ID, "team_id": ID, "app_installed_team_id": ID}),
        ),
        "function_execution_id": ID,
        "bot_access_token": ID,
        "function_data": (NONE, Obj({"execution_id": ID})),
        "response_url": (URL, NONE),
        "response_urls": ListOf(Obj({"response_url": (URL, NONE)})),
        "command": ID,
        "callback_id": ID,
        "action_id": ID,
        "trigger_id": ID,
    }
)

SLASH_COMMAND = Obj(
    {"command": str, "text": ID, "user_id": ID, "channel_id": ID, "response_url": URL},
    required=frozenset({"command", "response_url"}),
)
"""Any payload with a ``command`` is a slash command to Bolt; ours are answered through the response_url."""

BLOCK_ACTION = Obj(
    {"action_id": str, "block_id": ID, "value": ID, "type": ID}, required=frozenset({"action_id"})
)
BY_TYPE: dict[str, Obj] = {
    "event_callback": Obj(
        {"event": Obj({"type": str}, required=frozenset({"type"})), "event_id": ID},
        required=frozenset({"event"}),
    ),
    "block_actions": Obj(
        {
            "actions": ListOf(BLOCK_ACTION, min_items=1),
            "user": (NONE, Obj({"id": ID})),
            "channel": (NONE, Obj({"id": ID})),
            "container": (NONE, Obj({"channel_id": ID})),
            "response_url": URL,
        },
        # Bolt reads actions[0]; the buttons' listeners all answer through the response_url.
        required=frozenset({"actions", "response_url"}),
    ),
    # Bolt reads view.type of a view with a callback_id, and workflow_step of a step's edit or save.
    "view_submission": Obj(
        {"view": Obj({"callback_id": str, "type": str}, required=frozenset({"callback_id", "type"}))},
        required=frozenset({"view"}),
    ),
    "view_closed": Obj(
        {"view": Obj({"callback_id": str, "type": str}, required=frozenset({"callback_id", "type"}))},
        required=frozenset({"view"}),
    ),
    "workflow_step_edit": Obj(required=frozenset({"workflow_step"})),
    # Bolt reads actions[0] of an attachment's button too.
    "interactive_message": Obj({"actions": ListOf(Obj(), min_items=1)}, required=frozenset({"actions"})),
    # Slack checks the Request URL by sending a challenge to echo back: without one, nothing to echo.
    "url_verification": Obj({"challenge": str}, required=frozenset({"challenge"})),
}
MESSAGE_EVENT = Obj(
    {
        "user": ID,
        "text": ID,
        "ts": ID,
        "thread_ts": ID,
        "channel": ID,
        "channel_type": ID,
        "subtype": ID,
        "bot_id": ID,
    }
)
BY_EVENT_TYPE: dict[str, Obj] = {"app_mention": MESSAGE_EVENT, "message": MESSAGE_EVENT}
"""The events the bot answers: it reads their user, text, channel and timestamps as strings."""


def payload_problem(payload: Any) -> str | None:
    """What is wrong with the shape of ``payload`` (a parsed request body), or None if nothing is."""
    if not isinstance(payload, dict):
        return f"the payload is {_kind(payload)}, not an object"
    if _depth(payload) > MAX_DEPTH:
        return f"the payload nests more than {MAX_DEPTH} levels deep"
    shapes: list[Shape] = [IDENTIFIED]
    if "command" in payload:
        shapes.append(SLASH_COMMAND)
    kind = payload.get("type")
    if isinstance(kind, str) and kind in BY_TYPE:
        shapes.append(BY_TYPE[kind])
    for shape in shapes:
        problem = _problem(payload, shape, "")
        if problem:
            return problem
    # an event_callback's event and a view_submission's view are objects with a string type (checked above)
    event = payload.get("event")
    if kind == "event_callback" and isinstance(event, dict) and event["type"] in BY_EVENT_TYPE:
        problem = _problem(event, BY_EVENT_TYPE[event["type"]], "event")
        if problem:
            return problem
    view = payload.get("view")
    if (
        kind == "view_submission"
        and isinstance(view, dict)
        and view["type"] == "workflow_step"
        and "workflow_step" not in payload
    ):
        return "`workflow_step` is missing"
    return None


def _problem(value: Any, shape: Shape, path: str) -> str | None:
    if isinstance(shape, tuple):
        # The option of the value's own kind says best what is wrong inside it.
        for option in shape:
            if _same_kind(value, option):
                return _problem(value, option, path)
        return f"`{path or 'the payload'}` should be {_either(shape)}, not {_kind(value)}"
    if isinstance(shape, Text):
        if isinstance(value, str) and shape.pattern.fullmatch(value):
            return None
        return f"`{path}` should be {shape.description}, not {_kind(value)}"
    if isinstance(shape, type):
        return None if isinstance(value, shape) else f"`{path}` should be {_name(shape)}, not {_kind(value)}"
    if isinstance(shape, ListOf):
        if not isinstance(value, list):
            return f"`{path}` should be an array, not {_kind(value)}"
        if len(value) < shape.min_items:
            return f"`{path}` should have at least {shape.min_items} element(s)"
        for i, item in enumerate(value):
            problem = _problem(item, shape.item, f"{path}[{i}]")
            if problem:
                return problem
        return None
    if not isinstance(value, dict):
        return f"`{path or 'the payload'}` should be an object, not {_kind(value)}"
    for name in sorted(shape.required):
        if name not in value:
            return f"`{_join(path, name)}` is missing"
    for name, field_shape in shape.fields.items():
        if name in value:
            problem = _problem(value[name], field_shape, _join(path, name))
            if problem:
                return problem
    return None


def _same_kind(value: Any, shape: Shape) -> bool:
    if isinstance(shape, Obj):
        return isinstance(value, dict)
    if isinstance(shape, ListOf):
        return isinstance(value, list)
    if isinstance(shape, Text):
        return isinstance(value, str)
    if isinstance(shape, tuple):
        return any(_same_kind(value, option) for option in shape)
    return isinstance(value, shape)


def _depth(value: Any) -> int:
    """How deep arrays and objects nest in ``value`` (without recursing, however deep it is)."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        elif not isinstance(item, list):
            continue
        deepest = max(deepest, depth)
        if depth > MAX_DEPTH:
            break
        stack.extend((child, depth + 1) for child in item)
    return deepest


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _either(options: tuple[Shape, ...]) -> str:
    names = [_name(option) for option in options if option is not NONE]
    return " or ".join(dict.fromkeys(names)) + (" (or null)" if NONE in options else "")


def _name(shape: Shape) -> str:
    if isinstance(shape, Obj):
        return "an object"
    if isinstance(shape, ListOf):
        return "an array"
    if isinstance(shape, Text):
        return shape.description
    if isinstance(shape, tuple):
        return _either(shape)
    return {str: "a string", NONE: "null", dict: "an object", list: "an array"}.get(shape, shape.__name__)


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object" if isinstance(value, dict) else type(value).__name__
