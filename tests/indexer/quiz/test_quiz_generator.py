"""Quiz generation: the rules every question keeps, on the bundled notes and on small fixture notes."""

from __future__ import annotations

import random
import re
import shutil
from collections import Counter

import pytest
from conftest import REPO
from quizbanks import STYLES, questions_of

from indexer.build import build_index, quiz_bank_for
from indexer.model import Chunk
from indexer.quiz.bank import QuizBank, generate_questions
from indexer.quiz.checks import Readability
from indexer.quiz.facts import build_outline
from indexer.quiz.matching import Matching
from indexer.quiz.quantities import find_quantities
from indexer.quiz.question import (
    BLANK,
    KINDS,
    MAX_CHOICES,
    MIN_CHOICES,
    QuestionKind,
    QuizQuestion,
)
from indexer.quiz.sentences import flashcard
from indexer.quiz.terms import family_of, find_terms, service_name
from indexer.search.index import SearchIndex

FIXTURES = REPO / "tests" / "fixtures" / "quiz"
WHICH, STATEMENT, CLOZE = QuestionKind.WHICH, QuestionKind.STATEMENT, QuestionKind.CLOZE


def norm(text: str) -> str:
    """Lower case, letters and digits only, plurals folded: ``4KB`` ~ ``4 KB``, ``90 day`` ~ ``90 days``."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    return "".join(w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words)


def quoted(prompt: str) -> str:
    """The fact a prompt quotes: the text between “ and ”."""
    m = re.search(r"“([^“]*)”$", prompt)
    assert m, prompt
    return m.group(1)


def chunk_of(index: SearchIndex, q: QuizQuestion) -> Chunk:
    """The chunk a question cites; a match across sibling options cites the chunks they are in, as one."""
    found = [
        c
        for c in index.chunks
        if c.source == q.source and q.line_start <= c.line_start and c.line_end <= q.line_end
    ]
    assert found, f"{q.id} cites {q.citation}, which holds no chunk of the index"
    if len(found) == 1:
        assert (found[0].line_start, found[0].line_end) == (q.line_start, q.line_end), q.citation
        return found[0]
    assert q.kind == QuestionKind.MATCH and q.snippet == "\n".join(c.text for c in found), q.citation
    return Chunk(q.source, q.line_start, q.line_end, q.heading, q.snippet)


def chunks_about(index: SearchIndex, choice: str) -> list[str]:
    """The notes about ``choice``: chunks with it as a heading (or as the service a heading is about),
    and the sub-bullets of a bullet that is ``choice`` (``• ALB`` with its sub-bullets)."""
    out = []
    for c in index.chunks:
        if any(norm(h) == norm(choice) or service_name(h) == choice for h in c.headings):
            out.append(c.text)
            continue
        lines = c.text.split("\n")
        for i, line in enumerate(lines):
            m = re.match(r"^( *)• (.*)$", line)
            if m and norm(m.group(2)) == norm(choice):
                depth = len(m.group(1))
                block = []
                for below in lines[i + 1 :]:
                    if len(below) - len(below.lstrip()) <= depth:
                        break
                    block.append(below)
                out.append("\n".join(block))
    return out


def answer_stated(q: QuizQuestion) -> bool:
    """The right choice is written in the cited heading or snippet (a term under any of its spellings)."""
    cited = q.heading + "\n" + q.snippet
    if norm(q.answer) in norm(cited):
        return True
    if q.kind == STATEMENT:  # "Sub-heading: statement" with the sub-heading above it in the chunk
        head, _, rest = q.answer.partition(": ")
        return norm(rest) in norm(cited) and norm(head) in norm(cited)
    if service_name(q.answer) == q.answer and any(
        service_name(h) == q.answer for h in q.heading.split(" › ")
    ):
        return True
    return any(t.name == q.answer for t, _, _ in find_terms(cited))


def fewest_choices(q: QuizQuestion) -> int:
    """Three choices at least."""
    return MIN_CHOICES


def check_rules(index: SearchIndex, questions: tuple[QuizQuestion, ...]) -> None:
    assert len({q.id for q in questions}) == len(questions), "ids are unique"
    everything = norm("\n".join(c.heading + "\n" + c.text for c in index.chunks))
    for q in questions:
        assert q.kind in KINDS
        assert fewest_choices(q) <= len(q.choices) <= MAX_CHOICES, q
        assert len({re.sub(r"\W", "", c.lower()) for c in q.choices}) == len(q.choices), (
            f"distinct: {q.choices}"
        )
        assert all(c.strip() for c in q.choices)
        assert 0 <= q.answer_index < len(q.choices)
        chunk = chunk_of(index, q)
        assert (q.snippet, q.heading) == (chunk.text, chunk.heading)
        if q.kind not in (WHICH, STATEMENT, CLOZE):
            continue  # tables, orders, pairs and matches: see test_quiz_structure.py
        assert answer_stated(q), f"{q.answer!r} is not in the cited snippet of {q.prompt!r}"
        if q.kind == STATEMENT and "listed under" in q.prompt:
            continue  # a list's member: stated in the cited list (checked above)
        if q.kind == STATEMENT:
            topic = re.search(r"say about (.+)\?$", q.prompt).group(1)
            about = norm("\n".join(chunks_about(index, topic)))
            assert about, f"no chunk is about {topic!r}"
            assert statement_key(q.answer) in norm(chunk.heading + chunk.text), q
            for i, choice in enumerate(q.choices):
                assert statement_key(choice) in everything, f"{choice!r} is not a statement of the notes"
                if i != q.answer_index:
                    assert statement_key(choice) not in about, f"{choice!r} is also said about {topic!r}"
            continue
        fact = quoted(q.prompt)
        if q.kind == CLOZE:
            assert fact.count(BLANK) == 1
            filled = norm(fact.replace(BLANK, q.answer))
            others = [c for i, c in enumerate(q.choices) if i != q.answer_index]
            for wrong in others:
                # no wrong choice makes a sentence the notes contain
                assert norm(fact.replace(BLANK, wrong)) not in everything, (q.prompt, wrong)
            cited = norm(chunk.heading + chunk.text)
            # the words around the blank are the chunk's (a sub-heading shown before the fact is in its
            # heading path), and the answer is in the chunk (checked above, under any of its spellings)
            pieces = [p for side in fact.split(BLANK) for p in side.split(": ")]
            assert all(norm(piece) in cited for piece in pieces), q
            assert filled
        else:
            # the fact is the cited chunk's, and is not what the notes say of any wrong choice
            fact_key = norm(fact.split(": ", 1)[-1])
            assert fact_key in norm(chunk.heading + chunk.text), (q.prompt, chunk.citation)
            for i, choice in enumerate(q.choices):
                if i == q.answer_index:
                    continue
                for other in chunks_about(index, choice):
                    assert fact_key not in norm(other), f"{q.prompt!r} is also said of {choice!r}"


def statement_key(text: str) -> str:
    """A statement as the notes have it: without the sub-heading shown before it."""
    return norm(text.split(": ", 1)[-1])


def same_type(q: QuizQuestion) -> bool:
    """All choices of one type: one quantity kind, one term kind, or all topics of the same sort."""
    if q.kind == CLOZE:
        if all(re.fullmatch(r"\$?[\d,.]+", c) for c in q.choices):
            return True  # counts or prices
        quantities = [find_quantities(c) for c in q.choices]
        if all(len(x) == 1 for x in quantities):
            return len({x[0].dimension for x in quantities}) == 1
        terms = [[t for t, s, e in find_terms(c) if s == 0 and e == len(c)] for c in q.choices]
        return all(len(t) == 1 for t in terms) and len({t[0].kind for t in terms}) == 1
    if q.kind == STATEMENT and "listed under" in q.prompt:  # a list's member among names of its kind
        kinds = [{t.kind for t, _, _ in find_terms(c)} for c in q.choices]
        return all(len(k) == 1 for k in kinds) and len(set.union(*kinds)) == 1
    if q.kind == STATEMENT:
        return all(len(c.split()) >= 2 for c in q.choices)  # statements, not names
    if q.prompt.startswith("Which AWS service"):
        return all(service_name(c) is not None or service_name("AWS " + c) for c in q.choices)
    if q.kind != WHICH:
        return True  # codes for the items shown, or table cells of one column
    return q.prompt.startswith("Under “")


# -- the bundled notes ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled_questions(corpus_index: SearchIndex) -> tuple[QuizQuestion, ...]:
    """As the bot and the CLI make them: checked against the notes as written, too."""
    return quiz_bank_for(corpus_index).questions


def test_bundled_notes_give_questions_of_many_kinds(bundled_questions):
    # issue 10 asks for 150; a few per chunk of the facts that can be asked fairly gives fewer (see README).
    # 19: "LUKS + EMRFS for ____", judged unfair in two blind reviews (EBS is right too), is no longer asked
    kinds = Counter(q.kind for q in bundled_questions)
    assert len(bundled_questions) >= 18, kinds
    assert min(kinds[WHICH], kinds[CLOZE]) >= 5 and kinds[STATEMENT] >= 2 and len(kinds) >= 5, kinds


def test_bundled_questions_keep_the_rules(corpus_index, bundled_questions):
    check_rules(corpus_index, bundled_questions)
    assert all(same_type(q) for q in bundled_questions), [
        q.prompt for q in bundled_questions if not same_type(q)
    ]


def test_bundled_questions_skip_a_fact_the_notes_give_two_services(bundled_questions):
    # "KMS provide encryption at rest" is written under both RDS and Aurora: no which-question asks it
    for q in bundled_questions:
        if q.kind == WHICH:
            assert norm("KMS provide encryption at rest") not in norm(quoted(q.prompt)), q.prompt


def test_bundled_questions_read_as_english(bundled_questions):
    # the raw notes' typos ("encyrpitno", "flihgt", "Congitos") never reach a question
    for typo in ("encyrpitno", "flihgt", "congitos", "cloudetrail", "enveopoe", "dyamobd", "secuiryt"):
        for q in bundled_questions:
            assert typo not in q.prompt.lower() and all(typo not in c.lower() for c in q.choices), (typo, q)


def test_bundled_sse_c_question(bundled_questions):
    """The issue's example: the S3 option that needs HTTPS is SSE-C, among its sibling options."""
    found = [q for q in bundled_questions if q.kind == WHICH and "HTTPS must be used" in q.prompt]
    assert len(found) == 1
    q = found[0]
    assert q.answer == "SSE-C"
    assert set(q.choices) <= {"SSE-S3", "SSE-KMS", "SSE-C", "CSE"}


