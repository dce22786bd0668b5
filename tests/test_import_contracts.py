"""What may import what, as ``[tool.importlinter]`` in pyproject.toml says, checked by
import-linter on every ``make test``: the model (``tui.corpus``) never imports Textual or
the UI, widgets never import the app, and (once it exists) the store stays the model's.

``test_import_hygiene.py`` checks one consequence at run time (``import tui.corpus``
loads no Textual); these contracts check every import statement, including those
inside functions that a run-time check never reaches."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

LINT_IMPORTS = "from importlinter.cli import lint_imports_command; lint_imports_command()"
"""The ``lint-imports`` command, run by this interpreter (the venv's script may not be
on PATH). No cache: it would be written into the checkout."""


def _contracts() -> list[dict[str, object]]:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config.get("tool", {}).get("importlinter", {}).get("contracts", [])
    assert contracts, "pyproject.toml has no [[tool.importlinter.contracts]]"
    return list(contracts)


def _forbidden(source: str) -> set[str]:
    return {
        str(module)
        for contract in _contracts()
        if contract.get("type") == "forbidden" and source in contract.get("source_modules", [])
        for module in contract.get("forbidden_modules", [])
    }


def test_the_layers_are_written_down() -> None:
    """The contracts the issue asks for are there (a lint run of no contracts passes)."""
    ui = {"tui.app", "tui.screen", "tui.background"}
    assert {"textual", "tui.widgets", "tui.serve", *ui} <= _forbidden("tui.corpus")
    assert ui <= _forbidden("tui.widgets")


def test_widgets_never_import_the_store() -> None:
    """Widgets are handed data, never the store. import-linter refuses a contract on a
    module that does not exist, so this asks for the contract once the store does."""
    store = REPO / "tui" / "corpus" / "store.py"
    if store.exists() or (REPO / "tui" / "corpus" / "store").is_dir():
        assert "tui.corpus.store" in _forbidden("tui.widgets")


def test_the_import_contracts_hold() -> None:
    """``lint-imports`` (import-linter's command) passes on the package as it is."""
    result = subprocess.run(
        [sys.executable, "-c", LINT_IMPORTS, "--no-cache"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout, result.stdout
