"""Run nbval over notebooks with the project's settings (``make test`` calls this).

Usage: python scripts/run_nbval.py [--capability NAME|others] [PATH ...] [-- EXTRA PYTEST ARGS]
(default PATH: notebooks/). The kernels get the environment of notebook_env.py; the notebooks run in
parallel when pytest-xdist is installed (the maintainer's tools), one after another otherwise (the
reader's set, e.g. in Binder's image).

``--capability NAME`` runs the kernels with ``ATEN_CPU_CAPABILITY=NAME`` (PyTorch then dispatches to
that family of CPU kernels: ``default`` has no SIMD) and checks that PyTorch honours it.
``--capability others`` runs nbval once under each capability this CPU can run other than its
native one (``make portable``): stored outputs must not depend on the kernels that wrote them.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys

from notebook_env import (
    NBVAL_ARGS,
    NBVAL_SERIAL_ARGS,
    NOTEBOOKS,
    ROOT,
    apply_kernel_env,
    capability_in_effect,
    other_capabilities,
)


def run(paths: list[str], extra: list[str], capability: str | None = None) -> int:
    env = dict(os.environ)
    apply_kernel_env(env)
    if capability:
        env["ATEN_CPU_CAPABILITY"] = capability
        seen = capability_in_effect(env)
        if seen != capability:
            print(f"run_nbval: asked PyTorch for ATEN_CPU_CAPABILITY={capability}, it runs {seen}", file=sys.stderr)
            return 2
        print(f"run_nbval: kernels run with ATEN_CPU_CAPABILITY={capability}", flush=True)
    args = NBVAL_ARGS if importlib.util.find_spec("xdist") else NBVAL_SERIAL_ARGS
    return subprocess.call([sys.executable, "-m", "pytest", *args, *extra, *paths], cwd=ROOT, env=env)


def main(argv: list[str]) -> int:
    extra: list[str] = []
    if "--" in argv:
        i = argv.index("--")
        argv, extra = argv[:i], argv[i + 1 :]
    capability = None
    if argv[:1] == ["--capability"]:
        if len(argv) < 2:
            print(__doc__, file=sys.stderr)
            return 2
        capability, argv = argv[1], argv[2:]
    paths = argv or [str(NOTEBOOKS)]
    if capability != "others":
        return run(paths, extra, capability)
    others = other_capabilities()
    if not others:
        print("run_nbval: this CPU's native kernels are PyTorch's lowest family; nothing else to run")
        return 0
    print(f"run_nbval: native capability {capability_in_effect(dict(os.environ, ATEN_CPU_CAPABILITY=''))}; "
          f"also running under {', '.join(others)}", flush=True)
    failed = [c for c in others if run(paths, extra, c) != 0]
    if failed:
        print(f"run_nbval: nbval failed under ATEN_CPU_CAPABILITY={', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
