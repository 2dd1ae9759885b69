"""Exercise checks of notebook 02 catch wrong solutions a learner would plausibly write (see exercise_harness.py)."""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from exercise_harness import load_checks, run_check, wrong_cases

NOTEBOOK = "02_activations.ipynb"


@pytest.fixture(scope="module")
def checks():
    return load_checks(NOTEBOOK)


# Exercise 1: the smallest float32 x at which the exact tanh, rounded to float32, is 1 (9.010914).
def first_float32(condition, low: float, high: float) -> torch.Tensor:
    """Smallest float32 x in (low, high] with condition(x) true (bisection over the bit patterns)."""
    a = torch.tensor(low).view(torch.int32).item()
    b = torch.tensor(high).view(torch.int32).item()
    while b - a > 1:
        middle = (a + b) // 2
        if condition(torch.tensor(middle, dtype=torch.int32).view(torch.float32)):
            b = middle
        else:
            a = middle
    return torch.tensor(b, dtype=torch.int32).view(torch.float32)


def exact_tanh_is_one(t):
    return torch.tanh(t.double()).float() == 1


ANSWER = first_float32(exact_tanh_is_one, 1.0, 100.0)
KERNEL = first_float32(lambda t: torch.tanh(t) == 1, 1.0, 100.0)  # where this CPU's float32 kernel saturates
FLOAT64_UNROUNDED = first_float32(lambda t: torch.tanh(t.double()) == 1, 1.0, 100.0)  # about 19.06
FULL_ULP = first_float32(lambda t: 1 - torch.tanh(t.double()) < 2**-24, 1.0, 100.0)  # 12.5 ln 2: 2^-24, not 2^-25
ESTIMATE = torch.tensor(13 * math.log(2), dtype=torch.float32)  # the estimate itself, not searched from
EXACT_SIGMOID = first_float32(lambda t: torch.sigmoid(t.double()).float() == 1, 1.0, 100.0)  # the wrong function


# Exercise 2: gelu_tanh(x) = 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) without F.gelu.
def gelu_library(x):
    return F.gelu(x, approximate="tanh")


def gelu_exact_erf(x):
    return 0.5 * x * (1 + torch.erf(x / math.sqrt(2)))  # the exact GELU, not its tanh approximation


def gelu_no_square_root(x):
    return 0.5 * x * (1 + torch.tanh(2 / math.pi * (x + 0.044715 * x**3)))


def gelu_square_not_cube(x):
    return 0.5 * x * (1 + torch.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**2)))


def gelu_sigmoid_approximation(x):
    return x * torch.sigmoid(1.702 * x)


def gelu_tanh_from_exp(x):
    u = math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)
    tanh = (torch.exp(2 * u) - 1) / (torch.exp(2 * u) + 1)  # inf / inf = nan for large |x|
    return 0.5 * x * (1 + tanh)


def gelu_math_tanh(x):
    return 0.5 * x * (1 + math.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)))  # math works on numbers only


def gelu_detached(x):
    x = x.detach()
    return 0.5 * x * (1 + torch.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)))


# Exercise 3: a module Swish, x * sigmoid(beta * x), beta a learnable scalar initialised to 1.
class Swish(nn.Module):
    def __init__(self, beta=None):
        super().__init__()
        self.beta = nn.Parameter(torch.tensor(1.0)) if beta is None else beta

    def forward(self, x):
        return x * torch.sigmoid(self.beta * x)


class SwishPlainTensor(Swish):
    def __init__(self):
        super().__init__(beta=torch.tensor(1.0))  # an attribute, not a registered parameter


class SwishBetaScalesOutput(Swish):
    def forward(self, x):
        return self.beta * x * torch.sigmoid(x)


class SwishBetaDetached(Swish):
    def forward(self, x):
        return x * torch.sigmoid(self.beta.detach() * x)


class SwishExpFormula(Swish):
    def forward(self, x):
        return x / (1 + torch.exp(-self.beta * x))  # NaN gradient once exp overflows


