"""The digit widget in Debian's Chromium, driven with real mouse strokes."""

from __future__ import annotations

import base64
import json

import pytest

from tests.support.browser import NO_WEBGL_FLAGS, RENDERER_JS, SOFTWARE_RENDERERS, PageWatch, launch, watched_page
from tests.support.site import ARTIFACTS, MODELS, committed_models, metadata_url
from tests.support.strokes import NON_DIGITS, drawing_set
from tests.support.widget import (
    WIDGET,
    draw,
    engine_tensors,
    helpers,
    open_widget,
    prediction,
    select_model,
    settle,
    wait_state,
)

pytestmark = pytest.mark.browser
DIGIT_MODELS = committed_models("mnist")


@pytest.mark.parametrize("model", DIGIT_MODELS)
def test_drawn_digits_are_read(page, site_url, model):
    open_widget(page, site_url)
    select_model(page, model)
    results = []
    for digit, strokes in drawing_set():
        page.click(f"{WIDGET} [data-role=clear]")
        # The strokes' own points, one pointer event each: points in between would lie on the same
        # straight segments, so the ink (what this test is about) is the same with 4x fewer events.
        draw(page, strokes, steps=1)
        settle(page)
        label, confidence = prediction(page)
        results.append((digit, label, confidence))
    wrong = [(d, label) for d, label, _ in results if label != str(d)]
    accuracy = 1 - len(wrong) / len(results)
    print(f"{model}: {accuracy:.0%} of {len(results)} drawings; wrong (true, said): {wrong}")
    assert len(results) == 30  # every drawing of the set, as the README says
    assert accuracy >= 0.9, wrong


PARITY_JS = """
async ({ urls, path }) => {
  const out = {};
  for (const [name, url] of Object.entries(urls)) {
    const clf = path === 'graph' ? await dlTest.classifier(url) : await dlTest.layersClassifier(url);
    const parity = await dlTest.asset(clf, 'parity');
    const n = parity.inputs.length;
    const probs = await clf.predictRaw(Float32Array.from(parity.inputs.flat()), n);
    let worst = 0;
    parity.probabilities.flat().forEach((p, i) => { worst = Math.max(worst, Math.abs(p - probs[i])); });
    let scores = 0;
    for (const [i, s] of (parity.verdict_scores ?? []).entries()) {
      const got = (await clf.predict(Float32Array.from(parity.inputs[i]))).verdict.score;
      scores = Math.max(scores, Math.abs(got - s) / Math.max(1, Math.abs(s)));
    }
    out[name] = { worst, n, scores, backend: (await dlTest.memory()).backend };
  }
  return out;
}
"""


@pytest.mark.parametrize("backend", ["webgl", "webgpu", "wasm", "cpu"])
@pytest.mark.parametrize("path", ["graph", "layers"])
def test_parity_with_keras_on_every_backend_and_path(page, site_url, backend, path):
    """The graph models (the lean bundle; the full library under WebGL) and the layers models
    (the full library: the reader's own models take this path) give Keras' probabilities and verdict scores."""
    widget = open_widget(page, f"{site_url}?backend={backend}")
    assert widget.get_attribute("data-backend") == backend
    helpers(page)
    urls = {name: metadata_url(site_url, name) for name in committed_models()}
    for name, r in page.evaluate(PARITY_JS, {"urls": urls, "path": path}).items():
        assert r["backend"] == backend
        assert r["n"] >= 32
        assert r["worst"] <= 1e-4, f"{name} ({path}) on {backend}: max |TF.js - Keras| = {r['worst']}"
        assert r["scores"] <= 1e-4, f"{name} ({path}) on {backend}: verdict scores differ by {r['scores']}"


def probed_status(page) -> str:
    """The status line once it says what WebGL offers: the engine's probe answers after the backend starts."""
    page.wait_for_function(
        "(s) => document.querySelector(s).innerText.includes('; WebGL')", arg=f"{WIDGET} [data-role=status]"
    )
    return page.inner_text(f"{WIDGET} [data-role=status]")


