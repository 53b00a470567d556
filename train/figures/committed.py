"""The committed models, read as the browser gets them: TF.js weights and ``metadata.json``, no TensorFlow."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from train.metadata import MODELS_DIR


def read_weights(folder: Path) -> dict[str, np.ndarray]:
    """Every weight of a committed TF.js layers model, by name, as float32 (dequantized like TF.js does).

    Reads ``model.json``'s weights manifest and the ``.bin`` shards with NumPy alone.

    Returns:
        ``{"dense/kernel": float32 (784, 512), "dense/bias": float32 (512,), ...}``.
    """
    manifest = json.loads((folder / "model.json").read_text())["weightsManifest"]
    weights: dict[str, np.ndarray] = {}
    for group in manifest:
        buffer = b"".join((folder / path).read_bytes() for path in group["paths"])
        offset = 0
        for spec in group["weights"]:
            size = int(np.prod(spec["shape"], dtype=np.int64))
            quant = spec.get("quantization")
            stored = np.dtype(quant["dtype"] if quant else spec["dtype"])
            values = np.frombuffer(buffer, stored, size, offset).astype(np.float32)
            offset += size * stored.itemsize
            if quant and "scale" in quant:  # uint8 / uint16: affine dequantization
                values = values * np.float32(quant["scale"]) + np.float32(quant["min"])
            weights[spec["name"]] = values.reshape(spec["shape"])
        if offset != len(buffer):
            raise ValueError(f"{folder}: the weights manifest describes {offset} bytes, the shards hold {len(buffer)}")
    return weights


def model_metadata(name: str) -> dict[str, Any]:
    """The committed ``docs/models/<name>/metadata.json``, as parsed JSON (its shape: metadata.schema.json)."""
    return json.loads((MODELS_DIR / name / "metadata.json").read_text())


def layer_activations(name: str) -> dict[str, str]:
    """Each layer's activation ("relu", "softmax", ...) from the committed ``model.json``'s topology."""
    topology = json.loads((MODELS_DIR / name / "model.json").read_text())["modelTopology"]
    layers = topology.get("model_config", topology)["config"]["layers"]
    return {
        layer["config"]["name"]: layer["config"]["activation"]
        for layer in layers
        if layer["config"].get("activation") not in (None, "linear")
    }
