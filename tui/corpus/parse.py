"""From decoded text to an article: header lines, date, title and clean paragraphs.

The order matters: neutralise first (so nothing derived can carry a control
character), then take the header block, then clean the body, then choose a title.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field

from .clean import (
    MD_HEADING,
    NOT_PLAIN,
    PARAGRAPH_LIMIT,
    PLAIN_ASCII,
    SPACE_RUNS,
    clean_lines,
    join_measured,
    strip_html,
    tidy,
    tidy_spaces,
)
from .datelines import find_dateline, find_title_line, is_dateline
from .dates import ArticleDate
from .headers import decoded_email, first_mbox_message, read_header
from .infer import read_years
from .lazyre import LazyPattern
from .pathdates import date_from_path
from .safe import neutralise

TITLE_LIMIT = 90
"""A title made from the first sentence is cut at a word boundary near this length."""

HEADLINE_MAX_CHARS = 150
HEADLINE_MAX_WORDS = 24


@dataclass(slots=True)
class ParsedText:
    """Everything parsing learnt from one file's text."""

    title: str
    title_source: str
    """``header`` (a Title: line), ``headline`` (a short first line),
    ``first sentence`` or ``file name``."""
    date: ArticleDate | None
    date_text: str | None
    """The stated date exactly as the file wrote it (None when inferred or undated)."""
    date_line: int | None
    """1-based line of the stated date."""
    source: str | None
    author: str | None
    paragraphs: list[str]
    warnings: list[str] = field(default_factory=list)
    words: int | None = None
    """Words in the paragraphs, counted where their spacing is known to be tidy
    (None: count them with ``str.split``)."""
    url: str | None = None
    """The article's own address (a ``URL:``/``Link:`` header or front matter)."""
    tags: tuple[str, ...] = ()
    """Tags or keywords from front matter or a ``Tags:`` header."""
    date_origin: str | None = None
    """Where the date came from: one of :data:`dates.DATE_ORIGINS` (None: undated)."""
    years_named: tuple[int, ...] = ()
    """The years the text names (for an undated article's hint), newest first."""
    not_before: int | None = None
    """A year the article cannot predate, where the text supports one."""
    markup: str = "text"
    """``text`` or ``markdown``: how the reading pane should render the paragraphs."""
    body_line: int = -1
    """For markdown read as markdown: the 0-based line of the file's text where the body
    starts (the reading pane parses it again from there); -1 otherwise."""
    utf8_body: bytes | None = field(default=None, repr=False, compare=False)
    """``"\n".join(paragraphs)`` in UTF-8 (surrogatepass), where :func:`parse_text`
    encoded it to count the words: :func:`model.build_article` needs the same bytes."""


# --- title ------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]?\s+(?=[^\s])|(?<=[。！？])[」』”’）]?(?=.)")
"""A full stop, then a space and the next sentence; or a CJK full stop, which needs no space."""


def _looks_like_headline(line: str) -> bool:
    if len(line) > HEADLINE_MAX_CHARS or len(line.split()) > HEADLINE_MAX_WORDS:
        return False
    if MD_HEADING.match(line):
        return True
    if line.endswith((".", ",", ";", ":", "。", "，", "；", "：")) and not line.endswith("..."):
        return False
    return any(char.isalpha() for char in line)


_MAYBE_WIDE = LazyPattern("[\u1100-\u115f\u231a-\u2b55\u2e80-\U0010ffff]")
"""Every character that may take two terminal cells lies in these ranges (Hangul Jamo,
the emoji among the symbols, then CJK and beyond): a title with none (curly quotes and
dashes included) is cut by characters, without measuring each one."""


