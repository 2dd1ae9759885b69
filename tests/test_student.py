"""The student edition (``make student``, scripts/make_student.py): every exercise keeps its check and
gets its stub (scripts/student_stubs.py), no solution code survives, nothing else changes, and every
stub makes its check say "not solved yet", in the transformation (fast) and in the built, executed
edition (slow).
"""

from __future__ import annotations

import ast
import copy
import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from compare_outputs import cell_differences, normalise
from conftest import NOTEBOOK_PATHS, ROOT
from exercise_harness import check_numbers, run_source
from make_student import STUB_TAG, execute, stub_problems, student_notebook
from student_stubs import STUBS

SOLUTION_TAG = "solution"
# Lines a stub shares with its solution by design: the signature or class skeleton, and the check call.
SKELETON = re.compile(r"(def |class |check_exercise_\d+\()|super\(\)\.__init__\(\)$")
names = [p.name for p in NOTEBOOK_PATHS]
notebooks = pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=names)


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _source(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def _tags(cell: dict) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def _lines(cells: list[dict]) -> set[str]:
    """The stripped, non-empty lines of ``cells`` that are not comments."""
    return {line.strip() for c in cells for line in _source(c).splitlines()
            if line.strip() and not line.strip().startswith("#")}


def _leaked(nb: dict, student: dict) -> set[str]:
    """Lines of ``nb``'s solution cells found in ``student`` that are neither part of a stub's skeleton
    nor found in ``nb`` outside its solution cells."""
    solutions = [c for c in nb["cells"] if SOLUTION_TAG in _tags(c)]
    elsewhere = _lines([c for c in nb["cells"] if SOLUTION_TAG not in _tags(c)])
    found = _lines(student["cells"]) & _lines(solutions)
    return {line for line in found if line not in elsewhere and not SKELETON.match(line)}


def _stub_cells(student: dict) -> list[dict]:
    return [c for c in student["cells"] if STUB_TAG in _tags(c)]


def test_the_stubs_cover_exactly_the_exercises_of_every_notebook():
    assert sorted(STUBS) == names
    for name in names:
        assert sorted(STUBS[name]) == check_numbers(name), name


@notebooks
def test_every_solution_cell_becomes_its_stub_or_goes_and_no_solution_tag_survives(path):
    nb = _load(path)
    student = student_notebook(nb)
    assert not [c for c in student["cells"] if SOLUTION_TAG in _tags(c)]
    stubs = _stub_cells(student)
    assert [re.findall(r"^check_exercise_(\d+)\(", _source(c), flags=re.M) for c in stubs] == [
        [str(n)] for n in check_numbers(path.name)], "one stub per exercise, in order, each calling its check once"
    for n, cell in zip(check_numbers(path.name), stubs):
        assert _source(cell) == STUBS[path.name][n].strip("\n")
        assert cell["outputs"] == [] and cell["execution_count"] is None
    markdown_solutions = [c for c in nb["cells"] if SOLUTION_TAG in _tags(c) and c["cell_type"] == "markdown"]
    assert markdown_solutions, "the solutions' heading is a markdown cell tagged solution"
    assert len(student["cells"]) == len(nb["cells"]) - len(markdown_solutions)


@notebooks
def test_every_cell_that_is_not_a_solution_and_the_metadata_are_unchanged(path):
    nb = _load(path)
    student = student_notebook(nb)
    kept = [c for c in nb["cells"] if SOLUTION_TAG not in _tags(c)]
    assert [c for c in student["cells"] if STUB_TAG not in _tags(c)] == kept
    assert any("exercise-checks" in _tags(c) for c in kept), "the checks stay"
    assert {k: v for k, v in student.items() if k != "cells"} == {k: v for k, v in nb.items() if k != "cells"}


@notebooks
def test_no_line_of_a_solution_survives_outside_the_stubs_skeleton(path):
    nb = _load(path)
    assert _leaked(nb, student_notebook(nb)) == set()


def test_the_leak_test_catches_a_solution_left_in_place():
    nb = _load(NOTEBOOK_PATHS[0])
    solutions = {int(re.search(r"check_exercise_(\d+)\(", _source(c)).group(1)): _source(c)
                 for c in nb["cells"] if SOLUTION_TAG in _tags(c) and c["cell_type"] == "code"}
    assert "return F.leaky_relu(x, negative_slope=0.2)" in _leaked(nb, student_notebook(nb, solutions))


def _check_call(tree: ast.Module) -> ast.Call:
    calls = [n.value for n in tree.body if isinstance(n, ast.Expr) and isinstance(n.value, ast.Call)
             and isinstance(n.value.func, ast.Name) and n.value.func.id.startswith("check_exercise_")]
    assert len(calls) == 1 and tree.body[-1].value is calls[0], "the cell ends with its one check call"
    return calls[0]


def _passed_names(call: ast.Call) -> list[str]:
    """The names a check call passes: ``x``, ``Swish()``, ``c.detach()`` each pass one name."""
    passed = []
    for arg in call.args:
        while isinstance(arg, (ast.Call, ast.Attribute)):
            arg = arg.func if isinstance(arg, ast.Call) else arg.value
        assert isinstance(arg, ast.Name), ast.unparse(call)
        passed.append(arg.id)
    return passed


def _definition(tree: ast.Module, name: str) -> str:
    """How ``tree`` defines ``name``: a function's signature, a class's bases and method signatures, or
    "a value"."""
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            return f"def {name}({ast.unparse(node.args)})"
        if isinstance(node, ast.ClassDef) and node.name == name:
            methods = [f"{m.name}({ast.unparse(m.args)})" for m in node.body if isinstance(m, ast.FunctionDef)]
            return f"class {name}({', '.join(map(ast.unparse, node.bases))}): {methods}"
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                return "a value"
    raise AssertionError(f"{name} is not defined")


@notebooks
def test_each_stub_defines_what_its_solution_passes_to_the_check_with_the_same_signature(path):
    nb = _load(path)
    solutions = [_source(c) for c in nb["cells"] if SOLUTION_TAG in _tags(c) and c["cell_type"] == "code"]
    for n, solution in zip(check_numbers(path.name), solutions):
        solution_tree, stub_tree = ast.parse(solution), ast.parse(STUBS[path.name][n])
        passed = _passed_names(_check_call(solution_tree))
        assert _passed_names(_check_call(stub_tree)) == passed, f"exercise {n}"
        for name in passed:
            assert _definition(stub_tree, name) == _definition(solution_tree, name), f"exercise {n}: {name}"
        values = [node for node in stub_tree.body if isinstance(node, ast.Assign)]
        assert all(ast.unparse(node.value) == "TODO" for node in values), f"exercise {n}: a stub's values are TODO"


@notebooks
def test_each_stub_in_the_student_notebook_makes_its_check_say_not_solved_yet(path):
    for n, cell in zip(check_numbers(path.name), _stub_cells(student_notebook(_load(path)))):
        assert run_source(path.name, _source(cell)) == f"exercise {n}: not solved yet\n"


def test_the_transformation_leaves_its_input_alone_and_gives_the_same_valid_notebook_twice():
    nb = _load(NOTEBOOK_PATHS[-1])
    before = copy.deepcopy(nb)
    first, second = student_notebook(nb), student_notebook(nb)
    assert nb == before and first == second
    nbformat.validate(nbformat.from_dict(first))


def _tiny_notebook(*solution_sources: str, tags: list[str] | None = None) -> dict:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# 01 A title"),
                *[nbformat.v4.new_code_cell(s, metadata={"tags": tags or [SOLUTION_TAG]}) for s in solution_sources]]
    return json.loads(json.dumps(nb))


