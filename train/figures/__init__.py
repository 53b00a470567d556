"""Figures and statistics for the tutorial pages, generated from the data and the committed models.

Every file listed in ``OUTPUTS`` (paths relative to ``docs/``) is written by
``python -m train.figures``; none is ever drawn or edited by hand:

* ``assets/generated/<dataset>-samples.png``: the first three training images
  of every class, one class per column, white on black, scaled 3x (``datasets``);
* ``runs/datasets.json``: shapes, dtypes, pixel range and per-class counts (``datasets``);
* ``assets/icons/icon-<size>.png``: the site's icon, a 7 drawn with the
  widget's own pen (``train.drawing``) on the theme's orange, for the web app
  manifest and the browser tab (``icon``);
* ``assets/generated/mnist-mlp-templates.png``: the Quickstart MLP's first
  Dense layer, each unit's 784 weights shown as a 28x28 template (read from the
  committed TF.js weights with NumPy alone; ``templates``);
* ``assets/generated/<model>-architecture.svg``: every shipped model's layers,
  output shapes and parameter counts, from its ``metadata.json`` (``architecture``);
* ``assets/generated/<model>-mistakes.png`` and ``.html``: the first test
  images a digit model gets wrong, with its probabilities as bars, and the same
  numbers as a table (the model is the committed TF.js files, loaded in Keras; ``mistakes``);
* ``assets/generated/mnist-mlp-graph.svg``: the dataflow graph TensorFlow
  traces from the Quickstart MLP (``tf.function``), op by op (``dataflow``);
* ``assets/generated/mnist-cnn-verdict-curve.svg``: the "not a digit"
  verdict's trade-off on validation drawings (``verdict_curve``).

The shared pieces: ``png`` (encoding), ``style`` (the palette), ``raster``
(colour map, canvas, pixel font), ``svg`` (text and documents),
``committed`` (the committed models read as the browser gets them), and
``outputs`` (``OUTPUTS`` and the command).

The SVGs use ``currentColor``: included inline in a page, they take the page's
text colour, so they read in the light and the dark palette alike.

Usage::

    python -m train.figures            # everything
    python -m train.figures mnist-cnn  # only the outputs whose path contains "mnist-cnn"
"""

from train.figures.outputs import OUTPUTS, main
from train.figures.png import png_bytes

__all__ = ["OUTPUTS", "main", "png_bytes"]
