"""The tutorial pages: numbers from data, code from source, links, charts."""

from __future__ import annotations

import html
import json
import re
import textwrap
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

from tests.support.browser import watched_page
from tests.support.site import ARTIFACTS, ROOT, load_hook, nav_paths

DOCS = ROOT / "docs"
PAGES = sorted(p for p in DOCS.glob("*.md"))
# The reading order: the main path, then the appendix.
NAV = [
    "",
    "history/",
    "hello-mnist/",
    "train-in-browser/",
    "how-learning-works/",
    "training-gone-wrong/",
    "convolutions/",
    "cnn-reads-drawings/",
    "fashion-mnist/",
    "keras-to-browser/",
    "your-turn/",
    "performance/",
    "glossary/",
]


def page_html(built_site: Path, md: Path) -> str:
    target = built_site / ("index.html" if md.stem == "index" else f"{md.stem}/index.html")
    return target.read_text()


def test_every_nav_page_is_built(built_site):
    for path in NAV:
        assert (built_site / path / "index.html").is_file(), path
    assert nav_paths() == NAV


# A title such as "Small CNN" may carry the glossary's hover definition (<abbr>) inside it.
NUMBER = re.compile(
    r'<span class="dl-number" data-source="([^"]+)" data-format="([a-z0-9]+)">((?:[^<]|</?abbr[^>]*>)*)</span>'
)


def test_numbers_on_pages_match_the_data(built_site):
    """Every shortcode became one element that names its source and holds exactly the formatted value."""
    hook = load_hook("shortcodes")
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
            text = re.sub(r"</?abbr[^>]*>", "", text)
            assert html.unescape(text) == hook.FORMATS[fmt](hook.lookup(results, name, path)), (md.name, source)
            checked += 1
    assert checked >= 60


def test_a_retrained_model_changes_the_page(tmp_path, monkeypatch):
    hook = load_hook("shortcodes")
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


def numeric_leaves(value):
    """Every number in a result, with the extremes of each list of numbers (what a shortcode can give)."""
    if isinstance(value, bool):
        return
    if isinstance(value, (int, float)):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from numeric_leaves(item)
    elif isinstance(value, list):
        numbers = [v for v in value if isinstance(v, (int, float)) and not isinstance(v, bool)]
        if numbers and len(numbers) == len(value):
            yield from (min(numbers), max(numbers))
        for item in value:
            yield from numeric_leaves(item)


def typed_forms(results: dict) -> set[str]:
    """The ways a page would type a result by hand: 0.1926, 60,000, 10.3 times."""
    forms = set()
    for result in results.values():
        for v in numeric_leaves(result):
            if isinstance(v, float) and 0 < abs(v) < 1 and round(v, 4) != round(v, 2):
                forms.add(f"{v:.4f}")
            if abs(v) >= 1000 and float(v).is_integer():
                forms.add(f"{int(v):,}")
            if isinstance(v, float) and 1 < v < 100 and not v.is_integer():
                forms.add(f"{v:.1f} times")
    return forms


def plain_prose(md: Path) -> str:
    """prose(), without formulas (worked examples), link targets and exercise questions (hypotheticals)."""
    text = "\n".join(line for line in prose(md).splitlines() if not line.lstrip().startswith("??? question"))
    for formula in (r"\$\$.*?\$\$", r"\\\[.*?\\\]", r"\\\(.*?\\\)", r"\$[^$\n]+\$", r"\]\([^)]*\)"):
        text = re.sub(formula, "]" if formula.startswith(r"\]") else "", text, flags=re.DOTALL)
    return re.sub(r"\s+", " ", text)


RESTATED = re.compile(r"(?<![\d.,])\d[\d,]*(?:\.\d+)?(?: times)?")


@pytest.mark.parametrize("md", PAGES, ids=lambda p: p.name)
def test_no_page_restates_a_value_a_shortcode_gives(md):
    """A minimum, a ratio or a count typed in the prose goes stale with the next run: quote it instead."""
    forms = typed_forms(load_hook("shortcodes").all_results())
    restated = [t for t in RESTATED.findall(plain_prose(md)) if t in forms]
    assert not restated, f"{md.name} restates {restated}; use a {{{{ model.field | fmt }}}} shortcode"


def test_shortcodes_compute_extremes_and_shares_instead_of_pinning_an_index():
    hook = load_hook("shortcodes")
    results = {
        "run": {"history": {"val_loss": [0.3, 0.19, 0.2]}},
        "cal": {
            "ece": 0.1,
            "bins": [
                {"count": 1, "accuracy": 1.0, "confidence": 0.0},
                {"count": 0, "accuracy": None, "confidence": None},
                {"count": 9, "accuracy": 0.9, "confidence": 0.9},
            ],
        },
    }
    assert hook.lookup(results, "run", "history.val_loss.min") == 0.19
    assert hook.lookup(results, "run", "history.val_loss.min_epoch") == 2
    assert hook.lookup(results, "run", "history.val_loss.max_epoch") == 1
    assert hook.lookup(results, "cal", "ece_shares.0") == pytest.approx(1.0)
    assert hook.lookup(results, "cal", "ece_shares.1") == 0.0


