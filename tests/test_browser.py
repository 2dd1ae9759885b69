"""The notebooks as a learner meets them: JupyterLab in headless Chromium, Run All, no errors.

For every notebook: start JupyterLab the way ``make lab`` does (on a temporary copy of notebooks/,
so autosave cannot touch the committed files), open the notebook, run all cells, wait for the
kernel, and check that every code cell ran and that errors appear only in cells tagged
``raises-exception``; and that JupyterLab asked no news question and requested neither the news
nor the update check (the series' jupyter/ settings, installed into the venv, are the only
notification settings it gets). A lab started exactly as ``make lab`` starts it opens on the
notebooks. In the notebooks that have an explorer widget (02, 03, 09), the explorer's figure has
the CSS size of the notebook's static figures with twice the pixels, on screens of
devicePixelRatio 1 and 2, every slider's readout shows its whole value, and moving a slider changes
the plot. Screenshots are saved under artifacts/browser/ (not committed).

Chromium: Debian's ``/usr/bin/chromium`` (or ``$CHROMIUM_PATH``), driven by playwright through
``executable_path``. Without it the test is skipped with the reason; with ``CI`` set, it fails.
"""

from __future__ import annotations

import shutil
import time

import pytest
from browser_harness import (
    ARTIFACTS,
    CELLS_JS,
    EXPLORER_OUTPUT_JS,
    NOTIFICATIONS_JS,
    RUN_TIMEOUT_MS,
    ExplorerTab,
    Tab,
    chromium,
    chromium_or_skip,
    explorer_cells,
    lab_env,
    open_and_run,
    shutdown_kernel,
)

from conftest import NOTEBOOK_PATHS
from labserver import LabServer, stale_jupyter_config

pytestmark = pytest.mark.browser

# JupyterLab user settings for the test: render every cell (no virtual scrolling, so the widget
# is in the page). Nothing about notifications: those come only from the series' jupyter/ files.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}

# JupyterLab 4.5 (@jupyterlab/apputils-extension, the announcements plugin) asks "Would you like to
# get notified about official Jupyter news?" as soon as app.restored resolves and the notification
# settings are loaded; there is no timer. Without the series' settings the toast was in the page
# 0.5 s after app.restored here. Checking 5 s after app.restored leaves a wide margin.
NEWS_WAIT_S = 5.0
NEWS_PATHS = ("/lab/api/news", "/lab/api/update")


def _series_config_installed() -> None:
    stale = stale_jupyter_config()
    if stale:
        pytest.fail(f"the venv's copies of {stale} differ from the repository's; run "
                    "python scripts/install_jupyter_config.py (make's bootstrap does)")


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    chromium_or_skip()
    _series_config_installed()
    tmp = tmp_path_factory.mktemp("browser")
    workdir = tmp / "notebooks"
    workdir.mkdir()
    for path in NOTEBOOK_PATHS:
        shutil.copy(path, workdir / path.name)
    server = LabServer(
        tmp,
        extra=[f"--ServerApp.root_dir={workdir}", "--LabApp.expose_app_in_browser=True"],
        env=lab_env(tmp, LAB_SETTINGS),
    )
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser(lab):
    with chromium() as launched:
        yield launched


def _assert_no_news_question(tab: Tab, base: str) -> None:
    """No notification (toast or count) NEWS_WAIT_S after app.restored; no news or update request;
    no request to anything but the lab itself."""
    remaining = NEWS_WAIT_S - (time.monotonic() - tab.restored_at)
    if remaining > 0:
        tab.page.wait_for_timeout(remaining * 1000)
    shown = tab.page.evaluate(NOTIFICATIONS_JS)
    asked = [url for url in tab.requests if url.startswith(base) and url.split("?")[0].endswith(NEWS_PATHS)]
    elsewhere = [url for url in tab.requests if not url.startswith((base + "/", "data:", "blob:"))]
    assert shown == {"toasts": [], "count": "0", "newsQuestion": False}, (
        f"JupyterLab notified the learner {shown}; are the series' jupyter/ settings in effect?")
    assert not asked, f"JupyterLab asked for the news or an update check: {asked}"
    assert not elsewhere, f"the page requested something other than the lab: {elsewhere}"


