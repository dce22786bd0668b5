"""Out to other tools (issue 15, item 7): ``e`` opens the article's file in the editor,
``p`` the article in the pager, ``w`` its URL in a browser or the clipboard. Each is a
list of arguments with the path as one of them: never a shell string."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

import tui.external as external_module
from tui.app import BroadsheetApp
from tui.corpus.state import ReadState
from tui.external import ToolError, editor_command, pager_command, web_address

from .app_helpers import notifications, settle

HOSTILE_NAME = "a; rm -rf ~ $(touch pwned) `x` \"q\" 'r'.txt"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / HOSTILE_NAME).write_text(
        "Date: 2024-01-02\nURL: https://example.org/a?b=1\n\nBody \x1b]0;evil\x07 text.\n"
    )
    return folder


@pytest.fixture
def ran(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[list[str | bytes]]]:
    """The commands the app runs, and what the pager was given to read."""
    commands: list[list[str | bytes]] = []

    def run(arguments: list[str | bytes], **_: object) -> None:
        commands.append(list(arguments))
        last = arguments[-1]
        if isinstance(last, bytes) and os.path.exists(last):
            commands.append([Path(os.fsdecode(last)).read_text("utf-8")])

    @contextlib.contextmanager
    def suspend(self: BroadsheetApp) -> Iterator[None]:
        yield

    monkeypatch.setattr(external_module.subprocess, "run", run)
    monkeypatch.setattr(BroadsheetApp, "suspend", suspend)
    yield commands


def _app(folder: Path) -> BroadsheetApp:
    return BroadsheetApp([str(folder)], state=ReadState.open(enabled=False), watch=False)


async def test_e_opens_the_file_in_the_editor_as_one_argument(
    folder: Path, ran: list[list[str | bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VISUAL", "true --wait")  # `true` exists everywhere
    app = _app(folder)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("e")
    assert ran[0][:2] == ["true", "--wait"]
    assert ran[0][2] == os.fsencode(str(folder / HOSTILE_NAME))
    assert len(ran[0]) == 3


async def test_p_pages_the_cleaned_neutralised_text_then_removes_it(
    folder: Path, ran: list[list[str | bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAGER", "true")
    app = _app(folder)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("enter", "p")
    command, (text,) = ran[0], ran[1]
    assert command[0] == "true" and len(command) == 2
    assert isinstance(text, str) and "Body" in text and "\x1b" not in text and "\x07" not in text
    assert not os.path.exists(command[1])  # the temp file is gone


async def test_w_copies_the_address_where_no_browser_can_show_it(
    folder: Path, ran: list[list[str | bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER"):
        monkeypatch.delenv(name, raising=False)
    app = _app(folder)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("w")
        assert app.clipboard == "https://example.org/a?b=1"
    assert ran == []


async def test_a_missing_editor_is_said_not_run(
    folder: Path, ran: list[list[str | bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VISUAL", "no-such-editor-here")
    app = _app(folder)
    said = notifications(app)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("e")
    assert ran == []
    assert any("no-such-editor-here" in message for message in said)


def test_commands_are_the_users_words_then_the_path(tmp_path: Path) -> None:
    path = str(tmp_path / "-rf.txt")
    environ = {"EDITOR": "true -c 'set nu'", "PAGER": "true -R"}
    assert editor_command(path, environ) == ["true", "-c", "set nu", os.fsencode(path)]
    assert pager_command(path, environ) == ["true", "-R", os.fsencode(path)]
    assert os.fsencode(path).startswith(b"/")  # never read as an option
    with pytest.raises(ToolError):
        editor_command(path, {"EDITOR": "'unclosed"})


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "file:///etc/passwd", "https://a b", "http://x\x1b", None, ""]
)
def test_only_a_web_address_is_given_to_a_browser(url: str | None) -> None:
    assert web_address(url) is None
