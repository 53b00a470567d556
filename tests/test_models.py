"""Model configs: parameter counts and output shapes."""

from __future__ import annotations

import numpy as np
import pytest

from train import config
from train.models import build_model


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("mnist-mlp", 784 * 512 + 512 + 512 * 10 + 10),
        # Two blocks of two 3x3 convs (16, 32 filters), Flatten (7x7x32), Dense 64, 11 outputs.
        (
            "mnist-cnn",
            (9 * 16 + 16)
            + (9 * 16 * 16 + 16)
            + (9 * 16 * 32 + 32)
            + (9 * 32 * 32 + 32)
            + (1568 * 64 + 64)
            + (64 * 11 + 11),
        ),
        ("fashion-cnn", 467_818),
    ],
)
def test_parameter_counts_and_output_shapes(name, params):
    cfg = config.get(name)
    model = build_model(cfg)
    assert model.count_params() == params
    out = model.predict(np.zeros((2, *cfg.input_shape), np.float32), verbose=0)
    assert out.shape == (2, cfg.num_outputs) and cfg.num_outputs == 10 + (1 if cfg.negatives else 0)
    assert np.allclose(out.sum(axis=1), 1.0, atol=1e-5)


def test_quickstart_mlp_is_the_classic_quickstart():
    cfg = config.get("mnist-mlp")
    layers = build_model(cfg).layers
    assert [type(layer).__name__ for layer in layers] == ["Flatten", "Dense", "Dropout", "Dense"]
    assert layers[1].units == 512 and layers[1].activation.__name__ == "relu"
    assert layers[2].rate == 0.2
    assert layers[3].activation.__name__ == "softmax"
    assert (cfg.epochs, cfg.batch_size, cfg.loss, cfg.scale_inputs) == (5, 32, "sparse_categorical_crossentropy", True)


def test_mnist_cnn_fits_the_parameter_budget():
    assert build_model(config.get("mnist-cnn")).count_params() <= 200_000


def test_overrides_only_existing_fields():
    assert config.get("mnist-cnn", epochs=1).epochs == 1
    with pytest.raises(TypeError):
        config.get("mnist-cnn", not_a_field=1)
    with pytest.raises(KeyError, match="unknown model"):
        config.get("nope")
