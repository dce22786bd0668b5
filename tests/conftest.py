"""Shared fixtures: every test runs with its state directory under tmp_path and the
repository as working folder, so paths on screen are the same on every machine."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto`: two workers a core, at most eight. Much of a test's time is an app or a
    child waiting on the clock, so a second worker on each core fills the waits: on two
    cores the suite took 262-294 s with two workers, 195-208 s with four, and 200 s with
    six (by then it is the CPU that limits)."""
    return min(8, 2 * (os.cpu_count() or 1))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked ``heavy`` (5-20 s each) first, the rest in their order. With
    ``--dist load --maxschedchunk 1`` a worker that is free takes the next test, so the
    heavy ones start early on every worker, and the run ends on short tests, not on one
    heavy test left running alone (the bench harness's 20 s did, at the end of a run).
    The sort is stable and the same in every worker, as xdist requires."""
    items.sort(key=lambda item: item.get_closest_marker("heavy") is None)


@pytest.fixture(autouse=True)
def isolated_state(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Never touch the real home: point the state and cache folders at fresh temp ones."""
    state_dir = tmp_path_factory.mktemp("state")
    monkeypatch.setenv("BROADSHEET_STATE_DIR", str(state_dir))
    monkeypatch.setenv("BROADSHEET_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.delenv("NO_COLOR", raising=False)
    return state_dir


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Run from the repository root so article paths read ``seeds/…``."""
    monkeypatch.chdir(REPO)
    yield REPO


def seeds_path() -> str:
    return os.path.relpath(SEEDS, REPO) if Path.cwd() == REPO else str(SEEDS)


OLD_MTIME = 1_577_836_800
"""2020-01-01: files this old are past the store's "modified while read" margin."""


@pytest.fixture
def collection(tmp_path: Path) -> Path:
    """A folder of the seeds, their modification times long past (store tests)."""
    folder = tmp_path / "news"
    folder.mkdir()
    for seed in sorted(SEEDS.iterdir()):
        target = folder / seed.name
        target.write_bytes(seed.read_bytes())
        os.utime(target, (OLD_MTIME, OLD_MTIME))
    return folder
