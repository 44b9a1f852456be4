"""Serving a class: the balancer's configuration, the launcher's refusal without HAProxy, and
the load benchmark's simulated student against a real server (it must speak the protocol the
installed Streamlit speaks, or the benchmark measures nothing)."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "deploy"))

import serve  # noqa: E402  (deploy/serve.py)


def test_the_balancer_keeps_each_tab_on_its_process_with_a_cookie():
    config = serve.render_config("0.0.0.0", 8501, [9001, 9002, 9003])
    assert "bind 0.0.0.0:8501" in config
    assert "cookie descentlab_worker insert indirect nocache" in config
    for index, port in enumerate([9001, 9002, 9003], start=1):
        assert f"server w{index} 127.0.0.1:{port} check cookie w{index}" in config
    assert "{" not in config  # every placeholder filled


@pytest.mark.skipif(shutil.which("haproxy") is None, reason="HAProxy is not installed")
def test_haproxy_accepts_the_configuration(tmp_path):
    path = tmp_path / "haproxy.cfg"
    path.write_text(serve.render_config("127.0.0.1", serve.free_port(), [9001, 9002]))
    checked = subprocess.run(["haproxy", "-c", "-f", str(path)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_make_serve_says_how_to_install_haproxy_when_it_is_missing(tmp_path):
    # a PATH with python but without haproxy
    (tmp_path / "python").symlink_to(sys.executable)
    done = subprocess.run([sys.executable, str(ROOT / "deploy" / "serve.py"), "--workers", "2"],
                          capture_output=True, text=True, env={"PATH": str(tmp_path)}, timeout=60)
    assert done.returncode == 1
    assert "sudo apt-get install haproxy" in done.stderr
    assert "make run" in done.stderr


def test_a_simulated_student_moves_the_steps_slider_and_sees_the_page_computed_for_it():
    from benchmarks.load import servers
    from benchmarks.load.student import Student

    async def visit(port: int) -> list[tuple[float | None, str | None]]:
        student = Student("127.0.0.1", port, "student")
        await student.open()
        seen = [student.rendered(student.finishes[-1], "steps", "steps")]
        for value in (700, 42):
            before = len(student.finishes)
            await student.move_slider("steps", value)
            seen.append(student.rendered(await student.wait_finished(before, 60), "steps",
                                         "steps"))
        await student.close()
        return seen

    with servers.one_process([]) as running:
        seen = asyncio.run(visit(running.port))
    assert seen == [(500.0, "500"), (700.0, "700"), (42.0, "42")]
