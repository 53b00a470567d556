"""Measurements of the digit page in a real browser: cold load, warm latency, strokes, bytes.

For each digit model and backend, with an empty browser cache:

* cold load: navigation -> model ready (TF.js, backend, weights and a warm-up
  prediction), and that plus the first drawn digit's stroke-end -> label time;
* warm latency of one refresh (read the pad, preprocess, ask the engine's worker, get the
  answer back), p50/p95 over ``predictions`` runs, through the site's own modules;
* stroke end -> label shown, p50/p95 over real mouse strokes;
* the longest main-thread task while drawing;
* bytes transferred and requests for the digit page (default settings).
"""

from __future__ import annotations

import re
import statistics
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

from playwright.sync_api import Error as PlaywrightError

from tests.support.browser import RENDERER_JS
from tests.support.drawings import mirrored
from tests.support.site import metadata_url
from tests.support.strokes import drawing_set
from tests.support.widget import WIDGET, draw, helpers, settle, wait_state

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
        wait_state(page, WIDGET, "ready", timeout=120_000)
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


# Material's search box: the whole site's text, and the worker script that indexes it, fetched at load.
SEARCH_FILES = re.compile(r"/search/search_index\.json$|/javascripts/workers/search\.[0-9a-f]+\.min\.js$")


def uncompressed_size(request) -> int:
    """The body's bytes after decoding; a worker that has ended keeps no body, so its file is read again."""
    response = request.response()
    if not response:
        return 0
    try:
        return len(response.body())
    except PlaywrightError:
        with urllib.request.urlopen(request.url) as again:  # the local server: no gzip without asking
            return len(again.read())


def page_weight(browser, url: str) -> dict[str, object]:
    """Bytes on the wire and requests for the digit page with default settings, from a cold cache,
    until the network is idle after its first prediction.

    The service worker is blocked: its precache (the whole site, for offline use) downloads in
    the background after the page has loaded; ``offline_cache`` measures it on its own.
    """
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    page = context.new_page()
    requests = []
    page.on("requestfinished", lambda r: requests.append(r))
    page.goto(url)
    wait_state(page, WIDGET, "ready", timeout=120_000)
    draw(page, drawing_set()[0][1])
    page.wait_for_function(f"() => document.querySelector('{WIDGET} [data-role=prediction]').dataset.label !== ''")
    page.wait_for_load_state("networkidle")
    transferred = body = search = 0
    by_type: dict[str, int] = {}
    for r in requests:
        sizes = r.sizes()
        wire = sizes["responseBodySize"] + sizes["responseHeadersSize"]
        if not sizes["responseBodySize"] and r.response():
            # Chromium reports no body size for a worker's own script: its Content-Length is what travelled.
            wire += int(r.response().headers.get("content-length", 0))
        if SEARCH_FILES.search(urlparse(r.url).path):
            search += wire
            continue
        transferred += wire
        kind = Path(urlparse(r.url).path).suffix or ".html"
        by_type[kind] = by_type.get(kind, 0) + wire
        body += uncompressed_size(r)
    context.close()
    return {
        "requests": len(requests) - (search > 0),
        "bytes_transferred": transferred,
        "bytes_uncompressed": body,
        "by_type": by_type,
        # Material's search worker fetches the whole site's text at load, in parallel: the page's
        # weight counts what the first prediction needs (the budget's definition); search is beside it.
        "search_bytes": search,
        "bytes_transferred_with_search": transferred + search,
    }


