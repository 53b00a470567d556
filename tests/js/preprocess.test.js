// @ts-check
// The preprocessing recipes (node --test, no browser), checked against real dataset images as oracles.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { centerOfMass, inkBounds, preprocessDrawing, preprocessPhoto, resizeArea, toGray } from '../../site/core/preprocess.js';
import { MODELS, metadataOf, readJson } from './support.js';

const digits = metadataOf('mnist-cnn');
const fashion = metadataOf('fashion-cnn');
const SIZE = digits.input.image_size;
const recipe = digits.preprocessing.drawing;

/** @param {number} side @param {(set: (x: number, y: number, v?: number) => void) => void} fill */
function pad(side, fill) {
  const ink = new Uint8ClampedArray(side * side);
  fill((x, y, v = 255) => { ink[y * side + x] = v; });
  return ink;
}

/**
 * Nearest-neighbour upscaling of a square image by an integer factor.
 * @param {ArrayLike<number>} img @param {number} side @param {number} k
 */
function upscale(img, side, k) {
  const out = new Float32Array(side * k * side * k);
  for (let y = 0; y < side * k; y++) for (let x = 0; x < side * k; x++) out[y * side * k + x] = img[Math.floor(y / k) * side + Math.floor(x / k)];
  return out;
}

/**
 * Cosine similarity of two square images, the best over shifts of up to `slack` pixels.
 * @param {ArrayLike<number>} a @param {ArrayLike<number>} b @param {number} side @param {number} slack
 */
function similarity(a, b, side, slack) {
  let best = -1;
  for (let dy = -slack; dy <= slack; dy++) {
    for (let dx = -slack; dx <= slack; dx++) {
      let dot = 0, na = 0, nb = 0;
      for (let y = 0; y < side; y++) {
        for (let x = 0; x < side; x++) {
          const inside = y + dy >= 0 && y + dy < side && x + dx >= 0 && x + dx < side;
          const v = inside ? b[(y + dy) * side + x + dx] : 0;
          dot += a[y * side + x] * v; na += a[y * side + x] ** 2; nb += v ** 2;
        }
      }
      best = Math.max(best, dot / Math.sqrt(na * nb));
    }
  }
  return best;
}

test('a blank pad is not an image', () => {
  assert.deepEqual(preprocessDrawing(new Uint8ClampedArray(100 * 100), 100, 100, recipe, SIZE), { pixels: null, reason: 'blank' });
});

test('a dot is too small to be a digit', () => {
  const ink = pad(200, (set) => { for (let y = 95; y < 105; y++) for (let x = 95; x < 105; x++) set(x, y); });
  assert.equal(preprocessDrawing(ink, 200, 200, recipe, SIZE).reason, 'too-small');
});

test('a bar is scaled to the fit box and centred by mass', () => {
  // A vertical bar, 20 px wide and 160 px tall, far off-centre.
  const ink = pad(200, (set) => { for (let y = 10; y < 170; y++) for (let x = 150; x < 170; x++) set(x, y); });
  const { pixels } = preprocessDrawing(ink, 200, 200, recipe, SIZE);
  assert.ok(pixels);
  assert.equal(pixels.length, SIZE ** 2);
  const bounds = inkBounds(pixels, SIZE, SIZE, 0);
  assert.ok(bounds);
  assert.equal(bounds.h, recipe.fit_box);
  assert.equal(bounds.w, Math.round(20 * recipe.fit_box / 160));
  const com = centerOfMass(pixels, SIZE, SIZE);
  assert.ok(Math.abs(com.x - SIZE / 2) <= 1 && Math.abs(com.y - SIZE / 2) <= 1, JSON.stringify(com));
  assert.ok(Math.max(...pixels) <= 255);
});

test('area resizing keeps the mean ink', () => {
  const src = Float32Array.from({ length: 60 * 60 }, (_, i) => (i * 37) % 256);
  const out = resizeArea(src, 60, { x: 0, y: 0, w: 60, h: 60 }, 20, 20);
  const mean = (/** @type {Float32Array} */ a) => a.reduce((s, v) => s + v, 0) / a.length;
  assert.ok(Math.abs(mean(src) - mean(out)) < 1e-3);
});

test('oracle: real MNIST digits, drawn 10x larger, come back through the recipe as they were', () => {
  // MNIST itself was made with this recipe (fit a 20 px box, centre by mass), so
  // an upscaled test digit must come back as itself, give or take a pixel of placement.
  const parity = readJson(new URL(`mnist-cnn/${digits.assets.parity}`, MODELS));
  for (const [i, image] of parity.inputs.entries()) {
    const big = upscale(image, SIZE, 10);
    const { pixels } = preprocessDrawing(big, SIZE * 10, SIZE * 10, recipe, SIZE);
    assert.ok(pixels);
    assert.ok(similarity(pixels, image, SIZE, 1) > 0.99, `parity digit ${i}`);
  }
});

test('oracle: Fashion-MNIST photos, dark on white and 4x larger, come back as the dataset images', () => {
  const gallery = readJson(new URL(`fashion-cnn/${fashion.assets.gallery}`, MODELS));
  const bytes = Buffer.from(gallery.pixels_base64, 'base64');
  const scores = [];
  for (let i = 0; i < gallery.labels.length; i++) {
    const image = bytes.subarray(i * SIZE * SIZE, (i + 1) * SIZE * SIZE);
    const photo = upscale(Array.from(image, (v) => 255 - v), SIZE, 4);
    const rgba = new Uint8ClampedArray(photo.length * 4);
    photo.forEach((v, p) => rgba.set([v, v, v, 255], p * 4));
    const result = preprocessPhoto(toGray(rgba, fashion.preprocessing.photo), SIZE * 4, SIZE * 4, fashion.preprocessing, SIZE);
    assert.ok(result.pixels && result.inverted, `gallery image ${i}`);
    scores.push(similarity(result.pixels, image, SIZE, 1));
  }
  scores.sort((a, b) => a - b);
  // Objects touching the border brighten the estimated background a little: the worst cases lose some contrast.
  assert.ok(scores[0] > 0.9, `worst ${scores[0]}`);
  assert.ok(scores[Math.floor(scores.length / 2)] > 0.99, `median ${scores[Math.floor(scores.length / 2)]}`);
});

test('a one-colour photo is flat; luma weights come from the recipe', () => {
  const { photo } = fashion.preprocessing;
  const rgba = new Uint8ClampedArray(40 * 40 * 4).fill(200);
  assert.equal(preprocessPhoto(toGray(rgba, photo), 40, 40, fashion.preprocessing, SIZE).reason, 'flat');
  const gray = toGray(Uint8ClampedArray.from([255, 0, 0, 255, 0, 255, 0, 255]), photo);
  assert.deepEqual(Array.from(gray), [255 * photo.luma[0], 255 * photo.luma[1]].map(Math.fround));
});
