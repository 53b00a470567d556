"""The MkDocs build: strict, self-contained, widgets expanded; the JS unit tests."""

from __future__ import annotations

import re
import shutil
import subprocess

from tests.conftest import ROOT, committed_models


def test_strict_build_publishes_widgets_and_tfjs(built_site):
    html = (built_site / "index.html").read_text()
    widget = re.search(r'<div class="dl-widget" data-widget="digit-classifier"[^>]*>', html)
    assert widget, "the {{ widget digit-classifier }} shortcode was not expanded"
    assert 'data-models="mnist-cnn,mnist-mlp"' in widget.group(0)
    for path in (
        "assets/js/main.js",
        "assets/js/lib/preprocess.js",
        "assets/css/widgets.css",
        "assets/vendor/tfjs/tf.min.js",
        "assets/vendor/tfjs/tfjs-backend-wasm-simd.wasm",
    ):
        assert (built_site / path).is_file(), path
    for name in committed_models():
        assert (built_site / "models" / name / "model.json").is_file()
    assert not (built_site / "hooks").exists()


def test_no_page_loads_anything_from_another_host(built_site):
    for page in built_site.rglob("*.html"):
        text = page.read_text()
        loaded = re.findall(r'src="(https?://[^"]+)"', text) + re.findall(r'<link[^>]*href="(https?://[^"]+)"', text)
        for attr in loaded:
            assert attr.startswith("http://127.0.0.1"), f"{page.name} loads {attr}"


def test_js_unit_tests_pass():
    node = shutil.which("node")
    assert node, "node is needed for the JS unit tests"
    proc = subprocess.run([node, "--test", "tests/js/"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "# fail 0" in proc.stdout
