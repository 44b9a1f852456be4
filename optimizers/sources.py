"""Where a run's gradients come from: the exact gradient, finite differences, noise, or real
mini-batches of a data surface.

A source's code in the kernels is its place in ``GRADIENT_SOURCES``; its parameters reach them
as a float64 vector in the spec's order. The noise of the ``noisy`` source is drawn before a run
(:func:`noise`), so the kernels only add it.

Adding a source: its spec below, its branch in ``optimizers.engine`` (``_evaluate``), a row in
the tables of tests/test_engine.py.
"""

from __future__ import annotations

import numpy as np

from landscapes.hashing import standard_normals
from landscapes.parameters import Parameter
from optimizers.records import GradientSourceSpec

ANALYTIC = GradientSourceSpec(
    "analytic", "Exact gradient", (),
    "The exact partial derivatives: full-batch gradient descent.",
)
FINITE_DIFFERENCE = GradientSourceSpec(
    "finite_difference", "Finite differences",
    (Parameter("h", 1e-5, (0.0, 1.0), "step of the central difference", low_open=True),),
    "Estimate each partial derivative as (f(x + h) - f(x - h)) / 2h: two extra function "
    "evaluations per coordinate, per step.",
)
NOISY = GradientSourceSpec(
    "noisy", "Noisy (mini-batch)",
    (Parameter("noise_scale", 1.0, (0.0, 1e6), "noise of a single example's gradient"),
     Parameter("batch_size", 1, (1, 1e6), "examples averaged per step", kind="int")),
    "The exact gradient plus Gaussian noise of size noise_scale / √batch_size, drawn from "
    "the run's seed: batch size 1 is stochastic gradient descent, larger batches are "
    "mini-batches, and the noise shrinks like one over the square root of the batch.",
)
MINIBATCH = GradientSourceSpec(
    "minibatch", "Mini-batches of the data",
    (Parameter("batch_size", 32, (1, 1e6), "examples per mini-batch", kind="int"),),
    "Data surfaces only. Each step uses the average gradient of a real batch of examples, "
    "dealt out like a shuffled data loader: every epoch visits each example once in a new "
    "order drawn from the seed, and the last batch of an epoch may be smaller. Batch size "
    "1 is stochastic gradient descent; the dataset's size (or more) is full-batch descent.",
    data_only=True,
)

GRADIENT_SOURCES: tuple[GradientSourceSpec, ...] = (ANALYTIC, FINITE_DIFFERENCE, NOISY, MINIBATCH)
"""Every gradient source, in display order."""
CODES = {spec.name: code for code, spec in enumerate(GRADIENT_SOURCES)}


def noise(seed: int, points: int, noise_scale: float, batch_size: float) -> np.ndarray:
    """The noise the ``noisy`` source adds at points 0 .. points - 1, shape (points, 2):
    N(0, (noise_scale / sqrt(batch_size))^2) per coordinate, the noise of a mini-batch of
    ``batch_size`` examples when one example's gradient noise has scale ``noise_scale``. Point
    t's draws are 2t (x) and 2t + 1 (y) of the seed's sequence."""
    scale = noise_scale / np.sqrt(batch_size)
    return np.ascontiguousarray(scale * standard_normals(seed, 2 * points).reshape(points, 2))
