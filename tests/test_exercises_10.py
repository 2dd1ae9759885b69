"""Exercise checks of notebook 10 catch wrong solutions a learner would plausibly write (see exercise_harness.py);
and the notebook's own promises: its "choosing a loss" table is the one its cell runs, and its links to the
sections of 01-09 point to headings that exist."""

from __future__ import annotations

import json
import math
import re

import pytest
import torch
import torch.nn.functional as F

from conftest import ROOT
from exercise_harness import load_checks, run_check, wrong_cases

NOTEBOOK = "10_debugging_losses.ipynb"


@pytest.fixture(scope="module")
def checks():
    return load_checks(NOTEBOOK)


# Exercise 1: train_loss(logits, raw_labels), raw labels (N, 1) float numbered from 1.
def loss_without_squeeze(logits, raw_labels):
    return F.cross_entropy(logits, raw_labels.long() - 1)


def loss_with_bare_squeeze(logits, raw_labels):
    return F.cross_entropy(logits, raw_labels.squeeze().long() - 1)


def loss_forgets_to_subtract_1(logits, raw_labels):
    return F.cross_entropy(logits, raw_labels.squeeze(1).long())


def loss_with_float_indices(logits, raw_labels):
    return F.cross_entropy(logits, raw_labels.squeeze(1) - 1)


def loss_after_softmax(logits, raw_labels):
    return F.cross_entropy(torch.softmax(logits, dim=1), raw_labels.squeeze(1).long() - 1)


def nll_on_logits(logits, raw_labels):
    return F.nll_loss(logits, raw_labels.squeeze(1).long() - 1)


def summed_loss(logits, raw_labels):
    return F.cross_entropy(logits, raw_labels.squeeze(1).long() - 1, reduction="sum")


def detached_loss(logits, raw_labels):
    return torch.tensor(F.cross_entropy(logits, raw_labels.squeeze(1).long() - 1).item())


# Exercise 2: looks_like_probabilities(x) for (N, C) x.
def range_only(x):
    return bool(((x >= 0) & (x <= 1)).all())


def row_sums_only(x):
    return bool(((x.sum(dim=1) - 1).abs() <= 1e-3).all())


def exact_sums(x):
    return bool(((x >= 0) & (x <= 1)).all() and (x.sum(dim=1) == 1).all())


def sums_over_dim_0(x):
    return bool(((x >= 0) & (x <= 1)).all() and ((x.sum(dim=0) - 1).abs() <= 1e-3).all())


def first_row_only(x):
    row = x[0]
    return bool(((row >= 0) & (row <= 1)).all() and abs(row.sum().item() - 1) <= 1e-3)


def allclose_without_range(x):
    return torch.allclose(x.sum(dim=1), torch.ones(len(x)))


# Exercise 3: smoothing_floor(C, eps), the entropy of the smoothed target.
def floor_zero(C, eps):
    return 0.0


def floor_ln_c(C, eps):
    return math.log(C)


def floor_without_eps_over_c(C, eps):  # 1 - eps on the label, eps spread over the other C - 1 classes
    q_true, q_other = 1 - eps, eps / (C - 1)
    other = (C - 1) * q_other * math.log(q_other) if q_other > 0 else 0.0
    return -(q_true * math.log(q_true) + other)


def floor_without_the_0_log_0_guard(C, eps):
    q_true, q_other = 1 - eps + eps / C, eps / C
    return -(q_true * math.log(q_true) + (C - 1) * q_other * math.log(q_other))


def floor_with_torch_log_at_eps_0(C, eps):
    q = torch.full((C,), eps / C, dtype=torch.float64)
    q[0] += 1 - eps
    return -(q * q.log()).sum().item()


def floor_in_bits(C, eps):
    q_true, q_other = 1 - eps + eps / C, eps / C
    other = (C - 1) * q_other * math.log2(q_other) if q_other > 0 else 0.0
    return -(q_true * math.log2(q_true) + other)


# {exercise number: {short description: (arguments passed to check_exercise_N, a piece of the failure message)}}
WRONG = {
    1: {
        "without-squeeze": ((loss_without_squeeze,), "squeeze(1)"),
        "bare-squeeze": ((loss_with_bare_squeeze,), "squeeze() also removes N"),
        "forgets-to-subtract-1": ((loss_forgets_to_subtract_1,), "subtract 1"),
        "float-indices": ((loss_with_float_indices,), ".long()"),
        "softmax-first": ((loss_after_softmax,), "no softmax before CrossEntropyLoss"),
        "nll-on-logits": ((nll_on_logits,), "NLLLoss takes log-probabilities"),
        "sum": ((summed_loss,), "sum over the batch"),
        "detached": ((detached_loss,), "detached"),
    },
    2: {
        "range-only": ((range_only,), "the sum of every row (dim=1)"),
        "row-sums-only": ((row_sums_only,), "hold -0.5 and 1.5"),
        "exact-sums": ((exact_sums,), "to within 1e-3"),
        "sums-over-dim-0": ((sums_over_dim_0,), "softmax over dim=0"),
        "first-row-only": ((first_row_only,), "first rows are distributions and last rows are not"),
        "allclose-without-range": ((allclose_without_range,), "hold -0.5 and 1.5"),
    },
    3: {
        "zero": ((floor_zero,), "cannot reach 0"),
        "ln-c": ((floor_ln_c,), "ln C is the loss of equal logits"),
        "without-eps-over-c": ((floor_without_eps_over_c,), "1 - eps + eps/C on the labelled class"),
        "no-0-log-0-guard": ((floor_without_the_0_log_0_guard,), "0 * log 0"),
        "torch-log-at-eps-0": ((floor_with_torch_log_at_eps_0,), "0 * log 0"),
        "bits": ((floor_in_bits,), "natural log"),
    },
}


