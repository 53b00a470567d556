"""Shapes and scribbles as pen strokes, and the hand that draws them on the pad.

``hand`` gives normalised strokes a hand-drawn look (a random tilt, slant, aspect
and a smooth wobble); ``place`` puts them on the pad at a random size and spot.
Two sets of shape and scribble families are kept strictly apart: the benchmark's
(``BENCHMARK_SHAPES``, ``BENCHMARK_SCRIBBLES``: what readers commonly draw) and
the training negatives' (``TRAINING_SHAPES``, ``TRAINING_SCRIBBLES``), so that
the benchmark of non-digits stays held out.

A drawing is a list of strokes, each an (n, 2) float array of (x, y), y down.
"""

from __future__ import annotations

import numpy as np

from train.config import DRAWING_RECIPES
from train.glyphs import Drawing
from train.tracing import rdp


def normalize(strokes: Drawing) -> Drawing:
    """Strokes -> the same shape with its bounding box's longer side 1, at the origin."""
    pts = np.vstack(strokes)
    lo, hi = pts.min(0), pts.max(0)
    scale = 1 / max(float((hi - lo).max()), 1e-9)
    return [(s - lo) * scale for s in strokes]


def resample(stroke: np.ndarray, step: float) -> np.ndarray:
    """Points every ``step`` along a polyline (n, 2), keeping its ends; a single point stays one point."""
    seg = np.hypot(*np.diff(stroke, axis=0).T)
    if len(stroke) < 2 or seg.sum() == 0:
        return stroke[:1]
    arc = np.concatenate([[0], np.cumsum(seg)])
    t = np.linspace(0, arc[-1], max(2, int(arc[-1] / step) + 1))
    return np.stack([np.interp(t, arc, stroke[:, k]) for k in (0, 1)], axis=1)


def hand(
    strokes: Drawing,
    rng: np.random.Generator,
    wobble: float = 0.015,
    tilt: float = 6.0,
    shear: float = 0.12,
    aspect: float = 0.1,
) -> Drawing:
    """A hand-drawn look for normalised strokes (size about 1): a random rotation (``tilt`` degrees),
    slant, aspect ratio, and a smooth random displacement of about ``wobble``; simplified to few points."""
    t = np.radians(rng.normal(0, tilt))
    rotation = np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]])
    a = rotation @ np.array([[1, rng.normal(0, shear)], [0, 1]]) @ np.diag([np.exp(rng.normal(0, aspect)), 1])
    freq, phase = rng.uniform(0.5, 2, (2, 2)), rng.uniform(0, 2 * np.pi, (2, 2))
    out = []
    for s in strokes:
        p = resample(s, 0.01) @ a.T
        field = [
            np.sin(2 * np.pi * freq[k, 0] * p[:, 1] + phase[k, 0])
            + np.sin(2 * np.pi * freq[k, 1] * p[:, 0] + phase[k, 1])
            for k in (0, 1)
        ]
        out.append(rdp(p + wobble / 2 * np.stack(field, axis=1), 0.002))
    return out


def place(
    strokes: Drawing,
    rng: np.random.Generator,
    size: tuple[float, float] = (0.35, 0.85),
    stroke_width: float = float(DRAWING_RECIPES["mnist"]["stroke_width"]),
) -> Drawing:
    """Scale the longer side to U(size) of the pad and put the drawing at a random spot fully on the pad."""
    strokes = normalize(strokes)
    target = rng.uniform(*size)
    extent = np.vstack(strokes).max(0) * target
    margin = stroke_width / 2 + 0.01
    corner = np.array([rng.uniform(margin, max(margin, 1 - margin - e)) for e in extent])
    return [s * target + corner for s in strokes]


def to_json(strokes: Drawing) -> list:
    """Strokes -> nested lists with 4 decimals, as in the JSON files."""
    return [np.round(s, 4).tolist() for s in strokes]


def complexity(strokes: Drawing) -> float:
    """Ink length over the longer side of the bounding box: 1 for a bar, about 3.1 for a circle."""
    pts = np.vstack(strokes)
    return sum(float(np.hypot(*np.diff(s, axis=0).T).sum()) for s in strokes) / max(float(np.ptp(pts, 0).max()), 1e-9)


