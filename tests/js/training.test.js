// @ts-check
// Training in the browser, tested in node: the data file's format, the training loop, fine-tuning's mix, the examples file.
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { test } from 'node:test';

import * as tf from '@tensorflow/tfjs';

import { exportExamples, importExamples } from '../../site/core/examples-file.js';
import { fineTuneSet, jitter } from '../../site/core/fine-tune.js';
import { gather, seededRandom, sha256Hex, splitIndices, unpackTrainingData } from '../../site/core/training-data.js';
import { cacheFeatures, evaluate, freshModel, splitAtFrozen, trainEpochs } from '../../site/core/training-loop.js';
import { MODELS, loadCommitted, metadataOf, readJson } from './support.js';

await tf.setBackend('cpu');
const meta = metadataOf('mnist-mlp');
const parity = readJson(new URL(`mnist-mlp/${meta.assets.parity}`, MODELS));

/** A training-data file made like train/browser_data.py makes it, from the parity digits. */
async function makeData(copies = 8) {
  const images = parity.inputs.flatMap((/** @type {number[]} */ row) => row);
  const all = Array.from({ length: copies }, () => images).flat();
  const labels = Array.from({ length: copies }, () => parity.labels).flat();
  const count = labels.length;
  const levels = all.map((v) => Math.floor((v * 15 + 127) / 255));
  const packed = Uint8Array.from({ length: levels.length / 2 }, (_, i) => (levels[2 * i] << 4) | levels[2 * i + 1]);
  const file = new Uint8Array(gzipSync(Buffer.concat([packed, Uint8Array.from(labels)])));
  const train = Math.floor(count * 0.75);
  const descriptor = {
    file: 'x.bin', bytes: file.length, sha256: await sha256Hex(file), image_size: 28, levels: 16, count,
    splits: { train: { start: 0, count: train }, validation: { start: train, count: count - train }, test: { start: 0, count }, negatives: { start: 0, count: 2 } },
    negative_label: 10,
  };
  return { file, descriptor, original: all };
}

test('the data file: checked by sha256, 16 levels unpacked back to 0..255', async () => {
  const { file, descriptor, original } = await makeData(1);
  const data = await unpackTrainingData(file, descriptor);
  assert.equal(data.images.length, original.length);
  assert.ok(original.every((v, i) => Math.abs(v - data.images[i]) <= 9), 'a 16-level pixel is within half a step of the original');
  assert.deepEqual(Array.from(data.labels), parity.labels);
  const damaged = file.slice();
  damaged[10] ^= 1;
  await assert.rejects(unpackTrainingData(damaged, descriptor), /damaged/);
  assert.deepEqual(Array.from(splitIndices(data, 'validation', 3)), [descriptor.splits.validation.start, descriptor.splits.validation.start + 1, descriptor.splits.validation.start + 2]);
  assert.equal(gather(data, [0], 255).length, 784);
  assert.ok(Math.max(...gather(data, [0], 255)) <= 1);
});

test('seeded shuffles repeat', () => {
  const a = seededRandom(7), b = seededRandom(7);
  assert.deepEqual(Array.from({ length: 5 }, a), Array.from({ length: 5 }, b));
});

test('the quickstart model, rebuilt from model.json and trained batch by batch, learns and leaks nothing', async () => {
  const { file, descriptor } = await makeData(8);
  const data = await unpackTrainingData(file, descriptor);
  const modelJson = readJson(new URL(`mnist-mlp/${meta.assets.model}`, MODELS));
  const model = await freshModel(tf, modelJson.modelTopology, meta.config);
  assert.equal(model.countParams(), meta.params);
  const input = { divideBy: meta.input.divide_by, inputShape: meta.input.shape };
  const first = await evaluate(tf, model, data, splitIndices(data, 'train'), input);
  /** @type {any[]} */
  const batches = [];
  const options = { ...input, train: splitIndices(data, 'train'), validation: splitIndices(data, 'validation'), batchSize: meta.config.batch_size };
  await trainEpochs(tf, model, data, { ...options, epochs: 1 });
  // The optimizer now holds its moments; from here on, nothing may pile up.
  const before = tf.memory().numTensors;
  const result = await trainEpochs(tf, model, data, { ...options, epochs: 3, reportEvery: 1, onBatch: (r) => batches.push(r) });
  assert.equal(result.epochs.length, 3);
  assert.equal(batches.at(-1).seen, descriptor.splits.train.count);
  const last = await evaluate(tf, model, data, splitIndices(data, 'train'), input);
  assert.ok(last.loss < first.loss / 2 && last.accuracy > 0.9, JSON.stringify({ first, last }));
  assert.equal(tf.memory().numTensors, before, 'training leaks tensors');
  let stops = 0;
  const stopped = await trainEpochs(tf, model, data, { ...input, train: splitIndices(data, 'train'), validation: splitIndices(data, 'validation'), epochs: 1, batchSize: 32, shouldStop: () => ++stops > 2 });
  assert.equal(stopped.stopped, true);
});

