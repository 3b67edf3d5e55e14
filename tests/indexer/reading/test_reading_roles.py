"""What each chunk is for, read off structure: links, practice options and their question, code,
boilerplate, and headings so generic they say nothing of their topic."""

from __future__ import annotations

from pathlib import Path

from indexer.model import ChunkRole
from indexer.reading.chunk import chunk_blocks
from indexer.reading.parse import parse_blocks
from indexer.reading.roles import generic_headings, heading_key, mark_boilerplate

STYLES = Path(__file__).resolve().parents[2] / "fixtures" / "styles"


def chunks_of(text: str, source: str = "note.md"):
    return chunk_blocks(parse_blocks(text), source)


def role_of(chunks, words: str) -> ChunkRole:
    return next(c.role for c in chunks if words in c.text)


def test_practice_notes_have_a_question_options_reasoning_and_links() -> None:
    chunks = chunks_of((STYLES / "practice.md").read_text(encoding="utf-8"))
    assert role_of(chunks, "B. SCPs do not apply") is ChunkRole.OPTIONS
    assert role_of(chunks, "C is correct because") is ChunkRole.TEXT
    assert role_of(chunks, "Service control policies (SCPs)") is ChunkRole.LINKS


def test_the_text_just_before_options_is_their_question() -> None:
    text = (
        "# Q\n\nA team needs short-lived credentials for a vendor. Which service issues them?\n\n"
        "---\n\n"  # the options in a chunk of their own
        "# Q\n\n- A. STS\n- B. KMS\n- C. Macie\n- D. WAF\n"
    )
    chunks = chunks_of(text)
    assert [c.role for c in chunks] == [ChunkRole.QUESTION, ChunkRole.OPTIONS]


def test_lettered_lines_out_of_order_are_not_options() -> None:
    chunks = chunks_of("# Notes\n\n- A. one thing\n- C. another\n- B. and this\n")
    assert chunks[0].role is ChunkRole.TEXT


def test_lettered_sub_steps_of_a_procedure_are_not_options() -> None:
    # "2. Schedule the deletion / a. … b. … c. …": the steps of a runbook, not a practice question's options
    text = (
        "## Deleting a key\n\n1. Disable the key first and watch what breaks\n2. Schedule the deletion\n"
        "  a. `aws kms schedule-key-deletion --key-id $KEY_ID --pending-window-in-days 7`\n"
        "  b. the waiting period is 7 to 30 days, default 30\n"
        "  c. the key is PendingDeletion: no crypto operations during the wait\n"
    )
    chunks = chunks_of(text)
    assert [c.role for c in chunks] == [ChunkRole.TEXT]
    assert "  • b. the waiting period" in chunks[0].text  # a sub-step of its own, nested under step 2


def test_code_and_policy_examples() -> None:
    text = '# Policy\n\n```json\n{\n  "Effect": "Allow",\n  "Action": "kms:Decrypt"\n}\n```\n'
    assert chunks_of(text)[0].role is ChunkRole.CODE


def test_a_single_link_in_a_sentence_is_still_text() -> None:
    note = "# KMS\n\n- Keys rotate yearly; see [rotation](https://example.com/r) for the details.\n"
    chunks = chunks_of(note)
    assert chunks[0].role is ChunkRole.TEXT


def test_text_repeated_in_three_notes_is_boilerplate() -> None:
    footer = "Did this page help you? Send us feedback through the documentation portal please."
    pages = [(f"# Page {n}\n\nKMS fact number {n}.\n\n---\n\n{footer}\n", f"{n}.md") for n in range(3)]
    chunks = [c for text, name in pages for c in chunks_of(text, name)]
    marked = mark_boilerplate(chunks)
    assert {c.role for c in marked if "feedback" in c.text} == {ChunkRole.BOILERPLATE}
    assert {c.role for c in marked if "KMS fact" in c.text} == {ChunkRole.TEXT}


def test_headings_used_under_many_parents_are_generic() -> None:
    chunks = chunks_of((STYLES / "guide.md").read_text(encoding="utf-8"), "guide.md")
    generic = generic_headings(chunks)
    assert heading_key("📌 What You Need to Know") in generic
    assert heading_key("✅ Exam Tips") in generic
    assert heading_key("🔍 IAM Access Analyzer") not in generic
