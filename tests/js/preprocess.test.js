// Unit tests of the pure preprocessing maths (node --test, no browser needed).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { centerOfMass, inkBounds, preprocessDrawing, resizeArea } from '../../site/lib/preprocess.js';

const recipe = JSON.parse(readFileSync(new URL('../../docs/models/mnist-cnn/metadata.json', import.meta.url))).preprocessing;

function pad(size, fill) {
  const ink = new Uint8ClampedArray(size * size);
  fill((x, y, v = 255) => { ink[y * size + x] = v; });
  return ink;
}

test('a blank pad is not an image', () => {
  assert.deepEqual(preprocessDrawing(new Uint8ClampedArray(100 * 100), 100, 100, recipe), { pixels: null, reason: 'blank' });
});

test('a dot is too small to be a digit', () => {
  const ink = pad(200, (set) => { for (let y = 95; y < 105; y++) for (let x = 95; x < 105; x++) set(x, y); });
  assert.equal(preprocessDrawing(ink, 200, 200, recipe).reason, 'too-small');
});

test('a bar is scaled to the 20 px box and centred by mass', () => {
  // A vertical bar, 20 px wide and 160 px tall, far off-centre.
  const ink = pad(200, (set) => { for (let y = 10; y < 170; y++) for (let x = 150; x < 170; x++) set(x, y); });
  const { pixels } = preprocessDrawing(ink, 200, 200, recipe);
  assert.equal(pixels.length, recipe.image_size ** 2);
  const bounds = inkBounds(pixels, 28, 28, 0);
  assert.equal(bounds.h, recipe.fit_box);
  assert.equal(bounds.w, Math.round(20 * recipe.fit_box / 160));
  const com = centerOfMass(pixels, 28, 28);
  assert.ok(Math.abs(com.x - 14) <= 0.5 && Math.abs(com.y - 14) <= 0.5, JSON.stringify(com));
  assert.ok(Math.max(...pixels) <= 255);
});

test('area resizing keeps the mean ink', () => {
  const src = Float32Array.from({ length: 60 * 60 }, (_, i) => (i * 37) % 256);
  const out = resizeArea(src, 60, { x: 0, y: 0, w: 60, h: 60 }, 20, 20);
  const mean = (a) => a.reduce((s, v) => s + v, 0) / a.length;
  assert.ok(Math.abs(mean(src) - mean(out)) < 1e-3);
});
