"""Practice questions the notes pose themselves: exam-practice notes write a scenario, its options (A-D),
the right answer ("Correct answer: C", "Answer: C") and often why each option is right or wrong. Such a
question is asked as written: the notes' scenario and options, the answer they give, and each option's
reasoning as its explanation after the click. Nothing is guessed: a question whose answer line is
missing or names one letter the options lack is not asked, nor one with two answers.

Read off the structure, not any corpus's words: a chunk of role ``options`` (see
:mod:`indexer.reading.roles`) gives the stem and the options; the lines after it in the note as written,
up to the next heading or question, give the answer and the reasons.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from indexer.model import Chunk, ChunkRole
from indexer.quiz.present import CONTEXT, CONTEXT_PLAIN, longest_by_far
from indexer.quiz.question import (
    MAX_CHOICES,
    MIN_CHOICES,
    ChoiceNote,
    QuestionKind,
    QuizQuestion,
    choice_key,
    clean_heading,
    new_question,
    question_id,
    strip_symbols,
)
from indexer.quiz.spread import Candidate

_OPTION = re.compile(r"^(?:[•*+-]\s+)?\(?([A-E])(?:[.):]|\s+[—–-])\s+(\S.*)$")
"""``• A. text``, ``B) text``, ``(C) text``, ``D — text``: an option of a practice question."""
_ANSWER = re.compile(
    r"^[\W_]*(?:the\s+)?(?:correct|right|best)?\s*(?:answers?|options?|choices?|solutions?)[\W_]*"
    r"(?:is\W+)?(?:option\s+)?\(?([A-E])\b(?!\s*(?:,|and|&|/)\s*[A-E]\b)",
    re.IGNORECASE,
)
"""``**Correct answer:** C``, ``Answer: (B)``, ``> Answer — option D``: the notes' answer, one letter."""
_REASON = re.compile(
    r"^[\s>]*(?:[-*+•]\s+)?[*_]*(?:option\s+)?\(?([A-E])\)?\b[*_]*"
    r"(?:\s+(?:is|was)\s+(?:(?:not\s+)?(?:wrong|incorrect|correct|right|false|true|best))\b[*_]*"
    r"(?:\s+because\b)?[*_]*|\s*[:.—–-])\s*(\S.*)$",
    re.IGNORECASE,
)
"""``- **A is wrong because** …``, ``B: …``: why one option is right or wrong."""
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s")
_MARKUP = re.compile(r"\*\*|__|`")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_QUESTION_TITLE = re.compile(r"^(?:practice\s+)?(?:question|q)\s*\d+\s*[:.)—–-]*\s*", re.IGNORECASE)
_ASK = "Which option is best?"
"""Practice notes often reject an option as more effort, not as wrong: the question asks for the best."""
MAX_LINES_AFTER = 40
"""The answer and the reasons are looked for this many lines after the options, at most."""
MAX_OPTION_CHARS = 300
"""An option longer than this is more than a choice can show."""
WEIGHT = 2.0
"""A question the notes pose themselves goes before any question read off a fact."""


@dataclass(frozen=True)
class PracticeBlock:
    """One practice question as the notes write it."""

    chunk: Chunk
    stem: str
    options: dict[str, str]
    """letter -> option text, in the notes' order."""
    answer: str
    """The letter the notes give as the answer."""
    reasons: dict[str, ChoiceNote]
    """letter -> the line saying why that option is right or wrong."""
    last_line: int
    """The last line of the question, its answer and its reasons."""


def plain(text: str) -> str:
    """A raw line's inline markdown out: strong emphasis, code ticks, links (their text kept)."""
    return " ".join(_MARKUP.sub("", _LINK.sub(r"\1", text)).split())


def read_block(chunk: Chunk, raw: Sequence[str]) -> PracticeBlock | None:
    """The practice question of an ``options`` chunk, read from the note as written (``raw``: its
    lines): the stem (the text before the options, else a heading that asks a question), the options,
    then, after them, the answer and the reasons; None when the notes give no single answer."""
    stem_lines: list[str] = []
    options: dict[str, str] = {}
    number = chunk.line_start
    while number <= min(chunk.line_end, len(raw)):
        line = raw[number - 1]
        m = _OPTION.match(plain(line).strip())
        if m and len(options) < len("ABCDE") and m.group(1) == "ABCDE"[len(options)]:
            options[m.group(1)] = m.group(2).strip()
        elif options and line.startswith(" ") and line.strip():
            previous = list(options)[-1]
            options[previous] += " " + plain(line)
        elif options and line.strip():
            break  # the options are over: the answer or the reasons follow
        elif not options and line.strip():
            stem_lines.append(plain(line))
        number += 1
    stem = " ".join(" ".join(stem_lines).split())
    heading = " › ".join(clean_heading(h) for h in chunk.headings if clean_heading(h))
    if not stem and chunk.headings:
        title = _QUESTION_TITLE.sub("", strip_symbols(chunk.headings[-1])).strip()
        stem = title if title.endswith("?") else ""
    if not stem or not MIN_CHOICES <= len(options) <= MAX_CHOICES:
        return None
    answer = ""
    reasons: dict[str, ChoiceNote] = {}
    last = chunk.line_end
    after = number
    for number in range(after, min(len(raw), after + MAX_LINES_AFTER) + 1):
        line = raw[number - 1]
        if _HEADING.match(line):
            break  # the next section
        text = plain(line)
        found = _ANSWER.match(text)
        if found:
            if answer:
                break  # the next question's answer
            answer, last = found.group(1).upper(), number
            continue
        reason = _REASON.match(text)
        letter = reason.group(1).upper() if reason else ""
        if reason and letter in options and letter not in reasons:
            said = reason.group(2)
            reasons[letter] = ChoiceNote(chunk.source, number, number, heading, said[:1].upper() + said[1:])
            last = number
        elif _OPTION.match(text.strip()) and not answer:
            break  # another question's options
    if answer not in options:
        return None
    return PracticeBlock(chunk, stem, options, answer, reasons, max(last, chunk.line_end))


