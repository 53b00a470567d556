"""The independent drawing generator (train/hands.py): its own method, real pointers, and the digit's shape."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

from tests.bench import drawings as bench_drawings
from tests.support import drawings as support_drawings
from train import data, hands
from train.drawing import preprocess_drawing, render

TRACER = {"train.skeleton", "train.tracing", "train.redrawn", "train.augment", "train.sketches"}


@pytest.fixture(scope="module")
def mnist():
    return data.load("mnist")


def test_the_independent_generator_shares_no_code_with_the_training_tracer():
    tree = ast.parse(Path(hands.__file__).read_text())
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert not imported & TRACER
    assert imported <= {"__future__", "dataclasses", "numpy"}


def test_guo_hall_thins_a_bar_to_its_centre_line():
    bar = np.zeros((12, 30), bool)
    bar[4:9, 3:27] = True
    line = hands.guo_hall(bar)
    assert line.sum() > 15 and (line.sum(axis=0) <= 1).all(), "one pixel wide"
    assert set(np.nonzero(line)[0]) <= {5, 6, 7}, "on the middle rows"


def test_hand_drawings_follow_the_digit_and_are_deterministic(mnist):
    overlap = []
    for i in range(0, 10000, 700):
        a = hands.hand_drawing(mnist.x_test[i], np.random.default_rng(i))
        assert a == hands.hand_drawing(mnist.x_test[i], np.random.default_rng(i))
        points = np.vstack([np.array(s) for s in a["strokes"]])
        assert points.min() >= 0 and points.max() <= 1
        drawn = preprocess_drawing(render(a["strokes"], side=a["side"]))
        assert drawn is not None and drawn.shape == (28, 28)
        overlap.append(np.corrcoef(drawn.ravel(), mnist.x_test[i].ravel().astype(float))[0, 1])
    # Slants, squashes and a pen of its own keep a drawing recognisably the same digit, not the same pixels.
    assert np.median(overlap) > 0.5


def test_pointers_sample_strokes_at_their_own_rates_and_pads(mnist):
    drawings = [hands.hand_drawing(mnist.x_test[i], np.random.default_rng(i)) for i in range(60)]
    devices = {d["device"] for d in drawings}
    assert devices == {"mouse", "pen", "finger"}
    for d in drawings:
        device = next(x for x in hands.DEVICES if x.name == d["device"])
        assert device.rate_hz[0] <= d["rate_hz"] <= device.rate_hz[1] + 1
        assert d["side"] == round(d["pad_css"] * d["ratio"])
        if device.name == "mouse":
            # A mouse reports whole CSS pixels.
            css = np.vstack([np.array(s) for s in d["strokes"]]) * d["pad_css"]
            assert np.allclose(css, np.round(css), atol=0.03)
    # A slower pointer gives fewer points for the same length of stroke.
    slow = [len(np.vstack(d["strokes"])) / d["duration_ms"] for d in drawings if d["device"] == "finger"]
    fast = [len(np.vstack(d["strokes"])) / d["duration_ms"] for d in drawings if d["device"] == "pen"]
    assert np.median(slow) < np.median(fast)
    assert {f for d in drawings for f in d["faults"]} >= {"overshoot", "slant", "squash", "small-corner"}


def test_committed_independent_drawings_are_what_the_command_writes():
    committed = support_drawings.load_independent()
    traced, _ = support_drawings.load()
    assert len(committed) == 10 * bench_drawings.PER_CLASS
    # The same test digits as the tracer's benchmark: the two generators compare on equal terms.
    assert [(d["label"], d["source_index"]) for d in committed] == [(d["label"], d["source_index"]) for d in traced]
    fresh = bench_drawings.independent_digits(per_class=1)
    assert fresh[0] == committed[0]
