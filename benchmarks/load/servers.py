"""Servers the load benchmark starts and stops itself, on localhost only.

``one_process`` is one ``streamlit run app.py`` (optionally held to chosen cores, optionally
with its script runs profiled); ``balanced`` is the deployment ``make serve`` starts
(deploy/serve.py: n processes behind HAProxy). Each yields the port to drive and the process ids
whose CPU time the report divides among the reruns.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "deploy"))

import serve  # noqa: E402  (deploy/serve.py: the launcher `make serve` runs)

HAPROXY_MISSING = serve.INSTALL_HINT.replace("make serve needs", "the balanced scenario needs")


@dataclass
class Running:
    port: int
    pids: list[int] = field(default_factory=list)  # the Streamlit processes
    log_dir: Path | None = None

    def rss_mb(self) -> float:
        """Resident memory of the Streamlit processes now, in MB."""
        total = 0
        for pid in self.pids:
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        return total / 1024

    def cpu_seconds(self) -> float:
        """User + system CPU time of the Streamlit processes so far."""
        total = 0.0
        for pid in self.pids:
            with contextlib.suppress(OSError):
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return total


def _stop(process: subprocess.Popen, signum: int = signal.SIGTERM, grace: float = 15) -> None:
    if process.poll() is None:
        process.send_signal(signum)
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextlib.contextmanager
def one_process(settings: list[str], *, cores: set[int] | None = None,
                profile_to: Path | None = None, run_cpu_to: Path | None = None
                ) -> Iterator[Running]:
    """One Streamlit process on a free port; ``cores`` pins it (every thread) to those cores;
    ``profile_to`` or ``run_cpu_to`` runs it under benchmarks.load.profiled_server, which on
    SIGUSR1 writes there the profile of its script runs or the CPU time of each."""
    port = serve.free_port()
    log_dir = Path(tempfile.mkdtemp(prefix="descent-lab-load-"))
    instrumented = profile_to or run_cpu_to
    entry = (["-m", "benchmarks.load.profiled_server"] if instrumented
             else ["-m", "streamlit", "run"])
    command = [sys.executable, *entry, "app.py", "--server.port", str(port),
               "--server.address", "127.0.0.1", "--server.headless", "true", *settings]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if profile_to:
        env["DESCENT_LAB_PROFILE"] = str(profile_to)
    if run_cpu_to:
        env["DESCENT_LAB_RUN_CPU"] = str(run_cpu_to)

    def prepare() -> None:
        serve._die_with_parent()
        if cores:
            os.sched_setaffinity(0, cores)

    log = open(log_dir / "streamlit.log", "ab")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL, start_new_session=True,
                               preexec_fn=prepare)
    try:
        serve.wait_healthy(port, 180, process)
        yield Running(port, [process.pid], log_dir)
    finally:
        _stop(process)
        log.close()


@contextlib.contextmanager
def balanced(workers: int, settings: list[str]) -> Iterator[Running]:
    """``make serve WORKERS=workers`` on a free port of 127.0.0.1 (deploy/serve.py itself)."""
    if shutil.which("haproxy") is None:
        raise RuntimeError(HAPROXY_MISSING)
    port = serve.free_port()
    log_dir = Path(tempfile.mkdtemp(prefix="descent-lab-load-"))
    command = [sys.executable, str(ROOT / "deploy" / "serve.py"), "--workers", str(workers),
               "--port", str(port), "--address", "127.0.0.1", "--", *settings]
    log = open(log_dir / "serve.log", "ab")
    process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL, start_new_session=True,
                               preexec_fn=serve._die_with_parent)
    try:
        deadline = time.monotonic() + 240
        while not serve.healthy(port):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"make serve did not come up: {(log_dir / 'serve.log')}")
            time.sleep(0.3)
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
        streamlit_pids = [int(pid) for pid in children
                          if b"streamlit" in Path(f"/proc/{pid}/cmdline").read_bytes()]
        yield Running(port, streamlit_pids, log_dir)
    finally:
        _stop(process, signal.SIGINT, grace=20)  # as Ctrl-C: serve.py stops what it started
        log.close()
