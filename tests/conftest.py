"""Shared fixtures: the built site, a local server for it, and Debian's Chromium."""

from __future__ import annotations

import pytest

from tests.support.browser import TEST_FLAGS, launch, watched_page
from tests.support.site import build_site, free_port, serve


@pytest.fixture(scope="session")
def site_port() -> int:
    return free_port()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory, site_port):
    """`mkdocs build --strict` into a temp folder, once per test session."""
    return build_site(tmp_path_factory.mktemp("site"), site_port)


@pytest.fixture(scope="session")
def site_url(built_site, site_port) -> str:
    """The built site, served on 127.0.0.1 for the whole session."""
    with serve(built_site, site_port) as url:
        yield url


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_instance):
    browser = launch(playwright_instance, TEST_FLAGS)
    yield browser
    browser.close()


@pytest.fixture
def page(browser):
    """A fresh page; fails the test on console errors or non-local requests."""
    with watched_page(browser) as page:
        yield page
