"""The player: the animated map, its step curves, a readout and a slider per run, drawn in the
browser by a small local component (``ui/player/``: plotly.js from the package, and
``player.js``); the same component also draws static Plotly charts.

``st.plotly_chart`` validates a figure on the server on every rerun; this component takes
ready bytes instead (a figure's JSON, or the player's manifest and blob from
``figures.player_payload``), so a rerun that changes nothing only hands over cached bytes.

What moves stays in the browser: Play, Pause, speed, stepping and scrubbing by step, and a
run's lr or β slider (its path is swapped from the run's precomputed neighbourhood while the
slider moves). Only a released slider (``{"kind": "commit", "run", "name", "value", "seq"}``),
a click or drag on the map (``{"kind": "click", "x", "y", "seq"}``) and, where the page asks
(``report_steps``), the step the visitor leaves the player at (``{"kind": "step", "step",
"end", "seq"}``: paused, stepped, scrubbed, never while it plays) come back as the component's
value. ``step_request`` (``{"step", "seq"}``, step None for the end) moves the player to a
step the page chose, once per ``seq``.

Streamlit serves a component's files from one folder and refuses links out of it, so the
component's page (``ui/player/index.html``, with player.css and player.js put inside it) and
the installed plotly package's plotly.min.js are put together in a folder of the user's cache
(``$XDG_CACHE_HOME`` or ``~/.cache``), one per plotly version and version of the player's
files, with plotly.min.js also gzipped once: the browser never reaches the network, and the
source tree is never written.
"""

from __future__ import annotations

import base64
import functools
import gzip
import hashlib
import html
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import plotly
import streamlit as st
import streamlit.components.v1 as components

import figures
from ui import compute, presentation, settings

_SOURCE = Path(__file__).with_name("player")
_PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


_STYLE_LINK = '<link rel="stylesheet" href="./player.css">'
_SCRIPT_LINK = '<script src="./player.js"></script>'


def _inline(text: str) -> str:
    """Text to put inside a <script> element: a closing tag in it would end the element."""
    return text.replace("</script", "<\\/script").replace("</SCRIPT", "<\\/SCRIPT")


def _page() -> bytes:
    """The component's page as served: ``ui/player/index.html`` with player.css and player.js
    put inside it. A page makes one frame per chart, all at once; each frame then waits for one
    response from the server, not three in turn before it can draw."""
    page = (_SOURCE / "index.html").read_text()
    if _STYLE_LINK not in page or _SCRIPT_LINK not in page:
        raise RuntimeError("ui/player/index.html no longer links player.css and player.js as "
                           f"{_STYLE_LINK} and {_SCRIPT_LINK}")
    style, script = (_SOURCE / "player.css").read_text(), (_SOURCE / "player.js").read_text()
    page = page.replace(_STYLE_LINK, f"<style>\n{style}</style>")
    return page.replace(_SCRIPT_LINK, f"<script>\n{_inline(script)}</script>").encode()


