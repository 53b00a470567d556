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
        if "drawings" in result:
            parts += [f"\n#### Drawings: {label}\n", drawing_table(result["drawings"])]
        if "lighthouse" in result:
            parts += [f"\n#### Lighthouse (mobile defaults): {label}\n", lighthouse_table(result["lighthouse"])]
    return "\n".join(parts) + "\n"


def drawing_table(rows: list[dict]) -> str:
    """The drawing benchmark: per model and drawing generator, drawn-digit accuracy and the verdict's
    flag rates (the training tracer's drawings, and the independent generator's where measured)."""
    pct = lambda v: f"{v * 100:.1f} %"  # noqa: E731
    kinds = sorted({k for r in rows for k in r["non_digits_flagged_by_kind"]})
    lines = [
        "| model | drawn by | drawn digits read right | drawn digits flagged | non-digits flagged | "
        + " | ".join(f"{k}s flagged" for k in kinds)
        + " |",
        "|---|---|---|---|---|" + "---|" * len(kinds),
    ]
    for r in rows:
        others = f"{pct(r['non_digits_flagged'])} of {r['non_digits']} | " + " | ".join(
            pct(r["non_digits_flagged_by_kind"][k]) for k in kinds
        )
        sets = [("training tracer", r)] + ([("independent generator", r["independent"])] if "independent" in r else [])
        for generator, d in sets:
            lines.append(
                f"| {r['model']} | {generator} | {pct(d['drawn_digit_accuracy'])} of {d['drawn_digits']} "
                f"| {pct(d['drawn_digits_flagged'])} | {others} |"
            )
    return "\n".join(lines)


def lighthouse_table(pages: dict[str, dict]) -> str:
    """Lighthouse per page: the four scores, the metrics behind the performance score, and the total
    blocking time above the glossary page's (Material alone, no widget) in the same run."""
    metrics = sorted({m for audit in pages.values() for m in audit["metrics"]})
    baseline = pages.get("glossary/", {}).get("metrics", {}).get("tbt_ms")
    lines = [
        "| page | performance | accessibility | best practices | SEO | "
        + " | ".join(metrics)
        + " | tbt above the glossary's | failed audits |",
        "|---|---|---|---|---|" + "---|" * len(metrics) + "---|---|",
    ]
    for path, audit in pages.items():
        scores = audit["scores"]
        above = "n/a" if baseline is None else f"{audit['metrics']['tbt_ms'] - baseline:+.0f} ms"
        lines.append(
            f"| /{path.lstrip('/')} | {scores['performance']} | {scores['accessibility']} | {scores['best-practices']} "
            f"| {scores['seo']} | "
            + " | ".join(f"{audit['metrics'][m]:g}" for m in metrics)
            + f" | {above} | {', '.join(audit['failed']) or 'none'} |"
        )
    return "\n".join(lines)


def free_p95(row: dict) -> str:
    """Stroke end to the main thread's first free moment, p95 (runs before it was measured have none)."""
    ms = row.get("stroke_to_free_main_thread_p95_ms")
    return "not measured" if ms is None else f"{ms:.1f} ms"


def markdown(result: dict) -> str:
    lines = [
        "| model | backend | ready (cold) | first prediction (cold) | warm p50 | warm p95 | stroke end to label p95 "
        "| stroke end to main thread free p95 | longest task |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    quick = [
        {**r, "backend": f"{r['backend']}, no GPU process"} for r in result.get("inference_without_gpu_process", [])
    ]
    for r in result["inference"] + quick:
        lines.append(
            f"| {r['model']} | {r['backend']}{' (forced)' if r.get('forced') else ''} | {r['cold_ready_ms']:.0f} ms | {r['cold_first_prediction_ms']:.0f} ms "
            f"| {r['warm_p50_ms']:.2f} ms | {r['warm_p95_ms']:.2f} ms | {r['stroke_to_label_p95_ms']:.1f} ms "
            f"| {free_p95(r)} | {r['longest_task_ms']:.0f} ms |"
        )
    page = result["page"]
    lines.append(
        f"\nDigit page: {page['requests']} requests, {page['bytes_transferred']:,} bytes transferred "
        f"({page['bytes_uncompressed']:,} uncompressed). Default backend: {result['default_backend']}."
    )
    return "\n".join(lines)
