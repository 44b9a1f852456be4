"""The math of every built-in surface: value, gradient and Hessian as scalar Numba functions.

This file is the one definition of each surface. The optimizer engine reaches a surface by its
integer code through :func:`value`, :func:`gradient` and :func:`hessian`; the Python registry
(``landscapes.registry``) evaluates the same functions on NumPy arrays through
:func:`evaluate_on`. Every function takes ``(x, y, p)``, where ``p`` is the surface's float64
parameter vector (empty for surfaces without parameters).

A gradient is returned as ``(df/dx, df/dy)``; a Hessian as its three distinct entries
``(d2f/dx2, d2f/dxdy, d2f/dy2)``.

Data surfaces (a model's loss averaged over a dataset stored in ``p``) are the exception: one
loop, :func:`data_sum`, serves all three kinds, over all examples or over a shuffled
mini-batch, and the engine reaches it directly (see the data section).
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
FORMULA = 14
# Data surfaces: the loss of a model with parameters (x, y) averaged over a dataset stored in p.
LINEAR_REGRESSION = 15
LOGISTIC_REGRESSION = 16
TANH_NETWORK = 17
FIRST_DATA = LINEAR_REGRESSION

# Opcodes of a formula program (built by ``landscapes.formula``; see the formula section).
OP_X = 0
OP_Y = 1
OP_CONST = 2  # followed in the program by the constant's value
OP_ADD = 3
OP_SUB = 4
OP_MUL = 5
OP_DIV = 6
OP_POW = 7
OP_NEG = 8
OP_SIN = 9
OP_COS = 10
OP_TAN = 11
OP_EXP = 12
OP_LOG = 13
OP_SQRT = 14
OP_ABS = 15
OP_TANH = 16
FORMULA_HEADER = 2  # p[0]: the program's length; p[1]: the deepest stack it needs
FORMULA_SLOTS = 6  # per stack entry: f, df/dx, df/dy, d2f/dx2, d2f/dxdy, d2f/dy2
DATA_HEADER = 1  # p[0]: the number of examples n; then the n inputs, then the n targets

# What `evaluate_on` computes.
VALUE = 0
GRADIENT = 1
HESSIAN = 2


# --- Rosenbrock: f = (1 - x)^2 + 100 (y - x^2)^2 ------------------------------------------


@jit(inline="always")
def rosenbrock_value(x, y, p):
    return (1.0 - x) ** 2 + 100.0 * (y - x * x) ** 2


@jit(inline="always")
def rosenbrock_gradient(x, y, p):
    r = y - x * x
    return -2.0 * (1.0 - x) - 400.0 * x * r, 200.0 * r


@jit(inline="always")
def rosenbrock_hessian(x, y, p):
    return 2.0 - 400.0 * (y - 3.0 * x * x), -400.0 * x, 200.0


# --- Beale: f = (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2 -------------


@jit(inline="always")
def beale_value(x, y, p):
    a = 1.5 - x + x * y
    b = 2.25 - x + x * y * y
    c = 2.625 - x + x * y**3
    return a * a + b * b + c * c


@jit(inline="always")
def beale_gradient(x, y, p):
    a = 1.5 - x + x * y
    b = 2.25 - x + x * y * y
    c = 2.625 - x + x * y**3
    gx = 2.0 * (a * (y - 1.0) + b * (y * y - 1.0) + c * (y**3 - 1.0))
    gy = 2.0 * x * (a + 2.0 * y * b + 3.0 * y * y * c)
    return gx, gy


@jit(inline="always")
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


@jit(inline="always")
def saddle_value(x, y, p):
    return x * x - y * y


@jit(inline="always")
def saddle_gradient(x, y, p):
    return 2.0 * x, -2.0 * y


@jit(inline="always")
def saddle_hessian(x, y, p):
    return 2.0, 0.0, -2.0


# --- Ill-conditioned quadratic bowl: f = (x^2 + kappa y^2) / 2, p = (kappa,) ---------------


@jit(inline="always")
def quadratic_value(x, y, p):
    return 0.5 * (x * x + p[0] * y * y)


@jit(inline="always")
def quadratic_gradient(x, y, p):
    return x, p[0] * y


@jit(inline="always")
def quadratic_hessian(x, y, p):
    return 1.0, 0.0, p[0]


# --- Himmelblau: f = (x^2 + y - 11)^2 + (x + y^2 - 7)^2 -----------------------------------


@jit(inline="always")
def himmelblau_value(x, y, p):
    a = x * x + y - 11.0
    b = x + y * y - 7.0
    return a * a + b * b


@jit(inline="always")
def himmelblau_gradient(x, y, p):
    a = x * x + y - 11.0
    b = x + y * y - 7.0
    return 4.0 * x * a + 2.0 * b, 2.0 * a + 4.0 * y * b


@jit(inline="always")
def himmelblau_hessian(x, y, p):
    a = x * x + y - 11.0
    b = x + y * y - 7.0
    return 4.0 * a + 8.0 * x * x + 2.0, 4.0 * (x + y), 4.0 * b + 8.0 * y * y + 2.0


# --- Rastrigin (A = 10): f = 20 + sum_i (x_i^2 - 10 cos(2 pi x_i)) ------------------------


@jit(inline="always")
def rastrigin_value(x, y, p):
    w = 2.0 * np.pi
    return 20.0 + x * x - 10.0 * np.cos(w * x) + y * y - 10.0 * np.cos(w * y)


@jit(inline="always")
def rastrigin_gradient(x, y, p):
    w = 2.0 * np.pi
    return 2.0 * x + 10.0 * w * np.sin(w * x), 2.0 * y + 10.0 * w * np.sin(w * y)


@jit(inline="always")
def rastrigin_hessian(x, y, p):
    w = 2.0 * np.pi
    return 2.0 + 10.0 * w * w * np.cos(w * x), 0.0, 2.0 + 10.0 * w * w * np.cos(w * y)


# --- Ackley: f = -20 exp(-0.2 r) - exp((cos 2 pi x + cos 2 pi y) / 2) + e + 20 ------------
# with r = sqrt((x^2 + y^2) / 2). The cone -20 exp(-0.2 r) has a kink at the origin: there its
# gradient is taken as the zero subgradient and its (infinite) curvature is left out of the
# Hessian, so every derivative stays finite. Away from it, with u = x / r and v = y / r
# (u^2 + v^2 = 2), the cone contributes grad = 2 e^{-0.2 r} (u, v) and
# Hessian = e^{-0.2 r} (v^2 / r - 0.2 u^2, -uv (0.2 + 1 / r), u^2 / r - 0.2 v^2).


@jit(inline="always")
def ackley_value(x, y, p):
    w = 2.0 * np.pi
    r = np.sqrt(0.5 * (x * x + y * y))
    waves = np.exp(0.5 * (np.cos(w * x) + np.cos(w * y)))
    return -20.0 * np.exp(-0.2 * r) - waves + np.e + 20.0


@jit(inline="always")
def ackley_gradient(x, y, p):
    w = 2.0 * np.pi
    r = np.sqrt(0.5 * (x * x + y * y))
    waves = np.exp(0.5 * (np.cos(w * x) + np.cos(w * y)))
    gx = np.pi * np.sin(w * x) * waves
    gy = np.pi * np.sin(w * y) * waves
    if r > 0.0:
        cone = 2.0 * np.exp(-0.2 * r)
        gx += cone * (x / r)
        gy += cone * (y / r)
    return gx, gy


@jit(inline="always")
def ackley_hessian(x, y, p):
    w = 2.0 * np.pi
    r = np.sqrt(0.5 * (x * x + y * y))
    waves = np.pi * np.pi * np.exp(0.5 * (np.cos(w * x) + np.cos(w * y)))
    sx, sy = np.sin(w * x), np.sin(w * y)
    fxx = waves * (2.0 * np.cos(w * x) - sx * sx)
    fxy = -waves * sx * sy
    fyy = waves * (2.0 * np.cos(w * y) - sy * sy)
    if r > 0.0:
        cone = np.exp(-0.2 * r)
        u, v = x / r, y / r
        fxx += cone * (v * v / r - 0.2 * u * u)
        fxy -= cone * u * v * (0.2 + 1.0 / r)
        fyy += cone * (u * u / r - 0.2 * v * v)
    return fxx, fxy, fyy


# --- Booth: f = (x + 2y - 7)^2 + (2x + y - 5)^2 -------------------------------------------


@jit(inline="always")
def booth_value(x, y, p):
    a = x + 2.0 * y - 7.0
    b = 2.0 * x + y - 5.0
    return a * a + b * b


@jit(inline="always")
def booth_gradient(x, y, p):
    a = x + 2.0 * y - 7.0
    b = 2.0 * x + y - 5.0
    return 2.0 * a + 4.0 * b, 4.0 * a + 2.0 * b


@jit(inline="always")
def booth_hessian(x, y, p):
    return 10.0, 8.0, 10.0


# --- Matyas: f = 0.26 (x^2 + y^2) - 0.48 xy -----------------------------------------------


@jit(inline="always")
def matyas_value(x, y, p):
    return 0.26 * (x * x + y * y) - 0.48 * x * y


@jit(inline="always")
def matyas_gradient(x, y, p):
    return 0.52 * x - 0.48 * y, 0.52 * y - 0.48 * x


@jit(inline="always")
def matyas_hessian(x, y, p):
    return 0.52, -0.48, 0.52


# --- Goldstein-Price: f = P Q, with s = x + y + 1, t = 2x - 3y and ------------------------
# P = 1 + s^2 (19 - 14x + 3x^2 - 14y + 6xy + 3y^2) = 1 + s^2 A,
# Q = 30 + t^2 (18 - 32x + 12x^2 + 48y - 36xy + 27y^2) = 30 + t^2 B.


@jit(inline="always")
def goldstein_price_value(x, y, p):
    s = x + y + 1.0
    t = 2.0 * x - 3.0 * y
    a = 19.0 - 14.0 * x + 3.0 * x * x - 14.0 * y + 6.0 * x * y + 3.0 * y * y
    b = 18.0 - 32.0 * x + 12.0 * x * x + 48.0 * y - 36.0 * x * y + 27.0 * y * y
    return (1.0 + s * s * a) * (30.0 + t * t * b)


@jit(inline="always")
def goldstein_price_gradient(x, y, p):
    s = x + y + 1.0
    t = 2.0 * x - 3.0 * y
    a = 19.0 - 14.0 * x + 3.0 * x * x - 14.0 * y + 6.0 * x * y + 3.0 * y * y
    b = 18.0 - 32.0 * x + 12.0 * x * x + 48.0 * y - 36.0 * x * y + 27.0 * y * y
    a_xy = -14.0 + 6.0 * x + 6.0 * y  # dA/dx = dA/dy
    b_x = -32.0 + 24.0 * x - 36.0 * y
    b_y = 48.0 - 36.0 * x + 54.0 * y
    big_p = 1.0 + s * s * a
    big_q = 30.0 + t * t * b
    p_x = 2.0 * s * a + s * s * a_xy  # dP/dx = dP/dy, since ds/dx = ds/dy = 1
    q_x = 4.0 * t * b + t * t * b_x  # dt/dx = 2
    q_y = -6.0 * t * b + t * t * b_y  # dt/dy = -3
    return p_x * big_q + big_p * q_x, p_x * big_q + big_p * q_y


@jit(inline="always")
def goldstein_price_hessian(x, y, p):
    s = x + y + 1.0
    t = 2.0 * x - 3.0 * y
    a = 19.0 - 14.0 * x + 3.0 * x * x - 14.0 * y + 6.0 * x * y + 3.0 * y * y
    b = 18.0 - 32.0 * x + 12.0 * x * x + 48.0 * y - 36.0 * x * y + 27.0 * y * y
    a_xy = -14.0 + 6.0 * x + 6.0 * y
    b_x = -32.0 + 24.0 * x - 36.0 * y
    b_y = 48.0 - 36.0 * x + 54.0 * y
    big_p = 1.0 + s * s * a
    big_q = 30.0 + t * t * b
    p_x = 2.0 * s * a + s * s * a_xy
    q_x = 4.0 * t * b + t * t * b_x
    q_y = -6.0 * t * b + t * t * b_y
    # A has constant second derivatives 6, 6, 6, so every second derivative of P is the same.
    p_xx = 2.0 * a + 4.0 * s * a_xy + 6.0 * s * s
    # B has second derivatives 24, -36, 54.
    q_xx = 8.0 * b + 8.0 * t * b_x + 24.0 * t * t
    q_xy = -12.0 * b + 4.0 * t * b_y - 6.0 * t * b_x - 36.0 * t * t
    q_yy = 18.0 * b - 12.0 * t * b_y + 54.0 * t * t
    fxx = p_xx * big_q + 2.0 * p_x * q_x + big_p * q_xx
    fxy = p_xx * big_q + p_x * q_y + p_x * q_x + big_p * q_xy
    fyy = p_xx * big_q + 2.0 * p_x * q_y + big_p * q_yy
    return fxx, fxy, fyy


# --- Six-hump camel: f = (4 - 2.1x^2 + x^4 / 3) x^2 + xy + (-4 + 4y^2) y^2 ----------------


@jit(inline="always")
def six_hump_camel_value(x, y, p):
    x2, y2 = x * x, y * y
    return (4.0 - 2.1 * x2 + x2 * x2 / 3.0) * x2 + x * y + (-4.0 + 4.0 * y2) * y2


@jit(inline="always")
def six_hump_camel_gradient(x, y, p):
    x2 = x * x
    gx = 8.0 * x - 8.4 * x2 * x + 2.0 * x2 * x2 * x + y
    gy = x - 8.0 * y + 16.0 * y * y * y
    return gx, gy


@jit(inline="always")
def six_hump_camel_hessian(x, y, p):
    x2 = x * x
    return 8.0 - 25.2 * x2 + 10.0 * x2 * x2, 1.0, -8.0 + 48.0 * y * y


# --- Three-hump camel: f = 2x^2 - 1.05x^4 + x^6 / 6 + xy + y^2 ----------------------------


@jit(inline="always")
def three_hump_camel_value(x, y, p):
    x2 = x * x
    return 2.0 * x2 - 1.05 * x2 * x2 + x2 * x2 * x2 / 6.0 + x * y + y * y


@jit(inline="always")
def three_hump_camel_gradient(x, y, p):
    x2 = x * x
    return 4.0 * x - 4.2 * x2 * x + x2 * x2 * x + y, x + 2.0 * y


@jit(inline="always")
def three_hump_camel_hessian(x, y, p):
    x2 = x * x
    return 4.0 - 12.6 * x2 + 5.0 * x2 * x2, 1.0, 2.0


# --- Styblinski-Tang: f = sum_i (x_i^4 - 16 x_i^2 + 5 x_i) / 2 ----------------------------


@jit(inline="always")
def styblinski_tang_value(x, y, p):
    x2, y2 = x * x, y * y
    return 0.5 * (x2 * x2 - 16.0 * x2 + 5.0 * x + y2 * y2 - 16.0 * y2 + 5.0 * y)


@jit(inline="always")
def styblinski_tang_gradient(x, y, p):
    return 2.0 * x**3 - 16.0 * x + 2.5, 2.0 * y**3 - 16.0 * y + 2.5


@jit(inline="always")
def styblinski_tang_hessian(x, y, p):
    return 6.0 * x * x - 16.0, 0.0, 6.0 * y * y - 16.0


# --- Monkey saddle: f = x^3 - 3xy^2 -------------------------------------------------------


@jit(inline="always")
def monkey_saddle_value(x, y, p):
    return x**3 - 3.0 * x * y * y


@jit(inline="always")
def monkey_saddle_gradient(x, y, p):
    return 3.0 * (x * x - y * y), -6.0 * x * y


@jit(inline="always")
def monkey_saddle_hessian(x, y, p):
    return 6.0 * x, -6.0 * y, -6.0 * x


# --- Formula: f typed by the user, p = (n, depth, program[n], stack[FORMULA_SLOTS * depth]) ------
# The program is the formula in postfix (landscapes.formula compiles it). A small stack machine
# runs it with forward-mode automatic differentiation to second order: every stack entry is
# (f, f_x, f_y, f_xx, f_xy, f_yy) of a subexpression, combined by the rules of calculus, so the
# derivatives are exact (no finite differences). The stack lives at the tail of p: the kernels
# allocate nothing, and every caller passes its own copy of p (batch_kernel: one per thread).


@jit
def _int_power(a, n):
    """a**n for an integer n, by repeated squaring (as Numba computes float ** int)."""
    m = abs(n)
    result = 1.0
    while m:
        if m & 1:
            result *= a
        m >>= 1
        a *= a
    return 1.0 / result if n < 0 else result


@jit
def _power(a, c):
    if c == np.floor(c) and abs(c) <= 64.0:
        return _int_power(a, int(c))
    return a**c


@jit
def _formula_chain(p, k, u, d1, d2):
    """Entry k, holding a, becomes g(a), where g(a) = u, g'(a) = d1 and g''(a) = d2."""
    ax, ay = p[k + 1], p[k + 2]
    if ax == 0.0 and ay == 0.0 and p[k + 3] == 0.0 and p[k + 4] == 0.0 and p[k + 5] == 0.0:
        p[k] = u  # a constant stays a constant, even where g' is infinite (sqrt(0))
        return
    p[k + 3] = d2 * ax * ax + d1 * p[k + 3]
    p[k + 4] = d2 * ax * ay + d1 * p[k + 4]
    p[k + 5] = d2 * ay * ay + d1 * p[k + 5]
    p[k + 1] = d1 * ax
    p[k + 2] = d1 * ay
    p[k] = u