def test_the_learning_path_is_the_nav_and_every_chapter_has_one_name(built_site):
    """The home page lists every page of the nav, in its order and with its title, which is also the page's H1."""
    from mkdocs.utils.yaml import yaml_load

    hook = load_hook("shortcodes")
    config = yaml_load((ROOT / "mkdocs.yml").read_text())
    pages = [(title, target) for _, title, target in hook.nav_pages(config["nav"]) if target != "index.md"]
    home = re.sub(r"</?abbr[^>]*>", "", (built_site / "index.html").read_text())
    path = home[home.index('id="the-path-through-this-site"') :]
    path = path[: path.index("<h2")] if "<h2" in path else path
    listed = re.findall(r'<a href="([^"]+)/"><strong>([^<]+)</strong></a>', path)
    assert [(html.unescape(t), h) for h, t in listed] == [(t, f.removesuffix(".md")) for t, f in pages]
    for title, target in pages:
        assert (DOCS / target).read_text().split("\n# ", 1)[1].split("\n", 1)[0] == title, target


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
    charts = 0
    with watched_page(browser, color_scheme=scheme) as page:
        for path in NAV:
            page.goto(site_url + path)
            page.wait_for_load_state("networkidle")
            # Charts draw when they come near the screen: visit each one.
            for k in range(page.locator("[data-widget=chart]").count()):
                page.locator("[data-widget=chart]").nth(k).scroll_into_view_if_needed()
                page.wait_for_function(
                    "(k) => document.querySelectorAll('[data-widget=chart]')[k].dataset.state === 'ready'", arg=k
                )
            for chart in page.evaluate(CHART_STATE):
                assert chart["state"] == "ready" and chart["w"] > 200 and chart["ink"] > 1000, (path, chart)
                charts += 1
        page.goto(site_url + "training-gone-wrong/")
        for k in range(page.locator("[data-widget=chart]").count()):
            page.locator("[data-widget=chart]").nth(k).scroll_into_view_if_needed()
            page.wait_for_function(
                "(k) => document.querySelectorAll('[data-widget=chart]')[k].dataset.state === 'ready'", arg=k
            )
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"charts-{scheme}.png"), full_page=True)
    assert charts >= 8


