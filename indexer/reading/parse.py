"""Parse hostile Obsidian-style markdown into blocks that keep their raw line numbers.

The notes indent bullets by 4 or 8 spaces, mix tabs and spaces and escape bullets as ``\\*``;
CommonMark would read much of that as code blocks or lazy continuation lines. So a line-preserving
normaliser first re-indents every bullet to the nesting its indentation means, then markdown-it-py
parses the result. Line ``n`` of the normalised text is line ``n`` of the raw file, so ``Token.map``
gives raw line numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token

from indexer.reading.html import html_block_texts

_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_RULE = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")
_BULLET = re.compile(r"^([ \t]*)(\\?[-*+]|\d{1,9}[.)])([ \t]+|$)(.*)$")
SUB_STEP_MARK = r"(?:[a-z]|i{1,3}|iv|vi{0,3}|ix|x)[.)]"
"""A sub-step's letter or roman numeral (``a.``, ``b)``, ``iv.``), as notes number the steps under a step."""
FOOTNOTE_MARK = r"\[\^[^\]\s]+\]"
"""A footnote's mark (``[^1]``); followed by ``:`` at the start of a line, its text."""
_LETTERED = re.compile(rf"^([ \t]+){SUB_STEP_MARK}[ \t]+\S")
"""An indented sub-step lettered (``a.``, ``b)``) or in roman numerals (``iv.``) inside a list."""
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$")
_NUMBERED_TITLE = re.compile(r"^( {0,3}\d{1,9})([.)])(?=[ \t]+\S)")
_ADMONITION = re.compile(r'^(?:!!!|\?\?\?\+?)[ \t]+([\w-]+)(?:[ \t]+"([^"]*)")?[ \t]*$')
"""An MkDocs admonition opening its indented box: ``!!! note "Remember"``, ``??? tip "Exam hint"``."""
_FOOTNOTE = re.compile(rf"^{FOOTNOTE_MARK}:[ \t]*|{FOOTNOTE_MARK}", re.MULTILINE)
"""A footnote's mark (``[^1]``) or the start of its text at the end of a note (``[^1]: …``)."""
_EMBED = re.compile(r"!\[\[[^\]]*\]\]")
_WIKILINK = re.compile(r"\[\[([^\]|#]*)(?:#[^\]|]*)?(?:\|([^\]]*))?\]\]")
_SLACK_LINK = re.compile(r"<(?:https?|mailto):[^|<>\s]*\|([^<>]*)>")
_SLACK_MENTION = re.compile(r"<[@#!][A-Za-z0-9^]+(?:\|[^<>]*)?>")
"""A Slack thread pasted into notes: its links (``<https://…|Orgs quotas page>``: the text kept) and its
mentions (``<@U04TOMK2Q>``, ``<!here>``: dropped)."""
_BLOCK_REF = re.compile(r"\{\{[^{}\n]*\}\}|\(\([0-9a-fA-F]{8}-[0-9a-fA-F-]{4,}\)\)")
"""An outliner's block reference (``((64f1c2a0-…))``), embed or query (``{{embed ((…))}}``): a pointer to
text elsewhere, no words of its own."""
_PAGE_TAG = re.compile(r"(?<!\S)#\[\[([^\]|#]*)\]\]")
"""A Logseq tag naming a page of several words (``#[[AWS Config]]``): kept as one tag (``#AWS-Config``)."""
TAG_MARK = r"(?<!\S)#[A-Za-z][\w/-]*"
"""A tag (``#exam``, ``#aws/kms``): the writer's filing, no words of a heading's name or of a fact."""
_HASHTAG = re.compile(TAG_MARK)
_HIGHLIGHT = re.compile(r"==(?=\S)(.+?)(?<=\S)==")
_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_HTML_TAG_NAME = re.compile(
    r"</?(?:a|abbr|b|bdi|bdo|big|blockquote|br|center|cite|code|del|details|dfn|div|em|font|h[1-6]|hr|i|img|"
    r"ins|kbd|li|mark|ol|p|pre|q|s|samp|small|span|strike|strong|sub|summary|sup|table|tbody|td|tfoot|"
    r"th|thead|tr|tt|u|ul|var|wbr|iframe|script|style|video|audio|source|picture|figure|figcaption|"
    r"section|article|aside|nav|header|footer|main|label|input|button|form|select|option|textarea|"
    r"svg|path|g|canvas|object|embed|param|meta|link|html|body|head|title|col|colgroup|caption|dl|dt|"
    r"dd|ruby|rt|rp|time|data|template|slot|noscript|address|map|area|track|hgroup|menu|dialog|"
    r"output|progress|meter|fieldset|legend|datalist|optgroup|search)(?:[\s/>]|$)",
    re.IGNORECASE,
)
"""HTML's own tags: dropped from text. Anything else in angle brackets (``<key>``, ``<bucket_name>``) is a
placeholder the notes mean to show, and is kept."""
_CALLOUT = re.compile(r"^\[![A-Za-z-]+\][+-]?[ \t]*", re.MULTILINE)
_FRONT_MATTER_KEY = re.compile(r"^[A-Za-z0-9_-]+:")
_BLOCK_PROPERTY = re.compile(r"^[ \t]*[A-Za-z][\w-]*::[ \t]")
"""A page or block property of an outliner (Logseq ``id:: 64f1…``, ``tags:: aws``): metadata, like front
matter."""