@pytest.mark.parametrize(
    ("nb", "stubs", "message"),
    [
        ({"cells": []}, {}, r"nb must have a non-empty list of cells, got list \[\]"),
        ({"metadata": {}}, {}, "nb must have a non-empty list of cells, got NoneType"),
        (_tiny_notebook("x = 1") | {"cells": [nbformat.v4.new_markdown_cell("no title")]}, {}, "first cell must be"),
        (_tiny_notebook("x = 1"), {1: "stub"}, "must call one check_exercise_N, this one calls 0"),
        (_tiny_notebook("check_exercise_2(x)"), {1: "check_exercise_1(TODO)"}, "no stub for exercise 2"),
        (_tiny_notebook("check_exercise_1(x)"), {1: "check_exercise_2(TODO)"},
         "the stub of exercise 1 must call check_exercise_1 once"),
        (_tiny_notebook("check_exercise_1(x)", "check_exercise_1(y)"), {1: "check_exercise_1(TODO)"},
         r"call the checks \[1, 1\], but the stubs are for \[1\]"),
        (_tiny_notebook("check_exercise_1(x)"), {1: "check_exercise_1(TODO)", 2: "check_exercise_2(TODO)"},
         r"call the checks \[1\], but the stubs are for \[1, 2\]"),
    ],
)
def test_student_notebook_rejects_what_it_cannot_transform(nb, stubs, message):
    with pytest.raises(ValueError, match=message):
        student_notebook(nb, stubs)


def test_student_notebook_of_something_else_than_a_dict_raises_type_error():
    with pytest.raises(TypeError, match="nb must be a notebook dict"):
        student_notebook([], {})


def test_a_raw_cell_tagged_solution_is_refused():
    nb = _tiny_notebook()
    nb["cells"].append(nbformat.v4.new_raw_cell("x", metadata={"tags": [SOLUTION_TAG]}))
    with pytest.raises(ValueError, match="a raw cell is tagged 'solution'"):
        student_notebook(nb, {})


