"""Hostile and broken files: each is either read (with a warning where something was
lost or guessed) or skipped with a reason, and nothing crashes, hangs or reaches the
terminal as a control sequence. Everything is built under ``tmp_path``."""

from __future__ import annotations

import codecs
import json
import os
import re
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from tui.corpus import Article, Skipped, load_corpus, read_article
from tui.corpus.files import MAX_BYTES, discover, read_bytes, read_source
from tui.corpus.model import read_raw
from tui.corpus.safe import BIDI_CONTROLS

REPO = Path(__file__).resolve().parent.parent

BODY = "Date: 2024-01-02\n\nThe ministers met in Tashkent. They agreed on a café “summit”.\n"

# Anything a terminal would act on: C0 but newline and tab, DEL, C1, bidi controls.
TERMINAL_CONTROLS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f" + BIDI_CONTROLS + "\u2028\u2029]"
)


def article(path: Path) -> Article:
    result = read_article(str(path))
    assert isinstance(result, Article), result
    return result


def skipped(path: Path) -> Skipped:
    result = read_article(str(path))
    assert isinstance(result, Skipped), result
    return result


def run_cli(*args: str, cwd: Path, state: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "BROADSHEET_STATE_DIR": str(state), "PYTHONIOENCODING": "utf-8"}
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    # Bytes, not text: the assertion is about exactly what reaches the terminal.
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        timeout=60,
    )


# --- encodings and line endings -----------------------------------------------------


def test_utf8_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(codecs.BOM_UTF8 + BODY.encode("utf-8"))
    result = article(path)
    assert result.encoding == "utf-8 (BOM)"
    assert "\ufeff" not in result.title + result.text
    assert result.date is not None and result.date.iso() == "2024-01-02"
    assert "café “summit”" in result.text
    assert result.warnings == ()


