"""Keras models built from a ``ModelConfig``.

Models are built with legacy Keras (``tf_keras``), the format the tensorflowjs
converter writes and TF.js 4.22's ``tf.loadLayersModel`` reads.

Input: float32 ``(batch, 28, 28)`` for the MLP, ``(batch, 28, 28, 1)`` for CNNs,
pixel values already scaled to [0, 1]. Output: float32 ``(batch, cfg.num_outputs)``
softmax: one probability per class name of the model's dataset, then "not a
digit" for a model trained on negatives.
"""

from __future__ import annotations

import tf_keras as keras

from train.config import ModelConfig

OPTIMIZERS = {"adam": keras.optimizers.Adam}


def build_model(cfg: ModelConfig, steps_per_epoch: int = 1) -> keras.Model:
    """Build and compile the model described by ``cfg``.

    Args:
        steps_per_epoch: batches per epoch; sets the length of the cosine schedule.
    """
    # Unnamed layers take Keras' next free name ("dense", then "dense_1", ... across the whole
    # process): start the count again, so a model's layer names (in metadata.json) do not depend
    # on what the process built before it.
    keras.backend.reset_uids()
    if cfg.arch == "mlp":
        model = keras.Sequential(
            [
                keras.layers.Flatten(input_shape=cfg.input_shape),
                keras.layers.Dense(cfg.dense_units, activation="relu"),
                keras.layers.Dropout(cfg.dropout),
                keras.layers.Dense(cfg.num_outputs, activation="softmax"),
            ],
            name=cfg.name.replace("-", "_"),
        )
    elif cfg.arch == "cnn":
        layers: list[keras.layers.Layer] = [keras.layers.InputLayer(input_shape=cfg.input_shape)]
        for block, filters in enumerate(cfg.conv_blocks, start=1):
            for i in (1, 2):
                layers.append(
                    keras.layers.Conv2D(filters, 3, padding="same", activation="relu", name=f"conv{block}_{i}")
                )
            if cfg.head == "flatten" or block < len(cfg.conv_blocks):
                layers.append(keras.layers.MaxPooling2D(2, name=f"pool{block}"))
        if cfg.head == "gap":
            layers.append(keras.layers.GlobalAveragePooling2D(name="gap"))
        else:
            layers.append(keras.layers.Flatten(name="flatten"))
        if cfg.dense_units:
            layers.append(keras.layers.Dense(cfg.dense_units, activation="relu", name="dense"))
        layers += [
            keras.layers.Dropout(cfg.dropout, name="dropout"),
            keras.layers.Dense(cfg.num_outputs, activation="softmax", name="probabilities"),
        ]
        model = keras.Sequential(layers, name=cfg.name.replace("-", "_"))
    else:
        raise ValueError(f"unknown arch {cfg.arch!r}")
    learning_rate = cfg.learning_rate
    if cfg.cosine_decay:
        learning_rate = keras.optimizers.schedules.CosineDecay(cfg.learning_rate, cfg.epochs * steps_per_epoch)
    loss: str | keras.losses.Loss = cfg.loss
    if cfg.from_logits:
        # A deliberate mistake for the tutorial: the model already ends in softmax.
        loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    model.compile(
        optimizer=OPTIMIZERS[cfg.optimizer](learning_rate),
        loss=loss,
        metrics=["accuracy"],
    )
    return model
