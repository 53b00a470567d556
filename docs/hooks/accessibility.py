"""MkDocs hook: what the theme's markup lacks for assistive technology.

Material's search overlay is a dialog without a name (axe: ``aria-dialog-name``): it is named
"Search" on every page.

Every code block can take the keyboard's focus from the start (axe: ``scrollable-region-focusable``).
Material makes a block focusable when it is wider than the page, but only once the block has come
into view (mkdocs.yml's ``content.lazy``: mounting a block measures it, which would lay out its
whole section long before the reader gets there). Until then a keyboard reader could not reach a
wide block to scroll it; when a block mounts, Material keeps the focus stop only where it scrolls.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.pages import Page

SEARCH_DIALOG = 'data-md-component="search" role="dialog"'
CODE_BLOCK = "<pre><span></span><code>"


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Name the page's search dialog; let the keyboard reach every code block."""
    output = output.replace(CODE_BLOCK, '<pre><span></span><code tabindex="0">')
    return output.replace(SEARCH_DIALOG, f'{SEARCH_DIALOG} aria-label="Search"', 1)
