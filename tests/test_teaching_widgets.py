"""The teaching figures in Debian's Chromium: gradient descent and the convolution.

They run on real TF.js in the page; these tests step them as a reader would
(buttons, keys, mouse strokes) and check what they show against what they
compute: the loss falls with a good learning rate and climbs with a far too
large one, the gradient read-out matches finite differences of the loss, and
the convolution's written-out sum equals tf.conv2d's feature map at that
position. Both palettes are screenshotted to test-results/.
"""

from __future__ import annotations

import json
import re

import pytest

from tests.support.browser import watched_page
from tests.support.site import ARTIFACTS, DOCS
from tests.support.strokes import drawing_set
from tests.support.widget import draw, engine_tensors, helpers

pytestmark = pytest.mark.browser
DESCENT = '[data-widget="descent"]'
CONV = '[data-widget="convolution"]'
DESCENT_PAGE = "how-learning-works/"
CONV_PAGE = "convolutions/"


def open_figure(page, url: str, root: str):
    page.goto(url)
    page.locator(root).scroll_into_view_if_needed()  # figures mount when they come near the viewport
    page.wait_for_selector(f'{root}[data-state="ready"]', timeout=90_000)
    return page.locator(root)


def readout(page) -> dict[str, str]:
    page.wait_for_selector(f"{DESCENT}:not([data-busy])")
    return page.eval_on_selector(f"{DESCENT} [data-role=readout]", "e => ({...e.dataset})")


def arithmetic(page) -> dict[str, str]:
    page.wait_for_selector(f"{CONV}:not([data-busy])")
    return page.eval_on_selector(f"{CONV} [data-role=arithmetic]", "e => ({...e.dataset})")


def test_descent_steps_downhill_with_a_good_learning_rate(page, site_url):
    open_figure(page, site_url + DESCENT_PAGE, DESCENT)
    page.select_option(f"{DESCENT} [data-role=learning-rate]", "1")
    start = readout(page)
    assert start["step"] == "0" and start["verdict"] == "start"
    losses = [float(start["loss"])]
    for _ in range(6):
        page.click(f"{DESCENT} [data-role=step]")
        losses.append(float(readout(page)["loss"]))
    assert readout(page)["step"] == "6"
    assert all(b < a for a, b in zip(losses, losses[1:], strict=False)), losses
    live = page.inner_text(f"{DESCENT} [data-role=live]")
    assert live.startswith("Step 6:") and "down" in live
    # Reset goes back to the same start.
    page.click(f"{DESCENT} [data-role=reset]")
    assert readout(page) == start


# The gradient the figure shows, against central finite differences of the cross-entropy written
# out in plain JS doubles on the figure's own data (imported from the site's module).
FINITE_DIFFERENCES_JS = """async ([w1, w2]) => {
  const { makeClouds } = await dlTest.module('./core/descent.js');
  const { points, labels, count } = makeClouds();
  const nll = (z) => (z > 0 ? Math.log1p(Math.exp(-z)) : -z + Math.log1p(Math.exp(z)));
  const loss = (a, b) => {
    let total = 0;
    for (let i = 0; i < count; i++) {
      const z = a * points[2 * i] + b * points[2 * i + 1];
      total += labels[i] ? nll(z) : nll(-z);
    }
    return total / count;
  };
  const h = 1e-4;
  return [loss(w1, w2), (loss(w1 + h, w2) - loss(w1 - h, w2)) / (2 * h), (loss(w1, w2 + h) - loss(w1, w2 - h)) / (2 * h)];
}"""


def test_descent_gradient_is_the_slope_of_the_loss(page, site_url):
    open_figure(page, site_url + DESCENT_PAGE, DESCENT)
    helpers(page)
    for _ in range(3):
        r = readout(page)
        loss, g1, g2 = page.evaluate(FINITE_DIFFERENCES_JS, [float(r["w1"]), float(r["w2"])])
        assert abs(float(r["loss"]) - loss) < 1e-4
        assert abs(float(r["grad1"]) - g1) < 1e-3 and abs(float(r["grad2"]) - g2) < 1e-3, (r, g1, g2)
        page.click(f"{DESCENT} [data-role=step]")


def test_descent_climbs_with_a_far_too_large_learning_rate(page, site_url):
    open_figure(page, site_url + DESCENT_PAGE, DESCENT)
    page.select_option(f"{DESCENT} [data-role=learning-rate]", "8")
    start = float(readout(page)["loss"])
    page.click(f"{DESCENT} [data-role=step]")
    after = readout(page)
    assert float(after["loss"]) > start
    assert after["verdict"] == "climbing"
    assert "off the map" in page.inner_text(f"{DESCENT} [data-role=readout]")
    assert "overshot" in page.inner_text(f"{DESCENT} [data-role=live]")