@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=[p.name for p in NOTEBOOK_PATHS])
def test_run_all_in_jupyterlab_shows_no_unexpected_error_and_no_news(browser, lab, path):
    tab = open_and_run(browser, lab, path.name, workspace=f"run-{path.stem}")
    try:
        cells = tab.page.evaluate(CELLS_JS)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        tab.page.screenshot(path=str(ARTIFACTS / f"{path.stem}.png"))
        _assert_no_news_question(tab, lab.base)
    finally:
        tab.close()
        shutdown_kernel(lab, path.name)
    assert cells, "no code cells found in the page"
    not_run = [c["index"] for c in cells if c["count"] is None]
    assert not not_run, f"cells {not_run} did not run (Run All stopped early?)"
    for cell in cells:
        if "raises-exception" in cell["tags"]:
            assert cell["errors"], f"cell {cell['index']} is tagged raises-exception but raised nothing"
        else:
            assert not cell["errors"], f"cell {cell['index']}: {cell['errors']}"


def test_make_lab_opens_on_the_notebooks_without_news(browser, tmp_path):
    """scripts/lab.py as ``make lab`` runs it (no root_dir given): the file browser shows notebooks/."""
    _series_config_installed()
    server = LabServer(tmp_path, extra=["--LabApp.expose_app_in_browser=True"], env=lab_env(tmp_path, {}))
    tab = Tab(browser)
    try:
        tab.open(f"{server.base}/lab?token={server.token}")
        items = tab.page.locator(".jp-FileBrowser .jp-DirListing-content .jp-DirListing-itemText")
        items.first.wait_for(timeout=RUN_TIMEOUT_MS)
        listed = set(items.all_inner_texts())
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        tab.page.screenshot(path=str(ARTIFACTS / "lab_start.png"))
        _assert_no_news_question(tab, server.base)
    finally:
        tab.close()
        server.stop()
    assert {p.name for p in NOTEBOOK_PATHS} <= listed, f"the file browser lists {sorted(listed)}"
    assert not {"README.md", "Makefile", "helpers"} & listed, f"the file browser shows the repository root: {sorted(listed)}"


# --- the explorers (02, 03, 09) -------------------------------------------------------------------


EXPLORERS = [p for p in NOTEBOOK_PATHS if explorer_cells(p)]
# Every explorer on a screen of devicePixelRatio 2; the activation explorer (the widest figure, a
# range slider) on one of devicePixelRatio 1 as well.
EXPLORER_CASES = [(p, 2) for p in EXPLORERS] + [(p, 1) for p in EXPLORERS if p.name.startswith("02_")]


@pytest.fixture(scope="module", params=EXPLORER_CASES, ids=[f"{p.name}-dpr{s}" for p, s in EXPLORER_CASES])
def explorer(request, browser, lab):
    path, scale = request.param
    explorer = ExplorerTab(browser, lab, path, scale)
    try:
        explorer.screenshot("")
        yield explorer
    finally:
        explorer.tab.close()
        shutdown_kernel(lab, path.name)


def _assert_natural_size(figure: dict, scale: int) -> None:
    """Shown at half its pixels (whatever the screen's devicePixelRatio), to within 1 CSS pixel."""
    assert figure["naturalWidth"] % 2 == 0 and figure["naturalHeight"] % 2 == 0, figure
    assert abs(figure["width"] - figure["naturalWidth"] / 2) <= 1, f"dpr {scale}: {figure}"
    assert abs(figure["height"] - figure["naturalHeight"] / 2) <= 1, f"dpr {scale}: {figure}"


