"""Questions from the structure notes have: comparison tables, numbered steps, lists of several true
statements, definition lists and sibling options; and the bank made once per index, kept beside it."""

from __future__ import annotations

import itertools
import random
import re
import shutil
from collections import Counter

import pytest
from quizbanks import STYLES, Bank, bank_of, questions_of, shown, words

from indexer.build import build_index, open_index, quiz_bank_for, quiz_bank_path
from indexer.files import read_json_gz, write_json_gz
from indexer.quiz.bank import generate_questions
from indexer.quiz.question import QuestionKind, QuizQuestion
from indexer.quiz.spread import MAX_PER_CHUNK, MAX_PER_TABLE
from indexer.quiz.structured import gives_away, wrong_orders
from indexer.quiz.tables import _alike
from indexer.quiz.ties import tied_steps

ORDER, TABLE, MATCH, SELECT_TWO = (QuestionKind.ORDER, QuestionKind.TABLE, QuestionKind.MATCH,
                                   QuestionKind.SELECT_TWO)


@pytest.fixture
def guide() -> Bank:
    return bank_of("guide")


def lettered(q: QuizQuestion) -> dict[str, str]:
    """The lettered items of a question: letter -> text."""
    return {m.group(1): m.group(2) for i in q.items if (m := re.match(r"^([A-H])\. (.*)$", i))}


def cells_of(q: QuizQuestion) -> list[list[str]]:
    return [[c.strip() for c in line.split("|")] for line in q.snippet.split("\n") if "|" in line]


def test_table_rows_give_questions_whose_choices_are_cells_of_one_table(guide: Bank) -> None:
    tables = [q for q in guide.questions if q.kind is TABLE]
    assert len(tables) >= 30
    for q in tables:
        cells = {c for row in cells_of(q) for c in row}
        for choice in q.choices:  # a cell, or "Column: cell"
            assert choice in cells or choice.split(": ", 1)[-1] in cells, (q.prompt, choice)
        assert q.explanations[q.answer_index] is not None


def test_steps_give_order_questions_whose_right_order_is_the_notes_order(guide: Bank) -> None:
    orders = [q for q in guide.questions if q.kind is ORDER]
    assert orders and any("Rotation" in q.prompt for q in orders)
    for q in orders:
        items = lettered(q)
        right = [items[letter] for letter in q.answer.split(", ")]
        raw = (guide.folder / q.source).read_text(encoding="utf-8").split("\n")[q.line_start - 1 : q.line_end]
        numbered = [line for line in raw if re.match(r"^\s*\d+\.\s", line)]
        # each shown step, in the right order, is the next numbered line of the notes
        position = [next(i for i, line in enumerate(numbered) if words(step) <= words(line) | {"…"})
                    for step in right]
        assert position == sorted(position) and len(set(position)) == len(position), (q.items, q.answer)
        assert len(set(q.choices)) == len(q.choices) >= 3


DETECTION_NOTES = (
    "# Detection\n\n## Amazon GuardDuty\n"
    "- Detectors read flow logs, DNS logs and trail events to spot mining\n"
    "- Suppression rules archive expected findings such as your own scanners\n"
    "- Trusted IP lists stop findings for your own addresses\n"
    "- Threat lists add known bad addresses of your own\n\n"
    "## Amazon Inspector\n- Scans instances and container images for known software flaws\n"
    "- Network reachability findings show ports open to the internet\n"
    "- Agentless scans read a snapshot of the volume instead of an agent\n\n"
    "## Amazon Macie\n- Discovery jobs find personal data in buckets on a schedule\n"
    "- Custom identifiers combine a regular expression with keywords\n"
    "- Allow lists mark text that should never be reported\n\n"
    "## AWS Security Hub\n- Standards run automated checks against best practice controls\n"
    "- Cross-Region aggregation links every Region to one home Region\n"
    "- Findings from every source share one finding format\n"
)
"""Four services of one kind, three or four facts each: enough for "which two are about GuardDuty"."""


def test_select_two_pairs_two_statements_of_the_topic_with_two_of_its_kind(make_corpus) -> None:
    notes = make_corpus({"detection.md": DETECTION_NOTES})
    found = [q for q in questions_of(notes) if q.kind is SELECT_TWO]
    found += [q for style in ("bundled", "guide", "lecture") for q in bank_of(style).questions
              if q.kind is SELECT_TWO]
    assert found
    for q in found:
        items = lettered(q)
        right = q.answer.split(" and ")
        cited = words(q.snippet)
        for letter, text in items.items():
            said_here = words(text) <= cited
            assert said_here == (letter in right) or not said_here, (q.prompt, text)
        assert all(words(items[r]) <= cited for r in right), (q.items, q.snippet)


def test_a_match_maps_each_term_to_what_the_notes_say_of_it() -> None:
    found = [q for style in ("bundled", "lecture") for q in bank_of(style).questions if q.kind is MATCH]
    assert found
    for q in found:
        terms = {m.group(1): m.group(2) for i in q.items if (m := re.match(r"^([1-4])\. (.*)$", i))}
        defs = lettered(q)
        assert len(terms) == len(defs) >= 3
        for pair in q.answer.split(", "):
            number, letter = pair.split("-")
            assert words(defs[letter].rstrip("…")) - {"…"}, pair  # a definition, not a name
        assert len({c for c in q.choices}) == len(q.choices)


@pytest.mark.parametrize("style", sorted(STYLES))
def test_knowing_one_pair_of_a_match_leaves_two_choices_at_least(style: str) -> None:
    # with three pairs and three choices each pair is in one choice only: knowing the easiest pair is
    # enough. Four pairs, each right pair in two of the four choices
    for q in bank_of(style).questions:
        if q.kind is MATCH:
            for pair in q.answer.split(", "):
                assert sum(pair in choice.split(", ") for choice in q.choices) >= 2, (pair, q.choices)


def test_question_ids_are_stable_across_a_rebuild(tmp_path) -> None:
    notes = tmp_path / "notes"
    shutil.copytree(bank_of("guide").folder, notes)
    first = quiz_bank_for(build_index([notes]))
    again = quiz_bank_for(build_index([notes]))
    assert first.ids == again.ids and first.questions == again.questions


def test_the_bank_is_kept_beside_the_index_and_made_again_when_the_notes_change(tmp_path) -> None:
    notes = tmp_path / "notes"
    shutil.copytree(bank_of("lecture").folder, notes)
    index_path = tmp_path / "index.json.gz"
    index, _ = open_index(index_path, [notes])
    bank = quiz_bank_for(index, index_path)
    cache = quiz_bank_path(index_path)
    assert cache.name == "index.quiz.json.gz" and cache.exists()
    # reused: what the file holds is what comes back (a marked question proves it was not made again)
    data = read_json_gz(cache)
    data["questions"][0]["prompt"] = "marked"
    write_json_gz(cache, data)
    assert quiz_bank_for(open_index(index_path, [notes])[0], index_path).questions[0].prompt == "marked"
    # the notes change: the index is rebuilt, the bank made again
    note = next(notes.glob("*.md"))
    note.write_text(note.read_text(encoding="utf-8") + "\n\n## Extra\n- GuardDuty findings last 90 days\n")
    rebuilt, built = open_index(index_path, [notes])
    assert built
    fresh = quiz_bank_for(rebuilt, index_path)
    assert "marked" not in {q.prompt for q in fresh.questions}
    assert len({q.id for q in fresh.questions} & {q.id for q in bank.questions}) >= 0.8 * len(bank)
    # a cache that cannot be read is made again, not fatal
    cache.write_bytes(b"not gzip")
    assert len(quiz_bank_for(rebuilt, index_path)) == len(fresh)


def test_a_question_reads_back_from_its_record() -> None:
    for q in bank_of("bundled").questions[:30]:
        assert QuizQuestion.from_dict(q.to_dict(with_snippet=True)) == q


def _positions(q: QuizQuestion) -> list[Counter[str]]:
    orders = [c.split(", ") for c in q.choices]
    return [Counter(order[pos] for order in orders) for pos in range(len(orders[0]))]


@pytest.mark.parametrize("style", sorted(STYLES))
def test_no_place_in_an_order_gives_the_right_step_away_by_majority(style: str) -> None:
    # wrong orders one swap away each: the right order is the one the choices have in common
    for q in bank_of(style).questions:
        if q.kind is not ORDER:
            continue
        right = q.answer.split(", ")
        for pos, counts in enumerate(_positions(q)):
            others = [n for letter, n in counts.items() if letter != right[pos]]
            assert others and counts[right[pos]] <= max(others), (q.items, q.choices, q.answer)


