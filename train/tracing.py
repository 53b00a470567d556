"""Redraw a handwritten digit as pen strokes, the way a person would copy it with a mouse.

The skeleton of the digit (``train.skeleton``) becomes a graph of end points,
junctions and the paths between them; short spurs are pruned, and at each
junction the branches that continue most straight are joined into one stroke.
The strokes are smoothed, simplified (Ramer-Douglas-Peucker) and placed on the
pad at a random size and position, because people draw big, small and
off-centre. The drawing benchmark uses this on MNIST test digits, which no model
trains on; training uses it only on validation digits, to choose thresholds.
"""

from __future__ import annotations

import numpy as np

from train.config import DRAWING_RECIPES
from train.skeleton import RING, UPSAMPLE, skeletonize

Polyline = np.ndarray  # (n, 2) float64 (x, y)
Edge = tuple[int, int, np.ndarray]  # (start node, end node, path (n, 2) float (row, col))


def trace_graph(skel: np.ndarray) -> tuple[list[np.ndarray], list[Edge]]:
    """Skeleton (h, w) bool -> nodes (list of (2,) float (row, col)) and edges (u, v, path (k, 2) float).

    Nodes are end points and junctions (pixels with 1 or >= 3 neighbours; touching
    junction pixels form one node at their centroid). A closed loop without nodes gets one.
    """
    pixels = set(zip(*np.nonzero(skel), strict=True))
    nbrs = {p: [(p[0] + dr, p[1] + dc) for dr, dc in RING if (p[0] + dr, p[1] + dc) in pixels] for p in pixels}
    special = sorted(p for p in pixels if len(nbrs[p]) != 2)
    node_of: dict[tuple[int, int], int] = {}
    nodes: list[np.ndarray] = []
    for p in special:
        if p in node_of:
            continue
        cluster, queue = [], [p]
        node_of[p] = len(nodes)
        while queue:
            q = queue.pop()
            cluster.append(q)
            for s in nbrs[q]:
                if s not in node_of and len(nbrs[s]) != 2:
                    node_of[s] = len(nodes)
                    queue.append(s)
        nodes.append(np.mean(cluster, axis=0))
    edges: list[Edge] = []
    walked: set[tuple[tuple[int, int], tuple[int, int]]] = set()

    def walk(prev: tuple[int, int], cur: tuple[int, int]) -> list[tuple[int, int]]:
        path = [prev, cur]
        walked.update({(prev, cur), (cur, prev)})
        while cur not in node_of and len(path) <= len(pixels):
            nxt = next((q for q in nbrs[cur] if q != prev and (cur, q) not in walked), None)
            if nxt is None:
                break
            walked.update({(cur, nxt), (nxt, cur)})
            path.append(nxt)
            prev, cur = cur, nxt
        return path

    for p in special:
        for q in nbrs[p]:
            if (p, q) in walked or node_of.get(q) == node_of[p]:
                continue
            path = walk(p, q)
            u, v = node_of[p], node_of.get(path[-1], node_of[p])
            edges.append((u, v, np.vstack([nodes[u], np.array(path[1:-1], float), nodes[v]])))
    for p in sorted(pixels - set(node_of)):
        if any((p, q) in walked for q in nbrs[p]):
            continue
        node_of[p] = len(nodes)
        nodes.append(np.array(p, float))
        edges.append((node_of[p], node_of[p], np.array(walk(p, nbrs[p][0]) + [p], float)))
    return nodes, edges


def length(path: np.ndarray) -> float:
    """Arc length of a path (k, 2)."""
    return float(np.hypot(*np.diff(path, axis=0).T).sum())


def degrees(edges: list[Edge], n: int) -> np.ndarray:
    """(n,) int: edge ends at each node (a loop counts twice)."""
    deg = np.zeros(n, int)
    for u, v, _ in edges:
        deg[u] += 1
        deg[v] += 1
    return deg


