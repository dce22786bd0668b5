"""Snippets: the line under a title that shows why an article matches a query.

Made only for the rows drawn (a body is read and searched for each), so a list of
40,000 matches costs a screenful of them. Pure: the list widget draws what it gives.

Also where an article's text starts (its first paragraph of prose, :func:`prose_start`,
or the short paragraphs of the text just above it): a snippet without a match opens
there, and the reading pane folds the menus above it (:func:`menus_before_text`).
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

_OPENING_PARAGRAPHS = 5000
"""Paragraphs looked through for the first of prose, at most. Not the 200 searched: a
page's menus can be longer (1,280 short lines on a real one), and the snippet then
showed a menu item; but a text of short lines only (a log, a list of names) must not
be read to its end for each row drawn."""

_SPACES = re.compile(r"\s+")

_PROSE_WORDS = 12
_PROSE_CELLS = 80
"""A paragraph this long (in words, or in terminal cells for scripts written without
spaces: a Chinese character is two cells wide, so 40 of them are a line of prose)
reads as prose: the opening shown when nothing in the body matches. In a scraped
page's text, the lines above it are the site's menus ("Log in", "News", "Sports"):
157 of 183 real scraped articles open with ten or more of them."""

MENU_PARAGRAPHS = 8
"""Short paragraphs before the text that make a page's menus, at least (a kicker, a
byline and a date line above the lead are fewer)."""

_SENTENCE_END = re.compile(r"(?<!\.\.)[.!?。！？][\"'”’»«“)\]」』]*$")
"""A short paragraph ending so is a sentence: an article's text (a question and its
answer, a line of dialogue, a sentence between two links), seldom a menu. Not "...":
"Search..." is a field's label."""
_OPEN_END = re.compile(r"[-–—(,:;„/]$|(?<!\.)…$")
"""A paragraph ending so asks for the next one to go on with its sentence."""
_LIST_ITEM = re.compile(r"(?:[-*•·–—▪◦]|\d{1,3}[.)])\s")
_NUMBER = r"\s[-+−–]?\d[\d.,:%]*"
_TABLE_ROW = re.compile(rf"[^\W\d_].*{_NUMBER}{_NUMBER}$")
"""A word, then two numbers at the end: a row of a table of results ("Labour 412
+211"). One is as likely a menu's ("Olympia 2018", "Kommentare 8")."""
_LIST_RUN = 3
"""List items or table rows in a row just above the text that make the text's own list
or table, at least: one alone ("- Impressum", "Kommentare 8") is as likely a menu's."""


def snippet(
    text: str, query: Query, width: int, ellipsis: str = "…"
) -> tuple[str, list[tuple[int, int]]]:
    """The passage of *text* (an article's paragraphs) that best shows why it matches
    *query*, as one line of at most *width* characters, with the (start, end) spans of
    the query's words in it: the paragraph holding most of the query's distinct words
    (then most matches), cut around its first densest run of them. Without a match in
    the body (the query found the title, a date or a field), the article's opening
    (:func:`_opening`).
    """
    if width <= 0 or not text:
        return "", []
    lines = text.split("\n")
    paragraphs = [p for p in lines[:_SNIPPET_PARAGRAPHS] if p.strip()]
    if not paragraphs:
        return "", []
    best: tuple[int, int] = (0, 0)
    best_paragraph, best_spans = _opening(lines), []
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


def _opening(lines: Sequence[str]) -> str:
    """Where the article's text opens, as the reading pane shows it: its first
    paragraph of prose, run on from the short ones of its text just above it (a
    sentence broken at its links, a question and answer); else its first paragraph."""
    before: list[str] = []
    for line in itertools.islice(lines, _OPENING_PARAGRAPHS):
        if not line.strip():
            continue
        before.append(line)
        if _reads_as_prose(line):
            start = _text_start(before, len(before) - 1)
            opening = before[start]
            for part in before[start + 1 :]:
                # A link's text and the words after it were one sentence: no space
                # before a comma or after a bracket opened.
                glue = part[0] in ",;:)]" or opening[-1] in "(["
                opening += part if glue else " " + part
            return opening
    return before[0] if before else ""


def _reads_as_prose(paragraph: str) -> bool:
    """Long enough to be prose (see :data:`_PROSE_WORDS`)."""
    size = len(paragraph)
    if size >= _PROSE_CELLS or len(paragraph.split()) >= _PROSE_WORDS:
        return True
    # Cells only where they can differ and reach the mark (at most two a character).
    if 2 * size < _PROSE_CELLS or paragraph.isascii():
        return False
    from rich.cells import cell_len  # not needed by most paragraphs: imported late

    return cell_len(paragraph) >= _PROSE_CELLS


def prose_start(paragraphs: Sequence[str]) -> int:
    """Where the first paragraph that reads as prose is in *paragraphs* (see
    :data:`_PROSE_WORDS`); 0 when none does."""
    for number, paragraph in enumerate(paragraphs):
        if _reads_as_prose(paragraph):
            return number
    return 0


def _continues(paragraph: str) -> bool:
    """*paragraph* goes on with the sentence of the one above: scraped text breaks a
    sentence at each link ("Rust has been" / "Stack Overflow's most loved language" /
    ", indicating that…")."""
    first = paragraph[:1]
    return first in (",", ";", ":", ")", "]", "…") or first.islower()


def _text_start(paragraphs: Sequence[str], prose: int) -> int:
    """Where the text that *paragraphs[prose]* (the first of prose) belongs to starts:
    back over the short paragraphs of the text just above it, which are no menu: the
    fragments of a sentence broken at its links, sentences (a question and its answer,
    dialogue), the items of a list or the rows of a table."""
    at = prose
    while at > 0:
        above = paragraphs[at - 1]
        if _continues(paragraphs[at]):
            # The paragraph above is the sentence's earlier part, or a link's text
            # inside it with the earlier part above that ("Beim" / "ContentAward.at" /
            # ", der vom").
            at -= 1 if at < 2 or _OPEN_END.search(above) else 2
        elif _SENTENCE_END.search(above):
            at -= 1
        else:
            run = min(
                _run_above(paragraphs, at, _LIST_ITEM), _run_above(paragraphs, at, _TABLE_ROW)
            )
            if run == at:
                return at
            at = run
    return at


def _run_above(paragraphs: Sequence[str], at: int, pattern: re.Pattern[str]) -> int:
    """Where a run of :data:`_LIST_RUN` or more paragraphs that *pattern* matches
    (from their start) ends just above *at* starts; *at* when there is none."""
    start = at
    while start > 0 and pattern.match(paragraphs[start - 1]):
        start -= 1
    return start if at - start >= _LIST_RUN else at


def menus_before_text(paragraphs: Sequence[str], dateline: str | None = None) -> int:
    """How many paragraphs at the top of *paragraphs* are a page's menus and links,
    to fold: those above its text, which opens at the first paragraph of prose or at
    the short ones of the text just above it (:func:`_text_start`); 0 when fewer than
    :data:`MENU_PARAGRAPHS` are not *dateline* (the article's date line, read as part
    of its header), or no paragraph reads as prose."""
    start = _text_start(paragraphs, prose_start(paragraphs))
    counted = start
    if dateline and any(dateline in paragraph for paragraph in paragraphs[:start]):
        counted -= 1
    return start if counted >= MENU_PARAGRAPHS else 0


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
