"""What several benchmark parts do alike: open a cold page, watch long tasks, read the widget's answers."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, TypedDict

from tests.support.browser import fresh_context
from tests.support.widget import WIDGET, draw, settle

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

# The chapter whose page holds the trainer and the teach widgets.
CHAPTER = "train-in-browser/"

WATCH_LONG_TASKS_JS = """() => {
  window.__tasks = { longest: 0 };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__tasks.longest = Math.max(window.__tasks.longest, e.duration);
  }).observe({ type: 'longtask' });
}"""


class Answer(TypedDict):
    """What the digit widget says about one drawing."""

    label: str | None
    confidence: float
    verdict: str | None


@contextlib.contextmanager
def cold_page(browser: Browser, **context_options: object) -> Iterator[Page]:
    """A page in a fresh context, closed on exit even when the part fails.

    A fresh context has an empty cache and no service worker: every part starts as a first visit.

    Args:
        browser: the Chromium the run launched.
        **context_options: Playwright context options beside the default 1280x900 viewport.
    """
    with fresh_context(browser, **context_options) as context:
        yield context.new_page()


def watch_long_tasks(page: Page) -> None:
    """Record the page's longest main-thread task from now on (read it with ``longest_task_ms``).

    Started once the widget is ready, so the load itself (timed by the cold figures) is not counted.
    """
    page.evaluate(WATCH_LONG_TASKS_JS)


def longest_task_ms(page: Page) -> float:
    """The longest main-thread task since ``watch_long_tasks``, in milliseconds (0 if none)."""
    return page.evaluate("() => window.__tasks.longest")


def seconds_in(text: str, pattern: str) -> float | None:
    """The seconds a widget's status ``text`` reports (``pattern``'s first group).

    Returns:
        The seconds, or None where the text has none (a run that failed): one part's failure must
        not cost the figures the others measured.
    """
    match = re.search(pattern, text)
    return float(match.group(1)) if match else None


def read_answers(page: Page, drawings: list[dict], root: str = WIDGET) -> list[Answer]:
    """Draw each drawing into the widget with the mouse; read back its answer and verdict.

    Args:
        page: a page whose widget ``root`` is ready.
        drawings: records with "strokes" in pad units (0..1).
        root: the widget's selector.
    """
    answers = []
    for i, drawing in enumerate(drawings):
        if i and i % 100 == 0:
            print(f"  {i} of {len(drawings)} drawn", flush=True)
        page.click(f"{root} [data-role=clear]")
        draw(page, drawing["strokes"], steps=1, root=root)
        settle(page)
        node = page.locator(f"{root} [data-role=prediction]")
        answers.append(
            Answer(
                label=node.get_attribute("data-label"),
                confidence=float(node.get_attribute("data-confidence") or "nan"),
                verdict=node.get_attribute("data-verdict"),
            )
        )
    return answers


def right_answers(said: list[Answer], digits: list[dict]) -> list[bool]:
    """Whether each answer names its drawing's digit (labels are ints in the data, strings on the page)."""
    return [a["label"] == str(d["label"]) for a, d in zip(said, digits, strict=True)]


def share(hits: list[bool]) -> float:
    """The share of True in ``hits``: an accuracy or a flag rate."""
    return sum(hits) / len(hits)
