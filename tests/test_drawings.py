"""Drawings made in Python: the browser's rendering and recipe, the tracer, the non-digit generators, augmentation."""

from __future__ import annotations

import json
import shutil
import subprocess

import numpy as np
import pytest
import tensorflow as tf

from tests.bench import drawings as bench_drawings
from tests.support import drawings as support_drawings
from tests.support.site import ROOT
from train import data, glyphs, negatives, sketches
from train.augment import augment, renormalize
from train.config import DRAWING_RECIPES, Augmentation
from train.drawing import MNIST_RECIPE, draw, preprocess_drawing, render
from train.sketches import resample
from train.tracing import digit_polylines, redraw


@pytest.fixture(scope="module")
def mnist():
    return data.load("mnist")


def test_mass_center_is_where_mnist_puts_the_centre_of_mass(mnist):
    x = mnist.x_train.astype(np.float64)
    mass = x.sum(axis=(1, 2))
    cx = (x.sum(axis=1) * (np.arange(28) + 0.5)).sum(axis=1) / mass
    cy = (x.sum(axis=2) * (np.arange(28) + 0.5)).sum(axis=1) / mass
    assert abs(cx.mean() - MNIST_RECIPE["mass_center"]) < 0.02 and abs(cy.mean() - MNIST_RECIPE["mass_center"]) < 0.02
    # A whole-pixel shift to 14.5 spreads the centres evenly over [14, 15): std 1/sqrt(12).
    assert cx.std() == pytest.approx(12**-0.5, abs=0.01)


def test_upscaled_mnist_digits_come_back_unchanged(mnist):
    for image in mnist.x_test[:50]:
        back = preprocess_drawing(np.kron(image, np.ones((10, 10), np.uint8)).astype(np.float64))
        assert np.abs(back - image).mean() < 2.0


PREPROCESS_JS = """
import { preprocessDrawing } from '%s';
const cases = JSON.parse(await new Promise((r) => { let s = ''; process.stdin.on('data', (d) => { s += d; }).on('end', () => r(s)); }));
const out = cases.map(({ ink, side, recipe }) => { const p = preprocessDrawing(ink, side, side, recipe, 28).pixels; return p && Array.from(p); });
console.log(JSON.stringify(out));
"""


def test_python_recipe_is_the_browsers_bit_for_bit(tmp_path):
    node = shutil.which("node")
    assert node, "node is needed"
    rng = np.random.default_rng(0)
    cases, expected = [], []
    for k in range(12):
        strokes = [rng.uniform(0.1, 0.9, (rng.integers(2, 8), 2)) for _ in range(rng.integers(1, 4))]
        side = int(rng.choice([112, 200, 280]))
        ink = render(strokes, side, float(rng.uniform(0.04, 0.1)))
        recipe = DRAWING_RECIPES["mnist" if k % 2 else "fashion-mnist"]
        cases.append({"ink": ink.ravel().tolist(), "side": side, "recipe": recipe})
        out = preprocess_drawing(ink, recipe)
        expected.append(None if out is None else out.ravel().tolist())
    script = tmp_path / "preprocess.mjs"
    script.write_text(PREPROCESS_JS % (ROOT / "site" / "core" / "preprocess.js").as_uri())
    proc = subprocess.run([node, str(script)], input=json.dumps(cases), capture_output=True, text=True, check=True)
    assert json.loads(proc.stdout) == expected


def test_render_draws_round_capped_strokes_of_the_pen_width():
    ink = render([[(0.2, 0.5), (0.8, 0.5)]], side=100, stroke_width=0.1)
    column = ink[:, 50]
    assert column.max() == 255 and 9 <= (column > 127).sum() <= 11  # 10 px wide
    assert ink[50, 15:20].max() > 0 and ink[50, 10] == 0  # a round cap reaches 5 px past the end
    assert render([[(0.5, 0.5)]], side=100, stroke_width=0.1)[50, 50] == 255  # a click is a dot


