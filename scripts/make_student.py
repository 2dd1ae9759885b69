"""``make student``: the student edition of the series, in build/student/.

Each notebook is copied with every cell tagged ``solution`` replaced: a code cell by its exercise's
stub from scripts/student_stubs.py (tagged ``exercise-stub``, outputs cleared), a markdown cell (the
solutions' heading, a discussion of a solution) by nothing. Every other cell is kept as it is, the
exercise checks included. Then each written notebook is executed top to bottom in a fresh kernel with
the settings of ``make execute`` (scripts/execute_notebooks.py; cells tagged ``raises-exception`` may
raise), its outputs are stored, and every stub must have printed ``exercise N: not solved yet``;
anything else (a crash, a check that says pass or fail) is reported by notebook and cell, with a
non-zero exit.

``student_notebook(nb)`` is the transformation alone (no execution), for other scripts to import.

Usage: python scripts/make_student.py [--out DIR] [--no-execute] [--jobs N] [NOTEBOOK ...]
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import shutil
import sys
import time
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
from nbclient.exceptions import CellExecutionError

from execute_notebooks import client_for, coalesce_streams
from notebook_env import ROOT, apply_kernel_env, notebook_paths
from student_stubs import STUBS

SOLUTION_TAG = "solution"
STUB_TAG = "exercise-stub"
CHECKS_TAG = "exercise-checks"
ERROR_TAG = "raises-exception"
OUT = ROOT / "build" / "student"
NOTEBOOK_FOLDER = "notebooks"  # as in the repository: build/student/README.md, build/student/notebooks/
CHECK_CALL = re.compile(r"^check_exercise_(\d+)\(", re.MULTILINE)
CHECK_DEF = re.compile(r"^def check_exercise_(\d+)\(", re.MULTILINE)
TITLE = re.compile(r"# (\d\d) ")
README = """\
# The student edition of the series

These are the notebooks of the series with every worked solution replaced by a stub for you to fill
in: the text, the demonstrations and their outputs, and the exercises' checks are those of the series.
Each stub names what to define and calls its exercise's check. Replace each `TODO` and each
`raise NotSolved` with your code and run the cell: the check prints `exercise N: pass`, or
`exercise N: fail:` and what is wrong, or `exercise N: not solved yet` while the stub is untouched.

The notebooks need the series' environment (`import helpers`, the data in `data/`): open them in
JupyterLab from a clone of the repository, for example with
`make lab LAB_ARGS="--ServerApp.root_dir=build/student"`, or upload them to the series' Binder.

This folder is written by `make student` (scripts/make_student.py) from the series' notebooks, and
rebuilt from them; do not edit it by hand. The worked solutions are in the series' notebooks.

## Notebooks

"""


def _text(value: str | list[str]) -> str:
    return "".join(value) if isinstance(value, list) else value


def _source(cell: Mapping) -> str:
    return _text(cell["source"])


def _tags(cell: Mapping) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def notebook_number(nb: Mapping) -> str:
    """The notebook's two-digit number, from its title cell ``# NN ...``."""
    if not isinstance(nb, Mapping):
        raise TypeError(f"nb must be a notebook dict (nbformat 4), got {type(nb).__name__}")
    cells = nb.get("cells")
    if not isinstance(cells, list) or not cells:
        raise ValueError(f"nb must have a non-empty list of cells, got {type(cells).__name__} {cells!r:.40}")
    match = TITLE.match(_source(cells[0]))
    if match is None:
        raise ValueError(f"nb's first cell must be its title '# NN ...', got {_source(cells[0])[:40]!r}")
    return match.group(1)


def stubs_for(nb: Mapping) -> dict[int, str]:
    """The stubs of scripts/student_stubs.py for notebook ``nb``, found by its number."""
    number = notebook_number(nb)
    names = [name for name in STUBS if name.startswith(f"{number}_")]
    if len(names) != 1:
        raise ValueError(f"scripts/student_stubs.py must hold the stubs of notebook {number} once, found {names}")
    return STUBS[names[0]]


