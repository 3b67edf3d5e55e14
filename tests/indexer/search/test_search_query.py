"""Tokenizer, BM25, query processing and the answers a study group sees."""

from __future__ import annotations

import math

import pytest
from conftest import REPO
from rank_bm25 import BM25Okapi

from indexer.build import build_index, load_index, save_index
from indexer.search.bm25 import LuceneBM25
from indexer.search.index import SearchTuning
from indexer.search.query import search
from indexer.search.sections import asked_sections, section_kinds
from indexer.search.tokenize import Tokenizer, TokenizerSettings


@pytest.fixture(scope="module")
def tok() -> Tokenizer:
    return Tokenizer(TokenizerSettings.default())


def test_stopwords_go_and_inflections_meet(tok: Tokenizer) -> None:
    assert tok.terms("What is the encryption?") == tok.terms("encrypted")
    assert "the" not in tok.words("the key of the bucket")


@pytest.mark.parametrize("word", ["kinesis", "aws", "ebs", "dynamodb", "cloudhsm", "s3", "sse", "analytics"])
def test_aws_names_and_acronyms_are_not_stemmed(tok: Tokenizer, word: str) -> None:
    assert tok.terms(word) == [word]


def test_hyphenated_acronyms_join_however_spaced(tok: Tokenizer) -> None:
    assert "ssec" in tok.terms("SSE-C")
    assert "ssec" in tok.terms("SSE - C")
    assert "sses3" in tok.terms("sse-s3")
    assert "serverside" not in tok.terms("server-side")


def test_lucene_idf_stays_positive_where_okapi_goes_negative() -> None:
    docs = [["kms", "key"], ["kms", "policy"], ["kms", "grant"]]
    okapi = BM25Okapi(docs)
    lucene = LuceneBM25(docs)
    assert okapi.idf["kms"] <= 0 < lucene.idf["kms"]
    assert lucene.idf["grant"] == pytest.approx(math.log(1 + (3 - 1 + 0.5) / (1 + 0.5)))


def test_posting_list_scores_equal_rank_bm25_scores() -> None:
    docs = [["kms", "key", "key", "rotat"], ["s3", "bucket", "polici"], ["kms", "polici", "grant", "key"], []]
    bm25 = LuceneBM25(docs)
    query = ["kms", "key", "polici", "unknown"]
    expected = BM25Okapi.get_scores(bm25, query)
    got = bm25.weighted_scores({t: 1.0 for t in query})
    assert got == pytest.approx(expected)


def test_sse_c_question_cites_the_sse_c_lines(corpus_index) -> None:
    answer = search(corpus_index, "How does SSE-C work?")
    top = answer.hits[0]
    assert (top.source, top.line_start, top.line_end) == ("security-by-service.md", 17, 22)
    assert top.heading.endswith("SSE - C")


@pytest.mark.parametrize(
    ("question", "expected_source", "line"),
    [
        ("kenisis encrption", "security-by-service.md", 59),
        ("secrets manger rotation", "encryption-and-threat-protection.md", 147),
        ("Can GuardDuty detect crypto mining?", "encryption-and-threat-protection.md", 236),
    ],
)
def test_typos_and_joined_words_in_questions_still_find_the_answer(
    corpus_index, question: str, expected_source: str, line: int
) -> None:
    hits = search(corpus_index, question).hits
    assert any(h.source == expected_source and h.line_start <= line <= h.line_end for h in hits[:3])


@pytest.mark.parametrize(
    "question",
    ["What is the capital of France?", "What is the weather in Paris tomorrow?", "best pizza in new york"],
)
def test_questions_the_notes_cannot_answer_get_no_hits(corpus_index, question: str) -> None:
    answer = search(corpus_index, question)
    assert answer.hits == ()
    assert answer.note


@pytest.mark.parametrize("question", ["", "   ", "the of and"])
def test_empty_questions_get_no_hits_and_a_reason(corpus_index, question: str) -> None:
    answer = search(corpus_index, question)
    assert answer.hits == () and answer.note


