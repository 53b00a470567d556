"""Train, evaluate and export the site's models.

Usage::

    python -m train {mnist-mlp,mnist-cnn,fashion-cnn,all,<run>,runs} [--epochs N] [--seed S]
                    [--limit N] [--quantize {float32,float16,uint8}] [--out DIR]

``all`` trains the models the site ships (into docs/models/); ``runs`` trains the
tutorial's extra runs (metrics only, into docs/runs/).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from train.config import MODELS, RUNS, WEIGHT_DTYPES
from train.metadata import MODELS_DIR, RUNS_DIR

GROUPS = {"all": list(MODELS), "runs": list(RUNS)}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m train",
        description="Train the site's Keras models offline and export them to TF.js.",
    )
    parser.add_argument(
        "model",
        choices=[*MODELS, "all", *RUNS, "runs"],
        help="which model to train ('all' = every model the site ships, 'runs' = every tutorial run)",
    )
    parser.add_argument("--epochs", type=int, help="override the config's epochs")
    parser.add_argument("--seed", type=int, help="override the config's seed")
    parser.add_argument("--limit", type=int, help="use only the first N train and N test images")
    parser.add_argument("--quantize", choices=WEIGHT_DTYPES, help="override the weight dtype in the browser")
    parser.add_argument("--out", type=Path, help=f"output folder (default {MODELS_DIR}, or {RUNS_DIR} for runs)")
    args = parser.parse_args(argv)
    for flag in ("epochs", "limit"):
        if getattr(args, flag) is not None and getattr(args, flag) < 1:
            parser.error(f"--{flag} must be at least 1")
    return args


def summary_table(rows: list[dict[str, object]]) -> str:
    """A fixed-width table: model, params, test accuracy, loss, seconds."""
    lines = [f"{'model':<14} {'params':>9} {'test acc':>9} {'loss':>7} {'seconds':>8}"]
    for r in rows:
        lines.append(f"{r['model']:<14} {r['params']:>9,} {r['accuracy']:>8.2%} {r['loss']:>7.4f} {r['seconds']:>8.1f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # Heavy imports after argument parsing, so --help and errors answer at once.
    from train.quiet import import_tensorflow

    import_tensorflow()
    from train import config, data, fetch
    from train.export import export_model, export_run
    from train.training import train_model

    names = GROUPS.get(args.model, [args.model])
    rows = []
    datasets: dict[str, data.Dataset] = {}
    for name in names:
        cfg = config.get(name, epochs=args.epochs, seed=args.seed, quantize=args.quantize)
        if cfg.dataset not in datasets:
            fetch.ensure(cfg.dataset)
            datasets[cfg.dataset] = data.load(cfg.dataset)
        print(f"\n== {name}: {cfg.epochs} epochs, seed {cfg.seed} ==", flush=True)
        start = time.perf_counter()
        result = train_model(cfg, datasets[cfg.dataset], limit=args.limit)
        if cfg.ships:
            folder = export_model(cfg, datasets[cfg.dataset], result, args.out or MODELS_DIR)
        else:
            folder = export_run(cfg, datasets[cfg.dataset], result, args.out or RUNS_DIR)
        seconds = time.perf_counter() - start
        print(f"exported {folder} (test accuracy {result.test_accuracy:.2%})", flush=True)
        rows.append(
            {
                "model": name,
                "params": result.model.count_params(),
                "accuracy": result.test_accuracy,
                "loss": result.test_loss,
                "seconds": seconds,
            }
        )
    print("\n" + summary_table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