@jit
def _formula_binary(p, op, j, k):
    """Entry j, holding a, becomes a (op) b for b in entry k."""
    a, ax, ay, axx, axy, ayy = p[j], p[j + 1], p[j + 2], p[j + 3], p[j + 4], p[j + 5]
    b, bx, by, bxx, bxy, byy = p[k], p[k + 1], p[k + 2], p[k + 3], p[k + 4], p[k + 5]
    if op == OP_ADD:
        p[j], p[j + 1], p[j + 2] = a + b, ax + bx, ay + by
        p[j + 3], p[j + 4], p[j + 5] = axx + bxx, axy + bxy, ayy + byy
    elif op == OP_SUB:
        p[j], p[j + 1], p[j + 2] = a - b, ax - bx, ay - by
        p[j + 3], p[j + 4], p[j + 5] = axx - bxx, axy - bxy, ayy - byy
    elif op == OP_MUL:
        p[j], p[j + 1], p[j + 2] = a * b, ax * b + a * bx, ay * b + a * by
        p[j + 3] = axx * b + 2.0 * ax * bx + a * bxx
        p[j + 4] = axy * b + ax * by + ay * bx + a * bxy
        p[j + 5] = ayy * b + 2.0 * ay * by + a * byy
    elif op == OP_DIV:  # q = a / b, from a = q b differentiated twice
        q = a / b
        qx, qy = (ax - q * bx) / b, (ay - q * by) / b
        p[j], p[j + 1], p[j + 2] = q, qx, qy
        p[j + 3] = (axx - 2.0 * qx * bx - q * bxx) / b
        p[j + 4] = (axy - qx * by - qy * bx - q * bxy) / b
        p[j + 5] = (ayy - 2.0 * qy * by - q * byy) / b
    elif bx == 0.0 and by == 0.0 and bxx == 0.0 and bxy == 0.0 and byy == 0.0:
        # a^c with a constant exponent: the power rule, defined for a negative base too
        d1 = d2 = 0.0
        if b != 0.0:
            d1 = b * _power(a, b - 1.0)
            if b != 1.0:
                d2 = b * (b - 1.0) * _power(a, b - 2.0)
        _formula_chain(p, j, _power(a, b), d1, d2)
    else:  # a^b = exp(g) with g = b log(a): f' = f g', f'' = f (g'' + g' g'^T); needs a > 0
        f = _power(a, b)
        la = np.log(a)
        gx, gy = bx * la + b * ax / a, by * la + b * ay / a
        gxx = bxx * la + 2.0 * bx * ax / a + b * (axx / a - ax * ax / (a * a))
        gxy = bxy * la + (bx * ay + by * ax) / a + b * (axy / a - ax * ay / (a * a))
        gyy = byy * la + 2.0 * by * ay / a + b * (ayy / a - ay * ay / (a * a))
        p[j], p[j + 1], p[j + 2] = f, f * gx, f * gy
        p[j + 3], p[j + 4], p[j + 5] = f * (gxx + gx * gx), f * (gxy + gx * gy), f * (gyy + gy * gy)