def test_bundled_kms_size_cloze(bundled_questions):
    found = [q for q in bundled_questions if q.kind == CLOZE and q.answer == "4 KB"]
    assert found, "KMS's 4 KB limit is asked"
    for q in found:
        assert all(c.endswith(" KB") for c in q.choices), q.choices


# -- fixture notes ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fixture_index() -> SearchIndex:
    return build_index([FIXTURES], fix_typos=False)


@pytest.fixture(scope="module")
def fixture_questions(fixture_index) -> tuple[QuizQuestion, ...]:
    return generate_questions(fixture_index.chunks)


def by_fact(questions, text: str, kind: str = WHICH) -> list[QuizQuestion]:
    return [q for q in questions if q.kind == kind and norm(text) in norm(quoted(q.prompt))]


def test_fixture_questions_keep_the_rules(fixture_index, fixture_questions):
    assert len(fixture_questions) >= 16  # a few per chunk (issue 10: spread); a statement naming
    # CloudFront by its signed URLs is no longer one of them, nor "which service has field level
    # encryption" beside "which of these is CloudFront's: field level encryption" (one pairing, both ways)
    check_rules(fixture_index, fixture_questions)
    assert all(same_type(q) for q in fixture_questions)


def test_sibling_options_are_the_choices(fixture_questions):
    found = [q for q in fixture_questions if q.prompt.startswith("Under “Load balancer types”")]
    assert found
    for q in found:
        if q.kind == WHICH:
            assert sorted(q.choices) == ["ALB", "GWLB", "NLB"]
        else:  # "which of these do the notes say about GWLB?": the other options' facts are the wrong ones
            assert q.kind in (STATEMENT, QuestionKind.SELECT_TWO), q
            assert re.search(r"about (ALB|NLB|GWLB)\?$", q.prompt), q.prompt


