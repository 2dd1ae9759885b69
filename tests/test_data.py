"""helpers.load_dataset / list_datasets: shapes, dtypes, checksums, and clear errors."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from helpers import DataIntegrityError, list_datasets, load_dataset
from helpers.data import DATA_DIR, DATASETS

EXPECTED_SHAPES = {
    "regression_outliers": (100, 1),
    "imbalanced_binary": (2000, 2),
    "spirals": (600, 2),
    "circles": (400, 2),
    "iris": (150, 4),
    "breast_cancer": (569, 30),
}


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder)
    return folder


def _rewrite(folder: Path, filename: str, content: str) -> None:
    """Replace a file and its checksum, so that only the parser can object."""
    (folder / filename).write_text(content, encoding="utf-8")
    digest = hashlib.sha256(content.encode()).hexdigest()
    lines = [
        f"{digest}  {filename}" if line.endswith(f"  {filename}") else line
        for line in (folder / "SHA256SUMS").read_text().splitlines()
    ]
    (folder / "SHA256SUMS").write_text("\n".join(lines) + "\n")


def test_list_datasets_names_every_registered_set_sorted():
    assert list_datasets() == sorted(EXPECTED_SHAPES)


@pytest.mark.parametrize("name", sorted(EXPECTED_SHAPES))
def test_each_dataset_loads_with_documented_shapes_and_dtypes(name):
    ds = load_dataset(name)
    assert tuple(ds.X.shape) == EXPECTED_SHAPES[name]
    assert ds.X.dtype == torch.float32
    assert len(ds) == ds.y.shape[0] == ds.X.shape[0]
    assert len(ds.feature_names) == ds.X.shape[1]
    if ds.task == "regression":
        assert ds.y.dtype == torch.float32
    else:
        assert ds.y.dtype == torch.int64
        assert ds.y.unique().tolist() == list(range(len(ds.classes)))
    assert torch.isfinite(ds.X).all()


def test_imbalanced_binary_has_between_5_and_10_percent_positives():
    y = load_dataset("imbalanced_binary").y
    assert 0.05 <= y.float().mean().item() <= 0.10


def test_regression_outliers_flags_ten_outliers_above_the_line():
    ds = load_dataset("regression_outliers")
    outlier = ds.columns["is_outlier"].bool()
    assert outlier.sum().item() == 10
    residual = ds.y - (1.5 * ds.X[:, 0] + 0.5)
    assert (residual[outlier] > 5).all() and (residual[~outlier].abs() < 1.5).all()


def test_multiclass_sets_have_at_least_three_classes():
    for name in ("spirals", "iris"):
        assert len(load_dataset(name).classes) >= 3


def test_every_data_file_is_listed_in_sha256sums_and_matches():
    listed = {}
    for line in (DATA_DIR / "SHA256SUMS").read_text().splitlines():
        digest, filename = line.split()
        listed[filename] = digest
    files = {p.name for p in DATA_DIR.glob("*.csv")}
    assert files == set(listed) == {info.file for info in DATASETS.values()}
    for filename, digest in listed.items():
        assert hashlib.sha256((DATA_DIR / filename).read_bytes()).hexdigest() == digest


def test_data_folder_stays_small():
    total = sum(p.stat().st_size for p in DATA_DIR.iterdir())
    assert total < 2 * 1024 * 1024


def test_generation_script_reproduces_the_committed_synthetic_files(tmp_path, root):
    subprocess.run(
        [sys.executable, str(root / "scripts" / "make_datasets.py"), "--out", str(tmp_path), "--no-checksums"],
        check=True,
    )
    generated = sorted(p.name for p in tmp_path.glob("*.csv"))
    assert generated == ["circles.csv", "imbalanced_binary.csv", "regression_outliers.csv", "spirals.csv"]
    for filename in generated:
        assert (tmp_path / filename).read_bytes() == (DATA_DIR / filename).read_bytes(), filename


def test_corrupted_file_raises_naming_the_file(data_copy):
    path = data_copy / "iris.csv"
    path.write_bytes(path.read_bytes().replace(b"5.1,3.5", b"5.1,9.5", 1))
    with pytest.raises(DataIntegrityError, match=r"iris\.csv.*(corrupted|modified)"):
        load_dataset("iris", data_dir=data_copy)


def test_missing_file_raises_naming_the_file(data_copy):
    (data_copy / "spirals.csv").unlink()
    with pytest.raises(FileNotFoundError, match=r"spirals\.csv"):
        load_dataset("spirals", data_dir=data_copy)


def test_missing_checksum_file_raises(data_copy):
    (data_copy / "SHA256SUMS").unlink()
    with pytest.raises(FileNotFoundError, match="SHA256SUMS"):
        load_dataset("iris", data_dir=data_copy)


def test_file_without_checksum_entry_raises(data_copy):
    sums = data_copy / "SHA256SUMS"
    sums.write_text("".join(line + "\n" for line in sums.read_text().splitlines() if "circles" not in line))
    with pytest.raises(DataIntegrityError, match=r"circles\.csv has no entry"):
        load_dataset("circles", data_dir=data_copy)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("x1,x2,label\n0.1,0.2,1\n0.3,oops,0\n", r"circles\.csv line 3, column 'x2': 'oops'"),
        ("x1,x2,label\n0.1,0.2,1\n0.3,inf,0\n", r"circles\.csv line 3, column 'x2': 'inf' is not a finite"),
        ("x1,x2,label\n0.1,0.2,1\n0.3,0\n", r"circles\.csv line 3 has 2 fields, expected 3"),
        ("x1,x3,label\n0.1,0.2,1\n", r"lacks column\(s\) \['x2'\]"),
        ("x1,x2,label\n0.1,0.2,0.5\n", "integers"),
        ("x1,x2,label\n", "no rows"),
    ],
    ids=["non-numeric", "non-finite", "ragged-row", "missing-column", "non-integer-label", "header-only"],
)
def test_malformed_file_with_a_valid_checksum_raises_naming_the_problem(data_copy, content, message):
    _rewrite(data_copy, "circles.csv", content)
    with pytest.raises(DataIntegrityError, match=message):
        load_dataset("circles", data_dir=data_copy)


def test_unknown_name_raises_value_error_listing_names():
    with pytest.raises(ValueError, match=r"name must be one of \[.*'iris'.*\], got 'irises'"):
        load_dataset("irises")


@pytest.mark.parametrize("bad", [None, 3, ["iris"]])
def test_non_string_name_raises_type_error(bad):
    with pytest.raises(TypeError, match="name must be a str"):
        load_dataset(bad)


def test_bad_data_dir_type_raises():
    with pytest.raises(TypeError, match="data_dir must be a str or Path"):
        load_dataset("iris", data_dir=42)
