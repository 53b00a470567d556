"""Training digits redrawn as pen strokes, the way the widget's readers draw them.

The first ``count`` training digits are traced into strokes (``train.tracing``),
placed on the pad at random sizes and positions, rendered with the pad's pen and
preprocessed with the widget's recipe, ``COPIES`` times each. Training on them
shows the model constant-width strokes, thick pens on small drawings and
smooth, simplified curves, which MNIST's scans never have.

Tracing takes about 20 ms a digit (some minutes for thousands), so the images are cached (in the dataset
cache folder, keyed by the arguments and the drawing code itself).
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import numpy as np

from train.data import data_dir
from train.drawing import preprocess_drawing, render
from train.files import write_atomic
from train.tracing import digit_polylines, place

COPIES = 2
CODE = [Path(__file__).with_name(name) for name in ("drawing.py", "skeleton.py", "tracing.py", "redrawn.py")]


def cache_file(images: np.ndarray, seed: int, sizes: tuple[float, float]) -> Path:
    key = hashlib.sha256(images.tobytes() + str((seed, sizes)).encode() + b"".join(p.read_bytes() for p in CODE))
    return data_dir() / "derived" / f"redrawn-{len(images)}x{COPIES}-{key.hexdigest()[:16]}.npz"


def redrawn_digits(
    images: np.ndarray, labels: np.ndarray, seed: int, sizes: tuple[float, float] = (0.35, 0.85)
) -> tuple[np.ndarray, np.ndarray]:
    """uint8 digits (n, 28, 28) -> (COPIES * n, 28, 28) float32 0..255 redrawings and their labels.

    ``sizes``: the range of the drawings' longer side, as a fraction of the pad's.
    """
    path = cache_file(images, seed, sizes)
    if path.is_file():
        cached = np.load(path)
        return cached["x"], cached["y"]
    print(f"tracing {len(images)} training digits into pen strokes (cached in {path.parent}) ...", flush=True)
    polylines = [digit_polylines(image) for image in images]
    rng = np.random.default_rng(seed)
    out_x, out_y = [], []
    for _ in range(COPIES):
        for poly, label in zip(polylines, labels, strict=True):
            image = preprocess_drawing(render([np.round(p, 4) for p in place(poly, rng, size=sizes)]))
            if image is not None:
                out_x.append(image)
                out_y.append(label)
    x, y = np.stack(out_x).astype(np.float32), np.array(out_y, labels.dtype)
    buffer = io.BytesIO()
    np.savez(buffer, x=x, y=y)
    write_atomic(path, buffer.getvalue())
    return x, y
