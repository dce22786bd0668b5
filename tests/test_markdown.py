"""Markdown as plain data (tui.corpus.markdown), markdown files through parse_text, and
titles cut by display width."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from tui.corpus import read_article, read_raw
from tui.corpus.markdown import (
    Block,
    Document,
    body_head,
    document_for,
    inline_text,
    needs_markdown,
    parse_markdown,
    read_document,
    safe_link,
    table_lines,
)
from tui.corpus.parse import TITLE_LIMIT, cut_title, parse_text
from tui.corpus.safe import is_safe, neutralise

NOTE = """\
# The summit

Leaders met in **Islamabad** for the *SCO* summit, ~~not~~ with
[a statement](https://example.org/statement) and `code`.

- Trade corridors
  - CPEC **phase two**
- Security

3. Third
4. Fourth

> A quoted line.

```python
def f():
\treturn 1
```

| Country | GDP (bn) |
|:--|--:|
| Pakistan | 340 |
| 中国 | 17,700 |

---

![a map](map.png)
"""


def _kinds(document: Document) -> list[str]:
    return [block.kind for block in document.blocks]


def _styled(block: Block, style: str) -> list[str]:
    return [block.text[s.start : s.end] for s in block.spans if s.style == style]


def test_blocks_keep_the_structure() -> None:
    document = parse_markdown(NOTE)
    assert _kinds(document) == [
        "heading", "paragraph", "paragraph", "paragraph", "paragraph", "paragraph",
        "paragraph", "paragraph", "code", "table", "rule", "paragraph",
    ]  # fmt: skip
    heading, prose, item1, item2, item3, third, fourth, quote, code, table, _rule, image = (
        document.blocks
    )
    assert (heading.text, heading.level) == ("The summit", 1)
    assert prose.text == (
        "Leaders met in Islamabad for the SCO summit, not with a statement and code."
    )
    assert _styled(prose, "strong") == ["Islamabad"]
    assert _styled(prose, "em") == ["SCO"]
    assert _styled(prose, "strike") == ["not"]
    assert _styled(prose, "code") == ["code"]
    links = [s for s in prose.spans if s.style == "link"]
    assert [(prose.text[s.start : s.end], s.link) for s in links] == [
        ("a statement", "https://example.org/statement")
    ]
    assert (item1.marker, item1.depth, item1.text) == ("-", 1, "Trade corridors")
    assert (item2.marker, item2.depth, _styled(item2, "strong")) == ("-", 2, ["phase two"])
    assert (item3.marker, item3.depth) == ("-", 1)
    assert (third.marker, fourth.marker) == ("3.", "4.")
    assert (quote.quote, quote.text) == (1, "A quoted line.")
    assert code.language == "python"
    assert code.text == "def f():\n    return 1"  # lines and indentation kept
    assert table.rows == (("Country", "GDP (bn)"), ("Pakistan", "340"), ("中国", "17,700"))
    assert table.aligns == ("left", "right")
    assert _styled(image, "image") == ["a map"]


def test_plain_paragraphs_have_no_markdown_left() -> None:
    paragraphs = parse_markdown(NOTE).paragraphs()
    assert paragraphs == [
        "The summit",
        "Leaders met in Islamabad for the SCO summit, not with a statement and code.",
        "- Trade corridors",
        "- CPEC phase two",
        "- Security",
        "3. Third",
        "4. Fourth",
        "A quoted line.",
        "def f():",
        "return 1",
        "Country   GDP (bn)",
        "Pakistan       340",
        "中国        17,700",
        "a map",
    ]
    for paragraph in paragraphs:
        assert "**" not in paragraph and "](" not in paragraph and "`" not in paragraph
        assert "\n" not in paragraph and "\t" not in paragraph


def test_table_columns_are_padded_to_display_width_and_cut_to_fit() -> None:
    table = parse_markdown("| a | b |\n|---|:-:|\n| 中文字 | x |\n| yy | long cell text |\n")
    table_block = table.blocks[0]
    lines = table_lines(table_block)
    assert lines[1] == "中文字" + " " * 8 + "x" + " " * 7  # gap 2, "x" centred in 14
    assert len({cell_len(line) for line in lines}) == 1  # every row equally wide
    narrow = table_lines(table_block, 12)
    assert all(cell_len(line) <= 12 for line in narrow)
    assert any(line.endswith("…") or "…" in line for line in narrow)


def test_unsafe_links_are_not_clickable() -> None:
    document = parse_markdown(
        "[js](javascript:alert(1)) [data](data:text/html,x) [rel](page.md)"
        " [ok](https://example.org) [mail](mailto:a@example.org) <http://auto.example.org>"
    )
    links = {
        document.blocks[0].text[s.start : s.end]: s.link
        for s in document.blocks[0].spans
        if s.style == "link"
    }
    assert links["ok"] == "https://example.org"
    assert links["mail"] == "mailto:a@example.org"
    assert links["http://auto.example.org"] == "http://auto.example.org"
    assert links.get("rel") is None
    assert "js" not in links or links["js"] is None
    assert all(
        link is None or not link.startswith(("javascript", "data")) for link in links.values()
    )
    assert safe_link("https://example.org/\x1b]8;;evil") is None
    assert safe_link("https://example.org/a b") is None
    assert safe_link("HTTPS://EXAMPLE.ORG") == "HTTPS://EXAMPLE.ORG"
    assert safe_link("javascript:alert(1)") is None
    assert safe_link("file:///etc/passwd") is None


def test_html_and_controls_are_text_never_markup() -> None:
    document = parse_markdown("<b>bold</b> \x1b[31mred\x1b[0m &#27; [x](https://e.org/\x1b)")
    text = document.blocks[0].text
    assert text.startswith("bold ") and "<b>" not in text  # a tag is dropped, never drawn
    assert is_safe(text)
    assert "\x1b" not in text
    for span in document.blocks[0].spans:
        assert span.link is None or is_safe(span.link)


def test_hard_breaks_stay_in_the_block_not_the_paragraph() -> None:
    document = parse_markdown("first line  \nsecond line\n")
    assert document.blocks[0].text == "first line\nsecond line"
    assert document.paragraphs() == ["first line second line"]


def test_cleaning_drops_boilerplate_and_the_repeated_title() -> None:
    document = read_document("# Summit\n\nShare this\n\nBody text.\n\nBody text.\n", "Summit")
    assert document.paragraphs() == ["Body text."]


def test_needs_markdown() -> None:
    assert not needs_markdown("Plain prose, with commas. And 2,000 jobs.\nAnother line.")
    for syntax in ("a *b*", "`c`", "[l](u)", "# h", "- item", "1. one", "> q", "    code"):
        assert needs_markdown(syntax), syntax


def test_inline_text() -> None:
    assert inline_text("**Bold** and _it_ [link](https://e.org)") == "Bold and it link"
    assert inline_text("Plain title") == "Plain title"


def test_body_head_cuts_at_a_block_boundary_outside_code() -> None:
    assert body_head("short", 100) is None
    fence = "```\n" + "code\n\n" * 30 + "```\n\n"
    body = "para one\n\n" + fence + "after the fence\n\n" + "more text\n\n" * 30
    head = body_head(body, 100)  # inside the fence: the cut waits for its end
    assert head is not None
    assert head.count("```") == 2
    assert head.startswith("para one") and body.startswith(head)


# --- markdown files through parse_text ---------------------------------------------


def test_parse_text_gives_clean_paragraphs_for_markdown(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text("Date: 2024-10-17\n\n" + NOTE, encoding="utf-8")
    parsed = parse_text(path.read_text(encoding="utf-8"), "note", path=str(path))
    assert parsed.markup == "markdown"
    assert parsed.title == "The summit"
    assert parsed.title_source == "headline"
    assert parsed.paragraphs[0].startswith("Leaders met in Islamabad for the SCO summit")
    assert "Country   GDP (bn)" in parsed.paragraphs
    assert parsed.body_line == 2
    article = read_article(str(path))
    assert not isinstance(article, Exception) and hasattr(article, "body_line")
    # The reading pane parses the file again and finds the same paragraphs.
    document = document_for(
        read_raw(str(path)),
        article.body_line,
        article.title,
        article.title_source,
        expected=article.paragraphs,
    )
    assert document is not None
    assert document.blocks[0].kind == "paragraph"  # the headline is the title, not the body
    # Words by spaces, plus one per Han character (中国 in the table: see count_cjk_words).
    assert article.words == sum(len(p.split()) for p in article.paragraphs) + 2


def test_markdown_without_syntax_takes_the_plain_path() -> None:
    text = "*2024-10-17*\n\n# Headline here\n\nPlain body text here.\nMore text.\n\nShare this\n"
    parsed = parse_text(text, "x", path="x.md")
    assert parsed.body_line == -1  # nothing to parse as markdown
    assert parsed.paragraphs == ["Plain body text here. More text."]
    assert parsed.title == "Headline here"


def test_a_markdown_headline_title_is_plain_text() -> None:
    parsed = parse_text("# **Bold** headline\n\nBody with *emphasis* here.\n", "x", path="x.md")
    assert parsed.title == "Bold headline"
    assert parsed.paragraphs == ["Body with emphasis here."]


def test_a_changed_file_gives_no_document(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text("# Title\n\nOne *two* three.\n", encoding="utf-8")
    article = read_article(str(path))
    assert not isinstance(article, Exception) and hasattr(article, "body_line")
    path.write_text("# Title\n\nSomething *else* entirely.\n", encoding="utf-8")
    raw = read_raw(str(path))
    assert (
        document_for(
            raw, article.body_line, article.title, article.title_source, article.paragraphs
        )
        is None
    )


def test_text_files_are_never_markdown() -> None:
    parsed = parse_text("Title: A\n\nSome *stars* and [brackets](x).\n", "a", path="a.txt")
    assert parsed.markup == "text" and parsed.body_line == -1
    assert parsed.paragraphs == ["Some *stars* and [brackets](x)."]


# --- titles by display width -----------------------------------------------------


def test_cut_title_measures_cells_not_characters() -> None:
    cjk = "上海合作组织峰会" * 20
    title = cut_title(cjk)
    assert title.endswith("…")
    assert cell_len(title) <= TITLE_LIMIT
    assert cell_len(title) >= TITLE_LIMIT - 2  # a wide character is never split
    assert cjk.startswith(title[:-1])
    emoji = "🇵🇰🚀" * 50
    assert cell_len(cut_title(emoji)) <= TITLE_LIMIT
    short = "上海合作组织"
    assert cut_title(short) == short
    # Latin text keeps its word-boundary cut.
    words = cut_title("word " * 50)
    assert words.endswith("word…") and len(words) <= TITLE_LIMIT


@given(st.text(max_size=300), st.integers(min_value=4, max_value=160))
def test_cut_title_never_exceeds_its_width(text: str, limit: int) -> None:
    title = cut_title(text, limit)
    assert cell_len(title) <= max(limit, cell_len(text.strip()) if title == text.strip() else 0)
    if title != text.strip():
        assert title.endswith("…")
        assert cell_len(title) <= limit


# --- properties ------------------------------------------------------------------

_MARKDOWN_BITS = st.sampled_from(
    [
        "*", "**", "_", "`", "```", "~~", "[", "]", "(", ")", "<", ">", "#", "- ", "1. ",
        "|", "---", "\n", "\n\n", "    ", "\t", "\\", "&amp;", "&#27;", "\x1b", "\u202e",
        "javascript:", "https://e.org", "中文", "😀", " ", "word", "![", "\r",
    ]
)  # fmt: skip
_MARKDOWN = st.lists(_MARKDOWN_BITS | st.text(max_size=8), max_size=60).map("".join)


@settings(max_examples=300, deadline=None)
@given(_MARKDOWN)
def test_any_markdown_parses_to_safe_consistent_blocks(source: str) -> None:
    document = parse_markdown(source)
    for block in document.blocks:
        assert is_safe(block.text)
        for span in block.spans:
            assert 0 <= span.start < span.end <= len(block.text)
            if span.link is not None:
                assert span.link.lower().startswith(("http://", "https://", "mailto:"))
                assert is_safe(span.link) and " " not in span.link
        for row in block.rows:
            assert all(is_safe(cell) for cell in row)
    for paragraph in document.paragraphs():
        assert paragraph and is_safe(paragraph)
        assert "\n" not in paragraph and "\t" not in paragraph


@settings(max_examples=150, deadline=None)
@given(_MARKDOWN)
def test_markdown_files_parse_and_are_found_again(source: str) -> None:
    source = source.replace("\r\n", "\n").replace("\r", "\n")  # as files.py decodes it
    parsed = parse_text(source, "x", path="x.md")
    assert all(is_safe(paragraph) and "\n" not in paragraph for paragraph in parsed.paragraphs)
    if parsed.body_line >= 0:
        # What the reading pane rebuilds from the same text is what was loaded.
        document = document_for(
            neutralise(source),
            parsed.body_line,
            parsed.title,
            parsed.title_source,
            expected=[p.replace("\t", " ") for p in parsed.paragraphs],
        )
        assert document is not None


def test_show_prints_markdown_as_clean_text(tmp_path: Path) -> None:
    import dataclasses
    import io

    from tui.__main__ import show_article

    path = tmp_path / "note.md"
    path.write_text(
        "Title: Notes\nAuthor: Jane Roe\nURL: https://example.org/a\nTags: sco, china\n\n" + NOTE,
        encoding="utf-8",
    )
    loaded = read_article(str(path))
    assert not isinstance(loaded, Exception) and hasattr(loaded, "body_line")
    # The metadata as the header reader fills it (built here: that is its own test).
    article = dataclasses.replace(
        loaded, author="Jane Roe", url="https://example.org/a", tags=("sco", "china")
    )
    out = io.StringIO()
    show_article(article, out)
    text = out.getvalue()
    assert "**" not in text and "](" not in text and "```" not in text
    # A list's items, a table's rows and a code block's lines sit on consecutive lines.
    assert "- Trade corridors\n  - CPEC phase two\n- Security\n" in text
    assert "def f():\n    return 1\n" in text
    assert "Country   GDP (bn)\nPakistan       340\n中国        17,700\n" in text
    assert "\n> A quoted line.\n" in text
    assert "Author:   Jane Roe\nURL:      https://example.org/a\nTags:     sco, china\n" in text


def test_boilerplate_sentences_go_from_plain_blocks() -> None:
    document = read_document("A real sentence here. Share this article on Facebook.\n", None)
    assert document.paragraphs() == ["A real sentence here."]


def test_search_finds_markdown_text_and_not_its_syntax(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tui.__main__ import main

    (tmp_path / "note.md").write_text("Date: 2024-10-17\n\n" + NOTE, encoding="utf-8")
    assert main(["--list", "--json", "--query", '"phase two"', str(tmp_path)]) == 0
    found = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [item["title"] for item in found] == ["The summit"]
    for query in ("Pakistan", "statement", "corridors"):
        assert main(["--list", "--json", "--query", query, str(tmp_path)]) == 0
        assert len(capsys.readouterr().out.splitlines()) == 1, query
    # The link's address is not part of the text.
    assert main(["--list", "--json", "--query", "example", str(tmp_path)]) == 0
    assert capsys.readouterr().out == ""


def test_front_matter_title_is_plain_and_not_repeated_in_the_body() -> None:
    text = (
        '---\ntitle: "Summit: what **changed**"\ndate: 2024-10-17\n---\n\n'
        "# Summit: what **changed**\n\nLeaders met in **Islamabad**.\n\n- one\n- two\n"
    )
    parsed = parse_text(text, "summit", path="notes/summit.md")
    assert parsed.title == "Summit: what changed"
    assert parsed.paragraphs == ["Leaders met in Islamabad.", "- one", "- two"]
    assert parsed.body_line >= 4  # the body starts after the front matter
    document = document_for(
        text, parsed.body_line, parsed.title, parsed.title_source, parsed.paragraphs
    )
    assert document is not None and document.blocks[0].text == "Leaders met in Islamabad."


CODE_AND_BRACKETS = """Generic containers look like `std::vector<std::string>` and `List<Integer>`.

```cpp
template <typename T>
bool less(const T& a, const T& b) { return a<b && b>a; }
```

In HTML you escape ampersands as `&amp;`; compare a<b in prose.

```html
<p class="intro">Tom &amp; Jerry</p>
```

| Step | Do |
|---|---|
| Freeze | Announce in #releases<br>Lock the branch |

Tom &amp; Jerry<br>met <em>again</em>.
"""


def test_code_and_angle_brackets_are_kept_and_only_tags_go() -> None:
    # Every tag-like run was stripped before markdown-it saw the text: code lost
    # "<std::string>", "a<b && b>a" became "aa", and "&amp;" in code became "&".
    from tui.corpus.parse import parse_text

    parsed = parse_text(CODE_AND_BRACKETS, path="notes/cpp.md")
    text = "\n".join(parsed.paragraphs)
    assert "std::vector<std::string>" in text and "List<Integer>" in text
    assert "template <typename T>" in text
    assert "return a<b && b>a;" in text
    assert "escape ampersands as &amp;;" in text  # code, as written
    assert "compare a<b in prose" in text  # ("a<b and c>d" is a tag, as CommonMark reads it)
    assert '<p class="intro">Tom &amp; Jerry</p>' in text  # a code block, as written
    assert "Announce in #releases Lock the branch" in text  # <br> in a cell: one cell
    assert "Tom & Jerry met again." in text  # an entity read, the tags dropped
    last = parse_markdown(CODE_AND_BRACKETS).blocks[-1]
    assert last.text == "Tom & Jerry\nmet again."  # <br>: a line break where it is drawn


def test_a_repaired_note_is_drawn_as_markdown(tmp_path: Path) -> None:
    # Read again without the repair, its paragraphs differed from the loaded ones, and
    # the pane drew them as plain text: code lost its indentation, lists their marks.
    from tui.corpus.files import Skipped
    from tui.corpus.markdown import document_for
    from tui.corpus.model import read_article, read_as_loaded

    path = tmp_path / "cafe.md"
    path.write_text(
        "We met at the cafÃ© near the station. The **espresso** was great.\n\n"
        "```python\ndef main():\n    print(\"hello\")\n```\n\n- item one\n- item two\n",
        encoding="utf-8",
    )
    article = read_article(str(path))
    assert not isinstance(article, Skipped) and "café" in article.text
    document = document_for(
        read_as_loaded(article.file_path), article.body_line, article.title,
        article.title_source, expected=article.paragraphs,
    )  # fmt: skip
    assert document is not None
    assert [block.kind for block in document.blocks][-3:] == ["code", "paragraph", "paragraph"]
    assert document.blocks[-3].text == 'def main():\n    print("hello")'


def test_footnotes_are_kept_with_their_labels() -> None:
    # "[^1]: Ibid." was read as a link reference's definition by CommonMark: gone.
    document = parse_markdown(
        "Aldus Manutius[^1] printed it in 1494, the source says[^src].\n\n"
        "[^1]: Ibid.\n[^src]: https://example.com/source\n"
    )
    assert document.paragraphs() == [
        "Aldus Manutius[1] printed it in 1494, the source says[src].",
        "[1] Ibid.",
        "[src] https://example.com/source",
    ]


def test_show_prints_a_links_address_after_its_text() -> None:
    # --show printed "the statement" alone: a reading list printed lost its sources.
    document = parse_markdown(
        "See [the statement](https://example.org/s) and <https://example.org/a>.\n\n"
        "- [item](https://x.org/i)\n"
    )
    assert document.text_groups() == [
        [("", "See the statement <https://example.org/s> and https://example.org/a.", True)],
        [("- ", "item <https://x.org/i>", True)],
    ]
    # Search still sees the text alone (an address is not searchable).
    assert document.paragraphs()[0] == "See the statement and https://example.org/a."