@jit
def _formula_function(p, op, k):
    """Entry k, holding a, becomes fn(a) for the function of opcode op."""
    a = p[k]
    if op == OP_SIN:
        s, c = np.sin(a), np.cos(a)
        _formula_chain(p, k, s, c, -s)
    elif op == OP_COS:
        s, c = np.sin(a), np.cos(a)
        _formula_chain(p, k, c, -s, -c)
    elif op == OP_TAN:
        t = np.tan(a)
        _formula_chain(p, k, t, 1.0 + t * t, 2.0 * t * (1.0 + t * t))
    elif op == OP_EXP:
        u = np.exp(a)
        _formula_chain(p, k, u, u, u)
    elif op == OP_LOG:
        _formula_chain(p, k, np.log(a), 1.0 / a, -1.0 / (a * a))
    elif op == OP_SQRT:
        u = np.sqrt(a)
        _formula_chain(p, k, u, 0.5 / u, -0.25 / (u * a))
    elif op == OP_ABS:
        _formula_chain(p, k, abs(a), np.sign(a), 0.0)
    elif op == OP_TANH:
        t = np.tanh(a)
        _formula_chain(p, k, t, 1.0 - t * t, -2.0 * t * (1.0 - t * t))
    else:
        _formula_chain(p, k, np.nan, np.nan, np.nan)