def test_traced_strokes_follow_the_digit(mnist):
    on_ink, coverage = [], []
    for image in mnist.x_test[::500]:
        points = np.vstack([resample(p, 0.25) for p in digit_polylines(image)])
        ink = image > 100
        near = ink | np.roll(ink, 1, 0) | np.roll(ink, -1, 0) | np.roll(ink, 1, 1) | np.roll(ink, -1, 1)
        xi, yi = np.clip(points.astype(int).T, 0, 27)
        on_ink.append(near[yi, xi].mean())
        ys, xs = np.nonzero(image > 128)
        dist = np.hypot(xs[:, None] + 0.5 - points[None, :, 0], ys[:, None] + 0.5 - points[None, :, 1]).min(axis=1)
        coverage.append((dist < 2).mean())
    assert min(on_ink) > 0.98, "the pen leaves the digit's ink"
    assert np.median(coverage) > 0.93 and min(coverage) > 0.7, "the pen misses parts of the digit"


def test_redrawing_is_deterministic_and_fits_the_pad(mnist):
    a = redraw(mnist.x_test[7], np.random.default_rng(1))
    b = redraw(mnist.x_test[7], np.random.default_rng(1))
    assert a == b
    points = np.vstack([np.array(s) for s in a])
    assert points.min() > 0 and points.max() < 1
    assert draw([a]).shape == (1, 28, 28)


def test_benchmark_non_digits_share_no_source_with_training_negatives():
    bench = negatives.benchmark()
    assert len(bench) >= 150 and {d["kind"] for d in bench} == {"letter", "symbol", "shape", "scribble"}
    fonts = {d["name"].split(":")[0] for d in bench if d["kind"] in ("letter", "symbol")}
    training_fonts = set(negatives.TRAINING_SVG_FONTS) | set(negatives.TRAINING_HERSHEY_FONTS)
    assert fonts == set(negatives.BENCHMARK_FONTS) and not fonts & training_fonts
    assert not set(sketches.BENCHMARK_SHAPES) & {f.__name__ for f in sketches.TRAINING_SHAPES}
    assert not set(sketches.BENCHMARK_SCRIBBLES) & {f.__name__ for f in sketches.TRAINING_SCRIBBLES}
    assert not {d["name"].split(":")[1] for d in bench if ":" in d["name"]} & glyphs.EXCLUDED_CHARS


def test_committed_benchmark_drawings_are_what_the_command_writes():
    digits, others = support_drawings.load()
    assert others == negatives.benchmark()
    assert len(digits) == 10 * bench_drawings.PER_CLASS
    assert [d["label"] for d in digits] == sorted(d["label"] for d in digits)
    fresh = bench_drawings.drawn_digits(per_class=2)
    committed = {d["source_index"]: d for d in digits}
    assert all(d["source_index"] in committed for d in fresh)


def test_training_negatives_are_images_like_drawings():
    images, names = negatives.training_negatives(60, seed=5)
    assert images.shape == (60, 28, 28) and images.max() <= 255 and images.min() >= 0
    assert {n.split("/")[0] for n in names} <= set(negatives.KIND_WEIGHTS)
    again, _ = negatives.training_negatives(60, seed=5)
    assert np.array_equal(images, again)


def test_augmentation_is_seeded_bounded_and_renormalized(mnist):
    x = tf.constant(mnist.x_train[:64, :, :, None] / 255.0, tf.float32)
    aug = Augmentation(rotate=8, shear=0.15, thin=0.3, thicken=0.8, elastic=0.5, renormalize=True)
    a = augment(x, tf.constant([1, 2], tf.int64), aug, MNIST_RECIPE).numpy()
    b = augment(x, tf.constant([1, 2], tf.int64), aug, MNIST_RECIPE).numpy()
    c = augment(x, tf.constant([1, 3], tf.int64), aug, MNIST_RECIPE).numpy()
    assert np.array_equal(a, b) and not np.array_equal(a, c)
    assert a.min() >= 0 and a.max() <= 1
    mass = a[..., 0].sum(axis=(1, 2))
    cx = (a[..., 0].sum(axis=1) * (np.arange(28) + 0.5)).sum(axis=1) / mass
    assert np.all(np.abs(cx - MNIST_RECIPE["mass_center"]) < 1.0), "renormalized digits are centred like MNIST"
    # MNIST digits already follow the recipe: renormalizing them changes nothing.
    assert np.abs(renormalize(x, 20.0, 14.5, 0.1).numpy() - x.numpy()).max() < 1e-4


