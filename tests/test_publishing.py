"""Publishing: the built site is host-agnostic, and works from a sub-folder of another server,
as the README's publishing section says (GitHub Pages serves a project under /<repo>/)."""

from __future__ import annotations

import re

import pytest

from tests.support.browser import watched_page
from tests.support.site import build_site, free_port, serve
from tests.support.strokes import drawing_set
from tests.support.widget import WIDGET, draw, prediction, settle, wait_state

HOST = r"https?://(?:127\.0\.0\.1|localhost)\b"
# Where a URL of the maintainer's machine would break a published site: links and sources in
# pages, the sitemap, the search index's locations, scripts, styles and the manifest. (A page may
# still *mention* such an address in its text, as the benchmark's instructions do.)
LOCAL = {
    ".html": re.compile(rf'(?:href|src|srcset|content|action)="[^"]*{HOST}'),
    ".xml": re.compile(rf"<loc>{HOST}"),
    ".json": re.compile(rf'"location":\s*"{HOST}'),
    ".js": re.compile(HOST),
    ".css": re.compile(HOST),
    ".webmanifest": re.compile(HOST),
}


def test_a_plain_build_leaks_no_local_address(tmp_path):
    """`mkdocs build` without SITE_URL: no absolute URL of the maintainer's machine anywhere."""
    site = build_site(tmp_path / "site", port=None)
    leaks = [
        f"{p.relative_to(site)}: {found.group(0)}"
        for p in site.rglob("*")
        if p.suffix in LOCAL and (found := LOCAL[p.suffix].search(p.read_text(errors="ignore")))
    ]
    assert not leaks, leaks


@pytest.mark.browser
def test_the_site_works_from_a_sub_folder_of_another_server(tmp_path, browser):
    port = free_port()
    folder = "draw-and-learn"
    build_site(tmp_path / "www" / folder, port=None, site_url=f"http://127.0.0.1:{port}/{folder}/")
    (tmp_path / "www" / "index.html").write_text("<h1>Another site at the root</h1>")
    with serve(tmp_path / "www", port) as url:
        with watched_page(browser) as page:
            page.goto(f"{url}{folder}/")
            wait_state(page, WIDGET, "ready", timeout=60_000)
            draw(page, next(s for d, s in drawing_set() if d == 2))
            settle(page)
            assert prediction(page)[0] == "2"
            # Instant navigation stays inside the folder, and the page is not reloaded.
            page.evaluate("() => { window.__same = true; }")
            page.locator("nav.md-nav--primary a", has_text="Fashion-MNIST").click()
            page.wait_for_url(f"{url}{folder}/fashion-mnist/")
            wait_state(page, '[data-widget="fashion-classifier"]', "ready", timeout=60_000)
            assert page.evaluate("() => window.__same === true")
            # The service worker's scope is the folder, not the server's root.
            scope = page.evaluate("async () => (await navigator.serviceWorker.ready).scope")
            assert scope == f"{url}{folder}/"
