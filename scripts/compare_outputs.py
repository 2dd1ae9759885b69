"""Compare a notebook's outputs with another execution of it: text exactly, figures by tolerance.

Used by tests/test_determinism.py. Text (stdout, stderr, text/plain, text/html, errors) must match
exactly after the sanitizer of nbval; figures are compared the way matplotlib's own test suite
compares images: the root-mean-square difference of the pixel values (0-255) must stay within
``FIGURE_RMS_TOL``. A moved anti-aliased pixel (another CPU's round-off in a curve) changes the RMS
by a few hundredths; a changed curve changes it by whole units (tests/test_compare_outputs.py
measures both).
"""

from __future__ import annotations

import base64
import configparser
import io
import re

import numpy as np
from matplotlib.testing.compare import calculate_rms
from PIL import Image

from notebook_env import SANITIZE

IGNORE_TAG = "nbval-ignore-output"
IMAGE_KEYS = ("image/png",)
FIGURE_RMS_TOL = 0.5


def sanitizers() -> list[tuple[re.Pattern, str]]:
    cfg = configparser.ConfigParser()
    cfg.read(SANITIZE)
    return [(re.compile(cfg[s]["regex"]), cfg[s]["replace"]) for s in cfg.sections()]


def png_pixels(data: str | list[str] | bytes) -> np.ndarray:
    """The RGB pixels of a PNG given as bytes or as the notebook's base64 text."""
    if not isinstance(data, bytes):
        data = base64.b64decode("".join(data) if isinstance(data, list) else data)
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"), dtype=np.int16)


def figure_rms(a: str | list[str] | bytes, b: str | list[str] | bytes) -> float:
    """RMS difference of two PNGs' pixel values (0-255); ``inf`` when their sizes differ."""
    pa, pb = png_pixels(a), png_pixels(b)
    if pa.shape != pb.shape:
        return float("inf")
    return float(calculate_rms(pa, pb))


def normalise(nb: dict) -> list[dict]:
    """Every code cell's outputs, sanitized and with consecutive streams merged; figures kept as PNG.

    Cells whose output nbval ignores are reduced to their execution count.
    """
    subs = sanitizers()

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
            item: dict = {"type": out["output_type"]}
            if out["output_type"] == "stream":
                item[out["name"]] = clean(out["text"])
            elif out["output_type"] == "error":
                item["error"] = f"{out['ename']}: {clean(out['evalue'])}"
            else:
                data = out.get("data", {})
                item["data"] = {k: clean(v) for k, v in data.items() if k not in IMAGE_KEYS}
                item["figures"] = {k: data[k] for k in IMAGE_KEYS if k in data}
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


def _without_figures(cell: dict) -> dict:
    if "outputs" not in cell:
        return cell
    return {**cell, "outputs": [{k: sorted(v) if k == "figures" else v for k, v in o.items()} for o in cell["outputs"]]}


def cell_differences(fresh: list[dict], stored: list[dict], tol: float = FIGURE_RMS_TOL) -> list[str]:
    """What differs between two normalised executions: one line per code cell (numbered from 1)."""
    if len(fresh) != len(stored):
        return [f"{len(fresh)} code cells executed, {len(stored)} stored"]
    problems = []
    for i, (a, b) in enumerate(zip(fresh, stored), start=1):
        if _without_figures(a) != _without_figures(b):
            problems.append(f"code cell {i}: text output differs")
            continue
        for out_a, out_b in zip(a.get("outputs", []), b.get("outputs", [])):
            for key in out_b.get("figures", {}):
                rms = figure_rms(out_a["figures"][key], out_b["figures"][key])
                if not rms <= tol:
                    problems.append(f"code cell {i}: figure differs, RMS {rms:.3f} > {tol}")
    return problems