def test_no_wrong_order_is_the_right_one_with_two_neighbouring_steps_swapped() -> None:
    # "attach the key policy" and "share the snapshot" side by side: the notes could have taken them
    # either way, so that order would be right too
    asked = [q for style in sorted(STYLES) for q in bank_of(style).questions if q.kind is ORDER]
    assert len(asked) >= 10
    for q in asked:
        place = {letter: n for n, letter in enumerate(q.answer.split(", "))}
        for choice in q.choices:
            if choice != q.answer:
                order = [place[letter] for letter in choice.split(", ")]
                assert sum(a > b for a, b in itertools.combinations(order, 2)) >= 2, (q.items, q.choices)


@pytest.mark.parametrize("style", sorted(STYLES))
def test_no_pair_of_a_match_is_in_more_choices_than_another_and_no_definition_is_cut_off(style: str) -> None:
    # one swap away each: the right mapping would be the pairs the choices have in common
    for q in bank_of(style).questions:
        if q.kind is not QuestionKind.MATCH:
            continue
        mappings = [dict(pair.split("-") for pair in c.split(", ")) for c in q.choices]
        right = mappings[q.answer_index]
        for term, letter in right.items():
            counts = Counter(m[term] for m in mappings)
            assert counts[letter] <= max(n for other, n in counts.items() if other != letter), q.choices
        assert not any(item.endswith("…") for item in q.items), q.items


@pytest.mark.parametrize("n", [3, 4, 5])
def test_wrong_orders_leave_no_majority_and_stay_near_and_seeded(n: int) -> None:
    for seed in range(20):
        wrong = wrong_orders(n, random.Random(seed), min(4, n) - 1)
        assert wrong == wrong_orders(n, random.Random(seed), min(4, n) - 1)
        choices = [tuple(range(n)), *wrong]
        assert len(set(choices)) == len(choices) == min(4, n) and not gives_away(choices, n)
        for pos in range(n):
            counts = Counter(order[pos] for order in choices)
            if n < 4 and n <= len(choices):  # three steps, three orders: a Latin square
                assert set(counts.values()) == {1}, choices
        if n >= 4:  # knowing only the first (or last) step is not enough
            assert sum(o[0] == 0 for o in choices) > 1 and sum(o[-1] == n - 1 for o in choices) > 1, choices
        # plausible: most wrong orders keep some steps in place or move them little
        assert sum(sum(a > b for a, b in itertools.combinations(o, 2)) for o in wrong) <= 4 * len(wrong)


def test_steps_whose_wording_orders_them_keep_their_order_in_every_wrong_choice(make_corpus) -> None:
    # "Sign in to that delegated administrator account" must follow the step designating it, and
    # "Deactivation doesn't …" the step deactivating the key: a choice breaking either is ruled out by
    # reading alone
    notes = make_corpus({"ir.md": (
        "# Detection\n\n## Procedure: enabling Macie for the organization\n"
        "1. Sign in to the management account and designate the security account as the Macie delegated "
        "administrator.\n"
        "2. Sign in to that delegated administrator account. Macie is enabled there automatically.\n"
        "3. Turn on auto-enable so accounts that join the organization later get Macie too.\n"
        "4. Add the existing member accounts of the organization.\n"
        "5. Configure the repository for sensitive data discovery results in an S3 bucket.\n\n"
        "## Runbook: a leaked access key\n"
        "1. Confirm the key ID and the user from the GuardDuty finding.\n"
        "2. Deactivate the key, but keep it: its ID ties the CloudTrail records together.\n"
        "3. Deactivation does not end sessions already started: attach a deny-all policy to the user.\n"
        "4. Search CloudTrail for every call made with the key in every region.\n"
        "5. Remove the users, roles and instances the attacker created.\n"
    )})
    orders = [q for q in quiz_bank_for(build_index([notes])).questions if q.kind is ORDER]
    assert len(orders) == 2, [q.prompt for q in orders]
    for q in orders:
        letter = {re.sub(r"\W", "", item.split(". ", 1)[1])[:11]: item[0] for item in q.items}
        first = letter["Signintothe"] if "Macie" in q.prompt else letter["Deactivatet"]
        then = letter["Signintotha"] if "Macie" in q.prompt else letter["Deactivatio"]
        for choice in q.choices:
            assert choice.index(first) < choice.index(then), (q.items, q.choices)


def test_tied_steps_are_found_by_pointers_back_and_forms_of_a_first_word() -> None:
    steps = [
        "Create a snapshot and encrypt it with a customer managed key",
        "Share the encrypted snapshot with the other account",
        "Create a volume from that snapshot",
        "Deactivate the old key",
        "Deactivation keeps its ciphertexts readable; accounts that join later are not affected",
    ]
    assert tied_steps(steps) == [(1, 2), (3, 4)]


def test_an_order_question_never_shows_a_step_cut_off(make_corpus) -> None:
    long_step = (
        "Open the console of the account that owns the key and edit the key policy so that the role in "
        "the other account may use the key for decrypt and generate data key calls from its own functions"
    )
    notes = make_corpus({"share.md": (
        "# Sharing a key\n\n## Steps to share a key with another account\n"
        f"1. Create a customer managed key in the first account\n2. {long_step}\n"
        "3. Then grant the role in the other account permission to use the key\n"
        "4. Finally test a decrypt call from the other account\n"
    )})
    index = build_index([notes])
    questions = quiz_bank_for(index).questions
    for q in questions:
        assert not any(i.endswith("…") for i in q.items), q.items
    assert not [q for q in questions if q.kind is ORDER]


def test_a_long_lead_in_is_shown_whole_not_cut_mid_phrase(make_corpus) -> None:
    # the chunker cuts a long "…, then the reserved IPs are:" lead-in for citations; a learner reads it whole
    notes = make_corpus({"vpc.md": (
        "# Networking\n\n## Amazon VPC\n\nAWS reserves five addresses in each subnet.\n\n"
        "- Subnets live in one Availability Zone each\n- Route tables decide where traffic goes\n"
        "- Security groups are stateful and apply to network interfaces\n\n"
        "For example, if your CIDR block is `10.0.0.0/24`, then the reserved IP addresses are:\n\n"
        "- `10.0.0.0`: Network address of the subnet\n- `10.0.0.1`: Reserved by AWS for the VPC router\n"
        "- `10.0.0.2`: Reserved by AWS for mapping to the AWS-provided DNS server\n"
        "- `10.0.0.3`: Reserved by AWS for future use by the platform\n"
        "- `10.0.0.255`: Network broadcast address, which a VPC does not support\n"
    )})
    matches = [q for q in questions_of(notes) if q.kind is MATCH]
    assert matches
    for q in matches:
        text = shown(q)
        assert "reserved IP addresses are" in q.prompt and "then the”" not in text, text


def test_a_match_pairs_names_with_what_they_are_not_halves_of_a_sentence(make_corpus) -> None:
    # "**Rules can block bots** — known crawlers … get a captcha": half a sentence is not a term
    notes = make_corpus({
        "edge.md": (
            "# Edge protection\n\n## Shield and friends\n"
            "- **Shield Standard:** free protection against common layer 3 and 4 floods for every customer.\n"
            "- **Shield Advanced:** paid protection with a response team and cost protection for scaling.\n"
            "- **Rate-based rules:** limits on how many requests one address may send in five minutes.\n"
            "- **Rules can block bots** — known crawlers and scrapers get a captcha before the origin.\n"
            "- **Response team does the work**: engineers write rules for you while an attack is running.\n"
        ),
        "logs.md": (
            "# Logging\n\n## Log stores\n"
            "- **Log groups:** containers of streams with one retention setting and one key for encryption.\n"
            "- **Metric filters:** patterns that turn matching log lines into numbers to alarm on later.\n"
            "- **Streaming to Kinesis** — records are sent on within seconds of their arrival in the group.\n"
            "- **Insights queries are billed**: per gigabyte scanned, so narrow the time range first.\n"
        ),
    })
    matches = [q for q in quiz_bank_for(build_index([notes])).questions if q.kind is MATCH]
    for q in matches:
        terms = [i.split(". ", 1)[1] for i in q.items if re.match(r"^[1-4]\. ", i)]
        assert not any(re.search(r"\b(?:can|does|are)\b", t) for t in terms), q.items
        assert not any(re.match(r"^[A-D]\. [a-z]", i) and " are " in i for i in q.items), q.items
    # two good pairs left under "Log stores": no question rather than a bad one
    assert not [q for q in matches if "Log stores" in q.prompt]


