"""Figures and statistics for the tutorial pages, generated from the data and the committed models.

Every file listed in ``OUTPUTS`` (paths relative to ``docs/``) is written by
``python -m train.figures``; none is ever drawn or edited by hand:

* ``assets/generated/<dataset>-samples.png``: the first three training images
  of every class, one class per column, white on black, scaled 3x;
* ``runs/datasets.json``: shapes, dtypes, pixel range and per-class counts;
* ``assets/icons/icon-<size>.png``: the site's icon, a 7 drawn with the
  widget's own pen (``train.drawing``) on the theme's orange, for the web app
  manifest and the browser tab;
* ``assets/generated/mnist-mlp-templates.png``: the Quickstart MLP's first
  Dense layer, each unit's 784 weights shown as a 28x28 template (read from the
  committed TF.js weights with NumPy alone);
* ``assets/generated/<model>-architecture.svg``: every shipped model's layers,
  output shapes and parameter counts, from its ``metadata.json``;
* ``assets/generated/<model>-mistakes.png`` and ``.html``: the first test
  images a digit model gets wrong, with its probabilities as bars, and the same
  numbers as a table (the model is the committed TF.js files, loaded in Keras);
* ``assets/generated/mnist-mlp-graph.svg``: the dataflow graph TensorFlow
  traces from the Quickstart MLP (``tf.function``), op by op.

The SVGs use ``currentColor``: included inline in a page, they take the page's
text colour, so they read in the light and the dark palette alike.

Usage::

    python -m train.figures            # everything
    python -m train.figures mnist-cnn  # only the outputs whose path contains "mnist-cnn"
"""

from __future__ import annotations

import html
import json
import struct
import sys
import zlib
from collections.abc import Callable
from functools import cache
from pathlib import Path

import numpy as np

from train.data import Dataset, load
from train.files import write_atomic
from train.metadata import DOCS, MODELS_DIR


def png_bytes(image: np.ndarray, level: int = 9) -> bytes:
    """Encode a uint8 array as a PNG (no imaging library needed): (h, w) grey, (h, w, 3) RGB or (h, w, 4) RGBA.

    Args:
        level: zlib level; 0 stores uncompressed, which is fast for huge test images.
    """
    height, width = image.shape[:2]
    colour = 0 if image.ndim == 2 else {3: 2, 4: 6}[image.shape[2]]
    raw = b"".join(b"\x00" + image[y].tobytes() for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, colour, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, level)) + chunk(b"IEND", b"")
    )


def sample_grid(data: Dataset, per_class: int = 3, scale: int = 3, gap: int = 2) -> np.ndarray:
    """uint8 image: ``per_class`` rows, one column per class, of training images."""
    classes = len(data.class_names)
    cell = 28 * scale + gap
    grid = np.full((per_class * cell + gap, classes * cell + gap), 60, np.uint8)
    for label in range(classes):
        images = data.x_train[data.y_train == label][:per_class]
        for row, image in enumerate(images):
            y, x = gap + row * cell, gap + label * cell
            grid[y : y + 28 * scale, x : x + 28 * scale] = np.kron(image, np.ones((scale, scale), np.uint8))
    return grid


def stats(data: Dataset) -> dict[str, object]:
    return {
        "class_names": list(data.class_names),
        "train_shape": list(data.x_train.shape),
        "test_shape": list(data.x_test.shape),
        "dtype": str(data.x_train.dtype),
        "train_size": len(data.x_train),
        "test_size": len(data.x_test),
        "pixel_min": int(data.x_train.min()),
        "pixel_max": int(data.x_train.max()),
        "train_counts": np.bincount(data.y_train, minlength=len(data.class_names)).tolist(),
        "test_counts": np.bincount(data.y_test, minlength=len(data.class_names)).tolist(),
        "source": data.source,
        "split": data.split,
    }


ICON_SIZES = (32, 192, 512)
ORANGE = (255, 87, 34)  # Material's deep orange, the site's primary colour
SEVEN = [[(0.3, 0.3), (0.7, 0.3), (0.45, 0.74)], [(0.39, 0.52), (0.62, 0.52)]]


