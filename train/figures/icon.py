"""The site's icon: a 7 drawn with the widget's own pen (``train.drawing``) on the theme's orange."""

from __future__ import annotations

import numpy as np

from train.figures.png import png_bytes
from train.figures.style import ORANGE

ICON_SIZES = (32, 192, 512)  # the browser tab, then the web app manifest's two
# Strokes of (x, y) points in [0, 1], as the drawing widget records them.
SEVEN = [[(0.3, 0.3), (0.7, 0.3), (0.45, 0.74)], [(0.39, 0.52), (0.62, 0.52)]]


def icon(size: int) -> np.ndarray:
    """(size, size, 4) uint8: a white 7, drawn with the widget's pen, on orange; the drawing stays inside
    the central 60 % (the safe zone of a maskable icon)."""
    from train.drawing import render

    ink = render(SEVEN, side=size, stroke_width=0.08).astype(np.float32)[..., None] / 255
    rgb = (1 - ink) * np.array(ORANGE, np.float32) + ink * 255
    return np.concatenate([rgb, np.full((size, size, 1), 255, np.float32)], axis=2).round().astype(np.uint8)


def icon_png(size: int) -> bytes:
    """PNG of ``icon(size)``."""
    return png_bytes(icon(size))
