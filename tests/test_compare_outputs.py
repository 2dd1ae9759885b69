"""The determinism check's comparison: text exactly, figures within a pixel tolerance that lets
round-off through and stops a changed curve (scripts/compare_outputs.py)."""

from __future__ import annotations

import base64
import io

import matplotlib

matplotlib.use("Agg")  # noqa: E402  (off-screen, before pyplot)
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

from compare_outputs import FIGURE_RMS_TOL, cell_differences, figure_rms, normalise  # noqa: E402
from helpers.notebook import DPI, FIGSIZE  # noqa: E402

X = torch.linspace(-6, 6, 601)


def _png(sigmoid=torch.sigmoid) -> bytes:
    """A figure like the notebooks' (their size and dpi): sigmoid and tanh with a legend."""
    fig, ax = plt.subplots(figsize=FIGSIZE, dpi=DPI)
    ax.plot(X, sigmoid(X), label="sigmoid")
    ax.plot(X, torch.tanh(X), label="tanh")
    ax.set(title="two activations", xlabel="x", ylabel="f(x)")
    ax.legend()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    plt.close(fig)
    return buf.getvalue()


def _notebook(png: bytes, text: str = "done\n") -> dict:
    b64 = base64.b64encode(png).decode()
    return {"cells": [{"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [
        {"output_type": "stream", "name": "stdout", "text": text},
        {"output_type": "display_data", "data": {"image/png": b64, "text/plain": "<Figure size 480x288 with 1 Axes>"}},
    ]}]}


@pytest.fixture(scope="module")
def reference() -> bytes:
    return _png()


def test_identical_figures_have_zero_rms(reference):
    assert figure_rms(reference, _png()) == 0.0


def test_round_off_in_the_data_passes(reference):
    # another CPU's kernels: every value off by a few ulps
    assert figure_rms(reference, _png(lambda x: torch.sigmoid(x) * (1 + 4e-7))) <= FIGURE_RMS_TOL


def test_anti_aliased_pixels_that_move_pass(reference):
    # a curve moved by 1/100 of a pixel everywhere redraws its anti-aliased edge pixels
    moved = _png(lambda x: torch.sigmoid(x) + 1e-4)
    assert 0 < figure_rms(reference, moved) <= FIGURE_RMS_TOL


@pytest.mark.parametrize(
    "changed",
    [lambda x: torch.sigmoid(1.05 * x), lambda x: torch.sigmoid(x) + 0.01, lambda x: torch.sigmoid(x - 0.1)],
    ids=["slope-5-percent", "shifted-up-0.01", "shifted-right-0.1"],
)
def test_a_changed_curve_fails(reference, changed):
    assert figure_rms(reference, _png(changed)) > FIGURE_RMS_TOL


def test_figures_of_different_sizes_never_match(reference):
    fig, ax = plt.subplots(figsize=(3, 3), dpi=DPI)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    assert figure_rms(reference, buf.getvalue()) == float("inf")


def test_cell_differences_report_a_changed_curve_and_pass_round_off(reference):
    stored = normalise(_notebook(reference))
    assert cell_differences(normalise(_notebook(_png(lambda x: torch.sigmoid(x) * (1 + 4e-7)))), stored) == []
    problems = cell_differences(normalise(_notebook(_png(lambda x: torch.sigmoid(1.05 * x)))), stored)
    assert len(problems) == 1 and problems[0].startswith("code cell 1: figure differs")


def test_cell_differences_compare_text_exactly(reference):
    problems = cell_differences(normalise(_notebook(reference, "done!\n")), normalise(_notebook(reference)))
    assert problems == ["code cell 1: text output differs"]


def test_a_vanished_figure_is_a_difference(reference):
    nb = _notebook(reference)
    nb["cells"][0]["outputs"].pop()
    assert cell_differences(normalise(nb), normalise(_notebook(reference))) == ["code cell 1: text output differs"]


def test_sanitized_figure_sizes_do_not_hide_the_pixels(reference):
    stored = normalise(_notebook(reference))
    assert stored[0]["outputs"][1]["data"] == {"text/plain": "<Figure>"}
