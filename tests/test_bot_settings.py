"""Settings from the environment, validated at start with errors that name the variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config.settings import DEFAULT_API_URL, Settings, SettingsError
from bot.slack.listeners.commands.awssec import Subcommand, parse_command
from bot.slack.markup import question_from_mention, search_text


def test_defaults(tmp_path: Path) -> None:
    settings = Settings.from_env({"SLACK_BOT_TOKEN": "xoxb-1", "AWSSEC_DATA_DIR": str(tmp_path)})
    assert settings.api_url == DEFAULT_API_URL
    assert settings.database_url == f"sqlite:///{tmp_path / 'awssec.db'}"
    assert settings.index_path.is_relative_to(tmp_path)
    assert settings.log_level == "INFO" and settings.port == 3000
    assert settings.secrets() == ("xoxb-1",)


def test_missing_bot_token_is_named() -> None:
    with pytest.raises(SettingsError, match="SLACK_BOT_TOKEN"):
        Settings.from_env({"SLACK_SIGNING_SECRET": "s"}).require_bot_token()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SLACK_API_URL", "slack.com/api"),
        ("AWSSEC_LOG_LEVEL", "LOUD"),
        ("AWSSEC_PORT", "http"),
        ("AWSSEC_SOURCE_URL", "https://x/{file}"),
        ("AWSSEC_SOURCE_URL", "ftp://x/{path}"),
    ],
)
def test_malformed_values_are_named(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({"SLACK_BOT_TOKEN": "xoxb-1", name: value}).check()


@pytest.mark.parametrize(
    ("env", "named", "found"),
    [
        ({"SLACK_BOT_TOKEN": "abc-secret-value"}, "SLACK_BOT_TOKEN", "not a Slack token"),
        ({"SLACK_BOT_TOKEN": "xapp-1-A0-secret-value"}, "SLACK_BOT_TOKEN", "starting with xapp-"),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xoxb-2-secret-value"}, "SLACK_APP_TOKEN", "xoxb-"),
    ],
)
def test_a_token_of_the_wrong_kind_is_refused_at_start(env: dict, named: str, found: str) -> None:
    with pytest.raises(SettingsError) as raised:
        Settings.from_env(env).check()
    message = str(raised.value)
    assert message.startswith(named) and found in message
    assert "secret-value" not in message


def test_reading_never_raises_and_a_malformed_value_is_said_when_checked(tmp_path: Path) -> None:
    """A command that does not use a setting is not stopped by it (`awssec ask` and AWSSEC_LOG_LEVEL)."""
    settings = Settings.from_env(
        {"AWSSEC_LOG_LEVEL": "LOUD", "AWSSEC_QUIZ_TIME": "9am", "AWSSEC_DATA_DIR": str(tmp_path)}
    )
    assert settings.data_dir == tmp_path and settings.log_level == "INFO"
    assert settings.quiz.post_time.hour == 9
    with pytest.raises(SettingsError, match="AWSSEC_LOG_LEVEL"):
        settings.check()
    with pytest.raises(SettingsError, match="SLACK_BOT_TOKEN is not set"):
        settings.require_bot_token()


def test_mode_requirements_name_their_variable() -> None:
    settings = Settings.from_env({"SLACK_BOT_TOKEN": "xoxb-1"})
    with pytest.raises(SettingsError, match="SLACK_SIGNING_SECRET"):
        settings.require_http()
    with pytest.raises(SettingsError, match="SLACK_APP_TOKEN"):
        settings.require_socket_mode()


def test_api_url_gets_its_trailing_slash_and_postgres_its_driver() -> None:
    settings = Settings.from_env(
        {
            "SLACK_BOT_TOKEN": "xoxb-1",
            "SLACK_API_URL": "http://127.0.0.1:9/api",
            "AWSSEC_DATABASE_URL": "postgresql://postgres@127.0.0.1/test",
        }
    )
    assert settings.api_url == "http://127.0.0.1:9/api/"
    assert settings.database_url.startswith("postgresql+psycopg://")


def _subcommands(*names: str, takes_args: tuple[str, ...] = ()) -> dict[str, Subcommand]:
    return {n: Subcommand(n, n, n, lambda call: None, takes_args=n in takes_args) for n in names}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ("help", "")),
        ("   ", ("help", "")),
        ("help", ("help", "")),
        ("HELP", ("help", "")),
        ("--help", ("help", "")),
        ("sources", ("sources", "")),
        ("sources of cloudtrail logs", (None, "sources of cloudtrail logs")),
        ("help me with kms", (None, "help me with kms")),
        ("kms", (None, "kms")),
        ("quiz", ("quiz", "")),
        ("quiz iam", ("quiz", "iam")),
    ],
)
def test_subcommands_versus_questions(text: str, expected: tuple) -> None:
    subcommand, rest = parse_command(text, _subcommands("help", "sources", "quiz", takes_args=("quiz",)))
    assert ((subcommand.name if subcommand else None), rest) == expected


def test_the_bots_own_mention_is_removed_and_other_markup_kept_for_display() -> None:
    assert question_from_mention("<@UBOT> what is kms", "UBOT") == "what is kms"
    assert question_from_mention("hey <@UBOT|awssec>: what is kms", "UBOT") == "hey what is kms"
    assert question_from_mention("<@UBOT> ask <@UOTHER>", None) == "ask <@UOTHER>"
    # In an app_mention the first mention is the bot even if auth.test gave another id (or none).
    assert question_from_mention("<@UREAL> what is kms", "UBOT", leading_mention_is_bot=True) == "what is kms"
    assert question_from_mention("<@UOTHER> what is kms", "UBOT") == "<@UOTHER> what is kms"
    assert search_text("<!here> what is <https://aws.amazon.com/kms|KMS> <@U1>").split() == [
        "what",
        "is",
        "KMS",
    ]


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
