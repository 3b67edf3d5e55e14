"""Honest "not in your notes": a named AWS topic the notes never mention, and questions with no word
about the notes' subject, get no hits, whatever the notes' size; topics the notes name another way do."""

from __future__ import annotations

import json

import pytest
from conftest import REPO

from indexer.build import build_index
from indexer.search.query import search

NOTES = {
    "security.md": (
        "# Threat detection\n\n## Guard Duty\n- analyses VPC Flow Logs and DNS logs for threats\n\n"
        "## S3\n- a pre-signed URL lasts 1 hour by default\n- bucket policies can deny non-HTTPS requests\n\n"
        "## Elastic Container Registry\n- repositories can be encrypted with KMS\n"
    ),
    "kms.md": "# KMS\n- multi region keys have the same key ID, automatic rotation yearly\n",
}


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    root = tmp_path_factory.mktemp("notes")
    for name, text in NOTES.items():
        (root / name).write_text(text, encoding="utf-8")
    return build_index([root], fix_typos=False)


@pytest.mark.parametrize(
    ("question", "missing"),
    [
        ("How does Amazon Macie find PII in S3 buckets?", "Amazon Macie"),
        ("can a Nitro Enclave decrypt with KMS", "AWS Nitro Enclaves"),
        ("How do I turn on S3 Block Public Access for the account?", "Block Public Access"),
    ],
)
def test_a_named_topic_the_notes_never_mention_is_said_so_with_related_notes(index, question, missing):
    answer = search(index, question)
    assert answer.hits == ()
    assert answer.missing_topics == (missing,)
    assert f"Your notes don't cover {missing}" in answer.note
    data = json.loads(json.dumps(answer.to_dict()))
    assert data["hits"] == [] and data["missing_topics"] == [missing]


def test_related_notes_come_with_a_missing_topic_but_never_as_hits(index) -> None:
    answer = search(index, "Does Macie scan S3 buckets that have bucket policies?")
    assert answer.hits == () and answer.missing_topics == ("Amazon Macie",)
    assert any("bucket policies" in h.text for h in answer.related)


@pytest.mark.parametrize(
    "question",
    [
        "What does GuardDuty analyse?",  # written "Guard Duty" in the notes
        "how long does a presigned url last",  # written "pre-signed URL"
        "Are ECR repositories encrypted?",  # written "Elastic Container Registry"
        "kms key rotation",  # "key ID, automatic rotation": a name need not be written word for word
        "do multi-region keys share a key id",
    ],
)
def test_a_topic_the_notes_name_another_way_is_answered(index, question) -> None:
    answer = search(index, question)
    assert answer.hits, answer.note
    assert answer.missing_topics == ()


def test_on_large_notes_a_question_of_everyday_words_gets_no_hits(make_corpus) -> None:
    # every word turns up somewhere in large notes: "recipe" does here, once, among thousands of lines
    services = ["KMS", "S3", "IAM", "GuardDuty", "CloudTrail", "Secrets Manager", "WAF", "Shield"]
    facts = [
        "encrypts objects with a data key",
        "logs every API call to a trail",
        "blocks requests by IP set",
        "rotates secrets on a schedule",
        "grants cross-account access with a key policy",
    ]
    lines = [f"- {s} {f} in region {n}" for n in range(60) for s in services for f in facts]
    lines.append("- a DataBrew recipe cleans a dataset before it is encrypted")
    index = build_index([make_corpus({"docs.md": "# Docs\n" + "\n".join(lines) + "\n"})], fix_typos=False)
    answer = search(index, "Is there a good recipe?")
    assert answer.hits == ()
    assert answer.note == "Nothing in your notes is about this."
    assert search(index, "which recipe cleans a dataset before encryption").hits


