"""Real server processes for the tests, on 127.0.0.1 only, always stopped: `kg serve` and Oxigraph's.

A server is a subprocess (not a thread in the test process) because that is what users run, and
its worker processes and sockets must all go away with it.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Proc:
    def __init__(self, argv: list[str], cwd: Path = ROOT):
        self.argv = argv
        self.lines: list[str] = []
        self.p = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, text=True, encoding="utf-8", errors="replace",
                                  start_new_session=True)
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        for line in self.p.stderr:  # type: ignore[union-attr]
            self.lines.append(line.rstrip("\n"))

    def wait_line(self, prefix: str, timeout: float = 30) -> str:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            for line in list(self.lines):
                if line.startswith(prefix):
                    return line
            if self.p.poll() is not None:
                break
            time.sleep(0.02)
        self.stop()
        raise RuntimeError(f"{self.argv[:4]} did not start: " + "\n".join(self.lines[-20:]))

    def stop(self) -> None:
        """SIGTERM to the process group (the server, its forkserver and workers), then SIGKILL."""
        if self.p.poll() is None:
            try:
                os.killpg(self.p.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.p.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.p.pid, signal.SIGKILL)
                self.p.wait(10)
        try:  # workers left in the group by a server that died first
            os.killpg(self.p.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def kg_serve(store: Path, *args: str) -> tuple[Proc, str]:
    """`kg serve` on a free loopback port; (process, base URL)."""
    p = Proc([sys.executable, "-m", "kg.cli", "serve", "--store", str(store), "--host", "127.0.0.1",
              "--port", "0", "--quiet", *args])
    line = p.wait_line("kg serve: http://")
    url = line.split()[2].rstrip("/")
    return p, url


def oxigraph_binary() -> str:
    exe = shutil.which("oxigraph")
    if exe is None:
        pytest.skip("the `oxigraph` server binary is absent: pip install oxigraph")
    return exe


def oxigraph_serve(location: Path, *args: str) -> tuple[Proc, str]:
    """Oxigraph's own server (`oxigraph serve`) on a free loopback port; (process, base URL)."""
    exe = oxigraph_binary()
    port = free_port()
    p = Proc([exe, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}", *args])
    url = f"http://127.0.0.1:{port}"
    end = time.monotonic() + 30
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(url + "/query?query=ASK%7B%7D", timeout=2):
                return p, url
        except (urllib.error.URLError, ConnectionError, OSError):
            if p.p.poll() is not None:
                break
            time.sleep(0.05)
    p.stop()
    raise RuntimeError("oxigraph serve did not start: " + "\n".join(p.lines[-20:]))