def icon(size: int) -> np.ndarray:
    """(size, size, 4) uint8: a white 7, drawn with the widget's pen, on orange; the drawing stays inside
    the central 60 % (the safe zone of a maskable icon)."""
    from train.drawing import render

    ink = render(SEVEN, side=size, stroke_width=0.08).astype(np.float32)[..., None] / 255
    rgb = (1 - ink) * np.array(ORANGE, np.float32) + ink * 255
    return np.concatenate([rgb, np.full((size, size, 1), 255, np.float32)], axis=2).round().astype(np.uint8)


# ---------------------------------------------------------------------------------------------
# The committed models, read as the browser gets them


def read_weights(folder: Path) -> dict[str, np.ndarray]:
    """Every weight of a committed TF.js layers model, by name, as float32 (dequantized like TF.js does).

    Reads ``model.json``'s weights manifest and the ``.bin`` shards with NumPy alone.

    Returns:
        ``{"dense/kernel": float32 (784, 512), "dense/bias": float32 (512,), ...}``.
    """
    manifest = json.loads((folder / "model.json").read_text())["weightsManifest"]
    weights: dict[str, np.ndarray] = {}
    for group in manifest:
        buffer = b"".join((folder / path).read_bytes() for path in group["paths"])
        offset = 0
        for spec in group["weights"]:
            size = int(np.prod(spec["shape"], dtype=np.int64))
            quant = spec.get("quantization")
            stored = np.dtype(quant["dtype"] if quant else spec["dtype"])
            values = np.frombuffer(buffer, stored, size, offset).astype(np.float32)
            offset += size * stored.itemsize
            if quant and "scale" in quant:  # uint8 / uint16: affine dequantization
                values = values * np.float32(quant["scale"]) + np.float32(quant["min"])
            weights[spec["name"]] = values.reshape(spec["shape"])
        if offset != len(buffer):
            raise ValueError(f"{folder}: the weights manifest describes {offset} bytes, the shards hold {len(buffer)}")
    return weights


def model_metadata(name: str) -> dict:
    """The committed ``docs/models/<name>/metadata.json``."""
    return json.loads((MODELS_DIR / name / "metadata.json").read_text())


def layer_activations(name: str) -> dict[str, str]:
    """Each layer's activation ("relu", "softmax", ...) from the committed ``model.json``'s topology."""
    topology = json.loads((MODELS_DIR / name / "model.json").read_text())["modelTopology"]
    layers = topology.get("model_config", topology)["config"]["layers"]
    return {
        layer["config"]["name"]: layer["config"]["activation"]
        for layer in layers
        if layer["config"].get("activation") not in (None, "linear")
    }


# ---------------------------------------------------------------------------------------------
# Small raster tools: a diverging colour map and a 3x5 pixel font for digit labels

# ColorBrewer's RdBu, blue (negative) through near-white (zero) to red (positive).
DIVERGING = np.array(
    [(33, 102, 172), (103, 169, 207), (209, 229, 240), (247, 247, 247), (253, 219, 199), (239, 138, 98), (178, 24, 43)],
    np.float32,
)
NEUTRAL = (128, 128, 128)  # mid grey: a frame that reads on a light and on a dark page
CARD = (52, 52, 52)  # the mistakes gallery's background, as dark as MNIST's own
INK_TRUE = (38, 166, 154)  # teal: the right answer
INK_PREDICTED = (255, 112, 67)  # the site's orange: the model's answer
INK_OTHER = (150, 150, 150)
INK_TEXT = (215, 215, 215)
GLYPHS = {
    "0": ("111", "101", "101", "101", "111"),
    "1": ("010", "110", "010", "010", "111"),
    "2": ("111", "001", "111", "100", "111"),
    "3": ("111", "001", "011", "001", "111"),
    "4": ("101", "101", "111", "001", "001"),
    "5": ("111", "100", "111", "001", "111"),
    "6": ("111", "100", "111", "101", "111"),
    "7": ("111", "001", "010", "010", "010"),
    "8": ("111", "101", "111", "101", "111"),
    "9": ("111", "101", "111", "001", "111"),
    "?": ("111", "001", "011", "000", "010"),
    ">": ("00100", "00010", "11111", "00010", "00100"),  # an arrow
}


