"""Surfaces typed as formulas: ``x^2 + 3*y^2``, ``sin(x)*cos(y)``, ``(1 - x)^2 + 100*(y - x^2)^2``.

User text is never executed. A tokenizer and a recursive-descent parser accept exactly this
grammar (``^`` and ``**`` are both powers, right-associative; ``-x^2`` is ``-(x^2)``)::

    expr   := term (("+" | "-") term)*
    term   := unary (("*" | "/") unary)*
    unary  := ("+" | "-") unary | power
    power  := atom (("^" | "**") unary)?
    atom   := number | "x" | "y" | "pi" | "e" | function "(" expr ")" | "(" expr ")"
    number := digits with an optional decimal point and exponent (1, 2.5, .5, 1e-3)

with the functions sin, cos, tan, exp, log (natural), sqrt, abs and tanh. Anything else raises
``ValueError`` naming what is wrong, where (a 1-based column) and what is allowed. Numbers are
read with ``float()``, so no user number ever becomes a Python integer; nothing is evaluated
in Python: the tree is compiled to a postfix program that ``landscapes.program`` runs in
Numba with exact first and second derivatives (forward-mode automatic differentiation). The
same tree is printed as LaTeX, with its gradient differentiated symbolically for display.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from landscapes import kinds
from landscapes import program as machine
from landscapes.landscape import Landscape
from landscapes.spec import Bounds

NAME = "custom"
"""The name of every typed-formula surface."""

MAX_LENGTH = 300
"""The longest formula accepted, in characters."""

MAX_DEPTH = 40
"""The deepest nesting accepted: parentheses, function calls, signs and powers."""

MAX_WINDOW = 1e6
"""Plot windows must lie within [-MAX_WINDOW, MAX_WINDOW] on both axes."""

DEFAULT_WINDOW: Bounds = ((-3.0, 3.0), (-3.0, 3.0))

VARIABLES = ("x", "y")
CONSTANTS = {"pi": math.pi, "e": math.e}
FUNCTIONS = {
    "sin": machine.OP_SIN, "cos": machine.OP_COS, "tan": machine.OP_TAN, "exp": machine.OP_EXP,
    "log": machine.OP_LOG, "sqrt": machine.OP_SQRT, "abs": machine.OP_ABS,
    "tanh": machine.OP_TANH,
}
ALLOWED_NAMES = ", ".join((*VARIABLES, *CONSTANTS, *FUNCTIONS))
_BINARY = {"+": machine.OP_ADD, "-": machine.OP_SUB, "*": machine.OP_MUL, "/": machine.OP_DIV,
           "^": machine.OP_POW}

# --- the tree ----------------------------------------------------------------------------------


class Node(NamedTuple):
    """A node of a formula: ``op`` is "num" (with ``value``), "x", "y", "pi", "e", "neg", a
    binary operator (+ - * / ^) or a function name; ``args`` are its operands."""

    op: str
    args: tuple[Node, ...] = ()
    value: float = 0.0


ZERO, ONE, TWO = Node("num", value=0.0), Node("num", value=1.0), Node("num", value=2.0)

# --- tokens ------------------------------------------------------------------------------------


class Token(NamedTuple):
    kind: str  # "num", "name", "op", "(", ")", "end", or "bad": a character outside the grammar
    text: str
    column: int  # 1-based


_NUMBER = re.compile(r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_NAME_PATTERN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_WHITESPACE = " \t\r\n"


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens. A character outside the grammar becomes a "bad" token, which
    the parser reports when it reaches it, so the first problem in reading order is named."""
    tokens: list[Token] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in _WHITESPACE:
            i += 1
            continue
        number = _NUMBER.match(text, i)
        if number:
            tokens.append(Token("num", number.group(), i + 1))
            i = number.end()
            continue
        name = _NAME_PATTERN.match(text, i)
        if name:
            tokens.append(Token("name", name.group(), i + 1))
            i = name.end()
            continue
        if text.startswith("**", i):
            tokens.append(Token("op", "^", i + 1))
            i += 2
            continue
        if ch in "+-*/^":
            tokens.append(Token("op", ch, i + 1))
        elif ch in "()":
            tokens.append(Token(ch, ch, i + 1))
        else:
            tokens.append(Token("bad", ch, i + 1))
        i += 1
    tokens.append(Token("end", "", len(text) + 1))
    return tokens


