"""The fields of a chunk that BM25F weighs apart from its body: its own title and its heading path.

A chunk's own title (``SSE - C``) says most about it; the headings above it (``Security › S3 Encryption
for Objects``) and its note's file name say what it belongs to. A generic own title ("Exam Tips",
"What You Need to Know", "Pricing": used under many parents, see ``reading.roles.generic_headings``)
says little, so it borrows the nearest specific heading above it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from indexer.model import Chunk
from indexer.reading.roles import generic_headings, heading_key
from indexer.search.tokenize import Tokenizer

_FILE_WORDS = re.compile(r"[-_.]+")


@dataclass(frozen=True)
class HeadingFields:
    """The title and path terms of every chunk, in chunk order."""

    title: list[list[str]]
    """Terms of each chunk's own title (with a borrowed specific heading when it is generic)."""
    path: list[list[str]]
    """Terms of each chunk's specific ancestor headings and its note's file name."""


def heading_fields(chunks: Sequence[Chunk], tokenizer: Tokenizer) -> HeadingFields:
    """Title and path terms of ``chunks`` (headings repeat across chunks: each is tokenized once)."""
    generic = generic_headings(chunks)
    cache: dict[tuple[str, tuple[str, ...], int], tuple[list[str], list[str]]] = {}
    titles: list[list[str]] = []
    paths: list[list[str]] = []
    for chunk in chunks:
        key = (chunk.source, chunk.headings, chunk.title_from)
        if key not in cache:
            cache[key] = _fields(chunk, tokenizer, generic)
        title, path = cache[key]
        titles.append(title)
        paths.append(path)
    return HeadingFields(titles, paths)


def _fields(chunk: Chunk, tokenizer: Tokenizer, generic: frozenset[str]) -> tuple[list[str], list[str]]:
    headings = [h for h in chunk.headings if h != chunk.source]
    own = headings[chunk.title_from :] if len(headings) == len(chunk.headings) else headings
    ancestors = headings[: len(headings) - len(own)]
    specific = [h for h in ancestors if heading_key(h) not in generic]
    title = list(own)
    if all(heading_key(h) in generic for h in own) and specific:
        title.append(specific[-1])
    file_words = _FILE_WORDS.sub(" ", chunk.source.rsplit("/", 1)[-1].rsplit(".", 1)[0])
    return tokenizer.terms(" ".join(title)), tokenizer.terms(" ".join([*specific, file_words]))
