"""BM25 scoring on rank-bm25, with Lucene's IDF and an inverted index for speed.

rank-bm25's Okapi IDF goes negative for a term in more than half the documents and is then floored
to a fraction of the mean, so common terms can outweigh rare ones and tiny corpora score zero
(rank_bm25 issues #39, #43). Lucene's ``ln(1 + (N - n + 0.5) / (n + 0.5))`` is always positive and
falls smoothly with document frequency. Scoring walks posting lists instead of every document, so a
question costs the length of its terms' postings, not the size of the corpus.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
from rank_bm25 import BM25Okapi


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
        postings: dict[str, tuple[list[int], list[int]]] = {}
        for doc_id, freqs in enumerate(self.doc_freqs):
            for term, tf in freqs.items():
                ids, tfs = postings.setdefault(term, ([], []))
                ids.append(doc_id)
                tfs.append(tf)
        doc_lengths = np.asarray(self.doc_len, dtype=np.float64)
        self._norm = k1 * (1 - b + b * doc_lengths / max(self.avgdl, 1e-9))
        self._postings = {
            term: (np.asarray(ids, dtype=np.int32), np.asarray(tfs, dtype=np.float64))
            for term, (ids, tfs) in postings.items()
        }

    def _calc_idf(self, nd: Mapping[str, int]) -> None:
        n_docs = self.corpus_size
        self.idf = {term: math.log(1 + (n_docs - n + 0.5) / (n + 0.5)) for term, n in nd.items()}

    def document_frequency(self, term: str) -> int:
        """In how many documents ``term`` occurs."""
        posting = self._postings.get(term)
        return 0 if posting is None else len(posting[0])

    def weighted_scores(self, weights: Mapping[str, float]) -> np.ndarray:
        """BM25 score of every document for a query given as term -> weight (1.0 = an ordinary term)."""
        scores = np.zeros(self.corpus_size, dtype=np.float64)
        for term, weight in weights.items():
            posting = self._postings.get(term)
            if posting is None or weight == 0:
                continue
            ids, tfs = posting
            scores[ids] += weight * self.idf[term] * tfs * (self.k1 + 1) / (tfs + self._norm[ids])
        return scores
