"""The app as a visitor feels it: Chromium (playwright) against a Streamlit server of its own.

    python -m benchmarks browser

Starts ``streamlit run app.py`` on a free localhost port, opens Explore's default and Compare
with 8 runs x 1000 steps, and measures in the page (``performance.now()``):

* a server-side control moved (the sidebar's "steps" slider, one key press to a new value,
  so every move is a new computation) -> the map redrawn (its player shows a new figure),
  split at the map's new data reaching its frame (before: the server and Streamlit; after:
  the player's own work and the paint), the part before split again at the newest
  websocket message the page had handled by then (before: the server, the network and the
  page's thread: the page handles a message only when its one thread is free, and Streamlit's
  renders of the page's earlier messages hold it for tens of ms each; after: Streamlit's
  own work in the browser on that message), and
  -> the whole page settled (the script finished and every chart in the browser's view drawn:
  a chart below the fold, or in a closed expander, draws when it is scrolled to or opened);
* the bytes the browser received over the websocket for one such move (on Compare 8 x 1000
  the player's payload carries the neighbourhoods: target <= 2 MB); for scale, the
  neighbourhoods alone as float32 in base64;
* the first map of a page opened in a new tab on a warm cache: shown (its picture and paths,
  which the player draws before plotly.js has run in its frame) and with its axes, colour bar
  and curves (drawn by Plotly once plotly.js has run);
* dragging a player slider (Compare 8 x 1000, the first run's lr): the player's own timings,
  ``window.descentLabStats.slider`` inside its frame (ms from each input event to the redrawn
  path).

Medians of ``MOVES`` moves. The machine is shared: the load average is printed with the rows.
"""

from __future__ import annotations

import base64
import os
import statistics
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PLAYER = ('[data-testid="stElementContainer"]:not([class*="st-key-chart-"]) '
          'iframe[src*="descent_lab_player"]')
ALL_PLAYERS = 'iframe[src*="descent_lab_player"]'
MOVES = 7
FIRST_PAGE_MS = 300_000  # a fresh server compiles (or loads) the kernels on its first page
WAIT_MS = 60_000

MAP_TARGET_EXPLORE_MS = 200.0
MAP_TARGET_COMPARE_MS = 300.0
SETTLED_TARGET_MS = 500.0
PAYLOAD_TARGET_MB = 2.0
FIRST_MAP_TARGET_S = 1.5
SLIDER_TARGET_MS = 16.0

COMPARE_STEPS = 1000


def compare_path() -> str:
    """Compare with 8 runs (the first 8 optimizers at torch's defaults) x 1000 steps."""
    from optimizers.specs import OPTIMIZERS

    runs = ";".join(f"{spec.name}(lr={spec.defaults['lr']:g})" for spec in OPTIMIZERS[:8])
    return f"/compare?runs={runs}&steps={COMPARE_STEPS}"


