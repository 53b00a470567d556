"""Drawings from hands the model never met: an independent way to redraw a digit as pointer input.

The training drawings come from one tracer (``train.skeleton`` -> ``train.tracing``):
Zhang-Suen thinning of a smoothed x4 mask, a graph of junctions whose straightest
branches are paired into strokes, a moving average, Ramer-Douglas-Peucker, a random
size and place. A model can learn that pen. This module redraws a digit by another
method at every step, and shares no code with that tracer, so that a score on its
drawings measures drawing, not the tracer:

1. **centre line**: a x3 nearest upsample, two 3x3 box blurs, a threshold, and
   Guo-Hall thinning (1989);
2. **strokes**: a greedy pixel walk that always takes the neighbour needing the
   least turn, started from end points in a reader's order (top first, left first
   or any), sometimes walked backwards; branches become strokes of their own, and
   a stroke that reaches ink already drawn stops there;
3. **a hand**: Gaussian smoothing along the walk, then slant, squash, rotation,
   size and position, and human faults (an overshoot at the end, a small gap, a
   retraced end, a digit drawn small in a corner);
4. **a pointer**: each stroke is a few minimum-jerk movements with pauses and
   changes of speed, sampled at the device's event rate (mouse 60-125 Hz, pen
   120-240 Hz, finger 30-60 Hz with a wobble), on a pad of a real size and pixel
   ratio (a phone's, a desktop's), and rounded as pointer events round. The
   pen is the widget's, a fixed share of the pad's side, so its width relative
   to the digit ranges from thin (a digit filling the pad) to fat (one drawn
   small in a corner, a fifth to a third of the pad).

Only ``train.drawing`` (the port of the widget's own pad and preprocessing: the
instrument, not the tracer) is shared with the rest of the pipeline. A test checks
that this module imports none of the tracer's modules.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

UPSAMPLE = 3
NEIGHBOURS = [(-1, 0), (-1, 1), (0, 1), (1, 1), (1, 0), (1, -1), (0, -1), (-1, -1)]  # P2..P9: N, NE, ... NW


@dataclass(frozen=True)
class Device:
    """How one kind of pointer reports a stroke."""

    name: str
    rate_hz: tuple[float, float]  # pointer events per second
    speed: tuple[float, float]  # peak speed, CSS px per second
    pad_css: tuple[int, int]  # the pad's side in CSS px
    ratio: tuple[float, ...]  # device pixel ratios
    wobble: float  # RMS sideways tremor, CSS px
    subpixel: bool  # coordinates finer than a CSS pixel


DEVICES = (
    Device("mouse", (60, 125), (500, 1400), (280, 420), (1.0, 1.25, 1.5, 2.0), 0.3, False),
    Device("pen", (120, 240), (250, 800), (280, 420), (1.0, 2.0), 0.2, True),
    Device("finger", (30, 60), (300, 1100), (240, 330), (2.0, 2.625, 3.0), 1.2, True),
)


def ink(img: np.ndarray, threshold: float = 0.45, min_blob: int = 12) -> np.ndarray:
    """MNIST digit (28, 28) uint8 -> ink mask (84, 84) bool: nearest x3 upsample, two box blurs, a threshold."""
    big = np.kron(img.astype(np.float64) / 255.0, np.ones((UPSAMPLE, UPSAMPLE)))
    for _ in range(2):
        padded = np.pad(big, 1, mode="edge")
        total = np.zeros_like(big)
        for r in range(3):
            for c in range(3):
                total += padded[r : r + big.shape[0], c : c + big.shape[1]]
        big = total / 9.0
    mask = big > threshold * big.max()
    # Specks a reader would not copy.
    for blob in blobs(mask):
        if len(blob) < min_blob:
            mask[tuple(np.array(blob).T)] = False
    return mask


def blobs(mask: np.ndarray) -> list[list[tuple[int, int]]]:
    """8-connected pixel groups of a bool mask (h, w), by a depth-first flood fill."""
    left = set(zip(*np.nonzero(mask), strict=True))
    out = []
    while left:
        stack, group = [left.pop()], []
        while stack:
            r, c = stack.pop()
            group.append((r, c))
            for dr, dc in NEIGHBOURS:
                if (r + dr, c + dc) in left:
                    left.remove((r + dr, c + dc))
                    stack.append((r + dr, c + dc))
        out.append(group)
    return out


def guo_hall(mask: np.ndarray) -> np.ndarray:
    """Thin a bool mask (h, w) to a 1-px centre line (Guo and Hall 1989, two sub-iterations), vectorised."""
    img = np.pad(mask.astype(bool), 1)
    while True:
        changed = False
        for step in (0, 1):
            p = np.pad(img, 1)
            h, w = img.shape
            p2, p3, p4, p5, p6, p7, p8, p9 = (p[1 + dr : 1 + dr + h, 1 + dc : 1 + dc + w] for dr, dc in NEIGHBOURS)
            c = (~p2 & (p3 | p4)).astype(int) + (~p4 & (p5 | p6)) + (~p6 & (p7 | p8)) + (~p8 & (p9 | p2))
            n1 = (p9 | p2).astype(int) + (p3 | p4) + (p5 | p6) + (p7 | p8)
            n2 = (p2 | p3).astype(int) + (p4 | p5) + (p6 | p7) + (p8 | p9)
            n = np.minimum(n1, n2)
            m = ((p6 | p7 | ~p9) & p8) if step == 0 else ((p2 | p3 | ~p5) & p4)
            delete = img & (c == 1) & (n >= 2) & (n <= 3) & ~m
            if delete.any():
                img &= ~delete
                changed = True
        if not changed:
            return img[1:-1, 1:-1]


def walk_strokes(line: np.ndarray, order: str, rng: np.random.Generator, min_length: int = 5) -> list[np.ndarray]:
    """Centre line (h, w) bool -> strokes as (k, 2) float (x, y) pixel paths, by a least-turn walk.

    Args:
        order: where the next stroke starts among the free end points: "top", "left" or "any".
        min_length: walks shorter than this (spurs of the thinning) are dropped, unless all are.
    """
    pixels = set(zip(*np.nonzero(line), strict=True))

    def around(p: tuple[int, int]) -> list[tuple[int, int]]:
        return [(p[0] + dr, p[1] + dc) for dr, dc in NEIGHBOURS if (p[0] + dr, p[1] + dc) in pixels]

    visited: set[tuple[int, int]] = set()
    strokes: list[list[tuple[int, int]]] = []
    while pixels - visited:
        free = sorted(pixels - visited)
        ends = [p for p in free if len(around(p)) == 1] or [p for p in free if any(q in visited for q in around(p))]
        pool = ends or free
        if order == "top":
            start = min(pool)
        elif order == "left":
            start = min(pool, key=lambda p: (p[1], p[0]))
        else:
            start = pool[int(rng.integers(len(pool)))]
        path = [start]
        visited.add(start)
        attach = [q for q in around(start) if q in visited]
        if attach and len(around(start)) > 1:
            path.insert(0, attach[0])  # a branch starts on the ink it grows from
        while True:
            cur = path[-1]
            options = [q for q in around(cur) if q not in visited]
            if not options:
                recent = set(path[-6:])
                joins = [q for q in around(cur) if q in visited and q not in recent]
                if joins:
                    path.append(joins[0])  # reached ink already drawn: the pen stops on it
                break
            back = path[max(0, len(path) - 4)]
            heading = np.subtract(cur, back, dtype=float)
            if not heading.any():
                nxt = min(options, key=lambda q: abs(q[0] - cur[0]) + abs(q[1] - cur[1]))
            else:
                heading /= np.hypot(*heading)

                def turn(q: tuple[int, int], cur: tuple[int, int] = cur, heading: np.ndarray = heading) -> float:
                    step = np.subtract(q, cur, dtype=float)
                    return -float(step @ heading) / float(np.hypot(*step))

                nxt = min(options, key=turn)
            path.append(nxt)
            visited.add(nxt)
        strokes.append(path)
    kept = [s for s in strokes if len(s) >= min_length] or [max(strokes, key=len)]
    return [np.array(s, float)[:, ::-1] for s in kept]


def gaussian_smooth(path: np.ndarray, sigma: float) -> np.ndarray:
    """Gaussian-weighted average of a path (k, 2) along its points; the end points stay put."""
    if len(path) < 3 or sigma <= 0:
        return path
    idx = np.arange(len(path))
    weights = np.exp(-0.5 * ((idx[:, None] - idx[None, :]) / sigma) ** 2)
    out = weights @ path / weights.sum(1, keepdims=True)
    out[0], out[-1] = path[0], path[-1]
    return out


def arc(path: np.ndarray) -> np.ndarray:
    """(k,) cumulative arc length of a path (k, 2), starting at 0."""
    return np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(path, axis=0).T))])


def along(path: np.ndarray, s: np.ndarray) -> np.ndarray:
    """Points (len(s), 2) at arc lengths ``s`` along a path (k, 2)."""
    a = arc(path)
    if a[-1] == 0:
        return np.repeat(path[:1], len(s), axis=0)
    return np.stack([np.interp(s, a, path[:, k]) for k in (0, 1)], axis=1)


def faults(strokes: list[np.ndarray], size: float, rng: np.random.Generator) -> tuple[list[np.ndarray], list[str]]:
    """Human slips on strokes in pixel units (digit about ``size`` px tall): the changed strokes and their names."""
    names = []
    strokes = list(strokes)
    if rng.random() < 0.25:
        i = int(rng.integers(len(strokes)))
        s = strokes[i]
        if len(s) >= 3:
            tangent = s[-1] - s[-3]
            norm = np.hypot(*tangent)
            if norm > 0:
                extra = s[-1] + tangent / norm * size * rng.uniform(0.04, 0.12)
                strokes[i] = np.vstack([s, extra])
                names.append("overshoot")
    if rng.random() < 0.15:
        i = int(np.argmax([arc(s)[-1] for s in strokes]))
        s, a = strokes[i], arc(strokes[i])
        gap = size * rng.uniform(0.03, 0.07)
        if a[-1] > 4 * gap:
            cut = rng.uniform(0.3, 0.7) * a[-1]
            first = along(s, np.linspace(0, cut, max(2, int(cut) + 1)))
            second = along(s, np.linspace(cut + gap, a[-1], max(2, int(a[-1] - cut - gap) + 1)))
            strokes[i : i + 1] = [first, second]
            names.append("gap")
    if rng.random() < 0.12:
        i = int(rng.integers(len(strokes)))
        s, a = strokes[i], arc(strokes[i])
        if a[-1] > 0:
            back = along(s, np.linspace(a[-1], a[-1] * (1 - rng.uniform(0.15, 0.35)), 8))
            strokes[i] = np.vstack([s, back[1:] + rng.normal(0, 0.3, back[1:].shape)])
            names.append("retrace")
    return strokes, names


def shape(strokes: list[np.ndarray], rng: np.random.Generator) -> tuple[list[np.ndarray], list[str]]:
    """Slant, squash and rotate strokes (pixel units, y down) about their centre: the changed strokes, names."""
    names = []
    m = np.eye(2)
    if rng.random() < 0.4:
        m = np.array([[1.0, -rng.uniform(-0.35, 0.35)], [0.0, 1.0]]) @ m
        names.append("slant")
    if rng.random() < 0.3:
        axis = int(rng.integers(2))
        m = np.diag([rng.uniform(0.65, 1.0) if k == axis else 1.0 for k in (0, 1)]) @ m
        names.append("squash")
    angle = np.radians(rng.uniform(-10, 10) if rng.random() < 0.3 else rng.uniform(-3, 3))
    m = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]]) @ m
    centre = np.vstack(strokes).mean(0)
    return [(s - centre) @ m.T + centre for s in strokes], names


def movement(path: np.ndarray, device: Device, rate: float, rng: np.random.Generator, t0: float) -> np.ndarray:
    """A stroke (k, 2) in CSS px -> its pointer events (n, 3): (x, y, t in ms), from ``t0``, at ``rate`` Hz.

    The stroke is cut into 1-3 movements, each with a minimum-jerk speed profile
    (10 tau^3 - 15 tau^4 + 6 tau^5) and its own peak speed; the hand sometimes
    rests between them (no events while resting). Events arrive at the device's
    rate with a little jitter; the first is the pointer going down.
    """
    a = arc(path)
    total = float(a[-1])
    cuts = np.sort(rng.uniform(0.2, 0.8, size=int(rng.integers(0, 3)))) * total
    bounds = np.concatenate([[0.0], cuts, [total]])
    events, t = [np.array([*path[0], t0])], t0
    for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
        peak = rng.uniform(*device.speed)
        duration = max(60.0, 1000.0 * 1.875 * (hi - lo) / peak)  # min-jerk: peak = 1.875 x mean speed
        times = np.arange(1000.0 / rate, duration + 1e-9, 1000.0 / rate)
        times = np.clip(times + rng.normal(0, 100.0 / rate, times.shape), 0, duration)
        tau = np.sort(times) / duration
        s = lo + (hi - lo) * (10 * tau**3 - 15 * tau**4 + 6 * tau**5)
        if len(s) == 0 or s[-1] < hi:
            s, tau = np.append(s, hi), np.append(tau, 1.0)
        xy = along(path, s)
        events.append(np.column_stack([xy, t + tau * duration]))
        t += duration
        if rng.random() < 0.25:
            t += rng.uniform(50, 300)
    out = np.vstack(events)
    if device.wobble > 0 and len(out) > 2:
        # A slow sideways tremor, across the direction of travel.
        direction = np.gradient(out[:, :2], axis=0)
        normal = np.stack([-direction[:, 1], direction[:, 0]], 1) / np.maximum(np.hypot(*direction.T)[:, None], 1e-9)
        phase, freq = rng.uniform(0, 2 * np.pi), rng.uniform(4, 9)
        amp = device.wobble * np.sqrt(2) * np.sin(2 * np.pi * freq * out[:, 2] / 1000.0 + phase)
        out[:, :2] += normal * amp[:, None]
    return out


def hand_drawing(img: np.ndarray, rng: np.random.Generator) -> dict:
    """MNIST digit (28, 28) uint8 -> a drawing as a reader's pointer would make it.

    Returns:
        {"strokes": [[[x, y], ...], ...] in pad units 0..1 (4 decimals), "device", "rate_hz",
        "pad_css", "ratio", "side" (the canvas' side in device pixels), "order", "faults", "duration_ms"}.
    """
    order = str(rng.choice(["top", "left", "any"], p=[0.6, 0.25, 0.15]))
    strokes = [gaussian_smooth(s, sigma=rng.uniform(1.0, 2.5)) for s in walk_strokes(guo_hall(ink(img)), order, rng)]
    strokes = [s[::-1] if rng.random() < 0.25 else s for s in strokes]
    lo, hi = np.vstack(strokes).min(0), np.vstack(strokes).max(0)
    strokes, slips = faults(strokes, float(max(hi - lo)), rng)
    strokes, bends = shape(strokes, rng)

    device = DEVICES[int(rng.choice(3, p=[0.45, 0.2, 0.35]))]
    pad = int(rng.integers(device.pad_css[0], device.pad_css[1] + 1))
    ratio = float(rng.choice(device.ratio))
    rate = float(rng.uniform(*device.rate_hz))
    width = 0.075  # the pad's pen, as a fraction of its side (keeps away from the edge)
    cornered = rng.random() < 0.15
    size = rng.uniform(0.2, 0.35) if cornered else rng.uniform(0.3, 0.9)
    pts = np.vstack(strokes)
    lo, hi = pts.min(0), pts.max(0)
    scale = size * pad / max(float((hi - lo).max()), 1e-9)
    margin = (width / 2 + 0.01) * pad
    room = np.maximum(margin, pad - margin - (hi - lo) * scale)
    if cornered:
        corner = np.array([margin if rng.random() < 0.5 else r for r in room])
    else:
        corner = np.array([rng.uniform(margin, r) for r in room])

    events, t = [], 0.0
    for s in strokes:
        e = movement((s - lo) * scale + corner, device, rate, rng, t)
        events.append(e)
        t = float(e[-1, 2]) + rng.uniform(120, 450)  # lifting the pen and moving to the next start
    step = 1.0 / ratio if device.subpixel else 1.0
    out = []
    for e in events:
        xy = np.clip(np.round(e[:, :2] / step) * step, 0, pad) / pad
        out.append(np.round(xy, 4).tolist())
    return {
        "strokes": out,
        "device": device.name,
        "rate_hz": round(rate),
        "pad_css": pad,
        "ratio": ratio,
        "side": int(round(pad * ratio)),
        "order": order,
        "faults": slips + bends + (["small-corner"] if cornered else []),
        "duration_ms": round(float(events[-1][-1, 2])),
    }
