"""Reading stated dates and inferring a year from text.

Only candidate text is parsed (a header value, or the run of characters that looks
like a date at the start of a line); python-dateutil never scans a whole body, and
no field is ever filled from today's date.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from .lazyre import LazyPattern

Precision = Literal["day", "month", "year"]
DateSource = Literal["stated", "inferred"]

DATE_ORIGINS = {
    "header": "stated in the header",
    "e-mail header": "stated in the e-mail header",
    "front matter": "stated in the front matter",
    "dateline": "stated in a byline or dateline",
    "file name": "from the file name",
    "folder": "from the folder",
    "text": "inferred from the text",
    # Saved web pages (webpage.py):
    "page metadata": "from the page's metadata",
    "page text": "from the page text",
    "page address": "from the page's address",
    "page": "found in the page by htmldate",
}
"""Where a date came from (``ParsedText.date_origin``, ``--list --json``'s
``date_origin``), and how the reading pane and ``--show`` say it."""

MIN_YEAR = 1900
MAX_YEAR = 2099


@dataclass(frozen=True, slots=True)
class ArticleDate:
    """A date known to day, month or year precision, and whether it was stated or inferred."""

    year: int
    month: int | None = None
    day: int | None = None
    source: DateSource = "stated"

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return "day"
        if self.month is not None:
            return "month"
        return "year"

    @property
    def inferred(self) -> bool:
        return self.source == "inferred"

    def iso(self) -> str:
        """ISO text cut to the precision: ``2024-10-17``, ``2024-10`` or ``2022``."""
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    @property
    def sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)

    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> dt.date:
        if self.month is None:
            return dt.date(self.year, 12, 31)
        if self.day is None:
            return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return dt.date(self.year, self.month, self.day)


class DateProblem(ValueError):
    """A stated date that cannot be used; the message is shown as a warning."""


_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = (
    r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)"
    r"(?:day|sday|nesday|rsday|urday)?\.?,?\s+)?"
)
_ORDINAL = r"(?:st|nd|rd|th)?"
_TIME = (
    r"(?:(?:,?\s+|T)(?:at\s+)?\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
    r"(?:\s*[ap]\.?m\.?)?(?:\s*(?:Z|[+-]\d{2}:?\d{2}|(?-i:UTC|GMT|[A-Z]{3,4})\b))?)?"
)
_DATE_FORMS = "|".join(
    [
        r"\d{4}-\d{1,2}-\d{1,2}",
        r"\d{4}/\d{1,2}/\d{1,2}",
        r"\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})",
        rf"\d{{1,2}}-{_MONTH}-\d{{4}}",  # 26-FEB-1987 (Reuters-21578, databases' exports)
        rf"\d{{1,2}}{_ORDINAL}\s+(?:of\s+)?{_MONTH},?\s+\d{{4}}",
        rf"{_MONTH}\s+\d{{1,2}}{_ORDINAL},?\s+\d{{4}}",
        rf"{_MONTH},?\s+\d{{4}}",
        r"\d{4}-\d{1,2}(?![-/\d])",
        r"\d{4}",
    ]
)
DATE_AT_START = LazyPattern(
    rf"{_WEEKDAY}(?:{_DATE_FORMS}){_TIME}(?=$|[\s,;|)\]*_])", re.IGNORECASE
)
"""A date (with optional weekday and time) at the start of a string, ending at a word edge."""

_ISO_DAY = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})")
_ISO_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_NUMERIC_DAY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?!\d)")
_YEAR_ONLY = re.compile(r"\d{4}")
_NAMED_MONTH = re.compile(
    rf"(?:(?P<day>\d{{1,2}}){_ORDINAL}\s+(?:of\s+)?)?(?P<month>{_MONTH})"
    rf"(?:\s+(?P<day2>\d{{1,2}}){_ORDINAL})?,?\s+(?P<year>\d{{4}})",
    re.IGNORECASE,
)
_MONTH_NUMBERS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}

# Two different defaults reveal which fields dateutil filled in itself: a field that
# changes with the default was not in the text. This is what keeps "today" out.
_DEFAULT_A = dt.datetime(2000, 1, 1)
_DEFAULT_B = dt.datetime(2001, 2, 2)


UNDATED_PERIOD = -1
"""The period code of an article without a date."""


def period_code(date: ArticleDate | None) -> int:
    """``year * 16 + month``, month 0 for a year-only date; UNDATED_PERIOD for none.

    One small int per article, so counting 100,000 filtered rows by month (the
    timeline, on every query) is a count of ints, a C loop, not a walk over articles.
    """
    if date is None:
        return UNDATED_PERIOD
    return date.year * 16 + (date.month or 0)


def _checked(year: int, month: int | None, day: int | None, text: str) -> ArticleDate:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DateProblem(f"stated date {text!r} is outside {MIN_YEAR}–{MAX_YEAR}; ignored")
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError:
        raise DateProblem(f"stated date {text!r} is impossible; ignored") from None
    return ArticleDate(year, month, day, "stated")


_FOUR_DIGITS = re.compile(r"(?<!\d)\d{4}(?!\d)")


def parse_stated_date(text: str) -> ArticleDate:
    """Read a stated date from *text* (a header value). Raises :class:`DateProblem`.

    The year must be written with four digits: a two-digit year is ambiguous
    (``17/10/24`` may be 2017-10-24) and dateutil pivots it on today's year, which
    would make the same file date differently from one year to the next.
    """
    candidate = text.strip().strip("*_[]() \t").strip()
    if not candidate:
        raise DateProblem("empty date")
    if len(candidate) > 80:
        raise DateProblem(f"stated date {candidate[:40]!r}… is too long to be a date; ignored")
    written_years = {int(year) for year in _FOUR_DIGITS.findall(candidate)}
    if not written_years:
        raise DateProblem(f"stated date {candidate!r} has no four-digit year; ignored")
    match = _ISO_DAY.fullmatch(candidate) or _ISO_DAY.match(candidate)
    if match and DATE_AT_START.match(candidate):
        year, month, day = (int(part) for part in match.groups())
        return _checked(year, month, day, candidate)
    match = _NUMERIC_DAY.match(candidate)
    if match and DATE_AT_START.match(candidate):
        first, second, year_text = match.groups()
        a, b = int(first), int(second)
        # A first number over 12 can only be a day, and a dotted date (17.10.2024) is
        # day-first wherever it is written; otherwise month-first as dateutil reads.
        dotted = candidate[match.end(1)] == "."
        day, month = (a, b) if a > 12 or dotted else (b, a)
        return _checked(int(year_text), month, day, candidate)
    match = _ISO_MONTH.fullmatch(candidate)
    if match:
        return _checked(int(match.group(1)), int(match.group(2)), None, candidate)
    match = _NAMED_MONTH.fullmatch(candidate)
    if match and not (match["day"] and match["day2"]):
        # "17 October 2024", "Oct 8, 2024", "February 2024": most headers, read without
        # dateutil, which costs ~100 µs a call and dominated loading 10,000 files.
        month = _MONTH_NUMBERS[match["month"][:3].lower()]
        day_text = match["day"] or match["day2"]
        return _checked(int(match["year"]), month, int(day_text) if day_text else None, candidate)
    if _YEAR_ONLY.fullmatch(candidate):
        return _checked(int(candidate), None, None, candidate)
    # "17 октября 2024 г.", "2024年10月17日", "le 17 octobre 2024": the month tables of
    # datewords (twenty languages, CJK and Hangul forms), then dateutil (English), then
    # dateparser for other languages, on this value alone and in one call.
    from .datewords import find_dates, parse_date_words

    for found in find_dates(candidate):
        return _checked(found.date.year, found.date.month, found.date.day, candidate)
    try:
        return _with_dateutil(candidate, written_years)
    except DateProblem:
        in_words = parse_date_words(candidate) if _LETTER.search(candidate) else None
        if in_words is None:
            raise
        return _checked(in_words.year, in_words.month, in_words.day, candidate)


_LETTER = re.compile(r"[^\W\d_]")


def _with_dateutil(candidate: str, written_years: set[int]) -> ArticleDate:
    # Imported here: most headers take a fast path above, and dateutil's parser costs
    # ~30 ms to import, a fifth of `broadsheet --list` on the seeds.
    from dateutil import parser as date_parser

    try:
        # ignoretz: a time zone changes no calendar field here, and an unknown one
        # ("TJ") makes dateutil print a warning to stderr.
        first = date_parser.parse(candidate, default=_DEFAULT_A, ignoretz=True)
        second = date_parser.parse(candidate, default=_DEFAULT_B, ignoretz=True)
    except (ValueError, OverflowError, TypeError, LookupError, ArithmeticError) as exc:
        message = str(exc)
        if "out of range" in message or "must be in" in message:
            raise DateProblem(f"stated date {candidate!r} is impossible; ignored") from None
        raise DateProblem(f"stated date {candidate!r} could not be read; ignored") from None
    if first.year != second.year or first.year not in written_years:
        # dateutil took the year from elsewhere (the default, or a two-digit number).
        raise DateProblem(f"stated date {candidate!r} has no year; ignored")
    known_month = first.month if first.month == second.month else None
    known_day = first.day if known_month is not None and first.day == second.day else None
    return _checked(first.year, known_month, known_day, candidate)


def infer_year(text: str) -> ArticleDate | None:
    """The year *text* was written in, where its words make it very likely: moved to
    :func:`tui.corpus.infer.infer_year` (kept here so that older imports still work)."""
    from .infer import infer_year as infer

    return infer(text)
