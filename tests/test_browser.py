"""End to end in a real Chromium: every page loads, Play moves the paths, a slider changes a
chart, and no exception shows. Screenshots go to artifacts/screenshots/<page>.png.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
SHOTS = ROOT / "artifacts" / "screenshots"
PLAYER = 'iframe[src*="descent_lab_player"]'

pytestmark = pytest.mark.browser


def _need_browser() -> None:
    if not Path(CHROMIUM).exists():
        if os.environ.get("DESCENT_LAB_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing and DESCENT_LAB_REQUIRE_BROWSER=1")
        pytest.skip(f"{CHROMIUM} is missing (set DESCENT_LAB_REQUIRE_BROWSER=1 to fail instead)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    _need_browser()
    port = _free_port()
    log = open(ROOT / "artifacts" / "streamlit-test.log", "w") if (ROOT / "artifacts").mkdir(
        exist_ok=True) or True else None
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "localhost"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        url = f"http://localhost:{port}"
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail("the Streamlit server did not start within 60 s")
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu",
                  "--disable-background-networking"],
        )
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1600, "height": 1800})
    tab = context.new_page()
    yield tab
    context.close()


def _settle(tab, timeout: float = 60_000) -> None:
    tab.wait_for_selector("h1", timeout=timeout)
    tab.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout)
    tab.wait_for_timeout(500)


def _no_exception(tab) -> None:
    assert tab.locator('[data-testid="stException"]').count() == 0
    assert tab.locator('[data-testid="stAlertContentError"]').count() == 0


def _player(tab, index: int = 0):
    tab.wait_for_selector(PLAYER, timeout=60_000)
    frame = tab.frame_locator(PLAYER).nth(index)
    frame.locator("#plot .scatterlayer").first.wait_for(timeout=60_000)
    return frame


def _path_d(frame) -> str:
    # the first run's path: the first scatter trace with a line
    return frame.locator(".scatterlayer .trace path.js-line").first.get_attribute("d") or ""


def _shot(tab, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_a_shared_link_as_first_request_opens_its_page_with_a_warning(page, server):
    page.goto(f"{server}/compare?runs=adam(lr=0.3);sgd(lr=-4)&steps=120&bogus=1")
    _settle(page)
    assert page.locator("h1").first.inner_text().strip() == "Compare"
    warning = page.locator('[data-testid="stAlertContentWarning"]')
    warning.first.wait_for(timeout=30_000)
    text = warning.first.inner_text()
    assert "runs[2].lr" in text and "bogus" in text
    assert page.locator('[data-testid="stException"]').count() == 0


def test_explore_plays_and_reacts_to_a_slider(page, server):
    page.goto(server)
    _settle(page)
    frame = _player(page)
    final = _path_d(frame)
    assert final
    frame.locator("g.updatemenu-button", has_text="Play").first.click()
    page.wait_for_timeout(400)
    early = _path_d(frame)
    page.wait_for_timeout(1500)
    later = _path_d(frame)
    assert early != final, "Play did not restart the paths from step 0"
    assert later != early, "the paths did not move while playing"
    assert len(later) > len(early), "the path did not grow"
    _no_exception(page)
    _shot(page, "explore")

    shown = frame.locator("#plot").get_attribute("data-ready")
    steps = page.locator('[data-testid="stSidebar"] [data-testid="stSlider"] [tabindex="0"]').first
    steps.focus()
    for _ in range(5):
        steps.press("ArrowLeft")
    page.wait_for_function(
        """([selector, before]) => {
             const f = document.querySelector(selector);
             const el = f && f.contentDocument && f.contentDocument.querySelector('#plot');
             return el && el.dataset.ready && el.dataset.ready !== before;
           }""",
        arg=[PLAYER, shown], timeout=30_000,
    )
    _no_exception(page)


def test_explore_plays_a_typed_formula_from_a_link(page, server):
    query = urllib.parse.urlencode({"surface": "custom", "formula": "sin(x)*cos(y) + 0.1*x^2",
                                    "window": "-3,3,-3,3", "runs": "sgd(lr=0.1);adam(lr=0.05)"})
    page.goto(f"{server}/?{query}")
    _settle(page)
    frame = _player(page)
    final = _path_d(frame)
    assert final
    frame.locator("g.updatemenu-button", has_text="Play").first.click()
    page.wait_for_timeout(500)
    assert _path_d(frame) != final
    assert page.locator(".katex").count() >= 3  # the formula and its two partial derivatives
    assert page.locator('[data-testid="stAlertContentWarning"]').count() == 0
    _no_exception(page)
    _shot(page, "explore-formula")


def _all_lines(frame) -> list[str]:
    lines = frame.locator(".scatterlayer .trace path.js-line")
    return [lines.nth(i).get_attribute("d") or "" for i in range(lines.count())]


def test_explore_plays_a_data_surface_with_mini_batches_from_a_link(page, server):
    query = urllib.parse.urlencode({
        "surface": "linear_regression(size=120,noise=0.8)", "runs": "sgd(lr=0.05);adam(lr=0.1)",
        "gradient": "minibatch(batch_size=4)", "seed": "1", "seeds": "3", "steps": "150"})
    page.goto(f"{server}/?{query}")
    _settle(page)
    frame = _player(page)
    frame.locator(".xy2 .scatterlayer, .x2y2 .scatterlayer").first.wait_for(timeout=30_000)
    final = _all_lines(frame)
    assert len(final) >= 2 * 3 + 2  # two runs, each a path, two extra seeds and a fit
    frame.locator("g.updatemenu-button", has_text="Play").first.click()
    page.wait_for_timeout(500)
    assert _all_lines(frame) != final
    assert page.locator('[data-testid="stAlertContentWarning"]').count() == 0
    _no_exception(page)
    _shot(page, "explore-data")


def test_explore_counts_a_schedule_in_epochs_of_mini_batches_from_a_link(page, server):
    query = urllib.parse.urlencode({
        "surface": "linear_regression(size=120,noise=0.8)", "runs": "sgd(lr=0.1);adam(lr=0.1)",
        "gradient": "minibatch(batch_size=8)", "seed": "1", "steps": "150",
        "schedule": "step(step_size=3,gamma=0.5,interval=epoch)"})
    page.goto(f"{server}/?{query}")
    _settle(page)
    frame = _player(page)
    frame.locator(".xy2 .scatterlayer, .x2y2 .scatterlayer").first.wait_for(timeout=30_000)
    final = _all_lines(frame)
    frame.locator("g.updatemenu-button", has_text="Play").first.click()
    page.wait_for_timeout(500)
    assert _all_lines(frame) != final
    sidebar = page.locator('[data-testid="stSidebar"]')
    epochs = sidebar.locator('[data-testid="stRadio"]', has_text="count the schedule in")
    assert epochs.get_by_role("radio", name="epochs").is_checked()
    assert sidebar.get_by_text("1 epoch = 15 steps").count() == 1
    charts = page.locator('[data-testid="stPlotlyChart"]')
    charts.nth(2).wait_for(timeout=30_000)
    titles = page.locator('[data-testid="stPlotlyChart"] .gtitle').all_text_contents()
    assert "Loss (faint: each batch's own)" in titles
    assert "Learning rate: step decay, per epoch" in titles
    loss = charts.filter(has_text="each batch's own").first
    assert loss.locator(".scatterlayer .trace").count() == 4  # two runs, each with a batch loss
    assert page.locator('[data-testid="stAlertContentWarning"]').count() == 0
    _no_exception(page)
    _shot(page, "explore-epochs")


def test_compare_races_batch_sizes_on_a_data_surface_from_a_link(page, server):
    query = urllib.parse.urlencode({
        "surface": "linear_regression(size=120,noise=0.8)", "steps": "150", "seed": "3",
        "runs": "sgd(lr=0.05);sgd(lr=0.05,batch_size=8);sgd(lr=0.05,batch_size=1)"})
    page.set_viewport_size({"width": 1600, "height": 2700})  # the leaderboard in the shot too
    page.goto(f"{server}/compare?{query}")
    _settle(page)
    frame = _player(page)
    frame.locator(".xy2 .scatterlayer, .x2y2 .scatterlayer").first.wait_for(timeout=30_000)
    final = _all_lines(frame)
    assert len(final) >= 2 * 3  # three runs, each a path and a fit beside the map
    frame.locator("g.updatemenu-button", has_text="Play").first.click()
    page.wait_for_timeout(500)
    assert _all_lines(frame) != final
    board = page.locator('[data-testid="stDataFrame"]').first
    board.wait_for(timeout=30_000)
    page.locator('[data-testid="stExpander"] summary', has_text="batch size").first.click()
    inputs = page.locator('[data-testid="stNumberInput"]', has_text="batch size")
    inputs.nth(2).wait_for(timeout=30_000)
    assert [inputs.nth(i).locator("input").input_value() for i in range(3)] == ["120", "8", "1"]
    assert page.locator('[data-testid="stAlertContentWarning"]').count() == 0
    _no_exception(page)
    _shot(page, "compare-data")


@pytest.mark.parametrize("name", ["compare", "schedules", "learn"])
def test_animated_pages_play(page, server, name):
    page.goto(f"{server}/{name}")
    _settle(page)
    frame = _player(page)
    final = _path_d(frame)
    frame.locator("g.updatemenu-button", has_text="Play").first.click()
    page.wait_for_timeout(500)
    assert _path_d(frame) != final
    _no_exception(page)
    _shot(page, name)


def test_sensitivity_heatmap_and_basins(page, server):
    page.goto(f"{server}/sensitivity")
    _settle(page)
    charts = page.locator('[data-testid="stPlotlyChart"]')
    charts.nth(1).wait_for(timeout=60_000)
    assert charts.count() >= 2  # the sweep heatmap and the basins map
    before = charts.first.locator(".heatmaplayer image, .heatmaplayer").first.inner_html()
    cells = page.locator('[data-testid="stMain"] [data-testid="stSlider"] [tabindex="0"]').first
    cells.focus()
    cells.press("ArrowLeft")
    page.wait_for_timeout(500)
    _settle(page)
    after = charts.first.locator(".heatmaplayer image, .heatmaplayer").first.inner_html()
    assert after != before
    _no_exception(page)
    _shot(page, "sensitivity")