# --- the parser --------------------------------------------------------------------------------


def _allowed_names(variables: tuple[str, ...]) -> str:
    return ", ".join((*variables, *CONSTANTS, *FUNCTIONS))


class _Parser:
    def __init__(self, tokens: list[Token], variables: tuple[str, ...] = VARIABLES):
        self.tokens = tokens
        self.i = 0
        self.depth = 0
        self.variables = variables
        self.names = _allowed_names(variables)

    def peek(self) -> Token:
        return self.tokens[self.i]

    def take(self) -> Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def at(self, *texts: str) -> bool:
        token = self.peek()
        return token.kind == "op" and token.text in texts

    def enter(self, token: Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ValueError(
                f"formula nested too deeply at column {token.column} (allowed: at most "
                f"{MAX_DEPTH} levels of parentheses, functions, signs and powers)"
            )

    def formula(self) -> Node:
        if self.peek().kind == "end":
            example = "x^2 + 3*y^2" if self.variables == VARIABLES else "0.95^t"
            raise ValueError(f"empty formula; type an expression in {' and '.join(self.variables)},"
                             f" e.g. {example}")
        node = self.expr()
        if self.peek().kind != "end":
            self.unexpected(self.peek())
        return node

    def unexpected(self, token: Token) -> None:
        """A token where an operator or the end should be."""
        _refuse_bad(token, self.names)
        if token.kind == ")":
            raise ValueError(f"unexpected ')' at column {token.column}: there is no '(' to close")
        if token.kind in ("num", "name"):
            before = self.tokens[self.i - 1].text
            raise ValueError(
                f"missing operator between {before!r} and {token.text!r} at column "
                f"{token.column} (write {before}*{token.text} for a product)"
            )
        raise ValueError(
            f"unexpected {token.text!r} at column {token.column}; expected an operator "
            "(+ - * / ^) or the end"
        )

    def expr(self) -> Node:
        node = self.term()
        while self.at("+", "-"):
            op = self.take().text
            node = Node(op, (node, self.term()))
        return node

    def term(self) -> Node:
        node = self.unary()
        while self.at("*", "/"):
            op = self.take().text
            node = Node(op, (node, self.unary()))
        return node

    def unary(self) -> Node:
        if self.at("+", "-"):
            sign = self.take()
            self.enter(sign)
            operand = self.unary()
            self.depth -= 1
            return Node("neg", (operand,)) if sign.text == "-" else operand
        return self.power()

    def power(self) -> Node:
        base = self.atom()
        if self.at("^"):
            caret = self.take()
            self.enter(caret)
            exponent = self.unary()
            self.depth -= 1
            return Node("^", (base, exponent))
        return base

    def atom(self) -> Node:
        token = self.take()
        _refuse_bad(token, self.names)
        operand = f"a number, {self.names} or '('"
        if token.kind == "num":
            return Node("num", value=float(token.text))
        if token.kind == "name":
            if token.text in self.variables or token.text in CONSTANTS:
                return Node(token.text)
            if token.text in FUNCTIONS:
                if self.peek().kind != "(":
                    raise ValueError(
                        f"{token.text!r} at column {token.column} needs its argument in "
                        f"parentheses, e.g. {token.text}({self.variables[0]})"
                    )
                return Node(token.text, (self.group(self.take()),))
            raise ValueError(
                f"unknown name {token.text!r} at column {token.column}; allowed: {self.names}"
            )
        if token.kind == "(":
            return self.group(token)
        if token.kind == "end":
            before = self.tokens[self.i - 2]
            raise ValueError(
                f"the formula ends after {before.text!r} at column {before.column}; "
                f"expected {operand}"
            )
        raise ValueError(f"unexpected {token.text!r} at column {token.column}; expected {operand}")

    def group(self, opening: Token) -> Node:
        """What follows ``opening`` (a '(' already taken) up to its ')'."""
        self.enter(opening)
        inner = self.expr()
        closing = self.peek()
        if closing.kind == "end":
            raise ValueError(f"missing ')' to close the '(' at column {opening.column}")
        if closing.kind != ")":
            self.unexpected(closing)
        self.take()
        self.depth -= 1
        return inner


def _refuse_bad(token: Token, names: str) -> None:
    if token.kind == "bad":
        raise ValueError(
            f"unexpected character {token.text!r} at column {token.column}; allowed: numbers, "
            f"{names}, the operators + - * / ^ ** and parentheses"
        )


def parse(text: str, variables: tuple[str, ...] = VARIABLES) -> Node:
    """The tree of a typed formula in ``variables`` (x and y for a surface, t for a
    schedule's factor); raises ValueError with what is wrong, where, what is allowed."""
    if not isinstance(text, str):
        raise ValueError(f"Invalid formula: {text!r} (allowed: text)")
    if len(text) > MAX_LENGTH:
        raise ValueError(
            f"formula too long: {len(text)} characters (allowed: at most {MAX_LENGTH})"
        )
    return _Parser(tokenize(text), variables).formula()


# --- printing ----------------------------------------------------------------------------------

_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2, "neg": 3, "^": 4}


