"""Train one ``ModelConfig`` reproducibly: validation curves while it trains, the test set once at the end.

The last ``validation_split`` of the training images (as Keras' own
``validation_split`` takes them) never trains the model: it draws the
validation curves and, at export, chooses the "not a digit" threshold. The test
set is touched once, after training, for the numbers the pages show.

With ``cfg.redrawn``, training digits redrawn as pen strokes join the training
images; with ``cfg.negatives``, generated drawings that are not digits join them
under one extra output, "not a digit" (index ``num_classes``).
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass

import numpy as np
import tensorflow as tf
import tf_keras as keras

from train.augment import augment
from train.config import DRAWING_RECIPES, ModelConfig
from train.data import Dataset
from train.models import build_model


@dataclass(frozen=True)
class Split:
    """uint8 images ``(n, 28, 28)`` and uint8 labels of training, validation and test."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray


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
    validation_size: int
    test_size: int
    negatives: int
    steps_per_epoch: int
    split: Split
    initial_weights: list[np.ndarray]


class EpochTimer(keras.callbacks.Callback):
    """Records wall-clock seconds per epoch."""

    def on_train_begin(self, logs=None):
        self.seconds: list[float] = []

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self._start)


def prepare(cfg: ModelConfig, images: np.ndarray) -> np.ndarray:
    """uint8 or float ``(n, 28, 28)`` in 0..255 -> float32 ``(n, *cfg.input_shape)``, scaled if configured."""
    x = images.astype(np.float32)
    if cfg.scale_inputs:
        x /= 255.0
    return x.reshape((-1, *cfg.input_shape))


def split(cfg: ModelConfig, data: Dataset, limit: int | None = None) -> Split:
    """Hold out the last ``cfg.validation_split`` of the (first ``limit``) training images for validation."""
    n_train = len(data.x_train) if limit is None else min(limit, len(data.x_train))
    n_test = len(data.x_test) if limit is None else min(limit, len(data.x_test))
    n_val = round(n_train * cfg.validation_split)
    cut = n_train - n_val
    return Split(
        x_train=data.x_train[:cut],
        y_train=data.y_train[:cut],
        x_val=data.x_train[cut:n_train],
        y_val=data.y_train[cut:n_train],
        x_test=data.x_test[:n_test],
        y_test=data.y_test[:n_test],
    )


def seed_everything(seed: int) -> None:
    """Same seed on the same machine -> same weights, same metrics."""
    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()


def with_drawings(
    cfg: ModelConfig, x: np.ndarray, y: np.ndarray, limit: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The training digits, plus ``cfg.redrawn`` of them redrawn as strokes and ``cfg.negatives``
    generated non-digits labelled ``cfg.num_classes`` (with ``limit``, a fifth of it at most of each)."""
    parts_x, parts_y = [x.astype(np.float32)], [y]
    cap = (lambda n: n) if limit is None else (lambda n: min(n, max(1, limit // 5)))  # noqa: E731
    if cfg.redrawn:
        from train.redrawn import redrawn_digits

        count = cap(cfg.redrawn)
        redrawn_x, redrawn_y = redrawn_digits(x[:count], y[:count], seed=cfg.seed, sizes=cfg.redraw_sizes)
        parts_x.append(redrawn_x)
        parts_y.append(redrawn_y)
    if cfg.negatives:
        from train.negatives import training_negatives

        negatives, _ = training_negatives(cap(cfg.negatives), seed=cfg.seed)
        parts_x.append(negatives)
        parts_y.append(np.full(len(negatives), cfg.num_classes, y.dtype))
    return np.concatenate(parts_x), np.concatenate(parts_y)


def training_data(cfg: ModelConfig, x: np.ndarray, y: np.ndarray) -> tf.data.Dataset:
    """Shuffled, batched, endlessly repeated (x, y); augmented per ``cfg.augment``, deterministically.

    Each batch gets its own random seed from (cfg.seed, batch number), so the
    augmentation differs every epoch and is the same on every run.
    """
    ds = tf.data.Dataset.from_tensor_slices((x, y))
    ds = ds.shuffle(len(x), seed=cfg.seed, reshuffle_each_iteration=True).repeat().batch(cfg.batch_size)
    if cfg.augment != type(cfg.augment)():
        seed = tf.constant(cfg.seed, tf.int64)

        def random_change(step, batch):
            images, labels = batch
            return augment(images, tf.stack([seed, step]), cfg.augment, DRAWING_RECIPES.get(cfg.dataset)), labels

        ds = ds.enumerate().map(random_change, num_parallel_calls=2)
    return ds.prefetch(2)


def train_model(cfg: ModelConfig, data: Dataset, limit: int | None = None, verbose: int | None = None) -> TrainResult:
    """Train ``cfg`` on ``data``; evaluate it on the test split once, at the end.

    Args:
        cfg: the model and its hyperparameters.
        data: uint8 images and labels (see ``train.data``).
        limit: use only the first ``limit`` train and test images (for quick runs).
        verbose: Keras verbosity; default is a progress bar on a terminal, a line
            per epoch otherwise.

    Returns:
        The trained model with its history, timings, test metrics and confusion matrix.
        Test accuracy and the confusion matrix read the most likely class, not "not a digit".
    """
    seed_everything(cfg.seed)
    parts = split(cfg, data, limit)
    x_train, y_train = with_drawings(cfg, parts.x_train, parts.y_train, limit)
    x_train = prepare(cfg, x_train)
    x_val, x_test = prepare(cfg, parts.x_val), prepare(cfg, parts.x_test)
    if verbose is None:
        verbose = 1 if sys.stdout.isatty() else 2

    steps_per_epoch = -(-len(x_train) // cfg.batch_size)
    model = build_model(cfg, steps_per_epoch=steps_per_epoch)
    initial_weights = model.get_weights()  # the untrained model, for its starting loss (no randomness drawn)
    timer = EpochTimer()
    start = time.perf_counter()
    history = model.fit(
        training_data(cfg, x_train, y_train),
        epochs=cfg.epochs,
        steps_per_epoch=steps_per_epoch,
        validation_data=(x_val, parts.y_val) if len(x_val) else None,
        callbacks=[timer],
        verbose=verbose,
    )
    train_seconds = time.perf_counter() - start
    test_loss, _ = model.evaluate(x_test, parts.y_test, batch_size=500, verbose=0)
    predicted = model.predict(x_test, batch_size=500, verbose=0)[:, : cfg.num_classes].argmax(axis=1)
    confusion = np.zeros((cfg.num_classes, cfg.num_classes), dtype=np.int64)
    np.add.at(confusion, (parts.y_test.astype(np.int64), predicted), 1)
    return TrainResult(
        model=model,
        history={k: [float(v) for v in vs] for k, vs in history.history.items()},
        epoch_seconds=timer.seconds,
        train_seconds=train_seconds,
        test_loss=float(test_loss),
        test_accuracy=float((predicted == parts.y_test).mean()),
        confusion=confusion.tolist(),
        train_size=len(parts.x_train),
        validation_size=len(parts.x_val),
        test_size=len(parts.x_test),
        negatives=int((y_train == cfg.num_classes).sum()),
        steps_per_epoch=steps_per_epoch,
        split=parts,
        initial_weights=initial_weights,
    )
