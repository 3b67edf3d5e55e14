"""What of a notes folder gets indexed: only text inside the folder, decoded right, and the user hears
about every file left out or read with care (``awssec index`` on standard error, the bot in its log)."""

from __future__ import annotations

import codecs
import logging
import shutil
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.config.settings import Settings
from bot.services.index import IndexUnavailable, load_bot_index
from indexer.build import build_index, corpus_hash, save_index
from indexer.files import find_notes, read_note
from indexer.notetext import decode_note
from indexer.search.query import search

NOTE = "# Keys\n- rotate the kms keys yearly\n"


def index_folder(root: Path, tmp_path: Path, capsys) -> tuple[int, str, str]:
    code = main(["index", "--corpus", str(root), "--index", str(tmp_path / "index.json.gz")])
    out, err = capsys.readouterr()
    return code, out, err


def every_text(index) -> str:
    return "\n".join(c.heading + "\n" + c.text for c in index.chunks)


def test_a_link_to_a_file_outside_the_folder_is_not_served(make_corpus, tmp_path, capsys) -> None:
    secret = tmp_path / "outside" / "passwd"
    secret.parent.mkdir()
    secret.write_text("root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin/nologin\n")
    root = make_corpus({"keys.md": NOTE, "inside.md": "# Inside\n- guardduty findings\n"})
    (root / "passwd.md").symlink_to(secret)
    (root / "again.md").symlink_to(root / "inside.md")  # a link that stays inside is a note like any

    index = build_index([root], fix_typos=False)
    assert [s for s, _ in index.sources()] == ["again.md", "inside.md", "keys.md"]
    assert "nologin" not in every_text(index)
    assert not search(index, "root daemon bin nologin").hits

    code, _, err = index_folder(root, tmp_path, capsys)
    assert code == 0
    assert f"{root / 'passwd.md'}: skipped: it is a link to {secret}, outside the notes folder" in err


def test_a_linked_folder_is_skipped_with_a_warning(make_corpus, tmp_path, capsys) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "secret.md").write_text("# Secret\n- private diary entries\n")
    root = make_corpus({"keys.md": NOTE})
    (root / "linked").symlink_to(elsewhere)
    _, _, err = index_folder(root, tmp_path, capsys)
    assert f"{root / 'linked'}: skipped: a link to a folder" in err
    assert [n.source for n in find_notes([root])] == ["keys.md"]


def test_a_binary_file_is_skipped_with_a_warning_and_never_printed(make_corpus, tmp_path, capsys) -> None:
    root = make_corpus({"keys.md": NOTE})
    shutil.copyfile(sys.executable, root / "binary.md")  # an ELF (or other executable) named .md

    index = build_index([root], fix_typos=False)
    assert [s for s, _ in index.sources()] == ["keys.md"]
    code, _, err = index_folder(root, tmp_path, capsys)
    assert code == 0
    assert f"{root / 'binary.md'}: skipped: a binary file" in err
    code = main(["ask", "--index", str(tmp_path / "index.json.gz"), "kms keys"])
    out, _ = capsys.readouterr()
    assert code == 0 and "\x1b" not in out and "\0" not in out


def test_ask_that_builds_the_index_also_says_which_files_it_skipped(make_corpus, tmp_path, capsys) -> None:
    root = make_corpus({"keys.md": NOTE})
    shutil.copyfile(sys.executable, root / "binary.md")
    code = main(["ask", "--corpus", str(root), "--index", str(tmp_path / "index.json.gz"), "kms keys"])
    _, err = capsys.readouterr()
    assert code == 0
    assert f"{root / 'binary.md'}: skipped: a binary file" in err


def test_terminal_escape_sequences_are_taken_out_of_a_kept_note(make_corpus, tmp_path, capsys) -> None:
    plain = "# Keys\n- rotate the kms keys yearly\n\n## Three\n- line five stays line five\n"
    escaped = ("# Keys\n- rotate the \x1b[31mkms\x1b[0m keys\x1b]0;pwned\x07 yearly\x07\n\n"
               "## Three\n- line five \x1b[2J\x9bstays line five\n")
    root = make_corpus({"keys.md": escaped})
    index = build_index([root], fix_typos=False)
    assert "rotate the kms keys yearly" in search(index, "kms keys rotate").hits[0].text
    assert not any(ch in every_text(index) for ch in "\x1b\x07\x9b")
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / "keys.md").write_text(plain)
    clean = build_index([tmp_path / "plain"], fix_typos=False)
    assert index.chunks == clean.chunks  # same text, same lines: citations stay true
    code, out, err = index_folder(root, tmp_path, capsys)
    assert "keys.md: 6 terminal control character(s) or escape sequence(s) removed" in err
    main(["ask", "--index", str(tmp_path / "index.json.gz"), "kms keys"])
    out, _ = capsys.readouterr()
    assert "\x1b" not in out and "\x07" not in out


