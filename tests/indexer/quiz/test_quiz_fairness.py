"""What a learner sees before answering gives nothing away, on notes of every style: no answer named on
screen, no emoji or skill codes, no generic heading as the topic, no question from links, practice
options or exam-tip lines, a few questions per chunk, and every wrong choice explained where the notes
put it."""

from __future__ import annotations

import random
import re
from collections import Counter

import pytest
from quizbanks import STYLES, Bank, bank_of, questions_of, shown, words

from indexer.build import build_index
from indexer.model import ChunkRole
from indexer.quiz.bank import generate_questions
from indexer.quiz.facts import build_outline
from indexer.quiz.fairness import Words
from indexer.quiz.generator import MAX_STATEMENT_WORDS
from indexer.quiz.matching import Matching
from indexer.quiz.question import KINDS, QuestionKind
from indexer.quiz.spread import MAX_PER_CHUNK, MAX_PER_TABLE
from indexer.quiz.terms import service_name, term_named
from indexer.reading.roles import generic_headings, heading_key
from indexer.search.tokenize import Tokenizer, TokenizerSettings

CODED = {QuestionKind.ORDER, QuestionKind.SELECT_TWO, QuestionKind.MATCH}


@pytest.fixture(params=sorted(STYLES))
def any_bank(request) -> Bank:
    return bank_of(request.param)
SKILL_CODE = re.compile(r"\b(?:Skill|Task|Domain)\s+\d+(?:\.\d+)*\b")
EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf\u2b50\u2705]")


def test_every_style_gives_questions(any_bank: Bank) -> None:
    kinds = Counter(q.kind for q in any_bank.questions)
    # 3 in the three short style samples: their 3-row table asks one column once among the same choices
    # (a fourth, "____ basics, as presented in class", titled a lecture and said nothing: no longer asked
    # since a blank that encrypts offers only services that encrypt); 3 in the study-session minutes, most
    # of whose lines are who said what (README: the minutes row)
    fewest = 3 if any_bank.folder.name in ("minutes", "styles") else 4
    assert len(any_bank.questions) >= fewest and set(kinds) <= set(KINDS), kinds


@pytest.mark.parametrize("style", ["bundled", "guide", "lecture"])
def test_notes_with_topics_give_questions_of_several_kinds(style: str) -> None:
    kinds = Counter(q.kind for q in bank_of(style).questions)
    # a floor, not a target (README); the bundled notes' 19 since an unfair blank ("LUKS + EMRFS for ____")
    # is no longer asked
    assert len(kinds) >= 4 and len(bank_of(style).questions) >= 18, kinds


def test_nothing_shown_names_the_answer_more_than_the_other_choices(any_bank: Bank) -> None:
    # a reader who picks the choice whose words are most on screen does no better than chance
    leaks = []
    for q in any_bank.questions:
        if q.kind in CODED:
            continue
        seen = words(shown(q))
        shares = [len(words(c) & seen) / max(len(words(c)), 1) for c in q.choices]
        best = max(shares)
        if best > 0 and shares[q.answer_index] == best and shares.count(best) == 1:
            leaks.append((shown(q), q.answer))
    assert len(leaks) <= 0.05 * len(any_bank.questions), leaks


def test_shown_lines_are_the_prompt_the_items_and_one_context_line(any_bank: Bank) -> None:
    for q in any_bank.questions:
        lines = q.shown_lines()
        assert lines[0] == q.prompt and lines[1:-1] == q.items
        assert lines[-1].startswith("From your notes") and lines[-1] == q.context
        assert "____" not in "".join(q.items) and q.to_dict(with_shown=True)["shown"] == "\n".join(lines)


def test_no_emoji_skill_codes_or_generic_headings_in_what_is_shown(any_bank: Bank) -> None:
    generic = generic_headings(any_bank.index.chunks)
    for q in any_bank.questions:
        for text in (*q.shown_lines(), q.topic, *q.choices):
            assert not EMOJI.search(text) and not SKILL_CODE.search(text), text
        for part in (*q.topic.split(" › "), *q.context.removeprefix("From your notes on ").split(" › ")):
            assert heading_key(part) not in generic, q.topic
            # "2. Roles": a section's number ("4 KB limit" is a value)
            number = r"\d{1,2}(?:\.\d+)*[.)]? (?!(?:[KMGT]i?B|bytes?|days?|hours?)\b)"
            assert not re.match(number, part), q.context
            # "detection svcs (who do what??)" shown without its marks, and without "what )"
            assert not re.search(r"[(\[] | [)\]]|[!?]{2}", part), q.context


def test_no_question_comes_from_links_practice_options_or_exam_tips(any_bank: Bank) -> None:
    asked = [c for c in any_bank.index.chunks if c.role is not ChunkRole.TEXT]
    for q in any_bank.questions:
        cited = [c for c in any_bank.index.chunks if c.source == q.source and c.line_start >= q.line_start
                 and c.line_end <= q.line_end]
        if q.kind is QuestionKind.SCENARIO:  # a practice question the notes pose, asked as they pose it
            assert cited and cited[0].role is ChunkRole.OPTIONS, q.prompt  # then its answer and reasons
            continue
        assert cited and all(c.role is ChunkRole.TEXT for c in cited), (q.prompt, [c.role for c in cited])
        for text in (q.prompt, *q.items, *q.choices):
            assert not re.match(r"^\W*[\"“][^\"”]{4,}[\"”]\s*(?:→|->)", text.split("“", 1)[-1]), text
            assert not any(c.text and text.strip("“”") in c.text for c in asked if len(text) > 30), text


def test_a_chunk_gives_a_few_questions_at_most(any_bank: Bank) -> None:
    # a comparison table states a row of facts per line: up to one question a row, and a few at most
    per_chunk = Counter((q.source, q.line_start, q.line_end) for q in any_bank.questions)
    for (source, first, last), asked in per_chunk.items():
        text = "\n".join(c.text for c in any_bank.index.chunks
                         if c.source == source and first <= c.line_start and c.line_end <= last)
        table = [line for line in text.split("\n") if " | " in line]
        facts = len(table) - 1 + table[0].count(" | ") + 1 if table else 0  # its rows and its columns
        assert asked <= MAX_PER_CHUNK or asked <= min(MAX_PER_TABLE, facts), (source, first, asked, facts)


@pytest.mark.parametrize("style", ["bundled", "guide", "lecture"])
def test_questions_cover_most_sections_that_state_facts(style: str) -> None:
    bank = bank_of(style)
    sections = {c.heading for c in bank.index.chunks if c.role is ChunkRole.TEXT and c.text.count("\n") >= 2}
    asked = {q.heading for q in bank.questions}
    # a fifth at least: the bundled notes' 21 questions ask 15 of their 61 sections, nearly one each
    assert len(asked & sections) >= 0.2 * len(sections), sorted(sections - asked)


def test_every_choice_is_explained_and_wrong_ones_cite_real_lines(any_bank: Bank) -> None:
    cited_wrong = 0
    for q in any_bank.questions:
        assert len(q.explanations) == len(q.choices)
        right = q.explanations[q.answer_index]
        assert right is not None and right.source == q.source
        assert q.line_start <= right.line_start <= right.line_end <= q.line_end
        for i, note in enumerate(q.explanations):
            if i == q.answer_index or note is None:
                continue
            cited_wrong += 1
            # the cited lines are lines of the notes, as the index reads them, that say it
            lines = " ".join(
                c.text for c in any_bank.index.chunks
                if c.source == note.source and c.line_start <= note.line_end and note.line_start <= c.line_end
            )
            said = words(note.snippet)
            assert said and len(said & words(lines)) >= 0.6 * len(said), (note, lines)
    # a wrong value ("60 days" for "90 days") is said nowhere in the notes; a wrong term or statement often is
    termed = [q for q in any_bank.questions if not q.answer[:1].isdigit()]
    assert cited_wrong >= len(termed) // 3


def test_the_steps_of_a_procedure_are_not_asked_as_facts() -> None:
    steps = ["createSecret", "setSecret", "testSecret", "finishSecret", "Capture metadata", "Revoke cred"]
    for q in bank_of("guide").questions:
        if q.kind is QuestionKind.ORDER:
            continue
        for text in (q.prompt, *q.choices, *q.items):
            assert not any(text.startswith(step) or f"“{step}" in text for step in steps), text


def test_a_blank_is_not_settled_by_its_neighbour(make_corpus) -> None:
    # "Lambda functions" is written everywhere: "____ functions" would be Lambda by its neighbour alone
    for prompt in _cloze_prompts(make_corpus, (
        "# Serverless\n\n## AWS Lambda\n- Lambda functions run in an execution role\n"
        "- Lambda functions can be placed in a VPC to reach private resources\n"
        "- Lambda functions log to CloudWatch by default\n\n"
        "## Amazon S3\n- S3 buckets are private by default\n"
        "- S3 bucket policies grant access to other accounts\n"
        "- an S3 bucket can require TLS for every request\n"
    )):
        assert "____ function" not in prompt and "____ bucket" not in prompt, prompt


def test_the_documentation_counts_read_words_across_punctuation_and_numbers() -> None:
    # "rotation Lambda function", "7 to 30 days": what a reader of the docs meets side by side, a hyphen,
    # a full stop or a number between them or not, is what makes a choice sound right beside a blank
    from indexer.quiz.fairness import Neighbours

    docs = Neighbours([])
    assert docs.fit("rotation", "runs", "Lambda", "")[0] > docs.fit("rotation", "runs", "EKS", "")[0]
    assert docs.fit("in", "instead", "resource-based policy", "")[0] > 0
    assert docs.fit("7", "recovery", "30 days", "")[0] > docs.fit("7", "recovery", "45 days", "")[0]


def test_no_value_is_told_by_how_often_the_docs_write_it_beside_the_blank(make_corpus) -> None:
    # the docs write "last 90" three times and "last 30" four: beside "the last ____ of management
    # events", a wrong value written there at least as often as the answer is among the choices
    from indexer.quiz.fairness import Neighbours, blank_neighbours

    notes = make_corpus({"cloudtrail.md": (
        "# Logging\n\n## AWS CloudTrail\n"
        "- Without any setup, Event history shows the last 90 days of management events for each region.\n"
        "- A trail delivers log files to an S3 bucket and can send them to CloudWatch Logs\n"
        "- Log file validation proves a log file was not changed after delivery\n"
    )})
    docs = Neighbours([])
    asked = [q for q in questions_of(notes) if q.kind is QuestionKind.CLOZE and q.answer == "90 days"]
    assert asked, [q.prompt for q in questions_of(notes)]
    for q in asked:
        left, right = blank_neighbours(q.prompt)
        counts = {c: docs.fit(left, right, c, "")[0] for c in q.choices}
        assert max(n for c, n in counts.items() if c != q.answer) >= counts[q.answer], counts


def test_numbers_in_names_are_not_quantities(make_corpus) -> None:
    notes = make_corpus({"dns.md": (
        "# Networking\n\n## Amazon Route 53\n- Route 53 resolver query logs go to CloudWatch Logs\n"
        "- Route 53 health checks fail over between regions within 30 seconds\n"
        "- Route 53 DNSSEC signing protects hosted zones against spoofing\n"
    )})
    for q in questions_of(notes):
        assert "Route ____" not in q.prompt and not any(c in {"25", "30", "50", "100"} for c in q.choices)


def test_a_limit_opening_its_sentence_is_a_quantity_not_part_of_a_name(make_corpus) -> None:
    # "Max 50,000 grants per key": "Max" is how much, not a name like "Route 53"
    notes = make_corpus({"kms.md": (
        "# KMS\n\n## Grants\n- Max 50,000 grants per key.\n"
        "- a grant only allows, it never denies\n- a grant ends when it is retired or revoked\n"
    )})
    assert any(q.answer == "50,000" for q in questions_of(notes))


def test_a_value_in_a_series_is_not_blanked_and_no_wrong_value_is_one_the_fact_states(make_corpus) -> None:
    # "every 1, 3, 6, 12 or ____ hours": the series gives the answer away, and 12 hours would look right
    notes = make_corpus({"config.md": (
        "# Governance\n\n## AWS Config\n"
        "- Periodic rules run every 1, 3, 6, 12 or 24 hours\n"
        "- Conformance packs deploy a set of rules and remediations across an organization\n"
        "- Config keeps configuration history in an S3 bucket for 7 years by default\n"
    )})
    questions = questions_of(notes)
    for q in questions:
        if q.kind is QuestionKind.CLOZE:
            assert "12 or ____" not in q.prompt, q.prompt
            stated = set(re.findall(r"\b\d+\b", q.prompt))
            wrong = [c for i, c in enumerate(q.choices) if i != q.answer_index]
            assert not any(set(re.findall(r"\b\d+\b", c)) & stated for c in wrong), (q.prompt, q.choices)


def test_a_member_of_a_bracketed_pair_is_not_blanked(make_corpus) -> None:
    # "(AMI, ____)": the other member says a list is meant, and every other member of it would be right too
    notes = make_corpus({"asg.md": (
        "# Compute\n\n## Auto Scaling\n"
        "- Launch templates hold the launch details (AMI, IAM instance profile) for new instances\n"
        "- custom rules (Lambda / Guard) check resources that managed rules do not cover\n"
        "- Scaling policies add instances when the CloudWatch alarm on CPU fires\n"
    )})
    for q in questions_of(notes):
        assert "AMI, ____" not in q.prompt and "(____ / Guard)" not in q.prompt, q.prompt


def test_wrong_choices_are_not_what_the_documentation_ties_to_the_subject() -> None:
    # "version tracking" is true of Secrets Manager (secret versions): never offered as not-Secrets-Manager
    bundled = bank_of("bundled")
    for q in bundled.questions:
        if q.kind is QuestionKind.STATEMENT and q.prompt.endswith("about Secrets Manager?"):
            assert not any("version" in c.lower() for i, c in enumerate(q.choices) if i != q.answer_index)


