"""Journeys in a real Chromium: one per promise a page makes in its text or its controls.

Each journey does what a visitor does (opens a link, clicks the map, presses Play, downloads a
file), checks that the page kept its promise, and ends with no exception box on the page.
Screenshots go to artifacts/screenshots/<journey>.png; the server's log to
artifacts/streamlit-test.log.

Nothing here sleeps to let the app catch up: every step waits for a condition the page shows
(the script state, the map's figure id, a frame played, the URL). A wait also stops early when
an exception box appears, so a crash fails with its own message rather than a timeout.

The animated map is the player, a custom component (``ui/player``): an iframe whose ``#plot``
is the map's Plotly div (axes, the surface), with ``#plot.dataset.ready`` set to the id of the
data it shows and ``#plot.dataset.step`` to the step shown; the paths, curves and readouts are
drawn by ``player.js``, whose ``window.descentLab.state()`` says what is drawn.
"""

from __future__ import annotations

import contextlib
import csv
import io
import math
import os
import re
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from benchmarks import streamlit_server
from ui import classroom, course, tables

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SHOTS = ROOT / "artifacts" / "screenshots"
PLAYER = ('[data-testid="stElementContainer"]:not([class*="st-key-chart-"]) '
          'iframe[src*="descent_lab_player"]')
"""A map's frame: the player also draws static charts, whose keys start with "chart."."""
CHART = '[class*="st-key-chart-"] iframe[src*="descent_lab_player"]'
"""A static chart's frame (step curves, the 3-D view, a surface map)."""
EXCEPTION = '[data-testid="stException"]'
WARNING = '[data-testid="stAlertContentWarning"]'
SIDEBAR = '[data-testid="stSidebar"]'

FIRST_PAGE_MS = 300_000
"""The first page of a fresh server compiles the Numba kernels (or loads them from the cache):
~10 s alone, ~115 s seen on two cores shared with other work."""
RERUN_MS = 90_000
"""A rerun, or a page after the first (a sweep compiles its kernel on first use): a ceiling,
waited out only when a promise is broken."""

pytestmark = pytest.mark.browser


# --- the app, the browser, one fresh context per journey ----------------------------------------


def _need_browser() -> None:
    if not Path(CHROMIUM).exists():
        if os.environ.get("DESCENT_LAB_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing and DESCENT_LAB_REQUIRE_BROWSER=1")
        pytest.skip(f"{CHROMIUM} is missing (set DESCENT_LAB_REQUIRE_BROWSER=1 to fail instead)")


@pytest.fixture(scope="module")
def browser():
    _need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@contextlib.contextmanager
def _serving(log_name: str = "streamlit-test.log", env: dict[str, str] | None = None):
    """A Streamlit server of this tree (``env`` added to its environment), answering its
    health check; yields its URL, and stops it after."""
    (ROOT / "artifacts").mkdir(exist_ok=True)
    with (open(ROOT / "artifacts" / log_name, "w") as log,
          streamlit_server.running(env, log) as (url, process)):
        try:
            streamlit_server.wait_healthy(url, process, 60)
        except (RuntimeError, TimeoutError) as error:
            pytest.fail(f"{error}; see artifacts/{log_name}")
        yield url


@pytest.fixture(scope="module")
def server(browser):
    """One Streamlit server for the module, started from this tree, and warmed up: the first
    page has rendered its map (which compiles the kernels) before any journey starts."""
    with _serving() as url:
        context = browser.new_context(viewport={"width": 1600, "height": 1800})
        try:
            tab = context.new_page()
            tab.goto(url)
            _settle(tab, FIRST_PAGE_MS)
            Map(tab).wait_drawn(timeout=FIRST_PAGE_MS)
        finally:
            context.close()
        yield url


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1600, "height": 1800}, accept_downloads=True)
    tab = context.new_page()
    tab.set_default_timeout(RERUN_MS)
    yield tab
    context.close()


# --- what every journey checks, and how it waits -------------------------------------------------


def _no_exception(tab) -> None:
    """No exception box on the page (its text is the failure message)."""
    boxes = tab.locator(EXCEPTION)
    if boxes.count():
        pytest.fail("an exception box shows on the page:\n" + boxes.first.inner_text()[:800])


def _wait(tab, predicate: str, arg=None, *, what: str, timeout: float = RERUN_MS):
    """Wait until the JS ``predicate(arg)`` (run in the page) is truthy and return its value;
    fail at once, with its text, if an exception box shows first."""
    script = f"""(arg) => {{
        if (document.querySelector('{EXCEPTION}')) return {{exception: true}};
        const value = ({predicate})(arg);
        return value ? {{value}} : false;
    }}"""
    try:
        result = tab.wait_for_function(script, arg=arg, timeout=timeout).json_value()
    except Exception as error:
        if type(error).__name__ != "TimeoutError":
            raise
        _no_exception(tab)
        _shot(tab, "timed-out-" + re.sub(r"\W+", "-", what).strip("-"))
        pytest.fail(f"timed out after {timeout / 1000:.0f} s waiting for {what} "
                    f"(the tab at {tab.url}; a screenshot in {SHOTS})")
    if result.get("exception"):
        _no_exception(tab)
    return result["value"]


def _settle(tab, timeout: float = RERUN_MS) -> None:
    """The page's script has run to its end (Streamlit's own script-state flag)."""
    _wait(tab, """() => {
        const app = document.querySelector('[data-testid="stApp"]');
        return app && app.dataset.testScriptState === 'notRunning'
            && document.querySelector('h1');
    }""", what="the page's script to finish", timeout=timeout)


STILL_MS = 250
"""How long a control must stay in one place, with nothing around it animating, before a
journey clicks it: a visitor sees it stop before reaching for it."""

# Whether an element stays in one place, with no animation running on it or on a box around it,
# for ``stillMs`` and at least ``frames`` animation frames.
_STILL = """(element, [stillMs, frames]) => new Promise((resolve) => {
    const box = () => {
        const r = element.getBoundingClientRect();
        return [r.x, r.y, r.width, r.height].map(Math.round).join();
    };
    const animating = () => document.getAnimations().some((a) => a.playState === 'running'
        && a.effect && a.effect.target && a.effect.target.contains(element));
    const first = box(), start = performance.now();
    let seen = 0;
    const frame = () => {
        if (!element.isConnected || box() !== first || animating()) return resolve(false);
        seen += 1;
        if (seen >= frames && performance.now() - start >= stillMs) return resolve(true);
        requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
})"""


def _click_when_still(tab, locator, *, what: str) -> None:
    """Click ``locator`` once it has stopped moving, as a visitor does.

    Playwright clicks once the element's box is the same in two animation frames, then sends
    the mouse down and up as separate events: an element that moves in between gets the down,
    whatever moved under the pointer gets the up, and no click happens. A run card opening
    (``st.expander``) animates its height for 0.5 s, and the content its rerun draws slides
    down with it; on a loaded machine two frames can pass with the button still, and the card's
    button then slid ~300 px away between down and up (the up landed on "Share with students")."""
    deadline = time.monotonic() + RERUN_MS / 1000
    while not locator.evaluate(_STILL, [STILL_MS, 5]):
        if time.monotonic() > deadline:
            _shot(tab, "kept-moving-" + re.sub(r"\W+", "-", what).strip("-"))
            pytest.fail(f"{what} kept moving for {RERUN_MS / 1000:.0f} s (the tab at {tab.url}; "
                        f"a screenshot in {SHOTS})")
    locator.click()


def _open(tab, server: str, path: str, timeout: float = RERUN_MS) -> None:
    tab.goto(server + path)
    _settle(tab, timeout)


def _focus(tab) -> str | None:
    """The start of the element that has the keyboard's focus, or None when the page itself
    (its body) has it."""
    return tab.evaluate("""() => {
        const focus = document.activeElement;
        return focus === document.body ? null
            : `${focus.outerHTML.slice(0, 200)}… saying "${focus.innerText.slice(0, 300)}"`;
    }""")


def _title(tab) -> str:
    return tab.locator("h1").first.inner_text().strip()


def _warnings(tab) -> str:
    return "\n".join(tab.locator(WARNING).all_inner_texts())