test('fine-tuning mixes jittered repeats of the reader\'s drawings with replayed MNIST', async () => {
  const { file, descriptor } = await makeData(2);
  const data = await unpackTrainingData(file, descriptor);
  const recipe = { epochs: 2, learning_rate: 0.001, repeats: 3, jitter_shift: 2, jitter_stroke: 0.5, jitter_rotate: 10, jitter_scale: 0.1, replay: 10, negatives: 2, mnist_check: 5 };
  const examples = parity.inputs.slice(0, 4).map((/** @type {number[]} */ pixels, /** @type {number} */ i) => ({ pixels, label: parity.labels[i] }));
  const heldOut = examples.slice(0, 1);
  const plan = fineTuneSet(data, { fine_tune: recipe }, examples, heldOut, 1);
  assert.equal(plan.train.length, 4 * 3 + 10 + 2);
  assert.equal(plan.heldOut.length, 1);
  assert.equal(plan.mnistTest.length, 5);
  assert.deepEqual(Array.from(plan.data.images.subarray(plan.heldOut[0] * 784, plan.heldOut[0] * 784 + 784)), heldOut[0].pixels);
  const moves = { shift: 2, stroke: 0.5, rotate: 12, scale: 0.1 };
  const moved = jitter(parity.inputs[0], 28, moves, seededRandom(3));
  assert.equal(moved.length, 784);
  assert.ok(moved.every((v) => v >= 0 && v <= 255));
  assert.deepEqual(jitter(parity.inputs[0], 28, moves, seededRandom(3)), moved);
});

test('a jittered repeat is the drawing itself when nothing may move, and turns as a turned image does', () => {
  const image = Uint8Array.from(parity.inputs[0], (v) => Math.round(v));
  const still = { shift: 0, stroke: 0, rotate: 0, scale: 0 };
  assert.deepEqual(jitter(image, 28, still, seededRandom(1)), image);
  // Turned by 90 degrees (the random draw at the top of its range), the image is its transpose, mirrored:
  // an oracle that needs no interpolation. Pixel (x, y) reads the source at (y, 27 - x), or (27 - y, x).
  const quarter = jitter(image, 28, { ...still, rotate: 90 }, () => 1 - 1e-12);
  const byHand = Uint8Array.from({ length: 784 }, (_, i) => image[(i % 28) * 28 + (27 - Math.floor(i / 28))]);
  const otherWay = Uint8Array.from({ length: 784 }, (_, i) => image[(27 - (i % 28)) * 28 + Math.floor(i / 28)]);
  assert.ok(quarter.every((v, i) => v === byHand[i]) || quarter.every((v, i) => v === otherWay[i]));
});