def test_a_table_row_whose_label_leans_on_context_is_not_asked(make_corpus) -> None:
    # "Newly created custom one": one what? the text above the table says, the question would not
    notes = make_corpus({"keys.md": (
        "# Keys\n\n## Key kinds compared\n\n"
        "| Key | Who rotates | Key policy | Cost |\n|---|---|---|---|\n"
        "| AWS owned key | AWS on its own schedule | Not visible to you | Free |\n"
        "| AWS managed key | AWS every year | Fixed by the service | Free storage |\n"
        "| Newly created custom one | You choose, yearly or on demand | You write it | Monthly fee |\n"
        "| Its imported twin | Only by hand with new material | You write it too | Monthly fee plus |\n"
        "| Multi-Region replica | Follows its primary | Its own copy | Monthly fee each |\n"
    )})
    tables = [q for q in quiz_bank_for(build_index([notes])).questions if q.kind is TABLE]
    assert tables
    for q in tables:
        for text in (q.prompt, *q.choices):
            assert "custom one" not in text and "imported twin" not in text, text


@pytest.mark.parametrize("style", sorted(STYLES))
def test_no_table_question_names_a_row_by_the_words_around_it(style: str) -> None:
    leaning = re.compile(r"^(?:it|its|this|that|these|those|they|their)\b|\bones?$", re.IGNORECASE)
    for q in bank_of(style).questions:
        if q.kind is not TABLE:
            continue
        named = re.findall(r"give for (.+?) under “|say about (.+?)\?$", q.prompt)
        rows = [n for found in named for n in found if n]
        if " has “" in q.prompt:
            rows += list(q.choices)
        assert not [r for r in rows if leaning.search(r.strip())], (q.prompt, q.choices)


def test_a_big_table_gives_a_question_a_row_up_to_a_few(guide: Bank) -> None:
    # a table states a row of facts per line: more questions than a paragraph, in proportion to its rows
    per_table = Counter((q.source, q.line_start) for q in guide.questions if q.kind is TABLE)
    assert max(per_table.values()) > MAX_PER_CHUNK
    assert max(per_table.values()) <= MAX_PER_TABLE


@pytest.mark.parametrize("style", sorted(STYLES))
def test_select_two_letters_are_in_as_many_choices_each(style: str) -> None:
    # "C" in three of four pairs would be one of the right two
    for q in bank_of(style).questions:
        if q.kind is QuestionKind.SELECT_TWO:
            counts = Counter(letter for c in q.choices for letter in c.split(" and "))
            assert len(set(counts.values())) == 1, q.choices


@pytest.mark.parametrize("style", sorted(STYLES))
def test_order_items_are_not_shown_in_the_right_order_started_anywhere(style: str) -> None:
    # "C. create, D. set, A. test, B. finish": read round from C, the right order is on screen
    for q in bank_of(style).questions:
        if q.kind is ORDER:
            letters = [item.split(". ", 1)[0] for item in q.items]
            right = q.answer.split(", ")
            start = letters.index(right[0])
            assert letters[start:] + letters[:start] != right, (q.items, q.answer)


def test_a_table_of_features_compares_its_columns(make_corpus) -> None:
    # | Feature | Security group | Network ACL |: "Subnet" is what an ACL applies to, not a "State"
    notes = make_corpus({"net.md": (
        "# Network\n\n## Filtering\n\n| Feature | Security group | Network ACL |\n|---|---|---|\n"
        "| Applies to | Network interface | Subnet |\n| State | Stateful | Stateless |\n"
        "| Rule types | Allow rules only | Allow and deny rules |\n"
        "| Rule order | All rules evaluated | Lowest number first |\n"
    )})
    questions = [q for q in quiz_bank_for(build_index([notes], fix_typos=False)).questions if q.kind is TABLE]
    assert questions
    for q in questions:
        assert "Security group" in q.prompt or "Network ACL" in q.prompt, q.prompt  # the compared things
        assert "“Feature”" not in q.prompt


def test_a_table_inside_a_bullet_with_an_empty_corner_compares_its_columns(make_corpus) -> None:
    # an outliner's table nested in a bullet, "| | SG | NACL |": SG and NACL are the things compared
    notes = make_corpus({"net.md": (
        "- ## Network ACLs (NACL)\n  - stateless: return traffic needs its own rule\n"
        "  - rules are evaluated in order of their number, lowest first\n"
        "  - 20 rules per direction per NACL by default\n  - one NACL per subnet, many subnets per NACL\n"
        "  - the default NACL allows all traffic in and out\n  - a new custom NACL denies everything\n"
        "  - SG vs NACL cheat table\n"
        "    - | | SG | NACL |\n      |---|---|---|\n      | level | ENI | subnet |\n"
        "      | state | stateful | stateless |\n      | rules | allow only | allow + deny |\n"
        "      | evaluation | all rules together | by number, first match |\n"
    )})
    questions = [q for q in quiz_bank_for(build_index([notes], fix_typos=False)).questions if q.kind is TABLE]
    assert questions
    for q in questions:  # never "which level has 'allow + deny' under 'subnet'?"
        assert not {"level", "state", "rules", "evaluation"} & {q.answer, *q.choices}, (q.prompt, q.choices)


def test_no_two_table_choices_are_one_cell_written_twice(guide: Bank) -> None:
    for q in guide.questions:
        if q.kind is TABLE:
            words = [set(re.findall(r"\w+", c.lower())) for c in q.choices]
            for a, b in itertools.combinations(words, 2):
                shared = len(a & b)
                assert shared < 2 or shared / min(len(a), len(b)) < 0.8, q.choices


@pytest.mark.parametrize("style", sorted(STYLES))
def test_no_order_has_a_step_pointing_back_at_the_one_before(style: str) -> None:
    # "this attaches an inline policy …": a result of the step before it, not a step of its own
    for q in bank_of(style).questions:
        if q.kind is ORDER:
            for item in q.items:
                assert not re.match(r"(?i)^[A-Z]\. (?:this|that|it|these|those|which)\b", item), q.items


def test_no_two_table_questions_have_the_same_answer_among_the_same_choices(guide: Bank) -> None:
    # two rows with the value "IAM user (or root)": asked once, not twice with the same four choices
    seen = Counter((q.answer, frozenset(q.choices)) for q in guide.questions if q.kind is TABLE)
    assert max(seen.values()) == 1, [k for k, n in seen.items() if n > 1]


def test_a_table_names_each_row_as_the_answer_once(guide: Bank) -> None:
    # "which policy type has 'Users, groups, roles' under 'Attached to'" and then "… 'Everyday permissions'
    # under 'Typical use'": Identity-based twice is one row asked again, and the first tells the second
    named = Counter(
        (q.source, q.prompt.split("”")[0], q.answer) for q in guide.questions
        if q.kind is TABLE and "which" in q.prompt.split("”")[1]
    )
    assert named and max(named.values()) == 1, [k for k, n in named.items() if n > 1]


@pytest.mark.parametrize("style", sorted(STYLES))
def test_order_items_are_not_shown_backwards_either(style: str) -> None:
    # "D, C, B, A" read off a screen that lists the steps in reverse
    for q in bank_of(style).questions:
        if q.kind is ORDER:
            letters = [item.split(". ", 1)[0] for item in q.items]
            right = q.answer.split(", ")[::-1]
            start = letters.index(right[0])
            assert letters[start:] + letters[:start] != right, (q.items, q.answer)


def test_a_cell_whose_first_word_differs_from_every_other_choice_is_not_the_answer(guide: Bank) -> None:
    # "No charge" among three "Charged per …": the odd one out
    for q in guide.questions:
        if q.kind is TABLE and "what does it give for" in q.prompt:
            leads = [re.findall(r"[A-Za-z0-9$]+", c)[0].lower() for c in q.choices]
            others = {lead for i, lead in enumerate(leads) if i != q.answer_index}
            assert len(others) > 1 or leads[q.answer_index] in others or len(q.choices) < 3, q.choices