def _shot(tab, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _sidebar_number(tab, label: str) -> float:
    return float(tab.locator(f'{SIDEBAR} input[aria-label="{label}"]').first.input_value())


def _close(a: float, b: float, tolerance: float) -> bool:
    return math.isfinite(a) and math.isfinite(b) and abs(a - b) <= tolerance


# --- the animated map --------------------------------------------------------------------------

_PLOT = "document.getElementById('plot')"

# What the player draws (window.descentLab.state() in its frame): the step, each run's path up
# to it, and the lines drawn once (other seeds, the exact-gradient path).
_STATE = """() => {
    const state = window.descentLab.state();
    return {
        id: state.id, step: state.step, steps: state.steps, playing: state.playing,
        speed: state.speed, fading: state.fading, lengths: state.runs.map(r => r.points),
        runs: state.runs,
        lines: state.lines,
    };
}"""

# A point of the map a click can land on, as far as possible from every path, head and marker
# drawn on it: its page pixel and the data point the plot's own axes put there.
_EMPTY_SPOT = """() => {
    const plot = document.getElementById('plot');
    const L = plot._fullLayout, xa = L.xaxis, ya = L.yaxis;
    const px = (x) => xa._offset + xa.d2p(x), py = (y) => ya._offset + ya.d2p(y);
    const drawn = [];
    for (const line of window.descentLab.state().lines)
        for (let i = 0; i < line.x.length; i++)
            if (Number.isFinite(line.x[i])) drawn.push([px(line.x[i]), py(line.y[i])]);
    for (const t of plot.data)
        if ((t.xaxis || 'x') === 'x' && t.x) for (let i = 0; i < t.x.length; i++)
            if (t.x[i] !== null) drawn.push([px(t.x[i]), py(t.y[i])]);
    let best = null;
    for (let i = 4; i < 37; i++) for (let j = 4; j < 37; j++) {
        const x = xa._offset + xa._length * i / 40, y = ya._offset + ya._length * j / 40;
        let d = Infinity;
        for (const [a, b] of drawn) d = Math.min(d, Math.hypot(x - a, y - b));
        if (!best || d > best.distance) best = {x, y, distance: d};
    }
    const box = plot.getBoundingClientRect();
    return {
        x: box.left + best.x, y: box.top + best.y, distance: best.distance,
        data: [xa.p2d(best.x - xa._offset), ya.p2d(best.y - ya._offset)],
        pixel: [Math.abs(xa.p2d(1) - xa.p2d(0)), Math.abs(ya.p2d(1) - ya.p2d(0))],
    };
}"""

# The data point under a pixel of the iframe, by the plot's own axes as they are now.
_DATA_AT = """([u, v]) => {
    const plot = document.getElementById('plot');
    const xa = plot._fullLayout.xaxis, ya = plot._fullLayout.yaxis;
    const box = plot.getBoundingClientRect();
    return [xa.p2d(u - box.left - xa._offset), ya.p2d(v - box.top - ya._offset)];
}"""


def _charts(tab, count: int = 1) -> list:
    """The frames of the static charts (the 3-D view, a surface map …), once ``count`` are
    drawn. A chart draws once it is in view (``ui/player/index.html``), so the first one not
    drawn is scrolled to, as a visitor scrolls down to read it."""
    _wait(tab, """([selector, count]) => {
        const frames = Array.from(document.querySelectorAll(selector));
        const drawn = (f) => {
            const p = f.contentDocument && f.contentDocument.getElementById('plot');
            return Boolean(p && p.dataset.ready && p.querySelector('.main-svg'));
        };
        if (frames.filter(drawn).length >= count) return true;
        const next = frames.find((f) => !drawn(f));
        if (next) next.scrollIntoView({block: 'nearest'});
        return false;
    }""", [CHART, count], what=f"{count} chart(s) to draw")
    return [handle.content_frame() for handle in tab.locator(CHART).element_handles()]


class Map:
    """The player on a page (the ``index``-th), read through what it says it draws."""

    def __init__(self, tab, index: int = 0):
        self.tab = tab
        self.index = index

    @property
    def iframe(self):
        return self.tab.locator(PLAYER).nth(self.index)

    @property
    def inside(self):
        """A locator inside the player's frame."""
        return self.tab.frame_locator(PLAYER).nth(self.index)

    def frame(self):
        return self.iframe.element_handle().content_frame()

    def eval(self, script: str, arg=None):
        return self.frame().evaluate(script, arg)

    def wait_drawn(self, other_than: str | None = None, timeout: float = RERUN_MS,
                   what: str | None = None) -> str:
        """Wait until the player shows data (other than ``other_than``); its id."""
        return _wait(self.tab, """([selector, index, before]) => {
            const frame = document.querySelectorAll(selector)[index];
            const plot = frame && frame.contentDocument
                && frame.contentDocument.getElementById('plot');
            const shown = plot && plot.dataset.ready;
            return shown && shown !== before && plot.querySelector('.scatterlayer') ? shown : '';
        }""", [PLAYER, self.index, other_than], timeout=timeout,
            what=what or "the map to draw" + (" new data" if other_than else ""))

    def wait_plot(self, predicate: str, arg=None, *, what: str) -> None:
        """Wait until ``predicate(state, arg)`` holds for what the player draws (whichever
        iframe shows it by then: a rerun may replace it)."""
        _wait(self.tab, f"""([selector, index, arg]) => {{
            const frame = document.querySelectorAll(selector)[index];
            const plot = frame && frame.contentDocument
                && frame.contentDocument.getElementById('plot');
            const player = frame && frame.contentWindow && frame.contentWindow.descentLab;
            return plot && plot.dataset.ready && player && ({predicate})(player.state(), arg);
        }}""", [PLAYER, self.index, arg], what=what)

    def paths(self) -> list[dict]:
        """Every line drawn on the map (runs, their seeds and exact-gradient references)."""
        return self.state()["lines"]

    def runs(self) -> list[dict]:
        """The runs as drawn up to the current step: name, x, y, points, ended, label …"""
        return self.state()["runs"]

    def state(self) -> dict:
        """The step shown, each run's drawn length, the runs and every line."""
        return self.eval(_STATE)

    def button(self, name: str):
        return self.inside.get_by_role("button", name=re.compile(name)).first

    def play(self) -> None:
        """Press ▶ Play and wait until the paths are moving (the step has left the end)."""
        self.button("Play").click()
        self.wait_state("(state) => state.playing && state.step < state.steps")

    def pause(self) -> dict:
        self.button("Pause").click()
        return self.wait_state("(state) => !state.playing")

    def wait_state(self, predicate: str, arg=None) -> dict:
        """Wait until ``predicate(state, arg)`` holds for the player's state; the state."""
        try:
            self.frame().wait_for_function(
                f"(arg) => ({predicate})(({_STATE})(), arg)", arg=arg, timeout=RERUN_MS)
        except Exception as error:
            if type(error).__name__ != "TimeoutError":
                raise
            _no_exception(self.tab)
            _shot(self.tab, "timed-out-player-state")
            state = {k: v for k, v in self.state().items() if k not in ("runs", "lines")}
            pytest.fail(f"timed out after {RERUN_MS / 1000:.0f} s waiting for the player's "
                        f"state {predicate} (arg {arg!r}); it is {state}, the page's focus "
                        f"on {_focus(self.tab)} (the tab at {self.tab.url})")
        return self.state()

    def to_page(self, point: list[float]) -> tuple[float, float]:
        """A pixel of the iframe as a pixel of the page (scrolled into view)."""
        self.iframe.scroll_into_view_if_needed()
        box = self.iframe.bounding_box()
        return box["x"] + point[0], box["y"] + point[1]


# --- every page ----------------------------------------------------------------------------------

PAGES = {
    "explore": ("/", "Explore", True),
    "compare": ("/compare", "Compare", True),
    "schedules": ("/schedules", "Schedules", True),
    "sensitivity": ("/sensitivity", "Sensitivity", False),
    "learn": ("/learn", "Learn", True),
    "lessons": ("/lessons", "Lessons", True),
}


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_opens_and_its_map_plays(page, server, name):
    """Every page opens from its address with its title and no exception box; where it has an
    animated map, ▶ Play moves the paths; elsewhere its charts draw."""
    path, title, animated = PAGES[name]
    _open(page, server, path)
    assert _title(page) == title
    if animated:
        chart = Map(page)
        chart.wait_drawn()
        final = chart.runs()
        assert final, "the map draws no run"
        chart.play()
        assert chart.runs() != final, "▶ Play did not move the paths"
    else:
        page.locator('[data-testid="stPlotlyChart"] .main-svg').first.wait_for()
    _no_exception(page)
    _shot(page, name)


_PREVIEW = """() => {
    const plot = document.getElementById('plot'), a = window.descentLab.previewAxes;
    const picture = document.querySelector('.dl-preview');
    const canvas = document.querySelector('.dl-map-canvas'), ctx = canvas.getContext('2d');
    const ratio = canvas.width / canvas.clientWidth;
    const state = window.descentLab.state();
    const heads = state.runs.map((run) => {  // the pixel at each run's head, and its colour
        const n = run.x.length - 1;
        const [r, g, b] = ctx.getImageData(Math.round(a.x(run.x[n]) * ratio),
                                           Math.round(a.y(run.y[n]) * ratio), 1, 1).data;
        const hex = '#' + [r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('');
        return [hex, run.color.toLowerCase()];
    });
    return {
        preview: plot.dataset.preview, ready: plot.dataset.ready || '',
        plotly: Boolean(window.Plotly),
        rect: [a.left, a.top, a.width, a.height],
        picture: picture && picture.complete && picture.naturalWidth > 0
            ? [picture.offsetLeft, picture.offsetTop, picture.offsetWidth, picture.offsetHeight]
            : null,
        points: state.runs.map((run) => run.points), heads,
    };
}"""


def test_the_first_map_shows_before_plotly_js_has_run_where_plotly_then_draws_it(page, server):
    """A page's map does not wait for plotly.js (4.8 MB, ~1 s to fetch, parse and run in a
    new tab): held back here, the map already shows the surface's picture and every run's whole
    path with its head; let go, Plotly draws the axes and colour bar with the plot exactly
    where the picture and paths were (nothing jumps), and the picture drawn before is gone."""
    held = []

    def hold(route) -> None:
        held.append(route)

    page.route("**/plotly.min.js*", hold)
    page.goto(server + "/")
    _wait(page, """(selector) => {
        const frame = document.querySelector(selector);
        const plot = frame && frame.contentDocument && frame.contentDocument.getElementById('plot');
        return plot && plot.dataset.preview;
    }""", PLAYER, what="the map drawn before plotly.js has run", timeout=60_000)
    chart = Map(page)
    before = chart.eval(_PREVIEW)
    assert held, "plotly.js was not asked for"
    assert not before["plotly"] and not before["ready"]
    assert before["points"] == [501, 501, 501]
    for head, colour in before["heads"]:
        assert head == colour, before["heads"]
    assert before["picture"] is not None
    assert all(abs(p - r) <= 1 for p, r in zip(before["picture"], before["rect"], strict=True))
    for route in held:
        route.continue_()
    page.unroute("**/plotly.min.js*")
    chart.wait_drawn()
    after = chart.eval("""() => {
        const L = document.getElementById('plot')._fullLayout;
        return {rect: [L.xaxis._offset, L.yaxis._offset, L.xaxis._length, L.yaxis._length],
                preview: document.querySelectorAll('.dl-preview').length,
                points: window.descentLab.state().runs.map((run) => run.points)};
    }""")
    assert all(abs(p - r) <= 0.5 for p, r in zip(after["rect"], before["rect"], strict=True)), (
        after["rect"], before["rect"])
    assert after["preview"] == 0
    assert after["points"] == before["points"]
    _settle(page)
    _no_exception(page)


# --- the map: click, Play, Pause, speed, scrubber ------------------------------------------------


@pytest.mark.parametrize("name", ["explore", "compare"])
def test_clicking_the_map_moves_the_start_and_every_path_restarts_there(page, server, name):
    """Explore and Compare: "click the map to start from there". A real mouse click on an empty
    spot of the map puts that point in the sidebar's "start x" and "start y" (to 0.01, or to a
    pixel and a half on a wide map), and every path of the new figure begins there."""
    path, title, _ = PAGES[name]
    _open(page, server, path)
    chart = Map(page)
    shown = chart.wait_drawn()
    clicked, pixel = _click_an_empty_spot(page, chart)
    chart.wait_drawn(other_than=shown)
    _settle(page)
    _no_exception(page)
    start = (_sidebar_number(page, "start x"), _sidebar_number(page, "start y"))
    off = [abs(typed - wanted) / size for typed, wanted, size in zip(start, clicked, pixel,
                                                                       strict=True)]
    assert all(_close(typed, wanted, max(0.01, 1.5 * size)) for typed, wanted, size
               in zip(start, clicked, pixel, strict=True)), (
        f"the sidebar's start {start} is ({off[0]:.1f}, {off[1]:.1f}) pixels from the click at "
        f"({clicked[0]:.4f}, {clicked[1]:.4f}); it should be within 1.5 pixels or 0.01")
    _every_path_starts_at(chart, start, 1e-3)
    assert _title(page) == title
    _shot(page, f"{name}-clicked-map")


@pytest.mark.parametrize("name", ["schedules", "learn"])
def test_a_map_that_says_click_start_here_starts_there_when_clicked(page, server, name):
    """A map whose hover says "click: start here" starts there when clicked: on Schedules, whose
    map races one run with and without a schedule from one start, both paths restart at the
    clicked point. (Learn's maps take no click and do not say so.)"""
    _open(page, server, PAGES[name][0])
    chart = Map(page)
    shown = chart.wait_drawn()
    if not chart.eval("() => window.descentLab.manifest.clickable"):
        return  # this map does not invite a click
    clicked, pixel = _click_an_empty_spot(page, chart)
    chart.wait_drawn(other_than=shown, what=(
        f"the map to restart at the click ({clicked[0]:.3f}, {clicked[1]:.3f}), as its hover "
        "'click: start here' says"))
    _settle(page)
    _no_exception(page)
    _every_path_starts_at(chart, clicked, max(0.01, 1.5 * max(pixel)))


def _click_an_empty_spot(tab, chart: Map) -> tuple[list[float], list[float]]:
    """Click (a real mouse click) the map where no path or marker is drawn, once the hover
    says "start here"; the data point clicked, by the plot's own axes, and a pixel's size in
    data units along each axis."""
    for _ in range(3):  # the map may still be settling into its frame: pick again if it moved
        spot = chart.eval(_EMPTY_SPOT)
        assert spot["distance"] > 15, "no empty spot on the map to click"
        x, y = chart.to_page([spot["x"], spot["y"]])
        tab.mouse.move(x, y)
        chart.inside.locator(".dl-hint", has_text="start here").wait_for()
        box = chart.iframe.bounding_box()
        clicked = chart.eval(_DATA_AT, [x - box["x"], y - box["y"]])
        if all(_close(c, s, p) for c, s, p in zip(clicked, spot["data"], spot["pixel"],
                                                   strict=True)):
            tab.mouse.click(x, y)
            return clicked, spot["pixel"]
        tab.mouse.move(1, 1)
    pytest.fail("the map kept moving under the mouse")


def _every_path_starts_at(chart: Map, start, tolerance: float) -> None:
    assert not chart.state()["fading"], "the old paths are still shown"
    paths = chart.paths()
    assert len(paths) >= len(chart.runs()) >= 1
    for line in paths:
        assert (_close(line["x"][0], start[0], tolerance)
                and _close(line["y"][0], start[1], tolerance)), (
            f"{line['name']!r} starts at ({line['x'][0]}, {line['y'][0]}), not at "
            f"({start[0]:.4f}, {start[1]:.4f})")


def test_play_grows_every_path_from_step_0_and_pause_stops_it(page, server):
    """▶ Play animates in the browser from step 0: the step advances and the paths grow with
    it. ❚❚ Pause stops them where they are."""
    _open(page, server, "/")
    chart = Map(page)
    chart.wait_drawn()
    final = chart.state()
    assert final["step"] == final["steps"] == 500  # a page opens on the finished paths
    chart.play()
    early = chart.state()
    later = chart.wait_state("(state, k) => state.step > k + 20", early["step"])
    assert early["step"] < final["step"]
    assert all(e < f for e, f in zip(early["lengths"], final["lengths"], strict=True))
    assert all(b > a for a, b in zip(early["lengths"], later["lengths"], strict=True)), (
        f"the paths did not grow: {early['lengths']} -> {later['lengths']}")

    paused = chart.pause()
    assert all(n == paused["step"] + 1 for n in paused["lengths"])  # every step, exactly
    page.wait_for_timeout(1000)  # at 1x 500 steps take 10 s: ~50 steps would pass meanwhile
    assert chart.state()["step"] == paused["step"] < final["steps"], "the paths moved after Pause"
    assert chart.state()["lengths"] == paused["lengths"]
    _no_exception(page)


# Steps a second of the page's own clock while the player plays, read over 0.8 s and paused in
# the page: at 4x the default run ends 2.5 s after Play, sooner than a loaded machine may get
# back to the test to press Pause (then no Pause button was left to press). Started again if it
# ended before the reading began; a run that ends during it counts its end.
_PACE = """() => new Promise((resolve) => {
    const player = window.descentLab, button = document.querySelector('.dl-play');
    if (!player.state().playing) button.click();
    const began = player.state().step, start = performance.now();
    setTimeout(() => {
        const state = player.state(), elapsed = performance.now() - start;
        if (state.playing) button.click();
        resolve((state.step - began) / elapsed * 1000);
    }, 800);
})"""


def test_the_speed_menu_sets_the_pace_of_the_animation(page, server):
    """The speed menu (½×, 1×, 2×, 4×) sets how fast the steps go by: 4× plays more steps in
    the same time than ½×. (Only compared where load cannot reverse it: 8× apart.)"""
    _open(page, server, "/")
    chart = Map(page)
    chart.wait_drawn()
    assert chart.inside.locator(".dl-speed option").all_text_contents() == [
        "½×", "1×", "2×", "4×"]
    pace = {}
    for speed in ("0.5", "4"):
        chart.inside.locator(".dl-speed").select_option(speed)
        chart.play()
        pace[speed] = chart.eval(_PACE)
        chart.wait_state("(state) => !state.playing")
    assert pace["4"] > pace["0.5"], f"4x is not faster than 1/2x: {pace} steps a second"
    _no_exception(page)


def _type_a_step_then_step_by_one(chart: Map, typed: int, landed) -> None:
    """Drives the player's own controls as a visitor does: types ``typed`` in its step field
    (Enter), then 1 ▶ once and ◀ 1 twice, calling ``landed(step)`` after each move; leaves the
    focus on the readout, so the keys pressed next go to the page, not to a button."""
    field = chart.inside.locator(".dl-step")
    field.fill(str(typed))
    field.press("Enter")
    landed(typed)
    chart.button("one step forward").click()
    landed(typed + 1)
    chart.button("one step back").click()
    chart.button("one step back").click()
    landed(typed - 1)
    chart.inside.locator(".dl-runs th").first.click()


def test_scrubbing_stepping_and_the_keyboard_land_on_the_exact_step(page, server):
    """Every way to move through the run lands on an exact step, where every path ends at
    that step: the step field, the ◀ 1 and 1 ▶ buttons, the keys (← → one step, Home, End,
    PageDown and PageUp a tenth of the run, space to play and pause) and dragging the
    scrubber; the fullscreen button takes the player to fullscreen and back."""
    _open(page, server, "/")
    chart = Map(page)
    chart.wait_drawn()

    def at(step: int) -> None:
        state = chart.wait_state("(state, k) => state.step === k", step)
        assert state["lengths"] and all(n == step + 1 for n in state["lengths"]), (
            f"at step {step} the paths have {state['lengths']} points")
        assert chart.eval(f"() => {_PLOT}.dataset.step") == str(step)
        assert chart.inside.locator(".dl-step").input_value() == str(step)

    _type_a_step_then_step_by_one(chart, 123, at)
    for key, step in (("ArrowRight", 123), ("ArrowLeft", 122), ("Home", 0), ("End", 500),
                      ("PageUp", 450), ("PageDown", 500), ("Home", 0), ("PageDown", 50)):
        page.keyboard.press(key)
        at(step)
    page.keyboard.press("Space")
    chart.wait_state("(state) => state.playing && state.step > 50")
    page.keyboard.press("Space")
    paused = chart.wait_state("(state) => !state.playing")
    at(paused["step"])

    scrubber = chart.inside.locator(".dl-scrub")
    box = scrubber.bounding_box()
    page.mouse.move(box["x"] + 0.1 * box["width"], box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + 0.35 * box["width"], box["y"] + box["height"] / 2, steps=8)
    page.mouse.up()
    landed = int(scrubber.input_value())
    assert 0 < landed < 500
    at(landed)

    chart.button("fullscreen").click()  # the player alone fills the screen, and leaves it
    chart.frame().wait_for_function("() => document.fullscreenElement !== null")
    chart.button("fullscreen").click()
    chart.frame().wait_for_function("() => document.fullscreenElement === null")
    at(landed)
    _no_exception(page)


def test_dragging_a_run_slider_bends_its_path_at_once_and_releasing_it_runs_it(page, server):
    """A run's lr slider in the player: while it is dragged the run's path, curves and readout
    follow at once from its precomputed neighbourhood, with no script run on the server (the
    app's script state never leaves "not running", the link stays); released, the value is
    the run's: the link and the leaderboard say it, and the map shows the server's run."""
    _open(page, server, "/compare")
    chart = Map(page)
    shown = chart.wait_drawn()
    before = chart.runs()[0]
    link = page.url
    page.evaluate("""() => {
        const app = document.querySelector('[data-testid="stApp"]');
        window.__reruns = 0;
        new MutationObserver(() => {
            if (app.dataset.testScriptState === 'running') window.__reruns++;
        }).observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
    }""")
    slider = chart.inside.locator(".dl-runs tr[data-run='0'] input[data-name='lr']")
    slider.scroll_into_view_if_needed()
    box = slider.bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] / 2, y)
    page.mouse.down()
    page.mouse.move(box["x"] + 0.75 * box["width"], y, steps=10)
    during = chart.wait_state("(state) => !state.runs[0].committed")["runs"][0]
    assert during["values"]["lr"] > before["values"]["lr"]
    assert (during["x"], during["y"]) != (before["x"], before["y"]), "the path did not move"
    timings = chart.eval("() => window.descentLabStats.slider.slice()")
    assert len(timings) >= 3, timings
    page.wait_for_timeout(500)  # a rerun, if the drag sent one, would have started by now
    assert page.evaluate("() => window.__reruns") == 0, "dragging reran the page's script"
    assert page.url == link
    page.mouse.up()

    lr = during["values"]["lr"]
    _wait(page, """(lr) => (new URLSearchParams(location.search).get('runs') || '')
        .split(';')[0].includes('lr=' + lr)""", repr(lr)[:8],
          what=f"the first run's lr={lr} in the link")
    chart.wait_drawn(other_than=shown)
    _settle(page)
    after = chart.wait_state("(state) => state.runs[0].committed")["runs"][0]
    assert after["values"]["lr"] == lr and f"lr={lr:g}" in after["name"]
    assert any(f"lr={lr:g}" in row["run"] for row in _table(page, 0)), "not in the leaderboard"
    _no_exception(page)
    _shot(page, "compare-dragged-lr")