def practice_candidates(
    chunks: Sequence[Chunk],
    raw_notes: Mapping[str, str] | None,
    leaks: Callable[[str, int, Sequence[str]], bool] = lambda shown, answer, choices: False,
) -> list[Candidate]:
    """A question for every practice question the notes pose with its answer, but those whose scenario
    names the answer more than the other options (``leaks``, see ``Words.leaks``)."""
    if not raw_notes:
        return []
    lines = {source: text.split("\n") for source, text in raw_notes.items()}
    out: list[Candidate] = []
    for chunk in chunks:
        if chunk.role is not ChunkRole.OPTIONS or chunk.source not in lines:
            continue
        block = read_block(chunk, lines[chunk.source])
        if block is None:
            continue
        # the right option alone giving a reason ("…, because …", "(or …)") is told by its form
        question = practice_question(without_reasons(block) or block, cited_span(block, chunks))
        if question is None or _longest_option(question):
            continue  # the writer's right option, a third longer than any other: "pick the longest" wins
        if not leaks("\n".join(question.shown_lines()), question.answer_index, question.choices):
            uses = frozenset({("practice", chunk.source, chunk.line_start)})
            out.append(Candidate(question, uses, WEIGHT, (chunk.source, chunk.line_start, chunk.line_end)))
    return out


_REASON_CLAUSE = re.compile(r",\s+(?:because|so|since|as)\s|;\s|\s[—–]\s|\s\((?:or|e\.g\.|for example)\s")
"""Where an option's reason or aside starts: "…, because responses go to ephemeral ports", "…; then …",
"… (or create a suppression rule …)"."""
MIN_BARE = 25
"""An option cut before its reason keeps at least this many characters (else it stays whole)."""


def without_reasons(block: PracticeBlock) -> PracticeBlock | None:
    """The block with its right option cut before its reason ("Enable AWS Config in the account and Region,
    because Security Hub evaluates controls with Config rules" -> "Enable AWS Config in the account and
    Region"), every option ending alike: a choice is what to do, why is in the explanation after the
    click. None when the right option has nothing to cut, or a wrong one has a reason too: what makes a
    wrong option wrong is often its reason ("in eu-west-1 only, because GuardDuty is global"), and cut
    before it, it could be right."""
    found = {k: m.start() for k, text in block.options.items() if (m := _REASON_CLAUSE.search(text))}
    if set(found) != {block.answer} or found[block.answer] < MIN_BARE:
        return None
    options = {**block.options, block.answer: block.options[block.answer][: found[block.answer]]}
    # every option ends alike: a full stop left on the options not cut would tell them from the cut one
    return replace(block, options={letter: text.rstrip(" ,.") for letter, text in options.items()})


LONGER_OPTION = 1.3
"""A practice question whose right option is this many times as long as its longest wrong one is not
asked: the writer's care for the right option (a reason, a follow-up step, real API names) shows in its
length, and a learner picking the longest would beat chance without knowing AWS."""


def _longest_option(question: QuizQuestion) -> bool:
    right = question.choices[question.answer_index]
    wrong = [len(c) for i, c in enumerate(question.choices) if i != question.answer_index]
    return bool(wrong) and len(right) >= LONGER_OPTION * max(wrong)


def cited_span(block: PracticeBlock, chunks: Sequence[Chunk]) -> Chunk:
    """What a practice question cites: its scenario and options through its answer and reasons, as one
    chunk (the chunks of the note within those lines)."""
    first = block.chunk
    inside = [
        c
        for c in chunks
        if c.source == first.source and first.line_start <= c.line_start and c.line_end <= block.last_line
    ]
    return Chunk(
        first.source,
        first.line_start,
        max([block.last_line, *(c.line_end for c in inside)]),
        first.heading,
        "\n".join(c.text for c in inside) or first.text,
        first.headings,
        first.title_from,
        first.role,
    )


def practice_question(block: PracticeBlock, cited: Chunk) -> QuizQuestion | None:
    texts = list(block.options.values())
    if any(len(t) > MAX_OPTION_CHARS for t in texts) or len({choice_key(t) for t in texts}) != len(texts):
        return None
    others = [t for letter, t in block.options.items() if letter != block.answer]
    if longest_by_far(block.options[block.answer], others, min_chars=0):
        return None  # the right option far the longest: picked by its length alone
    chunk = block.chunk
    prompt = block.stem if block.stem.rstrip().endswith("?") else f"{block.stem}\n{_ASK}"
    answer = block.options[block.answer]
    wrong = [(letter, text) for letter, text in block.options.items() if letter != block.answer]
    last_heading = clean_heading(chunk.headings[-1]) if chunk.headings else ""
    title = _QUESTION_TITLE.sub("", strip_symbols(last_heading))
    parent = clean_heading(chunk.headings[-2]) if len(chunk.headings) > 1 else ""
    topic = parent or title
    qid = question_id(QuestionKind.SCENARIO, chunk.source, (title,), block.stem, answer)
    return new_question(
        QuestionKind.SCENARIO,
        qid,
        prompt,
        answer,
        [text for _, text in wrong],
        cited,
        context=CONTEXT.format(topic) if topic else CONTEXT_PLAIN,
        topic=topic,
        answer_note=block.reasons.get(block.answer),
        notes=[block.reasons.get(letter) for letter, _ in wrong],
    )
