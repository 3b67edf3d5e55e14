"""BM25 scoring on rank-bm25, with Lucene's IDF and an inverted index for speed.

rank-bm25's Okapi IDF goes negative for a term in more than half the documents and is then floored
to a fraction of the mean, so common terms can outweigh rare ones and tiny corpora score zero
(rank_bm25 issues #39, #43). Lucene's ``ln(1 + (N - n + 0.5) / (n + 0.5))`` is always positive and
falls smoothly with document frequency. Scoring walks posting lists instead of every document, so a
question costs the length of its terms' postings, not the size of the corpus.

:class:`FieldedBM25` is BM25F on top: a chunk's body, own title and heading path are fields with weights
and length normalisations of their own, summed into one term frequency before BM25 saturates it, so a
title word counts more than a body word without a title stuffed with repeats outranking real text.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
from rank_bm25 import BM25Okapi

Postings = dict[str, tuple[np.ndarray, np.ndarray]]
"""term -> (document ids, term frequencies)."""


class LuceneBM25(BM25Okapi):
    """Okapi BM25 with Lucene's IDF and weighted queries answered from posting lists."""

    def __init__(
        self,
        corpus: Sequence[Sequence[str]],
        k1: float = 1.2,
        b: float = 0.75,
        lengths: Sequence[int] | None = None,
    ) -> None:
        """``lengths`` overrides the document lengths used for normalisation (e.g. to leave out terms
        added only so a document can be found, like the original spelling of a fixed typo)."""
        super().__init__(list(corpus), k1=k1, b=b)
        if lengths is not None:
            if len(lengths) != self.corpus_size:
                raise ValueError("one length per document")
            self.doc_len = list(lengths)
            self.avgdl = sum(self.doc_len) / max(self.corpus_size, 1)
        doc_lengths = np.asarray(self.doc_len, dtype=np.float64)
        self._norm = k1 * (1 - b + b * doc_lengths / max(self.avgdl, 1e-9))
        self._postings = self._build_postings()

    def _build_postings(self) -> Postings:
        """term -> (document ids, term frequencies), from rank-bm25's per-document counts."""
        postings: dict[str, tuple[list[int], list[float]]] = {}
        for doc_id, freqs in enumerate(self.doc_freqs):
            for term, tf in freqs.items():
                ids, tfs = postings.setdefault(term, ([], []))
                ids.append(doc_id)
                tfs.append(tf)
        return _as_arrays(postings)

    def _calc_idf(self, nd: Mapping[str, int]) -> None:
        n_docs = self.corpus_size
        self.idf = {term: math.log(1 + (n_docs - n + 0.5) / (n + 0.5)) for term, n in nd.items()}

    def rows(self, term: str) -> np.ndarray:
        """The ids of the documents ``term`` occurs in, ascending."""
        posting = self._postings.get(term)
        return posting[0] if posting is not None else np.zeros(0, dtype=np.int32)

    def document_frequency(self, term: str) -> int:
        """In how many documents ``term`` occurs."""
        posting = self._postings.get(term)
        return 0 if posting is None else len(posting[0])

    def weighted_scores(
        self,
        weights: Mapping[str, float],
        alternatives: Sequence[tuple[float, Sequence[str]]] = (),
        spellings: Sequence[tuple[float, Sequence[str]]] = (),
    ) -> np.ndarray:
        """BM25 score of every document for a query given as term -> weight (1.0 = an ordinary term).

        ``alternatives``: (weight, terms) groups of interchangeable terms; a document scores, for each
        group, its best term's score only (a page saying both "price" and "charge" is not twice as
        much about cost). ``spellings``: (weight, terms) groups of one word's spellings ("account",
        "acct"; "encrypt" and a typo's "encrypti"), scored the same way but as one word, with the IDF of
        every document holding any of them: a rare misspelling is no rarer a word than the word."""
        scores = np.zeros(self.corpus_size, dtype=np.float64)
        for term, weight in weights.items():
            found = self._term_scores(term, weight)
            if found is not None:
                scores[found[0]] += found[1]
        for weight, terms in alternatives:
            scores += self._best_of(terms, weight)
        for weight, terms in spellings:
            held = [self._postings[t][0] for t in terms if t in self._postings]
            if held:
                n = len(np.unique(np.concatenate(held)))
                scores += self._best_of(terms, weight, math.log(1 + (self.corpus_size - n + 0.5) / (n + 0.5)))
        return scores

    def _best_of(self, terms: Sequence[str], weight: float, idf: float | None = None) -> np.ndarray:
        best = np.zeros(self.corpus_size, dtype=np.float64)
        for term in terms:
            found = self._term_scores(term, weight, idf)
            if found is not None:
                ids, values = found  # a posting's ids are distinct: one value each
                best[ids] = np.maximum(best[ids], values)
        return best

    def _term_scores(
        self, term: str, weight: float, idf: float | None = None
    ) -> tuple[np.ndarray, np.ndarray] | None:
        """The documents ``term`` occurs in and its weighted BM25 score in each (with its own IDF, or
        ``idf``); None when it occurs nowhere or weighs nothing."""
        posting = self._postings.get(term)
        if posting is None or weight == 0:
            return None
        ids, tfs = posting
        idf = self.idf[term] if idf is None else idf
        return ids, weight * idf * tfs * (self.k1 + 1) / (tfs + self._norm[ids])


