"""The "not a digit" verdict's trade-off curve, as SVG, from the committed metadata."""

from __future__ import annotations

import numpy as np

from train.figures.committed import model_metadata
from train.figures.svg import svg_document, svg_text


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