@pytest.mark.parametrize(
    ("bom", "codec"),
    [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")],
)
def test_utf16_with_bom(tmp_path: Path, bom: bytes, codec: str) -> None:
    path = tmp_path / f"{codec}.txt"
    path.write_bytes(bom + BODY.encode(codec))
    result = article(path)
    assert result.encoding == codec
    assert result.date is not None and result.date.iso() == "2024-01-02"
    assert "café “summit”" in result.text
    assert result.warnings == ()


def test_utf16_without_bom_is_binary(tmp_path: Path) -> None:
    path = tmp_path / "nobom.txt"
    path.write_bytes(BODY.encode("utf-16-le"))
    assert "binary" in skipped(path).reason


def test_cp1252_smart_quotes_and_accents(tmp_path: Path) -> None:
    path = tmp_path / "cp.txt"
    path.write_bytes(b"Date: 2024-01-05\n\n\x93Smart\x94 quotes and caf\xe9 cr\xe8me \x96 done.\n")
    result = article(path)
    assert result.encoding == "cp1252"
    assert result.text == "“Smart” quotes and café crème – done."
    assert any("cp1252" in warning for warning in result.warnings)


def test_invalid_utf8_in_mostly_utf8_text_falls_back_whole(tmp_path: Path) -> None:
    path = tmp_path / "mixed.txt"
    path.write_bytes("Café ".encode() + b"caf\xe9 text.\n")
    result = article(path)
    assert result.encoding == "cp1252"
    assert "\ufffd" not in result.text  # cp1252 maps every byte but five


def mojibake(text: str) -> str:
    """*text* as a scraper that read UTF-8 as Windows-1252 saved it (the five bytes
    Windows-1252 leaves undefined read as Latin-1, as browsers and ftfy do)."""
    return "".join(map(_windows_1252_char, text.encode("utf-8")))


def _windows_1252_char(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)


def test_mojibake_is_repaired_and_said(tmp_path: Path) -> None:
    # 11 of 183 real scraped articles read so: "ZÃ¤hne zusammenbeiÃŸen", "daughterâ€™s".
    written = (
        "Title: Zähne zusammenbeißen: the daughter’s “Festspiel” trip\n"
        "Date: 2023-11-01\n\n"
        "It cost 57.000 Euro, said the Rechnungshof’s report.\n"
    )
    path = tmp_path / "scraped.txt"
    path.write_text(mojibake(written), encoding="utf-8")
    assert "Ã¤" in path.read_text(encoding="utf-8")
    result = article(path)
    assert result.title == "Zähne zusammenbeißen: the daughter’s “Festspiel” trip"
    assert result.text == "It cost 57.000 Euro, said the Rechnungshof’s report."
    assert result.date_iso == "2023-11-01"
    assert any("repaired by ftfy" in warning for warning in result.warnings)
    assert "Ã¤" in read_raw(str(path))  # the raw view shows the file as it is


def test_mojibake_in_utf16_is_repaired_too(tmp_path: Path) -> None:
    # Looked for in the text, not the bytes (which are not UTF-8).
    path = tmp_path / "wide.txt"
    path.write_bytes(
        codecs.BOM_UTF16_LE + mojibake("Grüße aus Köln\n\nBody.\n").encode("utf-16-le")
    )
    result = article(path)
    assert result.title == "Grüße aus Köln"
    assert any("repaired by ftfy" in warning for warning in result.warnings)


def test_c1_controls_that_were_windows_1252_punctuation_are_repaired(tmp_path: Path) -> None:
    path = tmp_path / "c1.txt"
    path.write_text("A \x93quoted\x94 word \x96 and more text.\n", encoding="utf-8")
    result = article(path)
    assert result.text == "A “quoted” word – and more text."
    assert any("repaired by ftfy" in warning for warning in result.warnings)


@pytest.mark.parametrize(
    "text",
    [
        "Café « Le Zèbre » — l’été à Paris, 20 °C ± 2 · ½ prix",
        "Grüße aus Köln: Straße, Maß, Ärger, ÖVP",
        "Кириллица: «ёлка» — 17 октября 2024 г.",
        "中文新闻：二〇二四年十月十七日",
        "এমপির ভাইকে নিজ বাড়ির সামনেই",
    ],
)
def test_text_written_right_is_left_alone(tmp_path: Path, text: str) -> None:
    path = tmp_path / "fine.txt"
    path.write_text(f"{text}\n\nSecond paragraph of {text}\n", encoding="utf-8")
    result = article(path)
    assert result.title == text
    assert not any("repaired" in warning for warning in result.warnings)


def test_repaired_text_is_still_neutralised(tmp_path: Path) -> None:
    path = tmp_path / "hostile.txt"
    path.write_text(
        mojibake("Zähne \x1b[31mred\x1b[0m and \u202eevil\n\nBody text.\n"), encoding="utf-8"
    )
    result = article(path)
    assert result.title.startswith("Zähne")
    for value in (result.title, result.text):
        assert not TERMINAL_CONTROLS.search(value), repr(value)


def test_crlf_and_lone_cr(tmp_path: Path) -> None:
    crlf = tmp_path / "crlf.txt"
    crlf.write_bytes(b"Date: 2024-01-06\r\n\r\nFirst paragraph.\r\n\r\nSecond paragraph.\r\n")
    cr = tmp_path / "cr.txt"
    cr.write_bytes(b"Date: 2024-01-07\r\rFirst paragraph.\r\rSecond paragraph.\r")
    for path in (crlf, cr):
        result = article(path)
        assert result.paragraphs == ["First paragraph.", "Second paragraph."]
        assert "\r" not in result.text and "␍" not in result.text
        assert result.date is not None and result.date.precision == "day"
    raw = read_source(str(cr))
    assert not isinstance(raw, Skipped) and "\r" not in raw.text


# --- files that are skipped ---------------------------------------------------------


def test_nul_bytes_mean_binary(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"GIF89a\x00\x01\x02 some text")
    assert skipped(path).reason == "binary file (NUL bytes)"


@pytest.mark.parametrize("content", [b"", b"  \n\n\t \r\n"])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    assert "empty file" in skipped(path).reason


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_is_skipped_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "x.txt")
    (tmp_path / "real.txt").write_text(BODY, encoding="utf-8")
    # In a subprocess with a time limit: if the FIFO were opened for reading, the
    # process would block forever waiting for a writer.
    result = run_cli("--list", str(tmp_path), cwd=tmp_path, state=tmp_path / "state")
    assert result.returncode == 0
    # Paths inside the working folder are shown relative to it, as the user would type.
    assert result.stderr.decode() == "broadsheet: skipped x.txt: a FIFO\n"
    assert len(result.stdout.splitlines()) == 1
    # read_bytes opens without blocking and refuses it on the open descriptor too.
    with pytest.raises(OSError):
        read_bytes(str(tmp_path / "x.txt"))
    found = list(discover([tmp_path]))
    assert Skipped(str(tmp_path / "x.txt"), "a FIFO") in found


def test_symlink_loop_between_two_folders(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "a").mkdir(parents=True)
    (root / "b").mkdir()
    (root / "a" / "in_a.txt").write_text("Alpha text. 2001\n\nMore alpha.\n", encoding="utf-8")
    (root / "b" / "in_b.txt").write_text("Beta text. 2002\n\nMore beta.\n", encoding="utf-8")
    (root / "a" / "to_b").symlink_to(Path("..") / "b")
    (root / "b" / "to_a").symlink_to(Path("..") / "a")
    (root / "a" / "self").symlink_to(Path("."))
    found = list(discover([root]))
    assert found == [str(root / "a" / "in_a.txt"), str(root / "b" / "in_b.txt")]
    corpus = load_corpus([str(root)])
    assert len(corpus) == 2 and corpus.skipped == []


