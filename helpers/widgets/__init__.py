"""Interactive explorers (ipywidgets), one module per notebook that has one.

Each explorer's callback is a plain function (parameters in, figure or text out) that
tests/ call directly, without a browser; the widget only wires sliders to it. The figure is
shown as PNG bytes in an ``ipywidgets.Image`` rather than captured by an ``Output`` widget
(``interact``): nothing leaks into the cell's outputs, and nbclient, which ``make execute`` uses
without storing widget state, fails on ``Output`` widgets.
"""

from __future__ import annotations

import io
from typing import Any


def figure_png(fig: Any) -> bytes:
    """The PNG bytes of the matplotlib Figure ``fig``, which is closed afterwards."""
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()
