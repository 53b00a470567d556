"""The digit widget in Debian's Chromium, driven with real mouse strokes."""

from __future__ import annotations

import re

import pytest

from tests.support.browser import NO_WEBGL_FLAGS, RENDERER_JS, PageWatch, launch
from tests.support.site import ARTIFACTS, committed_models, metadata_url
from tests.support.strokes import drawing_set
from tests.support.widget import WIDGET, draw, helpers, open_widget, prediction, select_model, settle

pytestmark = pytest.mark.browser
DIGIT_MODELS = committed_models("mnist")
# Renderers that draw WebGL on the CPU, where the widget must not pick WebGL (an
# oracle of its own, independent of the widget's list).
SOFTWARE_RENDERERS = re.compile(r"SwiftShader|llvmpipe|softpipe|Microsoft Basic Render", re.IGNORECASE)


@pytest.mark.parametrize("model", DIGIT_MODELS)
def test_drawn_digits_are_read(page, site_url, model):
    open_widget(page, site_url)
    select_model(page, model)
    results = []
    for digit, strokes in drawing_set():
        page.click(f"{WIDGET} [data-role=clear]")
        draw(page, strokes)
        settle(page)
        label, confidence = prediction(page)
        results.append((digit, label, confidence))
    wrong = [(d, label) for d, label, _ in results if label != str(d)]
    accuracy = 1 - len(wrong) / len(results)
    print(f"{model}: {accuracy:.0%} of {len(results)} drawings; wrong (true, said): {wrong}")
    assert len(results) >= 20
    assert accuracy >= 0.9, wrong


PARITY_JS = """
async (urls) => {
  const out = {};
  for (const [name, url] of Object.entries(urls)) {
    const clf = await dlTest.classifier(url);
    const parity = await dlTest.asset(clf, 'parity');
    const n = parity.inputs.length;
    const probs = clf.predictRaw(Float32Array.from(parity.inputs.flat()), n);
    let worst = 0;
    parity.probabilities.flat().forEach((p, i) => { worst = Math.max(worst, Math.abs(p - probs[i])); });
    out[name] = { worst, n };
  }
  return { backend: window.tf.getBackend(), out };
}
"""


@pytest.mark.parametrize("backend", ["webgl", "wasm", "cpu"])
def test_parity_with_keras_on_every_backend(page, site_url, backend):
    widget = open_widget(page, f"{site_url}?backend={backend}")
    assert widget.get_attribute("data-backend") == backend
    helpers(page)
    result = page.evaluate(PARITY_JS, {name: metadata_url(site_url, name) for name in committed_models()})
    assert result["backend"] == backend
    for name, r in result["out"].items():
        assert r["n"] >= 32
        assert r["worst"] <= 1e-4, f"{name} on {backend}: max |TF.js - Keras| = {r['worst']}"


def test_default_backend_follows_the_renderer_and_is_explained(page, site_url):
    widget = open_widget(page, site_url)
    renderer = page.evaluate(RENDERER_JS)
    status = page.inner_text(f"{WIDGET} [data-role=status]")
    if SOFTWARE_RENDERERS.search(renderer):
        assert widget.get_attribute("data-backend") == "wasm", renderer
        assert "software-rendered" in status
    else:
        assert widget.get_attribute("data-backend") == "webgl", renderer
        assert "hardware GPU" in status


def test_without_webgl_the_default_falls_back(playwright_instance, site_url):
    browser = launch(playwright_instance, NO_WEBGL_FLAGS)
    try:
        page = browser.new_page()
        watch = PageWatch(page)
        assert not page.evaluate("() => !!document.createElement('canvas').getContext('webgl')")
        widget = open_widget(page, site_url)
        assert widget.get_attribute("data-backend") in ("wasm", "cpu")
        assert "WebGL is unavailable" in page.inner_text(f"{WIDGET} [data-role=status]")
        draw(page, drawing_set()[0][1])
        settle(page)
        assert prediction(page)[0] == "0"
        watch.check()
    finally:
        browser.close()