def test_steps_after_a_lead_in_sentence_are_named_by_their_heading(make_corpus) -> None:
    # "(Encrypt only accepts up to 4 KB of plaintext. Anything bigger)" is no name for the steps
    notes = make_corpus({"kms.md": (
        "# KMS\n\n## Envelope encryption\n\n"
        "Encrypt only accepts up to 4 KB of plaintext. Anything bigger:\n\n"
        "1. GenerateDataKey returns a plaintext data key and the same key encrypted under the KMS key\n"
        "2. Encrypt the data locally with the plaintext data key\n"
        "3. Wipe the plaintext key from memory and store the encrypted data key next to the ciphertext\n"
        "4. To read it back, send the encrypted data key to Decrypt and decrypt the data locally\n"
    )})
    ordered = [q for q in quiz_bank_for(build_index([notes])).questions if q.kind is ORDER]
    assert ordered, "the steps are asked in order"  # the notes as written tell the list is numbered
    for q in ordered:
        assert "Anything bigger" not in q.prompt and "(Envelope encryption)" in q.prompt, q.prompt


def test_three_steps_give_no_order_question(make_corpus) -> None:
    # any arrangement of three steps on screen is the right order read round one way or the other
    notes = make_corpus({"rotate.md": (
        "# Secrets\n\n## Rotation steps\n1. Create the new version of the secret\n"
        "2. Set the new password in the database\n3. Test the new version before it becomes current\n"
    )})
    assert not [q for q in questions_of(notes) if q.kind is ORDER]


def test_a_two_column_table_shows_each_property_in_one_question_only(make_corpus) -> None:
    # "Feature | Security group | Network ACL": "which of these does the table say about Network ACL?",
    # but once a question has shown "State: Stateless…" as not the security group's, no other question
    # asks or offers State: in a table of two its revealed answer would settle it
    table_questions = _sg_nacl_questions(
        make_corpus, ("Can reference", "Other security groups and CIDRs", "CIDRs only")
    )
    about = [q for q in table_questions if q.prompt.startswith("Which of these does the notes' table")]
    assert about
    shown: dict[str, str] = {}
    for q in about:
        for choice in q.choices:
            prop = choice.split(": ", 1)[0]
            assert prop not in shown, (prop, shown[prop], q.prompt)
        shown.update({c.split(": ", 1)[0]: q.prompt for c in q.choices})


def test_a_table_asks_no_remarks_column_and_offers_no_row_that_shares_the_asked_value(make_corpus) -> None:
    # a "Notes" column holds remarks (true of other rows too); a row whose other cells say "cross-account"
    # is no wrong choice for "Cross-account access without assuming a role"; two "Yes…" rows: not asked
    table = (
        "| Policy type | Attached to | Grants permissions? | Typical use | Notes |\n|---|---|---|---|---|\n"
        "| Identity-based | Users, groups, roles | Yes | Everyday permissions | Most common |\n"
        "| Resource-based | Buckets, keys, queues | Yes (names a principal) | Cross-account access without "
        "assuming a role | Has a Principal element |\n"
        "| Access control list | Buckets and objects | Cross-account only | Legacy sharing of objects "
        "across accounts | Disabled by default |\n"
        "| Permissions boundary | A user or role | No | Safe delegation of IAM administration "
        "| Caps, never grants |\n"
        "| Session policy | An assumed-role session | No | Per-session scoping for brokers "
        "| Passed at sign-in |\n"
    )
    questions = table_questions(make_corpus, "IAM Policy Types", table, "iam.md", "Identity")
    assert questions
    for q in questions:
        assert "under “Notes”" not in q.prompt, q.prompt
        if "Cross-account access without assuming a role" in q.prompt:
            assert "Access control list" not in q.choices, q.choices
        assert "has “Yes” under" not in q.prompt, (q.prompt, q.choices)


def test_two_statements_under_one_label_are_not_the_pair_to_pick(make_corpus) -> None:
    # "Role chaining: …" twice among the items: the shared label picks the pair without knowing either
    notes = make_corpus({"identity.md": (
        "# Identity\n\n## AWS IAM\n- Permission boundaries cap what a role may be granted\n"
        "- Access Analyzer lists resources shared outside the account\n\n"
        "## AWS STS\n- Tokens last from fifteen minutes to twelve hours\n"
        "- Role chaining: source identity survives every hop\n"
        "- Role chaining: a chained session lasts at most one hour\n\n"
        "## Amazon Cognito\n- User pools sign users up and in with hosted pages\n"
        "- Identity pools swap a token for short AWS credentials\n\n"
        "## IAM Identity Center\n- Permission sets become roles in every assigned account\n"
        "- The access portal lists every account a user may open\n"
    )})
    for q in questions_of(notes):
        if q.kind is SELECT_TWO:
            labelled = [i for i in q.items if "Role chaining:" in i]
            assert len(labelled) < 2, q.items


@pytest.mark.parametrize("style", sorted(STYLES))
def test_a_caveat_among_numbered_steps_makes_no_order_question(style: str) -> None:
    # "4. AWS managed keys → impossible (can't edit policy)" closes the lecture's cross-account steps: a
    # warning, not a step, so the list is not a procedure to put in order
    for q in bank_of(style).questions:
        if q.kind is ORDER:
            assert not any(re.search(r"(?i)\bimpossible\b|can't|cannot", item) for item in q.items), q.items


def test_a_table_cell_naming_its_own_row_is_neither_answer_nor_wrong_choice(make_corpus) -> None:
    # "Default SG allows …" offered for the Network ACL rules itself out; as the answer for Security group
    # it repeats the prompt's subject
    questions = _sg_nacl_questions(
        make_corpus, ("Default", "Default SG allows all outbound traffic", "Default NACL allows everything")
    )
    assert questions
    for q in questions:
        assert not any("Default SG" in c or "Default NACL" in c for c in q.choices), (q.prompt, q.choices)



def test_an_optional_step_is_left_out_of_the_order_asked(make_corpus) -> None:
    # "Optionally add conditions to the trust policy" can come before or after its neighbours: the order
    # asked is the other steps', as the notes take them
    text = (
        "# Identity\n\n## Cross-account role access\n\nSteps:\n\n"
        "1. In Prod, create a role with a trust policy naming the Tooling account.\n"
        "2. Attach a permissions policy to the role with only what the job needs.\n"
        "3. Optionally add conditions to the trust policy, such as an external ID.\n"
        "4. In Tooling, allow the users to call sts:AssumeRole on the role ARN.\n"
        "5. Users assume the role and work with the temporary credentials it returns.\n"
    )

    def steps_asked(notes: str, name: str) -> list[str]:
        index = build_index([make_corpus({name: notes})])
        [order] = [q for q in generate_questions(index.chunks, raw_notes={name: notes}) if q.kind is ORDER]
        by_letter = {item[0]: item[3:] for item in order.items}
        return [by_letter[letter] for letter in order.answer.split(", ")]

    every = [line[3:] for line in text.splitlines() if line[:1].isdigit()]
    assert steps_asked(text, "iam.md") == [every[0], every[1], every[3], every[4]]
    # "If a vendor assumes the role, …": a branch, not a step every run takes in its place
    branch = text.replace("3. Optionally add", "3. If a vendor assumes the role, add")
    assert steps_asked(branch, "iam3.md") == [every[0], every[1], every[3], every[4]]
    # "To use it: …": a step of another procedure, whose place (last) its label gives away: the order ends
    plain = text.replace("3. Optionally add", "3. Add")
    other = plain.replace("5. Users assume", "5. To use it: users assume")
    added = "Add" + every[2][len("Optionally add") :]
    assert steps_asked(other, "iam4.md") == [every[0], every[1], added, every[3]]


def test_knowing_both_ends_of_a_procedure_does_not_settle_its_order() -> None:
    # createSecret first and finishSecret last: another choice must start and end the same way
    for n in (4, 5, 6):
        for seed in range(5):
            orders = wrong_orders(n, random.Random(seed), 3)
            assert any(o[0] == 0 and o[-1] == n - 1 for o in orders), (n, orders)


def table_questions(
    make_corpus, heading: str, table: str, note: str = "note.md", title: str = "Notes"
) -> list[QuizQuestion]:
    """The table questions of ``note`` holding one markdown ``table`` under ``# title`` › ``## heading``
    (which rows are asked depends on the question ids, so on all three names)."""
    notes = make_corpus({note: f"# {title}\n\n## {heading}\n\n{table}"})
    return [q for q in questions_of(notes) if q.kind is QuestionKind.TABLE]


