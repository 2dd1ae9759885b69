"""Interactive explorers (ipywidgets), one module per notebook that has one.

Each explorer's callback is a plain function (parameters in, figure or text out) that
tests/ call directly, without a browser; the widget only wires sliders to it.
"""
