"""The classic Keras MNIST program, exactly as the tutorial walks through it.

The only change from the TensorFlow 2 quickstart is the first line of data
loading: ``tf.keras.datasets.mnist.load_data()`` downloads from the internet, so
this version reads the same arrays from the verified offline copy. The page
"Hello, MNIST" includes the sections marked ``--8<--`` below.

Usage::

    python -m train.quickstart [--limit N]   # N: train/evaluate on the first N images
"""

from __future__ import annotations

import argparse

import tf_keras as keras

from train.data import load


def main(limit: int | None = None) -> tuple[float, float]:
    """Run the program; returns (test loss, test accuracy)."""
    # --8<-- [start:data]
    mnist = load("mnist")  # the same arrays as tf.keras.datasets.mnist.load_data()
    (x_train, y_train), (x_test, y_test) = (mnist.x_train, mnist.y_train), (mnist.x_test, mnist.y_test)
    x_train, x_test = x_train / 255.0, x_test / 255.0
    # --8<-- [end:data]
    if limit:
        x_train, y_train, x_test, y_test = x_train[:limit], y_train[:limit], x_test[:limit], y_test[:limit]

    # --8<-- [start:model]
    model = keras.models.Sequential(
        [
            keras.layers.Flatten(input_shape=(28, 28)),
            keras.layers.Dense(512, activation="relu"),
            keras.layers.Dropout(0.2),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    # --8<-- [end:model]

    # --8<-- [start:compile]
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    # --8<-- [end:compile]

    # --8<-- [start:fit]
    model.fit(x_train, y_train, epochs=5)
    loss, accuracy = model.evaluate(x_test, y_test)
    # --8<-- [end:fit]
    return loss, accuracy


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m train.quickstart", description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, help="use only the first N train and test images")
    args = parser.parse_args()
    loss, accuracy = main(args.limit)
    print(f"test loss {loss:.4f}, test accuracy {accuracy:.2%}")