def test_symlinked_folder_outside_is_read_once(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "o.txt").write_text("Outside text.\n", encoding="utf-8")
    root = tmp_path / "root"
    root.mkdir()
    (root / "link").symlink_to(outside)
    (root / "link2").symlink_to(outside)
    (root / "file_link.txt").symlink_to(outside / "o.txt")
    found = list(discover([root]))
    assert found == [str(root / "file_link.txt")]


def test_dangling_symlink(tmp_path: Path) -> None:
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    found = list(discover([tmp_path]))
    assert found == [Skipped(str(tmp_path / "dangling.txt"), "broken symbolic link")]


def test_other_suffixes_are_ignored_silently(tmp_path: Path) -> None:
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\x00")
    (tmp_path / "notes.TXT").write_text("Upper-case suffix counts.\n", encoding="utf-8")
    (tmp_path / "page.md").write_text("# Markdown\n\nCounts too.\n", encoding="utf-8")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "secret.txt").write_text("Hidden.\n", encoding="utf-8")
    assert sorted(Path(str(p)).name for p in discover([tmp_path])) == ["notes.TXT", "page.md"]


# --- size limits ----------------------------------------------------------------------


def test_two_megabyte_single_line(tmp_path: Path) -> None:
    path = tmp_path / "line.txt"
    sentence = "The committee met again and talked about the port. "
    path.write_text(sentence * (2_000_000 // len(sentence)), encoding="utf-8")
    result = article(path)
    assert len(result.text) <= MAX_BYTES
    assert len(result.paragraphs) > 100
    assert max(map(len, result.paragraphs)) <= 5000
    assert any("only the first" in warning for warning in result.warnings)
    assert any("split" in warning for warning in result.warnings)


def test_fifty_megabyte_file_is_capped(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    line = ("word " * 19 + "end.\n").encode()
    with path.open("wb") as handle:
        block = line * (1_000_000 // len(line))
        for _ in range(50):
            handle.write(block)
    size = path.stat().st_size
    assert size > 45_000_000
    tracemalloc.start()
    try:
        result = article(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # Reading it all would take 50 MB for the bytes alone, and as much again decoded.
    assert peak < 20 * MAX_BYTES
    assert len(result.text) <= MAX_BYTES
    assert any("MB; only the first 1.0 MB was read" in w for w in result.warnings)


def test_utf16_cut_mid_character_at_the_cap(tmp_path: Path) -> None:
    path = tmp_path / "big16.txt"
    # An odd cap lands inside a UTF-16 code unit; the half unit is dropped, not garbled.
    path.write_bytes(codecs.BOM_UTF16_LE + ("é word " * 200_000).encode("utf-16-le"))
    source = read_source(str(path), limit=100_001)
    assert not isinstance(source, Skipped)
    assert "\ufffd" not in source.text
    assert source.warnings and "only the first" in source.warnings[0]


# --- text that looks like markup or terminal control --------------------------------

MARKUP = "[bold]x[/] [@click=app.quit]x[/] [link=https://x]y[/link] [red on blue]z"


def test_markup_is_kept_literally(tmp_path: Path) -> None:
    path = tmp_path / "markup.txt"
    path.write_text(
        f"Date: 2024-01-08\n\n{MARKUP}\n\nSecond line [/bold].\n\n{MARKUP} again.\n",
        encoding="utf-8",
    )
    result = article(path)
    assert result.title == MARKUP  # a short first line: the headline
    assert result.paragraphs == ["Second line [/bold].", f"{MARKUP} again."]


def test_escape_sequences_are_neutralised(tmp_path: Path) -> None:
    path = tmp_path / "esc.txt"
    path.write_text(
        "Title: Red \x1b[31malert\x1b[0m\x9b2J\n\n"
        "Copy \x1b]52;c;aGVsbG8=\x07 to clipboard, bell \x07, C1 \x9b31m, "
        "bidi \u202egnp.exe\u202c and \u2066isolate\u2069, NUL-free.\n",
        encoding="utf-8",
    )
    result = article(path)
    everything = "\n".join([result.title, result.text, *result.warnings, result.path])
    assert TERMINAL_CONTROLS.search(everything) is None
    assert "␛[31m" in result.title  # visible, not acted on
    assert "␛]52;c;aGVsbG8=␇" in result.text


def test_control_characters_in_a_file_name(tmp_path: Path) -> None:
    path = tmp_path / "evil\x1b[2Jname\u202e.txt"
    path.write_text("Plain text.\n", encoding="utf-8")
    corpus = load_corpus([str(tmp_path)])
    (only,) = corpus.articles
    assert TERMINAL_CONTROLS.search(only.path) is None
    assert "␛[2J" in only.path


# --- the command line on such a folder ----------------------------------------------


@pytest.fixture
def hostile_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "bom.txt").write_bytes(codecs.BOM_UTF8 + BODY.encode())
    (folder / "u16.txt").write_bytes(
        codecs.BOM_UTF16_BE + "Date: 2024-01-03\n\nBig endian café.\n".encode("utf-16-be")
    )
    (folder / "cp.txt").write_bytes(b"Date: 2024-01-04\r\n\r\n\x93Quoted\x94 caf\xe9.\r\n")
    (folder / "esc.txt").write_text(
        "Title: \x1b[31mRed\x1b[0m \u202eevil\n\nBody \x1b]52;c;aGk=\x07 \x9b1m \x00x.\n",
        encoding="utf-8",
    )
    # (a NUL written as UTF-8 text is still a NUL byte: that file is binary)
    (folder / "esc2.txt").write_text(
        "Title: \x1b[31mRed\x1b[0m \u202eevil\n\nBody \x1b]52;c;aGk=\x07 \x9b1m \x7f.\n",
        encoding="utf-8",
    )
    (folder / "markup.md").write_text(f"# {MARKUP}\n\nBody [b]bold[/b].\n", encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02")
    (folder / "dangling.txt").symlink_to(folder / "missing.txt")
    if hasattr(os, "mkfifo"):
        os.mkfifo(folder / "pipe.txt")
    return folder


def assert_terminal_safe(output: bytes) -> None:
    text = output.decode("utf-8")  # also proves the output is valid UTF-8
    match = TERMINAL_CONTROLS.search(text)
    assert match is None, f"control character {match.group()!r} in output"


def test_cli_list_on_hostile_folder(hostile_folder: Path, tmp_path: Path) -> None:
    result = run_cli("--list", "corpus", cwd=tmp_path, state=tmp_path / "state")
    assert result.returncode == 0, result.stderr
    assert_terminal_safe(result.stdout)
    assert_terminal_safe(result.stderr)
    lines = result.stdout.decode().splitlines()
    assert len(lines) == 5
    assert any("“Quoted” café." in line for line in lines)
    assert any(MARKUP in line for line in lines)
    skipped_lines = sorted(result.stderr.decode().splitlines())
    expected = [
        "broadsheet: skipped corpus/binary.txt: binary file (NUL bytes)",
        "broadsheet: skipped corpus/dangling.txt: broken symbolic link",
        "broadsheet: skipped corpus/empty.txt: empty file",
        "broadsheet: skipped corpus/esc.txt: binary file (NUL bytes)",
    ]
    if hasattr(os, "mkfifo"):
        expected.append("broadsheet: skipped corpus/pipe.txt: a FIFO")
    assert skipped_lines == sorted(expected)


def test_cli_json_on_hostile_folder(hostile_folder: Path, tmp_path: Path) -> None:
    result = run_cli("--list", "--json", str(hostile_folder), cwd=tmp_path, state=tmp_path)
    assert result.returncode == 0
    assert_terminal_safe(result.stdout)
    rows = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert len(rows) == 5
    for row in rows:
        # JSON escapes would hide a control from the check above: look inside too.
        for value in (row["title"], row["path"], *row["warnings"], *row["duplicates"]):
            assert TERMINAL_CONTROLS.search(value) is None
    by_name = {Path(row["path"]).name: row for row in rows}
    assert by_name["cp.txt"]["warnings"] == ["not valid UTF-8; decoded as cp1252"]
    assert by_name["esc2.txt"]["title"].startswith("␛[31mRed␛[0m")
    assert by_name["markup.md"]["title"] == MARKUP


def test_cli_show_on_hostile_file(hostile_folder: Path, tmp_path: Path) -> None:
    target = hostile_folder / "esc2.txt"
    result = run_cli("--show", str(target), str(hostile_folder), cwd=tmp_path, state=tmp_path)
    assert result.returncode == 0, result.stderr
    assert_terminal_safe(result.stdout)
    out = result.stdout.decode()
    assert "␛]52;c;aGk=␇" in out
    assert "\x1b" not in out and "\x07" not in out
    markup = run_cli("--show", str(hostile_folder / "markup.md"), cwd=tmp_path, state=tmp_path)
    assert markup.returncode == 0
    assert markup.stdout.decode().splitlines()[0] == MARKUP
    assert "Body [b]bold[/b]." in markup.stdout.decode()


def test_cli_named_fifo_is_a_usage_error(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("needs FIFOs")
    os.mkfifo(tmp_path / "pipe.txt")
    result = run_cli("--list", str(tmp_path / "pipe.txt"), cwd=tmp_path, state=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("broadsheet: error: ")
    assert "FIFO" in lines[0]
