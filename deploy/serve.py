"""Serve Descent Lab from several identical Streamlit processes behind HAProxy, on one port.

    python deploy/serve.py --workers 2 --port 8501        # what `make serve WORKERS=2` runs
    python deploy/serve.py --workers 2 -- --runner.postScriptGC true   # flags for each process

One Streamlit process runs Python on one core at a time (the GIL), so a class is served by one
process per core. Each listens on its own localhost port; HAProxy (deploy/haproxy.cfg) listens on
the one public port and keeps each browser tab on the process that holds its session (a cookie).
Ctrl-C (or SIGTERM) stops the balancer and every process; a process that dies is started again.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).resolve().parent / "haproxy.cfg"
INSTALL_HINT = ("make serve needs HAProxy, which is not installed. On Debian or Ubuntu:\n"
                "    sudo apt-get install haproxy\n"
                "(`make run` serves the app from one process without it.)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _die_with_parent() -> None:
    """Run in each child before it starts: end it if this launcher dies (even by SIGKILL)."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


def wait_healthy(port: int, timeout: float, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while not healthy(port):
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the process for port {port} exited ({process.returncode})")
        if time.monotonic() > deadline:
            raise TimeoutError(f"nothing healthy on port {port} after {timeout:g} s")
        time.sleep(0.2)


def render_config(address: str, port: int, worker_ports: list[int]) -> str:
    servers = "\n".join(f"    server w{i} 127.0.0.1:{p} check cookie w{i}"
                        for i, p in enumerate(worker_ports, start=1))
    text = TEMPLATE.read_text()
    for name, value in (("address", address), ("port", port), ("servers", servers)):
        text = text.replace(f"{{{name}}}", str(value))
    return text


class Deployment:
    def __init__(self, workers: int, port: int, address: str, streamlit_args: list[str],
                 log_dir: Path) -> None:
        self.port, self.address, self.args, self.log_dir = port, address, streamlit_args, log_dir
        self.worker_ports = [free_port() for _ in range(workers)]
        self.workers: list[subprocess.Popen | None] = [None] * workers
        self.balancer: subprocess.Popen | None = None

    def start_worker(self, index: int) -> subprocess.Popen:
        port = self.worker_ports[index]
        log = open(self.log_dir / f"worker{index + 1}.log", "ab")
        command = [sys.executable, "-m", "streamlit", "run", "app.py",
                   "--server.port", str(port), "--server.address", "127.0.0.1",
                   "--server.headless", "true", *self.args]
        process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True,
                                   preexec_fn=_die_with_parent)
        self.workers[index] = process
        return process

    def start(self, timeout: float) -> None:
        for index in range(len(self.workers)):
            self.start_worker(index)
        for index, process in enumerate(self.workers):
            wait_healthy(self.worker_ports[index], timeout, process)
        config = self.log_dir / "haproxy.cfg"
        config.write_text(render_config(self.address, self.port, self.worker_ports))
        log = open(self.log_dir / "haproxy.log", "ab")
        self.balancer = subprocess.Popen(["haproxy", "-db", "-f", str(config)], stdout=log,
                                         stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                         start_new_session=True, preexec_fn=_die_with_parent)
        wait_healthy(self.port, 30, self.balancer)

    def watch(self) -> None:
        """Until stopped: start again any process that died (the balancer's health check has
        meanwhile sent its tabs elsewhere)."""
        while True:
            time.sleep(1)
            if self.balancer is not None and self.balancer.poll() is not None:
                raise RuntimeError(f"haproxy exited ({self.balancer.returncode}); "
                                   f"see {self.log_dir / 'haproxy.log'}")
            for index, process in enumerate(self.workers):
                if process is not None and process.poll() is not None:
                    print(f"worker {index + 1} exited ({process.returncode}); starting it "
                          f"again", flush=True)
                    self.start_worker(index)

    def stop(self) -> None:
        everyone = [p for p in [self.balancer, *self.workers] if p is not None]
        for process in everyone:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 10
        for process in everyone:
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def main(argv: list[str]) -> int:
    split = argv.index("--") if "--" in argv else len(argv)
    ours, streamlit_args = argv[:split], argv[split + 1:]  # after --: for every process
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="Streamlit processes (default: one per core)")
    parser.add_argument("--port", type=int, default=8501, help="the one public port")
    parser.add_argument("--address", default="0.0.0.0",
                        help="where the balancer listens (default: every interface)")
    parser.add_argument("--startup-timeout", type=float, default=180,
                        help="seconds to wait for each process (a cold Numba cache compiles)")
    options = parser.parse_args(ours)
    if options.workers < 1:
        parser.error(f"Invalid number of workers: {options.workers}")
    if shutil.which("haproxy") is None:
        print(INSTALL_HINT, file=sys.stderr)
        return 1

    def stop_on(signum, _frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop_on)
    log_dir = Path(tempfile.mkdtemp(prefix="descent-lab-serve-"))
    deployment = Deployment(options.workers, options.port, options.address, streamlit_args,
                            log_dir)
    try:
        deployment.start(options.startup_timeout)
        shown = "localhost" if options.address in ("0.0.0.0", "::") else options.address
        print(f"Descent Lab: http://{shown}:{options.port}  ({options.workers} Streamlit "
              f"processes on ports {', '.join(map(str, deployment.worker_ports))} behind "
              f"HAProxy; logs in {log_dir}). Ctrl-C stops them all.", flush=True)
        deployment.watch()
    except KeyboardInterrupt:
        print("stopping", flush=True)
    except (RuntimeError, TimeoutError) as error:
        print(f"serve: {error}; logs in {log_dir}", file=sys.stderr)
        return 1
    finally:
        deployment.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