def test_blank_dot_clear_and_undo(page, site_url):
    open_widget(page, site_url)
    settle(page)
    assert prediction(page) == ("", 0.0)
    assert "Draw a digit" in page.inner_text(f"{WIDGET} [data-role=prediction]")
    draw(page, [[(0.5, 0.5)]])  # a single click: a dot, not a digit
    settle(page)
    assert prediction(page)[0] == ""
    page.click(f"{WIDGET} [data-role=clear]")
    seven = [s for d, s in drawing_set() if d == 7][0]
    draw(page, seven)
    settle(page)
    assert prediction(page)[0] == "7"
    page.click(f"{WIDGET} [data-role=undo]")
    settle(page)
    assert prediction(page)[0] == ""
    draw(page, seven)
    settle(page)
    assert prediction(page)[0] == "7"
    page.click(f"{WIDGET} [data-role=clear]")
    settle(page)
    assert prediction(page) == ("", 0.0)


def test_label_updates_while_drawing(page, site_url):
    open_widget(page, site_url)
    box = page.locator(f"{WIDGET} canvas[data-role=pad]").bounding_box()
    page.mouse.move(box["x"] + 0.5 * box["width"], box["y"] + 0.1 * box["height"])
    page.mouse.down()
    page.mouse.move(box["x"] + 0.5 * box["width"], box["y"] + 0.9 * box["height"], steps=8)
    settle(page)
    assert prediction(page)[0] == "1"  # still drawing: the button is not released yet
    page.mouse.up()


def test_no_tensor_leak_over_200_predictions(page, site_url):
    open_widget(page, site_url)
    settle(page)
    before = page.evaluate("() => window.tf.memory().numTensors")
    drawings = drawing_set()
    for _, strokes in drawings[:6]:
        page.click(f"{WIDGET} [data-role=clear]")
        draw(page, strokes, steps=8)
    settle(page)
    after_drawing = page.evaluate("() => window.tf.memory().numTensors")
    helpers(page)
    model = page.eval_on_selector(f"{WIDGET} [data-role=model]", "s => s.value")
    counted = page.evaluate(
        """async (url) => {
          const clf = await dlTest.classifier(url);
          const px = new Float32Array(clf.inputSize).fill(128);
          for (let i = 0; i < 200; i++) clf.predict(px);
          return window.tf.memory().numTensors;
        }""",
        metadata_url(site_url, model),
    )
    assert after_drawing == before
    assert counted == before


def test_instant_navigation_remounts_the_widget(page, site_url):
    open_widget(page, site_url)
    page.evaluate("() => { window.__sameDocument = true; }")
    page.locator("nav.md-nav--primary a", has_text="From Keras to your browser").click()
    page.wait_for_url("**/keras-to-browser/")
    # Instant navigation updates the address first, then swaps the content.
    page.wait_for_selector(WIDGET, state="detached")
    assert page.locator("h1").inner_text().startswith("From Keras to your browser")
    page.locator("nav.md-nav--primary a", has_text="Home").click()
    page.wait_for_selector(f'{WIDGET}[data-state="ready"]', timeout=30_000)
    assert page.evaluate("() => window.__sameDocument === true"), "navigation reloaded the page"
    assert page.locator(WIDGET).count() == 1
    draw(page, [s for d, s in drawing_set() if d == 4][0])
    settle(page)
    assert prediction(page)[0] == "4"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshot_in_both_palettes(browser, site_url, scheme):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    watch = PageWatch(page)
    try:
        open_widget(page, site_url)
        draw(page, [s for d, s in drawing_set() if d == 3][0])
        settle(page)
        assert prediction(page)[0] == "3"
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"digit-widget-{scheme}.png"
        page.locator(WIDGET).screenshot(path=str(path))
        assert path.stat().st_size > 10_000
        body_bg = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
        dark = sum(int(c) for c in body_bg[body_bg.index("(") + 1 : -1].split(",")[:3]) < 300
        assert dark == (scheme == "dark")
    finally:
        context.close()
    watch.check()
