"""Training-time augmentation that models how readers draw, as batched TensorFlow ops.

A drawn digit differs from an MNIST scan: the pen has one width, which after
scaling to the 20 px box is thicker or thinner than the scan's strokes; curves
are smoother or wobblier; digits lean and stretch in other ways. Each op below
imitates one of those differences, at random per image:

* stroke width: grey-level dilation or erosion (3x3), blended in by a random amount;
* elastic distortion (Simard et al., 2003): a random displacement field,
  smoothed by a Gaussian, scaled to a few pixels;
* an affine map: rotation, shear, scale and translation about the centre;
* the drawing recipe again (``renormalize``): fit the box, centre the mass,
  as the browser does to every drawing before the model sees it.

Every function takes and returns float32 ``(batch, 28, 28, 1)`` images in [0, 1].
"""

from __future__ import annotations

import math
from dataclasses import replace

import tensorflow as tf

from train.config import Augmentation
from train.metadata_types import DrawingRecipe


def stroke_width(images: tf.Tensor, seed: tf.Tensor, thin: float, thicken: float) -> tf.Tensor:
    """Thin (up to ``thin``) or thicken (up to ``thicken``) each image's strokes by a random fraction
    of a 3x3 grey-level erosion or dilation, that is of about a pixel on each side."""
    batch = tf.shape(images)[0]
    dilated = tf.nn.max_pool2d(images, 3, 1, "SAME")
    eroded = -tf.nn.max_pool2d(-images, 3, 1, "SAME")
    blend = tf.random.stateless_uniform([batch, 1, 1, 1], seed, -thin, thicken)
    return tf.where(blend > 0, images + blend * (dilated - images), images - blend * (eroded - images))


def gaussian_kernel(sigma: float) -> tf.Tensor:
    """A normalised 2-D Gaussian, ``(k, k, 1, 1)`` with k = 2 * ceil(2 sigma) + 1."""
    radius = math.ceil(2 * sigma)
    x = tf.range(-radius, radius + 1, dtype=tf.float32)
    g = tf.exp(-(x**2) / (2 * sigma**2))
    kernel = tf.tensordot(g, g, axes=0)
    return (kernel / tf.reduce_sum(kernel))[:, :, None, None]


def bilinear_sample(images: tf.Tensor, x: tf.Tensor, y: tf.Tensor) -> tf.Tensor:
    """Sample ``images`` at float pixel coordinates ``x``, ``y`` of shape (batch, h, w); zero outside."""
    shape = tf.shape(images)
    batch, height, width = shape[0], shape[1], shape[2]
    flat = tf.reshape(images, [-1])
    x0, y0 = tf.floor(x), tf.floor(y)
    out = tf.zeros_like(x)
    for dx in (0.0, 1.0):
        for dy in (0.0, 1.0):
            xi, yi = x0 + dx, y0 + dy
            weight = (1 - tf.abs(x - xi)) * (1 - tf.abs(y - yi))
            inside = (xi >= 0) & (xi <= tf.cast(width - 1, tf.float32)) & (yi >= 0)
            inside &= yi <= tf.cast(height - 1, tf.float32)
            xi = tf.clip_by_value(tf.cast(xi, tf.int32), 0, width - 1)
            yi = tf.clip_by_value(tf.cast(yi, tf.int32), 0, height - 1)
            b = tf.broadcast_to(tf.range(batch)[:, None, None], tf.shape(xi))
            values = tf.gather(flat, (b * height + yi) * width + xi)
            out += tf.where(inside, weight * values, 0.0)
    return out[..., None]


def elastic(images: tf.Tensor, seed: tf.Tensor, alpha: float, sigma: float) -> tf.Tensor:
    """Warp by a smooth random displacement field of about ``alpha`` pixels (Gaussian width ``sigma``)."""
    shape = tf.shape(images)
    noise = tf.random.stateless_uniform([shape[0], shape[1], shape[2], 2], seed, -1.0, 1.0)
    kernel = gaussian_kernel(sigma)
    smooth = tf.concat([tf.nn.conv2d(noise[..., i : i + 1], kernel, 1, "SAME") for i in (0, 1)], axis=-1)
    # Rescale so the field's RMS displacement is alpha pixels, whatever sigma's smoothing did.
    rms = tf.sqrt(tf.reduce_mean(smooth**2, axis=[1, 2, 3], keepdims=True)) + 1e-6
    field = alpha * smooth / rms
    ys, xs = tf.meshgrid(tf.range(shape[1], dtype=tf.float32), tf.range(shape[2], dtype=tf.float32), indexing="ij")
    return bilinear_sample(images, xs + field[..., 0], ys + field[..., 1])


def project(images: tf.Tensor, transforms: tf.Tensor) -> tf.Tensor:
    """(batch, h, w, 1) float32 images resampled through (batch, 8) projective transforms (bilinear, black fill)."""
    return tf.raw_ops.ImageProjectiveTransformV3(
        images=images,
        transforms=transforms,
        output_shape=tf.shape(images)[1:3],
        fill_value=0.0,
        interpolation="BILINEAR",
        fill_mode="CONSTANT",
    )


