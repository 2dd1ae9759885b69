"""scripts/bench_diagnose.py times diagnose_loss against the forward of each loss, on clean batches."""

from __future__ import annotations

import bench_diagnose
from helpers import diagnose_loss


def test_every_benchmark_batch_is_one_the_loss_accepts_and_diagnose_loss_finds_clean():
    for name, (loss_fn, x, t) in bench_diagnose.batches(2_000).items():
        assert loss_fn(x, t).isfinite(), name
        assert diagnose_loss(loss_fn, x, t) == [], name


def test_run_returns_one_row_per_loss_with_positive_times_and_their_ratio():
    rows = bench_diagnose.run(n=2_000, rounds=1, min_run_time=0.01)
    assert [r["loss"] for r in rows] == list(bench_diagnose.batches(10))
    for row in rows:
        assert row["forward ms"] > 0 and row["diagnose ms"] > 0
        assert abs(row["ratio"] - row["diagnose ms"] / row["forward ms"]) < 1e-12
    table = bench_diagnose.markdown_table(rows, n=2_000)
    assert "| CrossEntropyLoss |" in table and "2,000 input elements" in table
