"""MkDocs hook: expand the pages' shortcodes, from the pipeline's files.

* ``{{ widget digit-classifier }}`` becomes the widget's mount point, listing the
  committed models of the widget's dataset with the URL of each metadata.json;
* ``{{ mnist-cnn.test_accuracy | pct }}`` becomes that number, from the model's
  metadata.json (or a tutorial run's docs/runs/<name>.json), in an element that
  names its source, so no page ever types a result by hand;
* ``{{ json models/mnist-mlp/model.json }}`` shows a generated file as it is;
* ``{{ chart curves runs=a,b metric=loss }}``, ``{{ chart confusion model=a }}``,
  ``{{ chart counts dataset=mnist }}`` and ``{{ chart reliability sources=a,b.calibration }}``
  embed that data for a Chart.js chart;
* ``{{ glossary }}`` lists the glossary (docs/includes/glossary.md, whose terms
  every page also explains on hover);
* formulas (``pymdownx.arithmatex``) are rendered to HTML and MathML with KaTeX
  at build time (``render_math.mjs``, node), so no page runs a script for them.

This hook must not import TensorFlow: serving the docs needs only MkDocs.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url
from mkdocs.utils.meta import get_data

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
MODELS = ROOT / "docs" / "models"
RUNS = ROOT / "docs" / "runs"
DATA = ROOT / "docs" / "data"
KATEX_CSS = "assets/vendor/katex/katex.min.css"  # published by vendor.py
GLOSSARY_FILE = ROOT / "docs" / "includes" / "glossary.md"
GLOSSARY_TERM = re.compile(r"^\*\[(.+?)\]: (.+)$", re.MULTILINE)
MATH = re.compile(r'<(span|div) class="arithmatex">\\[(\[](.*?)\\[)\]]</\1>', re.DOTALL)
# Every widget kind, declared once (site/widgets.json): its module, the dataset whose models it
# offers (or the models it starts from), the images it trains on, the space it reserves.
WIDGETS = json.loads((ROOT / "site" / "widgets.json").read_text())
METRIC = re.compile(r"\{\{\s*([a-z0-9-]+)\.([A-Za-z0-9_.-]+)\s*(?:\|\s*([a-z0-9]+)\s*)?\}\}")
# Inline code holding a number: rendered as HTML so the number can keep its element.
CODE_WITH_METRIC = re.compile(r"`([^`\n]*\{\{[^`\n]*\}\}[^`\n]*)`")


def raw_text(value: object) -> str:
    """A scalar shortcode value as text; a list or a mapping is an error, with the formats that fit."""
    if isinstance(value, list | dict):
        raise PluginError(f"{str(value)[:60]}... is not a scalar: use `| names` for a list, or a path into it")
    return str(value)


FORMATS = {
    "pct": lambda v: f"{v * 100:.2f} %",
    "pct1": lambda v: f"{v * 100:.1f} %",
    "int": lambda v: f"{round(v):,}",
    "float1": lambda v: f"{v:.1f}",
    "float2": lambda v: f"{v:.2f}",
    "float4": lambda v: f"{v:.4f}",
    "sec": lambda v: f"{v:.0f} s",
    "kb": lambda v: f"{v / 1000:,.0f} kB",
    "mb": lambda v: f"{v / 1e6:.2f} MB",
    # A scalar as it is; a list is refused: prose reads "a, b, c", not Python's "['a', 'b', 'c']".
    "raw": raw_text,
    # A list of names as prose writes them: T-shirt/top, Trouser, Pullover.
    "names": lambda v: ", ".join(map(str, v)),
    # A budget's verdict, as the benchmark computed it (tests/bench/budgets.py).
    "met": lambda v: "met" if v else "not met",
    # A shape as Python prints it: (60000, 28, 28).
    "shape": lambda v: "(" + ", ".join(map(str, v)) + ("," if len(v) == 1 else "") + ")",
}
SHORTCODE = re.compile(r"^\{\{\s*widget\s+([a-z-]+)((?:\s+[a-z-]+=[^\s}]+)*)\s*\}\}\s*$", re.MULTILINE)
JSON_FILE = re.compile(r"^\{\{\s*json\s+([\w./-]+)\s*\}\}\s*$", re.MULTILINE)
CHART = re.compile(r"^\{\{\s*chart\s+([a-z-]+)((?:\s+[a-z-]+=[^\s}]+)*)\s*\}\}\s*$", re.MULTILINE)


def model_metadata() -> dict[str, dict]:
    """Metadata of every committed model, by folder name."""
    return {
        p.parent.name: json.loads(p.read_text())
        for p in sorted(MODELS.glob("*/metadata.json"))
        if not p.parent.name.startswith(".")
    }


def all_results() -> dict[str, dict]:
    """Every model's metadata and every run's results, by name (plus "datasets", "benchmark"),
    and the browser's training data descriptors (docs/data/<name>.json) as "data-<name>"."""
    results = model_metadata()
    for path in sorted(RUNS.glob("*.json")):
        results[path.stem] = json.loads(path.read_text())
    for path in sorted(DATA.glob("*.json")):
        results[f"data-{path.stem}"] = json.loads(path.read_text())
    return results


