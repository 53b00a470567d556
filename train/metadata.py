"""``metadata.json``: the one contract between the pipeline and the browser.

A model's metadata has two halves:

* the **contract**, derived from ``train/config.py`` alone: names, class names,
  the input, the preprocessing recipes, the layers the viewer shows, the file
  names of the model's assets, the layer summary and the config itself;
* the **measurements** of the training run: accuracy, loss, history, timings,
  the confusion matrix, versions, dataset digests and the shipped weights.

Every document is validated against ``docs/models/metadata.schema.json`` before
it is written. ``python -m train.refresh`` rewrites the contract half of every
committed model from the config (``refresh`` below), without retraining.
"""

from __future__ import annotations

import base64
import json
import platform
from collections.abc import Mapping
from dataclasses import MISSING, asdict, fields, is_dataclass
from pathlib import Path
from typing import Any, Literal, overload

import numpy as np

from train.config import DRAWING_RECIPES, FINE_TUNE, IMAGE_SIZE, PHOTO_RECIPES, ModelConfig
from train.metadata_types import ModelMetadata, Parity, Run

DOCS = Path(__file__).resolve().parent.parent / "docs"
MODELS_DIR = DOCS / "models"
RUNS_DIR = DOCS / "runs"
SCHEMA_PATH = MODELS_DIR / "metadata.schema.json"
SCHEMA_VERSION = 2
PARITY_FILE = "parity.json"
GRAPH_FILE = "graph/model.json"
ACTIVATIONS_FILE = "activations.json"
GALLERY_FILE = "gallery.json"
# Layer classes whose outputs are image-shaped, so the activation viewer can show them.
VIEWED_CLASSES = ("Conv2D", "MaxPooling2D")
# Datasets whose widget offers real test images to pick, and how many per class.
GALLERY_PER_CLASS = {"fashion-mnist": 10, "mnist": 3}
# Config fields that do not shape the weights: editing them needs no retraining.
COSMETIC_FIELDS = ("title", "ships")


def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text())


@overload
def validate(document: Mapping[str, Any], definition: None = None) -> ModelMetadata: ...
@overload
def validate(document: Mapping[str, Any], definition: Literal["run"]) -> Run: ...
@overload
def validate(document: Mapping[str, Any], definition: Literal["parity"]) -> Parity: ...
@overload
def validate(document: Mapping[str, Any], definition: str) -> Any: ...
def validate(document: Mapping[str, Any], definition: str | None = None) -> Any:
    """Return ``document`` itself, typed as the schema says, or raise ``jsonschema.ValidationError``.

    Args:
        definition: a name under the schema's ``$defs`` (``"run"``, ``"parity"``,
            ``"activations"``, ``"gallery"``); None for a model's metadata.json.
    """
    import jsonschema

    full = schema()
    target = full if definition is None else {"$ref": f"#/$defs/{definition}", "$defs": full["$defs"]}
    jsonschema.Draft202012Validator(target).validate(document)
    return document


def layer_summary(model) -> list[dict[str, object]]:
    """Name, class, output shape and parameter count of every layer of a Keras model."""
    return [
        {
            "name": layer.name,
            "class": type(layer).__name__,
            "output_shape": list(layer.output_shape[1:]),
            "params": int(layer.count_params()),
        }
        for layer in model.layers
    ]


def config_record(cfg: ModelConfig) -> dict[str, object]:
    """The config as JSON stores it (tuples become lists)."""
    return json.loads(json.dumps(asdict(cfg)))


def identity(cfg: ModelConfig, model) -> dict[str, object]:
    """What every run records about what was trained: the config and the architecture."""
    return {
        "name": cfg.name,
        "title": cfg.title,
        "dataset": cfg.dataset,
        "class_names": list(cfg.class_names),
        "params": int(model.count_params()),
        "layers": layer_summary(model),
        "config": config_record(cfg),
    }


