"""Your turn, in Python: the quickstart model used, saved, fed and trained by hand.

The closing chapter, "Your turn, in Python", shows the sections marked ``--8<--`` below. They
take the reader from the classic quickstart (``train/quickstart.py``, whose network
``classic_model`` this module reuses, unchanged) to the tools of their own programs:

* ``predict-one``: one image through the model (the batch axis, ``predict``, ``argmax``);
* ``save``, ``load``: the model to one ``.keras`` file and back;
* ``scale``, ``pipeline``, ``datasets``: a ``tf.data`` input pipeline (map, shuffle, batch,
  prefetch) and the quickstart's split;
* ``loop-setup``, ``train-step``, ``test-step``, ``epochs``, ``train``, ``test``, ``evaluate``:
  a training loop of one's own with ``tf.GradientTape``, which trains the quickstart model as
  ``Model.fit`` does, and (``writers``) TensorBoard's curves with ``tf.summary``;
* ``fit``: ``Model.fit`` with the ``TensorBoard`` callback; ``same-start``: the comparison's set-up.

``compare_with_fit`` trains two copies of the model from the same weights on the same batches,
one with ``fit`` and one with the loop, and measures how far apart their weights end up; the
tests check it on a few hundred images.

The full run trains the whole quickstart (54,000 training images, the last 6,000 held out for
validation as ``validation_split=0.1`` does, 5 epochs, batch 32, seed 42 as the committed
``mnist-mlp``) with the loop, and writes its record to ``docs/runs/your-turn.json``::

    python -m train.your_turn [--limit N] [--epochs N] [--out FILE] [--logdir DIR]

With ``--limit`` (a quick try), nothing is written unless ``--out`` names a file.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from train.quiet import native_noise_filtered

with native_noise_filtered():  # TensorFlow's start-up, without its native notices (train/quiet.py)
    # --8<-- [start:imports]
    import numpy as np
    import tensorflow as tf

    # --8<-- [end:imports]
    from train.metadata import MODELS_DIR, RUNS_DIR
    from train.quickstart import classic_model, load_mnist
    from train.training import seed_everything

# The committed run this module's full run is compared with, and its settings (train/config.py).
FIT_RUN = "mnist-mlp"
SEED = 42
EPOCHS = 5
BATCH_SIZE = 32
VALIDATION_SPLIT = 0.1
RECORD = RUNS_DIR / "your-turn.json"
# The comparison with fit: the first COMPARE_IMAGES training images, COMPARE_EPOCHS epochs.
COMPARE_IMAGES = 640
COMPARE_EPOCHS = 2


def predict_one(model: tf.keras.Model, image: np.ndarray) -> tuple[np.ndarray, int]:
    """The model's answer for one image.

    Args:
        model: a model taking float (batch, 28, 28) images in [0, 1], such as ``classic_model()``.
        image: one image, float (28, 28), pixels already scaled to [0, 1].

    Returns:
        (float32 probabilities of shape (1, 10): one row, one probability per digit 0 to 9;
        the most probable digit, an int from 0 to 9).
    """
    # --8<-- [start:predict-one]
    batch = np.expand_dims(image, axis=0)  # (28, 28) -> (1, 28, 28): a batch of one; image[None] does the same
    probabilities = model.predict(batch, verbose=0)  # (1, 10): one row per image, one column per digit
    digit = int(np.argmax(probabilities[0]))  # the most probable digit, 0 to 9
    # --8<-- [end:predict-one]
    return probabilities, digit


def save_and_load(model: tf.keras.Model, folder: Path) -> tuple[tf.keras.Model, Path]:
    """Save ``model`` as ``folder/mnist.keras`` and load it back.

    Returns:
        (the model rebuilt from the file: same architecture, same weights; the file's path).
    """
    # --8<-- [start:save]
    path = folder / "mnist.keras"  # the extension picks the format
    model.save(path)  # one zip file: the architecture (config.json), the weights (model.weights.h5)
    # --8<-- [end:save]
    # --8<-- [start:load]
    restored = tf.keras.models.load_model(path)
    # --8<-- [end:load]
    return restored, path


# --8<-- [start:scale]
def scale(image: tf.Tensor, label: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
    """uint8 (28, 28) pixels 0..255 -> float32 (28, 28) in [0, 1]; the label passes through."""
    return tf.cast(image, tf.float32) / 255.0, label


# --8<-- [end:scale]


def make_dataset(
    images: np.ndarray, labels: np.ndarray, batch_size: int = BATCH_SIZE, shuffle: bool = False, seed: int | None = None
) -> tf.data.Dataset:
    """A ``tf.data`` pipeline over images and labels held in memory.

    Args:
        images: uint8 (n, 28, 28), 0 = background, 255 = ink.
        labels: uint8 (n,), the digits 0 to 9.
        batch_size: images per batch (the last batch holds what is left).
        shuffle: a new random order every epoch (for training data; evaluation needs none).
        seed: the shuffle's seed, for repeatable orders.

    Returns:
        A dataset of (float32 (batch, 28, 28) in [0, 1], uint8 (batch,)) pairs.
    """
    # --8<-- [start:pipeline]
    dataset = tf.data.Dataset.from_tensor_slices((images, labels))  # one (image, label) pair at a time
    dataset = dataset.map(scale, num_parallel_calls=tf.data.AUTOTUNE)  # float32 in [0, 1], on several cores
    if shuffle:
        dataset = dataset.shuffle(len(images), seed=seed)  # a buffer as big as the data: a full shuffle
    dataset = dataset.batch(batch_size)  # (batch, 28, 28) images and (batch,) labels
    dataset = dataset.prefetch(tf.data.AUTOTUNE)  # prepare the next batch while the model trains on this one
    # --8<-- [end:pipeline]
    return dataset


def make_test_step(
    model: tf.keras.Model,
    loss_fn: tf.keras.losses.Loss,
    mean_loss: tf.keras.metrics.Mean,
    accuracy: tf.keras.metrics.SparseCategoricalAccuracy,
):
    """One evaluation step, compiled once: a batch through ``model`` with dropout off, into the metrics.

    Args:
        model: float32 (batch, 28, 28) -> probabilities (batch, 10).
        loss_fn: the loss of one batch, as the training step uses it.
        mean_loss: gathers the loss, weighted by the batch's size (so a short last batch counts less).
        accuracy: gathers the share of images whose most probable digit is their label.

    Returns:
        ``test_step(images, labels)``: float32 (batch, 28, 28) and integer (batch,) -> None.
    """

    # --8<-- [start:test-step]
    @tf.function
    def test_step(images, labels):
        probabilities = model(images, training=False)  # dropout off
        mean_loss.update_state(loss_fn(labels, probabilities), sample_weight=tf.shape(labels)[0])
        accuracy.update_state(labels, probabilities)

    # --8<-- [end:test-step]
    return test_step


def evaluate_by_hand(model: tf.keras.Model, data: tf.data.Dataset) -> tuple[float, float]:
    """Mean cross-entropy and accuracy of ``model`` over ``data``, dropout off (what ``evaluate`` returns).

    Args:
        data: batches of float32 (batch, 28, 28) images and integer labels (batch,).

    Returns:
        (loss: the mean over every image of -ln(probability of its label); accuracy in [0, 1]).
    """
    # --8<-- [start:evaluate]
    mean_loss = tf.keras.metrics.Mean()
    accuracy = tf.keras.metrics.SparseCategoricalAccuracy()
    test_step = make_test_step(model, tf.keras.losses.SparseCategoricalCrossentropy(), mean_loss, accuracy)
    for images, labels in data:
        test_step(images, labels)
    # --8<-- [end:evaluate]
    return float(mean_loss.result()), float(accuracy.result())


def train_by_hand(
    model: tf.keras.Model,
    train_data: tf.data.Dataset,
    val_data: tf.data.Dataset | None = None,
    epochs: int = EPOCHS,
    log_dir: str | None = None,
    verbose: bool = True,
) -> tuple[dict[str, list[float]], list[float]]:
    """Train ``model`` with a loop of one's own, as the quickstart's ``compile`` and ``fit`` would.

    Adam with learning rate 0.001 (Keras' ``"adam"``), sparse categorical cross-entropy on the
    model's probabilities, one step per batch, dropout on while training.

    Args:
        model: float (batch, 28, 28) -> probabilities (batch, 10); it needs no ``compile``.
        train_data: batches of float32 (batch, 28, 28) images in [0, 1] and integer labels (batch,).
        val_data: like ``train_data``; measured after every epoch, dropout off.
        epochs: passes over ``train_data``.
        log_dir: TensorBoard's folder: ``tf.summary`` writes ``log_dir/train`` and
            ``log_dir/validation``, as the ``TensorBoard`` callback does; None writes nothing.
        verbose: print a line per epoch.

    Returns:
        (the history, keyed as ``fit``'s: "loss" and "accuracy", with ``val_data`` also
        "val_loss" and "val_accuracy", one float per epoch; seconds per epoch, validation included).
    """
    # --8<-- [start:loop-setup]
    optimizer = tf.keras.optimizers.Adam(learning_rate=0.001)
    loss_fn = tf.keras.losses.SparseCategoricalCrossentropy()
    mean_loss = tf.keras.metrics.Mean()  # the epoch's loss, averaged over its images
    accuracy = tf.keras.metrics.SparseCategoricalAccuracy()  # the epoch's share of right answers
    val_loss, val_accuracy = tf.keras.metrics.Mean(), tf.keras.metrics.SparseCategoricalAccuracy()
    test_step = make_test_step(model, loss_fn, val_loss, val_accuracy)
    # --8<-- [end:loop-setup]

    # --8<-- [start:train-step]
    @tf.function
    def train_step(images, labels):
        with tf.GradientTape() as tape:
            probabilities = model(images, training=True)  # dropout on; float32 (batch, 10)
            loss = loss_fn(labels, probabilities)  # the batch's mean cross-entropy, a float32 scalar
        gradients = tape.gradient(loss, model.trainable_weights)  # one tensor per weight tensor, same shape
        optimizer.apply_gradients(zip(gradients, model.trainable_weights, strict=True))  # one step of Adam
        mean_loss.update_state(loss, sample_weight=tf.shape(labels)[0])
        accuracy.update_state(labels, probabilities)

    # --8<-- [end:train-step]

    if log_dir is None:
        train_writer = val_writer = tf.summary.create_noop_writer()
    else:
        # --8<-- [start:writers]
        train_writer = tf.summary.create_file_writer(os.path.join(log_dir, "train"))
        val_writer = tf.summary.create_file_writer(os.path.join(log_dir, "validation"))
        # --8<-- [end:writers]

    history: dict[str, list[float]] = {"loss": [], "accuracy": []}
    if val_data is not None:
        history |= {"val_loss": [], "val_accuracy": []}
    seconds = []
    # --8<-- [start:epochs]
    for epoch in range(epochs):
        start = time.perf_counter()
        mean_loss.reset_state()
        accuracy.reset_state()
        for images, labels in train_data:  # every batch once; a shuffling dataset gives a new order
            train_step(images, labels)
        history["loss"].append(float(mean_loss.result()))
        history["accuracy"].append(float(accuracy.result()))
        with train_writer.as_default():
            tf.summary.scalar("epoch_loss", mean_loss.result(), step=epoch)
            tf.summary.scalar("epoch_accuracy", accuracy.result(), step=epoch)
        if val_data is not None:
            val_loss.reset_state()
            val_accuracy.reset_state()
            for images, labels in val_data:
                test_step(images, labels)
            history["val_loss"].append(float(val_loss.result()))
            history["val_accuracy"].append(float(val_accuracy.result()))
            with val_writer.as_default():
                tf.summary.scalar("epoch_loss", val_loss.result(), step=epoch)
                tf.summary.scalar("epoch_accuracy", val_accuracy.result(), step=epoch)
        seconds.append(time.perf_counter() - start)
        if verbose:
            print(f"epoch {epoch + 1}/{epochs}: " + ", ".join(f"{k} {v[-1]:.4f}" for k, v in history.items()))
    # --8<-- [end:epochs]
    train_writer.flush()
    val_writer.flush()
    return history, seconds


def fit_with_tensorboard(
    model: tf.keras.Model,
    train_data: tf.data.Dataset,
    val_data: tf.data.Dataset | None,
    epochs: int,
    log_dir: str,
    verbose: int = 0,
) -> dict[str, list[float]]:
    """Compile ``model`` as the quickstart does and ``fit`` it, with TensorBoard's callback.

    Args:
        model: float (batch, 28, 28) -> probabilities (batch, 10), not compiled yet.
        train_data, val_data: batches as ``make_dataset`` gives them (``val_data`` may be None).
        log_dir: the callback writes ``log_dir/train`` and, with ``val_data``, ``log_dir/validation``.
        verbose: Keras' verbosity (0: silent).

    Returns:
        ``fit``'s history: "loss", "accuracy" (and "val_loss", "val_accuracy"), one float per epoch.
    """
    # --8<-- [start:fit]
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    tensorboard = tf.keras.callbacks.TensorBoard(log_dir=log_dir)
    history = model.fit(train_data, epochs=epochs, validation_data=val_data, callbacks=[tensorboard], verbose=verbose)
    # --8<-- [end:fit]
    return history.history


def compare_with_fit(
    images: np.ndarray, labels: np.ndarray, log_dir: str, epochs: int = COMPARE_EPOCHS, seed: int = SEED
) -> dict[str, object]:
    """Train two copies of the quickstart model, one with ``fit`` and one with ``train_by_hand``.

    Both start from the same weights and see the same batches in the same order; dropout is off in
    both, since its random masks would be drawn differently by the two. Anything that still
    differs is a difference between the two training procedures.

    Args:
        images: uint8 (n, 28, 28); labels: uint8 (n,).
        log_dir: TensorBoard's folder: ``fit`` writes under ``log_dir/fit``, the loop under ``log_dir/loop``.

    Returns:
        ``images``, ``epochs``, ``steps``; each epoch's training loss by ``fit`` and by the loop
        (``fit_loss``, ``loop_loss``); ``max_weight_difference``: the largest absolute difference
        between any weight of the two models at the end.
    """
    seed_everything(seed)
    # --8<-- [start:same-start]
    by_fit, by_hand = classic_model(), classic_model()
    by_hand.set_weights(by_fit.get_weights())  # the same starting point
    for model in (by_fit, by_hand):
        model.layers[2].rate = 0.0  # dropout off: its random masks would differ between the two
    data = make_dataset(images, labels)  # no shuffling: the same batches, in the same order
    # --8<-- [end:same-start]
    fit_history = fit_with_tensorboard(by_fit, data, None, epochs, os.path.join(log_dir, "fit"))
    loop_history, _ = train_by_hand(by_hand, data, epochs=epochs, log_dir=os.path.join(log_dir, "loop"), verbose=False)
    difference = max(
        float(np.abs(a - b).max()) for a, b in zip(by_fit.get_weights(), by_hand.get_weights(), strict=True)
    )
    return {
        "images": len(images),
        "epochs": epochs,
        "steps": epochs * -(-len(images) // BATCH_SIZE),
        "fit_loss": fit_history["loss"],
        "loop_loss": loop_history["loss"],
        "max_weight_difference": difference,
    }


def versions() -> dict[str, str]:
    """The versions this run used."""
    import tf_keras

    return {
        "python": platform.python_version(),
        "tensorflow": tf.__version__,
        "tf_keras": tf_keras.__version__,
        "numpy": np.__version__,
    }


def run(limit: int | None = None, epochs: int = EPOCHS, log_dir: str | None = None) -> dict[str, Any]:
    """Train the quickstart model with the loop, measure it, and return the run's record.

    Args:
        limit: use only the first ``limit`` training images (the last tenth of them validates) and
            the first ``limit`` test images; None = all of MNIST.
        epochs: passes over the training images.
        log_dir: TensorBoard's folder for the loop's curves (None: not written).

    Returns:
        The record: sizes and settings; ``history`` (as ``fit``'s), ``epoch_seconds``,
        ``training_seconds``; ``test_loss``, ``test_accuracy``; ``one_image`` (the first test
        image through ``predict_one``); ``saved`` (the ``.keras`` round trip); ``loop_vs_fit``
        (``compare_with_fit`` on the first training images); ``compared_with`` (the committed
        ``fit`` run's name; this run's test accuracy minus its, in percentage points, and test loss
        minus its); ``versions``.
    """
    seed_everything(SEED)
    (x_train, y_train), (x_test, y_test) = load_mnist()
    if limit:
        x_train, y_train, x_test, y_test = x_train[:limit], y_train[:limit], x_test[:limit], y_test[:limit]
    cut = len(x_train) - round(len(x_train) * VALIDATION_SPLIT)  # fit's validation_split: the last tenth
    # --8<-- [start:datasets]
    train_data = make_dataset(x_train[:cut], y_train[:cut], shuffle=True, seed=42)
    val_data = make_dataset(x_train[cut:], y_train[cut:])
    test_data = make_dataset(x_test, y_test)
    # --8<-- [end:datasets]

    model = classic_model()
    start = time.perf_counter()
    # --8<-- [start:train]
    history, epoch_seconds = train_by_hand(model, train_data, val_data, epochs=epochs, log_dir=log_dir)
    # --8<-- [end:train]
    training_seconds = time.perf_counter() - start  # as fit's: the epochs and their validation
    # --8<-- [start:test]
    test_loss, test_accuracy = evaluate_by_hand(model, test_data)  # once, at the very end
    # --8<-- [end:test]

    probabilities, digit = predict_one(model, x_test[0] / 255.0)
    with tempfile.TemporaryDirectory() as folder:
        restored, path = save_and_load(model, Path(folder))
        some = x_test[:500] / 255.0
        saved = {
            "file": path.name,
            "bytes": path.stat().st_size,
            "same_predictions": bool(np.array_equal(model.predict(some, verbose=0), restored.predict(some, verbose=0))),
        }
    with tempfile.TemporaryDirectory() as folder:
        n = min(COMPARE_IMAGES, cut)
        loop_vs_fit = compare_with_fit(x_train[:n], y_train[:n], folder)

    fit_run = json.loads((MODELS_DIR / FIT_RUN / "metadata.json").read_text())
    return {
        "name": "your-turn",
        "title": "Quickstart MLP, trained by a GradientTape loop",
        "command": "python -m train.your_turn" + (f" --limit {limit}" if limit else "") + f" --epochs {epochs}",
        "dataset": "mnist",
        "epochs": epochs,
        "batch_size": BATCH_SIZE,
        "learning_rate": 0.001,
        "seed": SEED,
        "train_size": cut,
        "validation_size": len(x_train) - cut,
        "test_size": len(x_test),
        "steps_per_epoch": -(-cut // BATCH_SIZE),
        "history": history,
        "epoch_seconds": epoch_seconds,
        "training_seconds": training_seconds,
        "test_loss": test_loss,
        "test_accuracy": test_accuracy,
        "one_image": {
            "index": 0,
            "label": int(y_test[0]),
            "predicted": digit,
            "probability": float(probabilities[0, digit]),
            "shape": list(probabilities.shape),
        },
        "saved": saved,
        "loop_vs_fit": loop_vs_fit,
        "compared_with": {
            "run": FIT_RUN,
            "test_accuracy_points": 100 * (test_accuracy - fit_run["test_accuracy"]),
            "test_loss_difference": test_loss - fit_run["test_loss"],
        },
        "versions": versions(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m train.your_turn", description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, help="use only the first N train and test images (a quick try)")
    parser.add_argument("--epochs", type=int, default=EPOCHS, help=f"passes over the training images ({EPOCHS})")
    parser.add_argument("--out", type=Path, help=f"the record to write (default {RECORD}; with --limit, none)")
    parser.add_argument("--logdir", help="write TensorBoard's curves here (then: tensorboard --logdir DIR)")
    args = parser.parse_args(argv)
    for flag in ("epochs", "limit"):
        if getattr(args, flag) is not None and getattr(args, flag) < 1:
            parser.error(f"--{flag} must be at least 1")
    record = run(args.limit, args.epochs, args.logdir)
    fit = record["compared_with"]
    print(
        f"GradientTape loop: test accuracy {record['test_accuracy']:.2%}, test loss {record['test_loss']:.4f}, "
        f"{record['training_seconds']:.0f} s; against {FIT_RUN} (fit): accuracy {fit['test_accuracy_points']:+.2f} points, "
        f"loss {fit['test_loss_difference']:+.4f}"
    )
    print(
        f"loop vs fit on {record['loop_vs_fit']['images']} images: largest weight difference "
        f"{record['loop_vs_fit']['max_weight_difference']:.3g}"
    )
    out = args.out or (None if args.limit else RECORD)
    if out:
        from train.files import write_json

        write_json(out, record)
        print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