def test_link_lines_and_keyword_answer_tips_are_not_facts(make_corpus) -> None:
    notes = make_corpus({"practice.md": (
        "# Practice\n\n## Question 1 — Who signs in\n\n**Why:**\n"
        "- Identity Center centralises workforce access to every account in the organization.\n"
        "- Cognito user pools authenticate the users of your own applications.\n\n"
        "**Key takeaway:** Workforce → IAM Identity Center. App users → Cognito.\n\n"
        "**Relevant Links:**\n- [Permissions boundaries for IAM entities](https://docs.aws.amazon.com/x.html)\n"
    )})
    for q in generate_questions(build_index([notes]).chunks, raw_notes={
        "practice.md": (notes / "practice.md").read_text(encoding="utf-8")
    }):
        for text in (q.prompt, *q.items, *q.choices):
            assert "Permissions boundaries for" not in text and "App users" not in text, text


def test_a_fact_naming_a_service_many_use_offers_no_service_whose_notes_use_it() -> None:
    # "Seamless encryption using KMS": RDS, Aurora and Kinesis use KMS too, so none of them is a wrong choice
    bank = bank_of("bundled")
    kms_users = {"RDS", "Aurora", "Kinesis Data Firehose", "Kinesis Data Streams", "DynamoDB", "Glue",
                 "Redshift", "Lambda", "S3", "Elasticsearch", "SQS"}
    for q in bank.questions:
        if q.kind is QuestionKind.WHICH and "KMS" in q.prompt and q.prompt.startswith("Which AWS service"):
            wrong = {c for i, c in enumerate(q.choices) if i != q.answer_index}
            assert not wrong & kms_users, (q.prompt, wrong)


def _name_words(name: str) -> set[str]:
    """The words of a service's name and aliases, split at capitals too (``CloudTrail`` -> cloud, trail)."""
    term = term_named(name)
    names = [name, *(term.aliases if term else ())]
    parts = {p.lower() for n in names for p in re.findall(r"[A-Z]?[a-z]+|[A-Z]{2,}(?![a-z])", n)}
    return {p for p in parts if len(p) >= 3} - {"aws", "amazon", "service", "manager", "cloud"}


def test_a_wrong_statement_does_not_name_the_service_it_is_about(any_bank: Bank) -> None:
    # "Multi-Region trails are the default" offered as not-Config: "trail" says it is CloudTrail's
    checked = 0
    for q in any_bank.questions:
        if q.kind is not QuestionKind.STATEMENT:
            continue
        for i, choice in enumerate(q.choices):
            note = q.explanation(i)
            if i == q.answer_index or note is None:
                continue
            owner = next((s for part in note.heading.split(" › ") if (s := service_name(part))), None)
            if owner:
                checked += 1
                said = {w[:5] for w in re.findall(r"[a-z0-9]+", choice.lower())}
                assert not {w[:5] for w in _name_words(owner)} & said, (owner, choice, q.prompt)
    assert checked or not any(q.kind is QuestionKind.STATEMENT for q in any_bank.questions)


def test_memory_aids_are_not_facts(make_corpus) -> None:
    # "Memory trick: …" helps to remember facts; it is not one to be asked about
    notes = make_corpus({"identity.md": (
        "# Identity\n\n## Amazon Cognito\n"
        "- User pools hold a directory of app users and sign them in with passwords or social logins.\n"
        "- Identity pools swap a token for temporary AWS credentials of an IAM role.\n"
        "- Memory trick: pool of users signs in; pool of identities gets keys.\n"
        "- **Exam tip:** the word federation in a question about app users points at identity pools.\n"
        "- 💡 Remember — guests can get limited credentials without signing in at all.\n"
        "- Mnemonic:\n  - UP is who you are\n  - IP is what you may touch\n\n"
        "## AWS IAM Identity Center\n"
        "- Identity Center signs the workforce in to every account of an organization.\n"
        "- Tip: permission sets become roles in each account they are assigned to.\n"
        "- Permission sets are assigned to groups from the identity source.\n"
    )})
    index = build_index([notes])
    aids = ("memory trick", "exam tip", "remember", "mnemonic", "tip:", "who you are", "what you may touch")
    outline = build_outline(index.chunks)
    facts = [f.text.lower() for node in (outline.root, *outline.root.descendants()) for f in node.facts]
    assert facts and not [f for f in facts if any(a in f for a in aids)], facts
    for q in generate_questions(index.chunks):
        for text in (q.prompt, *q.items, *q.choices):
            assert not any(a in text.lower() for a in aids), text


def test_a_fact_starting_with_one_standing_for_a_thing_before_it_is_not_asked(make_corpus) -> None:
    # "One for the primary node": *one* of what? the line before says, the question would not
    notes = make_corpus({"cluster.md": (
        "# Databases\n\n## Amazon Redshift\n"
        "- Redshift clusters keep two kinds of security group rules for their nodes.\n"
        "- One for the leader node that takes client connections on port 5439 over TLS.\n"
        "- Ones for compute nodes accept traffic only from the leader node inside the cluster VPC.\n"
        "- Redshift encrypts snapshots with the same KMS key as the cluster.\n\n"
        "## Amazon RDS\n- RDS encrypts read replicas with the key of the primary instance.\n"
        "- RDS IAM database authentication issues tokens that last fifteen minutes.\n"
    )})
    for q in questions_of(notes):
        for text in (q.prompt, *q.items, *q.choices):
            assert not re.search(r"\b(?:One for|Ones for) ", text) and "leader node that" not in text, text


def _context_heading(q) -> str:
    return q.context.removeprefix("From your notes").removeprefix(" on ")


@pytest.mark.parametrize("style", sorted(STYLES))
def test_a_statement_context_names_the_subject_not_the_answer_s_sub_heading(style: str) -> None:
    # "Which of these do the notes say about IAM?" "From your notes on IAM › ABAC": ABAC's statement
    for q in bank_of(style).questions:
        if q.kind not in (QuestionKind.STATEMENT, QuestionKind.SELECT_TWO) or "say about" not in q.prompt:
            continue
        last = _context_heading(q).split(" › ")[-1]
        assert " › " not in _context_heading(q) or words(last) <= words(q.prompt), (q.prompt, q.context)


def test_a_statement_context_does_not_point_at_the_right_statement(make_corpus) -> None:
    # four detection services: a statement's wrong choices come from services of the answer's kind
    sections = {
        "Amazon GuardDuty": {
            "Threat detection": "Detectors read flow logs, DNS logs and trail events to spot mining.\n"
            "- Findings carry a severity from low to high",
            "Quiet alerts": "Suppression rules archive expected findings such as your own scanners.\n"
            "- Trusted IP lists stop findings for your own addresses",
            "Many accounts": "A delegated administrator enables protection for every member account.",
        },
        "Amazon Inspector": {
            "Scanning": "Scans instances and container images for known software flaws.\n"
            "- Each finding scores the flaw by how exposed the resource is",
            "Reachability": "Network reachability findings show ports open to the internet.",
            "Agents": "Agentless scans read a snapshot of the volume instead of an agent.",
        },
        "Amazon Macie": {
            "Discovery": "Discovery jobs find personal data in buckets on a schedule.\n"
            "- Sampling jobs look at a share of objects every day",
            "Identifiers": "Custom identifiers combine a regular expression with keywords.",
            "Quiet": "Allow lists mark text that should never be reported.",
        },
        "AWS Security Hub": {
            "Standards": "Standards run automated checks against best practice controls.\n"
            "- Each control has a severity and a remediation link",
            "Aggregation": "Cross-Region aggregation links every Region to one home Region.",
            "Format": "Findings from every source share one finding format.",
        },
    }
    text = "# Security services\n\n" + "".join(
        f"## {service}\n\n" + "".join(f"### {sub}\n- {fact}\n\n" for sub, fact in subs.items())
        for service, subs in sections.items()
    )
    notes = make_corpus({"services.md": text})
    subs = {sub for subs in sections.values() for sub in subs}
    asked = [q for q in questions_of(notes)
             if q.kind in (QuestionKind.STATEMENT, QuestionKind.SELECT_TWO)]
    assert asked
    for q in asked:
        assert not any(sub in q.context for sub in subs), (q.prompt, q.context)


def test_a_long_statement_is_not_a_choice(any_bank: Bank) -> None:
    # a long statement carries its own subject's terms: offered as wrong, it is ruled out by them alone
    for q in any_bank.questions:
        if q.kind is QuestionKind.STATEMENT:
            for choice in q.choices:
                assert len(choice.split(": ", 1)[-1].split()) <= MAX_STATEMENT_WORDS, (q.prompt, choice)


def test_a_statement_naming_another_topic_s_feature_is_not_offered_as_wrong(make_corpus) -> None:
    notes = make_corpus({"services.md": (
        "# Services\n\n## Amazon S3\n\n### Object Lock\n- Object Lock stores objects in a write-once model\n"
        "- Versioning keeps every version of every object in a bucket\n\n"
        "## AWS Control Tower\n\n### Account Factory\n- Account Factory vends accounts with a baseline\n"
        "- Guardrails are reported on a dashboard per organizational unit\n\n"
        "## AWS Config\n- Rules mark each recorded resource compliant or noncompliant\n"
        "- Aggregators collect results from several Regions into one view\n\n"
        "## Amazon Macie\n- Discovery jobs find personal data in buckets on a schedule\n"
        "- Findings are kept for ninety days in the console\n"
    )})
    for q in questions_of(notes):
        if q.kind is QuestionKind.STATEMENT and "Amazon S3" not in q.prompt and "S3?" not in q.prompt:
            assert not any(c.startswith("Object Lock") for c in q.choices), (q.prompt, q.choices)
        if q.kind is QuestionKind.STATEMENT and "Control Tower" not in q.prompt:
            assert not any(c.startswith("Account Factory") for c in q.choices), (q.prompt, q.choices)


@pytest.mark.parametrize("heading", ["Object Lock", "S3 Object Lock"])
def test_a_feature_heading_names_its_feature_with_or_without_the_service_name(make_corpus, heading) -> None:
    # "### S3 Object Lock" heads the feature "Object Lock" as much as "### Object Lock" does
    notes = make_corpus({"services.md": (
        f"# Services\n\n## Amazon S3\n\n### {heading}\n- Object Lock stores objects in a write-once model\n"
        "- Legal holds stay until someone removes them\n\n### Versioning\n"
        "- Versioning keeps every version of every object in a bucket\n\n"
        "## Amazon EBS\n- Snapshots of encrypted volumes are encrypted too\n"
        "- Prefer gp3 volumes everywhere\n"
        "- Fast snapshot restore removes the first-read latency\n\n"
        "## Amazon EFS\n- Mount targets live in one subnet per Availability Zone\n"
        "- Access points enforce a user identity and root directory\n\n"
        "## Amazon FSx\n- Automatic daily backups of file systems are kept for up to 90 days\n"
        "- Throughput capacity scales with the storage you provision for each file system\n"
    )})
    questions = questions_of(notes)
    statements = [q for q in questions if q.kind is QuestionKind.STATEMENT]
    assert statements
    for q in statements:
        if "S3" not in q.prompt:
            assert not any(c.startswith("Object Lock") for c in q.choices), (q.prompt, q.choices)
        assert not any(c.startswith("Prefer") for c in q.choices), (q.prompt, q.choices)  # advice


def test_a_service_blank_offers_services_of_the_answer_s_kind(any_bank: Bank) -> None:
    # "send findings to ____": a log source or a storage service is ruled out by the sentence alone
    for q in any_bank.questions:
        if q.kind is not QuestionKind.CLOZE:
            continue
        answer = term_named(q.answer)
        if answer is None or answer.kind != "service" or not answer.family:
            continue
        assert all((t := term_named(c)) is not None and t.family == answer.family for c in q.choices), (
            q.prompt, q.choices)


def test_a_fact_pointing_back_to_the_same_thing_is_not_asked(make_corpus) -> None:
    notes = make_corpus({"hub.md": (
        "# Detection\n\n## AWS Security Hub\n"
        "- Controls are evaluated through AWS Config rules in each Region\n"
        "- The CIS standard has the same dependency on a running recorder\n"
        "- Findings from GuardDuty and Inspector are collected in one place\n"
    )})
    for q in questions_of(notes):
        assert "the same dependency" not in " ".join(q.shown_lines() + q.choices), q.prompt


def test_the_reasons_of_a_posed_practice_question_are_not_asked_again(any_bank: Bank) -> None:
    posed = [q for q in any_bank.questions if q.kind is QuestionKind.SCENARIO]
    for q in any_bank.questions:
        if q.kind is not QuestionKind.SCENARIO:
            inside = [p for p in posed if p.source == q.source and p.line_start <= q.line_start <= p.line_end]
            assert not inside, q.prompt


def test_a_rare_word_shown_with_only_the_answer_is_a_leak_even_beside_common_ones() -> None:
    # "Request came through an endpoint / VPC": "request" ties a wrong choice, "VPC" ties the answer
    words = Words(Tokenizer(TokenizerSettings.default()))
    shown_text = "Which condition key has “Request came through a given endpoint / VPC”?"
    choices = ["aws:SourceVpce / aws:SourceVpc", "aws:PrincipalOrgID", "aws:RequestedRegion", "aws:CalledVia"]
    assert words.leaks(shown_text, 0, choices)
    assert words.leaks("What does it give for the AI services opt-out policy?", 1,
                       ["Which tags are allowed", "Whether AWS AI services may store content", "Backup plans",
                        "Chat apps settings"])
    assert not words.leaks("What does it give for the backup policy?", 0,
                           ["Which tags are allowed", "Whether AWS AI services may store content",
                            "Backup plans", "Chat apps settings"])


def test_no_two_questions_ask_one_pairing_from_both_sides(any_bank: Bank) -> None:
    # "which question has 'VPC Flow Logs'?" answers "'Which IP talked to which port?' is ____" and back
    def said(text: str) -> set[str]:
        found = re.findall(r"[a-z0-9]+", text.lower())
        return {(w[:-1] if len(w) > 2 and w.endswith("s") else w)[:4] for w in found if len(w) > 1} - {
            "whic", "what", "the", "is", "of", "in", "to", "an", "and", "or", "on", "has", "do", "doe", "it"}

    def answer(q) -> str:
        return q.choices[q.answer_index] if q.choices else q.answer

    questions = any_bank.questions
    for a in questions:
        for b in questions:
            if a.id == b.id or not said(answer(a)) or not said(answer(b)):
                continue
            whole = answer(a).lower() in b.prompt.lower()
            most = len(said(answer(b)) & said(a.prompt)) >= 0.5 * len(said(answer(b)))
            assert not (whole and most), (a.prompt, answer(a), b.prompt, answer(b))


