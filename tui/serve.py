"""``broadsheet --serve``: the same reader in a web browser, through textual-serve.

Each browser tab runs its own ``python -m tui`` in a subprocess. textual-serve starts
that command through a shell, so every part of it is quoted: paths come from the user.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import shlex
import sys

from .corpus import CorpusPathError, default_corpus_path
from .corpus.files import discover

LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve_command(args: argparse.Namespace, paths: list[str]) -> str:
    """The shell command each browser session runs: this interpreter, this package."""
    parts = [sys.executable, "-m", "tui", "--sort", args.sort]
    if args.no_state:
        parts.append("--no-state")
    if getattr(args, "no_infer", False):
        parts.append("--no-infer")
    if args.query:
        parts += ["--query", args.query]
    parts.append("--")
    parts += [os.path.abspath(path) for path in paths]
    return " ".join(shlex.quote(part) for part in parts)


def _error(message: str) -> int:
    sys.stderr.write(f"broadsheet: error: {message}\n")
    return 2


def serve(args: argparse.Namespace) -> int:
    """Serve the reader on http://HOST:PORT until interrupted."""
    try:
        from textual_serve.server import Server
    except ImportError:
        return _error("--serve needs the web extra: pip install 'broadsheet[web]'")
    if not 1 <= args.port <= 65535:
        return _error(f"--port {args.port} is not a port number (1–65535)")
    paths = list(args.paths) or [default_corpus_path()]
    try:
        for path in paths:
            next(iter(discover([path])), None)
    except CorpusPathError as error:
        return _error(str(error))
    if not is_loopback(args.host):
        sys.stderr.write(
            f"broadsheet: warning: serving on {args.host}: anyone who can reach this address "
            "can read the corpus; prefer the default 127.0.0.1 and an SSH tunnel\n"
        )
    server = Server(serve_command(args, paths), host=args.host, port=args.port, title="Broadsheet")
    sys.stderr.write(f"broadsheet: serving on http://{args.host}:{args.port}/ (ctrl+c stops)\n")
    server.serve()
    return 0