def test_a_note_whose_name_holds_an_escape_sequence_is_skipped(make_corpus, tmp_path, capsys) -> None:
    root = make_corpus({"keys.md": NOTE, "\x1b[2Jclear.md": "# Clear\n- kms keys everywhere\n"})
    index = build_index([root], fix_typos=False)
    assert [s for s, _ in index.sources()] == ["keys.md"]
    _, _, err = index_folder(root, tmp_path, capsys)
    assert f"{root}/\\x1b[2Jclear.md: skipped: its name holds control characters" in err
    assert "\x1b" not in err


def test_a_latin1_note_is_read_right_and_the_user_told(make_corpus, tmp_path, capsys) -> None:
    root = make_corpus({"keys.md": NOTE})
    (root / "cafe.md").write_bytes("# Café\n- le café des clés KMS: rotation annuelle\n".encode("latin-1"))
    index = build_index([root], fix_typos=False)
    hit = search(index, "café clés").hits[0]
    assert hit.source == "cafe.md" and "le café des clés KMS" in hit.text
    _, _, err = index_folder(root, tmp_path, capsys)
    assert f"{root / 'cafe.md'}: not UTF-8; read as cp1252" in err


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (codecs.BOM_UTF8 + "# Clé\n- café\n".encode(), "# Clé\n- café\n"),
        (codecs.BOM_UTF16_LE + "# Clé\r\n- café\r\n".encode("utf-16-le"), "# Clé\n- café\n"),
        (codecs.BOM_UTF16_BE + "# Clé\n- café\n".encode("utf-16-be"), "# Clé\n- café\n"),
        ("# Clé\n- café\n".encode("cp1252"), "# Clé\n- café\n"),
        ("# “Quotes” – €\n".encode("cp1252"), "# “Quotes” – €\n"),
        ("# Clé\n- café crème ".encode() + b"\xe9t\xe9\n", "# Clé\n- café crème \ufffdt\ufffd\n"),
    ],
    ids=["utf-8-bom", "utf-16-le", "utf-16-be", "latin-1", "cp1252", "utf-8-with-stray-bytes"],
)
def test_note_encodings_are_decoded_right(data: bytes, text: str) -> None:
    assert decode_note(data).text == text


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("nul.md", b"# Title\n\0\0\0\x01\x02binary", "a binary file"),
        ("controls.md", bytes(range(1, 9)) * 40 + b"some letters", "a binary file"),
        ("cyrillic.md", "# Шифрование\n- ключи KMS меняются каждый год\n".encode("cp1251"),
         "not UTF-8 and not Western European text"),
        ("bad-bom.md", codecs.BOM_UTF16_LE + b"\x00\xd8", "starts with a UTF-16 byte order mark"),
    ],
)
def test_files_that_are_not_readable_text_are_skipped_with_the_reason(
    make_corpus, tmp_path, capsys, name: str, data: bytes, reason: str
) -> None:
    root = make_corpus({"keys.md": NOTE})
    (root / name).write_bytes(data)
    assert [n.source for n in find_notes([root])] == ["keys.md"]
    index = build_index([root], fix_typos=False)
    assert [s for s, _ in index.sources()] == ["keys.md"]
    assert any(w.startswith(f"{root / name}: skipped: {reason}") for w in index.stats["warnings"])
    _, _, err = index_folder(root, tmp_path, capsys)
    assert f"{root / name}: skipped: {reason}" in err


def test_read_note_is_never_fatal_and_never_returns_control_characters(tmp_path) -> None:
    path = tmp_path / "x.md"
    path.write_bytes(b"\x7fELF\x02\x01\x01\0\0\0\x1b[2Jtext")
    text = read_note(path)
    assert "text" in text and not any(ch in text for ch in "\0\x1b\x7f")


def test_an_empty_notes_folder_says_so(tmp_path, capsys) -> None:
    empty = tmp_path / "notes"
    (empty / "sub").mkdir(parents=True)
    (empty / "picture.png").write_bytes(b"\x89PNG")
    code, _, err = index_folder(empty, tmp_path, capsys)
    assert code == 1
    assert f"No notes found in {empty.resolve()} (looked for .md, .markdown, .txt files)" in err
    assert not (tmp_path / "index.json.gz").exists()


