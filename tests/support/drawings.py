"""The drawing benchmark's committed drawings (written by ``python -m tests.bench.drawings``), and a style of them."""

from __future__ import annotations

import json
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "bench" / "data"
DIGITS_FILE = DATA / "drawn-digits.json"
NON_DIGITS_FILE = DATA / "non-digits.json"
INDEPENDENT_FILE = DATA / "independent-digits.json"


def load() -> tuple[list[dict], list[dict]]:
    """(digits, non-digits): {"label", "source_index", "strokes"} and {"kind", "name", "strokes"} records."""
    return json.loads(DIGITS_FILE.read_text()), json.loads(NON_DIGITS_FILE.read_text())


def load_independent() -> list[dict]:
    """The same test digits drawn by the independent generator (train/hands.py): {"label", "source_index",
    "strokes", "side", ...} records; "side" is the canvas' side in device pixels it was drawn on."""
    return json.loads(INDEPENDENT_FILE.read_text())


def mirrored(drawing: dict) -> list:
    """A drawing's strokes flipped left to right: the unusual style the fine-tuning tests teach."""
    return [[(round(1 - x, 4), y) for x, y in stroke] for stroke in drawing["strokes"]]
