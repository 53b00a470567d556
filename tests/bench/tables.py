"""Markdown tables of ``docs/runs/benchmark.json``, for the Performance page."""

from __future__ import annotations


def default_row(result: dict) -> dict:
    """The measurement of the first (default) model on the default backend."""
    first = result["inference"][0]["model"]
    return next(r for r in result["inference"] if r["model"] == first and r["backend"] == result["default_backend"])


def comparison(data: dict) -> str:
    """Before/after of the headline numbers, one column per label."""
    labels = list(data)
    rows = [
        (
            "stroke end to label, p95 (default backend, default model)",
            lambda r: f"{default_row(r)['stroke_to_label_p95_ms']:.1f} ms",
        ),
        (
            "cold load to first prediction (default backend, default model)",
            lambda r: f"{default_row(r)['cold_first_prediction_ms']:.0f} ms",
        ),
        ("warm inference p95 (default backend, default model)", lambda r: f"{default_row(r)['warm_p95_ms']:.2f} ms"),
        (
            "longest main-thread task while drawing (default backend, default model)",
            lambda r: f"{default_row(r)['longest_task_ms']:.0f} ms",
        ),
        ("digit page: bytes transferred (gzip)", lambda r: f"{r['page']['bytes_transferred']:,}"),
        ("digit page: bytes uncompressed", lambda r: f"{r['page']['bytes_uncompressed']:,}"),
        ("digit page: requests", lambda r: str(r["page"]["requests"])),
        ("default backend", lambda r: r["default_backend"]),
    ]
    lines = ["| measure | " + " | ".join(labels) + " |", "|---|" + "---|" * len(labels)]
    lines += [f"| {name} | " + " | ".join(fmt(data[label]) for label in labels) + " |" for name, fmt in rows]
    return "\n".join(lines)


def all_tables(data: dict) -> str:
    parts = ["### Before and after\n", comparison(data)]
    for label, result in data.items():
        machine = result["machine"]
        parts += [
            f"\n### All measurements: {label}\n",
            f"{machine['date']}, {machine['cores']} cores, Chromium {machine['chromium']}, WebGL renderer: {machine['renderer']}.\n",
            markdown(result),
        ]
    return "\n".join(parts) + "\n"


def markdown(result: dict) -> str:
    lines = [
        "| model | backend | ready (cold) | first prediction (cold) | warm p50 | warm p95 | stroke end to label p95 | longest task |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in result["inference"]:
        lines.append(
            f"| {r['model']} | {r['backend']} | {r['cold_ready_ms']:.0f} ms | {r['cold_first_prediction_ms']:.0f} ms "
            f"| {r['warm_p50_ms']:.2f} ms | {r['warm_p95_ms']:.2f} ms | {r['stroke_to_label_p95_ms']:.1f} ms "
            f"| {r['longest_task_ms']:.0f} ms |"
        )
    page = result["page"]
    lines.append(
        f"\nDigit page: {page['requests']} requests, {page['bytes_transferred']:,} bytes transferred "
        f"({page['bytes_uncompressed']:,} uncompressed). Default backend: {result['default_backend']}."
    )
    return "\n".join(lines)
