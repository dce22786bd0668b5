"""The page's own date in a scraped page's visible text: bylines and datelines.

A saved page holds many dates: the article's, its update, comments, related
articles, archives, copyright years, events named in the text. The page's own date
is the one that stands on a short line near the headline, or after a word such as
"Published" / "Veröffentlicht" / "Publié"; dates in sentences, in comments and in
footers are not. When the evidence does not settle it, there is no date: a page
with no date is better than one with a wrong date.

This runs for every file at load, so it is built of cheap filters: only short lines
with a four-digit year are looked at, and dateparser is never called here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .dates import ArticleDate
from .datewords import FoundDate, find_dates

MAX_LINE = 160
"""Longer lines are prose: a date there is an event, not the page's date, unless a
publication keyword stands right before it."""

MAX_SCAN_LINES = 20_000
"""Lines looked at, from the top (a saved page rarely has more)."""

NEAR_AFTER = 40
"""Non-blank lines after the headline where a dateline may stand."""

NEAR_AFTER_TITLE = 8
"""Non-blank lines after a title that is not repeated further down."""

NEAR_BEFORE = 8
"""Non-blank lines before the headline (a date above the title, in a kicker)."""

_YEAR = re.compile(r"[12１２][09０９]\d\d")
_WEEKDAY = re.compile(
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day|\b(?:mon|tue|wed|thu|fri|sat|sun)\b|"
    r"montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonnabend|sonntag|"
    r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|"
    r"lunes|martes|mi[ée]rcoles|jueves|viernes|s[áa]bado|domingo|"
    r"luned[iì]|marted[iì]|mercoled[iì]|gioved[iì]|venerd[iì]|sabato|domenica|"
    r"segunda|ter[çc]a|quarta|quinta|sexta|"
    r"понедельник|вторник|среда|четверг|пятница|суббота|воскресенье|"
    r"[月火水木金土日]曜|星期|[월화수목금토일]요일",
    re.IGNORECASE,
)

_PUBLISHED = re.compile(
    r"(?:published|posted|written|created|publi[ée]e?s?|"
    r"ver[öo]ffentlicht|erstellt|erschienen|publiziert|\b(?:datum|date|stand|vom)\b|"
    r"publicad[oa]|pubblicat[oa]|опубликовано|опубликована|дата|"
    r"发布|發佈|發布|公開|投稿|掲載|작성|입력|게시)",
    re.IGNORECASE,
)
_UPDATED = re.compile(
    r"(?:updated?|last\s+modified|modified|aktualisiert|letzte?s?\s+(?:update|änderung)|"
    r"ge[äa]ndert|mis\s+[àa]\s+jour|modifi[ée]|actualizad[oa]|aggiornat[oa]|atualizad[oa]|"
    r"обновлено|更新|수정)",
    re.IGNORECASE,
)
_DECOY = re.compile(
    r"(?:©|copyright|\(c\)|reply|replies|antworten|antwort|says|said|sagt|schreibt|"
    r"comments?|kommentar|kommentare|responder|répondre|rispondi|ответить|"
    r"event|veranstaltung|termin|deadline|frist|bis\s+zum|until|from\s|vom\s.*\sbis|"
    r"archiv|archive|born|geboren|gestorben|died|registriert|registered|joined|"
    r"mitglied\s+seit|member\s+since|dabei\s+seit)",
    re.IGNORECASE,
)
_SEPARATORS = " \t|·•-–—,:/()[]"
_RANGE_BEFORE = re.compile(
    r"(?:\d\.?\s*[-–—]|\bbis|\bto|\bau|\bal|\buntil|\btill)\s*$", re.IGNORECASE
)
_RANGE_AFTER = re.compile(
    r"\s*(?:[-–—]|bis|to|until|au|al)\s*\d{1,2}(?:[./]\s*\d{1,2}|\.?\s+[^\W\d_]{3,})",
    re.IGNORECASE,
)
_TITLED = re.compile(r"\s*:\s+(?:[^\W\d_]+\W+){3}")
_STRONG_DECOY = re.compile(r"(?:©|copyright|\(c\)\s*\d)", re.IGNORECASE)
_TIME = re.compile(r"\b\d{1,2}[:.h]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?|uhr|h)?\b", re.IGNORECASE)
_NOISE = re.compile(r"[\W\d_]+")
_WORD = re.compile(r"[^\W\d_]{2,}")


@dataclass(frozen=True, slots=True)
class Dateline:
    """The page's own date as found in its text."""

    date: ArticleDate
    text: str
    """The date as written."""
    line: int
    """1-based line number."""


@dataclass(slots=True)
class _Candidate:
    index: int
    """0-based line index."""
    position: int
    """Index among the non-blank lines."""
    found: FoundDate
    line: str
    kind: str
    """``published``, ``updated``, ``plain`` (a date on a short line) or ``decoy``."""


