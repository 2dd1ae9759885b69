"""The series' website (``make site``, build/site/) as a reader meets it: headless Chromium, local server.

build/site/ is served from a threaded HTTP server on 127.0.0.1 started here; every page is opened and
must: load with no console error and no request that leaves 127.0.0.1 (no CDN, font or theme from the
web); show its mathematics typeset by MathJax (no raw ``$$``, ``\\frac`` or ``\\(`` left in the text);
load every image; link only to internal pages and anchors that exist; fit a 390 px wide phone screen
without horizontal page scroll. Each notebook page must show every figure of the notebook, label each
intended error, replace each explorer widget by its note, and carry a Binder launch button for that very
notebook and its ``.ipynb``, and lead to the previous and next pages in series order. The search page
must find a word. A full-page screenshot of each page (and one at phone width) goes to artifacts/site/
(not committed).

``make browser`` builds the site first (``make site``); run alone, this test builds it when it is
missing. Chromium as in tests/test_browser.py (tests/browser_harness.py): skipped with the reason when absent, a failure under CI.
"""

from __future__ import annotations

import functools
import html
import json
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from browser_harness import chromium, chromium_or_skip

from conftest import NOTEBOOK_PATHS, ROOT

pytestmark = pytest.mark.browser

SITE = ROOT / "build" / "site"
ARTIFACTS = ROOT / "artifacts" / "site"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
NOTEBOOK_PAGES = [f"notebooks/{p.stem}.html" for p in NOTEBOOK_PATHS]
PAGES = ["index.html", *NOTEBOOK_PAGES, "search.html"]
RAW_MATH = re.compile(r"\$\$|\\frac|\\\(|\\\)|\\\[|\\begin\{|\\mathrm|\\left")
RAW_ANSI = re.compile(r"\x1b\[|\[0;3\dm|\[1;3\dm|\[0m")
BINDER = re.compile(r"https://mybinder\.org/v2/gh/[^/?#]+/[^/?#]+/[^?#]+\?urlpath=lab/tree/notebooks/(.+\.ipynb)")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

MATHJAX_DONE_JS = """async () => {
  if (!window.MathJax) return 'no MathJax';
  for (let i = 0; i < 200 && !(MathJax.startup && MathJax.startup.promise); i++)
    await new Promise(r => setTimeout(r, 50));
  if (!(MathJax.startup && MathJax.startup.promise)) return 'MathJax did not start';
  await MathJax.startup.promise;
  return 'typeset';
}"""

IMAGES_JS = """async () => {
  const images = Array.from(document.images);
  images.forEach(img => { img.loading = 'eager'; });
  await Promise.all(images.map(img => img.decode().catch(() => null)));
  return images.map(img => ({src: img.getAttribute('src'), width: img.naturalWidth, inOutput:
    Boolean(img.closest('.cell_output'))}));
}"""

# Whether the page scrolls sideways; if it does, which element makes it: hide one child after the other,
# from <body> down, and follow the one whose hiding ends the overflow (code blocks, tables and display
# math scroll inside themselves and do not count).
OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = () => document.documentElement.scrollWidth > width;
  const result = {scrollWidth: document.documentElement.scrollWidth, width, culprit: []};
  for (let node = document.body; node && scrolls() && result.culprit.length < 30; ) {
    let next = null;
    for (const child of node.children) {
      const display = child.style.display;
      child.style.display = 'none';
      const fixed = !scrolls();
      child.style.display = display;
      if (fixed) { next = child; break; }
    }
    if (next) result.culprit.push(next.tagName.toLowerCase() + (next.className ? '.' + next.className : ''));
    node = next;
  }
  return result;
}"""


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # one line per request would drown pytest's output
        pass


@pytest.fixture(scope="module")
def site():
    chromium_or_skip()
    if not (SITE / "index.html").is_file():
        from build_site import build_site

        print("\nbuild/site/ is missing: building it (make site does this before make browser)")
        build_site(SITE)
    return SITE


@pytest.fixture(scope="module")
def server(site):
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser(server):
    with chromium() as launched:
        yield launched


@functools.cache
def _fetch(url: str) -> tuple[int, str]:
    """(HTTP status, text for HTML pages) of a URL on the local server."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            body = response.read()
            is_html = response.headers.get_content_type() == "text/html"
            return response.status, body.decode("utf-8") if is_html else ""
    except urllib.error.HTTPError as error:
        return error.code, ""


