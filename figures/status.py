"""A run's status in words, the same wherever a run is named: legends, tables, exports.

A run of n points x_0 .. x_{n-1} (n - 1 steps) has at most two events, each at a step:

* it **reached the tolerance at step k**: the first k with f(x_k) <= f* + tolerance (only
  where a tolerance is known: ``reached_at`` is given);
* it **diverged at step d** or **left the map at step k** (``optimizers.outcome``).

Shown at step t of an animation, a run is "running" until its first event, then says its
latest event with t >= the event's step ("reached the tolerance at step 12", later perhaps
"left the map at step 80"). Once the animation is past the run's last point, a run with no
event says how it ended: "ran all N steps", or "did not reach the tolerance in N steps" where
a tolerance was known.

The player picks the words for the step it shows in the browser, from ``timeline(run)``.
"""

from __future__ import annotations

from typing import Any

RUNNING = "running"


def _steps(n: int) -> str:
    return f"{n} step" if n == 1 else f"{n} steps"


def _events(run: dict[str, Any], why: bool = False) -> list[tuple[int, str]]:
    """The run's events as (step, words), in the order they happened (with ``why``, a run
    that left the map also says when the loss falls without bound that way)."""
    events = []
    reached = run.get("reached_at")
    if reached is not None:
        events.append((int(reached), f"reached the tolerance at step {int(reached)}"))
    outcome = run.get("outcome")
    if outcome is not None and outcome.label:
        events.append((int(outcome.step), outcome.text if why else outcome.label))
    return sorted(events, key=lambda event: event[0])


def event_words(run: dict[str, Any]) -> str:
    """The words of the run's last event ("diverged at step 37", "reached the tolerance at
    step 12"), or "" for a run that had none: what a legend adds to a run's name."""
    events = _events(run)
    return events[-1][1] if events else ""


def last_step(run: dict[str, Any]) -> int:
    """The step of the run's last point (n - 1 for n points)."""
    return max(len(run["xy"]) - 1, 0)


def run_status(run: dict[str, Any], step: int | None = None, *, why: bool = False) -> str:
    """How ``run`` stands at ``step`` of an animation (None: at the end); with ``why`` (for
    tables), a run that left the map also says when the loss falls without bound that way.

    ``run``: ``xy`` (its points), ``outcome`` (an ``optimizers.Outcome``), and where a
    tolerance is known ``tolerance`` and ``reached_at`` (the first step within it, or None),
    so that "did not reach the tolerance" can be said."""
    events = _events(run, why)
    end = last_step(run)
    if step is not None:
        passed = [words for at, words in events if at <= step]
        if passed:
            return passed[-1]
        if step < end:
            return RUNNING
    if events:
        return events[-1][1]
    if run.get("tolerance") is not None:
        return f"did not reach the tolerance in {_steps(end)}"
    return f"ran all {_steps(end)}"


def timeline(run: dict[str, Any]) -> dict[str, Any]:
    """What the player needs to say ``run_status(run, t)`` at any step t itself:
    ``{"events": [[step, words], ...], "last": the run's last step, "end": the words at its
    end}``. At step t it shows the words of the latest event with step <= t; with none, it is
    "running" while t < last, and says ``end`` from there on."""
    return {"events": [[at, words] for at, words in _events(run)], "last": last_step(run),
            "end": run_status(run)}


def status_at(line: dict[str, Any], step: int) -> str:
    """The words ``timeline`` gives for ``step`` (what ``player.js`` does: ``statusAt``)."""
    passed = [words for at, words in line["events"] if at <= step]
    if passed:
        return passed[-1]
    return RUNNING if step < line["last"] else line["end"]
