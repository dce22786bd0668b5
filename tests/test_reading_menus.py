"""The menus a scraped page's text opens with: folded into one line in the reading
pane (z shows them), and passed over by the snippet's opening."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.corpus.query import parse_query
from tui.corpus.snippets import MENU_PARAGRAPHS, menus_before_text, prose_start, snippet

from .app_helpers import make_app, reader_lines, settle, wait_until

pytestmark = pytest.mark.usefixtures("in_repo")

SCRAPED = "tests/data/scraped"
PROSE = "The harbour ferry sailed again on Sunday morning after four months in dry dock."


@pytest.mark.parametrize(
    ("short", "folded"), [(MENU_PARAGRAPHS - 1, 0), (MENU_PARAGRAPHS, MENU_PARAGRAPHS), (20, 20)]
)
def test_a_run_of_short_paragraphs_before_prose_is_menus(short: int, folded: int) -> None:
    paragraphs = [f"Menu {number}" for number in range(short)] + [PROSE, "Short after."]
    assert menus_before_text(paragraphs) == folded


def test_no_paragraph_of_prose_folds_nothing() -> None:
    assert menus_before_text([f"Line {number}" for number in range(30)]) == 0


async def test_the_menus_are_folded_and_z_shows_and_folds_them() -> None:
    app = make_app([SCRAPED])
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        shown = reader_lines(app)
        assert any("short paragraphs before the text" in line for line in shown)
        assert "Sports" not in shown and "Classifieds" not in shown
        assert any(line.startswith("The harbour ferry sailed") for line in shown)
        await pilot.press("z")
        shown = reader_lines(app)
        assert "Sports" in shown and "Classifieds" in shown
        assert not any("short paragraphs before the text" in line for line in shown)
        await pilot.press("z")
        assert "Sports" not in reader_lines(app)


async def test_a_match_among_the_menus_shows_them() -> None:
    app = make_app([SCRAPED], query="classifieds")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert "Classifieds" in reader_lines(app)
        await pilot.press("n")
        assert app.reader.match_index == 0  # the match is there to go to


async def test_an_article_of_prose_folds_nothing() -> None:
    app = make_app()  # the seeds
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert not any("short paragraphs before the text" in line for line in reader_lines(app))


MENUS = ["News", "Sports", "Opinion", "Obituaries", "Business", "Lifestyle", "Calendar", "Jobs"]


@pytest.mark.parametrize(
    "opening",
    [
        # A short interview: questions and answers end as sentences do.
        ["Coffee or tea?", "Tea, always.", "Morning or night?", "Morning.", "Favourite street?",
         "Harbour Road.", "Last book you read?", "Middlemarch."],
        ['"Are you coming?"', '"No."', '"Why not?"', '"You know why."', '"Because of Tom?"',
         '"Because of everything."', '"That\'s not an answer."', '"It\'s the only one I have."'],
        ["- Income tax threshold up 5%", "- Fuel duty frozen", "- Child benefit up £2 a week",
         "- Pension triple lock kept", "- Alcohol duty up 3%", "- Tobacco duty up 10%",
         "- Stamp duty unchanged", "- VAT unchanged"],
        ["Party Seats Change", "Labour 412 +211", "Conservative 121 -244",
         "Liberal Democrat 72 +64", "SNP 9 -39", "Reform 5 +5", "Green 4 +3",
         "Plaid Cymru 4 +2", "Independent 6 +6"],
        # Full sentences of Chinese: short in characters, not in the cells they fill.
        ["一月一日，东京数十万民众聚集在明治神宫参拜，祈求新的一年平安顺利。",
         "今年参拜人数比去年增加了约百分之二十，为疫情以来最多的一年。",
         "警方在神宫周边部署了大量警力，以维持现场秩序和交通安全。",
         "许多外国游客也加入了参拜的队伍，体验日本传统的新年习俗。",
         "神宫附近的商店从早上开始就排起了长队，售卖护身符和新年饰品。",
         "据气象部门预报，今年元旦东京天气晴朗，气温比往年略高。",
         "一些家庭选择在家中观看电视直播，与亲人共度新年。",
         "东京都知事在新年致辞中表示，将继续推进城市的防灾和环境建设。"],
    ],
    ids=["questions", "dialogue", "list", "table", "chinese"],
)  # fmt: skip
def test_an_article_that_opens_with_short_lines_of_its_own_folds_nothing(
    opening: list[str],
) -> None:
    assert menus_before_text(["2024-03-05", *opening, PROSE]) == 0


def test_a_sentence_broken_at_its_links_is_not_folded_with_the_menus() -> None:
    # stackoverflow.com: the text shown began ", indicating that…".
    sentence = [
        "Rust has been",
        "Stack Overflow's most loved language for four years in a row",
        ", indicating that many of those who have had the opportunity to use Rust love it.",
    ]
    assert menus_before_text([*MENUS, *sentence]) == len(MENUS)
    # ihrwebprofi.at: a link's text inside the sentence, twice.
    sentence = [
        "Beim",
        "ContentAward.at",
        ", der vom",
        "ZIT — Technologieagentur der Stadt Wien",
        "zur Förderung der Wiener Content- und Medienszene durchgeführt wird, gibt es heuer "
        "erstmals ein Online-Voting.",
    ]
    assert menus_before_text([*MENUS, "Kommentar hinzufügen", *sentence]) == len(MENUS) + 1
    # The sentence's earlier part asks for more ("–"): it alone is the text above.
    sentence = ["Naturkosmetik –", "die gesündere Alternative?", PROSE]
    assert menus_before_text([*MENUS, "Kommentare 8", *sentence]) == len(MENUS) + 1


def test_short_sentences_just_above_the_prose_are_text_those_among_menus_are_not() -> None:
    # jovelstefan.de: two short sentences opened the post.
    above = ["Lobo says one should blog more on one's own blog.", "I'll try it out."]
    assert menus_before_text([*MENUS, "Parken in Paris", *above, PROSE]) == len(MENUS) + 1
    # A sentence among the menus (a prompt, a slogan) is theirs: all of them fold.
    menus = [*MENUS[:4], "Lost your password?", *MENUS[4:], "Search..."]
    assert menus_before_text([*menus, PROSE]) == len(menus)


def test_the_date_line_under_the_headline_is_not_counted_as_a_menu() -> None:
    # The parser keeps the line the date was read from as the body's first paragraph.
    paragraphs = ["March 3, 2024", *MENUS[:7], PROSE]
    assert menus_before_text(paragraphs) == 8
    assert menus_before_text(paragraphs, dateline="March 3, 2024") == 0
    assert menus_before_text(["March 3, 2024", *MENUS, PROSE], "March 3, 2024") == 9


def test_a_line_of_chinese_is_measured_in_cells() -> None:
    assert prose_start(["首页", "新闻", "中" * 40]) == 2  # 80 cells: a line of prose
    assert prose_start(["首页", "新闻", "中" * 39, "The end."]) == 0


def test_the_snippet_opens_past_more_than_two_hundred_menus() -> None:
    menus = [f"Menu item {number}" for number in range(250)]
    text = "\n".join([*menus, PROSE, "More."])
    assert snippet(text, parse_query("date:2024"), 200) == (PROSE, [])


def test_the_snippet_opens_where_the_reading_pane_shows_the_text() -> None:
    broken = ["Rust has been", "Stack Overflow's most loved language", ", indicating " + "a" * 80]
    text = "\n".join([*MENUS, *broken])
    line, _ = snippet(text, parse_query("date:2024"), 300)
    assert line == "Rust has been Stack Overflow's most loved language, indicating " + "a" * 80


def make_scraped(folder: Path) -> str:
    """A scraped page: menus, then forty paragraphs of prose, each named by its number."""
    prose = [f"Paragraph {number}: {PROSE}" for number in range(40)]
    text = "\n\n".join(["The harbour ferry returns", *MENUS, "Classifieds", *prose])
    (folder / "ferry.txt").write_text(text + "\n", encoding="utf-8")
    return str(folder)


async def test_a_query_that_unfolds_or_folds_the_menus_keeps_the_reading_place(
    tmp_path: Path,
) -> None:
    app = make_app([make_scraped(tmp_path)])
    async with app.run_test(size=(120, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        reader = app.reader
        assert reader._folded
        for _ in range(3):
            await pilot.press("pagedown")
        await pilot.pause()
        place = reader._blocks[reader.top_block()]
        assert place.startswith("Paragraph ")
        app.screen.set_query("classifieds")  # a match among the menus: shown
        await wait_until(pilot, lambda: reader._folded == 0)
        assert reader._blocks[reader.top_block()] == place
        app.screen.set_query("")  # folded again
        await wait_until(pilot, lambda: bool(reader._folded))
        assert reader._blocks[reader.top_block()] == place