def test_a_row_with_an_empty_cell_is_a_table_row_not_a_fact_with_a_stray_pipe(make_corpus) -> None:
    # "| EBS backups use IO … |   |": one cell empty; never "… a lot of traffic |" as a fact
    table = (
        "| EBS | EFS |\n|---|---|\n"
        "| can be attached to only one instance at a time | can be mounted to hundreds of instances |\n"
        "| locked at the AZ level | can share website media files |\n"
        "| EBS backups use IO and you should avoid them while the application is busy |   |\n"
        "| Root EBS volumes are deleted by default when the EC2 instance is terminated |   |\n"
    )
    notes = make_corpus({"storage.md": f"# Storage\n\n## EBS or EFS\n\n{table}\n## S3\n"
                         "- S3 stores objects in buckets\n- S3 Glacier archives objects for years\n"})
    found = questions_of(notes)
    for q in found:
        assert "|" not in q.prompt and not any("|" in c for c in q.choices), (q.prompt, q.choices)


def test_no_row_is_asked_for_what_its_cell_says_it_lacks(make_corpus) -> None:
    # "which option has “none” under “Request header”": SSE-S3, the default, needs no header either
    table = (
        "| Option | Who holds the key | Request header | Key use logged? | Notes |\n|---|---|---|---|---|\n"
        "| SSE-S3 | S3, AES-256 | x-amz-server-side-encryption: AES256 | No | Default |\n"
        "| SSE-KMS | KMS key (aws/s3 or customer managed) | x-amz-server-side-encryption: aws:kms "
        "| Yes, in CloudTrail | Bucket Keys cut cost |\n"
        "| DSSE-KMS | KMS key | x-amz-server-side-encryption: aws:kms:dsse | Yes | Two layers |\n"
        "| SSE-C | You, in every request | x-amz-server-side-encryption-customer-key | No | HTTPS only |\n"
        "| Client-side | You (e.g. S3 Encryption Client) | none | Your tooling | S3 sees ciphertext |\n"
    )
    notes = make_corpus({"s3.md": f"# S3\n\n## S3 encryption options\n\n{table}\n"})
    asked = [q for q in questions_of(notes) if q.kind is QuestionKind.TABLE]
    assert any("Who holds the key" in q.prompt for q in asked), [q.prompt for q in asked]
    assert not [q.prompt for q in asked if "“none”" in q.prompt]


def test_no_row_is_asked_by_a_cell_naming_other_rows_that_cannot_be_offered(make_corpus) -> None:
    # "OS-level events … on EKS, ECS and EC2" → Runtime Monitoring: EKS Protection and Malware Protection
    # for EC2 may have it too, so they are left out, and S3, Lambda and RDS Protection are then ruled out
    # by their names alone
    rows = [
        ("Foundational – CloudTrail management events", "API calls in the account"),
        ("Foundational – DNS logs", "DNS queries resolved by the Amazon-provided resolver"),
        ("S3 Protection", "CloudTrail S3 data events"),
        ("EKS Protection", "EKS audit logs"),
        ("Runtime Monitoring", "OS-level events from a security agent on EKS, ECS and EC2"),
        ("Malware Protection for EC2", "EBS volumes, scanned after a suspicious finding"),
        ("RDS Protection", "Login activity on Aurora databases"),
        ("Lambda Protection", "Network activity of Lambda functions"),
    ]
    table = "| Protection plan | What GuardDuty analyses |\n|---|---|\n" + "".join(
        f"| {plan} | {source} |\n" for plan, source in rows
    )
    from indexer.quiz.bank import candidates
    from indexer.quiz.matching import Matching

    notes = make_corpus({"guardduty.md": f"# Detection\n\n## Where findings come from\n\n{table}\n"})
    made = [c.question for c in candidates(Matching(build_index([notes]).chunks, None))]  # before the spread
    which = [q.prompt for q in made if q.kind is QuestionKind.TABLE and "which" in q.prompt.lower()]
    assert any("“API calls in the account”" in p for p in which), which
    assert not [p for p in which if "OS-level events" in p], which


def wrong_choices(asked: list[QuizQuestion], when) -> list[list[str]]:
    """The wrong choices of each question ``when`` holds for (there is one at least)."""
    assert asked
    return [[c for i, c in enumerate(q.choices) if i != q.answer_index] for q in asked if when(q)]


def _sg_nacl_questions(make_corpus, extra_row: tuple[str, str, str]) -> list[QuizQuestion]:
    """The table questions of a "Feature | Security group | Network ACL" comparison, with one more row."""
    rows = [
        ("Applies to", "Network interface", "Subnet"),
        ("State", "Stateful, return traffic allowed", "Stateless, return traffic needs a rule"),
        ("Rule types", "Allow rules only", "Allow and deny rules"),
        ("Evaluation", "All rules evaluated together", "Rules in number order, first match wins"),
        extra_row,
    ]
    table = "| Feature | Security group | Network ACL |\n|---|---|---|\n" + "".join(
        f"| {a} | {b} | {c} |\n" for a, b, c in rows
    )
    return table_questions(make_corpus, "Security groups and NACLs", table, "vpc.md", "Network")


def test_a_cell_much_like_the_asked_row_s_own_is_no_wrong_choice(make_corpus) -> None:
    # "Supported" and "Supported (for most services)": both true, only the wording differs
    questions = _sg_nacl_questions(
        make_corpus, ("Endpoint policies", "Supported", "Supported (for most services)")
    )
    assert questions
    for q in questions:
        wrong = [c for i, c in enumerate(q.choices) if i != q.answer_index]
        assert not any(c.startswith("Endpoint policies:") for c in wrong), (q.prompt, q.choices)


def test_cells_alike_are_a_value_and_its_qualified_form_never_its_negation() -> None:
    # "Supported (for most services)" repeats "Supported"; "Not supported" is its opposite, a fair choice
    assert _alike("Supported", "Supported (for most services)")
    assert _alike("Yes", "Yes (cross-account only)")
    assert not _alike("Supported", "Not supported")
    assert not _alike("Allow rules only", "Allow and deny rules")


def test_what_a_row_gives_offers_a_negation_but_not_a_rewording_of_the_answer(make_corpus) -> None:
    # asked for the row whose cell is "Supported": "Not supported" is a fair wrong choice, "Supported (for
    # most services)" is the answer again in other words
    table = (
        "| Service | Key rotation | Resource policy | Tier |\n|---|---|---|---|\n"
        "| KMS | Automatic yearly | Key policy | Regional |\n"
        "| Secrets Manager | Lambda rotation function | Supported (for most services) | Regional |\n"
        "| Parameter Store | No built-in rotation | Not supported | Standard or advanced |\n"
        "| CloudHSM | Manual, by the customer | Supported | Cluster |\n"
    )
    supported = {"Supported", "Supported (for most services)"}
    asked = [
        q for q in table_questions(make_corpus, "Where secrets live", table, "keys.md", "Keys")
        if q.choices[q.answer_index] in supported
    ]
    assert asked
    for q in asked:
        assert "Not supported" in q.choices, q.choices
        assert len(supported & set(q.choices)) == 1, q.choices


def test_named_steps_are_ordered_by_what_they_do_not_by_their_names(make_corpus) -> None:
    # createSecret, setSecret, testSecret, finishSecret: the names alone tell the order
    text = (
        "# Secrets\n\n## Secrets Manager\n\n### The four rotation steps\n\n"
        "1. createSecret — generate a new secret value and store it as the AWSPENDING version.\n"
        "2. setSecret — change the credential in the database so it matches the AWSPENDING value.\n"
        "3. testSecret — log in to the database with the AWSPENDING value to prove it works.\n"
        "4. finishSecret — move the AWSCURRENT label to the new version of the secret.\n"
    )
    index = build_index([make_corpus({"secrets.md": text})])
    questions = generate_questions(index.chunks, raw_notes={"secrets.md": text})
    orders = [q for q in questions if q.kind is ORDER]
    assert orders
    for q in orders:
        shown = " ".join(q.items)
        assert not re.search(r"(?i)(create|set|test|finish)Secret", shown), q.items
        assert "AWSPENDING" in shown  # what each step does is still there to order


