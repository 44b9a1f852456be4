"""Figure building: plain data (dicts, NumPy arrays) in, plotly figure dicts out.

Pure: imports numpy and the standard library only, never streamlit, so every figure can be
unit-tested and measured without a browser.
"""

from figures.animation import (
    FRAME_CAP,
    animated_paths,
    end_label,
    end_text,
    frame_indices,
    map_height,
)
from figures.charts import (
    basins_map,
    shown_steps,
    step_curves,
    surface_3d,
    surface_map,
    sweep_heatmap,
)
from figures.palette import OKABE_ITO, contrast_on_white, run_color, run_style, text_color
from figures.tables import DEFAULT_RANKING, RANKINGS, Ranking, leaderboard

__all__ = [
    "DEFAULT_RANKING",
    "FRAME_CAP",
    "OKABE_ITO",
    "RANKINGS",
    "Ranking",
    "animated_paths",
    "basins_map",
    "contrast_on_white",
    "end_label",
    "end_text",
    "frame_indices",
    "leaderboard",
    "map_height",
    "run_color",
    "run_style",
    "shown_steps",
    "step_curves",
    "surface_3d",
    "surface_map",
    "sweep_heatmap",
    "text_color",
]
