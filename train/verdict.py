""" "That doesn't look like a digit": a score per prediction, and a threshold chosen on validation data.

Softmax always shares out all of its probability among the classes it knows, so
a network answers a letter A with a digit, often at 100 %. The verdict adds one
more number per prediction, a score that is high for inputs unlike the
training digits, and flags the input when the score passes a threshold:

* ``reject-output``: the model was trained with generated non-digits under an
  extra output ("not a digit"); the score is that output's probability;
* ``energy`` (Liu et al., 2020), for a model trained on digits alone: the score
  is ``-log(sum(exp(logits)))``, the logits being the last layer's outputs
  before softmax. Softmax divides the total away; the energy keeps it, and a
  network's logits are smaller, in total, for inputs unlike its training data;
* ``max-probability``: 1 minus the highest class probability (measured too,
  for comparison: it flags fewer non-digits than the energy at the same rate
  of flagged digits).

The threshold is set on validation data only: the validation-split digits,
traced and redrawn as pen strokes the way readers draw, may be flagged at a
chosen rate (``FLAG_RATE``), and the flag rate this gives on generated
validation non-digits is recorded. The held-out drawing benchmark measures it
all again in the browser. Everything the browser needs goes into metadata.json.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import tf_keras as keras

from train.config import ModelConfig
from train.drawing import draw
from train.negatives import training_negatives
from train.tracing import redraw

# The share of the validation drawings of real digits that may be flagged.
FLAG_RATE = 0.02
DRAWN_PER_CLASS = 60
VALIDATION_NEGATIVES = 2000
LABELS = {"mnist": ("digit", "not-a-digit")}


@dataclass(frozen=True)
class ValidationDrawings:
    """Validation inputs for the verdict, float32 ``(n, 28, 28)`` 0..255, as the widget would make them."""

    digits: np.ndarray
    labels: np.ndarray
    non_digits: np.ndarray


def drawn_validation_digits(cfg: ModelConfig, x_val: np.ndarray, y_val: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The first ``DRAWN_PER_CLASS`` validation digits of each class, traced and redrawn as the
    widget's readers draw: float32 (n, 28, 28) 0..255 model inputs, and their labels."""
    rng = np.random.default_rng(cfg.seed)
    picks = np.concatenate(
        [np.flatnonzero(y_val == c)[:DRAWN_PER_CLASS] for c in range(cfg.num_classes) if (y_val == c).any()]
    )
    return draw([redraw(x_val[i], rng) for i in picks]), y_val[picks]


def validation_drawings(cfg: ModelConfig, x_val: np.ndarray, y_val: np.ndarray) -> ValidationDrawings:
    """Drawn validation digits, and validation non-digits from the training negatives' generator
    with another seed: the benchmark's own non-digits stay unseen."""
    digits, labels = drawn_validation_digits(cfg, x_val, y_val)
    non_digits, _ = training_negatives(min(VALIDATION_NEGATIVES, 4 * len(digits)), seed=cfg.seed + 1)
    return ValidationDrawings(digits=digits, labels=labels, non_digits=non_digits)


Outputs = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]


def outputs_of(model: keras.Model, prepare: Callable[[np.ndarray], np.ndarray]) -> Outputs:
    """images (n, 28, 28) 0..255 -> (probabilities (n, outputs), logits (n, outputs)) of ``model``.

    The logits are the last Dense layer's outputs before its softmax, computed
    from that layer's input and weights, as the browser computes them.
    """
    features = keras.Model(model.inputs, model.layers[-1].input)
    kernel, bias = model.layers[-1].get_weights()

    def run(images: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        x = prepare(images)
        probs = model.predict(x, batch_size=500, verbose=0)
        return probs, features.predict(x, batch_size=500, verbose=0) @ kernel + bias

    return run


def scores(method: str, probs: np.ndarray, logits: np.ndarray, num_classes: int) -> np.ndarray:
    """The verdict's score per row (n,): higher = less like the training classes."""
    if method == "reject-output":
        return probs[:, num_classes]
    if method == "energy":
        z = logits[:, :num_classes].astype(np.float64)
        top = z.max(axis=1)
        return -(top + np.log(np.exp(z - top[:, None]).sum(axis=1)))
    if method == "max-probability":
        return 1.0 - probs[:, :num_classes].max(axis=1)
    raise ValueError(f"unknown verdict method {method!r}")


def fit_verdict(cfg: ModelConfig, outputs: Outputs, drawings: ValidationDrawings, bitmaps: np.ndarray) -> dict:
    """Choose the threshold on validation drawings and describe the verdict for metadata.json.

    Every method this model allows is measured at the same rate of flagged drawn
    digits (``FLAG_RATE``); the reject output is used when the model has one, else
    the energy (it measured better than the top probability; the numbers are kept).

    Args:
        outputs: the shipped model's probabilities and logits (``outputs_of``).
        bitmaps: the validation split's own images (MNIST scans), to report their flag rate too.
    """
    digits, others, scans = outputs(drawings.digits), outputs(drawings.non_digits), outputs(bitmaps)
    methods = ["reject-output"] if cfg.negatives else []
    methods += ["energy", "max-probability"]
    compared, thresholds = {}, {}
    for method in methods:
        thresholds[method] = float(np.quantile(scores(method, *digits, cfg.num_classes), 1 - FLAG_RATE))
        compared[method] = float((scores(method, *others, cfg.num_classes) > thresholds[method]).mean())
    method, threshold = methods[0], thresholds[methods[0]]

    def flagged(out: tuple[np.ndarray, np.ndarray]) -> float:
        return float((scores(method, *out, cfg.num_classes) > threshold).mean())

    accept, reject = LABELS[cfg.dataset]
    verdict: dict[str, object] = {
        "method": method,
        "threshold": threshold,
        "labels": {"accept": accept, "reject": reject},
    }
    if method == "reject-output":
        verdict["output"] = cfg.num_classes
    verdict["validation"] = {
        "drawn_digits": len(drawings.digits),
        "drawn_digits_flagged": flagged(digits),
        "drawn_digits_accuracy": float((digits[0][:, : cfg.num_classes].argmax(1) == drawings.labels).mean()),
        "non_digits": len(drawings.non_digits),
        "non_digits_flagged": flagged(others),
        "bitmaps": len(bitmaps),
        "bitmaps_flagged": flagged(scans),
        "non_digits_flagged_by_method": compared,
    }
    return verdict
