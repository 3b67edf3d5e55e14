"""The quiz's term table: an editable data file, read when the quiz first needs it."""

from __future__ import annotations

import itertools
import re

import pytest
from quizbanks import STYLES, bank_of, questions_of

from indexer.files import shipped_text
from indexer.quiz.terms import TERMS_FILE, find_terms, kinds_shown, of_shown_kind, parse_terms, quiz_terms


def test_the_shipped_table_is_the_data_file() -> None:
    assert quiz_terms() == parse_terms(shipped_text(TERMS_FILE))
    # every kind of term is one the file's own comment names, for whoever edits it
    named = shipped_text(TERMS_FILE).split("# - A name or alias")[0]
    assert {t.kind for t in quiz_terms()} <= set(re.findall(r"[a-z]+", named))


def test_a_table_line_gives_a_term_found_by_its_name_and_aliases() -> None:
    [term] = parse_terms("# a comment\n\nservice security | Secrets Manager | Secret Manager | keystore\n")
    assert (term.name, term.kind, term.family, term.groups) == (
        "Secrets Manager", "service", "security", frozenset({"keystore"}))
    assert term.pattern.search("rotate it in secret manager")
    assert [t.name for t, _, _ in find_terms("Use Secrets Manager, not KMS")] == ["Secrets Manager", "KMS"]


@pytest.mark.parametrize("line", ["service | KMS", "service security", "service security |  | alias"])
def test_a_malformed_line_is_named(line: str) -> None:
    with pytest.raises(ValueError, match=r"term table line 2: .* is not 'kind family \| Name"):
        parse_terms("service security | KMS\n" + line + "\n")


def test_a_table_line_may_say_what_kind_of_thing_its_term_is() -> None:
    [graph, relational] = parse_terms(
        "service database | Neptune | | | | NoSQL, graph\nservice database | Aurora | | | | relational\n"
    )
    assert graph.kind_words == frozenset({"nosql", "graph"}) and relational.kind_words == {"relational"}
    shown = kinds_shown("Relational databases: ____ is compatible with MySQL")
    assert shown == {"relational"} and not of_shown_kind(relational, graph, shown)
    assert of_shown_kind(relational, graph, kinds_shown("Databases: ____ is compatible with MySQL"))


def test_a_backup_service_is_not_offered_as_a_store() -> None:
    # "Take ____ snapshots": AWS Backup among EBS, EFS and S3 is of another kind (and it snapshots EBS too)
    from indexer.quiz.terms import family_of

    assert family_of("AWS Backup") != family_of("EBS") == family_of("S3") == family_of("EFS")


def test_config_written_capitalised_alone_is_aws_config_and_the_word_is_not() -> None:
    # "**Tom (Config):**" heads AWS Config's lines: read as no service, they fell to the section's first
    # service ("Security Hub & Config": Security Hub), whose facts they are not; "the config" is a word
    from indexer.quiz.terms import service_name

    assert service_name("Config") == "AWS Config"
    assert [t.name for t, _, _ in find_terms("Config rules flag noncompliant resources")] == ["AWS Config"]
    assert not find_terms("the app reads its config from a file")


def test_policy_types_condition_keys_and_event_types_are_blanked_among_their_own_kind(make_corpus) -> None:
    # a guide's IAM chapter names few services: its substance is policy types, condition keys, event types
    notes = make_corpus({"iam.md": (
        "# IAM\n\n## Policy types\n"
        "- A permissions boundary is a managed policy attached to a user or role that caps what its own "
        "policies can grant.\n"
        "- SCPs attach to the organization root, an OU or an account.\n"
        "- A session policy is passed when a role is assumed and narrows that one session.\n"
        "- A trust policy says who may assume a role.\n\n## S3 data protection\n"
        "- Deny s3:* for every principal when aws:SecureTransport is false, on the bucket ARN and bucket/*.\n"
        "- Require an external ID (sts:ExternalId) from the vendor that assumes your role.\n\n## CloudTrail\n"
        "- Insights events flag unusual call volumes or error rates compared with the account's baseline.\n"
        "- Trails can deliver log files to an S3 bucket in another account.\n\n## KMS rotation\n"
        "- Automatic rotation of customer managed symmetric keys: every 365 days by default, any period "
        "from 90 to 2,560 days.\n"
    )})
    kind_of = {t.name: t.kind for t in quiz_terms()}
    clozes = {q.answer: q for q in questions_of(notes) if q.kind == "cloze"}
    wanted = {"permissions boundary", "aws:SecureTransport", "Insights events", "symmetric key"}
    assert wanted <= set(clozes), list(clozes)
    for answer, q in clozes.items():
        assert {kind_of.get(c) for c in q.choices} == {kind_of[answer]}, (q.prompt, q.choices)
        # SCPs and RCPs both attach to a root, an OU or an account: never one offered as wrong for the other
        assert not {"SCP", "RCP"} <= set(q.choices), (q.prompt, q.choices)
    assert "sts:ExternalId" not in clozes  # "an external ID" on screen names it


