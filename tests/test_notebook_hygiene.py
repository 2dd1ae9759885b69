"""Every notebook was executed top to bottom in a fresh kernel and follows the series' anatomy.

These checks read the stored .ipynb files; nbval (make test) re-executes them and compares outputs.
"""

from __future__ import annotations

import getpass
import json
import re
import socket
from pathlib import Path

import pytest

from conftest import NOTEBOOK_PATHS, ROOT

IGNORE_TAG = "nbval-ignore-output"
ERROR_TAG = "raises-exception"
LOCAL_PATH = re.compile(
    r"(/root/|/home/[\w.-]+|/Users/[\w.-]+|[A-Za-z]:\\\\Users|/tmp/|/private/var/|site-packages|"
    r"dist-packages|\.venv/|/usr/lib/python|/opt/conda)"
)


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _code_cells(nb: dict) -> list[dict]:
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def _tags(cell: dict) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def _source(cell: dict) -> str:
    src = cell["source"]
    return "".join(src) if isinstance(src, list) else src


def _machine_words() -> list[str]:
    words = []
    for word in (getpass.getuser(), socket.gethostname()):
        if word and len(word) >= 4 and word not in {"root", "localhost"}:
            words.append(word)
    return words


ids = [p.name for p in NOTEBOOK_PATHS]
notebooks = pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=ids)


def test_notebooks_exist_and_are_numbered_from_01_without_gaps():
    numbers = [int(p.name[:2]) for p in NOTEBOOK_PATHS]
    assert numbers, "no notebooks found in notebooks/"
    assert numbers == list(range(1, len(numbers) + 1))
    for p in NOTEBOOK_PATHS:
        assert re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", p.name), p.name


@notebooks
def test_execution_counts_run_1_to_n(path):
    counts = [c["execution_count"] for c in _code_cells(_load(path))]
    assert counts == list(range(1, len(counts) + 1)), "run `make execute` (fresh kernel, top to bottom)"


@notebooks
def test_no_empty_code_cells(path):
    empty = [i for i, c in enumerate(_load(path)["cells"]) if c["cell_type"] == "code" and not _source(c).strip()]
    assert not empty, f"empty code cells at positions {empty}"


@notebooks
def test_errors_only_in_cells_tagged_raises_exception(path):
    for i, cell in enumerate(_load(path)["cells"]):
        if cell["cell_type"] != "code":
            continue
        has_error = any(o["output_type"] == "error" for o in cell.get("outputs", []))
        if ERROR_TAG in _tags(cell):
            assert has_error, f"cell {i} is tagged {ERROR_TAG} but raised nothing: drop the tag"
        else:
            assert not has_error, f"cell {i} has an error output but is not tagged {ERROR_TAG}"


@notebooks
def test_kernelspec_is_python3(path):
    assert _load(path)["metadata"]["kernelspec"]["name"] == "python3"


@notebooks
def test_outputs_show_no_local_paths_user_or_host_names(path):
    words = _machine_words()
    for i, cell in enumerate(_code_cells(_load(path))):
        text = json.dumps(cell.get("outputs", []))
        match = LOCAL_PATH.search(text)
        assert match is None, f"code cell {i + 1} output shows a local path: {match.group(0)!r}"
        for word in words:
            assert word not in text, f"code cell {i + 1} output shows the machine's user or host name"


@notebooks
def test_at_most_one_code_cell_in_ten_ignores_its_output(path):
    cells = _code_cells(_load(path))
    ignored = [i for i, c in enumerate(cells) if IGNORE_TAG in _tags(c) or "# NBVAL_IGNORE_OUTPUT" in _source(c)]
    assert len(ignored) * 10 <= len(cells), f"{len(ignored)} of {len(cells)} code cells ignore their output"


@notebooks
def test_figures_are_png_and_no_widget_state_is_stored(path):
    nb = _load(path)
    assert "widgets" not in nb["metadata"], "widget state is stored; execute with `make execute`"
    for cell in _code_cells(nb):
        for out in cell.get("outputs", []):
            assert "image/svg+xml" not in out.get("data", {}), "figures must be PNG (nbval ignores PNG only)"


@notebooks
def test_notebook_follows_the_anatomy(path):
    nb = _load(path)
    cells = nb["cells"]
    first = _source(cells[0])
    assert first.startswith(f"# {path.name[:2]} "), "first cell: title '# NN ...'"
    for needle in ("You will learn", "Prerequisites", "Time to read"):
        assert needle in first, f"first cell lacks {needle!r}"
    assert "helpers.setup_notebook(" in _source(_code_cells(nb)[0]), "first code cell must call setup_notebook"
    markdown = "\n".join(_source(c) for c in cells if c["cell_type"] == "markdown")
    for heading in ("## Summary", "## Exercises"):
        assert heading in markdown, f"missing section {heading!r}"
    assert "README.md" in _source(cells[-1]), "last cell: navigation back to the index"


@notebooks
def test_readme_index_lists_the_notebook(path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"](notebooks/{path.name})" in readme, f"README.md's notebook index lacks a link to {path.name}"


def test_the_notebooks_folder_holds_only_what_a_reader_opens():
    """JupyterLab's file browser opens on notebooks/: the series and its figures, no test plumbing.

    Hidden entries (.ipynb_checkpoints) are not shown by JupyterLab and are ignored here.
    """
    folder = ROOT / "notebooks"
    visible = sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))
    notebooks = [name for name in visible if re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", name)]
    assert notebooks == [p.name for p in NOTEBOOK_PATHS]
    extra = sorted(set(visible) - set(notebooks) - {"figures"})
    assert not extra, (
        f"notebooks/ must hold only NN_topic.ipynb and figures/, found {extra}"
        " (nbval's settings live in scripts/)"
    )
    if (folder / "figures").exists():
        extra = [p.name for p in (folder / "figures").iterdir()
                 if not p.name.startswith(".") and p.suffix not in {".png", ".svg"}]
        assert not extra, f"notebooks/figures/ must hold only images, found {extra}"
