"""The models committed under docs/models: checked against a Keras oracle, the schema and the config.

Nothing here trusts what a metadata.json says about itself: the weights are
reloaded from the TF.js files (exactly as the browser gets them) and must
reproduce parity.json and the reported accuracy on the real test set.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.support.site import MODELS, committed_models
from train import config, data, metadata, tfjs
from train.export import parity_indices
from train.training import prepare

# (minimum test accuracy, maximum parameters) the issues ask of each model.
BARS = {"mnist-cnn": (0.993, 200_000), "fashion-cnn": (0.92, None), "mnist-mlp": (0.97, None)}


def meta_of(name: str) -> dict:
    return json.loads((MODELS / name / "metadata.json").read_text())


def test_every_shipped_config_is_committed():
    assert set(committed_models()) == set(config.MODELS) >= set(BARS)


@pytest.mark.parametrize("name", committed_models())
def test_committed_files_follow_the_schema(name):
    meta = metadata.validate(meta_of(name))
    for asset in ("parity", "activations", "gallery"):
        if asset in meta["assets"]:
            metadata.validate(json.loads((MODELS / name / meta["assets"][asset]).read_text()), asset)
    manifest = json.loads((MODELS / name / meta["assets"]["model"]).read_text())["weightsManifest"]
    assert all((MODELS / name / path).is_file() for group in manifest for path in group["paths"])


@pytest.mark.parametrize("name", committed_models())
def test_committed_metadata_agrees_with_the_config(name):
    """The contract half must be what `python -m train.refresh` would write from train/config.py today."""
    committed = meta_of(name)
    assert metadata.refresh(MODELS / name, config.MODELS[name]) == committed, (
        f"docs/models/{name}/metadata.json disagrees with train/config.py: run `python -m train.refresh`"
    )


@pytest.fixture(scope="module")
def datasets():
    return {name: data.load(name) for name in ("mnist", "fashion-mnist")}


@pytest.mark.parametrize("name", sorted(BARS))
def test_reloaded_weights_reproduce_parity_and_accuracy(name, datasets):
    meta = meta_of(name)
    cfg = config.MODELS[name]
    ds = datasets[cfg.dataset]
    model = tfjs.load(MODELS / name)
    parity = json.loads((MODELS / name / meta["assets"]["parity"]).read_text())
    assert parity["indices"] == parity_indices(len(ds.x_test)).tolist()
    raw = ds.x_test[parity["indices"]]
    assert np.array_equal(np.array(parity["inputs"], np.uint8).reshape(raw.shape), raw)
    assert parity["labels"] == ds.y_test[parity["indices"]].tolist()
    np.testing.assert_allclose(model.predict(prepare(cfg, raw), verbose=0), parity["probabilities"], atol=1e-5)
    probs = model.predict(prepare(cfg, ds.x_test), batch_size=1000, verbose=0)
    # The answer is the most likely *class*, as the widget shows it: a "not a digit" output is the verdict's.
    accuracy = float((probs[:, : len(meta["class_names"])].argmax(axis=1) == ds.y_test).mean())
    assert accuracy == pytest.approx(meta["weights"]["test_accuracy"], abs=1e-4)
    minimum, max_params = BARS[name]
    assert accuracy >= minimum
    assert meta["test_size"] == len(ds.x_test) == 10_000
    assert meta["train_size"] + meta["validation_size"] == 60_000 and meta["validation_size"] == 6_000
    if max_params:
        assert model.count_params() == meta["params"] <= max_params