def test_service_facts_ask_which_service_among_services_of_its_kind(fixture_questions, bundled_questions):
    # a key store offered beside a storage service is ruled out without knowing either
    asked = [q for q in fixture_questions + bundled_questions if q.prompt.startswith("Which AWS service")]
    assert len(asked) >= 5
    for q in asked:
        assert MIN_CHOICES <= len(q.choices) <= MAX_CHOICES
        assert all(service_name(c) or service_name("AWS " + c) for c in q.choices)
        families = {family_of(c) for c in q.choices}
        assert len(families) == 1 or not family_of(q.answer), (q.answer, q.choices)


def test_a_fact_under_two_headings_gets_no_which_question(fixture_questions):
    assert (
        by_fact(fixture_questions, "supports encryption at rest through KMS for every attached volume") == []
    )


def test_garbled_text_never_becomes_a_question(fixture_questions):
    for q in fixture_questions:
        assert "xyzzq" not in q.prompt and "plorbt" not in q.prompt


def test_a_quantity_cloze_offers_values_of_the_same_unit(fixture_questions):
    [q] = [q for q in fixture_questions if q.kind == CLOZE and "Encrypt call takes at most" in q.prompt]
    assert q.answer == "4 KB"
    assert all(re.fullmatch(r"\d+ KB", c) for c in q.choices), q.choices
    [days] = [q for q in fixture_questions if q.kind == CLOZE and "deleted key waits" in q.prompt]
    assert days.answer == "7 days" and all(re.fullmatch(r"\d+ days?", c) for c in days.choices)


def test_a_term_cloze_offers_terms_of_the_same_kind(fixture_questions, bundled_questions):
    term_clozes = [
        q for q in (*fixture_questions, *bundled_questions)
        if q.kind == CLOZE and not find_quantities(q.answer) and not re.fullmatch(r"\$?[\d,.]+", q.answer)
    ]
    assert term_clozes
    for q in term_clozes:
        kinds = [{t.kind for t, _, _ in find_terms(c)} for c in q.choices]
        assert all(len(k) == 1 for k in kinds) and len(set.union(*kinds)) == 1, q.choices


def test_ranges_are_never_blanked(fixture_questions):
    # "between 15 minutes and 36 hours" has two quantities: blanking one would make the other a hint
    assert not [q for q in fixture_questions if q.kind == CLOZE and "36 hours" in q.prompt]


def test_generation_is_deterministic_and_answers_are_not_always_first(fixture_index, fixture_questions):
    again = generate_questions(fixture_index.chunks)
    assert again == fixture_questions
    positions = Counter(q.answer_index for q in fixture_questions)
    assert len(positions) >= 3, positions


def test_ids_survive_reindexing_when_lines_move(tmp_path, fixture_questions):
    notes = tmp_path / "notes"
    shutil.copytree(FIXTURES, notes)
    identity = notes / "identity.md"
    text = identity.read_text()
    identity.write_text("Intro line one.\n\nIntro line two.\n\n" + text)
    moved = generate_questions(build_index([notes], fix_typos=False).chunks)
    before = {q.id: q for q in fixture_questions}
    after = {q.id: q for q in moved}
    assert set(before) == set(after)
    shifted = [q for q in fixture_questions if q.source == "identity.md"]
    assert shifted and all(after[q.id].line_start == q.line_start + 4 for q in shifted)


def test_an_edited_fact_gets_a_new_id_and_the_rest_keep_theirs(tmp_path, fixture_questions):
    notes = tmp_path / "notes"
    shutil.copytree(FIXTURES, notes)
    identity = notes / "identity.md"
    identity.write_text(
        identity.read_text().replace(
            "a single Encrypt call takes at most 4 KB of plaintext",
            "a single Encrypt call takes at most 8 KB of plaintext",
        )
    )
    edited = generate_questions(build_index([notes], fix_typos=False).chunks)
    old_ids = {(q.kind, q.prompt, q.answer): q.id for q in fixture_questions}
    new_ids = {(q.kind, q.prompt, q.answer): q.id for q in edited}
    changed = [q for q in fixture_questions if "Encrypt call" in q.prompt or "Encrypt call" in q.answer]
    assert changed and not {q.id for q in changed} & {q.id for q in edited}
    same = set(old_ids) & set(new_ids)
    assert len(same) >= 0.9 * len(old_ids)
    assert all(old_ids[k] == new_ids[k] for k in same)  # the same question keeps its id


def test_bank_looks_questions_up_by_id(fixture_questions):
    bank = QuizBank.from_questions(fixture_questions)
    assert len(bank) == len(fixture_questions)
    q = fixture_questions[3]
    assert bank.get(q.id) is q and bank.get("nope") is None


def test_notes_without_lists_or_services_give_no_questions_rather_than_bad_ones(make_corpus):
    corpus = make_corpus(
        {"prose.md": "# Thoughts\n\nI studied a lot today and it was fun.\n\nMore tomorrow.\n"}
    )
    assert generate_questions(build_index([corpus], fix_typos=False).chunks) == ()


