"""A handwritten digit's ink, thinned to its centre line: the first half of redrawing it as pen strokes.

A 28x28 MNIST digit is upsampled and smoothed, thresholded into an ink mask that
keeps narrow loops open, and thinned to a 1-px, 8-connected skeleton (Zhang and
Suen, 1984). ``train.tracing`` turns the skeleton into strokes.
"""

from __future__ import annotations

from collections import deque

import numpy as np

RING = [(-1, 0), (-1, 1), (0, 1), (1, 1), (1, 0), (1, -1), (0, -1), (-1, -1)]  # N, NE, E, SE, S, SW, W, NW
UPSAMPLE = 4  # skeleton pixels per MNIST pixel


def smooth_upsample(img: np.ndarray, factor: int = UPSAMPLE, sigma: float = 0.6) -> np.ndarray:
    """(n, n) uint8 -> (n * factor, n * factor) float in 0..1: bilinear upsampling, then a Gaussian blur.

    ``sigma`` is in source pixels. Both steps are one matrix A per axis: out = A @ img @ A.T.
    """
    n = img.shape[0]
    m = n * factor
    src = np.clip((np.arange(m) + 0.5) / factor - 0.5, 0, n - 1)
    lo = np.minimum(np.floor(src).astype(int), n - 2)
    linear = np.zeros((m, n))
    linear[np.arange(m), lo] = 1 - (src - lo)
    linear[np.arange(m), lo + 1] = src - lo
    offsets = np.arange(m)[:, None] - np.arange(m)[None, :]
    gauss = np.exp(-0.5 * (offsets / (sigma * factor)) ** 2)
    a = (gauss / gauss.sum(1, keepdims=True)) @ linear
    return a @ (img / 255.0) @ a.T


def components(mask: np.ndarray, eight: bool = True) -> list[np.ndarray]:
    """Connected components of a bool mask (h, w): a list of (k, 2) int arrays of (row, col)."""
    steps = RING if eight else RING[::2]
    seen = np.zeros_like(mask, dtype=bool)
    out = []
    for start in zip(*np.nonzero(mask), strict=True):
        if seen[start]:
            continue
        seen[start] = True
        queue, members = deque([start]), []
        while queue:
            r, c = queue.popleft()
            members.append((r, c))
            for dr, dc in steps:
                q = (r + dr, c + dc)
                if 0 <= q[0] < mask.shape[0] and 0 <= q[1] < mask.shape[1] and mask[q] and not seen[q]:
                    seen[q] = True
                    queue.append(q)
        out.append(np.array(members))
    return out


def border_reach(free: np.ndarray) -> np.ndarray:
    """Bool (h, w): the pixels of ``free`` (h, w) bool that are 4-connected to the image border."""
    reach = np.zeros_like(free)
    reach[[0, -1], :], reach[:, [0, -1]] = free[[0, -1], :], free[:, [0, -1]]
    while True:
        grown = reach.copy()
        grown[1:] |= reach[:-1]
        grown[:-1] |= reach[1:]
        grown[:, 1:] |= reach[:, :-1]
        grown[:, :-1] |= reach[:, 1:]
        grown &= free
        if (grown == reach).all():
            return reach
        reach = grown


def holes(mask: np.ndarray) -> list[np.ndarray]:
    """The holes of a bool mask (h, w): background regions cut off from the border, as (k, 2) (row, col) arrays."""
    return components(~mask & ~border_reach(~mask), eight=False)


def ink_mask(
    img: np.ndarray, low: float = 0.3, high: float = 0.65, min_hole: int = 24, min_blob: int = 48
) -> np.ndarray:
    """MNIST digit (28, 28) uint8 -> ink mask (112, 112) bool.

    Ink is where the smoothed image exceeds ``low`` (faint strokes survive), but the
    holes of the mask at ``high`` are kept open, so that narrow loops (8, 9, 6) stay
    loops; holes smaller than ``min_hole`` px are filled and ink blobs smaller than
    ``min_blob`` px dropped.
    """
    smooth = smooth_upsample(img)
    mask = smooth > low
    for hole in holes(smooth > high):
        if len(hole) >= min_hole:
            mask[tuple(hole.T)] = False
    for hole in holes(mask):
        if len(hole) < min_hole:
            mask[tuple(hole.T)] = True
    for blob in components(mask):
        if len(blob) < min_blob:
            mask[tuple(blob.T)] = False
    return mask


def neighbours(img: np.ndarray) -> list[np.ndarray]:
    """The 8 neighbours of every pixel of a 0/1 image (h, w), in RING order, as (h, w) arrays (zero outside)."""
    p = np.pad(img, 1)
    h, w = img.shape
    return [p[1 + dr : 1 + dr + h, 1 + dc : 1 + dc + w] for dr, dc in RING]


def zhang_suen(mask: np.ndarray) -> np.ndarray:
    """Thin a bool mask (h, w) to a 1-px wide 8-connected skeleton (Zhang & Suen 1984), vectorised."""
    img = mask.astype(np.uint8)
    while True:
        changed = False
        for first in (True, False):
            n, ne, e, se, s, sw, w, nw = neighbours(img)
            ring = [n, ne, e, se, s, sw, w, nw, n]
            count = n + ne + e + se + s + sw + w + nw
            transitions = sum(((ring[k] == 0) & (ring[k + 1] == 1)).astype(np.uint8) for k in range(8))
            side = (n * e * s == 0) & (e * s * w == 0) if first else (n * e * w == 0) & (n * s * w == 0)
            delete = (img == 1) & (count >= 2) & (count <= 6) & (transitions == 1) & side
            if delete.any():
                img[delete] = 0
                changed = True
        if not changed:
            return img.astype(bool)


def is_redundant(skel: np.ndarray, r: int, c: int) -> bool:
    """True if removing skeleton pixel (r, c) keeps it 1-px thin without cutting or merging anything.

    A simple point (Yokoi connectivity number 1) that is not an end point and has two
    orthogonal neighbours at a corner, as Zhang-Suen leaves on diagonal staircases.
    """
    h, w = skel.shape
    x = [int(0 <= r + dr < h and 0 <= c + dc < w and skel[r + dr, c + dc]) for dr, dc in RING]
    if sum(x) < 2 or not any(x[k] and x[(k + 2) % 8] for k in (0, 2, 4, 6)):
        return False
    y = [1 - v for v in x]
    return sum(y[k] - y[k] * y[(k + 1) % 8] * y[(k + 2) % 8] for k in (0, 2, 4, 6)) == 1


def skeletonize(img: np.ndarray) -> tuple[np.ndarray, float]:
    """MNIST digit (28, 28) uint8 -> (skeleton (112, 112) bool, stroke thickness in skeleton px, at most 4 MNIST px)."""
    mask = ink_mask(img)
    skel = zhang_suen(mask)
    for r, c in zip(*np.nonzero(skel), strict=True):
        if is_redundant(skel, r, c):
            skel[r, c] = False
    return skel, min(mask.sum() / max(1, skel.sum()), 4.0 * UPSAMPLE)
