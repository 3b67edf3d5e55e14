"""Questions from comparison tables: rows are services or options, columns their properties (or the other
way round, when the header's first cell is empty). "Which of these has X?", "What is X's Y?", and, for a
table of two, "Which of these does the table say about X?". A wrong choice is what the table gives
another row, so it is wrong by the notes' own comparison."""

from __future__ import annotations

import random
import re
from collections.abc import Hashable
from dataclasses import dataclass

from indexer.quiz.facts import Table
from indexer.quiz.fairness import tokens
from indexer.quiz.notfacts import bookkeeping_columns, coined_name, leans_on_context, not_aws_fact
from indexer.quiz.present import Presenter
from indexer.quiz.question import MAX_CHOICES, MIN_CHOICES, ChoiceNote, QuestionKind, choice_key, question_id
from indexer.quiz.spread import Candidate
from indexer.quiz.terms import family_of
from indexer.spelling.counts import listed_english_counts

MAX_CELL_CHARS = 120
"""A longer cell is too much to read as a choice."""
LABEL_WORDS = 4
"""A first column of row labels averages at most this many words (else it may be a list of sentences)…"""
CATEGORY_COUNT = 3_000_000
"""…unless the word over it is a common English noun ("Question"): how often English writes it."""
_EMPTY = re.compile(r"(?i)^[\s\-–—?/.]*$|^\s*(?:n/?a|not applicable|tbd|tba)\W*$")
"""A cell that holds nothing: blank, a dash, or a placeholder ("n/a", "N/A", "TBD")."""
_ABSENT = re.compile(r"(?i)^\W*(?:none|no|nothing|never|not needed|not required)\W*$")
"""A cell saying only that its row lacks something ("none", "No"): no row to find by it."""
_QUOTED = re.compile(r"^\s*[\"“‘']")


@dataclass(frozen=True)
class Cell:
    entity: str
    prop: str
    value: str
    line: int
    """The raw line of the table row it is in."""


_PROPERTY_HEAD = re.compile(
    r"(?i)(?:features?|propert(?:y|ies)|aspects?|attributes?|characteristics?|criteri(?:a|on)|dimensions?)"
)
"""A first column headed like this lists properties: the things compared are the other columns."""


def _unmarked(cell: str) -> str:
    """A cell without its footnote mark ("S3 Intelligent-Tiering*", "S3 One Zone-IA†"): the mark says
    which rows the footnote is about, and gives a choice a shape of its own."""
    cell = re.sub(r"\s*[†‡§¹²³]+$", "", cell)
    return cell[:-1].rstrip() if cell.endswith("*") and cell.count("*") == 1 else cell


def cells(table: Table) -> tuple[list[str], list[str], dict[tuple[str, str], Cell]]:
    """(entities, properties, cells by (entity, property)) of a table, whichever way round it is."""
    header = [_unmarked(h) for h in table.header]
    rows = [[_unmarked(c) for c in row] for row in table.rows]
    width = len(header)
    grid: dict[tuple[str, str], Cell] = {}
    if not header[0] or _PROPERTY_HEAD.fullmatch(header[0].strip(" *_`")):
        # | | A | B | or | Feature | A | B |: the columns are the entities, each row a property
        entities = [h for h in header[1:] if h]
        props = [row[0] for row in rows if len(row) == width and row[0]]
        for row, line in zip(rows, table.lines, strict=True):
            if len(row) != width or not row[0]:
                continue
            for j, entity in enumerate(header[1:], start=1):
                if entity:
                    grid[entity, row[0]] = Cell(entity, row[0], row[j], line)
    elif not _rows_are_entities(table):
        return [], [], {}
    else:
        entities = [row[0] for row in rows if len(row) == width and row[0]]
        props = [h for h in header[1:] if h]
        for row, line in zip(rows, table.lines, strict=True):
            if len(row) != width or not row[0]:
                continue
            for j, prop in enumerate(header[1:], start=1):
                if prop:
                    grid[row[0], prop] = Cell(row[0], prop, row[j], line)
    return entities, props, grid


