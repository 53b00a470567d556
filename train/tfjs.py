"""The TensorFlow.js side of the pipeline: convert a Keras model, and load one back.

Two formats are written per model: the **layers** format (``model.json``), which
TF.js' layers API loads for training, fine-tuning and the reader's own models,
and the **graph** format (in a subfolder), converted from it by the
official converter, which the lean bundle of the digit page runs (it needs only
the ops the graph uses; see site/build/lean-tfjs.mjs).

``tensorflowjs`` is imported lazily: the import takes ~9 s (it pulls in JAX,
TF Hub and decision forests), and most commands never need it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import warnings
from pathlib import Path
from types import ModuleType

import tf_keras as keras

from train.config import WeightDtype

MODEL_FILE = "model.json"
QUANTIZE_FLAG = {"float16": "--quantize_float16", "uint8": "--quantize_uint8"}


def tensorflowjs() -> ModuleType:
    import tensorflowjs as module

    return module


def save(model: keras.Model, folder: Path, dtype: WeightDtype) -> None:
    """Write ``model.json`` + weight shards into ``folder``, weights stored as ``dtype``."""
    quantization = None if dtype == "float32" else {dtype: "*"}
    with warnings.catch_warnings():
        # The converter goes through a temporary HDF5 file of its own; Keras' advice is not for us.
        warnings.filterwarnings("ignore", message="You are saving your model as an HDF5 file")
        tensorflowjs().converters.save_keras_model(model, str(folder), quantization_dtype_map=quantization)


def load(folder: Path) -> keras.Model:
    """Load a TF.js layers model back into Keras, with the weights exactly as the browser gets them."""
    return tensorflowjs().converters.load_keras_model(str(folder / MODEL_FILE))


def version() -> str:
    return tensorflowjs().__version__


def save_graph(layers_json: Path, out: Path, dtype: WeightDtype) -> Path:
    """Convert the layers model ``layers_json`` to a graph model in folder ``out``, weights as ``dtype``.

    Returns:
        The graph's model.json.
    """
    shutil.rmtree(out, ignore_errors=True)
    args = ["--input_format", "tfjs_layers_model", "--output_format", "tfjs_graph_model"]
    if dtype in QUANTIZE_FLAG:
        args += [QUANTIZE_FLAG[dtype], "*"]
    cmd = [sys.executable, "-m", "tensorflowjs.converters.converter", *args, str(layers_json), str(out)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode:
        raise RuntimeError(f"tensorflowjs_converter failed:\n{proc.stderr[-2000:]}")
    return out / MODEL_FILE


def graph_nodes(graph_json: Path, layer_names: list[str]) -> dict[str, str]:
    """Where each Keras layer's output lives in a converted graph model, and the logits before softmax.

    A Keras layer ``L`` becomes ops under the name scope ``.../L/`` (a Conv2D, its bias and
    its ReLU fuse into one node there): its output is the last such node. The logits are
    the input of the graph's final Softmax.
    """
    nodes = [n for n in json.loads(graph_json.read_text())["modelTopology"]["node"] if n["op"] != "Const"]
    found = {}
    for name in layer_names:
        inside = [n["name"] for n in nodes if f"/{name}/" in n["name"]]
        if not inside:
            raise ValueError(f"layer {name} is not in {graph_json}")
        found[name] = inside[-1]
    softmax = [n for n in nodes if n["op"] == "Softmax"]
    if len(softmax) != 1:
        raise ValueError(f"{graph_json} has {len(softmax)} Softmax nodes, not 1")
    found["logits"] = softmax[0]["input"][0]
    return found
