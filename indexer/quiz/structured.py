"""Questions from the structure notes have beyond single facts, each still one right choice of 3–4:

- ``order``: the steps of a procedure shown as lettered items in a shuffled order; the choices are orders
  (``B, A, D, C``), the right one the notes' order;
- ``select_two``: four lettered statements, two stated about the topic and two about other topics (and
  not plausibly true of it); the choices are pairs (``A and C``);
- a list's member: "In your notes on AWS WAF, which of these is listed under “deployed on”?"

Match questions are in :mod:`indexer.quiz.matching`.
"""

from __future__ import annotations

import itertools
import random
import re
from collections import Counter
from collections.abc import Sequence

from indexer.quiz.facts import Fact, Node, Procedure
from indexer.quiz.fairness import plausible_for
from indexer.quiz.generator import MAX_STATEMENT_WORDS, Generator
from indexer.quiz.question import (
    CHOICE_LETTERS,
    MAX_CHOICES,
    ChoiceNote,
    QuestionKind,
    capitalized,
    choice_key,
    question_id,
    tidy,
)
from indexer.quiz.sentences import abbreviation_before
from indexer.quiz.spread import Candidate
from indexer.quiz.terms import family_of, mentions, quiz_terms, terms_in
from indexer.quiz.ties import keeps, tied_steps
from indexer.quiz.topics import Shown, TopicSet

MAX_STEPS = 5
"""An order question shows at most this many steps (the first ones of a longer procedure)."""
MIN_STEPS = 4
"""…and at least this many: three steps shown in any arrangement are the right order read round one way
or the other (A, B, C or C, B, A started anywhere), so the screen would give the answer."""
SHUFFLE_TRIES = 50
"""Shuffles tried to show the steps in an order that does not spell the answer."""
MAX_STEP_CHARS = 180
"""A longer step is shown up to the end of its first sentence; a longer first sentence means no
question (a step is never shown cut off)."""
LIST_NAME_SHARE = 0.6
"""A list item is a name when a term takes this much of it (``Cloudtrail logs``; not ``S3 encryption
mode``)."""


def _letters(n: int) -> str:
    return CHOICE_LETTERS[:n]


_SENTENCE_END = re.compile(r"(?<=[.;])\s+(?=[A-Z(“\"])")


def _first_sentence_of(text: str) -> str:
    """The text up to its first sentence end (a full stop or semicolon before a capital), skipping
    the full stops of abbreviations."""
    for m in _SENTENCE_END.finditer(text):
        if not abbreviation_before(text[: m.start()]):
            return text[: m.start()]
    return text


def _first_sentence(text: str) -> str | None:
    """The step as shown: whole, else its first sentence; None when even that is too long (a step is
    never cut off mid-sentence)."""
    if len(text) <= MAX_STEP_CHARS:
        return text
    cut = _first_sentence_of(text)
    return cut if len(cut) <= MAX_STEP_CHARS else None


_LABEL = re.compile(r"^\s*([^:→]{2,40}):\s")
"""A line's lead-in label ("Root-only tasks: …")."""
_CAVEAT = re.compile(r"(?i)\b(?:impossible|not possible|can't|cannot|never works?)\b")
"""Words of a caveat: what cannot be done is no step of a procedure."""
_OPTIONAL = re.compile(r"(?i)^\W*(?:optionally|optional\b|if|when|in case|unless)\b|\(optional\)")
"""An optional or conditional step ("Optionally add conditions…", "If a role's creds leaked, …") has no place
of its own in the order: it branches off, or is done before or after its neighbours alike; it is left out."""
_ANOTHER = re.compile(r"(?i)^\W*to\s+\w+(?:\s+\w+)?\s*:")
"""A step that starts another procedure ("To decrypt: send the encrypted data key …" after the encryption
steps): the order asked ends before it."""
_LEANS_BACK = re.compile(r"(?i)^\W*(?:this|that|it|these|those|then it|which)\b")
"""A line that starts by pointing back at the one before it."""


def _cyclic(order: Sequence[int]) -> bool:
    """Whether an order is the right one or the right one backwards, started at any step (C, D, A, B;
    D, C, B, A): read round either way, the screen would spell the answer."""
    n = len(order)
    forward = all(order[(i + 1) % n] == (order[i] + 1) % n for i in range(n))
    backward = all(order[(i + 1) % n] == (order[i] - 1) % n for i in range(n))
    return forward or backward


