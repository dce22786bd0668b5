"""The header block at the top of a file: `Title:`, `Date:`, `Source:` lines, bare dates."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .dates import DATE_AT_START, ArticleDate, DateProblem, parse_stated_date

HEADER_SCAN_LINES = 12
"""How many non-blank lines at the top may be metadata."""

_FIELD = re.compile(
    r"^\s*(?P<key>title|date|published|posted|updated|source|author|by|url|link)\s*:\s*(?P<value>.*)$",
    re.IGNORECASE,
)
_BARE_DATE_KEY = re.compile(r"^\s*(?P<key>date|published|posted)\s+(?P<rest>\S.*)$", re.IGNORECASE)
_DATE_KEYS = frozenset({"date", "published", "posted", "updated"})
_DECORATION = "*_[]()#> \t"


@dataclass(slots=True)
class _Header:
    title: str | None = None
    title_line: int | None = None
    date: ArticleDate | None = None
    date_text: str | None = None
    date_line: int | None = None
    source: str | None = None
    author: str | None = None
    body_start: int = 0
    first_body_line: str | None = None
    """Body text that shared its line with a date (`` date 2024-10-08 In a move …``)."""


def _take_date(header: _Header, text: str, line_no: int, warnings: list[str]) -> None:
    try:
        parsed = parse_stated_date(text)
    except DateProblem as problem:
        warnings.append(f"line {line_no}: {problem}")
        return
    if header.date is None:
        header.date, header.date_text, header.date_line = parsed, text.strip(), line_no


def _split_date(text: str) -> tuple[str, str]:
    """A date at the start of *text* and what follows it (``("", text)`` when none)."""
    match = DATE_AT_START.match(text)
    if match is None:
        return "", text
    return match.group(), text[match.end() :].strip()


def _is_prose(text: str) -> bool:
    """Body text rather than a header's tail such as ``| 10:32`` or ``(updated)``."""
    return len(text.split()) >= 4 and sum(char.isalpha() for char in text) >= 12


def read_header(lines: list[str], warnings: list[str]) -> _Header:
    header = _Header()
    seen = 0
    index = 0
    while index < len(lines) and seen < HEADER_SCAN_LINES:
        line = lines[index]
        if not line.strip():
            index += 1
            continue
        seen += 1
        line_no = index + 1
        field_match = _FIELD.match(line)
        if field_match:
            key = field_match["key"].lower()
            value = field_match["value"].strip()
            if key in _DATE_KEYS:
                date_text, remainder = _split_date(value)
                _take_date(header, date_text or value, line_no, warnings)
                if _is_prose(remainder):
                    # "Date: 2024-01-01 The talks began…": the body shares the line.
                    header.first_body_line = remainder
                    index += 1
                    break
            elif key == "title" and value and header.title is None:
                header.title, header.title_line = value, line_no
            elif key == "source" and value:
                header.source = value
            elif key in ("author", "by") and value:
                header.author = value
            index += 1
            continue
        bare = _BARE_DATE_KEY.match(line)
        if bare:
            date_text, remainder = _split_date(bare["rest"])
            if date_text:
                _take_date(header, date_text, line_no, warnings)
                index += 1
                if remainder:
                    header.first_body_line = remainder
                    break
                continue
        stripped = line.strip().strip(_DECORATION)
        if stripped and DATE_AT_START.fullmatch(stripped) and not stripped.isdigit():
            _take_date(header, stripped, line_no, warnings)
            index += 1
            continue
        break
    header.body_start = index
    return header
