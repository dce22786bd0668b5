"""Regenerate the SVGs in screenshots/ from the real app on the bundled seeds.

Run with `make screenshots`. Each screen is driven by the pilot, like a person
pressing keys, then saved with `save_screenshot`.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "screenshots"

SHOTS: list[tuple[str, tuple[int, int], list[str], str | None]] = [
    ("reader-wide", (120, 36), ["slash", *"pakistan russia", "enter", "enter"], None),
    ("list-narrow", (80, 24), [], None),
    ("article-narrow", (80, 24), ["down", "down", "down", "enter"], None),
    ("filter", (120, 36), ["slash", *"sco -putin"], None),
    ("help", (120, 36), ["question_mark"], None),
    ("light", (120, 36), ["enter"], "textual-light"),
]


async def shoot(name: str, size: tuple[int, int], keys: list[str], theme: str | None) -> None:
    from tui.app import BroadsheetApp
    from tui.corpus.state import ReadState

    app = BroadsheetApp(["seeds"], state=ReadState.open(enabled=False))
    async with app.run_test(size=size) as pilot:
        if theme:
            app.theme = theme
        await app.loaded.wait()
        app.filter_bar.input.cursor_blink = False
        await pilot.pause(0.2)
        for key in keys:
            await pilot.press(key)
        await pilot.pause(0.3)
        app.save_screenshot(str(OUT / f"{name}.svg"))
    print(f"screenshots/{name}.svg")


def main() -> int:
    os.chdir(REPO)  # article paths read seeds/… in the pictures
    sys.path.insert(0, str(REPO))
    OUT.mkdir(exist_ok=True)
    for name, size, keys, theme in SHOTS:
        asyncio.run(shoot(name, size, keys, theme))
    return 0


if __name__ == "__main__":
    sys.exit(main())
