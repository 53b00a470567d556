"""The `python -m train` command line."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.support.site import ROOT


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "train", *args], cwd=ROOT, capture_output=True, text=True)


def test_help_exits_zero():
    proc = run("--help")
    assert proc.returncode == 0
    for word in ("mnist-mlp", "mnist-cnn", "fashion-cnn", "all", "--epochs", "--seed", "--limit", "--out"):
        assert word in proc.stdout


def test_unknown_model_fails_clearly():
    proc = run("resnet-9000")
    assert proc.returncode != 0
    assert "invalid choice: 'resnet-9000'" in proc.stderr


def test_unknown_flag_fails_clearly():
    proc = run("mnist-mlp", "--learning-rate", "3")
    assert proc.returncode != 0
    assert "unrecognized arguments: --learning-rate" in proc.stderr


def test_bad_epochs_fails_clearly():
    proc = run("mnist-mlp", "--epochs", "0")
    assert proc.returncode != 0 and "--epochs must be at least 1" in proc.stderr


def test_tiny_run_end_to_end(tmp_path):
    proc = run("mnist-mlp", "--epochs", "1", "--limit", "256", "--seed", "7", "--out", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert "model" in proc.stdout and "test acc" in proc.stdout and "mnist-mlp" in proc.stdout
    meta = json.loads((tmp_path / "mnist-mlp" / "metadata.json").read_text())
    # --limit caps the training images; a tenth of them is held out for validation.
    assert meta["config"]["seed"] == 7 and meta["train_size"] + meta["validation_size"] == 256
    # TensorFlow's native start-up notices (cuDNN, computation placer, absl) look like errors: none reach the reader.
    for noise in ("cuDNN", "cuBLAS", "computation placer", "absl::InitializeLog", "HDF5"):
        assert noise not in proc.stderr, proc.stderr


def test_the_quiet_import_keeps_real_errors():
    """Lines that are not TensorFlow's known notices still reach stderr."""
    code = (
        "import os; from train.quiet import native_noise_filtered\n"
        "with native_noise_filtered():\n"
        "    os.write(2, b'E0000 cuda_dnn.cc:8579] Unable to register cuDNN factory\\nreal trouble\\n')\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.strip() == "real trouble"
