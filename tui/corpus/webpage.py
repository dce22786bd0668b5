"""Saved web pages (``.html``, ``.htm``) read as articles.

trafilatura finds the main text and the page's metadata (title, author, site name,
URL, tags) with navigation, ads and comments removed; htmldate finds the
publication date (the original date, not the last update). Broadsheet's own reading
of bylines and datelines (:func:`datelines.find_dateline`) runs on the page's visible
text as a second opinion: on real pages it agrees with htmldate most of the time,
and where they differ the page's own byline was right seven times in eight (its
answers are rarely wrong, htmldate's more often), so a dateline found in the text
wins, and htmldate's answer stands when the text settles nothing.

Nothing here touches the network: both libraries are given a parsed tree, never a
string they could take for a URL to fetch, and lxml's parser is told not to load
anything. Both libraries (and lxml) are imported only when a page is read, in the
loader's worker processes, so a folder of text files never pays for them.

Everything a page gives is data. The decoded page is neutralised before parsing (a
control character never reaches the tree), and every string taken out of the tree
(entities may spell controls) is neutralised again, by ``parse_text`` for the text
and by ``build_article`` for the metadata, as for text files.
"""

from __future__ import annotations

import codecs
import html
import logging
import os
import re
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .files import Skipped, SourceText, decode, normalise_newlines, read_bytes
from .safe import is_safe, neutralise, neutralise_line

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from .parse import ParsedText


MAX_PAGE_BYTES = 5 << 20
"""Read at most this much of a page. Real article pages are far smaller (the largest
of 183 real pages measured was 1.4 MB, inline scripts and all); a larger one is
parsed from its first 5 MB, with a warning, so one huge page costs bounded time and
memory (lxml recovers from the cut)."""

MAX_TEXT_CHARS = 1 << 20
"""Visible text kept for ``r`` and the dateline search (the same bound as a text file)."""

SNIFF_BYTES = 4096
"""Where a ``<meta charset>`` is looked for: browsers look in the first 1024 bytes,
saved pages sometimes push it a little further down with comments."""

_HIDDEN = (
    "//script|//style|//noscript|//template|//iframe|//frame|//frameset|//object"
    "|//embed|//applet|//svg|//math|//canvas|//form|//select|//textarea|//button"
    "|//input|//dialog|//*[@hidden]|//*[@aria-hidden='true']"
    "|//*[contains(translate(@style,'DISPLAYNOEVIBT ','displaynoevibt'),'display:none')]"
    "|//*[contains(translate(@style,'DISPLAYNOEVIBT ','displaynoevibt'),'visibility:hidden')]"
)
"""What never reaches the screen: scripts, styles, embedded frames, forms and
elements the page itself hides."""

_BLOCK_NAMES = (
    "address article aside blockquote body br caption dd details div dl dt fieldset"
    " figcaption figure footer h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre"
    " section summary table tbody td tfoot th thead tr ul"
)
_BLOCKS = frozenset(_BLOCK_NAMES.split())
"""Elements that start a new line in the visible text (``<time>``, ``<span>`` and
``<a>`` do not: "By Jane Roe | <time>17 Oct 2024</time>" stays one byline)."""

