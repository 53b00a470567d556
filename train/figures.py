"""Dataset figures and statistics for the tutorial pages.

Writes, from the verified datasets (no TensorFlow needed):

* ``docs/assets/generated/<dataset>-samples.png``: the first three training
  images of every class, one class per column, white on black, scaled 3x;
* ``docs/runs/datasets.json``: shapes, dtypes, pixel range and per-class counts.

Usage::

    python -m train.figures
"""

from __future__ import annotations

import struct
import zlib

import numpy as np

from train.data import Dataset, load
from train.files import write_atomic, write_json
from train.metadata import DOCS, RUNS_DIR


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
    """uint8 image: ``per_class`` rows, one column per class, of training images."""
    classes = len(data.class_names)
    cell = 28 * scale + gap
    grid = np.full((per_class * cell + gap, classes * cell + gap), 60, np.uint8)
    for label in range(classes):
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
        "train_counts": np.bincount(data.y_train, minlength=len(data.class_names)).tolist(),
        "test_counts": np.bincount(data.y_test, minlength=len(data.class_names)).tolist(),
        "source": data.source,
        "split": data.split,
    }


def main() -> int:
    out_images = DOCS / "assets" / "generated"
    summary = {}
    for name in ("mnist", "fashion-mnist"):
        data = load(name)
        write_atomic(out_images / f"{name}-samples.png", png_bytes(sample_grid(data)))
        summary[name] = stats(data)
    write_json(RUNS_DIR / "datasets.json", summary)
    print(f"wrote {out_images}/*-samples.png and {RUNS_DIR / 'datasets.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
