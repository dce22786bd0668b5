"""Behaviour of the reader, driven with the pilot: every key of the key map."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events

import tui.app
from tui.app import BroadsheetApp
from tui.corpus.state import ReadState
from tui.widgets import ArticleList, ReadingPane

from .app_helpers import SEEDS, make_app, reader_lines, settle

pytestmark = pytest.mark.usefixtures("in_repo")

NEWEST_FIRST = ["003_", "001_", "000_", "004_", "002_"]


def shown_paths(app: BroadsheetApp) -> list[str]:
    return [app.corpus.by_serial[serial].path for serial in app.article_list.rows]


def order_of(app: BroadsheetApp) -> list[str]:
    return [Path(path).name[:4] for path in shown_paths(app)]


def current_name(app: BroadsheetApp) -> str:
    serial = app.article_list.current_serial
    assert serial is not None
    return Path(app.corpus.by_serial[serial].path).name[:4]


async def test_start_lists_seeds_newest_first() -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert order_of(app) == NEWEST_FIRST
        assert app.filter_bar.status == "5 of 5"
        assert app.focused is app.article_list
        # The wide layout previews the highlighted article without opening it.
        assert app.reader.article is not None and app.reader.article.path.endswith(
            "003_fe23c28bed445003.txt"
        )
        assert not app.reading


async def test_cursor_keys_move_in_the_list() -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("down")
        assert current_name(app) == "001_"
        await pilot.press("j", "j")
        assert current_name(app) == "004_"
        await pilot.press("k")
        assert current_name(app) == "000_"
        await pilot.press("up")
        assert current_name(app) == "001_"
        await pilot.press("G")
        assert current_name(app) == "002_"
        await pilot.press("g")
        assert current_name(app) == "003_"
        await pilot.press("end")
        assert current_name(app) == "002_"
        await pilot.press("home")
        assert current_name(app) == "003_"
        await pilot.press("pagedown")
        assert current_name(app) == "002_"
        await pilot.press("pageup")
        assert current_name(app) == "003_"
        await pilot.press("space")
        assert current_name(app) == "002_"


async def test_preview_follows_the_cursor_once_it_rests() -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "down")
        await pilot.pause(0.3)
        assert app.reader.article is not None
        assert Path(app.reader.article.path).name.startswith("004_")


@pytest.mark.parametrize("key", ["enter", "l", "right"])
async def test_open_keys_open_and_mark_read(key: str) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("down", key)
        await pilot.pause()
        assert app.reading
        assert app.focused is app.reader
        article = app.reader.article
        assert article is not None and Path(article.path).name.startswith("001_")
        assert app.state.is_read(article.key)


@pytest.mark.parametrize("key", ["escape", "h", "left"])
async def test_back_keys_return_to_the_list(key: str) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        assert app.focused is app.reader
        await pilot.press(key)
        assert not app.reading
        assert app.focused is app.article_list


async def test_narrow_terminal_shows_one_pane_at_a_time() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.narrow
        assert app.article_list.region.width > 0
        assert app.reader.region.width == 0  # hidden until an article opens
        await pilot.press("enter")
        await pilot.pause()
        assert app.reader.region.width > 0
        assert app.article_list.region.width == 0
        await pilot.press("escape")
        await pilot.pause()
        assert app.article_list.region.width > 0
        assert app.reader.region.width == 0


async def test_reading_keys_scroll_and_step_between_articles() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        reader = app.reader
        assert reader.scroll_offset.y == 0
        await pilot.press("j", "down")
        assert reader.scroll_offset.y == 2
        await pilot.press("k")
        assert reader.scroll_offset.y == 1
        await pilot.press("pagedown")
        assert reader.scroll_offset.y > 5
        await pilot.press("pageup")
        assert reader.scroll_offset.y < 5
        await pilot.press("G")
        assert reader.scroll_offset.y == reader.max_scroll_y > 0
        await pilot.press("g")
        assert reader.scroll_offset.y == 0
        await pilot.press("end")
        assert reader.scroll_offset.y == reader.max_scroll_y
        await pilot.press("home")
        assert reader.scroll_offset.y == 0
        await pilot.press("space")
        assert reader.scroll_offset.y > 5
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert reader.article is not None and Path(reader.article.path).name.startswith("001_")
        assert reader.scroll_offset.y == 0
        assert app.state.is_read(reader.article.key)
        await pilot.press("right_square_bracket", "left_square_bracket")
        await pilot.pause()
        assert Path(reader.article.path).name.startswith("001_")
        assert app.reading


async def test_filter_bar_filters_as_you_type_and_keeps_the_query() -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        assert app.focused is app.filter_bar.input
        await pilot.press(*"olympics")
        await pilot.pause()
        assert order_of(app) == ["000_"]
        assert app.filter_bar.status == "1 of 5"
        await pilot.press("enter")
        assert app.focused is app.article_list
        assert app.filter_bar.value == "olympics"
        await pilot.press("slash", "escape")
        assert app.focused is app.article_list
        assert app.filter_bar.value == "olympics"
        # Esc in the list clears an active filter.
        await pilot.press("escape")
        await pilot.pause()
        assert app.filter_bar.value == ""
        assert order_of(app) == NEWEST_FIRST


class TypedAhead(BroadsheetApp):
    """Keys typed before the reader has mounted (over SSH, or typed as it launches):
    they wait in the app's queue, behind its start-up."""

    CSS_PATH = str(Path(tui.app.__file__).with_name("app.tcss"))  # else beside this file

    def on_mount(self) -> None:
        for character in "/olympics":
            key = "slash" if character == "/" else character
            self.post_message(events.Key(key, character))