def offline_cache(browser, url: str) -> dict[str, object]:
    """What the service worker keeps for offline use after one visit: files and bytes (uncompressed)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(url)
        page.wait_for_function(
            "async () => (await navigator.serviceWorker.ready).active?.state === 'activated'", timeout=120_000
        )
        return page.evaluate(
            """async () => {
              let files = 0, bytes = 0;
              for (const name of await caches.keys()) {
                const cache = await caches.open(name);
                for (const request of await cache.keys()) {
                  files++;
                  bytes += (await (await cache.match(request)).arrayBuffer()).byteLength;
                }
              }
              return { files, bytes };
            }"""
        )
    finally:
        context.close()


def read_answers(page, drawings: list[dict], root: str = WIDGET) -> list[dict[str, object]]:
    """Draw each drawing into the widget with the mouse; read back its answer and verdict."""
    answers = []
    for i, drawing in enumerate(drawings):
        if i and i % 100 == 0:
            print(f"  {i} of {len(drawings)} drawn", flush=True)
        page.click(f"{root} [data-role=clear]")
        draw(page, drawing["strokes"], steps=1, root=root)
        settle(page)
        node = page.locator(f"{root} [data-role=prediction]")
        answers.append(
            {
                "label": node.get_attribute("data-label"),
                "confidence": float(node.get_attribute("data-confidence")),
                "verdict": node.get_attribute("data-verdict"),
            }
        )
    return answers


def digit_scores(said: list[dict], digits: list[dict], reject: str | None) -> dict[str, object]:
    """Accuracy and flag rate of the widget's answers ``said`` to drawn ``digits``."""
    right = [a["label"] == str(d["label"]) for a, d in zip(said, digits, strict=True)]
    flagged = [reject is not None and a["verdict"] == reject for a in said]
    return {
        "drawn_digits": len(digits),
        "drawn_digit_accuracy": sum(right) / len(digits),
        "drawn_digits_flagged": sum(flagged) / len(digits),
        "drawn_digits_right_and_accepted": sum(r and not f for r, f in zip(right, flagged, strict=True)) / len(digits),
        "accuracy_by_digit": {
            str(c): sum(r for r, d in zip(right, digits, strict=True) if d["label"] == c)
            / sum(d["label"] == c for d in digits)
            for c in sorted({d["label"] for d in digits})
        },
    }


def drawing_benchmark(
    browser, url: str, model: str, digits: list[dict], others: list[dict], independent: list[dict] | None = None
) -> dict[str, object]:
    """Real handwriting redrawn with the mouse, and non-digits: accuracy and flag rates for one model.

    ``digits`` come from the training tracer's method; ``independent`` (the same test digits drawn by
    train/hands.py, a generator sharing no code with it) are reported beside them, under "independent".
    """
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{url}?model={model}")
        wait_state(page, WIDGET, "ready", timeout=120_000)
        # Only the answers count here: the feature maps would redraw after every drawing.
        page.uncheck(f"{WIDGET} [data-role=activations-toggle]")
        reject = page.evaluate(
            """async (url) => (await (await fetch(url)).json()).verdict?.labels.reject ?? null""",
            metadata_url(url, model),
        )
        said = read_answers(page, digits)
        said_independent = read_answers(page, independent) if independent else []
        other = read_answers(page, others)
    finally:
        context.close()

    # A model without a verdict (the first version's) flags nothing.
    def is_flagged(answer: dict) -> bool:
        return reject is not None and answer["verdict"] == reject

    kinds = sorted({o["kind"] for o in others})
    return {
        "model": model,
        **digit_scores(said, digits, reject),
        **({"independent": digit_scores(said_independent, independent, reject)} if independent else {}),
        "non_digits": len(others),
        "non_digits_flagged": sum(map(is_flagged, other)) / len(others),
        "non_digits_flagged_by_kind": {
            k: sum(is_flagged(a) for a, o in zip(other, others, strict=True) if o["kind"] == k)
            / sum(o["kind"] == k for o in others)
            for k in kinds
        },
        # Non-digits given a digit at >= 90 % and not flagged: the confidently wrong answers a reader sees.
        "non_digits_confident_90": sum(a["confidence"] >= 0.9 and not is_flagged(a) for a in other) / len(others),
    }


TRAINER = '[data-widget="trainer"]'
TEACH = '[data-widget="teach"]'
CHAPTER = "train-in-browser/"


