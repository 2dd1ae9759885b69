"""nbval settings: kernels started for the notebooks in this folder get the environment of
scripts/notebook_env.py (one thread, no MPLBACKEND), the same one `make execute` uses."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

from notebook_env import apply_kernel_env  # noqa: E402

apply_kernel_env()