def test_to_dict_has_the_review_fields(fixture_questions):
    q = fixture_questions[0]
    assert set(q.to_dict()) == {
        "id",
        "kind",
        "prompt",
        "choices",
        "answer_index",
        "source",
        "line_start",
        "line_end",
        "heading",
    }
    assert q.to_dict(with_snippet=True)["snippet"] == q.snippet


def test_a_word_typed_with_the_shift_key_held_is_not_shown_but_names_like_oauth_are(make_corpus):
    notes = make_corpus({"db.md": (
        "# Databases\n\n## Amazon RDS\n- MySQL and SQL SErver support encryption at rest with KMS keys\n"
        "- Snapshots of an encrypted instance are encrypted with the same key as the volume\n\n"
        "## Amazon Cognito\n- Hosted UI signs users in through OAuth providers and returns tokens\n"
        "- Identity pools exchange tokens for temporary credentials of an IAM role\n"
    )})
    questions = questions_of(notes)
    assert not any("SErver" in " ".join((*q.shown_lines(), *q.choices)) for q in questions)
    readable = Readability(build_index([notes], fix_typos=False).chunks).readable
    assert readable("Hosted UI signs users in through OAuth providers") and not readable("SQL SErver support")
    # a known code's letters are no short rare word of their own: "IPv" of "IPv4" is no typo
    assert readable("Supports both IPv4 and IPv6 over EC2") and not readable("Connects tos3 buckets")
    # words of incident response that English word lists miss are words, not slips
    assert readable("Snapshot all EBS volumes; capture memory if the runbook needs it, as the playbook says")
    # words lost from a line typed fast: an article before a verb, never English
    assert not readable("Attach a policy to a resource versus attaching of a using a role as a proxy")
    assert readable("A role using temporary credentials is safer than a user with access keys")


def test_a_possessive_before_a_verb_is_a_slip_and_not_shown(bundled_questions):
    # "for cse your must use your own encryption": the spelling fixes leave "your must" for "you must"
    slip = re.compile(r"(?i)\b(?:my|your|its|our|their)\s+(?:must|can|should|will|is|are)\b")
    for q in bundled_questions:
        for text in (*q.shown_lines(), *q.choices):
            assert not slip.search(text), text


def test_options_under_no_heading_give_questions_without_failing(make_corpus):
    # a note of bullet options with sub-bullets and no heading: the bank was made by a KeyError before
    notes = make_corpus({"opts.md": (
        "- Gateway endpoints\n  - route table entries reach S3 and DynamoDB privately without any charge\n"
        "  - endpoint policies limit which buckets callers may reach through them\n"
        "- Interface endpoints\n  - elastic network interfaces with private addresses live in your subnets\n"
        "  - security groups attached to them filter every caller connection\n"
        "- Peering connections\n  - traffic between two networks stays on the provider backbone always\n"
        "  - transitive routing through a third network is never supported here\n"
    )})
    questions = generate_questions(build_index([notes], fix_typos=False).chunks)
    assert all("Under “”" not in q.prompt for q in questions)


_PIECES = (
    "# {w}\n", "## {w} vs {v}\n", "- {s}\n", "  - {s}\n", "    - {s}\n", "1. {s}\n", "2. {s}\n", "3. {s}\n",
    "**{w}**: {s}\n", "| {w} | {v} |\n|---|---|\n| {s} | yes |\n| {s} | no |\n",
    "| | {w} | {v} |\n|---|---|---|\n| Feature | {s} | {s} |\n| Cost | $1 | free |\n",
    "<details><summary>{w} (lab 1.2)</summary>\n\n1. {s}\n2. this {s}\n3. {s}\n</details>\n",
    "- A. {s}\n- B. {s}\n- C. {s}\n\n**Correct answer:** B\n\n- **A is wrong because** {s}\n",
    "> {s}\n", "{s}. {s} (e.g. {w}). {s}\n", "```\n{s}\n```\n", "\n",
    "- {w}\n  - {s}\n  - {s}\n- {v}\n  - {s}\n  - {s}\n- {w} {v}\n  - {s}\n  - {s}\n",
)
_WORDS = ("KMS", "S3", "IAM", "AWS Config", "GuardDuty", "SSE-C", "Route 53", "port 5432", "4 KB", "90 days",
          "HTTP(S)", "Secrets Manager", "user pool", "bucket", "WAF", "EBS / RDS", "Key policy", "encrypts",
          "the", "data", "at", "rest", "with", "keys", "rotates", "every", "year", "can", "not", "findings")


@pytest.mark.parametrize("seed", range(12))
def test_notes_of_any_shape_never_break_the_bank(make_corpus, seed):
    # headings, nesting, tables, HTML, practice blocks and code in random order and amounts
    rng = random.Random(seed)

    def piece() -> str:
        def words() -> str:
            return " ".join(rng.choice(_WORDS) for _ in range(rng.randint(2, 14)))
        return rng.choice(_PIECES).format(w=rng.choice(_WORDS), v=rng.choice(_WORDS), s=words())

    notes = make_corpus({f"n{k}.md": "".join(piece() for _ in range(rng.randint(3, 40))) for k in range(2)})
    for q in generate_questions(build_index([notes], fix_typos=False).chunks):
        assert fewest_choices(q) <= len(q.choices) <= MAX_CHOICES and 0 <= q.answer_index < len(q.choices)


def test_a_line_with_a_third_of_its_words_guessed_is_not_trusted() -> None:
    # "SSL Endoput using the thtp protoco lto …": four guesses in eleven words, one of them HTTP for HTTPS
    from indexer.quiz.checks import doubtful_fixes

    raw = "SSL Endoput using the thtp protoco lto the encryption in flight"
    clean = "SSL Endpoint using the HTTP protocol to the encryption in flight"
    assert doubtful_fixes(raw, clean)
    assert not doubtful_fixes("SSL Endoput using the HTTPS protocol for encryption in flight",
                              "SSL Endpoint using the HTTPS protocol for encryption in flight")


