"""The animated map, drawn by a small local component that loads plotly.js from the package.

``st.plotly_chart`` validates every frame of a figure on the server (hundreds of milliseconds
for an animation); this component takes the figure as a ready JSON string instead, so the
server only hands over bytes it has cached. plotly.js is copied from the installed plotly
package into the component's folder: the browser never reaches the network.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

import plotly
import streamlit.components.v1 as components

_FOLDER = Path(__file__).with_name("player")
_PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def _install_plotly_js() -> None:
    target = _FOLDER / "plotly.min.js"
    if not target.exists() or target.stat().st_size != _PLOTLY_JS.stat().st_size:
        shutil.copyfile(_PLOTLY_JS, target)


_install_plotly_js()
_player = components.declare_component("descent_lab_player", path=str(_FOLDER))


def figure_id(figure_json: str) -> str:
    return hashlib.blake2b(figure_json.encode(), digest_size=8).hexdigest()


def animated_chart(figure_json: str, *, height: int, key: str, clickable: bool = False,
                   on_click: Callable[[], None] | None = None):
    """Show an animated figure (a JSON string). Returns the last click {x, y, seq} or None.

    ``on_click`` takes no arguments: a component's ``on_change`` gets none (every keyword of
    the component call, ``args`` included, is sent to the browser instead), so bind what the
    callback needs beforehand (``functools.partial``).
    """
    return _player(
        figure=figure_json, figure_id=figure_id(figure_json), height=height + 10,
        clickable=clickable, key=key, default=None, on_change=on_click,
    )