def test_huge_question_is_answered_without_error(corpus_index) -> None:
    answer = search(corpus_index, "kms key rotation " * 2000)
    assert answer.hits


def test_k_limits_the_hits(corpus_index) -> None:
    assert len(search(corpus_index, "kms encryption keys", k=1).hits) == 1
    assert len(search(corpus_index, "kms encryption keys", k=5).hits) <= 5


@pytest.fixture
def acronym_index(make_corpus):
    root = make_corpus(
        {
            "keys.md": "### Keys\n- the CMK can be rotated yearly\n",
            "hsm.md": "### Hardware\n- a hardware security module keeps keys tamper resistant\n",
            "tokens.md": "### Tokens\n- STS hands out temporary credentials\n",
            "other.md": "### Buckets\n- bucket policies protect objects\n- EBS volumes are encrypted\n",
        }
    )
    return build_index([root])


@pytest.mark.parametrize(
    ("question", "source"),
    [
        ("rotate the customer master key", "keys.md"),
        ("what does an HSM do", "hsm.md"),
        ("security token service credentials", "tokens.md"),
    ],
)
def test_acronyms_and_expansions_find_each_other(acronym_index, question: str, source: str) -> None:
    assert search(acronym_index, question).hits[0].source == source


def test_acronyms_are_never_fuzzed(acronym_index) -> None:
    assert search(acronym_index, "EBX").hits == ()
    assert search(acronym_index, "EBS").hits[0].source == "other.md"


def test_hits_are_best_first_with_scores(corpus_index) -> None:
    hits = search(corpus_index, "kms key policy cross account").hits
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_terms_added_only_to_be_found_do_not_lengthen_a_document() -> None:
    plain = LuceneBM25([["kms", "key"], ["s3", "bucket"]])
    with_extras = LuceneBM25([["kms", "key", "kmz", "kye"], ["s3", "bucket"]], lengths=[2, 2])
    assert with_extras.weighted_scores({"kms": 1.0}) == pytest.approx(plain.weighted_scores({"kms": 1.0}))
    assert with_extras.weighted_scores({"kye": 1.0})[0] > 0


def test_a_fixed_typo_is_findable_by_its_original_spelling_too(make_corpus) -> None:
    from indexer.search.index import SearchIndex

    index = build_index([make_corpus({"a.md": "### Keys\n- rotate the kms key\n"})])
    extended = SearchIndex(
        index.chunks, index.chunk_terms, index.settings, index.vocabulary, extra_terms=[["kye"]]
    )
    assert search(extended, "kye rotate").hits[0].source == "a.md"


@pytest.mark.parametrize("question", ["what is the meaning of life", "what is the price of a new car"])
def test_common_english_words_are_not_read_as_typos_of_note_words(corpus_index, question: str) -> None:
    assert search(corpus_index, question).hits == ()


def test_real_words_are_not_fuzzed_into_other_words(corpus_index) -> None:
    from indexer.search.query import analyze_question

    terms, _ = analyze_question(corpus_index, "How long can STS credentials last?")
    assert {t.word for t in terms if t.how == "fuzzy"} == set()
    assert {t.term for t in terms if t.how == "exact"} >= {"sts"}


def test_a_word_cut_short_is_completed_from_the_notes(make_corpus) -> None:
    index = build_index([make_corpus({"d.md": "### DynamoDB\n- encrypt DynamoDB tables with KMS\n",
                                      "s.md": "### S3\n- buckets and objects\n"})])
    hits = search(index, "hw do i encrpyt dynamo tables").hits
    assert hits and hits[0].source == "d.md"


def test_a_wordy_question_is_judged_by_its_telling_words(corpus_index) -> None:
    hits = search(corpus_index, "is there a way to stop someone from deleting glacier archives").hits
    assert any(h.line_start <= 96 <= h.line_end for h in hits)


