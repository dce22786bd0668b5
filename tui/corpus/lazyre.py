"""Regular expressions compiled on their first use, not at import."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

__all__ = ["LazyPattern"]


class LazyPattern:
    """A regular expression compiled on its first use, not at import.

    The date modules hold about a hundred patterns, several of them large (weekdays and
    keywords in twenty languages, CJK ranges): compiling them all costs ~15 ms, on the
    path to the app's first frame, and some are needed only for a rare page. Here the
    first call of any method compiles the pattern and keeps the compiled pattern's
    bound methods in the slots, so later calls cost what they cost on a compiled one.
    """

    __slots__ = (
        "pattern",
        "flags",
        "search",
        "match",
        "fullmatch",
        "finditer",
        "findall",
        "sub",
        "split",
    )
    search: Callable[..., re.Match[str] | None]
    match: Callable[..., re.Match[str] | None]
    fullmatch: Callable[..., re.Match[str] | None]
    finditer: Callable[..., Iterator[re.Match[str]]]
    findall: Callable[..., list[Any]]
    sub: Callable[..., str]
    split: Callable[..., list[Any]]

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags

    def __getattr__(self, name: str) -> Any:
        # Only called for a slot not yet set: the first use of a method.
        compiled = re.compile(self.pattern, self.flags)
        for method in ("search", "match", "fullmatch", "finditer", "findall", "sub", "split"):
            setattr(self, method, getattr(compiled, method))
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern!r}, {self.flags!r})"