def widget_html(kind: str, options: str, page_url: str) -> str:
    """The mount point for one widget; the browser builds everything inside it."""
    if kind not in WIDGETS or kind == "chart":
        raise PluginError(f"unknown widget {kind!r}; known: {', '.join(k for k in WIDGETS if k != 'chart')}")
    spec = WIDGETS[kind]
    attrs = dict(opt.split("=", 1) for opt in options.split())
    metas = model_metadata()
    names = attrs.pop("models", "").split(",") if "models" in attrs else spec.get("models")
    if names is None:
        names = [name for name, meta in metas.items() if meta["dataset"] == spec["dataset"]]
        # The most accurate model is the default (first) choice.
        names.sort(key=lambda n: -metas[n]["test_accuracy"])
    models = [
        {
            "name": name,
            "title": metas[name]["title"],
            "test_accuracy": metas[name]["test_accuracy"],
            "metadata": get_relative_url(f"{MODELS.name}/{name}/metadata.json", page_url),
        }
        for name in names
    ]
    if "training_data" in spec:
        attrs["training-data"] = get_relative_url(spec["training_data"], page_url)
    extra = "".join(f' data-{k}="{html.escape(v, quote=True)}"' for k, v in attrs.items())
    data = html.escape(json.dumps(models), quote=True)
    # The space the widget keeps while it loads, per screen width (site/widgets.css picks one).
    reserve = "; ".join(f"--dl-reserve-{width}: {px}px" for width, px in spec["reserve"].items())
    return (
        f'<div class="dl-widget" data-widget="{kind}" data-state="loading" data-models="{data}"{extra}'
        f' style="{reserve}"></div>'
    )


def chart_data(kind: str, attrs: dict[str, str], results: dict[str, dict]) -> dict[str, object]:
    """The numbers one chart draws, taken from the pipeline's files."""
    if kind == "curves":
        metric = attrs.get("metric", "loss")
        series = []
        for name in attrs["runs"].split(","):
            history = lookup(results, name, "history")
            series.append(
                {
                    "name": lookup(results, name, "title"),
                    "train": history[metric],
                    "validation": history[f"val_{metric}"],
                }
            )
        return {"metric": metric, "series": series}
    if kind == "confusion":
        name = attrs["model"]
        return {
            "labels": lookup(results, name, "class_names"),
            "matrix": lookup(results, name, "confusion_matrix"),
            "title": lookup(results, name, "title"),
        }
    if kind == "counts":
        stats = lookup(results, "datasets", attrs["dataset"])
        return {"labels": stats["class_names"], "train": stats["train_counts"], "test": stats["test_counts"]}
    if kind == "reliability":
        series = []
        for source in attrs["sources"].split(","):
            name, _, path = source.partition(".")
            record = lookup(results, name, path) if path else results[name]
            series.append({"name": record.get("title") or lookup(results, name, "title"), "bins": record["bins"]})
        return {"series": series}
    raise PluginError(f"unknown chart {kind!r}; known: curves, confusion, counts, reliability")


