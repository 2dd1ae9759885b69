"""Every exercise of the series has a self-check, a worked solution that passes it, and tests that
feed it at least three wrong solutions a learner would plausibly write (tests/test_exercises_NN.py).

The convention (tags, messages) is described in tests/exercise_harness.py.
"""

from __future__ import annotations

import importlib

import pytest

from conftest import NOTEBOOK_PATHS
from exercise_harness import check_numbers, run_solution, solution_sources

MIN_WRONG = 3
names = [p.name for p in NOTEBOOK_PATHS]
SOLUTIONS = [(name, i) for name in names for i in range(len(solution_sources(name)))]


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
    assert f"exercise {index + 1}: pass" in out and "fail" not in out, out


@pytest.mark.parametrize("notebook", names)
def test_every_check_is_tested_against_three_wrong_solutions(notebook):
    module = importlib.import_module(f"test_exercises_{notebook[:2]}")
    assert module.NOTEBOOK == notebook
    for n in check_numbers(notebook):
        cases = module.WRONG.get(n, {})
        assert len(cases) >= MIN_WRONG, f"exercise {n}: {len(cases)} wrong solutions tested, want {MIN_WRONG}"