def _executed(stub_output: str, *, error_cell: bool = False) -> dict:
    """A student notebook of one exercise, as execution leaves it."""
    nb = _tiny_notebook("check_exercise_1(f)")
    student = student_notebook(nb, {1: "check_exercise_1(TODO)"})
    checks = nbformat.v4.new_code_cell("@exercise_check\ndef check_exercise_1(f):\n    pass",
                                       metadata={"tags": ["exercise-checks"]})
    student["cells"].insert(1, json.loads(json.dumps(checks)))
    student["cells"][-1]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": stub_output}]
    if error_cell:
        student["cells"][1]["outputs"] = [{"output_type": "error", "ename": "NameError", "evalue": "x", "traceback": []}]
    return student


def test_stub_problems_is_empty_when_every_stub_said_not_solved_yet():
    assert stub_problems(_executed("exercise 1: not solved yet\n")) == []


@pytest.mark.parametrize("printed", ["exercise 1: fail: wrong\n", "exercise 1: pass\n", ""])
def test_stub_problems_names_the_cell_of_a_stub_that_said_something_else(printed):
    assert stub_problems(_executed(printed)) == [
        f"cell 2 (stub of exercise 1): expected 'exercise 1: not solved yet', got {[('stdout', printed)]}"]


def test_stub_problems_names_a_cell_that_raised_without_the_raises_exception_tag():
    assert stub_problems(_executed("exercise 1: not solved yet\n", error_cell=True)) == ["cell 1: NameError: x"]


def test_stub_problems_names_a_check_without_a_stub():
    student = _executed("exercise 1: not solved yet\n")
    student["cells"][1]["source"] += "\n\n\n@exercise_check\ndef check_exercise_2(g):\n    pass"
    assert stub_problems(student) == ["checks defined for exercises [1, 2], stubs for [1]"]


@pytest.mark.slow
def test_make_student_builds_and_executes_the_whole_edition(tmp_path):
    script = ROOT / "scripts" / "make_student.py"
    result = subprocess.run([sys.executable, str(script), "--out", str(tmp_path)], cwd=ROOT,
                            capture_output=True, text=True, timeout=1200)
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["README.md", "notebooks"]
    assert sorted(p.name for p in (tmp_path / "notebooks").iterdir()) == sorted(names)
    # the notebooks' links to the index (../README.md#notebooks) and to each other resolve in the edition
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert "\n## Notebooks\n" in readme
    assert all(f"](notebooks/{name})" in readme for name in names)
    not_solved = 0
    for path in NOTEBOOK_PATHS:
        student = _load(tmp_path / "notebooks" / path.name)
        assert stub_problems(student) == [], path.name
        code = [c for c in student["cells"] if c["cell_type"] == "code"]
        assert [c["execution_count"] for c in code] == list(range(1, len(code) + 1)), path.name
        for n, cell in zip(check_numbers(path.name), _stub_cells(student)):
            assert cell["outputs"] == [{"output_type": "stream", "name": "stdout",
                                       "text": [f"exercise {n}: not solved yet\n"]}]
            not_solved += 1
        # every other cell shows what the series shows (text exactly, figures within tolerance)
        stubs = [i for i, c in enumerate(code) if STUB_TAG in _tags(c)]
        fresh, stored = normalise(student), normalise(_load(path))
        for i in stubs:
            fresh[i] = stored[i] = {"stub": i}
        assert cell_differences(fresh, stored) == [], path.name
    assert not_solved == sum(len(check_numbers(name)) for name in names) == sum(map(len, STUBS.values()))


@pytest.mark.slow
def test_execute_names_the_cell_of_a_stub_whose_check_fails_and_of_a_cell_that_crashes(tmp_path):
    checks = ("from helpers import TODO, NotSolved, exercise_check\n\n\n"
              "@exercise_check\ndef check_exercise_1(x):\n    print('exercise 1: fail: no')\n\n\n"
              "@exercise_check\ndef check_exercise_2(x):\n    print('exercise 2: fail: no')")
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    nb.cells = [nbformat.v4.new_markdown_cell("# 01 A title"),
                nbformat.v4.new_code_cell(checks, metadata={"tags": ["exercise-checks"]}),
                nbformat.v4.new_code_cell("check_exercise_1(TODO)", metadata={"tags": [STUB_TAG]}),
                nbformat.v4.new_code_cell("check_exercise_2(2.0)", metadata={"tags": [STUB_TAG]}),
                nbformat.v4.new_code_cell("1 / 0")]
    path = tmp_path / "01_tiny.ipynb"
    nbformat.write(nb, path)
    _, problems = execute(path)
    assert problems == [
        "01_tiny.ipynb: cell 3 (stub of exercise 2): expected 'exercise 2: not solved yet', "
        "got [('stdout', 'exercise 2: fail: no\\n')]",
        "01_tiny.ipynb: cell 4: ZeroDivisionError: division by zero",
    ]
    stored = nbformat.read(path, as_version=4)
    assert stored.cells[2].outputs[0].text == "exercise 1: not solved yet\n"
