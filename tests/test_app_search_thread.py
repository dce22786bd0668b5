"""The search thread: a search too slow for a key's frame (a million articles) is
answered there, the typed text shows at once, and of the queries typed meanwhile only
the last is searched."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tui.corpus.query import parse_query

from .app_helpers import Gate, hold_thread_searches, make_app, settle, wait_until

pytestmark = pytest.mark.usefixtures("in_repo")


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[Gate]:
    held = hold_thread_searches(monkeypatch)
    yield held
    held.open.set()  # a failed test leaves no thread waiting


def expected_rows(app: Any, text: str) -> list[int]:
    session = app.session
    return session.rows("newest", session.search(parse_query(text)))


async def test_the_typed_text_shows_while_the_thread_searches_then_its_rows(
    gate: Gate,
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        everything = list(app.article_list.rows)
        await pilot.press("slash", *"pakistan")
        await pilot.pause(0.1)
        assert gate.entered.is_set()
        # Held: the key was answered, the list still shows the last answer, and says so.
        assert app.filter_bar.value == "pakistan"
        assert app.article_list.rows == everything
        assert "searching…" in app.filter_bar.status
        gate.open.set()
        await wait_until(pilot, lambda: "searching" not in app.filter_bar.status)
        assert app.article_list.rows == expected_rows(app, "pakistan")
        assert 0 < len(app.article_list.rows) < len(everything)
        assert app.screen.current_query.text == "pakistan"


async def test_only_the_last_of_the_queries_typed_meanwhile_is_searched(gate: Gate) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", "r")
        await wait_until(pilot, gate.entered.is_set)
        await pilot.press(*"ussia")  # typed while "r" is searched
        await pilot.pause(0.1)
        gate.open.set()
        await wait_until(pilot, lambda: app.screen.current_query.text == "russia")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert gate.asked == ["r", "russia"]
        assert app.article_list.rows == expected_rows(app, "russia")


async def test_enter_before_the_answer_keeps_the_query_in_the_history(gate: Gate) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"pakistan", "enter")
        await pilot.pause(0.1)
        assert app.screen.history.entries == []  # not yet: the list shows no answer
        gate.open.set()
        await wait_until(pilot, lambda: app.screen.history.entries == ["pakistan"])
        assert app.focused is app.article_list


async def test_a_file_added_while_the_thread_searches_is_matched(
    gate: Gate, tmp_path: Path
) -> None:
    folder = tmp_path / "news"
    shutil.copytree("seeds", folder)
    app = make_app([str(folder)], watch=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.filter_bar.value = "zebras"  # one query (each key typed would be one)
        await wait_until(pilot, gate.entered.is_set)
        before = len(app.corpus)
        (folder / "zebra.txt").write_text(
            "Title: Zebras of Pakistan\nDate: 2025-03-04\n\nZebras.\n", encoding="utf-8"
        )
        await wait_until(pilot, lambda: len(app.corpus) == before + 1)
        gate.open.set()
        await wait_until(pilot, lambda: "searching" not in app.filter_bar.status)
        titles = [app.corpus.by_serial[serial].title for serial in app.article_list.rows]
        assert titles == ["Zebras of Pakistan"]
