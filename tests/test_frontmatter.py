"""YAML and TOML front matter (issue 11): as Hugo, Jekyll, Zola, Obsidian and web
clippers write it, read in safe mode; a bad block is a warning, never a crash."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.corpus.dates import MAX_YEAR, MIN_YEAR, ArticleDate
from tui.corpus.frontmatter import MAX_BLOCK_CHARS, read_front_matter
from tui.corpus.parse import ParsedText, parse_text

BODY = "The ministers met on Wednesday in Tashkent. They agreed to meet again in spring.\n"


def parse(text: str, path: str = "notes/talks.md") -> ParsedText:
    return parse_text(text, "talks", path=path)


def iso(parsed: ParsedText) -> str | None:
    return parsed.date.iso() if parsed.date else None


# --- the forms people's tools write ------------------------------------------------


def test_hugo_yaml() -> None:
    parsed = parse(
        "---\n"
        'title: "Talks resume: what changed"\n'
        "date: 2024-10-17T09:30:00+05:00\n"
        "lastmod: 2024-10-20\n"
        "draft: false\n"
        "author: Jane Doe\n"
        "tags: [trade, energy]\n"
        "categories:\n  - politics\n"
        "---\n\n" + BODY
    )
    assert parsed.title == "Talks resume: what changed"
    assert parsed.title_source == "front matter"
    # The date as written, in the writer's own time zone (not moved to UTC).
    assert parsed.date == ArticleDate(2024, 10, 17, "stated")
    assert iso(parsed) == "2024-10-17"
    assert parsed.date is not None and parsed.date.precision == "day"
    assert parsed.date_origin == "front matter"
    assert parsed.date_text == "2024-10-17T09:30:00+05:00"
    assert parsed.date_line == 3
    assert parsed.author == "Jane Doe"
    assert parsed.tags == ("trade", "energy", "politics")
    assert parsed.warnings == []
    assert " ".join(parsed.paragraphs).startswith("The ministers met on Wednesday")
    assert not any("title:" in p or "---" in p for p in parsed.paragraphs)


def test_a_late_time_keeps_the_day_the_writer_wrote() -> None:
    parsed = parse("---\ndate: 2024-10-17T23:30:00-08:00\n---\n" + BODY)
    assert iso(parsed) == "2024-10-17"


def test_updated_never_wins_over_the_original_whatever_the_order() -> None:
    for block in (
        "lastmod: 2024-10-20\ndate: 2024-10-17\n",
        "date: 2024-10-17\nlastmod: 2024-10-20\n",
        "updated: 2024-10-20\npublished: 2024-10-17\n",
    ):
        parsed = parse("---\n" + block + "---\n" + BODY)
        assert iso(parsed) == "2024-10-17", block


def test_updated_alone_is_used() -> None:
    parsed = parse("---\ntitle: T\nupdated: 2024-10-20\n---\n" + BODY)
    assert iso(parsed) == "2024-10-20"
    assert parsed.date_origin == "front matter"


def test_jekyll_post_with_date_in_the_file_name() -> None:
    text = "---\nlayout: post\ntitle: Talks resume\ncategories: news politics\n---\n" + BODY
    parsed = parse(text, path="_posts/2024-10-17-talks-resume.md")
    assert parsed.title == "Talks resume"
    assert iso(parsed) == "2024-10-17"
    assert parsed.date_origin == "file name"
    assert parsed.tags == ("news politics",)


def test_obsidian_web_clipper() -> None:
    parsed = parse(
        "---\n"
        'title: "Xi to break travel drought"\n'
        'source: "https://www.example.com/news/world-12345"\n'
        "author:\n"
        '  - "[[Jane Doe]]"\n'
        '  - "[[John Roe|J. Roe]]"\n'
        "published: 2022-09-13\n"
        "created: 2024-10-20\n"
        'description: "A summary"\n'
        "tags:\n"
        '  - "clippings"\n'
        "---\n" + BODY
    )
    assert parsed.title == "Xi to break travel drought"
    # "published" is the page's date; "created" the day it was clipped.
    assert iso(parsed) == "2022-09-13"
    assert parsed.url == "https://www.example.com/news/world-12345"
    assert parsed.source is None
    assert parsed.author == "Jane Doe, J. Roe"
    assert parsed.tags == ("clippings",)


def test_markdownload() -> None:
    parsed = parse(
        "---\n"
        "created: 2024-10-18T10:11:12 (UTC +02:00)\n"
        "tags: []\n"
        "source: https://example.org/2024/10/17/talks\n"
        "author: Jane Doe\n"
        "---\n\n"
        "# Talks resume\n\n" + BODY
    )
    # "created" is the day it was clipped, no date of the article: its address dates it.
    assert iso(parsed) == "2024-10-17"
    assert parsed.date_origin == "page address"
    assert parsed.url == "https://example.org/2024/10/17/talks"
    assert parsed.author == "Jane Doe"
    assert parsed.tags == ()
    assert parsed.title == "Talks resume"


def test_zola_toml() -> None:
    parsed = parse(
        "+++\n"
        'title = "Talks resume"\n'
        "date = 2024-10-17\n"
        "updated = 2024-10-20T08:00:00Z\n"
        "[taxonomies]\n"
        'tags = ["trade"]\n'
        "+++\n" + BODY
    )
    assert parsed.title == "Talks resume"
    assert iso(parsed) == "2024-10-17"
    assert parsed.date_origin == "front matter"
    assert parsed.date_text == "2024-10-17"
    assert parsed.warnings == []
    assert parsed.paragraphs[0].startswith("The ministers met")


def test_hugo_toml_with_offset_datetime_and_authors() -> None:
    parsed = parse(
        "+++\n"
        'title = "Talks"\n'
        "date = 2024-10-17T09:30:00+01:00\n"
        'authors = ["Jane Doe", "John Roe"]\n'
        'keywords = "trade, energy"\n'
        'url = "https://example.com/talks/"\n'
        "+++\n" + BODY
    )
    assert iso(parsed) == "2024-10-17"
    assert parsed.date_text == "2024-10-17T09:30:00+01:00"
    assert parsed.author == "Jane Doe, John Roe"
    assert parsed.tags == ("trade", "energy")
    assert parsed.url == "https://example.com/talks/"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-10-17", "2024-10-17"),
        ('"2024-10-17"', "2024-10-17"),
        ("October 17, 2024", "2024-10-17"),
        ("17 Oct 2024", "2024-10-17"),
        ("2024-10-17 09:30", "2024-10-17"),
        ("2024-10", "2024-10"),
        ("2019", "2019"),
    ],
)
def test_date_values(value: str, expected: str) -> None:
    assert iso(parse(f"---\ndate: {value}\n---\n" + BODY)) == expected


def test_url_and_source_name() -> None:
    parsed = parse(
        "---\nsource: Dawn\npermalink: /2024/10/talks/\nlink: https://dawn.com/talks\n---\n"
        + BODY
    )
    assert parsed.source == "Dawn"
    # A site-relative permalink is no address to open.
    assert parsed.url == "https://dawn.com/talks"


def test_tags_as_a_comma_string_and_hashes() -> None:
    parsed = parse("---\ntags: 'trade, #energy, , trade'\nkeywords: [SCO]\n---\n" + BODY)
    assert parsed.tags == ("trade", "energy", "SCO")


def test_keys_in_any_case_and_leading_blank_line() -> None:
    parsed = parse("\n---\nTitle: Loud\nDate: 2024-10-17\n---\n" + BODY)
    assert parsed.title == "Loud"
    assert iso(parsed) == "2024-10-17"


def test_yaml_closed_with_dots() -> None:
    parsed = parse("---\ntitle: Dots\ndate: 2024-10-17\n...\n" + BODY)
    assert parsed.title == "Dots"
    assert iso(parsed) == "2024-10-17"


def test_empty_and_comment_only_blocks() -> None:
    for text in ("---\n---\n" + BODY, "---\n# nothing here\n---\n" + BODY, "+++\n+++\n" + BODY):
        parsed = parse(text)
        assert parsed.warnings == []
        assert parsed.paragraphs[0].startswith("The ministers met")


def test_multilingual_values() -> None:
    cases = {
        "Переговоры возобновились": "Москва",
        "会谈恢复": "北京",
        "회담 재개": "서울",
        "استئناف المحادثات": "القاهرة",
        "Les négociations reprennent": "Paris",
        "Gespräche in Köln": "Köln",
        "Las conversaciones se reanudan": "Madrid",
    }
    for title, place in cases.items():
        parsed = parse(
            f"---\ntitle: {title}\ndate: 2024-10-17\ntags: [{place}]\n---\n{place} — {BODY}"
        )
        assert parsed.title == title
        assert parsed.tags == (place,)
        assert iso(parsed) == "2024-10-17"


# --- untrusted input -----------------------------------------------------------------


def test_malformed_yaml_is_a_warning_and_the_text_is_kept() -> None:
    parsed = parse('---\ntitle: "unclosed\nauthor: Jane\n---\n' + BODY)
    assert len([w for w in parsed.warnings if "front matter" in w]) == 1
    warning = next(w for w in parsed.warnings if "front matter" in w)
    assert warning.startswith("lines 1–4: YAML front matter could not be read")
    assert "shown as text" in warning
    # The block is shown as text, but never becomes the title.
    assert parsed.paragraphs[:2] == ['title: "unclosed', "author: Jane"]
    assert parsed.title.startswith("The ministers met on Wednesday")
    assert parsed.author is None


@pytest.mark.parametrize(
    ("block", "reason"),
    [
        ("# a comment, then a list\n- a list\n- not a mapping\n", "not a list of keys"),
        ("# a comment, then text\njust words\n", "not a list of keys"),
        ("title: [unclosed\n", "could not be read"),
        ("title: !!python/object/apply:os.system ['echo hacked']\n", "could not be read"),
        ("title: !!python/name:os.system\n", "could not be read"),
        ("a: b: c\n", "could not be read"),
    ],
)
def test_bad_yaml_blocks(block: str, reason: str) -> None:
    parsed = parse("---\n" + block + "---\n" + BODY)
    assert any(reason in warning for warning in parsed.warnings), parsed.warnings
    assert parsed.title.startswith("The ministers met")
    assert any("ministers" in p for p in parsed.paragraphs)


def test_billion_laughs_is_refused() -> None:
    bomb = "---\n" + 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        bomb += f"{level}: &{level} [{','.join(['*' + previous] * 9)}]\n"
    bomb += "title: Bomb\n---\n" + BODY
    parsed = parse(bomb)
    assert any("aliases" in warning for warning in parsed.warnings)
    assert parsed.title != "Bomb"
    assert parsed.title.startswith("The ministers met")


def test_a_huge_block_is_not_read() -> None:
    block = "".join(f"key{i}: {'x' * 60}\n" for i in range(MAX_BLOCK_CHARS // 60 + 10))
    parsed = parse("---\n" + block + "---\n" + BODY)
    assert any("64 KB" in warning for warning in parsed.warnings)
    assert parsed.date is None


def test_huge_numbers_and_deep_nesting_do_not_crash() -> None:
    for block in (
        f"date: {'9' * 5000}\ntitle: Big\n",
        "date: 1e999999\n",
        "title: " + "[" * 5000 + "]" * 5000 + "\n",
        "date: 99999-01-01\n",
        "date: 2024-13-45\n",
        "date: 0001-01-01\n",
    ):
        parsed = parse("---\n" + block + "---\n" + BODY)
        assert parsed.date is None or MIN_YEAR <= parsed.date.year <= MAX_YEAR
        assert any("ministers" in p for p in parsed.paragraphs)


def test_impossible_date_is_a_warning() -> None:
    parsed = parse('---\ntitle: T\ndate: "2024-13-45"\n---\n' + BODY)
    assert parsed.title == "T"
    assert parsed.date is None
    assert any("impossible" in w and w.startswith("line 3") for w in parsed.warnings)


def test_escapes_in_values_are_neutralised() -> None:
    parsed = parse('---\ntitle: "Red \\e[31m alert \\u202e"\nauthor: "A\\x07B"\n---\n' + BODY)
    assert "\x1b" not in parsed.title and "\u202e" not in parsed.title
    assert parsed.title.startswith("Red ␛[31m alert")
    assert parsed.author == "A␇B"


def test_malformed_toml() -> None:
    parsed = parse('+++\ntitle = "unclosed\n+++\n' + BODY)
    assert any("TOML front matter could not be read" in w for w in parsed.warnings)
    assert parsed.title.startswith("The ministers met")


def test_unclosed_block_is_text_with_a_warning() -> None:
    parsed = parse("---\ntitle: Never closed\n\n" + BODY)
    assert any("no closing" in warning for warning in parsed.warnings)
    assert any("ministers" in p for p in parsed.paragraphs)


def test_a_separator_then_prose_is_not_front_matter() -> None:
    parsed = parse("---\n" + BODY + "\n---\n\nMore text follows here.\n")
    assert parsed.warnings == []
    assert parsed.title.startswith("The ministers met")
    assert parsed.paragraphs[-1] == "More text follows here."
    assert parsed.date is None


def test_read_front_matter_returns_none_without_a_block() -> None:
    assert read_front_matter(["Plain text.", "---"], []) is None
    assert read_front_matter([], []) is None
    assert read_front_matter(["---"], []) is None


def test_no_yaml_import_for_files_without_front_matter() -> None:
    code = (
        "import sys\n"
        "from tui.corpus.parse import parse_text\n"
        "parse_text('Title: T\\nDate: 2024-10-17\\n\\nBody text.\\n', 'x', path='x.md')\n"
        "parse_text('+++\\ntitle = \"T\"\\n+++\\nBody.\\n', 'x', path='x.md')\n"
        "assert 'yaml' not in sys.modules, 'yaml imported'\n"
        "parse_text('---\\ntitle: T\\n---\\nBody.\\n', 'x', path='x.md')\n"
        "assert 'yaml' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# --- properties ----------------------------------------------------------------------

_YAMLISH = st.lists(
    st.one_of(
        st.text(max_size=40),
        st.sampled_from(
            ["title: x", "date: 2024-10-17", "date: 1850-01-01", "date: [", "a: &a [1]",
             "b: *a", "tags: [a, b]", "- x", "date = 2024-10-17", "updated: 2099-12-31",
             "date: 2100-01-01", 'author: "\\e"', "date: 20241017", "date: !!binary AAAA"]
        ),
    ),
    max_size=12,
)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["---", "+++"]), _YAMLISH, st.booleans())
def test_any_block_never_raises_and_dates_stay_in_range(
    fence: str, inner: list[str], closed: bool
) -> None:
    lines = [fence, *inner, *([fence] if closed else []), "Body text."]
    warnings: list[str] = []
    matter = read_front_matter(lines, warnings)
    if matter is not None and matter.date is not None:
        assert MIN_YEAR <= matter.date.year <= MAX_YEAR
    parsed = parse_text("\n".join(lines), "x", path="x.md")
    if parsed.date is not None and not parsed.date.inferred:
        assert MIN_YEAR <= parsed.date.year <= MAX_YEAR


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_arbitrary_text_after_a_fence_never_raises(text: str) -> None:
    for fence in ("---\n", "+++\n"):
        matter = read_front_matter((fence + text).split("\n"), [])
        if matter is not None and matter.date is not None:
            assert MIN_YEAR <= matter.date.year <= MAX_YEAR


def test_a_clipping_with_no_page_date_is_not_dated_by_its_clipping_day() -> None:
    parsed = parse(
        "---\n"
        'title: "Harbour vote"\n'
        'source: "https://example.com/harbour-vote"\n'
        "published:\n"
        "created: 2024-05-05\n"
        "tags:\n"
        '  - "clippings"\n'
        "---\n" + BODY
    )
    assert parsed.date is None


def test_a_note_of_ones_own_is_dated_by_created() -> None:
    parsed = parse("---\ntitle: Meeting notes\ncreated: 2024-05-05\n---\n" + BODY)
    assert iso(parsed) == "2024-05-05"
