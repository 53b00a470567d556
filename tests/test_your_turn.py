"""`train/your_turn.py`, the closing chapter's program: one image, saving, tf.data, a loop of one's own, TensorBoard.

Everything runs on a few hundred MNIST images, in seconds. The oracle for the training loop is
Keras itself: ``Model.fit`` on the same model, from the same weights, on the same batches.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

from tests.support.site import ROOT
from train import config
from train import your_turn as yt

RECORD = ROOT / "docs" / "runs" / "your-turn.json"


@pytest.fixture(scope="module")
def mnist():
    """The first 640 training and 200 test images, uint8, as the quickstart loads them."""
    (x_train, y_train), (x_test, y_test) = yt.load_mnist()
    return x_train[:640], y_train[:640], x_test[:200], y_test[:200]


def events(folder: Path) -> dict[str, list[float]]:
    """Every scalar in the TensorBoard event files under ``folder``, by tag, in the order written."""
    import tensorflow as tf

    found: dict[str, list[float]] = {}
    for path in sorted(folder.glob("events.out.tfevents.*")):
        for record in tf.data.TFRecordDataset(str(path)):
            for value in tf.compat.v1.Event.FromString(record.numpy()).summary.value:
                if value.metadata.plugin_data.plugin_name == "scalars":  # not the model's graph or config
                    found.setdefault(value.tag, []).append(float(tf.make_ndarray(value.tensor)))
    return found


def test_the_settings_are_the_committed_quickstarts():
    cfg = config.get("mnist-mlp")
    assert (yt.SEED, yt.EPOCHS, yt.BATCH_SIZE, yt.VALIDATION_SPLIT) == (
        cfg.seed,
        cfg.epochs,
        cfg.batch_size,
        cfg.validation_split,
    )
    assert cfg.learning_rate == 0.001 and cfg.optimizer == "adam"
    meta = json.loads((ROOT / "docs" / "models" / "mnist-mlp" / "metadata.json").read_text())
    model = yt.classic_model()
    assert model.count_params() == meta["params"]
    assert [type(layer).__name__ for layer in model.layers] == ["Flatten", "Dense", "Dropout", "Dense"]


def test_the_loop_trains_exactly_like_fit(mnist, tmp_path):
    """Same start, same batches, dropout off: a few steps of the loop and of fit end at the same weights.

    300 images make 9 batches of 32 and one of 12: the epoch's loss is weighted by batch size in both.
    """
    x, y = mnist[0][:300], mnist[1][:300]
    result = yt.compare_with_fit(x, y, str(tmp_path), epochs=2)
    assert result["steps"] == 2 * 10
    assert result["max_weight_difference"] <= 1e-5
    np.testing.assert_allclose(result["loop_loss"], result["fit_loss"], rtol=1e-5)
    assert result["loop_loss"][1] < result["loop_loss"][0]
    # Both wrote TensorBoard's curves, under the same tags, so TensorBoard draws them on the same charts.
    fit_curves, loop_curves = events(tmp_path / "fit" / "train"), events(tmp_path / "loop" / "train")
    assert {"epoch_loss", "epoch_accuracy"} <= fit_curves.keys() & loop_curves.keys()
    np.testing.assert_allclose(loop_curves["epoch_loss"], fit_curves["epoch_loss"], rtol=1e-5)


def test_one_image_needs_a_batch_axis(mnist):
    import tensorflow as tf

    model = yt.classic_model()
    image = mnist[2][0] / 255.0
    assert image.shape == (28, 28)
    probabilities, digit = yt.predict_one(model, image)
    assert probabilities.shape == (1, 10) and probabilities.dtype == np.float32
    assert np.isclose(probabilities.sum(), 1.0, atol=1e-5)
    assert digit == int(probabilities.argmax()) and 0 <= digit <= 9
    assert np.array_equal(image[None], np.expand_dims(image, axis=0))
    # Calling the model directly gives the same numbers, as a tensor.
    np.testing.assert_allclose(model(image[None], training=False).numpy(), probabilities, atol=1e-6)
    # Without the batch axis, Keras takes the 28 rows for 28 images of 28 pixels, and fails.
    with pytest.raises((ValueError, tf.errors.InvalidArgumentError)):
        model.predict(image, verbose=0)


def test_save_and_load_give_the_same_predictions(mnist, tmp_path):
    model = yt.classic_model()
    yt.train_by_hand(model, yt.make_dataset(mnist[0][:128], mnist[1][:128]), epochs=1, verbose=False)
    restored, path = yt.save_and_load(model, tmp_path)
    assert path.name == "mnist.keras"
    assert set(zipfile.ZipFile(path).namelist()) == {"config.json", "metadata.json", "model.weights.h5"}
    x = mnist[2] / 255.0
    assert np.array_equal(restored.predict(x, verbose=0), model.predict(x, verbose=0))
    for saved, kept in zip(restored.get_weights(), model.get_weights(), strict=True):
        assert np.array_equal(saved, kept)
    # Trained by a loop of one's own, the model was never compiled: the file holds no optimizer.
    assert restored.optimizer is None
    weights_bytes = 4 * model.count_params()
    assert weights_bytes < path.stat().st_size < 1.05 * weights_bytes
    # Compiled and trained by fit, it also holds Adam's state (two numbers per weight) and its step count.
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(yt.make_dataset(mnist[0][:64], mnist[1][:64]), epochs=1, verbose=0)
    restored, path = yt.save_and_load(model, tmp_path)
    assert int(restored.optimizer.iterations) == int(model.optimizer.iterations) == 2
    assert 3 * weights_bytes < path.stat().st_size < 3.05 * weights_bytes


@pytest.mark.filterwarnings("ignore:You are saving your model as an HDF5 file")
def test_which_files_keras_3_opens(mnist, tmp_path):
    """The page's claim: a tf_keras `.keras` file does not open in Keras 3; the same model as `.h5` does."""
    model = yt.classic_model()
    model.save(tmp_path / "mnist.keras")
    model.save(tmp_path / "mnist.h5")
    model.save(tmp_path / "mnist")  # no extension: tf_keras writes a TensorFlow SavedModel folder
    assert (tmp_path / "mnist" / "saved_model.pb").is_file() and (tmp_path / "mnist" / "variables").is_dir()
    x = mnist[2][:20] / 255.0
    np.save(tmp_path / "expected.npy", model.predict(x, verbose=0))
    np.save(tmp_path / "x.npy", x)
    script = """
import sys, numpy as np, keras
folder = sys.argv[1]
x, expected = np.load(folder + "/x.npy"), np.load(folder + "/expected.npy")
h5 = keras.models.load_model(folder + "/mnist.h5")
print("h5", keras.__version__[0], np.allclose(h5.predict(x, verbose=0), expected, atol=1e-6))
try:
    keras.models.load_model(folder + "/mnist.keras")
    print("keras opened")
except Exception as err:
    print("keras refused", type(err).__name__)
tiny = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
try:
    tiny.save(folder + "/plain")
    print("plain saved")
except ValueError as err:
    print("plain refused", "export" in str(err))
"""
    env = {k: v for k, v in os.environ.items() if k != "TF_USE_LEGACY_KERAS"} | {"TF_CPP_MIN_LOG_LEVEL": "3"}
    proc = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, env=env, timeout=300
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = proc.stdout.splitlines()
    assert "h5 3 True" in lines, proc.stdout
    assert any(line.startswith("keras refused") for line in lines), proc.stdout
    assert "plain refused True" in lines, proc.stdout  # Keras 3 saves only .keras and .h5; SavedModel: export()


