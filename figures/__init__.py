"""Figure building: plain data (dicts, NumPy arrays) in, plotly figure dicts out.

Pure: imports numpy, the standard library and the core's specs, never streamlit, so every
figure can be unit-tested and measured without a browser.
"""

from figures.animation import end_label, end_text
from figures.charts import (
    basins_map,
    shown_steps,
    step_curves,
    surface_3d,
    surface_map,
    sweep_heatmap,
)
from figures.palette import OKABE_ITO, contrast_on_white, run_color, run_style, text_color
from figures.player import player_payload
from figures.step_math import (
    StepNumbers,
    effective_rates,
    legend_latex,
    step_numbers,
    symbol_text,
)
from figures.tables import DEFAULT_RANKING, RANKINGS, Ranking, leaderboard

__all__ = [
    "DEFAULT_RANKING",
    "OKABE_ITO",
    "RANKINGS",
    "Ranking",
    "StepNumbers",
    "basins_map",
    "contrast_on_white",
    "effective_rates",
    "end_label",
    "end_text",
    "leaderboard",
    "legend_latex",
    "player_payload",
    "run_color",
    "run_style",
    "shown_steps",
    "step_curves",
    "step_numbers",
    "surface_3d",
    "surface_map",
    "sweep_heatmap",
    "symbol_text",
    "text_color",
]
