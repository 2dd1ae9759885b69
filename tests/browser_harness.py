"""The machinery of tests/test_browser.py: JupyterLab pages in headless Chromium (playwright).

``Tab`` is one browser context (a viewport of 1400 x 1000 CSS pixels at a chosen devicePixelRatio)
that records every URL its page requests; ``open_and_run`` opens a notebook in its own workspace and
runs all cells; ``ExplorerTab`` measures a notebook's explorer widget (helpers.widgets). The snippets
of JavaScript read JupyterLab's own model (``window.jupyterapp``, exposed by
``--LabApp.expose_app_in_browser``) and the page.
"""

from __future__ import annotations

import json
import os
import re
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import ROOT

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
ARTIFACTS = ROOT / "artifacts" / "browser"
RUN_TIMEOUT_MS = 180_000
VIEWPORT = {"width": 1400, "height": 1000}
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"

RESTORED_JS = "async () => { await window.jupyterapp.restored; return true; }"

NOTIFICATIONS_JS = """() => {
  const status = document.querySelector('.jp-Notification-Status-Text');
  return {
    toasts: [...document.querySelectorAll('.Toastify__toast')].map(e => e.innerText),
    count: status ? status.innerText.trim() : null,
    newsQuestion: document.body.innerText.includes('official Jupyter news'),
  };
}"""

KERNEL_IDLE_JS = """() => {
  const app = window.jupyterapp;
  const panel = app && app.shell.currentWidget;
  const kernel = panel && panel.sessionContext && panel.sessionContext.session
    && panel.sessionContext.session.kernel;
  return Boolean(kernel && kernel.status === 'idle' && panel.context.isReady && panel.content.model);
}"""

RUN_ALL_JS = """async () => {
  const app = window.jupyterapp;
  await app.commands.execute('notebook:clear-all-cell-outputs');
  app.commands.execute('notebook:run-all-cells');
  return true;
}"""

# Done when the last code cell has run, or when an untagged error stopped the run; and the kernel is idle.
RUN_FINISHED_JS = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const cells = panel.content.model.cells;
  let last = null, stopped = false;
  for (let i = 0; i < cells.length; i++) {
    const cell = cells.get(i);
    if (cell.type !== 'code') continue;
    last = cell;
    const tags = cell.getMetadata('tags') || [];
    const failed = cell.outputs.toJSON().some(o => o.output_type === 'error');
    if (failed && !tags.includes('raises-exception')) stopped = true;
  }
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  return Boolean(kernel && kernel.status === 'idle' && (stopped || (last && last.executionCount !== null)));
}"""

CELLS_JS = """() => {
  const cells = window.jupyterapp.shell.currentWidget.content.model.cells;
  const result = [];
  for (let i = 0; i < cells.length; i++) {
    const cell = cells.get(i);
    if (cell.type !== 'code') continue;
    const outputs = cell.outputs.toJSON();
    result.push({
      index: i,
      tags: cell.getMetadata('tags') || [],
      count: cell.executionCount,
      errors: outputs.filter(o => o.output_type === 'error').map(o => o.ename + ': ' + o.evalue),
    });
  }
  return result;
}"""

# The <img> of cell `index`'s outputs: its CSS box and its pixels.
IMAGES_JS = """(index) => {
  const cell = window.jupyterapp.shell.currentWidget.content.widgets[index];
  return [...cell.node.querySelectorAll('.jp-OutputArea-output img')].map(img => {
    const box = img.getBoundingClientRect();
    return {width: box.width, height: box.height, naturalWidth: img.naturalWidth,
            naturalHeight: img.naturalHeight, widget: img.classList.contains('widget-image'),
            complete: img.complete, src: img.src};
  });
}"""

# What the explorer cell's output holds (the model) and shows (the page).
EXPLORER_OUTPUT_JS = """(index) => {
  const cell = window.jupyterapp.shell.currentWidget.content.widgets[index];
  const outputs = cell.model.outputs.toJSON();
  return {
    mimetypes: outputs.map(o => Object.keys(o.data || {}).sort()),
    text: outputs.map(o => (o.data || {})['text/plain']),
    pngMetadata: outputs.map(o => (o.metadata || {})['image/png'] || null),
    renderedImages: cell.node.querySelectorAll('.jp-RenderedImage').length,
    widgets: cell.node.querySelectorAll('.widget-vbox').length,
    shownText: cell.node.querySelector('.jp-OutputArea').innerText,
  };
}"""

# Every slider readout of cell `index`: its text, whether it overflows, and its handles' values.
READOUTS_JS = """(index) => {
  const cell = window.jupyterapp.shell.currentWidget.content.widgets[index];
  return [...cell.node.querySelectorAll('.widget-slider')].map(slider => {
    const readout = slider.querySelector('.widget-readout');
    const label = slider.querySelector('.widget-label');
    return {
      description: label.innerText, labelScroll: label.scrollWidth, labelClient: label.clientWidth,
      text: readout.innerText, scrollWidth: readout.scrollWidth, clientWidth: readout.clientWidth,
      values: [...slider.querySelectorAll('.noUi-handle')].map(h => h.getAttribute('aria-valuetext')),
    };
  });
}"""


def chromium_or_skip() -> str:
    if Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK):
        return CHROMIUM
    reason = f"Chromium not found at {CHROMIUM} (install Debian's chromium or set CHROMIUM_PATH)"
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI requires the browser test")
    print(f"\nSKIP browser test: {reason}")
    pytest.skip(reason)


@contextmanager
def chromium() -> Iterator:
    """Headless Chromium (Debian's, or ``$CHROMIUM_PATH``) driven by playwright, for a module's tests."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_or_skip(), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def lab_env(tmp: Path, settings: dict[str, dict]) -> dict[str, str]:
    """A first start: fresh user settings (only ``settings``) and workspaces, no user-level Jupyter config."""
    settings_dir = tmp / "settings"
    settings_dir.mkdir(parents=True, exist_ok=True)
    for name, value in settings.items():
        target = settings_dir / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(value))
    (tmp / "config").mkdir(exist_ok=True)
    return {"JUPYTERLAB_SETTINGS_DIR": str(settings_dir), "JUPYTERLAB_WORKSPACES_DIR": str(tmp / "workspaces"),
            "JUPYTER_CONFIG_DIR": str(tmp / "config")}