def test_a_line_whose_rarest_term_cannot_be_blanked_blanks_another(make_corpus) -> None:
    # "S3 Protection" blanked leaves "S3 buckets" beside it, which names it: the event type is asked
    notes = make_corpus({"guardduty.md": (
        "# GuardDuty\n\n## Optional protection plans\n"
        "- S3 Protection — watches data events of S3 buckets in CloudTrail for suspicious access\n"
        "- Malware Protection — scans the EBS volumes of a suspicious instance\n"
        "- RDS Protection — flags suspicious login activity on Aurora databases\n"
    )})
    clozes = {q.answer: q for q in questions_of(notes) if q.kind == "cloze"}
    assert "data events" in clozes, [(q.prompt, q.answer) for q in clozes.values()]
    assert "S3 Protection" not in clozes


@pytest.mark.parametrize("style", sorted(STYLES))
def test_terms_of_one_group_are_never_choices_together(style: str) -> None:
    # OAC and OAI both let CloudFront alone read a bucket; a root user's and an IAM user's keys are both
    # long-term: offered side by side, a learner who knows one is right knows the other is too
    groups = {t.name: t.groups for t in quiz_terms()}
    for q in bank_of(style).questions:
        if q.kind == "cloze":
            for a, b in itertools.combinations(q.choices, 2):
                assert not groups.get(a, frozenset()) & groups.get(b, frozenset()), (q.prompt, q.choices)


def test_a_blank_in_a_list_after_a_label_is_not_asked(make_corpus) -> None:
    # "Web ACL rules: Size constraints, ____": any other kind of rule would complete the list as well
    notes = make_corpus({"waf.md": (
        "# AWS WAF\n\n## Web ACL rules\n- Conditions: Size constraints, geo match\n"
        "- A rate-based rule counts requests per client IP over a five-minute window.\n"
    )})
    answers = [q.answer for q in questions_of(notes) if q.kind == "cloze"]
    assert "geo match" not in answers, answers


def test_a_blank_that_encrypts_offers_only_services_that_encrypt(make_corpus) -> None:
    # "encrypt the delivery stream with ____": Secrets Manager and ACM encrypt no data, so offered beside
    # KMS they test only that KMS means encryption
    notes = make_corpus({"streams.md": (
        "# Streaming\n\n## Kinesis Data Firehose\n- Can encrypt the delivery stream with KMS\n"
        "- Delivers records to S3, Redshift and OpenSearch\n\n## Secrets Manager\n"
        "- Rotates database passwords with a Lambda function\n\n## ACM\n"
        "- Public certificates renew automatically when DNS validation stays in place\n"
    )})
    for q in questions_of(notes):
        if "encrypt" in q.prompt and q.answer == "KMS":
            assert not {"Secrets Manager", "ACM"} & set(q.choices), (q.prompt, q.choices)


@pytest.mark.parametrize("style", sorted(STYLES))
def test_sns_is_not_offered_where_findings_go_to_eventbridge(style: str) -> None:
    # findings sent to EventBridge reach SNS from there (and Inspector Classic sent them to SNS itself)
    for q in bank_of(style).questions:
        assert not (q.answer == "EventBridge" and "SNS" in q.choices), (q.prompt, q.choices)


def test_a_blank_the_documentation_writes_the_answer_beside_most_is_not_asked(make_corpus) -> None:
    # "using ____ for": the AWS docs write "role for" more often than "group for" or "user for", so a blank
    # whose every wrong choice fits its neighbours less than the answer is settled by them
    notes = make_corpus({"gw.md": (
        "# Storage Gateway\n\n## File Gateway\n"
        "- Configured S3 buckets are accessible using the NFS and SMB protocol\n"
        "- Bucket access using IAM role for each File Gateway\n"
        "- Most recently used data is cached in the file gateway\n"
    )})
    assert not [q for q in questions_of(notes) if q.answer == "IAM role"]
