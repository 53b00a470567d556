"""Issue 18's budgets, read off one benchmark run: the worst case of each, and where it was measured.

The Performance page quotes these, so that it says plainly which budgets a run meets.
"""

from __future__ import annotations

from tests.bench import lighthouse

BUDGETS = {
    "cold_first_prediction_ms": 600,
    "stroke_to_label_p95_ms": 4,
    "lighthouse_performance": 95,
    "lighthouse_performance_floor": 90,
    "tbt_above_baseline_ms": 100,
    "cls": 0.02,
}


def worst_widget_figures(rows: list[dict]) -> dict[str, dict[str, object]]:
    """The slower model's cold first prediction and stroke p95 among ``rows``, each against its budget."""
    out = {}
    for name, key in (
        ("cold_first_prediction", "cold_first_prediction_ms"),
        ("stroke_to_label_p95", "stroke_to_label_p95_ms"),
    ):
        row = max(rows, key=lambda r: r[key])
        out[name] = {"model": row["model"], "ms": row[key], "met": row[key] <= BUDGETS[key]}
    return out


def budgets(result: dict) -> dict[str, object]:
    """Each budget with the run's worst figure for it (digit models on the default backend; every page)."""
    default = [r for r in result["inference"] if r["backend"] == result["default_backend"]]
    out: dict[str, object] = {"limits": BUDGETS, **worst_widget_figures(default)}
    if "inference_without_gpu_process" in result:
        out["without_gpu_process"] = worst_widget_figures(result["inference_without_gpu_process"])
    if "lighthouse" in result:
        pages = lighthouse.summary(result["lighthouse"])
        perf, tbt, cls = pages["worst_performance"], pages["most_tbt_above_baseline"], pages["worst_cls"]
        out["lighthouse"] = {
            **pages,
            "performance_met": perf["score"] >= BUDGETS["lighthouse_performance"],
            "performance_floor_met": perf["score"] >= BUDGETS["lighthouse_performance_floor"],
            "tbt_met": tbt["ms"] <= BUDGETS["tbt_above_baseline_ms"],
            "cls_met": cls["cls"] <= BUDGETS["cls"],
        }
    return out


def warm_ratios(result: dict) -> dict[str, dict[str, float]]:
    """How many times as long as on WASM a warm prediction takes on each other backend, per model.

    The chapters quote these instead of typing "several times": {"mnist-cnn": {"webgl": 11.7, "cpu": 6.0}}.
    """
    rows = {(r["model"], r["backend"]): r["warm_p50_ms"] for r in result["inference"]}
    return {
        model: {b: round(rows[model, b] / rows[model, "wasm"], 1) for m, b in rows if m == model and b != "wasm"}
        for model in dict.fromkeys(m for m, _ in rows)
        if (model, "wasm") in rows
    }