@dataclass(frozen=True)
class Block:
    """A piece of a note that markdown-it found, with its place in the raw file."""

    kind: str
    """``heading`` (a real ``#`` heading), ``label`` (a bold line used as a heading), ``item`` (a list
    item's own text), ``para``, ``table``, ``code`` or ``rule`` (a thematic break)."""
    line_start: int
    """First raw line, 1-based."""
    line_end: int
    """Last raw line, 1-based, inclusive."""
    text: str
    """Plain text: markup removed, one line per source line; code kept verbatim."""
    level: int = 0
    """Heading level (1-6) for headings; 0 otherwise."""
    depth: int = 0
    """List nesting for items: 0 for a top-level bullet; for a table or code inside a list item, one more
    than its item's (it is nested under the item); 0 outside lists."""
    link_share: float = 0.0
    """How much of the text is link text or bare URLs (0–1): a list of links is navigation, not facts."""


def _indent_width(ws: str) -> int:
    width = 0
    for ch in ws:
        width += 4 - (width % 4) if ch == "\t" else 1
    return width


def _dedent(line: str, width: int) -> str:
    """``line`` without up to ``width`` columns of its indentation (a tab to the next multiple of 4)."""
    col = 0
    for i, ch in enumerate(line):
        if col >= width or ch not in " \t":
            return line[i:]
        col += 4 - (col % 4) if ch == "\t" else 1
    return ""


def _front_matter_lines(lines: list[str]) -> int:
    """How many lines a YAML front matter block (``---`` / ``key: value`` lines / ``---``) takes, or 0."""
    if not lines or lines[0].strip() != "---":
        return 0
    for number, line in enumerate(lines[1:40], start=1):
        if line.strip() in ("---", "..."):
            return number + 1 if number > 1 and _FRONT_MATTER_KEY.match(lines[1]) else 0
    return 0