def test_default_backend_is_wasm_and_the_status_says_why_not_webgl(page, site_url):
    widget = open_widget(page, site_url)
    renderer = page.evaluate(RENDERER_JS)
    status = probed_status(page)
    assert widget.get_attribute("data-backend") == "wasm", renderer
    if renderer == "no WebGL":
        assert "WebGL is unavailable" in status
    elif SOFTWARE_RENDERERS.search(renderer):
        assert "software-rendered" in status
    else:
        assert "would need the full library" in status
    # The first answer needs only the lean bundle: the full library is not loaded, and TF.js runs
    # in the engine's worker, not on the page.
    helpers(page)
    assert page.evaluate("async () => (await dlTest.memory()).full") is False
    assert page.evaluate("() => typeof window.tf") == "undefined"
    assert "runs in a worker" in status


def test_without_webgl_the_default_falls_back(playwright_instance, site_url):
    browser = launch(playwright_instance, NO_WEBGL_FLAGS)
    try:
        page = browser.new_page()
        watch = PageWatch(page)
        assert not page.evaluate("() => !!document.createElement('canvas').getContext('webgl')")
        widget = open_widget(page, site_url)
        assert widget.get_attribute("data-backend") in ("wasm", "cpu")
        assert "WebGL is unavailable" in probed_status(page)
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
    helpers(page)
    before = engine_tensors(page)
    drawings = drawing_set()
    for _, strokes in drawings[:6]:
        page.click(f"{WIDGET} [data-role=clear]")
        draw(page, strokes, steps=8)
    settle(page)
    after_drawing = engine_tensors(page)
    model = page.eval_on_selector(f"{WIDGET} [data-role=model]", "s => s.value")
    counted = page.evaluate(
        """async (url) => {
          const clf = await dlTest.classifier(url);
          const px = new Float32Array(clf.inputSize).fill(128);
          for (let i = 0; i < 200; i++) await clf.predict(px);
          return (await dlTest.memory()).numTensors;
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
    wait_state(page, WIDGET, "ready", timeout=30_000)
    assert page.evaluate("() => window.__sameDocument === true"), "navigation reloaded the page"
    assert page.locator(WIDGET).count() == 1
    draw(page, [s for d, s in drawing_set() if d == 4][0])
    settle(page)
    assert prediction(page)[0] == "4"


SHARE_OF_DARK_PIXELS_JS = """
async (b64) => {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(bitmap, 0, 0);
  const { data } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
  let dark = 0;
  for (let i = 0; i < data.length; i += 4) dark += 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2] < 128;
  return dark / (data.length / 4);
}
"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshot_in_both_palettes(browser, site_url, scheme):
    with watched_page(browser, color_scheme=scheme) as page:
        open_widget(page, site_url)
        draw(page, [s for d, s in drawing_set() if d == 3][0])
        settle(page)
        assert prediction(page)[0] == "3"
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"digit-widget-{scheme}.png"
        shot = page.locator(WIDGET).screenshot(path=str(path))
        # Read back the screenshot's own pixels: the widget is mostly the palette's background, with
        # ink and text in the opposite tone (a blank or unstyled capture fails).
        dark_share = page.evaluate(SHARE_OF_DARK_PIXELS_JS, base64.b64encode(shot).decode())
        if scheme == "dark":
            assert 0.5 < dark_share < 0.99, dark_share
        else:
            assert 0.01 < dark_share < 0.5, dark_share
        body_bg = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
        dark = sum(int(c) for c in body_bg[body_bg.index("(") + 1 : -1].split(",")[:3]) < 300
        assert dark == (scheme == "dark")


