"""The datasets as the tutorial shows them: a sample grid per dataset, and their statistics as JSON."""

from __future__ import annotations

import json

import numpy as np

from train.data import Dataset, load
from train.figures.png import png_bytes

DATASETS = ("mnist", "fashion-mnist")


def sample_grid(data: Dataset, per_class: int = 3, scale: int = 3, gap: int = 2) -> np.ndarray:
    """``per_class`` rows, one column per class, of training images, white on black, on a dark grey grid.

    Returns:
        uint8 grey (per_class * (28 * scale + gap) + gap, classes * (28 * scale + gap) + gap).
    """
    classes = len(data.class_names)
    cell = 28 * scale + gap
    grid = np.full((per_class * cell + gap, classes * cell + gap), 60, np.uint8)
    for label in range(classes):
        images = data.x_train[data.y_train == label][:per_class]
        for row, image in enumerate(images):
            y, x = gap + row * cell, gap + label * cell
            grid[y : y + 28 * scale, x : x + 28 * scale] = np.kron(image, np.ones((scale, scale), np.uint8))
    return grid


def samples_png(name: str) -> bytes:
    """PNG of ``sample_grid`` for the dataset ``name`` ("mnist" or "fashion-mnist")."""
    return png_bytes(sample_grid(load(name)))


def stats(data: Dataset) -> dict[str, object]:
    """Shapes, dtype, pixel range, per-class counts and provenance of a dataset, JSON-ready (ints, strs, lists)."""
    return {
        "class_names": list(data.class_names),
        "train_shape": list(data.x_train.shape),
        "test_shape": list(data.x_test.shape),
        "dtype": str(data.x_train.dtype),
        "train_size": len(data.x_train),
        "test_size": len(data.x_test),
        "pixel_min": int(data.x_train.min()),
        "pixel_max": int(data.x_train.max()),
        "train_counts": np.bincount(data.y_train, minlength=len(data.class_names)).tolist(),
        "test_counts": np.bincount(data.y_test, minlength=len(data.class_names)).tolist(),
        "source": data.source,
        "split": data.split,
    }


def dataset_stats() -> str:
    """``runs/datasets.json``: ``stats`` of every dataset, by name, indented one space."""
    summary = {name: stats(load(name)) for name in DATASETS}
    return json.dumps(summary, indent=1) + "\n"
