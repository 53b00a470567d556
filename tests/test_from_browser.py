"""`python -m train.from_browser`: a TF.js layers model back into Keras, scored on MNIST test.

Its input here is the committed quickstart model's model.json (the converter's layers format,
the one TF.js writes on download too); the browser tests feed it a model the page trained and
downloaded. The oracle is the pipeline's own record: the test accuracy metadata.json gives for
the weights as the browser gets them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.site import MODELS, ROOT

MLP = MODELS / "mnist-mlp"
# Each loader in a process of its own: tf_keras (TF_USE_LEGACY_KERAS=1, the pipeline's Keras) and
# the Keras 3 a current TensorFlow brings (the variable unset), as a reader's own Python has it.
LOAD_JS = """
{imports}
import json, sys
import numpy as np
from train.data import load
model = load_model(sys.argv[1])
x = load("mnist").x_test[:500].astype("float32") / 255.0
probs = np.asarray(model.predict(x.reshape((500, *model.input_shape[1:])), verbose=0))
print(json.dumps(probs.argmax(axis=1).tolist()))
"""
LOADERS = {
    "tf_keras": ("from tf_keras.models import load_model", {"TF_USE_LEGACY_KERAS": "1"}),
    "keras3": ("from keras.models import load_model", {}),
}


def mnist_test_labels(n: int) -> list[int]:
    from train.data import load

    return load("mnist").y_test[:n].tolist()


def from_browser(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "train.from_browser", *args], cwd=ROOT, capture_output=True, text=True, timeout=600
    )


def labels_with(loader: str, model: Path) -> list[int]:
    imports, env = LOADERS[loader]
    clean = {k: v for k, v in os.environ.items() if k != "TF_USE_LEGACY_KERAS"}
    proc = subprocess.run(
        [sys.executable, "-c", LOAD_JS.format(imports=imports), str(model)],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> tuple[subprocess.CompletedProcess, Path]:
    folder = tmp_path_factory.mktemp("downloaded")
    for f in MLP.glob("*"):
        if f.is_file() and (f.name == "model.json" or f.suffix == ".bin"):
            shutil.copy(f, folder / f.name)
    out = folder / "my-mlp.h5"
    return from_browser(str(folder / "model.json"), "--out", str(out)), out


def test_it_scores_the_model_as_the_pipeline_did(converted):
    proc, out = converted
    assert proc.returncode == 0, proc.stderr[-3000:]
    found = re.search(r"^test accuracy: (0\.\d{4}) \(10,000 MNIST test images\)$", proc.stdout, re.MULTILINE)
    assert found, proc.stdout
    recorded = json.loads((MLP / "metadata.json").read_text())["weights"]["test_accuracy"]
    assert float(found.group(1)) == pytest.approx(recorded, abs=1e-4)
    assert out.is_file()


def test_the_written_file_opens_in_both_kerases_with_the_same_answers(converted):
    _, out = converted
    legacy, keras3 = labels_with("tf_keras", out), labels_with("keras3", out)
    assert len(legacy) == 500 and legacy == keras3
    assert sum(label == truth for label, truth in zip(legacy, mnist_test_labels(500), strict=True)) >= 480


def test_a_missing_file_fails_clearly(tmp_path):
    proc = from_browser(str(tmp_path / "nothing.json"))
    assert proc.returncode == 2 and "no such file" in proc.stderr
