"""Every generated file and the function that makes its bytes, and the command that writes them."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import partial

from train.figures.architecture import architecture_svg
from train.figures.dataflow import dataflow_svg
from train.figures.datasets import DATASETS, dataset_stats, samples_png
from train.figures.icon import ICON_SIZES, icon_png
from train.figures.mistakes import mistakes_html, mistakes_png
from train.figures.templates import mlp_templates
from train.figures.verdict_curve import verdict_curve_svg
from train.files import write_atomic
from train.metadata import DOCS

SHIPPED = ("mnist-mlp", "mnist-cnn", "fashion-cnn")
DIGIT_MODELS = ("mnist-mlp", "mnist-cnn")
# Every generated file (path relative to docs/) and the function that makes its bytes (str is written
# as UTF-8). The order is the order the command writes them in.
OUTPUTS: dict[str, Callable[[], bytes | str]] = {
    **{f"assets/generated/{name}-samples.png": partial(samples_png, name) for name in DATASETS},
    "runs/datasets.json": dataset_stats,
    **{f"assets/icons/icon-{size}.png": partial(icon_png, size) for size in ICON_SIZES},
    "assets/generated/mnist-mlp-templates.png": mlp_templates,
    **{f"assets/generated/{name}-architecture.svg": partial(architecture_svg, name) for name in SHIPPED},
    **{f"assets/generated/{name}-mistakes.png": partial(mistakes_png, name) for name in DIGIT_MODELS},
    **{f"assets/generated/{name}-mistakes.html": partial(mistakes_html, name) for name in DIGIT_MODELS},
    "assets/generated/mnist-mlp-graph.svg": dataflow_svg,
    "assets/generated/mnist-cnn-verdict-curve.svg": verdict_curve_svg,
}


def main(argv: list[str] | None = None) -> int:
    """Write every output of ``OUTPUTS`` (or those whose path contains one of ``argv``).

    Returns:
        The exit status: 1 if words were given and no path contains any of them, else 0.
    """
    wanted = sys.argv[1:] if argv is None else argv
    written = 0
    for path, make in OUTPUTS.items():
        if wanted and not any(word in path for word in wanted):
            continue
        write_atomic(DOCS / path, make())
        print(f"wrote docs/{path}")
        written += 1
    if wanted and not written:
        print(f"no output matches {wanted}; outputs: {', '.join(OUTPUTS)}", file=sys.stderr)
        return 1
    return 0
