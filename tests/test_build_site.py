"""``make site`` (scripts/build_site.py): the website of the series, from the notebooks as stored.

The pure parts (repository setting, links, home page, explorer outputs, the offline check) are tested on
small inputs; the build itself on a tiny series of three notebooks in a temporary folder: one build that
must succeed (and what its pages must hold), one that must fail on a missing image, a link to a missing
notebook and a link to a missing anchor. The full site is built by ``make site`` and checked in a
browser by tests/test_site_browser.py.
"""

from __future__ import annotations

import base64
import json
import re

import pytest
import yaml

from build_site import build_site  # first: it puts scripts/site/ (site_pages, site_check) on the path
from conftest import NOTEBOOK_PATHS, ROOT
from site_check import remote_resources
from site_pages import (
    HOME_SECTIONS,
    Repository,
    SiteBuildError,
    Stage,
    explorer_note,
    heading_anchors,
    home_markdown,
    link_targets,
    readme_sections,
    rewrite_links,
    site_outputs,
)

# Sphinx 9 deprecations inside myst-parser and sphinx-book-theme: theirs, not this project's.
pytestmark = pytest.mark.filterwarnings("ignore:.*is deprecated. Check CHANGES for Sphinx API")

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
REPO = Repository.parse("someone/tiny-series")


# --- the one setting: the repository ------------------------------------------------------------------

def test_repository_gives_binder_source_and_pages_addresses():
    repo = Repository.parse("Someone/tiny-series", "dev")
    assert repo.binder_url("notebooks/01_a.ipynb") == (
        "https://mybinder.org/v2/gh/Someone/tiny-series/dev?urlpath=lab/tree/notebooks/01_a.ipynb")
    assert repo.source_url("notebooks/01_a.ipynb") == "https://github.com/Someone/tiny-series/blob/dev/notebooks/01_a.ipynb"
    assert repo.pages_url == "https://Someone.github.io/tiny-series/"


@pytest.mark.parametrize("text", ["", "owner", "owner/", "/name", "a/b/c", "owner/na me", "https://github.com/a/b"])
def test_repository_that_is_not_owner_slash_name_is_refused(text):
    with pytest.raises(ValueError, match=r"repository must be 'owner/name'.*got"):
        Repository.parse(text)


@pytest.mark.parametrize("branch", ["", "a b", "main?x", "/main"])
def test_branch_that_cannot_be_in_a_binder_address_is_refused(branch):
    with pytest.raises(ValueError, match="branch must be"):
        Repository.parse("owner/name", branch)


def test_repository_that_is_not_a_string_is_a_type_error():
    with pytest.raises(TypeError, match="repository and branch must be str, got int"):
        Repository.parse(3)


def test_readme_binder_badge_and_site_link_name_the_default_repository():
    readme = (ROOT / "README.md").read_text()
    default = Repository.parse("OWNER/REPOSITORY")
    assert default.binder_url("notebooks") in readme
    assert default.pages_url in readme, "README must link to the site where the workflow publishes it"


# --- links ----------------------------------------------------------------------------------------------

def test_link_targets_keep_balanced_parentheses_and_tell_images():
    text = "See [x](03_softmax.ipynb#6d.-log_softmax-versus-log(softmax(x))), ![f](figures/f.png) and (y)."
    targets = [(text[a:b], image) for a, b, image in link_targets(text)]
    assert targets == [("03_softmax.ipynb#6d.-log_softmax-versus-log(softmax(x))", False), ("figures/f.png", True)]


def test_rewrite_links_changes_only_link_targets():
    text = "[a](x.md) and (x.md) and ![b](x.md)"
    assert rewrite_links(text, lambda t, image: ("img:" if image else "") + t.upper()) == (
        "[a](X.MD) and (x.md) and ![b](img:X.MD)")


def test_heading_anchors_map_github_anchors_to_the_sites():
    assert heading_anchors("# Title\n\n## The `make` notebooks\ntext ## not a heading") == {
        "title": "Title", "the-make-notebooks": "The-make-notebooks"}


def _stage(tmp_path, notebooks=("01_a.ipynb", "02_b.ipynb")) -> Stage:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "README.md").write_text("data")
    (tmp_path / "notebooks" / "figures").mkdir(parents=True)
    (tmp_path / "notebooks" / "figures" / "f.png").write_bytes(PNG)
    return Stage(tmp_path, tmp_path / "src", REPO, notebooks, {"notebooks": "Notebooks"})


