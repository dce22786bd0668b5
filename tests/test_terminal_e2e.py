"""End to end through a real terminal: the installed ``broadsheet`` inside tmux.

Each test starts its own tmux server (``-L``), so it never touches a tmux the
developer is using, and reads the screen back with ``capture-pane``. Skipped, with
the reason, only where tmux is not installed.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

TMUX = shutil.which("tmux")
pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed")

REPO = Path(__file__).resolve().parent.parent
BROADSHEET = Path(sys.executable).with_name("broadsheet")
TERMS = ["xterm-256color", "screen", "tmux-256color", "linux"]
SIZES = [(80, 24), (160, 48)]
ROW = re.compile(r"^ [ •*][ ⚑!] (\d{4}-\d{2}-\d{2}|c\. \d{4}|\d{4}-\d{2}|undated)\s+\S", re.M)
"""A list row: unread and flag markers, then the date column (the header's span is not one)."""


class Terminal:
    """One tmux server and session running one command."""

    def __init__(self, socket: str) -> None:
        self.socket = socket

    def tmux(self, *args: str) -> str:
        assert TMUX is not None
        result = subprocess.run(
            [TMUX, "-L", self.socket, *args], capture_output=True, text=True, timeout=20
        )
        return result.stdout

    def start(self, command: str, width: int, height: int, env: dict[str, str]) -> None:
        exports = " ".join(f"{key}={shlex.quote(value)}" for key, value in env.items())
        # Keep the pane after the app exits so the restored terminal can be inspected.
        script = f"cd {shlex.quote(str(REPO))} && env {exports} {command}; echo EXITED=$?; sleep 60"
        # Size the window first, then start the app in it: an app started while tmux is
        # still sizing a new window can miss the resize.
        self.tmux("-f", "/dev/null", "new-session", "-d", "-s", "t", "-x", str(width),
                  "-y", str(height), "sleep 600")
        self.tmux("set-option", "-t", "t", "remain-on-exit", "on")
        self.wait_for_flag("window_width", str(width))
        self.tmux("respawn-pane", "-k", "-t", "t", script)

    def keys(self, *keys: str, literal: bool = False) -> None:
        if literal:
            self.tmux("send-keys", "-t", "t", "-l", *keys)
        else:
            self.tmux("send-keys", "-t", "t", *keys)
        if keys and keys[-1] == "Escape":
            # ESC then another key at once reads as alt+key (as in any terminal): let it land.
            time.sleep(0.3)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "t")

    def screen_with_escapes(self) -> str:
        return self.tmux("capture-pane", "-p", "-e", "-t", "t")

    def flag(self, name: str) -> str:
        return self.tmux("display-message", "-p", "-t", "t", f"#{{{name}}}").strip()

    def wait_for_flag(self, name: str, value: str, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while self.flag(name) != value:
            if time.monotonic() > deadline:
                raise AssertionError(f"tmux {name} stayed {self.flag(name)!r}, not {value!r}")
            time.sleep(0.05)

    def resize(self, width: int, height: int) -> None:
        self.tmux("resize-window", "-t", "t", "-x", str(width), "-y", str(height))

    def wait_for(self, check: Callable[[str], bool], timeout: float = 15.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if check(screen):
                return screen
            time.sleep(0.1)
        raise AssertionError(f"timed out; the screen was:\n{screen}")

    def close(self) -> None:
        self.tmux("kill-server")


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    if not BROADSHEET.exists():
        pytest.skip(f"the broadsheet command is not installed beside {sys.executable}")
    term = Terminal(f"broadsheet-test-{uuid.uuid4().hex[:8]}")
    yield term
    term.close()


def launch(terminal: Terminal, tmp_path: Path, width: int, height: int, term: str,
           *args: str, **extra_env: str) -> str:
    env = {"TERM": term, "BROADSHEET_STATE_DIR": str(tmp_path / "state"), "LANG": "C.UTF-8"}
    env.update(extra_env)
    command = " ".join(shlex.quote(part) for part in [str(BROADSHEET), *args])
    terminal.start(command, width, height, env)
    screen = terminal.wait_for(lambda screen: len(ROW.findall(screen)) >= 5)
    # A detached tmux pane reports "focus out"; Textual drops keys for a moment while
    # the app takes focus back on the first key. A person never types that fast.
    time.sleep(0.5)
    return screen


def rows(screen: str) -> list[str]:
    return [line for line in screen.splitlines() if ROW.search(line)]


CASES = [(term, SIZES[0]) for term in TERMS] + [
    ("xterm-256color", SIZES[1]),
    ("linux", SIZES[1]),
]
"""Every terminal at 80×24; the two that differ most also wide (each case launches the
reader in a pty, ~2.4 s of the suite's five minutes)."""


@pytest.mark.heavy
@pytest.mark.parametrize(
    ("term", "size"), CASES, ids=[f"{term}-{w}x{h}" for term, (w, h) in CASES]
)
def test_reader_works_and_restores_the_terminal(
    terminal: Terminal, tmp_path: Path, term: str, size: tuple[int, int]
) -> None:
    width, height = size
    screen = launch(terminal, tmp_path, width, height, term)
    dates = [ROW.search(line).group(1) for line in rows(screen)][:5]  # type: ignore[union-attr]
    assert dates == ["2024-10-17", "2024-10-08", "2022-01-10", "c. 2022", "2021-02-10"]
    assert terminal.flag("alternate_on") == "1"

    # Navigate and open the inferred-date article.
    terminal.keys("j", "j", "Down", "Enter")
    # Both at once: tmux may be read half-way through the frame that draws them.
    terminal.wait_for(
        lambda s: (
            "c. 2022 (inferred from the text)" in s
            and "Xi to break travel drought for meeting with Putin" in s
        )
    )
    terminal.keys("Escape")
    if width < 100:  # one pane: the list comes back
        terminal.wait_for(lambda s: len(rows(s)) >= 5)

    # Filter.
    terminal.keys("/")
    terminal.keys("olympics", literal=True)
    screen = terminal.wait_for(lambda s: "1 of 5" in s)
    assert len(rows(screen)) == 1
    terminal.keys("Enter", "Escape")  # back to the list, then clear the filter
    terminal.wait_for(lambda s: "5 of 5" in s)

    # Help.
    terminal.keys("?")
    terminal.wait_for(lambda s: "Broadsheet keys" in s)
    terminal.keys("Escape")
    terminal.wait_for(lambda s: "Broadsheet keys" not in s)

    # Quit, and the terminal is as it was.
    terminal.keys("q")
    terminal.wait_for(lambda s: "EXITED=0" in s)
    assert terminal.flag("alternate_on") == "0"
    assert terminal.flag("cursor_flag") == "1"
    for mode in ("mouse_any_flag", "mouse_all_flag", "mouse_button_flag", "mouse_standard_flag"):
        assert terminal.flag(mode) == "0", mode


def test_resize_keeps_the_article_and_switches_layouts(terminal: Terminal, tmp_path: Path) -> None:
    launch(terminal, tmp_path, 160, 48, "xterm-256color")
    terminal.keys("j", "Enter")  # seed 001, read in the two-pane layout
    screen = terminal.wait_for(lambda s: "330 words" in s)
    assert len(rows(screen)) >= 5  # the list stays beside the article
    terminal.resize(80, 24)
    screen = terminal.wait_for(lambda s: "330 words" in s and not rows(s))
    terminal.resize(160, 48)
    screen = terminal.wait_for(lambda s: "330 words" in s and len(rows(s)) >= 5)
    terminal.keys("q")
    terminal.wait_for(lambda s: "EXITED=0" in s)


def test_ctrl_l_clears_what_another_program_wrote(terminal: Terminal, tmp_path: Path) -> None:
    # A background job sharing the terminal writes over the reader once told to (the
    # trigger file), as a shell's job or a `wall` message would.
    trigger = tmp_path / "write-now"
    stray = "STRAY-OUTPUT-OF-A-BACKGROUND-JOB"
    job = f"(while [ ! -e {shlex.quote(str(trigger))} ]; do sleep 0.05; done; printf {stray})"
    env = {"TERM": "xterm-256color", "BROADSHEET_STATE_DIR": str(tmp_path / "state")}
    command = f"sh -c {shlex.quote(f'{job} & exec {shlex.quote(str(BROADSHEET))}')}"
    terminal.start(command, 80, 24, {**env, "LANG": "C.UTF-8"})
    terminal.wait_for(lambda s: len(rows(s)) >= 5)
    time.sleep(0.5)
    trigger.touch()
    terminal.wait_for(lambda s: stray in s)
    time.sleep(1.0)
    assert stray in terminal.screen()  # the reader has no reason to repaint that row
    terminal.keys("C-l")
    screen = terminal.wait_for(lambda s: stray not in s)
    assert len(rows(screen)) >= 5  # drawn again, not cleared
    terminal.keys("q")
    terminal.wait_for(lambda s: "EXITED=0" in s)


def test_no_mouse_turns_tracking_off(terminal: Terminal, tmp_path: Path) -> None:
    launch(terminal, tmp_path, 80, 24, "xterm-256color")
    assert terminal.flag("mouse_any_flag") == "1"  # on by default
    terminal.keys("q")
    terminal.wait_for(lambda s: "EXITED=0" in s)


@pytest.mark.parametrize("how", ["flag", "env"])
def test_no_mouse_option_and_variable(terminal: Terminal, tmp_path: Path, how: str) -> None:
    if how == "flag":
        launch(terminal, tmp_path, 80, 24, "xterm-256color", "--no-mouse")
    else:
        launch(terminal, tmp_path, 80, 24, "xterm-256color", BROADSHEET_NO_MOUSE="1")
    for mode in ("mouse_any_flag", "mouse_all_flag", "mouse_button_flag", "mouse_standard_flag"):
        assert terminal.flag(mode) == "0", mode
    terminal.keys("q")
    terminal.wait_for(lambda s: "EXITED=0" in s)


SGR = re.compile(r"\x1b\[([0-9;:]*)m")


def colours(screen: str) -> list[tuple[int, ...]]:
    """Every foreground/background colour an SGR sequence in *screen* sets."""
    found: list[tuple[int, ...]] = []
    for match in SGR.finditer(screen):
        params = [int(p) if p.isdigit() else 0 for p in re.split("[;:]", match.group(1)) if p]
        index = 0
        while index < len(params):
            code = params[index]
            if code in (38, 48) and index + 1 < len(params):
                if params[index + 1] == 2:
                    found.append(tuple(params[index + 2 : index + 5]))
                    index += 5
                    continue
                if params[index + 1] == 5:
                    found.append((params[index + 2],))
                    index += 3
                    continue
            if 30 <= code <= 37 or 40 <= code <= 47 or 90 <= code <= 97 or 100 <= code <= 107:
                found.append((code,))
            index += 1
    return found


def is_grey(colour: tuple[int, ...]) -> bool:
    if len(colour) == 3:
        return colour[0] == colour[1] == colour[2]
    (value,) = colour
    # 256-colour greys: 0, 7, 8, 15, 16, 231 and the ramp 232–255; basic black/white SGRs.
    return value in (0, 7, 8, 15, 16, 231, 30, 37, 40, 47, 90, 97, 100, 107) or value >= 232


def test_no_color_gives_a_monochrome_screen(terminal: Terminal, tmp_path: Path) -> None:
    launch(terminal, tmp_path, 80, 24, "xterm-256color", NO_COLOR="1")
    terminal.keys("/")
    terminal.keys("pakistan", literal=True)
    terminal.wait_for(lambda s: "4 of 5" in s)
    found = colours(terminal.screen_with_escapes())
    assert found, "expected some styling"
    assert all(is_grey(colour) for colour in found), sorted(set(found))[:10]


def test_colour_is_used_without_no_color(terminal: Terminal, tmp_path: Path) -> None:
    """The check above can fail: with colour on, some colour is not grey."""
    launch(terminal, tmp_path, 80, 24, "xterm-256color")
    found = colours(terminal.screen_with_escapes())
    assert any(not is_grey(colour) for colour in found)


def test_environment_is_clean() -> None:
    # The tests above pass TERM explicitly; nothing here depends on the outer terminal.
    assert "BROADSHEET_STATE_DIR" in os.environ
