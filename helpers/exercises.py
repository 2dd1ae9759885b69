"""What a notebook's exercise checks need to tell "not solved yet" from "wrong" (every notebook).

Each notebook ends with exercises whose checks print ``exercise N: pass`` or ``exercise N: fail: <why>``.
The student edition (``make student``, scripts/make_student.py) replaces every worked solution by a
stub that the learner fills in. A stub leaves a value as ``TODO`` and a function (or method) body as
``raise NotSolved``, and still calls its check; every check is decorated with ``exercise_check``,
which then prints ``exercise N: not solved yet`` instead of a failure:

    @exercise_check
    def check_exercise_1(leaky): ...          # the notebook's check, unchanged inside

    def leaky(x):                             # the learner's stub
        raise NotSolved  # your code here
    check_exercise_1(leaky)                   # prints "exercise 1: not solved yet"

``NotSolved`` derives from ``BaseException``, not ``Exception`` (as pytest's skip and fail outcomes
do), so that a check's ``except Exception`` around the learner's call, which reports the learner's
real errors, lets it through to the decorator.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from ._checks import _describe

__all__ = ["TODO", "NotSolved", "exercise_check"]

CHECK_NAME = re.compile(r"check_exercise_([1-9]\d*)")


class NotSolved(BaseException):  # noqa: N818 (a signal, like KeyboardInterrupt, not an error)
    """Raised by a stub's function or method body that the learner has not written yet."""


class _Todo:
    """The type of ``TODO``: a placeholder with no behaviour, recognised by identity."""

    def __repr__(self) -> str:
        return "TODO"

    def __reduce__(self) -> str:
        return "TODO"  # copy, deepcopy and pickle give back the one TODO


TODO = _Todo()
"""The placeholder a stub assigns where the learner must compute a value (``alpha = TODO``)."""


def _holds_todo(value: Any) -> bool:
    """True for ``TODO`` itself, and for an object one of whose attributes is ``TODO`` (an instance of
    a stub class whose ``__init__`` still says ``self.beta = TODO``)."""
    if value is TODO:
        return True
    attributes = getattr(value, "__dict__", None)
    return isinstance(attributes, dict) and any(v is TODO for v in attributes.values())


def exercise_check(check: Callable[..., Any]) -> Callable[..., None]:
    """Decorate ``check_exercise_N`` so that an unsolved exercise prints ``exercise N: not solved yet``.

    Unsolved means: an argument is ``TODO`` (or holds it in an attribute), or the check's call of the
    learner's code raised ``NotSolved``. Anything else runs the check unchanged, so a solution, right
    or wrong, is always judged by the check itself. N comes from the function's name.
    """
    if not callable(check) or not hasattr(check, "__name__"):
        raise TypeError(f"check must be a function named check_exercise_N, got {_describe(check)}")
    match = CHECK_NAME.fullmatch(check.__name__)
    if match is None:
        raise ValueError(f"check must be named check_exercise_N (N = 1, 2, ...), got {check.__name__!r}")
    not_solved = f"exercise {match.group(1)}: not solved yet"

    @functools.wraps(check)
    def guarded(*args: Any, **kwargs: Any) -> None:
        if any(_holds_todo(value) for value in (*args, *kwargs.values())):
            print(not_solved)
            return
        try:
            check(*args, **kwargs)
        except NotSolved:
            print(not_solved)

    return guarded