@pytest.mark.parametrize(("target", "folder", "expected"), [
    ("../README.md#notebooks", "notebooks", "../index.md#Notebooks"),
    ("../README.md", "notebooks", "../index.md"),
    ("README.md#notebooks", "", "index.md#Notebooks"),
    ("02_b.ipynb#Section-two", "notebooks", "02_b.ipynb#Section-two"),
    ("notebooks/01_a.ipynb", "", "notebooks/01_a.ipynb"),
    ("data/README.md", "", "https://github.com/someone/tiny-series/blob/main/data/README.md"),
    ("../data/README.md#columns", "notebooks", "https://github.com/someone/tiny-series/blob/main/data/README.md#columns"),
    ("https://pytorch.org/docs", "notebooks", "https://pytorch.org/docs"),
    ("#Section-two", "notebooks", "#Section-two"),
    ("03_missing.ipynb", "notebooks", "03_missing.ipynb"),
])
def test_links_point_to_the_sites_pages_or_to_github(tmp_path, target, folder, expected):
    assert _stage(tmp_path).rewrite(target, False, folder) == expected


def test_an_image_of_the_repository_is_copied_into_the_site(tmp_path):
    stage = _stage(tmp_path)
    assert stage.rewrite("figures/f.png", True, "notebooks") == "figures/f.png"
    assert (tmp_path / "src" / "notebooks" / "figures" / "f.png").read_bytes() == PNG


# --- the home page --------------------------------------------------------------------------------------

def test_home_page_is_readmes_opening_and_its_notebook_table_not_a_copy():
    readme = (ROOT / "README.md").read_text()
    names = tuple(p.name for p in NOTEBOOK_PATHS)
    home = home_markdown(readme, names, REPO)
    opening, sections = readme_sections(readme)
    assert home.startswith(opening.rstrip())
    rows = [line for line in sections["Notebooks"].splitlines() if re.match(r"\| \d\d \| \[", line)]
    assert len(rows) == len(names) and all(row in home for row in rows)
    toc = re.search(r"```\{toctree\}\n(.*?)```", home, re.S).group(1)
    assert re.findall(r"notebooks/(\S+)", toc) == [p.stem for p in NOTEBOOK_PATHS]
    assert REPO.binder_url("notebooks") in home and REPO.pages_url in home


def test_home_page_needs_the_readmes_notebook_section():
    with pytest.raises(SiteBuildError, match="README.md has no section"):
        home_markdown("# Title\n\nText.\n\n## Other\n\nx\n", ("01_a.ipynb",), REPO)
    assert HOME_SECTIONS == ("Notebooks",)


# --- explorer widgets -----------------------------------------------------------------------------------

def _widget(png: bool) -> dict:
    data = {WIDGET_VIEW: {"model_id": "abc", "version_major": 2, "version_minor": 0}, "text/plain": ["VBox(...)"]}
    metadata = {}
    if png:
        data["image/png"] = base64.b64encode(PNG).decode()
        metadata = {"image/png": {"width": 1, "height": 1}}
    return {"output_type": "display_data", "data": data, "metadata": metadata}


def test_an_explorer_shows_its_figure_without_the_widget_view_or_its_text():
    stream = {"output_type": "stream", "name": "stdout", "text": "x\n"}
    outputs, widget, figure = site_outputs([stream, _widget(png=True)])
    assert widget and figure
    assert outputs[0] == stream and set(outputs[1]["data"]) == {"image/png"}


def test_an_explorer_without_a_figure_leaves_no_empty_box():
    outputs, widget, figure = site_outputs([_widget(png=False)])
    assert widget and not figure and outputs == []


def test_the_explorer_note_says_where_to_run_it():
    note = explorer_note(REPO.binder_url("notebooks/02_b.ipynb"), has_figure=False, index=3)
    assert "run this notebook to use it" in note["source"] and "`make lab`" in note["source"]
    assert REPO.binder_url("notebooks/02_b.ipynb") in note["source"]
    assert "appears when the notebook runs" in note["source"]
    assert "Above: its figure" in explorer_note("b", has_figure=True, index=3)["source"]


# --- nothing from another site --------------------------------------------------------------------------

def test_remote_resources_finds_scripts_styles_fonts_and_cdns(tmp_path):
    (tmp_path / "a.html").write_text(
        '<script src="https://cdn.example.org/x.js"></script><link rel="stylesheet" href="//fonts.example.com/c">'
        '<link rel="canonical" href="https://example.org/"><a href="https://github.com/">repo</a>'
        '<img src="notebooks/f.png"><img src="http://example.org/i.png"><style>@import url(https://e.org/s.css);</style>')
    (tmp_path / "s.css").write_text('@font-face { src: url("https://example.org/f.woff2") } .a { background: url(i.png) }')
    (tmp_path / "m.js").write_text('load("https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-chtml.js")')
    found = remote_resources(tmp_path)
    assert found == [
        "a.html: https://cdn.example.org/x.js", "a.html: //fonts.example.com/c", "a.html: http://example.org/i.png",
        "a.html: https://e.org/s.css", "a.html: https://cdn.example.org/x.js",
        "m.js: https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-chtml.js", "s.css: https://example.org/f.woff2",
    ]


