"""The leaderboard: how each run of a race ended, as plain rows, ranked one of a few ways."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from figures.palette import style_of
from figures.status import run_status


def steps_to_tolerance(loss: np.ndarray, target: float) -> int | None:
    """The first step whose loss is at or below ``target`` (None: never); steps whose loss was
    not computed (NaN) are passed over."""
    hits = np.nonzero(np.asarray(loss) <= target)[0]
    return int(hits[0]) if hits.size else None


@dataclass(frozen=True)
class Ranking:
    """One way to order the leaderboard: ``key`` of a row, smaller first."""

    description: str
    key: Callable[[dict[str, Any]], tuple]


def _missing_last(value: float | None) -> tuple[bool, float]:
    return (value is None, 0.0 if value is None else value)


RANKINGS: dict[str, Ranking] = {
    "steps to tolerance": Ranking(
        "The runs that reached the tolerance first, soonest first; then the others by final "
        "loss.",
        lambda row: (*_missing_last(row["steps to tolerance"]), row["final loss"]),
    ),
    "final loss": Ranking(
        "Lowest final loss first.",
        lambda row: (row["final loss"],),
    ),
    "distance to nearest minimum": Ranking(
        "Closest to a known minimum at the end first; runs on a surface without known minima "
        "by final loss.",
        lambda row: (*_missing_last(row["distance to nearest minimum"]), row["final loss"]),
    ),
}
"""The leaderboard's orders, by name. In every one, runs that diverged come last, and runs
that tie keep the order they were given in."""

DEFAULT_RANKING = "steps to tolerance"


def leaderboard(
    runs: Sequence[dict[str, Any]],
    minima: Sequence[tuple[float, float]],
    minimum_value: float,
    tolerance: float,
    rank_by: str = DEFAULT_RANKING,
) -> list[dict[str, Any]]:
    """One row per run, ranked by ``rank_by`` (a name in ``RANKINGS``): final loss, distance
    to the nearest minimum, steps to reach f* + tolerance, and how the run ended in words
    (``figures.status.run_status``: "reached the tolerance at step k", "diverged at step k"
    …). Diverged runs sink to the bottom; ties keep the input order.
    Each row carries the run's line ``color`` and ``text_color``, a shade of it readable on
    white. On a data surface (runs whose ``evaluations`` count ``examples``) a row also says
    how many example gradients the run took: what a mini-batch saves. ``loss`` is the loss
    over all the data, NaN at steps it was not computed for; its last entry is always there.
    """
    try:
        ranking = RANKINGS[rank_by]
    except KeyError:
        raise ValueError(
            f"Unknown ranking: {rank_by!r} (valid rankings: {', '.join(RANKINGS)})"
        ) from None
    counted = any(getattr(run.get("evaluations"), "examples", 0) for run in runs)
    rows = []
    for run in runs:
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
            "text_color": style_of(run)["text"],
            "final loss": float(loss[-1]),
            "distance to nearest minimum": distance,
            "steps to tolerance": reached,
            **({"example gradients": run["evaluations"].examples} if counted else {}),
            "outcome": run_status({**run, "reached_at": reached,
                                   "tolerance": tolerance if math.isfinite(minimum_value)
                                   else None}, why=True),
            "_diverged": run["outcome"].diverged,
        })
    rows.sort(key=lambda r: (r["_diverged"], *ranking.key(r)))  # stable: ties keep input order
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
        row.pop("_diverged")
    return rows