def normalize_markdown(raw: str) -> str:
    """Re-indent bullets so CommonMark nests them as the author meant; keep every line where it was.

    Indentation is read relative to the bullets around it (4 or 8 spaces, tabs), so a top-level bullet
    indented by 4 spaces stays a top-level bullet instead of becoming a code block. ``\\*`` at the start
    of a line is taken as a bullet. Fenced code is left as it is, but one inside a list item (``- ```json``
    or indented under a bullet) is indented with its item, so the list goes on after it. YAML front matter
    becomes blank lines, and so do an outliner's properties (``id:: 64f1…``). An MkDocs admonition's
    opening line (``!!! note "Remember"``) keeps only its title, a numbered title underlined as a heading
    ("1. Roles" over ``----``) is a heading, not a one-item list, and a lettered sub-step inside a list
    ("  a. …") becomes a bullet of its own, its letter kept. Slack mentions pasted with a thread
    (``<!here>``, ``<@U04TOMK2Q>``) are dropped, so one opening a line is no HTML block.
    """
    lines = raw.split("\n")
    front_matter = _front_matter_lines(lines)
    out: list[str] = [""] * front_matter
    fence: str | None = None
    fence_cols = (0, 0)  # a fence inside a list item: its indentation as written, and its item's text column
    widths: list[int] = []  # indentation width of the open bullet at each depth
    content_cols: list[int] = []  # where the text of the open bullet at each depth starts, normalised
    body = lines[front_matter:]
    for number, line in enumerate(body):
        if fence is not None:
            written, column = fence_cols
            out.append(" " * column + _dedent(line, written) if column else line)
            if line.strip().startswith(fence):
                fence = None
            continue
        line = _without_mentions(line)  # "- <!here> reminder …": no HTML block, the bullet kept
        m = _FENCE.match(line)
        if m:
            fence = m.group(1)[0] * 3
            width = _indent_width(line[: len(line) - len(line.lstrip())])
            while widths and widths[-1] >= width:
                widths.pop()
                content_cols.pop()
            if widths:  # indented under a bullet: the code is part of that item, and the list goes on
                fence_cols = (width, content_cols[-1])
                out.append(" " * content_cols[-1] + line.lstrip())
            else:
                fence_cols = (0, 0)
                out.append(line.lstrip())
            continue
        if _RULE.match(line) and not line.startswith((" ", "\t")):
            out.append(line)
            widths, content_cols = [], []
            continue
        if _BLOCK_PROPERTY.match(line):
            out.append("")  # "id:: 64f1…", "collapsed:: true", "tags:: aws": an outliner's metadata
            continue
        admonition = _ADMONITION.match(line)
        if admonition:
            # the box's title stands on its line ("Remember"), as an Obsidian callout's does; its indented
            # body follows as plain text
            kind, title = admonition.groups()
            out.append(title if title is not None else kind.capitalize())
            widths, content_cols = [], []
            continue
        if _numbered_setext_title(body, number):
            # "1. The policy language" underlined with "----": a numbered heading, not a list item above a
            # rule; the escaped dot keeps CommonMark from opening a list (the line's text is unchanged)
            out.append(_NUMBERED_TITLE.sub(r"\1\\\2", line, count=1))
            widths, content_cols = [], []
            continue
        lettered = _LETTERED.match(line) if content_cols else None
        if lettered:
            # "  a. reject public ACLs" under "1. The 4 switches": a sub-step, which CommonMark (numbers
            # only) would run into the step's text; written as a bullet it nests, its letter kept
            line = f"{lettered.group(1)}- {line.lstrip()}"
        bullet = _BULLET.match(line)
        if bullet and not _RULE.match(line):
            ws, marker, _sp, rest = bullet.groups()
            width = _indent_width(ws)
            while widths and widths[-1] > width:
                widths.pop()
                content_cols.pop()
            if widths and widths[-1] == width:
                widths.pop()
                content_cols.pop()
            indent = content_cols[-1] if content_cols else 0
            marker = marker.lstrip("\\")
            new = " " * indent + marker + " " + rest
            widths.append(width)
            content_cols.append(indent + len(marker) + 1)
            out.append(new.rstrip() if rest else (" " * indent + marker))
            opened = _FENCE.match(rest)
            if opened:  # "- ```json": code that is the item's text, its lines indented to the item's text
                fence = opened.group(1)[0] * 3
                fence_cols = (_indent_width(ws + marker + _sp), content_cols[-1])
            continue
        stripped = line.strip()
        if not stripped:
            out.append(line)
            continue
        if line[:1] in (" ", "\t") and content_cols:
            out.append(" " * content_cols[-1] + stripped)
            continue
        # Unindented text ends the list; indented text outside a list is not code here.
        widths, content_cols = [], []
        out.append(stripped if line[:1] in (" ", "\t") else line)
    return "\n".join(out)


