"""The images the browser trains on: MNIST, 16 grey levels, packed and gzipped, with a checksum.

The trainer widget trains the quickstart MLP in the reader's browser, and the
teach widget replays MNIST images while fine-tuning; both fetch one file, only
when the reader presses their button. What it holds and why:

* all 70,000 MNIST images, in the pipeline's own splits: training (the first
  54,000), validation (the last 6,000 of the training set), test (10,000), and
  a few generated non-digits, for the fine-tuned CNN's "not a digit" output;
* 4 bits a pixel (16 grey levels, two pixels per byte): MNIST is mostly black
  and white, so this keeps the file near 6.7 MB gzipped where 8 bits take
  about 11 MB. The cost is measured here, not guessed: the quickstart MLP is
  trained on both versions (1 epoch) and both test accuracies are recorded;
* then one byte per label. The whole payload is gzip-compressed (the browser
  inflates it with ``DecompressionStream``); the file is named ``.bin`` so that
  static hosts serve it as is.

Writes ``docs/data/mnist.json`` (the descriptor: layout, sizes, sha256 of the
file, the measured cost) and ``docs/data/mnist.bin``.

Usage::

    python -m train.browser_data [--skip-check]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib

import numpy as np

from train import data, fetch
from train.config import IMAGE_SIZE, MODELS
from train.files import write_atomic, write_json
from train.metadata import DOCS, validate

OUT = DOCS / "data"
LEVELS = 16
NEGATIVES = 1000


def quantize(images: np.ndarray, levels: int = LEVELS) -> np.ndarray:
    """uint8 0..255 -> uint8 level indices 0..levels-1 (nearest)."""
    return ((images.astype(np.uint16) * (levels - 1) + 127) // 255).astype(np.uint8)


def dequantize(levels_: np.ndarray, levels: int = LEVELS) -> np.ndarray:
    """Level indices -> uint8 0..255, as the browser unpacks them."""
    return np.round(levels_.astype(np.float64) * 255 / (levels - 1)).astype(np.uint8)


def pack(images: np.ndarray) -> bytes:
    """uint8 (n, 28, 28) -> 4-bit pixels, two a byte (the first in the high nibble), row-major."""
    q = quantize(images).reshape(len(images), -1)
    return (q[:, 0::2] << 4 | q[:, 1::2]).astype(np.uint8).tobytes()


def check_cost(mnist: data.Dataset, train_size: int) -> dict[str, float]:
    """Test accuracy of the quickstart MLP after one epoch on 8-bit and on 4-bit images."""
    from train.models import build_model
    from train.training import prepare, seed_everything

    cfg = MODELS["mnist-mlp"]
    out = {}
    for name, images in (("8-bit", mnist.x_train), ("4-bit", dequantize(quantize(mnist.x_train)))):
        seed_everything(cfg.seed)
        model = build_model(cfg)
        model.fit(
            prepare(cfg, images[:train_size]),
            mnist.y_train[:train_size],
            epochs=1,
            batch_size=cfg.batch_size,
            verbose=0,
        )
        out[name] = float(model.evaluate(prepare(cfg, mnist.x_test), mnist.y_test, verbose=0)[1])
    return out


def main(argv: list[str] | None = None) -> int:
    from train.negatives import training_negatives

    parser = argparse.ArgumentParser(prog="python -m train.browser_data", description=__doc__.split("\n\n")[0])
    parser.add_argument("--skip-check", action="store_true", help="do not measure the cost of 4-bit pixels")
    args = parser.parse_args(argv)
    fetch.ensure("mnist")
    mnist = data.load("mnist")
    cfg = MODELS["mnist-mlp"]
    n_val = round(len(mnist.x_train) * cfg.validation_split)
    n_train = len(mnist.x_train) - n_val
    negatives, _ = training_negatives(NEGATIVES, seed=cfg.seed + 2)
    images = np.concatenate([mnist.x_train, mnist.x_test, np.round(negatives).astype(np.uint8)])
    labels = np.concatenate([mnist.y_train, mnist.y_test, np.full(NEGATIVES, len(cfg.class_names), np.uint8)])
    payload = gzip.compress(pack(images) + labels.astype(np.uint8).tobytes(), 9, mtime=0)
    write_atomic(OUT / "mnist.bin", payload)
    starts = np.cumsum([0, n_train, n_val, len(mnist.x_test)])
    descriptor = {
        "file": "mnist.bin",
        "bytes": len(payload),
        "sha256": hashlib.sha256(payload).hexdigest(),
        "encoding": "gzip; then 4-bit pixels, two a byte, high nibble first, row-major; then one uint8 label per image",
        "image_size": IMAGE_SIZE,
        "levels": LEVELS,
        "count": len(images),
        "splits": {
            name: {"start": int(start), "count": int(count)}
            for name, start, count in zip(
                ("train", "validation", "test", "negatives"),
                starts,
                (n_train, n_val, len(mnist.x_test), NEGATIVES),
                strict=True,
            )
        },
        "negative_label": len(cfg.class_names),
        "source": mnist.source,
    }
    if not args.skip_check:
        descriptor["test_accuracy_after_one_epoch"] = check_cost(mnist, n_train)
    write_json(OUT / "mnist.json", validate(descriptor, "training_data"))
    print(f"wrote {OUT / 'mnist.bin'} ({len(payload):,} bytes) and {OUT / 'mnist.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