# --- the build, on a tiny series ------------------------------------------------------------------------

def _notebook(*cells: dict) -> dict:
    return {"cells": list(cells), "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
            "language": "python"}}, "nbformat": 4, "nbformat_minor": 5}


def _md(source: str, n: int) -> dict:
    return {"cell_type": "markdown", "id": f"md{n}", "metadata": {}, "source": source}


def _code(source: str, n: int, outputs: list, tags: tuple[str, ...] = ()) -> dict:
    return {"cell_type": "code", "id": f"code{n}", "execution_count": n, "metadata": {"tags": list(tags)},
            "outputs": outputs, "source": source}


TRACEBACK = ["\x1b[0;31m---------------------------------------------------------------------------\x1b[0m",
             "\x1b[0;31mValueError\x1b[0m: bad value"]


def _tiny_series(root, extra_cells: tuple[dict, ...] = ()):
    (root / "notebooks" / "figures").mkdir(parents=True)
    (root / "notebooks" / "figures" / "f.png").write_bytes(PNG)
    (root / "data").mkdir()
    (root / "data" / "README.md").write_text("data\n")
    (root / "README.md").write_text(
        "# Tiny series\n\nA series for the tests, with $x^2$.\n\n![a figure](notebooks/figures/f.png)\n\n"
        "## Two commands\n\nNot on the site.\n\n## Notebooks\n\n| # | notebook | what you learn | run time |\n"
        "|---|---|---|---:|\n| 01 | [A](notebooks/01_a.ipynb) | a | 1 s |\n| 02 | [B](notebooks/02_b.ipynb) | b | 2 s |\n\n"
        "The data: [data/README.md](data/README.md).\n")
    first = _notebook(
        _md("# 01 · A\n\n[Index](../README.md#notebooks) · Next: [02 B](02_b.ipynb#2.-Section-two)\n\n"
            "$$\\frac{1}{2}$$ and $\\sigma(x)$.", 1),
        _code("print('out')", 1, [{"output_type": "stream", "name": "stdout", "text": "out\n"}]),
        _code("raise ValueError('bad value')", 2,
              [{"output_type": "error", "ename": "ValueError", "evalue": "bad value", "traceback": TRACEBACK}],
              tags=("raises-exception",)),
        _code("explorer()", 3, [_widget(png=True)], tags=("nbval-ignore-output",)),
        _code("explorer()", 4, [_widget(png=False)], tags=("nbval-ignore-output",)),
    )
    second = _notebook(_md("# 02 · B\n\n[Index](../README.md#notebooks)\n\n## 2. Section two\n\nText.", 1),
                       *extra_cells)
    (root / "notebooks" / "01_a.ipynb").write_text(json.dumps(first))
    (root / "notebooks" / "02_b.ipynb").write_text(json.dumps(second))


def _student(nb: dict) -> dict:
    return {**nb, "cells": nb["cells"][:1]}


@pytest.fixture(scope="module")
def tiny_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("tiny")
    _tiny_series(root)
    build_site(root / "site", root=root, repository=REPO, jobs=1, student=_student)
    return root


def test_tiny_site_has_a_home_page_and_one_page_per_notebook(tiny_site):
    site = tiny_site / "site"
    pages = {p.relative_to(site).as_posix() for p in site.rglob("*.html") if "_static" not in p.parts}
    assert pages == {"index.html", "search.html", "notebooks/01_a.html", "notebooks/02_b.html"}
    home = (site / "index.html").read_text()
    assert "A series for the tests" in home and "Not on the site." not in home
    assert 'href="notebooks/01_a.html"' in home and 'href="notebooks/02_b.html"' in home
    assert 'href="https://github.com/someone/tiny-series/blob/main/data/README.md"' in home
    assert re.search(r'<img[^>]+src="_images/f\.png"', home)


def test_tiny_site_notebook_page_links_launch_download_student_source_and_home(tiny_site):
    site = tiny_site / "site"
    page = (site / "notebooks" / "01_a.html").read_text()
    binder = REPO.binder_url("notebooks/01_a.ipynb")
    assert f'class="series-launch" href="{binder}"' in page
    assert 'class="series-download" href="01_a.ipynb" download' in page
    assert 'class="series-student" href="../student/01_a.ipynb" download' in page
    assert f'class="series-source" href="{REPO.source_url("notebooks/01_a.ipynb")}"' in page
    assert 'class="series-home" href="../index.html"' in page
    assert (site / "notebooks" / "01_a.ipynb").read_bytes() == (tiny_site / "notebooks" / "01_a.ipynb").read_bytes()
    assert json.loads((site / "student" / "01_a.ipynb").read_text()) == _student(
        json.loads((tiny_site / "notebooks" / "01_a.ipynb").read_text()))


