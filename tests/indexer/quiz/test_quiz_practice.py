"""Practice questions the notes pose themselves: asked as written, with the notes' answer and each
option's reasoning as its explanation; nothing guessed when the notes give no single answer."""

from __future__ import annotations

from indexer.build import build_index, quiz_bank_for
from indexer.quiz.question import QuestionKind, QuizQuestion

SCENARIO = QuestionKind.SCENARIO

BOLD_STYLE = """# Practice — Encryption

## Question 1 — Reading an SSE-KMS object from another account

**Scenario:** A reader in a partner account gets AccessDenied on objects in a bucket, though the bucket
policy already grants the partner read access. The objects use server-side encryption with a customer
managed key.

- A. Turn on S3 Transfer Acceleration for the bucket.
- B. Allow account B to use the key in its key policy, and give the analyst kms:Decrypt.
- C. Re-upload the objects with SSE-C so that no key policy is involved.
- D. Make the bucket public for a short time.

**Correct answer:** B

**Why:**
- **A is wrong because** acceleration speeds up transfers; it grants nothing.
- **B is correct because** a cross-account reader needs both the bucket policy and the key policy to allow it.
- **C is wrong because** SSE-C puts the burden of sending the key on every request and is not needed here.
- **D is wrong because** a public bucket still cannot decrypt objects under a KMS key for anyone.
"""

PLAIN_STYLE = """# Exam drill

### Q7. Which service records API calls made in an account?

A) Amazon Inspector
B) AWS CloudTrail
C) Amazon Macie
D) AWS Shield

Answer: (B)

A: Inspector scans workloads for vulnerabilities.
B: CloudTrail records the API activity of the account.
C: Macie finds sensitive data in S3.
D: Shield protects against DDoS attacks.
"""

NO_ANSWER = """# Drill without answers

## Question 3 — Logging

**Scenario:** The team wants to keep every API call of every account for seven years.

- A. CloudTrail organization trail to an S3 bucket with Object Lock.
- B. CloudWatch Logs with the default retention.
- C. VPC Flow Logs in every VPC.
- D. Config rules in every account.

Discuss in the group.
"""

TWO_ANSWERS = NO_ANSWER.replace("Discuss in the group.", "**Correct answers:** A and C")


def scenario_questions(make_corpus, files: dict[str, str]) -> list[QuizQuestion]:
    index = build_index([make_corpus(files)], fix_typos=False)
    return [q for q in quiz_bank_for(index).questions if q.kind is SCENARIO]


def test_a_practice_question_is_asked_as_the_notes_pose_it(make_corpus) -> None:
    [q] = scenario_questions(make_corpus, {"kms.md": BOLD_STYLE})
    assert q.prompt.startswith("Scenario: A reader in a partner account gets AccessDenied on objects")
    assert sorted(q.choices) == sorted([
        "Turn on S3 Transfer Acceleration for the bucket.",
        "Allow account B to use the key in its key policy, and give the analyst kms:Decrypt.",
        "Re-upload the objects with SSE-C so that no key policy is involved.",
        "Make the bucket public for a short time.",
    ])
    assert q.answer == "Allow account B to use the key in its key policy, and give the analyst kms:Decrypt."
    # the scenario and its options are cited; the explanation of each choice is its reasoning line
    assert (q.source, q.line_start) == ("kms.md", 5)
    lines = BOLD_STYLE.split("\n")
    for i, choice in enumerate(q.choices):
        letter = next(line[2] for line in lines if line.startswith("- ") and line.endswith(choice))
        note = q.explanation(i)
        assert note is not None and note.source == "kms.md"
        reason = lines[note.line_start - 1]
        assert reason.startswith(f"- **{letter} is"), (choice, reason)
        assert note.snippet.lower() in reason.lower()
    right = q.explanation(q.answer_index)
    assert right is not None and "cross-account reader needs both" in right.snippet
    assert "A is wrong" not in " ".join(q.shown_lines())