def test_moving_the_steps_slider_redraws_the_map_with_that_many_steps(page, server):
    """A slider in the sidebar reruns the page: two presses of ← on "steps" make the URL say
    steps=498, the map draw paths of 498 steps (499 points) and the curves' step axis end at
    498."""
    _open(page, server, "/")
    chart = Map(page)
    chart.wait_drawn()
    assert {run["points"] for run in chart.runs()} == {501}
    steps = page.locator(f'{SIDEBAR} input[aria-label="steps"]').first
    assert steps.get_attribute("aria-valuetext") == "500"
    steps.focus()
    for _ in range(2):  # each press may rerun the page: wait for the last one's result
        steps.press("ArrowLeft")
    _wait(page, "() => new URLSearchParams(location.search).get('steps') === '498'",
          what="steps=498 in the URL")
    chart.wait_plot("""(state) => state.runs.length
        && state.runs.every(r => r.points === 499)""", what="paths of 499 points")
    # the curves follow the map (their axes are redrawn after it: ui/player/player.js, layout)
    assert chart.frame().wait_for_function("""() => {
        const curves = document.getElementById('curves');
        return curves.dataset.ready === document.getElementById('plot').dataset.ready
            && curves._fullLayout.xaxis.range[1];
    }""", timeout=RERUN_MS).json_value() == 498
    _settle(page)
    _no_exception(page)


@pytest.mark.parametrize("name", ["explore", "compare", "schedules"])
def test_a_link_opens_exactly_the_view_it_was_copied_from(page, server, browser, name):
    """Every page's settings live in its URL: after a control is moved, the page's address
    opened in a fresh browser shows the same maps (the same figures, by their ids) and the
    control where it was left."""
    _open(page, server, PAGES[name][0])
    Map(page).wait_drawn()
    steps = page.locator(f'{SIDEBAR} input[aria-label="steps"]').first
    wanted = int(steps.get_attribute("aria-valuetext")) - 2
    steps.focus()
    for _ in range(2):
        steps.press("ArrowLeft")
    _wait(page, f"() => new URLSearchParams(location.search).get('steps') === '{wanted}'",
          what=f"steps={wanted} in the URL")
    maps = [Map(page, i) for i in range(page.locator(PLAYER).count())]
    for chart in maps:
        chart.wait_plot("(state, n) => state.steps === n", wanted,
                        what=f"paths of {wanted} steps")
    _settle(page)
    shown = [chart.wait_drawn() for chart in maps]
    link = page.url

    context = browser.new_context(viewport={"width": 1600, "height": 1800})
    try:
        fresh = context.new_page()
        _open(fresh, link, "")
        assert [Map(fresh, i).wait_drawn() for i in range(len(maps))] == shown
        assert fresh.locator(f'{SIDEBAR} input[aria-label="steps"]').first.get_attribute(
            "aria-valuetext") == str(wanted)
        assert fresh.locator(WARNING).count() == 0
        _no_exception(fresh)
    finally:
        context.close()
    _no_exception(page)


# --- how each run ended, and which run is which ---------------------------------------------------


def test_a_run_that_walks_off_the_saddle_left_the_map_and_did_not_diverge(page, server):
    """Each run says how it ended: on the saddle (no floor) a run that walks off the window
    "left the map at step k", not "diverged": in the player's table, at the edge where it left
    (written once the playback gets there: not at step 0, there at the last step), and in the
    run summary."""
    _open(page, server, "/?surface=saddle&runs=sgd(lr=0.1)&steps=200")
    chart = Map(page)
    chart.wait_drawn()
    runs = chart.runs()
    assert len(runs) == 1
    status = chart.inside.locator(".dl-runs tr[data-run='0'] .dl-status").inner_text()
    match = re.search(r"left the map at step (\d+)", status)
    assert match, f"the player's table says {status!r}"
    words = match.group(0)
    assert runs[0]["label"] == words  # written on the map at the last step
    chart.button("first step").click()
    assert chart.wait_state("(state) => state.step === 0")["runs"][0]["label"] == ""
    chart.button("last step").click()
    assert chart.wait_state("(state) => state.step === state.steps")["runs"][0]["label"] == words
    assert "diverged" not in chart.eval("() => document.body.innerText")

    summary = _table(page, 0)
    assert any(words in row.get("outcome", "") for row in summary), summary
    assert "diverged" not in page.locator('[data-testid="stMain"]').inner_text()
    _no_exception(page)
    _shot(page, "explore-left-the-map")


def _status(chart: Map, run: int) -> str:
    """The words under run ``run``'s name in the player's readout."""
    return chart.inside.locator(f".dl-runs tr[data-run='{run}'] .dl-status").inner_text()


def _go_to_step(chart: Map, step: int) -> None:
    field = chart.inside.locator(".dl-step")
    field.fill(str(step))
    field.press("Enter")
    chart.wait_state("(state, k) => state.step === k", step)


def _labels_on_the_plot(chart: Map) -> list[dict]:
    """The runs' labels drawn on the map ("diverged at step k"), each checked to lie inside
    the map's plot: clear of its colour bar, its axes and the frame's edge."""
    drawn = chart.eval("""() => { const state = window.descentLab.state();
        return {labels: state.labels, area: state.plotArea}; }""")
    area = drawn["area"]
    for label in drawn["labels"]:
        assert (label["left"] >= area["left"] - 0.5 and label["right"] <= area["right"] + 0.5
                and label["top"] >= area["top"] - 0.5
                and label["bottom"] <= area["bottom"] + 0.5), drawn
    return drawn["labels"]


@pytest.mark.parametrize("width", [360, 700])
def test_a_diverged_runs_label_stays_inside_a_small_map(browser, server, width):
    """A run that diverges is labelled where it was last seen ("diverged at step 47") once the
    playback gets there; on a small map twice as wide as tall (a phone, a narrow window) the
    label stays inside the map's plot, off its colour bar and the frame's edge."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        tab = context.new_page()
        tab.set_default_timeout(RERUN_MS)
        _open(tab, server, "/lessons?lesson=learning_rate")
        chart = Map(tab)
        chart.wait_drawn()
        chart.eval("() => window.descentLab.press('End')")
        chart.wait_state("(state) => state.step === state.steps")
        labels = _labels_on_the_plot(chart)
        assert [label["text"] for label in labels] == ["diverged at step 47"], labels
        _no_exception(tab)
        tab.locator(PLAYER).scroll_into_view_if_needed()
        _shot(tab, f"diverged-label-{width}")
    finally:
        context.close()


def test_the_readout_says_how_each_run_stands_at_the_step_shown(page, server):
    """The player's readout says each run's status in words at the step shown: "running"
    until its event, then "reached the tolerance at step k" (Compare knows f* and a
    tolerance) or "diverged at step d", the same words as the run summary's."""
    query = urllib.parse.urlencode({"surface": "quadratic", "steps": "200", "tolerance": "1e-6",
                                    "runs": "sgd(lr=0.05);sgd(lr=0.15)"})
    _open(page, server, f"/compare?{query}")
    chart = Map(page)
    chart.wait_drawn()
    chart.button("last step").click()
    chart.wait_state("(state) => state.step === state.steps")
    reached = re.fullmatch(r"reached the tolerance at step (\d+)", _status(chart, 0))
    diverged = re.fullmatch(r"diverged at step (\d+)", _status(chart, 1))
    assert reached and diverged, (_status(chart, 0), _status(chart, 1))
    k, d = int(reached.group(1)), int(diverged.group(1))
    assert 0 < k < 200 and 0 < d < 200
    chart.button("first step").click()
    chart.wait_state("(state) => state.step === 0")
    assert _status(chart, 0) == _status(chart, 1) == "running"
    _go_to_step(chart, k - 1)
    assert _status(chart, 0) == "running"
    _go_to_step(chart, k)
    assert _status(chart, 0) == reached.group(0)
    _go_to_step(chart, d - 1)
    assert _status(chart, 1) in ("running", diverged.group(0))  # its last point may be d - 1
    _go_to_step(chart, d)
    assert _status(chart, 1) == diverged.group(0)
    assert chart.inside.locator(".dl-runs tr[data-run='1'] .dl-status.dl-bad").count() == 1
    assert page.locator(WARNING).count() == 0
    _no_exception(page)


def test_the_player_names_every_run_in_its_colour_beside_its_curves(page, server):
    """Explore's player draws the loss, learning rate and gradient norm of every run, and its
    table names every run in its colour with its readout at the current step."""
    _open(page, server, "/")
    chart = Map(page)
    chart.wait_drawn()
    titles = chart.inside.locator("#curves .annotation-text").all_text_contents()
    assert titles == ["Loss", "Learning rate", "Gradient norm"], titles
    names = [run["name"] for run in chart.runs()]
    assert chart.inside.locator(".dl-runs .dl-name").all_text_contents() == names
    assert len(names) == 3
    readout = chart.inside.locator(".dl-runs tr[data-run='0'] td.dl-num")
    assert readout.first.inner_text() == "500"  # the step, then x, y, loss, lr, |grad f|
    assert all(cell for cell in readout.all_inner_texts())
    _no_exception(page)


def test_a_run_card_adds_another_run_of_its_optimizer_and_removes_itself(page, server):
    """Explore's run cards: "＋ another Adam run" adds a second Adam run (cards Adam #1 and
    Adam #2, two paths, both in the link), and "✕ remove this run" takes it away again."""
    _open(page, server, "/?runs=adam(lr=0.01)")
    chart = Map(page)
    chart.wait_drawn()
    assert len(chart.runs()) == 1
    cards = page.locator(f'{SIDEBAR} [data-testid="stExpander"]', has_text="hyperparameters")
    _click_when_still(page, cards.first.locator("summary"), what="the Adam card")
    _click_when_still(page, cards.first.get_by_role("button", name=re.compile("another Adam run")),
                      what="＋ another Adam run")
    _wait(page, "() => (new URLSearchParams(location.search).get('runs') || '')"
                ".split(';').length === 2", what="two runs in the link")
    chart.wait_plot("(state) => state.runs.length === 2", what="two paths on the map")
    _settle(page)
    titles = [cards.nth(i).locator("summary").inner_text() for i in range(cards.count())]
    assert len(titles) == 2 and "Adam #1" in titles[0] and "Adam #2" in titles[1], titles

    second = cards.nth(1)
    remove = second.get_by_role("button", name=re.compile("remove this run"))
    if not remove.is_visible():
        _click_when_still(page, second.locator("summary"), what="the Adam #2 card")
    _click_when_still(page, remove, what="✕ remove this run")
    _wait(page, "() => (new URLSearchParams(location.search).get('runs') || '')"
                ".split(';').length === 1", what="one run in the link")
    chart.wait_plot("(state) => state.runs.length === 1", what="one path on the map")
    _settle(page)
    assert cards.count() == 1
    _no_exception(page)


def _table(tab, index: int) -> list[dict[str, str]]:
    """The rows of the ``index``-th table of runs (``ui.tables``) in the page's main area."""
    table = tab.locator(f'[data-testid="stMain"] table.{tables.CLASS}').nth(index)
    table.scroll_into_view_if_needed()
    table.locator("tbody tr").first.wait_for(state="attached")
    return table.evaluate("""(table) => {
        const head = Array.from(table.querySelectorAll('thead th'), c => c.textContent.trim());
        return Array.from(table.querySelectorAll('tbody tr'), (row) => Object.fromEntries(
            Array.from(row.querySelectorAll('td'), (c, i) => [head[i], c.textContent.trim()])));
    }""")


# --- links teachers write, and links that were tampered with -------------------------------------


def test_a_link_naming_one_optimizer_twice_draws_both_runs(page, server):
    """A teacher's link can race an optimizer against itself: /?runs=adam(lr=0.01);adam(lr=0.1)
    draws two Adam paths, each with its own hyperparameters (lr 0.01 and 0.1)."""
    _open(page, server, "/?runs=adam(lr=0.01);adam(lr=0.1)")
    chart = Map(page)
    chart.wait_drawn()
    runs = chart.runs()
    assert len(runs) == 2, [run["name"] for run in runs]
    assert any("lr=0.01" in run["name"] for run in runs)
    assert any("lr=0.1" in run["name"] for run in runs)
    editors = page.locator(f'{SIDEBAR} [data-testid="stExpander"]', has_text="hyperparameters")
    assert editors.count() == 2
    for i in range(2):  # a card draws its inputs once opened
        editors.nth(i).locator("summary").click()
        editors.nth(i).locator('input[aria-label="lr"]').wait_for()
    rates = sorted(float(editors.nth(i).locator('input[aria-label="lr"]')
                         .get_attribute("aria-valuetext")) for i in range(2))
    assert rates == [0.01, 0.1]
    assert page.locator(WARNING).count() == 0
    _no_exception(page)
    _shot(page, "explore-one-optimizer-twice")


def test_a_compare_link_pasted_into_explore_warns_and_draws_its_runs(page, server):
    """A Compare link pasted into Explore opens Explore: the fields Explore does not have
    (shared_lr, lr, tolerance, a run's batch_size) are named in a warning, and the runs are
    drawn."""
    query = ("surface=linear_regression&runs=sgd(lr=0.05);sgd(lr=0.05,batch_size=8)"
             "&steps=300&shared_lr=0&lr=0.05&tolerance=1e-06")
    _open(page, server, f"/?{query}")
    chart = Map(page)
    chart.wait_drawn()
    assert _title(page) == "Explore"
    text = _warnings(page)
    for field in ("shared_lr", "tolerance", "batch_size"):
        assert field in text, f"{field!r} is not named in the warning:\n{text}"
    assert len(chart.runs()) == 2
    _no_exception(page)


_GARBLED = urllib.parse.urlencode({
    "runs": "".join(chr(c) for c in range(32, 127)) * 40 + "∇ü😀%%(;;",
    "steps": "(((", "surface": "rosenbrock(a=1,,b)",
})

TAMPERED = [  # page, query, what the warning names
    ("/", "runs=nope(lr=0.1)", ["runs[1]", "nope"]),
    ("/", "runs=adam(lr=-1)", ["runs[1].lr", "-1"]),
    ("/", "runs=adam(lr=abc)", ["runs[1].lr", "abc"]),
    ("/", "steps=999999999", ["steps", "999999999"]),
    ("/", "surface=nope", ["surface", "nope"]),
    ("/", _GARBLED, ["runs[1]", "surface", "steps"]),
    ("/", "surface=custom&formula=__import__('os')", ["formula", "os"]),
    ("/compare", "runs=adam(lr=0.3);sgd(lr=-4)&steps=120&bogus=1", ["runs[2].lr", "bogus"]),
    ("/schedules", "schedules=nope;cosine(T_max=-5)&focus=zzz", ["schedules[1]", "focus"]),
    ("/sensitivity", "x=nope&resolution=9999", ["x", "resolution"]),
    ("/learn", "optimizer=nope&lr_good=abc", ["optimizer", "lr_good"]),
]


@pytest.mark.parametrize(
    "path, query, named", TAMPERED,
    ids=["unknown-optimizer", "negative-lr", "lr-not-a-number", "huge-steps", "unknown-surface",
         "huge-garbled-query", "formula-import", "compare-bad-run", "schedules-bad",
         "sensitivity-bad", "learn-bad"])
def test_a_tampered_link_shows_a_clear_warning_and_the_page_still_works(page, server, path,
                                                                         query, named):
    """A link with bad values opens the page anyway: a warning names each ignored field, the
    defaults stand in, the page draws, and no exception shows."""
    _open(page, server, f"{path}?{query}")
    page.locator(WARNING).first.wait_for()
    text = _warnings(page)
    for word in named:
        assert word in text, f"the warning does not name {word!r}:\n{text}"
    if PAGES[path.strip("/") or "explore"][2]:
        Map(page).wait_drawn()
        assert Map(page).runs(), "the map draws no run"
    else:
        page.locator('[data-testid="stPlotlyChart"] .main-svg').first.wait_for()
    _no_exception(page)


