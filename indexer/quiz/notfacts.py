"""Lines of notes that are not facts to ask: exam-guide codes, keyword → answer tips, memory aids,
questions the notes ask themselves, lead-ins that only announce what follows, examples, and commands or
addresses to type."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from indexer.quiz.question import strip_symbols
from indexer.quiz.terms import terms_in
from indexer.spelling.counts import shipped_terms

_CODE_LINE = re.compile(r"^[A-Z][a-z]+\s+\d+(?:\.\d+)+\s*[:.\u2014\u2013-]")
"""``Task 5.1: …``, ``Skill 1.3.1 — …``: what an exam guide covers, not a fact."""
_TIP_LINE = re.compile(r"^[\"“‘'].{4,}?[\"”’']\s*[?.!]?\s*(?:→|->|=>|⇒|:|(?:points?|leads?)\s+to\b|means\b)")
"""``"Detect crypto mining on EC2" → GuardDuty``, ``"Cheapest place for config" points to …``: a
keyword-to-answer line, not a fact."""
_EXAM_CUE = re.compile(
    r"(?i)^\W*(?:[\w/-]+\s+){0,4}?(?:exam\s+)?(?:questions?|scenarios?|keywords?|clues?)\s*(?:→|->|=>|⇒)"
)
"""``Cross-account question → check both sides``: how to go about an exam question, not a fact of AWS."""
_ABOUT_THE_EXAM = re.compile(
    r"(?i)^\W*(?:the\s+|this\s+|an?\s+)?(?:[\w-]+\s+)?exams?\b(?!\s*(?:tips?|cues?)\b)"
)
"""``The exam wording is precise here.``, ``The SCS exam loves this one``: what the exam does, not AWS."""
_MEMORY_AID = re.compile(
    r"^[^\w]*(?:[A-Z][a-z]+[’']s\s+|my\s+|our\s+)?"
    r"(?:memory\s+(?:tricks?|aids?|hooks?)|mnemonics?|remember|(?:exam\s+|pro\s+|quick\s+)?tips?)"
    r"[^\w]*(?:[:\u2014\u2013]|\s-\s|$)",
    re.IGNORECASE,
)
"""``Memory trick: …``, ``💡 **Tip:** …``, ``Remember — …``, ``Ana's tip: …``: a memory aid or someone's
advice (or a label of them), not a fact."""
KEYWORD_WORDS = 5
"""The cue of a keyword → answer line is this short."""
_ASKED = re.compile(r"(?i)^(?:(?:q|a)\s*\d*\s*:|(?:question|answer)\s*\d*\s*[:.)])|\?\W*$")
"""``Question: How will this be tested?``, ``A: scenario questions``, ``How long should the URL be valid
for ?``: the notes' own self-test, a prompt and not a fact."""
_ANNOUNCES = re.compile(
    r"(?i)\b(?:the following(?:\s+\w+)?|as follows|below|these)\W*$"
    r"|\b(?:two|three|four|five|six|several|a few|some|many|different|various)\s+(?:\w+\s+)?"
    r"(?:methods|ways|types|kinds|options|steps|things|modes|categories|approaches|reasons|levels|classes)"
    r"(?:\s+(?:of|for|to)\s+[\w\s-]+)?\W*$"
)
"""``Right now, we have two methods of improving performance``, ``To migrate from MySQL, you can do the
following things``: announces a list, says nothing of it."""
_UI_STEP = re.compile(
    r"(?i)^(?:go to|click|select|choose|navigate to|open|type|press|enter|tick|check|uncheck)\b"
    r"(?=.*(?:[\"“][^\"”]+[\"”]|\s>\s|\b(?:console|button|tab|menu|drop-?down|checkbox|page|screen)\b))"
)
"""``Select our VPC, type "SSH" and the source the private subnet``: a click in a console walkthrough
(a literal to type, a menu path, a button), not a fact about AWS."""
_SCOPE = re.compile(r"(?i)^for\s[^,;:.!?]+$")
"""``For container images pushed to Amazon ECR``: what an item above applies to, no statement of its own."""
_TITLE = re.compile(r"(?i)^(?:how|why|what)\s(?:(?![:;=>→?—–]| - ).)+$")
"""``how EBS volume with encryption is copied to another region`` (over a diagram): a title, not a claim."""
_EXAMPLE = re.compile(r"(?i)^(?:e\.?\s?g\.?|for (?:example|instance)|example)\b")
"""``eg. increase the min capacity to 10 at 5 pm``: an example's made-up values are not facts to learn."""