def _words_besides(line: str, found: FoundDate) -> int:
    rest = line[: found.start] + " " + line[found.end :]
    rest = _TIME.sub(" ", rest)
    return len(_WORD.findall(rest))


def _kind(line: str, found: FoundDate, previous: str) -> str:
    if _STRONG_DECOY.search(line):
        return "decoy"
    if _words_besides(line, found) > 8 or len(line) > MAX_LINE:
        return "decoy"  # a date in a sentence: an event, not the page's date
    before = line[max(0, found.start - 40) : found.start]
    after = line[found.end : found.end + 30]
    if _TITLED.match(after):
        return "decoy"  # "8 November 1923: 100 years since the putsch", a listed article
    if _RANGE_BEFORE.search(before) or _RANGE_AFTER.match(after):
        return "decoy"  # "12.10. - 15.10.2023", "3 March 2023 to 5 March 2023"
    # The keyword nearest before the date decides ("Published 3 March · Updated 5 March").
    label = before if before.strip(_SEPARATORS) else previous
    published = [match.end() for match in _PUBLISHED.finditer(label)]
    updated = [match.end() for match in _UPDATED.finditer(label)]
    if (published or updated) and len(_WORD.findall(before)) <= 6:
        if updated and (not published or max(updated) >= max(published)):
            return "updated"
        return "published"
    if _DECOY.search(before) or _DECOY.search(after) or _DECOY.search(previous):
        return "decoy"
    return "plain"


_DASHES = re.compile(r"[‐‑‒–—―|·•:]+")
_QUOTES = re.compile(r"[\"'«»„“”‚‘’`]+")


def _comparable(line: str) -> str:
    return " ".join(_DASHES.sub("-", _QUOTES.sub("", line)).split()).strip(" #*").casefold()


def _headline_index(
    lines: list[str], title_line: int | None, limit: int
) -> tuple[int | None, bool]:
    """The headline's line index, and whether it is the title's repeat further down
    (a saved page's <h1> after its navigation; the <title> line names the site too)."""
    if title_line is None or not 1 <= title_line <= limit:
        return None, False
    index = title_line - 1
    title = _comparable(lines[index])
    if len(title) < 12:
        return index, False
    # "Headline - Site name": the headline alone, as the <h1> writes it.
    core = title.rpartition(" - ")[0] or title
    if len(core) < 16:
        core = title
    longest = len(title) + 60
    for later in range(index + 1, limit):
        line = lines[later]
        if len(line) > longest or len(line) < 12:
            continue
        candidate = _comparable(line)
        if len(candidate) < 16 and candidate != title:
            continue
        if core in candidate or (2 * len(candidate) >= len(core) and candidate in title):
            return later, True
    return index, False


def _candidates(
    lines: list[str], limit: int, day_first: bool | None
) -> tuple[list[_Candidate], bool]:
    """The dates on the first *limit* lines, and whether some line holds a date that
    only the page's language can settle (``10/11/2024``)."""
    found: list[_Candidate] = []
    ambiguous = False
    previous = ""
    position = 0
    for index in range(limit):
        line = lines[index]
        if not line or line.isspace():
            continue
        position += 1
        # A long line is prose, never a dateline (see _kind): not even searched.
        if len(line) <= MAX_LINE:
            if _YEAR.search(line):
                for date in find_dates(line, day_first):
                    kind = _kind(line, date, previous)
                    found.append(_Candidate(index, position, date, line, kind))
                if not ambiguous and day_first is None and _AMBIGUOUS.search(line):
                    ambiguous = True
            elif "." in line:
                short = _short_dotted(line)
                if short is not None:
                    kind = _kind(line, short, previous)
                    found.append(_Candidate(index, position, short, line, kind))
        previous = line if len(line) <= 40 else ""
    return found, ambiguous


_SHORT_DOTTED = re.compile(r"(?<![\w.])(\d{1,2})\.(\d{1,2})\.([0-4]\d)(?![\w.]|,\d)")


def _short_dotted(line: str) -> FoundDate | None:
    """``19.10.19``: a dotted date (day first, as dotted dates are) with a two-digit
    year. Only 00–49 are read, as 2000–2049: a fixed rule, never today's century,
    and a page of the 1990s that wrote "19.10.98" gets no date rather than 2098."""
    match = _SHORT_DOTTED.search(line)
    if match is None:
        return None
    day, month, year = int(match[1]), int(match[2]), 2000 + int(match[3])
    if not 1 <= month <= 12:
        return None
    try:
        date = ArticleDate(year, month, day, "stated")
        date.last_day()
    except ValueError:
        return None
    return FoundDate(match.start(), match.end(), date, "numeric")


