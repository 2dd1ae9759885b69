"""Run a notebook's exercise checks outside Jupyter, so that tests can feed them solutions.

The convention every notebook follows (tests/test_exercises.py enforces it):
- one code cell tagged ``exercise-checks`` defines ``check_exercise_1``, ``check_exercise_2``, ...;
  it uses only what the setup cell (the first code cell) imports, so it runs on its own;
- each check prints ``exercise N: pass`` for a right solution, and ``exercise N: fail: <why>`` for a
  wrong one (a message that says what is wrong);
- each exercise's worked solution is one code cell tagged ``solution``, which defines the solution
  and calls its check; it too needs only the setup cell and the checks. Markdown cells about the
  solutions (their heading, a discussion of one) are tagged ``solution`` too: the student edition
  leaves out every cell so tagged;
- every check is decorated with ``helpers.exercise_check``, so that a stub's ``TODO`` or
  ``raise NotSolved`` makes it print ``exercise N: not solved yet``.

``load_checks(notebook)`` executes the setup cell and the checks cell in a fresh namespace;
``run_check(ns, n, *args)`` calls ``check_exercise_n`` and returns what it printed.

The student edition (scripts/make_student.py) replaces each solution cell by a stub from
scripts/student_stubs.py; ``run_stub(notebook, n)`` runs exercise n's stub the same way, and its
check must print ``exercise n: not solved yet`` (helpers/exercises.py).
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # the setup cell configures plots; here they are drawn off-screen

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
CHECKS_TAG = "exercise-checks"
SOLUTION_TAG = "solution"
CHECK_NAME = re.compile(r"^def (check_exercise_(\d+))\(", re.MULTILINE)


def _cells(notebook: str) -> list[dict]:
    nb = json.loads((NOTEBOOKS / notebook).read_text(encoding="utf-8"))
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def _source(cell: dict) -> str:
    src = cell["source"]
    return "".join(src) if isinstance(src, list) else src


def _tags(cell: dict) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def checks_source(notebook: str) -> str:
    """The source of the notebook's one cell tagged ``exercise-checks``."""
    cells = [c for c in _cells(notebook) if CHECKS_TAG in _tags(c)]
    if len(cells) != 1:
        raise AssertionError(f"{notebook}: expected one code cell tagged {CHECKS_TAG!r}, found {len(cells)}")
    return _source(cells[0])


def check_numbers(notebook: str) -> list[int]:
    """The N of every ``check_exercise_N`` the checks cell defines, in order."""
    return [int(n) for _, n in CHECK_NAME.findall(checks_source(notebook))]


def solution_sources(notebook: str) -> list[str]:
    """The sources of the cells tagged ``solution``, in notebook order."""
    return [_source(c) for c in _cells(notebook) if SOLUTION_TAG in _tags(c)]


def _exec(source: str, ns: dict) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(source, "<notebook cell>", "exec"), ns)  # noqa: S102 (the repository's own notebook)
    return out.getvalue()


def load_checks(notebook: str) -> dict:
    """A namespace holding the setup cell's imports and the notebook's ``check_exercise_N``."""
    ns: dict = {"__name__": "__exercise__"}
    _exec(_source(_cells(notebook)[0]), ns)
    _exec(checks_source(notebook), ns)
    return ns


def run_check(ns: dict, n: int, *args) -> str:
    """Call ``check_exercise_n(*args)`` in ``ns`` and return what it printed (exceptions propagate)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        ns[f"check_exercise_{n}"](*args)
    return out.getvalue()


def run_solution(notebook: str, index: int) -> str:
    """Execute the ``index``-th cell tagged ``solution`` after setup and checks; return its output."""
    return run_source(notebook, solution_sources(notebook)[index])


def run_source(notebook: str, source: str) -> str:
    """Execute ``source`` (a solution or a stub) after the setup and checks cells; return its output."""
    return _exec(source, load_checks(notebook))


def run_stub(notebook: str, n: int) -> str:
    """Execute exercise ``n``'s stub of the student edition after setup and checks; return its output."""
    from student_stubs import STUBS  # scripts/ is on sys.path (conftest.py)

    return run_source(notebook, STUBS[notebook][n])


def wrong_cases(wrong: dict[int, dict[str, tuple]]) -> list:
    """``{n: {description: (args, fragment)}}`` as pytest params ``(n, args, fragment)``.

    ``args`` are what the learner's wrong solution passes to ``check_exercise_n`` (a tuple), and
    ``fragment`` a piece of the failure message that says what is wrong.
    """
    import pytest

    return [
        pytest.param(n, args, fragment, id=f"exercise{n}-{description}")
        for n, cases in wrong.items()
        for description, (args, fragment) in cases.items()
    ]
