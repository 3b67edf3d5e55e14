"""Slack markup in what people type: the bot's own mention removed, links and mentions reduced to words."""

from __future__ import annotations

from bot.slack.markup import question_from_mention, search_text


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