def test_explore_plays_a_typed_formula_from_a_link(page, server):
    """A link with a typed surface (surface=custom&formula=…&window=…) shows the formula and
    its two partial derivatives, and its map plays."""
    query = urllib.parse.urlencode({"surface": "custom", "formula": "sin(x)*cos(y) + 0.1*x^2",
                                    "window": "-3,3,-3,3", "runs": "sgd(lr=0.1);adam(lr=0.05)"})
    _open(page, server, f"/?{query}")
    chart = Map(page)
    chart.wait_drawn()
    final = chart.runs()
    assert len(final) == 2
    chart.play()
    assert chart.runs() != final
    assert page.locator(".katex").count() >= 3  # the formula and its two partial derivatives
    assert page.locator(WARNING).count() == 0
    _no_exception(page)
    _shot(page, "explore-formula")


def test_explore_plays_a_data_surface_with_mini_batches_from_a_link(page, server):
    """A data-surface link with mini-batches and three seeds draws, beside the map, the data and
    each run's fit, a band of seeds around each path, and it all plays."""
    query = urllib.parse.urlencode({
        "surface": "linear_regression(size=120,noise=0.8)", "runs": "sgd(lr=0.05);adam(lr=0.1)",
        "gradient": "minibatch(batch_size=4)", "seed": "1", "seeds": "3", "steps": "150"})
    _open(page, server, f"/?{query}")
    chart = Map(page)
    chart.wait_drawn()
    assert len(chart.runs()) == 2
    assert len(chart.paths()) >= 2 * 3  # each run: its path and two more seeds
    assert chart.eval(f"() => {_PLOT}.data.some(t => t.xaxis === 'x2' && t.name === 'data')")
    before = chart.state()["lengths"]
    chart.play()
    assert chart.state()["lengths"] != before
    assert page.locator(WARNING).count() == 0
    _no_exception(page)
    _shot(page, "explore-data")


def test_explore_counts_a_schedule_in_epochs_of_mini_batches_from_a_link(page, server):
    """A schedule counted in epochs (interval=epoch) on a data surface: the sidebar says so and
    how many steps an epoch is, and the charts name the schedule "per epoch"."""
    query = urllib.parse.urlencode({
        "surface": "linear_regression(size=120,noise=0.8)", "runs": "sgd(lr=0.1);adam(lr=0.1)",
        "gradient": "minibatch(batch_size=8)", "seed": "1", "steps": "150",
        "schedule": "step(step_size=3,gamma=0.5,interval=epoch)"})
    _open(page, server, f"/?{query}")
    Map(page).wait_drawn()
    sidebar = page.locator(SIDEBAR)
    epochs = sidebar.locator('[data-testid="stRadio"]', has_text="count the schedule in")
    assert epochs.get_by_role("radio", name="epochs").is_checked()
    assert sidebar.get_by_text("1 epoch = 15 steps").count() == 1
    titles = Map(page).inside.locator("#curves .annotation-text").all_text_contents()
    assert "Loss (faint: each batch's own)" in titles
    assert "Learning rate: step decay, per epoch" in titles
    assert page.locator(WARNING).count() == 0
    _no_exception(page)
    _shot(page, "explore-epochs")


def test_compare_races_batch_sizes_on_a_data_surface_from_a_link(page, server):
    """Compare on a data surface: each run keeps the batch size its link gives (full batch, 8,
    1), the race plays, and the leaderboard ranks them."""
    query = urllib.parse.urlencode({
        "surface": "linear_regression(size=120,noise=0.8)", "steps": "150", "seed": "3",
        "runs": "sgd(lr=0.05);sgd(lr=0.05,batch_size=8);sgd(lr=0.05,batch_size=1)"})
    page.set_viewport_size({"width": 1600, "height": 2700})  # the leaderboard in the shot too
    _open(page, server, f"/compare?{query}")
    chart = Map(page)
    chart.wait_drawn()
    final = chart.runs()
    assert len(final) == 3
    chart.play()
    assert chart.runs() != final
    page.locator(f'[data-testid="stMain"] table.{tables.CLASS}').first.wait_for()
    page.locator('[data-testid="stExpander"] summary', has_text="batch size").first.click()
    inputs = page.locator('[data-testid="stNumberInput"]', has_text="batch size")
    inputs.nth(2).wait_for()
    assert [inputs.nth(i).locator("input").input_value() for i in range(3)] == ["120", "8", "1"]
    assert page.locator(WARNING).count() == 0
    _no_exception(page)
    _shot(page, "compare-data")


def test_a_refused_formula_is_quoted_as_typed_not_as_markdown(page, server):
    """A formula outside the grammar (__import__('os')) is refused, and the refusal quotes what
    was typed as typed (__import__, underscores and all, never a bold "import"): in a link's
    warning and under the formula box, while the last good surface stays drawn."""
    _open(page, server, "/?surface=custom&formula=__import__('os')")
    page.locator(WARNING).first.wait_for()
    warning = page.locator(WARNING).first
    assert "__import__" in warning.inner_text(), warning.inner_text()
    assert warning.locator("strong", has_text=re.compile("^import")).count() == 0
    Map(page).wait_drawn()

    _open(page, server, "/?surface=custom&formula=x^2%2By^2&window=-3,3,-3,3")
    chart = Map(page)
    chart.wait_drawn()
    box = page.locator(f'{SIDEBAR} input[aria-label="f(x, y) ="]').first
    box.fill("__import__('os')")
    box.press("Enter")
    error = page.locator(f'{SIDEBAR} [data-testid="stAlertContentError"]').first
    error.wait_for()
    _settle(page)
    assert "__import__" in error.inner_text(), error.inner_text()
    assert error.locator("strong", has_text=re.compile("^import")).count() == 0
    assert chart.wait_drawn() and chart.runs(), "the last good surface is not drawn"
    _no_exception(page)


# --- Compare's leaderboard ---------------------------------------------------------------------


def test_compare_ranks_the_leaderboard_by_the_chosen_order(page, server):
    """Compare ranks its leaderboard by steps to tolerance (the default), final loss or
    distance to a minimum: choosing "final loss" puts the lowest final loss first, the link
    keeps the choice (rank=), and opening that link shows the same order."""
    _open(page, server, "/compare")
    Map(page).wait_drawn()
    first = _table(page, 0)
    steps = [row["steps to tolerance"] for row in first]
    reached = [int(s) for s in steps if s.isdigit()]
    assert reached == sorted(reached) and steps[:len(reached)] == [str(n) for n in reached]

    _choose(page, "rank the leaderboard by", "final loss")
    _wait(page, "() => new URLSearchParams(location.search).get('rank') === 'final loss'",
          what="rank=final loss in the link")
    _settle(page)
    rows = _wait_for_table(page, lambda rows: [r["run"] for r in rows] != [
        r["run"] for r in first], what="the leaderboard to reorder")
    losses = [float(row["final loss"]) for row in rows]
    assert losses == sorted(losses), f"not lowest final loss first: {losses}"

    link = page.url
    page.goto(link)
    _settle(page)
    Map(page).wait_drawn()
    assert page.locator('input[aria-label="rank the leaderboard by"]').input_value() == (
        "final loss")
    assert [row["run"] for row in _table(page, 0)] == [row["run"] for row in rows]
    _no_exception(page)


def _choose(tab, label: str, option: str) -> None:
    """Pick ``option`` in the selectbox labelled ``label``."""
    tab.locator(f'[data-testid="stSelectbox"] input[aria-label="{label}"]').first.click()
    tab.get_by_role("option", name=option, exact=True).click()


def _wait_for_table(tab, condition, *, what: str, index: int = 0) -> list[dict[str, str]]:
    deadline = time.time() + RERUN_MS / 1000
    while True:
        _no_exception(tab)
        rows = _table(tab, index)
        if condition(rows):
            return rows
        if time.time() > deadline:
            pytest.fail(f"timed out waiting for {what}: {rows}")
        tab.wait_for_timeout(250)


# --- Sensitivity -------------------------------------------------------------------------------

# The heatmap's cell (i, j) to click: the first that did not diverge, off the first row and
# column (which the cell pickers show before any click); its labels and page pixel.
_A_CELL = """(plot) => {
    const heat = plot.data[0], L = plot._fullLayout, box = plot.getBoundingClientRect();
    for (let j = 1; j < heat.y.length; j++) for (let i = 1; i < heat.x.length; i++) {
        if (heat.z[j][i] === null) continue;
        return {i, j, x: heat.x[i], y: heat.y[j],
                px: box.left + L.xaxis._offset + L.xaxis.c2p(i),
                py: box.top + L.yaxis._offset + L.yaxis.c2p(j)};
    }
    return null;
}"""


def test_clicking_a_heatmap_cell_opens_that_run_in_explore(page, server):
    """Sensitivity: "click a cell to open that run in Explore". Clicking a cell goes to
    Explore with that cell's hyperparameters in the URL, and Explore draws that one run."""
    _open(page, server, "/sensitivity?resolution=6&basin_resolution=10")
    heat = page.locator('[data-testid="stPlotlyChart"] .js-plotly-plot').first
    heat.locator(".heatmaplayer").first.wait_for()
    x_param = _selected(page, "x: hyperparameter")
    y_param = _selected(page, "y: hyperparameter")
    cell = heat.evaluate(_A_CELL)
    assert cell, "every cell of the sweep diverged"
    page.mouse.move(cell["px"], cell["py"])
    page.locator(".hoverlayer", has_text=cell["x"]).first.wait_for()
    page.mouse.click(cell["px"], cell["py"])

    _wait(page, "() => location.pathname === '/' || location.pathname === '/explore'",
          what=f"Explore to open after clicking the cell {x_param}={cell['x']}, "
               f"{y_param}={cell['y']} (still on {urllib.parse.urlparse(page.url).path})")
    _settle(page)
    chart = Map(page)
    chart.wait_drawn()
    assert _title(page) == "Explore"
    query = urllib.parse.parse_qs(urllib.parse.urlparse(page.url).query)
    optimizer, values = _run_of(query["runs"][0])
    assert optimizer == "momentum"
    assert _close(values[x_param], float(cell["x"]), 0.01 * float(cell["x"])), values
    assert _close(values[y_param], float(cell["y"]), 0.01 * float(cell["y"])), values
    runs = chart.runs()
    assert len(runs) == 1 and f"{x_param}=" in runs[0]["name"], [r["name"] for r in runs]
    _no_exception(page)
    _shot(page, "sensitivity-cell-in-explore")


def _selected(tab, label: str) -> str:
    """The option a selectbox shows."""
    return tab.locator(f'input[aria-label="{label}"]').first.input_value()


def _run_of(text: str) -> tuple[str, dict[str, float]]:
    """``name(key=value,...)`` from a link, as the optimizer and its numbers."""
    match = re.fullmatch(r"\s*(\w+)\s*(?:\((.*)\))?\s*", text)
    assert match, text
    values = {}
    for part in filter(None, (match.group(2) or "").split(",")):
        key, _, value = part.partition("=")
        values[key.strip()] = float(value)
    return match.group(1), values


def test_changing_cells_per_side_redraws_the_heatmap(page, server):
    """Sensitivity's "cells per side" slider reruns the sweep and redraws the heatmap (the
    basins map, where each start point ends up, is drawn below it)."""
    _open(page, server, "/sensitivity")
    heat = page.locator('[data-testid="stPlotlyChart"] .js-plotly-plot').first
    heat.locator(".heatmaplayer").first.wait_for()
    _charts(page, 1)  # the basins map
    before = heat.evaluate("plot => plot.data[0].x.length")
    cells = page.locator('[data-testid="stMain"] input[aria-label="cells per side"]').first
    cells.focus()
    cells.press("ArrowLeft")
    _wait(page, """(n) => {
        const plot = document.querySelector('[data-testid="stPlotlyChart"] .js-plotly-plot');
        return plot && plot.data && plot.data[0].x.length === n;
    }""", before - 1, what=f"a heatmap of {before - 1} cells per side")
    _settle(page)
    _no_exception(page)
    _shot(page, "sensitivity")


def test_sensitivity_axis_ranges_can_be_set_from_a_link_and_the_range_slider(page, server):
    """Each Sensitivity axis's range can be set: a link's x_range=0.0001,0.01 opens with the
    heatmap's lr axis spanning exactly that; moving the range's lower handle narrows the
    heatmap and the link follows."""
    _open(page, server, "/sensitivity?resolution=5&basin_resolution=10&x_range=0.0001,0.01")
    heat = page.locator('[data-testid="stPlotlyChart"] .js-plotly-plot').first
    heat.locator(".heatmaplayer").first.wait_for()
    labels = heat.evaluate("plot => plot.data[0].x")
    assert _close(float(labels[0]), 1e-4, 1e-7) and _close(float(labels[-1]), 1e-2, 1e-5), labels

    handles = page.locator('[data-testid="stSlider"]', has_text="x range").first.locator(
        'input[type="range"]')
    assert handles.count() == 2
    handles.first.focus()
    handles.first.press("ArrowRight")
    _wait(page, """() => {
        const span = new URLSearchParams(location.search).get('x_range') || '';
        return Number(span.split(',')[0]) > 0.0001;
    }""", what="a narrower x_range in the link")
    _wait(page, """() => {
        const plot = document.querySelector('[data-testid="stPlotlyChart"] .js-plotly-plot');
        return plot && Number(plot.data[0].x[0]) > 0.0001;
    }""", what="the heatmap to start above 0.0001")
    _settle(page)
    _no_exception(page)


# --- downloads -----------------------------------------------------------------------------------

DOWNLOADS = {
    "explore": "/?steps=200",
    "compare": "/compare?steps=200",
    "schedules": "/schedules?steps=200",
    "lessons": "/lessons?lesson=momentum",
}


@pytest.mark.parametrize("name", list(DOWNLOADS))
def test_both_downloads_work_and_the_html_plays_offline(page, server, browser, tmp_path, name):
    """"Trajectories (CSV)" downloads every run's points from the start (x, y, loss as numbers,
    how each run ended) under "# key: value" lines of the settings; "Animation (HTML, plays
    offline)" opened from disk with the network cut off draws the map with a caption saying what
    it shows, and ▶ Play plays it, with no console errors."""
    _open(page, server, DOWNLOADS[name])
    chart = Map(page)
    chart.wait_drawn()
    csv_file = _download(page, "Trajectories (CSV)", tmp_path)
    html_file = _download(page, "Animation (HTML, plays offline)", tmp_path)
    _no_exception(page)

    rows = _csv_rows(csv_file.read_text())
    assert rows, "the CSV has no rows"
    for column in ("x", "y", "loss"):
        assert column in rows[0], f"the CSV has no {column!r} column: {list(rows[0])}"
    for row in rows:
        for column in ("x", "y", "loss"):
            float(row[column])  # every number parses (inf and nan are numbers too)
    header = [line for line in csv_file.read_text().splitlines() if line.startswith("#")]
    assert any(line.startswith("# surface:") for line in header), header[:5]
    assert all(row.get("outcome") for row in rows), "a row does not say how its run ended"
    if name != "schedules":  # Schedules draws one run under several schedules
        runs = {row["run"] for row in rows} if "run" in rows[0] else set()
        assert len(runs) == len(chart.runs())
        if name == "lessons":  # no start field: where the player's paths start
            first = chart.runs()[0]
            start = (first["x"][0], first["y"][0])
        else:
            start = (_sidebar_number(page, "start x"), _sidebar_number(page, "start y"))
        firsts = {}
        for row in rows:
            firsts.setdefault(row.get("run"), (float(row["x"]), float(row["y"])))
        for first in firsts.values():
            assert _close(first[0], start[0], 1e-5) and _close(first[1], start[1], 1e-5)

    _plays_offline(browser, html_file)


SLIDE_EXPORTS = {
    # page: (link, the files' name, the GIF's frames)
    "explore": ("/?steps=120", "descent-lab-explore", 121),
    "lessons": ("/lessons?lesson=learning_rate", "descent-lab-lesson-learning_rate", None),
}