def _rows_are_entities(table: Table) -> bool:
    """Whether the first column names what each row is about. A table whose columns are lists side by
    side ("Redis | Memcached", "AWS Responsibility | YOUR Responsibility") has sentences in its first
    column and a name, not a category ("Option", "Question"), over it."""
    firsts = [row[0] for row in table.rows if row and row[0]]
    if not firsts or sum(len(f.split()) for f in firsts) / len(firsts) <= LABEL_WORDS:
        return True
    head = table.header[0].strip().lower()
    return (
        " " not in head
        and not head.endswith("ing")
        and listed_english_counts().get(head, 0) >= CATEGORY_COUNT
    )


NEAR_SAME = 0.8
"""Two cells whose words are this much the same are one choice written twice."""


def _near(a: str, b: str) -> bool:
    wa, wb = set(re.findall(r"\w+", a.lower())), set(re.findall(r"\w+", b.lower()))
    if not wa or not wb:
        return False
    return len(wa & wb) / min(len(wa), len(wb)) >= NEAR_SAME and len(wa & wb) >= 2


_YES_NO = re.compile(r"(?i)^\W*(yes|no|not|none|never|always|optional|required)\b")


def _alike(a: str, b: str) -> bool:
    """Whether two cells say much the same (:func:`_same_words`), the same yes/no ("Yes" and "Yes,
    cross-account"), or one is a yes the other restricts ("Yes (cross-account sharing)" and "Advanced tier
    only"): as what a row "has", one is the other."""
    if _same_words(a, b) or (_form(a) != "text" and _form(a) == _form(b)):
        return True
    return (_restricted(a) and _affirmative(b)) or (_restricted(b) and _affirmative(a))


_RESTRICTED = re.compile(r"(?i)\bonly\b|\bpartial(?:ly)?\b|\blimited\b|^\W*(?:some|most|certain)\b")
_AFFIRMATIVE = re.compile(r"(?i)^\W*(?:yes|supported|allowed)\b")


def _restricted(value: str) -> bool:
    """A cell that grants with a restriction ("Advanced tier only", "Some services", "Partial")."""
    return bool(_RESTRICTED.search(value))


def _affirmative(value: str) -> bool:
    """A cell that grants ("Yes (cross-account sharing)", "Supported", "Allowed")."""
    return bool(_AFFIRMATIVE.match(value))


def _same_words(a: str, b: str) -> bool:
    """Whether two cells say much the same in words: equal, one the other with a qualifier after it
    ("Supported" and "Supported (for most services)", never "Not supported"), or nearly the same words."""
    ka, kb = choice_key(a), choice_key(b)
    return ka == kb or bool(ka and kb and (ka.startswith(kb) or kb.startswith(ka))) or _near(a, b)


def _form(value: str) -> str:
    """The shape of a cell a learner sees first: ``yes``, ``no``… (its first word), else ``text``."""
    m = _YES_NO.match(value)
    return m.group(1).lower() if m else "text"


_RANK = re.compile(
    r"(?i)(?:very\s+)?(?:low|medium|moderate|high|critical|informational|info|minor|major|severe|small|"
    r"large|x?x?large|tiny|basic|standard|advanced|premium|none)"
)
"""A row named by its rank on a scale ("Low", "Medium", "High", "Critical")."""
_TIME_UNITS = frozenset("second sec s minute min m hour hr h day d week month year yr".split())
_SIZE_UNITS = frozenset("byte b kb kib mb mib gb gib tb tib".split())
_LEADING_NUMBER = re.compile(r"^\W{0,2}\d[\d,.]*(?:\s*(?:[-–]|to)\s*\d[\d,.]*)?\s*([A-Za-z]*)")


def _measure(value: str) -> str | None:
    """What a cell that starts with a number measures, by the word after it ("characters", "days"; "" for
    a bare number: "10"); None for a cell of words. Cells of one column differ in kind by it."""
    found = _LEADING_NUMBER.match(value)
    if not found:
        return None
    unit = found.group(1).lower().rstrip("s")
    return "time" if unit in _TIME_UNITS else "size" if unit in _SIZE_UNITS else unit


