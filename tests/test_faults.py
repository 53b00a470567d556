"""Faults a reader can meet: missing or damaged files, a missing .wasm, a lost WebGL context,
a restless reader, and a long session. Each is met as the reader meets it, in the widget.

The service worker is blocked in these pages, so every request reaches the routes that break it.
"""

from __future__ import annotations

import re

import pytest

from tests.support.browser import fresh_context
from tests.support.strokes import drawing_set
from tests.support.widget import WIDGET, draw, engine_tensors, helpers, prediction, settle, wait_state

pytestmark = pytest.mark.browser

# The browser logs every failed request as a console error; those are the faults we cause.
CAUSED = re.compile(r"Failed to load resource|net::ERR_")


@pytest.fixture
def reader(browser):
    """A page with no service worker, whose console errors (other than the failed requests a test
    causes) fail the test."""
    errors: list[str] = []
    with fresh_context(browser, service_workers="block") as context:
        page = context.new_page()
        page.on("console", lambda m: m.type == "error" and not CAUSED.search(m.text) and errors.append(m.text))
        page.on("pageerror", lambda e: errors.append(str(e)))
        yield page
    assert not errors, f"console errors: {errors}"


def strokes_of(digit: int) -> list:
    """The first drawing of ``digit`` in the stroke set."""
    return next(s for d, s in drawing_set() if d == digit)


def default_model(page) -> str:
    return page.eval_on_selector(f"{WIDGET} select[data-role=model]", "s => s.options[0].value")


def draws(page, strokes, digit: str) -> None:
    """Clear, draw, and check the widget reads the digit."""
    page.click(f"{WIDGET} [data-role=clear]")
    draw(page, strokes)
    settle(page)
    assert prediction(page)[0] == digit


