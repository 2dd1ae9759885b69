"""Focal-loss explorer (notebook 09): loss against p_t for chosen gamma and alpha.

``focal_figure(gamma, alpha)`` is the plain callback (tested in tests/test_widgets_focal.py);
``focal_explorer()`` wires two FloatSliders, described "gamma" and "alpha", to it.
"""

from __future__ import annotations

import torch

from .._checks import check_real
from . import Explorer, control_layout, figure_image, show_figure

GAMMA_RANGE = (0.0, 5.0)
ALPHA_RANGE = (0.0, 1.0)


def focal_curves(gamma: float, alpha: float, n: int = 200) -> dict[str, tuple[torch.Tensor, torch.Tensor]]:
    """``{label: (p_t, loss)}``: cross-entropy and the focal loss of a positive and a negative example."""
    gamma = check_real("gamma", gamma, low=GAMMA_RANGE[0], high=GAMMA_RANGE[1])
    alpha = check_real("alpha", alpha, low=ALPHA_RANGE[0], high=ALPHA_RANGE[1])
    p_t = torch.linspace(0.0, 1.0, n + 2, dtype=torch.float64)[1:-1]
    ce = -torch.log(p_t)
    modulated = (1 - p_t) ** gamma * ce
    return {
        "cross-entropy  -log(p_t)": (p_t, ce),
        f"focal, positive (weight alpha = {alpha:.2f})": (p_t, alpha * modulated),
        f"focal, negative (weight 1 - alpha = {1 - alpha:.2f})": (p_t, (1 - alpha) * modulated),
    }


def focal_figure(gamma: float, alpha: float):
    """The curves of :func:`focal_curves` on one Figure whose title names gamma and alpha."""
    import matplotlib.pyplot as plt

    curves = focal_curves(gamma, alpha)
    fig, ax = plt.subplots()
    styles = ("--", "-", "-")
    for (label, (p_t, loss)), style in zip(curves.items(), styles):
        ax.plot(p_t.numpy(), loss.numpy(), style, label=label)
    ax.set(
        xlabel="p_t (probability of the true class)",
        ylabel="loss",
        ylim=(0, 5),
        xlim=(0, 1),
        title=f"focal loss, gamma = {float(gamma):.2f}, alpha = {float(alpha):.2f}",
    )
    ax.legend(loc="upper right")
    fig.tight_layout()
    return fig


def focal_explorer(gamma: float = 2.0, alpha: float = 0.25) -> Explorer:
    """An :class:`~helpers.widgets.Explorer` (a VBox): two FloatSliders, described "gamma" and
    "alpha", above an Image of :func:`focal_figure` at the size of the notebook's static figures.

    Moving a slider redraws the image. It uses an ``Image`` widget rather than ``interactive``'s
    ``Output`` widget, so no figure leaks into the cell output and nbclient can execute it.
    """
    import ipywidgets as widgets

    gamma = check_real("gamma", gamma, low=GAMMA_RANGE[0], high=GAMMA_RANGE[1])
    alpha = check_real("alpha", alpha, low=ALPHA_RANGE[0], high=ALPHA_RANGE[1])
    gamma_slider = widgets.FloatSlider(value=gamma, min=GAMMA_RANGE[0], max=GAMMA_RANGE[1], step=0.25,
                                       description="gamma", readout_format=".2f", continuous_update=False,
                                       **control_layout())
    alpha_slider = widgets.FloatSlider(value=alpha, min=ALPHA_RANGE[0], max=ALPHA_RANGE[1], step=0.05,
                                       description="alpha", readout_format=".2f", continuous_update=False,
                                       **control_layout())
    image = figure_image()

    def redraw(change: object = None) -> None:
        show_figure(image, focal_figure(gamma_slider.value, alpha_slider.value))

    gamma_slider.observe(redraw, names="value")
    alpha_slider.observe(redraw, names="value")
    redraw()
    return Explorer([gamma_slider, alpha_slider, image])


__all__ = ["focal_curves", "focal_explorer", "focal_figure"]
