"""Every hyperparameter of every model, in one place.

One frozen dataclass instance per model. The CLI may override only ``epochs``,
``seed`` and ``quantize`` (and cap the data with ``--limit``); everything else
is changed here. ``python -m train.metadata`` rewrites the committed models'
metadata from this file without retraining, and a test fails when the two
disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

Arch = Literal["mlp", "cnn"]
DatasetName = Literal["mnist", "fashion-mnist"]
WeightDtype = Literal["float32", "float16", "uint8"]
Loss = Literal["sparse_categorical_crossentropy", "mean_squared_error"]
Optimizer = Literal["adam"]
WEIGHT_DTYPES: tuple[WeightDtype, ...] = ("float32", "float16", "uint8")

# Class names per dataset, in the order of the labels (and of every model's outputs).
CLASS_NAMES: dict[DatasetName, tuple[str, ...]] = {
    "mnist": tuple(str(d) for d in range(10)),
    "fashion-mnist": (
        "T-shirt/top",
        "Trouser",
        "Pullover",
        "Dress",
        "Coat",
        "Sandal",
        "Shirt",
        "Sneaker",
        "Bag",
        "Ankle boot",
    ),
}
IMAGE_SIZE = 28


@dataclass(frozen=True)
class ModelConfig:
    """How to build, train and ship one model.

    Attributes:
        name: folder name under ``docs/models/`` and the CLI name.
        dataset: which dataset it learns.
        arch: ``"mlp"`` (Flatten, Dense, Dropout, Dense) or ``"cnn"``.
        title: short human name shown in the widget's model selector.
        conv_blocks: filters per conv block; each block is two 3x3 ReLU convs
            and a 2x2 max pool. (BatchNorm was tried: it trained more slowly
            here with shifted inputs, and it is one more thing to explain.)
        dense_units: hidden Dense width (0 = none).
        dropout: dropout rate before the output layer.
        epochs: full passes over the training set.
        batch_size: images per gradient step.
        optimizer: the optimizer's Keras name (every model here uses Adam).
        learning_rate: its step size (the start of the schedule if cosine_decay).
        cosine_decay: anneal the learning rate to 0 over training (cosine).
        augment_shift: random translation (fraction of 28 px) during training.
        scale_inputs: divide pixels by 255 (the experiments turn this off).
        loss: Keras loss name; the model ends in softmax.
        from_logits: tell the loss that the outputs are logits (a deliberate
            mistake in one tutorial run: the outputs are probabilities).
        quantize: weight dtype in the browser.
        ships: True for a model the site runs in the browser (exported to
            docs/models/); False for a tutorial run whose metrics alone are kept
            (docs/runs/<name>.json).
        seed: seeds Python, NumPy and TensorFlow.
    """

    name: str
    dataset: DatasetName
    arch: Arch
    title: str
    conv_blocks: tuple[int, ...] = ()
    dense_units: int = 0
    dropout: float = 0.0
    epochs: int = 5
    batch_size: int = 32
    optimizer: Optimizer = "adam"
    learning_rate: float = 0.001
    augment_shift: float = 0.0
    scale_inputs: bool = True
    cosine_decay: bool = False
    loss: Loss = "sparse_categorical_crossentropy"
    from_logits: bool = False
    quantize: WeightDtype = "float32"
    ships: bool = True
    seed: int = 42

    @property
    def class_names(self) -> tuple[str, ...]:
        return CLASS_NAMES[self.dataset]

    @property
    def num_classes(self) -> int:
        return len(self.class_names)

    @property
    def input_shape(self) -> tuple[int, ...]:
        """Shape of one input, without the batch dimension."""
        side = IMAGE_SIZE
        return (side, side) if self.arch == "mlp" else (side, side, 1)


MODELS: dict[str, ModelConfig] = {
    cfg.name: cfg
    for cfg in (
        # The classic TensorFlow 2 quickstart model, unchanged.
        ModelConfig(
            name="mnist-mlp",
            dataset="mnist",
            arch="mlp",
            title="Seed MLP (Dense 512)",
            dense_units=512,
            dropout=0.2,
        ),
        ModelConfig(
            name="mnist-cnn",
            dataset="mnist",
            arch="cnn",
            title="Small CNN",
            conv_blocks=(16, 32),
            dense_units=64,
            dropout=0.3,
            epochs=12,
            batch_size=128,
            learning_rate=0.002,
            cosine_decay=True,
            augment_shift=0.08,
            quantize="float16",
        ),
        ModelConfig(
            name="fashion-cnn",
            dataset="fashion-mnist",
            arch="cnn",
            title="Fashion CNN",
            conv_blocks=(32, 64),
            dense_units=128,
            dropout=0.4,
            epochs=12,
            batch_size=128,
            learning_rate=0.002,
            cosine_decay=True,
            quantize="float16",
        ),
    )
}


# Runs the tutorial discusses but the browser never loads: the seed MLP with one
# classic mistake each, and the same MLP on Fashion-MNIST. `python -m train runs`.
RUNS: dict[str, ModelConfig] = {
    cfg.name: cfg
    for cfg in (
        replace(
            MODELS["mnist-mlp"],
            name="mistake-unscaled",
            title="Inputs not scaled (0-255)",
            scale_inputs=False,
            ships=False,
        ),
        replace(
            MODELS["mnist-mlp"],
            name="mistake-high-lr",
            title="Learning rate 100x too high (0.1)",
            learning_rate=0.1,
            ships=False,
        ),
        replace(
            MODELS["mnist-mlp"],
            name="mistake-logits",
            title="Softmax output fed to a from_logits loss",
            from_logits=True,
            ships=False,
        ),
        replace(
            MODELS["mnist-mlp"],
            name="mistake-mse",
            title="Regression loss (MSE) on class labels",
            loss="mean_squared_error",
            ships=False,
        ),
        replace(
            MODELS["mnist-mlp"],
            name="fashion-mlp",
            title="Seed MLP on Fashion-MNIST",
            dataset="fashion-mnist",
            ships=False,
        ),
    )
}
CONFIGS: dict[str, ModelConfig] = {**MODELS, **RUNS}

# How a drawing or a photo becomes a dataset-like image in the browser. Sizes are
# in pixels of the image_size x image_size input; fractions are of the pad's side.
DRAWING_RECIPES: dict[DatasetName, dict[str, object]] = {
    "mnist": {
        "description": (
            "white ink on black; crop to the ink's bounding box; scale the longer side "
            "to 20 px keeping the aspect ratio (area averaging, which anti-aliases); "
            "paste into 28x28 so that the centre of mass lands on the centre"
        ),
        "fit_box": 20,
        "center": "mass",
        "ink_threshold": 0.1,
        "stroke_width": 0.075,
        "min_extent": 0.12,
    },
    "fashion-mnist": {
        "description": (
            "light object on a dark background (inverted when the picture is mostly "
            "light); crop to the object; scale the longer side to 28 px keeping the "
            "aspect ratio; centre the bounding box in 28x28"
        ),
        "fit_box": 28,
        "center": "box",
        "ink_threshold": 0.1,
        "stroke_width": 0.06,
        "min_extent": 0.12,
    },
}
# A photo of a garment -> a light object on black, before the drawing recipe.
PHOTO_RECIPES: dict[DatasetName, dict[str, object]] = {
    "fashion-mnist": {
        "luma": [0.299, 0.587, 0.114],  # ITU-R BT.601 weights: RGB -> gray
        "invert_above": 127,  # a border brighter than this is a light background: invert
        "min_contrast": 16,  # object vs background below this: a one-colour picture
    },
}


def get(name: str, **overrides: object) -> ModelConfig:
    """The config called ``name``, with ``overrides`` of existing fields applied."""
    if name not in CONFIGS:
        raise KeyError(f"unknown model {name!r}; choose from {', '.join(CONFIGS)}")
    overrides = {k: v for k, v in overrides.items() if v is not None}
    return replace(CONFIGS[name], **overrides)