def test_a_common_word_is_not_cut_into_fragments_of_note_words(make_corpus) -> None:
    # "accident" is not "acc" + "ident"; "username" is "user" + "name"
    index = build_index([make_corpus({
        "a.md": "### Accounts\n- acc ident codes for the console\n",
        "s.md": "### Secrets\n- a deleted secret can be restored in its recovery window\n"
                "- the user name of a database secret\n",
    })], fix_typos=False)
    from indexer.search.query import analyze_question

    terms, _ = analyze_question(index, "I deleted a secret by accident, can I get it back?")
    assert {t.how for t in terms if t.word == "accident"} == set()
    assert search(index, "I deleted a secret by accident, can I get it back?").hits[0].source == "s.md"
    split, _ = analyze_question(index, "where is the username of the secret")
    assert {t.term for t in split if t.how == "split"} == {"user", "name"}


def test_a_ring_word_the_question_writes_counts_once_as_written(make_corpus) -> None:
    # "costs" asked: a chunk saying "cost" matches it as written, not again as a lighter ring word
    index = build_index([make_corpus({"a.md": "### Billing\n- the cost of ACM private CA\n"})])
    from indexer.search.query import analyze_question

    terms, _ = analyze_question(index, "what costs does ACM private CA have")
    assert [t.how for t in terms if t.term == "cost"] == ["exact"]


def test_a_number_the_notes_never_write_is_not_read_as_a_typo_of_one_they_do(make_corpus) -> None:
    notes = "### WAF\n- a web ACL has a default of 100 rules\n- a web ACL can use up to 5000 WCU\n"
    index = build_index([make_corpus({"w.md": notes})])
    from indexer.search.query import analyze_question

    terms, _ = analyze_question(index, "what happens above 1500 WCU in a web ACL")
    assert {t.term for t in terms} >= {"wcu", "acl"}
    assert not {t.term for t in terms} & {"100", "5000"}


def test_a_real_english_word_is_at_most_one_slip_from_the_note_word_it_is_read_as(make_corpus) -> None:
    # "offside" is not a typo of "outside" (two letters apart); "manger" is one of "manager"
    notes = "### VPC\n- traffic from outside the VPC enters through the internet gateway\n"
    notes += "### Secrets\n- Secrets Manager rotates database passwords\n"
    index = build_index([make_corpus({"v.md": notes})], fix_typos=False)
    from indexer.search.query import analyze_question

    offside, _ = analyze_question(index, "what is the offside rule")
    assert "outsid" not in {t.term for t in offside}
    manger, _ = analyze_question(index, "how does secrets manger rotate passwords")
    assert ("manag", "fuzzy") in {(t.term, t.how) for t in manger}


@pytest.mark.parametrize("typed", ["what's", "whats", "cant", "dont", "isnt", "it's"])
def test_contractions_typed_with_or_without_the_apostrophe_are_stopwords(tok: Tokenizer, typed: str) -> None:
    assert tok.words(f"{typed} KMS") == ["kms"]


def test_a_possessive_of_an_aws_name_is_the_name(tok: Tokenizer) -> None:
    assert tok.terms("S3's buckets and AWS's keys") == tok.terms("S3 buckets and AWS keys")


def test_an_acronym_s_plural_is_the_acronym_and_a_name_ending_in_s_stays_whole(tok: Tokenizer) -> None:
    # "how many SCPs can an OU have" must find "max 5 SCP attached to any one OU"
    assert tok.terms("SCPs on OUs, VPCs and CMKs") == tok.terms("SCP on OU, VPC and CMK")
    assert tok.terms("KMS SQS EBS") == ["kms", "sqs", "ebs"]


