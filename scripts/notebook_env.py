"""The environment every notebook kernel runs in: nbval (tests), ``make execute`` and ``make bench``.

One definition, imported by the scripts (run_nbval.py for nbval, execute_notebooks.py, bench.py, the
tests), so stored outputs are produced under exactly the settings they are checked under. Nothing of
it lives in notebooks/: that folder holds only what a reader opens.
"""

from __future__ import annotations

import os
import subprocess
import sys
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


# PyTorch's CPU kernel families, lowest first (ATEN_CPU_CAPABILITY). A CPU can run its native
# family and every one below it; torch does not refuse a family the CPU lacks, so never ask for one.
CAPABILITIES = {"x86": ["default", "avx2", "avx512"], "arm": ["default", "sve256"]}


def capability_in_effect(environ: MutableMapping[str, str] | None = None) -> str:
    """The kernel family a fresh Python process runs PyTorch with, given ``environ`` (lower case)."""
    env = dict(os.environ if environ is None else environ)
    if not env.get("ATEN_CPU_CAPABILITY"):
        env.pop("ATEN_CPU_CAPABILITY", None)
    code = "import torch; print(torch.backends.cpu.get_cpu_capability())"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return out.stdout.strip().lower()


def other_capabilities() -> list[str]:
    """The kernel families below this CPU's native one: what ``make portable`` runs nbval under."""
    native = capability_in_effect({**os.environ, "ATEN_CPU_CAPABILITY": ""})
    for family in CAPABILITIES.values():
        if native in family:
            return family[: family.index(native)]
    return []


def notebook_paths(args: list[str] | None = None) -> list[Path]:
    """The notebooks named in ``args``, or every notebooks/NN_*.ipynb in order."""
    if args:
        return [Path(a).resolve() for a in args]
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


# nbval, strict: every cell's text, HTML, stderr and error output is compared with the stored one.
# Notebooks run in parallel per file (--dist loadscope keeps a notebook's cells on one worker).
SANITIZE = ROOT / "scripts" / "nbval_sanitize.cfg"
NBVAL_SERIAL_ARGS = [
    "--nbval",
    "--nbval-current-env",
    f"--nbval-sanitize-with={SANITIZE}",
    "--nbval-cell-timeout=300",
    "-p", "no:cacheprovider",
]
# pytest-xdist is a maintainer's tool: the reader's set (Binder's image) runs the same check serially.
NBVAL_ARGS = [*NBVAL_SERIAL_ARGS, "-n", "2", "--dist", "loadscope"]
