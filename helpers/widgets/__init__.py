"""Interactive explorers (ipywidgets), one module per notebook that has one (02, 03, 09).

Each explorer's callback is a plain function (parameters in, figure or text out) that
tests/ call directly, without a browser; the widget only wires sliders to it. The figure is
shown as PNG bytes in an ``ipywidgets.Image`` rather than captured by an ``Output`` widget
(``interact``): nothing leaks into the cell's outputs, and nbclient, which ``make execute`` uses
without storing widget state, fails on ``Output`` widgets.

The figure keeps the size of the notebook's static figures: the inline backend saves a figure's
tight bounding box at the figure's own dpi and the browser shows one PNG pixel per CSS pixel. An
explorer saves the same area at twice that dpi (sharp where ``devicePixelRatio`` is 2) and gives
the ``Image`` the area's size in CSS pixels, so the picture is never stretched to the cell's width.
:class:`Explorer` also carries that PNG in its output, for renderers without a kernel.
"""

from __future__ import annotations

import base64
import io
import struct
from dataclasses import dataclass
from typing import Any

import ipywidgets
import matplotlib

from .._checks import _describe

SCALE = 2  # PNG pixels per CSS pixel: every pixel shown on a screen with devicePixelRatio 2
DESCRIPTION_WIDTH = "100px"  # the longest description, "temperature", needs about 82px
SLIDER_WIDTH = "460px"  # label + track + a readout as wide as "−20.0 – 20.0"
PLACEHOLDER = "interactive explorer: run this notebook in JupyterLab to move the sliders"
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class Picture:
    """A rendered figure: ``png`` holds ``SCALE`` pixels per CSS pixel of ``width`` x ``height``."""

    png: bytes
    width: int
    height: int


def _frame_inches(fig: Any) -> tuple[Any, int, int]:
    """``(bbox, width, height)``: the area of ``fig`` the inline backend saves (its tight bounding box
    plus ``savefig.pad_inches``) as a Bbox in inches, and its size in pixels at the figure's dpi. The
    Bbox is cut to whole pixels at that dpi, so ``SCALE`` times its size in pixels is whole too."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.layout_engine import PlaceHolderLayoutEngine
    from matplotlib.transforms import Bbox

    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    renderer = canvas.get_renderer()
    engine = fig.get_layout_engine()
    if engine is not None:
        if not isinstance(engine, PlaceHolderLayoutEngine):  # constrained or tight layout, done at draw time
            fig.draw_without_rendering()  # at the figure's dpi, as the inline backend lays it out
        # Keep that layout: with an engine (even fig.tight_layout()'s placeholder), savefig draws twice.
        with matplotlib.rc_context({"figure.autolayout": False, "figure.constrained_layout.use": False}):
            fig.set_layout_engine(None)
    tight = fig.get_tightbbox(renderer).padded(matplotlib.rcParams["savefig.pad_inches"])
    # Agg truncates a size in pixels; the inline backend's PNG is int(width * dpi) wide.
    width, height = int(tight.width * fig.dpi), int(tight.height * fig.dpi)
    # A quarter of a SCALE pixel more, so the truncation at SCALE * dpi cannot lose a pixel.
    extra = 0.25 / (SCALE * fig.dpi)
    return Bbox.from_bounds(tight.x0, tight.y0, width / fig.dpi + extra, height / fig.dpi + extra), width, height


def render_figure(fig: Any) -> Picture:
    """Render the matplotlib Figure ``fig`` as the inline backend would, at ``SCALE`` times its dpi.

    ``width`` and ``height`` are the size of the notebook's static figure of the same content (in
    CSS pixels); the PNG has exactly ``SCALE`` times as many pixels each way. ``fig`` is closed.
    """
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure, got {_describe(fig)}")
    try:
        frame, width, height = _frame_inches(fig)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=SCALE * fig.dpi, bbox_inches=frame)
    finally:
        plt.close(fig)
    return Picture(buffer.getvalue(), width, height)


def png_size(png: bytes) -> tuple[int, int]:
    """``(width, height)`` in pixels of the PNG ``png``, read from its header."""
    if not isinstance(png, (bytes, bytearray, memoryview)):
        raise TypeError(f"png must be bytes, got {_describe(png)}")
    png = bytes(png)
    if len(png) < 24 or not png.startswith(_PNG_SIGNATURE) or png[12:16] != b"IHDR":
        raise ValueError(f"png must start with a PNG signature and IHDR header, got {png[:16]!r}")
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def figure_image() -> ipywidgets.Image:
    """An empty ``Image`` for an explorer's figure, sized by :func:`show_figure`.

    Its layout has a width (the figure's natural width) and ``height: auto``, with ``max-width:
    100%``: never stretched to the cell's width, and on a screen narrower than the figure shrunk
    with its aspect ratio kept (a fixed layout height would leave blank bands above and below).
    """
    layout = ipywidgets.Layout(max_width="100%", height="auto", align_self="flex-start")
    return ipywidgets.Image(format="png", layout=layout)


def show_figure(image: ipywidgets.Image, fig: Any) -> None:
    """Show ``fig`` in ``image`` at its natural CSS size: the PNG of :func:`render_figure`.

    Sets the layout's width and the ``<img>``'s ``width`` and ``height`` attributes to the natural
    size; the browser takes the aspect ratio from those before the PNG has loaded, so the height
    (``auto``) is right at once and the page does not jump while the figure is replaced.
    """
    if not isinstance(image, ipywidgets.Image):
        raise TypeError(f"image must be an ipywidgets.Image, got {type(image).__name__}")
    picture = render_figure(fig)
    image.value = picture.png
    image.width, image.height = str(picture.width), str(picture.height)
    image.layout.width = f"{picture.width}px"


def control_layout() -> dict[str, Any]:
    """The keyword arguments every explorer control shares: one description width (so the tracks
    line up and no description is cut), and a row wide enough that no readout is cut off, which a
    narrow screen may shrink (the track gives way, not the readout)."""
    layout = ipywidgets.Layout(width=SLIDER_WIDTH, max_width="100%")
    return {"style": {"description_width": DESCRIPTION_WIDTH}, "layout": layout}


class Explorer(ipywidgets.VBox):
    """An explorer: controls above the figure's ``Image`` (the last child).

    Its output carries, next to the live widget (which JupyterLab prefers when a kernel runs it),
    the figure shown when it was displayed as ``image/png`` at its natural size, and a
    ``text/plain`` that says how to bring it to life: a notebook renderer without a kernel (the
    static site of ``make site``) shows that picture instead of an empty widget.
    """

    def _repr_mimebundle_(self, **kwargs: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        data = super()._repr_mimebundle_(**kwargs)
        data["text/plain"] = PLACEHOLDER
        metadata: dict[str, Any] = {}
        png = bytes(self.children[-1].value)
        if png:
            width, height = png_size(png)
            data["image/png"] = base64.b64encode(png).decode("ascii")
            metadata["image/png"] = {"width": width // SCALE, "height": height // SCALE}
        return data, metadata


__all__ = [
    "DESCRIPTION_WIDTH", "PLACEHOLDER", "SCALE", "SLIDER_WIDTH", "Explorer", "Picture", "control_layout",
    "figure_image", "png_size", "render_figure", "show_figure",
]
