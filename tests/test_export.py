"""Export: a tiny model, converted with tensorflowjs, reloaded, compared with Keras."""

from __future__ import annotations

import json

import numpy as np
import pytest

from train import config, data, export, metadata, tfjs
from train.training import prepare, train_model


@pytest.fixture(scope="module")
def mnist():
    return data.load("mnist")


@pytest.fixture(scope="module")
def tiny(mnist):
    """mnist-cnn trained 1 epoch on 256 images (seconds, not minutes), exported as float32."""
    cfg = config.get("mnist-cnn", epochs=1, quantize="float32")
    return cfg, train_model(cfg, mnist, limit=256, verbose=0)


@pytest.fixture(scope="module")
def exported(tiny, mnist, tmp_path_factory):
    cfg, result = tiny
    return export.export_model(cfg, mnist, result, tmp_path_factory.mktemp("models"))


def test_tfjs_artefacts_reload_and_match_keras(tiny, mnist, exported):
    cfg, result = tiny
    reloaded = tfjs.load(exported)
    x = prepare(cfg, mnist.x_test[:64])
    np.testing.assert_allclose(reloaded.predict(x, verbose=0), result.model.predict(x, verbose=0), atol=1e-5)
    manifest = json.loads((exported / "model.json").read_text())["weightsManifest"]
    for group in manifest:
        for path in group["paths"]:
            assert (exported / path).is_file()


def test_metadata_follows_the_schema_and_the_config(tiny, exported, mnist):
    cfg, result = tiny
    meta = metadata.validate(json.loads((exported / "metadata.json").read_text()))
    assert meta["class_names"] == list(mnist.class_names) == list(cfg.class_names)
    assert meta["input"] == {"image_size": 28, "shape": [28, 28, 1], "divide_by": 255.0}
    assert meta["viewer"]["layers"] == [
        layer.name for layer in result.model.layers if "conv" in layer.name or "pool" in layer.name
    ]
    assert meta["assets"] == {
        "model": "model.json",
        "graph": "graph/model.json",
        "parity": "parity.json",
        "activations": "activations.json",
        "gallery": "gallery.json",
    }
    for asset in meta["assets"].values():
        assert (exported / asset).is_file(), asset
    assert meta["params"] == result.model.count_params()
    assert len(meta["history"]["val_accuracy"]) == cfg.epochs
    assert np.array(meta["confusion_matrix"]).sum() == meta["test_size"] == 256
    assert set(meta["versions"]) >= {"tensorflow", "tf_keras", "tensorflowjs"}
    assert meta["data"]["sha256"] == data.MNIST_FILES
    assert meta["preprocessing"]["drawing"]["fit_box"] == 20 and "photo" not in meta["preprocessing"]
    assert meta["weights"]["dtype"] == "float32"
    assert meta["weights"]["test_accuracy"] == pytest.approx(result.test_accuracy, abs=1e-6)


def test_parity_file_matches_the_exported_weights(tiny, exported, mnist):
    cfg, _ = tiny
    parity = metadata.validate(json.loads((exported / "parity.json").read_text()), "parity")
    assert len(parity["inputs"]) == 32 and len(parity["inputs"][0]) == 784
    raw = np.array(parity["inputs"], np.uint8).reshape(-1, 28, 28)
    assert np.array_equal(raw, mnist.x_test[parity["indices"]])
    # The oracle is Keras running the files the browser loads, reloaded from disk.
    expected = tfjs.load(exported).predict(prepare(cfg, raw), verbose=0)
    np.testing.assert_allclose(np.array(parity["probabilities"]), expected, atol=1e-6)


def test_export_is_atomic(tiny, mnist, exported, monkeypatch):
    cfg, result = tiny

    def files(folder):
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}

    before = files(exported)

    def boom(*args, **kwargs):
        raise KeyboardInterrupt("interrupted mid-export")

    monkeypatch.setattr(export, "build_parity", boom)
    with pytest.raises(KeyboardInterrupt):
        export.export_model(cfg, mnist, result, exported.parent)
    assert files(exported) == before
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
    shipped = tfjs.load(folder)
    raw = np.array(parity["inputs"], np.uint8).reshape(-1, 28, 28)
    np.testing.assert_allclose(shipped.predict(prepare(cfg, raw), verbose=0), parity["probabilities"], atol=1e-6)


def test_same_seed_same_metrics(mnist):
    cfg = config.get("mnist-mlp", epochs=1)
    a = train_model(cfg, mnist, limit=256, verbose=0)
    b = train_model(cfg, mnist, limit=256, verbose=0)
    assert a.history == b.history
    assert (a.test_loss, a.test_accuracy) == (b.test_loss, b.test_accuracy)


@pytest.mark.parametrize(("name", "near_ln_10"), [("mistake-high-lr", True), ("mistake-unscaled", False)])
def test_a_run_records_its_loss_before_training_and_dead_units_on_validation(mnist, tmp_path, name, near_ln_10):
    """The untrained loss is the run's own starting point: near ln 10 for the healthy set-up
    (only its learning rate differs), far above it when the inputs are not scaled."""
    cfg = config.get(name, epochs=1)
    result = train_model(cfg, mnist, limit=600, verbose=0)
    record = json.loads(export.export_run(cfg, mnist, result, tmp_path).read_text())
    assert result.split.x_val.shape[0] == record["validation_size"] == 60
    loss = record["untrained_val_loss"]
    assert abs(loss - np.log(10)) < 0.3 if near_ln_10 else loss > 10 * np.log(10)
    untrained = export.keras.models.clone_model(result.model)
    untrained.set_weights(result.initial_weights)
    active = untrained.layers[1](untrained.layers[0](prepare(cfg, result.split.x_val))).numpy()
    assert record["dead_units"] == export.dead_units(cfg, result.model, result.split.x_val)
    assert 0 <= record["dead_units"] <= 1 and (active.max(axis=0) > 0).mean() > 0.5  # alive at the start
