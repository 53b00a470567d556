"""MkDocs hook: the site works offline after one visit.

The service worker, ``site/sw.js``, is published at the site's root (so that its scope is the whole
site) with its ``MANIFEST`` filled in: the built files it precaches and a version derived from their
contents, so that any change to the site reaches a reader on their next visit.

``mkdocs serve`` rebuilds as you edit: there, ``site/sw-serve.js`` is published in its place, which
caches nothing and removes what an earlier build's worker kept.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from mkdocs.exceptions import PluginError

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

from site_layout import SERVE_SERVICE_WORKER_SOURCE, SERVICE_WORKER, SERVICE_WORKER_SOURCE

# Built files the service worker does not precache: fetched on demand (and then kept), or never by a reader.
NOT_PRECACHED = re.compile(
    r"(^data/.*\.bin$|\.LEGAL\.txt$|\.gz$|\.map$|threaded-simd\.wasm$|tf-backend-webgpu\.min\.js$|/parity\.json$|/activations\.json$"
    rf"|^{re.escape(SERVICE_WORKER)}$)"
)
# The line of site/sw.js that the build replaces.
PLACEHOLDER = "const MANIFEST = { version: 'dev', files: [] };"

# Set once per process: MkDocs calls on_startup before the first build, not before each rebuild.
serving = False


def on_startup(command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
    """Note whether the site is being served while it is edited."""
    global serving
    serving = command == "serve"


def precache_manifest(site: Path) -> dict[str, object]:
    """What the service worker precaches.

    Args:
        site: The built site.

    Returns:
        ``files``, the URL of every built file to precache (relative to the site's root), and
        ``version``, a digest of their names and contents.
    """
    files = sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("*")
        if p.is_file() and not NOT_PRECACHED.search(p.relative_to(site).as_posix())
    )
    digest = hashlib.sha256()
    for name in files:
        digest.update(name.encode() + b"\0" + (site / name).read_bytes())
    # A page is fetched by its folder's URL (hello-mnist/), not by its index.html.
    urls = [name.removesuffix("index.html") or "./" for name in files]
    return {"version": digest.hexdigest()[:16], "files": urls}


def on_post_build(config: MkDocsConfig) -> None:
    """Publish the service worker, once every other file is built: it lists them.

    Raises:
        PluginError: site/sw.js no longer has the line its manifest replaces.
    """
    site = Path(config["site_dir"])
    if serving:
        shutil.copyfile(SERVE_SERVICE_WORKER_SOURCE, site / SERVICE_WORKER)
        return
    source = SERVICE_WORKER_SOURCE.read_text()
    if PLACEHOLDER not in source:
        raise PluginError(f"{SERVICE_WORKER_SOURCE} lost its MANIFEST placeholder")
    filled = f"const MANIFEST = {json.dumps(precache_manifest(site))};"
    (site / SERVICE_WORKER).write_text(source.replace(PLACEHOLDER, filled))
