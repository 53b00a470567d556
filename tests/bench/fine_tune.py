"""Fine-tuning in the reader's browser: the teach widget teaches the CNN a style it mostly gets wrong.

Recorded in benchmark.json as ``fine_tune``: the digit widget's accuracy on the new style
(mirrored digits) and on ordinary drawings, before and after.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.bench.shared import CHAPTER, cold_page, read_answers, right_answers, seconds_in, share
from tests.support.drawings import mirrored
from tests.support.widget import WIDGET, draw, wait_state

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

TEACH = '[data-widget="teach"]'


def accuracy(page: Page, drawings: list[dict]) -> float:
    """The share of ``drawings`` the digit widget reads right, drawn into it now."""
    return share(right_answers(read_answers(page, drawings), drawings))


def fine_tune_in_browser(
    browser: Browser, url: str, digits: list[dict], examples: int, new: int, ordinary: int
) -> dict[str, object]:
    """Teach the CNN mirrored digits through the widgets; its accuracy before and after.

    ``examples`` mirrored drawings of each digit are drawn into the teach widget and filed under
    their digit; Fine-tune runs; then the other drawings are drawn into the digit widget, before
    (the stock model) and after ("Your model").

    Args:
        browser: the Chromium the run launched.
        url: the served site's root.
        digits: drawn test digits, with an int "label"; each digit's first ones are used.
        examples: mirrored drawings of each digit taught.
        new: other mirrored drawings of each digit, to measure the style learnt.
        ordinary: unmirrored drawings of each digit, to measure what the style cost.
    """
    by_digit = {d: [x for x in digits if x["label"] == d] for d in range(10)}
    teach = [(d, mirrored(x)) for d in range(10) for x in by_digit[d][:examples]]
    style = [{"label": d, "strokes": mirrored(x)} for d in range(10) for x in by_digit[d][examples : examples + new]]
    plain = [x for d in range(10) for x in by_digit[d][examples + new : examples + new + ordinary]]
    with cold_page(browser) as page:
        page.goto(url + CHAPTER)
        wait_state(page, WIDGET, "ready", timeout=120_000)
        wait_state(page, TEACH, "collecting", timeout=120_000)
        page.uncheck(f"{WIDGET} [data-role=activations-toggle]")
        before = {"style": accuracy(page, style), "ordinary": accuracy(page, plain)}
        for digit, strokes in teach:
            page.click(f"{TEACH} [data-role=clear]")
            draw(page, strokes, steps=1, root=TEACH)
            page.click(f'{TEACH} [data-role=add-example][data-digit="{digit}"]')
        page.click(f"{TEACH} [data-role=fine-tune]")
        page.wait_for_selector(f'{TEACH}[data-state="trained"], {TEACH}[data-state="error"]', timeout=600_000)
        message = page.inner_text(f"{TEACH} [data-role=message]")
        # The widget switches to the fine-tuned model itself; the figures after must be its answers.
        page.wait_for_function(f"() => document.querySelector('{WIDGET} [data-role=model]').value === 'mine'")
        wait_state(page, WIDGET, "ready")
        after = {"style": accuracy(page, style), "ordinary": accuracy(page, plain)}
        results = page.locator(f"{TEACH} [data-role=results]")
        return {
            "style": "mirrored digits",
            "examples_per_digit": examples,
            "state": page.get_attribute(TEACH, "data-state"),
            "seconds": seconds_in(message, r"in ([\d.]+) s"),
            "new_style_drawings": len(style),
            "ordinary_drawings": len(plain),
            "before": before,
            "after": after,
            "held_out_before": float(results.get_attribute("data-before") or "nan"),
            "held_out_after": float(results.get_attribute("data-after") or "nan"),
            "mnist_after": float(results.get_attribute("data-mnist-after") or "nan"),
        }
