"""Write a trained model into ``docs/models/<name>/`` for the browser, or a run's record.

A model folder is staged and swapped in whole (``train.files.staged_folder``), so
an interrupted export never leaves half a model. It holds:

* ``model.json`` + ``group1-shard*.bin``: the TF.js layers format, written by the
  official ``tensorflowjs`` converter (``train.tfjs``);
* ``metadata.json``: the contract with the browser plus every number the
  tutorial shows (``train.metadata``, validated against the schema);
* ``parity.json``: fixed test inputs with Keras' output for them, computed from
  the weights reloaded from the TF.js files, exactly as the browser gets them;
* ``activations.json`` (CNNs) and ``gallery.json`` (datasets with a gallery).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import tf_keras as keras

from train import metadata, tfjs
from train.activations import write_activations
from train.config import ModelConfig
from train.data import Dataset
from train.files import staged_folder, write_json
from train.training import TrainResult, prepare

PARITY_COUNT = 32


def parity_indices(n_test: int, count: int = PARITY_COUNT) -> np.ndarray:
    """Evenly spaced, fixed test-set indices used as parity inputs."""
    return np.linspace(0, n_test - 1, min(count, n_test)).astype(int)


def build_parity(cfg: ModelConfig, data: Dataset, model: keras.Model, n_test: int) -> dict[str, object]:
    """Fixed raw test images (uint8, 784 values) and ``model``'s probabilities for them."""
    idx = parity_indices(n_test)
    raw = data.x_test[idx]
    probs = model.predict(prepare(cfg, raw), verbose=0)
    return {
        "indices": idx.tolist(),
        "labels": data.y_test[idx].astype(int).tolist(),
        "inputs": raw.reshape(len(idx), -1).astype(int).tolist(),
        "probabilities": probs.astype(float).tolist(),
    }


def test_accuracy(cfg: ModelConfig, data: Dataset, model: keras.Model, n_test: int) -> float:
    """Accuracy of ``model`` on the first ``n_test`` test images."""
    probs = model.predict(prepare(cfg, data.x_test[:n_test]), batch_size=500, verbose=0)
    return float((probs.argmax(axis=1) == data.y_test[:n_test]).mean())


def weights_record(folder: Path, accuracy: float, result: TrainResult, cfg: ModelConfig) -> dict[str, object]:
    """Size and accuracy of the weights as written into ``folder``."""
    return {
        "dtype": cfg.quantize,
        "bytes": sum(p.stat().st_size for p in folder.glob("*.bin")),
        "model_json_bytes": (folder / tfjs.MODEL_FILE).stat().st_size,
        "test_accuracy": accuracy,
        "accuracy_change": accuracy - result.test_accuracy,
    }


def export_run(cfg: ModelConfig, data: Dataset, result: TrainResult, out_root: Path) -> Path:
    """Write the record of a tutorial run (no model files) to ``out_root/<name>.json``."""
    record = {**metadata.identity(cfg, result.model), **metadata.measurements(result, data)}
    return write_json(out_root / f"{cfg.name}.json", metadata.validate(record, "run"))


def export_model(cfg: ModelConfig, data: Dataset, result: TrainResult, out_root: Path) -> Path:
    """Convert, describe and atomically install one model in ``out_root/cfg.name``.

    Returns:
        The model folder.
    """
    dest = out_root / cfg.name
    with staged_folder(dest) as folder:
        tfjs.save(result.model, folder, cfg.quantize)
        # Every number about the shipped model comes from the files the browser loads.
        shipped = tfjs.load(folder)
        accuracy = test_accuracy(cfg, data, shipped, result.test_size)
        meta = {
            **metadata.contract(cfg, result.model),
            **metadata.measurements(result, data),
            "weights": weights_record(folder, accuracy, result, cfg),
        }
        write_json(folder / "metadata.json", metadata.validate(meta))
        parity = build_parity(cfg, data, shipped, result.test_size)
        write_json(folder / meta["assets"]["parity"], metadata.validate(parity, "parity"), compact=True)
        if "activations" in meta["assets"]:
            write_activations(folder, shipped)
        if "gallery" in meta["assets"]:
            write_json(folder / meta["assets"]["gallery"], metadata.validate(metadata.gallery(cfg, data), "gallery"))
    return dest