def _ids(page_html: str) -> set[str]:
    return {html.unescape(m) for m in re.findall(r'\s(?:id|name)="([^"]*)"', page_html)}


class Visit:
    """One page opened in Chromium, with what it logged and requested."""

    def __init__(self, browser, url: str, viewport: dict) -> None:
        self.errors: list[str] = []
        self.external: list[str] = []
        self.page = browser.new_page(viewport=viewport)
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.route("**/*", self._route)
        self.page.goto(url, wait_until="load")
        self.mathjax = self.page.evaluate(MATHJAX_DONE_JS)

    def _route(self, route) -> None:
        host = urllib.parse.urlsplit(route.request.url).hostname
        if host in ("127.0.0.1", None) or route.request.url.startswith(("data:", "blob:", "about:")):
            route.continue_()
        else:
            self.external.append(route.request.url)
            route.abort()

    def close(self) -> None:
        self.page.close()


def _stored(page: str) -> dict:
    return json.loads((ROOT / page.replace(".html", ".ipynb")).read_text(encoding="utf-8"))


def _outputs(nb: dict):
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            yield cell, output


def _check_links(visit: Visit, url: str, server: str) -> list[str]:
    """Every same-site link answers 200 and its anchor exists; returns what is broken."""
    broken = []
    links = visit.page.eval_on_selector_all("a[href]", "els => els.map(a => a.href)")
    own_ids = set(visit.page.eval_on_selector_all("[id], a[name]", "els => els.map(e => e.id || e.name)"))
    for link in sorted(set(links)):
        target, _, fragment = link.partition("#")
        fragment = urllib.parse.unquote(fragment)
        if not target.startswith(server):
            continue  # another site (Binder, GitHub): not fetched, the test stays offline
        if target == url.partition("#")[0]:
            if fragment and fragment not in own_ids:
                broken.append(f"{link}: no element with id {fragment!r} on this page")
            continue
        status, text = _fetch(target)
        if status != 200:
            broken.append(f"{link}: HTTP {status}")
        elif fragment and fragment not in _ids(text):
            broken.append(f"{link}: no element with id {fragment!r} there")
    return broken


PAGE_FACTS_JS = """() => {
  const href = selector => { const a = document.querySelector(selector); return a ? a.href : null; };
  return {
    math: Array.from(document.querySelectorAll('.math')).map(e => Boolean(e.querySelector('mjx-container'))),
    figures: document.querySelectorAll('.cell_output img').length,
    labels: document.querySelectorAll('.intended-error-label').length,
    tracebacks: document.querySelectorAll('.cell_output .traceback').length,
    notes: Array.from(document.querySelectorAll('.series-explorer')).map(e => e.innerText),
    widgetBoxes: document.querySelectorAll(".jupyter-widgets, script[type*='widget']").length,
    launch: (document.querySelector('a.series-launch') || {getAttribute: () => null}).getAttribute('href'),
    download: href('a.series-download'),
    home: href('a.series-home'),
    previous: href('.prev-next-area a.left-prev'),
    next: href('.prev-next-area a.right-next'),
  };
}"""


@pytest.fixture(scope="module")
def desktop(browser, server):
    """Each page opened once at desktop width: what the tests below read from it, and its screenshot."""
    seen: dict[str, dict] = {}

    def open_page(page: str) -> dict:
        if page not in seen:
            url = server + page
            visit = Visit(browser, url, DESKTOP)
            try:
                facts = visit.page.evaluate(PAGE_FACTS_JS)
                facts.update(text=visit.page.inner_text("body"), images=visit.page.evaluate(IMAGES_JS),
                             broken=_check_links(visit, url, server), mathjax=visit.mathjax)
                ARTIFACTS.mkdir(parents=True, exist_ok=True)
                shot = page.replace("/", "_").replace(".html", "")
                visit.page.screenshot(path=str(ARTIFACTS / f"{shot}.png"), full_page=True)
            finally:
                visit.close()
            facts.update(errors=visit.errors, external=visit.external)
            seen[page] = facts
        return seen[page]

    return open_page


