"""The reading pane: one article, title, where its date came from, clean paragraphs.

Drawn with the Line API: the article is wrapped once per width into line records
(offsets into its paragraphs), and only the visible lines are turned into strips,
so a long article opens as fast as a short one scrolls.

A markdown article is drawn from its :class:`~tui.corpus.markdown.Document` (headings,
emphasis, lists, quotes, code, tables, links as OSC 8 hyperlinks), parsed again from
the file when shown and kept while it is; if the file no longer gives the paragraphs
that were loaded, the plain paragraphs are drawn instead. The raw view (``r``) marks
what cleaning removed. Every piece of file text is plain data in a ``Segment``.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events, work
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip

from ..corpus import Article, read_as_loaded
from ..corpus.clean import RemovedSpan, removed_spans
from ..corpus.markdown import Block, Document, column_widths, document_for, safe_link, table_lines
from ..corpus.query import Query
from ..corpus.snippets import menus_before_text
from .glyphs import CONSOLE, UNICODE, Glyphs
from .line_view import LineView
from .text_layout import (
    cut_offsets,
    layered_segments,
    styled_segments,
    truncate_cells,
    wrap_lines,
)

MEASURE = 76
"""The widest a paragraph line gets: long lines are hard to read."""
MARGIN = 2
MARKDOWN_HEAD = 6000
"""Characters of a long markdown body parsed before its first frame (several screens)."""


@dataclass(frozen=True, slots=True)
class Line:
    """One screen line: *prefix* then ``text[start:end]`` drawn in *role*; *block*
    indexes the search spans and the style runs."""

    text: str
    start: int
    end: int
    role: str
    block: int = -1
    prefix: str = ""
    """Drawn before the text: a quote bar, a list's indent and marker."""


Run = tuple[int, int, tuple[str, ...], "str | None"]
"""Characters ``start:end`` of a block drawn with the styles named (bold, italic,
strike, or a component class) and, for a link, its address (an OSC 8 hyperlink)."""

_SPAN_STYLES: dict[str, tuple[str, ...]] = {
    "strong": ("bold",),
    "em": ("italic",),
    "strike": ("strike",),
    "code": ("reading-pane--code",),
    "link": ("reading-pane--link",),
    "image": ("italic",),
}
_PLAIN_STYLES = {
    "bold": Style(bold=True),
    "italic": Style(italic=True),
    "strike": Style(strike=True),
}


@dataclass(frozen=True)
class MarkdownGlyphs:
    """Marks for markdown and the raw view; the Linux console gets ASCII ones."""

    bullets: tuple[str, ...]
    quote: str
    removed: str
    wrapped: str
    """Before the rest of a code line too wide for the pane, drawn on a line below."""


UNICODE_MARKDOWN = MarkdownGlyphs(
    bullets=("•", "◦", "▪"), quote="▌", removed="⌫", wrapped="↪ "
)
CONSOLE_MARKDOWN = MarkdownGlyphs(bullets=("*", "-", "+"), quote="|", removed="x", wrapped="> ")

REMOVED_LEGEND = (
    "struck-through text was removed by cleaning; {mark} at a line's end says why ({reasons})"
)


