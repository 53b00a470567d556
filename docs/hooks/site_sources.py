"""MkDocs hook: publish the browser code of ``site/``, its ES modules and its stylesheets.

``site/X.js`` is published as ``assets/js/X.js``, ``site/X.css`` as ``assets/css/X.css``.

The engine's worker (``site/workers/``) is published as a bundle by bundles.py, and the service
workers at the site's root by service_worker.py: neither is published here.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.structure.files import File, Files

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

# Hooks are loaded by path, not as a package (by MkDocs, and by the tests' load_hook): site_layout is found here.
if str(Path(__file__).parent) not in sys.path:
    sys.path.append(str(Path(__file__).parent))
from site_layout import (  # noqa: E402
    CSS_DIR,
    JS_DIR,
    SERVE_SERVICE_WORKER_SOURCE,
    SERVICE_WORKER_SOURCE,
    SITE_SRC,
    WORKER_SOURCES,
)

FOLDERS = {".js": JS_DIR, ".css": CSS_DIR}


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add every module and stylesheet of ``site/`` to the build."""
    for path in sorted(SITE_SRC.rglob("*")):
        if (
            path.is_file()
            and path.suffix in FOLDERS
            and path not in (SERVICE_WORKER_SOURCE, SERVE_SERVICE_WORKER_SOURCE)
            and path.parent != WORKER_SOURCES
        ):
            dest = f"{FOLDERS[path.suffix]}/{path.relative_to(SITE_SRC).as_posix()}"
            files.append(File.generated(config, dest, abs_src_path=str(path)))
    return files
