"""``setup_notebook``: the one call at the top of every notebook (all notebooks use it).

It makes a notebook's outputs reproducible: fixed seeds, one thread (float sums over large tensors
differ between thread counts), fixed print options, PNG figures of one size, warnings printed as
``Category: message`` and tracebacks as ``ErrorType: message``, without the file paths of the
machine that produced them.
"""

from __future__ import annotations

import random
import sys
import warnings

import numpy as np
import torch

from ._checks import check_int

FIGSIZE = (6.0, 3.6)
DPI = 80


def _format_warning(message, category, filename, lineno, line=None) -> str:  # noqa: ANN001
    return f"{category.__name__}: {message}\n"


def _configure_ipython() -> None:
    """Tracebacks show only ``ErrorType: message``: the frames would print this machine's paths."""
    if "IPython" not in sys.modules:
        return
    from IPython import get_ipython

    shell = get_ipython()
    if shell is not None and hasattr(shell, "InteractiveTB"):
        shell.InteractiveTB.set_mode(mode="Minimal")


def _configure_matplotlib() -> None:
    import matplotlib
    import matplotlib.pyplot as plt  # noqa: F401  (activates the kernel's inline backend)

    if "IPython" in sys.modules:
        from IPython import get_ipython

        if get_ipython() is not None:
            from matplotlib_inline.backend_inline import set_matplotlib_formats

            set_matplotlib_formats("png")
    matplotlib.rcParams.update(
        {
            "figure.figsize": FIGSIZE,
            "figure.dpi": DPI,
            "savefig.dpi": DPI,
            "font.size": 10,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "legend.fontsize": 9,
            "figure.max_open_warning": 0,
        }
    )


def version_string() -> str:
    """The PyTorch version without a local build label ("2.13.0", not "2.13.0+cpu")."""
    return torch.__version__.split("+")[0]


def setup_notebook(seed: int = 0, *, threads: int = 1, precision: int = 4) -> None:
    """Seed every generator, fix threads and print options, configure plots and warnings.

    Prints one line (PyTorch version, seed, threads) so that every notebook shows the version
    its stored outputs belong to.
    """
    seed = check_int("seed", seed, minimum=0)
    threads = check_int("threads", threads, minimum=1)
    precision = check_int("precision", precision, minimum=0)
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(threads)
    torch.set_printoptions(precision=precision, sci_mode=False)
    np.set_printoptions(precision=precision, suppress=True)
    warnings.formatwarning = _format_warning
    _configure_matplotlib()
    _configure_ipython()
    plural = "" if threads == 1 else "s"
    print(f"torch {version_string()} | seed {seed} | {threads} thread{plural}")
