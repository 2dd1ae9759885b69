"""Outputs are deterministic and portable: every notebook, executed again in forward order and in
reverse order, in two processes at once, reproduces its stored outputs: text exactly, figures within
a small pixel tolerance (scripts/compare_outputs.py).

nbval compares one fresh execution with the stored outputs; this adds a second execution, the
reverse order (no notebook may depend on another having run first), the figures' pixels (nbval
ignores images) and, in the reverse run, PyTorch's portable kernels (ATEN_CPU_CAPABILITY=default:
no SIMD), so that the figures too are shown not to depend on the CPU's vector instructions.
Cells whose output nbval is told to ignore are left out here too. `make test` runs this offline
(scripts/offline.py).
"""

from __future__ import annotations

import json
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from compare_outputs import cell_differences, normalise
from conftest import NOTEBOOK_PATHS, ROOT

pytestmark = pytest.mark.slow

RUNS = {"forward": None, "reverse": "default"}  # order -> ATEN_CPU_CAPABILITY (None: the machine's own)


def _execute_in_order(paths: list[str], capability: str | None) -> dict[str, list]:
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    if capability:
        os.environ["ATEN_CPU_CAPABILITY"] = capability  # kernels inherit it; torch reads it at import
    from execute_notebooks import run
    from notebook_env import apply_kernel_env

    apply_kernel_env()
    results = {}
    for path in paths:
        nb, _ = run(Path(path))
        results[Path(path).name] = normalise(json.loads(json.dumps(nb)))
    return results


@pytest.fixture(scope="module")
def runs() -> dict[str, dict[str, list]]:
    forward = [str(p) for p in NOTEBOOK_PATHS]
    with ProcessPoolExecutor(max_workers=2) as pool:
        first = pool.submit(_execute_in_order, forward, RUNS["forward"])
        second = pool.submit(_execute_in_order, forward[::-1], RUNS["reverse"])
        return {"forward": first.result(), "reverse": second.result()}


@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=[p.name for p in NOTEBOOK_PATHS])
@pytest.mark.parametrize("order", list(RUNS))
def test_execution_reproduces_the_stored_outputs(runs, path, order):
    stored = normalise(json.loads(path.read_text()))
    problems = cell_differences(runs[order][path.name], stored)
    where = f"{order} order, ATEN_CPU_CAPABILITY={RUNS[order] or 'unset'}"
    assert not problems, f"{path.name} ({where}):\n" + "\n".join(problems)
