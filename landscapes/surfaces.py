"""Every built-in surface: its math and its registry entry, side by side.

A surface's math is one Numba function ``name(x, y, p) -> (f, fx, fy, fxx, fxy, fyy)``: the
value, the gradient and the three distinct entries of the Hessian at (x, y), where ``p`` is the
surface's float64 parameter vector (empty for surfaces without parameters). The compiled
callers inline it and keep only what they use, so one definition serves the loss, the
gradient and Newton's method.

Adding a surface: write its math and its ``Surface`` entry below, append the entry to
``BUILT_IN``, and give it a row in the test tables (tests/test_landscapes.py). Nothing else
names it: the kernels' dispatch is derived from the table (``landscapes.kinds``).
"""

from __future__ import annotations

import numpy as np

from landscapes.jit import jit
from landscapes.parameters import Parameter
from landscapes.spec import LOCAL_MINIMUM, SADDLE_POINT, Surface
from landscapes.spec import point as _pt

# --- Rosenbrock ---------------------------------------------------------------------------------


@jit(inline="always")
def rosenbrock(x, y, p):
    """f = (1 - x)^2 + 100 (y - x^2)^2"""
    r = y - x * x
    f = (1.0 - x) ** 2 + 100.0 * r**2
    return (f, -2.0 * (1.0 - x) - 400.0 * x * r, 200.0 * r,
            2.0 - 400.0 * (y - 3.0 * x * x), -400.0 * x, 200.0)


ROSENBROCK = Surface(
    name="rosenbrock",
    title="Rosenbrock's banana",
    latex=r"f(x, y) = (1 - x)^2 + 100\,(y - x^2)^2",
    math=rosenbrock,
    bounds=((-2.0, 2.0), (-1.0, 3.0)),
    start=(-1.5, 2.0),
    description=(
        "A long, curved, nearly flat valley. Finding the valley is easy; walking along its "
        "floor to the minimum at (1, 1) is slow, because the gradient points mostly across "
        "the valley, not along it. Momentum and adaptive methods earn their keep here."
    ),
    log_scale=True,
    points=(_pt(1, 1),),
)

# --- Beale --------------------------------------------------------------------------------------


@jit(inline="always")
def beale(x, y, p):
    """f = (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2"""
    a = 1.5 - x + x * y
    b = 2.25 - x + x * y * y
    c = 2.625 - x + x * y**3
    ax, bx, cx = y - 1.0, y * y - 1.0, y**3 - 1.0
    ay, by, cy = x, 2.0 * x * y, 3.0 * x * y * y
    return (
        a * a + b * b + c * c,
        2.0 * (a * ax + b * bx + c * cx),
        2.0 * x * (a + 2.0 * y * b + 3.0 * y * y * c),
        2.0 * (ax * ax + bx * bx + cx * cx),
        2.0 * (ay * ax + a + by * bx + 2.0 * y * b + cy * cx + 3.0 * y * y * c),
        2.0 * (ay * ay + by * by + 2.0 * x * b + cy * cy + 6.0 * x * y * c),
    )


BEALE = Surface(
    name="beale",
    title="Beale's function",
    latex=r"f(x, y) = (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2",
    math=beale,
    bounds=((-4.5, 4.5), (-4.5, 4.5)),
    start=(1.0, 1.5),
    description=(
        "Flat plateaus and steep walls with sharp ridges in the corners. Gradients range "
        "over many orders of magnitude, so a single learning rate is either too timid on "
        "the plateau or too bold at the walls; per-coordinate scaling helps. The minimum is "
        "at (3, 0.5)."
    ),
    log_scale=True,
    points=(_pt(3, 0.5), _pt(0, 1, SADDLE_POINT)),
)

# --- Saddle -------------------------------------------------------------------------------------


@jit(inline="always")
def saddle(x, y, p):
    """f = x^2 - y^2"""
    return x * x - y * y, 2.0 * x, -2.0 * y, 2.0, 0.0, -2.0


SADDLE = Surface(
    name="saddle",
    title="Saddle",
    latex=r"f(x, y) = x^2 - y^2",
    math=saddle,
    bounds=((-2.0, 2.0), (-2.0, 2.0)),
    start=(-1.8, 0.01),
    description=(
        "Uphill one way, downhill the other, with a flat point at the origin. Started close "
        "to the ridge line, plain gradient descent creeps towards the origin and takes a "
        "long time to notice the way down; momentum and adaptive methods escape sooner. "
        "There is no minimum: a run that leaves the window has escaped, not failed."
    ),
    log_scale=False,
    points=(_pt(0, 0, SADDLE_POINT),),
)

# --- Ill-conditioned quadratic bowl -------------------------------------------------------------


@jit(inline="always")
def quadratic(x, y, p):
    """f = (x^2 + kappa y^2) / 2, p = (kappa,)"""
    return 0.5 * (x * x + p[0] * y * y), x, p[0] * y, 1.0, 0.0, p[0]


QUADRATIC = Surface(
    name="quadratic",
    title="Ill-conditioned bowl",
    latex=r"f(x, y) = \tfrac{1}{2}\,(x^2 + \kappa\, y^2)",
    math=quadratic,
    bounds=((-10.0, 10.0), (-5.0, 5.0)),
    start=(-9.0, 3.0),
    description=(
        "A narrow ravine: the curvature across it is κ times the curvature along it. A "
        "learning rate small enough to be stable across the ravine crawls along it, and "
        "plain gradient descent zig-zags from wall to wall. Momentum damps the zig-zag and "
        "speeds up the slow direction. κ is the condition number."
    ),
    log_scale=True,
    points=(_pt(0, 0),),
    parameters=(
        Parameter("condition_number", 20.0, (1.0, 1000.0),
                  "ratio of the largest to the smallest curvature", log=True),
    ),
)

# --- Himmelblau ---------------------------------------------------------------------------------


@jit(inline="always")
def himmelblau(x, y, p):
    """f = (x^2 + y - 11)^2 + (x + y^2 - 7)^2"""
    a = x * x + y - 11.0
    b = x + y * y - 7.0
    return (a * a + b * b, 4.0 * x * a + 2.0 * b, 2.0 * a + 4.0 * y * b,
            4.0 * a + 8.0 * x * x + 2.0, 4.0 * (x + y), 4.0 * b + 8.0 * y * y + 2.0)


HIMMELBLAU = Surface(
    name="himmelblau",
    title="Himmelblau's function",
    latex=r"f(x, y) = (x^2 + y - 11)^2 + (x + y^2 - 7)^2",
    math=himmelblau,
    bounds=((-5.0, 5.0), (-5.0, 5.0)),
    start=(1.0, 4.5),
    description=(
        "Four valleys, one in each quadrant, and all four minima are exactly zero: there is "
        "no single right answer. Which one a run reaches depends on where it starts and on "
        "how the optimizer steps. From the default start, plain gradient descent rolls down "
        "to (3, 2), while Adam's per-coordinate steps head diagonally and carry it to the "
        "valley on the left."
    ),
    log_scale=True,
    points=(
        _pt(3, 2),
        _pt(-2.805118086952745, 3.131312518250573),
        _pt(-3.779310253377747, -3.2831859912861696),
        _pt(3.5844283403304917, -1.8481265269644036),
        _pt(3.385154183607021, 0.07385187983774928, SADDLE_POINT),
        _pt(0.08667750455539634, 2.884254701174776, SADDLE_POINT),
        _pt(-3.0730257507643897, -0.08135304428796751, SADDLE_POINT),
        _pt(-0.12796134673068005, -1.9537149802445766, SADDLE_POINT),
    ),
)

# --- Rastrigin ----------------------------------------------------------------------------------


@jit(inline="always")
def rastrigin(x, y, p):
    """f = 20 + sum_i (x_i^2 - 10 cos(2 pi x_i))  (A = 10)"""
    w = 2.0 * np.pi
    cx, cy = np.cos(w * x), np.cos(w * y)
    return (20.0 + x * x - 10.0 * cx + y * y - 10.0 * cy,
            2.0 * x + 10.0 * w * np.sin(w * x), 2.0 * y + 10.0 * w * np.sin(w * y),
            2.0 + 10.0 * w * w * cx, 0.0, 2.0 + 10.0 * w * w * cy)


RASTRIGIN = Surface(
    name="rastrigin",
    title="Rastrigin's function",
    latex=r"f(x, y) = 20 + x^2 - 10\cos(2\pi x) + y^2 - 10\cos(2\pi y)",
    math=rastrigin,
    bounds=((-5.12, 5.12), (-5.12, 5.12)),
    start=(2.2, -1.8),
    description=(
        "A bowl covered in an egg-crate of bumps: there is a local minimum next to every "
        "point with whole-number coordinates, and only the one at the origin is global. "
        "Gradient descent stops in the dimple it starts in (here the one near (2, -2)), and "
        "small steps can never climb out. Local slope alone cannot find the global minimum; "
        "this is why people use restarts, noise or many starting points."
    ),
    log_scale=False,
    points=(
        _pt(0, 0),
        _pt(1.9899122337085497, -1.9899122337085497, LOCAL_MINIMUM),
    ),
)

# --- Ackley -------------------------------------------------------------------------------------
# With r = sqrt((x^2 + y^2) / 2), the cone -20 exp(-0.2 r) has a kink at the origin: there its
# gradient is taken as the zero subgradient and its (infinite) curvature is left out of the
# Hessian, so every derivative stays finite. Away from it, with u = x / r and v = y / r
# (u^2 + v^2 = 2), the cone contributes grad = 2 e^{-0.2 r} (u, v) and
# Hessian = e^{-0.2 r} (v^2 / r - 0.2 u^2, -uv (0.2 + 1 / r), u^2 / r - 0.2 v^2).


@jit(inline="always")
def ackley(x, y, p):
    """f = -20 exp(-0.2 r) - exp((cos 2 pi x + cos 2 pi y) / 2) + e + 20"""
    w = 2.0 * np.pi
    r = np.sqrt(0.5 * (x * x + y * y))
    waves = np.exp(0.5 * (np.cos(w * x) + np.cos(w * y)))
    f = -20.0 * np.exp(-0.2 * r) - waves + np.e + 20.0
    sx, sy = np.sin(w * x), np.sin(w * y)
    gx, gy = np.pi * sx * waves, np.pi * sy * waves
    curvature = np.pi * np.pi * waves
    fxx = curvature * (2.0 * np.cos(w * x) - sx * sx)
    fxy = -curvature * sx * sy
    fyy = curvature * (2.0 * np.cos(w * y) - sy * sy)
    if r > 0.0:
        cone = np.exp(-0.2 * r)
        u, v = x / r, y / r
        gx += 2.0 * cone * u
        gy += 2.0 * cone * v
        fxx += cone * (v * v / r - 0.2 * u * u)
        fxy -= cone * u * v * (0.2 + 1.0 / r)
        fyy += cone * (u * u / r - 0.2 * v * v)
    return f, gx, gy, fxx, fxy, fyy


ACKLEY = Surface(
    name="ackley",
    title="Ackley's function",
    latex=(
        r"f(x, y) = -20\,e^{-0.2\sqrt{(x^2 + y^2)/2}}"
        r" - e^{(\cos 2\pi x + \cos 2\pi y)/2} + e + 20"
    ),
    math=ackley,
    bounds=((-5.0, 5.0), (-5.0, 5.0)),
    start=(2.8, -1.6),
    description=(
        "A nearly flat plain full of small potholes, with one deep, narrow funnel at the "
        "origin. Away from the centre the pull of the funnel is weak compared with the "
        "ripples, so gradient methods settle in the nearest pothole (here near (3, -2)). "
        "The bottom of the funnel is a sharp point where the gradient is undefined; the "
        "lab uses zero there."
    ),
    log_scale=False,
    points=(
        _pt(0, 0),
        _pt(2.973139419924383, -1.9821399503814776, LOCAL_MINIMUM),
    ),
)

# --- Booth --------------------------------------------------------------------------------------


@jit(inline="always")
def booth(x, y, p):
    """f = (x + 2y - 7)^2 + (2x + y - 5)^2"""
    a = x + 2.0 * y - 7.0
    b = 2.0 * x + y - 5.0
    return a * a + b * b, 2.0 * a + 4.0 * b, 4.0 * a + 2.0 * b, 10.0, 8.0, 10.0


BOOTH = Surface(
    name="booth",
    title="Booth's function",
    latex=r"f(x, y) = (x + 2y - 7)^2 + (2x + y - 5)^2",
    math=booth,
    bounds=((-10.0, 10.0), (-10.0, 10.0)),
    start=(-8.0, 8.0),
    description=(
        "A smooth, tilted bowl with a single minimum at (1, 3): a good first check that "
        "every optimizer works. The bowl curves nine times more sharply across its long axis "
        "than along it, and that axis runs diagonally, so the two coordinates are coupled and "
        "gradient descent's path bends instead of heading straight for the minimum."
    ),
    log_scale=True,
    points=(_pt(1, 3),),
)

# --- Matyas -------------------------------------------------------------------------------------


@jit(inline="always")
def matyas(x, y, p):
    """f = 0.26 (x^2 + y^2) - 0.48 xy"""
    return (0.26 * (x * x + y * y) - 0.48 * x * y, 0.52 * x - 0.48 * y, 0.52 * y - 0.48 * x,
            0.52, -0.48, 0.52)


MATYAS = Surface(
    name="matyas",
    title="Matyas function",
    latex=r"f(x, y) = 0.26\,(x^2 + y^2) - 0.48\,xy",
    math=matyas,
    bounds=((-10.0, 10.0), (-10.0, 10.0)),
    start=(9.0, 3.0),
    description=(
        "A shallow valley along the diagonal y = x, with its minimum at the origin. Its "
        "floor rises 25 times more gently than its sides, so once gradient descent reaches "
        "the floor the slope is tiny and progress slows to a crawl. Adaptive methods take "
        "bigger steps on the flat floor, but because the valley is diagonal, scaling each "
        "coordinate separately cannot undo its shape."
    ),
    log_scale=True,
    points=(_pt(0, 0),),
)

# --- Goldstein-Price ----------------------------------------------------------------------------
# f = P Q, with s = x + y + 1, t = 2x - 3y and
# P = 1 + s^2 (19 - 14x + 3x^2 - 14y + 6xy + 3y^2) = 1 + s^2 A,
# Q = 30 + t^2 (18 - 32x + 12x^2 + 48y - 36xy + 27y^2) = 30 + t^2 B.


@jit(inline="always")
def goldstein_price(x, y, p):
    """f = P Q (see above)"""
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
    # A has constant second derivatives 6, 6, 6, so every second derivative of P is the same.
    p_xx = 2.0 * a + 4.0 * s * a_xy + 6.0 * s * s
    # B has second derivatives 24, -36, 54.
    q_xx = 8.0 * b + 8.0 * t * b_x + 24.0 * t * t
    q_xy = -12.0 * b + 4.0 * t * b_y - 6.0 * t * b_x - 36.0 * t * t
    q_yy = 18.0 * b - 12.0 * t * b_y + 54.0 * t * t
    return (
        big_p * big_q,
        p_x * big_q + big_p * q_x,
        p_x * big_q + big_p * q_y,
        p_xx * big_q + 2.0 * p_x * q_x + big_p * q_xx,
        p_xx * big_q + p_x * q_y + p_x * q_x + big_p * q_xy,
        p_xx * big_q + 2.0 * p_x * q_y + big_p * q_yy,
    )


GOLDSTEIN_PRICE = Surface(
    name="goldstein_price",
    title="Goldstein–Price function",
    latex=(
        r"f(x, y) = \left[1 + (x + y + 1)^2 (19 - 14x + 3x^2 - 14y + 6xy + 3y^2)\right]"
        r"\left[30 + (2x - 3y)^2 (18 - 32x + 12x^2 + 48y - 36xy + 27y^2)\right]"
    ),
    math=goldstein_price,
    bounds=((-2.0, 2.0), (-2.0, 2.0)),
    start=(1.5, 1.5),
    description=(
        "A steep, lumpy surface whose values run from 3 at the global minimum (0, -1) to "
        "about a million at the edge of the window, so the gradient is enormous on the "
        "walls and small in the hollows. A learning rate that is safe on the walls is "
        "painfully slow elsewhere, and a larger one blows up. Local minima with values 30, "
        "84 and 840 catch runs that start on the wrong side: from the default start, "
        "gradient descent and Adam usually stop in one of them."
    ),
    log_scale=True,
    points=(
        _pt(0, -1),
        _pt(-0.6, -0.4, LOCAL_MINIMUM),
        _pt(1.8, 0.2, LOCAL_MINIMUM),
        _pt(1.2, 0.8, LOCAL_MINIMUM),
        _pt(-0.4, -0.6, SADDLE_POINT),
        _pt(1.2, -0.2, SADDLE_POINT),
        _pt(1.4, 0.6, SADDLE_POINT),
        _pt(0.6, 0.4, SADDLE_POINT),
    ),
)

# --- Six-hump camel -----------------------------------------------------------------------------


@jit(inline="always")
def six_hump_camel(x, y, p):
    """f = (4 - 2.1x^2 + x^4 / 3) x^2 + xy + (-4 + 4y^2) y^2"""
    x2, y2 = x * x, y * y
    return (
        (4.0 - 2.1 * x2 + x2 * x2 / 3.0) * x2 + x * y + (-4.0 + 4.0 * y2) * y2,
        8.0 * x - 8.4 * x2 * x + 2.0 * x2 * x2 * x + y,
        x - 8.0 * y + 16.0 * y * y * y,
        8.0 - 25.2 * x2 + 10.0 * x2 * x2, 1.0, -8.0 + 48.0 * y * y,
    )


SIX_HUMP_CAMEL = Surface(
    name="six_hump_camel",
    title="Six-hump camel",
    latex=r"f(x, y) = \left(4 - 2.1x^2 + \tfrac{1}{3}x^4\right) x^2 + xy + (-4 + 4y^2)\, y^2",
    math=six_hump_camel,
    bounds=((-3.0, 3.0), (-2.0, 2.0)),
    start=(-2.0, 1.0),
    description=(
        "Six hollows: two global minima, mirror images of each other near (0.09, -0.71) and "
        "(-0.09, 0.71), and two pairs of shallower local minima farther out. Started in an "
        "outer hollow, gradient descent settles there; momentum with enough speed can roll "
        "over the ridge to a global minimum. A small picture of a real loss surface: "
        "several equally good answers, and some worse ones."
    ),
    log_scale=True,
    points=(
        _pt(0.08984201310031807, -0.7126564030207396),
        _pt(-0.08984201310031807, 0.7126564030207396),
        _pt(-1.7036067149699807, 0.7960835686726252, LOCAL_MINIMUM),
        _pt(1.7036067149699807, -0.7960835686726252, LOCAL_MINIMUM),
        _pt(-1.6071047529201967, -0.5686514548841314, LOCAL_MINIMUM),
        _pt(1.6071047529201967, 0.5686514548841314, LOCAL_MINIMUM),
        _pt(0, 0, SADDLE_POINT),
        _pt(-1.1092053368047865, 0.7682680925095399, SADDLE_POINT),
        _pt(1.1092053368047865, -0.7682680925095399, SADDLE_POINT),
    ),
)

# --- Three-hump camel ---------------------------------------------------------------------------


@jit(inline="always")
def three_hump_camel(x, y, p):
    """f = 2x^2 - 1.05x^4 + x^6 / 6 + xy + y^2"""
    x2 = x * x
    return (2.0 * x2 - 1.05 * x2 * x2 + x2 * x2 * x2 / 6.0 + x * y + y * y,
            4.0 * x - 4.2 * x2 * x + x2 * x2 * x + y, x + 2.0 * y,
            4.0 - 12.6 * x2 + 5.0 * x2 * x2, 1.0, 2.0)


THREE_HUMP_CAMEL = Surface(
    name="three_hump_camel",
    title="Three-hump camel",
    latex=r"f(x, y) = 2x^2 - 1.05x^4 + \tfrac{1}{6}x^6 + xy + y^2",
    math=three_hump_camel,
    bounds=((-2.0, 2.0), (-2.0, 2.0)),
    start=(-1.5, -1.5),
    description=(
        "One global minimum at the origin, with a shallow side hollow on either side. From "
        "the default start plain gradient descent settles in the left hollow, while Adam's "
        "evenly sized steps carry it over the low ridge to the centre. The side minima are "
        "only a little higher (0.30 against 0): a local minimum can look good enough."
    ),
    log_scale=True,
    points=(
        _pt(0, 0),
        _pt(-1.7475523458302888, 0.8737761729151444, LOCAL_MINIMUM),
        _pt(1.7475523458302888, -0.8737761729151444, LOCAL_MINIMUM),
        _pt(-1.0705422918236598, 0.5352711459118299, SADDLE_POINT),
        _pt(1.0705422918236598, -0.5352711459118299, SADDLE_POINT),
    ),
)

# --- Styblinski-Tang ----------------------------------------------------------------------------


@jit(inline="always")
def styblinski_tang(x, y, p):
    """f = sum_i (x_i^4 - 16 x_i^2 + 5 x_i) / 2"""
    x2, y2 = x * x, y * y
    return (0.5 * (x2 * x2 - 16.0 * x2 + 5.0 * x + y2 * y2 - 16.0 * y2 + 5.0 * y),
            2.0 * x**3 - 16.0 * x + 2.5, 2.0 * y**3 - 16.0 * y + 2.5,
            6.0 * x * x - 16.0, 0.0, 6.0 * y * y - 16.0)


STYBLINSKI_TANG = Surface(
    name="styblinski_tang",
    title="Styblinski–Tang function",
    latex=r"f(x, y) = \tfrac{1}{2}\left(x^4 - 16x^2 + 5x + y^4 - 16y^2 + 5y\right)",
    math=styblinski_tang,
    bounds=((-5.0, 5.0), (-5.0, 5.0)),
    start=(4.5, 4.0),
    description=(
        "Four basins of the same shape but different depth, one in each quadrant; the "
        "deepest is at (-2.90, -2.90) with f ≈ -78.3. Each coordinate is its own 1-D "
        "problem, so with small steps gradient descent's basin is decided by the side of "
        "x ≈ 0.157 on which each coordinate starts. From the default start gradient descent "
        "and Adam reach the shallowest basin (-50.1), with no sign that deeper ones exist."
    ),
    log_scale=False,
    points=(
        _pt(-2.9035340277711774, -2.9035340277711774),
        _pt(-2.9035340277711774, 2.746802770990837, LOCAL_MINIMUM),
        _pt(2.746802770990837, -2.9035340277711774, LOCAL_MINIMUM),
        _pt(2.746802770990837, 2.746802770990837, LOCAL_MINIMUM),
        _pt(-2.9035340277711774, 0.1567312567803401, SADDLE_POINT),
        _pt(0.1567312567803401, -2.9035340277711774, SADDLE_POINT),
        _pt(2.746802770990837, 0.1567312567803401, SADDLE_POINT),
        _pt(0.1567312567803401, 2.746802770990837, SADDLE_POINT),
    ),
)

# --- Monkey saddle ------------------------------------------------------------------------------


@jit(inline="always")
def monkey_saddle(x, y, p):
    """f = x^3 - 3xy^2"""
    return x**3 - 3.0 * x * y * y, 3.0 * (x * x - y * y), -6.0 * x * y, 6.0 * x, -6.0 * y, -6.0 * x


MONKEY_SADDLE = Surface(
    name="monkey_saddle",
    title="Monkey saddle",
    latex=r"f(x, y) = x^3 - 3xy^2",
    math=monkey_saddle,
    bounds=((-2.0, 2.0), (-2.0, 2.0)),
    start=(1.5, 0.01),
    description=(
        "Three ridges and three valleys meet at the origin, where the slope and the "
        "curvature both vanish: a saddle even flatter than the ordinary one. Started on a "
        "ridge, gradient descent slides towards the centre and slows to a crawl, because "
        "the slope shrinks with the square of the distance; it escapes into a valley only "
        "once its small sideways offset has grown. There is no minimum: a run that leaves "
        "the window has escaped, not failed."
    ),
    log_scale=False,
    points=(_pt(0, 0, SADDLE_POINT),),
)


BUILT_IN: tuple[Surface, ...] = (
    ROSENBROCK, BEALE, SADDLE, QUADRATIC, HIMMELBLAU, RASTRIGIN, ACKLEY, BOOTH, MATYAS,
    GOLDSTEIN_PRICE, SIX_HUMP_CAMEL, THREE_HUMP_CAMEL, STYBLINSKI_TANG, MONKEY_SADDLE,
)
"""The built-in surfaces, in display order."""
