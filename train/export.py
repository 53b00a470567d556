"""Write a trained model into ``docs/models/<name>/`` for the browser.

The folder holds, and is replaced as a whole (temp dir + rename):

* ``model.json`` + ``group1-shard*.bin``: the TF.js layers format, written by the
  official ``tensorflowjs`` converter;
* ``metadata.json``: the only contract with the browser (labels, shapes,
  normalisation, preprocessing recipe) plus every number the tutorial shows;
* ``parity.json``: fixed test inputs with Keras' output probabilities, so the
  browser's TF.js output can be checked against Keras.
"""

from __future__ import annotations

import json
import platform
import shutil
import tempfile
from dataclasses import asdict
from pathlib import Path

import numpy as np
import tensorflow as tf
import tf_keras as keras

from train.config import PREPROCESSING, ModelConfig
from train.data import Dataset
from train.training import TrainResult, prepare

PARITY_COUNT = 32
QUANTIZATIONS = ("float16", "uint8")


def parity_indices(n_test: int, count: int = PARITY_COUNT) -> np.ndarray:
    """Evenly spaced, fixed test-set indices used as parity inputs."""
    return np.linspace(0, n_test - 1, min(count, n_test)).astype(int)


def tfjs_module():
    """Import tensorflowjs lazily: it takes ~9 s (it imports JAX and TF Hub)."""
    import tensorflowjs

    return tensorflowjs


def load_tfjs_model(folder: Path) -> keras.Model:
    """Load a TF.js layers model back into Keras with tensorflowjs' own loader."""
    return tfjs_module().converters.load_keras_model(str(folder / "model.json"))


def versions() -> dict[str, str]:
    """Versions of everything that shaped the exported files."""
    return {
        "python": platform.python_version(),
        "tensorflow": tf.__version__,
        "tf_keras": keras.__version__,
        "tensorflowjs": tfjs_module().__version__,
        "numpy": np.__version__,
    }


def layer_summary(model: keras.Model) -> list[dict[str, object]]:
    """Name, class, output shape and parameter count of every layer."""
    return [
        {
            "name": layer.name,
            "class": layer.__class__.__name__,
            "output_shape": list(layer.output_shape[1:]),
            "params": int(layer.count_params()),
        }
        for layer in model.layers
    ]


def build_metadata(cfg: ModelConfig, data: Dataset, result: TrainResult) -> dict[str, object]:
    """Everything the browser and the tutorial pages read about one model."""
    return {
        "name": cfg.name,
        "title": cfg.title,
        "dataset": data.name,
        "class_names": list(data.class_names),
        "input_shape": list(cfg.input_shape),
        "normalization": {"divide_by": 255.0 if cfg.scale_inputs else 1.0},
        "preprocessing": PREPROCESSING[data.name],
        "params": int(result.model.count_params()),
        "layers": layer_summary(result.model),
        "test_accuracy": result.test_accuracy,
        "test_loss": result.test_loss,
        "history": result.history,
        "epoch_seconds": result.epoch_seconds,
        "training_seconds": result.train_seconds,
        "train_size": result.train_size,
        "test_size": result.test_size,
        "steps_per_epoch": -(-result.train_size // cfg.batch_size),
        "confusion_matrix": result.confusion,
        "config": {k: v for k, v in asdict(cfg).items() if k != "notes"},
        "versions": versions(),
        "data": {
            "source": data.source,
            "split": data.split,
            "sha256": data.digests,
        },
    }


def build_parity(cfg: ModelConfig, data: Dataset, model: keras.Model, n_test: int) -> dict[str, object]:
    """Fixed raw test images (uint8, 784 values) and Keras' probabilities for them."""
    idx = parity_indices(n_test)
    raw = data.x_test[idx]
    probs = model.predict(prepare(cfg, raw), verbose=0)
    return {
        "indices": idx.tolist(),
        "labels": data.y_test[idx].astype(int).tolist(),
        "inputs": raw.reshape(len(idx), -1).astype(int).tolist(),
        "probabilities": probs.astype(float).tolist(),
    }


def quantized_accuracy(cfg: ModelConfig, data: Dataset, model: keras.Model, n_test: int) -> float:
    """Test accuracy of ``model`` (the weights as the browser loads them)."""
    probs = model.predict(prepare(cfg, data.x_test[:n_test]), batch_size=500, verbose=0)
    return float((probs.argmax(axis=1) == data.y_test[:n_test]).mean())


def export_run(cfg: ModelConfig, data: Dataset, result: TrainResult, out_root: Path) -> Path:
    """Write the metrics of a tutorial run (no model files) to ``out_root/<name>.json``."""
    out_root.mkdir(parents=True, exist_ok=True)
    dest = out_root / f"{cfg.name}.json"
    metadata = build_metadata(cfg, data, result)
    with tempfile.NamedTemporaryFile("w", dir=out_root, prefix=f".{cfg.name}.", delete=False) as f:
        f.write(json.dumps(metadata, indent=1) + "\n")
    Path(f.name).chmod(0o644)
    Path(f.name).replace(dest)
    return dest


def export_model(cfg: ModelConfig, data: Dataset, result: TrainResult, out_root: Path) -> Path:
    """Convert, describe and atomically install one model in ``out_root/cfg.name``.

    Weights are stored as ``cfg.quantize`` says (float32, float16 or uint8); a
    quantized export also records the test accuracy it keeps.

    Returns:
        The model folder.
    """
    quantize = cfg.quantize
    if quantize and quantize not in QUANTIZATIONS:
        raise ValueError(f"quantize must be one of {QUANTIZATIONS}, not {quantize!r}")
    out_root.mkdir(parents=True, exist_ok=True)
    dest = out_root / cfg.name
    tmp = Path(tempfile.mkdtemp(prefix=f".{cfg.name}.tmp-", dir=out_root))
    try:
        tfjs_module().converters.save_keras_model(
            result.model, str(tmp), quantization_dtype_map={quantize: "*"} if quantize else None
        )
        metadata = build_metadata(cfg, data, result)
        metadata["weights"] = {
            "dtype": quantize or "float32",
            "bytes": sum(p.stat().st_size for p in tmp.glob("*.bin")),
            "model_json_bytes": (tmp / "model.json").stat().st_size,
        }
        # The oracle is Keras running the weights exactly as the browser gets them.
        shipped = load_tfjs_model(tmp) if quantize else result.model
        if quantize:
            accuracy = quantized_accuracy(cfg, data, shipped, result.test_size)
            metadata["weights"]["test_accuracy"] = accuracy
            metadata["weights"]["accuracy_change"] = accuracy - result.test_accuracy
        parity = build_parity(cfg, data, shipped, result.test_size)
        (tmp / "metadata.json").write_text(json.dumps(metadata, indent=1) + "\n")
        (tmp / "parity.json").write_text(json.dumps(parity, separators=(",", ":")) + "\n")
        tmp.chmod(0o755)
        from train.activations import write_activations  # imports this module: load it late

        write_activations(tmp)
        if dest.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{cfg.name}.old-", dir=out_root))
            dest.rename(old / cfg.name)
            tmp.rename(dest)
            shutil.rmtree(old)
        else:
            tmp.rename(dest)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return dest