def test_descent_run_converges_and_says_so(page, site_url):
    open_figure(page, site_url + DESCENT_PAGE, DESCENT)
    page.click(f"{DESCENT} [data-role=run]")
    assert page.get_attribute(f"{DESCENT} [data-role=run]", "aria-pressed") == "true"
    page.wait_for_function(
        f"() => document.querySelector('{DESCENT} [data-role=run]').getAttribute('aria-pressed') === 'false'",
        timeout=60_000,
    )
    r = readout(page)
    assert r["verdict"] == "converged" and int(r["step"]) > 10
    assert page.inner_text(f"{DESCENT} [data-role=live]").startswith("Ran ")


def test_descent_by_keyboard_without_leaking_tensors(page, site_url):
    open_figure(page, site_url + DESCENT_PAGE, DESCENT)
    start = readout(page)
    page.focus(f"{DESCENT} [data-role=surface]")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowUp")
    moved = readout(page)
    assert moved["step"] == "0"
    assert float(moved["w1"]) == pytest.approx(float(start["w1"]) + 0.1)
    assert float(moved["w2"]) == pytest.approx(float(start["w2"]) + 0.1)
    assert "Starting at" in page.inner_text(f"{DESCENT} [data-role=live]")
    helpers(page)
    before = engine_tensors(page)
    for _ in range(20):
        page.keyboard.press("Enter")
    assert readout(page)["step"] == "20"
    assert engine_tensors(page) == before


RESULT = re.compile(
    r"sum of the nine products (-?\d+(?:\.\d+)?) \+ bias (-?\d+(?:\.\d+)?) = (-?\d+(?:\.\d+)?); "
    r"ReLU (?:keeps it: |turns it into )(-?\d+(?:\.\d+)?)"
)


def check_position(page) -> dict[str, str]:
    """The written-out arithmetic adds up, and its result is tf.conv2d's value at that position."""
    data = arithmetic(page)
    text = page.inner_text(f"{CONV} [data-role=result]")
    found = RESULT.search(text)
    assert found, text
    shown_sum, bias, pre, out = map(float, found.groups())
    products = [
        float(b)
        for b in page.eval_on_selector_all(f"{CONV} [data-role=products] td b", "bs => bs.map(b => b.textContent)")
    ]
    assert len(products) == 9
    assert abs(sum(products) - shown_sum) <= 9 * 0.005 + 1e-9, (products, shown_sum)
    assert abs(float(data["sum"]) - shown_sum) <= 5e-4
    assert abs(shown_sum + bias - pre) <= 1.5e-3
    assert abs(max(0.0, pre) - out) <= 1e-3
    # The hand arithmetic (JS) against tf.conv2d on the page's backend, and the number shown.
    assert abs(float(data["output"]) - float(data["mapValue"])) <= 1e-4, data
    assert abs(out - float(data["mapValue"])) <= 5e-4, (text, data)
    return data


def test_convolution_sum_shown_equals_the_feature_map(page, site_url):
    widget = open_figure(page, site_url + CONV_PAGE, CONV)
    assert widget.get_attribute("data-source") == "sample"
    kernels = page.eval_on_selector_all(f"{CONV} [data-role=kernel] option", "os => os.map(o => o.value)")
    meta = json.loads((DOCS / "models" / "mnist-cnn" / "metadata.json").read_text())
    learned = [k for k in kernels if k.startswith("learned-")]
    assert len(learned) == meta["layers"][0]["output_shape"][2], "one option per filter of the first layer"
    assert len([k for k in kernels if k.startswith("classic-")]) == 4
    # A position inside the digit: 10 rows down, 14 columns right, by keyboard.
    page.click(f"{CONV} [data-role=restart]")
    page.focus(f"{CONV} [data-role=output]")
    for key, times in (("ArrowDown", 10), ("ArrowRight", 14)):
        for _ in range(times):
            page.keyboard.press(key)
    assert widget.get_attribute("data-position") == str(10 * 28 + 14)
    for kernel in kernels:
        page.select_option(f"{CONV} [data-role=kernel]", kernel)
        data = check_position(page)
        assert (data["row"], data["col"]) == ("10", "14")
    # Step moves one position to the right, and the arithmetic follows.
    page.select_option(f"{CONV} [data-role=kernel]", learned[0])
    page.click(f"{CONV} [data-role=step]")
    assert widget.get_attribute("data-position") == str(10 * 28 + 15)
    assert check_position(page)["col"] == "15"
    assert "Row 11, column 16" in page.inner_text(f"{CONV} [data-role=live]")
    # At the corner, the window reads the padding: five zeros at least.
    page.click(f"{CONV} [data-role=restart]")
    assert widget.get_attribute("data-position") == "0"
    pixels = page.eval_on_selector_all(
        f"{CONV} [data-role=products] .dl-conv-pixel", "ps => ps.map(p => p.textContent)"
    )
    assert [pixels[i] for i in (0, 1, 2, 3, 6)] == ["0.00"] * 5