def shutdown_kernel(lab, name: str) -> None:
    """Stop the kernel of notebook ``name``, so the next test starts on a quiet machine."""
    headers = {"Authorization": f"token {lab.token}"}
    with urllib.request.urlopen(urllib.request.Request(f"{lab.base}/api/sessions", headers=headers)) as response:
        sessions = json.load(response)
    for session in sessions:
        if session["path"] == name and session.get("kernel"):
            url = f"{lab.base}/api/kernels/{session['kernel']['id']}"
            urllib.request.urlopen(urllib.request.Request(url, headers=headers, method="DELETE")).close()


class Tab:
    """One browser context and page on the lab, recording every URL the page requests."""

    def __init__(self, browser, scale: int = 1):
        self.context = browser.new_context(viewport=VIEWPORT, device_scale_factor=scale)
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.restored_at: float | None = None

    def open(self, url: str) -> None:
        self.page.goto(url, wait_until="domcontentloaded")
        self.page.wait_for_function("() => Boolean(window.jupyterapp)", timeout=RUN_TIMEOUT_MS)
        self.page.evaluate(RESTORED_JS)
        self.restored_at = time.monotonic()

    def close(self) -> None:
        self.context.close()


def open_and_run(browser, lab, name: str, workspace: str, scale: int = 1) -> Tab:
    """Open ``name`` alone in its own workspace (no tabs restored from other tests) and Run All."""
    tab = Tab(browser, scale)
    tab.open(f"{lab.base}/lab/workspaces/{workspace}/tree/{name}?token={lab.token}")
    tab.page.wait_for_function(KERNEL_IDLE_JS, timeout=RUN_TIMEOUT_MS)
    tab.page.evaluate(RUN_ALL_JS)
    tab.page.wait_for_function(RUN_FINISHED_JS, timeout=RUN_TIMEOUT_MS, polling=250)
    return tab


def explorer_cells(path: Path) -> tuple[int, int] | None:
    """``(explorer cell, static figure cell)``: the code cell calling ``X_explorer(`` and the first one
    calling ``X_figure(`` (the same figure drawn by the inline backend; -1 if none), or None."""
    cells = json.loads(path.read_text())["cells"]
    sources = ["".join(c["source"]) if c["cell_type"] == "code" else "" for c in cells]

    def calling(name: str) -> list[int]:
        call = re.compile(rf"^(?!\s*(from|import)\s).*\b{re.escape(name)}\(", re.M)
        return [i for i, source in enumerate(sources) if call.search(source)]

    for i, source in enumerate(sources):
        match = re.search(r"\b(\w+)_explorer\(", source)
        if match and i in calling(match.group(0)[:-1]):
            static = calling(f"{match.group(1)}_figure")
            return i, static[0] if static else -1
    return None


class ExplorerTab:
    """A notebook with an explorer, run to the end: ``cell`` is the explorer's index, ``static`` the
    static figure's."""

    def __init__(self, browser, lab, path: Path, scale: int):
        self.path, self.scale = path, scale
        self.cell, self.static = explorer_cells(path)
        self.tab = open_and_run(browser, lab, path.name, workspace=f"explorer-{path.stem}-{scale}", scale=scale)
        self.page = self.tab.page
        self.output = self.page.locator(f"{PANEL} .jp-Cell").nth(self.cell).locator(".jp-OutputArea-output")
        image = self.output.locator("img.widget-image")
        image.wait_for(timeout=30_000)
        image.scroll_into_view_if_needed()
        self.wait_for_figure()

    def images(self, index: int) -> list[dict]:
        return self.page.evaluate(IMAGES_JS, index)

    def figure(self) -> dict:
        (image,) = [i for i in self.images(self.cell) if i["widget"]]
        return image

    def wait_for_figure(self, previous_src: str | None = None) -> dict:
        """The explorer's figure once loaded (and, given ``previous_src``, replaced) and the kernel idle."""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            figure = self.figure()
            if figure["complete"] and figure["naturalWidth"] and figure["src"] != previous_src:
                self.page.wait_for_function(KERNEL_IDLE_JS, timeout=RUN_TIMEOUT_MS)
                if self.figure()["src"] == figure["src"]:
                    return figure
            self.page.wait_for_timeout(250)
        raise AssertionError(f"the explorer's figure did not change from {previous_src}")

    def readouts(self) -> list[dict]:
        return self.page.evaluate(READOUTS_JS, self.cell)

    def move(self, slider: int, handle: int, key: str) -> bool:
        """Press ``key`` on a slider's handle; if its value changed, wait for the new figure."""
        before_text, before_src = self.readouts()[slider]["text"], self.figure()["src"]
        self.output.locator(".widget-slider").nth(slider).locator(".noUi-handle").nth(handle).press(key)
        if self.readouts()[slider]["text"] == before_text:
            return False
        self.wait_for_figure(before_src)
        return True

    def screenshot(self, suffix: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.output.locator(".widget-vbox").first.screenshot(
            path=str(ARTIFACTS / f"{self.path.stem}_explorer_dpr{self.scale}{suffix}.png"))
