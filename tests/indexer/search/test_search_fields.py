"""BM25F over a chunk's body, own title and heading path, with generic titles borrowing a specific one
and chunks ranked by role: notes in other styles find the chunk that states the answer."""

from __future__ import annotations

from pathlib import Path

from indexer.build import build_index
from indexer.model import Chunk, ChunkRole
from indexer.search.index import topic_units
from indexer.search.query import search

STYLES = Path(__file__).resolve().parents[2] / "fixtures" / "styles"


def index_of(make_corpus, name: str):
    return build_index([make_corpus({name: (STYLES / name).read_text(encoding="utf-8")})], fix_typos=False)


def test_a_generic_heading_is_found_by_the_topic_above_it(make_corpus) -> None:
    # every section has a "What You Need to Know": the one under the asked service comes first
    index = index_of(make_corpus, "guide.md")
    hits = search(index, "What does IAM Access Analyzer find?", k=2).hits
    assert all("IAM Access Analyzer" in h.heading for h in hits)
    assert any("zone of trust" in h.text for h in hits)
    hits = search(index, "how long do STS credentials last", k=2).hits
    assert all("AWS STS" in h.heading for h in hits)
    assert any("expire" in h.text for h in hits)


def test_the_reasoning_outranks_the_options_that_repeat_the_question(make_corpus) -> None:
    index = index_of(make_corpus, "practice.md")
    answer = search(index, "Do SCPs only affect the management account?")
    top = next(c for c in index.chunks if c.text == answer.hits[0].text)
    assert top.role is ChunkRole.TEXT and "wrong because" in top.text


def test_a_link_list_never_outranks_the_facts_it_links_to(make_corpus) -> None:
    index = index_of(make_corpus, "practice.md")
    hits = search(index, "SCP effects on the root user", k=3).hits
    assert "Relevant Links" not in hits[0].heading


def test_a_title_word_counts_more_than_the_same_word_in_passing(make_corpus) -> None:
    root = make_corpus(
        {
            "a.md": "# Monitoring\n- CloudWatch alarms can watch GuardDuty findings and much else besides\n",
            "b.md": "# GuardDuty\n- analyses flow logs, DNS logs and CloudTrail events\n",
        }
    )
    assert search(build_index([root], fix_typos=False), "guardduty").hits[0].source == "b.md"


def test_a_whole_handbook_in_one_file_counts_its_sections_as_topics() -> None:
    # a folder of notes: each note a topic; one file holding every service: each service's section is one
    def chunk(source: str, *headings: str) -> Chunk:
        return Chunk(source, 1, 1, " › ".join(headings), "text", headings)

    folder = [chunk(f"note{n}.md", f"Note {n}", "Overview") for n in range(3) for _ in range(30)]
    unit_of, count = topic_units(folder)
    assert count == 3 and len(set(unit_of[:30])) == 1
    handbook = [
        chunk("handbook.md", f"{domain}. Domain", f"{domain}.{service} Service", "Limits")
        for domain in range(1, 4) for service in range(1, 6) for _ in range(10)
    ]
    unit_of, count = topic_units(handbook)
    assert count == 15  # services (10 chunks each), not the three domains of 50
    assert unit_of[0] == unit_of[9] != unit_of[10]
