"""Cleaning a body: what is removed (boilerplate, separators, repeats, HTML markup), at
the granularity it occurs, and the report of it that the raw view shows."""

from __future__ import annotations

from tui.corpus.clean import RemovedSpan, removed_spans


def removed(text: str) -> list[tuple[str, str]]:
    """Each removed span as (its text, its reason)."""
    lines = text.split("\n")
    return [(lines[s.line][s.start : s.end], s.reason) for s in removed_spans(text)]


# --- removed_spans ----------------------------------------------------------------


def test_removed_spans_name_each_removal_with_its_reason() -> None:
    text = (
        "Share this\n"
        "The minister   said so on Tuesday.\n"
        "-----\n"
        "The minister said so on Tuesday.\n"
        "All rights reserved."
    )
    assert removed_spans(text) == [
        RemovedSpan(0, 0, 10, "boilerplate"),
        RemovedSpan(2, 0, 5, "separator"),
        RemovedSpan(3, 0, 32, "repeated line"),
        RemovedSpan(4, 0, 20, "boilerplate"),
    ]


def test_removed_spans_skip_the_header_block() -> None:
    text = "Title: Share this\nDate: 2024-01-02\n\nShare this\nThe talks went on.\n"
    assert removed_spans(text) == [RemovedSpan(3, 0, 10, "boilerplate")]


def test_removed_spans_of_a_clean_text_are_none() -> None:
    assert removed_spans("Prices rose.\n\nThe bank held its rate.\n") == []
    assert removed_spans("") == []


def test_removed_spans_report_html_markup_in_raw_offsets() -> None:
    text = "<p>Advertisement</p><p>Real &amp; text</p> <b>bold</b>\n<script>\nvar a;\n</script>end"
    assert removed(text) == [
        ("<p>", "HTML markup"),
        ("Advertisement", "boilerplate"),
        ("</p><p>", "HTML markup"),
        ("</p>", "HTML markup"),
        ("<b>", "HTML markup"),
        ("</b>", "HTML markup"),
        ("<script>", "HTML markup"),
        ("var a;", "HTML markup"),
        ("</script>", "HTML markup"),
    ]


def test_removed_spans_map_back_through_tidied_spaces_and_entities() -> None:
    # Runs of blanks are collapsed and entities unescaped before cleaning; the spans
    # still point at the raw text.
    text = "Body text here.\n\n  Share\u00a0\u00a0this   \nA&amp;B said &#8364;5.\nA&B said €5."
    assert removed(text) == [
        ("Share\u00a0\u00a0this", "boilerplate"),
        ("A&B said €5.", "repeated line"),
    ]