def test_a_row_whose_name_the_asked_value_uses_is_no_wrong_choice(make_corpus) -> None:
    # "which key type has 'Symmetric operations'?": the "(symmetric)" rows have them too
    table = (
        "| Key type | Operations | Rotation |\n|---|---|---|\n"
        "| Symmetric encryption (default) | Encrypt, Decrypt, GenerateDataKey | Automatic, yearly |\n"
        "| Asymmetric RSA | Encrypt, Decrypt, Sign, Verify | Not supported |\n"
        "| Asymmetric ECC | Sign, Verify, DeriveSharedSecret | Not supported |\n"
        "| HMAC | GenerateMac, VerifyMac | Not supported |\n"
        "| Imported key material (symmetric) | Same as symmetric | Manual only |\n"
        "| Keys in a custom key store | Symmetric operations | Manual only |\n"
    )
    for q in table_questions(make_corpus, "KMS key specs", table, "kms.md", "Keys"):
        if "“Symmetric operations”" in q.prompt:
            wrong = [c for i, c in enumerate(q.choices) if i != q.answer_index]
            assert not any("ymmetric" in c and not c.startswith("Asym") for c in wrong), q.choices


def test_a_row_that_says_it_is_a_kind_of_another_is_no_wrong_choice_for_it(make_corpus) -> None:
    # "it's a resource policy on the role": a trust policy has what resource-based policies have
    table = (
        "| Policy | Attached to | Remember |\n|---|---|---|\n"
        "| Identity-based | user / group / role | managed or inline |\n"
        "| Resource-based | bucket, key, queue, secret | has a Principal element, can name other accounts |\n"
        "| Trust policy | role | it's a resource policy on the role |\n"
        "| Permissions boundary | user / role | ceiling for identity policies only |\n"
        "| Session policy | passed at AssumeRole | narrows one session |\n"
    )
    asked = table_questions(make_corpus, "Policy types", table, "iam.md", "Policies")
    about = [q for q in asked if "Resource-based" in (q.choices[q.answer_index], q.prompt)]
    assert about
    for q in about:
        assert "Trust policy" not in q.choices, q.prompt
    for q in asked:
        if "“Trust policy”" in q.prompt:
            assert "has a Principal element, can name other accounts" not in q.choices, q.choices


ORG_POLICIES = (
    "| Policy type | Attached to | Can deny | Example |\n|---|---|---|---|\n"
    "| Service control policy (SCP) | Root, OU or account | Yes | Deny leaving the organization |\n"
    "| Resource control policy (RCP) | Root, OU or account | Yes | Deny S3 access from outside principals |\n"
    "| Tag policy | Root, OU or account | No | CostCenter must come from a list |\n"
    "| Backup policy | Root, OU or account | No | Daily backups kept 35 days |\n"
    "| AI services opt-out policy | Root, OU or account | No | Opt out of content storage |\n"
    "| Chat applications policy | Root, OU or account | No | Allow only some Slack channels |\n"
    "| Declarative policy | Root, OU or account | No | Block public sharing of AMIs |\n"
    "| Security Hub policy | Root, OU or account | No | Turn on standards in every account |\n"
    "| Inspector policy | Root, OU or account | No | Scan every new ECR image |\n"
)


def test_a_table_question_offers_the_rows_most_like_the_answer_first(make_corpus) -> None:
    # "which policy type denies S3 access from outside principals?": the SCP, whose other cells match the
    # RCP's, is the rival a learner must rule out; a tag policy is ruled out by its kind
    notes = make_corpus({"org.md": (
        f"# Organizations\n\n## Organization policy types\n\n{ORG_POLICIES}\n## RCP and SCP\n"
        "- an RCP limits what resources allow; an SCP limits what principals do\n"
    )})
    asked = [q for q in questions_of(notes) if q.kind is QuestionKind.TABLE]
    rivals = {"Service control policy (SCP)": "Deny leaving the organization",
              "Resource control policy (RCP)": "Deny S3 access from outside principals"}
    about = [q for q in asked if q.choices[q.answer_index] in (*rivals, *rivals.values())]
    assert about
    for q in about:
        assert all(name in q.choices or example in q.choices for name, example in rivals.items()), q.choices


def test_a_table_of_many_services_offers_the_answer_s_family_first(make_corpus) -> None:
    # a study tracker listing every service: "no agents, never blocks anything itself" is GuardDuty's,
    # and S3 or Parameter Store beside it are ruled out on sight; Macie, Inspector and Security Hub are not
    notes = make_corpus({"tracker.md": (
        "# Study hub\n\n## Services tracker\n\n| Service | Key facts |\n|---|---|\n"
        "| S3 | Block Public Access on by default for new buckets since April 2023 |\n"
        "| Secrets Manager | rotation runs a Lambda function on a schedule |\n"
        "| GuardDuty | no agents for its foundational sources; never blocks anything itself |\n"
        "| Parameter Store | SecureString parameters are encrypted with a KMS key |\n"
        "| Macie | finds PII in S3 objects with managed data identifiers |\n"
        "| Inspector | scans EC2, ECR images and Lambda functions for CVEs |\n"
        "| Security Hub | normalises findings into ASFF; needs Config recording |\n"
        "| ACM | public certificates are free and renew themselves |\n"
    )})
    detection = {"GuardDuty", "Macie", "Inspector", "Security Hub"}
    asked = [q for q in questions_of(notes) if q.kind is QuestionKind.TABLE and q.answer in detection]
    assert asked, "a detection service's row is asked"
    for q in asked:
        assert set(q.choices) <= detection, q.choices


def test_a_row_not_offered_still_counts_when_a_value_must_be_one_row_s(make_corpus) -> None:
    # "DPPX", written once, reads as a possible typo, so its row is not offered; it still has "Yes" under
    # "Can deny", so "which policy type has Yes?" has two answers and is not asked
    table = ORG_POLICIES.replace("Resource control policy (RCP)", "Data perimeter policy (DPPX)")
    for q in table_questions(make_corpus, "Organization policy types", table, "org.md", "Organizations"):
        assert "DPPX" not in " ".join(q.choices), q.choices
        assert "“Yes”" not in q.prompt, (q.prompt, q.choices)


def test_one_column_is_not_asked_twice_among_the_same_choices(make_corpus) -> None:
    # "what does it give for AWS owned under cost" and "… for AWS managed under cost", both among "free",
    # "$1/month + API calls" and "API calls only": answering one settles the other
    table = (
        "| Key | Cost | Rotation | Key policy |\n|---|---|---|---|\n"
        "| AWS owned | free | up to the service | invisible |\n"
        "| AWS managed | API calls only | every year, fixed | read-only |\n"
        "| Customer managed | $1/month + API calls | optional, 90 to 2560 days | yours to edit |\n"
    )
    asked = table_questions(make_corpus, "KMS keys", table, "kms.md", "Keys")
    puzzles = [(q.prompt.rsplit("under", 1)[-1], frozenset(q.choices)) for q in asked]
    assert asked and len(puzzles) == len(set(puzzles)), [q.prompt for q in asked]


def test_a_loosely_worded_cell_offers_no_near_twin_of_its_row(make_corpus) -> None:
    # "Organization-wide guardrails" is the SCP's in the notes, and as true of the RCP, attached where it is
    table = (
        "| Policy type | Attached to | Grants permissions? | Typical use |\n|---|---|---|---|\n"
        "| Identity-based policy | Users, groups, roles | Yes | Everyday permissions |\n"
        "| Permissions boundary | A user or role | No, a maximum for identity policies | Safe delegation |\n"
        "| Service control policy (SCP) | Organization root, OU or account | No, a maximum for principals | "
        "Organization-wide guardrails |\n"
        "| Resource control policy (RCP) | Organization root, OU or account | No, a maximum for resources | "
        "Data perimeter for buckets and keys |\n"
        "| Session policy | Passed in an AssumeRole call | No, narrows the session | Per-session scoping |\n"
        "| Access control list (ACL) | S3 buckets and objects | Yes, cross-account only | Legacy access |\n"
    )
    from indexer.quiz.bank import candidates
    from indexer.quiz.matching import Matching

    notes = make_corpus({"iam.md": f"# Identity\n\n## IAM policy types\n\n{table}"})
    made = [c.question for c in candidates(Matching(build_index([notes]).chunks, None))]  # before the spread
    loose = [q for q in made if "“Organization-wide guardrails”" in q.prompt]
    assert loose
    for q in loose:
        assert "Resource control policy (RCP)" not in q.choices, q.choices