def merge_chains(edges: list[Edge], n: int) -> list[Edge]:
    """Join the two edges meeting at every node of degree 2, so that nodes are only ends and junctions."""
    edges = list(edges)
    while True:
        deg = degrees(edges, n)
        for node in np.nonzero(deg == 2)[0]:
            pair = [i for i, (u, v, _) in enumerate(edges) if node in (u, v)]
            if len(pair) == 2:
                break
        else:
            return edges
        (u1, v1, p1), (u2, v2, p2) = edges[pair[0]], edges[pair[1]]
        if v1 != node:
            u1, v1, p1 = v1, u1, p1[::-1]
        if u2 != node:
            u2, v2, p2 = v2, u2, p2[::-1]
        edges = [e for i, e in enumerate(edges) if i not in pair] + [(u1, v2, np.vstack([p1, p2[1:]]))]


def prune(edges: list[Edge], n: int, min_spur: float, min_piece: float) -> list[Edge]:
    """Remove spurs (an end point to a junction) shorter than ``min_spur``, shortest first, one at a time,
    and isolated pieces or small loops shorter than ``min_piece``."""
    edges = merge_chains(edges, n)
    while True:
        deg = degrees(edges, n)
        spurs = [(length(p), i) for i, (u, v, p) in enumerate(edges) if min(deg[u], deg[v]) == 1 < max(deg[u], deg[v])]
        spurs = [s for s in spurs if s[0] < min_spur]
        if not spurs:
            break
        edges = merge_chains([e for i, e in enumerate(edges) if i != min(spurs)[1]], n)
    deg = degrees(edges, n)
    longest = max((length(p) for _, _, p in edges), default=0.0)
    small = [((deg[u] == 1 and deg[v] == 1) or u == v) and length(p) < min(min_piece, longest) for u, v, p in edges]
    return merge_chains([e for e, drop in zip(edges, small, strict=True) if not drop], n)


def end_direction(path: np.ndarray, reach: float) -> np.ndarray:
    """Unit vector (2,) from path[0] towards the point ``reach`` px along the path (or its far end)."""
    arc = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(path, axis=0).T))])
    d = path[min(int(np.searchsorted(arc, reach)), len(path) - 1)] - path[0]
    return d / max(float(np.hypot(*d)), 1e-9)


def pair_ends(edges: list[Edge], n: int, reach: float, max_turn: float = np.radians(100)) -> dict:
    """At each junction, pair the edge ends whose directions continue most straight (turn < ``max_turn``).

    Returns {(edge, end): (edge, end)} both ways; end 0 is the path start, 1 its end.
    """
    at: dict[int, list[tuple[int, int]]] = {}
    for i, (u, v, _) in enumerate(edges):
        at.setdefault(u, []).append((i, 0))
        at.setdefault(v, []).append((i, 1))
    pairs: dict[tuple[int, int], tuple[int, int]] = {}
    for ends in at.values():
        if len(ends) < 3:
            continue
        dirs = [end_direction(edges[i][2] if e == 0 else edges[i][2][::-1], reach) for i, e in ends]
        scores = sorted((float(dirs[a] @ dirs[b]), a, b) for a in range(len(ends)) for b in range(a + 1, len(ends)))
        for score, a, b in scores:
            if score < -np.cos(max_turn) and ends[a] not in pairs and ends[b] not in pairs and ends[a][0] != ends[b][0]:
                pairs[ends[a]], pairs[ends[b]] = ends[b], ends[a]
    return pairs


def trails(edges: list[Edge], pairs: dict) -> list[np.ndarray]:
    """Chain edges through paired ends into pen strokes: a list of paths (k, 2) (row, col)."""
    used: set[int] = set()
    out = []

    def follow(i: int, start_end: int) -> np.ndarray:
        parts = []
        while i not in used:
            used.add(i)
            path = edges[i][2]
            parts.append(path if start_end == 0 else path[::-1])
            nxt = pairs.get((i, 1 - start_end))
            if nxt is None:
                break
            i, start_end = nxt
        return np.vstack([parts[0]] + [p[1:] for p in parts[1:]])

    starts = [(i, e) for i in range(len(edges)) for e in (0, 1) if (i, e) not in pairs]
    for i, e in starts:
        if i not in used:
            out.append(follow(i, e))
    for i in range(len(edges)):
        if i not in used:
            out.append(follow(i, 0))
    return out


