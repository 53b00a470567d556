"""Build the site and serve it on 127.0.0.1, for the tests and the benchmark."""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import importlib.util
import io
import json
import os
import re
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
MODELS = DOCS / "models"
ARTIFACTS = ROOT / "test-results"
COMPRESSED = (".html", ".js", ".css", ".json", ".wasm", ".svg", ".xml", ".txt", ".webmanifest")


NAV_PAGE = re.compile(r"^\s+- .*?:\s*(\S+)\.md\s*$", re.MULTILINE)


def nav_paths(root: Path = ROOT) -> list[str]:
    """The site's pages in nav order, as URL paths ("" for the home page)."""
    names = NAV_PAGE.findall((root / "mkdocs.yml").read_text())
    return ["" if n == "index" else f"{n}/" for n in names]


@functools.cache
def widget_kinds(root: Path = ROOT) -> dict[str, dict]:
    """Every widget kind, as site/widgets.json declares it (module, models, ready state, reserve)."""
    return json.loads((root / "site" / "widgets.json").read_text())


def ready_states() -> dict[str, str]:
    """The ``data-state`` each widget kind (charts aside: they are drawn when seen) settles in once usable."""
    return {kind: w["ready"] for kind, w in widget_kinds().items() if kind != "chart"}


def load_hook(name: str, root: Path = ROOT):
    """The MkDocs hook ``docs/hooks/NAME.py`` as a module, loaded as MkDocs loads it: by path, with its
    folder on ``sys.path`` while it runs (so that it can import the modules beside it, as site_layout)."""
    folder = root / "docs" / "hooks"
    spec = importlib.util.spec_from_file_location(name, folder / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    saved = sys.path.copy()
    sys.path.insert(0, str(folder))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path[:] = saved
    return module


def committed_models(dataset: str | None = None, root: Path = ROOT) -> list[str]:
    """Names of the models under docs/models (of one dataset, if given)."""
    return [
        p.parent.name
        for p in sorted((root / "docs" / "models").glob("*/metadata.json"))
        if not p.parent.name.startswith(".") and (dataset is None or json.loads(p.read_text())["dataset"] == dataset)
    ]


def metadata_url(site_url: str, name: str) -> str:
    """Where the built site publishes a model's metadata.json."""
    return f"{site_url}{MODELS.relative_to(DOCS).as_posix()}/{name}/metadata.json"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_site(out: Path, port: int | None, root: Path = ROOT, site_url: str | None = None) -> Path:
    """``mkdocs build --strict`` of ``root`` into ``out``, for serving on ``port`` (instant navigation
    needs the site's URL), or for ``site_url``; with neither, as a host-agnostic build (no site_url)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("SITE_URL", None)
    if site_url or port:
        env["SITE_URL"] = site_url or f"http://127.0.0.1:{port}/"
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(out)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
    )
    if proc.returncode:
        raise RuntimeError(f"mkdocs build failed:\n{proc.stdout}{proc.stderr}")
    return out


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, without a log line per request."""

    def log_message(self, *args):
        pass


class GzipHandler(QuietHandler):
    """Static files; text and wasm gzip-compressed when the browser accepts it, as static hosts do."""

    cache: dict[str, bytes] = {}

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        compressible = path.endswith(COMPRESSED) and "gzip" in self.headers.get("Accept-Encoding", "")
        if not (compressible and os.path.isfile(path)):
            return super().send_head()
        if path not in self.cache:
            self.cache[path] = gzip.compress(Path(path).read_bytes(), 6)
        body = self.cache[path]
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


class QuietServer(http.server.ThreadingHTTPServer):
    """A threaded server that says nothing when the browser drops a download it no longer wants
    (a page closed or navigated mid-file): that is how browsers work, not an error of the site."""

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve(directory: Path, port: int = 0, compress: bool = False) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 in a thread; yields its URL (ending in /)."""
    handler = functools.partial(GzipHandler if compress else QuietHandler, directory=str(directory))
    server = QuietServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
