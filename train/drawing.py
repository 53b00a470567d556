"""A drawing as the browser sees it: pen strokes -> ink on the pad -> the model's input.

Two steps, each a faithful port of the browser code, so that drawings can be made
and measured in Python exactly as the widget makes them:

* ``render``: the pad (site/ui/drawing-pad.js) strokes each polyline on a square
  canvas with ``lineWidth = stroke_width * side``, round caps and joins,
  anti-aliased; the model reads the canvas alpha. Here a pixel's coverage is its
  distance to the polyline with a 1-px soft edge, and strokes are composited like
  canvas ``source-over``.
* ``preprocess_drawing``: site/core/preprocess.js ``preprocessDrawing``, bit for
  bit (JS rounding, float32 storage, summation order): crop, area-resize, place.

A drawing is a list of strokes; a stroke is a sequence of (x, y) points in pad
units (0..1, y down). A single point draws a round dot.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from train.config import DRAWING_RECIPES, IMAGE_SIZE
from train.metadata_types import DrawingRecipe

# A stroke is (k, 2) points, (x, y) in pad units: nested lists from JSON, or an array.
Stroke = Sequence[Sequence[float]] | np.ndarray
Drawing = Sequence[Stroke]
MNIST_RECIPE = DRAWING_RECIPES["mnist"]
PAD_SIDE = 280  # the pad's side in canvas pixels on a desktop page


def segment_distance(px: np.ndarray, py: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Distance from points (px, py) (any broadcastable float arrays) to segment a-b (2,) -> same shape."""
    d = b - a
    length2 = float(d @ d)
    t = np.zeros(np.broadcast_shapes(px.shape, py.shape))
    if length2 > 0:
        t = np.clip(((px - a[0]) * d[0] + (py - a[1]) * d[1]) / length2, 0.0, 1.0)
    return np.hypot(px - a[0] - t * d[0], py - a[1] - t * d[1])


def stroke_coverage(points: np.ndarray, side: int, radius: float) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """Anti-aliased coverage of one round-capped polyline.

    Args:
        points: (n, 2) float, canvas pixels.
    Returns:
        coverage (h, w) float64 in 0..1 over the box, and the box (y0, y1, x0, x1) in canvas pixels.
    """
    pad = radius + 1.0
    x0, y0 = (np.floor(points.min(0) - pad).astype(int)).clip(0, side)
    x1, y1 = (np.ceil(points.max(0) + pad).astype(int) + 1).clip(0, side)
    dist = np.full((y1 - y0, x1 - x0), np.inf)
    segments = zip(points[:-1], points[1:], strict=True) if len(points) > 1 else [(points[0], points[0])]
    for a, b in segments:
        # Only the pixels near this segment can be closer than radius + 1.
        sx0, sy0 = (np.floor(np.minimum(a, b) - pad).astype(int)).clip((x0, y0), (x1, y1))
        sx1, sy1 = (np.ceil(np.maximum(a, b) + pad).astype(int) + 1).clip((x0, y0), (x1, y1))
        ys = np.arange(sy0, sy1)[:, None] + 0.5
        xs = np.arange(sx0, sx1)[None, :] + 0.5
        window = dist[sy0 - y0 : sy1 - y0, sx0 - x0 : sx1 - x0]
        np.minimum(window, segment_distance(xs, ys, a, b), out=window)
    return np.clip(radius + 0.5 - dist, 0.0, 1.0), (y0, y1, x0, x1)


def render(
    strokes: Drawing, side: int = PAD_SIDE, stroke_width: float = float(MNIST_RECIPE["stroke_width"])
) -> np.ndarray:
    """Strokes in pad units -> ink map (side, side) uint8, 0 = no ink, 255 = full ink (the canvas alpha)."""
    alpha = np.zeros((side, side))
    radius = stroke_width * side / 2
    for stroke in strokes:
        if len(stroke) == 0:
            continue
        points = np.asarray(stroke, dtype=np.float64).reshape(-1, 2) * side
        cov, (y0, y1, x0, x1) = stroke_coverage(points, side, radius)
        region = alpha[y0:y1, x0:x1]
        region += cov * (1.0 - region)  # canvas source-over
    return np.rint(alpha * 255).astype(np.uint8)


def js_round(x: float) -> int:
    """JavaScript ``Math.round``: halves go up (towards +inf), unlike Python's banker's rounding."""
    return math.floor(x + 0.5)


def ink_bounds(ink: np.ndarray, threshold: float) -> tuple[int, int, int, int] | None:
    """Box (x, y, w, h) of the pixels of ink (h, w) whose value exceeds ``threshold``; None when blank."""
    ys, xs = np.nonzero(ink > threshold)
    if xs.size == 0:
        return None
    return int(xs.min()), int(ys.min()), int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1)


