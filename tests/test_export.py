"""Export: a tiny model, converted with tensorflowjs, reloaded, compared with Keras."""

from __future__ import annotations

import json

import numpy as np
import pytest

from train import config, data, export
from train.training import prepare, train_model

METADATA_FIELDS = {
    "name",
    "title",
    "dataset",
    "class_names",
    "input_shape",
    "normalization",
    "preprocessing",
    "params",
    "layers",
    "test_accuracy",
    "test_loss",
    "history",
    "epoch_seconds",
    "training_seconds",
    "train_size",
    "test_size",
    "steps_per_epoch",
    "confusion_matrix",
    "config",
    "versions",
    "data",
    "weights",
}


@pytest.fixture(scope="module")
def mnist():
    return data.load("mnist")


@pytest.fixture(scope="module")
def tiny(mnist):
    """mnist-cnn trained 1 epoch on 256 images (seconds, not minutes), exported as float32."""
    cfg = config.get("mnist-cnn", epochs=1, quantize="")
    return cfg, train_model(cfg, mnist, limit=256, verbose=0)


@pytest.fixture(scope="module")
def exported(tiny, mnist, tmp_path_factory):
    cfg, result = tiny
    return export.export_model(cfg, mnist, result, tmp_path_factory.mktemp("models"))


def test_tfjs_artefacts_reload_and_match_keras(tiny, mnist, exported):
    cfg, result = tiny
    reloaded = export.load_tfjs_model(exported)
    x = prepare(cfg, mnist.x_test[:64])
    np.testing.assert_allclose(reloaded.predict(x, verbose=0), result.model.predict(x, verbose=0), atol=1e-5)
    manifest = json.loads((exported / "model.json").read_text())["weightsManifest"]
    for group in manifest:
        for path in group["paths"]:
            assert (exported / path).is_file()


def test_metadata_has_every_field(tiny, exported, mnist):
    cfg, result = tiny
    meta = json.loads((exported / "metadata.json").read_text())
    assert METADATA_FIELDS <= set(meta)
    assert meta["class_names"] == list(mnist.class_names)
    assert meta["input_shape"] == [28, 28, 1]
    assert meta["params"] == result.model.count_params()
    assert len(meta["history"]["val_accuracy"]) == cfg.epochs
    assert np.array(meta["confusion_matrix"]).sum() == meta["test_size"] == 256
    assert set(meta["versions"]) >= {"tensorflow", "tf_keras", "tensorflowjs"}
    assert meta["data"]["sha256"] == data.MNIST_FILES
    assert meta["preprocessing"]["fit_box"] == 20 and meta["preprocessing"]["image_size"] == 28
    assert meta["weights"]["dtype"] == "float32"


def test_parity_file_matches_the_model(tiny, exported, mnist):
    cfg, result = tiny
    parity = json.loads((exported / "parity.json").read_text())
    assert len(parity["inputs"]) == 32 and len(parity["inputs"][0]) == 784
    raw = np.array(parity["inputs"], np.uint8).reshape(-1, 28, 28)
    assert np.array_equal(raw, mnist.x_test[parity["indices"]])
    expected = result.model.predict(prepare(cfg, raw), verbose=0)
    np.testing.assert_allclose(np.array(parity["probabilities"]), expected, atol=1e-6)


def test_export_is_atomic(tiny, mnist, exported, monkeypatch):
    cfg, result = tiny
    before = {p.name: p.read_bytes() for p in exported.iterdir()}

    def boom(*args, **kwargs):
        raise KeyboardInterrupt("interrupted mid-export")

    monkeypatch.setattr(export, "build_parity", boom)
    with pytest.raises(KeyboardInterrupt):
        export.export_model(cfg, mnist, result, exported.parent)
    assert {p.name: p.read_bytes() for p in exported.iterdir()} == before
    assert [p.name for p in exported.parent.iterdir()] == [exported.name]


@pytest.mark.parametrize("dtype", ["uint8", "float16"])
def test_quantized_export_records_its_accuracy(tiny, mnist, tmp_path, dtype):
    cfg, result = tiny
    cfg = config.get("mnist-cnn", epochs=1, quantize=dtype)
    folder = export.export_model(cfg, mnist, result, tmp_path)
    meta = json.loads((folder / "metadata.json").read_text())
    assert meta["weights"]["dtype"] == dtype
    assert meta["weights"]["accuracy_change"] == pytest.approx(meta["weights"]["test_accuracy"] - result.test_accuracy)
    float_bytes = 4 * result.model.count_params()
    assert meta["weights"]["bytes"] <= float_bytes * (0.5 if dtype == "float16" else 0.3)
    # parity.json holds Keras' output for the quantized weights the browser loads.
    parity = json.loads((folder / "parity.json").read_text())
    shipped = export.load_tfjs_model(folder)
    raw = np.array(parity["inputs"], np.uint8).reshape(-1, 28, 28)
    np.testing.assert_allclose(shipped.predict(prepare(cfg, raw), verbose=0), parity["probabilities"], atol=1e-6)


def test_same_seed_same_metrics(mnist):
    cfg = config.get("mnist-mlp", epochs=1)
    a = train_model(cfg, mnist, limit=256, verbose=0)
    b = train_model(cfg, mnist, limit=256, verbose=0)
    assert a.history == b.history
    assert (a.test_loss, a.test_accuracy) == (b.test_loss, b.test_accuracy)
