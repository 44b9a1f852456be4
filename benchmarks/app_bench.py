"""The app's budget: payload and server time of the player for 8 runs × 1000 steps.

``run()`` returns lines (name, measured, target, unit). Server time is measured from a config
to the bytes the browser receives (the player's manifest and encoded blob, with every run's
neighbourhoods), through the same cached functions the pages call: once cold (simulate,
neighbourhoods, pack) and once warm (a rerun with the same config: the cache hit).
"""

from __future__ import annotations

import time

PAYLOAD_TARGET_MB = 2.0
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
    import optimizers
    from ui import compute, player

    optimizers.prepare()
    scene = _scene()

    def cold():
        for cached in (compute.trajectories, compute.run_neighbourhood, compute._full_paths,
                       compute.surface_view, player.payload):
            cached.clear()
        return player.payload((scene,))

    cold_seconds = _best_of(cold)
    manifest, blob, _ = player.payload((scene,))
    warm_seconds = _best_of(lambda: json.dumps(player.payload((scene,))[0]))

    def pack_only():
        view = compute.surface_view(scene.surface)
        _, raw = figures.player_payload(view, compute.run_payloads(scene),
                                        compute.neighbourhoods(scene))
        return figures.player.encode(raw)

    pack_seconds = _best_of(pack_only)
    size = len(json.dumps(manifest, separators=(",", ":"))) + len(blob)
    return [
        ("app: player payload with neighbourhoods, 8 runs x 1000 steps", size / 1e6,
         f"<= {PAYLOAD_TARGET_MB:g}", "MB"),
        ("app: server time, new config (simulate + neighbourhoods + pack)", cold_seconds * 1e3,
         f"<= {SERVER_TARGET_MS:g}", "ms"),
        ("app: server time, payload from computed runs (pack + encode)", pack_seconds * 1e3,
         f"<= {SERVER_TARGET_MS:g}", "ms"),
        ("app: server time, rerun with cached payload", warm_seconds * 1e3,
         f"<= {SERVER_TARGET_MS:g}", "ms"),
    ]


if __name__ == "__main__":
    for name, measured, target, unit in run():
        print(f"{name}: {measured:.4g} {unit} (target {target} {unit})")