def truncated(route):
    """The real file, cut in half (an interrupted download a cache kept)."""
    response = route.fetch()
    body = response.body()
    route.fulfill(response=response, body=body[: len(body) // 2])


FAULTS = {
    "metadata.json 404": ("models/{m}/metadata.json", lambda r: r.fulfill(status=404, body="not found")),
    "model.json 404": ("models/{m}/graph/model.json", lambda r: r.fulfill(status=404, body="not found")),
    "weights 404": ("models/{m}/graph/*.bin", lambda r: r.fulfill(status=404, body="not found")),
    "weights truncated": ("models/{m}/graph/*.bin", truncated),
    "model.json truncated": ("models/{m}/graph/model.json", truncated),
}


@pytest.mark.parametrize("fault", FAULTS)
def test_a_broken_model_file_shows_an_error_and_retry_works_once_it_is_back(reader, site_url, fault):
    page = reader
    page.goto(site_url)
    wait_state(page, WIDGET, "ready", timeout=60_000)
    model = default_model(page)
    pattern, handler = FAULTS[fault]
    glob = "**/" + pattern.format(m=model)
    page.route(glob, handler)
    page.goto(site_url)  # a new page life: nothing cached in memory
    wait_state(page, WIDGET, "error", timeout=60_000)
    assert "could not start" in page.inner_text(f"{WIDGET} [data-role=prediction]")
    retry = page.locator(f"{WIDGET} [data-role=retry]")
    assert retry.is_visible()
    retry.click()  # still broken: the error stays, Retry comes back
    page.wait_for_selector(f'{WIDGET}[data-state="error"] [data-role=retry]:not([hidden])', timeout=60_000)

    page.unroute(glob)
    retry.click()
    wait_state(page, WIDGET, "ready", timeout=60_000)
    assert retry.is_hidden()
    draws(page, strokes_of(3), "3")
    assert page.get_attribute(f"{WIDGET} [data-role=prediction]", "data-model") == model


def test_a_missing_wasm_falls_back_to_plain_js_and_says_so(reader, site_url):
    page = reader
    page.route("**/*.wasm", lambda r: r.fulfill(status=404, body="not found"))
    page.goto(site_url)
    wait_state(page, WIDGET, "ready", timeout=60_000)
    assert page.get_attribute(WIDGET, "data-backend") == "cpu"
    assert "WASM could not start" in page.inner_text(f"{WIDGET} [data-role=status]")
    draws(page, strokes_of(3), "3")


def test_a_lost_webgl_context_falls_back_and_keeps_answering(reader, site_url):
    page = reader
    page.goto(site_url + "?backend=webgl")
    wait_state(page, WIDGET, "ready", timeout=120_000)
    assert page.get_attribute(WIDGET, "data-backend") == "webgl"
    draws(page, strokes_of(3), "3")
    helpers(page)
    assert page.evaluate("async () => (await dlTest.engine()).client.call('lose-webgl')")
    page.wait_for_function(f"() => document.querySelector('{WIDGET}').dataset.backend !== 'webgl'", timeout=30_000)
    wait_state(page, WIDGET, "ready", timeout=60_000)
    assert "lost its context" in page.inner_text(f"{WIDGET} [data-role=status]")
    draws(page, strokes_of(7), "7")


def test_rapid_switching_and_drawing_during_load_never_show_a_stale_answer(reader, site_url):
    page = reader
    page.goto(site_url)
    # Drawing while the model still loads: the answer comes once it is there.
    page.wait_for_selector(f"{WIDGET} canvas[data-role=pad]")
    draw(page, strokes_of(3), steps=1)
    wait_state(page, WIDGET, "ready", timeout=60_000)
    settle(page)
    assert prediction(page)[0] == "3"
    models = page.eval_on_selector_all(f"{WIDGET} select[data-role=model] option", "os => os.map(o => o.value)")
    assert len(models) >= 2
    select = f"{WIDGET} select[data-role=model]"
    for i in range(12):  # switch without waiting, drawing in between
        page.select_option(select, models[i % len(models)])
        if i % 3 == 0:
            page.click(f"{WIDGET} [data-role=clear]")
            draw(page, strokes_of(7) if i % 2 else strokes_of(3), steps=1)
    last = models[11 % len(models)]
    wait_state(page, WIDGET, "ready", timeout=60_000)
    settle(page)
    node = page.locator(f"{WIDGET} [data-role=prediction]")
    assert page.eval_on_selector(select, "s => s.value") == last
    assert node.get_attribute("data-model") == last, "an answer from a model the reader left"
    assert node.get_attribute("data-label") in ("3", "7")


# Counted on the page, as the widget asks the engine (each a round trip to the worker).
COUNT_PREDICTIONS = """async () => {
  const { ModelHandle } = await dlTest.module('./browser/model-loader.js');
  if (!ModelHandle.prototype.__counted) {
    const predict = ModelHandle.prototype.predict;
    window.__predictions = 0;
    ModelHandle.prototype.predict = function (...args) { window.__predictions++; return predict.apply(this, args); };
    ModelHandle.prototype.__counted = true;
  }
}"""

# Strokes as a reader makes them, through real pointer events, one animation frame per few moves.
STROKES_JS = """async ({ strokes, movesPerFrame }) => {
  const pad = document.querySelector('[data-widget="digit-classifier"] canvas[data-role=pad]');
  const clear = document.querySelector('[data-widget="digit-classifier"] [data-role=clear]');
  const box = pad.getBoundingClientRect();
  const at = (x, y, type) => pad.dispatchEvent(new PointerEvent(type, {
    bubbles: true, cancelable: true, pointerId: 1, pointerType: 'mouse', isPrimary: true, button: 0, buttons: type === 'pointerup' ? 0 : 1,
    clientX: box.left + x * box.width, clientY: box.top + y * box.height,
  }));
  const frame = () => new Promise((r) => requestAnimationFrame(r));
  for (const [i, stroke] of strokes.entries()) {
    if (i % 3 === 0) clear.click();
    at(...stroke[0], 'pointerdown');
    for (const [j, p] of stroke.slice(1).entries()) {
      at(...p, 'pointermove');
      if (j % movesPerFrame === 0) await frame();
    }
    at(...stroke.at(-1), 'pointerup');
    await frame();
  }
}"""


def reader_strokes(count: int) -> list[list[tuple[float, float]]]:
    """``count`` strokes of the test drawings, in turn."""
    pool = [stroke for _, strokes in drawing_set() for stroke in strokes if len(stroke) > 2]
    return [pool[i % len(pool)] for i in range(count)]


def test_a_thousand_predictions_and_ten_model_switches_leak_no_tensors(reader, site_url):
    page = reader
    page.goto(site_url)
    wait_state(page, WIDGET, "ready", timeout=60_000)
    helpers(page)
    page.evaluate(COUNT_PREDICTIONS)
    models = page.eval_on_selector_all(f"{WIDGET} select[data-role=model] option", "os => os.map(o => o.value)")
    select = f"{WIDGET} select[data-role=model]"
    for name in [*models[1:], models[0]]:  # every model loaded once: its weights are there to stay
        page.select_option(select, name)
        wait_state(page, WIDGET, "ready")
    before = engine_tensors(page)
    page.evaluate("() => { window.__predictions = 0; }")
    for switch in range(10):
        page.select_option(select, models[(switch + 1) % len(models)])
        wait_state(page, WIDGET, "ready")
        page.evaluate(STROKES_JS, {"strokes": reader_strokes(12), "movesPerFrame": 1})
    while page.evaluate("() => window.__predictions") < 1000:
        page.evaluate(STROKES_JS, {"strokes": reader_strokes(12), "movesPerFrame": 1})
    settle(page)
    assert page.evaluate("() => window.__predictions") >= 1000
    assert engine_tensors(page) == before


def test_ten_minutes_of_drawing_keep_the_heap_stable(reader, site_url):
    """A reader's ten minutes of drawing, compressed: 600 strokes (one a second), each predicted
    frame by frame as it is drawn. The heap after garbage collection must not grow with them."""
    page = reader
    page.goto(site_url)
    wait_state(page, WIDGET, "ready", timeout=60_000)
    cdp = page.context.new_cdp_session(page)

    def heap() -> float:
        cdp.send("HeapProfiler.collectGarbage")
        return cdp.send("Runtime.getHeapUsage")["usedSize"]

    page.evaluate(STROKES_JS, {"strokes": reader_strokes(100), "movesPerFrame": 4})  # warm up: JIT, caches
    start = heap()
    sizes = []
    for _ in range(5):
        page.evaluate(STROKES_JS, {"strokes": reader_strokes(100), "movesPerFrame": 4})
        sizes.append(heap())
    # Growth from the first to the last 100 strokes, and overall: well under a megabyte.
    assert sizes[-1] - start < 1_000_000, (start, sizes)
    assert max(sizes) - min(sizes) < 1_000_000, (start, sizes)
