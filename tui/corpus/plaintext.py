"""An article as plain text: what ``broadsheet --show`` prints and ``p`` pages.

Every field and paragraph was neutralised as the file was read (:mod:`corpus.safe`),
so this text holds no control character but the newline.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from .markdown import Document
    from .model import Article

__all__ = ["write_article"]


def write_article(article: Article, out: TextIO, measure: int = 0) -> None:
    """*article* as ``broadsheet --show`` prints it: its fields, then its text (its
    markdown's blocks, or its paragraphs), wrapped at *measure* columns (0: not)."""
    lines = [
        article.title,
        f"Date:     {article.describe_date()}",
        f"Title:    {article.describe_title()}",
        f"Words:    {article.words} · {article.reading_minutes} min read",
        f"File:     {article.path}",
        f"Id:       {article.id}",
    ]
    if article.source:
        lines.append(f"Source:   {article.source}")
    if article.author:
        lines.append(f"Author:   {article.author}")
    if article.url:
        lines.append(f"URL:      {article.url}")  # whole, on its own line: never wrapped
    if article.tags:
        lines.append(f"Tags:     {', '.join(article.tags)}")
    lines.extend(f"Duplicate: {path}" for path in article.duplicates)
    lines.extend(f"Warning:  {warning}" for warning in article.warnings)
    out.write("\n".join(lines) + "\n")
    document = _markdown_document(article)
    if document is not None:
        for group in document.text_groups():
            out.write("\n")
            for lead, text, wrap in group:
                if wrap and measure:
                    text = textwrap.fill(
                        text,
                        measure,
                        initial_indent=lead,
                        subsequent_indent=" " * len(lead),
                        break_long_words=False,
                        break_on_hyphens=False,
                    )
                else:
                    text = lead + text
                out.write(text + "\n")
        return
    for paragraph in article.paragraphs:
        out.write("\n")
        if measure:
            # An address or a long word stays whole: a reader may copy it.
            paragraph = textwrap.fill(
                paragraph, measure, break_long_words=False, break_on_hyphens=False
            )
        out.write(paragraph + "\n")


def _markdown_document(article: Article) -> Document | None:
    """A markdown article's document, read again from its file (None: print the
    paragraphs as loaded, which it gives as plain text anyway)."""
    if article.markup != "markdown" or article.body_line < 0:
        return None
    from .markdown import document_for
    from .model import read_as_loaded

    return document_for(
        read_as_loaded(article.file_path),
        article.body_line,
        article.title,
        article.title_source,
        expected=article.paragraphs,
    )
