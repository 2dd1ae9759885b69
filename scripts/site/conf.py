"""Sphinx configuration of the series' website (``make site``; scripts/build_site.py).

Static settings only. What depends on the build (the repository, the pages' launch and download links)
comes from scripts/build_site.py through ``confoverrides``: ``series_pages`` and the theme's
``repository_url``. Nothing here is fetched from the web: the theme, its fonts and icons come from the
installed packages, and MathJax from the ``sphinx-mathjax-offline`` package (series_site.py copies it).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

project = "PyTorch activation and loss functions"
author = "the series' authors"
copyright = "the series' authors, MIT licence"
html_title = "PyTorch activation and loss functions"

extensions = ["myst_nb", "series_site"]

# The notebooks are rendered as stored: nbval has already checked every output.
nb_execution_mode = "off"
nb_output_stderr = "show"
# No ipywidgets JavaScript from a CDN: explorer cells show their figure and a note instead.
nb_ipywidgets_js = {}
nb_merge_streams = False

myst_enable_extensions = ["dollarmath", "amsmath"]
# `$$...$$` inside a paragraph is display math, as in JupyterLab (05 section 3 writes it so).
myst_dmath_double_inline = True
# Heading anchors as JupyterLab makes them (spaces become '-'), so that the notebooks' own links
# (04_reduction.ipynb#4.-Weighted-means-are-not-plain-means) resolve on the site too.
myst_heading_anchors = 6
myst_heading_slug_func = "series_site.jupyter_anchor"

root_doc = "index"
exclude_patterns = ["_build", "**.ipynb_checkpoints"]

html_theme = "sphinx_book_theme"
html_theme_options = {
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
    "use_download_button": False,  # the page's own bar offers the .ipynb and the student edition
    "use_fullscreen_button": False,
    "use_repository_button": True,
    "repository_url": "",  # set by build_site.py
    "repository_branch": "main",
    "path_to_docs": "",
    "launch_buttons": {},
    "navigation_with_keys": False,
}
# The theme's colour mode on the first visit (the reader can switch); without it the theme's script
# logs an error ("invalid theme mode").
html_context = {"default_mode": "light"}
html_static_path = ["static"]
html_css_files = ["series.css"]
html_favicon = "static/favicon.svg"  # a ReLU; without an icon the browser asks for /favicon.ico (404)
html_copy_source = False
html_use_index = False  # no API to index: no empty "Index" page
html_show_sourcelink = False
html_last_updated_fmt = None
html_permalinks_icon = "#"

# MathJax 3 served from the site itself (series_site.py copies the files into _static/mathjax/):
# the startup loader, TeX input and CommonHTML output with its woff fonts, and the assistive MathML
# that screen readers use. No menu and no speech engine (they carry CDN addresses for optional data).
mathjax_path = "mathjax/startup.js"
mathjax3_config = {
    "loader": {"load": ["input/tex", "output/chtml", "a11y/assistive-mml"]},
}
