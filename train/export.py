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
from train.calibration import reliability
from train.config import ModelConfig
from train.data import Dataset
from train.files import staged_folder, write_json
from train.training import Split, TrainResult, prepare
from train.verdict import LABELS, drawn_validation_digits, fit_verdict, outputs_of, scores, validation_drawings

PARITY_COUNT = 32


def parity_indices(n_test: int, count: int = PARITY_COUNT) -> np.ndarray:
    """Evenly spaced, fixed test-set indices used as parity inputs."""
    return np.linspace(0, n_test - 1, min(count, n_test)).astype(int)


def build_parity(
    cfg: ModelConfig, data: Dataset, model: keras.Model, n_test: int, method: str | None = None
) -> dict[str, object]:
    """Fixed raw test images (uint8, 784 values), ``model``'s probabilities for them and, with a
    verdict ``method``, its score for each."""
    idx = parity_indices(n_test)
    raw = data.x_test[idx]
    probs, logits = outputs_of(model, lambda images: prepare(cfg, images))(raw)
    parity = {
        "indices": idx.tolist(),
        "labels": data.y_test[idx].astype(int).tolist(),
        "inputs": raw.reshape(len(idx), -1).astype(int).tolist(),
        "probabilities": probs.astype(float).tolist(),
    }
    if method:
        parity["verdict_scores"] = scores(method, probs, logits, cfg.num_classes).astype(float).tolist()
    return parity


def class_probabilities(cfg: ModelConfig, model: keras.Model, images: np.ndarray) -> np.ndarray:
    """images (n, 28, 28) 0..255 -> ``model``'s probabilities of the classes (n, classes); a "not a
    digit" output, if any, left out (the answer is the most likely class, as the widget shows it)."""
    return model.predict(prepare(cfg, images), batch_size=500, verbose=0)[:, : cfg.num_classes]


def drawn_accuracy(cfg: ModelConfig, model: keras.Model, parts: Split) -> tuple[int, float]:
    """How many validation digits every run is scored on drawn (``drawn_validation_digits``), and the
    share of them ``model`` reads right."""
    drawn, labels = drawn_validation_digits(cfg, parts.x_val, parts.y_val)
    return len(drawn), float((class_probabilities(cfg, model, drawn).argmax(axis=1) == labels).mean())


def verdict(cfg: ModelConfig, model: keras.Model, parts: Split) -> dict[str, object]:
    """The "not a digit" verdict of the shipped model: threshold from validation, flag rate on the test set,
    and the drawn accuracy measured as every run's (``drawn_validation_digits``)."""
    outputs = outputs_of(model, lambda images: prepare(cfg, images))
    fitted = fit_verdict(cfg, outputs, validation_drawings(cfg, parts.x_val, parts.y_val), parts.x_val)
    # The drawn accuracy on every run's own drawings (fewer than the threshold's), so that the shipped
    # model's figure sits beside the runs' in one column.
    validation = fitted["validation"]
    validation["runs_drawn_digits"], validation["runs_drawn_accuracy"] = drawn_accuracy(cfg, model, parts)
    test_scores = scores(fitted["method"], *outputs(parts.x_test), cfg.num_classes)
    fitted["test"] = {
        "bitmaps": len(parts.x_test),
        "bitmaps_flagged": float((test_scores > fitted["threshold"]).mean()),
    }
    return fitted


def weights_record(folder: Path, accuracy: float, result: TrainResult, cfg: ModelConfig) -> dict[str, object]:
    """Size and accuracy of the weights as written into ``folder``."""
    return {
        "dtype": cfg.quantize,
        "bytes": sum(p.stat().st_size for p in folder.glob("*.bin")),
        "model_json_bytes": (folder / tfjs.MODEL_FILE).stat().st_size,
        "test_accuracy": accuracy,
        "accuracy_change": accuracy - result.test_accuracy,
    }