def _kendall(order: tuple[int, ...]) -> int:
    """How many pairs of steps an order takes the other way round (0 for the right order)."""
    return sum(a > b for a, b in itertools.combinations(order, 2))


def _position_counts(choices: Sequence[tuple[int, ...]], n: int) -> list[Counter[int]]:
    return [Counter(order[pos] for order in choices) for pos in range(n)]


def gives_away(choices: Sequence[tuple[int, ...]], n: int) -> bool:
    """Whether, at some position, the right step (``pos`` itself) is shown there more often than any
    other step: the right order would be the one the choices have in common."""
    for pos, counts in enumerate(_position_counts(choices, n)):
        if counts[pos] > max((c for step, c in counts.items() if step != pos), default=0):
            return True
    return False


def _uneven(choices: Sequence[tuple[int, ...]], n: int) -> int:
    """How much more often the right steps are shown at their places than the least shown other step
    (0 when every step is shown at every place equally often: a Latin square)."""
    return sum(
        max(0, counts[pos] - min(counts[step] for step in range(n) if step != pos))
        for pos, counts in enumerate(_position_counts(choices, n))
    )


def _first_tells(choices: Sequence[tuple[int, ...]]) -> int:
    """1 when the right order (the first choice) is the only one starting with the right first step, or
    ending with the right last one, or doing both: knowing the ends of the procedure (create first,
    finish last) would be enough."""
    n = len(choices[0])
    first = sum(c[0] == 0 for c in choices) == 1
    last = sum(c[-1] == n - 1 for c in choices) == 1
    both = sum(c[0] == 0 and c[-1] == n - 1 for c in choices) == 1
    return int(first or last or both)


def _one_pair_tells(choices: Sequence[tuple[int, ...]]) -> int:
    """1 when some step's place (or some term's definition) is right in the right choice only: knowing
    that one pair would be enough."""
    n = len(choices[0])
    return int(any(sum(c[pos] == pos for c in choices) == 1 for pos in range(n)))


def _consensus_tell(choices: Sequence[tuple[int, ...]], n: int) -> int:
    """1 when the right order (the first choice) is the one that agrees with the others most, or least,
    and no other choice ties it: picking by agreement would find it."""
    counts = _position_counts(choices, n)
    scores = [sum(counts[pos][order[pos]] for pos in range(n)) for order in choices]
    right = scores[0]
    return int(scores.count(right) == 1 and right in (max(scores), min(scores)))


MAX_WRONG_DISTANCE = 6
"""Wrong orders are at most this many swapped pairs from the right one (plausible, not shuffled)…"""
MIN_WRONG_DISTANCE = 2
"""…and a procedure's at least this many: two neighbouring steps swapped are often steps the notes could
have taken either way ("attach the key policy", "share the snapshot"), so that order is right too."""


DEFINITION = re.compile(r"^(?P<label>[^:–—→]{2,60}?)\s*(?::|\s[–—]\s|\s→\s)\s*(?P<text>\S.{8,})$")
"""``Label: what it is`` (or with a dash or an arrow): a definition list's item, a named step."""
STEP_NAME_WORDS = 3
STEP_NAME_CHARS = 40
"""A step opening with a name of at most this many words (and characters) and a colon or dash names
itself."""


def _without_step_names(texts: list[str]) -> list[str]:
    """The steps without their names when every step has one ("createSecret — generate a new value…",
    "Recover: rebuild from a known-good AMI"): names like create, set, test and finish tell the order by
    themselves, so what each step does is shown. (Matching the names to what their steps do is not asked
    either: "testSecret" and "prove it works" pair themselves.)"""
    found = [DEFINITION.match(text) for text in texts]
    names = [m.group("label") for m in found if m]
    if len(names) != len(texts) or any(
        len(name.split()) > STEP_NAME_WORDS or len(name) > STEP_NAME_CHARS for name in names
    ):
        return texts
    bare = [capitalized(m.group("text").strip()) for m in found if m]
    return bare if len({choice_key(t) for t in bare}) == len(bare) else texts