def test_a_question_asking_for_a_limit_a_price_or_a_catch_finds_that_section() -> None:
    # "biggest plaintext I can send straight to KMS Encrypt": the handbook's "2.1 AWS KMS › Limits" line
    # ("4 KB of data per Encrypt call") says it in words the question does not use
    handbook = REPO / "tests" / "fixtures" / "notes" / "handbook"
    question = "biggest plaintext I can send straight to KMS Encrypt"
    top = search(build_index([handbook]), question).hits[0]
    assert top.heading.endswith("AWS KMS › Limits"), top.heading
    flat = build_index([handbook], tuning=SearchTuning(section_weight=0))  # ranked without the lift
    assert not search(flat, question).hits[0].heading.endswith("Limits")
    # "does guardduty cost extra for s3 protection": "… plus each protection plan", under its "Pricing"
    priced = "does guardduty cost extra for s3 protection"
    assert search(build_index([handbook]), priced).hits[0].heading.endswith("Amazon GuardDuty › Pricing")
    assert not search(flat, priced).hits[0].heading.endswith("Pricing")
    # "… but the attacker's session is still open, why?": the security groups' "Gotchas" say why
    surprised = (
        "I swapped the instance's security group to an empty one but the attacker's session is still "
        "open, why?"
    )
    assert search(build_index([handbook]), surprised).hits[0].heading.endswith("Security groups › Gotchas")
    assert not search(flat, surprised).hits[0].heading.endswith("Gotchas")
    asked = lambda q: {k.name for k in asked_sections(q)}  # noqa: E731
    assert asked("how many SCPs per OU?") == asked("max expiry of a presigned URL") == {"limits"}
    assert asked("do public certs cost anything?") == {"pricing"}
    assert not asked("how does envelope encryption work?")
    assert section_kinds(("AWS CloudHSM quotas", "Service quotas")) == {"limits"}
    assert section_kinds(("ACM", "Pricing")) == {"pricing"} and not section_kinds(("KMS", "Grants"))
    assert asked("what's the catch?") == {"caveats"}
    assert section_kinds(("S3", "Common pitfalls")) == {"caveats"}


def test_a_question_put_in_the_negative_finds_the_line_stating_the_negative(make_corpus, tmp_path) -> None:
    notes = (
        "## VPC Flow Logs\n"
        "- VPC flow logs capture the IP traffic of network interfaces in your VPC\n"
        "### Limits\n"
        "- flow logs do not capture traffic to the Amazon DNS resolver\n"
    )
    folder = make_corpus({"vpc.md": notes})
    negative = "what traffic do VPC flow logs not capture"
    index = build_index([folder], fix_typos=False)
    assert search(index, negative).hits[0].heading.endswith("Limits")
    save_index(index, tmp_path / "index.json.gz")  # the index file keeps which chunks state a negative
    assert search(load_index(tmp_path / "index.json.gz"), negative).hits[0].heading.endswith("Limits")
    # the same notes ranked without the lift answer with what flow logs do capture
    flat = build_index([folder], fix_typos=False, tuning=SearchTuning(negative_weight=0))
    assert search(flat, negative).hits[0].heading == "VPC Flow Logs"
    # and the question asked plainly still gets what they capture
    plain = search(build_index([folder], fix_typos=False), "what traffic do VPC flow logs capture")
    assert plain.hits[0].heading == "VPC Flow Logs"


class CountingVocabulary(dict):
    """The notes' vocabulary, counting how often a question's analysis looks a word up in it."""

    lookups = 0

    def __contains__(self, word: object) -> bool:
        self.lookups += 1
        return super().__contains__(word)


@pytest.mark.parametrize("size", [2_000, 200_000])
def test_a_long_one_word_question_is_looked_up_a_bounded_number_of_times(make_corpus, size: int) -> None:
    index = build_index([make_corpus({"a.md": "### Guard duty\n- guard duty findings and macie alerts\n"})],
                        fix_typos=False)
    longest = max(len(w) for w in index.vocabulary)
    index.vocabulary = CountingVocabulary(index.vocabulary)
    answer = search(index, "x" * size)
    assert answer.hits == ()
    # splitting a word into two of the notes' words only tries halves no longer than the notes' words
    assert index.vocabulary.lookups <= 2 * longest + 10


