"""Time ``helpers.focal_loss`` forward + backward against the same loss written inline (notebook 09).

Three versions of the binary focal loss (alpha = 0.25, gamma = 2, mean reduction) on one batch of
1,000,000 float32 logits, one thread:

- ``inline``: the loss written out with fused PyTorch ops, as one would in a training script
  (``binary_cross_entropy_with_logits`` plus sigmoid, ``p_t``, ``alpha_t``), no argument checks;
- ``helpers.focal_loss``: the library function (argument checks, exact ``1 - p_t``, finite gradients);
- ``article (probabilities)``: the article's FocalLoss on ``sigmoid(logits)`` with BCELoss inside.

Each is timed with ``torch.utils.benchmark.Timer.blocked_autorange`` (median of its blocks), in
``rounds`` interleaved rounds (inline, library, article, inline, ...) so that a burst of load on a
shared machine hits every version alike; the reported time is the median over the rounds. The
argument checks of ``focal_loss`` (one ``aminmax`` pass over the targets) are included in its time.
``run()`` returns the rows; ``python scripts/bench_focal.py`` prints them as a markdown table.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable

import torch
import torch.nn.functional as F
from torch.utils import benchmark

from helpers import focal_loss

ALPHA, GAMMA = 0.25, 2.0


def inline_focal(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """The focal loss written inline (the torchvision ``sigmoid_focal_loss`` expression)."""
    p = torch.sigmoid(logits)
    ce = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce * (1 - p_t) ** GAMMA
    alpha_t = ALPHA * targets + (1 - ALPHA) * (1 - targets)
    return (alpha_t * loss).mean()


def article_focal(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """The article's FocalLoss body, fed probabilities (its alpha set to the same 0.25)."""
    y_pred, y_true = torch.sigmoid(logits), targets
    bce = torch.nn.BCELoss(reduction="none")(y_pred, y_true)
    p_t = (y_true * y_pred) + ((1 - y_true) * (1 - y_pred))
    alpha_factor = y_true * ALPHA + (1 - y_true) * (1 - ALPHA)
    modulating_factor = torch.pow(1.0 - p_t, GAMMA)
    return torch.mean(alpha_factor * modulating_factor * bce)


def library_focal(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    return focal_loss(logits, targets, alpha=ALPHA, gamma=GAMMA)


def _forward_backward(fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor], logits, targets) -> None:
    logits.grad = None
    fn(logits, targets).backward()


def _time_ms(fn, logits: torch.Tensor, targets: torch.Tensor, min_run_time: float) -> float:
    timer = benchmark.Timer(
        stmt="step(fn, logits, targets)",
        globals={"step": _forward_backward, "fn": fn, "logits": logits, "targets": targets},
        num_threads=1,
    )
    return timer.blocked_autorange(min_run_time=min_run_time).median * 1e3


def run(n: int = 1_000_000, rounds: int = 5, min_run_time: float = 0.3, seed: int = 0) -> list[dict]:
    """Rows ``{"name", "forward+backward ms", "ratio to inline"}``, inline first."""
    torch.set_num_threads(1)
    generator = torch.Generator().manual_seed(seed)
    logits = (3 * torch.randn(n, generator=generator)).requires_grad_(True)
    targets = (torch.rand(n, generator=generator) < 0.06).float()
    versions = {
        "inline (fused ops)": inline_focal,
        "helpers.focal_loss": library_focal,
        "article (probabilities)": article_focal,
    }
    for fn in versions.values():  # warm up every path once before timing any of them
        _forward_backward(fn, logits, targets)
    samples: dict[str, list[float]] = {name: [] for name in versions}
    for _ in range(rounds):
        for name, fn in versions.items():
            samples[name].append(_time_ms(fn, logits, targets, min_run_time))
    times = {name: statistics.median(values) for name, values in samples.items()}
    base = times["inline (fused ops)"]
    return [
        {"name": name, "forward+backward ms": ms, "ratio to inline": ms / base} for name, ms in times.items()
    ]


def markdown_table(rows: list[dict]) -> str:
    lines = ["| focal loss, 1,000,000 logits, 1 thread | forward+backward ms | ratio to inline |", "|---|---:|---:|"]
    for row in rows:
        lines.append(f"| {row['name']} | {row['forward+backward ms']:.2f} | {row['ratio to inline']:.2f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown_table(run()))