def wrong_orders(
    n: int,
    rng: random.Random,
    count: int,
    *,
    every_pair_twice: bool = False,
    ties: Sequence[tuple[int, int]] = (),
    min_distance: int = 1,
) -> list[tuple[int, ...]]:
    """``count`` wrong orders of ``range(n)`` such that no position gives the right order away by
    majority (at each position the right step is shown no more often than some other step, and no more
    often than any other when the number of steps allows), nor does agreeing most or least with the
    others; the closest to the right order that do (plausible: a few steps moved), seeded. Empty when
    none fit. ``every_pair_twice`` (a match): each right pair is also in a wrong choice, where one can
    be, so knowing one pair is not enough. ``ties``: steps the wording orders (:func:`tied_steps`), kept
    in their order by every wrong order; ``min_distance``: each wrong order takes at least this many pairs
    the other way round."""
    identity = tuple(range(n))
    pool = [p for p in itertools.permutations(range(n)) if _kendall(p) >= min_distance and keeps(p, ties)]
    rng.shuffle(pool)
    pool.sort(key=_kendall)
    best: tuple[tuple[int, int, int, int, int, float], tuple[tuple[int, ...], ...]] | None = None
    for distance in range(1, MAX_WRONG_DISTANCE + 1):  # the nearest orders first: fewer to try
        near = [p for p in pool if _kendall(p) <= distance]
        for picked in itertools.combinations(near, count):
            choices = (identity, *picked)
            if gives_away(choices, n):
                continue
            key = (
                _first_tells(choices),
                _consensus_tell(choices, n),
                _one_pair_tells(choices) if every_pair_twice else 0,
                _uneven(choices, n) if n <= count + 1 else 0,
                sum(_kendall(p) for p in picked),
                rng.random(),
            )
            if best is None or key < best[0]:
                best = (key, picked)
        if best is not None and best[0][:3] == (0, 0, 0):
            break
    return list(best[1]) if best else []


