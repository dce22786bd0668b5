"""The header block at the top of a file: metadata lines, e-mail headers, front matter.

Forms read (keys case-insensitive, in any order):

- ``Title:``/``Headline:``/``Subject:``, ``Date:``/``Published:``/``Posted:``/``Created:``
  (an ``Updated:`` date is used only when no original is given), ``Author:``/``By:``/
  ``Byline:``/``From:``, ``Source:``/``URL:``/``Link:``/``Canonical:`` (an address goes to
  ``url``, a ``Source:`` name to ``source``; a ``Link:`` that is no address is body text),
  ``Tags:``/``Keywords:``/``Categories:`` (split at commas);
- e-mail and newsletter headers: RFC 2822 dates read with :mod:`email.utils`, folded
  lines joined, ``=?utf-8?…?=`` words decoded, ``From: "Name" <addr>`` giving the name,
  and the transport lines (``Message-ID``, ``MIME-Version``, ``Received``…) recognised
  and kept out of the text; the block ends at its first blank line;
- YAML/TOML front matter (:mod:`.frontmatter`);
- ``date 2024-10-08`` and a line that is only a date (``*2024-02-14*``);
- a ``# Heading`` followed by a date line (or by header lines).

The cheap checks come first: most files are plain text whose first line is prose, and
they cost a few string tests here (front matter only when the text starts with ``---``
or ``+++``; a field regex only for a line with a colon near its start).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .dates import DATE_AT_START, MAX_YEAR, MIN_YEAR, ArticleDate, DateProblem, parse_stated_date
from .exports import Export, read_export
from .files import decode
from .frontmatter import read_front_matter
from .lazyre import LazyPattern
from .safe import neutralise_line

if TYPE_CHECKING:
    from email.message import MIMEPart

HEADER_SCAN_LINES = 12
"""How many non-blank lines at the top that are no known field (``Place of
publication:``) may be metadata."""
EMAIL_SCAN_LINES = 200
"""An e-mail's header block may be longer (``Received:`` chains); it ends at a blank line."""
MAX_FIELD_CHARS = 500

_FIELD = LazyPattern(r"^\s*(?P<key>[A-Za-z][A-Za-z_ -]{0,30}?)\s*:(?:\s+|$)(?P<value>.*)$")
_MAIL_FIELD = LazyPattern(r"^(?P<key>[A-Za-z][A-Za-z0-9_-]{0,60})\s*:(?:\s+|$)(?P<value>.*)$")
"""Inside an e-mail's header block, a key may hold digits (``X-MS-Exchange-…-V2``)."""
_BARE_DATE_KEY = LazyPattern(r"^\s*(?P<key>date|published|posted)\s+(?P<rest>\S.*)$", re.IGNORECASE)
_KEY_SEPARATORS = LazyPattern(r"[\s_]+")
_DECORATION = "*_[]()#> \t"
_HEADING = LazyPattern(r"^\s{0,3}#{1,6}\s+(?P<text>\S.*?)\s*#*\s*$")
_SEPARATOR = LazyPattern(r"^\s*[-=_*~]{3,}\s*$")
_SEPARATOR_STARTS = frozenset("-=_*~")
_MBOX_FROM_LINE = (
    r"From \S+ +(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) +"
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +\d{1,2} +\d{1,2}:\d\d(?::\d\d)?"
    r"(?: +\S+)? +\d{4}(?: +\S+)?[ \t]*$"
)
"""mbox's separator: ``From jane@example.org Thu Oct 17 09:30:00 2024`` (an asctime
date, a zone maybe before or after its year). Not any line that starts "From " and ends
in a year: "From Kyiv to Kherson: the long road of 2023" is a headline."""
_MBOX_FROM = LazyPattern("^" + _MBOX_FROM_LINE)
_MBOX_NEXT = LazyPattern("\n\n(?=" + _MBOX_FROM_LINE + ")", re.MULTILINE)
"""The blank line before the separator of a further message in an mbox."""
_URL = LazyPattern(r"^(?:https?://|www\.)[^\s<>\"]+$", re.IGNORECASE)
_RFC2822 = LazyPattern(
    r"^(?:[A-Za-z]{3},?\s+)?\d{1,2}\s+[A-Za-z]{3}\s+(?P<year>\d\d(?:\d\d)?)\s+\d{1,2}:\d{2}",
    re.IGNORECASE,
)
_FOUR_DIGITS = LazyPattern(r"(?<!\d)\d{4}(?!\d)")


