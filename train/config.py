"""Every hyperparameter of every model, in one place.

One frozen dataclass instance per model. The CLI may override only ``epochs``,
``seed`` and ``quantize`` (and cap the data with ``--limit``); everything else
is changed here. ``python -m train.refresh`` rewrites the committed models'
metadata from this file without retraining, and a test fails when the two
disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Literal

from train.metadata_types import DrawingRecipe, FineTune, PhotoRecipe

Arch = Literal["mlp", "cnn"]
DatasetName = Literal["mnist", "fashion-mnist"]
WeightDtype = Literal["float32", "float16", "uint8"]
Head = Literal["flatten", "gap"]
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
class Augmentation:
    """Random changes to each training image, drawn anew every epoch (see train/augment.py).

    Attributes:
        shift: translation, as a fraction of the image side.
        rotate: rotation, in degrees either way.
        shear: horizontal shear factor either way (a lean).
        scale: relative change of size either way (0.1: from 1/1.1 to 1.1).
        thin: stroke thinning, up to this fraction of a 3x3 grey-level erosion.
        thicken: stroke thickening, up to this fraction of a 3x3 dilation
            (a pen drawing shrunk into the 20 px box is often thicker than a scan).
        elastic: RMS displacement of the elastic distortion, in pixels (0 = off).
        elastic_sigma: smoothness of that distortion (Gaussian sigma, pixels).
        renormalize: after the other changes, re-apply the drawing recipe (fit
            the box, centre the mass), as the browser does to every drawing.
        share: the share of the images, drawn anew per image, that get all of the
            above; the others are only shifted.
    """

    shift: float = 0.0
    rotate: float = 0.0
    shear: float = 0.0
    scale: float = 0.0
    thin: float = 0.0
    thicken: float = 0.0
    elastic: float = 0.0
    elastic_sigma: float = 3.0
    renormalize: bool = False
    share: float = 1.0


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
        head: how the last feature maps reach the classifier: "flatten" (every
            position its own weights) or "gap" (global average pooling: one
            average per filter, no pool after the last block).
        dense_units: hidden Dense width (0 = none).
        dropout: dropout rate before the output layer.
        epochs: full passes over the training set.
        batch_size: images per gradient step.
        optimizer: the optimizer's Keras name (every model here uses Adam).
        learning_rate: its step size (the start of the schedule if cosine_decay).
        cosine_decay: anneal the learning rate to 0 over training (cosine).
        augment: random changes to the training images (none by default).
        validation_split: the last fraction of the training set, held out to
            draw the validation curves and make choices; the test set is used
            once, for the final numbers.
        negatives: how many generated drawings that are not digits join the
            training set under an extra output, "not a digit" (0 = no extra output).
        redrawn: how many training digits are also traced and redrawn as pen
            strokes, as the widget's readers draw (train/redrawn.py: two
            drawings of each join the training set).
        redraw_sizes: how big those drawings are on the pad, as a fraction of
            its side (a small drawing gets fat strokes from the pad's pen).
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
    head: Head = "flatten"
    dense_units: int = 0
    dropout: float = 0.0
    epochs: int = 5
    batch_size: int = 32
    optimizer: Optimizer = "adam"
    learning_rate: float = 0.001
    augment: Augmentation = Augmentation()
    validation_split: float = 0.1
    negatives: int = 0
    redrawn: int = 0
    redraw_sizes: tuple[float, float] = (0.35, 0.85)
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
    def num_outputs(self) -> int:
        """One output per class, plus "not a digit" when trained on negatives."""
        return self.num_classes + (1 if self.negatives else 0)

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
            title="Quickstart MLP (Dense 512)",
            dense_units=512,
            dropout=0.2,
        ),
        # The default model: reads drawings (trained on redrawn digits too) and says
        # "not a digit" (trained on generated non-digits under an 11th output). Its
        # Dense layer after Flatten is what the browser fine-tunes on a reader's own
        # style (a global-average-pooling head measured as accurate, but could not
        # learn a new style with its convolutions frozen). 8-bit weights keep the
        # digit page small.
        ModelConfig(
            name="mnist-cnn",
            dataset="mnist",
            arch="cnn",
            title="Small CNN",
            conv_blocks=(16, 32),
            dense_units=64,
            dropout=0.3,
            epochs=24,
            batch_size=128,
            learning_rate=0.002,
            cosine_decay=True,
            # Half of the images changed as hands differ (lean, size, pen width), then fitted
            # again as the browser fits a drawing; the rest only shifted, so scans stay scans.
            augment=Augmentation(
                shift=0.08, rotate=10, shear=0.3, scale=0.15, thin=0.3, thicken=1.0, renormalize=True, share=0.5
            ),
            negatives=12000,
            redrawn=12000,
            redraw_sizes=(0.2, 0.9),
            quantize="uint8",
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
# The mnist-cnn's path from the quickstart's training to what ships, one change at a time. The steps
# keep the settings they were trained with before the drawing-augmentation retrain.
EARLIER_CNN: dict[str, Any] = dict(
    conv_blocks=(16, 32), epochs=18, augment=Augmentation(shift=0.08), redraw_sizes=(0.35, 0.85)
)
CNN_STEPS: dict[str, dict[str, Any]] = {
    "cnn-1-quickstart-training": dict(
        title="CNN, trained like the quickstart",
        epochs=5,
        batch_size=32,
        learning_rate=0.001,
        cosine_decay=False,
        augment=Augmentation(),
        negatives=0,
        redrawn=0,
    ),
    "cnn-2-schedule": dict(title="+ longer schedule", augment=Augmentation(), negatives=0, redrawn=0),
    "cnn-3-shifts": dict(title="+ random shifts", negatives=0, redrawn=0),
    "cnn-4-redrawn": dict(title="+ redrawn digits", negatives=0),
}


# Runs the tutorial discusses but the browser never loads: the quickstart MLP with
# one classic mistake each, the same MLP on Fashion-MNIST, the CNN's steps, and the
# Fashion CNN trained like the MLP. `python -m train runs`.
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
            name="mistake-unscaled-fast",
            title="Inputs not scaled, learning rate 10x (0.01)",
            scale_inputs=False,
            learning_rate=0.01,
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
            title="Quickstart MLP on Fashion-MNIST",
            dataset="fashion-mnist",
            ships=False,
        ),
        replace(
            MODELS["fashion-cnn"],
            name="fashion-cnn-quickstart-training",
            title="Fashion CNN, trained like the quickstart",
            epochs=5,
            batch_size=32,
            learning_rate=0.001,
            cosine_decay=False,
            quantize="float32",
            ships=False,
        ),
        *(
            replace(MODELS["mnist-cnn"], name=name, quantize="float32", ships=False, **{**EARLIER_CNN, **changes})
            for name, changes in CNN_STEPS.items()
        ),
    )
}
CONFIGS: dict[str, ModelConfig] = {**MODELS, **RUNS}

# How a drawing or a photo becomes a dataset-like image in the browser. Sizes are
# in pixels of the image_size x image_size input; fractions are of the pad's side.
DRAWING_RECIPES: dict[DatasetName, DrawingRecipe] = {
    "mnist": {
        "description": (
            "white ink on black; crop to the ink's bounding box; scale the longer side "
            "to 20 px keeping the aspect ratio (area averaging, which anti-aliases); "
            "paste into 28x28 so that the centre of mass lands in the middle of pixel (14, 14)"
        ),
        "fit_box": 20,
        "center": "mass",
        # Where MNIST's own centre of mass lies (pixel edges at integers): its 60,000
        # training images have theirs spread evenly over [14, 15) on both axes, the
        # mark of a whole-pixel shift to 14.5. A test checks this against the data.
        "mass_center": 14.5,
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
# How the browser fine-tunes a model on the reader's own drawings (site/core/fine-tune.js):
# the reader's examples, repeated, mixed with MNIST images replayed so the model does
# not forget ordinary handwriting; the convolutions stay frozen. Measured by the
# benchmark (python -m tests.bench --parts fine-tune).
FINE_TUNE: dict[str, FineTune] = {
    "mnist-cnn": {
        "epochs": 15,  # passes over the mix
        "learning_rate": 0.002,  # Adam's step size
        "repeats": 16,  # each of the reader's examples appears this often per pass, jittered
        "jitter_shift": 2,  # each repeat moves by up to this many pixels either way
        "jitter_stroke": 0.5,  # and is thickened or thinned (half the time) by up to this much
        "jitter_rotate": 20,  # and turned by up to this many degrees either way
        "jitter_scale": 0.2,  # and resized by up to this share either way
        "replay": 1500,  # MNIST training images mixed in
        "negatives": 100,  # generated non-digits mixed in, for the "not a digit" output
        "mnist_check": 1000,  # MNIST test images scored before and after (the forgetting check)
    },
}

# A photo of a garment -> a light object on black, before the drawing recipe.
PHOTO_RECIPES: dict[DatasetName, PhotoRecipe] = {
    "fashion-mnist": {
        "luma": [0.299, 0.587, 0.114],  # ITU-R BT.601 weights: RGB -> gray
        "invert_above": 127,  # a border brighter than this is a light background: invert
        "min_contrast": 16,  # object vs background below this: a one-colour picture
    },
}


def get(name: str, **overrides: Any) -> ModelConfig:
    """The config called ``name``, with ``overrides`` of existing fields applied."""
    if name not in CONFIGS:
        raise KeyError(f"unknown model {name!r}; choose from {', '.join(CONFIGS)}")
    overrides = {k: v for k, v in overrides.items() if v is not None}
    return replace(CONFIGS[name], **overrides)
