"""Bring a model trained in the browser back to Python, and score it on the MNIST test set.

The trainer and the "teach it your style" widget download the reader's model as TF.js writes
it (``NAME.json`` and ``NAME.weights.bin``, the layers format). This command loads it into Keras
with the official converter (the reverse of ``train/tfjs.py``'s export), scores it on the
10,000 MNIST test images and writes one Keras file, HDF5, that both ``tf_keras`` and the Keras 3
of a current TensorFlow open with ``load_model``::

    python -m train.from_browser ~/Downloads/my-mlp.json [--out my-mlp.h5]

Prints ``test accuracy: 0.XXXX``. Input images are the test set's uint8 pixels divided by the
``divide_by`` the model's metadata names (255, as the browser does); a model with an extra
"not a digit" output is scored on the ten digit outputs.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from train.quiet import import_tensorflow

DEFAULT_DIVIDE_BY = 255.0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m train.from_browser",
        description="Load a model downloaded from the site's trainer into Keras, score it on MNIST test.",
    )
    parser.add_argument("model_json", type=Path, help="the downloaded NAME.json (NAME.weights.bin beside it)")
    parser.add_argument("--out", type=Path, help="the Keras file to write (default: NAME.h5 beside it)")
    parser.add_argument("--limit", type=int, help="score only the first N test images")
    return parser.parse_args(argv)


def test_accuracy(model, x: np.ndarray, y: np.ndarray, divide_by: float) -> float:
    """Share of ``x`` (uint8, (n, 28, 28)) the model labels as ``y`` (uint8, (n,)), on its ten digit outputs."""
    shape = model.input_shape[1:]
    inputs = (x.astype("float32") / divide_by).reshape((len(x), *shape))
    probs = model.predict(inputs, batch_size=500, verbose=0)
    return float(np.mean(np.argmax(probs[:, :10], axis=1) == y))


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not args.model_json.is_file():
        print(f"no such file: {args.model_json}", file=sys.stderr)
        return 2
    about = json.loads(args.model_json.read_text()).get("userDefinedMetadata") or {}
    divide_by = float(about.get("divide_by", DEFAULT_DIVIDE_BY))
    import_tensorflow()
    import tensorflowjs

    from train.data import load

    model = tensorflowjs.converters.load_keras_model(str(args.model_json))
    data = load("mnist")
    x, y = data.x_test, data.y_test
    if args.limit:
        x, y = x[: args.limit], y[: args.limit]
    print(f"{args.model_json.name}: {model.count_params():,} weights, input {model.input_shape[1:]}")
    print(f"test accuracy: {test_accuracy(model, x, y, divide_by):.4f} ({len(y):,} MNIST test images)")
    out = args.out or args.model_json.with_suffix(".h5")
    model.save(out)
    print(f"wrote {out} (opens with tf_keras.models.load_model and Keras 3's keras.models.load_model)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
