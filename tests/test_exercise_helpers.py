"""helpers.exercises: TODO, NotSolved and the exercise_check guard that makes a check say "not solved yet"."""

from __future__ import annotations

import contextlib
import copy
import io
import pickle

import pytest

import helpers
from helpers import TODO, NotSolved, exercise_check


def printed(fn, *args, **kwargs) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        fn(*args, **kwargs)
    return out.getvalue()


@exercise_check
def check_exercise_7(square):
    """A check written as the notebooks write them: it reports the learner's errors as failures."""
    try:
        got = square(3)
    except Exception as exc:
        return print(f"exercise 7: fail: square(3) raised {type(exc).__name__}: {exc}")
    if got != 9:
        return print(f"exercise 7: fail: square(3) is 9, got {got}")
    print("exercise 7: pass")


def test_a_right_or_wrong_solution_is_judged_by_the_check_itself():
    assert printed(check_exercise_7, lambda x: x * x) == "exercise 7: pass\n"
    assert printed(check_exercise_7, lambda x: x + x) == "exercise 7: fail: square(3) is 9, got 6\n"
    assert printed(check_exercise_7, lambda x: x / 0) == (
        "exercise 7: fail: square(3) raised ZeroDivisionError: division by zero\n")


def test_a_stub_that_raises_not_solved_passes_through_except_exception():
    def square(x):
        raise NotSolved  # the stub's body

    assert printed(check_exercise_7, square) == "exercise 7: not solved yet\n"


def test_todo_as_an_argument_or_keyword_argument_is_not_solved_and_the_check_does_not_run():
    calls = []

    @exercise_check
    def check_exercise_2(a, b=None):
        calls.append((a, b))
        print("exercise 2: pass")

    assert printed(check_exercise_2, TODO) == "exercise 2: not solved yet\n"
    assert printed(check_exercise_2, 1.0, b=TODO) == "exercise 2: not solved yet\n"
    assert calls == []
    assert printed(check_exercise_2, 1.0, b=2.0) == "exercise 2: pass\n"


def test_an_object_whose_init_still_assigns_todo_is_not_solved():
    class Swish:
        def __init__(self):
            self.beta = TODO

    assert printed(check_exercise_7, Swish()) == "exercise 7: not solved yet\n"


def test_other_errors_of_the_check_itself_propagate():
    @exercise_check
    def check_exercise_3(value):
        raise KeyError("a bug in the check")

    with pytest.raises(KeyError, match="a bug in the check"):
        check_exercise_3(1)


def test_the_guard_keeps_the_name_and_docstring_of_the_check():
    assert check_exercise_7.__name__ == "check_exercise_7"
    assert "as the notebooks write them" in check_exercise_7.__doc__
    assert check_exercise_7.__wrapped__ is not None


def test_not_solved_is_not_an_exception_so_except_exception_lets_it_through():
    assert issubclass(NotSolved, BaseException) and not issubclass(NotSolved, Exception)


def test_todo_is_one_object_shown_as_todo_even_after_copy_and_pickle():
    assert repr(TODO) == "TODO"
    assert copy.copy(TODO) is TODO and copy.deepcopy([TODO])[0] is TODO
    assert pickle.loads(pickle.dumps(TODO)) is TODO


def test_the_names_are_exported_by_helpers():
    assert {"TODO", "NotSolved", "exercise_check"} <= set(helpers.__all__)


@pytest.mark.parametrize("bad", [42, None, "check_exercise_1"])
def test_exercise_check_of_a_non_function_raises_type_error_naming_the_argument(bad):
    with pytest.raises(TypeError, match=r"check must be a function named check_exercise_N, got "):
        exercise_check(bad)


@pytest.mark.parametrize("name", ["check", "check_exercise_", "check_exercise_0", "check_exercise_1b", "exercise_1"])
def test_exercise_check_of_a_misnamed_function_raises_value_error_naming_the_argument(name):
    def fn(*args):
        pass

    fn.__name__ = name
    with pytest.raises(ValueError, match=rf"check must be named check_exercise_N \(N = 1, 2, \.\.\.\), got '{name}'"):
        exercise_check(fn)