def _precedence(node: Node) -> int:
    return _PRECEDENCE.get(node.op, 5)


def to_text(node: Node) -> str:
    """Plain text that parses back to the same tree (used to round-trip test the parser)."""
    op, args = node.op, node.args
    if op == "num":
        return repr(node.value)
    if not args:
        return op
    if op == "neg":
        return f"-{_wrap_text(args[0], _precedence(args[0]) < 3)}"
    if op in FUNCTIONS:
        return f"{op}({to_text(args[0])})"
    a, b = args
    mine = _PRECEDENCE[op]
    if op == "^":  # right-associative; its base must be an atom
        return f"{_wrap_text(a, _precedence(a) <= mine)}^{_wrap_text(b, _precedence(b) < 3)}"
    left = _wrap_text(a, _precedence(a) < mine)
    right = _wrap_text(b, _precedence(b) <= mine)
    return f"{left} {op} {right}"


def _wrap_text(node: Node, needed: bool) -> str:
    return f"({to_text(node)})" if needed else to_text(node)


def _latex_number(value: float) -> str:
    if math.isinf(value):
        return r"\infty"
    if abs(value) < 1e15 and value == int(value):
        return str(int(value))
    text = f"{value:.6g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        power = f"10^{{{int(exponent)}}}"
        return power if mantissa == "1" else rf"{mantissa} \cdot {power}"
    return text


_LATEX_FUNCTIONS = {"sin": r"\sin", "cos": r"\cos", "tan": r"\tan", "log": r"\log",
                    "tanh": r"\tanh", "exp": r"\exp"}


def to_latex(node: Node) -> str:
    """The tree as LaTeX (no "f(x, y) =" in front)."""
    op, args = node.op, node.args
    if op == "num":
        return _latex_number(node.value)
    if op in VARIABLES:
        return op
    if op == "pi":
        return r"\pi"
    if op == "e":
        return "e"
    if op == "neg":
        return "-" + _wrap_latex(args[0], _precedence(args[0]) < 2)
    if op == "sqrt":
        return rf"\sqrt{{{to_latex(args[0])}}}"
    if op == "abs":
        return rf"\left|{to_latex(args[0])}\right|"
    if op in FUNCTIONS:
        return rf"{_LATEX_FUNCTIONS[op]}\left({to_latex(args[0])}\right)"
    a, b = args
    if op == "/":
        return rf"\frac{{{to_latex(a)}}}{{{to_latex(b)}}}"
    if op == "^":
        return f"{_wrap_latex(a, _precedence(a) < 5 or a.op in FUNCTIONS)}^{{{to_latex(b)}}}"
    mine = _PRECEDENCE[op]
    left = _wrap_latex(a, _precedence(a) < mine)
    if b.op == "neg":
        right = _wrap_latex(b, True)
    else:
        right = _wrap_latex(b, _precedence(b) < mine or (op == "-" and _precedence(b) == mine))
    if op == "*":
        digit_next = right[:1].isdigit() or (left[-1:].isdigit() and right[:1] in "-.")
        return f"{left} \\cdot {right}" if digit_next else f"{left}\\,{right}"
    return f"{left} {op} {right}"


def _wrap_latex(node: Node, needed: bool) -> str:
    return rf"\left({to_latex(node)}\right)" if needed else to_latex(node)


# --- symbolic derivatives (for display; the kernels differentiate numerically exactly) ----------


def _is(node: Node, value: float) -> bool:
    return node.op == "num" and node.value == value


def _number(value: float) -> Node:
    return Node("neg", (Node("num", value=-value),)) if value < 0 else Node("num", value=value)


def _folded(value: float) -> bool:
    return math.isfinite(value)


