"""The list's columns never move, whatever a title holds (issue 12, item 16).

Terminals disagree with Rich on emoji sequences: tmux draws "👍🏽" in 4 cells (Rich: 2),
"❤️" and "#️⃣" in 1 (Rich: 2); a terminal that measures a character at a time (xterm,
VTE, glibc's ``wcwidth``) draws a ZWJ family in 6 cells and a flag's letters apart.
A row whose title holds one then pushes the divider (and everything right of it) out
of line. The list shows such sequences as text every terminal measures alike, so each
row ends where Rich says it does, in every model of a terminal checked here.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import locale
import os
import shutil
import subprocess
import sys
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from tui.app import BroadsheetApp
from tui.corpus.state import ReadState
from tui.widgets.text_layout import stable_width

DIVIDER = "▏"
"""The reading pane's left border: the line between the list and the article."""

NASTY_TITLES = [
    "Family 👩\u200d👩\u200d👧 reunion at the border crossing",
    "Flags 🇫🇷🇩🇪🇯🇵 fly at the summit in Astana",
    "Hearts ❤️ and stars ⭐️ and keycap #️⃣ for the vote",
    "Thumbs 👍🏽 and coders 🧑🏽\u200d💻 at the trade fair",
    "Rainbow 🏳️\u200d🌈 and pirate 🏴\u200d☠️ flags ashore",
    "Zalgo Z\u0351\u0352\u0353\u0354\u0355\u0356\u0357\u0358 and e\u0301\u0302\u0303\u0304 marks",
    "Scotland 🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f votes again",
    "Joined x\u200dy letters and a lone flag letter 🇫 here",
]
"""Titles Rich measures one way and some terminal another."""

PLAIN_TITLES = [
    "Plain ASCII title for comparison",
    "Accents: São Paulo, Zürich, Łódź, Việt Nam",
    "中文标题：上海合作组织峰会",
    "한국어 제목 뉴스",
    "ข่าวไทย การประชุม",
    "Emoji alone 👍 and ⭐ and ❤ stay",
]
"""Titles every terminal already measures as Rich does: shown unchanged."""


# --- terminal models ----------------------------------------------------------------


def _libc_wcwidth() -> ctypes._CFuncPtr | None:  # type: ignore[name-defined]
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    function = ctypes.CDLL(name).wcwidth
    function.argtypes = [ctypes.c_wchar]
    function.restype = ctypes.c_int
    return function


@pytest.fixture(scope="module")
def char_width() -> Iterator[object]:
    """A terminal that measures one character at a time (xterm, VTE): the C library's
    ``wcwidth`` in a UTF-8 locale."""
    wcwidth = _libc_wcwidth()
    if wcwidth is None:
        pytest.skip("no C library wcwidth to model a terminal with")
    saved = locale.setlocale(locale.LC_CTYPE)
    for name in ("C.UTF-8", "C.utf8", "en_US.UTF-8"):
        try:
            locale.setlocale(locale.LC_CTYPE, name)
            break
        except locale.Error:
            continue
    else:
        pytest.skip("no UTF-8 locale for wcwidth")
    if wcwidth("中") != 2 or wcwidth("\u0301") != 0 or wcwidth("👍") != 2:
        locale.setlocale(locale.LC_CTYPE, saved)
        pytest.skip("this C library's wcwidth predates emoji widths")
    yield lambda text: sum(max(0, wcwidth(char)) for char in text)
    locale.setlocale(locale.LC_CTYPE, saved)


PROBE = r"""
import json, os, sys, termios, tty
strings = json.load(open(sys.argv[1]))
fd = sys.stdin.fileno()
saved = termios.tcgetattr(fd)
tty.setraw(fd)
widths = []
try:
    for text in strings:
        os.write(1, ("\r\x1b[2K" + text + "\x1b[6n").encode())
        answer = b""
        while not answer.endswith(b"R"):
            answer += os.read(fd, 1)
        widths.append(int(answer[answer.rindex(b";") + 1 : -1]) - 1)
finally:
    termios.tcsetattr(fd, termios.TCSADRAIN, saved)
with open(sys.argv[2] + ".part", "w") as out:
    json.dump(widths, out)
os.replace(sys.argv[2] + ".part", sys.argv[2])
"""
"""Run inside tmux: print each string at a line's start and ask the terminal where the
cursor went (a cursor position report), so the widths are tmux's own."""


def tmux_widths(strings: list[str], folder: Path) -> list[int]:
    """How many cells tmux advances for each string."""
    probe, source, answer = folder / "probe.py", folder / "in.json", folder / "out.json"
    probe.write_text(PROBE, encoding="utf-8")
    source.write_text(json.dumps(strings), encoding="utf-8")
    answer.unlink(missing_ok=True)
    socket = f"broadsheet-test-{os.getpid()}"
    env = {**os.environ, "TERM": "xterm", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    command = f"{sys.executable} {probe} {source} {answer}"
    subprocess.run(
        ["tmux", "-L", socket, "-f", "/dev/null", "new-session", "-d", "-x", "300", "-y", "5",
         command],
        check=True, env=env, timeout=30,
    )  # fmt: skip
    try:
        for _ in range(300):
            if answer.exists():
                return list(json.loads(answer.read_text(encoding="utf-8")))
            time.sleep(0.1)
        pytest.fail("the tmux probe gave no answer")
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True, timeout=30)
    raise AssertionError("unreachable")


