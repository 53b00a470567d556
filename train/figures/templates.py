"""What the first layer learned: each unit of the Quickstart MLP's first Dense layer as a 28x28 template."""

from __future__ import annotations

import numpy as np

from train.figures.committed import model_metadata, read_weights
from train.figures.png import png_bytes
from train.figures.raster import canvas, diverging
from train.figures.style import NEUTRAL
from train.metadata import MODELS_DIR


def template_grid(kernel: np.ndarray, units: int = 64, columns: int = 8, scale: int = 3, gap: int = 4) -> np.ndarray:
    """The first ``units`` columns of a first-layer Dense kernel, each as a 28x28 picture.

    Args:
        kernel: float32 (784, n): the weight from each pixel (row by row) to each of n units.
        units: how many units to show (the first ones: unit order is arbitrary, so they are a fair sample).
        columns: units per row of the grid.
        scale: pixels per weight.
        gap: pixels of neutral grey between templates.

    Returns:
        uint8 RGB (h, w, 3). Each template has its own colour scale, symmetric about 0: red where ink
        raises the unit's weighted sum, blue where it lowers it, near-white for weights close to 0.
    """
    side = 28 * scale
    rows = -(-units // columns)
    grid = canvas(rows * (side + gap) + gap, columns * (side + gap) + gap, NEUTRAL)
    for unit in range(units):
        weights = kernel[:, unit].reshape(28, 28)
        # 17 shades (8 each way and white): indistinguishable from more, and a third of the bytes.
        rgb = diverging(np.round(weights / np.abs(weights).max() * 8) / 8)
        y, x = gap + (unit // columns) * (side + gap), gap + (unit % columns) * (side + gap)
        grid[y : y + side, x : x + side, :3] = np.kron(rgb, np.ones((scale, scale, 1), np.uint8))
    return grid


def mlp_templates(name: str = "mnist-mlp") -> bytes:
    """PNG of ``template_grid`` for a committed MLP's first Dense layer."""
    weights = read_weights(MODELS_DIR / name)
    first_dense = model_metadata(name)["layers"][1]["name"]
    return png_bytes(template_grid(weights[f"{first_dense}/kernel"]))