def _day_first_hint(candidates: list[_Candidate]) -> bool | None:
    """How the page writes its dates, from the dates that settle it themselves."""
    forms = {candidate.found.form for candidate in candidates}
    day_first = bool(forms & {"numeric", "day-month"})
    # "November 2, 2023" is written on day-first sites too: only "10/17/2024" counts.
    month_first = "numeric-us" in forms
    if day_first != month_first:
        return day_first
    return None


_AMBIGUOUS = re.compile(r"(?<!\d)\d{1,2}([/-])\d{1,2}\1(?:19|20)\d\d")


def find_dateline(lines: list[str], title_line: int | None) -> Dateline | None:
    """The page's own publication date, or None when the text does not settle it.

    *title_line* (1-based) is the line the title came from, if any: the dateline is
    looked for near it, or near its repeat further down (a page's <title> first,
    then, after the navigation, its <h1>).
    """
    limit = min(len(lines), MAX_SCAN_LINES)
    candidates, ambiguous = _candidates(lines, limit, None)
    if ambiguous:
        # "10/11/2024" reads as the page's other dates do, when they agree on an order.
        hint = _day_first_hint(candidates)
        if hint is not None:
            candidates = _candidates(lines, limit, hint)[0]
    usable = [c for c in candidates if c.kind != "decoy" and c.found.date.day is not None]
    if not usable:
        return None
    anchor, repeated = _headline_index(lines, title_line, limit)
    chosen = _choose(usable, candidates, anchor, repeated, lines)
    if chosen is None:
        return None
    found = chosen.found
    return Dateline(found.date, chosen.line[found.start : found.end], chosen.index + 1)


def _position_of(index: int, lines: list[str]) -> int:
    return sum(1 for line in lines[: index + 1] if line and not line.isspace())


def _distance(offset: int) -> int:
    """Lines above the headline count thrice: a dateline follows its headline more
    often than it precedes it."""
    return offset if offset >= 0 else -3 * offset


def _is_save_day(chosen: _Candidate, everything: list[_Candidate]) -> bool:
    """A weekday and a date above the headline, later than every other date on the
    page (there being others): the day the page was saved, as a site's header shows
    it ("Mittwoch, 8. Juli 2020"), not the article's."""
    if not _WEEKDAY.search(chosen.line, 0, chosen.found.start):
        return False
    others = [c.found.date.sort_key for c in everything if c is not chosen]
    return len(others) >= 2 and all(chosen.found.date.sort_key > other for other in others)


def _choose(
    usable: list[_Candidate],
    everything: list[_Candidate],
    anchor: int | None,
    repeated: bool,
    lines: list[str],
) -> _Candidate | None:
    if anchor is not None:
        anchor_position = _position_of(anchor, lines)
        after = NEAR_AFTER if repeated else NEAR_AFTER_TITLE
        before = NEAR_BEFORE if repeated else 0
        near = [c for c in usable if -before <= c.position - anchor_position <= after]
        if near:
            best = min(near, key=lambda c: _rank(c, anchor_position))
            if best.kind == "updated":
                # "Updated 5 March 2023 · 3 March 2023": the original date wins.
                original = [
                    c for c in near if c.kind == "plain" and abs(c.position - best.position) <= 4
                ]
                if original:
                    best = original[0]
        else:
            best = None
        if best is not None:
            high = best.position < anchor_position - 3 or not repeated
            if high and _is_save_day(best, everything):
                return None
            return best
    # No headline found near a date: a date the page agrees on, or the first date
    # standing alone (a byline above the text; comments and lists come after it).
    for kind in ("published", "plain"):
        chosen = [c for c in usable if c.kind == kind]
        if chosen and len({c.found.date for c in chosen}) == 1:
            return chosen[0]
    # After the headline when it is known: what stands above it is navigation.
    start = anchor if anchor is not None and repeated else -1
    first = next((c for c in usable if c.kind != "updated" and c.index > start), None)
    if (
        first is not None
        and 4 * first.position <= _position_of(len(lines) - 1, lines)
        and _words_besides(first.line, first.found) <= 2
        and len(_YEAR.findall(first.line)) <= 1  # "1975年1月28日（农历1974年…）": an infobox
        and not _is_save_day(first, everything)
    ):
        return first
    return None


def _rank(candidate: _Candidate, anchor_position: int) -> int:
    """Nearness to the headline; a publication keyword is worth a few lines."""
    rank = _distance(candidate.position - anchor_position)
    return rank - 6 if candidate.kind == "published" else rank


TITLE_SEARCH_LINES = 60
"""How far below the header block a headline title is looked for."""


def find_title_line(lines: list[str], start: int, title: str | None) -> int | None:
    """The 1-based line, from *start* (0-based) on, that holds *title*; None if none near."""
    if not title:
        return None
    probe = title.rstrip("…").strip()[:40]
    if not probe:
        return None
    for index in range(start, min(len(lines), start + TITLE_SEARCH_LINES)):
        if probe in lines[index]:
            return index + 1
    return None