@jit
def formula_run(x, y, p):
    """Run the program in p at (x, y); the result (f and its derivatives) is the stack's first
    entry, whose index into p is returned."""
    base = FORMULA_HEADER + int(p[0])
    k = base - FORMULA_SLOTS  # the top entry (none yet)
    pc = FORMULA_HEADER
    while pc < base:
        op = int(p[pc])
        pc += 1
        if op <= OP_CONST:
            k += FORMULA_SLOTS
            if op == OP_CONST:
                p[k] = p[pc]
                pc += 1
            else:
                p[k] = x if op == OP_X else y
            p[k + 1] = 1.0 if op == OP_X else 0.0
            p[k + 2] = 1.0 if op == OP_Y else 0.0
            p[k + 3] = p[k + 4] = p[k + 5] = 0.0
        elif op <= OP_POW:
            _formula_binary(p, op, k - FORMULA_SLOTS, k)
            k -= FORMULA_SLOTS
        elif op == OP_NEG:
            for i in range(FORMULA_SLOTS):
                p[k + i] = -p[k + i]
        else:
            _formula_function(p, op, k)
    return base


@jit
def formula_value(x, y, p):
    return p[formula_run(x, y, p)]


@jit
def formula_gradient(x, y, p):
    k = formula_run(x, y, p)
    return p[k + 1], p[k + 2]