@pytest.mark.parametrize("page", PAGES)
def test_page_loads_typesets_its_math_and_links_only_to_what_exists(desktop, page):
    facts = desktop(page)
    text, math, images = facts["text"], facts["math"], facts["images"]
    assert not facts["errors"], f"console errors: {facts['errors']}"
    assert not facts["external"], f"requests that leave the site: {facts['external']}"
    assert not RAW_MATH.search(text), f"raw TeX in the text: {RAW_MATH.search(text).group()!r}"
    assert not RAW_ANSI.search(text), "raw ANSI escape sequences in the text"
    assert all(math), f"{math.count(False)} of {len(math)} math elements not typeset by MathJax"
    if page in NOTEBOOK_PAGES and "$" in json.dumps(_stored(page)):
        assert facts["mathjax"] == "typeset" and math, "a notebook with mathematics shows no typeset math"
    assert not [i for i in images if i["width"] == 0], f"images not loaded: {[i for i in images if not i['width']]}"
    assert not facts["broken"], "broken internal links:\n" + "\n".join(facts["broken"])


@pytest.mark.parametrize("page", NOTEBOOK_PAGES)
def test_notebook_page_shows_the_notebook_its_links_and_the_previous_and_next_pages(desktop, server, page):
    nb = _stored(page)
    figures = sum("image/png" in o.get("data", {}) for _, o in _outputs(nb))
    intended = sum(o["output_type"] == "error" for c, o in _outputs(nb)
                   if "raises-exception" in c["metadata"].get("tags", []))
    widgets = sum(WIDGET_VIEW in o.get("data", {}) for _, o in _outputs(nb))
    facts = desktop(page)
    name = page.split("/")[-1].replace(".html", ".ipynb")
    assert facts["figures"] == figures, f"{facts['figures']} figures shown, the notebook has {figures}"
    assert facts["labels"] == intended == facts["tracebacks"], (
        f"{facts['labels']} labels, {facts['tracebacks']} tracebacks, {intended} intended errors")
    assert len(facts["notes"]) == widgets, f"{len(facts['notes'])} explorer notes for {widgets} widgets"
    assert all("Binder" in n and "make lab" in n for n in facts["notes"])
    assert facts["widgetBoxes"] == 0 and "VBox(children" not in facts["text"], "an empty widget box is on the page"
    match = BINDER.fullmatch(facts["launch"] or "")
    assert match and match.group(1) == name, f"the launch button opens {facts['launch']!r}, not {name}"
    download = facts["download"] or ""
    assert download.endswith(f"/notebooks/{name}")
    with urllib.request.urlopen(download) as response:
        assert response.read() == (ROOT / "notebooks" / name).read_bytes(), "the download is not the stored notebook"
    assert facts["home"] == server + "index.html"
    index = NOTEBOOK_PAGES.index(page)
    assert facts["previous"] == server + (NOTEBOOK_PAGES[index - 1] if index else "index.html")
    assert facts["next"] == (server + NOTEBOOK_PAGES[index + 1] if index + 1 < len(NOTEBOOK_PAGES) else None)


@pytest.mark.parametrize("page", ["index.html", *NOTEBOOK_PAGES])
def test_page_fits_a_phone_screen_without_horizontal_scroll(browser, server, page):
    visit = Visit(browser, server + page, PHONE)
    try:
        result = visit.page.evaluate(OVERFLOW_JS)
        shot = page.replace("/", "_").replace(".html", "")
        visit.page.screenshot(path=str(ARTIFACTS / f"{shot}-phone.png"))
    finally:
        visit.close()
    assert result["scrollWidth"] <= result["width"], (
        f"the page is {result['scrollWidth']} px wide at 390 px, because of: {' > '.join(result['culprit'])}")


def test_every_page_of_the_site_is_tested(site):
    built = {p.relative_to(site).as_posix() for p in site.rglob("*.html") if "_static" not in p.parts}
    assert built == set(PAGES)


def test_search_finds_a_word_across_the_site(browser, server):
    visit = Visit(browser, server + "search.html?q=logsumexp", DESKTOP)
    try:
        visit.page.wait_for_selector("#search-results ul.search li", timeout=20_000)
        hits = visit.page.eval_on_selector_all("#search-results ul.search li a", "els => els.map(a => a.href)")
        visit.page.screenshot(path=str(ARTIFACTS / "search.png"), full_page=True)
    finally:
        visit.close()
    assert not visit.errors, f"console errors: {visit.errors}"
    assert any("03_softmax.html" in h for h in hits), f"'logsumexp' did not find notebook 03: {hits}"
