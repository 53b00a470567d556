"""Train one ``ModelConfig`` reproducibly and measure it on the test set."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass

import numpy as np
import tensorflow as tf
import tf_keras as keras

from train.config import ModelConfig
from train.data import Dataset
from train.models import build_model


@dataclass
class TrainResult:
    """A trained model and everything measured about it."""

    model: keras.Model
    history: dict[str, list[float]]
    epoch_seconds: list[float]
    train_seconds: float
    test_loss: float
    test_accuracy: float
    confusion: list[list[int]]
    train_size: int
    test_size: int
    steps_per_epoch: int


class EpochTimer(keras.callbacks.Callback):
    """Records wall-clock seconds per epoch."""

    def on_train_begin(self, logs=None):
        self.seconds: list[float] = []

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self._start)


def prepare(cfg: ModelConfig, images: np.ndarray) -> np.ndarray:
    """uint8 ``(n, 28, 28)`` -> float32 ``(n, *cfg.input_shape)``, scaled if configured."""
    x = images.astype(np.float32)
    if cfg.scale_inputs:
        x /= 255.0
    return x.reshape((-1, *cfg.input_shape))


def seed_everything(seed: int) -> None:
    """Same seed on the same machine -> same weights, same metrics."""
    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()


def training_data(cfg: ModelConfig, x: np.ndarray, y: np.ndarray) -> tf.data.Dataset:
    """Shuffled, batched training pipeline, randomly shifted if ``augment_shift``."""
    ds = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(len(x), seed=cfg.seed, reshuffle_each_iteration=True)
    ds = ds.batch(cfg.batch_size)
    if cfg.augment_shift:
        shift = keras.layers.RandomTranslation(
            cfg.augment_shift, cfg.augment_shift, fill_mode="constant", seed=cfg.seed
        )
        ds = ds.map(lambda xb, yb: (shift(xb, training=True), yb))
    return ds.prefetch(2)


def train_model(cfg: ModelConfig, data: Dataset, limit: int | None = None, verbose: int | None = None) -> TrainResult:
    """Train ``cfg`` on ``data`` and evaluate it on the test split.

    Args:
        cfg: the model and its hyperparameters.
        data: uint8 images and labels (see ``train.data``).
        limit: use only the first ``limit`` train and test images (for quick runs).
        verbose: Keras verbosity; default is a progress bar on a terminal, a line
            per epoch otherwise.

    Returns:
        The trained model with its history, timings, test metrics and confusion matrix.
    """
    seed_everything(cfg.seed)
    n_train = len(data.x_train) if limit is None else min(limit, len(data.x_train))
    n_test = len(data.x_test) if limit is None else min(limit, len(data.x_test))
    x_train, y_train = prepare(cfg, data.x_train[:n_train]), data.y_train[:n_train]
    x_test, y_test = prepare(cfg, data.x_test[:n_test]), data.y_test[:n_test]
    if verbose is None:
        verbose = 1 if sys.stdout.isatty() else 2

    steps_per_epoch = -(-n_train // cfg.batch_size)
    model = build_model(cfg, steps_per_epoch=steps_per_epoch)
    timer = EpochTimer()
    start = time.perf_counter()
    # The test split doubles as the validation curve shown in the tutorial; it never
    # drives a training decision (no early stopping, no checkpoint selection).
    history = model.fit(
        training_data(cfg, x_train, y_train),
        epochs=cfg.epochs,
        validation_data=(x_test, y_test),
        callbacks=[timer],
        verbose=verbose,
    )
    train_seconds = time.perf_counter() - start
    test_loss, test_accuracy = model.evaluate(x_test, y_test, batch_size=500, verbose=0)
    predicted = model.predict(x_test, batch_size=500, verbose=0).argmax(axis=1)
    confusion = np.zeros((cfg.num_classes, cfg.num_classes), dtype=np.int64)
    np.add.at(confusion, (y_test.astype(np.int64), predicted), 1)
    return TrainResult(
        model=model,
        history={k: [float(v) for v in vs] for k, vs in history.history.items()},
        epoch_seconds=timer.seconds,
        train_seconds=train_seconds,
        test_loss=float(test_loss),
        test_accuracy=float(test_accuracy),
        confusion=confusion.tolist(),
        train_size=n_train,
        test_size=n_test,
        steps_per_epoch=steps_per_epoch,
    )
