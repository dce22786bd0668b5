"""Code nothing calls is gone and stays gone (issue 13, item 8): each name here was
defined in ``tui`` and used by nobody, or only by tests. A name that comes back should
come back with a caller, and leave this list."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "tui"

REMOVED = [
    "content_key",  # model.py: build_article hashes the encoded body itself
    "join_spans",  # widgets/text_layout.py
    "move_to_serial",  # widgets/article_list.py
    "match_count",  # widgets/reading_pane.py: tests only (they count the matches found)
    "is_page",  # corpus/webpage.py
    "starts_with_front_matter",  # corpus/frontmatter.py
    "HTML_SUFFIXES",  # corpus/webpage.py: is_page's only use
]


@pytest.mark.parametrize("name", REMOVED)
def test_removed_code_stays_out(name: str) -> None:
    pattern = re.compile(rf"\b{name}\b")
    found = [
        str(path.relative_to(PACKAGE.parent))
        for path in sorted(PACKAGE.rglob("*.py"))
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []
