"""Typed formulas: the grammar, exact derivatives, built-ins retyped, errors, hostile input."""

from __future__ import annotations

import builtins
import math
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import landscapes
import optimizers
from landscapes import formula, kinds, program
from optimizers import engine

# --- the notation --------------------------------------------------------------------------------

NOTATION = [
    ("x**2 + 3*y**2", lambda x, y: x**2 + 3 * y**2),
    ("x^2 + 3*y^2", lambda x, y: x**2 + 3 * y**2),
    ("sin(x)*cos(y)", lambda x, y: math.sin(x) * math.cos(y)),
    ("tan(x/4) - tanh(y)", lambda x, y: math.tan(x / 4) - math.tanh(y)),
    ("exp(-x^2 - y^2)", lambda x, y: math.exp(-(x**2) - y**2)),
    ("log(1 + x^2) + sqrt(1 + y^2)", lambda x, y: math.log(1 + x**2) + math.sqrt(1 + y**2)),
    ("abs(x) + abs(y)", lambda x, y: abs(x) + abs(y)),
    ("pi*x + e*y", lambda x, y: math.pi * x + math.e * y),
    ("1e-3*x + 2.5*y - .5 + 3.", lambda x, y: 1e-3 * x + 2.5 * y - 0.5 + 3.0),
    ("-x^2", lambda x, y: -(x**2)),
    ("--x", lambda x, y: x),
    ("+x - -y", lambda x, y: x + y),
    ("2^3^2 + 0*x", lambda x, y: 2.0 ** (3.0**2)),
    ("2^-1 * x", lambda x, y: 0.5 * x),
    ("x - y - 1", lambda x, y: x - y - 1),
    ("x / y / 2", lambda x, y: x / y / 2),
    ("(x + y) * (x - y)", lambda x, y: (x + y) * (x - y)),
    ("((x))", lambda x, y: x),
    ("x ^ y", lambda x, y: x**y),
    ("(1 - x)^2 + 100*(y - x^2)^2", lambda x, y: (1 - x) ** 2 + 100 * (y - x**2) ** 2),
    ("\tx*\ny ", lambda x, y: x * y),
]
POINTS = [(0.7, 0.3), (1.3, 2.1), (0.25, -1.5)]


@pytest.mark.parametrize("text, expected", NOTATION, ids=[t for t, _ in NOTATION])
def test_the_notation_means_what_python_means(text, expected):
    surface = landscapes.from_formula(text)
    for x, y in POINTS:
        if text == "x ^ y" and x < 0:
            continue
        assert surface.f(x, y) == pytest.approx(expected(x, y), rel=1e-14, abs=1e-14)


def test_caret_is_the_same_power_as_double_star():
    assert formula.parse("x^2^y") == formula.parse("x**2**y")
    assert landscapes.from_formula("x^3 - 2^y").program == landscapes.from_formula(
        "x**3 - 2**y").program


def test_a_formula_surface_is_a_landscape():
    surface = landscapes.from_formula("x^2 + 3*y^2")
    assert surface.name == "custom"
    assert surface.title == "f(x, y) = x^2 + 3*y^2"
    assert surface.latex == r"f(x, y) = x^{2} + 3\,y^{2}"
    assert surface.bounds == formula.DEFAULT_WINDOW
    assert surface.points == () and surface.minimum_value == -math.inf
    assert surface.log_scale  # f >= 0 on the grid
    assert not landscapes.from_formula("sin(x)").log_scale
    x, y = surface.start
    assert surface.bounds[0][0] < x < surface.bounds[0][1]
    assert surface.bounds[1][0] < y < surface.bounds[1][1]
    assert "formula" not in surface.description  # plain words
    assert "x^2 + 3*y^2" in surface.description


def test_gradient_latex():
    parsed = formula.read("(1 - x)^2 + 100*(y - x^2)^2")
    assert parsed.gradient_latex == (
        r"\frac{\partial f}{\partial x} = -2\,\left(1 - x\right) - 400\,\left(y - x^{2}\right)\,x",
        r"\frac{\partial f}{\partial y} = 200\,\left(y - x^{2}\right)",
    )


def test_window_is_suggested_where_f_is_finite_and_can_be_given():
    assert landscapes.from_formula("log(x) + y^2").bounds == ((0.0, 3.0), (-3.0, 3.0))
    given_window = ((-1.0, 2.0), (0.5, 4.0))
    assert landscapes.from_formula("x + y", given_window).bounds == given_window
    with pytest.raises(ValueError, match=r"Invalid x range: \[2, 1\]"):
        landscapes.from_formula("x", ((2.0, 1.0), (0.0, 1.0)))
    with pytest.raises(ValueError, match=r"Invalid y range"):
        landscapes.from_formula("x", ((0.0, 1.0), (0.0, math.inf)))


# --- derivatives ---------------------------------------------------------------------------------

DERIVATIVES = [
    "x^2 + 3*y^2",
    "sin(x)*cos(y)",
    "exp(-x^2 - y^2) * tanh(x*y)",
    "log(1 + x^2 + y^2) / (2 + cos(x))",
    "sqrt(1 + x^2*y^2) - tan(0.3*x + 0.2*y)",
    "x^y + y^x",
    "abs(x - 2) * y^3",
    "(1 - x)^2 + 100*(y - x^2)^2",
    "x^-2 + 1/(y*y + 1)",
    "2^(x*y) - e^x + pi*y",
    "(x*y)^0.5 + (x + y)^3.5",
]


def _central(surface, x, y, h=1e-5):
    fx = (surface.f(x + h, y) - surface.f(x - h, y)) / (2 * h)
    fy = (surface.f(x, y + h) - surface.f(x, y - h)) / (2 * h)
    gxp, gxm = surface.grad(x + h, y), surface.grad(x - h, y)
    gyp, gym = surface.grad(x, y + h), surface.grad(x, y - h)
    fxx, fxy = (gxp[0] - gxm[0]) / (2 * h), (gyp[0] - gym[0]) / (2 * h)
    fyx, fyy = (gxp[1] - gxm[1]) / (2 * h), (gyp[1] - gym[1]) / (2 * h)
    return (fx, fy), (fxx, 0.5 * (fxy + fyx), fyy)


@pytest.mark.parametrize("text", DERIVATIVES)
def test_exact_derivatives_agree_with_central_differences(text):
    surface = landscapes.from_formula(text)
    rng = np.random.default_rng(7)
    for x, y in rng.uniform(0.3, 1.7, size=(10, 2)):  # x, y > 0: every formula is smooth there
        (fx, fy), (fxx, fxy, fyy) = _central(surface, x, y)
        gx, gy = surface.grad(x, y)
        (hxx, hxy), (_, hyy) = surface.hessian(x, y)
        scale = 1 + abs(gx) + abs(gy)
        assert gx == pytest.approx(fx, rel=1e-6, abs=1e-6 * scale)
        assert gy == pytest.approx(fy, rel=1e-6, abs=1e-6 * scale)
        scale = 1 + abs(hxx) + abs(hxy) + abs(hyy)
        for exact, numeric in ((hxx, fxx), (hxy, fxy), (hyy, fyy)):
            assert exact == pytest.approx(numeric, rel=1e-5, abs=1e-5 * scale)


def test_a_power_with_a_constant_exponent_takes_a_negative_base():
    surface = landscapes.from_formula("(x - 3)^3 + (y - 3)^2")
    assert surface.grad(1.0, 1.0) == (12.0, -4.0)
    assert surface.hessian(1.0, 1.0) == ((-12.0, 0.0), (0.0, 2.0))


def test_a_constant_stays_constant_where_its_function_has_no_derivative():
    assert landscapes.from_formula("x + sqrt(0)").grad(1.0, 2.0) == (1.0, 0.0)


# --- the built-ins, retyped ----------------------------------------------------------------------

