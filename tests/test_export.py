"""A reading list out (issue 15, item 6): ``--export md|csv|jsonl|bib`` on the
command line, and x, X and E in the reader. A hostile title stays inert in each
format: no CSV formula, no broken BibTeX, no Markdown that changes the list."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from textual.widgets import Input

from tui.app import BroadsheetApp
from tui.corpus.state import ReadState
from tui.widgets.export_dialog import ExportDialog

from .app_helpers import settle
from .test_cli import run

HOSTILE_TITLE = "=cmd|' /C calc'!A0 } \\ {x"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "hostile.txt").write_text(
        f"Title: {HOSTILE_TITLE}\nDate: 2024-03-01\nAuthor: A }} B\n"
        "URL: https://ex.org/a}b\n\nFirst paragraph, with } and \\ and =1+1.\n\nSecond.\n"
    )
    (folder / "plain.txt").write_text("Date: 2023-05-05\n\nA plain report on trade.\n")
    (folder / "guess.txt").write_text("Scraped note\n\nSo far in 2019 the talks were slow.\n")
    return folder


def _export(form: str, folder: Path, *extra: str, state: Path | None = None) -> str:
    result = run("--export", form, *extra, str(folder), state=state)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_csv_cells_are_never_formulas(folder: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(_export("csv", folder))))
    assert len(rows) == 3
    hostile = next(row for row in rows if "calc" in row["title"])
    assert hostile["title"] == "'" + HOSTILE_TITLE  # a spreadsheet shows it as text
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
    guess = next(row for row in rows if row["date"] == "2019")
    assert guess["date_source"] == "inferred"  # a guessed year says so


def _bib_fields_balanced(text: str) -> None:
    """Every entry's braces balance, counting a backslash-escaped one as text."""
    for entry in text.split("\n@")[0:]:
        depth = 0
        for char in re.sub(r"\\[{}]", "", entry.replace("\\textbackslash{}", "")):
            depth += {"{": 1, "}": -1}.get(char, 0)
            assert depth >= 0, entry
        assert depth == 0, entry


def test_bibtex_escapes_braces_and_backslashes(folder: Path) -> None:
    text = _export("bib", folder)
    assert text.count("@online{") == 1 and text.count("@article{") == 2
    _bib_fields_balanced(text)
    assert r"\} \textbackslash{} \{x" in text
    assert "url = {https://ex.org/a%7Db}" in text
    # The guessed year is said to be a guess, never given as the date.
    assert "date inferred from the text: c. 2019" in text and "date = {2019}" not in text


def test_markdown_escapes_markup_and_keeps_the_provenance(folder: Path) -> None:
    text = _export("md", folder)
    assert text.startswith("# Reading list\n")
    assert text.count("\n## ") == 3
    assert r"\} \\ \{x" in text
    assert "(stated in the header" in text  # where the date came from
    assert "- URL: <https://ex.org/a}b>" in text


def test_json_lines_have_the_list_fields_and_the_body(folder: Path) -> None:
    listed = [json.loads(line) for line in run("--list", "--json", str(folder)).stdout.splitlines()]
    exported = [json.loads(line) for line in _export("jsonl", folder).splitlines()]
    assert [{k: v for k, v in e.items() if k != "body"} for e in exported] == listed
    hostile = next(e for e in exported if e["title"] == HOSTILE_TITLE)
    assert hostile["body"] == "First paragraph, with } and \\ and =1+1.\n\nSecond."


def test_export_takes_a_query_and_the_flagged(folder: Path, tmp_path: Path) -> None:
    only = [json.loads(line) for line in _export("jsonl", folder, "--query", "trade").splitlines()]
    assert [e["title"] for e in only] == ["A plain report on trade."]
    none = _export("jsonl", folder, "--flagged", state=tmp_path / "state")
    assert none == ""
    bad = run("--flagged", str(folder))
    assert bad.returncode == 2 and "--flagged goes with" in bad.stderr


async def test_x_selects_and_e_exports_the_selection(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = BroadsheetApp([str(folder)], state=ReadState.open(enabled=False), watch=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        first = app.article_list.current_serial
        await pilot.press("x")
        assert app.reader_screen.selected == {first}
        assert app.article_list.cursor == 1  # on to the next, as mutt's tag
        await pilot.press("E")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        assert app.screen.which == "selected"
        await pilot.press("tab", "down", "space")  # the format: CSV
        await pilot.pause()
        assert app.screen.form == "csv"
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, ExportDialog)
        written = (tmp_path / "reading-list.csv").read_text("utf-8")
        rows = list(csv.DictReader(io.StringIO(written)))
        assert [row["id"] for row in rows] == [app.corpus.by_serial[first].id]
        await pilot.press("X")
        assert app.reader_screen.selected == set(app.article_list.rows)
        await pilot.press("X")
        assert app.reader_screen.selected == set()
        await pilot.press("E", "tab", "down", "space", "enter")  # reading-list.csv again
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)  # it is there: enter again replaces it
        await pilot.press("escape")
        assert not isinstance(app.screen, ExportDialog)
        assert (tmp_path / "reading-list.csv").read_text("utf-8") == written  # untouched
        await pilot.press("E", "tab", "down", "space", "enter", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        replaced = list(csv.DictReader(io.StringIO((tmp_path / "reading-list.csv").read_text())))
        assert len(replaced) == len(app.article_list.rows)  # the whole list this time


async def test_a_format_picked_puts_the_cursor_after_the_name_it_rewrote(folder: Path) -> None:
    """The name follows the format (reading-list.md → .csv) with the cursor at its
    end: it stayed where it was, and a letter typed went before the end."""
    app = BroadsheetApp([str(folder)], state=ReadState.open(enabled=False), watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("E", "tab", "down", "space")  # the format: CSV
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        path = dialog.query_one("#export-path", Input)
        assert path.value == "reading-list.csv"
        assert path.cursor_position == len(path.value)
        await pilot.press("tab")
        assert path.has_focus
        await pilot.press("x")
        assert path.value == "reading-list.csvx"