_COMMAND = re.compile(
    r"(?i)^\$?\s*(?:curl|wget|aws|ssh|scp|sudo|git|pip3?|npm|docker|kubectl|chmod|chown|cd|ls|cat|echo|"
    r"yum|apt(?:-get)?|systemctl|service|python3?|openssl|nslookup|dig|ping|telnet|export)"
    r"\s+(?:\S+\s+){0,3}?(?:\S*(?:://|/|=)|-{1,2}\w)"
)
"""``Curl http://169.254.169.254/latest/meta-data/``, ``aws s3 ls --recursive``: a command to type (with a
URL, a path or an option), not a fact."""
_URL = re.compile(r"\b(?:https?|s3|ftp)://\S+|\b\d{1,3}(?:\.\d{1,3}){3}(?:/\d+)?\S*")
"""A URL or an IP address (with its path or prefix)."""


_OPERATOR = re.compile(r"!=|==|&&|\|\|")
"""``Domain Registrar != DNS``: shorthand in a programming language's operators, not a sentence."""


def mostly_address(text: str) -> bool:
    """A command to type, or a line that is mostly a URL or an IP address: nothing to learn as a fact."""
    plain = text.strip().strip("`*_ ")
    if _COMMAND.match(plain):
        return True
    address = sum(len(m.group(0)) for m in _URL.finditer(plain))
    return address > 0 and address >= 0.7 * len(plain.replace(" ", ""))


def keyword_answer(text: str) -> bool:
    """``App users → Cognito``: a cue and the name it points to (an exam tip), not a fact; or a line of
    such cues ("SQL injection, XSS → WAF. SYN floods / UDP reflection → Shield.")."""
    return any(_cue_and_name(clause) for clause in re.split(r"(?<=[.;])\s+", text.strip()))


def _cue_and_name(text: str) -> bool:
    parts = re.split(r"\s(?:→|->|=>)\s", text.strip(" !*"))
    if len(parts) != 2 or len(parts[0].split()) > KEYWORD_WORDS:
        return False
    answer = parts[1].strip(" .;,!")
    found = terms_in(answer)
    return len(found) == 1 and found[0][1] == 0 and found[0][2] == len(answer)


def memory_aid(text: str) -> bool:
    """A line or label that is a memory aid ("Mnemonic: …", "Exam tip:", "Remember"), not a fact."""
    return bool(_MEMORY_AID.match(strip_symbols(text).strip() or text.strip()))


def announces(text: str) -> bool:
    """A lead-in that only announces what follows ("In the event of the following", "two methods of")."""
    return bool(_ANNOUNCES.search(strip_symbols(text).strip() or text.strip()))


