"""``broadsheet --serve`` serves the reader's page on loopback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
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
        assert server.stderr is not None
        # "serving on" comes once the socket is bound, with the URL and its token.
        line = server.stderr.readline().decode("utf-8", "replace")
        assert line.startswith(f"broadsheet: serving on http://127.0.0.1:{port}/?token="), line
        url = line.split()[3]
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.status == 200
            page = response.read().decode("utf-8", "replace")
        assert "Broadsheet" in page
        assert "textual" in page.lower()  # the textual-serve client page, with its terminal
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_serve_rejects_a_bad_port_and_a_missing_path(tmp_path: Path) -> None:
    env = {**os.environ, "BROADSHEET_STATE_DIR": str(tmp_path)}
    bad_port = subprocess.run(
        [sys.executable, "-m", "tui", "--serve", "--port", "70000"],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=30,
    )
    assert bad_port.returncode == 2
    assert bad_port.stderr.startswith("broadsheet: error:")
    missing = subprocess.run(
        [sys.executable, "-m", "tui", "--serve", str(tmp_path / "nope")],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=30,
    )
    assert missing.returncode == 2
    assert "no such file" in missing.stderr


def test_serve_command_quotes_user_paths(tmp_path: Path) -> None:
    import argparse

    hostile = str(tmp_path / "it's here; echo pwned")
    args = argparse.Namespace(sort="newest", no_state=False, query="-a; rm -rf /")
    command = serve_command(args, [hostile])
    assert "'--query=-a; rm -rf /'" in command
    import shlex

    parts = shlex.split(command)
    assert parts[-1] == hostile
    assert "--query=-a; rm -rf /" in parts  # one word, though it begins with "-"
    assert parts[parts.index("--sort") + 1] == "newest"
    no_sort = shlex.split(serve_command(argparse.Namespace(sort=None, no_state=True, query=""), []))
    assert "--sort" not in no_sort  # each session keeps the sort its user chose


def test_loopback_detection() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")
