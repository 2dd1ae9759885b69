"""Outputs are deterministic: every notebook, executed again in forward and in reverse order, in
two processes at once, reproduces its stored outputs exactly (text, errors and PNG figures alike).

nbval compares one fresh execution with the stored outputs; this adds a second execution, the
reverse order (no notebook may depend on another having run first), the figures' pixels (nbval
ignores images) and the cells whose output nbval is told to ignore are left out here too.
`make test` runs this offline (scripts/offline.py).
"""

from __future__ import annotations

import configparser
import json
import re
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from conftest import NOTEBOOK_PATHS, ROOT

pytestmark = pytest.mark.slow

IGNORE_TAG = "nbval-ignore-output"


def _sanitizers() -> list[tuple[re.Pattern, str]]:
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "notebooks" / "sanitize.cfg")
    return [(re.compile(cfg[s]["regex"]), cfg[s]["replace"]) for s in cfg.sections()]


def _normalise(nb: dict) -> list:
    subs = _sanitizers()

    def clean(value):
        text = "".join(value) if isinstance(value, list) else value
        if isinstance(text, str):
            for pattern, replacement in subs:
                text = pattern.sub(replacement, text)
        return text

    cells = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        if IGNORE_TAG in cell.get("metadata", {}).get("tags", []):
            cells.append({"count": cell["execution_count"], "ignored": True})
            continue
        outputs = []
        for out in cell.get("outputs", []):
            item = {"type": out["output_type"]}
            if out["output_type"] == "stream":
                item[out["name"]] = clean(out["text"])
            elif out["output_type"] == "error":
                item["error"] = f"{out['ename']}: {clean(out['evalue'])}"
            else:
                item["data"] = {k: clean(v) for k, v in out.get("data", {}).items()}
            outputs.append(item)
        cells.append({"count": cell["execution_count"], "outputs": _merge_streams(outputs)})
    return cells


def _merge_streams(outputs: list[dict]) -> list[dict]:
    merged: list[dict] = []
    for item in outputs:
        if merged and item["type"] == "stream" and merged[-1]["type"] == "stream" and item.keys() == merged[-1].keys():
            name = next(k for k in item if k != "type")
            merged[-1] = {**merged[-1], name: merged[-1][name] + item[name]}
        else:
            merged.append(item)
    return merged


def _execute_in_order(paths: list[str]) -> dict[str, list]:
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    from execute_notebooks import run
    from notebook_env import apply_kernel_env

    apply_kernel_env()
    results = {}
    for path in paths:
        nb, _ = run(Path(path))
        results[Path(path).name] = _normalise(json.loads(json.dumps(nb)))
    return results


@pytest.fixture(scope="module")
def runs() -> dict[str, dict[str, list]]:
    forward = [str(p) for p in NOTEBOOK_PATHS]
    with ProcessPoolExecutor(max_workers=2) as pool:
        first = pool.submit(_execute_in_order, forward)
        second = pool.submit(_execute_in_order, forward[::-1])
        return {"forward": first.result(), "reverse": second.result()}


@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=[p.name for p in NOTEBOOK_PATHS])
@pytest.mark.parametrize("order", ["forward", "reverse"])
def test_execution_reproduces_the_stored_outputs(runs, path, order):
    stored = _normalise(json.loads(path.read_text()))
    fresh = runs[order][path.name]
    assert len(fresh) == len(stored)
    for i, (a, b) in enumerate(zip(fresh, stored)):
        assert a == b, f"code cell {i + 1} differs from the stored output when run in {order} order"
