"""The MkDocs build: strict, self-contained, widgets expanded; the JS unit tests."""

from __future__ import annotations

import html as html_module
import json
import re
import shutil
import subprocess
import threading
import time

import pytest

from tests.support.site import ROOT, committed_models, load_hook
from tests.support.widget import WIDGET, wait_state


def test_strict_build_publishes_widgets_and_tfjs(built_site):
    html = (built_site / "index.html").read_text()
    widget = re.search(r'<div class="dl-widget" data-widget="digit-classifier"[^>]*data-models="([^"]*)"', html)
    assert widget, "the {{ widget digit-classifier }} shortcode was not expanded"
    models = json.loads(html_module.unescape(widget.group(1)))
    # Every digit model, the most accurate first, each with the URL of its metadata.json.
    assert [m["name"] for m in models] == sorted(committed_models("mnist"), key=lambda n: -accuracy(n))
    for entry in models:
        meta = json.loads((built_site / entry["metadata"]).read_text())
        assert (entry["title"], entry["test_accuracy"]) == (meta["title"], meta["test_accuracy"])
        for asset in meta["assets"].values():
            assert ((built_site / entry["metadata"]).parent / asset).is_file(), asset
    for path in (
        "assets/js/main.js",
        "assets/js/core/preprocess.js",
        "assets/css/widgets.css",
        "assets/vendor/tfjs/tf.min.js",
        "assets/vendor/tfjs/tfjs-backend-wasm-simd.wasm",
    ):
        assert (built_site / path).is_file(), path
    vendor = (built_site / "assets/js/vendor.js").read_text()
    for url in re.findall(r'new URL\("([^"]+)", import.meta.url\)', vendor):
        assert (built_site / "assets/js" / url).exists(), url
    assert not (built_site / "hooks").exists()


def accuracy(name: str) -> float:
    return json.loads((ROOT / "docs" / "models" / name / "metadata.json").read_text())["test_accuracy"]


def test_no_page_loads_anything_from_another_host(built_site):
    for page in built_site.rglob("*.html"):
        text = page.read_text()
        loaded = re.findall(r'src="(https?://[^"]+)"', text) + re.findall(r'<link[^>]*href="(https?://[^"]+)"', text)
        for attr in loaded:
            assert attr.startswith("http://127.0.0.1"), f"{page.name} loads {attr}"


def test_builds_at_once_share_their_caches(tmp_path):
    """The suite's workers build the site at once on a fresh clone: a cached build (minified modules,
    the worker's bundle, lean TF.js) is never read half-written, and both builds get the complete one."""
    cached_build = load_hook("build_cache").cached_build
    out = tmp_path / "key"
    both_started = threading.Barrier(2)

    def build(folder):
        folder.mkdir()
        (folder / "part.js").write_text("one half")
        both_started.wait(timeout=10)
        time.sleep(0.2)
        (folder / "done").write_text("the other")

    results = []
    threads = [threading.Thread(target=lambda: results.append(cached_build(out, "done", build))) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [out, out]
    assert sorted(p.name for p in out.iterdir()) == ["done", "part.js"]
    assert [p.name for p in tmp_path.iterdir()] == ["key"], "a build's own folder was left behind"
    # A build stopped half-way by the code before this one (written in place, no "done") is replaced.
    (out / "done").unlink()

    def rebuild(folder):
        folder.mkdir()
        (folder / "done").write_text("complete")

    assert cached_build(out, "done", rebuild) == out
    assert sorted(p.name for p in out.iterdir()) == ["done"]


def test_js_unit_tests_pass():
    node = shutil.which("node")
    assert node, "node is needed for the JS unit tests"
    proc = subprocess.run(
        [node, "--test", "--test-concurrency=2", "tests/js/"], cwd=ROOT, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "# fail 0" in proc.stdout


def test_the_engine_boots_from_the_head_only_where_the_first_answer_needs_no_click(built_site):
    """engine-boot.js, inlined after the page's policy and before its stylesheets, where the first
    widget with a model is a classifier; not where the reader trains first (the trainer's page)."""
    booted = {
        path: re.search(r"<head>(.*?)</head>", (built_site / path / "index.html").read_text(), re.DOTALL).group(1)
        for path in ("", "hello-mnist", "fashion-mnist", "train-in-browser", "glossary")
    }
    for path in ("", "hello-mnist", "fashion-mnist"):
        head = booted[path]
        at = head.find("<script data-boot=")
        assert at != -1, f"/{path}: no boot"
        assert head.find("Content-Security-Policy") < at < head.find('rel="stylesheet"'), path
        boot = json.loads(html_module.unescape(re.search(r'data-boot="([^"]*)"', head).group(1)))
        assert boot["models"] and (built_site / path / boot["models"][0]["metadata"]).is_file()
        assert (built_site / path / boot["worker"]).is_file()
    assert "data-boot=" not in booted["train-in-browser"] and "data-boot=" not in booted["glossary"]


@pytest.mark.browser
def test_a_model_page_preloads_every_module_its_widget_imports_at_once(page, site_url):
    """The docs hook reads each widget's static imports from esbuild's graph (site/widgets.json names
    the module): every page module the browser fetches before the first answer was preloaded."""
    fetched = []
    page.on("request", lambda r: r.resource_type == "script" and "/assets/js/" in r.url and fetched.append(r.url))
    page.goto(site_url)
    wait_state(page, WIDGET, "ready", timeout=60_000)
    preloaded = set(page.eval_on_selector_all('link[rel="modulepreload"]', "links => links.map((l) => l.href)"))
    in_head = set(page.eval_on_selector_all("head script[src]", "scripts => scripts.map((s) => s.src)"))
    page_modules = {url for url in fetched if "/assets/js/workers/" not in url and "/assets/js/lean/" not in url}
    assert len(preloaded) >= 10 and page_modules <= preloaded | in_head, sorted(page_modules - preloaded - in_head)
    assert any(url.endswith("/assets/js/widgets.js") for url in preloaded)
