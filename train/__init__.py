"""Training pipeline for Draw & Learn TensorFlow.

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
