"""Exports for slides: the scene's animation as GIF or MP4, its last frame as a PNG at twice
the size. Drawn only when a visitor asks (a button), with a progress bar, then offered as a
download.

A finished file is kept per scene for every session of the process (``_files``), so a class
asking for the same scene gets it at once. One file is drawn at a time per process
(``_drawing``): an export takes one core for a few seconds, never both, so the other visitors'
pages keep answering while it renders.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

import streamlit as st

from figures import export
from ui import compute


@dataclass(frozen=True)
class Export:
    """One kind of file: what it shows, its type, its size (times ``figures.export``'s
    960 × 540) and the function of ``figures.export`` that writes it."""

    what: str
    extension: str
    mime: str
    scale: float
    encoder: str

    @property
    def size(self) -> tuple[int, int]:
        return round(export.WIDTH * self.scale), round(export.HEIGHT * self.scale)

    @property
    def label(self) -> str:
        """E.g. "GIF (animation, 960×540)"."""
        width, height = self.size
        return f"{self.extension.upper()} ({self.what}, {width}×{height})"


EXPORTS = {
    "gif": Export("animation", "gif", "image/gif", 1.0, "gif_bytes"),
    # H.264 at 1280 × 720 for a projector: drawn in about 2 CPU-seconds for 8 runs × 500 steps
    # (1920 × 1080 took about 4, more than the 10 s budget in wall time on a busy machine)
    "mp4": Export("animation, H.264", "mp4", "video/mp4", 4 / 3, "mp4_bytes"),
    "png": Export("last step", "png", "image/png", 2.0, "png_bytes"),
}
"""The files for slides. The PNG is the GIF's last frame at twice its size."""

KEPT_FILES = 24
"""Finished files kept per process (most recently asked for first); about 0.2 to 0.6 MB each."""


class _Files:
    """Finished files by (scene, kind), the least recently used dropped past ``KEPT_FILES``."""

    def __init__(self) -> None:
        self._files: OrderedDict[tuple, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> bytes | None:
        with self._lock:
            if key in self._files:
                self._files.move_to_end(key)
            return self._files.get(key)

    def put(self, key: tuple, data: bytes) -> None:
        with self._lock:
            self._files[key] = data
            self._files.move_to_end(key)
            while len(self._files) > KEPT_FILES:
                self._files.popitem(last=False)


@st.cache_resource(show_spinner=False)
def _files() -> _Files:
    return _Files()


@st.cache_resource(show_spinner=False)
def _drawing() -> threading.Lock:
    return threading.Lock()


def render(scene: compute.Scene, kind: str, progress=None) -> bytes:
    """The file of ``kind`` (a key of ``EXPORTS``) for ``scene``, drawn now (``progress``
    is told the fraction done after each frame)."""
    spec = EXPORTS[kind]
    frames = export.SlideFrames(compute.surface_view(scene.surface),
                                compute.run_payloads(scene), compute.scene_heading(scene),
                                scale=spec.scale)
    return getattr(export, spec.encoder)(frames, progress)


def _file_name(name: str, spec: Export) -> str:
    return f"descent-lab-{name}.{spec.extension}"


def export_buttons(scene: compute.Scene, name: str, columns) -> None:
    """A button per kind of file in ``columns``: pressed, it draws the file under a progress
    bar and becomes the file's download button (at once when the scene's file is kept)."""
    for column, (kind, spec) in zip(columns, EXPORTS.items(), strict=True):
        key = (scene, kind)
        with column:
            place = st.empty()
            data = _files().get(key)
            asked = st.session_state.pop(f"{name}.asked.{kind}", False)
            if data is None and asked:
                data = _draw(scene, kind, spec, place)
            elif data is None:
                place.button(f"Make {spec.label}", key=f"{name}.make.{kind}",
                             help=f"Draw the map as a {spec.extension.upper()} file, then "
                                  "download it.",
                             on_click=_ask, args=(f"{name}.asked.{kind}",))
            if data is not None:
                place.download_button(f"⬇ {spec.label}", data=data,
                                      file_name=_file_name(name, spec), mime=spec.mime,
                                      on_click="ignore", key=f"{name}.{kind}")


def _ask(flag: str) -> None:
    """A make button's callback: it marks the file as asked for, and the run it starts draws
    it. (Read as ``if st.button(...)``, a click under AppTest never reached the page; the
    cause was not found. A callback's mark in the session does reach it.)"""
    st.session_state[flag] = True


def _draw(scene: compute.Scene, kind: str, spec: Export, place) -> bytes | None:
    """Draw the file under a progress bar in ``place``; keep it. None (and a message) when the
    core refuses the scene."""
    what = spec.extension.upper()
    bar = place.progress(0.0, text=f"Waiting for another export on this server to finish "
                                   f"before drawing the {what}…")
    shown = [-1]

    def progress(fraction: float) -> None:
        percent = int(fraction * 100)
        if percent >= shown[0] + 5 or fraction >= 1.0:  # a message every 5 % is enough
            shown[0] = percent
            bar.progress(fraction, text=f"Drawing the {what}: {percent} %")

    with _drawing():
        data = _files().get((scene, kind))  # drawn by another visitor meanwhile
        if data is None:
            progress(0.0)
            try:
                data = render(scene, kind, progress)
            except ValueError as error:
                place.error(f"The {what} cannot be drawn: {error}")
                return None
            _files().put((scene, kind), data)
    return data