def test_verdict_flags_clear_non_digits_and_accepts_digits(page, site_url):
    open_widget(page, site_url)
    meta = json.loads((MODELS / DIGIT_MODELS[0] / "metadata.json").read_text())
    accept, reject = meta["verdict"]["labels"]["accept"], meta["verdict"]["labels"]["reject"]
    for name, strokes in NON_DIGITS.items():
        page.click(f"{WIDGET} [data-role=clear]")
        draw(page, strokes)
        settle(page)
        node = page.locator(f"{WIDGET} [data-role=prediction]")
        assert node.get_attribute("data-verdict") == reject, name
        assert node.get_attribute("data-label") != "", f"{name}: the closest digit stays visible"
        assert "doesn't look like a digit" in node.inner_text()
    for digit, strokes in drawing_set()[::3]:
        page.click(f"{WIDGET} [data-role=clear]")
        draw(page, strokes)
        settle(page)
        assert page.get_attribute(f"{WIDGET} [data-role=prediction]", "data-verdict") == accept, digit
    page.click(f"{WIDGET} [data-role=clear]")
    settle(page)
    assert page.get_attribute(f"{WIDGET} [data-role=prediction]", "data-verdict") == ""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_not_a_digit_state_in_both_palettes(browser, site_url, scheme):
    with watched_page(browser, color_scheme=scheme) as page:
        open_widget(page, site_url)
        label = page.locator(f"{WIDGET} .dl-prediction-label")
        node = page.locator(f"{WIDGET} [data-role=prediction]")
        draw(page, drawing_set()[0][1])
        settle(page)
        assert "dl-rejected" not in node.get_attribute("class")
        answer_colour = label.evaluate("e => getComputedStyle(e).color")
        page.click(f"{WIDGET} [data-role=clear]")
        draw(page, NON_DIGITS["star"])
        settle(page)
        assert "dl-rejected" in node.get_attribute("class")
        assert label.evaluate("e => getComputedStyle(e).color") != answer_colour, "the unsure answer looks the same"
        ARTIFACTS.mkdir(exist_ok=True)
        page.locator(WIDGET).screenshot(path=str(ARTIFACTS / f"digit-widget-not-a-digit-{scheme}.png"))


# The boot's URLs resolved as engine-boot.js resolves them, beside vendor.js' own (the engine keeps the
# first set it is given: the two must name the same files).
BOOT_URLS_JS = """async () => {
  const boot = JSON.parse(document.querySelector('head script[data-boot]').dataset.boot);
  const at = new URL(boot.vendorModule, location.href);
  const resolved = Object.fromEntries(Object.entries(boot.vendor).map(([k, v]) => [k, new URL(v, at).href]));
  const { VENDOR } = await import(at.href);
  return { resolved, vendor: { ...VENDOR }, worker: new URL(boot.worker, location.href).href };
}"""


def test_the_engine_starts_from_the_head_and_every_widget_shares_it(page, site_url):
    """engine-boot.js, inlined in <head>, starts the one engine worker and loads the model asked for."""
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    open_widget(page, f"{site_url}?model=mnist-mlp")
    engines = [w.url for w in page.workers if w.url.endswith("/engine-worker.js")]
    assert len(engines) == 1, engines
    assert page.evaluate("() => self.dlEngineWorker instanceof Worker")
    urls = page.evaluate(BOOT_URLS_JS)
    assert urls["resolved"] == urls["vendor"]
    assert urls["worker"] == engines[0]
    # The boot loaded the model the address asked for; the widget's own request found it loaded.
    assert page.eval_on_selector(f"{WIDGET} [data-role=model]", "s => s.value") == "mnist-mlp"
    mlp_graph = [u for u in requests if "/models/mnist-mlp/graph/" in u]
    assert mlp_graph and len(mlp_graph) == len(set(mlp_graph)), mlp_graph
    # Nor did the page's own prefetch download the model the address did not ask for.
    assert not [u for u in requests if "/models/mnist-cnn/graph/" in u]
    draw(page, [s for d, s in drawing_set() if d == 7][0])
    settle(page)
    assert prediction(page)[0] == "7"


def test_the_engine_runs_on_the_page_where_a_worker_is_not_wanted(page, site_url):
    """The same engine, over a MessageChannel on the page (browsers without module workers; ?engine=page)."""
    open_widget(page, f"{site_url}?engine=page")
    assert page.evaluate("() => self.dlEngineWorker === undefined"), "<head> started a worker all the same"
    assert not [w.url for w in page.workers if w.url.endswith("/engine-worker.js")]
    assert "runs on the page" in page.inner_text(f"{WIDGET} [data-role=status]")
    draw(page, [s for d, s in drawing_set() if d == 3][0])
    settle(page)
    assert prediction(page)[0] == "3"
