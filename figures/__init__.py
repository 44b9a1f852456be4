"""Figure building: plain data (dicts, NumPy arrays) in, plotly figure dicts out.

Pure: imports numpy, the standard library and the core's specs, never streamlit, so every
figure can be unit-tested and measured without a browser. ``figures.export`` (the slide
exports: Pillow and PyAV) is imported only where a file is asked for.
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
from figures.status import RUNNING, event_words, run_status, status_at, timeline
from figures.step_math import (
    StepNumbers,
    effective_rates,
    legend_latex,
    step_numbers,
    symbol_text,
)
from figures.tables import DEFAULT_RANKING, RANKINGS, Ranking, leaderboard, steps_to_tolerance

__all__ = [
    "DEFAULT_RANKING",
    "OKABE_ITO",
    "RANKINGS",
    "RUNNING",
    "Ranking",
    "StepNumbers",
    "basins_map",
    "contrast_on_white",
    "effective_rates",
    "end_label",
    "end_text",
    "event_words",
    "leaderboard",
    "legend_latex",
    "player_payload",
    "run_color",
    "run_status",
    "run_style",
    "shown_steps",
    "status_at",
    "step_curves",
    "step_numbers",
    "steps_to_tolerance",
    "surface_3d",
    "surface_map",
    "sweep_heatmap",
    "symbol_text",
    "text_color",
    "timeline",
]
