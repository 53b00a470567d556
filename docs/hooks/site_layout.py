"""Where the browser code comes from and where the build publishes it, for the hooks that share it.

Not a hook (mkdocs.yml does not list it): several hooks publish, link to or leave out the same
files, and each path is written here once, so no hook can publish a file where another does not
look for it. A hook imports it with ``from site_layout import ...``: MkDocs puts this folder on
``sys.path`` while it loads a hook, and the tests' ``load_hook`` does the same.

This module must not import TensorFlow: serving the docs needs only MkDocs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SITE_SRC = ROOT / "site"
NPM = ROOT / "node_modules"

# Every widget kind, declared once (site/widgets.json): its module, its export, whether it asks the
# engine for a model.
WIDGETS: dict[str, dict[str, Any]] = json.loads((SITE_SRC / "widgets.json").read_text())

# Sources under site/ that are not published as they are: the engine's worker is bundled with what it
# imports, and the service workers are published at the root, filled in or in place of each other.
WORKER_SOURCES = SITE_SRC / "workers"
SERVICE_WORKER_SOURCE = SITE_SRC / "sw.js"
SERVE_SERVICE_WORKER_SOURCE = SITE_SRC / "sw-serve.js"
# Inlined into the <head> of a page with a model widget (preload.py), not published as a file.
ENGINE_BOOT_SOURCE = SITE_SRC / "engine-boot.js"

# Paths in the built site. site/X.js is published as JS_DIR/X.js, site/X.css as CSS_DIR/X.css.
JS_DIR = "assets/js"
CSS_DIR = "assets/css"
VENDOR_MODULE = f"{JS_DIR}/vendor.js"
WIDGETS_MODULE = f"{JS_DIR}/widgets.js"
LEAN_DIR = f"{JS_DIR}/lean"
LEAN_ENTRY = f"{LEAN_DIR}/tf-lean.js"
WORKER_DIR = f"{JS_DIR}/workers"
# At the root, so that its scope is the whole site.
SERVICE_WORKER = "sw.js"
