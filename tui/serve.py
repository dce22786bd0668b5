"""``broadsheet --serve``: the same reader in a web browser, through textual-serve.

Each browser tab runs its own ``python -m tui`` in a subprocess. textual-serve starts
that command through a shell, so every part of it is quoted: paths come from the user.

The page can read the whole corpus, so it is guarded the way Jupyter guards a notebook
server (issue 12): a random token in the URL (then an HttpOnly, SameSite=Strict cookie),
the ``Host`` header checked against the bound address (no DNS rebinding), the WebSocket's
``Origin`` checked against the page's own origin (no other web page can drive it), a cap
on concurrent sessions, sane terminal sizes, and every reader process ended with its
connection. textual-serve's ``Server`` and ``AppService`` are subclassed, not copied.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import errno
import hmac
import ipaddress
import json
import logging
import os
import re
import secrets
import shlex
import signal
import socket
import sys
from collections.abc import Callable
from typing import Any

from .corpus import CorpusPathError, default_corpus_path
from .corpus.files import discover
from .corpus.safe import neutralise, neutralise_line

try:
    import aiohttp_jinja2
    from aiohttp import WSMsgType, web
    from textual_serve.app_service import AppService
    from textual_serve.server import Server, to_int
except ImportError:  # the web extra is optional; serve() says how to install it
    WEB_EXTRA = False
    Server = AppService = object  # type: ignore[misc,assignment]
else:
    WEB_EXTRA = True


def _page_template(handler: Any) -> Any:
    """textual-serve's page template, when the web extra is installed."""
    return aiohttp_jinja2.template("app_index.html")(handler) if WEB_EXTRA else handler


LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}

DEFAULT_MAX_SESSIONS = 4
COLUMNS = (20, 500)
"""The terminal widths a browser may ask for: more costs the reader memory and CPU."""
ROWS = (5, 200)
GRACE = 2.0
"""Seconds a reader has to quit politely, then to stop on SIGTERM, before SIGKILL."""
WRITE_TIMEOUT = 5.0
"""Seconds a write to a reader's input may wait on a full pipe before the session ends."""
STDERR_KEPT = 16 * 1024
"""How much of a reader's stderr is kept to report why it failed."""

_HOST_NAME = re.compile(r"[a-z0-9_](?:[a-z0-9_-]{0,62})(?:\.[a-z0-9_](?:[a-z0-9_-]{0,62}))*\.?")
_PORT = re.compile(r":[0-9]{1,5}")