def test_a_statement_many_services_notes_hold_is_neither_answer_nor_wrong_choice(bundled_questions) -> None:
    # the bundled notes say "SSL provide encryption in flight" of RDS, Aurora, Redshift, Athena…: true of
    # each, so a statement question on it has two right answers
    statements = [q for q in bundled_questions if q.kind is QuestionKind.STATEMENT]
    assert statements
    for q in statements:
        assert not any(re.search(r"(?i)\bssl\b.*encryption in flight", c) for c in q.choices), q.choices


def test_a_section_named_after_one_service_inside_another_s_keeps_the_outer_one(make_corpus) -> None:
    # "IAM Authentication" under RDS: "The token has a lifetime of ____" is about RDS's token, not IAM's
    notes = make_corpus({"db.md": (
        "# RDS\n\n## RDS Security\n\n### IAM Authentication\n"
        "- the auth token has a lifetime of 15 minutes\n- works for MySQL and PostgreSQL engines\n"
        "- network traffic to and from the database is encrypted using SSL\n\n"
        "## RDS Backups\n- automated backups are kept for 1 to 35 days\n- snapshots are taken manually\n"
    )})
    asked = [q for q in questions_of(notes) if "IAM Authentication" in q.topic]
    assert asked
    for q in asked:
        assert q.topic.startswith("RDS"), q.topic


def test_a_list_of_one_kind_of_thing_offers_only_that_kind(make_corpus) -> None:
    # "input data includes: VPC flow logs, CloudTrail logs, DNS logs": never the one "… Logs" among
    # services (CloudWatch, AWS Config), which a learner picks by its shape
    notes = make_corpus({"threats.md": (
        "# Threat detection\n\n## Amazon GuardDuty\n- intelligent threat discovery using ML\n"
        "- can notify through an EventBridge rule\n- input data includes:\n  - VPC flow logs\n"
        "  - CloudTrail logs\n  - DNS logs\n\n## AWS CloudTrail\n- CloudTrail records API calls\n"
        "- CloudTrail trails can deliver to a bucket\n\n## AWS Config\n"
        "- records resource configuration changes\n\n## Amazon CloudWatch\n"
        "- collects metrics and alarms\n\n## Trusted Advisor\n"
        "- checks accounts against best practices\n"
    )})
    listed = [q for q in questions_of(notes) if "listed under" in q.prompt]
    for q in listed:
        if q.choices[q.answer_index].lower().endswith("logs"):
            assert all(c.lower().endswith("logs") for c in q.choices), q.choices


def test_a_list_under_a_thing_s_name_is_neither_listed_nor_a_statement(make_corpus) -> None:
    # "Classic Load Balancer: HTTP, HTTPS, TCP": "which of these is listed under 'Classic Load
    # Balancer'" never says what the list is, and the items joined are no statement to pick
    notes = make_corpus({"elb.md": (
        "# Load Balancing (ELB)\n\n## Listeners and encryption in transit\n\n"
        "There are three types of Load Balancers on AWS\n\n"
        "1. Application Load Balancer\n   1. HTTP, HTTPS, WebSocket\n   2. supports SSL\n"
        "2. Network Load Balancer\n   1. TCP, TLS (secure TCP) & UDP\n   2. supports SSL\n"
        "3. Classic Load Balancer\n   1. HTTP, HTTPS, TCP\n   2. DO NOT support SSL\n\n"
        "## Security\n- ALB can authenticate users with Cognito before requests reach targets\n"
        "- NLB keeps the client IP address\n- WAF attaches to an ALB, not to an NLB\n"
    )})
    questions = questions_of(notes)
    for q in questions:
        assert "listed under “Classic Load Balancer”" not in q.prompt, q.prompt
        assert "listed under “Application Load Balancer”" not in q.prompt, q.prompt
        assert not any(c.startswith("HTTP, HTTPS") for c in q.choices), q.choices
        assert "listed under" not in q.prompt, q.prompt


def test_a_line_going_on_from_the_one_before_is_not_asked_alone(make_corpus) -> None:
    # "Or minimum of 32 MB of data at a time": a minimum of what, instead of what?
    notes = make_corpus({"streams.md": (
        "# Streaming\n\n## Kinesis Data Firehose\n- fully managed, serverless delivery service\n"
        "- Near Real-Time:\n  - 60 seconds latency minimum for non full batches\n"
        "  - Or minimum of 32 MB of data at a time\n- loads into S3, Redshift and OpenSearch\n\n"
        "## Kinesis Data Streams\n- retention from 1 to 365 days\n- up to 1 MB per record\n"
    )})
    for q in questions_of(notes):
        assert "Or minimum" not in q.prompt and not any("Or minimum" in c for c in q.choices), q.prompt


def test_one_value_written_in_two_units_is_asked_once(make_corpus) -> None:
    # "4,096 bytes" and "4 KB" in one section are one fact: the first answer gives the second away
    notes = make_corpus({"kms.md": (
        "# Keys\n\n## AWS KMS\n- the plaintext size limit of Encrypt is 4,096 bytes per call\n"
        "- more than 4 KB of data means envelope encryption with a data key\n"
        "- a custom key store can hold up to 10 keys per cluster in this example\n"
        "- key deletion waits 7 to 30 days\n\n## AWS CloudHSM\n- single-tenant HSMs in your VPC\n"
    )})
    asked = [q for q in questions_of(notes)
             if q.answer in ("4 KB", "4,096 bytes", "4096 bytes")]
    assert len(asked) <= 1, [q.prompt for q in asked]