def test_augmentation_share_changes_only_some_images_and_shifts_the_rest(mnist):
    x = tf.constant(mnist.x_train[:200, :, :, None] / 255.0, tf.float32)
    seed = tf.constant([5, 6], tf.int64)
    full = Augmentation(shift=0.08, rotate=10, shear=0.3, thicken=0.8, renormalize=True)
    mixed = augment(x, seed, Augmentation(**{**full.__dict__, "share": 0.5}), MNIST_RECIPE).numpy()
    assert np.array_equal(
        mixed, augment(x, seed, Augmentation(**{**full.__dict__, "share": 0.5}), MNIST_RECIPE).numpy()
    )
    # A shift moves ink without changing how much there is; thickening adds ink.
    ratio = mixed.sum(axis=(1, 2, 3)) / x.numpy().sum(axis=(1, 2, 3))
    shifted_only = np.abs(ratio - 1) < 0.02
    assert 0.3 < shifted_only.mean() < 0.7
    only_shift = augment(x, seed, Augmentation(shift=0.08, share=0.0), MNIST_RECIPE).numpy()
    kept = np.isclose(only_shift.sum(axis=(1, 2, 3)), x.numpy().sum(axis=(1, 2, 3)), rtol=0.02)
    assert kept.mean() > 0.95, "share 0: every image only shifted (a few lose ink over the edge)"


def test_verdict_threshold_flags_the_chosen_share_of_drawn_digits():
    from train import verdict

    rng = np.random.default_rng(0)
    cfg = config_with_negatives()
    drawings = verdict.ValidationDrawings(
        digits=np.zeros((500, 28, 28)),
        labels=rng.integers(0, 10, 500),
        non_digits=np.ones((300, 28, 28)),
        generator=np.array(["tracer", "independent"] * 250),
    )

    def outputs(images):
        # Digits (all-zero images) get a low reject probability, non-digits a high one.
        n = len(images)
        reject = np.where(images.reshape(n, -1).max(axis=1) > 0, rng.uniform(0.3, 1.0, n), rng.uniform(0, 0.5, n))
        probs = np.column_stack([np.tile((1 - reject)[:, None] / 10, (1, 10)), reject])
        return probs, np.log(probs)

    fitted = verdict.fit_verdict(cfg, outputs, drawings, np.zeros((100, 28, 28)))
    assert fitted["method"] == "reject-output" and fitted["output"] == 10
    # Each generator's drawn digits are flagged at most at the chosen rate, the worse one at it.
    by_generator = fitted["validation"]["by_generator"]
    assert set(by_generator) == {"tracer", "independent"}
    assert all(g["drawn_digits"] == 250 and g["flagged"] <= verdict.FLAG_RATE for g in by_generator.values())
    assert max(g["flagged"] for g in by_generator.values()) == pytest.approx(verdict.FLAG_RATE, abs=0.005)
    assert fitted["validation"]["drawn_digits_flagged"] <= verdict.FLAG_RATE
    # A higher threshold flags fewer digits and fewer non-digits: the curve the page draws.
    curve = fitted["validation"]["trade_off"]
    thresholds = [row["threshold"] for row in curve]
    assert thresholds == sorted(thresholds, reverse=True) and curve[0]["tracer_digits_flagged"] == 0
    assert [row["non_digits_flagged"] for row in curve] == sorted(row["non_digits_flagged"] for row in curve)
    assert fitted["validation"]["non_digits_flagged"] > 0.5
    assert set(fitted["validation"]["non_digits_flagged_by_method"]) == {"reject-output", "energy", "max-probability"}


def config_with_negatives():
    from train import config

    return config.get("mnist-cnn", negatives=10)
