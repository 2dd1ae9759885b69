"""Temperature explorer for softmax (notebook 03_softmax).

``temperature_figure(logits, temperature)`` is the plain callback: it draws the bar chart of
``softmax(logits / temperature)`` next to the plain softmax (temperature 1) and returns the Figure,
so tests call it without a browser. ``temperature_explorer(logits)`` only wires an ipywidgets
``FloatSlider`` (described "temperature") to that callback and shows each new figure as a PNG
in an ``Image`` widget, at the size of the notebook's static figures.
"""

from __future__ import annotations

import torch

from .._checks import check_positive_float, check_tensor
from . import Explorer, control_layout, figure_image, show_figure

MIN_TEMPERATURE = 0.05
MAX_TEMPERATURE = 5.0
STEP = 0.05


def _check_logits(logits: object) -> torch.Tensor:
    logits = check_tensor("logits", logits, ndim=1, floating=True)
    if logits.numel() < 2:
        raise ValueError(f"logits must hold at least 2 classes, got {logits.numel()}")
    if not torch.isfinite(logits).all():
        raise ValueError(f"logits must be finite, got {logits.tolist()}")
    return logits.detach()


def temperature_figure(logits: torch.Tensor, temperature: float):
    """Bar chart of ``softmax(logits / temperature)`` beside ``softmax(logits)``; returns the Figure.

    ``logits``: a 1-D floating tensor of shape ``(C,)``, C >= 2, finite. ``temperature``: a finite
    real number > 0. The title names the temperature, so each slider position looks different.
    End a notebook cell with ``plt.show()``.
    """
    import matplotlib.pyplot as plt

    logits = _check_logits(logits)
    temperature = check_positive_float("temperature", temperature)
    probs = torch.softmax(logits / temperature, dim=0)
    plain = torch.softmax(logits, dim=0)

    classes = torch.arange(logits.numel()).numpy()
    width = 0.4
    fig, ax = plt.subplots()
    ax.bar(classes - width / 2, probs.numpy(), width, label=f"T = {temperature:.2f}")
    ax.bar(classes + width / 2, plain.numpy(), width, label="T = 1 (plain softmax)", alpha=0.45)
    ax.axhline(1 / logits.numel(), color="grey", linestyle="--", linewidth=1, label="uniform 1/C")
    ax.set_xticks(classes, [f"class {i}\nlogit {v:.2f}" for i, v in enumerate(logits.tolist())])
    ax.set(ylim=(0, 1), xlabel="class", ylabel="probability", title=f"softmax(logits / T) at temperature T = {temperature:.2f}")
    ax.legend(loc="upper right")
    fig.tight_layout()
    return fig


def temperature_explorer(logits: torch.Tensor, temperature: float = 1.0) -> Explorer:
    """A slider (``FloatSlider``, described "temperature", 0.05 to 5) above an ``Image`` of
    ``temperature_figure(logits, slider value)``, redrawn whenever the slider moves.

    The figure is rendered to PNG bytes rather than captured in an ``Output`` widget, so the
    explorer needs no running kernel to update and nothing leaks into the cell's outputs.
    Returns the :class:`~helpers.widgets.Explorer` (a VBox; display it as the last expression of a cell).
    """
    import ipywidgets as widgets

    logits = _check_logits(logits)
    temperature = check_positive_float("temperature", temperature)
    if not MIN_TEMPERATURE <= temperature <= MAX_TEMPERATURE:
        raise ValueError(
            f"temperature must lie in [{MIN_TEMPERATURE}, {MAX_TEMPERATURE}] (the slider's range), got {temperature}"
        )

    slider = widgets.FloatSlider(
        value=temperature,
        min=MIN_TEMPERATURE,
        max=MAX_TEMPERATURE,
        step=STEP,
        description="temperature",
        readout_format=".2f",
        continuous_update=False,
        **control_layout(),
    )
    image = figure_image()

    def redraw(change: object = None) -> None:
        show_figure(image, temperature_figure(logits, slider.value))

    slider.observe(redraw, names="value")
    redraw()
    return Explorer([slider, image])