def test_one_value_of_one_service_is_asked_once_across_its_sections(make_corpus) -> None:
    # "up to ____ of text" and, under SQS › Note, "messages are ____ in size": one 256 KB, asked twice
    notes = make_corpus({"sqs.md": (
        "# Messaging security\n\n## SQS\n- Messages can contain up to 256 KB of text in any format\n"
        "- Default retention of messages is 4 days\n\n### Note\n- Messages are 256 KB in size at most\n"
        "- Long polling waits for messages to arrive\n\n### FIFO queues\n"
        "- throughput of 3,000 messages per second with batching\n"
    )})
    asked = [q for q in questions_of(notes) if q.answer == "256 KB"]
    assert len(asked) == 1, [q.prompt for q in asked]


def test_a_name_keyed_to_cue_words_is_not_blanked(make_corpus) -> None:
    # "Secrets Manager = rotation, replication, cross-account resource policies": KMS has all three too
    notes = make_corpus({"secrets.md": (
        "# Secrets\n\n## Key takeaway\n- Secrets Manager = rotation, replication, cross-account resource "
        "policies.\n- SSM Parameter Store = cheap hierarchical configuration.\n\n## AWS KMS\n"
        "- customer managed keys can rotate every year\n- multi-Region keys replicate key material\n"
    )})
    for q in questions_of(notes):
        assert not q.prompt.startswith("Fill in the blank: “____ ="), q.prompt


def test_a_blank_after_a_pair_of_things_is_not_asked(make_corpus) -> None:
    # "LUKS + EMRFS for ____": LUKS encrypts the local disks (EBS), EMRFS the S3 data; either is right
    notes = make_corpus({"emr.md": (
        "# Analytics\n\n## EMR\n- Encrypt data at rest:\n  - EBS encryption for root volumes\n"
        "  - LUKS + EMRFS for S3\n- encrypt data in transit between nodes with TLS\n\n"
        "## Athena\n- queries data in S3 with SQL\n"
    )})
    for q in questions_of(notes):
        assert "LUKS + EMRFS for ____" not in q.prompt, (q.prompt, q.choices)


def test_statements_about_a_service_of_no_known_kind_are_not_asked(make_corpus) -> None:
    # "which of these do the notes say about OpsWorks?" among SQS, DynamoDB and CloudWatch lines: the wrong
    # ones are ruled out by their topic alone, since no service of OpsWorks' kind is known to offer instead
    notes = make_corpus({"ops.md": (
        "# Services\n\n## AWS OpsWorks\n- managed Chef and Puppet for server configuration\n"
        "- stacks group the layers of an application\n- perform server configuration automatically\n\n"
        "## Amazon SQS\n- messages are kept for up to 14 days\n- long polling cuts empty receives\n\n"
        "## Amazon DynamoDB\n- tables scale to any number of items\n- streams record item changes\n\n"
        "## Amazon CloudWatch\n- metrics are time series data\n- alarms can stop an instance\n"
    )})
    for q in questions_of(notes):
        assert "about OpsWorks" not in q.prompt, (q.prompt, q.choices)


def test_a_value_the_reader_sets_is_not_asked(make_corpus) -> None:
    # "can be set to delete after 365 days", "move objects to Standard-IA 60 days after creation": examples
    # of a lifecycle rule, where 30 or 180 days are as true
    notes = make_corpus({"s3.md": (
        "# Storage\n\n## S3 Lifecycle Rules\n- Move objects to Standard-IA 60 days after creation\n"
        "- Access log files can be set to delete after 365 days\n"
        "- objects must be stored 30 days before moving to Standard-IA\n\n"
        "## Amazon S3\n- a single object is at most 5 TB\n- a bucket holds any number of objects\n"
    )})
    for q in questions_of(notes):
        assert "60 days" != q.answer and "365 days" != q.answer, q.prompt


@pytest.mark.parametrize(
    ("card", "read"),
    [
        ("How long is history kept?::90 days", "How long is history kept? — 90 days"),
        ("SCP:::Service control policy", "SCP — Service control policy"),
        ("How does Config fix it?\n?\nAttach a rule", "How does Config fix it? — Attach a rule"),
        ("Trust arn:aws:iam::123456789012:root here", "Trust arn:aws:iam::123456789012:root here"),
        ("Is it regional? Yes, per Region.", "Is it regional? Yes, per Region."),
    ],
)
def test_a_flashcard_reads_as_one_sentence_question_and_answer_together(card: str, read: str) -> None:
    assert flashcard(card) == read


def test_a_blank_in_a_flashcard_answer_keeps_its_question(make_corpus) -> None:
    # "Minimum waiting period before a KMS key is deleted?::7 days" showed "…deleted?::____"
    notes = make_corpus({"kms.md": (
        "# KMS\n\n## Deletion\n\n"
        "Minimum waiting period before a KMS key is deleted?::7 days (max 30, default 30)\n\n"
        "How long can a Secrets Manager recovery window be?::7 to 30 days\n\n"
        "## Rotation\n- Automatic rotation of customer managed keys happens every year by default\n"
    )})
    prompts = [q.prompt for q in questions_of(notes)]
    assert not any("::" in p for p in prompts), prompts
    assert any("deleted? — ____" in p for p in prompts), prompts


