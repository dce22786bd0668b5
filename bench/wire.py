"""What goes over the wire: the bytes a terminal sends for each key, and byte-count helpers.

Keys are written as an xterm sends them in normal cursor-key mode, so the app's input
parser does the same work it does for a person at a keyboard or over SSH.
"""

from __future__ import annotations

KEYS: dict[str, bytes] = {
    "down": b"\x1b[B",
    "up": b"\x1b[A",
    "pagedown": b"\x1b[6~",
    "pageup": b"\x1b[5~",
    "home": b"\x1b[H",
    "enter": b"\r",
    "escape": b"\x1b",
    "slash": b"/",
    "q": b"q",
}
"""Named keys; anything else is typed as its UTF-8 text."""

LINK_BITS_PER_SECOND = 1_000_000
"""The slow link the figures are translated to (issue 6: "what they mean at 1 Mbit/s")."""


def key(name: str) -> bytes:
    """The bytes a terminal sends for *name* (a KEYS name, or literal text)."""
    return KEYS.get(name, name.encode("utf-8"))


def kib(nbytes: float | None) -> str:
    """Bytes as the table shows them: KB means 1,024 bytes, as the targets do."""
    if nbytes is None:
        return "—"
    if nbytes < 1024:
        return f"{nbytes:.0f} B"
    return f"{nbytes / 1024:.1f} KB"


def link_ms(nbytes: float | None, bits_per_second: int = LINK_BITS_PER_SECOND) -> float | None:
    """Milliseconds *nbytes* take on a link of *bits_per_second* (transfer only, no latency)."""
    if nbytes is None:
        return None
    return nbytes * 8 / bits_per_second * 1000