class Structured(Generator):
    """Order, select-two and match questions."""

    # -- order ------------------------------------------------------------------------------------------

    def order_candidates(self) -> list[Candidate]:
        out = []
        for procedure in self.outline.procedures:
            found = self.order_question(procedure)
            if found:
                out.append(found)
        return out

    def order_question(self, procedure: Procedure) -> Candidate | None:
        """The steps in the notes' order, up to another procedure's first step ("To decrypt: …"), without
        optional steps and caveats ("AWS managed keys → impossible …"), which have no place in the order."""
        end = next((n for n, step in enumerate(procedure.steps) if n and _ANOTHER.search(step.text)), None)
        steps = [
            s for s in procedure.steps[:end] if not (_OPTIONAL.search(s.text) or _CAVEAT.search(s.text))
        ][:MAX_STEPS]
        if len(steps) < MIN_STEPS:
            return None
        shortened = [_first_sentence(s.text) for s in steps]
        texts = [t for t in shortened if t is not None]
        if len(texts) != len(steps) or len({choice_key(t) for t in texts}) != len(texts):
            return None
        qid = question_id(
            QuestionKind.ORDER, procedure.chunk.source, procedure.node.path, procedure.title, "|".join(texts)
        )
        if any(_LEANS_BACK.match(text) for text in texts[1:]):
            return None  # "this attaches …": a result of the step before it, not a step of its own
        texts = _without_step_names(texts)
        rng = random.Random(qid)
        shown_at = list(range(len(texts)))  # shown_at[k]: the step shown as letter k
        for _ in range(SHUFFLE_TRIES):  # shown in the right order, or that order started elsewhere, tells it
            if not _cyclic(shown_at):
                break
            rng.shuffle(shown_at)
        else:
            return None
        letter_of = {step: _letters(len(texts))[k] for k, step in enumerate(shown_at)}
        items = [f"{_letters(len(texts))[k]}. {texts[step]}" for k, step in enumerate(shown_at)]

        def spelled(order: Sequence[int]) -> str:
            return ", ".join(letter_of[step] for step in order)

        answer = spelled(range(len(texts)))
        # MIN_STEPS steps at least: choices enough; "Sign in to that delegated administrator account"
        # follows the step designating it in every choice, so reading does not rule one out
        orders = wrong_orders(
            len(texts), rng, MAX_CHOICES - 1, ties=tied_steps(texts), min_distance=MIN_WRONG_DISTANCE
        )
        if not orders:
            return None
        wrong = [spelled(p) for p in orders]
        title = procedure.title
        prompt = (
            f"In what order do the notes take these steps ({title})?"
            if title
            else ("In what order do the notes take these steps?")
        )
        question = self.finish(
            QuestionKind.ORDER,
            qid,
            prompt,
            answer,
            wrong,
            procedure.chunk,
            procedure.node,
            items=items,
        )
        if question is None:
            return None
        return Candidate(question, frozenset({("steps", procedure.chunk.source, procedure.title)}), 1.3)

    # -- select two --------------------------------------------------------------------------------------

    def select_two_candidates(self) -> list[Candidate]:
        out = []
        groups: dict[int, list[tuple[Fact, Node, Shown, TopicSet]]] = {}
        for fact, node, shown in self.placed():
            if not self.usable(fact, shown) or self.said_elsewhere(fact):
                continue
            topics = self.topic_set(fact, node, shown)
            if topics is None or not topics.others or not (topics.scope or topics.family):
                continue  # a service of no known kind: other services' lines are ruled out by topic
            if any(mentions(topics.text, t.name) for t in topics.others) or self.names_any_service(
                topics.text
            ):
                continue
            if self.names_subject(topics.text, topics.answer.name):
                continue  # "TLS certificates" about ACM (Certificate Manager): named by its words
            if len(topics.text.split()) > MAX_STATEMENT_WORDS:
                continue  # see MAX_STATEMENT_WORDS
            groups.setdefault(id(fact.chunk), []).append((fact, node, shown, topics))
        by_node = self._statements_by_topic(self.placed())
        for members in groups.values():
            if len(members) < 2:
                continue
            rng = random.Random(members[0][0].text)
            for first, second in self._pairs(members, rng):
                found = self.select_two(first, second, by_node)
                if found:
                    out.append(found)
        return out

    @staticmethod
    def _pairs(members: list, rng: random.Random) -> list[tuple]:
        pairs = [
            (a, b) for a, b in itertools.combinations(members, 2) if a[3].answer.name == b[3].answer.name
        ]
        rng.shuffle(pairs)
        return pairs[:4]

    def select_two(self, first: tuple, second: tuple, by_node: dict) -> Candidate | None:
        fact_a, node, _, topics = first
        fact_b = second[0]
        right = [topics.text, second[3].text]
        if choice_key(right[0]) == choice_key(right[1]) or self.words.overlap(right[0], right[1]) >= 3:
            return None
        labels = [_LABEL.match(text) for text in right]
        if labels[0] and labels[1] and choice_key(labels[0].group(1)) == choice_key(labels[1].group(1)):
            return None  # "Root-only tasks: …" twice: the shared label picks the pair
        qid = question_id(QuestionKind.SELECT_TWO, fact_a.chunk.source, node.path, fact_a.text, fact_b.text)
        rng = random.Random(qid)
        options = [
            (t, text, f)
            for t, text, f in self.wrong_statements(topics, by_node, right[0])
            if choice_key(text) != choice_key(right[1])
            and not self.could_be(text, topics.answer.nodes, topics.answer.name)
            and not (self.words.of(text) & self.words.names(t.name))
            and not (topics.family and not topics.scope and family_of(t.name) != topics.family)
        ]
        rng.shuffle(options)
        wrong: list[tuple[str, Fact]] = []
        used_topics: set[str] = set()
        for topic, text, f in options:
            if topic.name in used_topics or any(self.words.overlap(text, w) >= 3 for w, _ in wrong):
                continue
            wrong.append((text, f))
            used_topics.add(topic.name)
            if len(wrong) == 2:
                break
        if len(wrong) < 2:
            return None
        statements = [(right[0], True, fact_a), (right[1], True, fact_b)] + [(t, False, f) for t, f in wrong]
        rng.shuffle(statements)
        letters = _letters(4)
        items = [f"{letters[k]}. {text}" for k, (text, _, _) in enumerate(statements)]
        right_letters = [letters[k] for k, (_, ok, _) in enumerate(statements) if ok]
        answer = f"{right_letters[0]} and {right_letters[1]}"
        # each right statement paired once with a wrong one, and the two wrong ones together: every letter
        # is in two choices, so counting letters tells nothing
        false_letters = [x for x in letters if x not in right_letters]
        rng.shuffle(false_letters)
        half = [" and ".join(sorted((right_letters[i], false_letters[i]))) for i in range(2)]
        none_right = [" and ".join(sorted(false_letters))]
        wrong_pairs = half + none_right
        notes: list[ChoiceNote | None] = []
        for pair in wrong_pairs:
            false = [
                f for k, (_, ok, f) in enumerate(statements) if not ok and letters[k] in pair.split(" and ")
            ]
            notes.append(self.fact_note(false[0]) if false else None)
        prompt = f"Which two of these do the notes say about {topics.answer.name}?"
        if topics.scope:
            prompt = f"{topics.scope}which two of these do the notes say about {topics.answer.name}?"
            prompt = prompt[0].upper() + prompt[1:]
        chunk = fact_a.chunk
        if fact_b.chunk is not chunk:
            return None
        question = self.finish(
            QuestionKind.SELECT_TWO,
            qid,
            prompt,
            answer,
            wrong_pairs,
            chunk,
            node,
            items=items,
            notes=notes,
            about=self.subject_node(topics, node),
        )
        if question is None:
            return None
        return Candidate(question, frozenset({id(fact_a), id(fact_b)}), 0.8)

    # -- lists ------------------------------------------------------------------------------------------

    def list_candidates(self) -> list[Candidate]:
        """ "In your notes on AWS WAF, which of these is listed under “deployed on”?": one member of a
        short list of names, and names of the same kind the list lacks (nor the notes say of the topic)."""
        out = []
        for fact in self.facts:
            if not fact.is_list or id(fact) in self.doubtful:
                continue
            found = self.list_question(fact)
            if found:
                out.append(found)
        return out

    def list_question(self, fact: Fact) -> Candidate | None:
        label, _, rest = fact.text.partition(": ")
        members = [m.strip() for m in rest.split(", ")]
        named = [terms_in(m) for m in members]
        whole = [
            found[0][0]
            for m, found in zip(members, named, strict=True)
            if len(found) == 1 and (found[0][2] - found[0][1]) >= LIST_NAME_SHARE * len(m)
        ]
        kinds = {t.kind for t in whole}
        if len(whole) < 2 or len(kinds) != 1 or not self.readability.readable(fact.text):
            return None
        if _a_name(tidy(label)) or choice_key(label) == choice_key(fact.node.label):
            return None  # listed under "Classic Load Balancer": a thing's name says not what the list is
        subject = self.service_of(fact.node) or ""
        topic = self.topic_label(fact.node)
        in_list = {t.name for found in named for t, _, _ in found}
        groups = {g for t in whole for g in t.groups}
        families = {t.family for t in whole}
        qid = question_id(QuestionKind.STATEMENT, fact.chunk.source, fact.node.path, fact.text, "list")
        rng = random.Random(qid)
        answer = min(whole, key=lambda t: (self.corpus_terms[t.name], t.name))
        said = " ".join(f.text for f in (fact.node.subtree_facts() if fact.node.parent else ()))
        wrong = [
            t
            for t in quiz_terms()
            if t.kind in kinds
            and t.name not in in_list
            and not (t.groups & groups)
            and not mentions(said, t.name)
            and t.name != subject
            and not (subject and plausible_for(subject, t.name, self.stop))
        ]
        head = _head_noun(answer.name)
        if sum(_head_noun(m) == head for m in members) >= 2:
            # "VPC flow logs, CloudTrail logs, DNS logs": the one "… Logs" among services is picked by shape
            wrong = [t for t in wrong if _head_noun(t.name) == head]
        rng.shuffle(wrong)
        wrong.sort(key=lambda t: t.family not in families)
        picked = wrong[: MAX_CHOICES - 1]
        if len(picked) < MAX_CHOICES - 2 or not topic:
            return None
        prompt = f"In your notes on {topic}, which of these is listed under “{tidy(label)}”?"
        question = self.finish(
            QuestionKind.STATEMENT,
            qid,
            prompt,
            answer.name,
            [t.name for t in picked],
            fact.chunk,
            fact.node,
            answer_note=self.fact_note(fact),
            notes=[self.term_note(t.name, fact) for t in picked],
        )
        return Candidate(question, frozenset({id(fact)}), 0.95) if question else None


def _head_noun(name: str) -> str:
    """A name's last word, singular and lower case: what kind of thing it is ("logs" of VPC Flow Logs)."""
    words = re.findall(r"[a-z0-9]+", name.lower())
    last = words[-1] if len(words) > 1 else ""
    return last[:-1] if len(last) > 3 and last.endswith("s") else last


def _a_name(label: str) -> bool:
    """Whether a list's label is a thing's name ("Classic Load Balancer", "ALB": words all capitalised, or
    one term) rather than what the list is ("deployed on", "input data includes")."""
    words = label.split()
    whole = [t for t, start, end in terms_in(label) if start == 0 and end == len(label)]
    return bool(whole) or (len(words) >= 2 and all(w[:1].isupper() for w in words))