def not_a_fact(text: str) -> bool:
    """A task or skill code line, an exam tip mapping a quoted scenario to its answer, a line on what the
    exam does ("The exam wording is precise here."), a memory aid, a
    question the notes ask (or answer) themselves, a title ("How X is copied"), a lead-in announcing a
    list, an example, a scope with no statement ("For container images pushed to ECR"), a command or
    address to type, shorthand in code operators ("Registrar != DNS"), a line going on from the one before
    ("Or minimum of …"), a click in a console walkthrough ("Select our VPC, type "SSH" …"), an open task
    ("[ ] …", "TODO: …") or a plan's entry ("Week 3 — KMS"), a line pointing at a step by its number ("Try
    2 failed: AccessDenied, forgot step 2") or elsewhere ("See the comparison table in §2.3."), a
    meeting's record, or a line with a claim struck through, or a company's own rule."""
    plain = strip_symbols(text).strip() or text.strip()
    return bool(
        _CODE_LINE.match(text)
        or _TIP_LINE.match(text.strip())
        or _EXAM_CUE.match(plain)
        or _ABOUT_THE_EXAM.match(plain)
        or memory_aid(text)
        or _ASKED.search(plain)
        or announces(text)
        or _EXAMPLE.match(plain)
        or _SCOPE.match(plain)
        or a_title(plain)
        or mostly_address(text)
        or _OPERATOR.search(text)
        or _CONTINUES.match(plain)
        or _UI_STEP.match(plain)
        or _TASK.search(plain)
        or done_by_someone(plain)
        or _STEP_REFERENCE.search(plain)
        or meeting_record(plain)
        or _POINTER.match(plain)
        or _HEARSAY.match(plain)
        or _ASKS_BACK.search(plain)
        or _STRUCK.search(text)
        or house_rule(text)
    )


_HOUSE_RULE = re.compile(
    r"(?i)\b(?:company|company's|internal|house|our)\s+(?:policy|rules?|standards?|guidelines?)\b"
)


def house_rule(text: str) -> bool:
    """A rule a company set itself ("Rotate at 90 days at the latest (company policy)."): not AWS's, and
    other values are as possible in AWS."""
    return bool(_HOUSE_RULE.search(text))


_CAMEL_PART = re.compile(r"^[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+$")


def coined_name(text: str) -> bool:
    """Whether a cell or label is a name someone coined for their own thing ("RegionLock",
    "DataPerimeter-S3-KMS": a company's guardrails), not one of AWS's (``GetObject``, ``GuardDuty``): one
    word, with a part in capitalised words that the shipped AWS word lists do not know."""
    plain = text.strip(" *_`")
    if not plain or re.search(r"[\s:/]", plain):
        return False  # words, or a namespaced AWS name ("aws:TokenIssueTime", "kms:Decrypt")
    known = shipped_terms().canonical
    parts = re.split(r"[-_.]", plain)
    return any(_CAMEL_PART.match(p) and p.lower() not in known for p in parts) and plain.lower() not in known


_PLACEHOLDER = re.compile(
    r"(?i)(?:^|[/:_.-])(?:my|app|prod|dev|test|demo|example|sample|foo|bar|acme)(?=$|[/:_.\d-])|\b\d{12}\b"
)


def placeholder_value(text: str) -> bool:
    """Whether a value is a made-up identifier ("alias/app-prod", "my-bucket", an account id
    123456789012): an example's name, not a fact of AWS to learn."""
    plain = text.strip(" *_`")
    return bool(plain) and not re.search(r"\s", plain) and bool(_PLACEHOLDER.search(plain))


def not_aws_fact(value: str) -> bool:
    """Whether a value is a company's or an example's own, not AWS's: a house rule or a made-up name."""
    return house_rule(value) or placeholder_value(value)


def a_title(text: str) -> bool:
    """Whether a line reads as a title, not a claim: "How EBS volume with encryption is copied to another
    region" (over a diagram), "how AWS evaluates a request"."""
    return bool(_TITLE.match(text.strip(" *_`")))


def titles(line: str, after: str) -> bool:
    """Whether a line is a title over the line after it: two to four capitalised words that line takes up
    ("Strongly Consistent Reads" over "A Strongly Consistent Read returns …"), a heading written as text."""
    if not _TITLE_LINE.match(line.strip()):
        return False
    return _plain_words(line) <= _plain_words(after)


def _plain_words(text: str) -> set[str]:
    return {w.rstrip("s") for w in re.findall(r"[a-z0-9]+", text.lower())}


def meeting_record(text: str) -> bool:
    """A line of a meeting's record, not a fact: its date or clock time ("Tue 4 Mar 2025, 18:30–19:50",
    "joined ~19:05"), or what follows a label of the meeting's own ("Attendees:", "Decision:", "Action
    items:", "Parking lot:")."""
    return bool(_CLOCK_TIME.search(text) or _MEETING_DATE.search(text) or _MEETING_LABEL.match(text))


