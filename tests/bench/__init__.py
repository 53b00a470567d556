"""The benchmark of the reader's experience: ``python -m tests.bench --label NAME``.

A tool, not a test: it builds the site, serves it gzip-compressed on 127.0.0.1,
measures the digit page in Debian's headless Chromium (``measure``) and merges
the results into ``docs/runs/benchmark.json`` under the label, with the tables
the Performance page shows (``tables``). The test suite reads the committed
results; it never runs this.
"""
