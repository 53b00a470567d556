"""MkDocs hook: publish the browser code of ``site/``, its ES modules and its stylesheets.

``site/X.js`` is published as ``assets/js/X.js``, minified by esbuild (each module on its own: no
bundling, so every import stays as written) with a source map beside it; ``site/X.css`` as
``assets/css/X.css``. The sources are written to be read, with long comments: minified, the page's
own modules weigh half as much on the wire (the digit page: 37 kB gzipped -> 16 kB, measured).
The minified files are cached under ``node_modules/.cache/`` by their sources' contents, so a
rebuild runs esbuild only when a module changed.

The engine's worker (``site/workers/``) is published as a bundle by bundles.py, the service
workers at the site's root by service_worker.py, and ``engine-boot.js`` is inlined into pages by
preload.py: none is published here.
"""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

from build_cache import cached_build
from site_layout import (
    CSS_DIR,
    ENGINE_BOOT_SOURCE,
    JS_DIR,
    NPM,
    ROOT,
    SERVE_SERVICE_WORKER_SOURCE,
    SERVICE_WORKER_SOURCE,
    SITE_SRC,
    WORKER_SOURCES,
)

FOLDERS = {".js": JS_DIR, ".css": CSS_DIR}
ESBUILD = NPM / ".bin" / "esbuild"
MINIFIED_CACHE = NPM / ".cache" / "draw-learn-site-modules"


def sources() -> list[Path]:
    """The modules and stylesheets of ``site/`` that the page loads, in a stable order."""
    return [
        path
        for path in sorted(SITE_SRC.rglob("*"))
        if path.is_file()
        and path.suffix in FOLDERS
        and path not in (SERVICE_WORKER_SOURCE, SERVE_SERVICE_WORKER_SOURCE, ENGINE_BOOT_SOURCE)
        and path.parent != WORKER_SOURCES
    ]


def minified(modules: list[Path]) -> Path:
    """Minify ``modules`` with esbuild (each on its own, with a source map), or reuse the same sources' build.

    Returns:
        The folder holding them, laid out as under ``site/``.

    Raises:
        PluginError: esbuild failed.
    """
    # This file too: it holds esbuild's options, and new options must not reuse an old build.
    digest = hashlib.sha256((ROOT / "package-lock.json").read_bytes() + Path(__file__).read_bytes())
    for path in modules:
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())

    def build(folder: Path) -> None:
        args = [str(ESBUILD), *map(str, modules), "--minify", "--sourcemap", "--format=esm"]
        args += [f"--outbase={SITE_SRC}", f"--outdir={folder}", "--log-level=warning"]
        proc = subprocess.run(args, capture_output=True, text=True, cwd=ROOT)
        if proc.returncode:
            raise PluginError(f"minifying site/'s modules failed:\n{proc.stderr[-3000:]}")
        (folder / "done").touch()

    return cached_build(MINIFIED_CACHE / digest.hexdigest()[:16], "done", build)


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add every module (minified, with its source map) and stylesheet of ``site/`` to the build."""
    found = sources()
    build = minified([p for p in found if p.suffix == ".js"])
    for path in found:
        relative = path.relative_to(SITE_SRC).as_posix()
        dest = f"{FOLDERS[path.suffix]}/{relative}"
        if path.suffix == ".js":
            files.append(File.generated(config, dest, abs_src_path=str(build / relative)))
            files.append(File.generated(config, f"{dest}.map", abs_src_path=str(build / f"{relative}.map")))
        else:
            files.append(File.generated(config, dest, abs_src_path=str(path)))
    return files
