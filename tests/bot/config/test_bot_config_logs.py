"""The bot's log: one line per record, every token and secret redacted."""

from __future__ import annotations

from pathlib import Path


def test_logs_never_show_tokens_or_secrets(tmp_path: Path) -> None:
    import io
    import logging

    from bot.config.logs import configure_logging

    stream = io.StringIO()
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    try:
        configure_logging("DEBUG", ["my-signing-secret-123"], stream=stream)
        log = logging.getLogger("awssec.test")
        log.info("calling with xoxb-1111-2222-abcdef and xapp-1-A0-333-fff")
        try:
            raise RuntimeError("bad secret my-signing-secret-123 in xoxp-9-9-9")
        except RuntimeError:
            log.exception("failed")
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in saved[0]:
            root.addHandler(handler)
        root.setLevel(saved[1])
    text = stream.getvalue()
    assert "calling with xoxb-[redacted] and xapp-[redacted]" in text
    for secret in ("1111-2222", "A0-333", "my-signing-secret-123", "xoxp-9"):
        assert secret not in text
    assert "RuntimeError" in text
