"""Presentation mode: the map and its curves fill the screen.

Streamlit cannot know the size of the visitor's screen, so a tiny component
(``ui/viewport/index.html``) reports the viewport in CSS pixels (browser zoom included); the
player is then given the height to fill (``fill_height``) and sizes its map to fit in it with
everything it draws around the map (its bar, curves and readout, measured in the browser, so a
readout row that grows when its sliders arrive never pushes the player off the screen).
Everything else on the page (sidebar, controls, text) is hidden by the page's CSS (``css``),
black on white. The player is told it is presenting (``presenting``): larger type, thicker
paths, black text, its curves and readout beside the map, its bar only under the mouse.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
import streamlit.components.v1 as components

_viewport = components.declare_component(
    "descent_lab_viewport", path=str(Path(__file__).with_name("viewport")))

VIEWPORT_KEY = "_viewport"
"""Session key of the last viewport the browser reported: {"width": w, "height": h}."""
FALLBACK = {"width": 1280, "height": 720}
"""The viewport assumed until the browser has reported its own."""
TOP_BAR = 56
"""CSS pixels above the player: the leave button's row."""


def presenting() -> bool:
    """Whether the page being drawn is in presentation mode."""
    ss = st.session_state
    room = ss.get(f"_{ss.get('_page')}.room")
    return bool(room is not None and room.present)


def measure() -> dict[str, int]:
    """The viewport (reported by the browser; ``FALLBACK`` until it has been)."""
    size = _viewport(key="present.viewport", default=None)
    if isinstance(size, dict) and size.get("width") and size.get("height"):
        st.session_state[VIEWPORT_KEY] = {"width": int(size["width"]),
                                          "height": int(size["height"])}
    return st.session_state.get(VIEWPORT_KEY, FALLBACK)


def fill_height() -> int | None:
    """The CSS pixels the player fills in presentation mode: the viewport under the leave
    button's row (None: not presenting, the player takes its own height)."""
    if not presenting():
        return None
    viewport = st.session_state.get(VIEWPORT_KEY, FALLBACK)
    return max(240, viewport["height"] - TOP_BAR)


CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], header[data-testid="stHeader"],
[data-testid="stExpander"], [data-testid="stTabs"] [role="tablist"],
[class*="st-key-chart-"] { display: none !important; }
.stApp, .stMain { background: #ffffff !important; color: #000000 !important; }
.stMain [data-testid="stMainBlockContainer"] {
    padding: {top}px 12px 0 12px !important; max-width: none !important; }
.stMain [data-testid="stElementContainer"]:not(:has(iframe[src*="descent_lab_player"])):not(
    .st-key-present-leave) { display: none !important; }
.stMain [data-testid="stLayoutWrapper"]:not(:has(iframe[src*="descent_lab_player"])):not(
    :has(.st-key-present-leave)) { display: none !important; }
[data-testid="stHorizontalBlock"] { flex-wrap: nowrap !important; gap: 12px !important; }
[data-testid="stColumn"] { min-width: 0 !important; width: auto !important;
    flex: 1 1 0% !important; }
[data-testid="stColumn"]:has(iframe[src*="descent_lab_player"]):not(
    :has([class*="st-key-chart-"])) { flex: 3 1 0% !important; }
.st-key-present-leave { position: fixed !important; top: 8px; right: 12px; z-index: 1000;
    width: auto !important; }
.st-key-present-leave button { background: #000000; color: #ffffff; border-color: #000000;
    font-size: 1.1rem; }
</style>
"""


def css() -> str:
    """The page's CSS in presentation mode."""
    return CSS.replace("{top}", str(TOP_BAR))
