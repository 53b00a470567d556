"""MkDocs hook: publish the browser code and expand widget shortcodes.

* ``site/`` (the widgets' ES modules and CSS) is published under ``assets/``;
* the TF.js files from ``node_modules`` (installed by ``npm ci``) are published
  under ``assets/vendor/tfjs/``, so the site never asks a CDN for anything;
* a Markdown line ``{{ widget digit-classifier }}`` becomes the widget's mount
  point, listing the committed models of the widget's dataset;
* ``{{ mnist-cnn.test_accuracy | pct }}`` is replaced by that number from the
  model's metadata.json (or a tutorial run's docs/runs/<name>.json), so no
  page ever types a result by hand;
* ``{{ json models/mnist-mlp/model.json }}`` shows a generated file as it is;
* ``{{ chart curves runs=a,b metric=loss }}``, ``{{ chart confusion model=a }}``
  and ``{{ chart counts dataset=mnist }}`` embed that data for a Chart.js chart.

This hook must not import TensorFlow: serving the docs needs only MkDocs.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parents[2]
SITE_SRC = ROOT / "site"
MODELS = ROOT / "docs" / "models"
RUNS = ROOT / "docs" / "runs"
TFJS = ROOT / "node_modules" / "@tensorflow"
VENDOR_FILES = {
    "tfjs/dist/tf.min.js": "tf.min.js",
    "tfjs-backend-wasm/dist/tf-backend-wasm.min.js": "tf-backend-wasm.min.js",
    "tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm": "tfjs-backend-wasm.wasm",
    "tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm": "tfjs-backend-wasm-simd.wasm",
    "tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm": "tfjs-backend-wasm-threaded-simd.wasm",
}
NPM = ROOT / "node_modules"
CHART_FILES = {
    "chart.js/dist/chart.umd.min.js": "chart.umd.min.js",
    "chartjs-chart-matrix/dist/chartjs-chart-matrix.min.js": "chartjs-chart-matrix.min.js",
}
# Which dataset each widget classifies (its models are found by their metadata).
WIDGET_DATASETS = {"digit-classifier": "mnist", "fashion-classifier": "fashion-mnist"}
METRIC = re.compile(r"\{\{\s*([a-z0-9-]+)\.([A-Za-z0-9_.-]+)\s*(?:\|\s*([a-z0-9]+)\s*)?\}\}")
FORMATS = {
    "pct": lambda v: f"{v * 100:.2f} %",
    "pct1": lambda v: f"{v * 100:.1f} %",
    "int": lambda v: f"{round(v):,}",
    "float2": lambda v: f"{v:.2f}",
    "float4": lambda v: f"{v:.4f}",
    "sec": lambda v: f"{v:.0f} s",
    "kb": lambda v: f"{v / 1000:,.0f} kB",
    "mb": lambda v: f"{v / 1e6:.2f} MB",
    "raw": str,
}
SHORTCODE = re.compile(r"^\{\{\s*widget\s+([a-z-]+)((?:\s+[a-z-]+=[^\s}]+)*)\s*\}\}\s*$", re.MULTILINE)
JSON_FILE = re.compile(r"^\{\{\s*json\s+([\w./-]+)\s*\}\}\s*$", re.MULTILINE)
CHART = re.compile(r"^\{\{\s*chart\s+([a-z-]+)((?:\s+[a-z-]+=[^\s}]+)*)\s*\}\}\s*$", re.MULTILINE)


def model_metadata() -> dict[str, dict]:
    """Metadata of every committed model, by folder name."""
    return {
        p.parent.name: json.loads(p.read_text())
        for p in sorted(MODELS.glob("*/metadata.json"))
        if not p.parent.name.startswith(".")
    }


def all_results() -> dict[str, dict]:
    """Every model's metadata and every run's results, by name (plus "datasets")."""
    results = model_metadata()
    for path in sorted(RUNS.glob("*.json")):
        results[path.stem] = json.loads(path.read_text())
    return results


def on_files(files: Files, config) -> Files:
    """Add the widgets' sources and the vendored TF.js files to the build."""
    for path in sorted(SITE_SRC.rglob("*")):
        if path.is_file() and path.suffix in {".js", ".css"}:
            folder = "js" if path.suffix == ".js" else "css"
            dest = f"assets/{folder}/{path.relative_to(SITE_SRC).as_posix()}"
            files.append(File.generated(config, dest, abs_src_path=str(path)))
    vendored = [(TFJS / src, f"tfjs/{dest}") for src, dest in VENDOR_FILES.items()]
    vendored += [(NPM / src, f"chartjs/{dest}") for src, dest in CHART_FILES.items()]
    for path, dest in vendored:
        if not path.is_file():
            raise PluginError(f"{path} is missing: run `npm ci` first (see README)")
        files.append(File.generated(config, f"assets/vendor/{dest}", abs_src_path=str(path)))
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