def diverging(values: np.ndarray) -> np.ndarray:
    """Values in [-1, 1] (any shape) -> uint8 RGB (..., 3) through ``DIVERGING``."""
    position = (np.clip(values, -1, 1) + 1) / 2 * (len(DIVERGING) - 1)
    low = np.minimum(np.floor(position).astype(int), len(DIVERGING) - 2)
    frac = (position - low)[..., None]
    return np.round(DIVERGING[low] * (1 - frac) + DIVERGING[low + 1] * frac).astype(np.uint8)


def canvas(height: int, width: int, colour: tuple[int, int, int]) -> np.ndarray:
    """An RGB uint8 image (height, width, 3) of one colour."""
    image = np.empty((height, width, 3), np.uint8)
    image[...] = colour
    return image


def draw_text(image: np.ndarray, text: str, y: int, x: int, colour: tuple[int, int, int], scale: int = 2) -> int:
    """Paint ``text`` (characters of ``GLYPHS``, 5 pixels high) at ``scale`` with its top-left at (y, x).

    Returns:
        The x just after the text.
    """
    for char in text:
        for row, bits in enumerate(GLYPHS[char]):
            for col, bit in enumerate(bits):
                if bit == "1":
                    top, left = y + row * scale, x + col * scale
                    image[top : top + scale, left : left + scale, :3] = colour
        x += (len(GLYPHS[char][0]) + 1) * scale
    return x


# ---------------------------------------------------------------------------------------------
# (a) What the first layer learned: a template per unit


