"""Lighthouse (npm ``lighthouse``) on every page of the built site, mobile defaults, Debian's Chromium.

Each page is audited from a fresh browser profile, as Lighthouse does, with its
default mobile emulation and simulated slow-4G throttling, against the site
served gzip-compressed (as static hosts serve it).
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path

from tests.support.browser import CHROMIUM, CHROMIUM_FLAGS
from tests.support.site import ROOT

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
METRICS = {
    "first-contentful-paint": "fcp_ms",
    "largest-contentful-paint": "lcp_ms",
    "total-blocking-time": "tbt_ms",
    "cumulative-layout-shift": "cls",
    "speed-index": "speed_index_ms",
}


def audit(url: str) -> dict[str, object]:
    """Scores (0-100) and the headline metrics of one page, plus the failed audits' ids."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        flags = " ".join(["--headless=new", *CHROMIUM_FLAGS, f"--user-data-dir={tmp}/profile"])
        proc = subprocess.run(
            [
                "npx", "--no-install", "lighthouse", url, "--quiet", f"--chrome-flags={flags}",
                "--output=json", f"--output-path={report}", f"--only-categories={','.join(CATEGORIES)}",
            ],
            cwd=ROOT, env={**os.environ, "CHROME_PATH": CHROMIUM}, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        if proc.returncode or not report.is_file():
            raise RuntimeError(f"lighthouse failed on {url}:\n{proc.stderr[-2000:]}")
        data = json.loads(report.read_text())
    audits = data["audits"]
    return {
        "scores": {c: round(data["categories"][c]["score"] * 100) for c in CATEGORIES},
        "metrics": {name: round(audits[key]["numericValue"], 3) for key, name in METRICS.items()},
        "failed": sorted(
            key
            for key, a in audits.items()
            if a.get("score") is not None and a["score"] < 0.9 and a.get("scoreDisplayMode") in ("binary", "numeric")
        ),
    }


BASELINE_PAGE = "glossary/"


def summary(pages: dict[str, dict]) -> dict[str, object]:
    """The budgets' view of one run: the worst page for each, with the glossary page (Material alone,
    no widget) as the baseline of total blocking time measured in the same run."""
    baseline = pages[BASELINE_PAGE]["metrics"]["tbt_ms"]
    above = {path: audit["metrics"]["tbt_ms"] - baseline for path, audit in pages.items()}
    worst_perf = min(pages, key=lambda p: pages[p]["scores"]["performance"])
    worst_tbt = max(above, key=above.get)
    worst_cls = max(pages, key=lambda p: pages[p]["metrics"]["cls"])
    return {
        "baseline_page": BASELINE_PAGE,
        "baseline_tbt_ms": baseline,
        "worst_performance": {"page": worst_perf, "score": pages[worst_perf]["scores"]["performance"]},
        "most_tbt_above_baseline": {"page": worst_tbt, "ms": round(above[worst_tbt], 1)},
        "worst_cls": {"page": worst_cls, "cls": pages[worst_cls]["metrics"]["cls"]},
    }
