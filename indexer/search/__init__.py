"""Search: text to terms (``tokenize``), BM25 answered from posting lists (``bm25``), the index of chunks
(``index``), questions to cited hits (``query``; question shapes in ``negation`` and ``sections``), and
the index as the file holds it (``indexfile``)."""