def test_only_the_security_part_of_mixed_notes_is_asked(make_corpus) -> None:
    # an Associate-level cheat sheet beside the security notes: EBS volume types and DynamoDB's data model
    # are not what a security study group wants to be quizzed on, however well they make questions
    notes = make_corpus({
        "storage.md": (
            "# Storage\n\n## EBS Volume\n\n| Type | Use Cases | Max IOPS |\n| --- | --- | --- |\n"
            "| General Purpose (gp3) | Most workloads | 16000 |\n"
            "| Provisioned IOPS (io2) | Databases | 64000 |\n"
            "| Throughput Optimized (st1) | Big data and data warehouses | 500 |\n"
            "| Cold HDD (sc1) | File servers | 250 |\n\n## DynamoDB\n- DynamoDB is made of tables\n"
            "- each item has attributes that can be added over time\n- maximum size of an item is 400 KB\n\n"
            "## Aurora\n- storage grows in 10 GB increments up to 128 TB\n- up to 15 read replicas\n"
        ),
        "kms.md": (
            "# Encryption\n\n## AWS KMS\n- customer managed keys rotate every year once rotation is on\n"
            "- key deletion waits 7 to 30 days\n- the Encrypt API takes at most 4 KB of plaintext\n\n"
            "## AWS CloudHSM\n- single-tenant HSMs in your VPC, FIPS 140-2 Level 3\n"
            "- you manage the keys and users yourself\n\n## Secrets Manager\n"
            "- rotates database passwords with a Lambda function\n"
        ),
    })
    questions = questions_of(notes)
    assert questions and all(q.source == "kms.md" for q in questions), [
        (q.source, q.prompt) for q in questions
    ]




def test_wrong_choices_from_security_make_no_question_on_other_matter_one_on_security(make_corpus) -> None:
    # "Layers group the instances …" → OpsWorks, offered beside KMS and CloudHSM: still not on security;
    # a security service's own line is, without a word of the list ("Rotates database passwords")
    notes = make_corpus({
        "storage.md": (
            "# Storage\n\n## DynamoDB\n- DynamoDB is made of tables\n"
            "- each item has attributes that can be added over time\n\n"
            "## AWS OpsWorks\n- managed Chef and Puppet configure the servers of a stack\n"
            "- layers group the instances that serve one purpose\n"
        ),
        "kms.md": (
            "# Encryption\n\n## AWS KMS\n- customer managed keys rotate every year once rotation is on\n"
            "- key deletion waits 7 to 30 days\n\n## AWS CloudHSM\n- single-tenant HSMs in your VPC, FIPS "
            "140-2 Level 3\n- you manage the keys and users yourself\n\n## Secrets Manager\n"
            "- rotates database passwords with a Lambda function\n"
        ),
    })
    questions = questions_of(notes)
    assert questions and not [q.prompt for q in questions if q.source == "storage.md"]



def test_a_line_answered_by_a_security_service_is_asked_without_a_word_of_the_list(make_corpus) -> None:
    # "Version tracking …" says nothing of security, but its answer, Parameter Store, is a store of secrets
    notes = make_corpus({"crypto.md": (
        "# Services\n\n## SSM Parameter Store\n- version tracking when you change your configurations\n"
        "- a hierarchy of paths groups parameters by app and stage\n\n"
        "## AWS KMS\n- customer managed keys rotate every year once rotation is on\n"
        "- key deletion waits 7 to 30 days\n\n## AWS CloudHSM\n- single-tenant HSMs in your VPC, FIPS 140-2 "
        "Level 3\n- you manage the keys and users yourself\n\n## ACM\n"
        "- public TLS certificates are free and renew on their own\n"
        "- a certificate for CloudFront must be requested in us-east-1\n"
    )})
    assert [q for q in questions_of(notes) if q.answer == "SSM Parameter Store" and "Version" in q.prompt]


def test_a_line_led_by_a_name_and_an_arrow_is_not_cut_into_sentences_without_it(make_corpus) -> None:
    # "SSE-C -> … s3 dont store the key. HTTPS mandatory.": "____ mandatory" alone says not whose it is
    notes = make_corpus({"s3 security.md": (
        "encryption at rest\n\noptions:\n"
        "SSE-S3 -> s3 manage the keys, AES-256, simplest, no audit of key use\n"
        "SSE-KMS -> kms key, key usage logged in CloudTrail, control by key pol\n"
        "SSE-C -> customer give key in every req (header), s3 dont store the key. HTTPS mandatory. "
        "lose key = lose data\n"
        "client side -> encrypt before upload, s3 never see plaintext\n\n"
        "in transit: TLS, force w/ SecureTransport deny\n"
    )})
    for q in questions_of(notes):
        if "mandatory" in q.prompt:
            assert "SSE-C" in q.prompt or q.answer == "SSE-C", q.prompt


def test_a_line_under_a_comparison_is_not_asked_as_the_section_above_it(make_corpus) -> None:
    # "Global Accelerate" (sic) under "Global Accelerator vs CloudFront" inside CloudFront's section: "good
    # fit for non-HTTP use cases" is the accelerator's, not CloudFront's
    notes = make_corpus({"edge.md": (
        "# Edge\n\n## Amazon CloudFront\n- caches content at edge locations\n"
        "- signed URLs and signed cookies restrict who can fetch private content\n"
        "- origin access control keeps an S3 origin private\n\n"
        "### AWS Global Accelerator vs CloudFront\n\n"
        "**CloudFront**\n\n- serves cacheable content at the edge\n\n"
        "**Global Accelerate**\n\n- good fit for non-HTTP use cases such as gaming over UDP\n"
        "- two static anycast IP addresses to allowlist\n\n"
        "## AWS WAF\n- web ACLs filter HTTP requests by rule\n- rate-based rules block floods from one IP\n\n"
        "## AWS Shield\n- Shield Standard protects every account from common DDoS attacks\n"
        "- Shield Advanced adds the Shield Response Team\n\n"
        "## Route 53\n- DNS query logging records the names resolvers ask for\n"
    )})
    index = build_index([notes])
    topics = Matching(index.chunks, index.settings, {"edge.md": (notes / "edge.md").read_text()})
    placed = [f for f in topics.facts if "non-HTTP" in f.text or "anycast" in f.text]
    assert placed
    for fact in placed:  # the topic a "which service" question would give as its answer
        assert topics.service_of(topics.placement(fact)[0]) != "CloudFront", fact.text