@pytest.mark.parametrize("name", list(SLIDE_EXPORTS))
def test_the_slide_exports_draw_under_a_progress_bar_and_download_files_that_open(
        page, server, tmp_path, name):
    """Each "Make …" button (GIF, MP4, PNG) shows a progress bar while it draws, then becomes
    the file's download button; the files open: the GIF and the MP4 decode to their frames at
    their sizes, the PNG is the 2× picture. A lesson's scene exports the same way."""
    import av
    from PIL import Image

    from ui.exports import EXPORTS

    link, file_name, gif_frames = SLIDE_EXPORTS[name]
    sent = SentElements(page)
    _open(page, server, link)
    Map(page).wait_drawn()
    _load_streamlits_progress_bar(page)
    page.evaluate("""() => {
        window.sawProgress = false;
        new MutationObserver((_, observer) => {
            if (document.querySelector('[data-testid="stProgress"]')) {
                window.sawProgress = true;
                observer.disconnect();
            }
        }).observe(document.body, {childList: true, subtree: true});
    }""")
    for kind, spec in EXPORTS.items():
        before = len(sent.elements)
        page.get_by_role("button", name=f"Make {spec.label}").click()
        _wait(page, """(label) => [...document.querySelectorAll(
                '[data-testid="stDownloadButton"] button')]
            .some(b => b.innerText.includes(label))""", f"⬇ {spec.label}",
              what=f"the {kind} to be drawn and offered")
        drawn = sent.elements[before:]
        offered = drawn.index(("download_button", f"⬇ {spec.label}"))
        percents = [int(re.fullmatch(rf"Drawing the {spec.extension.upper()}: (\d+) %", text)[1])
                    for what, text in drawn[:offered]
                    if what == "progress" and text.startswith("Drawing")]
        # A bar the server has not yet sent when the file is ready is replaced by it (Streamlit
        # sends only the newest message for one place): a one-frame PNG may show none.
        shown = kind == "png" or min(percents, default=100) < 100
        assert shown and percents == sorted(percents), (
            f"the {kind}'s progress bar before its file: {drawn[:offered]}")
        path = _download(page, f"⬇ {spec.label}", tmp_path)
        assert path.name == f"{file_name}.{kind}"
        if kind == "mp4":
            with av.open(str(path)) as container:
                frames = list(container.decode(video=0))
                assert container.streams.video[0].codec_context.name == "h264"
            assert len(frames) > 100 and (frames[0].width, frames[0].height) == spec.size
        else:
            with Image.open(path) as image:
                assert image.format == kind.upper() and image.size == spec.size
                frames = getattr(image, "n_frames", 1)
                assert frames == (gif_frames or frames) if kind == "gif" else frames == 1
                assert kind != "gif" or frames > 10
    # The server sends every bar (above); whether the tab paints one that lives a few hundred
    # milliseconds is up to its load (Streamlit applies what arrived while it was busy at
    # once). Of the three, one at least lives long enough to be seen.
    assert page.evaluate("() => window.sawProgress"), "the tab showed no progress bar"
    _no_exception(page)
    _shot(page, f"{name}-slide-exports")


class SentElements:
    """The progress bars and download buttons the server sent a tab over its websocket, in
    order, as (kind, text): ("progress", its text) or ("download_button", its label)."""

    def __init__(self, tab):
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        self.elements: list[tuple[str, str]] = []

        def received(payload) -> None:
            if isinstance(payload, str):
                return
            message = ForwardMsg.FromString(payload)
            if message.WhichOneof("type") != "delta" or not message.delta.HasField("new_element"):
                return
            element = message.delta.new_element
            kind = element.WhichOneof("type")
            if kind == "progress":
                self.elements.append((kind, element.progress.text))
            elif kind == "download_button":
                self.elements.append((kind, element.download_button.label))

        tab.on("websocket", lambda socket: socket.on("framereceived", received))


def _load_streamlits_progress_bar(tab) -> None:
    """Load the code of Streamlit's progress bar into the tab, as a visitor's tab holds it once
    it has shown one bar. Streamlit fetches that code only when a page first shows a bar; while
    a file draws, the server answers that fetch late (seen: 1.1 s under load for a GIF drawn in
    1.2 s), and a file drawn before it arrives replaces a bar the tab never showed."""
    import streamlit

    scripts = Path(streamlit.__file__).parent / "static" / "static" / "js"
    modules = sorted(f"/static/js/{p.name}" for p in scripts.glob("Progress*.js"))
    assert modules, f"no progress bar module in {scripts}"
    tab.evaluate("(modules) => Promise.all(modules.map((m) => import(location.origin + m)))",
                 modules)


def _download(tab, label: str, folder: Path) -> Path:
    button = tab.locator('[data-testid="stDownloadButton"] button', has_text=label).first
    with tab.expect_download(timeout=RERUN_MS) as started:
        button.click()
    download = started.value
    assert download.failure() is None, download.failure()
    target = folder / download.suggested_filename
    download.save_as(target)
    return target


def _csv_rows(text: str) -> list[dict[str, str]]:
    """The CSV's rows, its ``#`` comment lines (settings, outcomes) left out."""
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines))))


def _plays_offline(browser, html_file: Path) -> None:
    """The exported page, opened from disk with the network cut off: the player draws, ▶ Play
    moves the paths, a run's lr slider bends its path, and nothing reaches for the network."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    reached, problems = [], []

    def only_files(route):
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            reached.append(route.request.url)
            route.abort()

    context.route("**/*", only_files)
    try:
        tab = context.new_page()
        tab.on("console", lambda m: m.type == "error" and problems.append(m.text))
        tab.on("pageerror", lambda error: problems.append(str(error)))
        tab.goto(html_file.as_uri())
        tab.wait_for_function(f"() => {_PLOT} && {_PLOT}.dataset.ready", timeout=RERUN_MS)
        state = f"({_STATE})()"
        before = tab.evaluate(f"() => {state}.lengths")
        assert before and all(before), "the offline page draws no run"
        tab.get_by_role("button", name="Play").click()
        tab.wait_for_function(f"() => {state}.playing && {state}.step > 0", timeout=RERUN_MS)
        assert tab.evaluate(f"() => {state}.lengths") != before, "Play did not move the paths"
        tab.get_by_role("button", name="Pause").click()
        shown = tab.evaluate(f"() => {state}.runs[0]")
        slider = tab.locator(".dl-runs tr[data-run='0'] input[data-name='lr']")
        slider.scroll_into_view_if_needed()
        box = slider.bounding_box()
        y = box["y"] + box["height"] / 2
        tab.mouse.move(box["x"] + box["width"] / 2, y)
        tab.mouse.down()
        tab.mouse.move(box["x"] + 0.2 * box["width"], y, steps=6)
        tab.mouse.up()
        bent = tab.evaluate(f"() => {state}.runs[0]")
        assert bent["values"]["lr"] < shown["values"]["lr"] and not bent["committed"]
        assert (bent["x"], bent["y"]) != (shown["x"], shown["y"]), "the slider moved nothing"
        assert tab.title().startswith("Descent Lab"), tab.title()
        assert "steps" in tab.locator("figcaption").first.inner_text()
        assert not reached, f"the offline page reached for the network: {reached[:3]}"
        assert not problems, f"console errors offline: {problems[:3]}"
    finally:
        context.close()


# --- the Lessons page -----------------------------------------------------------------------------


def _button(tab, label: str):
    return tab.locator('[data-testid="stButton"] button', has_text=label).first


def _query(tab) -> dict[str, str]:
    return dict(urllib.parse.parse_qsl(urllib.parse.urlparse(tab.url).query))


# The coloured (not grey) pixels the player's step curves hold: the runs' curves and markers.
_CURVES_INK = """() => {
    const canvas = document.querySelector('.dl-curves-canvas');
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let ink = 0;
    for (let i = 0; i < data.length; i += 4) {
        const [r, g, b, alpha] = [data[i], data[i + 1], data[i + 2], data[i + 3]];
        if (alpha > 128 && Math.max(r, g, b) - Math.min(r, g, b) > 60) ink += 1;
    }
    return ink;
}"""


def test_a_lesson_goes_next_and_back_reveals_its_answer_and_loads_its_variations(page, server):
    """Lessons: "answer the question, press Play to see whether you were right, then try the
    variations; every scene opens in Explore". Next and Previous move through the lessons (and
    the URL names the lesson); an answer picked, then revealed, is marked and explained with
    what the runs measured; Play moves the paths; a variation loads its own scene; "Open in
    Explore" opens that scene with Explore's controls. A lesson's map, and each variation's,
    opens at step 0 (the starting points), its step curves growing with the step, so the
    outcome shows only after Play."""
    _open(page, server, "/lessons?lesson=learning_rate")
    chart = Map(page)
    first = chart.wait_drawn()
    assert page.locator("h2", has_text="Lesson 1 of").count() == 1
    at_start = "(state) => state.step === 0 && state.lengths.every((n) => n === 1)"
    chart.wait_state(at_start)
    ink_at_start = chart.eval(_CURVES_INK)
    chart.eval("() => window.descentLab.land(window.descentLab.steps)")  # seen to the end
    chart.wait_state("(state) => state.step === state.steps")
    ink_at_end = chart.eval(_CURVES_INK)
    assert ink_at_start * 5 < ink_at_end, (
        f"the step curves show the runs' outcome at step 0: {ink_at_start} coloured pixels "
        f"at step 0, {ink_at_end} at the end")
    _button(page, "Next →").click()
    _wait(page, "() => new URLSearchParams(location.search).get('lesson') === 'gradient'",
          what="lesson=gradient in the URL")
    page.locator("h2", has_text="Lesson 2 of").wait_for()
    chart.wait_drawn(other_than=first)
    chart.wait_state(at_start)
    _button(page, "← Previous").click()
    page.locator("h2", has_text="Lesson 1 of").wait_for()
    _settle(page)
    assert _query(page) == {"lesson": "learning_rate"}

    answers = page.locator('[data-testid="stRadioGroup"]')
    answers.get_by_text("lr = 0.105, the boldest").click()
    _button(page, "Reveal the answer").click()
    page.get_by_text("Not quite").wait_for()
    measured = page.get_by_text("What the runs measured").inner_text()
    assert "about right (lr=0.09): step 93" in measured and "diverged at step 47" in measured
    answers.get_by_text("lr = 0.09, close to the limit").click()
    page.get_by_text("Your answer is right.").wait_for()

    shown = chart.wait_drawn()
    final = chart.runs()
    assert len(final) == 3
    chart.play()
    chart.wait_state("(state) => state.step > 0")
    assert chart.runs() != final, "▶ Play did not move the paths"

    _button(page, "Load this scene").click()
    _wait(page, "() => new URLSearchParams(location.search).get('try') === '1'",
          what="try=1 in the URL")
    chart.wait_drawn(other_than=shown)
    chart.wait_state(at_start)
    page.get_by_text("Try this: Just below the limit").wait_for()
    _settle(page)
    _no_exception(page)
    _shot(page, "lessons-variation")

    _button(page, "Open in Explore").click()
    _wait(page, "() => location.pathname === '/' || location.pathname.endsWith('explore')",
          what="Explore")
    _settle(page)
    assert _title(page) == "Explore"
    explore = Map(page)
    explore.wait_drawn()
    assert _query(page)["runs"] == "sgd(lr=0.01);sgd(lr=0.09);sgd(lr=0.099)"
    assert len(explore.runs()) == 3
    assert page.locator(WARNING).count() == 0
    _no_exception(page)


def test_a_link_to_a_lesson_that_does_not_exist_says_so(page, server):
    _open(page, server, "/lessons?lesson=no_such_lesson")
    assert "there is no lesson 'no_such_lesson'" in _warnings(page)
    Map(page).wait_drawn()
    assert page.locator("h2", has_text="Lesson 1 of").count() == 1
    _no_exception(page)


# --- Explore's step by step ---------------------------------------------------------------------

_STEP_FIELD = 'input[aria-label^="step k: from point k"]'

def _step_equation(tab, k: int, expected: str) -> None:
    """The field reads step k and the section shows ``expected``, the LaTeX of that step's new
    point with the numbers the core recorded."""
    _wait(tab, """([selector, k, expected]) => {
        const field = document.querySelector(selector);
        const shown = Array.from(document.querySelectorAll('.katex annotation'),
                                 a => a.textContent.trim());
        return field && field.value === String(k) && shown.includes(expected);
    }""", [_STEP_FIELD, k, expected],
          what=f"step {k}'s equation with the core's numbers")


def test_step_by_step_steps_with_the_buttons_the_field_and_the_keys(page, server):
    """Explore's "Step by step" promises ◀ ▶, the ← → keys and a typed step: each lands on
    exactly that step, and its equation shows that step's numbers, as the core recorded them."""
    import figures
    import landscapes
    import optimizers

    surface = landscapes.get("rosenbrock")
    path = optimizers.simulate(surface, "momentum", surface.start, 50, lr=0.001,
                               record_state=True)

    def new_point(k: int) -> str:
        return figures.step_numbers(path, k).lines[-1]

    _open(page, server, "/?runs=momentum(lr=0.001);adam(lr=0.05)&steps=50")
    heading = page.get_by_role("heading", name="Step by step")
    heading.scroll_into_view_if_needed()
    _step_equation(page, 49, new_point(49))  # where the player opens: its end
    page.get_by_role("button", name=re.compile("^first")).click()
    _step_equation(page, 0, new_point(0))
    page.get_by_role("button", name="▶").click()
    _step_equation(page, 1, new_point(1))
    page.get_by_role("button", name="▶").click()
    _step_equation(page, 2, new_point(2))
    field = page.locator(_STEP_FIELD)
    field.fill("37")
    field.press("Enter")
    _step_equation(page, 37, new_point(37))
    page.get_by_role("button", name="◀").click()
    _step_equation(page, 36, new_point(36))
    assert new_point(36) != new_point(37)
    heading.click()  # the keys act when no field has the focus
    page.keyboard.press("ArrowRight")
    _step_equation(page, 37, new_point(37))
    page.keyboard.press("ArrowLeft")
    _step_equation(page, 36, new_point(36))
    page.keyboard.press("ArrowLeft")
    _step_equation(page, 35, new_point(35))
    page.keyboard.press("End")
    _step_equation(page, 49, new_point(49))
    assert page.get_by_text("Finite differences at the point").count() == 1
    _charts(page, 4)  # the local map, the loss, momentum's buffer, the slice
    _no_exception(page)
    _shot(page, "explore-step-by-step")


_TRACES_3D = """() => document.getElementById('plot').data.map(
    t => ({type: t.type, name: t.name || '', x: t.x ? Array.from(t.x) : [],
           y: t.y ? Array.from(t.y) : []}))"""


def test_a_static_map_has_a_fullscreen_button_that_fills_the_screen(page, server):
    """Sensitivity's basins map (a static chart, not the player): the fullscreen button in its
    mode bar shows the map alone, as large as the screen; pressed again, the map is back at
    its own size on the page."""
    _open(page, server, "/sensitivity?resolution=6&basin_resolution=10")
    _charts(page)
    frame = page.locator(".st-key-chart-basins iframe").element_handle().content_frame()
    size = "() => { const r = document.getElementById('plot').getBoundingClientRect();" \
           " return [r.width, r.height, innerWidth, innerHeight]; }"
    width, height, _, _ = frame.evaluate(size)
    page.locator(".st-key-chart-basins iframe").hover()
    frame.locator('.modebar-btn[data-title="Fullscreen"]').click()
    frame.wait_for_function("""() => document.fullscreenElement === document.getElementById('plot')
        && document.querySelector('#plot .main-svg').getBoundingClientRect().height
           >= innerHeight - 2""")
    full = frame.evaluate(size)
    assert full[1] > height and full[0] >= full[2] - 2, (full, width, height)
    frame.locator('.modebar-btn[data-title="Fullscreen"]').click()
    frame.wait_for_function("""(height) => !document.fullscreenElement && Math.abs(
        document.querySelector('#plot .main-svg').getBoundingClientRect().height - height) < 2""",
                            arg=height)
    _no_exception(page)


