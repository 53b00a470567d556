"""Drive the widgets as a reader would (real mouse strokes), and reach the site's own modules."""

from __future__ import annotations

from tests.support.strokes import Stroke

WIDGET = '[data-widget="digit-classifier"]'
FASHION = '[data-widget="fashion-classifier"]'

# The one page-side helper of the tests and the benchmark: imports the site's own
# modules by URL (found from the published main.js), on any page of the site.
PAGE_HELPERS = """() => {
  window.dlTest ??= (() => {
    const main = document.querySelector('script[src*="assets/js/main.js"]').src;
    const module = (path) => import(new URL(path, main).href);
    const runtime = async () => (await module('./browser/runtime.js')).startRuntime((await module('./vendor.js')).VENDOR);
    return {
      module,
      /** The TF.js engine the page's shipped models run on (the lean bundle unless WebGL is forced). */
      async tf() { return (await runtime()).tf; },
      /** A model's Classifier as the widgets load it (its graph model, on that engine). */
      async classifier(metadataUrl) {
        const { loadClassifier } = await module('./browser/model-loader.js');
        return loadClassifier((await runtime()).tf, new URL(metadataUrl, location.href));
      },
      /** The same model's layers files, on the full library (the path of the reader's own models). */
      async layersClassifier(metadataUrl) {
        const { Classifier } = await module('./core/classifier.js');
        const { fetchJson } = await module('./browser/model-loader.js');
        const tf = await (await runtime()).full();
        const url = new URL(metadataUrl, location.href);
        const metadata = await fetchJson(url);
        const model = await tf.loadLayersModel(new URL(metadata.assets.model, url).href);
        return new Classifier(tf, model, metadata, url);
      },
      /** One of the model's assets (parity, activations, gallery), parsed. */
      async asset(classifier, name) {
        const { fetchJson } = await module('./browser/model-loader.js');
        return fetchJson(classifier.assetUrl(name));
      },
    };
  })();
}"""


def helpers(page) -> None:
    """Install ``window.dlTest`` in the page (idempotent)."""
    page.evaluate(PAGE_HELPERS)


def open_widget(page, url: str, root: str = WIDGET, timeout: float = 60_000):
    """Go to ``url`` and wait until the widget says it is ready."""
    page.goto(url)
    page.wait_for_selector(f'{root}[data-state="ready"]', timeout=timeout)
    return page.locator(root)


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
    """Wait two animation frames: any scheduled prediction has run by then."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def prediction(page, root: str = WIDGET) -> tuple[str, float]:
    node = page.locator(f"{root} [data-role=prediction]")
    return node.get_attribute("data-label"), float(node.get_attribute("data-confidence"))


def select_model(page, name: str, root: str = WIDGET) -> None:
    page.select_option(f"{root} select[data-role=model]", name)
    page.wait_for_selector(f'{root}[data-state="ready"]')
    settle(page)
