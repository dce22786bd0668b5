"""``--serve`` guards the corpus: token, Host, Origin, a session cap, sane terminal sizes,
no process left behind, and start-up errors in one neutralised line (issue 12).

The real server runs in a subprocess for the command-line behaviour; the guards are
tested in-process against the real aiohttp application, with a tiny stand-in for the
reader (it speaks textual-serve's packet protocol) so each test stays fast.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import socket
import subprocess
import sys
import textwrap
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

pytest.importorskip("textual_serve", reason="the web extra (textual-serve) is not installed")

import aiohttp  # noqa: E402  (textual-serve depends on it)

from tui.serve import BroadsheetServer  # noqa: E402

ESC_TITLE = "\x1b]0;evil\x07"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run_cli(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BROADSHEET_STATE_DIR": str(tmp_path)}
    return subprocess.run(
        [sys.executable, "-m", "tui", "--serve", *args],
        capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, timeout=60,
    )


# --- item 2: a failed start is one line and exit status 2 ---------------------------


def test_a_port_in_use_is_one_error_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("--port", str(port), tmp_path=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("broadsheet: error:")
    assert "in use" in lines[0]
    assert "Traceback" not in result.stderr and "serving on" not in result.stderr


def test_a_host_that_does_not_resolve_is_one_error_line(tmp_path: Path) -> None:
    result = run_cli("--host", "no-such-host.invalid", "--port", str(free_port()),
                     tmp_path=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("broadsheet: error:")
    assert "no-such-host.invalid" in lines[0]
    assert "Traceback" not in result.stderr and "serving on" not in result.stderr


# --- item 5: every message is neutralised -------------------------------------------


def test_a_hostile_host_is_printed_without_control_characters(tmp_path: Path) -> None:
    result = run_cli("--host", ESC_TITLE, "--port", str(free_port()), tmp_path=tmp_path)
    assert result.returncode == 2
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert result.stderr.startswith("broadsheet: error:")
    assert "]0;evil" in result.stderr  # shown, with visible stand-ins


def test_a_hostile_path_is_printed_without_control_characters(tmp_path: Path) -> None:
    result = run_cli(str(tmp_path / f"gone{ESC_TITLE}"), tmp_path=tmp_path)
    assert result.returncode == 2
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "]0;evil" in result.stderr


def test_a_bad_max_sessions_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli("--max-sessions", "0", tmp_path=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("broadsheet: error:")
    assert "--max-sessions" in result.stderr and "at least 1" in result.stderr


# --- the real server, end to end ------------------------------------------------------


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """``broadsheet --serve`` on the seeds: yields (the URL it printed, its port)."""
    state = tmp_path_factory.mktemp("serve-state")
    port = free_port()
    env = {**os.environ, "BROADSHEET_STATE_DIR": str(state)}
    server = subprocess.Popen(
        [sys.executable, "-m", "tui", "--serve", "--port", str(port)],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
    )
    try:
        assert server.stderr is not None
        line = server.stderr.readline().decode("utf-8", "replace")
        match = re.search(r"http://\S+", line)
        assert match, f"no URL in {line!r}"
        yield match.group(0), port
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def test_the_printed_url_carries_a_random_token(live_server: tuple[str, int]) -> None:
    url, port = live_server
    match = re.fullmatch(rf"http://127\.0\.0\.1:{port}/\?token=([A-Za-z0-9_-]{{32,}})", url)
    assert match, url


def browser() -> aiohttp.ClientSession:
    """A client that keeps cookies, as a browser does, even for an address like 127.0.0.1."""
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


async def test_the_page_needs_the_token(live_server: tuple[str, int]) -> None:
    url, port = live_server
    async with browser() as client:
        async with client.get(f"http://127.0.0.1:{port}/") as bare:
            assert bare.status == 403
            assert "Broadsheet" not in await bare.text()
        async with client.get(f"http://127.0.0.1:{port}/?token=wrong") as wrong:
            assert wrong.status == 403
        async with client.get(f"http://127.0.0.1:{port}/static/js/textual.js") as static:
            assert static.status == 403
        async with client.get(url) as good:
            assert good.status == 200
            assert "Broadsheet" in await good.text()
            cookie = good.headers["Set-Cookie"]
            assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
        # The cookie now carries the token: the page's scripts load without it in the URL.
        async with client.get(f"http://127.0.0.1:{port}/static/js/textual.js") as static:
            assert static.status == 200


async def test_a_foreign_host_or_origin_is_refused(live_server: tuple[str, int]) -> None:
    url, port = live_server
    async with aiohttp.ClientSession() as client:
        async with client.get(url, headers={"Host": f"evil.example:{port}"}) as rebound:
            assert rebound.status == 403
            assert "Broadsheet" not in await rebound.text()
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await client.ws_connect(
                url.replace("http://", "ws://").replace("/?", "/ws?"),
                origin="http://evil.example",
            )
        assert refused.value.status == 403


# --- in process, with a stand-in reader ---------------------------------------------

FAKE_READER = textwrap.dedent(
    """
    import json, os, signal, sys
    record = open(os.environ["FAKE_RECORD"], "a")
    def note(item):
        record.write(json.dumps(item) + "\\n")
        record.flush()
    note({"pid": os.getpid(), "columns": os.environ["COLUMNS"], "rows": os.environ["ROWS"]})
    out = sys.stdout.buffer
    out.write(b"__GANGLION__\\n")
    out.flush()
    if sys.argv[1] == "fails":
        sys.stderr.write("Traceback (most recent call last):\\n  ...\\n")
        sys.stderr.write("ValueError: a bad name \\x1b]0;evil\\x07\\n")
        sys.exit(3)
    if sys.argv[1] == "stubborn":
        # Reads nothing, ignores SIGTERM and floods its output: only SIGKILL ends it.
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        chunk = b"D" + (65536).to_bytes(4, "big") + b"x" * 65536
        while True:
            out.write(chunk)
            out.flush()
    stdin = sys.stdin.buffer
    while True:
        kind = stdin.read(1)
        if not kind:
            break
        payload = stdin.read(int.from_bytes(stdin.read(4), "big"))
        if kind == b"M":
            meta = json.loads(payload)
            note(meta)
            if meta["type"] == "quit":
                break
        out.write(b"D" + len(payload).to_bytes(4, "big") + payload)
        out.flush()
    """
)


def records(path: Path) -> list[dict[str, object]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines()]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead too
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


class Served:
    def __init__(self, server: BroadsheetServer, port: int, record: Path) -> None:
        self.server = server
        self.port = port
        self.record = record
        self.base = f"http://127.0.0.1:{port}"
        self.ws = f"ws://127.0.0.1:{port}/ws"
        self.origin = self.base
        self.token = server.token


async def start(tmp_path: Path, mode: str = "polite", **options: object) -> Served:
    script = tmp_path / "fake_reader.py"
    script.write_text(FAKE_READER)
    record = tmp_path / "record.jsonl"
    os.environ["FAKE_RECORD"] = str(record)
    command = f"{sys.executable} {script} {mode}"
    server = BroadsheetServer(command, host="127.0.0.1", port=0, grace=0.3, **options)  # type: ignore[arg-type]
    port = await server.start()
    return Served(server, port, record)


@pytest.fixture
async def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Served]:
    monkeypatch.setenv("FAKE_RECORD", str(tmp_path / "record.jsonl"))
    running = await start(tmp_path, max_sessions=2)
    try:
        yield running
    finally:
        await running.server.close()


async def wait_for(predicate, what: str) -> None:  # type: ignore[no-untyped-def]
    # Up to 30 s: a reader process starting beside the suite's other workers took
    # over 10 s once on a loaded 2-core machine.
    for _ in range(1200):
        if predicate():
            return
        await asyncio.sleep(0.025)
    pytest.fail(f"never happened: {what}")


def test_a_token_is_random_and_long() -> None:
    one = BroadsheetServer("true", host="127.0.0.1", port=0)
    two = BroadsheetServer("true", host="127.0.0.1", port=0)
    assert one.token != two.token and len(one.token) >= 32


async def test_the_websocket_needs_the_token_and_the_pages_own_origin(served: Served) -> None:
    async with aiohttp.ClientSession() as client:
        for url, origin in (
            (served.ws, served.origin),  # no token
            (f"{served.ws}?token=nope", served.origin),  # a wrong token
            (f"{served.ws}?token={served.token}", "http://evil.example"),  # a foreign page
            (f"{served.ws}?token={served.token}", f"http://127.0.0.1:{served.port + 1}"),
            (f"{served.ws}?token={served.token}", None),  # no Origin at all
        ):
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await client.ws_connect(url, origin=origin)  # type: ignore[arg-type]
            assert refused.value.status == 403, (url, origin)
    assert records(served.record) == []  # no reader was ever started


async def test_the_cookie_carries_the_token_to_the_websocket(served: Served) -> None:
    async with browser() as client:
        async with client.get(f"{served.base}/?token={served.token}") as page:
            assert page.status == 200
        socket_ = await client.ws_connect(f"{served.ws}?width=100&height=30", origin=served.origin)
        await wait_for(lambda: records(served.record), "the reader started")
        await socket_.close()
    assert records(served.record)[0]["columns"] == "100"


@pytest.mark.parametrize(
    ("host", "header", "expected"),
    [
        ("0.0.0.0", "192.0.2.7:8123", "ws://192.0.2.7:8123/ws"),
        ("::", "[2001:db8::5]:8123", "ws://[2001:db8::5]:8123/ws"),
        ("::1", "[::1]:8123", "ws://[::1]:8123/ws"),
        ("127.0.0.1", "localhost:9000", "ws://localhost:9000/ws"),
    ],
)
async def test_the_page_points_its_websocket_at_the_address_the_browser_used(
    tmp_path: Path, host: str, header: str, expected: str
) -> None:
    server = BroadsheetServer("true", host=host, port=0)
    app = await server.make_app()
    from aiohttp.test_utils import TestClient, TestServer

    async with TestClient(TestServer(app, host="127.0.0.1", port=0)) as client:
        response = await client.get(f"/?token={server.token}", headers={"Host": header})
        assert response.status == 200
        page = await response.text()
    urls = re.findall(r'data-session-websocket-url="([^"]*)"', page)
    assert urls == [expected]


@pytest.mark.parametrize(
    ("host", "header", "allowed"),
    [
        ("127.0.0.1", "127.0.0.1:8000", True),
        ("127.0.0.1", "localhost:8000", True),
        ("127.0.0.1", "[::1]:8000", True),
        ("127.0.0.1", "LOCALHOST", True),
        ("127.0.0.1", "evil.example:8000", False),
        ("127.0.0.1", "192.0.2.7:8000", False),
        ("127.0.0.1", "", False),
        ("127.0.0.1", "127.0.0.1:80<script>", False),
        ("192.0.2.7", "192.0.2.7:8000", True),
        ("192.0.2.7", "evil.example", False),
        ("0.0.0.0", "198.51.100.4:8000", True),
        ("0.0.0.0", "localhost:8000", True),
        ("0.0.0.0", "evil.example:8000", False),
        ("::", "[2001:db8::5]:8000", True),
    ],
)
def test_host_header_check(host: str, header: str, allowed: bool) -> None:
    server = BroadsheetServer("true", host=host, port=0)
    assert server.host_allowed(header) is allowed


async def test_more_sessions_than_allowed_are_refused(served: Served) -> None:
    async with aiohttp.ClientSession() as client:
        url = f"{served.ws}?token={served.token}"
        first = await client.ws_connect(url, origin=served.origin)
        second = await client.ws_connect(url, origin=served.origin)
        await wait_for(lambda: len(records(served.record)) == 2, "two readers started")
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await client.ws_connect(url, origin=served.origin)
        assert refused.value.status == 503
        assert len(records(served.record)) == 2  # no third process
        await first.close()
        # Once a session ends, its place is free again.
        await wait_for(lambda: len(served.server.sessions) == 1, "the first session ended")
        third = await client.ws_connect(url, origin=served.origin)
        await wait_for(lambda: len(records(served.record)) == 3, "a third reader started")
        await second.close()
        await third.close()


async def test_terminal_sizes_are_clamped(served: Served) -> None:
    async with aiohttp.ClientSession() as client:
        url = f"{served.ws}?token={served.token}&width=5000&height=5000"
        socket_ = await client.ws_connect(url, origin=served.origin)
        await socket_.send_str(json.dumps(["resize", {"width": 100000, "height": -3}]))
        await socket_.send_str("not json")  # ignored, not a crash
        await socket_.send_str(json.dumps(["resize", {"width": "wide"}]))  # ignored
        await socket_.send_str(json.dumps(["resize", {"width": 120, "height": 40}]))
        await wait_for(
            lambda: sum(r.get("type") == "resize" for r in records(served.record)) == 2,
            "both good resizes arrived",
        )
        await socket_.close()
    first, *rest = records(served.record)
    assert (first["columns"], first["rows"]) == ("500", "200")
    resizes = [(r["width"], r["height"]) for r in rest if r.get("type") == "resize"]
    assert resizes == [(500, 5), (120, 40)]


async def test_a_dropped_connection_ends_even_a_stubborn_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_RECORD", str(tmp_path / "record.jsonl"))
    running = await start(tmp_path, mode="stubborn")
    try:
        async with aiohttp.ClientSession() as client:
            socket_ = await client.ws_connect(
                f"{running.ws}?token={running.token}", origin=running.origin
            )
            await wait_for(lambda: records(running.record), "the reader started")
            pid = int(records(running.record)[0]["pid"])  # type: ignore[call-overload]
            socket_._response.connection.transport.abort()  # type: ignore[union-attr]  # a dropped link
        await wait_for(lambda: not alive(pid), "the stubborn reader was killed")
        await wait_for(lambda: not running.server.sessions, "the session was released")
    finally:
        await running.server.close()


async def test_a_failing_reader_is_reported_in_one_neutralised_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FAKE_RECORD", str(tmp_path / "record.jsonl"))
    running = await start(tmp_path, mode="fails")
    try:
        async with aiohttp.ClientSession() as client:
            socket_ = await client.ws_connect(
                f"{running.ws}?token={running.token}", origin=running.origin
            )
            async for _ in socket_:
                pass  # the page is told the session ended
        await wait_for(lambda: not running.server.sessions, "the session was released")
    finally:
        await running.server.close()
    report = capsys.readouterr()
    assert "\x1b" not in report.out + report.err and "\x07" not in report.out + report.err
    assert report.out == ""  # textual-serve would copy the reader's stderr here, raw
    assert report.err.splitlines() == [
        "broadsheet: a browser session's reader failed (exit status 3): "
        "ValueError: a bad name \u241b]0;evil\u2407"
    ]


async def test_closing_the_server_ends_every_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_RECORD", str(tmp_path / "record.jsonl"))
    running = await start(tmp_path, mode="stubborn")
    async with aiohttp.ClientSession() as client:
        await client.ws_connect(f"{running.ws}?token={running.token}", origin=running.origin)
        await wait_for(lambda: records(running.record), "the reader started")
        pid = int(records(running.record)[0]["pid"])  # type: ignore[call-overload]
        await running.server.close()
    await wait_for(lambda: not alive(pid), "the reader ended with the server")


# --- item 1, under --serve: a file name that is not UTF-8 -----------------------------


async def test_a_file_name_that_is_not_utf8_does_not_kill_the_served_reader(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    with open(os.path.join(os.fsencode(folder), b"caf\xe9.txt"), "wb") as article:
        article.write(b"Date: 2024-01-01\n\nBody of the article.\n")
    state = tmp_path / "state"
    state.mkdir()
    port = free_port()
    env = {**os.environ, "BROADSHEET_STATE_DIR": str(state)}
    server = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tui", "--serve", "--port", str(port), str(folder),
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
    )
    assert server.stderr is not None
    try:
        line = (await server.stderr.readline()).decode("utf-8", "replace")
        url = re.search(r"http://\S+", line).group(0)  # type: ignore[union-attr]
        async with browser() as client:
            async with client.get(url) as page:
                assert page.status == 200
            socket_ = await client.ws_connect(
                f"ws://127.0.0.1:{port}/ws?width=100&height=30", origin=f"http://127.0.0.1:{port}"
            )
            screen = b""

            async def read_until(needle: bytes) -> None:
                nonlocal screen
                async for message in socket_:
                    if message.type == aiohttp.WSMsgType.BINARY:
                        screen += message.data
                        if needle in screen:
                            return
                pytest.fail(f"the session ended before {needle!r} was drawn")

            await asyncio.wait_for(read_until(b"caf"), 60)  # the list shows the file
            await socket_.send_str(json.dumps(["stdin", "\r"]))  # open it
            await asyncio.wait_for(read_until(b"Body of the article"), 60)
            await socket_.send_str(json.dumps(["stdin", "q"]))  # and quit, as a reader does
            async for _ in socket_:
                pass  # the server closes the socket when the reader ends
    finally:
        server.send_signal(signal.SIGINT)
        _, errors = await asyncio.wait_for(server.communicate(), 30)
    report = errors.decode("utf-8", "replace")
    assert "failed" not in report and "Traceback" not in report, report


async def test_a_plain_request_for_the_websocket_is_a_bad_request(served: Served) -> None:
    async with aiohttp.ClientSession() as client:
        headers = {"Origin": served.origin}
        async with client.get(f"{served.ws.replace('ws:', 'http:')}?token={served.token}",
                              headers=headers) as response:
            assert response.status == 400
    assert not served.server.sessions and records(served.record) == []