async def test_keys_typed_before_the_first_frame_act_as_after_it() -> None:
    # The "/" focuses the filter bar, as it would a moment later, not typed into it.
    app = TypedAhead([SEEDS], state=ReadState.open(enabled=False))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert app.filter_bar.value == "olympics"
        assert app.focused is app.filter_bar.input
        assert order_of(app) == ["000_"]


async def test_words_combine_with_and_prefix_and_accents() -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"PAK putin")
        await pilot.pause()
        assert set(order_of(app)) == {"000_", "003_"}


async def test_no_match_says_so_and_empties_the_reader() -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"zzzqqq")
        await pilot.pause()
        assert app.article_list.rows == []
        assert "No articles match" in app.article_list.notice
        assert app.reader.article is None
        assert app.filter_bar.status == "0 of 5"


async def test_cursor_keeps_its_article_across_filter_and_sort() -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down")  # 000: the Winter Olympics article
        assert current_name(app) == "000_"
        await pilot.press("slash", *"putin", "enter")
        await pilot.pause()
        assert current_name(app) == "000_"
        await pilot.press("s")
        await pilot.pause()
        assert current_name(app) == "000_"
        assert app.order == "oldest"


async def test_sort_flips_and_keeps_undated_last(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Date: 2020-01-01\n\nOld news from the start.\n")
    (tmp_path / "b.txt").write_text("Date: 2023-05-05\n\nNewer news.\n")
    (tmp_path / "c.txt").write_text("No date here at all, and no year either.\n")
    app = make_app([str(tmp_path)])
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        names = lambda: [Path(p).name for p in shown_paths(app)]  # noqa: E731
        assert names() == ["b.txt", "a.txt", "c.txt"]
        await pilot.press("s")
        await pilot.pause()
        assert names() == ["a.txt", "b.txt", "c.txt"]
        await pilot.press("s")
        await pilot.pause()
        assert names() == ["b.txt", "a.txt", "c.txt"]


async def test_mark_and_flag_toggle_and_persist(tmp_path: Path) -> None:
    state_dir = tmp_path / "state"
    app = make_app(state=ReadState.open(str(state_dir)))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        key = app.corpus.by_serial[app.article_list.current_serial].key  # type: ignore[index]
        await pilot.press("m")
        assert app.state.is_read(key)
        await pilot.press("m")
        assert not app.state.is_read(key)
        await pilot.press("m", "f")
        assert app.state.is_read(key) and app.state.is_flagged(key)
        await pilot.press("q")
    again = make_app(state=ReadState.open(str(state_dir)))
    async with again.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert again.state.is_read(key)
        assert again.state.is_flagged(key)
        await pilot.press("f")
        assert not again.state.is_flagged(key)


async def test_raw_view_shows_the_file_as_read() -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "down", "enter")  # seed 004, the scraped page
        await pilot.pause()
        reader = app.reader
        cleaned = "\n".join(reader_lines(app))
        assert "Powered by" not in cleaned
        await pilot.press("r")
        await pilot.pause()
        assert reader.raw
        raw = "\n".join(reader_lines(app))
        assert "Powered by MOMENTUM MEDIA" in raw
        await pilot.press("r")
        assert not reader.raw