def ellipse(
    cx: float, cy: float, rx: float, ry: float, a0: float = 0.0, a1: float = 2 * np.pi, n: int = 40
) -> np.ndarray:
    """(n, 2) points on an ellipse from angle a0 to a1 (radians, y down)."""
    t = np.linspace(a0, a1, n)
    return np.stack([cx + rx * np.cos(t), cy + ry * np.sin(t)], axis=1)


def poly(*points: tuple[float, float], closed: bool = False) -> np.ndarray:
    """(n, 2) polyline through the points, back to the first if ``closed``."""
    return np.array(points + points[:1] if closed else points, float)


def rotate(strokes: Drawing, angle: float) -> Drawing:
    """Strokes turned by ``angle`` radians about the origin."""
    c, s = np.cos(angle), np.sin(angle)
    return [p @ np.array([[c, s], [-s, c]]) for p in strokes]


def star(rng: np.random.Generator) -> Drawing:
    """A five-pointed star in one stroke, the way people draw it."""
    t = np.arange(6) * 4 * np.pi / 5 - np.pi / 2 + rng.normal(0, 0.1)
    return [np.stack([np.cos(t), np.sin(t)], axis=1)]


def heart(rng: np.random.Generator) -> Drawing:
    t = np.linspace(0, 2 * np.pi, 60)
    return [
        np.stack([16 * np.sin(t) ** 3, -(13 * np.cos(t) - 5 * np.cos(2 * t) - 2 * np.cos(3 * t) - np.cos(4 * t))], 1)
    ]


def house(rng: np.random.Generator) -> Drawing:
    out = [poly((0, 0.45), (0, 1), (1, 1), (1, 0.45), closed=True), poly((-0.05, 0.48), (0.5, 0), (1.05, 0.48))]
    return out + ([poly((0.4, 1), (0.4, 0.7), (0.6, 0.7), (0.6, 1))] if rng.random() < 0.5 else [])


def spiral(rng: np.random.Generator) -> Drawing:
    t = np.linspace(0, rng.uniform(1.8, 3.0) * 2 * np.pi, 200)
    return [np.stack([t * np.cos(t), rng.choice([-1, 1]) * t * np.sin(t)], axis=1)]


def arrow(rng: np.random.Generator) -> Drawing:
    head = rng.uniform(0.2, 0.35)
    strokes = [poly((0, 0), (1, 0)), poly((1 - head, -head * 0.8), (1, 0), (1 - head, head * 0.8))]
    return rotate(strokes, rng.integers(8) * np.pi / 4)


def smiley(rng: np.random.Generator) -> Drawing:
    eyes = [poly((x, -0.4), (x, -0.2)) for x in (-0.35, 0.35)]
    return [ellipse(0, 0, 1, 1, n=60), *eyes, ellipse(0, 0.05, 0.55, 0.5, 0.2 * np.pi, 0.8 * np.pi, 20)]


def cloud(rng: np.random.Generator) -> Drawing:
    """A scalloped outline: semicircular bumps between points on an ellipse."""
    k = rng.integers(5, 8)
    t = np.sort(rng.uniform(0, 2 * np.pi / k, k) * 0.3 + np.arange(k) * 2 * np.pi / k)
    pts = np.stack([np.cos(t), 0.6 * np.sin(t)], axis=1)
    arcs = []
    for p, q in zip(pts, np.roll(pts, -1, axis=0), strict=True):
        m, r = (p + q) / 2, np.hypot(*(q - p)) / 2
        a = np.arctan2(*(p - m)[::-1])
        sign = max(
            (1, -1),
            key=lambda sg: np.hypot(*(m + r * np.array([np.cos(a + sg * np.pi / 2), np.sin(a + sg * np.pi / 2)]))),
        )
        arcs.append(ellipse(m[0], m[1], r, r, a, a + sign * np.pi, 16))
    return [np.vstack(arcs)]


def lightning(rng: np.random.Generator) -> Drawing:
    return [poly((0.55, 0), (0.2, 0.55), (0.45, 0.55), (0.3, 1), (0.8, 0.4), (0.55, 0.4), (0.75, 0), closed=True)]


def flower(rng: np.random.Generator) -> Drawing:
    n = rng.integers(5, 8)
    petals = [
        ellipse(0, 0, 0.35, 0.16) @ np.array([[np.cos(a), np.sin(a)], [-np.sin(a), np.cos(a)]])
        + 0.55 * np.array([np.cos(a), np.sin(a)])
        for a in np.arange(n) * 2 * np.pi / n
    ]
    return [ellipse(0, 0, 0.2, 0.2, n=24), *petals] + ([poly((0, 0.9), (0.05, 2))] if rng.random() < 0.5 else [])