def _without_mentions(line: str) -> str:
    """A line without its Slack mentions; one that opened the line leaves no space in its place (the
    line's indentation, which nests it, is kept)."""
    if "<" not in line:
        return line
    indent = len(line) - len(line.lstrip())
    rest = _SLACK_MENTION.sub("", line[indent:])
    return line[:indent] + (rest.lstrip() if _SLACK_MENTION.match(line[indent:]) else rest)


def _numbered_setext_title(lines: list[str], number: int) -> bool:
    """Whether ``lines[number]`` is a numbered title ("2. How AWS decides") set off as a heading by the
    underline after it ("====" or "----"), with a blank line (or nothing) before it."""
    if number + 1 >= len(lines) or not _NUMBERED_TITLE.match(lines[number]):
        return False
    if number > 0 and lines[number - 1].strip():
        return False
    return bool(_SETEXT_UNDERLINE.match(lines[number + 1]))


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").disable("code").enable("table")


_MD = _parser()


def without_tags(title: str) -> str:
    """A heading's or label's name without its tags ("GuardDuty #[[GuardDuty]] #exam" is "GuardDuty"),
    unless it is nothing but tags."""
    return " ".join(_HASHTAG.sub("", title).split()) or title


_LINE_BREAK_TAG = re.compile(r"(?i)<br\s*/?>$")


def inline_text(token: Token) -> str:
    """Plain text of an inline token: emphasis, links, HTML tags and embeds dropped, words kept; a ``<br>``
    inside a line is a separator (``; ``)."""
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "image":
            continue
        elif child.type == "html_inline":
            if _LINE_BREAK_TAG.match(child.content):
                # "created<br>(AssumeRole, …)", "`Recon:EC2/…`<br>`Trojan:EC2/…`" in a table cell: two
                # lines of one cell, or two items, never one word
                before = "".join(parts).rstrip()
                parts.append(" " if not before or before[-1] in ";,.:!?" else "; ")
            elif not _HTML_TAG_NAME.match(child.content):
                parts.append(child.content)  # a placeholder written in angle brackets: <key>, <bucket>
            continue
    text = "".join(parts)
    text = _SLACK_LINK.sub(lambda m: m.group(1) or m.group(0), text)  # mentions: see normalize_markdown
    text = _EMBED.sub("", _BLOCK_REF.sub("", text))
    text = _PAGE_TAG.sub(lambda m: "#" + "-".join(m.group(1).split()), text)
    text = _WIKILINK.sub(lambda m: m.group(2) or m.group(1), text)
    text = _HIGHLIGHT.sub(r"\1", text)
    text = _TAG.sub(lambda m: "" if _HTML_TAG_NAME.match(m.group(0)) else m.group(0), text)
    text = _CALLOUT.sub("", text)
    text = _FOOTNOTE.sub("", text)
    return "\n".join(" ".join(part.split()) for part in text.split("\n"))


_URL = re.compile(r"https?://\S+|www\.\S+")


def link_share(token: Token) -> float:
    """The share of an inline token's visible text that is link text or a bare URL."""
    linked = total = 0
    depth = 0
    for child in token.children or []:
        if child.type == "link_open":
            depth += 1
        elif child.type == "link_close":
            depth = max(depth - 1, 0)
        elif child.type in ("text", "code_inline"):
            size = len(child.content.strip())
            total += size
            if depth:
                linked += size
            else:
                linked += sum(len(m.group(0)) for m in _URL.finditer(child.content))
    return min(linked / total, 1.0) if total else 0.0


