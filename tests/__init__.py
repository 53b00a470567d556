"""Every test of the project (``bash .ci/test``), and the tools that share their support code.

* ``test_*.py``: pytest suites: data, models, export, the committed models
  against a Keras oracle, the CLI, the site build, the pages, and the widgets in
  Debian's headless Chromium (Playwright);
* ``js/``: ``node --test`` unit tests of the pure browser code (``site/core``);
* ``support/``: building and serving the site, launching Chromium, driving the
  widgets, hand-drawn strokes: shared by the tests and the benchmark;
* ``bench/``: the benchmark command (``python -m tests.bench``), a tool whose
  committed results the Performance page shows and the tests read.
"""