def _keys(*names: str) -> frozenset[str]:
    return frozenset(names)


_ROLES: dict[str, str] = {}
for _role_name, _names in {
    "title": _keys("title", "headline", "subject"),
    "date": _keys(
        "date", "published", "posted", "created", "published-on", "posted-on", "pubdate",
        "publication-date", "date-published", "publish-date", "sent",
    ),
    "updated": _keys(
        "updated", "modified", "last-updated", "last-modified", "updated-on", "date-modified",
    ),
    "author": _keys("author", "authors", "by", "byline", "from", "written-by"),
    "url": _keys(
        "url", "link", "canonical", "canonical-url", "source-url", "original-url", "permalink",
        "document-url",
    ),
    "source": _keys("source", "publisher", "publication", "site", "publication-title"),
    # A bibliographic record's other fields (ProQuest's export: "Place of publication:",
    # "ProQuest document ID:"): metadata, not the body's first lines.
    "meta": _keys(
        "place-of-publication", "country-of-publication", "source-type",
        "language-of-publication", "document-type", "proquest-document-id", "copyright",
        "section", "page", "pages", "issn", "e-issn", "isbn", "publication-year",
        "publication-subject", "database", "volume", "issue", "doi", "accession-number",
        "identifier-keyword", "company-organization", "document-feature", "word-count",
        "edition", "language",
    ),
    "body": _keys("full-text"),  # ProQuest's "Full text: The talks…": the body begins
    "tags": _keys("tags", "tag", "keywords", "categories", "category"),
    "mail": _keys(
        "to", "cc", "bcc", "reply-to", "message-id", "mime-version", "content-type",
        "content-transfer-encoding", "content-language", "content-disposition", "received",
        "return-path", "delivered-to", "in-reply-to", "references", "sender", "importance",
        "priority", "thread-topic", "thread-index", "user-agent", "organization",
        "precedence", "list-id", "list-unsubscribe", "list-unsubscribe-post",
        "dkim-signature", "authentication-results", "received-spf", "feedback-id",
        "envelope-to", "newsgroups", "accept-language", "auto-submitted",
        # A Usenet article's (RFC 1036: Usenet archives such as 20 Newsgroups).
        "xref", "path", "followup-to", "distribution", "lines", "nntp-posting-host",
        "nntp-posting-date", "nntp-posting-user", "approved", "expires", "supersedes",
        "originator", "injection-info", "injection-date",
    ),
}.items():
    for _name in _names:
        _ROLES[_name] = _role_name
_MAIL_PREFIXES = ("x-", "list-", "arc-", "dkim-", "resent-")
_MAIL_ONLY = frozenset(
    {"to", "cc", "bcc", "reply-to", "message-id", "mime-version", "content-type", "received",
     "return-path", "delivered-to", "in-reply-to", "references", "sender", "sent",
     "newsgroups", "xref", "followup-to", "nntp-posting-host", "nntp-posting-date",
     "injection-info"}
)
"""Keys that say the block is an e-mail's (a ``Date:`` alone says nothing)."""


_GENERIC_META = frozenset(
    {"section", "page", "pages", "issue", "volume", "language", "edition", "copyright",
     "database", "doi", "isbn", "issn", "e-issn"}
)
"""Record fields whose names are everyday words: metadata only in a record (once one
of its own fields, ``Publication title:``, ``Source type:``, was read), else the
text's own words ("Issue: login fails…" first in a note; "Language: Python" under
a note's ``Title:``)."""
_RECORD_KEYS = frozenset({"publication-title", "publication-date", "document-url"})
"""Fields of other roles that only a bibliographic record has."""


