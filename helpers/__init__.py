"""Shared helpers for the notebook series on PyTorch activation and loss functions.

They hide plumbing (seeding, plot style, data loading, the training loop), never the concept a
notebook teaches. Each module's docstring says which notebooks use it.
"""

from .data import DataIntegrityError, Dataset, list_datasets, load_dataset
from .diagnose import Finding, diagnose_loss
from .exercises import TODO, NotSolved, exercise_check
from .focal import FocalLoss, focal_loss
from .metrics import average_precision, confusion_matrix, per_class_recall, precision_recall
from .notebook import setup_notebook
from .plotting import evaluate, grid, plot_functions, plot_histories
from .training import History, mlp, train

__all__ = [
    "DataIntegrityError",
    "Dataset",
    "Finding",
    "FocalLoss",
    "History",
    "NotSolved",
    "TODO",
    "average_precision",
    "confusion_matrix",
    "diagnose_loss",
    "evaluate",
    "exercise_check",
    "focal_loss",
    "grid",
    "list_datasets",
    "load_dataset",
    "mlp",
    "per_class_recall",
    "plot_functions",
    "plot_histories",
    "precision_recall",
    "setup_notebook",
    "train",
]
