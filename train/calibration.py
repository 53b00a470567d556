"""How far a model's confidence can be trusted: a reliability diagram and the expected calibration error.

The test images are grouped by the model's confidence (its top probability) in
equal-width bins; in each bin the mean confidence is compared with the share of
answers that are right. A calibrated model is right 90 % of the time when it
says 90 %. The expected calibration error (ECE) is the gap, averaged over the
bins, each weighted by its share of the images (Guo et al., 2017).

Usage::

    python -m train.calibration MODEL_FOLDER OUT.json [--title TEXT]

writes the record for a committed model folder (the export writes the same
record into each model's metadata.json).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

BINS = 10


def reliability(probs: np.ndarray, labels: np.ndarray, bins: int = BINS) -> dict[str, object]:
    """Reliability of class probabilities ``probs`` (n, classes) against ``labels`` (n,).

    Returns:
        per bin (upper edge, count, mean confidence, accuracy; empty bins have
        count 0 and None), the ECE, and the share of wrong answers given with at
        least 90 % confidence.
    """
    confidence = probs.max(axis=1)
    right = probs.argmax(axis=1) == labels
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1], right=True), 0, bins - 1)
    rows, ece = [], 0.0
    for b in range(bins):
        inside = which == b
        n = int(inside.sum())
        conf = acc = None
        if n:
            conf, acc = float(confidence[inside].mean()), float(right[inside].mean())
            ece += n / len(labels) * abs(acc - conf)
        rows.append({"upper": float(edges[b + 1]), "count": n, "confidence": conf, "accuracy": acc})
    wrong = ~right
    return {
        "bins": rows,
        "ece": ece,
        "accuracy": float(right.mean()),
        "mean_confidence": float(confidence.mean()),
        "wrong_at_90": float((confidence[wrong] >= 0.9).mean()) if wrong.any() else 0.0,
        "images": len(labels),
    }


def main(argv: list[str] | None = None) -> int:
    from train import config, data, fetch, tfjs
    from train.files import write_json
    from train.training import prepare

    parser = argparse.ArgumentParser(prog="python -m train.calibration", description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="a model folder (model.json, metadata.json)")
    parser.add_argument("out", type=Path, help="where to write the record (JSON)")
    parser.add_argument("--title", default="", help="what this model is, for the pages")
    args = parser.parse_args(argv)
    meta = json.loads((args.folder / "metadata.json").read_text())
    cfg = config.get(meta["name"])
    fetch.ensure(cfg.dataset)
    ds = data.load(cfg.dataset)
    probs = tfjs.load(args.folder).predict(prepare(cfg, ds.x_test), batch_size=1000, verbose=0)
    record = {
        "title": args.title or meta["title"],
        "model": meta["name"],
        **reliability(probs[:, : cfg.num_classes], ds.y_test),
    }
    from train.metadata import validate

    write_json(args.out, validate(record, "calibration"))
    print(f"{args.out}: ECE {record['ece']:.4f}, accuracy {record['accuracy']:.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