def test_the_pipeline_scales_batches_and_shuffles(mnist):
    import tensorflow as tf

    x, y = mnist[0][:100], mnist[1][:100]
    batches = list(yt.make_dataset(x, y).as_numpy_iterator())
    assert [len(labels) for _, labels in batches] == [32, 32, 32, 4]
    images, labels = batches[0]
    assert images.shape == (32, 28, 28) and images.dtype == np.float32
    assert labels.shape == (32,) and labels.dtype == np.uint8
    assert 0.0 <= images.min() and images.max() <= 1.0 and images.max() == 1.0
    np.testing.assert_array_equal(np.concatenate([b[0] for b in batches]), x.astype(np.float32) / 255.0)
    np.testing.assert_array_equal(np.concatenate([b[1] for b in batches]), y)

    shuffled = yt.make_dataset(x, y, shuffle=True, seed=42)
    spec = shuffled.element_spec
    assert spec[0].shape.as_list() == [None, 28, 28] and spec[0].dtype == tf.float32
    first, second = ([int(v) for v in np.concatenate([b[1] for b in shuffled])] for _ in range(2))
    again = [int(v) for v in np.concatenate([b[1] for b in yt.make_dataset(x, y, shuffle=True, seed=42)])]
    assert sorted(first) == sorted(second) == sorted(y.tolist())  # every image once per epoch
    assert first != y.tolist() and first != second  # a new order every epoch
    assert first == again  # the same seed, the same orders

    # fit takes a dataset in place of arrays, but cannot split one: validation_data instead.
    model = yt.classic_model()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    with pytest.raises(ValueError, match="validation_split"):
        model.fit(shuffled, epochs=1, validation_split=0.1, verbose=0)


