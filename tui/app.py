"""The Broadsheet app: composes the panes, owns the keys, and starts the reader.

What the panes show is the screen's to decide (:mod:`tui.screen`: query → rows →
preview); the work in worker threads is :mod:`tui.background`'s; the corpus, its index,
the store and the watcher are the session's (:mod:`tui.corpus.session`). The app
composes, binds the keys that work anywhere, turns each into an action on the screen,
and runs.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import threading
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual import events
from textual.actions import SkipAction
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.scrollbar import ScrollBar, ScrollBarRender

from . import external
from .corpus import Article, Corpus, Skipped, SortOrder
from .corpus.files import check_paths
from .corpus.foreground import Foreground
from .corpus.headstart import HeadStart
from .corpus.history import QueryHistory, acceptable_query
from .corpus.index import SearchIndex
from .corpus.query import QueryError, parse_query
from .corpus.relevance import share
from .corpus.safe import neutralise_line
from .corpus.searches import SavedSearches
from .corpus.session import CorpusSession
from .corpus.settings import ReadingPositions, Settings
from .corpus.state import ReadState
from .screen import NARROW_WIDTH, ReaderScreen
from .widgets import (
    ArticleList,
    FilterBar,
    Glyphs,
    HeaderBar,
    HelpScreen,
    KeyBar,
    ReadingPane,
    Timeline,
    glyphs_for_terminal,
)
from .widgets.export_dialog import ExportDialog, ExportRequest
from .widgets.filter_bar import FilterInput
from .widgets.glyphs import AsciiScrollBarRender
from .widgets.help_screen import key_label
from .widgets.picker import PickList
from .widgets.searches import SaveSearchDialog, SearchSwitcher
from .widgets.text_layout import stable_width, truncate_cells

if TYPE_CHECKING:
    import asyncio

    from .corpus.facets import Facet
    from .corpus.store import Store
    from .corpus.watch import FolderWatcher

ANSWERED_INPUT = (
    events.Key,
    events.MouseDown,
    events.MouseUp,
    events.MouseScrollDown,
    events.MouseScrollUp,
    events.Paste,
)
"""Inputs whose answer the user waits for (a mouse move is not one)."""

ANSWER_SECONDS = 0.05
"""Longest time the loading threads stand aside for one input's frame."""