def record_section(title: str) -> bool:
    """A heading or label over the notes' own record, not facts about AWS: a meeting's business
    ("Agenda", "Attendees", "Action items", "Parking lot", "Decisions") or a page's history ("Page
    history", "Revision history", "Change log")."""
    plain = title.strip(" *_`")
    return bool(_MEETING_LABEL.match(plain + ":") or _HISTORY.fullmatch(plain))


_SPEAKER = r"[A-Za-z][\w.'-]*(?:\s[A-Z][\w.'-]*)?"
_TURN = re.compile(
    rf"^\W*(?:\[\d{{1,2}}:\d{{2}}(?::\d{{2}})?\]\s*{_SPEAKER}\s*(?:\((?P<topic>[^()]+)\))?\W*"
    rf"|{_SPEAKER}\s+(?:[01]?\d|2[0-3]):[0-5]\d(?:\s*[AaPp][Mm]\b.*)?)$"
)
"""A recording's timestamp and who spoke ("[00:04:50] **Tom:**", "[00:41:20] Ana (Security Hub)") or a
chat message's author and time ("tom  1:12 PM re Lena's Q …")."""


def speaker_turn(label: str) -> str | None:
    """The topic of a label that says who spoke when, not what about: "" ("[00:04:50] Tom:", a chat
    message's "tom 1:12 PM"; its lines belong to the heading above), the topic in brackets ("Ana
    (Security Hub)" is on Security Hub); None for a label that is no such turn."""
    found = _TURN.match(label.replace("*", "").replace("__", "").strip())
    return None if found is None else (found.group("topic") or "").strip()


_TITLE_LINE = re.compile(r"^[A-Z][\w-]*(?:\s+(?:[A-Z][\w-]*|of|in|for|and|to)){1,3}$")
"""Two to four capitalised words: a title, when the line after it takes them up (see :func:`titles`)."""
_POINTER = re.compile(r"(?i)^(?:see|cf\.?|refer to|more in|details in)\s")
"""A line pointing elsewhere in the notes ("See the comparison table in §2.3."): no fact of its own."""
_HEARSAY = re.compile(
    r"^\W*(?:[A-Z][a-z]+|we|they|someone|everyone)\s+(?:said|says|thought|thinks|guessed|believed|believes|"
    r"suggested|claimed|claims|reckons|reckoned)\b"
)
"""Who said or thought what ("Ana thought "about 5 KB"", "Legal said 400 days is enough"): a view from a
meeting, right or not, not a fact the notes state (a question asked, "Sam asked whether …", is often
answered on the same line, and stays)…"""
_ASKS_BACK = re.compile(
    r"(?i)\b(?:asked|asks|wondered|wanted to know)\s+(?:whether|if)\s+(?:that|this|it|those|these|the same)\b"
)
"""…unless it asks about what came before ("Sam asked whether that also holds for role chaining … Tom: no —
capped at 1 hour"): its answer leans on a line the question does not show."""
_STRUCK = re.compile(r"~~[^~\n]+~~")
"""Text struck through (``~~SCPs restrict the management account~~ — wrong, …``): a claim the notes
withdraw; the line it is on mixes it with its correction, so the line is not asked."""
_CLOCK_TIME = re.compile(r"(?<![\d:./\w\[])(?:[01]?\d|2[0-3]):[0-5]\d(?:\s*(?:am|pm))?(?![\d:])", re.I)
"""A time of day ("18:30", "9:41 AM"): when something happened, a diary's or meeting's record."""
MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*"
"""A month's name, short or long ("Mar", "September"); capitalised, as dates write it."""
_MEETING_DATE = re.compile(
    rf"\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH}\b",
    re.IGNORECASE,
)
"""A weekday and date ("Tue 4 Mar 2025"): when a meeting was held."""
_RETIRED = re.compile(
    r"(?i)\b(?:deprecated|retired|discontinued|obsolete|end[- ]of[- ]life)\b"
    r"|\bno longer (?:supported|available)\b|\((?:legacy|old)\)"
)
"""A heading saying that what it covers is gone or going ("AWS ClassicLink (Deprecated)", "Cognito Sync
(Deprecated)", "Inspector Classic (legacy)")."""


