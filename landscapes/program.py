"""The stack machine that runs a typed formula, with exact first and second derivatives.

``landscapes.formula`` parses the text and compiles it to a postfix program; the program is the
formula surface's parameter vector p = (n, depth, program[n], stack[FORMULA_SLOTS * depth]),
and :func:`formula` is its math, like any built-in surface's. Every stack entry is
(f, f_x, f_y, f_xx, f_xy, f_yy) of a subexpression, combined by the rules of calculus
(forward-mode automatic differentiation to second order), so the derivatives are exact. The
stack lives at the tail of p: the kernels allocate nothing, and every caller passes its own copy
of p (the batch kernel: one per thread).
"""

from __future__ import annotations

import numpy as np

from landscapes.jit import jit

# Opcodes of a formula program.
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


@jit(no_cpython_wrapper=True)
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


@jit(no_cpython_wrapper=True)
def _power(a, c):
    if c == np.floor(c) and abs(c) <= 64.0:
        return _int_power(a, int(c))
    return a**c


@jit(no_cpython_wrapper=True)
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


@jit(no_cpython_wrapper=True)
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


@jit(no_cpython_wrapper=True)
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


@jit(no_cpython_wrapper=True)
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


@jit(no_cpython_wrapper=True)
def formula(x, y, p):
    """The typed formula's (f, fx, fy, fxx, fxy, fyy) at (x, y): one run of its program."""
    k = formula_run(x, y, p)
    return p[k], p[k + 1], p[k + 2], p[k + 3], p[k + 4], p[k + 5]
