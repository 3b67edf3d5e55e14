"""Text inside HTML blocks of markdown notes is indexed with its true line numbers, tags dropped."""

from __future__ import annotations

from pathlib import Path

from indexer.build import build_index
from indexer.reading.html import html_block_texts
from indexer.reading.parse import parse_blocks
from indexer.search.query import search

STYLES = Path(__file__).resolve().parents[2] / "fixtures" / "styles"


def test_list_items_summaries_and_table_rows_keep_their_lines() -> None:
    raw = (STYLES / "lecture.md").read_text(encoding="utf-8")
    lines = raw.split("\n")
    blocks = parse_blocks(raw)
    by_text = {b.text: b for b in blocks}
    item = next(b for b in blocks if b.text.startswith("The KMS Encrypt call takes up to 4 KB"))
    assert item.kind == "item"
    assert "4 KB of plaintext" in lines[item.line_start - 1]
    summary = by_text["Secrets Manager rotation"]
    assert summary.kind == "label" and "<summary>" in lines[summary.line_start - 1]
    table = next(b for b in blocks if b.kind == "table")
    assert table.text.split("\n")[1] == "SSE-S3 | Amazon S3"
    assert "<th>" in lines[table.line_start - 1] and "SSE-KMS" in lines[table.line_end - 1]


def test_scripts_comments_and_tags_never_reach_the_text() -> None:
    html = '<!-- hidden -->\n<script>var x = "<li>no</li>";</script>\n<p>kept &amp; decoded</p>'
    found = html_block_texts(html, 7)
    assert [(t.kind, t.line_start, t.text) for t in found] == [("para", 9, "kept & decoded")]


def test_a_fact_inside_an_html_box_is_found_and_cited(make_corpus) -> None:
    root = make_corpus({"lecture.md": (STYLES / "lecture.md").read_text(encoding="utf-8")})
    hit = search(build_index([root], fix_typos=False), "largest plaintext for the KMS Encrypt call").hits[0]
    assert "4 KB" in hit.text
    raw_lines = (root / "lecture.md").read_text(encoding="utf-8").split("\n")
    assert any("4 KB" in raw_lines[n - 1] for n in range(hit.line_start, hit.line_end + 1))


def test_placeholders_in_angle_brackets_are_text_html_tags_are_not() -> None:
    note = "- tag with aws:PrincipalTag/<key>, copy to s3://<bucket>/ and <b>bold</b> a<sup>2</sup>\n"
    [block] = parse_blocks(note)
    assert block.text == "tag with aws:PrincipalTag/<key>, copy to s3://<bucket>/ and bold a2"


def test_a_line_break_inside_a_table_cell_keeps_the_row_whole() -> None:
    # a wiki export: "<td>7 years<br><em>(1 year in S3 Standard …)</em></td>" is one cell of one row
    rows = html_block_texts(
        "<table>\n<tr><th>Log</th><th>Retention</th><th>Tier</th></tr>\n"
        "<tr><td>CloudTrail</td><td>7&nbsp;years<br><em>(1&nbsp;year in S3 Standard)</em></td>"
        "<td>Glacier<p>after a year</p></td></tr>\n</table>",
        20,
    )
    assert [(r.kind, r.line_start, r.text) for r in rows] == [
        ("table", 21, "Log | Retention | Tier"),
        ("table", 22, "CloudTrail | 7 years (1 year in S3 Standard) | Glacier after a year"),
    ]