def _stub_cell(solution: Mapping, stubs: Mapping[int, str]) -> dict:
    numbers = CHECK_CALL.findall(_source(solution))
    if len(numbers) != 1:
        raise ValueError(f"a code cell tagged {SOLUTION_TAG!r} must call one check_exercise_N, this one calls "
                         f"{len(numbers)}: {_source(solution)[:60]!r}")
    n = int(numbers[0])
    if n not in stubs:
        raise ValueError(f"no stub for exercise {n} (scripts/student_stubs.py)")
    if CHECK_CALL.findall(stubs[n]) != [str(n)]:
        raise ValueError(f"the stub of exercise {n} must call check_exercise_{n} once, got {stubs[n][-60:]!r}")
    tags = [t for t in _tags(solution) if t != SOLUTION_TAG] + [STUB_TAG]
    cell = {"cell_type": "code", "execution_count": None, "metadata": {"tags": tags}, "outputs": [],
            "source": stubs[n].strip("\n")}
    if "id" in solution:
        cell["id"] = solution["id"]  # the same cell, its content replaced: a rebuild changes nothing
    return cell


def student_notebook(nb: Mapping, stubs: Mapping[int, str] | None = None) -> dict:
    """The student edition of ``nb`` (an nbformat 4 dict; it is not modified).

    Each code cell tagged ``solution`` becomes the stub of the exercise whose check it calls
    (``stubs``, by default this notebook's from scripts/student_stubs.py), tagged ``exercise-stub``
    and without outputs; each markdown cell tagged ``solution`` is dropped; every other cell and the
    metadata are kept unchanged. Every stub must be used once.
    """
    if stubs is None:
        stubs = stubs_for(nb)
    else:
        notebook_number(nb)  # validates nb
    cells = []
    for cell in nb["cells"]:
        if SOLUTION_TAG not in _tags(cell):
            cells.append(copy.deepcopy(cell))
        elif cell["cell_type"] == "code":
            cells.append(_stub_cell(cell, stubs))
        elif cell["cell_type"] != "markdown":
            raise ValueError(f"a {cell['cell_type']} cell is tagged {SOLUTION_TAG!r}; tag code or markdown cells")
    called = sorted(int(n) for c in nb["cells"] if SOLUTION_TAG in _tags(c) and c["cell_type"] == "code"
                    for n in CHECK_CALL.findall(_source(c)))
    if called != sorted(stubs):
        raise ValueError(f"notebook {notebook_number(nb)}: its solution cells call the checks {called}, "
                         f"but the stubs are for {sorted(stubs)}")
    out = {key: copy.deepcopy(value) for key, value in nb.items() if key != "cells"}
    out["cells"] = cells
    return out


def stub_problems(nb: Mapping) -> list[str]:
    """What is wrong in an executed student notebook: a stub that did not print exactly
    ``exercise N: not solved yet``, an error outside a cell tagged ``raises-exception``, a check
    without a stub. Cells are numbered from 0, as in the notebook file."""
    problems, stubbed = [], set()
    checks = [c for c in nb["cells"] if CHECKS_TAG in _tags(c)]
    defined = [int(n) for c in checks for n in CHECK_DEF.findall(_source(c))]
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            continue
        outputs = cell.get("outputs", [])
        errors = [o for o in outputs if o["output_type"] == "error"]
        if errors and ERROR_TAG not in _tags(cell):
            problems.append(f"cell {i}: {errors[0]['ename']}: {errors[0]['evalue']}")
        if STUB_TAG not in _tags(cell):
            continue
        n = int(CHECK_CALL.findall(_source(cell))[0])
        shown = [(o["name"], _text(o["text"])) if o["output_type"] == "stream" else (o["output_type"], "")
                 for o in outputs]
        if shown != [("stdout", f"exercise {n}: not solved yet\n")]:
            problems.append(f"cell {i} (stub of exercise {n}): expected 'exercise {n}: not solved yet', got {shown}")
        stubbed.add(n)
    if sorted(stubbed) != sorted(defined):
        problems.append(f"checks defined for exercises {sorted(defined)}, stubs for {sorted(stubbed)}")
    return problems


