"""The ``make bench`` harness runs end to end on a generated corpus and produces numbers.

Why a test: the README's performance figures come from this harness, and it depends on
what the app draws (a date in each list row, "loading" in the header, ``N of M`` in the
filter bar). If one of those changes, the harness would quietly publish dashes; this
catches that. It asserts that figures exist, never how fast anything is (timings on a
shared CI machine are benchmarks, not tests).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

pytest.importorskip(
    "pyte", reason="the pty benchmark harness needs pyte (pip install pyte, the bench extra)"
)
if sys.platform == "win32":  # pragma: no cover - the harness drives a POSIX pty
    pytest.skip("the benchmark harness needs a POSIX pseudo-terminal", allow_module_level=True)

from bench import run as bench_run  # noqa: E402
from bench.report import ROWS  # noqa: E402


def test_sizes_name_html_corpora() -> None:
    from bench.corpora import CorpusSize

    sizes = bench_run._sizes("5, 10k, 10kh, 10000h, 2k-html, 300html")
    assert sizes == [
        CorpusSize(5),
        CorpusSize(10_000),
        CorpusSize(10_000, html=True),
        CorpusSize(10_000, html=True),
        CorpusSize(2_000, html=True),
        CorpusSize(300, html=True),
    ]
    # `make bench` with no arguments measures 10k saved web pages beside the text corpora.
    assert CorpusSize(10_000, html=True) in bench_run._sizes(bench_run.DEFAULT_SIZES)
    assert CorpusSize(100_000) in bench_run._sizes(bench_run.DEFAULT_SIZES)
    for bad in ("h", "10x", "kh", "10k-htm"):
        with pytest.raises(Exception, match="not a size"):
            bench_run._sizes(bad)


@pytest.mark.heavy
def test_harness_generates_and_measures_an_html_corpus(tmp_path: Path) -> None:
    """A small HTML size generated for the run, through the whole harness: launched,
    measured, re-opened. (Generated text sizes and the seeds take the same path after
    their folder is found, and each size costs ~14 s of the suite's five minutes.)"""
    corpora = tmp_path / "corpora"
    status = bench_run.main(
        [
            "--sizes",
            "30h",
            "--runs",
            "1",
            "--series",
            "1",
            "--presses",
            "4",
            "--samples",
            "1",
            "--words",
            "pak",
            "--rest-ms",
            "200",
            "--load-presses",
            "0",
            "--no-open-sizes",
            "--corpora",
            str(corpora),
            "--out",
            str(tmp_path),
            "--quiet",
        ]
    )
    assert status == 0, (tmp_path / "latest.md").read_text()

    data = json.loads((tmp_path / "latest.json").read_text())
    (html,) = data["sizes"]
    table = (tmp_path / "latest.md").read_text()
    assert "CPUs" in table and "Python" in table
    for row in ROWS:
        assert f"| {row.label} |" in table

    (folder,) = corpora.iterdir()
    assert folder.name.startswith("30h-seed2024-")
    pages = sorted(folder.rglob("*.html"))
    assert len(pages) == 30 and not list(folder.rglob("*.txt"))
    assert html["label"] == "30 html" and html["html"] is True and html["size"] == 30
    assert html["raw_bytes"] == sum(page.stat().st_size for page in pages)
    summary = html["summary"]
    assert summary["errors"] == 0
    assert summary["first_rows"] > 0
    assert summary["bare_first"] > 0
    assert summary["loaded"] >= summary["first_rows"]
    assert summary["startup_bytes"] > 0
    assert summary["move_n"] == 4
    assert summary["move_p50"] > 0
    assert summary["move_bytes"] > 0
    assert summary["filter_n"] == len("pak")
    assert summary["filter_p95"] > 0
    # The typed text is on screen no later than the frame (and the app) is done.
    assert 0 < summary["filter_shown_p50"] <= summary["filter_p50"]
    assert 0 < summary["filter_shown_p95"] <= summary["filter_p95"]
    assert summary["page_bytes"] > 0
    assert summary["open_bytes"] > 0
    assert summary["peak_rss"] > 0
    assert summary["app_matches"] is not None and summary["app_matches"] > 0
    assert "| metric | 30 html | target |" in table
    # The second launch read the store the first one wrote: rows, then searchable.
    assert summary["reopen_n"] == 1
    assert 0 < summary["reopen_rows"] <= summary["reopen_loaded"]
    reopen = next(line for line in table.splitlines() if line.startswith("| re-open"))
    assert "not measured" not in reopen
    # Then the command line asked the store for the word, and a launch typed it at its
    # first rows and waited for the same matches the first launch had found.
    (again,) = html["reopens"]
    first, second, listed = again["listed"]["pak"]
    assert first > 0 and second > 0 and listed == summary["app_matches"]
    assert again["typed_at_rows"]["pak"] > 0
    lines = table.splitlines()
    assert any(line.startswith("| re-open: `--list") and f"[{listed:,}]" in line for line in lines)
    assert any(line.startswith("| re-open: WORD typed") and "| pak " in line for line in lines)