def test_a_question_whose_telling_word_the_notes_lack_gets_no_hits() -> None:
    # notes on reverse DNS, PrivateLink and allow lists hold "reverse", "linked" and "list", none of them
    # clearly AWS; the word that says what the question is about, "recursion", is not in them
    index = build_index([REPO / "tests" / "fixtures" / "notes" / "flashcards"])
    answer = search(index, "how to reverse a linked list in python without recursion")
    assert answer.hits == () and answer.note == "Nothing in your notes is about this."
    assert search(index, "is a NACL stateless or stateful").hits


def test_a_common_word_is_a_topic_only_when_written_as_a_name(index) -> None:
    # "config" and "backup" are AWS services too, but lower case in a sentence they are plain words
    assert search(index, "can bucket policies deny requests by config or backup tools").missing_topics == ()
    assert search(index, "Does AWS Config record bucket policy changes?").missing_topics == ("AWS Config",)


def test_a_one_letter_word_is_a_topic_only_after_amazon_or_aws(index) -> None:
    # "quick q:" is a question, not Amazon Q
    assert search(index, "quick q: can bucket policies deny non-HTTPS requests?").hits
    assert search(index, "Q: can bucket policies deny non-HTTPS requests?").hits
    assert search(index, "Can Amazon Q scan my S3 buckets?").missing_topics == ("Amazon Q",)


def test_one_clearly_topical_word_or_two_fairly_topical_words_written_as_the_notes_write_them() -> None:
    from indexer.search.topics import HALF_TOPICAL, TOPICAL, about_the_notes

    clear, fair, plain = TOPICAL + 0.1, HALF_TOPICAL + 0.1, HALF_TOPICAL - 0.1
    assert about_the_notes([(clear, False)])  # "kenisis" read as kinesis still says what it is about
    assert about_the_notes([(fair, True), (fair, True)])  # "how do I version my policy"
    assert not about_the_notes([(fair, True), (plain, True)])  # "the best opening move in chess"
    assert not about_the_notes([(fair, True), (fair, False)])  # "fix a flat tyre", tyre read as "type"
    assert not about_the_notes([])


def test_a_name_led_by_a_service_s_short_name_is_covered_by_its_rest(make_corpus) -> None:
    # notes on S3 write "access points", not "S3 Access Points"; "grant access" is no "S3 Access Grants"
    text = (
        "# S3 data protection lab\n\n## Access points\n\n- each access point has its own policy and name\n"
        "- a VPC-restricted access point is reachable only from inside that VPC\n\n"
        "## Bucket policies\n\n- a bucket policy can grant access to another account\n"
    )
    index = build_index([make_corpus({"s3.md": text})], fix_typos=False)
    assert search(index, "how do I create an s3 access point for one vpc").hits
    answer = search(index, "how do S3 Access Grants map directory users to prefixes?")
    assert answer.missing_topics == ("S3 Access Grants",)



def test_a_two_word_name_led_by_a_service_s_short_name_is_covered_by_its_other_word(make_corpus) -> None:
    # minutes of a study session: "you can't put one on a group" said of IAM's permission boundaries
    text = (
        "# IAM session\n\n- A permission boundary is a managed policy you attach to an IAM user or role.\n"
        "- Users and roles only: you can't put one on a group.\n"
    )
    index = build_index([make_corpus({"iam.md": text})], fix_typos=False)
    assert search(index, "can you attach a permission boundary to an IAM group").hits
    answer = search(index, "what are IAM Roles Anywhere trust anchors")
    assert answer.missing_topics == ("IAM Roles Anywhere",)


def test_short_forms_are_the_words_they_stand_for(make_corpus) -> None:
    # an outliner's terse notes write "member accts", "mgmt acct", "temp creds"; questions write them out
    text = (
        "# SCP\n\n- sets the max perms for IAM users and roles in member accts\n"
        "- does not apply to the mgmt acct\n\n"
        "# STS\n\n- AssumeRole hands back temp creds that last 1 h by default\n\n"
        "# KMS\n\n- the key policy decides who may use the key\n"
    )
    index = build_index([make_corpus({"notes.md": text})], fix_typos=False)
    for question, line in [
        ("does an SCP apply to the management account?", 4),  # "Management Account" is a topic they name
        ("do SCPs restrict member accounts", 3),
        ("how long do temporary credentials last", 8),
    ]:
        answer = search(index, question)
        assert answer.hits and answer.hits[0].line_start <= line <= answer.hits[0].line_end, answer


