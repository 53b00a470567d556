"""Rewrite the committed models' metadata from ``train/config.py``, without retraining.

The contract half of each ``metadata.json`` (names, recipes, viewed layers, asset
names, config) is rebuilt from the config and validated; the measurements are
kept. The model's graph model (converted from its layers files), gallery and
activations assets are rewritten too: they need the dataset and the committed
weights, not training. Refuses, naming the
fields, when the config changed something that shapes the weights.

With ``--verdict``, the "not a digit" verdict is fitted again on the committed
weights (``train.export.verdict``: the validation drawings of both generators,
the threshold, the trade-off curve), as export fits it; the weights and
everything measured from them stay.

Usage::

    python -m train.refresh [MODEL ...] [--verdict]    # default: every committed model
"""

from __future__ import annotations

import argparse

from train import metadata
from train.config import MODELS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m train.refresh", description=__doc__.split("\n\n")[0])
    committed = sorted(p.parent.name for p in metadata.MODELS_DIR.glob("*/metadata.json"))
    parser.add_argument("models", nargs="*", metavar="MODEL", help=f"default: all of {', '.join(committed)}")
    parser.add_argument("--verdict", action="store_true", help="also fit the verdict again on the committed weights")
    args = parser.parse_args(argv)
    unknown = set(args.models) - set(committed)
    if unknown:
        parser.error(f"not a committed model: {', '.join(sorted(unknown))}")
    # Heavy imports after argument parsing, and TensorFlow's without its native start-up notices.
    from train.quiet import import_tensorflow

    import_tensorflow()
    from train import activations, data, fetch, tfjs
    from train.export import verdict
    from train.files import write_json
    from train.training import split
    from train.verdict import LABELS

    for name in args.models or committed:
        cfg, folder = MODELS[name], metadata.MODELS_DIR / name
        tfjs.save_graph(folder / tfjs.MODEL_FILE, (folder / metadata.GRAPH_FILE).parent, cfg.quantize)
        measured = {}
        if args.verdict and cfg.dataset in LABELS:
            fetch.ensure(cfg.dataset)
            measured["verdict"] = verdict(cfg, tfjs.load(folder), split(cfg, data.load(cfg.dataset)))
        meta = metadata.refresh(folder, cfg, measured)
        write_json(folder / "metadata.json", meta)
        if "gallery" in meta["assets"]:
            fetch.ensure(cfg.dataset)
            gallery = metadata.gallery(cfg, data.load(cfg.dataset))
            write_json(folder / meta["assets"]["gallery"], metadata.validate(gallery, "gallery"))
        if "activations" in meta["assets"]:
            activations.write_activations(folder)
        print(f"{name}: metadata rewritten from train/config.py")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
