"""Dataset figures and statistics for the tutorial pages.

Writes, from the verified datasets (no TensorFlow needed):

* ``docs/assets/generated/<dataset>-samples.png``: the first three training
  images of every class, one class per column, white on black, scaled 3x;
* ``docs/runs/datasets.json``: shapes, dtypes, pixel range and per-class counts;
* ``docs/assets/generated/fashion-gallery.json``: the first 10 test images of
  each Fashion-MNIST class (100 images, uint8, base64) with their labels, for
  the fashion widget's gallery.

Usage::

    python -m train.figures
"""

from __future__ import annotations

import base64
import json
import struct
import zlib
from pathlib import Path

import numpy as np

from train.data import Dataset, load

DOCS = Path(__file__).resolve().parent.parent / "docs"


def png_bytes(gray: np.ndarray, level: int = 9) -> bytes:
    """Encode a 2-D uint8 array as a grayscale PNG (no imaging library needed).

    Args:
        level: zlib level; 0 stores uncompressed, which is fast for huge test images.
    """
    height, width = gray.shape
    raw = b"".join(b"\x00" + gray[y].tobytes() for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, level)) + chunk(b"IEND", b"")
    )


def sample_grid(data: Dataset, per_class: int = 3, scale: int = 3, gap: int = 2) -> np.ndarray:
    """uint8 image: ``per_class`` rows x 10 columns of training images, one class per column."""
    cell = 28 * scale + gap
    grid = np.full((per_class * cell + gap, 10 * cell + gap), 60, np.uint8)
    for label in range(10):
        images = data.x_train[data.y_train == label][:per_class]
        for row, image in enumerate(images):
            y, x = gap + row * cell, gap + label * cell
            grid[y : y + 28 * scale, x : x + 28 * scale] = np.kron(image, np.ones((scale, scale), np.uint8))
    return grid


def stats(data: Dataset) -> dict[str, object]:
    return {
        "class_names": list(data.class_names),
        "train_shape": list(data.x_train.shape),
        "test_shape": list(data.x_test.shape),
        "dtype": str(data.x_train.dtype),
        "train_size": len(data.x_train),
        "test_size": len(data.x_test),
        "pixel_min": int(data.x_train.min()),
        "pixel_max": int(data.x_train.max()),
        "train_counts": np.bincount(data.y_train, minlength=10).tolist(),
        "test_counts": np.bincount(data.y_test, minlength=10).tolist(),
        "source": data.source,
        "split": data.split,
    }


def gallery(data: Dataset, per_class: int = 10) -> dict[str, object]:
    """``per_class`` test images of each class, in class order, as base64 uint8 rows of 784."""
    idx = np.concatenate([np.flatnonzero(data.y_test == label)[:per_class] for label in range(10)])
    return {
        "class_names": list(data.class_names),
        "labels": data.y_test[idx].astype(int).tolist(),
        "test_indices": idx.tolist(),
        "image_shape": [28, 28],
        "pixels_base64": base64.b64encode(data.x_test[idx].tobytes()).decode("ascii"),
    }


def main() -> int:
    out_images = DOCS / "assets" / "generated"
    out_images.mkdir(parents=True, exist_ok=True)
    summary = {}
    for name in ("mnist", "fashion-mnist"):
        data = load(name)
        (out_images / f"{name}-samples.png").write_bytes(png_bytes(sample_grid(data)))
        summary[name] = stats(data)
        if name == "fashion-mnist":
            (out_images / "fashion-gallery.json").write_text(json.dumps(gallery(data)) + "\n")
    (DOCS / "runs").mkdir(exist_ok=True)
    (DOCS / "runs" / "datasets.json").write_text(json.dumps(summary, indent=1) + "\n")
    print(f"wrote {out_images}/*-samples.png and {DOCS / 'runs' / 'datasets.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
