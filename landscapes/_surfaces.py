"""The math of every built-in surface: value, gradient and Hessian as scalar Numba functions.

This file is the one definition of each surface. The optimizer engine reaches a surface by its
integer code through :func:`value`, :func:`gradient` and :func:`hessian`; the Python registry
(``landscapes.registry``) evaluates the same functions on NumPy arrays through
:func:`evaluate_on`. Every function takes ``(x, y, p)``, where ``p`` is the surface's float64
parameter vector (empty for surfaces without parameters).

A gradient is returned as ``(df/dx, df/dy)``; a Hessian as its three distinct entries
``(d2f/dx2, d2f/dxdy, d2f/dy2)``.
"""

from __future__ import annotations

import numpy as np

from landscapes.jit import jit

# Integer codes, one per surface. The registry maps names to these.
ROSENBROCK = 0
BEALE = 1
SADDLE = 2
QUADRATIC = 3
HIMMELBLAU = 4
RASTRIGIN = 5
ACKLEY = 6
BOOTH = 7
MATYAS = 8
GOLDSTEIN_PRICE = 9
SIX_HUMP_CAMEL = 10
THREE_HUMP_CAMEL = 11
STYBLINSKI_TANG = 12
MONKEY_SADDLE = 13

# What `evaluate_on` computes.
VALUE = 0
GRADIENT = 1
HESSIAN = 2


# --- Rosenbrock: f = (1 - x)^2 + 100 (y - x^2)^2 ------------------------------------------


@jit
def rosenbrock_value(x, y, p):
    return (1.0 - x) ** 2 + 100.0 * (y - x * x) ** 2


@jit
def rosenbrock_gradient(x, y, p):
    r = y - x * x
    return -2.0 * (1.0 - x) - 400.0 * x * r, 200.0 * r


@jit
def rosenbrock_hessian(x, y, p):
    return 2.0 - 400.0 * (y - 3.0 * x * x), -400.0 * x, 200.0


# --- Beale: f = (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2 -------------


@jit
def beale_value(x, y, p):
    a = 1.5 - x + x * y
    b = 2.25 - x + x * y * y
    c = 2.625 - x + x * y**3
    return a * a + b * b + c * c


@jit
def beale_gradient(x, y, p):
    a = 1.5 - x + x * y
    b = 2.25 - x + x * y * y
    c = 2.625 - x + x * y**3
    gx = 2.0 * (a * (y - 1.0) + b * (y * y - 1.0) + c * (y**3 - 1.0))
    gy = 2.0 * x * (a + 2.0 * y * b + 3.0 * y * y * c)
    return gx, gy


@jit
def beale_hessian(x, y, p):
    a = 1.5 - x + x * y
    b = 2.25 - x + x * y * y
    c = 2.625 - x + x * y**3
    ax, bx, cx = y - 1.0, y * y - 1.0, y**3 - 1.0
    ay, by, cy = x, 2.0 * x * y, 3.0 * x * y * y
    fxx = 2.0 * (ax * ax + bx * bx + cx * cx)
    fxy = 2.0 * (ay * ax + a + by * bx + 2.0 * y * b + cy * cx + 3.0 * y * y * c)
    fyy = 2.0 * (ay * ay + by * by + 2.0 * x * b + cy * cy + 6.0 * x * y * c)
    return fxx, fxy, fyy


# --- Saddle: f = x^2 - y^2 ----------------------------------------------------------------


@jit
def saddle_value(x, y, p):
    return x * x - y * y


@jit
def saddle_gradient(x, y, p):
    return 2.0 * x, -2.0 * y


@jit
def saddle_hessian(x, y, p):
    return 2.0, 0.0, -2.0


# --- Ill-conditioned quadratic bowl: f = (x^2 + kappa y^2) / 2, p = (kappa,) ---------------


@jit
def quadratic_value(x, y, p):
    return 0.5 * (x * x + p[0] * y * y)


@jit
def quadratic_gradient(x, y, p):
    return x, p[0] * y


@jit
def quadratic_hessian(x, y, p):
    return 1.0, 0.0, p[0]


# --- Dispatch on the integer code -----------------------------------------------------------


@jit
def value(code, x, y, p):
    """f(x, y) of the surface with this code."""
    if code == ROSENBROCK:
        return rosenbrock_value(x, y, p)
    if code == BEALE:
        return beale_value(x, y, p)
    if code == SADDLE:
        return saddle_value(x, y, p)
    if code == QUADRATIC:
        return quadratic_value(x, y, p)
    return np.nan


@jit
def gradient(code, x, y, p):
    """(df/dx, df/dy) of the surface with this code."""
    if code == ROSENBROCK:
        return rosenbrock_gradient(x, y, p)
    if code == BEALE:
        return beale_gradient(x, y, p)
    if code == SADDLE:
        return saddle_gradient(x, y, p)
    if code == QUADRATIC:
        return quadratic_gradient(x, y, p)
    return np.nan, np.nan


@jit
def hessian(code, x, y, p):
    """(d2f/dx2, d2f/dxdy, d2f/dy2) of the surface with this code."""
    if code == ROSENBROCK:
        return rosenbrock_hessian(x, y, p)
    if code == BEALE:
        return beale_hessian(x, y, p)
    if code == SADDLE:
        return saddle_hessian(x, y, p)
    if code == QUADRATIC:
        return quadratic_hessian(x, y, p)
    return np.nan, np.nan, np.nan


@jit
def evaluate_on(code, p, what, xs, ys, out):
    """Fill ``out`` with the value (out[0]), gradient (out[0:2]) or Hessian (out[0:3]) at points.

    ``xs`` and ``ys`` are flat float64 arrays of equal length; ``out`` has shape (3, len(xs)).
    """
    for i in range(xs.shape[0]):
        x, y = xs[i], ys[i]
        if what == VALUE:
            out[0, i] = value(code, x, y, p)
        elif what == GRADIENT:
            out[0, i], out[1, i] = gradient(code, x, y, p)
        else:
            out[0, i], out[1, i], out[2, i] = hessian(code, x, y, p)
