"""MkDocs hook: build the two bundles the browser runs, with node, and publish them.

* the lean TF.js bundle of the widget pages, with only the kernels the committed graph models use
  (``site/build/lean-tfjs.mjs``), under ``assets/js/lean/``;
* the engine's worker with the modules it imports (``site/build/engine-worker.mjs``), under
  ``assets/js/workers/``, in place of its source.

Each build is cached under ``node_modules/.cache/`` by the contents of its inputs: a rebuild of the
site (``mkdocs serve`` rebuilds on every edit) runs node only when one of them changed.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

from build_cache import cached_build
from site_layout import LEAN_DIR, NPM, ROOT, SITE_SRC, WORKER_DIR

MODELS = ROOT / "docs" / "models"
LEAN_BUILD = SITE_SRC / "build" / "lean-tfjs.mjs"
LEAN_CACHE = NPM / ".cache" / "draw-learn-tf-lean"
WORKER_BUILD = SITE_SRC / "build" / "engine-worker.mjs"
# The folders of site/ whose modules the worker's bundle may hold.
WORKER_INPUTS = ("core", "engine", "workers")
WORKER_CACHE = NPM / ".cache" / "draw-learn-engine-worker"


def graph_models() -> list[Path]:
    """The committed models' graph folders (the lean bundle runs these).

    Raises:
        PluginError: No model has a graph folder.
    """
    folders = sorted(p.parent for p in MODELS.glob("*/graph/model.json") if not p.parts[-3].startswith("."))
    if not folders:
        raise PluginError(f"no graph model under {MODELS}: run `python -m train.refresh` (or retrain)")
    return folders


def lean_bundle() -> tuple[Path, dict[str, Any]]:
    """Build the lean TF.js bundle for the committed graph models, or reuse the build of the same inputs.

    Returns:
        The folder holding the bundle, and its build.json (files of the first load, sizes).

    Raises:
        PluginError: The build failed.
    """
    models = graph_models()
    inputs = [LEAN_BUILD, ROOT / "package-lock.json", *(m / "model.json" for m in models)]
    key = hashlib.sha256(b"".join(p.read_bytes() for p in inputs)).hexdigest()[:16]

    def build(folder: Path) -> None:
        proc = subprocess.run(
            ["node", str(LEAN_BUILD), "--out", str(folder), *map(str, models)], capture_output=True, text=True, cwd=ROOT
        )
        if proc.returncode:
            raise PluginError(f"the lean TF.js build failed:\n{proc.stderr[-3000:]}")

    out = cached_build(LEAN_CACHE / key, "build.json", build)
    return out, json.loads((out / "build.json").read_text())


def engine_worker_bundle() -> Path:
    """Bundle the engine's worker (``site/build/engine-worker.mjs``), or reuse the build of the same sources.

    Returns:
        The folder holding engine-worker.js, its chunks and their source maps.

    Raises:
        PluginError: The build failed.
    """
    sources = sorted(p for folder in WORKER_INPUTS for p in (SITE_SRC / folder).rglob("*.js"))
    inputs = [WORKER_BUILD, ROOT / "package-lock.json", *sources]
    digest = hashlib.sha256()
    for path in inputs:
        # Names too: a module moved or renamed changes the bundle as much as an edit does.
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())

    def build(folder: Path) -> None:
        proc = subprocess.run(
            ["node", str(WORKER_BUILD), "--out", str(folder)], capture_output=True, text=True, cwd=ROOT
        )
        if proc.returncode:
            raise PluginError(f"the engine worker's build failed:\n{proc.stderr[-3000:]}")

    return cached_build(WORKER_CACHE / digest.hexdigest()[:16], "engine-worker.js", build)


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the engine's worker bundle and the lean TF.js bundle to the build."""
    for path in sorted(engine_worker_bundle().iterdir()):
        files.append(File.generated(config, f"{WORKER_DIR}/{path.name}", abs_src_path=str(path)))
    lean, _ = lean_bundle()
    for path in sorted(lean.iterdir()):
        # build.json is the build's report (kernels, sizes, first-load files): no browser reads it.
        if path.name != "build.json":
            files.append(File.generated(config, f"{LEAN_DIR}/{path.name}", abs_src_path=str(path)))
    return files
