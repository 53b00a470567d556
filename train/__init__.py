"""Training pipeline for Draw & Learn TensorFlow: datasets in, browser-ready models out.

Rooms, in the order data flows through them:

* ``config``: every hyperparameter, one frozen dataclass per model, and the
  preprocessing recipes the browser follows;
* ``fetch`` -> ``data``: the datasets from the package registries, verified;
* ``augment``, ``drawing``, ``skeleton``, ``tracing``, ``redrawn``: make scans look
  drawn (random shifts, the widget's pen, digits traced into strokes and redrawn);
* ``glyphs``, ``sketches``, ``negatives``: drawn letters, symbols, shapes and
  scribbles, for the "not a digit" output and the benchmark;
* ``models`` -> ``training``: build and train a Keras model reproducibly;
* ``verdict``, ``calibration``: the "not a digit" threshold and how well the
  confidence matches the accuracy, measured on validation drawings;
* ``browser_data``: the MNIST images the in-browser trainer downloads;
* ``tfjs``: the TF.js converter (save, and load back as the browser gets it);
* ``metadata``: the contract with the browser (schema: docs/models/metadata.schema.json);
* ``export`` (and ``activations``): write a model folder or a run's record;
* ``refresh``: rewrite committed metadata from the config, without retraining;
* ``files``: atomic writes, used by everything that writes;
* ``figures``, ``quickstart``: the tutorial's dataset figures and its program;
* ``your_turn``: the closing chapter's program: one image, saving, ``tf.data``, a
  ``GradientTape`` loop checked against ``fit``, TensorBoard;
* ``from_browser``: a model the reader trained in the browser, back into Keras and scored;
* ``__main__``: the ``python -m train`` command.

The TF.js converter and the pinned TF.js runtime agree on the legacy Keras 2
format, so the pipeline always builds models with ``tf_keras``. The variable must
be set before TensorFlow is first imported; setting it here covers every entry
point (``python -m train``, tests, the docs hook never imports TensorFlow).
"""

import os

os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
# tensorflowjs imports decision forests, whose greeting needs IPython off a terminal.
os.environ.setdefault("TFDF_DISABLE_WELCOME_MESSAGE", "1")
