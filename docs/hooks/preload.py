"""MkDocs hook: on a page with a model widget, start what its first prediction waits for.

Where the page's first widget with a model answers with no click (a classifier: boots_first_model),
``site/engine-boot.js``, inlined first in ``<head>``, starts the engine's worker and has it load
the widget's first model (backend, files, warm-up) while the page is still loading. The page
modules the widget imports are fetched at once (``modulepreload``), instead of each one when the
module importing it arrives. The lean bundle, its .wasm and the model's files are fetched by the
engine's worker, which a document's preloads do not serve: they are left out.
"""

from __future__ import annotations

import functools
import html
import json
import re
import subprocess
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.pages import Page

from site_layout import (
    ENGINE_BOOT_SOURCE,
    JS_DIR,
    NPM,
    ROOT,
    SITE_SRC,
    VENDOR_MODULE,
    WIDGETS,
    WIDGETS_MODULE,
    WORKER_DIR,
)
from vendor import vendor_urls

MODULE_GRAPH = SITE_SRC / "build" / "module-graph.mjs"
# The mount point of a widget that asks the engine for a model (shortcodes.py writes it), with its models.
MODEL_WIDGETS = re.compile(
    rf'<div class="dl-widget" data-widget="({"|".join(k for k, w in WIDGETS.items() if w["engine"])})"'
    r'[^>]*data-models="([^"]*)"'
)
ANY_WIDGET = re.compile(r'<div class="dl-widget" data-widget="([a-z-]+)"')


def boots_first_model(output: str, found: re.Match[str]) -> bool:
    """Whether the page's first widget that works with a model is ``found``, a widget that answers
    with no click (its ready state is "ready"): only then is its model worth loading as the page
    opens. Charts and the descent figure (no model) do not count; a trainer above it does (the
    reader trains there first, and a model loading meanwhile would take the same cores)."""
    first = next(
        (m for m in ANY_WIDGET.finditer(output) if WIDGETS.get(m.group(1), {}).get("models") != []),
        None,
    )
    return first is not None and first.start() == found.start() and WIDGETS[found.group(1)]["ready"] == "ready"


def static_imports() -> dict[str, list[str]]:
    """The site modules that main.js and each widget kind's module import statically, transitively.

    Read by esbuild (``site/build/module-graph.mjs``), once per state of the site's sources:
    ``mkdocs serve`` rebuilds on every edit, and most edits are to pages.

    Returns:
        For each entry module (path relative to site/), the modules it imports, itself included.
    """
    state = tuple((p.as_posix(), p.stat().st_mtime_ns) for p in sorted(SITE_SRC.rglob("*.js")))
    return _static_imports(state)


@functools.lru_cache(maxsize=1)
def _static_imports(state: tuple[tuple[str, int], ...]) -> dict[str, list[str]]:
    """static_imports() for one state of the sources (the cache's key; not read)."""
    entries = ["main.js", *(w["module"] for w in WIDGETS.values())]
    proc = subprocess.run(["node", str(MODULE_GRAPH), *entries], capture_output=True, text=True, cwd=ROOT)
    if proc.returncode:
        raise PluginError(f"the site's module graph could not be read:\n{proc.stderr[-3000:]}")
    result: dict[str, list[str]] = json.loads(proc.stdout)
    return result


def preload_hints(page_url: str, kind: str) -> list[str]:
    """``<link rel="modulepreload">`` for each page module main.js and a model widget import.

    Args:
        page_url: The page's URL, relative to the site's root.
        kind: The widget's kind (a key of site/widgets.json).
    """

    def rel(url: str) -> str:
        return get_relative_url(url, page_url)

    graph = static_imports()
    modules = sorted({*graph[WIDGETS[kind]["module"]], *graph["main.js"]})
    links = [f'<link rel="modulepreload" href="{rel(f"{JS_DIR}/{m}")}">' for m in modules]
    # Generated modules: the module graph of the sources does not know them.
    links += [f'<link rel="modulepreload" href="{rel(m)}">' for m in (VENDOR_MODULE, WIDGETS_MODULE)]
    return links


@functools.lru_cache(maxsize=1)
def _boot_source(state: tuple[int, int]) -> str:
    """engine-boot.js minified (esbuild), for one state of the file (the cache's key; not read)."""
    proc = subprocess.run(
        [str(NPM / ".bin" / "esbuild"), str(ENGINE_BOOT_SOURCE), "--minify", "--log-level=warning"],
        capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    if proc.returncode:
        raise PluginError(f"minifying engine-boot.js failed:\n{proc.stderr[-3000:]}")
    return proc.stdout.strip()


def boot_script(page_url: str, models_attr: str) -> str:
    """The inline ``<script>`` that starts the engine's worker and its first model as ``<head>`` is read.

    Args:
        page_url: The page's URL, relative to the site's root.
        models_attr: The model widget's ``data-models`` attribute, HTML-escaped JSON: its models.

    Returns:
        engine-boot.js, minified, with what it needs as JSON in ``data-boot`` (URLs relative to the
        page; the vendored files' relative to vendor.js, as vendor.js resolves them); "" where the
        widget names no shipped model.
    """
    models = [
        {"name": m["name"], "metadata": m["metadata"]}
        for m in json.loads(html.unescape(models_attr)) or []
        if m.get("name") and m.get("metadata")
    ]
    if not models:
        return ""
    boot = {
        "worker": get_relative_url(f"{WORKER_DIR}/engine-worker.js", page_url),
        "vendorModule": get_relative_url(VENDOR_MODULE, page_url),
        "vendor": vendor_urls(),
        "models": models,
    }
    stat = ENGINE_BOOT_SOURCE.stat()
    source = _boot_source((stat.st_mtime_ns, stat.st_size))
    return f'<script data-boot="{html.escape(json.dumps(boot, separators=(",", ":")))}">{source}</script>'


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """On a page with a model widget (its first): the preload hints last in ``<head>`` and, where
    boots_first_model says so, the engine's boot first."""
    found = MODEL_WIDGETS.search(output)
    if not found:
        return output
    boot = boot_script(page.url, found.group(2)) if boots_first_model(output, found) else ""
    hints = preload_hints(page.url, found.group(1))
    output = output.replace("</head>", "\n".join(hints) + "\n</head>", 1)
    # Before the stylesheets: a script after them would wait for them to arrive.
    # csp.py puts the page's policy before it, right after <meta charset>.
    charset = re.search(r"<meta charset=[^>]*>", output)
    if not charset or not boot:
        return output
    return output[: charset.end()] + "\n" + boot + output[charset.end() :]
