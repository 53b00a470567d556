"""The digit widget's speed in a real browser, for one model on one backend, from a cold start.

Recorded in benchmark.json as the rows of ``inference`` (and ``inference_without_gpu_process``):

* cold load: navigation -> model ready (TF.js, backend, weights and a warm-up
  prediction), read on the page's clock when the widget's data-state turns "ready" (not when
  Playwright's polling sees it: that lags by up to 400 ms here), and that plus the first drawn
  digit's stroke-end -> label time; each the median of ``cold_runs`` loads in fresh contexts;
* warm latency of one refresh (read the pad, preprocess, ask the engine's worker, get the
  answer back), p50/p95 over ``predictions`` runs, through the site's own modules;
* stroke end -> label shown, p50/p95 over real mouse strokes, and stroke end -> the page's main
  thread first free (the floor under any answer: the browser's own frame work after the release);
* the longest main-thread task while drawing.
"""

from __future__ import annotations

import statistics
from typing import TYPE_CHECKING

from tests.bench.shared import cold_page, longest_task_ms, watch_long_tasks
from tests.support.browser import RENDERER_JS
from tests.support.site import metadata_url
from tests.support.strokes import drawing_set
from tests.support.widget import WIDGET, draw, helpers, wait_state

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

# Installed before the page loads: the page's own time (ms since navigation) when the widget says ready.
READY_AT_JS = """new MutationObserver((records) => {
  for (const { target } of records) {
    if (!window.__readyAt && target.matches('[data-widget="digit-classifier"][data-state="ready"]')) window.__readyAt = performance.now();
  }
}).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-state'] });"""

WARM_JS = """async ({ url, n }) => {
  const clf = await dlTest.classifier(url);
  const { preprocessDrawing } = await dlTest.module('./core/preprocess.js');
  const pad = document.querySelector('[data-widget="digit-classifier"] [data-role=pad]');
  const ctx = pad.getContext('2d', { willReadFrequently: true });
  const { preprocessing, input } = clf.metadata;
  const run = () => {
    const rgba = ctx.getImageData(0, 0, pad.width, pad.height).data;
    const ink = new Uint8ClampedArray(pad.width * pad.height);
    for (let j = 0; j < ink.length; j++) ink[j] = rgba[j * 4 + 3];
    return clf.predict(preprocessDrawing(ink, pad.width, pad.height, preprocessing.drawing, input.image_size).pixels);
  };
  const times = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  return times;
}"""

# Timed on the page's own clock, from the mouse's release to the label's change: what a reader waits.
# Beside it, from the release to the first moment the page's main thread is free to run anything (a
# message it posts itself): what no engine, in a worker or not, can answer faster than.
WATCH_STROKES_JS = """() => {
  const pad = document.querySelector('[data-widget="digit-classifier"] [data-role=pad]');
  const node = document.querySelector('[data-widget="digit-classifier"] [data-role=prediction]');
  window.__bench = { up: 0, latencies: [], free: [] };
  const ping = new MessageChannel();
  ping.port1.onmessage = ({ data }) => window.__bench.free.push(performance.now() - data);
  pad.addEventListener('pointerup', () => {
    window.__bench.up = performance.now();
    ping.port2.postMessage(window.__bench.up);
  }, true);
  new MutationObserver(() => {
    const b = window.__bench;
    if (b.up && node.dataset.label) { b.latencies.push(performance.now() - b.up); b.up = 0; }
  }).observe(node, { attributes: true, attributeFilter: ['data-label'] });
}"""


def percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile (0..1) of ``values``: the nearest measured value, never an interpolated one."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def cold_start(page: Page, url: str) -> tuple[float, float]:
    """Open ``url`` in a fresh ``page``, wait for the widget, and draw one digit.

    Returns:
        Milliseconds from navigation to the widget's ready state, and to the first drawn digit's label.
    """
    page.add_init_script(READY_AT_JS)
    page.goto(url)
    wait_state(page, WIDGET, "ready", timeout=120_000)
    ready_ms = page.evaluate("() => window.__readyAt")
    page.evaluate(WATCH_STROKES_JS)
    watch_long_tasks(page)
    page.click(f"{WIDGET} [data-role=clear]")
    draw(page, drawing_set()[0][1])
    page.wait_for_function("() => window.__bench.latencies.length > 0")
    return ready_ms, ready_ms + page.evaluate("() => window.__bench.latencies[0]")


def measure(
    browser: Browser, url: str, model: str, backend: str, predictions: int, strokes: int, cold_runs: int = 3
) -> dict[str, object]:
    """One model on one backend, from a cold start.

    Args:
        browser: the Chromium the run launched.
        url: the served site's root (the digit page).
        model: a committed digit model's name.
        backend: forced with ?backend=; '' for the page's automatic choice.
        predictions: warm predictions timed through the site's modules.
        strokes: digits drawn with the mouse (the first one times the cold first prediction).
        cold_runs: cold loads, each in a fresh context; the cold figures are their medians (one load
            on this shared machine varies by half).
    """
    query = f"?model={model}" + (f"&backend={backend}" if backend else "")
    colds = []
    for _ in range(cold_runs - 1):
        with cold_page(browser) as page:
            colds.append(cold_start(page, url + query))
    with cold_page(browser) as page:
        colds.append(cold_start(page, url + query))
        ready_ms = statistics.median(c[0] for c in colds)
        first_ms = statistics.median(c[1] for c in colds)
        drawings = drawing_set()
        for k in range(1, strokes):
            page.click(f"{WIDGET} [data-role=clear]")
            draw(page, drawings[k % len(drawings)][1])
        page.wait_for_timeout(100)
        latencies = page.evaluate("() => window.__bench.latencies")
        free = page.evaluate("() => window.__bench.free")
        longest = longest_task_ms(page)
        helpers(page)
        warm = page.evaluate(WARM_JS, {"url": metadata_url(url, model), "n": predictions})
        return {
            "model": model,
            "backend": page.get_attribute(WIDGET, "data-backend"),
            "forced": bool(backend),
            "cold_ready_ms": round(ready_ms, 1),
            "cold_first_prediction_ms": round(first_ms, 1),
            "cold_runs": len(colds),
            "warm_p50_ms": round(statistics.median(warm), 3),
            "warm_p95_ms": round(percentile(warm, 0.95), 3),
            "warm_runs": len(warm),
            "stroke_to_label_p50_ms": round(statistics.median(latencies), 2),
            "stroke_to_label_p95_ms": round(percentile(latencies, 0.95), 2),
            "strokes": len(latencies),
            "stroke_to_free_main_thread_p50_ms": round(statistics.median(free), 2),
            "stroke_to_free_main_thread_p95_ms": round(percentile(free, 0.95), 2),
            "longest_task_ms": round(longest, 1),
            "renderer": page.evaluate(RENDERER_JS),
        }