def test_other_ways_of_writing_options_answers_and_reasons(make_corpus) -> None:
    [q] = scenario_questions(make_corpus, {"drill.md": PLAIN_STYLE})
    assert q.answer == "AWS CloudTrail"
    assert set(q.choices) == {"Amazon Inspector", "AWS CloudTrail", "Amazon Macie", "AWS Shield"}
    wrong = {q.choices[i]: q.explanation(i) for i in range(len(q.choices)) if i != q.answer_index}
    assert wrong["Amazon Macie"] is not None and "sensitive data" in wrong["Amazon Macie"].snippet


def test_no_answer_or_two_answers_in_the_notes_give_no_question(make_corpus) -> None:
    assert scenario_questions(make_corpus, {"a.md": NO_ANSWER}) == []
    assert scenario_questions(make_corpus, {"b.md": TWO_ANSWERS}) == []


def test_wrong_options_are_never_asked_as_facts(make_corpus) -> None:
    index = build_index([make_corpus({"kms.md": BOLD_STYLE, "drill.md": PLAIN_STYLE})], fix_typos=False)
    for q in quiz_bank_for(index).questions:
        if q.kind is not SCENARIO:
            assert "Transfer Acceleration" not in q.prompt + q.answer
            assert "public for a short time" not in q.answer


def test_a_right_option_a_third_longer_than_any_other_is_not_asked(make_corpus) -> None:
    # the writer's care shows in the right option's length: "pick the longest" would beat chance
    right = (
        "Allow account B to use the key in its key policy, and give the analyst kms:Decrypt on that key too."
    )
    longer = BOLD_STYLE.replace(
        "- B. Allow account B to use the key in its key policy, and give the analyst kms:Decrypt.",
        f"- B. {right}",
    )
    longest_wrong = len("Re-upload the objects with SSE-C so that no key policy is involved.")
    assert 1.3 * longest_wrong <= len(right) < 1.7 * longest_wrong
    assert scenario_questions(make_corpus, {"kms.md": longer}) == []
    assert scenario_questions(make_corpus, {"kms.md": BOLD_STYLE})  # a little longer is still asked


def test_options_long_for_their_reasons_are_asked_without_them(make_corpus) -> None:
    # "…, because the key policy must allow it" makes the right option the longest; the choice is what to do
    reasoned = BOLD_STYLE.replace(
        "- B. Allow account B to use the key in its key policy, and give the analyst kms:Decrypt.",
        "- B. Allow account B to use the key in its key policy, and give the analyst kms:Decrypt, because "
        "cross-account use needs both the key policy and an identity policy.",
    )
    [q] = scenario_questions(make_corpus, {"kms.md": reasoned})
    assert q.answer == "Allow account B to use the key in its key policy, and give the analyst kms:Decrypt"
    assert not any("because" in c for c in q.choices)
    assert len({c.endswith(".") for c in q.choices}) == 1  # no full stop tells a cut option from a whole one
    # a wrong option's reason is often what makes it wrong ("…, because GuardDuty is global"): when a wrong
    # option gives one too, nothing is cut, and the right option, long for its reason, is not asked
    both = reasoned.replace(
        "- A. Turn on S3 Transfer Acceleration for the bucket.",
        "- A. Turn on S3 Transfer Acceleration for the bucket, because it speeds up the transfer.",
    )
    assert scenario_questions(make_corpus, {"kms.md": both}) == []


def test_a_right_option_far_the_longest_is_not_asked(make_corpus) -> None:
    long_right = BOLD_STYLE.replace(
        "- B. Allow account B to use the key in its key policy, and give the analyst kms:Decrypt.",
        "- B. Allow account B to use the key in its key policy, give the analyst kms:Decrypt in an identity "
        "policy, check that no SCP or permissions boundary denies it, and retry from the same Region.",
    )
    assert scenario_questions(make_corpus, {"kms.md": long_right}) == []
