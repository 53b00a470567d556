"""SVG building blocks: text and a standalone document whose text and lines are ``currentColor``.

Included inline in a page, such an SVG takes the page's text colour, so it reads in the light and the
dark palette alike.
"""

from __future__ import annotations

import html


def svg_text(x: float, y: float, text: str, anchor: str = "start", weight: str = "normal", opacity: float = 1) -> str:
    """One ``<text>`` element at (x, y), escaped; attributes at their defaults are left out."""
    extra = f' font-weight="{weight}"' if weight != "normal" else ""
    extra += f' fill-opacity="{opacity}"' if opacity != 1 else ""
    return f'<text x="{x:g}" y="{y:g}" text-anchor="{anchor}"{extra}>{html.escape(text)}</text>'


def svg_document(width: int, height: int, ident: str, title: str, description: str, body: list[str]) -> str:
    """A standalone SVG that also works inline in a page: text and lines in ``currentColor``.

    Args:
        ident: prefix of the element ids; unique per figure, since a page may inline several SVGs.
        body: the elements, one per line; an arrow head is ``marker-end="url(#<ident>-arrow)"``.
    """
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'style="max-width: 100%; height: auto" role="img" aria-labelledby="{ident}-title {ident}-desc" '
        'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif" font-size="13" fill="currentColor">\n'
        f'<title id="{ident}-title">{html.escape(title)}</title>\n'
        f'<desc id="{ident}-desc">{html.escape(description)}</desc>\n'
        '<defs><marker id="' + ident + '-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="currentColor"/></marker></defs>\n'
        + "\n".join(body)
        + "\n</svg>\n"
    )
