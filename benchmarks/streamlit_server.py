"""A Streamlit server of this tree on a free localhost port: ``streamlit run app.py``, as the
browser journeys (tests/test_browser.py) and the first-page benchmark (``first_page``) start
one."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
HEALTH_POLL_S = 0.05
"""How often ``wait_healthy`` asks: a benchmark times the answer to this much."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def running(env: dict[str, str] | None = None,
            log: IO | int = subprocess.DEVNULL) -> Iterator[tuple[str, subprocess.Popen]]:
    """Start the server (its environment is this process's with ``env`` added; its output to
    ``log``) and yield (its URL, its process) at once, before it answers; stop it after."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "localhost",
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})},
    )
    try:
        yield f"http://localhost:{port}", process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_healthy(url: str, process: subprocess.Popen, seconds: float) -> None:
    """Return once the server at ``url`` answers its health check; RuntimeError if its process
    exits first, TimeoutError after ``seconds``."""
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the Streamlit server exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(HEALTH_POLL_S)
    raise TimeoutError(f"the Streamlit server did not answer within {seconds:g} s")
