// @ts-check
/**
 * The trainer's settings: the defaults are the shipped quickstart's, the Keras program shown for
 * them is exactly the program "Hello, MNIST" walks through (its sections of train/quickstart.py,
 * as the page assembles them), and an edited topology trains the model the controls describe.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import * as tf from '@tensorflow/tfjs';

import { CHOICES, defaultSettings, editedTopology, kerasProgram, parseSettings } from '../../site/core/quickstart-settings.js';
import { MODELS, metadataOf, readJson } from './support.js';

await tf.setBackend('cpu');
const meta = metadataOf('mnist-mlp');
const model = { shape: meta.input.shape, classes: meta.class_names.length };
const ROOT = new URL('../../', import.meta.url);

/** The first program block of docs/hello-mnist.md with each snippet line replaced as pymdownx.snippets does (dedented). */
function pageProgram() {
  const source = readFileSync(new URL('train/quickstart.py', ROOT), 'utf8');
  const section = (/** @type {string} */ name) => {
    const body = source.split(`# --8<-- [start:${name}]\n`)[1].split(/\n\s*# --8<-- \[end:/)[0];
    const lines = body.split('\n');
    const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
    return lines.map((l) => l.slice(indent)).join('\n');
  };
  const page = readFileSync(new URL('docs/hello-mnist.md', ROOT), 'utf8');
  const block = page.split('```python\n')[1].split('\n```')[0];
  return `${block.replace(/^--8<-- "train\/quickstart\.py:(\w+)"$/gm, (_, name) => section(name))}\n`;
}

test('the default settings are the shipped quickstart\'s, and show the very program of "Hello, MNIST"', () => {
  const defaults = defaultSettings(meta.config);
  assert.deepEqual(defaults, { units: 512, dropout: 0.2, optimizer: 'adam', learningRate: 0.001, batchSize: 32, epochs: 5 });
  assert.equal(kerasProgram(defaults, model), pageProgram());
});

test('edited settings change exactly their lines of the program', () => {
  const defaults = defaultSettings(meta.config);
  const edited = kerasProgram({ ...defaults, units: 64, dropout: 0, optimizer: 'sgd', learningRate: 0.1, batchSize: 128, epochs: 1 }, model);
  assert.match(edited, /Dense\(64, activation="relu"\)/);
  assert.match(edited, /Dropout\(0\)/);
  assert.match(edited, /optimizer=tf\.keras\.optimizers\.SGD\(learning_rate=0\.1\)/);
  assert.match(edited, /epochs=1, batch_size=128, validation_split=0\.1/);
  // Keras' own default step for the optimizer is written as the plain name, as the quickstart does.
  assert.match(kerasProgram({ ...defaults, optimizer: 'rmsprop' }, model), /optimizer="rmsprop"/);
  assert.match(kerasProgram({ ...defaults, learningRate: 0.0001 }, model), /Adam\(learning_rate=0\.0001\)/);
});

test('settings from the controls are checked against what they offer', () => {
  const defaults = defaultSettings(meta.config);
  const strings = (/** @type {any} */ s) => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, String(v)]));
  assert.deepEqual(parseSettings(/** @type {any} */ (strings(defaults)), defaults), defaults);
  assert.throws(() => parseSettings(/** @type {any} */ (strings({ ...defaults, units: 100000 })), defaults), /units/);
  assert.throws(() => parseSettings(/** @type {any} */ (strings({ ...defaults, optimizer: 'lbfgs' })), defaults), /optimizer/);
  for (const [key, values] of Object.entries(CHOICES)) assert.ok(values.length > 1, key);
});

test('the edited topology builds the model the controls describe', async () => {
  const topology = readJson(new URL(`mnist-mlp/${meta.assets.model}`, MODELS)).modelTopology;
  const built = await tf.models.modelFromJSON(/** @type {any} */ (editedTopology(topology, { units: 64, dropout: 0.5 })));
  const [flatten, dense, dropout, out] = built.layers.filter((l) => l.getClassName() !== 'InputLayer');
  assert.equal(flatten.getClassName(), 'Flatten');
  assert.equal(/** @type {any} */ (dense).units, 64);
  assert.equal(/** @type {any} */ (dropout).rate, 0.5);
  assert.equal(/** @type {any} */ (out).units, meta.class_names.length);
  const inputs = meta.input.shape.reduce((/** @type {number} */ a, /** @type {number} */ b) => a * b, 1);
  assert.equal(built.countParams(), inputs * 64 + 64 + 64 * 10 + 10);
  // The shipped topology is left as it was.
  assert.equal(topology.model_config.config.layers[2].config.units, 512);
  built.dispose();
});
