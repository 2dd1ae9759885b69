"""Time ``helpers.diagnose_loss`` against the forward of the loss it diagnoses (notebook 10).

The design asks that ``diagnose_loss`` cost at most 3 times the loss's own forward on the same batch of
1,000,000 elements, so that it can run on every batch while debugging. For each loss below, one batch of
``n`` float32 elements that the loss expects (nothing wrong in it, so every check runs to the end,
including the loss value compared with ln C), one thread:

- ``CrossEntropyLoss`` and ``NLLLoss``: ``(n / 10, 10)`` logits (log-probabilities for NLLLoss) and int64
  class indices;
- ``BCEWithLogitsLoss`` (logits), ``BCELoss`` (probabilities), ``MSELoss`` and ``HuberLoss``: ``n``
  predictions and ``n`` float targets.

Each is timed with ``torch.utils.benchmark.Timer.blocked_autorange`` (median of its blocks), in
``rounds`` interleaved rounds (forward, diagnose, next loss, ...) so that a burst of load on a shared
machine hits both alike; the reported time is the median over the rounds. ``run()`` returns the rows;
``python scripts/bench_diagnose.py`` prints them as a markdown table.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable

import torch
import torch.nn.functional as F
from torch import nn
from torch.utils import benchmark

from helpers import diagnose_loss

N_CLASSES = 10
TARGET_RATIO = 3.0


def batches(n: int, seed: int = 0) -> dict[str, tuple[nn.Module, torch.Tensor, torch.Tensor]]:
    """``{name: (loss module, input, target)}``: for each loss, a batch of ``n`` input elements it expects."""
    g = torch.Generator().manual_seed(seed)
    rows = n // N_CLASSES
    logits = torch.randn(rows, N_CLASSES, generator=g)
    classes = torch.randint(0, N_CLASSES, (rows,), generator=g)
    x = torch.randn(n, generator=g)
    labels = (torch.rand(n, generator=g) < 0.3).float()
    return {
        "CrossEntropyLoss": (nn.CrossEntropyLoss(), logits, classes),
        "NLLLoss": (nn.NLLLoss(), F.log_softmax(logits, dim=1), classes),
        "BCEWithLogitsLoss": (nn.BCEWithLogitsLoss(), x, labels),
        "BCELoss": (nn.BCELoss(), torch.sigmoid(x), labels),
        "MSELoss": (nn.MSELoss(), x, torch.randn(n, generator=g)),
        "HuberLoss": (nn.HuberLoss(), x, 3 * torch.randn(n, generator=g)),
    }


def _time_ms(
    fn: Callable, loss_fn: nn.Module, x: torch.Tensor, t: torch.Tensor, min_run_time: float
) -> float:
    timer = benchmark.Timer(
        stmt="fn(loss_fn, x, t)", globals={"fn": fn, "loss_fn": loss_fn, "x": x, "t": t}, num_threads=1
    )
    return timer.blocked_autorange(min_run_time=min_run_time).median * 1e3


def _forward(loss_fn: nn.Module, x: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
    return loss_fn(x, t)


def run(n: int = 1_000_000, rounds: int = 5, min_run_time: float = 0.2, seed: int = 0) -> list[dict]:
    """Rows ``{"loss", "forward ms", "diagnose ms", "ratio"}``, one per loss; ``ratio`` is diagnose / forward."""
    torch.set_num_threads(1)
    cases = batches(n, seed)
    for loss_fn, x, t in cases.values():  # warm up every path, and make sure each batch is a clean one
        _forward(loss_fn, x, t)
        found = diagnose_loss(loss_fn, x, t)
        if found:
            raise AssertionError(f"{type(loss_fn).__name__}: the benchmark batch has findings: {found}")
    samples: dict[str, dict[str, list[float]]] = {name: {"forward": [], "diagnose": []} for name in cases}
    for _ in range(rounds):
        for name, (loss_fn, x, t) in cases.items():
            samples[name]["forward"].append(_time_ms(_forward, loss_fn, x, t, min_run_time))
            samples[name]["diagnose"].append(_time_ms(diagnose_loss, loss_fn, x, t, min_run_time))
    rows = []
    for name, times in samples.items():
        forward, diagnose = statistics.median(times["forward"]), statistics.median(times["diagnose"])
        rows.append(
            {"loss": name, "forward ms": forward, "diagnose ms": diagnose, "ratio": diagnose / forward}
        )
    return rows


def markdown_table(rows: list[dict], n: int = 1_000_000) -> str:
    lines = [
        f"| diagnose_loss, {n:,} input elements, 1 thread | forward ms | diagnose_loss ms | ratio (target <= "
        f"{TARGET_RATIO:g}) |",
        "|---|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row['loss']} | {row['forward ms']:.2f} | {row['diagnose ms']:.2f} | {row['ratio']:.2f} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown_table(run()))
