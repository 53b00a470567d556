"""MkDocs hook: publish the browser code and expand widget shortcodes.

* ``site/`` (the widgets' ES modules and CSS) is published under ``assets/``;
* the TF.js files from ``node_modules`` (installed by ``npm ci``) are published
  under ``assets/vendor/tfjs/``, so the site never asks a CDN for anything;
* a Markdown line ``{{ widget digit-classifier }}`` becomes the widget's mount
  point, listing the committed models of the widget's dataset.

This hook must not import TensorFlow: serving the docs needs only MkDocs.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parents[2]
SITE_SRC = ROOT / "site"
MODELS = ROOT / "docs" / "models"
TFJS = ROOT / "node_modules" / "@tensorflow"
VENDOR_FILES = {
    "tfjs/dist/tf.min.js": "tf.min.js",
    "tfjs-backend-wasm/dist/tf-backend-wasm.min.js": "tf-backend-wasm.min.js",
    "tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm": "tfjs-backend-wasm.wasm",
    "tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm": "tfjs-backend-wasm-simd.wasm",
    "tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm": "tfjs-backend-wasm-threaded-simd.wasm",
}
# Which dataset each widget classifies (its models are found by their metadata).
WIDGET_DATASETS = {"digit-classifier": "mnist", "fashion-classifier": "fashion-mnist"}
SHORTCODE = re.compile(r"^\{\{\s*widget\s+([a-z-]+)((?:\s+[a-z-]+=[^\s}]+)*)\s*\}\}\s*$", re.MULTILINE)


def model_metadata() -> dict[str, dict]:
    """Metadata of every committed model, by folder name."""
    return {
        p.parent.name: json.loads(p.read_text())
        for p in sorted(MODELS.glob("*/metadata.json"))
        if not p.parent.name.startswith(".")
    }


def on_files(files: Files, config) -> Files:
    """Add the widgets' sources and the vendored TF.js files to the build."""
    for path in sorted(SITE_SRC.rglob("*")):
        if path.is_file() and path.suffix in {".js", ".css"}:
            folder = "js" if path.suffix == ".js" else "css"
            dest = f"assets/{folder}/{path.relative_to(SITE_SRC).as_posix()}"
            files.append(File.generated(config, dest, abs_src_path=str(path)))
    for src, dest in VENDOR_FILES.items():
        path = TFJS / src
        if not path.is_file():
            raise PluginError(f"{path} is missing: run `npm ci` first (see README)")
        files.append(File.generated(config, f"assets/vendor/tfjs/{dest}", abs_src_path=str(path)))
    return files


def widget_html(kind: str, options: str) -> str:
    """The mount point for one widget; the browser builds everything inside it."""
    if kind not in WIDGET_DATASETS:
        raise PluginError(f"unknown widget {kind!r}; known: {', '.join(WIDGET_DATASETS)}")
    attrs = dict(opt.split("=", 1) for opt in options.split())
    if "models" not in attrs:
        metas = model_metadata()
        names = [name for name, meta in metas.items() if meta["dataset"] == WIDGET_DATASETS[kind]]
        # The most accurate model is the default (first) choice.
        attrs["models"] = ",".join(sorted(names, key=lambda n: -metas[n]["test_accuracy"]))
    extra = "".join(f' data-{k}="{v}"' for k, v in attrs.items())
    return f'<div class="dl-widget" data-widget="{kind}" data-state="loading"{extra}></div>'


def on_page_markdown(markdown: str, page, config, files) -> str:
    """Expand ``{{ widget NAME [key=value ...] }}`` lines."""
    return SHORTCODE.sub(lambda m: widget_html(m.group(1), m.group(2)), markdown)