def _neg(a: Node) -> Node:
    if a.op == "neg":
        return a.args[0]
    return a if _is(a, 0.0) else Node("neg", (a,))


def _add(a: Node, b: Node) -> Node:
    if _is(a, 0.0):
        return b
    if _is(b, 0.0):
        return a
    if b.op == "neg":
        return _sub(a, b.args[0])
    if a.op == "num" and b.op == "num" and _folded(a.value + b.value):
        return _number(a.value + b.value)
    return Node("+", (a, b))


def _sub(a: Node, b: Node) -> Node:
    if _is(b, 0.0):
        return a
    if _is(a, 0.0):
        return _neg(b)
    if b.op == "neg":
        return _add(a, b.args[0])
    if a.op == "num" and b.op == "num" and _folded(a.value - b.value):
        return _number(a.value - b.value)
    return Node("-", (a, b))


def _coefficient(node: Node) -> tuple[float, Node | None]:
    """(c, rest) with node = c rest; rest is None for a plain number."""
    if node.op == "num":
        return node.value, None
    if node.op == "*" and node.args[0].op == "num":
        return node.args[0].value, node.args[1]
    return 1.0, node


def _mul(a: Node, b: Node) -> Node:
    """a b, with the numbers of both gathered in front: 2 (3 x) -> 6 x."""
    if _is(a, 0.0) or _is(b, 0.0):
        return ZERO
    if a.op == "neg":
        return _neg(_mul(a.args[0], b))
    if b.op == "neg":
        return _neg(_mul(a, b.args[0]))
    (ca, ra), (cb, rb) = _coefficient(a), _coefficient(b)
    c = ca * cb
    if not _folded(c):
        return Node("*", (a, b))
    if ra is None or rb is None:
        rest = rb if ra is None else ra
    else:
        rest = Node("*", (ra, rb))
    if rest is None:
        return _number(c)
    if c == 1.0:
        return rest
    if c < 0:
        return _neg(Node("*", (Node("num", value=-c), rest)))
    return Node("*", (Node("num", value=c), rest))


def _div(a: Node, b: Node) -> Node:
    if _is(a, 0.0):
        return ZERO
    if _is(b, 1.0):
        return a
    if a.op == "neg":
        return _neg(_div(a.args[0], b))
    return Node("/", (a, b))


def _pow(a: Node, b: Node) -> Node:
    if _is(b, 0.0):
        return ONE
    if _is(b, 1.0):
        return a
    return Node("^", (a, b))


def _numeric(node: Node) -> float | None:
    """The value of a number or a negated number, else None."""
    if node.op == "num":
        return node.value
    if node.op == "neg" and node.args[0].op == "num":
        return -node.args[0].value
    return None


def _depends(node: Node) -> bool:
    return node.op in VARIABLES or any(_depends(arg) for arg in node.args)


def derivative(node: Node, variable: str) -> Node:
    """d node / d variable as a (lightly simplified) tree."""
    op, args = node.op, node.args
    if op == variable:
        return ONE
    if not args:
        return ZERO
    da = derivative(args[0], variable)
    if op == "neg":
        return _neg(da)
    if len(args) == 1:
        outer = _outer(node)
        if outer.op == "/" and _is(outer.args[0], 1.0):  # a' / d rather than (1 / d) a'
            return _div(da, outer.args[1])
        return _mul(outer, da)
    a, b = args
    db = derivative(b, variable)
    if op == "+":
        return _add(da, db)
    if op == "-":
        return _sub(da, db)
    if op == "*":
        return _add(_mul(da, b), _mul(a, db))
    if op == "/":
        if _is(db, 0.0):
            return _div(da, b)
        return _div(_sub(_mul(da, b), _mul(a, db)), _pow(b, TWO))
    if not _depends(b):  # the power rule: c a^(c - 1) a'
        c = _numeric(b)
        lowered = _sub(b, ONE) if c is None else _number(c - 1.0)
        return _mul(_mul(b, _pow(a, lowered)), da)
    # a^b = exp(b log a): (a^b) (b' log a + b a' / a)
    return _mul(node, _add(_mul(db, Node("log", (a,))), _div(_mul(b, da), a)))


