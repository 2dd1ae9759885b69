"""``load_dataset`` / ``list_datasets``: the small CSV data sets in ``data/``.

Every file is checked against ``data/SHA256SUMS`` before it is parsed, so a missing, altered or
malformed file raises an error that names the file instead of producing silently wrong tensors.
Used by the notebooks that train models (02, 05, 06, 07, 09).
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
from dataclasses import dataclass, field
from pathlib import Path

import torch

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


class DataIntegrityError(ValueError):
    """A data file does not match its checksum, or cannot be parsed."""


@dataclass(frozen=True)
class DatasetInfo:
    file: str
    features: tuple[str, ...]
    target: str
    task: str  # "regression", "binary" or "multiclass"
    description: str
    classes: tuple[str, ...] | None = None


DATASETS: dict[str, DatasetInfo] = {
    "regression_outliers": DatasetInfo(
        "regression_outliers.csv", ("x",), "y", "regression",
        "100 points on y = 1.5x + 0.5 with noise; 10 are outliers shifted up by 8 to 15",
    ),
    "imbalanced_binary": DatasetInfo(
        "imbalanced_binary.csv", ("x1", "x2"), "label", "binary",
        "2000 points in 2-D, 6 % positives, overlapping classes", ("negative", "positive"),
    ),
    "spirals": DatasetInfo(
        "spirals.csv", ("x1", "x2"), "label", "multiclass",
        "3 interleaved spiral arms, 200 points each: not linearly separable",
        ("arm 0", "arm 1", "arm 2"),
    ),
    "circles": DatasetInfo(
        "circles.csv", ("x1", "x2"), "label", "binary",
        "2 concentric noisy rings, 200 points each (1 = inner): not linearly separable",
        ("outer", "inner"),
    ),
    "iris": DatasetInfo(
        "iris.csv", ("sepal_length_cm", "sepal_width_cm", "petal_length_cm", "petal_width_cm"),
        "species", "multiclass", "Fisher's iris: 150 flowers, 4 measurements, 3 species (real data)",
        ("setosa", "versicolor", "virginica"),
    ),
    "breast_cancer": DatasetInfo(
        "breast_cancer.csv",
        tuple(
            f"{base}_{stat}"
            for stat in ("mean", "se", "worst")
            for base in (
                "radius", "texture", "perimeter", "area", "smoothness",
                "compactness", "concavity", "concave_points", "symmetry", "fractal_dimension",
            )
        ),
        "malignant", "binary",
        "Breast Cancer Wisconsin (Diagnostic): 569 tumours, 30 features, 37 % malignant (real data)",
        ("benign", "malignant"),
    ),
}


@dataclass(frozen=True)
class Dataset:
    """A loaded data set: ``X`` (N, F) float32, ``y`` (N,) int64 for classes or float32 for regression."""

    name: str
    X: torch.Tensor
    y: torch.Tensor
    feature_names: tuple[str, ...]
    target_name: str
    task: str
    classes: tuple[str, ...] | None
    description: str
    columns: dict[str, torch.Tensor] = field(repr=False)

    def __len__(self) -> int:
        return self.X.shape[0]


def list_datasets() -> list[str]:
    """Names accepted by :func:`load_dataset`, sorted."""
    return sorted(DATASETS)


def _read_checksums(data_dir: Path) -> dict[str, str]:
    sums_path = data_dir / "SHA256SUMS"
    if not sums_path.is_file():
        raise FileNotFoundError(f"checksum file {sums_path} is missing")
    sums: dict[str, str] = {}
    for number, line in enumerate(sums_path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        parts = line.split()
        if len(parts) != 2 or len(parts[0]) != 64:
            raise DataIntegrityError(f"{sums_path} line {number} is not '<sha256>  <file>': {line!r}")
        sums[parts[1]] = parts[0]
    return sums


def _verified_bytes(data_dir: Path, filename: str) -> bytes:
    path = data_dir / filename
    expected = _read_checksums(data_dir).get(filename)
    if expected is None:
        raise DataIntegrityError(f"{filename} has no entry in {data_dir / 'SHA256SUMS'}")
    if not path.is_file():
        raise FileNotFoundError(f"data file {path} is missing (expected next to SHA256SUMS)")
    content = path.read_bytes()
    actual = hashlib.sha256(content).hexdigest()
    if actual != expected:
        raise DataIntegrityError(
            f"data file {path} is corrupted or was modified: sha256 {actual[:12]}... does not match "
            f"{expected[:12]}... in SHA256SUMS (restore it with `git checkout -- data/{filename}`)"
        )
    return content


def _parse(filename: str, content: bytes, info: DatasetInfo) -> dict[str, list[float]]:
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataIntegrityError(f"{filename} is not UTF-8 text: {exc}") from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise DataIntegrityError(f"{filename} is empty")
    header = rows[0]
    missing = [c for c in (*info.features, info.target) if c not in header]
    if missing:
        raise DataIntegrityError(f"{filename} lacks column(s) {missing}; header is {header}")
    columns: dict[str, list[float]] = {name: [] for name in header}
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise DataIntegrityError(
                f"{filename} line {number} has {len(row)} fields, expected {len(header)}"
            )
        for name, value in zip(header, row):
            try:
                number_value = float(value)
            except ValueError:
                number_value = math.nan
            if not math.isfinite(number_value):
                raise DataIntegrityError(
                    f"{filename} line {number}, column {name!r}: {value!r} is not a finite number"
                )
            columns[name].append(number_value)
    if len(rows) < 2:
        raise DataIntegrityError(f"{filename} has a header but no rows")
    return columns


def load_dataset(name: str, *, data_dir: str | Path | None = None) -> Dataset:
    """Load data set ``name`` (see :func:`list_datasets`) after verifying its checksum.

    ``data_dir`` defaults to the repository's ``data/`` folder.
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, one of {list_datasets()}, got {type(name).__name__}")
    if name not in DATASETS:
        raise ValueError(f"name must be one of {list_datasets()}, got {name!r}")
    if data_dir is not None and not isinstance(data_dir, (str, Path)):
        raise TypeError(f"data_dir must be a str or Path, got {type(data_dir).__name__}")
    folder = DATA_DIR if data_dir is None else Path(data_dir)
    info = DATASETS[name]
    raw = _parse(info.file, _verified_bytes(folder, info.file), info)
    columns = {key: torch.tensor(values, dtype=torch.float32) for key, values in raw.items()}
    X = torch.stack([columns[f] for f in info.features], dim=1)
    if info.task == "regression":
        y = columns[info.target]
    else:
        labels = torch.tensor(raw[info.target], dtype=torch.float64)
        if not torch.equal(labels, labels.round()) or labels.min() < 0:
            raise DataIntegrityError(f"{info.file}: labels in {info.target!r} must be integers >= 0")
        y = labels.to(torch.int64)
        columns[info.target] = y
    return Dataset(name, X, y, info.features, info.target, info.task, info.classes, info.description, columns)