def test_tensorboard_gets_event_files_from_fit_and_from_the_loop(mnist, tmp_path):
    x, y = mnist[0][:192], mnist[1][:192]
    train, val = yt.make_dataset(x[:160], y[:160]), yt.make_dataset(x[160:], y[160:])
    fit_history = yt.fit_with_tensorboard(yt.classic_model(), train, val, 2, str(tmp_path / "fit"))
    loop_history, seconds = yt.train_by_hand(yt.classic_model(), train, val, 2, str(tmp_path / "loop"), verbose=False)
    assert set(fit_history) == set(loop_history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert len(seconds) == 2 and all(s > 0 for s in seconds)
    for run in ("fit", "loop"):
        for part in ("train", "validation"):
            assert list((tmp_path / run / part).glob("events.out.tfevents.*")), (run, part)
    curves = events(tmp_path / "loop" / "validation")
    np.testing.assert_allclose(curves["epoch_loss"], loop_history["val_loss"], rtol=1e-6)
    np.testing.assert_allclose(curves["epoch_accuracy"], loop_history["val_accuracy"], rtol=1e-6)


def test_evaluating_by_hand_is_what_evaluate_returns(mnist):
    model = yt.classic_model()
    model.compile(loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    data = yt.make_dataset(mnist[2], mnist[3])  # 200 images: a short last batch
    loss, accuracy = yt.evaluate_by_hand(model, data)
    expected_loss, expected_accuracy = model.evaluate(data, verbose=0)
    assert loss == pytest.approx(expected_loss, rel=1e-5) and accuracy == pytest.approx(expected_accuracy)


def test_the_command_writes_its_record_only_when_asked(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(yt, "RECORD", tmp_path / "default.json")
    monkeypatch.setattr(yt, "COMPARE_IMAGES", 64)
    assert yt.main(["--limit", "300", "--epochs", "1"]) == 0
    assert not (tmp_path / "default.json").exists()  # a quick try never overwrites the committed record
    out = tmp_path / "run.json"
    assert yt.main(["--limit", "300", "--epochs", "1", "--out", str(out)]) == 0
    record = json.loads(out.read_text())
    assert (record["train_size"], record["validation_size"], record["test_size"]) == (270, 30, 300)
    assert len(record["history"]["val_loss"]) == len(record["epoch_seconds"]) == 1
    assert record["one_image"]["shape"] == [1, 10] and record["saved"]["same_predictions"]
    assert "test accuracy" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        yt.main(["--epochs", "0"])


def test_the_committed_record_is_a_full_run():
    record = json.loads(RECORD.read_text())
    meta = json.loads((ROOT / "docs" / "models" / "mnist-mlp" / "metadata.json").read_text())
    assert record["command"] == "python -m train.your_turn --epochs 5"
    for key in ("train_size", "validation_size", "test_size", "steps_per_epoch"):
        assert record[key] == meta[key], key
    assert (record["epochs"], record["batch_size"], record["learning_rate"], record["seed"]) == (5, 32, 0.001, 42)
    assert all(len(v) == 5 for v in record["history"].values()) and len(record["epoch_seconds"]) == 5
    assert record["test_accuracy"] >= 0.97  # the quickstart's bar (README, Models)
    assert record["compared_with"]["test_accuracy_points"] == pytest.approx(
        100 * (record["test_accuracy"] - meta["test_accuracy"])
    )
    assert record["one_image"]["predicted"] == record["one_image"]["label"]
    assert record["saved"]["same_predictions"] and record["saved"]["bytes"] > 4 * meta["params"]
    assert record["loop_vs_fit"]["max_weight_difference"] <= 1e-5
