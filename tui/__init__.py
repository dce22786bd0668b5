"""Broadsheet: a terminal reader for a folder of dated news articles."""

from __future__ import annotations

__all__ = ["__version__"]


def __getattr__(name: str) -> str:
    # Looked up on first use: importlib.metadata costs ~60 ms at start-up, which every
    # `broadsheet --list` would otherwise pay for a string it never prints.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            found = version("broadsheet")
        except PackageNotFoundError:  # running from a checkout that was never installed
            found = "0.0.0+unknown"
        globals()["__version__"] = found
        return found
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