def _lead(value: str) -> str:
    """A cell's first word, as a learner scanning the choices sees it."""
    words = re.findall(r"[A-Za-z0-9$]+", value)
    return words[0].lower() if words else ""


_ACRONYM = re.compile(r"\b[A-Z]{2,}s?\b")
_FREE_FORM = re.compile(
    r"(?i)^\W*(?:notes?|comments?|remarks?|misc\.?|other|extras?|tips?|"
    r"(?:worth|good to|need to) know(?:ing)?)\W*$"
)
"""A column of remarks: what one row's cell says there may be as true of the others."""
_IS_A = re.compile(
    r"(?i)\b(?:it'?s|is|are|acts as|works as|(?:a )?(?:kind|type|form|sort) of)\s+"
    r"(?:an? |the )?(\w+(?:[ -]\w+)?)"
)
"""A cell saying what its row is ("it's a resource policy on the role"): the words after it."""
SAID_ELSEWHERE_IN_ROW = 2
"""A row whose other cells share this many words with the asked value may have it too."""


def _answerable(value: str) -> bool:
    """A cell fit to be a choice: something, short, not exam wording ("malicious IP"), no house rule."""
    unfit = _EMPTY.match(value) or _QUOTED.match(value) or not_aws_fact(value)
    return len(value) <= MAX_CELL_CHARS and not unfit