class BroadsheetApp(App[None]):
    """A date-sorted list, a reading pane and a filter bar over a corpus."""

    CSS_PATH = "app.tcss"
    TITLE = "Broadsheet"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (NARROW_WIDTH, "-wide")]
    """The screen gets -narrow under NARROW_WIDTH columns: app.tcss shows one pane."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit"),
        Binding("question_mark,f1", "help", "Help"),
        # Priority: handled as the key arrives, before the keys typed after it are routed,
        # so "/pak" in one burst (a fast typist, an SSH packet) lands "pak" in the field.
        Binding("slash", "focus_filter", "Filter", priority=True),
        Binding("s", "toggle_sort", "Sort"),
        Binding("m", "toggle_read", "Read/unread", show=False),
        Binding("f", "toggle_flag", "Flag", show=False),
        Binding("r", "toggle_raw", "Raw/clean", show=False),
        Binding("y", "copy_citation", "Copy citation", show=False),
        Binding("t", "toggle_timeline", "Timeline", show=False),
        Binding("e", "edit", "Edit the file ($VISUAL, $EDITOR)", show=False),
        Binding("p", "page", "Read in the pager ($PAGER)", show=False),
        Binding("w", "open_url", "Open the URL in a browser (or copy it)", show=False),
        Binding("full_stop", "next_unread", "Next unread article", show=False),
        Binding("E", "export", "Export the list, the flagged or the selected", show=False),
        Binding("apostrophe", "saved_searches", "Saved searches, with their counts", show=False),
        Binding("o", "toggle_order", "Order: best first (relevance) or by date", show=False),
        Binding("c", "toggle_snippets", "Snippets: a line of context under each title", show=False),
        Binding("R", "related", "Related: the 20 articles most like this one", show=False),
        Binding("F", "facets", "Facets: names, authors, sites, tags in the list", show=False),
        Binding("ctrl+l", "redraw", "Redraw the screen (if something wrote over it)", show=False),
    ]

    def __init__(
        self,
        paths: Sequence[str],
        *,
        state: ReadState | None = None,
        history: QueryHistory | None = None,
        settings: Settings | None = None,
        positions: ReadingPositions | None = None,
        searches: SavedSearches | None = None,
        query: str = "",
        order: SortOrder = "newest",
        relevance: bool = False,
        glyphs: Glyphs | None = None,
        infer: bool = True,
        head_start: HeadStart | None = None,
        watch: bool = True,
        store: bool = True,
        rebuild: bool = False,
        store_ready: bool | None = None,
    ) -> None:
        super().__init__()
        self.paths = list(paths)
        self.head_start = head_start
        """A child process reading the first rows (:mod:`corpus.headstart`), if any."""
        self.foreground = Foreground()
        """Raised while an input is answered: the loading threads wait for its frame."""
        # infer=False (--no-infer): no inferred years anywhere; the corpus drops them.
        self.session = CorpusSession(
            self.paths,
            infer=infer,
            cache=store,
            rebuild=rebuild,
            pause=self.foreground.pause,
            rest_left=partial(self.foreground.rest_left, REST_SECONDS),
            store_ready=store_ready,  # the command line looked (None: it did not)
        )
        """The corpus, its index, the store, the loader and the watcher (the workers
        drive it; it reports plain data, posted as messages)."""
        self.state = state if state is not None else ReadState.open(enabled=False)
        self.history = history if history is not None else QueryHistory(None)
        """The filter bar's queries, kept between runs (none kept by default)."""
        self.settings = settings if settings is not None else Settings(None)
        """The theme, sort and query, kept between runs (none kept by default)."""
        self.positions = positions if positions is not None else ReadingPositions(None)
        """Where each article was left (none kept by default)."""
        self.searches = searches if searches is not None else SavedSearches(None)
        """Named queries (' lists them), kept between runs (none by default)."""
        self.glyphs = glyphs or glyphs_for_terminal()
        self.initial_query = query
        self.initial_order: SortOrder = order
        self.initial_relevance = relevance
        self.watch_enabled = watch
        self._reader_screen: ReaderScreen | None = None
        self._quitting = False
        """q was pressed while the store was being written (a second q quits anyway)."""

    # --- the screen, and the parts tests and tools read by their old names --------

    def get_default_screen(self) -> Screen[None]:
        self._reader_screen = ReaderScreen(
            self.session,
            self.state,
            glyphs=self.glyphs,
            foreground=self.foreground,
            paths=self.paths,
            order=self.initial_order,
            relevance=self.initial_relevance,
            head_start=self.head_start,
            watch=self.watch_enabled,
            history=self.history,
            positions=self.positions,
        )
        return self._reader_screen

    @property
    def reader_screen(self) -> ReaderScreen:
        """The reader's screen (the default one: a help screen may be over it)."""
        assert self._reader_screen is not None, "the app is not running yet"
        return self._reader_screen

    @property
    def corpus(self) -> Corpus:
        return self.session.corpus

    @property
    def index(self) -> SearchIndex | None:
        """Made by the loading thread (SQLite set-up is off the path to the first
        frame); until then nothing is searchable yet and a query matches nothing."""
        return self.session.index

    @property
    def store(self) -> Store | None:
        return self.session.store

    @property
    def reopened(self) -> bool:
        return self.session.reopened

    @property
    def watcher(self) -> FolderWatcher | None:
        return self.session.watcher

    @property
    def watch_thread(self) -> threading.Thread | None:
        return self.session.watch_thread

    @property
    def article_list(self) -> ArticleList:
        return self.reader_screen.article_list

    @property
    def reader(self) -> ReadingPane:
        return self.reader_screen.reader

    @property
    def filter_bar(self) -> FilterBar:
        return self.reader_screen.filter_bar

    @property
    def timeline(self) -> Timeline:
        return self.reader_screen.timeline

    @property
    def reading(self) -> bool:
        return self.reader_screen.reading

    @property
    def order(self) -> SortOrder:
        return self.reader_screen.order

    @property
    def loading(self) -> bool:
        return self.reader_screen.corpus_loading

    @property
    def loaded(self) -> asyncio.Event:
        """Set when the whole corpus is loaded and shown (tests wait on it)."""
        return self.reader_screen.loaded

    @property
    def files_read(self) -> int:
        return self.reader_screen.files_read

    @property
    def skipped(self) -> list[Skipped]:
        return self.reader_screen.skipped if self._reader_screen is not None else []

    @property
    def narrow(self) -> bool:
        """One pane at a time (app.tcss keys it to the screen's -narrow class, which
        HORIZONTAL_BREAKPOINTS sets from the same width)."""
        return self.size.width < NARROW_WIDTH

    # --- structure -------------------------------------------------------------

    def compose(self) -> ComposeResult:
        screen = self.reader_screen
        yield HeaderBar(ellipsis=self.glyphs.ellipsis, separator=self.glyphs.separator, id="header")
        yield FilterBar(
            self.initial_query,
            on_change=screen.set_query,
            on_history=screen.history_step,
            separator=self.glyphs.separator,
            error_mark=self.glyphs.warning if self.glyphs.ascii else "✗",
            id="filter",
        )
        with Horizontal(id="panes"):
            with Vertical(id="list-column"):
                yield ArticleList(
                    on_highlight=screen.highlighted,
                    on_select=screen.open_article,
                    glyphs=self.glyphs,
                    id="list",
                )
                yield Timeline(glyphs=self.glyphs, id="timeline")
            yield ReadingPane(glyphs=self.glyphs, id="reader")
        yield KeyBar(id="keys")

    def on_mount(self) -> None:
        if self.glyphs.ascii:
            self.add_class("-console")  # app.tcss: ASCII borders, no emoji
            ScrollBar.renderer = AsciiScrollBarRender  # Textual's documented hook
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        # The first rows are read here, before the first frame (see Background.start).
        self.reader_screen.start(self.initial_query)
        self.reader_screen.jobs.start()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, ANSWERED_INPUT) and self._reader_screen is not None:
            self._reader_screen.input_seen()
            # Loaded too: the relevance table is filled only once the keys rest (its
            # Python had the GIL half the time while a million's search ran).
            self.foreground.input_seen()
            if self._reader_screen.corpus_loading:
                # The loading threads stand aside until this input's frame is out.
                self.foreground.busy(ANSWER_SECONDS)
        await super().on_event(event)

    def on_resize(self, event: events.Resize) -> None:
        # Before App's own handler: self.size is still the old size here.
        self.reader_screen.sync_reading_class(event.size.width)

    # --- actions ---------------------------------------------------------------

    def action_focus_filter(self) -> None:
        filter_input = self.filter_bar.input
        if self.screen is not filter_input.screen or filter_input.has_focus:
            raise SkipAction()  # "/" typed in the field, or over the help screen
        self.reader_screen.reading = False
        # Focus now, not after a refresh (Widget.focus defers it).
        self.screen.set_focus(filter_input)

    def action_clear_filter(self) -> None:
        self.reader_screen.clear_filter()

    def action_restore_filter(self) -> None:
        if not self.reader_screen.restore_filter():
            self.bell()  # nothing was cleared

    def action_toggle_sort(self) -> None:
        screen = self.reader_screen
        screen.order = "oldest" if screen.order == "newest" else "newest"

    def action_toggle_read(self) -> None:
        self._mark(ReadState.toggle_read)

    def action_toggle_flag(self) -> None:
        self._mark(ReadState.toggle_flagged)

    def _mark(self, toggle: Callable[[ReadState, str], bool]) -> None:
        article = self.reader_screen.current_article()
        if article is None:
            self.bell()
            return
        now = toggle(self.state, article.key)
        self.reader_screen.marks_changed(article)
        if toggle == ReadState.toggle_read:
            said = "Marked read" if now else "Marked unread"
        else:
            said = "Flagged" if now else "Flag removed"
        self.notify(said, timeout=1.5, markup=False)

    def action_toggle_raw(self) -> None:
        screen = self.reader_screen
        serial = screen.article_list.current_serial
        if self.narrow and not screen.reading and serial is not None:
            # One pane: the reader is hidden behind the list, so r opens it, raw.
            screen.open_article(serial)
        screen.toggle_raw()

    def action_copy_citation(self) -> None:
        article = self.reader_screen.current_article()
        if article is None:
            return
        citation = f"“{article.title}” ({article.date_label()}). {article.path}"
        self.copy_to_clipboard(citation)
        self.notify(citation, title="Citation copied", markup=False, timeout=3)

    # --- out to other tools (issue 15, item 7): see tui/external.py --------------

    def action_edit(self) -> None:
        self._outside(external.edit)

    def action_page(self) -> None:
        self._outside(external.page)

    def action_open_url(self) -> None:
        self._outside(external.open_url)

    def _outside(self, tool: Callable[[App[None], Article], None]) -> None:
        article = self.reader_screen.current_article()
        if article is None:
            self.bell()
            return
        tool(self, article)

    def action_redraw(self) -> None:
        """Write every cell of the terminal again, as ctrl+l does in less, vim or mutt.
        Textual writes only what changed on its own screen, so what another program put
        on the terminal (a background job's output, a ``wall`` message, line noise over
        SSH) stays until the rows under it change; this clears it."""
        self.refresh(repaint=True, layout=True)

    def action_toggle_timeline(self) -> None:
        screen = self.reader_screen
        screen.show_timeline = not screen.show_timeline

    def action_step_article(self, delta: int) -> None:
        if not self.reader_screen.step_article(delta):
            self.bell()
            where = "last" if delta > 0 else "first"
            self.notify(f"This is the {where} article in the list", timeout=1.5)

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(
            HelpScreen(
                [
                    ("Anywhere", self.BINDINGS),
                    ("In the list", ArticleList.BINDINGS),
                    ("While reading", ReadingPane.BINDINGS),
                    ("In the filter bar", FilterInput.BINDINGS),
                    ("Also", [Binding("ctrl+p", "command_palette", "Command palette")]),
                ],
                ascii=self.glyphs.ascii,
            )
        )

    def on_unmount(self) -> None:
        ScrollBar.renderer = ScrollBarRender  # a class attribute: leave it as found
        self._keep_settings()
        # Quit on the second q: what is not written then is written at the next launch
        # (a snapshot cut short leaves the store as it was: it is one transaction).
        self.session.close(
            watch_seconds=WATCH_STOP_SECONDS,
            store_seconds=STORE_STOP_SECONDS if not self._quitting else 0.5,
        )

    def _keep_settings(self) -> None:
        """Remember the theme, the sort, the query and where each article was left,
        for the next run (the positions were noted as the user quit)."""
        if self._reader_screen is None:
            return
        screen = self._reader_screen
        settings = self.settings
        settings.theme, settings.sort = self.theme, screen.order
        settings.relevance = screen.by_relevance
        query = screen.current_query.text
        settings.query = query if query and acceptable_query(query) else None
        settings.save()
        self.positions.save()

    # --- the command palette: the reader's own commands, with their keys ----------

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):
            if command.title != "Screenshot":  # Textual's wants ~/Downloads to exist
                yield command
        yield SystemCommand(
            "Screenshot", "Save an SVG picture of the screen in the current folder",
            lambda: self.set_timer(0.1, self._save_screenshot_here),
        )  # fmt: skip
        for title, help_text, action in PALETTE:
            yield SystemCommand(title, help_text, partial(self.call_later, self.run_action, action))
        # Those whose keys work only while reading, or only in the list, are offered
        # only there, and run as their keys do: in the pane that binds them.
        reading = self.reader_screen.reading
        pane = self.reader if reading else self.article_list
        for title, help_text, action in READING_PALETTE if reading else LIST_PALETTE:
            run = partial(self.call_later, self.run_action, action, pane)
            yield SystemCommand(title, help_text, run)
        for name, text in self.searches.queries.items():
            yield SystemCommand(f"Search: {name}", text, partial(self._run_saved, text))

    def _save_screenshot_here(self) -> None:
        if self.is_web:
            self.deliver_screenshot()  # to the browser, as a download
            return
        try:
            path = self.save_screenshot(path=os.getcwd())  # getcwd fails if it was removed
        except OSError as error:
            reason = f"Cannot save a screenshot in the current folder: {error.strerror or error}"
            self.notify(neutralise_line(reason), severity="warning", markup=False)
            return
        self.notify(neutralise_line(path), title="Screenshot saved", markup=False)

    def get_key_display(self, binding: Binding) -> str:
        if self.glyphs.ascii:  # the console's font has no arrows nor ⏎
            return key_label(binding.key.split(",")[0], ascii=True)
        return super().get_key_display(binding)

    def action_command_palette(self) -> None:
        open_already = CommandPalette.is_open(cast("App[object]", self))
        if self.glyphs.ascii and self.use_command_palette and not open_already:
            # Textual's placeholder ends with "…", which the console cannot draw.
            placeholder = "Search for commands..."
            self.push_screen(CommandPalette(placeholder=placeholder, id="--command-palette"))
            return
        super().action_command_palette()

    def action_toggle_select(self) -> None:
        if not self.reader_screen.toggle_select():
            self.bell()

    def action_select_all(self) -> None:
        count = self.reader_screen.select_all()
        self.notify(f"{count:,} selected" if count else "None selected", timeout=1.5)

    def action_export(self) -> None:
        screen = self.reader_screen
        counts = screen.export_counts()
        which = "selected" if counts["selected"] else "filtered"

        def chosen(request: ExportRequest | None) -> None:
            if request is not None:
                articles = screen.export_articles(request.which)
                screen.jobs.export(articles, request.form, request.path)

        self.push_screen(ExportDialog(counts, which=which, ascii=self.glyphs.ascii), chosen)

    # --- relevance, related, facets (issue 15, items 3-5) -------------------------

    def action_toggle_order(self) -> None:
        said = self.reader_screen.toggle_relevance()
        self.notify(said, timeout=2, markup=False)

    def action_toggle_snippets(self) -> None:
        shown = self.reader_screen.toggle_snippets()
        self.notify("Snippets shown" if shown else "Snippets hidden", timeout=1.5)

    def action_related(self) -> None:
        article = self.reader_screen.current_article()
        if article is None:
            self.bell()
            return
        self.reader_screen.jobs.find_related(article.serial)

    def show_related(self, serial: int, found: list[tuple[int, float]]) -> None:
        """The articles most like article *serial* (a worker found them): pick one to
        open it."""
        screen = self.reader_screen
        article = self.session.article(serial)
        best = found[0][1] if found else 0.0
        lines = [
            Content.assemble(
                (f"{self.session.article(other).date_label():<13}", "dim"),
                (f"{share(score, best):>3}%  ", "bold"),
                stable_width(self.glyphs.cut(self.session.article(other).title)),
            )
            for other, score in found
        ]
        title = truncate_cells(
            stable_width(self.glyphs.cut(article.title)), 64, self.glyphs.ellipsis
        )

        def chosen(number: int | None) -> None:
            if number is not None:
                screen.open_related(found[number][0])

        self.push_screen(
            PickList(
                "Related articles: BM25 over its most distinctive words, % of the best",
                lines,
                note=f'Most like "{title}"',  # plain quotes: the console has no others
                empty="No article shares this one's distinctive words.",
                hang=13 + 6,  # a wrapped title goes on under itself: past date and score
            ),
            chosen,
        )

    def action_facets(self) -> None:
        self.reader_screen.jobs.count_facets()

    def show_facets(self, facets: list[Facet], matched: int) -> None:
        """The facets counted for the list (a worker did): pick one to narrow by it."""
        lines = [
            Content.assemble(
                (f"{facet.kind:<7}", "dim"),
                (f"{facet.count:>7,}  ", "bold"),
                stable_width(facet.label),
            )
            for facet in facets
        ]

        def chosen(number: int | None) -> None:
            if number is not None:
                self.reader_screen.add_to_query(facets[number].term)

        self.push_screen(
            PickList(
                "Facets",
                lines,
                note=(
                    f"In {matched:,} article{'s' if matched != 1 else ''}; each counted once"
                    " an article. Enter narrows."
                ),
                empty="No names, authors, sites or tags in these articles.",
                hang=7 + 7 + 2,  # past the kind and the count
            ),
            chosen,
        )

    # --- saved searches (issue 15, item 2) ---------------------------------------

    def action_saved_searches(self) -> None:
        listed = []
        for name, text in self.searches.queries.items():
            try:
                found = self.session.search(parse_query(text), self.state)
            except QueryError:
                continue  # a hand edit that is no query: left out, the file kept
            listed.append((name, text, len(self.corpus) if found is None else len(found)))
        self.push_screen(SearchSwitcher(listed), self._run_saved)

    def _run_saved(self, text: str | None) -> None:
        if text is not None:
            self.filter_bar.value = text  # runs it, as typing it would
            self.reader_screen.remember_query()

    def action_save_search(self) -> None:
        text = self.reader_screen.current_query.text
        if not text.strip():
            self.notify("Type a query first, then save it", timeout=2)
            return

        def named(name: str | None) -> None:
            if name is None:
                return
            try:
                self.searches.save(name, text)
            except (ValueError, OSError) as error:
                reason = error.strerror if isinstance(error, OSError) else str(error)
                self.notify(f"Not saved: {reason}", severity="warning", markup=False)
                return
            self.notify(f"Saved: --query @{name} runs it", title="Saved search", markup=False)

        self.push_screen(SaveSearchDialog(text), named)

    def action_mark_all_read(self) -> None:
        count = self.reader_screen.mark_all_read()
        said = f"{count:,} marked read; the palette's Undo mark all read unreads them"
        self.notify(said if count else "Every article in the list is read already", timeout=4)

    def action_undo_mark_all_read(self) -> None:
        count = self.reader_screen.undo_mark_all_read()
        self.notify(f"{count:,} unread again" if count else "Nothing to undo", timeout=2)

    def action_next_unread(self) -> None:
        if not self.reader_screen.next_unread():
            self.bell()
            self.notify("No unread article in the list", timeout=2)

    async def action_quit(self) -> None:
        self.reader_screen.keep_position()  # the article open: read to here
        jobs = self.reader_screen.jobs
        jobs.cancel_save()
        if self.state.dirty:
            # In a worker (after a save or load in progress): the screen stays live.
            with contextlib.suppress(Exception):
                await jobs.save_state().wait()
        writer = self.session.writer
        if writer is not None and writer.writing_load and not self._quitting:
            # A first load's store is being written: the next launch needs it to start
            # fast. Wait for it (the screen stays live); q again quits without it.
            self._quitting = True
            self.notify(
                f"Writing the store for a fast next start{self.glyphs.ellipsis} press q again"
                " to quit now",
                title="Store",
                timeout=60,
            )
            jobs.quit_when_written()
            return
        self.exit()