def test_a_folder_of_only_unreadable_notes_says_which_were_skipped(tmp_path, capsys) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "binary.md").write_bytes(b"\0\0ELF")
    code, _, err = index_folder(notes, tmp_path, capsys)
    assert code == 1
    assert "No notes found in" in err and f"{notes / 'binary.md'}: skipped: a binary file" in err


def test_an_empty_folder_beside_one_with_notes_is_reported(make_corpus, tmp_path, capsys) -> None:
    root = make_corpus({"keys.md": NOTE})
    empty = tmp_path / "empty"
    empty.mkdir()
    code = main(["index", "--corpus", str(root), "--corpus", str(empty),
                 "--index", str(tmp_path / "index.json.gz")])
    _, err = capsys.readouterr()
    assert code == 0
    assert f"{empty}: no notes found (looked for .md, .markdown, .txt files)" in err


def test_a_file_given_as_the_notes_folder_is_not_a_folder(tmp_path, capsys) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(NOTE)
    code, _, err = index_folder(readme, tmp_path, capsys)
    assert code == 1
    assert f"{readme} is not a folder" in err and "does not exist" not in err


def test_a_new_skipped_file_makes_the_index_stale(make_corpus) -> None:
    root = make_corpus({"keys.md": NOTE})
    before = corpus_hash([root])
    (root / "binary.md").write_bytes(b"\0\0")
    assert corpus_hash([root]) != before  # so the rebuild reports it


def test_the_bot_logs_what_was_skipped(make_corpus, tmp_path, caplog) -> None:
    root = make_corpus({"keys.md": NOTE})
    (root / "binary.md").write_bytes(b"\0ELF")
    index_path = tmp_path / "index.json.gz"
    save_index(build_index([root], fix_typos=False), index_path)
    env = {"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "s", "AWSSEC_CORPUS": str(root),
           "AWSSEC_INDEX": str(index_path), "AWSSEC_DATA_DIR": str(tmp_path / "data")}
    with caplog.at_level(logging.WARNING, logger="test-bot"):
        index = load_bot_index(Settings.from_env(env), logging.getLogger("test-bot"))
    assert not isinstance(index, IndexUnavailable)
    assert any(f"{root / 'binary.md'}: skipped: a binary file" in r.getMessage() for r in caplog.records)


def test_the_same_file_name_in_two_folders_gives_two_notes_each_cited_with_its_folder(tmp_path) -> None:
    # `--corpus ~/notes --corpus ./more-notes`, both with a kms.md: never one passage citing "kms.md"
    from indexer.files import read_notes_at

    for folder, says in (("notes", "one"), ("more", "two")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "kms.md").write_text(f"# KMS\n\n- the aardvarkium rule from folder {says}\n")
        (tmp_path / folder / f"only-{folder}.md").write_text("# S3\n\n- buckets are private\n")
    folders = [tmp_path / "notes", tmp_path / "more"]
    index = build_index(folders, fix_typos=False)
    hits = search(index, "aardvarkium rule", k=3).hits
    cited = {(h.source, h.line_start, h.line_end): h.text for h in hits}
    assert set(cited) == {("notes/kms.md", 3, 3), ("more/kms.md", 3, 3)}, cited
    assert "folder two" in cited[("more/kms.md", 3, 3)] and "folder one" not in cited[("more/kms.md", 3, 3)]
    assert {"only-notes.md", "only-more.md"} <= {s for s, _ in index.sources()}  # found once: as they are
    raw = read_notes_at(folders, ["notes/kms.md", "more/kms.md"])  # the quiz reads the notes as written
    assert "folder one" in raw["notes/kms.md"] and "folder two" in raw["more/kms.md"]


def test_two_notes_folders_of_one_name_are_told_apart_by_their_parents(tmp_path) -> None:
    for parent in ("alice", "bob"):
        folder = tmp_path / parent / "notes"
        folder.mkdir(parents=True)
        (folder / "kms.md").write_text(f"# KMS\n\n- the zebrafish rule from {parent}\n")
    index = build_index([tmp_path / "alice" / "notes", tmp_path / "bob" / "notes"], fix_typos=False)
    cited = {h.source: h.text for h in search(index, "zebrafish rule", k=3).hits}
    assert set(cited) == {"alice/notes/kms.md", "bob/notes/kms.md"}, cited
    assert "bob" in cited["bob/notes/kms.md"] and "alice" not in cited["bob/notes/kms.md"]
