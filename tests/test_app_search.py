"""Search in the reader: highlights, n/N, the inline error, --query, and the timeline."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tui.app import BroadsheetApp
from tui.corpus import ArticleDate, Corpus, load_corpus
from tui.corpus.dates import period_code
from tui.corpus.query import Query
from tui.corpus.session import CorpusSession
from tui.widgets.reading_pane import ReadingPane
from tui.widgets.timeline import Timeline, bucket_counts

from .app_helpers import hold_thread_searches, make_app, settle, wait_until

pytestmark = pytest.mark.usefixtures("in_repo")


async def test_matches_are_highlighted_in_titles_and_the_article() -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"pakistan", "enter")
        await pilot.pause(0.3)
        article_list = app.article_list
        title = app.corpus.by_serial[article_list.rows[0]].title
        spans = article_list.search_query.highlight_spans(title, title=True)
        assert [title[a:b] for a, b in spans] == ["Pakistan"]
        # The drawn row carries the match style on exactly that word.
        strip = article_list.render_line(0)
        match_style = article_list.get_component_rich_style("article-list--match")
        styled = "".join(
            seg.text
            for seg in strip
            if seg.style and seg.style.underline and seg.style.bold == match_style.bold
        )
        assert styled == "Pakistan"
        reader = app.reader
        highlighted = {
            reader._blocks[block][a:b]
            for block, spans in enumerate(reader._spans)
            for a, b in spans
        }
        assert highlighted == {"Pakistan"}
        assert len(reader._matches) >= 4


async def opened_with_query(pilot: Pilot[None], app: BroadsheetApp, query: str) -> ReadingPane:
    """*query* typed in the filter bar, then the first of its matches opened."""
    await settle(pilot)
    await pilot.press("slash", *query, "enter", "enter")
    await pilot.pause()
    return app.reader


async def test_n_and_shift_n_walk_the_matches_and_scroll_to_them() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await opened_with_query(pilot, app, "russia")
        total = len(reader._matches)
        assert total >= 5
        await pilot.press("n")
        assert reader.match_index == 0
        assert app.filter_bar.status.endswith(f"match 1 of {total}")
        for _ in range(total - 1):
            await pilot.press("n")
        assert reader.match_index == total - 1
        last_line = reader._matches[-1][0]
        top = round(reader.scroll_offset.y)
        assert top <= last_line < top + reader.scrollable_content_region.height
        assert top > 0  # the last match is further down: the pane scrolled to it
        await pilot.press("n")  # wraps to the first
        assert reader.match_index == 0
        await pilot.press("N")
        assert reader.match_index == total - 1
        await pilot.press("N")
        assert reader.match_index == total - 2


async def test_the_current_match_stays_current_through_a_resize() -> None:
    # The pane laid out again at the new width forgot it: "match 3 of N" still said,
    # nothing marked, and n went to the first again.
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        reader = await opened_with_query(pilot, app, "russia")
        await pilot.press("n", "n", "n")
        assert reader.match_index == 2
        await pilot.resize_terminal(140, 36)
        await settle(pilot)
        assert reader.match_index == 2
        await pilot.press("n")
        assert reader.match_index == 3


async def test_the_match_note_goes_with_the_article_it_was_about() -> None:
    """"match 2 of 9" is about the article open: another one (], [), the raw file
    (r) or the list (esc) shows the count alone again, not a stale position."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"russia", "enter")
        count = app.filter_bar.status
        assert len(app.article_list.rows) >= 2 and "match" not in count
        for away in ("right_square_bracket", "left_square_bracket", "r", "escape"):
            await pilot.press("enter", "n", "n")
            assert app.filter_bar.status.endswith("match 2 of " + str(len(app.reader._matches)))
            await pilot.press(away)
            await pilot.pause()
            assert app.filter_bar.status == count, away
            if away != "escape":
                await pilot.press("escape")


async def test_a_bad_query_shows_the_error_and_keeps_the_last_result() -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"sco")
        await pilot.pause()
        good_rows = list(app.article_list.rows)
        assert len(good_rows) == 3
        # Pasted at once: typed, "sco date" on the way would be a (good) word query.
        app.filter_bar.input.insert_text_at_cursor(" date:notadate")
        await pilot.pause()
        assert "date:notadate" in app.filter_bar.error
        assert "column 5" in app.filter_bar.error
        assert app.filter_bar.has_class("-error")
        assert app.article_list.rows == good_rows
        for _ in range(len("date:notadate")):
            await pilot.press("backspace")
        await pilot.pause()
        assert app.filter_bar.error == ""
        assert not app.filter_bar.has_class("-error")


