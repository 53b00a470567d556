// @ts-check
// The verdict applies the method and threshold of metadata.json, and nothing else.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { energyOf, judge } from '../../site/core/verdict.js';

const labels = { accept: 'digit', reject: 'not-a-digit' };

test('reject-output: the extra output against the threshold', () => {
  const spec = /** @type {const} */ ({ method: 'reject-output', output: 3, threshold: 0.4, labels });
  assert.deepEqual(judge(spec, [0.1, 0.2, 0.2, 0.5], 3), { score: 0.5, rejected: true, label: 'not-a-digit' });
  assert.deepEqual(judge(spec, [0.7, 0.1, 0.1, 0.1], 3), { score: 0.1, rejected: false, label: 'digit' });
  assert.equal(judge(spec, [0.3, 0.3, 0.0, 0.4], 3)?.rejected, false, 'the threshold itself is not above it');
});

test('max-probability: a low top probability is flagged', () => {
  const spec = /** @type {const} */ ({ method: 'max-probability', threshold: 0.3, labels });
  assert.equal(judge(spec, [0.6, 0.3, 0.1], 3)?.rejected, true);
  assert.equal(judge(spec, [0.9, 0.05, 0.05], 3)?.rejected, false);
  assert.ok(Math.abs(/** @type {number} */ (judge(spec, [0.6, 0.3, 0.1], 3)?.score) - 0.4) < 1e-12);
});

test('no verdict in the metadata: no verdict', () => {
  assert.equal(judge(undefined, [1, 0], 2), null);
  assert.throws(() => judge(/** @type {any} */ ({ method: 'energy', threshold: 0, labels }), [1], 1));
});

test('energy: the score is the energy of the logits, stable for large logits', () => {
  const spec = /** @type {const} */ ({ method: 'energy', threshold: -5, labels });
  assert.ok(Math.abs(energyOf([0, 0]) + Math.log(2)) < 1e-12);
  assert.ok(Math.abs(energyOf([1000, 1000]) + 1000 + Math.log(2)) < 1e-9);
  assert.equal(judge(spec, [0.5, 0.5], 2, -3)?.rejected, true);
  assert.equal(judge(spec, [0.5, 0.5], 2, -8)?.rejected, false);
  assert.throws(() => judge(spec, [0.5, 0.5], 2));
});
