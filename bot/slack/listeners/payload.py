"""What the listeners read from a button click's payload (block_actions)."""

from __future__ import annotations

from typing import Any


def user_id(body: dict[str, Any]) -> str:
    """Who clicked."""
    return (body.get("user") or {}).get("id", "")


def channel_id(body: dict[str, Any]) -> str:
    """Where the clicked message is."""
    return (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id", "")


def button_value(action: dict[str, Any]) -> str:
    """The button's value (a missing or non-string value is empty)."""
    value = action.get("value")
    return value if isinstance(value, str) else ""


def choice_value(action: dict[str, Any]) -> tuple[str, int] | None:
    """A quiz button's ``<question ref>:<choice>`` value, or None when it is not one."""
    ref, _, index = str(action.get("value", "")).rpartition(":")
    if not ref or not index.isdigit() or len(ref) > 64:
        return None
    return ref, int(index)
