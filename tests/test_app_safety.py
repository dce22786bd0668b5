"""Article text is data: markup in a file is shown, never obeyed; controls are neutralised."""

from __future__ import annotations

from pathlib import Path

import pytest

from .app_helpers import make_app, reader_lines, settle

HOSTILE = (
    "Title: Click [@click=app.quit]here[/] now [bold]loud[/bold] [link=https://evil]x[/link]\n"
    "Date: 2024-01-02\n\n"
    "Body with [@click=app.quit]here[/] and a stray [/] closing tag.\n\n"
    "Escape \x1b[31mred\x1b[0m and OSC \x1b]52;c;aGVsbG8=\x07 and C1 \x9b2J done.\n"
)


@pytest.fixture
def hostile_folder(tmp_path: Path) -> Path:
    (tmp_path / "hostile.txt").write_bytes(HOSTILE.encode("utf-8"))
    return tmp_path


def screen_text(app) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(reader_lines(app))


@pytest.mark.heavy
async def test_markup_is_shown_literally_and_never_runs(hostile_folder: Path) -> None:
    app = make_app([str(hostile_folder)])
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        text = screen_text(app)
        assert "[@click=app.quit]here[/]" in text
        assert "[/]" in text and "[bold]loud[/bold]" in text
        # Click along every line of the title and the first body lines that shows the
        # would-be link, every 4 cells (the link's text, "here", is 4 wide): nothing
        # may quit. (Every cell of every line took 12 s of the suite's five minutes.)
        reader = app.reader
        linked = [y for y in range(0, 8) if "here" in reader.render_line(y).text]
        assert linked
        for y in linked:
            for x in range(0, reader.region.width, 4):
                await pilot.click(reader, offset=(x, y))
        await pilot.pause()
        assert app.is_running
        assert app.return_code is None


async def test_control_sequences_are_neutralised(hostile_folder: Path) -> None:
    app = make_app([str(hostile_folder)])
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        text = screen_text(app)
        assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text
        assert "␛[31mred" in text
        await pilot.press("r")
        await pilot.pause()
        raw = screen_text(app)
        assert "\x1b" not in raw and "\x9b" not in raw
        assert "␛]52;c;" in raw
        # The list's rows, as drawn, carry no control character either.
        for y in range(app.article_list.size.height):
            strip = app.article_list.render_line(y)
            assert not any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 for ch in strip.text)