def test_the_table_s_title_makes_no_choice_look_named_so_a_cell_naming_the_answer_is_a_leak() -> None:
    # "customer-key headers" names SSE-C (customer-provided keys); "S3" in the table's title, every row's,
    # had made SSE-S3 look as named and hidden it
    words = Words(Tokenizer(TokenizerSettings.default()))
    shown = "In the notes' table “S3 encryption”, which type has “{}” under “header”?"
    choices = ["DSSE-KMS", "SSE-KMS", "SSE-S3", "SSE-C"]
    assert words.leaks(shown.format("customer-key headers"), 3, choices, subject="S3 encryption")


def test_an_acronym_shown_that_holds_a_word_of_only_the_answer_is_a_leak() -> None:
    # "HMAC" asked, "GenerateMac, VerifyMac" the one choice with "mac": matched by letters, not known
    words = Words(Tokenizer(TokenizerSettings.default()))
    choices = ["GenerateMac, VerifyMac", "Encrypt, Decrypt, Sign, Verify", "Symmetric operations",
               "Sign, Verify, DeriveSharedSecret"]
    asked = "In the notes' table “KMS Key Specs”, what does it give for “{}” under “Operations”?"
    assert words.leaks(asked.format("HMAC"), 0, choices, subject="KMS Key Specs")
    assert not words.leaks(asked.format("Asymmetric ECC"), 3, choices, subject="KMS Key Specs")
    # the table's own acronym ties nothing: every row is of it
    assert not words.leaks("In the notes' table “HMAC Limits”, what does it give for “Imported”?", 0,
                           ["GenerateMac only", "Not supported", "Sign, Verify"], subject="HMAC Limits")


def test_a_word_only_the_answer_uses_is_not_shown(make_corpus) -> None:
    # "new buckets are private" names S3 to anyone who knows what a bucket is
    notes = make_corpus({"storage.md": (
        "# Storage and identity\n\n## Amazon S3\n- Block Public Access is on for new buckets by default\n"
        "- Object Ownership set to bucket owner enforced turns off every ACL\n"
        "- Access points give each application its own hostname and policy\n\n"
        "## Amazon EBS\n- Snapshots of encrypted volumes stay encrypted when copied\n"
        "- Encryption by default is a setting of each Region in an account\n\n"
        "## Amazon EFS\n- Mount targets live in subnets and use security groups\n"
        "- Access points enforce a POSIX user for every request through them\n\n"
        "## Amazon FSx\n- Windows file systems join a Microsoft Active Directory domain\n"
    )})
    for q in questions_of(notes):
        if q.kind in (QuestionKind.WHICH, QuestionKind.CLOZE) and q.answer == "S3":
            assert "bucket" not in " ".join(q.shown_lines()).lower(), q.prompt


def test_class_chatter_in_brackets_is_not_shown(any_bank: Bank) -> None:
    # "(lab 2.2 steps)", "(will be on the quiz!!)", "(instructor said …)": about the class, not AWS
    chatter = re.compile(r"\((?=[^)]*(?:!!|\b(?:lab|quiz|instructor|lecture)\b))[^)]*\)", re.IGNORECASE)
    for q in any_bank.questions:
        for text in (*q.shown_lines(), *q.choices):
            assert not chatter.search(text), text


def test_a_heading_on_two_services_is_neither_s_section(make_corpus) -> None:
    # "EBS / RDS quick hits" holds facts of both (and of others): its facts are not asked as EBS's
    notes = make_corpus({"db.md": (
        "# Storage\n\n## EBS / RDS quick hits\n"
        "- DynamoDB tables are encrypted at rest with an AWS owned key\n"
        "- Snapshots of an unencrypted instance can be copied with encryption turned on\n\n"
        "## Amazon EFS\n- Mount targets use security groups to control NFS traffic\n\n"
        "## Amazon FSx\n- File systems join a directory domain for Windows permissions\n\n"
        "## Amazon S3\n- Versioning keeps every object version for recovery after deletes\n"
    )})
    for q in questions_of(notes):
        assert not (q.kind is QuestionKind.WHICH and q.answer in ("EBS", "RDS")), q.prompt


def test_the_context_line_names_no_item_shown(any_bank: Bank) -> None:
    # "From your notes on Inspector › For Lambda functions" beside the item "1. For Lambda functions"
    for q in any_bank.questions:
        for item in q.items:
            text = re.sub(r"^[A-Z0-9]{1,2}\. ", "", item).lower()
            assert len(text) < 3 or text not in q.context.lower(), (q.context, item)


def test_a_line_every_note_repeats_or_a_piece_of_advice_is_not_a_statement_choice(any_bank: Bank) -> None:
    # "Study guide for … (SCS-C02)" atop every file; "Test with governance mode first."
    texts = Counter(c.text.split("\n")[0] for c in any_bank.index.chunks)
    for q in any_bank.questions:
        if q.kind is QuestionKind.STATEMENT:
            for choice in q.choices:
                assert not choice.startswith(("Study guide for", "Test with governance")), choice
                assert texts[choice] < 2, choice


def test_a_value_that_is_not_round_gets_wrong_values_of_its_shape(make_corpus) -> None:
    # 5,120 among 1,000 / 3,000 / 20,000 is the odd one out
    notes = make_corpus({"waf.md": (
        "# Edge\n\n## AWS WAF\n"
        "- A web ACL can use up to 5,120 capacity units before extra charges apply\n"
        "- Rate-based rules count requests from each IP address over a sliding window\n"
    )})
    for q in questions_of(notes):
        if q.kind is QuestionKind.CLOZE and "5,120" in q.answer:
            assert not any(c in ("1,000", "3,000", "20,000", "5,000", "10,000") for c in q.choices), q.choices


def test_a_term_inside_a_longer_name_is_not_blanked(make_corpus) -> None:
    # "____ Traffic Mirroring copies packets": the other choices make names that do not exist
    notes = make_corpus({"net.md": (
        "# Network\n\n## Packet capture\n"
        "- VPC Traffic Mirroring copies packets from an ENI to a monitoring appliance\n"
        "- Flow logs record accepted and rejected connections but never packet contents\n"
        "## Amazon GuardDuty\n- Findings arrive in Security Hub within minutes of detection\n"
        "- EKS Runtime Monitoring watches containers for suspicious processes\n"
    )})
    for q in questions_of(notes):
        assert not any(f"____ {rest}" in q.prompt for rest in ("Traffic Mirroring", "Runtime Monitoring"))


def test_a_labelled_number_is_not_a_quantity(make_corpus) -> None:
    # "port 5432" shown as "5,432" among 2,500 / 10,000: a label, not an amount
    notes = make_corpus({"db.md": (
        "# Databases\n\n## Amazon RDS\n- Allow port 5432 only from the application security group\n"
        "- Automated backups are kept for up to 35 days before they expire\n"
    )})
    for q in questions_of(notes):
        assert not any("5,432" in c or c == "5432" for c in q.choices), q.prompt


def test_a_word_shown_inside_a_choice_s_word_is_a_leak() -> None:
    # "DoS and stress testing … simulated ____ test": DDoS holds the shown "DoS"
    words = Words(Tokenizer(TokenizerSettings.default()))
    shown_text = "Fill in the blank: “DoS and stress testing need a simulated ____ test”"
    assert words.leaks(shown_text, 0, ["DDoS", "SQL injection", "XSS", "Brute force"])


def test_no_choice_stands_out_by_its_full_stop() -> None:
    # "Connects your VPCs … through a central hub." among "Physical Ethernet port dedicated to a
    # customer": the one line copied whole with its full stop is the one the notes say of the topic
    from indexer.model import Chunk
    from indexer.quiz.question import new_question

    chunk = Chunk("vpc.md", 1, 2, "VPC", "- a\n- b", ("VPC",))
    made = new_question(
        QuestionKind.STATEMENT, "q1", "Which of these do the notes say about Transit Gateway?",
        "Connects your VPCs and on-premises networks through a central hub.",
        ["Physical Ethernet port dedicated to a customer", "Throttle requests to prevent attacks"], chunk,
    )
    assert not any(c.endswith(".") for c in made.choices), made.choices
    assert made.explanation(made.answer_index) is not None  # still explained after the click


def test_the_odd_form_among_table_cells_is_not_the_answer(any_bank: Bank) -> None:
    # "Yes, …" among three "No — …": picked without knowing the row
    yes_no = re.compile(r"(?i)^\W*(yes|no|not|none|never|always|optional|required)\b")
    for q in any_bank.questions:
        if q.kind is QuestionKind.TABLE and "what does it give for" in q.prompt:
            forms = [m.group(1).lower() if (m := yes_no.match(c)) else "text" for c in q.choices]
            others = {f for i, f in enumerate(forms) if i != q.answer_index}
            assert forms[q.answer_index] in others or len(others) > 1, q.choices


def test_a_sentence_is_not_cut_at_e_g(any_bank: Bank) -> None:
    for q in any_bank.questions:
        for text in (q.prompt, *q.items, *q.choices):
            assert not re.search(r"\((?:e\.g|i\.e)$", text.rstrip(".”")), text


def test_a_blank_joined_to_letters_and_an_odd_example_number_are_not_asked(make_corpus) -> None:
    # "HTTP(S)" blanked as "____(S)"; "allow 5432 from sg-app" asked among made-up multiples
    notes = make_corpus({"edge.md": (
        "# Edge\n\n## AWS WAF\n- WAF filters HTTP(S) requests at layer 7 before they reach the origin\n"
        "- Rules can allow 5432 from sg-app to reach the database tier directly\n"
        "- Managed rule groups cover common exploits such as SQL injection\n"
    )})
    for q in questions_of(notes):
        assert "____(S)" not in q.prompt and "5,432" not in " ".join(q.choices), q.prompt


def test_a_name_that_spells_the_answer_s_acronym_is_a_leak() -> None:
    # aws:MultiFactorAuthPresent shown, "Require MFA …" a choice
    words = Words(Tokenizer(TokenizerSettings.default()))
    shown_text = "In the notes' table “Condition keys”, what does it give for “aws:MultiFactorAuthPresent”?"
    choices = ["Require MFA for sensitive actions", "Deny plain HTTP", "Limit the Regions", "Require tags"]
    assert words.leaks(shown_text, 0, choices)



def test_words_spelling_an_acronym_tie_it_both_ways() -> None:
    # "Canonical name" spells CNAME, "Name Server" NS and the capitals of "Mail eXchange" MX; shown
    # "CNAME", the choice that spells it is tied
    words = Words(Tokenizer(TokenizerSettings.default()))
    records = ["MX", "TXT", "CNAME", "PTR"]
    assert words.leaks("Which record type has “Canonical name for an alias”?", 2, records)
    assert words.leaks("Which record type has “Name Server”?", 1, ["TXT", "NS", "PTR", "A"])
    assert words.leaks("Which record type has “Mail eXchange”?", 0, ["MX", "TXT", "NS", "PTR"])
    descriptions = ["Name Server", "Host Address", "Canonical name for an alias", "Descriptive text"]
    assert words.leaks("What does the table give for “CNAME”?", 2, descriptions)
    # a word alone spells nothing ("IP" is the word, not its expansion), nor do letter codes
    assert "ip" not in words.spelled("Add the scanners to a trusted IP list")
    assert not words.leaks("Order the steps: D. change the pwd in the DB", 0, ["C, D, B, A", "D, C, A, B"])

def test_vs_in_a_heading_is_readable() -> None:
    # "Gateway vs Interface Endpoints": a comparison table asked about, not a typo
    assert any("Gateway vs Interface" in q.prompt for q in bank_of("guide").questions)


def test_a_camel_case_name_shown_ties_the_choice_its_parts_name() -> None:
    # a table row "aws:SourceIp" names the IP; "GenerateMac, VerifyMac" hold the MAC of HMAC
    words = Words(Tokenizer(TokenizerSettings.default()))
    assert words.leaks("What does the table say aws:SourceIp compares?", 1,
                       ["The caller's account", "Public IP of the caller", "The VPC endpoint", "The region"])
    assert words.leaks("Which key type do GenerateMac and VerifyMac work with?", 2,
                       ["Symmetric encryption", "Asymmetric signing", "HMAC", "Asymmetric encryption"])
    assert not words.leaks("Which key type does the table list for signing?", 2,
                           ["Symmetric encryption", "Asymmetric signing", "HMAC", "Asymmetric encryption"])


def test_a_threshold_the_reader_picks_is_not_asked(make_corpus) -> None:
    # "keys older than 90 days": 60 or 180 days are as true, the number is the reader's choice
    for prompt in _cloze_prompts(make_corpus, (
        "# Identity\n\n## IAM\n"
        "- The credential report is the fastest way to find access keys older than 90 days\n"
        "- Access Analyzer flags roles unused for 45 days\n"
        "- A managed policy can hold up to 6144 characters\n"
    )):
        assert "than ____" not in prompt and "unused for ____" not in prompt, prompt


def test_a_blank_beside_an_alternative_is_not_asked(make_corpus) -> None:
    # "approved ____ (or Terraform) products": the alternative tells an infrastructure-as-code tool
    notes = make_corpus({"catalog.md": (
        "# Governance\n\n## AWS Service Catalog\n"
        "- Administrators publish approved CloudFormation (or Terraform) products in portfolios\n"
        "- Launch constraints give end users a role so they need no permissions of their own\n\n"
        "## AWS Config\n- Config rules evaluate CloudFormation stacks for drift and compliance\n"
    )})
    for q in questions_of(notes):
        assert "(or Terraform)" not in q.prompt or "____" not in q.prompt, q.prompt


def test_a_shown_acronym_ties_a_choice_naming_its_kind() -> None:
    # "ELB access logs" shown: the one choice naming the ALB (a load balancer too) is the answer by sight
    words = Words(Tokenizer(TokenizerSettings.default()))
    shown_text = "In the table “Where does the evidence live?”, which question has “ELB access logs”?"
    choices = ["What was the bucket policy last month?",
               "Which client hit the ALB and with what response code?",
               "Which domains did an instance resolve?", "Which URLs triggered a SQL injection rule?"]
    assert words.leaks(shown_text, 1, choices)


