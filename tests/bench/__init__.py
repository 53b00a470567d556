"""The benchmark of the reader's experience: ``python -m tests.bench --label NAME``.

A tool, not a test: it builds the site, serves it gzip-compressed on 127.0.0.1,
measures the site in Debian's headless Chromium and merges the results into
``docs/runs/benchmark.json`` under the label, with the tables the Performance
page shows (``tables``). The test suite reads the committed results; it never
runs this.

One module per part of a run: ``inference`` (cold load, warm and stroke
latency), ``weight`` (the page's bytes, the offline cache), ``recognition``
(the drawing benchmark), ``browser_training``, ``fine_tune`` and
``lighthouse``; ``shared`` holds what they do alike, ``budgets`` and
``tables`` read a run back.
"""
