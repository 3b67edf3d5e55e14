"""Words foreign to the notes and to AWS: a question asked with one, and naming no AWS topic, is about
something else ("how do I stop a goroutine leak in Go": *goroutine* is neither English, nor AWS
documentation's, nor the notes'; the *leak* it shares with notes on leaked keys is no reason to answer).

A word counts as foreign only when it is long enough to mean something (not "pls", "tbh"), no English
word is one slip away from it ("charcter" is *character* mistyped, "encyrption" *encryption*), AWS
documentation never writes it and the question's matching found it nowhere in the notes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from indexer.spelling.counts import domain_counts, english_word_counts, informal_words

MIN_FOREIGN_LETTERS = 5
"""Shorter words are too often shorthand or slang to say what a question is about."""
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def foreign_words(words: Iterable[str], matched: set[str]) -> list[str]:
    """The words of a question (lower case, in order) that nothing knows: not matched to the notes
    (``matched``: the question's words that gave a term), not English nor one slip from an English word,
    not in AWS documentation's words nor the informal words of notes."""
    english = english_word_counts()
    documented = domain_counts().words
    informal = informal_words()
    out = []
    for word in words:
        if len(word) < MIN_FOREIGN_LETTERS or not word.isalpha() or word in matched:
            continue
        if word in english or word in documented or word in informal:
            continue
        if _one_slip_from(word, english):
            continue
        out.append(word)
    return out


def _one_slip_from(word: str, known: Mapping[str, int]) -> bool:
    """Whether a word is one deletion, insertion, substitution or swap of neighbours from a known word."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    for left, right in splits:
        if right and left + right[1:] in known:
            return True
        if len(right) > 1 and left + right[1] + right[0] + right[2:] in known:
            return True
        for ch in _LETTERS:
            if left + ch + right in known or (right and left + ch + right[1:] in known):
                return True
    return False