# --- the text the list shows -----------------------------------------------------------


@pytest.mark.parametrize("title", NASTY_TITLES)
def test_a_title_is_shown_at_the_width_every_terminal_draws(title: str, char_width) -> None:
    shown = stable_width(title)
    assert cell_len(shown) == char_width(shown), shown
    assert shown.split()[0] == title.split()[0]  # the words around a sequence stay


def test_sequences_become_one_glyph_of_their_first_emoji() -> None:
    assert stable_width("a 👩\u200d👩\u200d👧 b") == "a 👩 b"
    assert stable_width("👍🏽") == "👍"
    assert stable_width("🧑🏽\u200d💻") == "🧑"
    assert stable_width("❤️ #️⃣") == "❤ #"
    assert stable_width("🇫🇷 wins") == "FR wins"  # a flag shows its country's letters
    assert stable_width("x\u200dy") == "xy"
    # Two marks over a letter stay (Vietnamese stacks two); a third and more go.
    assert stable_width("e\u0323\u0302") == "e\u0323\u0302"
    assert stable_width("e\u0301\u0302\u0303\u0304") == "e\u0301\u0302"


@pytest.mark.parametrize("title", PLAIN_TITLES)
def test_ordinary_titles_are_shown_unchanged(title: str) -> None:
    assert stable_width(title) == title


SEQUENCE_PARTS = st.sampled_from(
    [
        "a", "é", " ", "中", "👩", "👍", "👧", "❤", "⭐", "#", "🏳", "🏴", "💻",
        "\u200d", "\ufe0f", "\ufe0e", "\u20e3", "🏽", "🏻", "🇫", "🇷", "🇩",
        "\u0301", "\u0302", "\u0323", "\u0351", "\U000e0067", "\U000e007f",
    ]
)  # fmt: skip


@given(st.lists(SEQUENCE_PARTS, max_size=24).map("".join))
def test_any_mix_of_sequence_parts_is_shown_at_one_width(text: str) -> None:
    shown = stable_width(text)
    assert stable_width(shown) == shown  # idempotent: a second pass changes nothing
    # Every grapheme is one character and its marks: nothing for a terminal to join.
    for char in shown:
        assert char not in "\u200d\ufe0f\ufe0e\u20e3"
        assert not 0x1F3FB <= ord(char) <= 0x1F3FF and not 0x1F1E6 <= ord(char) <= 0x1F1FF
        assert not 0xE0000 <= ord(char) <= 0xE01EF
    marks = 0
    for char in shown:
        marks = marks + 1 if unicodedata.category(char) in ("Mn", "Me") else 0
        assert marks <= 2


# --- the rows on screen -----------------------------------------------------------------


def write_folder(folder: Path) -> None:
    for number, title in enumerate(NASTY_TITLES + PLAIN_TITLES):
        day = number % 28 + 1
        text = f"Title: {title}\nDate: 2024-05-{day:02}\n\nBody text number {number}.\n"
        (folder / f"a{number:02}.txt").write_text(text, encoding="utf-8")


async def screen_lines(folder: Path, size: tuple[int, int]) -> list[str]:
    """The text of every line the reader draws at *size*, as the compositor sends it."""
    app = BroadsheetApp([str(folder)], state=ReadState.open(enabled=False))
    async with app.run_test(size=size) as pilot:
        await app.loaded.wait()
        app.filter_bar.input.cursor_blink = False
        await pilot.pause()
        await pilot.pause(0.2)
        assert len(app.article_list.rows) == len(NASTY_TITLES + PLAIN_TITLES)
        strips = app.screen._compositor.render_strips()
        return ["".join(segment.text for segment in strip) for strip in strips]


def list_parts(lines: list[str], width: int) -> list[str]:
    """Each row's list part: up to and including the divider in two panes, else all."""
    parts = [line[: line.index(DIVIDER) + 1] for line in lines if DIVIDER in line]
    return parts or lines


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BROADSHEET_CACHE_DIR", str(tmp_path / "cache"))
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_folder(corpus)
    return corpus


@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
async def test_the_divider_stays_in_one_column(folder: Path, size: tuple[int, int], char_width):
    width = size[0]
    lines = await screen_lines(folder, size)
    parts = list_parts(lines, width)
    rows = [part for part in parts if any(title[:6] in part for title in NASTY_TITLES)]
    assert len(rows) == len(NASTY_TITLES)
    # Rich and a terminal that measures characters one at a time put the divider (or
    # the screen's edge, with one pane) at the same cell on every row.
    columns = {(cell_len(part), char_width(part)) for part in parts}
    edge = cell_len(parts[0])
    assert columns == {(edge, edge)}, [p for p in parts if char_width(p) != edge]
    if len(parts) == len(lines):  # one pane: the list runs to the screen's edge
        assert edge == width


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
async def test_the_divider_stays_in_one_column_in_tmux(
    folder: Path, tmp_path: Path, size: tuple[int, int]
) -> None:
    parts = list_parts(await screen_lines(folder, size), size[0])
    widths = tmux_widths(parts, tmp_path)
    expected = cell_len(parts[0])
    assert [width for width in widths if width != expected] == [], [
        part for part, width in zip(parts, widths, strict=True) if width != expected
    ]