def test_convolution_play_jump_and_drawing(page, site_url):
    widget = open_figure(page, site_url + CONV_PAGE, CONV)
    page.select_option(f"{CONV} [data-role=speed]", "fast")
    page.click(f"{CONV} [data-role=play]")
    page.wait_for_function(f"() => Number(document.querySelector('{CONV}').dataset.position) > 60")
    page.click(f"{CONV} [data-role=play]")  # pause
    paused = int(widget.get_attribute("data-position"))
    page.wait_for_timeout(300)
    assert int(widget.get_attribute("data-position")) == paused
    page.click(f"{CONV} [data-role=end]")
    assert widget.get_attribute("data-position") == "783"
    check_position(page)
    before = arithmetic(page)
    # The reader's drawing replaces the sample, preprocessed like the digit widget's.
    seven = [s for d, s in drawing_set() if d == 7][0]
    draw(page, seven, root=CONV)
    page.wait_for_function(f"() => document.querySelector('{CONV}').dataset.source === 'drawing'")
    page.focus(f"{CONV} [data-role=output]")
    page.keyboard.press("Home")
    for _ in range(8):
        page.keyboard.press("ArrowDown")
    for _ in range(12):
        page.keyboard.press("ArrowRight")
    check_position(page)
    page.click(f"{CONV} [data-role=clear]")
    page.wait_for_function(f"() => document.querySelector('{CONV}').dataset.source === 'sample'")
    page.click(f"{CONV} [data-role=end]")
    assert arithmetic(page)["mapValue"] == before["mapValue"]


# Text in the figures, against the figure's background: WCAG contrast of at least 4.5
# (semi-transparent text, as Material's lighter greys are, blended over the background first).
CONTRAST_JS = """(selectors) => {
  const rgba = (c) => { const v = c.match(/[\\d.]+/g).map(Number); return [v[0], v[1], v[2], v.length > 3 ? v[3] : 1]; };
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  return selectors.flatMap((s) => [...document.querySelectorAll(s)].map((el) => {
    const bg = rgba(getComputedStyle(el.closest('.dl-widget')).backgroundColor);
    const fg = rgba(getComputedStyle(el).color);
    const seen = fg.slice(0, 3).map((c, i) => fg[3] * c + (1 - fg[3]) * bg[i]);
    const [a, b] = [lum(seen), lum(bg)].sort((x, y) => y - x);
    return [s, (a + 0.05) / (b + 0.05)];
  }));
}"""

# Every control has a name and every picture a text alternative.
UNNAMED_JS = """(root) => [...document.querySelectorAll(`${root} button, ${root} canvas, ${root} select`)]
  .filter((e) => !(e.textContent.trim() || e.getAttribute('aria-label') || e.closest('label')))
  .map((e) => e.outerHTML.slice(0, 80))"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_both_palettes_render_and_read(browser, site_url, scheme):
    ARTIFACTS.mkdir(exist_ok=True)
    with watched_page(browser, color_scheme=scheme) as page:
        figure = open_figure(page, site_url + DESCENT_PAGE, DESCENT)
        for _ in range(4):
            page.click(f"{DESCENT} [data-role=step]")
        texts = [
            f"{DESCENT} [data-role=readout] dt",
            f"{DESCENT} [data-role=readout] dd",
            f"{DESCENT} [data-role=verdict]",
        ]
        texts += [f"{DESCENT} figcaption span", f"{DESCENT} .dl-descent-plots figcaption", f"{DESCENT} label"]
        for selector, ratio in page.evaluate(CONTRAST_JS, texts):
            assert ratio >= 4.5, (scheme, selector, ratio)
        # The map has its heat map and the marks drawn on it.
        ink = page.eval_on_selector(
            f"{DESCENT} [data-role=surface]",
            "c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
            " let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n / (d.length / 4); }",
        )
        assert ink > 0.5
        assert not page.evaluate(UNNAMED_JS, DESCENT)
        assert page.get_attribute(f"{DESCENT} [data-role=live]", "aria-live") == "polite"
        figure.scroll_into_view_if_needed()
        figure.screenshot(path=str(ARTIFACTS / f"teaching-descent-{scheme}.png"))

        figure = open_figure(page, site_url + CONV_PAGE, CONV)
        page.focus(f"{CONV} [data-role=output]")
        for key, times in (("ArrowDown", 9), ("ArrowRight", 13)):
            for _ in range(times):
                page.keyboard.press(key)
        texts = [
            f"{CONV} [data-role=result]",
            f"{CONV} [data-role=products] td span",
            f"{CONV} [data-role=kernel-grid] td",
        ]
        texts += [
            f"{CONV} figcaption",
            f"{CONV} [data-role=source]",
            f"{CONV} [data-role=kernel-note]",
            f"{CONV} label",
        ]
        for selector, ratio in page.evaluate(CONTRAST_JS, texts):
            assert ratio >= 4.5, (scheme, selector, ratio)
        figure.scroll_into_view_if_needed()
        figure.screenshot(path=str(ARTIFACTS / f"teaching-convolution-{scheme}.png"))
        assert not page.evaluate(UNNAMED_JS, CONV)
        assert page.get_attribute(f"{CONV} [data-role=live]", "aria-live") == "polite"
