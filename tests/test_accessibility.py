"""Accessibility: axe-core (from npm, injected into the page) finds nothing on any page, in
either palette, with every widget ready and after a prediction; the widgets work by keyboard."""

from __future__ import annotations

import json

import pytest

from tests.support.browser import watched_page
from tests.support.site import ROOT, nav_paths
from tests.support.strokes import drawing_set
from tests.support.widget import FASHION, WIDGET, draw, settle, wait_state, wait_until_everything_is_drawn

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.1 A and AA, and axe's best practices (heading order, landmarks, region...).
RUN_AXE = """async (within) => {
  const result = await axe.run(within ? { include: [[within]] } : document, { resultTypes: ['violations'],
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
  return result.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => `${n.target.join(' ')}: ${n.failureSummary.split('\\n').slice(1, 3).join(' ')}`) }));
}"""


def audit(page, within: str | None = None) -> list[dict]:
    """axe's violations on the page, or only inside the elements matching ``within``."""
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(RUN_AXE, within)


def ready(page) -> None:
    """Every section shown, every widget in its ready state, every chart drawn.

    Sections off the screen are skipped by the browser (content-visibility), styles included, until
    they come near it: a reader sees each one rendered, in the palette of the moment, and so does axe.
    """
    page.add_style_tag(content=".md-typeset .dl-section { content-visibility: visible !important }")
    wait_until_everything_is_drawn(page)
    page.evaluate("() => scrollTo(0, 0)")


def predicted(page) -> None:
    """Each model widget after an answer (the digit one: a digit, then something that is not one)."""
    if page.locator(WIDGET).count():
        draw(page, next(s for d, s in drawing_set() if d == 5), root=WIDGET)
        settle(page)
    if page.locator(FASHION).count():
        page.locator(f"{FASHION} [data-role=gallery] button").first.click()
        settle(page)


def switch_palette(page) -> str:
    """Click Material's palette toggle, as a reader does; the new scheme ('default' or 'slate')."""
    before = page.get_attribute("body", "data-md-color-scheme")
    page.locator("[data-md-component=palette] label:not([hidden])").click()
    page.wait_for_function("(b) => document.body.dataset.mdColorScheme !== b", arg=before)
    # The toggle's tooltip shows while the pointer rests on it; a reader moves on, and so does the test
    # (mid-fade, the tooltip's text would be measured at part of its contrast).
    page.mouse.move(1, 600)
    page.evaluate("() => document.activeElement?.blur()")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.md-tooltip')].every((t) => getComputedStyle(t).opacity === '0')"
    )
    # The widgets and charts repaint on the change, in the next frames.
    page.evaluate("() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")
    return page.get_attribute("body", "data-md-color-scheme")


@pytest.mark.parametrize("half", [0, 1], ids=["odd pages", "even pages"])
def test_axe_finds_no_violation_on_any_page_in_either_palette(browser, site_url, half):
    """Every page in both palettes, ready and after an answer. The reader's choice of palette is kept
    from page to page, so pages alternate which palette they load in and which they switch to.
    Every other page of the nav per half, so that the suite's two workers can share the pages."""
    paths = nav_paths()[half::2]
    # axe is injected as a script, which the site's own policy would (rightly) block.
    found = {}
    loaded_in = set()
    with watched_page(browser, color_scheme="light", bypass_csp=True) as page:
        for path in paths:
            page.goto(site_url + path)
            ready(page)
            first = page.get_attribute("body", "data-md-color-scheme")
            loaded_in.add(first)
            found[f"/{path} ready, {first}"] = audit(page)
            second = switch_palette(page)
            found[f"/{path} ready, {second}"] = audit(page)
            if page.locator(f"{WIDGET}, {FASHION}").count():
                # An answer changes only the widgets: they are audited again, in both palettes.
                predicted(page)
                found[f"/{path} predicted, {second}"] = audit(page, "[data-widget]")
                switch_palette(page)
                found[f"/{path} predicted, {first}"] = audit(page, "[data-widget]")
    assert len(found) >= 2 * len(paths)
    assert loaded_in == {"default", "slate"}, "every page loaded in the same palette"
    violations = {where: v for where, v in found.items() if v}
    assert not violations, json.dumps(violations, indent=1)


def focus_state(page) -> dict:
    return page.evaluate(
        """() => {
          const e = document.activeElement;
          const s = getComputedStyle(e);
          const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
          return { role: e.dataset.role || e.closest('[data-role]')?.dataset.role || '', tag: e.tagName.toLowerCase(),
                   inWidget: !!e.closest('[data-widget="digit-classifier"]'), ring };
        }"""
    )


def test_the_digit_widget_works_by_keyboard_with_a_visible_focus_ring(page, site_url):
    page.goto(site_url)
    wait_state(page, WIDGET, "ready", timeout=60_000)
    page.focus(f"{WIDGET} [data-role=undo]")
    order = []
    for _ in range(12):
        state = focus_state(page)
        if not state["inWidget"]:
            break
        assert state["ring"], f"no visible focus ring on {state}"
        order.append(state["role"] or state["tag"])
        page.keyboard.press("Tab")
    # The pad's buttons, the examples, then the answer's settings, in reading order.
    for earlier, later in [
        ("undo", "clear"),
        ("clear", "examples"),
        ("examples", "model"),
        ("model", "backend-select"),
    ]:
        assert order.index(earlier) < order.index(later), order
    # Without a pointer: open the examples, pick a test digit, hear the answer.
    page.focus(f"{WIDGET} [data-role=examples] summary")
    page.keyboard.press("Enter")
    page.wait_for_selector(f"{WIDGET} [data-role=gallery] button")
    page.focus(f"{WIDGET} [data-role=gallery] button >> nth=0")
    label = page.get_attribute(f"{WIDGET} [data-role=gallery] button >> nth=0", "data-label")
    page.keyboard.press("Enter")
    settle(page)
    assert page.get_attribute(f"{WIDGET} [data-role=prediction]", "data-label") == label
    said = page.inner_text(f"{WIDGET} [data-role=announcer]")
    assert said.startswith(f"{label}, ") and "% sure" in said
    # The probabilities are there as text too, for a screen reader.
    bars = page.inner_text(f"{WIDGET} [data-role=bars]")
    assert all(str(d) in bars for d in range(10)) and "%" in bars


def test_the_answer_is_announced_once_per_stroke(page, site_url):
    page.goto(site_url)
    wait_state(page, WIDGET, "ready", timeout=60_000)
    page.evaluate(
        """() => {
          window.__said = [];
          const node = document.querySelector('[data-widget="digit-classifier"] [data-role=announcer]');
          new MutationObserver(() => __said.push(node.textContent)).observe(node, { childList: true, characterData: true, subtree: true });
        }"""
    )
    strokes = next(s for d, s in drawing_set() if d == 4)
    draw(page, strokes, steps=8)
    settle(page)
    said = page.evaluate("() => __said")
    assert len(said) == len(strokes), said
    assert said[-1].startswith("4, ") and said[-1].endswith("% sure")


def test_reduced_motion_turns_transitions_off(browser, site_url):
    with watched_page(browser, reduced_motion="reduce") as page:
        page.goto(site_url)
        wait_state(page, WIDGET, "ready", timeout=60_000)
        durations = page.evaluate(
            """() => [...document.querySelectorAll('[data-widget] *')].map(e => getComputedStyle(e))
                 .flatMap(s => [s.transitionDuration, s.animationDuration]).flatMap(d => d.split(',').map(parseFloat))"""
        )
    assert max(durations) <= 0.01
