"""Architecture diagrams: every shipped model's layers, output shapes and parameter counts, as SVG."""

from __future__ import annotations

from train.figures.committed import layer_activations, model_metadata
from train.figures.svg import svg_document, svg_text


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
