"""The article list: one row per article, drawn with the Line API.

It holds a list of article serials (not widgets), so 100,000 rows cost one list of
ints; only the visible rows are rendered, and a cursor move repaints two rows.

A row is one line, or two when snippets are shown: the second holds the passage of
the article that best matches the query, its words highlighted. Snippets are made
only for the rows drawn (a body is read and searched), and cached with the lines.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Callable, Collection, Sequence
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region
from textual.reactive import reactive
from textual.strip import Strip

from ..corpus import Article
from ..corpus.model import read_titles, title_held
from ..corpus.query import Query
from ..corpus.state import ReadState
from .glyphs import UNICODE, Glyphs
from .line_view import LineView
from .text_layout import stable_width, styled_segments, truncate_cells

DATE_WIDTH = 10

TITLE_COLUMN = 6 + DATE_WIDTH
"""Where a row's title (and its snippet, under it) begins."""

SnippetSource = Callable[[int, int], tuple[str, list[tuple[int, int]]]]
"""(serial, width) → a snippet line of at most *width* cells and its highlight spans."""


class ArticleList(LineView):
    """Date-sorted rows of articles; reports the article highlighted and the one opened."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor_up", "Up", show=False),
        Binding("down,j", "cursor_down", "Down", show=False),
        Binding("l,right,enter", "select", "Open", show=True),
        Binding("g,home", "first", "First", show=False),
        Binding("G,end", "last", "Last", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown,space", "page_down", "Page down", show=False),
        # Only Esc clears a query (h and ← did, and lost it with no way back); u brings
        # back the one cleared last.
        Binding("escape", "app.clear_filter", "Clear the filter", show=False),
        Binding("u", "app.restore_filter", "Restore the filter cleared", show=False),
        Binding("x", "app.toggle_select", "Select / unselect (for an export)", show=False),
        Binding("X", "app.select_all", "Select all in the list, or none", show=False),
    ]

    COMPONENT_CLASSES = {
        "article-list--cursor",
        "article-list--cursor-focused",
        "article-list--date",
        "article-list--inferred",
        "article-list--undated",
        "article-list--marker",
        "article-list--read",
        "article-list--match",
        "article-list--notice",
        "article-list--snippet",
    }

    DEFAULT_CSS = """
    ArticleList {
        background: $surface;
        scrollbar-gutter: stable;
        /* Two classes rather than a :focus rule: a focus change then repaints the
           cursor row only (see LineView.watch_has_focus), not every row of the list. */
        & > .article-list--cursor { background: $block-cursor-blurred-background; }
        & > .article-list--cursor-focused {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
        & > .article-list--date { color: $text-muted; }
        & > .article-list--inferred { color: $text-warning; text-style: italic; }
        & > .article-list--undated { color: $text-disabled; text-style: italic; }
        & > .article-list--marker { color: $text-accent; text-style: bold; }
        & > .article-list--read { color: $text-muted; }
        & > .article-list--match { text-style: bold underline; color: $text-accent; }
        & > .article-list--notice { color: $text-muted; text-style: italic; }
        & > .article-list--snippet { color: $text-muted; }
    }
    """

    cursor: reactive[int] = reactive(0, always_update=False, init=False, repaint=False)
    """Row index of the highlighted article in the current rows. No repaint: the watcher
    refreshes just the two rows that change (a cursor move costs two lines on the wire)."""

    def __init__(
        self,
        *,
        on_highlight: Callable[[int | None], None],
        on_select: Callable[[int], None],
        glyphs: Glyphs = UNICODE,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """*on_highlight* is called with the serial under the cursor whenever that
        changes (None for an empty list), *on_select* with the serial opened.

        Callbacks, not messages: they run while the key is handled, so what they change
        (the reading pane) is painted in the same frame as the list. A message would be
        handled after that frame, and its result drawn a frame (~17 ms) later.
        """
        super().__init__(glyphs=glyphs, name=name, id=id, classes=classes)
        self._on_highlight = on_highlight
        self._on_select = on_select
        self.rows: Sequence[int] = []
        """Serials of the articles shown, in display order."""
        self.articles: Sequence[Article] = ()
        """All articles by serial (the corpus' ``by_serial``)."""
        self.state: ReadState | None = None
        self.selected: Collection[int] = frozenset()
        """Serials selected with x (for an export): marked in the first column."""
        self.search_query: Query | None = None
        self.notice = f"Loading{glyphs.ellipsis}"
        """Shown when there are no rows."""
        self._line_cache: LRUCache[tuple[object, ...], Strip] = LRUCache(1024)
        self._snippet_cache: LRUCache[tuple[int, int, int], tuple[str, list[tuple[int, int]]]]
        self._snippet_cache = LRUCache(512)
        """Snippets by (serial, width, query generation): the cursor passing over a row
        redraws its lines, and a snippet reads and searches a body."""
        self._query_generation = 0
        self._last_highlighted: int | None = -1
        self.snippets: SnippetSource | None = None
        """Where second lines come from; None: one line a row."""
        self.user_moved = False
        """The user has moved the cursor: rows streaming in keep it on its article.
        Until then it stays on the top row, the newest article."""

    # --- data in ---------------------------------------------------------------

    def set_rows(self, rows: Sequence[int], keep: int | None = None, notice: str = "") -> None:
        """Show *rows*; keep the cursor on serial *keep* when it is still there.

        The kept cursor also keeps its place on screen, and only the lines that now
        show something else are repainted: while a corpus streams in, a batch usually
        changes a few visible rows (or none), not the whole list.
        """
        height = self._height()
        old_top = round(self.scroll_offset.y)
        before = self._visible_lines(old_top, height)
        offset = self.cursor * self.row_lines - old_top
        self.rows = rows
        if notice:
            self.notice = notice
        position = -1
        if keep is not None and rows:
            with contextlib.suppress(ValueError):  # no longer shown: back to the top
                position = rows.index(keep)
        self.set_line_count(len(rows) * self.row_lines, repaint=False)
        self.set_reactive(ArticleList.cursor, max(0, min(position, len(rows) - 1)))
        if position >= 0 and height:
            top = max(0, min(position * self.row_lines - offset, self._lines() - height))
            self.scroll_to(y=top, animate=False, immediate=True)
        else:
            self._scroll_cursor_into_view(center=True)
        top = round(self.scroll_offset.y)
        if top != old_top or not before or not rows:
            self.refresh()  # scrolled (already repainted), or to or from the notice
        else:
            after = self._visible_lines(top, height)
            for line, shown in enumerate(itertools.zip_longest(before, after)):
                if shown[0] != shown[1]:
                    self.refresh_line(top + line)
        self._report_highlighted()

    def _height(self) -> int:
        return self.scrollable_content_region.height or self.size.height

    @property
    def row_lines(self) -> int:
        """Lines a row takes: two with a snippet under each title."""
        return 1 if self.snippets is None else 2

    def _lines(self) -> int:
        return len(self.rows) * self.row_lines

    def _visible_lines(self, top: int, height: int) -> list[tuple[int, int, bool]]:
        """What lines *top*… show: each one's row's serial, which of the row's lines
        it is, and whether the cursor is on it."""
        rows, cursor, each = self.rows, self.cursor, self.row_lines
        return [
            (rows[line // each], line % each, line // each == cursor)
            for line in range(top, min(self._lines(), top + height))
        ]

    def show_snippets(self, snippets: SnippetSource | None) -> None:
        """Give each row a second line from *snippets* (None: one line a row), the
        cursor kept on its article and at its place on screen."""
        if snippets == self.snippets:  # ==: each `obj.method` is a new bound method
            return
        offset = self.cursor * self.row_lines - round(self.scroll_offset.y)
        self.snippets = snippets
        self._line_cache.clear()
        self._snippet_cache.clear()
        self.set_line_count(self._lines(), repaint=False)
        height = self._height()
        if height:
            top = max(0, min(self.cursor * self.row_lines - max(0, offset), self._lines() - height))
            self.scroll_to(y=top, animate=False, immediate=True)
        self._scroll_cursor_into_view()
        self.refresh()

    def set_query(self, query: Query | None) -> None:
        self.search_query = query
        self._query_generation += 1  # in the line cache's keys
        self._line_cache.clear()  # nothing drawn for the old query will be wanted again
        self._snippet_cache.clear()
        self.refresh()

    def refresh_marks(self, serial: int | None = None) -> None:
        """Read/flag state or the selection changed for article *serial* (None: any):
        redraw its row.

        The marks are part of the line cache's keys, so nothing cached goes stale.
        """
        if serial is None:
            self.refresh()
            return
        top = round(self.scroll_offset.y)
        each = self.row_lines
        for line in range(top, min(self._lines(), top + self.size.height)):
            if self.rows[line // each] == serial:
                self.refresh_line(line)

    @property
    def current_serial(self) -> int | None:
        if 0 <= self.cursor < len(self.rows):
            return self.rows[self.cursor]
        return None

    # --- cursor ----------------------------------------------------------------

    def validate_cursor(self, cursor: int) -> int:
        return max(0, min(cursor, len(self.rows) - 1))

    def watch_cursor(self, old: int, new: int) -> None:
        self.user_moved = True
        self._refresh_row(old)
        self._refresh_row(new)
        # A step past the edge scrolls half a page, the cursor landing mid-list (mutt
        # jumps a whole page unless $menu_scroll is set): scrolling repaints every row
        # (~6.5 KB at 120×36; Textual cannot scroll the terminal's lines), so one row at
        # a time would send that on every press while ↓ is held; this way one in ~15 does.
        self._scroll_cursor_into_view(center=abs(new - old) == 1)
        self._report_highlighted()

    def _report_highlighted(self) -> None:
        serial = self.current_serial
        if serial != self._last_highlighted:
            self._last_highlighted = serial
            self._on_highlight(serial)

    def _refresh_row(self, row: int) -> None:
        top = round(self.scroll_offset.y)
        each = self.row_lines
        for line in range(row * each, row * each + each):
            if top <= line < top + self.size.height:
                self.refresh_line(line)

    def _scroll_cursor_into_view(self, center: bool = False) -> None:
        height = self._height()
        if height <= 0:
            return
        top = round(self.scroll_offset.y)
        each = self.row_lines
        first, last = self.cursor * each, self.cursor * each + each - 1
        if center and not (top <= first and last < top + height):
            self.scroll_to(y=max(0, first - height // 2), animate=False, immediate=True)
        elif first < top:
            self.scroll_to(y=first, animate=False, immediate=True)
        elif last >= top + height:
            self.scroll_to(y=last - height + 1, animate=False, immediate=True)

    def step(self, delta: int) -> int | None:
        """Move the cursor by *delta* rows; return the serial now under it."""
        self.cursor = self.cursor + delta
        return self.current_serial

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self.rows) - 1

    def _page(self) -> int:
        return max(1, self._height() // self.row_lines - 1)

    def action_page_up(self) -> None:
        self.cursor -= self._page()

    def action_page_down(self) -> None:
        self.cursor += self._page()

    def action_select(self) -> None:
        serial = self.current_serial
        if serial is not None:
            self._on_select(serial)

    def on_click(self, event: events.Click) -> None:
        row = (round(self.scroll_offset.y) + event.y) // self.row_lines
        if 0 <= row < len(self.rows):
            if row == self.cursor and event.chain > 1:
                self.action_select()
            self.cursor = row

    def on_resize(self, event: events.Resize) -> None:
        self.set_line_count(self._lines())
        self._line_cache.clear()
        self._scroll_cursor_into_view()

    # --- drawing ---------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        # The titles of the rows in view, in one query when the store holds them: one
        # at a time cost ~40 µs each, a millisecond a screenful on every keystroke.
        # A page either side too: ↓ held past the last row then asks once a page, not
        # once a row (each query hands the GIL to whichever thread is loading).
        # Only when a row in view lacks its title: a line or two repainted as the
        # cursor moves then costs no look-up of three pages.
        scrolled, each, articles = round(self.scroll_offset.y), self.row_lines, self.articles
        top, bottom = (scrolled + crop.y) // each, (scrolled + crop.bottom - 1) // each + 1
        if not all(title_held(articles[serial]) for serial in self.rows[top:bottom]):
            page = max(1, self.size.height // each)
            rows = self.rows[max(0, top - page) : bottom + page]
            read_titles([articles[serial] for serial in rows])
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        line = round(self.scroll_offset.y) + y
        row, part = divmod(line, self.row_lines)
        width = self.scrollable_content_region.width or self.size.width
        styles = self.line_styles()
        base = styles[""]
        if not self.rows:
            if y == 1:
                notice = truncate_cells(stable_width(self.notice), width - 2, self.glyphs.ellipsis)
                style = base + styles["article-list--notice"]
                return Strip([Segment(" " + notice, style)]).extend_cell_length(width, base)
            return Strip.blank(width, base)
        if row >= len(self.rows):
            return Strip.blank(width, base)
        serial = self.rows[row]
        article = self.articles[serial]
        state = self.state
        read = state.is_read(article.key) if state else False
        flagged = state.is_flagged(article.key) if state else False
        selected = serial in self.selected
        # Only the cursor row depends on focus: the other rows stay cached across it.
        cursor = (
            None
            if row != self.cursor
            else "article-list--cursor-focused"
            if self.has_focus
            else "article-list--cursor"
        )
        cache_key = (serial, part, width, cursor, read, flagged, selected, self._query_generation)
        cached = self._line_cache.get(cache_key)
        if cached is not None:
            return cached
        if part:
            strip = self._render_snippet(serial, width, styles, cursor)
        else:
            strip = self._render_row(article, width, styles, cursor, read, flagged, selected)
        self._line_cache[cache_key] = strip
        return strip

    def _render_row(
        self,
        article: Article,
        width: int,
        styles: dict[str, Style],
        cursor: str | None,
        read: bool,
        flagged: bool,
        selected: bool = False,
    ) -> Strip:
        base = styles[""]
        if cursor is not None:
            base = base + styles[cursor]
        marker_style = base if cursor else base + styles["article-list--marker"]
        if article.date is None:
            date_class = "article-list--undated"
        elif article.date.inferred:
            date_class = "article-list--inferred"
        else:
            date_class = "article-list--date"
        date_style = styles[date_class]
        # The cursor's colours, but an inferred or missing date stays italic.
        date_style = base + (Style(italic=date_style.italic) if cursor else date_style)
        title_style = base + styles["article-list--read"] if read and not cursor else base
        glyphs = self.glyphs
        segments = [
            Segment(glyphs.selected, marker_style) if selected else Segment(" ", base),
            Segment(glyphs.unread if not read else " ", marker_style),
            Segment(glyphs.flag if flagged else " ", marker_style),
            Segment(" ", base),
            Segment(f"{article.date_label():<{DATE_WIDTH}}", date_style),
            Segment("  ", base),
        ]
        used = TITLE_COLUMN
        # Emoji sequences as one glyph every terminal measures alike: a row never
        # pushes the divider (and the reading pane) out of line.
        title = truncate_cells(
            stable_width(glyphs.cut(article.title)), width - used - 1, glyphs.ellipsis
        )
        query = self.search_query
        spans = query.highlight_spans(title, title=True) if query is not None else []
        segments.extend(
            styled_segments(title, 0, len(title), title_style, spans, styles["article-list--match"])
        )
        return Strip(segments).extend_cell_length(width, base).crop(0, width).simplify()

    def _render_snippet(
        self, serial: int, width: int, styles: dict[str, Style], cursor: str | None
    ) -> Strip:
        """A row's second line: its best passage, under its title, words highlighted."""
        base = styles[""]
        if cursor is not None:
            base = base + styles[cursor]
        style = base if cursor else base + styles["article-list--snippet"]
        room = width - TITLE_COLUMN - 1
        source = self.snippets
        key = (serial, room, self._query_generation)
        made = self._snippet_cache.get(key)
        if made is None:
            made = source(serial, room) if source is not None and room > 0 else ("", [])
            self._snippet_cache[key] = made
        text, spans = made
        segments = [Segment(" " * TITLE_COLUMN, base)]
        segments.extend(
            styled_segments(text, 0, len(text), style, spans, styles["article-list--match"])
        )
        return Strip(segments).extend_cell_length(width, base).crop(0, width).simplify()

    def focus_changed(self) -> None:
        self._refresh_row(self.cursor)  # only the cursor row shows focus

    def styles_changed(self) -> None:
        self._line_cache.clear()
