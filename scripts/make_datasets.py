"""Generate the synthetic data sets in data/ and rewrite data/SHA256SUMS.

Every synthetic set is drawn from a seeded NumPy generator and written with a fixed number format,
so running this script again reproduces the committed files byte for byte (tests/test_data.py
checks that). The real data sets (iris, breast_cancer) are not generated: they are committed copies
whose provenance is in data/README.md; ``--sklearn-data DIR`` re-creates them from the CSV files
that scikit-learn ships in ``sklearn/datasets/data``.

Usage:
    python scripts/make_datasets.py [--out data] [--sklearn-data DIR]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
from pathlib import Path

import numpy as np

from helpers.data import DATASETS

SEED = 20261126
FMT = "{:.6f}"


def _write_csv(path: Path, header: list[str], rows: list[list[object]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([FMT.format(v) if isinstance(v, float) else v for v in row])


def regression_outliers(rng: np.random.Generator) -> tuple[list[str], list[list[object]]]:
    """y = 1.5 x + 0.5 + noise on 100 points; 10 of them are shifted far upwards (outliers)."""
    n, n_out = 100, 10
    x = rng.uniform(-3.0, 3.0, size=n)
    y = 1.5 * x + 0.5 + rng.normal(0.0, 0.3, size=n)
    outliers = rng.choice(n, size=n_out, replace=False)
    y[outliers] += rng.uniform(8.0, 15.0, size=n_out)
    is_outlier = np.zeros(n, dtype=int)
    is_outlier[outliers] = 1
    rows = [[float(a), float(b), int(c)] for a, b, c in zip(x, y, is_outlier)]
    return ["x", "y", "is_outlier"], rows


def imbalanced_binary(rng: np.random.Generator) -> tuple[list[str], list[list[object]]]:
    """2000 points in 2-D, 6 % positives; the classes overlap, so no threshold is perfect."""
    n, n_pos = 2000, 120
    neg = rng.normal(0.0, 1.0, size=(n - n_pos, 2))
    pos = rng.normal(0.0, 0.8, size=(n_pos, 2)) + np.array([2.0, 1.5])
    X = np.vstack([neg, pos])
    y = np.concatenate([np.zeros(n - n_pos, dtype=int), np.ones(n_pos, dtype=int)])
    order = rng.permutation(n)
    rows = [[float(X[i, 0]), float(X[i, 1]), int(y[i])] for i in order]
    return ["x1", "x2", "label"], rows


def spirals(rng: np.random.Generator) -> tuple[list[str], list[list[object]]]:
    """Three interleaved spiral arms, 200 points each: not linearly separable."""
    per_class, n_classes = 200, 3
    rows: list[list[object]] = []
    for k in range(n_classes):
        r = np.linspace(0.05, 1.0, per_class)
        theta = np.linspace(0.0, 4.0, per_class) + k * 2 * np.pi / n_classes
        theta = theta + rng.normal(0.0, 0.2, size=per_class)
        x1, x2 = r * np.sin(theta), r * np.cos(theta)
        rows += [[float(a), float(b), k] for a, b in zip(x1, x2)]
    order = rng.permutation(len(rows))
    return ["x1", "x2", "label"], [rows[i] for i in order]


def circles(rng: np.random.Generator) -> tuple[list[str], list[list[object]]]:
    """Two noisy concentric rings (label 1 = inner ring), 200 points each."""
    per_class = 200
    rows: list[list[object]] = []
    for label, radius in ((0, 1.0), (1, 0.45)):
        theta = rng.uniform(0.0, 2 * np.pi, size=per_class)
        r = radius + rng.normal(0.0, 0.08, size=per_class)
        rows += [[float(a), float(b), label] for a, b in zip(r * np.cos(theta), r * np.sin(theta))]
    order = rng.permutation(len(rows))
    return ["x1", "x2", "label"], [rows[i] for i in order]


SYNTHETIC = {
    "regression_outliers.csv": regression_outliers,
    "imbalanced_binary.csv": imbalanced_binary,
    "spirals.csv": spirals,
    "circles.csv": circles,
}

# The column names are declared once, in helpers.data's registry.
IRIS_FEATURES = list(DATASETS["iris"].features)
BREAST_CANCER_FEATURES = list(DATASETS["breast_cancer"].features)


def convert_sklearn(src_dir: Path, out: Path) -> None:
    """Rewrite scikit-learn's bundled iris.csv and breast_cancer.csv with a header row.

    scikit-learn's files start with a line 'n_samples,n_features,class names...'. For
    breast_cancer, scikit-learn codes malignant as 0; here malignant (the positive class) is 1.
    """
    for name, features, target, recode in (
        ("iris.csv", IRIS_FEATURES, "species", lambda v: v),
        ("breast_cancer.csv", BREAST_CANCER_FEATURES, "malignant", lambda v: 1 - v),
    ):
        with (src_dir / name).open(encoding="utf-8") as fh:
            lines = list(csv.reader(fh))
        n_samples, n_features = int(lines[0][0]), int(lines[0][1])
        assert n_features == len(features) and len(lines) == n_samples + 1, name
        rows = [row[:-1] + [str(recode(int(row[-1])))] for row in lines[1:]]
        _write_csv(out / name, features + [target], rows)


def write_checksums(out: Path) -> None:
    lines = []
    for path in sorted(out.glob("*.csv")):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        lines.append(f"{digest}  {path.name}\n")
    (out / "SHA256SUMS").write_text("".join(lines), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "data")
    parser.add_argument("--sklearn-data", type=Path, default=None,
                        help="sklearn/datasets/data folder to re-create iris.csv and breast_cancer.csv from")
    parser.add_argument("--no-checksums", action="store_true", help="do not rewrite SHA256SUMS")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for offset, (filename, make) in enumerate(SYNTHETIC.items()):
        header, rows = make(np.random.default_rng(SEED + offset))
        _write_csv(args.out / filename, header, rows)
    if args.sklearn_data is not None:
        convert_sklearn(args.sklearn_data, args.out)
    if not args.no_checksums:
        write_checksums(args.out)


if __name__ == "__main__":
    main()