def _outer(node: Node) -> Node:
    """g'(a) for node = g(a), a function call."""
    op, a = node.op, node.args[0]
    if op == "sin":
        return Node("cos", (a,))
    if op == "cos":
        return _neg(Node("sin", (a,)))
    if op == "tan":
        return _div(ONE, _pow(Node("cos", (a,)), TWO))
    if op == "exp":
        return node
    if op == "log":
        return _div(ONE, a)
    if op == "sqrt":
        return _div(ONE, _mul(TWO, node))
    if op == "abs":
        return _div(a, node)
    return _sub(ONE, _pow(node, TWO))  # tanh


# --- the program -------------------------------------------------------------------------------


def _emit(node: Node, code: list[float]) -> int:
    """Append the postfix code of ``node``; returns the stack depth it needs."""
    op, args = node.op, node.args
    if op == "num" or op in CONSTANTS:
        code += [machine.OP_CONST, node.value if op == "num" else CONSTANTS[op]]
        return 1
    if op in VARIABLES:
        code.append(machine.OP_X if op == "x" else machine.OP_Y)
        return 1
    if op == "neg" or op in FUNCTIONS:
        depth = _emit(args[0], code)
        code.append(machine.OP_NEG if op == "neg" else FUNCTIONS[op])
        return depth
    left = _emit(args[0], code)
    right = _emit(args[1], code)
    code.append(_BINARY[op])
    return max(left, right + 1)


def program(node: Node) -> tuple[float, ...]:
    """The kernels' parameter vector of a formula: (n, depth, code[n], zeros for the stack)."""
    code: list[float] = []
    depth = _emit(node, code)
    stack = [0.0] * (machine.FORMULA_SLOTS * depth)
    return (float(len(code)), float(depth), *map(float, code), *stack)


# --- the formula, its surface ------------------------------------------------------------------


@dataclass(frozen=True)
class Formula:
    """A parsed formula: its text, tree, LaTeX, gradient in LaTeX and kernel program."""

    text: str
    tree: Node
    latex: str
    gradient_latex: tuple[str, str]
    program: tuple[float, ...]


def read(text: str) -> Formula:
    """Parse ``text`` and prepare everything a surface needs; raises ValueError if it is bad."""
    tree = parse(text)
    partials = tuple(
        rf"\frac{{\partial f}}{{\partial {v}}} = {to_latex(derivative(tree, v))}"
        for v in VARIABLES
    )
    return Formula(text=text.strip(), tree=tree, latex=f"f(x, y) = {to_latex(tree)}",
                   gradient_latex=partials, program=program(tree))


def _values(vector: np.ndarray, xs: np.ndarray, ys: np.ndarray, what: int = kinds.VALUE):
    out = np.empty((3, xs.size))
    kinds.evaluate_on(np.int64(kinds.FORMULA), vector.copy(), np.int64(what),
                  np.ascontiguousarray(xs, dtype=np.float64),
                  np.ascontiguousarray(ys, dtype=np.float64), out)
    return out


def _grid(bounds: Bounds, n: int) -> tuple[np.ndarray, np.ndarray]:
    (x0, x1), (y0, y1) = bounds
    gx, gy = np.meshgrid(np.linspace(x0, x1, n), np.linspace(y0, y1, n))
    return gx.ravel(), gy.ravel()


def _checked_window(bounds) -> Bounds:
    try:
        (x0, x1), (y0, y1) = ((float(a), float(b)) for a, b in bounds)
    except (TypeError, ValueError):
        raise ValueError(
            f"Invalid bounds: {bounds!r} (allowed: ((x_min, x_max), (y_min, y_max)))"
        ) from None
    for low, high, axis in ((x0, x1, "x"), (y0, y1, "y")):
        if not (math.isfinite(low) and math.isfinite(high) and low < high
                and -MAX_WINDOW <= low and high <= MAX_WINDOW):
            raise ValueError(
                f"Invalid {axis} range: [{low:g}, {high:g}] (allowed: finite, {axis}_min < "
                f"{axis}_max, within ±{MAX_WINDOW:g})"
            )
    return ((x0, x1), (y0, y1))


def suggest_window(vector: np.ndarray) -> Bounds:
    """DEFAULT_WINDOW, shrunk to the box (in steps of 0.5) where f is finite if that is smaller."""
    xs, ys = _grid(DEFAULT_WINDOW, 61)
    finite = np.isfinite(_values(vector, xs, ys)[0])
    if finite.all() or not finite.any():
        return DEFAULT_WINDOW
    box = []
    for coordinate, (low, high) in zip((xs, ys), DEFAULT_WINDOW, strict=True):
        inside = coordinate[finite]
        a, b = math.floor(inside.min() * 2) / 2, math.ceil(inside.max() * 2) / 2
        if b - a < 0.5:
            a, b = a - 0.25, b + 0.25
        box.append((max(a, low), min(b, high)))
    return (box[0], box[1])