def test_tiny_site_resolves_links_to_readme_and_to_jupyterlab_anchors(tiny_site):
    page = (tiny_site / "site" / "notebooks" / "01_a.html").read_text()
    assert 'href="../index.html#notebooks"' in page
    assert 'href="02_b.html#section-two"' in page
    assert 'id="2.-Section-two"' in (tiny_site / "site" / "notebooks" / "02_b.html").read_text()


def test_tiny_site_labels_intended_errors_and_strips_ansi_codes(tiny_site):
    page = (tiny_site / "site" / "notebooks" / "01_a.html").read_text()
    assert page.count('class="intended-error-label"') == 1
    assert "ValueError" in page and "\x1b" not in page and "[0;31m" not in page


def test_tiny_site_shows_explorers_as_figure_and_note_never_as_empty_widget(tiny_site):
    page = (tiny_site / "site" / "notebooks" / "01_a.html").read_text()
    assert page.count("series-explorer") == 2
    assert "Above: its figure" in page and "appears when the notebook runs" in page
    assert len(re.findall(r'<img[^>]+src="\.\./_images/', page)) == 1
    assert "VBox" not in page and "widget-view" not in page and "require.js" not in page


def test_tiny_site_serves_mathjax_and_its_fonts_itself(tiny_site):
    site = tiny_site / "site"
    page = (site / "notebooks" / "01_a.html").read_text()
    assert 'src="../_static/mathjax/startup.js"' in page and "\\frac{1}{2}" in page
    assert (site / "_static" / "mathjax" / "output" / "chtml" / "fonts" / "woff-v2" / "MathJax_Main-Regular.woff").is_file()
    assert (site / "_static" / "mathjax" / "input" / "tex" / "extensions" / "ams.js").is_file()
    assert remote_resources(site) == []


def test_a_missing_image_a_missing_notebook_or_a_missing_anchor_fails_the_build(tmp_path):
    broken = _md("![lost](figures/missing.png)\n\n[gone](04_missing.ipynb)\n\n[nowhere](01_a.ipynb#No-such-section)", 2)
    _tiny_series(tmp_path, extra_cells=(broken,))
    with pytest.raises(SiteBuildError) as failure:
        build_site(tmp_path / "site", root=tmp_path, repository=REPO, jobs=1, student=None)
    lines = str(failure.value).splitlines()[1:]
    assert len(lines) == 3, lines
    assert lines[0].startswith("notebooks/02_b.ipynb (cell 2): WARNING: image file not readable")
    assert "missing.png" in lines[0]
    assert "cross-reference target not found: '04_missing.ipynb'" in lines[1]
    assert "local id not found in doc 'notebooks/01_a': 'No-such-section'" in lines[2]
    assert not (tmp_path / "site").exists(), "a failed build must leave no site behind"


# --- wiring: make, the workflow, the pins ---------------------------------------------------------------

def test_make_site_builds_offline_and_the_browser_test_builds_it_first():
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^site: .*\n\t\$\(OFFLINE\) \$\(BIN\)/python scripts/build_site\.py", makefile, re.M)
    assert re.search(r"^SITE_REPOSITORY \?= OWNER/REPOSITORY$", makefile, re.M)
    assert re.search(r"^browser: .*\bsite\b", makefile, re.M)


def test_workflow_builds_the_site_on_every_push_and_deploys_it_from_main_only():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "test.yml").read_text())
    jobs = workflow["jobs"]
    steps = jobs["test"]["steps"]
    upload = [s for s in steps if str(s.get("uses", "")).startswith("actions/upload-pages-artifact")]
    assert upload and upload[0]["with"]["path"] == "build/site"
    deploy = jobs["pages"]
    assert "github.ref == 'refs/heads/main'" in deploy["if"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert any(str(s.get("uses", "")).startswith("actions/deploy-pages") for s in deploy["steps"])


def test_the_site_builder_is_a_maintainers_tool_pinned_exactly():
    dev = (ROOT / "requirements-dev.txt").read_text()
    for name in ("sphinx", "myst-nb", "sphinx-book-theme", "pydata-sphinx-theme", "sphinx-mathjax-offline"):
        assert re.search(rf"^{name}==\d", dev, re.M | re.I), f"{name} is not pinned in requirements-dev.txt"
        assert name not in (ROOT / "requirements.txt").read_text().lower()
        assert name not in (ROOT / "environment.yml").read_text().lower()


def test_bench_reports_the_site_build_time_and_size(monkeypatch):
    import bench

    import build_site

    def fake_build(out):
        out.mkdir(parents=True)
        (out / "index.html").write_bytes(b"x" * 3 * 2**20)
        return 61.0

    monkeypatch.setattr(build_site, "build_site", fake_build)
    line, seconds = bench.site_line()
    assert seconds == 61.0
    assert line == "Site (`make site`): built in 61.0 s ⚠ (budget 60); 1 files, 3.0 MB."
