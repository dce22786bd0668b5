"""What the folder did while the reader was open, as the reader shows it (issue 13,
item 6): which article took whose place, so the cursor stays on it, and the header's
tally ("3 new, 1 changed") of what changed since the user last acted.

Plain data about the corpus, kept by the screen; nothing here draws.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Article, Corpus, Removal

__all__ = ["ChangeLedger"]

KINDS = ("new", "changed", "removed")


class ChangeLedger:
    """Successors of the articles taken out, and the count of each kind of change."""

    def __init__(self) -> None:
        self.replaced: dict[int, int] = {}
        """Serial of an article taken out → serial of the one that took its place (the
        same file changed, or the same text under another name)."""
        self.counts: dict[str, int] = {}
        """new / changed / removed since the user last acted."""

    def record(
        self, corpus: Corpus, new: Sequence[Article], removal: Removal, *, again: bool
    ) -> list[int]:
        """Note one round applied to *corpus* (*new* added, *removal* taken out);
        return the serials added. A round read *again* (the duplicates of an article
        whose own file went) is not counted: it completes a change already counted."""
        replaced = 0
        for article in removal.articles:
            successor = corpus.at_path(article.file_path) or corpus.by_key(article.key)
            if successor is not None:
                self.replaced[article.serial] = successor.serial
                replaced += 1
        if not again:
            successors = set(self.replaced.values())
            fresh = sum(1 for article in new if article.serial not in successors)
            removed = len(removal.articles) - replaced
            for name, count in zip(KINDS, (fresh, replaced, removed), strict=True):
                if count:
                    self.counts[name] = self.counts.get(name, 0) + count
        return [article.serial for article in new]

    def successor(
        self, serial: int | None, rows: Sequence[int], removed: Collection[int]
    ) -> int | None:
        """What stands for article *serial* now: itself, what took its place, or (gone)
        the nearest row after it in *rows* still there, else before it."""
        if serial is None:
            return None
        seen = set()
        while serial in self.replaced and serial not in seen:
            seen.add(serial)
            serial = self.replaced[serial]
        if serial not in removed:
            return serial
        try:
            position = rows.index(serial)
        except ValueError:
            return None
        for row in (*rows[position + 1 :], *reversed(rows[:position])):
            if row not in removed:
                return row
        return None

    def shown(self) -> None:
        """The changes are on screen: their successors are no longer needed."""
        self.replaced = {}

    def note(self) -> str:
        """The header's note ("3 new, 1 changed, 1 removed")."""
        return ", ".join(f"{self.counts[name]:,} {name}" for name in KINDS if name in self.counts)

    def seen(self) -> bool:
        """The user acted: the tally starts again. Whether there was one to clear."""
        had = bool(self.counts)
        self.counts = {}
        return had
