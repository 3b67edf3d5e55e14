"""Block Kit rendering: pure functions, no Slack."""

from __future__ import annotations

import json

import pytest

from bot.slack.blocks.answer import (
    ACTION_MORE,
    ACTION_SHARE,
    answer_message,
    help_message,
    no_answer_message,
    sources_message,
)
from bot.slack.blocks.common import BUTTON_VALUE_LIMIT, MAX_BLOCKS, SECTION_TEXT_LIMIT, button, fit
from bot.slack.markup import escape, unescape
from indexer.model import Answer, Hit

HOSTILE = "<!channel> <!here> <@U0VICTIM> <https://evil.example|click me> & more"


def hit(text: str = "• keys managed by the customer", heading: str = "Security › SSE - C", n: int = 1) -> Hit:
    return Hit(f"note{n}.md", 10 * n, 10 * n + 4, heading, text, 5.0 / n)


def all_text(message) -> str:
    return json.dumps(message.payload(), ensure_ascii=False)


def sections(message) -> list[str]:
    return [b["text"]["text"] for b in message.blocks if b["type"] == "section"]


def test_escape_neutralises_every_slack_control_sequence() -> None:
    escaped = escape(HOSTILE)
    assert "<" not in escaped and ">" not in escaped
    assert escaped.count("&amp;") == 1
    assert unescape(escaped) == HOSTILE


def test_fit_never_cuts_inside_an_entity_and_respects_the_limit() -> None:
    for limit in range(1, 40):
        out = fit("a&b<c>d" * 10, limit)
        assert len(out) <= limit
        assert not out.rstrip("…").endswith(("&", "&a", "&am", "&amp", "&l", "&lt", "&g", "&gt"))


def test_hostile_question_and_notes_are_rendered_as_text() -> None:
    answer = Answer(HOSTILE, (hit(text=HOSTILE, heading=HOSTILE),))
    message = answer_message(answer, answer_id="a1", shareable=True)
    text = all_text(message)
    for live in ("<!channel>", "<!here>", "<@U0VICTIM>", "<https://evil"):
        assert live not in text
    assert all(b["text"].get("verbatim") for b in message.blocks if b["type"] == "section")


def test_answer_shows_question_heading_snippet_citation_and_buttons() -> None:
    answer = Answer("what is sse-c", (hit(n=1), hit(n=2)))
    message = answer_message(answer, answer_id="a1", shareable=True, next_offset=3)
    text = "\n".join(sections(message))
    assert "what is sse-c" in text and "SSE - C" in text and "keys managed by the customer" in text
    contexts = json.dumps([b for b in message.blocks if b["type"] == "context"])
    assert "note1.md:10-14" in contexts and "note2.md:20-24" in contexts
    actions = [e["action_id"] for b in message.blocks if b["type"] == "actions" for e in b["elements"]]
    assert actions[0] == ACTION_SHARE and actions[-1] == ACTION_MORE
    assert "sse-c" in message.text  # the notification text


def test_source_url_template_makes_escaped_links() -> None:
    answer = Answer("q", (Hit("dir/a b&c.md", 3, 9, "H", "t", 1.0),))
    message = answer_message(
        answer, answer_id="a1", source_url="https://git.example/notes/{path}#L{start}-L{end}"
    )
    assert "<https://git.example/notes/dir/a%20b%26c.md#L3-L9|dir/a b&amp;c.md:3-9>" in all_text(message)


def test_a_shared_answer_is_attributed_and_has_no_share_button() -> None:
    message = answer_message(Answer("q", (hit(),)), answer_id="a1", shared_by="U0ASKER")
    assert "<@U0ASKER> asked" in all_text(message)
    assert ACTION_SHARE not in all_text(message)
    forged = answer_message(Answer("q", (hit(),)), answer_id="a1", shared_by="<!channel>")
    assert "<!channel>" not in all_text(forged)


@pytest.mark.parametrize("size", [1, 999, 3000, 50_000])
@pytest.mark.parametrize("char", ["a", "&", "<", "é", "👍"])
def test_block_kit_limits_hold_for_any_input(size: int, char: str) -> None:
    huge = char * size
    answer = Answer(huge, tuple(hit(text=huge, heading=huge, n=i) for i in range(1, 40)))
    for message in (
        answer_message(answer, answer_id="a" * 32, shareable=True, next_offset=3),
        no_answer_message(huge, huge),
    ):
        assert len(message.blocks) <= MAX_BLOCKS
        for text in sections(message):
            assert 0 < len(text) <= SECTION_TEXT_LIMIT
        for block in message.blocks:
            for element in block.get("elements", []):
                assert len(element.get("value", "")) <= BUTTON_VALUE_LIMIT
                assert len(element.get("text", "")) <= 3000 if isinstance(element.get("text"), str) else True


def test_button_values_over_the_limit_are_refused() -> None:
    with pytest.raises(ValueError):
        button("x", "y", "v" * (BUTTON_VALUE_LIMIT + 1))


def test_no_answer_says_so_and_points_to_help() -> None:
    text = all_text(no_answer_message("zzz <!here>"))
    assert "couldn't find anything" in text and "/awssec help" in text and "<!here>" not in text


def test_sources_lists_every_note_with_counts_within_limits() -> None:
    many = [(f"folder/note-{i:05d}.md", i % 7 + 1) for i in range(5000)]
    message = sources_message(many, "2026-11-22T10:00:00+00:00")
    assert len(message.blocks) <= MAX_BLOCKS
    assert all(len(t) <= SECTION_TEXT_LIMIT for t in sections(message))
    assert "5000 notes indexed" in all_text(message) and "more notes" in all_text(message)
    few = sources_message([("a.md", 1), ("b.md", 12)], "2026-11-22")
    assert "`a.md` — 1 chunk\n" in all_text(few).replace("\\n", "\n") and "`b.md` — 12 chunks" in all_text(
        few
    )


def test_help_lists_the_registered_subcommands() -> None:
    text = all_text(help_message([("quiz", "a practice question"), ("sources", "the notes")]))
    assert "/awssec quiz" in text and "/awssec sources" in text


def test_a_claim_the_notes_strike_through_shows_struck_through_in_slack() -> None:
    text = "• ~~SCPs restrict the management account~~ — wrong: SCPs never affect it; s3:~~ stays"
    snippet = sections(answer_message(Answer("q", (hit(text),)), answer_id="a1"))[1]
    assert "~SCPs restrict the management account~ — wrong" in snippet and "~~" not in snippet.split("s3:")[0]
