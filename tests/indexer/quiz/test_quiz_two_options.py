"""Two options set side by side under one label ("Standard" and "Advanced", "Symmetric" and
"Asymmetric") are not asked apart with only each other as choices: one guess in two, and reviewers found
the line's wording or its kind of label picked the answer ("Bucket ACL" under resource-based, "force
update" a parameter policy's, not a hierarchy's)."""

from __future__ import annotations

import pytest
from quizbanks import STYLES, bank_of, questions_of, shown

from indexer.quiz.question import MIN_CHOICES

TWO_TIERS = (
    "# Edge protection\n\n## AWS Shield\n\n- protects from DDoS attacks\n\n"
    "- Shield Standard:\n"
    "\t- free for every customer, switched on by default\n"
    "\t- stops SYN floods and other layer 3/4 attacks\n\n"
    "- Shield Advanced:\n"
    "\t- paid subscription per organization each month\n"
    "\t- round-the-clock response team reviews incidents\n\n"
    "## Amazon GuardDuty\n\n- reads VPC flow logs, DNS logs and CloudTrail events\n"
    "- findings go to EventBridge\n"
)
TWO_POLICIES = (
    "# Keys\n\n## AWS KMS\n\n- keys never leave the service unencrypted\n\n**KMS Key Policies**\n\n"
    "- Default policy:\n"
    "\t- made when none is given, the whole account trusted\n"
    "\t- lets IAM policies in the account grant use of the key\n\n"
    "- Custom policy:\n"
    "\t- names the users and roles allowed to use the key\n"
    "\t- needed for cross-account access to the key\n\n"
    "## Amazon GuardDuty\n\n- reads VPC flow logs, DNS logs and CloudTrail events\n"
    "- findings go to EventBridge\n"
)


@pytest.mark.parametrize("notes", [TWO_TIERS, TWO_POLICIES])
def test_a_fact_under_one_of_two_options_is_not_asked_with_two_choices(make_corpus, notes) -> None:
    questions = questions_of(make_corpus({"notes.md": notes}))
    assert all(len(q.choices) >= MIN_CHOICES for q in questions), [q.choices for q in questions]


@pytest.mark.parametrize("style", sorted(STYLES))
def test_every_question_of_a_bank_offers_three_choices_at_least(style: str) -> None:
    for q in bank_of(style).questions:
        assert len(q.choices) >= MIN_CHOICES, (q.prompt, q.choices)


def test_a_title_over_a_diagram_is_not_asked_as_a_fact(make_corpus) -> None:
    notes = make_corpus(
        {
            "kms.md": (
                "# Keys\n\n## AWS KMS\n\n**KMS Key Types**\n\n"
        "- Symmetric\n\t- one key encrypts and decrypts\n"
                "- Asymmetric\n\t- public half downloadable, private half never leaves\n\n"
                "how EBS volume with encryption is copied to another region\n\n![[diagram.png]]\n\n"
                "**KMS Key Policies**\n\n"
        "- Default policy\n\t- made when none is given, whole account trusted\n"
                "- Custom policy\n\t- names the users and roles allowed, cross-account access\n"
            )
        }
    )
    questions = questions_of(notes)
    assert not [q for q in questions if "copied to another region" in shown(q)]


def test_a_note_to_self_among_names_is_no_option_of_their_kind() -> None:
    # "conditions worth to remember" beside "Access Analyzer" and "Identity Center": a line under it is
    # placed by the notes' layout ("aws:SourceIp -> req from ip range"), not by what a learner knows
    from indexer.quiz.facts import Node
    from indexer.quiz.options import of_a_kind

    def family(*labels: str) -> list[Node]:
        return [Node(label, "para") for label in labels]

    never = lambda text: False  # noqa: E731  (no label here reads as a step)
    assert not of_a_kind(family("Access Analyzer", "Identity Center", "conditions worth to remember"), never)
    assert of_a_kind(family("Access Analyzer", "Identity Center", "Credential report"), never)
    assert of_a_kind(family("Governance mode", "Compliance mode"), never)
