"""The slide exports' budget: each file of 8 runs × 500 steps drawn in at most 10 s.

``run()`` returns lines (name, measured, target, unit). Each file is drawn as the page's button
draws it (``ui.exports.render``: the scene's runs and surface from the cached computations,
already warm, then every frame drawn and encoded), the best of a few repeats; its CPU time is
given beside it, since on a shared machine the wall time stretches with the others' work.
"""

from __future__ import annotations

import time

EXPORT_TARGET_S = 10.0


def _scene():
    from optimizers.specs import OPTIMIZERS
    from ui import compute, settings

    # torch's default rates: none diverges, so every run carries all 500 steps
    runs = tuple(settings.run(spec.name) for spec in OPTIMIZERS[:8])
    return compute.Scene(settings.surface_setting("rosenbrock"), runs, 500)


def _best_of(function, repeats: int) -> tuple[float, float, int]:
    """The shortest wall time, the CPU time of that repeat, and the result's size in bytes."""
    best = (float("inf"), 0.0, 0)
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        size = len(function())
        best = min(best, (time.perf_counter() - wall, time.process_time() - cpu, size))
    return best


def run(repeats: int = 3) -> list[tuple[str, float, str, str]]:
    import logging

    import streamlit.logger

    streamlit.logger.set_log_level("error")  # "no runtime" notices: caching works without one
    logging.getLogger("streamlit").setLevel(logging.ERROR)

    from figures import export
    from ui import compute, exports

    scene = _scene()
    compute.run_payloads(scene), compute.surface_view(scene.surface)  # the page has them (and
    # the kernels are compiled or loaded by then)
    rows = []
    for kind, spec in exports.EXPORTS.items():
        wall, cpu, size = _best_of(lambda kind=kind: exports.render(scene, kind), repeats)
        width, height = spec.size
        codec = f", {export.mp4_codec()}" if kind == "mp4" else ""
        rows += [
            (f"export {kind.upper()}: 8 runs x 500 steps, {width}x{height}{codec}", wall,
             f"<= {EXPORT_TARGET_S:g}", "s"),
            (f"  its CPU time ({size / 1e6:.2f} MB)", cpu, "-", "s"),
        ]
    return rows