def test_explorer_figure_has_its_natural_size_with_twice_the_pixels(explorer):
    figure = explorer.figure()
    print(f"\n{explorer.path.name} dpr {explorer.scale}: explorer {figure['width']}x{figure['height']} CSS px, "
          f"{figure['naturalWidth']}x{figure['naturalHeight']} pixels")
    assert explorer.page.evaluate("() => window.devicePixelRatio") == explorer.scale
    _assert_natural_size(figure, explorer.scale)


def test_explorer_figure_is_as_large_as_the_static_figure_above_it(explorer):
    assert explorer.static >= 0, f"{explorer.path.name} has no static figure of the explorer's function"
    (static,) = explorer.images(explorer.static)
    figure = explorer.figure()
    print(f"\n{explorer.path.name} dpr {explorer.scale}: static {static['width']}x{static['height']}, "
          f"explorer {figure['width']}x{figure['height']}")
    assert static["naturalWidth"] == static["width"], f"the static figure is scaled: {static}"
    assert abs(figure["width"] - static["width"]) <= 2 and abs(figure["height"] - static["height"]) <= 2, (
        f"static {static}, explorer {figure}")


def test_explorer_shows_the_live_widget_and_its_output_carries_the_png(explorer):
    output = explorer.page.evaluate(EXPLORER_OUTPUT_JS, explorer.cell)
    figure = explorer.figure()
    assert output["mimetypes"] == [["application/vnd.jupyter.widget-view+json", "image/png", "text/plain"]], output
    assert output["text"] == ["interactive explorer: run this notebook in JupyterLab to move the sliders"]
    assert output["pngMetadata"] == [{"width": figure["naturalWidth"] // 2, "height": figure["naturalHeight"] // 2}]
    assert output["widgets"] == 1 and output["renderedImages"] == 0, f"JupyterLab shows more than the widget: {output}"
    assert "interactive explorer" not in output["shownText"]
    assert len(explorer.images(explorer.cell)) == 1


def _parse_readout(text: str) -> list[float]:
    return [float(part.replace("\u2212", "-")) for part in text.split(" \u2013 ")]


def _assert_readouts_legible(readouts: list[dict]) -> None:
    for r in readouts:
        assert r["scrollWidth"] <= r["clientWidth"], f"readout of {r['description']!r} is cut off: {r}"
        assert r["labelScroll"] <= r["labelClient"], f"description {r['description']!r} is cut off: {r}"
        shown, values = _parse_readout(r["text"]), [float(v) for v in r["values"]]  # values: the handles'
        assert shown == pytest.approx(values, rel=1e-9, abs=1e-9), f"the readout rounds the value away: {r}"


def test_every_readout_shows_its_whole_value_at_both_ends_of_every_slider(explorer):
    readouts = explorer.readouts()
    print(f"\n{explorer.path.name} dpr {explorer.scale}: readouts {[(r['text'], r['clientWidth']) for r in readouts]}")
    _assert_readouts_legible(readouts)
    for slider, readout in enumerate(explorer.readouts()):
        for handle, key in [(0, "Home"), (len(readout["values"]) - 1, "End")]:
            explorer.move(slider, handle, key)
            _assert_readouts_legible(explorer.readouts())
            _assert_natural_size(explorer.figure(), explorer.scale)
    readouts = explorer.readouts()
    print(f"{explorer.path.name} dpr {explorer.scale}: at the ends {[(r['text'], r['clientWidth']) for r in readouts]}")
    explorer.screenshot("_ends")


def test_moving_a_slider_changes_the_plot(explorer):
    explorer.move(0, 0, "Home")  # from a known end: the previous test may have left the slider at its maximum
    before_value, before = explorer.readouts()[0]["text"], explorer.figure()
    for _ in range(5):
        explorer.output.locator(".widget-slider").first.locator(".noUi-handle").first.press("ArrowRight")
    after = explorer.wait_for_figure(before["src"])
    after_value = explorer.readouts()[0]["text"]
    explorer.screenshot("_moved")
    assert after_value != before_value, "the slider's value did not change"
    assert after["src"] != before["src"], "the plot did not change after the slider moved"
    _assert_natural_size(after, explorer.scale)