def test_a_cell_within_the_answer_is_no_wrong_choice_but_another_number_is(make_corpus) -> None:
    # identity policies attach to "Users, groups, roles": "A user or role" is true of them as well;
    # "99.9%" beside "99.99%" is a different value, a fair wrong choice
    table = (
        "| Policy type | Attached to | Availability of the API |\n|---|---|---|\n"
        "| Identity-based | Users, groups, roles | 99.99% |\n"
        "| Permissions boundary | A user or role | 99.9% |\n"
        "| Service control policy | Organization root, OU or account | 99.5% |\n"
        "| Session policy | Passed in an AssumeRole call | 99.95% |\n"
    )
    asked = table_questions(make_corpus, "IAM policy types", table, "iam.md", "Identity")
    assert asked
    for q in asked:
        answer = q.choices[q.answer_index]
        if answer == "Users, groups, roles":
            assert "A user or role" not in q.choices, q.choices
        if answer == "A user or role":
            assert "Users, groups, roles" not in q.choices, q.choices
        if answer.endswith("%"):
            assert sum(c.endswith("%") for c in q.choices) >= 3, q.choices


def test_a_bare_acronym_among_phrases_is_no_table_answer(make_corpus) -> None:
    # "ABAC" among "Deny plain HTTP on S3", "Require MFA for destructive actions"…: picked by its shape
    table = (
        "| Condition key | What it checks | Example use |\n|---|---|---|\n"
        "| aws:PrincipalTag/<key> | A tag on the calling principal | ABAC |\n"
        "| aws:SourceVpce | Request came through a given endpoint | Private-only bucket access |\n"
        "| aws:SecureTransport | Request used TLS | Deny plain HTTP on S3 |\n"
        "| aws:MultiFactorAuthPresent | Caller signed in with MFA | Require MFA for destructive actions |\n"
        "| aws:SourceIp | Public IP of the caller | Restrict console use to the office range |\n"
    )
    asked = table_questions(make_corpus, "Useful condition keys", table, "iam.md", "Identity")
    for wrong in wrong_choices(asked, lambda q: q.choices[q.answer_index] == "ABAC"):
        assert not all(len(c.split()) >= 2 for c in wrong), wrong


def test_a_short_name_among_sentences_is_no_table_answer(make_corpus) -> None:
    # "IP Range" among "Must be edited to add routes from subnets to the IGW…": picked by its shape
    table = (
        "| Component | Description |\n|---|---|\n"
        "| CIDR | IP Range |\n"
        "| Subnets | Tied to an AZ, we define a CIDR for each one of them |\n"
        "| Route Tables | Must be edited to add routes from subnets to the internet gateway |\n"
        "| NAT Gateway | Managed by AWS, gives private instances scalable internet access |\n"
    )
    asked = table_questions(make_corpus, "VPC summary", table, "vpc.md", "Networking")
    for wrong in wrong_choices(asked, lambda q: q.choices[q.answer_index] == "IP Range"):
        assert not all(len(c.split()) >= 6 for c in wrong), wrong


def test_a_row_whose_name_shows_its_own_cell_is_no_wrong_choice(make_corpus) -> None:
    # "which type has 'io1'?": "General Purpose (GP2 SSD)" says its API name is gp2, so it is not io1
    table = (
        "| Type | API name | Max IOPS |\n|---|---|---|\n"
        "| General Purpose (GP2 SSD) | gp2 | 16,000 |\n"
        "| Provisioned IOPS (SSD) | io1 | 64,000 |\n"
        "| Throughput Optimised HDD (ST1) | st1 | 500 |\n"
        "| Cold HDD | sc1 | 250 |\n"
        "| Magnetic | standard | 200 |\n"
    )
    asked = table_questions(make_corpus, "EBS volume types", table, "ebs.md", "Data protection")
    for wrong in wrong_choices(asked, lambda q: "which type has" in q.prompt and "“API name”" in q.prompt):
        assert not any("GP2" in c or "ST1" in c for c in wrong), wrong


def test_a_statement_is_a_wrong_choice_in_two_questions_at_most() -> None:
    # "If you need to scale horizontally, choose Memcached" offered in every other question is ruled out
    # on sight: the bank offers a statement as wrong twice at most
    from indexer.model import Chunk
    from indexer.quiz.question import new_question
    from indexer.quiz.spread import MAX_OFFERED, Candidate, select

    shared = "If you need to scale horizontally, choose Memcached"
    candidates = []
    for n in range(5):
        text = f"- fact {n}\n- more {n}\n- and {n}"
        chunk = Chunk(f"db{n}.md", 1, 3, f"Service {n}", text, (f"Service {n}",))
        question = new_question(
            QuestionKind.STATEMENT, f"q{n}", f"Which of these do the notes say about Service {n}?",
            f"Right statement number {n}", [shared, f"Other wrong line {n}", f"Third wrong line {n}"], chunk,
        )
        candidates.append(Candidate(question, frozenset({f"fact{n}"})))
    taken = select(candidates, {c.chunk_key: 3 for c in candidates})
    offering = [c for c in taken if shared in c.question.choices]
    assert len(offering) == MAX_OFFERED
    assert len(taken) == MAX_OFFERED  # the others have no other statement to offer in its place


def test_an_option_that_lists_the_answer_among_its_items_is_no_wrong_choice(make_corpus) -> None:
    # "Third-party authentication: LDAP, AD SAML, Open ID" holds SAML federation too
    notes = make_corpus({"iam.md": (
        "# Identity\n\n## Identity Federation\n"
        "- Federation lets users from outside AWS assume a temporary role to access AWS resources\n"
        "- Third-party authentication\n    - LDAP\n    - AD SAML\n    - Open ID\n"
        "- SAML Federation for Enterprises\n"
        "    - Integrates Active Directory and ADFS with AWS\n"
        "    - Provides access to the AWS console or CLI through temporary credentials\n"
        "- Custom Identity Broker Application\n"
        "    - Used when the identity provider is not compatible with SAML 2.0\n"
        "    - The broker must work out the right IAM policy for each user\n"
        "- Web Identity Federation\n"
        "    - Lets mobile app users sign in with Google, Facebook or Amazon\n"
        "    - Cognito is the recommended way for mobile apps\n"
    )})
    asked = [
        q for q in questions_of(notes)
        if q.prompt.startswith("Under “Identity Federation”")
        and q.choices[q.answer_index] == "SAML Federation for Enterprises"
    ]
    assert asked
    assert all("Third-party authentication" not in q.choices for q in asked), [q.choices for q in asked]


def test_a_footnote_mark_is_no_part_of_a_table_choice(make_corpus) -> None:
    # "S3 Intelligent-Tiering*", "S3 One Zone-IA†": the mark gives those rows a shape of their own
    table = (
        "| Storage class | Availability | Minimum storage duration |\n|---|---|---|\n"
        "| S3 Standard | 99.99% | None |\n"
        "| S3 Intelligent-Tiering* | 99.9% | 30 days |\n"
        "| S3 Standard-IA | 99.9% | 30 days |\n"
        "| S3 One Zone-IA† | 99.5% | 30 days |\n"
        "| S3 Glacier Deep Archive | 99.99% | 180 days |\n"
    )
    asked = table_questions(make_corpus, "S3 storage classes", table, "s3.md", "Data protection")
    assert asked
    for q in asked:
        assert not [c for c in (q.prompt, *q.choices) if re.search(r"[*†]", c)], (q.prompt, q.choices)


def test_a_placeholder_cell_is_neither_an_answer_nor_a_wrong_choice() -> None:
    # the lecture notes' S3 encryption table has "n/a" for SSE-S3's and client-side's header: it holds
    # nothing to learn or to rule out
    asked = [q for q in bank_of("lecture").questions if q.kind is QuestionKind.TABLE]
    assert asked
    for q in asked:
        assert not [c for c in (q.prompt, *q.choices) if re.search(r"(?i)\bn/a\b", c)], (q.prompt, q.choices)


def test_a_worth_knowing_column_is_remarks_too(make_corpus) -> None:
    # "Worth knowing": a duration in one row, a use in another, a property true of two rows
    table = (
        "| STS call | Typical caller | Worth knowing |\n|---|---|---|\n"
        "| `AssumeRole` | users, roles, services | 1 h default, up to the role's max |\n"
        "| `AssumeRoleWithSAML` | SAML 2.0 IdP users | behind console federation |\n"
        "| `AssumeRoleWithWebIdentity` | OIDC tokens (EKS pods, CI) | caller needs no AWS creds |\n"
        "| `GetSessionToken` | IAM user wanting MFA creds | 15 min to 36 h, default 12 h |\n"
    )
    questions = table_questions(make_corpus, "Roles and temporary credentials", table, "iam.md", "Identity")
    assert questions
    assert not any("Worth knowing" in q.prompt for q in questions), [q.prompt for q in questions]


