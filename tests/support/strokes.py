"""Hand-written pen strokes for the digits 0-9, and ways to vary them.

Each digit is a list of strokes; a stroke is a list of (x, y) points in a unit
box (y grows downwards), the way a person would draw it with a mouse.
"""

from __future__ import annotations

import math

Point = tuple[float, float]
Stroke = list[Point]


def arc(cx: float, cy: float, rx: float, ry: float, start: float, end: float, n: int = 24) -> Stroke:
    """Points on an ellipse from angle ``start`` to ``end`` (radians, y down)."""
    return [
        (cx + rx * math.cos(start + (end - start) * i / n), cy + ry * math.sin(start + (end - start) * i / n))
        for i in range(n + 1)
    ]


def figure_eight(n: int = 48) -> Stroke:
    return [
        (0.5 + 0.24 * math.sin(2 * t), 0.5 - 0.4 * math.cos(t)) for t in (2 * math.pi * i / n for i in range(n + 1))
    ]


DIGITS: dict[int, list[list[Stroke]]] = {
    0: [
        [arc(0.5, 0.5, 0.28, 0.42, -math.pi / 2, 1.5 * math.pi + 0.2)],
        [arc(0.5, 0.5, 0.2, 0.42, -math.pi / 2 - 0.3, 1.5 * math.pi)],
    ],
    1: [
        [[(0.5, 0.08), (0.5, 0.92)]],
        [[(0.32, 0.28), (0.56, 0.08), (0.56, 0.92)]],
    ],
    2: [
        [arc(0.5, 0.32, 0.28, 0.22, math.pi + 0.3, 2.2 * math.pi, 12) + [(0.2, 0.9), (0.82, 0.9)]],
        [[(0.22, 0.25), (0.4, 0.1), (0.62, 0.1), (0.76, 0.26), (0.7, 0.45), (0.22, 0.88), (0.8, 0.86)]],
    ],
    3: [
        [
            arc(0.48, 0.3, 0.26, 0.2, math.pi + 0.4, 2.5 * math.pi, 14)
            + arc(0.48, 0.7, 0.3, 0.22, -0.5 * math.pi, 0.9 * math.pi, 14)
        ],
        [[(0.22, 0.12), (0.75, 0.12), (0.45, 0.45), (0.7, 0.55), (0.78, 0.75), (0.6, 0.9), (0.25, 0.88)]],
    ],
    4: [
        [[(0.6, 0.08), (0.18, 0.62), (0.85, 0.62)], [(0.64, 0.35), (0.64, 0.95)]],
        [[(0.25, 0.08), (0.22, 0.55), (0.8, 0.55)], [(0.7, 0.08), (0.7, 0.95)]],
    ],
    5: [
        [
            [(0.3, 0.1), (0.26, 0.45)] + arc(0.48, 0.65, 0.28, 0.25, -0.75 * math.pi, 0.75 * math.pi, 16),
            [(0.3, 0.1), (0.78, 0.1)],
        ],
        [[(0.78, 0.1), (0.3, 0.1), (0.26, 0.45), (0.55, 0.4), (0.75, 0.55), (0.75, 0.75), (0.55, 0.9), (0.22, 0.86)]],
    ],
    6: [
        [[(0.7, 0.08), (0.45, 0.25), (0.3, 0.5)] + arc(0.5, 0.7, 0.22, 0.2, math.pi, 3 * math.pi, 20)],
        [[(0.65, 0.05), (0.35, 0.35)] + arc(0.5, 0.68, 0.25, 0.24, 1.2 * math.pi, 3.1 * math.pi, 20)],
    ],
    7: [
        [[(0.18, 0.12), (0.82, 0.12), (0.4, 0.92)]],
        [[(0.2, 0.15), (0.8, 0.12), (0.5, 0.92)], [(0.4, 0.52), (0.75, 0.52)]],
    ],
    8: [
        [figure_eight()],
        [
            arc(0.5, 0.28, 0.2, 0.19, 0.5 * math.pi, 2.5 * math.pi, 20),
            arc(0.5, 0.7, 0.26, 0.22, -0.5 * math.pi, 1.5 * math.pi, 20),
        ],
    ],
    9: [
        [arc(0.5, 0.3, 0.24, 0.22, 0, -2 * math.pi, 20) + [(0.72, 0.92)]],
        [arc(0.48, 0.3, 0.22, 0.2, 0.2, -2 * math.pi, 20) + [(0.7, 0.35), (0.6, 0.94)]],
    ],
}

# (size as a fraction of the pad, centre x, centre y, slant): varied on purpose.
PLACEMENTS = [
    (0.7, 0.5, 0.5, 0.0),
    (0.5, 0.4, 0.42, 0.1),
    (0.8, 0.52, 0.5, -0.08),
    (0.45, 0.62, 0.6, 0.0),
    (0.6, 0.45, 0.55, 0.15),
]


def place(strokes: list[Stroke], size: float, cx: float, cy: float, slant: float) -> list[Stroke]:
    """Scale a unit-box drawing to ``size`` of the pad, centred at (cx, cy), slanted."""
    return [
        [(cx + (x - 0.5) * size * 0.8 + (0.5 - y) * slant * size, cy + (y - 0.5) * size) for x, y in s] for s in strokes
    ]


def drawing_set() -> list[tuple[int, list[Stroke]]]:
    """30 drawings: every digit in two styles and three placements."""
    out = []
    for digit, styles in DIGITS.items():
        for k in range(3):
            style = styles[k % len(styles)]
            out.append((digit, place(style, *PLACEMENTS[(digit + k) % len(PLACEMENTS)])))
    return out


# Clear non-digits, drawn the way a reader would try the widget: letters, a star, a house, a scribble.
NON_DIGITS: dict[str, list[Stroke]] = {
    "A": [[(0.2, 0.9), (0.5, 0.1), (0.8, 0.9)], [(0.33, 0.58), (0.67, 0.58)]],
    "H": [[(0.25, 0.1), (0.25, 0.9)], [(0.75, 0.1), (0.75, 0.9)], [(0.25, 0.5), (0.75, 0.5)]],
    "star": [[(0.5, 0.08), (0.26, 0.88), (0.9, 0.38), (0.1, 0.38), (0.74, 0.88), (0.5, 0.08)]],
    "house": [
        [(0.2, 0.45), (0.2, 0.9), (0.8, 0.9), (0.8, 0.45), (0.2, 0.45)],
        [(0.15, 0.5), (0.5, 0.12), (0.85, 0.5)],
    ],
    "hatching": [[(0.15 + 0.14 * i, 0.15), (0.15 + 0.14 * i, 0.85)] for i in range(6)]
    + [[(0.12, 0.2 + 0.15 * i), (0.88, 0.2 + 0.15 * i)] for i in range(5)],
}