def chart_data(kind: str, attrs: dict[str, str], results: dict[str, dict]) -> dict[str, object]:
    """The numbers one chart draws, taken from the pipeline's files."""
    if kind == "curves":
        metric = attrs.get("metric", "loss")
        series = []
        for name in attrs["runs"].split(","):
            history = lookup(results, name, "history")
            series.append(
                {
                    "name": lookup(results, name, "title"),
                    "train": history[metric],
                    "validation": history[f"val_{metric}"],
                }
            )
        return {"metric": metric, "series": series}
    if kind == "confusion":
        name = attrs["model"]
        return {
            "labels": lookup(results, name, "class_names"),
            "matrix": lookup(results, name, "confusion_matrix"),
            "title": lookup(results, name, "title"),
        }
    if kind == "counts":
        stats = lookup(results, "datasets", attrs["dataset"])
        return {"labels": stats["class_names"], "train": stats["train_counts"], "test": stats["test_counts"]}
    raise PluginError(f"unknown chart {kind!r}; known: curves, confusion, counts")


def chart_html(kind: str, options: str, results: dict[str, dict]) -> str:
    attrs = dict(opt.split("=", 1) for opt in options.split())
    data = html.escape(json.dumps(chart_data(kind, attrs, results)), quote=True)
    label = html.escape(attrs.get("label", f"{kind} chart"), quote=True).replace("_", " ")
    return (
        f'<figure class="dl-chart" data-widget="chart" data-kind="{kind}" data-chart="{data}">'
        f'<canvas role="img" aria-label="{label}"></canvas></figure>'
    )


def json_block(path: str) -> str:
    """A generated JSON file of the site (path relative to docs/), pretty-printed as a code block."""
    source = ROOT / "docs" / path
    if not source.is_file():
        raise PluginError(f"{{{{ json {path} }}}}: no such file under docs/")
    return "```json\n" + json.dumps(json.loads(source.read_text()), indent=2) + "\n```"


def lookup(metadata: dict, model: str, path: str):
    """``history.val_accuracy.-1`` -> metadata["history"]["val_accuracy"][-1]."""
    if model not in metadata:
        raise PluginError(f"no committed model or run {model!r} (known: {', '.join(metadata)})")
    value = metadata[model]
    for key in path.split("."):
        try:
            value = value[int(key)] if isinstance(value, list) else value[key]
        except (KeyError, IndexError, ValueError) as err:
            raise PluginError(f"{model}.{path}: no {key!r} in metadata.json") from err
    return value


def on_page_markdown(markdown: str, page, config, files) -> str:
    """Expand ``{{ widget NAME [key=value ...] }}`` lines and ``{{ model.path | fmt }}`` numbers."""
    markdown = SHORTCODE.sub(lambda m: widget_html(m.group(1), m.group(2)), markdown)
    metadata = all_results()
    markdown = CHART.sub(lambda m: chart_html(m.group(1), m.group(2), metadata), markdown)
    markdown = JSON_FILE.sub(lambda m: json_block(m.group(1)), markdown)

    def number(m: re.Match) -> str:
        value = lookup(metadata, m.group(1), m.group(2))
        fmt = m.group(3) or "raw"
        if fmt not in FORMATS:
            raise PluginError(f"unknown format {fmt!r} in {m.group(0)}; known: {', '.join(FORMATS)}")
        return FORMATS[fmt](value)

    return METRIC.sub(number, markdown)