PALETTE = [
    ("Sort newest / oldest first", "Turn the list's order around (s)", "toggle_sort"),
    (
        "Order: best first / by date",
        "A query's matches by relevance (BM25, title first) or by date (o)",
        "toggle_order",
    ),
    ("Snippets", "A line of context under each title, or none (c)", "toggle_snippets"),
    ("Related articles", "The 20 articles most like this one (R)", "related"),
    ("Facets", "Who and what the list is about: names, authors, sites, tags (F)", "facets"),
    ("Timeline", "Show or hide the timeline under the list (t)", "toggle_timeline"),
    ("Filter", "Type a query in the filter bar (/)", "focus_filter"),
    ("Clear the filter", "Show every article again (esc in the list)", "clear_filter"),
    ("Restore the filter", "Bring back the filter last cleared (u)", "restore_filter"),
    ("Next unread", "The next unread article in the list (.)", "next_unread"),
    ("Mark read / unread", "The article under the cursor or open (m)", "toggle_read"),
    (
        "Mark all in the list read",
        "Every article in the list (undo: next command)",
        "mark_all_read",
    ),
    (
        "Undo mark all read",
        "Unread again what the last mark-all marked (palette)",
        "undo_mark_all_read",
    ),
    ("Flag / unflag", "The article under the cursor or open (f)", "toggle_flag"),
    ("Raw / clean text", "The article's file as it is, or cleaned (r)", "toggle_raw"),
    ("Copy citation", "Title, date and file to the clipboard (y)", "copy_citation"),
    ("Edit the file", "In $VISUAL or $EDITOR (e)", "edit"),
    ("Read in the pager", "The cleaned article in $PAGER (p)", "page"),
    ("Open the web address", "In a browser, or copied where there is none (w)", "open_url"),
    ("Export", "The list, the flagged or the selected, to a file (E)", "export"),
    ("Saved searches", "Each with how many it finds now; enter runs one (')", "saved_searches"),
    ("Save search", "Keep the query under a name: --query @name runs it (palette)", "save_search"),
    ("Select all / none", "Every article in the list, for an export (X)", "select_all"),
    ("Help: keys and query syntax", "Every key, where it works (?)", "help"),
    ("Redraw the screen", "Clear what another program wrote over it (ctrl+l)", "redraw"),
]
"""The reader's own commands in the palette (ctrl+p): (title, what it does and its
key, action). Typing "sort" finds the first."""

