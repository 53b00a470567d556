"""Run the benchmark and write its results; see ``tests/bench/__init__.py``.

Usage::

    python -m tests.bench --label after [--predictions 300] [--strokes 20] [--parts inference,drawings]
    python -m tests.bench --tables      # rewrite benchmark.md from benchmark.json

``--parts`` picks what to measure (default: all): ``inference`` (every digit
model on every backend, and the page's bytes), ``drawings`` (the drawing
benchmark: tests/bench/data, drawn with the mouse into the widget) and
``lighthouse`` (every page, mobile defaults). A run with some parts keeps the
label's other parts from the previous run.
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

from tests.bench import lighthouse
from tests.bench.browser_training import train_in_browser
from tests.bench.budgets import budgets, warm_ratios
from tests.bench.fine_tune import fine_tune_in_browser
from tests.bench.inference import measure
from tests.bench.recognition import drawing_benchmark
from tests.bench.tables import all_tables
from tests.bench.weight import offline_cache, page_weight
from tests.support import drawings
from tests.support.browser import TEST_FLAGS, launch
from tests.support.site import ROOT, build_site, committed_models, free_port, nav_paths, serve

OUT = ROOT / "docs" / "runs" / "benchmark.json"
# "": the page's own choice (WASM here), as a reader gets it; the others forced with ?backend=.
BACKENDS = ("", "webgl", "cpu")
PARTS = ("inference", "drawings", "training", "fine-tune", "lighthouse")


def derived(result: dict) -> dict[str, object]:
    """What a run's measurements imply, kept beside them for the pages to quote."""
    out: dict[str, object] = {"warm_ratios": warm_ratios(result)}
    # Runs older than the budgets did not measure every figure they need.
    if all("stroke_to_label_p95_ms" in r for r in result["inference"]):
        out["budgets"] = budgets(result)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--label", help="name of this run in benchmark.json, e.g. before/after")
    parser.add_argument("--tables", action="store_true", help="only rewrite benchmark.md from benchmark.json")
    parser.add_argument("--predictions", type=int, default=300)
    parser.add_argument("--strokes", type=int, default=20)
    parser.add_argument("--parts", default=",".join(PARTS), help=f"comma-separated, of {', '.join(PARTS)}")
    parser.add_argument("--epochs", type=int, default=2, help="epochs of the in-browser training run")
    parser.add_argument(
        "--training-backends",
        default="automatic,webgl,webgpu",
        help="backends of the in-browser training runs, in this order ('automatic': the trainer's own choice)",
    )
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument(
        "--site-root", type=Path, default=ROOT, help="checkout to build (e.g. a worktree of an older commit)"
    )
    parser.add_argument(
        "--derive",
        action="store_true",
        help="only recompute what each run's measurements imply (budgets, ratios), then rewrite both files",
    )
    args = parser.parse_args(argv)
    if args.derive:
        data = json.loads(args.out.read_text())
        for result in data.values():
            if "inference" in result:
                result.update(derived(result))
        args.out.write_text(json.dumps(data, indent=1) + "\n")
        args.tables = True
    if args.tables:
        args.out.with_suffix(".md").write_text(all_tables(json.loads(args.out.read_text())))
        return 0
    if not args.label:
        parser.error("--label is required to measure")
    parts = args.parts.split(",")
    if set(parts) - set(PARTS):
        parser.error(f"--parts: choose from {', '.join(PARTS)}")

    from playwright.sync_api import sync_playwright

    # The pages quote this very benchmark: a part not measured yet must not stop the build.
    os.environ["DRAW_LEARN_UNMEASURED"] = "allow"
    port = free_port()
    digit_models = committed_models("mnist", root=args.site_root)
    data = json.loads(args.out.read_text()) if args.out.exists() else {}
    result = data.get(args.label, {})
    with (
        tempfile.TemporaryDirectory() as tmp,
        serve(build_site(Path(tmp), port, args.site_root), port, compress=True) as url,
    ):
        with sync_playwright() as p:
            browser = launch(p)
            result["machine"] = {
                **result.get("machine", {}),
                "cores": os.cpu_count(),
                "platform": platform.platform(),
                "chromium": browser.version,
                "date": time.strftime("%Y-%m-%d"),
            }
            if "inference" in parts:
                result["page"] = page_weight(browser, url)
                result["offline_cache"] = offline_cache(browser, url)
                rows = []
                for model in digit_models:
                    for backend in BACKENDS:
                        print(f"measuring {model} on {backend} ...", flush=True)
                        rows.append(measure(browser, url, model, backend, args.predictions, args.strokes))
                result["inference"] = rows
                result["default_backend"] = measure(browser, url, digit_models[0], "", 50, 5, cold_runs=1)["backend"]
                result["machine"]["renderer"] = rows[0]["renderer"]
                # Here the GPU process is SwiftShader, emulating a GPU on the same two cores as the page
                # and the worker. The same default-backend rows without it (no WebGL, compositing in the
                # renderer) show what the budgets cost where that emulation does not compete for the CPU.
                quick = launch(p, TEST_FLAGS)
                result["inference_without_gpu_process"] = []
                for model in digit_models:
                    print(f"measuring {model} on the default backend, without the GPU process ...", flush=True)
                    result["inference_without_gpu_process"].append(
                        measure(quick, url, model, "", args.predictions, args.strokes)
                    )
                quick.close()
            if "drawings" in parts:
                digits, others = drawings.load()
                independent = drawings.load_independent()
                result["drawings"] = []
                # Only the answers count here, on the default backend (wasm): without the GPU process
                # (software-rendered here) each drawing takes a third of the time.
                quick = launch(p, TEST_FLAGS)
                for model in digit_models:
                    print(
                        f"drawing {len(digits)} + {len(independent)} digits and {len(others)} non-digits for {model} ...",
                        flush=True,
                    )
                    result["drawings"].append(drawing_benchmark(quick, url, model, digits, others, independent))
                quick.close()
            if "training" in parts:
                result["browser_training"] = []
                for backend in args.training_backends.split(","):
                    backend = "" if backend == "automatic" else backend
                    print(f"training the quickstart MLP in the browser on {backend or 'its choice'} ...", flush=True)
                    result["browser_training"].append(train_in_browser(browser, url, backend, args.epochs))
            if "fine-tune" in parts:
                print("fine-tuning the CNN on mirrored drawings ...", flush=True)
                result["fine_tune"] = fine_tune_in_browser(browser, url, drawings.load()[0], 5, 10, 10)
            browser.close()
        if "lighthouse" in parts:
            result["lighthouse"] = {}
            for path in nav_paths(args.site_root):
                print(f"lighthouse: /{path} ...", flush=True)
                result["lighthouse"][path or "/"] = lighthouse.audit(url + path)
            # The worst page's score in each category: what the budgets are about.
            result["lighthouse_worst"] = {
                c.replace("-", "_"): min(a["scores"][c] for a in result["lighthouse"].values())
                for c in lighthouse.CATEGORIES
            }

    seconds = {
        name: json.loads((args.site_root / "docs" / "models" / name / "metadata.json").read_text())["epoch_seconds"]
        for name in committed_models(root=args.site_root)
    }
    result["training"] = {
        name: {"seconds_per_epoch": [round(s, 2) for s in s_], "mean_seconds_per_epoch": round(statistics.mean(s_), 2)}
        for name, s_ in seconds.items()
    }
    if "inference" in result:
        result.update(derived(result))
    data[args.label] = result
    args.out.write_text(json.dumps(data, indent=1) + "\n")
    tables = all_tables(data)
    args.out.with_suffix(".md").write_text(tables)
    print(tables)
    print(f"\nwrote {args.out} [{args.label}] and {args.out.with_suffix('.md')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
