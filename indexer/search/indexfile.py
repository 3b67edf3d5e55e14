"""The index file's content: a :class:`SearchIndex` as a plain JSON dict with a format and a version,
and back. No disk here: ``indexer.build`` reads and writes the file (through ``indexer.files``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from typing import Any

import numpy as np

from indexer.model import Chunk, ChunkRole
from indexer.search.index import SearchIndex, SearchTuning
from indexer.search.tokenize import TokenizerSettings

INDEX_FORMAT = "awssec-index"
INDEX_VERSION = 3
REBUILD = "Run `awssec index` to rebuild it."
"""What every :class:`IndexFileError` tells the user to do."""


class IndexFileError(Exception):
    """The index file is missing, corrupt or of a version this awssec cannot read."""


class IndexOutdated(IndexFileError):
    """The index file was written by an older awssec: safe to rebuild from its notes."""


def _chunk_to_json(chunk: Chunk, terms: Sequence[str], extra: Sequence[str]) -> dict[str, Any]:
    return {
        "source": chunk.source,
        "line_start": chunk.line_start,
        "line_end": chunk.line_end,
        "heading": chunk.heading,
        "headings": list(chunk.headings),
        "title_from": chunk.title_from,
        "role": chunk.role.value,
        "text": chunk.text,
        "terms": list(terms),
        "extra_terms": list(extra),
    }


def index_to_dict(index: SearchIndex) -> dict[str, Any]:
    """The index as the file holds it: plain JSON values, with the format and its version."""
    return {
        "format": INDEX_FORMAT,
        "version": INDEX_VERSION,
        "built_at": index.built_at,
        "corpus_hash": index.corpus_hash,
        "corpus_dirs": list(index.corpus_dirs),
        "stats": index.stats,
        "tokenizer": index.settings.to_json(),
        "tuning": index.tuning.to_json(),
        "vocabulary": index.vocabulary,
        "negative_chunks": [int(n) for n in np.flatnonzero(index.states_negative)],
        "chunks": [
            _chunk_to_json(c, t, e)
            for c, t, e in zip(index.chunks, index.chunk_terms, index.extra_terms, strict=True)
        ],
    }


def index_from_dict(data: object, where: object) -> SearchIndex:
    """The index that :func:`index_to_dict` gave ``data``; raises :class:`IndexFileError` saying what is
    wrong with the file named ``where`` and how to fix it."""
    if not isinstance(data, dict) or data.get("format") != INDEX_FORMAT:
        raise IndexFileError(f"{where} is not an awssec index. {REBUILD}")
    version = data.get("version")
    if isinstance(version, int) and not isinstance(version, bool) and version < INDEX_VERSION:
        raise IndexOutdated(
            f"The index at {where} was written by an older awssec (version {version}; this one reads "
            f"version {INDEX_VERSION}). {REBUILD}"
        )
    if version != INDEX_VERSION:
        raise IndexFileError(
            f"The index at {where} has version {data.get('version')!r}; this awssec reads version "
            f"{INDEX_VERSION}. {REBUILD}"
        )
    try:
        chunks = [
            Chunk(
                source=c["source"],
                line_start=int(c["line_start"]),
                line_end=int(c["line_end"]),
                heading=c["heading"],
                text=c["text"],
                headings=tuple(c["headings"]),
                title_from=int(c.get("title_from", 0)),
                role=ChunkRole(c.get("role", ChunkRole.TEXT)),
            )
            for c in data["chunks"]
        ]
        terms = [c["terms"] for c in data["chunks"]]
        extra = [c.get("extra_terms", []) for c in data["chunks"]]
        known = {f.name for f in fields(SearchTuning)}
        tuning = SearchTuning(**{k: v for k, v in data["tuning"].items() if k in known})
        settings = TokenizerSettings.from_json(data["tokenizer"])
        return SearchIndex(
            chunks,
            terms,
            settings,
            dict(data["vocabulary"]),
            extra_terms=extra,
            tuning=tuning,
            corpus_hash=data.get("corpus_hash", ""),
            corpus_dirs=data.get("corpus_dirs", []),
            built_at=data.get("built_at"),
            stats=data.get("stats", {}),
            negative_chunks=[int(n) for n in data["negative_chunks"]],
        )
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
        # a field of the wrong type ("tokenizer": null) is as corrupt as a missing one
        raise IndexFileError(f"The index at {where} is corrupt ({exc!r}). {REBUILD}") from exc
