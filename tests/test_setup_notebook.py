"""helpers.setup_notebook: seeds, threads, print options, plot settings and warning format."""

from __future__ import annotations

import warnings

import matplotlib
import numpy as np
import pytest
import torch

from helpers import setup_notebook
from helpers.notebook import DPI, FIGSIZE


@pytest.fixture(autouse=True)
def restore_state():
    threads = torch.get_num_threads()
    formatwarning = warnings.formatwarning
    yield
    torch.set_num_threads(threads)
    torch.set_printoptions(profile="default")
    np.set_printoptions(precision=8, suppress=False)
    warnings.formatwarning = formatwarning
    matplotlib.rcdefaults()


def test_same_seed_gives_same_random_numbers():
    setup_notebook(seed=3)
    a = (torch.rand(3), np.random.rand(3))
    setup_notebook(seed=3)
    b = (torch.rand(3), np.random.rand(3))
    assert torch.equal(a[0], b[0]) and np.array_equal(a[1], b[1])


def test_sets_one_thread_by_default():
    setup_notebook()
    assert torch.get_num_threads() == 1


def test_prints_version_seed_and_threads_without_local_build_label(capsys):
    setup_notebook(seed=5)
    out = capsys.readouterr().out
    assert out == f"torch {torch.__version__.split('+')[0]} | seed 5 | 1 thread\n"


def test_print_options_use_fixed_precision_without_scientific_notation():
    setup_notebook()
    assert str(torch.tensor([1e-5, 1.0])) == "tensor([0.0000, 1.0000])"


def test_matplotlib_figures_have_fixed_size_and_dpi():
    setup_notebook()
    assert tuple(matplotlib.rcParams["figure.figsize"]) == FIGSIZE
    assert matplotlib.rcParams["figure.dpi"] == DPI


def test_warnings_are_formatted_without_file_paths():
    setup_notebook()
    text = warnings.formatwarning("careful", UserWarning, "/some/local/path.py", 12)
    assert text == "UserWarning: careful\n"


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"seed": -1}, ValueError, "seed must be >= 0, got -1"),
        ({"seed": 1.5}, TypeError, "seed must be an int, got float 1.5"),
        ({"seed": True}, TypeError, "seed must be an int"),
        ({"threads": 0}, ValueError, "threads must be >= 1, got 0"),
        ({"precision": "4"}, TypeError, "precision must be an int, got str '4'"),
    ],
)
def test_bad_arguments_raise_naming_the_argument(kwargs, error, message):
    with pytest.raises(error, match=message):
        setup_notebook(**kwargs)
