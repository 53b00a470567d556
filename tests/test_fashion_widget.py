"""The fashion widget, the activation viewer and the model comparison, in Chromium."""

from __future__ import annotations

import base64
import functools
import json

import numpy as np
import pytest

from tests.support.site import MODELS, metadata_url
from tests.support.strokes import drawing_set
from tests.support.widget import FASHION, draw, engine_tensors, helpers, open_widget, settle
from tests.support.widget import WIDGET as DIGIT
from train.figures import png_bytes

pytestmark = pytest.mark.browser


@functools.cache
def meta() -> dict:
    return json.loads((MODELS / "fashion-cnn" / "metadata.json").read_text())


@functools.cache
def gallery() -> dict:
    """The model's gallery: ``labels`` and ``pixels`` (uint8 ``(n, size, size)``)."""
    record = json.loads((MODELS / "fashion-cnn" / meta()["assets"]["gallery"]).read_text())
    size = meta()["input"]["image_size"]
    pixels = np.frombuffer(base64.b64decode(record["pixels_base64"]), np.uint8).reshape(-1, size, size)
    return {"labels": record["labels"], "pixels": pixels}


def open_fashion(page, site_url):
    open_widget(page, site_url + "fashion-mnist/", root=FASHION)
    page.wait_for_selector(f"{FASHION} [data-role=gallery] button")


def predicted(page, root=FASHION) -> str:
    settle(page)  # the answer comes back from the engine's worker
    return page.get_attribute(f"{root} [data-role=prediction]", "data-label")


def click_gallery(page, i: int) -> str:
    page.click(f'{FASHION} [data-index="{i}"]')
    return predicted(page)


def upload(page, name: str, data: bytes, mime: str = "image/png") -> None:
    page.set_input_files(f"{FASHION} [data-role=upload]", files=[{"name": name, "mimeType": mime, "buffer": data}])


def test_gallery_accuracy_matches_the_model(page, site_url):
    open_fashion(page, site_url)
    hits, labels, names = 0, gallery()["labels"], meta()["class_names"]
    for i, label in enumerate(labels):
        said = click_gallery(page, i)
        assert page.get_attribute(f"{FASHION} [data-role=truth]", "data-label") == names[label]
        hits += said == names[label]
    accuracy = hits / len(labels)
    print(f"gallery: {hits}/{len(labels)} right; model test accuracy {meta()['test_accuracy']:.4f}")
    assert len(labels) >= 50
    assert accuracy >= meta()["test_accuracy"] - 0.03


@pytest.mark.parametrize("style", ["as-is", "dark-on-white-4x"])
def test_uploaded_test_images_are_classified_like_their_arrays(page, site_url, style):
    open_fashion(page, site_url)
    same = 0
    picks = [i * 10 + 3 for i in range(10)]  # one image of every class
    for i in picks:
        array_label = click_gallery(page, i)
        image = gallery()["pixels"][i]
        if style != "as-is":
            image = np.kron(255 - image, np.ones((4, 4), np.uint8))
        upload(page, f"test-{i}.png", png_bytes(image))
        page.wait_for_function(
            f"() => document.querySelector('{FASHION} [data-role=truth]').dataset.label === ''"
            f" && document.querySelector('{FASHION} [data-role=prediction]').dataset.label !== ''"
        )
        same += predicted(page) == array_label
        assert page.inner_text(f"{FASHION} [data-role=message]") == ""
    print(f"upload ({style}): {same}/{len(picks)} labelled like the array")
    assert same >= len(picks) - 1


def flat_png(width: int, height: int, fill: int, level: int = 9) -> bytes:
    """A valid one-colour grayscale PNG of any size."""
    return png_bytes(np.full((height, width), fill, np.uint8), level)


BAD_INPUTS = {
    "empty.png": (b"", "image/png", "empty"),
    "notes.png": (b"This is a text file, not a picture.\n" * 20, "image/png", "could not be read"),
    "huge.png": (None, "image/png", "MB"),
    "drawing.svg": (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>',
        "image/svg+xml",
        "SVG",
    ),
    "panorama.png": (flat_png(2000, 100, fill=90, level=9), "image/png", "longer than it is wide"),
    "white.png": (flat_png(64, 64, fill=255, level=9), "image/png", "one colour"),
    "black.png": (flat_png(64, 64, fill=0, level=9), "image/png", "one colour"),
}


