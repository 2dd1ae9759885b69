"""A small Sphinx extension for the series' website (scripts/build_site.py, ``make site``).

- Heading anchors as JupyterLab makes them (``jupyter_anchor``), so the notebooks' links resolve.
- On every notebook page, a bar with the page's links: the site's home, a Binder launch button that
  opens this notebook in JupyterLab, the ``.ipynb`` download, the student edition (when built) and the
  source on GitHub (``series_pages``, written by build_site.py).
- The error output of a cell tagged ``raises-exception`` gets a visible label: the error is intended.
- MathJax is copied from the ``sphinx-mathjax-offline`` package into ``_static/mathjax/``: only the
  files the pages load (startup, TeX input, CommonHTML output and its fonts, assistive MathML).
"""

from __future__ import annotations

import html
import importlib.metadata
import shutil
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

INTENDED_ERROR_LABEL = "Intended error: this cell shows the error on purpose."
MATHJAX_DISTRIBUTION = "sphinx-mathjax-offline"
MATHJAX_FILES = (
    "startup.js",
    "core.js",
    "input/tex.js",
    "input/tex/extensions",
    "output/chtml.js",
    "output/chtml/fonts",
    "a11y/assistive-mml.js",
)


def jupyter_anchor(title: str) -> str:
    """The anchor JupyterLab gives a heading: its text with each space replaced by '-'."""
    return title.strip().replace(" ", "-")


def mathjax_source() -> Path:
    """The MathJax 3 tree that the ``sphinx-mathjax-offline`` package ships."""
    dist = importlib.metadata.distribution(MATHJAX_DISTRIBUTION)
    path = Path(str(dist.locate_file("sphinx-mathjax-offline/static/mathjax")))
    if not (path / "startup.js").is_file():
        raise FileNotFoundError(f"{MATHJAX_DISTRIBUTION}: no MathJax startup.js under {path}")
    return path


def copy_mathjax(app: Sphinx, exception: Exception | None) -> None:
    """Copy the MathJax files the pages load into ``_static/mathjax/`` of a successful HTML build."""
    if exception is not None or app.builder.format != "html":
        return
    source, target = mathjax_source(), Path(app.outdir) / "_static" / "mathjax"
    for name in MATHJAX_FILES:
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        if (source / name).is_dir():
            shutil.copytree(source / name, target / name, dirs_exist_ok=True)
        else:
            shutil.copy2(source / name, target / name)


def label_intended_errors(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Put a visible label above each error output of a cell tagged ``raises-exception``."""
    for cell in list(doctree.findall(nodes.container)):
        if "tag_raises-exception" not in cell["classes"]:
            continue
        for output in list(cell.findall(lambda n: isinstance(n, nodes.Element) and "traceback" in n["classes"])):
            label = nodes.paragraph("", INTENDED_ERROR_LABEL, classes=["intended-error-label"])
            output.parent.insert(output.parent.index(output), label)
            output["classes"].append("intended-error")


def _link(href: str, text: str, css: str, *, download: bool = False) -> str:
    attribute = " download" if download else ""
    return f'<a class="{css}" href="{html.escape(href)}"{attribute}>{html.escape(text)}</a>'


def page_bar(links: dict[str, str], pathto: Any) -> str:
    """The bar at the top of a notebook page (``links``: one entry of ``series_pages``)."""
    items = [
        _link(pathto("index"), "Home: all notebooks", "series-home"),
        _link(links["binder"], "Launch on Binder (JupyterLab)", "series-launch"),
        _link(pathto(links["download"], 1), "Download .ipynb", "series-download", download=True),
    ]
    if links.get("student"):
        items.append(_link(pathto(links["student"], 1), "Student edition (exercises without solutions)",
                           "series-student", download=True))
    items.append(_link(links["source"], "Source on GitHub", "series-source"))
    return f'<nav class="series-bar" aria-label="This notebook">{" ".join(items)}</nav>\n'


def add_page_bar(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    links = app.config.series_pages.get(pagename)
    if links and "body" in context:
        context["body"] = page_bar(links, context["pathto"]) + context["body"]


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("series_pages", {}, "html", types=frozenset({dict}))
    app.connect("doctree-resolved", label_intended_errors)
    app.connect("html-page-context", add_page_bar)
    app.connect("build-finished", copy_mathjax)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
