"""The classic Keras MNIST program, as the tutorial walks through it, line by line.

The page "Hello, MNIST" shows the sections marked ``--8<--`` below. Put together
(``imports``, ``download``, ``scale``, ``model``, ``compile``, ``fit``,
``evaluate``) they are the program a reader copies and runs; it downloads MNIST
with ``tf.keras.datasets.mnist.load_data()``.

``classic_model`` holds the ``model`` section, so that ``train.your_turn`` (the closing
chapter) trains, saves and feeds the very same network.

This project's own runs have no internet, so by default one line differs: the
``offline`` section reads the same four original MNIST files from the verified
offline copy (``train.data.load``, which checks every file's SHA-256 before
use). ``--download`` runs the official line instead.

``today`` is today's official quickstart model (128 units, logits out and a
``from_logits=True`` loss), for comparison (``--today``).

``tf.keras`` is legacy Keras (``tf_keras``) here, because ``train/__init__.py``
sets ``TF_USE_LEGACY_KERAS=1`` before TensorFlow is imported; with a plain
TensorFlow 2.16 or newer it is Keras 3, and the program runs unchanged.

Usage::

    python -m train.quickstart [--limit N] [--download] [--today]
"""

from __future__ import annotations

import argparse

import numpy as np

# --8<-- [start:imports]
import tensorflow as tf

# --8<-- [end:imports]
from train.data import load


def offline_mnist() -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """MNIST as ``tf.keras.datasets.mnist.load_data()`` returns it, from the verified offline copy.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 images (60000, 28, 28) and (10000, 28, 28),
        0 = background, 255 = ink; uint8 labels (60000,) and (10000,), 0 to 9.
    """
    mnist = load("mnist")
    return (mnist.x_train, mnist.y_train), (mnist.x_test, mnist.y_test)


def load_mnist(download: bool = False) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """The reader's line (``download=True``, needs internet) or this project's offline swap of it."""
    if download:
        # --8<-- [start:download]
        mnist = tf.keras.datasets.mnist
        (x_train, y_train), (x_test, y_test) = mnist.load_data()
        # --8<-- [end:download]
    else:
        # --8<-- [start:offline]
        (x_train, y_train), (x_test, y_test) = offline_mnist()  # the same arrays, no internet
        # --8<-- [end:offline]
    return (x_train, y_train), (x_test, y_test)


def classic_model() -> tf.keras.Model:
    """The classic quickstart's network, not compiled yet (``main`` compiles it; a loop of one's own needs no compile).

    Returns:
        A ``Sequential``: float (batch, 28, 28) pixels in [0, 1] -> float32 probabilities (batch, 10),
        one per digit 0 to 9; 407,050 weights, freshly initialised (seed them first for repeatable runs).
    """
    # --8<-- [start:model]
    model = tf.keras.models.Sequential(
        [
            tf.keras.layers.Flatten(input_shape=(28, 28)),
            tf.keras.layers.Dense(512, activation="relu"),
            tf.keras.layers.Dropout(0.2),
            tf.keras.layers.Dense(10, activation="softmax"),
        ]
    )
    # --8<-- [end:model]
    return model


def todays_model() -> tuple[tf.keras.Model, tf.keras.Model]:
    """Today's official quickstart model: Dense 128, logits out, and a loss told so.

    Returns:
        (``model``, compiled: float (batch, 28, 28) in [0, 1] -> float32 logits (batch, 10);
        ``probability_model``: the same model followed by softmax -> probabilities (batch, 10)).
    """
    # --8<-- [start:today]
    model = tf.keras.models.Sequential(
        [
            tf.keras.layers.Flatten(input_shape=(28, 28)),
            tf.keras.layers.Dense(128, activation="relu"),
            tf.keras.layers.Dropout(0.2),
            tf.keras.layers.Dense(10),
        ]
    )
    loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    model.compile(optimizer="adam", loss=loss_fn, metrics=["accuracy"])
    probability_model = tf.keras.Sequential([model, tf.keras.layers.Softmax()])
    # --8<-- [end:today]
    return model, probability_model


def main(limit: int | None = None, download: bool = False, today: bool = False) -> tuple[float, float]:
    """Run the program.

    Args:
        limit: train on the first ``limit`` training images (the last tenth of them validates) and
            test on the first ``limit`` test images; None = all.
        download: load MNIST with ``tf.keras.datasets.mnist.load_data()`` (needs internet).
        today: train today's official quickstart model instead of the classic one.

    Returns:
        (test loss, test accuracy).
    """
    (x_train, y_train), (x_test, y_test) = load_mnist(download)
    if limit:
        x_train, y_train, x_test, y_test = x_train[:limit], y_train[:limit], x_test[:limit], y_test[:limit]

    # --8<-- [start:scale]
    x_train, x_test = x_train / 255.0, x_test / 255.0
    # --8<-- [end:scale]

    model = classic_model()

    # --8<-- [start:compile]
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    # --8<-- [end:compile]
    if today:
        model, _ = todays_model()

    # --8<-- [start:fit]
    model.fit(x_train, y_train, epochs=5, validation_split=0.1)
    # --8<-- [end:fit]

    # --8<-- [start:evaluate]
    loss, accuracy = model.evaluate(x_test, y_test)
    # --8<-- [end:evaluate]
    return loss, accuracy


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m train.quickstart", description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, help="use only the first N train and test images")
    parser.add_argument("--download", action="store_true", help="download MNIST like the reader does (internet)")
    parser.add_argument("--today", action="store_true", help="train today's official quickstart model instead")
    args = parser.parse_args()
    loss, accuracy = main(args.limit, args.download, args.today)
    print(f"test loss {loss:.4f}, test accuracy {accuracy:.2%}")