def _component_folder() -> Path:
    """The folder Streamlit serves the player from, made (or refreshed) on first import."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    page = _page()
    digest = hashlib.blake2b(page, digest_size=6).hexdigest()
    # One folder per plotly version and per version of the player's own files: two checkouts
    # (or two versions of the app) on one machine never serve each other's player.
    folder = cache / "descent-lab" / f"player-plotly-{plotly.__version__}-{digest}"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "index.html"
    if not target.exists() or target.read_bytes() != page:
        partial = target.with_name(f"index.html.{os.getpid()}.part")
        partial.write_bytes(page)
        os.replace(partial, target)  # another process may be serving the folder already
    target = folder / _PLOTLY_JS.name
    if not target.exists() or target.read_bytes() != _PLOTLY_JS.read_bytes():
        shutil.copyfile(_PLOTLY_JS, target)
    # plotly.js gzipped once here: Streamlit's server gzips every response of a component's
    # folder anew (4.8 MB at level 9, ~0.25 s of CPU per page view), but not a file whose type
    # is already application/gzip; the browser inflates it (index.html).
    packed = folder / (_PLOTLY_JS.name + ".gz")
    if not packed.exists():
        partial = packed.with_name(f"{packed.name}.{os.getpid()}.part")
        partial.write_bytes(gzip.compress(_PLOTLY_JS.read_bytes(), compresslevel=9, mtime=0))
        os.replace(partial, packed)  # another process may be serving the folder already
    return folder


_player = components.declare_component("descent_lab_player", path=str(_component_folder()))


@functools.lru_cache(maxsize=32)  # a cached figure is one string object: hashed once
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


@st.cache_resource(max_entries=32, show_spinner=False, hash_funcs=compute.KEYS)
def surface_layer(surface: settings.Setting) -> dict:
    """The map's surface alone (its picture, colour bar, points: ``figures.player.surface_layer``),
    made once per surface, not for every new set of runs on it."""
    return figures.player.surface_layer(compute.surface_view(surface))


# st.cache_resource, not st.cache_data: every rerun hands the component the one cached blob
# (~1.5 MB for Compare with its neighbourhoods) instead of unpickling a copy; nothing changes it.
@st.cache_resource(max_entries=32, show_spinner=False,
                   hash_funcs=compute.KEYS)
def payload(scenes: tuple, *, curves: tuple[str, ...] = ("gap", "lr", "grad_norm"),
            clickable: bool = True, sliders: bool = True, arrows: bool = False
            ) -> tuple[dict, bytes, str]:
    """The player's manifest, blob and data id for one or more scenes (``ui.compute.Scene``)
    on one surface, their runs drawn together on one map in order: the runs, their
    neighbourhoods (with ``sliders``), the step curves ``curves`` and (``arrows``) each run's
    arrows at every point."""
    runs, hoods = [], []
    for scene in scenes:
        runs += compute.run_payloads(scene)
        hoods += compute.neighbourhoods(scene) if sliders else [None] * len(scene.runs)
    scheduled = [s.schedule for s in scenes if s.schedule.name != "constant"]
    first = scenes[0]
    manifest, blob = figures.player_payload(
        compute.surface_view(first.surface), runs, hoods, curves=curves, clickable=clickable,
        lr_title=(f"Learning rate: {settings.schedule_label(scheduled[0]).lower()}"
                  if len(scheduled) == len(scenes) else ""),
        start=first.start_point(), layer=surface_layer(first.surface), arrows=arrows,
    )
    blob = figures.player.encode(blob)
    # The data id (what the browser compares to know it has drawn this data already) names
    # what the payload is made from, its cache key, not its bytes: the same settings make the
    # same payload, and hashing its ~0.7 MB (Explore's default) took ~0.9 ms of each new one.
    made_from = repr((scenes, curves, clickable, sliders, arrows))
    return manifest, blob, hashlib.blake2b(made_from.encode(), digest_size=8).hexdigest()


def show(scenes, *, key: str, curves: tuple[str, ...] = ("gap", "lr", "grad_norm"),
         clickable: bool = True, sliders: bool = True, height: int = 760,
         click_note: str = "", on_event: Callable[[], None] | None = None,
         report_steps: bool = False, step_request: dict | None = None, arrows: bool = False,
         caption: tuple[str, ...] = (), answer: tuple[str, ...] = (),
         opens_at_start: bool = False):
    """The player for a scene (or a tuple of scenes on one surface, whose runs race on one
    map). Returns its last event (a click on the map or a released slider, see the module's
    docstring) or None.

    ``on_event`` takes no arguments: a component's ``on_change`` gets none (every keyword of
    the component call, ``args`` included, is sent to the browser instead), so bind what the
    callback needs beforehand (``functools.partial``). ``height`` is the frame's height until
    the player has measured itself. ``click_note``: what the hover over a map that takes no
    click says of why it does not. ``arrows``: the map draws each run's arrows at the
    current point (the negative gradient, the step taken, what momentum adds), with a button
    to hide them. ``caption``: paragraphs (``**bold**`` marked) that presentation mode shows
    above the map (a lesson's question and its choices), its text flowing around the leave
    button at the screen's top (the player starts there); ``answer``: paragraphs shown in
    their place once revealed, in the browser (the A key, PageDown at the last step, or the
    button on the player's bar under the mouse). ``opens_at_start``: the map opens at step 0
    (the starting points, no path yet) instead of the runs' end, so a question about the
    outcome is asked before it shows (a lesson).
    """
    scenes = scenes if isinstance(scenes, tuple) else (scenes,)
    manifest, blob, the_id = payload(scenes, curves=curves, clickable=clickable, sliders=sliders,
                                     arrows=arrows)
    captioned = presentation.presenting() and bool(caption)
    if captioned:
        st.html(presentation.captioned_css())
    return _player(manifest=manifest, blob=blob, data_id=the_id, height=height, key=key,
                   fill_height=presentation.fill_height(captioned), click_note=click_note,
                   report_steps=report_steps, step_request=step_request,
                   opens_at_start=opens_at_start, present=presentation.presenting(),
                   caption=list(caption) if captioned else [],
                   answer=list(answer) if captioned else [],
                   keep_clear=presentation.LEAVE if captioned else "",
                   default=None, on_change=on_event)


def standalone(scenes, *, curves: tuple[str, ...] = ("gap", "lr", "grad_norm")) -> str:
    """The player as an HTML fragment that works from a file, offline: plotly.js, the
    player's script and style, and the scenes' data (the blob in base64), all inline. Its
    sliders draw from the neighbourhoods as in the app; the map takes no click (no server
    to run a new start)."""
    scenes = scenes if isinstance(scenes, tuple) else (scenes,)
    manifest, blob, the_id = payload(scenes, curves=curves, clickable=False, sliders=True)
    data = json.dumps({"manifest": manifest, "id": the_id}, separators=(",", ":"))
    data = data.replace("</", "<\\/")  # read back as "</" by JSON; "</script" would end the element
    style, script = (_SOURCE / "player.css").read_text(), (_SOURCE / "player.js").read_text()
    blob64 = base64.b64encode(blob).decode("ascii")
    return f"""<style>{style}</style>
<script>{_inline(_PLOTLY_JS.read_text())}</script>
<script>{_inline(script)}</script>
<div id="descent-lab-player"></div>
<script type="application/json" id="descent-lab-data">{data}</script>
<script type="text/plain" id="descent-lab-blob">{blob64}</script>
<script>
(function () {{
  const data = JSON.parse(document.getElementById("descent-lab-data").textContent);
  const text = atob(document.getElementById("descent-lab-blob").textContent.trim());
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  const player = new DescentLabPlayer(document.getElementById("descent-lab-player"),
                                      {{ standalone: true }});
  player.show(data.manifest, bytes, data.id);
  window.descentLab = player;
}})();
</script>"""


@st.cache_data(max_entries=32, show_spinner=False,
                   hash_funcs=compute.KEYS)
def animated_html(scene: compute.Scene, title: str = "") -> str:
    """A standalone HTML page of the scene's player that plays offline (plotly.js and the
    player inline, its sliders drawing from the runs' neighbourhoods), with a <title> and a
    caption that says what it shows: the scene's settings and each run."""
    plot = standalone(scene)
    lines = compute.scene_settings(scene)
    heading = title or compute.scene_heading(scene)
    rows = "\n".join(f"<li><b>{html.escape(key)}</b>: {html.escape(value)}</li>"
                      for key, value in lines)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Descent Lab: {html.escape(heading)}</title>
<style>
  body {{ font-family: "Source Sans Pro", Helvetica, Arial, sans-serif; margin: 1.5rem; }}
  figcaption {{ max-width: 60rem; line-height: 1.4; }}
  figcaption ul {{ padding-left: 1.2rem; }}
</style>
</head>
<body>
<figure>
{plot}
<figcaption>
<h1>{html.escape(heading)}</h1>
<p>Each path is one run of gradient descent from the same start; press ▶ Play to watch them
move, drag the step slider (or use ← → Home End), or drag a run's lr slider to see it at another
learning rate.</p>
<ul>
{rows}
</ul>
<p>Made with Descent Lab.</p>
</figcaption>
</figure>
</body>
</html>
"""