def sun(rng: np.random.Generator) -> Drawing:
    rays = [poly((0.62 * np.cos(a), 0.62 * np.sin(a)), (np.cos(a), np.sin(a))) for a in np.arange(8) * np.pi / 4]
    return [ellipse(0, 0, 0.45, 0.45), *rays]


def fish(rng: np.random.Generator) -> Drawing:
    """The fish curve (its self-crossing makes the tail) and an eye."""
    t = np.linspace(0, 2 * np.pi, 80)
    return [
        np.stack([np.cos(t) - np.sin(t) ** 2 / np.sqrt(2), np.cos(t) * np.sin(t)], axis=1),
        np.array([[0.55, -0.12]]),
    ]


def tree(rng: np.random.Generator) -> Drawing:
    crown = poly(
        (0, 0),
        (-0.3, 0.3),
        (-0.15, 0.3),
        (-0.45, 0.6),
        (-0.25, 0.6),
        (-0.6, 0.9),
        (0.6, 0.9),
        (0.25, 0.6),
        (0.45, 0.6),
        (0.15, 0.3),
        (0.3, 0.3),
        (0, 0),
    )
    return [crown, poly((-0.1, 0.9), (-0.1, 1.15), (0.1, 1.15), (0.1, 0.9))]


def envelope(rng: np.random.Generator) -> Drawing:
    return [poly((0, 0), (1.4, 0), (1.4, 0.9), (0, 0.9), closed=True), poly((0, 0), (0.7, 0.5), (1.4, 0))]


def check(rng: np.random.Generator) -> Drawing:
    return [poly((0, 0.55), (0.35, 0.9), (1, 0))]


def triangle(rng: np.random.Generator) -> Drawing:
    return [poly((0.5, 0), (1, 0.85), (0, 0.85), closed=True)]


def square(rng: np.random.Generator) -> Drawing:
    w = rng.uniform(0.8, 1.25)
    return [poly((0, 0), (w, 0), (w, 1), (0, 1), closed=True)]


def diamond(rng: np.random.Generator) -> Drawing:
    return [poly((0.5, 0), (1, 0.65), (0.5, 1.3), (0, 0.65), closed=True)]


def stick_figure(rng: np.random.Generator) -> Drawing:
    return [
        ellipse(0, -0.75, 0.2, 0.2, n=24),
        poly((0, -0.55), (0, 0.2)),
        poly((-0.45, -0.3), (0.45, -0.3)),
        poly((-0.3, 0.75), (0, 0.2), (0.3, 0.75)),
    ]


def smooth_curve(rng: np.random.Generator) -> Drawing:
    """A random scribble: a path whose curvature drifts smoothly, often looping."""
    while True:
        turn = np.convolve(rng.normal(0, 1, 240), np.ones(25) / 25, mode="same") * rng.uniform(0.3, 0.6)
        heading = np.cumsum(turn) + rng.uniform(0, 2 * np.pi)
        path = np.cumsum(np.stack([np.cos(heading), np.sin(heading)], axis=1) * 0.05, axis=0)
        if complexity([path]) > 5:
            return [path]


def zigzag(rng: np.random.Generator) -> Drawing:
    k = rng.integers(5, 10)
    x = np.linspace(0, 1, k + 1)
    y = np.where(np.arange(k + 1) % 2 == 0, 0.0, rng.uniform(0.15, 0.4)) + rng.normal(0, 0.02, k + 1)
    return rotate([np.stack([x, y], axis=1)], rng.uniform(-0.5, 0.5))


def hatching(rng: np.random.Generator) -> Drawing:
    """Parallel lines, crossed by a second set in most drawings."""
    out = []
    for a in [rng.uniform(0, np.pi)] + ([rng.uniform(0, np.pi)] if rng.random() < 0.7 else []):
        d, nrm = np.array([np.cos(a), np.sin(a)]), np.array([-np.sin(a), np.cos(a)])
        for o in np.linspace(-0.4, 0.4, rng.integers(3, 6)):
            out.append(np.stack([o * nrm - 0.5 * d, o * nrm + 0.5 * d]))
    return out


