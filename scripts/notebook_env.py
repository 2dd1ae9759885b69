"""The environment every notebook kernel runs in: nbval (tests), ``make execute`` and ``make bench``.

One definition, imported by notebooks/conftest.py and by the scripts, so stored outputs are
produced under exactly the settings they are checked under.
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"

# One thread everywhere: float reductions over large tensors differ between thread counts.
KERNEL_ENV = {
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "PYTHONHASHSEED": "0",
    # ipykernel's debugger otherwise warns about frozen modules at every kernel start.
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
}
# MPLBACKEND would override ipykernel's inline backend and make every figure vanish;
# PYTHONWARNINGS would change which warnings the stored outputs show.
KERNEL_ENV_REMOVED = ("MPLBACKEND", "PYTHONWARNINGS")


def apply_kernel_env(environ: MutableMapping[str, str] = os.environ) -> None:
    """Set the kernel environment in ``environ`` (kernels inherit the process environment)."""
    environ.update(KERNEL_ENV)
    for name in KERNEL_ENV_REMOVED:
        environ.pop(name, None)


def notebook_paths(args: list[str] | None = None) -> list[Path]:
    """The notebooks named in ``args``, or every notebooks/NN_*.ipynb in order."""
    if args:
        return [Path(a).resolve() for a in args]
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


# nbval, strict: every cell's text, HTML, stderr and error output is compared with the stored one.
# Notebooks run in parallel per file (--dist loadscope keeps a notebook's cells on one worker).
SANITIZE = NOTEBOOKS / "sanitize.cfg"
NBVAL_ARGS = [
    "--nbval",
    "--nbval-current-env",
    f"--nbval-sanitize-with={SANITIZE}",
    "--nbval-cell-timeout=300",
    "-n", "2",
    "--dist", "loadscope",
    "-p", "no:cacheprovider",
]
