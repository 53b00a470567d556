"""Offline: after one visit, every page and every widget works with the network off."""

from __future__ import annotations

import json
import re

import pytest

from tests.support.browser import PageWatch, fresh_context
from tests.support.site import ROOT, load_hook, nav_paths, ready_states
from tests.support.strokes import drawing_set
from tests.support.widget import FASHION, WIDGET, draw, prediction, settle, wait_state

# Widgets that work from the precache alone (the trainer's images are fetched when a reader trains).


def wait_until_offline_ready(page) -> None:
    """Wait until the service worker has precached the site and controls the page."""
    page.wait_for_function(
        "async () => (await navigator.serviceWorker.ready).active?.state === 'activated'", timeout=120_000
    )
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=30_000)


@pytest.mark.browser
def test_every_page_and_widget_works_offline_after_one_visit(browser, site_url):
    with fresh_context(browser) as context:
        page = context.new_page()
        page.goto(site_url)
        wait_state(page, WIDGET, "ready", timeout=60_000)
        wait_until_offline_ready(page)

        context.set_offline(True)
        watch = PageWatch(page)
        states = ready_states()
        for path in nav_paths():
            page.goto(site_url + path)
            assert page.locator("article h1").count() == 1, path
            for root in page.locator("[data-widget]").all():
                kind = root.get_attribute("data-widget")
                if kind in states:
                    wait_state(page, f'[data-widget="{kind}"]', states[kind], timeout=60_000)
                elif kind == "chart":
                    root.scroll_into_view_if_needed()
            page.wait_for_function(
                "() => [...document.querySelectorAll('[data-widget=chart]')]"
                ".every(c => !c.getBoundingClientRect().height || c.dataset.state !== 'error')"
            )

        # The reader draws, offline: the home page's widget reads it.
        page.goto(site_url)
        wait_state(page, WIDGET, "ready")
        digit, strokes = next((d, s) for d, s in drawing_set() if d == 3)
        draw(page, strokes)
        settle(page)
        assert prediction(page)[0] == str(digit)

        # Material's instant navigation, offline: a click on the nav swaps the page in place.
        page.click('.md-nav--primary a[href$="fashion-mnist/"]')
        page.wait_for_url(re.compile(r"fashion-mnist/$"))
        wait_state(page, FASHION, "ready", timeout=60_000)
        watch.check()


def test_service_worker_version_follows_the_built_files(built_site):
    """A rebuild with any change gets a new cache version, so readers pick it up on their next visit."""
    source = (built_site / "sw.js").read_text()
    manifest = json.loads(re.search(r"const MANIFEST = (\{.*?\});", source).group(1))
    assert re.fullmatch(r"[0-9a-f]{16}", manifest["version"])
    files = set(manifest["files"])
    # Every page, the vendored library, the wasm binaries and each model's files are precached.
    assert {p or "./" for p in nav_paths()} <= files
    assert any(f.endswith("tf.min.js") for f in files)
    assert any(f.endswith("tfjs-backend-wasm-simd.wasm") for f in files)
    for model in (ROOT / "docs" / "models").glob("*/metadata.json"):
        name = model.parent.name
        assert f"models/{name}/metadata.json" in files and f"models/{name}/graph/model.json" in files


def test_a_changed_file_changes_the_version(tmp_path):
    hook = load_hook("service_worker")
    (tmp_path / "index.html").write_text("<h1>one</h1>")
    (tmp_path / "sw.js").write_text("")
    hook.on_post_build({"site_dir": str(tmp_path)})
    first = (tmp_path / "sw.js").read_text()
    assert '"files": ["./"]' in first
    (tmp_path / "index.html").write_text("<h1>two</h1>")
    hook.on_post_build({"site_dir": str(tmp_path)})
    assert (tmp_path / "sw.js").read_text() != first
