"""The drawing benchmark: real handwriting and non-digits drawn into the widget with the mouse.

Recorded in benchmark.json as the rows of ``drawings``: for each model, the share of drawn
digits read right and flagged "not a digit", and the share of non-digits flagged. The
drawings themselves are ``tests/bench/drawings.py``'s.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.bench.shared import Answer, cold_page, read_answers, right_answers, share
from tests.support.site import metadata_url
from tests.support.widget import WIDGET, wait_state

if TYPE_CHECKING:
    from playwright.sync_api import Browser


def is_flagged(answer: Answer, reject: str | None) -> bool:
    """Whether the widget flagged the drawing; a model without a verdict (the first version's) flags nothing."""
    return reject is not None and answer["verdict"] == reject


def digit_scores(said: list[Answer], digits: list[dict], reject: str | None) -> dict[str, object]:
    """Accuracy and flag rate of the widget's answers ``said`` to drawn ``digits``.

    Args:
        said: the widget's answers, in the order of ``digits``.
        digits: records with an int "label".
        reject: the verdict that flags a drawing, None for a model without one.
    """
    right = right_answers(said, digits)
    flagged = [is_flagged(a, reject) for a in said]
    return {
        "drawn_digits": len(digits),
        "drawn_digit_accuracy": share(right),
        "drawn_digits_flagged": share(flagged),
        "drawn_digits_right_and_accepted": share([r and not f for r, f in zip(right, flagged, strict=True)]),
        "accuracy_by_digit": {
            str(c): share([r for r, d in zip(right, digits, strict=True) if d["label"] == c])
            for c in sorted({d["label"] for d in digits})
        },
    }


def drawing_benchmark(
    browser: Browser,
    url: str,
    model: str,
    digits: list[dict],
    others: list[dict],
    independent: list[dict] | None = None,
) -> dict[str, object]:
    """Real handwriting redrawn with the mouse, and non-digits: accuracy and flag rates for one model.

    Args:
        browser: the Chromium the run launched.
        url: the served site's root (the digit page).
        model: a committed digit model's name.
        digits: test digits drawn by the training tracer's method.
        others: non-digits, each with its "kind" (letters, shapes, ...).
        independent: the same test digits drawn by train/hands.py, a generator sharing no code
            with the tracer; reported beside them, under "independent".
    """
    with cold_page(browser) as page:
        page.goto(f"{url}?model={model}")
        wait_state(page, WIDGET, "ready", timeout=120_000)
        # Only the answers count here: the feature maps would redraw after every drawing.
        page.uncheck(f"{WIDGET} [data-role=activations-toggle]")
        reject = page.evaluate(
            """async (url) => (await (await fetch(url)).json()).verdict?.labels.reject ?? null""",
            metadata_url(url, model),
        )
        said = read_answers(page, digits)
        said_independent = read_answers(page, independent) if independent else []
        other = read_answers(page, others)

    kinds = sorted({o["kind"] for o in others})
    return {
        "model": model,
        **digit_scores(said, digits, reject),
        **({"independent": digit_scores(said_independent, independent, reject)} if independent else {}),
        "non_digits": len(others),
        "non_digits_flagged": share([is_flagged(a, reject) for a in other]),
        "non_digits_flagged_by_kind": {
            k: share([is_flagged(a, reject) for a, o in zip(other, others, strict=True) if o["kind"] == k])
            for k in kinds
        },
        # Non-digits given a digit at >= 90 % and not flagged: the confidently wrong answers a reader sees.
        "non_digits_confident_90": share([a["confidence"] >= 0.9 and not is_flagged(a, reject) for a in other]),
    }
