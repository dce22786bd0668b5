"""The notes fixture (a markdown note with front matter, an e-mail, a Chinese article in a
dated folder) read end to end through ``--list --json``, as a user's folder would be."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from pathlib import Path

from tui.__main__ import run

NOTES = Path(__file__).parent / "data" / "notes"


def listed() -> dict[str, dict[str, object]]:
    out = io.StringIO()
    with redirect_stdout(out):
        assert run(["--list", "--json", "--no-state", str(NOTES)]) == 0
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    return {Path(str(row["path"])).name: row for row in rows}


def test_every_form_gives_its_fields() -> None:
    rows = listed()
    note = rows["sco-summit-notes.md"]
    assert (note["title"], note["date"], note["date_origin"]) == (
        "SCO summit: notes from Astana", "2024-07-04", "front matter"
    )
    assert (note["author"], note["url"], note["tags"]) == (
        "Jane Roe", "https://example.org/2024/07/sco-astana", ["sco", "diplomacy"]
    )
    mail = rows["weekly-digest.eml.txt"]
    assert mail["title"] == "Weekly digest: Tashkent talks resume after a pause"
    assert (mail["date"], mail["date_origin"], mail["author"]) == (
        "2024-10-17", "e-mail header", "Asia Desk"
    )
    chinese = rows["上海合作组织会议.txt"]
    assert chinese["title"] == "上海合作组织外长会议在印度果阿举行"
    # The text's own dateline wins over the folder (2023/05), at day precision.
    assert (chinese["date"], chinese["date_precision"], chinese["date_origin"]) == (
        "2023-05-05", "day", "dateline"
    )


def test_chinese_words_are_counted_by_character() -> None:
    """A space count would give 1 word for a paragraph of Chinese; reading time needs more."""
    chinese = listed()["上海合作组织会议.txt"]
    assert isinstance(chinese["words"], int) and chinese["words"] > 40


def test_the_markdown_body_is_searchable_as_clean_text() -> None:
    out = io.StringIO()
    with redirect_stdout(out):
        run(["--list", "--no-state", "--query", '"cooperation organisation" tag:sco', str(NOTES)])
    assert "SCO summit" in out.getvalue()
    out = io.StringIO()
    with redirect_stdout(out):
        run(["--list", "--no-state", "--query", "example.org/statement", str(NOTES)])
    assert "SCO summit" not in out.getvalue()  # a link's address is not article text
