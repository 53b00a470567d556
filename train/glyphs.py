"""Letters and symbols as pen strokes, from single-line fonts: the Hershey fonts and the EMS fonts.

The fonts come from the npm package ``hersheytext`` 2.0.0 (MIT; the Hershey data
is public domain, the EMS fonts SIL OFL), a dev dependency installed by
``npm ci``; only the training pipeline and the drawing benchmark read them, the
site never ships them. Glyphs that are, or could pass for, digits are excluded
by name, with the reason.

A glyph is a list of strokes, each an (n, 2) float array of (x, y), y down, in font units.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import numpy as np

Drawing = list[np.ndarray]
HERSHEY = Path(__file__).resolve().parent.parent / "node_modules" / "hersheytext"

# Characters left out of every set, with the reason (report.md lists them too).
EXCLUDED = {
    "OoQ": "0: a closed round loop (Q: with the small tail many written zeros have)",
    "Il|i!/\\()[]{}": "1: a single bar, straight, slanted or bent; i and ! only add a dot",
    "Zz": "2",
    "Ss": "5",
    "bG": "6",
    "B": "8",
    "gq": "9",
    ".,:;'`\"": "tiny marks: alone on the pad a dot or tick; scaled to 20 px, a comma or an apostrophe is a 9 or a 6",
    "_": "the same bar as '-'",
}
EXCLUDED_CHARS = set("".join(EXCLUDED))
EXCLUDED_BY_FONT = {"scripts": {"f": "two stacked loops: an 8", "J": "a looped bar: a 1"}}
LETTERS = [c for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" if c not in EXCLUDED_CHARS]
SYMBOLS = [c for c in "#$%&*+<=>?@^~-" if c not in EXCLUDED_CHARS]


def parse_path(d: str, flip: bool = False, samples: int = 8) -> Drawing:
    """SVG path data with M, L, C and Z commands -> strokes (n, 2); ``flip`` turns y up into y down."""
    strokes: list[list[np.ndarray]] = []
    tokens = re.findall(r"[MLCZmlcz]|-?\d*\.?\d+(?:e-?\d+)?", d)
    cmd, i = "M", 0
    while i < len(tokens):
        if tokens[i].isalpha():
            cmd = tokens[i].upper()
            i += 1
            if cmd == "Z" and strokes and len(strokes[-1]):
                strokes[-1].append(strokes[-1][0])
            continue
        n = 6 if cmd == "C" else 2
        nums = np.array(tokens[i : i + n], float).reshape(-1, 2)
        i += n
        if cmd == "M":
            strokes.append([nums[0]])
            cmd = "L"  # further pairs after M are lines
        elif cmd == "L":
            strokes[-1].append(nums[0])
        else:
            p0, (p1, p2, p3) = strokes[-1][-1], nums
            for t in np.linspace(0, 1, samples + 1)[1:]:
                strokes[-1].append((1 - t) ** 3 * p0 + 3 * (1 - t) ** 2 * t * p1 + 3 * (1 - t) * t**2 * p2 + t**3 * p3)
    out = [np.array(s) for s in strokes if len(s)]
    return [s * [1, -1] for s in out] if flip else out


def hershey_font(name: str, root: Path = HERSHEY) -> dict[str, Drawing]:
    """Glyphs of a Hershey font of hersheytext.json: {character: strokes (y down, font units)}.

    ``chars[i]`` is the glyph of ``chr(33 + i)`` (as in the package's getChar); the last one, DEL, is skipped.
    """
    chars = json.loads((root / "hersheytext.json").read_text())[name]["chars"]
    return {chr(33 + i): parse_path(c["d"]) for i, c in enumerate(chars[:94]) if c["d"].strip()}


def svg_font(file: str, root: Path = HERSHEY) -> dict[str, Drawing]:
    """Glyphs of an EMS single-line SVG font (svg_fonts/<file>): {character: strokes (y down, font units)}."""
    text = (root / "svg_fonts" / file).read_text()
    glyphs = {}
    for attrs in re.findall(r"<glyph\s([^>]*)/>", text):
        uni, d = re.search(r'unicode="([^"]*)"', attrs), re.search(r'\sd="([^"]*)"', attrs)
        if uni and d and len(html.unescape(uni.group(1))) == 1:
            glyphs[html.unescape(uni.group(1))] = parse_path(d.group(1), flip=True)
    return glyphs
