"""Out to other tools (issue 15, item 7): the article's file in the user's editor, the
article in their pager, its URL in a browser.

Every command is a list: the user's ``$VISUAL``, ``$EDITOR`` or ``$PAGER`` split as a
shell would split it (their own setting, trusted as their shell trusts it), then the
path as one argument. Nothing from a file, its name or its text is ever parsed by a
shell. Paths are absolute, so a file named ``-rf`` is never read as an option, and
passed as bytes, so a name that is not UTF-8 reaches the tool as it is on disk.
"""

from __future__ import annotations

import io
import os
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from textual.app import SuspendNotSupported

from .corpus.plaintext import write_article
from .corpus.safe import neutralise

if TYPE_CHECKING:
    from textual.app import App

    from .corpus import Article

__all__ = [
    "ToolError",
    "browser_available",
    "browser_command",
    "editor_command",
    "pager_command",
    "web_address",
]

DEFAULT_EDITOR = "vi"
DEFAULT_PAGER = "less"


class ToolError(Exception):
    """The tool cannot be run; the message is one line for the user."""


def _command(setting: str, name: str, path: str) -> list[str | bytes]:
    try:
        words = shlex.split(setting)
    except ValueError as error:
        raise ToolError(f"${name} cannot be read as a command ({error})") from None
    if not words:
        raise ToolError(f"${name} is empty")
    if shutil.which(words[0]) is None:
        raise ToolError(f"{words[0]} (from ${name}) is not a command here")
    return [*words, os.fsencode(os.path.abspath(path))]


def editor_command(path: str, environ: Mapping[str, str] = os.environ) -> list[str | bytes]:
    """``$VISUAL``, else ``$EDITOR``, else ``vi``, on *path*."""
    for name in ("VISUAL", "EDITOR"):
        setting = environ.get(name, "").strip()
        if setting:
            return _command(setting, name, path)
    return _command(DEFAULT_EDITOR, "EDITOR", path)


def pager_command(path: str, environ: Mapping[str, str] = os.environ) -> list[str | bytes]:
    """``$PAGER``, else ``less``, on *path*."""
    setting = environ.get("PAGER", "").strip()
    return _command(setting or DEFAULT_PAGER, "PAGER", path)


def browser_available(environ: Mapping[str, str] = os.environ) -> bool:
    """Whether a graphical browser can show a page here (a display, or a desktop
    system): Python's ``webbrowser`` then opens it beside the reader. Over SSH there
    is none: the user's ``$BROWSER`` runs in the terminal, or the URL is copied."""
    if os.name == "nt" or (hasattr(os, "uname") and os.uname().sysname == "Darwin"):
        return True
    return bool(environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"))


def browser_command(url: str, environ: Mapping[str, str] = os.environ) -> list[str | bytes] | None:
    """``$BROWSER`` (a terminal browser, say ``lynx``) on *url*; None when unset."""
    setting = environ.get("BROWSER", "").strip()
    if not setting:
        return None
    try:
        words = shlex.split(setting)
    except ValueError as error:
        raise ToolError(f"$BROWSER cannot be read as a command ({error})") from None
    if not words or shutil.which(words[0]) is None:
        raise ToolError("$BROWSER is not a command here")
    return [*words, url]


def web_address(url: str | None) -> str | None:
    """*url* if it is one a browser should be given (http or https, no space or
    control character); None otherwise: an article's URL comes from its file."""
    if not url or not url.lower().startswith(("http://", "https://")):
        return None
    if any(char.isspace() or not char.isprintable() for char in url):
        return None
    return url


# --- the keys ---------------------------------------------------------------------


def edit(app: App[None], article: Article) -> None:
    """``e``: the article's file in the user's editor, the reader suspended."""
    run_outside(app, lambda: editor_command(article.file_path))


def page(app: App[None], article: Article) -> None:
    """``p``: the article in the user's pager.

    The cleaned text, as ``--show`` prints it, from a file of its own: whatever the
    pager (one that passes escapes through, say), only neutralised text reaches the
    terminal, and an HTML page or an e-mail reads as the reader shows it.
    """
    text = io.StringIO()
    write_article(article, text, 78)
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", prefix="broadsheet-", suffix=".txt", delete=False
    ) as handle:
        handle.write(neutralise(text.getvalue()))
    try:
        run_outside(app, lambda: pager_command(handle.name))
    finally:
        os.unlink(handle.name)


def open_url(app: App[None], article: Article) -> None:
    """``w``: the article's web address in a browser, or copied (OSC 52) where none
    can show it (over SSH: the clipboard at the far end)."""
    url = web_address(article.url)
    if url is None:
        app.bell()
        app.notify("This article has no web address to open", timeout=2)
        return
    if browser_available():
        import webbrowser

        webbrowser.open(url)  # a graphical browser, beside the reader
        app.notify(url, title="Opened in the browser", markup=False, timeout=3)
        return
    try:
        command = browser_command(url)
    except ToolError as error:
        app.notify(str(error), title="Browser", severity="warning", markup=False)
        return
    if command is not None:
        run_outside(app, lambda: command)
        return
    app.copy_to_clipboard(url)
    app.notify(url, title="No browser here: address copied", markup=False, timeout=3)


def run_outside(app: App[None], command: Callable[[], list[str | bytes]]) -> None:
    """Hand the terminal to *command* (made now: it may refuse) until it ends."""
    try:
        arguments = command()
        with app.suspend():
            subprocess.run(arguments, check=False)
    except ToolError as error:
        app.notify(str(error), title="Cannot run it", severity="warning", markup=False)
    except SuspendNotSupported:
        app.notify(
            "Another program cannot have this terminal (a browser session?)", severity="warning"
        )
    except OSError as error:
        message = f"It could not be run: {error.strerror or error}"
        app.notify(message, title="Cannot run it", severity="warning", markup=False)
