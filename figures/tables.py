"""The leaderboard: how each run of a race ended, as plain rows."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np


def steps_to_tolerance(loss: np.ndarray, target: float) -> int | None:
    """The first step whose loss is at or below ``target`` (None: never); steps whose loss was
    not computed (NaN) are passed over."""
    hits = np.nonzero(np.asarray(loss) <= target)[0]
    return int(hits[0]) if hits.size else None


def leaderboard(
    runs: Sequence[dict[str, Any]],
    minima: Sequence[tuple[float, float]],
    minimum_value: float,
    tolerance: float,
) -> list[dict[str, Any]]:
    """One row per run, best first: final loss, distance to the nearest minimum, steps to reach
    f* + tolerance, divergence. Diverged runs sink to the bottom; ties keep the input order.
    On a data surface (runs whose ``evaluations`` count ``examples``) a row also says how many
    example gradients the run took: what a mini-batch saves. ``loss`` is the loss over all the
    data, NaN at steps it was not computed for; its last entry is always there.
    """
    counted = any(getattr(run.get("evaluations"), "examples", 0) for run in runs)
    rows = []
    for order, run in enumerate(runs):
        xy = np.asarray(run["xy"], dtype=np.float64).reshape(-1, 2)
        loss = np.asarray(run["loss"], dtype=np.float64)
        final = xy[-1]
        distance = (
            min(math.hypot(final[0] - mx, final[1] - my) for mx, my in minima) if minima else None
        )
        reached = (
            steps_to_tolerance(loss, minimum_value + tolerance)
            if math.isfinite(minimum_value) else None
        )
        rows.append({
            "run": run["name"],
            "color": run["color"],
            "final loss": float(loss[-1]),
            "distance to nearest minimum": distance,
            "steps to tolerance": reached,
            **({"example gradients": run["evaluations"].examples} if counted else {}),
            "diverged": (f"at step {run['diverged_at']}"
                         if run.get("diverged_at") is not None else "no"),
            "_order": order,
            "_diverged": run.get("diverged_at") is not None,
        })
    rows.sort(key=lambda r: (r["_diverged"], r["final loss"], r["_order"]))
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
        row.pop("_order")
        row.pop("_diverged")
    return rows
