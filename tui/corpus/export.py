"""A reading list out (issue 15, item 6): articles as Markdown, CSV, JSON Lines or
BibTeX, for ``broadsheet --export`` and the reader's ``E``.

Everything written comes from files, so it is made inert for where it goes: the text
was neutralised as it was read (no control character); in Markdown a title's markup
characters are escaped; in CSV a cell that a spreadsheet would take for a formula
(``=``, ``+``, ``-``, ``@``, a tab or a carriage return first) is prefixed with ``'``;
in BibTeX every special character is escaped, braces above all, so no field can end
early. Nothing is ever run.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Literal, TextIO

if TYPE_CHECKING:
    from .model import Article

__all__ = ["FORMATS", "ExportFormat", "write_export"]

ExportFormat = Literal["md", "csv", "jsonl", "bib"]
FORMATS: dict[str, str] = {
    "md": "Markdown reading list",
    "csv": "CSV (a spreadsheet)",
    "jsonl": "JSON Lines (the --list --json fields and the body)",
    "bib": "BibTeX (@online, @article)",
}
"""Each format and what it is, as the command line and the reader offer them."""

CSV_FIELDS = [
    "id", "date", "date_source", "title", "author", "source", "url", "path", "words",
    "first_paragraph",
]  # fmt: skip


def write_export(articles: Iterable[Article], form: str, out: TextIO) -> int:
    """Write *articles* to *out* in *form* (one of :data:`FORMATS`); return how many."""
    writer: Callable[[Iterable[Article], TextIO], int] = {
        "md": _markdown,
        "csv": _csv,
        "jsonl": _json_lines,
        "bib": _bibtex,
    }[form]
    return writer(articles, out)


def first_paragraph(article: Article) -> str:
    return next((p for p in article.paragraphs if p.strip()), "")


# --- Markdown -----------------------------------------------------------------------

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>~])")


def _md(text: str) -> str:
    """*text* with Markdown's markup characters escaped, on one line."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _markdown(articles: Iterable[Article], out: TextIO) -> int:
    count = 0
    out.write("# Reading list\n")
    for article in articles:
        count += 1
        out.write(f"\n## {_md(article.title)}\n\n")
        out.write(f"- Date: {_md(article.describe_date())}\n")  # where it came from, too
        if article.author:
            out.write(f"- Author: {_md(article.author)}\n")
        if article.source:
            out.write(f"- Source: {_md(article.source)}\n")
        if article.url:
            out.write(f"- URL: <{article.url.replace('>', '%3E')}>\n")
        path = article.path.replace("`", "'")  # a backquote would end the code span
        out.write(f"- File: `{path}`\n")
        paragraph = first_paragraph(article)
        if paragraph:
            out.write(f"\n> {_md(paragraph)}\n")
    return count


# --- CSV ----------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """*value* as a CSV cell no spreadsheet will run: one that starts as a formula
    would (``=cmd|' /C calc'!A0``) gets a ``'`` first (OWASP's advice)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv(articles: Iterable[Article], out: TextIO) -> int:
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_FIELDS)
    count = 0
    for article in articles:
        count += 1
        row = [
            article.id,
            article.date_iso,
            article.date.source if article.date else None,
            article.title,
            article.author,
            article.source,
            article.url,
            article.path,
            article.words,
            first_paragraph(article),
        ]
        writer.writerow([csv_cell(value) for value in row])
    return count


# --- JSON Lines ---------------------------------------------------------------------


def _json_lines(articles: Iterable[Article], out: TextIO) -> int:
    count = 0
    for article in articles:
        count += 1
        fields = article.to_json()
        fields["body"] = "\n\n".join(article.paragraphs)
        out.write(json.dumps(fields, ensure_ascii=False) + "\n")
    return count


# --- BibTeX -------------------------------------------------------------------------

_BIB_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "#": r"\#",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "_": r"\_",
    "^": r"\^{}",
    "~": r"\~{}",
}
_BIB_PATTERN = re.compile("|".join(re.escape(char) for char in _BIB_SPECIAL))


def bib_text(text: str) -> str:
    """*text* for a BibTeX field in braces: every special character escaped (a brace
    left alone would end the field, or leave it open), on one line."""
    return _BIB_PATTERN.sub(lambda match: _BIB_SPECIAL[match.group()], " ".join(text.split()))


def _bib_url(url: str) -> str:
    """A URL for BibTeX's ``url`` field: braces and backslashes, which would break the
    field, percent-encoded as a URL may have them."""
    return url.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D")


def _bibtex(articles: Iterable[Article], out: TextIO) -> int:
    count = 0
    for article in articles:
        count += 1
        kind = "online" if article.url else "article"
        # Braces twice: a title keeps its capitals, and an author is taken whole (a
        # name from a file need not parse as "Last, First").
        fields = [("title", "{" + bib_text(article.title) + "}")]
        if article.author:
            fields.append(("author", "{" + bib_text(article.author) + "}"))
        note = "Broadsheet file: " + bib_text(article.path)
        if article.date and article.date.source == "inferred":
            # Never stated as the date: a year the text suggests is said to be one.
            note += "; date inferred from the text: " + bib_text(article.date_label())
        elif article.date:
            fields.append(("date", article.date.iso()))
            fields.append(("year", str(article.date.year)))
        if article.url:
            fields.append(("url", _bib_url(article.url)))
        if article.source:
            fields.append(("journaltitle" if kind == "article" else "organization",
                           bib_text(article.source)))  # fmt: skip
        fields.append(("note", note))
        out.write(f"@{kind}{{broadsheet-{article.id},\n")
        out.write(",\n".join(f"  {name} = {{{value}}}" for name, value in fields))
        out.write("\n}\n\n")
    return count


def export_text(articles: Iterable[Article], form: str) -> tuple[str, int]:
    """The export as one string (for a file written at once), and how many."""
    buffer = io.StringIO(newline="")
    count = write_export(articles, form, buffer)
    return buffer.getvalue(), count