# In the page: the first key press starts the clock; the map's frame notes when its new data
# arrives (the component's render message: the server's and Streamlit's part until then; a
# listener added here would run only after the frame's own, and the player's work on the data
# with it); each animation frame looks for the map's new figure (drawn), then for the script's
# end with every chart in view drawn (settled).
_ARM = """([player, players]) => {
    const frame = () => document.querySelector(player);
    const mapPlot = () => {
        const f = frame();
        return f && f.contentDocument && f.contentDocument.getElementById('plot');
    };
    const before = mapPlot() ? mapPlot().dataset.ready : null;
    const bench = {start: null, received: null, data: null, drawn: null, settled: null};
    window.__bench = bench;
    window.__messages.length = 0;
    // when the map's new data reached its frame: noted by the frame itself (ui/player/index.html)
    // before it works on it, in ms since the epoch
    const arrived = () => {
        const f = frame();
        const stats = f && f.contentWindow && f.contentWindow.descentLabStats;
        const got = stats && stats.received;
        return got && got.id !== before ? got.at - performance.timeOrigin : null;
    };
    document.addEventListener('keydown', () => {
        if (bench.start === null) bench.start = performance.now();
    }, {capture: true, once: true});
    const poll = () => {
        const plot = mapPlot();
        if (bench.start !== null && bench.data === null && arrived() !== null) {
            bench.data = arrived();
            // _MESSAGES: the newest websocket message the page had by then
            const by = window.__messages.filter((t) => t <= bench.data);
            bench.received = by.length ? by[by.length - 1] : null;
        }
        if (bench.start !== null && bench.drawn === null && plot && plot.dataset.ready
                && plot.dataset.ready !== before && plot.querySelector('.scatterlayer')) {
            bench.drawn = performance.now();
        }
        if (bench.drawn !== null && bench.settled === null) {
            const app = document.querySelector('[data-testid="stApp"]');
            const frames = Array.from(document.querySelectorAll(players)).filter((f) => {
                const box = f.getBoundingClientRect();
                return box.width > 0 && box.height > 0 && box.bottom > 0
                    && box.top < window.innerHeight;
            });
            const drawn = frames.every((f) => {
                const p = f.contentDocument && f.contentDocument.getElementById('plot');
                return p && p.dataset.ready;
            });
            if (app && app.dataset.testScriptState === 'notRunning' && drawn) {
                bench.settled = performance.now();
            }
        }
        if (bench.settled === null) requestAnimationFrame(poll);
    };
    requestAnimationFrame(poll);
}"""

# Before any page script: the times (performance.now()) of the messages each websocket of the
# page received since the last _ARM, so a move's wait splits where the browser had the server's
# answer.
_MESSAGES = """(() => {
    const Native = window.WebSocket;
    window.__messages = [];
    window.WebSocket = class extends Native {
        constructor(...args) {
            super(...args);
            this.addEventListener('message', () => { window.__messages.push(performance.now()); });
        }
    };
})();"""

_MAP_DRAWN = """(player) => {
    const frame = document.querySelector(player);
    const plot = frame && frame.contentDocument && frame.contentDocument.getElementById('plot');
    return Boolean(plot && plot.dataset.ready && plot.querySelector('.scatterlayer'));
}"""

_MAP_SHOWN = """(player) => {
    const frame = document.querySelector(player);
    const plot = frame && frame.contentDocument && frame.contentDocument.getElementById('plot');
    return Boolean(plot && (plot.dataset.preview || plot.dataset.ready));
}"""

_SETTLED = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return app && app.dataset.testScriptState === 'notRunning';
}"""

_SLIDER_TIMINGS = """(player) => {
    const frame = document.querySelector(player);
    const stats = frame && frame.contentWindow && frame.contentWindow.descentLabStats;
    return stats && Array.isArray(stats.slider) ? stats.slider.slice() : null;
}"""

DRAG_STEPS = 40


def _drag_slider(tab) -> list[float] | None:
    """Drag the first run's lr slider in the player across half its width (``DRAG_STEPS``
    mouse moves); the player's own timings of each input event, ms (None: no such slider)."""
    slider = tab.frame_locator(PLAYER).first.locator(
        ".dl-runs tr[data-run='0'] input[data-name='lr']")
    if slider.count() == 0 or tab.evaluate(_SLIDER_TIMINGS, PLAYER) is None:
        return None
    slider.scroll_into_view_if_needed()
    box = slider.bounding_box()
    y = box["y"] + box["height"] / 2
    before = len(tab.evaluate(_SLIDER_TIMINGS, PLAYER))
    tab.mouse.move(box["x"] + 0.25 * box["width"], y)
    tab.mouse.down()
    tab.mouse.move(box["x"] + 0.75 * box["width"], y, steps=DRAG_STEPS)
    timings = tab.evaluate(_SLIDER_TIMINGS, PLAYER)[before:]
    tab.mouse.up()  # commits the value: a rerun, not measured here
    return timings


