"""The model never imports Textual: it must load fast for ``--list`` and stay testable
without a terminal. Checked in a fresh interpreter, where nothing else has imported it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

CHECK = """
import importlib, importlib.util, sys
names = ["tui.corpus"] + [
    name for name in ("tui.corpus.query", "tui.corpus.state", "tui.corpus.index")
    if importlib.util.find_spec(name) is not None
]
for name in names:
    importlib.import_module(name)
leaked = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
print(",".join(names))
print(",".join(leaked))
"""


def test_model_does_not_import_textual() -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHECK], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    imported, leaked = result.stdout.split("\n")[:2]
    assert "tui.corpus" in imported.split(",")
    assert leaked == "", f"the model imported Textual: {leaked}"


def test_cli_list_does_not_import_textual(tmp_path: Path) -> None:
    """``--list`` prints and exits: paying for Textual's import there would be waste."""
    code = (
        "import contextlib, io, sys\n"
        "from tui.__main__ import main\n"
        "with contextlib.redirect_stdout(io.StringIO()): status = main(['--list'])\n"
        "print(status, 'textual' in sys.modules)"
    )
    env = {**os.environ, "BROADSHEET_STATE_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["0", "False"]
