"""Training in the reader's browser: the trainer widget's quickstart MLP, per backend.

Recorded in benchmark.json as the rows of ``browser_training`` (``training`` holds the
Python pipeline's epoch times, read from the committed models' metadata).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.bench.shared import CHAPTER, cold_page, longest_task_ms, seconds_in, watch_long_tasks
from tests.support.widget import wait_state

if TYPE_CHECKING:
    from playwright.sync_api import Browser

TRAINER = '[data-widget="trainer"]'


def train_in_browser(browser: Browser, url: str, backend: str, epochs: int) -> dict[str, object]:
    """The trainer widget from a cold page: Train pressed, the quickstart MLP trained in its worker.

    Also records the longest main-thread task from the press of Train to the end of training (the worker
    must keep the page responsive); the charts started before, when they came into view.

    Args:
        browser: the Chromium the run launched.
        url: the served site's root.
        backend: forced with ?backend=; '' for the one the trainer chooses.
        epochs: one of the trainer's epoch choices.
    """
    with cold_page(browser) as page:
        page.goto(f"{url}{CHAPTER}" + (f"?backend={backend}" if backend else ""))
        wait_state(page, TRAINER, "idle", timeout=120_000)
        # As a reader meets it: the charts (Chart.js, the Python run) start as they come into view.
        page.locator(f"{TRAINER} [data-role=loss-chart]").scroll_into_view_if_needed()
        page.wait_for_selector(f'{TRAINER}[data-charts="ready"]', timeout=60_000)
        watch_long_tasks(page)
        page.select_option(f"{TRAINER} [data-role=epochs]", str(epochs))
        page.click(f"{TRAINER} [data-role=train]")
        wait_state(page, TRAINER, "training", timeout=300_000)
        page.wait_for_selector(f'{TRAINER}[data-state="trained"], {TRAINER}[data-state="error"]', timeout=2_400_000)
        return {
            # '' asks for nothing: the backend the trainer chose, as a reader gets it, and why.
            "asked": backend or "automatic",
            "backend": page.text_content(f"{TRAINER} [data-role=backend]"),
            "why": (page.text_content(f"{TRAINER} [data-role=backend-why]") or "").strip("()"),
            "epochs": epochs,
            "state": page.get_attribute(TRAINER, "data-state"),
            "test_accuracy": float(page.get_attribute(f"{TRAINER} [data-role=test-accuracy]", "data-value") or 0),
            "training_seconds": seconds_in(page.inner_text(f"{TRAINER} [data-role=status]"), r"after (\d+) s"),
            "longest_task_ms": longest_task_ms(page),
        }
