"""Hand-written reference implementations, measured in the same run as the engine.

They do the same arithmetic as the engine for one fixed case (Adam on Rosenbrock), with
nothing general about them: a bare jitted loop is the floor a general engine can approach,
and a plain NumPy loop is what the engine replaces.
"""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(error_model="numpy")
def adam_rosenbrock_bare(x, y, steps, lr, beta1, beta2, eps, out):
    """Adam on Rosenbrock, state in local variables, every point written to ``out``."""
    mx = my = vx = vy = 0.0
    p1 = p2 = 1.0
    for t in range(steps):
        r = y - x * x
        gx = -2.0 * (1.0 - x) - 400.0 * x * r
        gy = 200.0 * r
        out[t, 0], out[t, 1] = x, y
        p1 *= beta1
        p2 *= beta2
        step_size = lr / (1.0 - p1)
        bias2 = np.sqrt(1.0 - p2)
        mx += (1.0 - beta1) * (gx - mx)
        my += (1.0 - beta1) * (gy - my)
        vx = vx * beta2 + (1.0 - beta2) * gx * gx
        vy = vy * beta2 + (1.0 - beta2) * gy * gy
        x -= step_size * (mx / (np.sqrt(vx) / bias2 + eps))
        y -= step_size * (my / (np.sqrt(vy) / bias2 + eps))
    return x, y


def adam_rosenbrock_numpy(x, y, steps, lr, beta1, beta2, eps):
    """The same updates as a plain Python loop over NumPy arrays of the two coordinates."""
    p = np.array([x, y], dtype=np.float64)
    m = np.zeros(2)
    v = np.zeros(2)
    path = np.empty((steps, 2))
    for t in range(1, steps + 1):
        r = p[1] - p[0] ** 2
        g = np.array([-2.0 * (1.0 - p[0]) - 400.0 * p[0] * r, 200.0 * r])
        path[t - 1] = p
        m = beta1 * m + (1.0 - beta1) * g
        v = beta2 * v + (1.0 - beta2) * g * g
        m_hat = m / (1.0 - beta1**t)
        v_hat = v / (1.0 - beta2**t)
        p = p - lr * m_hat / (np.sqrt(v_hat) + eps)
    return path
