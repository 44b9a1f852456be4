"""``streamlit run`` with every script run profiled or timed: where a rerun's server time goes,
and how much CPU each script run takes.

    DESCENT_LAB_PROFILE=/tmp/runs.prof python -m benchmarks.load.profiled_server app.py [flags]
    DESCENT_LAB_RUN_CPU=/tmp/runs.txt python -m benchmarks.load.profiled_server app.py [flags]

With DESCENT_LAB_PROFILE, each ScriptRunner thread (the thread that runs the page script, then
Streamlit's post-run work such as the full garbage collection) runs under its own cProfile; on
SIGUSR1 the profiles of the threads finished since the last SIGUSR1 are merged and written
there (pstats format). With DESCENT_LAB_RUN_CPU, the CPU time of the script thread in each
script run (``time.thread_time``: this thread alone, so the machine's other work does not count)
is recorded; on SIGUSR1 the runs finished since the last SIGUSR1 are written there, one number
of seconds a line. The server's event loop (websocket sends) is in neither.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import signal
import sys
import threading
import time

from streamlit.runtime.scriptrunner import script_runner
from streamlit.web import cli

_profiles: list[cProfile.Profile] = []
_run_cpu: list[float] = []
_lock = threading.Lock()
_run_script_thread = script_runner.ScriptRunner._run_script_thread
_run_script = script_runner.ScriptRunner._run_script


def _profiled_run_script_thread(self) -> None:
    profile = cProfile.Profile(time.thread_time)  # CPU of this thread: no GIL waits
    profile.enable()
    try:
        _run_script_thread(self)
    finally:
        profile.disable()
        with _lock:
            _profiles.append(profile)


def _timed_run_script(self, rerun_data) -> None:
    began = time.thread_time()
    try:
        _run_script(self, rerun_data)
    finally:
        spent = time.thread_time() - began
        with _lock:
            _run_cpu.append(spent)


def _write(path: str, data: bytes) -> None:
    with open(path + ".part", "wb") as out:
        out.write(data)
    os.replace(path + ".part", path)


def _dump(_signum, _frame) -> None:
    with _lock:
        profiles, times = list(_profiles), list(_run_cpu)
        _profiles.clear()
        _run_cpu.clear()
    if "DESCENT_LAB_RUN_CPU" in os.environ:
        _write(os.environ["DESCENT_LAB_RUN_CPU"], "".join(f"{t!r}\n" for t in times).encode())
    if "DESCENT_LAB_PROFILE" not in os.environ:
        return
    path = os.environ["DESCENT_LAB_PROFILE"]
    if not profiles:
        _write(path, b"")  # nothing ran: an empty file says so
        return
    stats = pstats.Stats(profiles[0])
    for profile in profiles[1:]:
        stats.add(profile)
    stats.dump_stats(path + ".part")
    os.replace(path + ".part", path)


def main() -> None:
    if "DESCENT_LAB_PROFILE" in os.environ:
        script_runner.ScriptRunner._run_script_thread = _profiled_run_script_thread
    if "DESCENT_LAB_RUN_CPU" in os.environ:
        script_runner.ScriptRunner._run_script = _timed_run_script
    signal.signal(signal.SIGUSR1, _dump)
    sys.argv = ["streamlit", "run", *sys.argv[1:]]
    cli.main()


if __name__ == "__main__":
    main()