def contract(cfg: ModelConfig, model, graph_nodes: dict[str, str]) -> dict[str, object]:
    """The half of a shipped model's metadata that follows from ``cfg`` (and its architecture).

    Args:
        graph_nodes: where the viewed layers' outputs and the logits are in the converted
            graph model (``train.tfjs.graph_nodes``).
    """
    summary = layer_summary(model)
    preprocessing: dict[str, object] = {"drawing": DRAWING_RECIPES[cfg.dataset]}
    if cfg.dataset in PHOTO_RECIPES:
        preprocessing["photo"] = PHOTO_RECIPES[cfg.dataset]
    viewed = [layer["name"] for layer in summary if layer["class"] in VIEWED_CLASSES]
    assets = {"model": "model.json", "graph": GRAPH_FILE, "parity": PARITY_FILE}
    if viewed:
        assets["activations"] = ACTIVATIONS_FILE
    if cfg.dataset in GALLERY_PER_CLASS:
        assets["gallery"] = GALLERY_FILE
    out = {
        "schema_version": SCHEMA_VERSION,
        **identity(cfg, model),
        "input": {
            "image_size": IMAGE_SIZE,
            "shape": list(cfg.input_shape),
            "divide_by": 255.0 if cfg.scale_inputs else 1.0,
        },
        "preprocessing": preprocessing,
        "viewer": {"layers": viewed},
        "assets": assets,
        "graph": {"nodes": graph_nodes},
    }
    if cfg.name in FINE_TUNE:
        out["fine_tune"] = FINE_TUNE[cfg.name]
    return out


def measurements(result, data) -> dict[str, object]:
    """What a training run measured (``result`` is a ``train.training.TrainResult``)."""
    from train import tfjs

    return {
        "test_accuracy": result.test_accuracy,
        "test_loss": result.test_loss,
        "history": result.history,
        "epoch_seconds": result.epoch_seconds,
        "training_seconds": result.train_seconds,
        "train_size": result.train_size,
        "validation_size": result.validation_size,
        "test_size": result.test_size,
        "negatives": result.negatives,
        "steps_per_epoch": result.steps_per_epoch,
        "confusion_matrix": result.confusion,
        "versions": {
            "python": platform.python_version(),
            "tensorflow": _tf_version(),
            "tf_keras": _keras_version(),
            "tensorflowjs": tfjs.version(),
            "numpy": np.__version__,
        },
        "data": {"source": data.source, "split": data.split, "sha256": data.digests},
    }


def _tf_version() -> str:
    import tensorflow as tf

    return tf.__version__


def _keras_version() -> str:
    import tf_keras

    return tf_keras.__version__


def gallery(cfg: ModelConfig, data) -> dict[str, object]:
    """The first ``GALLERY_PER_CLASS`` test images of each class, in class order."""
    per_class = GALLERY_PER_CLASS[cfg.dataset]
    idx = np.concatenate([np.flatnonzero(data.y_test == label)[:per_class] for label in range(cfg.num_classes)])
    return {
        "labels": data.y_test[idx].astype(int).tolist(),
        "test_indices": idx.tolist(),
        "pixels_base64": base64.b64encode(data.x_test[idx].tobytes()).decode("ascii"),
    }


def with_defaults(record: dict) -> dict:
    """A config record as written when it was trained, with fields added to ``ModelConfig`` since then
    at their defaults (a default reproduces what training did before the field existed)."""
    defaults = {
        f.name: json.loads(
            json.dumps(asdict(f.default) if is_dataclass(f.default) and not isinstance(f.default, type) else f.default)
        )
        for f in fields(ModelConfig)
        if f.default is not MISSING
    }
    out = {**defaults, **record}
    for key, value in defaults.items():
        if isinstance(value, dict) and isinstance(record.get(key), dict):
            out[key] = {**value, **record[key]}
    return out


def refresh(folder: Path, cfg: ModelConfig, measured: dict | None = None) -> ModelMetadata:
    """Rewrite the contract half of a committed model's metadata from ``cfg``; keep its measurements
    (but for those in ``measured``, measured again from the committed weights).

    Raises:
        ValueError: if ``cfg`` changed a field that shapes the weights, or the
            architecture no longer matches the committed model.json.
    """
    from train.models import build_model

    current = json.loads((folder / "metadata.json").read_text())
    trained = {k: v for k, v in with_defaults(current["config"]).items() if k not in COSMETIC_FIELDS}
    wanted = {k: v for k, v in config_record(cfg).items() if k not in COSMETIC_FIELDS}
    changed = sorted(k for k in wanted if trained.get(k) != wanted[k])
    if changed:
        raise ValueError(
            f"{cfg.name}: config changed {', '.join(changed)}, which shape the weights; "
            f"retrain with `python -m train {cfg.name}`"
        )
    from train import tfjs

    model = build_model(cfg)
    viewed = [layer.name for layer in model.layers if type(layer).__name__ in VIEWED_CLASSES]
    fresh = contract(cfg, model, tfjs.graph_nodes(folder / GRAPH_FILE, viewed))
    if fresh["layers"] != current["layers"]:
        raise ValueError(f"{cfg.name}: the architecture differs from the committed model; retrain it")
    return validate({**current, **(measured or {}), **fresh})
