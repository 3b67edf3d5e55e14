"""Derive the word pairs a quiz blank's neighbours are judged by: how often AWS documentation writes a
term or a number right beside a word, as a reader meets them in running text.

usage: python -m indexer.quiz.build_neighbours DOCS_DIR [--out DIR] [--min-pair N]

Unlike the typo cleaner's pairs (``build_domain_lm``: words with only spaces between them, no code, no
numbers), these are read the way a reader's ear takes them: every run of letters and digits, lower case,
whatever is between them (a hyphen, a full stop, a line break) and in code too, so "rotation Lambda",
"7 to 30 days" and "in resource-based policies" count. Only pairs one of whose words is a number or the
first or last word of a quiz term (``indexer/data/quiz_terms.txt``, names and aliases) are kept, seen
``--min-pair`` times or more: what a blank's choices can be. Writes ``neighbour_pairs.txt`` into ``--out``
(default ``indexer/data``). Offline and deterministic.
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from indexer.files import read_text, shipped_data_dir, write_text
from indexer.quiz.fairness import NEIGHBOUR_PAIRS_FILE, tokens
from indexer.quiz.terms import quiz_terms
from indexer.spelling.build_domain_lm import found_docs, pair_lines


def term_ends() -> frozenset[str]:
    """The first and last words of every quiz term's names: the words a blank's choices start and end
    with."""
    ends: set[str] = set()
    for term in quiz_terms():
        for name in (term.name, *term.aliases):
            words = tokens(name.rstrip("!"))
            if words:
                ends.update((words[0], words[-1]))
    return frozenset(ends)


def count_pairs(texts: Iterable[str], ends: frozenset[str]) -> Counter[tuple[str, str]]:
    pairs: Counter[tuple[str, str]] = Counter()
    for text in texts:
        runs = tokens(text)
        pairs.update(
            (a, b) for a, b in zip(runs, runs[1:], strict=False)
            if a in ends or b in ends or a.isdigit() or b.isdigit()
        )
    return pairs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("docs", type=Path)
    parser.add_argument("--out", type=Path, default=shipped_data_dir())
    parser.add_argument("--min-pair", type=int, default=1)
    args = parser.parse_args(argv)
    files = found_docs(args.docs)
    if not files:
        return 1
    lines = pair_lines(count_pairs((read_text(f) for f in files), term_ends()), args.min_pair)
    header = (f"# derived by indexer/quiz/build_neighbours.py from {args.docs.name} (AWS documentation, "
              "CC-BY-SA-4.0)\n")
    write_text(args.out / NEIGHBOUR_PAIRS_FILE, header + lines)
    print(f"{len(files)} files read; {lines.count(chr(10))} pairs kept")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