def _count_received(tab) -> list[int]:
    """A counter of the bytes ``tab`` receives over its websockets from now on (call it before
    the page opens its socket)."""
    received = [0]

    def on_socket(socket) -> None:
        def count(payload) -> None:
            received[0] += len(payload.encode() if isinstance(payload, str) else payload)

        socket.on("framereceived", count)

    tab.on("websocket", on_socket)
    return received


def _moves(tab, received: list[int], count: int
           ) -> tuple[list[float | None], list[float], list[float], list[int],
                      list[float | None]]:
    """``count`` presses of ← on the sidebar's steps slider, each waited out: the ms to the
    map's new data in its frame (None: not seen), to the map redrawn and to the page settled,
    the websocket bytes received (``received``, a counter from :func:`_count_received`), and
    the ms to the newest websocket message the page had when the map's data reached its frame
    (None: not seen), of each."""
    steps = tab.locator('[data-testid="stSidebar"] input[aria-label="steps"]').first
    data, drawn, settled, sizes, answered = [], [], [], [], []
    for _ in range(count):
        tab.wait_for_function(_SETTLED, timeout=WAIT_MS)
        tab.evaluate(_ARM, [PLAYER, ALL_PLAYERS])
        received[0] = 0
        steps.focus()
        steps.press("ArrowLeft")
        tab.wait_for_function("() => window.__bench.settled !== null", timeout=WAIT_MS,
                              polling=50)
        bench = tab.evaluate("() => window.__bench")
        drawn.append(bench["drawn"] - bench["start"])
        # None: the render message was not seen (then neither part is printed)
        data.append(None if bench["data"] is None else bench["data"] - bench["start"])
        answered.append(None if bench["data"] is None or bench["received"] is None
                        or bench["received"] < bench["start"]
                        else bench["received"] - bench["start"])
        settled.append(bench["settled"] - bench["start"])
        time.sleep(0.3)  # the last messages of the run
        sizes.append(received[0])
    return data, drawn, settled, sizes, answered


def _open(tab, url: str, timeout: float = WAIT_MS) -> float:
    """Open ``url``; seconds from the navigation to the map drawn."""
    began = time.perf_counter()
    tab.goto(url)
    tab.wait_for_function(_MAP_DRAWN, arg=PLAYER, timeout=timeout, polling=50)
    return time.perf_counter() - began


def _first_map(tab, url: str) -> tuple[float, float]:
    """Open ``url``; seconds from the navigation to the map shown (its picture and paths, with
    or without Plotly) and to the map drawn by Plotly (axes, colour bar, curves)."""
    began = time.perf_counter()
    tab.goto(url)
    tab.wait_for_function(_MAP_SHOWN, arg=PLAYER, timeout=FIRST_PAGE_MS, polling="raf")
    shown = time.perf_counter() - began
    tab.wait_for_function(_MAP_DRAWN, arg=PLAYER, timeout=FIRST_PAGE_MS, polling="raf")
    return shown, time.perf_counter() - began


def _neighbourhood_bytes() -> int:
    """Compare 8 x 1000's neighbourhoods as the player would carry them: every array as
    float32, base64 (the words of how each run ended aside)."""
    import logging

    import streamlit.logger

    streamlit.logger.set_log_level("error")
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    from optimizers.specs import OPTIMIZERS
    from ui import compute, settings

    runs = tuple(settings.run(spec.name) for spec in OPTIMIZERS[:8])
    scene = compute.Scene(settings.surface_setting("rosenbrock"), runs, COMPARE_STEPS)
    total = 0
    for near in compute.neighbourhoods(scene):
        total += len(base64.b64encode(near["steps"].astype(np.int32).tobytes()))
        for slider in near["sliders"]:
            for name in ("values", "xy", "loss", "lr", "grad_norm"):
                total += len(base64.b64encode(slider[name].astype(np.float32).tobytes()))
    return total