class ReadingPane(LineView):
    """Shows one article (cleaned or raw) and moves between search matches."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "scroll_line(-1)", "Scroll up", show=False),
        Binding("down,j", "scroll_line(1)", "Scroll down", show=False),
        Binding("pageup", "scroll_page(-1)", "Page up", show=False),
        Binding("pagedown,space", "scroll_page(1)", "Page down", show=False),
        Binding("g,home", "scroll_to_edge(0)", "Top", show=False),
        Binding("G,end", "scroll_to_edge(1)", "Bottom", show=False),
        Binding("n", "match(1)", "Next match", show=False),
        Binding("N", "match(-1)", "Previous match", show=False),
        Binding("left,h,escape", "close", "Back", show=True),
        Binding("right_square_bracket", "app.step_article(1)", "Next article", show=True),
        Binding("left_square_bracket", "app.step_article(-1)", "Previous article", show=False),
        Binding(
            "z", "toggle_menus", "Show / fold a scraped page's menus above its text", show=False
        ),
    ]

    COMPONENT_CLASSES = {
        "reading-pane--title",
        "reading-pane--meta",
        "reading-pane--warning",
        "reading-pane--rule",
        "reading-pane--body",
        "reading-pane--raw",
        "reading-pane--match",
        "reading-pane--match-current",
        "reading-pane--notice",
        "reading-pane--h1",
        "reading-pane--h2",
        "reading-pane--h3",
        "reading-pane--quote",
        "reading-pane--code",
        "reading-pane--link",
        "reading-pane--marker",
        "reading-pane--table",
        "reading-pane--table-head",
        "reading-pane--removed",
        "reading-pane--removed-tag",
    }

    DEFAULT_CSS = """
    ReadingPane {
        background: $surface;
        scrollbar-gutter: stable;
        & > .reading-pane--title { color: $text-primary; text-style: bold; }
        & > .reading-pane--meta { color: $text-muted; }
        & > .reading-pane--warning { color: $text-warning; }
        & > .reading-pane--rule { color: $panel-lighten-2; }
        & > .reading-pane--body { color: $foreground; }
        & > .reading-pane--raw { color: $foreground; }
        & > .reading-pane--match { background: $warning 30%; text-style: bold; }
        & > .reading-pane--match-current { background: $warning; color: $text; text-style: bold; }
        & > .reading-pane--notice { color: $text-muted; text-style: italic; }
        & > .reading-pane--h1 { color: $text-primary; text-style: bold underline; }
        & > .reading-pane--h2 { color: $text-primary; text-style: bold; }
        & > .reading-pane--h3 { color: $text-secondary; text-style: bold; }
        & > .reading-pane--quote { color: $text-muted; text-style: italic; }
        & > .reading-pane--code { background: $boost; color: $text-accent; }
        & > .reading-pane--link { color: $text-accent; text-style: underline; }
        & > .reading-pane--marker { color: $text-muted; }
        & > .reading-pane--table { color: $foreground; }
        & > .reading-pane--table-head { color: $text-primary; text-style: bold; }
        & > .reading-pane--removed { color: $text-muted; text-style: strike dim; }
        & > .reading-pane--removed-tag { color: $text-warning; text-style: italic; }
    }
    """

    raw: reactive[bool] = reactive(False, init=False)
    """Show the file's text as read (neutralised) instead of the cleaned article."""

    class Closed(Message):
        """The reader asked to go back to the list."""

    class MatchMoved(Message):
        """The current search match changed (for a status line)."""

        def __init__(self, index: int, total: int) -> None:
            self.index = index
            self.total = total
            super().__init__()

    def __init__(
        self,
        *,
        glyphs: Glyphs = UNICODE,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(glyphs=glyphs, name=name, id=id, classes=classes)
        self.article: Article | None = None
        self.search_query: Query | None = None
        self.raw_text: str | None = None
        self.notice = ""
        self._blocks: list[str] = []
        self._runs: list[list[Run]] = []
        """Style runs per block (empty for plain text): markdown spans, links, removals."""
        self._searchable: list[bool] = []
        """Which blocks take search highlights (not the URL, not a removal tag)."""
        self._spans: list[list[tuple[int, int]]] = []
        self._document: tuple[tuple[str, str, int], Document | None] | None = None
        """The markdown document of the article shown, keyed by its key, path and body
        line: parsed once while the article is shown (None: draw the plain paragraphs)."""
        self._removed: tuple[str, list[RemovedSpan]] | None = None
        """What cleaning removed from the raw text shown (its removed_spans)."""
        self._run_styles: dict[tuple[tuple[str, ...], str | None], Style] = {}
        self._lines: list[Line] = []
        self._layout_width = 0
        self._wanted_block = -1
        """A block to show at the top once the pane has a size (see scroll_to_block)."""
        self._matches: list[tuple[int, int, int]] = []
        """(line index, block, span index) of every match, in reading order."""
        self.match_index = -1
        self._cache: LRUCache[tuple[int, int, int], Strip] = LRUCache(256)
        self.menus_shown = False
        """The menus and links a scraped page's text opens with are shown (z), not
        folded into one line, for the article shown."""
        self._folded: int | None = None
        """Paragraphs folded at the top by the last layout (None: the layout did not
        draw plain paragraphs: no article, raw text or markdown)."""

    # --- data in ---------------------------------------------------------------

    def show(
        self,
        article: Article | None,
        *,
        query: Query | None = None,
        raw_text: str | None = None,
        notice: str = "",
        keep_scroll: bool = False,
    ) -> None:
        """Show *article* (or *notice* when None); *raw_text* is the file as read."""
        same = article is self.article
        if not same:
            self._wanted_block = -1
            self.menus_shown = False
        self.article = article
        self.search_query = query
        self.raw_text = raw_text
        self.notice = notice
        self._relayout()
        if not (same and keep_scroll):
            self.scroll_to(y=0, animate=False, immediate=True)
        self.match_index = -1

    def set_query(self, query: Query | None) -> None:
        self.search_query = query
        # A match among the folded menus unfolds them; a query without one folds them.
        folded, article = self._folded, self.article
        if folded is not None and article and self._menus_to_fold(article.paragraphs) != folded:
            self._relayout_in_place()  # the lines above the reader's place changed
        self._compute_spans()
        self._cache.clear()
        self.refresh()

    # --- layout ----------------------------------------------------------------

    @property
    def measure(self) -> int:
        width = self.scrollable_content_region.width or self.size.width or 80
        return max(10, min(MEASURE, width - 2 * MARGIN))

    def _relayout(self) -> None:
        article = self.article
        measure = self.measure
        self._layout_width = measure
        self._blocks = []
        self._runs = []
        self._searchable = []
        lines: list[Line] = []
        self._lines = lines
        self._folded = None

        if article is None:
            if self.notice:
                lines.append(Line("", 0, 0, "blank"))
                self._add(self.notice, "notice", measure)
        else:
            self._layout_header(article, measure)
            if self.raw:
                self._layout_raw(measure)
            else:
                document = self._markdown(article)
                if document is None:
                    self._layout_paragraphs(article.paragraphs, measure)
                else:
                    self._layout_document(document, measure)
            lines.append(Line("", 0, 0, "blank"))
        self._compute_spans()
        self._cache.clear()
        self.set_line_count(len(lines))

    # Building lines: each helper appends to self._lines and self._blocks.

    def _layout_paragraphs(self, paragraphs: list[str], measure: int) -> None:
        """The plain paragraphs, the menus a scraped page's text opens with folded
        into one line (:meth:`_menus_to_fold`). A folded paragraph keeps its block, so
        that the blocks after it keep their numbers (a reading place is kept as one)."""
        folded = self._folded = self._menus_to_fold(paragraphs)
        lines = self._lines
        if folded:
            lines.append(Line("", 0, 0, "blank"))
            said = (
                f"{self.glyphs.ellipsis} {folded:,} short paragraphs before the text (a "
                "page's menus, links, a byline): z shows them"
            )
            self._add(said, "notice", measure)
        for number, paragraph in enumerate(paragraphs):
            block = self._block(paragraph)
            if number >= folded:
                lines.append(Line("", 0, 0, "blank"))
                self._add(paragraph, "body", measure, block=block)

    def _block(self, text: str, runs: list[Run] | None = None, *, searchable: bool = True) -> int:
        self._blocks.append(text)
        self._runs.append(runs or [])
        self._searchable.append(searchable)
        return len(self._blocks) - 1

    def _add(
        self,
        text: str,
        role: str,
        width: int,
        block: int = -1,
        prefix: str = "",
        rest: str | None = None,
    ) -> None:
        """Wrap *text* into lines of *role*; *prefix* before the first, *rest* (default:
        as many spaces) before the others."""
        if prefix:
            width -= cell_len(prefix)
            if rest is None:
                rest = " " * cell_len(prefix)
        for index, (start, end) in enumerate(wrap_lines(text, width)):
            lead = prefix if index == 0 else (rest or "")
            self._lines.append(Line(text, start, end, role, block, lead))

    def _layout_header(self, article: Article, measure: int) -> None:
        lines = self._lines
        glyphs = self.glyphs
        sep = f" {glyphs.separator} "
        lines.append(Line("", 0, 0, "blank"))
        title = glyphs.cut(article.title)  # cut when loaded: "…" is no console glyph
        self._add(title, "title", measure, self._block(title))
        self._add(article.describe_date().replace("…", glyphs.ellipsis), "meta", measure)
        words = f"{article.words:,} word{'s' if article.words != 1 else ''}"
        size = f"{words} {glyphs.separator} {article.reading_minutes} min"
        self._add(sep.join([size, article.path]), "meta", measure)
        self._add(f"title {article.describe_title()}", "meta", measure)
        extra = []
        if article.source:
            extra.append(f"source: {glyphs.cut(article.source)}")
        if article.author:
            extra.append(f"by {glyphs.cut(article.author)}")
        if article.tags:
            extra.append("tags: " + ", ".join(article.tags))
        if article.duplicates:
            count = len(article.duplicates)
            extra.append(
                f"{count} duplicate file{'s' if count != 1 else ''}: "
                + ", ".join(article.duplicates)
            )
        if extra:
            self._add(sep.join(extra), "meta", measure)
        if article.url:
            # On a line of its own, never wrapped through the middle: cut to the pane,
            # and a hyperlink (OSC 8) to the whole address where it is safe to be one.
            shown = truncate_cells(article.url, measure, glyphs.ellipsis)
            link = safe_link(article.url)
            runs: list[Run] = [(0, len(shown), ("reading-pane--link",), link)] if link else []
            block = self._block(shown, runs, searchable=False)
            lines.append(Line(shown, 0, len(shown), "meta", block))
        for warning in article.warnings:
            self._add(f"{glyphs.warning} {warning}", "warning", measure)
        lines.append(Line(glyphs.rule * measure, 0, measure, "rule"))

    @property
    def markdown_glyphs(self) -> MarkdownGlyphs:
        return CONSOLE_MARKDOWN if self.glyphs == CONSOLE else UNICODE_MARKDOWN

    # --- markdown ----------------------------------------------------------------

    def _markdown(self, article: Article) -> Document | None:
        """The article's markdown document, parsed once while it is shown; None for
        plain text, or when the file no longer gives the paragraphs that were loaded."""
        if article.markup != "markdown" or article.body_line < 0:
            return None
        key = (article.key, article.path, article.body_line)
        if self._document is not None and self._document[0] == key:
            return self._document[1]
        raw = read_as_loaded(article.file_path)
        # A long note is drawn from its first blocks at once, the rest once parsed in
        # a thread (markdown-it takes ~30 ms for 50 KB: more than opening may take).
        document = document_for(
            raw,
            article.body_line,
            article.title,
            article.title_source,
            expected=article.paragraphs,
            head=MARKDOWN_HEAD,
        )
        self._document = (key, document)
        if document is not None and document.partial:
            self._parse_whole(key, raw, article)
        return document

    @work(thread=True, exclusive=True, group="markdown")
    def _parse_whole(self, key: tuple[str, str, int], raw: str, article: Article) -> None:
        document = document_for(
            raw,
            article.body_line,
            article.title,
            article.title_source,
            expected=article.paragraphs,
        )
        with contextlib.suppress(RuntimeError):  # the app closed meanwhile
            self.app.call_from_thread(self._whole_parsed, key, document)

    def _whole_parsed(self, key: tuple[str, str, int], document: Document | None) -> None:
        if self._document is None or self._document[0] != key:
            return  # another article is shown by now
        self._document = (key, document)
        if not self.raw:
            # The lines already drawn stay where they are: keep the reader's place.
            y = self.scroll_offset.y
            self._relayout()
            self.scroll_to(y=y, animate=False, immediate=True)

    def _layout_document(self, document: Document, measure: int) -> None:
        lines = self._lines
        marks = self.markdown_glyphs
        in_list = False
        quoted = 0
        for block in document.blocks:
            quote = (marks.quote + " ") * block.quote
            indent = "  " * max(0, block.depth - 1)
            item = block.depth > 0 and block.kind == "paragraph"
            # Items of one list sit on consecutive lines; everything else is spaced,
            # inside a quote by a line that keeps the quote's bar.
            if not (item and block.marker and in_list):
                bars = min(quoted, block.quote)
                role = "quote" if bars else "blank"
                lines.append(Line("", 0, 0, role, -1, ((marks.quote + " ") * bars).rstrip()))
            in_list = item
            quoted = block.quote
            lead = quote + indent
            if block.kind == "heading":
                role = f"h{min(3, max(1, block.level))}"
                self._add(block.text, role, measure, self._markdown_block(block), lead, lead)
            elif block.kind == "paragraph":
                role = "quote" if block.quote else "body"
                if block.depth:
                    marker = block.marker
                    if marker == "-":
                        marker = marks.bullets[(block.depth - 1) % len(marks.bullets)]
                    head = lead + (marker + " " if marker else "")
                    if not marker:  # a later paragraph of an item: under the item's text
                        head = lead + "  "
                    rest = lead + " " * (cell_len(head) - cell_len(lead))
                    self._add(block.text, role, measure, self._markdown_block(block), head, rest)
                else:
                    self._add(block.text, role, measure, self._markdown_block(block), lead, lead)
            elif block.kind == "code":
                self._layout_code(block, measure, lead)
            elif block.kind == "table":
                self._layout_table(block, measure, lead)
            elif block.kind == "rule":
                width = max(1, measure - cell_len(lead))
                lines.append(Line(self.glyphs.rule * width, 0, width, "rule", -1, lead))

    def _markdown_block(self, block: Block) -> int:
        runs: list[Run] = []
        for span in block.spans:
            names = _SPAN_STYLES.get(span.style, ())
            if span.style == "link" and span.link is None:
                continue  # not a safe address: plain text, nothing to click
            runs.append((span.start, span.end, names, span.link))
        return self._block(block.text, runs)

    def _layout_code(self, block: Block, measure: int, lead: str) -> None:
        """Code keeps its lines and indentation: a line wider than the pane is cut into
        pieces (not word-wrapped), each drawn on the code background, the pieces after
        the first marked so (without a mark, "  name: a-long-value" went on at column 0
        and read as a line of its own)."""
        width = max(2, measure - cell_len(lead))
        wrapped = lead + self.markdown_glyphs.wrapped
        for code_line in block.text.split("\n"):
            index = self._block(code_line)
            first = cut_offsets(code_line, width)[0]
            self._lines.append(Line(code_line, *first, "code", index, lead))
            rest = first[1]
            if rest < len(code_line):
                narrower = max(2, width - cell_len(self.markdown_glyphs.wrapped))
                for start, end in cut_offsets(code_line[rest:], narrower):
                    self._lines.append(
                        Line(code_line, rest + start, rest + end, "code", index, wrapped)
                    )

    def _layout_table(self, block: Block, measure: int, lead: str) -> None:
        """Columns padded to their display width, cut with an ellipsis when too wide."""
        width = max(4, measure - cell_len(lead))
        rows = table_lines(block, width)
        widths = column_widths(block, width)
        for index, text in enumerate(rows):
            role = "table-head" if index == 0 else "table"
            self._lines.append(Line(text, 0, len(text), role, self._block(text), lead))
            if index == 0:
                rule = "  ".join(self.glyphs.rule * w for w in widths)
                self._lines.append(Line(rule, 0, len(rule), "rule", -1, lead))

    # --- the raw view ------------------------------------------------------------

    def _removed_spans(self, raw: str) -> list[RemovedSpan]:
        """What cleaning removed from *raw* (cached for the text shown)."""
        if self._removed is not None and self._removed[0] is raw:
            return self._removed[1]
        try:
            spans = removed_spans(raw)
        except Exception:  # noqa: BLE001 - a fault here must not hide the raw text
            spans = []
        self._removed = (raw, spans)
        return spans

    def _layout_raw(self, measure: int) -> None:
        lines = self._lines
        raw = self.raw_text if self.raw_text is not None else ""
        removed = self._removed_spans(raw)
        by_line: dict[int, list[tuple[int, int, str]]] = {}
        for span in removed:
            by_line.setdefault(span.line, []).append((span.start, span.end, span.reason))
        mark = self.markdown_glyphs.removed
        self._add("Raw file text (r for the cleaned article):", "meta", measure)
        if removed:
            reasons = sorted({reason for spans in by_line.values() for _, _, reason in spans})
            legend = REMOVED_LEGEND.format(mark=mark, reasons=", ".join(reasons))
            self._add(
                legend,
                "meta",
                measure,
                self._block(legend, _legend_runs(legend, mark), searchable=False),
            )
        lines.append(Line("", 0, 0, "blank"))
        for line_no, raw_line in enumerate(raw.split("\n")):
            spans = by_line.get(line_no)
            if "\t" in raw_line:
                if spans:
                    spans = [
                        (_expanded(raw_line, s), _expanded(raw_line, e), r) for s, e, r in spans
                    ]
                raw_line = raw_line.replace("\t", "    ")
            if not raw_line:
                lines.append(Line("", 0, 0, "blank"))
                continue
            if not spans:
                self._add(raw_line, "raw", measure, self._block(raw_line))
                continue
            runs: list[Run] = [
                (start, end, ("reading-pane--removed",), None)
                for start, end, _reason in spans
                if end > start
            ]
            reasons = list(dict.fromkeys(reason for _, _, reason in spans))
            tag = f"  {mark} {', '.join(reasons)}"
            text = raw_line + tag
            runs.append((len(raw_line), len(text), ("reading-pane--removed-tag",), None))
            self._add(text, "raw", measure, self._block(text, runs))

    def _compute_spans(self) -> None:
        query = self.search_query
        if query is None or query.is_empty():
            self._spans = [[] for _ in self._blocks]
        else:
            # Block 0 is the title: title: terms light up there and nowhere else.
            self._spans = [
                query.highlight_spans(block, title=index == 0) if searchable else []
                for index, (block, searchable) in enumerate(
                    zip(self._blocks, self._searchable, strict=True)
                )
            ]
        matches: list[tuple[int, int, int]] = []
        for line_index, line in enumerate(self._lines):
            if line.block < 0:
                continue
            for span_index, (start, _end) in enumerate(self._spans[line.block]):
                if line.start <= start < max(line.end, line.start + 1):
                    matches.append((line_index, line.block, span_index))
        self._matches = matches
        self.match_index = -1

    def _relayout_in_place(self) -> None:
        """Lay the article out again, keeping the reader's place: the block at the top
        of the view (or the one asked for and not yet shown) stays at the top, and the
        match n last went to stays the current one (the header still names it)."""
        wanted = self._wanted_block
        block = wanted if wanted >= 0 else self.top_block()
        match, matches = self.match_index, len(self._matches)
        self._relayout()
        if 0 <= match < matches == len(self._matches):
            self.match_index = match
        if block >= 0:
            self._scroll_to_block(block)

    def on_resize(self, event: events.Resize) -> None:
        wanted = self._wanted_block
        if self.measure != self._layout_width:
            self._relayout_in_place()
        else:
            self.set_line_count(len(self._lines))
            if wanted >= 0:
                self._scroll_to_block(wanted)
        if self.size.height > 0:
            self._wanted_block = -1  # shown there: from now on the reader moves

    def top_block(self) -> int:
        """The block (paragraph, heading…) at the top of the view: where the reader
        is, whatever the width (-1: none)."""
        top = round(self.scroll_offset.y)
        return next((line.block for line in self._lines[top:] if line.block >= 0), -1)

    def scroll_to_block(self, block: int) -> None:
        """Show *block* at the top: now, and once more when the pane is next sized (a
        pane hidden in the one-pane layout has no height to scroll in yet)."""
        self._scroll_to_block(block)
        self._wanted_block = block if self.size.height == 0 else -1

    def _scroll_to_block(self, block: int) -> None:
        for index, line in enumerate(self._lines):
            if line.block == block:
                self.scroll_to(y=max(0, index - 1), animate=False, immediate=True)
                return

    def _menus_to_fold(self, paragraphs: list[str]) -> int:
        """How many paragraphs at the top are a page's menus to fold
        (:func:`menus_before_text`): none when shown (z), or when a match of the query
        is among them."""
        article = self.article
        # The line the article's date was read from is its header's, not a menu.
        dateline = article.date_text if article and article.date_origin == "dateline" else None
        folded = 0 if self.menus_shown else menus_before_text(paragraphs, dateline)
        query = self.search_query
        menus = paragraphs[:folded]
        if query is not None and any(query.highlight_spans(p, title=False) for p in menus):
            return 0
        return folded

    def action_toggle_menus(self) -> None:
        """Show the menus folded above a scraped page's text, or fold them again."""
        if self.article is None or self.raw:
            return
        self.menus_shown = not self.menus_shown
        self._relayout()
        self.scroll_to(y=0, animate=False, immediate=True)

    def watch_raw(self) -> None:
        self._relayout()
        self.scroll_to(y=0, animate=False, immediate=True)

    # --- actions ---------------------------------------------------------------

    def action_scroll_line(self, delta: int) -> None:
        self.scroll_to(y=self.scroll_offset.y + delta, animate=False, immediate=True)

    def action_scroll_page(self, delta: int) -> None:
        page = max(1, self.scrollable_content_region.height - 1)
        self.scroll_to(y=self.scroll_offset.y + delta * page, animate=False, immediate=True)

    def action_scroll_to_edge(self, end: int) -> None:
        self.scroll_to(y=self.max_scroll_y if end else 0, animate=False, immediate=True)

    def action_close(self) -> None:
        self.post_message(self.Closed())

    def action_match(self, delta: int) -> None:
        if not self._matches:
            self.app.bell()
            self.post_message(self.MatchMoved(-1, 0))  # the filter bar says why not
            return
        total = len(self._matches)
        if self.match_index < 0:
            top = round(self.scroll_offset.y)
            if delta > 0:
                index = next((i for i, m in enumerate(self._matches) if m[0] >= top), 0)
            else:
                index = next(
                    (i for i in range(total - 1, -1, -1) if self._matches[i][0] < top), total - 1
                )
        else:
            index = (self.match_index + delta) % total
        self.match_index = index
        line_index = self._matches[index][0]
        height = self.scrollable_content_region.height
        top = round(self.scroll_offset.y)
        if not top <= line_index < top + height:
            self.scroll_to(y=max(0, line_index - height // 3), animate=False, immediate=True)
        self._cache.clear()
        self.refresh()
        self.post_message(self.MatchMoved(index, total))

    # --- drawing ---------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        row = round(self.scroll_offset.y) + y
        width = self.scrollable_content_region.width or self.size.width
        styles = self.line_styles()
        if row >= len(self._lines):
            return Strip.blank(width, styles[""])
        key = (row, width, self.match_index)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        line = self._lines[row]
        strip = self._draw_line(line, width, styles)
        self._cache[key] = strip
        return strip

    def styles_changed(self) -> None:
        self._cache.clear()
        self._run_styles.clear()

    def _run_style(
        self, names: tuple[str, ...], link: str | None, styles: dict[str, Style]
    ) -> Style:
        """The style a run adds (one Style per link address: one OSC 8 id per link)."""
        key = (names, link)
        style = self._run_styles.get(key)
        if style is None:
            style = Style()
            for name in names:
                style += _PLAIN_STYLES.get(name) or styles.get(name) or Style()
            if link is not None:
                style += Style(link=link)
            self._run_styles[key] = style
        return style

    def _draw_line(self, line: Line, width: int, styles: dict[str, Style]) -> Strip:
        if line.role == "blank":
            return Strip.blank(width, styles[""])
        base = styles[""]
        style = base + styles[f"reading-pane--{line.role}"]
        boxed = line.role == "code"  # a background of its own: not on margin or padding
        pad_style = base if boxed else style
        # Margin and padding take the line's own style (no role style shows on a space),
        # so simplify() can merge a plain line into one segment: fewer bytes per redraw.
        segments = [Segment(" " * MARGIN, pad_style)]
        if line.prefix:
            segments.append(Segment(line.prefix, base + styles["reading-pane--marker"]))
        spans: list[tuple[int, int]] = []
        current: tuple[int, int] | None = None
        runs: list[Run] = []
        if line.block >= 0:
            spans = self._spans[line.block]
            runs = self._runs[line.block]
            if 0 <= self.match_index < len(self._matches):
                _, block, span_index = self._matches[self.match_index]
                if block == line.block:
                    current = spans[span_index]
        match_style = styles["reading-pane--match"]
        if runs:
            layers = [
                (start, end, self._run_style(names, link, styles))
                for start, end, names, link in runs
            ]
            layers.extend(
                (start, end, match_style) for start, end in spans if (start, end) != current
            )
            if current is not None:
                layers.append((current[0], current[1], styles["reading-pane--match-current"]))
            body = layered_segments(line.text, line.start, line.end, style, layers)
        elif current is None:
            body = styled_segments(line.text, line.start, line.end, style, spans, match_style)
        else:
            current_style = styles["reading-pane--match-current"]
            others = [span for span in spans if span != current]
            body = _overlay(line, current, style, match_style, current_style, others)
        segments.extend(body)
        strip = Strip(segments)
        if boxed:
            box = (
                MARGIN + cell_len(line.prefix) + max(0, self._layout_width - cell_len(line.prefix))
            )
            strip = strip.extend_cell_length(min(width, box), style)
        return strip.extend_cell_length(width, pad_style).crop(0, width).simplify()


def _legend_runs(legend: str, mark: str) -> list[Run]:
    """The legend shows what it explains: struck-through text, and the mark."""
    struck = "struck-through text"
    at = legend.index(mark, len(struck))
    return [
        (0, len(struck), ("reading-pane--removed",), None),
        (at, at + len(mark), ("reading-pane--removed-tag",), None),
    ]


def _expanded(line: str, offset: int) -> int:
    """*offset* into *line* once its tabs are four spaces each."""
    return offset + 3 * line.count("\t", 0, offset)


def _overlay(
    line: Line,
    current: tuple[int, int],
    style: Style,
    match_style: Style,
    current_style: Style,
    others: list[tuple[int, int]],
) -> list[Segment]:
    """Segments for a line holding the current match, drawn stronger than the others."""
    tagged = [(start, end, match_style) for start, end in others]
    tagged.append((current[0], current[1], current_style))
    tagged.sort()
    segments: list[Segment] = []
    position = line.start
    for start, end, emphasis in tagged:
        if end <= position or start >= line.end:
            continue
        start = max(start, position)
        end = min(end, line.end)
        if start > position:
            segments.append(Segment(line.text[position:start], style))
        segments.append(Segment(line.text[start:end], style + emphasis))
        position = end
    if position < line.end:
        segments.append(Segment(line.text[position : line.end], style))
    return segments