@dataclass(slots=True)
class Header:
    """What the top of a file said about the article, and where its body starts."""

    title: str | None = None
    title_line: int | None = None
    """1-based line of a title stated in the text (None for one from front matter)."""
    title_source: str = "header"
    """``header``, ``front matter`` or ``headline`` (a ``# Heading`` over a date line)."""
    date: ArticleDate | None = None
    date_text: str | None = None
    date_line: int | None = None
    date_origin: str | None = None
    """A key of :data:`dates.DATE_ORIGINS`: ``header``, ``e-mail header``, ``front
    matter`` or ``dateline`` (a date line under a ``# Heading``); None when undated."""
    source: str | None = None
    author: str | None = None
    url: str | None = None
    tags: tuple[str, ...] = ()
    body_start: int = 0
    first_body_line: str | None = None
    """Body text that shared its line with a date (`` date 2024-10-08 In a move …``)."""
    text_lines: list[str] = field(default_factory=list)
    """Lines of a front matter block that could not be read: body text, never a title."""
    front_matter_end: int = 0
    """The line after a front matter block (0: none): its fields are no byline."""
    is_email: bool = False
    body_end: int | None = None
    """The line after the body, when metadata follows it (a news database export's
    trailing fields, :mod:`exports`); None: the body runs to the end."""
    body_replace: dict[int, str] = field(default_factory=dict)
    """Body lines read as other text (an export's ``BODY: The talks…`` as its value, a
    field between its paragraphs as a blank line): :attr:`exports.Export.body_replace`."""


_Header = Header  # the name this class had before it was public


_Found = tuple[ArticleDate, str, int | None, str]
"""A date, its text as written, its 1-based line and its origin (a DATE_ORIGINS key)."""


@dataclass(slots=True)
class _Dates:
    """Original and updated dates seen so far: the original wins whatever the order."""

    original: _Found | None = None
    updated: _Found | None = None


def _parse_date(text: str, line_no: int, warnings: list[str]) -> ArticleDate | None:
    try:
        return parse_stated_date(text)
    except DateProblem as problem:
        warnings.append(f"line {line_no}: {problem}")
        return None


def _parse_mail_date(value: str, *, in_email: bool = False) -> ArticleDate | None:
    """An RFC 2822 date (``Thu, 17 Oct 2024 09:30:00 +0100``), the day as the sender wrote it.

    None when *value* is not in that form; raises :class:`DateProblem` when it is but
    names no real day in 1900–2099 (no other reading is tried then). A two-digit year
    (``20 Apr 93``, the form RFC 822 prescribed, which old mail and Usenet archives
    hold) is read as RFC 5322 §4.3 says, 00–49 as 20xx and 50–99 as 19xx, only *in_email*:
    in an e-mail's or a news article's header block, where that rule is the format's.
    """
    form = _RFC2822.match(value)
    if not form:
        return None
    from email.utils import parsedate_tz

    try:
        parts = parsedate_tz(value)
    except (ValueError, TypeError, IndexError, OverflowError):
        parts = None
    if parts is None:
        raise DateProblem(f"stated date {value!r} could not be read; ignored")
    year, month, day = parts[0], parts[1], parts[2]
    written = form["year"]
    if len(written) == 2 and in_email:
        # Not the standard library's pivot (69–99 as 19xx): RFC 5322's.
        year = int(written) + (2000 if int(written) < 50 else 1900)
    elif str(year) not in _FOUR_DIGITS.findall(value):
        # "17 Oct 24" outside an e-mail: the standard library would pivot it; a wrong
        # year is worse than none.
        raise DateProblem(f"stated date {value!r} has no four-digit year; ignored")
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DateProblem(f"stated date {value!r} is outside {MIN_YEAR}–{MAX_YEAR}; ignored")
    try:
        dt.date(year, month, day)
    except ValueError:
        raise DateProblem(f"stated date {value!r} is impossible; ignored") from None
    return ArticleDate(year, month, day, "stated")


def _take_date(
    dates: _Dates, text: str, line_no: int, warnings: list[str], updated: bool = False,
    mail: bool = False, origin: str = "header", in_email: bool = False,
) -> None:
    text = text.strip()
    if (dates.updated if updated else dates.original) is not None:
        return
    try:
        parsed = _parse_mail_date(text, in_email=in_email) if mail else None
    except DateProblem as problem:
        warnings.append(f"line {line_no}: {problem}")
        return
    if parsed is None:
        parsed = _parse_date(text, line_no, warnings)
    if parsed is None:
        return
    if updated:
        dates.updated = (parsed, text, line_no, origin)
    else:
        dates.original = (parsed, text, line_no, origin)


def _split_date(text: str) -> tuple[str, str]:
    """A date at the start of *text* and what follows it (``("", text)`` when none)."""
    match = DATE_AT_START.match(text)
    if match is None:
        return "", text
    return match.group(), text[match.end() :].strip()


