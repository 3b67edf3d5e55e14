"""Two options set side by side under one label ("Standard" and "Advanced", "Symmetric" and
"Asymmetric") are asked apart: "which of the two do the notes say this about?"."""

from __future__ import annotations

import pytest
from quizbanks import STYLES, bank_of, questions_of, shown, words

from indexer.quiz.question import QuizQuestion

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


def pairs(questions: tuple[QuizQuestion, ...]) -> list[QuizQuestion]:
    return [q for q in questions if "which of the two" in q.prompt]


def test_a_fact_under_one_of_two_options_asks_which_of_the_two(make_corpus) -> None:
    asked = pairs(questions_of(make_corpus({"kms.md": TWO_POLICIES})))
    assert asked, "a pair of key policies gives a question"
    for q in asked:
        assert sorted(q.choices) == ["Custom policy", "Default policy"], q.choices
        assert "KMS Key Policies" in q.prompt  # named by the label the two sit under
        quoted = q.prompt.split("“")[-1]
        under = TWO_POLICIES.split(q.answer + ":")[1].split("\n\n")[0]
        assert words(quoted) <= words(under) | {"”"}, (quoted, q.answer)  # stated under the answer
        wrong = q.choices[1 - q.answer_index]
        assert q.explanation(1 - q.answer_index) is not None, "the other option's notes are cited"
        assert not words(wrong) - {"policy"} & words(shown(q)), "nothing on screen names either"


def test_two_tiers_of_one_product_are_not_asked_apart(make_corpus) -> None:
    # Shield Advanced has all Shield Standard has, and both cover EC2, ELB, CloudFront, Route 53: a line
    # under one is often true of the other ("stops SYN floods" is Advanced's too)
    assert not pairs(questions_of(make_corpus({"edge.md": TWO_TIERS})))


def test_no_pair_of_the_notes_layout_and_no_fact_said_under_both(make_corpus) -> None:
    notes = make_corpus({"protection.md": (
        "# Protection\n\n## AWS WAF\n\n- filters layer 7 requests before they reach the app\n\n"
        "- Pros:\n\t- managed rule groups block common exploits out of the box\n"
        "\t- rate-based rules slow down credential stuffing\n"
        "- Cons:\n\t- each web ACL adds a monthly charge per rule\n"
        "\t- rules take a minute or two to propagate\n\n"
        "## S3 Object Lock\n\n- Governance mode:\n\t- a bypass permission lets chosen admins delete early\n"
        "\t- works only on buckets with versioning enabled\n"
        "- Compliance mode:\n\t- even an administrator must wait out the period\n"
        "\t- works only on buckets with versioning enabled\n\n"
        "## Sharing objects\n\n- presigned URLs:\n\t- expire after the time set when signing\n"
        "\t- carry the signer's permissions to whoever holds the link\n"
        "- other:\n\t- versioning with lifecycle rules guards against ransomware deletes\n"
    )})
    asked = pairs(questions_of(notes))
    assert not [q for q in asked if "Pros" in q.choices], "Pros and Cons are layout, not things to tell apart"
    assert not [q for q in asked if "other" in q.choices], "what is left over is no thing to tell apart"
    assert [q for q in asked if q.answer == "Compliance mode"], "two modes told apart by their own lines"
    assert not [q for q in asked if "versioning" in q.prompt], "said of both: neither is the one answer"


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
    assert pairs(questions), "key types and key policies are pairs to tell apart"
    assert not [q for q in questions if "copied to another region" in shown(q)]


@pytest.mark.parametrize("style", sorted(STYLES))
def test_a_pair_question_offers_its_two_options_and_quotes_no_label_of_theirs(style: str) -> None:
    for q in pairs(bank_of(style).questions):
        assert len(q.choices) == 2, q.choices
        quoted = q.prompt.split("“")[-1]
        for choice in q.choices:
            assert choice.lower() not in quoted.lower(), (choice, quoted)


def test_two_labels_ending_in_the_same_layout_word_are_offered_by_their_names(make_corpus) -> None:
    notes = make_corpus({"detection.md": (
        "# Detection\n\n## Detection services\n\n"
        "- GuardDuty details:\n\t- findings stay 90 days, export them to a bucket for longer\n"
        "\t- a delegated admin account enables it across the organization\n"
        "- Security Hub details:\n\t- cross-region aggregation into one home region\n"
        "\t- controls run as Config rules and need Config recording\n"
    )})
    asked = pairs(questions_of(notes))
    assert asked
    for q in asked:
        assert sorted(q.choices) == ["GuardDuty", "Security Hub"], q.choices


def test_two_labels_set_against_each_other_by_opposite_words_are_not_asked_apart(make_corpus) -> None:
    # "External and publicly accessible" sides with "Outside of VPC" by its wording alone
    notes = make_corpus({"api.md": (
        "# Edge\n\n## API Gateway integrations\n\n"
        "- Outside of VPC:\n\t- external and publicly accessible HTTP endpoints\n"
        "\t- Lambda functions called through the service's own network\n"
        "- Inside of VPC:\n\t- reached through a VPC link to a Network Load Balancer\n"
        "\t- needs a resource policy that names the VPC endpoint\n\n"
        "## AWS KMS\n\n**KMS Key Policies**\n\n"
        "- Default policy:\n\t- made when none is given, the whole account trusted\n"
        "\t- lets IAM policies in the account grant use of the key\n"
        "- Custom policy:\n\t- names the users and roles allowed to use the key\n"
        "\t- needed for cross-account access to the key\n"
    )})
    asked = pairs(questions_of(notes))
    assert [q for q in asked if "Custom policy" in q.choices], "the key policies are still told apart"
    assert not [q for q in asked if "Outside of VPC" in q.choices], [q.prompt for q in asked]


def test_two_options_a_list_names_inline_are_asked_apart(make_corpus) -> None:
    # "Governance mode: …" beside "Compliance mode: …" on lines of their own are two options of Object
    # Lock, written inline rather than as sub-bullets; labelled lines apart from each other, or labels of
    # different kinds ("Legal hold"), are facts of the section as before
    notes = make_corpus({"s3.md": (
        "# S3 protection\n\n## S3 Object Lock\n\n- WORM storage for objects, versioning must be on\n"
        "- Governance mode: a bypass permission lets chosen admins delete a version early\n"
        "- Compliance mode: even the root account must wait out the retention period\n"
        "- Legal hold: an on/off flag with no end date that any holder of the permission lifts\n\n"
        "## KMS keys\n\n- Customer managed keys: automatic rotation is off until you turn it on\n"
        "- rotation keeps the old key material so old ciphertext still decrypts\n"
        "- Multi-Region keys: the same key material and key ID in several regions\n"
    )})
    asked = pairs(questions_of(notes))
    modes = [q for q in asked if sorted(q.choices) == ["Compliance mode", "Governance mode"]]
    assert modes, [q.prompt for q in asked]
    for q in modes:
        assert "S3 Object Lock" in q.prompt and "mode" not in q.prompt.split("“")[-1], q.prompt
    assert not [q for q in asked if "Multi-Region keys" in q.choices], "two labelled lines apart are no pair"
    assert not [q for q in asked if "Legal hold" in q.choices], "a label of another kind is no option"


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
