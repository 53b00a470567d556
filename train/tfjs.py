"""The TensorFlow.js side of the pipeline: convert a Keras model, and load one back.

``tensorflowjs`` is imported lazily: the import takes ~9 s (it pulls in JAX,
TF Hub and decision forests), and most commands never need it.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import tf_keras as keras

from train.config import WeightDtype

MODEL_FILE = "model.json"


def tensorflowjs() -> ModuleType:
    import tensorflowjs as module

    return module


def save(model: keras.Model, folder: Path, dtype: WeightDtype) -> None:
    """Write ``model.json`` + weight shards into ``folder``, weights stored as ``dtype``."""
    quantization = None if dtype == "float32" else {dtype: "*"}
    tensorflowjs().converters.save_keras_model(model, str(folder), quantization_dtype_map=quantization)


def load(folder: Path) -> keras.Model:
    """Load a TF.js layers model back into Keras, with the weights exactly as the browser gets them."""
    return tensorflowjs().converters.load_keras_model(str(folder / MODEL_FILE))


def version() -> str:
    return tensorflowjs().__version__
