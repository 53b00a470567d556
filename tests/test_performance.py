"""Regression guard for the page budget; timing budgets live in the benchmark (tests/bench)."""

from __future__ import annotations

import pytest

from tests.bench.weight import page_weight
from tests.support.site import serve
from tests.support.strokes import drawing_set
from tests.support.widget import draw, open_widget, prediction, settle

pytestmark = pytest.mark.browser
# The budget: the digit page, gzip, everything its first answer needs. Material's search
# index (the whole site's text, fetched by the search box's worker beside it) is recorded apart.
PAGE_BUDGET_BYTES = 450_000


@pytest.fixture(scope="module")
def gzip_url(built_site):
    """The built site served as a static host would: text and wasm gzip-compressed."""
    with serve(built_site, compress=True) as url:
        yield url


def test_digit_page_fits_the_byte_budget(browser, gzip_url):
    weight = page_weight(browser, gzip_url)
    print(f"digit page: {weight['bytes_transferred']:,} bytes in {weight['requests']} requests; {weight['by_type']}")
    print(f"and the search box's index and worker beside it: {weight['search_bytes']:,} bytes")
    assert weight["search_bytes"] > 0, "the search index was not seen: is the split still measuring it?"
    assert weight["bytes_transferred"] <= PAGE_BUDGET_BYTES


def test_cold_load_produces_a_prediction(browser, gzip_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        open_widget(page, gzip_url)
        draw(page, [s for d, s in drawing_set() if d == 6][0])
        settle(page)
        assert prediction(page)[0] == "6"
    finally:
        context.close()
