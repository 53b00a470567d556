"""Dataset loading: real files, verified digests, the rebuilt Fashion-MNIST split."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from train import data, fetch


@pytest.fixture(scope="module")
def mnist():
    return data.load("mnist")


def test_mnist_shapes_dtypes_and_label_counts(mnist):
    assert mnist.x_train.shape == (60000, 28, 28) and mnist.x_train.dtype == np.uint8
    assert mnist.y_train.shape == (60000,) and mnist.y_train.dtype == np.uint8
    assert mnist.x_test.shape == (10000, 28, 28) and mnist.y_test.shape == (10000,)
    # The published per-digit counts of the original MNIST split.
    assert np.bincount(mnist.y_train).tolist() == [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
    assert np.bincount(mnist.y_test).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    assert mnist.x_train.max() == 255 and mnist.x_train.min() == 0


def test_fashion_split_is_balanced_and_disjoint():
    fashion = data.load("fashion-mnist")
    assert fashion.x_train.shape == (60000, 28, 28) and fashion.x_test.shape == (10000, 28, 28)
    assert fashion.x_train.dtype == np.uint8
    assert np.bincount(fashion.y_train).tolist() == [6000] * 10
    assert np.bincount(fashion.y_test).tolist() == [1000] * 10
    assert data.cross_duplicates(fashion.x_train, fashion.x_test) == 0
    assert len(fashion.class_names) == 10


def test_split_is_deterministic_and_keeps_duplicates_out_of_test(monkeypatch):
    monkeypatch.setattr(data, "FASHION_TRAIN_PER_CLASS", 6)
    monkeypatch.setattr(data, "FASHION_TEST_PER_CLASS", 2)
    rng = np.random.default_rng(0)
    per_class = [rng.integers(0, 256, (9, 784), dtype=np.uint8) for _ in range(10)]
    per_class[3][4] = per_class[3][5]  # a duplicate inside a class
    per_class[7][0] = per_class[2][1]  # and one across classes
    first = data.split_fashion(per_class)
    second = data.split_fashion(per_class)
    for a, b in zip(first, second, strict=True):
        assert np.array_equal(a, b)
    x_train, y_train, x_test, y_test = first
    assert np.bincount(y_test).tolist() == [2] * 10 and np.bincount(y_train).tolist() == [6] * 10
    assert data.cross_duplicates(x_train, x_test) == 0


def copy_mnist(tmp_path):
    shutil.copytree(data.data_dir() / "mnist", tmp_path / "mnist")
    return tmp_path


def test_corrupt_file_names_file_and_expected_digest(tmp_path):
    root = copy_mnist(tmp_path)
    target = root / "mnist" / "t10k-labels-idx1-ubyte"
    raw = bytearray(target.read_bytes())
    raw[100] ^= 0xFF
    target.write_bytes(bytes(raw))
    with pytest.raises(data.DataFileError) as err:
        data.load("mnist", root)
    message = str(err.value)
    assert "t10k-labels-idx1-ubyte" in message
    assert data.MNIST_FILES["t10k-labels-idx1-ubyte"] in message


def test_missing_file_names_file_and_expected_digest(tmp_path):
    root = copy_mnist(tmp_path)
    (root / "mnist" / "train-images-idx3-ubyte").unlink()
    with pytest.raises(data.DataFileError, match=data.MNIST_FILES["train-images-idx3-ubyte"]):
        data.load("mnist", root)


def test_install_verified_writes_nothing_on_a_bad_digest(tmp_path):
    dest = tmp_path / "x" / "file"
    with pytest.raises(RuntimeError, match="expected sha256"):
        fetch.install_verified(b"not the data", "0" * 64, dest)
    assert not dest.exists()
    assert not list(tmp_path.rglob("*.partial"))


def test_parse_idx_rejects_truncated_files():
    header = bytes([0, 0, 8, 1]) + (5).to_bytes(4, "big")
    assert data.parse_idx(header + bytes(5)).tolist() == [0] * 5
    with pytest.raises(ValueError, match="size mismatch"):
        data.parse_idx(header + bytes(4))
    with pytest.raises(ValueError):
        data.parse_idx(b"PK\x03\x04")