def retired_section(title: str) -> bool:
    """Whether a heading or label is over what AWS has retired or is retiring: its lines are history, not
    facts to learn for today's AWS, nor wrong choices beside them."""
    return bool(_RETIRED.search(title))


_HISTORY = re.compile(
    r"(?:(?:page|document|revision|version|change|edit)\s+history|change\s*log|revision\s+log|release\s+notes)\W*",
    re.IGNORECASE,
)
"""A page's own history: who changed it when ("Page history", "Change log")."""
_MEETING_LABEL = re.compile(
    r"^(?:attendees|attending|present|apologies|absent|recordings?|deck|agenda|decisions?|action items?|"
    r"next steps|parking lot|follow[ -]?ups?|chair|facilitator|note[ -]?taker)\s*:",
    re.IGNORECASE,
)
"""A label of a meeting's own record ("Attendees:", "Decision:", "Parking lot:")."""
_CONTINUES = re.compile(r"^(?:[^:]{1,40}:\s+)?(?:or|and|but|nor|plus)\b", re.IGNORECASE)
"""A line that goes on from the one before ("Or minimum of 32 MB of data at a time"): half a fact."""


_LEANING = re.compile(
    r"^(?:it|its|this|that|these|those|they|them|their|theirs|he|she|his|her|such|same)\b"
    r"|\bones?\W*$",
    re.IGNORECASE,
)
"""A label that leans on context: "Newly created custom one" (one what?), "Its default key" (whose?)."""


_EXPLANATION_PART = re.compile(
    r"^(?:goals?|aims?|purpose|how|why|what|when|where|who|examples?|e\.g\.?|use[ -]?cases?|pros|cons|"
    r"benefits?|advantages?|disadvantages?|drawbacks?|limitations?|notes?|tips?|summary|overview|details?|"
    r"definition|key points?|steps?|results?|outcomes?|problem|solution|context|background|caveats?|gotchas?|"
    r"idea)\W*$",
    re.IGNORECASE,
)
"""A label naming a part of an explanation ("Goal:", "How:", "Example:", "Pros:"), not a thing of AWS."""


def names_a_part_of_explanation(label: str) -> bool:
    """Whether a label only says what part of an explanation follows ("Goal:", "How:", "Example:"): a set
    of such labels is the notes' layout, not options to choose from ("which one says 'log in to the
    identity provider'?" is answered by grammar: How)."""
    return bool(_EXPLANATION_PART.match(label.strip(" *_`")))


def leans_on_context(label: str) -> bool:
    """Whether a label names its thing only by the words around it (a table's "Newly created custom one",
    "Its own key"; a sub-list's "It has"), or is a log entry's time ("2024-05-02 09:31 — real one: …"): a
    question naming it, or offering it, could not be read."""
    plain = label.strip(" *_`")
    return bool(_LEANING.search(plain) or _TIMESTAMP.match(plain))


_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}\b")
"""A line opening with a date: a log entry of a lab notebook, not a topic's name."""
_STEP_REFERENCE = re.compile(
    r"(?i)\b(?:forgot|skipped|missed|repeat|redo|see|after|before|like)\s+step\s+\d+\b"
)
"""A line pointing at another step by its number ("forgot step 2"): it says nothing without the list."""
_TASK = re.compile(
    r"(?i)^\[ \]|^(?:todo|fixme)\b|(?<!\S)#todo\b"
    r"|^(?:\[[ x]\]\s*)?(?:week|day|session|lecture|module|class|sprint)\s+\d+\b(?!\s*(?:days?|hours?)\b)"
)
"""An open task ("[ ] add the snapshot loop … #todo", "TODO: …") or a study plan's entry ("[x] Week 3 (Feb
3) — KMS"): what the writer has yet to do, or when, no fact (a checked "[x] GuardDuty findings reach
EventBridge within about 5 minutes" is a fact checked, but "[x] Ana: lab rotating an RDS secret" is
someone's task, done)."""
_DONE_BY = re.compile(r"^\[x\]\s*@?([A-Z][a-z]+):\s")
"""A checked item led by someone's name: "[x] Ana: lab rotating an RDS secret", a task done."""


