"""The Content-Security-Policy every page carries: the site's own scripts run, nothing else does."""

from __future__ import annotations

import re

import pytest

from tests.support.browser import PageWatch, fresh_context
from tests.support.site import nav_paths
from tests.support.widget import wait_until_everything_is_drawn

POLICY = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">')
# Recorded from the first script of every page, before anything else runs.
WATCH_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  (e) => window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`));
"""


def test_every_built_page_has_a_strict_policy(built_site):
    pages = list(built_site.rglob("*.html"))
    assert len(pages) >= len(nav_paths())
    for page in pages:
        text = page.read_text()
        found = POLICY.search(text)
        assert found, f"{page.relative_to(built_site)} has no Content-Security-Policy"
        policy = dict(d.strip().split(" ", 1) for d in found.group(1).split(";"))
        script = policy["script-src"].split()
        assert script[0] == "'self'" and "'unsafe-eval'" not in script and "'unsafe-inline'" not in script
        assert all(s in ("'self'", "'wasm-unsafe-eval'") or s.startswith("'sha256-") for s in script), script
        assert policy["default-src"] == "'self'" and policy["object-src"] == "'none'"
        assert not re.search(r"https?:", found.group(1)), "a remote origin is allowed"
        # The policy comes before any script it must govern.
        assert text.index(found.group(0)) < text.find("<script"), page


@pytest.mark.browser
def test_pages_and_widgets_run_without_a_violation_and_injected_scripts_are_blocked(browser, site_url):
    with fresh_context(browser) as context:
        context.add_init_script(WATCH_VIOLATIONS)
        page = context.new_page()
        watch = PageWatch(page)
        for path in nav_paths():
            page.goto(site_url + path)
            # Every widget ready and every chart drawn (Chart.js loads and styles only then).
            wait_until_everything_is_drawn(page)
            assert page.evaluate("() => window.__csp") == [], path

        # An attacker's inline script (e.g. through a malicious example file's text) does not run.
        page.goto(site_url)
        page.evaluate(
            """() => {
              const s = document.createElement('script');
              s.textContent = 'window.__injected = true';
              document.head.append(s);
              const img = document.createElement('img');
              img.setAttribute('onerror', 'window.__injected = true');
              img.src = 'data:,broken';
              document.body.append(img);
            }"""
        )
        page.wait_for_function("() => window.__csp.length >= 2")
        assert page.evaluate("() => window.__injected") is None
        assert all("script-src" in v for v in page.evaluate("() => window.__csp"))
    # The blocked script reports itself on the console: that is the policy working.
    watch.errors = [e for e in watch.errors if "Content Security Policy" not in e]
    watch.check()
