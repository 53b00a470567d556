"""The tutorial pages: numbers from data, code from source, links, charts."""

from __future__ import annotations

import html
import importlib.util
import json
import re
import textwrap
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

from tests.support.browser import PageWatch
from tests.support.site import ARTIFACTS, ROOT

DOCS = ROOT / "docs"
PAGES = sorted(p for p in DOCS.glob("*.md"))
NAV = ["", "history/", "hello-mnist/", "training-gone-wrong/", "fashion-mnist/", "keras-to-browser/", "performance/"]


def load_hook():
    spec = importlib.util.spec_from_file_location("site_assets", DOCS / "hooks" / "site_assets.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def page_html(built_site: Path, md: Path) -> str:
    target = built_site / ("index.html" if md.stem == "index" else f"{md.stem}/index.html")
    return target.read_text()


def test_every_nav_page_is_built(built_site):
    for path in NAV:
        assert (built_site / path / "index.html").is_file(), path
    nav = re.findall(r"^\s+- .*?:\s*(\S+\.md)\s*$", (ROOT / "mkdocs.yml").read_text(), re.MULTILINE)
    assert [n.removesuffix(".md") for n in nav] == [
        "index",
        "history",
        "hello-mnist",
        "training-gone-wrong",
        "fashion-mnist",
        "keras-to-browser",
        "performance",
    ]


NUMBER = re.compile(r'<span class="dl-number" data-source="([^"]+)" data-format="([a-z0-9]+)">([^<]*)</span>')


def test_numbers_on_pages_match_the_data(built_site):
    """Every shortcode became one element that names its source and holds exactly the formatted value."""
    hook = load_hook()
    results = hook.all_results()
    checked = 0
    for md in PAGES:
        wanted = sorted(
            (f"{m.group(1)}.{m.group(2)}", m.group(3) or "raw") for m in hook.METRIC.finditer(md.read_text())
        )
        shown = NUMBER.findall(page_html(built_site, md))
        assert sorted((source, fmt) for source, fmt, _ in shown) == wanted, md.name
        for source, fmt, text in shown:
            name, path = source.split(".", 1)
            assert html.unescape(text) == hook.FORMATS[fmt](hook.lookup(results, name, path)), (md.name, source)
            checked += 1
    assert checked >= 60


def test_a_retrained_model_changes_the_page(tmp_path, monkeypatch):
    hook = load_hook()
    models = tmp_path / "models"
    (models / "mnist-cnn").mkdir(parents=True)
    meta = json.loads((DOCS / "models" / "mnist-cnn" / "metadata.json").read_text())
    meta["test_accuracy"] = 0.12345
    (models / "mnist-cnn" / "metadata.json").write_text(json.dumps(meta))
    monkeypatch.setattr(hook, "MODELS", models)
    out = hook.on_page_markdown("Accuracy: {{ mnist-cnn.test_accuracy | pct }}.", None, None, None)
    assert (
        out
        == 'Accuracy: <span class="dl-number" data-source="mnist-cnn.test_accuracy" data-format="pct">12.35 %</span>.'
    )


def prose(md: Path) -> str:
    """A page's Markdown without code blocks and without shortcodes."""
    text = re.sub(r"```.*?```", "", md.read_text(), flags=re.DOTALL)
    text = re.sub(r"`[^`]*`", "", text)
    return re.sub(r"\{\{.*?\}\}", "", text)


@pytest.mark.parametrize("md", PAGES, ids=lambda p: p.name)
def test_no_result_is_typed_by_hand(md):
    typed = re.findall(r"\d[\d,.]*\s?(?:%|ms\b|MB\b|kB\b|seconds\b)", prose(md))
    assert not typed, f"{md.name} types results by hand: {typed}; use a {{{{ model.field | fmt }}}} shortcode"


CODE_BLOCK = re.compile(r"<pre[^>]*>(?:<span></span>)?<code[^>]*>(.*?)</code></pre>", re.DOTALL)


def test_code_blocks_come_from_the_source(built_site):
    """Each included section appears on its page as one whole code block, line for line."""
    found = 0
    for md in PAGES:
        blocks = [
            html.unescape(re.sub(r"<[^>]+>", "", b)).strip("\n") for b in CODE_BLOCK.findall(page_html(built_site, md))
        ]
        for path, section in re.findall(r'--8<-- "([^":]+):([\w-]+)"', md.read_text()):
            source = (ROOT / path).read_text()
            block = re.search(rf"# --8<-- \[start:{section}\]\n(.*?)\n\s*# --8<-- \[end:{section}\]", source, re.DOTALL)
            assert block, f"{path} has no section {section!r}"
            code = textwrap.dedent(block.group(1)).strip("\n")
            assert code in blocks, f"{md.name}: {path}:{section} is not shown whole as a code block"
            found += 1
    assert found >= 4


def test_the_walkthrough_program_runs():
    from train import quickstart

    loss, accuracy = quickstart.main(limit=256)
    assert 0 < loss < 5 and accuracy > 0.3


def test_no_broken_internal_links(built_site):
    broken = []
    for page in built_site.rglob("*.html"):
        base = "/" + page.relative_to(built_site).as_posix()
        for ref in re.findall(r'(?:href|src)="([^"#?]+)', page.read_text()):
            if urlparse(ref).scheme or ref.startswith(("mailto:", "//")):
                continue
            target = built_site / urljoin(base, ref).lstrip("/")
            if not (target.is_file() or (target / "index.html").is_file()):
                broken.append(f"{base} -> {ref}")
    assert not broken, broken


CHART_STATE = """() => [...document.querySelectorAll('[data-widget=chart]')].map(e => {
  const c = e.querySelector('canvas');
  const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let ink = 0;
  for (let i = 3; i < px.length; i += 4) if (px[i] > 0) ink++;
  return { state: e.dataset.state, w: c.width, h: c.height, ink };
})"""


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_pages_render_with_charts_in_both_palettes(browser, site_url, scheme):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    watch = PageWatch(page)
    charts = 0
    try:
        for path in NAV:
            page.goto(site_url + path)
            page.wait_for_load_state("networkidle")
            expected = page.locator("[data-widget=chart]").count()
            if expected:
                page.wait_for_function(
                    "() => [...document.querySelectorAll('[data-widget=chart]')].every(e => e.dataset.state === 'ready')"
                )
            for chart in page.evaluate(CHART_STATE):
                assert chart["state"] == "ready" and chart["w"] > 200 and chart["ink"] > 1000, (path, chart)
                charts += 1
        page.goto(site_url + "training-gone-wrong/")
        page.wait_for_function("() => document.querySelector('[data-widget=chart]')?.dataset.state === 'ready'")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"charts-{scheme}.png"), full_page=True)
    finally:
        context.close()
    watch.check()
    assert charts >= 8