READING_PALETTE = [
    ("Next article", "Open the next article in the list (])", "app.step_article(1)"),
    ("Previous article", "Open the previous article in the list ([)", "app.step_article(-1)"),
    ("Next match", "The query's next match in the article (n)", "match(1)"),
    ("Previous match", "The query's previous match in the article (N)", "match(-1)"),
    (
        "Show / fold the menus",
        "The short paragraphs a scraped page's text opens with (z)",
        "toggle_menus",
    ),
]
"""The palette's commands while an article is open: actions of the reading pane's, as
its keys."""

LIST_PALETTE = [
    (
        "Select / unselect",
        "The article under the cursor, for an export; on to the next (x)",
        "app.toggle_select",
    ),
]
"""The palette's commands in the list: actions of the article list's, as its keys."""

REST_SECONDS = 2.0
"""Seconds without a key before the store's writer goes on filling the relevance table."""

STORE_STOP_SECONDS = 10.0
"""Longest the app waits at exit for the store's writes in progress."""

WATCH_STOP_SECONDS = 2.0
"""Longest the app waits at exit for the watcher's thread (it stops within ~50 ms)."""


def run_app(
    args: argparse.Namespace,
    paths: Sequence[str],
    head_start: HeadStart | None = None,
    store_ready: bool | None = None,
) -> int:
    """Open the reader; return the exit status. *head_start* (see :mod:`corpus.headstart`)
    was started on the same *paths*, after :func:`check_paths`; *store_ready*: what a
    look at the store found then (None: not looked at)."""
    check_paths(paths)
    if sys.__stdout__ is not None and sys.__stdout__.isatty():
        # An exported COLUMNS/LINES is a stale snapshot of some other terminal: Textual
        # would prefer it to the real size and never follow a resize.
        for name in ("COLUMNS", "LINES"):
            os.environ.pop(name, None)
    no_mouse = args.no_mouse or os.environ.get("BROADSHEET_NO_MOUSE", "") not in ("", "0")
    state = ReadState.open(enabled=not args.no_state, load=False)  # loaded by the app
    # The theme, sort and query of the last run, unless the command line says otherwise.
    settings = Settings.open(enabled=not args.no_state)
    app = BroadsheetApp(
        paths,
        state=state,
        history=QueryHistory.open(enabled=not args.no_state),  # read with the marks
        settings=settings,
        positions=ReadingPositions.open(enabled=not args.no_state),  # read below
        searches=SavedSearches.open(enabled=not args.no_state),
        query=args.query if args.query is not None else settings.query or "",
        order=args.sort if args.sort in ("newest", "oldest") else settings.sort or "newest",
        relevance=args.sort == "relevance" or (args.sort is None and settings.relevance),
        infer=not getattr(args, "no_infer", False),
        head_start=head_start,
        store_ready=store_ready,
        watch=not getattr(args, "no_watch", False),
        store=not getattr(args, "no_cache", False),
        rebuild=getattr(args, "rebuild", False),
    )
    app.run(mouse=not no_mouse)
    from .corpus.safe import neutralise_line

    for item in app.skipped:
        # As every message printed: a name's control characters or undecodable bytes
        # are shown, never sent to the terminal (nor left to fail its encoding).
        line = f"broadsheet: skipped {item.path}: {item.reason}"
        sys.stderr.write(neutralise_line(line) + "\n")
    return app.return_code or 0
