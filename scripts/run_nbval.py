"""Run nbval over notebooks with the project's settings (``make test`` calls this).

Usage: python scripts/run_nbval.py [PATH ...] [-- EXTRA PYTEST ARGS]   (default PATH: notebooks/)
"""

from __future__ import annotations

import subprocess
import sys

from notebook_env import NBVAL_ARGS, NOTEBOOKS, ROOT, apply_kernel_env


def main(argv: list[str]) -> int:
    extra: list[str] = []
    if "--" in argv:
        i = argv.index("--")
        argv, extra = argv[:i], argv[i + 1 :]
    apply_kernel_env()
    paths = argv or [str(NOTEBOOKS)]
    return subprocess.call([sys.executable, "-m", "pytest", *NBVAL_ARGS, *extra, *paths], cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
