"""MkDocs hook: publish the browser code and what it loads, from this site only.

* ``site/`` (the widgets' ES modules and CSS) is published under ``assets/js/``
  and ``assets/css/``;
* the npm files the browser needs (``node_modules``, from ``npm ci``) are
  published under ``assets/vendor/``, and a generated module ``assets/js/vendor.js``
  tells the browser their URLs, so the site never asks a CDN for anything and no
  URL is written twice;
* the lean TF.js bundle of the widget pages is built from the committed graph
  models (``site/build/lean-tfjs.mjs``, cached by content) and published under
  ``assets/js/lean/``;
* the engine's worker is bundled with the modules it imports (``site/build/engine-worker.mjs``,
  cached by content) and published as ``assets/js/workers/``, in place of its source;
* KaTeX's stylesheet and fonts are published for the formulas (rendered at build
  time by shortcodes.py);
* pages with a model widget preload the page modules it imports (the engine's worker fetches the rest);
* every page carries a Content-Security-Policy (a meta tag, since static hosts
  may not set headers): scripts only from the site itself, its own inline
  scripts (Material's) allowed by hash, WebAssembly allowed, nothing remote;
* the site works offline after one visit: ``sw.js`` (from ``site/sw.js``) is
  published at the root with the list of built files and a version derived from
  their contents, and a web app manifest makes the site installable.

This hook must not import TensorFlow: serving the docs needs only MkDocs.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import json
import re
import subprocess
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.utils import get_relative_url

ROOT = Path(__file__).resolve().parents[2]
SITE_SRC = ROOT / "site"
MODELS = ROOT / "docs" / "models"
NPM = ROOT / "node_modules"
# The npm files the browser loads: name -> (file under node_modules, where the site publishes it).
VENDOR = {
    "tfjs": ("@tensorflow/tfjs/dist/tf.min.js", "assets/vendor/tfjs/tf.min.js"),
    "tfjsWasm": (
        "@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.min.js",
        "assets/vendor/tfjs/tf-backend-wasm.min.js",
    ),
    "wasm": ("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm", "assets/vendor/tfjs/tfjs-backend-wasm.wasm"),
    "wasmSimd": (
        "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm",
        "assets/vendor/tfjs/tfjs-backend-wasm-simd.wasm",
    ),
    "wasmThreadedSimd": (
        "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm",
        "assets/vendor/tfjs/tfjs-backend-wasm-threaded-simd.wasm",
    ),
    "chart": ("chart.js/dist/chart.umd.min.js", "assets/vendor/chartjs/chart.umd.min.js"),
    "chartMatrix": (
        "chartjs-chart-matrix/dist/chartjs-chart-matrix.min.js",
        "assets/vendor/chartjs/chartjs-chart-matrix.min.js",
    ),
}
VENDOR_MODULE = "assets/js/vendor.js"
ENGINE_START = "assets/js/engine-start.js"
LEAN_DIR = "assets/js/lean"
SERVICE_WORKER_SOURCE = SITE_SRC / "sw.js"
MANIFEST_FILE = "manifest.webmanifest"
# Built files the service worker does not precache: fetched on demand (and then kept), or never by a reader.
NOT_PRECACHED = re.compile(
    r"(^data/.*\.bin$|\.LEGAL\.txt$|\.gz$|\.map$|^sw\.js$|threaded-simd\.wasm$|/parity\.json$|/activations\.json$)"
)
LEAN_BUILD = SITE_SRC / "build" / "lean-tfjs.mjs"
LEAN_CACHE = NPM / ".cache" / "draw-learn-tf-lean"
WORKER_BUILD = SITE_SRC / "build" / "engine-worker.mjs"
WORKER_SOURCES = ("core", "engine", "workers")
WORKER_DIR = "assets/js/workers"
WORKER_CACHE = NPM / ".cache" / "draw-learn-engine-worker"
INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)
# Every widget kind, declared once: its module, and whether it asks the engine for a model.
WIDGETS = json.loads((SITE_SRC / "widgets.json").read_text())
WIDGETS_MODULE = "assets/js/widgets.js"
MODULE_GRAPH = SITE_SRC / "build" / "module-graph.mjs"
# Widgets whose first prediction needs the lean bundle and a model: their pages get preload hints.
MODEL_WIDGETS = re.compile(
    rf'<div class="dl-widget" data-widget="({"|".join(k for k, w in WIDGETS.items() if w["engine"])})"'
    r'[^>]*data-models="([^"]*)"'
)
KATEX = NPM / "katex" / "dist"
KATEX_CSS = "assets/vendor/katex/katex.min.css"


def graph_models() -> list[Path]:
    """The committed models' graph folders (the lean bundle runs these)."""
    folders = sorted(p.parent for p in MODELS.glob("*/graph/model.json") if not p.parts[-3].startswith("."))
    if not folders:
        raise PluginError(f"no graph model under {MODELS}: run `python -m train.refresh` (or retrain)")
    return folders


