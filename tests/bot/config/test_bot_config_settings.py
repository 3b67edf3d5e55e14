"""Settings from the environment, validated at start with errors that name the variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config.settings import DEFAULT_API_URL, Settings, SettingsError


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
        ("AWSSEC_QUIZ_CHANNEL", "#security-study"),  # a name, not the channel's id
        ("AWSSEC_QUIZ_CHANNEL", "not a channel"),
        ("AWSSEC_DATABASE_URL", "garbage"),
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
