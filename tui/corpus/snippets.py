"""Snippets: the line under a title that shows why an article matches a query.

Made only for the rows drawn (a body is read and searched for each), so a list of
40,000 matches costs a screenful of them. Pure: the list widget draws what it gives.

Also where an article's prose starts (:func:`prose_start`): a snippet without a match
opens there, and the reading pane folds the menus above it (:func:`menus_before_text`).
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence

from .query import Query
from .relevance import ranking_terms

_SNIPPET_PARAGRAPHS = 200
"""Paragraphs of an article searched for its best passage, at most: a snippet is made
for each row drawn, and a book-length text must not stall a scroll."""

_SPACES = re.compile(r"\s+")

_PROSE_WORDS = 12
_PROSE_CHARACTERS = 80
"""A paragraph this long (in words, or in characters for scripts written without
spaces) reads as prose: the opening shown when nothing in the body matches. In a
scraped page's text, the lines above it are the site's menus ("Log in", "News",
"Sports"): 157 of 183 real scraped articles open with ten or more of them."""

MENU_PARAGRAPHS = 8
"""Short paragraphs before the first of prose that make a page's menus, at least (a
kicker, a byline and a date line above the lead are fewer)."""


def snippet(
    text: str, query: Query, width: int, ellipsis: str = "…"
) -> tuple[str, list[tuple[int, int]]]:
    """The passage of *text* (an article's paragraphs) that best shows why it matches
    *query*, as one line of at most *width* characters, with the (start, end) spans of
    the query's words in it: the paragraph holding most of the query's distinct words
    (then most matches), cut around its first densest run of them. Without a match in
    the body (the query found the title, a date or a field), the article's opening:
    its first paragraph of prose (see :data:`_PROSE_WORDS`), else its first.
    """
    if width <= 0 or not text:
        return "", []
    paragraphs = [p for p in text.split("\n")[:_SNIPPET_PARAGRAPHS] if p.strip()]
    if not paragraphs:
        return "", []
    best: tuple[int, int] = (0, 0)
    best_paragraph, best_spans = paragraphs[prose_start(paragraphs)], []  # the opening
    wanted = len(ranking_terms(query)) or 1
    for paragraph in paragraphs:
        spans = query.highlight_spans(paragraph, title=False)
        if not spans:
            continue
        distinct = len({paragraph[start:end].casefold() for start, end in spans})
        if (distinct, len(spans)) > best:
            best, best_paragraph, best_spans = (distinct, len(spans)), paragraph, spans
            if distinct >= wanted and len(spans) > 2:
                break  # every word the query asks for: no paragraph can do better
    return _window(best_paragraph, best_spans, width, ellipsis)


def prose_start(paragraphs: Sequence[str]) -> int:
    """Where the first paragraph that reads as prose is in *paragraphs* (see
    :data:`_PROSE_WORDS`); 0 when none does."""
    for number, paragraph in enumerate(paragraphs):
        if len(paragraph) >= _PROSE_CHARACTERS or len(paragraph.split()) >= _PROSE_WORDS:
            return number
    return 0


def menus_before_text(paragraphs: Sequence[str]) -> int:
    """How many paragraphs at the top of *paragraphs* are a page's menus and links
    (:data:`MENU_PARAGRAPHS` short ones or more before the first of prose): the
    reading pane folds them; 0 when they are fewer, or no paragraph reads as prose."""
    start = prose_start(paragraphs)
    return start if start >= MENU_PARAGRAPHS else 0


def _window(
    paragraph: str, spans: list[tuple[int, int]], width: int, ellipsis: str
) -> tuple[str, list[tuple[int, int]]]:
    """*paragraph* on one line, cut to *width* characters around the run of *spans*
    that most of them fit in, marked with *ellipsis* where cut; the spans moved with it."""
    # Whitespace runs made one space (the first one none), the spans moved with them:
    # a span never starts or ends inside a run, so it moves back by what the runs
    # before it lost.
    runs = [match.span() for match in _SPACES.finditer(paragraph)]
    lost = list(itertools.accumulate(end - start - 1 for start, end in runs))
    ends = [end for _, end in runs]
    lead = 1 if runs and runs[0][0] == 0 else 0

    def moved_to(offset: int) -> int:
        before = bisect.bisect_right(ends, offset)
        return offset - (lost[before - 1] if before else 0) - lead

    line = _SPACES.sub(" ", paragraph).strip()
    moved = [(max(0, moved_to(start)), min(len(line), moved_to(end))) for start, end in spans]
    moved = [(start, end) for start, end in moved if end > start]
    if len(line) <= width:
        return line, moved
    # The first span of the densest group that fits, a quarter of the width into view
    # (the first 100 spans looked at: a paragraph of nothing but matches is rare).
    mark = len(ellipsis)
    anchor = 0
    most = -1
    for index, (start, _) in enumerate(moved[:100]):
        fits = sum(1 for _, end in moved[index:100] if end - start <= width - 2 * mark)
        if fits > most:
            most, anchor = fits, start
    begin = max(0, min(anchor - width // 4, len(line) - (width - mark)))
    if begin > 0:
        # Start at a word when one starts near (forward: the matches stay in view).
        space = line.find(" ", begin - 1, begin + 12)
        if space != -1 and space + 1 <= anchor:
            begin = space + 1
    opening = mark if begin > 0 else 0
    end = begin + width - opening
    cut = end < len(line)
    if cut:
        end -= mark
    text = (ellipsis if opening else "") + line[begin:end] + (ellipsis if cut else "")
    shift = opening - begin
    last = len(text) - (mark if cut else 0)
    shown = [
        (max(start + shift, opening), min(stop + shift, last))
        for start, stop in moved
        if stop > begin and start < end
    ]
    return text, [(start, stop) for start, stop in shown if stop > start]
