"""Debian's Chromium, driven by Playwright (which cannot download its own browser here)."""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from pathlib import Path

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Headless as root on this machine: no sandbox, no calls home; SwiftShader gives
# a (software) WebGL 2 so the WebGL backend can be tested too.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
    # WebGPU is on by default in Chrome on Windows, macOS, ChromeOS and Android; Chromium on Linux keeps it
    # behind this flag. With it, WebGPU runs here on SwiftShader too (a software adapter, like WebGL's).
    "--enable-unsafe-webgpu",
]
# The test suite's browser: no GPU process. WebGL is still there (SwiftShader, in the page's own
# process), but compositing the pages no longer competes through a software GPU process for this
# machine's two cores: frames come every 16 ms instead of every 100, and the suite runs in half the
# time. The benchmark keeps the GPU process (CHROMIUM_FLAGS), as a reader's browser has one.
TEST_FLAGS = [*CHROMIUM_FLAGS, "--disable-gpu"]
NO_WEBGL_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-software-rasterizer", "--disable-webgl"]

# The WebGL renderer's name, as the page sees it ('no WebGL' without a context).
# Renderers that draw WebGL on the CPU, where the site must not pick WebGL (an oracle of the
# tests' own, independent of the site's list).
SOFTWARE_RENDERERS = re.compile(r"SwiftShader|llvmpipe|softpipe|Microsoft Basic Render", re.IGNORECASE)

RENDERER_JS = """() => {
  const gl = document.createElement('canvas').getContext('webgl2');
  const info = gl && gl.getExtension('WEBGL_debug_renderer_info');
  return gl ? gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER) : 'no WebGL';
}"""


def launch(playwright, flags: list[str] = CHROMIUM_FLAGS):
    """Start Debian's Chromium with ``flags``."""
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} not found: run `bash .ci/setup` (installs Debian's chromium)")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=flags)


class PageWatch:
    """Collects console errors, page errors and requests that leave 127.0.0.1."""

    def __init__(self, page):
        self.errors: list[str] = []
        self.external: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", self.on_request)

    def on_request(self, request):
        url = request.url
        if not (url.startswith("http://127.0.0.1:") or url.startswith(("data:", "blob:"))):
            self.external.append(url)

    def check(self):
        assert not self.external, f"requests left 127.0.0.1: {self.external}"
        assert not self.errors, f"console errors: {self.errors}"


@contextlib.contextmanager
def fresh_context(browser, **context_options) -> Iterator:
    """A fresh browser context (1280x900 unless ``context_options`` say otherwise), closed on exit,
    also when the body fails: for a test that must hold the context itself (to go offline, to add
    an init script before any page) or watch its page its own way."""
    context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, **context_options})
    try:
        yield context
    finally:
        context.close()


@contextlib.contextmanager
def watched_page(browser, **context_options) -> Iterator:
    """A page in a fresh context (``fresh_context``), closed on exit; a body that ends normally
    then fails on the console errors or non-local requests ``PageWatch`` saw."""
    with fresh_context(browser, **context_options) as context:
        page = context.new_page()
        watch = PageWatch(page)
        yield page
    watch.check()