_CHARSET = re.compile(
    rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]{1,40})""", re.IGNORECASE
)
"""``<meta charset="…">`` and ``<meta http-equiv="Content-Type" content="…; charset=…">``."""

_PAGE_ORIGIN_NAMES = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "publishdate",
    "pubdate",
    "publication_date",
    "date",
    "dc.date.issued",
    "dc.date",
    "dcterms.date",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
    "article.published",
    "article:post_date",
    "og:updated_time",
    "article:modified_time",
    "datemodified",
    "last-modified",
)
"""Metadata fields that name a date: the one whose value is the date chosen is named
as its origin ("from the page's metadata (article:published_time)")."""

_ISO_PREFIX = re.compile(r"\s*(\d{4})-?(\d{2})-?(\d{2})")
_JSON_DATE = re.compile(
    r'"(datePublished|dateCreated|dateModified|uploadDate)"\s*:\s*"([^"]{8,40})"'
)

_QUIET = ("trafilatura", "htmldate", "courlan", "justext", "charset_normalizer")


@dataclass(slots=True)
class Page:
    """A page read from disk: its parsed tree and its visible text."""

    path: str
    tree: HtmlElement | None
    lines: list[str]
    """The visible text, one block per line (the page's <title> first)."""
    encoding: str
    size: int
    warnings: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


# --- decoding -----------------------------------------------------------------------


def declared_charset(head: bytes) -> str | None:
    """The encoding a page declares in its first bytes (``<meta charset>`` or the
    ``http-equiv`` Content-Type), as a Python codec name; None when none is declared
    or the name is unknown."""
    match = _CHARSET.search(head[:SNIFF_BYTES])
    if match is None:
        return None
    label = match.group(1).decode("ascii", "replace").strip().lower()
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    if name.startswith(("utf-16", "utf-32")):
        return "utf-8"  # a page read as bytes cannot be UTF-16 without a BOM (WHATWG)
    if name in ("latin-1", "iso8859-1", "ascii"):
        return "cp1252"  # what browsers read these labels as: a superset
    return name


def decode_page(data: bytes, *, truncated: bool = False) -> tuple[str, str, list[str]] | None:
    """The page's text, the encoding used and warnings; None for binary data.

    A BOM first, then the charset the page declares, then strict UTF-8, then cp1252.
    Undecodable bytes become U+FFFD: decoding never fails.
    """
    warnings: list[str] = []
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        decoded = decode(data, truncated=truncated)
        if decoded is None:  # pragma: no cover - a BOM always decodes
            return None
        return decoded[0], decoded[1], warnings
    declared = declared_charset(data)
    if declared is not None:
        if b"\x00" in data:
            return None
        decoder = codecs.getincrementaldecoder(declared)(errors="replace")
        try:
            text = decoder.decode(data, final=not truncated)
        except Exception:  # a codec that fails on its own input: fall back below
            declared = None
        else:
            if "\ufffd" in text:
                warnings.append(f"undecodable bytes replaced ({declared})")
            return normalise_newlines(text), declared, warnings
    decoded = decode(data, truncated=truncated)
    if decoded is None:
        return None
    if decoded[1] == "cp1252":
        warnings.append("no charset declared and not valid UTF-8; decoded as cp1252")
    return decoded[0], decoded[1], warnings


# --- parsing --------------------------------------------------------------------------


def _quiet_libraries() -> None:
    """The libraries log what they discard; with no handler, Python would print it on
    stderr, under the reader's screen (and with the page's own text in it)."""
    for name in _QUIET:
        logger = logging.getLogger(name)
        if not logger.handlers:
            logger.addHandler(logging.NullHandler())
        logger.propagate = False


def parse_tree(text: str) -> HtmlElement | None:
    """The page's tree, or None when lxml finds no document in it."""
    import lxml.etree
    import lxml.html

    parser = lxml.html.HTMLParser(
        encoding="utf-8",
        remove_comments=True,
        remove_pis=True,
        no_network=True,
        huge_tree=False,  # libxml2's limits on depth and node size stay on
        default_doctype=False,
    )
    try:
        tree = lxml.html.document_fromstring(text.encode("utf-8", "replace"), parser=parser)
    except (lxml.etree.ParserError, ValueError, lxml.etree.XMLSyntaxError):
        return None
    return tree


_NOT_XML = {0xFFFE: 0xFFFD, 0xFFFF: 0xFFFD}
"""Noncharacters that lxml's parser keeps from the page's bytes but its setters refuse
("All strings must be XML compatible"): replaced like any unusable character."""


def _storable(text: str) -> str:
    """*text* neutralised, and storable back into an lxml tree."""
    return neutralise(text).translate(_NOT_XML)


def _neutralise_tree(tree: HtmlElement) -> None:
    """Neutralise, in place, the text and attributes that character references made
    unsafe. Without it, trafilatura fails on such a page (lxml refuses to store the
    control characters it would copy) and the page's metadata would be lost."""
    for element in tree.iter():
        text, tail = element.text, element.tail
        if text and not is_safe(text):
            element.text = _storable(text)
        if tail and not is_safe(tail):
            element.tail = _storable(tail)
        for name, value in element.attrib.items():
            if not is_safe(value):
                element.set(name, _storable(value))


_KEPT_FOR_DATES = frozenset({"script", "style"})
"""Hidden, but left in the tree for htmldate and trafilatura: scripts carry JSON-LD and
timestamps (removing them cost htmldate two right dates in 183), and both libraries
drop scripts and styles from the text themselves. :func:`visible_lines` drops them."""


def drop_hidden(tree: HtmlElement) -> None:
    """Remove, in place, what never reaches the screen (:data:`_HIDDEN`), but for the
    scripts and styles the libraries read dates from (never shown: see visible_lines)."""
    for element in tree.xpath(_HIDDEN):
        if element.tag in _KEPT_FOR_DATES:
            continue
        if element.getparent() is not None:
            element.drop_tree()


def visible_lines(tree: HtmlElement) -> list[str]:
    """The text a browser would show, one block per line, blank lines between runs.

    The page's ``<title>`` comes first (where a dateline search looks for the
    headline's repeat). Scripts, styles, frames, forms and hidden elements are gone.
    """
    from copy import deepcopy

    tree = deepcopy(tree)
    title = " ".join((tree.findtext(".//title") or "").split())
    for element in tree.xpath("//script|//style"):  # what drop_hidden kept
        if element.getparent() is not None:
            element.drop_tree()
    head = tree.find("head")
    if head is not None:
        head.drop_tree()
    for element in tree.iter():
        tag = element.tag
        if isinstance(tag, str) and tag in _BLOCKS:
            # Neutralised as they are rewritten: an entity may have spelt a control
            # character, which lxml refuses to store.
            element.tail = "\n" + _storable(element.tail or "")
            if element.text is not None or len(element):
                element.text = "\n" + _storable(element.text or "")
    text = tree.text_content()
    lines = [title] if title else []
    size = len(title)
    for raw in text.split("\n"):
        line = " ".join(raw.split())
        if line or (lines and lines[-1]):
            lines.append(line)
            size += len(line) + 1
            if size > MAX_TEXT_CHARS:
                break
    while lines and not lines[-1]:
        lines.pop()
    return lines


def read_page(path: str) -> Page | Skipped:
    """Read, decode and parse one page; a page that cannot be used comes back as Skipped."""
    try:
        data, size = read_bytes(path, MAX_PAGE_BYTES)
    except FileNotFoundError:
        return Skipped(path, "vanished while reading")
    except OSError as exc:
        return Skipped(path, f"unreadable: {exc.strerror or exc}")
    if size == 0 or not data.strip():
        return Skipped(path, "empty file")
    truncated = size > len(data)
    decoded = decode_page(data, truncated=truncated)
    del data
    if decoded is None:
        return Skipped(path, "binary file (NUL bytes)")
    text, encoding, warnings = decoded
    if truncated:
        warnings.append(
            f"page is {size / (1 << 20):.1f} MB; only the first"
            f" {MAX_PAGE_BYTES >> 20} MB was read"
        )
    # Neutralised before parsing: no control character or bidi override gets into the
    # tree, whatever the element or attribute it stood in.
    tree = parse_tree(neutralise(text))
    if tree is not None and "&#" in text:
        _neutralise_tree(tree)  # "&#27;" is decoded by the parser into a control again
    del text
    if tree is None:
        return Skipped(path, "not an HTML page (nothing to parse)")
    # Before either library sees the tree: trafilatura would keep a <noscript>'s text.
    drop_hidden(tree)
    lines = visible_lines(tree)
    return Page(path, tree, lines, encoding, size, warnings)


# --- metadata and dates ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PageDate:
    iso: str
    origin: str
    """A key of :data:`dates.DATE_ORIGINS`."""
    text: str | None = None
    """For ``page metadata``: the field's name; for ``page text``: the date as written."""
    line: int | None = None


def _metadata_field(tree: HtmlElement, iso: str) -> str | None:
    """The name of a metadata field whose value is the day *iso*, the most telling first."""
    found: dict[str, str] = {}
    for meta in tree.iterfind(".//meta"):
        name = meta.get("property") or meta.get("name") or meta.get("itemprop")
        content = meta.get("content") or meta.get("datetime")
        if not name or not content:
            continue
        match = _ISO_PREFIX.match(content)
        if match and "-".join(match.groups()) == iso:
            found.setdefault(name.strip().lower(), name.strip())
    for name in _PAGE_ORIGIN_NAMES:
        if name in found:
            return found[name]
    for script in tree.iterfind(".//script"):
        if "ld+json" not in (script.get("type") or ""):
            continue
        for key, value in _JSON_DATE.findall(script.text or ""):
            match = _ISO_PREFIX.match(value)
            if match and "-".join(match.groups()) == iso:
                return f"JSON-LD {key}"
    for element in tree.iterfind(".//time"):
        match = _ISO_PREFIX.match(element.get("datetime") or "")
        if match and "-".join(match.groups()) == iso:
            return "<time datetime>"
    if found:
        return next(iter(found.values()))
    return None


def _in_address(url: str | None, iso: str) -> bool:
    if not url:
        return False
    year, month, day = iso.split("-")
    return re.search(rf"{year}[/_-]?{month}[/_-]?{day}(?!\d)", url) is not None


def choose_date(
    htmldate_iso: str | None, tree: HtmlElement, lines: list[str], title: str | None,
    url: str | None,
) -> PageDate | None:  # fmt: skip
    """The page's date: its own byline or dateline in the visible text when there is
    one (it confirms htmldate's answer, or corrects it), else htmldate's answer."""
    from .datelines import find_dateline, find_title_line

    dateline = find_dateline(lines, find_title_line(lines, 0, title))
    if dateline is not None and dateline.date.precision == "day":
        iso = dateline.date.iso()
        if iso == htmldate_iso:
            named = _metadata_field(tree, iso)
            if named is not None:
                return PageDate(iso, "page metadata", named)
        return PageDate(iso, "page text", dateline.text, dateline.line)
    if htmldate_iso is None:
        return None
    named = _metadata_field(tree, htmldate_iso)
    if named is not None:
        return PageDate(htmldate_iso, "page metadata", named)
    if _in_address(url, htmldate_iso):
        return PageDate(htmldate_iso, "page address")
    return PageDate(htmldate_iso, "page")


def _escape_ampersands(tree: HtmlElement) -> list[tuple[HtmlElement, str | None, str]]:
    """Write every ``&`` in the tree's text and attributes as ``&amp;``, in place, and
    return what changed: the element, the attribute (None for its text, ``""`` for its
    tail) and the value as lxml read it.

    lxml has already read the page's character references, once, as a browser does.
    trafilatura reads them again: ``html.unescape`` runs on its main text and on every
    metadata string, so a title "What does &amp;amp; mean?" (shown "What does &amp;
    mean?") came out "What does & mean?", a paragraph's "Cut&amp;copy" came out
    "Cut©", and an address "?id=5&amp;copy=1" came out "?id=5©=1". Escaped once more,
    its unescaping gives back what lxml read. Scripts and styles are left alone: lxml
    decodes nothing in them, and trafilatura's one unescaping is what the JSON-LD in
    them needs (sites write it HTML-escaped).
    """
    changed: list[tuple[HtmlElement, str | None, str]] = []
    for element in tree.iter():
        tail = element.tail
        if tail and "&" in tail:
            changed.append((element, "", tail))
            element.tail = tail.replace("&", "&amp;")
        if not isinstance(element.tag, str):
            continue
        text = element.text
        if text and "&" in text and element.tag not in _KEPT_FOR_DATES:
            changed.append((element, None, text))
            element.text = text.replace("&", "&amp;")
        for name, value in element.attrib.items():
            if "&" in value:
                changed.append((element, name, value))
                element.set(name, value.replace("&", "&amp;"))
    return changed


def _restore(changed: list[tuple[HtmlElement, str | None, str]]) -> None:
    """Undo :func:`_escape_ampersands`: the tree is read again for the date's origin."""
    for element, name, value in changed:
        if name is None:
            element.text = value
        elif name == "":
            element.tail = value
        else:
            element.set(name, value)


def extract(page: Page) -> dict[str, Any]:
    """trafilatura's reading of the page: main text and metadata, and htmldate's date.

    ``fast`` (no fallback extractors) was measured on 183 real pages: the same text
    (median 3.3 KB, none empty) as the full run in two thirds of the time;
    ``favor_precision`` lost text on seven pages. htmldate runs in its extensive mode
    with ``original_date`` (90.6 % → 93.4 % exact on those pages against the fast
    mode's 86.9 %).
    """
    import trafilatura

    _quiet_libraries()
    tree = page.tree
    if tree is None:
        return {}
    params = {
        "extensive_search": True,
        "original_date": True,
        "outputformat": "%Y-%m-%d",
    }
    escaped = _escape_ampersands(tree)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a deprecation notice must not reach the screen
        try:
            document = trafilatura.bare_extraction(
                tree,  # a tree, never a string: nothing can be taken for a URL to fetch
                fast=True,
                favor_precision=False,
                include_comments=False,
                include_tables=True,
                include_images=False,
                include_links=False,
                with_metadata=True,
                date_extraction_params=params,
            )
        except Exception:  # a library's fault on a strange page: the visible text stands
            document = None
        finally:
            _restore(escaped)
    if document is None:
        return {}
    if not isinstance(document, dict):
        document = document.as_dict()
    tags = [*(document.get("categories") or []), *(document.get("tags") or [])]
    return {**document, "tags": tags}


# --- the article --------------------------------------------------------------------


def _metadata_text(value: object) -> str:
    """A metadata string as one safe line. Its entities were read once, as a browser
    reads them (by lxml, or for JSON-LD by trafilatura: see :func:`_escape_ampersands`),
    and are not read again: "&amp;copy" in a title is shown "&copy", not "©".
    Neutralised, so a control character an entity spelt is no escape."""
    return " ".join(neutralise_line(str(value)).split())


def _tags(values: list[str]) -> tuple[str, ...]:
    """Tags and categories, their entities read: trafilatura unescapes neither a
    category nor a tag taken from the page's links, and JSON-LD, which no HTML parser
    decodes, is often written HTML-escaped (a category "Science &amp; Health" in 2 of
    the 183 real pages measured). A browser shows none of them; a keyword written
    escaped twice in a ``<meta>`` ("R&amp;amp;B") is read as meant, "R&B"."""
    seen: dict[str, str] = {}
    for value in values:
        text = str(value)
        if "&" in text:
            text = html.unescape(text)
        for part in _metadata_text(text).split(","):
            tag = part.strip()[:60]
            if tag and tag.casefold() not in seen:
                seen[tag.casefold()] = tag
    return tuple(seen.values())[:20]


def _line(value: object, limit: int = 300) -> str | None:
    if not value:
        return None
    return _metadata_text(value)[:limit] or None


def parse_page(page: Page, file_name: str = "") -> ParsedText:
    """The article of a page: trafilatura's text cleaned as a text file's is, its
    metadata, and the date :func:`choose_date` settles on."""
    from .dates import ArticleDate
    from .parse import parse_text

    found = extract(page)
    title = _line(found.get("title"))
    url = _line(found.get("url"), 2000)
    main = found.get("text") or ""
    if not main.strip():
        # trafilatura kept nothing (a page of links, a script-only page): the visible
        # text is what there is.
        main = "\n".join(page.lines[1:] if page.tree is not None else page.lines)
    if title:
        # The headline opens the main text too: shown once, as the title (as a text
        # file's headline is), so a page and its text copy clean to the same article.
        first, _, rest = main.lstrip().partition("\n")
        if " ".join(first.split()).casefold() == title.casefold():
            main = rest
    header = f"Title: {title}\n\n" if title else ""
    # Plain text, never HTML: what looks like a tag in it ("How the <br> tag works")
    # is text, and its entities were read already.
    parsed = parse_text(header + main, file_name=file_name, path=page.path, extracted=True)
    if title:
        parsed.title_source = "page"
    parsed.author = _line(found.get("author"), 200) or parsed.author
    parsed.source = _line(found.get("sitename"), 200) or parsed.source
    parsed.url = url or parsed.url
    parsed.tags = _tags(found.get("tags") or []) or parsed.tags
    parsed.warnings[:0] = page.warnings
    chosen = None
    if page.tree is not None:
        chosen = choose_date(found.get("date"), page.tree, page.lines, title, url)
    if chosen is not None:
        year, month, day = map(int, chosen.iso.split("-"))
        if 1900 <= year <= 2099:
            parsed.date = ArticleDate(year, month, day)
            parsed.date_origin = chosen.origin
            parsed.date_text = neutralise_line(chosen.text) if chosen.text else None
            parsed.date_line = chosen.line
            parsed.years_named = ()
            parsed.not_before = None
    elif parsed.date is not None and parsed.date_origin == "dateline":
        # A dateline in the main text alone (the visible text's search found none):
        # its line number is of the extracted text, which nothing shows.
        parsed.date_origin, parsed.date_line = "page text", None
    return parsed


def read_page_article(path: str) -> tuple[SourceText, ParsedText] | Skipped:
    """Read one page into what :func:`model.build_article` takes. Never raises for
    anything in the page."""
    page = read_page(path)
    if isinstance(page, Skipped):
        return page
    stem = os.path.splitext(os.path.basename(path))[0]
    try:
        parsed = parse_page(page, stem)
    except RecursionError:
        return Skipped(path, "HTML nested too deeply to read")
    source = SourceText(path, page.text, page.encoding, page.size, [])
    return source, parsed


def page_raw_text(path: str) -> str:
    """What ``r`` shows for a page: its visible text, never its HTML source."""
    page = read_page(path)
    if isinstance(page, Skipped):
        return f"({page.reason})"
    return neutralise(page.text)
