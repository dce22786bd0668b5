"""An article's date is written in one place (``Article.date_label``), and every view
that shows it (the list's date column, the reading pane's meta line, ``--list``,
``--show``, the citation ``y`` copies) says it the same way."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tui.__main__ import print_list, show_article
from tui.corpus import Article, load_corpus
from tui.corpus.dates import ArticleDate

from .app_helpers import make_app, settle

REPO = Path(__file__).resolve().parent.parent
INFERRED = REPO / "seeds" / "004_a3b08d5341e94a04.txt"
"""A seed whose year is inferred from its text (2022)."""

FILES = {
    "day.txt": "date 2024-10-17\nTitle: Stated to the day\n\nThe talks went on.\n",
    "month.txt": "Date: October 2024\nTitle: Stated to the month\n\nThe talks went on.\n",
    "none.txt": "Title: No year at all\n\nNothing here says when.\n",
}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for name, text in FILES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "named.txt").write_bytes(INFERRED.read_bytes())
    return tmp_path


def _by_title(articles: list[Article]) -> dict[str, Article]:
    return {article.title: article for article in articles}


def test_the_label_says_precision_and_kind() -> None:
    def label(date: ArticleDate | None, *, spelled_out: bool = False) -> str:
        article = Article(
            key="k", id="k", path="p", title="t", title_source="header", date=date,
            date_text=None, date_line=None, source=None, author=None, words=1, body=b"",
        )  # fmt: skip
        return article.date_label(spelled_out=spelled_out)

    assert label(ArticleDate(2024, 10, 17)) == "2024-10-17"
    assert label(ArticleDate(2024, 10)) == "2024-10"
    assert label(ArticleDate(2024)) == "2024"
    assert label(ArticleDate(2022, source="inferred")) == "c. 2022"
    assert label(ArticleDate(2022, source="inferred"), spelled_out=True) == "2022 (inferred)"
    assert label(None) == "undated"
    assert label(None, spelled_out=True) == "undated"


def test_list_show_and_reading_pane_use_the_label(folder: Path) -> None:
    corpus = load_corpus([str(folder)])
    articles = _by_title(list(corpus.ordered()))
    assert {a.date_label() for a in articles.values()} == {
        "2024-10-17",
        "2024-10",
        "c. 2022",
        "undated",
    }
    out = io.StringIO()
    print_list(list(articles.values()), False, out)
    lines = out.getvalue().splitlines()
    for article, line in zip(articles.values(), lines, strict=True):
        assert line.split("  ")[1].strip() == article.date_label(spelled_out=True)
    for article in articles.values():
        # The meta line (reading pane and --show): the label, then where it came from.
        assert article.describe_date().startswith(article.date_label() + " (")
        shown = io.StringIO()
        show_article(article, shown)
        assert f"Date:     {article.date_label()} (" in shown.getvalue()


async def test_list_row_and_citation_use_the_label(folder: Path) -> None:
    app = make_app([str(folder)])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        article_list = app.article_list
        seen = set()
        for row, serial in enumerate(article_list.rows):
            article = app.corpus.by_serial[serial]
            drawn = "".join(segment.text for segment in article_list.render_line(row))
            assert article.date_label() in drawn
            article_list.cursor = row
            await pilot.pause()
            await pilot.press("y")
            assert app.clipboard == f"“{article.title}” ({article.date_label()}). {article.path}"
            seen.add(article.date_label())
        assert seen == {"2024-10-17", "2024-10", "c. 2022", "undated"}
