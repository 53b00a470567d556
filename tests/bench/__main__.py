"""Run the benchmark and write its results; see ``tests/bench/__init__.py``.

Usage::

    python -m tests.bench --label after [--predictions 300] [--strokes 20]
    python -m tests.bench --tables      # rewrite benchmark.md from benchmark.json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

from tests.bench.measure import measure, page_weight
from tests.bench.tables import all_tables
from tests.support.browser import launch
from tests.support.site import ROOT, build_site, committed_models, free_port, serve

OUT = ROOT / "docs" / "runs" / "benchmark.json"
BACKENDS = ("wasm", "webgl", "cpu")


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
    digit_models = committed_models("mnist", root=args.site_root)
    with (
        tempfile.TemporaryDirectory() as tmp,
        serve(build_site(Path(tmp), port, args.site_root), port, compress=True) as url,
    ):
        with sync_playwright() as p:
            browser = launch(p)
            weight = page_weight(browser, url)
            rows = []
            for model in digit_models:
                for backend in BACKENDS:
                    print(f"measuring {model} on {backend} ...", flush=True)
                    rows.append(measure(browser, url, model, backend, args.predictions, args.strokes))
            default = measure(browser, url, digit_models[0], "", 50, 5)
            version = browser.version
            browser.close()

    seconds = {
        name: json.loads((args.site_root / "docs" / "models" / name / "metadata.json").read_text())["epoch_seconds"]
        for name in committed_models(root=args.site_root)
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
        "training": {
            name: {
                "seconds_per_epoch": [round(s, 2) for s in s_],
                "mean_seconds_per_epoch": round(statistics.mean(s_), 2),
            }
            for name, s_ in seconds.items()
        },
    }
    data = json.loads(args.out.read_text()) if args.out.exists() else {}
    data[args.label] = result
    args.out.write_text(json.dumps(data, indent=1) + "\n")
    tables = all_tables(data)
    args.out.with_suffix(".md").write_text(tables)
    print(tables)
    print(f"\nwrote {args.out} [{args.label}] and {args.out.with_suffix('.md')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
