"""Every kind of surface the kernels know, as one table, and the dispatch derived from it.

A kind is one math function ``(x, y, p) -> (f, fx, fy, fxx, fxy, fyy)``: each built-in surface
(``landscapes.surfaces``), the typed formula's stack machine (``landscapes.program``) and each
data model's mean loss over its examples (``landscapes.models``). A kind's *code* is its place
in ``MATHS``; the compiled functions below switch on it, and their switches are written from the
table (``landscapes.jit.generate``), so no list of surfaces is ever written out by hand.
"""

from __future__ import annotations

import numpy as np

from landscapes import models, program, surfaces
from landscapes.jit import generate, jit, switch_source


@jit(no_cpython_wrapper=True)
def _data_mean(model, x, y, p):
    n = int(p[0])
    f, gx, gy, hxx, hxy, hyy = models.data_sum(model, x, y, p, n - n, n, np.uint64(0))
    return f / n, gx / n, gy / n, hxx / n, hxy / n, hyy / n


BUILT_IN = {entry.name: code for code, entry in enumerate(surfaces.BUILT_IN)}
"""name -> code of every built-in surface (codes 0 .. len - 1, in display order)."""
FORMULA = len(BUILT_IN)
"""The code of a typed formula (the next free place in the table)."""
DATA = {model.name: FORMULA + 1 + k for k, model in enumerate(models.MODELS)}
"""name -> code of every data model."""
N_KINDS = FORMULA + 1 + len(DATA)
DATA_MODEL = np.array([-1] * (FORMULA + 1) + list(range(len(DATA))), dtype=np.int64)
"""DATA_MODEL[code]: the data model of a data surface (its place in ``models.MODELS``), or -1."""


def is_built_in(code: int) -> bool:
    """Whether ``code`` is a built-in surface's."""
    return code in _BUILT_IN_CODES


_BUILT_IN_CODES = frozenset(BUILT_IN.values())

_BUILT_IN_CALLS = {code: f"{entry.math.__name__}(x, y, p)"
                   for code, entry in enumerate(surfaces.BUILT_IN)}
_OTHER_CALLS = {FORMULA: "formula(x, y, p)",
                **{code: "_data_mean(DATA_MODEL[code], x, y, p)" for code in DATA.values()}}
_CALLS = {**_BUILT_IN_CALLS, **_OTHER_CALLS}
_NAMESPACE = {
    "__name__": __name__, "__file__": __file__, "np": np, "formula": program.formula,
    "_data_mean": _data_mean, "DATA_MODEL": DATA_MODEL,
    **{entry.math.__name__: entry.math for entry in surfaces.BUILT_IN},
}

built_in = generate(
    "built_in",
    switch_source("built_in", "x, y, p",
                  {c: f"return {call}" for c, call in _BUILT_IN_CALLS.items()},
                  "return np.nan, np.nan, np.nan, np.nan, np.nan, np.nan"),
    _NAMESPACE, forceinline=True, no_cpython_wrapper=True,
)
"""``built_in(code, x, y, p) -> (f, fx, fy, fxx, fxy, fyy)`` of the built-in surface with this
code (NaN for any other code). Inlined by LLVM into each compiled caller, which keeps only
what it uses."""

at = generate(
    "at",
    switch_source("at", "x, y, p", {c: f"return {call}" for c, call in _OTHER_CALLS.items()},
                  "return built_in(code, x, y, p)"),
    {**_NAMESPACE, "built_in": built_in}, no_cpython_wrapper=True,
)
"""``at(code, x, y, p)``: as :func:`built_in`, for every kind (typed formulas and data surfaces
too), behind a call: one compiled copy of the dispatch serves every evaluation off the hot
loops (finite differences, Newton's Hessian in a batch, L-BFGS, the maps of typed formulas and
data surfaces)."""


surface_all = generate(
    "surface_all",
    switch_source(
        "surface_all", "points, m, p, f, g",
        {c: f"for r in range(m):\n"
            f"    f[r], g[r], g[m + r], _, _, _ = "
            f"{call.replace('x, y', 'points[r], points[m + r]')}"
         for c, call in _CALLS.items()},
        "f[:m] = np.nan\ng[:] = np.nan",
    ),
    _NAMESPACE, no_cpython_wrapper=True,
)
"""``surface_all(code, points, m, p, f, g)``: f[r] and the gradient (g[r], g[m + r]) of the
kind at m points laid out as (x_0 .. x_{m-1}, y_0 .. y_{m-1}). The switch is outside the
loops, so each loop is straight code over the points that the compiler can vectorise."""

VALUE = 0
GRADIENT = 1
HESSIAN = 2


@jit(inline="always")
def _store(what, out, i, values):
    """Point i's value, gradient or Hessian (``what``) out of its six ``values``."""
    if what == VALUE:
        out[0, i] = values[0]
    elif what == GRADIENT:
        out[0, i], out[1, i] = values[1], values[2]
    else:
        out[0, i], out[1, i], out[2, i] = values[3], values[4], values[5]


@jit
def evaluate_on(code, p, what, xs, ys, out):
    """Fill ``out`` with the value (out[0]), gradient (out[0:2]) or Hessian (out[0:3]) at the
    points (xs[i], ys[i]); ``out`` has shape (3, len(xs))."""
    for i in range(xs.shape[0]):
        _store(what, out, i, at(code, xs[i], ys[i], p))


@jit
def evaluate_built_in_on(code, p, what, xs, ys, out):
    """:func:`evaluate_on` for a built-in surface: it compiles with the surfaces alone (which
    the first trajectory compiles too), without the formula machine and the data loop, so the
    first page's map is drawn sooner."""
    for i in range(xs.shape[0]):
        _store(what, out, i, built_in(code, xs[i], ys[i], p))
