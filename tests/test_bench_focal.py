"""scripts/bench_focal.py times three versions of one loss: they must compute the same value."""

from __future__ import annotations

import pytest
import torch

import bench_focal


def test_the_three_timed_versions_compute_the_same_loss():
    g = torch.Generator().manual_seed(0)
    logits = 3 * torch.randn(10_000, generator=g)
    targets = (torch.rand(10_000, generator=g) < 0.06).float()
    inline = bench_focal.inline_focal(logits, targets)
    assert bench_focal.library_focal(logits, targets).item() == pytest.approx(inline.item(), rel=1e-5)
    assert bench_focal.article_focal(logits, targets).item() == pytest.approx(inline.item(), rel=1e-4)


def test_run_returns_one_row_per_version_with_inline_as_the_reference():
    rows = bench_focal.run(n=1_000, rounds=1, min_run_time=0.01)
    assert [r["name"] for r in rows] == ["inline (fused ops)", "helpers.focal_loss", "article (probabilities)"]
    assert rows[0]["ratio to inline"] == 1.0
    assert all(r["forward+backward ms"] > 0 for r in rows)
    assert "| helpers.focal_loss |" in bench_focal.markdown_table(rows)