def test_the_3d_view_opens_on_demand_with_every_path_on_the_sheet(page, server):
    """Explore's "3-D surface with the same paths" is closed at first (nothing of it drawn);
    opened, it draws the sheet and every run's path on it, from the start to where the map's
    path ends."""
    _open(page, server, "/?surface=himmelblau&runs=adam(lr=0.1);momentum(lr=0.002)&steps=300")
    chart = Map(page)
    chart.wait_drawn()
    runs = chart.runs()
    view = '[class*="surface3d"] iframe[src*="descent_lab_player"]'  # its key: ...surface3d
    assert page.locator(view).count() == 0, "the closed 3-D view drew a chart"
    page.get_by_text("3-D surface with the same paths").click()
    _wait(page, """(view) => {
        const frame = document.querySelector(view);
        const plot = frame && frame.contentDocument && frame.contentDocument.getElementById('plot');
        return plot && plot.dataset.ready && plot.querySelector('.main-svg');
    }""", view, what="the 3-D view to draw")
    traces = page.locator(view).element_handle().content_frame().evaluate(_TRACES_3D)
    assert traces[0]["type"] == "surface", traces[0]["type"]
    paths = [t for t in traces if t["type"] == "scatter3d"]
    assert len(paths) == len(runs), [t["name"] for t in paths]
    for run, path in zip(runs, paths, strict=True):
        assert path["name"].startswith(run["name"]), (path["name"], run["name"])
        xs, ys = [x for x in path["x"] if x is not None], [y for y in path["y"] if y is not None]
        assert _close(xs[0], run["x"][0], 1e-3) and _close(ys[0], run["y"][0], 1e-3)
        assert _close(xs[-1], run["x"][-1], 1e-3) and _close(ys[-1], run["y"][-1], 1e-3)
    _no_exception(page)
    _shot(page, "explore-3d-view")


class ScriptRuns:
    """The script runs the server finished for a tab, read from its websocket (Streamlit's
    ForwardMsg ``script_finished``): whole-page runs and fragment-only runs."""

    def __init__(self, tab):
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        self.page = 0
        self.fragment = 0
        status = ForwardMsg.ScriptFinishedStatus

        def received(payload) -> None:
            if isinstance(payload, str):
                return
            message = ForwardMsg.FromString(payload)
            if message.WhichOneof("type") != "script_finished":
                return
            if message.script_finished == status.FINISHED_SUCCESSFULLY:
                self.page += 1
            elif message.script_finished == status.FINISHED_FRAGMENT_RUN_SUCCESSFULLY:
                self.fragment += 1

        tab.on("websocket", lambda socket: socket.on("framereceived", received))

    def counts(self) -> tuple[int, int]:
        return self.page, self.fragment


def test_the_step_section_follows_the_players_step_and_moves_it(page, server):
    """Explore's "Step by step" follows the player: pausing it, its ◀ 1 and 1 ▶, its keys and
    its step field put the section on exactly that step (with that step's numbers), and the
    section's own ▶, ◀ and field move the player's cursor there. Each move reruns only the
    section (and the player's fragment), never the page."""
    import figures
    import landscapes
    import optimizers

    surface = landscapes.get("rosenbrock")
    path = optimizers.simulate(surface, "momentum", surface.start, 50, lr=0.001,
                               record_state=True)

    def new_point(k: int) -> str:
        return figures.step_numbers(path, k).lines[-1]

    runs = ScriptRuns(page)
    _open(page, server, "/?runs=momentum(lr=0.001);adam(lr=0.05)&steps=50")
    chart = Map(page)
    chart.wait_drawn()
    _step_equation(page, 49, new_point(49))
    opened = runs.counts()

    def moved(step: int) -> None:
        """The section shows ``step`` and the player is there, after fragment runs only."""
        _step_equation(page, step, new_point(step))
        chart.wait_state("(state, k) => state.step === k && !state.playing", step)
        _settle(page)
        assert runs.page == opened[0], f"the page reran: {runs.counts()} after {opened}"

    chart.play()
    paused = chart.pause()["step"]
    moved(min(paused, 49))
    _type_a_step_then_step_by_one(chart, 20, moved)
    page.keyboard.press("ArrowRight")
    moved(20)
    page.keyboard.press("Home")
    moved(0)
    reports = chart.eval("() => window.descentLab.state().stepReports")
    assert runs.fragment > opened[1]

    heading = page.get_by_role("heading", name="Step by step")  # the section moves the player
    heading.scroll_into_view_if_needed()
    page.get_by_role("button", name="▶").click()
    moved(1)
    section_field = page.locator(_STEP_FIELD)
    section_field.fill("37")
    section_field.press("Enter")
    moved(37)
    page.get_by_role("button", name="◀").click()
    moved(36)
    assert chart.eval("() => window.descentLab.state().stepReports") == reports, (
        "a step the page asked for came back as a report")
    _no_exception(page)
    _shot(page, "explore-step-follows-player")


# The pixel of the map canvas halfway along run 0's step arrow, as drawn now.
_STEP_ARROW_MIDDLE = """() => {
    const player = window.descentLab, arrows = player.arrowState();
    const run = arrows.runs[0], k = arrows.scale;
    const a = player.axes(document.getElementById('plot'), '');
    return [a.x(run.at[0] + 0.5 * k * run.step[0]), a.y(run.at[1] + 0.5 * k * run.step[1])];
}"""
# The colour of the map canvas at a pixel.
_CANVAS_COLOUR = """([x, y]) => {
    const ratio = window.devicePixelRatio || 1;
    const canvas = document.querySelector('.dl-map-canvas');
    return Array.from(canvas.getContext('2d').getImageData(
        Math.round(x * ratio), Math.round(y * ratio), 1, 1).data);
}"""


def test_the_map_draws_the_arrows_at_the_current_point_to_scale(page, server):
    """Explore's map draws, at each run's current point, the step plain gradient descent
    would take (-lr ∇f), the step taken and, for momentum, what momentum adds: the vectors
    are the core's at that step (within float32 rounding), all at one scale the key under
    the map states; the Arrows button hides and shows them."""
    import numpy as np

    import figures
    import landscapes
    import optimizers

    surface = landscapes.get("rosenbrock")
    momentum = optimizers.simulate(surface, "momentum", surface.start, 50, lr=0.001,
                                   record_state=True)
    adam = optimizers.simulate(surface, "adam", surface.start, 50, lr=0.05)
    _open(page, server, "/?runs=momentum(lr=0.001);adam(lr=0.05)&steps=50")
    chart = Map(page)
    chart.wait_drawn()
    field = chart.inside.locator(".dl-step")
    field.fill("20")
    field.press("Enter")
    chart.wait_state("(state) => state.step === 20")
    arrows = chart.eval("() => window.descentLab.state().arrows")
    assert arrows["shown"] and arrows["drawn"] == 2 and arrows["scale"] >= 1
    for run, path in zip(arrows["runs"], (momentum, adam), strict=True):
        assert run["point"] == 20
        np.testing.assert_allclose(run["at"], path.xy[20], rtol=1e-6)
        np.testing.assert_allclose(run["descent"], -path.lr[20] * path.grad[20], rtol=1e-6)
        np.testing.assert_allclose(run["step"], path.xy[21] - path.xy[20], rtol=1e-6)
    shown = figures.step_numbers(momentum, 20)
    np.testing.assert_allclose(arrows["runs"][0]["velocity"], shown.delta - shown.plain,
                               rtol=1e-5)
    assert arrows["runs"][1].get("velocity") is None  # Adam has no momentum hyperparameter
    key = chart.inside.locator(".dl-arrow-key")
    assert "what momentum adds" in key.inner_text()
    scale = arrows["scale"]
    assert (f"{scale:g}× their length" in key.inner_text() if scale > 1
            else "to the map's scale" in key.inner_text())
    colours = [tuple(int(c[i:i + 2], 16) for i in (1, 3, 5))
               for c in (figures.OKABE_ITO[0], figures.OKABE_ITO[1], figures.OKABE_ITO[2])]
    middle = chart.eval(_STEP_ARROW_MIDDLE)
    drawn = chart.eval(_CANVAS_COLOUR, middle)
    assert drawn[3] == 255 and any(max(abs(a - b) for a, b in zip(drawn[:3], c, strict=True))
                                   < 30 for c in colours), f"no arrow drawn there: {drawn}"

    chart.button("Arrows").click()
    hidden = chart.eval("() => window.descentLab.state().arrows")
    assert not hidden["shown"] and hidden["drawn"] == 0 and not key.is_visible()
    assert chart.eval(_CANVAS_COLOUR, middle) != drawn
    chart.button("Arrows").click()
    assert chart.eval("() => window.descentLab.state().arrows")["drawn"] == 2
    _no_exception(page)
    _shot(page, "explore-arrows")


# --- the first start on an empty cache ----------------------------------------------------------

PREPARING = "Preparing the optimizers (first start only)"


def test_a_fresh_server_shows_the_page_title_and_its_progress_then_the_page(browser, tmp_path):
    """A server started on an empty Numba cache (a fresh machine) answers its first visitor at
    once with the page's title, "Preparing the optimizers (first start only)…" and a progress
    bar while the kernels compile, never a blank page; then, without a reload, the page
    itself with its map and every run's path, the message gone, the kernels cached."""
    with _serving("streamlit-cold-start.log", env={"NUMBA_CACHE_DIR": str(tmp_path)}) as url:
        context = browser.new_context(viewport={"width": 1600, "height": 1800})
        try:
            tab = context.new_page()
            tab.goto(url)
            _wait(tab, """(words) => {
                const h1 = document.querySelector('h1');
                return h1 && h1.innerText.trim() === 'Explore'
                    && document.body.innerText.includes(words)
                    && document.querySelector('[data-testid="stProgress"]');
            }""", PREPARING, what="the title and the preparing message", timeout=RERUN_MS)
            _shot(tab, "cold-start-preparing")
            _settle(tab, FIRST_PAGE_MS)
            Map(tab).wait_drawn(timeout=FIRST_PAGE_MS)
            assert PREPARING not in tab.locator("body").inner_text()
            assert not tab.locator('[data-testid="stProgress"]').count()
            assert _title(tab) == "Explore"
            assert any(path["x"] for path in Map(tab).paths())
            _no_exception(tab)
            assert any(tmp_path.rglob("*.nbi")), "the kernels were not cached in the empty cache"
            _shot(tab, "cold-start-ready")
        finally:
            context.close()


def test_the_map_draws_the_averaged_points_and_every_point_lbfgs_evaluated(page, server):
    """What the Learn page says the map shows: ASGD's average and schedule-free AdamW's x
    beside their paths, and every point where L-BFGS evaluated f; Play animates the paths and
    leaves these drawn."""
    runs = "asgd(lr=0.02,t0=5);adamw_schedule_free(lr=0.5);lbfgs(lr=1,line_search_fn=1)"
    query = urllib.parse.urlencode({"surface": "quadratic", "runs": runs, "steps": "60"})
    _open(page, server, f"/?{query}")
    chart = Map(page)
    chart.wait_drawn()
    lines = {line["name"]: line for line in chart.paths()}
    averaged = [name for name in lines if name.endswith(("the average ax",
                                                         "x, the average you evaluate"))]
    dots = [name for name in lines if name.endswith("f evaluated here")]
    assert len(averaged) == 2 and len(dots) == 1
    assert all(len(lines[name]["x"]) == 61 for name in averaged)
    assert len(lines[dots[0]]["x"]) > 60  # several evaluations a step
    chart.play()
    chart.wait_state("(state, n) => state.step >= n", 10)
    after = {line["name"]: line for line in chart.paths()}
    assert all(after[name] == lines[name] for name in averaged + dots)
    _no_exception(page)
    _shot(page, "explore-averaged-and-evaluated")

# --- teacher links and presentation mode ----------------------------------------------------------


def _visible_controls(tab) -> list[str]:
    """The visible inputs, buttons, selects and text areas of the page (outside the frames)."""
    return tab.evaluate("""() => Array.from(document.querySelectorAll(
            'input, button, select, textarea, [role="combobox"], [role="slider"]'))
        .filter(e => {
            const box = e.getBoundingClientRect();
            const style = getComputedStyle(e);
            return box.width > 0 && box.height > 0 && style.visibility !== 'hidden'
                && box.bottom > 0 && box.right > 0
                && box.top < innerHeight && box.left < innerWidth;
        })
        .map(e => (e.innerText || e.getAttribute('aria-label') || e.tagName).trim())""")


