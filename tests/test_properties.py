"""Properties that must hold for any input: decoding and parsing never raise, nothing
unsafe survives neutralising, and no date is ever made up."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tui.corpus import dates, files, parse, safe
from tui.corpus.dates import MAX_YEAR, MIN_YEAR, ArticleDate, DateProblem

FAST = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + safe.BIDI_CONTROLS + "\u2028\u2029]")

# Bytes that look like the files people have: text fragments in several encodings,
# BOMs, NULs, control and escape sequences, HTML and header lines.
FRAGMENTS = st.sampled_from(
    [
        b"Date: 2024-10-17\n", b" date 2024-10-08 ", b"Title: A\n", b"*2024-02-14*\n",
        b"Published: 17/10/2024\n", b"Date: 2024-13-45\n", b"\n\n", b"\r\n", b"\r",
        b"<p>", b"</p>", b"<script>", b"</script>", b"&amp;", b"&#27;", b"&#x202e;",
        b"\x1b[31m", b"\x1b]52;c;aGk=\x07", b"\x9b", b"\xc2\x9b", b"\xe2\x80\xae",
        b"\x93quoted\x94", b"caf\xc3\xa9", b"caf\xe9", b"\x00", b"Powered by X\n",
        b"=====\n", b"# Heading\n", b"- item\n", b"in 2021 ", b"multi-\nfaceted ",
        codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, b"\t", b"\xa0",
        b"Mr. Smith went. ", b"word " * 30,
    ]
)
LIKELY_BYTES = st.lists(st.one_of(FRAGMENTS, st.binary(max_size=12)), max_size=30).map(
    b"".join
)
ANY_BYTES = st.one_of(st.binary(max_size=400), LIKELY_BYTES)

DATEISH = st.text(
    alphabet=st.sampled_from(list("0123456789/-.,: TZ+thstndrOctJanMayFebTueday")),
    max_size=30,
)


@FAST
@given(ANY_BYTES, st.booleans())
def test_decode_and_parse_never_raise(data: bytes, truncated: bool) -> None:
    decoded = files.decode(data, truncated=truncated)
    if decoded is None:
        assert b"\x00" in data
        return
    text, encoding = decoded
    assert "\r" not in text
    assert encoding in {"utf-8", "utf-8 (BOM)", "utf-16-le", "utf-16-be", "cp1252"}
    parsed = parse.parse_text(text, file_name="f")
    for value in (parsed.title, *parsed.paragraphs, *parsed.warnings):
        assert UNSAFE.search(value) is None
    assert all(paragraph and "\n" not in paragraph for paragraph in parsed.paragraphs)
    assert parsed.words == sum(len(paragraph.split()) for paragraph in parsed.paragraphs)
    assert parsed.title
    if parsed.date is not None:
        assert MIN_YEAR <= parsed.date.year <= MAX_YEAR
        assert (parsed.date_text is None) == parsed.date.inferred


@FAST
@given(st.text(max_size=300))
@example("\x1b[31m\x9b\u202e\u2066\x7f\x00\r\t\n")
def test_parse_any_text(text: str) -> None:
    parsed = parse.parse_text(text)
    for value in (parsed.title, *parsed.paragraphs):
        assert UNSAFE.search(value) is None
    assert parsed.words == sum(len(paragraph.split()) for paragraph in parsed.paragraphs)


@FAST
@given(st.text(max_size=200))
@example("\x1b]52;c;aGk=\x07 \x9b \u202e \u2028 \x7f \x00")
def test_neutralise_is_safe_and_idempotent(text: str) -> None:
    once = safe.neutralise(text)
    assert UNSAFE.search(once) is None
    assert safe.neutralise(once) == once
    assert safe.is_safe(once)
    # Only unsafe characters change: everything else is kept as it was.
    assert once.count("\n") == text.count("\n") + text.count("\u2028") + text.count("\u2029")
    line = safe.neutralise_line(text)
    assert UNSAFE.search(line) is None and "\n" not in line and "\t" not in line


@FAST
@given(st.one_of(st.text(max_size=40), DATEISH))
@example("95")
@example("17/10/24")
@example("Oct 8")
@example("Tuesday 12")
@example("2024-13-45")
def test_parse_stated_date_is_a_real_stated_date_or_a_problem(text: str) -> None:
    try:
        parsed = dates.parse_stated_date(text)
    except DateProblem:
        return
    assert isinstance(parsed, ArticleDate)
    assert MIN_YEAR <= parsed.year <= MAX_YEAR
    assert parsed.source == "stated"
    parsed.first_day()  # a real calendar date
    parsed.last_day()
    # No field is ever filled from today: without a four-digit number there is no year.
    assert re.search(r"\d{4}", text), f"{text!r} gave {parsed}"
    assert str(parsed.year) in text


@FAST
@given(st.text(alphabet=st.characters(blacklist_categories=["Nd"]), max_size=60))
def test_no_digits_no_date(text: str) -> None:
    try:
        dates.parse_stated_date(text)
    except DateProblem:
        return
    raise AssertionError(f"{text!r} gave a date")


@FAST
@given(st.text(max_size=300))
@example("In 1899 and 2100, then 2024.")
def test_infer_year_is_in_range_and_named(text: str) -> None:
    inferred = dates.infer_year(text)
    if inferred is None:
        return
    assert MIN_YEAR <= inferred.year <= MAX_YEAR
    assert inferred.inferred and inferred.precision == "year"
    assert str(inferred.year) in text


@FAST
@given(ANY_BYTES)
@example("caf\u00e9 \u2019q\u2019 \u00a0 \u202e \u2028 \x9b\tend".encode())
def test_the_utf8_hint_never_changes_a_parse(data: bytes) -> None:
    """``read_source`` hands ``parse_text`` the file's bytes when they are its whole UTF-8
    text, so that it can look for unsafe characters in them faster: same result."""
    for raw in (data, data.replace(b"\n", b"\r\n")):
        decoded = files.decode(raw)
        if decoded is None or decoded[1] != "utf-8":
            continue
        text = decoded[0]
        assert parse.parse_text(text, "f", utf8=raw) == parse.parse_text(text, "f")


@FAST
@given(st.text(max_size=300))
@example("caf\u00e9\u3000x\u1680y\u205fz \u2029")
def test_the_utf8_hint_never_changes_a_parse_of_any_text(text: str) -> None:
    text = files.normalise_newlines(text)
    assert parse.parse_text(text, utf8=text.encode()) == parse.parse_text(text)


def test_read_source_hands_over_the_bytes_only_when_they_are_the_text(tmp_path: Path) -> None:
    cases = {
        "plain.txt": ("Café “quoted”\r\nline\n".encode(), True),
        "bom.txt": (codecs.BOM_UTF8 + "Café\n".encode(), False),
        "cp1252.txt": (b"caf\xe9\n", False),
        "utf16.txt": (codecs.BOM_UTF16_LE + "Café\n".encode("utf-16-le"), False),
    }
    for name, (data, handed) in cases.items():
        (tmp_path / name).write_bytes(data)
        source = files.read_source(str(tmp_path / name))
        assert isinstance(source, files.SourceText)
        assert (source.utf8 is not None) == handed, name
    truncated = files.read_source(str(tmp_path / "plain.txt"), limit=5)
    assert isinstance(truncated, files.SourceText) and truncated.utf8 is None
