"""The app's budget: payload and server time of the animated map for 8 runs × 1000 steps.

``run()`` returns lines (name, measured, target, unit). Server time is measured from a config
to the JSON the browser receives, through the same cached functions the pages call: once cold
(simulate, build, serialise) and once warm (a rerun with the same config: the cache hit).
"""

from __future__ import annotations

import time

PAYLOAD_TARGET_MB = 3.0
SERVER_TARGET_MS = 150.0


def _scene():
    from optimizers.specs import OPTIMIZERS
    from ui import compute, settings

    # torch's default rates: none diverges, so every run carries all 1000 steps
    runs = tuple(settings.run(spec.name) for spec in OPTIMIZERS[:8])
    return compute.Scene(settings.surface_setting("rosenbrock"), runs, 1000)


def _best_of(function, repeats: int = 5) -> float:
    best = float("inf")
    for _ in range(repeats):
        began = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - began)
    return best


def run() -> list[tuple[str, float, str, str]]:
    import json
    import logging

    import streamlit.logger

    streamlit.logger.set_log_level("error")  # "no runtime" notices: caching works without one
    logging.getLogger("streamlit").setLevel(logging.ERROR)

    import figures
    from ui import compute

    compute.warm_kernels()
    scene = _scene()

    def cold() -> str:
        compute.trajectories.clear()
        compute.animated_figure.clear()
        compute.surface_view.clear()
        return compute.animated_figure(scene, 780)

    cold_seconds = _best_of(cold)
    figure_json = compute.animated_figure(scene, 780)
    warm_seconds = _best_of(lambda: json.dumps({"figure": compute.animated_figure(scene, 780)}))

    def build_only() -> str:
        view = compute.surface_view(scene.surface)
        return compute.to_json(figures.animated_paths(view, compute.run_payloads(scene),
                                                      height=780))

    build_seconds = _best_of(build_only)
    frames = len(json.loads(figure_json)["frames"])
    return [
        ("app: animated map payload, 8 runs x 1000 steps", len(figure_json) / 1e6,
         f"<= {PAYLOAD_TARGET_MB:g}", "MB"),
        ("app: frames in the animation (last step included)", float(frames), "~150", "frames"),
        ("app: server time, new config (simulate + figure + JSON)", cold_seconds * 1e3,
         f"<= {SERVER_TARGET_MS:g}", "ms"),
        ("app: server time, figure from trajectories (build + JSON)", build_seconds * 1e3,
         f"<= {SERVER_TARGET_MS:g}", "ms"),
        ("app: server time, rerun with cached figure", warm_seconds * 1e3,
         f"<= {SERVER_TARGET_MS:g}", "ms"),
    ]


if __name__ == "__main__":
    for name, measured, target, unit in run():
        print(f"{name}: {measured:.4g} {unit} (target {target} {unit})")
