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
        "forced_reflow": forced_reflow(audits.get("forced-reflow-insight", {})),
        # Where the main thread's time went: the three costliest scripts, and style and layout.
        "scripts": [
            {
                "script": i["url"].split("/")[-1] or i["url"],
                "total_ms": round(i["total"]),
                "scripting_ms": round(i["scripting"]),
            }
            for i in audits["bootup-time"]["details"]["items"][:3]
        ],
        "main_thread": {
            i["group"]: round(i["duration"]) for i in audits["mainthread-work-breakdown"]["details"]["items"]
        },
        "scores": {c: round(data["categories"][c]["score"] * 100) for c in CATEGORIES},
        "metrics": {name: round(audits[key]["numericValue"], 3) for key, name in METRICS.items()},
        "failed": sorted(
            key
            for key, a in audits.items()
            if a.get("score") is not None and a["score"] < 0.9 and a.get("scoreDisplayMode") in ("binary", "numeric")
        ),
    }


def forced_reflow(audit: dict) -> list[dict[str, object]]:
    """Where Lighthouse saw forced synchronous layouts: each source (script:line, or unattributed) and its time."""
    found = []
    for table in (audit.get("details") or {}).get("items", []):
        for item in table.get("items", []):
            source = item.get("source", {})
            where = (
                source.get("value")
                if source.get("type") == "text"
                else f"{source.get('url', '?')}:{source.get('line')}"
            )
            found.append({"source": where.split("/")[-1], "ms": round(item.get("reflowTime", 0), 1)})
    return sorted(found, key=lambda f: -f["ms"])[:8]


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
