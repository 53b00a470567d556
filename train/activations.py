"""Keras' own intermediate outputs of a model, to check the browser's activation viewer.

For a model folder, the model is loaded back from its TF.js files (the weights
exactly as the browser gets them), and the outputs of the layers its metadata
lists under ``viewer.layers`` for parity input 0 are written to the folder's
activations asset: each layer's shape and its values at 256 fixed, evenly
spaced positions of the flattened output.

Usage::

    python -m train.activations [MODEL_FOLDER ...]   # default: every model with viewed layers
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import tf_keras as keras

from train import tfjs
from train.files import write_json
from train.metadata import MODELS_DIR, validate

SAMPLES = 256


def write_activations(folder: Path, model: keras.Model | None = None) -> Path | None:
    """Write the activations asset of the model in ``folder``; None if it shows no layers.

    Args:
        model: the model as loaded from ``folder``'s TF.js files, if already loaded.
    """
    meta = json.loads((folder / "metadata.json").read_text())
    names = meta["viewer"]["layers"]
    if not names:
        return None
    model = model or tfjs.load(folder)
    parity = json.loads((folder / meta["assets"]["parity"]).read_text())
    x = np.array(parity["inputs"][:1], np.float32).reshape((1, *meta["input"]["shape"]))
    x /= meta["input"]["divide_by"]
    probe = keras.Model(model.inputs, [model.get_layer(name).output for name in names])
    outputs = probe.predict(x, verbose=0)
    entries = []
    for name, out in zip(names, outputs, strict=True):
        flat = out[0].reshape(-1)
        idx = np.linspace(0, flat.size - 1, SAMPLES).astype(int)
        entries.append(
            {
                "name": name,
                "shape": list(out.shape[1:]),
                "indices": idx.tolist(),
                "values": flat[idx].astype(float).tolist(),
            }
        )
    document = validate({"parity_input": 0, "layers": entries}, "activations")
    return write_json(folder / meta["assets"]["activations"], document, compact=True)


def main(argv: list[str]) -> int:
    folders = [Path(a) for a in argv] or sorted(p.parent for p in MODELS_DIR.glob("*/metadata.json"))
    for folder in folders:
        written = write_activations(folder)
        print(f"{folder.name}: {'wrote ' + str(written) if written else 'no viewed layers, skipped'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
