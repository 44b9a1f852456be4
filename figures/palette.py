"""Colours, line styles and fonts shared by every figure: one style per run, everywhere.

A run is told apart by its Okabe–Ito colour and, for readers who cannot rely on colour, by its
dash pattern and marker symbol as well (``run_style``); its name in a table is written in a
darker shade of its colour that is readable on white (``text_color``).
"""

from __future__ import annotations

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision
# deficiency. Ordered so the first runs are the ones that stand out best on the light surface.
OKABE_ITO = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#000000",  # black
    "#F0E442",  # yellow
)

# Light at the bottom of the surface, slate at the top: paths stay visible where they end.
SURFACE_COLORSCALE = (
    (0.0, "#ffffff"),
    (0.35, "#dfe6ee"),
    (0.7, "#9fb0c4"),
    (1.0, "#4b5d75"),
)

POINT_STYLES = {
    "global minimum": {"symbol": "star", "size": 20, "color": "#000000"},
    "local minimum": {"symbol": "star-open", "size": 16, "color": "#000000"},
    "saddle point": {"symbol": "x-thin-open", "size": 14, "color": "#000000"},
}

FONT = {"family": "Source Sans Pro, Helvetica, Arial, sans-serif", "size": 17}


# Simulated (Machado et al. 2009, in CIELAB) some Okabe–Ito pairs come close: with deuteranopia
# orange and yellow, bluish green and reddish purple, vermillion and orange, blue and sky blue;
# with protanopia also sky blue, blue and reddish purple. So every run has its own dash too,
# and runs of a close pair get dashes of different kinds (a line, dashes, dots, dash-dots).
# Plotly's named dashes, or dash lists in px.
DASHES = ("solid", "longdash", "2px,6px", "dash", "dashdot", "dot", "longdashdot",
          "2px,3px,2px,9px")
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "cross", "x", "triangle-down", "star")
DASHES_3D = ("solid", "longdash", "dot", "dash", "dashdot", "dot", "longdashdot", "dot")
"""scatter3d's named dashes only (it takes no dash lists): three runs share dots, none of them
a close pair, and each has its own symbol."""
SYMBOLS_3D = ("circle", "square", "diamond", "cross", "x", "circle-open", "square-open",
              "diamond-open")

TEXT_CONTRAST = 4.5
"""WCAG AA: the least contrast of normal-size text with its background."""


def run_color(index: int) -> str:
    """The colour of run ``index`` (cycling after eight)."""
    return OKABE_ITO[index % len(OKABE_ITO)]


def run_style(index: int) -> dict[str, str]:
    """Everything that draws run ``index``: ``color`` (its lines and markers), ``dash``,
    ``symbol`` (2-D markers), ``dash_3d`` and ``symbol_3d`` (scatter3d's) and ``text`` (its name in
    tables, readable on white). All cycle after eight runs."""
    color = run_color(index)
    k = index % len(OKABE_ITO)
    return {"color": color, "dash": DASHES[k], "symbol": SYMBOLS[k], "dash_3d": DASHES_3D[k],
            "symbol_3d": SYMBOLS_3D[k], "text": text_color(color)}


def style_of(run: dict) -> dict[str, str]:
    """A run's style: ``run["style"]`` if it carries one, else the style of the palette run
    with its colour (so a caller that only picked a colour still gets the dash and symbol),
    else plain lines in that colour."""
    if run.get("style"):
        return run["style"]
    color = run["color"]
    for index, known in enumerate(OKABE_ITO):
        if known.lower() == color.lower():
            return run_style(index)
    return {"color": color, "dash": "solid", "symbol": "circle", "dash_3d": "solid",
            "symbol_3d": "circle",
            "text": text_color(color) if color.startswith("#") and len(color) == 7 else color}


def _rgb(color: str) -> tuple[float, float, float]:
    return tuple(int(color[i:i + 2], 16) / 255 for i in (1, 3, 5))


def relative_luminance(color: str) -> float:
    """WCAG 2's relative luminance of a "#rrggbb" colour."""

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in _rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_on_white(color: str) -> float:
    """WCAG 2's contrast ratio of ``color`` with white (1 to 21)."""
    return 1.05 / (relative_luminance(color) + 0.05)


def text_color(color: str, contrast: float = TEXT_CONTRAST) -> str:
    """``color`` itself if text in it is readable on white, else the same hue darkened (its
    channels scaled down together) just enough to reach ``contrast``."""
    r, g, b = _rgb(color)
    scale = 1.0
    shade = color.lower()
    while contrast_on_white(shade) < contrast and scale > 0:
        scale = round(scale - 0.01, 2)
        shade = "#" + "".join(f"{round(c * scale * 255):02x}" for c in (r, g, b))
    return shade