def dead_units(cfg: ModelConfig, model: keras.Model, images: np.ndarray) -> float:
    """The share of the first Dense layer's ReLU units that output 0 for every one of ``images``
    (uint8 ``(n, 28, 28)``)."""
    dense = next(layer for layer in model.layers if isinstance(layer, keras.layers.Dense))
    active = keras.Model(model.inputs, dense.output).predict(prepare(cfg, images), batch_size=1000, verbose=0)
    return float((active.max(axis=0) <= 0).mean())


def untrained_loss(cfg: ModelConfig, result: TrainResult) -> float:
    """The run's own loss on its validation images, computed with the weights it started from.

    Measured after training, on a copy, so that it draws nothing from the random
    streams the training used: the run's numbers are those of a run without it.
    """
    untrained = keras.models.clone_model(result.model)
    untrained.set_weights(result.initial_weights)
    untrained.compile(loss=result.model.loss)
    parts = result.split
    return float(untrained.evaluate(prepare(cfg, parts.x_val), parts.y_val, batch_size=1000, verbose=0))


def export_run(cfg: ModelConfig, data: Dataset, result: TrainResult, out_root: Path) -> Path:
    """Write the record of a tutorial run (no model files) to ``out_root/<name>.json``.

    Beyond what every run records: its loss before training, on the validation
    images; for an MLP, the share of its hidden units that are dead (never active
    on a validation image: the test set stays for the final score); for MNIST, the
    accuracy on drawn validation digits (``train.verdict.drawn_validation_digits``).
    """
    record = {**metadata.identity(cfg, result.model), **metadata.measurements(result, data)}
    parts = result.split
    if len(parts.x_val):
        record["untrained_val_loss"] = untrained_loss(cfg, result)
    if cfg.arch == "mlp":
        record["dead_units"] = dead_units(cfg, result.model, parts.x_val if len(parts.x_val) else parts.x_test)
    if cfg.dataset in LABELS:
        _, record["drawn_validation_accuracy"] = drawn_accuracy(cfg, result.model, parts)
    return write_json(out_root / f"{cfg.name}.json", metadata.validate(record, "run"))


def export_model(cfg: ModelConfig, data: Dataset, result: TrainResult, out_root: Path) -> Path:
    """Convert, describe and atomically install one model in ``out_root/cfg.name``.

    Returns:
        The model folder.
    """
    dest = out_root / cfg.name
    with staged_folder(dest) as folder:
        tfjs.save(result.model, folder, cfg.quantize)
        viewed = [layer.name for layer in result.model.layers if type(layer).__name__ in metadata.VIEWED_CLASSES]
        graph = tfjs.save_graph(folder / tfjs.MODEL_FILE, (folder / metadata.GRAPH_FILE).parent, cfg.quantize)
        nodes = tfjs.graph_nodes(graph, viewed)
        # Every number about the shipped model comes from the files the browser loads.
        shipped = tfjs.load(folder)
        probs = class_probabilities(cfg, shipped, data.x_test[: result.test_size])
        labels = data.y_test[: result.test_size]
        document = {
            **metadata.contract(cfg, result.model, nodes),
            **metadata.measurements(result, data),
            "weights": weights_record(folder, float((probs.argmax(axis=1) == labels).mean()), result, cfg),
            "calibration": reliability(probs, labels),
        }
        if cfg.dataset in LABELS:
            document["verdict"] = verdict(cfg, shipped, result.split)
        meta = metadata.validate(document)
        write_json(folder / "metadata.json", meta)
        method = meta["verdict"]["method"] if "verdict" in meta else None
        parity = build_parity(cfg, data, shipped, result.test_size, method)
        write_json(folder / meta["assets"]["parity"], metadata.validate(parity, "parity"), compact=True)
        if "activations" in meta["assets"]:
            write_activations(folder, shipped)
        if "gallery" in meta["assets"]:
            write_json(folder / meta["assets"]["gallery"], metadata.validate(metadata.gallery(cfg, data), "gallery"))
    return dest