def chart_table(kind: str, data: dict) -> tuple[list[str], list[list[str]]]:
    """The numbers a chart draws, as a table (header, rows): its text alternative."""
    if kind == "curves":
        series = data["series"]
        header = ["epoch"] + [f"{s['name']}: {part}" for s in series for part in ("train", "validation")]
        longest = max(len(s["train"]) for s in series)
        cell = lambda values, i: f"{values[i]:.4f}" if i < len(values) else ""  # noqa: E731
        rows = [
            [str(i + 1)] + [cell(s[part], i) for s in series for part in ("train", "validation")]
            for i in range(longest)
        ]
        return header, rows
    if kind == "confusion":
        labels = data["labels"]
        return ["true \\ predicted", *labels], [
            [t, *map(str, row)] for t, row in zip(labels, data["matrix"], strict=True)
        ]
    if kind == "counts":
        return ["class", "train", "test"], [
            [c, f"{a:,}", f"{b:,}"] for c, a, b in zip(data["labels"], data["train"], data["test"], strict=True)
        ]
    if kind == "reliability":
        series = data["series"]
        header = ["confidence"] + [f"{s['name']}: share right (images)" for s in series]
        rows = []
        for i, b in enumerate(series[0]["bins"]):
            low = series[0]["bins"][i - 1]["upper"] if i else 0.0
            cells = [
                f"{s['bins'][i]['accuracy']:.3f} ({s['bins'][i]['count']:,})" if s["bins"][i]["count"] else "(0)"
                for s in series
            ]
            rows.append([f"{low:.1f} to {b['upper']:.1f}", *cells])
        return header, rows
    raise PluginError(f"no table for chart {kind!r}")


def chart_html(kind: str, options: str, results: dict[str, dict]) -> str:
    """A chart's mount point, and its numbers as a collapsible table (for every reader, and the text alternative)."""
    attrs = dict(opt.split("=", 1) for opt in options.split())
    data = chart_data(kind, attrs, results)
    label = html.escape(attrs.get("label", f"{kind} chart"), quote=True).replace("_", " ")
    header, rows = chart_table(kind, data)
    table = (
        "<table><thead><tr>"
        + "".join(f"<th>{html.escape(h)}</th>" for h in header)
        + "</tr></thead><tbody>"
        + "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows)
        + "</tbody></table>"
    )
    return (
        f'<figure class="dl-chart" data-widget="chart" data-kind="{kind}" data-chart="{html.escape(json.dumps(data), quote=True)}">'
        f'<canvas role="img" aria-label="{label}"></canvas>'
        f'<details class="dl-chart-data"><summary>The numbers behind this chart</summary>{table}</details></figure>'
    )


def json_block(path: str) -> str:
    """A generated JSON file of the site (path relative to docs/), pretty-printed as a code block."""
    source = ROOT / "docs" / path
    if not source.is_file():
        raise PluginError(f"{{{{ json {path} }}}}: no such file under docs/")
    return "```json\n" + json.dumps(json.loads(source.read_text()), indent=2) + "\n```"


# Computed from a list, so that prose never pins the index of an extreme: ``val_loss.min_epoch``.
LIST_REDUCERS: dict[str, Callable[[list[float]], float]] = {
    "min": min,
    "max": max,
    # 1-based, as Keras counts epochs in its log.
    "min_epoch": lambda v: v.index(min(v)) + 1,
    "max_epoch": lambda v: v.index(max(v)) + 1,
}


def ece_shares(calibration: dict) -> list[float]:
    """Each confidence bin's share of the expected calibration error (0 for an empty bin)."""
    n = sum(b["count"] for b in calibration["bins"])
    return [
        b["count"] / n * abs(b["accuracy"] - b["confidence"]) / calibration["ece"] if b["count"] else 0.0
        for b in calibration["bins"]
    ]


# Computed from a calibration record (bins, ece): ``calibration.ece_shares.0``.
DICT_REDUCERS: dict[str, Callable[[dict], list[float]]] = {"ece_shares": ece_shares}