def test_what_a_shown_acronym_or_name_part_stands_for_ties_a_choice() -> None:
    # aws:SecureTransport names the transport layer of TLS; HMAC is a message authentication code
    words = Words(Tokenizer(TokenizerSettings.default()))
    assert words.leaks("Fill in the blank: “Enforce ____ → Deny if aws:SecureTransport = false”", 0,
                       ["TLS", "HTTP", "SSH", "IPsec"])
    assert words.leaks("What does the table give for “HMAC” under “Use”?", 0,
                       ["Message authentication codes", "Encryption and decryption",
                        "Signing and verification"])
    assert not words.leaks("Fill in the blank: “Enforce ____ for every request to the bucket”", 0,
                           ["TLS", "HTTP", "SSH", "IPsec"])


def test_prices_are_not_asked_as_facts(make_corpus) -> None:
    # "$100 per policy per Region per month", "a 30-day free trial": prices change and say nothing of security
    notes = make_corpus({"edge.md": (
        "# Edge\n\n## AWS Firewall Manager\n- Each Firewall Manager policy costs $100 per Region per month\n"
        "- Policies apply WAF rules to every new account in the organization\n"
        "- Security group policies audit and clean up unused groups\n\n"
        "## AWS Shield\n- Shield Advanced has a 30-day free trial for new subscribers\n"
        "- Shield Advanced gives the response team access during an attack\n"
        "- Shield Standard protects every customer against common layer 3 and 4 attacks\n\n"
        "## AWS WAF\n- Rate-based rules block clients that send too many requests\n"
        "- Managed rule groups cover common exploits such as SQL injection\n"
    ), "secrets.md": (
        "# Secrets\n\n## Secrets Manager\n- 0.05 USD per 10,000 API calls\n"
        "- Advanced: 3,000 USD / month per organization\n- A secret value can be at most 64 KB\n"
        "- Rotation runs a Lambda function on a schedule\n\n"
        "## Parameter Store\n- Standard parameters hold up to 4 KB\n"
        "- Advanced parameters hold up to 8 KB and cost 0.05 USD per parameter per month\n"
    )})
    questions = questions_of(notes)
    assert any("64 KB" in q.choices for q in questions)  # a quota beside the prices is asked
    for q in questions:
        shown_and_choices = " ".join([q.prompt, *q.items, *q.choices])
        assert "$100" not in shown_and_choices and "free trial" not in shown_and_choices, q.prompt
        assert "USD" not in shown_and_choices, q.prompt  # a price in a currency's code is a price too


def test_what_aws_retired_is_not_asked(make_corpus) -> None:
    # "AWS ClassicLink (Deprecated)": how EC2-Classic worked is history, not a fact to learn for today
    notes = make_corpus({"vpc.md": (
        "# VPC\n\n## Security groups\n- A security group is stateful: return traffic is allowed\n"
        "- A security group holds up to 60 inbound rules by default\n\n"
        "## Network ACLs\n- A network ACL is stateless and evaluates rules lowest number first\n"
        "- A network ACL holds up to 20 rules per direction by default\n\n"
        "## AWS ClassicLink (Deprecated)\n"
        "- ClassicLink links EC2-Classic instances to a VPC in your account\n"
        "- A linked instance can use up to 5 VPC security groups\n"
    )})
    questions = questions_of(notes)
    assert questions
    for q in questions:
        text = " ".join([shown(q), *q.choices])
        assert "ClassicLink" not in text and "EC2-Classic" not in text and "linked instance" not in text, text


def test_a_short_capability_is_not_asked_as_one_service_s(make_corpus) -> None:
    # "Supports both IPv4 and IPv6" under Direct Connect: so do Transit Gateway, PrivateLink and Route 53,
    # whatever the notes leave unsaid of them; a longer capability line says what only one does
    notes = make_corpus({"vpc.md": (
        "# Virtual Private Cloud (VPC)\n\n- A VPC has an IPv4 CIDR block and may add an IPv6 one\n"
        "- Subnets take IPv4 ranges; IPv6 ranges are optional\n\n"
        "## Direct Connect\n\n- Supports both IPv4 and IPv6\n"
        "- Physical Ethernet port dedicated to a customer, set up in an AWS Direct Connect location\n\n"
        "## Transit Gateway\n\n- Connects your VPCs and on-premises networks through a central hub\n\n"
        "## PrivateLink\n\n- Exposes a service in your VPC to other VPCs through a network load balancer\n\n"
        "## Route 53\n\n- Health checks watch the primary site and fail DNS over to a standby\n"
    )})
    index = build_index([notes])
    raw = {"vpc.md": (notes / "vpc.md").read_text(encoding="utf-8")}  # "IPv4" repeats in the notes
    made = [c.question for c in Matching(index.chunks, index.settings, raw).single_fact_candidates()]
    assert any(q.kind is QuestionKind.WHICH for q in made)
    assert not [q.prompt for q in made if q.kind is QuestionKind.WHICH and "IPv6" in q.prompt]


def test_a_service_blank_offers_no_name_that_holds_the_answer(corpus_index) -> None:
    # "absorbed by ____" is Shield: Shield Standard and Shield Advanced are Shield too, so never wrong
    matching = Matching(corpus_index.chunks, corpus_index.settings)
    shield = term_named("Shield")
    offered = [term_named(n) for n in ("Shield Advanced", "Shield Standard", "WAF", "Firewall Manager")]
    soaked = "Fill in the blank: “Volumetric DDoS floods are soaked up at the edge: ____”"
    picked = matching.fitting_terms(soaked, shield, [t for t in offered if t], matching.facts[0])
    assert picked and not any(t.name.startswith("Shield") for t in picked), [t.name for t in picked]
    # "absorbed by ____ at the edge": the docs write "by Shield", "Shield at" more than any other choice
    # there (Firewall Manager, the closest, less): the neighbours settle it, so it is not asked
    assert not matching.fitting_terms("Fill in the blank: “DDoS attacks are absorbed by ____ at the edge”",
                                      shield, [t for t in offered if t], matching.facts[0])


def _cloze_prompts(make_corpus, text: str) -> list[str]:
    """The fill-in-the-blank prompts of one note."""
    notes = make_corpus({"notes.md": text})
    return [q.prompt for q in questions_of(notes) if q.kind is QuestionKind.CLOZE]


def test_a_contrast_line_opening_with_another_service_is_not_blanked() -> None:
    # under CloudHSM, "KMS => AWS managed the software for encryption" sets KMS against CloudHSM: alone,
    # "____ => AWS managed the software" fits Secrets Manager, Parameter Store or ACM as well
    for q in bank_of("bundled").questions:
        if q.kind is QuestionKind.CLOZE:
            assert not re.search(r"“____\s*(?:=>|->|→|⇒)", q.prompt), q.prompt


def test_no_answer_stands_out_by_its_length(any_bank: Bank) -> None:
    # "advanced tier only (shared via RAM)" among "yes" and "no": picked by length alone
    for q in any_bank.questions:
        wrong = [c for i, c in enumerate(q.choices) if i != q.answer_index]
        stands_out = len(q.answer) >= 30 and len(q.answer) >= 1.7 * max(map(len, wrong))
        assert not stands_out, (q.prompt, q.choices)


def test_a_chunk_asks_each_value_once(any_bank: Bank) -> None:
    # "up to ____ of data per call" and "if data > ____ use envelope encryption": one 4 KB, asked twice
    seen = Counter((q.source, q.line_start, q.line_end, q.kind, q.answer) for q in any_bank.questions
                   if q.kind in (QuestionKind.CLOZE, QuestionKind.WHICH))
    assert not [key for key, n in seen.items() if n > 1]


def test_self_test_questions_lead_ins_and_examples_are_not_facts(make_corpus) -> None:
    # "How long should the URL be valid for?" is the notes asking; "we have two methods of…" announces a
    # list; "eg. raise the minimum to 10 at 5 pm" is a made-up value: none is a fact to ask about
    notes = make_corpus({"edge.md": (
        "# Edge\n\n## CloudFront signed URLs\n"
        "- A signed URL gives access to one file; a signed cookie gives access to many files.\n"
        "- How long should the URL be valid for?\n"
        "- Question: How will this section be tested?\n"
        "- Answer: Scenario questions about which option to pick.\n\n"
        "## ElastiCache\n"
        "- Right now, we have two methods of improving performance\n"
        "- Redis supports replication and Multi-AZ failover.\n"
        "- Memcached is multi-threaded and has no replication.\n\n"
        "## Auto Scaling\n"
        "- Scheduled actions change capacity at a time you set.\n"
        "- eg. increase the min capacity to 10 at 5 pm.\n"
        "- Target tracking keeps a metric such as CPU near a target value.\n"
    )})
    index = build_index([notes])
    outline = build_outline(index.chunks)
    facts = [f.text.lower() for node in (outline.root, *outline.root.descendants()) for f in node.facts]
    not_facts = ("valid for", "tested", "scenario questions", "two methods", "5 pm")
    assert facts and not [f for f in facts if any(n in f for n in not_facts)], facts
    for q in generate_questions(index.chunks):
        for text in (q.prompt, *q.items, *q.choices):
            assert not any(n in text.lower() for n in not_facts), text


def test_commands_and_addresses_to_type_are_not_facts_or_choices(make_corpus) -> None:
    # "Curl http://169.254.169.254/latest/meta-data/" among statements about Lambda is no statement
    notes = make_corpus({"compute.md": (
        "# Compute\n\n## EC2 metadata\n"
        "- Curl http://169.254.169.254/latest/meta-data/\n"
        "- The instance metadata service gives an instance its role credentials.\n"
        "- IMDSv2 requires a session token obtained with a PUT request.\n\n"
        "## Lambda\n"
        "- aws lambda invoke --function-name demo out.json\n"
        "- Lambda functions can run for at most 15 minutes.\n"
        "- Environment variables are encrypted at rest with KMS.\n"
        "- https://docs.aws.amazon.com/lambda/latest/dg/welcome.html\n\n"
        "## ECR\n"
        "- ECR stores container images in private repositories.\n"
        "- Images are scanned for vulnerabilities on push.\n"
        "- Repository policies control who can pull images.\n"
    )})
    index = build_index([notes])
    outline = build_outline(index.chunks)
    facts = [f.text for node in (outline.root, *outline.root.descendants()) for f in node.facts]
    typed = ("169.254", "--function-name", "docs.aws.amazon.com")
    assert facts and not [f for f in facts if any(t in f for t in typed)], facts
    for q in generate_questions(index.chunks):
        for text in (q.prompt, *q.items, *q.choices):
            assert not any(t in text for t in typed), text


def test_a_comparison_headings_lines_are_not_asked_as_one_services() -> None:
    # "EBS vs Instance Store › Pros: data survives reboots" is about instance store, not EBS
    from indexer.quiz.terms import heading_service

    assert heading_service("EBS vs Instance Store") is None
    assert heading_service("S3 versus EFS for shared files") is None
    assert heading_service("EBS Snapshots") == "EBS"
    # a numbered section is its service's all the same ("2. KMS basics", "2.3 AWS Secrets Manager")
    assert heading_service("2. KMS basics: key types, key policy, grants (Tom)") == "KMS"
    assert heading_service("2.3 AWS Secrets Manager") == "Secrets Manager"
    assert heading_service("5 Whys") is None


def test_a_whole_number_gets_whole_wrong_values() -> None:
    # "(10 most)" tags: 2.5 tags is no choice
    from indexer.quiz.clozes import QUANTITY_POOL
    from indexer.quiz.quantities import find_quantities, quantity_distractors

    for text in ("Tags: up to 10 per object", "a cluster holds up to 28 HSMs", "a 4 KB limit per call"):
        for q in find_quantities(text):
            for seed in range(20):
                for value in quantity_distractors(q, random.Random(seed), QUANTITY_POOL):
                    number = float(re.sub(r"[^\d.]", "", value.split()[0]))
                    assert number.is_integer(), (text, value)


def test_a_plain_yes_is_not_offered_as_wrong_about_a_row_whose_yes_is_restricted(make_corpus) -> None:
    # Parameter Store's resource policy is "Advanced tier only": Secrets Manager's "Yes (cross-account
    # sharing)" said of Parameter Store is not wrong, only less precise
    table = (
        "| Feature | AWS Secrets Manager | SSM Parameter Store |\n|---|---|---|\n"
        "| Main purpose | Database credentials and API keys | Configuration data and simple secrets |\n"
        "| Built-in rotation | Yes, with a Lambda function | No, build it yourself |\n"
        "| Resource-based policy | Yes (cross-account sharing) | Advanced tier only (shared through RAM) |\n"
        "| Maximum size | 64 KB | 4 KB standard, 8 KB advanced |\n"
        "| Versioning | Staging labels | Numbered versions and labels |\n"
    )
    heading = "# Data protection\n\n## Secrets Manager and Parameter Store\n\n"
    notes = make_corpus({"secrets.md": heading + table})
    asked = [q for q in questions_of(notes) if q.kind is QuestionKind.TABLE]
    assert asked
    for q in asked:
        if "Parameter Store" in q.prompt:
            assert "Resource-based policy: Yes (cross-account sharing)" not in q.choices, q.choices
        if "Secrets Manager" in q.prompt and "Parameter Store" not in q.prompt:
            assert not any(c.startswith("Resource-based policy: Advanced tier only") for c in q.choices)


@pytest.mark.parametrize("answer, line", [
    ("CloudFront", "Signed URLs give access to one file and signed cookies to many files"),
    ("CloudFront", "Origin access control lets only the distribution read the bucket"),
    ("VPC", "Every CIDR block has five addresses reserved"),
    ("VPC", "A route table per subnet sends 0.0.0.0/0 to the internet gateway"),
])
def test_what_only_one_service_has_names_it(answer: str, line: str) -> None:
    # signed URLs and cookies are CloudFront's, CIDR blocks and route tables a VPC's: shown with the
    # service among the choices, they name it (and a presigned URL is S3's, not CloudFront's)
    from indexer.quiz.fairness import own_words_in

    assert own_words_in(line, answer)
    assert not own_words_in("A presigned URL expires after at most 7 days", "CloudFront")


