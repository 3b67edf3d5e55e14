"""Questions in, cited hits out.

A question is tokenized exactly as the notes were (the tokenizer settings live in the index). Words the
notes do not contain are matched to the notes' own vocabulary: split or joined (``guardduty`` ~ ``guard
duty``) or, when long enough, by edit distance scaled to their length; acronyms and short words are
never fuzzed. Acronyms and their expansions find each other both ways. A question most of whose
meaningful words the notes do not contain gets no hits rather than a random snippet.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from indexer.model import Answer, Hit
from indexer.search.index import SearchIndex
from indexer.search.negation import asks_negative
from indexer.search.sections import asked_sections
from indexer.search.strangers import foreign_words
from indexer.search.tokenize import question_word_rings, short_forms
from indexer.search.topics import TOPICAL, about_the_notes
from indexer.spelling.counts import english_word_counts

MAX_QUERY_WORDS = 64
MAX_PASSAGE_LINES = 20
"""A hit joined with its neighbour (see :func:`_passage`) cites at most this many lines."""
GUESSED = ("fuzzy", "completed", "related")
"""How a question word matched the notes when it was not written as the notes write it."""
COMMON_ENGLISH_COUNT = 5_000_000
"""An English word at least this frequent (symspellpy's counts) is a real word, never a typo to fuzz, and
tells less about what a question is about than a rare or technical one."""


ENGLISH_WORD_COUNT = 100_000
"""An English word at least this frequent (symspellpy's counts) is a real word: a question's word the
notes lack may be a typo of theirs by one slip ("manger" for "manager"), not by two ("offside" is not
"outside")."""


def _english_count(word: str) -> int:
    return english_word_counts().get(word, 0)


@dataclass(frozen=True)
class QueryTerm:
    """One term a question contributes to the ranking."""

    term: str
    """The index term (stemmed)."""
    weight: float
    """How much it counts."""
    how: str
    """``exact``, ``fuzzy``, ``completed``, ``split``, ``joined``, ``compound``, ``acronym``, ``related``,
    ``short form`` or ``family``."""
    word: str
    """The question's word it came from."""


def analyze_question(index: SearchIndex, question: str) -> tuple[list[QueryTerm], float]:
    """The weighted terms of a question and the share of its meaningful words found in the notes.

    In that share, common English words count half ("way", "someone", "new"): a question is about its
    rarer, more technical words. Unknown words of one or two letters ("hw", "u") are not counted.
    """
    tok, tuning = index.tokenizer, index.tuning
    words = tok.words(question)[:MAX_QUERY_WORDS]
    if not words:
        return [], 0.0
    exact = [index.has_term(tok.stem(w)) for w in words]
    if all(exact):
        weight_of = {w: 1.0 for w in words}
    else:
        weight_of = {w: 0.5 if _english_count(w) >= COMMON_ENGLISH_COUNT else 1.0 for w in words}
    terms: list[QueryTerm] = []
    found = 0.0
    counted = 0.0
    skip_next = False
    for i, word in enumerate(words):
        if skip_next:
            skip_next = False
            continue
        stem = tok.stem(word)
        weight = weight_of[word]
        shortened = _short_form_terms(index, word)
        terms.extend(shortened)
        if exact[i]:
            terms.append(QueryTerm(stem, 1.0, "exact", word))
            found += weight
            counted += weight
            continue
        counted += weight if shortened or len(word) > 2 else 0
        if shortened:
            found += weight  # "account" asked, "acct" written
            continue
        if len(word) <= 2:
            continue
        if word in index.settings.acronyms:
            spelled = _expansion_terms(index, word, tuning.fuzzy_weight)
            terms.extend(spelled)
            found += weight if spelled else 0
            continue
        nxt = words[i + 1] if i + 1 < len(words) else None
        if nxt and not exact[i + 1] and (word + nxt) in index.vocabulary:
            terms.append(QueryTerm(index.vocabulary[word + nxt], 1.0, "joined", word + " " + nxt))
            found += weight + weight_of[nxt]
            counted += weight_of[nxt]
            skip_next = True
            continue
        common = _english_count(word) >= COMMON_ENGLISH_COUNT
        split = _split_word(index, word, common=common)
        if split:
            terms.extend(QueryTerm(index.vocabulary[part], 1.0, "split", word) for part in split)
            found += weight
            continue
        if common:
            continue  # a real word the notes do not use, not a typo of one they do
        if any(c.isdigit() for c in word):
            continue  # "1500" the notes never write is not "100" they do
        completed = index.completion(word)
        # a real English word ("offside") is one slip from the word meant, never two ("outside")
        real_word = _english_count(word) >= ENGLISH_WORD_COUNT
        near = completed or index.nearest_word(word, most_edits=1 if real_word else None)
        if near:
            how = "completed" if completed else "fuzzy"
            terms.append(QueryTerm(index.vocabulary[near], tuning.fuzzy_weight, how, word))
            found += tuning.fuzzy_weight * weight
    for compound in tok.compounds(question):
        if index.has_term(compound):
            terms.append(QueryTerm(compound, 1.0, "compound", compound))
    terms.extend(_acronym_terms(index, words))
    terms.extend(_ring_terms(index, words))
    return terms, (found / counted if counted else 0.0)


def _split_word(index: SearchIndex, word: str, *, common: bool = False) -> tuple[str, str] | None:
    """The first cut of ``word`` into two of the notes' words (``guardduty`` -> ``guard``, ``duty``).

    A ``common`` English word is cut only into two common English words (``username`` -> ``user``,
    ``name``): "accident" is not a typo of "acc ident".

    Only cuts leaving both halves no longer than the notes' longest word are tried: a question's time
    grows with its length, not with its square (a 3 MB "word" has no cut to try).
    """
    if len(word) < 7:
        return None
    for cut in range(max(3, len(word) - index.longest_word), min(len(word) - 2, index.longest_word + 1)):
        left, right = word[:cut], word[cut:]
        if left in index.vocabulary and right in index.vocabulary:
            if common and min(_english_count(left), _english_count(right)) < COMMON_ENGLISH_COUNT:
                continue
            return left, right
    return None


def _expansion_terms(index: SearchIndex, acronym: str, weight: float) -> list[QueryTerm]:
    """The words an acronym stands for that occur in the notes, as query terms."""
    tok = index.tokenizer
    out = []
    for expansion in index.settings.acronyms.get(acronym, ()):
        for part in tok.words(expansion):
            stem = tok.stem(part)
            if index.has_term(stem):
                out.append(QueryTerm(stem, weight, "acronym", acronym))
    return out


def _acronym_terms(index: SearchIndex, words: list[str]) -> list[QueryTerm]:
    """An acronym the notes also use -> its expansion's words, lightly; an expansion spelled out -> its
    acronym, as lightly."""
    tok, weight = index.tokenizer, index.tuning.expansion_weight
    stems = [tok.stem(w) for w in words]
    joined = " " + " ".join(stems) + " "
    asked = set(stems)
    out: list[QueryTerm] = []
    for acronym, expansions in index.settings.acronyms.items():
        if acronym in words:
            if index.has_term(tok.stem(acronym)):
                out.extend(_expansion_terms(index, acronym, weight))
        elif index.has_term(tok.stem(acronym)):
            for expansion in expansions:
                phrase_stems = [tok.stem(p) for p in tok.words(expansion)]
                if not phrase_stems or phrase_stems[0] not in asked:
                    continue  # not in the question: no need to look through it
                if f" {' '.join(phrase_stems)} " in joined:
                    # the name is asked once: written out, its acronym is another spelling, weighed
                    # as lightly as an acronym's expansion, not a second word of the question
                    out.append(QueryTerm(tok.stem(acronym), weight, "acronym", expansion))
                    break
    return out


def _short_form_terms(index: SearchIndex, word: str) -> list[QueryTerm]:
    """The other ways of writing ``word`` that the notes use, as the word itself: its short forms
    (:func:`short_forms`: ``acct`` for ``account``, and back) and, when the notes write the word itself,
    the stems of its word family that stemming leaves a letter apart (:func:`family_stems`: *expiry* is
    ``expiri``, *expiration* ``expir``: ``family``); a chunk scores the word once, by its best form."""
    tok = index.tokenizer
    own = tok.stem(word)
    family = family_stems(own) if index.has_term(own) else []  # a word the notes lack is matched otherwise
    shortened = [tok.stem(form) for form in short_forms().get(word, ())]
    stems = dict.fromkeys([*shortened, *family])
    return [
        QueryTerm(s, 1.0, "short form" if s in shortened else "family", word)
        for s in stems
        if s != own and index.has_term(s)
    ]


FAMILY_STEM = 5
"""Stems this long or longer that differ by a last letter are one word's (``expiri``, ``expir``); shorter
ones are often different words (``polic`` of *police*, ``polici`` of *policy*)."""


def family_stems(stem: str) -> list[str]:
    """The stems one letter longer or shorter at the end than ``stem``, of an alphabetic stem of
    :data:`FAMILY_STEM` letters or more: Snowball stems *expiry* ``expiri`` and *expires* ``expir``."""
    if len(stem) < FAMILY_STEM or not stem.isalpha():
        return []
    longer = [stem + letter for letter in "abcdefghijklmnopqrstuvwxyz"]
    return longer + ([stem[:-1]] if len(stem) > FAMILY_STEM else [])


def _ring_terms(index: SearchIndex, words: list[str]) -> list[QueryTerm]:
    """A question word of a ring of interchangeable words (:func:`question_word_rings`) -> the ring's
    other words the notes use, lightly ("cost" also finds "pricing")."""
    tok, weight = index.tokenizer, index.tuning.expansion_weight
    rings = question_word_rings()
    out: list[QueryTerm] = []
    seen = {tok.stem(w) for w in words}  # a ring word the question has ("cost", "costs") counts as written
    for word in words:
        for ring in rings.get(word, ()):
            for other in ring:
                stem = tok.stem(other)
                if stem in seen or not index.has_term(stem):
                    continue
                seen.add(stem)
                out.append(QueryTerm(stem, weight, "related", word))
    return out


def search(index: SearchIndex, question: str, k: int = 3) -> Answer:
    """The best ``k`` chunks for a question, best first; no hits when the notes hold no answer: when it
    names an AWS topic the notes never mention (``missing_topics``, with ``related`` chunks for the rest
    of it), when none of its words is about the notes' subject, or when too few of its words are in them."""
    if not question or not question.strip():
        return Answer(query=question, hits=(), note="The question is empty.")
    named = index.topics.named(question)
    missing = tuple(dict.fromkeys(n.topic.name for n in named if not index.covers(n.topic)))
    if missing:
        related = _ranked(index, question, k, names_a_topic=True)
        return Answer(
            query=question,
            hits=(),
            note=f"Your notes don't cover {_listed(missing)}.",
            missing_topics=missing,
            related=related.hits,
        )
    return _ranked(index, question, k, names_a_topic=bool(named))


def _most_specific_missing(
    index: SearchIndex, question: str, terms: list[QueryTerm], topical: list[tuple[float, bool]]
) -> bool:
    """Whether no word the question shares with the notes is clearly about their subject (see
    :func:`~indexer.search.topics.about_the_notes`) and its rarest English word is not in the notes: the
    word that says what it is about ("recursion" beside "reverse", "linked" and "list")."""
    if any(value >= TOPICAL for value, _ in topical):
        return False
    known = [(_english_count(w), w) for w in index.tokenizer.words(question)[:MAX_QUERY_WORDS]]
    known = [(count, w) for count, w in known if count >= ENGLISH_WORD_COUNT]
    if not known:
        return False
    rarest = min(known)[1]
    return rarest not in {t.word for t in terms} and not index.has_term(index.tokenizer.stem(rarest))


KEYWORD_WORDS = 3
"""A question of this many meaningful words or fewer, every one written in the notes, is a keyword lookup."""


def _keywords_of_the_notes(index: SearchIndex, question: str) -> bool:
    """Whether the question is a few keywords the notes all write ("cryptocurrency", "tamper resistant"):
    looked up, even where the notes say them once or in passing (the rules on what notes are about are for
    questions sharing a word or two with them by chance, "git undo last commit")."""
    tok = index.tokenizer
    words = tok.words(question)
    return 0 < len(words) <= KEYWORD_WORDS and all(index.has_term(tok.stem(w)) for w in words)


def _listed(names: tuple[str, ...]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _ranked(index: SearchIndex, question: str, k: int, *, names_a_topic: bool) -> Answer:
    """The BM25F ranking of the chunks for ``question``, or no hits with the reason. A question that
    names an AWS topic the notes cover is about their subject; any other needs a topical word."""
    terms, coverage = analyze_question(index, question)
    if not terms:
        return Answer(query=question, hits=(), note="None of the question's words are in the notes.")
    if coverage < index.tuning.min_coverage:
        return Answer(query=question, hits=(), note="Most of the question's words are not in the notes.")
    as_written: dict[str, bool] = {}
    for t in terms:
        if not t.term.isdigit():
            as_written[t.term] = as_written.get(t.term, False) or t.how not in GUESSED
    topical = [(index.topicality(term), written) for term, written in as_written.items()]
    if not names_a_topic and not _keywords_of_the_notes(index, question) and (
        not about_the_notes(topical) or _most_specific_missing(index, question, terms, topical)
    ):
        # every word it shares with the notes is everyday English ("what's a good recipe for sourdough"),
        # or, none of them clearly the notes' subject, its most specific word is not in them ("reverse a
        # linked list without recursion")
        return Answer(query=question, hits=(), note="Nothing in your notes is about this.")
    foreign = [] if names_a_topic else foreign_words(index.tokenizer.words(question), {t.word for t in terms})
    if foreign:
        # "how do I stop a goroutine leak in Go": a word nothing knows, and no AWS topic named
        return Answer(query=question, hits=(), note=f"Your notes don't mention “{foreign[0]}”.")
    weights: dict[str, float] = {}
    related: dict[str, list[str]] = {}
    written: dict[str, list[QueryTerm]] = {}
    for term in terms:
        if term.how == "related":
            related.setdefault(term.word, []).append(term.term)
        elif term.how in ("short form", "family"):
            written.setdefault(term.word, []).append(term)
        else:
            weights[term.term] = min(weights.get(term.term, 0.0) + term.weight, 2.0)
    alternatives = [(index.tuning.expansion_weight, group) for group in related.values()]
    spellings: list[tuple[float, list[str]]] = []
    for word, forms in written.items():
        own = index.tokenizer.stem(word)
        group = (weights.pop(own, 1.0), [own, *(f.term for f in forms)])  # "account" or "acct", counted once
        # a family stem may be a typo's ("encrypti" of "encryptie"): the word's rarity, not the typo's;
        # a short form people write on purpose ("acct") keeps its own
        (spellings if any(f.how == "family" for f in forms) else alternatives).append(group)
    scores = index.bm25.weighted_scores(weights, alternatives, spellings)
    if not len(scores) or float(scores.max()) <= 0:
        return Answer(query=question, hits=(), note="Nothing in the notes matches the question.")
    if not float((scores * index.states_facts).max()) > 0:
        return Answer(
            query=question,
            hits=(),
            note="Only link lists, practice options or repeated text in the notes mention it.",
        )
    scores = scores * index.role_weights
    if asks_negative(question):
        scores = scores * (1 + index.tuning.negative_weight * index.states_negative)
    for kind in asked_sections(question):  # "max …" finds a "Limits" section, "cost …" a "Pricing" one
        scores = scores * (1 + index.tuning.section_weight * index.sections[kind.name])
    if 1 < index.note_count <= index.tuning.topic_notes and index.tuning.note_weight > 0:
        scores = _with_notes(index, scores)
    k = max(1, k)
    top = _best(scores, k * 2)
    best = float(scores[top[0]])
    hits: list[Hit] = []
    used: set[int] = set()
    for doc_id in top:
        score = float(scores[doc_id])
        if score <= 0 or score < best * index.tuning.relative_cutoff or len(hits) >= k:
            break
        if int(doc_id) not in used:
            hits.append(_passage(index, scores, int(doc_id), used))
    return Answer(query=question, hits=tuple(hits))


def _passage(index: SearchIndex, scores: np.ndarray, doc_id: int, used: set[int]) -> Hit:
    """The hit for chunk ``doc_id``, joined with the chunk before or after it under the same heading when
    that one matches the question too (``SearchTuning.passage_share`` of its score) and the two stay a
    short passage: two paragraphs of one page that answer together are cited together. Chunks joined
    are added to ``used``."""
    chunk = index.chunks[doc_id]
    score = float(scores[doc_id])
    first, last, text = chunk.line_start, chunk.line_end, chunk.text
    used.add(doc_id)
    for other_id in (doc_id - 1, doc_id + 1):
        if not 0 <= other_id < len(index.chunks) or other_id in used:
            continue
        other = index.chunks[other_id]
        same_place = (other.source, other.heading) == (chunk.source, chunk.heading)
        if not same_place or float(scores[other_id]) < index.tuning.passage_share * score:
            continue
        low, high = min(first, other.line_start), max(last, other.line_end)
        if high - low + 1 > MAX_PASSAGE_LINES:
            continue
        first, last = low, high
        text = f"{text}\n{other.text}" if other_id > doc_id else f"{other.text}\n{text}"
        used.add(other_id)
    return Hit(chunk.source, first, last, chunk.heading, text, score)


def _with_notes(index: SearchIndex, scores: np.ndarray) -> np.ndarray:
    """Each chunk's score raised by how much of the question its whole note matches, relative to the
    note that matches most (see ``SearchTuning.note_weight``)."""
    per_note = np.zeros(index.note_count, dtype=np.float64)
    np.add.at(per_note, index.note_of, scores)
    most = float(per_note.max())
    if most <= 0:
        return scores
    # among two notes a note is half of everything and says little; among ten, much more
    weight = index.tuning.note_weight * (1 - 1 / index.note_count)
    return scores * (1 + weight * per_note[index.note_of] / most)


def _best(scores: np.ndarray, count: int) -> np.ndarray:
    """The ids of the ``count`` highest scores, best first (ties by id): a partial sort, not a full one."""
    if count >= len(scores):
        return np.argsort(-scores, kind="stable")
    top = np.argpartition(-scores, count - 1)[:count]
    return top[np.lexsort((top, -scores[top]))]