def test_tokens_too_long_to_be_words_are_kept_as_they_are_without_stemming(tok: Tokenizer) -> None:
    class RecordingStemmer:
        def __init__(self, stemmer) -> None:
            self.stemmer, self.longest = stemmer, 0

        def stemWord(self, word: str) -> str:  # noqa: N802 - snowballstemmer's name
            self.longest = max(self.longest, len(word))
            return self.stemmer.stemWord(word)

    fresh = Tokenizer(tok.settings)
    fresh._stemmer = recorder = RecordingStemmer(fresh._stemmer)
    blob = "y" * 200_000  # the Snowball stemmer's time grows with the square of this length
    assert fresh.stem(blob) == blob
    assert fresh.stem("rotations") == "rotat"
    assert recorder.longest == len("rotations")


@pytest.mark.parametrize(
    "question",
    ["kms key rotation " * 12_000, "guardduty" + "y" * 200_000, "sse-c " * 30_000],
    ids=["many-words", "one-long-word", "many-compounds"],
)
def test_long_questions_are_answered_like_short_ones(corpus_index, question: str) -> None:
    answer = search(corpus_index, question)
    assert answer.query == question
    if question.startswith(("kms", "sse")):
        assert answer.hits == search(corpus_index, question[:200]).hits


def test_bm25f_sums_each_fields_normalised_frequency_before_saturating() -> None:
    from indexer.search.bm25 import FieldedBM25

    body = [["kms", "key", "key"], ["s3", "bucket"], ["kms", "grant", "policy", "key"]]
    title = [["kms"], [], ["grant"]]
    typos = [[], ["kye"], []]
    weights, field_b, k1 = {"body": 1.0, "title": 2.5}, {"body": 0.5, "title": 0.5}, 1.2
    bm25 = FieldedBM25({"body": body, "title": title}, weights, field_b, k1=k1, unweighted=typos)

    def expected(term: str, doc: int) -> float:
        tf = 0.0
        for name, field in (("body", body), ("title", title)):
            average = sum(map(len, field)) / len(field)
            norm = 1 - field_b[name] + field_b[name] * len(field[doc]) / average
            tf += weights[name] * field[doc].count(term) / norm
        if term in typos[doc]:
            tf = max(tf, 1.0)
        n = sum(1 for d in range(3) if term in body[d] + title[d] + typos[d])
        idf = math.log(1 + (3 - n + 0.5) / (n + 0.5))
        return idf * tf * (k1 + 1) / (tf + k1) if tf else 0.0

    for term in ("kms", "key", "grant", "kye", "bucket"):
        scores = bm25.weighted_scores({term: 1.0})
        assert scores == pytest.approx([expected(term, d) for d in range(3)]), term


def test_a_number_and_its_unit_match_however_they_are_spaced(make_corpus) -> None:
    root = make_corpus(
        {"kms.md": "# KMS\n- Encrypt takes 4 KB at most\n\n# Keys\n- RSA keys of 4096 bits, rotated yearly\n"}
    )
    index = build_index([root], fix_typos=False)
    assert [h.line_start for h in search(index, "4kb").hits] == [2]


def test_interchangeable_words_score_their_best_member_once() -> None:
    # a page saying both "price" and "charge" is not twice as much about cost as one saying "charge"
    docs = [["acm", "price", "charg"], ["acm", "charg", "renew"], ["acm", "renew", "dns"]]
    bm25 = LuceneBM25(docs)
    scores = bm25.weighted_scores({"acm": 1.0}, [(0.4, ["price", "charg"])])
    alone = {t: bm25.weighted_scores({"acm": 1.0, t: 0.4}) for t in ("price", "charg")}
    assert scores[0] == pytest.approx(max(alone["price"][0], alone["charg"][0]))
    assert scores[1] == pytest.approx(alone["charg"][1])
    assert scores[2] == pytest.approx(bm25.weighted_scores({"acm": 1.0})[2])


