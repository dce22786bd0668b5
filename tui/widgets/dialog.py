"""The look the reader's dialogs share (help, export, saved searches): a box with a
title and a line of keys, centred over the screen."""

from __future__ import annotations


def dialog_css(screen: str, body: str, width: int, inside: str = "") -> str:
    """CSS for *screen* (a ModalScreen's name) whose box is *body* (a selector of its
    child), *width* columns wide at most; *inside*: rules nested in the box."""
    return f"""
    {screen} {{
        align: center middle;
        & > {body} {{
            width: {width};
            max-width: 100%;
            height: auto;
            max-height: 100%;
            border: round $primary;
            border-title-color: $text-primary;
            border-subtitle-color: $text-muted;
            background: $surface;
            padding: 0 1;
            {inside}
        }}
    }}
    """