def _is_prose(text: str) -> bool:
    """Body text rather than a header's tail such as ``| 10:32`` or ``(updated)``."""
    return len(text.split()) >= 4 and sum(char.isalpha() for char in text) >= 12


def _key_name(key: str) -> str:
    """``Message_ID``, ``Last updated`` → ``message-id``, ``last-updated``."""
    name = key.strip().lower()
    if " " in name or "_" in name:
        name = _KEY_SEPARATORS.sub("-", name)
    return name


def _role(name: str) -> str | None:
    role = _ROLES.get(name)
    if role is None and name.startswith(_MAIL_PREFIXES):
        return "mail"
    return role


def _field_role(key: str) -> tuple[str, str | None]:
    """A field's key as compared (lower case, words joined by hyphens) and its role."""
    name = key.lower()
    role = _ROLES.get(name)
    if role is None:
        name = _key_name(name)
        role = _role(name)
    return name, role


def _says_email(name: str, value: str) -> bool:
    """A field only an e-mail's header block has (``From:`` with an address counts)."""
    return name in _MAIL_ONLY or name.startswith(_MAIL_PREFIXES) or (
        name == "from" and "@" in value
    )


def _starts_email(lines: list[str], start: int) -> bool:
    """The lines from *start* are an e-mail's header block: field lines (and folded
    continuations), a field only e-mails have among them, and before it only fields
    whose role is known. Known from its first line, the block's unknown fields
    (``Status:``, ``Autocrypt:``) and folded lines are headers wherever they come; found
    on the way, a folded ``Subject:`` on the first line had ended the block there."""
    first = lines[start]
    if first.startswith("From ") and _MBOX_FROM.match(first):
        return True
    if first.find(":", 0, 64) < 0:
        return False  # most files: prose on the first line
    for index in range(start, min(len(lines), start + EMAIL_SCAN_LINES)):
        line = lines[index]
        if not line.strip():
            return False
        if line[:1] in " \t":
            if index == start:
                return False
            continue
        match = _MAIL_FIELD.match(line)
        if match is None:
            return False
        name, role = _field_role(match["key"])
        if _says_email(name, match["value"]):
            return True
        if role is None:
            return False  # "Summary: …" first: a text's own field, or its first words
    return False


def first_mbox_message(text: str) -> tuple[str, int]:
    """*text* up to its second message when it is an mbox holding several (each starts
    with a ``From addr date`` line after a blank one), and how many it holds."""
    if not text.startswith("From ") or not _MBOX_FROM.match(text[: text.find("\n")]):
        return text, 1
    starts = [match.start() for match in _MBOX_NEXT.finditer(text)]
    return (text[: starts[0] + 1], len(starts) + 1) if starts else (text, 1)


def _decoded(value: str) -> str:
    """Decode RFC 2047 words (``=?utf-8?q?J=C3=B6rg?=``); the text as it was if they fail."""
    if "=?" not in value:
        return value
    from email.header import decode_header, make_header

    try:
        return neutralise_line(str(make_header(decode_header(value))))
    except Exception:  # noqa: BLE001 - a broken encoded word is the file's fault: keep it raw
        return value


def _clip(value: str) -> str:
    """Cut an overlong value (the caller's text is tidied: no runs of spaces to fold)."""
    if len(value) > MAX_FIELD_CHARS:
        value = value[: MAX_FIELD_CHARS - 1].rstrip() + "…"
    return value


def _person(value: str) -> str:
    """``"Jane Doe" <jane@example.org>`` → ``Jane Doe``; a bare address stays as it is."""
    value = _decoded(value)
    if "<" in value or "@" in value:
        from email.utils import parseaddr

        name, address = parseaddr(value)
        name = name.strip().strip('"').strip()
        if name or address:
            return name or address
    return value


def _tag_list(value: str) -> list[str]:
    tags = (part.strip().lstrip("#").strip() for part in re.split(r"[,;]", value))
    return [tag[:100] for tag in tags if tag]


def _header_like(line: str) -> bool:
    """Would this line continue a header block (a known ``Key:`` or a date line)?"""
    match = _FIELD.match(line)
    if match and _role(_key_name(match["key"])):
        return True
    stripped = line.strip().strip(_DECORATION)
    if stripped and DATE_AT_START.fullmatch(stripped) and not stripped.isdigit():
        return True
    bare = _BARE_DATE_KEY.match(line)
    return bool(bare and DATE_AT_START.match(bare["rest"]))


