"""Drawings that are not digits: the held-out benchmark set, and negatives to train a detector on.

Two generators, kept strictly apart so that the benchmark stays held out:

* ``benchmark()``: a fixed set (seed 7) of letters and symbols from the Hershey
  fonts "futural" (sans) and "scripts" (script), the shapes readers commonly
  draw (stars, hearts, houses, spirals, ...) and scribbles, each drawn by the
  same kind of hand as the benchmark's digits;
* ``training_negatives()``: random drawings from other sources only: nine EMS
  single-line fonts, two serif Hershey fonts, Greek letters and symbol glyphs,
  other shape and scribble families, short "words", with random pen widths,
  rendered and preprocessed like the widget's drawings.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from train.drawing import MNIST_RECIPE, preprocess_drawing, render
from train.glyphs import EXCLUDED_BY_FONT, LETTERS, SYMBOLS, Drawing, hershey_font, svg_font
from train.metadata_types import DrawingRecipe
from train.sketches import (
    BENCHMARK_SCRIBBLES,
    BENCHMARK_SHAPES,
    TRAINING_SCRIBBLES,
    TRAINING_SHAPES,
    complexity,
    hand,
    normalize,
    place,
    to_json,
)

BENCHMARK_FONTS = ("futural", "scripts")


def benchmark(seed: int = 7, variants: int = 2, shapes: int = 4, scribbles: int = 20) -> list[dict]:
    """The held-out non-digit set: letters and symbols of the benchmark fonts (``variants`` drawings each),
    ``shapes`` drawings of each shape family and ``scribbles`` of each scribble family.

    Returns a list of {"kind", "name", "strokes"} with strokes in pad units (4 decimals), as in non-digits.json.
    """
    rng = np.random.default_rng(seed)
    items: list[tuple[str, str, Drawing]] = []
    for font in BENCHMARK_FONTS:
        glyphs = hershey_font(font)
        skip = EXCLUDED_BY_FONT.get(font, {})
        for kind, chars in (("letter", LETTERS), ("symbol", SYMBOLS)):
            items += [(kind, f"{font}:{c}", glyphs[c]) for c in chars if c in glyphs and c not in skip] * variants
    items += [("shape", name, f(rng)) for name, f in BENCHMARK_SHAPES.items() for _ in range(shapes)]
    items += [("scribble", name, f(rng)) for name, f in BENCHMARK_SCRIBBLES.items() for _ in range(scribbles)]
    sizes = {"letter": (0.35, 0.85), "symbol": (0.35, 0.85), "shape": (0.45, 0.9), "scribble": (0.5, 0.9)}
    return [
        {"kind": kind, "name": name, "strokes": to_json(place(hand(normalize(s), rng), rng, sizes[kind]))}
        for kind, name, s in items
    ]


TRAINING_SVG_FONTS = (
    "EMSAllure.svg",
    "EMSElfin.svg",
    "EMSFelix.svg",
    "EMSNixish.svg",
    "EMSNixishItalic.svg",
    "EMSOsmotron.svg",
    "EMSReadability.svg",
    "EMSReadabilityItalic.svg",
    "EMSTech.svg",
)
TRAINING_HERSHEY_FONTS = ("timesr", "timesi")
# Hershey symbol fonts: the keys of the glyphs used, chosen by eye: no circles (a circle with a cross or an arrow is
# a 9, 6 or 0), crescents, bars, arcs, digits, Latin letters, nor the 4-like Saturn, Jupiter and comet signs.
TRAINING_SYMBOL_KEYS = {
    "greek": "DGLPUWXYacehklmnptuwy",  # Greek letters that are neither Latin look-alikes nor digit-like
    "markers": "BCDEFGHIKLMNOP",  # square, triangle, diamond, outline star, crosses, filled shapes
    "symbolic": "89<>?@ACEFGIJKLMNOQRSTUVWXYZ[]^`abcdefghjkmnopxyz{|~",
    "astrology": "!./:=>?@]_`{|}~",
    "meteorology": "\"#$&'()*`|",
}


def training_glyphs() -> dict[str, list[tuple[str, Drawing]]]:
    """Glyph pools of the training sources: {"letter" | "symbol": [(name, strokes), ...]}."""
    fonts = {f: svg_font(f) for f in TRAINING_SVG_FONTS} | {f: hershey_font(f) for f in TRAINING_HERSHEY_FONTS}
    pools: dict[str, list[tuple[str, Drawing]]] = {"letter": [], "symbol": []}
    for font, glyphs in fonts.items():
        pools["letter"] += [(f"{font}:{c}", glyphs[c]) for c in LETTERS if c in glyphs]
        pools["symbol"] += [(f"{font}:{c}", glyphs[c]) for c in SYMBOLS if c in glyphs]
    for font, keys in TRAINING_SYMBOL_KEYS.items():
        glyphs = hershey_font(font)
        pools["letter" if font == "greek" else "symbol"] += [(f"{font}:{c}", glyphs[c]) for c in keys if c in glyphs]
    return pools


def word(pool: list[tuple[str, Drawing]], rng: np.random.Generator) -> tuple[str, Drawing]:
    """Two or three letters of one font side by side, like a short word written on the pad."""
    font = pool[rng.integers(len(pool))][0].split(":")[0]
    letters = [(n, s) for n, s in pool if n.startswith(font + ":")]
    picks = [letters[i] for i in rng.integers(len(letters), size=rng.integers(2, 4))]
    gap = 0.15 * (np.ptp(np.vstack(picks[0][1]), 0)[1] or 1.0)
    out, x = [], 0.0
    for _, strokes in picks:
        pts = np.vstack(strokes)
        out += [s - [pts[:, 0].min() - x, 0] for s in strokes]
        x += np.ptp(pts[:, 0]) + gap
    return font + ":" + "".join(n.split(":")[1] for n, _ in picks), out


TRAINING_SIZES = {
    "letter": (0.3, 0.9),
    "word": (0.5, 0.95),
    "symbol": (0.3, 0.9),
    "shape": (0.4, 0.9),
    "scribble": (0.45, 0.9),
}
KIND_WEIGHTS = {"letter": 0.35, "word": 0.1, "symbol": 0.2, "shape": 0.15, "scribble": 0.2}


def training_drawings(n: int, seed: int = 1, pools: dict | None = None) -> Iterator[tuple[str, str, Drawing]]:
    """Yield ``n`` random (kind, name, strokes in pad units) from the training sources only."""
    rng = np.random.default_rng(seed)
    pools = pools or training_glyphs()
    kinds = list(KIND_WEIGHTS)
    for _ in range(n):
        kind = kinds[rng.choice(len(kinds), p=list(KIND_WEIGHTS.values()))]
        if kind in ("letter", "symbol"):
            name, strokes = pools[kind][rng.integers(len(pools[kind]))]
        elif kind == "word":
            name, strokes = word(pools["letter"], rng)
        else:
            family = TRAINING_SHAPES if kind == "shape" else TRAINING_SCRIBBLES
            f = family[rng.integers(len(family))]
            strokes = f(rng)
            while kind == "scribble" and complexity(strokes) < 3:  # nothing as plain as a bar or an arc
                strokes = f(rng)
            name = f.__name__
        drawn = hand(normalize(strokes), rng, wobble=rng.uniform(0, 0.03), tilt=10, shear=0.2, aspect=0.15)
        yield kind, name, place(drawn, rng, TRAINING_SIZES[kind])


def training_negatives(
    n: int,
    seed: int = 1,
    side: int = 112,
    widths: tuple[float, float] = (0.05, 0.11),
    recipe: DrawingRecipe = MNIST_RECIPE,
) -> tuple[np.ndarray, list[str]]:
    """``n`` non-digit images for training a "not a digit" detector, through the browser's pipeline.

    Each drawing is rendered on a ``side`` px pad with a random pen width (fraction of the
    side, uniform in ``widths``) and preprocessed like a drawing in the browser.

    Returns:
        images (n, 28, 28) float32 0..255 (white on black, like preprocess_drawing) and their
        names ("kind/source").
    """
    rng = np.random.default_rng(seed + 1)
    images, names = [], []
    for kind, name, strokes in training_drawings(n * 2, seed):
        img = preprocess_drawing(render(strokes, side, rng.uniform(*widths)), recipe)
        if img is not None:
            images.append(img)
            names.append(f"{kind}/{name}")
        if len(images) == n:
            break
    return np.stack(images), names
