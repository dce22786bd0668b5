"""Markdown as plain data: blocks of neutralised text with styled spans and links.

A ``.md`` file's body is parsed with markdown-it-py (CommonMark, plus tables and
strike-through) into :class:`Block` records that the reading pane draws, and into
plain paragraphs (no ``**``, no ``[text](url)``, tables as aligned rows) that search,
word counts and ``--show`` use. Both come from one :class:`Document`, so what is found
is what is shown.

Everything here is untrusted input. Raw HTML is never interpreted: markdown-it finds
it by CommonMark's rules (so ``a<b && c>d`` and ``List<Integer>`` are text, and code is
never touched), its tags are dropped (``<br>`` is a line break) and an HTML block's text
is kept as paragraphs (:func:`clean.strip_html`); entities are read by markdown-it,
outside code only. Every piece of text passes
:func:`safe.neutralise`. Only ``http``, ``https`` and ``mailto`` links become
clickable, and only with no blank or control character in them.

markdown-it is imported on first use: a folder of plain text never pays for it, and a
``.md`` file with no markdown syntax in its body (:func:`needs_markdown`) is read by
the plain-text path, which gives the same paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from .clean import drop_boilerplate, is_boilerplate, strip_html
from .safe import neutralise

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

MARKDOWN_LIMIT = 256 * 1024
"""Bodies longer than this (characters) are read as plain text: markdown-it parses
about 1 MB a second, and loading a folder must not stall on one huge note."""

_SYNTAX_CHARACTERS = re.compile(r"[*_`\[\]|<>~\\&]")
"""Emphasis, code, links, tables, autolinks and HTML, escapes and entities: a character
class, which ``re`` scans for in C (a few µs for a page, where an alternation took 100)."""
_LINE_BREAK_TAG = re.compile(r"<br\s*/?>", re.IGNORECASE)
_SYNTAX_LINE = re.compile(r"\n[ \t]*(?:[#>+=-]|\d{1,9}[.)])")
"""Headings, quotes, lists, setext underlines and rules: after a line break, which
``re`` finds as a literal before trying the rest."""
_SYNTAX_FIRST_LINE = re.compile(r"[ \t]*(?:[#>+=-]|\d{1,9}[.)])")
_INDENTED = re.compile(r"\n(?: {4}|\t)")
"""Indented code (or a list item's continuation)."""

_LINK_SCHEMES = ("http://", "https://", "mailto:")
_NOT_IN_LINK = re.compile(r"[\x00-\x20\x7f-\x9f\s]")

Style = str
"""A span's style: ``strong``, ``em``, ``strike``, ``code``, ``link`` or ``image``."""


@dataclass(frozen=True, slots=True)
class Span:
    """Characters ``start:end`` of a block's text drawn in *style*."""

    start: int
    end: int
    style: Style
    link: str | None = None
    """For ``link`` spans: the address, when it is safe to make clickable."""


@dataclass(frozen=True, slots=True)
class Block:
    """One block of the document, as plain data (no Rich, no Textual).

    *kind* is ``heading``, ``paragraph``, ``code``, ``table`` or ``rule``. A hard line
    break inside a paragraph is a ``\\n`` in *text* (the plain paragraph has a space).
    """

    kind: str
    text: str = ""
    spans: tuple[Span, ...] = ()
    level: int = 0
    """Heading level, 1–6."""
    marker: str = ""
    """A list item's marker on its first line: ``-`` (a bullet) or ``3.``; later
    paragraphs of the same item have none but the same *depth*."""
    depth: int = 0
    """List nesting: 0 outside lists."""
    quote: int = 0
    """Block-quote nesting."""
    rows: tuple[tuple[str, ...], ...] = ()
    """A table's cells, header row first (every row as long as the header)."""
    aligns: tuple[str, ...] = ()
    """Per column: ``left``, ``right`` or ``center``."""
    language: str = ""
    """A fenced code block's info string (``python``), neutralised."""

    @property
    def plain(self) -> str:
        """The block as one line of clean text (tables, code: :meth:`Document.paragraphs`)."""
        text = self.text.replace("\n", " ") if "\n" in self.text else self.text
        if self.marker:
            return f"{self.marker} {text}"
        return text


@dataclass(slots=True)
class Document:
    """A parsed markdown body: the blocks the reading pane draws."""

    blocks: list[Block] = field(default_factory=list)
    partial: bool = False
    """Only the start of the body (see :func:`body_head`)."""

    def paragraphs(self) -> list[str]:
        """Clean plain text, one string per paragraph (no newline, no tab in any)."""
        out: list[str] = []
        for block in self.blocks:
            if block.kind == "rule":
                continue
            if block.kind == "code":
                out.extend(_tidy(line) for line in block.text.split("\n") if line.strip())
            elif block.kind == "table":
                out.extend(line.rstrip() for line in table_lines(block) if line.strip())
            else:
                plain = _tidy(block.plain)
                if plain:
                    out.append(plain)
        return out

    def text_groups(self) -> list[list[tuple[str, str, bool]]]:
        """The document as plain text for ``--show``: groups of lines printed with a
        blank line between groups (a list's items, a table's rows and a code block's
        lines are one group each). A line is ``(lead, text, wrap)``: *lead* goes before
        the first wrapped line (a list marker, ``> `` for a quote), *wrap* is False for
        code and table rows, which keep their spacing."""
        groups: list[list[tuple[str, str, bool]]] = []
        in_list = False
        for block in self.blocks:
            quote = "> " * block.quote
            indent = "  " * max(0, block.depth - 1)
            item = block.depth > 0 and block.kind == "paragraph"
            if not (item and block.marker and in_list and groups):
                groups.append([])
            in_list = item
            group = groups[-1]
            if block.kind == "code":
                group.extend((quote + indent, line, False) for line in block.text.split("\n"))
            elif block.kind == "table":
                group.extend((quote + indent, line.rstrip(), False) for line in table_lines(block))
            elif block.kind == "rule":
                groups.pop()
            else:
                text = _tidy(_with_addresses(block))
                if item:
                    marker = f"{block.marker} " if block.marker else "  "
                    group.append((quote + indent + marker, text, True))
                else:
                    group.append((quote, text, True))
        return [group for group in groups if group]


def _tidy(text: str) -> str:
    return " ".join(text.split())


def _with_addresses(block: Block) -> str:
    """The block's text with each link's address after its text, ``<…>``, as ``--show``
    prints it (a reading list printed without them lost its sources); not where the
    text is the address already. Only safe addresses are kept (:func:`safe_link`)."""
    text = block.text
    links = sorted((span for span in block.spans if span.link), key=lambda span: -span.end)
    for span in links:
        if text[span.start : span.end].strip() != span.link:
            text = f"{text[: span.end]} <{span.link}>{text[span.end :]}"
    return text


def needs_markdown(body: str) -> bool:
    """True when *body* has markdown syntax: without any, the plain-text path reads it
    the same, and markdown-it (a few ms for a page) is not needed."""
    return (
        _SYNTAX_CHARACTERS.search(body) is not None
        or _SYNTAX_LINE.search(body) is not None
        or _SYNTAX_FIRST_LINE.match(body) is not None
        or _INDENTED.search(body) is not None
        or body.startswith(("    ", "\t"))
    )


def safe_link(url: str | None) -> str | None:
    """*url* when it may become a clickable OSC 8 link: http(s) or mailto, nothing
    that could end the escape sequence or hide in it (blanks, controls). Else None."""
    if not url or len(url) > 2000:
        return None
    if not url.lower().startswith(_LINK_SCHEMES):
        return None
    if _NOT_IN_LINK.search(url) or not url.isascii():
        return None
    return url


_PARSER: MarkdownIt | None = None


def _parser() -> MarkdownIt:
    global _PARSER
    if _PARSER is None:
        from markdown_it import MarkdownIt

        # CommonMark, tables and ~~strike~~ on; raw HTML recognised, to be dropped (the
        # tags) or read as text (an HTML block's), never rendered.
        from mdit_py_plugins.footnote import footnote_plugin

        _PARSER = (
            MarkdownIt("commonmark", {"html": True})
            .enable(["table", "strikethrough"])
            .use(footnote_plugin)  # "[^1]: Ibid." was read as a link's definition: gone
        )
    return _PARSER


class _Inline:
    """Text and spans of one inline run, built token by token."""

    __slots__ = ("parts", "length", "spans", "open")

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.spans: list[Span] = []
        self.open: list[tuple[Style, int, str | None]] = []

    def add(self, text: str) -> None:
        if not text:
            return
        text = neutralise(text)
        if "\t" in text:
            text = text.replace("\t", " ")
        if "\n" in text:
            text = text.replace("\n", " ")
        self.parts.append(text)
        self.length += len(text)

    def push(self, style: Style, link: str | None = None) -> None:
        self.open.append((style, self.length, link))

    def pop(self, style: Style) -> None:
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == style:
                _, start, link = self.open.pop(index)
                if self.length > start:
                    self.spans.append(Span(start, self.length, style, link))
                return

    def styled(self, text: str, style: Style) -> None:
        self.push(style)
        self.add(text)
        self.pop(style)

    def result(self) -> tuple[str, tuple[Span, ...]]:
        text = "".join(self.parts)
        # Leading and trailing blanks go; spans shift with the leading ones.
        stripped = text.lstrip(" ")
        lead = len(text) - len(stripped)
        stripped = stripped.rstrip(" \n")
        limit = len(stripped)
        spans = []
        for span in sorted(self.spans, key=lambda s: (s.start, -s.end)):
            start = max(0, span.start - lead)
            end = min(limit, span.end - lead)
            if end > start:
                spans.append(Span(start, end, span.style, span.link))
        return stripped, tuple(spans)


def _inline(token: Any) -> tuple[str, tuple[Span, ...]]:
    """Text and spans of an ``inline`` token's children."""
    run = _Inline()
    for child in token.children or ():
        kind = child.type
        if kind == "text":
            run.add(child.content)
        elif kind == "softbreak":
            run.add(" ")
        elif kind == "hardbreak":
            run.parts.append("\n")
            run.length += 1
        elif kind == "code_inline":
            run.styled(child.content, "code")
        elif kind in ("strong_open", "em_open", "s_open"):
            run.push({"strong_open": "strong", "em_open": "em", "s_open": "strike"}[kind])
        elif kind in ("strong_close", "em_close", "s_close"):
            run.pop({"strong_close": "strong", "em_close": "em", "s_close": "strike"}[kind])
        elif kind == "link_open":
            href = child.attrGet("href")
            run.push("link", safe_link(neutralise(str(href)) if href is not None else None))
        elif kind == "link_close":
            run.pop("link")
        elif kind == "image":
            alt = (
                "".join(
                    grandchild.content for grandchild in child.children or () if grandchild.content
                )
                or child.content
            )
            run.styled(alt or "image", "image")
        elif kind == "footnote_ref":
            run.add(_footnote_label(child))
        elif kind == "html_inline":
            if _LINE_BREAK_TAG.match(child.content):
                run.parts.append("\n")  # "Line one<br>Line two", in a table cell too
                run.length += 1
            # Any other tag is markup, dropped; the text between tags is text tokens.
        elif child.content:  # anything else as text
            run.add(child.content)
    return run.result()


def _footnote_label(token: Any) -> str:
    """``[1]``, ``[src]``: a footnote's label, as its reference and its note show it."""
    return f"[{token.meta.get('label', token.meta.get('id', ''))}]"


def _align(token: Any) -> str:
    style = str(token.attrGet("style") or "")
    if "right" in style:
        return "right"
    if "center" in style:
        return "center"
    return "left"


def parse_markdown(source: str) -> Document:
    """Parse a markdown body into blocks. Never raises for anything in *source*."""
    try:
        tokens = _parser().parse(source)
    except Exception:  # noqa: BLE001 - a parser bug must not lose the article
        return Document(
            [
                Block("paragraph", _tidy(neutralise(line)))
                for line in source.split("\n")
                if line.strip()
            ]
        )
    blocks: list[Block] = []
    quote = 0
    lists: list[list[int]] = []
    """Open lists, innermost last: [next number] for ordered, [-1] for bullets."""
    item_marker: list[str] = []
    """The marker still to be drawn for each open item (emptied once used)."""
    heading = 0
    table_rows: list[tuple[str, ...]] = []
    aligns: list[str] = []
    row: list[str] = []
    in_table = False

    def take_marker() -> str:
        if not item_marker:
            return ""
        marker = item_marker[-1]
        item_marker[-1] = ""
        return marker

    for token in tokens:
        kind = token.type
        if kind == "blockquote_open":
            quote += 1
        elif kind == "blockquote_close":
            quote = max(0, quote - 1)
        elif kind == "bullet_list_open":
            lists.append([-1])
        elif kind == "ordered_list_open":
            start = token.attrGet("start")
            try:
                first = int(str(start)) if start is not None else 1
            except ValueError:
                first = 1
            lists.append([first])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            if lists:
                lists.pop()
        elif kind == "footnote_block_open":
            blocks.append(Block("rule", depth=len(lists), quote=quote))
        elif kind == "footnote_open":
            # Drawn as an item of a list of notes, its label for a marker: "[1] Ibid."
            lists.append([-1])
            item_marker.append(_footnote_label(token))
        elif kind == "footnote_close":
            if lists:
                lists.pop()
            if item_marker:
                item_marker.pop()
        elif kind == "list_item_open":
            if lists and lists[-1][0] >= 0:
                number = lists[-1][0]
                lists[-1][0] = number + 1
                item_marker.append(f"{number}{token.markup or '.'}")
            else:
                item_marker.append("-")
        elif kind == "list_item_close":
            marker = item_marker.pop() if item_marker else ""
            if marker:  # an empty item ("-" alone on its line) still shows
                blocks.append(Block("paragraph", "", marker=marker, depth=len(lists), quote=quote))
        elif kind == "heading_open":
            heading = int(token.tag[1:]) if token.tag[1:].isdigit() else 1
        elif kind == "heading_close":
            heading = 0
        elif kind == "table_open":
            in_table, table_rows, aligns = True, [], []
        elif kind == "tr_open":
            row = []
        elif kind in ("th_open", "td_open"):
            if not table_rows:
                aligns.append(_align(token))
        elif kind == "tr_close":
            table_rows.append(tuple(row))
        elif kind == "table_close":
            in_table = False
            if table_rows:
                width = len(table_rows[0])
                rows = tuple((tuple(r) + ("",) * width)[:width] for r in table_rows)
                blocks.append(
                    Block(
                        "table",
                        rows=rows,
                        aligns=tuple(aligns[:width]),
                        depth=len(lists),
                        quote=quote,
                    )
                )
        elif kind == "inline":
            text, spans = _inline(token)
            if in_table:
                row.append(text.replace("\n", " "))
            elif heading:
                blocks.append(Block("heading", text, spans, level=heading, quote=quote))
            else:
                blocks.append(
                    Block(
                        "paragraph",
                        text,
                        spans,
                        marker=take_marker(),
                        depth=len(lists),
                        quote=quote,
                    )
                )
        elif kind in ("fence", "code_block"):
            code = neutralise(token.content.rstrip("\n")).replace("\t", "    ")
            language = neutralise(token.info.strip()).replace("\t", " ")[:40]
            take_marker()
            blocks.append(Block("code", code, depth=len(lists), quote=quote, language=language))
        elif kind == "hr":
            blocks.append(Block("rule", depth=len(lists), quote=quote))
        elif kind == "html_block":  # its text, a paragraph a line; tags and scripts go
            blocks.extend(
                Block("paragraph", _tidy(neutralise(line)), quote=quote)
                for line in strip_html(token.content).split("\n")
                if line.strip()
            )
    return Document(blocks)


def _fold(text: str) -> str:
    return " ".join(text.replace("*", "").replace("_", "").replace("`", "").split()).casefold()


def clean_document(document: Document, title: str | None = None) -> Document:
    """Drop what the plain-text path drops: scraping boilerplate, a block repeated right
    after itself, and the title repeated as the body's first block.

    Boilerplate goes a sentence at a time, as in plain text, from a block with no
    styled span; a block with spans loses only what is boilerplate as a whole (its
    spans would not survive the cut)."""
    kept: list[Block] = []
    previous = ""
    title_fold = _fold(title) if title else ""
    for block in document.blocks:
        if block.kind in ("heading", "paragraph") and not block.marker:
            plain = block.plain
            if plain and is_boilerplate(plain):
                continue
            if plain and not block.spans and "\n" not in block.text:
                rest = drop_boilerplate(plain)
                if rest != plain:
                    block = replace(block, text=rest)
                    plain = rest
            folded = plain.casefold()
            if folded and folded == previous:
                continue
            if title_fold and not kept and _fold(plain) == title_fold:
                continue
            previous = folded
        else:
            previous = ""
        kept.append(block)
    return Document(kept)


def markdown_body(text: str, body_line: int) -> str:
    """The markdown body of a file's text as :func:`model.read_as_loaded` gives it
    (already neutralised), from *body_line* (0-based): the text :func:`parse.parse_text`
    read it from (which leaves its HTML and entities to markdown-it)."""
    return "\n".join(text.split("\n")[body_line:])


def read_document(body: str, title: str | None = None) -> Document:
    """Parse and clean a markdown body (what both parsing and the reading pane call)."""
    return clean_document(parse_markdown(body), title)


def _indented(body: str) -> bool:
    return _INDENTED.search(body) is not None or body.startswith(("    ", "\t"))


def markdown_paragraphs(
    text: str,
    body_start: int,
    first_body_line: str | None,
    cleaned: list[str],
    title: str | None,
    title_source: str,
) -> tuple[str | None, list[str] | None, int]:
    """For :func:`parse.parse_text`: a ``.md`` file's title, paragraphs and body line.

    *text* is the file's text as parsing read it (neutralised, HTML dropped, blanks
    not yet tidied), *cleaned* its body's lines after the plain-text cleaning. Returns
    ``(title, None, -1)`` when the plain-text path reads the body the same (no markdown
    syntax left after cleaning: no need to parse it), or when the body cannot be found
    again in the raw text (a date line that shares its line with the body). Else the
    title as plain text, the document's plain paragraphs and *body_start*.
    """
    if title is not None and _SYNTAX_CHARACTERS.search(title):
        title = inline_text(title)  # "# **Bold** headline", a front matter title
    if first_body_line is not None:
        return title, None, -1
    body = "\n".join(text.split("\n")[body_start:])
    if len(body) > MARKDOWN_LIMIT:
        return title, None, -1
    if not needs_markdown("\n".join(cleaned)) and not _indented(body):
        return title, None, -1
    document = read_document(body, _repeated_title(title, title_source))
    return title, document.paragraphs(), body_start


def _repeated_title(title: str | None, title_source: str) -> str | None:
    """The title a body's first block may repeat (then dropped): a title stated apart
    from the body or taken from its first line, not one made from its first sentence."""
    return title if title_source not in ("first sentence", "file name") else None


def document_for(
    raw_text: str,
    body_line: int,
    title: str,
    title_source: str,
    expected: list[str] | None = None,
    head: int | None = None,
) -> Document | None:
    """The document the reading pane draws, from the file's text as read again
    (:func:`model.read_raw`). None when it no longer gives the *expected* paragraphs
    (the file changed or vanished since it was loaded): draw those instead. With
    *head*, a long body is cut near that many characters (:func:`body_head`) and the
    document is marked ``partial``: the caller parses the whole later."""
    body = markdown_body(raw_text, body_line)
    if len(body) > MARKDOWN_LIMIT:
        return None
    partial = False
    if head is not None:
        prefix = body_head(body, head)
        if prefix is not None:
            body, partial = prefix, True
    document = read_document(body, _repeated_title(title, title_source))
    document.partial = partial
    if expected is not None:
        paragraphs = [paragraph.replace("\t", " ") for paragraph in document.paragraphs()]
        if partial:
            # The head's last block may end differently once the rest follows it.
            count = max(0, len(paragraphs) - 1)
            if paragraphs[:count] != expected[:count]:
                return None
        elif paragraphs != expected:
            return None
    return document


_FENCE = re.compile(r"^ {0,3}(?:```|~~~)", re.MULTILINE)


def body_head(body: str, size: int) -> str | None:
    """The start of a long *body*, cut at a blank line near *size* characters that is
    outside any fenced code and followed by a line that starts a block (not an indented
    continuation): parsed alone, it gives the same first blocks as the whole body, so a
    long note's first screens can be drawn before the rest is parsed. None when *body*
    is short or no such blank line is found soon after *size*."""
    if len(body) <= size * 3 // 2:
        return None
    position = body.find("\n\n", size)
    while 0 <= position < size * 4:
        following = body[position + 2 : position + 3]
        if (
            following
            and following not in " \t\n"
            and len(_FENCE.findall(body, 0, position)) % 2 == 0
        ):
            return body[:position]
        position = body.find("\n\n", position + 2)
    return None


def inline_text(text: str) -> str:
    """One line of markdown as plain text (a ``# **Bold** headline`` as a title)."""
    if not needs_markdown(text):
        return text
    tokens = _parser().parseInline(text)
    if not tokens:
        return text
    plain, _spans = _inline(tokens[0])
    return _tidy(plain.replace("\n", " ")) or text


# --- tables -----------------------------------------------------------------------


def _cells(text: str) -> int:
    if text.isascii():
        return len(text)
    from rich.cells import cell_len

    return cell_len(text)


def graphemes(text: str) -> list[tuple[int, int, int]]:
    """``(start, end, cells)`` of each grapheme of *text*, as Rich measures them: a
    cut between two never splits an emoji sequence (``❤️`` is one, two cells wide)."""
    try:
        from rich.cells import split_graphemes
    except ImportError:  # Rich before 14.3 measured characters one by one
        from rich.cells import cell_len

        return [(index, index + 1, cell_len(char)) for index, char in enumerate(text)]
    spans = split_graphemes(text)[0]
    if "\u200d" in text:
        # Rich gives a grapheme that starts with joiners ("\u200d\u200da") no width, yet
        # measures the same text as one cell: take its measure of the grapheme itself, so
        # the graphemes add up to what is drawn.
        from rich.cells import cell_len

        spans = [
            (start, end, cells or (cell_len(text[start:end]) if end - start > 1 else 0))
            for start, end, cells in spans
        ]
    return spans


def cells_prefix(text: str, width: int) -> tuple[int, int]:
    """The longest prefix of *text* at most *width* cells wide, cut between graphemes:
    ``(characters, cells)``."""
    end = used = 0
    for _start, stop, size in graphemes(text):
        if used + size > width:
            break
        end, used = stop, used + size
    if end and not text.isascii():
        # Rich measures a whole string by the same graphemes, except in nonsense (a
        # string that starts with joiners): trust the measure of the prefix itself.
        from rich.cells import cell_len

        while end and cell_len(text[:end]) > width:
            end -= 1
        used = cell_len(text[:end])
    return end, used


def _fit(text: str, width: int, align: str) -> str:
    """*text* padded (or cut with an ellipsis) to exactly *width* cells."""
    cells = _cells(text)
    if cells > width:
        end, used = cells_prefix(text, max(0, width - 1))
        text = text[:end] + ("…" if width >= 1 else "")
        cells = used + (1 if width >= 1 else 0)
    pad = width - cells
    if align == "right":
        return " " * pad + text
    if align == "center":
        return " " * (pad // 2) + text + " " * (pad - pad // 2)
    return text + " " * pad


TABLE_GAP = "  "


def column_widths(block: Block, width: int | None = None) -> list[int]:
    """Each column's width in cells: its widest cell, narrowed (widest columns first)
    until the row fits in *width* cells (None: no limit)."""
    columns = len(block.rows[0]) if block.rows else 0
    widths = [max((_cells(row[i]) for row in block.rows), default=0) for i in range(columns)]
    widths = [max(1, w) for w in widths]
    if width is None or not widths:
        return widths
    gaps = len(TABLE_GAP) * (columns - 1)
    while sum(widths) + gaps > width and max(widths) > 3:
        widest = max(range(columns), key=widths.__getitem__)
        widths[widest] -= 1
    return widths


def table_lines(block: Block, width: int | None = None) -> list[str]:
    """A table as aligned text rows, header first: columns padded to display width,
    cut with ``…`` when the table is wider than *width* cells."""
    widths = column_widths(block, width)
    aligns = list(block.aligns) + ["left"] * (len(widths) - len(block.aligns))
    lines = [
        TABLE_GAP.join(_fit(cell, w, a) for cell, w, a in zip(row, widths, aligns, strict=False))
        for row in block.rows
    ]
    if width is not None:
        lines = [line if _cells(line) <= width else _fit(line, width, "left") for line in lines]
    return lines
