"""The Web API client: a call Slack does not answer is retried once, in one log line."""

from __future__ import annotations

import pytest

from bot.config.settings import Settings


def test_an_unreachable_slack_logs_one_line_per_retry() -> None:
    import io
    import logging
    import socket
    import urllib.error

    from bot.config.logs import configure_logging
    from bot.slack.web_client import make_web_client

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings = Settings.from_env({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_API_URL": f"http://127.0.0.1:{port}/api"})
    client = make_web_client(settings)
    stream = io.StringIO()
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    try:
        configure_logging("INFO", settings.secrets(), stream=stream)
        with pytest.raises(urllib.error.URLError):
            client.chat_postMessage(channel="C1", text="hello")
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in saved[0]:
            root.addHandler(handler)
        root.setLevel(saved[1])
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1, lines  # one retry, one line (the caller logs the final failure its own way)
    assert "chat.postMessage" in lines[0] and "retry 1 of 1" in lines[0] and "refused" in lines[0]