def lean_bundle() -> tuple[Path, dict]:
    """Build the lean TF.js bundle for the committed graph models, or reuse the build of the same inputs.

    Returns:
        The folder holding the bundle, and its build.json (files of the first load, sizes).
    """
    models = graph_models()
    inputs = [LEAN_BUILD, ROOT / "package-lock.json", *(m / "model.json" for m in models)]
    key = hashlib.sha256(b"".join(p.read_bytes() for p in inputs)).hexdigest()[:16]
    out = LEAN_CACHE / key
    if not (out / "build.json").is_file():
        proc = subprocess.run(
            ["node", str(LEAN_BUILD), "--out", str(out), *map(str, models)], capture_output=True, text=True, cwd=ROOT
        )
        if proc.returncode:
            raise PluginError(f"the lean TF.js build failed:\n{proc.stderr[-3000:]}")
    return out, json.loads((out / "build.json").read_text())


def engine_worker_bundle() -> Path:
    """Bundle the engine's worker (``site/build/engine-worker.mjs``), or reuse the build of the same sources.

    Returns:
        The folder holding engine-worker.js, its chunks and their source maps.
    """
    sources = sorted(p for folder in WORKER_SOURCES for p in (SITE_SRC / folder).rglob("*.js"))
    inputs = [WORKER_BUILD, ROOT / "package-lock.json", *sources]
    digest = hashlib.sha256()
    for path in inputs:
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    out = WORKER_CACHE / digest.hexdigest()[:16]
    if not (out / "engine-worker.js").is_file():
        proc = subprocess.run(["node", str(WORKER_BUILD), "--out", str(out)], capture_output=True, text=True, cwd=ROOT)
        if proc.returncode:
            raise PluginError(f"the engine worker's build failed:\n{proc.stderr[-3000:]}")
    return out


def vendor_module() -> str:
    """An ES module exporting the absolute URL of every vendored file, resolved from its own URL."""
    urls = {name: get_relative_url(dest, VENDOR_MODULE) for name, (_, dest) in VENDOR.items()}
    urls["lean"] = get_relative_url(f"{LEAN_DIR}/tf-lean.js", VENDOR_MODULE)
    urls["siteRoot"] = get_relative_url("", VENDOR_MODULE).rstrip("/") + "/"
    urls["serviceWorker"] = get_relative_url("sw.js", VENDOR_MODULE)
    entries = ",\n".join(f"  {name}: new URL({json.dumps(url)}, import.meta.url).href" for name, url in urls.items())
    wasm_dir = get_relative_url(str(Path(VENDOR["wasm"][1]).parent), VENDOR_MODULE).rstrip("/") + "/"
    return (
        "// Generated by docs/hooks/site_assets.py at build time: where the vendored npm files are published.\n"
        f"export const VENDOR = {{\n{entries},\n  wasmDir: new URL({json.dumps(wasm_dir)}, import.meta.url).href,\n}};\n"
    )