def test_one_word_family_stemmed_a_letter_apart_is_one_word(make_corpus) -> None:
    # Snowball stems "expiry" expiri and "expiration" expir: a question asking the expiry finds the
    # lifetime written as "expiration", not the line that happens to say "expiry" of something else
    text = (
        "# S3 sharing\n\n## Presigned URL lifetime\n"
        "- A presigned URL stays valid until the expiration time set when it was signed, seven days at "
        "most.\n\n"
        "## Presigned URL tips\n"
        "- Sign a presigned URL with long-lived credentials: the expiry of a session token ends the URL "
        "early.\n"
        "- Share a presigned URL over a private channel only.\n\n"
        "## Bucket policies\n- A bucket policy can deny requests that do not use TLS.\n"
    )
    index = build_index([make_corpus({"s3.md": text})], fix_typos=False)
    for question in ("max expiry for a presigned url", "presigned url expiry"):
        answer = search(index, question)
        assert answer.hits and answer.hits[0].line_start == 4, answer


def test_a_word_nothing_knows_and_no_aws_topic_named_gets_no_hits() -> None:
    # a handbook that speaks of leaked keys shares "leak" with a programming question; "goroutine" is
    # neither English, nor AWS documentation's, nor the notes' word
    index = build_index([REPO / "tests" / "fixtures" / "notes" / "handbook"])
    answer = search(index, "how do I stop a goroutine leak in Go when the channel never closes")
    assert answer.hits == () and "goroutine" in answer.note
    # a typo of an English word is no stranger; a tool's name beside an AWS topic the notes cover is asked
    assert search(index, "scp charcter limit").hits
    assert search(index, "leaked access key found by splunk, what do we do first").hits


def test_a_few_keywords_the_notes_write_are_looked_up_even_when_said_once(corpus_index) -> None:
    # the bundled notes say "cryptocurrency" once, under GuardDuty, and "tamper resistant" once, of
    # CloudHSM: a learner typing just those words gets those lines; a question sharing a word with them by
    # chance ("git undo last commit" beside a "1-year commitment") is still no lookup
    for question, source, line in [
        ("cryptocurrency", "encryption-and-threat-protection.md", 236),
        ("tamper resistant", "security-by-service.md", 50),
    ]:
        hits = search(corpus_index, question).hits
        assert hits and hits[0].source == source and hits[0].line_start <= line <= hits[0].line_end, hits
    assert search(corpus_index, "who won the football world cup in 2018").hits == ()
    assert search(corpus_index, "what's a good recipe for sourdough bread").hits == ()


def test_a_misspelt_form_of_a_word_is_no_rarer_than_the_word(make_corpus) -> None:
    # "encryptie" (a typo left as written) stems a letter from "encrypt": a question's "encryption"
    # finds it as a form of its word, but as common as the word, so "envelope" decides
    text = (
        "# KMS\n\n## Limits\n- KMS encrypts up to 4 KB per call; for more data use envelope encrypted\n\n"
        "## EMR\n- in transit encryptie between nodes\n\n"
        "## S3\n- server side encryption with S3 keys\n- encryption with KMS keys\n\n"
        "## EBS\n- volume encryption with a KMS key\n\n## RDS\n- encryption at rest with KMS\n"
    )
    index = build_index([make_corpus({"notes.md": text})], fix_typos=False)
    for question in ("envelope encryption", "what is envelope encryption"):
        hits = search(index, question).hits
        assert hits and hits[0].line_start == 4, hits