def test_a_question_in_its_own_words_finds_the_section_in_the_notes_words(make_corpus) -> None:
    # "does it cost anything" finds "Pricing"; "recover" finds "restore"; "block" finds "prevent"
    notes = make_corpus({"svc.md": (
        "# Services\n\n## ACM\n\n### Renewal\n"
        "- ACM public certificates renew automatically; certificates need DNS validation in place\n\n"
        "### Pricing\n- ACM public certificates: no charge; private CA certificates are billed\n\n"
        "## Secrets Manager\n\n### Deletion\n"
        "- Deleting a secret waits a window of 7 to 30 days\n\n"
        "### Undo\n- A deleted secret in its window can be restored\n\n"
        "## AWS Config\n\n### Rules\n- Config rules evaluate changes to resources and report changes\n\n"
        "### Limits\n- Config does not prevent changes; prevention is an SCP\n"
    )})
    index = build_index([notes])
    top = {q: search(index, q).hits[0].text for q in (
        "do ACM public certificates cost anything?",
        "how do I recover a deleted secret?",
        "does config block changes?",
    )}
    assert "no charge" in top["do ACM public certificates cost anything?"]
    assert "restored" in top["how do I recover a deleted secret?"]
    assert "prevent" in top["does config block changes?"]


def test_a_note_about_the_topic_outranks_a_passing_mention_in_another(make_corpus) -> None:
    # three lectures: the KMS lecture's rotation section answers "how often does KMS rotate", not the
    # logging lecture's line that happens to say "KMS key rotation"
    notes = make_corpus({
        "kms.md": "# Lecture 2: KMS\n\n## Keys\n- KMS keys never leave the HSMs in plaintext\n"
        "- A KMS key policy decides who may use the key\n\n## Rotation\n"
        "- Automatic rotation makes new backing material yearly\n\n## Grants\n"
        "- KMS grants give temporary use of a key\n",
        "logs.md": "# Lecture 3: Logging\n\n## CloudTrail\n"
        "- Every KMS key rotation is logged as a RotateKey event\n"
        "- Trails deliver log files to S3 within minutes\n\n"
        "## Config\n- Config records configuration changes\n",
        "iam.md": "# Lecture 1: IAM\n\n## Users\n- Access keys should be rotated every 90 days\n"
        "- MFA protects the root user\n",
    })
    hits = search(build_index([notes]), "how often does kms rotation happen for a key", k=3).hits
    headings = [h.heading for h in hits]
    assert "Lecture 2: KMS › Rotation" in headings
    assert headings.index("Lecture 2: KMS › Rotation") < headings.index("Lecture 3: Logging › CloudTrail")


def test_two_neighbouring_chunks_that_both_answer_are_cited_as_one_passage(make_corpus) -> None:
    # a long page split in paragraphs: "7 to 30 days" and "cancel during the waiting period" answer
    # together, under one heading; the next heading's paragraphs are never joined to them
    paragraphs = [
        "Deleting a KMS key is destructive and cannot be undone.",
        "You schedule deletion with a waiting period.",
        "The waiting period is 7 to 30 days and 30 days by default.",
        "During the waiting period the key state is Pending deletion.",
        "You can cancel deletion at any time during the waiting period.",
        "A key pending deletion cannot be used in cryptographic operations.",
        "CloudTrail records the DeleteKey event when the waiting period ends.",
        "Multi-Region primary keys wait until their replicas are deleted.",
    ]
    other = ["Disabled keys can be enabled again later.", "A disabled key has no waiting period."]
    text = "# Deleting AWS KMS keys\n\n" + "\n\n".join(paragraphs)
    text += "\n\n## Disabling keys\n\n" + "\n\n".join(other)
    notes = make_corpus({"deleting-keys.md": text + "\n"})
    index = build_index([notes])
    assert len([c for c in index.chunks if c.heading == "Deleting AWS KMS keys"]) >= 2
    top = search(index, "how long is the waiting period before a kms key is deleted", k=3).hits[0]
    assert "7 to 30 days" in top.text and "cancel deletion" in top.text, top
    assert top.line_end - top.line_start + 1 <= 20
    assert "Disabled keys" not in top.text
