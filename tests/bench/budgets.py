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


def budgets(result: dict) -> dict[str, object]:
    """Each budget with the run's worst figure for it (digit models on the default backend; every page)."""
    default = [r for r in result["inference"] if r["backend"] == result["default_backend"]]
    cold = max(default, key=lambda r: r["cold_first_prediction_ms"])
    stroke = max(default, key=lambda r: r["stroke_to_label_p95_ms"])
    out: dict[str, object] = {
        "limits": BUDGETS,
        "cold_first_prediction": {
            "model": cold["model"],
            "ms": cold["cold_first_prediction_ms"],
            "met": cold["cold_first_prediction_ms"] <= BUDGETS["cold_first_prediction_ms"],
        },
        "stroke_to_label_p95": {
            "model": stroke["model"],
            "ms": stroke["stroke_to_label_p95_ms"],
            "met": stroke["stroke_to_label_p95_ms"] <= BUDGETS["stroke_to_label_p95_ms"],
        },
    }
    if "inference_without_gpu_process" in result:
        rows = result["inference_without_gpu_process"]
        cold = max(rows, key=lambda r: r["cold_first_prediction_ms"])
        stroke = max(rows, key=lambda r: r["stroke_to_label_p95_ms"])
        out["without_gpu_process"] = {
            "cold_first_prediction": {
                "model": cold["model"],
                "ms": cold["cold_first_prediction_ms"],
                "met": cold["cold_first_prediction_ms"] <= BUDGETS["cold_first_prediction_ms"],
            },
            "stroke_to_label_p95": {
                "model": stroke["model"],
                "ms": stroke["stroke_to_label_p95_ms"],
                "met": stroke["stroke_to_label_p95_ms"] <= BUDGETS["stroke_to_label_p95_ms"],
            },
        }
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
