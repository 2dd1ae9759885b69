"""Re-execute notebooks in place, top to bottom, each in a fresh kernel (``make execute``).

Uses the kernel environment of notebook_env.py, the one nbval uses in ``make test``; cells tagged
``raises-exception`` may raise, any other error stops with a non-zero exit. Outputs are never
edited by hand: this script is the only thing that writes them.

Usage: python scripts/execute_notebooks.py [NOTEBOOK ...]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from notebook_env import ROOT, apply_kernel_env, notebook_paths

TIMEOUT = 300  # seconds per cell; the budget is 10 s per notebook, this only catches hangs


def client_for(nb: nbformat.NotebookNode, folder: Path) -> NotebookClient:
    """The nbclient settings of every execution outside nbval (make execute, make bench, tests):
    the python3 kernel started in ``folder``, no timing metadata, no widget state stored."""
    return NotebookClient(
        nb,
        timeout=TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(folder)}},
        record_timing=False,
        store_widget_state=False,
    )


def coalesce_streams(nb: nbformat.NotebookNode) -> None:
    """Merge consecutive stdout (or stderr) chunks of a cell into one output.

    How a cell's printing is cut into messages depends on timing (a loaded machine flushes more
    often); the stored notebook should not, so that a re-execution changes nothing in the file.
    """
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        merged: list = []
        for out in cell.outputs:
            last = merged[-1] if merged else None
            if (out.output_type == "stream" and last is not None and last.output_type == "stream"
                    and last.name == out.name):
                last.text += out.text
            else:
                merged.append(out)
        cell.outputs = merged


def run(path: Path) -> tuple[nbformat.NotebookNode, float]:
    """Execute the notebook at ``path`` in a fresh kernel; return it (not written) and the seconds taken."""
    nb = nbformat.read(path, as_version=4)
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    nb.metadata.pop("widgets", None)
    client = client_for(nb, path.parent)
    start = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - start
    nb.metadata.pop("widgets", None)
    coalesce_streams(nb)
    nbformat.validate(nb)
    return nb, elapsed


def execute(path: Path) -> float:
    """Execute the notebook at ``path`` and write it back with its new outputs."""
    nb, elapsed = run(path)
    nbformat.write(nb, path)
    return elapsed


def main(argv: list[str]) -> int:
    apply_kernel_env()
    paths = notebook_paths(argv)
    if not paths:
        print("no notebooks found", file=sys.stderr)
        return 1
    for path in paths:
        try:
            elapsed = execute(path)
        except CellExecutionError as exc:
            print(f"FAILED {path.relative_to(ROOT)}:\n{exc}", file=sys.stderr)
            return 1
        print(f"executed {path.relative_to(ROOT)} in {elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