class TableQuestions:
    """Table questions of one set of notes."""

    def __init__(self, topics: Presenter) -> None:
        self.topics = topics

    def candidates(self) -> list[Candidate]:
        out: list[Candidate] = []
        for table in self.topics.outline.tables:
            entities, props, grid = cells(table)
            fit = [e for e in dict.fromkeys(entities) if self.topics.readability.readable(e)]
            entities = [e for e in fit if not leans_on_context(e) and not coined_name(e)]
            props = [p for p in props if not leans_on_context(p)]
            if len(entities) < 2 or len(entities) != len({choice_key(e) for e in entities}):
                continue
            if all(_RANK.fullmatch(e.strip(" *_`")) for e in entities):
                continue  # Low / Medium / High: each row's values follow from its rank alone
            asks = [e for e in entities if e.rstrip().endswith("?")]
            columns = {p: {e: grid[e, p] for e in entities if (e, p) in grid} for p in props}
            own = bookkeeping_columns({p: [c.value for c in col.values()] for p, col in columns.items()})
            for prop, column in columns.items():
                if asks and prop != props[0]:
                    continue  # rows that ask ("Which IPs connected to port 22?"): only the column answering
                if _FREE_FORM.match(prop) or prop in own:
                    continue  # "Notes", "Worth knowing": remarks; "Status", "Owner": the group's tracking
                for cell in column.values():
                    if len(entities) >= MIN_CHOICES:
                        out += [
                            c
                            for c in (
                                self.which_has(table, cell, column, grid),
                                self.value_of(table, cell, column, grid),
                            )
                            if c
                        ]
                    else:
                        found = self.said_about(table, cell, entities, grid, props)
                        if found:
                            out.append(found)
        return out

    def _key(self, table: Table, cell: Cell) -> Hashable:
        return ("cell", table.chunk.source, table.title, cell.entity, cell.prop)

    def _note(self, table: Table, cell: Cell) -> ChoiceNote:
        return ChoiceNote(
            table.chunk.source,
            cell.line,
            cell.line,
            self.topics.topic_label(table.node),
            f"{cell.entity} — {cell.prop}: {cell.value}",
        )

    def _question(
        self,
        kind_fact: str,
        table: Table,
        cell: Cell,
        prompt: str,
        answer: str,
        wrong: list[tuple[str, Cell]],
        grid: dict[tuple[str, str], Cell] | None = None,
    ) -> Candidate | None:
        """The question, its wrong choices taken from the rows most like the asked one (cells the same in
        other columns, words of their names) when ``grid`` is given."""
        qid = question_id(
            QuestionKind.TABLE, table.chunk.source, table.node.path, kind_fact, cell.entity + "/" + cell.prop
        )
        rng = random.Random(qid)
        rng.shuffle(wrong)
        if grid is not None:  # the rows most like the answer's first: none left alone in its kind
            wrong.sort(key=lambda tc: -self._likeness(cell.entity, tc[1].entity, grid))
        kept: list[tuple[str, Cell]] = []
        for text, c in wrong:  # "15 minutes up to 12 hours" beside "15 minutes up to 12 hours (max)"
            if not any(_near(text, other) for other in [answer, *(t for t, _ in kept)]):
                kept.append((text, c))
        wrong = kept
        if _form(answer) != "text":  # a yes/no cell: only yes/no cells beside it, never a phrase
            wrong = [(t, c) for t, c in wrong if _form(t) != "text"]
        wrong = wrong[: MAX_CHOICES - 1]
        forms = {_form(text) for text, _ in wrong}
        if wrong and _form(answer) not in forms and (len(forms) == 1 or _form(answer) == "text"):
            return None  # "Yes, …" among three "No — …", or a phrase among yes/no: the odd one out
        leads = {_lead(text) for text, _ in wrong}
        if len(wrong) >= 2 and len(leads) == 1 and _lead(answer) not in leads:
            return None  # "Free" among three "Charged per …": the odd one out
        if len(wrong) < MIN_CHOICES - 1:
            return None
        question = self.topics.finish(
            QuestionKind.TABLE,
            qid,
            prompt,
            answer,
            [w for w, _ in wrong],
            table.chunk,
            table.node,
            answer_note=self._note(table, cell),
            notes=[self._note(table, c) for _, c in wrong],
            subject=self._subject(kind_fact, table),
        )
        if question is None:
            return None
        uses = {self._key(table, cell)}
        if kind_fact == "said-about":
            # a table of two: each shown choice places a cell, so no other question asks about those cells
            shown_props = {cell.prop, *(c.prop for _, c in wrong)}
            uses |= {("row-prop", table.chunk.source, table.title, prop) for prop in shown_props}
        return Candidate(question, frozenset(uses), 1.2)

    def which_has(
        self, table: Table, cell: Cell, column: dict[str, Cell], grid: dict[tuple[str, str], Cell]
    ) -> Candidate | None:
        """ "Which of these has “Key policy: You write and change it”?" (the value unique in its column);
        a row whose other cells say much the same ("Grants permissions: Yes (cross-account only)" beside
        "Cross-account access without assuming a role"), whose name the value uses ("Symmetric
        operations" for "Imported key material (symmetric)"), or whose name shows its own cell ("General
        Purpose (GP2 SSD)" when the API name asked is io1's), is no wrong choice."""
        value = cell.value
        if not _answerable(value) or _ABSENT.match(value):
            return None  # "which has “none” under “Request header”": SSE-S3, the default, needs none either
        # "Yes" and "Yes (cross-account)"; every row counts, the ones not offered (unreadable) too
        same = [e for (e, p), c in grid.items() if p == cell.prop and _alike(c.value, value)]
        if len(same) != 1:
            return None  # "Yes, at the retain-until date" and the same "(can be extended)": two rows have it
        if self.names_own(value, cell.entity):
            return None  # "Add the CloudTrail statement" for "CloudTrail shows access denied"
        words = self.topics.words
        said, telling, measure = words.of(value), words.telling(value), _measure(value)
        wrong = [
            (e, c)
            for e, c in column.items()
            if e != cell.entity
            and _answerable(c.value)
            and len(said & self._rest_of_row(e, cell.prop, grid)) < SAID_ELSEWHERE_IN_ROW
            and not (telling & words.telling(e))  # "Symmetric operations": the "(symmetric)" rows too
            and not _shows_own(c.value, e)  # "General Purpose (GP2 SSD)" shows its own API name, gp2
            and not self.kin(cell.entity, e, list(column), grid)  # "Trust policy": a resource policy too
            and not (_loose(value) and self._likeness(cell.entity, e, grid) >= NEAR_TWIN)
            and _measure(c.value) == measure  # a count quota's row, for "6,144 characters"
        ]  # "Organization-wide guardrails": as true of the RCP, attached where the SCP is
        named = [e for e in column if e != cell.entity and telling & words.telling(e)]
        if named and not telling & words.telling(cell.entity):
            return None  # "… on EKS, ECS and EC2": EKS Protection left out, S3 and RDS Protection ruled out
        what = _entity_noun(table)
        prompt = f"In the notes' table “{table.title}”, which {what} has “{value}” under “{cell.prop}”?"
        return self._question("which-has", table, cell, prompt, cell.entity, wrong, grid)

    @staticmethod
    def _subject(kind_fact: str, table: Table) -> str:
        """What every choice is one of, whose words tie none more than another: the table and its kind of
        row when the choices are rows ("S3 encryption", "STS call": no "Token" tied to GetSessionToken);
        nothing when they are cells ("Key rotation" shown ties the one cell with "keys")."""
        if kind_fact == "value-of":
            return ""
        if kind_fact == "which-has":
            return f"{table.title}\n{_entity_noun(table)}"
        return table.title

    def names_own(self, value: str, entity: str) -> bool:
        """Whether a cell names the row it is in ("Default SG allows …" in the security group's row, "The
        IAM role used by flow logs …" for "Flow logs … never appear"): offered for another row it rules
        itself out; as the answer, the prompt naming its row points at it."""
        words = self.topics.words
        said = words.of(value) | {m.lower() for m in _ACRONYM.findall(value)}
        named = words.of(entity) | {m.lower() for m in _ACRONYM.findall(entity)}
        parts = re.findall(r"[A-Za-z]+", entity)
        if 2 <= len(parts) <= 3:  # "Security group" is the SG, "Network ACL" the NACL
            named |= {"".join(p if p.isupper() else p[0] for p in parts).lower()}
        return bool(said & named)

    def kin(self, a: str, b: str, entities: list[str], grid: dict[tuple[str, str], Cell]) -> bool:
        """Whether one row's cells say it is a kind of the other, by what sets that one's name apart from
        the rest ("Trust policy — it's a resource policy on the role" for "Resource-based"): what one has,
        the other may have too, so neither is a wrong choice for the other."""
        words = self.topics.words
        names = {e: words.of(e) for e in entities}

        def own(entity: str) -> frozenset[str]:
            others = frozenset().union(*(n for e, n in names.items() if e != entity))
            return frozenset(w for w in names.get(entity, words.of(entity)) - others if w.isalpha())

        def says_is(entity: str) -> frozenset[str]:
            cells = " ".join(c.value for (e, _), c in grid.items() if e == entity)
            return frozenset().union(*(words.of(m) for m in _IS_A.findall(cells)))

        return bool(own(a) & says_is(b) or own(b) & says_is(a))

    def _likeness(self, a: str, b: str, grid: dict[tuple[str, str], Cell]) -> int:
        """How alike two rows are: columns where their cells say the same, words their names share
        ("Asymmetric RSA" is like "Asymmetric ECC", not "Keys in a custom key store"), one service family."""
        same = sum(
            1
            for (e, p), c in grid.items()
            if e == a and (b, p) in grid and choice_key(grid[b, p].value) == choice_key(c.value)
        )
        kind, named = family_of(a), len(self.topics.words.of(a) & self.topics.words.of(b))
        return same + named + int(bool(kind) and kind == family_of(b))  # GuardDuty: Macie before S3

    def _rest_of_row(self, entity: str, prop: str, grid: dict[tuple[str, str], Cell]) -> frozenset[str]:
        rest = " ".join(c.value for (e, p), c in grid.items() if e == entity and p != prop)
        return self.topics.words.of(rest)

    def value_of(
        self, table: Table, cell: Cell, column: dict[str, Cell], grid: dict[tuple[str, str], Cell]
    ) -> Candidate | None:
        """ "What is the “Key policy” of the AWS managed key?" (the values of other rows as wrong choices)."""
        value = cell.value
        if not _answerable(value) or len(value.split()) < 1 or self.names_own(value, cell.entity):
            return None
        wrong: list[tuple[str, Cell]] = []
        keys, measure = {choice_key(value)}, _measure(value)
        for entity, other in column.items():
            key = choice_key(other.value)
            if entity == cell.entity or not _answerable(other.value) or key in keys:
                continue
            if _alike(other.value, value) or self.names_own(other.value, entity):
                continue  # "Supported (most)" or another "Yes, …" is the answer again; "Not supported" is not
            if self._within(other.value, value):
                continue  # "A user or role" is part of "Users, groups, roles": true of that row as well
            if self.kin(cell.entity, entity, list(column), grid):
                continue  # the trust policy "is a resource policy on the role": what that row has, it has
            if _measure(other.value) != measure:
                continue  # "6,144 characters" offered for a count, 10: ruled out by its kind alone
            keys.add(key)
            wrong.append((other.value, other))
        prompt = (
            f"In the notes' table “{table.title}”, what does it give for “{cell.entity}” under “{cell.prop}”?"
        )
        return self._question("value-of", table, cell, prompt, value, wrong, grid)

    def _within(self, a: str, b: str) -> bool:
        """Whether one cell's words are all among the other's, neither denying what the other says ("A
        user or role" within "Users, groups, roles"; "Not supported" is not within "Supported")."""
        if any(ch.isdigit() for ch in a + b):
            return False  # "99.9%" and "99.99%" differ in value, whatever their digits' runs share
        words = self.topics.words
        wa, wb = words.of(a), words.of(b)
        if not wa or not wb or self.topics.negative(a) != self.topics.negative(b):
            return False
        return wa <= wb or wb <= wa

    def said_about(
        self,
        table: Table,
        cell: Cell,
        entities: list[str],
        grid: dict[tuple[str, str], Cell],
        props: list[str],
    ) -> Candidate | None:
        """A table of two: "Which of these does the table say about X?" — the right cell, and the other
        row's cells for other properties, where the two differ."""
        other = next(e for e in entities if e != cell.entity)
        if self.topics.words.of(cell.value) & self.topics.words.names(cell.entity) or self.names_own(
            cell.value, cell.entity
        ):
            return None  # "advanced parameters" said about Parameter Store: named by its words
        theirs = grid.get((other, cell.prop))
        if (
            not _answerable(cell.value)
            or theirs is None
            or choice_key(theirs.value) == choice_key(cell.value)
        ):
            return None
        wrong: list[tuple[str, Cell]] = []
        for prop in props:
            mine, alt = grid.get((cell.entity, prop)), grid.get((other, prop))
            if prop == cell.prop or mine is None or alt is None or not _answerable(alt.value):
                continue
            if _alike(mine.value, alt.value) or self.names_own(alt.value, other):
                continue  # much the same in both ("Supported (for most services)"); or "per secret"
            wrong.append((f"{prop}: {alt.value}", alt))
        prompt = f"Which of these does the notes' table “{table.title}” say about {cell.entity}?"
        return self._question("said-about", table, cell, prompt, f"{cell.prop}: {cell.value}", wrong)


def _shows_own(value: str, entity: str) -> bool:
    """Whether a row's name shows the whole of its own cell ("General Purpose (GP2 SSD)" and "gp2"): as a
    wrong choice it says it is not the row that has another value there."""
    own = " ".join(tokens(value))
    return bool(own) and f" {own} " in f" {' '.join(tokens(entity))} "


NEAR_TWIN = 2
"""Rows this alike (:meth:`TableQuestions._likeness`: cells the same, name words shared) are near twins."""
LOOSE_WORDS = 3
"""A cell of this many words or fewer, with no number or name in it ("Organization-wide guardrails"), is
loosely worded: a row like the one that has it may be said to have it too."""


def _loose(value: str) -> bool:
    return (
        _form(value) == "text"
        and len(value.split()) <= LOOSE_WORDS
        and not re.search(r"\d|\b[A-Z]{2,}|[a-z][A-Z]", value)
    )


def _entity_noun(table: Table) -> str:
    """What a row is, as a prompt says it ("which sts call", "which API"): acronyms keep their capitals."""
    words = table.header[0].split() if table.header and table.header[0] else []
    head = " ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in words)
    return head if head and len(words) <= 3 else "one"
