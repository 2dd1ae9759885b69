"""The notebook comparison is real: nbval, with the project's settings, fails on a changed output.

Runs scripts/run_nbval.py (the command `make test` uses) on small notebooks and on a copy of
notebook 01 with one stored output altered, and reads the per-cell verdicts from a JUnit report.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import nbformat
import pytest

from conftest import NOTEBOOK_PATHS, ROOT


def _notebook(path: Path, source: str, outputs: list) -> None:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(source, execution_count=1)
    cell.outputs = [nbformat.from_dict(o) for o in outputs]
    nb.cells = [cell]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)


def _stream(text: str, name: str = "stdout") -> dict:
    return {"output_type": "stream", "name": name, "text": text}


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory) -> dict[str, bool]:
    folder = tmp_path_factory.mktemp("nbval")
    _notebook(folder / "same.ipynb", "print(6 * 7)", [_stream("42\n")])
    _notebook(folder / "changed.ipynb", "print(6 * 7)", [_stream("41\n")])
    _notebook(folder / "new_warning.ipynb", "import warnings\nwarnings.warn('new')\nprint(1)", [_stream("1\n")])
    _notebook(folder / "address.ipynb", "print(object())", [_stream("<object object at 0x7f12345678ab>\n")])

    first = NOTEBOOK_PATHS[0]
    nb = json.loads(first.read_text())
    altered = copy.deepcopy(nb)
    cell = next(c for c in altered["cells"] if c["cell_type"] == "code" and any(
        o["output_type"] == "stream" for o in c.get("outputs", [])) and c["execution_count"] > 1)
    stream = next(o for o in cell["outputs"] if o["output_type"] == "stream")
    stream["text"] = ["an altered output\n"]
    (folder / f"altered_{first.name}").write_text(json.dumps(altered))

    report = folder / "report.xml"
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "run_nbval.py"), str(folder), "--", f"--junitxml={report}"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    names = {p.name for p in folder.glob("*.ipynb")}
    passed: dict[str, bool] = {}
    for case in ET.parse(report).getroot().iter("testcase"):
        # nbval names a cell's test case after its notebook's path relative to pytest's rootdir,
        # with dots for slashes ("same.ipynb", or "pytest-of-root.pytest-3.nbval0.same.ipynb")
        classname = case.get("classname")
        key = next(n for n in names if classname == n or classname.endswith("." + n))
        ok = case.find("failure") is None and case.find("error") is None
        passed[key] = passed.get(key, True) and ok
    assert set(passed) == names, "every notebook must have been run"
    return passed


def test_unchanged_output_passes(verdicts):
    assert verdicts["same.ipynb"] is True


def test_changed_output_fails(verdicts):
    assert verdicts["changed.ipynb"] is False


def test_new_warning_on_stderr_fails(verdicts):
    assert verdicts["new_warning.ipynb"] is False


def test_memory_addresses_are_sanitized(verdicts):
    assert verdicts["address.ipynb"] is True


def test_altering_one_stored_output_of_the_first_notebook_fails(verdicts):
    assert verdicts[f"altered_{NOTEBOOK_PATHS[0].name}"] is False
