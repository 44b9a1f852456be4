"""Figure building: plain data (dicts, NumPy arrays) in, plotly figure dicts out.

Pure: imports numpy and the standard library only, never streamlit, so every figure can be
unit-tested and measured without a browser.
"""

from figures.animation import (
    FRAME_CAP,
    animated_paths,
    diverged_label,
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
from figures.palette import OKABE_ITO, run_color
from figures.tables import leaderboard

__all__ = [
    "FRAME_CAP",
    "OKABE_ITO",
    "animated_paths",
    "basins_map",
    "diverged_label",
    "frame_indices",
    "leaderboard",
    "map_height",
    "run_color",
    "shown_steps",
    "step_curves",
    "surface_3d",
    "surface_map",
    "sweep_heatmap",
]