def test_one_partner_of_many_is_not_blanked(make_corpus) -> None:
    # "Can be integrated with ____ for authentication" (Cognito user pools): API Gateway, but ALB and
    # AppSync too; any service of its kind offered beside it may be right
    text = (
        "# Identity\n\n## Cognito User Pools\n- User pools are directories of an app's users\n"
        "- Can be integrated with API Gateway for authentication\n"
        "- Works with CloudFront to sign users in at the edge\n"
        "- Return JSON Web Tokens after sign-in\n"
    )
    for prompt in _cloze_prompts(make_corpus, text):
        assert "integrated with ____" not in prompt and "Works with ____" not in prompt, prompt


def test_a_term_its_neighbouring_line_says_the_same_of_is_no_wrong_choice() -> None:
    # the bundled notes: "unencrypted and encrypted using SSE-S3 are replicated by default" beside "objects
    # encrypted using SSE-C can be replicated": SSE-C in the blank is true as well (the question itself
    # is no longer asked: shown without its heading it does not say what is replicated)
    from indexer.quiz.generator import Generator

    bank = bank_of("bundled")
    generator = Generator(bank.index.chunks, bank.index.settings)
    fact = next(f for f in generator.facts if "replicated by default" in f.text)
    rest = re.sub(r"SSE\s*-\s*S3", " ", fact.text)
    assert generator._stated_elsewhere(rest, term_named("SSE-C"), fact)
    assert not generator._stated_elsewhere(rest, term_named("DSSE-KMS"), fact)


@pytest.mark.parametrize(
    ("shown", "plain", "choices", "answer"),
    [
        ("which type has “High CPU usage”?", "which type has “High memory usage”?", ["T3", "C", "M", "R"], 1),
        ("which type has “High RAM usage”?", "which type has “High memory usage”?", ["G", "R", "I", "C"], 1),
        ("what does it give for “C”?", "what does it give for “M”?", ["High RAM usage", "High CPU usage",
                                                                     "High GPU usage", "Balanced"], 1),
        ("what does it give for “R”?", "what does it give for “M”?", ["High CPU usage", "High RAM usage",
                                                                     "High GPU usage", "Balanced"], 1),
    ],
)
def test_a_one_letter_name_and_the_word_it_starts_tie_each_other(
    shown: str, plain: str, choices: list[str], answer: int
) -> None:
    words = Words(Tokenizer(TokenizerSettings.default()))
    assert words.leaks(shown, answer, choices)
    assert not words.leaks(plain, answer, choices)


@pytest.mark.parametrize(
    ("statement", "common"),
    [
        ("Sent over HTTPS (encryption in flight) and encrypted at rest", True),
        ("Supports both IPv4 and IPv6", True),
        ("Encrypted at rest with KMS by default", True),
        ("Managed DockerHub", False),
        ("Data survives reboots", False),
        ("Uses ML and pattern matching to discover sensitive data", False),
    ],
)
def test_what_nearly_every_service_can_claim_is_no_wrong_statement(statement: str, common: bool) -> None:
    # "Sent over HTTPS and encrypted at rest", ECR's line, is true of Lambda too: never offered as not-Lambda
    from indexer.quiz.fairness import common_property

    assert common_property(statement) is common


def test_a_rare_word_shown_that_only_the_answer_has_gives_it_away() -> None:
    # "Max. IOPS" is the column asked and "Provisioned IOPS (SSD)" the one row named with it; the table's
    # title ("EBS Volume") names no row more than another, though one row repeats it
    words = Words(Tokenizer(TokenizerSettings.default()))
    shown = "In the notes' table “EBS Volume”, which type has “64000” under “Max. IOPS / Volume”?"
    rows = ["Provisioned IOPS (SSD)", "Cold HDD (SC1 HDD)", "EBS Magnetic", "General Purpose (GP2 SSD)"]
    assert words.leaks(shown, 0, rows, subject="EBS Volume")
    assert not words.leaks(shown.replace("Max. IOPS", "Max. throughput"), 0, rows, subject="EBS Volume")


def test_lines_that_lean_on_their_label_are_not_asked(make_corpus) -> None:
    # "In the event of the following: DB instance failure" and "Under “It has”, which one…" say nothing
    # by themselves; "Domain Registrar != DNS" is shorthand, not a sentence. Their neighbours under a
    # label that names its thing ("Routing policies") are asked as before.
    from indexer.quiz.topics import Topics

    notes = make_corpus({"net.md": (
        "# Networking and databases\n\n## RDS Multi-AZ\n"
        "- Failover to the standby happens automatically.\n"
        "- In the event of the following:\n"
        "  - DB instance failure\n"
        "  - Availability Zone failure\n"
        "- The standby is in another Availability Zone.\n\n"
        "## Global Accelerator\n"
        "- It has\n"
        "  - Consistent Performance\n"
        "    - Intelligent routing to lowest latency and fast regional failover\n"
        "  - Health Checks\n"
        "    - Failover in less than a minute for unhealthy endpoints\n"
        "  - Security\n"
        "    - DDoS protection from AWS Shield\n"
        "- Routing policies\n"
        "  - Latency routing\n"
        "    - Sends users to the Region with the lowest latency for them\n"
        "  - Geolocation routing\n"
        "    - Answers by the country or continent the query comes from\n"
        "  - Weighted routing\n"
        "    - Splits traffic between endpoints in proportions you set\n\n"
        "## Route 53\n"
        "- Domain Registrar != DNS\n"
        "- Route 53 is a global DNS service with health checks.\n"
    )})
    index = build_index([notes])
    topics = Topics(index.chunks, index.settings)
    read = {}
    for fact in topics.facts:
        node, prefix = topics.placement(fact)
        shown = topics.shown(fact, node, prefix)
        asked_as = topics.topic_set(fact, node, shown)
        read[fact.text] = (topics.usable(fact, shown), asked_as.scope if asked_as else None)
    assert read["DB instance failure"][0] is False
    assert read["Failover to the standby happens automatically."][0] is True
    assert read["Intelligent routing to lowest latency and fast regional failover"][1] is None
    latency = "Sends users to the Region with the lowest latency for them"
    assert read[latency][1] == "Under “Routing policies”, "
    assert not [text for text in read if "!=" in text]
    assert "Route 53 is a global DNS service with health checks." in read


def test_a_wrong_term_never_repeats_the_word_beside_the_blank() -> None:
    # "use with ____ encryption" offered "client-side encryption" reads "client-side encryption encryption"
    from indexer.quiz.generator import _doubles_a_word

    assert _doubles_a_word("client-side encryption", "With the option to use with ", " encryption")
    assert not _doubles_a_word("SSE-KMS", "With the option to use with ", " encryption")
    assert _doubles_a_word("Amazon S3", "stored in Amazon ", " buckets")


def test_a_name_spelled_out_does_not_hide_the_answers_word_shown() -> None:
    # "IAM" is identity and access management, which shares a word with "identity-based policy": that
    # must not outweigh "boundary" shown for "permissions boundary"
    words = Words(Tokenizer(TokenizerSettings.default()))
    options = ["resource-based policy", "permissions boundary", "session policy", "identity-based policy"]
    shown = "Fill in the blank: “A ____ is a managed policy set as the boundary of one IAM user or role.”"
    assert words.leaks(shown, 1, options)
    assert not words.leaks("Fill in the blank: “A ____ caps what one IAM user or role may do.”", 1, options)


def test_what_an_encryption_option_is_called_in_full_ties_it() -> None:
    # "managed by the customer" shown, SSE-C (server-side encryption with customer-provided keys) a choice
    words = Words(Tokenizer(TokenizerSettings.default()))
    options = ["client-side encryption", "SSE-KMS", "SSE-C", "SSE-S3"]
    shown = "Fill in the blank: “____: server side encryption using data keys managed by the customer”"
    assert words.leaks(shown, 2, options)
    assert not words.leaks("Fill in the blank: “____: S3 never stores the encryption key”", 2, options)


def test_what_the_exam_does_is_not_a_fact(make_corpus) -> None:
    # an instructor's aside on the exam's wording is about the exam, not a fact of AWS to be asked
    notes = make_corpus({"detection.md": (
        "**3.3 Amazon GuardDuty**\n\n"
        "GuardDuty analyses CloudTrail management events, VPC Flow Logs and DNS logs.\n\n"
        "Instructor note: suspending GuardDuty keeps your findings; disabling it deletes them. "
        "The exam wording is precise here.\n\n"
        "* The SCS exam loves asking which of the two keeps the findings.\n"
        "* Findings reach EventBridge in near real time.\n"
    )})
    outline = build_outline(build_index([notes]).chunks)
    facts = [f.text.lower() for node in (outline.root, *outline.root.descendants()) for f in node.facts]
    assert any("eventbridge" in f for f in facts), facts
    assert not [f for f in facts if "exam" in f], facts


@pytest.mark.parametrize(
    ("line", "fact"),
    [
        ("For container images push to Amazon ECR", False),  # a scope with no statement
        ("For Lambda functions, Inspector assesses each version as it is deployed", True),
        ('Select our VPC, type "SSH" and the source the private subnet.', False),  # a console click
        ("Go to EC2 > Security Groups > Create Security Group", False),
        ("Choose all features (not just consolidated billing) to use SCPs", True),
        ("To migrate data from MySQL to Aurora, you can do the following things", False),  # a lead-in
        ('"Cheapest place for config values and a few secrets" points to Parameter Store.', False),  # a tip
        ("Open ports must be reviewed every month", True),
        ("Try 2 failed: AccessDenied, forgot step 2", False),  # points at another step by its number
        ("[x] Ana: lab rotating an RDS secret", False),  # someone's task, done
        ("[x] Lambda: functions can run inside a VPC to reach private resources", True),  # a fact checked off
    ],
)
def test_scopes_console_clicks_lead_ins_and_keyword_tips_are_not_facts(line: str, fact: bool) -> None:
    from indexer.quiz.notfacts import not_a_fact

    assert not_a_fact(line) is not fact


@pytest.mark.parametrize(
    ("text", "bare"),
    [
        ("TCP, TLS (secure TCP) & UDP", True),
        ("serverless, scalable, durable", True),
        ("ELB, CloudFront", True),
        ("Managed Chef & Puppet", False),
        ("Forward TCP & UDP traffic to your instances", False),
    ],
)
def test_a_bare_list_of_short_items_is_no_statement(text: str, bare: bool) -> None:
    # "TCP, TLS & UDP" offered as "what the notes say about VPC" says nothing about anything
    from indexer.quiz.notfacts import bare_list

    assert bare_list(text) is bare


def test_what_a_negative_label_holds_is_not_asked_as_true_and_a_name_is_no_statement(make_corpus) -> None:
    # under "Not all IP traffic is monitored", "Traffic generated by a Windows instance" is what flow
    # logs miss; "AssumeRoleWithSAML" among statements is a name, not something said
    from indexer.quiz.generator import Generator
    from indexer.quiz.topics import Topic

    notes = make_corpus({"vpc.md": (
        "# VPC\n\n## VPC Flow Logs\n"
        "- Flow logs capture IP traffic going to and from network interfaces\n"
        "- Not all IP traffic is monitored\n"
        "  - Internal traffic done by AWS mostly\n"
        "    - Traffic generated by a Windows instance for license activation\n"
        "    - Traffic to the Amazon DNS server from your instances\n"
        "- Flow log data is stored in S3 or CloudWatch Logs\n"
    )})
    index = build_index([notes])
    generator = Generator(index.chunks, index.settings)
    usable = {}
    for fact in generator.facts:
        node, prefix = generator.placement(fact)
        usable[fact.text] = generator.usable(fact, generator.shown(fact, node, prefix))
    assert not [text for text, ok in usable.items() if ok and ("Windows" in text or "DNS server" in text)]
    assert usable["Flow log data is stored in S3 or CloudWatch Logs"]
    somewhere = Topic("STS", [])
    assert not generator.wrong_statement_ok("AssumeRoleWithSAML", somewhere, "")


@pytest.mark.parametrize(
    ("prompt", "alone"),
    [
        ("Fill in the blank: “____ is object-based, it allows files from 0 bytes to 5 TB”", True),
        ("Fill in the blank: “\"Which IP talked to which port?\" is ____.”", True),
        ("Fill in the blank: “Objects in S3 encrypted with ____ are replicated by default”", True),
        ("Fill in the blank: “Unencrypted and encrypted using ____ are replicated by default”", False),
        ("Fill in the blank: “As API calls have an upper bound, performance with ____ suffers”", False),
    ],
)
def test_a_blank_shown_with_no_heading_must_say_what_it_is_about(prompt: str, alone: bool) -> None:
    # with its heading left off (the heading would name the answer), "replicated by default" says not
    # what is replicated: such a blank is not asked
    from indexer.quiz.present import _stands_alone

    assert _stands_alone(prompt) is alone


def test_an_acronym_and_the_word_it_shortens_tie_each_other() -> None:
    # "Pointer" shown, PTR a choice (and "PTR" shown, "Pointer" a choice): the word's letters in order
    words = Words(Tokenizer(TokenizerSettings.default()))
    records = ["TXT", "ALIAS", "PTR", "NS"]
    assert words.leaks("which record type has “Pointer” under “Description”?", 2, records)
    assert words.leaks("which record type has “Descriptive text” under “Description”?", 0, records)
    assert not words.leaks("which record type has “Reverse lookup” under “Description”?", 2, records)
    meanings = ["Text", "Alias to an AWS resource", "Pointer", "Name server"]
    assert words.leaks("what does it give for “PTR” under “Description”?", 2, meanings)


def test_a_kind_the_question_shows_is_the_kind_of_every_choice(make_corpus) -> None:
    # "Relational databases: ____" offered Neptune (a graph database), "a key-value store" a relational one,
    # "retrieve objects" file and block stores beside S3 Glacier: the shown kind leaves one choice
    notes = make_corpus({"data.md": (
        "# Data\n\n## Database types\n"
        "- Relational databases: Aurora is the engine AWS built for the cloud, compatible with MySQL\n"
        "- Graph databases: Neptune stores nodes and the edges between them for social networks\n"
        "- In-memory databases: ElastiCache keeps hot data for microsecond reads\n\n"
        "## Amazon DynamoDB\n- A key-value store with single-digit millisecond latency at any scale\n"
        "- Global tables replicate items across Regions for multi-Region writes\n\n"
        "## Amazon RDS\n- Multi-AZ keeps a standby replica in another Availability Zone for failover\n\n"
        "## Archive\n- S3 Glacier has three options to retrieve objects: expedited, standard and bulk\n"
        "- EFS mounts over NFS in many instances at once\n- EBS volumes attach to one instance in one AZ\n"
    )})
    kinds = {"Aurora": "relational", "RDS": "relational", "Redshift": "relational", "DynamoDB": "key-value",
             "ElastiCache": "key-value", "S3": "object", "S3 Glacier": "object"}
    for q in questions_of(notes):
        shown_text = shown(q).lower()
        answer = q.choices[q.answer_index]
        for kind in {kinds.get(answer)} - {None}:
            if kind in shown_text:
                wrong = [c for i, c in enumerate(q.choices) if i != q.answer_index]
                assert all(kinds.get(c) == kind for c in wrong), (q.prompt, q.choices)
    assert not any("Neptune" in q.choices and "Relational" in q.prompt for q in questions_of(notes))