def train_in_browser(browser, url: str, backend: str, epochs: int) -> dict[str, object]:
    """The trainer widget from a cold page: Train pressed, the quickstart MLP trained in its worker,
    on ``backend`` (forced with ?backend=) or, for '', on the one the trainer chooses.

    Also records the longest main-thread task while it trains (the worker must keep the page responsive).
    """
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{url}{CHAPTER}" + (f"?backend={backend}" if backend else ""))
        wait_state(page, TRAINER, "idle", timeout=120_000)
        page.evaluate(WATCH_TASKS_JS)
        page.select_option(f"{TRAINER} [data-role=epochs]", str(epochs))
        page.click(f"{TRAINER} [data-role=train]")
        wait_state(page, TRAINER, "training", timeout=300_000)
        page.wait_for_selector(f'{TRAINER}[data-state="trained"], {TRAINER}[data-state="error"]', timeout=2_400_000)
        status = page.inner_text(f"{TRAINER} [data-role=status]")
        seconds = float(re.search(r"after (\d+) s", status).group(1)) if "after" in status else None
        return {
            # '' asks for nothing: the backend the trainer chose, as a reader gets it, and why.
            "asked": backend or "automatic",
            "backend": page.text_content(f"{TRAINER} [data-role=backend]"),
            "why": page.text_content(f"{TRAINER} [data-role=backend-why]").strip("()"),
            "epochs": epochs,
            "state": page.get_attribute(TRAINER, "data-state"),
            "test_accuracy": float(page.get_attribute(f"{TRAINER} [data-role=test-accuracy]", "data-value") or 0),
            "training_seconds": seconds,
            "longest_task_ms": page.evaluate("() => window.__tasks.longest"),
        }
    finally:
        context.close()


WATCH_TASKS_JS = """() => {
  window.__tasks = { longest: 0 };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__tasks.longest = Math.max(window.__tasks.longest, e.duration);
  }).observe({ type: 'longtask' });
}"""


def fine_tune_in_browser(browser, url: str, digits: list[dict], examples: int, new: int, ordinary: int) -> dict:
    """Teach the CNN a style the stock model mostly gets wrong (mirrored digits), through the widgets.

    ``examples`` mirrored drawings of each digit are drawn into the teach widget and filed under their
    digit; Fine-tune runs; then ``new`` other mirrored drawings and ``ordinary`` unmirrored ones of each
    digit are drawn into the digit widget, before (the stock model) and after ("Your model").
    """
    by_digit = {d: [x for x in digits if x["label"] == d] for d in range(10)}
    teach = [(d, mirrored(x)) for d in range(10) for x in by_digit[d][:examples]]
    style = [{"label": d, "strokes": mirrored(x)} for d in range(10) for x in by_digit[d][examples : examples + new]]
    plain = [x for d in range(10) for x in by_digit[d][examples + new : examples + new + ordinary]]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(url + CHAPTER)
        wait_state(page, WIDGET, "ready", timeout=120_000)
        wait_state(page, TEACH, "collecting", timeout=120_000)
        page.uncheck(f"{WIDGET} [data-role=activations-toggle]")

        def accuracy(drawings):
            said = read_answers(page, drawings)
            return sum(a["label"] == str(d["label"]) for a, d in zip(said, drawings, strict=True)) / len(drawings)

        before = {"style": accuracy(style), "ordinary": accuracy(plain)}
        for digit, strokes in teach:
            page.click(f"{TEACH} [data-role=clear]")
            draw(page, strokes, steps=1, root=TEACH)
            page.click(f'{TEACH} [data-role=add-example][data-digit="{digit}"]')
        page.click(f"{TEACH} [data-role=fine-tune]")
        page.wait_for_selector(f'{TEACH}[data-state="trained"], {TEACH}[data-state="error"]', timeout=600_000)
        message = page.inner_text(f"{TEACH} [data-role=message]")
        page.wait_for_function(f"() => document.querySelector('{WIDGET} [data-role=model]').value === 'mine'")
        wait_state(page, WIDGET, "ready")
        after = {"style": accuracy(style), "ordinary": accuracy(plain)}
        results = page.locator(f"{TEACH} [data-role=results]")
        return {
            "style": "mirrored digits",
            "examples_per_digit": examples,
            "state": page.get_attribute(TEACH, "data-state"),
            "seconds": float(re.search(r"in ([\d.]+) s", message).group(1)),
            "new_style_drawings": len(style),
            "ordinary_drawings": len(plain),
            "before": before,
            "after": after,
            "held_out_before": float(results.get_attribute("data-before") or "nan"),
            "held_out_after": float(results.get_attribute("data-after") or "nan"),
            "mnist_after": float(results.get_attribute("data-mnist-after")),
        }
    finally:
        context.close()