@jit
def formula_hessian(x, y, p):
    k = formula_run(x, y, p)
    return p[k + 3], p[k + 4], p[k + 5]


# --- Data surfaces: p = (n, inputs u[n], targets v[n]) ----------------------------------------
# The point (x, y) is a model's two parameters and f is its loss averaged over the n examples
# (u_i, v_i): f = (1/n) sum_i l(x, y; u_i, v_i). The examples are drawn in Python
# (landscapes.data) and stored in p like a formula's program; the kernels only loop over them.
#   linear regression     l = (x u + y - v)^2                         (w = x, b = y)
#   logistic regression   l = log(1 + e^z) - v z,  z = x u + y,  v in {0, 1}
#   tanh network          l = (y tanh(x u) - v)^2                     (w1 = x, w2 = y)


_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_S27, _S30, _S31 = np.uint64(27), np.uint64(30), np.uint64(31)
_ONE = np.uint64(1)
FEISTEL_ROUNDS = 4


@jit
def shuffled_index(position, n, key):
    """The example at ``position`` of a keyed pseudo-random permutation of range(n).

    A data loader with shuffle=True deals the n examples in a fresh random order every
    epoch; storing that order would need an array, which the kernels never allocate. Instead
    the permutation is computed one position at a time by a small Feistel network over
    [0, 2^k), 2^k the next power of two >= n: the k bits of a value are split into a left
    part L of ceil(k / 2) bits and a right part R of the rest, and each of four rounds maps
    (L, R) to (R, L xor F(R)), where F is a SplitMix64 hash of R, the key and the round,
    cut to L's width (so the parts trade widths every round). A round is undone by
    recomputing F(R), so the network permutes [0, 2^k). *Cycle-walking* applies it again
    while the value lands in [n, 2^k): following a cycle of a permutation of [0, 2^k) from a
    value below n always comes back below n, so the result is a permutation of range(n); as
    2^k < 2n it takes fewer than two applications on average. The key is a uint64 (the
    engine hashes (seed, epoch) into it); same (n, key), same order, on any thread.
    """
    bits = 0
    while (1 << bits) < n:
        bits += 1
    v = np.uint64(position)
    while True:
        wr = np.uint64(bits // 2)
        wl = np.uint64(bits) - wr
        left, right = v >> wr, v & ((_ONE << wr) - _ONE)
        for r in range(FEISTEL_ROUNDS):
            z = (key ^ right) + np.uint64(r + 1) * _GOLDEN  # SplitMix64 of (key, round, R)
            z = (z ^ (z >> _S30)) * _MIX1
            z = (z ^ (z >> _S27)) * _MIX2
            f = (z ^ (z >> _S31)) & ((_ONE << wl) - _ONE)
            left, right = right, left ^ f
            wl, wr = wr, wl
        v = (left << wr) | right
        if v < np.uint64(n):
            return np.int64(v)


@jit
def data_sum(code, x, y, p, first, last, key):
    """The sums of the loss and its gradient over the examples at positions first .. last - 1,
    in data order when ``key`` is 0, else in the shuffled order :func:`shuffled_index`."""
    n = int(p[0])
    f = gx = gy = 0.0
    for position in range(first, last):
        i = position if key == 0 else shuffled_index(position, n, key)
        u, v = p[DATA_HEADER + i], p[DATA_HEADER + n + i]
        if code == LINEAR_REGRESSION:
            r = x * u + y - v
            f += r * r
            gx += 2.0 * r * u
            gy += 2.0 * r
        elif code == LOGISTIC_REGRESSION:
            z = x * u + y
            e = np.exp(-abs(z))  # log(1 + e^z) and the sigmoid, without overflow
            sigma = 1.0 / (1.0 + e) if z >= 0.0 else e / (1.0 + e)
            f += max(z, 0.0) + np.log1p(e) - v * z
            gx += (sigma - v) * u
            gy += sigma - v
        else:
            t = np.tanh(x * u)
            r = y * t - v
            f += r * r
            gx += 2.0 * r * y * (1.0 - t * t) * u
            gy += 2.0 * r * t
    return f, gx, gy


@jit
def data_hessian(code, x, y, p):
    """The Hessian of f, averaged over every example."""
    n = int(p[0])
    hxx = hxy = hyy = 0.0
    for i in range(n):
        u, v = p[DATA_HEADER + i], p[DATA_HEADER + n + i]
        if code == LINEAR_REGRESSION:
            a, b, c = 2.0 * u * u, 2.0 * u, 2.0
        elif code == LOGISTIC_REGRESSION:
            e = np.exp(-abs(x * u + y))
            curvature = e / ((1.0 + e) * (1.0 + e))  # sigma (1 - sigma)
            a, b, c = curvature * u * u, curvature * u, curvature
        else:
            t = np.tanh(x * u)
            s = 1.0 - t * t  # dt/dx = s u, ds/dx = -2 t s u
            r = y * t - v
            a = 2.0 * y * u * u * s * (y * s - 2.0 * r * t)
            b, c = 2.0 * s * u * (y * t + r), 2.0 * t * t
        hxx += a
        hxy += b
        hyy += c
    return hxx / n, hxy / n, hyy / n


# --- Dispatch on the integer code -----------------------------------------------------------


@jit(inline="always")
def builtin_value(code, x, y, p):
    """f(x, y) of the built-in surface with this code (NaN for any other code).

    Not for data surfaces: their loop over the examples is reached through :func:`data_sum`
    (the engine's ``loss_and_gradient`` and :func:`evaluate_on` branch to it), which keeps it
    out of this switch that is copied into every caller; here they give NaN.
    """
    if code == ROSENBROCK:
        return rosenbrock_value(x, y, p)
    if code == BEALE:
        return beale_value(x, y, p)
    if code == SADDLE:
        return saddle_value(x, y, p)
    if code == QUADRATIC:
        return quadratic_value(x, y, p)
    if code == HIMMELBLAU:
        return himmelblau_value(x, y, p)
    if code == RASTRIGIN:
        return rastrigin_value(x, y, p)
    if code == ACKLEY:
        return ackley_value(x, y, p)
    if code == BOOTH:
        return booth_value(x, y, p)
    if code == MATYAS:
        return matyas_value(x, y, p)
    if code == GOLDSTEIN_PRICE:
        return goldstein_price_value(x, y, p)
    if code == SIX_HUMP_CAMEL:
        return six_hump_camel_value(x, y, p)
    if code == THREE_HUMP_CAMEL:
        return three_hump_camel_value(x, y, p)
    if code == STYBLINSKI_TANG:
        return styblinski_tang_value(x, y, p)
    if code == MONKEY_SADDLE:
        return monkey_saddle_value(x, y, p)
    return np.nan


@jit(inline="always")
def value(code, x, y, p):
    """f(x, y) of the surface with this code: a built-in or a typed formula."""
    if code == FORMULA:
        return formula_value(x, y, p)
    return builtin_value(code, x, y, p)


@jit(inline="always")
def builtin_gradient(code, x, y, p):
    """(df/dx, df/dy) of the built-in surface with this code (NaN for any other code)."""
    if code == ROSENBROCK:
        return rosenbrock_gradient(x, y, p)
    if code == BEALE:
        return beale_gradient(x, y, p)
    if code == SADDLE:
        return saddle_gradient(x, y, p)
    if code == QUADRATIC:
        return quadratic_gradient(x, y, p)
    if code == HIMMELBLAU:
        return himmelblau_gradient(x, y, p)
    if code == RASTRIGIN:
        return rastrigin_gradient(x, y, p)
    if code == ACKLEY:
        return ackley_gradient(x, y, p)
    if code == BOOTH:
        return booth_gradient(x, y, p)
    if code == MATYAS:
        return matyas_gradient(x, y, p)
    if code == GOLDSTEIN_PRICE:
        return goldstein_price_gradient(x, y, p)
    if code == SIX_HUMP_CAMEL:
        return six_hump_camel_gradient(x, y, p)
    if code == THREE_HUMP_CAMEL:
        return three_hump_camel_gradient(x, y, p)
    if code == STYBLINSKI_TANG:
        return styblinski_tang_gradient(x, y, p)
    if code == MONKEY_SADDLE:
        return monkey_saddle_gradient(x, y, p)
    return np.nan, np.nan


@jit(inline="always")
def gradient(code, x, y, p):
    """(df/dx, df/dy) of the surface with this code (not for data surfaces: see
    :func:`builtin_value`)."""
    if code == FORMULA:
        return formula_gradient(x, y, p)
    return builtin_gradient(code, x, y, p)


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
    if code == HIMMELBLAU:
        return himmelblau_hessian(x, y, p)
    if code == RASTRIGIN:
        return rastrigin_hessian(x, y, p)
    if code == ACKLEY:
        return ackley_hessian(x, y, p)
    if code == BOOTH:
        return booth_hessian(x, y, p)
    if code == MATYAS:
        return matyas_hessian(x, y, p)
    if code == GOLDSTEIN_PRICE:
        return goldstein_price_hessian(x, y, p)
    if code == SIX_HUMP_CAMEL:
        return six_hump_camel_hessian(x, y, p)
    if code == THREE_HUMP_CAMEL:
        return three_hump_camel_hessian(x, y, p)
    if code == STYBLINSKI_TANG:
        return styblinski_tang_hessian(x, y, p)
    if code == MONKEY_SADDLE:
        return monkey_saddle_hessian(x, y, p)
    if code == FORMULA:
        return formula_hessian(x, y, p)
    if code >= FIRST_DATA:
        return data_hessian(code, x, y, p)
    return np.nan, np.nan, np.nan


@jit
def evaluate_on(code, p, what, xs, ys, out):
    """Fill ``out`` with the value (out[0]), gradient (out[0:2]) or Hessian (out[0:3]) at points.

    ``xs`` and ``ys`` are flat float64 arrays of equal length; ``out`` has shape (3, len(xs)).
    """
    if code >= FIRST_DATA and what != HESSIAN:
        n = int(p[0])
        for i in range(xs.shape[0]):
            f, gx, gy = data_sum(code, xs[i], ys[i], p, n - n, n, np.uint64(0))
            out[0, i], out[1, i], out[2, i] = (f / n, gx / n, 0.0) if what == VALUE else (
                gx / n, gy / n, 0.0)
        return
    for i in range(xs.shape[0]):
        x, y = xs[i], ys[i]
        if what == VALUE:
            out[0, i] = value(code, x, y, p)
        elif what == GRADIENT:
            out[0, i], out[1, i] = gradient(code, x, y, p)
        else:
            out[0, i], out[1, i], out[2, i] = hessian(code, x, y, p)


@jit
def values_and_gradients(code, p, m, sp, f, g, with_values):
    """For each of m points (p[r], p[m + r]): the gradient (g[r], g[m + r]) and, if
    ``with_values``, f[r] (otherwise f is left as it is).

    The dispatch sits outside the loops, so each loop is straight-line code over the points
    that the compiler can vectorise (a switch inside one loop would stop it).
    """
    if code == ROSENBROCK:
        for r in range(m):
            g[r], g[m + r] = rosenbrock_gradient(p[r], p[m + r], sp)
        if with_values:
            for r in range(m):
                f[r] = rosenbrock_value(p[r], p[m + r], sp)
    elif code == BEALE:
        for r in range(m):
            g[r], g[m + r] = beale_gradient(p[r], p[m + r], sp)
        if with_values:
            for r in range(m):
                f[r] = beale_value(p[r], p[m + r], sp)
    elif code == SADDLE:
        for r in range(m):
            g[r], g[m + r] = saddle_gradient(p[r], p[m + r], sp)
        if with_values:
            for r in range(m):
                f[r] = saddle_value(p[r], p[m + r], sp)
    elif code == QUADRATIC:
        for r in range(m):
            g[r], g[m + r] = quadratic_gradient(p[r], p[m + r], sp)
        if with_values:
            for r in range(m):
                f[r] = quadratic_value(p[r], p[m + r], sp)
    elif code == HIMMELBLAU:
        for r in range(m):
            g[r], g[m + r] = himmelblau_gradient(p[r], p[m + r], sp)
        if with_values:
            for r in range(m):
                f[r] = himmelblau_value(p[r], p[m + r], sp)
    elif code == RASTRIGIN:
        for r in range(m):
            g[r], g[m + r] = rastrigin_gradient(p[r], p[m + r], sp)
        if with_values:
            for r in range(m):
                f[r] = rastrigin_value(p[r], p[m + r], sp)
    elif code == ACKLEY:
        for r in range(m):
            g[r], g[m + r] = ackley_gradient(p[r], p[m + r], sp)
        if with_values:
            for r in range(m):
                f[r] = ackley_value(p[r], p[m + r], sp)
    elif code == BOOTH:
        for r in range(m):
            g[r], g[m + r] = booth_gradient(p[r], p[m + r], sp)
        if with_values:
            for r in range(m):
                f[r] = booth_value(p[r], p[m + r], sp)
    elif code == MATYAS:
        for r in range(m):
            g[r], g[m + r] = matyas_gradient(p[r], p[m + r], sp)
        if with_values:
            for r in range(m):
                f[r] = matyas_value(p[r], p[m + r], sp)
    elif code == GOLDSTEIN_PRICE:
        for r in range(m):
            g[r], g[m + r] = goldstein_price_gradient(p[r], p[m + r], sp)
        if with_values:
            for r in range(m):
                f[r] = goldstein_price_value(p[r], p[m + r], sp)
    elif code == SIX_HUMP_CAMEL:
        for r in range(m):
            g[r], g[m + r] = six_hump_camel_gradient(p[r], p[m + r], sp)
        if with_values:
            for r in range(m):
                f[r] = six_hump_camel_value(p[r], p[m + r], sp)
    elif code == THREE_HUMP_CAMEL:
        for r in range(m):
            g[r], g[m + r] = three_hump_camel_gradient(p[r], p[m + r], sp)
        if with_values:
            for r in range(m):
                f[r] = three_hump_camel_value(p[r], p[m + r], sp)
    elif code == STYBLINSKI_TANG:
        for r in range(m):
            g[r], g[m + r] = styblinski_tang_gradient(p[r], p[m + r], sp)
        if with_values:
            for r in range(m):
                f[r] = styblinski_tang_value(p[r], p[m + r], sp)
    elif code == MONKEY_SADDLE:
        for r in range(m):
            g[r], g[m + r] = monkey_saddle_gradient(p[r], p[m + r], sp)
        if with_values:
            for r in range(m):
                f[r] = monkey_saddle_value(p[r], p[m + r], sp)
    elif code == FORMULA:
        for r in range(m):
            k = formula_run(p[r], p[m + r], sp)  # one pass gives f and its gradient
            f[r], g[r], g[m + r] = sp[k], sp[k + 1], sp[k + 2]
    elif code >= FIRST_DATA:
        n = int(sp[0])
        for r in range(m):
            f[r], g[r], g[m + r] = data_sum(code, p[r], p[m + r], sp, n - n, n, np.uint64(0))
            f[r], g[r], g[m + r] = f[r] / n, g[r] / n, g[m + r] / n
    else:
        for r in range(m):
            f[r], g[r], g[m + r] = np.nan, np.nan, np.nan