def is_loopback(host: str) -> bool:
    if host.lower().rstrip(".") in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def is_wildcard(host: str) -> bool:
    """True for an address that binds every interface (``0.0.0.0``, ``::``)."""
    if host in ("", "*"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_unspecified
    except ValueError:
        return False


def url_host(host: str) -> str:
    """*host* as it goes in a URL: an IPv6 address in brackets."""
    try:
        if ipaddress.ip_address(host.strip("[]")).version == 6:
            return f"[{host.strip('[]')}]"
    except ValueError:
        pass
    return host


def host_name(header: str) -> str | None:
    """The host name or address of a ``Host`` header (port dropped), or None if malformed."""
    header = header.strip().lower()
    if header.startswith("["):
        end = header.find("]")
        if end < 0:
            return None
        name, rest = header[1:end], header[end + 1 :]
        try:
            ipaddress.IPv6Address(name)
        except ValueError:
            return None
    else:
        name, colon, port = header.partition(":")
        rest = colon + port
        if not _HOST_NAME.fullmatch(name):
            return None
    if rest and not _PORT.fullmatch(rest):
        return None
    return name.rstrip(".")


def _ip(name: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(name)
    except ValueError:
        return None


def clamp(value: object, default: int, bounds: tuple[int, int]) -> int:
    """An integer terminal dimension within *bounds* (anything not an integer: *default*)."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        return default
    number = to_int(value, default) if isinstance(value, str) else value
    low, high = bounds
    return max(low, min(high, number))


def serve_command(args: argparse.Namespace, paths: list[str]) -> str:
    """The shell command each browser session runs: this interpreter, this package."""
    parts = [sys.executable, "-m", "tui"]
    if args.sort:  # else each session keeps the sort its user chose last
        parts += ["--sort", args.sort]
    if args.no_state:
        parts.append("--no-state")
    if getattr(args, "no_infer", False):
        parts.append("--no-infer")
    if getattr(args, "no_watch", False):
        parts.append("--no-watch")
    if args.query:
        parts.append(f"--query={args.query}")  # one word, whatever it begins with
    parts.append("--")
    parts += [os.path.abspath(path) for path in paths]
    # exec: the shell becomes the reader, so signalling the session signals the reader.
    return "exec " + " ".join(shlex.quote(part) for part in parts)


class _KeptStderr:
    """Stands in for a reader's stderr stream: drains it (the reader never blocks on it)
    and keeps its tail, so textual-serve never copies raw bytes from it to our terminal."""

    def __init__(self, stream: asyncio.StreamReader) -> None:
        self._stream = stream
        self.tail = b""

    async def read(self, size: int = -1) -> bytes:
        while data := await self._stream.read(size):
            self.tail = (self.tail + data)[-STDERR_KEPT:]
        return b""


class Session(AppService):
    """One browser tab's reader process, which never outlives its connection."""

    def __init__(self, command: str, *, grace: float = GRACE, **kwargs: Any) -> None:
        super().__init__(command, **kwargs)
        self.grace = grace
        self._stderr: _KeptStderr | None = None
        self._stopping: asyncio.Task[None] | None = None

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Any:
        # As textual-serve's, in a session of its own, so the whole group can be signalled.
        self._process = process = await asyncio.create_subprocess_shell(
            self.command,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=self._build_environment(width=width, height=height),
            start_new_session=True,
        )
        assert process.stdin is not None and process.stderr is not None
        self._stdin = process.stdin
        self._stderr = _KeptStderr(process.stderr)
        process.stderr = self._stderr  # type: ignore[assignment]
        return process

    async def send_bytes(self, data: bytes) -> bool:
        if self._stdin is None:
            return False
        try:
            return await asyncio.wait_for(super().send_bytes(data), WRITE_TIMEOUT)
        except TimeoutError:
            return False

    async def send_meta(self, data: dict[str, str | None | int | bool]) -> bool:
        if self._stdin is None:
            return False
        try:
            return await asyncio.wait_for(super().send_meta(data), WRITE_TIMEOUT)
        except TimeoutError:
            return False

    async def on_data(self, payload: bytes) -> None:
        # A closed browser must not stop us reading: a reader blocked on a full pipe
        # would never see its "quit".
        with contextlib.suppress(ConnectionError, RuntimeError):
            await super().on_data(payload)

    async def on_meta(self, data: bytes) -> None:
        with contextlib.suppress(ConnectionError, RuntimeError, ValueError):
            await super().on_meta(data)

    async def run(self) -> None:
        await super().run()
        # The reader has gone (quit, or failed): the page shows "Session ended".
        with contextlib.suppress(ConnectionError, RuntimeError):
            await self.remote_close()

    def signal_group(self, signum: int) -> None:
        process = self._process
        if process is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signum)

    async def _exits_within(self, seconds: float) -> bool:
        assert self._process is not None
        try:
            await asyncio.wait_for(self._process.wait(), seconds)
        except TimeoutError:
            return False
        return True

    async def _stop(self) -> None:
        with contextlib.suppress(Exception):
            await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)
        process = self._process
        if process is not None:
            if process.returncode is None:
                await self.send_meta({"type": "quit"})
                if not await self._exits_within(self.grace):
                    self.signal_group(signal.SIGTERM)
                    if not await self._exits_within(self.grace):
                        self.signal_group(signal.SIGKILL)
                        await process.wait()
            self.signal_group(signal.SIGKILL)  # anything the reader left in its group
        if self._task is not None:
            try:
                await asyncio.wait_for(self._task, self.grace)
            except TimeoutError:
                self._task.cancel()
            self._task = None
        self._report_failure()

    async def stop(self) -> None:
        """End the reader: ask it to quit, then SIGTERM, then SIGKILL. Idempotent, and a
        cancelled caller does not cancel the stopping."""
        if self._stopping is None:
            self._stopping = asyncio.ensure_future(self._stop())
        await asyncio.shield(self._stopping)

    def _report_failure(self) -> None:
        process = self._process
        # A positive status is the reader's own failure; a signal's (negative) is ours.
        if process is None or process.returncode is None or process.returncode <= 0:
            return
        tail = self._stderr.tail if self._stderr is not None else b""
        detail = _last_error(tail.decode("utf-8", "replace"))
        say(f"a browser session's reader failed (exit status {process.returncode})"
            + (f": {detail}" if detail else ""))


