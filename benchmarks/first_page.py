"""The first visitor of a fresh server: ``streamlit run`` on an empty Numba cache, in Chromium.

``measure()`` starts the app with an empty cache (a temporary NUMBA_CACHE_DIR), opens it in
headless Chromium (playwright, as the browser tests do) and times, from the moment the
server process is started: its health check answering, the page's title showing (with the
"Preparing the optimizers" progress bar while the kernels compile), and the first map
drawn. None when Chromium or playwright is missing.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from benchmarks import streamlit_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
TIMEOUT_S = 900.0
"""Give up on a step after this long (a machine shared with much other work is slow)."""

_TITLE = """() => {
    const h1 = document.querySelector('h1');
    return h1 && h1.innerText.trim();
}"""
_MAP = """() => Array.from(document.querySelectorAll('iframe[src*="descent_lab_player"]')).some(
    (frame) => {
        const plot = frame.contentDocument && frame.contentDocument.getElementById('plot');
        return plot && plot.dataset.ready && plot.querySelector('.scatterlayer');
    })"""
_PREPARING_OR_MAP = f"""() => document.body.innerText.includes('Preparing the optimizers')
    ? 'preparing' : (({_MAP})() ? 'map' : '')"""
"""What follows the title: the preparing message (its progress bar arrives just after the
title), or already the map (a warm cache)."""


def measure() -> dict[str, float | bool] | None:
    """Seconds from starting the server to: its health check (``healthy``), the page's title
    (``title``), the first map (``map``); and whether the title came with the preparing
    message (``preparing``)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not Path(CHROMIUM).exists():
        return None
    with tempfile.TemporaryDirectory() as empty_cache, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        tab = browser.new_page(viewport={"width": 1600, "height": 1800})
        began = time.perf_counter()
        try:
            with streamlit_server.running({"NUMBA_CACHE_DIR": empty_cache}) as (url, process):
                streamlit_server.wait_healthy(url, process, TIMEOUT_S)
                healthy = time.perf_counter() - began
                tab.goto(url)
                tab.wait_for_function(_TITLE, polling=20, timeout=TIMEOUT_S * 1e3)
                title = time.perf_counter() - began
                then = tab.wait_for_function(_PREPARING_OR_MAP, polling=20,
                                             timeout=TIMEOUT_S * 1e3).json_value()
                tab.wait_for_function(_MAP, polling=100, timeout=TIMEOUT_S * 1e3)
                first_map = time.perf_counter() - began
        finally:
            browser.close()
    return {"healthy": healthy, "title": title, "map": first_map,
            "preparing": then == "preparing"}