def test_bad_inputs_give_a_message_and_the_widget_keeps_working(page, site_url, tmp_path):
    open_fashion(page, site_url)
    huge = tmp_path / "huge.png"
    huge.write_bytes(flat_png(7100, 7100, fill=128, level=0))
    assert huge.stat().st_size > 50_000_000
    for name, (data, mime, words) in BAD_INPUTS.items():
        click_gallery(page, 0)
        if data is None:
            page.set_input_files(f"{FASHION} [data-role=upload]", files=str(huge))
        else:
            upload(page, name, data, mime)
        page.wait_for_function(f"() => document.querySelector('{FASHION} [data-role=message]').textContent !== ''")
        message = page.inner_text(f"{FASHION} [data-role=message]")
        assert words in message, (name, message)
        assert predicted(page) == "", name  # no made-up answer for a bad picture
        assert click_gallery(page, 55) != "", f"widget stopped working after {name}"
        assert page.inner_text(f"{FASHION} [data-role=message]") == ""
    assert page.get_attribute(FASHION, "data-state") == "ready"


def test_no_tensor_leak_over_200_gallery_clicks(page, site_url):
    open_fashion(page, site_url)
    click_gallery(page, 0)
    helpers(page)
    before = engine_tensors(page)
    for k in range(200):
        click_gallery(page, k % 100)
    assert engine_tensors(page) == before


ACTIVATIONS_JS = """
async (url) => {
  const clf = await dlTest.classifier(url);
  const parity = await dlTest.asset(clf, 'parity');
  const expected = await dlTest.asset(clf, 'activations');
  const acts = await clf.activations(Float32Array.from(parity.inputs[expected.parity_input]));
  let worst = 0;
  expected.layers.forEach((layer, k) => {
    layer.indices.forEach((idx, j) => { worst = Math.max(worst, Math.abs(acts[k][idx] - layer.values[j])); });
  });
  return { worst, layers: expected.layers.length, names: clf.activationLayers.map(l => l.name) };
}
"""

PANELS_JS = """(root) => [...document.querySelectorAll(root + ' [data-role=activation-layer]')].map(panel => {
  const maps = [...panel.querySelectorAll('canvas')].map(c => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let lo = 255, hi = 0;
    for (let i = 0; i < d.length; i += 4) { lo = Math.min(lo, d[i]); hi = Math.max(hi, d[i]); }
    return hi - lo;
  });
  return { layer: panel.dataset.layer, kind: panel.dataset.kind, contrast: Math.max(...maps) };
})"""


@pytest.mark.parametrize("model", ["mnist-cnn", "fashion-cnn"])
def test_activations_match_keras(page, site_url, model):
    open_widget(page, site_url)
    helpers(page)
    result = page.evaluate(ACTIVATIONS_JS, metadata_url(site_url, model))
    viewed = json.loads((MODELS / model / "metadata.json").read_text())["viewer"]["layers"]
    assert result["layers"] == len(viewed) and result["names"][: len(viewed)] == viewed
    assert result["worst"] <= 1e-4, f"{model}: max |TF.js - Keras| activation = {result['worst']}"


def test_viewer_shows_a_panel_per_layer_in_both_widgets(page, site_url):
    open_widget(page, site_url)
    assert page.locator(f"{DIGIT} [data-role=activation-layers]").is_hidden(), "feature maps show only when asked"
    page.check(f"{DIGIT} [data-role=activations-toggle]")
    draw(page, [s for d, s in drawing_set() if d == 5][0])
    settle(page)
    panels = page.evaluate(PANELS_JS, DIGIT)
    viewed = json.loads((MODELS / "mnist-cnn" / "metadata.json").read_text())["viewer"]["layers"]
    assert [p["layer"] for p in panels[:-1]] == viewed
    assert all(p["contrast"] > 0 for p in panels), panels
    open_fashion(page, site_url)
    page.check(f"{FASHION} [data-role=activations-toggle]")
    click_gallery(page, 42)
    settle(page)
    panels = page.evaluate(PANELS_JS, FASHION)
    assert [p["layer"] for p in panels[:-1]] == meta()["viewer"]["layers"]
    assert all(p["contrast"] > 0 for p in panels), panels


def test_comparison_scores_both_models(page, site_url):
    open_widget(page, site_url)
    page.check(f"{DIGIT} [data-role=compare-toggle]")
    page.wait_for_selector(f"{DIGIT} [data-role=comparison] tr[data-model]")
    draw(page, [s for d, s in drawing_set() if d == 2][0])
    settle(page)
    rows = page.evaluate(
        f"""() => [...document.querySelectorAll('{DIGIT} [data-role=comparison] tr[data-model]')].map(tr => ({{
            model: tr.dataset.model, label: tr.querySelector('[data-role=compare-label]').dataset.label,
            ms: tr.querySelector('[data-role=compare-ms]').textContent }}))"""
    )
    assert {r["model"] for r in rows} == {"mnist-cnn", "mnist-mlp"}
    assert all(r["label"] == "2" and r["ms"].endswith("ms") for r in rows), rows