async def test_raw_from_the_list_in_one_pane_opens_the_article_raw() -> None:
    # At 80 columns the reader is hidden behind the list: r there showed nothing.
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "down", "r")  # seed 004, the scraped page
        await pilot.pause()
        assert app.reading and app.focused is app.reader and app.reader.raw
        raw = "\n".join(reader_lines(app))
        assert "Powered by MOMENTUM MEDIA" in raw
        await pilot.press("r")
        assert not app.reader.raw and app.reading


async def test_copy_citation() -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "down", "y")
        assert app.clipboard.startswith("“Xi to break travel drought for meeting with Putin”")
        assert "(c. 2022)" in app.clipboard
        assert "seeds/004_a3b08d5341e94a04.txt" in app.clipboard


async def test_timeline_toggles() -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert app.timeline.display
        await pilot.press("t")
        assert not app.timeline.display
        await pilot.press("t")
        assert app.timeline.display


@pytest.mark.parametrize("key", ["question_mark", "f1"])
async def test_help_screen_lists_every_binding(key: str) -> None:
    from textual.widgets import Static

    from tui.widgets import HelpScreen

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press(key)
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = app.screen.query_one("#help-text", Static).render().plain
        for binding in [*app.BINDINGS, *ArticleList.BINDINGS, *ReadingPane.BINDINGS]:
            assert binding.description in text  # type: ignore[union-attr]
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_help_scrolls_and_teaches_the_query_syntax_the_readme_does() -> None:
    """The help was cut off at 120×36 with no hint that it scrolls, and had no query
    syntax (issue 15). Every operator of the README's query table is in it."""
    import re

    from textual.containers import VerticalScroll
    from textual.widgets import Static

    from tui.widgets import HelpScreen

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")
    table = readme[readme.index("| `word` |") :].split("\n\n")[0]
    # Each row's first form, up to its colon: word, "two words", title:, date:, …
    operators = {
        first.split(":")[0] + ":" if ":" in first else first
        for first in re.findall(r"^\| `([^`]+)`", table, re.MULTILINE)
    }
    assert len(operators) >= 12
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = app.screen.query_one("#help-text", Static).render().plain
        assert "Query syntax" in text
        for operator in operators:
            assert operator in text, operator
        body = app.screen.query_one("#help-body", VerticalScroll)
        assert "scroll" in str(body.border_subtitle)
        assert body.max_scroll_y > 0  # it does not fit: it scrolls
        await pilot.press("pagedown")
        await pilot.pause()
        assert body.scroll_offset.y > 0


async def test_help_scrolls_with_the_list_s_keys() -> None:
    """g/G (first/last in the list) did nothing in the help; j/k, home/end did."""
    from textual.containers import VerticalScroll

    from tui.widgets import HelpScreen

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        body = app.screen.query_one("#help-body", VerticalScroll)
        await pilot.press("G")
        await pilot.pause()
        assert body.scroll_offset.y == body.max_scroll_y > 0
        await pilot.press("k")
        await pilot.pause()
        assert body.scroll_offset.y == body.max_scroll_y - 1
        await pilot.press("g")
        await pilot.pause()
        assert body.scroll_offset.y == 0
        await pilot.press("j", "end")
        await pilot.pause()
        assert body.scroll_offset.y == body.max_scroll_y
        await pilot.press("home")
        await pilot.pause()
        assert body.scroll_offset.y == 0


