"""MkDocs hook: every page, the 404 page included, carries a Content-Security-Policy.

It is a ``<meta>`` tag, since static hosts may not set headers, first in ``<head>``, since a policy
applies only to what follows it: scripts only from the site itself, its own inline scripts
(Material's) allowed by hash, WebAssembly allowed, nothing remote.

Its hashes are of the inline scripts of the page as it is written: mkdocs.yml lists this hook after
every other hook that changes a page.
"""

from __future__ import annotations

import base64
import hashlib
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.pages import Page

# A script element with no src (Material's, and the engine's boot with its data-boot attribute).
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)(?:\s[^>]*)?>(.*?)</script>", re.DOTALL)


def content_security_policy(output: str) -> str:
    """The page's policy.

    Args:
        output: The page's HTML.

    Returns:
        The policy, whose ``script-src`` allows the page's inline scripts (Material's, with per-page
        text, and the engine's boot) by their SHA-256.
    """
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
        for body in INLINE_SCRIPT.findall(output)
    )
    return "; ".join(
        [
            "default-src 'self'",
            # WebAssembly (TF.js' fastest backend) must be compiled: 'wasm-unsafe-eval', never 'unsafe-eval'.
            f"script-src 'self' 'wasm-unsafe-eval' {hashes}".strip(),
            # Material, KaTeX and the widgets set style attributes; no script can hide in a style.
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self'",
            "connect-src 'self'",
            "worker-src 'self'",
            "manifest-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        ]
    )


def with_policy(output: str) -> str:
    """The page with its policy right after ``<meta charset>``, before anything the policy governs."""
    policy = f'<meta http-equiv="Content-Security-Policy" content="{content_security_policy(output)}">'
    return output.replace('<meta charset="utf-8">', f'<meta charset="utf-8">\n{policy}', 1)


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Add the policy to a page."""
    return with_policy(output)


def on_post_template(output: str, template_name: str, config: MkDocsConfig) -> str:
    """Add the policy to the 404 page, a theme template rather than a page."""
    return with_policy(output) if template_name == "404.html" else output
