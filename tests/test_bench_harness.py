"""The ``make bench`` harness runs end to end on the five seeds and produces numbers.

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


def test_harness_measures_the_seeds(tmp_path: Path) -> None:
    status = bench_run.main(
        [
            "--sizes",
            "5",
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
            "--no-open-sizes",
            "--out",
            str(tmp_path),
            "--quiet",
        ]
    )
    assert status == 0, (tmp_path / "latest.md").read_text()

    data = json.loads((tmp_path / "latest.json").read_text())
    (size,) = data["sizes"]
    assert size["label"] == "5 seeds"
    summary = size["summary"]
    assert summary["errors"] == 0
    assert summary["first_rows"] > 0
    assert summary["bare_first"] > 0
    assert summary["loaded"] >= summary["first_rows"]
    assert summary["startup_bytes"] > 0
    assert summary["move_n"] == 4
    assert summary["move_p50"] > 0
    assert summary["move_bytes"] > 0
    assert summary["filter_n"] == len("pak")
    assert summary["filter_p50"] > 0
    assert summary["page_bytes"] > 0
    assert summary["open_bytes"] > 0
    assert summary["peak_rss"] > 0
    assert summary["app_matches"] is not None and summary["app_matches"] > 0

    table = (tmp_path / "latest.md").read_text()
    assert "CPUs" in table and "Python" in table
    for row in ROWS:
        assert f"| {row.label} |" in table