@pytest.mark.browser
def test_each_section_holds_its_place_until_it_is_shown(browser, site_url):
    """Sections off the screen are not laid out (content-visibility); each holds the place of the
    height docs/hooks/sections.py estimated, on a phone and on a wide screen. A wrong estimate
    makes the page jump as sections appear, and an anchor land off target."""
    errors = {}
    for width in (412, 1100):
        with watched_page(browser, viewport={"width": width, "height": 900}) as page:
            for path in NAV:
                page.goto(site_url + path)
                shown = page.evaluate(
                    "[...document.querySelectorAll('.dl-section')].map((s) => getComputedStyle(s).contentVisibility)"
                )
                assert set(shown) <= {"auto"}, (path, shown)
                page.add_style_tag(content=".md-typeset .dl-section { content-visibility: visible !important }")
                for real, estimate in page.evaluate(SECTION_HEIGHTS):
                    errors.setdefault(width, []).append(abs(estimate - real) / real)
    for width, e in errors.items():
        assert len(e) >= 50 and sorted(e)[len(e) // 2] < 0.15 and max(e) < 0.6, (width, sorted(e)[-5:])


SECTION_HEIGHTS = """() => [...document.querySelectorAll('.dl-section')].map((s) => [
  s.getBoundingClientRect().height,
  parseFloat(getComputedStyle(s).getPropertyValue(matchMedia('(min-width: 45em)').matches ? '--dl-wide' : '--dl-narrow')),
])"""


CHAPTERS = [p for p in NAV if p not in ("", "glossary/")]


def words(page: str) -> int:
    """Words of prose in a built page's article: no code, tables, charts' data or formulas' markup."""
    article = re.search(r"<article[^>]*>(.*)</article>", page, re.DOTALL).group(1)
    article = re.sub(r"<(pre|table|script|style|math|svg)\b.*?</\1>", " ", article, flags=re.DOTALL)
    article = re.sub(r'<span class="katex-html".*?</span></span></span>', " ", article, flags=re.DOTALL)
    return len(re.findall(r"[A-Za-z][A-Za-z'-]*", html.unescape(re.sub(r"<[^>]+>", " ", article))))


@pytest.mark.parametrize("path", CHAPTERS)
def test_every_chapter_is_a_full_chapter(built_site, path):
    """At least 1,000 words; the main path's chapters add formulas, a figure, exercises, a recap, a link onward."""
    page = (built_site / path / "index.html").read_text()
    assert words(page) >= 1000, f"{path}: {words(page)} words"
    if path == "performance/":
        return
    assert 'class="katex"' in page, f"{path}: no formula rendered"
    assert re.search(r'<img |<svg |class="dl-chart"|data-widget=', page.split("<article", 1)[1]), f"{path}: no figure"
    answers = re.findall(r'<details class="success">\s*<summary>Answer</summary>', page)
    assert 'id="exercises"' in page and len(answers) >= 3, f"{path}: {len(answers)} exercises with answers"
    assert 'id="recap"' in page, f"{path}: no recap"
    following = NAV[NAV.index(path) + 1]
    if following != "performance/":
        assert re.search(rf'href="\.\./{re.escape(following)}"', page), f"{path}: no link onward to {following}"


def test_glossary_terms_explain_themselves_on_every_page(built_site):
    """The glossary page lists every term; each chapter shows the terms it uses as hover definitions."""
    terms = dict(load_hook("shortcodes").GLOSSARY_TERM.findall((DOCS / "includes" / "glossary.md").read_text()))
    assert len(terms) >= 20
    glossary = (built_site / "glossary" / "index.html").read_text()
    for term in ("MLP", "logits", "tensor", "kernel", "feature map", "padding", "epoch", "batch"):
        assert any(t.lower() == term.lower() for t in terms), f"{term!r} missing from the glossary"
        assert re.search(rf"<dt[^>]*>{re.escape(term)}</dt>", glossary, re.IGNORECASE), term
    for path in CHAPTERS:
        abbrs = dict(
            re.findall(r'<abbr title="([^"]+)">([^<]+)</abbr>', (built_site / path / "index.html").read_text())
        )
        assert len(abbrs) >= 3, f"{path}: only {len(abbrs)} glossary terms explained on hover"
        for definition, term in abbrs.items():
            assert html.unescape(definition) == terms[term], f"{path}: {term!r} explained differently"


def test_a_glossary_term_is_defined_and_linked_where_a_page_first_uses_it(built_site):
    """Touch screens show no hover: a term's first use links to its glossary entry; later uses are
    plain words (the theme builds a tooltip for every <abbr>, and long pages had hundreds)."""
    entries = set(re.findall(r'<dt id="([^"]+)">', (built_site / "glossary" / "index.html").read_text()))
    ids = load_hook("shortcodes").glossary_terms()
    for path in CHAPTERS:
        page = (built_site / path / "index.html").read_text()
        links = re.findall(r'<a class="dl-term" href="([^"#]*)#([^"]+)"><abbr title="[^"]+">([^<]+)</abbr></a>', page)
        assert len(links) >= 3, f"{path}: only {len(links)} glossary terms linked"
        for href, anchor, term in links:
            assert urljoin(f"http://x/{path}", href) == "http://x/glossary/", (path, href)
            assert anchor == ids[html.unescape(term)] and anchor in entries, (path, term, anchor)
        assert len({anchor for _, anchor, _ in links}) == len(links), f"{path}: a term linked twice"
        # Where a link can go (not in a heading, a question, another link or a number's title),
        # a term carries its definition once per page.
        body = re.sub(
            r'<h[1-6]\b.*?</h[1-6]>|<summary\b.*?</summary>|<a (?!class="dl-term")[^>]*>.*?</a>|<span class="dl-number".*?</span>',
            "",
            page,
            flags=re.DOTALL,
        )
        terms = [html.unescape(t) for t in re.findall(r'<abbr title="[^"]+">([^<]+)</abbr>', body)]
        assert len({ids[t] for t in terms}) == len(terms), f"{path}: a term defined twice"


def test_curves_show_every_epoch(built_site):
    """Each curve chart draws every epoch of every run it shows, train and validation alike."""
    results = load_hook("shortcodes").all_results()
    by_title = {r["title"]: r for r in results.values() if isinstance(r, dict) and "history" in r and "title" in r}
    charts = 0
    for path in NAV:
        page = (built_site / path / "index.html").read_text()
        for raw in re.findall(r'data-kind="curves" data-chart="([^"]+)"', page):
            chart = json.loads(html.unescape(raw))
            for series in chart["series"]:
                epochs = len(by_title[series["name"]]["history"]["loss"])
                assert len(series["train"]) == len(series["validation"]) == epochs, (path, series["name"])
            charts += 1
    assert charts >= 3