def run() -> Iterator[tuple[str, float, str, str]]:
    """The rows (what, measured, target, unit), each as soon as it is measured."""
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is missing: the browser benchmark needs it")
    from playwright.sync_api import sync_playwright

    from benchmarks.load import servers

    with servers.one_process([]) as running, sync_playwright() as p:
        url = f"http://127.0.0.1:{running.port}"
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1600, "height": 1800})
            context.add_init_script(_MESSAGES)
            tab = context.new_page()
            received = _count_received(tab)
            _open(tab, url + "/", FIRST_PAGE_MS)  # compiles or loads the kernels
            compare = url + compare_path()
            _open(tab, compare, FIRST_PAGE_MS)
            for name, path, target in (("Explore default", "/", MAP_TARGET_EXPLORE_MS),
                                       (f"Compare 8 x {COMPARE_STEPS}", compare_path(),
                                        MAP_TARGET_COMPARE_MS)):
                _open(tab, url + path)
                data, drawn, settled, sizes, answered = _moves(tab, received, MOVES)
                yield (f"{name}: control -> map redrawn, median of {MOVES} new values",
                       statistics.median(drawn), f"<= {target:g}", "ms")
                seen = [(a, d) for a, d in zip(data, drawn, strict=True) if a is not None]
                if len(seen) == len(drawn):
                    yield ("  of which: control -> the map's data in its frame (server, Streamlit)",
                           statistics.median(a for a, _ in seen), "-", "ms")
                    if None not in answered:
                        yield ("    of that: control -> the page's newest websocket message by "
                               "then (server, network, the page's thread busy with Streamlit's "
                               "renders)", statistics.median(answered), "-", "ms")
                        yield ("    of that: that message -> the data in the map's frame "
                               "(Streamlit in the browser)",
                               statistics.median(a - m for (a, _), m
                                                 in zip(seen, answered, strict=True)), "-", "ms")
                    yield ("  of which: the data in its frame -> map redrawn (the player)",
                           statistics.median(d - a for a, d in seen), "-", "ms")
                yield (f"{name}: control -> whole page settled, median",
                       statistics.median(settled), f"<= {SETTLED_TARGET_MS:g}", "ms")
                yield (f"{name}: bytes received per move (websocket), median",
                       statistics.median(sizes) / 1e6,
                       f"<= {PAYLOAD_TARGET_MB:g}" if name.startswith("Compare") else "-", "MB")
            yield ((f"Compare 8 x {COMPARE_STEPS}: its neighbourhoods alone as float32 base64 "
                    "(for scale)", _neighbourhood_bytes() / 1e6, "-", "MB"))
            for name, path in (("Explore", "/"), ("Compare", compare_path())):  # both warm
                fresh = context.new_page()
                shown, drawn = _first_map(fresh, url + path)
                yield (f"first map of a page, new tab, warm cache: {name} (picture and paths)",
                       shown, f"<= {FIRST_MAP_TARGET_S:g}", "s")
                yield ("  the same with its axes, colour bar and curves (plotly.js run)", drawn,
                       "-", "s")
                fresh.close()
            _open(tab, compare)
            timings = _drag_slider(tab)
            if not timings:
                print("  dragging a player slider (window.descentLabStats.slider): not "
                      "available yet (no slider in the player on this tree)")
            else:
                yield (f"Compare 8 x {COMPARE_STEPS}: dragging a player lr slider, input "
                       f"event -> redrawn, median of {len(timings)}", statistics.median(timings),
                       f"<= {SLIDER_TARGET_MS:g}", "ms")
                yield ("  the same, slowest", max(timings), "-", "ms")
            context.close()
        finally:
            browser.close()
    load = os.getloadavg()[0]
    print(f"  (load average at the end: {load:.1f} on {os.cpu_count()} cores)")


if __name__ == "__main__":
    for name, measured, target, unit in run():
        print(f"{name}: {measured:.4g} {unit} (target {target} {unit})")
