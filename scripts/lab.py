"""Start JupyterLab for ``make lab``: 127.0.0.1 only, token authentication kept, opened on notebooks/.

Kernels get the environment nbval uses (notebook_env.py), so what a learner sees matches the
stored outputs. Extra arguments are passed to ``jupyter lab`` (e.g. ``--port=8890 --no-browser``).
"""

from __future__ import annotations

import os
import sys

from notebook_env import NOTEBOOKS, apply_kernel_env


def main(argv: list[str]) -> None:
    apply_kernel_env()
    for arg in argv:
        if arg.split("=")[0] in ("--ip", "--ServerApp.ip", "--IdentityProvider.token", "--ServerApp.token"):
            sys.exit(f"make lab: {arg.split('=')[0]} is fixed (127.0.0.1, generated token); remove it")
    args = [sys.executable, "-m", "jupyterlab", "--ServerApp.ip=127.0.0.1"]
    if not any(arg.startswith(("--ServerApp.root_dir", "--notebook-dir")) for arg in argv):
        args.append(f"--ServerApp.root_dir={NOTEBOOKS}")
    args += argv
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # containers, Binder-like images, CI
        args.append("--ServerApp.allow_root=True")
    print("Starting JupyterLab on 127.0.0.1; open the http://127.0.0.1:...?token=... URL printed below.",
          flush=True)
    os.execv(sys.executable, args)


if __name__ == "__main__":
    main(sys.argv[1:])