def test_a_label_that_counts_rather_than_names_is_no_term_to_match(make_corpus) -> None:
    # "Almost every AWS storage service: S3, EBS, RDS …" is a lead-in, not a term with a definition
    notes = make_corpus({"kms.md": (
        "# Keys and secrets\n\n## AWS KMS\n\n### Limits\n\n"
        "- Deletion waiting period: 7 to 30 days, default 30.\n"
        "- Customer managed key: 1 USD per month each, prorated hourly.\n"
        "- AWS managed keys: no monthly fee, rotated every year.\n"
        "- Almost every AWS storage service: S3, EBS, RDS, DynamoDB, CloudTrail log encryption.\n\n"
        "## AWS CloudHSM\n\n- single-tenant HSMs in your VPC\n"
    )})
    for q in questions_of(notes):
        assert not any("Almost every" in item for item in q.items), q.items


def test_wrong_choices_come_first_from_the_part_of_the_notes_the_answer_is_in(make_corpus) -> None:
    # what the notes file together is alike: GuardDuty among the other threat detectors, not beside the
    # posture page's Security Hub, while the threat page has enough of its own
    threats = "".join(
        f"## {name}\n\n" + "".join(f"- {line}\n" for line in lines) + "\n"
        for name, lines in {
            "Amazon GuardDuty": ["reads VPC flow logs, DNS logs and CloudTrail events without agents",
                                 "flags instances talking to known cryptocurrency mining pools"],
            "Amazon Inspector": ["scans EC2 instances and container images for software vulnerabilities",
                                 "network reachability findings show open paths from the internet"],
            "Amazon Macie": ["discovers personal data in S3 buckets with machine learning",
                             "custom data identifiers match your own patterns with regular expressions"],
            "Amazon Detective": ["builds a behaviour graph from a year of log data",
                                 "visualises which principals and addresses an instance dealt with"],
        }.items()
    )
    posture = (
        "## AWS Security Hub\n\n- aggregates findings from many services into one standard format\n"
        "- cross-region aggregation collects findings into one home region\n\n"
        "## AWS Config\n\n- records configuration items whenever a resource changes\n"
        "- conformance packs bundle rules with remediation actions\n"
    )
    notes = make_corpus({"threats.md": f"# Threats\n\n{threats}", "posture.md": f"# Posture\n\n{posture}"})
    asked = [q for q in questions_of(notes) if q.source == "threats.md" and q.kind in (WHICH, STATEMENT)]
    assert len(asked) >= 3
    for q in asked:
        offered = " ".join(q.choices)
        assert "Security Hub" not in offered and "cross-region" not in offered, (q.prompt, q.choices)


def test_a_value_restated_in_other_units_is_asked_without_the_restatement(make_corpus) -> None:
    # "4 KB of plaintext (4,096 bytes)": one amount twice; blanking one would leave the other on screen
    notes = make_corpus({"kms.md": (
        "# Encryption\n\n## AWS KMS\n- Encrypt takes at most 4 KB of plaintext (4,096 bytes) per call\n"
        "- customer managed keys rotate once a year when rotation is on\n\n"
        "## Secrets Manager\n- a secret value holds 64 KB at most (65,536 bytes)\n"
        "- a session lasts up to 12 hours (default 1 hour) when the role allows it\n"
    )})
    clozes = {q.answer: q for q in questions_of(notes) if q.kind is CLOZE}
    assert "4 KB" in clozes and "64 KB" in clozes, list(clozes)
    for q in clozes.values():
        assert "4,096" not in q.prompt and "65,536" not in q.prompt, q.prompt
        assert "of plaintext" in q.prompt or "secret value" in q.prompt, q.prompt
    from indexer.quiz.clozes import without_restatement

    assert without_restatement("up to 12 hours (default 1 hour)") == "up to 12 hours (default 1 hour)"


def test_a_card_written_over_lines_is_one_fact_with_its_question(make_corpus) -> None:
    # the question, a "?" line, the answer: "S3 and DynamoDB." alone says nothing, and "S3 and DynamoDB
    # also offer ____" asked apart from "which two support gateway endpoints" has two right answers
    notes = make_corpus({"vpc.md": (
        "# VPC\n\n## Endpoints\n**Locking S3 down**\n- Deny unless aws:SourceVpce is your endpoint ID\n\n"
        "Which two services support gateway endpoints?\n?\nS3 and DynamoDB. Everything else uses interface "
        "endpoints. S3 and DynamoDB also offer interface endpoints.\n"
    )})
    outline = build_outline(build_index([notes]).chunks)
    facts = [f.text for node in (outline.root, *outline.root.descendants()) for f in node.facts]
    assert [f for f in facts if "endpoints" in f and "DynamoDB" in f] == [
        "Which two services support gateway endpoints? — S3 and DynamoDB. Everything else uses interface "
        "endpoints. S3 and DynamoDB also offer interface endpoints."
    ], facts


@pytest.mark.parametrize(
    ("label", "asked"),
    [
        # "you need to enable the option: ____ with kms: …" reads as if the option were the IAM role; the
        # notes list what the option needs
        ("For objects encrypted using KMS - you need to enable the option", False),
        ("Replicating KMS objects needs", True),  # a label that announces its items
    ],
)
def test_no_blank_opens_an_item_under_a_label_that_reads_as_naming_it(tmp_path, label, asked) -> None:
    notes = tmp_path / "notes"
    shutil.copytree(STYLES["bundled"], notes)
    note = notes / "encryption-and-threat-protection.md"
    written = "For objects encrypted using KMS - you need to enable the option"
    note.write_text(note.read_text(encoding="utf-8").replace(written, label), encoding="utf-8")
    blanks = [q.prompt for q in questions_of(notes) if q.kind is QuestionKind.CLOZE]
    assert any(f"{label}: ____" in p for p in blanks) is asked, blanks
