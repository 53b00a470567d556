// @ts-check
// The Classifier (site/core) on TF.js' plain-JS backend in node, against Keras' own outputs.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import * as tf from '@tensorflow/tfjs';

import { featureMapColors, heat } from '../../site/core/activations.js';
import { Classifier } from '../../site/core/classifier.js';
import { COMMITTED, loadCommitted, readJson } from './support.js';

await tf.setBackend('cpu');

for (const [name, path] of COMMITTED.flatMap((n) => [[n, 'graph'], [n, 'layers']])) {
  test(`${name} (${path} model): probabilities match Keras (parity.json) within 1e-4`, async () => {
    const { model, meta, folder } = await loadCommitted(tf, name, /** @type {'graph' | 'layers'} */ (path));
    const classifier = new Classifier(tf, model, meta, new URL('metadata.json', folder));
    const parity = readJson(classifier.assetUrl('parity'));
    const n = parity.inputs.length;
    const probs = await classifier.predictRaw(Float32Array.from(parity.inputs.flat()), n);
    // A reject-output model has one more output than it has classes: "not a digit".
    const width = meta.class_names.length + (meta.verdict?.method === 'reject-output' ? 1 : 0);
    assert.equal(parity.probabilities[0].length, width);
    assert.equal(probs.length, n * width);
    let worst = 0;
    parity.probabilities.flat().forEach((/** @type {number} */ p, /** @type {number} */ i) => { worst = Math.max(worst, Math.abs(p - probs[i])); });
    assert.ok(worst <= 1e-4, `max |TF.js - Keras| = ${worst}`);
    const one = await classifier.predict(Float32Array.from(parity.inputs[0]));
    assert.equal(one.label, parity.probabilities[0].indexOf(Math.max(...parity.probabilities[0])));
    if (meta.verdict) {
      // The verdict's score (reject output or energy of the logits) matches Keras' too.
      for (const [i, expected] of /** @type {number[]} */ (parity.verdict_scores).entries()) {
        const score = /** @type {number} */ ((await classifier.predict(Float32Array.from(parity.inputs[i]))).verdict?.score);
        assert.ok(Math.abs(score - expected) <= 1e-4 * Math.max(1, Math.abs(expected)), `input ${i}: ${score} vs ${expected}`);
      }
    }
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) await classifier.predict(Float32Array.from(parity.inputs[i % n]));
    assert.equal(tf.memory().numTensors, before, 'predict leaks tensors');
  });

  test(`${name} (${path} model): the viewer's layers and their outputs match Keras (activations.json)`, async () => {
    const { model, meta, folder } = await loadCommitted(tf, name, /** @type {'graph' | 'layers'} */ (path));
    const classifier = new Classifier(tf, model, meta, new URL('metadata.json', folder));
    if (!meta.viewer.layers.length) {
      assert.equal(classifier.activationLayers, null);
      return;
    }
    assert.deepEqual(classifier.activationLayers?.slice(0, -1).map((l) => l.name), meta.viewer.layers);
    const expected = readJson(classifier.assetUrl('activations'));
    const parity = readJson(classifier.assetUrl('parity'));
    const acts = await classifier.activations(Float32Array.from(parity.inputs[expected.parity_input]));
    assert.ok(acts);
    let worst = 0;
    expected.layers.forEach((/** @type {any} */ layer, /** @type {number} */ k) => {
      assert.equal(acts[k].length, layer.shape.reduce((/** @type {number} */ a, /** @type {number} */ b) => a * b, 1));
      layer.indices.forEach((/** @type {number} */ idx, /** @type {number} */ j) => { worst = Math.max(worst, Math.abs(acts[k][idx] - layer.values[j])); });
    });
    assert.ok(worst <= 1e-4, `max |TF.js - Keras| activation = ${worst}`);
  });
}

test('feature maps are scaled per channel from black to the brightest colour', () => {
  // Two channels, three pixels: channel 1 is constant (shown black), channel 0 spans 2..6.
  const data = Float32Array.from([2, 5, 4, 5, 6, 5]);
  const rgba = featureMapColors(data, 2, 0);
  assert.deepEqual(Array.from(rgba.slice(0, 4)), [...heat(0), 255]);
  assert.deepEqual(Array.from(rgba.slice(8, 12)), [...heat(1), 255]);
  assert.deepEqual(Array.from(featureMapColors(data, 2, 1).slice(0, 3)), heat(0));
});