def test_a_teacher_link_hides_and_locks_controls_and_shows_its_title_and_note(
        page, server, browser):
    """Every page: "Share with students" makes a link with controls hidden or locked, a title
    and a note. A student opening it sees the title and the note on top, no hidden control,
    the locked ones dimmed and out of reach (a click does not open them, the keyboard cannot
    focus them), the same runs on the map (with no run slider: the runs are locked), and no
    share panel; a tampered link names what it ignored."""
    _open(page, server, "/?surface=himmelblau&runs=adam(lr=0.1);momentum(lr=0.002)&steps=300")
    Map(page).wait_drawn()
    shown = Map(page).paths()
    page.locator(SIDEBAR).get_by_text("Share with students").click()
    panel = page.locator('[data-testid="stExpander"]', has_text="Share with students")
    panel.get_by_label("title shown on top").fill("Adam against momentum")
    panel.get_by_label("note shown under it").fill("Which run finds a minimum first? Press Play.")
    panel.get_by_label("note shown under it").press("Control+Enter")
    panel.get_by_label("hide Gradient source").check(force=True)
    panel.get_by_label("hide Learning-rate schedule").check(force=True)
    panel.get_by_label("lock Optimizers").check(force=True)
    code = panel.locator('[data-testid="stCode"] code')
    _wait(page, """() => {
        const code = Array.from(document.querySelectorAll('[data-testid="stCode"] code'))
            .map(c => c.innerText).find(t => t.includes('lock='));
        return code && code.includes('hide=') && code.includes('note=');
    }""", what="the link with hide, lock and note")
    link = code.inner_text().strip()
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlparse(link).query))
    assert query["hide"] == "gradient,schedule" and query["lock"] == "runs"
    assert query["title"] == "Adam against momentum"
    assert query["runs"] == "adam(lr=0.1);momentum(lr=0.002)"
    _no_exception(page)

    context = browser.new_context(viewport={"width": 1600, "height": 1800})
    try:
        student = context.new_page()
        student.set_default_timeout(RERUN_MS)
        _open(student, link, "")
        Map(student).wait_drawn()
        assert Map(student).paths() == shown  # the same paths (with no run sliders: locked)
        assert Map(student).inside.locator('.dl-runs input[type="range"]').count() == 0
        banner = student.locator(".st-key-classroom-banner")
        assert "Adam against momentum" in banner.inner_text()
        assert "Which run finds a minimum first? Press Play." in banner.inner_text()
        sidebar = student.locator(SIDEBAR)
        assert not sidebar.get_by_text("gradient source").is_visible()
        assert not sidebar.get_by_text("Learning-rate schedule").is_visible()
        assert sidebar.get_by_text("Share with students").count() == 0
        locked = student.locator('[class*="st-key-control-runs--"]')
        assert locked.get_by_text("Set by your teacher").is_visible()
        assert locked.evaluate("box => box.inert")
        before = student.url
        locked.locator('[data-testid="stMultiSelect"]').click(force=True)
        assert student.locator('[data-testid="stSelectboxVirtualDropdown"]').count() == 0
        student.keyboard.press("Tab")
        assert not student.evaluate("""() => !!document.activeElement.closest(
            '[class*="st-key-control-runs--"]')""")
        assert student.url == before
        assert sidebar.locator('input[aria-label="start x"]').is_editable()  # free controls
        assert student.locator(WARNING).count() == 0
        _no_exception(student)
        _shot(student, "teacher-link-student")

        _open(student, server, "/?hide=gradient,bogus&present=maybe&title=" + "x" * 130)
        notes = _warnings(student)
        assert "'bogus' is not a control of this page" in notes
        assert "'present': 'maybe' is not a switch" in notes
        assert "'title': 130 characters, cut to the first 120" in notes
        assert not student.locator(SIDEBAR).get_by_text("gradient source").is_visible()
        _no_exception(student)
    finally:
        context.close()


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_opens_a_teacher_link_as_the_teacher_set_it(page, server, name):
    """Every page's teacher link (the fields its "Share with students" panel writes): the
    title and the note on top, the first half of the page's controls hidden (not on the
    page at all), the others locked (dimmed, "Set by your teacher", inert: out of reach of a
    click and the keyboard), no share panel, no warning, and its map or charts drawn."""
    path, _, animated = PAGES[name]
    controls = list(classroom.CONTROLS[name])
    hidden, locked = controls[:len(controls) // 2], controls[len(controls) // 2:]
    query = urllib.parse.urlencode({"hide": ",".join(hidden), "lock": ",".join(locked),
                                    "title": "Watch the runs", "note": "Then answer."})
    _open(page, server, f"{path}?{query}")
    banner = page.locator(".st-key-classroom-banner")
    assert "Watch the runs" in banner.inner_text() and "Then answer." in banner.inner_text()
    _wait(page, """(names) => names.every((name) => Array.from(document.querySelectorAll(
            `[class*="st-key-control-${name}--"]`)).every((box) => !box.getClientRects().length))
        """, hidden, what=f"{hidden} hidden", timeout=10_000)  # its style came with the page
    for control in locked:
        boxes = page.locator(f'[class*="st-key-control-{control}--"]')
        assert boxes.count() >= 1, f"no {control} on {name}"
        for box in boxes.all():  # (on Learn some are in a tab not shown yet)
            assert box.evaluate("box => box.inert && getComputedStyle(box).opacity < 1"), control
            assert box.get_by_text("Set by your teacher").count() == 1, control
    assert page.locator(SIDEBAR).get_by_text("Share with students").count() == 0
    assert page.locator(WARNING).count() == 0, _warnings(page)
    if animated:
        Map(page).wait_drawn()
    else:
        page.locator('[data-testid="stPlotlyChart"] .main-svg').first.wait_for()
    _no_exception(page)
    _shot(page, f"teacher-link-{name}")


def test_a_link_that_locks_the_start_leaves_the_map_unclickable_and_says_why(page, server):
    """A teacher's link that locks the start (Explore's "Surface, steps and start") and the
    runs: the page no longer invites a click on the map, the map's hover says the start is set
    by the teacher, a click and a drag on the map move nothing (same start, same paths, no
    rerun), and the player offers no run slider."""
    start = "/?surface=himmelblau&runs=adam(lr=0.1)&steps=200&start=-1,1"
    _open(page, server, start + "&lock=surface,runs")
    chart = Map(page)
    shown = chart.wait_drawn()
    assert "Click the map" not in page.locator('[data-testid="stMain"]').inner_text()
    assert chart.inside.locator('.dl-runs input[type="range"]').count() == 0
    before = (_sidebar_number(page, "start x"), _sidebar_number(page, "start y"))
    spot = chart.eval(_EMPTY_SPOT)
    x, y = chart.to_page([spot["x"], spot["y"]])
    page.mouse.move(x, y)
    hint = chart.inside.locator(".dl-hint", has_text="the start is set by your teacher")
    hint.wait_for()
    assert "start here" not in hint.inner_text()
    page.mouse.click(x, y)
    page.mouse.move(x + 30, y + 20)
    page.mouse.down()
    page.mouse.move(x + 60, y + 40, steps=5)
    page.mouse.up()
    page.wait_for_timeout(1500)  # what a rerun would take to start, had the click been sent
    _settle(page)
    assert chart.wait_drawn() == shown
    assert not chart.state()["fading"]
    assert (_sidebar_number(page, "start x"), _sidebar_number(page, "start y")) == before
    _every_path_starts_at(chart, before, 1e-3)
    _no_exception(page)

    _open(page, server, start)  # the same link without the locks invites the click
    chart.wait_drawn()
    assert "Click the map" in page.locator('[data-testid="stMain"]').inner_text()
    assert chart.inside.locator('.dl-runs input[type="range"]').count() >= 1
    _no_exception(page)


PRESENTATION_SCREENS = {
    # A projector's 1280 x 720 with the system's scale at 150 %.
    "1280x720-scale-1.5": {"viewport": {"width": 1280, "height": 720},
                           "device_scale_factor": 1.5},
    # The same at browser zoom 200 %: a viewport of 640 x 360 CSS pixels, 3 device pixels each.
    "1280x720-scale-1.5-zoom-200": {"viewport": {"width": 640, "height": 360},
                                    "device_scale_factor": 3},
    # A 4K screen at the system's usual 200 %.
    "3840x2160-scale-2": {"viewport": {"width": 1920, "height": 1080}, "device_scale_factor": 2},
    # A 4K projector at 100 %: the player's look grows with the height (player.js:
    # PRESENT_HEIGHT), so type and lines keep their share of the screen.
    "3840x2160": {"viewport": {"width": 3840, "height": 2160}, "device_scale_factor": 1},
}
PRESENTATION_LINKS = {
    "explore": "/?surface=rosenbrock&runs=adam(lr=0.05);momentum(lr=0.001)",
    "compare-8-runs": ("/compare?surface=rosenbrock&runs=adam(lr=0.05);momentum(lr=0.001);"
                       "sgd(lr=0.001);rmsprop(lr=0.01);adagrad(lr=0.5);nadam(lr=0.05);"
                       "adamax(lr=0.1);nesterov(lr=0.001)"),
    # maps twice as wide as tall: across the screen, the readout in a row under them
    "lesson-wide-map": "/lessons?lesson=learning_rate",
    # a square map: its question atop the column beside it, under the leave button
    "lesson-square-map": "/lessons?lesson=momentum",
    # a map beside a chart of its data (batch vs stochastic vs mini-batch): the two across the
    # screen, the colour bar between them clear of the data chart's axis
    "lesson-data-view": "/lessons?lesson=batches",
    "learn-in-a-tab": "/learn",
}


def _boxes(tab) -> dict:
    """The page's boxes that matter in presentation mode, in CSS pixels of the viewport: the
    player's frame (map, curves, its controls and readout), its map's plot, the leave button,
    the player's parts and its caption's lines of text (a lesson's question: it flows around
    the leave button)."""
    return tab.evaluate("""([map]) => {
        const frame = document.querySelector(map);
        const at = frame.getBoundingClientRect();
        const rect = (r, dx = 0, dy = 0) => ({left: r.left + dx, top: r.top + dy,
            right: r.right + dx, bottom: r.bottom + dy, width: r.width, height: r.height});
        const box = (e) => rect(e.getBoundingClientRect());
        const inFrame = (e) => rect(e.getBoundingClientRect(), at.left, at.top);
        const plot = frame.contentDocument.getElementById('plot');
        const caption = frame.contentDocument.querySelector('.dl-caption');
        const lines = [];
        const walk = frame.contentDocument.createTreeWalker(caption, NodeFilter.SHOW_TEXT);
        while (walk.nextNode()) {
            if (!walk.currentNode.textContent.trim()) continue;
            const range = frame.contentDocument.createRange();
            range.selectNodeContents(walk.currentNode);
            for (const r of range.getClientRects()) lines.push(rect(r, at.left, at.top));
        }
        return {
            viewport: {width: innerWidth, height: innerHeight},
            player: box(frame), plot: box(plot),
            leave: box(document.querySelector('.st-key-present-leave button')),
            leaveFont: Math.min(...Array.from(document.querySelectorAll(
                '.st-key-present-leave button *')).filter((e) => e.textContent.trim())
                .map((e) => parseFloat(getComputedStyle(e).fontSize))),
            captionFont: parseFloat(getComputedStyle(caption).fontSize),
            captionLines: lines,
            parts: Object.fromEntries(['.dl-caption', '.dl-map', '.dl-curves', '.dl-line',
                                       '.dl-readout'].map(
                (s) => [s, inFrame(frame.contentDocument.querySelector(s))])),
        };
    }""", [PLAYER])


def _clear_of_the_leave_button(boxes: dict) -> None:
    """Nothing of the player under the leave button: where a caption shares its row, the
    caption's lines of text and the player's other parts; else the whole player."""
    leave = boxes["leave"]
    if not boxes["captionLines"]:
        assert _apart(boxes["player"], leave), boxes
        return
    assert all(_apart(line, leave) for line in boxes["captionLines"]), boxes
    parts = [box for name, box in boxes["parts"].items() if name != ".dl-caption"]
    assert all(_apart(part, leave) for part in parts), boxes


_FRAME_CONTROLS = """() => Array.from(document.querySelectorAll('input, button, select'))
    .filter(e => { const r = e.getBoundingClientRect(), style = getComputedStyle(e);
                   return r.width > 0 && r.height > 0 && style.visibility !== 'hidden'; })
    .map(e => e.getAttribute('aria-label') || e.innerText || e.tagName)"""
"""The controls shown inside the player's frame."""

_READABLE = """() => ({
    tick: Math.min(...Array.from(document.querySelectorAll('#plot .xtick text, #plot .ytick text'))
        .map(t => parseFloat(getComputedStyle(t).fontSize))),
    status: parseFloat(getComputedStyle(document.querySelector('.dl-status')).fontSize),
    step: parseFloat(getComputedStyle(document.querySelector('.dl-line')).fontSize),
    line: getComputedStyle(document.querySelector('.dl-line')).display,
    color: getComputedStyle(document.querySelector('.dl-status')).color,
})"""
"""What a visitor reads in the player: its tick labels, a run's status, the step line."""


_TEXT_CLASHES = """(root) => {
    const box = (e) => { const r = e.getBoundingClientRect();
        return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; };
    const frame = {left: 0, top: 0, right: document.documentElement.clientWidth,
                   bottom: document.documentElement.clientHeight};
    const texts = [];
    for (const t of document.querySelectorAll(root + ' svg text')) {
        const r = t.getBoundingClientRect();
        if (!t.textContent.trim() || !r.width || getComputedStyle(t).visibility === 'hidden')
            continue;
        const turn = /rotate\\((-?[\\d.]+)/.exec(t.getAttribute('transform') || '');
        if (turn && parseFloat(turn[1]) % 90) continue;  // slanted: its box is not its letters
        texts.push({words: t.textContent.trim(), box: box(t),
                    chart: box(t.closest('svg.main-svg') || t.ownerSVGElement)});
    }
    const inside = (a, b) => a.left >= b.left - 0.5 && a.top >= b.top - 0.5
        && a.right <= b.right + 0.5 && a.bottom <= b.bottom + 0.5;
    const overlapping = [], clipped = [];
    texts.forEach((a, i) => {
        if (!inside(a.box, a.chart) || !inside(a.box, frame)) clipped.push(a.words);
        for (const b of texts.slice(i + 1)) {
            const w = Math.min(a.box.right, b.box.right) - Math.max(a.box.left, b.box.left);
            const h = Math.min(a.box.bottom, b.box.bottom) - Math.max(a.box.top, b.box.top);
            if (w > 0.5 && h > 0.5) overlapping.push([a.words, b.words]);
        }
    });
    const cut = Array.from(document.querySelectorAll('.dl-runs .dl-name, .dl-runs .dl-status'))
        .filter(e => e.getClientRects().length && e.scrollWidth > e.clientWidth + 1)
        .map(e => e.textContent);
    const readout = document.querySelector('.dl-readout');
    return {texts: texts.length, overlapping, clipped, cut,
            scrolled: Boolean(readout) && readout.scrollHeight > readout.clientHeight + 1};
}"""
"""The text of the charts under ``root`` (in the player's frame: ".dl-player"), tick labels, axis
and curve titles, the colour bar's, as boxes (a slanted one left out), and those that overlap
another or stand outside their chart or the frame; the readout's run names and statuses cut
short; whether the readout scrolls."""


def _apart(a: dict, b: dict) -> bool:
    return (a["right"] <= b["left"] + 1 or b["right"] <= a["left"] + 1
            or a["bottom"] <= b["top"] + 1 or b["bottom"] <= a["top"] + 1)


@pytest.mark.parametrize("screen", list(PRESENTATION_SCREENS))
@pytest.mark.parametrize("link_name", list(PRESENTATION_LINKS))
def test_presentation_mode_fills_the_screen_and_esc_leaves(browser, server, link_name, screen):
    """"Present" (and present=1 in a link): sidebar, controls and text hidden; the player (the
    map, its curves, the step line and the readout) wholly inside the viewport, its map's plot
    at least 70 % of its height, nothing overlapping, no control shown but the leave button
    (the player's bar shows only under the mouse; a lesson's question above the map, its text
    clear of the button, its type a 36th of the height or more), read from the back row (tick
    labels of 18 px or more, black text, thicker paths); inside the charts no two texts
    overlap and none is cut by its chart or the frame; every run in the readout, none
    scrolled out of sight, named whole with its status;
    the same at browser zoom 200 % and on a 4K screen, with two runs (Explore), eight
    (Compare), a lesson's map twice as wide as tall (across the screen) and one beside a chart of
    its data (the batches lesson: its colour bar between the two); Esc
    leaves, and the page is back with its controls and its usual look."""
    context = browser.new_context(**PRESENTATION_SCREENS[screen])
    try:
        tab = context.new_page()
        tab.set_default_timeout(RERUN_MS)
        link = PRESENTATION_LINKS[link_name]
        if PRESENTATION_SCREENS[screen]["viewport"]["width"] < 700:
            # a narrow page folds its sidebar: a link
            _open(tab, server, link + ("&" if "?" in link else "?") + "present=1")
        else:
            _open(tab, server, link)
            Map(tab).wait_drawn()
            _settle(tab)
            tab.locator(f"{SIDEBAR} button:visible", has_text="Present").click()
        _wait(tab, "() => new URLSearchParams(location.search).get('present') === '1'",
              what="present=1 in the URL")
        _wait(tab, """(selector) => {
            const frame = document.querySelector(selector);
            const plot = frame && frame.contentDocument
                && frame.contentDocument.getElementById('plot');
            const box = plot && plot.getBoundingClientRect();
            return box && box.height >= 0.7 * innerHeight
                && frame.getBoundingClientRect().bottom <= innerHeight;
        }""", PLAYER, what="the map to fill 70 % of the screen's height")
        _settle(tab)
        tab.mouse.move(1, 1)  # not over the player
        chart = Map(tab)
        chart.wait_plot("(state) => state.presenting", what="the player's presentation look")
        _wait(tab, """(selector) => document.querySelector(selector).getBoundingClientRect()
            .bottom <= innerHeight + 1""", PLAYER, what="the player to fit (its last resize)")
        boxes = _boxes(tab)
        view, player = boxes["viewport"], boxes["player"]
        assert boxes["plot"]["height"] >= 0.7 * view["height"], boxes
        assert player["top"] >= 0 and player["bottom"] <= view["height"] + 1, boxes["parts"]
        assert player["left"] >= 0 and player["right"] <= view["width"], boxes
        _clear_of_the_leave_button(boxes)
        # the leave button as large a share of the screen as at 1280 x 720 (17.6 px type, 42 px;
        # at zoom 200 % half as many CSS pixels: the same size on the screen)
        share = view["height"] / 720
        assert boxes["leaveFont"] >= 17 * share and boxes["leave"]["height"] >= 40 * share, boxes
        tall = max(1, share)
        parts = list(boxes["parts"].values())
        assert all(_apart(a, b) for i, a in enumerate(parts) for b in parts[i + 1:]), boxes
        text = chart.eval(_TEXT_CLASHES, ".dl-player")
        assert text["texts"] >= 10, text  # the map's ticks at least
        assert not (text["overlapping"] or text["clipped"] or text["cut"]), text
        assert not text["scrolled"], text
        _labels_on_the_plot(chart)
        controls = _visible_controls(tab)
        assert len(controls) == 1 and controls[0].endswith("Leave presentation (Esc)"), controls
        if "lesson" in link_name:  # its question above the map, read from the back row
            assert "Before you press ▶ Play" in chart.inside.locator(".dl-caption").inner_text()
            assert boxes["captionFont"] >= view["height"] / 36, boxes
        assert chart.eval(_FRAME_CONTROLS) == []
        readable = chart.eval(_READABLE)
        # ticks of 18 px and a status of 15 px at 1280 x 720, as large a share of a taller
        # screen; where eight runs share a narrow column (compact), a status of a 45th of the
        # screen's height: 8 px at zoom 200 %, as large a share of the screen as 16 px
        assert readable["tick"] >= 18 * tall, readable
        assert readable["status"] >= min(15 * tall, view["height"] / 45), readable
        assert readable["line"] != "none" and readable["color"] == "rgb(0, 0, 0)", readable
        look = chart.eval("() => window.descentLab.state().look")
        assert look["path"] >= 5 and look["head"] >= 20 and look["casing"] > 0, look
        chart.inside.locator(".dl-map").hover()  # the mouse over the player: its bar
        chart.button("Play").wait_for()
        tab.mouse.move(1, 1)
        assert not tab.locator(SIDEBAR).is_visible()
        assert not tab.locator("h1").is_visible()
        _no_exception(tab)
        _shot(tab, f"presentation-{link_name}-{screen}")

        tab.keyboard.press("Escape")
        _wait(tab, "() => !new URLSearchParams(location.search).get('present')",
              what="present gone from the URL")
        _settle(tab)
        assert tab.locator("h1").is_visible()
        tab.locator(f"{SIDEBAR} button", has_text="Present").first.wait_for(state="attached")
        chart = Map(tab)
        chart.wait_plot("(state) => !state.presenting", what="the player's usual look")
        assert chart.eval(_READABLE)["line"] == "none"
        assert chart.button("Play").is_visible()
        _no_exception(tab)
    finally:
        context.close()


@pytest.mark.parametrize("screen", ["1280x720-scale-1.5", "1280x720-scale-1.5-zoom-200"])
def test_a_lesson_presented_shows_its_question_then_its_answer(browser, server, screen):
    """The Lessons page in presentation mode (1280 x 720 at 150 %, and at browser zoom 200 %):
    its question and choices above the map, in the presentation's type, clear of the leave
    button (no other control shows); the A key (nothing clicked first) puts the answer there
    instead and A again brings the choices back; with the mouse over the player, its bar's
    "Reveal the answer" does the same (and "Hide the answer" undoes it); a presenter's
    clicker's PageDown at the run's last step reveals it. The map fills 70 % of the screen's
    height throughout, with nothing overlapping."""
    lessons, _ = course.catalogue()
    lesson = next(lesson for lesson in lessons if lesson.name == "learning_rate")
    context = browser.new_context(**PRESENTATION_SCREENS[screen])
    try:
        tab = context.new_page()
        tab.set_default_timeout(RERUN_MS)
        _open(tab, server, "/lessons?lesson=learning_rate&present=1")
        chart = Map(tab)
        chart.wait_plot("(state) => state.presenting", what="the player's presentation look")
        caption = chart.inside.locator(".dl-caption")
        answer = " ".join(lesson.answer.replace("**", "").split())

        def shows(revealed: bool) -> dict:
            what = "the answer above the map" if revealed else "the question's choices"
            _wait(tab, """([selector, revealed]) => {
                const frame = document.querySelector(selector);
                const plot = frame.contentDocument.getElementById('plot').getBoundingClientRect();
                const words = frame.contentDocument.querySelector('.dl-caption').innerText;
                return words.includes('Answer:') === revealed
                    && plot.height >= 0.7 * innerHeight
                    && frame.getBoundingClientRect().bottom <= innerHeight + 1;
            }""", [PLAYER, revealed], what=what + ", the map filling 70 % of the height")
            _wait(tab, """(selector) => document.querySelector(selector).contentDocument
                .getElementById('plot').getBoundingClientRect().height >= 0.7 * innerHeight""",
                  PLAYER, what="the map to keep 70 % of the height once fitted again")
            words = " ".join(caption.inner_text().split())
            if revealed:
                assert answer in words and lesson.choices[0] not in words, words
            else:
                assert lesson.question in words, words
                assert all(choice in words for choice in lesson.choices), words
            assert chart.eval("() => window.descentLab.state().answerShown") == revealed
            boxes = _boxes(tab)
            assert boxes["plot"]["height"] >= 0.7 * boxes["viewport"]["height"], boxes
            _clear_of_the_leave_button(boxes)
            parts = list(boxes["parts"].values())
            assert all(_apart(a, b) for i, a in enumerate(parts) for b in parts[i + 1:]), boxes
            text = chart.eval(_TEXT_CLASHES, ".dl-player")
            assert not (text["overlapping"] or text["clipped"] or text["cut"]), text
            tab.mouse.move(1, 1)  # not over the player: no control shows but the leave button
            controls = _visible_controls(tab)
            assert len(controls) == 1 and controls[0].endswith("Leave presentation (Esc)")
            assert chart.eval(_FRAME_CONTROLS) == []
            _no_exception(tab)
            return boxes

        boxes = shows(revealed=False)
        assert boxes["captionFont"] >= boxes["viewport"]["height"] / 36, boxes
        assert tab.evaluate("() => document.activeElement === document.body")
        tab.keyboard.press("a")  # the keyboard, nothing clicked first
        shows(revealed=True)
        _shot(tab, f"presentation-lesson-answer-{screen}")
        tab.keyboard.press("a")
        shows(revealed=False)

        chart.inside.locator(".dl-map").hover()  # the mouse: the player's bar
        chart.button("Reveal the answer").click()
        shows(revealed=True)
        chart.inside.locator(".dl-map").hover()
        chart.button("Hide the answer").click()
        shows(revealed=False)

        tab.keyboard.press("End")  # a presenter's clicker: "next" once the run is over
        chart.wait_state("(state) => state.step === state.steps")
        tab.keyboard.press("PageDown")
        shows(revealed=True)
        assert chart.state()["step"] == chart.state()["steps"]
    finally:
        context.close()


def test_a_presenters_clicker_and_the_keys_drive_the_player_without_a_click_first(page, server):
    """The playback keys pressed on the page (focus on no control) go to the player in view:
    in presentation mode opened from a link, PageUp and PageDown (what a presenter's clicker
    sends) step a tenth of the run back and forward, Home, End and the arrows move, space plays
    and pauses, all before anything was clicked; Esc leaves. On the page, a key typed into a
    field stays in the field."""
    console = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    _open(page, server, "/?surface=rosenbrock&runs=adam(lr=0.05)&steps=500&present=1")
    chart = Map(page)
    chart.wait_drawn()
    _settle(page)
    assert _focus(page) is None
    chart.wait_state("(state) => state.step === 500")
    for key, step in (("PageUp", 450), ("PageUp", 400), ("PageDown", 450), ("Home", 0),
                      ("ArrowRight", 1), ("ArrowRight", 2), ("ArrowLeft", 1), ("End", 500)):
        page.keyboard.press(key)
        chart.wait_state("(state, k) => state.step === k", step)
    page.keyboard.press("Home")
    page.keyboard.press("Space")
    chart.wait_state("(state) => state.playing && state.step > 0")
    page.keyboard.press("Space")
    chart.wait_state("(state) => !state.playing")
    focus = _focus(page)
    if focus is not None:
        _shot(page, "presenters-clicker-focus")
    assert focus is None, (focus, page.evaluate("""() => [...document.querySelectorAll(
        '[role="dialog"], [data-testid="stToast"], [role="alertdialog"]')].map(
            (d) => d.getAttribute('data-testid') + ': ' + d.innerText)"""), console)  # no click
    page.keyboard.press("Escape")
    _wait(page, "() => !new URLSearchParams(location.search).get('present')",
          what="present gone from the URL")
    _settle(page)

    chart.wait_drawn()
    page.locator("h1").first.click()  # the page, not a control, has the focus
    page.keyboard.press("Home")
    chart.wait_state("(state) => state.step === 0")
    page.keyboard.press("PageDown")
    chart.wait_state("(state) => state.step === 50")
    field = page.locator(f'{SIDEBAR} input[aria-label="start x"]')
    field.click()
    page.keyboard.press("End")  # the field's own End: the caret, not the player
    page.keyboard.press("ArrowLeft")
    page.wait_for_timeout(300)
    assert chart.state()["step"] == 50
    _no_exception(page)


@pytest.mark.parametrize("screen", list(PRESENTATION_SCREENS))
def test_sensitivity_presents_its_heatmap_filling_the_screen(browser, server, screen):
    """Sensitivity's "Present" (a page with no animated map): its heatmap of the sweep fills
    the screen under the leave button (at least 70 % of its height, wholly inside it), its
    tick labels in the presentation type (18 px or more, black), no two of its texts
    overlapping and none cut, no other control or text shown; Esc leaves, and the page is
    back with its controls."""
    context = browser.new_context(**PRESENTATION_SCREENS[screen])
    try:
        tab = context.new_page()
        tab.set_default_timeout(RERUN_MS)
        _open(tab, server, "/sensitivity?resolution=6&basin_resolution=10&present=1")
        heat = tab.locator('[data-testid="stPlotlyChart"] .js-plotly-plot').first
        heat.locator(".heatmaplayer").first.wait_for()
        _wait(tab, """(share) => {
            const plot = document.querySelector('[data-testid="stPlotlyChart"] .main-svg');
            const box = plot && plot.getBoundingClientRect();
            return box && box.height >= share * innerHeight && box.bottom <= innerHeight + 1
                && box.top >= 0;
        }""", 0.7, what="the heatmap to fill 70 % of the screen's height")
        tab.mouse.move(1, 1)
        controls = _visible_controls(tab)
        assert len(controls) == 1 and controls[0].endswith("Leave presentation (Esc)"), controls
        ticks = heat.evaluate("""(plot) => Array.from(
            plot.querySelectorAll('.xtick text, .ytick text'))
            .map(t => [parseFloat(getComputedStyle(t).fontSize), getComputedStyle(t).fill])""")
        assert ticks and all(size >= 18 and fill == "rgb(0, 0, 0)" for size, fill in ticks), ticks
        text = tab.evaluate(_TEXT_CLASHES, '[class*="st-key-present-shown"]')
        assert text["texts"] >= 10 and not (text["overlapping"] or text["clipped"]), text
        assert not tab.locator("h1").is_visible()
        assert not tab.locator(SIDEBAR).is_visible()
        _no_exception(tab)
        _shot(tab, f"presentation-sensitivity-{screen}")

        tab.keyboard.press("Escape")
        _wait(tab, "() => !new URLSearchParams(location.search).get('present')",
              what="present gone from the URL")
        _settle(tab)
        assert tab.locator("h1").is_visible()
        _no_exception(tab)
    finally:
        context.close()


# --- Schedules: a schedule made of schedules, a typed factor, a cycled momentum ---------------

def _chart_titled(tab, title: str):
    """The frame of the static chart whose title starts with ``title`` (every chart drawn)."""
    for frame in _charts(tab, max(1, tab.locator(CHART).count())):
        if any(t.startswith(title) for t in frame.locator(".gtitle").all_text_contents()):
            return frame
    raise AssertionError(f"no chart titled {title!r}")


_TRACES = """() => document.getElementById('plot').data
    .filter(t => t.name && t.y).map(t => ({name: t.name, y: Array.from(t.y)}))"""


def _curve(tab, chart_title: str, name: str) -> list[float]:
    """The values of the line called ``name`` on the chart titled ``chart_title``, once it is
    drawn."""
    deadline = time.time() + RERUN_MS / 1000
    while True:
        _no_exception(tab)
        try:
            traces = _chart_titled(tab, chart_title).evaluate(_TRACES)
        except AssertionError:
            traces = []
        found = [t["y"] for t in traces if t["name"] == name]
        if found:
            return found[0]
        if time.time() > deadline:
            pytest.fail(f"no line {name!r} on the chart {chart_title!r}: "
                        f"{[t['name'] for t in traces]}")
        tab.wait_for_timeout(250)


def _add_to_multiselect(tab, label: str, option: str) -> None:
    """Add ``option`` to the multiselect labelled ``label``."""
    box = tab.locator('[data-testid="stMultiSelect"]').filter(
        has=tab.get_by_text(label, exact=True)).first
    field = box.locator("input").first
    field.click()
    field.fill(option)  # the list shows a few options at a time: typing finds the one
    tab.get_by_role("option", name=option, exact=True).click()
    tab.keyboard.press("Escape")
    _settle(tab)


def test_schedules_builds_a_sequential_schedule_and_a_typed_factor(page, server):
    """Schedules: "see the learning-rate curve of each schedule as you set it". Picking
    Sequential and choosing its second part (an exponential decay) draws the warm-up then the
    decay, restarted at the milestone as torch's SequentialLR does; typing a factor for Lambda
    draws base_lr * factor(t); a formula outside the grammar is refused with a message quoting
    it as typed, and the link carries the parts; One cycle adds the beta1 it cycles."""
    _open(page, server, "/schedules?steps=200&schedules=cosine(T_max=200)")
    _charts(page)
    lr = 0.1  # the page's default run: Adam at lr = 0.1
    tolerance = 2e-5  # the charts carry about six significant digits
    _add_to_multiselect(page, "schedules", "Sequential (one schedule after another)")
    _choose(page, "then 2", "Exponential decay")
    _settle(page)
    name = "Sequential: linear ramp then exponential decay"
    curve = _curve(page, "Learning rate by step", name)
    assert len(curve) >= 200
    # LinearLR(0.1 -> 1 over 100 steps), then at milestone 100 ExponentialLR from the base rate
    assert _close(curve[0], 0.1 * lr, tolerance) and _close(curve[50], 0.55 * lr, tolerance)
    assert _close(curve[100], lr, tolerance) and _close(curve[150], lr * 0.99**50, tolerance)
    link = urllib.parse.unquote(page.url)
    assert "sequential(schedulers=linear(start_factor=0.1,total_iters=100)|exponential" in link

    _add_to_multiselect(page, "schedules", "Lambda (typed factor)")
    box = page.locator('input[aria-label="lr_lambda"]').first
    box.fill("0.5^(t/50)")
    box.press("Enter")
    _wait(page, "() => (new URLSearchParams(location.search).get('schedules') || '')"
                ".includes('lr_lambda=0.5^(t/50)')", what="the typed factor in the link")
    _settle(page)  # the chart then shows the typed factor, not the one before it
    curve = _curve(page, "Learning rate by step", "Lambda (typed factor)")
    assert _close(curve[0], lr, tolerance) and _close(curve[100], lr * 0.25, tolerance), curve[:3]

    box.fill("0.5^(t/50")
    box.press("Enter")
    error = page.locator('[data-testid="stAlertContentError"]', has_text="lr_lambda").first
    error.wait_for()
    _settle(page)
    assert "'0.5^(t/50' (missing ')' to close the '(' at column 5)" in error.inner_text(), (
        error.inner_text())
    assert _close(_curve(page, "Learning rate by step", "Lambda (typed factor)")[100],
                  lr * 0.25, tolerance), "the last good formula is no longer drawn"

    _add_to_multiselect(page, "schedules", "One cycle")
    beta1 = _curve(page, "beta1 by step", "One cycle")
    assert _close(beta1[0], 0.95, tolerance) and min(beta1) < 0.9  # down towards base_momentum
    _no_exception(page)
    _shot(page, "schedules-composite-lambda")
