"""The reading pane: one article, title, where its date came from, clean paragraphs.

Drawn with the Line API: the article is wrapped once per width into line records
(offsets into its paragraphs), and only the visible lines are turned into strips,
so a long article opens as fast as a short one scrolls.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip

from ..corpus import Article
from ..corpus.query import Query
from .glyphs import UNICODE, Glyphs
from .line_view import LineView
from .text_layout import styled_segments, wrap_offsets

MEASURE = 76
"""The widest a paragraph line gets: long lines are hard to read."""
MARGIN = 2


@dataclass(frozen=True, slots=True)
class Line:
    """One screen line: ``text[start:end]`` drawn in *role*; *block* indexes spans."""

    text: str
    start: int
    end: int
    role: str
    block: int = -1


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
        self._spans: list[list[tuple[int, int]]] = []
        self._lines: list[Line] = []
        self._layout_width = 0
        self._matches: list[tuple[int, int, int]] = []
        """(line index, block, span index) of every match, in reading order."""
        self.match_index = -1
        self._cache: LRUCache[tuple[int, int, int], Strip] = LRUCache(256)

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
        blocks: list[str] = []
        lines: list[Line] = []
        measure = self.measure
        self._layout_width = measure

        def add(text: str, role: str, block: int = -1) -> None:
            for start, end in wrap_offsets(text, measure):
                lines.append(Line(text, start, end, role, block))

        if article is None:
            if self.notice:
                lines.append(Line("", 0, 0, "blank"))
                add(self.notice, "notice")
        else:
            sep = f" {self.glyphs.separator} "
            blocks.append(article.title)
            lines.append(Line("", 0, 0, "blank"))
            add(article.title, "title", 0)
            add(article.describe_date(), "meta")
            size = f"{article.words:,} words {self.glyphs.separator} {article.reading_minutes} min"
            add(sep.join([size, article.path]), "meta")
            add(f"title {article.describe_title()}", "meta")
            extra = []
            if article.source:
                extra.append(f"source: {article.source}")
            if article.author:
                extra.append(f"by {article.author}")
            if article.duplicates:
                count = len(article.duplicates)
                extra.append(
                    f"{count} duplicate file{'s' if count != 1 else ''}: "
                    + ", ".join(article.duplicates)
                )
            if extra:
                add(sep.join(extra), "meta")
            for warning in article.warnings:
                add(f"{self.glyphs.warning} {warning}", "warning")
            lines.append(Line(self.glyphs.rule * measure, 0, measure, "rule"))
            if self.raw:
                raw = self.raw_text if self.raw_text is not None else ""
                add("Raw file text (r for the cleaned article):", "meta")
                lines.append(Line("", 0, 0, "blank"))
                for raw_line in raw.split("\n"):
                    raw_line = raw_line.replace("\t", "    ")
                    if raw_line:
                        blocks.append(raw_line)
                        add(raw_line, "raw", len(blocks) - 1)
                    else:
                        lines.append(Line("", 0, 0, "blank"))
            else:
                for paragraph in article.paragraphs:
                    lines.append(Line("", 0, 0, "blank"))
                    blocks.append(paragraph)
                    add(paragraph, "body", len(blocks) - 1)
            lines.append(Line("", 0, 0, "blank"))
        self._blocks = blocks
        self._lines = lines
        self._compute_spans()
        self._cache.clear()
        self.set_line_count(len(lines))

    def _compute_spans(self) -> None:
        query = self.search_query
        if query is None or query.is_empty():
            self._spans = [[] for _ in self._blocks]
        else:
            # Block 0 is the title: title: terms light up there and nowhere else.
            self._spans = [
                query.highlight_spans(block, title=index == 0)
                for index, block in enumerate(self._blocks)
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

    @property
    def match_count(self) -> int:
        return len(self._matches)

    def on_resize(self, event: events.Resize) -> None:
        if self.measure != self._layout_width:
            # Keep the reader's place: the first visible block stays at the top.
            top = round(self.scroll_offset.y)
            block = next((line.block for line in self._lines[top:] if line.block >= 0), None)
            self._relayout()
            if block is not None:
                for index, line in enumerate(self._lines):
                    if line.block == block:
                        self.scroll_to(y=max(0, index - 1), animate=False, immediate=True)
                        break
        else:
            self.set_line_count(len(self._lines))

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

    def _draw_line(self, line: Line, width: int, styles: dict[str, Style]) -> Strip:
        if line.role == "blank":
            return Strip.blank(width, styles[""])
        style = styles[""] + styles[f"reading-pane--{line.role}"]
        # Margin and padding take the line's own style (no role style shows on a space),
        # so simplify() can merge a plain line into one segment: fewer bytes per redraw.
        margin = Segment(" " * MARGIN, style)
        spans: list[tuple[int, int]] = []
        current: tuple[int, int] | None = None
        if line.block >= 0:
            spans = self._spans[line.block]
            if 0 <= self.match_index < len(self._matches):
                _, block, span_index = self._matches[self.match_index]
                if block == line.block:
                    current = spans[span_index]
        match_style = styles["reading-pane--match"]
        if current is None:
            body = styled_segments(line.text, line.start, line.end, style, spans, match_style)
        else:
            current_style = styles["reading-pane--match-current"]
            others = [span for span in spans if span != current]
            body = _overlay(line, current, style, match_style, current_style, others)
        segments = [margin, *body]
        return Strip(segments).extend_cell_length(width, style).crop(0, width).simplify()


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