class SwishMathExp(Swish):
    def forward(self, x):
        return x / (1 + math.exp(-self.beta * x))  # math.exp of a tensor of many elements raises


class SwishStartsAtHalf(Swish):
    def __init__(self):
        super().__init__(beta=nn.Parameter(torch.tensor(0.5)))


class SwishFrozenBeta(Swish):
    def __init__(self):
        super().__init__(beta=nn.Parameter(torch.tensor(1.0), requires_grad=False))


class SwishIgnoresBeta(Swish):
    def forward(self, x):
        return F.silu(x)


WRONG = {
    1: {
        "torch-tanh-kernel": ((KERNEL,), "property of the kernel"),
        "float64-not-rounded": ((FLOAT64_UNROUNDED,), "Compare after rounding"),
        "full-ulp-not-half": ((FULL_ULP,), "halfway"),
        "estimate-not-searched": ((ESTIMATE,), "step up from 13 ln 2"),
        "last-x-below-one": ((torch.nextafter(ANSWER, torch.tensor(0.0)),), "halfway"),
        "one-step-too-far": ((torch.nextafter(ANSWER, torch.tensor(math.inf)),), "smallest"),
        "sigmoid-threshold": ((EXACT_SIGMOID,), "smallest"),
        "several-values": ((torch.stack([ANSWER, ANSWER]),), "one number"),
    },
    2: {
        "calls-F.gelu": ((gelu_library,), "calls F.gelu"),
        "module-nn.GELU": ((nn.GELU(approximate="tanh"),), "calls F.gelu"),
        "exact-erf-gelu": ((gelu_exact_erf,), "differs from F.gelu"),
        "no-square-root": ((gelu_no_square_root,), "differs from F.gelu"),
        "square-not-cube": ((gelu_square_not_cube,), "differs from F.gelu"),
        "sigmoid-approximation": ((gelu_sigmoid_approximation,), "differs from F.gelu"),
        "tanh-from-exp": ((gelu_tanh_from_exp,), "not finite"),
        "detached": ((gelu_detached,), "no gradient"),
        "math-tanh": ((gelu_math_tanh,), "raised ValueError"),
    },
    3: {
        "class-not-instance": ((Swish,), "instance"),
        "plain-tensor-beta": ((SwishPlainTensor(),), "one learnable scalar"),
        "beta-scales-output": ((SwishBetaScalesOutput(),), "not x * sigmoid(beta * x)"),
        "ignores-beta": ((SwishIgnoresBeta(),), "not x * sigmoid(beta * x)"),
        "beta-detached": ((SwishBetaDetached(),), "no gradient"),
        "exp-formula": ((SwishExpFormula(),), "not finite"),
        "math-exp": ((SwishMathExp(),), "raised ValueError"),
        "starts-at-half": ((SwishStartsAtHalf(),), "start at 1"),
        "frozen-beta": ((SwishFrozenBeta(),), "require grad"),
    },
}


@pytest.mark.filterwarnings("ignore:Converting a tensor with requires_grad=True to a scalar")  # math.tanh(tensor)
@pytest.mark.parametrize(("n", "args", "fragment"), wrong_cases(WRONG))
def test_wrong_solution_fails_and_says_why(checks, n, args, fragment):
    out = run_check(checks, n, *args)
    assert out.startswith(f"exercise {n}: fail"), out
    assert fragment in out, out


def test_reference_answers_pass(checks):
    assert run_check(checks, 1, ANSWER) == "exercise 1: pass\n"
    assert run_check(checks, 1, ANSWER.item()) == "exercise 1: pass\n"  # a Python float works too
    assert run_check(checks, 3, Swish()) == "exercise 3: pass\n"


def test_swish_check_leaves_beta_as_it_found_it(checks):
    swish = Swish()
    run_check(checks, 3, swish)
    assert swish.beta.item() == 1.0 and swish.beta.grad is None