@pytest.mark.parametrize(("n", "args", "fragment"), wrong_cases(WRONG))
def test_wrong_solution_fails_and_says_why(checks, n, args, fragment):
    out = run_check(checks, n, *args)
    assert out.startswith(f"exercise {n}: fail"), out
    assert fragment in out, out


# --- the notebook's table and links -------------------------------------------------------------------


def _cells() -> list[dict]:
    return json.loads((ROOT / "notebooks" / NOTEBOOK).read_text(encoding="utf-8"))["cells"]


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else value


def _markdown() -> str:
    return "\n".join(_text(c["source"]) for c in _cells() if c["cell_type"] == "markdown")


def test_the_choosing_a_loss_table_is_the_one_its_cell_runs():
    table, section = {}, _markdown().split("## 10. Choosing a loss")[1]
    for line in section.split("\n\n")[1].splitlines()[2:]:  # the table's rows, below its header
        columns = [c.strip() for c in line.strip("|").split(" | ")]
        table[columns[0]] = columns
    run = next(
        c for c in _cells() if c["cell_type"] == "code" and _text(c["source"]).startswith("for task, (output")
    )
    printed = _text(run["outputs"][0]["text"]).splitlines()
    assert len(printed) == len(table) == 9, (printed, list(table))
    for line in printed:
        task, output, loss, target, verdict = (part.strip() for part in line.split(" | "))
        row = table[task]
        spec, values = re.fullmatch(r"(\(.*\) \w+)\s+(.*)", target).groups()
        assert f"`{output}`" in row[1], (task, output, row[1])
        assert f"`{loss}`" == row[2], (task, loss, row[2])
        assert row[3].replace("`,", "`").startswith(f"`{spec}` {values}"), (task, target, row[3])
        assert verdict == "scalar True, finite True, codes []", (task, verdict)


def _anchor(heading: str) -> str:
    """The id JupyterLab (and nbconvert) give a heading: its text, code marks removed, spaces as '-'."""
    return heading.replace("`", "").replace(" ", "-")


def _headings(notebook: str) -> set[str]:
    cells = json.loads((ROOT / "notebooks" / notebook).read_text(encoding="utf-8"))["cells"]
    lines = (line for c in cells if c["cell_type"] == "markdown" for line in _text(c["source"]).splitlines())
    return {_anchor(re.sub(r"^#+ ", "", line)) for line in lines if re.match(r"^#{1,6} ", line)}


def test_every_link_to_a_section_points_to_a_heading_that_exists():
    links = re.findall(r"\]\(((?:\d\d_[a-z0-9_]+\.ipynb)?)#((?:[^()\s]|\([^()\s]*\))+)\)", _markdown())
    assert len(links) > 30, links
    for notebook, anchor in links:
        assert anchor in _headings(notebook or NOTEBOOK), f"{notebook or NOTEBOOK}#{anchor} is not a heading"


def test_navigation_ends_the_series_at_10():
    last = _text(_cells()[-1]["source"])
    assert "09_custom_losses_focal.ipynb" in last and "README.md" in last and "Next" not in last


def test_the_thresholds_section_11_states_are_the_ones_diagnose_loss_uses():
    from helpers import _diagnose_rules as rules

    text = " ".join(_markdown().split("## 11.")[1].split())
    percent = f"{rules.IMBALANCE:.0%}".replace("%", " %")
    stated = [
        f"at least {rules.MIN_ROWS} rows",
        f"({rules.SAMPLE_ROWS} rows are read)",
        f'"in (0, 1)" needs {rules.MIN_ELEMENTS} values',
        f"from {rules.MIN_BATCH} targets on",
        f"the first {rules.SAMPLE_LOSS} loss terms",
        f"from {percent} of at least {rules.MIN_IMBALANCE} targets",
        f"at least {percent} of the (weighted) targets",
        f"more than {rules.MARGIN:g} above",
    ]
    for phrase in stated:
        assert phrase in text, phrase