async def test_a_bad_query_typed_at_speed_stays_said_after_the_preview() -> None:
    # The preview that follows typing put the count back, and the error went with it.
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"date:2024-13")
        await settle(pilot)
        await pilot.pause(0.5)  # past the preview's delay
        assert "not a date" in app.filter_bar.error
        assert app.filter_bar.has_class("-error")


@pytest.mark.parametrize("then", ["its answer", "a bad query", "a failed search", "a cursor move"])
async def test_a_key_searched_in_the_thread_holds_the_last_answers_preview(
    monkeypatch: pytest.MonkeyPatch, then: str
) -> None:
    # Typing has not rested while a key's search runs: the preview of the answer
    # before waits, not drawn meanwhile on the GIL the search needs. It comes once
    # no answer is awaited: with this key's, when a bad query throws that away, or
    # when the search fails.
    # A cursor moved in the list meanwhile is followed at once all the same.
    monkeypatch.setattr("tui.screen.PREVIEW_DELAY", 0.4)
    gate = hold_thread_searches(monkeypatch)
    gate.open.set()
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen, reader = app.reader_screen, app.reader
        await pilot.press("slash", "p")
        await wait_until(pilot, lambda: screen.current_query.text == "p")
        assert reader.search_query is None  # the preview waits for its delay
        gate.open.clear()
        if then == "a failed search":
            held = CorpusSession.search

            def failing(self: CorpusSession, query: Query, *args: Any, **kwargs: Any) -> Any:
                held(self, query, *args, **kwargs)
                raise RuntimeError("the disk went away")

            monkeypatch.setattr(CorpusSession, "search", failing)
        await pilot.press("a")
        await wait_until(pilot, lambda: gate.asked[-1:] == ["pa"])
        await pilot.pause(0.7)  # past the first answer's preview delay
        assert reader.search_query is None
        if then == "a cursor move":
            shown = screen.shown_serial
            await pilot.press("enter", "down")  # to the list, then its second row
            moved = app.article_list.current_serial
            assert moved is not None and moved != shown
            await wait_until(pilot, lambda: screen.shown_serial == moved)
            assert screen._asked is not None  # still awaited
            gate.open.set()
            return
        if then == "its answer":
            gate.open.set()
            await wait_until(pilot, lambda: screen.current_query.text == "pa")
        elif then == "a failed search":
            gate.open.set()
            await wait_until(pilot, lambda: "search failed" in app.filter_bar.error)
        else:
            await pilot.press(*" date:x")
            assert "not a date" in app.filter_bar.error
        await wait_until(pilot, lambda: reader.search_query is not None)
        shown = reader.search_query
        assert shown is not None
        # The list's query: this key's, or still the one before.
        assert shown.text == ("pa" if then == "its answer" else "p")
        gate.open.set()


async def test_state_queries_follow_marks() -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("f", "down", "f", "m")  # flag two, mark the second read
        await pilot.press("slash", *"is:flagged")
        await pilot.pause()
        assert len(app.article_list.rows) == 2
        await pilot.press("ctrl+a", "ctrl+k", *"is:read")  # clear the field, new query
        await pilot.pause()
        assert len(app.article_list.rows) == 1


