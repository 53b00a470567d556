"""PNG encoding with the standard library alone: no imaging library to pin, and the bytes never drift."""

from __future__ import annotations

import struct
import zlib

import numpy as np


def png_bytes(image: np.ndarray, level: int = 9) -> bytes:
    """Encode a uint8 array as a PNG (no imaging library needed): (h, w) grey, (h, w, 3) RGB or (h, w, 4) RGBA.

    Args:
        image: uint8 (h, w), (h, w, 3) or (h, w, 4).
        level: zlib level; 0 stores uncompressed, which is fast for huge test images.

    Returns:
        The PNG file's bytes: 8 bits per channel, no interlacing, filter "none" on every row.
    """
    height, width = image.shape[:2]
    colour = 0 if image.ndim == 2 else {3: 2, 4: 6}[image.shape[2]]
    raw = b"".join(b"\x00" + image[y].tobytes() for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, colour, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, level)) + chunk(b"IEND", b"")
    )