def lookup(metadata: dict, model: str, path: str):
    """``history.val_accuracy.-1`` -> metadata["history"]["val_accuracy"][-1]; a list's ``min``,
    ``max``, ``min_epoch`` or ``max_epoch`` (1-based) are computed from it."""
    if model not in metadata:
        raise PluginError(f"no committed model or run {model!r} (known: {', '.join(metadata)})")
    value = metadata[model]
    for key in path.split("."):
        try:
            if isinstance(value, list) and key in LIST_REDUCERS:
                value = LIST_REDUCERS[key](value)
                continue
            if isinstance(value, dict) and key in DICT_REDUCERS and key not in value:
                value = DICT_REDUCERS[key](value)
                continue
            value = value[int(key)] if isinstance(value, list) else value[key]
        except (KeyError, IndexError, ValueError) as err:
            raise PluginError(f"{model}.{path}: no {key!r} in metadata.json") from err
    return value


# The benchmark builds the site to measure it before its own results exist: only then
# (python -m tests.bench sets this) a missing number is shown as such instead of failing.
NOT_MEASURED_YET = os.environ.get("DRAW_LEARN_UNMEASURED") == "allow"


def format_number(results: dict, m: re.Match) -> str:
    """A shortcode's value, formatted, in a span naming where it came from."""
    source, path, fmt = m.group(1), m.group(2), m.group(3) or "raw"
    if fmt not in FORMATS:
        raise PluginError(f"unknown format {fmt!r} in {m.group(0)}; known: {', '.join(FORMATS)}")
    try:
        text = html.escape(FORMATS[fmt](lookup(results, source, path)))
    except PluginError:
        if not NOT_MEASURED_YET:
            raise
        text = "(not measured yet)"
    return f'<span class="dl-number" data-source="{source}.{path}" data-format="{fmt}">{text}</span>'


def glossary_terms() -> dict[str, str]:
    """Each glossary term (plural forms included) -> the id of its entry on the glossary page."""
    terms = dict(GLOSSARY_TERM.findall(GLOSSARY_FILE.read_text()))
    entry = {t: next((s for s in (t[:-1], t[:-2]) if s in terms), t) for t in terms}
    return {t: re.sub(r"[^a-z0-9]+", "-", entry[t].lower()) for t in terms}


def glossary_html() -> str:
    """The glossary as a definition list; plural forms (``epochs`` beside ``epoch``) are not repeated."""
    terms = dict(GLOSSARY_TERM.findall(GLOSSARY_FILE.read_text()))
    ids = glossary_terms()
    shown = [t for t in terms if ids[t] == re.sub(r"[^a-z0-9]+", "-", t.lower())]
    items = "".join(
        f'<dt id="{ids[t]}">{html.escape(t)}</dt><dd>{html.escape(terms[t])}</dd>' for t in sorted(shown, key=str.lower)
    )
    return f'<dl class="dl-glossary">{items}</dl>'


ABBR = re.compile(r'<abbr title="[^"]*">([^<]+)</abbr>')
# Where a link to the glossary cannot go: inside another link, a heading, a <summary> (it
# toggles), or a number from the runs (a model's title may hold a term; it holds no other span).
NO_LINK = re.compile(r'<(?:a|h[1-6]|summary)\b.*?</(?:a|h[1-6]|summary)>|<span class="dl-number".*?</span>', re.DOTALL)


def link_glossary_terms(content: str, page_url: str) -> str:
    """Define each glossary term once per page, where it is first used, and link it to its entry.

    The hover definition (``<abbr>``) is for mouse and keyboard; readers on touch
    screens never see it, so that first use is also a link to the glossary's
    entry. Later uses are plain words: the theme gives every ``<abbr>`` a tooltip
    of its own, and hundreds of them cost a long page seconds of a phone's time.
    A use where a link cannot go (a heading, another link, an exercise's
    question) keeps its hover definition and leaves the link to the next use.
    """
    if page_url.rstrip("/") == "glossary":
        return content
    ids, done = glossary_terms(), set()
    closed = [(m.start(), m.end()) for m in NO_LINK.finditer(content)]
    out, last, i = [], 0, 0
    for m in ABBR.finditer(content):
        while i < len(closed) and closed[i][1] <= m.start():
            i += 1
        inside = i < len(closed) and closed[i][0] < m.start()
        term = html.unescape(m.group(1))
        if term not in ids or (inside and ids[term] not in done):
            continue
        if ids[term] in done:
            replacement = m.group(1)
        else:
            done.add(ids[term])
            href = get_relative_url("glossary/", page_url) + f"#{ids[term]}"
            replacement = f'<a class="dl-term" href="{href}">{m.group(0)}</a>'
        out += [content[last : m.start()], replacement]
        last = m.end()
    return "".join(out) + content[last:]