def _next_non_blank(lines: list[str], start: int, limit: int = 3) -> int | None:
    end = min(len(lines), start + limit + 1)
    return next((i for i in range(start, end) if lines[i].strip()), None)


def _apply_front_matter(header: Header, lines: list[str], warnings: list[str]) -> _Dates:
    dates = _Dates()
    matter = read_front_matter(lines, warnings)
    if matter is None:
        return dates
    header.body_start = header.front_matter_end = matter.end
    if not matter.ok:
        header.text_lines = matter.text_lines
        return dates
    if matter.title:
        # No title_line: the block is not the page, and a dateline is looked for near
        # the page's own headline (parse.py searches the body for the title).
        header.title, header.title_source = matter.title, "front matter"
    if matter.date is not None:
        found = (
            matter.date, matter.date_text or matter.date.iso(), matter.date_line, "front matter"
        )
        if matter.date_is_update:
            dates.updated = found
        else:
            dates.original = found
    header.author, header.source, header.url = matter.author, matter.source, matter.url
    header.tags = matter.tags
    return dates


_MIME_BODY = LazyPattern(
    r"^content-(?:transfer-encoding:[ \t]*(?:quoted-printable|base64)|type:[ \t]*multipart/)",
    re.IGNORECASE | re.MULTILINE,
)
"""A header line saying an e-mail's body is encoded or in parts."""

MIME_HEADER_CHARS = 65_536
"""How far into a text its header block may end for its body to be decoded as MIME."""


def decoded_email(text: str) -> tuple[str, list[str]] | None:
    """An e-mail whose body is quoted-printable, base64 or in MIME parts (a newsletter
    saved as text): its header lines as they are, then the text of its body decoded
    (the plain part, else the HTML one, then any other inline part of the same kind),
    with warnings for what is not shown (attachments, a body with no text part) or may
    be wrong (an unknown charset, damaged base64). None when *text* is no such e-mail,
    or its structure cannot be read (then it is read as it is)."""
    end = text.find("\n\n", 0, MIME_HEADER_CHARS)
    if end < 0 or not _MIME_BODY.search(text, 0, end):
        return None
    import email
    import email.errors
    import email.policy

    warnings: list[str] = []
    try:
        message = email.message_from_string(text, policy=email.policy.default)
        if message.get("from") is None and message.get("subject") is None:
            return None  # header-like lines, but no e-mail's
        part = message.get_body(preferencelist=("plain", "html"))
        body = _part_text(part, warnings) if part is not None else ""
        left_out: list[object] = []
        for other in message.iter_attachments():
            if part is not None and _continues_body(other, part):
                more = _part_text(other, warnings)
                if more.strip():  # the rest of the text, sent as a part of its own
                    body = f"{body.rstrip()}\n\n{more}"
            else:
                left_out.append(other.get_filename() or other.get_content_type())
        if part is None and not message.is_multipart():
            left_out.append(message.get_filename() or message.get_content_type())
    except (LookupError, ValueError, TypeError, AttributeError, email.errors.MessageError):
        return None  # a broken structure: the text as it is
    if part is None:
        warnings.insert(0, "the e-mail has no text part: nothing of its body is shown")
    if left_out:
        shown = ", ".join(neutralise_line(str(name)) for name in left_out[:5])
        more = f" and {len(left_out) - 5} more" if len(left_out) > 5 else ""
        warnings.append(f"e-mail attachments not shown: {shown}{more}")
    return text[:end] + "\n\n" + body.replace("\r\n", "\n"), warnings


def _continues_body(part: MIMEPart, body: MIMEPart) -> bool:
    """*part*, beside the body in a ``multipart/mixed``, is more of its text: inline,
    unnamed, of the body's own type (mailers send a signature or a footer so)."""
    return (
        part.get_content_type() == body.get_content_type()
        and part.get_content_disposition() != "attachment"
        and part.get_filename() is None
    )


_MAIL_CHARSETS = {"iso-8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252"}
"""Charsets mailers declare for Windows-1252 text (its quotes and dashes are C1 controls
in Latin-1): read as Windows-1252, as mail clients do."""