async def test_q_quits() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_query_option_prefills_the_filter() -> None:
    app = make_app(query="olympics")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert app.filter_bar.value == "olympics"
        assert order_of(app) == ["000_"]


async def test_corrupt_state_file_is_set_aside_with_a_warning(tmp_path: Path) -> None:
    state_dir = tmp_path / "state"
    state_dir.mkdir()
    state = ReadState.open(str(state_dir))
    state.set_read("0" * 32)
    state.save()
    assert state.path is not None
    Path(state.path).write_text("{ not json")
    app = make_app(state=ReadState.open(str(state_dir)))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        messages = [notification.message for notification in app._notifications]
        assert any("moved aside" in message or "unreadable" in message for message in messages)


async def test_resize_switches_layout_and_keeps_the_article() -> None:
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("j", "enter")
        await pilot.pause()
        assert not app.narrow
        article = app.reader.article
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert app.narrow
        assert app.article_list.region.width == 0 and app.reader.region.width > 0
        assert app.reader.article is article
        await pilot.resize_terminal(160, 48)
        await pilot.pause()
        assert not app.narrow
        assert app.article_list.region.width > 0 and app.reader.region.width > 0
        assert app.reader.article is article and app.focused is app.reader


async def test_slash_types_into_the_filter_once_it_has_focus() -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        # One burst, as over SSH: the letters after "/" must land in the field.
        await pilot.press("slash", *"date/x")
        await pilot.pause()
        assert app.filter_bar.value == "date/x"


async def test_keys_that_come_at_once_are_searched_once_for_the_text_they_make(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Keys that arrive together (a slow link, tmux) queue up behind the first: each
    one's search would be thrown away by the next one's, so only the text they make
    is searched. Keys typed one by one are each searched, as before."""
    from textual import events

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        searched: list[str] = []
        search = app.session.search

        def counting(query: object, *args: object, **kwargs: object) -> object:
            searched.append(query.text)  # type: ignore[attr-defined]
            return search(query, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(app.session, "search", counting)
        await pilot.press("slash")
        field = app.filter_bar.input
        for character in "olympics":  # all queued before the field handles one
            field.post_message(events.Key(character, character))
        await pilot.pause()
        assert searched == ["olympics"]
        assert order_of(app) == ["000_"] and app.filter_bar.status == "1 of 5"
        await pilot.press("backspace", "backspace")
        await pilot.pause()
        assert searched == ["olympics", "olympic", "olympi"]  # one at a time: each
        await pilot.press(*"cs")
        await pilot.pause()
        assert searched == ["olympics", "olympic", "olympi", "olympic", "olympics"]
        assert order_of(app) == ["000_"]
        # A key with none behind it is searched as it is handled, so that the text and
        # its list paint in one frame (not after the messages the field has queued).
        field.insert_text_at_cursor("x")
        assert searched[-1] == "olympicsx"


async def test_a_preview_or_batch_due_while_the_panes_come_down_does_nothing() -> None:
    # At exit Textual removes the panes before the screen; the preview's after-refresh
    # callback, or a batch or change held for a rest, may still run in between (seen as
    # a NoMatches traceback when a test quit just after typing).
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.reader_screen
        await app.article_list.remove()
        screen._timeline_stale = True
        screen._preview()
        screen._show_batches_at_rest()
        await pilot.pause()
        assert screen._timeline_stale  # the chart was not redrawn from a missing list


async def test_a_one_word_article_is_one_word_not_one_words(tmp_path: Path) -> None:
    (tmp_path / "short.txt").write_text("Date: 2024-01-01\n\nShort.\n")
    app = make_app([str(tmp_path)])
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        meta = next(line for line in reader_lines(app) if " min " in line)
        assert meta.startswith("1 word ") and "words" not in meta
