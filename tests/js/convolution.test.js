// @ts-check
// The convolution figure's maths (site/core/convolution.js) on TF.js' CPU backend: the
// position-by-position arithmetic against tf.conv2d, and both against the first layer of
// the shipped CNN, run by TF.js from its committed files.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import * as tf from '@tensorflow/tfjs';

import {
  CLASSIC_KERNELS, KERNEL_SIZE, convolveAt, describePosition, featureMap, learnedKernels, maxPool, positionOf,
} from '../../site/core/convolution.js';
import { loadCommitted, readJson } from './support.js';

await tf.setBackend('cpu');
const committed = await loadCommitted(tf, 'mnist-cnn', 'layers');
const { meta, folder } = committed;
const model = /** @type {import('@tensorflow/tfjs').LayersModel} */ (committed.model);
const parity = readJson(new URL(meta.assets.parity, folder));
const size = meta.input.image_size;
/** Three real test digits, scaled as the model expects. */
const images = parity.inputs.slice(0, 3).map((/** @type {number[]} */ px) => Float32Array.from(px, (v) => v / meta.input.divide_by));
const learned = await learnedKernels(model);

/** @param {ArrayLike<number>} a @param {ArrayLike<number>} b */
function worst(a, b) {
  assert.equal(a.length, b.length);
  let w = 0;
  for (let i = 0; i < a.length; i++) w = Math.max(w, Math.abs(a[i] - b[i]));
  return w;
}

/** Every position by hand, as the widget writes it out. @param {Float32Array} image @param {any} kernel */
function byHand(image, kernel) {
  const pre = new Float32Array(size * size), post = new Float32Array(size * size);
  for (let i = 0; i < size * size; i++) {
    const { row, col } = positionOf(i, size);
    const p = convolveAt(image, size, kernel, row, col);
    pre[i] = p.preActivation;
    post[i] = p.output;
  }
  return { pre, post };
}

test("the shipped CNN's first layer is found, with one 3x3 kernel and a bias per filter", async () => {
  assert.ok(learned, 'mnist-cnn starts with a 3x3, same-padded, stride-1 ReLU convolution on one channel');
  const first = meta.layers[0];
  assert.equal(first.class, 'Conv2D');
  assert.equal(learned.layer, first.name);
  assert.equal(learned.kernels.length, first.output_shape[2]);
  // Its parameters, as metadata.json counts them: 3 x 3 weights and one bias per filter.
  assert.equal(learned.kernels.length * (KERNEL_SIZE * KERNEL_SIZE + 1), first.params);
  for (const k of learned.kernels) {
    assert.equal(k.weights.length, 9);
    assert.ok(k.weights.every(Number.isFinite) && Number.isFinite(k.bias));
  }
});

test('the arithmetic at every position equals tf.conv2d (same padding, stride 1, bias, ReLU)', async () => {
  const random = [0.3, -0.7, 0.1, 0.9, -0.2, 0.4, -0.5, 0.6, 0.05];
  const kernels = [...CLASSIC_KERNELS, { name: 'random', weights: random, bias: -0.1, learned: false }, ...(learned?.kernels ?? []).slice(0, 4)];
  for (const image of images) {
    for (const kernel of kernels) {
      const tfMap = await featureMap(tf, image, size, kernel);
      const hand = byHand(image, kernel);
      assert.ok(worst(tfMap.pre, hand.pre) <= 1e-5, `${kernel.name}: before ReLU`);
      assert.ok(worst(tfMap.post, hand.post) <= 1e-5, `${kernel.name}: after ReLU`);
    }
  }
});

test("each learned filter's feature map is the CNN's own first-layer output for that filter", async () => {
  assert.ok(learned);
  const layer = model.getLayer(learned.layer);
  const probe = tf.model({ inputs: model.inputs, outputs: /** @type {import('@tensorflow/tfjs').SymbolicTensor} */ (layer.output) });
  const filters = learned.kernels.length;
  for (const image of images) {
    const keras = /** @type {Float32Array} */ (tf.tidy(() => /** @type {import('@tensorflow/tfjs').Tensor} */ (probe.predict(tf.tensor4d(image, [1, size, size, 1]))).dataSync()));
    for (let f = 0; f < filters; f++) {
      const kernel = /** @type {import('../../site/core/convolution.js').Kernel} */ (learned.kernels[f]);
      /** @type {Float32Array} */
      const ours = (await featureMap(tf, image, size, kernel)).post;
      const theirs = Float32Array.from({ length: size * size }, (_, /** @type {number} */ i) => keras[i * filters + f]);
      assert.ok(worst(ours, theirs) <= 1e-5, `${kernel.name}: max difference ${worst(ours, theirs)}`);
    }
  }
});

test('at a corner the window hangs over the border and reads zeros (the "same" padding)', async () => {
  const ones = new Float32Array(size * size).fill(1);
  const box = CLASSIC_KERNELS.find((k) => k.name.startsWith('Blur'));
  assert.ok(box);
  const corner = convolveAt(ones, size, box, 0, 0);
  assert.deepEqual(corner.patch, [0, 0, 0, 0, 1, 1, 0, 1, 1]);
  assert.ok(Math.abs(corner.sum - 4 / 9) < 1e-9);
  const edge = convolveAt(ones, size, box, 0, 5);
  assert.ok(Math.abs(edge.sum - 6 / 9) < 1e-9);
  const inside = convolveAt(ones, size, box, 10, 10);
  assert.ok(Math.abs(inside.sum - 1) < 1e-9);
  assert.equal(inside.products.length, 9);
});

test('the bias is added after the sum, and ReLU cuts what is negative', async () => {
  const image = new Float32Array(size * size);
  image[5 * size + 5] = 1;
  const kernel = { name: 'test', weights: [0, 0, 0, 0, -2, 0, 0, 0, 0], bias: 0.5, learned: false };
  const p = convolveAt(image, size, kernel, 5, 5);
  assert.equal(p.sum, -2);
  assert.equal(p.preActivation, -1.5);
  assert.equal(p.output, 0);
  assert.match(describePosition(p, kernel), /^Row 6, column 6: the nine products add up to -2\.000; plus the bias 0\.500 gives -1\.500; ReLU turns it into 0\. Output 0\.000\.$/);
  const q = convolveAt(image, size, { ...kernel, bias: 3 }, 5, 5);
  assert.equal(q.output, 1);
});

test('2x2 max pooling keeps the largest of each block, halving the side', async () => {
  const map = Float32Array.from({ length: 16 }, (_, i) => i % 5);
  // Rows: [0 1 2 3] [4 0 1 2] [3 4 0 1] [2 3 4 0]
  assert.deepEqual(Array.from(await maxPool(tf, map, 4)), [4, 3, 4, 4]);
  const image = images[0];
  const pooled = await maxPool(tf, (await featureMap(tf, image, size, CLASSIC_KERNELS[0])).post, size);
  assert.equal(pooled.length, (size / 2) ** 2);
});

test('positions run row by row', async () => {
  assert.deepEqual(positionOf(0, 28), { row: 0, col: 0 });
  assert.deepEqual(positionOf(29, 28), { row: 1, col: 1 });
  assert.deepEqual(positionOf(783, 28), { row: 27, col: 27 });
});

test('no tensor is left behind', async () => {
  const before = tf.memory().numTensors;
  for (let i = 0; i < 10; i++) await maxPool(tf, (await featureMap(tf, images[0], size, CLASSIC_KERNELS[i % 4])).post, size);
  assert.equal(tf.memory().numTensors, before);
});
