"""What the digit page downloads: its weight on a first visit, and what it keeps for offline use.

Recorded in benchmark.json as ``page`` and ``offline_cache``, in the ``inference`` part of a run.
"""

from __future__ import annotations

import re
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from playwright.sync_api import Error as PlaywrightError

from tests.bench.shared import cold_page
from tests.support.strokes import drawing_set
from tests.support.widget import WIDGET, draw, wait_state

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Request

# Material's search box: the whole site's text, and the worker script that indexes it, fetched at load.
SEARCH_FILES = re.compile(r"/search/search_index\.json$|/javascripts/workers/search\.[0-9a-f]+\.min\.js$")


def wire_size(request: Request) -> int:
    """The response's bytes on the wire: headers and body as sent (gzip-compressed where the server did)."""
    sizes = request.sizes()
    wire = sizes["responseBodySize"] + sizes["responseHeadersSize"]
    response = request.response()
    if not sizes["responseBodySize"] and response:
        # Chromium reports no body size for a worker's own script: its Content-Length is what travelled.
        wire += int(response.headers.get("content-length", 0))
    return wire


def uncompressed_size(request: Request) -> int:
    """The body's bytes after decoding; a worker that has ended keeps no body, so its file is read again."""
    response = request.response()
    if not response:
        return 0
    try:
        return len(response.body())
    except PlaywrightError:
        with urllib.request.urlopen(request.url) as again:  # the local server: no gzip without asking
            return len(again.read())


def page_weight(browser: Browser, url: str) -> dict[str, object]:
    """Bytes on the wire and requests for the digit page with default settings, from a cold cache,
    until the network is idle after its first prediction.

    The service worker is blocked: its precache (the whole site, for offline use) downloads in
    the background after the page has loaded; ``offline_cache`` measures it on its own.

    Args:
        browser: the Chromium the run launched.
        url: the served site's root (the digit page).
    """
    with cold_page(browser, service_workers="block") as page:
        requests: list[Request] = []
        # A lambda, not the bound method: Playwright tags each handler with an attribute, a builtin takes none.
        page.on("requestfinished", lambda r: requests.append(r))
        page.goto(url)
        wait_state(page, WIDGET, "ready", timeout=120_000)
        draw(page, drawing_set()[0][1])
        page.wait_for_function(f"() => document.querySelector('{WIDGET} [data-role=prediction]').dataset.label !== ''")
        page.wait_for_load_state("networkidle")
        transferred = body = search = 0
        by_type: dict[str, int] = {}
        for r in requests:
            wire = wire_size(r)
            path = urlparse(r.url).path
            if SEARCH_FILES.search(path):
                search += wire
                continue
            transferred += wire
            kind = Path(path).suffix or ".html"
            by_type[kind] = by_type.get(kind, 0) + wire
            # Read while the context is open: a closed one has no bodies to give.
            body += uncompressed_size(r)
    return {
        "requests": len(requests) - (search > 0),
        "bytes_transferred": transferred,
        "bytes_uncompressed": body,
        "by_type": by_type,
        # Material's search worker fetches the whole site's text at load, in parallel: the page's
        # weight counts what the first prediction needs (the budget's definition); search is beside it.
        "search_bytes": search,
        "bytes_transferred_with_search": transferred + search,
    }


def offline_cache(browser: Browser, url: str) -> dict[str, object]:
    """What the service worker keeps for offline use after one visit: files and bytes (uncompressed)."""
    with cold_page(browser) as page:
        page.goto(url)
        page.wait_for_function(
            "async () => (await navigator.serviceWorker.ready).active?.state === 'activated'", timeout=120_000
        )
        return page.evaluate(
            """async () => {
              let files = 0, bytes = 0;
              for (const name of await caches.keys()) {
                const cache = await caches.open(name);
                for (const request of await cache.keys()) {
                  files++;
                  bytes += (await (await cache.match(request)).arrayBuffer()).byteLength;
                }
              }
              return { files, bytes };
            }"""
        )
