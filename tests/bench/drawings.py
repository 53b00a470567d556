"""The drawing benchmark's inputs: real handwriting redrawn as pen strokes, and non-digits.

* ``drawn-digits.json``: 60 MNIST *test* digits of each class (evenly spaced in
  the test set; no model trains on them), each traced into pen strokes as a
  person would copy it with a mouse (``train.tracing``), at a random size and
  position on the pad;
* ``independent-digits.json``: the same MNIST test digits drawn by another
  generator, ``train.hands``, which shares no code with the training tracer (other
  thinning, stroke order and direction, pointer sampling, pads and faults): a
  model that learned the tracer's pen, not drawing, reads these worse;
* ``non-digits.json``: the held-out non-digit set of ``train.negatives.benchmark``
  (letters, symbols, shapes, scribbles), never used in training.

The benchmark (``python -m tests.bench``) draws every one into the widget with
real mouse strokes. Both files are deterministic; regenerate them with::

    python -m tests.bench.drawings
"""

from __future__ import annotations

import json

import numpy as np

from tests.support.drawings import DATA, DIGITS_FILE, INDEPENDENT_FILE, NON_DIGITS_FILE
from train import data, fetch
from train.hands import hand_drawing
from train.negatives import benchmark
from train.tracing import redraw

PER_CLASS = 60
SEED = 3
INDEPENDENT_SEED = 4


def evenly_spaced(labels: np.ndarray, per_class: int) -> np.ndarray:
    """(classes * per_class,) int: evenly spaced indices of each class in ``labels``, class by class."""
    out = []
    for c in range(int(labels.max()) + 1):
        idx = np.nonzero(labels == c)[0]
        out.append(idx[np.linspace(0, len(idx) - 1, per_class).round().astype(int)])
    return np.concatenate(out)


def drawn_digits(per_class: int = PER_CLASS, seed: int = SEED) -> list[dict]:
    """[{"label", "source_index", "strokes"}]: MNIST test digits redrawn as strokes in pad units."""
    fetch.ensure("mnist")
    mnist = data.load("mnist")
    rng = np.random.default_rng(seed)
    return [
        {"label": int(mnist.y_test[i]), "source_index": int(i), "strokes": redraw(mnist.x_test[i], rng)}
        for i in evenly_spaced(mnist.y_test, per_class)
    ]


def independent_digits(per_class: int = PER_CLASS, seed: int = INDEPENDENT_SEED) -> list[dict]:
    """[{"label", "source_index", "strokes", "device", "rate_hz", "pad_css", "ratio", "side", "order",
    "faults", "duration_ms"}]: the same MNIST test digits drawn by ``train.hands``."""
    fetch.ensure("mnist")
    mnist = data.load("mnist")
    rng = np.random.default_rng(seed)
    return [
        {"label": int(mnist.y_test[i]), "source_index": int(i), **hand_drawing(mnist.x_test[i], rng)}
        for i in evenly_spaced(mnist.y_test, per_class)
    ]


def main() -> int:
    DATA.mkdir(exist_ok=True)
    digits, independent, others = drawn_digits(), independent_digits(), benchmark()
    DIGITS_FILE.write_text(json.dumps(digits, separators=(",", ":")) + "\n")
    INDEPENDENT_FILE.write_text(json.dumps(independent, separators=(",", ":")) + "\n")
    NON_DIGITS_FILE.write_text(json.dumps(others, separators=(",", ":")) + "\n")
    print(
        f"wrote {len(digits)} drawn digits to {DIGITS_FILE}, {len(independent)} to {INDEPENDENT_FILE} "
        f"and {len(others)} non-digits to {NON_DIGITS_FILE}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
