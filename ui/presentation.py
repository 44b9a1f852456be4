"""Presentation mode: the map and its curves fill the screen.

Streamlit cannot know the size of the visitor's screen, so a tiny component
(``ui/viewport/index.html``) reports the viewport in CSS pixels (browser zoom included); the
player is then given the height to fill (``fill_height``) and sizes its map to fit in it with
everything it draws around the map (its bar, curves and readout, measured in the browser, so a
readout row that grows when its sliders arrive never pushes the player off the screen).
Everything else on the page (sidebar, controls, text) is hidden by the page's CSS (``css``),
black on white. The player is told it is presenting (``presenting``): larger type, thicker
paths, black text, its curves and readout beside the map, its bar only under the mouse. A page
whose picture is no player (Sensitivity's heatmap) draws it in a ``shown`` container, sized
and lettered for the room by ``fit``.
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
"""CSS pixels above the player at 1280 x 720: the leave button's row (``top_bar``)."""
EDGE = 8
"""CSS pixels above a player with a caption at 1280 x 720 (``fill_height``): its caption
shares the leave button's row, flowing around the button."""
LEAVE_KEY = "present-leave"
"""The key of presentation mode's leave button (drawn by ``ui/sharing.py``)."""
LEAVE = f".st-key-{LEAVE_KEY} button"
"""The leave button's CSS selector: it is fixed at the screen's top right (``CSS``)."""
SHOWN = "present-shown"
"""The key prefix of a container that stays in view in presentation mode (``shown``)."""
FONT = {"family": "Source Sans Pro, Helvetica, Arial, sans-serif", "size": 20, "color": "#000000"}
"""The type of a Plotly figure shown in presentation mode (the player's ``LOOKS.present``) at
1280 x 720; on a taller screen it grows with the height, as the player's does."""


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


def button_scale() -> float:
    """How many times taller the viewport is than 1280 x 720's, at least a half: the leave
    button and its row grow and shrink by it, keeping their share of any screen (a 4K one at
    100 %: 3; 1280 x 720 at browser zoom 200 %: 0.5). A way out, not something the room
    reads: at zoom 200 % it gives its height back to the map."""
    viewport = st.session_state.get(VIEWPORT_KEY, FALLBACK)
    return max(0.5, viewport["height"] / FALLBACK["height"])


def top_bar() -> int:
    """The CSS pixels of the leave button's row, above the player."""
    return round(TOP_BAR * button_scale())


def fill_height(captioned: bool = False) -> int | None:
    """The CSS pixels the player fills in presentation mode: the viewport under the leave
    button's row, or, for a player with a caption (``captioned``: its text flows around the
    button), under a thin edge (None: not presenting, the player takes its own height). The
    player's look grows with the height it fills (player.js: PRESENT_HEIGHT, 720 - TOP_BAR)."""
    if not presenting():
        return None
    viewport = st.session_state.get(VIEWPORT_KEY, FALLBACK)
    return max(240, viewport["height"] - (edge() if captioned else top_bar()))


def edge() -> int:
    """The CSS pixels above a player with a caption."""
    return round(EDGE * button_scale())


def captioned_css() -> str:
    """The page's CSS where its player has a caption (``fill_height(captioned=True)``): the
    player starts at the top of the screen, beside the leave button."""
    return (f'<style>.stMain [data-testid="stMainBlockContainer"] {{ padding-top: {edge()}px '
            "!important; }</style>")


def shown(name: str):
    """A container whose content stays in view in presentation mode (the page's one picture
    when it has no player)."""
    return st.container(key=f"{SHOWN}-{name}")


def fit(figure: dict) -> dict:
    """``figure`` (a Plotly figure as a dict) as drawn in presentation mode: as tall as the
    room under the leave button, in the player's presentation type (on a page: unchanged)."""
    height = fill_height()
    if height is None:
        return figure
    grow = max(1.0, height / (FALLBACK["height"] - TOP_BAR))  # player.js: PRESENT_HEIGHT
    layout = {**figure["layout"], "height": height,
              "font": {**FONT, "size": round(FONT["size"] * grow)}}
    for axis in ("xaxis", "yaxis"):  # titles clear of the larger tick labels
        if axis in layout:
            title = {**layout[axis].get("title", {}), "standoff": round(12 * grow)}
            layout[axis] = {**layout[axis], "title": title, "automargin": True}
    return {**figure, "layout": layout}


def plotly_options(config: dict) -> dict:
    """``st.plotly_chart``'s theme and config: on a page, Streamlit's theme and ``config``;
    in presentation mode no theme (Streamlit's small grey type would replace the type ``fit``
    gave) and no mode bar (no control shows)."""
    if not presenting():
        return {"theme": "streamlit", "config": config}
    return {"theme": None, "config": {**config, "displayModeBar": False}}


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
    .st-key-{leave}):not([class*="st-key-{shown}"] *) { display: none !important; }
.stMain [data-testid="stLayoutWrapper"]:not(:has(iframe[src*="descent_lab_player"])):not(
    :has(.st-key-{leave})):not(:has([class*="st-key-{shown}"])) {
    display: none !important; }
[data-testid="stTabPanel"] { padding-top: 0 !important; }
[data-testid="stHorizontalBlock"] { flex-wrap: nowrap !important; gap: 12px !important; }
[data-testid="stColumn"] { min-width: 0 !important; width: auto !important;
    flex: 1 1 0% !important; }
[data-testid="stColumn"]:has(iframe[src*="descent_lab_player"]):not(
    :has([class*="st-key-chart-"])) { flex: 3 1 0% !important; }
.st-key-{leave} { position: fixed !important; top: calc(8px * {k}); right: 12px;
    z-index: 1000; width: auto !important; }
.st-key-{leave} button { background: #000000; color: #ffffff; border-color: #000000;
    min-height: calc(42px * {k}); padding: calc(4px * {k}) calc(14px * {k});
    border-radius: calc(8px * {k}); }
.st-key-{leave} button, .st-key-{leave} button * {
    font-size: calc(18px * {k}) !important; line-height: 1.3 !important; }
.st-key-{leave} [data-testid="stIconMaterial"] {
    margin-right: calc(8px * {k}) !important; height: auto !important; }
.st-key-{leave} .stButton { display: flex; }
</style>
"""


def css() -> str:
    """The page's CSS in presentation mode (the leave button and its row keep their share of
    the screen: ``button_scale``)."""
    return (CSS.replace("{top}", str(top_bar())).replace("{shown}", SHOWN)
            .replace("{leave}", LEAVE_KEY)
            .replace("{k}", f"{button_scale():.3f}"))
