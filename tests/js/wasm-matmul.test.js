// @ts-check
// The WASM backend's transposing matrix product (site/core/wasm-matmul.js): the same numbers as TF.js' CPU backend.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

import { useUntransposedMatMul } from '../../site/core/wasm-matmul.js';
import { MODELS, metadataOf, readJson } from './support.js';

await tf.setBackend('wasm');
assert.equal(tf.getBackend(), 'wasm');

/**
 * Run `make` on a backend and read its result.
 * @param {string} backend
 * @param {() => import('@tensorflow/tfjs').Tensor} make
 */
async function on(backend, make) {
  await tf.setBackend(backend);
  const out = tf.tidy(make);
  const values = await out.data();
  out.dispose();
  await tf.setBackend('wasm');
  return values;
}

/** @param {ArrayLike<number>} got @param {ArrayLike<number>} want */
function maxDiff(got, want) {
  let most = 0;
  for (let i = 0; i < got.length; i++) most = Math.max(most, Math.abs(got[i] - want[i]));
  return most;
}

test('the kernel is replaced once, and only on the WASM backend', () => {
  const stock = tf.getKernel('BatchMatMul', 'wasm');
  assert.equal(useUntransposedMatMul(tf), true);
  const mine = tf.getKernel('BatchMatMul', 'wasm');
  assert.notEqual(mine?.kernelFunc, stock?.kernelFunc);
  assert.equal(useUntransposedMatMul(tf), true);
  assert.equal(tf.getKernel('BatchMatMul', 'wasm')?.kernelFunc, mine?.kernelFunc, 'a second call wraps nothing again');
  const empty = /** @type {any} */ ({ getKernel: () => undefined, registerKernel() {}, unregisterKernel() {} });
  assert.equal(useUntransposedMatMul(empty), false);
});

test('every transpose combination, batched and broadcast, gives the CPU backend\'s product', async () => {
  useUntransposedMatMul(tf);
  for (const [aShape, bShape] of [[[5, 7], [7, 4]], [[3, 5, 7], [1, 7, 4]], [[1, 6, 2], [4, 2, 3]]]) {
    for (const transposeA of [false, true]) {
      for (const transposeB of [false, true]) {
        const swap = (/** @type {number[]} */ s, /** @type {boolean} */ t) => (t ? [...s.slice(0, -2), s[s.length - 1], s[s.length - 2]] : s);
        const a = tf.randomNormal(swap(aShape, transposeA), 0, 1, 'float32', 1);
        const b = tf.randomNormal(swap(bShape, transposeB), 0, 1, 'float32', 2);
        const make = () => tf.matMul(a, b, transposeA, transposeB);
        const got = await on('wasm', make);
        const want = await on('cpu', make);
        assert.ok(maxDiff(got, want) < 1e-5, `${aShape} x ${bShape}, transposeA=${transposeA}, transposeB=${transposeB}`);
        tf.dispose([a, b]);
      }
    }
  }
});

test('a training step of the Quickstart MLP moves its weights as on the CPU backend, and frees what it made', async () => {
  useUntransposedMatMul(tf);
  const meta = metadataOf('mnist-mlp');
  const topology = readJson(new URL(`mnist-mlp/${meta.assets.model}`, MODELS)).modelTopology;
  // Dropout draws its masks from each backend's own random stream: switched off, both steps see one network.
  for (const layer of topology.model_config.config.layers) if (layer.class_name === 'Dropout') layer.config.rate = 0;
  const parity = readJson(new URL(`mnist-mlp/${meta.assets.parity}`, MODELS));
  const images = parity.inputs.flat().map((/** @type {number} */ v) => v / meta.input.divide_by);
  // The same starting weights on both backends, then one SGD step on the same batch.
  /** @param {string} backend @param {Float32Array[]} [weights] */
  const build = async (backend, weights) => {
    await tf.setBackend(backend);
    const model = await tf.models.modelFromJSON(topology);
    if (weights) model.setWeights(weights.map((values, i) => tf.tensor(values, model.getWeights()[i].shape)));
    model.compile({ optimizer: tf.train.sgd(0.1), loss: 'sparseCategoricalCrossentropy' });
    return model;
  };
  const wasmModel = await build('wasm');
  const start = wasmModel.getWeights().map((w) => /** @type {Float32Array} */ (w.dataSync().slice()));
  const cpuModel = await build('cpu', start);
  const batch = () => [tf.tensor(images, [parity.labels.length, ...meta.input.shape]), tf.tensor1d(parity.labels)];
  const [cx, cy] = batch();
  await cpuModel.trainOnBatch(cx, cy);
  tf.dispose([cx, cy]);
  const want = cpuModel.getWeights().map((w) => w.dataSync().slice());
  await tf.setBackend('wasm');
  const before = tf.memory().numTensors;
  const [x, y] = batch();
  await wasmModel.trainOnBatch(x, y);
  tf.dispose([x, y]);
  assert.equal(tf.memory().numTensors, before, 'no tensor left behind');
  const got = wasmModel.getWeights().map((w) => w.dataSync());
  got.forEach((values, i) => {
    assert.ok(maxDiff(values, start[i]) > 1e-4, `weight ${i} moved`);
    assert.ok(maxDiff(values, want[i]) < 1e-4, `weight ${i} as on the CPU backend`);
  });
});
