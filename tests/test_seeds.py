"""The five bundled seeds, read exactly as a user first sees them."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tui.corpus import Article, Corpus, default_corpus_path, load_corpus

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"

HEADLINE_004 = "Xi to break travel drought for meeting with Putin"
STANDFIRST_004 = (
    "China’s president is set to embark on his first overseas trip in more than two years"
    " for a meeting with his Russian counterpart."
)

# file prefix: (ISO date, precision, date source, title, title source)
EXPECTED = {
    "000": (
        "2022-01-10",
        "day",
        "stated",
        "In a significant development in Pakistani-Russian relations, Pakistani Prime Minister…",
        "first sentence",
    ),
    "001": (
        "2024-10-08",
        "day",
        "stated",
        "In a move aimed at strengthening bilateral relations, the Russian Ambassador to Pakistan…",
        "first sentence",
    ),
    "002": (
        "2021-02-10",
        "day",
        "stated",
        "A webinar on Russia-Pakistan relations was moderated on Tuesday by Senior Vice Chairman…",
        "first sentence",
    ),
    "003": (
        "2024-10-17",
        "day",
        "stated",
        "Islamabad: Pakistan and Russia on Wednesday agreed to pursue robust dialogue and…",
        "first sentence",
    ),
    "004": ("2022", "year", "inferred", HEADLINE_004, "headline"),
}
LIST_ORDER = ["003", "001", "000", "004", "002"]


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus([str(SEEDS)])


def by_prefix(corpus: Corpus) -> dict[str, Article]:
    return {os.path.basename(article.path)[:3]: article for article in corpus}


def cli(*args: str, state: Path, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "BROADSHEET_STATE_DIR": str(state)}
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )


def test_seed_files_are_the_five_expected() -> None:
    assert sorted(path.name[:3] for path in SEEDS.iterdir()) == sorted(EXPECTED)
    assert Path(default_corpus_path()).resolve() == SEEDS.resolve()


def test_nothing_skipped_or_merged(corpus: Corpus) -> None:
    assert len(corpus) == 5
    assert corpus.skipped == []
    assert all(article.duplicates == () for article in corpus)
    assert all(article.warnings == () for article in corpus)


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_seed_date_and_title(corpus: Corpus, prefix: str) -> None:
    article = by_prefix(corpus)[prefix]
    iso, precision, source, title, title_source = EXPECTED[prefix]
    assert article.date is not None
    assert article.date.iso() == iso
    assert article.date.precision == precision
    assert article.date.source == source
    assert article.title == title
    assert article.title_source == title_source
    assert len(article.title) <= 91
    assert article.source is None  # no Source: header in any seed
    assert article.words > 200


def test_seed_004_is_inferred_from_its_own_text(corpus: Corpus) -> None:
    article = by_prefix(corpus)["004"]
    assert article.date is not None
    assert (article.date.year, article.date.month, article.date.day) == (2022, None, None)
    assert article.date.inferred
    assert article.date_text is None and article.date_line is None
    # The year comes from the text ("the first seven months of 2022"), never the clock.
    years = [int(year) for year in re.findall(r"\b(?:19|20)\d\d\b", article.text)]
    assert max(years) == 2022
    assert "inferred" in article.describe_date()


def test_seed_004_is_cleaned(corpus: Corpus) -> None:
    article = by_prefix(corpus)["004"]
    text = article.text
    for noise in ("Powered by", "logo", "=====", "[Related", "You need to be a member"):
        assert noise not in text
    assert "Powered by" not in article.title
    everything = article.title + "\n" + text
    assert everything.count(HEADLINE_004) == 1
    assert everything.count(STANDFIRST_004) == 1
    assert article.paragraphs[0] == STANDFIRST_004
    assert article.paragraphs[-1].startswith("More recently, China has been flying drones")


def test_stated_seeds_keep_where_the_date_was(corpus: Corpus) -> None:
    article = by_prefix(corpus)["001"]
    assert article.date_text == "2024-10-08"
    assert article.date_line == 1
    # The date shared its line with the body: the body starts after it.
    assert article.paragraphs[0].startswith("In a move aimed at strengthening")


def test_newest_first_order(corpus: Corpus) -> None:
    assert [os.path.basename(a.path)[:3] for a in corpus.ordered("newest")] == LIST_ORDER
    # Oldest first is the mirror image (a year-precision date sorts before the days of
    # its year, as it sorted after them newest first).
    oldest = [os.path.basename(a.path)[:3] for a in corpus.ordered("oldest")]
    assert oldest == list(reversed(LIST_ORDER))


def test_cli_list_order_and_marks(tmp_path: Path) -> None:
    result = cli("--list", state=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert len(lines) == 5
    listed = cli("--list", "--json", state=tmp_path)
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert [os.path.basename(row["path"])[:3] for row in rows] == LIST_ORDER
    for line, row in zip(lines, rows, strict=True):
        assert line.startswith(row["id"])
        assert line.endswith(row["title"])
    assert "2022 (inferred)" in lines[3]
    assert "2024-10-17" in lines[0]
    assert HEADLINE_004 in lines[3]


def test_cli_show_seed_by_path_and_id(tmp_path: Path) -> None:
    path = os.path.join("seeds", "004_a3b08d5341e94a04.txt")
    by_path = cli("--show", path, state=tmp_path)
    assert by_path.returncode == 0, by_path.stderr
    assert by_path.stdout.splitlines()[0] == HEADLINE_004
    assert by_path.stdout.count(STANDFIRST_004) == 1
    article_id = json.loads(cli("--list", "--json", state=tmp_path).stdout.splitlines()[3])["id"]
    by_id = cli("--show", article_id, state=tmp_path)
    assert by_id.returncode == 0
    assert by_id.stdout == by_path.stdout
