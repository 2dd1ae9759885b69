"""scripts/execute_notebooks.py stores a cell's printing as one output per stream, however it arrived."""

from __future__ import annotations

import nbformat

from execute_notebooks import coalesce_streams


def _cell(*outputs: dict) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("print('a'); print('b')", execution_count=1)
    cell.outputs = [nbformat.from_dict(o) for o in outputs]
    nb.cells = [cell]
    return nb


def _stream(text: str, name: str = "stdout") -> dict:
    return {"output_type": "stream", "name": name, "text": text}


def test_consecutive_chunks_of_one_stream_become_one_output():
    nb = _cell(_stream("a\n"), _stream("b\n"))
    coalesce_streams(nb)
    assert [(o.name, o.text) for o in nb.cells[0].outputs] == [("stdout", "a\nb\n")]


def test_other_streams_and_outputs_between_chunks_keep_their_order():
    figure = {"output_type": "display_data", "data": {"text/plain": "<Figure>"}, "metadata": {}}
    nb = _cell(_stream("a\n"), _stream("w\n", "stderr"), _stream("b\n"), figure, _stream("c\n"))
    coalesce_streams(nb)
    kinds = [(o.output_type, o.get("name"), o.get("text")) for o in nb.cells[0].outputs]
    assert kinds == [("stream", "stdout", "a\n"), ("stream", "stderr", "w\n"), ("stream", "stdout", "b\n"),
                     ("display_data", None, None), ("stream", "stdout", "c\n")]