def area_taps(n: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Area-averaging taps mapping ``n`` source cells onto ``m`` target cells, as in the JS ``areaWeights``.

    Returns:
        index (m, k) int and weight (m, k) float64: target j averages ``src[index[j]] * weight[j]``;
        unused taps have weight 0.
    """
    step = n / m
    taps = []
    for j in range(m):
        start = j * step
        end = start + step
        overlaps = [(i, min(end, i + 1) - max(start, i)) for i in range(math.floor(start), min(n, math.ceil(end)))]
        taps.append([(i, overlap / step) for i, overlap in overlaps if overlap > 0])
    k = max(len(t) for t in taps)
    index, weight = np.zeros((m, k), int), np.zeros((m, k))
    for j, t in enumerate(taps):
        index[j, : len(t)], weight[j, : len(t)] = [i for i, _ in t], [w for _, w in t]
    return index, weight


def resize_area(region: np.ndarray, out_w: int, out_h: int) -> np.ndarray:
    """Area-averaging resize of region (h, w) -> (out_h, out_w) float32, rows first as in the JS.

    Sums run tap by tap in float64 and are stored as float32, as the JS does, so the result is bit-identical.
    """
    src = region.astype(np.float64)
    index, weight = area_taps(src.shape[1], out_w)
    rows = np.zeros((src.shape[0], out_w))
    for k in range(index.shape[1]):
        rows += src[:, index[:, k]] * weight[:, k]
    rows = rows.astype(np.float32).astype(np.float64)
    index, weight = area_taps(src.shape[0], out_h)
    out = np.zeros((out_h, out_w))
    for k in range(index.shape[1]):
        out += rows[index[:, k], :] * weight[:, k, None]
    return out.astype(np.float32)


def center_of_mass(img: np.ndarray) -> tuple[float, float]:
    """(x, y) centre of mass of img (h, w) in pixel units (pixel i spans [i, i + 1)); the centre when empty.

    Sums run in row-major order (``cumsum`` is sequential) to round exactly like the JS.
    """
    h, w = img.shape
    values = img.astype(np.float64)
    total = np.cumsum(values.ravel())[-1]
    if total <= 0:
        return w / 2, h / 2
    sx = np.cumsum((values * (np.arange(w) + 0.5)).ravel())[-1]
    sy = np.cumsum((values * (np.arange(h)[:, None] + 0.5)).ravel())[-1]
    return float(sx / total), float(sy / total)


def preprocess_drawing(
    ink: np.ndarray, recipe: DrawingRecipe = MNIST_RECIPE, size: int = IMAGE_SIZE
) -> np.ndarray | None:
    """Ink map (height, width), values 0..255 -> (size, size) float32 0..255, white ink on black.

    Returns None where the JS returns no pixels: a blank pad, or a mark smaller than
    ``min_extent`` of the pad side (a dot).
    """
    height, width = ink.shape
    bounds = ink_bounds(ink, recipe["ink_threshold"] * 255)
    if bounds is None:
        return None
    x, y, bw, bh = bounds
    if max(bw, bh) < recipe["min_extent"] * min(width, height):
        return None
    scale = recipe["fit_box"] / max(bw, bh)
    w, h = max(1, js_round(bw * scale)), max(1, js_round(bh * scale))
    small = resize_area(ink[y : y + bh, x : x + bw], w, h)
    if recipe["center"] == "mass":
        cx, cy = center_of_mass(small)
        dx, dy = js_round(recipe["mass_center"] - cx), js_round(recipe["mass_center"] - cy)
    else:
        dx, dy = (size - w) // 2, (size - h) // 2
    pixels = np.zeros((size, size), np.float32)
    ty0, tx0 = max(0, dy), max(0, dx)
    ty1, tx1 = min(size, dy + h), min(size, dx + w)
    if ty1 > ty0 and tx1 > tx0:
        pixels[ty0:ty1, tx0:tx1] = np.minimum(255, small[ty0 - dy : ty1 - dy, tx0 - dx : tx1 - dx])
    return pixels


def draw(drawings: Sequence[Drawing], side: int = PAD_SIDE, stroke_width: float | None = None) -> np.ndarray:
    """Drawings -> (n, 28, 28) float32 0..255 model inputs, rendered and preprocessed like the widget's.

    Raises:
        ValueError: if a drawing is blank or a dot (the widget would not classify it).
    """
    width = float(MNIST_RECIPE["stroke_width"]) if stroke_width is None else stroke_width
    images = []
    for drawing in drawings:
        image = preprocess_drawing(render(drawing, side, width))
        if image is None:
            raise ValueError("a drawing is blank or too small to classify")
        images.append(image)
    return np.stack(images)