def test_a_fact_under_a_feature_of_a_service_is_not_asked_as_that_service(make_corpus) -> None:
    # "Starts at 5 Gbps and scales up to 45 Gbps" sits under "NAT Gateway": its subject is the gateway, so
    # "which service? VPC" asks for the chapter, not the thing described
    notes = make_corpus({"net.md": (
        "# Networking\n\n## Amazon VPC\n- Subnets live in one Availability Zone each\n"
        "- Security groups are stateful and attach to network interfaces\n\n"
        "### NAT Gateway\n- Starts at 5 Gbps and scales currently up to 45 Gbps. Scaled automatically\n"
        "- Managed by AWS, highly available within one zone, billed per hour\n\n"
        "## Amazon CloudFront\n- Edge locations cache content close to viewers around the world\n\n"
        "## Application Load Balancer\n- Routes HTTP requests to target groups by path and host header\n\n"
        "## Network Load Balancer\n- Handles millions of requests per second at ultra-low latency\n\n"
        "## Amazon Route 53\n- Alias records point a zone apex to an AWS resource\n\n"
        "## Amazon API Gateway\n- Throttles requests per client with usage plans and API keys\n"
    )})
    which = [q for q in questions_of(notes) if q.kind is QuestionKind.WHICH]
    assert which  # the service's own lines are still asked
    assert not [q.prompt for q in which if "Gbps" in q.prompt]


def test_a_wrong_value_is_a_near_miss_not_an_absurd_one() -> None:
    # "minimum 1 year" for reserved instances was offered 10, 15 and 20 years
    from indexer.quiz.clozes import QUANTITY_POOL
    from indexer.quiz.quantities import FARTHEST, find_quantities, quantity_distractors

    for text in ("a minimum term of 1 year", "up to 4 KB per call", "findings are kept for 90 days"):
        for q in find_quantities(text):
            for seed in range(20):
                values = quantity_distractors(q, random.Random(seed), QUANTITY_POOL)
                assert values, text
                for value in values:
                    number = float(re.sub(r"[^\d.]", "", value.split()[0]))
                    assert max(number / q.value, q.value / number) < FARTHEST, (text, value)


def test_a_wrong_value_keeps_to_the_bounds_the_sentence_states_and_to_real_key_sizes() -> None:
    # "____ (max 30, default 30)" offered 60 days; "AES-256" offered AES-64, a size AES does not have
    from indexer.quiz.quantities import find_quantities, quantity_distractors

    week = find_quantities("7 days")[0]
    for seed in range(20):
        values = quantity_distractors(week, random.Random(seed), 6, "deleted after", "(max 30, default 30)")
        assert values and all(float(v.split()[0]) <= 30 for v in values), values
    # "____ by default, can be raised to 20": 25 is ruled out by the sentence itself
    ten = find_quantities("10 by default")[0]
    for seed in range(20):
        values = quantity_distractors(ten, random.Random(seed), 6, "per role:", "by default, raised to 20.")
        assert values and all(float(v) <= 20 for v in values), values
    aes = find_quantities("AES-256")[0]
    for seed in range(20):
        assert set(quantity_distractors(aes, random.Random(seed), 6)) <= {"AES-128", "AES-192"}


def test_an_example_slot_and_a_reference_to_what_came_before_are_not_asked(make_corpus) -> None:
    # "services like ____ use grants": any of many would do; "either one could be denying": one of what?
    notes = make_corpus({"kms.md": (
        "# Security\n\n## AWS KMS\n"
        "- Grants delegate key use; AWS services like EBS use grants under the hood\n"
        "- Key policies are the primary way to control access to a customer managed key\n\n"
        "## VPC Flow Logs\n- An inbound REJECT alone means either one could be denying the traffic\n"
        "- Records are aggregated over a 10 minute interval by default\n\n"
        "## CloudTrail\n- Management events are recorded by default for 90 days in event history\n\n"
        "## AWS Config\n- Records resource configuration changes and evaluates them against rules\n"
    )})
    for q in questions_of(notes):
        assert "like ____" not in q.prompt and "either one" not in q.prompt, q.prompt


def test_a_blank_s_answer_is_not_the_one_phrase_among_capital_names(make_corpus) -> None:
    # "____ — you encrypt before upload": "client-side encryption" among SSE-S3, SSE-C, SSE-KMS, by its shape
    from indexer.quiz.present import odd_shape

    assert odd_shape("client-side encryption", ["SSE-S3", "SSE-C", "SSE-KMS"])
    assert not odd_shape("SSE-C", ["SSE-S3", "client-side encryption", "SSE-KMS"])
    assert not odd_shape("AWS Backup", ["EBS", "S3 Glacier", "EFS"])  # service names are no phrases
    notes = make_corpus({"s3.md": (
        "# Data\n\n## S3 encryption\n- Client-side encryption — you encrypt before upload\n"
        "- SSE-S3 — keys managed by S3, AES-256, the default for new objects\n"
        "- SSE-KMS — keys in KMS, every use logged in CloudTrail\n"
        "- SSE-C — you send the key with every request over HTTPS\n"
    )})
    for q in questions_of(notes):
        if q.kind is QuestionKind.CLOZE:
            assert q.answer != "client-side encryption", q.choices


def test_the_right_value_is_as_often_at_either_end_of_the_choices_as_in_the_middle() -> None:
    # 2,560 / 5,120 / 10,240 / 40,960: the one value whose half and double are both shown is the answer
    from indexer.quiz.quantities import find_quantities, quantity_distractors

    q = find_quantities("findings are kept for 90 days")[0]
    places: Counter[int] = Counter()
    for seed in range(200):
        values = [find_quantities(v)[0].value for v in quantity_distractors(q, random.Random(seed))]
        assert len(values) == 3
        places[sum(v < q.value for v in values)] += 1
    assert all(places[n] >= 30 for n in range(4)), places  # each of the four places, about 50 of 200


def test_a_fact_asked_twice_never_shows_one_question_s_answer_in_the_other(make_corpus) -> None:
    # "…/26 holds ____ IP addresses" beside "which service: '…/26 holds 64 IP addresses'": the second shows
    # the first one's answer; a chunk with room for both keeps the first only
    from dataclasses import replace

    from indexer.quiz.spread import Candidate, select

    notes = make_corpus({"vpc.md": (
        "# Networking\n\n## Amazon VPC\n- a /26 CIDR block holds 64 IP addresses, five reserved by AWS\n"
        "\n## AWS Direct Connect\n- a dedicated private line into a Region\n"
    )})
    cloze = next(q for q in questions_of(notes) if q.answer == "64")
    quoted = replace(
        cloze, id="quoted", kind=QuestionKind.WHICH, choices=("VPC", "Direct Connect", "VPN", "CloudFront"),
        answer_index=0, prompt="Which AWS service do the notes say this about? “A /26 CIDR block holds 64 IP "
        "addresses, five reserved by AWS”",
    )
    fact = frozenset({"the /26 fact"})
    chunk = (cloze.source, cloze.line_start, cloze.line_end)
    kept = select([Candidate(cloze, fact), Candidate(quoted, fact)], {chunk: 3})
    assert [c.question.id for c in kept] == [cloze.id]


def test_a_layer_is_offered_only_among_the_layers_aws_services_work_at() -> None:
    # "layer 7" among layers 4, 5 and 6: nothing in AWS inspects at layer 5 or 6, so they are filler
    from indexer.quiz.quantities import find_quantities, quantity_distractors

    q = find_quantities("WAF inspects requests at layer 7")[0]
    for seed in range(20):
        assert set(quantity_distractors(q, random.Random(seed), 6)) == {"layer 3", "layer 4"}


def test_a_value_stated_as_one_side_of_a_bound_is_not_asked(make_corpus) -> None:
    # "fails over in less than 30 seconds": 45 or 60 seconds are as true, and the one that is not (15)
    # tells the answer; the same for "more than", "within" (a limit, "up to 10", is asked)
    text = (
        "# Databases\n\n## Aurora\n"
        "- When the primary fails, Aurora promotes a replica in less than 30 seconds\n"
        "- Aurora keeps 6 copies of your data across 3 Availability Zones\n\n"
        "## CloudTrail\n"
        "- Log files usually reach the bucket within 15 minutes of the API call\n"
        "- Backups are kept for 35 days unless you change the retention policy\n"
    )
    prompts = _cloze_prompts(make_corpus, text)
    assert any("____" in p for p in prompts), prompts  # the notes' other values are asked
    for prompt in prompts:
        assert not re.search(r"(?:less than|within) ____", prompt), prompt


def test_a_value_the_sentence_states_again_in_other_digits_is_not_asked(make_corpus) -> None:
    # "____ per second with batching, 300 /s without": 3,000 is the 300 with a nought added
    text = (
        "# Messaging security\n\n## SQS\n"
        "- FIFO queues: 3000 per second with batching, 300 /s without\n"
        "- Messages are kept for 4 days by default\n"
    )
    prompts = _cloze_prompts(make_corpus, text)
    assert any("____" in p for p in prompts), prompts
    assert not any("with batching" in p for p in prompts), prompts



def test_a_blank_said_to_encrypt_offers_only_protocols_that_encrypt() -> None:
    # "Network in/out must be encrypted using ____": HTTP encrypts nothing, an obvious non-answer
    from indexer.quiz.terms import of_kind_shown

    shown = "Fill in the blank: “Network in/out must be encrypted using ____”"
    assert not of_kind_shown("SSL", "HTTP", shown)
    assert of_kind_shown("SSL", "SSH", shown) and of_kind_shown("SSL", "IPsec", shown)
    assert of_kind_shown("SSL", "HTTP", "Fill in the blank: “The load balancer listens on ____”")


def test_dual_layer_names_dsse() -> None:
    # "for "dual-layer" compliance" spells out the D of DSSE-KMS
    words = Words(Tokenizer(TokenizerSettings.default()))
    options = ["SSE-S3", "SSE-KMS", "DSSE-KMS", "SSE-C"]
    shown = "Fill in the blank: “____ — dual-layer server-side encryption, for compliance”"
    assert words.leaks(shown, 2, options)


def test_a_quote_naming_a_feature_only_its_service_has_is_not_asked_which_service(make_corpus) -> None:
    # "…, long polling is preferable to short polling" → SQS: the feature's name gives it away, and the
    # wait time the line states goes untested
    from indexer.build import build_index
    from indexer.quiz.generator import Generator
    from indexer.quiz.topics import Topic

    notes = make_corpus({"apps.md": (
        "# Application integration\n\n"
        "## SQS\n- Messages are kept for 4 days by default, 14 days at most\n"
        "### Long polling\n"
        "- A consumer waits for messages to arrive instead of getting an empty reply\n\n"
        "## SNS\n- Topics push each message to every subscriber: Lambda, SQS, HTTPS or email\n"
        "### Message filtering\n- A subscriber gets only the messages its filter policy matches\n\n"
        "## EventBridge\n- Rules match events and route them to targets, with message filtering by pattern\n"
    )})
    index = build_index([notes])
    generator = Generator(index.chunks, index.settings)
    sqs, sns = (Topic(name, generator.services[name]) for name in ("SQS", "SNS"))
    assert generator.names_own_feature("The wait can be 1 to 20 seconds, long polling is preferable", sqs)
    assert not generator.names_own_feature("Messages wait up to 20 seconds for a consumer", sqs)
    # EventBridge's notes speak of message filtering too: the name does not single SNS out
    assert not generator.names_own_feature("Message filtering keeps subscribers' traffic down", sns)


def test_a_line_opening_with_its_service_asks_for_it_with_the_name_blanked() -> None:
    # prose names its subject ("Detective helps you investigate …"): the which question blanks it, and
    # keeps every check of a which question (no other service's notes say as much)
    which = [q for q in bank_of("guide").questions if q.kind is QuestionKind.WHICH]
    blanked = [q for q in which if "“____ " in q.prompt]
    assert blanked, [q.prompt for q in which]
    for q in blanked:
        assert q.answer not in q.prompt, q.prompt



def test_a_sentence_of_a_paragraph_written_on_one_line_is_checked_against_that_line(make_corpus) -> None:
    # prose written a paragraph to a line: the sentence's own line holds it, though a short table row
    # below is more like it as a whole; compared with the row, it looked like a cleaner's wrong guess
    from indexer.build import _cleaner_guesses
    from indexer.files import read_notes_at

    notes = make_corpus({"roles.md": (
        "Roles\n-----\n\n"
        "A role has no long-term credentials. Whoever its trust policy allows can assume it and gets "
        "temporary credentials from STS that expire on their own, after one hour by default.\n\n"
        "| STS call | Typical caller |\n|---|---|\n| `AssumeRole` | users, roles, services |\n"
        "| `GetSessionToken` | an IAM user wanting MFA credentials |\n"
    )})
    index = build_index([notes])
    raw = read_notes_at(index.corpus_dirs, {c.source for c in index.chunks})
    generator = Matching(index.chunks, index.settings, raw, _cleaner_guesses(index, raw))
    fact = next(f for f in generator.facts if f.text.startswith("A role has no long-term"))
    assert id(fact) not in generator.doubtful


