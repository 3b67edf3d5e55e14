"""The Bolt app as the composition root builds it."""

from __future__ import annotations

from bot.config.settings import Settings


def test_bolt_does_not_warn_about_the_token_at_start(monkeypatch, caplog) -> None:
    import logging

    from bot.runtime import build
    from bot.services.index import IndexUnavailable
    from bot.store import Store

    env = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "SLACK_API_URL": "http://127.0.0.1:9/api"}
    for name, value in env.items():
        monkeypatch.setenv(name, value)  # Bolt reads SLACK_BOT_TOKEN from the environment itself
    store = Store.connect("sqlite://")
    try:
        with caplog.at_level(logging.DEBUG):
            build(Settings.from_env(env), index=IndexUnavailable("no index"), store=store)
    finally:
        store.close()
    assert "will be unused" not in caplog.text and "will be ignored" not in caplog.text