BENCHMARK_SHAPES = {
    f.__name__: f
    for f in (
        star,
        heart,
        house,
        spiral,
        arrow,
        smiley,
        cloud,
        lightning,
        flower,
        sun,
        fish,
        tree,
        envelope,
        check,
        triangle,
        square,
        diamond,
        stick_figure,
    )
}
BENCHMARK_SCRIBBLES = {f.__name__: f for f in (smooth_curve, zigzag, hatching)}


def polygon(rng: np.random.Generator) -> Drawing:
    """A closed polygon with 3 to 6 corners, regular or jittered."""
    n = rng.integers(3, 7)
    t = np.arange(n) * 2 * np.pi / n + rng.normal(0, 0.15, n) + rng.uniform(0, 2 * np.pi)
    r = rng.uniform(0.7, 1.0, n)
    pts = np.stack([r * np.cos(t), r * np.sin(t)], axis=1)
    return [np.vstack([pts, pts[:1]])]


def outline_star(rng: np.random.Generator) -> Drawing:
    n = rng.integers(5, 9)
    t = np.arange(2 * n + 1) * np.pi / n + rng.uniform(0, np.pi)
    r = np.where(np.arange(2 * n + 1) % 2 == 0, 1.0, rng.uniform(0.35, 0.6))
    return [np.stack([r * np.cos(t), r * np.sin(t)], axis=1)]


def square_spiral(rng: np.random.Generator) -> Drawing:
    k = rng.integers(5, 10)
    steps = np.array([[1, 0], [0, 1], [-1, 0], [0, -1]])
    return [np.vstack([[0, 0], np.cumsum(steps[np.arange(k) % 4] * (np.arange(k)[:, None] // 2 + 1), axis=0)])]


def lattice(rng: np.random.Generator) -> Drawing:
    """A grid of 2 to 4 lines each way, like tic-tac-toe or a window."""
    out = []
    for k in (0, 1):
        for o in np.linspace(0, 1, rng.integers(2, 5)):
            line = np.array([[o, 0], [o, 1]]) + rng.normal(0, 0.03, (2, 2))
            out.append(line[:, ::-1] if k else line)
    return out


def wave(rng: np.random.Generator) -> Drawing:
    x = np.linspace(0, rng.uniform(1.5, 4) * 2 * np.pi, 120)
    return rotate([np.stack([x, rng.uniform(0.5, 1.5) * np.sin(x)], axis=1)], rng.uniform(-0.6, 0.6))


def starburst(rng: np.random.Generator) -> Drawing:
    n = rng.integers(5, 11)
    return [poly((0, 0), (np.cos(a), np.sin(a))) for a in np.arange(n) * 2 * np.pi / n + rng.uniform(0, 1)]


def random_polyline(rng: np.random.Generator) -> Drawing:
    return [rng.uniform(0, 1, (rng.integers(5, 11), 2))]


def random_strokes(rng: np.random.Generator) -> Drawing:
    return [rng.uniform(0, 1, (rng.integers(2, 4), 2)) for _ in range(rng.integers(3, 7))]


def coil(rng: np.random.Generator) -> Drawing:
    """Loops along a line, like a cursive 'eeee' or a telephone cord."""
    t = np.linspace(0, rng.integers(3, 6) * 2 * np.pi, 160)
    r = rng.uniform(0.6, 1.2)
    return rotate(
        [np.stack([t / (2 * np.pi) * rng.uniform(0.6, 1.2) - r * np.cos(t), r * np.sin(t)], axis=1)],
        rng.uniform(-0.5, 0.5),
    )


def fill_scribble(rng: np.random.Generator) -> Drawing:
    """Back-and-forth strokes colouring in an area (at least 8 turns: fewer would be a sharp 3)."""
    k = rng.integers(8, 13)
    y = np.linspace(0, 1, k) + rng.normal(0, 0.02, k)
    x = np.where(np.arange(k) % 2 == 0, rng.uniform(0, 0.2, k), rng.uniform(0.8, 1, k))
    return rotate([np.stack([x, y], axis=1)], rng.uniform(0, np.pi))


TRAINING_SHAPES = (polygon, outline_star, square_spiral, lattice, wave, starburst)
TRAINING_SCRIBBLES = (random_polyline, random_strokes, coil, fill_scribble)
