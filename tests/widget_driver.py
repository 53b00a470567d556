"""Drive the digit widget as a reader would: real mouse strokes on the pad."""

from __future__ import annotations

from tests.strokes import Stroke

WIDGET = '[data-widget="digit-classifier"]'


def open_widget(page, url: str, timeout: float = 60_000):
    """Go to ``url`` and wait until the digit widget says it is ready."""
    page.goto(url)
    page.wait_for_selector(f'{WIDGET}[data-state="ready"]', timeout=timeout)
    return page.locator(WIDGET)


def draw(page, strokes: list[Stroke], steps: int = 4) -> None:
    """Draw strokes given in pad units (0..1) with page.mouse."""
    pad = page.locator(f"{WIDGET} canvas[data-role=pad]")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    for stroke in strokes:
        x, y = stroke[0]
        page.mouse.move(box["x"] + x * box["width"], box["y"] + y * box["height"])
        page.mouse.down()
        for x, y in stroke[1:]:
            page.mouse.move(box["x"] + x * box["width"], box["y"] + y * box["height"], steps=steps)
        page.mouse.up()


def settle(page) -> None:
    """Wait two animation frames: any scheduled prediction has run by then."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def prediction(page) -> tuple[str, float]:
    node = page.locator(f"{WIDGET} [data-role=prediction]")
    return node.get_attribute("data-label"), float(node.get_attribute("data-confidence"))


def select_model(page, name: str) -> None:
    page.select_option(f"{WIDGET} select[data-role=model]", name)
    page.wait_for_selector(f'{WIDGET}[data-state="ready"]')
    settle(page)
