"""The raster figures' palette, as uint8 RGB triples (the SVGs use ``currentColor`` and the site's orange)."""

from __future__ import annotations

import numpy as np

RGB = tuple[int, int, int]

ORANGE: RGB = (255, 87, 34)  # Material's deep orange, the site's primary colour (#ff5722)
# ColorBrewer's RdBu, blue (negative) through near-white (zero) to red (positive): float32 (7, 3).
DIVERGING = np.array(
    [(33, 102, 172), (103, 169, 207), (209, 229, 240), (247, 247, 247), (253, 219, 199), (239, 138, 98), (178, 24, 43)],
    np.float32,
)
NEUTRAL: RGB = (128, 128, 128)  # mid grey: a frame that reads on a light and on a dark page
CARD: RGB = (52, 52, 52)  # the mistakes gallery's background, as dark as MNIST's own
INK_TRUE: RGB = (38, 166, 154)  # teal: the right answer
INK_PREDICTED: RGB = (255, 112, 67)  # the site's orange: the model's answer
INK_OTHER: RGB = (150, 150, 150)
INK_TEXT: RGB = (215, 215, 215)
