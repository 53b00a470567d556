"""Benchmark of the reader's experience, in Debian's headless Chromium.

Builds the site, serves it on 127.0.0.1 (gzip-compressing text and wasm, as
static hosts do) and measures, for each digit model and each backend:

* cold load, with an empty browser cache: navigation -> model ready (TF.js,
  backend, weights and a warm-up prediction), and that plus the first drawn
  digit's stroke-end -> label time;
* warm latency of the widget's full refresh (read the pad, preprocess, predict,
  read back, update the page), p50/p95 over --predictions runs;
* stroke end -> label shown, p50/p95 over real mouse strokes;
* the longest main-thread task while drawing;
* bytes transferred and requests for the digit page (default settings);
* training seconds per epoch of every model (from metadata.json).

Results are merged into ``docs/runs/benchmark.json`` under ``--label`` (e.g.
``before`` / ``after``) and printed as a Markdown table; the Performance page
renders the committed file.

Usage::

    python -m tests.bench --label after [--predictions 300] [--strokes 20]
    python -m tests.bench --tables      # rewrite benchmark.md from benchmark.json
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

from tests.conftest import CHROMIUM, CHROMIUM_FLAGS, ROOT, free_port
from tests.strokes import drawing_set
from tests.widget_driver import WIDGET, draw

OUT = ROOT / "docs" / "runs" / "benchmark.json"
BACKENDS = ("wasm", "webgl", "cpu")
COMPRESSED = (".html", ".js", ".css", ".json", ".wasm", ".svg", ".xml")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files; text and wasm gzip-compressed when the browser accepts it."""

    cache: dict[str, bytes] = {}

    def log_message(self, *args):
        pass

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        if not (path.endswith(COMPRESSED) and "gzip" in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        if not os.path.isfile(path):
            return super().send_head()
        if path not in self.cache:
            self.cache[path] = gzip.compress(Path(path).read_bytes(), 6)
        body = self.cache[path]
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


WARM_JS = """async (n) => {
  const w = document.querySelector('[data-widget="digit-classifier"]').widget;
  let run = w && (() => w.refresh());
  if (!run) {
    // Widgets that do not expose themselves: the same work through their modules.
    const { preprocessDrawing } = await import('./assets/js/lib/preprocess.js');
    const { loadClassifier } = await import('./assets/js/lib/classifier.js');
    const name = document.querySelector('[data-role=model]').value;
    const clf = await loadClassifier(window.tf, new URL('models/' + name + '/', location.href));
    const pad = document.querySelector('[data-role=pad]');
    run = () => {
      const rgba = pad.getContext('2d').getImageData(0, 0, pad.width, pad.height).data;
      const ink = new Uint8ClampedArray(pad.width * pad.height);
      for (let j = 0; j < ink.length; j++) ink[j] = rgba[j * 4 + 3];
      clf.predict(preprocessDrawing(ink, pad.width, pad.height, clf.metadata.preprocessing).pixels);
    };
  }
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


def measure(browser, url: str, model: str, backend: str, predictions: int, strokes: int) -> dict[str, object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{url}?backend={backend}&model={model}")
        page.wait_for_selector(f'{WIDGET}[data-state="ready"]', timeout=120_000)
        if page.get_attribute(f"{WIDGET} [data-role=model]", "value") != model:
            page.select_option(f"{WIDGET} select[data-role=model]", model)
            page.wait_for_selector(f'{WIDGET}[data-state="ready"]')
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
        warm = page.evaluate(WARM_JS, predictions)
        renderer = page.evaluate(
            "() => { const gl = document.createElement('canvas').getContext('webgl2');"
            " const i = gl && gl.getExtension('WEBGL_debug_renderer_info');"
            " return gl ? gl.getParameter(i ? i.UNMASKED_RENDERER_WEBGL : gl.RENDERER) : 'no WebGL'; }"
        )
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
            "renderer": renderer,
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


def build(root: Path, out: Path, port: int) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": f"http://127.0.0.1:{port}/"}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(out)], cwd=root, env=env, check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--label", help="name of this run in benchmark.json, e.g. before/after")
    parser.add_argument("--tables", action="store_true", help="only rewrite benchmark.md from benchmark.json")
    parser.add_argument("--predictions", type=int, default=300)
    parser.add_argument("--strokes", type=int, default=20)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument(
        "--site-root", type=Path, default=ROOT, help="checkout to build (e.g. a worktree of an older commit)"
    )
    args = parser.parse_args(argv)
    if args.tables:
        args.out.with_suffix(".md").write_text(all_tables(json.loads(args.out.read_text())))
        return 0
    if not args.label:
        parser.error("--label is required to measure")

    from playwright.sync_api import sync_playwright

    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        build(args.site_root, Path(tmp), port)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(GzipHandler, directory=tmp))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{port}/"
        digit_models = [
            p.parent.name
            for p in sorted((args.site_root / "docs" / "models").glob("*/metadata.json"))
            if json.loads(p.read_text())["dataset"] == "mnist"
        ]
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            weight = page_weight(browser, url)
            rows = []
            for model in digit_models:
                for backend in BACKENDS:
                    print(f"measuring {model} on {backend} ...", flush=True)
                    rows.append(measure(browser, url, model, backend, args.predictions, args.strokes))
            default = measure(browser, url.rstrip("/") + "/", digit_models[0], "", 50, 5)
            version = browser.version
            browser.close()
        server.shutdown()

    training = {
        p.parent.name: {
            "seconds_per_epoch": [round(s, 2) for s in json.loads(p.read_text())["epoch_seconds"]],
            "mean_seconds_per_epoch": round(statistics.mean(json.loads(p.read_text())["epoch_seconds"]), 2),
        }
        for p in sorted((args.site_root / "docs" / "models").glob("*/metadata.json"))
    }
    result = {
        "machine": {
            "cores": os.cpu_count(),
            "platform": platform.platform(),
            "chromium": version,
            "renderer": rows[0]["renderer"],
            "date": time.strftime("%Y-%m-%d"),
        },
        "default_backend": default["backend"],
        "page": weight,
        "inference": rows,
        "training": training,
    }
    data = json.loads(args.out.read_text()) if args.out.exists() else {}
    data[args.label] = result
    args.out.write_text(json.dumps(data, indent=1) + "\n")
    tables = all_tables(data)
    args.out.with_suffix(".md").write_text(tables)
    print(tables)
    print(f"\nwrote {args.out} [{args.label}] and {args.out.with_suffix('.md')}")
    return 0


def default_row(result: dict) -> dict:
    """The measurement of the first (default) model on the default backend."""
    first = result["inference"][0]["model"]
    return next(r for r in result["inference"] if r["model"] == first and r["backend"] == result["default_backend"])


def comparison(data: dict) -> str:
    """Before/after of the headline numbers, one column per label."""
    labels = list(data)
    rows = [
        (
            "stroke end to label, p95 (default backend, default model)",
            lambda r: f"{default_row(r)['stroke_to_label_p95_ms']:.1f} ms",
        ),
        (
            "cold load to first prediction (default backend, default model)",
            lambda r: f"{default_row(r)['cold_first_prediction_ms']:.0f} ms",
        ),
        ("warm inference p95 (default backend, default model)", lambda r: f"{default_row(r)['warm_p95_ms']:.2f} ms"),
        (
            "longest main-thread task while drawing (default backend, default model)",
            lambda r: f"{default_row(r)['longest_task_ms']:.0f} ms",
        ),
        ("digit page: bytes transferred (gzip)", lambda r: f"{r['page']['bytes_transferred']:,}"),
        ("digit page: bytes uncompressed", lambda r: f"{r['page']['bytes_uncompressed']:,}"),
        ("digit page: requests", lambda r: str(r["page"]["requests"])),
        ("default backend", lambda r: r["default_backend"]),
    ]
    lines = ["| measure | " + " | ".join(labels) + " |", "|---|" + "---|" * len(labels)]
    lines += [f"| {name} | " + " | ".join(fmt(data[label]) for label in labels) + " |" for name, fmt in rows]
    return "\n".join(lines)


def all_tables(data: dict) -> str:
    parts = ["### Before and after\n", comparison(data)]
    for label, result in data.items():
        machine = result["machine"]
        parts += [
            f"\n### All measurements: {label}\n",
            f"{machine['date']}, {machine['cores']} cores, Chromium {machine['chromium']}, WebGL renderer: {machine['renderer']}.\n",
            markdown(result),
        ]
    return "\n".join(parts) + "\n"


def markdown(result: dict) -> str:
    lines = [
        "| model | backend | ready (cold) | first prediction (cold) | warm p50 | warm p95 | stroke end to label p95 | longest task |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in result["inference"]:
        lines.append(
            f"| {r['model']} | {r['backend']} | {r['cold_ready_ms']:.0f} ms | {r['cold_first_prediction_ms']:.0f} ms "
            f"| {r['warm_p50_ms']:.2f} ms | {r['warm_p95_ms']:.2f} ms | {r['stroke_to_label_p95_ms']:.1f} ms "
            f"| {r['longest_task_ms']:.0f} ms |"
        )
    page = result["page"]
    lines.append(
        f"\nDigit page: {page['requests']} requests, {page['bytes_transferred']:,} bytes transferred "
        f"({page['bytes_uncompressed']:,} uncompressed). Default backend: {result['default_backend']}."
    )
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