def smooth(path: np.ndarray, window: int = 5) -> np.ndarray:
    """Moving average of a path (k, 2); open paths keep their end points, closed ones wrap around."""
    if len(path) < 3:
        return path
    closed = np.allclose(path[0], path[-1])
    half = min(window // 2, (len(path) - 1) // 2)
    kernel = np.ones(2 * half + 1) / (2 * half + 1)
    body = path[:-1] if closed else path
    padded = (
        np.concatenate([body[-half:], body, body[:half]])
        if closed
        else np.pad(body, ((half, half), (0, 0)), mode="reflect", reflect_type="odd")
    )
    out = np.stack([np.convolve(padded[:, k], kernel, mode="valid") for k in (0, 1)], axis=1)
    if closed:
        return np.vstack([out, out[:1]])
    out[0], out[-1] = path[0], path[-1]
    return out


def rdp(path: np.ndarray, eps: float) -> np.ndarray:
    """Ramer-Douglas-Peucker simplification of a path (k, 2): drop points within ``eps`` of the chord."""
    keep = np.zeros(len(path), bool)
    keep[[0, -1]] = True
    stack = [(0, len(path) - 1)]
    while stack:
        a, b = stack.pop()
        if b - a < 2:
            continue
        chord = path[b] - path[a]
        rel = path[a + 1 : b] - path[a]
        norm = float(np.hypot(*chord))
        dist = np.abs(chord[0] * rel[:, 1] - chord[1] * rel[:, 0]) / norm if norm > 0 else np.hypot(*rel.T)
        k = int(np.argmax(dist))
        if dist[k] > eps:
            keep[a + 1 + k] = True
            stack += [(a, a + 1 + k), (a + 1 + k, b)]
    return path[keep]


def digit_polylines(img: np.ndarray) -> list[Polyline]:
    """MNIST digit (28, 28) uint8 -> pen strokes as polylines (k, 2) of (x, y) in MNIST pixel units."""
    skel, thickness = skeletonize(img)
    nodes, edges = trace_graph(skel)
    edges = prune(edges, len(nodes), min_spur=0.7 * thickness, min_piece=1.5 * thickness)
    strokes = trails(edges, pair_ends(edges, len(nodes), reach=1.5 * thickness))
    out = []
    for path in strokes:
        if not np.allclose(path[0], path[-1]) and (path[-1][0], path[-1][1]) < (path[0][0], path[0][1]):
            path = path[::-1]  # start at the top, as people do
        out.append(rdp(smooth(path), eps=0.5)[:, ::-1] / UPSAMPLE + 0.5 / UPSAMPLE)
    return sorted(out, key=lambda p: (p[0, 1], p[0, 0]))


def place(
    polylines: list[Polyline],
    rng: np.random.Generator,
    size: tuple[float, float] = (0.35, 0.85),
    stroke_width: float = float(DRAWING_RECIPES["mnist"]["stroke_width"]),
) -> list[Polyline]:
    """Scale polylines so the longer side spans U(size) of the pad, at a random position fully on the pad."""
    pts = np.vstack(polylines)
    lo, hi = pts.min(0), pts.max(0)
    scale = rng.uniform(*size) / max(float((hi - lo).max()), 1e-9)
    extent = (hi - lo) * scale
    margin = stroke_width / 2 + 0.01
    corner = np.array([rng.uniform(margin, max(margin, 1 - margin - e)) for e in extent])
    return [(p - lo) * scale + corner for p in polylines]


def redraw(img: np.ndarray, rng: np.random.Generator) -> list[list[list[float]]]:
    """MNIST digit (28, 28) uint8 -> strokes on the pad: a list of strokes of [x, y] in 0..1, 4 decimals."""
    return [np.round(p, 4).tolist() for p in place(digit_polylines(img), rng)]