def nav_pages(nav: list, section: str = "") -> list[tuple[str, str, str]]:
    """(section, title, file) of every page in mkdocs.yml's nav, in its order."""
    pages = []
    for item in nav:
        for title, target in item.items():
            if isinstance(target, list):
                pages += nav_pages(target, title)
            else:
                pages.append((section, title, target))
    return pages


def learning_path(nav: list) -> str:
    """The home page's list of chapters, from the nav (its order, its titles) and each page's description."""
    lines: list[str] = []
    appendix: list[str] = []
    for section, title, target in nav_pages(nav):
        if target == "index.md":
            continue
        _, meta = get_data((DOCS / target).read_text())
        if "description" not in meta:
            raise PluginError(f"{target} has no `description:` in its front matter (the home page lists it)")
        about = meta["description"][0].lower() + meta["description"][1:]
        # A link to the Markdown file: MkDocs resolves it for the page, and --strict checks it.
        line = f"[**{title}**]({target}): {about}"
        (appendix if section else lines).append(line)
    out = [f"{i}. {line}" for i, line in enumerate(lines, 1)]
    if appendix:
        out += ["", "And in the appendix:", ""] + [f"- {line}" for line in appendix]
    return "\n".join(out)


def on_page_markdown(markdown: str, page, config, files) -> str:
    """Expand widget, chart, JSON, glossary and learning-path shortcodes, and ``{{ model.path | fmt }}`` numbers."""
    markdown = re.sub(r"^\{\{\s*glossary\s*\}\}\s*$", lambda _: glossary_html(), markdown, flags=re.MULTILINE)
    markdown = re.sub(
        r"^\{\{\s*learning_path\s*\}\}\s*$",
        lambda _: learning_path(config["nav"]),
        markdown,
        flags=re.MULTILINE,
    )
    markdown = SHORTCODE.sub(lambda m: widget_html(m.group(1), m.group(2), page.url), markdown)
    results = all_results()
    markdown = CHART.sub(lambda m: chart_html(m.group(1), m.group(2), results), markdown)
    markdown = JSON_FILE.sub(lambda m: json_block(m.group(1)), markdown)
    markdown = CODE_WITH_METRIC.sub(
        lambda m: "<code>" + METRIC.sub(lambda n: format_number(results, n), html.escape(m.group(1))) + "</code>",
        markdown,
    )
    return METRIC.sub(lambda m: format_number(results, m), markdown)


def render_math(items: list[dict[str, object]]) -> list[str]:
    """KaTeX HTML for each ``{"tex", "display"}``, rendered by node (render_math.mjs) in one call."""
    proc = subprocess.run(
        ["node", str(Path(__file__).with_name("render_math.mjs"))],
        input=json.dumps(items),
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if proc.returncode:
        raise PluginError(f"KaTeX could not render a formula: {proc.stderr.strip()}")
    return json.loads(proc.stdout)


def on_page_content(content: str, page, config, files) -> str:
    """Link each glossary term's first use; render the page's formulas at build time, and link
    KaTeX's stylesheet where there are any."""
    content = link_glossary_terms(content, page.url)
    found = list(MATH.finditer(content))
    if not found:
        return content
    rendered = iter(render_math([{"tex": html.unescape(m.group(2)), "display": m.group(1) == "div"} for m in found]))
    content = MATH.sub(lambda m: f'<{m.group(1)} class="arithmatex">{next(rendered)}</{m.group(1)}>', content)
    return f'<link rel="stylesheet" href="{get_relative_url(KATEX_CSS, page.url)}">\n' + content