def test_a_shown_acronym_written_in_the_answer_alone_ties_it() -> None:
    # "AWS managed key" shown, "aws/s3, aws/ebs" the one choice writing AWS; a service's own "AWS" ties none
    words = Words(Tokenizer(TokenizerSettings.default()))
    shown = "In the notes' table “KMS key types”, what does it give for “AWS managed key” under “Example”?"
    choices = ["DynamoDB default encryption", "alias/app-prod", "aws/s3, aws/ebs, aws/rds"]
    assert words.leaks(shown, 2, choices)
    which = "Which AWS service do the notes say this about? “Remediation via SSM Automation documents”"
    assert not words.leaks(which, 1, ["VPC Flow Logs", "AWS Config", "CloudTrail"])


def test_a_statement_naming_its_service_s_engine_is_not_its_right_answer(make_corpus) -> None:
    # "If you need to scale horizontally, choose Memcached" about ElastiCache: the engine names it
    notes = make_corpus({"db.md": (
        "# Databases\n\n"
        "## ElastiCache\n- If you need to scale horizontally, you need to choose Memcached\n"
        "- Helps reduce the load off of databases for read-intensive workloads\n"
        "- Sessions can be stored to make the application stateless\n\n"
        "## DynamoDB\n- Throughput can be exceeded for a while using burst credit\n"
        "- Each table has a primary key decided at creation time\n\n"
        "## Aurora\n- Storage grows automatically in steps of 10 GB up to 128 TB\n"
        "- Failover to a read replica is automatic and fast\n\n"
        "## Neptune\n- Fully managed graph database for highly connected data\n"
        "- Suited to social networks and recommendation engines\n"
    )})
    from indexer.quiz.fairness import own_words_in

    assert own_words_in("you need to choose Memcached", "ElastiCache")
    for q in questions_of(notes):
        if q.kind in (QuestionKind.STATEMENT, QuestionKind.SELECT_TWO) and "ElastiCache" in q.prompt:
            assert "Memcached" not in q.answer and not any(
                "Memcached" in item for item in q.items
            ), (q.prompt, q.items, q.answer)


def test_the_context_line_does_not_repeat_what_the_prompt_says(any_bank: Bank) -> None:
    # 'Under “S3 Encryption for Objects”, which …' over "From your notes on S3 Encryption for Objects":
    # the line names a broader heading instead
    from indexer.quiz.question import choice_key

    for q in any_bank.questions:
        place = q.context.removeprefix("From your notes on ").removeprefix("From your notes")
        assert not place or choice_key(place) not in choice_key(q.prompt), (q.prompt, q.context)


def test_a_footnote_is_no_fact_of_the_last_heading(make_corpus) -> None:
    # "[^1]: The older language version is 2008-10-17" sits at the end, under IAM Identity Center, but
    # belongs to the policy language line that marks it
    from indexer.build import _cleaner_guesses
    from indexer.files import read_notes_at

    notes = make_corpus({"iam.md": (
        "# Identity\n\n## Policies\n\nThe Version element is 2012-10-17, the policy language version.[^1]\n\n"
        "## IAM Identity Center\n\nIdentity Center gives the workforce one sign-in for many accounts.\n\n"
        "[^1]: The older language version is 2008-10-17.\n"
    )})
    index = build_index([notes])
    raw = read_notes_at(index.corpus_dirs, {c.source for c in index.chunks})
    generator = Matching(index.chunks, index.settings, raw, _cleaner_guesses(index, raw))
    texts = [f.text for f in generator.facts]
    assert any("one sign-in" in t for t in texts), texts
    assert not any("2008-10-17" in t for t in texts), texts


def test_a_term_every_line_of_its_list_ends_with_is_not_blanked(make_corpus) -> None:
    # "EC2 Instances (can be managed by an ASG) - ____" beside "ECS tasks - HTTP": the pattern gives it
    text = (
        "# Load balancing\n\n## Application Load Balancer (ALB)\n\n### Target groups\n\n"
        "where targets can be:\n\n"
        "- EC2 Instances (can be managed by an ASG) - HTTP\n"
        "- ECS tasks (Elastic Container Service) - HTTP\n"
        "- Lambda functions - the HTTP request is translated into a JSON event\n"
        "- IP addresses - must be private IPs\n\n"
        "## Network Load Balancer (NLB)\n\n- Handles millions of requests per second at very low latency\n"
        "- One static IP per AZ, and an Elastic IP can be assigned\n"
    )
    for prompt in _cloze_prompts(make_corpus, text):
        assert not re.search(r"- ____”", prompt), prompt


@pytest.mark.parametrize("allowed", ["HTTPS", "HTTP/HTTPS"])
def test_a_term_a_parallel_line_beside_does_the_same_to_is_no_wrong_choice(make_corpus, allowed: str) -> None:
    # "Allow ____ from your home network" beside "Allow HTTPS traffic from private subnets": HTTPS is
    # allowed too, so it is no wrong choice; nor when the line names it with another ("HTTP/HTTPS")
    text = (
        "# Networking\n\n## VPC\n\n### NAT instance security group\n\n"
        "Inbound:\n\n"
        f"- Allow {allowed} traffic from private subnets\n"
        "- Allow SSH from your home network (access provided through the Internet Gateway)\n\n"
        "### Flow logs\n\n- Flow logs capture IP traffic metadata for network interfaces\n"
    )
    notes = make_corpus({"vpc.md": text})
    clozes = [q for q in questions_of(notes) if q.kind is QuestionKind.CLOZE and "home network" in q.prompt]
    assert clozes  # still asked, with other wrong choices
    for q in clozes:
        assert "HTTPS" not in q.choices, q.choices


def test_a_lab_notebook_s_tasks_log_times_tags_and_sub_step_letters_stay_out(make_corpus) -> None:
    # "[ ] add the snapshot loop to the isolate-ec2 Lambda #todo" is not done, so no fact; a log entry's
    # time names no topic; "b." and "#aws/kms" are the writer's filing, not words of the fact
    from indexer.quiz.notfacts import leans_on_context, not_a_fact
    from indexer.quiz.question import tidy

    assert not_a_fact("[ ] add the snapshot loop to the isolate-ec2 Lambda #todo")
    assert not_a_fact("TODO: wire GuardDuty findings to the isolation Lambda")
    assert not not_a_fact("[x] GuardDuty findings reach EventBridge within about 5 minutes")
    assert leans_on_context("2024-05-02 09:31 — real one: dev pushed .env to a public repo")
    assert tidy("b. EBS snapshots of every attached volume #aws/ec2 ^snap01") == (
        "EBS snapshots of every attached volume"
    )
    assert tidy("e.g. an EBS snapshot") == "e.g. an EBS snapshot"
    pointer = "EBS snapshots of every attached volume (next section)"
    assert tidy(pointer) == "EBS snapshots of every attached volume"
    assert tidy("Revoke the role's sessions (§6.3) first") == "Revoke the role's sessions first"
    assert tidy("S3 (§3.1), EBS, Secrets Manager (§2.3)") == "S3, EBS, Secrets Manager"


@pytest.mark.parametrize("style", sorted(STYLES))
def test_where_findings_are_sent_is_offered_among_places_they_can_go(style: str) -> None:
    # "New findings reach ____" → EventBridge offered VPC Flow Logs and AWS Config (log sources, which
    # nothing is sent to), then AppSync (an app's GraphQL API, no target of findings); and "Watch for
    # usage: ____ …" beside "… CloudWatch alarm on that" offered the list's other item, CloudWatch, which
    # is as right
    log_sources = {"CloudTrail", "VPC Flow Logs", "AWS Config", "Trusted Advisor", "AppSync", "IoT Core"}
    for q in bank_of(style).questions:
        if q.kind is QuestionKind.CLOZE and q.answer == "EventBridge":
            assert not log_sources & set(q.choices), (q.prompt, q.choices)
        if q.kind is QuestionKind.CLOZE and "pending deletion" in q.prompt:
            assert "CloudWatch" not in q.choices, (q.prompt, q.choices)


def test_a_count_of_people_or_teams_is_an_example_not_a_value_to_ask(make_corpus) -> None:
    # "One bucket policy for 20 teams is unreadable": 10 or 30 teams would be as true
    text = (
        "# S3\n\n## Access points\n\n"
        "- One bucket policy for 20 teams is unreadable, so each app gets its own access point\n"
        "- An account can have up to 10000 access points per Region\n"
    )
    prompts = _cloze_prompts(make_corpus, text)
    assert not any("for ____ teams" in p for p in prompts), prompts


def test_no_wrong_choice_is_a_member_of_a_set_another_topic_lists_with_the_answer(make_corpus) -> None:
    # RDS's engines are listed together; Aurora's notes name only MySQL, but Aurora is PostgreSQL-compatible
    # too, so another engine of RDS's list would be a second right answer
    notes = make_corpus({"db.md": (
        "# Databases\n\n## Amazon RDS\n- RDS engines: PostgreSQL, MySQL, MariaDB, Oracle and SQL Server\n"
        "- Multi-AZ keeps a synchronous standby in another AZ for failover\n"
        "- Read replicas scale reads and are updated asynchronously\n\n"
        "## Amazon Aurora\n- Aurora is the MySQL compatible relational engine built by AWS for the cloud\n"
        "- Aurora storage grows automatically in 10 GB steps up to 128 TB\n"
        "- Aurora keeps six copies of the data across three AZs\n"
    )})
    asked = [q for q in questions_of(notes) if q.kind is QuestionKind.CLOZE and q.answer == "MySQL"]
    for q in asked:
        assert not {"PostgreSQL", "MariaDB", "Oracle", "SQL Server"} & set(q.choices), (q.prompt, q.choices)


def test_the_parts_of_an_explanation_are_not_options_to_choose_from(make_corpus) -> None:
    # "Goal:", "How:", "Example:" are the notes' layout: "which one says 'log in to the identity provider'?"
    # is answered by grammar (How), and tests nothing about AWS
    notes = make_corpus({"cognito.md": (
        "# Identity\n\n## Cognito Identity Pools\nIdentity pools hand out temporary AWS credentials.\n"
        "- Goal:\n  - Provide direct access to AWS resources from the client side\n"
        "  - Avoid embedding long-term access keys in mobile applications\n"
        "- How:\n  - Log in to a federated identity provider or stay anonymous\n"
        "  - Get temporary AWS credentials back from the identity pool\n"
        "  - The credentials come with a predefined IAM policy for their permissions\n"
        "- Example:\n  - Grant temporary write access to an S3 bucket after a social login\n"
        "  - Let a game save its scores to DynamoDB straight from the phone\n"
    )})
    for q in questions_of(notes):
        assert not {"Goal", "How", "Example"} & set(q.choices), (q.prompt, q.choices)


def test_a_meeting_s_own_record_and_withdrawn_claims_are_not_asked(make_corpus) -> None:
    # study-session minutes: when it ran, who came, the agenda and decisions are the meeting's business;
    # a struck-through claim is one the notes withdraw; a recording's timestamps are no words of a fact
    notes = make_corpus({"2025-03-11-session-08.md": (
        "# Study group, session 08: KMS\n\n**When:** Tue 11 Mar 2025, 18:30–19:50 (ran 20 min over)\n"
        "**Attendees:** Priya (notes), Tom (KMS), Sam (S3), Ana for the first 30 min\n\n"
        "## Agenda\n\n1. KMS key types (Tom)\n2. Envelope encryption demo (Tom)\n3. S3 encryption (Sam)\n\n"
        "## KMS key types\n\n"
        "- [00:04:50] A customer managed key costs 1 USD a month plus requests\n"
        "- ~~Jonas: AWS managed keys can be shared with another account~~ — no, only customer managed keys\n"
        "- ~~Lena: KMS encrypts big files in 4 KB chunks~~ — not how it works, use GenerateDataKey\n"
        "- [00:09:10] Encrypt takes at most 4 KB of plaintext per call\n"
        "- [00:11:30] AWS managed keys rotate every year and the period cannot be changed\n"
        "- [00:13:30] A key can hold at most 50,000 grants\n\n"
        "## S3 encryption\n\n- SSE-S3 encrypts every new object by default since January 2023\n"
        "- SSE-KMS calls KMS for each object unless S3 Bucket Keys are on\n"
        "- SSE-C needs the key sent in a header with every request, over HTTPS only\n\n"
        "**Decision:** we redo the policy flowchart at the start of session 09, 5 minutes, no slides.\n"
        "**Action items:** Tom posts the KMS quotas in Slack\n"
    )})
    questions = questions_of(notes)
    assert questions  # the facts are still asked
    for q in questions:
        text = shown(q) + " " + " ".join(q.choices)
        meeting = r"18:30|\b(?:20|30) min|5 minutes|Priya|Attendees|\[00:|~~|flowchart"
        assert not re.search(meeting, text), text
        assert "shared with another account" not in text and "in 4 KB chunks" not in text, text
        assert not {"Envelope encryption demo", "KMS key types"} <= set(q.choices), q.choices


def test_a_question_asked_about_what_came_before_is_not_quoted_alone(make_corpus) -> None:
    # "Sam asked whether that also holds for role chaining … capped at ____": "that" is the line above
    notes = make_corpus({"session-07.md": (
        "# Study group, session 07\n\n## Role sessions\n\n"
        "- Every role has a maximum session duration, and callers ask for less with --duration-seconds\n"
        "- Sam asked whether that also holds for role chaining. Tom: no, a chained session is capped at "
        "1 hour whatever the role's max says\n\n"
        "## KMS\n\n- A key policy can be at most 32 KB\n- A key can hold at most 50,000 grants\n"
    )})
    questions = questions_of(notes)
    assert any("32 KB" in q.choices for q in questions)
    assert not [q for q in questions if "asked whether" in shown(q)], [shown(q) for q in questions]


def test_a_list_label_is_shown_with_the_heading_it_sits_under(make_corpus) -> None:
    # "VPC › Inbound" says not whose inbound rules: "VPC › NAT Instance › Inbound" does
    notes = make_corpus({"vpc.md": (
        "# Virtual Private Cloud (VPC)\n\n## NAT Instances and NAT Gateways\n\n### NAT Instance\n\n"
        "- Disable the source/destination check on the instance first\n"
        "- NAT instances must sit in a public subnet with an Elastic IP\n"
        "- Must manage its security groups and rules yourself:\n\n"
        "- Inbound\n  - Allow HTTP/HTTPS traffic from private subnets\n"
        "  - Allow SSH from your home network through the Internet Gateway\n"
        "- Outbound\n  - Allow HTTP/HTTPS traffic to the internet\n\n"
        "### NAT Gateway\n\n- Managed by AWS, scales up to 100 Gbps\n"
        "- Created in a specific AZ and uses an Elastic IP\n- No security groups to manage\n"
    )})
    inbound = [q for q in questions_of(notes) if "home network" in q.prompt]
    assert inbound, "the inbound rule is asked"
    for q in inbound:
        assert shown(q).endswith("NAT Instance › Inbound"), shown(q)


