"""Small raster tools: a diverging colour map, a blank canvas and a 3x5 pixel font for digit labels."""

from __future__ import annotations

import numpy as np

from train.figures.style import DIVERGING, RGB

# Digits, "?" (the "not a digit" output) and an arrow: all a label on a raster figure needs.
GLYPHS = {
    "0": ("111", "101", "101", "101", "111"),
    "1": ("010", "110", "010", "010", "111"),
    "2": ("111", "001", "111", "100", "111"),
    "3": ("111", "001", "011", "001", "111"),
    "4": ("101", "101", "111", "001", "001"),
    "5": ("111", "100", "111", "001", "111"),
    "6": ("111", "100", "111", "101", "111"),
    "7": ("111", "001", "010", "010", "010"),
    "8": ("111", "101", "111", "101", "111"),
    "9": ("111", "101", "111", "001", "111"),
    "?": ("111", "001", "011", "000", "010"),
    ">": ("00100", "00010", "11111", "00010", "00100"),  # an arrow
}


def diverging(values: np.ndarray) -> np.ndarray:
    """Values in [-1, 1] (any shape, float) -> uint8 RGB (..., 3) through ``DIVERGING``."""
    position = (np.clip(values, -1, 1) + 1) / 2 * (len(DIVERGING) - 1)
    low = np.minimum(np.floor(position).astype(int), len(DIVERGING) - 2)
    frac = (position - low)[..., None]
    return np.round(DIVERGING[low] * (1 - frac) + DIVERGING[low + 1] * frac).astype(np.uint8)


def canvas(height: int, width: int, colour: RGB) -> np.ndarray:
    """An RGB uint8 image (height, width, 3) of one colour."""
    image = np.empty((height, width, 3), np.uint8)
    image[...] = colour
    return image


def draw_text(image: np.ndarray, text: str, y: int, x: int, colour: RGB, scale: int = 2) -> int:
    """Paint ``text`` (characters of ``GLYPHS``, 5 pixels high) at ``scale`` with its top-left at (y, x).

    Args:
        image: uint8 (h, w, 3) or (h, w, 4), painted in place (the alpha channel is left alone).

    Returns:
        The x just after the text.
    """
    for char in text:
        for row, bits in enumerate(GLYPHS[char]):
            for col, bit in enumerate(bits):
                if bit == "1":
                    top, left = y + row * scale, x + col * scale
                    image[top : top + scale, left : left + scale, :3] = colour
        x += (len(GLYPHS[char][0]) + 1) * scale
    return x
