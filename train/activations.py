"""Keras' own intermediate outputs of the CNNs, for checking the browser's viewer.

For each CNN folder under docs/models/, the model is loaded back from its TF.js
files (the weights exactly as the browser gets them), and the outputs of every
convolution and pooling layer for parity input 0 are written to
``activations.json``: each layer's shape and its values at 256 fixed, evenly
spaced positions of the flattened output.

Usage::

    python -m train.activations [MODEL_FOLDER ...]   # default: every CNN in docs/models
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import tf_keras as keras

from train.export import load_tfjs_model

DOCS_MODELS = Path(__file__).resolve().parent.parent / "docs" / "models"
VIEWED = ("Conv2D", "MaxPooling2D")
SAMPLES = 256


def write_activations(folder: Path) -> Path | None:
    """Write ``folder/activations.json`` for a CNN; return None for other models."""
    model = load_tfjs_model(folder)
    layers = [layer for layer in model.layers if type(layer).__name__ in VIEWED]
    if not layers:
        return None
    meta = json.loads((folder / "metadata.json").read_text())
    parity = json.loads((folder / "parity.json").read_text())
    x = np.array(parity["inputs"][:1], np.float32).reshape((1, *meta["input_shape"]))
    x /= meta["normalization"]["divide_by"]
    probe = keras.Model(model.inputs, [layer.output for layer in layers])
    outputs = probe.predict(x, verbose=0)
    entries = []
    for layer, out in zip(layers, outputs, strict=True):
        flat = out[0].reshape(-1)
        idx = np.linspace(0, flat.size - 1, SAMPLES).astype(int)
        entries.append(
            {
                "name": layer.name,
                "class": type(layer).__name__,
                "shape": list(out.shape[1:]),
                "indices": idx.tolist(),
                "values": flat[idx].astype(float).tolist(),
            }
        )
    dest = folder / "activations.json"
    dest.write_text(json.dumps({"parity_input": 0, "layers": entries}, separators=(",", ":")) + "\n")
    return dest


def main(argv: list[str]) -> int:
    folders = [Path(a) for a in argv] or sorted(p.parent for p in DOCS_MODELS.glob("*/model.json"))
    for folder in folders:
        written = write_activations(folder)
        print(f"{folder.name}: {'wrote ' + str(written) if written else 'not a CNN, skipped'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