def _part_text(part: MIMEPart, warnings: list[str]) -> str:
    """The text of one MIME part. Base64 and quoted-printable are decoded to bytes and
    read in the part's charset; any other part is already text: the file's own
    decoding read its 8-bit bytes (asking the email package for it would encode that
    text again as escapes and read those back in the charset: "café" became "caf\ufffd").
    """
    encoding = str(part.get("content-transfer-encoding") or "").strip().lower()
    if encoding not in ("base64", "quoted-printable"):
        payload = part.get_payload()
        return payload if isinstance(payload, str) else ""
    defects = len(part.defects)
    data = part.get_payload(decode=True)
    if not isinstance(data, bytes):
        return ""
    if len(part.defects) > defects:
        warnings.append(f"the e-mail's {encoding} text is damaged: some of it may be missing")
    declared = part.get_content_charset()
    charset = _MAIL_CHARSETS.get(declared or "", declared)
    if charset in (None, "us-ascii", "ascii") and data.isascii():
        return data.decode("ascii")
    if charset not in (None, "us-ascii", "ascii"):
        try:
            return data.decode(charset)
        except LookupError:
            warnings.append(
                f"unknown charset {neutralise_line(charset)!r} in the e-mail:"
                " read as UTF-8, else Windows-1252"
            )
        except UnicodeDecodeError:
            warnings.append(
                f"the e-mail's text is not valid {neutralise_line(charset)}:"
                " read as UTF-8, else Windows-1252"
            )
    # Undeclared (or declared ASCII) 8-bit text, or a charset that does not fit: read as
    # a file is, UTF-8 when it is valid, else Windows-1252.
    decoded = decode(data)
    if decoded is None:
        warnings.append("an e-mail part said to be text is binary (NUL bytes): not shown")
        return ""
    return decoded[0]