def test_who_spoke_when_is_no_topic_of_the_facts_said(make_corpus) -> None:
    # minutes: "[00:04:50] **Tom:**" over what Tom said is a speaker's turn, not a topic (no "KMS basics ›
    # Tom", no "Tom: Key policy max size: ____"); "**Ana (Security Hub):**" is on Security Hub
    notes = make_corpus({"session-08.md": (
        "# Study group, session 08\n\n## KMS basics\n\n[00:04:50] **Tom:**\n"
        "- Key policy max size: 32 KB\n- A customer managed key costs 1 USD a month plus requests\n"
        "- A key can hold at most 50,000 grants\n\n"
        "## Detection\n\n[00:41:20] **Ana (Security Hub):**\n"
        "- Security Hub normalises findings into the ASFF format\n"
        "- Cross-region aggregation links regions to one home region within 30 days\n\n"
        "[00:50:05] **Tom (Config):**\n- Periodic rules run every 1, 3, 6, 12 or 24 hours\n"
        "- Conformance packs deploy rules and remediations as one unit across 20 accounts\n"
    )})
    questions = questions_of(notes)
    assert any("32 KB" in q.choices for q in questions)  # the facts are asked
    for q in questions:
        assert not re.search(r"\b(?:Tom|Ana)\b", shown(q)), shown(q)
        assert "Tom" not in q.topic and "Ana" not in q.topic, q.topic
    # the turns under "Ana (Security Hub)" and "Tom (Config)" are those services' facts
    index = build_index([notes])
    generator = Matching(index.chunks, index.settings)
    owners = {f.text: generator.service_of(f.node) for f in generator.facts}
    assert owners["Security Hub normalises findings into the ASFF format"] == "Security Hub", owners
    assert owners["Periodic rules run every 1, 3, 6, 12 or 24 hours"] == "AWS Config", owners


def test_a_value_written_again_in_other_units_beside_it_is_not_blanked(make_corpus) -> None:
    # "604800 (____)": the seconds on screen convert to the answer; "____ (4,096 bytes)" likewise
    notes = make_corpus({"s3.md": (
        "# S3\n\n## Presigned URLs\n"
        "- a presigned URL made with --expires-in 604800 (7 days) works from the CLI and the SDK\n"
        "- a URL signed with a role's session dies when that session ends\n"
        "- the console makes URLs that last from 1 minute to 12 hours\n\n"
        "## KMS\n- the Encrypt call takes plaintext of 4096 (4 KB) or less\n"
        "- a key can hold at most 50,000 grants\n"
    )})
    asked = [q.prompt for q in questions_of(notes)]
    assert any("50,000" not in p and "____ grants" in p for p in asked)  # a value stated once is asked
    assert not any("604800 (____)" in p or "4096 (____)" in p for p in asked), asked


def test_a_sentence_under_a_list_is_no_option_beside_short_labels(make_corpus) -> None:
    # "Under 'GuardDuty', which one …": "finding type names read ThreatPurpose…" is no name like
    # "severity bands", and is ruled out on sight
    notes = make_corpus({"gd.md": (
        "# GuardDuty\n\n- severity bands\n  - Low 1.0 to 3.9, Medium 4.0 to 6.9, High 7.0 to 8.9\n"
        "  - Critical sits on top, for attack sequences that correlate many signals\n"
        "- optional protection plans\n  - Runtime Monitoring runs an agent on EKS, ECS and EC2\n"
        "  - S3 Protection reads CloudTrail data events for buckets\n"
        "- to EventBridge\n  - new findings arrive within about five minutes\n"
        "  - updates to a finding are sent every six hours by default\n"
        "- finding type names read ThreatPurpose and the resource type affected, then the detail\n"
        "  - Backdoor:EC2/C&CActivity.B names a command and control server\n"
        "  - UnauthorizedAccess:IAMUser/TorIPCaller names calls from Tor exit nodes\n"
    )})
    for q in questions_of(notes):
        if q.kind is QuestionKind.WHICH:
            assert all(len(choice.split()) <= 6 for choice in q.choices), q.choices


def test_a_definition_under_its_title_line_is_not_asked_as_which_service(make_corpus) -> None:
    # "Strongly Consistent Reads" titles the line after it: the quote names the feature, the service
    # follows from the name, and what a strongly consistent read is holds for other databases too
    notes = make_corpus({"db.md": (
        "# Databases\n\n## DynamoDB\n\nDynamoDB is a serverless key-value and document database.\n"
        "Strongly Consistent Reads\n"
        "A Strongly Consistent Read returns a result reflecting every write acknowledged before the read\n"
        "Each item can be at most 400 KB in size including attribute names\n\n"
        "## RDS\n\n- Multi-AZ keeps a synchronous standby replica in another availability zone\n"
        "- Automated backups allow restoring to any second within the retention period\n\n"
        "## ElastiCache\n\n- Redis clusters can fail over to a replica in another availability zone\n"
        "- Sessions stored in the cache make the application tier stateless\n\n"
        "## Aurora\n\n- Storage grows automatically in 10 GB steps up to 128 TB\n"
        "- Six copies of the data are kept across three availability zones\n"
    )})
    for q in questions_of(notes):
        if q.kind in (QuestionKind.WHICH, QuestionKind.STATEMENT):
            assert "Strongly Consistent Read" not in shown(q) + " ".join(q.choices), (q.prompt, q.choices)


def test_a_list_s_parts_of_different_kinds_are_no_options(make_corpus) -> None:
    # "optional protection plans", "severity bands", "to EventBridge" are a list's layout: "Runtime
    # Monitoring" is placed under its plan by its own words
    notes = make_corpus({"notes.md": (
        "# Detection\n\n## GuardDuty\n\n- optional protection plans\n"
        "  - Runtime Monitoring runs an agent on EKS, ECS and EC2 hosts\n"
        "  - Malware Protection scans EBS volumes attached to flagged instances\n"
        "- severity bands\n  - High findings score between 7.0 and 8.9 on the scale\n"
        "  - Critical findings come from correlated attack sequences over time\n"
        "- to EventBridge\n  - new findings are published within about five minutes\n"
        "  - updated findings are published every six hours by default\n\n"
        "# S3\n\n## Encryption options\n\n- SSE-S3\n  - keys are owned and rotated by S3 itself, AES-256\n"
        "  - default for every new object since January 2023\n"
        "- SSE-KMS\n  - every use of the key is logged in CloudTrail for audit\n"
        "  - key policies decide who may decrypt the objects\n"
        "- SSE-C\n  - the customer sends the key with every request over HTTPS\n"
        "  - S3 keeps only a salted HMAC of the key, never the key\n"
    )})
    questions = questions_of(notes)
    for q in questions:
        layout = {"optional protection plans", "severity bands", "to EventBridge"}
        assert not layout & set(q.choices), q.choices
    assert questions  # the lines under them are still asked, by what they say


def test_what_someone_said_or_thought_is_no_fact_but_a_question_answered_on_its_line_is() -> None:
    # "Ana thought about 5 KB" was wrong; "Legal said 400 days is enough" is a view, not the notes' fact
    from indexer.quiz.notfacts import not_a_fact

    assert not_a_fact('Ana thought "about 5 KB, I think" for the SCP size limit')
    assert not_a_fact("Legal said 400 days is enough for now.")
    assert not not_a_fact("Sam asked whether chaining is capped. Tom: yes, a chained session lasts 1 hour")
    assert not not_a_fact("Security Hub said nothing until Config was recording")  # no person's name: a fact


def test_a_page_s_history_and_the_dates_it_was_written_are_not_asked(make_corpus) -> None:
    # a wiki export: "Exported on 03 Mar 2025", a "Page history" table of versions, dates and editors
    notes = make_corpus({"Logging Standard (SEC-STD-004).md": (
        "# Logging and Monitoring Standard\n\nExported from Google Docs on 03 Mar 2025.\n\n"
        "## 1. CloudTrail\n\n- Event history keeps the last 90 days of management events\n"
        "- An organization trail is created in the management account or a delegated admin account\n"
        "- Log file validation writes a digest file every hour\n\n"
        "## 2. GuardDuty\n\n- Findings are kept for 90 days, so export them to S3 for longer\n"
        "- Updated findings are sent to EventBridge every 6 hours by default\n\n"
        "## Page history\n\n| Version | Date | Editor | Summary |\n|---|---|---|---|\n"
        "| 2.1 | 26 Feb 2025 | [~p.nguyen] | Updated-findings frequency 15 min |\n"
        "| 1.4 | 12 Oct 2024 | [~a.berg] | Retention table |\n"
        "| 1.0 | 7 Jul 2023 | [~d.brennan] | First approved version |\n"
    )})
    questions = questions_of(notes)
    assert questions
    for q in questions:
        text = shown(q) + " " + " ".join(q.choices)
        assert not re.search(r"Mar 2025|Feb 2025|p\.nguyen|d\.brennan|\b2\.1\b|approved", text), text


def test_no_wrong_value_is_of_another_kind_or_one_the_sentence_states(make_corpus) -> None:
    # "10" (a count) among "6,144 characters" is picked by its kind; "20" is ruled out by "raised to 20."
    notes = make_corpus({"iam.md": (
        "# IAM\n\n## Size limits\n\n| Item | Limit |\n|---|---|\n"
        "| Customer managed policy | 6,144 characters |\n| Inline policies, IAM role | 10,240 characters |\n"
        "| Role trust policy | 2,048 characters |\n| Managed policies attached to one role | 10 |\n"
        "| Session policy passed to AssumeRole | 2,048 characters |\n\n"
        "## Quotas\n\n- Managed policies attached to one user: 10 by default, can be raised to 20.\n"
        "- An IAM user can have at most 2 access keys at a time\n"
    )})
    for q in questions_of(notes):
        kinds = {"characters" in c for c in q.choices}
        assert len(kinds) == 1 or q.kind is not QuestionKind.TABLE or "under" not in q.prompt, q.choices
        if "raised to 20" in q.prompt:
            assert "20" not in q.choices, q.choices


def test_a_line_of_cues_pointing_at_names_is_an_exam_tip_not_a_fact() -> None:
    # "!! SQL injection, XSS, HTTP floods at layer 7 → WAF. SYN floods / UDP reflection → Shield."
    for q in bank_of("handbook").questions:
        assert not re.search(r"→ (?:WAF|Shield)\b", shown(q)), shown(q)


def test_a_pointer_line_is_no_fact_and_a_ranked_table_is_not_asked(make_corpus) -> None:
    # "See the comparison table in §2.3." points elsewhere; Low / Medium / High rows follow from their rank
    from indexer.quiz.notfacts import not_a_fact

    assert not_a_fact("See the comparison table in §2.3.") and not_a_fact("see Key features.")
    assert not not_a_fact("Secrets Manager rotates database passwords with a Lambda function")
    notes = make_corpus({"gd.md": (
        "# GuardDuty\n\n## Severity\n\n| Severity | Score range | Response |\n|---|---|---|\n"
        "| Low | 1.0 – 3.9 | Weekly review |\n| Medium | 4.0 – 6.9 | Ticket, triage within a day |\n"
        "| High | 7.0 – 8.9 | Page on-call, triage within 30 minutes |\n"
        "| Critical | 9.0 – 10.0 | Page on-call and the security lead |\n"
    )})
    assert not [q for q in questions_of(notes) if q.kind is QuestionKind.TABLE]


def test_a_port_or_version_beside_a_blank_does_not_settle_it(make_corpus) -> None:
    # "inbound ____ (22)" is SSH by its port; "negotiate ____ 1.2 or later" is TLS by its version
    notes = make_corpus({"net.md": (
        "# Network baseline\n\n## Security groups\n"
        "- inbound SSH (22) and RDP (3389) from the internet are forbidden by the baseline\n"
        "- security groups are stateful, so replies to allowed traffic always go back out\n\n"
        "## Encryption in transit\n- external endpoints must negotiate TLS 1.2 or later with clients\n"
        "- internal load balancers terminate HTTPS with certificates from ACM Private CA\n"
    )})
    for q in questions_of(notes):
        assert "____ (22)" not in q.prompt and "____ 1.2" not in q.prompt, q.prompt


@pytest.mark.parametrize("style", sorted(STYLES))
def test_someones_tip_is_advice_not_a_fact_to_ask(style: str) -> None:
    # "Ana's tip: disable the key first and watch ____ for calls failing": CloudWatch would do as well;
    # a member's tip is advice, like an exam tip, not a fact of AWS with one right answer
    for q in bank_of(style).questions:
        text = shown(q) + " " + " ".join(q.choices)
        assert not re.search(r"(?i)\b\w+['’]s (?:exam |quick )?tips?\b", text), text


def test_no_blank_is_what_the_notes_say_is_not_used() -> None:
    # "permission sets rather than ____" -> IAM user: IAM groups are not used either
    not_used = re.compile(r"(?i)(rather than|instead of) IAM")
    written = [
        line for style in sorted(STYLES) for path in STYLES[style].rglob("*.md")
        for line in path.read_text(encoding="utf-8").splitlines() if not_used.search(line)
    ]
    assert len(written) >= 2
    for style in sorted(STYLES):
        for q in bank_of(style).questions:
            assert not re.search(r"(?i)(rather than|instead of)\s*____", q.prompt), q.prompt


def test_a_blank_beside_certificates_offers_no_protocol_without_them() -> None:
    # "ACM certificates: ____ ends at the LB" offered SSH and IPsec beside TLS: the certificates say TLS
    said = re.compile(r"(?i)certificates?.*\bTLS\b")
    written = [
        line for style in sorted(STYLES) for path in STYLES[style].rglob("*.md")
        for line in path.read_text(encoding="utf-8").splitlines() if said.search(line)
    ]
    assert written
    for style in sorted(STYLES):
        for q in bank_of(style).questions:
            if re.search(r"(?i)certificate", q.prompt) and "____" in q.prompt:
                assert "SSH" not in q.choices, (q.prompt, q.choices)