test('fine-tuning on features computed once: the head answers as the whole CNN, learns, leaves the convolutions alone, leaks nothing', async () => {
  const { file, descriptor } = await makeData(2);
  const data = await unpackTrainingData(file, descriptor);
  const before = tf.memory().numTensors;
  const committed = await loadCommitted(tf, 'mnist-cnn');
  const model = /** @type {import('@tensorflow/tfjs').LayersModel} */ (committed.model);
  const cnn = committed.meta;
  assert.throws(() => splitAtFrozen(tf, model), /no frozen layers/);
  for (const layer of model.layers) if (layer.getClassName() === 'Conv2D') layer.trainable = false;
  const convs = model.layers.filter((layer) => layer.getClassName() === 'Conv2D').flatMap((layer) => layer.getWeights().map((w) => w.dataSync().slice()));
  const { features, head } = splitAtFrozen(tf, model);
  const input = { divideBy: cnn.input.divide_by, inputShape: cnn.input.shape };
  const cached = cacheFeatures(tf, features, data, input);
  const all = splitIndices(data, 'test');
  tf.tidy(() => {
    const whole = /** @type {import('@tensorflow/tfjs').Tensor} */ (model.predict(tf.tensor(gather(data, all, input.divideBy), [all.length, ...input.inputShape])));
    const split = /** @type {import('@tensorflow/tfjs').Tensor} */ (head.predict(cached.inputsOf(all)));
    assert.ok(tf.max(tf.abs(tf.sub(whole, split))).dataSync()[0] < 1e-5, 'head(features(x)) is model(x)');
  });
  const onHead = { ...input, inputsOf: cached.inputsOf, classes: 10 };
  const first = await evaluate(tf, head, data, all, onHead);
  head.compile({ optimizer: tf.train.adam(0.003), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  await trainEpochs(tf, head, data, { ...onHead, train: all, validation: all, epochs: 5, batchSize: 8 });
  const last = await evaluate(tf, head, data, all, onHead);
  assert.ok(last.loss < first.loss, JSON.stringify({ first, last }));
  assert.deepEqual(await evaluate(tf, model, data, all, { ...input, classes: 10 }), last, 'the model learnt what its head learnt');
  const after = model.layers.filter((layer) => layer.getClassName() === 'Conv2D').flatMap((layer) => layer.getWeights().map((w) => w.dataSync()));
  after.forEach((values, i) => assert.deepEqual(values, convs[i]));
  // Released as the worker releases them: the model's weights, the head's, the features and the optimizer.
  cached.dispose();
  head.optimizer?.dispose();
  head.dispose();
  model.dispose();
  assert.equal(tf.memory().numTensors, before, 'fine-tuning leaks tensors');
});

test('the examples file: a round trip, and every bad file refused with a reason', () => {
  const examples = [{ digit: 7, pixels: Uint8Array.from(parity.inputs[0]) }, { digit: 1, pixels: Uint8Array.from(parity.inputs[2]) }];
  const text = exportExamples(examples, 28);
  assert.deepEqual(importExamples(text, 28), examples);
  const bad = {
    'not json': 'hello',
    'another format': JSON.stringify({ format: 'x', version: 1, examples: [] }),
    'wrong size': text.replace('"image_size":28', '"image_size":32'),
    'a digit of 12': text.replace('"digit":7', '"digit":12'),
    'damaged pixels': text.replace(/"pixels":"[^"]{8}/, '"pixels":"!!!!!!!!'),
    'short pixels': JSON.stringify({ format: 'draw-learn-tf/examples', version: 1, image_size: 28, examples: [{ digit: 1, pixels: 'AAAA' }] }),
  };
  for (const [name, file] of Object.entries(bad)) assert.throws(() => importExamples(file, 28), /./, name);
});

test('a trained model leaves as the two files TF.js downloads, and loads back with the same answers', async () => {
  const { modelFiles } = await import('../../site/core/model-files.js');
  const modelJson = readJson(new URL(`mnist-mlp/${meta.assets.model}`, MODELS));
  const model = await freshModel(tf, modelJson.modelTopology, meta.config);
  /** @type {any} */
  let artifacts = null;
  await model.save(tf.io.withSaveHandler(async (a) => { artifacts = a; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }));
  // TF.js may keep the weights in several buffers: the file has them in one, in order.
  const bytes = new Uint8Array(artifacts.weightData);
  const split = { ...artifacts, weightData: [bytes.slice(0, 1000).buffer, bytes.slice(1000).buffer] };
  const files = modelFiles(split, 'my-mlp', { test_accuracy: 0.5 });
  assert.equal(files.jsonName, 'my-mlp.json');
  const json = JSON.parse(files.json);
  assert.deepEqual(json.weightsManifest[0].paths, ['./my-mlp.weights.bin']);
  assert.equal(json.userDefinedMetadata.test_accuracy, 0.5);
  assert.equal(files.weights.byteLength, bytes.length);
  const loaded = await tf.loadLayersModel(tf.io.fromMemory({
    modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: files.weights,
  }));
  const x = tf.tensor(Float32Array.from(parity.inputs[0], (v) => v / 255), [1, ...meta.input.shape]);
  const [a, b] = [model.predict(x), loaded.predict(x)].map((t) => Array.from(/** @type {any} */ (t).dataSync()));
  assert.deepEqual(a, b);
  assert.throws(() => modelFiles(artifacts, '../x'), /not a file name/);
  tf.dispose([x]);
  model.dispose();
  loaded.dispose();
});

test('a live chart\'s series stays bounded and keeps its average', async () => {
  const { decimated } = await import('../../site/core/series.js');
  /** @type {{x: number, y: number}[]} */
  let points = [];
  for (let i = 0; i < 1001; i++) {
    points.push({ x: i, y: i % 2 });
    if (points.length > 100) points = decimated(points, 100);
  }
  assert.ok(points.length <= 100 && points.length > 50, String(points.length));
  assert.equal(points[0].x < points[1].x && points.at(-1)?.x, 1000);
  const mean = points.reduce((s, p) => s + p.y, 0) / points.length;
  assert.ok(Math.abs(mean - 0.5) < 0.05, String(mean));
  const short = [{ x: 0, y: 1 }];
  assert.equal(decimated(short, 100), short);
});