RETYPED = {
    "rosenbrock": "(1 - x)^2 + 100*(y - x^2)^2",
    "beale": "(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2",
    "saddle": "x^2 - y^2",
    "himmelblau": "(x^2 + y - 11)^2 + (x + y^2 - 7)^2",
    "booth": "(x + 2*y - 7)^2 + (2*x + y - 5)^2",
    "matyas": "0.26*(x^2 + y^2) - 0.48*x*y",
    "three_hump_camel": "2*x^2 - 1.05*x^4 + x^6/6 + x*y + y^2",
    "monkey_saddle": "x^3 - 3*x*y^2",
}
RUNS = [("sgd", {"lr": 1e-3}), ("adam", {"lr": 0.02}), ("newton", {"lr": 0.5})]


@pytest.mark.parametrize("name", list(RETYPED))
@pytest.mark.parametrize("optimizer, hp", RUNS, ids=[r[0] for r in RUNS])
def test_a_retyped_builtin_takes_the_builtin_path(name, optimizer, hp):
    builtin = landscapes.get(name)
    typed = landscapes.from_formula(RETYPED[name], builtin.bounds)
    steps = 200
    a = optimizers.simulate(builtin, optimizer, builtin.start, steps, **hp)
    b = optimizers.simulate(typed, optimizer, builtin.start, steps, **hp)
    assert a.diverged_at == b.diverged_at
    np.testing.assert_allclose(b.xy, a.xy, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(b.loss, a.loss, rtol=1e-10, atol=1e-12)


def test_every_optimizer_and_schedule_runs_on_a_formula():
    surface = landscapes.from_formula("x^2 + 3*y^2 + sin(2*x)")
    for optimizer in optimizers.names():
        path = optimizers.simulate(surface, optimizer, surface.start, 50,
                                   schedule={"name": "cosine", "T_max": 50})
        assert path.xy.shape[0] >= 1
    noisy = optimizers.simulate(surface, "sgd", surface.start, 50, gradient="noisy", lr=0.01)
    fd = optimizers.simulate(surface, "sgd", surface.start, 50, gradient="finite_difference",
                             lr=0.01)
    exact = optimizers.simulate(surface, "sgd", surface.start, 50, lr=0.01)
    assert noisy.xy.shape == fd.xy.shape == exact.xy.shape
    np.testing.assert_allclose(fd.xy, exact.xy, rtol=1e-6, atol=1e-6)
    # the parallel batch kernel (one copy of the program and its stack per thread)
    result = optimizers.sweep(surface, "sgd", surface.start, 100, x_values=[1e-3, 1e-2],
                              y_param="momentum", y_values=[0.0, 0.9])
    single = optimizers.simulate(surface, "sgd", surface.start, 100, lr=1e-2, momentum=0.9)
    assert result.final_loss[1, 1] == single.loss[-1]


# --- undefined regions ---------------------------------------------------------------------------


def test_a_run_into_an_undefined_region_diverges_cleanly():
    surface = landscapes.from_formula("log(x) + y^2", ((-3.0, 3.0), (-3.0, 3.0)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        path = optimizers.simulate(surface, "adam", (-1.0, 1.0), 100, lr=0.1)
        z = surface.f(np.array([-1.0, 0.0, 1.0]), 0.0)
    assert path.diverged_at == 0 and path.xy.shape == (0, 2)
    assert np.isnan(z[0]) and z[1] == -np.inf and z[2] == 0.0
    inside = optimizers.simulate(surface, "sgd", (2.0, 1.0), 100, lr=0.5)
    assert inside.diverged_at is not None  # walks down log(x) to x <= 0


def test_division_by_zero_diverges_without_raising():
    surface = landscapes.from_formula("1/x + y")
    path = optimizers.simulate(surface, "sgd", (0.0, 1.0), 10, lr=0.1)
    assert path.diverged_at == 0


# --- one compiled signature ----------------------------------------------------------------------


def test_many_formulas_share_one_compiled_signature():
    texts = ["x", "x*y + 1", "sin(x)^2 + cos(y)^2", "log(x^2 + 1)", "exp(x) - y^3",
             "sqrt(abs(x*y) + 1)", "tanh(x - y)/(1 + x^2)", "x^y"]
    for text in texts:
        surface = landscapes.from_formula(text)
        optimizers.simulate(surface, "newton", surface.start, 5)
        optimizers.sweep(surface, "sgd", surface.start, 5, x_values=[1e-3], y_param="momentum",
                         y_values=[0.5])
        surface.f(np.linspace(-1, 1, 5), 0.5)
    # the kernels take a formula as data: one signature, whatever the formula
    for kernel in (engine.batch_kernel, kinds.evaluate_on):
        assert len(kernel.signatures) == 1, kernel
    # (called from a kernel loaded from Numba's cache, the helpers record no signature at all)
    for function in (program.formula, program.formula_run):
        assert len(function.signatures) <= 1, function


# --- errors --------------------------------------------------------------------------------------

ERRORS = [
    ("os", "unknown name 'os' at column 1; allowed: x, y, pi, e, sin, cos, tan, exp, log, "
           "sqrt, abs, tanh"),
    ("x + foo(y)", "unknown name 'foo' at column 5"),
    ("x # y", "unexpected character '#' at column 3; allowed: numbers, x, y"),
    ("x²", "unexpected character '²' at column 2"),
    ("(x + y", "missing ')' to close the '(' at column 1"),
    ("sin(x", "missing ')' to close the '(' at column 4"),
    ("x + y)", "unexpected ')' at column 6: there is no '(' to close"),
    ("sin(x)(y)", "unexpected '(' at column 7; expected an operator"),
    ("", "empty formula"),
    ("   ", "empty formula"),
    ("x" * 301, "formula too long: 301 characters (allowed: at most 300)"),
    ("(" * 41 + "x" + ")" * 41, "formula nested too deeply at column 41 (allowed: at most 40"),
    ("-" * 41 + "x", "formula nested too deeply at column 41"),
    ("x +", "the formula ends after '+' at column 3; expected a number, x, y"),
    ("x ^", "the formula ends after '^' at column 3"),
    ("x y", "missing operator between 'x' and 'y' at column 3 (write x*y for a product)"),
    ("2x", "missing operator between '2' and 'x' at column 2"),
    ("* x", "unexpected '*' at column 1; expected a number"),
    ("sin x", "'sin' at column 1 needs its argument in parentheses, e.g. sin(x)"),
    ("pi(2)", "unexpected '(' at column 3"),
    ("__import__('os')", "unknown name '__import__' at column 1"),
    ("x.real", "unexpected character '.' at column 2"),
    ("lambda: 1", "unknown name 'lambda' at column 1"),
    ("[1]", "unexpected character '[' at column 1"),
    ('"a"', "unexpected character '\"' at column 1"),
    ("x, y", "unexpected character ',' at column 2"),
    ("x = 1", "unexpected character '=' at column 3"),
]


@pytest.mark.parametrize("text, message", ERRORS, ids=[e[0][:20] or "empty" for e in ERRORS])
def test_bad_formulas_are_refused_with_a_message(text, message):
    with pytest.raises(ValueError) as error:
        landscapes.from_formula(text)
    assert message in str(error.value)


def test_huge_exponents_overflow_to_a_divergence_not_to_a_big_integer():
    surface = landscapes.from_formula("9^9^9^9 + x")
    assert surface.f(1.0, 1.0) == math.inf
    path = optimizers.simulate(surface, "sgd", (1.0, 1.0), 10, lr=0.1)
    assert path.diverged_at == 0
    assert landscapes.from_formula("1e999 * x").f(1.0, 0.0) == math.inf


# --- typed text is data, never code -------------------------------------------------------------

CANARY = "918273.645"
"""A number typed into the formulas below, which no table of the project contains."""


def test_typed_text_never_reaches_exec_eval_or_compile(monkeypatch):
    """The one exec of the project (landscapes/jit.py writes each dispatch from its table) never
    sees what a visitor typed: every text given to exec, eval or compile while a typed formula
    and a typed schedule factor are read, run, swept, mapped and refused is free of the typed
    constant and the refused text's names."""
    sources = []

    def recording(real):
        def record(source, *args, **kwargs):
            if isinstance(source, str | bytes):
                sources.append(source if isinstance(source, str) else source.decode("latin-1"))
            return real(source, *args, **kwargs)
        return record

    for name in ("exec", "eval", "compile"):
        monkeypatch.setattr(builtins, name, recording(getattr(builtins, name)))
    monkeypatch.setattr(engine, "_FAST_KERNELS", {})  # write the fast kernels again, via exec

    surface = landscapes.from_formula(f"(x - 1)^2 + (y + 0.5)^2 + sin(x * y) / {CANARY}")
    surface.f(np.linspace(-1.0, 1.0, 7), 0.5)
    for optimizer in ("adam", "newton", "lbfgs"):
        optimizers.simulate(surface, optimizer, surface.start, 5)
    optimizers.simulate(surface, "sgd", surface.start, 5, lr=0.01, gradient="finite_difference")
    optimizers.sweep(surface, "sgd", surface.start, 5, x_values=[1e-3], y_param="momentum",
                     y_values=[0.5])
    optimizers.basins(surface, "momentum", 5, resolution=3)
    optimizers.simulate("rosenbrock", "rmsprop", (-1.5, 2.0), 5, lr=0.01,
                        schedule={"name": "lambda", "lr_lambda": f"{CANARY} / ({CANARY} + t)"})
    for hostile in ("__import__('os').getcwd()", "exec('zz_canary')", "eval('zz_canary')"):
        with pytest.raises(ValueError):
            landscapes.from_formula(hostile)
        with pytest.raises(ValueError):
            optimizers.simulate("rosenbrock", "sgd", (-1.5, 2.0), 5,
                                schedule={"name": "lambda", "lr_lambda": hostile})

    assert any("def simulate_rmsprop(" in source for source in sources)  # the recording works
    for source in sources:
        assert CANARY not in source and "zz_canary" not in source and "getcwd" not in source


# --- property-based ------------------------------------------------------------------------------

HOSTILE = st.one_of(
    st.text(max_size=400),
    st.text(alphabet="xy()+-*/^.e0123456789 sincotaqrbhlgp_[]'\"", max_size=120),
    st.sampled_from([
        "__import__('os').system('echo hi')", "x.__class__", "().__class__.__bases__",
        "lambda: 1", "open('/etc/passwd')", "exec('1')", "eval('x')", "x if y else 1",
        "[x for x in y]", "{1: 2}", "9^9^9^9^9^9", "9**9**9**9", "10**10**10**10",
        "(" * 60 + "x" + ")" * 60, "sin(" * 45 + "x" + ")" * 45, "x" + "+x" * 200,
        "\u202ex", "ｘ", "x\x00", "１+x", "٣*x",
    ]),
)


@settings(deadline=2000, max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(HOSTILE)
def test_hostile_text_is_a_surface_or_a_value_error(text):
    try:
        surface = landscapes.from_formula(text)
    except ValueError as error:
        assert str(error)
        return
    assert isinstance(surface, landscapes.Landscape)
    surface.f(0.5, 0.5)


def _leaf():
    return st.one_of(
        st.sampled_from([formula.Node(name) for name in ("x", "y", "pi", "e")]),
        st.floats(min_value=0, max_value=1e6, allow_nan=False).map(
            lambda v: formula.Node("num", value=v)),
    )


def _extend(children):
    binary = st.tuples(st.sampled_from(["+", "-", "*", "/", "^"]), children, children).map(
        lambda t: formula.Node(t[0], (t[1], t[2])))
    unary = st.tuples(st.sampled_from(["neg", *formula.FUNCTIONS]), children).map(
        lambda t: formula.Node(t[0], (t[1],)))
    return binary | unary


TREES = st.recursive(_leaf(), _extend, max_leaves=12)


@settings(deadline=2000, max_examples=300)
@given(TREES)
def test_printed_trees_parse_back_to_the_same_tree(tree):
    text = formula.to_text(tree)
    if len(text) > formula.MAX_LENGTH:
        return
    try:
        parsed = formula.parse(text)
    except ValueError as error:
        assert "nested too deeply" in str(error)
        return
    assert parsed == tree
    formula.read(text)  # and it compiles, with its LaTeX and gradient