def cut_title(text: str, limit: int = TITLE_LIMIT) -> str:
    """Cut *text* to at most *limit* terminal cells, at a word boundary when there is
    one in its second half, marking the cut with an ellipsis.

    Cells, not characters: a CJK character takes two, so 90 of them would be a title
    twice as wide as 90 Latin letters. A cut never splits a wide character.
    """
    text = text.strip()
    if len(text) <= limit and (text.isascii() or 2 * len(text) <= limit):
        return text  # fits whatever its characters' widths
    if text.isascii() or not _MAYBE_WIDE.search(text):
        # No character is wider than one cell (a combining mark is narrower: the cut
        # is then a little short, never too wide).
        if len(text) <= limit:
            return text
        end = limit - 1  # room for the ellipsis
    else:
        from rich.cells import cell_len  # not needed by most titles: imported late

        from .markdown import cells_prefix

        if cell_len(text) <= limit:
            return text
        end = cells_prefix(text, limit - 1)[0]
    cut = text.rfind(" ", 0, end + 1)
    if cut < end // 2:
        cut = end
    return text[:cut].rstrip(" ,;:-–—") + "…"


_ABBREVIATION_TEXT = (
    "mr mrs ms dr st jr sr prof gen lt col maj capt sgt gov sen rep rev no vs etc inc ltd co"
    " corp jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.g i.e"
)
_ABBREVIATIONS = frozenset(_ABBREVIATION_TEXT.split())


def first_sentence(paragraph: str) -> str:
    """The paragraph up to its first full stop that is not an initial or abbreviation."""
    for match in _SENTENCE_END.finditer(paragraph):
        following = paragraph[match.end() : match.end() + 1]
        if match.group()[-1:].isspace() and following.islower():
            continue  # "e.g. the", "approx. five": no new sentence starts in lower case
        before = paragraph[: match.start()].rstrip("\"'”’)")
        word = before[before.rfind(" ") + 1 :].rstrip(".!?").casefold()
        if len(word) <= 1 or word in _ABBREVIATIONS:
            continue
        return paragraph[: match.start()] + match.group().strip()
    return paragraph


# --- the whole --------------------------------------------------------------------


def _is_plain(text: str, utf8: bytes | None) -> bool:
    """True when *text* has nothing to neutralise and no odd blanks to tidy.

    *utf8*, the same text in UTF-8 (line endings aside), answers ~5× faster: searching
    a whole text for a character class costs ~5 ns a character (a fifth of parsing an
    article), while deleting the printable ASCII bytes, in C, leaves only the few
    bytes of the other characters, and those bytes are whole characters (no byte of a
    multi-byte UTF-8 sequence is ASCII), in order: the same search over them agrees.
    """
    if utf8 is None:
        return NOT_PLAIN.search(text) is None
    others = utf8.translate(None, PLAIN_ASCII)
    return not others or NOT_PLAIN.search(others.decode("utf-8", "replace")) is None


