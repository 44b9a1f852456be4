"""The animated map, drawn by a small local component that loads plotly.js from the package.

``st.plotly_chart`` validates every frame of a figure on the server (hundreds of milliseconds
for an animation); this component takes the figure as a ready JSON string instead, so the
server only hands over bytes it has cached.

Streamlit serves a component's files from one folder and refuses links out of it, so the
component's page (``ui/player/index.html``) and the installed plotly package's plotly.min.js
are put together in a folder of the user's cache (``$XDG_CACHE_HOME`` or ``~/.cache``), one per
plotly version and version of the player's files: the browser never reaches the network, and the source tree is never written.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import plotly
import streamlit.components.v1 as components

_SOURCE = Path(__file__).with_name("player")
_PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def _component_folder() -> Path:
    """The folder Streamlit serves the player from, made (or refreshed) on first import."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    sources = sorted(_SOURCE.iterdir())
    digest = hashlib.blake2b(b"".join(s.read_bytes() for s in sources), digest_size=6).hexdigest()
    # One folder per plotly version and per version of the player's own files: two checkouts
    # (or two versions of the app) on one machine never serve each other's player.
    folder = cache / "descent-lab" / f"player-plotly-{plotly.__version__}-{digest}"
    folder.mkdir(parents=True, exist_ok=True)
    for source in (*sources, _PLOTLY_JS):
        target = folder / source.name
        if not target.exists() or target.read_bytes() != source.read_bytes():
            shutil.copyfile(source, target)
    return folder


_player = components.declare_component("descent_lab_player", path=str(_component_folder()))


def figure_id(figure_json: str) -> str:
    return hashlib.blake2b(figure_json.encode(), digest_size=8).hexdigest()


def chart(figure_json: str, *, height: int, key: str, clickable: bool = False,
          on_click: Callable[[], None] | None = None):
    """Show a figure given as a JSON string, animated or not. Returns the last click
    {x, y, seq} or None.

    The browser draws it as it comes, with no validation on the server: on a rerun that does
    not change the figure the server only hands over the same bytes, and the browser, seeing
    the same figure id, draws nothing.

    ``on_click`` takes no arguments: a component's ``on_change`` gets none (every keyword of
    the component call, ``args`` included, is sent to the browser instead), so bind what the
    callback needs beforehand (``functools.partial``).
    """
    return _player(
        figure=figure_json, figure_id=figure_id(figure_json), height=height + 10,
        clickable=clickable, key=key, default=None, on_change=on_click,
    )
