"""scripts/drift.py: which packages it upgrades, and how it reports the cells a release changed."""

from __future__ import annotations

from drift import changed_cells, pins

REPORT = """<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" tests="3">
<testcase classname="notebooks.02_activations.ipynb" name="Cell 0">
  <failure message="Notebook cell execution failed">Cell 0: Cell outputs differ
Traceback:
 Unexpected output fields from running code: {'stderr'}
</failure></testcase>
<testcase classname="notebooks.03_softmax.ipynb" name="Cell 4">
  <failure message="Notebook cell execution failed">Traceback:
 mismatch 'stdout'
 assert reference_output == test_output failed:
  - c = 10.0: max 1.6e-07
  + c = 10.0: max 1.5e-07
</failure></testcase>
<testcase classname="notebooks.03_softmax.ipynb" name="Cell 5"/>
</testsuite></testsuites>
"""


def test_pins_reads_exact_pins_and_skips_comments_and_includes(tmp_path):
    path = tmp_path / "requirements.txt"
    path.write_text("# reader\ntorch==2.13.0\n-r other.txt\nNumPy==2.4.6  # comment\n\n")
    assert pins(path) == {"torch": "2.13.0", "numpy": "2.4.6"}


def test_the_reader_set_is_what_drift_upgrades():
    assert {"torch", "numpy", "matplotlib", "nbval"} <= set(pins())


def test_changed_cells_names_each_failed_cell_with_what_changed(tmp_path):
    report = tmp_path / "report.xml"
    report.write_text(REPORT)
    cells = dict(changed_cells(report))
    assert set(cells) == {"notebooks.02_activations.ipynb::Cell 0", "notebooks.03_softmax.ipynb::Cell 4"}
    assert "Unexpected output fields from running code: {'stderr'}" in cells["notebooks.02_activations.ipynb::Cell 0"]
    lines = cells["notebooks.03_softmax.ipynb::Cell 4"].splitlines()
    assert lines[0] == "mismatch 'stdout'" and "- c = 10.0: max 1.6e-07" in lines[1]