def parse_text(
    text: str,
    file_name: str = "",
    *,
    utf8: bytes | None = None,
    path: str | None = None,
    extracted: bool = False,
) -> ParsedText:
    """Parse decoded text (newlines already normalised). Never raises.

    *utf8* may be the bytes *text* was decoded from, when it is their whole strict
    UTF-8 decoding bar line endings (what :attr:`files.SourceText.utf8` holds): it
    only makes parsing faster. *path*, the file's path, gives dates in file and folder
    names and whether the text is markdown. *extracted*: the text was taken out of a
    web page by an HTML parser, so it is plain text, its entities read: nothing in it
    is a tag to strip or an entity to read again ("How the <br> tag works" is a title).
    """
    warnings: list[str] = []
    first, messages = first_mbox_message(text)
    if messages > 1:  # one article a file: the first message, and the count said
        text, utf8 = first, None
        warnings.append(f"the file holds {messages:,} e-mails (an mbox): only the first is shown")
    mail = decoded_email(text)
    if mail is not None:  # a body in quoted-printable, base64 or MIME parts
        text, mail_warnings = mail
        warnings.extend(mail_warnings)
        utf8 = None
    # One search tells most texts apart: nothing to neutralise, no odd blanks to tidy.
    plain = _is_plain(text, utf8)
    if not plain:
        text = neutralise(text)
    markup = markup_of(path)
    # A page's text is plain text; a markdown note's HTML and entities are markdown-it's
    # to read (outside its code: "std::vector<std::string>" in code was cut to "std::vector").
    stripped = text if extracted or markup == "markdown" else strip_html(text)
    if stripped is not text:
        plain = False
        if "&" in text:
            stripped = neutralise(stripped)  # an entity may have spelt a control: "&#27;"
    text = stripped
    untidied = text  # markdown needs its indentation (nested lists, code)
    if not plain:
        text = tidy_spaces(text)
    elif _has_double_space(text, utf8):
        text = SPACE_RUNS.sub(" ", text)
    lines = text.split("\n")
    header = read_header(lines, warnings)
    body_lines = lines[header.body_start : header.body_end]
    if header.body_replace:
        replace = header.body_replace.get
        body_lines = [replace(at, line) for at, line in enumerate(body_lines, header.body_start)]
    if header.first_body_line is not None:
        body_lines = [header.first_body_line, *body_lines]
    cleaned = clean_lines(body_lines, tidied=True)

    title = header.title
    title_source = header.title_source if title else ""
    if title is None:
        first_index = next((i for i, line in enumerate(cleaned) if line), None)
        if first_index is not None:
            candidate = cleaned[first_index]
            following = cleaned[first_index + 1 : first_index + 2]
            stands_alone = (
                not following
                or not following[0]
                or MD_HEADING.match(candidate)
                or is_dateline(following[0], candidate)  # a headline, then its date
            )
            # A headline needs a body after it: a one-line file is all body, not a title.
            has_body = any(cleaned[first_index + 1 :])
            if stands_alone and has_body and _looks_like_headline(candidate):
                title = MD_HEADING.sub("", candidate).strip()
                title_source = "headline"
                cleaned = cleaned[first_index + 1 :]
                # The headline is shown as the title; drop a repeat of it in the body.
                rest = next((i for i, line in enumerate(cleaned) if line), None)
                if rest is not None and cleaned[rest].casefold() == title.casefold():
                    cleaned = cleaned[rest + 1 :]
    paragraphs, longest = join_measured(cleaned)
    if longest > PARAGRAPH_LIMIT:
        warnings.append(
            f"a line of {longest:,} characters was split into paragraphs"
            f" of at most {PARAGRAPH_LIMIT:,}"
        )
    body_line = -1
    if markup == "markdown" and header.body_end is None and not header.body_replace:
        # (An export saved as .md is read as its layout says, not as markdown.)
        from .markdown import markdown_paragraphs

        title, md_paragraphs, body_line = markdown_paragraphs(
            untidied, header.body_start, header.first_body_line, cleaned, title, title_source
        )
        paragraphs = md_paragraphs if md_paragraphs is not None else paragraphs
    if title is None:
        if paragraphs:
            title = cut_title(first_sentence(paragraphs[0]))
            title_source = "first sentence"
        else:
            title = file_name or "(untitled)"
            title_source = "file name"
    if header.text_lines:
        # An unreadable front matter block: shown as text (first, as in the file), never
        # as the title.
        paragraphs = [*filter(None, clean_lines(header.text_lines)), *paragraphs]
    title = cut_title(tidy(title), HEADLINE_MAX_CHARS)

    date = header.date
    date_origin = header.date_origin if date is not None else None
    date_text, date_line = (header.date_text, header.date_line) if date else (None, None)
    if date is None:
        # A scraped page's byline or dateline near its headline ("By Staff | Oct 17, 2024").
        title_at = header.title_line or find_title_line(lines, header.body_start, title)
        # Front matter's fields are no byline: one it read as no date of the article
        # ("accessed: 2024-05-05", "next_review: 2030-01-01") stays none.
        matter = header.front_matter_end
        # An export's trailing fields are no byline ("LOAD-DATE: March 5, 2021").
        searched = lines if header.body_end is None else lines[: header.body_end]
        if matter:
            searched = [""] * matter + searched[matter:]
        dateline = find_dateline(searched, title_at)
        if dateline is not None:
            date, date_origin = dateline.date, "dateline"
            date_text, date_line = dateline.text, dateline.line
    if date is None:
        # No date in the text: one in the file or folder name, at the precision it gives.
        in_path = date_from_path(path)
        if in_path is not None:
            date, date_origin, date_text = in_path.date, in_path.origin, in_path.text
    if date is None and header.url:
        # A clipped page's address ("https://example.org/2024/10/17/talks"): its
        # folders date it as a file's folders do.
        from urllib.parse import urlsplit

        in_address = date_from_path(urlsplit(header.url).path)
        if in_address is not None:
            date, date_origin, date_text = in_address.date, "page address", in_address.text
    # The title is text from the file too ("Budget 2024: what changed"); a file name is not.
    named = [title, *paragraphs] if title_source != "file name" else paragraphs
    not_before = None
    if date is None:
        # Only strong evidence gives a year (infer.py); the years named are a hint.
        evidence = read_years("\n".join(named), utf8)
        named_years, not_before = evidence.named, evidence.not_before
        if evidence.year is not None:
            date, date_origin = ArticleDate(evidence.year, None, None, "inferred"), "text"
    else:
        named_years = ()  # the hint is for undated articles: a dated one needs no scan
    words = utf8_body = None  # markdown: tables and code keep their runs of spaces
    if body_line < 0:
        # Paragraphs are stripped with single spaces (tidy_spaces, neutralise): one
        # count of " " is exact and several times cheaper than splitting each paragraph.
        # It is made on the body's bytes, which the article needs anyway (kept below).
        utf8_body = "\n".join(paragraphs).encode("utf-8", "surrogatepass")
        words = count_spaces(utf8_body) + len(paragraphs)
    return ParsedText(
        title=title,
        title_source=title_source,
        date=date,
        date_text=date_text,
        date_line=date_line,
        source=header.source,
        author=header.author,
        url=header.url,
        tags=header.tags,
        paragraphs=paragraphs,
        warnings=warnings,
        # Paragraphs are stripped with single spaces (tidy_spaces, neutralise): one
        # count of " " is exact and several times cheaper than splitting each paragraph.
        words=words,
        date_origin=date_origin,
        years_named=named_years,
        not_before=not_before,
        markup=markup,
        body_line=body_line,
        utf8_body=utf8_body,
    )