def test_a_table_question_names_its_rows_kind_with_its_acronyms_in_capitals(make_corpus) -> None:
    # "| STS API | Who calls it |": "which STS API has …", never "which sts api has …"
    notes = make_corpus({"sts.md": (
        "# STS\n\n## Calls\n\n| STS API | Who calls it | Default session |\n|---|---|---|\n"
        "| AssumeRole | users, roles and services | 1 hour |\n"
        "| AssumeRoleWithSAML | users of a SAML 2.0 identity provider | 1 hour |\n"
        "| AssumeRoleWithWebIdentity | holders of an OIDC token from Cognito or GitHub | 1 hour |\n"
        "| GetSessionToken | an IAM user who wants MFA-protected calls | 12 hours |\n"
    )})
    bank = quiz_bank_for(build_index([notes], fix_typos=False))
    prompts = [q.prompt for q in bank.questions if q.kind is TABLE]
    assert any("which STS API has" in p for p in prompts), prompts
    assert not any("which sts api" in p for p in prompts), prompts


STUDY_TRACKER = (
    "| Service | Category | Key facts | Exam weight | Status | Owner |\n"
    "| --- | --- | --- | --- | --- | --- |\n"
    "| IAM | Identity | explicit deny beats any allow | High | Done | Priya |\n"
    "| AWS Artifact | Governance | self-service download of AWS compliance reports | Low | Not started |  |\n"
    "| KMS | Data protection | Encrypt takes at most 4 KB of plaintext | High | Done | Dan |\n"
    "| Macie | Data protection | finds PII in S3 buckets | Medium | Needs review | Sam |\n"
    "| GuardDuty | Threat detection | never blocks anything by itself | High | In progress | Tom |\n"
    "| Inspector | Threat detection | scans EC2, ECR images and Lambda for CVEs | Medium |  |  |\n"
)


def test_a_study_tracker_asks_the_facts_not_its_owners_or_status(make_corpus) -> None:
    # a Notion database of services: who owns a row, its status and its exam weight are the group's
    # bookkeeping, not AWS; rows with empty cells keep their columns ("| Not started |  |")
    asked = table_questions(make_corpus, "Services tracker", STUDY_TRACKER, "hub.md", "Security study hub")
    assert asked
    for q in asked:
        # "Category" too: where the group files a row, in a table it tracks its work in
        assert not re.search(r"Owner|Status|Exam weight|Category", q.prompt), q.prompt
        assert not {"Priya", "Dan", "Sam", "Tom", "Done", "Not started", "In progress"} & set(q.choices)
    assert any("“Key facts”" in q.prompt for q in asked)
    # the same columns in a table that tracks nothing: "Category" is what the notes say of the service
    plain = "\n".join(" | ".join(line.split(" | ")[:3]) + " |" for line in STUDY_TRACKER.splitlines()) + "\n"
    filed = table_questions(make_corpus, "Services", plain, "hub.md", "Hub")
    assert any("Category" in q.prompt for q in filed), [q.prompt for q in filed]
    by_row = {c.split(" | ")[0].strip("| "): c for c in STUDY_TRACKER.split("\n")[2:] if c}
    for q in asked:
        if "“Key facts”" in q.prompt and "which service" in q.prompt:
            stated = q.prompt.split("“")[2].split("”")[0]
            assert stated in by_row[q.answer], (q.prompt, q.answer)  # the right row, not its neighbour's


def test_a_company_standard_s_own_settings_are_not_asked_as_aws_facts(make_corpus) -> None:
    # "Value at the company": a choice the company made; the other rows' values are as possible in AWS
    table = (
        "| Setting | Value at the company | Set with |\n| --- | --- | --- |\n"
        "| Automatic rotation period | every 180 days | EnableKeyRotation |\n"
        "| Deletion waiting period | 30 days | ScheduleKeyDeletion |\n"
        "| Multi-Region keys | only for disaster recovery | ReplicateKey |\n"
        "| Imported key material | not allowed | ImportKeyMaterial |\n"
    )
    standard = "Security standard: KMS"
    asked = table_questions(make_corpus, "KMS key settings", table, "kms-standard.md", standard)
    assert not [q.prompt for q in asked if "company" in q.prompt], [q.prompt for q in asked]
    # the same column under a header that does not say it is the company's own is asked
    assert table_questions(make_corpus, "KMS key settings", table.replace("Value at the company", "Chosen"),
                           "kms-standard.md", standard)


def test_a_cell_or_line_marked_as_a_company_rule_is_not_asked(make_corpus) -> None:
    # "Rotate at 90 days at the latest (company policy).": the company's rule, not AWS's
    table = (
        "| Rule | Requirement |\n| --- | --- |\n"
        "| Number of access keys | One active key per user; IAM allows at most 2 per user |\n"
        "| Key age | Rotate at 90 days at the latest (company policy). |\n"
        "| Unused credentials | Deactivate after 45 days without use (our standard). |\n"
        "| Console access | MFA required for every IAM user with a password |\n"
    )
    asked = table_questions(make_corpus, "IAM users and access keys", table, "iam.md", "IAM guidelines")
    for q in asked:
        text = " ".join((q.prompt, *q.choices))
        assert "company policy" not in text and "our standard" not in text, text
    from indexer.quiz.notfacts import not_a_fact

    assert not_a_fact("Rotate access keys every 90 days (company policy).")
    assert not not_a_fact("An SCP is an organization policy that sets the most any account may do.")


def test_a_table_of_names_a_company_coined_asks_nothing_but_one_of_aws_names_is_asked(make_corpus) -> None:
    # "RegionLock", "DataPerimeter-S3-KMS": one company's guardrails, not names a learner of AWS should know
    table = (
        "| Guardrail | Type | Effect |\n| --- | --- | --- |\n"
        "| RegionLock | SCP | Denies every action outside two Regions |\n"
        "| ProtectSecurityServices | SCP | Denies stopping CloudTrail or disabling GuardDuty |\n"
        "| DataPerimeter-S3-KMS | RCP | Denies S3 and KMS access from outside the organization |\n"
        "| TagGuard | Tag policy | Requires a cost-center tag on every new resource |\n"
    )
    assert not table_questions(make_corpus, "Organization guardrails", table, "guardrails.md", "Guidelines")
    # the same table of AWS's own API names is asked
    aws = table.replace("RegionLock", "CreateGrant").replace("ProtectSecurityServices", "GenerateDataKey")
    aws = aws.replace("DataPerimeter-S3-KMS", "ScheduleKeyDeletion").replace("TagGuard", "EnableKeyRotation")
    assert table_questions(make_corpus, "Organization guardrails", aws, "guardrails.md", "Guidelines")


def test_a_line_on_how_to_go_about_an_exam_question_is_not_asked(make_corpus) -> None:
    notes = make_corpus({"iam.md": (
        "# Identity\n\n## AWS IAM\n\n**Limits**\n\n"
        "- Inline policies, total per identity: user 2,048 characters, group 5,120, role 10,240.\n"
        "- Access keys per user: 2, so a key can be rotated without downtime.\n"
        "- MFA devices: up to 8 per user or root user.\n"
        "- Cross-account question → check both sides (resource policy and identity policy).\n"
        "- Managed policies per role: 10 by default, can be raised to 20.\n"
    )})
    for q in questions_of(notes):
        assert "check both sides" not in " ".join((*q.shown_lines(), *q.choices)), q.prompt


def test_a_made_up_example_value_is_neither_answer_nor_choice(make_corpus) -> None:
    # "alias/app-prod" is one team's name for its key, not a fact of AWS; AWS's own aliases are
    table = (
        "| Type | Example | Rotation |\n| --- | --- | --- |\n"
        "| Customer managed | alias/app-prod | optional, yearly or on demand |\n"
        "| AWS managed | aws/s3, aws/ebs | automatic every year, can't change |\n"
        "| AWS owned | inside some services | AWS decides |\n"
        "| Imported material | arn:aws:kms:eu-west-1:123456789012:key/demo | manual only, new key |\n"
    )
    asked = table_questions(make_corpus, "KMS key types", table, "kms.md", "Encryption")
    assert asked, "the rotation column is still asked"
    for q in asked:
        text = " ".join((q.prompt, *q.choices))
        assert "app-prod" not in text and "123456789012" not in text, text