def on_files(files: Files, config) -> Files:
    """Add the widgets' sources, the vendored npm files and the vendor module to the build."""
    worker_src = SITE_SRC / "workers"
    for path in sorted(SITE_SRC.rglob("*")):
        if (
            path.is_file()
            and path.suffix in {".js", ".css"}
            and path != SERVICE_WORKER_SOURCE
            and path.parent != worker_src
        ):
            folder = "js" if path.suffix == ".js" else "css"
            dest = f"assets/{folder}/{path.relative_to(SITE_SRC).as_posix()}"
            files.append(File.generated(config, dest, abs_src_path=str(path)))
    for source, dest in VENDOR.values():
        if not (NPM / source).is_file():
            raise PluginError(f"{NPM / source} is missing: run `npm ci` first (see README)")
        files.append(File.generated(config, dest, abs_src_path=str(NPM / source)))
    files.append(File.generated(config, VENDOR_MODULE, content=vendor_module()))
    files.append(File.generated(config, WIDGETS_MODULE, content=widgets_module()))
    files.append(File.generated(config, MANIFEST_FILE, content=web_manifest(config)))
    for path in sorted(engine_worker_bundle().iterdir()):
        files.append(File.generated(config, f"{WORKER_DIR}/{path.name}", abs_src_path=str(path)))
    lean, _ = lean_bundle()
    for path in sorted(lean.iterdir()):
        if path.name != "build.json":
            files.append(File.generated(config, f"{LEAN_DIR}/{path.name}", abs_src_path=str(path)))
    # KaTeX's stylesheet and the fonts it names (woff2: every browser that runs this site reads it).
    files.append(File.generated(config, KATEX_CSS, abs_src_path=str(KATEX / "katex.min.css")))
    for font in sorted((KATEX / "fonts").glob("*.woff2")):
        files.append(File.generated(config, f"assets/vendor/katex/fonts/{font.name}", abs_src_path=str(font)))
    return files


def static_imports() -> dict[str, list[str]]:
    """For main.js and each widget kind's module, the site modules it imports statically, transitively
    (paths relative to site/, itself included), as esbuild resolves them (``site/build/module-graph.mjs``).

    Read once per state of the site's sources (``mkdocs serve`` rebuilds on every edit)."""
    state = tuple((p.as_posix(), p.stat().st_mtime_ns) for p in sorted(SITE_SRC.rglob("*.js")))
    return _static_imports(state)


