"""The README's pictures are the notebooks' own current figures, and the README shows them."""

from __future__ import annotations

import readme_figures
from conftest import ROOT


def test_committed_figures_equal_the_stored_notebook_outputs():
    for name, (notebook, marker) in readme_figures.SOURCES.items():
        path = readme_figures.FIGURES / name
        assert path.exists(), f"{name} is missing: run python scripts/readme_figures.py"
        assert path.read_bytes() == readme_figures.stored_png(notebook, marker), f"{name} is stale"


def test_readme_shows_every_figure_near_the_top():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    head = readme[: readme.index("## Notebooks")]
    for name in readme_figures.SOURCES:
        assert f"(notebooks/figures/{name})" in head