def done_by_someone(text: str) -> bool:
    """Whether a checked item is a task someone did ("[x] Ana: lab rotating …"), not a fact checked off
    under a topic's name ("[x] Lambda: …")."""
    m = _DONE_BY.match(text)
    return m is not None and not terms_in(m.group(1))


_LIST_SEPARATOR = re.compile(r",|&|/|\band\b|\bor\b")
BARE_ITEM_WORDS = 2
"""``serverless, scalable, durable``, ``TCP, TLS & UDP``: items this short, listed with no statement
about them, are qualities true of many services or names with no subject."""


def bare_list(text: str) -> bool:
    """Whether a text only lists a few short items (see ``BARE_ITEM_WORDS``), brackets aside."""
    body = re.sub(r"\([^)]*\)", " ", text)
    if not re.search(r"[,&]", body):
        return False
    items = [i.strip(" .;") for i in _LIST_SEPARATOR.split(body)]
    items = [i for i in items if i]
    listed = len(items) >= 3 or (len(items) == 2 and "," in body)  # "Managed Chef & Puppet" says a thing
    return listed and all(len(i.split()) <= BARE_ITEM_WORDS for i in items)


_TRACKER_HEAD = re.compile(
    r"(?i)^\W*(?:status|progress|owner|owners|assignee|assigned(?: to)?|who|priority|(?:exam )?weight|"
    r"importance|confidence|due(?: date)?|deadline|(?:last )?review(?:ed)?|done\??|tags?"
    r"|(?:\w+ )?(?:at|for|in) (?:the|our) (?:company|org|organi[sz]ation|team|firm)|our \w+(?: \w+)?"
    r"|(?:required|mandatory|allowed|approved) (?:for|in|at) .+)\W*$"
)
_WORK_STATE = re.compile(
    r"(?i)^\W*(?:done|complete[d]?|finished|in progress|wip|doing|started|not started|to ?do|todo|"
    r"pending|blocked|needs review|to review|reviewed|n/a|[-–—]?)\W*$"
)
"""A study tracker's column ("Status", "Owner", "Exam weight") and its states ("Done", "In progress"); a
company standard's own choices ("Value at the company", "Our setting", "Required for Confidential data")."""


def bookkeeping_column(header: str, values: Iterable[str]) -> bool:
    """Whether a table column is the group's own bookkeeping, not a property of what the rows name: who
    owns a row, its status, its priority or exam weight ("which service has “Tom” under “Owner”?" is
    trivia about the notes), or what a company chose ("Value at the company": other values are as true in
    AWS). Told by the header, or by cells that are all states of work."""
    cells = [v for v in values if v.strip()]
    return bool(_TRACKER_HEAD.match(header)) or bool(cells) and all(_WORK_STATE.match(v) for v in cells)


_FILING_HEAD = re.compile(r"(?i)^\W*(?:categor(?:y|ies)|areas?|domains?|topics?|groups?|sections?)\W*$")
"""Where a tracker files a row ("Category", "Area", "Topic"): the group's filing, not what AWS says of it."""


def bookkeeping_columns(columns: Mapping[str, Sequence[str]]) -> frozenset[str]:
    """The headers of a table's bookkeeping columns (header -> cells; see :func:`bookkeeping_column`) and, in
    a tracker (a table with one), of its filing columns: "which service has “Security, Identity &
    Compliance” under “Category”?" asks how the group filed it, in a table with "Status" and "Owner"."""
    own = {header for header, values in columns.items() if bookkeeping_column(header, values)}
    return frozenset(own | {h for h in columns if _FILING_HEAD.match(h)} if own else own)
