"""MkDocs hook: a web app manifest, so the site can be installed, and opens on its home page.

It is published as ``manifest.webmanifest`` at the site's root (its start URL and scope are relative
to it), and every page links to it.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from mkdocs.structure.files import File, Files
from mkdocs.utils import get_relative_url

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.pages import Page

MANIFEST_FILE = "manifest.webmanifest"
ICON_SIZES = (192, 512)


def web_manifest(config: MkDocsConfig) -> str:
    """The manifest, named and described as the site is in mkdocs.yml."""
    icons = [
        {
            "src": f"assets/icons/icon-{size}.png",
            "sizes": f"{size}x{size}",
            "type": "image/png",
            "purpose": "any maskable",
        }
        for size in ICON_SIZES
    ]
    return json.dumps(
        {
            "name": config["site_name"],
            "short_name": "Draw & Learn TF",
            "description": config["site_description"],
            "start_url": "./",
            "scope": "./",
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#bf360c",
            "icons": icons,
        },
        indent=1,
    )


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the manifest to the build."""
    files.append(File.generated(config, MANIFEST_FILE, content=web_manifest(config)))
    return files


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Link the manifest at the end of the page's ``<head>``."""
    link = f'<link rel="manifest" href="{get_relative_url(MANIFEST_FILE, page.url)}">'
    return output.replace("</head>", f"{link}\n</head>", 1)