async def test_timeline_follows_the_filter() -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        timeline = app.timeline
        assert timeline.dated == 5
        await pilot.press("slash", *"date:2024")
        await pilot.pause(0.3)  # the chart follows once typing rests, with the preview
        assert {code // 16 for code in timeline.counts} == {2024}
        assert timeline.dated == 2


async def test_many_rows_are_charted_once_typing_rests_not_with_the_preview(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # At a million a broad answer's months took ~55-105 ms to count: the chart waits
    # for typing to rest, so that the next key's search does not wait behind it.
    monkeypatch.setattr("tui.screen.CHART_AT_REST_FROM", 0)  # every answer
    monkeypatch.setattr("tui.screen.BATCH_REST", 1.0)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        timeline = app.timeline
        await pilot.press("slash", *"date:2024")
        await pilot.pause(0.4)  # past the preview's delay, not the rest
        assert len(app.article_list.rows) == 2
        assert timeline.dated == 5  # still every article's
        await pilot.pause(1.0)
        assert timeline.dated == 2
        assert {code // 16 for code in timeline.counts} == {2024}


async def test_an_article_opened_before_typing_rests_charts_the_query(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Enter, Enter sooner than the preview's delay: opening the article stops the
    # preview that would have charted the query, so the opening charts it.
    monkeypatch.setattr("tui.screen.PREVIEW_DELAY", 30.0)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"pakistan", "enter", "enter")
        await pilot.pause()
        assert app.timeline.dated == 4


def _counts(dates: list[ArticleDate | None]) -> Counter[int]:
    return Counter(period_code(date) for date in dates)


def test_buckets_by_month_band_year_only_dates_under_their_year() -> None:
    dates = [
        ArticleDate(2022, 3, 1),
        ArticleDate(2022, 3, 9),
        ArticleDate(2022, None, None, "inferred"),
        None,
    ]
    buckets, unit = bucket_counts(_counts(dates), max_buckets=60)
    assert unit == "month"
    assert [b.label for b in buckets][0] == "2022-01" and buckets[-1].label == "2022-12"
    march = next(b for b in buckets if b.label == "2022-03")
    assert march.exact == 2
    assert all(b.vague == 1 for b in buckets)  # the year's one, as a band
    assert sum(b.height(banded=True) for b in buckets) == 2  # no bar holds it


def test_buckets_by_year_when_months_do_not_fit() -> None:
    dates: list[ArticleDate | None] = [ArticleDate(year, 6, 1) for year in range(2000, 2024)]
    dates.append(ArticleDate(2010, None, None, "inferred"))
    buckets, unit = bucket_counts(_counts(dates), max_buckets=40)
    assert unit == "year"
    assert len(buckets) == 24
    year_2010 = next(b for b in buckets if b.label == "2010")
    assert (year_2010.exact, year_2010.vague) == (1, 1)
    merged, unit = bucket_counts(_counts(dates), max_buckets=10)
    assert unit == "3 years" and len(merged) == 8
    assert sum(b.total for b in merged) == 25


def test_no_dated_articles_gives_no_buckets(tmp_path: Path) -> None:
    assert bucket_counts(_counts([None]), 40) == ([], "")


def test_timeline_counts_the_same_whether_every_article_or_some_are_shown() -> None:
    whole = load_corpus(["seeds"])
    items = list(whole.by_serial)
    # The corpus keeps a running count per period as batches arrive.
    corpus = Corpus("seeds")
    corpus.add(items[:2])
    corpus.add(items[2:])
    assert corpus.periods.tolist() == [period_code(a.date) for a in corpus.by_serial]
    assert corpus.period_counts() == Counter(corpus.periods)
    dated = Counter(period_code(a.date) for a in corpus.by_serial if a.date is not None)
    timeline = Timeline()
    # Every article shown: the running count is charted, as is.
    timeline.set_rows(corpus.serials(), corpus.periods, corpus.period_counts())
    assert timeline.counts == dated and timeline.dated == sum(dated.values())
    # The same rows counted one by one give the same chart.
    timeline.set_rows(corpus.serials(), corpus.periods)
    assert timeline.counts == dated
    # A subset is counted row by row.
    some = corpus.serials()[1:4]
    timeline.set_rows(some, corpus.periods)
    assert timeline.counts == Counter(period_code(corpus.by_serial[s].date) for s in some)


async def test_year_only_dates_are_a_band_under_their_year_not_twelve_bars(
    tmp_path: Path,
) -> None:
    """Per month, a year-only date used to add a twelfth to each of the year's twelve
    bars (twelve bars of nothing). Now the months of its year stand on a band of their
    own colour, the bars count what each month holds, and the label says how many."""
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "a.txt").write_text("Date: 2023-03-05\n\nMarch news.\n")
    (folder / "b.txt").write_text("Date: 2023-03-09\n\nMore March news.\n")
    (folder / "c.txt").write_text("Date: 2024\n\nSometime in the year.\n")
    app = make_app([str(folder)])
    async with app.run_test(size=(160, 36)) as pilot:
        await settle(pilot)
        timeline = app.timeline
        width = timeline.content_region.width
        buckets, unit = bucket_counts(timeline.counts, width)
        assert unit == "month"
        band = timeline.get_component_rich_style("timeline--band").bgcolor
        assert band is not None
        bottom = timeline.render_line(1)
        banded = [seg for seg in bottom if seg.style is not None and seg.style.bgcolor == band]
        cell = max(1, min(4, width // len(buckets)))
        assert sum(len(seg.text) for seg in banded) == 12 * cell  # 2024's months, gaps too
        months_2024 = [b for b in buckets if b.label.startswith("2024-")]
        assert len(months_2024) == 12 and all(b.height(banded=True) == 0 for b in months_2024)
        label = "".join(seg.text for seg in timeline.render_line(2))
        assert "1 to the year (band)" in label