def affine(images: tf.Tensor, seed: tf.Tensor, aug: Augmentation) -> tf.Tensor:
    """Random rotation, shear, scale and translation about the image centre."""
    shape = tf.shape(images)
    batch = shape[0]
    seeds = tf.random.experimental.stateless_split(seed, 5)
    angle = tf.random.stateless_uniform([batch], seeds[0], -1, 1) * aug.rotate * math.pi / 180
    shear = tf.random.stateless_uniform([batch], seeds[1], -aug.shear, aug.shear)
    scale = tf.exp(tf.random.stateless_uniform([batch], seeds[2], -1, 1) * math.log1p(aug.scale))
    side = tf.cast(shape[1], tf.float32)
    shift = tf.random.stateless_uniform([batch, 2], seeds[3], -aug.shift, aug.shift) * side
    cos, sin = tf.cos(angle), tf.sin(angle)
    # forward = rotate @ shear(x by y) @ scale; the transform op wants output -> input, so invert it.
    forward = tf.stack(
        [
            tf.stack([cos * scale, (cos * shear - sin) * scale], -1),
            tf.stack([sin * scale, (sin * shear + cos) * scale], -1),
        ],
        -2,
    )
    inverse = tf.linalg.inv(forward)
    centre = (side - 1) / 2
    c = tf.fill([batch, 2, 1], centre)
    offset = c - inverse @ (c + shift[..., None])
    transforms = tf.concat(
        [inverse[:, 0, :], offset[:, 0, :], inverse[:, 1, :], offset[:, 1, :], tf.zeros([batch, 2])], axis=1
    )
    return project(images, transforms)


def augment(images: tf.Tensor, seed: tf.Tensor, aug: Augmentation, recipe: DrawingRecipe | None = None) -> tf.Tensor:
    """All of the configured augmentations, in drawing order: pen width, wobble, placement, then the
    drawing ``recipe`` (metadata's ``preprocessing.drawing``) again if ``aug.renormalize``."""
    if aug.share < 1:
        # Only a share of the images gets the drawing-like changes; the others keep their own strokes and
        # shape and are only shifted, so the model still sees the scans as they are.
        changed = augment(images, seed, replace(aug, share=1.0), recipe)
        plain = augment(images, tf.random.experimental.stateless_fold_in(seed, 1), Augmentation(shift=aug.shift))
        pick = tf.random.stateless_uniform(
            [tf.shape(images)[0], 1, 1, 1], tf.random.experimental.stateless_fold_in(seed, 2)
        )
        return tf.where(pick < aug.share, changed, plain)
    seeds = tf.random.experimental.stateless_split(seed, 3)
    if aug.thin or aug.thicken:
        images = stroke_width(images, seeds[0], aug.thin, aug.thicken)
    if aug.elastic:
        images = elastic(images, seeds[1], aug.elastic, aug.elastic_sigma)
    if aug.rotate or aug.shear or aug.scale or aug.shift:
        images = affine(images, seeds[2], aug)
    images = tf.clip_by_value(images, 0.0, 1.0)
    if aug.renormalize:
        if recipe is None:
            raise ValueError("renormalize needs the drawing recipe")
        images = renormalize(images, recipe["fit_box"], recipe["mass_center"], recipe["ink_threshold"])
    return images


def renormalize(images: tf.Tensor, fit_box: float, mass_center: float, threshold: float) -> tf.Tensor:
    """Re-apply the drawing recipe after the other changes: scale the ink's bounding box so its longer
    side is ``fit_box`` px, and move the centre of mass to ``mass_center`` by whole pixels.

    Augmented digits then sit where the browser's preprocessing puts every drawing,
    so the model spends nothing on sizes and positions it will never be shown.
    """
    shape = tf.shape(images)
    batch, side = shape[0], shape[1]
    ink = images[..., 0] > threshold
    coords = tf.cast(tf.range(side), tf.float32)

    def extent(axis):  # first and one-past-last inked row (axis=2) or column (axis=1), in pixel edges
        present = tf.reduce_any(ink, axis=axis)
        first = tf.reduce_min(tf.where(present, coords, 1e9), axis=1)
        last = tf.reduce_max(tf.where(present, coords, -1e9), axis=1) + 1
        return first, last

    x0, x1 = extent(1)
    y0, y1 = extent(2)
    blank = x1 <= x0
    scale = fit_box / tf.maximum(tf.maximum(x1 - x0, y1 - y0), 1.0)
    mass = tf.reduce_sum(images[..., 0], axis=[1, 2]) + 1e-6
    cx = tf.reduce_sum(images[..., 0] * (coords[None, None, :] + 0.5), axis=[1, 2]) / mass
    cy = tf.reduce_sum(images[..., 0] * (coords[None, :, None] + 0.5), axis=[1, 2]) / mass
    tx = tf.round(mass_center - (cx - x0) * scale)
    ty = tf.round(mass_center - (cy - y0) * scale)
    # Output pixel centre x (edge x + 0.5) comes from input edge (x + 0.5 - tx) / scale + x0.
    a = 1.0 / scale
    transforms = tf.stack(
        [a, tf.zeros(batch), (0.5 - tx) * a + x0 - 0.5, tf.zeros(batch), a, (0.5 - ty) * a + y0 - 0.5]
        + [tf.zeros(batch)] * 2,
        axis=1,
    )
    out = project(images, transforms)
    return tf.where(blank[:, None, None, None], images, out)
