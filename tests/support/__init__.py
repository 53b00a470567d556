"""Support code shared by the tests and the benchmark (never imported by the product).

* ``site``: build the site with MkDocs, serve a folder on 127.0.0.1 (optionally
  gzip-compressed, as static hosts serve it);
* ``browser``: Debian's Chromium, its flags, and a watch for console errors;
* ``widget``: drive the widgets as a reader would (real mouse strokes), and the
  one page-side helper that imports the site's own modules;
* ``strokes``: hand-written pen strokes for the digits 0-9.
"""