@functools.lru_cache(maxsize=1)
def _static_imports(state: tuple) -> dict[str, list[str]]:
    entries = ["main.js", *(w["module"] for w in WIDGETS.values())]
    proc = subprocess.run(["node", str(MODULE_GRAPH), *entries], capture_output=True, text=True, cwd=ROOT)
    if proc.returncode:
        raise PluginError(f"the site's module graph could not be read:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout)


def widgets_module() -> str:
    """An ES module exporting what main.js needs of each widget kind (site/widgets.json)."""
    kinds = {
        kind: {"module": f"./{w['module']}", "export": w["export"], "engine": w["engine"], "models": w.get("models")}
        for kind, w in WIDGETS.items()
    }
    return (
        "// Generated by docs/hooks/site_assets.py at build time from site/widgets.json: every widget kind.\n"
        f"export const WIDGETS = {json.dumps(kinds, indent=1)};\n"
    )


def preload_hints(page_url: str, kind: str, models_attr: str) -> list[str]:
    """<link> tags for the page modules a model widget needs, so none waits on the one importing it.

    The lean bundle, its .wasm and the model's files are fetched by the engine's worker, which a
    document's preloads do not serve: the worker starts as soon as main.js runs instead."""
    rel = lambda url: get_relative_url(url, page_url)  # noqa: E731
    graph = static_imports()
    modules = sorted({*graph[WIDGETS[kind]["module"]], *graph["main.js"]})
    links = [f'<link rel="modulepreload" href="{rel("assets/js/" + m)}">' for m in modules]
    links += [f'<link rel="modulepreload" href="{rel(m)}">' for m in (VENDOR_MODULE, WIDGETS_MODULE)]
    # main.js waits for Material's bundle; this starts the engine and the first model while it loads.
    first = next(iter(json.loads(html.unescape(models_attr)) or []), None)
    if first and first.get("metadata"):
        links.append(f'<meta name="dl-first-model" content="{html.escape(first["metadata"])}">')
    links.append(f'<script type="module" async src="{rel(ENGINE_START)}"></script>')
    return links


def web_manifest(config) -> str:
    """The web app manifest: the site can be installed, and opens on its home page."""
    icons = [
        {
            "src": f"assets/icons/icon-{size}.png",
            "sizes": f"{size}x{size}",
            "type": "image/png",
            "purpose": "any maskable",
        }
        for size in (192, 512)
    ]
    return json.dumps(
        {
            "name": config["site_name"],
            "short_name": "Draw & Learn TF",
            "description": config["site_description"],
            "start_url": "./",
            "scope": "./",
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#bf360c",
            "icons": icons,
        },
        indent=1,
    )


def content_security_policy(output: str) -> str:
    """The page's policy: its inline scripts (Material's, with per-page text) allowed by their SHA-256."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
        for body in INLINE_SCRIPT.findall(output)
    )
    return "; ".join(
        [
            "default-src 'self'",
            # WebAssembly (TF.js' fastest backend) must be compiled: 'wasm-unsafe-eval', never 'unsafe-eval'.
            f"script-src 'self' 'wasm-unsafe-eval' {hashes}".strip(),
            # Material, KaTeX and the widgets set style attributes; no script can hide in a style.
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self'",
            "connect-src 'self'",
            "worker-src 'self'",
            "manifest-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        ]
    )


def with_policy(output: str) -> str:
    """The page with its Content-Security-Policy, first in <head>: a policy applies only to what follows it."""
    policy = f'<meta http-equiv="Content-Security-Policy" content="{content_security_policy(output)}">'
    return output.replace('<meta charset="utf-8">', f'<meta charset="utf-8">\n{policy}', 1)


def on_post_page(output: str, page, config) -> str:
    """Add the Content-Security-Policy and the manifest to every page; preload what the first prediction
    needs on pages with a model widget."""
    head = [f'<link rel="manifest" href="{get_relative_url(MANIFEST_FILE, page.url)}">']
    found = MODEL_WIDGETS.search(output)
    if found:
        head += preload_hints(page.url, found.group(1), found.group(2))
    output = output.replace("</head>", "\n".join(head) + "\n</head>", 1)
    # Material's search overlay is a dialog without a name (axe: aria-dialog-name).
    output = output.replace(
        'data-md-component="search" role="dialog"', 'data-md-component="search" role="dialog" aria-label="Search"', 1
    )
    return with_policy(output)


def on_post_template(output: str, template_name: str, config) -> str:
    """The 404 page is a theme template, not a page: it gets the same policy."""
    return with_policy(output) if template_name == "404.html" else output


SERVING = False


def on_startup(command: str, dirty: bool) -> None:
    """`mkdocs serve` rebuilds as you edit: there, the service worker steps aside instead of caching."""
    global SERVING
    SERVING = command == "serve"


def on_post_build(config) -> None:
    """Publish the service worker with the list of built files and a version derived from their contents."""
    site = Path(config["site_dir"])
    if SERVING:
        (site / "sw.js").write_text(
            "// mkdocs serve: no offline cache while editing; any earlier one is removed.\n"
            "self.addEventListener('install', () => self.skipWaiting());\n"
            "self.addEventListener('activate', (e) => e.waitUntil(caches.keys()"
            ".then((keys) => Promise.all(keys.map((k) => caches.delete(k)))).then(() => self.registration.unregister())));\n"
        )
        return
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
    manifest = {"version": digest.hexdigest()[:16], "files": urls}
    source = SERVICE_WORKER_SOURCE.read_text()
    placeholder = "const MANIFEST = { version: 'dev', files: [] };"
    if placeholder not in source:
        raise PluginError(f"{SERVICE_WORKER_SOURCE} lost its MANIFEST placeholder")
    (site / "sw.js").write_text(source.replace(placeholder, f"const MANIFEST = {json.dumps(manifest)};"))