def _start(vector: np.ndarray, bounds: Bounds) -> tuple[float, float]:
    """Off-centre, like the built-in starts; else the nearest sample where f and ∇f are finite."""
    (x0, x1), (y0, y1) = bounds
    want = (round(x0 + 0.8 * (x1 - x0), 6), round(y0 + 0.75 * (y1 - y0), 6))
    xs, ys = _grid(bounds, 41)
    xs, ys = np.append(want[0], xs), np.append(want[1], ys)
    f = _values(vector, xs, ys)[0]
    g = _values(vector, xs, ys, kinds.GRADIENT)
    usable = np.isfinite(f) & np.isfinite(g[0]) & np.isfinite(g[1])
    if usable[0] or not usable.any():
        return want
    distance = np.hypot(xs - want[0], ys - want[1])
    best = int(np.argmin(np.where(usable, distance, np.inf)))
    return (float(xs[best]), float(ys[best]))


def from_formula(text: str, bounds=None) -> Landscape:
    """The surface f(x, y) typed as ``text``, plotted over ``bounds`` ((x0, x1), (y0, y1)).

    Without ``bounds`` the window is suggested: [-3, 3]², or the part of it where f is finite.
    Its minima are unknown, so ``points`` is empty; ``log_scale`` when f >= 0 on a sample grid.
    """
    formula = read(text)
    vector = np.asarray(formula.program, dtype=np.float64)
    window = suggest_window(vector) if bounds is None else _checked_window(bounds)
    f = _values(vector, *_grid(window, 41))[0]
    finite = f[np.isfinite(f)]
    undefined = finite.size < f.size
    title = formula.text if len(formula.text) <= 60 else formula.text[:57] + "…"
    description = (
        f"Your own surface, f(x, y) = {formula.text}. Its minima are not known in advance, so "
        "none are marked and the loss is shown as f itself."
    )
    if undefined:
        description += (
            " Part of the window is left blank: f is undefined or infinite there (a logarithm "
            "of a negative number, a division by zero …), and a run that steps there stops and "
            "is reported as diverged."
        )
    return Landscape(
        name=NAME,
        title=f"f(x, y) = {title}",
        latex=formula.latex,
        code=kinds.FORMULA,
        bounds=window,
        start=_start(vector, window),
        description=description,
        log_scale=bool(finite.size and finite.min() >= 0.0 and finite.max() > finite.min()),
        program=formula.program,
    )


# --- values in NumPy ---------------------------------------------------------------------------

_NUMPY_FUNCTIONS = {
    "sin": np.sin, "cos": np.cos, "tan": np.tan, "exp": np.exp, "log": np.log,
    "sqrt": np.sqrt, "abs": np.abs, "tanh": np.tanh,
}
_NUMPY_BINARY = {"+": np.add, "-": np.subtract, "*": np.multiply, "/": np.divide,
                 "^": np.power}


def values(node: Node, **variables: np.ndarray) -> np.ndarray:
    """The formula's value at every element of its variables' arrays (float64), by walking the
    tree with NumPy's functions; a step outside a function's domain gives inf or NaN, never an
    error (the caller says where)."""
    shape = np.broadcast_shapes(*(np.shape(v) for v in variables.values()))
    with np.errstate(all="ignore"):
        return np.broadcast_to(np.asarray(_values_of(node, variables), dtype=np.float64),
                               shape).copy()


def _values_of(node: Node, variables: dict[str, np.ndarray]):
    if node.op == "num":
        return node.value
    if node.op in CONSTANTS:
        return CONSTANTS[node.op]
    if node.op in variables:
        return np.asarray(variables[node.op], dtype=np.float64)
    if node.op == "neg":
        return np.negative(_values_of(node.args[0], variables))
    if node.op in _NUMPY_FUNCTIONS:
        return _NUMPY_FUNCTIONS[node.op](_values_of(node.args[0], variables))
    left, right = (_values_of(arg, variables) for arg in node.args)
    return _NUMPY_BINARY[node.op](np.float64(left), right)
