"""``make fuzz``'s fuzzers run, pass on the code as it is, and catch the faults they
are for (a control character shown from a file name, an index that loses an answer)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tui.corpus import model
from tui.corpus.index import SearchIndex

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "fuzz.py"


@pytest.fixture(scope="module")
def fuzz() -> ModuleType:
    spec = importlib.util.spec_from_file_location("broadsheet_fuzz", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_a_run_prints_one_line_per_fuzzer_and_a_reproducer_per_failure(
    fuzz: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    status = fuzz.main(["--seconds", "30", "--cases", "15", "--base-seed", "1"])
    out = capsys.readouterr().out
    summaries = [line for line in out.splitlines() if line.startswith("fuzz ")]
    assert [line.split(":")[0] for line in summaries] == [
        "fuzz bytes", "fuzz names", "fuzz queries"
    ]  # fmt: skip
    assert all(" 15 cases in " in line for line in summaries)
    failures = sum(int(line.split(", ")[1].split()[0]) for line in summaries)
    assert status == (1 if failures else 0)
    assert out.count("reproduce: python scripts/fuzz.py --fuzzer ") == min(failures, 15)


def test_a_name_shown_raw_is_caught(
    fuzz: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(model, "neutralise_line", lambda text: text)
    result = fuzz.run_fuzzer("names", fuzz.names_case, 60, 1, 20, stop_after=1)
    assert result.failures
    _seed, shown, problems = result.failures[0]
    assert any("control character" in p or "UTF-8" in p for p in problems)
    assert "names [" in shown


def test_an_index_that_loses_an_answer_is_caught(
    fuzz: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = fuzz.make_world(tmp_path, 12)
    real = SearchIndex.search

    def lossy(self: SearchIndex, query: object, state: object = None, within: object = None):
        found = real(self, query, state, within)  # type: ignore[arg-type]
        return set(sorted(found)[1:]) if found else found

    monkeypatch.setattr(SearchIndex, "search", lossy)
    result = fuzz.run_fuzzer(
        "queries", lambda rng, _f, record: fuzz.queries_case(rng, world, record), 60, 1, 20,
        stop_after=1,
    )  # fmt: skip
    problems = [p for _seed, _input, found in result.failures for p in found]
    assert any("index and scan differ" in p for p in problems)
