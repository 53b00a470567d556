"""MkDocs hook: each part of a page under a heading, up to the next heading, in a section the
browser lays out only when it comes near the screen.

Most of what a phone does when it opens a long chapter is style and layout of
thousands of elements it does not show yet. ``site/theme.css`` gives every
``<section class="dl-section">`` ``content-visibility: auto``: until a section
nears the screen, it is a box of a given height, and nothing inside it is laid
out or painted. The box's height is this hook's estimate of the section's
rendered height, on a phone and on a wide screen, from what it holds (characters
of prose, paragraphs, lines of code, formulas, table rows, charts, widgets,
figures). A good estimate keeps the scroll bar honest and a jump to an anchor on
target; once a section has been shown, the browser remembers its real height.

The headings stay outside the sections. Material's table of contents follows the reader by
reading every heading's offsetTop, again each time the page's height changes (a widget
mounts, a section is shown, a chart draws). A heading inside a section that is not laid out
makes the browser lay that section out to answer: Lighthouse measured 180-210 ms of forced
layout per load on the convolutions chapter, and half its blocking time; outside, a heading's
position needs only the estimated heights of the sections above it.

The estimate's weights were fitted to the heights measured on the built pages
(412 and 1100 CSS px wide); ``tests/test_pages.py`` measures them again in
Chromium and fails when the estimates drift.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

HEADING = re.compile(r"<h([2-6])\b[^>]*>.*?</h\1>", re.DOTALL)
# Block elements that may hold a heading (an admonition's, say): only a heading outside every one starts a section.
BLOCK_TAG = re.compile(r"<(/?)(div|details|blockquote|ul|ol|table|figure|section|aside)\b")
TAGS = re.compile(r"<[^>]+>")
CODE = re.compile(r"<pre\b.*?</pre>", re.DOTALL)
DISPLAY_MATH = re.compile(r'<span class="katex-display">.*?</span></span></span>', re.DOTALL)
DETAILS = re.compile(r"<details\b.*?(<summary\b.*?</summary>).*?</details>", re.DOTALL)
TABLE = re.compile(r"<table\b.*?</table>", re.DOTALL)
BLOCKS = re.compile(r"<(?:p|li|h[1-6]|summary)\b")

# The space each widget kind keeps while it loads (site/widgets.json), per screen width.
WIDGETS = json.loads((Path(__file__).resolve().parents[2] / "site" / "widgets.json").read_text())
WIDGET = re.compile(r'data-widget="([a-z-]+)"')
# Pixels per unit of each feature, on a phone (412 px) and on a wide screen (1100 px). Closed
# exercises count only their question; a widget holds the space it reserves.
WEIGHTS = {
    "narrow": {
        "prose_chars": 0.5,
        "blocks": 32,
        "code_lines": 21,
        "display_math": 28,
        "table_rows": 41,
        "table_chars": 0.72,
        "charts": 246,
        "figures": 47,
    },
    "wide": {
        "prose_chars": 0.26,
        "blocks": 23,
        "code_lines": 23,
        "display_math": 41,
        "table_rows": 41,
        "table_chars": 0.15,
        "charts": 418,
        "figures": 213,
    },
}


def text_length(fragment: str) -> int:
    """Characters of visible text in an HTML fragment, runs of white space counted once."""
    return len(re.sub(r"\s+", " ", html.unescape(TAGS.sub("", fragment))))


def features(section: str) -> dict[str, int]:
    """What a section holds, counted from its HTML."""
    body = re.sub(r"<(script|style)\b.*?</\1>", "", section, flags=re.DOTALL)
    code = CODE.findall(body)
    body = CODE.sub("", body)
    display_math = len(DISPLAY_MATH.findall(body))
    body = DETAILS.sub(lambda m: m.group(1), DISPLAY_MATH.sub("", body))
    tables = TABLE.findall(body)
    prose = TABLE.sub("", body)
    return {
        "prose_chars": text_length(prose),
        "blocks": len(BLOCKS.findall(prose)),
        "code_lines": sum(block.count("\n") + 1 for block in code),
        "display_math": display_math,
        "table_rows": sum(table.count("<tr") for table in tables),
        "table_chars": sum(text_length(table) for table in tables),
        "charts": body.count('data-widget="chart"'),
        "figures": len(re.findall(r"<(?:img|svg)\b", prose)),
    }


def estimated_heights(section: str) -> dict[str, int]:
    """The section's estimated rendered height in CSS px, per screen width (``WEIGHTS``' keys)."""
    counts = features(section)
    widgets = [WIDGETS[kind] for kind in WIDGET.findall(section) if "reserve" in WIDGETS.get(kind, {})]
    return {
        width: round(sum(w * counts[name] for name, w in weights.items()) + sum(k["reserve"][width] for k in widgets))
        for width, weights in WEIGHTS.items()
    }


def top_level_headings(content: str) -> list[re.Match[str]]:
    """The headings (h2-h6) of ``content`` that no block element holds, in order."""
    found, depth, at = [], 0, 0
    for heading in HEADING.finditer(content):
        for tag in BLOCK_TAG.finditer(content, at, heading.start()):
            depth += -1 if tag.group(1) else 1
        at = heading.end()
        if depth == 0:
            found.append(heading)
    return found


def on_page_content(content: str, page, config, files) -> str:
    """Wrap what follows each heading, up to the next, in a section with its estimated heights."""
    headings = top_level_headings(content)
    if not headings:
        return content
    parts = [content[: headings[0].start()]]
    for heading, end in zip(headings, [h.start() for h in headings[1:]] + [len(content)], strict=True):
        parts.append(heading.group(0))
        section = content[heading.end() : end]
        if not section.strip():
            continue
        sizes = "; ".join(f"--dl-{width}: {px}px" for width, px in estimated_heights(section).items())
        parts.append(f'<section class="dl-section" style="{sizes}">{section}</section>')
    return "".join(parts)