def _relative(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else path.name


def execute(path: Path) -> tuple[float, list[str]]:
    """Execute the student notebook at ``path`` in a fresh kernel started in its folder, store its
    outputs, and return the seconds taken and what is wrong (``stub_problems``)."""
    nb = nbformat.read(path, as_version=4)
    client = client_for(nb, path.parent)
    start = time.perf_counter()
    try:
        client.execute()
    except CellExecutionError:
        pass  # the failing cell holds the error output; stub_problems names it
    elapsed = time.perf_counter() - start
    nb.metadata.pop("widgets", None)
    coalesce_streams(nb)
    nbformat.write(nb, path)
    return elapsed, [f"{_relative(path)}: {p}" for p in stub_problems(nb)]


def _title(nb: Mapping) -> str:
    """The notebook's title: its first markdown heading, without the ``#``."""
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            for line in _source(cell).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return "(untitled)"


def write_edition(paths: list[Path], out: Path) -> list[Path]:
    """Write the student edition of each notebook at ``paths`` into ``out/notebooks/``, and README.md
    with the list of notebooks into ``out``: the layout of the repository, so that the notebooks' links
    to ``../README.md#notebooks`` and to each other resolve inside the edition."""
    folder = out / NOTEBOOK_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    written, index = [], []
    for path in paths:
        nb = json.loads(path.read_text(encoding="utf-8"))
        student = nbformat.from_dict(student_notebook(nb))
        nbformat.validate(student)
        target = folder / path.name
        nbformat.write(student, target)
        written.append(target)
        index.append(f"- [{_title(nb)}]({NOTEBOOK_FOLDER}/{path.name})\n")
    (out / "README.md").write_text(README + "".join(index), encoding="utf-8")
    return written


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", help="notebooks/NN_*.ipynb to build (default: all)")
    parser.add_argument("--out", type=Path, default=OUT, help="output folder (default: build/student)")
    parser.add_argument("--no-execute", action="store_true", help="write the notebooks without executing them")
    parser.add_argument("--jobs", type=int, default=2, help="notebooks executed at once (default: 2)")
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error(f"--jobs must be at least 1, got {args.jobs}")
    paths = notebook_paths(args.notebooks)
    if not paths:
        print("no notebooks found", file=sys.stderr)
        return 1
    out = args.out.resolve()
    if not args.notebooks:  # the whole edition: nothing of an earlier build may linger
        if out == OUT:  # build/student/ is ours (git-ignored): start it afresh
            shutil.rmtree(out, ignore_errors=True)
        for stale in (out / NOTEBOOK_FOLDER).glob("[0-9][0-9]_*.ipynb"):  # a folder of the user's: ours only
            stale.unlink()
    written = write_edition(paths, out)
    print(f"wrote {len(written)} student notebooks and README.md to {_relative(out)}/")
    if args.no_execute:
        return 0
    apply_kernel_env()
    problems, exercises, start = [], 0, time.perf_counter()
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        for path, (elapsed, found) in zip(written, pool.map(execute, written)):
            stubs = sum(STUB_TAG in _tags(c) for c in nbformat.read(path, as_version=4).cells)
            verdict = "FAILED" if found else f"{stubs} exercises not solved yet"
            print(f"executed {_relative(path)} in {elapsed:.1f} s: {verdict}")
            problems += found
            exercises += stubs
    for problem in problems:
        print(f"FAILED {problem}", file=sys.stderr)
    if not problems:
        print(f"student edition: {len(written)} notebooks, {exercises} exercises, each check says 'not solved yet' "
              f"({time.perf_counter() - start:.0f} s, {args.jobs} at a time)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
