"""What the reader's text fields share."""

from __future__ import annotations

from textual.widgets import Input


def replace_text(field: Input, text: str) -> None:
    """Put *text* in *field* for the user to go on typing, the cursor at its end (as a
    shell's history does). Input keeps the cursor where it was: after ``u`` brought a
    query back into the emptied field, the next key typed landed before the query."""
    field.value = text
    field.cursor_position = len(text)
