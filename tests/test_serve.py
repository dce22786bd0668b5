"""``broadsheet --serve`` serves the reader's page on loopback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tui.serve import is_loopback, serve_command

pytest.importorskip("textual_serve", reason="the web extra (textual-serve) is not installed")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_answers_on_loopback(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "BROADSHEET_STATE_DIR": str(tmp_path)}
    server = subprocess.Popen(
        [sys.executable, "-m", "tui", "--serve", "--port", str(port)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    try:
        deadline = time.monotonic() + 30
        page = ""
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    assert response.status == 200
                    page = response.read().decode("utf-8", "replace")
                    break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(f"server exited: {server.stderr.read().decode()}")  # type: ignore[union-attr]
                time.sleep(0.2)
        assert "Broadsheet" in page
        assert "textual" in page.lower()  # the textual-serve client page, with its terminal
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_serve_rejects_a_bad_port_and_a_missing_path(tmp_path: Path) -> None:
    env = {**os.environ, "BROADSHEET_STATE_DIR": str(tmp_path)}
    bad_port = subprocess.run(
        [sys.executable, "-m", "tui", "--serve", "--port", "70000"],
        capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, timeout=30,
    )
    assert bad_port.returncode == 2
    assert bad_port.stderr.startswith("broadsheet: error:")
    missing = subprocess.run(
        [sys.executable, "-m", "tui", "--serve", str(tmp_path / "nope")],
        capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, timeout=30,
    )
    assert missing.returncode == 2
    assert "no such file" in missing.stderr


def test_serve_command_quotes_user_paths(tmp_path: Path) -> None:
    import argparse

    hostile = str(tmp_path / "it's here; echo pwned")
    args = argparse.Namespace(sort="newest", no_state=False, query="a; rm -rf /")
    command = serve_command(args, [hostile])
    assert "'a; rm -rf /'" in command
    import shlex

    parts = shlex.split(command)
    assert parts[-1] == hostile
    assert parts[parts.index("--query") + 1] == "a; rm -rf /"


def test_loopback_detection() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")
