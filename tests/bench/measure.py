"""Measurements of the digit page in a real browser: cold load, warm latency, strokes, bytes.

For each digit model and backend, with an empty browser cache:

* cold load: navigation -> model ready (TF.js, backend, weights and a warm-up
  prediction), and that plus the first drawn digit's stroke-end -> label time;
* warm latency of one refresh (read the pad, preprocess, predict, read back),
  p50/p95 over ``predictions`` runs, through the site's own modules;
* stroke end -> label shown, p50/p95 over real mouse strokes;
* the longest main-thread task while drawing;
* bytes transferred and requests for the digit page (default settings).
"""

from __future__ import annotations

import statistics
from pathlib import Path
from urllib.parse import urlparse

from tests.support.browser import RENDERER_JS
from tests.support.site import metadata_url
from tests.support.strokes import drawing_set
from tests.support.widget import WIDGET, draw, helpers

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
    clf.predict(preprocessDrawing(ink, pad.width, pad.height, preprocessing.drawing, input.image_size).pixels);
  };
  const times = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    run();
    times.push(performance.now() - t0);
  }
  return times;
}"""

WATCH_JS = """() => {
  const pad = document.querySelector('[data-widget="digit-classifier"] [data-role=pad]');
  const node = document.querySelector('[data-widget="digit-classifier"] [data-role=prediction]');
  window.__bench = { up: 0, latencies: [], longest: 0 };
  pad.addEventListener('pointerup', () => { window.__bench.up = performance.now(); }, true);
  new MutationObserver(() => {
    const b = window.__bench;
    if (b.up && node.dataset.label) { b.latencies.push(performance.now() - b.up); b.up = 0; }
  }).observe(node, { attributes: true, attributeFilter: ['data-label'] });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__bench.longest = Math.max(window.__bench.longest, e.duration);
  }).observe({ type: 'longtask' });
}"""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(browser, url: str, model: str, backend: str, predictions: int, strokes: int) -> dict[str, object]:
    """One model on one backend ('' = the automatic choice), from a cold start."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        query = f"?model={model}" + (f"&backend={backend}" if backend else "")
        page.goto(url + query)
        page.wait_for_selector(f'{WIDGET}[data-state="ready"]', timeout=120_000)
        # Milliseconds since navigation started, on the page's own clock.
        ready_ms = page.evaluate("() => performance.now()")
        page.evaluate(WATCH_JS)
        drawings = drawing_set()
        page.click(f"{WIDGET} [data-role=clear]")
        draw(page, drawings[0][1])
        page.wait_for_function("() => window.__bench.latencies.length > 0")
        first_ms = ready_ms + page.evaluate("() => window.__bench.latencies[0]")
        for k in range(1, strokes):
            page.click(f"{WIDGET} [data-role=clear]")
            draw(page, drawings[k % len(drawings)][1])
        page.wait_for_timeout(100)
        bench = page.evaluate("() => window.__bench")
        helpers(page)
        warm = page.evaluate(WARM_JS, {"url": metadata_url(url, model), "n": predictions})
        return {
            "model": model,
            "backend": page.get_attribute(WIDGET, "data-backend"),
            "cold_ready_ms": round(ready_ms, 1),
            "cold_first_prediction_ms": round(first_ms, 1),
            "warm_p50_ms": round(statistics.median(warm), 3),
            "warm_p95_ms": round(percentile(warm, 0.95), 3),
            "warm_runs": len(warm),
            "stroke_to_label_p50_ms": round(statistics.median(bench["latencies"]), 2),
            "stroke_to_label_p95_ms": round(percentile(bench["latencies"], 0.95), 2),
            "strokes": len(bench["latencies"]),
            "longest_task_ms": round(bench["longest"], 1),
            "renderer": page.evaluate(RENDERER_JS),
        }
    finally:
        context.close()


def page_weight(browser, url: str) -> dict[str, object]:
    """Bytes on the wire and requests for the digit page with default settings."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    requests = []
    page.on("requestfinished", lambda r: requests.append(r))
    page.goto(url)
    page.wait_for_selector(f'{WIDGET}[data-state="ready"]', timeout=120_000)
    page.wait_for_load_state("networkidle")
    transferred = body = 0
    by_type: dict[str, int] = {}
    for r in requests:
        sizes = r.sizes()
        wire = sizes["responseBodySize"] + sizes["responseHeadersSize"]
        transferred += wire
        kind = Path(urlparse(r.url).path).suffix or ".html"
        by_type[kind] = by_type.get(kind, 0) + wire
        body += len(r.response().body()) if r.response() else 0
    context.close()
    return {"requests": len(requests), "bytes_transferred": transferred, "bytes_uncompressed": body, "by_type": by_type}