_SPACE_BYTES = bytes(1 if byte == 0x20 else 0 for byte in range(256))
"""A translation table: 1 for a space, 0 for every other byte."""
_ADLER_EXACT = 65520
"""Below this many bytes, the byte sum in an Adler-32 checksum never wraps."""


def _has_double_space(text: str, utf8: bytes | None) -> bool:
    """``"  " in text``, for a plain *text* (:func:`_is_plain`) and its *utf8*.

    ``in`` stops at every single space (its candidate match) and mispredicts there,
    ~6 µs an article. Instead each byte becomes one bit, set for a space (a space is one
    byte in UTF-8, and no other character's bytes hold 0x20), and two spaces in a row
    are two set bits 8 apart: a few passes in C without a data-dependent branch. Line
    endings (``\r\n`` in *utf8*, ``\n`` in *text*) put no space beside another.
    """
    if utf8 is None:
        return "  " in text
    bits = int.from_bytes(utf8.translate(_SPACE_BYTES), "little")
    return bits & (bits >> 8) != 0


def count_spaces(utf8: bytes) -> int:
    """``utf8.count(b" ")``, about twice as fast on prose.

    ``count`` tests each byte and the branch mispredicts at nearly every space (one
    character in six), ~5 µs an article. Mapping each byte to 1 (a space) or 0, in C,
    then summing them has no such branch, and zlib's Adler-32 keeps that sum in its low
    16 bits (1 + the sum, modulo 65521): exact while the sum stays below the modulus.
    """
    if len(utf8) >= _ADLER_EXACT:
        return utf8.count(b" ")
    return (zlib.adler32(utf8.translate(_SPACE_BYTES)) & 0xFFFF) - 1


MARKDOWN_SUFFIXES = (".md", ".markdown")


def markup_of(path: str | None) -> str:
    """``markdown`` for a ``.md`` file, else ``text``."""
    return "markdown" if path and path.lower().endswith(MARKDOWN_SUFFIXES) else "text"
