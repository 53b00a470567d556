"""The dataflow graph TensorFlow traces from the Quickstart MLP (``tf.function``), op by op, as SVG."""

from __future__ import annotations

from typing import TypedDict

from train.figures.svg import svg_document, svg_text


class TracedOp(TypedDict):
    """One op of a traced forward pass.

    ``shape`` is the op's first output shape as Keras prints it ("(None, 512)"); ``inputs`` are the
    indices (into the list of ops) of the ops it reads; ``variable`` names the weight a ``ReadVariableOp``
    reads ("dense/kernel"), None for every other op.
    """

    type: str
    layer: str
    shape: str
    inputs: list[int]
    variable: str | None


def traced_ops(name: str = "mnist-mlp") -> list[TracedOp]:
    """The ops TensorFlow traces from a model's forward pass (``tf.function``, inference mode), in order.

    Builds the model from ``train.config`` (weights do not change the graph). Constants, variable
    handles and the final ``Identity`` are left out; a variable read becomes a ``variable`` entry.

    Returns:
        One ``TracedOp`` per op, in graph order: ``{"type": "MatMul", "layer": "dense", "shape": "(None, 512)",
        "inputs": [0, 1], "variable": None}``.
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
    ops: list[TracedOp] = []
    index: dict[str, int] = {}
    for op in graph.get_operations():
        if op.type in ("Const", "NoOp") or op.outputs and op.outputs[0].dtype == tf.resource:
            continue
        if op.type == "Identity" and "/" not in op.name:
            continue  # the function's output
        scope = op.name.split("/")
        entry: TracedOp = {
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
        layers.setdefault(ops[i]["layer"], []).append(i)
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
        body.append(svg_text(middle, y + 22, op["type"], anchor="middle", weight="bold"))
        if n + 1 < len(chain):
            body.append(
                f'<line x1="{middle}" y1="{y + row_height}" x2="{middle}" '
                f'y2="{y + row_height + gap - 1}" stroke="currentColor" stroke-width="1.5" '
                f'marker-end="url(#{name}-graph-arrow)"/>'
            )
            body.append(svg_text(middle + 8, y + row_height + gap // 2 + 5, op["shape"], opacity=0.8))
        for j in op["inputs"]:
            variable = ops[j]["variable"]
            if variable is None:
                continue
            vx, vy = 370, y
            body.append(
                f'<rect x="{vx}" y="{vy}" width="150" height="{row_height}" rx="4" fill="#ff5722" fill-opacity="0.16" '
                'stroke="currentColor" stroke-opacity="0.45"/>'
            )
            body.append(svg_text(vx + 75, vy + 15, variable, anchor="middle"))
            body.append(svg_text(vx + 75, vy + 29, ops[j]["shape"], anchor="middle", opacity=0.8))
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
