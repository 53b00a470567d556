"""Touch and pen, as the browser delivers them (CDP input events, not synthetic DOM events),
on a phone-sized page: the digit is read, and the page does not scroll while drawing."""

from __future__ import annotations

import pytest

from tests.support.browser import watched_page
from tests.support.strokes import drawing_set
from tests.support.widget import WIDGET, prediction, settle, wait_state

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


def pad_box(page) -> dict:
    pad = page.locator(f"{WIDGET} canvas[data-role=pad]")
    pad.scroll_into_view_if_needed()
    return pad.bounding_box()


def touch_draw(cdp, box: dict, strokes) -> None:
    """Each stroke as one finger: touchStart, touchMoves, touchEnd."""
    for stroke in strokes:
        points = [(box["x"] + x * box["width"], box["y"] + y * box["height"]) for x, y in stroke]
        for i, (x, y) in enumerate(points):
            kind = "touchStart" if i == 0 else "touchMove"
            cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": [{"x": x, "y": y, "id": 1}]})
        cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def pen_draw(cdp, box: dict, strokes) -> None:
    """Each stroke as a pen: pressed, moved with pressure, lifted."""
    for stroke in strokes:
        points = [(box["x"] + x * box["width"], box["y"] + y * box["height"]) for x, y in stroke]
        common = {"pointerType": "pen", "button": "left", "clickCount": 1}
        cdp.send("Input.dispatchMouseEvent", {"type": "mousePressed", "x": points[0][0], "y": points[0][1], **common})
        for x, y in points[1:]:
            cdp.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y, "force": 0.6, **common})
        cdp.send(
            "Input.dispatchMouseEvent", {"type": "mouseReleased", "x": points[-1][0], "y": points[-1][1], **common}
        )


def densify(stroke, per_segment: int = 6):
    """More points along a stroke: touch and pen report many moves, not the drawing's corners only."""
    out = [stroke[0]]
    for (x0, y0), (x1, y1) in zip(stroke, stroke[1:], strict=False):
        out += [(x0 + (x1 - x0) * t / per_segment, y0 + (y1 - y0) * t / per_segment) for t in range(1, per_segment + 1)]
    return out


@pytest.fixture
def phone(browser, site_url):
    with watched_page(browser, **PHONE) as page:
        page.goto(site_url)
        wait_state(page, WIDGET, "ready", timeout=60_000)
        yield page, page.context.new_cdp_session(page)


@pytest.mark.parametrize("digit", [1, 3, 7])
def test_touch_draws_and_the_page_does_not_scroll(phone, digit):
    page, cdp = phone
    strokes = [densify(s) for s in next(s for d, s in drawing_set() if d == digit)]
    box = pad_box(page)
    scroll = page.evaluate("() => [scrollX, scrollY]")
    touch_draw(cdp, box, strokes)
    settle(page)
    assert page.evaluate("() => [scrollX, scrollY]") == scroll, "the page scrolled while drawing"
    assert prediction(page)[0] == str(digit)


def test_a_touch_swipe_outside_the_pad_still_scrolls_the_page(phone):
    """The check above can fail: the same gesture on the text scrolls."""
    page, cdp = phone
    # A finger moving up over text: the longest stretch of the screen above or below the pad.
    box, height = pad_box(page), PHONE["viewport"]["height"]
    start = page.evaluate("() => scrollY")
    above, below = (10, box["y"] - 10), (box["y"] + box["height"] + 10, height - 10)
    top, bottom = max(above, below, key=lambda span: span[1] - span[0])
    assert bottom - top > 150, (box, height)
    swipe = [(180, bottom - (bottom - top) * i / 11) for i in range(12)]
    for i, (px, py) in enumerate(swipe):
        cdp.send(
            "Input.dispatchTouchEvent",
            {"type": "touchStart" if i == 0 else "touchMove", "touchPoints": [{"x": px, "y": py, "id": 1}]},
        )
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    page.wait_for_function("(start) => scrollY > start", arg=start, timeout=5_000)


def test_pen_draws(phone):
    page, cdp = phone
    page.evaluate("() => { window.__pen = []; addEventListener('pointerdown', e => __pen.push(e.pointerType), true); }")
    strokes = [densify(s) for s in next(s for d, s in drawing_set() if d == 4)]
    pen_draw(cdp, pad_box(page), strokes)
    settle(page)
    assert set(page.evaluate("() => __pen")) == {"pen"}
    assert prediction(page)[0] == "4"


def test_the_layout_fits_a_360px_screen(phone):
    page, _ = phone
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    for role in ("pad", "prediction", "bars", "clear", "undo", "model"):
        box = page.locator(f"{WIDGET} [data-role={role}]").first.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 360, role
    pad = page.locator(f"{WIDGET} canvas[data-role=pad]").bounding_box()
    assert pad["width"] >= 240, "the pad is too small to draw on with a finger"