def read_header(lines: list[str], warnings: list[str]) -> Header:
    """Read the metadata at the top of *lines*. Never raises; problems become *warnings*.

    ``body_start`` is the index of the first body line; everything above it is
    metadata (or, for an unreadable front matter block, in ``text_lines``).
    """
    export = read_export(lines)
    if export is not None:
        return _export_header(export, warnings)
    header = Header()
    dates = _Dates()
    first = lines[0] if lines else ""
    if first[:3] in ("---", "+++") or not first.strip():
        dates = _apply_front_matter(header, lines, warnings)
    index = header.body_start
    seen = 0
    limit = HEADER_SCAN_LINES
    if index < len(lines) and _starts_email(lines, index):
        header.is_email, limit = True, EMAIL_SCAN_LINES
    last_role: str | None = None
    in_record = False  # a bibliographic record's own field was read (see _GENERIC_META)
    under_heading = False
    while index < len(lines) and seen < limit:
        line = lines[index]
        if not line.strip():
            if header.is_email:
                index += 1  # an e-mail's header block ends at its first blank line
                break
            index += 1
            continue
        seen += 1
        line_no = index + 1
        if header.is_email and line[:1] in " \t" and last_role is not None:
            # A folded header: the line continues the one above it.
            if last_role == "title" and header.title is not None:
                header.title = _clip(header.title + " " + _decoded(line.strip()))
            index += 1
            continue
        # Most body lines have no colon near their start: one C search rules them out.
        if header.is_email:
            field_match = _MAIL_FIELD.match(line)
        else:
            field_match = _FIELD.match(line) if line.find(":", 0, 40) >= 0 else None
        role = None
        value = ""
        if field_match is not None:
            value = field_match["value"]
            if header.is_email:
                # Folded lines continue the field: its whole value, read once.
                while index + 1 < len(lines) and lines[index + 1][:1] in " \t":
                    if not lines[index + 1].strip():
                        break
                    index += 1
                    value += " " + lines[index].strip()
            value = value.strip()
            name, role = _field_role(field_match["key"])
            if role == "url" and not _URL.match(value):
                role = None  # "Link: see below" is body text, not an address to keep
            elif role == "meta" or name in _RECORD_KEYS:
                if name not in _GENERIC_META:
                    in_record = True
                elif not in_record:
                    role = None  # "Issue: login fails…", "Language: Python": the text's
            if role is None and header.is_email:
                role = "mail"  # Status:, Autocrypt:…: a header like any other here
        if role is not None:
            seen -= 1  # only lines that are no known field count: a record may be long
            if not header.is_email and _says_email(name, value):
                header.is_email = True
                limit = EMAIL_SCAN_LINES
            last_role = role
            if role in ("date", "updated"):
                mail = header.is_email or (":" in value and bool(_RFC2822.match(value)))
                date_text, remainder = ("", "") if mail else _split_date(value)
                _take_date(
                    dates, date_text or value, line_no, warnings, role == "updated", mail,
                    in_email=header.is_email,
                )  # fmt: skip
                if not mail and _is_prose(remainder):
                    # "Date: 2024-01-01 The talks began…": the body shares the line.
                    header.first_body_line = remainder
                    index += 1
                    break
            elif role == "title" and value and header.title is None:
                if "=?" in value:
                    value = _decoded(value)
                header.title = value if len(value) <= MAX_FIELD_CHARS else _clip(value)
                header.title_line = line_no
                # An e-mail's title is its Subject: the reading pane says so.
                header.title_source = "subject" if name == "subject" else "header"
            elif role == "author" and value and header.author is None:
                person = _person(value)
                header.author = _clip(person) if person else None
            elif role in ("url", "source") and value:
                if value[:1] in "hHwW" and _URL.match(value):
                    header.url = header.url or _clip(value)
                elif role == "source" and header.source is None:
                    header.source = _clip(value)
            elif role == "tags" and value and not header.tags:
                header.tags = tuple(dict.fromkeys(_tag_list(value)))[:50]
            elif role == "body":
                header.first_body_line = value or None
                index += 1
                break
            index += 1
            continue
        last_role = None
        if index == 0 and line.startswith("From ") and _MBOX_FROM.match(line):
            header.is_email, limit = True, EMAIL_SCAN_LINES  # mbox's "From addr date" line
            index += 1
            continue
        if header.is_email:
            break  # a line that is no header ends an e-mail's block (no blank line came)
        bare = _BARE_DATE_KEY.match(line)
        if bare:
            date_text, remainder = _split_date(bare["rest"])
            if date_text:
                _take_date(dates, date_text, line_no, warnings)
                index += 1
                if remainder:
                    header.first_body_line = remainder
                    break
                continue
        stripped = line.strip().strip(_DECORATION)
        if stripped and DATE_AT_START.fullmatch(stripped) and not stripped.isdigit():
            # A date on its own line under a "# Heading" is that heading's dateline.
            origin = "dateline" if under_heading else "header"
            _take_date(dates, stripped, line_no, warnings, origin=origin)
            index += 1
            continue
        if not under_heading and "#" in line[:4]:
            heading = _HEADING.match(line)
            after = _next_non_blank(lines, index + 1) if heading else None
            if (
                heading
                and after is not None
                and _header_like(lines[after])
                # Front matter may have named the title: the heading must repeat it, or
                # its text would be lost from the body.
                and (header.title is None or heading["text"].casefold() == header.title.casefold())
            ):
                # "# Title", then a date line or header lines: the heading is the title.
                if header.title is None:
                    header.title, header.title_line = _clip(heading["text"]), line_no
                    header.title_source = "headline"
                under_heading = True
                index += 1
                continue
        if (
            line.lstrip()[:1] in _SEPARATOR_STARTS
            and _SEPARATOR.match(line)
            and index + 1 < len(lines)
            and _header_like(lines[index + 1])
        ):
            index += 1  # "-----" above header lines: decoration, not the body's start
            continue
        break
    header.body_start = index

    chosen = dates.original or dates.updated
    if chosen is not None:
        header.date, header.date_text, header.date_line, origin = chosen
        header.date_origin = "e-mail header" if origin == "header" and header.is_email else origin
    return header


def _export_header(export: Export, warnings: list[str]) -> Header:
    """The header a news database export's layout gives (:func:`exports.read_export`)."""
    header = Header(
        title=_clip(export.title) if export.title else None,
        title_line=export.title_line + 1 if export.title_line is not None else None,
        title_source="export",
        source=_clip(export.source) if export.source else None,
        author=_clip(export.author) if export.author else None,
        url=_clip(export.url) if export.url and _URL.match(export.url) else None,
        body_start=export.body_start,
        body_end=export.body_end,
        body_replace=export.body_replace,
    )
    if export.date_text is not None and export.date_line is not None:
        dates = _Dates()
        _take_date(dates, export.date_text, export.date_line + 1, warnings)
        if dates.original is not None:
            header.date, header.date_text, header.date_line, header.date_origin = dates.original
    if export.articles > 1:
        warnings.append(
            f"the file holds {export.articles:,} articles (a {export.kind} export):"
            " only the first is shown"
        )
    return header
