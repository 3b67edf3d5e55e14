"""Derive the AWS domain language model the typo cleaner ships: word and word-pair counts of clean,
public AWS documentation.

usage: python -m indexer.spelling.build_domain_lm DOCS_DIR [--out DIR] [--min-count N] [--min-pair N]
                                                  [--hold-out K]

DOCS_DIR is a tree of markdown guides (the project used ``../shared/bench/awsdocs``: the S3, KMS,
CloudHSM, Secrets Manager, ACM and WAF/Shield guides from the public ``awsdocs`` repositories,
CC-BY-SA-4.0). Words are read the way the cleaner reads notes (``indexer.spelling.note_tokens``):
fenced and inline code, URLs, links' targets, paths and identifiers are skipped; words are lower-cased;
pairs are neighbours with only spaces between them. Writes ``domain_words.txt`` (word count, for words
seen ``--min-count`` times) and ``domain_pairs.txt`` (first second count, for pairs seen ``--min-pair``
times) into ``--out`` (default: ``indexer/data``, where the cleaner reads them). ``--hold-out K`` leaves
out every K-th file (sorted by path) so that the model can be tried on text it has not seen. Offline and
deterministic.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from indexer.files import files_under, read_text, shipped_data_dir, write_text
from indexer.spelling.note_tokens import fenced_lines, word_runs

WORDS_FILE = "domain_words.txt"
PAIRS_FILE = "domain_pairs.txt"


def doc_files(root: Path) -> list[Path]:
    return [p for p in files_under(root, "*.md") if "_meta" not in p.parts and p.name != "README.md"]


def found_docs(root: Path) -> list[Path]:
    """The guides' pages under ``root``; none (said on standard error) when it holds no markdown."""
    files = doc_files(root)
    if not files:
        print(f"no markdown files under {root}", file=sys.stderr)
    return files


def pair_lines(pairs: Counter[tuple[str, str]], min_pair: int) -> str:
    """``first second count`` lines of the pairs seen ``min_pair`` times or more, most seen first."""
    kept = sorted(((p, n) for p, n in pairs.items() if n >= min_pair), key=lambda pn: (-pn[1], pn[0]))
    return "".join(f"{a} {b} {n}\n" for (a, b), n in kept)


def held_out(files: list[Path], every: int) -> set[Path]:
    return {f for n, f in enumerate(files) if every and n % every == every - 1}


def count_words(texts: list[str]) -> tuple[Counter[str], Counter[tuple[str, str]]]:
    words: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    for text in texts:
        lines = text.split("\n")
        for line, in_code in zip(lines, fenced_lines(lines), strict=True):
            if in_code:
                continue
            for run in word_runs(line):
                lows = [w.lower().replace("\\'", "'").replace("\u2019", "'") for w in run]
                words.update(lows)
                pairs.update(zip(lows, lows[1:], strict=False))
    return words, pairs


def write_counts(out: Path, words: Counter[str], pairs: Counter[tuple[str, str]], min_count: int,
                 min_pair: int, source: str) -> None:
    header = (f"# derived by indexer/spelling/build_domain_lm.py from {source} (AWS documentation, "
              "CC-BY-SA-4.0)\n")
    kept = sorted(((w, n) for w, n in words.items() if n >= min_count), key=lambda wn: (-wn[1], wn[0]))
    write_text(out / WORDS_FILE, header + "".join(f"{w} {n}\n" for w, n in kept))
    write_text(out / PAIRS_FILE, header + pair_lines(pairs, min_pair))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("docs", type=Path)
    parser.add_argument("--out", type=Path, default=shipped_data_dir())
    parser.add_argument("--min-count", type=int, default=3)
    parser.add_argument("--min-pair", type=int, default=3)
    parser.add_argument("--hold-out", type=int, default=0)
    args = parser.parse_args(argv)
    files = found_docs(args.docs)
    if not files:
        return 1
    skip = held_out(files, args.hold_out)
    texts = [read_text(f) for f in files if f not in skip]
    words, pairs = count_words(texts)
    write_counts(args.out, words, pairs, args.min_count, args.min_pair, args.docs.name)
    print(f"{len(texts)} files read ({len(skip)} held out); {sum(words.values())} words")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