def template_grid(kernel: np.ndarray, units: int = 64, columns: int = 8, scale: int = 3, gap: int = 4) -> np.ndarray:
    """The first ``units`` columns of a first-layer Dense kernel, each as a 28x28 picture.

    Args:
        kernel: float32 (784, n): the weight from each pixel (row by row) to each of n units.
        units: how many units to show (the first ones: unit order is arbitrary, so they are a fair sample).
        columns: units per row of the grid.
        scale: pixels per weight.
        gap: pixels of neutral grey between templates.

    Returns:
        uint8 RGB (h, w, 3). Each template has its own colour scale, symmetric about 0: red where ink
        raises the unit's weighted sum, blue where it lowers it, near-white for weights close to 0.
    """
    side = 28 * scale
    rows = -(-units // columns)
    grid = canvas(rows * (side + gap) + gap, columns * (side + gap) + gap, NEUTRAL)
    for unit in range(units):
        weights = kernel[:, unit].reshape(28, 28)
        # 17 shades (8 each way and white): indistinguishable from more, and a third of the bytes.
        rgb = diverging(np.round(weights / np.abs(weights).max() * 8) / 8)
        y, x = gap + (unit // columns) * (side + gap), gap + (unit % columns) * (side + gap)
        grid[y : y + side, x : x + side, :3] = np.kron(rgb, np.ones((scale, scale, 1), np.uint8))
    return grid


def mlp_templates(name: str = "mnist-mlp") -> bytes:
    """PNG of ``template_grid`` for a committed MLP's first Dense layer."""
    weights = read_weights(MODELS_DIR / name)
    first_dense = model_metadata(name)["layers"][1]["name"]
    return png_bytes(template_grid(weights[f"{first_dense}/kernel"]))


# ---------------------------------------------------------------------------------------------
# (b) What a model gets wrong


@cache
def committed_outputs(name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A committed model's outputs on its whole test set, from the TF.js files loaded in Keras.

    Returns:
        (uint8 test images (n, 28, 28), uint8 labels (n,), float32 outputs (n, outputs)): one
        probability per class, then "not a digit" for a model trained with that extra output.
    """
    from train import config, tfjs
    from train.training import prepare

    cfg = config.MODELS[name]
    data = load(cfg.dataset)
    model = tfjs.load(MODELS_DIR / name)
    probs = model.predict(prepare(cfg, data.x_test), batch_size=500, verbose=0)
    return data.x_test, data.y_test, probs


def sample_mistakes(name: str, count: int = 24) -> list[dict[str, object]]:
    """``count`` test images that model ``name`` gets wrong, evenly spaced over all its mistakes in
    test-set order (a fair sample, not hand-picked).

    The model's answer is its most probable class (as for the reported accuracy), and the number of
    mistakes must agree with the committed ``weights.test_accuracy``.

    Returns:
        One record per image: ``index``, ``label``, ``predicted``, ``image`` (uint8 28x28) and
        ``probabilities`` (float, every output), plus the totals in the first record's ``total``.
    """
    meta = model_metadata(name)
    images, labels, probs = committed_outputs(name)
    classes = len(meta["class_names"])
    predicted = probs[:, :classes].argmax(axis=1)
    wrong = np.flatnonzero(predicted != labels)
    expected = round((1 - meta["weights"]["test_accuracy"]) * len(labels))
    if len(wrong) != expected:
        raise ValueError(f"{name}: {len(wrong)} mistakes, but metadata.json's accuracy says {expected}")
    return [
        {
            "index": int(i),
            "label": int(labels[i]),
            "predicted": int(predicted[i]),
            "image": images[i],
            "probabilities": [float(p) for p in probs[i]],
            "total": len(wrong),
        }
        for i in wrong[np.unique(np.linspace(0, len(wrong) - 1, count).round().astype(int))]
    ]


def mistakes_gallery(mistakes: list[dict[str, object]], columns: int = 8, scale: int = 3) -> np.ndarray:
    """One card per mistake: "label > answer", the image, and a bar per output (0-9, then "?" = not a digit).

    Returns:
        uint8 RGB (h, w, 3): teal marks the right answer, orange the model's answer, grey the rest.
    """
    outputs = len(mistakes[0]["probabilities"])
    pitch, bar_height, pad = 8, 32, 6
    width = max(28 * scale, outputs * pitch) + 2 * pad
    height = pad + 15 + 6 + 28 * scale + 6 + bar_height + 3 + 10 + pad
    rows = -(-len(mistakes) // columns)
    gallery = canvas(rows * height, columns * width, CARD)
    for n, m in enumerate(mistakes):
        top, left = (n // columns) * height + pad, (n % columns) * width + pad
        x = draw_text(gallery, str(m["label"]), top, left, INK_TRUE, scale=3)
        x = draw_text(gallery, ">", top, x, INK_TEXT, scale=3)
        draw_text(gallery, str(m["predicted"]), top, x, INK_PREDICTED, scale=3)
        y = top + 21
        image_left = left + (width - 2 * pad - 28 * scale) // 2
        gallery[y : y + 28 * scale, image_left : image_left + 28 * scale, :3] = np.kron(
            m["image"], np.ones((scale, scale), np.uint8)
        )[..., None]
        base = y + 28 * scale + 6 + bar_height
        bars_left = left + (width - 2 * pad - outputs * pitch) // 2
        for k, p in enumerate(m["probabilities"]):
            colour = INK_TRUE if k == m["label"] else INK_PREDICTED if k == m["predicted"] else INK_OTHER
            bx = bars_left + k * pitch + 1
            gallery[base - 1 : base, bx : bx + pitch - 2, :3] = (90, 90, 90)
            filled = round(p * bar_height)
            gallery[base - filled : base, bx : bx + pitch - 2, :3] = colour
            draw_text(
                gallery,
                str(k) if k < 10 else "?",
                base + 3,
                bx,
                colour if k in (m["label"], m["predicted"]) else INK_TEXT,
            )
    return gallery


def mistakes_table(name: str, mistakes: list[dict[str, object]]) -> str:
    """The gallery's numbers as an HTML table in a collapsible block, to include in a page."""
    meta = model_metadata(name)
    names = [*meta["class_names"], "not a digit"]
    rows = []
    for m in mistakes:
        probs = m["probabilities"]
        ranked = sorted(range(len(probs)), key=lambda k: -probs[k])
        top = ", ".join(f"{names[k]}: {probs[k]:.1%}" for k in ranked[:3])
        rows.append(
            f"<tr><td>{m['index']}</td><td>{m['label']}</td><td>{m['predicted']}</td>"
            f"<td>{probs[m['label']]:.1%}</td><td>{html.escape(top)}</td></tr>"
        )
    return (
        '<details class="dl-chart-data"><summary>The numbers behind this figure: '
        f"{len(mistakes)} of the {mistakes[0]['total']:,} test images {html.escape(meta['title'])} gets wrong</summary>"
        "<table><thead><tr><th>test image</th><th>label</th><th>answer</th><th>probability of the label</th>"
        "<th>three most probable</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table></details>\n"
    )


# ---------------------------------------------------------------------------------------------
# (c) Architecture diagrams and the traced dataflow graph, as SVG


def svg_text(x: float, y: float, text: str, anchor: str = "start", weight: str = "normal", opacity: float = 1) -> str:
    extra = f' font-weight="{weight}"' if weight != "normal" else ""
    extra += f' fill-opacity="{opacity}"' if opacity != 1 else ""
    return f'<text x="{x:g}" y="{y:g}" text-anchor="{anchor}"{extra}>{html.escape(text)}</text>'


def svg_document(width: int, height: int, ident: str, title: str, description: str, body: list[str]) -> str:
    """A standalone SVG that also works inline in a page: text and lines in ``currentColor``."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'style="max-width: 100%; height: auto" role="img" aria-labelledby="{ident}-title {ident}-desc" '
        'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif" font-size="13" fill="currentColor">\n'
        f'<title id="{ident}-title">{html.escape(title)}</title>\n'
        f'<desc id="{ident}-desc">{html.escape(description)}</desc>\n'
        '<defs><marker id="' + ident + '-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="currentColor"/></marker></defs>\n'
        + "\n".join(body)
        + "\n</svg>\n"
    )


def python_shape(shape: list[int]) -> str:
    """Keras' printed shape of a batch: ``[512]`` -> ``(None, 512)``."""
    return "(" + ", ".join(["None", *map(str, shape)]) + ")"


def architecture_svg(name: str) -> str:
    """A committed model's layers, top to bottom: class, name, activation, output shape and parameters.

    Everything comes from ``docs/models/<name>/metadata.json`` (``input``, ``layers``, ``params``) and the
    activations named in its ``model.json``.
    """
    meta = model_metadata(name)
    activations = layer_activations(name)
    rows = [("Input", "your image", "", meta["input"]["shape"], None)]
    rows += [
        (layer["class"], layer["name"], activations.get(layer["name"], ""), layer["output_shape"], layer["params"])
        for layer in meta["layers"]
    ]
    width, row_height, gap, top = 600, 38, 14, 34
    box_left, box_right, name_x, shape_x = 20, 580, 222, 430
    body = [
        svg_text(box_left + 12, 20, "layer", weight="bold"),
        svg_text(name_x, 20, "name", weight="bold"),
        svg_text(shape_x, 20, "output shape", anchor="end", weight="bold"),
        svg_text(box_right - 12, 20, "parameters", anchor="end", weight="bold"),
    ]
    for i, (cls, layer_name, activation, shape, params) in enumerate(rows):
        y = top + i * (row_height + gap)
        fill = 'fill="#ff5722" fill-opacity="0.16"' if params else 'fill="currentColor" fill-opacity="0.05"'
        body.append(
            f'<rect x="{box_left}" y="{y}" width="{box_right - box_left}" height="{row_height}" rx="6" {fill} '
            'stroke="currentColor" stroke-opacity="0.45"/>'
        )
        body.append(svg_text(box_left + 12, y + 24, cls + (f" ({activation})" if activation else ""), weight="bold"))
        body.append(svg_text(name_x, y + 24, layer_name, opacity=0.75))
        body.append(svg_text(shape_x, y + 24, python_shape(shape), anchor="end"))
        body.append(svg_text(box_right - 12, y + 24, "" if params is None else f"{params:,}", anchor="end"))
        if i:
            body.append(
                f'<line x1="{box_left + 40}" y1="{y - gap}" x2="{box_left + 40}" y2="{y - 1}" stroke="currentColor" '
                f'stroke-width="1.5" marker-end="url(#{name}-architecture-arrow)"/>'
            )
    y = top + len(rows) * (row_height + gap)
    body.append(svg_text(box_right - 12, y + 8, f"total: {meta['params']:,} parameters", anchor="end", weight="bold"))
    description = "; ".join(
        f"{cls} {layer_name}{' ' + activation if activation else ''}, output {python_shape(shape)}"
        + ("" if params is None else f", {params:,} parameters")
        for cls, layer_name, activation, shape, params in rows
    )
    return svg_document(
        width,
        y + 20,
        f"{name}-architecture",
        f"The layers of {meta['title']}, top to bottom ({meta['params']:,} parameters in total)",
        description + ". Layers with parameters are tinted orange.",
        body,
    )


def verdict_curve_svg(name: str = "mnist-cnn") -> str:
    """The "not a digit" verdict's trade-off, from ``verdict.validation.trade_off`` in the model's metadata:
    x, the share of real drawn digits flagged (one line per drawing generator); y, the share of
    non-digits flagged; a dot where the shipped threshold sits."""
    verdict = model_metadata(name)["verdict"]
    curve, chosen = verdict["validation"]["trade_off"], verdict["validation"]
    width, height, left, right, top, bottom = 600, 330, 64, 24, 20, 56
    x_max = max(0.1, max(max(r["tracer_digits_flagged"], r["independent_digits_flagged"]) for r in curve))
    y_min = min(0.9, np.floor(min(r["non_digits_flagged"] for r in curve) * 20) / 20)

    def px(x: float, y: float) -> tuple[float, float]:
        return (
            left + x / x_max * (width - left - right),
            top + (1 - (y - y_min) / (1 - y_min)) * (height - top - bottom),
        )

    body = [
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - right}" y2="{height - bottom}" stroke="currentColor"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{height - bottom}" stroke="currentColor"/>',
    ]
    for k in range(6):
        x = x_max * k / 5
        gx, gy = px(x, y_min)
        body.append(svg_text(gx, gy + 18, f"{x * 100:.3g} %", anchor="middle"))
        y = y_min + (1 - y_min) * k / 5
        hx, hy = px(0, y)
        body.append(svg_text(hx - 8, hy + 4, f"{y * 100:.0f} %", anchor="end"))
    body.append(svg_text((left + width - right) / 2, height - 12, "real drawn digits flagged", anchor="middle"))
    body.append(
        f'<text x="16" y="{(top + height - bottom) / 2:g}" text-anchor="middle" '
        f'transform="rotate(-90 16 {(top + height - bottom) / 2:g})">non-digits flagged</text>'
    )
    styles = {
        "tracer": ('stroke="#ff5722"', "the training tracer's drawings"),
        "independent": ('stroke="#2196f3" stroke-dasharray="6 4"', "the independent generator's drawings"),
    }
    for i, (generator, (style, label)) in enumerate(styles.items()):
        points = " ".join(
            "{:.1f},{:.1f}".format(*px(r[f"{generator}_digits_flagged"], r["non_digits_flagged"])) for r in curve
        )
        body.append(f'<polyline points="{points}" fill="none" stroke-width="2.5" {style}/>')
        lx, ly = width - right - 300, height - bottom - 60 + 20 * i
        body.append(f'<line x1="{lx}" y1="{ly - 4}" x2="{lx + 28}" y2="{ly - 4}" stroke-width="2.5" {style}/>')
        body.append(svg_text(lx + 36, ly, label))
        at = chosen["by_generator"][generator]["flagged"]
        cx, cy = px(at, chosen["non_digits_flagged"])
        body.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="5" fill="currentColor"/>')
    body.append(
        svg_text(width - right - 300, height - bottom - 20, f"dots: the shipped threshold ({verdict['threshold']:.3g})")
    )
    description = "; ".join(
        f"threshold {r['threshold']:.3g}: {r['tracer_digits_flagged'] * 100:.1f} % of the tracer's and "
        f"{r['independent_digits_flagged'] * 100:.1f} % of the independent drawings flagged, "
        f"{r['non_digits_flagged'] * 100:.1f} % of non-digits"
        for r in curve[::4]
    )
    return svg_document(
        width,
        height,
        f"{name}-verdict-curve",
        "The verdict's trade-off on validation drawings: flagging more non-digits means flagging more real digits",
        description + ".",
        body,
    )


def traced_ops(name: str = "mnist-mlp") -> list[dict[str, object]]:
    """The ops TensorFlow traces from a model's forward pass (``tf.function``, inference mode), in order.

    Builds the model from ``train.config`` (weights do not change the graph). Constants, variable
    handles and the final ``Identity`` are left out; a variable read becomes a ``variable`` entry.

    Returns:
        ``[{"type": "MatMul", "layer": "dense", "shape": "(None, 512)", "inputs": [indices], "variable": str|None}]``.
    """
    import tensorflow as tf
    import tf_keras

    from train.config import MODELS
    from train.models import build_model

    cfg = MODELS[name]
    # Keras numbers layer names per process ("dense_7" after other models were built); a fresh
    # session gives the names a first build gets, so the figure does not depend on what ran before.
    tf_keras.backend.clear_session()
    model = build_model(cfg)
    spec = tf.TensorSpec([None, *cfg.input_shape], tf.float32)
    graph = tf.function(lambda x: model(x, training=False), autograph=False).get_concrete_function(spec).graph
    ops: list[dict[str, object]] = []
    index: dict[str, int] = {}
    for op in graph.get_operations():
        if op.type in ("Const", "NoOp") or op.outputs and op.outputs[0].dtype == tf.resource:
            continue
        if op.type == "Identity" and "/" not in op.name:
            continue  # the function's output
        scope = op.name.split("/")
        entry = {
            "type": op.type,
            "layer": "input" if op.type == "Placeholder" else scope[1],
            "shape": "(" + ", ".join("None" if d is None else str(d) for d in op.outputs[0].shape.as_list()) + ")",
            "inputs": [index[t.op.name] for t in op.inputs if t.op.name in index],
            "variable": None,
        }
        if op.type == "ReadVariableOp":
            entry["variable"] = f"{scope[1]}/{'kernel' if scope[2] == 'MatMul' else 'bias'}"
        index[op.name] = len(ops)
        ops.append(entry)
    return ops


def dataflow_svg(name: str = "mnist-mlp") -> str:
    """The traced ops of ``traced_ops`` as a graph: the data flows down, variables join from the right."""
    ops = traced_ops(name)
    chain = [i for i, op in enumerate(ops) if op["variable"] is None]
    row_height, gap, top, left, box_width = 34, 34, 16, 150, 150
    middle = left + box_width // 2
    position = {i: top + n * (row_height + gap) for n, i in enumerate(chain)}
    body: list[str] = []
    # The Keras layer each op belongs to, as a dashed frame behind its ops.
    layers: dict[str, list[int]] = {}
    for i in chain:
        layers.setdefault(str(ops[i]["layer"]), []).append(i)
    for layer, members in layers.items():
        if layer == "input":
            continue
        y0, y1 = position[members[0]] - 6, position[members[-1]] + row_height + 6
        body.append(
            f'<rect x="12" y="{y0}" width="516" height="{y1 - y0}" rx="8" fill="none" stroke="currentColor" '
            'stroke-opacity="0.35" stroke-dasharray="4 4"/>'
        )
        body.append(svg_text(20, y0 + 18, f"layer {layer}", opacity=0.75))
    for n, i in enumerate(chain):
        op, y = ops[i], position[i]
        body.append(
            f'<rect x="{left}" y="{y}" width="{box_width}" height="{row_height}" rx="17" fill="currentColor" '
            'fill-opacity="0.07" stroke="currentColor" stroke-opacity="0.6"/>'
        )
        body.append(svg_text(middle, y + 22, str(op["type"]), anchor="middle", weight="bold"))
        if n + 1 < len(chain):
            body.append(
                f'<line x1="{middle}" y1="{y + row_height}" x2="{middle}" '
                f'y2="{y + row_height + gap - 1}" stroke="currentColor" stroke-width="1.5" '
                f'marker-end="url(#{name}-graph-arrow)"/>'
            )
            body.append(svg_text(middle + 8, y + row_height + gap // 2 + 5, str(op["shape"]), opacity=0.8))
        for j in op["inputs"]:
            if ops[j]["variable"] is None:
                continue
            vx, vy = 370, y
            body.append(
                f'<rect x="{vx}" y="{vy}" width="150" height="{row_height}" rx="4" fill="#ff5722" fill-opacity="0.16" '
                'stroke="currentColor" stroke-opacity="0.45"/>'
            )
            body.append(svg_text(vx + 75, vy + 15, str(ops[j]["variable"]), anchor="middle"))
            body.append(svg_text(vx + 75, vy + 29, str(ops[j]["shape"]), anchor="middle", opacity=0.8))
            body.append(
                f'<line x1="{vx}" y1="{vy + row_height // 2}" x2="{left + box_width + 1}" y2="{y + row_height // 2}" '
                f'stroke="currentColor" stroke-width="1.5" marker-end="url(#{name}-graph-arrow)"/>'
            )
    last = ops[chain[-1]]
    y = position[chain[-1]] + row_height
    body.append(
        f'<line x1="{middle}" y1="{y}" x2="{middle}" y2="{y + gap - 1}" '
        f'stroke="currentColor" stroke-width="1.5" marker-end="url(#{name}-graph-arrow)"/>'
    )
    body.append(svg_text(middle + 8, y + gap // 2 + 5, f"{last['shape']}: probabilities", opacity=0.8))
    description = " then ".join(
        f"{ops[i]['type']}"
        + "".join(f" (with {ops[j]['variable']})" for j in ops[i]["inputs"] if ops[j]["variable"])
        + f" giving {ops[i]['shape']}"
        for i in chain
    )
    return svg_document(
        540,
        y + gap + 12,
        f"{name}-graph",
        "The dataflow graph TensorFlow traces from the Quickstart MLP",
        f"Operations from top to bottom: {description}.",
        body,
    )


# ---------------------------------------------------------------------------------------------
# Every output, and the command


def dataset_stats() -> str:
    summary = {name: stats(load(name)) for name in ("mnist", "fashion-mnist")}
    return json.dumps(summary, indent=1) + "\n"


def _mistakes(name: str, part: str) -> Callable[[], bytes | str]:
    def make() -> bytes | str:
        mistakes = sample_mistakes(name)
        return png_bytes(mistakes_gallery(mistakes)) if part == "png" else mistakes_table(name, mistakes)

    return make


SHIPPED = ("mnist-mlp", "mnist-cnn", "fashion-cnn")
DIGIT_MODELS = ("mnist-mlp", "mnist-cnn")
# Every generated file (path relative to docs/) and the function that makes its bytes.
OUTPUTS: dict[str, Callable[[], bytes | str]] = {
    **{
        f"assets/generated/{name}-samples.png": (lambda name=name: png_bytes(sample_grid(load(name))))
        for name in ("mnist", "fashion-mnist")
    },
    "runs/datasets.json": dataset_stats,
    **{f"assets/icons/icon-{size}.png": (lambda size=size: png_bytes(icon(size))) for size in ICON_SIZES},
    "assets/generated/mnist-mlp-templates.png": mlp_templates,
    **{f"assets/generated/{name}-architecture.svg": (lambda name=name: architecture_svg(name)) for name in SHIPPED},
    **{f"assets/generated/{name}-mistakes.png": _mistakes(name, "png") for name in DIGIT_MODELS},
    **{f"assets/generated/{name}-mistakes.html": _mistakes(name, "html") for name in DIGIT_MODELS},
    "assets/generated/mnist-mlp-graph.svg": dataflow_svg,
    "assets/generated/mnist-cnn-verdict-curve.svg": verdict_curve_svg,
}


def main(argv: list[str] | None = None) -> int:
    """Write every output of ``OUTPUTS`` (or those whose path contains one of ``argv``)."""
    wanted = sys.argv[1:] if argv is None else argv
    written = 0
    for path, make in OUTPUTS.items():
        if wanted and not any(word in path for word in wanted):
            continue
        write_atomic(DOCS / path, make())
        print(f"wrote docs/{path}")
        written += 1
    if wanted and not written:
        print(f"no output matches {wanted}; outputs: {', '.join(OUTPUTS)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