def _is_label(tokens: list[Token], i: int, in_list: bool) -> bool:
    """A one-line paragraph that is all bold (``**KMS Key Types**``), maybe with a short tail; HTML tags
    before it (an exported document's anchor, ``<a id="h.x8sd9"></a>``) are no text of it."""
    if in_list:
        return False
    inline = tokens[i + 1]
    kids = [k for k in inline.children or [] if not (k.type == "text" and not k.content.strip())]
    while kids and kids[0].type == "html_inline" and _HTML_TAG_NAME.match(kids[0].content):
        kids = kids[1:]
    if not kids or kids[0].type != "strong_open" or "\n" in inline.content:
        return False
    close = next((j for j, k in enumerate(kids) if k.type == "strong_close"), None)
    if close is None:
        return False
    tail = "".join(k.content for k in kids[close + 1 :]).strip()
    return len(tail) <= 24 and len(inline.content) <= 120


def parse_blocks(raw: str) -> list[Block]:
    """Parse a note into blocks in file order, each with raw 1-based line numbers."""
    text = normalize_markdown(raw)
    tokens = _MD.parse(text)
    blocks: list[Block] = []
    list_depth = -1
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            list_depth += 1
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
        elif tok.type == "heading_open" and tok.map:
            body = without_tags(inline_text(tokens[i + 1]).strip())
            if body:
                blocks.append(Block("heading", tok.map[0] + 1, tok.map[0] + 1, body, level=int(tok.tag[1])))
            i += 3
            continue
        elif tok.type == "paragraph_open" and tok.map:
            body = inline_text(tokens[i + 1])
            start, end = tok.map[0] + 1, tok.map[1]
            if body.strip():
                links = link_share(tokens[i + 1])
                if _is_label(tokens, i, list_depth >= 0):
                    blocks.append(Block("label", start, end, without_tags(body.strip())))
                elif list_depth >= 0:
                    blocks.append(Block("item", start, end, body, depth=list_depth, link_share=links))
                else:
                    blocks.append(Block("para", start, end, body, link_share=links))
            i += 3
            continue
        elif tok.type == "html_block" and tok.map:
            blocks.extend(_html_blocks(tok.content, tok.map[0] + 1, max(list_depth, 0)))
        elif tok.type == "hr" and tok.map:
            blocks.append(Block("rule", tok.map[0] + 1, tok.map[1], ""))
        elif tok.type == "fence" and tok.map:
            code = tok.content.rstrip("\n")
            blocks.append(Block("code", tok.map[0] + 1, tok.map[1], code, depth=list_depth + 1))
        elif tok.type == "table_open" and tok.map:
            rows: list[str] = []
            j = i + 1
            row: list[str] = []
            while tokens[j].type != "table_close":
                if tokens[j].type == "inline":
                    row.append(inline_text(tokens[j]).replace("\n", " "))
                elif tokens[j].type == "tr_close":
                    rows.append(" | ".join(row).lstrip())  # "| SG | NACL": an empty corner cell
                    row = []
                j += 1
            blocks.append(Block("table", tok.map[0] + 1, tok.map[1], "\n".join(rows), depth=list_depth + 1))
            i = j + 1
            continue
        i += 1
    return blocks


def _html_blocks(content: str, first_line: int, base_depth: int) -> list[Block]:
    """The text of an HTML block as blocks (see :mod:`indexer.reading.html`); table rows in a row are
    one table."""
    blocks: list[Block] = []
    for found in html_block_texts(content, first_line):
        last = blocks[-1] if blocks else None
        if found.kind == "table" and last is not None and last.kind == "table":
            blocks[-1] = Block("table", last.line_start, found.line_end, f"{last.text}\n{found.text}")
        elif found.kind == "heading":
            blocks.append(Block("heading", found.line_start, found.line_end, found.text, level=found.level))
        elif found.kind == "item":
            blocks.append(Block("item", found.line_start, found.line_end, found.text,
                                depth=base_depth + found.depth))
        else:
            blocks.append(Block(found.kind, found.line_start, found.line_end, found.text))
    return blocks
