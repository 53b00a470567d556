"""What a digit model gets wrong: a fair sample of its test mistakes, as a gallery (PNG) and a table (HTML)."""

from __future__ import annotations

import html
from functools import cache
from typing import TypedDict

import numpy as np

from train.data import load
from train.figures.committed import model_metadata
from train.figures.png import png_bytes
from train.figures.raster import canvas, draw_text
from train.figures.style import CARD, INK_OTHER, INK_PREDICTED, INK_TEXT, INK_TRUE
from train.metadata import MODELS_DIR


class Mistake(TypedDict):
    """One test image a model gets wrong.

    ``image`` is uint8 (28, 28); ``probabilities`` holds every output as a float (one per class, then
    "not a digit" for a model with that output); ``total`` is how many mistakes the model makes in all.
    """

    index: int
    label: int
    predicted: int
    image: np.ndarray
    probabilities: list[float]
    total: int


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


def sample_mistakes(name: str, count: int = 24) -> list[Mistake]:
    """``count`` test images that model ``name`` gets wrong, evenly spaced over all its mistakes in
    test-set order (a fair sample, not hand-picked).

    The model's answer is its most probable class (as for the reported accuracy), and the number of
    mistakes must agree with the committed ``weights.test_accuracy``.

    Returns:
        One ``Mistake`` per image, in test-set order.
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


def mistakes_gallery(mistakes: list[Mistake], columns: int = 8, scale: int = 3) -> np.ndarray:
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


def mistakes_table(name: str, mistakes: list[Mistake]) -> str:
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


def mistakes_png(name: str) -> bytes:
    """PNG of ``mistakes_gallery`` for model ``name``'s sampled mistakes."""
    return png_bytes(mistakes_gallery(sample_mistakes(name)))


def mistakes_html(name: str) -> str:
    """``mistakes_table`` for model ``name``'s sampled mistakes (the same sample as ``mistakes_png``)."""
    return mistakes_table(name, sample_mistakes(name))