def _as_arrays(postings: Mapping[str, tuple[list[int], list[float]]]) -> Postings:
    return {
        term: (np.asarray(ids, dtype=np.int32), np.asarray(tfs, dtype=np.float64))
        for term, (ids, tfs) in postings.items()
    }


class FieldedBM25(LuceneBM25):
    """BM25F: Lucene-IDF BM25 whose term frequency is the weighted sum of each field's frequency, each
    normalised by that field's length (``field_b``). Document frequencies count whole documents.

    ``fields``: field name -> one term list per document (all fields the same length). ``unweighted``:
    terms that make a document findable at the body's weight but do not lengthen it (the original
    spelling of an uncertain typo fix).
    """

    def __init__(
        self,
        fields: Mapping[str, Sequence[Sequence[str]]],
        weights: Mapping[str, float],
        field_b: Mapping[str, float],
        k1: float = 1.2,
        unweighted: Sequence[Sequence[str]] | None = None,
    ) -> None:
        names = list(fields)
        size = len(fields[names[0]]) if names else 0
        if any(len(fields[name]) != size for name in names):
            raise ValueError("every field needs one term list per document")
        self._fields = {name: fields[name] for name in names}
        self._weights = {name: weights[name] for name in names}
        self._field_b = {name: field_b[name] for name in names}
        self._unweighted = unweighted or [[] for _ in range(size)]
        union = [
            [term for name in names for term in fields[name][doc]] + list(self._unweighted[doc])
            for doc in range(size)
        ]
        # b=0: each field is normalised inside the term frequency, so the saturation's norm is k1
        super().__init__(union or [[]], k1=k1, b=0.0)

    def _build_postings(self) -> Postings:
        # Every (term, document, weighted frequency) of every field, as arrays, summed per (term,
        # document) by sorting: a pass over the terms in Python, the rest in numpy.
        ids: dict[str, int] = {}
        term_of: list[int] = []
        doc_of: list[int] = []
        share_of: list[float] = []
        for name, documents in self._fields.items():
            lengths = np.asarray([len(d) for d in documents], dtype=np.float64)
            average = max(float(lengths.mean()) if len(lengths) else 0.0, 1e-9)
            b, weight = self._field_b[name], self._weights[name]
            shares = weight / (1 - b + b * lengths / average)
            for doc_id, terms in enumerate(documents):
                share = float(shares[doc_id])
                for term in terms:
                    term_of.append(ids.setdefault(term, len(ids)))
                    doc_of.append(doc_id)
                    share_of.append(share)
        terms_arr = np.asarray(term_of, dtype=np.int64)
        docs_arr = np.asarray(doc_of, dtype=np.int64)
        key = terms_arr * max(self.corpus_size, 1) + docs_arr
        order = np.argsort(key, kind="stable")
        key, shares_arr = key[order], np.asarray(share_of, dtype=np.float64)[order]
        starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else np.zeros(0, dtype=np.int64)
        key = key[starts]
        totals = np.add.reduceat(shares_arr, starts) if len(starts) else shares_arr
        term_ids, doc_ids = np.divmod(key, max(self.corpus_size, 1))
        found = self._unweighted_rows(ids)
        names = list(ids)
        bounds: Sequence[int] = (
            np.flatnonzero(np.r_[True, term_ids[1:] != term_ids[:-1], True]).tolist() if len(key) else []
        )
        postings: Postings = {}
        for left, right in zip(bounds[:-1], bounds[1:], strict=False):
            term = names[int(term_ids[left])]
            rows, tfs = doc_ids[left:right].astype(np.int32), totals[left:right]
            extra = found.pop(term, None)
            postings[term] = _with_unweighted(rows, tfs, extra) if extra else (rows, tfs)
        for term, rows_set in found.items():
            rows = np.asarray(sorted(rows_set), dtype=np.int32)
            postings[term] = (rows, np.ones(len(rows)))
        return postings

    def _unweighted_rows(self, ids: Mapping[str, int]) -> dict[str, set[int]]:
        found: dict[str, set[int]] = {}
        for doc_id, terms in enumerate(self._unweighted):
            for term in terms:
                found.setdefault(term, set()).add(doc_id)
        return found


def _with_unweighted(rows: np.ndarray, tfs: np.ndarray, extra: set[int]) -> tuple[np.ndarray, np.ndarray]:
    """A posting with documents that also hold the term as an unweighted (typo) spelling: frequency at
    least 1 there."""
    merged: dict[int, float] = {int(r): float(t) for r, t in zip(rows, tfs, strict=True)}
    for doc in extra:
        merged[doc] = max(merged.get(doc, 0.0), 1.0)
    order = sorted(merged)
    return np.asarray(order, dtype=np.int32), np.asarray([merged[d] for d in order], dtype=np.float64)
