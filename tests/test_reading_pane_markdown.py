"""The reading pane with the pilot: markdown drawn as markdown, links as OSC 8
hyperlinks, metadata lines, the raw view's marks of what cleaning removed, and titles
cut by display width in the list."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.style import Style
from textual.strip import Strip

from tests.app_helpers import make_app, settle
from tui.app import BroadsheetApp
from tui.corpus.state import ReadState
from tui.widgets.glyphs import CONSOLE
from tui.widgets.reading_pane import ReadingPane
from tui.widgets.text_layout import cut_offsets, truncate_cells, wrap_offsets

NOTE = """\
Title: Markdown notes on the SCO
Date: 2024-10-17

# The summit

Leaders met in **Islamabad** for the *SCO* summit.

[A statement](https://example.org/statement) followed; [a trap](javascript:alert(1)) did not.

- Trade corridors
  - CPEC **phase two**
- Security

> A quoted line.

```
def f():
    return 1
```

| Country | GDP (bn) |
|:--|--:|
| Pakistan | 340 |
| China | 17,700 |

Share this
"""


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


LONG_URL = "https://example.org/news/2024/10/17/a-very-long-address-that-goes-on-and-on-to-its-end"


async def _open_with_metadata(app: BroadsheetApp) -> None:
    """Open the first article with an author, a URL and tags, as the header reader
    fills them from ``Author:``/``URL:``/``Tags:`` lines (its own tests cover that)."""
    await app.loaded.wait()
    article = app.corpus.ordered()[0]
    article.author, article.url, article.tags = "Jane Roe", LONG_URL, ("sco", "china")
    app.reader.show(article)


def _rows(reader: ReadingPane) -> list[Strip]:
    return [reader.render_line(y) for y in range(reader.size.height)]


def _text(strip: Strip) -> str:
    return "".join(segment.text for segment in strip).rstrip()


def _segment(strips: list[Strip], text: str) -> Style:
    """The style of the first segment whose text is *text* (blanks aside)."""
    for strip in strips:
        for segment in strip:
            if segment.text.strip() == text and segment.style is not None:
                return segment.style
    raise AssertionError(f"no segment {text!r} in {[_text(s) for s in strips]}")


async def test_markdown_article_renders_as_markdown(tmp_path: Path) -> None:
    _write(tmp_path, "note.md", NOTE)
    app = make_app([str(tmp_path)])
    async with app.run_test(size=(120, 60)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await _open_with_metadata(app)
        await pilot.pause()
        reader = app.reader
        strips = _rows(reader)
        lines = [_text(strip) for strip in strips]
        text = "\n".join(lines)
        # Headings, emphasis and links lose their syntax.
        assert "  The summit" in lines
        assert "**" not in text and "](https" not in text and "```" not in text
        assert _segment(strips, "The summit").bold
        assert _segment(strips, "Islamabad").bold
        assert _segment(strips, "SCO").italic
        # Lists, nested, with bullets; a quote with its bar; code as it was written.
        assert "  • Trade corridors" in lines
        assert "    ◦ CPEC phase two" in lines
        assert "  • Security" in lines
        assert "  ▌ A quoted line." in lines
        assert "  def f():" in lines
        assert "      return 1" in lines  # indentation kept, not wrapped as prose
        # The table's columns are aligned, the numbers right-aligned.
        assert "  Country   GDP (bn)" in lines
        assert "  Pakistan       340" in lines
        assert "  China       17,700" in lines
        assert _segment(strips, "Country   GDP (bn)").bold
        # Boilerplate goes, as in plain text.
        assert "Share this" not in text
        # Metadata lines: author and tags, the URL on its own line, cut, a hyperlink.
        assert "  by Jane Roe · tags: sco, china" in lines
        url_line = next(
            line for line in lines if line.strip().startswith("https://example.org/news")
        )
        assert url_line.endswith("…") and cell_len(url_line) <= reader.size.width


async def test_links_are_osc8_hyperlinks_and_unsafe_ones_are_not(tmp_path: Path) -> None:
    _write(tmp_path, "note.md", NOTE)
    app = make_app([str(tmp_path)])
    async with app.run_test(size=(120, 60)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await _open_with_metadata(app)
        await pilot.pause()
        strips = _rows(app.reader)
        link = _segment(strips, "A statement")
        assert link.link == "https://example.org/statement"
        assert link.underline
        url = next(
            segment.style
            for strip in strips
            for segment in strip
            if segment.text.startswith("https://example.org/news") and segment.style
        )
        assert url.link is not None and url.link.endswith("to-its-end")  # the whole address
        links = {segment.style.link for strip in strips for segment in strip if segment.style} - {
            None
        }
        assert links == {"https://example.org/statement", url.link}
        # What reaches the terminal is an OSC 8 sequence around the link's text.
        rendered = "".join(strip.render(app.console) for strip in strips)
        assert "\x1b]8;id=" in rendered and ";https://example.org/statement\x1b\\" in rendered
        assert "javascript" not in "".join(
            f"{segment.style.link}" for strip in strips for segment in strip if segment.style
        )


async def test_search_matches_are_highlighted_and_jumped_in_markdown(tmp_path: Path) -> None:
    _write(tmp_path, "note.md", NOTE)
    app = make_app([str(tmp_path)], query="corridors OR islamabad")
    async with app.run_test(size=(120, 60)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        reader = app.reader
        assert len(reader._matches) == 2
        await pilot.press("n")
        strips = _rows(reader)
        current = _segment(strips, "Islamabad")
        assert current.bold  # the markdown emphasis stays under the highlight
        assert current.bgcolor is not None
        assert reader.match_index == 0
        await pilot.press("n")
        assert reader.match_index == 1


async def test_a_long_markdown_note_opens_on_its_head_then_completes(tmp_path: Path) -> None:
    sections = [f"## Section {n}\n\nText of *section* {n}, long enough. " * 3 for n in range(400)]
    _write(tmp_path, "long.md", "# Long note\n\n" + "\n\n".join(sections) + "\n\nThe **end**.\n")
    app = make_app([str(tmp_path)])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await settle(pilot)
        reader = app.reader
        assert reader._document is not None and reader._document[1] is not None
        assert not reader._document[1].partial
        await pilot.press("G")
        await pilot.pause()
        lines = [_text(strip) for strip in _rows(reader)]
        assert "  The end." in lines
        assert _segment(_rows(reader), "end").bold


async def test_a_changed_file_falls_back_to_the_loaded_text(tmp_path: Path) -> None:
    path = _write(tmp_path, "note.md", "# Title\n\nOne *two* three.\n")
    app = make_app([str(tmp_path)])
    app.watch_enabled = False  # a reader not following the folder: the file changes under it
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        path.write_text("# Title\n\nSomething *else*.\n", encoding="utf-8")
        await pilot.press("enter")
        await settle(pilot)
        lines = [_text(strip) for strip in _rows(app.reader)]
        assert "  One two three." in lines
        assert not any("else" in line for line in lines)


async def test_raw_view_marks_what_cleaning_removed(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "page.txt",
        "Title: A scraped page\n\nThe article's first paragraph.\n\n\tPowered by Example CMS\n\n"
        "The second paragraph.\n",
    )
    app = make_app([str(tmp_path)])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("r")
        await pilot.pause()
        strips = _rows(app.reader)
        lines = [_text(strip) for strip in strips]
        assert any("struck-through text was removed by cleaning" in line for line in lines)
        marked = next(line for line in lines if "Powered by Example CMS" in line)
        assert marked.endswith("⌫ boilerplate")
        assert marked.startswith("      Powered")  # the tab drawn as four spaces
        removed = _segment(strips, "Powered by Example CMS")  # offsets moved with the tab
        assert removed.strike
        assert _segment(strips, "struck-through text").strike  # the legend shows it
        kept = next(
            segment.style
            for strip in strips
            for segment in strip
            if "second paragraph" in segment.text and segment.style
        )
        assert not kept.strike


async def test_console_glyphs_are_ascii(tmp_path: Path) -> None:
    _write(tmp_path, "note.md", NOTE + "\nPowered by Example CMS\n")
    app = BroadsheetApp([str(tmp_path)], state=ReadState.open(enabled=False), glyphs=CONSOLE)
    async with app.run_test(size=(120, 60)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        lines = [_text(strip) for strip in _rows(app.reader)]
        assert "  * Trade corridors" in lines
        assert "    - CPEC phase two" in lines
        assert "  | A quoted line." in lines
        await pilot.press("r")
        await pilot.pause()
        lines = [_text(strip) for strip in _rows(app.reader)]
        assert any(line.endswith("x boilerplate") for line in lines)
        assert not any("⌫" in line or "•" in line for line in lines)


async def test_wide_titles_are_cut_by_display_width_in_the_list(tmp_path: Path) -> None:
    cjk = "上海合作组织峰会在伊斯兰堡举行" * 6
    emoji = "🚀 Launch " * 20
    _write(tmp_path, "a.txt", f"Title: {cjk}\nDate: 2024-10-17\n\nBody one.\n")
    _write(tmp_path, "b.txt", f"Title: {emoji}\nDate: 2024-10-16\n\nBody two.\n")
    _write(tmp_path, "c.txt", f"Title: x{cjk}\nDate: 2024-10-15\n\nBody three.\n")
    app = make_app([str(tmp_path)])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        article_list = app.article_list
        width = article_list.scrollable_content_region.width
        for y in range(3):
            strip = article_list.render_line(y)
            assert strip.cell_length == width
            text = "".join(segment.text for segment in strip)
            assert cell_len(text) == width  # never one cell too wide, never a split character
            assert "…" in text
        # A title of odd parity ("x" + wide characters) still fits exactly.
        row = "".join(segment.text for segment in article_list.render_line(2)).rstrip()
        assert row.endswith("…") and cell_len(row) <= width
        assert cell_len(app.corpus.ordered()[0].title) <= 150


_WIDE = st.lists(
    st.sampled_from(["a", " ", "中", "文", "😀", "❤️", "👨‍👩‍👧", "é", "e\u0301", "🇵🇰", "\u200d"]),
    max_size=60,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(_WIDE, st.integers(min_value=2, max_value=40))
def test_cuts_and_wraps_never_overflow_their_width(text: str, width: int) -> None:
    cut = truncate_cells(text, width)
    assert cell_len(cut) <= width
    assert cut == text or (cut.endswith("…") and text.startswith(cut[:-1]))
    for start, end in wrap_offsets(text, width):
        piece = text[start:end]
        # A piece wider than the line is only ever a single grapheme wider than it.
        assert cell_len(piece) <= width or len(piece) <= 8
    for start, end in cut_offsets(text, width):
        assert cell_len(text[start:end]) <= width or end - start <= 8
    assert "".join(text[s:e] for s, e in cut_offsets(text, width)) == text


NASTY = {
    "nested.md": "".join("  " * depth + "- level\n" for depth in range(40)),
    "quotes.md": "> " * 30 + "deep quote **bold**\n",
    "wide_table.md": "| "
    + " | ".join(f"column {n}" for n in range(30))
    + " |\n"
    + "|"
    + "---|" * 30
    + "\n"
    + "| "
    + " | ".join("中文" * 5 for _ in range(30))
    + " |\n",
    "empty_code.md": "```\n```\n\n```\n\n\n```\n\n    \n",
    "long_code.md": "```\n" + "x = '" + "中" * 300 + "'\n```\n",
    "links.md": "[a](https://e.org/"
    + "x" * 3000
    + ") [b](<https://e.org/a b>) [c]: https://e.org\n",
    "controls.md": "# \x1b[31mred\x1b[0m \u202eevil\n\n*\x07bell* `\x01`\n",
    "emphasis.md": "*" * 500 + "a" + "_" * 500 + "\n\n" + "[" * 200 + "x" + "]" * 200 + "\n",
    "html.md": "<script>alert(1)</script>\n\n<div>**bold**</div>\n\n<https://e.org>\n",
}


async def test_nasty_markdown_never_breaks_the_pane(tmp_path: Path) -> None:
    for name, text in NASTY.items():
        _write(tmp_path, name, text)
    app = make_app([str(tmp_path)])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        reader = app.reader
        width = reader.scrollable_content_region.width
        articles = app.corpus.ordered()
        assert len(articles) == len(NASTY)
        for article in articles:
            reader.show(article)
            await app.workers.wait_for_complete()
            for y in range(len(reader._lines)):
                strip = reader.render_line(y - round(reader.scroll_offset.y))
                assert strip.cell_length == width
                text = "".join(segment.text for segment in strip)
                assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
                for segment in strip:
                    assert segment.style is not None  # NO_COLOR's filter needs one
                    link = segment.style.link
                    assert link is None or link.startswith("https://")


def test_a_run_that_starts_with_joiners_wraps_within_its_width() -> None:
    """Rich gives "\u200d\u200da" no width as a grapheme but one cell as text (found by the
    property above): the wrap must measure what is drawn."""
    text = "\u200d\u200daaaaaaa"
    pieces = [text[start:end] for start, end in wrap_offsets(text, 6)]
    assert all(cell_len(piece) <= 6 for piece in pieces)
    assert "".join(pieces) == text


async def test_the_rest_of_a_code_line_too_wide_is_marked(tmp_path: Path) -> None:
    # It went on at the left edge with no mark, and read as a line of its own.
    long = "  name: " + "web-frontend-production-deployment-" * 4 + "end"
    _write(tmp_path, "deploy.md", f"The config:\n\n```yaml\nservice:\n{long}\n  replicas: 3\n```\n")
    app = BroadsheetApp([str(tmp_path)], state=ReadState.open(enabled=False))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        lines = [_text(strip).rstrip() for strip in _rows(app.reader)]
        first = next(number for number, line in enumerate(lines) if "name: web" in line)
        assert lines[first].startswith("    name: web-frontend")
        assert lines[first + 1].startswith("  ↪ ")
        shown = lines[first].strip() + "".join(
            line.strip().removeprefix("↪ ") for line in lines[first + 1 :] if "↪" in line
        )
        assert shown == long.strip()
