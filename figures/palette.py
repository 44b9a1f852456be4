"""Colours and fonts shared by every figure: one Okabe–Ito colour per run, everywhere."""

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


def run_color(index: int) -> str:
    """The colour of run ``index`` (cycling after eight)."""
    return OKABE_ITO[index % len(OKABE_ITO)]
