"""Real mini-batches on a data surface: the time of one step.

``run()`` returns lines (name, measured, target, unit). Each step of the ``minibatch`` source
finds its batch of 32 examples (their positions in the epoch's shuffled order come from the
keyed permutation, with no storage) and computes the batch's loss and gradient, as a torch
loop does: O(batch), not O(n). The reference line is a full-batch step, one pass over all
n = 1000 examples.
"""

from __future__ import annotations

SIZE = 1000
BATCH = 32
STEPS = 20_000
TARGET_US = 2.0


def _per_step(surface, gradient) -> float:
    import optimizers
    from benchmarks.timing import best_of

    optimizers.simulate(surface, "sgd", surface.start, 10, lr=0.01, gradient=gradient)
    seconds = best_of(5, optimizers.simulate, surface, "sgd", surface.start, STEPS, lr=0.01,
                      gradient=gradient)
    return seconds / STEPS


def run() -> list[tuple[str, float, str, str]]:
    import landscapes

    rows = []
    batch = {"name": "minibatch", "batch_size": BATCH}
    for kind in landscapes.data_names():
        surface = landscapes.from_data(kind, size=SIZE)
        step, full = _per_step(surface, batch), _per_step(surface, "analytic")
        rows.append((f"data: {kind}, n = {SIZE}, batch {BATCH}, SGD step",
                     step * 1e6, f"<= {TARGET_US:g}", "µs/step"))
        rows.append(("  reference: a full-batch step (all n examples)", full * 1e6, "-",
                     "µs/step"))
    return rows


if __name__ == "__main__":
    for name, measured, target, unit in run():
        print(f"{name}: {measured:.4g} {unit} (target {target} {unit})")
