"""The models committed under docs/models meet the issue's bars and are complete."""

from __future__ import annotations

import json

import pytest

from tests.conftest import MODELS, committed_models

BARS = {"mnist-cnn": (0.993, 150_000), "fashion-cnn": (0.92, None), "mnist-mlp": (0.97, None)}


def test_every_config_is_committed():
    assert set(committed_models()) >= set(BARS)


@pytest.mark.parametrize("name", sorted(BARS))
def test_accuracy_and_size_bars(name):
    meta = json.loads((MODELS / name / "metadata.json").read_text())
    accuracy, max_params = BARS[name]
    assert meta["test_accuracy"] >= accuracy
    assert meta["test_size"] == 10_000 and meta["train_size"] == 60_000
    if max_params:
        assert meta["params"] <= max_params
    if meta["weights"]["dtype"] != "float32":
        assert meta["weights"]["test_accuracy"] >= accuracy


@pytest.mark.parametrize("name", sorted(BARS))
def test_artefacts_are_complete(name):
    folder = MODELS / name
    model = json.loads((folder / "model.json").read_text())
    for group in model["weightsManifest"]:
        for path in group["paths"]:
            assert (folder / path).is_file()
    parity = json.loads((folder / "parity.json").read_text())
    assert len(parity["inputs"]) == len(parity["probabilities"]) == 32
