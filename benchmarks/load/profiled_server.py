"""``streamlit run`` with every script run profiled: where a rerun's server time goes.

    DESCENT_LAB_PROFILE=/tmp/runs.prof python -m benchmarks.load.profiled_server app.py [flags]

Each ScriptRunner thread (the thread that runs the page script, then Streamlit's post-run work
such as the full garbage collection) runs under its own cProfile; on SIGUSR1 the profiles of
the threads finished since the last SIGUSR1 are merged and written to $DESCENT_LAB_PROFILE
(pstats format). The
server's event loop (websocket sends) is not in it.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import signal
import sys
import threading

from streamlit.runtime.scriptrunner import script_runner
from streamlit.web import cli

_profiles: list[cProfile.Profile] = []
_lock = threading.Lock()
_run_script_thread = script_runner.ScriptRunner._run_script_thread


def _profiled_run_script_thread(self) -> None:
    profile = cProfile.Profile()
    profile.enable()
    try:
        _run_script_thread(self)
    finally:
        profile.disable()
        with _lock:
            _profiles.append(profile)


def _dump(_signum, _frame) -> None:
    with _lock:
        profiles = list(_profiles)
        _profiles.clear()
    path = os.environ["DESCENT_LAB_PROFILE"]
    if not profiles:
        open(path, "wb").close()  # nothing ran: an empty file says so
        return
    stats = pstats.Stats(profiles[0])
    for profile in profiles[1:]:
        stats.add(profile)
    stats.dump_stats(path + ".part")
    os.replace(path + ".part", path)


def main() -> None:
    script_runner.ScriptRunner._run_script_thread = _profiled_run_script_thread
    signal.signal(signal.SIGUSR1, _dump)
    sys.argv = ["streamlit", "run", *sys.argv[1:]]
    cli.main()


if __name__ == "__main__":
    main()
