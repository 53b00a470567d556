"""MkDocs hook: what the theme's markup lacks for assistive technology.

Material's search overlay is a dialog without a name (axe: ``aria-dialog-name``): it is named
"Search" on every page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.pages import Page

SEARCH_DIALOG = 'data-md-component="search" role="dialog"'


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Name the page's search dialog."""
    return output.replace(SEARCH_DIALOG, f'{SEARCH_DIALOG} aria-label="Search"', 1)
