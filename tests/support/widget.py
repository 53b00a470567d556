"""Drive the widgets as a reader would (real mouse strokes), and reach the site's own modules."""

from __future__ import annotations

from tests.support.site import ready_states
from tests.support.strokes import Stroke

WIDGET = '[data-widget="digit-classifier"]'
FASHION = '[data-widget="fashion-classifier"]'

# The one page-side helper of the tests and the benchmark: imports the site's own
# modules by URL (found from the published main.js), on any page of the site.
PAGE_HELPERS = """() => {
  window.dlTest ??= (() => {
    const main = document.querySelector('script[src*="assets/js/main.js"]').src;
    const module = (path) => import(new URL(path, main).href);
    const engine = async () => {
      const { getEngine } = await module('./browser/engine-client.js');
      const e = getEngine((await module('./vendor.js')).VENDOR);
      await e.start();
      return e;
    };
    // The widgets' key for a shipped model is its name (its folder): the same handle, the same engine model.
    const load = async (prefix, metadataUrl, options) => {
      const { loadModel } = await module('./browser/model-loader.js');
      const url = new URL(metadataUrl, location.href);
      return loadModel(await engine(), prefix + url.pathname.split('/').at(-2), url, options);
    };
    return {
      module,
      /** The page's engine (the one its widgets share), started. */
      engine,
      /** What the engine holds: {numTensors, backend, full}. */
      async memory() { return (await engine()).client.call('memory'); },
      /** A model's handle as the widgets load it (its graph model, on the lean build). */
      classifier: (metadataUrl) => load('', metadataUrl),
      /** The same model's layers files, on the full library (the path of the reader's own models). */
      layersClassifier: (metadataUrl) => load('layers:', metadataUrl, { source: { layers: true } }),
      /** One of the model's assets (parity, activations, gallery), parsed. */
      async asset(classifier, name) {
        const { fetchJson } = await module('./core/metadata.js');
        return fetchJson(classifier.assetUrl(name));
      },
    };
  })();
}"""


def helpers(page) -> None:
    """Install ``window.dlTest`` in the page (idempotent)."""
    page.evaluate(PAGE_HELPERS)


def engine_tensors(page) -> int:
    """The engine's own count of live tensors, asked by the test (not what a widget reports of itself)."""
    helpers(page)
    return page.evaluate("async () => (await dlTest.memory()).numTensors")


def open_widget(page, url: str, root: str = WIDGET, timeout: float = 60_000):
    """Go to ``url`` and wait until the widget says it is ready."""
    page.goto(url)
    page.locator(root).scroll_into_view_if_needed()  # widgets mount when they come near the viewport
    page.wait_for_selector(f'{root}[data-state="ready"]', timeout=timeout)
    return page.locator(root)


def wait_state(page, root: str, state: str, timeout: float = 30_000) -> None:
    """Scroll the widget ``root`` into view (widgets mount when they come near the viewport), then
    wait until its data-state is ``state``."""
    page.locator(root).first.scroll_into_view_if_needed(timeout=timeout)
    page.wait_for_selector(f'{root}[data-state="{state}"]', timeout=timeout)


def wait_until_everything_is_drawn(page) -> None:
    """Every widget on the page in its ready state (``ready_states``), then every chart drawn. Each chart
    is kept on screen until it is (it draws when it comes near the screen): sections laid out above it
    can move it away before its observer saw it, so every poll scrolls it back."""
    for kind, state in ready_states().items():
        if page.locator(f'[data-widget="{kind}"]').count():
            wait_state(page, f'[data-widget="{kind}"]', state, timeout=60_000)
    for chart in page.locator("[data-widget=chart]").all():
        page.wait_for_function(
            """c => {
              if (c.dataset.state === 'ready') return true;
              c.scrollIntoView({ block: 'center' });
              return false;
            }""",
            arg=chart.element_handle(),
            timeout=30_000,
        )


def draw(page, strokes: list[Stroke], steps: int = 4, root: str = WIDGET) -> None:
    """Draw strokes given in pad units (0..1) with page.mouse."""
    pad = page.locator(f"{root} canvas[data-role=pad]")
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
    """Wait two animation frames (any scheduled prediction has been asked by then), then until no
    widget has an answer on its way from the engine (data-busy)."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    page.wait_for_function("() => !document.querySelector('[data-widget][data-busy]')", timeout=30_000)


def prediction(page, root: str = WIDGET) -> tuple[str, float]:
    node = page.locator(f"{root} [data-role=prediction]")
    return node.get_attribute("data-label"), float(node.get_attribute("data-confidence"))


def select_model(page, name: str, root: str = WIDGET) -> None:
    page.select_option(f"{root} select[data-role=model]", name)
    page.wait_for_selector(f'{root}[data-state="ready"]')
    settle(page)
