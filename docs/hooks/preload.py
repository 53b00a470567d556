"""MkDocs hook: on a page with a model widget, preload what its first prediction waits for.

The page modules the widget imports are fetched at once (``modulepreload``), instead of each one
when the module importing it arrives; ``engine-start.js`` starts the engine and the first model's
download while Material's bundle is still loading. The lean bundle, its .wasm and the model's files
are fetched by the engine's worker, which a document's preloads do not serve: they are left out.
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

from site_layout import ENGINE_START, JS_DIR, ROOT, SITE_SRC, VENDOR_MODULE, WIDGETS, WIDGETS_MODULE

MODULE_GRAPH = SITE_SRC / "build" / "module-graph.mjs"
# The mount point of a widget that asks the engine for a model (shortcodes.py writes it), with its models.
MODEL_WIDGETS = re.compile(
    rf'<div class="dl-widget" data-widget="({"|".join(k for k, w in WIDGETS.items() if w["engine"])})"'
    r'[^>]*data-models="([^"]*)"'
)


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


def preload_hints(page_url: str, kind: str, models_attr: str) -> list[str]:
    """The tags that start what a model widget's first prediction needs, so none waits on another.

    Args:
        page_url: The page's URL, relative to the site's root.
        kind: The widget's kind (a key of site/widgets.json).
        models_attr: The widget's ``data-models`` attribute, HTML-escaped JSON: its models.

    Returns:
        ``<link rel="modulepreload">`` for each page module main.js and the widget import, the
        first model's metadata URL as ``<meta name="dl-first-model">``, and engine-start.js.
    """

    def rel(url: str) -> str:
        return get_relative_url(url, page_url)

    graph = static_imports()
    modules = sorted({*graph[WIDGETS[kind]["module"]], *graph["main.js"]})
    links = [f'<link rel="modulepreload" href="{rel(f"{JS_DIR}/{m}")}">' for m in modules]
    # Generated modules: the module graph of the sources does not know them.
    links += [f'<link rel="modulepreload" href="{rel(m)}">' for m in (VENDOR_MODULE, WIDGETS_MODULE)]
    # main.js waits for Material's bundle; this starts the engine and the first model while it loads.
    first = next(iter(json.loads(html.unescape(models_attr)) or []), None)
    if first and first.get("metadata"):
        links.append(f'<meta name="dl-first-model" content="{html.escape(first["metadata"])}">')
    links.append(f'<script type="module" async src="{rel(ENGINE_START)}"></script>')
    return links


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Add the preload hints to the end of ``<head>`` of a page with a model widget (its first)."""
    found = MODEL_WIDGETS.search(output)
    if not found:
        return output
    hints = preload_hints(page.url, found.group(1), found.group(2))
    return output.replace("</head>", "\n".join(hints) + "\n</head>", 1)
