// @ts-check
// Random input through the preprocessing (node --test): thousands of seeded stroke sequences
// and photos, the odd ones included (dots, lines along an edge, strokes leaving the pad,
// one pixel pads), never give a NaN, an exception or a value out of range.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { preprocessDrawing, preprocessPhoto, toGray } from '../../site/core/preprocess.js';
import { seededRandom } from '../../site/core/training-data.js';
import { metadataOf } from './support.js';

const DRAWINGS = 3000;
const PHOTOS = 500;


/**
 * Rasterise strokes (pad units; points may leave the pad) into an alpha channel, as the
 * pad's canvas does: round-capped lines of the given width, coverage as 0..255.
 * @param {[number, number][][]} strokes @param {number} side @param {number} width fraction of the side
 */
function rasterise(strokes, side, width) {
  const ink = new Uint8ClampedArray(side * side);
  const r = Math.max(0.5, (width * side) / 2);
  for (const stroke of strokes) {
    const pts = stroke.length > 1 ? stroke : [stroke[0], stroke[0]];
    for (let i = 1; i < pts.length; i++) {
      const [x0, y0] = [pts[i - 1][0] * side, pts[i - 1][1] * side];
      const [x1, y1] = [pts[i][0] * side, pts[i][1] * side];
      const [lo, hi] = [Math.floor(Math.min(x0, x1) - r - 1), Math.ceil(Math.max(x0, x1) + r + 1)];
      const [top, bottom] = [Math.floor(Math.min(y0, y1) - r - 1), Math.ceil(Math.max(y0, y1) + r + 1)];
      const len2 = (x1 - x0) ** 2 + (y1 - y0) ** 2;
      for (let y = Math.max(0, top); y < Math.min(side, bottom); y++) {
        for (let x = Math.max(0, lo); x < Math.min(side, hi); x++) {
          const t = len2 ? Math.max(0, Math.min(1, ((x + 0.5 - x0) * (x1 - x0) + (y + 0.5 - y0) * (y1 - y0)) / len2)) : 0;
          const d = Math.hypot(x + 0.5 - (x0 + t * (x1 - x0)), y + 0.5 - (y0 + t * (y1 - y0)));
          const cover = Math.max(0, Math.min(1, r + 0.5 - d));
          ink[y * side + x] = Math.max(ink[y * side + x], Math.round(cover * 255));
        }
      }
    }
  }
  return ink;
}

/**
 * A random drawing: 0-6 strokes of 1-40 points, sometimes a dot, an edge line or a stroke off the pad.
 * @param {() => number} rand uniform in [0, 1)
 */
function randomStrokes(rand) {
  /** @type {[number, number][][]} */
  const strokes = [];
  const count = Math.floor(rand() * 7);
  for (let s = 0; s < count; s++) {
    const kind = rand();
    const n = kind < 0.1 ? 1 : 1 + Math.floor(rand() * 40);
    let x = kind < 0.2 ? (rand() < 0.5 ? 0 : 1) : rand() * 1.4 - 0.2;
    let y = rand() * 1.4 - 0.2;
    const step = rand() < 0.3 ? 0.002 : 0.08;
    /** @type {[number, number][]} */
    const stroke = [[x, y]];
    for (let i = 1; i < n; i++) {
      x += (rand() - 0.5) * step * 2;
      y += (rand() - 0.5) * step * 2;
      stroke.push([x, y]);
    }
    strokes.push(stroke);
  }
  return strokes;
}

/** @param {Float32Array} pixels @param {number} size @param {string} what the case, for the messages */
function assertImage(pixels, size, what) {
  assert.equal(pixels.length, size * size, what);
  let sum = 0;
  for (const v of pixels) {
    assert.ok(Number.isFinite(v) && v >= 0 && v <= 255, `${what}: pixel ${v}`);
    sum += v;
  }
  assert.ok(sum > 0, `${what}: an accepted input left no ink in the image`);
}

for (const name of ['mnist-cnn', 'fashion-cnn']) {
  const meta = metadataOf(name);
  const size = meta.input.image_size;
  const recipe = meta.preprocessing.drawing;

  test(`${DRAWINGS} random drawings through ${name}'s recipe: in range, or refused with a reason`, () => {
    const rand = seededRandom(20261123);
    const reasons = { accepted: 0, blank: 0, 'too-small': 0 };
    for (let i = 0; i < DRAWINGS; i++) {
      const side = [1, 7, 28, 64, 280][Math.floor(rand() * 5)];
      const ink = rasterise(randomStrokes(rand), side, recipe.stroke_width);
      const out = preprocessDrawing(ink, side, side, recipe, size);
      if (out.pixels) {
        assertImage(out.pixels, size, `drawing ${i} (side ${side})`);
        reasons.accepted++;
      } else {
        assert.ok(out.reason === 'blank' || out.reason === 'too-small', `drawing ${i}: ${out.reason}`);
        reasons[out.reason]++;
      }
    }
    // The generator reaches every outcome, so each branch was exercised.
    for (const [outcome, n] of Object.entries(reasons)) assert.ok(n > 20, `${outcome}: only ${n}`);
  });
}

test(`${PHOTOS} random photos through the fashion recipe: in range, or refused with a reason`, () => {
  const meta = metadataOf('fashion-cnn');
  const rand = seededRandom(7);
  let accepted = 0;
  for (let i = 0; i < PHOTOS; i++) {
    const [w, h] = [1 + Math.floor(rand() * 96), 1 + Math.floor(rand() * 96)];
    const flat = rand() < 0.2;
    const base = rand() * 255;
    const rgba = new Uint8ClampedArray(w * h * 4);
    for (let p = 0; p < rgba.length; p++) rgba[p] = p % 4 === 3 ? 255 : flat ? base : rand() < 0.7 ? base : rand() * 255;
    const out = preprocessPhoto(toGray(rgba, meta.preprocessing.photo), w, h, meta.preprocessing, meta.input.image_size);
    if (out.pixels) {
      assertImage(out.pixels, meta.input.image_size, `photo ${i} (${w}x${h})`);
      accepted++;
    } else assert.ok(['flat', 'too-small', 'blank'].includes(out.reason), `photo ${i}: ${out.reason}`);
  }
  assert.ok(accepted > PHOTOS / 4, `only ${accepted} photos accepted`);
});
