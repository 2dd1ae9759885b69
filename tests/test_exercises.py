"""Every exercise of the series has a self-check, a worked solution that passes it, and tests that
feed it at least three wrong solutions a learner would plausibly write (tests/test_exercises_NN.py).
The student edition's stub of every exercise makes its check say "not solved yet", and nothing
else does: no worked solution, no wrong one.

The convention (tags, messages) is described in tests/exercise_harness.py.
"""

from __future__ import annotations

import importlib
import inspect
import re

import pytest

from conftest import NOTEBOOK_PATHS
from exercise_harness import (
    check_numbers,
    checks_source,
    load_checks,
    run_check,
    run_solution,
    run_stub,
    solution_sources,
)
from helpers import TODO

MIN_WRONG = 3
NOT_SOLVED = "not solved yet"
names = [p.name for p in NOTEBOOK_PATHS]
SOLUTIONS = [(name, i) for name in names for i in range(len(solution_sources(name)))]
EXERCISES = [(name, n) for name in names for n in check_numbers(name)]
exercise_ids = [f"{name[:2]}-exercise{n}" for name, n in EXERCISES]


@pytest.mark.parametrize("notebook", names)
def test_exercises_are_numbered_from_1_and_each_has_one_solution_cell(notebook):
    numbers = check_numbers(notebook)
    assert numbers == list(range(1, len(numbers) + 1)) and numbers, f"checks found: {numbers}"
    solutions = solution_sources(notebook)
    assert len(solutions) == len(numbers), f"{len(numbers)} checks but {len(solutions)} cells tagged 'solution'"
    for n, source in zip(numbers, solutions):
        assert f"check_exercise_{n}(" in source, f"solution cell {n} does not call check_exercise_{n}"


@pytest.mark.parametrize(("notebook", "index"), SOLUTIONS, ids=[f"{n}-solution{i + 1}" for n, i in SOLUTIONS])
def test_worked_solution_passes_its_check_on_its_own(notebook, index):
    out = run_solution(notebook, index)
    assert f"exercise {index + 1}: pass" in out and "fail" not in out and NOT_SOLVED not in out, out


@pytest.mark.parametrize("notebook", names)
def test_every_check_is_tested_against_three_wrong_solutions(notebook):
    module = importlib.import_module(f"test_exercises_{notebook[:2]}")
    assert module.NOTEBOOK == notebook
    for n in check_numbers(notebook):
        cases = module.WRONG.get(n, {})
        assert len(cases) >= MIN_WRONG, f"exercise {n}: {len(cases)} wrong solutions tested, want {MIN_WRONG}"


@pytest.mark.parametrize("notebook", names)
def test_every_check_is_decorated_with_the_not_solved_guard(notebook):
    source = checks_source(notebook)
    undecorated = [n for n in check_numbers(notebook) if f"@exercise_check\ndef check_exercise_{n}(" not in source]
    assert not undecorated, f"check_exercise_N without @exercise_check above it: {undecorated}"
    checks = load_checks(notebook)
    assert all(hasattr(checks[f"check_exercise_{n}"], "__wrapped__") for n in check_numbers(notebook))


@pytest.mark.parametrize(("notebook", "n"), EXERCISES, ids=exercise_ids)
def test_the_student_stub_makes_its_check_say_not_solved_yet(notebook, n):
    assert run_stub(notebook, n) == f"exercise {n}: {NOT_SOLVED}\n"


@pytest.mark.parametrize(("notebook", "n"), EXERCISES, ids=exercise_ids)
def test_todo_for_every_argument_makes_the_check_say_not_solved_yet(notebook, n):
    checks = load_checks(notebook)
    parameters = inspect.signature(checks[f"check_exercise_{n}"]).parameters
    assert run_check(checks, n, *[TODO] * len(parameters)) == f"exercise {n}: {NOT_SOLVED}\n"


@pytest.mark.filterwarnings("ignore:Converting a tensor with requires_grad=True to a scalar")  # a wrong one of 02
@pytest.mark.parametrize("notebook", names)
def test_no_wrong_solution_is_reported_as_not_solved(notebook):
    module = importlib.import_module(f"test_exercises_{notebook[:2]}")
    checks = load_checks(notebook)
    for n, cases in module.WRONG.items():
        for description, (args, _) in cases.items():
            out = run_check(checks, n, *args)
            assert re.fullmatch(rf"exercise {n}: fail: .+\n", out, flags=re.DOTALL), f"exercise {n}, {description}: {out}"