_EXCEPTION_LINE = re.compile(r"[A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt)\b")


def _last_error(stderr: str) -> str:
    """The exception at the end of a reader's stderr (its traceback may be drawn in boxes)."""
    lines = [line.strip(" \u2502\u256d\u256e\u2570\u256f\u2500") for line in stderr.splitlines()]
    lines = [line for line in lines if any(char.isalpha() for char in line)]
    for start in range(len(lines) - 1, max(-1, len(lines) - 6), -1):
        if _EXCEPTION_LINE.match(lines[start]):
            return " ".join(lines[start:])[:300]
    return lines[-1][:300] if lines else ""


class BroadsheetServer(Server):
    """textual-serve's server with the guards above, started on a real socket."""

    def __init__(
        self,
        command: str,
        *,
        host: str = "127.0.0.1",
        port: int = 8000,
        max_sessions: int = DEFAULT_MAX_SESSIONS,
        token: str | None = None,
        grace: float = GRACE,
    ) -> None:
        super().__init__(command, host=host, port=port, title="Broadsheet")
        self.token = token or secrets.token_urlsafe(32)
        self.max_sessions = max_sessions
        self.grace = grace
        self.sessions: set[Session] = set()
        self._sockets: set[web.WebSocketResponse] = set()
        self._token_bytes = self.token.encode("ascii")
        self._cookie = f"broadsheet-token-{port}"
        self._runner: web.AppRunner | None = None
        bound = host.strip("[]").lower().rstrip(".")
        self._bound_ip = _ip(bound)
        self._bound_name = bound
        self._wildcard = is_wildcard(host)
        self._loopback = is_loopback(host)
        self._own_names = {socket.gethostname().lower()} if self._wildcard else set()

    # --- the guards ---------------------------------------------------------------------

    def host_allowed(self, header: str) -> bool:
        """Is *header* (a request's ``Host``) a name for the address we are bound to?

        The port is not compared: an SSH tunnel may forward another local port.
        """
        name = host_name(header)
        if name is None or not name:
            return False
        ip = _ip(name)
        local = name in LOOPBACK_NAMES or (ip is not None and ip.is_loopback)
        if self._wildcard:
            # Any address literal is fine: a rebinding attack needs a name of its own.
            return ip is not None or local or name in self._own_names
        if self._loopback and local:
            return True
        if ip is not None and self._bound_ip is not None:
            return ip == self._bound_ip
        return name == self._bound_name

    def token_matches(self, supplied: str | None) -> bool:
        if not supplied:
            return False
        return hmac.compare_digest(supplied.encode("utf-8", "replace"), self._token_bytes)

    def origin_allowed(self, request: web.Request) -> bool:
        """A WebSocket must come from our own page: its Origin is http:// + the Host."""
        origin = request.headers.get("Origin")
        return origin is not None and origin.lower() == f"http://{request.host.lower()}"

    async def guard(self, request: web.Request, handler: Any) -> web.StreamResponse:
        """Every request: a Host that names us, then the token (query or cookie)."""
        if not self.host_allowed(request.headers.get("Host", "")):
            raise _refuse(403, "this server does not answer to that host name")
        from_query = request.query.get("token")
        if not (self.token_matches(from_query) or self.token_matches(
            request.cookies.get(self._cookie)
        )):
            raise _refuse(403, "this page needs the URL with its token, as broadsheet "
                           "printed it when it started")
        response = await handler(request)
        if not response.prepared:
            if self.token_matches(from_query):
                response.set_cookie(
                    self._cookie, self.token, httponly=True, samesite="Strict", path="/"
                )
            _harden(response)
        return response

    # --- textual-serve's hooks ------------------------------------------------------------

    async def make_app(self) -> web.Application:
        app = await self._make_app()

        @web.middleware
        async def guard(request: web.Request, handler: Any) -> web.StreamResponse:
            return await self.guard(request, handler)

        app.middlewares.append(guard)
        return app

    async def on_startup(self, app: web.Application) -> None:
        """textual-serve prints a banner here, before the socket is bound: we do not."""

    async def on_shutdown(self, app: web.Application) -> None:
        for websocket in list(self._sockets):
            with contextlib.suppress(Exception):
                await websocket.close(code=1001, message=b"the server is stopping")

    @_page_template
    async def handle_index(self, request: web.Request) -> dict[str, Any]:
        # The WebSocket goes back to the address the browser used (checked by guard):
        # never 0.0.0.0, and an IPv6 address keeps its brackets.
        return {
            "font_size": clamp(request.query.get("fontsize", "16"), 16, (6, 64)),
            "app_websocket_url": f"ws://{request.host}/ws",
            "config": {"static": {"url": "/static/"}},
            "application": {"name": self.title},
        }

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        if not self.origin_allowed(request):
            raise _refuse(403, "a session can only be opened from broadsheet's own page")
        if len(self.sessions) >= self.max_sessions:
            raise _refuse(503, f"too many sessions (at most {self.max_sessions}, see "
                           "--max-sessions): close another tab and reload")
        width = clamp(request.query.get("width", "80"), 80, COLUMNS)
        height = clamp(request.query.get("height", "24"), 24, ROWS)
        websocket = web.WebSocketResponse(heartbeat=15)
        if not websocket.can_prepare(request).ok:
            raise web.HTTPBadRequest(text="broadsheet: /ws is a WebSocket\n")
        session = Session(
            self.command,
            grace=self.grace,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,
            download_manager=self.download_manager,
            debug=self.debug,
        )
        self.sessions.add(session)  # before any await: the cap cannot be raced past
        self._sockets.add(websocket)
        try:
            await websocket.prepare(request)
            await session.start(width, height)
            await self._process_messages(websocket, session)
        except asyncio.CancelledError:
            raise
        except Exception as error:  # a session's fault never stops the server
            say(f"a browser session failed: {error!r}")
        finally:
            self._sockets.discard(websocket)
            try:
                await session.stop()
            finally:
                self.sessions.discard(session)
                with contextlib.suppress(Exception):
                    await websocket.close()
        return websocket

    async def _process_messages(
        self, websocket: web.WebSocketResponse, app_service: AppService
    ) -> None:
        """The browser's messages, as textual-serve reads them, but malformed ones are
        ignored, sizes are clamped and a reader that stops reading ends the session."""
        session = app_service
        assert isinstance(session, Session)
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = json.loads(message.data)
            except ValueError:
                continue
            if not isinstance(envelope, list) or not envelope:
                continue
            kind = envelope[0]
            data = envelope[1] if len(envelope) > 1 else None
            sent = True
            if kind == "stdin" and isinstance(data, str):
                sent = await session.send_bytes(data.encode("utf-8", "replace"))
            elif kind == "resize" and isinstance(data, dict):
                if not all(isinstance(data.get(key), int) for key in ("width", "height")):
                    continue
                sent = await session.send_meta({
                    "type": "resize",
                    "width": clamp(data["width"], 80, COLUMNS),
                    "height": clamp(data["height"], 24, ROWS),
                })
            elif kind == "ping":
                await websocket.send_json(["pong", data])
            elif kind == "blur":
                sent = await session.send_meta({"type": "blur"})
            elif kind == "focus":
                sent = await session.send_meta({"type": "focus"})
            if not sent:
                break

    # --- running ---------------------------------------------------------------------------

    async def start(self) -> int:
        """Bind and serve; return the bound port. Raises OSError if the bind fails."""
        app = await self.make_app()
        runner = web.AppRunner(app, handle_signals=False, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        try:
            site = web.TCPSite(runner, self.host, self.port)
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        return int(runner.addresses[0][1])

    async def close(self) -> None:
        """Stop serving; every reader process ends."""
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()
        await asyncio.gather(*(session.stop() for session in list(self.sessions)),
                             return_exceptions=True)

    async def run(self, announce: Callable[[int], None]) -> None:
        """Serve until SIGINT or SIGTERM; *announce* is called once the socket is bound."""
        port = await self.start()
        try:
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(signum, stop.set)
            announce(port)
            await stop.wait()
        finally:
            await self.close()


def _refuse(status: int, reason: str) -> web.HTTPException:
    """A refusal that says why, and carries nothing from the corpus."""
    kind = web.HTTPServiceUnavailable if status == 503 else web.HTTPForbidden
    response = kind(text=f"broadsheet: {reason}\n")
    _harden(response)
    return response


def _harden(response: web.StreamResponse) -> None:
    # The token is in the URL: never send it on as a Referer; and no framing by other pages.
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Content-Security-Policy"] = "frame-ancestors 'none'"
    response.headers["Cache-Control"] = "no-store"


# --- the command line -------------------------------------------------------------------


def say(message: str, kind: str = "") -> None:
    """One line on stderr, neutralised: paths and --host values may hold ESC or BEL."""
    prefix = f"broadsheet: {kind}: " if kind else "broadsheet: "
    sys.stderr.write(prefix + neutralise_line(message) + "\n")
    sys.stderr.flush()


def _error(message: str) -> int:
    say(message, "error")
    return 2


class _NeutralFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return neutralise(super().format(record))


def _quiet_logging() -> None:
    """textual-serve and aiohttp log through rich with locals; ours is plain and safe."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_NeutralFormatter("broadsheet: %(message)s"))
    for name in ("textual-serve", "aiohttp"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(logging.WARNING)
        logger.propagate = False


def _bind_error(error: OSError | UnicodeError, host: str, port: int) -> str:
    where = f"cannot serve on {url_host(host)}:{port}"
    if isinstance(error, UnicodeError):
        return f"{where}: not a host name"
    if isinstance(error, socket.gaierror):
        return f"{where}: the host name does not resolve ({error.strerror or error})"
    if error.errno == errno.EADDRINUSE:
        return f"{where}: the port is already in use (choose another with --port)"
    if error.errno == errno.EADDRNOTAVAIL:
        return f"{where}: this machine has no such address"
    if error.errno == errno.EACCES:
        return f"{where}: permission denied (ports below 1024 need privileges)"
    return f"{where}: {error.strerror or error}"


def serve(args: argparse.Namespace) -> int:
    """Serve the reader on http://HOST:PORT until interrupted."""
    if not WEB_EXTRA:
        return _error("--serve needs the web extra: pip install 'broadsheet[web]'")
    if not 1 <= args.port <= 65535:
        return _error(f"--port {args.port} is not a port number (1–65535)")
    max_sessions = getattr(args, "max_sessions", DEFAULT_MAX_SESSIONS)
    if max_sessions < 1:
        return _error(f"--max-sessions {max_sessions}: allow at least 1 session")
    paths = list(args.paths) or [default_corpus_path()]
    try:
        for path in paths:
            next(iter(discover([path])), None)
    except CorpusPathError as error:
        return _error(str(error))
    server = BroadsheetServer(
        serve_command(args, paths), host=args.host, port=args.port, max_sessions=max_sessions
    )

    def announce(port: int) -> None:
        shown = args.host
        if is_wildcard(shown):
            shown = "::1" if ":" in shown else "127.0.0.1"
        say(f"serving on http://{url_host(shown)}:{port}/?token={server.token} (ctrl+c stops)")
        if is_wildcard(args.host):
            say("from another machine, use this machine's address with the same token")
        if not is_loopback(args.host):
            say(f"serving on {args.host}: anyone who can reach this address and has the "
                "URL with its token can read the corpus, unencrypted; prefer the default "
                "127.0.0.1 and an SSH tunnel", "warning")

    _quiet_logging()
    try:
        asyncio.run(server.run(announce))
    except (OSError, UnicodeError) as error:
        return _error(_bind_error(error, args.host, args.port))
    except KeyboardInterrupt:
        pass
    return 0


__all__ = ["BroadsheetServer", "Session", "is_loopback", "serve", "serve_command"]
