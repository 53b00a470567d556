"""The drawing benchmark in Python: digit models on both generators' drawings, train-on-A / test-on-B.

The browser benchmark (``python -m tests.bench --parts drawings``) draws every
drawing into the widget with the mouse; this command renders the same drawings
with the widget's pad and preprocessing ported bit for bit (``train.drawing``)
and runs the Keras model rebuilt from the files the browser loads, with the
verdict of its metadata.json. The parity tests check that TF.js and Keras agree
on the same inputs, so the two measure the same thing; this one takes a minute
and can measure a model folder of any commit::

    python -m tests.bench.generalise --models DIR --out docs/runs/NAME.json

Each model gets, per generator (``tracer``: train/tracing.py, the training
drawings' own method; ``independent``: train/hands.py), the share of the 600
drawn MNIST test digits read right, flagged "not a digit", and both; and the
share of the benchmark's non-digits flagged.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from tests.support import drawings
from tests.support.site import ROOT
from train.drawing import PAD_SIDE, preprocess_drawing, render

DIGIT_MODELS = ("mnist-cnn", "mnist-mlp")


def images(records: list[dict]) -> np.ndarray:
    """Drawings -> (n, 28, 28) float32 0..255 model inputs, each rendered on the canvas it was drawn on."""
    return np.stack([preprocess_drawing(render(r["strokes"], side=r.get("side", PAD_SIDE))) for r in records])


def evaluate(folder: Path) -> dict:
    """The model in ``folder`` (TF.js layers files + metadata.json) on both generators' test drawings."""
    from train import tfjs
    from train.verdict import outputs_of, scores

    meta = json.loads((folder / "metadata.json").read_text())
    classes, verdict = len(meta["class_names"]), meta["verdict"]
    model = tfjs.load(folder)
    shape = tuple(meta["input"]["shape"])
    divide_by = meta["input"]["divide_by"]
    outputs = outputs_of(model, lambda x: (x.astype(np.float32) / divide_by).reshape((-1, *shape)))
    traced, others = drawings.load()
    validation = verdict["validation"]
    out: dict[str, object] = {
        "model": meta["name"],
        "params": meta["params"],
        "test_accuracy": meta["test_accuracy"],
        # On the tracer's validation drawings that every run is scored on (older models: the only ones).
        "drawn_validation_accuracy": validation.get("runs_drawn_accuracy", validation["drawn_digits_accuracy"]),
    }
    for name, records in (("tracer", traced), ("independent", drawings.load_independent())):
        probs, logits = outputs(images(records))
        labels = np.array([r["label"] for r in records])
        right = probs[:, :classes].argmax(1) == labels
        flagged = scores(verdict["method"], probs, logits, classes) > verdict["threshold"]
        good = right & ~flagged
        out[name] = {
            "drawn_digits": len(records),
            "drawn_digit_accuracy": float(right.mean()),
            "drawn_digits_flagged": float(flagged.mean()),
            "drawn_digits_right_and_accepted": float(good.mean()),
        }
        if name == "independent":
            # Which hands and slips are hard: the share read right and accepted, per pointer and per fault.
            groups = {f"device-{r['device']}" for r in records} | {f"fault-{f}" for r in records for f in r["faults"]}
            groups.add("fault-none")

            def member(r: dict, group: str) -> bool:
                kind, value = group.split("-", 1)
                return (
                    r["device"] == value
                    if kind == "device"
                    else (value in r["faults"] or (value == "none" and not r["faults"]))
                )

            out[name]["right_and_accepted_by"] = {
                g: {"drawn_digits": int(sum(mask)), "share": float(good[mask].mean())}
                for g in sorted(groups)
                for mask in [np.array([member(r, g) for r in records])]
            }
    probs, logits = outputs(images(others))
    out["non_digits"] = len(others)
    out["non_digits_flagged"] = float((scores(verdict["method"], probs, logits, classes) > verdict["threshold"]).mean())
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.generalise", description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", type=Path, default=ROOT / "docs" / "models", help="folder of model folders")
    parser.add_argument("--out", type=Path, required=True, help="JSON file to write, e.g. docs/runs/NAME.json")
    args = parser.parse_args(argv)
    from train.quiet import import_tensorflow

    import_tensorflow()
    result = {name: evaluate(args.models / name) for name in DIGIT_MODELS if (args.models / name).is_dir()}
    args.out.write_text(json.dumps(result, indent=1) + "\n")
    for name, r in result.items():
        for g in ("tracer", "independent"):
            d = r[g]
            print(
                f"{name:10} {g:12} read right {d['drawn_digit_accuracy']:.2%}  flagged {d['drawn_digits_flagged']:.2%}"
            )
        print(f"{name:10} non-digits flagged {r['non_digits_flagged']:.2%}")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
